//! How one node looks on the canvas: a card with a kind badge, the name, the
//! numbers and a progress bar coloured by 達成率.

use egui::{Color32, CornerRadius, RichText, Stroke, Ui, vec2};

use super::i18n::T;
use crate::eval::{Evaluation, NodeValue, Severity};
use crate::lang::Lang;
use crate::model::{Kind, Node};

/// What a card needs to draw itself.
pub struct CardContext<'a> {
    /// The node.
    pub node: &'a Node,
    /// Its evaluated values, once an evaluation has arrived.
    pub value: Option<&'a NodeValue>,
    /// The whole evaluation, for the node's diagnostics.
    pub eval: Option<&'a Evaluation>,
    /// UI language.
    pub lang: Lang,
    /// Analysis marks: bottleneck rank, what-if override.
    pub mark: Mark,
    /// Show amounts in 円 as 万円 / 億円.
    pub compact_yen: bool,
}

/// What analysis says about a card.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Mark {
    /// 1–3 when the node is one of its goal's top three bottlenecks.
    pub bottleneck: Option<usize>,
    /// The active what-if scenario overrides the node's values.
    pub overridden: bool,
}

/// Analysis marks of every card that has one.
pub type Marks = rustc_hash::FxHashMap<crate::model::NodeId, Mark>;

/// The colour of a kind.
pub fn kind_color(kind: Kind) -> Color32 {
    match kind {
        Kind::Kgi => Color32::from_rgb(196, 62, 48),
        Kind::Ksf => Color32::from_rgb(214, 140, 30),
        Kind::Kpi => Color32::from_rgb(38, 110, 190),
    }
}

/// Green at or above 100 %, amber at or above 80 %, red below.
pub fn progress_color(progress: f64) -> Color32 {
    if progress >= 1.0 {
        Color32::from_rgb(46, 160, 67)
    } else if progress >= 0.8 {
        Color32::from_rgb(222, 160, 20)
    } else {
        Color32::from_rgb(210, 60, 50)
    }
}

/// The card's frame: white, with a border in the kind's colour; thicker and
/// highlighted when selected.
pub fn frame(default: egui::Frame, kind: Kind, selected: bool) -> egui::Frame {
    let (width, color) = if selected { (3.0, Color32::from_rgb(255, 170, 0)) } else { (1.5, kind_color(kind)) };
    default
        .fill(if kind == Kind::Ksf { Color32::from_rgb(255, 250, 240) } else { Color32::WHITE })
        .stroke(Stroke::new(width, color))
        .corner_radius(CornerRadius::same(6))
}

/// The white-on-colour `KGI` / `KSF` / `KPI` tag.
fn kind_badge(ui: &mut Ui, kind: Kind) {
    let badge = egui::Frame::new()
        .fill(kind_color(kind))
        .corner_radius(CornerRadius::same(3))
        .inner_margin(egui::Margin::symmetric(4, 1));
    badge.show(ui, |ui| {
        ui.label(RichText::new(kind.as_str()).color(Color32::WHITE).strong().size(11.0));
    });
}

/// Kind badge, name, "=" for computed nodes, diagnostics badge.
pub fn header_ui(ui: &mut Ui, cx: &CardContext<'_>) {
    ui.set_width(super::canvas::CARD_WIDTH);
    ui.horizontal(|ui| {
        kind_badge(ui, cx.node.kind);
        if cx.value.is_some_and(|v| v.computed) {
            ui.label(RichText::new("=").strong().color(Color32::from_gray(80)))
                .on_hover_text(T::ComputedHint.get(cx.lang));
        }
        let name = if cx.node.name.trim().is_empty() { cx.node.id.as_str() } else { cx.node.name.as_str() };
        ui.add(egui::Label::new(RichText::new(name).strong().color(Color32::from_gray(20))).truncate())
            .on_hover_text(name);
        diagnostics_badge(ui, cx);
        marks_ui(ui, cx);
    });
}

/// The header while the name is being edited in place: Enter keeps the
/// text, Escape or clicking elsewhere cancels. Returns `Some(keep)` when done.
pub fn rename_ui(ui: &mut Ui, cx: &CardContext<'_>, text: &mut String) -> Option<bool> {
    ui.set_width(super::canvas::CARD_WIDTH);
    let response = ui
        .horizontal(|ui| {
            kind_badge(ui, cx.node.kind);
            ui.add(egui::TextEdit::singleline(text).desired_width(f32::INFINITY).id_salt("kpitree-rename"))
        })
        .inner;
    if !response.has_focus() && !response.lost_focus() {
        response.request_focus();
    }
    if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
        return Some(false);
    }
    if response.lost_focus() {
        return Some(ui.input(|i| i.key_pressed(egui::Key::Enter)));
    }
    None
}

fn diagnostics_badge(ui: &mut Ui, cx: &CardContext<'_>) {
    let Some(eval) = cx.eval else { return };
    let mine: Vec<_> = eval.diagnostics_of(&cx.node.id).filter(|d| d.severity() != Severity::Info).collect();
    if mine.is_empty() {
        return;
    }
    let errors = mine.iter().filter(|d| d.severity() == Severity::Error).count();
    let color = if errors > 0 { Color32::from_rgb(200, 40, 40) } else { Color32::from_rgb(210, 150, 0) };
    let text = format!("{} {}", if errors > 0 { "✖" } else { "⚠" }, mine.len());
    let tip: Vec<String> = mine.iter().map(|d| format!("• {}", d.message(cx.lang))).collect();
    ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
        ui.label(RichText::new(text).color(color).strong().size(12.0)).on_hover_text(tip.join("\n"));
    });
}

/// Unit, target, actual and the progress bar; KSFs show their owner only.
pub fn body_ui(ui: &mut Ui, cx: &CardContext<'_>) {
    ui.set_width(super::canvas::CARD_WIDTH - 24.0);
    let node = cx.node;
    if node.kind == Kind::Ksf {
        if let Some(owner) = node.owner.as_deref().filter(|o| !o.is_empty()) {
            ui.label(RichText::new(owner).size(11.0).color(Color32::from_gray(90)));
        }
        return;
    }
    let unit = node.unit_str();
    let value = cx.value.copied().unwrap_or_default();
    let row = |ui: &mut Ui, label: T, v: Option<f64>| {
        let text = v.map_or_else(|| "—".to_owned(), |x| crate::eval::format_amount(x, unit, cx.compact_yen));
        let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), 18.0), egui::Sense::hover());
        let painter = ui.painter();
        let small = egui::FontId::proportional(11.0);
        painter.text(rect.left_center(), egui::Align2::LEFT_CENTER, label.get(cx.lang), small, Color32::from_gray(110));
        let big = egui::FontId::proportional(13.5);
        painter.text(rect.right_center(), egui::Align2::RIGHT_CENTER, text.trim_end(), big, Color32::from_gray(25));
    };
    let (target, actual) = if cx.value.is_some() { (value.target, value.actual) } else { (node.target, node.actual) };
    ui.vertical(|ui| {
        row(ui, T::Target, target);
        row(ui, T::Actual, actual);
        progress_bar(ui, value.progress);
    });
}

fn progress_bar(ui: &mut Ui, progress: Option<f64>) {
    let (rect, _) = ui.allocate_exact_size(vec2(ui.available_width(), 14.0), egui::Sense::hover());
    let painter = ui.painter();
    painter.rect_filled(rect, 3.0, Color32::from_gray(232));
    let Some(p) = progress else { return };
    let fill = rect.with_max_x(rect.min.x + rect.width() * p.clamp(0.0, 1.0) as f32);
    painter.rect_filled(fill, 3.0, progress_color(p));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        format!("{:.0}%", p * 100.0),
        egui::FontId::proportional(10.5),
        Color32::from_gray(20),
    );
}

/// A flame with the rank for a top-three bottleneck, a pencil for a value
/// overridden by the active what-if scenario.
fn marks_ui(ui: &mut Ui, cx: &CardContext<'_>) {
    if let Some(rank) = cx.mark.bottleneck {
        let text = RichText::new(format!("▲{rank}"))
            .strong()
            .color(Color32::WHITE)
            .background_color(Color32::from_rgb(200, 80, 20));
        ui.label(text).on_hover_text(T::BottleneckMark.get(cx.lang));
    }
    if cx.mark.overridden {
        let text = RichText::new("✎").strong().color(Color32::from_rgb(120, 60, 170));
        ui.label(text).on_hover_text(T::OverriddenMark.get(cx.lang));
    }
}
