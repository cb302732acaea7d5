//! The tree as an Excel workbook whose numbers are live: every computed
//! target, actual and 達成率 is a formula over its terms' cells, written
//! with kpitree's value as the cached result (LibreOffice and previews show
//! the cache; Excel recalculates on open). Changing a leaf in Excel
//! recomputes the whole tree exactly as kpitree would.
//!
//! Sheets: 「ツリー」 (one row per node, depth first, outlined), 「診断」 (the
//! diagnostics) and, for a document with periods, 「月次」 (node rows ×
//! period columns, computed nodes again as formulas, with 累計 and 通期
//! roll-ups). Every formula follows the evaluator's rules (docs/FORMAT.md,
//! "Meaning" and "Periods"): the same precedence ([`crate::model::walk`]),
//! the same unit scales (`eval::Calc`), an entered target winning
//! over the computed one, a computed actual over the entered one, and a
//! missing term, a division by zero or an overflow leaving the entered value.
//!
//! This file plans the workbook (rows, units, roll-ups) and writes it;
//! `formula` writes the cell references and formulas, and each sheet has
//! its own submodule (`tree`, `month`, `diagnostics`).

use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Url, Workbook,
    Worksheet, XlsxError,
};

use super::ExportError;

mod diagnostics;
mod formula;
mod month;
mod tree;

use super::diagram::Links;
use crate::eval::{Calc, Evaluation, Severity, evaluate_with_calc};
use crate::lang::Lang;
use crate::model::{Aggregate, Direction, Document, Kind, Op, Step, walk};
use diagnostics::diagnostics_sheet;
use formula::{Refs, literal};
use month::month_sheet;
use tree::tree_sheet;

/// The most rows a worksheet has (Excel's limit), header included.
pub const MAX_ROWS: usize = 1_048_576;
/// The longest formula Excel accepts, in characters.
pub const MAX_FORMULA: usize = 8_192;
/// The longest text a cell holds (Excel's limit, UTF-16 units).
const MAX_CELL_TEXT: usize = 32_767;
/// Outline levels Excel has.
const MAX_LEVEL: usize = 7;
/// Arguments of one Excel function.
const MAX_ARGS: usize = 255;

/// Columns of the tree sheet.
mod col {
    pub const ID: u16 = 0;
    pub const KIND: u16 = 1;
    pub const NAME: u16 = 2;
    pub const UNIT: u16 = 3;
    pub const OP: u16 = 4;
    pub const PARENT: u16 = 5;
    pub const TARGET: u16 = 6;
    pub const ACTUAL: u16 = 7;
    pub const PROGRESS: u16 = 8;
    pub const OWNER: u16 = 9;
    pub const DEADLINE: u16 = 10;
    pub const INDICATOR: u16 = 11;
    pub const NOTE: u16 = 12;
    pub const DIRECTION: u16 = 13;
}

/// The names of the sheets in `lang`: tree, diagnostics, monthly.
pub fn sheet_names(lang: Lang) -> [&'static str; 3] {
    match lang {
        Lang::Ja => ["ツリー", "診断", "月次"],
        Lang::En => ["Tree", "Diagnostics", "Monthly"],
    }
}

/// The header of the tree sheet in `lang`, column by column.
pub fn tree_header(lang: Lang) -> [&'static str; 14] {
    match lang {
        Lang::Ja => [
            "ID",
            "種別",
            "名前",
            "単位",
            "演算子",
            "親",
            "目標",
            "実績",
            "達成率",
            "担当",
            "期限",
            "指標の種類",
            "メモ",
            "向き",
        ],
        Lang::En => [
            "ID",
            "Kind",
            "Name",
            "Unit",
            "Operator",
            "Parent",
            "Target",
            "Actual",
            "Progress",
            "Owner",
            "Deadline",
            "Indicator",
            "Note",
            "Direction",
        ],
    }
}

/// Which sheet a cell is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sheet {
    Tree,
    Month,
}

/// A cell a formula reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cell {
    sheet: Sheet,
    row: u32,
    col: u16,
}

/// A term of an expression: its operator, its cell, and the scale of the
/// unit its value is in (base = value × scale).
#[derive(Debug, Clone, Copy)]
struct Term {
    op: Op,
    cell: Cell,
    scale: f64,
}

/// A number as a cached result (`<v>`).
fn cached(x: Option<f64>) -> String {
    x.filter(|v| v.is_finite()).map_or_else(String::new, literal)
}

/// Text a cell can hold: controls XML forbids as spaces, at most Excel's
/// length (cut with 「…」).
fn cell_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_CELL_TEXT * 3));
    let mut units = 0;
    for c in text.chars() {
        units += c.len_utf16();
        if units > MAX_CELL_TEXT - 1 {
            out.push('…');
            break;
        }
        out.push(if c.is_control() && !matches!(c, '\t' | '\n' | '\r') { ' ' } else { c });
    }
    out
}

/// A number format for `values` with their unit shown after them, as many
/// decimals as they need (at most four).
fn number_format(values: &[Option<f64>], unit: &str) -> String {
    let decimals = values
        .iter()
        .flatten()
        .map(|v| {
            let text = format!("{:.4}", v.abs());
            text.split_once('.').map_or(0, |(_, f)| f.trim_end_matches('0').len())
        })
        .max()
        .unwrap_or(0);
    let mut format = if decimals == 0 { "#,##0".to_owned() } else { format!("#,##0.{}", "0".repeat(decimals)) };
    let unit: String = unit.chars().filter(|c| *c != '"' && !c.is_control()).take(40).collect();
    if !unit.trim().is_empty() {
        format.push_str(&format!("\" {}\"", unit.trim()));
    }
    format
}

/// The depth-first order of the tree (each node once, where first
/// reached) with depths; the nodes no goal reaches come last.
fn order(doc: &Document, links: &Links) -> Vec<(usize, usize)> {
    let n = doc.nodes.len();
    let mut roots: Vec<usize> = (0..n).filter(|&i| links.parents[i].is_empty()).collect();
    roots.sort_by_key(|&i| (doc.nodes[i].kind != Kind::Kgi, i));
    let mut seen = vec![false; n];
    let mut out = Vec::with_capacity(n);
    let mut stack = Vec::new();
    for start in roots.into_iter().chain(0..n) {
        stack.push((start, 0usize));
        while let Some((v, depth)) = stack.pop() {
            if std::mem::replace(&mut seen[v], true) {
                continue;
            }
            out.push((v, depth));
            stack.extend(links.children[v].iter().rev().map(|&(c, _)| (c as usize, depth + 1)));
        }
    }
    out
}

/// Everything the sheets need to know about the document.
struct Plan<'a> {
    doc: &'a Document,
    eval: Evaluation,
    calc: Calc,
    links: Links,
    lang: Lang,
    refs: Refs,
    order: Vec<(usize, usize)>,
    /// Row of each node on the tree sheet.
    tree_row: Vec<u32>,
    /// Row of each node on the monthly sheet (`u32::MAX`: none).
    month_row: Vec<u32>,
    /// Computed from terms (has arithmetic terms and is on no cycle).
    computed: Vec<bool>,
    /// The unit scale of each node's values per period.
    period_scale: Vec<f64>,
    /// How each node's periods roll up.
    aggregate: Vec<Aggregate>,
    /// Cells written as values because their formula would be too long.
    too_long: Vec<(usize, &'static str)>,
}

impl Plan<'_> {
    fn terms(&self, m: usize) -> Vec<(Op, usize)> {
        self.calc.graph.terms(m).map(|l| (l.op, l.child as usize)).collect()
    }

    fn tree_cell(&self, node: usize, which: usize) -> Cell {
        Cell { sheet: Sheet::Tree, row: self.tree_row[node], col: if which == 0 { col::TARGET } else { col::ACTUAL } }
    }

    fn periods(&self) -> Option<&crate::eval::period::PeriodTable> {
        self.eval.periods().filter(|t| !t.is_empty())
    }

    /// Column of period `p` (`P` = 累計, `P + 1` = 通期) of `which` on the
    /// monthly sheet.
    fn month_col(&self, which: usize, p: usize) -> u16 {
        let n = self.periods().map_or(0, |t| t.len());
        // Past u16 (years of months), a column the workbook refuses, not a wrapped one.
        u16::try_from(4 + which * (n + 2) + p).unwrap_or(u16::MAX)
    }

    fn month_cell(&self, node: usize, which: usize, p: usize) -> Cell {
        Cell { sheet: Sheet::Month, row: self.month_row[node], col: self.month_col(which, p) }
    }

    /// A formula, or — past Excel's length — its value, noted for the
    /// diagnostics sheet.
    fn formula_or_value(&mut self, node: usize, what: &'static str, formula: String, value: Option<f64>) -> Written {
        if formula.chars().count() + 1 > MAX_FORMULA {
            self.too_long.push((node, what));
            return Written::Value(value);
        }
        Written::Formula(formula, value)
    }
}

/// What goes into a value cell.
enum Written {
    Value(Option<f64>),
    Formula(String, Option<f64>),
}

fn write_value(ws: &mut Worksheet, row: u32, col: u16, w: Written, format: &Format) -> Result<(), XlsxError> {
    match w {
        Written::Value(Some(x)) => {
            ws.write_number_with_format(row, col, x, format)?;
        }
        Written::Value(None) => {
            ws.write_blank(row, col, format)?;
        }
        Written::Formula(f, v) => {
            ws.write_formula_with_format(row, col, Formula::new(format!("={f}")).set_result(cached(v)), format)?;
        }
    }
    Ok(())
}

fn xlsx_error(e: XlsxError) -> ExportError {
    ExportError::Render(format!("the workbook could not be written: {e}"))
}

/// The workbook of `doc` (evaluated here, with the evaluator's units), as
/// the bytes of an `.xlsx` file; labels and sheet names in `lang`.
#[allow(clippy::cast_possible_truncation, reason = "rows of the tree sheet, one per node")]
pub fn to_xlsx(doc: &Document, lang: Lang) -> Result<Vec<u8>, ExportError> {
    if doc.nodes.len() + 1 > MAX_ROWS {
        return Err(ExportError::Render(format!(
            "the document has {} nodes; an Excel sheet has at most {} rows",
            doc.nodes.len(),
            MAX_ROWS - 1
        )));
    }
    let (eval, calc) = evaluate_with_calc(doc);
    let links = Links::of(doc);
    let n = doc.nodes.len();
    let order = order(doc, &links);
    let mut tree_row = vec![0u32; n];
    for (r, &(node, _)) in order.iter().enumerate() {
        tree_row[node] = r as u32 + 1;
    }
    let computed: Vec<bool> = (0..n).map(|m| calc.graph.terms(m).next().is_some() && !calc.cyclic(m)).collect();
    let period_scale: Vec<f64> =
        (0..n).map(|m| if computed[m] { calc.out_scale[m] } else { calc.in_scale[m] }).collect();
    let aggregate: Vec<Aggregate> = (0..n)
        .map(|m| {
            let node = &doc.nodes[m];
            let has_terms = calc.graph.terms(m).next().is_some();
            match node.aggregate {
                _ if node.constant.is_some() && !has_terms => Aggregate::Last,
                Some(a) => a,
                None => Aggregate::default_for(node.unit_str(), has_terms),
            }
        })
        .collect();
    let mut month_row = vec![u32::MAX; n];
    if let Some(t) = eval.periods().filter(|t| !t.is_empty()) {
        let mut r = 2u32;
        for &(node, _) in &order {
            if t.has(node) {
                month_row[node] = r;
                r += 1;
            }
        }
    }
    let mut plan = Plan {
        doc,
        eval,
        calc,
        links,
        lang,
        refs: Refs { names: sheet_names(lang) },
        order,
        tree_row,
        month_row,
        computed,
        period_scale,
        aggregate,
        too_long: Vec::new(),
    };
    let mut wb = Workbook::new();
    // Sheets are written in order; the monthly sheet comes before the
    // diagnostics so that formulas that fall back to values are listed.
    let mut tree = Worksheet::new();
    tree_sheet(&mut plan, &mut tree).map_err(xlsx_error)?;
    let month = if plan.periods().is_some() {
        let mut ws = Worksheet::new();
        month_sheet(&mut plan, &mut ws).map_err(xlsx_error)?;
        Some(ws)
    } else {
        None
    };
    let mut diag = Worksheet::new();
    diagnostics_sheet(&plan, &mut diag).map_err(xlsx_error)?;
    wb.push_worksheet(tree);
    wb.push_worksheet(diag);
    if let Some(ws) = month {
        wb.push_worksheet(ws);
    }
    let title = doc.title.as_deref().map(cell_text).unwrap_or_else(|| lang.pick("KPIツリー", "KPI tree").to_owned());
    let props = rust_xlsxwriter::DocProperties::new().set_title(&title).set_author("kpitree");
    wb.set_properties(&props);
    wb.save_to_buffer().map_err(xlsx_error)
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE6E9EE))
        .set_border_bottom(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_formats_show_as_many_decimals_as_needed_and_the_unit() {
        assert_eq!(number_format(&[Some(12000.0), Some(7200.0)], "万円"), "#,##0\" 万円\"");
        assert_eq!(number_format(&[Some(2.5), None], "%"), "#,##0.0\" %\"");
        assert_eq!(number_format(&[Some(1.0 / 3.0)], ""), "#,##0.0000");
    }
}
