//! A spreadsheet or a CSV file as a grid of cells, whatever wrote it:
//! calamine for xlsx, xls and ods (cached formula results, date cells), the
//! csv crate for CSV in UTF-8 (with or without a byte-order mark), UTF-16
//! with a byte-order mark, or Shift_JIS (CP932) as Excel and Japanese
//! accounting software write it.

use std::borrow::Cow;
use std::path::Path;

use calamine::{Data, Reader};

use super::ImportError;
use crate::model::period::Month;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text as written.
    Text(String),
    /// A number cell of a spreadsheet.
    Number(f64),
    /// A date cell (its month).
    Month(Month),
}

impl Cell {
    /// The cell as text for messages.
    pub fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(x) => crate::model::number::edit_text(*x),
            Cell::Month(m) => crate::model::Label::Month(*m).to_string(),
        }
    }

    /// True for an empty cell or blank text.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// The cells of a file: `rows[r][c]` is row `r + 1`, column `c + 1` as the
/// spreadsheet numbers them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    /// The rows, from the file's first.
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// The cell at row `r`, column `c` (0-based), empty past the edges.
    pub fn get(&self, r: usize, c: usize) -> &Cell {
        self.rows.get(r).and_then(|row| row.get(c)).unwrap_or(&Cell::Empty)
    }
}

/// Reads `path`: a spreadsheet (`xlsx`, `xlsm`, `xls`, `ods`) — its sheet
/// `sheet`, else the first — or CSV (`csv`, `tsv`, `txt`, tab-separated when
/// the first line has tabs and no commas).
pub fn read(path: &Path, sheet: Option<&str>) -> Result<Table, ImportError> {
    let name = path.display().to_string();
    let bytes = crate::io::load::read_bounded(path, &name).map_err(|e| ImportError::Read(e.to_string()))?;
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "ods" => spreadsheet(bytes, sheet, &name),
        "csv" | "tsv" | "txt" => Ok(csv_table(&bytes)),
        _ => Err(ImportError::Format(name)),
    }
}

fn spreadsheet(bytes: Vec<u8>, sheet: Option<&str>, name: &str) -> Result<Table, ImportError> {
    let unreadable = |e: calamine::Error| ImportError::Read(format!("{name}: {e}"));
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(unreadable)?;
    let names = book.sheet_names();
    let wanted = match sheet {
        Some(s) => names.iter().find(|n| n.as_str() == s).cloned().ok_or_else(|| ImportError::NoSheet {
            file: name.to_owned(),
            sheet: s.to_owned(),
            sheets: names.clone(),
        })?,
        None => names.first().cloned().ok_or_else(|| ImportError::Read(format!("{name}: no sheet")))?,
    };
    let range = book.worksheet_range(&wanted).map_err(unreadable)?;
    // A range starts at its first cell that is not empty: place it where the
    // spreadsheet shows it, so that row numbers in messages match.
    let (r0, c0) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let mut rows = vec![Vec::new(); r0];
    for row in range.rows() {
        let mut cells = vec![Cell::Empty; c0];
        cells.extend(row.iter().map(cell));
        rows.push(cells);
    }
    Ok(Table { rows })
}

fn cell(d: &Data) -> Cell {
    match d {
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => Cell::Text(s.clone()),
        Data::Bool(b) => Cell::Text(b.to_string()),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, ..) = dt.to_ymd_hms_milli();
            Cell::Month(i32::from(y) * 12 + i32::from(m) - 1)
        }
        Data::DateTimeIso(s) => Cell::Text(s.clone()),
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(e.to_string()),
        Data::Empty => Cell::Empty,
    }
}

/// Text from bytes: a byte-order mark says the encoding; else UTF-8 when the
/// bytes are valid UTF-8; else Shift_JIS (CP932).
pub fn decode(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0;
    }
    if let Some(text) = encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
        return text;
    }
    encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes).0
}

fn csv_table(bytes: &[u8]) -> Table {
    let text = decode(bytes);
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains('\t') && !first.contains(',') { b'\t' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    // The csv reader skips blank lines: place each record on the line it
    // starts at, so that row numbers match the file's. A record's position
    // is where the reader started looking for it (before the line breaks
    // and blank lines ahead of it).
    let (bytes, mut counted, mut line) = (text.as_bytes(), 0usize, 1usize);
    for record in reader.records() {
        let Ok(record) = record else { continue };
        if let Some(mut at) =
            record.position().map(|p| usize::try_from(p.byte()).unwrap_or(usize::MAX).min(bytes.len()))
        {
            while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
                at += 1;
            }
            line += bytes[counted.min(at)..at].iter().filter(|&&b| b == b'\n').count();
            counted = counted.max(at);
        }
        while rows.len() + 1 < line {
            rows.push(Vec::new());
        }
        rows.push(record.iter().map(|f| if f.is_empty() { Cell::Empty } else { Cell::Text(f.to_owned()) }).collect());
    }
    Table { rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_shift_jis_with_crlf_and_a_blank_line_keeps_its_row_numbers() {
        let text = "ノード,2026-04\r\n顧客数,1,234\r\n\r\n客単価,９０\r\n";
        let (sjis, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
        assert!(!bad);
        let t = csv_table(&sjis);
        assert_eq!(t.get(0, 0), &Cell::Text("ノード".into()));
        assert_eq!(t.get(1, 2), &Cell::Text("234".into()), "an unquoted 1,234 is two fields");
        assert_eq!(t.get(3, 0), &Cell::Text("客単価".into()), "row 4 stays row 4 after a blank line");
    }

    #[test]
    fn utf8_with_a_byte_order_mark_and_tabs() {
        let t = csv_table("\u{feff}node\t2026-04\nA\t5\n".as_bytes());
        assert_eq!(t.get(0, 0), &Cell::Text("node".into()));
        assert_eq!(t.get(1, 1), &Cell::Text("5".into()));
    }
}
