//! Pass 3: stacking subtrees by their contours (Reingold–Tilford, left →
//! right), iteratively.
//!
//! A subtree's contour is, for each column it spans, the top and the bottom
//! of what it holds there, padded by half the gap each item keeps. Stacking a
//! subtree below its elder siblings moves it up until, in some column they
//! share, it touches their contour; a small subtree thus sits beside the
//! deeper columns of a big one instead of below all of it.

use super::LANE_GAP;
use super::structure::Structure;

/// A subtree's contour, in its root's frame (the root card's top at 0).
struct Contour {
    /// Added to every stored value: shifting a contour is O(1).
    base: f64,
    /// `[top, bottom]` per column, deepest column first, so a parent adds its
    /// own column with a push.
    ext: Vec<[f64; 2]>,
}

/// Spent contour buffers for reuse: only about as many as the forest is deep
/// are alive at a time, so a big tree does not allocate one per node.
#[derive(Default)]
struct Pool(Vec<Vec<[f64; 2]>>);

impl Pool {
    fn take(&mut self) -> Vec<[f64; 2]> {
        let mut v = self.0.pop().unwrap_or_default();
        v.clear();
        v
    }

    fn give(&mut self, v: Vec<[f64; 2]>) {
        self.0.push(v);
    }
}

/// The top of every item (nodes, then lane slots), the topmost card at 0.
pub(super) fn stack(s: &Structure, row_gap: f64) -> Vec<f64> {
    let items = s.col.len();
    let half_pad = |v: usize| if v < s.n { row_gap / 2.0 } else { LANE_GAP / 2.0 };
    // Each item's top relative to its parent's top (to the forest for roots).
    let mut rel = vec![0.0f64; items];
    let mut pool = Pool::default();
    let mut preorder: Vec<u32> = Vec::with_capacity(items);
    // The walk: (item, position of its next child in `kids`).
    let mut frames: Vec<(u32, u32)> = Vec::new();
    // The contour of the children stacked so far, for the frames that have
    // any, with the frame's depth: a chain needs none until it unwinds.
    let mut accs: Vec<(usize, Contour)> = Vec::new();
    let mut forest: Option<Contour> = None;

    for &root in &s.roots {
        frames.push((root, s.kid_start[root as usize]));
        preorder.push(root);
        while let Some(top) = frames.last_mut() {
            let (v, next) = *top;
            let v = v as usize;
            if next < s.kid_start[v + 1] {
                top.1 += 1;
                let kid = s.kids[next as usize];
                frames.push((kid, s.kid_start[kid as usize]));
                preorder.push(kid);
                continue;
            }
            frames.pop();
            let depth = frames.len();
            let own = match accs.last() {
                Some((d, _)) if *d == depth => accs.pop().map(|(_, c)| c),
                _ => None,
            };
            let (h, pad) = (s.height[v], half_pad(v));
            let contour = match own {
                None => {
                    let mut ext = pool.take();
                    ext.push([-pad, h + pad]);
                    Contour { base: 0.0, ext }
                }
                Some(mut c) => {
                    // Centred on the span of its children's middles.
                    let kids = s.kids(v);
                    let middle = |k: u32| rel[k as usize] + s.height[k as usize] / 2.0;
                    let (first, last) = (kids[0], kids[kids.len() - 1]);
                    let own_top = (middle(first) + middle(last)) / 2.0 - h / 2.0;
                    for &k in kids {
                        rel[k as usize] -= own_top;
                    }
                    c.base -= own_top;
                    c.ext.push([-pad - c.base, h + pad - c.base]);
                    c
                }
            };
            // The first child starts its parent's contour; the others are
            // stacked below it.
            let parent = depth.checked_sub(1);
            let started = match parent {
                Some(p) => accs.last().is_some_and(|(d, _)| *d == p),
                None => forest.is_some(),
            };
            let acc = match (started, parent) {
                (false, Some(p)) => {
                    accs.push((p, contour));
                    continue;
                }
                (false, None) => {
                    forest = Some(contour);
                    continue;
                }
                (true, Some(_)) => accs.last_mut().map(|(_, c)| c),
                (true, None) => forest.as_mut(),
            };
            if let Some(acc) = acc {
                rel[v] = below(acc, contour, &mut pool);
            }
        }
    }

    // Absolute tops, parents before children.
    let mut y = rel;
    for &v in &preorder {
        let top = y[v as usize];
        for &k in s.kids(v as usize) {
            y[k as usize] += top;
        }
    }
    let min = y[..s.n].iter().copied().fold(f64::INFINITY, f64::min);
    if min.is_finite() {
        for t in &mut y {
            *t -= min;
        }
    }
    y
}

/// Stacks `kid` below `acc` as far up as their shared columns allow, merges
/// it into `acc` and returns its offset in `acc`'s frame.
///
/// Only the shared columns are touched, and the longer buffer is kept: the
/// cost is the depth of the shallower contour.
fn below(acc: &mut Contour, mut kid: Contour, pool: &mut Pool) -> f64 {
    let (la, lk) = (acc.ext.len(), kid.ext.len());
    let shared = la.min(lk);
    let mut shift = f64::NEG_INFINITY;
    for d in 1..=shared {
        let (a, k) = (acc.ext[la - d], kid.ext[lk - d]);
        shift = shift.max((acc.base + a[1]) - (kid.base + k[0]));
    }
    if !shift.is_finite() {
        shift = 0.0;
    }
    kid.base += shift;
    if lk > la {
        // The kid reaches deeper: its buffer stays, with the tops of the
        // shared columns taken from above.
        for d in 1..=shared {
            let (a, k) = (acc.ext[la - d], &mut kid.ext[lk - d]);
            k[0] = (acc.base + a[0] - kid.base).min(k[0]);
            k[1] = k[1].max(acc.base + a[1] - kid.base);
        }
        let spent = std::mem::replace(&mut acc.ext, kid.ext);
        acc.base = kid.base;
        pool.give(spent);
    } else {
        for d in 1..=shared {
            let (k, a) = (kid.ext[lk - d], &mut acc.ext[la - d]);
            a[0] = a[0].min(kid.base + k[0] - acc.base);
            a[1] = a[1].max(kid.base + k[1] - acc.base);
        }
        pool.give(kid.ext);
    }
    shift
}
