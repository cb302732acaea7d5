//! Pointer input on the canvas: what is under the pointer, what a click,
//! a double-click or a drop means, and which drops are refused and why.

use super::gesture::Done;
use super::*;

impl Canvas {
    /// This frame's pointer input, in diagram coordinates. Nothing when the
    /// pointer is over a window or menu above the canvas.
    pub(super) fn read_pointer(&self, ui: &Ui, response: &egui::Response) -> Pointer {
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
    pub(super) fn hovered_card(&self, d: &Diagram, p: Pos2) -> Option<usize> {
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
    pub(super) fn hit(&self, d: &Diagram, p: Pos2, selection: &[NodeId]) -> Hit {
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
                    return Hit::Handle(card.id.clone());
                }
                if card.has_children && paint::chevron_rect(r, t.scaling).expand(2.0).contains(screen) {
                    return Hit::Chevron(card.id.clone());
                }
            }
            if self.lod == Lod::Full {
                for &w in grid.wires_in(Rect::from_center_size(p, Vec2::splat(40.0 / t.scaling))).iter() {
                    let wire = &d.wires[w as usize];
                    let b = t * pos2(wire.badge[0] as f32, wire.badge[1] as f32);
                    if wire.show_op && (b - screen).length() <= (9.5 * t.scaling).clamp(5.0, 14.0) + 2.0 {
                        let (p, c) = (&d.cards[wire.parent as usize], &d.cards[wire.child as usize]);
                        return Hit::Badge(p.id.clone(), c.id.clone());
                    }
                }
            }
        }
        match grid.card_at(d, p) {
            Some(k) => Hit::Card(d.cards[k].id.clone()),
            None => Hit::Nothing,
        }
    }

    /// The wire whose badge is `hit`, in `d`.
    pub(super) fn badge_wire(d: &Diagram, hit: &Hit) -> Option<usize> {
        let Hit::Badge(parent, child) = hit else { return None };
        d.wire_between(d.card_index(parent)?, d.card_index(child)?)
    }

    /// Ends the gesture in progress without doing what it would have done.
    pub(super) fn cancel_gesture(&mut self) {
        self.gesture = Gesture::Idle;
        self.dragged_below = None;
    }

    /// True when the gesture in progress is about a card (or a badge) that
    /// `d` does not show: deleted, undone, folded away mid-drag.
    pub(super) fn gesture_lost(&self, d: &Diagram) -> bool {
        match &self.gesture {
            Gesture::Pressed { hit: hit @ Hit::Badge(..), .. } => Self::badge_wire(d, hit).is_none(),
            gesture => gesture.cards().into_iter().any(|id| d.card_index(id).is_none()),
        }
    }

    /// Runs the gesture state machine on this frame's pointer input.
    pub(super) fn handle_pointer(
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
        // Escape, or the window losing the keyboard (Alt+Tab mid-drag, whose
        // release never arrives), ends the gesture: nothing is dropped.
        let (escape, unfocused) = ui.input(|i| {
            let unfocused = i.events.iter().any(|e| matches!(e, egui::Event::WindowFocused(false)));
            (i.key_pressed(egui::Key::Escape), unfocused)
        });
        if self.gesture != Gesture::Idle && (escape || unfocused) {
            self.cancel_gesture();
        }
        let gesture = std::mem::take(&mut self.gesture);
        let slop = 4.0 / self.view.zoom();
        let corner = |id: &NodeId| {
            let r = self.drawn_rect(d.card(id)?);
            Some(pos2(r[0] as f32, r[1] as f32))
        };
        let (next, done) = gesture.step(pointer, |p| self.hit(d, p, input.selection), corner, slop);
        if let Gesture::DraggingCards { lead, .. } = &next
            && self.dragged_below.as_ref().is_none_or(|(l, _)| l != lead)
            && let Some(k) = d.card_index(lead)
        {
            let mut below = FxHashSet::default();
            let mut stack = vec![d.cards[k].node];
            while let Some(v) = stack.pop() {
                for &(c, _) in &d.links.children[v as usize] {
                    if below.insert(c) {
                        stack.push(c);
                    }
                }
            }
            self.dragged_below = Some((lead.clone(), below));
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
                if let Some(lead) = d.card_index(&lead) {
                    self.drop_cards(d, lead, at, corner, add_parent, input, out);
                }
                self.dragged_below = None;
            }
            Done::DropWire { from, at } => {
                if let Some(from) = d.card_index(&from) {
                    self.drop_wire(d, from, at, input, out);
                }
            }
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
                Hit::Card(id) | Hit::Chevron(id) | Hit::Handle(id) => Some(id),
                _ => None,
            };
            // A card outside the selection becomes the selection, so that
            // the menu's commands act on what was right-clicked.
            if let Some(id) = &target
                && !input.selection.contains(id)
            {
                out.clicked = Some(Some(id.clone()));
            }
            self.menus.open_context(target, p, screen);
        }
    }

    pub(super) fn click(&mut self, d: &Diagram, hit: Hit, shift: bool, out: &mut CanvasOutput) {
        match hit {
            Hit::Card(id) | Hit::Handle(id) if shift => out.toggled = Some(id),
            Hit::Card(id) | Hit::Handle(id) => out.clicked = Some(Some(id)),
            Hit::Chevron(id) => {
                if let Some(card) = d.card(&id) {
                    out.edits.push(Edit::SetField(id, Field::Collapsed(card.collapsed.is_none())));
                }
            }
            Hit::Badge(..) => {
                if let Some(w) = Self::badge_wire(d, &hit)
                    && let Hit::Badge(p, c) = hit
                {
                    let wire = &d.wires[w];
                    let at = self.view.transform() * pos2(wire.badge[0] as f32, wire.badge[1] as f32);
                    self.menus.open_operator(p, c, at);
                }
            }
            Hit::Nothing if !shift => out.clicked = Some(None),
            Hit::Nothing => {}
        }
    }

    pub(super) fn double_click(&mut self, d: &Diagram, hit: Hit, pointer: &Pointer, out: &mut CanvasOutput) {
        let Hit::Card(id) = hit else { return };
        let Some(card) = d.card(&id) else { return };
        if self.lod == Lod::Overview {
            // A box of the overview: go to the card.
            self.zoom_to(card.id.clone());
            return;
        }
        // The numbers are below the name: a double click there edits them.
        let names_end = card.rect[1] + crate::export::CardLayout::of(card).rows_top;
        let on_numbers =
            pointer.pos.is_some_and(|p| f64::from(p.y) > names_end) && !card.rows.is_empty() && !card.constant;
        if on_numbers {
            out.edit_values = Some(card.id.clone());
        } else {
            out.rename = Some(card.id.clone());
        }
    }

    /// Where dragged cards would land if dropped at `at`.
    pub(super) fn drop_target(&self, d: &Diagram, lead: usize, at: Pos2, moving: &FxHashSet<usize>) -> Drop {
        let under = self.grid_cards_at(d, at).into_iter().rev().find(|k| !moving.contains(k));
        let lead_card = &d.cards[lead];
        if let Some(k) = under {
            let target = &d.cards[k];
            let below = self.dragged_below.as_ref().filter(|(l, _)| *l == lead_card.id).map(|(_, b)| b);
            let why = if lead_card.kind == Kind::Kgi {
                Err(Refusal::GoalAsTerm)
            } else if target.node == lead_card.node || below.is_some_and(|b| b.contains(&target.node)) {
                Err(Refusal::Cycle)
            } else {
                lead_card.kind.may_be_term_of(target.kind)
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

    pub(super) fn grid_cards_at(&self, d: &Diagram, p: Pos2) -> Vec<usize> {
        let mut under = self.grid.cards_at(d, p);
        // Bottom first, as the callers look for the topmost from the end.
        under.reverse();
        under
    }

    /// The cards that move with `lead`: the selection when it holds `lead`.
    pub(super) fn moving(d: &Diagram, lead: usize, selection: &[NodeId]) -> FxHashSet<usize> {
        let lead_id = &d.cards[lead].id;
        if selection.contains(lead_id) {
            selection.iter().filter_map(|id| d.card_index(id)).collect()
        } else {
            FxHashSet::from_iter([lead])
        }
    }

    /// Drops the cards moving with `lead`. Making the edits is linear in
    /// the document however many cards move: their parents come from one
    /// pass over the document's edges (as it is now, which the diagram may
    /// not show yet), and a new term's operator is worked out once per kind.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn drop_cards(
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
        // In document order, whatever order the selection was made in.
        let mut moving_cards: Vec<usize> = moving.iter().copied().collect();
        moving_cards.sort_unstable();
        let mut edits = Vec::new();
        match self.drop_target(d, lead, at, &moving) {
            Drop::Onto(target, Ok(())) => {
                let target_id = node_id(target);
                let mut parents = Self::parents_in(input.doc, d, &moving_cards);
                let mut ops: Vec<(Kind, crate::model::Op)> = Vec::new();
                // One relink for every card: one pass over the edges.
                let (mut disconnect, mut connect) = (Vec::new(), Vec::new());
                for (&k, parents) in moving_cards.iter().zip(&mut parents) {
                    let kind = d.cards[k].kind;
                    if parents.contains(&target_id) || kind == Kind::Kgi {
                        continue;
                    }
                    let id = node_id(k);
                    if !add_parent {
                        disconnect.extend(parents.drain(..).map(|p| (p, id.clone())));
                    }
                    let op = match ops.iter().find(|(of, _)| *of == kind) {
                        Some(&(_, op)) => op,
                        None => {
                            let op = input.doc.new_term_op(&target_id, kind);
                            ops.push((kind, op));
                            op
                        }
                    };
                    connect.push((target_id.clone(), id, op));
                }
                if !connect.is_empty() {
                    edits.push(Edit::Relink { disconnect, connect });
                }
            }
            Drop::Onto(_, Err(_)) => {}
            Drop::Reorder { parent, to, .. } => {
                edits.push(Edit::ReorderTerm { parent, child: node_id(lead), to });
            }
            Drop::Empty => match d.mode {
                LayoutMode::Auto => {
                    let parents = Self::parents_in(input.doc, d, &moving_cards);
                    let disconnect: Vec<(NodeId, NodeId)> = moving_cards
                        .iter()
                        .zip(parents)
                        .flat_map(|(&k, parents)| parents.into_iter().map(move |p| (p, node_id(k))))
                        .collect();
                    if !disconnect.is_empty() {
                        edits.push(Edit::Relink { disconnect, connect: Vec::new() });
                    }
                }
                LayoutMode::Free => {
                    let moves: Vec<(NodeId, [f64; 2])> = moving_cards
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

    /// The parents of each card of `cards` in `doc` (the document now,
    /// which the diagram may not show yet), each once and in the order of
    /// the edges: one pass over the edges.
    pub(super) fn parents_in(doc: &Document, d: &Diagram, cards: &[usize]) -> Vec<Vec<NodeId>> {
        let place: FxHashMap<&NodeId, usize> = cards.iter().enumerate().map(|(i, &k)| (&d.cards[k].id, i)).collect();
        let mut parents = vec![Vec::new(); cards.len()];
        let mut seen: FxHashSet<(&NodeId, &NodeId)> = FxHashSet::default();
        for e in doc.edges.iter() {
            // Valid edges only, as the diagram's links take them.
            if let Some(&i) = place.get(&e.child)
                && e.parent != e.child
                && doc.nodes.contains(e.parent.as_str())
                && seen.insert((&e.parent, &e.child))
            {
                parents[i].push(e.parent.clone());
            }
        }
        parents
    }

    /// Why a wire from `from` to `to` cannot be made, if it cannot.
    pub(super) fn wire_refusal(d: &Diagram, from: usize, to: usize) -> Option<Refusal> {
        let (p, c) = (&d.cards[from], &d.cards[to]);
        if from == to {
            return Some(Refusal::SelfLink);
        }
        if let Err(why) = c.kind.may_be_term_of(p.kind) {
            return Some(why);
        }
        if d.links.children[p.node as usize].iter().any(|&(x, _)| x == c.node) {
            return Some(Refusal::Exists);
        }
        if d.links.ancestors(p.node).contains(&c.node) {
            return Some(Refusal::Cycle);
        }
        None
    }

    pub(super) fn drop_wire(
        &mut self,
        d: &Diagram,
        from: usize,
        at: Pos2,
        input: &CanvasInput<'_>,
        out: &mut CanvasOutput,
    ) {
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
    pub(super) fn path_up(d: &Diagram, card: usize) -> FxHashSet<usize> {
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
}
