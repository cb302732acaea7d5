//! Scenario comparison: every what-if scenario side by side with the plan
//! as it is — the goals and the nodes the scenarios change, their actuals
//! and targets, and the difference to the base.

use std::sync::Arc;

use super::{Evaluation, evaluate};
use crate::model::{Document, Kind, NodeId};

/// One node's values in the base and in every scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared {
    /// The node.
    pub node: NodeId,
    /// Its target and actual as the document has them.
    pub base: [Option<f64>; 2],
    /// Its target and actual in each scenario, in the scenarios' order.
    pub scenarios: Vec<[Option<f64>; 2]>,
}

/// The scenarios compared.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Comparison {
    /// The scenarios' names, in the document's order.
    pub names: Vec<String>,
    /// The goals (KGIs first), then every node a scenario overrides.
    pub rows: Vec<Compared>,
}

/// The comparison of `doc`'s scenarios (none when it has none or they
/// cannot be read): each scenario's document evaluated once.
pub fn compare(doc: &Arc<Document>, base: &Evaluation) -> Comparison {
    let Ok(list) = doc.scenarios.readable() else { return Comparison::default() };
    if list.is_empty() {
        return Comparison::default();
    }
    let evaluations: Vec<Evaluation> = list.iter().map(|s| evaluate(&s.apply(doc))).collect();
    // The goals: KGIs, else nodes that are no child of anything.
    let mut ids: Vec<NodeId> = doc.nodes.iter().filter(|n| n.kind == Kind::Kgi).map(|n| n.id.clone()).collect();
    let mut listed: rustc_hash::FxHashSet<NodeId> = ids.iter().cloned().collect();
    for s in list {
        for o in &s.overrides {
            if doc.node(&o.node).is_some() && listed.insert(o.node.clone()) {
                ids.push(o.node.clone());
            }
        }
    }
    let values = |e: &Evaluation, id: &NodeId| e.get(id).map_or([None, None], |v| [v.target, v.actual]);
    let rows = ids
        .into_iter()
        .map(|id| Compared {
            base: values(base, &id),
            scenarios: evaluations.iter().map(|e| values(e, &id)).collect(),
            node: id,
        })
        .collect();
    Comparison { names: list.iter().map(|s| s.name.clone()).collect(), rows }
}
