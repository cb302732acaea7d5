//! The open document's file on disk: what it was when read or saved (so a
//! save never silently overwrites another program's change), the lock file
//! beside it (so two windows do not both edit it), a watcher (so a change
//! made elsewhere is seen at once), and whether it may be written at all.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use super::app::KpiApp;
use super::commands::Command;
use super::i18n::T;
use super::question;
use crate::io::{self, Change, FileIdentity, FileWatcher, Held, Lock};
use crate::lang::Lang;
use crate::model::Document;

/// The state of the file the document belongs to. Its path is the
/// session's ([`crate::model::Session::path`]), the one place it is kept:
/// the editor holds an `OnDisk` only while the session has a path, and
/// replaces it whenever that path changes.
pub struct OnDisk {
    /// The file as last read or written.
    identity: Option<FileIdentity>,
    /// This window's lock beside it.
    lock: Option<Lock>,
    /// Reports changes by other programs (set from the watcher's thread).
    _watcher: Option<FileWatcher>,
    changed: Arc<ChangeFlag>,
    /// Opened read-only (the file is locked elsewhere and the user chose
    /// so), or the file may not be written.
    pub read_only: bool,
    /// The bar above the canvas about the file (gone, changed under
    /// unsaved changes); it goes with the file.
    bar: Option<T>,
}

/// "The file may have changed": set by the watcher's thread, taken by a frame.
#[derive(Default)]
struct ChangeFlag {
    set: Mutex<bool>,
    moved: Condvar,
}

impl ChangeFlag {
    fn set(&self) {
        *self.set.lock().unwrap_or_else(PoisonError::into_inner) = true;
        self.moved.notify_all();
    }

    fn take(&self) -> bool {
        std::mem::take(&mut *self.set.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Waits until it is set, at most `limit`; whether it is.
    fn wait(&self, limit: Duration) -> bool {
        let set = self.set.lock().unwrap_or_else(PoisonError::into_inner);
        let (set, _) = self.moved.wait_timeout_while(set, limit, |set| !*set).unwrap_or_else(PoisonError::into_inner);
        *set
    }
}

impl OnDisk {
    /// Watches `path` (read as `identity`), holding `lock`.
    fn new(
        path: PathBuf,
        identity: Option<FileIdentity>,
        lock: Option<Lock>,
        read_only: bool,
        ctx: &egui::Context,
    ) -> OnDisk {
        let changed = Arc::new(ChangeFlag::default());
        let flag = Arc::clone(&changed);
        let repaint = ctx.clone();
        let watcher = FileWatcher::new(&path, move |_| {
            flag.set();
            repaint.request_repaint();
        })
        .ok();
        let read_only = read_only || !io::writable(&path);
        OnDisk { identity, lock, _watcher: watcher, changed, read_only, bar: None }
    }

    /// Stops watching, keeping the lock (to attach again after a save).
    pub fn into_lock(self) -> Option<Lock> {
        self.lock
    }

    /// How the file at `path` differs from what the editor last read or
    /// wrote (the bytes looked at when the times cannot tell).
    fn change(&self, path: &Path) -> Change {
        match &self.identity {
            Some(id) => id.compare(path).unwrap_or(Change::Missing),
            None => Change::Unchanged,
        }
    }

    /// [`OnDisk::change`] with the bytes always compared: before an overwrite.
    fn content_change(&self, path: &Path) -> Change {
        match &self.identity {
            Some(id) => id.compare_content(path).unwrap_or(Change::Missing),
            None => Change::Unchanged,
        }
    }
}

/// A question about the file on disk, asked in a window.
pub enum DiskQuestion {
    /// The file is open in another window (or was, on another machine).
    Locked {
        /// The file.
        path: PathBuf,
        /// Who has it open.
        held: Held,
        /// The document read from it.
        doc: Box<Document>,
    },
    /// The file changed on disk since it was read: overwrite it, load it, or
    /// save elsewhere.
    SaveOverChange,
    /// Save As onto a file that exists.
    Replace(PathBuf),
}

/// Opens `path` for editing: the document, and the lock (or who holds it).
pub enum Opened {
    /// Locked for this window.
    Mine(Document, Option<Lock>),
    /// Open elsewhere: ask.
    Held(Document, Held),
}

/// Reads `path` and takes its lock.
pub fn open(path: &Path) -> Result<Opened, io::LoadError> {
    let doc = io::load(path)?;
    Ok(match Lock::acquire(path) {
        Ok(lock) => Opened::Mine(doc, Some(lock)),
        Err(held) => Opened::Held(doc, held),
    })
}

impl KpiApp {
    /// The document now belongs to `path` (opened or saved there): remember
    /// the file as it is, watch it, and keep `lock`.
    pub(super) fn attach(&mut self, path: &Path, lock: Option<Lock>, read_only: bool) {
        debug_assert_eq!(self.session.path(), Some(path), "the file watched is the session's");
        // The editor writes in this folder from now on: what writes killed
        // there left goes now (the save would remove it too, later).
        if let Some(folder) = path.parent() {
            io::remove_stale_temps(folder);
        }
        let identity = FileIdentity::read(path).ok();
        self.disk = Some(OnDisk::new(path.to_path_buf(), identity, lock, read_only, &self.repaint));
    }

    /// The document belongs to `path` as it was when `base` was taken
    /// (restored work): the file is looked at now, so that a change made
    /// since shows at once.
    pub(super) fn attach_as(&mut self, path: &Path, lock: Option<Lock>, base: FileIdentity) {
        self.attach(path, lock, false);
        if let Some(d) = &mut self.disk {
            d.identity = Some(base);
            d.changed.set();
        }
    }

    /// What the document's file was when last read or written.
    pub(super) fn disk_identity(&self) -> Option<FileIdentity> {
        self.disk.as_ref().and_then(|d| d.identity)
    }

    /// True when the document's file may not be written by this window.
    pub fn read_only(&self) -> bool {
        self.disk.as_ref().is_some_and(|d| d.read_only)
    }

    /// Blocks until the watcher has seen the document's file change (or
    /// `limit` passes: false), for the next frame to look at it (tests,
    /// instead of sleeping until the watcher's thread has seen a change).
    #[doc(hidden)]
    pub fn wait_for_disk_change(&self, limit: Duration) -> bool {
        self.disk.as_ref().is_some_and(|d| d.changed.wait(limit))
    }

    /// Looks at the file after the watcher saw something: a change while
    /// the document is clean is loaded (the view stays); while it has
    /// unsaved changes, a bar asks.
    pub(super) fn poll_disk(&mut self) {
        let (Some(disk), Some(path)) = (&self.disk, self.session.path()) else { return };
        if !disk.changed.take() {
            return;
        }
        let bar = match disk.change(path) {
            Change::Unchanged => return,
            Change::Touched(identity) => {
                if let Some(d) = &mut self.disk {
                    d.identity = Some(identity);
                }
                return;
            }
            Change::Missing => T::FileGone,
            Change::Modified(_) if !self.is_dirty() => return self.reload(true),
            Change::Modified(_) => T::ChangedOnDisk,
        };
        if let Some(d) = &mut self.disk {
            d.bar = Some(bar);
        }
    }

    /// Loads the file again, discarding the document's changes; `quiet`
    /// keeps the view and selection (a change made elsewhere while this
    /// window had nothing unsaved).
    pub(super) fn reload(&mut self, quiet: bool) {
        let Some(path) = self.disk.as_ref().and(self.session.path()).map(Path::to_path_buf) else { return };
        match io::load(&path) {
            Ok(doc) => {
                self.session.replace(doc, Some(path.clone()));
                if let Some(d) = &mut self.disk {
                    d.identity = FileIdentity::read(&path).ok();
                    d.bar = None;
                }
                self.selection.keep_existing(self.session.document());
                self.renaming = None;
                self.values_edit = None;
                self.files.status = Some((T::Reloaded.get(self.lang).to_owned(), std::time::Instant::now()));
                self.request_derived();
                if !quiet {
                    self.fit_when_shown();
                }
            }
            Err(e) => {
                self.show_error(T::OpenFailed, e.to_string());
            }
        }
    }

    /// Before saving over the document's own file: false (and a question
    /// asked) when the file changed on disk since it was read.
    pub(super) fn safe_to_overwrite(&mut self, path: &Path) -> bool {
        let Some(disk) = &self.disk else { return true };
        if self.session.path() != Some(path) {
            return true;
        }
        // The bytes, whatever the times say: a write that kept the size and
        // put the time back is a change too.
        match disk.content_change(path) {
            Change::Modified(_) => {
                self.disk_question = Some(DiskQuestion::SaveOverChange);
                false
            }
            Change::Touched(identity) => {
                if let Some(d) = &mut self.disk {
                    d.identity = Some(identity);
                }
                true
            }
            Change::Unchanged | Change::Missing => true,
        }
    }

    /// The bar above the canvas while the file changed on disk under
    /// unsaved changes.
    pub(super) fn disk_bar_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let Some(text) = self.disk.as_ref().and_then(|d| d.bar) else { return };
        let mut reload = false;
        let mut keep = false;
        egui::Panel::top("kpitree-disk-bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.colored_label(egui::Color32::from_rgb(160, 90, 0), text.get(lang));
                if text == T::ChangedOnDisk && ui.button(T::Reload.get(lang)).clicked() {
                    reload = true;
                }
                if ui.button(T::KeepEditing.get(lang)).clicked() {
                    keep = true;
                }
            });
        });
        if reload {
            self.reload(false);
        }
        if keep {
            // Keep editing: the next save asks before overwriting.
            if let Some(d) = &mut self.disk {
                d.bar = None;
            }
        }
    }

    /// The questions about the file on disk.
    pub(super) fn disk_question_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        let Some(question) = self.disk_question.take() else { return };
        let mut answer: Option<usize> = None;
        egui::Modal::new(egui::Id::new("kpitree-disk-question")).show(ctx, |ui| match &question {
            DiskQuestion::Locked { path, held, .. } => {
                ui.heading(T::LockedTitle.get(lang));
                let since = held.since.elapsed().map_or(0, |d| d.as_secs() / 60);
                // Whatever the lock file says: a 3,000-character user
                // name filled the window.
                let short = |s: &str| super::long_text::short(s, 64);
                ui.label(format!(
                    "{}\n{}@{} (pid {}), {since} {}",
                    super::long_text::short(&path.display().to_string(), 200),
                    short(&held.user),
                    short(&held.host),
                    held.pid,
                    T::MinutesAgo.get(lang)
                ));
                ui.label(T::LockedBody.get(lang));
                answer = question::buttons(
                    ui,
                    &[T::OpenReadOnly.get(lang), T::OpenAnyway.get(lang), T::Cancel.get(lang)],
                    0,
                    2,
                );
            }
            DiskQuestion::SaveOverChange => {
                ui.heading(T::ChangedOnDisk.get(lang));
                ui.label(T::SaveOverChangeBody.get(lang));
                answer = question::buttons(
                    ui,
                    &[T::Overwrite.get(lang), T::Reload.get(lang), Command::SaveAs.label(lang), T::Cancel.get(lang)],
                    2,
                    3,
                );
            }
            DiskQuestion::Replace(path) => {
                ui.heading(T::ReplaceTitle.get(lang));
                ui.label(path.display().to_string());
                answer = question::buttons(ui, &[T::Replace.get(lang), T::Cancel.get(lang)], 0, 1);
            }
        });
        let Some(answer) = answer else {
            self.disk_question = Some(question);
            return;
        };
        match (question, answer) {
            (DiskQuestion::Locked { path, doc, .. }, 0) => self.adopt(*doc, path, None, true),
            (DiskQuestion::Locked { path, doc, .. }, 1) => {
                let lock = Lock::acquire_anyway(&path);
                self.adopt(*doc, path, Some(lock), false);
            }
            (DiskQuestion::SaveOverChange, 0) => {
                if let Some(path) = self.session.path().map(Path::to_path_buf) {
                    self.write_to(path);
                }
            }
            (DiskQuestion::SaveOverChange, 1) => self.reload(false),
            (DiskQuestion::SaveOverChange, 2) => self.save_as_dialog(),
            (DiskQuestion::Replace(path), 0) => {
                self.write_to(path);
            }
            _ => self.files.cancel_after_save(),
        }
    }

    /// Takes an opened document as the one being edited.
    pub(super) fn adopt(&mut self, doc: Document, path: PathBuf, lock: Option<Lock>, read_only: bool) {
        self.files.remember(&path);
        self.replace_document(doc, Some(path.clone()));
        self.attach(&path, lock, read_only);
    }
}
