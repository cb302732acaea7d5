use std::fmt;
use std::sync::Arc;

use super::lists::{Edges, NodeMut, Nodes};
use super::scenario::Scenarios;
use super::{Date, Op};

/// Fields of a JSON object that kpitree does not know. They are kept on load
/// and written back on save, in their original order.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// The id of a node: unique in the file, non-empty, stable across saves.
///
/// Shared text, so that the evaluation, the canvas and diagnostics can hold
/// ids of a 100,000-node document without copying them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub Arc<str>);

impl Default for NodeId {
    fn default() -> Self {
        NodeId(Arc::from(""))
    }
}

impl NodeId {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for NodeId {
    fn from(s: &str) -> Self {
        NodeId(Arc::from(s))
    }
}

impl From<String> for NodeId {
    fn from(s: String) -> Self {
        NodeId(Arc::from(s))
    }
}

impl std::borrow::Borrow<str> for NodeId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

/// The level of a node in the KGI → KSF → KPI method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Key Goal Indicator: the goal (重要目標達成指標).
    Kgi,
    /// Key Success Factor: a qualitative success factor (重要成功要因).
    Ksf,
    /// Key Performance Indicator: a measurable indicator (重要業績評価指標).
    Kpi,
}

/// Why a link between two nodes is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// A goal (KGI) is never a term of anything.
    GoalAsTerm,
    /// A success factor (KSF) is never below an indicator (KPI).
    FactorUnderIndicator,
    /// A node is not its own term.
    SelfLink,
    /// The child is already a term of the parent.
    Exists,
    /// The link would close a cycle.
    Cycle,
}

impl Kind {
    /// Whether a node of this kind may be a term (or a linked child) of a
    /// `parent` of that kind: KGI → KSF → KPI, a goal never below anything
    /// and a success factor never below an indicator (`kind_order`).
    pub fn may_be_term_of(self, parent: Kind) -> Result<(), Refusal> {
        match (parent, self) {
            (_, Kind::Kgi) => Err(Refusal::GoalAsTerm),
            (Kind::Kpi, Kind::Ksf) => Err(Refusal::FactorUnderIndicator),
            _ => Ok(()),
        }
    }

    /// Every kind, goal first.
    pub const ALL: [Kind; 3] = [Kind::Kgi, Kind::Ksf, Kind::Kpi];

    /// Parses the file spelling `KGI`, `KSF` or `KPI`.
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "KGI" => Kind::Kgi,
            "KSF" => Kind::Ksf,
            "KPI" => Kind::Kpi,
            _ => return None,
        })
    }

    /// The file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Kgi => "KGI",
            Kind::Ksf => "KSF",
            Kind::Kpi => "KPI",
        }
    }
}

/// Which way is better for a node's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    /// Higher is better (the default).
    #[default]
    Up,
    /// Lower is better: cost, churn, lead time.
    Down,
}

impl Direction {
    /// Parses `up` or `down`.
    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "up" => Some(Direction::Up),
            "down" => Some(Direction::Down),
            _ => None,
        }
    }

    /// The file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// Whether an indicator leads (先行指標) or lags (遅行指標) the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Indicator {
    /// 先行指標: moves before the result (calls, visits).
    Leading,
    /// 遅行指標: the result itself (revenue, contracts).
    Lagging,
}

impl Indicator {
    /// Parses `leading` or `lagging`.
    pub fn parse(s: &str) -> Option<Indicator> {
        match s {
            "leading" => Some(Indicator::Leading),
            "lagging" => Some(Indicator::Lagging),
            _ => None,
        }
    }

    /// The file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Indicator::Leading => "leading",
            Indicator::Lagging => "lagging",
        }
    }
}

/// The one list of a node's optional fields, in the order they are saved
/// (docs/FORMAT.md, "Node"): the name in the file is the member of [`Node`],
/// then (in brackets) its variant of [`crate::model::Field`], its type and
/// the codec that reads and writes it (`io::fields`). [`Node`], the edits of
/// its fields, both loaders and the saver are generated from this list, so a
/// field added here is read, kept, edited and written everywhere.
macro_rules! node_fields {
    ($then:ident) => {
        $then! {
            /// The unit text (see [`crate::model::Unit`]); `None` or empty = plain number.
            unit (Unit): Option<String> = Text,
            /// The entered plan value, in `unit`.
            target (Target): Option<f64> = Number,
            /// The entered measured value, in `unit`.
            actual (Actual): Option<f64> = Number,
            /// Which way is better; `None` means the default, up.
            direction (Direction): Option<Direction> = Choice,
            /// By when the target is due.
            deadline (Deadline): Option<Date> = Day,
            /// Person or team responsible.
            owner (Owner): Option<String> = Text,
            /// Leading or lagging indicator.
            indicator (Indicator): Option<Indicator> = Choice,
            /// Where the actual comes from.
            source (Source): Option<String> = Text,
            /// Free text.
            note (Note): Option<String> = Text,
            /// Canvas position of the top-left corner (free placement); `None` =
            /// placed by the automatic layout.
            pos (Pos): Option<[f64; 2]> = Point,
            /// The subtree below this node is folded away on the canvas and in
            /// exports ("collapsed": true).
            collapsed (Collapsed): bool = Flag,
            /// How the node's periods roll up (`None`: by its unit, see
            /// [`crate::model::Aggregate::default_for`]).
            aggregate (Aggregate): Option<crate::model::Aggregate> = Choice,
            /// Target and actual per period, by label.
            series (Series): Option<crate::model::Series> = SeriesCodec,
            /// A fixed number (× 12 ヶ月, × 1.1 消費税): the node's target and
            /// actual both, never a KPI to track.
            constant (Constant): Option<f64> = Number,
        }
    };
}
pub(crate) use node_fields;

macro_rules! define_node {
    ($($(#[$doc:meta])* $field:ident ($variant:ident): $ty:ty = $codec:ident,)*) => {
        /// One box of the tree.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Node {
            /// Unique, non-empty id.
            pub id: NodeId,
            /// KGI, KSF or KPI.
            pub kind: Kind,
            /// The label on the diagram.
            pub name: String,
            $($(#[$doc])* pub $field: $ty,)*
            /// Fields kpitree does not know, kept for writing back.
            pub extra: Extra,
        }

        impl Node {
            /// A node with only the required fields set.
            pub fn new(id: impl Into<NodeId>, kind: Kind, name: impl Into<String>) -> Node {
                Node {
                    id: id.into(),
                    kind,
                    name: name.into(),
                    $($field: Default::default(),)*
                    extra: Extra::new(),
                }
            }
        }
    };
}

node_fields!(define_node);

impl Node {
    /// The unit text, `""` when there is none.
    pub fn unit_str(&self) -> &str {
        self.unit.as_deref().unwrap_or("")
    }

    /// The direction, defaulting to up.
    pub fn direction(&self) -> Direction {
        self.direction.unwrap_or_default()
    }
}

/// A link from a parent to one of its terms (or, for `link`, to a factor that
/// explains it without arithmetic).
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// The node whose value this edge contributes to.
    pub parent: NodeId,
    /// The term.
    pub child: NodeId,
    /// How the term enters the parent's value.
    pub op: Op,
    /// Fields kpitree does not know.
    pub extra: Extra,
}

impl Edge {
    /// An edge without extra fields.
    pub fn new(parent: impl Into<NodeId>, child: impl Into<NodeId>, op: Op) -> Edge {
        Edge { parent: parent.into(), child: child.into(), op, extra: Extra::new() }
    }
}

/// The planning period of the document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Period {
    /// First day of the period.
    pub start: Option<Date>,
    /// Last day of the period.
    pub end: Option<Date>,
    /// The day the actuals were measured.
    pub as_of: Option<Date>,
    /// The month (1–12) a fiscal year starts in; `None` = April.
    pub fiscal_year_start: Option<u8>,
    /// How a fiscal year is named; `None` = by the year it starts in.
    pub year_label: Option<crate::model::YearLabel>,
    /// Months or quarters; `None` = months.
    pub granularity: Option<crate::model::Granularity>,
    /// Fields kpitree does not know.
    pub extra: Extra,
}

/// How the canvas places cards (top-level `"layout"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LayoutMode {
    /// Every card where the automatic tidy layout puts it; structural edits
    /// lay the tree out again.
    #[default]
    Auto,
    /// Cards where the user put them (`pos`); Arrange tidies.
    Free,
}

impl LayoutMode {
    /// Parses `auto` or `free`.
    pub fn parse(s: &str) -> Option<LayoutMode> {
        match s {
            "auto" => Some(LayoutMode::Auto),
            "free" => Some(LayoutMode::Free),
            _ => None,
        }
    }

    /// The file spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LayoutMode::Auto => "auto",
            LayoutMode::Free => "free",
        }
    }
}

/// A KPI-tree document, version 1 of the file format.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Title of the plan.
    pub title: Option<String>,
    /// A one-line description (templates show it in lists).
    pub description: Option<String>,
    /// Free text about the whole document.
    pub note: Option<String>,
    /// The planning period.
    pub period: Option<Period>,
    /// How the canvas places cards; `None` = free when any node has a `pos`,
    /// else automatic (see [`Document::layout_mode`]).
    pub layout: Option<LayoutMode>,
    /// The nodes, in file order.
    pub nodes: Nodes,
    /// The edges; a parent's edges in this order are the order of its terms.
    pub edges: Edges,
    /// The what-if scenarios.
    pub scenarios: Scenarios,
    /// Top-level fields kpitree does not know.
    pub extra: Extra,
}

impl Document {
    /// An empty document.
    pub fn new() -> Document {
        Document::default()
    }

    /// The first node with this id.
    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        self.nodes.get_by_id(id.as_str())
    }

    /// The node at position `at` when it has this id (as a row of an
    /// analysis of this document remembers), else the first with this id:
    /// a report of 100,000 rows reads each row's node without a lookup.
    pub fn node_at(&self, at: usize, id: &NodeId) -> Option<&Node> {
        match self.nodes.get(at) {
            Some(n) if n.id == *id => Some(n),
            _ => self.node(id),
        }
    }

    /// The first node with this id, to change (only that node is copied when
    /// another snapshot shares it).
    pub fn node_mut(&mut self, id: &NodeId) -> Option<NodeMut<'_>> {
        self.nodes.get_mut_by_id(id.as_str())
    }

    /// The layout in effect: the saved choice, else free placement when any
    /// node has a position (files from before automatic layout), else
    /// automatic.
    pub fn layout_mode(&self) -> LayoutMode {
        self.layout.unwrap_or_else(|| {
            if self.nodes.iter().any(|n| n.pos.is_some()) { LayoutMode::Free } else { LayoutMode::Auto }
        })
    }

    /// The operator a new term of `parent` of kind `child` gets (see
    /// [`Op::for_new_term`]).
    pub fn new_term_op(&self, parent: &NodeId, child: Kind) -> Op {
        let last = self.edges.iter().rev().find(|e| &e.parent == parent && e.op.is_arithmetic()).map(|e| e.op);
        Op::for_new_term(self.node(parent).map(|p| p.kind), child, last)
    }

    /// Every node's position in the order people read the tree: depth
    /// first from the goals (KGIs first, then other nodes without a parent,
    /// each in file order), a node's children in the order of its edges,
    /// each node once (where it is first reached); then the nodes no goal
    /// reaches (inside a cycle), in file order. Linear, and without
    /// recursion however deep the tree.
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub fn depth_first(&self) -> Vec<usize> {
        let n = self.nodes.len();
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut has_parent = vec![false; n];
        for e in self.edges.iter() {
            if let (Some(p), Some(c)) = (self.nodes.position(e.parent.as_str()), self.nodes.position(e.child.as_str()))
                && p != c
            {
                children[p].push(c as u32);
                has_parent[c] = true;
            }
        }
        let mut roots: Vec<usize> = (0..n).filter(|&i| !has_parent[i]).collect();
        roots.sort_by_key(|&i| (self.nodes[i].kind != Kind::Kgi, i));
        let mut seen = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let mut stack: Vec<usize> = Vec::new();
        for start in roots.into_iter().chain(0..n) {
            stack.push(start);
            while let Some(v) = stack.pop() {
                if std::mem::replace(&mut seen[v], true) {
                    continue;
                }
                order.push(v);
                stack.extend(children[v].iter().rev().map(|&c| c as usize).filter(|&c| !seen[c]));
            }
        }
        order
    }

    /// An id that no node has yet, built from `stem` (`kpi`, `kpi_2`, …).
    /// In a room the stem carries this editor's tag ([`set_id_tag`]), so
    /// that two participants adding a KPI at once never make the same id.
    pub fn fresh_id(&self, stem: &str) -> NodeId {
        let tagged = ID_TAG.with(|t| t.borrow().as_ref().map(|tag| format!("{stem}_{tag}")));
        let stem = tagged.as_deref().unwrap_or(stem);
        if !stem.is_empty() && !self.nodes.contains(stem) {
            return NodeId::from(stem);
        }
        (2..).map(|i| format!("{stem}_{i}")).find(|c| !self.nodes.contains(c)).map(NodeId::from).unwrap_or_default()
    }
}

thread_local! {
    /// This thread's tag for new ids (the editor's, in a room).
    static ID_TAG: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Makes new ids on this thread carry `tag` (`kpi_3f2a`), or no tag: set
/// while the editor is in a room, where ids must be unique across
/// participants who add nodes at the same time.
pub fn set_id_tag(tag: Option<String>) {
    ID_TAG.with(|t| *t.borrow_mut() = tag);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Op;

    #[test]
    fn new_ids_carry_the_rooms_tag_while_one_is_set() {
        let mut doc = Document::new();
        doc.nodes.push(Node::new("kpi", Kind::Kpi, "k"));
        assert_eq!(doc.fresh_id("kpi").as_str(), "kpi_2");
        set_id_tag(Some("ab12".into()));
        assert_eq!(doc.fresh_id("kpi").as_str(), "kpi_ab12");
        doc.nodes.push(Node::new("kpi_ab12", Kind::Kpi, "k"));
        assert_eq!(doc.fresh_id("kpi").as_str(), "kpi_ab12_2");
        set_id_tag(None);
        assert_eq!(doc.fresh_id("kpi").as_str(), "kpi_2");
    }

    #[test]
    fn depth_first_reads_goals_first_then_terms_in_edge_order_each_node_once() {
        let mut doc = Document::new();
        for (id, kind) in [("x", Kind::Kpi), ("b", Kind::Kpi), ("g", Kind::Kgi), ("a", Kind::Kpi), ("c1", Kind::Kpi)] {
            doc.nodes.push(Node::new(id, kind, id));
        }
        for (p, c) in [("g", "a"), ("g", "b"), ("a", "c1"), ("b", "c1")] {
            doc.edges.push(Edge::new(p, c, Op::Mul));
        }
        let ids: Vec<&str> = doc.depth_first().into_iter().map(|i| doc.nodes[i].id.as_str()).collect();
        // The goal first, then a and its term, then b (c1 already read), then
        // the orphan x.
        assert_eq!(ids, ["g", "a", "c1", "b", "x"]);
    }

    #[test]
    fn depth_first_reaches_every_node_of_a_cycle_and_a_deep_chain() {
        let mut doc = Document::new();
        let n = 100_000;
        for i in 0..n {
            doc.nodes.push(Node::new(format!("n{i}"), Kind::Kpi, "x"));
        }
        for i in 1..n {
            doc.edges.push(Edge::new(format!("n{}", i - 1), format!("n{i}"), Op::Add));
        }
        doc.edges.push(Edge::new(format!("n{}", n - 1), "n0", Op::Add));
        let order = doc.depth_first();
        assert_eq!(order.len(), n);
        assert_eq!(order[..3], [0, 1, 2]);
    }
}
