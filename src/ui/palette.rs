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
                        let keys = c.shortcut_text(ui.ctx()).unwrap_or_default();
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
            egui::Window::new(T::ShortcutsTitle.get(lang))
                .open(&mut open)
                .collapsible(false)
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .default_width(640.0)
                .show(ctx, |ui| shortcuts_list(ui, lang));
            if !open || ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
                self.palette.shortcuts = false;
            }
        }
        run
    }
}

/// Every command with keys, by menu group, generated from the table.
fn shortcuts_list(ui: &mut egui::Ui, lang: crate::lang::Lang) {
    egui::ScrollArea::vertical().max_height(560.0).show(ui, |ui| {
        ui.columns(2, |cols| {
            for (k, group) in Group::ALL.iter().enumerate() {
                let ui = &mut cols[if k < 2 { 0 } else { 1 }];
                ui.strong(group.label(lang));
                egui::Grid::new(("kpitree-shortcuts", k)).num_columns(2).striped(true).show(ui, |ui| {
                    for c in Command::ALL.iter().filter(|c| c.info().group == *group && !c.info().keys.is_empty()) {
                        ui.label(c.label(lang));
                        let keys: Vec<String> = c.info().keys.iter().map(|b| b.text(ui.ctx())).collect();
                        ui.monospace(keys.join("  /  "));
                        ui.end_row();
                    }
                });
                ui.add_space(8.0);
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_finds_commands_by_words_of_either_language() {
        assert!(matching("保存").contains(&Command::Save));
        assert!(matching("save as").contains(&Command::SaveAs));
        assert!(!matching("save as").contains(&Command::Open));
        assert_eq!(matching("").len(), Command::ALL.len());
    }
}
