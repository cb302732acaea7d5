//! Sensitivity (the tornado): for every input of a goal, the goal's value
//! with that input x % lower and x % higher, the others as they are, and
//! its elasticity (the goal's relative change per relative change of the
//! input). One pass down from each goal ([`super::lever`]) gives each input
//! an exact map to the goal; an input the goal reaches along several chains
//! is carried up the tree instead.

use super::Which;
use super::analysis::Analyzer;
use super::lever::levers;
use crate::model::{Kind, NodeId};

/// How one input moves one goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// The goal.
    pub goal: NodeId,
    /// The input: a leaf KPI.
    pub node: NodeId,
    /// The goal's value now, in its unit.
    pub base: f64,
    /// The goal's value with the input x % lower.
    pub low: Option<f64>,
    /// The goal's value with the input x % higher.
    pub high: Option<f64>,
    /// d(ln goal) / d(ln input) at the value now.
    pub elasticity: Option<f64>,
}

impl Sensitivity {
    /// How far apart `low` and `high` are (the tornado's bar).
    pub fn swing(&self) -> f64 {
        match (self.low, self.high) {
            (Some(l), Some(h)) => (h - l).abs(),
            _ => 0.0,
        }
    }
}

impl Analyzer {
    /// The sensitivity of every goal to every leaf KPI below it (not the
    /// constants), `percent` % down and up, on targets or actuals; per goal
    /// (KGIs first, then file order), largest swing first.
    pub fn sensitivity(&self, percent: f64, which: Which) -> Vec<Sensitivity> {
        let s = percent / 100.0;
        let doc = self.document();
        let scale = &self.calc().scale[which as usize];
        let mut out = Vec::new();
        for g in self.goal_nodes() {
            let Some(base) = self.value_of(g, which) else { continue };
            let lv = levers(self.calc(), g, |c| self.base_value(c, which), |c| self.follows(c, which));
            let mut found = Vec::new();
            for &i in &lv.order {
                let node = &doc.nodes[i];
                let leaf = self.calc().graph.terms(i).next().is_none();
                if i == g || !leaf || node.kind != Kind::Kpi || node.constant.is_some() || !self.calc().graph.primary[i]
                {
                    continue;
                }
                let Some(x) = self.value_of(i, which) else { continue };
                let (low, high, elasticity) = match lv.map[i] {
                    Some(m) => {
                        let at = |v: f64| m.at(v * scale[i]).map(|b| b / scale[g]);
                        let slope = m.slope(x * scale[i]).map(|d| d * scale[i] / scale[g]);
                        let elasticity = slope.filter(|_| base != 0.0).map(|d| d * x / base);
                        (at(x * (1.0 - s)), at(x * (1.0 + s)), elasticity)
                    }
                    None => {
                        let (low, high) =
                            (self.goal_with(g, i, x * (1.0 - s), which), self.goal_with(g, i, x * (1.0 + s), which));
                        // The elasticity from the two points (several chains).
                        let elasticity = match (low, high) {
                            (Some(l), Some(h)) if base != 0.0 && s != 0.0 => Some((h - l) / (2.0 * s) / base),
                            _ => None,
                        };
                        (low, high, elasticity)
                    }
                };
                found.push(Sensitivity {
                    goal: doc.nodes[g].id.clone(),
                    node: node.id.clone(),
                    base,
                    low,
                    high,
                    elasticity,
                });
            }
            found.sort_by(|a, b| b.swing().total_cmp(&a.swing()));
            out.extend(found);
        }
        out
    }
}
