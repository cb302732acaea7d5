//! How a node the goal reaches along several chains (a shared node: 顧客数
//! under both 売上 and 費用) moves the goal: as an exact rational function
//! of its value, built once by carrying the node's value up the tree as a
//! variable. Every node below it on a single chain then moves the goal
//! through it ([`super::lever::Levers::via`]): a map into the shared node,
//! then this function — a few operations per node, where carrying each
//! node's change up again cost the whole expression of every ancestor (a
//! sum of 10,000 channels under a shared node was quadratic).
//!
//! Each chain multiplies or adds one more power of the variable, so the
//! function's degree is at most the number of chains; above
//! [`MAX_DEGREE`] (a node shared dozens of times over) the caller carries
//! the change up numerically instead.

use rustc_hash::FxHashMap;

use super::Which;
use super::analysis::{Analyzer, Walk};
use super::lever::{Levers, count, groups};
use super::source::Source;

/// The highest degree a function is carried with.
pub(crate) const MAX_DEGREE: usize = 12;

/// `p(x) / q(x)`, coefficients from the constant term up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rational {
    p: Vec<f64>,
    q: Vec<f64>,
}

fn poly_mul(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; a.len() + b.len() - 1];
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            out[i + j] += x * y;
        }
    }
    out
}

fn poly_add(a: &[f64], b: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; a.len().max(b.len())];
    for (i, x) in a.iter().enumerate() {
        out[i] += x;
    }
    for (i, y) in b.iter().enumerate() {
        out[i] += y;
    }
    out
}

fn poly_at(a: &[f64], x: f64) -> f64 {
    a.iter().rev().fold(0.0, |acc, c| acc * x + c)
}

impl Rational {
    /// `x`.
    fn variable() -> Rational {
        Rational { p: vec![0.0, 1.0], q: vec![1.0] }
    }

    /// `v`, whatever `x`.
    fn constant(v: f64) -> Rational {
        Rational { p: vec![v], q: vec![1.0] }
    }

    fn degree(&self) -> usize {
        self.p.len().max(self.q.len()) - 1
    }

    fn plus(&self, other: &Rational, sign: f64) -> Rational {
        let o: Vec<f64> = other.p.iter().map(|c| c * sign).collect();
        if self.q == other.q {
            return Rational { p: poly_add(&self.p, &o), q: self.q.clone() };
        }
        Rational { p: poly_add(&poly_mul(&self.p, &other.q), &poly_mul(&o, &self.q)), q: poly_mul(&self.q, &other.q) }
    }

    fn times(&self, other: &Rational) -> Rational {
        Rational { p: poly_mul(&self.p, &other.p), q: poly_mul(&self.q, &other.q) }
    }

    fn inverse(&self) -> Rational {
        Rational { p: self.q.clone(), q: self.p.clone() }
    }

    /// The value at `x`, when it is a finite number.
    pub(crate) fn at(&self, x: f64) -> Option<f64> {
        let den = poly_at(&self.q, x);
        if den == 0.0 {
            return None;
        }
        Some(poly_at(&self.p, x) / den).filter(|v| v.is_finite())
    }
}

/// A node's value while the shared node's is the variable.
#[derive(Clone)]
enum Carried {
    /// Does not depend on it.
    Fixed(Option<f64>),
    /// A function of it.
    Of(Rational),
}

/// The goal as a function of each shared node below it, found once each.
#[derive(Default)]
pub(crate) struct Through {
    /// Per shared node: the function, or `None` when it was too involved
    /// (then the caller carries the change up numerically).
    functions: FxHashMap<usize, Option<Rational>>,
}

impl Through {
    /// The goal's value (base units) if node `x`'s were `value` (base
    /// units): `Some(answer)` from the maps, `None` when the caller must
    /// carry the change up itself.
    pub(crate) fn goal_at(
        &mut self,
        analyzer: &Analyzer,
        src: &impl Source,
        (levers, goal, which): (&Levers, usize, Which),
        x: usize,
        value: f64,
        walk: &mut Walk,
    ) -> Option<Option<f64>> {
        let (root, m) = levers.via(x)?;
        let root = root as usize;
        let at_root = m.at(value);
        if root == goal {
            return Some(at_root);
        }
        let f = self.functions.entry(root).or_insert_with(|| function(analyzer, src, goal, root, which, walk));
        let f = f.as_ref()?;
        Some(at_root.and_then(|v| f.at(v)))
    }
}

/// The goal's value as a function of node `s`'s (base units), by carrying
/// `s` up through its ancestors as a variable; `None` past [`MAX_DEGREE`].
fn function(
    analyzer: &Analyzer,
    src: &impl Source,
    goal: usize,
    s: usize,
    which: Which,
    walk: &mut Walk,
) -> Option<Rational> {
    let calc = analyzer.calc();
    let ancestors = analyzer.ancestors_in(s, walk);
    let mut carried: FxHashMap<usize, Carried> = FxHashMap::default();
    carried.insert(s, Carried::Of(Rational::variable()));
    for &a in &ancestors {
        if calc.cyclic(a) || !src.follows(a, which) {
            continue;
        }
        count(calc.graph.terms(a).count());
        let mut total: Option<Carried> = Some(Carried::Fixed(Some(0.0)));
        for group in groups(calc, a).iter() {
            let mut product = Carried::Fixed(Some(if group.negative { -1.0 } else { 1.0 }));
            for f in group.factors {
                let term = carried.get(&f.child).cloned().unwrap_or_else(|| Carried::Fixed(src.value(f.child, which)));
                let term = match term {
                    Carried::Fixed(v) => Carried::Fixed(v.map(|v| if f.divides { 1.0 / v } else { v })),
                    Carried::Of(r) => Carried::Of(if f.divides { r.inverse() } else { r }),
                };
                product = match (product, term) {
                    (Carried::Fixed(a), Carried::Fixed(b)) => Carried::Fixed(a.zip(b).map(|(a, b)| a * b)),
                    (Carried::Fixed(None), _) | (_, Carried::Fixed(None)) => Carried::Fixed(None),
                    (Carried::Fixed(Some(k)), Carried::Of(r)) | (Carried::Of(r), Carried::Fixed(Some(k))) => {
                        Carried::Of(r.times(&Rational::constant(k)))
                    }
                    (Carried::Of(r1), Carried::Of(r2)) => Carried::Of(r1.times(&r2)),
                };
            }
            total = match (total, product) {
                (Some(Carried::Fixed(a)), Carried::Fixed(b)) => Some(Carried::Fixed(a.zip(b).map(|(a, b)| a + b))),
                (Some(Carried::Fixed(None)), _) | (_, Carried::Fixed(None)) => Some(Carried::Fixed(None)),
                (Some(Carried::Fixed(Some(k))), Carried::Of(r)) => {
                    Some(Carried::Of(r.plus(&Rational::constant(k), 1.0)))
                }
                (Some(Carried::Of(r)), Carried::Fixed(Some(k))) => {
                    Some(Carried::Of(r.plus(&Rational::constant(k), 1.0)))
                }
                (Some(Carried::Of(r1)), Carried::Of(r2)) => Some(Carried::Of(r1.plus(&r2, 1.0))),
                (None, _) => None,
            };
            if let Some(Carried::Of(r)) = &total
                && r.degree() > MAX_DEGREE
            {
                return None;
            }
        }
        if let Some(t) = total {
            // A division by zero among fixed terms: no value, as the evaluator has it.
            let t = match t {
                Carried::Fixed(v) => Carried::Fixed(v.filter(|v| v.is_finite())),
                of => of,
            };
            carried.insert(a, t);
        }
    }
    match carried.remove(&goal) {
        Some(Carried::Of(r)) => Some(r),
        Some(Carried::Fixed(v)) => Some(Rational::constant(v.unwrap_or(f64::NAN))),
        None => Some(Rational::constant(src.value(goal, which).unwrap_or(f64::NAN))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rationals_add_multiply_and_invert() {
        let x = Rational::variable();
        // (x + 2) · x / (x − 1) at 3 = 15 / 2.
        let f =
            x.plus(&Rational::constant(2.0), 1.0).times(&x).times(&x.plus(&Rational::constant(1.0), -1.0).inverse());
        assert_eq!(f.at(3.0), Some(7.5));
        assert_eq!(f.at(1.0), None, "no value at a pole");
        assert_eq!(f.degree(), 2);
    }
}
