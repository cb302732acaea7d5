//! Autosave to the recovery copy, and the offer to restore after a crash:
//! every copy left behind, newest first, each to restore or discard.

use std::cell::RefCell;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::app::KpiApp;
use super::i18n::T;
use crate::io::{FileIdentity, Recovered, RecoveryStore};
use crate::lang::Lang;
use crate::model::Document;

/// The unsaved document a panic should write aside: set while there are
/// unsaved changes, cleared when there are none.
type AtRisk = Option<(Arc<Document>, Option<PathBuf>, Option<FileIdentity>, RecoveryStore)>;

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
            && let Some((doc, origin, base, store)) = guard.as_ref()
        {
            let _ = store.write(doc, origin.as_deref(), base.as_ref());
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

/// Characters of a name or a path shown in the list (whole in the tooltip).
const SHOWN_CHARS: usize = 80;

/// The app's recovery state.
pub struct Recovery {
    store: Option<RecoveryStore>,
    written_revision: Option<u64>,
    last_write: Instant,
    /// Copies left by crashes, newest first, while the list is shown.
    offers: Vec<Recovered>,
    /// The revision handed to the panic hook.
    at_risk: Option<u64>,
}

impl Recovery {
    /// True while the restore question is shown.
    pub fn offering(&self) -> bool {
        !self.offers.is_empty()
    }

    /// Uses `store` (none: no data folder, so no recovery) and looks for work
    /// left by crashes (their headers only).
    pub fn new(store: Option<RecoveryStore>) -> Recovery {
        let offers = store.as_ref().map(RecoveryStore::find_orphans).unwrap_or_default();
        Recovery { store, written_revision: None, last_write: Instant::now(), offers, at_risk: None }
    }
}

/// What the user chose in the list.
enum Choice {
    Restore(usize),
    Discard(usize),
    Later,
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
        // What the file was when this work began from it: a restore checks
        // the file against it.
        let base = self.disk_identity();
        if self.recovery.at_risk != Some(revision) {
            self.recovery.at_risk = Some(revision);
            set_at_risk(Some((Arc::clone(&doc), origin.clone(), base, store.clone())));
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
            if let Err(e) = store.write(&doc, origin.as_deref(), base.as_ref()) {
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

    /// Offers the work that crashes left behind: one row per copy, newest
    /// first, with its file name, age and size; each restored or discarded
    /// on its own. "Later" keeps them all for the next start.
    pub(super) fn recovery_ui(&mut self, ctx: &egui::Context) {
        if self.recovery.offers.is_empty() {
            return;
        }
        let lang = self.lang;
        let mut choice = None;
        egui::Modal::new(egui::Id::new("kpitree-recovery")).show(ctx, |ui| {
            ui.heading(T::RecoveryTitle.get(lang));
            ui.label(T::RecoveryBody.get(lang));
            ui.add_space(6.0);
            egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                for (k, offer) in self.recovery.offers.iter().enumerate() {
                    ui.separator();
                    offer_row(ui, offer, lang, k, &mut choice);
                }
            });
            ui.separator();
            if ui.button(T::Later.get(lang)).on_hover_text(T::LaterHint.get(lang)).clicked() {
                choice = Some(Choice::Later);
            }
        });
        match choice {
            None => {}
            Some(Choice::Later) => self.recovery.offers.clear(),
            Some(Choice::Discard(k)) if k < self.recovery.offers.len() => {
                let offer = self.recovery.offers.remove(k);
                let _ = offer.remove();
            }
            Some(Choice::Restore(k)) if k < self.recovery.offers.len() => {
                match self.recovery.offers[k].load() {
                    Ok(doc) => {
                        let offer = self.recovery.offers.remove(k);
                        // The others stay on disk for the next start.
                        self.recovery.offers.clear();
                        self.restore_document(doc, offer.origin.clone(), offer.base);
                        let _ = offer.remove();
                    }
                    Err(e) => {
                        self.show_error(T::OpenFailed, e.to_string());
                    }
                }
            }
            Some(_) => {}
        }
    }
}

/// One copy in the list: its name, when it was written, where it belongs.
fn offer_row(ui: &mut egui::Ui, offer: &Recovered, lang: Lang, k: usize, choice: &mut Option<Choice>) {
    let name = offer.name().unwrap_or_else(|| T::Untitled.get(lang).to_owned());
    ui.horizontal(|ui| {
        ui.vertical(|ui| {
            ui.strong(capped(&name)).on_hover_text(&name);
            let mut facts = vec![ago(offer.written.elapsed().unwrap_or_default(), lang)];
            if let Some(n) = offer.nodes {
                facts.push(format!("{n} {}", T::NodesCount.get(lang)));
            }
            ui.label(egui::RichText::new(facts.join(" · ")).small());
            if let Some(origin) = &offer.origin {
                let path = origin.display().to_string();
                ui.label(egui::RichText::new(capped(&path)).small().weak()).on_hover_text(path);
            }
        });
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            // Distinct ids per row: the labels repeat.
            ui.push_id(k, |ui| {
                if ui.button(T::DiscardCopy.get(lang)).clicked() {
                    *choice = Some(Choice::Discard(k));
                }
                if ui.button(T::Restore.get(lang)).clicked() {
                    *choice = Some(Choice::Restore(k));
                }
            });
        });
    });
}

/// `text`, cut to [`SHOWN_CHARS`] characters with "…".
fn capped(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// "5 分前" / "5 minutes ago", in hours or days when longer.
fn ago(elapsed: Duration, lang: Lang) -> String {
    let minutes = elapsed.as_secs() / 60;
    let (n, ja, en) = match minutes {
        0..60 => (minutes, "分前", "minutes ago"),
        60..2880 => (minutes / 60, "時間前", "hours ago"),
        _ => (minutes / 1440, "日前", "days ago"),
    };
    match lang {
        Lang::Ja => format!("{n} {ja}"),
        Lang::En => format!("{n} {en}"),
    }
}
