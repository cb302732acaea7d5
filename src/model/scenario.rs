//! What-if scenarios: named sets of overridden targets and actuals, kept in
//! the document under the top-level key `scenarios` (docs/FORMAT.md,
//! "Extensions"). A file without scenarios has no such key, and an older
//! kpitree keeps the key as an unknown field.

use serde_json::{Map, Value};

use super::{Document, NodeId};
use crate::io::json_number as number;

/// The top-level key scenarios are kept under.
pub const KEY: &str = "scenarios";

/// One overridden node.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// The node.
    pub node: NodeId,
    /// The target to use instead of the node's own, if any.
    pub target: Option<f64>,
    /// The actual to use instead of the node's own, if any.
    pub actual: Option<f64>,
}

/// A named what-if scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// Its name, unique in the document.
    pub name: String,
    /// The overridden nodes, at most one entry per node.
    pub overrides: Vec<Override>,
}

impl Scenario {
    /// Sets (or with both `None`, removes) the override of `node`.
    pub fn set(&mut self, node: &NodeId, target: Option<f64>, actual: Option<f64>) {
        let target = target.filter(|v| v.is_finite());
        let actual = actual.filter(|v| v.is_finite());
        match self.overrides.iter().position(|o| &o.node == node) {
            Some(i) if target.is_none() && actual.is_none() => {
                self.overrides.remove(i);
            }
            Some(i) => {
                self.overrides[i].target = target;
                self.overrides[i].actual = actual;
            }
            None if target.is_none() && actual.is_none() => {}
            None => self.overrides.push(Override { node: node.clone(), target, actual }),
        }
    }

    /// The override of `node`, if any.
    pub fn get(&self, node: &NodeId) -> Option<&Override> {
        self.overrides.iter().find(|o| &o.node == node)
    }

    /// `doc` with the overridden targets and actuals entered in place of
    /// the nodes' own; overrides of nodes that no longer exist are skipped.
    pub fn apply(&self, doc: &Document) -> Document {
        let mut out = doc.clone();
        for o in &self.overrides {
            for node in out.nodes.iter_mut().filter(|n| n.id == o.node) {
                if o.target.is_some() {
                    node.target = o.target;
                }
                if o.actual.is_some() {
                    node.actual = o.actual;
                }
            }
        }
        out
    }
}

/// The scenarios saved in `doc`, or what is wrong with them.
pub fn read(doc: &Document) -> Result<Vec<Scenario>, String> {
    let Some(value) = doc.extra.get(KEY) else { return Ok(Vec::new()) };
    let Value::Array(items) = value else { return Err(format!("\"{KEY}\" must be an array")) };
    let mut out: Vec<Scenario> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = format!("{KEY}[{i}]");
        let Value::Object(map) = item else { return Err(format!("{at}: expected an object")) };
        let Some(Value::String(name)) = map.get("name") else {
            return Err(format!("{at}, field \"name\": expected text"));
        };
        if out.iter().any(|s| &s.name == name) {
            return Err(format!("{at}: a second scenario named \"{name}\""));
        }
        let mut scenario = Scenario { name: name.clone(), overrides: Vec::new() };
        let overrides = match map.get("overrides") {
            None | Some(Value::Null) => &Vec::new(),
            Some(Value::Array(list)) => list,
            Some(_) => return Err(format!("{at}, field \"overrides\": expected an array")),
        };
        for (k, o) in overrides.iter().enumerate() {
            let at = format!("{at}.overrides[{k}]");
            let Value::Object(o) = o else { return Err(format!("{at}: expected an object")) };
            let Some(Value::String(node)) = o.get("node") else {
                return Err(format!("{at}, field \"node\": expected a node id"));
            };
            let num = |field: &str| match o.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Number(n)) => n
                    .as_f64()
                    .filter(|v| v.is_finite())
                    .map(Some)
                    .ok_or_else(|| format!("{at}, field \"{field}\": not a finite number")),
                Some(_) => Err(format!("{at}, field \"{field}\": expected a number or null")),
            };
            scenario.set(&NodeId::from(node.as_str()), num("target")?, num("actual")?);
        }
        out.push(scenario);
    }
    Ok(out)
}

/// Stores `scenarios` in `doc`, removing the key when there are none.
pub fn write(doc: &mut Document, scenarios: &[Scenario]) {
    if scenarios.is_empty() {
        doc.extra.remove(KEY);
        return;
    }
    let list = scenarios
        .iter()
        .map(|s| {
            let overrides = s
                .overrides
                .iter()
                .map(|o| {
                    let mut m = Map::new();
                    m.insert("node".into(), Value::String(o.node.as_str().to_owned()));
                    if let Some(t) = o.target {
                        m.insert("target".into(), number(t));
                    }
                    if let Some(a) = o.actual {
                        m.insert("actual".into(), number(a));
                    }
                    Value::Object(m)
                })
                .collect();
            let mut m = Map::new();
            m.insert("name".into(), Value::String(s.name.clone()));
            m.insert("overrides".into(), Value::Array(overrides));
            Value::Object(m)
        })
        .collect();
    doc.extra.insert(KEY.into(), Value::Array(list));
}
