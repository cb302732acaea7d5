//! A spatial index of the diagram: cards and wires by the grid cells their
//! rectangles touch, so that a frame visits only what is in view (culling)
//! and a click tests only the cards under the pointer.

use std::cell::RefCell;
use std::ops::RangeInclusive;

use egui::{Pos2, Rect, pos2};
use rustc_hash::FxHashMap;

use crate::export::Diagram;

/// Side of a cell, in diagram pixels: a few cards wide.
const CELL: f32 = 512.0;

/// Cards and wires by grid cell.
#[derive(Default)]
pub(super) struct Grid {
    cards: FxHashMap<(i32, i32), Vec<u32>>,
    wires: FxHashMap<(i32, i32), Vec<u32>>,
    /// Per card and per wire: the last query that returned it (so a query
    /// returns each once without a set).
    seen: RefCell<Seen>,
    /// The cells that hold anything: a query that covers them all (the
    /// whole tree in view) returns everything without visiting a cell.
    extent: Option<(RangeInclusive<i32>, RangeInclusive<i32>)>,
}

#[derive(Default)]
struct Seen {
    cards: Vec<u32>,
    wires: Vec<u32>,
    query: u32,
}

impl Seen {
    fn next_query(&mut self) -> u32 {
        self.query = self.query.wrapping_add(1);
        if self.query == 0 {
            self.cards.fill(0);
            self.wires.fill(0);
            self.query = 1;
        }
        self.query
    }
}

fn cell_range(r: Rect) -> (RangeInclusive<i32>, RangeInclusive<i32>) {
    let c = |v: f32| (v / CELL).floor() as i32;
    (c(r.min.x)..=c(r.max.x), c(r.min.y)..=c(r.max.y))
}

/// The items of the cells meeting `area`, each once, in order; `seen`
/// remembers per item the last query `q` that returned it. Visits the cells
/// of `area` that can hold anything (within `extent`), or the cells that
/// hold something when those are fewer: a far zoomed-out view spans
/// millions of empty cells.
fn in_cells(
    cells: &FxHashMap<(i32, i32), Vec<u32>>,
    extent: &(RangeInclusive<i32>, RangeInclusive<i32>),
    seen: &mut [u32],
    q: u32,
    area: Rect,
) -> Vec<u32> {
    let mut out = Vec::new();
    let (xs, ys) = cell_range(area);
    let xs = *xs.start().max(extent.0.start())..=*xs.end().min(extent.0.end());
    let ys = *ys.start().max(extent.1.start())..=*ys.end().min(extent.1.end());
    let mut take = |list: &[u32]| {
        for &k in list {
            if seen[k as usize] != q {
                seen[k as usize] = q;
                out.push(k);
            }
        }
    };
    let spanned = (xs.end() - xs.start() + 1).max(0) as u64 * (ys.end() - ys.start() + 1).max(0) as u64;
    if spanned > cells.len() as u64 {
        for (cell, list) in cells {
            if xs.contains(&cell.0) && ys.contains(&cell.1) {
                take(list);
            }
        }
    } else {
        for x in xs {
            for y in ys.clone() {
                take(cells.get(&(x, y)).map_or(&[][..], Vec::as_slice));
            }
        }
    }
    out.sort_unstable();
    out
}

/// A card's rectangle `[x, y, w, h]` as an egui rectangle.
pub(super) fn card_rect(r: [f64; 4]) -> Rect {
    Rect::from_min_size(pos2(r[0] as f32, r[1] as f32), egui::vec2(r[2] as f32, r[3] as f32))
}

impl Grid {
    /// The index of `diagram`.
    pub fn new(diagram: &Diagram) -> Grid {
        let seen = Seen { cards: vec![0; diagram.cards.len()], wires: vec![0; diagram.wires.len()], query: 0 };
        let mut grid = Grid { seen: RefCell::new(seen), ..Grid::default() };
        for (k, card) in diagram.cards.iter().enumerate() {
            let (xs, ys) = cell_range(card_rect(card.rect));
            for x in xs {
                for y in ys.clone() {
                    grid.cards.entry((x, y)).or_default().push(k as u32);
                }
            }
        }
        for (k, wire) in diagram.wires.iter().enumerate() {
            // Each segment by itself: a long lane touches a row of cells,
            // not the whole box around the wire.
            for pair in wire.points.windows(2) {
                let a = pos2(pair[0][0] as f32, pair[0][1] as f32);
                let b = pos2(pair[1][0] as f32, pair[1][1] as f32);
                let (xs, ys) = cell_range(Rect::from_two_pos(a, b));
                for x in xs {
                    for y in ys.clone() {
                        let list = grid.wires.entry((x, y)).or_default();
                        if list.last() != Some(&(k as u32)) {
                            list.push(k as u32);
                        }
                    }
                }
            }
        }
        let keys = grid.cards.keys().chain(grid.wires.keys());
        grid.extent = keys
            .fold(None, |e: Option<((i32, i32), (i32, i32))>, &(x, y)| {
                Some(
                    e.map_or(((x, x), (y, y)), |((x0, x1), (y0, y1))| ((x0.min(x), x1.max(x)), (y0.min(y), y1.max(y)))),
                )
            })
            .map(|((x0, x1), (y0, y1))| (x0..=x1, y0..=y1));
        grid
    }

    /// True when `area` meets every cell that holds anything.
    fn covers_all(&self, area: Rect) -> bool {
        let (xs, ys) = cell_range(area);
        self.extent.as_ref().is_some_and(|(ex, ey)| {
            xs.start() <= ex.start() && xs.end() >= ex.end() && ys.start() <= ey.start() && ys.end() >= ey.end()
        })
    }

    /// The cards whose cells meet `area`, each once, in document order (so
    /// what is drawn later, on top, is the same whatever the view).
    pub fn cards_in(&self, area: Rect) -> Vec<u32> {
        if self.covers_all(area) {
            return (0..self.seen.borrow().cards.len() as u32).collect();
        }
        let Some(extent) = &self.extent else { return Vec::new() };
        let mut seen = self.seen.borrow_mut();
        let q = seen.next_query();
        in_cells(&self.cards, extent, &mut seen.cards, q, area)
    }

    /// The wires with a segment in a cell that meets `area`, each once.
    pub fn wires_in(&self, area: Rect) -> Vec<u32> {
        if self.covers_all(area) {
            return (0..self.seen.borrow().wires.len() as u32).collect();
        }
        let Some(extent) = &self.extent else { return Vec::new() };
        let mut seen = self.seen.borrow_mut();
        let q = seen.next_query();
        in_cells(&self.wires, extent, &mut seen.wires, q, area)
    }

    /// The cards under `p`, topmost (last drawn) first.
    pub fn cards_at(&self, diagram: &Diagram, p: Pos2) -> Vec<usize> {
        let mut found: Vec<usize> = self
            .cards_in(Rect::from_min_max(p, p))
            .into_iter()
            .map(|k| k as usize)
            .filter(|&k| card_rect(diagram.cards[k].rect).contains(p))
            .collect();
        found.reverse();
        found
    }

    /// The topmost card under `p`.
    pub fn card_at(&self, diagram: &Diagram, p: Pos2) -> Option<usize> {
        self.cards_at(diagram, p).first().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::{Grid, card_rect};
    use crate::export::{Diagram, DiagramOptions};
    use crate::model::generate;
    use egui::{Rect, pos2};

    /// Every card meeting the area is found once, in order, for small areas
    /// and for areas far larger than the tree that still leave part of it out
    /// (a view zoomed far out, off to one side).
    #[test]
    fn a_query_finds_every_card_in_the_area_whatever_its_size() {
        let doc = generate::tree(300, 3);
        let d = Diagram::build(&doc, &crate::evaluate(&doc), &DiagramOptions::default(), None);
        let grid = Grid::new(&d);
        let [x0, y0, x1, y1] = d.bounds.map(|v| v as f32);
        let mid = (y0 + y1) / 2.0;
        let areas = [
            Rect::from_min_max(pos2(x0, y0), pos2(x0 + 300.0, y0 + 300.0)),
            Rect::from_min_max(pos2(-1.0e7, -1.0e7), pos2(1.0e7, mid)),
            Rect::from_min_max(pos2((x0 + x1) / 2.0, -1.0e8), pos2(1.0e8, 1.0e8)),
            Rect::from_min_max(pos2(x1 + 5000.0, y1 + 5000.0), pos2(1.0e8, 1.0e8)),
        ];
        for area in areas {
            let found = grid.cards_in(area);
            assert!(found.windows(2).all(|w| w[0] < w[1]), "in order, each once");
            let meeting: Vec<u32> =
                (0..d.cards.len() as u32).filter(|&k| card_rect(d.cards[k as usize].rect).intersects(area)).collect();
            assert!(meeting.iter().all(|k| found.contains(k)), "{area:?}: {} of {}", found.len(), meeting.len());
            assert!(found.len() < d.cards.len() || meeting.len() == d.cards.len());
        }
    }
}
