//! The File menu: new, open, save, save as, recent files, and the questions
//! around them (unsaved changes, where to save). Native dialogs where the
//! system has them; an in-app path prompt where it has none (a bare X session
//! without a desktop portal), so the command never silently does nothing.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::app::KpiApp;
use super::i18n::T;
use crate::lang::Lang;
use crate::model::Document;
use crate::{io, templates};

use super::settings_ui::RECENT_LIMIT;

/// What to do once unsaved changes are saved or discarded.
#[derive(Debug, Clone, PartialEq)]
pub enum After {
    /// Show the new-document chooser.
    New,
    /// Open this file, or ask which.
    Open(Option<PathBuf>),
    /// Make a new document from this outline, or ask which.
    Outline(Option<PathBuf>),
    /// Close the window.
    Quit,
    /// Join a room: name, address, code.
    Join(String, String, String),
}

/// Which file question the in-app prompt answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    Open,
    SaveAs,
    /// An outline to make a new document from.
    Outline,
    /// Another copy to merge into this document.
    Merge,
}

/// The state of the File menu's dialogs.
#[derive(Default)]
pub struct FileDialogs {
    /// Recently opened or saved files, newest first.
    pub recent: Vec<PathBuf>,
    prompt: Option<(Purpose, String)>,
    /// The prompt was just opened: select its file name (nothing typed yet).
    prompt_fresh: bool,
    new_dialog: bool,
    unsaved: Option<After>,
    after_save: Option<After>,
    allow_close: bool,
    pub(super) status: Option<(String, Instant)>,
    /// Never try native dialogs (tests; `KPITREE_NO_NATIVE_DIALOGS`).
    pub prompts_only: bool,
}

impl FileDialogs {
    /// A save that was asked about was cancelled: nothing follows it.
    pub fn cancel_after_save(&mut self) {
        self.after_save = None;
    }

    /// True while one of the File menu's windows asks something.
    pub fn modal_open(&self) -> bool {
        self.prompt.is_some() || self.new_dialog || self.unsaved.is_some()
    }

    /// Puts `path` (made [`absolute`]) first in the recent files.
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_owned());
        self.recent.truncate(RECENT_LIMIT);
    }

    /// Asks about unsaved changes, then joins the room.
    pub fn ask_then_join(&mut self, name: String, addr: String, code: String) {
        self.unsaved = Some(After::Join(name, addr, code));
    }

    /// Asks for a new document, first about unsaved changes if any.
    pub fn ask_new(&mut self, dirty: bool) {
        if dirty {
            self.unsaved = Some(After::New);
        } else {
            self.new_dialog = true;
        }
    }

    /// The "Recent files" submenu; returns the file the user picked.
    pub fn recent_menu(&self, ui: &mut egui::Ui, lang: Lang) -> Option<PathBuf> {
        let mut picked = None;
        ui.add_enabled_ui(!self.recent.is_empty(), |ui| {
            ui.menu_button(T::Recent.get(lang), |ui| {
                for path in &self.recent {
                    let name =
                        path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
                    if ui.button(name).on_hover_text(path.display().to_string()).clicked() {
                        picked = Some(path.clone());
                    }
                }
            });
        });
        picked
    }
}

/// The files an outline is read from (`io::outline::read`).
pub const OUTLINE_EXTENSIONS: &[&str] = &["txt", "text", "md", "markdown", "xlsx", "xlsm", "xls", "ods", "csv", "tsv"];

/// True for a text file an outline is read from (`.md`, `.txt`): dropped
/// on the window, it becomes a new tree.
pub fn is_text_outline(path: &Path) -> bool {
    path.extension().is_some_and(|e| ["txt", "text", "md", "markdown"].iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// What a native file dialog gave.
pub(super) enum Picked {
    Path(PathBuf),
    Cancelled,
    Unavailable,
}

/// A native dialog returning within this time did not really open: no person
/// cancels that fast (rfd returns "no file" when no portal answers).
const TOO_FAST: Duration = Duration::from_millis(150);

fn native_dialogs_exist() -> bool {
    if std::env::var_os("KPITREE_NO_NATIVE_DIALOGS").is_some() {
        return false;
    }
    // On Linux the dialogs go through the desktop portal on the session bus.
    !cfg!(target_os = "linux") || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
}

pub(super) fn native_pick(purpose: Purpose, folder: &Path, suggested: &str, prompts_only: bool) -> Picked {
    if prompts_only || !native_dialogs_exist() {
        return Picked::Unavailable;
    }
    let started = Instant::now();
    let dialog = rfd::FileDialog::new().set_directory(folder);
    let result = match purpose {
        Purpose::Open => dialog.add_filter("KPI tree (*.kpitree.json)", &["json"]).pick_file(),
        Purpose::SaveAs => {
            dialog.add_filter("KPI tree (*.kpitree.json)", &["json"]).set_file_name(suggested).save_file()
        }
        Purpose::Outline => dialog.add_filter("Outline", OUTLINE_EXTENSIONS).pick_file(),
        Purpose::Merge => dialog.add_filter("KPI tree (*.kpitree.json)", &["json"]).pick_file(),
    };
    match result {
        Some(path) => Picked::Path(path),
        None if started.elapsed() < TOO_FAST => Picked::Unavailable,
        None => Picked::Cancelled,
    }
}

/// A file name (without extension) for a document that has none yet: its
/// title, else its first goal's name, with what file names cannot hold
/// (/ \ : * ? " < > | and control characters) replaced by "_", at most 80
/// characters; "kpitree" when that leaves nothing.
pub fn file_stem(doc: &Document) -> String {
    let goal = || doc.nodes.iter().find(|n| n.kind == crate::model::Kind::Kgi).map(|n| n.name.as_str());
    let text = doc.title.as_deref().filter(|t| !t.trim().is_empty()).or_else(goal).unwrap_or_default();
    let forbidden = |c: char| c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|');
    let stem: String = text.trim().chars().map(|c| if forbidden(c) { '_' } else { c }).take(80).collect();
    let stem = stem.trim().trim_start_matches('.').to_owned();
    if stem.is_empty() { "kpitree".to_owned() } else { stem }
}

/// The file's absolute path, so that the recent list, the title and recovery
/// files name the same file whatever the working directory of a later run.
pub fn absolute(path: PathBuf) -> PathBuf {
    std::fs::canonicalize(&path).unwrap_or(path)
}

/// `name` with `.kpitree.json` added unless it already ends in `.json`.
pub fn with_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
        return path;
    }
    let mut name = path.into_os_string();
    name.push(".kpitree.json");
    PathBuf::from(name)
}

impl KpiApp {
    /// File → Open: asks about unsaved changes, then which file.
    pub(super) fn open_dialog(&mut self) {
        if self.is_dirty() {
            self.files.unsaved = Some(After::Open(None));
            return;
        }
        self.pick_and_open();
    }

    /// File → New from outline…: a list written in a mail, Word or Excel
    /// (one node a line, children indented) becomes a new, unsaved tree.
    pub(super) fn outline_dialog(&mut self) {
        if self.is_dirty() {
            self.files.unsaved = Some(After::Outline(None));
            return;
        }
        self.pick_outline();
    }

    fn pick_outline(&mut self) {
        let folder = self.start_folder();
        match native_pick(Purpose::Outline, &folder, "", self.files.prompts_only) {
            Picked::Path(path) => self.new_from_outline(path),
            Picked::Cancelled => {}
            Picked::Unavailable => self.prompt_for(Purpose::Outline, folder.join("")),
        }
    }

    /// Reads the outline in `path` into a new document (unsaved, no file
    /// yet); a line that cannot be read creates nothing and the error names
    /// it. Unsaved changes are asked about first.
    pub(super) fn new_from_outline(&mut self, path: PathBuf) {
        if self.is_dirty() {
            self.files.unsaved = Some(After::Outline(Some(path)));
            return;
        }
        match io::outline::read(&path, None) {
            Ok(doc) => {
                self.replace_document(doc, None);
                let name = path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
                self.files.status = Some((format!("{}: {name}", T::MadeFromOutline.get(self.lang)), Instant::now()));
            }
            Err(e) => self.show_error(T::OutlineFailed, e.message(self.lang)),
        }
    }

    fn pick_and_open(&mut self) {
        let folder = self.start_folder();
        match native_pick(Purpose::Open, &folder, "", self.files.prompts_only) {
            Picked::Path(path) => self.open_path(path),
            Picked::Cancelled => {}
            Picked::Unavailable => self.prompt_for(Purpose::Open, folder.join("")),
        }
    }

    /// Where a file dialog starts: the document's folder, else the folder
    /// of the file last opened or saved, else the home folder.
    pub(super) fn start_folder(&self) -> PathBuf {
        let doc = self.session.path().and_then(Path::parent);
        let recent = self.files.recent.first().and_then(|p| p.parent());
        doc.or(recent)
            .map(Path::to_path_buf)
            .or_else(|| directories::UserDirs::new().map(|d| d.home_dir().to_path_buf()))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default()
    }

    /// The in-window path prompt (no native dialog), on an absolute path.
    pub(super) fn prompt_for(&mut self, purpose: Purpose, path: PathBuf) {
        self.files.prompt = Some((purpose, path.display().to_string()));
        self.files.prompt_fresh = true;
    }

    /// Opens `path` (after asking about unsaved changes). A file that cannot
    /// be opened leaves the current document as it is and says why.
    pub fn open_path(&mut self, path: PathBuf) {
        if self.is_dirty() {
            self.files.unsaved = Some(After::Open(Some(path)));
            return;
        }
        self.open_now(path);
    }

    /// Opens `path`, whatever happens to unsaved changes (they were saved or
    /// discarded).
    fn open_now(&mut self, path: PathBuf) {
        let path = absolute(path);
        match super::disk::open(&path) {
            Ok(super::disk::Opened::Mine(doc, lock)) => self.adopt(doc, path, lock, false),
            Ok(super::disk::Opened::Held(doc, held)) => {
                // Open in another window: ask before editing it here too.
                self.disk_question = Some(super::disk::DiskQuestion::Locked { path, held, doc: Box::new(doc) });
            }
            Err(e) => {
                self.show_error(T::OpenFailed, e.to_string());
            }
        }
    }

    /// Saves to the current file, or asks where. True when saved.
    pub(super) fn save_now(&mut self) -> bool {
        match self.session.path().map(Path::to_path_buf) {
            // A read-only file (or one open read-only) is saved elsewhere.
            Some(path) if !self.read_only() => self.save_to(path),
            _ => {
                self.save_as_dialog();
                false
            }
        }
    }

    /// File → Save As.
    pub(super) fn save_as_dialog(&mut self) {
        let suggested = self.session.path().and_then(|p| p.file_name()).map_or_else(
            || format!("{}.kpitree.json", file_stem(self.session.document())),
            |n| n.to_string_lossy().into_owned(),
        );
        // Beside the document (also a read-only one), never the process's
        // working folder.
        let folder = self.start_folder();
        match native_pick(Purpose::SaveAs, &folder, &suggested, self.files.prompts_only) {
            Picked::Path(path) => {
                self.save_to(with_extension(path));
            }
            Picked::Cancelled => self.files.after_save = None,
            Picked::Unavailable => self.prompt_for(Purpose::SaveAs, folder.join(suggested)),
        }
    }

    /// Saves to `path`, unless the document's own file changed on disk since
    /// it was read (then a question asks first). True when saved.
    pub fn save_to(&mut self, path: PathBuf) -> bool {
        if !self.safe_to_overwrite(&absolute(path.clone())) {
            return false;
        }
        self.write_to(path)
    }

    /// Save As typed into the window's own prompt: a file that exists is
    /// replaced only when the user says so (a native dialog asks itself).
    fn save_as_typed(&mut self, path: PathBuf) {
        let current = self.session.path().map(Path::to_path_buf);
        if path.exists() && Some(absolute(path.clone())) != current {
            self.disk_question = Some(super::disk::DiskQuestion::Replace(path));
            return;
        }
        self.save_to(path);
    }

    /// Writes the document to `path` atomically. True when saved; on failure
    /// the message is shown and the document stays as it is.
    pub(super) fn write_to(&mut self, path: PathBuf) -> bool {
        match io::save(&path, self.session.document()) {
            Ok(()) => {
                let path = absolute(path);
                self.files.remember(&path);
                let same = self.disk.is_some() && self.session.path() == Some(path.as_path());
                self.session.mark_saved(path.clone());
                if same {
                    // The same file: the new content is what it is now.
                    let lock = self.disk.take().and_then(|d| d.into_lock());
                    self.attach(&path, lock, false);
                } else {
                    let lock = crate::io::Lock::acquire(&path).ok();
                    self.attach(&path, lock, false);
                }
                self.files.status = Some((T::Saved.get(self.lang).to_owned(), Instant::now()));
                if let Some(after) = self.files.after_save.take() {
                    self.continue_with(after);
                }
                true
            }
            Err(e) => {
                // The message names the file already.
                let message = format!("{}: {}", T::SaveFailed.get(self.lang), io::error_message(&e, self.lang));
                self.show_error(T::SaveFailed, message);
                self.files.after_save = None;
                false
            }
        }
    }

    fn continue_with(&mut self, after: After) {
        match after {
            After::New => self.files.new_dialog = true,
            After::Open(Some(path)) => self.open_now(path),
            After::Open(None) => self.pick_and_open(),
            After::Outline(Some(path)) => self.new_from_outline(path),
            After::Outline(None) => self.pick_outline(),
            After::Quit => {
                self.files.allow_close = true;
                self.quit_requested = true;
            }
            After::Join(name, addr, code) => {
                if let Err(e) = self.join_now(&name, &addr, &code) {
                    self.show_error(T::RoomFailed, e);
                }
            }
        }
    }

    /// The File menu's windows, and the question when the window is closed
    /// with unsaved changes.
    pub(super) fn files_ui(&mut self, ctx: &egui::Context) {
        let lang = self.lang;
        if ctx.input(|i| i.viewport().close_requested()) && self.is_dirty() && !self.files.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.files.unsaved = Some(After::Quit);
        }
        if std::mem::take(&mut self.quit_requested) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        self.unsaved_ui(ctx, lang);
        self.prompt_ui(ctx, lang);
        self.new_ui(ctx, lang);
        if let Some((text, at)) = &self.files.status {
            if at.elapsed() > Duration::from_secs(2) {
                self.files.status = None;
            } else {
                egui::Area::new(egui::Id::new("kpitree-status"))
                    .anchor(egui::Align2::CENTER_BOTTOM, [0.0, -190.0])
                    .show(ctx, |ui| {
                        egui::Frame::popup(ui.style()).show(ui, |ui| ui.label(text.as_str()));
                    });
                ctx.request_repaint_after(Duration::from_millis(500));
            }
        }
    }

    fn unsaved_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        let Some(after) = self.files.unsaved.clone() else { return };
        let mut choice = None;
        egui::Modal::new(egui::Id::new("kpitree-unsaved")).show(ctx, |ui| {
            ui.heading(T::UnsavedTitle.get(lang));
            ui.label(T::UnsavedBody.get(lang));
            ui.add_space(8.0);
            let labels = [super::commands::Command::Save.label(lang), T::Discard.get(lang), T::Cancel.get(lang)];
            choice = super::question::buttons(ui, &labels, 0, 2);
        });
        match choice {
            Some(0) => {
                self.files.unsaved = None;
                self.files.after_save = Some(after);
                self.save_now();
            }
            Some(1) => {
                self.files.unsaved = None;
                self.continue_with(after);
            }
            Some(_) => self.files.unsaved = None,
            None => {}
        }
    }

    fn prompt_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        let Some((purpose, mut text)) = self.files.prompt.take() else { return };
        let title = match purpose {
            Purpose::Open => T::OpenTitle,
            Purpose::SaveAs => T::SaveTitle,
            Purpose::Outline => T::OutlineTitle,
            Purpose::Merge => T::MergeTitle,
        };
        let mut done = None;
        egui::Modal::new(egui::Id::new("kpitree-path-prompt")).show(ctx, |ui| {
            ui.heading(title.get(lang));
            let label = ui.label(T::PathPrompt.get(lang));
            let field = egui::Id::new("kpitree-path-field");
            if std::mem::take(&mut self.files.prompt_fresh) {
                // The file name selected (without .kpitree.json), so that
                // typing replaces the name and keeps the folder.
                let (start, end) = name_range(&text);
                let mut state = egui::text_edit::TextEditState::load(ui.ctx(), field).unwrap_or_default();
                state.cursor.set_char_range(Some(egui::text::CCursorRange::two(
                    egui::text::CCursor::new(start),
                    egui::text::CCursor::new(end),
                )));
                state.store(ui.ctx(), field);
                ui.memory_mut(|m| m.request_focus(field));
            }
            let response =
                ui.add(egui::TextEdit::singleline(&mut text).id(field).desired_width(480.0)).labelled_by(label.id);
            response.request_focus();
            let ok = match purpose {
                Purpose::Open | Purpose::Outline | Purpose::Merge => super::commands::Command::Open.label(lang),
                Purpose::SaveAs => super::commands::Command::Save.label(lang),
            };
            done = match super::question::buttons(ui, &[ok, T::Cancel.get(lang)], 0, 1) {
                Some(0) if !text.trim().is_empty() => Some(true),
                Some(1) => Some(false),
                _ => None,
            };
        });
        match done {
            None => self.files.prompt = Some((purpose, text)),
            Some(false) => self.files.after_save = None,
            Some(true) => {
                let path = expand_home(text.trim());
                match purpose {
                    Purpose::Open => self.open_path(path),
                    Purpose::SaveAs => self.save_as_typed(with_extension(path)),
                    Purpose::Outline => self.new_from_outline(path),
                    Purpose::Merge => self.merge_from(&path),
                }
            }
        }
    }

    fn new_ui(&mut self, ctx: &egui::Context, lang: Lang) {
        if !self.files.new_dialog {
            return;
        }
        let mut chosen: Option<Document> = None;
        let mut close = false;
        egui::Modal::new(egui::Id::new("kpitree-new")).show(ctx, |ui| {
            ui.heading(T::NewDocument.get(lang));
            ui.add_space(6.0);
            egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                // The default, as Enter takes it.
                let blank = ui.add(super::question::default_button(ui, T::Blank.get(lang)));
                if blank.clicked() {
                    chosen = Some(blank_tree(lang));
                }
                ui.separator();
                for t in templates::ALL {
                    ui.horizontal(|ui| {
                        if ui.button(t.title()).clicked() {
                            chosen = t.document().ok();
                        }
                        ui.label(egui::RichText::new(t.description()).small());
                    });
                }
            });
            ui.separator();
            let escape = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape));
            if ui.button(T::Cancel.get(lang)).clicked() || escape {
                close = true;
            }
            // Enter takes the default, the blank tree (unless a template's
            // button has the keyboard and took it).
            let enter = ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
            if chosen.is_none() && !close && enter {
                chosen = Some(blank_tree(lang));
            }
        });
        if let Some(doc) = chosen {
            let blank = doc.nodes.len() == 1;
            self.replace_document(doc, None);
            if blank && let Some(goal) = self.session.document().nodes.first() {
                // Ready to type the goal's name over the placeholder.
                let (id, name) = (goal.id.clone(), goal.name.clone());
                self.select(Some(id.clone()));
                self.renaming = Some(super::canvas::Renaming::select_all(id, name));
            }
            close = true;
        }
        if close {
            self.files.new_dialog = false;
        }
    }
}

/// A new tree: one goal, named with the placeholder.
fn blank_tree(lang: Lang) -> Document {
    let mut doc = Document::new();
    doc.nodes.push(crate::model::Node::new("kgi", crate::model::Kind::Kgi, T::NewKgi.get(lang)));
    doc
}

/// The characters of the file name in a path (after the last separator,
/// before `.kpitree.json` or another extension), as a range of chars.
fn name_range(path: &str) -> (usize, usize) {
    let start = path.rfind(['/', std::path::MAIN_SEPARATOR]).map_or(0, |i| path[..=i].chars().count());
    let name = &path[path.char_indices().nth(start).map_or(path.len(), |(i, _)| i)..];
    let stem = name.strip_suffix(".kpitree.json").or_else(|| name.rsplit_once('.').map(|(s, _)| s)).unwrap_or(name);
    (start, start + stem.chars().count())
}

fn expand_home(text: &str) -> PathBuf {
    match text.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME").map_or_else(|| PathBuf::from(text), |h| PathBuf::from(h).join(rest)),
        None => PathBuf::from(text),
    }
}

#[cfg(test)]
mod tests {
    use super::file_stem;
    use crate::model::{Document, Kind, Node};

    #[test]
    fn the_path_prompt_selects_the_file_name_without_its_extension() {
        use super::name_range;
        assert_eq!(name_range("/home/me/計画.kpitree.json"), (9, 11));
        assert_eq!(name_range("/home/me/"), (9, 9));
        assert_eq!(name_range("/tmp/a.png"), (5, 6));
        assert_eq!(name_range("plan"), (0, 4));
    }

    #[test]
    fn a_new_file_is_named_after_the_title_or_the_goal_with_what_names_cannot_hold_replaced() {
        let mut doc = Document::new();
        assert_eq!(file_stem(&doc), "kpitree");
        doc.nodes.push(Node::new("g", Kind::Kgi, "商談数"));
        assert_eq!(file_stem(&doc), "商談数");
        doc.title = Some(" 売上/費用: 2027 年度? ".into());
        assert_eq!(file_stem(&doc), "売上_費用_ 2027 年度_");
        doc.title = Some("..\u{7}".into());
        assert_eq!(file_stem(&doc), "_");
        doc.title = Some("長".repeat(200));
        assert_eq!(file_stem(&doc).chars().count(), 80);
    }
}
