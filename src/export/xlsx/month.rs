//! The 「月次」 sheet: node rows × period columns, computed nodes as
//! formulas per period, and the 累計 and 通期 roll-ups.

use super::*;

fn aggregate_text(a: Aggregate, lang: Lang) -> &'static str {
    match a {
        Aggregate::Sum => lang.pick("合計", "sum"),
        Aggregate::Last => lang.pick("期末", "last"),
        Aggregate::Average => lang.pick("平均", "average"),
        Aggregate::Formula => lang.pick("式", "formula"),
    }
}

#[allow(clippy::cast_possible_truncation, reason = "the columns of a fixed header")]
pub(super) fn month_sheet(plan: &mut Plan<'_>, ws: &mut Worksheet) -> Result<(), XlsxError> {
    let lang = plan.lang;
    let Some(table) = plan.periods() else { return Ok(()) };
    let labels: Vec<String> = (0..table.len()).map(|p| table.label(p).to_string()).collect();
    let (n_p, ytd_len) = (table.len(), table.ytd_len);
    ws.set_name(plan.refs.names[2])?;
    ws.set_formula_result_default("");
    let header = header_format();
    let group = header_format().set_background_color(Color::RGB(0xD9E1F2));
    for (which, title) in [lang.pick("目標", "Target"), lang.pick("実績", "Actual")].into_iter().enumerate() {
        let (first, last) = (plan.month_col(which, 0), plan.month_col(which, n_p + 1));
        ws.merge_range(0, first, 0, last, title, &group)?;
        for (p, label) in labels.iter().enumerate() {
            ws.write_string_with_format(1, plan.month_col(which, p), label, &header)?;
        }
        ws.write_string_with_format(1, plan.month_col(which, n_p), lang.pick("累計", "YTD"), &header)?;
        ws.write_string_with_format(1, plan.month_col(which, n_p + 1), lang.pick("通期", "Full"), &header)?;
    }
    for (c, h) in
        ["ID", lang.pick("名前", "Name"), lang.pick("単位", "Unit"), lang.pick("集計", "Roll-up")].iter().enumerate()
    {
        ws.merge_range(0, c as u16, 1, c as u16, h, &header)?;
    }
    let indents: Vec<Format> = (0..=15u8).map(|d| Format::new().set_indent(d)).collect();
    let order = std::mem::take(&mut plan.order);
    for &(m, depth) in &order {
        let row = plan.month_row[m];
        if row == u32::MAX {
            continue;
        }
        let node = &plan.doc.nodes[m];
        ws.write_string(row, 0, cell_text(node.id.as_str()))?;
        ws.write_string_with_format(row, 1, cell_text(&node.name), &indents[depth.min(15)])?;
        if !node.unit_str().is_empty() {
            ws.write_string(row, 2, cell_text(node.unit_str()))?;
        }
        ws.write_string(row, 3, aggregate_text(plan.aggregate[m], lang))?;
        let Some(table) = plan.periods() else { break };
        let per: Vec<crate::eval::period::PeriodValue> = (0..n_p).map(|p| table.at(m, p).unwrap_or_default()).collect();
        let ytd = table.ytd(m).unwrap_or_default();
        let full = table.full(m).unwrap_or_default();
        let mut all: Vec<Option<f64>> = per.iter().flat_map(|v| [v.target, v.actual]).collect();
        all.extend([ytd.target, ytd.actual, full.target, full.actual]);
        let shown = if plan.computed[m] {
            plan.eval.value_unit(&node.id).unwrap_or(node.unit_str()).to_owned()
        } else {
            node.unit_str().to_owned()
        };
        let format = Format::new().set_num_format(number_format(&all, &shown));
        let labels = &labels;
        for which in 0..2 {
            let pick = |v: &crate::eval::period::PeriodValue| if which == 0 { v.target } else { v.actual };
            for p in 0..n_p {
                let written = month_value(plan, m, which, p, &labels[p], pick(&per[p]));
                write_value(ws, row, plan.month_col(which, p), written, &format)?;
            }
            for (range, len, v) in [(0usize, ytd_len, pick(&ytd)), (1, n_p, pick(&full))] {
                let written = roll_up(plan, m, which, range, len, v);
                write_value(ws, row, plan.month_col(which, n_p + range), written, &format)?;
            }
        }
    }
    plan.order = order;
    ws.set_freeze_panes(2, 2)?;
    ws.set_column_width(0, 12)?;
    ws.set_column_width(1, 24)?;
    Ok(())
}

/// Node `m`'s `which` value in period `p` on the monthly sheet.
fn month_value(plan: &mut Plan<'_>, m: usize, which: usize, p: usize, label: &str, value: Option<f64>) -> Written {
    let node = &plan.doc.nodes[m];
    let entered = node
        .series
        .as_ref()
        .and_then(|s| {
            s.iter().find(|(l, _)| l.to_string() == label).map(|(_, v)| if which == 0 { v.target } else { v.actual })
        })
        .flatten();
    if !plan.computed[m] || (which == 0 && entered.is_some()) {
        return Written::Value(entered);
    }
    let Some(terms) = period_terms(plan, m, which, |plan, c| plan.month_cell(c, which, p)) else {
        // A term that is an amount without values per period: none here.
        return Written::Value(if which == 0 { None } else { entered });
    };
    let fallback = if which == 0 { None } else { entered };
    let formula = plan.refs.guarded(&terms, plan.period_scale[m], fallback, Sheet::Month);
    plan.formula_or_value(m, if which == 0 { "target" } else { "actual" }, formula, value)
}

/// The terms of `m` as a period's formula reads them: a term with values
/// per period by its cell `cell(plan, term)`, a rate or a level without them
/// by its whole-period value on the tree sheet; `None` when a term is an
/// amount without values per period (no value in any period).
fn period_terms(plan: &Plan<'_>, m: usize, which: usize, cell: impl Fn(&Plan<'_>, usize) -> Cell) -> Option<Vec<Term>> {
    let table = plan.periods()?;
    plan.terms(m)
        .into_iter()
        .map(|(op, c)| {
            if table.has(c) {
                Some(Term { op, cell: cell(plan, c), scale: plan.period_scale[c] })
            } else if table.is_level(c) {
                Some(Term { op, cell: plan.tree_cell(c, which), scale: plan.calc.scale[which][c] })
            } else {
                None
            }
        })
        .collect()
}

/// The 累計 (`range` 0, the first `len` periods) or 通期 (1) roll-up of
/// node `m`'s `which` values.
fn roll_up(plan: &mut Plan<'_>, m: usize, which: usize, range: usize, len: usize, value: Option<f64>) -> Written {
    let n_p = plan.periods().map_or(0, |t| t.len());
    if plan.computed[m] && plan.aggregate[m] == Aggregate::Formula {
        let Some(terms) = period_terms(plan, m, which, |plan, c| plan.month_cell(c, which, n_p + range)) else {
            return Written::Value(None);
        };
        let formula = plan.refs.guarded(&terms, plan.period_scale[m], None, Sheet::Month);
        return plan.formula_or_value(m, "roll-up", formula, value);
    }
    if len == 0 {
        return Written::Value(None);
    }
    let first = plan.month_cell(m, which, 0);
    let last = plan.month_cell(m, which, len - 1);
    let r = plan.refs.range(first, last, Sheet::Month);
    let start = rust_xlsxwriter::utility::row_col_to_cell(first.row, first.col);
    let inner = match plan.aggregate[m] {
        Aggregate::Sum => format!("SUM({r})"),
        Aggregate::Average | Aggregate::Formula => format!("AVERAGE({r})"),
        // The last period that has a number.
        Aggregate::Last => format!("INDEX({r},1,SUMPRODUCT(MAX(ISNUMBER({r})*COLUMN({r})))-COLUMN({start})+1)"),
    };
    Written::Formula(format!("IF(COUNT({r})=0,\"\",{inner})"), value)
}
