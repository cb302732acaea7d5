//! Evaluation: every node's effective target, actual and progress, and the
//! diagnostics of the tree (`docs/FORMAT.md`, "Meaning" and "Diagnostics").

pub mod analysis;
pub mod attribution;
pub mod compare;
mod diagnostic;
mod evaluate;
pub mod explain;
mod graph;
pub(crate) mod lever;
mod reach;
pub mod sensitivity;
mod source;
pub use lever::count_operations;
pub mod period;
mod period_problem;

use rustc_hash::FxHashMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::Value;

pub use diagnostic::{Code, Detail, Diagnostic, EdgeRef, Severity, Which};
pub(crate) use evaluate::{Calc, evaluate_with_calc};
pub use evaluate::{MISMATCH_TOLERANCE, differs, evaluate, progress};

use crate::io::json_num::OptNum;
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
    index: crate::model::SharedIndex,
    /// Node position → the unit its computed values are in, for the nodes
    /// whose terms give a dimension their own unit cannot take
    /// (`unit_mismatch`): 120 件 × 25 % under a 社 goal is 30 件.
    value_units: FxHashMap<u32, String>,
    /// Values per period, when the document has periods.
    pub(crate) periods: Option<std::sync::Arc<period::PeriodTable>>,
    /// Node → positions in `diagnostics`, built on first use (the editor asks
    /// for every card on screen, every frame).
    by_node: std::sync::OnceLock<FxHashMap<NodeId, Vec<u32>>>,
}

impl Evaluation {
    /// The values of the node with this id.
    pub fn get(&self, id: &NodeId) -> Option<&NodeValue> {
        self.index.get(id.as_str()).and_then(|i| self.values.get(i))
    }

    /// The values of the node with this id, looked up by text.
    pub fn get_str(&self, id: &str) -> Option<&NodeValue> {
        self.index.get(id).and_then(|i| self.values.get(i))
    }

    /// The unit the computed values of the node with this id are in, when
    /// it is not the node's own (its terms give another dimension); `""`
    /// for a plain number.
    pub fn value_unit(&self, id: &NodeId) -> Option<&str> {
        self.value_unit_str(id.as_str())
    }

    /// [`Evaluation::value_unit`], looked up by text.
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub fn value_unit_str(&self, id: &str) -> Option<&str> {
        let i = self.index.get(id)?;
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

    /// The document's periods and every node's values in them, when it has
    /// periods.
    pub fn periods(&self) -> Option<&period::PeriodTable> {
        self.periods.as_deref()
    }

    /// The position in the document of the node with this id (the first
    /// node with it).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id)
    }

    /// The values of the node at `node` (document position) in `view`.
    pub fn view_value(&self, node: usize, view: period::View) -> NodeValue {
        let full = self.values.get(node).copied().unwrap_or_default();
        match self.periods() {
            Some(t) if view != period::View::Full => t.view(node, &full, view),
            _ => full,
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

    /// This evaluation with other findings: the values stay, the
    /// diagnostics are `diagnostics` (as [`period::view_diagnostics`] gives
    /// them for a period view).
    #[must_use]
    pub fn with_diagnostics(&self, diagnostics: Vec<Diagnostic>) -> Evaluation {
        Evaluation {
            values: self.values.clone(),
            diagnostics,
            index: self.index.clone(),
            value_units: self.value_units.clone(),
            periods: self.periods.clone(),
            by_node: std::sync::OnceLock::new(),
        }
    }

    /// The diagnostics that concern the node with this id.
    #[allow(clippy::cast_possible_truncation, reason = "indices of the diagnostics, fewer than 2^32")]
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
        serde_json::to_value(self.report(doc, lang)).unwrap_or(Value::Null)
    }

    /// The `kpitree check --json` object, written as it is serialised: one
    /// diagnostic and one node's values at a time, never all of them in
    /// memory as JSON values (a million diagnostics of a long cycle were
    /// gigabytes).
    pub fn report<'a>(&'a self, doc: &'a Document, lang: Lang) -> Report<'a> {
        Report { eval: self, doc, lang }
    }
}

/// The `check --json` object of an evaluation ([`Evaluation::report`]); as
/// an [`crate::io::json_stream::Appendix`], the entries an export adds to
/// the document's JSON.
pub struct Report<'a> {
    eval: &'a Evaluation,
    doc: &'a Document,
    lang: Lang,
}

impl Serialize for Report<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        for key in REPORT_KEYS {
            self.write_entry(key, &mut map)?;
        }
        map.end()
    }
}

/// The keys of the report, in order.
const REPORT_KEYS: &[&str] = &["diagnostics", "values"];

impl Report<'_> {
    fn write_entry<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        match key {
            "diagnostics" => map.serialize_entry(key, &Diagnostics(self)),
            _ => map.serialize_entry(key, &Values(self)),
        }
    }
}

impl crate::io::json_stream::Appendix for Report<'_> {
    fn keys(&self) -> &'static [&'static str] {
        REPORT_KEYS
    }
    fn entry<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error> {
        self.write_entry(key, map)
    }
}

struct Diagnostics<'a>(&'a Report<'a>);

impl Serialize for Diagnostics<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut seq = serializer.serialize_seq(Some(r.eval.diagnostics.len()))?;
        for d in &r.eval.diagnostics {
            seq.serialize_element(&DiagnosticEntry(d, r.lang))?;
        }
        seq.end()
    }
}

struct Values<'a>(&'a Report<'a>);

impl Serialize for Values<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = self.0;
        let mut map = serializer.serialize_map(None)?;
        let periods = r.eval.periods();
        // The first node with an id is the one its id stands for (looked up
        // only when some ids are repeated).
        let unique = r.eval.index.len() == r.doc.nodes.len();
        for (i, (node, v)) in r.doc.nodes.iter().zip(&r.eval.values).enumerate() {
            if !unique && r.eval.index.get(node.id.as_str()) != Some(i) {
                continue;
            }
            let periods = periods.filter(|t| t.has(i)).map(|t| (t, i));
            map.serialize_entry(node.id.as_str(), &NodeEntry { v, unit: node.unit.as_deref(), periods })?;
        }
        map.end()
    }
}

/// One node's entry of `values`, written field by field.
struct NodeEntry<'a> {
    v: &'a NodeValue,
    unit: Option<&'a str>,
    /// The period table and the node's position, when it has a series at
    /// or below it.
    periods: Option<(&'a period::PeriodTable, usize)>,
}

impl Serialize for NodeEntry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("target", &OptNum(self.v.target))?;
        m.serialize_entry("actual", &OptNum(self.v.actual))?;
        m.serialize_entry("progress", &OptNum(self.v.progress))?;
        m.serialize_entry("computed", &self.v.computed)?;
        m.serialize_entry("unit", &self.unit)?;
        if let Some((t, i)) = self.periods {
            m.serialize_entry("ytd", &t.ytd(i).map(Triple))?;
            m.serialize_entry("series", &Series(t, i))?;
            m.serialize_entry("forecast", &OptNum(t.forecast(i)))?;
        }
        m.end()
    }
}

/// `{target, actual, progress}` of a period or a range of them.
struct Triple(period::PeriodValue);

impl Serialize for Triple {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(3))?;
        m.serialize_entry("target", &OptNum(self.0.target))?;
        m.serialize_entry("actual", &OptNum(self.0.actual))?;
        m.serialize_entry("progress", &OptNum(self.0.progress))?;
        m.end()
    }
}

/// A node's values per period, by label.
struct Series<'a>(&'a period::PeriodTable, usize);

impl Serialize for Series<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Series(t, i) = *self;
        let mut m = serializer.serialize_map(None)?;
        for p in 0..t.len() {
            if let Some(v) = t.at(i, p) {
                m.serialize_entry(&t.label(p).to_string(), &Triple(v))?;
            }
        }
        m.end()
    }
}

/// How many ids of a cycle `check --json` lists in a diagnostic's `nodes`
/// (docs/FORMAT.md: the whole cycle up to this many nodes, else its first
/// ones, with `cycle_length` saying how many there are). Each node of the
/// cycle has its own diagnostic; without a limit a cycle of n nodes would
/// print n² ids.
pub const CYCLE_IDS_LISTED: usize = 100;

/// One diagnostic of `check --json`, written field by field.
struct DiagnosticEntry<'a>(&'a Diagnostic, Lang);

impl Serialize for DiagnosticEntry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let DiagnosticEntry(d, lang) = *self;
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("severity", d.severity().as_str())?;
        m.serialize_entry("code", d.code.as_str())?;
        m.serialize_entry("node", &d.node.as_ref().map(NodeId::as_str))?;
        m.serialize_entry("edge", &d.edge.as_ref().map(|e| EdgeEntry(e.parent.as_str(), e.child.as_str())))?;
        m.serialize_entry("message", &d.message(lang))?;
        if let Detail::Cycle(ids) = &d.detail {
            let listed: Vec<&str> = ids.iter().take(CYCLE_IDS_LISTED).map(NodeId::as_str).collect();
            m.serialize_entry("nodes", &listed)?;
            m.serialize_entry("cycle_length", &ids.len())?;
        }
        m.end()
    }
}

/// `{parent, child}` of a diagnostic's edge.
struct EdgeEntry<'a>(&'a str, &'a str);

impl Serialize for EdgeEntry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(Some(2))?;
        m.serialize_entry("parent", self.0)?;
        m.serialize_entry("child", self.1)?;
        m.end()
    }
}
