//! The Analysis tab: bottleneck ranking, pacing, and what-if scenarios; and
//! the top three bottlenecks marked on the canvas.

use std::sync::Arc;

use egui::{Color32, RichText, Ui};

use super::app::KpiApp;
use super::i18n::T;
use crate::eval::Which;
use crate::eval::analysis::{Bottleneck, PaceStatus};
use crate::eval::period::PeriodProblem;
use crate::format::{amount, format_number, percent};
use crate::lang::Lang;
use crate::model::number::parse_number;
use crate::model::scenario::Scenario;
use crate::model::{Edit, NodeId};
use crate::pipeline::derived::Derived;

/// The Analysis tab's own state: what is being typed into the what-if
/// fields. Everything it shows is computed by the background worker
/// (`pipeline::derived`).
#[derive(Default)]
pub struct AnalysisView {
    /// Text typed into the override fields, with the scenario and node it
    /// belongs to; only the field with the keyboard focus keeps its text.
    typed: Option<(String, NodeId, usize, String)>,
    /// The page shown.
    pub(super) page: super::chart_ui::AnalysisPage,
    /// The goal the charts are about (none: the first).
    pub(super) goal: Option<NodeId>,
    /// How the gap is explained: the worker computes with these.
    pub(super) explain: crate::eval::explain::ExplainOptions,
    /// The rows of the chart drawn last, on the screen, and their nodes.
    pub(super) rows: Vec<(egui::Rect, Option<NodeId>)>,
    /// The what-if scenario the window computes with (none: the document
    /// as it is).
    pub(super) scenario: Option<String>,
    /// The tab of the bottom panel.
    pub(super) bottom: super::app::Bottom,
}

impl KpiApp {
    /// Under the inspector: 逆算 for each computed parent of the selected
    /// node, and the actual it needs for its goal (goal seek), as the worker
    /// computed them for this selection.
    pub(super) fn solve_ui(&mut self, ui: &mut Ui, lang: Lang, edits: &mut Vec<Edit>) {
        let Some(id) = self.selected().cloned() else { return };
        let Some(derived) = self.derived_shared() else { return };
        let Some(solved) = derived.solved.as_ref().filter(|s| s.node == id) else { return };
        let doc = &derived.effective;
        let Some(node) = doc.node(&id) else { return };
        let target_unit = derived.evaluation.shown_unit(node, Which::Target);
        let unit = derived.evaluation.shown_unit(node, Which::Actual);
        ui.separator();
        ui.strong(T::Allocate.get(lang)).on_hover_text(T::AllocateHint.get(lang));
        for a in &solved.allocations {
            let pname = doc.node(&a.parent).map_or_else(|| a.parent.as_str().to_owned(), |n| n.name.clone());
            match &a.result {
                Ok(value) => {
                    let label = format!("{pname} → {} {}", T::Target.get(lang), amount(Some(*value), target_unit));
                    let button = ui
                        .add_enabled(!a.already, egui::Button::new(label))
                        .on_hover_text(T::AllocateButtonHint.get(lang))
                        .on_disabled_hover_text(T::AllocateDone.get(lang));
                    if button.clicked() {
                        edits.push(Edit::SetField(id.clone(), crate::model::Field::Target(Some(*value))));
                    }
                }
                Err(e) => {
                    ui.weak(format!("{pname}: {}", e.message(lang)));
                }
            }
        }
        ui.add_space(4.0);
        ui.strong(T::Seek.get(lang)).on_hover_text(T::SeekHint.get(lang));
        let seek = match &solved.seek {
            Ok(s) => {
                let gname = doc.node(&s.ancestor).map_or("", |n| n.name.as_str());
                let change =
                    s.change.map_or_else(String::new, |c| format!(" ({})", crate::format::signed_percent(c, 1)));
                format!(
                    "{gname} {}: {} {}{change}",
                    T::SeekFor.get(lang),
                    T::Actual.get(lang),
                    amount(Some(s.required), unit)
                )
            }
            Err(e) => e.message(lang),
        };
        ui.label(seek);
    }

    /// The Analysis tab of the bottom panel; returns a node to select.
    pub(super) fn analysis_ui(&mut self, ui: &mut Ui, lang: Lang, edits: &mut Vec<Edit>) -> Option<NodeId> {
        let Some(derived) = self.derived_shared() else {
            ui.label(T::Evaluating.get(lang));
            return None;
        };
        self.analysis_pages_ui(ui, lang);
        ui.separator();
        if self.analysis.page != super::chart_ui::AnalysisPage::Overview {
            return self.chart_ui(ui, lang, &derived);
        }
        let mut clicked = None;
        ui.columns(2, |cols| {
            clicked = bottleneck_list(&mut cols[0], &derived, lang);
            if let Some(id) = self.what_if_ui(&mut cols[1], lang, edits) {
                clicked = Some(id);
            }
            if let Some(id) = pacing_list(&mut cols[1], &derived, lang) {
                clicked = Some(id);
            }
        });
        clicked
    }

    /// Shows the Analysis tab of the bottom panel (benchmarks; a click on
    /// the tab does this in the window).
    #[doc(hidden)]
    pub fn show_analysis_tab(&mut self) {
        self.analysis.bottom = super::app::Bottom::Analysis;
    }

    /// Makes the what-if scenario named `name` active (or none), as the
    /// scenario menu of the Analysis tab does.
    pub fn set_scenario(&mut self, name: Option<String>) {
        if name != self.analysis.scenario {
            self.analysis.scenario = name;
            self.analysis.typed = None;
        }
    }

    /// Scenario choice and the overrides of the selected node.
    fn what_if_ui(&mut self, ui: &mut Ui, lang: Lang, edits: &mut Vec<Edit>) -> Option<NodeId> {
        ui.strong(T::WhatIf.get(lang)).on_hover_text(T::WhatIfHint.get(lang));
        let doc = Arc::clone(self.session.document());
        let list = match doc.scenarios.readable() {
            Ok(list) => list,
            Err(e) => {
                ui.colored_label(Color32::from_rgb(200, 40, 40), e);
                return None;
            }
        };
        let mut active = self.analysis.scenario.clone();
        ui.horizontal(|ui| {
            egui::ComboBox::from_id_salt("kpitree-scenario")
                .selected_text(active.clone().unwrap_or_else(|| T::NoScenario.get(lang).to_owned()))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut active, None, T::NoScenario.get(lang));
                    for s in list {
                        ui.selectable_value(&mut active, Some(s.name.clone()), &s.name);
                    }
                });
            if ui.button(T::NewScenario.get(lang)).clicked() {
                let name = (1..)
                    .map(|k| format!("{} {k}", T::ScenarioName.get(lang)))
                    .find(|n| !list.iter().any(|s| &s.name == n))
                    .unwrap_or_default();
                let mut next = list.to_vec();
                next.push(Scenario { name: name.clone(), ..Scenario::default() });
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
        self.set_scenario(active.clone());
        let name = active?;
        let empty = Scenario::default();
        // A scenario just added is not in the document until this frame's
        // edits are applied.
        let current = doc.scenarios.get(&name).unwrap_or(&empty);
        let mut clicked = None;
        for o in &current.overrides {
            let label = doc.node(&o.node).map_or_else(|| o.node.as_str().to_owned(), |n| n.name.clone());
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
        let Some(node) = doc.node(&id) else { return clicked };
        let saved = current.get(&id);
        let saved = [saved.and_then(|o| o.target), saved.and_then(|o| o.actual)];
        let text = |v: Option<f64>| v.map(crate::model::number::edit_text).unwrap_or_default();
        // What the override will be: the saved values, with the field being
        // typed into replaced by its text when that is a number.
        let mut next = saved;
        let mut changed = false;
        ui.label(RichText::new(format!("{} ({})", node.name, node.unit_str())).strong());
        egui::Grid::new("kpitree-overrides").num_columns(3).show(ui, |ui| {
            for (k, (label, own)) in [(T::Target, node.target), (T::Actual, node.actual)].into_iter().enumerate() {
                let caption = ui.label(label.get(lang));
                let edit_id = ui.make_persistent_id(("kpitree-override", k));
                let focused = ui.memory(|m| m.has_focus(edit_id));
                // Only the field being typed into keeps its own text; every
                // other field shows what the scenario holds now (after an
                // undo, in another scenario, for another node).
                let mut typed = match &self.analysis.typed {
                    Some((s, n, which, t)) if focused && *s == name && *n == id && *which == k => t.clone(),
                    _ => text(saved[k]),
                };
                let valid = parse_number(&typed).is_ok();
                let field = egui::TextEdit::singleline(&mut typed)
                    .id(edit_id)
                    .hint_text(text(own))
                    .desired_width(110.0)
                    .text_color_opt((!valid).then_some(Color32::from_rgb(200, 40, 40)));
                let response = ui.add(field).labelled_by(caption.id);
                if response.changed()
                    && let Ok(value) = parse_number(&typed)
                {
                    next[k] = value;
                    changed = true;
                }
                if response.has_focus() {
                    self.analysis.typed = Some((name.clone(), id.clone(), k, typed));
                }
                ui.weak(format!("{} {}", T::Own.get(lang), amount(own, node.unit_str())));
                ui.end_row();
            }
        });
        if ui.button(T::ResetOverride.get(lang)).clicked() {
            next = [None, None];
            self.analysis.typed = None;
            changed = true;
        }
        if changed && next != saved {
            let mut scenarios = list.to_vec();
            match scenarios.iter_mut().find(|s| s.name == name) {
                Some(s) => s.set(&id, next[0], next[1]),
                None => {
                    let mut s = Scenario { name: name.clone(), ..Scenario::default() };
                    s.set(&id, next[0], next[1]);
                    scenarios.push(s);
                }
            }
            edits.push(Edit::SetScenarios(scenarios));
        }
        clicked
    }
}

/// One row of the bottleneck list: a goal's heading or one of its leaves.
enum Row<'a> {
    Goal(&'a Bottleneck),
    Leaf(&'a Bottleneck),
}

/// The ranking, grouped by goal. Only the rows in view are laid out, so a
/// 20,000-node tree's ranking costs what a short one does.
fn bottleneck_list(ui: &mut Ui, derived: &Derived, lang: Lang) -> Option<NodeId> {
    ui.strong(T::Bottlenecks.get(lang)).on_hover_text(T::BottlenecksHint.get(lang));
    let doc = &derived.effective;
    let name = |id: &NodeId| doc.node(id).map_or_else(|| id.as_str().to_owned(), |n| n.name.clone());
    let shown = |id: &NodeId, which| doc.node(id).map_or("", |n| derived.evaluation.shown_unit(n, which));
    let unit = |id: &NodeId| shown(id, Which::Actual);
    if derived.bottlenecks.is_empty() {
        ui.weak(T::NoBottlenecks.get(lang));
        return None;
    }
    let mut rows = Vec::with_capacity(derived.bottlenecks.len() + 4);
    for (k, b) in derived.bottlenecks.iter().enumerate() {
        if k == 0 || derived.bottlenecks[k - 1].goal != b.goal {
            rows.push(Row::Goal(b));
        }
        rows.push(Row::Leaf(b));
    }
    let mut clicked = None;
    let row_height = ui.text_style_height(&egui::TextStyle::Button) + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical().id_salt("kpitree-bottlenecks").auto_shrink([false, false]).show_rows(
        ui,
        row_height,
        rows.len(),
        |ui, range| {
            for row in &rows[range] {
                match row {
                    Row::Goal(b) => {
                        ui.label(
                            RichText::new(format!(
                                "{} — {} {} / {} {}",
                                name(&b.goal),
                                T::Target.get(lang),
                                amount(b.goal_target, shown(&b.goal, Which::Target)),
                                T::Actual.get(lang),
                                amount(Some(b.goal_actual), unit(&b.goal))
                            ))
                            .strong(),
                        );
                    }
                    Row::Leaf(b) => {
                        let share = b.share_of_gap.map_or_else(String::new, |s| format!(" · {}", percent(s, 0)));
                        let gain =
                            format!("{}{}", if b.gain > 0.0 { "+" } else { "" }, amount(Some(b.gain), unit(&b.goal)));
                        let text = format!("{}. {}  {gain}{share}", b.rank, name(&b.node));
                        let colour = if b.rank <= 3 && b.gain > 0.0 {
                            Color32::from_rgb(180, 60, 20)
                        } else {
                            Color32::from_gray(60)
                        };
                        let leaf = doc.node(&b.node);
                        let hover = format!(
                            "{} → {}: {} {}",
                            amount(leaf.and_then(|n| n.actual), unit(&b.node)),
                            amount(leaf.and_then(|n| n.target), unit(&b.node)),
                            name(&b.goal),
                            amount(Some(b.goal_if_reached), unit(&b.goal)),
                        );
                        if ui.selectable_label(false, RichText::new(text).color(colour)).on_hover_text(hover).clicked()
                        {
                            clicked = Some(b.node.clone());
                        }
                    }
                }
            }
        },
    );
    clicked
}

/// Pacing: how many nodes are on track, and the ones behind.
fn pacing_list(ui: &mut Ui, derived: &Derived, lang: Lang) -> Option<NodeId> {
    ui.add_space(8.0);
    let p = &derived.pacing;
    let Some(elapsed) = p.elapsed else {
        ui.strong(T::Pacing.get(lang));
        // What is wrong with the period (a reversed one has every date).
        match PeriodProblem::of(derived.document.period.as_ref()) {
            Some(problem @ (PeriodProblem::Reversed { .. } | PeriodProblem::Empty(_))) => {
                ui.colored_label(Color32::from_rgb(190, 50, 40), problem.message(lang));
            }
            _ => {
                ui.weak(T::NoPacing.get(lang));
            }
        }
        return None;
    };
    let as_of = p.as_of.map(|d| d.to_string()).unwrap_or_default();
    ui.strong(format!("{} — {as_of} ({})", T::Pacing.get(lang), percent(elapsed, 0)))
        .on_hover_text(T::PacingHint.get(lang));
    let behind: Vec<_> = p.nodes.iter().filter(|n| n.status == PaceStatus::Behind).collect();
    let on_track = p.nodes.len() - behind.len();
    ui.label(format!("✓ {on_track}  ✖ {}", behind.len()));
    let doc = &derived.effective;
    let mut clicked = None;
    let row_height = ui.text_style_height(&egui::TextStyle::Button) + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical().id_salt("kpitree-pacing").auto_shrink([false, true]).show_rows(
        ui,
        row_height,
        behind.len(),
        |ui, range| {
            for pace in &behind[range] {
                let Some(node) = doc.node(&pace.node) else { continue };
                let text = format!(
                    "✖ {}: {} / {} ({} / {})",
                    node.name,
                    amount(Some(pace.actual), node.unit_str()),
                    amount(Some(pace.expected_actual), node.unit_str()),
                    percent(pace.progress, 0),
                    percent(pace.expected_progress, 0)
                );
                if ui.selectable_label(false, RichText::new(text).color(Color32::from_rgb(190, 50, 40))).clicked() {
                    clicked = Some(pace.node.clone());
                }
            }
        },
    );
    clicked
}
