//! The charts that explain a gap: the waterfall (差異分析, a goal's target
//! stepping through each leaf's part to its actual), the tornado (each
//! input ± x %) and the scenarios side by side.
//!
//! A [`Chart`] is built from the analysis, then laid out once into a
//! [`Figure`] — rectangles, lines and measured text in picture pixels —
//! which the SVG writer and the editor's painter both draw, so the chart on
//! the screen is the one in the slide.
//!
//! This file holds what a chart is (rows of bars); `build` makes each chart
//! from its analysis, `layout` lays it out, and `figure` holds the laid-out
//! picture and writes it as SVG or pixels.

mod build;
mod figure;
mod layout;
#[cfg(test)]
mod tests;

pub use figure::{Anchor, Figure, Mark};

use super::palette::{self, Rgb};
use crate::model::NodeId;

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
