//! A laid-out chart ([`Figure`]): rectangles, lines and measured text in
//! picture pixels, written as SVG or drawn into pixels.

use std::fmt::Write;

use crate::export::measure::Measure;
use crate::export::palette::{Rgb, hex};
use crate::export::svg::{esc, text as svg_text};
use crate::export::{ExportError, FONT_FAMILY, Rgba, raster};
use crate::model::NodeId;

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
        if !crate::export::SCALE_RANGE.contains(&scale) || !scale.is_finite() {
            return Err(ExportError::Scale(scale));
        }
        raster::render(&self.to_svg(title), scale)
    }
}
