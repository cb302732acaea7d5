//! Analysis: where the plan breaks and what must change.
//!
//! - [`Analyzer::bottlenecks`]: what the goal's actual would be if one leaf
//!   KPI alone reached its target, ranked by that gain.
//! - [`Analyzer::allocate`] (逆算): the target a term needs so that its
//!   parent's target holds, given the other terms' targets.
//! - [`Analyzer::seek`]: the actual a node needs so that an ancestor reaches
//!   its target, the others at their actuals.
//! - [`Analyzer::pacing`]: expected progress at the as-of date.
//!
//! Every answer is what [`evaluate`](super::evaluate) would give for the
//! changed document: a change is carried up through the ancestors with the
//! evaluator's own expression and units (`Calc`), touching only the nodes
//! above the changed one, so a 100,000-node tree is analysed in milliseconds.
//!
//! The submodules hold the answers (`bottleneck`, `inverse` for allocation
//! and goal seek, `pacing`) and the error they share (`error`); this file
//! holds the analyzer and the walk up the tree that they all use.

mod bottleneck;
mod error;
mod inverse;
mod pacing;

use std::sync::Arc;

pub use bottleneck::Bottleneck;
pub use error::AnalysisError;
pub use inverse::Seek;
pub use pacing::{Pace, PaceRule, PaceStatus, Pacing};

use super::evaluate::{Calc, evaluate_with_calc};
use super::lever;
use super::{Evaluation, Which};
use crate::model::{Document, Kind};

/// A document evaluated and ready for analysis.
pub struct Analyzer {
    doc: Arc<Document>,
    eval: Arc<Evaluation>,
    calc: Calc,
    /// The arithmetic parents of each node (distinct, primary nodes only).
    parents: Parents,
    /// Lever memory the last analysis left, with the levers of its last
    /// goal: the bottleneck ranking and the sensitivity of actuals ask for
    /// the same levers, and a large tree's memory is costly to set up twice.
    spare: std::sync::Mutex<Option<lever::Levers>>,
}

/// Each node's parents, all in one list (`list[start[i]..start[i + 1]]`):
/// two allocations for the tree, not one per node.
struct Parents {
    start: Vec<u32>,
    list: Vec<u32>,
}

impl std::ops::Index<usize> for Parents {
    type Output = [u32];

    fn index(&self, i: usize) -> &[u32] {
        &self.list[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// Memory for walking up the tree from one node after another (the
/// bottleneck ranking walks up from every leaf): marks stamped per walk in
/// place of a fresh set and map each time.
pub(crate) struct Walk {
    /// How many nodes.
    n: usize,
    /// Per node: the walk up that reached it.
    seen: Vec<u32>,
    up: u32,
    /// Per node: the pass that gave it a new value, and the value.
    valued: Vec<u32>,
    value: Vec<Option<f64>>,
    /// The scale of the unit each new value is in ([`Calc::scale`]).
    scale: Vec<f64>,
    pass: u32,
    /// The ancestors found by the last walk up.
    found: Vec<usize>,
    stack: Vec<usize>,
}

impl Walk {
    /// Memory for a document of `n` nodes, allocated when first walked: a
    /// tree whose inputs all sit on single chains below their goals is
    /// analysed without a walk up.
    fn new(n: usize) -> Walk {
        Walk {
            n,
            seen: Vec::new(),
            up: 0,
            valued: Vec::new(),
            value: Vec::new(),
            scale: Vec::new(),
            pass: 0,
            found: Vec::new(),
            stack: Vec::new(),
        }
    }

    fn next_up(&mut self) -> u32 {
        if self.seen.is_empty() {
            // Memory for every node: as much work as a pass over them.
            lever::count(self.n);
            self.seen = vec![0; self.n];
        }
        self.up = self.up.wrapping_add(1);
        if self.up == 0 {
            self.seen.fill(0);
            self.up = 1;
        }
        self.up
    }

    fn next_pass(&mut self) {
        if self.valued.is_empty() {
            lever::count(self.n);
            (self.valued, self.value, self.scale) = (vec![0; self.n], vec![None; self.n], vec![1.0; self.n]);
        }
        self.pass = self.pass.wrapping_add(1);
        if self.pass == 0 {
            self.valued.fill(0);
            self.pass = 1;
        }
    }

    fn set(&mut self, i: usize, v: Option<f64>, scale: f64) {
        self.valued[i] = self.pass;
        self.value[i] = v;
        self.scale[i] = scale;
    }

    /// The value the last pass gave node `i`, if it gave one.
    fn changed(&self, i: usize) -> Option<Option<f64>> {
        (self.valued[i] == self.pass).then(|| self.value[i])
    }
}

impl Analyzer {
    /// Evaluates `doc` for analysis (a copy that shares its nodes).
    pub fn new(doc: &Document) -> Analyzer {
        Analyzer::shared(Arc::new(doc.clone()))
    }

    /// Evaluates `doc` for analysis.
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub fn shared(doc: Arc<Document>) -> Analyzer {
        let (eval, calc) = evaluate_with_calc(&doc);
        let eval = Arc::new(eval);
        // Counted, then filled parent by parent: each node's parents in
        // document order.
        let n = doc.nodes.len();
        let mut start = vec![0u32; n + 1];
        for p in 0..n {
            for link in calc.graph.terms(p) {
                start[link.child as usize + 1] += 1;
            }
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut list = vec![0u32; start[n] as usize];
        for p in 0..n {
            for link in calc.graph.terms(p) {
                let slot = &mut fill[link.child as usize];
                list[*slot as usize] = p as u32;
                *slot += 1;
            }
        }
        Analyzer { doc, eval, calc, parents: Parents { start, list }, spare: std::sync::Mutex::new(None) }
    }

    /// The evaluation of the document.
    pub fn evaluation(&self) -> &Evaluation {
        &self.eval
    }

    /// The evaluation of the document, shared.
    pub fn shared_evaluation(&self) -> Arc<Evaluation> {
        Arc::clone(&self.eval)
    }

    fn index(&self, id: &str) -> Result<usize, AnalysisError> {
        self.calc_index(id).ok_or_else(|| AnalysisError::UnknownNode(id.to_owned()))
    }

    fn calc_index(&self, id: &str) -> Option<usize> {
        self.eval.index.get(id)
    }

    fn name(&self, i: usize) -> String {
        self.doc.nodes[i].name.clone()
    }

    /// True when node `i` is an input of the analyses: a leaf KPI that is
    /// no constant (and the first node with its id), read from the graph's
    /// arrays without visiting the node.
    pub(crate) fn is_input(&self, i: usize) -> bool {
        let graph = &self.calc.graph;
        graph.kinds[i] == Kind::Kpi && !graph.constant[i] && graph.primary[i] && graph.terms(i).next().is_none()
    }

    fn value(&self, i: usize, which: Which) -> Option<f64> {
        let v = &self.eval.values()[i];
        match which {
            Which::Target => v.target,
            Which::Actual => v.actual,
        }
    }

    /// Every node above `start` through arithmetic edges, children before
    /// parents (the order in which values are computed).
    fn ancestors(&self, start: usize) -> Vec<usize> {
        let mut walk = Walk::new(self.doc.nodes.len());
        self.walk_up(start, &mut walk);
        walk.found
    }

    /// [`Analyzer::ancestors`] into `walk.found`, with `walk`'s memory.
    fn walk_up(&self, start: usize, walk: &mut Walk) {
        let up = walk.next_up();
        walk.found.clear();
        walk.stack.clear();
        walk.stack.push(start);
        while let Some(v) = walk.stack.pop() {
            for &p in &self.parents[v] {
                let p = p as usize;
                if p != start && walk.seen[p] != up {
                    walk.seen[p] = up;
                    walk.found.push(p);
                    walk.stack.push(p);
                }
            }
        }
        walk.found.sort_by_key(|&a| self.calc.comps.of[a]);
    }

    /// The tops of the arithmetic chains above `node`: its ancestors that are
    /// no term of anything. KGIs first, then file order.
    fn goals_of(&self, ancestors: &[usize]) -> Vec<usize> {
        let mut goals: Vec<usize> = ancestors.iter().copied().filter(|&a| self.parents[a].is_empty()).collect();
        goals.sort_by_key(|&g| (self.doc.nodes[g].kind != Kind::Kgi, g));
        goals
    }

    /// The effective values of `ancestors` (children first) when `start`'s
    /// effective `which` value is `value`, as [`evaluate`](super::evaluate)
    /// would compute them: read with [`Walk::changed`].
    fn propagate(&self, start: usize, value: f64, which: Which, ancestors: &[usize], walk: &mut Walk) {
        let scale = &self.calc.scale[which as usize];
        walk.next_pass();
        walk.set(start, Some(value), scale[start]);
        for &a in ancestors {
            if self.calc.cyclic(a) {
                continue;
            }
            let base = |c: usize| match walk.changed(c) {
                Some(v) => v.map(|v| v * walk.scale[c]),
                None => self.value(c, which).map(|v| v * scale[c]),
            };
            let computed = self.calc.compute(a, base).map(|v| (v, self.calc.out_scale[a]));
            let node = &self.doc.nodes[a];
            let entered = |v: Option<f64>| v.map(|v| (v, self.calc.in_scale[a]));
            let effective = match which {
                Which::Target => entered(node.target).or(computed),
                Which::Actual => computed.or(entered(node.actual)),
            };
            walk.set(a, effective.map(|(v, _)| v), effective.map_or(1.0, |(_, s)| s));
        }
    }

    /// The document analysed.
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The evaluator's structure and scales.
    pub(crate) fn calc(&self) -> &Calc {
        &self.calc
    }

    /// Lever memory: what the last analysis left, else new.
    pub(crate) fn take_levers(&self) -> lever::Levers {
        let spare = self.spare.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        spare.unwrap_or_else(|| lever::Levers::new(self.doc.nodes.len()))
    }

    /// Gives lever memory back for the next analysis.
    pub(crate) fn keep_levers(&self, levers: lever::Levers) {
        *self.spare.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(levers);
    }

    /// The levers of goal `g` over the whole period's `which` values in
    /// `levers`: computed, unless they are what it holds already.
    pub(crate) fn whole_levers(&self, levers: &mut lever::Levers, g: usize, which: Which) {
        if levers.whole != Some((g, which)) {
            levers.compute(&self.calc, g, |c| self.base(c, which), |c| self.follows_terms(c, which));
            levers.whole = Some((g, which));
        }
    }

    /// The value of node `i` as its parents read it (base units).
    pub(crate) fn base_value(&self, i: usize, which: Which) -> Option<f64> {
        self.base(i, which)
    }

    /// Node `i`'s effective `which` value, in its unit.
    pub(crate) fn value_of(&self, i: usize, which: Which) -> Option<f64> {
        self.value(i, which)
    }

    /// True when node `i`'s effective `which` value follows its terms.
    pub(crate) fn follows(&self, i: usize, which: Which) -> bool {
        self.follows_terms(i, which)
    }

    /// Goal `goal`'s `which` value (its unit) if node `x`'s were `value`
    /// (its unit), carried up the tree.
    pub(crate) fn goal_with(&self, goal: usize, x: usize, value: f64, which: Which, walk: &mut Walk) -> Option<f64> {
        self.walk_up(x, walk);
        let ancestors = std::mem::take(&mut walk.found);
        self.propagate(x, value, which, &ancestors, walk);
        walk.found = ancestors;
        walk.changed(goal).flatten()
    }

    /// Goal `goal`'s value in `src` (base units) if node `x`'s were `value`
    /// (base units), carried up through the nodes that follow their terms.
    pub(crate) fn goal_with_in(
        &self,
        src: &impl super::source::Source,
        goal: usize,
        x: usize,
        value: f64,
        which: Which,
        walk: &mut Walk,
    ) -> Option<f64> {
        self.walk_up(x, walk);
        walk.next_pass();
        walk.set(x, Some(value), 1.0);
        let ancestors = std::mem::take(&mut walk.found);
        for &a in &ancestors {
            if self.calc.cyclic(a) || !src.follows(a, which) {
                continue;
            }
            let base = |c: usize| walk.changed(c).unwrap_or_else(|| src.value(c, which));
            let v = self.calc.compute(a, base).map(|v| v * self.calc.out_scale[a]);
            walk.set(a, v, 1.0);
        }
        walk.found = ancestors;
        walk.changed(goal).unwrap_or_else(|| src.value(goal, which))
    }

    /// Every node above `start` through arithmetic edges, children before
    /// parents, with `walk`'s memory.
    pub(crate) fn ancestors_in(&self, start: usize, walk: &mut Walk) -> Vec<usize> {
        self.walk_up(start, walk);
        lever::count(walk.found.len());
        walk.found.clone()
    }

    /// Memory for [`Analyzer::goal_with_in`], for one input after another.
    pub(crate) fn walk(&self) -> Walk {
        Walk::new(self.doc.nodes.len())
    }

    /// The value of node `i` as its parents read it (base units).
    fn base(&self, i: usize, which: Which) -> Option<f64> {
        self.value(i, which).map(|v| v * self.calc.scale[which as usize][i])
    }

    /// True when node `i`'s effective `which` value follows its terms.
    fn follows_terms(&self, i: usize, which: Which) -> bool {
        let v = &self.eval.values()[i];
        match which {
            Which::Target => self.doc.nodes[i].target.is_none() && v.computed_target.is_some(),
            Which::Actual => v.computed_actual.is_some(),
        }
    }

    /// The goals: nodes with terms that are no term of anything, KGIs first,
    /// then file order.
    pub(crate) fn goal_nodes(&self) -> Vec<usize> {
        let mut goals: Vec<usize> = (0..self.doc.nodes.len())
            .filter(|&g| {
                self.parents[g].is_empty() && self.calc.graph.primary[g] && self.calc.graph.terms(g).next().is_some()
            })
            .collect();
        goals.sort_by_key(|&g| (self.doc.nodes[g].kind != Kind::Kgi, g));
        goals
    }
}
