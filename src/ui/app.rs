//! The editor application: owns the document and applies every edit to it.

use std::path::PathBuf;
use std::sync::Arc;

use egui::Ui;

use super::canvas::Canvas;
use super::i18n::T;
use super::inspector_ui::Inspector;
use crate::io::{FileIdentity, RecoveryStore, Settings};
use crate::lang::Lang;
use crate::model::session::Session;
use crate::model::{Document, Edit, Kind, LayoutMode, Node, NodeId};
use crate::{io, templates};

/// Characters of the document's title in the window's title.
const TITLE_CHARS: usize = 100;

/// The tabs of the bottom panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Bottom {
    #[default]
    Diagnostics,
    Analysis,
}

/// The views the period picker offers, with their names.
pub(super) type PeriodChoices = std::sync::Arc<Vec<(crate::export::Shown, String)>>;

/// The editor.
pub struct KpiApp {
    /// The document, its history, its revision and what was saved: the only
    /// place the document changes.
    pub(super) session: Session,
    /// Dialogs of the File menu (in `files.rs`).
    pub(super) files: super::files::FileDialogs,
    /// The export window (in `export_ui.rs`).
    pub(super) export: super::export_ui::ExportDialog,
    /// The import window (in `import_ui.rs`).
    pub(super) import: super::import_ui::ImportDialog,
    /// Bottlenecks, pacing and what-if (in `analysis_ui.rs`).
    pub(super) analysis: super::analysis_ui::AnalysisView,
    /// The room this editor is in, its dialogs and notes (in `room_ui.rs`).
    pub(super) room: super::room_ui::RoomUi,
    /// Autosave and crash recovery (in `recovery_ui.rs`).
    pub(super) recovery: super::recovery_ui::Recovery,
    /// Everything computed from the document, on the background worker.
    pub(super) derived: crate::pipeline::DerivedState,
    /// The window's context, for the workers to ask for repaints.
    pub(super) repaint: egui::Context,
    /// Fit the view once the answer to this request is shown.
    pub(super) fit_at: Option<crate::pipeline::Ticket>,
    /// The views the period picker offers, for a revision and a language.
    pub(super) period_choices: Option<((u64, Lang), PeriodChoices)>,
    pub(super) lang: Lang,
    /// The selected nodes (click, Shift+click, Shift+drag box) and the one
    /// the inspector shows.
    pub(super) selection: super::selection::Selection,
    /// The last nodes copied, as kpitree JSON (for Edit → Paste, which
    /// cannot read the system clipboard on its own).
    pub(super) copied: Option<String>,
    pub(super) canvas: Canvas,
    pub(super) inspector: Inspector,
    /// A name being typed in place on the canvas.
    pub(super) renaming: Option<super::canvas::Renaming>,
    /// Values being typed in place on the canvas (Ctrl+Enter).
    pub(super) values_edit: Option<super::canvas::ValuesDraft>,
    /// Ctrl+F.
    pub(super) search: super::search::Search,
    /// Ctrl+K and the shortcut list.
    pub(super) palette: super::palette::Palette,
    /// F5.
    pub(super) presenting: Option<super::present::Presenting>,
    /// The document's file on disk: identity, lock, watcher.
    pub(super) disk: Option<super::disk::OnDisk>,
    /// A question about the file on disk.
    pub(super) disk_question: Option<super::disk::DiskQuestion>,
    /// The error window: what it is about (its title) and the message.
    pub(super) error: Option<(T, String)>,
    /// Close the window at the end of this frame (after "Save" or "Don't
    /// save" answered the unsaved-changes question).
    pub(super) quit_requested: bool,
    /// Language, yen, recent files, the window's place (in `settings_ui.rs`).
    pub(super) settings: Settings,
    title: String,
    /// Keys typed after a Tab or Enter in one burst, for the next frame.
    pub(super) input_order: super::input_order::InputOrder,
}

impl KpiApp {
    /// Opens `file`, or the welcome template when there is none. A file that
    /// cannot be opened leaves the welcome document open and says why.
    pub fn new(ctx: &egui::Context, settings: Settings, file: Option<PathBuf>) -> KpiApp {
        let mut app = KpiApp::open_file(ctx, settings, file);
        app.recovery = super::recovery_ui::Recovery::new(RecoveryStore::default_location());
        app
    }

    /// Like [`KpiApp::new`], with recovery files in `store` (tests simulate
    /// a crash and a second start on one data folder).
    pub fn with_recovery(ctx: &egui::Context, file: Option<PathBuf>, store: RecoveryStore) -> KpiApp {
        let mut app = KpiApp::open_file(ctx, Settings::in_memory(), file);
        app.recovery = super::recovery_ui::Recovery::new(Some(store));
        app
    }

    fn open_file(ctx: &egui::Context, settings: Settings, file: Option<PathBuf>) -> KpiApp {
        ctx.set_fonts(super::fonts::definitions());
        ctx.set_visuals(egui::Visuals::light());
        let lang = super::settings_ui::lang(&settings).unwrap_or_else(Lang::from_env);
        let compact_yen = super::settings_ui::compact_yen(&settings);
        let welcome = templates::find(templates::WELCOME).and_then(|t| t.document().ok()).unwrap_or_default();
        let mut app = KpiApp::with_document(ctx, welcome, lang);
        app.files.recent = super::settings_ui::recent(&settings);
        app.settings = settings;
        if let Some(path) = file {
            // As File → Open does: the lock, or the question when the file is
            // open elsewhere; the welcome tree stays when it cannot be read.
            app.open_path(path);
        }
        app.canvas.compact_yen = compact_yen;
        app
    }

    /// An editor on `doc` that has no file yet (benchmarks, tests, new
    /// documents).
    pub fn with_document(ctx: &egui::Context, doc: Document, lang: Lang) -> KpiApp {
        ctx.set_fonts(super::fonts::definitions());
        ctx.set_visuals(egui::Visuals::light());
        // Ctrl+wheel zooms about 13 % a notch: small steps.
        ctx.options_mut(|o| o.input_options.scroll_zoom_speed = 1.0 / 400.0);
        let mut app = KpiApp {
            session: Session::new(doc, None),
            files: super::files::FileDialogs::default(),
            export: Default::default(),
            import: Default::default(),
            analysis: Default::default(),
            room: super::room_ui::RoomUi::default(),
            recovery: super::recovery_ui::Recovery::new(None),
            derived: super::derived_ui::derived_state(ctx),
            repaint: ctx.clone(),
            fit_at: None,
            period_choices: None,
            lang,
            selection: Default::default(),
            copied: None,
            canvas: Canvas::default(),
            inspector: Inspector::default(),
            renaming: None,
            values_edit: None,
            search: Default::default(),
            palette: Default::default(),
            presenting: None,
            disk: None,
            disk_question: None,
            error: None,
            quit_requested: false,
            settings: Settings::in_memory(),
            input_order: Default::default(),
            title: String::new(),
        };
        app.request_derived();
        app.fit_when_shown();
        app
    }

    /// The document being edited.
    pub fn document(&self) -> &Document {
        self.session.document()
    }

    /// The language of the user interface.
    pub fn set_language(&mut self, lang: Lang) {
        self.lang = lang;
    }

    /// The selected node.
    pub fn selected(&self) -> Option<&NodeId> {
        self.selection.primary()
    }

    /// Every selected node.
    pub fn selection(&self) -> &[NodeId] {
        self.selection.ids()
    }

    /// Selects just `id` (or nothing); the view follows it if it is off
    /// screen.
    pub(super) fn select(&mut self, id: Option<NodeId>) {
        if let Some(id) = &id {
            self.canvas.reveal(id.clone());
        }
        self.selection.set_one(id);
    }

    /// The selected nodes and the edges among them, as a kpitree document.
    pub(super) fn selection_as_document(&self) -> Option<Document> {
        if self.selection.is_empty() {
            return None;
        }
        let picked = &self.selection;
        let source = self.session.document();
        let mut doc = Document::new();
        doc.nodes = source.nodes.iter().filter(|n| picked.contains(&n.id)).cloned().collect();
        doc.edges =
            source.edges.iter().filter(|e| picked.contains(&e.parent) && picked.contains(&e.child)).cloned().collect();
        Some(doc)
    }

    /// Inserts the nodes of a kpitree document, pasted (at the pointer, or
    /// in free space in view) or duplicated (beside the originals), keeping
    /// their layout among themselves, and selects the copies.
    pub(super) fn insert_copies(&mut self, copies: Document, duplicate: bool) {
        let count = copies.nodes.len();
        let mut nodes: Vec<Node> = copies.nodes.iter().map(|n| Node::clone(n)).collect();
        if self.session.document().layout_mode() == LayoutMode::Free {
            // Where the copies are among themselves: as drawn (a duplicate),
            // as saved, or as the automatic layout would put them.
            let drawn = self.canvas.diagram().map(Arc::clone);
            let auto =
                crate::layout::layout(&copies, |_| [crate::export::metrics::MAX_WIDTH, 100.0], Default::default());
            let place = |n: &Node| {
                drawn
                    .as_ref()
                    .and_then(|d| d.card(&n.id))
                    .filter(|_| duplicate)
                    .map(|c| [c.rect[0], c.rect[1]])
                    .or(n.pos)
                    .or_else(|| auto.get(&n.id).copied())
                    .unwrap_or_default()
            };
            let at: Vec<[f64; 2]> = nodes.iter().map(place).collect();
            let min = at.iter().fold([f64::MAX; 2], |m, p| [m[0].min(p[0]), m[1].min(p[1])]);
            let anchor = if duplicate {
                [min[0] + 40.0, min[1] + 40.0]
            } else {
                self.canvas.pointer().map_or_else(|| self.free_spot_in_view(), |p| [f64::from(p.x), f64::from(p.y)])
            };
            for (node, p) in nodes.iter_mut().zip(at) {
                node.pos = Some([(anchor[0] + p[0] - min[0]).round(), (anchor[1] + p[1] - min[1]).round()]);
            }
        } else {
            // The automatic layout places them; a position would turn the
            // document into free placement.
            for node in &mut nodes {
                node.pos = None;
            }
        }
        if self.apply(vec![Edit::Insert { nodes, edges: copies.edges.to_vec(), offset: [0.0, 0.0] }]) {
            // The copies are the nodes the insert appended, under fresh ids.
            let doc = self.session.document();
            let copies = doc.nodes.iter().skip(doc.nodes.len() - count).map(|n| n.id.clone());
            self.selection.clear();
            self.selection.extend(copies);
        }
    }

    /// The window's title, sent when it changes.
    pub(super) fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Asks for file paths in the window instead of native dialogs.
    #[doc(hidden)]
    pub fn use_path_prompts(&mut self) {
        self.files.prompts_only = true;
    }

    /// The file being edited.
    pub fn path(&self) -> Option<&std::path::Path> {
        self.session.path()
    }

    /// Where a card was drawn last frame, in screen coordinates (tests).
    #[doc(hidden)]
    pub fn card_screen_rect(&self, _ctx: &egui::Context, id: &NodeId) -> Option<egui::Rect> {
        self.canvas.card_screen_rect(id)
    }

    /// Where the minimap was drawn and the diagram rectangle it shows
    /// (tests).
    #[doc(hidden)]
    pub fn minimap_rects(&self) -> Option<(egui::Rect, egui::Rect)> {
        self.canvas.minimap_rects()
    }

    /// The part of the diagram in view (tests).
    #[doc(hidden)]
    pub fn visible_diagram_rect(&self) -> egui::Rect {
        self.canvas.view()
    }

    /// The canvas's zoom (tests).
    #[doc(hidden)]
    pub fn canvas_zoom(&self) -> f32 {
        self.canvas.zoom()
    }

    /// True when the canvas shows the overview of a large or far-zoomed tree.
    pub fn showing_overview(&self) -> bool {
        self.canvas.showing_overview()
    }

    /// True when the canvas drew the overview from its picture last frame
    /// (tests).
    #[doc(hidden)]
    pub fn overview_from_picture(&self) -> bool {
        self.canvas.overview_from_picture()
    }

    /// Shows a node at 100 %, centred (benchmarks, and after a search).
    pub fn zoom_to(&mut self, id: &NodeId) {
        self.canvas.zoom_to(id.clone());
    }

    /// Screen positions of a card's parent pin and free term pin, as drawn in
    /// the last frame (for tests that drag wires).
    #[doc(hidden)]
    pub fn pin_positions(&self, ctx: &egui::Context, id: &NodeId) -> Option<(egui::Pos2, egui::Pos2)> {
        let _ = ctx;
        self.canvas.pin_screen_positions(id)
    }

    /// True while there are changes not saved to a file.
    pub fn is_dirty(&self) -> bool {
        self.session.is_dirty()
    }

    /// Replaces the document (opened, created): no history, clean, nothing
    /// selected, all of it in view.
    pub(super) fn replace_document(&mut self, doc: Document, path: Option<PathBuf>) {
        self.session.replace(doc, path);
        // Another file (or none): its lock and watcher go.
        self.disk = None;
        self.after_replace();
    }

    /// Another document: what was computed for the last one is never shown
    /// for it — 「計算中…」 until its own first result. A worker still busy
    /// with the last one (minutes, for a very wide tree) is left to stop by
    /// itself, and a fresh one starts on this document at once.
    fn forget_results(&mut self) {
        self.derived.forget();
        self.canvas.forget_diagram();
    }

    /// Replaces the document with recovered work, which is not saved yet.
    /// `base` is its file as it was when the work began from it: should the
    /// file be another now, the bar says so and Save asks first (unknown:
    /// taken to be another).
    pub(super) fn restore_document(&mut self, doc: Document, path: Option<PathBuf>, base: Option<FileIdentity>) {
        self.session.restore(doc, path.clone());
        self.disk = None;
        if let Some(path) = path.filter(|p| p.exists()) {
            let lock = crate::io::Lock::acquire(&path).ok();
            self.attach_as(&path, lock, base.unwrap_or_else(FileIdentity::unknown));
        }
        self.after_replace();
    }

    fn after_replace(&mut self) {
        self.forget_results();
        self.select(None);
        self.renaming = None;
        self.values_edit = None;
        self.request_derived();
        self.fit_when_shown();
    }

    /// Shows the whole tree once the diagram of the document as it is now
    /// has arrived (not an earlier document's, still on its way).
    pub(super) fn fit_when_shown(&mut self) {
        self.fit_at = Some(self.request_derived());
    }

    /// Applies edits to the document at once, each an undo step (typing
    /// into one field merges), so that whoever applied them sees the result;
    /// a node added is selected. True when any edit changed the document.
    /// The worker is asked for the new document's analysis at the end of the
    /// frame.
    pub fn apply(&mut self, edits: Vec<Edit>) -> bool {
        let now = std::time::Instant::now();
        let mut changed = false;
        for edit in edits {
            let added = match &edit {
                Edit::AddNode { node, .. } => Some(node.id.clone()),
                _ => None,
            };
            if self.session.apply(edit, now) {
                changed = true;
                if let Some(id) = added {
                    self.select(Some(id));
                }
            }
        }
        if changed {
            self.after_change();
        }
        changed
    }

    /// What no longer exists in the document leaves the selection, the
    /// name and values being typed; undo, redo and a reload end here too.
    pub(super) fn after_change(&mut self) {
        let doc = self.session.document();
        if self.renaming.as_ref().is_some_and(|r| !doc.nodes.contains(r.id.as_str())) {
            self.renaming = None;
        }
        if self.values_edit.as_ref().is_some_and(|v| !doc.nodes.contains(v.id.as_str())) {
            self.values_edit = None;
        }
        self.selection.keep_existing(doc);
        self.request_derived();
    }

    pub(super) fn add_in_view(&mut self, kind: Kind) -> Edit {
        let node = super::i18n::new_node(self.session.document(), kind, self.lang, self.free_spot_in_view());
        Edit::AddNode { node: Box::new(node), parent: None }
    }

    /// A place for a new card inside the visible part of the canvas that no
    /// card covers, scanning from the centre of the view (free placement;
    /// the automatic layout places new cards itself).
    fn free_spot_in_view(&self) -> [f64; 2] {
        let view = self.canvas.view();
        let [w, h] = [crate::export::metrics::MAX_WIDTH + 30.0, 120.0];
        let cards = self.canvas.diagram().map(|d| d.cards.as_slice()).unwrap_or_default();
        let taken = |x: f64, y: f64| cards.iter().any(|c| (c.rect[0] - x).abs() < w && (c.rect[1] - y).abs() < h);
        let cx = f64::from(view.center().x) - w / 2.0;
        let cy = f64::from(view.center().y) - h / 2.0;
        for ring in 0..12 {
            for (dx, dy) in [(0, 0), (0, 1), (1, 0), (0, -1), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1)] {
                let (x, y) = (cx + f64::from(dx * ring) * w, cy + f64::from(dy * ring) * h);
                if !taken(x, y) {
                    return [x.round(), y.round()];
                }
            }
        }
        [cx.round(), cy.round()]
    }

    /// Arrange: in free placement, every card where the automatic layout
    /// puts it (one undo step); then the whole tree in view.
    pub(super) fn arrange(&mut self) -> Option<Edit> {
        self.canvas.fit_to_view();
        let d = self.canvas.diagram()?;
        if d.mode == LayoutMode::Auto {
            return None;
        }
        let positions = d.cards.iter().zip(d.auto_pos.iter()).map(|(c, p)| (c.id.clone(), *p)).collect();
        Some(Edit::SetPositions(positions))
    }

    /// Switches between automatic and free placement. Going free keeps every
    /// card where it is now.
    pub(super) fn set_layout_mode(&mut self, mode: LayoutMode, edits: &mut Vec<Edit>) {
        let doc = self.session.document();
        if doc.layout_mode() == mode {
            return;
        }
        let mut batch = vec![Edit::SetLayout(Some(mode))];
        if mode == LayoutMode::Free
            && let Some(d) = self.canvas.diagram()
        {
            batch.push(Edit::SetPositions(d.cards.iter().map(|c| (c.id.clone(), [c.rect[0], c.rect[1]])).collect()));
        }
        edits.push(Edit::Batch(batch));
    }

    /// Selects `id` as a click would (tests).
    #[doc(hidden)]
    pub fn select_for_test(&mut self, id: NodeId) {
        self.select(Some(id));
    }

    /// The long text open in its window, if any (tests).
    #[doc(hidden)]
    pub fn long_text_open(&self) -> Option<&super::long_text::LongField> {
        self.inspector.long.opened()
    }

    /// The window's title as it is now (tests).
    #[doc(hidden)]
    pub fn window_title_text(&self) -> String {
        self.window_title()
    }

    fn window_title(&self) -> String {
        let doc = self.session.document();
        // A few words of a title of any length (a 20 MB one was sent whole).
        let title = doc
            .title
            .as_deref()
            .filter(|t| !t.is_empty())
            .map_or_else(|| T::Untitled.get(self.lang).to_owned(), |t| super::long_text::short(t, TITLE_CHARS));
        let dirty = if self.is_dirty() { "• " } else { "" };
        let read_only = if self.read_only() { format!(" ({})", T::ReadOnly.get(self.lang)) } else { String::new() };
        match self.session.path() {
            Some(p) => format!(
                "{dirty}{title} — {}{read_only} — kpitree",
                p.file_name().map_or_else(|| p.display().to_string(), |f| f.to_string_lossy().into_owned())
            ),
            None => format!("{dirty}{title} — kpitree"),
        }
    }

    /// Shows the error window: `title` says what failed, `message` why.
    pub(super) fn show_error(&mut self, title: T, message: String) {
        self.error = Some((title, message));
    }

    /// Goes back one undo step (in a room: one's own last change there).
    pub fn undo(&mut self) {
        if self.room_undo(true) {
            return;
        }
        if self.session.undo() {
            self.after_change();
        }
    }

    /// Goes forward one undo step.
    pub fn redo(&mut self) {
        if self.room_undo(false) {
            return;
        }
        if self.session.redo() {
            self.after_change();
        }
    }

    /// Pastes kpitree JSON from the clipboard, or an outline (a list from
    /// a mail, Word or Excel: one node a line, children indented) as a new
    /// tree. An outline with a line that cannot be read creates nothing and
    /// says which lines, where.
    pub(super) fn paste(&mut self, text: &str) {
        if let Ok(doc) = io::from_str(text, "clipboard")
            && !doc.nodes.is_empty()
        {
            self.insert_copies(doc, false);
            return;
        }
        // JSON that is no document is not an outline either.
        if text.trim().is_empty() || text.trim_start().starts_with(['{', '[']) {
            return;
        }
        match io::outline::parse(text) {
            Ok(doc) => self.insert_copies(doc, false),
            Err(errors) => {
                self.show_error(T::PasteFailed, errors.message(self.lang));
            }
        }
    }
}

impl eframe::App for KpiApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.keep_settings(true);
        self.clear_recovery();
    }
}
