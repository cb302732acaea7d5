//! Outlines in: a tree typed as an indented list (a mail, a Word or
//! Markdown list, a spreadsheet with one column per level) made into a
//! document — `kpitree new --from`, and text pasted onto the canvas.
//!
//! One node a line (docs/FORMAT.md, "Outlines"):
//! `[operator] name [(unit)] [[KSF]] [: target [/ actual] | : = constant]`, children
//! indented under their parent. The whole text is read before anything is
//! made: any line that cannot be read fails the whole outline, and every
//! such line is reported with its line and column.
//!
//! This file reads the lines of a text or a spreadsheet; `line` reads one
//! line's parts, `build` makes the document from the lines read, and
//! `error` says what is wrong and where.

mod build;
mod error;
mod line;

use std::path::Path;

pub use error::{At, OutlineError, OutlineErrors, Problem, ReadError, column_name};

use crate::model::Document;
use build::finish;
use line::read_line;

/// The most problems one outline reports (the first ones, in line order).
pub const MAX_REPORTED: usize = 50;

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
