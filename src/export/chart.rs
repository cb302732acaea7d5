//! The charts that explain a gap: the waterfall (差異分析, a goal's target
//! stepping through each leaf's part to its actual), the tornado (each
//! input ± x %) and the scenarios side by side.
//!
//! A [`Chart`] is built from the analysis, then laid out once into a
//! [`Figure`] — rectangles, lines and measured text in picture pixels —
//! which the SVG writer and the editor's painter both draw, so the chart on
//! the screen is the one in the slide.

use std::fmt::Write;

use super::measure::Measure;
use super::palette::{self, Rgb, hex};
use super::svg::{esc, text as svg_text};
use super::{ExportError, FONT_FAMILY, Rgba, raster};
use crate::eval::attribution::{Attribution, Method};
use crate::eval::compare::Comparison;
use crate::eval::sensitivity::Sensitivity;
use crate::format::{amount, percent, signed_amount, signed_percent};
use crate::lang::Lang;
use crate::model::{Document, NodeId};

/// The most rows a chart draws; the smaller parts are summed in one row.
pub const MAX_ROWS: usize = 15;

/// Which chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// The gap's parts from target to actual.
    Waterfall,
    /// The goal with each input x % lower and higher.
    Tornado,
    /// Every scenario's change to the goals and the nodes it sets.
    Scenarios,
}

impl ChartKind {
    /// Parses `waterfall`, `tornado` or `scenarios`.
    pub fn parse(s: &str) -> Option<ChartKind> {
        match s {
            "waterfall" => Some(ChartKind::Waterfall),
            "tornado" => Some(ChartKind::Tornado),
            "scenarios" => Some(ChartKind::Scenarios),
            _ => None,
        }
    }
}

/// What a bar means, which gives its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// A total: the target or the actual of the goal.
    Total,
    /// A part that raises the goal.
    Up,
    /// A part that lowers it.
    Down,
    /// The goal with the input lower.
    Low,
    /// The goal with the input higher.
    High,
    /// The n-th scenario.
    Series(usize),
}

impl Tone {
    /// The bar's colour.
    pub fn colour(self) -> Rgb {
        match self {
            Tone::Total => palette::MUTED,
            Tone::Up => palette::progress(1.0),
            Tone::Down => palette::progress(0.0),
            Tone::Low => palette::CHART_LOW,
            Tone::High => palette::CHART_HIGH,
            Tone::Series(i) => palette::SERIES[i % palette::SERIES.len()],
        }
    }
}

/// One bar: from one value to another on the chart's axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Where it starts.
    pub from: f64,
    /// Where it ends.
    pub to: f64,
    /// Its colour.
    pub tone: Tone,
    /// The value written beside it.
    pub label: String,
}

/// One row: a name and its bars (one, or one per scenario).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The name on the left.
    pub name: String,
    /// The node the row is about (none for a total or 「その他」).
    pub node: Option<NodeId>,
    /// The bars, top to bottom.
    pub bars: Vec<Bar>,
}

/// A chart before layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Which chart.
    pub kind: ChartKind,
    /// The heading.
    pub title: String,
    /// The line under it (the goal, the method, the unit).
    pub subtitle: String,
    /// The rows, top to bottom.
    pub rows: Vec<Row>,
    /// A vertical line across every row (the tornado's base value).
    pub reference: Option<f64>,
    /// Names of the series (scenarios), for the legend.
    pub legend: Vec<(String, Tone)>,
}

fn name_of(doc: &Document, id: &NodeId) -> String {
    doc.node(id).map_or_else(|| id.to_string(), |n| n.name.clone())
}

fn unit_of(doc: &Document, id: &NodeId) -> String {
    doc.node(id).map_or("", |n| n.unit_str()).to_owned()
}

impl Chart {
    /// The waterfall of one goal's attribution: the target, each part (the
    /// largest [`MAX_ROWS`] − 2, the rest as one), the actual.
    pub fn waterfall(doc: &Document, a: &Attribution, method: Method, lang: Lang) -> Chart {
        let unit = unit_of(doc, &a.goal);
        let goal = name_of(doc, &a.goal);
        let mut rows = vec![Row {
            node: None,
            name: lang.pick("目標", "Target").to_owned(),
            bars: vec![Bar { from: 0.0, to: a.target, tone: Tone::Total, label: amount(Some(a.target), &unit) }],
        }];
        let keep = MAX_ROWS.saturating_sub(3).max(1);
        let mut at = a.target;
        let mut step = |node: Option<NodeId>, name: String, c: f64| {
            let tone = if c < 0.0 { Tone::Down } else { Tone::Up };
            let bars = vec![Bar { from: at, to: at + c, tone, label: signed_amount(c, &unit) }];
            rows.push(Row { node, name, bars });
            at += c;
        };
        let (shown, rest) = a.contributions.split_at(a.contributions.len().min(keep));
        for c in shown {
            step(Some(c.node.clone()), name_of(doc, &c.node), c.contribution);
        }
        if !rest.is_empty() {
            let sum = rest.iter().map(|c| c.contribution).sum();
            let name = lang.pick(&format!("その他 {} 件", rest.len()), &format!("{} others", rest.len())).to_owned();
            step(None, name, sum);
        }
        rows.push(Row {
            node: None,
            name: lang.pick("実績", "Actual").to_owned(),
            bars: vec![Bar { from: 0.0, to: a.actual, tone: Tone::Total, label: amount(Some(a.actual), &unit) }],
        });
        let method = method.label(lang);
        let periods = a.periods.map_or_else(String::new, |[from, to]| {
            if from == to { format!(", {from}") } else { format!(", {from}〜{to}") }
        });
        Chart {
            kind: ChartKind::Waterfall,
            title: lang.pick(&format!("{goal} の差異分析"), &format!("{goal}: where the gap came from")).to_owned(),
            subtitle: lang
                .pick(
                    &format!("差 {} ({method}{periods})", signed_amount(a.gap, &unit)),
                    &format!("gap {} ({method}{periods})", signed_amount(a.gap, &unit)),
                )
                .to_owned(),
            rows,
            reference: None,
            legend: Vec::new(),
        }
    }

    /// The tornado of one goal: `list` is that goal's sensitivities, largest
    /// swing first (as [`crate::eval::analysis::Analyzer::sensitivity`] gives them).
    pub fn tornado(doc: &Document, list: &[Sensitivity], pct: f64, lang: Lang) -> Option<Chart> {
        let first = list.first()?;
        let unit = unit_of(doc, &first.goal);
        let base = first.base;
        let rows = list
            .iter()
            .filter(|s| s.goal == first.goal)
            .take(MAX_ROWS)
            .map(|s| {
                let mut bars = Vec::new();
                if let Some(low) = s.low {
                    bars.push(Bar { from: base, to: low, tone: Tone::Low, label: amount(Some(low), &unit) });
                }
                if let Some(high) = s.high {
                    bars.push(Bar { from: base, to: high, tone: Tone::High, label: amount(Some(high), &unit) });
                }
                Row { node: Some(s.node.clone()), name: name_of(doc, &s.node), bars }
            })
            .collect();
        let goal = name_of(doc, &first.goal);
        let step = percent(pct / 100.0, 0);
        Some(Chart {
            kind: ChartKind::Tornado,
            title: lang.pick(&format!("{goal} の感度"), &format!("{goal}: sensitivity")).to_owned(),
            subtitle: lang
                .pick(
                    &format!("各 KPI を -{step} / +{step} 動かしたとき (現在 {})", amount(Some(base), &unit)),
                    &format!("each KPI -{step} / +{step} (now {})", amount(Some(base), &unit)),
                )
                .to_owned(),
            rows,
            reference: Some(base),
            legend: vec![(format!("-{step}"), Tone::Low), (format!("+{step}"), Tone::High)],
        })
    }

    /// The scenarios: for each goal and node a scenario sets, the change of
    /// its actual from the base in each scenario, in percent.
    pub fn scenarios(doc: &Document, c: &Comparison, lang: Lang) -> Option<Chart> {
        if c.names.is_empty() {
            return None;
        }
        let rows = c
            .rows
            .iter()
            .take(MAX_ROWS)
            .map(|r| Row {
                node: Some(r.node.clone()),
                name: name_of(doc, &r.node),
                bars: r
                    .scenarios
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let change = match (v[1], r.base[1]) {
                            (Some(a), Some(b)) if b != 0.0 => Some((a - b) / b),
                            _ => None,
                        };
                        let label = change.map_or_else(|| "—".to_owned(), |x| signed_percent(x, 1));
                        let to = change.unwrap_or(0.0) * 100.0;
                        Bar { from: 0.0, to: if to.is_finite() { to } else { 0.0 }, tone: Tone::Series(i), label }
                    })
                    .collect(),
            })
            .collect();
        Some(Chart {
            kind: ChartKind::Scenarios,
            title: lang.pick("シナリオの比較", "Scenarios compared").to_owned(),
            subtitle: lang.pick("実績の基準からの変化 (%)", "change of the actual from the base (%)").to_owned(),
            rows,
            reference: Some(0.0),
            legend: c.names.iter().enumerate().map(|(i, n)| (n.clone(), Tone::Series(i))).collect(),
        })
    }
}

/// How text is anchored at its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The point is the text's left end.
    Start,
    /// Its middle.
    Middle,
    /// Its right end.
    End,
}

/// One thing the chart draws, in picture pixels (y down). Text positions
/// are the vertical centre of the line.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A filled rectangle `[x0, y0, x1, y1]`.
    Rect {
        /// The corners.
        rect: [f64; 4],
        /// The fill.
        fill: Rgb,
    },
    /// A straight line.
    Line {
        /// One end.
        from: [f64; 2],
        /// The other.
        to: [f64; 2],
        /// Its colour.
        stroke: Rgb,
        /// Dashed (the waterfall's steps).
        dashed: bool,
    },
    /// A line of text.
    Text {
        /// Where (see [`Anchor`]); y is the line's centre.
        at: [f64; 2],
        /// Pixel size.
        size: f64,
        /// Bold.
        bold: bool,
        /// Colour.
        fill: Rgb,
        /// Anchoring.
        anchor: Anchor,
        /// The text (already cut to fit).
        text: String,
    },
}

/// A laid-out chart: its size and what it draws, back to front.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// Width and height in pixels.
    pub size: [f64; 2],
    /// The marks.
    pub marks: Vec<Mark>,
    /// Each row's band across the picture `[x0, y0, x1, y1]` and its node:
    /// what a pointer over the chart is over.
    pub rows: Vec<([f64; 4], Option<NodeId>)>,
}

/// Layout sizes.
const MARGIN: f64 = 24.0;
const TITLE: f64 = 20.0;
const SUBTITLE: f64 = 13.0;
const LABEL: f64 = 13.0;
const VALUE: f64 = 12.0;
const BAR: f64 = 16.0;
const SERIES_BAR: f64 = 11.0;
const ROW_GAP: f64 = 10.0;
const NAME_MAX: f64 = 220.0;
const GAP: f64 = 12.0;
/// Room for a value label beside a bar.
const VALUE_ROOM: f64 = 96.0;

impl Chart {
    /// Lays the chart out `width` pixels wide (at least 480).
    pub fn layout(&self, width: f64) -> Figure {
        let width = width.max(480.0);
        let m = Measure::get();
        let mut marks = Vec::new();
        let mut y = MARGIN;
        let line = |text: &str, size: f64, bold: bool, room: f64| -> String {
            m.wrap(text, size, bold, room, 1).into_iter().next().unwrap_or_default()
        };
        let room = width - 2.0 * MARGIN;
        marks.push(Mark::Text {
            at: [MARGIN, y + TITLE / 2.0],
            size: TITLE,
            bold: true,
            fill: palette::INK,
            anchor: Anchor::Start,
            text: line(&self.title, TITLE, true, room),
        });
        y += TITLE + 8.0;
        marks.push(Mark::Text {
            at: [MARGIN, y + SUBTITLE / 2.0],
            size: SUBTITLE,
            bold: false,
            fill: palette::MUTED,
            anchor: Anchor::Start,
            text: line(&self.subtitle, SUBTITLE, false, room),
        });
        y += SUBTITLE + 8.0;
        // The legend, one line.
        if !self.legend.is_empty() {
            let mut x = MARGIN;
            for (name, tone) in &self.legend {
                let label = line(name, VALUE, false, 160.0);
                marks.push(Mark::Rect { rect: [x, y + 2.0, x + 12.0, y + 14.0], fill: tone.colour() });
                marks.push(Mark::Text {
                    at: [x + 18.0, y + 8.0],
                    size: VALUE,
                    bold: false,
                    fill: palette::INK,
                    anchor: Anchor::Start,
                    text: label.clone(),
                });
                x += 18.0 + m.width(&label, VALUE, false) + 18.0;
            }
            y += 16.0 + 6.0;
        }
        y += 8.0;
        // The names' column: as wide as the widest name, within bounds.
        let names: Vec<String> = self.rows.iter().map(|r| line(&r.name, LABEL, false, NAME_MAX)).collect();
        let name_w = names.iter().map(|n| m.width(n, LABEL, false)).fold(0.0, f64::max).min(NAME_MAX);
        let plot = [MARGIN + name_w + GAP + VALUE_ROOM, width - MARGIN - VALUE_ROOM];
        let (lo, hi) = self.range();
        let x_of = |v: f64| (plot[0] + (v - lo) / (hi - lo) * (plot[1] - plot[0])).clamp(plot[0], plot[1]);
        // The scenarios' bars one under another; a tornado's two on one
        // line, on either side of the base.
        let stacked = self.kind == ChartKind::Scenarios;
        let bar_h = if stacked { SERIES_BAR } else { BAR };
        let top = y;
        let mut previous_end: Option<(f64, f64)> = None;
        let mut bands = Vec::with_capacity(self.rows.len());
        for (row, name) in self.rows.iter().zip(names) {
            let lines = if stacked { row.bars.len().max(1) } else { 1 };
            let h = bar_h * lines as f64;
            let mid = y + h / 2.0;
            bands.push(([MARGIN, y - ROW_GAP / 2.0, width - MARGIN, y + h + ROW_GAP / 2.0], row.node.clone()));
            marks.push(Mark::Text {
                at: [MARGIN + name_w, mid],
                size: LABEL,
                bold: false,
                fill: palette::INK,
                anchor: Anchor::End,
                text: name,
            });
            for (k, bar) in row.bars.iter().enumerate() {
                let y0 = y + if stacked { bar_h * k as f64 } else { 0.0 } + 1.0;
                let y1 = y0 + bar_h - 2.0;
                let (a, b) = (x_of(bar.from), x_of(bar.to));
                let (x0, x1) = (a.min(b), a.max(b).max(a.min(b) + 1.0));
                marks.push(Mark::Rect { rect: [x0, y0, x1, y1], fill: bar.tone.colour() });
                // A total cut by the axis: a break mark near its start.
                if bar.tone == Tone::Total && lo > bar.from.min(bar.to) {
                    let x = x0 + 10.0;
                    for dx in [0.0, 5.0] {
                        marks.push(Mark::Line {
                            from: [x + dx - 3.0, y1 + 1.0],
                            to: [x + dx + 3.0, y0 - 1.0],
                            stroke: [0xff, 0xff, 0xff],
                            dashed: false,
                        });
                    }
                }
                // The value beside the bar's far end.
                let (at, anchor) = if bar.to < bar.from {
                    ([x0 - 4.0, (y0 + y1) / 2.0], Anchor::End)
                } else {
                    ([x1 + 4.0, (y0 + y1) / 2.0], Anchor::Start)
                };
                marks.push(Mark::Text {
                    at,
                    size: VALUE,
                    bold: bar.tone == Tone::Total,
                    fill: palette::INK,
                    anchor,
                    text: bar.label.clone(),
                });
            }
            // The waterfall's step: a dashed line from one bar's end to the next bar's row.
            if self.kind == ChartKind::Waterfall
                && let Some(bar) = row.bars.first()
            {
                if let Some((x, y_prev)) = previous_end {
                    marks.push(Mark::Line { from: [x, y_prev], to: [x, y + 1.0], stroke: palette::WIRE, dashed: true });
                }
                previous_end = Some((x_of(bar.to), y + h - 1.0));
            }
            y += h + ROW_GAP;
        }
        if let Some(r) = self.reference {
            let x = x_of(r);
            marks.push(Mark::Line {
                from: [x, top - 4.0],
                to: [x, y - ROW_GAP + 4.0],
                stroke: palette::INK,
                dashed: false,
            });
        }
        Figure { size: [width, (y - ROW_GAP + MARGIN).ceil()], marks, rows: bands }
    }

    /// The values the axis spans, never empty: every bar's ends and the
    /// reference, a little wider. The scenarios' axis holds zero; the
    /// waterfall's too unless its steps would be slivers (a gap of a few
    /// percent of the totals), when it starts below the lowest step and its
    /// totals are drawn cut; the tornado's spans its bars only.
    fn range(&self) -> (f64, f64) {
        let ends = || self.rows.iter().flat_map(|r| r.bars.iter().flat_map(|b| [b.from, b.to]));
        let fold = |it: &mut dyn Iterator<Item = f64>| {
            it.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), v| (l.min(v), h.max(v)))
        };
        let (mut lo, mut hi) = match self.kind {
            ChartKind::Scenarios => fold(&mut ends().chain(self.reference).chain([0.0])),
            ChartKind::Tornado => fold(&mut ends().chain(self.reference)),
            ChartKind::Waterfall => {
                let (lo, hi) = fold(&mut ends().chain([0.0]));
                // The steps: every end that is not a total's zero.
                let (step_lo, step_hi) = fold(
                    &mut self
                        .rows
                        .iter()
                        .flat_map(|r| r.bars.iter())
                        .flat_map(|b| if b.tone == Tone::Total { vec![b.to] } else { vec![b.from, b.to] }),
                );
                let steps = step_hi - step_lo;
                if step_lo > 0.0 && steps < 0.25 * step_hi {
                    ((step_lo - steps.max(step_hi * 0.02)).max(0.0), hi)
                } else if step_hi < 0.0 && steps < 0.25 * -step_lo {
                    (lo, (step_hi + steps.max(-step_lo * 0.02)).min(0.0))
                } else {
                    (lo, hi)
                }
            }
        };
        if !(lo.is_finite() && hi.is_finite()) {
            (lo, hi) = (0.0, 1.0);
        }
        let pad = (hi - lo) * 0.04;
        if self.kind == ChartKind::Tornado {
            (lo, hi) = (lo - pad, hi + pad);
        }
        if hi - lo > 0.0 { (lo, hi) } else { (lo - 1.0, hi + 1.0) }
    }
}

impl Figure {
    /// The figure as SVG text, on white.
    pub fn to_svg(&self, title: &str) -> String {
        let [w, h] = self.size;
        let mut out = String::with_capacity(256 + self.marks.len() * 120);
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="{FONT_FAMILY}, sans-serif">"#
        );
        let _ = writeln!(out, "<title>{}</title>", esc(title));
        let _ = writeln!(out, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
        let measure = Measure::get();
        for mark in &self.marks {
            match mark {
                Mark::Rect { rect: [x0, y0, x1, y1], fill } => {
                    let _ = writeln!(
                        out,
                        r#"<rect x="{x0:.1}" y="{y0:.1}" width="{:.1}" height="{:.1}" fill="{}"/>"#,
                        x1 - x0,
                        y1 - y0,
                        hex(*fill)
                    );
                }
                Mark::Line { from: [x0, y0], to: [x1, y1], stroke, dashed } => {
                    let dash = if *dashed { r#" stroke-dasharray="3 3""# } else { "" };
                    let _ = writeln!(
                        out,
                        r#"<line x1="{x0:.1}" y1="{y0:.1}" x2="{x1:.1}" y2="{y1:.1}" stroke="{}" stroke-width="1"{dash}/>"#,
                        hex(*stroke)
                    );
                }
                Mark::Text { at: [x, y], size, bold, fill, anchor, text } => {
                    let anchor = match anchor {
                        Anchor::Start => "start",
                        Anchor::Middle => "middle",
                        Anchor::End => "end",
                    };
                    let baseline = y + measure.baseline_below_centre(*size, *bold);
                    svg_text(&mut out, [*x, baseline], *size, *bold, &hex(*fill), anchor, text);
                }
            }
        }
        out.push_str("</svg>\n");
        out
    }

    /// The figure as pixels at `scale` (1 to 4).
    pub fn to_rgba(&self, title: &str, scale: f32) -> Result<Rgba, ExportError> {
        if !super::SCALE_RANGE.contains(&scale) || !scale.is_finite() {
            return Err(ExportError::Scale(scale));
        }
        raster::render(&self.to_svg(title), scale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::attribution::Contribution;

    fn id(s: &str) -> NodeId {
        NodeId::from(s)
    }

    fn doc() -> Document {
        crate::io::from_str(
            r#"{"format":"kpitree","version":1,"nodes":[
                {"id":"s","name":"売上","kind":"KGI","unit":"万円","target":12000,"actual":7200},
                {"id":"c","name":"顧客数","kind":"KPI","unit":"社","target":120,"actual":80},
                {"id":"p","name":"客単価","kind":"KPI","unit":"万円","target":100,"actual":90}],
              "edges":[{"parent":"s","child":"c","op":"*"},{"parent":"s","child":"p","op":"*"}]}"#,
            "t",
        )
        .unwrap()
    }

    #[test]
    fn the_waterfall_steps_from_the_target_through_each_part_to_the_actual() {
        let a = Attribution {
            goal: id("s"),
            target: 12000.0,
            actual: 7200.0,
            gap: -4800.0,
            contributions: vec![
                Contribution { node: id("c"), contribution: -3800.0 },
                Contribution { node: id("p"), contribution: -1000.0 },
            ],
            periods: None,
        };
        let chart = Chart::waterfall(&doc(), &a, Method::Shapley, Lang::Ja);
        let names: Vec<&str> = chart.rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["目標", "顧客数", "客単価", "実績"]);
        let ends: Vec<(f64, f64)> = chart.rows.iter().map(|r| (r.bars[0].from, r.bars[0].to)).collect();
        assert_eq!(ends, [(0.0, 12000.0), (12000.0, 8200.0), (8200.0, 7200.0), (0.0, 7200.0)]);
        assert_eq!(chart.rows[1].bars[0].tone, Tone::Down);
        assert_eq!(chart.rows[1].bars[0].label, "-3,800 万円");
        assert_eq!(chart.rows[3].bars[0].label, "7,200 万円");
    }

    #[test]
    fn a_waterfall_of_many_parts_sums_the_small_ones_in_one_row() {
        let contributions: Vec<Contribution> =
            (0..40).map(|i| Contribution { node: id("c"), contribution: -(40 - i) as f64 }).collect();
        let gap: f64 = contributions.iter().map(|c| c.contribution).sum();
        let a =
            Attribution { goal: id("s"), target: 12000.0, actual: 12000.0 + gap, gap, contributions, periods: None };
        let chart = Chart::waterfall(&doc(), &a, Method::Shapley, Lang::En);
        assert_eq!(chart.rows.len(), MAX_ROWS);
        let others = &chart.rows[MAX_ROWS - 2];
        assert_eq!(others.name, "28 others");
        // The last step still ends at the actual.
        assert_eq!(others.bars[0].to, 12000.0 + gap);
        assert_eq!(chart.rows[MAX_ROWS - 1].bars[0].to, 12000.0 + gap);
    }

    #[test]
    fn the_layout_puts_every_bar_inside_the_picture_and_in_its_rows_order() {
        let s = |node: &str, low, high| Sensitivity {
            goal: id("s"),
            node: id(node),
            base: 7200.0,
            low: Some(low),
            high: Some(high),
            elasticity: Some(1.0),
        };
        let chart = Chart::tornado(&doc(), &[s("c", 6480.0, 7920.0), s("p", 6800.0, 7600.0)], 10.0, Lang::Ja).unwrap();
        let fig = chart.layout(800.0);
        let rects: Vec<[f64; 4]> =
            fig.marks.iter().filter_map(|m| if let Mark::Rect { rect, .. } = m { Some(*rect) } else { None }).collect();
        // Two legend swatches, then two bars per row.
        assert_eq!(rects.len(), 6);
        for r in &rects {
            assert!(
                r[0] >= 0.0 && r[2] <= fig.size[0] && r[1] >= 0.0 && r[3] <= fig.size[1],
                "{r:?} in {:?}",
                fig.size
            );
        }
        // The wider swing is on top, and longer.
        let (first, second) = (rects[2][2] - rects[2][0], rects[4][2] - rects[4][0]);
        assert!(rects[2][1] < rects[4][1]);
        assert!(first > second, "{first} > {second}");
        let svg = fig.to_svg(&chart.title);
        assert!(svg.contains("顧客数") && svg.contains("7,920 万円"), "{svg}");
        let png = fig.to_rgba(&chart.title, 1.0).unwrap();
        assert_eq!(png.width, 800);
    }
}
