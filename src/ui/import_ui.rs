//! File → Import actuals…: a spreadsheet or CSV of monthly values read
//! against the document, shown as the command line's report (every change,
//! old → new, and every row that failed), then applied as one undo step.

use std::path::{Path, PathBuf};

use super::app::KpiApp;
use super::i18n::T;
use crate::io::import::{self, Import};
use crate::lang::Lang;

/// The state of the import window.
#[derive(Default)]
pub struct ImportDialog {
    /// Whether the window is open.
    pub open: bool,
    /// The file to read, as typed or picked.
    path: String,
    /// The sheet of a workbook (empty: the first).
    sheet: String,
    /// The values of a wide file are targets (else actuals).
    targets: bool,
    /// Apply the rows that were read even when others failed.
    skip_bad: bool,
    /// What the last read found, the revision of the document it was read
    /// against and the options it used, or why nothing could be read.
    read: Option<(Result<Import, String>, ReadKey)>,
}

/// What a reading depends on: the document's revision, the file, the sheet
/// and whether the values are targets.
type ReadKey = (u64, String, String, bool);

/// The spreadsheet kinds the import reads.
const EXTENSIONS: [&str; 4] = ["csv", "xlsx", "xls", "ods"];

impl KpiApp {
    /// File → Import actuals…
    pub(super) fn open_import(&mut self) {
        self.import.open = true;
        self.import.read = None;
    }

    /// The import window on `path`, read at once (a spreadsheet dropped on
    /// the window).
    pub(super) fn import_file(&mut self, path: PathBuf) {
        self.open_import();
        self.import.path = path.display().to_string();
        self.read_import();
    }

    /// [`KpiApp::import_file`], for tests.
    #[doc(hidden)]
    pub fn import_file_for_test(&mut self, path: PathBuf) {
        self.import_file(path);
    }

    /// The key of a reading of the file now in the window.
    fn import_key(&self) -> ReadKey {
        let d = &self.import;
        (self.session.revision(), d.path.trim().to_owned(), d.sheet.trim().to_owned(), d.targets)
    }

    /// Reads the file in the window against the document.
    fn read_import(&mut self) {
        let key = self.import_key();
        let path = PathBuf::from(&key.1);
        let sheet = Some(key.2.as_str()).filter(|s| !s.is_empty());
        let options = import::Options { targets: key.3 };
        let found = import::read(self.session.document(), &path, sheet, options).map_err(|e| e.to_string());
        self.import.read = Some((found, key));
    }

    /// Applies what was read, as one undoable step; reads again first when
    /// the document changed since (the report must be of this document).
    fn apply_import(&mut self) {
        if self.import.read.as_ref().is_none_or(|(_, key)| *key != self.import_key()) {
            self.read_import();
        }
        let Some((Ok(found), _)) = &self.import.read else { return };
        if !found.failures.is_empty() && !self.import.skip_bad {
            return;
        }
        let count = found.changes.len();
        if let Some(edit) = import::edit(self.session.document(), found) {
            self.apply(vec![edit]);
        }
        let text = match self.lang {
            Lang::Ja => format!("{count} 個の値を取り込みました (元に戻せます)"),
            Lang::En => format!("Imported {count} values (undo restores them)"),
        };
        self.files.status = Some((text, std::time::Instant::now()));
        self.import.open = false;
        self.import.read = None;
    }

    /// A native file chooser for spreadsheets, when the desktop has one.
    fn pick_import_file(&mut self) {
        if self.files.prompts_only {
            return;
        }
        let folder = self.start_folder();
        let filter = T::Spreadsheets.get(self.lang);
        if let Some(path) = rfd::FileDialog::new().add_filter(filter, &EXTENSIONS).set_directory(folder).pick_file() {
            self.import.path = path.display().to_string();
            self.read_import();
        }
    }

    /// The import window, when open.
    pub(super) fn import_ui(&mut self, ctx: &egui::Context) {
        if !self.import.open {
            return;
        }
        let lang = self.lang;
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            self.import.open = false;
            return;
        }
        let mut open = true;
        let (mut read, mut apply, mut pick) = (false, false, false);
        let stale = self.import.read.as_ref().is_some_and(|(_, key)| *key != self.import_key());
        egui::Window::new(T::ImportTitle.get(lang)).open(&mut open).default_width(620.0).collapsible(false).show(
            ctx,
            |ui| {
                let dialog = &mut self.import;
                ui.label(T::ImportHint.get(lang));
                ui.horizontal(|ui| {
                    let label = ui.label(T::PathPrompt.get(lang));
                    let field = egui::TextEdit::singleline(&mut dialog.path).desired_width(400.0);
                    let r = ui.add(field).labelled_by(label.id);
                    read |= r.lost_focus()
                        && ui.input(|i| i.key_pressed(egui::Key::Enter))
                        && !dialog.path.trim().is_empty();
                    pick = ui.button(T::Browse.get(lang)).clicked();
                });
                ui.horizontal(|ui| {
                    let label = ui.label(T::Sheet.get(lang));
                    ui.add(egui::TextEdit::singleline(&mut dialog.sheet).desired_width(140.0)).labelled_by(label.id);
                    ui.separator();
                    ui.label(T::ImportValues.get(lang));
                    ui.radio_value(&mut dialog.targets, false, T::Actual.get(lang));
                    ui.radio_value(&mut dialog.targets, true, T::Target.get(lang));
                    ui.separator();
                    let has_path = !dialog.path.trim().is_empty();
                    read |= ui.add_enabled(has_path, egui::Button::new(T::ReadFile.get(lang))).clicked();
                });
                ui.separator();
                let doc = self.session.document();
                match &dialog.read {
                    None => {
                        ui.weak(T::ImportNothingYet.get(lang));
                    }
                    Some((Err(message), _)) => {
                        ui.colored_label(egui::Color32::from_rgb(0xc4, 0x3e, 0x30), message);
                    }
                    Some((Ok(found), _)) => {
                        if stale {
                            ui.weak(T::ImportStale.get(lang));
                        }
                        report_ui(ui, doc, found, lang);
                        if !found.failures.is_empty() {
                            ui.checkbox(&mut dialog.skip_bad, T::SkipBadRows.get(lang));
                        }
                    }
                }
                ui.separator();
                let ready = match &dialog.read {
                    Some((Ok(found), _)) => !found.changes.is_empty() && (found.failures.is_empty() || dialog.skip_bad),
                    _ => false,
                };
                ui.horizontal(|ui| {
                    apply = ui.add_enabled(ready, egui::Button::new(T::ApplyImport.get(lang))).clicked();
                    if ui.button(T::Cancel.get(lang)).clicked() {
                        dialog.open = false;
                    }
                });
            },
        );
        if !open {
            self.import.open = false;
        }
        if pick {
            self.pick_import_file();
        }
        if read {
            self.read_import();
        }
        if apply {
            self.apply_import();
        }
    }
}

/// The report of a reading: the layout and counts, every change (old →
/// new) and every row that failed with its number and why.
fn report_ui(ui: &mut egui::Ui, doc: &crate::model::Document, found: &Import, lang: Lang) {
    let layout = found.layout.name(lang);
    let summary = match lang {
        Lang::Ja => format!(
            "{layout}: {} 行、変更 {} 個、同じ値 {} 個、読めなかった行 {}",
            found.matched_rows,
            found.changes.len(),
            found.unchanged,
            found.failures.len()
        ),
        Lang::En => {
            let rows = |n: usize| if n == 1 { "row" } else { "rows" };
            let values = |n: usize| if n == 1 { "value changes" } else { "values change" };
            let (m, c, f) = (found.matched_rows, found.changes.len(), found.failures.len());
            format!(
                "{layout}: {m} {} matched, {c} {}, {} unchanged, {f} {} failed",
                rows(m),
                values(c),
                found.unchanged,
                rows(f)
            )
        }
    };
    ui.strong(summary);
    let row_h = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical().id_salt("kpitree-import-changes").max_height(260.0).show_rows(
        ui,
        row_h,
        found.changes.len(),
        |ui, range| {
            for c in &found.changes[range] {
                let node = doc.node(&c.node);
                let name = node.map_or(c.node.as_str(), |n| n.name.as_str());
                let unit = node.map_or("", |n| n.unit_str());
                let which = if c.target { T::Target.get(lang) } else { T::Actual.get(lang) };
                ui.label(format!(
                    "{name}  {}  {which}: {} → {}",
                    c.label,
                    crate::format::amount(c.old, unit),
                    crate::format::amount(Some(c.new), unit)
                ));
            }
        },
    );
    if !found.failures.is_empty() {
        ui.separator();
        let red = egui::Color32::from_rgb(0xc4, 0x3e, 0x30);
        egui::ScrollArea::vertical().id_salt("kpitree-import-failures").max_height(120.0).show_rows(
            ui,
            row_h,
            found.failures.len(),
            |ui, range| {
                for f in &found.failures[range] {
                    ui.colored_label(red, f.message(lang));
                }
            },
        );
    }
}

/// True when `path` names a file kind the import reads.
pub fn is_spreadsheet(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}
