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
mod interact;
mod menus;
mod minimap;
mod overview;
pub(super) mod paint;
mod render;
mod view;
mod walk;
mod wires;

use std::sync::Arc;

use egui::{Color32, Id, Pos2, Rect, Sense, Stroke, Ui, Vec2, pos2, vec2};
use rustc_hash::{FxHashMap, FxHashSet};

use self::gesture::{Gesture, Hit, Pointer};
use self::grid::{Grid, card_rect};
use self::paint::{Highlight, Lod, OverviewMesh, colour};
pub use self::view::View;
pub use self::walk::Walk;
use crate::eval::Evaluation;
use crate::export::Diagram;
use crate::lang::Lang;
use crate::model::{Document, Edit, Field, Kind, LayoutMode, NodeId, Refusal};

pub use self::menus::{Renaming, ValuesDraft};
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
    /// A command of the table picked in a card's menu (it acts on the
    /// selection, like its keys).
    pub command: Option<crate::ui::commands::Command>,
    /// A card created by this frame's edits, whose name is to be typed
    /// (its id and placeholder name).
    pub naming: Option<(NodeId, String)>,
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
    pub renaming: Option<&'a mut Renaming>,
    /// The values being typed in place, if any.
    pub values: Option<&'a mut ValuesDraft>,
    /// Cards shown at full strength; the others faded (presentation).
    pub focus: Option<&'a FxHashSet<NodeId>>,
    /// Cards that match the search.
    pub matches: Option<&'a FxHashSet<NodeId>>,
    /// The user interface's language.
    pub lang: Lang,
    /// Presenting (F5): the canvas alone, without the minimap.
    pub presenting: bool,
    /// The others in a room: the node each has selected, their colour and
    /// name (a ring and a tag on the card).
    pub presence: &'a [(NodeId, Color32, String)],
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
    Onto(usize, Result<(), Refusal>),
    /// Move the dragged card to this place among its parent's terms.
    Reorder { parent: NodeId, to: usize, line: [Pos2; 2] },
    /// Empty canvas: detach (automatic layout) or move (free placement).
    Empty,
}

/// What a presentation keeps in view.
#[derive(Debug, Clone, PartialEq)]
pub enum Framed {
    /// The whole tree.
    All,
    /// These cards (a step: a node and its terms).
    Cards(Vec<NodeId>),
}

/// The canvas and its view.
pub struct Canvas {
    /// Show amounts in 円 as 万円 / 億円 (View menu).
    pub compact_yen: bool,
    /// Which values the cards show: 通期, 累計 or one period (the toolbar's
    /// period picker); the exports start from it.
    pub shown: crate::export::Shown,
    view: View,
    diagram: Option<Arc<Diagram>>,
    grid: Grid,
    gesture: Gesture,
    animation: Option<Animation>,
    /// Free-placement moves waiting for the diagram that shows them.
    pending: FxHashMap<NodeId, [f64; 2]>,
    fit: bool,
    /// Cards to frame next frame.
    frame: Option<Vec<NodeId>>,
    /// What stays framed when the canvas changes size (a presentation step).
    keep_framed: Option<Framed>,
    center_on: Option<(NodeId, bool)>,
    reveal: Option<NodeId>,
    hover: Option<usize>,
    /// Descendants of the card being dragged (a drop on one would close a
    /// cycle), by node of the diagram they were found in (a new diagram
    /// drops them).
    dragged_below: Option<(NodeId, FxHashSet<u32>)>,
    menus: menus::Menus,
    minimap: minimap::Minimap,
    overview: overview::OverviewPicture,
    /// The last frame drew the overview from its picture.
    overview_drawn: bool,
    /// The node whose name is being edited in place (its field was set up).
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
            shown: crate::export::Shown::Full,
            view: View::default(),
            diagram: None,
            grid: Grid::default(),
            gesture: Gesture::Idle,
            animation: None,
            pending: FxHashMap::default(),
            fit: false,
            frame: None,
            keep_framed: None,
            center_on: None,
            reveal: None,
            hover: None,
            dragged_below: None,
            menus: menus::Menus::default(),
            minimap: minimap::Minimap::default(),
            overview: overview::OverviewPicture::default(),
            overview_drawn: false,
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
        self.overview.forget();
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

    /// Keeps `framed` in view whenever the canvas changes size (a
    /// presentation, whose window goes full screen), or stops (`None`).
    pub fn keep_framed(&mut self, framed: Option<Framed>) {
        match &framed {
            Some(Framed::All) => self.fit_to_view(),
            Some(Framed::Cards(ids)) => self.zoom_to_cards(ids),
            None => {}
        }
        self.keep_framed = framed;
    }

    /// Zooms to show every card in `ids` next frame (when the canvas knows
    /// its size on screen: a presentation goes full screen first).
    pub fn zoom_to_cards(&mut self, ids: &[NodeId]) {
        self.frame = Some(ids.to_vec());
    }

    /// The part of the diagram in view (last frame).
    pub fn view(&self) -> Rect {
        self.view.visible()
    }

    /// Shows all of `area` of the diagram (the view of the participant
    /// everyone follows in a room).
    pub fn show_area(&mut self, area: Rect) {
        self.view.show(area);
        self.fit = false;
        self.keep_framed = None;
    }

    /// The view as it is, to come back to.
    pub fn save_view(&self) -> SavedView {
        self.view
    }

    /// Goes back to a saved view.
    pub fn restore_view(&mut self, saved: SavedView) {
        // With the size it had then: when the window comes back to it, the
        // view is exactly as it was.
        self.view = saved;
        self.fit = false;
        self.keep_framed = None;
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

    /// True while the pointer holds something: a drag, a wire, a box.
    pub fn gesturing(&self) -> bool {
        !matches!(self.gesture, Gesture::Idle)
    }

    /// The diagram the canvas shows.
    pub fn diagram(&self) -> Option<&Arc<Diagram>> {
        self.diagram.as_ref()
    }

    /// True when the overview came from its picture last frame.
    pub fn overview_from_picture(&self) -> bool {
        self.overview_drawn
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
        // Far out, where cards are boxes, a re-layout shows at once: moving
        // tens of thousands of boxes for a moment helps no one.
        if let Some(old) = &self.diagram
            && next.mode == LayoutMode::Auto
            && self.lod != Lod::Overview
        {
            let mut from = FxHashMap::default();
            for (k, card) in next.cards.iter().enumerate() {
                // Mostly the same card at the same place in both lists.
                let same_place = old.cards.get(k).filter(|c| Arc::ptr_eq(&c.id.0, &card.id.0) || c.id == card.id);
                if let Some(before) = same_place.or_else(|| old.card(&card.id))
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
        // A gesture on a card the new diagram lacks (deleted or undone
        // mid-drag) ends; the others go on, finding their cards by id.
        if self.gesture_lost(next) {
            self.cancel_gesture();
        }
        self.dragged_below = None;
        let old = (std::mem::replace(&mut self.grid, Grid::new(next)), self.diagram.replace(Arc::clone(next)));
        crate::pipeline::free_elsewhere(old);
        self.minimap.invalidate();
        self.hover = None;
    }

    /// Another document is shown: its diagram is not this one's (until its
    /// own arrives, the canvas says 「計算中…」).
    pub fn forget_diagram(&mut self) {
        let old = (std::mem::take(&mut self.grid), self.diagram.take());
        crate::pipeline::free_elsewhere(old);
        self.animation = None;
        self.pending.clear();
        self.hover = None;
        self.cancel_gesture();
        self.minimap.invalidate();
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
            let bounds = Rect::from_min_max(pos2(x0 as f32, y0 as f32), pos2(x1 as f32, y1 as f32));
            self.view.fit(bounds, &paint::Lod::steps());
        }
        if let Some(ids) = self.frame.take() {
            let area =
                ids.iter().filter_map(|id| d.card(id)).map(|c| card_rect(c.rect)).fold(Rect::NOTHING, Rect::union);
            if area.is_positive() {
                self.view.zoom_to(area);
            }
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
        if self.view.resize(outer) {
            // A presentation keeps its framing when the window goes full screen.
            match &self.keep_framed {
                Some(Framed::All) => self.fit = true,
                Some(Framed::Cards(ids)) => self.frame = Some(ids.clone()),
                None => {}
            }
        }
        if let Some(next) = input.diagram {
            self.take_diagram(next, now);
        }
        let Some(d) = self.diagram.clone() else {
            // The document's first diagram is on its way.
            ui.painter_at(outer).rect_filled(outer, 0.0, Color32::from_rgb(0xf6, 0xf7, 0xf9));
            let text =
                egui::RichText::new(crate::ui::i18n::T::Evaluating.get(input.lang)).size(15.0).color(colour::MUTED);
            ui.put(Rect::from_center_size(outer.center(), vec2(240.0, 30.0)), egui::Label::new(text));
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
        if input.presenting {
            self.minimap.hide();
        } else if let Some(target) = self.minimap.ui(ui, &painter, &d, &self.view) {
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
        if let Some(r) = input.renaming {
            let rect = at(&r.id);
            if let Some(done) = menus::rename_ui(ui, rect, zoom.max(0.6), &mut r.text, &mut r.fresh) {
                out.rename_done = Some(done);
            }
        }
        out
    }
}
