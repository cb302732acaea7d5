//! Actuals (and targets) per period from a spreadsheet or CSV into a
//! document's series (`kpitree import`, File → Import actuals…).
//!
//! Two layouts, told apart by the header row: **wide** — the first column
//! names the node (its id, else its exact name), one column per period — and
//! **long** — columns for the node, the period and the actual and/or target
//! (headers in English or Japanese: `node`/`ノード`/`指標`, `period`/`期間`/`月`,
//! `actual`/`実績`, `target`/`目標`). Every row is checked first; the import
//! is a list of changes (old → new) and a list of rows that failed, each with
//! its row number and why, and nothing is changed by reading.

mod table;

use std::path::Path;

use rustc_hash::FxHashMap;

pub use table::{Cell, Table, decode, read as read_table};

use crate::lang::Lang;
use crate::model::period::{Month, Span, spans_of};
use crate::model::{Calendar, Document, Edit, Field, Granularity, Label, NodeId, Series};

/// Why a file cannot be imported at all.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read (or is no spreadsheet).
    #[error("{0}")]
    Read(String),
    /// The file's kind is not one kpitree reads.
    #[error("{0}: not a spreadsheet or CSV file (xlsx, xls, ods, csv)")]
    Format(String),
    /// The sheet asked for is not in the workbook.
    #[error("{file}: no sheet \"{sheet}\" (the workbook has {sheets:?})")]
    NoSheet {
        /// The file.
        file: String,
        /// The sheet asked for.
        sheet: String,
        /// The sheets it has.
        sheets: Vec<String>,
    },
    /// No header row, or one kpitree cannot read.
    #[error("no header row: the first row names the node column and the periods (or period and actual)")]
    NoHeader,
    /// The document has no periods to import into.
    #[error("the document has no periods: set period.start and period.end first")]
    NoPeriods,
}

/// How the file lays out its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One row per node, one column per period.
    Wide,
    /// One row per node and period.
    Long,
}

impl Layout {
    /// What the layout is called in a report.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Layout::Wide, Lang::Ja) => "横持ち (行がノード、列が期間)",
            (Layout::Wide, Lang::En) => "wide (a row per node, a column per period)",
            (Layout::Long, Lang::Ja) => "縦持ち (ノード・期間・値の列)",
            (Layout::Long, Lang::En) => "long (node, period and value columns)",
        }
    }
}

/// One value that the import sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// The node.
    pub node: NodeId,
    /// The period.
    pub label: Label,
    /// A target (else an actual).
    pub target: bool,
    /// The value before.
    pub old: Option<f64>,
    /// The value imported.
    pub new: f64,
    /// The row it came from (1 = the header).
    pub row: usize,
}

/// Why one row (or one cell of it) was not imported.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// No node has this id or name.
    UnknownNode(String),
    /// Several nodes have this name (and none this id).
    AmbiguousName(String, usize),
    /// The cell (of this period or column) is not a number.
    BadNumber(String, String),
    /// The period cannot be read.
    BadPeriod(String),
    /// The period is not one of the document's.
    OutsidePeriod(String),
}

/// A row that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    /// Its number in the file (1 = the first row).
    pub row: usize,
    /// Why.
    pub reason: Reason,
}

impl Failure {
    /// What went wrong, for people.
    pub fn message(&self, lang: Lang) -> String {
        let row = self.row;
        match (&self.reason, lang) {
            (Reason::UnknownNode(n), Lang::Ja) => format!("{row} 行目: ノード「{n}」はありません (ID でも名前でも)"),
            (Reason::UnknownNode(n), Lang::En) => format!("row {row}: no node has the id or name \"{n}\""),
            (Reason::AmbiguousName(n, k), Lang::Ja) => {
                format!("{row} 行目: 名前「{n}」のノードが {k} 個あります。ID で指定してください")
            }
            (Reason::AmbiguousName(n, k), Lang::En) => {
                format!("row {row}: {k} nodes are named \"{n}\"; use the id")
            }
            (Reason::BadNumber(t, at), Lang::Ja) => format!("{row} 行目 ({at}): 「{t}」は数値ではありません"),
            (Reason::BadNumber(t, at), Lang::En) => format!("row {row} ({at}): \"{t}\" is not a number"),
            (Reason::BadPeriod(t), Lang::Ja) => {
                format!("{row} 行目: 「{t}」を期間として読めません (2026-04、2026/4、4月 など)")
            }
            (Reason::BadPeriod(t), Lang::En) => {
                format!("row {row}: \"{t}\" is not a period (2026-04, 2026/4, 4月, …)")
            }
            (Reason::OutsidePeriod(t), Lang::Ja) => format!("{row} 行目: {t} は文書の期間の外です"),
            (Reason::OutsidePeriod(t), Lang::En) => format!("row {row}: {t} is outside the document's periods"),
        }
    }
}

/// What reading a file against a document found.
#[derive(Debug, Clone, PartialEq)]
pub struct Import {
    /// The layout the header row showed.
    pub layout: Layout,
    /// Values that differ from the document's.
    pub changes: Vec<Change>,
    /// Values read that the document already has.
    pub unchanged: usize,
    /// Rows with at least one value read.
    pub matched_rows: usize,
    /// Rows that failed.
    pub failures: Vec<Failure>,
}

/// Options of an import.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// The values of a wide file are targets (else actuals).
    pub targets: bool,
}

/// Reads `path` (its sheet `sheet`) against `doc`.
pub fn read(doc: &Document, path: &Path, sheet: Option<&str>, opts: Options) -> Result<Import, ImportError> {
    plan(doc, &table::read(path, sheet)?, opts)
}

/// Header words of the long layout, normalised (lower case, ASCII).
const NODE_WORDS: [&str; 6] = ["node", "id", "ノード", "指標", "kpi", "項目"];
const PERIOD_WORDS: [&str; 5] = ["period", "month", "期間", "月", "年月"];
const ACTUAL_WORDS: [&str; 2] = ["actual", "実績"];
const TARGET_WORDS: [&str; 3] = ["target", "目標", "計画"];

/// The changes `table` makes to `doc`, and the rows that fail.
pub fn plan(doc: &Document, table: &Table, opts: Options) -> Result<Import, ImportError> {
    let calendar = Calendar::of(doc.period.as_ref());
    let spans = spans_of(doc, &calendar);
    if spans.is_empty() {
        return Err(ImportError::NoPeriods);
    }
    let Some(header) = table.rows.iter().position(|r| r.iter().any(|c| !c.is_blank())) else {
        return Err(ImportError::NoHeader);
    };
    let words: Vec<String> = table.rows[header].iter().map(|c| normal(&c.text())).collect();
    let column = |set: &[&str]| words.iter().position(|w| set.contains(&w.as_str()));
    let periods = Periods::new(&calendar, &spans);
    let nodes = Nodes::new(doc);
    let mut import =
        Import { layout: Layout::Wide, changes: Vec::new(), unchanged: 0, matched_rows: 0, failures: Vec::new() };
    // Every value read, in order; the same value read twice keeps the later
    // row's, as a spreadsheet's last word would.
    let mut read: Vec<(usize, Label, bool, f64, usize)> = Vec::new();
    let mut at: FxHashMap<(usize, Label, bool), usize> = FxHashMap::default();
    let mut take = |_: &mut Import, node: usize, label: Label, target: bool, new: f64, row: usize| match at
        .get(&(node, label, target))
    {
        Some(&k) => read[k] = (node, label, target, new, row),
        None => {
            at.insert((node, label, target), read.len());
            read.push((node, label, target, new, row));
        }
    };
    match (column(&NODE_WORDS), column(&PERIOD_WORDS), column(&ACTUAL_WORDS), column(&TARGET_WORDS)) {
        (Some(nc), Some(pc), actual, target) if actual.is_some() || target.is_some() => {
            import.layout = Layout::Long;
            for r in header + 1..table.rows.len() {
                let (who, when) = (table.get(r, nc), table.get(r, pc));
                if who.is_blank() && when.is_blank() {
                    continue;
                }
                let row = r + 1;
                let node = match nodes.find(&who.text()) {
                    Ok(n) => n,
                    Err(reason) => {
                        import.failures.push(Failure { row, reason });
                        continue;
                    }
                };
                let label = match periods.of(when) {
                    Ok(l) => l,
                    Err(reason) => {
                        import.failures.push(Failure { row, reason });
                        continue;
                    }
                };
                let mut values = Vec::new();
                let mut bad = None;
                for (col, is_target) in [(actual, false), (target, true)] {
                    let Some(c) = col else { continue };
                    match number(table.get(r, c)) {
                        Ok(Some(x)) => values.push((is_target, x)),
                        Ok(None) => {}
                        Err(text) => bad = Some(Reason::BadNumber(text, table.get(header, c).text())),
                    }
                }
                if let Some(reason) = bad {
                    import.failures.push(Failure { row, reason });
                    continue;
                }
                if !values.is_empty() {
                    import.matched_rows += 1;
                }
                for (is_target, x) in values {
                    take(&mut import, node, label, is_target, x, row);
                }
            }
        }
        _ => {
            // Wide: the first column names the node, every other header a period.
            let mut columns = Vec::new();
            for (c, cell) in table.rows[header].iter().enumerate().skip(1) {
                if cell.is_blank() {
                    continue;
                }
                match periods.of(cell) {
                    Ok(label) => columns.push((c, label)),
                    Err(reason) => import.failures.push(Failure { row: header + 1, reason }),
                }
            }
            if columns.is_empty() && import.failures.is_empty() {
                return Err(ImportError::NoHeader);
            }
            for r in header + 1..table.rows.len() {
                let who = table.get(r, 0);
                if who.is_blank() {
                    continue;
                }
                let row = r + 1;
                let node = match nodes.find(&who.text()) {
                    Ok(n) => n,
                    Err(reason) => {
                        import.failures.push(Failure { row, reason });
                        continue;
                    }
                };
                let mut values = Vec::new();
                let mut bad = None;
                for &(c, label) in &columns {
                    match number(table.get(r, c)) {
                        Ok(Some(x)) => values.push((label, x)),
                        Ok(None) => {}
                        Err(text) => {
                            bad.get_or_insert(Reason::BadNumber(text, label.to_string()));
                        }
                    }
                }
                if let Some(reason) = bad {
                    import.failures.push(Failure { row, reason });
                    continue;
                }
                if !values.is_empty() {
                    import.matched_rows += 1;
                }
                for (label, x) in values {
                    take(&mut import, node, label, opts.targets, x, row);
                }
            }
        }
    }
    for (node, label, target, new, row) in read {
        let n = &doc.nodes[node];
        let entry = n.series.as_ref().and_then(|s| s.get(&label));
        let old = entry.and_then(|e| if target { e.target } else { e.actual });
        if old == Some(new) {
            import.unchanged += 1;
        } else {
            import.changes.push(Change { node: n.id.clone(), label, target, old, new, row });
        }
    }
    Ok(import)
}

/// The edit that applies `import`'s changes to `doc`: each node's series
/// set at once, one undo step.
pub fn edit(doc: &Document, import: &Import) -> Option<Edit> {
    let mut series: FxHashMap<NodeId, Series> = FxHashMap::default();
    for c in &import.changes {
        let s = series
            .entry(c.node.clone())
            .or_insert_with(|| doc.node(&c.node).and_then(|n| n.series.clone()).unwrap_or_default());
        let entry = s.entry(c.label).or_default();
        if c.target {
            entry.target = Some(c.new);
        } else {
            entry.actual = Some(c.new);
        }
    }
    let mut edits: Vec<Edit> = series.into_iter().map(|(id, s)| Edit::SetField(id, Field::Series(Some(s)))).collect();
    edits.sort_by(|a, b| match (a, b) {
        (Edit::SetField(x, _), Edit::SetField(y, _)) => x.as_str().cmp(y.as_str()),
        _ => std::cmp::Ordering::Equal,
    });
    match edits.len() {
        0 => None,
        1 => edits.pop(),
        _ => Some(Edit::Batch(edits)),
    }
}

/// Lower case, full-width ASCII as ASCII, trimmed: header words compare so.
fn normal(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Nodes by id and by exact name.
struct Nodes {
    by_id: FxHashMap<String, usize>,
    by_name: FxHashMap<String, (usize, usize)>,
}

impl Nodes {
    fn new(doc: &Document) -> Nodes {
        let mut by_id = FxHashMap::default();
        let mut by_name: FxHashMap<String, (usize, usize)> = FxHashMap::default();
        for (i, n) in doc.nodes.iter().enumerate() {
            by_id.entry(n.id.as_str().to_owned()).or_insert(i);
            let e = by_name.entry(n.name.trim().to_owned()).or_insert((i, 0));
            e.1 += 1;
        }
        Nodes { by_id, by_name }
    }

    fn find(&self, text: &str) -> Result<usize, Reason> {
        let key = text.trim();
        if let Some(&i) = self.by_id.get(key) {
            return Ok(i);
        }
        match self.by_name.get(key) {
            Some(&(i, 1)) => Ok(i),
            Some(&(_, k)) => Err(Reason::AmbiguousName(key.to_owned(), k)),
            None => Err(Reason::UnknownNode(key.to_owned())),
        }
    }
}

/// The document's periods, to read period cells against.
struct Periods<'a> {
    calendar: &'a Calendar,
    spans: &'a [Span],
}

impl<'a> Periods<'a> {
    fn new(calendar: &'a Calendar, spans: &'a [Span]) -> Periods<'a> {
        Periods { calendar, spans }
    }

    /// The label of the document period a cell names.
    #[allow(clippy::cast_possible_truncation, reason = "a whole number from 1 to 12")]
    fn of(&self, cell: &Cell) -> Result<Label, Reason> {
        let text = cell.text();
        let bad = || Reason::BadPeriod(text.trim().to_owned());
        let month = match cell {
            Cell::Month(m) => *m,
            Cell::Number(x) if x.fract() == 0.0 && (1.0..=12.0).contains(x) => self.month_only(*x as i32)?,
            // A date cell that lost its format: an Excel serial day.
            Cell::Number(x) if x.fract() == 0.0 && (20_000.0..80_000.0).contains(x) => excel_month(*x),
            Cell::Number(_) | Cell::Empty => return Err(bad()),
            Cell::Text(t) => {
                let t = normal(t);
                if let Some(label) = Label::parse(&t.to_uppercase().replace("fy", "FY")) {
                    return self.inside(label, &text);
                }
                match month_of_text(&t) {
                    Some(MonthText::Full(m)) => m,
                    Some(MonthText::Only(m)) => self.month_only(m)?,
                    None => return Err(bad()),
                }
            }
        };
        if self.calendar.granularity != Granularity::Month {
            return Err(Reason::OutsidePeriod(Label::Month(month).to_string()));
        }
        self.inside(Label::Month(month), &text)
    }

    fn inside(&self, label: Label, text: &str) -> Result<Label, Reason> {
        match self.calendar.span(label) {
            Some(span) if self.spans.contains(&span) => Ok(label),
            _ => Err(Reason::OutsidePeriod(text.trim().to_owned())),
        }
    }

    /// A month named without its year (「4月」): the one of the document's
    /// periods, which a fiscal year from April to March places in the right
    /// calendar year.
    fn month_only(&self, month: i32) -> Result<Month, Reason> {
        let found: Vec<Month> = self
            .spans
            .iter()
            .flat_map(|s| s.first..s.first + s.months)
            .filter(|m| m.rem_euclid(12) + 1 == month)
            .collect();
        match found[..] {
            [m] => Ok(m),
            [] => Err(Reason::OutsidePeriod(format!("{month}月"))),
            _ => Err(Reason::BadPeriod(format!("{month}月"))),
        }
    }
}

enum MonthText {
    Full(Month),
    Only(i32),
}

/// `2026-04`, `2026/4`, `2026.4`, `2026年4月`, `2026-04-01`, `2026/4/1`, or
/// a month alone: `4`, `4月`, `04`.
fn month_of_text(t: &str) -> Option<MonthText> {
    let numbers: Vec<&str> = t.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).collect();
    let rest_ok = t.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | '/' | '.' | '年' | '月' | '日' | ' '));
    if !rest_ok {
        return None;
    }
    match numbers[..] {
        [y, m, ..] if y.len() == 4 => {
            let (y, m): (i32, i32) = (y.parse().ok()?, m.parse().ok()?);
            ((1..=12).contains(&m) && y >= 1).then_some(MonthText::Full(y * 12 + m - 1))
        }
        [m] if m.len() <= 2 => {
            let m: i32 = m.parse().ok()?;
            (1..=12).contains(&m).then_some(MonthText::Only(m))
        }
        _ => None,
    }
}

/// The month of an Excel serial day (1900 date system).
#[allow(clippy::cast_possible_truncation, reason = "saturates; the date is clamped to the years 1-9999")]
fn excel_month(serial: f64) -> Month {
    // Serial 25569 is 1970-01-01.
    let days = serial as i64 - 25_569;
    let d = crate::model::Date::from_days_since_epoch(days);
    crate::model::period::month_of(d)
}

/// A value cell: numbers with thousands separators, full-width digits, a
/// trailing `%`, and negatives as `-`, `△`, `▲` or `(…)` as Japanese ledgers
/// print them. `Ok(None)` for an empty cell; `Err` with the cell's text when
/// it is no number.
pub fn number(cell: &Cell) -> Result<Option<f64>, String> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(x) => return Ok(Some(*x)),
        Cell::Month(_) => return Err(cell.text()),
        Cell::Text(t) => t.trim(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    let bad = || text.to_owned();
    let mut t = text.trim_end_matches(['%', '％']).trim();
    let mut negative = false;
    for mark in ['△', '▲'] {
        if let Some(rest) = t.strip_prefix(mark) {
            t = rest.trim_start();
            negative = true;
        }
    }
    if let Some(inner) = t
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .or_else(|| t.strip_prefix('（').and_then(|r| r.strip_suffix('）')))
    {
        t = inner.trim();
        negative = !negative;
    }
    let x = crate::model::number::parse_number(t).map_err(|_| bad())?.ok_or_else(bad)?;
    Ok(Some(if negative { -x } else { x }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ledger_numbers_read_as_people_write_them() {
        let read = |t: &str| number(&Cell::Text(t.into()));
        assert_eq!(read("1,234"), Ok(Some(1234.0)));
        assert_eq!(read("１２，３４５"), Ok(Some(12345.0)));
        assert_eq!(read("△1,200"), Ok(Some(-1200.0)));
        assert_eq!(read("▲ 5"), Ok(Some(-5.0)));
        assert_eq!(read("(300)"), Ok(Some(-300.0)));
        assert_eq!(read("（３００）"), Ok(Some(-300.0)));
        assert_eq!(read("25%"), Ok(Some(25.0)));
        assert_eq!(read(""), Ok(None));
        assert_eq!(read("abc"), Err("abc".to_owned()));
    }

    #[test]
    fn period_texts_name_a_month_with_or_without_its_year() {
        let full = |t: &str| match month_of_text(t) {
            Some(MonthText::Full(m)) => Some(Label::Month(m).to_string()),
            _ => None,
        };
        assert_eq!(full("2026/4").as_deref(), Some("2026-04"));
        assert_eq!(full("2026年4月").as_deref(), Some("2026-04"));
        assert_eq!(full("2026-04-01").as_deref(), Some("2026-04"));
        assert!(matches!(month_of_text("4月"), Some(MonthText::Only(4))));
        assert!(month_of_text("合計").is_none());
        assert_eq!(Label::Month(excel_month(46_113.0)).to_string(), "2026-04");
    }
}
