//! The cards of the last diagram, kept so that the next build measures only
//! the cards whose node, values or findings changed ([`CardCache`]), and
//! the shape of that diagram, so that a value edit lays out nothing.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::card::card;
use super::{Card, Diagram, DiagramOptions, Shown};
use crate::eval::NodeValue;
use crate::export::measure::Measure;
use crate::lang::Lang;
use crate::model::{Document, LayoutMode, Node, NodeId};

/// The cards of the last diagram built with it, by node: what
/// [`Diagram::build_reusing`] need not measure again.
#[derive(Default)]
pub struct CardCache {
    /// What the cards show (a change measures every card again).
    pub(super) options: Option<(bool, Lang, bool, Shown)>,
    /// By the address of the node's `Arc`.
    pub(super) cards: FxHashMap<usize, Measured>,
    /// Counts the builds, so that the cards of nodes no longer shown go.
    pub(super) build: u32,
    /// The shape of the last diagram, and the diagram (the very one the
    /// caller got).
    pub(super) shape: Option<(Shape, Arc<Diagram>)>,
}

impl CardCache {
    /// The card of `node` with `value` and `findings`: the one measured
    /// before when nothing it shows changed, else measured now.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn card(
        &mut self,
        node: &Arc<Node>,
        value: NodeValue,
        trend: Option<crate::eval::period::Trend>,
        value_unit: Option<&str>,
        findings: (u32, u32),
        opts: &DiagramOptions,
        measure: &Measure,
    ) -> Card {
        let build = self.build;
        let address = Arc::as_ptr(node) as usize;
        match self.cards.get_mut(&address) {
            // The cache holds the node, so no other node can have its address.
            Some(m)
                if Arc::ptr_eq(&m.node, node)
                    && m.value == value
                    && m.card.trend.as_deref() == trend.as_ref()
                    && m.value_unit.as_deref() == value_unit
                    && m.findings == findings =>
            {
                m.build = build;
                m.card.clone()
            }
            _ => {
                let c = card(node, value, trend.map(Arc::new), value_unit, findings, opts, measure);
                let value_unit = value_unit.map(Box::from);
                let m = Measured { node: Arc::clone(node), value, value_unit, findings, build, card: c.clone() };
                self.cards.insert(address, m);
                c
            }
        }
    }
}

/// What the layout of a diagram depends on besides the cards' sizes: the
/// node ids in order, their folds and positions, the edges, the root and
/// the placement mode.
pub(super) struct Shape {
    ids: Vec<NodeId>,
    folds: Vec<(bool, Option<[f64; 2]>)>,
    edges: crate::model::Edges,
    root: Option<NodeId>,
    mode: LayoutMode,
}

impl Shape {
    pub(super) fn of(doc: &Document, opts: &DiagramOptions) -> Shape {
        Shape {
            ids: doc.nodes.iter().map(|n| n.id.clone()).collect(),
            folds: doc.nodes.iter().map(|n| (n.collapsed, n.pos)).collect(),
            edges: doc.edges.clone(),
            root: opts.root.clone(),
            mode: doc.layout_mode(),
        }
    }

    /// True when `doc` has this shape (compared without copying: an edit of
    /// a value keeps every id, the edge list and the folds as they were).
    pub(super) fn is(&self, doc: &Document, opts: &DiagramOptions) -> bool {
        self.edges.same_allocation(&doc.edges)
            && self.root == opts.root
            && self.mode == doc.layout_mode()
            && self.ids.len() == doc.nodes.len()
            && doc.nodes.iter().zip(&self.ids).zip(&self.folds).all(|((n, id), fold)| {
                (Arc::ptr_eq(&n.id.0, &id.0) || n.id == *id) && n.collapsed == fold.0 && n.pos == fold.1
            })
    }
}

/// A card as measured for one node with its values and findings.
pub(super) struct Measured {
    node: Arc<Node>,
    value: NodeValue,
    value_unit: Option<Box<str>>,
    findings: (u32, u32),
    /// The last build that used it.
    pub(super) build: u32,
    card: Card,
}
