//! F5: presenting the tree to a room. The canvas alone, full screen; → and
//! ← step through the story — each goal, then its success factors, then
//! their indicators, depth first — zooming to the node and its terms with
//! the rest faded; a number key jumps to a level; Escape returns to the
//! editor exactly as it was.

use rustc_hash::FxHashSet;

use super::app::KpiApp;
use super::canvas::Framed;
use super::i18n::T;
use crate::export::Diagram;
use crate::model::{Kind, NodeId};

/// The presentation in progress.
pub struct Presenting {
    /// The story: every card with terms, depth first from the goals.
    pub steps: Vec<NodeId>,
    /// The step on screen (`None`: the overview of the whole tree).
    pub at: Option<usize>,
    /// The cards at full strength.
    pub focus: Option<FxHashSet<NodeId>>,
    /// To restore on Escape: the view, and whether the window was full screen.
    saved_view: super::canvas::SavedView,
    was_fullscreen: bool,
    /// When the step last changed (the step counter and key hint show, then
    /// fade).
    changed_at: f64,
}

/// How long the step counter and the key hint stay, then how long they fade.
const HINT_SHOWN: f64 = 2.5;
const HINT_FADE: f64 = 1.0;

/// The story order: depth first from the goals (KGIs first, then other
/// roots), each card with shown terms once, terms in order.
pub fn story(d: &Diagram) -> Vec<NodeId> {
    let mut roots: Vec<usize> =
        (0..d.cards.len()).filter(|&k| d.links.parents[d.cards[k].node as usize].is_empty()).collect();
    roots.sort_by_key(|&k| (d.cards[k].kind != Kind::Kgi, k));
    let mut seen = FxHashSet::default();
    let mut steps = Vec::new();
    let mut stack: Vec<usize> = roots.into_iter().rev().collect();
    while let Some(k) = stack.pop() {
        if !seen.insert(k) {
            continue;
        }
        let card = &d.cards[k];
        let terms: Vec<usize> =
            d.links.children[card.node as usize].iter().filter_map(|&(c, _)| d.card_of_node(c)).collect();
        if !terms.is_empty() {
            steps.push(card.id.clone());
        }
        stack.extend(terms.into_iter().rev());
    }
    steps
}

impl KpiApp {
    /// The node the presentation is at (none: not presenting, or the whole
    /// tree).
    pub fn presenting_step(&self) -> Option<&NodeId> {
        let p = self.presenting.as_ref()?;
        p.steps.get(p.at?)
    }

    /// F5: presents from the overview of the whole tree.
    pub(super) fn start_presenting(&mut self, ctx: &egui::Context) {
        let Some(d) = self.canvas.diagram().cloned() else { return };
        let was_fullscreen = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        self.presenting = Some(Presenting {
            steps: story(&d),
            at: None,
            focus: None,
            saved_view: self.canvas.save_view(),
            was_fullscreen,
            changed_at: ctx.input(|i| i.time),
        });
        self.canvas.keep_framed(Some(Framed::All));
    }

    /// Over the presentation: the step counter 「3 / 9」 and the keys, which
    /// fade out a moment after each step.
    #[allow(clippy::cast_possible_truncation, reason = "an opacity from 0 to 1")]
    pub(super) fn present_overlay(&self, ctx: &egui::Context) {
        let Some(p) = &self.presenting else { return };
        let since = ctx.input(|i| i.time) - p.changed_at;
        if since > HINT_SHOWN + HINT_FADE {
            return;
        }
        let alpha = if since <= HINT_SHOWN { 1.0 } else { 1.0 - (since - HINT_SHOWN) / HINT_FADE } as f32;
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
        let lang = self.lang;
        let step = match p.at {
            Some(k) => format!("{} / {}", k + 1, p.steps.len()),
            None => format!("0 / {}", p.steps.len()),
        };
        let text = format!("{step}    {}", T::PresentKeys.get(lang));
        egui::Area::new(egui::Id::new("kpitree-present-hint"))
            .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -24.0])
            .interactable(false)
            .show(ctx, |ui| {
                ui.set_opacity(alpha);
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.label(egui::RichText::new(text).size(16.0));
                });
            });
    }

    /// The keys of the presentation: → ← steps, numbers jump to a level,
    /// Escape ends it. Called each frame while presenting.
    pub(super) fn present_keys(&mut self, ctx: &egui::Context) {
        let Some(p) = self.presenting.as_mut() else { return };
        let (next, back, escape, level) = ctx.input(|i| {
            let level = (1..=9).find(|k| {
                let key = egui::Key::from_name(&k.to_string());
                key.is_some_and(|key| i.key_pressed(key))
            });
            (
                i.key_pressed(egui::Key::ArrowRight)
                    || i.key_pressed(egui::Key::Space)
                    || i.key_pressed(egui::Key::PageDown),
                i.key_pressed(egui::Key::ArrowLeft) || i.key_pressed(egui::Key::PageUp),
                i.key_pressed(egui::Key::Escape),
                level,
            )
        });
        if escape {
            let p = self.presenting.take();
            if let Some(p) = p {
                self.canvas.keep_framed(None);
                if !p.was_fullscreen {
                    ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(false));
                }
                self.canvas.restore_view(p.saved_view);
                self.canvas.take_focus();
            }
            return;
        }
        let Some(d) = self.canvas.diagram().cloned() else { return };
        let mut go = None;
        if next {
            go = Some(p.at.map_or(0, |k| (k + 1).min(p.steps.len().saturating_sub(1))));
        }
        if back {
            go = match p.at {
                Some(0) | None => None,
                Some(k) => Some(k - 1),
            };
            if p.at == Some(0) {
                p.at = None;
                p.focus = None;
                p.changed_at = ctx.input(|i| i.time);
                self.canvas.keep_framed(Some(Framed::All));
                return;
            }
        }
        if let Some(level) = level {
            // Level 1 is the goals; level n the cards n − 1 columns right.
            go = p.steps.iter().position(|id| d.card(id).is_some_and(|c| c.depth + 1 == level as u32));
        }
        let Some(k) = go.filter(|&k| k < p.steps.len()) else { return };
        p.at = Some(k);
        p.changed_at = ctx.input(|i| i.time);
        let id = &p.steps[k];
        let Some(card) = d.card(id) else { return };
        let mut focus: FxHashSet<NodeId> = FxHashSet::default();
        focus.insert(id.clone());
        for &(c, _) in &d.links.children[card.node as usize] {
            if let Some(ck) = d.card_of_node(c) {
                focus.insert(d.cards[ck].id.clone());
            }
        }
        let ids: Vec<NodeId> = focus.iter().cloned().collect();
        p.focus = Some(focus);
        self.canvas.keep_framed(Some(Framed::Cards(ids)));
    }
}
