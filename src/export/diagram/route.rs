//! Where the cards of a free placement go, how the wires run between cards
//! and the rectangle around it all.

use super::{Card, Wire};
use crate::export::measure::metrics as m;
use crate::model::{Document, Op};

/// Around every card and every wire (lanes and the wires of cycles may run
/// outside the cards).
pub(super) fn bounds_of(cards: &[Card], wires: &[Wire]) -> [f64; 4] {
    if cards.is_empty() {
        return [0.0; 4];
    }
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for c in cards {
        let [x, y, w, h] = c.rect;
        // A folded card's 「＋N」 pill, right of it, is part of the picture.
        let right = crate::export::card_layout::pill_right(c).unwrap_or(x + w);
        b = [b[0].min(x), b[1].min(y), b[2].max(right), b[3].max(y + h)];
    }
    for [x, y] in wires.iter().flat_map(|w| w.points.iter().copied()) {
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    b
}

pub(super) fn wire(cards: &[Card], parent: u32, child: u32, op: Op, points: Vec<[f64; 2]>, badge: [f64; 2]) -> Wire {
    let p = cards[parent as usize].rect;
    let c = cards[child as usize].rect;
    // Every arithmetic term shows its operator on its own branch, next to
    // the child, so that 売上 = 顧客数 × 客単価 reads as a product at a glance.
    Wire {
        parent,
        child,
        from: [p[0] + p[2], p[1] + p[3] / 2.0],
        to: [c[0], c[1] + c[3] / 2.0],
        points,
        badge,
        op,
        show_op: op.is_arithmetic(),
    }
}

/// Free placement: every card where its node's `pos` says; the others where
/// the automatic layout puts them, right of everything placed, so that a
/// pasted or hand-written node is never hidden under another card.
pub(super) fn place_free(doc: &Document, cards: &mut [Card], auto: &[[f64; 2]]) {
    let mut right = f64::NEG_INFINITY;
    let mut top = f64::INFINITY;
    for card in cards.iter_mut() {
        if let Some([x, y]) = doc.nodes[card.node as usize].pos {
            card.rect[0] = x;
            card.rect[1] = y;
            right = right.max(x + card.rect[2]);
            top = top.min(y);
        }
    }
    let unplaced: Vec<usize> = (0..cards.len()).filter(|&k| doc.nodes[cards[k].node as usize].pos.is_none()).collect();
    if unplaced.is_empty() {
        return;
    }
    let (min_x, min_y) =
        unplaced.iter().fold((f64::MAX, f64::MAX), |(x, y), &k| (x.min(auto[k][0]), y.min(auto[k][1])));
    let (dx, dy) = if right.is_finite() { (right + m::COLUMN_GAP * 2.0 - min_x, top - min_y) } else { (0.0, 0.0) };
    for k in unplaced {
        cards[k].rect[0] = auto[k][0] + dx;
        cards[k].rect[1] = auto[k][1] + dy;
    }
}

/// A wire between cards the user placed: an elbow through the middle of the
/// gap when the child is to the right, else out, around and in.
pub(super) fn free_route(p: &[f64; 4], c: &[f64; 4]) -> (Vec<[f64; 2]>, [f64; 2]) {
    let from = [p[0] + p[2], p[1] + p[3] / 2.0];
    let to = [c[0], c[1] + c[3] / 2.0];
    let badge = [to[0] - crate::layout::BADGE_OFFSET, to[1]];
    if to[0] - from[0] >= 2.0 * crate::layout::BADGE_OFFSET + 8.0 {
        let mid = from[0] + (to[0] - from[0]) / 2.0;
        let bus = mid.max(from[0] + 8.0).min(to[0] - 2.0 * crate::layout::BADGE_OFFSET);
        return (vec![from, [bus, from[1]], [bus, to[1]], to], badge);
    }
    let out = from[0] + 16.0;
    let back = to[0] - 2.0 * crate::layout::BADGE_OFFSET;
    let mid_y = if (to[1] - from[1]).abs() > p[3] / 2.0 + c[3] / 2.0 {
        (from[1] + to[1]) / 2.0
    } else {
        // Side by side or overlapping: go round below both.
        (p[1] + p[3]).max(c[1] + c[3]) + m::ROW_GAP
    };
    (vec![from, [out, from[1]], [out, mid_y], [back, mid_y], [back, to[1]], to], badge)
}
