//! Tree layout, left → right: the goal on the left, its terms to the right,
//! each subtree in its own band of rows so that no two cards overlap.
//!
//! One geometry for the screen and for export: the editor and the exporter
//! both place cards with [`layout`]. Iterative; any depth is fine.

use rustc_hash::FxHashMap;

use crate::model::{Document, Kind, NodeId};

/// Spacing of a layout.
#[derive(Debug, Clone, Copy)]
pub struct Spacing {
    /// Horizontal gap between a parent's column and its terms' column.
    pub column_gap: f64,
    /// Vertical gap between neighbouring cards.
    pub row_gap: f64,
}

impl Default for Spacing {
    fn default() -> Self {
        Spacing { column_gap: 90.0, row_gap: 24.0 }
    }
}

/// The top-left position of every node, by id, for cards of the given sizes.
///
/// Roots (nodes without a parent; goals first) are stacked top to bottom.
/// A node shared by several parents is placed once, under the first parent
/// that reaches it; the other wires are drawn to it there. Nodes caught in a
/// cycle with no root above them are placed after everything else.
pub fn layout(
    doc: &Document,
    size: impl Fn(&crate::model::Node) -> [f64; 2],
    spacing: Spacing,
) -> FxHashMap<NodeId, [f64; 2]> {
    let n = doc.nodes.len();
    let mut index: FxHashMap<&NodeId, usize> = FxHashMap::default();
    for (i, node) in doc.nodes.iter().enumerate() {
        index.entry(&node.id).or_insert(i);
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut has_parent = vec![false; n];
    for e in &doc.edges {
        let (Some(&p), Some(&c)) = (index.get(&e.parent), index.get(&e.child)) else { continue };
        if p != c && !children[p].contains(&c) {
            children[p].push(c);
            has_parent[c] = true;
        }
    }
    let sizes: Vec<[f64; 2]> = doc.nodes.iter().map(&size).collect();

    let mut depth = vec![usize::MAX; n];
    let mut y = vec![0.0f64; n];
    let mut placed_children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut cursor = 0.0;

    let mut roots: Vec<usize> = (0..n).filter(|&i| !has_parent[i]).collect();
    roots.sort_by_key(|&i| doc.nodes[i].kind != Kind::Kgi);
    let stragglers = 0..n;
    for root in roots.into_iter().chain(stragglers) {
        if depth[root] != usize::MAX {
            continue;
        }
        // Depth-first with an explicit stack: (node, next child to visit).
        depth[root] = 0;
        let mut stack = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if let Some(&c) = children[v].get(*k) {
                *k += 1;
                if depth[c] == usize::MAX {
                    depth[c] = depth[v] + 1;
                    placed_children[v].push(c);
                    stack.push((c, 0));
                }
                continue;
            }
            stack.pop();
            let h = sizes[v][1];
            match (placed_children[v].first(), placed_children[v].last()) {
                (Some(&first), Some(&last)) => {
                    let top = y[first] + sizes[first][1] / 2.0;
                    let bottom = y[last] + sizes[last][1] / 2.0;
                    let centre = (top + bottom) / 2.0;
                    // A tall parent over short children must not reach into
                    // the band of the subtree above it.
                    let wanted = centre - h / 2.0;
                    y[v] = wanted.max(min_top(&placed_children[v], &y));
                    cursor = f64::max(cursor, y[v] + h + spacing.row_gap);
                }
                _ => {
                    y[v] = cursor;
                    cursor += h + spacing.row_gap;
                }
            }
        }
        cursor += spacing.row_gap;
    }

    let max_depth = depth.iter().copied().filter(|&d| d != usize::MAX).max().unwrap_or(0);
    let mut column_x = vec![0.0f64; max_depth + 2];
    let mut column_w = vec![0.0f64; max_depth + 1];
    for (i, &d) in depth.iter().enumerate() {
        column_w[d] = column_w[d].max(sizes[i][0]);
    }
    for d in 0..=max_depth {
        column_x[d + 1] = column_x[d] + column_w[d] + spacing.column_gap;
    }
    doc.nodes
        .iter()
        .enumerate()
        .filter(|(i, node)| index.get(&node.id) == Some(i))
        .map(|(i, node)| (node.id.clone(), [column_x[depth[i]], y[i]]))
        .collect()
}

/// The top of the first placed child: a parent is never placed above the
/// band its own subtree starts in.
fn min_top(placed: &[usize], y: &[f64]) -> f64 {
    placed.first().map_or(f64::NEG_INFINITY, |&c| y[c])
}
