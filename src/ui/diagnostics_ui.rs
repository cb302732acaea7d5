//! The bottom panel: the evaluator's findings, grouped by severity.

use egui::{Color32, RichText, Ui};

use super::i18n::T;
use crate::eval::{Evaluation, Severity};
use crate::lang::Lang;
use crate::model::NodeId;

/// Lists the diagnostics; returns the node of the entry the user clicked.
pub fn diagnostics_ui(ui: &mut Ui, eval: Option<&Evaluation>, lang: Lang) -> Option<NodeId> {
    let mut clicked = None;
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
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        for severity in [Severity::Error, Severity::Warning, Severity::Info] {
            let group: Vec<_> = eval.diagnostics.iter().filter(|d| d.severity() == severity).collect();
            if group.is_empty() {
                continue;
            }
            ui.label(
                RichText::new(format!("{} ({})", severity.label(lang), group.len()))
                    .strong()
                    .color(severity_color(severity)),
            );
            for d in group {
                let mark = match severity {
                    Severity::Error => "✖",
                    Severity::Warning => "⚠",
                    Severity::Info => "ℹ",
                };
                let text = RichText::new(format!("{mark} {}  [{}]", d.message(lang), d.code));
                let response = ui.selectable_label(false, text);
                if response.clicked() {
                    clicked = d.node.clone();
                }
            }
        }
    });
    clicked
}

/// Red, amber, blue.
pub fn severity_color(s: Severity) -> Color32 {
    match s {
        Severity::Error => Color32::from_rgb(200, 40, 40),
        Severity::Warning => Color32::from_rgb(190, 130, 0),
        Severity::Info => Color32::from_rgb(40, 110, 180),
    }
}
