//! The editor's side of the background worker: requests for everything
//! derived from the document, the results taken in, and the banner when a
//! job failed.

use std::sync::Arc;

use egui::Ui;

use super::app::KpiApp;
use super::i18n::T;
use crate::eval::Outcome;
use crate::eval::derived::{self, Derived, DerivedWorker, Request};
use crate::export::DiagramOptions;
use crate::lang::Lang;

impl KpiApp {
    /// Waits until the evaluation of the current document has arrived (for
    /// tests; the editor itself never waits).
    #[doc(hidden)]
    pub fn settle(&mut self) {
        self.request_derived();
        if let Some(outcome) = self.worker.wait() {
            self.receive(outcome);
        }
    }

    /// Runs `job` on the worker in place of [`derived::derive`] (tests make
    /// it panic, to see what the window does then).
    #[doc(hidden)]
    pub fn use_derive_job(&mut self, job: derived::Job) {
        self.derive_job = job;
        self.worker = start_worker_running(&self.repaint, job);
        self.requested = None;
    }

    /// The message of the banner saying the worker's last job failed.
    #[doc(hidden)]
    pub fn worker_failure(&self) -> Option<&str> {
        self.worker_failure.as_deref()
    }

    /// The evaluation on screen.
    pub fn evaluation(&self) -> Option<&crate::eval::Evaluation> {
        self.derived.as_ref().map(|(_, d)| d.evaluation.as_ref())
    }

    /// The newest derived state (evaluation, analysis, marks), if any.
    pub fn derived(&self) -> Option<&Derived> {
        self.derived.as_ref().map(|(_, d)| d.as_ref())
    }

    /// The newest derived state, shared.
    pub(super) fn derived_shared(&self) -> Option<Arc<Derived>> {
        self.derived.as_ref().map(|(_, d)| Arc::clone(d))
    }

    /// The latest evaluation, shared (no copy).
    pub(super) fn shared_evaluation(&self) -> Option<Arc<crate::eval::Evaluation>> {
        self.derived.as_ref().map(|(_, d)| Arc::clone(&d.evaluation))
    }

    /// The generation of the result on screen.
    pub(super) fn derived_generation(&self) -> Option<u64> {
        self.derived.as_ref().map(|(g, _)| *g)
    }

    /// True when the result on screen answers the newest request.
    pub fn is_current(&self) -> bool {
        self.derived_generation() == Some(self.generation)
    }

    /// Sends the worker a new request when the document, the scenario or
    /// the selection changed since the last one.
    pub(super) fn request_derived(&mut self) {
        let key = (
            self.session.revision(),
            self.scenario.clone(),
            self.selected.clone(),
            self.lang,
            self.canvas.compact_yen,
            self.period_shown().0,
            self.analysis.explain,
        );
        if self.requested.as_ref() == Some(&key) {
            return;
        }
        if !self.worker.is_alive() {
            self.worker = start_worker_running(&self.repaint, self.derive_job);
        }
        self.generation += 1;
        let request = Request {
            generation: self.generation,
            document: Arc::clone(self.session.document()),
            scenario: self.scenario.clone(),
            focus: self.selected.clone(),
            diagram: DiagramOptions {
                compact_yen: self.canvas.compact_yen,
                lang: self.lang,
                shown: key.5,
                ..DiagramOptions::default()
            },
            explain: self.analysis.explain,
        };
        self.worker.submit(self.generation, request);
        self.requested = Some(key);
    }

    /// A banner over the canvas while the worker's last job failed: the
    /// document is kept, the numbers shown are the last good ones.
    pub(super) fn failure_banner(&mut self, ui: &mut Ui, lang: Lang) {
        let Some(message) = self.worker_failure.clone() else { return };
        egui::Panel::top("kpitree-worker-failure").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.colored_label(egui::Color32::from_rgb(180, 30, 30), T::WorkerFailed.get(lang));
                ui.label(egui::RichText::new(message).monospace());
                if ui.button(T::Close.get(lang)).clicked() {
                    self.worker_failure = None;
                }
            });
        });
    }

    /// Takes in what the worker finished since the last frame.
    pub(super) fn take_results(&mut self) {
        if let Some(outcome) = self.worker.take() {
            self.receive(outcome);
        }
    }

    /// Takes in what the worker finished.
    pub(super) fn receive(&mut self, outcome: Outcome<Derived>) {
        match outcome.result {
            Ok(derived) => {
                if let Some(old) = self.derived.replace((outcome.generation, Arc::new(derived))) {
                    crate::eval::free_elsewhere(old);
                }
                self.worker_failure = None;
            }
            Err(message) => self.worker_failure = Some(message),
        }
    }
}

/// A worker running `job`, asking for a repaint whenever a result is ready.
pub(super) fn start_worker_running(ctx: &egui::Context, job: derived::Job) -> DerivedWorker {
    let repaint = ctx.clone();
    derived::worker_running(job, move || repaint.request_repaint())
}
