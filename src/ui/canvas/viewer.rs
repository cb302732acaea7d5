//! The snarl viewer: how each card, pin and menu of the canvas is drawn, and
//! which gestures become edits.

use std::cell::RefCell;
use std::rc::Rc;

use egui::{Color32, Pos2, Rect, Stroke, Ui};
use egui_snarl::ui::{AnyPins, PinInfo, SnarlPin, SnarlViewer, WireStyle};
use egui_snarl::{InPin, NodeId as SnarlNode, OutPin, Snarl};
use rustc_hash::FxHashMap;

use super::{CARD_WIDTH, Card, PinKey, PinSink, RecordingPin, Term, op_color};
use crate::eval::Evaluation;
use crate::lang::Lang;
use crate::model::{Document, Edit, Kind, Node, NodeId, Op};
use crate::ui::card::{self, CardContext};
use crate::ui::i18n::{T, new_node};

pub(super) struct Viewer<'a> {
    pub(super) doc: &'a Document,
    pub(super) node_index: &'a FxHashMap<NodeId, usize>,
    pub(super) terms: &'a FxHashMap<NodeId, Vec<Term>>,
    pub(super) eval: Option<&'a Evaluation>,
    pub(super) lang: Lang,
    pub(super) marks: &'a crate::ui::card::Marks,
    pub(super) compact_yen: bool,
    pub(super) selection: &'a [NodeId],
    pub(super) edits: &'a mut Vec<Edit>,
    pub(super) pins: Rc<RefCell<PinSink>>,
    pub(super) rects: &'a mut FxHashMap<NodeId, Rect>,
    pub(super) center_on: Option<(Pos2, bool)>,
    pub(super) fit: Option<Rect>,
    pub(super) canvas_rect: Rect,
    pub(super) renaming: Option<&'a mut (NodeId, String)>,
    pub(super) rename_done: Option<bool>,
    pub(super) start_rename: Option<NodeId>,
}

impl<'a> Viewer<'a> {
    /// What the card of snarl node `sn` shows. Borrows the document and the
    /// evaluation, not the viewer, so the viewer stays free to change.
    fn context(&self, snarl: &Snarl<Card>, sn: SnarlNode) -> Option<CardContext<'a>> {
        let doc: &'a Document = self.doc;
        let eval: Option<&'a Evaluation> = self.eval;
        let node = &doc.nodes[*self.node_index.get(&snarl.get_node(sn)?.id)?];
        let mark = self.marks.get(&node.id).copied().unwrap_or_default();
        let compact_yen = self.compact_yen;
        Some(CardContext { node, value: eval.and_then(|e| e.get(&node.id)), eval, lang: self.lang, mark, compact_yen })
    }

    fn node(&self, card: &Card) -> Option<&Node> {
        self.node_index.get(&card.id).map(|&i| &self.doc.nodes[i])
    }

    fn id_of(snarl: &Snarl<Card>, sn: SnarlNode) -> Option<NodeId> {
        snarl.get_node(sn).map(|c| c.id.clone())
    }

    /// The operator a new term of `parent` gets (see [`default_op`]).
    fn default_op_for(&self, parent: &NodeId, child_kind: Kind) -> Op {
        let parent_kind = self.node_index.get(parent).map(|&i| self.doc.nodes[i].kind);
        let last = self.terms.get(parent).and_then(|ts| ts.iter().rev().find(|t| t.op.is_arithmetic())).map(|t| t.op);
        default_op(parent_kind, child_kind, last)
    }

    fn new_node(&mut self, kind: Kind, pos: Pos2, parent: Option<NodeId>) {
        let node = new_node(self.doc, kind, self.lang, [f64::from(pos.x), f64::from(pos.y)]);
        let parent = parent.map(|p| {
            let op = self.default_op_for(&p, kind);
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
        let Some(cx) = self.context(snarl, sn) else { return };
        match self.renaming.as_deref_mut() {
            Some((id, text)) if *id == cx.node.id => {
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
        let selected = self.selection.contains(&node.id);
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
        let Some(cx) = self.context(snarl, sn) else { return };
        card::body_ui(ui, &cx);
    }

    fn final_node_rect(&mut self, sn: SnarlNode, rect: Rect, _ui: &mut Ui, snarl: &mut Snarl<Card>) {
        if let Some(card) = snarl.get_node(sn) {
            self.rects.insert(card.id.clone(), rect);
        }
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
        let op = self.default_op_for(&parent, child_kind);
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
                        let at = [f64::from(pos.x) - f64::from(CARD_WIDTH), f64::from(pos.y)];
                        let node = new_node(self.doc, kind, self.lang, at);
                        let child_kind = self.node_index.get(&child).map_or(Kind::Kpi, |&i| self.doc.nodes[i].kind);
                        let op = default_op(Some(kind), child_kind, None);
                        let id = node.id.clone();
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
            to_global.scaling = sx.min(sy).clamp(0.05, 1.0);
            to_global.translation = self.canvas_rect.center().to_vec2() - bounds.center().to_vec2() * to_global.scaling;
        }
        if let Some((target, zoom)) = self.center_on.take() {
            if zoom {
                to_global.scaling = 1.0;
            }
            let center = self.canvas_rect.center();
            to_global.translation = center.to_vec2() - target.to_vec2() * to_global.scaling;
        }
    }
}

/// The operator a new term gets: `link` under or into a KSF (the method's
/// qualitative step), else the operator of the parent's last arithmetic
/// term, else `×`.
fn default_op(parent_kind: Option<Kind>, child_kind: Kind, last_arithmetic: Option<Op>) -> Op {
    if child_kind == Kind::Ksf || parent_kind == Some(Kind::Ksf) {
        return Op::Link;
    }
    last_arithmetic.unwrap_or(Op::Mul)
}
