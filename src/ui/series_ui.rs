//! The inspector's monthly table: a node's target and actual per period,
//! typed cell by cell or pasted from Excel (tab-separated rows and columns,
//! from the cell that has the focus), and "Spread", which shares the node's
//! full-period target out over its periods. Every change is one edit of
//! the node's `series`, so one undo step.

use egui::{Color32, RichText, Ui};
use rustc_hash::FxHashMap;

use super::i18n::T;
use crate::lang::Lang;
use crate::model::number::{edit_text, parse_number};
use crate::model::period::{Label, Series, Span, spans_of};
use crate::model::{Calendar, Document, Edit, Field, Node, NodeId};

/// How a full-period target is shared out over the periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// The same in every period.
    Evenly,
    /// In proportion to the days in each period.
    ByDays,
    /// In proportion to another node's actuals per period (last year's).
    Like,
}

/// `total` shared out over `spans` by `weights` (one per span; all equal when
/// they are all zero or missing), each part rounded to whole units but the
/// last, which takes what is left so that the parts add up to `total`.
pub fn spread(total: f64, weights: &[f64]) -> Vec<f64> {
    let sum: f64 = weights.iter().filter(|w| w.is_finite() && **w > 0.0).sum();
    let n = weights.len();
    if n == 0 {
        return Vec::new();
    }
    let share = |w: f64| if sum > 0.0 { total * w.max(0.0) / sum } else { total / n as f64 };
    let mut parts: Vec<f64> = weights.iter().map(|&w| share(if w.is_finite() { w } else { 0.0 })).collect();
    // Whole numbers when the total is one, the last period taking the rest.
    if total.fract() == 0.0 && total.abs() >= n as f64 {
        let mut given = 0.0;
        for p in parts.iter_mut().take(n - 1) {
            *p = p.round();
            given += *p;
        }
        parts[n - 1] = total - given;
    }
    parts
}

/// Cells being typed, by node, period and column (target: 0, actual: 1).
#[derive(Default)]
pub struct SeriesTable {
    drafts: FxHashMap<(NodeId, Label, usize), String>,
    /// The node whose actuals a "like" spread follows.
    like: Option<NodeId>,
}

impl SeriesTable {
    /// The table of `node` (a leaf) in a document with periods, and the
    /// Spread row when it has a full-period target.
    pub fn ui(&mut self, ui: &mut Ui, doc: &Document, node: &Node, lang: Lang, edits: &mut Vec<Edit>) {
        let calendar = Calendar::of(doc.period.as_ref());
        let spans = spans_of(doc, &calendar);
        if spans.is_empty() {
            return;
        }
        ui.add_space(8.0);
        ui.label(RichText::new(T::MonthlyValues.get(lang)).strong()).on_hover_text(T::MonthlyPasteHint.get(lang));
        let series = node.series.clone().unwrap_or_default();
        // The next series, and whether it is a whole change (a paste, a spread).
        let mut changed: Option<(Series, bool)> = None;
        // A paste of several cells, from the cell with the focus.
        let mut focus: Option<(usize, usize)> = None;
        let ids: Vec<Vec<egui::Id>> = (0..spans.len())
            .map(|p| (0..2).map(|c| ui.make_persistent_id(("kpitree-series", node.id.as_str(), p, c))).collect())
            .collect();
        for (p, row) in ids.iter().enumerate() {
            for (c, id) in row.iter().enumerate() {
                if ui.memory(|m| m.has_focus(*id)) {
                    focus = Some((p, c));
                }
            }
        }
        if let Some((p0, c0)) = focus {
            let pasted = ui.input_mut(|i| {
                let k = i.events.iter().position(
                    |e| matches!(e, egui::Event::Paste(t) if t.trim_end_matches(['\r', '\n']).contains(['\t', '\n'])),
                )?;
                match i.events.remove(k) {
                    egui::Event::Paste(t) => Some(t),
                    _ => None,
                }
            });
            if let Some(text) = pasted {
                let mut next = series.clone();
                let cleaned = text.trim_end_matches(['\r', '\n']);
                for (dp, line) in cleaned.split('\n').enumerate() {
                    for (dc, cell) in line.trim_end_matches('\r').split('\t').enumerate() {
                        let (Some(span), true) = (spans.get(p0 + dp), c0 + dc < 2) else { continue };
                        let Ok(value) = parse_number(cell.trim()) else { continue };
                        let entry = next.entry(calendar.label(*span)).or_default();
                        if c0 + dc == 0 {
                            entry.target = value;
                        } else {
                            entry.actual = value;
                        }
                    }
                }
                self.drafts.retain(|(n, ..), _| *n != node.id);
                changed = Some((next, true));
            }
        }
        egui::Grid::new(("kpitree-series-grid", node.id.as_str())).num_columns(3).spacing([6.0, 3.0]).show(ui, |ui| {
            ui.weak(T::PeriodColumn.get(lang));
            ui.weak(T::Target.get(lang));
            ui.weak(T::Actual.get(lang));
            ui.end_row();
            for (p, span) in spans.iter().enumerate() {
                let label = calendar.label(*span);
                let name = ui.label(calendar.name(*span, lang));
                let value = series.get(&label);
                for (c, current) in [value.and_then(|v| v.target), value.and_then(|v| v.actual)].into_iter().enumerate()
                {
                    let id = ids[p][c];
                    let key = (node.id.clone(), label, c);
                    let focused = ui.memory(|m| m.has_focus(id));
                    if !focused {
                        self.drafts.remove(&key);
                    }
                    let draft = self.drafts.entry(key).or_insert_with(|| current.map(edit_text).unwrap_or_default());
                    let parsed = parse_number(draft.trim());
                    let mut edit = egui::TextEdit::singleline(draft).id(id).desired_width(84.0);
                    if parsed.is_err() {
                        edit = edit.text_color(Color32::from_rgb(210, 40, 40));
                    }
                    let response = ui.add_sized([84.0, ui.spacing().interact_size.y], edit).labelled_by(name.id);
                    if response.changed()
                        && let Some(Ok(v)) =
                            self.drafts.get(&(node.id.clone(), label, c)).map(|t| parse_number(t.trim()))
                        && v != current
                    {
                        let next = &mut changed.get_or_insert_with(|| (series.clone(), false)).0;
                        let entry = next.entry(label).or_default();
                        if c == 0 {
                            entry.target = v;
                        } else {
                            entry.actual = v;
                        }
                    }
                }
                ui.end_row();
            }
        });
        if let Some(target) = node.target
            && let Some(next) = self.spread_ui(ui, doc, node, target, (&calendar, &spans), lang)
        {
            changed = Some((next, true));
        }
        if let Some((mut next, whole)) = changed {
            next.retain(|_, v| v.target.is_some() || v.actual.is_some() || !v.extra.is_empty());
            let edit = Edit::SetField(node.id.clone(), Field::Series((!next.is_empty()).then_some(next)));
            // A paste or a spread is a step of its own, never merged with the
            // typing before it (typing in the cells is one burst, as in a field).
            edits.push(if whole { Edit::Batch(vec![edit]) } else { edit });
        }
    }

    /// "Spread": the full-period target shared out evenly, by days or like
    /// another node's actuals; the series with the targets set.
    fn spread_ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        node: &Node,
        target: f64,
        (calendar, spans): (&Calendar, &[Span]),
        lang: Lang,
    ) -> Option<Series> {
        let mut how = None;
        ui.horizontal_wrapped(|ui| {
            ui.label(T::SpreadTarget.get(lang)).on_hover_text(T::SpreadHint.get(lang));
            if ui.button(T::SpreadEvenly.get(lang)).clicked() {
                how = Some(Spread::Evenly);
            }
            if ui.button(T::SpreadByDays.get(lang)).clicked() {
                how = Some(Spread::ByDays);
            }
            // The nodes to follow: those with values per period (the first 500).
            let others: Vec<&Node> = doc
                .nodes
                .iter()
                .map(|n| &**n)
                .filter(|n| n.id != node.id && n.series.as_ref().is_some_and(|s| !s.is_empty()))
                .take(500)
                .collect();
            if !others.is_empty() {
                let name = |id: &NodeId| doc.node(id).map_or(id.as_str().to_owned(), |n| n.name.clone());
                let shown = self.like.as_ref().map_or_else(|| T::SpreadLikeNone.get(lang).to_owned(), name);
                egui::ComboBox::from_id_salt(("kpitree-spread-like", node.id.as_str())).selected_text(shown).show_ui(
                    ui,
                    |ui| {
                        for n in &others {
                            ui.selectable_value(&mut self.like, Some(n.id.clone()), &n.name);
                        }
                    },
                );
                if ui.add_enabled(self.like.is_some(), egui::Button::new(T::SpreadLike.get(lang))).clicked() {
                    how = Some(Spread::Like);
                }
            }
        });
        let weights: Vec<f64> = match how? {
            Spread::Evenly => vec![1.0; spans.len()],
            Spread::ByDays => spans.iter().map(|s| f64::from(s.days())).collect(),
            Spread::Like => {
                let like = self.like.as_ref().and_then(|id| doc.node(id))?.series.clone().unwrap_or_default();
                spans
                    .iter()
                    .map(|s| like.get(&calendar.label(*s)).and_then(|v| v.actual.or(v.target)).unwrap_or(0.0))
                    .collect()
            }
        };
        let mut next = node.series.clone().unwrap_or_default();
        for (span, part) in spans.iter().zip(spread(target, &weights)) {
            next.entry(calendar.label(*span)).or_default().target = Some(part);
        }
        self.drafts.retain(|(n, ..), _| *n != node.id);
        Some(next)
    }
}

#[cfg(test)]
mod tests {
    use super::spread;

    #[test]
    fn a_spread_adds_up_to_the_total_and_follows_its_weights() {
        assert_eq!(spread(1200.0, &[1.0; 12]), vec![100.0; 12]);
        // 1,000 over three: whole numbers, the last takes the rest.
        assert_eq!(spread(1000.0, &[1.0, 1.0, 1.0]), vec![333.0, 333.0, 334.0]);
        // By days: April 30, May 31, June 30 of 9,100.
        assert_eq!(spread(9100.0, &[30.0, 31.0, 30.0]), vec![3000.0, 3100.0, 3000.0]);
        // Like last year: twice as much in the second period.
        assert_eq!(spread(300.0, &[10.0, 20.0, 0.0]), vec![100.0, 200.0, 0.0]);
        // No weights at all: evenly; a fractional total is not rounded.
        assert_eq!(spread(1.5, &[0.0, 0.0, 0.0]), vec![0.5, 0.5, 0.5]);
        let parts = spread(12_345.0, &[3.0, 7.0, 11.0, 13.0]);
        assert_eq!(parts.iter().sum::<f64>(), 12_345.0);
    }
}
