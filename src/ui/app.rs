//! The editor application: owns the document and applies every edit to it.

use std::path::PathBuf;
use std::sync::Arc;

use egui::{Key, Ui};

use super::canvas::{Canvas, card_size};
use super::diagnostics_ui::diagnostics_ui;
use super::i18n::T;
use super::inspector_ui::Inspector;
use crate::eval::{EvalResult, Worker};
use crate::lang::Lang;
use crate::layout::{Spacing, layout};
use crate::model::{Document, Edit, Field, Kind, Node, NodeId};
use crate::{io, templates};

const LANG_KEY: &str = "kpitree.lang";

/// The editor.
pub struct KpiApp {
    doc: Document,
    path: Option<PathBuf>,
    generation: u64,
    worker: Worker,
    result: Option<EvalResult>,
    lang: Lang,
    selected: Option<NodeId>,
    canvas: Canvas,
    inspector: Inspector,
    renaming: Option<(NodeId, String)>,
    error: Option<String>,
    title: String,
}

impl KpiApp {
    /// Opens `file`, or the welcome template when there is none. A file that
    /// cannot be opened leaves the welcome document open and says why.
    pub fn new(ctx: &egui::Context, storage: Option<&dyn eframe::Storage>, file: Option<PathBuf>) -> KpiApp {
        ctx.set_fonts(super::fonts::definitions());
        ctx.set_visuals(egui::Visuals::light());
        let lang =
            storage.and_then(|s| s.get_string(LANG_KEY)).and_then(|l| Lang::parse(&l)).unwrap_or_else(Lang::from_env);
        let welcome = templates::find(templates::WELCOME).and_then(|t| t.document().ok()).unwrap_or_default();
        let (doc, path, error) = match file {
            None => (welcome, None, None),
            Some(path) => match io::load(&path) {
                Ok(doc) => (doc, Some(path), None),
                Err(e) => (welcome, None, Some(e.to_string())),
            },
        };
        let mut app = KpiApp::with_document(ctx, doc, lang);
        app.path = path;
        app.error = error;
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
            doc,
            generation: 0,
            worker,
            result: None,
            lang,
            selected: None,
            canvas: Canvas::default(),
            inspector: Inspector::default(),
            renaming: None,
            error: None,
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
    fn place_unplaced(&mut self) {
        if self.doc.nodes.iter().all(|n| n.pos.is_some()) {
            return;
        }
        let placed = layout(&self.doc, card_size, Spacing::default());
        for node in &mut self.doc.nodes {
            if node.pos.is_none() {
                node.pos = placed.get(&node.id).copied();
            }
        }
    }

    fn submit(&mut self) {
        self.generation += 1;
        self.worker.submit(self.generation, Arc::new(self.doc.clone()));
    }

    /// Applies edits to the document; a new snapshot goes to the evaluator
    /// when anything changed.
    pub fn apply(&mut self, edits: Vec<Edit>) {
        let mut changed = false;
        for edit in edits {
            let added = match &edit {
                Edit::AddNode { node, .. } => Some(node.id.clone()),
                _ => None,
            };
            if edit.apply(&mut self.doc) {
                changed = true;
                if let Some(id) = added {
                    self.selected = Some(id);
                }
            }
        }
        if let Some(sel) = &self.selected
            && self.doc.node(sel).is_none()
        {
            self.selected = None;
        }
        if changed {
            self.submit();
        }
    }

    fn add_in_view(&mut self, kind: Kind) -> Edit {
        let id = self.doc.fresh_id(&kind.as_str().to_ascii_lowercase());
        let name = T::new_name(kind, self.lang);
        let mut node = Node::new(id, kind, name);
        node.pos = Some(self.free_spot_in_view());
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
        match &self.path {
            Some(p) => format!(
                "{title} — {} — kpitree",
                p.file_name().map_or_else(|| p.display().to_string(), |f| f.to_string_lossy().into_owned())
            ),
            None => format!("{title} — kpitree"),
        }
    }

    fn shortcuts(&mut self, ctx: &egui::Context) -> Vec<Edit> {
        let mut edits = Vec::new();
        if ctx.egui_wants_keyboard_input() {
            return edits;
        }
        let (delete, f2) = ctx.input(|i| (i.key_pressed(Key::Delete), i.key_pressed(Key::F2)));
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, Key::L)) {
            edits.push(self.arrange());
        }
        if ctx.input_mut(|i| i.key_pressed(Key::Home) || i.consume_key(egui::Modifiers::COMMAND, Key::Num0)) {
            self.canvas.fit_to_view();
        }
        if delete && let Some(id) = self.selected.clone() {
            edits.push(Edit::RemoveNodes(vec![id]));
        }
        if f2 && let Some(node) = self.selected.as_ref().and_then(|s| self.doc.node(s)) {
            self.renaming = Some((node.id.clone(), node.name.clone()));
        }
        edits
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
        let mut edits = self.shortcuts(&ctx);

        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button(T::File.get(lang), |ui| {
                    if ui.button(T::Quit.get(lang)).clicked() {
                        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                });
                ui.menu_button(T::View.get(lang), |ui| {
                    ui.label(T::Language.get(lang));
                    ui.radio_value(&mut self.lang, Lang::Ja, "日本語");
                    ui.radio_value(&mut self.lang, Lang::En, "English");
                });
            });
            ui.horizontal(|ui| {
                if ui.button(T::Arrange.get(lang)).on_hover_text(T::ArrangeHint.get(lang)).clicked() {
                    let edit = self.arrange();
                    edits.push(edit);
                }
                if ui.button(T::Fit.get(lang)).on_hover_text(T::FitHint.get(lang)).clicked() {
                    self.canvas.fit_to_view();
                }
                ui.separator();
                for (kind, text, hint) in [
                    (Kind::Kgi, T::AddKgi, T::AddKgiHint),
                    (Kind::Ksf, T::AddKsf, T::AddKsfHint),
                    (Kind::Kpi, T::AddKpi, T::AddKpiHint),
                ] {
                    if ui.button(text.get(lang)).on_hover_text(hint.get(lang)).clicked() {
                        let edit = self.add_in_view(kind);
                        edits.push(edit);
                    }
                }
            });
        });

        let evaluation = self.result.as_ref().map(|r| Arc::clone(&r.evaluation));
        egui::Panel::right("inspector").default_size(320.0).resizable(true).show(ui, |ui| {
            let out = self.inspector.ui(ui, &self.doc, evaluation.as_deref(), self.selected.as_ref(), lang);
            edits.extend(out.edits);
            if let Some(id) = out.select {
                self.selected = Some(id.clone());
                self.canvas.focus(id);
            }
        });
        egui::Panel::bottom("diagnostics").default_size(160.0).resizable(true).show(ui, |ui| {
            if let Some(id) = diagnostics_ui(ui, evaluation.as_deref(), lang) {
                self.selected = Some(id.clone());
                self.canvas.focus(id);
            }
        });
        egui::CentralPanel::no_frame().show(ui, |ui| {
            self.canvas.sync(&self.doc, self.generation);
            let out = self.canvas.ui(
                ui,
                &self.doc,
                evaluation.as_deref(),
                self.selected.as_ref(),
                self.renaming.as_mut(),
                lang,
            );
            edits.extend(out.edits);
            if let Some(keep) = out.rename_done
                && let Some((id, text)) = self.renaming.take()
                && keep
            {
                edits.push(Edit::SetField(id, Field::Name(text)));
            }
            if let Some(clicked) = out.clicked {
                self.selected = clicked;
            }
            if let Some(id) = out.rename
                && let Some(node) = self.doc.node(&id)
            {
                self.renaming = Some((id, node.name.clone()));
            }
        });
        if let Some(message) = self.error.clone() {
            egui::Window::new(T::OpenFailed.get(lang)).collapsible(false).show(&ctx, |ui| {
                ui.label(message);
                if ui.button(T::Close.get(lang)).clicked() {
                    self.error = None;
                }
            });
        }
        self.apply(edits);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(LANG_KEY, self.lang.code().to_owned());
    }
}
