//! Autosave to the recovery file, and the offer to restore after a crash.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::app::KpiApp;
use super::i18n::T;
use crate::io::{Recovered, RecoveryStore};
use crate::model::Document;

/// The unsaved document a panic should write aside: set while there are
/// unsaved changes, cleared when there are none.
type AtRisk = Option<(Arc<Document>, Option<PathBuf>, RecoveryStore)>;

thread_local! {
    /// Per thread: the editor lives on the UI thread, and a panic hook runs
    /// on the thread that panics (a panic elsewhere does not end the editor).
    static AT_RISK: RefCell<AtRisk> = const { RefCell::new(None) };
}

/// Makes a panic anywhere in the editor write the unsaved document to the
/// recovery file before the process ends, so the next start offers it.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        write_at_risk();
        previous(info);
    }));
}

/// Writes this thread's document at risk, if any, to its recovery file.
/// Never panics itself: if the panic happened while the state was being
/// updated, it is skipped.
pub fn write_at_risk() {
    let _ = AT_RISK.try_with(|cell| {
        if let Ok(guard) = cell.try_borrow()
            && let Some((doc, origin, store)) = guard.as_ref()
        {
            let _ = store.write(doc, origin.as_deref());
        }
    });
}

fn set_at_risk(value: AtRisk) {
    let _ = AT_RISK.try_with(|cell| {
        if let Ok(mut guard) = cell.try_borrow_mut() {
            *guard = value;
        }
    });
}

/// Unsaved changes are written aside at most this often (the brief asks for
/// every 30 s; more often loses less, and the write runs off the UI thread).
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(5);

/// The app's recovery state.
pub struct Recovery {
    store: Option<RecoveryStore>,
    written_revision: Option<u64>,
    last_write: Instant,
    offer: Option<Recovered>,
    /// The revision handed to the panic hook.
    at_risk: Option<u64>,
}

impl Recovery {
    /// True while the restore question is shown.
    pub fn offering(&self) -> bool {
        self.offer.is_some()
    }

    /// Uses `store` (none: no data folder, so no recovery) and looks for work
    /// left by a crash.
    pub fn new(store: Option<RecoveryStore>) -> Recovery {
        let offer = store.as_ref().and_then(RecoveryStore::find_orphan);
        Recovery { store, written_revision: None, last_write: Instant::now(), offer, at_risk: None }
    }
}

impl KpiApp {
    /// Writes unsaved changes aside when they are older than
    /// [`AUTOSAVE_EVERY`] (or now, with `force`); removes the file once the
    /// document is saved.
    pub(super) fn autosave(&mut self, ctx: &egui::Context, force: bool) {
        let Some(store) = self.recovery.store.clone() else { return };
        if !self.is_dirty() {
            if self.recovery.written_revision.take().is_some() {
                let _ = store.clear();
            }
            if self.recovery.at_risk.take().is_some() {
                set_at_risk(None);
            }
            return;
        }
        let revision = self.session.revision();
        let doc = Arc::clone(self.session.document());
        let origin = self.session.path().map(PathBuf::from);
        if self.recovery.at_risk != Some(revision) {
            self.recovery.at_risk = Some(revision);
            set_at_risk(Some((Arc::clone(&doc), origin.clone(), store.clone())));
        }
        if self.recovery.written_revision == Some(revision) {
            return;
        }
        let due = self.recovery.last_write.elapsed() >= AUTOSAVE_EVERY;
        if !due && !force {
            ctx.request_repaint_after(AUTOSAVE_EVERY.saturating_sub(self.recovery.last_write.elapsed()));
            return;
        }
        self.recovery.last_write = Instant::now();
        self.recovery.written_revision = Some(revision);
        let write = move || {
            if let Err(e) = store.write(&doc, origin.as_deref()) {
                // Nothing to show it on from here; the next write may work.
                eprintln!("kpitree: cannot write the recovery file {}: {e}", store.file().display());
            }
        };
        if force {
            write();
        } else if std::thread::Builder::new().name("kpitree-autosave".into()).spawn(write).is_err() {
            self.recovery.written_revision = None;
        }
    }

    /// Writes unsaved changes aside now (tests; before a crash report).
    #[doc(hidden)]
    pub fn autosave_now(&mut self, ctx: &egui::Context) {
        self.autosave(ctx, true);
    }

    /// Removes this run's recovery file: the editor is closing normally.
    pub(super) fn clear_recovery(&mut self) {
        if let Some(store) = &self.recovery.store {
            let _ = store.clear();
        }
    }

    /// Offers to restore work that a crash left behind.
    pub(super) fn recovery_ui(&mut self, ctx: &egui::Context) {
        let Some(offer) = &self.recovery.offer else { return };
        let lang = self.lang;
        let age = offer.written.elapsed().map_or(0, |d| d.as_secs() / 60);
        let origin = offer.origin.as_ref().map(|p| p.display().to_string());
        let mut choice = None;
        egui::Modal::new(egui::Id::new("kpitree-recovery")).show(ctx, |ui| {
            ui.heading(T::RecoveryTitle.get(lang));
            ui.label(T::RecoveryBody.get(lang));
            let title = offer.document.title.as_deref().unwrap_or("");
            ui.label(format!("{title}  ({} {age} {})", T::WrittenAgo.get(lang), T::MinutesAgo.get(lang)));
            if let Some(origin) = &origin {
                ui.label(egui::RichText::new(origin).small());
            }
            ui.horizontal(|ui| {
                if ui.button(T::Restore.get(lang)).clicked() {
                    choice = Some(true);
                }
                if ui.button(T::Discard.get(lang)).clicked() {
                    choice = Some(false);
                }
            });
        });
        let Some(restore) = choice else { return };
        let Some(offer) = self.recovery.offer.take() else { return };
        if restore {
            self.restore_document(offer.document.clone(), offer.origin.clone());
        }
        let _ = offer.remove();
    }
}
