//! Where everything sits inside a card: the kind row, the name lines, the
//! value rows, the progress bar with its figure, and the 「＋N」 pill of a
//! folded card. Written once, here; the canvas painter, the SVG writer (so
//! PNG and PDF) and the canvas's hit testing all read it.
//!
//! Positions are in diagram pixels from the card's top-left corner. Text is
//! placed by the centre line of its row: each renderer puts its glyphs'
//! em box on that line (egui centres the text, SVG sets the baseline from
//! the font's ascender and descender).

use super::diagram::Card;
use super::measure::{Measure, metrics as m};

/// The progress bar of a card and its figure (達成率).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// The track: x, y, width, height.
    pub rect: [f64; 4],
    /// The figure, as [`crate::format::percent`] writes it.
    pub figure: String,
    /// Where the figure ends on the right, and the centre line of its row.
    pub figure_at: [f64; 2],
}

/// The 「＋N」 pill beside a folded card: how many nodes it hides.
#[derive(Debug, Clone, PartialEq)]
pub struct Pill {
    /// x, y, width, height.
    pub rect: [f64; 4],
    /// `＋N`.
    pub text: String,
}

/// The inside of one card.
#[derive(Debug, Clone, PartialEq)]
pub struct CardLayout {
    /// Left and right edges of the content (after the coloured band and
    /// the padding).
    pub left: f64,
    /// See `left`.
    pub right: f64,
    /// Centre line of the kind row (KGI / KSF / KPI, with the marks at its
    /// right).
    pub kind_y: f64,
    /// Centre line of each name line.
    pub name_y: Vec<f64>,
    /// Where the value rows begin (a double click below edits the values).
    pub rows_top: f64,
    /// Centre line of each value row (label on the left, value on the right).
    pub row_y: Vec<f64>,
    /// The progress bar.
    pub bar: Option<Bar>,
    /// The 「＋N」 pill of a folded card, right of the card.
    pub pill: Option<Pill>,
    /// The trend line's box (values per period), at the card's foot.
    pub trend: Option<[f64; 4]>,
}

/// A card's trend line laid out in its box: polylines (broken where a
/// period has no value) for the targets and the actuals, the last actual,
/// and the period marked.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TrendLines {
    /// The target per period, as runs of points.
    pub target: Vec<Vec<[f64; 2]>>,
    /// The actual per period, as runs of points.
    pub actual: Vec<Vec<[f64; 2]>>,
    /// The latest actual.
    pub last: Option<[f64; 2]>,
    /// Where the marked period is, across.
    pub marked: Option<f64>,
    /// The x of each period.
    pub xs: Vec<f64>,
}

impl TrendLines {
    /// `trend` in the box `[x, y, w, h]`: periods evenly across, values
    /// from the lowest to the highest of both lines up the box.
    pub fn of(trend: &crate::eval::period::Trend, [x, y, w, h]: [f64; 4]) -> TrendLines {
        let n = trend.target.len().max(trend.actual.len());
        if n == 0 {
            return TrendLines::default();
        }
        let values = trend.target.iter().chain(&trend.actual).flatten().copied().filter(|v| v.is_finite());
        let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let xs: Vec<f64> =
            (0..n).map(|p| if n == 1 { x + w / 2.0 } else { x + w * p as f64 / (n - 1) as f64 }).collect();
        let to_y = |v: f64| {
            if hi > lo { y + h - (v - lo) / (hi - lo) * h } else { y + h / 2.0 }
        };
        let runs = |vals: &[Option<f64>]| {
            let mut out: Vec<Vec<[f64; 2]>> = Vec::new();
            let mut run = Vec::new();
            for (p, v) in vals.iter().enumerate() {
                match v.filter(|v| v.is_finite()) {
                    Some(v) => run.push([xs[p], to_y(v)]),
                    None if !run.is_empty() => out.push(std::mem::take(&mut run)),
                    None => {}
                }
            }
            if !run.is_empty() {
                out.push(run);
            }
            out
        };
        let actual = runs(&trend.actual);
        let last = actual.last().and_then(|r| r.last()).copied();
        TrendLines { target: runs(&trend.target), actual, last, marked: trend.marked.map(|p| xs[p]), xs }
    }

    /// The period nearest to `x` across the box.
    pub fn period_at(&self, x: f64) -> Option<usize> {
        self.xs.iter().enumerate().min_by(|(_, a), (_, b)| (*a - x).abs().total_cmp(&(*b - x).abs())).map(|(p, _)| p)
    }
}

/// Font size of the progress figure and the pill.
pub const FIGURE: f64 = m::ROW;
/// Space between the bar and its figure.
const FIGURE_GAP: f64 = 8.0;
/// The shortest bar; a longer figure is drawn smaller rather than shorten
/// the bar past it.
const MIN_BAR: f64 = 24.0;
/// Height of the kind row.
const KIND_ROW: f64 = 14.0;
/// Space above the value rows.
const ROWS_GAP: f64 = 4.0;
/// Distance of the pill from the card's right edge (clear of the wire
/// handle the canvas draws there).
pub const PILL_GAP: f64 = 20.0;

/// Padding inside a constant's pill, across (room for its round ends) and
/// down.
pub const CONSTANT_PAD_X: f64 = 14.0;
/// See [`CONSTANT_PAD_X`].
pub const CONSTANT_PAD_Y: f64 = 5.0;

impl CardLayout {
    /// The layout of `card` at its size.
    pub fn of(card: &Card) -> CardLayout {
        if card.constant {
            return CardLayout::constant(card);
        }
        let [_, _, w, _] = card.rect;
        let left = m::ACCENT + m::PAD_X;
        let right = w - m::PAD_X;
        let kind_y = m::PAD_Y - 2.0 + KIND_ROW / 2.0;
        let names_top = m::PAD_Y + KIND_ROW;
        let name_y = (0..card.name.len()).map(|k| names_top + m::NAME_LINE * (k as f64 + 0.5)).collect();
        let rows_top = names_top + m::NAME_LINE * card.name.len() as f64;
        let first_row = rows_top + ROWS_GAP;
        let row_y: Vec<f64> = (0..card.rows.len()).map(|k| first_row + m::ROW_LINE * (k as f64 + 0.5)).collect();
        let bar = card.progress.filter(|_| !card.rows.is_empty()).map(|p| {
            let figure = crate::format::percent(p, 0);
            let figure_w = Measure::get().width(&figure, FIGURE, true);
            let top = first_row + m::ROW_LINE * row_y.len() as f64 + 6.0;
            let bar_w = (right - left - FIGURE_GAP - figure_w).max(MIN_BAR);
            Bar { rect: [left, top, bar_w, 6.0], figure, figure_at: [right, top + 3.0] }
        });
        let pill = card.collapsed.map(|hidden| pill(card, hidden));
        let h = card.rect[3];
        let trend =
            card.trend.as_ref().map(|_| [left, h - m::PAD_Y - m::TREND_ROW + 6.0, right - left, m::TREND_ROW - 8.0]);
        CardLayout { left, right, kind_y, name_y, rows_top, row_y, bar, pill, trend }
    }

    /// A constant's pill: the name lines, then the number, centred (`left`
    /// and `right` are the edges of the text); no kind row, bar or trend.
    fn constant(card: &Card) -> CardLayout {
        let [_, _, w, _] = card.rect;
        let line = |k: usize| CONSTANT_PAD_Y + m::ROW_LINE * (k as f64 + 0.5);
        let name_y: Vec<f64> = (0..card.name.len()).map(line).collect();
        let rows_top = CONSTANT_PAD_Y + m::ROW_LINE * card.name.len() as f64;
        let row_y = (0..card.rows.len()).map(|k| line(card.name.len() + k)).collect();
        let pill = card.collapsed.map(|hidden| pill(card, hidden));
        CardLayout {
            left: CONSTANT_PAD_X,
            right: w - CONSTANT_PAD_X,
            kind_y: line(0),
            name_y,
            rows_top,
            row_y,
            bar: None,
            pill,
            trend: None,
        }
    }

    /// The centre of the text across a constant's pill.
    pub fn middle(&self) -> f64 {
        (self.left + self.right) / 2.0
    }

    /// The size the figure is drawn at so that it ends at `right` without
    /// reaching the bar (smaller than [`FIGURE`] only for figures too long
    /// for the card).
    pub fn figure_size(&self) -> f64 {
        let Some(bar) = &self.bar else { return FIGURE };
        let room = self.right - (bar.rect[0] + bar.rect[2]) - FIGURE_GAP;
        let width = Measure::get().width(&bar.figure, FIGURE, true);
        if width <= room || width <= 0.0 { FIGURE } else { (FIGURE * room / width).max(6.0) }
    }
}

/// The pill of a card that hides `hidden` nodes.
fn pill(card: &Card, hidden: usize) -> Pill {
    let text = format!("＋{hidden}");
    let [_, _, w, h] = card.rect;
    let width = Measure::get().width(&text, FIGURE, true) + 12.0;
    let height = FIGURE + 6.0;
    Pill { rect: [w + PILL_GAP, (h - height) / 2.0, width, height], text }
}

/// The right edge of a card's pill in diagram coordinates, when it has one
/// (the diagram's bounds reach it, so that no export cuts it off).
pub fn pill_right(card: &Card) -> Option<f64> {
    let hidden = card.collapsed?;
    let p = pill(card, hidden);
    Some(card.rect[0] + p.rect[0] + p.rect[2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::diagram::CardMarks;
    use crate::model::Kind;
    use std::sync::Arc;

    fn card(progress: f64) -> Card {
        Card {
            id: "a".into(),
            node: 0,
            kind: Kind::Kpi,
            rect: [0.0, 0.0, 150.0, 110.0],
            name: Arc::from(vec!["顧客数".to_owned()]),
            rows: Arc::from(vec![("目標".to_owned(), "30 社".to_owned()), ("実績".to_owned(), "= 17.5 件".to_owned())]),
            progress: Some(progress),
            depth: 0,
            has_children: true,
            collapsed: Some(12),
            marks: CardMarks::default(),
            trend: None,
            constant: false,
        }
    }

    #[test]
    fn a_long_figure_shortens_the_bar_and_never_overlaps_it() {
        for p in [0.58, 58.33, 1e60] {
            let c = card(p);
            let l = CardLayout::of(&c);
            let bar = l.bar.as_ref().unwrap();
            let figure_w = Measure::get().width(&bar.figure, l.figure_size(), true);
            let bar_end = bar.rect[0] + bar.rect[2];
            assert!(
                bar_end + 4.0 <= l.right - figure_w,
                "{p}: bar ends at {bar_end}, figure starts at {}",
                l.right - figure_w
            );
            assert!(bar.rect[2] >= MIN_BAR);
        }
    }

    #[test]
    fn the_rows_come_after_the_name_and_the_bar_after_the_rows() {
        let l = CardLayout::of(&card(0.5));
        assert!(l.kind_y < l.name_y[0] && l.name_y[0] < l.rows_top && l.rows_top < l.row_y[0]);
        assert!(l.row_y[1] < l.bar.as_ref().unwrap().rect[1]);
        assert!(l.bar.as_ref().unwrap().rect[1] + 6.0 <= 110.0 - m::PAD_Y);
    }

    #[test]
    fn a_folded_card_has_its_pill_right_of_it() {
        let c = card(0.5);
        let p = CardLayout::of(&c).pill.unwrap();
        assert_eq!(p.text, "＋12");
        assert!(p.rect[0] > c.rect[2]);
        assert_eq!(pill_right(&c), Some(p.rect[0] + p.rect[2]));
    }
}
