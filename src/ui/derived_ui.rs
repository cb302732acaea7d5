//! The editor's side of the background worker: requests for everything
//! derived from the document, the results taken in, and the banner when a
//! job failed.

use std::sync::Arc;

use egui::Ui;

use super::app::KpiApp;
use super::i18n::T;
use crate::export::DiagramOptions;
use crate::lang::Lang;
use crate::pipeline::derived::{self, Derived, Request};
use crate::pipeline::{DerivedState, Ticket};

impl KpiApp {
    /// Waits until the evaluation of the current document has arrived (for
    /// tests; the editor itself never waits).
    #[doc(hidden)]
    pub fn settle(&mut self) {
        self.request_derived();
        self.derived.wait();
    }

    /// Runs `job` on the worker in place of [`derived::derive`] (tests make
    /// it panic, or slow, to see what the window does then).
    #[doc(hidden)]
    pub fn use_derive_job(&mut self, job: derived::Job) {
        self.derived.use_job(job);
    }

    /// The message of the banner saying the worker's last job failed.
    #[doc(hidden)]
    pub fn worker_failure(&self) -> Option<&str> {
        self.derived.failure()
    }

    /// The evaluation on screen.
    pub fn evaluation(&self) -> Option<&crate::eval::Evaluation> {
        self.derived().map(|d| d.evaluation.as_ref())
    }

    /// The newest derived state (evaluation, analysis, marks), if any.
    pub fn derived(&self) -> Option<&Derived> {
        self.derived.latest().map(Arc::as_ref)
    }

    /// The newest derived state, shared.
    pub(super) fn derived_shared(&self) -> Option<Arc<Derived>> {
        self.derived.latest().cloned()
    }

    /// The latest evaluation, shared (no copy).
    pub(super) fn shared_evaluation(&self) -> Option<Arc<crate::eval::Evaluation>> {
        self.derived().map(|d| Arc::clone(&d.evaluation))
    }

    /// True when the result on screen answers the newest request.
    pub fn is_current(&self) -> bool {
        self.derived.is_current()
    }

    /// Asks the worker for what the window shows now (nothing new goes out
    /// when that is what it was last asked); the ticket of the answer.
    pub(super) fn request_derived(&mut self) -> Ticket {
        let request = Request {
            document: Arc::clone(self.session.document()),
            scenario: self.analysis.scenario.clone(),
            focus: self.selection.primary().cloned(),
            diagram: DiagramOptions {
                compact_yen: self.canvas.compact_yen,
                lang: self.lang,
                shown: self.period_shown().0,
                ..DiagramOptions::default()
            },
            explain: self.analysis.explain,
        };
        self.derived.request(self.session.revision(), request)
    }

    /// A banner over the canvas while the worker's last job failed: the
    /// document is kept, the numbers shown are the last good ones.
    pub(super) fn failure_banner(&mut self, ui: &mut Ui, lang: Lang) {
        let Some(message) = self.derived.failure().map(str::to_owned) else { return };
        egui::Panel::top("kpitree-worker-failure").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.colored_label(egui::Color32::from_rgb(180, 30, 30), T::WorkerFailed.get(lang));
                ui.label(egui::RichText::new(message).monospace());
                if ui.button(T::Close.get(lang)).clicked() {
                    self.derived.dismiss_failure();
                }
            });
        });
    }

    /// Takes in what the worker finished since the last frame.
    pub(super) fn take_results(&mut self) {
        self.derived.poll();
    }
}

/// The editor's derived state, asking the window for a repaint whenever an
/// answer is ready.
pub(super) fn derived_state(ctx: &egui::Context) -> DerivedState {
    let repaint = ctx.clone();
    DerivedState::new(move || repaint.request_repaint())
}
