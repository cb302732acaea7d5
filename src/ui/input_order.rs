//! Keys typed faster than frames: one frame takes the keyboard's events up
//! to the first key that moves where text goes (Tab, Enter, Escape, F2, or a
//! shortcut with Ctrl, Alt or ⌘), and the rest wait for the next frame.
//!
//! egui hands a frame all the events since the last one, and a focused text
//! field takes every text event of its frame: `25 Tab 20` arriving together
//! would all land in the field that had the keyboard before the Tab (252, and
//! nothing in the next field). Cutting the stream after such a key lets the
//! frame move the keyboard first, so each key lands where it was typed for.
//! Pointer events are never held back.

use egui::{Event, Key};

/// True for the events of the keyboard (text, keys, clipboard, IME).
fn is_keyboard(event: &Event) -> bool {
    matches!(event, Event::Text(_) | Event::Key { .. } | Event::Paste(_) | Event::Copy | Event::Cut | Event::Ime(_))
}

/// True for a key press after which typed text may belong somewhere else.
fn moves_the_keyboard(event: &Event) -> bool {
    match event {
        Event::Key { key, pressed: true, modifiers, .. } => {
            matches!(key, Key::Tab | Key::Enter | Key::Escape | Key::F2)
                || modifiers.ctrl
                || modifiers.command
                || modifiers.mac_cmd
                || modifiers.alt
        }
        _ => false,
    }
}

/// Splits `events` into what this frame handles and the keyboard events that
/// wait for the next frame: everything of the keyboard after the first key
/// that moves the keyboard, when any keyboard event follows it. The order of
/// each part is kept.
pub fn split(events: Vec<Event>) -> (Vec<Event>, Vec<Event>) {
    let Some(cut) = events.iter().position(moves_the_keyboard) else { return (events, Vec::new()) };
    if !events[cut + 1..].iter().any(is_keyboard) {
        return (events, Vec::new());
    }
    let mut now = Vec::with_capacity(events.len());
    let mut later = Vec::new();
    for (i, event) in events.into_iter().enumerate() {
        if i > cut && is_keyboard(&event) {
            // A key's release goes with its press, after the cut, in order.
            later.push(event);
        } else {
            now.push(event);
        }
    }
    (now, later)
}

/// The keyboard events held back from the last frame, put in front of this
/// frame's; call before anything reads this frame's input.
#[derive(Default)]
pub struct InputOrder {
    waiting: Vec<Event>,
}

impl InputOrder {
    /// Puts the waiting events first, keeps this frame's share and holds back
    /// the rest (asking for another frame at once when anything waits).
    pub fn begin_frame(&mut self, ctx: &egui::Context) {
        let waiting = std::mem::take(&mut self.waiting);
        ctx.input_mut(|i| {
            let mut events = waiting;
            events.append(&mut i.events);
            let (now, later) = split(events);
            i.events = now;
            self.waiting = later;
        });
        if !self.waiting.is_empty() {
            ctx.request_repaint();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::Modifiers;

    fn key(key: Key, modifiers: Modifiers) -> Event {
        Event::Key { key, physical_key: None, pressed: true, repeat: false, modifiers }
    }

    fn text(t: &str) -> Event {
        Event::Text(t.to_owned())
    }

    #[test]
    fn text_after_a_tab_waits_for_the_next_frame() {
        let events = vec![text("25"), key(Key::Tab, Modifiers::NONE), text("20"), key(Key::Enter, Modifiers::NONE)];
        let (now, later) = split(events);
        assert_eq!(now, vec![text("25"), key(Key::Tab, Modifiers::NONE)]);
        assert_eq!(later, vec![text("20"), key(Key::Enter, Modifiers::NONE)]);
        // The next frame takes the text and the Enter that ends it.
        let (now, later) = split(later);
        assert_eq!(now.len(), 2);
        assert!(later.is_empty());
    }

    #[test]
    fn plain_typing_stays_in_one_frame() {
        let events = vec![key(Key::A, Modifiers::NONE), text("a"), text("b"), key(Key::Enter, Modifiers::NONE)];
        let (now, later) = split(events.clone());
        assert_eq!(now, events);
        assert!(later.is_empty());
    }

    #[test]
    fn a_shortcut_cuts_the_stream_but_pointer_events_stay() {
        let moved = Event::PointerMoved(egui::pos2(1.0, 2.0));
        let events = vec![key(Key::Enter, Modifiers::COMMAND), moved.clone(), text("件")];
        let (now, later) = split(events);
        assert_eq!(now, vec![key(Key::Enter, Modifiers::COMMAND), moved]);
        assert_eq!(later, vec![text("件")]);
    }
}
