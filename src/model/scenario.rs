//! What-if scenarios: named sets of overridden targets and actuals, kept in
//! the document under the top-level key `scenarios` (docs/FORMAT.md,
//! "Extensions"). They are read once when the file is loaded and written back
//! on save with any fields kpitree does not know (`io::scenarios`); a
//! `scenarios` value kpitree cannot read is kept exactly as it was and
//! reported when a scenario is used.

use std::sync::Arc;

use serde_json::Value;

use super::{Document, Extra, NodeId};

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
    /// Fields kpitree does not know.
    pub extra: Extra,
}

/// A named what-if scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// Its name, unique in the document.
    pub name: String,
    /// The overridden nodes, at most one entry per node.
    pub overrides: Vec<Override>,
    /// Fields kpitree does not know.
    pub extra: Extra,
}

/// The scenarios of a document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenarios {
    /// The scenarios, in file order.
    pub list: Vec<Scenario>,
    /// A `scenarios` value kpitree cannot read, kept as it was, and why.
    pub unreadable: Option<(Value, String)>,
}

impl Scenarios {
    /// The scenario with this name.
    pub fn get(&self, name: &str) -> Option<&Scenario> {
        self.list.iter().find(|s| s.name == name)
    }

    /// The scenarios, or what is wrong with the saved value.
    pub fn readable(&self) -> Result<&[Scenario], String> {
        match &self.unreadable {
            Some((_, why)) => Err(why.clone()),
            None => Ok(&self.list),
        }
    }
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
            None => self.overrides.push(Override { node: node.clone(), target, actual, extra: Extra::new() }),
        }
    }

    /// The override of `node`, if any.
    pub fn get(&self, node: &NodeId) -> Option<&Override> {
        self.overrides.iter().find(|o| &o.node == node)
    }

    /// `doc` with the overridden targets and actuals entered in place of
    /// the nodes' own; overrides of nodes that no longer exist are skipped.
    /// The copy shares every node it does not change.
    pub fn apply(&self, doc: &Document) -> Document {
        let mut out = doc.clone();
        for o in &self.overrides {
            let Some(mut node) = out.nodes.get_mut_by_id(o.node.as_str()) else { continue };
            if o.target.is_some() {
                node.target = o.target;
            }
            if o.actual.is_some() {
                node.actual = o.actual;
            }
        }
        out
    }
}

/// The document to evaluate and analyse: `doc` itself, or with the active
/// scenario's overrides entered. One rule for the editor and the command
/// line. Fails when the scenario is named but the document has no such
/// scenario, or its scenarios cannot be read.
pub fn effective(doc: &Arc<Document>, active: Option<&str>) -> Result<Arc<Document>, String> {
    let Some(name) = active else { return Ok(Arc::clone(doc)) };
    let list = doc.scenarios.readable()?;
    match list.iter().find(|s| s.name == name) {
        Some(s) => Ok(Arc::new(s.apply(doc))),
        None if list.is_empty() => Err(format!("there is no scenario named \"{name}\" (the document has none)")),
        None => {
            let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
            Err(format!("there is no scenario named \"{name}\"; the scenarios are: {}", names.join(", ")))
        }
    }
}
