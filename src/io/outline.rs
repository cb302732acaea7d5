//! Outlines in: a tree typed as an indented list (a mail, a Word or
//! Markdown list, a spreadsheet with one column per level) made into a
//! document — `kpitree new --from`, and text pasted onto the canvas.
//!
//! One node a line (docs/FORMAT.md, "Outlines"):
//! `[operator] name [(unit)] [[KSF]] [: target [/ actual] | : = constant]`, children
//! indented under their parent. The whole text is read before anything is
//! made: any line that cannot be read fails the whole outline, and every
//! such line is reported with its line and column.

use std::path::Path;

use rustc_hash::FxHashMap;

use crate::lang::Lang;
use crate::model::{Document, Edge, Kind, Node, NodeId, Op};

/// The most problems one outline reports (the first ones, in line order).
pub const MAX_REPORTED: usize = 50;

/// Where a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// Line and column of a text (both from 1; the column counts characters).
    Line {
        /// The line, from 1.
        line: usize,
        /// The column, from 1, in characters.
        column: usize,
    },
    /// A cell of a spreadsheet and the column in its text (from 1).
    Cell {
        /// The row, from 1.
        row: usize,
        /// The spreadsheet column, from 0 (A).
        col: usize,
        /// The character in the cell's text, from 1.
        column: usize,
    },
}

impl At {
    fn text(self, lang: Lang) -> String {
        match (self, lang) {
            (At::Line { line, column }, Lang::Ja) => format!("{line} 行 {column} 文字目"),
            (At::Line { line, column }, Lang::En) => format!("line {line}, column {column}"),
            (At::Cell { row, col, column }, Lang::Ja) => {
                format!("セル {}{row}({column} 文字目)", column_name(col))
            }
            (At::Cell { row, col, column }, Lang::En) => format!("cell {}{row}, character {column}", column_name(col)),
        }
    }
}

/// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
#[allow(clippy::cast_possible_truncation, reason = "a letter: the remainder of a division by 26")]
pub fn column_name(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// What is wrong with a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The line has no name.
    EmptyName,
    /// A target or actual that is no number.
    NotANumber(String),
    /// More than a target and an actual after the colon.
    TooManyValues,
    /// A quoted name without its closing quote.
    UnclosedQuote,
    /// `@name` names no line of the outline.
    NoSuchNode(String),
    /// `@name` names several lines.
    Ambiguous(String),
    /// `@name` on a line of its own (it needs a parent), or with a unit,
    /// values or a tag (those belong to the line it names).
    BadReference,
    /// `@name` makes a node its own ancestor.
    Cycle(String),
    /// Nothing but blank lines and headings.
    Empty,
}

/// One line that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineError {
    /// Where.
    pub at: At,
    /// What.
    pub problem: Problem,
}

impl OutlineError {
    /// The message, naming the place.
    pub fn message(&self, lang: Lang) -> String {
        let what = match (&self.problem, lang) {
            (Problem::EmptyName, Lang::Ja) => "名前がありません".to_owned(),
            (Problem::EmptyName, Lang::En) => "the line has no name".to_owned(),
            (Problem::NotANumber(t), Lang::Ja) => format!("「{t}」は数値ではありません(目標 / 実績)"),
            (Problem::NotANumber(t), Lang::En) => format!("\"{t}\" is not a number (target / actual)"),
            (Problem::TooManyValues, Lang::Ja) => "値は「目標 / 実績」の二つまでです".to_owned(),
            (Problem::TooManyValues, Lang::En) => "at most two values: target / actual".to_owned(),
            (Problem::UnclosedQuote, Lang::Ja) => "名前の「\"」が閉じていません".to_owned(),
            (Problem::UnclosedQuote, Lang::En) => "the quoted name has no closing \"".to_owned(),
            (Problem::NoSuchNode(n), Lang::Ja) => format!("「@{n}」の名前の行がありません"),
            (Problem::NoSuchNode(n), Lang::En) => format!("no line is named \"{n}\" (@{n})"),
            (Problem::Ambiguous(n), Lang::Ja) => format!("「{n}」という名前の行が複数あり、@ で指せません"),
            (Problem::Ambiguous(n), Lang::En) => format!("several lines are named \"{n}\"; @ cannot tell which"),
            (Problem::BadReference, Lang::Ja) => {
                "「@名前」は親の下に演算子だけを付けて書きます(単位・値・種別は元の行に)".to_owned()
            }
            (Problem::BadReference, Lang::En) => {
                "\"@name\" stands under a parent with at most an operator (unit, values and kind belong to the line it names)"
                    .to_owned()
            }
            (Problem::Cycle(n), Lang::Ja) => format!("「@{n}」で循環します(自分の祖先を子にしています)"),
            (Problem::Cycle(n), Lang::En) => format!("\"@{n}\" makes a cycle (a node below itself)"),
            (Problem::Empty, Lang::Ja) => "ノードの行がありません".to_owned(),
            (Problem::Empty, Lang::En) => "no line names a node".to_owned(),
        };
        format!("{}: {what}", self.at.text(lang))
    }
}

/// Every problem of an outline, each with its place; nothing is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineErrors(pub Vec<OutlineError>);

impl OutlineErrors {
    /// One problem a line, in order.
    pub fn message(&self, lang: Lang) -> String {
        self.0.iter().map(|e| e.message(lang)).collect::<Vec<_>>().join("\n")
    }
}

/// Why an outline file cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReadError {
    /// The file (or its spreadsheet) cannot be read.
    #[error("{0}")]
    Read(String),
    /// The file's kind is not an outline kpitree reads.
    #[error("{0}: an outline is a text (.txt, .md), a spreadsheet (.xlsx, .xlsm, .xls, .ods) or CSV (.csv, .tsv)")]
    Format(String),
    /// Lines that cannot be read.
    #[error("{file}:\n{}", .errors.message(Lang::En))]
    Lines {
        /// The file.
        file: String,
        /// The problems.
        errors: OutlineErrors,
    },
}

impl ReadError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ReadError::Lines { file, errors } => format!("{file}:\n{}", errors.message(lang)),
            other => other.to_string(),
        }
    }
}

/// Reads the outline in `path`: text (`.txt`, `.md`, `.markdown`, `.text`;
/// UTF-8, UTF-16 with a byte-order mark, or Shift_JIS), or a spreadsheet or
/// CSV with one column per level (the sheet `sheet`, else the first).
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Document, ReadError> {
    let name = path.display().to_string();
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "txt" | "text" | "md" | "markdown" => {
            let bytes = super::load::read_bounded(path, &name).map_err(|e| ReadError::Read(e.to_string()))?;
            let text = super::import::decode(&bytes);
            parse(&text).map_err(|errors| ReadError::Lines { file: name, errors })
        }
        "xlsx" | "xlsm" | "xls" | "ods" | "csv" | "tsv" => {
            let table = super::import::read_table(path, sheet).map_err(|e| ReadError::Read(e.to_string()))?;
            parse_table(&table).map_err(|errors| ReadError::Lines { file: name, errors })
        }
        _ => Err(ReadError::Format(name)),
    }
}

/// One line of the outline, read.
#[derive(Debug, Clone, Default)]
struct Line {
    /// Where the line is (its first character after the indentation).
    at: Option<At>,
    /// The indentation (a spreadsheet: the column).
    width: usize,
    op: Option<Op>,
    name: String,
    unit: Option<String>,
    tag: Option<Kind>,
    target: Option<f64>,
    actual: Option<f64>,
    /// `: = 12`: a constant term (× 12 ヶ月).
    constant: Option<f64>,
    /// `@name`: this line stands for the node of another line.
    reference: bool,
}

/// Parses outline text. A first `# heading` is the document's title;
/// blank lines and other headings are skipped.
pub fn parse(text: &str) -> Result<Document, OutlineErrors> {
    let raw: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let mut title = None;
    let mut body = Vec::with_capacity(raw.len());
    for &(number, line) in &raw {
        let trimmed = line.trim_start();
        if let Some(heading) = trimmed
            .strip_prefix('#')
            .filter(|_| trimmed.starts_with("# ") || trimmed.starts_with("#\t") || trimmed.starts_with("##"))
        {
            if title.is_none() && body.is_empty() {
                let heading = heading.trim_start_matches('#').trim();
                if !heading.is_empty() {
                    title = Some(heading.to_owned());
                }
            }
            continue;
        }
        body.push((number, line));
    }
    // A Markdown list: every line starts with a bullet, and the operator
    // (if any) follows it. Otherwise a leading `-`, `*` or `+` is the operator.
    let bulleted = !body.is_empty() && body.iter().all(|(_, l)| bullet(l.trim_start()).is_some());
    let mut lines = Vec::with_capacity(body.len());
    let mut errors = Vec::new();
    for (number, line) in body {
        let (width, skipped) = indentation(line);
        let mut rest = &line[skipped..];
        let mut column = line[..skipped].chars().count() + 1;
        if bulleted && let Some(after) = bullet(rest) {
            column += rest[..rest.len() - after.len()].chars().count();
            rest = after;
        }
        match read_line(rest) {
            Ok(mut l) => {
                l.width = width;
                l.at = Some(At::Line { line: number, column });
                lines.push(l);
            }
            Err((offset, problem)) => {
                errors.push(OutlineError { at: At::Line { line: number, column: column + offset }, problem })
            }
        }
        if errors.len() >= MAX_REPORTED {
            break;
        }
    }
    finish(lines, errors, title)
}

/// Parses a spreadsheet outline: each row's first non-blank cell is a line,
/// its column the level.
pub fn parse_table(table: &super::import::Table) -> Result<Document, OutlineErrors> {
    use super::import::Cell;
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let Some((col, cell)) = row.iter().enumerate().find(|(_, c)| !c.is_blank()) else { continue };
        let text = match cell {
            Cell::Number(x) => crate::model::number::edit_text(*x),
            other => other.text(),
        };
        let trimmed = text.trim_start();
        let lead = text.len() - trimmed.len();
        let at = |offset: usize| At::Cell { row: r + 1, col, column: text[..lead].chars().count() + 1 + offset };
        match read_line(trimmed.trim_end()) {
            Ok(mut l) => {
                l.width = col;
                l.at = Some(at(0));
                lines.push(l);
            }
            Err((offset, problem)) => errors.push(OutlineError { at: at(offset), problem }),
        }
        if errors.len() >= MAX_REPORTED {
            break;
        }
    }
    finish(lines, errors, None)
}

/// The width of a line's indentation (a tab to the next multiple of four, a
/// full-width space two) and its length in bytes.
fn indentation(line: &str) -> (usize, usize) {
    let mut width = 0;
    for (i, c) in line.char_indices() {
        match c {
            ' ' => width += 1,
            '\t' => width = (width / 4 + 1) * 4,
            '\u{3000}' => width += 2,
            _ => return (width, i),
        }
    }
    (width, line.len())
}

/// The text after a Markdown bullet (`-`, `*`, `+` or `・`, then a space;
/// or `1.` / `1)` and a space).
fn bullet(text: &str) -> Option<&str> {
    let mut chars = text.char_indices();
    let (_, first) = chars.next()?;
    let after = match first {
        '-' | '*' | '+' => &text[1..],
        '・' => &text['・'.len_utf8()..],
        '0'..='9' => {
            let digits = text.find(|c: char| !c.is_ascii_digit())?;
            text[digits..].strip_prefix('.').or_else(|| text[digits..].strip_prefix(')'))?
        }
        _ => return None,
    };
    if first == '・' {
        return Some(after.trim_start());
    }
    after.strip_prefix([' ', '\t', '\u{3000}']).map(str::trim_start)
}

/// The operator a line starts with, and the text after it.
fn operator(text: &str) -> Option<(Op, &str)> {
    let text = text.strip_prefix('\\').unwrap_or(text);
    let c = text.chars().next()?;
    let op = match c {
        '+' | '＋' => Op::Add,
        '-' | '−' | '－' => Op::Sub,
        '*' | '×' | '＊' | '✕' => Op::Mul,
        '/' | '÷' | '／' => Op::Div,
        '~' | '～' | '〜' => Op::Link,
        _ => return None,
    };
    let rest = &text[c.len_utf8()..];
    // An operator stands apart from the name (`+ 新規`), or before it
    // directly when the name starts with a letter of its own (`×顧客数`).
    if rest.is_empty() {
        return None;
    }
    Some((op, rest.trim_start_matches([' ', '\t', '\u{3000}'])))
}

/// Byte offset → character offset in `text`.
fn chars_to(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].chars().count()
}

/// Reads one line (without its indentation); on failure, the character
/// offset of the problem in `text` and what it is.
fn read_line(text: &str) -> Result<Line, (usize, Problem)> {
    let mut line = Line::default();
    let mut rest = text;
    if let Some((op, after)) = operator(rest) {
        line.op = Some(op);
        rest = after;
    }
    let name_start = text.len() - rest.len();
    let mut reference = false;
    if let Some(after) = rest.strip_prefix(['@', '＠']) {
        reference = true;
        rest = after;
    }
    // A quoted name: everything up to the closing quote ("" is a quote).
    let mut quoted = None;
    if let Some(after) = rest.strip_prefix('"') {
        let mut name = String::new();
        let mut chars = after.char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            if c == '"' {
                if after[i + 1..].starts_with('"') {
                    name.push('"');
                    chars.next();
                } else {
                    end = Some(i + 1);
                    break;
                }
            } else {
                name.push(c);
            }
        }
        let Some(end) = end else { return Err((chars_to(text, name_start), Problem::UnclosedQuote)) };
        quoted = Some(name);
        rest = &after[end..];
    }
    // The values: after the last colon outside brackets.
    let (head, values) = match last_colon(rest) {
        Some(i) => {
            let colon = rest[i..].chars().next().map_or(1, char::len_utf8);
            (&rest[..i], Some((&rest[i + colon..], text.len() - rest.len() + i + colon)))
        }
        None => (rest, None),
    };
    let mut head = head.trim_end();
    for _ in 0..2 {
        if let Some((before, tag)) = trailing_tag(head) {
            line.tag = Some(tag);
            head = before.trim_end();
        } else if let Some((before, unit)) = trailing_unit(head).filter(|_| line.unit.is_none()) {
            let unit = unit.trim();
            line.unit = (!unit.is_empty()).then(|| unit.to_owned());
            head = before.trim_end();
        }
    }
    line.name = match quoted {
        Some(name) => {
            if !head.trim().is_empty() {
                // Text between the closing quote and the unit belongs to no part.
                let at = text.len() - rest.len();
                return Err((chars_to(text, at), Problem::UnclosedQuote));
            }
            name
        }
        None => head.trim().to_owned(),
    };
    if line.name.trim().is_empty() {
        return Err((chars_to(text, name_start), Problem::EmptyName));
    }
    // `: = 12` (or `：＝12`): a constant, the term's one fixed number.
    let constant = values.and_then(|(v, start)| {
        let lead = v.len() - v.trim_start().len();
        let after = v.trim_start().strip_prefix(['=', '＝'])?;
        Some((after, start + v.len() - after.len(), start + lead))
    });
    if let Some((number, start, at)) = constant {
        line.constant = match value(number) {
            Ok(Some(c)) => Some(c),
            Ok(None) => return Err((chars_to(text, at), Problem::NotANumber(number.trim().to_owned()))),
            Err(t) => {
                let lead = number.len() - number.trim_start().len();
                return Err((chars_to(text, start + lead), Problem::NotANumber(t)));
            }
        };
    } else if let Some((values, start)) = values {
        let parts: Vec<&str> = values.split(['/', '／']).collect();
        if parts.len() > 2 {
            let lead = values.len() - values.trim_start().len();
            return Err((chars_to(text, start + lead), Problem::TooManyValues));
        }
        let mut offset = start;
        for (k, part) in parts.iter().enumerate() {
            let value = value(part).map_err(|t| {
                let lead = part.len() - part.trim_start().len();
                (chars_to(text, offset + lead), Problem::NotANumber(t))
            })?;
            if k == 0 {
                line.target = value;
            } else {
                line.actual = value;
            }
            offset += part.len() + 1;
        }
    }
    if reference {
        if line.unit.is_some()
            || line.tag.is_some()
            || line.target.is_some()
            || line.actual.is_some()
            || line.constant.is_some()
        {
            return Err((chars_to(text, name_start), Problem::BadReference));
        }
        line.reference = true;
    }
    Ok(line)
}

/// The last `:` or `：` outside brackets and parentheses.
fn last_colon(text: &str) -> Option<usize> {
    let mut depth = 0i32;
    let mut found = None;
    for (i, c) in text.char_indices() {
        match c {
            '(' | '（' | '[' | '［' => depth += 1,
            ')' | '）' | ']' | '］' => depth -= 1,
            ':' | '：' if depth <= 0 => found = Some(i),
            _ => {}
        }
    }
    found
}

/// `name [KSF]` → (`name `, KSF): a kind tag at the end.
fn trailing_tag(text: &str) -> Option<(&str, Kind)> {
    let inner_end = text.strip_suffix(']').or_else(|| text.strip_suffix('］'))?;
    let open = inner_end.rfind(['[', '［'])?;
    let open_len = inner_end[open..].chars().next().map_or(1, char::len_utf8);
    let tag = inner_end[open + open_len..].trim().to_ascii_uppercase();
    let kind = Kind::parse(&tag)?;
    Some((&text[..open], kind))
}

/// `name (万円)` → (`name `, `万円`): a unit in parentheses at the end.
fn trailing_unit(text: &str) -> Option<(&str, &str)> {
    let close = text.strip_suffix(')').or_else(|| text.strip_suffix('）'))?;
    let mut depth = 0;
    for (i, c) in close.char_indices().rev() {
        match c {
            ')' | '）' => depth += 1,
            '(' | '（' if depth == 0 => return Some((&text[..i], &close[i + c.len_utf8()..])),
            '(' | '（' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A target or an actual: a number as ledgers write it, or nothing (blank,
/// `-`, `—`).
fn value(text: &str) -> Result<Option<f64>, String> {
    let t = text.trim();
    if t.is_empty() || matches!(t, "-" | "—" | "－" | "―" | "−") {
        return Ok(None);
    }
    super::import::number(&super::import::Cell::Text(t.to_owned())).map_err(|_| t.to_owned())
}

/// Builds the document from the lines read, or reports every problem.
fn finish(lines: Vec<Line>, mut errors: Vec<OutlineError>, title: Option<String>) -> Result<Document, OutlineErrors> {
    if lines.is_empty() && errors.is_empty() {
        errors.push(OutlineError { at: At::Line { line: 1, column: 1 }, problem: Problem::Empty });
    }
    // Names of the lines that define nodes: `@name` finds its line here.
    // (Nodes are made in the order of the lines that define them.)
    let mut by_name: FxHashMap<&str, Option<usize>> = FxHashMap::default();
    for (node, l) in lines.iter().filter(|l| !l.reference).enumerate() {
        by_name.entry(l.name.as_str()).and_modify(|e| *e = None).or_insert(Some(node));
    }
    let mut doc = Document::new();
    doc.title = title;
    // Per line: the node it is (its own, or the one it names).
    let mut node_of: Vec<usize> = Vec::with_capacity(lines.len());
    let mut kinds: Vec<Kind> = Vec::with_capacity(lines.len());
    let mut counters = [0usize; 3];
    // Open lines: (indentation, line).
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut parent_of: Vec<Option<usize>> = vec![None; lines.len()];
    for (i, l) in lines.iter().enumerate() {
        while stack.last().is_some_and(|&(w, _)| w >= l.width) {
            stack.pop();
        }
        let parent = stack.last().map(|&(_, p)| p);
        parent_of[i] = parent;
        let at = l.at.unwrap_or(At::Line { line: 1, column: 1 });
        if parent.is_some_and(|p| lines[p].reference) {
            // Terms of a node go under the line that defines it.
            errors.push(OutlineError { at, problem: Problem::BadReference });
        }
        if l.reference {
            let target = match by_name.get(l.name.as_str()) {
                None => Err(Problem::NoSuchNode(l.name.clone())),
                Some(None) => Err(Problem::Ambiguous(l.name.clone())),
                Some(Some(_)) if parent.is_none() => Err(Problem::BadReference),
                Some(&Some(t)) => Ok(t),
            };
            match target {
                Ok(t) => node_of.push(t),
                Err(problem) => {
                    errors.push(OutlineError { at, problem });
                    node_of.push(usize::MAX);
                }
            }
            kinds.push(Kind::Kpi);
        } else {
            let parent_kind = parent.map(|p| kinds[p]);
            let kind = kind_of(l, parent_kind);
            kinds.push(kind);
            let k = match kind {
                Kind::Kgi => 0,
                Kind::Ksf => 1,
                Kind::Kpi => 2,
            };
            counters[k] += 1;
            let id = format!("{}{}", ["kgi", "ksf", "kpi"][k], counters[k]);
            let mut node = Node::new(id, kind, l.name.clone());
            node.unit = l.unit.clone();
            node.target = l.target;
            node.actual = l.actual;
            node.constant = l.constant;
            node_of.push(doc.nodes.len());
            doc.nodes.push(node);
        }
        stack.push((l.width, i));
    }
    // Kinds of referenced nodes are their own lines' kinds.
    for (i, l) in lines.iter().enumerate() {
        if l.reference && node_of[i] != usize::MAX {
            kinds[i] = doc.nodes[node_of[i]].kind;
        }
    }
    for (i, l) in lines.iter().enumerate() {
        let Some(p) = parent_of[i] else { continue };
        let (pn, cn) = (node_of[p], node_of[i]);
        if pn == usize::MAX || cn == usize::MAX {
            continue;
        }
        let child_kind = doc.nodes[cn].kind;
        let op = l.op.unwrap_or(if child_kind == Kind::Ksf || kinds[p] == Kind::Ksf { Op::Link } else { Op::Add });
        let edge = Edge::new(doc.nodes[pn].id.clone(), doc.nodes[cn].id.clone(), op);
        doc.edges.push(edge);
    }
    if errors.is_empty()
        && let Some(line) = cycle_line(&doc, &lines, &node_of)
    {
        let l = &lines[line];
        errors.push(OutlineError {
            at: l.at.unwrap_or(At::Line { line: 1, column: 1 }),
            problem: Problem::Cycle(l.name.clone()),
        });
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| match e.at {
            At::Line { line, column } => (line, column),
            At::Cell { row, column, .. } => (row, column),
        });
        errors.truncate(MAX_REPORTED);
        return Err(OutlineErrors(errors));
    }
    Ok(doc)
}

/// The kind of a line: its tag; else a goal at the top; under a KPI a KPI
/// (a KSF is never below an indicator); else a KSF when it has neither a
/// unit nor a value (a success factor is not measured), else a KPI.
fn kind_of(l: &Line, parent: Option<Kind>) -> Kind {
    if let Some(tag) = l.tag {
        return tag;
    }
    match parent {
        None => Kind::Kgi,
        Some(Kind::Kpi) => Kind::Kpi,
        Some(_) if l.unit.is_none() && l.target.is_none() && l.actual.is_none() && l.constant.is_none() => Kind::Ksf,
        Some(_) => Kind::Kpi,
    }
}

/// The first `@name` line that closes a cycle, if any (Kahn's algorithm:
/// the nodes left over lie on or below a cycle; the reference lines among
/// them are reported).
fn cycle_line(doc: &Document, lines: &[Line], node_of: &[usize]) -> Option<usize> {
    let n = doc.nodes.len();
    let index: FxHashMap<&NodeId, usize> = doc.nodes.iter().enumerate().map(|(i, node)| (&node.id, i)).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for e in doc.edges.iter() {
        let (p, c) = (index[&e.parent], index[&e.child]);
        children[p].push(c);
        indegree[c] += 1;
    }
    let mut ready: Vec<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    let mut done = vec![false; n];
    while let Some(v) = ready.pop() {
        done[v] = true;
        for &c in &children[v] {
            indegree[c] -= 1;
            if indegree[c] == 0 {
                ready.push(c);
            }
        }
    }
    (0..lines.len()).find(|&i| lines[i].reference && node_of[i] != usize::MAX && !done[node_of[i]])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_operator_name_unit_tag_and_values() {
        let l = read_line("× 客単価 (万円/社): 100 / 90").unwrap();
        assert_eq!((l.op, l.name.as_str(), l.unit.as_deref()), (Some(Op::Mul), "客単価", Some("万円/社")));
        assert_eq!((l.target, l.actual), (Some(100.0), Some(90.0)));
        let l = read_line("～ 新規顧客の開拓 [KSF]").unwrap();
        assert_eq!((l.op, l.name.as_str(), l.tag), (Some(Op::Link), "新規顧客の開拓", Some(Kind::Ksf)));
        let l = read_line("－ 費用（万円）：１，２００").unwrap();
        assert_eq!(
            (l.op, l.name.as_str(), l.unit.as_deref(), l.target),
            (Some(Op::Sub), "費用", Some("万円"), Some(1200.0))
        );
        let l = read_line("\"粗利: 国内\" (万円): - / 80").unwrap();
        assert_eq!((l.name.as_str(), l.target, l.actual), ("粗利: 国内", None, Some(80.0)));
    }

    #[test]
    fn a_constant_is_written_after_an_equals_sign_and_reads_back() {
        let l = read_line("× 月数 (ヶ月): = 12").unwrap();
        assert_eq!(
            (l.op, l.name.as_str(), l.unit.as_deref(), l.constant),
            (Some(Op::Mul), "月数", Some("ヶ月"), Some(12.0))
        );
        assert_eq!((l.target, l.actual), (None, None));
        assert_eq!(read_line("× 消費税：＝１．１").unwrap().constant, Some(1.1));
        assert_eq!(read_line("× 月数: = 1２x").unwrap_err().1, Problem::NotANumber("1２x".into()));
        assert_eq!(read_line("× 月数: =").unwrap_err().1, Problem::NotANumber(String::new()));
        // A whole tree: the constant is a KPI term (not a KSF), and the outline
        // written from the document gives the same text back.
        let text =
            "# 年間売上\n\n年間売上 (万円): 14,400\n  × 月間売上 (万円/ヶ月): 1,200 / 1,000\n  × 月数 (ヶ月): = 12\n";
        let doc = parse(text).unwrap();
        let months = doc.nodes.iter().find(|n| n.name == "月数").unwrap();
        assert_eq!((months.kind, months.constant, months.target), (Kind::Kpi, Some(12.0), None));
        let written = crate::export::outline::to_outline(&doc, crate::export::outline::Style::Text);
        assert_eq!(written, text);
        assert_eq!(crate::eval::evaluate(&doc).get(&doc.nodes[0].id).and_then(|v| v.actual), Some(12_000.0));
    }

    #[test]
    fn problems_name_the_character_they_start_at() {
        assert_eq!(read_line("× 顧客数 (社): 12O").unwrap_err(), (11, Problem::NotANumber("12O".into())));
        assert_eq!(read_line("× (社): 1").unwrap_err().1, Problem::EmptyName);
        assert_eq!(read_line("a: 1 / 2 / 3").unwrap_err(), (3, Problem::TooManyValues));
    }

    #[test]
    fn column_names_run_past_z() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
