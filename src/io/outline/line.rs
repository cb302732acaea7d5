//! One line of an outline read into its parts: operator, name, unit, kind
//! tag and values, or where the first problem is.

use super::{At, Problem};
use crate::model::{Kind, Op};

/// One line of the outline, read.
#[derive(Debug, Clone, Default)]
pub(super) struct Line {
    /// Where the line is (its first character after the indentation).
    pub(super) at: Option<At>,
    /// The indentation (a spreadsheet: the column).
    pub(super) width: usize,
    pub(super) op: Option<Op>,
    pub(super) name: String,
    pub(super) unit: Option<String>,
    pub(super) tag: Option<Kind>,
    pub(super) target: Option<f64>,
    pub(super) actual: Option<f64>,
    /// `: = 12`: a constant term (× 12 ヶ月).
    pub(super) constant: Option<f64>,
    /// `@name`: this line stands for the node of another line.
    pub(super) reference: bool,
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
pub(super) fn read_line(text: &str) -> Result<Line, (usize, Problem)> {
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
    crate::io::import::number(&crate::io::import::Cell::Text(t.to_owned())).map_err(|_| t.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::outline::parse;

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
        // In a whole tree the constant is a KPI term (not a KSF); that the
        // outline written back is the same text is tested above io, in
        // tests/office.rs.
        let text =
            "# 年間売上\n\n年間売上 (万円): 14,400\n  × 月間売上 (万円/ヶ月): 1,200 / 1,000\n  × 月数 (ヶ月): = 12\n";
        let doc = parse(text).unwrap();
        let months = doc.nodes.iter().find(|n| n.name == "月数").unwrap();
        assert_eq!((months.kind, months.constant, months.target), (Kind::Kpi, Some(12.0), None));
    }

    #[test]
    fn problems_name_the_character_they_start_at() {
        assert_eq!(read_line("× 顧客数 (社): 12O").unwrap_err(), (11, Problem::NotANumber("12O".into())));
        assert_eq!(read_line("× (社): 1").unwrap_err().1, Problem::EmptyName);
        assert_eq!(read_line("a: 1 / 2 / 3").unwrap_err(), (3, Problem::TooManyValues));
    }
}
