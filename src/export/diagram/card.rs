//! One card measured for its node: its size, its wrapped name and its rows
//! (or the pill of a constant term).

use std::sync::Arc;

use super::{Card, CardMarks, DiagramOptions};
use crate::eval::NodeValue;
use crate::export::measure::{Measure, metrics as m};
use crate::model::Node;

/// A card measured for `node`: its size, its wrapped name and its rows.
/// `value_unit` is the unit of computed values when it is not the node's
/// own (the terms give another dimension: `= 30 件` on a 社 card).
pub(super) fn card(
    node: &Node,
    value: NodeValue,
    trend: Option<Arc<crate::eval::period::Trend>>,
    value_unit: Option<&str>,
    (errors, warnings): (u32, u32),
    opts: &DiagramOptions,
    measure: &Measure,
) -> Card {
    let lang = opts.lang;
    let inner_max = m::MAX_WIDTH - m::ACCENT - 2.0 * m::PAD_X;
    let name_text = if node.name.trim().is_empty() { lang.pick("(名前なし)", "(no name)") } else { &node.name };
    let unit = node.unit_str();
    if let Some(number) = node.constant.filter(|_| !value.computed) {
        return constant_card(node, number, name_text, (errors, warnings), measure);
    }
    let name = measure.wrap(name_text, m::NAME, true, inner_max, 2);
    let mut rows = Vec::new();
    let mut progress = None;
    let has_values = value.target.is_some() || value.actual.is_some();
    if opts.values && has_values {
        let row = |computed: bool, x: Option<f64>| {
            let unit = if computed { value_unit.unwrap_or(unit) } else { unit };
            format!(
                "{}{}",
                if computed { "= " } else { "" },
                crate::format::format_amount_or_dash(x, unit, opts.compact_yen)
            )
        };
        let target_computed = node.target.is_none() && value.computed_target.is_some();
        rows.push((lang.pick("目標", "Target").to_owned(), row(target_computed, value.target)));
        // In the 着地見込 view the second row is where the period lands, not
        // what was measured.
        let actual = match opts.shown {
            super::Shown::Forecast => lang.pick("見込", "Forecast"),
            _ => lang.pick("実績", "Actual"),
        };
        rows.push((actual.to_owned(), row(value.computed_actual.is_some(), value.actual)));
        progress = value.progress;
    }
    let widest_name = name.iter().map(|l| measure.width(l, m::NAME, true)).fold(0.0, f64::max);
    let widest_row = rows
        .iter()
        .map(|(l, v)| {
            measure.width(l, m::ROW, false) + 16.0 + measure.width(&crate::export::measure::capped(v), m::ROW, true)
        })
        .fold(0.0, f64::max);
    let inner = widest_name.max(widest_row).max(measure.width("KGI", m::KIND, true));
    let width = (inner + m::ACCENT + 2.0 * m::PAD_X).clamp(m::MIN_WIDTH, m::MAX_WIDTH).ceil();
    // A value whose unit is longer than the card is cut to fit it, with "…"
    // (on the canvas it ran out of the card, in a picture it cost usvg
    // quadratic time); the label keeps its place.
    let room = width - m::ACCENT - 2.0 * m::PAD_X;
    for (label, value) in &mut rows {
        let free = room - measure.width(label, m::ROW, false) - 16.0;
        *value = measure.fit(value, m::ROW, true, free.max(0.0));
    }
    let mut height = m::PAD_Y + 14.0 + name.len() as f64 * m::NAME_LINE;
    if !rows.is_empty() {
        height += 4.0 + rows.len() as f64 * m::ROW_LINE;
        if progress.is_some() {
            height += m::BAR_ROW;
        }
    }
    if trend.is_some() {
        height += m::TREND_ROW;
    }
    height += m::PAD_Y;
    Card {
        id: node.id.clone(),
        node: 0,
        kind: node.kind,
        rect: [0.0, 0.0, width, height.ceil()],
        name: name.into(),
        rows: rows.into(),
        progress,
        depth: 0,
        has_children: false,
        collapsed: None,
        marks: CardMarks { computed: value.computed, errors, warnings, ..CardMarks::default() },
        trend,
        constant: false,
    }
}

/// The pill of a constant term: its name and its number, always shown (the
/// number is part of the formula, not a value that is measured).
fn constant_card(node: &Node, number: f64, name_text: &str, (errors, warnings): (u32, u32), measure: &Measure) -> Card {
    use crate::export::card_layout::{CONSTANT_PAD_X, CONSTANT_PAD_Y};
    let inner_max = m::MAX_WIDTH - 2.0 * CONSTANT_PAD_X;
    let name = measure.wrap(name_text, m::ROW, true, inner_max, 2);
    let text = crate::format::format_amount_or_dash(Some(number), node.unit_str(), false);
    let text = measure.fit(&text, m::ROW, false, inner_max);
    let widest =
        name.iter().map(|l| measure.width(l, m::ROW, true)).fold(measure.width(&text, m::ROW, false), f64::max);
    let width = (widest + 2.0 * CONSTANT_PAD_X).clamp(m::MIN_WIDTH / 2.0, m::MAX_WIDTH).ceil();
    let height = 2.0 * CONSTANT_PAD_Y + (name.len() + 1) as f64 * m::ROW_LINE;
    Card {
        id: node.id.clone(),
        node: 0,
        kind: node.kind,
        rect: [0.0, 0.0, width, height.ceil()],
        name: name.into(),
        rows: Arc::from(vec![(String::new(), text)]),
        progress: None,
        depth: 0,
        has_children: false,
        collapsed: None,
        marks: CardMarks { errors, warnings, ..CardMarks::default() },
        trend: None,
        constant: true,
    }
}
