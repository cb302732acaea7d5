//! The tree as text: the indented outline `kpitree new --from` reads
//! (Markdown or plain), and a Mermaid flowchart for wikis that draw one.

use std::fmt::Write;

use super::diagram::Links;
use crate::eval::Evaluation;
use crate::lang::Lang;
use crate::model::{Document, Kind, Op};

/// How an outline is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A Markdown list: `- ` before every line, two spaces a level, the
    /// title as a `# heading`.
    Markdown,
    /// Plain text: two spaces a level, the title as a `# heading`.
    Text,
}

/// One line of the walk: the node (document position), its depth, the
/// operator from its parent (none at the top) and whether it was met
/// before (a shared node under its second parent).
struct Visit {
    node: usize,
    depth: usize,
    op: Option<Op>,
    again: bool,
}

/// Every node once where it is first reached, depth first from the goals
/// (as [`Document::depth_first`] reads the tree), and again — as a
/// reference — under each further parent. Iterative: a 100,000-deep chain
/// is fine.
fn walk(doc: &Document) -> Vec<Visit> {
    let links = Links::of(doc);
    let n = doc.nodes.len();
    let mut roots: Vec<usize> = (0..n).filter(|&i| links.parents[i].is_empty()).collect();
    roots.sort_by_key(|&i| (doc.nodes[i].kind != Kind::Kgi, i));
    let mut seen = vec![false; n];
    let mut out = Vec::with_capacity(n);
    let mut stack: Vec<(usize, usize, Option<Op>)> = Vec::new();
    for start in roots.into_iter().chain(0..n) {
        if seen[start] {
            continue;
        }
        stack.push((start, 0, None));
        while let Some((v, depth, op)) = stack.pop() {
            if seen[v] {
                out.push(Visit { node: v, depth, op, again: true });
                continue;
            }
            seen[v] = true;
            out.push(Visit { node: v, depth, op, again: false });
            for &(c, cop) in links.children[v].iter().rev() {
                stack.push((c as usize, depth + 1, Some(cop)));
            }
        }
    }
    out
}

/// The outline of `doc`: the entered values (not the computed ones), so
/// that reading it back gives the same document (ids aside) whenever the
/// grammar can say everything the document says.
pub fn to_outline(doc: &Document, style: Style) -> String {
    let visits = walk(doc);
    let mut names: rustc_hash::FxHashMap<&str, usize> = rustc_hash::FxHashMap::default();
    for node in doc.nodes.iter() {
        *names.entry(node.name.as_str()).or_default() += 1;
    }
    let mut out = String::with_capacity(doc.nodes.len() * 40);
    if let Some(title) = doc.title.as_deref().map(one_line).filter(|t| !t.trim().is_empty()) {
        let _ = writeln!(out, "# {}\n", title.trim());
    }
    // The kind each written line's parent has, to write a tag only where
    // the reader would guess another kind.
    let mut kind_at_depth: Vec<Kind> = Vec::new();
    for v in &visits {
        let node = &doc.nodes[v.node];
        kind_at_depth.truncate(v.depth);
        let indent = "  ".repeat(v.depth);
        out.push_str(&indent);
        if style == Style::Markdown {
            out.push_str("- ");
        }
        if let Some(op) = v.op {
            out.push_str(match (op, style) {
                (Op::Add, Style::Markdown) => "\\+",
                (Op::Add, Style::Text) => "+",
                (Op::Sub, _) => "−",
                (Op::Mul, _) => "×",
                (Op::Div, _) => "÷",
                (Op::Link, _) => "~",
            });
            out.push(' ');
        }
        let unique = names.get(node.name.as_str()).copied() == Some(1);
        if v.again && unique {
            out.push('@');
            out.push_str(&quoted(&node.name));
            out.push('\n');
            kind_at_depth.push(node.kind);
            continue;
        }
        out.push_str(&quoted(&node.name));
        let unit = one_line(node.unit_str());
        if !unit.trim().is_empty() {
            let _ = write!(out, " ({})", unit.trim());
        }
        let guessed = guess_kind(kind_at_depth.last().copied(), v.depth, node);
        if guessed != node.kind {
            let _ = write!(out, " [{}]", node.kind.as_str());
        }
        if let Some(c) = node.constant {
            // A constant term: its one number (target and actual are it).
            out.push_str(": = ");
            out.push_str(&crate::model::number::edit_text(c));
        } else if node.target.is_some() || node.actual.is_some() {
            let number = |x: Option<f64>| x.map_or_else(|| "-".to_owned(), crate::model::number::edit_text);
            out.push_str(": ");
            out.push_str(&number(node.target));
            if node.actual.is_some() {
                out.push_str(" / ");
                out.push_str(&number(node.actual));
            }
        }
        out.push('\n');
        kind_at_depth.push(node.kind);
    }
    out
}

/// The kind the outline reader gives a line without a tag
/// (`io::outline`'s rule): a goal at the top, a KPI under a KPI, a KSF
/// when nothing is measured, else a KPI.
fn guess_kind(parent: Option<Kind>, depth: usize, node: &crate::model::Node) -> Kind {
    match parent {
        None if depth == 0 => Kind::Kgi,
        Some(Kind::Kpi) => Kind::Kpi,
        _ if node.unit_str().trim().is_empty()
            && node.target.is_none()
            && node.actual.is_none()
            && node.constant.is_none() =>
        {
            Kind::Ksf
        }
        _ => Kind::Kpi,
    }
}

/// Line breaks and tabs as spaces: an outline line is one line.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// The name as the reader reads it back: in quotes (a quote doubled) when
/// it could be taken for something else (an operator or bullet at its
/// start, a colon, a unit or a tag at its end, spaces around it).
fn quoted(name: &str) -> String {
    let name = one_line(name);
    let first = name.chars().next();
    let needs = name.is_empty()
        || name.trim() != name
        || name.contains([':', '：'])
        || name.ends_with([')', '）', ']', '］'])
        || first.is_some_and(|c| {
            matches!(
                c,
                '+' | '-'
                    | '*'
                    | '/'
                    | '~'
                    | '＋'
                    | '－'
                    | '−'
                    | '＊'
                    | '／'
                    | '×'
                    | '÷'
                    | '✕'
                    | '～'
                    | '〜'
                    | '@'
                    | '＠'
                    | '"'
                    | '\\'
                    | '#'
                    | '・'
            )
        })
        || name.split_once(['.', ')']).is_some_and(|(digits, rest)| {
            !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && rest.starts_with([' ', '\t'])
        });
    if needs { format!("\"{}\"", name.replace('"', "\"\"")) } else { name }
}

/// Text inside a Mermaid label: its entity codes for the characters that
/// end or break a label.
fn mermaid_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        match c {
            '#' => out.push_str("#35;"),
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid flowchart (`flowchart LR`): a box per node (kind, name,
/// target, actual and 達成率 as the cards show them), an arrow per link
/// with its operator on the label (`link` dashed), coloured by kind.
pub fn to_mermaid(doc: &Document, eval: &Evaluation, lang: Lang) -> String {
    let mut out = String::with_capacity(doc.nodes.len() * 120);
    if let Some(title) = doc.title.as_deref().filter(|t| !t.trim().is_empty()) {
        // Front matter: YAML, so the title is a quoted string.
        let title = one_line(title).replace('\\', "\\\\").replace('"', "\\\"");
        let _ = writeln!(out, "---\ntitle: \"{}\"\n---", title.trim());
    }
    out.push_str("flowchart LR\n");
    let links = Links::of(doc);
    for (i, node) in doc.nodes.iter().enumerate() {
        let name = if node.name.trim().is_empty() { lang.pick("(名前なし)", "(no name)") } else { &node.name };
        let mut label = format!("{}<br/><b>{}</b>", node.kind.as_str(), mermaid_text(name));
        if let Some(v) = eval.values().get(i).filter(|v| v.target.is_some() || v.actual.is_some()) {
            let target = crate::format::format_amount_or_dash(
                v.target,
                eval.shown_unit(node, crate::eval::Which::Target),
                false,
            );
            let actual = crate::format::format_amount_or_dash(
                v.actual,
                eval.shown_unit(node, crate::eval::Which::Actual),
                false,
            );
            let _ = write!(
                label,
                "<br/>{} {}<br/>{} {}",
                lang.pick("目標", "Target"),
                mermaid_text(&target),
                lang.pick("実績", "Actual"),
                mermaid_text(&actual)
            );
            if let Some(p) = v.progress {
                let _ = write!(label, " ({})", mermaid_text(&crate::format::percent(p, 0)));
            }
        }
        let class = node.kind.as_str().to_ascii_lowercase();
        let _ = writeln!(out, "  n{i}[\"{label}\"]:::{class}");
    }
    for (p, children) in links.children.iter().enumerate() {
        for &(c, op) in children {
            if op == Op::Link {
                let _ = writeln!(out, "  n{p} -.-> n{c}");
            } else {
                let _ = writeln!(out, "  n{p} -->|\"{}\"| n{c}", op.symbol());
            }
        }
    }
    for kind in Kind::ALL {
        let (fill, stroke) =
            (super::palette::hex(super::palette::slide_fill(kind)), super::palette::hex(super::palette::kind(kind)));
        let ink = super::palette::hex(super::palette::INK);
        let _ =
            writeln!(out, "  classDef {} fill:{fill},stroke:{stroke},color:{ink}", kind.as_str().to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_would_read_as_something_else_are_quoted() {
        assert_eq!(quoted("売上"), "売上");
        assert_eq!(quoted("売上: 国内"), "\"売上: 国内\"");
        assert_eq!(quoted("-費用"), "\"-費用\"");
        assert_eq!(quoted("粗利 (税抜)"), "\"粗利 (税抜)\"");
        assert_eq!(quoted("1. 施策"), "\"1. 施策\"");
        assert_eq!(quoted("say \"hi\""), "say \"hi\"");
        assert_eq!(quoted("\"q\""), "\"\"\"q\"\"\"");
        assert_eq!(quoted("2025年度"), "2025年度");
    }

    #[test]
    fn mermaid_labels_never_end_early() {
        assert_eq!(mermaid_text("a\"b<c>#&"), "a#quot;b#lt;c#gt;#35;#amp;");
    }
}
