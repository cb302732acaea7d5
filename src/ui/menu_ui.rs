//! The menu bar and the toolbar: every entry sends a [`Command`] from the
//! table, with the label and the keys the table gives it.

use egui::Ui;

use super::app::KpiApp;
use super::commands::Command;
use super::i18n::T;
use crate::lang::Lang;
use crate::model::LayoutMode;

impl KpiApp {
    /// File, Edit, Tree, View and Help menus, then the toolbar.
    pub(super) fn menu_ui(&mut self, ui: &mut Ui, lang: Lang, commands: &mut Vec<Command>) {
        let selected = !self.selection.is_empty();
        let picked = std::cell::RefCell::new(Vec::new());
        let item = |ui: &mut Ui, command: Command, enabled: bool| {
            if command.menu_item(ui, lang, enabled) {
                picked.borrow_mut().push(command);
                ui.close();
            }
        };
        egui::Panel::top("menu").show(ui, |ui| {
            egui::MenuBar::new().ui(ui, |ui| {
                ui.menu_button(T::File.get(lang), |ui| {
                    for command in [Command::New, Command::Open, Command::Save, Command::SaveAs] {
                        item(ui, command, true);
                    }
                    if let Some(path) = self.files.recent_menu(ui, lang) {
                        self.open_path(path);
                    }
                    ui.separator();
                    item(ui, Command::Properties, true);
                    for command in [Command::Export, Command::CopyImage] {
                        item(ui, command, true);
                    }
                    ui.separator();
                    item(ui, Command::Quit, true);
                });
                ui.menu_button(T::Edit.get(lang), |ui| {
                    item(ui, Command::Undo, self.session.can_undo());
                    item(ui, Command::Redo, self.session.can_redo());
                    ui.separator();
                    for command in [Command::Copy, Command::Cut, Command::Duplicate] {
                        item(ui, command, selected);
                    }
                    item(ui, Command::Paste, self.copied.is_some());
                    ui.separator();
                    item(ui, Command::SelectAll, true);
                    item(ui, Command::Delete, selected);
                    item(ui, Command::Find, true);
                });
                ui.menu_button(T::Tree.get(lang), |ui| {
                    for command in [Command::AddChild, Command::AddSibling, Command::Rename, Command::EditValues] {
                        item(ui, command, selected);
                    }
                    ui.separator();
                    for command in [Command::OpAdd, Command::OpSub, Command::OpMul, Command::OpDiv] {
                        item(ui, command, selected);
                    }
                    ui.separator();
                    item(ui, Command::ToggleCollapse, selected);
                    for command in [Command::AddKgi, Command::AddKsf, Command::AddKpi] {
                        item(ui, command, true);
                    }
                });
                ui.menu_button(T::View.get(lang), |ui| {
                    for command in
                        [Command::Fit, Command::ZoomIn, Command::ZoomOut, Command::ZoomActual, Command::Arrange]
                    {
                        item(ui, command, true);
                    }
                    item(ui, Command::ZoomSelection, selected);
                    ui.separator();
                    // Settings are commands too: a box that shows the state.
                    let auto = self.session.document().layout_mode() == LayoutMode::Auto;
                    for (command, on, hint) in [
                        (Command::ToggleLayout, auto, T::AutoLayoutHint),
                        (Command::ToggleCompactYen, self.canvas.compact_yen, T::CompactYenHint),
                    ] {
                        let mut state = on;
                        if ui.checkbox(&mut state, command.label(lang)).on_hover_text(hint.get(lang)).changed() {
                            picked.borrow_mut().push(command);
                        }
                    }
                    ui.separator();
                    for command in [Command::Present, Command::FullScreen] {
                        item(ui, command, true);
                    }
                    ui.separator();
                    ui.label(T::Language.get(lang));
                    for (command, which) in [(Command::LanguageJa, Lang::Ja), (Command::LanguageEn, Lang::En)] {
                        if ui.radio(self.lang == which, command.label(lang)).clicked() {
                            picked.borrow_mut().push(command);
                        }
                    }
                });
                ui.menu_button(T::Help.get(lang), |ui| {
                    item(ui, Command::Palette, true);
                    item(ui, Command::Shortcuts, true);
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
                ui.separator();
                if ui.button(Command::Present.label(lang)).on_hover_text("F5").clicked() {
                    commands.push(Command::Present);
                }
            });
        });
        commands.extend(picked.into_inner());
    }
}
