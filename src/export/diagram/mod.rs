//! The diagram: one geometry for the canvas and for every export. Which
//! cards are shown (a subtree, collapsed subtrees folded away), how large
//! they are (measured with the bundled font), where they are (the automatic
//! tidy layout, or the positions the user chose) and how the wires run.
//!
//! Coordinates are the document's own: in free placement a card's top-left
//! corner is its node's `pos`. The exporter puts the diagram under a title
//! ([`super::Scene`]); the editor's canvas draws it as it is.
//!
//! This file holds what a diagram is made of (cards, wires, the options);
//! the submodules build it: `build` chooses and places the cards, `card`
//! measures one, `cache` keeps the measured cards between builds, `route`
//! places free cards and runs the wires, `links` holds the document's
//! parents and children.

mod build;
mod cache;
mod card;
mod links;
mod route;

use std::sync::Arc;

use rustc_hash::FxHashMap;

pub use cache::CardCache;
pub use links::Links;

use crate::lang::Lang;
use crate::model::{Kind, LayoutMode, NodeId, Op};

/// Which values the cards show: the whole period, the year to date or one
/// period. The diagram is built for one of them at a time, so the canvas
/// and every export show the same period.
pub type Shown = crate::eval::period::View;

/// What the diagram shows.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagramOptions {
    /// Targets, actuals and progress bars on the cards.
    pub values: bool,
    /// Language of the labels (目標 / target).
    pub lang: Lang,
    /// Only this node and everything below it.
    pub root: Option<NodeId>,
    /// Amounts in 円 as 万円 / 億円.
    pub compact_yen: bool,
    /// The period the values are for.
    pub shown: Shown,
}

impl Default for DiagramOptions {
    fn default() -> Self {
        DiagramOptions { values: true, lang: Lang::Ja, root: None, compact_yen: false, shown: Shown::Full }
    }
}

/// What analysis says about one card (the pipeline fills these in; the
/// diagram draws them into the card's [`CardMarks`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnalysisMark {
    /// 1–3 when the node is one of its goal's top three bottlenecks.
    pub bottleneck: Option<usize>,
    /// The active what-if scenario overrides the node's values.
    pub overridden: bool,
}

/// The analysis marks of every card that has one.
pub type AnalysisMarks = rustc_hash::FxHashMap<NodeId, AnalysisMark>;

/// The small marks a card carries besides its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CardMarks {
    /// The node is computed from its terms.
    pub computed: bool,
    /// Errors and warnings that concern the node.
    pub errors: u32,
    /// Warnings that concern the node.
    pub warnings: u32,
    /// 1–3 when the node is one of its goal's top three bottlenecks.
    pub bottleneck: Option<u8>,
    /// The active what-if scenario changes the node's values.
    pub overridden: bool,
    /// How many parents the node has (a shared KPI has more than one).
    pub parents: u32,
}

/// One card of the diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The node.
    pub id: NodeId,
    /// Its position in the document's node list.
    pub node: u32,
    /// Its kind (colour).
    pub kind: Kind,
    /// Top-left corner and size.
    pub rect: [f64; 4],
    /// The name, wrapped to at most two lines (shared with the cards of
    /// later diagrams while the node and its values stay the same).
    pub name: Arc<[String]>,
    /// (label, value) rows: target and actual.
    pub rows: Arc<[(String, String)]>,
    /// 達成率, when the card shows values and has one.
    pub progress: Option<f64>,
    /// The column of the card (0 for goals); the depth in the tree.
    pub depth: u32,
    /// The node has children in the document (so it can be collapsed).
    pub has_children: bool,
    /// The subtree below is folded away, and how many nodes that hides.
    pub collapsed: Option<usize>,
    /// Marks: computed, diagnostics, analysis.
    pub marks: CardMarks,
    /// A small trend line (target and actual per period), when the node has
    /// values per period.
    pub trend: Option<Arc<crate::eval::period::Trend>>,
    /// The node is a constant term (× 12 ヶ月): a small pill with its name
    /// and its number, no kind row, values or progress. Its one row is the
    /// number with its unit (with an empty label).
    pub constant: bool,
}

/// A line from a parent card to one of its children.
#[derive(Debug, Clone, PartialEq)]
pub struct Wire {
    /// The parent's card (index into [`Diagram::cards`]).
    pub parent: u32,
    /// The child's card.
    pub child: u32,
    /// The parent card's right middle.
    pub from: [f64; 2],
    /// The child card's left middle.
    pub to: [f64; 2],
    /// The route: axis-aligned segments from `from` to `to`.
    pub points: Vec<[f64; 2]>,
    /// Where the operator badge sits: on this term's own branch, just before
    /// the child.
    pub badge: [f64; 2],
    /// The edge's operator.
    pub op: Op,
    /// Whether the operator badge is drawn (arithmetic terms).
    pub show_op: bool,
}

/// Cards and wires, ready to draw.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagram {
    /// The cards, in document order.
    pub cards: Vec<Card>,
    /// The wires, drawn under the cards (shared with later diagrams of the
    /// same shape).
    pub wires: Arc<[Wire]>,
    /// The smallest rectangle around every card: min x, min y, max x, max y.
    pub bounds: [f64; 4],
    /// How the cards were placed.
    pub mode: LayoutMode,
    /// Where the automatic layout puts each card (what Arrange gives a
    /// document in free placement).
    pub auto_pos: Arc<[[f64; 2]]>,
    /// The document's parents and children.
    pub links: Arc<Links>,
    /// The card of each document node (`u32::MAX`: not shown).
    card_of: Arc<[u32]>,
    /// The card of each shown node, by id.
    by_id: Arc<FxHashMap<NodeId, u32>>,
    /// The wire of each (parent card, child card) pair.
    wire_of: Arc<FxHashMap<(u32, u32), u32>>,
}

impl Diagram {
    /// The card of the node with this id, if it is shown.
    pub fn card(&self, id: &NodeId) -> Option<&Card> {
        self.card_index(id).map(|k| &self.cards[k])
    }

    /// The position in [`Diagram::cards`] of the node with this id.
    pub fn card_index(&self, id: &NodeId) -> Option<usize> {
        self.by_id.get(id).map(|&k| k as usize)
    }

    /// The wire from the card `parent` to the card `child`, if any.
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub fn wire_between(&self, parent: usize, child: usize) -> Option<usize> {
        self.wire_of.get(&(parent as u32, child as u32)).map(|&k| k as usize)
    }

    /// The card of the document node at `node`, if it is shown.
    pub fn card_of_node(&self, node: u32) -> Option<usize> {
        self.card_of.get(node as usize).filter(|&&k| k != u32::MAX).map(|&k| k as usize)
    }
}
