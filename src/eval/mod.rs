//! Evaluation: every node's effective target, actual and progress, and the
//! diagnostics of the tree (`docs/FORMAT.md`, "Meaning" and "Diagnostics").

pub mod analysis;
pub mod derived;
mod diagnostic;
mod evaluate;
mod graph;
pub mod period;
mod worker;

use rustc_hash::FxHashMap;
use serde_json::map::Entry;
use serde_json::{Map, Value, json};

pub use diagnostic::{
    Code, Detail, Diagnostic, EdgeRef, Severity, Which, format_amount, format_amount_or_dash, format_change,
    format_number, format_percent,
};
pub use evaluate::{MISMATCH_TOLERANCE, differs, evaluate, progress};
pub use worker::{Outcome, Worker, free_elsewhere};

use crate::io::number;
use crate::lang::Lang;
use crate::model::{Document, Node, NodeId};

/// The evaluated values of one node, in the node's own unit.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NodeValue {
    /// Effective target: the entered one, else the computed one.
    pub target: Option<f64>,
    /// Effective actual: the computed one when every term has an actual, else
    /// the entered one.
    pub actual: Option<f64>,
    /// 達成率 as a ratio (1.0 = 100 %), direction respected.
    pub progress: Option<f64>,
    /// True when the node has at least one arithmetic child edge.
    pub computed: bool,
    /// The target its terms give, when they all have one.
    pub computed_target: Option<f64>,
    /// The actual its terms give, when they all have one.
    pub computed_actual: Option<f64>,
}

/// The result of [`evaluate`].
#[derive(Debug, Clone, Default)]
pub struct Evaluation {
    /// One value per node of the document, in the document's node order.
    values: Vec<NodeValue>,
    /// Every finding: errors first, then warnings, then infos.
    pub diagnostics: Vec<Diagnostic>,
    /// Id → position in `values` (the first node with that id).
    index: FxHashMap<NodeId, usize>,
    /// Node position → the unit its computed values are in, for the nodes
    /// whose terms give a dimension their own unit cannot take
    /// (`unit_mismatch`): 120 件 × 25 % under a 社 goal is 30 件.
    value_units: FxHashMap<u32, String>,
    /// Node → positions in `diagnostics`, built on first use (the editor asks
    /// for every card on screen, every frame).
    by_node: std::sync::OnceLock<FxHashMap<NodeId, Vec<u32>>>,
}

impl Evaluation {
    /// The values of the node with this id.
    pub fn get(&self, id: &NodeId) -> Option<&NodeValue> {
        self.index.get(id).and_then(|&i| self.values.get(i))
    }

    /// The values of the node with this id, looked up by text.
    pub fn get_str(&self, id: &str) -> Option<&NodeValue> {
        self.index.get(id).and_then(|&i| self.values.get(i))
    }

    /// The unit the computed values of the node with this id are in, when
    /// it is not the node's own (its terms give another dimension); `""`
    /// for a plain number.
    pub fn value_unit(&self, id: &NodeId) -> Option<&str> {
        self.value_unit_str(id.as_str())
    }

    /// [`Evaluation::value_unit`], looked up by text.
    pub fn value_unit_str(&self, id: &str) -> Option<&str> {
        let i = *self.index.get(id)?;
        self.value_units.get(&(i as u32)).map(String::as_str)
    }

    /// The unit `node`'s effective target or actual is shown in: the unit
    /// its terms give when that value is computed and the node's own unit
    /// cannot take it ([`Evaluation::value_unit`]), else the node's unit.
    pub fn shown_unit<'a>(&'a self, node: &'a Node, which: Which) -> &'a str {
        let Some(v) = self.get(&node.id) else { return node.unit_str() };
        let computed = match which {
            Which::Target => node.target.is_none() && v.computed_target.is_some(),
            Which::Actual => v.computed_actual.is_some(),
        };
        match self.value_unit(&node.id) {
            Some(unit) if computed => unit,
            _ => node.unit_str(),
        }
    }

    /// The values in the document's node order.
    pub fn values(&self) -> &[NodeValue] {
        &self.values
    }

    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity() == Severity::Error)
    }

    /// How many diagnostics there are of each severity: (errors, warnings, infos).
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut c = (0, 0, 0);
        for d in &self.diagnostics {
            match d.severity() {
                Severity::Error => c.0 += 1,
                Severity::Warning => c.1 += 1,
                Severity::Info => c.2 += 1,
            }
        }
        c
    }

    /// The diagnostics that concern the node with this id.
    pub fn diagnostics_of<'a>(&'a self, id: &'a NodeId) -> impl Iterator<Item = &'a Diagnostic> + 'a {
        let by_node = self.by_node.get_or_init(|| {
            let mut map: FxHashMap<NodeId, Vec<u32>> = FxHashMap::default();
            for (i, d) in self.diagnostics.iter().enumerate() {
                if let Some(node) = &d.node {
                    map.entry(node.clone()).or_default().push(i as u32);
                }
            }
            map
        });
        by_node.get(id).into_iter().flatten().map(|&i| &self.diagnostics[i as usize])
    }

    /// The `kpitree check --json` object: `diagnostics` and `values`.
    pub fn to_json(&self, doc: &Document, lang: Lang) -> Value {
        let diagnostics: Vec<Value> = self.diagnostics.iter().map(|d| diagnostic_json(d, lang)).collect();
        let mut values = Map::with_capacity(doc.nodes.len());
        for (node, v) in doc.nodes.iter().zip(&self.values) {
            // The first node with an id is the one its id stands for.
            let Entry::Vacant(entry) = values.entry(node.id.as_str()) else { continue };
            let mut m = Map::with_capacity(5);
            m.insert("target".into(), opt_number(v.target));
            m.insert("actual".into(), opt_number(v.actual));
            m.insert("progress".into(), opt_number(v.progress));
            m.insert("computed".into(), Value::Bool(v.computed));
            m.insert("unit".into(), node.unit.as_deref().map_or(Value::Null, Value::from));
            entry.insert(Value::Object(m));
        }
        // Not `json!`, which would copy both parts value by value.
        let mut top = Map::with_capacity(2);
        top.insert("diagnostics".into(), Value::Array(diagnostics));
        top.insert("values".into(), Value::Object(values));
        Value::Object(top)
    }
}

fn opt_number(x: Option<f64>) -> Value {
    x.map_or(Value::Null, number)
}

/// How many ids of a cycle `check --json` lists in a diagnostic's `nodes`.
/// Each node of the cycle has its own diagnostic; without a limit a cycle of
/// n nodes would print n² ids.
const CYCLE_IDS_LISTED: usize = 100;

fn diagnostic_json(d: &Diagnostic, lang: Lang) -> Value {
    let mut m = Map::with_capacity(6);
    m.insert("severity".into(), d.severity().as_str().into());
    m.insert("code".into(), d.code.as_str().into());
    m.insert("node".into(), d.node.as_ref().map_or(Value::Null, |id| id.as_str().into()));
    m.insert(
        "edge".into(),
        d.edge.as_ref().map_or(Value::Null, |e| json!({ "parent": e.parent.as_str(), "child": e.child.as_str() })),
    );
    m.insert("message".into(), d.message(lang).into());
    if let Detail::Cycle(ids) = &d.detail {
        m.insert("nodes".into(), ids.iter().take(CYCLE_IDS_LISTED).map(|id| Value::from(id.as_str())).collect());
    }
    Value::Object(m)
}
