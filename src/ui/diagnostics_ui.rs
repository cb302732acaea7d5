//! The bottom panel: the evaluator's findings, grouped by severity.

use egui::{Color32, RichText, Ui};

use super::i18n::T;
use crate::eval::{Diagnostic, Evaluation, Severity};
use crate::lang::Lang;
use crate::model::NodeId;

/// One line of the list: a group heading or a diagnostic.
enum Row<'a> {
    Heading(Severity, usize),
    Entry(&'a Diagnostic),
}

/// Lists the diagnostics; returns the node of the entry the user clicked.
/// Only the rows in view are laid out, so thousands of findings cost nothing.
pub fn diagnostics_ui(ui: &mut Ui, eval: Option<&Evaluation>, lang: Lang) -> Option<NodeId> {
    let Some(eval) = eval else {
        ui.label(T::Evaluating.get(lang));
        return None;
    };
    let (e, w, i) = eval.counts();
    ui.horizontal(|ui| {
        ui.strong(T::Diagnostics.get(lang));
        ui.label(RichText::new(format!("✖ {e}")).color(severity_color(Severity::Error)));
        ui.label(RichText::new(format!("⚠ {w}")).color(severity_color(Severity::Warning)));
        ui.label(RichText::new(format!("ℹ {i}")).color(severity_color(Severity::Info)));
    });
    ui.separator();
    if eval.diagnostics.is_empty() {
        ui.label(T::NoDiagnostics.get(lang));
        return None;
    }
    // Diagnostics come sorted by severity, so each group is one run.
    let mut rows = Vec::with_capacity(eval.diagnostics.len() + 3);
    for (k, d) in eval.diagnostics.iter().enumerate() {
        if k == 0 || eval.diagnostics[k - 1].severity() != d.severity() {
            let count = eval.diagnostics[k..].iter().take_while(|x| x.severity() == d.severity()).count();
            rows.push(Row::Heading(d.severity(), count));
        }
        rows.push(Row::Entry(d));
    }
    let mut clicked = None;
    let row_height = ui.text_style_height(&egui::TextStyle::Button) + ui.spacing().item_spacing.y;
    egui::ScrollArea::vertical().auto_shrink([false, false]).show_rows(ui, row_height, rows.len(), |ui, range| {
        for row in &rows[range] {
            match row {
                Row::Heading(severity, count) => {
                    let text = format!("{} ({count})", severity.label(lang));
                    ui.label(RichText::new(text).strong().color(severity_color(*severity)));
                }
                Row::Entry(d) => {
                    let mark = match d.severity() {
                        Severity::Error => "✖",
                        Severity::Warning => "⚠",
                        Severity::Info => "ℹ",
                    };
                    // A message quoting a very long name is cut (whole in the tooltip).
                    let message = d.message(lang);
                    let shown = if message.chars().count() > MAX_SHOWN {
                        format!("{}…", message.chars().take(MAX_SHOWN).collect::<String>())
                    } else {
                        message.clone()
                    };
                    let text = RichText::new(format!("{mark} {shown}  [{}]", d.code));
                    let row = ui.selectable_label(false, text);
                    let row = if shown.len() == message.len() { row } else { row.on_hover_text(&message) };
                    if row.clicked() {
                        clicked = d.node.clone();
                    }
                }
            }
        }
    });
    clicked
}

/// Characters of a message shown on one row.
const MAX_SHOWN: usize = 160;

/// Red, amber, blue.
pub fn severity_color(s: Severity) -> Color32 {
    match s {
        Severity::Error => Color32::from_rgb(200, 40, 40),
        Severity::Warning => Color32::from_rgb(190, 130, 0),
        Severity::Info => Color32::from_rgb(40, 110, 180),
    }
}
