//! Every user action in one table: its label, its shortcut, and (in
//! `app.rs`) one handler. Menus, toolbar and keyboard all send a [`Command`].

use egui::{Key, KeyboardShortcut, Modifiers};

use super::i18n::T;
use crate::lang::Lang;

/// A user action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// New document (blank or from a template).
    New,
    /// Open a file.
    Open,
    /// Save to the current file.
    Save,
    /// Save to a new file.
    SaveAs,
    /// Close the window.
    Quit,
    /// Undo the last step.
    Undo,
    /// Redo the step undone.
    Redo,
    /// Redo, with the other usual shortcut.
    RedoAlt,
    /// Copy the selected nodes (kpitree JSON on the clipboard).
    Copy,
    /// Copy and remove the selected nodes.
    Cut,
    /// Insert the nodes on the clipboard.
    Paste,
    /// Copy the selected nodes beside themselves.
    Duplicate,
    /// Remove the selected nodes.
    Delete,
    /// Rename the selected node in place.
    Rename,
    /// Add a goal.
    AddKgi,
    /// Add a success factor.
    AddKsf,
    /// Add an indicator.
    AddKpi,
    /// Auto-layout.
    Arrange,
    /// Show the whole tree.
    Fit,
    /// Show the whole tree (the other shortcut).
    FitAlt,
    /// File → Export…
    Export,
    /// Copy the diagram as an image.
    CopyImage,
}

impl Command {
    /// Every command, in the order shortcuts are checked (longer modifier
    /// combinations first, so Ctrl+Shift+S is not taken for Ctrl+S).
    pub const ALL: [Command; 22] = [
        Command::CopyImage,
        Command::Export,
        Command::SaveAs,
        Command::Redo,
        Command::New,
        Command::Open,
        Command::Save,
        Command::Quit,
        Command::Undo,
        Command::RedoAlt,
        Command::Copy,
        Command::Cut,
        Command::Paste,
        Command::Duplicate,
        Command::Delete,
        Command::Rename,
        Command::AddKgi,
        Command::AddKsf,
        Command::AddKpi,
        Command::Arrange,
        Command::Fit,
        Command::FitAlt,
    ];

    /// The label in menus and on buttons.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Command::New => T::New,
            Command::Open => T::Open,
            Command::Save => T::Save,
            Command::SaveAs => T::SaveAs,
            Command::Quit => T::Quit,
            Command::Undo => T::Undo,
            Command::Redo | Command::RedoAlt => T::Redo,
            Command::Copy => T::Copy,
            Command::Cut => T::Cut,
            Command::Paste => T::Paste,
            Command::Duplicate => T::Duplicate,
            Command::Delete => T::Delete,
            Command::Rename => T::Rename,
            Command::AddKgi => T::AddKgi,
            Command::AddKsf => T::AddKsf,
            Command::AddKpi => T::AddKpi,
            Command::Arrange => T::Arrange,
            Command::Fit | Command::FitAlt => T::Fit,
            Command::Export => T::Export,
            Command::CopyImage => T::CopyImage,
        }
        .get(lang)
    }

    /// The keyboard shortcut.
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        let cmd = |key| Some(KeyboardShortcut::new(Modifiers::COMMAND, key));
        let plain = |key| Some(KeyboardShortcut::new(Modifiers::NONE, key));
        match self {
            Command::New => cmd(Key::N),
            Command::Open => cmd(Key::O),
            Command::Save => cmd(Key::S),
            Command::SaveAs => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::S)),
            Command::Quit => cmd(Key::Q),
            Command::Undo => cmd(Key::Z),
            Command::Redo => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z)),
            Command::RedoAlt => cmd(Key::Y),
            Command::Copy => cmd(Key::C),
            Command::Cut => cmd(Key::X),
            Command::Paste => cmd(Key::V),
            Command::Duplicate => cmd(Key::D),
            Command::Delete => plain(Key::Delete),
            Command::Rename => plain(Key::F2),
            Command::Arrange => cmd(Key::L),
            Command::Fit => plain(Key::Home),
            Command::FitAlt => cmd(Key::Num0),
            Command::Export => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::E)),
            Command::CopyImage => Some(KeyboardShortcut::new(Modifiers::COMMAND | Modifiers::SHIFT, Key::C)),
            Command::AddKgi | Command::AddKsf | Command::AddKpi => None,
        }
    }

    /// Commands that act on the canvas and must not steal keys from a text
    /// field being edited (Delete, F2, Home, and undo, which text fields do
    /// themselves).
    pub fn yields_to_text_fields(self) -> bool {
        matches!(
            self,
            Command::Delete
                | Command::Rename
                | Command::Fit
                | Command::Undo
                | Command::Redo
                | Command::RedoAlt
                | Command::Duplicate
        )
    }

    /// The commands whose shortcuts were pressed this frame (consumed), and
    /// the text pasted onto the canvas, if any. Copy, cut and paste arrive
    /// as clipboard events (the platform reads the clipboard for paste), not
    /// as keys.
    pub fn pressed(ctx: &egui::Context) -> (Vec<Command>, Option<String>) {
        let typing = ctx.egui_wants_keyboard_input();
        let mut pressed = Vec::new();
        let mut pasted = None;
        if !typing {
            ctx.input(|i| {
                for event in &i.events {
                    match event {
                        // Ctrl+Shift+C arrives as a copy event too: it copies the picture.
                        egui::Event::Copy if i.modifiers.shift => pressed.push(Command::CopyImage),
                        egui::Event::Copy => pressed.push(Command::Copy),
                        egui::Event::Cut => pressed.push(Command::Cut),
                        egui::Event::Paste(text) => pasted = Some(text.clone()),
                        _ => {}
                    }
                }
            });
        }
        for command in Command::ALL {
            if matches!(command, Command::Copy | Command::Cut | Command::Paste) {
                continue;
            }
            let Some(shortcut) = command.shortcut() else { continue };
            if typing && command.yields_to_text_fields() {
                continue;
            }
            if ctx.input_mut(|i| i.consume_shortcut(&shortcut)) && !pressed.contains(&command) {
                pressed.push(command);
            }
        }
        (pressed, pasted)
    }

    /// A menu entry showing the label and the shortcut; true when clicked.
    pub fn menu_item(self, ui: &mut egui::Ui, lang: Lang, enabled: bool) -> bool {
        let mut button = egui::Button::new(self.label(lang));
        if let Some(shortcut) = self.shortcut() {
            button = button.shortcut_text(ui.ctx().format_shortcut(&shortcut));
        }
        ui.add_enabled(enabled, button).clicked()
    }
}
