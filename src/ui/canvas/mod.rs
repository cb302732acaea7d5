//! kpitree's own canvas, on `egui::Scene`: the Scene keeps the view (pan
//! with the wheel or a middle drag, zoom about the pointer with Ctrl+wheel
//! or a pinch); the canvas paints the core's [`Diagram`] — the same cards
//! and wires every export draws — in screen pixels, hit-tests cards by
//! their rectangles, culls by the visible rectangle and owns no selection
//! of its own (the app's is the only one).
//!
//! Pointer gestures run through the state machine in `gesture.rs`; what a
//! gesture does becomes [`Edit`]s for the app to apply.

mod gesture;
mod grid;
mod menus;
mod minimap;
mod paint;
mod view;

use std::sync::Arc;

use egui::{Color32, Id, Pos2, Rect, Sense, Stroke, Ui, Vec2, pos2, vec2};
use rustc_hash::{FxHashMap, FxHashSet};

use self::gesture::{Done, Gesture, Hit, Pointer};
use self::grid::{Grid, card_rect};
use self::paint::{Highlight, Lod, OverviewMesh, colour};
pub use self::view::View;
use crate::eval::Evaluation;
use crate::export::Diagram;
use crate::lang::Lang;
use crate::model::{Document, Edit, Field, Kind, LayoutMode, NodeId};

pub use self::menus::ValuesDraft;
/// The view, saved to come back to (after presenting).
pub type SavedView = View;
pub use self::paint::MIN_TEXT;

/// How long a re-layout animates.
const ANIMATION: f64 = 0.18;

/// What the canvas asks the app to do after a frame.
#[derive(Default)]
pub struct CanvasOutput {
    /// Edits to apply to the document.
    pub edits: Vec<Edit>,
    /// The node the user clicked (Some(None) = clicked empty canvas).
    pub clicked: Option<Option<NodeId>>,
    /// The node whose name was double-clicked (rename it in place).
    pub rename: Option<NodeId>,
    /// The node whose numbers were double-clicked (edit them in place).
    pub edit_values: Option<NodeId>,
    /// The in-place rename ended: `true` to keep the typed name.
    pub rename_done: Option<bool>,
    /// The in-place values ended: `true` to keep what was typed.
    pub values_done: Option<bool>,
    /// Shift+click on a card: add it to or remove it from the selection.
    pub toggled: Option<NodeId>,
    /// Cards caught by a selection box, and whether they replace the
    /// selection (no Shift) or join it.
    pub boxed: Option<(Vec<NodeId>, bool)>,
}

/// What the canvas draws this frame.
pub struct CanvasInput<'a> {
    /// The document (for menus and new ids).
    pub doc: &'a Document,
    /// The diagram of the document, from the background worker.
    pub diagram: Option<&'a Arc<Diagram>>,
    /// The evaluation (for the diagnostics in tooltips).
    pub eval: Option<&'a Evaluation>,
    /// The app's selection.
    pub selection: &'a [NodeId],
    /// The name being typed in place, if any.
    pub renaming: Option<&'a mut (NodeId, String)>,
    /// The values being typed in place, if any.
    pub values: Option<&'a mut ValuesDraft>,
    /// Cards shown at full strength; the others faded (presentation).
    pub focus: Option<&'a FxHashSet<NodeId>>,
    /// Cards that match the search.
    pub matches: Option<&'a FxHashSet<NodeId>>,
    /// The user interface's language.
    pub lang: Lang,
}

/// Cards moving from their old to their new place after a re-layout.
struct Animation {
    start: f64,
    from: FxHashMap<NodeId, [f64; 4]>,
}

/// A drop that a dragged card would make here.
#[derive(Debug, Clone, PartialEq)]
enum Drop {
    /// Make the dragged cards terms of this card (or say why not).
    Onto(usize, Result<(), &'static str>),
    /// Move the dragged card to this place among its parent's terms.
    Reorder { parent: NodeId, to: usize, line: [Pos2; 2] },
    /// Empty canvas: detach (automatic layout) or move (free placement).
    Empty,
}

/// The canvas and its view.
pub struct Canvas {
    /// Show amounts in 円 as 万円 / 億円 (View menu).
    pub compact_yen: bool,
    view: View,
    diagram: Option<Arc<Diagram>>,
    grid: Grid,
    gesture: Gesture,
    animation: Option<Animation>,
    /// Free-placement moves waiting for the diagram that shows them.
    pending: FxHashMap<NodeId, [f64; 2]>,
    fit: bool,
    center_on: Option<(NodeId, bool)>,
    reveal: Option<NodeId>,
    hover: Option<usize>,
    /// Descendants of the card being dragged (a drop on one would close a
    /// cycle), by document node.
    dragged_below: Option<(usize, FxHashSet<u32>)>,
    menus: menus::Menus,
    minimap: minimap::Minimap,
    /// The node whose name is being edited in place (its field was set up).
    renaming: Option<NodeId>,
    /// The card under the pointer and since when (for the tooltip).
    hover_since: Option<(usize, f64)>,
    /// Where the pointer was on the diagram last frame.
    last_pointer: Option<Pos2>,
    /// The canvas's own widget, which holds the keyboard while the user
    /// works on the tree (Tab, arrows and Enter then belong to the canvas).
    focus_id: Option<Id>,
    want_focus: bool,
    lod: Lod,
    id: Id,
}

impl Default for Canvas {
    fn default() -> Self {
        Canvas {
            compact_yen: false,
            view: View::default(),
            diagram: None,
            grid: Grid::default(),
            gesture: Gesture::Idle,
            animation: None,
            pending: FxHashMap::default(),
            fit: false,
            center_on: None,
            reveal: None,
            hover: None,
            dragged_below: None,
            menus: menus::Menus::default(),
            minimap: minimap::Minimap::default(),
            renaming: None,
            hover_since: None,
            last_pointer: None,
            focus_id: None,
            want_focus: true,
            lod: Lod::Full,
            id: Id::new("kpitree-canvas"),
        }
    }
}

impl Canvas {
    /// Asks the canvas to show the whole tree next frame.
    pub fn fit_to_view(&mut self) {
        self.fit = true;
    }

    /// Asks the canvas to centre the view on a node next frame.
    pub fn focus(&mut self, id: NodeId) {
        self.center_on = Some((id, false));
    }

    /// Centres the view on a node at 100 % next frame.
    pub fn zoom_to(&mut self, id: NodeId) {
        self.center_on = Some((id, true));
    }

    /// Brings a node into view next frame, moving the view as little as
    /// needed (the view follows the selection).
    pub fn reveal(&mut self, id: NodeId) {
        self.reveal = Some(id);
    }

    /// Zooms to show every card in `ids`.
    pub fn zoom_to_cards(&mut self, ids: &[NodeId]) {
        let Some(d) = &self.diagram else { return };
        let area = ids.iter().filter_map(|id| d.card(id)).map(|c| card_rect(c.rect)).fold(Rect::NOTHING, Rect::union);
        if area.is_positive() {
            self.view.zoom_to(area);
        }
    }

    /// The part of the diagram in view (last frame).
    pub fn view(&self) -> Rect {
        self.view.visible()
    }

    /// The view as it is, to come back to.
    pub fn save_view(&self) -> SavedView {
        self.view
    }

    /// Goes back to a saved view.
    pub fn restore_view(&mut self, saved: SavedView) {
        self.view.scene_rect = saved.scene_rect;
        self.fit = false;
    }

    /// Zooms by `factor` about the middle of the view.
    pub fn zoom_by(&mut self, factor: f32) {
        let centre = self.view.visible().center();
        let zoom = self.view.zoom() * factor;
        self.view.look_at(centre, zoom);
    }

    /// Zooms to `zoom` about the middle of the view.
    pub fn zoom_at(&mut self, zoom: f32) {
        let centre = self.view.visible().center();
        self.view.look_at(centre, zoom);
    }

    /// Gives the canvas the keyboard next frame (after an in-place edit, a
    /// new document).
    pub fn take_focus(&mut self) {
        self.want_focus = true;
    }

    /// The canvas's widget, which has the keyboard while the user works on
    /// the tree.
    pub fn focus_id(&self) -> Option<Id> {
        self.focus_id
    }

    /// Where the pointer is on the diagram, when it is over the canvas.
    pub fn pointer(&self) -> Option<Pos2> {
        self.last_pointer
    }

    /// The diagram the canvas shows.
    pub fn diagram(&self) -> Option<&Arc<Diagram>> {
        self.diagram.as_ref()
    }

    /// True when last frame showed overview boxes rather than cards.
    pub fn showing_overview(&self) -> bool {
        self.lod == Lod::Overview
    }

    /// The view's zoom (screen pixels per diagram pixel).
    pub fn zoom(&self) -> f32 {
        self.view.zoom()
    }

    /// Where a card is on screen (last frame's view).
    pub fn card_screen_rect(&self, id: &NodeId) -> Option<Rect> {
        let card = self.diagram.as_ref()?.card(id)?;
        Some(self.view.screen_rect(self.drawn_rect(card)))
    }

    /// Where a card's left middle and its wire handle are on screen (tests
    /// drag wires between them).
    pub fn pin_screen_positions(&self, id: &NodeId) -> Option<(Pos2, Pos2)> {
        let r = self.card_screen_rect(id)?;
        Some((r.left_center() + vec2(6.0, 0.0), paint::handle_centre(r)))
    }

    /// Where the minimap is on screen, and the diagram rectangle it shows.
    pub fn minimap_rects(&self) -> Option<(Rect, Rect)> {
        self.minimap.rects()
    }

    /// The rectangle a card is drawn at: its diagram place, or where a drag
    /// put it until the diagram shows the move, or along its animation.
    fn drawn_rect(&self, card: &crate::export::Card) -> [f64; 4] {
        let mut r = card.rect;
        if let Some([x, y]) = self.pending.get(&card.id) {
            r[0] = *x;
            r[1] = *y;
        }
        r
    }

    /// Takes in a new diagram: the index for culling, and the cards that
    /// moved, to animate.
    fn take_diagram(&mut self, next: &Arc<Diagram>, now: f64) {
        if self.diagram.as_ref().is_some_and(|d| Arc::ptr_eq(d, next)) {
            return;
        }
        if let Some(old) = &self.diagram
            && next.mode == LayoutMode::Auto
        {
            let mut from = FxHashMap::default();
            for card in &next.cards {
                if let Some(before) = old.card(&card.id)
                    && (before.rect[0] != card.rect[0] || before.rect[1] != card.rect[1])
                {
                    from.insert(card.id.clone(), self.current_rect(old, before, now));
                }
            }
            self.animation = (!from.is_empty()).then_some(Animation { start: now, from });
        }
        // A move shows in the new diagram: stop drawing it from the drag.
        self.pending.retain(|id, p| {
            next.card(id).is_some_and(|c| (c.rect[0] - p[0]).abs() > 0.5 || (c.rect[1] - p[1]).abs() > 0.5)
        });
        self.grid = Grid::new(next);
        self.minimap.invalidate();
        self.diagram = Some(Arc::clone(next));
        self.hover = None;
    }

    /// Where a card of `diagram` is drawn at `now`, mid-animation or not.
    fn current_rect(&self, diagram: &Diagram, card: &crate::export::Card, now: f64) -> [f64; 4] {
        let to = card.rect;
        let Some(anim) = &self.animation else { return to };
        let Some(from) = anim.from.get(&card.id) else { return to };
        let _ = diagram;
        let t = ((now - anim.start) / ANIMATION).clamp(0.0, 1.0);
        // Ease out: fast, then settling.
        let e = 1.0 - (1.0 - t) * (1.0 - t);
        let mix = |a: f64, b: f64| a + (b - a) * e;
        [mix(from[0], to[0]), mix(from[1], to[1]), to[2], to[3]]
    }

    /// Carries out the requests for the view (fit, centre, follow).
    fn apply_view_requests(&mut self, d: &Diagram) {
        if std::mem::take(&mut self.fit) && !d.cards.is_empty() {
            let [x0, y0, x1, y1] = d.bounds;
            self.view.fit(Rect::from_min_max(pos2(x0 as f32, y0 as f32), pos2(x1 as f32, y1 as f32)));
        }
        if let Some((id, zoom)) = self.center_on.take()
            && let Some(card) = d.card(&id)
        {
            let r = card_rect(card.rect);
            let z = if zoom { 1.0 } else { self.view.zoom() };
            self.view.look_at(r.center(), z);
        }
        if let Some(id) = self.reveal.take()
            && let Some(card) = d.card(&id)
        {
            self.view.reveal(card_rect(card.rect));
        }
    }

    /// Shows the canvas.
    pub fn ui(&mut self, ui: &mut Ui, input: CanvasInput<'_>) -> CanvasOutput {
        let mut out = CanvasOutput::default();
        let now = ui.input(|i| i.time);
        let outer = ui.available_rect_before_wrap();
        self.view.outer = outer;
        if let Some(next) = input.diagram {
            self.take_diagram(next, now);
        }
        let Some(d) = self.diagram.clone() else {
            ui.allocate_rect(outer, Sense::hover());
            return out;
        };
        self.apply_view_requests(&d);
        let scene = egui::Scene::new()
            .zoom_range(view::ZOOM_MIN..=view::ZOOM_MAX)
            .drag_pan_buttons(egui::DragPanButtons::MIDDLE);
        let response = scene.show(ui, &mut self.view.scene_rect, |_| {}).response;
        self.focus_id = Some(response.id);
        let busy = input.renaming.is_some() || input.values.is_some();
        if (std::mem::take(&mut self.want_focus)
            || response.clicked()
            || response.drag_started()
            || response.secondary_clicked())
            && !busy
        {
            response.request_focus();
        }
        if response.has_focus() {
            // Tab, the arrows and Enter build the tree instead of moving
            // the keyboard to the next widget.
            let filter = egui::EventFilter { tab: true, horizontal_arrows: true, vertical_arrows: true, escape: false };
            ui.memory_mut(|m| m.set_focus_lock_filter(response.id, filter));
        }
        let zoom = self.view.zoom();
        self.lod = Lod::at(zoom);
        let visible = self.view.visible();
        if self.animation.as_ref().is_some_and(|a| now - a.start > ANIMATION) {
            self.animation = None;
        }
        if self.animation.is_some() {
            ui.ctx().request_repaint();
        }

        let pointer = self.read_pointer(ui, &response);
        self.last_pointer = pointer.pos;
        self.hover = pointer.pos.and_then(|p| self.hovered_card(&d, p));
        self.handle_pointer(ui, &d, &pointer, &input, &mut out);

        let painter = ui.painter_at(outer);
        painter.rect_filled(outer, 0.0, Color32::from_rgb(0xf6, 0xf7, 0xf9));
        self.paint(&painter, &d, &input, visible, now, &pointer);
        self.tooltip(ui, &d, &input, now);
        self.accessibility(ui, &d, visible);
        self.menus.ui(ui, &d, &input, &mut out, self.view, self.lod);
        if let Some(target) = self.minimap.ui(ui, &painter, &d, &self.view) {
            self.view.look_at(target, zoom);
        }
        if d.cards.is_empty() {
            painter.text(
                outer.center(),
                egui::Align2::CENTER_CENTER,
                crate::ui::i18n::T::EmptyCanvas.get(input.lang),
                paint::font(15.0, false),
                colour::MUTED,
            );
        }
        // A card just added is not in the diagram until the worker has laid
        // it out: its fields open in the middle of the view meanwhile, so
        // that nothing typed is lost.
        let fallback = Rect::from_center_size(outer.center(), vec2(240.0, 90.0));
        let at = |id: &NodeId| d.card(id).map_or(fallback, |c| self.view.screen_rect(self.drawn_rect(c)));
        if let Some(draft) = input.values {
            out.values_done = menus::values_ui(ui, at(&draft.id), draft, input.lang);
        }
        match input.renaming {
            Some(renaming) => {
                let rect = at(&renaming.0);
                let first = self.renaming.as_ref() != Some(&renaming.0);
                self.renaming = Some(renaming.0.clone());
                if let Some(done) = menus::rename_ui(ui, rect, zoom.max(0.6), &mut renaming.1, first) {
                    out.rename_done = Some(done);
                }
            }
            None => self.renaming = None,
        }
        out
    }

    /// This frame's pointer input, in diagram coordinates. Nothing when the
    /// pointer is over a window or menu above the canvas.
    fn read_pointer(&self, ui: &Ui, response: &egui::Response) -> Pointer {
        let over_canvas = response.contains_pointer() || self.gesture != Gesture::Idle;
        let (pos, pressed, down, released, double, modifiers, space) = ui.input(|i| {
            (
                i.pointer.latest_pos(),
                i.pointer.primary_pressed(),
                i.pointer.primary_down(),
                i.pointer.primary_released(),
                i.pointer.button_double_clicked(egui::PointerButton::Primary),
                i.modifiers,
                i.key_down(egui::Key::Space),
            )
        });
        let typing = ui.ctx().egui_wants_keyboard_input();
        if !over_canvas {
            return Pointer { pos: None, ..Pointer::default() };
        }
        // Events carry the modifiers of the click itself (the state may lag).
        let shift = modifiers.shift
            || ui.input(|i| {
                i.events.iter().any(|e| matches!(e, egui::Event::PointerButton { modifiers, .. } if modifiers.shift))
            });
        Pointer {
            pos: pos.map(|p| self.view.diagram_point(p)),
            pressed,
            down,
            released,
            double,
            shift,
            add_parent: modifiers.ctrl || modifiers.alt || modifiers.command,
            space: space && !typing,
        }
    }

    /// The card under the pointer, or whose wire handle is (the handle
    /// sticks out of the card's right edge).
    fn hovered_card(&self, d: &Diagram, p: Pos2) -> Option<usize> {
        if let Some(k) = self.grid.card_at(d, p) {
            return Some(k);
        }
        if self.lod == Lod::Overview {
            return None;
        }
        let t = self.view.transform();
        let screen = t * p;
        let near = self.grid.cards_in(Rect::from_center_size(p, Vec2::splat(60.0 / t.scaling)));
        near.into_iter().rev().map(|k| k as usize).find(|&k| {
            let r = self.view.screen_rect(self.drawn_rect(&d.cards[k]));
            (paint::handle_centre(r) - screen).length() <= paint::HANDLE_RADIUS + 3.0
        })
    }

    /// What is under a diagram point.
    fn hit(&self, d: &Diagram, p: Pos2, selection: &[NodeId]) -> Hit {
        let grid = &self.grid;
        let t = self.view.transform();
        let screen = t * p;
        if self.lod != Lod::Overview {
            // Handles of the hovered and selected cards first: they stick out.
            let near = grid.cards_in(Rect::from_center_size(p, Vec2::splat(60.0 / t.scaling)));
            for &k in near.iter().rev() {
                let card = &d.cards[k as usize];
                let r = self.view.screen_rect(self.drawn_rect(card));
                let active = self.hover == Some(k as usize) || selection.contains(&card.id);
                if active && (paint::handle_centre(r) - screen).length() <= paint::HANDLE_RADIUS + 3.0 {
                    return Hit::Handle(k as usize);
                }
                if card.has_children && paint::chevron_rect(r, t.scaling).expand(2.0).contains(screen) {
                    return Hit::Chevron(k as usize);
                }
            }
            if self.lod == Lod::Full {
                for &w in grid.wires_in(Rect::from_center_size(p, Vec2::splat(40.0 / t.scaling))).iter() {
                    let wire = &d.wires[w as usize];
                    let b = t * pos2(wire.badge[0] as f32, wire.badge[1] as f32);
                    if wire.show_op && (b - screen).length() <= (9.5 * t.scaling).clamp(5.0, 14.0) + 2.0 {
                        return Hit::Badge(w as usize);
                    }
                }
            }
        }
        match grid.card_at(d, p) {
            Some(k) => Hit::Card(k),
            None => Hit::Nothing,
        }
    }

    /// Runs the gesture state machine on this frame's pointer input.
    fn handle_pointer(
        &mut self,
        ui: &Ui,
        d: &Arc<Diagram>,
        pointer: &Pointer,
        input: &CanvasInput<'_>,
        out: &mut CanvasOutput,
    ) {
        if self.menus.is_open() && pointer.pressed {
            // A click outside an open menu closes it and does nothing else.
            self.menus.close();
            return;
        }
        let slop = 4.0 / self.view.zoom();
        let corner = |k: usize| {
            let r = self.drawn_rect(&d.cards[k]);
            pos2(r[0] as f32, r[1] as f32)
        };
        let (next, done) = self.gesture.step(pointer, |p| self.hit(d, p, input.selection), corner, slop);
        if let Gesture::DraggingCards { lead, .. } = next
            && self.dragged_below.as_ref().is_none_or(|(k, _)| *k != lead)
        {
            let mut below = FxHashSet::default();
            let mut stack = vec![d.cards[lead].node];
            while let Some(v) = stack.pop() {
                for &(c, _) in &d.links.children[v as usize] {
                    if below.insert(c) {
                        stack.push(c);
                    }
                }
            }
            self.dragged_below = Some((lead, below));
        }
        self.gesture = next;
        if self.gesture.dragging() {
            ui.ctx().request_repaint();
        }
        match done {
            Done::Nothing => {}
            Done::Click { hit, shift } => self.click(d, hit, shift, out),
            Done::DoubleClick(hit) => self.double_click(d, hit, pointer, out),
            Done::DropCards { lead, at, corner, add_parent } => {
                self.drop_cards(d, lead, at, corner, add_parent, input, out);
                self.dragged_below = None;
            }
            Done::DropWire { from, at } => self.drop_wire(d, from, at, input, out),
            Done::Brush { rect, shift } => {
                let picked =
                    d.cards.iter().filter(|c| rect.intersects(card_rect(c.rect))).map(|c| c.id.clone()).collect();
                out.boxed = Some((picked, !shift));
            }
            Done::Pan(delta) => self.view.pan(delta),
        }
        // Right-click: the card's menu, or the canvas's.
        let secondary = ui.input(|i| i.pointer.secondary_clicked());
        if secondary && let Some(p) = pointer.pos {
            let screen = self.view.transform() * p;
            let target = match self.hit(d, p, input.selection) {
                Hit::Card(k) | Hit::Chevron(k) | Hit::Handle(k) => Some(d.cards[k].id.clone()),
                _ => None,
            };
            self.menus.open_context(target, p, screen);
        }
    }

    fn click(&mut self, d: &Diagram, hit: Hit, shift: bool, out: &mut CanvasOutput) {
        match hit {
            Hit::Card(k) | Hit::Handle(k) if shift => out.toggled = Some(d.cards[k].id.clone()),
            Hit::Card(k) | Hit::Handle(k) => out.clicked = Some(Some(d.cards[k].id.clone())),
            Hit::Chevron(k) => {
                let card = &d.cards[k];
                out.edits.push(Edit::SetField(card.id.clone(), Field::Collapsed(card.collapsed.is_none())));
            }
            Hit::Badge(w) => {
                let wire = &d.wires[w];
                let (p, c) = (d.cards[wire.parent as usize].id.clone(), d.cards[wire.child as usize].id.clone());
                let at = self.view.transform() * pos2(wire.badge[0] as f32, wire.badge[1] as f32);
                self.menus.open_operator(p, c, at);
            }
            Hit::Nothing if !shift => out.clicked = Some(None),
            Hit::Nothing => {}
        }
    }

    fn double_click(&mut self, d: &Diagram, hit: Hit, pointer: &Pointer, out: &mut CanvasOutput) {
        let Hit::Card(k) = hit else { return };
        let card = &d.cards[k];
        if self.lod == Lod::Overview {
            // A box of the overview: go to the card.
            self.zoom_to(card.id.clone());
            return;
        }
        // The numbers are below the name: a double click there edits them.
        let names_end = card.rect[1]
            + crate::export::metrics::PAD_Y
            + 14.0
            + card.name.len() as f64 * crate::export::metrics::NAME_LINE;
        let on_numbers = pointer.pos.is_some_and(|p| f64::from(p.y) > names_end) && !card.rows.is_empty();
        if on_numbers {
            out.edit_values = Some(card.id.clone());
        } else {
            out.rename = Some(card.id.clone());
        }
    }

    /// Where dragged cards would land if dropped at `at`.
    fn drop_target(&self, d: &Diagram, lead: usize, at: Pos2, moving: &FxHashSet<usize>) -> Drop {
        let under = self.grid_cards_at(d, at).into_iter().rev().find(|k| !moving.contains(k));
        let lead_card = &d.cards[lead];
        if let Some(k) = under {
            let target = &d.cards[k];
            let below = self.dragged_below.as_ref().filter(|(l, _)| *l == lead).map(|(_, b)| b);
            let why = if lead_card.kind == Kind::Kgi {
                Err("goal")
            } else if target.node == lead_card.node || below.is_some_and(|b| b.contains(&target.node)) {
                Err("cycle")
            } else if lead_card.kind == Kind::Ksf && target.kind == Kind::Kpi {
                Err("ksf")
            } else {
                Ok(())
            };
            return Drop::Onto(k, why);
        }
        if d.mode == LayoutMode::Auto
            && let Some(&parent) = d.links.parents[lead_card.node as usize].first()
        {
            // Between the siblings of the parent's column: a new place among
            // the terms.
            let siblings: Vec<&crate::export::Card> = d.links.children[parent as usize]
                .iter()
                .filter_map(|&(c, _)| d.card_of_node(c))
                .map(|k| &d.cards[k])
                .collect();
            let band = siblings.iter().map(|c| card_rect(c.rect)).fold(Rect::NOTHING, Rect::union);
            if siblings.len() > 1 && band.expand2(vec2(0.0, 40.0)).contains(at) {
                let mut order: Vec<&crate::export::Card> = siblings.clone();
                order.sort_by(|a, b| a.rect[1].total_cmp(&b.rect[1]));
                let to = order
                    .iter()
                    .filter(|c| c.id != lead_card.id && ((c.rect[1] + c.rect[3] / 2.0) as f32) < at.y)
                    .count();
                // The line between the cards the drop falls between.
                let others: Vec<&&crate::export::Card> = order.iter().filter(|c| c.id != lead_card.id).collect();
                let y = match (to.checked_sub(1).and_then(|i| others.get(i)), others.get(to)) {
                    (Some(a), Some(b)) => ((a.rect[1] + a.rect[3] + b.rect[1]) / 2.0) as f32,
                    (Some(a), None) => (a.rect[1] + a.rect[3]) as f32 + 8.0,
                    (None, Some(b)) => b.rect[1] as f32 - 8.0,
                    (None, None) => at.y,
                };
                // Terms are numbered by document order, which the layout keeps.
                let parent_id = d.links.children[parent as usize]
                    .first()
                    .and_then(|_| d.card_of_node(parent))
                    .map(|k| d.cards[k].id.clone());
                if let Some(parent_id) = parent_id {
                    return Drop::Reorder { parent: parent_id, to, line: [pos2(band.min.x, y), pos2(band.max.x, y)] };
                }
            }
        }
        Drop::Empty
    }

    fn grid_cards_at(&self, d: &Diagram, p: Pos2) -> Vec<usize> {
        let mut under = self.grid.cards_at(d, p);
        // Bottom first, as the callers look for the topmost from the end.
        under.reverse();
        under
    }

    /// The cards that move with `lead`: the selection when it holds `lead`.
    fn moving(d: &Diagram, lead: usize, selection: &[NodeId]) -> FxHashSet<usize> {
        let lead_id = &d.cards[lead].id;
        if selection.contains(lead_id) {
            selection.iter().filter_map(|id| d.card_index(id)).collect()
        } else {
            FxHashSet::from_iter([lead])
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn drop_cards(
        &mut self,
        d: &Diagram,
        lead: usize,
        at: Pos2,
        corner: Pos2,
        add_parent: bool,
        input: &CanvasInput<'_>,
        out: &mut CanvasOutput,
    ) {
        let moving = Self::moving(d, lead, input.selection);
        let lead_rect = d.cards[lead].rect;
        let delta = [f64::from(corner.x) - lead_rect[0], f64::from(corner.y) - lead_rect[1]];
        let node_id = |k: usize| d.cards[k].id.clone();
        let parents_of = |k: usize| -> Vec<NodeId> {
            d.links.parents[d.cards[k].node as usize].iter().map(|&p| input.doc.nodes[p as usize].id.clone()).collect()
        };
        let mut edits = Vec::new();
        match self.drop_target(d, lead, at, &moving) {
            Drop::Onto(target, Ok(())) => {
                let target_id = node_id(target);
                for &k in &moving {
                    let id = node_id(k);
                    let parents = parents_of(k);
                    if parents.contains(&target_id) || d.cards[k].kind == Kind::Kgi {
                        continue;
                    }
                    if !add_parent {
                        for p in parents {
                            edits.push(Edit::Disconnect { parent: p, child: id.clone() });
                        }
                    }
                    let op = input.doc.new_term_op(&target_id, d.cards[k].kind);
                    edits.push(Edit::Connect { parent: target_id.clone(), child: id, op });
                }
            }
            Drop::Onto(_, Err(_)) => {}
            Drop::Reorder { parent, to, .. } => {
                edits.push(Edit::ReorderTerm { parent, child: node_id(lead), to });
            }
            Drop::Empty => match d.mode {
                LayoutMode::Auto => {
                    for &k in &moving {
                        for p in parents_of(k) {
                            edits.push(Edit::Disconnect { parent: p, child: node_id(k) });
                        }
                    }
                }
                LayoutMode::Free => {
                    let moves: Vec<(NodeId, [f64; 2])> = moving
                        .iter()
                        .map(|&k| {
                            let r = d.cards[k].rect;
                            (node_id(k), [(r[0] + delta[0]).round(), (r[1] + delta[1]).round()])
                        })
                        .collect();
                    for (id, p) in &moves {
                        self.pending.insert(id.clone(), *p);
                    }
                    edits.push(Edit::SetPositions(moves));
                }
            },
        }
        match edits.len() {
            0 => {}
            1 => out.edits.extend(edits),
            _ => out.edits.push(Edit::Batch(edits)),
        }
    }

    /// Why a wire from `from` to `to` cannot be made, if it cannot.
    fn wire_refusal(d: &Diagram, from: usize, to: usize) -> Option<&'static str> {
        let (p, c) = (&d.cards[from], &d.cards[to]);
        if from == to {
            return Some("self");
        }
        if c.kind == Kind::Kgi {
            return Some("goal");
        }
        if c.kind == Kind::Ksf && p.kind == Kind::Kpi {
            return Some("ksf");
        }
        if d.links.children[p.node as usize].iter().any(|&(x, _)| x == c.node) {
            return Some("exists");
        }
        if d.links.ancestors(p.node).contains(&c.node) {
            return Some("cycle");
        }
        None
    }

    fn drop_wire(&mut self, d: &Diagram, from: usize, at: Pos2, input: &CanvasInput<'_>, out: &mut CanvasOutput) {
        match self.grid_cards_at(d, at).into_iter().rev().find(|&k| k != from) {
            Some(to) => {
                if Self::wire_refusal(d, from, to).is_none() {
                    let (parent, child) = (d.cards[from].id.clone(), d.cards[to].id.clone());
                    let op = input.doc.new_term_op(&parent, d.cards[to].kind);
                    out.edits.push(Edit::Connect { parent, child, op });
                }
            }
            None => {
                let screen = self.view.transform() * at;
                self.menus.open_connected(d.cards[from].id.clone(), at, screen);
            }
        }
    }

    /// The wires from `card` up to its goal, through first parents.
    fn path_up(d: &Diagram, card: usize) -> FxHashSet<usize> {
        let mut on_path = FxHashSet::default();
        let mut seen = FxHashSet::default();
        let mut at = d.cards[card].node;
        while seen.insert(at) {
            let Some(&p) = d.links.parents[at as usize].first() else { break };
            let (Some(pk), Some(ck)) = (d.card_of_node(p), d.card_of_node(at)) else { break };
            if let Some(w) = d.wire_between(pk, ck) {
                on_path.insert(w);
            }
            at = p;
        }
        on_path
    }

    #[allow(clippy::too_many_arguments)]
    fn paint(
        &mut self,
        painter: &egui::Painter,
        d: &Diagram,
        input: &CanvasInput<'_>,
        visible: Rect,
        now: f64,
        pointer: &Pointer,
    ) {
        let t = self.view.transform();
        let zoom = t.scaling;
        let lod = self.lod;
        let bounds = Rect::from_min_max(
            pos2(d.bounds[0] as f32, d.bounds[1] as f32),
            pos2(d.bounds[2] as f32, d.bounds[3] as f32),
        );
        let area = visible.intersect(bounds.expand(200.0));
        let selected: FxHashSet<&NodeId> = input.selection.iter().collect();
        let dragging = match self.gesture {
            Gesture::DraggingCards { lead, .. } => Some((lead, Self::moving(d, lead, input.selection))),
            _ => None,
        };
        let drag_offset = match self.gesture {
            Gesture::DraggingCards { lead, grab, now: p } => {
                let r = d.cards[lead].rect;
                vec2(p.x - grab.x - r[0] as f32, p.y - grab.y - r[1] as f32)
            }
            _ => Vec2::ZERO,
        };
        let hover_path =
            self.hover.filter(|_| self.gesture == Gesture::Idle).map(|k| Self::path_up(d, k)).unwrap_or_default();
        let cards = self.grid.cards_in(area);
        let wires = self.grid.wires_in(area);
        let rect_of = |k: usize| -> [f64; 4] {
            let card = &d.cards[k];
            let mut r = self.current_rect(d, card, now);
            if let Some([x, y]) = self.pending.get(&card.id) {
                r[0] = *x;
                r[1] = *y;
            }
            if let Some((_, moving)) = &dragging
                && moving.contains(&k)
            {
                r[0] += f64::from(drag_offset.x);
                r[1] += f64::from(drag_offset.y);
            }
            r
        };
        let moved = |k: usize| {
            self.animation.as_ref().is_some_and(|a| a.from.contains_key(&d.cards[k].id))
                || self.pending.contains_key(&d.cards[k].id)
                || dragging.as_ref().is_some_and(|(_, m)| m.contains(&k))
        };
        let faded = |k: usize| input.focus.is_some_and(|f| !f.contains(&d.cards[k].id));

        // Wires first, under the cards.
        let mut mesh = OverviewMesh::default();
        for &w in &wires {
            let wire = &d.wires[w as usize];
            let (p, c) = (wire.parent as usize, wire.child as usize);
            let points: Vec<Pos2> = if moved(p) || moved(c) {
                // Cards on the move: a plain elbow between where they are drawn.
                elbow(rect_of(p), rect_of(c)).iter().map(|q| t * *q).collect()
            } else {
                wire.points.iter().map(|q| t * pos2(q[0] as f32, q[1] as f32)).collect()
            };
            if lod == Lod::Overview {
                mesh.wire(&points, colour::WIRE.gamma_multiply(0.7));
                continue;
            }
            let hot = hover_path.contains(&(w as usize));
            paint::wire(painter, points, wire.op, lod, hot, faded(p) && faded(c));
        }
        if lod == Lod::Full {
            let hot_badge = pointer.pos.and_then(|p| match self.hit(d, p, &[]) {
                Hit::Badge(w) => Some(w),
                _ => None,
            });
            for &w in &wires {
                let wire = &d.wires[w as usize];
                if !wire.show_op {
                    continue;
                }
                let b = if moved(wire.child as usize) {
                    let r = rect_of(wire.child as usize);
                    pos2((r[0] - crate::layout::BADGE_OFFSET) as f32, (r[1] + r[3] / 2.0) as f32)
                } else {
                    pos2(wire.badge[0] as f32, wire.badge[1] as f32)
                };
                paint::badge(painter, t * b, wire.op, zoom, hot_badge == Some(w as usize));
            }
        }

        // The drop target while dragging.
        let drop = match (self.gesture, &dragging) {
            (Gesture::DraggingCards { lead, now: p, .. }, Some((_, moving))) => {
                Some(self.drop_target(d, lead, p, moving))
            }
            _ => None,
        };
        let wire_target = match self.gesture {
            Gesture::DraggingWire { from, now: p } => self
                .grid_cards_at(d, p)
                .into_iter()
                .rev()
                .find(|&k| k != from)
                .map(|k| (k, Self::wire_refusal(d, from, k))),
            _ => None,
        };

        for &k in &cards {
            let k = k as usize;
            let card = &d.cards[k];
            let screen = self.view.screen_rect(rect_of(k));
            let drop_here = match &drop {
                Some(Drop::Onto(target, why)) if *target == k => Some(why.is_ok()),
                _ => match wire_target {
                    Some((target, why)) if target == k => Some(why.is_none()),
                    _ => None,
                },
            };
            let h = Highlight {
                matched: input.matches.is_some_and(|m| m.contains(&card.id)),
                selected: selected.contains(&card.id),
                hovered: self.hover == Some(k) || hover_path.iter().any(|&w| d.wires[w].parent as usize == k),
                drop: drop_here,
                faded: faded(k),
            };
            if lod == Lod::Overview {
                mesh.card(card, screen, h);
            } else {
                paint::card(painter, card, screen, zoom, lod, h, input.lang);
                let active = self.hover == Some(k) || h.selected;
                if active && self.gesture == Gesture::Idle {
                    let hot = pointer
                        .pos
                        .is_some_and(|p| (paint::handle_centre(screen) - t * p).length() <= paint::HANDLE_RADIUS + 3.0);
                    paint::handle(painter, paint::handle_centre(screen), hot);
                }
            }
        }
        mesh.paint(painter);
        if lod == Lod::Overview {
            self.overview_labels(painter, d, &cards, &rect_of, input);
        }

        // Feedback of the gesture in progress.
        match (self.gesture, &drop) {
            (Gesture::DraggingCards { now: p, .. }, Some(Drop::Onto(_, Err(why)))) => {
                refusal(painter, t * p, why, input.lang);
            }
            (_, Some(Drop::Reorder { line, .. })) => {
                painter.line_segment([t * line[0], t * line[1]], Stroke::new(3.0, colour::SELECTION));
            }
            _ => {}
        }
        if let Gesture::DraggingWire { from, now: p } = self.gesture {
            let r = self.view.screen_rect(rect_of(from));
            let start = paint::handle_centre(r);
            let end = t * p;
            let c = match wire_target {
                Some((_, None)) => colour::VALID,
                Some((_, Some(_))) => colour::INVALID,
                None => colour::SELECTION,
            };
            let mid = start.x + ((end.x - start.x) / 2.0).max(12.0);
            painter.line(vec![start, pos2(mid, start.y), pos2(mid, end.y), end], Stroke::new(2.0, c));
            painter.circle_filled(end, 4.0, c);
            if let Some((_, Some(why))) = wire_target {
                refusal(painter, end, why, input.lang);
            }
        }
        if let Gesture::Brushing { start, now: p } = self.gesture {
            let r = Rect::from_two_pos(t * start, t * p);
            painter.rect(
                r,
                0.0,
                colour::SELECTION.gamma_multiply(0.08),
                Stroke::new(1.0, colour::SELECTION),
                egui::StrokeKind::Inside,
            );
        }
    }

    /// Names of the upper levels beside their boxes, at a readable size,
    /// without overlapping each other: goals first, then their terms.
    fn overview_labels(
        &self,
        painter: &egui::Painter,
        d: &Diagram,
        cards: &[u32],
        rect_of: &dyn Fn(usize) -> [f64; 4],
        input: &CanvasInput<'_>,
    ) {
        let mut order: Vec<usize> = cards.iter().map(|&k| k as usize).collect();
        order.sort_by_key(|&k| (d.cards[k].depth, k));
        let font = paint::font(MIN_TEXT + 1.0, true);
        let mut placed: Vec<Rect> = Vec::new();
        for k in order.into_iter().take(400) {
            let card = &d.cards[k];
            if card.depth > 2 && !input.selection.contains(&card.id) {
                break;
            }
            let screen = self.view.screen_rect(rect_of(k));
            let galley = painter.layout_no_wrap(card.name.join(""), font.clone(), colour::INK);
            let size = galley.size() + vec2(8.0, 4.0);
            let at = if screen.width() >= size.x && screen.height() >= size.y {
                screen.min
            } else {
                pos2(screen.min.x, screen.min.y - size.y - 1.0)
            };
            let label = Rect::from_min_size(at, size);
            if placed.iter().any(|r| r.intersects(label)) {
                continue;
            }
            painter.rect_filled(label, 3.0, Color32::from_white_alpha(225));
            painter.galley(label.min + vec2(4.0, 2.0), galley, colour::INK);
            placed.push(label);
        }
    }

    /// After the pointer rests on a card: its whole name, what is wrong with
    /// it and what its marks mean.
    fn tooltip(&mut self, ui: &Ui, d: &Diagram, input: &CanvasInput<'_>, now: f64) {
        use crate::ui::i18n::T;
        let hovered = self.hover.filter(|_| self.gesture == Gesture::Idle && !self.menus.is_open());
        match (hovered, self.hover_since) {
            (Some(k), Some((h, _))) if h == k => {}
            (Some(k), _) => self.hover_since = Some((k, now)),
            (None, _) => self.hover_since = None,
        }
        let Some((k, since)) = self.hover_since else { return };
        if now - since < 0.6 {
            ui.ctx().request_repaint_after(std::time::Duration::from_millis(650));
            return;
        }
        let card = &d.cards[k];
        let lang = input.lang;
        let node = &input.doc.nodes.get_by_id(card.id.as_str());
        let problems: Vec<String> = input
            .eval
            .map(|e| {
                e.diagnostics_of(&card.id)
                    .filter(|x| x.severity() != crate::eval::Severity::Info)
                    .take(8)
                    .map(|x| format!("• {}", x.message(lang)))
                    .collect()
            })
            .unwrap_or_default();
        let layer = egui::LayerId::new(egui::Order::Background, self.id);
        egui::Tooltip::always_open(ui.ctx().clone(), layer, self.id.with("tip"), egui::PopupAnchor::Pointer).show(
            |ui| {
                ui.strong(node.map_or_else(|| card.name.join(""), |n| n.name.chars().take(300).collect()));
                if card.marks.computed {
                    ui.label(T::ComputedHint.get(lang));
                }
                if let Some(rank) = card.marks.bottleneck {
                    ui.colored_label(colour::RANK, format!("{} ({rank})", T::BottleneckMark.get(lang)));
                }
                if card.marks.overridden {
                    ui.colored_label(colour::WHAT_IF, T::OverriddenMark.get(lang));
                }
                if card.marks.parents > 1 {
                    ui.colored_label(colour::SHARED, format!("{} ({})", T::SharedMark.get(lang), card.marks.parents));
                }
                for p in problems {
                    ui.label(p);
                }
            },
        );
    }

    /// Every card in view as a node of the accessibility tree (screen
    /// readers, and tests that find a card by its name).
    fn accessibility(&self, ui: &mut Ui, d: &Diagram, visible: Rect) {
        if self.lod == Lod::Overview {
            return;
        }
        for k in self.grid.cards_in(visible) {
            let card = &d.cards[k as usize];
            let rect = self.view.screen_rect(self.drawn_rect(card)).intersect(self.view.outer);
            if !rect.is_positive() {
                continue;
            }
            let response = ui.interact(rect, self.id.with(("card", card.node)), Sense::hover());
            let name = card.name.join("");
            response.widget_info(|| egui::WidgetInfo::labeled(egui::WidgetType::Button, true, &name));
        }
    }
}

/// A plain elbow between two card rectangles (while cards move).
fn elbow(p: [f64; 4], c: [f64; 4]) -> [Pos2; 4] {
    let a = pos2((p[0] + p[2]) as f32, (p[1] + p[3] / 2.0) as f32);
    let b = pos2(c[0] as f32, (c[1] + c[3] / 2.0) as f32);
    let mid = a.x + ((b.x - a.x) / 2.0).max(12.0);
    [a, pos2(mid, a.y), pos2(mid, b.y), b]
}

/// Says next to the pointer why a drop is refused.
fn refusal(painter: &egui::Painter, at: Pos2, why: &str, lang: Lang) {
    use crate::ui::i18n::T;
    let text = match why {
        "goal" => T::RefuseGoal,
        "cycle" => T::RefuseCycle,
        "ksf" => T::RefuseKsf,
        "exists" => T::RefuseExists,
        _ => T::RefuseSelf,
    }
    .get(lang);
    let galley = painter.layout_no_wrap(text.to_owned(), paint::font(MIN_TEXT, false), Color32::WHITE);
    let r = Rect::from_min_size(at + vec2(14.0, 10.0), galley.size() + vec2(10.0, 6.0));
    painter.rect_filled(r, 4.0, colour::INVALID);
    painter.galley(r.min + vec2(5.0, 3.0), galley, Color32::WHITE);
}
