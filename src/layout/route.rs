//! Pass 4: the wires, as elbows through the gaps between columns.
//!
//! Gaps hold no cards, and a card's middle row is free of every other card
//! of its column, so a wire that runs vertically only in gaps and
//! horizontally only along its parent's or child's middle, or along its own
//! lane, never crosses a card.
//!
//! In the gap left of a column, the trunks of the parents run halfway
//! across; the wires of a shared child's other parents (and of cycles) drop
//! a quarter of the way across, left of the trunks, so they never run along
//! another parent's trunk, and the last stretch of such a wire before it
//! meets the trunk's branch is its own: its badge goes there. A tree edge's
//! badge goes just left of the child.

use super::structure::{EdgeKind, Structure};
use super::{BADGE_OFFSET, LANE_HEIGHT, Route, Spacing};

/// Where trunks run, as a fraction of the gap.
const TRUNK: f64 = 0.5;
/// Where the other parents' wires drop to a shared child, as a fraction of
/// the gap.
const DROP: f64 = 0.25;

/// The columns the wires run between.
pub(super) struct Frame<'a> {
    /// Left edge of each column.
    pub column_x: &'a [f64],
    /// Width of each column.
    pub width: &'a [f64],
    /// The gaps.
    pub spacing: Spacing,
}

impl Frame<'_> {
    /// The x at `fraction` of the gap left of `column` (left of x = 0 for
    /// column 0, where only cycle wires go).
    fn in_gap_left_of(&self, column: u32, fraction: f64) -> f64 {
        self.column_x[column as usize] - (1.0 - fraction) * self.spacing.column_gap
    }

    /// The x of the trunk in the gap right of `column`.
    fn trunk_right_of(&self, column: u32) -> f64 {
        let c = column as usize;
        self.column_x[c] + self.width[c] + TRUNK * self.spacing.column_gap
    }
}

/// One route per valid edge, by parent and then term. `pos` are the cards'
/// top-left corners, `y` the top of every item (lane slots included).
#[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
pub(super) fn routes(s: &Structure, frame: &Frame<'_>, pos: &[[f64; 2]], y: &[f64]) -> Vec<Route> {
    // Cycle wires run above everything, cards and lanes.
    let top = y.iter().copied().fold(0.0f64, f64::min) - (frame.spacing.row_gap / 2.0).max(LANE_HEIGHT);
    let mut routes = Vec::with_capacity(s.edge_child.len());
    // Built in one scratch buffer, then copied at its final length: a
    // million straight wires should not each hold room for six corners.
    let mut points: Vec<[f64; 2]> = Vec::with_capacity(6);
    for p in 0..s.n {
        let start = [pos[p][0] + s.sizes[p][0], pos[p][1] + s.sizes[p][1] / 2.0];
        for e in s.edges(p) {
            let c = s.edge_child[e] as usize;
            let end = [pos[c][0], pos[c][1] + s.sizes[c][1] / 2.0];
            let (pc, cc) = (s.col[p], s.col[c]);
            let kind = s.edge_kind[e];
            let drop = frame.in_gap_left_of(cc, DROP);
            points.clear();
            points.push(start);
            match kind {
                EdgeKind::Invalid => continue,
                EdgeKind::Tree => {
                    let x = frame.trunk_right_of(pc);
                    points.extend([[x, start[1]], [x, end[1]]]);
                }
                EdgeKind::Short => points.extend([[drop, start[1]], [drop, end[1]]]),
                EdgeKind::Lane(first) => {
                    let (out, lane) = (frame.trunk_right_of(pc), y[first as usize] + LANE_HEIGHT / 2.0);
                    points.extend([[out, start[1]], [out, lane], [drop, lane], [drop, end[1]]]);
                }
                EdgeKind::Back => {
                    // Up out of the parent's gap, left above the drawing, down
                    // left of the child's column.
                    let out = frame.trunk_right_of(pc);
                    points.extend([[out, start[1]], [out, top], [drop, top], [drop, end[1]]]);
                }
            }
            points.push(end);
            simplify(&mut points);
            let badge = match kind {
                EdgeKind::Tree => {
                    let run = points.len().checked_sub(2).map_or(0.0, |i| end[0] - points[i][0]);
                    [end[0] - BADGE_OFFSET.min(run / 2.0), end[1]]
                }
                // Between the drop and the trunk the tree edge comes in on.
                _ => [(drop + frame.in_gap_left_of(cc, TRUNK)) / 2.0, end[1]],
            };
            let term = (e - s.edges(p).start) as u32;
            routes.push(Route { parent: p as u32, child: c as u32, term, points: points.clone(), badge });
        }
    }
    routes
}

/// Drops repeated points and the middle one of three in a line, so that
/// every corner is a real turn.
fn simplify(points: &mut Vec<[f64; 2]>) {
    let mut kept = 0;
    for i in 0..points.len() {
        let p = points[i];
        if kept > 0 && points[kept - 1] == p {
            continue;
        }
        if kept > 1 {
            let (a, b) = (points[kept - 2], points[kept - 1]);
            if (a[0] == b[0] && b[0] == p[0]) || (a[1] == b[1] && b[1] == p[1]) {
                points[kept - 1] = p;
                if points[kept - 2] == p {
                    kept -= 1;
                }
                continue;
            }
        }
        points[kept] = p;
        kept += 1;
    }
    points.truncate(kept);
}
