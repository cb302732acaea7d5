//! Drawing the wires on screen: each clipped to the screen before it is
//! drawn (dashes one by one), the operator badges on them and the wire
//! handle of a card, from which a new term is dragged out.

use egui::epaint::{PathShape, PathStroke};
use egui::{Align2, Color32, Painter, Pos2, Rect, Shape, Stroke, vec2};

use super::paint::{HANDLE_RADIUS, Lod, MIN_TEXT, colour, font, op_colour};
use crate::model::Op;

/// Draws a wire along `points` (screen pixels).
pub fn wire(painter: &Painter, points: Vec<Pos2>, op: Op, lod: Lod, highlighted: bool, faded_out: bool) {
    let (width, c) = match (highlighted, lod) {
        (true, _) => (2.5, colour::HOVER),
        (false, Lod::Overview) => (1.0, colour::WIRE.gamma_multiply(0.8)),
        _ => (1.6, colour::WIRE),
    };
    let c = if faded_out { c.gamma_multiply(0.3) } else { c };
    let stroke = Stroke::new(width, c);
    // Only what is on screen: a goal's wire to its last term can be a
    // million pixels long at 100 %, and dashes are drawn one by one.
    let clip = painter.clip_rect().expand(8.0);
    let (dash, gap) = (6.0, 4.0);
    for part in clip_polyline(&points, clip, if op == Op::Link { dash + gap } else { 0.0 }) {
        if op == Op::Link {
            painter.extend(Shape::dashed_line(&part, stroke, dash, gap));
        } else {
            painter.add(PathShape::line(part, PathStroke::from(stroke)));
        }
    }
}

/// The parts of the polyline `points` inside `clip`, each a polyline (a
/// line that leaves and comes back gives two). With `period` > 0 each part
/// starts a whole number of periods from the start of its segment, so that
/// dashes stay put while the view moves.
pub fn clip_polyline(points: &[Pos2], clip: Rect, period: f32) -> Vec<Vec<Pos2>> {
    let mut parts: Vec<Vec<Pos2>> = Vec::new();
    let mut open = false;
    for pair in points.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let Some((t0, t1)) = clip_segment(a, b, clip) else {
            open = false;
            continue;
        };
        let length = (b - a).length();
        let t0 = if period > 0.0 && t0 > 0.0 && length > 0.0 {
            ((t0 * length / period).floor() * period / length).max(0.0)
        } else {
            t0
        };
        let (start, end) = (a + (b - a) * t0, a + (b - a) * t1);
        match parts.last_mut() {
            Some(part) if open && t0 == 0.0 => part.push(end),
            _ => parts.push(vec![start, end]),
        }
        open = t1 == 1.0;
    }
    parts
}

/// Where the segment `a`→`b` is inside `r`, as parameters 0 ≤ t0 ≤ t1 ≤ 1
/// (Liang–Barsky); `None` when it misses.
fn clip_segment(a: Pos2, b: Pos2, r: Rect) -> Option<(f32, f32)> {
    let d = b - a;
    let (mut t0, mut t1) = (0.0_f32, 1.0_f32);
    for (p, q) in [(-d.x, a.x - r.min.x), (d.x, r.max.x - a.x), (-d.y, a.y - r.min.y), (d.y, r.max.y - a.y)] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}

/// Draws an operator badge at `centre`; `hot` when the pointer is on it.
pub fn badge(painter: &Painter, centre: Pos2, op: Op, zoom: f32, hot: bool) {
    let r = (9.5 * zoom).clamp(5.0, 14.0);
    let fill = if hot { Color32::from_rgb(255, 240, 200) } else { Color32::WHITE };
    painter.circle(centre, r, fill, Stroke::new(1.3, op_colour(op)));
    if r >= 7.0 {
        painter.text(centre, Align2::CENTER_CENTER, op.symbol(), font((r * 1.4).max(MIN_TEXT), true), op_colour(op));
    }
}

/// The wire handle of a hovered or selected card: drag it to a card to add
/// that card as a term.
pub fn handle(painter: &Painter, centre: Pos2, hot: bool) {
    let c = if hot { colour::SELECTION } else { colour::HOVER };
    painter.circle(centre, HANDLE_RADIUS, Color32::WHITE, Stroke::new(2.0, c));
    let arm = HANDLE_RADIUS * 0.5;
    painter.line_segment([centre - vec2(arm, 0.0), centre + vec2(arm, 0.0)], Stroke::new(1.8, c));
    painter.line_segment([centre - vec2(0.0, arm), centre + vec2(0.0, arm)], Stroke::new(1.8, c));
}

#[cfg(test)]
mod tests {
    use super::clip_polyline;
    use egui::{Rect, pos2};

    #[test]
    fn a_polyline_is_cut_to_the_rectangle_and_split_where_it_leaves() {
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(100.0, 100.0));
        // Down through the rectangle, out to the right, back in, and out again.
        let line = [pos2(50.0, -1000.0), pos2(50.0, 50.0), pos2(500.0, 50.0), pos2(500.0, 80.0), pos2(20.0, 80.0)];
        let parts = clip_polyline(&line, clip, 0.0);
        assert_eq!(
            parts,
            vec![vec![pos2(50.0, 0.0), pos2(50.0, 50.0), pos2(100.0, 50.0)], vec![pos2(100.0, 80.0), pos2(20.0, 80.0)]]
        );
        assert!(clip_polyline(&[pos2(-5.0, -5.0), pos2(-5.0, 500.0)], clip, 0.0).is_empty());
    }

    #[test]
    fn a_dashed_line_starts_a_whole_number_of_periods_along_its_segment() {
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(100.0, 100.0));
        let parts = clip_polyline(&[pos2(50.0, -1003.0), pos2(50.0, 50.0)], clip, 10.0);
        // 1,003 px to the edge: the part starts 1,000 px along, 3 px above it.
        assert_eq!(parts, vec![vec![pos2(50.0, -3.0), pos2(50.0, 50.0)]]);
    }
}
