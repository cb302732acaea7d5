//! Pointer gestures on the canvas as a small state machine (as tldraw's
//! select tool): each state takes one frame's pointer input and becomes the
//! next state, and a finished gesture says what it did. No egui and no
//! document here, so every transition is testable without a window.
//!
//! Cards are named by their node's id, never by their place in a diagram:
//! a gesture lasts many frames, and a new diagram (after a Delete or an
//! undo mid-drag) may put other cards at the places the gesture began on.

use egui::{Pos2, Rect, Vec2};

use crate::model::NodeId;

/// What is under the pointer, in the order the canvas tests it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hit {
    /// Empty canvas.
    Nothing,
    /// A card's wire handle (drag out a new term).
    Handle(NodeId),
    /// A card's collapse chevron.
    Chevron(NodeId),
    /// The operator badge of the wire from a parent to a term.
    Badge(NodeId, NodeId),
    /// A card.
    Card(NodeId),
}

/// One frame's pointer input, in diagram coordinates.
#[derive(Debug, Clone, Copy, Default)]
pub struct Pointer {
    /// Where the pointer is (none: outside the window).
    pub pos: Option<Pos2>,
    /// The primary button went down this frame.
    pub pressed: bool,
    /// The primary button is down.
    pub down: bool,
    /// The primary button went up this frame.
    pub released: bool,
    /// This frame's release was a double click.
    pub double: bool,
    /// Shift is held (add to the selection).
    pub shift: bool,
    /// Ctrl or Alt is held (a drop adds a parent instead of moving).
    pub add_parent: bool,
    /// Space is held (drag pans).
    pub space: bool,
}

/// The gesture in progress.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Gesture {
    /// Nothing pressed.
    #[default]
    Idle,
    /// Pressed on something, not moved far enough to be a drag yet.
    Pressed {
        /// What was pressed.
        hit: Hit,
        /// Where.
        at: Pos2,
    },
    /// Moving cards: `lead` follows the pointer at `grab` from its corner.
    DraggingCards {
        /// The card that was grabbed.
        lead: NodeId,
        /// The pointer's offset from the card's top-left corner.
        grab: Vec2,
        /// Where the pointer is now.
        now: Pos2,
    },
    /// A new wire from `from`'s handle to the pointer.
    DraggingWire {
        /// The parent card.
        from: NodeId,
        /// Where the pointer is now.
        now: Pos2,
    },
    /// A selection box.
    Brushing {
        /// Where the drag started.
        start: Pos2,
        /// Where the pointer is now.
        now: Pos2,
    },
    /// Space-drag panning: the point grabbed stays under the pointer.
    Panning {
        /// The diagram point that was grabbed.
        grab: Pos2,
    },
}

/// What a frame of the gesture did.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    /// Nothing (yet).
    Nothing,
    /// A click on `hit`; `shift` adds to or removes from the selection.
    Click {
        /// What was clicked.
        hit: Hit,
        /// Shift was held.
        shift: bool,
    },
    /// A double click.
    DoubleClick(Hit),
    /// Cards dropped: `lead` with its top-left corner at `corner`, the
    /// pointer at `at`.
    DropCards {
        /// The grabbed card.
        lead: NodeId,
        /// Where the pointer was released.
        at: Pos2,
        /// Where the grabbed card's corner is.
        corner: Pos2,
        /// Ctrl or Alt was held: add a parent rather than move.
        add_parent: bool,
    },
    /// A wire dropped at `at`.
    DropWire {
        /// The parent card.
        from: NodeId,
        /// Where it was dropped.
        at: Pos2,
    },
    /// A selection box closed; `shift` adds to the selection.
    Brush {
        /// The box.
        rect: Rect,
        /// Shift was held.
        shift: bool,
    },
    /// The view should move by this much (diagram coordinates), so that
    /// the point grabbed comes back under the pointer.
    Pan(Vec2),
}

impl Gesture {
    /// The next state, given this frame's input. `hit` says what is under a
    /// point; `corner` where a card's top-left corner is (none: the card is
    /// not in the diagram at hand, and there is nothing to drag); `slop` is
    /// how far the pointer may move (in diagram units) before a press is a
    /// drag.
    pub fn step(
        self,
        p: &Pointer,
        hit: impl Fn(Pos2) -> Hit,
        corner: impl Fn(&NodeId) -> Option<Pos2>,
        slop: f32,
    ) -> (Gesture, Done) {
        let Some(pos) = p.pos else {
            // The pointer left the window: whatever was going on ends.
            return (Gesture::Idle, Done::Nothing);
        };
        match self {
            Gesture::Idle if p.pressed && p.space => (Gesture::Panning { grab: pos }, Done::Nothing),
            // Pressed and released within one frame (a quick tap, a busy
            // machine): a click, not a press whose release is lost.
            Gesture::Idle if p.pressed && p.released => {
                let h = hit(pos);
                let done = if p.double { Done::DoubleClick(h) } else { Done::Click { hit: h, shift: p.shift } };
                (Gesture::Idle, done)
            }
            Gesture::Idle if p.pressed => (Gesture::Pressed { hit: hit(pos), at: pos }, Done::Nothing),
            Gesture::Idle if p.released && p.double => (Gesture::Idle, Done::DoubleClick(hit(pos))),
            Gesture::Idle => (Gesture::Idle, Done::Nothing),
            Gesture::Pressed { hit: h, .. } if p.released => {
                let done = if p.double { Done::DoubleClick(h) } else { Done::Click { hit: h, shift: p.shift } };
                (Gesture::Idle, done)
            }
            Gesture::Pressed { hit: h, at } if p.down && (pos - at).length() > slop => {
                let next = match h {
                    Hit::Handle(from) => Gesture::DraggingWire { from, now: pos },
                    Hit::Card(lead) | Hit::Chevron(lead) => match corner(&lead) {
                        Some(c) => Gesture::DraggingCards { lead, grab: at - c, now: pos },
                        None => Gesture::Idle,
                    },
                    Hit::Nothing | Hit::Badge(..) => Gesture::Brushing { start: at, now: pos },
                };
                (next, Done::Nothing)
            }
            Gesture::Pressed { .. } if !p.down => (Gesture::Idle, Done::Nothing),
            state @ Gesture::Pressed { .. } => (state, Done::Nothing),
            Gesture::DraggingCards { lead, grab, .. } if p.released || !p.down => {
                let done = Done::DropCards { lead, at: pos, corner: pos - grab, add_parent: p.add_parent };
                (Gesture::Idle, done)
            }
            Gesture::DraggingCards { lead, grab, .. } => {
                (Gesture::DraggingCards { lead, grab, now: pos }, Done::Nothing)
            }
            Gesture::DraggingWire { from, .. } if p.released || !p.down => {
                (Gesture::Idle, Done::DropWire { from, at: pos })
            }
            Gesture::DraggingWire { from, .. } => (Gesture::DraggingWire { from, now: pos }, Done::Nothing),
            Gesture::Brushing { start, .. } if p.released || !p.down => {
                (Gesture::Idle, Done::Brush { rect: Rect::from_two_pos(start, pos), shift: p.shift })
            }
            Gesture::Brushing { start, .. } => (Gesture::Brushing { start, now: pos }, Done::Nothing),
            Gesture::Panning { .. } if p.released || !p.down => (Gesture::Idle, Done::Nothing),
            Gesture::Panning { grab } => (Gesture::Panning { grab }, Done::Pan(grab - pos)),
        }
    }

    /// True while a drag is in progress (the canvas then owns the pointer).
    pub fn dragging(&self) -> bool {
        matches!(self, Gesture::DraggingCards { .. } | Gesture::DraggingWire { .. } | Gesture::Brushing { .. })
    }

    /// The cards the gesture is about: without any of them in the diagram,
    /// it has nothing left to act on.
    pub fn cards(&self) -> Vec<&NodeId> {
        match self {
            Gesture::Pressed { hit, .. } => match hit {
                Hit::Nothing => Vec::new(),
                Hit::Handle(id) | Hit::Chevron(id) | Hit::Card(id) => vec![id],
                Hit::Badge(parent, child) => vec![parent, child],
            },
            Gesture::DraggingCards { lead: id, .. } | Gesture::DraggingWire { from: id, .. } => vec![id],
            Gesture::Idle | Gesture::Brushing { .. } | Gesture::Panning { .. } => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    const SLOP: f32 = 4.0;

    fn at(x: f32, y: f32) -> Pointer {
        Pointer { pos: Some(pos2(x, y)), down: true, ..Pointer::default() }
    }

    /// Card 0 covers x 0..100, its handle is at x 100, else empty.
    fn hit(p: Pos2) -> Hit {
        if (p.x - 100.0).abs() < 5.0 && (p.y - 20.0).abs() < 5.0 {
            Hit::Handle(card())
        } else if (0.0..100.0).contains(&p.x) && (0.0..40.0).contains(&p.y) {
            Hit::Card(card())
        } else {
            Hit::Nothing
        }
    }

    fn card() -> NodeId {
        NodeId::from("a")
    }

    fn corner(_: &NodeId) -> Option<Pos2> {
        Some(Pos2::ZERO)
    }

    fn run(steps: &[Pointer]) -> Vec<Done> {
        let mut g = Gesture::Idle;
        let mut out = Vec::new();
        for p in steps {
            let (next, done) = g.step(p, hit, corner, SLOP);
            g = next;
            if done != Done::Nothing {
                out.push(done);
            }
        }
        out
    }

    #[test]
    fn a_press_and_release_in_place_is_a_click_on_what_was_pressed() {
        let press = Pointer { pressed: true, ..at(10.0, 10.0) };
        let release = Pointer { released: true, down: false, ..at(11.0, 10.0) };
        assert_eq!(run(&[press, release]), [Done::Click { hit: Hit::Card(card()), shift: false }]);
    }

    #[test]
    fn a_press_and_release_in_one_frame_is_a_click() {
        let tap = Pointer { pressed: true, released: true, down: false, ..at(10.0, 10.0) };
        assert_eq!(run(&[tap]), [Done::Click { hit: Hit::Card(card()), shift: false }]);
        let double = Pointer { double: true, ..tap };
        assert_eq!(run(&[double]), [Done::DoubleClick(Hit::Card(card()))]);
    }

    #[test]
    fn dragging_a_card_drops_it_with_the_grab_offset_kept() {
        let press = Pointer { pressed: true, ..at(10.0, 10.0) };
        let moved = at(210.0, 110.0);
        let release = Pointer { released: true, down: false, ..at(210.0, 110.0) };
        let done = run(&[press, moved, release]);
        assert_eq!(
            done,
            [Done::DropCards { lead: card(), at: pos2(210.0, 110.0), corner: pos2(200.0, 100.0), add_parent: false }]
        );
    }

    #[test]
    fn a_drag_from_the_handle_is_a_new_wire() {
        let press = Pointer { pressed: true, ..at(100.0, 20.0) };
        let release = Pointer { released: true, down: false, ..at(300.0, 20.0) };
        assert_eq!(run(&[press, at(300.0, 20.0), release]), [Done::DropWire { from: card(), at: pos2(300.0, 20.0) }]);
    }

    #[test]
    fn a_drag_on_empty_canvas_draws_a_box() {
        let press = Pointer { pressed: true, shift: true, ..at(200.0, 200.0) };
        let release = Pointer { released: true, down: false, shift: true, ..at(260.0, 280.0) };
        let done = run(&[press, at(240.0, 240.0), release]);
        assert_eq!(
            done,
            [Done::Brush { rect: Rect::from_two_pos(pos2(200.0, 200.0), pos2(260.0, 280.0)), shift: true }]
        );
    }

    #[test]
    fn space_drag_pans_and_never_selects() {
        let press = Pointer { pressed: true, space: true, ..at(10.0, 10.0) };
        let moved = Pointer { space: true, ..at(30.0, 15.0) };
        let release = Pointer { released: true, down: false, ..at(30.0, 15.0) };
        assert_eq!(run(&[press, moved, release]), [Done::Pan(Vec2::new(-20.0, -5.0))]);
    }

    #[test]
    fn a_small_wobble_is_still_a_click() {
        let press = Pointer { pressed: true, ..at(300.0, 300.0) };
        let release = Pointer { released: true, down: false, ..at(302.0, 301.0) };
        assert_eq!(run(&[press, at(302.0, 301.0), release]), [Done::Click { hit: Hit::Nothing, shift: false }]);
    }

    #[test]
    fn ctrl_drop_adds_a_parent() {
        let press = Pointer { pressed: true, ..at(10.0, 10.0) };
        let release = Pointer { released: true, down: false, add_parent: true, ..at(400.0, 10.0) };
        let done = run(&[press, at(400.0, 10.0), release]);
        assert!(matches!(done[..], [Done::DropCards { add_parent: true, .. }]), "{done:?}");
    }

    #[test]
    fn a_card_gone_from_the_diagram_is_not_dragged() {
        let press = Pointer { pressed: true, ..at(10.0, 10.0) };
        let (g, _) = Gesture::Idle.step(&press, hit, corner, SLOP);
        assert_eq!(g.cards(), [&card()], "the press names the card by its id");
        let (g, done) = g.step(&at(210.0, 110.0), hit, |_| None, SLOP);
        assert_eq!((g, done), (Gesture::Idle, Done::Nothing));
    }
}
