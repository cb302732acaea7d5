//! Working back from a target: the target a term needs so that its
//! parent's target holds ([`Analyzer::allocate`], 逆算), and the actual a
//! node needs so that an ancestor reaches its target ([`Analyzer::seek`]).

use super::{AnalysisError, Analyzer, Walk};
use crate::eval::Which;
use crate::eval::lever;
use crate::model::{NodeId, Step, walk};

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

impl Analyzer {
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
        let required = match lv.map(x) {
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
}
