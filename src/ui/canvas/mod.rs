//! The node-graph canvas: the ONLY file that knows egui-snarl.
//!
//! The snarl graph is a view of the document, rebuilt from it whenever the
//! document changes. Gestures (connecting, moving, deleting, menus) become
//! [`Edit`]s that the app applies to the document; nothing is written only
//! into snarl's own structures.
//!
//! Only the cards near the view are given to snarl (which lays out every node
//! it holds, every frame); when more than [`MAX_CARDS`] would be in view the
//! canvas paints a light overview instead (see `overview.rs`).

mod overview;
mod viewer;

use viewer::Viewer;

use std::cell::RefCell;
use std::rc::Rc;

use egui::{Color32, Id, LayerId, Pos2, Rect, Stroke, Ui, pos2, vec2};
use egui_snarl::ui::{BackgroundPattern, NodeLayout, PinInfo, PinWireInfo, SnarlPin, SnarlStyle, WireStyle};
use egui_snarl::{InPinId, NodeId as SnarlNode, OutPinId, Snarl};
use rustc_hash::{FxHashMap, FxHashSet};

use super::i18n::T;
use crate::eval::Evaluation;
use crate::lang::Lang;
use crate::model::{Document, Edit, Kind, Node, NodeId, Op};

/// At most this many cards are drawn as full cards; beyond that the canvas
/// shows the overview (snarl lays out every card it holds every frame, about
/// 30 µs each).
pub const MAX_CARDS: usize = 150;

/// Below this zoom the cards' text is too small to read, so the canvas shows
/// the overview, whose names are drawn at a readable size.
pub const OVERVIEW_BELOW_SCALE: f32 = 0.4;

/// Width of every card, so that columns line up as the method draws them.
pub const CARD_WIDTH: f32 = 210.0;

/// The data snarl keeps per node: just which document node it shows.
struct Card {
    id: NodeId,
}

/// One term edge as the canvas draws it.
#[derive(Clone)]
struct Term {
    child: NodeId,
    op: Op,
}

/// Where pins were drawn this frame, in graph coordinates.
#[derive(Default)]
struct PinSink {
    outputs: FxHashMap<(SnarlNode, usize), Pos2>,
    inputs: FxHashMap<SnarlNode, Pos2>,
}

/// A pin that remembers where it was drawn, so that operator badges can be
/// painted at the middle of each wire (snarl 0.12 never calls its wire-widget
/// hook).
struct RecordingPin {
    info: PinInfo,
    sink: Rc<RefCell<PinSink>>,
    key: PinKey,
}

enum PinKey {
    In(SnarlNode),
    Out(SnarlNode, usize),
}

impl SnarlPin for RecordingPin {
    fn draw(self, snarl_style: &SnarlStyle, style: &egui::Style, rect: Rect, painter: &egui::Painter) -> PinWireInfo {
        let mut sink = self.sink.borrow_mut();
        match self.key {
            PinKey::In(node) => {
                sink.inputs.insert(node, rect.center());
            }
            PinKey::Out(node, i) => {
                sink.outputs.insert((node, i), rect.center());
            }
        }
        self.info.draw(snarl_style, style, rect, painter)
    }
}

/// What the canvas asks the app to do after a frame.
#[derive(Default)]
pub struct CanvasOutput {
    /// Edits to apply to the document.
    pub edits: Vec<Edit>,
    /// The node the user clicked (Some(None) = clicked empty canvas).
    pub clicked: Option<Option<NodeId>>,
    /// The node the user double-clicked (start renaming it).
    pub rename: Option<NodeId>,
    /// The in-place rename ended: `true` to keep the typed name.
    pub rename_done: Option<bool>,
    /// Shift+click on a card: add it to or remove it from the selection.
    pub toggled: Option<NodeId>,
    /// Cards caught by a Shift+drag box: add them to the selection.
    pub boxed: Vec<NodeId>,
}

/// The canvas and its derived state.
pub struct Canvas {
    /// Analysis marks to show on the cards (set by the app each frame).
    pub marks: crate::ui::card::Marks,
    /// Show amounts in 円 as 万円 / 億円 (View menu).
    pub compact_yen: bool,
    snarl: Snarl<Card>,
    by_id: FxHashMap<NodeId, SnarlNode>,
    terms: FxHashMap<NodeId, Vec<Term>>,
    node_index: FxHashMap<NodeId, usize>,
    synced: Option<u64>,
    pins: Rc<RefCell<PinSink>>,
    /// Where each card was drawn this frame (graph coordinates).
    rects: FxHashMap<NodeId, Rect>,
    /// The last drawn size of every card ever drawn.
    sizes: FxHashMap<NodeId, egui::Vec2>,
    /// The set of cards snarl holds, once decided for this generation.
    held: Option<FxHashSet<NodeId>>,
    /// A node to centre on next frame, and whether to zoom to 100 % too.
    center_on: Option<(NodeId, bool)>,
    fit: bool,
    op_menu: Option<(NodeId, NodeId, Pos2)>,
    snarl_id: Id,
    view: Rect,
    scale: f32,
    snarl_selection: Vec<SnarlNode>,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas {
            marks: Default::default(),
            compact_yen: false,
            snarl: Snarl::new(),
            by_id: FxHashMap::default(),
            terms: FxHashMap::default(),
            node_index: FxHashMap::default(),
            synced: None,
            pins: Rc::default(),
            rects: FxHashMap::default(),
            sizes: FxHashMap::default(),
            held: None,
            center_on: None,
            fit: false,
            op_menu: None,
            snarl_id: Id::new("kpitree-canvas"),
            view: Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0)),
            scale: 1.0,
            snarl_selection: Vec::new(),
        }
    }
}

impl Canvas {
    /// Takes in a new generation of the document: ids, terms and, for the
    /// cards snarl holds, positions. Which cards snarl holds is decided each
    /// frame by [`Canvas::show_cards_near`].
    pub fn sync(&mut self, doc: &Document, generation: u64) {
        if self.synced == Some(generation) {
            return;
        }
        self.synced = Some(generation);
        self.node_index.clear();
        for (i, node) in doc.nodes.iter().enumerate() {
            self.node_index.entry(node.id.clone()).or_insert(i);
        }
        self.terms.clear();
        for e in &doc.edges {
            if !self.node_index.contains_key(&e.child) || e.parent == e.child {
                continue;
            }
            let terms = self.terms.entry(e.parent.clone()).or_default();
            if terms.iter().all(|t| t.child != e.child) {
                terms.push(Term { child: e.child.clone(), op: e.op });
            }
        }
        for (id, &sn) in &self.by_id {
            let pos = self.node_index.get(id).and_then(|&i| doc.nodes[i].pos);
            if let (Some([x, y]), Some(info)) = (pos, self.snarl.get_node_info_mut(sn)) {
                info.pos = pos2(x as f32, y as f32);
            }
        }
        self.held = None;
    }

    /// The cards whose rectangles meet `area`, with their parents and terms
    /// (so that the wires into the view are drawn); `None` when more than
    /// [`MAX_CARDS`] meet it.
    fn cards_near(&self, doc: &Document, area: Rect) -> Option<FxHashSet<NodeId>> {
        let mut near: FxHashSet<NodeId> = FxHashSet::default();
        for (id, &i) in &self.node_index {
            if self.card_rect(&doc.nodes[i]).is_some_and(|r| area.intersects(r)) {
                near.insert(id.clone());
                if near.len() > MAX_CARDS {
                    return None;
                }
            }
        }
        let mut with_neighbours = near.clone();
        for (parent, terms) in &self.terms {
            for t in terms {
                if near.contains(parent) {
                    with_neighbours.insert(t.child.clone());
                } else if near.contains(&t.child) {
                    with_neighbours.insert(parent.clone());
                }
            }
        }
        Some(with_neighbours)
    }

    /// Makes snarl hold exactly `want` (adding and removing cards, then
    /// wiring the terms among them) unless it already does.
    fn hold(&mut self, doc: &Document, want: FxHashSet<NodeId>) {
        if self.held.as_ref() == Some(&want) {
            return;
        }
        let gone: Vec<NodeId> = self.by_id.keys().filter(|id| !want.contains(*id)).cloned().collect();
        for id in gone {
            if let Some(sn) = self.by_id.remove(&id) {
                self.snarl.remove_node(sn);
            }
        }
        for id in &want {
            if self.by_id.contains_key(id) {
                continue;
            }
            let Some(&i) = self.node_index.get(id) else { continue };
            let [x, y] = doc.nodes[i].pos.unwrap_or_default();
            let sn = self.snarl.insert_node(pos2(x as f32, y as f32), Card { id: id.clone() });
            self.by_id.insert(id.clone(), sn);
        }
        let wires: Vec<(OutPinId, InPinId)> = self.snarl.wires().collect();
        for (out, inp) in wires {
            self.snarl.disconnect(out, inp);
        }
        for (parent, terms) in &self.terms {
            let Some(&p) = self.by_id.get(parent) else { continue };
            for (k, t) in terms.iter().enumerate() {
                let Some(&c) = self.by_id.get(&t.child) else { continue };
                self.snarl.connect(OutPinId { node: p, output: k }, InPinId { node: c, input: 0 });
            }
        }
        self.held = Some(want);
    }

    /// The part of the graph in view, in graph coordinates (last frame).
    pub fn view(&self) -> Rect {
        self.view
    }

    /// Where the pins of a node were drawn last frame, in screen coordinates:
    /// its parent pin and its free term pin. For tests that drag wires.
    #[doc(hidden)]
    pub fn pin_screen_positions(&self, ctx: &egui::Context, id: &NodeId) -> Option<(Pos2, Pos2)> {
        let sn = *self.by_id.get(id)?;
        let pins = self.pins.borrow();
        let free = self.terms.get(id).map_or(0, Vec::len);
        let layer = LayerId::new(egui::Order::Background, self.snarl_id);
        let t = ctx.layer_transform_to_global(layer).unwrap_or_default();
        Some((t * *pins.inputs.get(&sn)?, t * *pins.outputs.get(&(sn, free))?))
    }

    /// Where a card (or its overview box) is, in screen coordinates, from
    /// its position and size (not from what hit-testing uses). For tests.
    #[doc(hidden)]
    pub fn card_screen_rect(&self, ctx: &egui::Context, doc: &Document, id: &NodeId) -> Option<Rect> {
        let r = self.card_rect(doc.node(id)?)?;
        let t = ctx.layer_transform_to_global(LayerId::new(egui::Order::Background, self.snarl_id)).unwrap_or_default();
        Some(Rect::from_min_max(t * r.min, t * r.max))
    }

    /// True when last frame showed the overview instead of full cards.
    pub fn showing_overview(&self) -> bool {
        self.held.as_ref().is_some_and(FxHashSet::is_empty) && !self.rects.is_empty()
    }

    /// Asks the canvas to show the whole tree next frame.
    pub fn fit_to_view(&mut self) {
        self.fit = true;
    }

    /// Where a card is, in graph coordinates: its position with the size it
    /// was last drawn at, or the layout's estimate before it was ever drawn.
    fn card_rect(&self, node: &Node) -> Option<Rect> {
        let [x, y] = node.pos?;
        let size = self.sizes.get(&node.id).copied().unwrap_or_else(|| {
            let [w, h] = card_size(node);
            vec2(w as f32, h as f32)
        });
        Some(Rect::from_min_size(pos2(x as f32, y as f32), size))
    }

    /// The size each card had when last drawn, for the auto-layout.
    pub fn card_sizes(&self) -> FxHashMap<NodeId, [f64; 2]> {
        self.sizes.iter().map(|(id, s)| (id.clone(), [f64::from(s.x), f64::from(s.y)])).collect()
    }

    /// Asks the canvas to centre the view on a node next frame.
    pub fn focus(&mut self, id: NodeId) {
        self.center_on = Some((id, false));
    }

    /// Centres the view on a node at 100 % next frame (from the overview).
    pub fn zoom_to(&mut self, id: NodeId) {
        self.center_on = Some((id, true));
    }

    /// Shows the canvas.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        eval: Option<&Evaluation>,
        selection: &[NodeId],
        renaming: Option<&mut (NodeId, String)>,
        lang: Lang,
    ) -> CanvasOutput {
        let mut out = CanvasOutput::default();
        self.pins.borrow_mut().outputs.clear();
        self.pins.borrow_mut().inputs.clear();
        self.rects.clear();
        let canvas_rect = ui.available_rect_before_wrap();
        let center_on = self.center_on.take().and_then(|(id, zoom)| {
            let i = *self.node_index.get(&id)?;
            let [x, y] = doc.nodes[i].pos?;
            Some((pos2(x as f32 + CARD_WIDTH / 2.0, y as f32 + 40.0), zoom))
        });
        let fit = std::mem::take(&mut self.fit)
            .then(|| doc.nodes.iter().filter_map(|n| self.card_rect(n)).fold(Rect::NOTHING, Rect::union));
        // Cards near last frame's view; the margin keeps cards that are about
        // to scroll in ready.
        let near = self.cards_near(doc, self.view.expand(300.0)).filter(|_| self.scale >= OVERVIEW_BELOW_SCALE);
        let overview = near.is_none();
        self.hold(doc, near.unwrap_or_default());
        let mut viewer = Viewer {
            doc,
            node_index: &self.node_index,
            terms: &self.terms,
            eval,
            lang,
            marks: &self.marks,
            compact_yen: self.compact_yen,
            selection,
            edits: &mut out.edits,
            pins: Rc::clone(&self.pins),
            rects: &mut self.rects,
            center_on,
            fit: fit.filter(|b| b.is_positive()),
            canvas_rect,
            renaming,
            rename_done: None,
            start_rename: None,
        };
        let style = SnarlStyle {
            node_layout: Some(NodeLayout { min_pin_row_height: 14.0, ..NodeLayout::coil() }),
            pin_size: Some(9.0),
            wire_width: Some(1.6),
            wire_style: Some(WireStyle::AxisAligned { corner_radius: 8.0 }),
            bg_pattern: Some(BackgroundPattern::NoPattern),
            collapsible: Some(false),
            centering: Some(false),
            select_style: Some(egui_snarl::ui::SelectionStyle {
                margin: egui::Margin::ZERO,
                rounding: egui::CornerRadius::ZERO,
                fill: Color32::TRANSPARENT,
                stroke: Stroke::NONE,
            }),
            select_fill: Some(Color32::from_rgba_unmultiplied(255, 170, 0, 30)),
            select_stoke: Some(Stroke::new(1.0, Color32::from_rgb(255, 170, 0))),
            min_scale: Some(0.05),
            ..SnarlStyle::new()
        };
        egui_snarl::ui::SnarlWidget::new().id(self.snarl_id).style(style).show(&mut self.snarl, &mut viewer, ui);
        out.rename_done = viewer.rename_done;
        out.rename = viewer.start_rename.take();
        self.box_selection(ui, &mut out);

        let layer = LayerId::new(ui.layer_id().order, self.snarl_id);
        let to_global = ui.ctx().layer_transform_to_global(layer).unwrap_or_default();
        self.view = to_global.inverse() * canvas_rect;
        self.scale = to_global.scaling;
        for (id, r) in &self.rects {
            self.sizes.insert(id.clone(), r.size());
        }
        if overview {
            self.paint_overview(ui, &to_global, canvas_rect, doc, eval, selection);
        }
        self.paint_badges(ui, layer, &to_global, lang, &mut out);
        self.pointer_gestures(ui, &to_global, canvas_rect, &mut out);
        self.write_back_moves(ui, doc, &mut out);
        out
    }

    /// Paints an operator badge at the middle of every wire (and dashes over
    /// `link` wires), and lets a click on a badge change the operator.
    fn paint_badges(
        &mut self,
        ui: &Ui,
        layer: LayerId,
        to_global: &egui::emath::TSTransform,
        lang: Lang,
        out: &mut CanvasOutput,
    ) {
        let mut painter = ui.ctx().layer_painter(layer);
        painter.set_clip_rect(self.view);
        let pins = self.pins.borrow();
        let pointer = ui.ctx().input(|i| i.pointer.interact_pos());
        let clicked = ui.ctx().input(|i| i.pointer.primary_clicked());
        let font = egui::FontId::proportional(13.0);
        for (parent, terms) in &self.terms {
            let Some(&p) = self.by_id.get(parent) else { continue };
            for (k, t) in terms.iter().enumerate() {
                let Some(&c) = self.by_id.get(&t.child) else { continue };
                let (Some(&a), Some(&b)) = (pins.outputs.get(&(p, k)), pins.inputs.get(&c)) else { continue };
                let mid = pos2((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
                if t.op == Op::Link {
                    let stroke = Stroke::new(1.6, Color32::from_gray(120));
                    let path = [a, pos2(mid.x, a.y), pos2(mid.x, b.y), b];
                    painter.extend(egui::Shape::dashed_line(&path, stroke, 6.0, 4.0));
                    continue;
                }
                let radius = 10.0;
                let hovered = pointer.is_some_and(|pp| (to_global.inverse() * pp).distance(mid) <= radius);
                let fill = if hovered { Color32::from_rgb(255, 240, 200) } else { Color32::WHITE };
                painter.circle(mid, radius, fill, Stroke::new(1.5, op_color(t.op)));
                painter.text(mid, egui::Align2::CENTER_CENTER, t.op.symbol(), font.clone(), op_color(t.op));
                if hovered && clicked {
                    self.op_menu = Some((parent.clone(), t.child.clone(), *to_global * mid));
                }
            }
        }
        drop(pins);
        let Some((parent, child, at)) = self.op_menu.clone() else { return };
        let area =
            egui::Area::new(Id::new("kpitree-op-menu")).order(egui::Order::Foreground).fixed_pos(at + vec2(12.0, 12.0));
        let response = area.show(ui.ctx(), |ui| {
            egui::Frame::menu(ui.style()).show(ui, |ui| {
                ui.label(T::ChangeOp.get(lang));
                for op in Op::ALL {
                    let label = if op == Op::Link {
                        format!("{}  {}", op.symbol(), T::OpLink.get(lang))
                    } else {
                        op.symbol().to_owned()
                    };
                    if ui.button(label).clicked() {
                        out.edits.push(Edit::SetOp { parent: parent.clone(), child: child.clone(), op });
                        self.op_menu = None;
                    }
                }
            });
        });
        let clicked_elsewhere = ui.ctx().input(|i| i.pointer.any_pressed())
            && !response.response.contains_pointer()
            && !ui.ctx().input(|i| i.pointer.primary_clicked());
        if clicked_elsewhere || ui.ctx().input(|i| i.key_pressed(egui::Key::Escape)) {
            self.op_menu = None;
        }
    }

    /// snarl selects the cards inside a Shift+drag box; the canvas passes the
    /// newly caught ones on (snarl's own selection is otherwise unused and
    /// invisible: it has no API to set it, so the app keeps the selection).
    fn box_selection(&mut self, ui: &Ui, out: &mut CanvasOutput) {
        let now = egui_snarl::ui::get_selected_nodes(self.snarl_id, ui.ctx());
        if now == self.snarl_selection {
            return;
        }
        let dragged = ui.ctx().input(|i| i.pointer.primary_released() && !i.pointer.primary_clicked());
        if dragged {
            out.boxed = now
                .iter()
                .filter(|sn| !self.snarl_selection.contains(sn))
                .filter_map(|sn| self.snarl.get_node(*sn).map(|c| c.id.clone()))
                .collect();
        }
        self.snarl_selection = now;
    }

    /// Clicks and double-clicks on cards select and rename; Delete removes.
    fn pointer_gestures(
        &mut self,
        ui: &Ui,
        to_global: &egui::emath::TSTransform,
        canvas_rect: Rect,
        out: &mut CanvasOutput,
    ) {
        let (clicked, double, pos) = ui.ctx().input(|i| {
            (
                i.pointer.primary_clicked(),
                i.pointer.button_double_clicked(egui::PointerButton::Primary),
                i.pointer.interact_pos(),
            )
        });
        let Some(pos) = pos else { return };
        if !canvas_rect.contains(pos)
            || self.op_menu.is_some()
            || ui.ctx().layer_id_at(pos).is_some_and(|l| l.order != egui::Order::Background)
        {
            return;
        }
        let graph = to_global.inverse() * pos;
        let hit = self.rects.iter().find(|(_, r)| r.contains(graph)).map(|(id, _)| id.clone());
        if clicked {
            // The button event carries the modifiers of the click itself.
            let shift = ui.ctx().input(|i| {
                i.modifiers.shift
                    || i.events
                        .iter()
                        .any(|e| matches!(e, egui::Event::PointerButton { modifiers, .. } if modifiers.shift))
            });
            if shift {
                out.toggled = hit.clone();
            } else {
                out.clicked = Some(hit.clone());
            }
        }
        if double && let Some(id) = hit {
            if self.held.as_ref().is_some_and(|h| h.contains(&id)) {
                out.rename = Some(id);
            } else {
                // A box of the overview: go to the card.
                self.zoom_to(id);
            }
        }
    }

    /// A drag that ended moves the node in the document.
    fn write_back_moves(&self, ui: &Ui, doc: &Document, out: &mut CanvasOutput) {
        if ui.ctx().input(|i| i.pointer.any_down()) {
            return;
        }
        let moved: Vec<(NodeId, [f64; 2])> = self
            .snarl
            .nodes_pos_ids()
            .filter_map(|(_, pos, card)| {
                let i = *self.node_index.get(&card.id)?;
                let now = [f64::from(pos.x), f64::from(pos.y)];
                let before = doc.nodes[i].pos;
                let same = before.is_some_and(|[x, y]| (x - now[0]).abs() < 0.5 && (y - now[1]).abs() < 0.5);
                (!same).then(|| (card.id.clone(), now))
            })
            .collect();
        if !moved.is_empty() {
            out.edits.push(Edit::SetPositions(moved));
        }
    }
}

fn op_color(op: Op) -> Color32 {
    match op {
        Op::Add => Color32::from_rgb(30, 120, 60),
        Op::Sub => Color32::from_rgb(180, 50, 50),
        Op::Mul => Color32::from_rgb(40, 80, 170),
        Op::Div => Color32::from_rgb(130, 60, 160),
        Op::Link => Color32::GRAY,
    }
}

/// Default size of a card for the auto-layout (the canvas sizes itself to its
/// content; this is close to what it draws).
pub fn card_size(node: &Node) -> [f64; 2] {
    let h = match node.kind {
        Kind::Ksf => 56.0,
        _ => 104.0,
    };
    [f64::from(CARD_WIDTH) + 16.0, h]
}
