//! Variance attribution (差異分析): a goal's gap (actual − target) split into
//! one contribution per leaf that adds up exactly to the gap, through
//! + − × ÷ at every level (docs/FORMAT.md, "Attribution").
//!
//! At each computed node the change of every additive group is split among
//! its factors — by the Shapley rule (exact, symmetric, no logarithms), by
//! LMDI-I (logarithmic mean Divisia, for positive values), or as cost
//! accountants do (quantity at standard price, price at actual quantity) —
//! and a group's change is its sign times its product's change. Each term's
//! share is linear in the term's own change, so one pass down from the goal
//! carries a weight to every node (the sum over all chains of the products
//! of the shares' factors): a leaf's contribution is its weight times its
//! own change. Where a node's entered value differs from what its terms
//! give (a plan that does not add up), that difference is the node's own
//! contribution, so the parts still add up to the gap.

use super::Which;
use super::analysis::{AnalysisError, Analyzer};
use super::lever::{Factor, below_with, factor_value, groups};
use super::source::{InPeriod, Source, Whole};
use crate::model::{Label, NodeId};

/// How a product's change is split among its factors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// The Shapley value: each factor's average effect over every order of
    /// change. Exact and symmetric; zeros and sign changes need no care.
    #[default]
    Shapley,
    /// LMDI-I (Ang 2015): logarithmic mean Divisia. Needs positive values.
    Lmdi,
    /// 原価計算: the quantities' change at the standard (target) prices, then
    /// the prices' change at the actual quantities. A factor whose unit has a
    /// `/` (万円/社) is a price, any other a quantity.
    Cost,
}

impl Method {
    /// Parses `shapley`, `lmdi` or `cost`.
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "shapley" => Some(Method::Shapley),
            "lmdi" => Some(Method::Lmdi),
            "cost" => Some(Method::Cost),
            _ => None,
        }
    }

    /// The name a report gives the method.
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        match self {
            Method::Shapley => lang.pick("シャプレー値", "Shapley"),
            Method::Lmdi => "LMDI",
            Method::Cost => lang.pick("数量差異・価格差異", "quantity and price variances"),
        }
    }

    /// The name as the command line writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Shapley => "shapley",
            Method::Lmdi => "lmdi",
            Method::Cost => "cost",
        }
    }
}

/// One part of a goal's gap.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The node: a leaf, or a node whose entered value differs from what its
    /// terms give.
    pub node: NodeId,
    /// Where `node` is in the analysed document ([`crate::model::Document::node_at`]).
    pub at: usize,
    /// Its part of the gap, in the goal's unit.
    pub contribution: f64,
}

/// A goal's gap and its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// The goal.
    pub goal: NodeId,
    /// The goal's target and actual the gap is between (over
    /// [`Attribution::periods`] when it has them), in its unit.
    pub target: f64,
    /// See `target`.
    pub actual: f64,
    /// Actual − target, in the goal's unit.
    pub gap: f64,
    /// The parts, largest first (by size); they add up to `gap`.
    pub contributions: Vec<Contribution>,
    /// When the goal is analysed period by period: the first and the last
    /// period in which it has a target and an actual (the gap is theirs,
    /// added up); `None` for the whole period at once.
    pub periods: Option<[Label; 2]>,
}

/// Per-node memory of the attribution, shared by its goals.
struct Memory {
    /// Flags for the walk down from a goal.
    reached: Vec<bool>,
    /// Each node's part of the gap (base units).
    own: Vec<f64>,
    /// Reached by the split.
    seen: Vec<bool>,
    /// Each node's weight on the goal.
    weight: Vec<f64>,
}

impl Analyzer {
    /// The attribution of every goal that has a target and an actual (KGIs
    /// first, then file order). Fails only for LMDI on values that are not
    /// all positive (the logarithms are undefined): the error names the node.
    pub fn attribution(&self, method: Method) -> Result<Vec<Attribution>, AnalysisError> {
        let mut out = Vec::new();
        // One memory for every goal, cleared after each for what it
        // reached: each goal costs what it reaches.
        let n = self.document().nodes.len();
        super::lever::count(n);
        let mut mem = Memory { reached: vec![false; n], own: vec![0.0; n], seen: vec![false; n], weight: vec![0.0; n] };
        for g in self.goal_nodes() {
            if let Some(a) = self.attribute(g, method, &mut mem)? {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// The attribution of goal `g`, when it has a target and an actual: per
    /// period and added up when the goal sums its periods (the periods in
    /// which it has both), else over the whole period.
    fn attribute(&self, g: usize, method: Method, mem: &mut Memory) -> Result<Option<Attribution>, AnalysisError> {
        let order = below_with(self.calc(), g, &mut mem.reached);
        let found = self.attribute_in(g, method, &order, mem);
        for &v in &order {
            (mem.own[v], mem.seen[v], mem.weight[v]) = (0.0, false, 0.0);
        }
        found
    }

    /// [`Self::attribute`] over `order` (the nodes below `g`), with `mem`,
    /// which it leaves set only at those nodes.
    fn attribute_in(
        &self,
        g: usize,
        method: Method,
        order: &[usize],
        mem: &mut Memory,
    ) -> Result<Option<Attribution>, AnalysisError> {
        let calc = self.calc();
        let doc = self.document();
        let Memory { own, seen: reached, weight, .. } = mem;
        let mut totals = [0.0; 2];
        let mut periods = Vec::new();
        match self.periods_of(g) {
            Some((table, count)) => {
                for p in 0..count {
                    let src = InPeriod { analyzer: self, table, p };
                    if let Some([t, a]) = self.split(&src, g, order, method, (weight, own, reached))? {
                        totals = [totals[0] + t, totals[1] + a];
                        periods.push(table.label(p));
                    }
                }
                if periods.is_empty() {
                    return Ok(None);
                }
            }
            None => match self.split(&Whole(self), g, order, method, (weight, own, reached))? {
                Some(ta) => totals = ta,
                None => return Ok(None),
            },
        }
        // What the parts leave unexplained (values that do not add up in a
        // way the walk cannot see) is the goal's own, so the parts still
        // add up to the gap.
        let gap = totals[1] - totals[0];
        // Added in document order, as over the whole list (the rest are 0).
        let mut touched = order.to_vec();
        touched.sort_unstable();
        let explained: f64 = touched.iter().map(|&v| own[v]).sum();
        own[g] += gap - explained;
        if own[g].abs() <= 1e-9 * gap.abs().max(explained.abs()) {
            own[g] = 0.0;
        }
        let scale = calc.scale[Which::Actual as usize][g];
        // Sorted as small entries, made into rows after.
        #[allow(clippy::cast_possible_truncation, reason = "indices: far fewer than 2^32 nodes")]
        let mut parts: Vec<(f64, u32)> = order
            .iter()
            .filter(|&&v| reached[v])
            // Every node reached is the first with its id (edges lead there).
            .filter(|&&v| own[v] != 0.0 || self.is_input(v))
            .filter(|&&v| v != g || own[v] != 0.0)
            .map(|&v| (own[v] / scale, v as u32))
            .collect();
        parts.sort_by(|x, y| y.0.abs().total_cmp(&x.0.abs()));
        let contributions = parts
            .into_iter()
            .map(|(contribution, v)| Contribution {
                node: doc.nodes[v as usize].id.clone(),
                at: v as usize,
                contribution,
            })
            .collect();
        let span = match (periods.first(), periods.last()) {
            (Some(&a), Some(&b)) => Some([a, b]),
            _ => None,
        };
        Ok(Some(Attribution {
            goal: doc.nodes[g].id.clone(),
            target: totals[0] / calc.scale[Which::Target as usize][g],
            actual: totals[1] / scale,
            gap: gap / scale,
            contributions,
            periods: span,
        }))
    }

    /// Splits goal `g`'s gap in `src` among the nodes below it (`order`),
    /// adding each node's part (base units) to `own`; the goal's target and
    /// actual there, or `None` when it lacks one.
    fn split(
        &self,
        src: &impl Source,
        g: usize,
        order: &[usize],
        method: Method,
        (weight, own, reached): (&mut [f64], &mut [f64], &mut [bool]),
    ) -> Result<Option<[f64; 2]>, AnalysisError> {
        let (Some(t), Some(a)) = (src.value(g, Which::Target), src.value(g, Which::Actual)) else {
            return Ok(None);
        };
        let calc = self.calc();
        for &p in order {
            weight[p] = 0.0;
        }
        weight[g] = 1.0;
        for &p in order {
            reached[p] = true;
            let w = weight[p];
            let (Some(t0), Some(t1)) = (src.value(p, Which::Target), src.value(p, Which::Actual)) else {
                continue;
            };
            let (Some(ct), Some(ca)) = (src.computed(p, Which::Target), src.computed(p, Which::Actual)) else {
                own[p] += w * (t1 - t0);
                continue;
            };
            if w == 0.0 {
                continue;
            }
            // An entered value that differs from what the terms give.
            own[p] += w * ((t1 - ca) - (t0 - ct));
            for group in groups(calc, p).iter() {
                let sign = if group.negative { -1.0 } else { 1.0 };
                // A term alone in its group (every term of a sum) takes the
                // whole change, as Shapley and cost accounting both give it.
                if let [f] = group.factors
                    && method != Method::Lmdi
                {
                    weight[f.child] += w * sign * node_share(src, *f, 1.0);
                    continue;
                }
                let shares = self.shares(src, group.factors, method)?;
                for (f, share) in group.factors.iter().zip(shares) {
                    weight[f.child] += w * sign * share;
                }
            }
        }
        Ok(Some([t, a]))
    }

    /// For each factor of a group, how much of the group's
    /// product's change one unit of the factor's node's change makes (base
    /// units): the factor's part of the change divided by its node's change.
    fn shares(&self, src: &impl Source, factors: &[Factor], method: Method) -> Result<Vec<f64>, AnalysisError> {
        let value = |f: &Factor, which| src.value(f.child, which).map(|x| factor_value(*f, x));
        let y0: Vec<f64> = factors.iter().map(|f| value(f, Which::Target).unwrap_or(f64::NAN)).collect();
        let y1: Vec<f64> = factors.iter().map(|f| value(f, Which::Actual).unwrap_or(f64::NAN)).collect();
        // Per factor: its part of the product's change per unit of its own
        // factor value's change (the product's "other factors").
        let per_factor = match method {
            Method::Shapley => shapley(&y0, &y1),
            Method::Cost => {
                let doc = self.document();
                let price = |f: &Factor| doc.nodes[f.child].unit_str().contains(['/', '／']);
                let order: Vec<usize> = (0..factors.len())
                    .filter(|&k| !price(&factors[k]))
                    .chain((0..factors.len()).filter(|&k| price(&factors[k])))
                    .collect();
                sequential(&y0, &y1, &order)
            }
            Method::Lmdi => {
                if let Some(k) = (0..factors.len()).find(|&k| !(y0[k] > 0.0 && y1[k] > 0.0)) {
                    return Err(AnalysisError::LmdiUndefined(self.document().nodes[factors[k].child].name.clone()));
                }
                let (v0, v1): (f64, f64) = (y0.iter().product(), y1.iter().product());
                let l = log_mean(v1, v0);
                (0..factors.len())
                    .map(|k| {
                        let dy = y1[k] - y0[k];
                        if dy == 0.0 { 0.0 } else { l * (y1[k] / y0[k]).ln() / dy }
                    })
                    .collect()
            }
        };
        Ok(factors.iter().zip(per_factor).map(|(f, share)| node_share(src, *f, share)).collect())
    }
}

/// A factor's share per unit of its factor value's change (`x` or `1/x`)
/// as a share per unit of its node's value's change.
fn node_share(src: &impl Source, f: Factor, share: f64) -> f64 {
    if !f.divides {
        return share;
    }
    let (x0, x1) =
        (src.value(f.child, Which::Target).unwrap_or(f64::NAN), src.value(f.child, Which::Actual).unwrap_or(f64::NAN));
    // Δ(1/x) = −Δx / (x⁰ x¹).
    let d = -1.0 / (x0 * x1);
    if d.is_finite() { share * d } else { 0.0 }
}

/// `(a − b) / (ln a − ln b)`, and `a` when they are equal.
fn log_mean(a: f64, b: f64) -> f64 {
    if (a - b).abs() <= 1e-15 * a.abs().max(b.abs()) { a } else { (a - b) / (a.ln() - b.ln()) }
}

/// The Shapley weights of a product's factors, from their values `y0`
/// (target) and `y1` (actual): factor `i`'s part of the product's change is
/// `(y1ᵢ − y0ᵢ) × Σₖ cₖ k! (n−1−k)! / n!`, where `cₖ` sums the products of
/// the other factors with `k` of them at actual and the rest at target —
/// the coefficients of `∏_{j≠i} (y0ⱼ + y1ⱼ z)`, from the full product's
/// polynomial divided by factor `i`'s own (stably, from the larger end).
pub(crate) fn shapley(y0: &[f64], y1: &[f64]) -> Vec<f64> {
    let n = y0.len();
    if n == 1 {
        return vec![1.0];
    }
    // P(z) = ∏ (y0ⱼ + y1ⱼ z), degree n.
    let mut poly = vec![1.0];
    for (&b, &a) in y0.iter().zip(y1) {
        let mut next = vec![0.0; poly.len() + 1];
        for (k, &c) in poly.iter().enumerate() {
            next[k] += c * b;
            next[k + 1] += c * a;
        }
        poly = next;
    }
    // w_k = k! (n−1−k)! / n!.
    let mut w = vec![0.0; n];
    w[0] = 1.0 / n as f64;
    for k in 1..n {
        w[k] = w[k - 1] * k as f64 / (n - k) as f64;
    }
    (0..n)
        .map(|i| {
            let others = divide(&poly, y0[i], y1[i]).unwrap_or_else(|| without(y0, y1, i));
            others.iter().zip(&w).map(|(c, w)| c * w).sum()
        })
        .collect()
}

/// `poly / (b + a z)` when the division is exact and stable; `None` for a
/// zero factor.
fn divide(poly: &[f64], b: f64, a: f64) -> Option<Vec<f64>> {
    let n = poly.len() - 1;
    let mut q = vec![0.0; n];
    if b.abs() >= a.abs() {
        if b == 0.0 {
            return None;
        }
        // From the constant term up.
        let mut carry = 0.0;
        for k in 0..n {
            q[k] = (poly[k] - carry) / b;
            carry = a * q[k];
        }
    } else {
        // From the top down.
        let mut carry = 0.0;
        for k in (0..n).rev() {
            q[k] = (poly[k + 1] - carry) / a;
            carry = b * q[k];
        }
    }
    Some(q)
}

/// `∏_{j≠i} (y0ⱼ + y1ⱼ z)`, multiplied out (for a factor zero in both states).
fn without(y0: &[f64], y1: &[f64], i: usize) -> Vec<f64> {
    let mut poly = vec![1.0];
    for (j, (&b, &a)) in y0.iter().zip(y1).enumerate() {
        if j == i {
            continue;
        }
        let mut next = vec![0.0; poly.len() + 1];
        for (k, &c) in poly.iter().enumerate() {
            next[k] += c * b;
            next[k + 1] += c * a;
        }
        poly = next;
    }
    poly
}

/// Factors changed one after another in `order`: each one's part is its
/// change times the factors before it at actual and after it at target.
fn sequential(y0: &[f64], y1: &[f64], order: &[usize]) -> Vec<f64> {
    let mut out = vec![0.0; y0.len()];
    for (pos, &i) in order.iter().enumerate() {
        let before: f64 = order[..pos].iter().map(|&j| y1[j]).product();
        let after: f64 = order[pos + 1..].iter().map(|&j| y0[j]).product();
        out[i] = before * after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(y0: &[f64], y1: &[f64], weights: &[f64]) -> Vec<f64> {
        weights.iter().zip(y0.iter().zip(y1)).map(|(w, (a, b))| w * (b - a)).collect()
    }

    #[test]
    fn shapley_of_two_factors_is_the_change_times_the_others_mean() {
        // 顧客数 120 → 80, 客単価 100 → 90.
        let (y0, y1) = ([120.0, 100.0], [80.0, 90.0]);
        let p = parts(&y0, &y1, &shapley(&y0, &y1));
        assert_eq!(p, [-40.0 * 95.0, -10.0 * 100.0]);
        assert!((p.iter().sum::<f64>() - (7200.0 - 12000.0)).abs() < 1e-9);
    }

    #[test]
    fn shapley_of_three_factors_matches_the_closed_form_and_adds_up() {
        let (y0, y1) = ([2.0, 3.0, 5.0], [4.0, 1.0, 6.0]);
        let p = parts(&y0, &y1, &shapley(&y0, &y1));
        // Δx·[(y⁰z⁰ + yᵀzᵀ)/3 + (y⁰zᵀ + yᵀz⁰)/6] for the first factor.
        let want = 2.0 * ((3.0 * 5.0 + 1.0 * 6.0) / 3.0 + (3.0 * 6.0 + 1.0 * 5.0) / 6.0);
        assert!((p[0] - want).abs() < 1e-9, "{} vs {want}", p[0]);
        assert!((p.iter().sum::<f64>() - (4.0 * 1.0 * 6.0 - 2.0 * 3.0 * 5.0)).abs() < 1e-9);
    }

    #[test]
    fn shapley_with_zeros_and_sign_changes_still_adds_up() {
        let (y0, y1) = ([0.0, -3.0, 5.0, 2.0], [4.0, 2.0, 0.0, -1.0]);
        let p = parts(&y0, &y1, &shapley(&y0, &y1));
        let total = y1.iter().product::<f64>() - y0.iter().product::<f64>();
        assert!((p.iter().sum::<f64>() - total).abs() < 1e-9, "{p:?}");
    }

    #[test]
    fn the_cost_method_prices_quantities_at_standard_and_prices_at_actual() {
        // quantity 120 → 80, price 100 → 90: quantity −40 × 100, price −10 × 80.
        let (y0, y1) = ([120.0, 100.0], [80.0, 90.0]);
        let p = parts(&y0, &y1, &sequential(&y0, &y1, &[0, 1]));
        assert_eq!(p, [-4000.0, -800.0]);
    }
}
