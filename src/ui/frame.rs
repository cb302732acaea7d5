//! One frame of the editor: the keyboard first (every key through the
//! command table), then the panels and the canvas, then this frame's edits
//! applied, then the windows above everything.

use std::path::PathBuf;
use std::sync::Arc;

use egui::Ui;

use super::app::{Bottom, KpiApp};
use super::canvas::CanvasInput;
use super::commands::Command;
use super::diagnostics_ui::diagnostics_ui;
use super::i18n::T;
use crate::model::{Edit, Field};

impl KpiApp {
    /// True while a text field (not the canvas) has the keyboard.
    fn typing(&self, ctx: &egui::Context) -> bool {
        let focused = ctx.memory(|m| m.focused());
        focused.is_some_and(|f| Some(f) != self.canvas.focus_id())
            || self.renaming.is_some()
            || self.values_edit.is_some()
    }

    /// True while a window that asks something is open over the editor.
    fn asking(&self) -> bool {
        self.files.modal_open()
            || self.recovery.offering()
            || self.palette.is_open()
            || self.error.is_some()
            || self.disk_question.is_some()
            || self.room.asking()
    }

    /// Draws the editor and handles this frame's input.
    pub(super) fn frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.input_order.begin_frame(&ctx);
        self.take_results();
        if let Some(ticket) = self.fit_at
            && self.derived.answered(ticket)
        {
            self.canvas.fit_to_view();
            self.fit_at = None;
        }
        self.poll_disk();
        self.room_poll();
        self.update_title(&ctx);
        let lang = self.lang;
        let mut edits = Vec::new();
        let canvas_keys = !self.asking() && !self.typing(&ctx) && self.presenting.is_none();
        let (mut commands, pasted) = Command::pressed(&ctx, canvas_keys);
        if self.presenting.is_some() {
            commands.retain(|c| !matches!(c, Command::Present));
            self.present_keys(&ctx);
        }
        if let Some(text) = pasted {
            self.paste(&text);
        }
        if canvas_keys
            && commands.is_empty()
            && let Some(id) = self.selection.primary().cloned()
            && let Some(typed) = Command::typed(&ctx)
        {
            // Typing on a selected card renames it, starting with what was typed.
            self.renaming = Some(super::canvas::Renaming::typed(id, typed));
        }
        // Escape clears the selection, unless it closes the export window or
        // cancels what the pointer holds (the canvas ends that itself).
        let window_open = self.export.open || self.import.open;
        if canvas_keys
            && commands.is_empty()
            && !window_open
            && !self.canvas.gesturing()
            && ctx.input(|i| i.key_pressed(egui::Key::Escape))
        {
            self.select(None);
        }
        let dropped: Option<PathBuf> = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_owned()));
        if let Some(path) = dropped {
            // A spreadsheet dropped on the window is imported, not opened.
            if super::import_ui::is_spreadsheet(&path) {
                self.import_file(path);
            } else if super::files::is_text_outline(&path) {
                self.new_from_outline(path);
            } else {
                self.open_path(path);
            }
        }

        let evaluation = self.shared_evaluation();
        let doc = Arc::clone(self.session.document());
        if self.presenting.is_none() {
            self.menu_ui(ui, lang, &mut commands);
            self.failure_banner(ui, lang);
            self.disk_bar_ui(ui, lang);
            self.side_panels(ui, &mut edits);
            self.search_ui(ui);
        }
        let diagram = self.derived().map(|d| Arc::clone(&d.diagram));
        let matches = self.search.highlighted(&doc, self.session.revision());
        let focus = self.presenting.as_ref().and_then(|p| p.focus.clone());
        egui::CentralPanel::no_frame().show(ui, |ui| {
            let presence = self.presence_rings();
            let input = CanvasInput {
                doc: &doc,
                diagram: diagram.as_ref(),
                eval: evaluation.as_deref(),
                selection: self.selection.ids(),
                renaming: self.renaming.as_mut(),
                values: self.values_edit.as_mut(),
                focus: focus.as_ref(),
                matches: matches.as_ref(),
                lang,
                presenting: self.presenting.is_some(),
                presence: &presence,
            };
            let out = self.canvas.ui(ui, input);
            if let Some(clicked) = out.clicked {
                // A card clicked is in view: the view stays where it is (a
                // card half off screen does not jump away from the pointer
                // that is about to drag it).
                self.selection.set_one(clicked);
            }
            if let Some(id) = out.toggled {
                self.selection.toggle(id);
            }
            if let Some((ids, replace)) = out.boxed {
                if replace {
                    self.selection.clear();
                }
                self.selection.extend(ids);
            }
            let mut edits = out.edits;
            if let Some(keep) = out.rename_done
                && let Some(super::canvas::Renaming { id, text, .. }) = self.renaming.take()
            {
                if keep {
                    edits.push(Edit::SetField(id, Field::Name(text)));
                }
                self.canvas.take_focus();
            }
            if let Some(keep) = out.values_done
                && let Some(draft) = self.values_edit.take()
            {
                if keep && let Some(node) = doc.node(&draft.id) {
                    edits.extend(draft.edits(node).unwrap_or_default());
                }
                self.canvas.take_focus();
            }
            // Applied at once: a card added from a menu is there to be named.
            self.apply(edits);
            if let Some(id) = out.rename {
                self.select(Some(id.clone()));
                self.rename(&id);
            }
            if let Some(command) = out.command {
                commands.push(command);
            }
            if let Some((id, name)) = out.naming {
                self.start_naming(&id, &name);
            }
            if let Some(id) = out.edit_values {
                self.select(Some(id.clone()));
                self.edit_values(&id);
            }
        });
        if let Some((title, message)) = self.error.clone() {
            egui::Window::new(title.get(lang))
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
                .show(&ctx, |ui| {
                    ui.label(message);
                    if ui.button(T::Close.get(lang)).clicked() {
                        self.error = None;
                    }
                });
        }
        self.inspector.long_text_ui(&ctx, &doc, lang, &mut edits);
        if let Some(command) = self.palette_ui(&ctx) {
            commands.push(command);
        }
        // What was typed and dragged this frame first, then the commands, in
        // the order given, each seeing what the one before did.
        self.apply(edits);
        for command in commands {
            self.run(command, &ctx);
        }
        self.room_push();
        self.room_ui(&ctx);
        self.request_derived();
        self.present_overlay(&ctx);
        self.export_ui(&ctx);
        self.import_ui(&ctx);
        self.files_ui(&ctx);
        self.disk_question_ui(&ctx, lang);
        self.recovery_ui(&ctx);
        self.autosave(&ctx, false);
        self.keep_settings(false);
    }

    /// The inspector on the right, diagnostics and analysis at the bottom.
    fn side_panels(&mut self, ui: &mut Ui, edits: &mut Vec<Edit>) {
        let lang = self.lang;
        let evaluation = self.shared_evaluation();
        let doc = Arc::clone(self.session.document());
        egui::Panel::right("inspector").default_size(320.0).resizable(true).show(ui, |ui| {
            // 逆算 and goal seek stay in view under the scrolling fields.
            egui::Panel::bottom("solve").resizable(false).show(ui, |ui| {
                self.solve_ui(ui, lang, edits);
            });
            let out = self.inspector.ui(ui, &doc, evaluation.as_deref(), self.selection.primary(), lang);
            edits.extend(out.edits);
            if let Some(id) = out.select {
                self.select(Some(id.clone()));
                self.canvas.focus(id);
            }
        });
        // A chart needs room: its page opens the panel to most of the window.
        let charts =
            self.analysis.bottom == Bottom::Analysis && self.analysis.page != super::chart_ui::AnalysisPage::Overview;
        let min = if charts { (ui.available_height() * 0.5).min(460.0) } else { 80.0 };
        // The analysis speaks of the period the cards show: the panel says which.
        let (view, choices) = self.period_shown();
        let view_name = (view != crate::export::Shown::Full)
            .then(|| choices.iter().find(|(v, _)| *v == view).map(|(_, n)| n.clone()));
        egui::Panel::bottom("diagnostics").default_size(230.0).min_size(min).resizable(true).show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.analysis.bottom, Bottom::Diagnostics, T::Diagnostics.get(lang));
                ui.selectable_value(&mut self.analysis.bottom, Bottom::Analysis, T::Analysis.get(lang));
                if let Some(name) = &self.analysis.scenario {
                    ui.label(
                        egui::RichText::new(format!("{}: {name}", T::WhatIf.get(lang)))
                            .color(egui::Color32::from_rgb(120, 60, 170)),
                    );
                }
                if let Some(Some(name)) = &view_name {
                    ui.label(format!("{}: {name}", T::PeriodShown.get(lang)))
                        .on_hover_text(T::AnalysisViewHint.get(lang));
                }
                self.room_line(ui);
            });
            ui.separator();
            let picked = match self.analysis.bottom {
                Bottom::Diagnostics => diagnostics_ui(ui, evaluation.as_deref(), lang),
                Bottom::Analysis => self.analysis_ui(ui, lang, edits),
            };
            if let Some(id) = picked {
                self.select(Some(id.clone()));
                self.canvas.focus(id);
            }
        });
    }
}
