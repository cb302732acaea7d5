use std::fmt;
use std::sync::Arc;

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

impl Kind {
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

/// One box of the tree.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique, non-empty id.
    pub id: NodeId,
    /// KGI, KSF or KPI.
    pub kind: Kind,
    /// The label on the diagram.
    pub name: String,
    /// The unit text (see [`crate::model::Unit`]); `None` or empty = plain number.
    pub unit: Option<String>,
    /// The entered plan value, in `unit`.
    pub target: Option<f64>,
    /// The entered measured value, in `unit`.
    pub actual: Option<f64>,
    /// Which way is better; `None` means the default, up.
    pub direction: Option<Direction>,
    /// By when the target is due.
    pub deadline: Option<Date>,
    /// Person or team responsible.
    pub owner: Option<String>,
    /// Leading or lagging indicator.
    pub indicator: Option<Indicator>,
    /// Where the actual comes from.
    pub source: Option<String>,
    /// Free text.
    pub note: Option<String>,
    /// Canvas position of the top-left corner; `None` = placed by auto-layout.
    pub pos: Option<[f64; 2]>,
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
            unit: None,
            target: None,
            actual: None,
            direction: None,
            deadline: None,
            owner: None,
            indicator: None,
            source: None,
            note: None,
            pos: None,
            extra: Extra::new(),
        }
    }

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
    /// Fields kpitree does not know.
    pub extra: Extra,
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
    /// The nodes, in file order.
    pub nodes: Vec<Node>,
    /// The edges; a parent's edges in this order are the order of its terms.
    pub edges: Vec<Edge>,
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
        self.nodes.iter().find(|n| &n.id == id)
    }

    /// The first node with this id, mutably.
    pub fn node_mut(&mut self, id: &NodeId) -> Option<&mut Node> {
        self.nodes.iter_mut().find(|n| &n.id == id)
    }

    /// An id that no node has yet, built from `stem` (`kpi`, `kpi_2`, …).
    pub fn fresh_id(&self, stem: &str) -> NodeId {
        let taken: rustc_hash::FxHashSet<&str> = self.nodes.iter().map(|n| n.id.as_str()).collect();
        if !taken.contains(stem) && !stem.is_empty() {
            return NodeId::from(stem);
        }
        (2..).map(|i| format!("{stem}_{i}")).find(|c| !taken.contains(c.as_str())).map(NodeId::from).unwrap_or_default()
    }
}
