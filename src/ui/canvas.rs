//! The node-graph canvas: the ONLY file that knows egui-snarl.
//!
//! The snarl graph is a view of the document, rebuilt from it whenever the
//! document changes. Gestures (connecting, moving, deleting, menus) become
//! [`Edit`]s that the app applies to the document; nothing is written only
//! into snarl's own structures.

use std::cell::RefCell;
use std::rc::Rc;

use egui::{Color32, Id, LayerId, Pos2, Rect, Stroke, Ui, pos2, vec2};
use egui_snarl::ui::{
    AnyPins, BackgroundPattern, NodeLayout, PinInfo, PinWireInfo, SnarlPin, SnarlStyle, SnarlViewer, WireStyle,
};
use egui_snarl::{InPin, InPinId, NodeId as SnarlNode, OutPin, OutPinId, Snarl};
use rustc_hash::FxHashMap;

use super::card::{self, CardContext};
use super::i18n::T;
use crate::eval::Evaluation;
use crate::lang::Lang;
use crate::model::{Document, Edit, Kind, Node, NodeId, Op};

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
}

/// The canvas and its derived state.
pub struct Canvas {
    snarl: Snarl<Card>,
    by_id: FxHashMap<NodeId, SnarlNode>,
    terms: FxHashMap<NodeId, Vec<Term>>,
    node_index: FxHashMap<NodeId, usize>,
    synced: Option<u64>,
    pins: Rc<RefCell<PinSink>>,
    rects: FxHashMap<SnarlNode, Rect>,
    center_on: Option<NodeId>,
    fit: bool,
    op_menu: Option<(NodeId, NodeId, Pos2)>,
    snarl_id: Id,
    view: Rect,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas {
            snarl: Snarl::new(),
            by_id: FxHashMap::default(),
            terms: FxHashMap::default(),
            node_index: FxHashMap::default(),
            synced: None,
            pins: Rc::default(),
            rects: FxHashMap::default(),
            center_on: None,
            fit: false,
            op_menu: None,
            snarl_id: Id::new("kpitree-canvas"),
            view: Rect::from_min_size(Pos2::ZERO, vec2(800.0, 600.0)),
        }
    }
}

impl Canvas {
    /// Brings the snarl graph in line with `doc` when its generation changed.
    pub fn sync(&mut self, doc: &Document, generation: u64) {
        if self.synced == Some(generation) {
            return;
        }
        self.synced = Some(generation);
        self.node_index.clear();
        for (i, node) in doc.nodes.iter().enumerate() {
            self.node_index.entry(node.id.clone()).or_insert(i);
        }
        let stale: Vec<NodeId> = self.by_id.keys().filter(|id| !self.node_index.contains_key(*id)).cloned().collect();
        for id in stale {
            if let Some(sn) = self.by_id.remove(&id) {
                self.snarl.remove_node(sn);
            }
        }
        for (i, node) in doc.nodes.iter().enumerate() {
            if self.node_index.get(&node.id) != Some(&i) {
                continue;
            }
            let pos = node.pos.map_or(Pos2::ZERO, |[x, y]| pos2(x as f32, y as f32));
            match self.by_id.get(&node.id) {
                Some(&sn) => {
                    if let Some(info) = self.snarl.get_node_info_mut(sn)
                        && node.pos.is_some()
                    {
                        info.pos = pos;
                    }
                }
                None => {
                    let sn = self.snarl.insert_node(pos, Card { id: node.id.clone() });
                    self.by_id.insert(node.id.clone(), sn);
                }
            }
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

    /// Asks the canvas to show the whole tree next frame.
    pub fn fit_to_view(&mut self) {
        self.fit = true;
    }

    /// The size each card had when last drawn, for the auto-layout.
    pub fn card_sizes(&self) -> FxHashMap<NodeId, [f64; 2]> {
        self.rects
            .iter()
            .filter_map(|(sn, r)| {
                Some((self.snarl.get_node(*sn)?.id.clone(), [f64::from(r.width()), f64::from(r.height())]))
            })
            .collect()
    }

    /// Asks the canvas to centre the view on a node next frame.
    pub fn focus(&mut self, id: NodeId) {
        self.center_on = Some(id);
    }

    /// Shows the canvas.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        eval: Option<&Evaluation>,
        selected: Option<&NodeId>,
        renaming: Option<&mut (NodeId, String)>,
        lang: Lang,
    ) -> CanvasOutput {
        let mut out = CanvasOutput::default();
        self.pins.borrow_mut().outputs.clear();
        self.pins.borrow_mut().inputs.clear();
        self.rects.clear();
        let canvas_rect = ui.available_rect_before_wrap();
        let center_on = self.center_on.take().and_then(|id| {
            let i = *self.node_index.get(&id)?;
            let [x, y] = doc.nodes[i].pos?;
            Some(pos2(x as f32 + CARD_WIDTH / 2.0, y as f32 + 40.0))
        });
        let fit = std::mem::take(&mut self.fit).then(|| {
            let mut bounds = Rect::NOTHING;
            for node in &doc.nodes {
                if let Some([x, y]) = node.pos {
                    let min = pos2(x as f32, y as f32);
                    bounds = bounds.union(Rect::from_min_size(min, vec2(CARD_WIDTH + 20.0, 110.0)));
                }
            }
            bounds
        });
        let mut viewer = Viewer {
            doc,
            node_index: &self.node_index,
            terms: &self.terms,
            eval,
            lang,
            selected,
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
            ..SnarlStyle::new()
        };
        egui_snarl::ui::SnarlWidget::new().id(self.snarl_id).style(style).show(&mut self.snarl, &mut viewer, ui);
        out.rename_done = viewer.rename_done;
        out.rename = viewer.start_rename.take();

        let layer = LayerId::new(ui.layer_id().order, self.snarl_id);
        let to_global = ui.ctx().layer_transform_to_global(layer).unwrap_or_default();
        self.view = to_global.inverse() * canvas_rect;
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
        let painter = ui.ctx().layer_painter(layer);
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
        let hit = self
            .rects
            .iter()
            .find(|(_, r)| r.contains(graph))
            .and_then(|(sn, _)| self.snarl.get_node(*sn))
            .map(|c| c.id.clone());
        if clicked {
            out.clicked = Some(hit.clone());
        }
        if double && let Some(id) = hit {
            out.rename = Some(id);
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

struct Viewer<'a> {
    doc: &'a Document,
    node_index: &'a FxHashMap<NodeId, usize>,
    terms: &'a FxHashMap<NodeId, Vec<Term>>,
    eval: Option<&'a Evaluation>,
    lang: Lang,
    selected: Option<&'a NodeId>,
    edits: &'a mut Vec<Edit>,
    pins: Rc<RefCell<PinSink>>,
    rects: &'a mut FxHashMap<SnarlNode, Rect>,
    center_on: Option<Pos2>,
    fit: Option<Rect>,
    canvas_rect: Rect,
    renaming: Option<&'a mut (NodeId, String)>,
    rename_done: Option<bool>,
    start_rename: Option<NodeId>,
}

impl Viewer<'_> {
    fn node(&self, card: &Card) -> Option<&Node> {
        self.node_index.get(&card.id).map(|&i| &self.doc.nodes[i])
    }

    fn id_of(snarl: &Snarl<Card>, sn: SnarlNode) -> Option<NodeId> {
        snarl.get_node(sn).map(|c| c.id.clone())
    }

    /// The operator a new term of `parent` gets: `link` under or into a KSF,
    /// else the operator of the parent's last arithmetic term, else `×`.
    fn default_op(&self, parent: &NodeId, child_kind: Kind) -> Op {
        let parent_kind = self.node_index.get(parent).map(|&i| self.doc.nodes[i].kind);
        if child_kind == Kind::Ksf || parent_kind == Some(Kind::Ksf) {
            return Op::Link;
        }
        self.terms.get(parent).and_then(|ts| ts.iter().rev().find(|t| t.op.is_arithmetic())).map_or(Op::Mul, |t| t.op)
    }

    fn new_node(&mut self, kind: Kind, pos: Pos2, parent: Option<NodeId>) {
        let stem = kind.as_str().to_ascii_lowercase();
        let id = self.doc.fresh_id(&stem);
        let name = match kind {
            Kind::Kgi => T::NewKgi,
            Kind::Ksf => T::NewKsf,
            Kind::Kpi => T::NewKpi,
        }
        .get(self.lang);
        let mut node = Node::new(id, kind, name);
        node.pos = Some([f64::from(pos.x), f64::from(pos.y)]);
        let parent = parent.map(|p| {
            let op = self.default_op(&p, kind);
            (p, op)
        });
        self.edits.push(Edit::AddNode { node: Box::new(node), parent });
    }

    fn create_menu(&mut self, ui: &mut Ui, pos: Pos2, parent: Option<NodeId>) {
        for (kind, text) in [(Kind::Kgi, T::AddKgi), (Kind::Ksf, T::AddKsf), (Kind::Kpi, T::AddKpi)] {
            if parent.is_some() && kind == Kind::Kgi {
                continue;
            }
            if ui.button(text.get(self.lang)).clicked() {
                self.new_node(kind, pos, parent.clone());
                ui.close();
            }
        }
    }
}

impl SnarlViewer<Card> for Viewer<'_> {
    fn title(&mut self, card: &Card) -> String {
        self.node(card).map(|n| n.name.clone()).unwrap_or_default()
    }

    fn show_header(
        &mut self,
        sn: SnarlNode,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        ui: &mut Ui,
        snarl: &mut Snarl<Card>,
    ) {
        let Some(card) = snarl.get_node(sn) else { return };
        let doc = self.doc;
        let Some(node) = self.node_index.get(&card.id).map(|&i| &doc.nodes[i]) else { return };
        let cx = CardContext { node, value: self.eval.and_then(|e| e.get(&node.id)), eval: self.eval, lang: self.lang };
        match self.renaming.as_deref_mut() {
            Some((id, text)) if *id == node.id => {
                if let Some(done) = card::rename_ui(ui, &cx, text) {
                    self.rename_done = Some(done);
                }
            }
            _ => card::header_ui(ui, &cx),
        }
    }

    fn node_frame(
        &mut self,
        default: egui::Frame,
        sn: SnarlNode,
        _i: &[InPin],
        _o: &[OutPin],
        snarl: &Snarl<Card>,
    ) -> egui::Frame {
        let Some(node) = snarl.get_node(sn).and_then(|c| self.node(c)) else { return default };
        let selected = self.selected == Some(&node.id);
        card::frame(default, node.kind, selected)
    }

    fn has_body(&mut self, _card: &Card) -> bool {
        true
    }

    fn show_body(
        &mut self,
        sn: SnarlNode,
        _inputs: &[InPin],
        _outputs: &[OutPin],
        ui: &mut Ui,
        snarl: &mut Snarl<Card>,
    ) {
        let Some(card) = snarl.get_node(sn) else { return };
        let Some(node) = self.node(card) else { return };
        let cx = CardContext { node, value: self.eval.and_then(|e| e.get(&node.id)), eval: self.eval, lang: self.lang };
        card::body_ui(ui, &cx);
    }

    fn final_node_rect(&mut self, sn: SnarlNode, rect: Rect, _ui: &mut Ui, _snarl: &mut Snarl<Card>) {
        self.rects.insert(sn, rect);
    }

    fn inputs(&mut self, _card: &Card) -> usize {
        1
    }

    fn outputs(&mut self, card: &Card) -> usize {
        self.terms.get(&card.id).map_or(0, Vec::len) + 1
    }

    fn show_input(&mut self, pin: &InPin, _ui: &mut Ui, _snarl: &mut Snarl<Card>) -> impl SnarlPin + 'static {
        let info = PinInfo::circle()
            .with_fill(Color32::from_gray(90))
            .with_wire_style(WireStyle::AxisAligned { corner_radius: 8.0 });
        RecordingPin { info, sink: Rc::clone(&self.pins), key: PinKey::In(pin.id.node) }
    }

    fn show_output(&mut self, pin: &OutPin, _ui: &mut Ui, snarl: &mut Snarl<Card>) -> impl SnarlPin + 'static {
        let term = snarl.get_node(pin.id.node).and_then(|c| self.terms.get(&c.id)).and_then(|ts| ts.get(pin.id.output));
        let info = match term {
            Some(t) if t.op == Op::Link => {
                PinInfo::circle().with_fill(Color32::from_gray(160)).with_wire_color(Color32::from_gray(235))
            }
            Some(t) => PinInfo::circle().with_fill(op_color(t.op)).with_wire_color(Color32::from_gray(110)),
            // The free pin: drag from here to add a term.
            None => PinInfo::circle().with_fill(Color32::WHITE).with_stroke(Stroke::new(1.5, Color32::from_gray(110))),
        };
        let info = info.with_wire_style(WireStyle::AxisAligned { corner_radius: 8.0 });
        RecordingPin { info, sink: Rc::clone(&self.pins), key: PinKey::Out(pin.id.node, pin.id.output) }
    }

    fn connect(&mut self, from: &OutPin, to: &InPin, snarl: &mut Snarl<Card>) {
        let (Some(parent), Some(child)) = (Self::id_of(snarl, from.id.node), Self::id_of(snarl, to.id.node)) else {
            return;
        };
        let child_kind = self.node_index.get(&child).map_or(Kind::Kpi, |&i| self.doc.nodes[i].kind);
        let op = self.default_op(&parent, child_kind);
        self.edits.push(Edit::Connect { parent, child, op });
    }

    fn disconnect(&mut self, from: &OutPin, to: &InPin, snarl: &mut Snarl<Card>) {
        let (Some(parent), Some(child)) = (Self::id_of(snarl, from.id.node), Self::id_of(snarl, to.id.node)) else {
            return;
        };
        self.edits.push(Edit::Disconnect { parent, child });
    }

    fn drop_outputs(&mut self, pin: &OutPin, snarl: &mut Snarl<Card>) {
        for remote in &pin.remotes {
            if let (Some(parent), Some(child)) = (Self::id_of(snarl, pin.id.node), Self::id_of(snarl, remote.node)) {
                self.edits.push(Edit::Disconnect { parent, child });
            }
        }
    }

    fn drop_inputs(&mut self, pin: &InPin, snarl: &mut Snarl<Card>) {
        for remote in &pin.remotes {
            if let (Some(parent), Some(child)) = (Self::id_of(snarl, remote.node), Self::id_of(snarl, pin.id.node)) {
                self.edits.push(Edit::Disconnect { parent, child });
            }
        }
    }

    fn has_graph_menu(&mut self, _pos: Pos2, _snarl: &mut Snarl<Card>) -> bool {
        true
    }

    fn show_graph_menu(&mut self, pos: Pos2, ui: &mut Ui, _snarl: &mut Snarl<Card>) {
        ui.label(T::CreateHere.get(self.lang));
        self.create_menu(ui, pos, None);
    }

    fn has_dropped_wire_menu(&mut self, _src: AnyPins, _snarl: &mut Snarl<Card>) -> bool {
        true
    }

    fn show_dropped_wire_menu(&mut self, pos: Pos2, ui: &mut Ui, src: AnyPins, snarl: &mut Snarl<Card>) {
        ui.label(T::CreateConnected.get(self.lang));
        match src {
            AnyPins::Out(pins) => {
                let parent = pins.first().and_then(|p| Self::id_of(snarl, p.node));
                self.create_menu(ui, pos, parent);
            }
            AnyPins::In(pins) => {
                // Dragged from a child's parent pin: create the parent.
                let Some(child) = pins.first().and_then(|p| Self::id_of(snarl, p.node)) else { return };
                for (kind, text) in [(Kind::Kgi, T::AddKgi), (Kind::Ksf, T::AddKsf), (Kind::Kpi, T::AddKpi)] {
                    if ui.button(text.get(self.lang)).clicked() {
                        let id = self.doc.fresh_id(&kind.as_str().to_ascii_lowercase());
                        let mut node = Node::new(id.clone(), kind, kind.as_str());
                        node.pos = Some([f64::from(pos.x) - f64::from(CARD_WIDTH), f64::from(pos.y)]);
                        let op = if kind == Kind::Ksf { Op::Link } else { Op::Mul };
                        self.edits.push(Edit::AddNode { node: Box::new(node), parent: None });
                        self.edits.push(Edit::Connect { parent: id, child: child.clone(), op });
                        ui.close();
                    }
                }
            }
        }
    }

    fn has_node_menu(&mut self, _card: &Card) -> bool {
        true
    }

    fn show_node_menu(&mut self, sn: SnarlNode, _i: &[InPin], _o: &[OutPin], ui: &mut Ui, snarl: &mut Snarl<Card>) {
        let Some(id) = Self::id_of(snarl, sn) else { return };
        if ui.button(format!("{}  (F2)", T::Rename.get(self.lang))).clicked() {
            self.start_rename = Some(id.clone());
            ui.close();
        }
        if ui.button(format!("{}  (Delete)", T::Delete.get(self.lang))).clicked() {
            self.edits.push(Edit::RemoveNodes(vec![id]));
            ui.close();
        }
    }

    fn current_transform(&mut self, to_global: &mut egui::emath::TSTransform, _snarl: &mut Snarl<Card>) {
        if let Some(bounds) = self.fit.take() {
            let margin = 40.0;
            let sx = (self.canvas_rect.width() - 2.0 * margin) / bounds.width();
            let sy = (self.canvas_rect.height() - 2.0 * margin) / bounds.height();
            to_global.scaling = sx.min(sy).clamp(0.1, 1.0);
            to_global.translation = self.canvas_rect.center().to_vec2() - bounds.center().to_vec2() * to_global.scaling;
        }
        if let Some(target) = self.center_on.take() {
            let center = self.canvas_rect.center();
            to_global.translation = center.to_vec2() - target.to_vec2() * to_global.scaling;
        }
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
