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

use std::sync::Arc;

use super::evaluate::{Calc, evaluate_with_calc};
use super::lever;
use super::reach::Through;
use super::source::Whole;
use super::{Evaluation, Which};
use crate::lang::Lang;
use crate::model::{Date, Direction, Document, Kind, NodeId, Step, walk};

/// Why an analysis has no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum AnalysisError {
    /// No node has this id.
    UnknownNode(String),
    /// The node is not below the ancestor through arithmetic edges.
    NotBelow {
        /// The node's name.
        node: String,
        /// The ancestor's name.
        ancestor: String,
    },
    /// The node has no arithmetic parent, so it has no goal to seek.
    NoGoal(String),
    /// The node has no target to reach (or allocate).
    NoTarget(String),
    /// The node is not computed (has no arithmetic terms).
    NotComputed(String),
    /// The term is not one of the parent's arithmetic terms.
    NotATerm {
        /// The parent's name.
        parent: String,
        /// The term's name.
        term: String,
    },
    /// A value the answer depends on is missing.
    Missing {
        /// The node's name.
        node: String,
        /// Which value.
        which: Which,
    },
    /// The node is part of a cycle, so its value is never computed.
    Cycle(String),
    /// No value of the node reaches the target (e.g. it is multiplied by 0).
    NoSolution(String),
    /// LMDI needs positive values; this node's are not.
    LmdiUndefined(String),
}

impl AnalysisError {
    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        use AnalysisError as E;
        let which = |w: &Which| match (w, lang) {
            (Which::Target, Lang::Ja) => "目標",
            (Which::Actual, Lang::Ja) => "実績",
            (Which::Target, Lang::En) => "target",
            (Which::Actual, Lang::En) => "actual",
        };
        match (self, lang) {
            (E::UnknownNode(id), Lang::Ja) => format!("ID「{id}」のノードはありません"),
            (E::UnknownNode(id), Lang::En) => format!("no node has the id \"{id}\""),
            (E::NotBelow { node, ancestor }, Lang::Ja) => {
                format!("「{node}」は「{ancestor}」の計算式の下にありません")
            }
            (E::NotBelow { node, ancestor }, Lang::En) => {
                format!("\"{node}\" is not a term (or a term's term) of \"{ancestor}\"")
            }
            (E::NoGoal(n), Lang::Ja) => format!("「{n}」は計算式の項ではないため、目指すゴールがありません"),
            (E::NoGoal(n), Lang::En) => format!("\"{n}\" is no term of any computed node, so it has no goal"),
            (E::NoTarget(n), Lang::Ja) => format!("「{n}」に目標がありません"),
            (E::NoTarget(n), Lang::En) => format!("\"{n}\" has no target"),
            (E::NotComputed(n), Lang::Ja) => format!("「{n}」は計算ノードではありません(+ − × ÷ の項がない)"),
            (E::NotComputed(n), Lang::En) => format!("\"{n}\" is not computed (it has no + − × ÷ terms)"),
            (E::NotATerm { parent, term }, Lang::Ja) => format!("「{term}」は「{parent}」の計算の項ではありません"),
            (E::NotATerm { parent, term }, Lang::En) => format!("\"{term}\" is not a term of \"{parent}\""),
            (E::Missing { node, which: w }, Lang::Ja) => format!("「{node}」の{}がありません", which(w)),
            (E::Missing { node, which: w }, Lang::En) => format!("\"{node}\" has no {}", which(w)),
            (E::Cycle(n), Lang::Ja) => format!("「{n}」は循環の中にあり、計算できません"),
            (E::Cycle(n), Lang::En) => format!("\"{n}\" is in a cycle and cannot be computed"),
            (E::NoSolution(n), Lang::Ja) => format!("「{n}」をどの値にしても目標に届きません"),
            (E::NoSolution(n), Lang::En) => format!("no value of \"{n}\" reaches the target"),
            (E::LmdiUndefined(n), Lang::Ja) => {
                format!("LMDI は正の値にしか使えません:「{n}」の値が 0 以下です (shapley か cost を使ってください)")
            }
            (E::LmdiUndefined(n), Lang::En) => {
                format!("LMDI needs positive values, and \"{n}\" has one that is not (use shapley or cost)")
            }
        }
    }
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for AnalysisError {}

/// One leaf KPI's weight on one goal: the goal's actual if this leaf alone
/// reached its target.
#[derive(Debug, Clone, PartialEq)]
pub struct Bottleneck {
    /// 1 for the leaf that would gain its goal the most.
    pub rank: usize,
    /// The leaf KPI.
    pub node: NodeId,
    /// The goal: the top of the arithmetic chain above the leaf.
    pub goal: NodeId,
    /// The goal's (effective) target, in the goal's unit.
    pub goal_target: Option<f64>,
    /// The goal's actual now.
    pub goal_actual: f64,
    /// The goal's actual if the leaf's actual were its target.
    pub goal_if_reached: f64,
    /// The improvement of the goal (an increase, or a decrease for a
    /// lower-is-better goal); negative when the leaf is already beyond its
    /// target.
    pub gain: f64,
    /// `gain` as a share of the goal's gap to its target (1.0 = closes it);
    /// none when the goal has no target or has reached it.
    pub share_of_gap: Option<f64>,
}

/// The answer of [`Analyzer::seek`].
#[derive(Debug, Clone, PartialEq)]
pub struct Seek {
    /// The node whose actual is sought.
    pub node: NodeId,
    /// The ancestor that should reach its target.
    pub ancestor: NodeId,
    /// The ancestor's target.
    pub ancestor_target: f64,
    /// The ancestor's actual now.
    pub ancestor_actual: Option<f64>,
    /// The actual the node needs, in the node's unit.
    pub required: f64,
    /// The node's actual now.
    pub current: Option<f64>,
    /// `required / current - 1` (0.25 = 25 % more), when there is a current value.
    pub change: Option<f64>,
}

/// On track or behind at the as-of date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceStatus {
    /// At or ahead of the expected value.
    OnTrack,
    /// Short of the expected value.
    Behind,
}

impl PaceStatus {
    /// `on_track` or `behind`.
    pub fn as_str(self) -> &'static str {
        match self {
            PaceStatus::OnTrack => "on_track",
            PaceStatus::Behind => "behind",
        }
    }

    /// The label in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PaceStatus::OnTrack => lang.pick("順調", "on track"),
            PaceStatus::Behind => lang.pick("遅れ", "behind"),
        }
    }
}

/// How a node's target is expected to be reached over the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaceRule {
    /// Accumulates evenly: by the as-of date, the elapsed share of the target
    /// (the default).
    Linear,
    /// A level, rate or average (アポ率, 客単価): the whole target all along.
    Level,
    /// Values per period: by the as-of date, the year-to-date target.
    Periods,
}

impl PaceRule {
    /// `linear` or `level`.
    pub fn as_str(self) -> &'static str {
        match self {
            PaceRule::Linear => "linear",
            PaceRule::Level => "level",
            PaceRule::Periods => "periods",
        }
    }
}

/// One node's pace at the as-of date.
#[derive(Debug, Clone, PartialEq)]
pub struct Pace {
    /// The node.
    pub node: NodeId,
    /// The rule used.
    pub rule: PaceRule,
    /// The share of the node's period elapsed at the as-of date (0..=1).
    pub elapsed: f64,
    /// The progress expected by now (`elapsed` for linear, 1.0 for level).
    pub expected_progress: f64,
    /// The actual expected by now, in the node's unit.
    pub expected_actual: f64,
    /// The node's (effective) actual now.
    pub actual: f64,
    /// The node's progress (達成率) now.
    pub progress: f64,
    /// On track or behind.
    pub status: PaceStatus,
}

/// Pacing of the whole document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pacing {
    /// The as-of date, when the period has one.
    pub as_of: Option<Date>,
    /// The share of the document's period elapsed at the as-of date.
    pub elapsed: Option<f64>,
    /// Every node with a target, an actual and a progress, in file order;
    /// empty without `period.start`, `period.end` and `period.as_of`.
    pub nodes: Vec<Pace>,
}

/// A document evaluated and ready for analysis.
pub struct Analyzer {
    doc: Arc<Document>,
    eval: Arc<Evaluation>,
    calc: Calc,
    /// The arithmetic parents of each node (distinct, primary nodes only).
    parents: Vec<Vec<u32>>,
}

/// Memory for walking up the tree from one node after another (the
/// bottleneck ranking walks up from every leaf): marks stamped per walk in
/// place of a fresh set and map each time.
pub(crate) struct Walk {
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
    fn new(n: usize) -> Walk {
        // Memory for every node: as much work as a pass over them.
        lever::count(n);
        Walk {
            seen: vec![0; n],
            up: 0,
            valued: vec![0; n],
            value: vec![None; n],
            scale: vec![1.0; n],
            pass: 0,
            found: Vec::new(),
            stack: Vec::new(),
        }
    }

    fn next_up(&mut self) -> u32 {
        self.up = self.up.wrapping_add(1);
        if self.up == 0 {
            self.seen.fill(0);
            self.up = 1;
        }
        self.up
    }

    fn next_pass(&mut self) {
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
        let mut parents = vec![Vec::new(); doc.nodes.len()];
        for p in 0..doc.nodes.len() {
            for link in calc.graph.terms(p) {
                parents[link.child as usize].push(p as u32);
            }
        }
        Analyzer { doc, eval, calc, parents }
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
        self.eval.index.get(id).copied()
    }

    fn name(&self, i: usize) -> String {
        self.doc.nodes[i].name.clone()
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

    /// The goal's `which` value (in its unit) if node `x`'s were `value` (in
    /// its unit): exact, through the goal's [`lever::Levers`] when `x` is on
    /// one chain below it, else carried up the tree.
    fn goal_if(
        &self,
        (levers, through): (&lever::Levers, &mut Through),
        goal: usize,
        x: usize,
        value: f64,
        which: Which,
        walk: &mut Walk,
    ) -> Option<f64> {
        let scale = &self.calc.scale[which as usize];
        let src = Whole(self);
        match through.goal_at(self, &src, (levers, goal, which), x, value * scale[x], walk) {
            Some(reached) => reached.map(|v| v / scale[goal]),
            None => self.goal_with(goal, x, value, which, walk),
        }
    }

    /// Every leaf KPI with a target and an actual that is a term of some
    /// computed node, once for each goal it feeds: the goal's actual if that
    /// leaf alone reached its target. Ordered by goal (KGIs first, then file
    /// order), and within a goal by gain, largest first. Linear in the size
    /// of the tree: one pass down from each goal (`lever`).
    pub fn bottlenecks(&self) -> Vec<Bottleneck> {
        let mut out = Vec::new();
        let mut walk = Walk::new(self.doc.nodes.len());
        for g in self.goal_nodes() {
            let Some(before) = self.value(g, Which::Actual) else { continue };
            let levers =
                lever::levers(&self.calc, g, |c| self.base(c, Which::Actual), |c| self.follows_terms(c, Which::Actual));
            let goal = &self.doc.nodes[g];
            let toward = |x: f64| if goal.direction() == Direction::Down { -x } else { x };
            let goal_target = self.value(g, Which::Target);
            let mut found = Vec::new();
            let mut through = Through::default();
            for &i in &levers.order {
                let node = &self.doc.nodes[i];
                if i == g || node.kind != Kind::Kpi || !self.calc.graph.primary[i] || node.constant.is_some() {
                    continue;
                }
                if self.calc.graph.terms(i).next().is_some() {
                    continue;
                }
                let (Some(target), Some(_)) = (self.value(i, Which::Target), self.value(i, Which::Actual)) else {
                    continue;
                };
                let Some(after) = self.goal_if((&levers, &mut through), g, i, target, Which::Actual, &mut walk) else {
                    continue;
                };
                let gain = toward(after - before);
                let share_of_gap =
                    goal_target.map(|t| toward(t - before)).filter(|gap| *gap > 0.0).map(|gap| gain / gap);
                found.push((
                    i,
                    Bottleneck {
                        rank: 0,
                        node: node.id.clone(),
                        goal: goal.id.clone(),
                        goal_target,
                        goal_actual: before,
                        goal_if_reached: after,
                        gain,
                        share_of_gap,
                    },
                ));
            }
            // File order among equal gains (a primary node's index is its
            // position: no lookup per comparison).
            found.sort_unstable_by(|(i, a), (j, b)| b.gain.total_cmp(&a.gain).then(i.cmp(j)));
            for (k, (_, mut b)) in found.into_iter().enumerate() {
                b.rank = k + 1;
                out.push(b);
            }
        }
        out
    }

    /// 逆算: the target `term` needs (in its own unit) so that `parent`'s
    /// target holds, given the other terms' targets.
    pub fn allocate(&self, parent: &str, term: &str) -> Result<f64, AnalysisError> {
        let p = self.index(parent)?;
        let t = self.index(term)?;
        if self.calc.graph.terms(p).next().is_none() {
            return Err(AnalysisError::NotComputed(self.name(p)));
        }
        if !self.calc.graph.terms(p).any(|l| l.child as usize == t) {
            return Err(AnalysisError::NotATerm { parent: self.name(p), term: self.name(t) });
        }
        if self.calc.cyclic(p) {
            return Err(AnalysisError::Cycle(self.name(p)));
        }
        let goal = self.value(p, Which::Target).ok_or_else(|| AnalysisError::NoTarget(self.name(p)))?;
        self.invert(p, t, goal, Which::Target)
    }

    /// The value `term`'s `which` must have (in its unit) for `parent`'s
    /// computed value to be `goal` (in `parent`'s unit), the other terms at
    /// their effective values: exact, since a term appears once, either as a
    /// factor or as a divisor of one group.
    fn invert(&self, parent: usize, term: usize, goal: f64, which: Which) -> Result<f64, AnalysisError> {
        // The sum of the other groups, the coefficient of the term's group
        // without the term, and whether the term divides.
        let mut other = 0.0;
        let mut group = 1.0;
        let mut has_term = false;
        let mut started = false;
        let (mut coefficient, mut divides) = (0.0, false);
        let mut missing = None;
        let scale = &self.calc.scale[which as usize];
        walk(self.calc.graph.terms(parent).map(|l| (l.op, l.child as usize)), |step, c| {
            if missing.is_some() {
                return;
            }
            let v = if c == term {
                None
            } else {
                let Some(v) = self.value(c, which) else {
                    missing = Some(c);
                    return;
                };
                Some(v * scale[c])
            };
            let divides_here = match step {
                Step::Start { negative, inverted } => {
                    if started {
                        if has_term {
                            coefficient = group;
                        } else {
                            other += group;
                        }
                    }
                    started = true;
                    group = if negative { -1.0 } else { 1.0 };
                    has_term = false;
                    inverted
                }
                Step::Factor { divides } => divides,
            };
            match v {
                None => {
                    has_term = true;
                    divides = divides_here;
                }
                Some(v) if divides_here => group /= v,
                Some(v) => group *= v,
            }
        });
        if let Some(c) = missing {
            return Err(AnalysisError::Missing { node: self.name(c), which });
        }
        if has_term {
            coefficient = group;
        } else {
            other += group;
        }
        let base_goal = goal * self.calc.out_scale[parent];
        // base_goal = other + coefficient × f(x), f(x) = x or 1/x.
        let fx = (base_goal - other) / coefficient;
        let x = if divides { 1.0 / fx } else { fx };
        let x = x / scale[term];
        if x.is_finite() && coefficient != 0.0 { Ok(x) } else { Err(AnalysisError::NoSolution(self.name(term))) }
    }

    /// Goal seek: the actual `node` must reach for `ancestor` (by default the
    /// node's goal, a KGI when there is one) to hit its target, the others at
    /// their actuals.
    pub fn seek(&self, node: &str, ancestor: Option<&str>) -> Result<Seek, AnalysisError> {
        let x = self.index(node)?;
        let ancestors = self.ancestors(x);
        let a = match ancestor {
            Some(id) => {
                let a = self.index(id)?;
                if !ancestors.contains(&a) {
                    return Err(AnalysisError::NotBelow { node: self.name(x), ancestor: self.name(a) });
                }
                a
            }
            None => *self.goals_of(&ancestors).first().ok_or_else(|| AnalysisError::NoGoal(self.name(x)))?,
        };
        if self.calc.cyclic(a) {
            return Err(AnalysisError::Cycle(self.name(a)));
        }
        let target = self.value(a, Which::Target).ok_or_else(|| AnalysisError::NoTarget(self.name(a)))?;
        // On a single chain of terms, the ancestor's value is an exact map of
        // this node's: inverted. Along several chains, found numerically.
        let lv =
            lever::levers(&self.calc, a, |c| self.base(c, Which::Actual), |c| self.follows_terms(c, Which::Actual));
        let scale = &self.calc.scale[Which::Actual as usize];
        let required = match lv.map[x] {
            Some(m) if !m.is_constant() => m
                .solve(target * scale[a])
                .map(|v| v / scale[x])
                .ok_or_else(|| AnalysisError::NoSolution(self.name(x)))?,
            Some(_) => {
                return Err(self.missing_on_the_way(x, &ancestors).unwrap_or(AnalysisError::NoSolution(self.name(x))));
            }
            None => self.solve(x, a, target, &ancestors)?,
        };
        let current = self.value(x, Which::Actual);
        // The answer must really reach the target (a missing actual elsewhere
        // can cut the chain).
        let mut walk = Walk::new(self.doc.nodes.len());
        self.propagate(x, required, Which::Actual, &ancestors, &mut walk);
        let reached = walk.changed(a).flatten();
        if !reached.is_some_and(|r| (r - target).abs() <= 1e-6 * target.abs().max(1.0)) {
            return Err(self.missing_on_the_way(x, &ancestors).unwrap_or(AnalysisError::NoSolution(self.name(x))));
        }
        Ok(Seek {
            node: self.doc.nodes[x].id.clone(),
            ancestor: self.doc.nodes[a].id.clone(),
            ancestor_target: target,
            ancestor_actual: self.value(a, Which::Actual),
            required,
            current,
            change: current.filter(|c| *c != 0.0).map(|c| required / c - 1.0),
        })
    }

    /// A term without an actual beside the path, which stops a changed actual
    /// from reaching the ancestors.
    fn missing_on_the_way(&self, x: usize, ancestors: &[usize]) -> Option<AnalysisError> {
        ancestors.iter().flat_map(|&a| self.calc.graph.terms(a)).map(|l| l.child as usize).find_map(|c| {
            (c != x && self.value(c, Which::Actual).is_none())
                .then(|| AnalysisError::Missing { node: self.name(c), which: Which::Actual })
        })
    }

    /// Numerically: the actual of `x` that makes `top`'s actual `target`,
    /// for a node that reaches `top` along several paths. Brackets a sign
    /// change outward from the current value, then bisects.
    fn solve(&self, x: usize, top: usize, target: f64, ancestors: &[usize]) -> Result<f64, AnalysisError> {
        let mut walk = Walk::new(self.doc.nodes.len());
        let mut f = |v: f64| {
            self.propagate(x, v, Which::Actual, ancestors, &mut walk);
            walk.changed(top).flatten().map(|r| r - target)
        };
        let start = self.value(x, Which::Actual).filter(|v| *v != 0.0).unwrap_or(1.0);
        let no = || AnalysisError::NoSolution(self.name(x));
        let f0 = f(start).ok_or_else(|| self.missing_on_the_way(x, ancestors).unwrap_or_else(no))?;
        if f0 == 0.0 {
            return Ok(start);
        }
        let mut bracket = None;
        let mut step = start.abs().max(1e-9);
        'search: for _ in 0..200 {
            for candidate in [start + step, start - step] {
                if let Some(fc) = f(candidate)
                    && fc.signum() != f0.signum()
                {
                    bracket = Some(if candidate > start { (start, candidate) } else { (candidate, start) });
                    break 'search;
                }
            }
            step *= 2.0;
            if !step.is_finite() {
                break;
            }
        }
        let (mut lo, mut hi) = bracket.ok_or_else(no)?;
        let flo = f(lo).ok_or_else(no)?;
        for _ in 0..200 {
            let mid = lo + (hi - lo) / 2.0;
            let Some(fm) = f(mid) else { return Err(no()) };
            if fm == 0.0 || (hi - lo).abs() <= 1e-12 * mid.abs().max(1e-300) {
                return Ok(mid);
            }
            if fm.signum() == flo.signum() {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Ok(lo + (hi - lo) / 2.0)
    }

    /// Each node's expected progress at `period.as_of` and whether it is on
    /// track. The share elapsed is `(as_of − start) / (end − start)` in days,
    /// clamped to 0..=1, where a node's own `deadline` (after the start)
    /// replaces `end`. Linear nodes are expected to have reached that share of
    /// their target; nodes marked `"pacing": "level"` the whole target. A
    /// node is on track when its actual is at least the expected actual (at
    /// most, for lower-is-better nodes).
    pub fn pacing(&self) -> Pacing {
        let Some(period) = &self.doc.period else { return Pacing::default() };
        let (Some(start), Some(end), Some(as_of)) = (period.start, period.end, period.as_of) else {
            return Pacing { as_of: period.as_of, ..Pacing::default() };
        };
        let share = |end: Date| {
            let total = (end.days_since_epoch() - start.days_since_epoch()) as f64;
            let done = (as_of.days_since_epoch() - start.days_since_epoch()) as f64;
            (total > 0.0).then(|| (done / total).clamp(0.0, 1.0))
        };
        let elapsed = share(end);
        let mut nodes = Vec::new();
        for (i, node) in self.doc.nodes.iter().enumerate() {
            let v = &self.eval.values()[i];
            let (Some(target), Some(actual), Some(progress)) = (v.target, v.actual, v.progress) else { continue };
            let own = node.deadline.filter(|d| *d > start).and_then(share);
            let Some(elapsed) = own.or(elapsed) else { continue };
            // With values per period, the plan to date is the year-to-date
            // target, month by month as planned, not a straight line.
            let to_date = self.eval.periods().and_then(|t| t.ytd(i)).and_then(|y| Some((y.target?, y.actual?)));
            let rule = match (to_date, node.extra.get("pacing").and_then(|p| p.as_str())) {
                (Some(_), _) => PaceRule::Periods,
                (None, Some("level")) => PaceRule::Level,
                (None, _) => PaceRule::Linear,
            };
            let (expected_progress, expected_actual, actual) = match (rule, to_date) {
                (PaceRule::Periods, Some((ytd_target, ytd_actual))) => {
                    (if target != 0.0 { ytd_target / target } else { 1.0 }, ytd_target, ytd_actual)
                }
                (PaceRule::Level, _) => (1.0, target, actual),
                _ => (elapsed, target * elapsed, actual),
            };
            let on_track = match node.direction() {
                Direction::Up => actual >= expected_actual - 1e-9 * expected_actual.abs(),
                Direction::Down => actual <= expected_actual + 1e-9 * expected_actual.abs(),
            };
            let status = if on_track { PaceStatus::OnTrack } else { PaceStatus::Behind };
            nodes.push(Pace {
                node: node.id.clone(),
                rule,
                elapsed,
                expected_progress,
                expected_actual,
                actual,
                progress,
                status,
            });
        }
        Pacing { as_of: Some(as_of), elapsed, nodes }
    }
}
