//! Sensitivity (the tornado): for every input of a goal, the goal's value
//! with that input x % lower and x % higher, the others as they are, and
//! its elasticity (the goal's relative change per relative change of the
//! input). One pass down from each goal (`lever`) gives each input
//! an exact map to the goal; an input the goal reaches along several chains
//! is carried up the tree instead.

use super::Which;
use super::analysis::Analyzer;
use super::analysis::Walk;
use super::lever::Levers;
use super::period::PeriodTable;
use super::reach::Through;
use super::source::{InPeriod, Source, Whole};
use crate::model::NodeId;

/// How one input moves one goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    /// The goal.
    pub goal: NodeId,
    /// The input: a leaf KPI.
    pub node: NodeId,
    /// Where `node` is in the analysed document ([`crate::model::Document::node_at`]).
    pub at: usize,
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
        swing(self.low, self.high)
    }
}

impl Analyzer {
    /// The sensitivity of every goal to every leaf KPI below it (not the
    /// constants), `percent` % down and up, on targets or actuals; per goal
    /// (KGIs first, then file order), largest swing first. A goal that sums
    /// its periods is moved period by period (the input x % lower in each).
    pub fn sensitivity(&self, percent: f64, which: Which) -> Vec<Sensitivity> {
        let s = percent / 100.0;
        let mut out = Vec::new();
        // One memory for every goal: each costs what it reaches.
        let mut mem = (self.take_levers(), self.walk());
        for g in self.goal_nodes() {
            let found = match self.periods_of(g) {
                Some((table, count)) => self.sensitivity_by_period(g, s, which, (table, count), &mut mem),
                None => self.sensitivity_whole(g, s, which, &mut mem),
            };
            let Some((base, mut moved)) = found else { continue };
            // The widest swing first, file order among equal ones (small
            // entries are sorted; the rows are made after).
            moved.sort_unstable_by(|a, b| b.swing().total_cmp(&a.swing()).then(a.node.cmp(&b.node)));
            let doc = self.document();
            let goal = &doc.nodes[g].id;
            out.reserve(moved.len());
            out.extend(moved.into_iter().map(|m| Sensitivity {
                goal: goal.clone(),
                node: doc.nodes[m.node as usize].id.clone(),
                at: m.node as usize,
                base,
                low: some(m.low),
                high: some(m.high),
                elasticity: some(m.elasticity),
            }));
        }
        self.keep_levers(mem.0);
        out
    }

    /// The inputs of goal `g`: the leaf KPIs below it that are no constants.
    fn inputs(&self, g: usize, order: &[usize]) -> Vec<usize> {
        order.iter().copied().filter(|&i| i != g && self.is_input(i)).collect()
    }

    fn sensitivity_whole(
        &self,
        g: usize,
        s: f64,
        which: Which,
        (lv, walk): &mut (Levers, Walk),
    ) -> Option<(f64, Vec<Moved>)> {
        let scale = &self.calc().scale[which as usize];
        let base = self.value_of(g, which)?;
        self.whole_levers(lv, g, which);
        let lv = &*lv;
        let mut found = Vec::with_capacity(lv.order.len());
        let mut through = Through::default();
        for i in self.inputs(g, &lv.order) {
            let Some(x) = self.value_of(i, which) else { continue };
            let (low, high, elasticity) = match lv.map(i) {
                Some(m) => {
                    let at = |v: f64| m.at(v * scale[i]).map(|b| b / scale[g]);
                    let slope = m.slope(x * scale[i]).map(|d| d * scale[i] / scale[g]);
                    let elasticity = slope.filter(|_| base != 0.0).map(|d| d * x / base);
                    (at(x * (1.0 - s)), at(x * (1.0 + s)), elasticity)
                }
                None => {
                    let src = Whole(self);
                    let mut at = |v: f64| match through.goal_at(self, &src, (lv, g, which), i, v * scale[i], walk) {
                        Some(reached) => reached.map(|b| b / scale[g]),
                        None => self.goal_with(g, i, v, which, walk),
                    };
                    let (low, high) = (at(x * (1.0 - s)), at(x * (1.0 + s)));
                    (low, high, two_point(low, high, base, s))
                }
            };
            found.push(Moved::new(i, (low, high), elasticity));
        }
        Some((base, found))
    }

    fn sensitivity_by_period(
        &self,
        g: usize,
        s: f64,
        which: Which,
        (table, count): (&PeriodTable, usize),
        (lv, walk): &mut (Levers, Walk),
    ) -> Option<(f64, Vec<Moved>)> {
        let calc = self.calc();
        let order = lv.below(calc, g);
        let inputs = self.inputs(g, &order);
        // Per input: the goal with it lower and higher, added over the
        // periods (base units); whether any period has a value for it.
        let mut low = vec![Some(0.0); inputs.len()];
        let mut high = vec![Some(0.0); inputs.len()];
        let mut valued = vec![false; inputs.len()];
        let mut base = None::<f64>;
        let add = |sum: &mut Option<f64>, v: Option<f64>| *sum = sum.zip(v).map(|(a, b)| a + b);
        for p in 0..count {
            let src = InPeriod { analyzer: self, table, p };
            let Some(goal) = src.value(g, which) else { continue };
            base = Some(base.unwrap_or(0.0) + goal);
            lv.compute(calc, g, |c| src.value(c, which), |c| src.follows(c, which));
            let lv = &*lv;
            let mut through = Through::default();
            for (k, &i) in inputs.iter().enumerate() {
                let Some(x) = src.value(i, which) else {
                    add(&mut low[k], Some(goal));
                    add(&mut high[k], Some(goal));
                    continue;
                };
                valued[k] = true;
                let mut at = |v: f64| match through.goal_at(self, &src, (lv, g, which), i, v, walk) {
                    Some(reached) => reached,
                    None => self.goal_with_in(&src, g, i, v, which, walk),
                };
                add(&mut low[k], at(x * (1.0 - s)));
                add(&mut high[k], at(x * (1.0 + s)));
            }
        }
        let scale = calc.scale[which as usize][g];
        let base = base? / scale;
        let moved = inputs
            .iter()
            .enumerate()
            .filter(|&(k, _)| valued[k])
            .map(|(k, &i)| {
                let (low, high) = (low[k].map(|v| v / scale), high[k].map(|v| v / scale));
                Moved::new(i, (low, high), two_point(low, high, base, s))
            })
            .collect();
        Some((base, moved))
    }
}

/// One input's row before it is made one, in 32 bytes: its node, the goal
/// low and high, the elasticity (NaN for none: the analysis gives only
/// finite numbers).
struct Moved {
    node: u32,
    low: f64,
    high: f64,
    elasticity: f64,
}

impl Moved {
    #[allow(clippy::cast_possible_truncation, reason = "indices: far fewer than 2^32 nodes")]
    fn new(node: usize, (low, high): (Option<f64>, Option<f64>), elasticity: Option<f64>) -> Moved {
        let or_nan = |x: Option<f64>| x.unwrap_or(f64::NAN);
        Moved { node: node as u32, low: or_nan(low), high: or_nan(high), elasticity: or_nan(elasticity) }
    }

    fn swing(&self) -> f64 {
        swing(some(self.low), some(self.high))
    }
}

/// How far apart the goal's values low and high are; 0 without both.
fn swing(low: Option<f64>, high: Option<f64>) -> f64 {
    match (low, high) {
        (Some(l), Some(h)) => (h - l).abs(),
        _ => 0.0,
    }
}

/// A number, or none for NaN.
fn some(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}

/// The elasticity from the goal at the input x % lower and higher.
fn two_point(low: Option<f64>, high: Option<f64>, base: f64, s: f64) -> Option<f64> {
    match (low, high) {
        (Some(l), Some(h)) if base != 0.0 && s != 0.0 => Some((h - l) / (2.0 * s) / base),
        _ => None,
    }
}
