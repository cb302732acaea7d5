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

use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Url, Workbook,
    Worksheet, XlsxError,
};

use super::ExportError;

mod diagnostics;
mod month;

use super::diagram::Links;
use crate::eval::{Calc, Evaluation, Severity, evaluate_with_calc};
use crate::lang::Lang;
use crate::model::{Aggregate, Direction, Document, Kind, Op, Step, walk};
use diagnostics::diagnostics_sheet;
use month::month_sheet;

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

/// Writes cell references and formulas for one workbook.
struct Refs {
    names: [&'static str; 3],
}

impl Refs {
    fn cell(&self, c: Cell, from: Sheet) -> String {
        let a1 = rust_xlsxwriter::utility::row_col_to_cell(c.row, c.col);
        if c.sheet == from { a1 } else { format!("{}!{a1}", self.prefix(c.sheet)) }
    }

    fn range(&self, first: Cell, last: Cell, from: Sheet) -> String {
        if first == last {
            return self.cell(first, from);
        }
        let a = rust_xlsxwriter::utility::row_col_to_cell(first.row, first.col);
        let b = rust_xlsxwriter::utility::row_col_to_cell(last.row, last.col);
        if first.sheet == from { format!("{a}:{b}") } else { format!("{}!{a}:{b}", self.prefix(first.sheet)) }
    }

    fn prefix(&self, sheet: Sheet) -> String {
        let name = match sheet {
            Sheet::Tree => self.names[0],
            Sheet::Month => self.names[2],
        };
        format!("'{}'", name.replace('\'', "''"))
    }

    /// Cells as few arguments as can be: runs of cells down one column
    /// become ranges.
    fn runs(&self, cells: &[Cell], from: Sheet) -> Vec<String> {
        let mut out = Vec::new();
        let mut k = 0;
        while k < cells.len() {
            let first = cells[k];
            let mut last = first;
            while k + 1 < cells.len() {
                let next = cells[k + 1];
                if next.sheet == last.sheet && next.col == last.col && next.row == last.row + 1 {
                    last = next;
                    k += 1;
                } else {
                    break;
                }
            }
            out.push(self.range(first, last, from));
            k += 1;
        }
        out
    }

    /// `COUNT(…)`, split into calls of at most 255 arguments.
    fn count(&self, cells: &[Cell], from: Sheet) -> String {
        let args = self.runs(cells, from);
        let calls: Vec<String> = args.chunks(MAX_ARGS).map(|c| format!("COUNT({})", c.join(","))).collect();
        calls.join("+")
    }

    /// The expression `op1 c1 op2 c2 …` over the terms' cells with kpitree's
    /// precedence, every additive group times the scale that turns its
    /// terms' units into the unit `out` (e.g. `E5*E6/10000` for 円 × 件 as
    /// 万円). Runs of added single cells down one column become `SUM`.
    fn expression(&self, terms: &[Term], out: f64, from: Sheet) -> String {
        struct Group {
            negative: bool,
            inverted: bool,
            factors: Vec<(bool, Term)>,
        }
        let mut groups: Vec<Group> = Vec::new();
        walk(terms.iter().map(|t| (t.op, *t)), |step, t| match step {
            Step::Start { negative, inverted } => {
                groups.push(Group { negative, inverted, factors: vec![(false, t)] });
            }
            Step::Factor { divides } => {
                if let Some(g) = groups.last_mut() {
                    g.factors.push((divides, t));
                }
            }
        });
        let scale_of = |g: &Group| {
            let (mut num, mut den) = (1.0, out);
            for (k, (divides, t)) in g.factors.iter().enumerate() {
                let divides = if k == 0 { g.inverted } else { *divides };
                if divides {
                    den *= t.scale;
                } else {
                    num *= t.scale;
                }
            }
            num / den
        };
        let mut text = String::new();
        let mut k = 0;
        while k < groups.len() {
            let g = &groups[k];
            let scale = scale_of(g);
            let sign = if g.negative {
                "-"
            } else if k > 0 {
                "+"
            } else {
                ""
            };
            // A run of single cells added alike, down one column: SUM.
            let single = |g: &Group| g.factors.len() == 1 && !g.inverted;
            let mut end = k;
            if single(g) {
                while end + 1 < groups.len() {
                    let (a, b) = (&groups[end], &groups[end + 1]);
                    let (ca, cb) = (a.factors[0].1.cell, b.factors[0].1.cell);
                    if single(b)
                        && b.negative == g.negative
                        && scale_of(b) == scale
                        && cb.sheet == ca.sheet
                        && cb.col == ca.col
                        && cb.row == ca.row + 1
                    {
                        end += 1;
                    } else {
                        break;
                    }
                }
            }
            text.push_str(sign);
            if end >= k + 2 {
                let (first, last) = (groups[k].factors[0].1.cell, groups[end].factors[0].1.cell);
                text.push_str(&format!("SUM({})", self.range(first, last, from)));
                k = end + 1;
            } else {
                for (j, (divides, t)) in g.factors.iter().enumerate() {
                    if j == 0 {
                        if g.inverted {
                            text.push_str("1/");
                        }
                    } else {
                        text.push(if *divides { '/' } else { '*' });
                    }
                    text.push_str(&self.cell(t.cell, from));
                }
                k += 1;
            }
            text.push_str(&scale_text(scale));
        }
        text
    }

    /// The computed value with its guards: the expression when every term
    /// has a number (`COUNT`), else — and on any error (÷ 0, overflow) —
    /// `fallback` (a number, or nothing).
    fn guarded(&self, terms: &[Term], out: f64, fallback: Option<f64>, from: Sheet) -> String {
        let cells: Vec<Cell> = terms.iter().map(|t| t.cell).collect();
        let fb = fallback.map_or_else(|| "\"\"".to_owned(), literal);
        format!(
            "IF({}={},IFERROR({},{fb}),{fb})",
            self.count(&cells, from),
            terms.len(),
            self.expression(terms, out, from)
        )
    }
}

/// `*k` or `/n` for a scale, nothing for 1.
fn scale_text(k: f64) -> String {
    if k == 1.0 || !k.is_finite() || k == 0.0 {
        return String::new();
    }
    let inv = 1.0 / k;
    if (1.0..1e15).contains(&inv) && (inv - inv.round()).abs() <= 1e-9 * inv {
        format!("/{}", literal(inv.round()))
    } else {
        format!("*{}", literal(k))
    }
}

/// A number as a formula writes it (`1E-20` rather than twenty zeros).
fn literal(x: f64) -> String {
    let abs = x.abs();
    if x == 0.0 || (1e-5..1e15).contains(&abs) { format!("{x}") } else { format!("{x:E}") }
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

/// The ops and parents of every node, by parent in document order.
#[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
fn parents_of(links: &Links) -> Vec<Vec<(u32, Op)>> {
    let mut out: Vec<Vec<(u32, Op)>> = vec![Vec::new(); links.children.len()];
    for (p, children) in links.children.iter().enumerate() {
        for &(c, op) in children {
            out[c as usize].push((p as u32, op));
        }
    }
    out
}

fn op_text(op: Op, lang: Lang) -> &'static str {
    match op {
        Op::Link => lang.pick("リンク", "link"),
        other => other.symbol(),
    }
}

/// Display width of a text in character cells (a CJK character is two).
fn text_width(text: &str) -> usize {
    text.chars().take(200).map(|c| if (c as u32) < 0x1100 { 1 } else { 2 }).sum()
}

#[allow(clippy::cast_possible_truncation, reason = "tree sheet rows (one a node), header columns")]
fn tree_sheet(plan: &mut Plan<'_>, ws: &mut Worksheet) -> Result<(), XlsxError> {
    let lang = plan.lang;
    let doc = plan.doc;
    ws.set_name(plan.refs.names[0])?;
    // A formula without a value caches nothing (the writer's default is 0).
    ws.set_formula_result_default("");
    let header = header_format();
    for (c, h) in tree_header(lang).iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &header)?;
    }
    let parents = parents_of(&plan.links);
    let indents: Vec<Format> = (0..=15u8).map(|d| Format::new().set_indent(d)).collect();
    let kind_formats: Vec<Format> = Kind::ALL
        .iter()
        .map(|&k| {
            let [r, g, b] = super::palette::kind(k);
            Format::new().set_bold().set_font_color(Color::RGB(u32::from_be_bytes([0, r, g, b])))
        })
        .collect();
    let percent = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("yyyy/mm/dd");
    let wrap = Format::new().set_text_wrap();
    let mut name_width = 12;
    let order = std::mem::take(&mut plan.order);
    for &(m, depth) in &order {
        let node = &doc.nodes[m];
        let row = plan.tree_row[m];
        let v = plan.eval.values()[m];
        ws.write_string(row, col::ID, cell_text(node.id.as_str()))?;
        let k = Kind::ALL.iter().position(|&k| k == node.kind).unwrap_or(2);
        ws.write_string_with_format(row, col::KIND, node.kind.as_str(), &kind_formats[k])?;
        let name = cell_text(&node.name);
        name_width = name_width.max((depth.min(15) * 2 + text_width(&name)).min(60));
        ws.write_string_with_format(row, col::NAME, &name, &indents[depth.min(15)])?;
        if !node.unit_str().is_empty() {
            ws.write_string(row, col::UNIT, cell_text(node.unit_str()))?;
        }
        if !parents[m].is_empty() {
            let ops: Vec<&str> = parents[m].iter().map(|&(_, op)| op_text(op, lang)).collect();
            let ids: Vec<&str> = parents[m].iter().map(|&(p, _)| doc.nodes[p as usize].id.as_str()).collect();
            ws.write_string(row, col::OP, cell_text(&ops.join(", ")))?;
            ws.write_string(row, col::PARENT, cell_text(&ids.join(", ")))?;
        }
        let shown = [
            plan.eval.shown_unit(node, crate::eval::Which::Target).to_owned(),
            plan.eval.shown_unit(node, crate::eval::Which::Actual).to_owned(),
        ];
        let values = [v.target, v.actual];
        for (which, unit) in shown.iter().enumerate() {
            let format = Format::new().set_num_format(number_format(&values, unit));
            let written = tree_value(plan, m, which);
            write_value(ws, row, if which == 0 { col::TARGET } else { col::ACTUAL }, written, &format)?;
        }
        if node.constant.is_some() && !plan.computed[m] && plan.calc.graph.terms(m).next().is_none() {
            ws.write_blank(row, col::PROGRESS, &percent)?;
        } else {
            let (t, a) = (
                rust_xlsxwriter::utility::row_col_to_cell(row, col::TARGET),
                rust_xlsxwriter::utility::row_col_to_cell(row, col::ACTUAL),
            );
            let (num, den) = if node.direction() == Direction::Down { (&t, &a) } else { (&a, &t) };
            let f = format!("=IF(AND(ISNUMBER({t}),ISNUMBER({a})),IF({den}=0,\"\",IFERROR({num}/{den},\"\")),\"\")");
            ws.write_formula_with_format(row, col::PROGRESS, Formula::new(f).set_result(cached(v.progress)), &percent)?;
        }
        if let Some(owner) = &node.owner {
            ws.write_string(row, col::OWNER, cell_text(owner))?;
        }
        if let Some(d) = node.deadline
            && let Ok(dt) = ExcelDateTime::from_ymd(d.year, d.month, d.day)
        {
            ws.write_datetime_with_format(row, col::DEADLINE, dt, &date)?;
        }
        if let Some(ind) = node.indicator {
            let text = match ind {
                crate::model::Indicator::Leading => lang.pick("先行", "leading"),
                crate::model::Indicator::Lagging => lang.pick("遅行", "lagging"),
            };
            ws.write_string(row, col::INDICATOR, text)?;
        }
        if let Some(note) = &node.note {
            ws.write_string_with_format(row, col::NOTE, cell_text(note), &wrap)?;
        }
        let direction = match node.direction() {
            Direction::Up => lang.pick("高いほど良い", "higher is better"),
            Direction::Down => lang.pick("低いほど良い", "lower is better"),
        };
        ws.write_string(row, col::DIRECTION, direction)?;
    }
    let last = order.len() as u32;
    // Outline: each row one level per depth (Excel has seven), the +/−
    // button on the parent's row above its children.
    ws.group_symbols_above(true);
    for level in 1..=MAX_LEVEL {
        let mut start: Option<usize> = None;
        for (k, &(_, depth)) in order.iter().enumerate() {
            match (depth >= level, start) {
                (true, None) => start = Some(k),
                (false, Some(s)) => {
                    ws.group_rows(s as u32 + 1, k as u32)?;
                    start = None;
                }
                _ => {}
            }
        }
        if let Some(s) = start {
            ws.group_rows(s as u32 + 1, order.len() as u32)?;
        }
    }
    plan.order = order;
    if last > 0 {
        // 達成率 coloured as the canvas colours progress bars.
        let first = rust_xlsxwriter::utility::row_col_to_cell(1, col::PROGRESS);
        let rules = [
            (format!("=AND(ISNUMBER({first}),{first}>=1)"), 0x2EA043u32, 0xE3F4E7u32),
            (format!("=AND(ISNUMBER({first}),{first}>=0.8)"), 0xB07C05, 0xFDF3DA),
            (format!("=ISNUMBER({first})"), 0xD2433A, 0xFBE5E3),
        ];
        for (rule, font, fill) in rules {
            let format =
                Format::new().set_font_color(Color::RGB(font)).set_background_color(Color::RGB(fill)).set_bold();
            let cf = ConditionalFormatFormula::new().set_rule(rule.as_str()).set_format(format).set_stop_if_true(true);
            ws.add_conditional_format(1, col::PROGRESS, last, col::PROGRESS, &cf)?;
        }
        ws.autofilter(0, 0, last, col::DIRECTION)?;
    }
    ws.set_freeze_panes(1, 3)?;
    let widths = [12.0, 6.0, name_width as f64 + 2.0, 10.0, 8.0, 12.0, 14.0, 14.0, 9.0, 12.0, 11.0, 10.0, 30.0, 12.0];
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    Ok(())
}

/// The target (`which` 0) or actual (1) cell of node `m` on the tree sheet.
fn tree_value(plan: &mut Plan<'_>, m: usize, which: usize) -> Written {
    let node = &plan.doc.nodes[m];
    let v = plan.eval.values()[m];
    let value = if which == 0 { v.target } else { v.actual };
    let entered = if which == 0 { node.target } else { node.actual };
    let has_terms = plan.calc.graph.terms(m).next().is_some();
    let full = plan.month_row[m] != u32::MAX;
    if !plan.computed[m] {
        // A constant (of a node without terms), the entered value, else
        // the roll-up of its periods.
        if let Some(c) = node.constant.filter(|_| !has_terms) {
            return Written::Value(Some(c));
        }
        if entered.is_some() || !full {
            return Written::Value(entered);
        }
        let from = plan.refs.cell(plan.month_cell(m, which, plan.periods().map_or(0, |t| t.len()) + 1), Sheet::Tree);
        return Written::Formula(format!("IF(ISNUMBER({from}),{from},\"\")"), value);
    }
    if which == 0 && node.target.is_some() {
        return Written::Value(node.target);
    }
    let terms: Vec<Term> = plan
        .terms(m)
        .into_iter()
        .map(|(op, c)| Term { op, cell: plan.tree_cell(c, which), scale: plan.calc.scale[which][c] })
        .collect();
    let fallback = if which == 0 { None } else { node.actual };
    let mut formula = plan.refs.guarded(&terms, plan.calc.out_scale[m], fallback, Sheet::Tree);
    // With periods, a computed node's whole-period value is the roll-up of
    // its periods (unless it rolls up by formula).
    if full && plan.aggregate[m] != Aggregate::Formula {
        let from = plan.refs.cell(plan.month_cell(m, which, plan.periods().map_or(0, |t| t.len()) + 1), Sheet::Tree);
        formula = format!("IF(ISNUMBER({from}),{from},{formula})");
    }
    let what = if which == 0 { "target" } else { "actual" };
    plan.formula_or_value(m, what, formula, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(op: Op, row: u32, scale: f64) -> Term {
        Term { op, cell: Cell { sheet: Sheet::Tree, row, col: col::TARGET }, scale }
    }

    fn refs() -> Refs {
        Refs { names: sheet_names(Lang::Ja) }
    }

    #[test]
    fn products_carry_the_unit_scale_as_one_factor() {
        // 円 × 件 into 万円.
        let e = refs().expression(&[t(Op::Mul, 4, 1.0), t(Op::Mul, 5, 1.0)], 1e4, Sheet::Tree);
        assert_eq!(e, "G5*G6/10000");
        // 件 × % into 件.
        let e = refs().expression(&[t(Op::Mul, 4, 1.0), t(Op::Mul, 5, 0.01)], 1.0, Sheet::Tree);
        assert_eq!(e, "G5*G6/100");
    }

    #[test]
    fn precedence_and_leading_operators_follow_the_evaluator() {
        let e = refs().expression(
            &[t(Op::Sub, 1, 1.0), t(Op::Add, 2, 1.0), t(Op::Mul, 3, 1.0), t(Op::Div, 4, 1.0)],
            1.0,
            Sheet::Tree,
        );
        assert_eq!(e, "-G2+G3*G4/G5");
        let e = refs().expression(&[t(Op::Div, 1, 1e4), t(Op::Mul, 2, 1.0)], 1.0, Sheet::Tree);
        assert_eq!(e, "1/G2*G3/10000");
    }

    #[test]
    fn a_run_of_added_rows_is_one_sum_and_counts_as_one_range() {
        let terms: Vec<Term> = (1..=5).map(|r| t(Op::Add, r, 1.0)).collect();
        let r = refs();
        assert_eq!(r.expression(&terms, 1.0, Sheet::Tree), "SUM(G2:G6)");
        assert_eq!(r.guarded(&terms, 1.0, None, Sheet::Tree), "IF(COUNT(G2:G6)=5,IFERROR(SUM(G2:G6),\"\"),\"\")");
    }

    #[test]
    fn cells_of_another_sheet_are_quoted() {
        let c = Cell { sheet: Sheet::Month, row: 2, col: 4 };
        assert_eq!(refs().cell(c, Sheet::Tree), "'月次'!E3");
    }

    #[test]
    fn number_formats_show_as_many_decimals_as_needed_and_the_unit() {
        assert_eq!(number_format(&[Some(12000.0), Some(7200.0)], "万円"), "#,##0\" 万円\"");
        assert_eq!(number_format(&[Some(2.5), None], "%"), "#,##0.0\" %\"");
        assert_eq!(number_format(&[Some(1.0 / 3.0)], ""), "#,##0.0000");
    }

    #[test]
    fn literals_are_short() {
        assert_eq!(literal(0.01), "0.01");
        assert_eq!(literal(1e-20), "1E-20");
        assert_eq!(scale_text(1e-4), "/10000");
        assert_eq!(scale_text(1e4), "*10000");
        assert_eq!(scale_text(1.0), "");
    }
}
