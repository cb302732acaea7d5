//! The 「ツリー」 sheet: one row per node, depth first and outlined, its
//! computed targets, actuals and 達成率 as formulas over its terms' rows.

use super::*;

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
pub(super) fn tree_sheet(plan: &mut Plan<'_>, ws: &mut Worksheet) -> Result<(), XlsxError> {
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
            let [r, g, b] = crate::export::palette::kind(k);
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
