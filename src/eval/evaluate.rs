//! The evaluator: Document → Evaluation, exactly as `docs/FORMAT.md` says.

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::diagnostic::{Code, Detail, Diagnostic, EdgeRef, Which};
use super::graph::{Components, Graph, Link};
use super::{Evaluation, NodeValue};
use crate::model::{Aggregate, Direction, Document, Kind, Node, NodeId, Op, Step, Unit, combine, walk};

/// Relative difference between an entered and a computed value above which
/// `target_mismatch` / `actual_mismatch` is reported.
pub const MISMATCH_TOLERANCE: f64 = 0.005;

/// Evaluates every node of `doc` and checks the tree. Pure: the same document
/// always gives the same evaluation, and nothing is read or written.
pub fn evaluate(doc: &Document) -> Evaluation {
    evaluate_with_calc(doc).0
}

/// What analysis needs beyond the values: the resolved graph, the order in
/// which values are computed, and the unit scales the evaluator used, so
/// that a changed value can be carried up to its ancestors exactly as
/// [`evaluate`] would carry it.
pub(crate) struct Calc {
    pub graph: Graph,
    pub comps: Components,
    /// Scale of each node's own unit (`万円` → 1e4, `%` → 0.01): the unit of
    /// entered values.
    pub in_scale: Vec<f64>,
    /// Scale of the unit a computed node's value is expressed in (its own
    /// unit, or the terms' named unit when the dimensions disagree).
    pub out_scale: Vec<f64>,
    /// Scale of each node's effective target and actual (`[target, actual]`):
    /// `in_scale` for an entered value, `out_scale` for a computed one.
    pub scale: [Vec<f64>; 2],
}

impl Calc {
    /// True when `node` is part of a cycle: its values are never computed.
    pub fn cyclic(&self, node: usize) -> bool {
        self.comps.members(self.comps.of[node] as usize).len() > 1
    }

    /// `node`'s expression over its terms, with each term's value in base
    /// units from `base`, in the unit `evaluate` uses for `node`'s computed
    /// value; `None` when a term has no value or the result is not a number.
    pub fn compute(&self, node: usize, base: impl Fn(usize) -> Option<f64>) -> Option<f64> {
        super::lever::count(self.graph.terms(node).count());
        if self.graph.terms(node).any(|link| base(link.child as usize).is_none()) {
            return None;
        }
        let terms = self.graph.terms(node).map(|l| (l.op, base(l.child as usize).unwrap_or(f64::NAN)));
        Some(combine(terms) / self.out_scale[node]).filter(|v| v.is_finite())
    }
}

/// [`evaluate`], also returning the [`Calc`] behind it.
pub(crate) fn evaluate_with_calc(doc: &Document) -> (Evaluation, Calc) {
    let mut structural = Vec::new();
    let mut units = Units::with_capacity(doc.nodes.len());
    let mut texts = FxHashMap::default();
    let mut graph = Graph::build(doc, &mut structural, |i, node, primary| units.add(&mut texts, i, node, primary));
    let comps = graph.components();
    let n = doc.nodes.len();
    let mut ev = Evaluator {
        doc,
        graph: &graph,
        units,
        values: vec![NodeValue::default(); n],
        found: Vec::new(),
        out_unit: vec![u32::MAX; n],
        value_units: FxHashMap::default(),
        scale: [vec![1.0; n], vec![1.0; n]],
        periods: super::period::Builder::new(doc),
    };
    let kpi_below = ev.run(&comps);
    ev.node_rules(&comps, &kpi_below);

    let Evaluator { values, mut found, units, out_unit, value_units, scale, periods, .. } = ev;
    let periods = periods.map(|b| {
        for (m, labels) in &b.outside {
            let node = &doc.nodes[*m];
            found.push((*m, diag(node, Code::SeriesOutsidePeriod, None, Detail::Labels(labels.clone()))));
        }
        for (m, labels) in &b.gaps {
            let node = &doc.nodes[*m];
            found.push((*m, diag(node, Code::SeriesGap, None, Detail::Labels(labels.clone()))));
        }
        Arc::new(b.table)
    });
    let in_scale: Vec<f64> = (0..n).map(|i| units.get(i).scale).collect();
    let out_scale: Vec<f64> = out_unit
        .iter()
        .enumerate()
        .map(|(i, &u)| if u == u32::MAX { in_scale[i] } else { units.all[u as usize].scale })
        .collect();
    found.extend(units.problems);
    // Per-node findings in file order, after the structural ones; then
    // errors, warnings and infos, each group keeping that order.
    found.sort_by_key(|(pos, _)| *pos);
    let mut diagnostics = structural;
    diagnostics.extend(found.into_iter().map(|(_, d)| d));
    diagnostics.sort_by_key(Diagnostic::severity);
    let index = std::mem::take(&mut graph.index);
    let eval = Evaluation { values, diagnostics, index, value_units, periods, by_node: Default::default() };
    (eval, Calc { graph, comps, in_scale, out_scale, scale })
}

/// Each node's parsed unit, parsing every distinct unit text once, and the
/// products and quotients of units, each computed once: a 100,000-node tree
/// has a handful of distinct units, and checking it should not allocate per
/// node.
struct Units {
    /// Every unit met: the nodes' own, then products and quotients.
    all: Vec<Unit>,
    /// The unit of each node, an index into `all`.
    of: Vec<u32>,
    /// Whether each unit in `all` was written as blank text.
    blank: Vec<bool>,
    /// Whether each node's name is blank: read here, while the node's texts
    /// are in the cache anyway.
    blank_name: Vec<bool>,
    /// `(a, op, b)` → `a op b` for `*` and `/`; `a` is [`Units::ONE`] for `1 / b`.
    algebra: FxHashMap<(u32, Op, u32), u32>,
    /// `a` → `a` without its plain numbers ([`Unit::named`]).
    named: FxHashMap<u32, u32>,
    problems: Vec<(usize, Diagnostic)>,
}

impl Units {
    /// Stands for the plain number as the left operand of [`Units::apply`].
    const ONE: u32 = u32::MAX;

    fn with_capacity(nodes: usize) -> Units {
        Units {
            all: Vec::new(),
            of: Vec::with_capacity(nodes),
            blank: Vec::new(),
            blank_name: Vec::with_capacity(nodes),
            algebra: FxHashMap::default(),
            named: FxHashMap::default(),
            problems: Vec::new(),
        }
    }

    /// Reads the unit (and name) of node `i`, the next in file order; `texts`
    /// maps each unit text met so far to its unit and whether it parsed.
    #[allow(clippy::cast_possible_truncation, reason = "unit expression ids: fewer than nodes and edges")]
    fn add<'d>(&mut self, texts: &mut FxHashMap<&'d str, (u32, bool)>, i: usize, node: &'d Node, primary: bool) {
        self.blank_name.push(node.name.trim().is_empty());
        let text = node.unit_str();
        let (id, valid) = *texts.entry(text).or_insert_with(|| {
            let parsed = Unit::parse(text);
            let valid = parsed.is_ok();
            self.all.push(parsed.unwrap_or_else(|_| Unit::opaque(text)));
            self.blank.push(text.trim().is_empty());
            (self.all.len() as u32 - 1, valid)
        });
        if primary && !valid {
            self.problems.push((i, diag(node, Code::UnitSyntax, None, Detail::Unit(text.to_owned()))));
        }
        self.of.push(id);
    }

    fn get(&self, node: usize) -> &Unit {
        &self.all[self.of[node] as usize]
    }

    /// [`Unit::named`] of unit `a`, as an index into `all`.
    #[allow(clippy::cast_possible_truncation, reason = "unit expression ids: fewer than nodes and edges")]
    fn named(&mut self, a: u32) -> u32 {
        if let Some(&id) = self.named.get(&a) {
            return id;
        }
        let id = self.all.len() as u32;
        self.all.push(self.all[a as usize].named());
        self.named.insert(a, id);
        id
    }

    /// `a * b` or `a / b` (for any other `op`), as an index into `all`.
    #[allow(clippy::cast_possible_truncation, reason = "unit expression ids: fewer than nodes and edges")]
    fn apply(&mut self, a: u32, op: Op, b: u32) -> u32 {
        let op = if op == Op::Mul { Op::Mul } else { Op::Div };
        if let Some(&id) = self.algebra.get(&(a, op, b)) {
            return id;
        }
        let right = &self.all[b as usize];
        let unit = match (a, op) {
            (Units::ONE, _) => right.recip(),
            (a, Op::Mul) => self.all[a as usize].mul(right),
            (a, _) => self.all[a as usize].div(right),
        };
        let id = self.all.len() as u32;
        self.all.push(unit);
        self.algebra.insert((a, op, b), id);
        id
    }
}

fn diag(node: &Node, code: Code, edge: Option<EdgeRef>, detail: Detail) -> Diagnostic {
    Diagnostic { code, node: Some(node.id.clone()), name: node.name.clone(), edge, detail }
}

struct Evaluator<'a> {
    doc: &'a Document,
    graph: &'a Graph,
    units: Units,
    values: Vec<NodeValue>,
    found: Vec<(usize, Diagnostic)>,
    /// The unit each computed node's value is expressed in (`u32::MAX`: not computed).
    out_unit: Vec<u32>,
    /// The unit text of computed values that stay in their terms' unit.
    value_units: FxHashMap<u32, String>,
    /// The scale of each node's effective target and actual ([`Calc::scale`]).
    scale: [Vec<f64>; 2],
    /// Values per period, when the document has periods.
    periods: Option<super::period::Builder>,
}

/// Why a computed value is missing.
enum Fail {
    /// Some term has no value.
    Missing,
    /// The term of this edge is zero and divides.
    DivZero(Link),
    /// The result is not a finite number.
    Overflow,
}

impl Evaluator<'_> {
    fn edge_ref(&self, link: &Link) -> Option<EdgeRef> {
        let e = &self.doc.edges[link.edge as usize];
        Some(EdgeRef { parent: e.parent.clone(), child: e.child.clone() })
    }

    /// Evaluates components children first; returns, per component, whether
    /// a KPI lies anywhere below it.
    fn run(&mut self, comps: &Components) -> Vec<bool> {
        let mut kpi_below = vec![false; comps.len()];
        for c in 0..comps.len() {
            let members = comps.members(c);
            let cyclic = members.len() > 1;
            if cyclic {
                self.report_cycle(members, comps, c);
            }
            kpi_below[c] = members.iter().any(|&m| {
                self.graph.children(m as usize).iter().any(|l| {
                    let child = l.child as usize;
                    let other = comps.of[child] as usize;
                    self.graph.kinds[child] == Kind::Kpi || (other != c && kpi_below[other])
                })
            });
            for &m in members {
                self.evaluate_node(m as usize, cyclic);
            }
        }
        kpi_below
    }

    fn report_cycle(&mut self, members: &[u32], comps: &Components, c: usize) {
        let ring = self.cycle_order(members, comps, c);
        for &m in members {
            let node = &self.doc.nodes[m as usize];
            self.found.push((m as usize, diag(node, Code::Cycle, None, Detail::Cycle(ring.clone()))));
        }
    }

    /// The members of a cyclic component in the order of the cycle (from the
    /// smallest id) when it is a simple ring, else in id order.
    fn cycle_order(&self, members: &[u32], comps: &Components, c: usize) -> Arc<[NodeId]> {
        // By id, not by file position, so that the message does not depend
        // on the order of nodes in the file.
        let mut sorted: Vec<usize> = members.iter().map(|&m| m as usize).collect();
        sorted.sort_unstable_by(|&a, &b| self.doc.nodes[a].id.as_str().cmp(self.doc.nodes[b].id.as_str()));
        let mut walk = vec![sorted[0]];
        let mut at = sorted[0];
        while walk.len() <= sorted.len() {
            let Some(next) =
                self.graph.children(at).iter().map(|l| l.child as usize).find(|&ch| comps.of[ch] as usize == c)
            else {
                break;
            };
            if next == sorted[0] {
                break;
            }
            walk.push(next);
            at = next;
        }
        let mut check = walk.clone();
        check.sort_unstable_by(|&a, &b| self.doc.nodes[a].id.as_str().cmp(self.doc.nodes[b].id.as_str()));
        check.dedup();
        let order = if check == sorted && walk.len() == sorted.len() { walk } else { sorted };
        order.into_iter().map(|i| self.doc.nodes[i].id.clone()).collect()
    }

    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    fn evaluate_node(&mut self, m: usize, cyclic: bool) {
        let node = &self.doc.nodes[m];
        let computed = self.graph.terms(m).next().is_some();
        let (mut ct, mut ca) = (None, None);
        if computed && !cyclic {
            let unit = self.check_units(m);
            self.out_unit[m] = unit;
            ct = self.compute(m, Which::Target, unit);
            ca = self.compute(m, Which::Actual, unit);
        }
        let own = self.units.get(m).scale;
        let out = if computed && !cyclic { self.units.all[self.out_unit[m] as usize].scale } else { own };
        // A constant holds in every period, as a level does.
        let aggregate = match node.aggregate {
            _ if node.constant.is_some() && !computed => Aggregate::Last,
            Some(a) => a,
            None => Aggregate::default_for(node.unit_str(), computed),
        };
        // Values per period: a node with a series at or below it takes its
        // full-period values from its periods (an amount is the sum of its
        // months, 客数 × 単価 month by month), unless it rolls up by formula.
        let mut rolled = None;
        if let Some(b) = self.periods.as_mut() {
            let terms: Vec<Link> = if cyclic { Vec::new() } else { self.graph.terms(m).collect() };
            rolled = b.node(self.doc, m, &terms, aggregate, (own, out), node.direction() == Direction::Down);
        }
        let mut from_periods = [None, None];
        if let Some([rt, ra]) = rolled {
            if computed && !cyclic {
                ct = rt.map(|v| v / out).or(ct);
                ca = ra.map(|v| v / out).or(ca);
            } else {
                from_periods = [rt.map(|v| v / own), ra.map(|v| v / own)];
            }
        }
        // A constant is both the target and the actual of a leaf.
        let constant = node.constant.filter(|_| !computed);
        let target = constant.or(node.target).or(ct).or(from_periods[0]);
        let actual = constant.or(ca).or(node.actual).or(from_periods[1]);
        // A parent reads each value in the unit it is in: an entered one in
        // the node's unit, a computed one in the unit it was computed in.
        self.scale[0][m] = if node.target.is_none() && ct.is_some() { out } else { own };
        self.scale[1][m] = if ca.is_some() { out } else { own };
        if let Some(b) = self.periods.as_mut() {
            b.set_scale(m, if computed && !cyclic { out } else { own });
            let base = [target.map(|v| v * self.scale[0][m]), actual.map(|v| v * self.scale[1][m])];
            b.constant(m, aggregate, base);
        }
        self.values[m] = NodeValue {
            target,
            actual,
            // A constant has nothing to achieve.
            progress: if constant.is_some() { None } else { progress(target, actual, node.direction()) },
            computed,
            computed_target: ct,
            computed_actual: ca,
        };
        for (entered, got, code) in [(node.target, ct, Code::TargetMismatch), (node.actual, ca, Code::ActualMismatch)] {
            let (Some(entered), Some(got)) = (entered, got) else { continue };
            if differs(entered, got) {
                let unit = node.unit_str().to_owned();
                // The computed value in the unit it is in (件 under a 社 goal).
                let computed_unit = self.value_units.get(&(m as u32)).cloned().unwrap_or_else(|| unit.clone());
                let detail = Detail::Mismatch { entered, computed: got, unit, computed_unit };
                self.found.push((m, diag(node, code, None, detail)));
            }
        }
        // The months of an amount's plan should add up to its plan for the
        // whole period (a rate's or a level's need not).
        if !computed
            && aggregate == Aggregate::Sum
            && let (Some(entered), Some(sum)) = (node.target, from_periods[0])
            && differs(entered, sum)
        {
            let unit = node.unit_str().to_owned();
            let detail = Detail::Mismatch { entered, computed: sum, unit: unit.clone(), computed_unit: unit };
            self.found.push((m, diag(node, Code::SeriesSumMismatch, None, detail)));
        }
    }

    /// Reports `unit_mismatch` for `+`/`-` terms of different dimensions, and
    /// for a computed dimension that differs from the node's unit. Units are
    /// indices into `self.units`, so that this allocates nothing.
    ///
    /// Returns the unit the computed value is expressed in: the node's own
    /// when the dimensions agree (FORMAT.md: "converted into the parent's
    /// unit when the dimensions agree"), else the unit the terms give, so
    /// that 120 社 stays 120 under a 万円 parent instead of becoming 0.012.
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    fn check_units(&mut self, m: usize) -> u32 {
        let graph = self.graph;
        let units = &mut self.units;
        // The unit of the first additive group, and the first group (with
        // the edge that starts it) whose dimension differs from it.
        let mut first: Option<u32> = None;
        let mut mismatch: Option<(u32, Link)> = None;
        let mut close = |(group, edge): (u32, Link), units: &Units| match first {
            None => first = Some(group),
            Some(f) => {
                if mismatch.is_none() && !units.all[f as usize].same_dimension(&units.all[group as usize]) {
                    mismatch = Some((f, edge));
                }
            }
        };
        let mut group: Option<(u32, Link)> = None;
        walk(graph.terms(m).map(|l| (l.op, l)), |step, link| {
            let u = units.of[link.child as usize];
            match step {
                Step::Start { inverted, .. } => {
                    if let Some(done) = group.take() {
                        close(done, units);
                    }
                    group = Some((if inverted { units.apply(Units::ONE, Op::Div, u) } else { u }, link));
                }
                Step::Factor { divides } => {
                    if let Some((g, _)) = &mut group {
                        *g = units.apply(*g, if divides { Op::Div } else { Op::Mul }, u);
                    }
                }
            }
        });
        if let Some(last) = group {
            close(last, units);
        }
        let own_unit = self.units.of[m];
        if first.is_none() {
            return own_unit;
        }
        let node = &self.doc.nodes[m];
        let own = self.units.get(m);
        if let Some((first_unit, link)) = mismatch {
            let child = &self.doc.nodes[link.child as usize];
            let terms: Vec<Link> = self.graph.terms(m).collect();
            let detail = Detail::AddUnits {
                first: unit_text(&self.units.all[first_unit as usize], &terms, self.doc),
                term: child.name.clone(),
                unit: child.unit_str().to_owned(),
            };
            let edge = self.edge_ref(&link);
            self.found.push((m, diag(node, Code::UnitMismatch, edge, detail)));
        } else if let Some(result) = first
            && !self.units.all[result as usize].same_dimension(own)
        {
            // No conversion into the node's unit: the value stays in the
            // named factors the terms give, and plain numbers (`%`, `万`)
            // still multiply it (120 件 × 25 % is 30 件, not 3,000).
            let named = self.units.named(result);
            let terms: Vec<Link> = self.graph.terms(m).collect();
            let computed = unit_text(&self.units.all[named as usize], &terms, self.doc);
            self.value_units.insert(m as u32, computed.clone());
            let detail = Detail::ResultUnit { computed, own: node.unit_str().to_owned() };
            self.found.push((m, diag(node, Code::UnitMismatch, None, detail)));
            return named;
        }
        own_unit
    }

    /// The value of `m`'s expression for targets or actuals, in `m`'s unit.
    fn compute(&mut self, m: usize, which: Which, unit: u32) -> Option<f64> {
        match self.expression(m, which, unit) {
            Ok(v) => Some(v),
            Err(Fail::Missing) => None,
            Err(Fail::DivZero(link)) => {
                let node = &self.doc.nodes[m];
                let term = self.doc.nodes[link.child as usize].name.clone();
                let edge = self.edge_ref(&link);
                self.found.push((m, diag(node, Code::DivisionByZero, edge, Detail::DivZero(which, term))));
                None
            }
            Err(Fail::Overflow) => {
                let node = &self.doc.nodes[m];
                self.found.push((m, diag(node, Code::Overflow, None, Detail::DivZero(which, String::new()))));
                None
            }
        }
    }

    /// `op1 c1 op2 c2 … opN cN` with `*` and `/` before `+` and `-`, every
    /// term converted to its base unit first, the result expressed in `unit`.
    fn expression(&self, m: usize, which: Which, unit: u32) -> Result<f64, Fail> {
        let value = |c: usize| match which {
            Which::Target => self.values[c].target,
            Which::Actual => self.values[c].actual,
        };
        // A missing term wins over a division by zero in an earlier one.
        if self.graph.terms(m).any(|link| value(link.child as usize).is_none()) {
            return Err(Fail::Missing);
        }
        let scale = &self.scale[which as usize];
        let base = |link: Link| {
            let c = link.child as usize;
            value(c).unwrap_or(f64::NAN) * scale[c]
        };
        if let Some(link) = self.graph.terms(m).find(|&link| link.op == Op::Div && base(link) == 0.0) {
            return Err(Fail::DivZero(link));
        }
        let result = self.units.all[unit as usize].from_base(combine(self.graph.terms(m).map(|l| (l.op, base(l)))));
        if result.is_finite() { Ok(result) } else { Err(Fail::Overflow) }
    }

    /// The rules that look at one node at a time.
    fn node_rules(&mut self, comps: &Components, kpi_below: &[bool]) {
        for (i, node) in self.doc.nodes.iter().enumerate() {
            if !self.graph.primary[i] {
                // A repeated id: the duplicate_id error says it all.
                self.values[i] = NodeValue {
                    target: node.target,
                    actual: node.actual,
                    progress: progress(node.target, node.actual, node.direction()),
                    ..NodeValue::default()
                };
                continue;
            }
            let v = &self.values[i];
            let parents = self.graph.parent_count[i] as usize;
            let mut push = |code, detail| self.found.push((i, diag(node, code, None, detail)));
            if self.units.blank_name[i] {
                push(Code::EmptyName, Detail::None);
            }
            match node.kind {
                Kind::Kgi => {
                    if v.target.is_none() {
                        push(Code::KgiNoTarget, Detail::None);
                    }
                    if node.deadline.is_none() {
                        push(Code::KgiNoDeadline, Detail::None);
                    }
                }
                Kind::Ksf => {
                    if !kpi_below[comps.of[i] as usize] {
                        push(Code::KsfWithoutKpi, Detail::None);
                    }
                }
                Kind::Kpi if node.constant.is_some() && !v.computed => {}
                Kind::Kpi => {
                    if self.units.blank[self.units.of[i] as usize] {
                        push(Code::KpiNoUnit, Detail::None);
                    }
                    // Effective values: a series gives a leaf its target and actual.
                    if !v.computed && v.target.is_none() {
                        push(Code::KpiNoTarget, Detail::None);
                    }
                    if !v.computed && v.target.is_some() && v.actual.is_none() {
                        push(Code::NoActual, Detail::None);
                    }
                }
            }
            if node.kind != Kind::Kgi && parents == 0 {
                push(Code::Orphan, Detail::None);
            }
            if parents > 1 {
                push(Code::SharedNode, Detail::Parents(parents));
            }
        }
    }
}

/// The unit of a group of terms for messages: the text of a term with exactly
/// that unit when there is one (people wrote `万円`, not `1e4 円`).
fn unit_text(unit: &Unit, terms: &[Link], doc: &Document) -> String {
    terms
        .iter()
        .map(|l| doc.nodes[l.child as usize].unit_str())
        .find(|t| Unit::parse(t).is_ok_and(|u| u == *unit))
        .map_or_else(
            || if unit.is_dimensionless() && unit.scale == 1.0 { String::new() } else { unit.to_string() },
            str::to_owned,
        )
}

/// True when `computed` is more than [`MISMATCH_TOLERANCE`] away from `entered`
/// (relative to the entered value).
pub fn differs(entered: f64, computed: f64) -> bool {
    let diff = (computed - entered).abs();
    if entered == 0.0 {
        return diff > 1e-9;
    }
    diff > MISMATCH_TOLERANCE * entered.abs()
}

/// 達成率 as a ratio: actual / target for up, target / actual for down.
pub fn progress(target: Option<f64>, actual: Option<f64>, direction: Direction) -> Option<f64> {
    let (t, a) = (target?, actual?);
    let (num, den) = match direction {
        Direction::Up => (a, t),
        Direction::Down => (t, a),
    };
    (den != 0.0).then(|| num / den).filter(|p| p.is_finite())
}
