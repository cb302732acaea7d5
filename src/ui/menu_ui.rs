//! The menu bar and the toolbar: every entry sends a [`Command`].

use egui::Ui;

use super::app::KpiApp;
use super::commands::Command;
use super::i18n::T;
use crate::lang::Lang;

impl KpiApp {
    /// File, Edit and View menus, then the toolbar.
    pub(super) fn menu_ui(&mut self, ui: &mut Ui, lang: Lang, commands: &mut Vec<Command>) {
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button(T::File.get(lang), |ui| {
                    for command in [Command::New, Command::Open, Command::Save, Command::SaveAs] {
                        if command.menu_item(ui, lang, true) {
                            commands.push(command);
                        }
                    }
                    if let Some(path) = self.files.recent_menu(ui, lang) {
                        self.open_path(path);
                    }
                    ui.separator();
                    for command in [Command::Export, Command::CopyImage] {
                        if command.menu_item(ui, lang, true) {
                            commands.push(command);
                        }
                    }
                    ui.separator();
                    if Command::Quit.menu_item(ui, lang, true) {
                        commands.push(Command::Quit);
                    }
                });
                ui.menu_button(T::Edit.get(lang), |ui| {
                    if Command::Undo.menu_item(ui, lang, self.history.can_undo()) {
                        commands.push(Command::Undo);
                    }
                    if Command::Redo.menu_item(ui, lang, self.history.can_redo()) {
                        commands.push(Command::Redo);
                    }
                    ui.separator();
                    let selected = !self.selection.is_empty();
                    for command in [Command::Copy, Command::Cut, Command::Paste, Command::Duplicate] {
                        let enabled = selected || (command == Command::Paste && self.copied.is_some());
                        if command.menu_item(ui, lang, enabled) {
                            commands.push(command);
                        }
                    }
                    ui.separator();
                    for command in [Command::Rename, Command::Delete] {
                        if command.menu_item(ui, lang, selected) {
                            commands.push(command);
                        }
                    }
                    ui.separator();
                    for command in [Command::AddKgi, Command::AddKsf, Command::AddKpi, Command::Arrange, Command::Fit] {
                        if command.menu_item(ui, lang, true) {
                            commands.push(command);
                        }
                    }
                });
                ui.menu_button(T::View.get(lang), |ui| {
                    ui.label(T::Language.get(lang));
                    ui.radio_value(&mut self.lang, Lang::Ja, "日本語");
                    ui.radio_value(&mut self.lang, Lang::En, "English");
                    ui.separator();
                    ui.checkbox(&mut self.canvas.compact_yen, T::CompactYen.get(lang))
                        .on_hover_text(T::CompactYenHint.get(lang));
                });
            });
            ui.horizontal(|ui| {
                for (command, hint) in [(Command::Arrange, T::ArrangeHint), (Command::Fit, T::FitHint)] {
                    if ui.button(command.label(lang)).on_hover_text(hint.get(lang)).clicked() {
                        commands.push(command);
                    }
                }
                ui.separator();
                for (command, hint) in [
                    (Command::AddKgi, T::AddKgiHint),
                    (Command::AddKsf, T::AddKsfHint),
                    (Command::AddKpi, T::AddKpiHint),
                ] {
                    if ui.button(command.label(lang)).on_hover_text(hint.get(lang)).clicked() {
                        commands.push(command);
                    }
                }
            });
        });
    }
}
