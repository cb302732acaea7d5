//! How one value moves a goal, without evaluating the tree again.
//!
//! Every node's expression is linear in each of its terms, or in the
//! inverse of a term that divides: with the other terms held, the node is
//! `rest + c·x` or `rest + c/x`. Both are Möbius maps `x ↦ (a·x + b) /
//! (c·x + d)`, and Möbius maps compose into Möbius maps. So one pass down
//! from a goal gives, for every node on a single chain of terms below it,
//! the goal's value as an exact function of that node's value: the
//! bottleneck ranking, the sensitivity (tornado) and goal seek are then a
//! map applied or inverted per node — linear in the size of the tree,
//! whatever its shape, where carrying each change up again was quadratic in
//! a goal's number of terms.
//!
//! Values here are in base units (scale 1), as a parent reads them.

use super::evaluate::Calc;
use crate::model::{Step, walk};

/// `x ↦ (a·x + b) / (c·x + d)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Map {
    a: f64,
    b: f64,
    c: f64,
    d: f64,
}

impl Map {
    /// `x ↦ x`.
    pub const IDENTITY: Map = Map { a: 1.0, b: 0.0, c: 0.0, d: 1.0 };

    /// `x ↦ v`, whatever `x`.
    pub fn constant(v: f64) -> Map {
        Map { a: 0.0, b: v, c: 0.0, d: 1.0 }
    }

    /// `x ↦ rest + k·x`.
    pub fn linear(rest: f64, k: f64) -> Map {
        Map { a: k, b: rest, c: 0.0, d: 1.0 }
    }

    /// `x ↦ rest + k / x`.
    pub fn reciprocal(rest: f64, k: f64) -> Map {
        Map { a: rest, b: k, c: 1.0, d: 0.0 }
    }

    /// The value at `x`, when it is a finite number.
    pub fn at(&self, x: f64) -> Option<f64> {
        let den = self.c * x + self.d;
        if den == 0.0 {
            return None;
        }
        Some((self.a * x + self.b) / den).filter(|v| v.is_finite())
    }

    /// `self ∘ inner`: `x ↦ self(inner(x))`.
    pub fn after(&self, inner: &Map) -> Map {
        Map {
            a: self.a * inner.a + self.b * inner.c,
            b: self.a * inner.b + self.b * inner.d,
            c: self.c * inner.a + self.d * inner.c,
            d: self.c * inner.b + self.d * inner.d,
        }
    }

    /// The `x` whose value is `y`, when there is one.
    pub fn solve(&self, y: f64) -> Option<f64> {
        // y (c x + d) = a x + b  ⇒  x (y c − a) = b − y d.
        let den = y * self.c - self.a;
        if den == 0.0 {
            return None;
        }
        Some((self.b - y * self.d) / den).filter(|v| v.is_finite())
    }

    /// The derivative at `x`: `(a d − b c) / (c x + d)²`.
    pub fn slope(&self, x: f64) -> Option<f64> {
        let den = self.c * x + self.d;
        (den != 0.0).then(|| (self.a * self.d - self.b * self.c) / (den * den)).filter(|v| v.is_finite())
    }

    /// True when the value does not depend on `x`.
    pub fn is_constant(&self) -> bool {
        self.a * self.d - self.b * self.c == 0.0
    }
}

thread_local! {
    /// Terms visited by the analysis on this thread ([`count_operations`]).
    static OPERATIONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Counts one visit of `terms` terms.
pub(crate) fn count(terms: usize) {
    OPERATIONS.with(|c| c.set(c.get() + terms as u64));
}

/// How many terms the analysis visits while `f` runs on this thread: what
/// the tests check to hold the analysis linear (a count, not a time).
#[doc(hidden)]
pub fn count_operations<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let before = OPERATIONS.with(std::cell::Cell::get);
    let out = f();
    (out, OPERATIONS.with(std::cell::Cell::get) - before)
}

/// One term of an expression, as a factor of its additive group.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Factor {
    /// The term's node.
    pub child: usize,
    /// The term enters as `1 / x`.
    pub divides: bool,
}

/// An additive group: `±` the product of its factors.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Group<'a> {
    /// Subtracted.
    pub negative: bool,
    /// Its factors, in term order.
    pub factors: &'a [Factor],
}

/// A node's expression as additive groups of factors: every factor in one
/// list, each group a span of it (a sum of 40,000 terms is two lists, not
/// 40,000).
#[derive(Debug, Clone, Default)]
pub(crate) struct Groups {
    factors: Vec<Factor>,
    /// Per group: subtracted, and where its factors end.
    spans: Vec<(bool, u32)>,
}

impl Groups {
    /// The groups in term order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Group<'_>> {
        let mut start = 0;
        self.spans.iter().map(move |&(negative, end)| {
            let factors = &self.factors[start..end as usize];
            start = end as usize;
            Group { negative, factors }
        })
    }

    /// How many factors in all.
    pub(crate) fn factor_count(&self) -> usize {
        self.factors.len()
    }
}

/// `node`'s expression as additive groups of factors (the precedence rule
/// of [`walk`]).
pub(crate) fn groups(calc: &Calc, node: usize) -> Groups {
    let mut out = Groups::default();
    groups_into(calc, node, &mut out);
    out
}

/// [`groups`] into `out`'s memory.
#[allow(clippy::cast_possible_truncation, reason = "a node's terms: fewer than 2^32")]
fn groups_into(calc: &Calc, node: usize, out: &mut Groups) {
    out.factors.clear();
    out.spans.clear();
    out.factors.reserve(calc.graph.children(node).len());
    walk(calc.graph.terms(node).map(|l| (l.op, l.child as usize)), |step, child| {
        match step {
            Step::Start { negative, inverted } => {
                out.factors.push(Factor { child, divides: inverted });
                out.spans.push((negative, 0));
            }
            Step::Factor { divides } if !out.spans.is_empty() => out.factors.push(Factor { child, divides }),
            Step::Factor { .. } => return,
        }
        if let Some(last) = out.spans.last_mut() {
            last.1 = out.factors.len() as u32;
        }
    });
}

/// The value of a factor: `x` or `1 / x`.
pub(crate) fn factor_value(f: Factor, x: f64) -> f64 {
    if f.divides { 1.0 / x } else { x }
}

/// Memory [`term_maps`] reuses from one node to the next.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    groups: Groups,
    values: Vec<f64>,
    group_values: Vec<f64>,
    suffix: Vec<f64>,
}

/// For each term of `node` (with every term's value, base units, from
/// `value`), the map of `node`'s computed value (base units) as a function
/// of that term's value, the other terms held, given to `each` term by
/// term. False when a term has no value (nothing is computed then, and
/// `each` is not called) — the caller holds the node constant.
pub(crate) fn term_maps(
    calc: &Calc,
    node: usize,
    value: impl Fn(usize) -> Option<f64>,
    scratch: &mut Scratch,
    mut each: impl FnMut(usize, Map),
) -> bool {
    let Scratch { groups, values, group_values, suffix } = scratch;
    groups_into(calc, node, groups);
    count(groups.factor_count());
    // Every factor's value, in factor order, and each group's signed product.
    values.clear();
    group_values.clear();
    for g in groups.iter() {
        let first = values.len();
        for f in g.factors {
            let Some(x) = value(f.child) else { return false };
            values.push(factor_value(*f, x));
        }
        let sign = if g.negative { -1.0 } else { 1.0 };
        group_values.push(sign * values[first..].iter().product::<f64>());
    }
    let total: f64 = group_values.iter().sum();
    let mut at = 0;
    for (g, gv) in groups.iter().zip(group_values.iter()) {
        let sign = if g.negative { -1.0 } else { 1.0 };
        let rest = total - gv;
        let vs = &values[at..at + g.factors.len()];
        at += vs.len();
        // The product of the other factors, from prefix and suffix products.
        let n = vs.len();
        suffix.clear();
        suffix.resize(n + 1, 1.0);
        for k in (0..n).rev() {
            suffix[k] = suffix[k + 1] * vs[k];
        }
        let mut prefix = 1.0;
        for (k, f) in g.factors.iter().enumerate() {
            let others = sign * prefix * suffix[k + 1];
            let map = if f.divides { Map::reciprocal(rest, others) } else { Map::linear(rest, others) };
            each(f.child, map);
            prefix *= vs[k];
        }
    }
    true
}

/// `goal` and every node below it through arithmetic edges, each parent
/// before its terms (the evaluator's order, reversed). `reached` is memory
/// of one flag per node, all false, which it leaves all false again: one
/// goal after another costs what each reaches, not the whole tree each time.
pub(crate) fn below_with(calc: &Calc, goal: usize, reached: &mut [bool]) -> Vec<usize> {
    let mut stack = vec![goal];
    reached[goal] = true;
    let mut out = Vec::new();
    // A node reached twice (a term of two parents below the goal, or a
    // cycle) may come before one of its parents in the walk: only then is
    // the order sorted. Below a tree the walk already has each parent first.
    let mut shared = false;
    while let Some(v) = stack.pop() {
        out.push(v);
        if calc.cyclic(v) {
            shared = true;
            continue;
        }
        for l in calc.graph.terms(v) {
            let c = l.child as usize;
            if reached[c] {
                shared = true;
            } else {
                reached[c] = true;
                stack.push(c);
            }
        }
    }
    for &v in &out {
        reached[v] = false;
    }
    if shared {
        out.sort_by_key(|&v| std::cmp::Reverse(calc.comps.of[v]));
    }
    out
}

/// For every node below `goal` through arithmetic edges, how it moves the
/// goal (base units, the rest of the tree held): through [`Levers::via`],
/// the node it moves the goal through and the exact map of that node's
/// value as a function of this one's. That node is the goal for every node
/// on a single chain of terms below it, else the nearest node above on the
/// chain that is a term of several parents (a shared node), whose own
/// effect on the goal [`super::reach`] computes once for all the nodes
/// below it.
///
/// One `Levers` serves goal after goal ([`Levers::compute`]): its memory
/// per node is set for what a goal reaches and cleared after it, so that
/// many small goals in a large document cost what they reach.
pub(crate) struct Levers {
    /// The goal of the last [`Levers::compute`].
    goal: usize,
    /// Per node (document position): the node through which it moves the
    /// goal, and the map.
    via: Vec<Option<(u32, Map)>>,
    /// Per node: how many parents below the goal (at most 2 counted).
    parents: Vec<u8>,
    /// Per node: reached by the walk down (all false between goals).
    reached: Vec<bool>,
    /// The nodes below the goal (and the goal), parents before children.
    pub order: Vec<usize>,
    /// The goal and values these levers are for, when they are the whole
    /// period's (`Analyzer::whole_levers`); none after any other compute.
    pub whole: Option<(usize, super::Which)>,
    scratch: Scratch,
}

impl Levers {
    /// Memory for a document of `n` nodes, for no goal yet.
    pub(crate) fn new(n: usize) -> Levers {
        // Memory for every node: as much work as a pass over them.
        count(n);
        Levers {
            goal: 0,
            via: vec![None; n],
            parents: vec![0; n],
            reached: vec![false; n],
            order: Vec::new(),
            whole: None,
            scratch: Scratch::default(),
        }
    }

    /// The levers of `goal`: `value` gives each node's value as its parents
    /// read it (base units), `computed` whether a node's value comes from its
    /// terms (else changing a term does not move it).
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub(crate) fn compute(
        &mut self,
        calc: &Calc,
        goal: usize,
        value: impl Fn(usize) -> Option<f64>,
        computed: impl Fn(usize) -> bool,
    ) {
        for &v in &self.order {
            self.via[v] = None;
            self.parents[v] = 0;
        }
        self.goal = goal;
        self.whole = None;
        self.order = below_with(calc, goal, &mut self.reached);
        let (via, parents, scratch) = (&mut self.via, &mut self.parents, &mut self.scratch);
        via[goal] = Some((goal as u32, Map::IDENTITY));
        for &p in &self.order {
            if calc.cyclic(p) {
                continue;
            }
            // Every parent of `p` came before it: a term of several parents
            // moves the goal through itself.
            if parents[p] > 1 {
                via[p] = Some((p as u32, Map::IDENTITY));
            }
            for l in calc.graph.terms(p) {
                let c = l.child as usize;
                parents[c] = parents[c].saturating_add(1).min(2);
            }
            let Some((root, m)) = via[p] else { continue };
            let follows =
                computed(p) && term_maps(calc, p, &value, scratch, |c, inner| via[c] = Some((root, m.after(&inner))));
            if !follows {
                // The node does not follow its terms: what it moves stays put.
                let held = value(p).and_then(|v| m.at(v));
                for l in calc.graph.terms(p) {
                    via[l.child as usize] = held.map(|h| (root, Map::constant(h)));
                }
            }
        }
    }

    /// [`below_with`] `goal`, with this memory.
    pub(crate) fn below(&mut self, calc: &Calc, goal: usize) -> Vec<usize> {
        below_with(calc, goal, &mut self.reached)
    }

    /// The node through which node `i` moves the goal, and the map of that
    /// node's value as a function of `i`'s.
    pub(crate) fn via(&self, i: usize) -> Option<(u32, Map)> {
        self.via[i]
    }

    /// The goal's value as a function of node `i`'s, when `i` is on a
    /// single chain below it.
    pub(crate) fn map(&self, i: usize) -> Option<Map> {
        self.via[i].filter(|(root, _)| *root as usize == self.goal).map(|(_, m)| m)
    }
}

/// The [`Levers`] of one goal, in memory of their own.
pub(crate) fn levers(
    calc: &Calc,
    goal: usize,
    value: impl Fn(usize) -> Option<f64>,
    computed: impl Fn(usize) -> bool,
) -> Levers {
    let mut l = Levers::new(calc.graph.len());
    l.compute(calc, goal, value, computed);
    l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_compose_invert_and_differentiate() {
        // g = 10 + 2·y, y = 3 / x.
        let outer = Map::linear(10.0, 2.0);
        let inner = Map::reciprocal(0.0, 3.0);
        let g = outer.after(&inner);
        assert_eq!(g.at(1.5), Some(14.0));
        assert_eq!(g.solve(14.0), Some(1.5));
        let slope = g.slope(1.5).unwrap();
        assert!((slope - (-6.0 / 2.25)).abs() < 1e-12, "{slope}");
        assert!(Map::constant(5.0).is_constant());
        assert_eq!(Map::reciprocal(1.0, 1.0).at(0.0), None, "no value at a division by zero");
    }
}
