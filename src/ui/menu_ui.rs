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
                    for command in
                        [Command::New, Command::NewFromOutline, Command::Open, Command::Save, Command::SaveAs]
                    {
                        item(ui, command, true);
                    }
                    if let Some(path) = self.files.recent_menu(ui, lang) {
                        self.open_path(path);
                    }
                    ui.separator();
                    item(ui, Command::Properties, true);
                    for command in [Command::ImportActuals, Command::Export, Command::CopyImage] {
                        item(ui, command, true);
                    }
                    ui.separator();
                    let in_room = self.room.live.is_some();
                    item(ui, Command::MergeCopy, self.session.path().is_some());
                    item(ui, Command::HostRoom, !in_room);
                    item(ui, Command::JoinRoom, !in_room);
                    item(ui, Command::RoomInfo, in_room);
                    item(ui, Command::LeaveRoom, in_room);
                    ui.separator();
                    item(ui, Command::Quit, true);
                });
                ui.menu_button(T::Edit.get(lang), |ui| {
                    let (undo, redo) = self.can_undo_redo();
                    item(ui, Command::Undo, undo);
                    item(ui, Command::Redo, redo);
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
                let groups: [&[(Command, Option<T>)]; 3] = [
                    &[(Command::Arrange, Some(T::ArrangeHint)), (Command::Fit, Some(T::FitHint))],
                    &[
                        (Command::AddKgi, Some(T::AddKgiHint)),
                        (Command::AddKsf, Some(T::AddKsfHint)),
                        (Command::AddKpi, Some(T::AddKpiHint)),
                    ],
                    &[(Command::Present, None)],
                ];
                for (k, group) in groups.into_iter().enumerate() {
                    if k > 0 {
                        ui.separator();
                    }
                    for &(command, hint) in group {
                        let tip = toolbar_tip(command, hint, lang);
                        if ui.button(command.label(lang)).on_hover_text(tip).clicked() {
                            commands.push(command);
                        }
                    }
                }
                self.period_picker(ui, lang);
            });
        });
        commands.extend(picked.into_inner());
    }
}

/// What a toolbar button's tooltip says: the hint, then the command's keys
/// as the table gives them (`Show the whole tree (Home)`).
fn toolbar_tip(command: Command, hint: Option<T>, lang: Lang) -> String {
    let hint = hint.map_or(command.label(lang), |h| h.get(lang));
    match command.shortcut_text(lang) {
        Some(keys) => format!("{hint} ({keys})"),
        None => hint.to_owned(),
    }
}

impl KpiApp {
    /// The period picker: 通期 · 累計 · each period, when the document has
    /// periods. Cards, trends and the exports show the view picked.
    fn period_picker(&mut self, ui: &mut Ui, lang: Lang) {
        let (current, choices) = self.period_shown();
        if choices.is_empty() {
            return;
        }
        let name = choices.iter().find(|(v, _)| *v == current).map_or("", |(_, n)| n.as_str()).to_owned();
        ui.separator();
        let label = ui.label(T::PeriodShown.get(lang));
        let mut picked = current;
        egui::ComboBox::from_id_salt("kpitree-period-shown")
            .selected_text(name)
            .height(400.0)
            .show_ui(ui, |ui| {
                for (view, name) in choices.iter() {
                    ui.selectable_value(&mut picked, *view, name);
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(T::PeriodShownHint.get(lang));
        self.canvas.shown = picked;
    }

    /// The view the cards show — the one picked, or 通期 when the document
    /// no longer has it — and the views the document offers (worked out
    /// again only when the document or the language changes).
    pub(super) fn period_shown(
        &mut self,
    ) -> (crate::export::Shown, std::sync::Arc<Vec<(crate::export::Shown, String)>>) {
        let key = (self.session.revision(), self.lang);
        let choices = match &self.period_choices {
            Some((k, choices)) if *k == key => std::sync::Arc::clone(choices),
            _ => {
                let choices = std::sync::Arc::new(crate::export::Shown::choices(self.session.document(), self.lang));
                self.period_choices = Some((key, std::sync::Arc::clone(&choices)));
                choices
            }
        };
        let shown = self.canvas.shown;
        let current = if choices.iter().any(|(v, _)| *v == shown) { shown } else { crate::export::Shown::Full };
        (current, choices)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toolbar_tips_take_their_keys_from_the_command_table() {
        let tip = toolbar_tip(Command::Present, None, Lang::En);
        assert_eq!(
            tip,
            format!("{} ({})", Command::Present.label(Lang::En), Command::Present.shortcut_text(Lang::En).unwrap())
        );
        assert!(tip.contains("F5"), "{tip}");
        let tip = toolbar_tip(Command::Arrange, Some(T::ArrangeHint), Lang::Ja);
        assert!(tip.starts_with(T::ArrangeHint.get(Lang::Ja)), "{tip}");
        assert!(tip.ends_with(&format!("({})", Command::Arrange.shortcut_text(Lang::Ja).unwrap())), "{tip}");
    }
}
