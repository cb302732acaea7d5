//! The editor application: owns the document and applies every edit to it.

use std::path::PathBuf;
use std::sync::Arc;

use egui::Ui;

use super::canvas::{Canvas, card_size};
use super::commands::Command;
use super::diagnostics_ui::diagnostics_ui;
use super::i18n::T;
use super::inspector_ui::Inspector;
use crate::eval::{EvalResult, Worker};
use crate::io::RecoveryStore;
use crate::lang::Lang;
use crate::layout::{Spacing, layout};
use crate::model::history::History;
use crate::model::{Document, Edit, Field, Kind, Node, NodeId};
use crate::{io, templates};

const LANG_KEY: &str = "kpitree.lang";
const COMPACT_YEN_KEY: &str = "kpitree.compact_yen";

/// The tabs of the bottom panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bottom {
    Diagnostics,
    Analysis,
}

/// The editor.
pub struct KpiApp {
    /// The document; shared with the history and the evaluator, copied on
    /// write by each edit.
    pub(super) doc: Arc<Document>,
    pub(super) path: Option<PathBuf>,
    /// Undo and redo.
    pub(super) history: History,
    /// The revision of `doc`, and the revision last saved (or opened).
    pub(super) revision: u64,
    pub(super) saved_revision: u64,
    /// Dialogs of the File menu (in `files.rs`).
    pub(super) files: super::files::FileDialogs,
    /// The export window (in `export_ui.rs`).
    pub(super) export: super::export_ui::ExportDialog,
    /// Bottlenecks, pacing and what-if (in `analysis_ui.rs`).
    pub(super) analysis: super::analysis_ui::AnalysisView,
    /// The active what-if scenario, by name.
    pub(super) scenario: Option<String>,
    /// Which tab the bottom panel shows.
    bottom: Bottom,
    /// Autosave and crash recovery (in `recovery_ui.rs`).
    pub(super) recovery: super::recovery_ui::Recovery,
    generation: u64,
    worker: Worker,
    result: Option<EvalResult>,
    pub(super) lang: Lang,
    /// The node the inspector shows (the last one clicked).
    selected: Option<NodeId>,
    /// Every selected node (Shift+click, Shift+drag box), `selected` included.
    pub(super) selection: Vec<NodeId>,
    /// The last nodes copied, as kpitree JSON (for Edit → Paste, which
    /// cannot read the system clipboard on its own).
    pub(super) copied: Option<String>,
    pub(super) canvas: Canvas,
    inspector: Inspector,
    renaming: Option<(NodeId, String)>,
    pub(super) error: Option<String>,
    /// Close the window at the end of this frame (after "Save" or "Don't
    /// save" answered the unsaved-changes question).
    pub(super) quit_requested: bool,
    /// After the edits of this frame, select the last this many nodes (the
    /// copies just inserted).
    pending_selection: Option<usize>,
    title: String,
}

impl KpiApp {
    /// Opens `file`, or the welcome template when there is none. A file that
    /// cannot be opened leaves the welcome document open and says why.
    pub fn new(ctx: &egui::Context, storage: Option<&dyn eframe::Storage>, file: Option<PathBuf>) -> KpiApp {
        let mut app = KpiApp::open_file(ctx, storage, file);
        app.recovery = super::recovery_ui::Recovery::new(RecoveryStore::default_location());
        app
    }

    /// Like [`KpiApp::new`], with recovery files in `store` (tests simulate
    /// a crash and a second start on one data folder).
    pub fn with_recovery(ctx: &egui::Context, file: Option<PathBuf>, store: RecoveryStore) -> KpiApp {
        let mut app = KpiApp::open_file(ctx, None, file);
        app.recovery = super::recovery_ui::Recovery::new(Some(store));
        app
    }

    fn open_file(ctx: &egui::Context, storage: Option<&dyn eframe::Storage>, file: Option<PathBuf>) -> KpiApp {
        ctx.set_fonts(super::fonts::definitions());
        ctx.set_visuals(egui::Visuals::light());
        let lang =
            storage.and_then(|s| s.get_string(LANG_KEY)).and_then(|l| Lang::parse(&l)).unwrap_or_else(Lang::from_env);
        let compact_yen = storage.and_then(|s| s.get_string(COMPACT_YEN_KEY)).is_some_and(|v| v == "true");
        let welcome = templates::find(templates::WELCOME).and_then(|t| t.document().ok()).unwrap_or_default();
        let (doc, path, error) = match file {
            None => (welcome, None, None),
            Some(path) => match io::load(&path) {
                Ok(doc) => (doc, Some(path), None),
                Err(e) => (welcome, None, Some(e.to_string())),
            },
        };
        let mut app = KpiApp::with_document(ctx, doc, lang);
        if let Some(storage) = storage {
            app.files.recent = super::files::load_recent(storage);
        }
        app.path = path.map(super::files::absolute);
        if let Some(path) = &app.path {
            app.files.remember(path);
        }
        app.error = error;
        app.canvas.compact_yen = compact_yen;
        app
    }

    /// An editor on `doc` that has no file yet (benchmarks, tests, new
    /// documents).
    pub fn with_document(ctx: &egui::Context, doc: Document, lang: Lang) -> KpiApp {
        ctx.set_fonts(super::fonts::definitions());
        ctx.set_visuals(egui::Visuals::light());
        let repaint = ctx.clone();
        let worker = Worker::new(move || repaint.request_repaint());
        let mut app = KpiApp {
            doc: Arc::new(doc),
            history: History::new(),
            revision: 1,
            saved_revision: 1,
            files: super::files::FileDialogs::default(),
            export: Default::default(),
            analysis: Default::default(),
            scenario: None,
            bottom: Bottom::Diagnostics,
            recovery: super::recovery_ui::Recovery::new(None),
            generation: 0,
            worker,
            result: None,
            lang,
            selected: None,
            selection: Vec::new(),
            copied: None,
            canvas: Canvas::default(),
            inspector: Inspector::default(),
            renaming: None,
            error: None,
            quit_requested: false,
            pending_selection: None,
            title: String::new(),
            path: None,
        };
        app.place_unplaced();
        app.canvas.fit_to_view();
        app.submit();
        app
    }

    /// The document being edited.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The language of the user interface.
    pub fn set_language(&mut self, lang: Lang) {
        self.lang = lang;
    }

    /// The selected node.
    pub fn selected(&self) -> Option<&NodeId> {
        self.selected.as_ref()
    }

    /// Every selected node.
    pub fn selection(&self) -> &[NodeId] {
        &self.selection
    }

    /// Selects just `id` (or nothing).
    fn select(&mut self, id: Option<NodeId>) {
        self.selection = id.iter().cloned().collect();
        self.selected = id;
    }

    /// Adds `id` to the selection, or takes it out if it is in.
    fn toggle(&mut self, id: NodeId) {
        if let Some(k) = self.selection.iter().position(|s| *s == id) {
            self.selection.remove(k);
            self.selected = self.selection.last().cloned();
        } else {
            self.selection.push(id.clone());
            self.selected = Some(id);
        }
    }

    /// The selected nodes and the edges among them, as a kpitree document.
    fn selection_as_document(&self) -> Option<Document> {
        if self.selection.is_empty() {
            return None;
        }
        let mut doc = Document::new();
        doc.nodes = self.doc.nodes.iter().filter(|n| self.selection.contains(&n.id)).cloned().collect();
        doc.edges = self
            .doc
            .edges
            .iter()
            .filter(|e| self.selection.contains(&e.parent) && self.selection.contains(&e.child))
            .cloned()
            .collect();
        Some(doc)
    }

    /// Inserts the nodes of a kpitree document (pasted or duplicated) beside
    /// where they were, and selects the copies.
    fn insert_copies(&mut self, copies: Document, edits: &mut Vec<Edit>) {
        let count = copies.nodes.len();
        edits.push(Edit::Insert { nodes: copies.nodes, edges: copies.edges, offset: [40.0, 40.0] });
        self.pending_selection = Some(count);
    }

    /// Waits until the evaluation of the current document has arrived (for
    /// tests; the editor itself never waits).
    #[doc(hidden)]
    pub fn settle(&mut self) {
        if let Some(result) = self.worker.wait() {
            self.result = Some(result);
        }
    }

    /// The evaluation on screen.
    pub fn evaluation(&self) -> Option<&crate::eval::Evaluation> {
        self.result.as_ref().map(|r| r.evaluation.as_ref())
    }

    /// The latest evaluation, shared (no copy).
    pub(super) fn shared_evaluation(&self) -> Option<Arc<crate::eval::Evaluation>> {
        self.result.as_ref().map(|r| Arc::clone(&r.evaluation))
    }

    /// Asks for file paths in the window instead of native dialogs.
    #[doc(hidden)]
    pub fn use_path_prompts(&mut self) {
        self.files.prompts_only = true;
    }

    /// The file being edited.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.path.as_deref()
    }

    /// Where a card was drawn last frame, in screen coordinates (tests).
    #[doc(hidden)]
    pub fn card_screen_rect(&self, ctx: &egui::Context, id: &NodeId) -> Option<egui::Rect> {
        self.canvas.card_screen_rect(ctx, &self.doc, id)
    }

    /// True when the canvas shows the overview of a large or far-zoomed tree.
    pub fn showing_overview(&self) -> bool {
        self.canvas.showing_overview()
    }

    /// Shows a node at 100 %, centred (benchmarks, and after a search).
    pub fn zoom_to(&mut self, id: &NodeId) {
        self.canvas.zoom_to(id.clone());
    }

    /// Screen positions of a card's parent pin and free term pin, as drawn in
    /// the last frame (for tests that drag wires).
    #[doc(hidden)]
    pub fn pin_positions(&self, ctx: &egui::Context, id: &NodeId) -> Option<(egui::Pos2, egui::Pos2)> {
        self.canvas.pin_screen_positions(ctx, id)
    }

    /// Gives nodes without a position one from the auto-layout (files written
    /// by hand or by other tools).
    pub(super) fn place_unplaced(&mut self) {
        if self.doc.nodes.iter().all(|n| n.pos.is_some()) {
            return;
        }
        let placed = layout(&self.doc, card_size, Spacing::default());
        for node in &mut Arc::make_mut(&mut self.doc).nodes {
            if node.pos.is_none() {
                node.pos = placed.get(&node.id).copied();
            }
        }
    }

    pub(super) fn submit(&mut self) {
        self.generation += 1;
        let doc = super::analysis_ui::effective_document(&self.doc, self.scenario.as_deref());
        self.worker.submit(self.generation, doc);
    }

    /// True while there are changes not saved to a file.
    pub fn is_dirty(&self) -> bool {
        self.revision != self.saved_revision
    }

    /// Replaces the document (opened, created, restored): no history, clean.
    pub(super) fn replace_document(&mut self, doc: Document, path: Option<PathBuf>) {
        self.doc = Arc::new(doc);
        self.path = path;
        self.history.clear();
        self.revision += 1;
        self.saved_revision = self.revision;
        self.select(None);
        self.renaming = None;
        self.place_unplaced();
        self.canvas.fit_to_view();
        self.submit();
    }

    /// Applies edits to the document, each an undo step (typing into one
    /// field merges); a new snapshot goes to the evaluator when anything
    /// changed.
    pub fn apply(&mut self, edits: Vec<Edit>) {
        let mut changed = false;
        let now = std::time::Instant::now();
        for edit in edits {
            let added = match &edit {
                Edit::AddNode { node, .. } => Some(node.id.clone()),
                _ => None,
            };
            let before = Arc::clone(&self.doc);
            let key = edit.merge_key();
            if edit.apply(Arc::make_mut(&mut self.doc)) {
                changed = true;
                self.revision = self.history.record(before, self.revision, key, now);
                if let Some(id) = added {
                    self.select(Some(id));
                }
            } else {
                // Nothing changed: drop the copy make_mut may have made.
                self.doc = before;
            }
        }
        if let Some(count) = self.pending_selection.take() {
            let ids: Vec<NodeId> = self.doc.nodes.iter().rev().take(count).map(|n| n.id.clone()).collect();
            self.selection = ids.into_iter().rev().collect();
            self.selected = self.selection.last().cloned();
        }
        let doc = &self.doc;
        self.selection.retain(|id| doc.node(id).is_some());
        if self.selected.as_ref().is_some_and(|s| doc.node(s).is_none()) {
            self.selected = self.selection.last().cloned();
        }
        if changed {
            self.submit();
        }
    }

    fn add_in_view(&mut self, kind: Kind) -> Edit {
        let node = super::i18n::new_node(&self.doc, kind, self.lang, self.free_spot_in_view());
        Edit::AddNode { node: Box::new(node), parent: None }
    }

    /// A place for a new card inside the visible part of the canvas that no
    /// card covers, scanning from the centre of the view.
    fn free_spot_in_view(&self) -> [f64; 2] {
        let view = self.canvas.view();
        let [w, h] = [f64::from(super::canvas::CARD_WIDTH) + 30.0, 120.0];
        let taken = |x: f64, y: f64| {
            self.doc.nodes.iter().filter_map(|n| n.pos).any(|[nx, ny]| (nx - x).abs() < w && (ny - y).abs() < h)
        };
        let cx = f64::from(view.center().x) - w / 2.0;
        let cy = f64::from(view.center().y) - h / 2.0;
        for ring in 0..12 {
            for (dx, dy) in [(0, 0), (0, 1), (1, 0), (0, -1), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)] {
                let (x, y) = (cx + f64::from(dx * ring) * w, cy + f64::from(dy * ring) * h);
                if !taken(x, y) {
                    return [x, y];
                }
            }
        }
        [cx, cy]
    }

    /// Lays the whole tree out left to right with the cards' drawn sizes,
    /// and shows all of it.
    fn arrange(&mut self) -> Edit {
        let sizes = self.canvas.card_sizes();
        let size = |n: &Node| sizes.get(&n.id).copied().unwrap_or_else(|| card_size(n));
        let placed = layout(&self.doc, size, Spacing::default());
        self.canvas.fit_to_view();
        let mut positions: Vec<(NodeId, [f64; 2])> = placed.into_iter().collect();
        positions.sort_by(|a, b| a.0.cmp(&b.0));
        Edit::SetPositions(positions)
    }

    fn window_title(&self) -> String {
        let title =
            self.doc.title.clone().filter(|t| !t.is_empty()).unwrap_or_else(|| T::Untitled.get(self.lang).to_owned());
        let dirty = if self.is_dirty() { "• " } else { "" };
        match &self.path {
            Some(p) => format!(
                "{dirty}{title} — {} — kpitree",
                p.file_name().map_or_else(|| p.display().to_string(), |f| f.to_string_lossy().into_owned())
            ),
            None => format!("{dirty}{title} — kpitree"),
        }
    }

    /// Goes back one undo step.
    pub fn undo(&mut self) {
        if let Some((doc, revision)) = self.history.undo(Arc::clone(&self.doc), self.revision) {
            self.doc = doc;
            self.revision = revision;
            self.submit();
        }
    }

    /// Goes forward one undo step.
    pub fn redo(&mut self) {
        if let Some((doc, revision)) = self.history.redo(Arc::clone(&self.doc), self.revision) {
            self.doc = doc;
            self.revision = revision;
            self.submit();
        }
    }

    /// Pastes kpitree JSON from the clipboard; other text is not for the
    /// canvas and is ignored.
    fn paste(&mut self, text: &str, edits: &mut Vec<Edit>) {
        if let Ok(doc) = io::from_str(text, "clipboard")
            && !doc.nodes.is_empty()
        {
            self.insert_copies(doc, edits);
        }
    }

    /// Carries out a command from the table in `commands.rs`.
    pub fn run(&mut self, command: Command, ctx: &egui::Context, edits: &mut Vec<Edit>) {
        match command {
            Command::New => self.files.ask_new(self.is_dirty()),
            Command::Open => self.open_dialog(),
            Command::Save => {
                self.save_now();
            }
            Command::SaveAs => self.save_as_dialog(),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::Undo => self.undo(),
            Command::Redo | Command::RedoAlt => self.redo(),
            Command::Delete => {
                if !self.selection.is_empty() {
                    edits.push(Edit::RemoveNodes(self.selection.clone()));
                }
            }
            Command::Copy | Command::Cut => {
                if let Some(doc) = self.selection_as_document() {
                    let text = io::to_json_string(&doc);
                    ctx.copy_text(text.clone());
                    self.copied = Some(text);
                    if command == Command::Cut {
                        edits.push(Edit::RemoveNodes(self.selection.clone()));
                    }
                }
            }
            Command::Paste => {
                if let Some(text) = self.copied.clone() {
                    self.paste(&text, edits);
                }
            }
            Command::Duplicate => {
                if let Some(doc) = self.selection_as_document() {
                    self.insert_copies(doc, edits);
                }
            }
            Command::Rename => {
                if let Some(node) = self.selected.as_ref().and_then(|s| self.doc.node(s)) {
                    self.renaming = Some((node.id.clone(), node.name.clone()));
                }
            }
            Command::AddKgi => edits.push(self.add_in_view(Kind::Kgi)),
            Command::AddKsf => edits.push(self.add_in_view(Kind::Ksf)),
            Command::AddKpi => edits.push(self.add_in_view(Kind::Kpi)),
            Command::Arrange => edits.push(self.arrange()),
            Command::Fit | Command::FitAlt => self.canvas.fit_to_view(),
            Command::Export => self.open_export(),
            Command::CopyImage => self.copy_diagram(ctx),
        }
    }
}

impl eframe::App for KpiApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if let Some(result) = self.worker.take() {
            self.result = Some(result);
        }
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        let lang = self.lang;
        let mut edits = Vec::new();
        let (mut commands, pasted) = Command::pressed(&ctx);
        if let Some(text) = pasted {
            self.paste(&text, &mut edits);
        }
        let dropped: Option<PathBuf> = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_owned()));
        if let Some(path) = dropped {
            self.open_path(path);
        }

        self.menu_ui(ui, lang, &mut commands);

        let evaluation = self.result.as_ref().map(|r| Arc::clone(&r.evaluation));
        egui::Panel::right("inspector").default_size(320.0).resizable(true).show(ui, |ui| {
            // 逆算 and goal seek stay in view under the scrolling fields.
            egui::Panel::bottom("solve").resizable(false).show(ui, |ui| {
                self.solve_ui(ui, lang, &mut edits);
            });
            let out = self.inspector.ui(ui, &self.doc, evaluation.as_deref(), self.selected.as_ref(), lang);
            edits.extend(out.edits);
            if let Some(id) = out.select {
                self.select(Some(id.clone()));
                self.canvas.focus(id);
            }
        });
        egui::Panel::bottom("diagnostics").default_size(230.0).resizable(true).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.bottom, Bottom::Diagnostics, T::Diagnostics.get(lang));
                ui.selectable_value(&mut self.bottom, Bottom::Analysis, T::Analysis.get(lang));
                if let Some(name) = &self.scenario {
                    ui.label(
                        egui::RichText::new(format!("✎ {}: {name}", T::WhatIf.get(lang)))
                            .color(egui::Color32::from_rgb(120, 60, 170)),
                    );
                }
            });
            ui.separator();
            let picked = match self.bottom {
                Bottom::Diagnostics => diagnostics_ui(ui, evaluation.as_deref(), lang),
                Bottom::Analysis => self.analysis_ui(ui, lang, &mut edits),
            };
            if let Some(id) = picked {
                self.select(Some(id.clone()));
                self.canvas.focus(id);
            }
        });
        self.refresh_analysis();
        self.canvas.marks = self.marks();
        egui::CentralPanel::no_frame().show(ui, |ui| {
            self.canvas.sync(&self.doc, self.generation);
            let out =
                self.canvas.ui(ui, &self.doc, evaluation.as_deref(), &self.selection, self.renaming.as_mut(), lang);
            edits.extend(out.edits);
            if let Some(keep) = out.rename_done
                && let Some((id, text)) = self.renaming.take()
                && keep
            {
                edits.push(Edit::SetField(id, Field::Name(text)));
            }
            if let Some(clicked) = out.clicked {
                self.select(clicked);
            }
            if let Some(id) = out.toggled {
                self.toggle(id);
            }
            for id in out.boxed {
                if !self.selection.contains(&id) {
                    self.selection.push(id.clone());
                    self.selected = Some(id);
                }
            }
            if let Some(id) = out.rename
                && let Some(node) = self.doc.node(&id)
            {
                self.renaming = Some((id, node.name.clone()));
            }
        });
        if let Some(message) = self.error.clone() {
            egui::Window::new(T::OpenFailed.get(lang))
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .show(&ctx, |ui| {
                    ui.label(message);
                    if ui.button(T::Close.get(lang)).clicked() {
                        self.error = None;
                    }
                });
        }
        for command in commands {
            self.run(command, &ctx, &mut edits);
        }
        self.apply(edits);
        self.export_ui(&ctx);
        self.files_ui(&ctx);
        self.recovery_ui(&ctx);
        self.autosave(&ctx, false);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.clear_recovery();
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(LANG_KEY, self.lang.code().to_owned());
        storage.set_string(COMPACT_YEN_KEY, self.canvas.compact_yen.to_string());
        super::files::store_recent(storage, &self.files.recent);
    }
}
