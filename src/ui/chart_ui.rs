//! The Analysis tab's charts: where the gap came from (waterfall), which
//! lever moves the goal most (tornado), and the scenarios side by side —
//! the pictures `kpitree analyze --chart` draws, laid out by the same
//! [`crate::export::chart`] code and painted here mark by mark, with a
//! button that copies the chart for a slide.

use egui::{Align2, Color32, CornerRadius, Pos2, Rect, Sense, Shape, Stroke, Ui, pos2, vec2};

use super::app::KpiApp;
use super::canvas::paint::font;
use super::i18n::T;
use crate::eval::Which;
use crate::eval::attribution::Method;
use crate::export::chart::{Anchor, Chart, Figure, Mark};
use crate::lang::Lang;
use crate::model::NodeId;
use crate::pipeline::derived::Derived;

/// Which view of the Analysis tab is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnalysisPage {
    /// Bottlenecks, what-if and pacing.
    #[default]
    Overview,
    /// The waterfall of the gap.
    Gap,
    /// The tornado.
    Levers,
    /// The scenarios compared.
    Scenarios,
}

impl AnalysisPage {
    const ALL: [AnalysisPage; 4] =
        [AnalysisPage::Overview, AnalysisPage::Gap, AnalysisPage::Levers, AnalysisPage::Scenarios];

    fn label(self) -> T {
        match self {
            AnalysisPage::Overview => T::AnalysisOverview,
            AnalysisPage::Gap => T::AnalysisGap,
            AnalysisPage::Levers => T::AnalysisLevers,
            AnalysisPage::Scenarios => T::AnalysisScenarios,
        }
    }

    fn hint(self) -> T {
        match self {
            AnalysisPage::Overview => T::AnalysisOverviewHint,
            AnalysisPage::Gap => T::AnalysisGapHint,
            AnalysisPage::Levers => T::AnalysisLeversHint,
            AnalysisPage::Scenarios => T::AnalysisScenariosHint,
        }
    }
}

fn rgb([r, g, b]: [u8; 3]) -> Color32 {
    Color32::from_rgb(r, g, b)
}

/// Paints `figure` at `origin`; returns the row under the pointer, if any.
fn paint_figure(ui: &Ui, figure: &Figure, origin: Pos2, hovered: Option<usize>) {
    let painter = ui.painter();
    let at = |[x, y]: [f64; 2]| pos2(origin.x + x as f32, origin.y + y as f32);
    painter.rect_filled(
        Rect::from_min_size(origin, vec2(figure.size[0] as f32, figure.size[1] as f32)),
        CornerRadius::same(4),
        Color32::WHITE,
    );
    if let Some((band, _)) = hovered.and_then(|k| figure.rows.get(k)) {
        let rect = Rect::from_min_max(at([band[0], band[1]]), at([band[2], band[3]]));
        painter.rect_filled(rect, CornerRadius::same(3), Color32::from_rgb(0xee, 0xf2, 0xf8));
    }
    for mark in &figure.marks {
        match mark {
            Mark::Rect { rect: [x0, y0, x1, y1], fill } => {
                painter.rect_filled(Rect::from_min_max(at([*x0, *y0]), at([*x1, *y1])), CornerRadius::ZERO, rgb(*fill));
            }
            Mark::Line { from, to, stroke, dashed } => {
                let stroke = Stroke::new(1.0, rgb(*stroke));
                if *dashed {
                    painter.extend(Shape::dashed_line(&[at(*from), at(*to)], stroke, 3.0, 3.0));
                } else {
                    painter.line_segment([at(*from), at(*to)], stroke);
                }
            }
            Mark::Text { at: p, size, bold, fill, anchor, text } => {
                let align = match anchor {
                    Anchor::Start => Align2::LEFT_CENTER,
                    Anchor::Middle => Align2::CENTER_CENTER,
                    Anchor::End => Align2::RIGHT_CENTER,
                };
                painter.text(at(*p), align, text, font(*size as f32, *bold), rgb(*fill));
            }
        }
    }
}

/// The chart of `page` for `goal` (or the first goal that has one), or the
/// sentence that says why there is none.
fn chart_of(derived: &Derived, page: AnalysisPage, goal: Option<&NodeId>, lang: Lang) -> Result<Chart, String> {
    let doc = &derived.effective;
    let e = &derived.explanation;
    let mine = |g: &NodeId| goal.is_none_or(|want| want == g);
    match page {
        AnalysisPage::Gap => {
            let list = e.attribution.as_ref().map_err(|x| x.message(lang))?;
            let a = list.iter().find(|a| mine(&a.goal)).or_else(|| list.first());
            a.map(|a| Chart::waterfall(doc, a, e.options.method, lang)).ok_or_else(|| T::NoAttribution.get(lang).into())
        }
        AnalysisPage::Levers => {
            let first = e.sensitivity.iter().find(|s| mine(&s.goal)).or_else(|| e.sensitivity.first());
            let list: Vec<_> =
                first.map(|f| e.sensitivity.iter().filter(|s| s.goal == f.goal).cloned().collect()).unwrap_or_default();
            Chart::tornado(doc, &list, e.options.percent, lang).ok_or_else(|| T::NoSensitivity.get(lang).into())
        }
        _ => Chart::scenarios(doc, &e.comparison, lang).ok_or_else(|| T::NoScenariosToCompare.get(lang).into()),
    }
}

impl KpiApp {
    /// The row of pages at the top of the Analysis tab.
    pub(super) fn analysis_pages_ui(&mut self, ui: &mut Ui, lang: Lang) {
        ui.horizontal(|ui| {
            for page in AnalysisPage::ALL {
                ui.selectable_value(&mut self.analysis.page, page, page.label().get(lang))
                    .on_hover_text(page.hint().get(lang));
            }
        });
    }

    /// A chart page of the Analysis tab; returns a node to select (a row
    /// clicked).
    pub(super) fn chart_ui(&mut self, ui: &mut Ui, lang: Lang, derived: &Derived) -> Option<NodeId> {
        let page = self.analysis.page;
        let e = &derived.explanation;
        // The goals the page can be about.
        let goals: Vec<NodeId> = match page {
            AnalysisPage::Gap => e.attribution.iter().flatten().map(|a| a.goal.clone()).collect(),
            AnalysisPage::Levers => {
                let mut g: Vec<NodeId> = Vec::new();
                for s in &e.sensitivity {
                    if g.last() != Some(&s.goal) {
                        g.push(s.goal.clone());
                    }
                }
                g
            }
            _ => Vec::new(),
        };
        let chart = chart_of(derived, page, self.analysis.goal.as_ref(), lang);
        let mut copy = false;
        ui.horizontal_wrapped(|ui| {
            if goals.len() > 1 {
                let name = |id: &NodeId| derived.effective.node(id).map_or_else(|| id.to_string(), |n| n.name.clone());
                let shown =
                    self.analysis.goal.clone().filter(|g| goals.contains(g)).unwrap_or_else(|| goals[0].clone());
                egui::ComboBox::from_id_salt("kpitree-chart-goal")
                    .selected_text(format!("{}: {}", T::Goal.get(lang), name(&shown)))
                    .show_ui(ui, |ui| {
                        for g in &goals {
                            if ui.selectable_label(*g == shown, name(g)).clicked() {
                                self.analysis.goal = Some(g.clone());
                            }
                        }
                    });
            }
            let options = &mut self.analysis.explain;
            match page {
                AnalysisPage::Gap => {
                    ui.label(T::Method.get(lang));
                    for m in [Method::Shapley, Method::Lmdi, Method::Cost] {
                        ui.selectable_value(&mut options.method, m, m.label(lang))
                            .on_hover_text(method_hint(m).get(lang));
                    }
                }
                AnalysisPage::Levers => {
                    ui.label(T::SensitivityStep.get(lang));
                    ui.add(egui::DragValue::new(&mut options.percent).range(1.0..=50.0).speed(0.5).suffix(" %"));
                    ui.selectable_value(&mut options.which, Which::Actual, T::Actual.get(lang));
                    ui.selectable_value(&mut options.which, Which::Target, T::Target.get(lang));
                }
                _ => {}
            }
            ui.add_space(12.0);
            copy = ui.add_enabled(chart.is_ok(), egui::Button::new(T::CopyChart.get(lang))).clicked();
        });
        ui.add_space(4.0);
        let chart = match chart {
            Ok(c) => c,
            Err(why) => {
                ui.weak(why);
                self.analysis.rows.clear();
                return None;
            }
        };
        let figure = chart.layout(f64::from(ui.available_width().max(480.0)));
        if copy {
            match figure.to_rgba(&chart.title, 2.0) {
                Ok(px) => {
                    let image =
                        egui::ColorImage::from_rgba_unmultiplied([px.width as usize, px.height as usize], &px.pixels);
                    ui.ctx().copy_image(image);
                    self.files.status = Some((T::ChartCopied.get(lang).to_owned(), std::time::Instant::now()));
                }
                Err(e) => self.show_error(T::ExportFailed, e.to_string()),
            }
        }
        let mut picked = None;
        egui::ScrollArea::vertical().id_salt("kpitree-chart").auto_shrink([false, true]).show(ui, |ui| {
            let size = vec2(figure.size[0] as f32, figure.size[1] as f32);
            let (rect, response) = ui.allocate_exact_size(size, Sense::click());
            let row_at = |p: Pos2| {
                let (x, y) = (f64::from(p.x - rect.min.x), f64::from(p.y - rect.min.y));
                figure.rows.iter().position(|(b, _)| x >= b[0] && x <= b[2] && y >= b[1] && y <= b[3])
            };
            let hovered = response.hover_pos().and_then(row_at);
            self.analysis.rows = figure
                .rows
                .iter()
                .map(|(b, node)| {
                    let r = Rect::from_min_max(
                        rect.min + vec2(b[0] as f32, b[1] as f32),
                        rect.min + vec2(b[2] as f32, b[3] as f32),
                    );
                    (r, node.clone())
                })
                .collect();
            paint_figure(ui, &figure, rect.min, hovered);
            if let Some(node) = hovered.and_then(|k| figure.rows[k].1.as_ref()) {
                let response = response.on_hover_text(T::ChartRowHint.get(lang));
                if response.clicked() {
                    picked = Some(node.clone());
                }
            }
        });
        picked
    }
}

impl KpiApp {
    /// The rows of the chart on screen and the nodes they are about (tests).
    #[doc(hidden)]
    pub fn chart_rows(&self) -> Vec<(egui::Rect, Option<NodeId>)> {
        self.analysis.rows.clone()
    }

    /// The options the Analysis tab explains the gap with (tests).
    #[doc(hidden)]
    pub fn explain_options(&self) -> crate::eval::explain::ExplainOptions {
        self.analysis.explain
    }
}

fn method_hint(m: Method) -> T {
    match m {
        Method::Shapley => T::ShapleyHint,
        Method::Lmdi => T::LmdiHint,
        Method::Cost => T::CostHint,
    }
}
