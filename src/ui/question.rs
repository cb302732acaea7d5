//! The buttons of a question (unsaved changes, the file on disk, a lock): one
//! of them is the default, drawn as such and pressed by Enter; Escape
//! cancels. The Enter or Escape that answers is used up, so the window that
//! opens next (the template chooser after 保存しない) never sees it.

use egui::{Key, Modifiers, RichText, Ui};

/// A row of buttons: `labels`, of which `default` is pressed by Enter and
/// `cancel` by Escape. Returns the place in `labels` of the one pressed.
/// A button with the keyboard (reached with Tab) takes Enter itself.
pub fn buttons(ui: &mut Ui, labels: &[&str], default: usize, cancel: usize) -> Option<usize> {
    let mut pressed = None;
    let mut focused = false;
    // Ids that do not depend on what the window drew before the buttons (a
    // preview arriving must not make a click, or a screen reader's, miss).
    ui.push_id("kpitree-question-buttons", |ui| {
        ui.horizontal(|ui| {
            for (k, label) in labels.iter().enumerate() {
                let button = if k == default { default_button(ui, label) } else { egui::Button::new(*label) };
                let response = ui.add(button.min_size(egui::vec2(72.0, 26.0)));
                focused |= response.has_focus();
                if response.clicked() {
                    pressed = Some(k);
                }
            }
        })
    });
    let (enter, escape) =
        ui.input_mut(|i| (i.consume_key(Modifiers::NONE, Key::Enter), i.consume_key(Modifiers::NONE, Key::Escape)));
    if pressed.is_none() {
        if escape {
            pressed = Some(cancel);
        } else if enter && !focused {
            pressed = Some(default);
        }
    }
    pressed
}

/// A button drawn as the default of its window (the one Enter presses).
pub fn default_button(ui: &Ui, label: &str) -> egui::Button<'static> {
    let text = RichText::new(label).color(ui.visuals().selection.stroke.color).strong();
    egui::Button::new(text).fill(ui.visuals().selection.bg_fill)
}
