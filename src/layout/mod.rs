//! Tidy tree layout, left → right, with the wires' routes: the goal on the
//! left, its terms in the columns to its right.
//!
//! One geometry for the screen and for the slides: the canvas and the
//! exporter both draw the cards and the wires that [`tidy`] returns, so what
//! a PNG shows is what the editor shows.
//!
//! How it works, in four passes over the graph, all iterative (no recursion
//! on user data, so any depth is fine) and all about linear:
//!
//! 1. **Columns.** A depth-first walk from the roots finds the back edges of
//!    cycles; without them the graph is acyclic and a node's column is the
//!    length of the longest path to it from a root, so every other edge goes
//!    strictly to the right.
//! 2. **Spanning tree and lanes.** Each node hangs under its parent with the
//!    greatest column (always the column just left of it). The other edges
//!    that skip columns get a *lane*: a chain of thin dummy slots, one per
//!    column they pass, hung under their parent like a term, so that the
//!    tree layout keeps cards out of the wire's way.
//! 3. **Contours.** Reingold–Tilford, left → right: sibling subtrees (and
//!    whole trees) are stacked top to bottom, each pushed up as far as the
//!    per-column contours of those above allow, and a parent is centred on
//!    its terms. Contours are merged small-into-large, so stacking costs the
//!    depth of the shallower side only.
//! 4. **Routes.** Elbow wires through the gaps between columns: out of the
//!    parent, down a trunk in the gap, into the child; lane wires run along
//!    their lane and drop in the gap just left of the child.

mod contour;
mod route;
mod structure;

use rustc_hash::FxHashMap;

use crate::model::{Document, Kind, Node, NodeId};

/// Height of a lane slot: the room a wire that skips columns keeps free in
/// every column it passes.
pub const LANE_HEIGHT: f64 = 8.0;

/// Gap between two neighbouring lanes; a lane and a card keep the mean of
/// this and [`Spacing::row_gap`] between them.
pub const LANE_GAP: f64 = 8.0;

/// How far left of its child a term's operator badge sits, on the wire's
/// last horizontal segment (closer on a shorter segment).
pub const BADGE_OFFSET: f64 = 14.0;

/// Spacing of a layout.
#[derive(Debug, Clone, Copy, PartialEq)]
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

impl Spacing {
    /// Negative or non-finite gaps would let cards overlap or poison every
    /// position with NaN; they count as no gap.
    fn sanitised(self) -> Spacing {
        let ok = |v: f64| if v.is_finite() && v > 0.0 { v } else { 0.0 };
        Spacing { column_gap: ok(self.column_gap), row_gap: ok(self.row_gap) }
    }
}

/// What [`tidy`] lays out: nodes by index, independent of [`Document`].
///
/// `sizes`, `children` and `kgi` are indexed by node; `sizes.len()` is the
/// number of nodes (a shorter `children` or `kgi` means no children and not a
/// goal for the rest). `children[p]` are p's terms in order, de-duplicated and
/// without self-loops; a node may have several parents, and the graph may
/// contain cycles. Children out of range are ignored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Graph {
    /// Width and height of each node's card.
    pub sizes: Vec<[f64; 2]>,
    /// Each node's children, in term order.
    pub children: Vec<Vec<u32>>,
    /// Whether the node is a goal (KGI): goals come first among the roots.
    pub kgi: Vec<bool>,
}

/// The wire of one edge: an axis-aligned polyline from the parent's
/// right-middle to the child's left-middle.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// The parent's index.
    pub parent: u32,
    /// The child's index.
    pub child: u32,
    /// The index of the child in `children[parent]`: which term this is.
    pub term: u32,
    /// The corners of the polyline, first at the parent, last at the child;
    /// consecutive points share x or y, and no two in a row are collinear.
    pub points: Vec<[f64; 2]>,
    /// Where the operator badge of this term goes: on the wire's last
    /// horizontal segment, just left of the child, so that terms sharing one
    /// trunk each show their own operator on their own branch.
    pub badge: [f64; 2],
}

/// The result of [`tidy`]: card positions and wire routes.
///
/// Coordinates are top-left corners, y down; column 0 starts at x = 0 and the
/// topmost card at y = 0. Wires of lanes and of cycles may run above the
/// topmost card (and cycle wires left of x = 0), so bounds for drawing should
/// include the route points.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Placement {
    /// The top-left corner of each node's card, by index.
    pub pos: Vec<[f64; 2]>,
    /// One route per edge, by parent index and then term order.
    pub routes: Vec<Route>,
}

/// Lays `graph` out left → right as a compact tidy tree, with its wires.
///
/// Roots (nodes without a parent; goals first, then by index) start the
/// trees, stacked top to bottom; nodes reachable only through a cycle come
/// after everything else. Every node is placed once, in the column of its
/// longest path from a root, under its parent of the greatest column; its
/// other parents' wires are routed to it there, through lanes kept free of
/// cards when they skip columns. In an acyclic graph no wire crosses a card.
/// The same input always gives bit-identical output.
pub fn tidy(graph: &Graph, spacing: Spacing) -> Placement {
    let spacing = spacing.sanitised();
    let s = structure::Structure::new(graph);
    let y = contour::stack(&s, spacing.row_gap);

    // Columns as wide as their widest card, left-aligned cards.
    let mut width = vec![0.0f64; s.columns];
    for v in 0..s.n {
        let c = s.col[v] as usize;
        width[c] = width[c].max(s.sizes[v][0]);
    }
    let mut column_x = Vec::with_capacity(s.columns);
    let mut x = 0.0;
    for w in &width {
        column_x.push(x);
        x += w + spacing.column_gap;
    }

    let pos: Vec<[f64; 2]> = (0..s.n).map(|v| [column_x[s.col[v] as usize], y[v]]).collect();
    let routes = route::routes(&s, &route::Frame { column_x: &column_x, width: &width, spacing }, &pos, &y);
    Placement { pos, routes }
}

/// The [`Graph`] of a document, and for each of its nodes the index of the
/// document node it stands for.
///
/// The first node with an id wins (later duplicates are left out); edges of
/// every op, arithmetic and `link`, count in document order; edges to unknown
/// ids, self-loops and repeated edges are left out.
#[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
pub fn graph_of(doc: &Document, size: impl Fn(&Node) -> [f64; 2]) -> (Graph, Vec<usize>) {
    let mut index: FxHashMap<&NodeId, u32> = FxHashMap::default();
    index.reserve(doc.nodes.len());
    let mut nodes: Vec<usize> = Vec::with_capacity(doc.nodes.len());
    for (i, node) in doc.nodes.iter().enumerate() {
        index.entry(&node.id).or_insert_with(|| {
            nodes.push(i);
            (nodes.len() - 1) as u32
        });
    }
    let n = nodes.len();
    let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
    for e in doc.edges.iter() {
        let (Some(&p), Some(&c)) = (index.get(&e.parent), index.get(&e.child)) else { continue };
        if p != c {
            children[p as usize].push(c);
        }
    }
    // Keep the first of repeated edges: a stamp per child, so a parent with
    // thousands of terms costs linear time, not quadratic.
    let mut stamp = vec![u32::MAX; n];
    for (p, list) in children.iter_mut().enumerate() {
        list.retain(|&c| {
            let seen = stamp[c as usize] == p as u32;
            stamp[c as usize] = p as u32;
            !seen
        });
    }
    let sizes = nodes.iter().map(|&i| size(&doc.nodes[i])).collect();
    let kgi = nodes.iter().map(|&i| doc.nodes[i].kind == Kind::Kgi).collect();
    (Graph { sizes, children, kgi }, nodes)
}

/// The top-left position of every node, by id, for cards of the given sizes:
/// [`tidy`] on the document's [`graph_of`].
///
/// Roots (nodes without a parent; goals first) are stacked top to bottom. A
/// node shared by several parents is placed once; the other wires are drawn
/// to it there. Nodes caught in a cycle with no root above them are placed
/// after everything else.
pub fn layout(doc: &Document, size: impl Fn(&Node) -> [f64; 2], spacing: Spacing) -> FxHashMap<NodeId, [f64; 2]> {
    let (graph, nodes) = graph_of(doc, size);
    let placement = tidy(&graph, spacing);
    let mut at = FxHashMap::default();
    at.reserve(nodes.len());
    for (&i, &p) in nodes.iter().zip(&placement.pos) {
        at.insert(doc.nodes[i].id.clone(), p);
    }
    at
}
