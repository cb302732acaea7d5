//! Ctrl+K: the command palette (type to find any command of the table),
//! and F1 / ?: every shortcut, listed from the same table.

use super::app::KpiApp;
use super::commands::{Command, Group};
use super::i18n::T;

/// The palette's and the shortcut list's state.
#[derive(Default)]
pub struct Palette {
    open: bool,
    query: String,
    chosen: usize,
    focus: bool,
    shortcuts: bool,
}

impl Palette {
    /// Opens the palette.
    pub fn open(&mut self) {
        self.open = true;
        self.query.clear();
        self.chosen = 0;
        self.focus = true;
    }

    /// Opens (or closes) the list of shortcuts.
    pub fn show_shortcuts(&mut self) {
        self.shortcuts = !self.shortcuts;
    }

    /// True while the palette or the shortcut list is open.
    pub fn is_open(&self) -> bool {
        self.open || self.shortcuts
    }
}

/// The commands whose label (in either language) contains every word of
/// `query`, in table order.
pub fn matching(query: &str) -> Vec<Command> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    Command::ALL
        .iter()
        .copied()
        .filter(|c| {
            let info = c.info();
            let text = format!("{} {}", info.ja, info.en).to_lowercase();
            words.iter().all(|w| text.contains(w.as_str()))
        })
        .collect()
}

impl KpiApp {
    /// The palette and the shortcut list, when open; returns the command
    /// picked in the palette.
    pub(super) fn palette_ui(&mut self, ctx: &egui::Context) -> Option<Command> {
        let lang = self.lang;
        let mut run = None;
        if self.palette.open {
            let found = matching(&self.palette.query);
            let (up, down, enter, escape) = ctx.input(|i| {
                (
                    i.key_pressed(egui::Key::ArrowUp),
                    i.key_pressed(egui::Key::ArrowDown),
                    i.key_pressed(egui::Key::Enter),
                    i.key_pressed(egui::Key::Escape),
                )
            });
            if down {
                self.palette.chosen = (self.palette.chosen + 1).min(found.len().saturating_sub(1));
            }
            if up {
                self.palette.chosen = self.palette.chosen.saturating_sub(1);
            }
            let mut close = escape;
            egui::Modal::new(egui::Id::new("kpitree-palette")).show(ctx, |ui| {
                ui.set_width(440.0);
                let response = ui.add(
                    egui::TextEdit::singleline(&mut self.palette.query)
                        .hint_text(T::PaletteHint.get(lang))
                        .desired_width(f32::INFINITY),
                );
                if std::mem::take(&mut self.palette.focus) || !response.has_focus() {
                    response.request_focus();
                }
                if response.changed() {
                    self.palette.chosen = 0;
                }
                ui.separator();
                egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                    for (k, c) in found.iter().enumerate() {
                        let keys = c.shortcut_text(lang).unwrap_or_default();
                        let text = format!("{}    {keys}", c.label(lang));
                        let row = ui.selectable_label(k == self.palette.chosen, text);
                        if k == self.palette.chosen {
                            row.scroll_to_me(None);
                        }
                        if row.clicked() {
                            run = Some(*c);
                        }
                    }
                });
            });
            if enter && run.is_none() {
                run = found.get(self.palette.chosen).copied();
            }
            if run.is_some() {
                close = true;
            }
            if close {
                self.palette.open = false;
                self.canvas.take_focus();
            }
        }
        if self.palette.shortcuts {
            let mut open = true;
            egui::Window::new(Command::Shortcuts.label(lang))
                .open(&mut open)
                .collapsible(false)
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .fixed_size([520.0, 600.0])
                .show(ctx, |ui| shortcuts_list(ui, lang));
            if !open || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
                self.palette.shortcuts = false;
            }
        }
        run
    }
}

/// Every command with keys, by menu group, generated from the table: one
/// grid whose columns take the width of their longest entry (no label or
/// key name is cut).
fn shortcuts_list(ui: &mut egui::Ui, lang: crate::lang::Lang) {
    egui::ScrollArea::vertical().max_height(600.0).auto_shrink([false, true]).show(ui, |ui| {
        egui::Grid::new("kpitree-shortcuts").num_columns(2).striped(true).spacing([24.0, 6.0]).show(ui, |ui| {
            for group in Group::ALL {
                ui.strong(group.label(lang));
                ui.end_row();
                for c in Command::ALL.iter().filter(|c| c.info().group == group && !c.info().keys.is_empty()) {
                    ui.add(egui::Label::new(c.label(lang)).wrap_mode(egui::TextWrapMode::Extend));
                    let keys: Vec<String> = c.info().keys.iter().map(|b| b.text(lang)).collect();
                    ui.add(
                        egui::Label::new(egui::RichText::new(keys.join("  /  ")).strong())
                            .wrap_mode(egui::TextWrapMode::Extend),
                    );
                    ui.end_row();
                }
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn keys_are_named_as_the_keyboard_shows_them_in_the_ui_language() {
        use super::super::commands::shortcut_name;
        use egui::{Key, Modifiers};
        assert_eq!(shortcut_name(Modifiers::NONE, Key::ArrowLeft, Lang::Ja), "←");
        assert_eq!(shortcut_name(Modifiers::NONE, Key::Space, Lang::Ja), "スペース");
        assert_eq!(shortcut_name(Modifiers::NONE, Key::Space, Lang::En), "Space");
        if !cfg!(target_os = "macos") {
            assert_eq!(shortcut_name(Modifiers::COMMAND, Key::Plus, Lang::Ja), "Ctrl+＋");
            assert_eq!(shortcut_name(Modifiers::COMMAND, Key::Plus, Lang::En), "Ctrl++");
            assert_eq!(shortcut_name(Modifiers::COMMAND | Modifiers::SHIFT, Key::S, Lang::En), "Ctrl+Shift+S");
        }
        // Every glyph of every key name is in the bundled font.
        for c in Command::ALL {
            for lang in [Lang::Ja, Lang::En] {
                for b in c.info().keys {
                    let text = b.text(lang);
                    assert!(text.chars().all(|ch| crate::export::Measure::get().has_glyph(ch)), "{text}");
                }
            }
        }
    }

    #[test]
    fn the_palette_finds_commands_by_words_of_either_language() {
        assert!(matching("保存").contains(&Command::Save));
        assert!(matching("save as").contains(&Command::SaveAs));
        assert!(!matching("save as").contains(&Command::Open));
        assert_eq!(matching("").len(), Command::ALL.len());
    }
}
