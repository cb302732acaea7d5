//! A chart laid out into a [`Figure`]: the title, the legend, the names'
//! column and the bars on an axis that fits them.

use super::{Anchor, Chart, ChartKind, Figure, Mark, Tone};
use crate::export::measure::Measure;
use crate::export::palette;

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
