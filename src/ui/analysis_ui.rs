//! The Analysis tab: bottleneck ranking, pacing, and what-if scenarios; and
//! the top three bottlenecks marked on the canvas.

use std::sync::Arc;

use egui::{Color32, RichText, Ui};
use rustc_hash::FxHashMap;

use super::app::KpiApp;
use super::card::{Mark, Marks};
use super::i18n::T;
use crate::eval::analysis::{Analyzer, Bottleneck, PaceStatus, Pacing};
use crate::eval::format_number;
use crate::lang::Lang;
use crate::model::number::parse_number;
use crate::model::scenario::{self, Scenario};
use crate::model::{Document, Edit, NodeId};

/// The analysis of the document as shown (with the active scenario).
#[derive(Default)]
pub struct AnalysisView {
    key: Option<(u64, Option<String>)>,
    bottlenecks: Vec<Bottleneck>,
    pacing: Pacing,
    /// Rank (1–3) of the top bottlenecks of each goal, for the canvas.
    pub top: FxHashMap<NodeId, usize>,
    /// Text typed into the override fields, with the node it belongs to.
    typed: Option<(NodeId, String, String)>,
    /// 逆算 and goal seek of the selected node, by (revision, scenario, node, language).
    solved: Option<(SolveKey, Option<Solved>)>,
}

type SolveKey = (u64, Option<String>, NodeId, Lang);

/// A 逆算 answer: the value and whether the target already is it, or why not.
type Allocation = Result<(f64, bool), String>;

/// 逆算 and goal seek answers for one node, ready to show.
struct Solved {
    /// (button label or parent name, (value, already set) or why not).
    allocations: Vec<(String, Allocation)>,
    /// The goal-seek sentence.
    seek: String,
}

/// The document the editor evaluates: the file's, or with the active
/// scenario's overrides entered.
pub fn effective_document(doc: &Arc<Document>, active: Option<&str>) -> Arc<Document> {
    let Some(name) = active else { return Arc::clone(doc) };
    match scenario::read(doc).ok().and_then(|list| list.into_iter().find(|s| s.name == name)) {
        Some(s) => Arc::new(s.apply(doc)),
        None => Arc::clone(doc),
    }
}

fn amount(x: Option<f64>, unit: &str) -> String {
    match x {
        None => "—".to_owned(),
        Some(x) if unit.is_empty() => format_number(x),
        Some(x) => format!("{} {unit}", format_number(x)),
    }
}

impl KpiApp {
    /// The marks the canvas shows: top-three bottlenecks, overridden values.
    pub(super) fn marks(&self) -> Marks {
        let mut marks = Marks::default();
        for (id, &rank) in &self.analysis.top {
            marks.entry(id.clone()).or_insert_with(Mark::default).bottleneck = Some(rank);
        }
        if let Some(name) = &self.scenario
            && let Ok(list) = scenario::read(&self.doc)
            && let Some(s) = list.iter().find(|s| &s.name == name)
        {
            for o in &s.overrides {
                marks.entry(o.node.clone()).or_insert_with(Mark::default).overridden = true;
            }
        }
        marks
    }

    /// Under the inspector: 逆算 for each computed parent of the selected
    /// node, and the actual it needs for its goal (goal seek). Computed
    /// once per document revision and selection.
    pub(super) fn solve_ui(&mut self, ui: &mut Ui, lang: Lang, edits: &mut Vec<Edit>) {
        let Some(id) = self.selected().cloned() else { return };
        let key = (self.revision, self.scenario.clone(), id.clone(), lang);
        if self.analysis.solved.as_ref().is_none_or(|(k, _)| k != &key) {
            let solved = self.solve(&id, lang);
            self.analysis.solved = Some((key, solved));
        }
        let Some((_, Some(solved))) = &self.analysis.solved else { return };
        ui.separator();
        ui.strong(T::Allocate.get(lang)).on_hover_text(T::AllocateHint.get(lang));
        for (label, answer) in &solved.allocations {
            match answer {
                Ok((value, same)) => {
                    let button = ui
                        .add_enabled(!same, egui::Button::new(label))
                        .on_hover_text(T::AllocateButtonHint.get(lang))
                        .on_disabled_hover_text(T::AllocateDone.get(lang));
                    if button.clicked() {
                        edits.push(Edit::SetField(id.clone(), crate::model::Field::Target(Some(*value))));
                    }
                }
                Err(message) => {
                    ui.weak(format!("{label}: {message}"));
                }
            }
        }
        ui.add_space(4.0);
        ui.strong(T::Seek.get(lang)).on_hover_text(T::SeekHint.get(lang));
        ui.label(&solved.seek);
    }

    /// 逆算 and goal seek for `id`, or none when it is no term of anything.
    fn solve(&self, id: &NodeId, lang: Lang) -> Option<Solved> {
        let doc = effective_document(&self.doc, self.scenario.as_deref());
        let node = doc.node(id)?;
        let parents: Vec<&NodeId> =
            doc.edges.iter().filter(|e| &e.child == id && e.op.is_arithmetic()).map(|e| &e.parent).collect();
        if parents.is_empty() {
            return None;
        }
        let analyzer = Analyzer::new(&doc);
        let unit = node.unit_str();
        let allocations = parents
            .iter()
            .map(|p| {
                let pname = doc.node(p).map_or_else(|| p.as_str().to_owned(), |n| n.name.clone());
                match analyzer.allocate(p.as_str(), id.as_str()) {
                    Ok(value) => {
                        let same = node.target.is_some_and(|t| !crate::eval::differs(value, t));
                        let label = format!("{pname} → {} {}", T::Target.get(lang), amount(Some(value), unit));
                        (label, Ok((value, same)))
                    }
                    Err(e) => (pname, Err(e.message(lang))),
                }
            })
            .collect();
        let seek = match analyzer.seek(id.as_str(), None) {
            Ok(s) => {
                let gname = doc.node(&s.ancestor).map_or("", |n| n.name.as_str());
                let change = s
                    .change
                    .map_or_else(String::new, |c| format!(" ({}{:.1}%)", if c > 0.0 { "+" } else { "" }, c * 100.0));
                format!(
                    "{gname} {}: {} {}{change}",
                    T::SeekFor.get(lang),
                    T::Actual.get(lang),
                    amount(Some(s.required), unit)
                )
            }
            Err(e) => e.message(lang),
        };
        Some(Solved { allocations, seek })
    }

    /// Recomputes the analysis when the document or the scenario changed.
    pub(super) fn refresh_analysis(&mut self) {
        let key = (self.revision, self.scenario.clone());
        if self.analysis.key.as_ref() == Some(&key) {
            return;
        }
        let doc = effective_document(&self.doc, self.scenario.as_deref());
        let analyzer = Analyzer::new(&doc);
        let bottlenecks = analyzer.bottlenecks();
        let pacing = analyzer.pacing();
        let mut top = FxHashMap::default();
        for b in bottlenecks.iter().filter(|b| b.rank <= 3 && b.gain > 0.0) {
            let rank = top.entry(b.node.clone()).or_insert(b.rank);
            *rank = (*rank).min(b.rank);
        }
        self.analysis.bottlenecks = bottlenecks;
        self.analysis.pacing = pacing;
        self.analysis.top = top;
        self.analysis.key = Some(key);
    }

    /// The Analysis tab of the bottom panel; returns a node to select.
    pub(super) fn analysis_ui(&mut self, ui: &mut Ui, lang: Lang, edits: &mut Vec<Edit>) -> Option<NodeId> {
        self.refresh_analysis();
        let mut clicked = None;
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            ui.columns(2, |cols| {
                clicked = self.bottleneck_list(&mut cols[0], lang);
                if let Some(id) = self.what_if_ui(&mut cols[1], lang, edits) {
                    clicked = Some(id);
                }
                if let Some(id) = self.pacing_list(&mut cols[1], lang) {
                    clicked = Some(id);
                }
            });
        });
        clicked
    }

    fn bottleneck_list(&self, ui: &mut Ui, lang: Lang) -> Option<NodeId> {
        ui.strong(T::Bottlenecks.get(lang)).on_hover_text(T::BottlenecksHint.get(lang));
        let doc = &self.doc;
        let name = |id: &NodeId| doc.node(id).map_or_else(|| id.as_str().to_owned(), |n| n.name.clone());
        let unit = |id: &NodeId| doc.node(id).map_or("", |n| n.unit_str()).to_owned();
        if self.analysis.bottlenecks.is_empty() {
            ui.weak(T::NoBottlenecks.get(lang));
            return None;
        }
        let mut clicked = None;
        let mut goal: Option<&NodeId> = None;
        for b in &self.analysis.bottlenecks {
            if goal != Some(&b.goal) {
                goal = Some(&b.goal);
                let gu = unit(&b.goal);
                ui.label(
                    RichText::new(format!(
                        "{} — {} {} / {} {}",
                        name(&b.goal),
                        T::Target.get(lang),
                        amount(b.goal_target, &gu),
                        T::Actual.get(lang),
                        amount(Some(b.goal_actual), &gu)
                    ))
                    .strong(),
                );
            }
            let share = b.share_of_gap.map_or_else(String::new, |s| format!(" · {:.0}%", s * 100.0));
            let gain = format!("{}{}", if b.gain > 0.0 { "+" } else { "" }, amount(Some(b.gain), &unit(&b.goal)));
            let text = format!("{}. {}  {gain}{share}", b.rank, name(&b.node));
            let colour =
                if b.rank <= 3 && b.gain > 0.0 { Color32::from_rgb(180, 60, 20) } else { Color32::from_gray(60) };
            let hover = format!(
                "{} → {}: {} {}",
                amount(doc.node(&b.node).and_then(|n| n.actual), &unit(&b.node)),
                amount(doc.node(&b.node).and_then(|n| n.target), &unit(&b.node)),
                name(&b.goal),
                amount(Some(b.goal_if_reached), &unit(&b.goal)),
            );
            if ui.selectable_label(false, RichText::new(text).color(colour)).on_hover_text(hover).clicked() {
                clicked = Some(b.node.clone());
            }
        }
        clicked
    }

    fn pacing_list(&self, ui: &mut Ui, lang: Lang) -> Option<NodeId> {
        ui.add_space(8.0);
        let p = &self.analysis.pacing;
        let Some(elapsed) = p.elapsed else {
            ui.strong(T::Pacing.get(lang));
            ui.weak(T::NoPacing.get(lang));
            return None;
        };
        let as_of = p.as_of.map(|d| d.to_string()).unwrap_or_default();
        ui.strong(format!("{} — {as_of} ({:.0}%)", T::Pacing.get(lang), elapsed * 100.0))
            .on_hover_text(T::PacingHint.get(lang));
        let mut clicked = None;
        let behind: Vec<_> = p.nodes.iter().filter(|n| n.status == PaceStatus::Behind).collect();
        let on_track = p.nodes.len() - behind.len();
        ui.label(format!("✓ {on_track}  ✖ {}", behind.len()));
        for pace in behind {
            let Some(node) = self.doc.node(&pace.node) else { continue };
            let text = format!(
                "✖ {}: {} / {} ({:.0}% / {:.0}%)",
                node.name,
                amount(Some(pace.actual), node.unit_str()),
                amount(Some(pace.expected_actual), node.unit_str()),
                pace.progress * 100.0,
                pace.expected_progress * 100.0
            );
            if ui.selectable_label(false, RichText::new(text).color(Color32::from_rgb(190, 50, 40))).clicked() {
                clicked = Some(pace.node.clone());
            }
        }
        clicked
    }

    /// Scenario choice and the overrides of the selected node.
    fn what_if_ui(&mut self, ui: &mut Ui, lang: Lang, edits: &mut Vec<Edit>) -> Option<NodeId> {
        ui.strong(T::WhatIf.get(lang)).on_hover_text(T::WhatIfHint.get(lang));
        let list = match scenario::read(&self.doc) {
            Ok(list) => list,
            Err(e) => {
                ui.colored_label(Color32::from_rgb(200, 40, 40), e);
                return None;
            }
        };
        let mut active = self.scenario.clone();
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt("kpitree-scenario")
                .selected_text(active.clone().unwrap_or_else(|| T::NoScenario.get(lang).to_owned()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut active, None, T::NoScenario.get(lang));
                    for s in &list {
                        ui.selectable_value(&mut active, Some(s.name.clone()), &s.name);
                    }
                });
            if ui.button(T::NewScenario.get(lang)).clicked() {
                let name = (1..)
                    .map(|k| format!("{} {k}", T::ScenarioName.get(lang)))
                    .find(|n| !list.iter().any(|s| &s.name == n))
                    .unwrap_or_default();
                let mut next = list.clone();
                next.push(Scenario { name: name.clone(), overrides: Vec::new() });
                edits.push(Edit::SetScenarios(next));
                active = Some(name);
            }
            if let Some(name) = &active
                && ui.button(T::DeleteScenario.get(lang)).clicked()
            {
                let next: Vec<Scenario> = list.iter().filter(|s| &s.name != name).cloned().collect();
                edits.push(Edit::SetScenarios(next));
                active = None;
            }
        });
        if active != self.scenario {
            self.scenario = active.clone();
            self.submit();
        }
        let name = active?;
        let current = list.iter().find(|s| s.name == name).cloned()?;
        let mut clicked = None;
        for o in &current.overrides {
            let label = self.doc.node(&o.node).map_or_else(|| o.node.as_str().to_owned(), |n| n.name.clone());
            let mut parts = Vec::new();
            if let Some(t) = o.target {
                parts.push(format!("{} {}", T::Target.get(lang), format_number(t)));
            }
            if let Some(a) = o.actual {
                parts.push(format!("{} {}", T::Actual.get(lang), format_number(a)));
            }
            if ui.selectable_label(false, format!("✎ {label}: {}", parts.join(", "))).clicked() {
                clicked = Some(o.node.clone());
            }
        }
        // The selected node's overrides, typed.
        let Some(id) = self.selected().cloned() else {
            ui.weak(T::SelectToOverride.get(lang));
            return clicked;
        };
        let Some(node) = self.doc.node(&id) else { return clicked };
        let existing = current.get(&id).cloned();
        let text = |v: Option<f64>| v.map(crate::model::number::edit_text).unwrap_or_default();
        if self.analysis.typed.as_ref().is_none_or(|(n, _, _)| n != &id) {
            self.analysis.typed = Some((
                id.clone(),
                text(existing.as_ref().and_then(|o| o.target)),
                text(existing.as_ref().and_then(|o| o.actual)),
            ));
        }
        let Some((_, target_text, actual_text)) = self.analysis.typed.as_mut() else { return clicked };
        let mut changed = false;
        ui.label(RichText::new(format!("{} ({})", node.name, node.unit_str())).strong());
        egui::Grid::new("kpitree-overrides").num_columns(3).show(ui, |ui| {
            for (label, typed, own) in
                [(T::Target, &mut *target_text, node.target), (T::Actual, &mut *actual_text, node.actual)]
            {
                let caption = ui.label(label.get(lang));
                let valid = parse_number(typed).is_ok();
                let field = egui::TextEdit::singleline(typed)
                    .hint_text(text(own))
                    .desired_width(110.0)
                    .text_color_opt((!valid).then_some(Color32::from_rgb(200, 40, 40)));
                if ui.add(field).labelled_by(caption.id).changed() && valid {
                    changed = true;
                }
                ui.weak(format!("{} {}", T::Own.get(lang), amount(own, node.unit_str())));
                ui.end_row();
            }
        });
        let parse = |t: &str| parse_number(t).ok().flatten();
        let (target, actual) = (parse(target_text), parse(actual_text));
        if ui.button(T::ResetOverride.get(lang)).clicked() {
            *target_text = String::new();
            *actual_text = String::new();
            changed = true;
        }
        if changed {
            let (target, actual) =
                if target_text.is_empty() && actual_text.is_empty() { (None, None) } else { (target, actual) };
            let mut next = list.clone();
            if let Some(s) = next.iter_mut().find(|s| s.name == name) {
                s.set(&id, target, actual);
            }
            edits.push(Edit::SetScenarios(next));
        }
        clicked
    }
}
