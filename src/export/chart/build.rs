//! Each chart made from its analysis: the waterfall from an attribution,
//! the tornado from the sensitivities, the scenarios from a comparison.

use super::{Bar, Chart, ChartKind, MAX_ROWS, Row, Tone};
use crate::eval::attribution::{Attribution, Method};
use crate::eval::compare::Comparison;
use crate::eval::sensitivity::Sensitivity;
use crate::format::{amount, percent, signed_amount, signed_percent};
use crate::lang::Lang;
use crate::model::{Document, NodeId};

fn name_of(doc: &Document, id: &NodeId) -> String {
    doc.node(id).map_or_else(|| id.to_string(), |n| n.name.clone())
}

fn unit_of(doc: &Document, id: &NodeId) -> String {
    doc.node(id).map_or("", |n| n.unit_str()).to_owned()
}

impl Chart {
    /// The waterfall of one goal's attribution: the target, each part (the
    /// largest [`MAX_ROWS`] − 2, the rest as one), the actual.
    pub fn waterfall(doc: &Document, a: &Attribution, method: Method, lang: Lang) -> Chart {
        let unit = unit_of(doc, &a.goal);
        let goal = name_of(doc, &a.goal);
        let mut rows = vec![Row {
            node: None,
            name: lang.pick("目標", "Target").to_owned(),
            bars: vec![Bar { from: 0.0, to: a.target, tone: Tone::Total, label: amount(Some(a.target), &unit) }],
        }];
        let keep = MAX_ROWS.saturating_sub(3).max(1);
        let mut at = a.target;
        let mut step = |node: Option<NodeId>, name: String, c: f64| {
            let tone = if c < 0.0 { Tone::Down } else { Tone::Up };
            let bars = vec![Bar { from: at, to: at + c, tone, label: signed_amount(c, &unit) }];
            rows.push(Row { node, name, bars });
            at += c;
        };
        let (shown, rest) = a.contributions.split_at(a.contributions.len().min(keep));
        for c in shown {
            step(Some(c.node.clone()), name_of(doc, &c.node), c.contribution);
        }
        if !rest.is_empty() {
            let sum = rest.iter().map(|c| c.contribution).sum();
            let name = lang.pick(&format!("その他 {} 件", rest.len()), &format!("{} others", rest.len())).to_owned();
            step(None, name, sum);
        }
        rows.push(Row {
            node: None,
            name: lang.pick("実績", "Actual").to_owned(),
            bars: vec![Bar { from: 0.0, to: a.actual, tone: Tone::Total, label: amount(Some(a.actual), &unit) }],
        });
        let method = method.label(lang);
        let periods = a.periods.map_or_else(String::new, |[from, to]| {
            if from == to { format!(", {from}") } else { format!(", {from}〜{to}") }
        });
        Chart {
            kind: ChartKind::Waterfall,
            title: lang.pick(&format!("{goal} の差異分析"), &format!("{goal}: where the gap came from")).to_owned(),
            subtitle: lang
                .pick(
                    &format!("差 {} ({method}{periods})", signed_amount(a.gap, &unit)),
                    &format!("gap {} ({method}{periods})", signed_amount(a.gap, &unit)),
                )
                .to_owned(),
            rows,
            reference: None,
            legend: Vec::new(),
        }
    }

    /// The tornado of one goal: `list` is that goal's sensitivities, largest
    /// swing first (as [`crate::eval::analysis::Analyzer::sensitivity`] gives them).
    pub fn tornado(doc: &Document, list: &[Sensitivity], pct: f64, lang: Lang) -> Option<Chart> {
        let first = list.first()?;
        let unit = unit_of(doc, &first.goal);
        let base = first.base;
        let rows = list
            .iter()
            .filter(|s| s.goal == first.goal)
            .take(MAX_ROWS)
            .map(|s| {
                let mut bars = Vec::new();
                if let Some(low) = s.low {
                    bars.push(Bar { from: base, to: low, tone: Tone::Low, label: amount(Some(low), &unit) });
                }
                if let Some(high) = s.high {
                    bars.push(Bar { from: base, to: high, tone: Tone::High, label: amount(Some(high), &unit) });
                }
                Row { node: Some(s.node.clone()), name: name_of(doc, &s.node), bars }
            })
            .collect();
        let goal = name_of(doc, &first.goal);
        let step = percent(pct / 100.0, 0);
        Some(Chart {
            kind: ChartKind::Tornado,
            title: lang.pick(&format!("{goal} の感度"), &format!("{goal}: sensitivity")).to_owned(),
            subtitle: lang
                .pick(
                    &format!("各 KPI を -{step} / +{step} 動かしたとき (現在 {})", amount(Some(base), &unit)),
                    &format!("each KPI -{step} / +{step} (now {})", amount(Some(base), &unit)),
                )
                .to_owned(),
            rows,
            reference: Some(base),
            legend: vec![(format!("-{step}"), Tone::Low), (format!("+{step}"), Tone::High)],
        })
    }

    /// The scenarios: for each goal and node a scenario sets, the change of
    /// its actual from the base in each scenario, in percent.
    pub fn scenarios(doc: &Document, c: &Comparison, lang: Lang) -> Option<Chart> {
        if c.names.is_empty() {
            return None;
        }
        let rows = c
            .rows
            .iter()
            .take(MAX_ROWS)
            .map(|r| Row {
                node: Some(r.node.clone()),
                name: name_of(doc, &r.node),
                bars: r
                    .scenarios
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let change = match (v[1], r.base[1]) {
                            (Some(a), Some(b)) if b != 0.0 => Some((a - b) / b),
                            _ => None,
                        };
                        let label = change.map_or_else(|| "—".to_owned(), |x| signed_percent(x, 1));
                        let to = change.unwrap_or(0.0) * 100.0;
                        Bar { from: 0.0, to: if to.is_finite() { to } else { 0.0 }, tone: Tone::Series(i), label }
                    })
                    .collect(),
            })
            .collect();
        Some(Chart {
            kind: ChartKind::Scenarios,
            title: lang.pick("シナリオの比較", "Scenarios compared").to_owned(),
            subtitle: lang.pick("実績の基準からの変化 (%)", "change of the actual from the base (%)").to_owned(),
            rows,
            reference: Some(0.0),
            legend: c.names.iter().enumerate().map(|(i, n)| (n.clone(), Tone::Series(i))).collect(),
        })
    }
}
