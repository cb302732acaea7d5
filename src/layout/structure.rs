//! Passes 1 and 2: columns, the spanning tree and the lanes.
//!
//! The result is a forest of *items*: the graph's nodes `0..n` and, after
//! them, the dummy lane slots, each item with its column, its height and its
//! children in the order they are stacked.

use super::{Graph, LANE_HEIGHT};

/// What an edge of the input is to the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EdgeKind {
    /// The child hangs under this parent, one column to the right.
    Tree,
    /// Another parent of a shared child, one column to its left: the wire
    /// needs no lane.
    Short,
    /// Another parent, further left: the wire runs along a lane whose first
    /// slot is this item.
    Lane(u32),
    /// Closes a cycle (goes back to an ancestor in the walk).
    Back,
    /// The child is out of range; no wire.
    Invalid,
}

/// The graph prepared for stacking and routing.
pub(super) struct Structure {
    /// Number of nodes.
    pub n: usize,
    /// Card sizes, finite and non-negative.
    pub sizes: Vec<[f64; 2]>,
    /// Number of columns.
    pub columns: usize,
    /// Edges of node `p`: `edge_start[p]..edge_start[p + 1]`.
    pub edge_start: Vec<u32>,
    /// The child of each edge.
    pub edge_child: Vec<u32>,
    /// What each edge is to the layout.
    pub edge_kind: Vec<EdgeKind>,
    /// The column of each item (nodes, then lane slots).
    pub col: Vec<u32>,
    /// The height of each item.
    pub height: Vec<f64>,
    /// Children of item `v` in the spanning forest: `kids[kid_start[v]..kid_start[v + 1]]`.
    pub kid_start: Vec<u32>,
    /// See `kid_start`.
    pub kids: Vec<u32>,
    /// The roots of the spanning forest, in stacking order.
    pub roots: Vec<u32>,
}

const UNSEEN: u8 = 0;
const OPEN: u8 = 1;
const DONE: u8 = 2;

impl Structure {
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub(super) fn new(graph: &Graph) -> Structure {
        let n = graph.sizes.len();
        let clean = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
        let sizes: Vec<[f64; 2]> = graph.sizes.iter().map(|s| [clean(s[0]), clean(s[1])]).collect();

        // The edges as one flat list: a few big allocations instead of one
        // per node, and an edge id for every (parent, term).
        let mut edge_start = Vec::with_capacity(n + 1);
        let mut edge_child = Vec::new();
        let mut edge_kind = Vec::new();
        let mut has_parent = vec![false; n];
        for p in 0..n {
            edge_start.push(edge_child.len() as u32);
            for &c in graph.children.get(p).map_or(&[][..], |v| v.as_slice()) {
                let valid = (c as usize) < n;
                edge_child.push(if valid { c } else { 0 });
                edge_kind.push(if valid { EdgeKind::Tree } else { EdgeKind::Invalid });
                if valid && c as usize != p {
                    has_parent[c as usize] = true;
                }
            }
        }
        edge_start.push(edge_child.len() as u32);
        let edges = |v: usize| edge_start[v] as usize..edge_start[v + 1] as usize;

        // Roots: goals first, then the rest, each in index order.
        let is_kgi = |v: usize| graph.kgi.get(v).copied().unwrap_or(false);
        let mut roots: Vec<u32> = (0..n).filter(|&v| !has_parent[v] && is_kgi(v)).map(|v| v as u32).collect();
        roots.extend((0..n).filter(|&v| !has_parent[v] && !is_kgi(v)).map(|v| v as u32));

        // Depth-first from the roots, then from whatever only cycles reach:
        // an edge to a node still open is a back edge. Finishing order
        // reversed is a topological order of the rest.
        let mut state = vec![UNSEEN; n];
        let mut finished: Vec<u32> = Vec::with_capacity(n);
        let mut stack: Vec<(u32, u32)> = Vec::new();
        for start in roots.iter().copied().chain(0..n as u32) {
            if state[start as usize] != UNSEEN {
                continue;
            }
            state[start as usize] = OPEN;
            stack.push((start, edge_start[start as usize]));
            while let Some(top) = stack.last_mut() {
                let (v, e) = *top;
                if e < edge_start[v as usize + 1] {
                    top.1 += 1;
                    if edge_kind[e as usize] == EdgeKind::Invalid {
                        continue;
                    }
                    let c = edge_child[e as usize];
                    match state[c as usize] {
                        UNSEEN => {
                            state[c as usize] = OPEN;
                            stack.push((c, edge_start[c as usize]));
                        }
                        OPEN => edge_kind[e as usize] = EdgeKind::Back,
                        _ => {}
                    }
                    continue;
                }
                state[v as usize] = DONE;
                finished.push(v);
                stack.pop();
            }
        }

        // Longest path from a root, in topological order.
        let mut col = vec![0u32; n];
        for &v in finished.iter().rev() {
            for e in edges(v as usize) {
                if edge_kind[e] == EdgeKind::Tree {
                    let c = edge_child[e] as usize;
                    col[c] = col[c].max(col[v as usize] + 1);
                }
            }
        }
        let columns = col.iter().copied().max().map_or(0, |m| m as usize + 1);

        // The tree parent is the first parent (by index, then term) in the
        // column just left of the child: that is the greatest column any
        // parent has. Other parents are short or need a lane.
        let mut has_tree_parent = vec![false; n];
        let mut lane_slots = 0usize;
        for p in 0..n {
            for e in edges(p) {
                if edge_kind[e] != EdgeKind::Tree {
                    continue;
                }
                let c = edge_child[e] as usize;
                let span = col[c] - col[p];
                if span == 1 && !has_tree_parent[c] {
                    has_tree_parent[c] = true;
                } else if span == 1 {
                    edge_kind[e] = EdgeKind::Short;
                } else {
                    edge_kind[e] = EdgeKind::Lane(0);
                    lane_slots += span as usize - 1;
                }
            }
        }

        // Lane slots, numbered after the nodes, chain by chain in edge order.
        let mut item_col = col;
        item_col.reserve(lane_slots);
        let mut height: Vec<f64> = Vec::with_capacity(n + lane_slots);
        height.extend(sizes.iter().map(|s| s[1]));
        height.resize(n + lane_slots, LANE_HEIGHT);
        for p in 0..n {
            for e in edges(p) {
                if let EdgeKind::Lane(_) = edge_kind[e] {
                    edge_kind[e] = EdgeKind::Lane(item_col.len() as u32);
                    let (from, to) = (item_col[p], item_col[edge_child[e] as usize]);
                    item_col.extend(from + 1..to);
                }
            }
        }

        // Children of every item: a node's tree children and lane starts in
        // term order, then each lane slot's next slot.
        let items = item_col.len();
        let mut kid_start = Vec::with_capacity(items + 1);
        let mut kids = Vec::with_capacity(items);
        for p in 0..n {
            kid_start.push(kids.len() as u32);
            for e in edges(p) {
                match edge_kind[e] {
                    EdgeKind::Tree => kids.push(edge_child[e]),
                    EdgeKind::Lane(first) => kids.push(first),
                    _ => {}
                }
            }
        }
        for p in 0..n {
            for e in edges(p) {
                if let EdgeKind::Lane(first) = edge_kind[e] {
                    let slots = item_col[edge_child[e] as usize] - item_col[p] - 1;
                    for d in first..first + slots {
                        kid_start.push(kids.len() as u32);
                        if d + 1 < first + slots {
                            kids.push(d + 1);
                        }
                    }
                }
            }
        }
        kid_start.push(kids.len() as u32);

        // The forest: the roots, then the nodes only cycles reach (whose
        // walks started the later trees), in index order.
        let first_cycle_tree = roots.len();
        roots.extend((0..n).filter(|&v| has_parent[v] && !has_tree_parent[v]).map(|v| v as u32));
        debug_assert!(roots[first_cycle_tree..].iter().all(|&v| item_col[v as usize] == 0));

        Structure {
            n,
            sizes,
            columns,
            edge_start,
            edge_child,
            edge_kind,
            col: item_col,
            height,
            kid_start,
            kids,
            roots,
        }
    }

    /// The edge ids of node `p`.
    pub(super) fn edges(&self, p: usize) -> std::ops::Range<usize> {
        self.edge_start[p] as usize..self.edge_start[p + 1] as usize
    }

    /// The children of item `v` in the spanning forest.
    pub(super) fn kids(&self, v: usize) -> &[u32] {
        &self.kids[self.kid_start[v] as usize..self.kid_start[v + 1] as usize]
    }
}
