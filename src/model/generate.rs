//! Generated KPI trees of any size, for benchmarks, tests and fuzzing.
//!
//! [`tree`] builds a realistic document the way a planner would: one KGI
//! (売上, 万円) broken down with `+`, `-`, `*` and `/` into customers, unit
//! prices, deals, calls and rates, with cost branches that share their
//! customer count with the revenue branch, and KSFs that tell the story
//! through `link` edges. [`chain`] builds one long chain, to test depth.
//!
//! Everything is deterministic: the same size and seed always give the same
//! document, so a failing case can be reproduced from its seed.

use std::collections::VecDeque;

use super::{Date, Direction, Document, Edge, Indicator, Kind, Node, NodeId, Op, Period};

/// A tiny xorshift64* generator: deterministic, no dependencies, good enough
/// to vary shapes and values.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // Xorshift never leaves zero; mix the seed so nearby seeds differ.
        Rng((seed ^ 0x9E37_79B9_7F4A_7C15).wrapping_mul(0xBF58_476D_1CE4_E5B9) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[lo, hi)`.
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Uniform in `0..n` (`n > 0`).
    #[allow(clippy::cast_possible_truncation, reason = "the remainder of a division by n, a usize")]
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// What a KPI measures; decides its unit and how it can be broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// 万円: revenue, cost, profit.
    Money,
    /// 社: customers.
    Customers,
    /// 万円/社: price or cost per customer.
    PerCustomer,
    /// 件: calls, meetings, deals.
    Count,
    /// %: conversion rates.
    Rate,
}

impl Measure {
    fn unit(self) -> &'static str {
        match self {
            Measure::Money => "万円",
            Measure::Customers => "社",
            Measure::PerCustomer => "万円/社",
            Measure::Count => "件",
            Measure::Rate => "%",
        }
    }

    /// The factor into the value used in arithmetic: `%` is 1/100. The other
    /// units' scales cancel in every breakdown below (社 × 万円/社 = 万円).
    fn scale(self) -> f64 {
        if self == Measure::Rate { 0.01 } else { 1.0 }
    }
}

/// One node being generated: its place in the document and the value planned
/// for it top-down, before leaves are rounded.
#[derive(Debug, Clone, Copy)]
struct Slot {
    node: usize,
    measure: Measure,
    plan: f64,
}

/// A planned child: what it measures, its name, its operator and its plan.
type Term = (Measure, &'static str, Op, f64);

struct Builder {
    rng: Rng,
    /// The document's header and edges; its nodes are built in `nodes`.
    doc: Document,
    nodes: Vec<Node>,
    measures: Vec<Measure>,
    /// Child indices of each node's arithmetic terms, with their operators.
    terms: Vec<Vec<(usize, Op)>>,
}

impl Builder {
    fn add(&mut self, kind: Kind, name: &str, measure: Option<Measure>) -> usize {
        let i = self.nodes.len();
        let prefix = match kind {
            Kind::Kgi => "kgi",
            Kind::Ksf => "ksf",
            Kind::Kpi => "kpi",
        };
        let mut node = Node::new(format!("{prefix}-{i}"), kind, format!("{name} {i}"));
        node.unit = measure.map(|m| m.unit().to_owned());
        self.nodes.push(node);
        self.measures.push(measure.unwrap_or(Measure::Count));
        self.terms.push(Vec::new());
        i
    }

    fn connect(&mut self, parent: usize, child: usize, op: Op) {
        let (p, c) = (self.nodes[parent].id.clone(), self.nodes[child].id.clone());
        self.doc.edges.push(Edge { parent: p, child: c, op, extra: Default::default() });
        if op.is_arithmetic() {
            self.terms[parent].push((child, op));
        }
    }

    /// Adds the planned terms under `slot` and returns their slots.
    fn expand(&mut self, slot: &Slot, plan: &[Term]) -> Vec<Slot> {
        plan.iter()
            .map(|&(measure, name, op, value)| {
                let child = self.add(Kind::Kpi, name, Some(measure));
                self.connect(slot.node, child, op);
                Slot { node: child, measure, plan: value }
            })
            .collect()
    }

    /// A breakdown of `slot` into terms whose values give its plan, using at
    /// most `budget` new nodes; `None` keeps it a leaf.
    fn breakdown(&mut self, slot: &Slot, budget: usize) -> Option<Vec<Slot>> {
        use Measure::*;
        let v = slot.plan;
        let r = &mut self.rng;
        let plan: Vec<Term> = match slot.measure {
            Money if budget >= 5 && r.chance(0.15) => return Some(self.profit(slot)),
            Money if budget >= 3 && r.chance(0.3) => {
                let (a, b) = (r.range(0.2, 0.5), r.range(0.2, 0.4));
                vec![
                    (Money, "事業部売上", Op::Add, v * a),
                    (Money, "事業部売上", Op::Add, v * b),
                    (Money, "事業部売上", Op::Add, v * (1.0 - a - b)),
                ]
            }
            Money => {
                let price = r.range(20.0, 300.0);
                vec![(Customers, "顧客数", Op::Mul, v / price), (PerCustomer, "客単価", Op::Mul, price)]
            }
            Customers if r.chance(0.5) => {
                let a = r.range(0.3, 0.7);
                vec![(Customers, "新規顧客数", Op::Add, v * a), (Customers, "既存顧客数", Op::Add, v * (1.0 - a))]
            }
            Customers => {
                let rate = r.range(10.0, 40.0);
                vec![(Customers, "商談社数", Op::Mul, v / (rate / 100.0)), (Rate, "成約率", Op::Mul, rate)]
            }
            PerCustomer if r.chance(0.4) => {
                let a = r.range(0.6, 0.9);
                vec![(PerCustomer, "基本単価", Op::Add, v * a), (PerCustomer, "オプション単価", Op::Add, v * (1.0 - a))]
            }
            PerCustomer if r.chance(0.5) => {
                let customers = r.range(10.0, 200.0);
                vec![(Money, "契約総額", Op::Mul, v * customers), (Customers, "契約社数", Op::Div, customers)]
            }
            Count if r.chance(0.4) => {
                let a = r.range(0.4, 0.8);
                vec![(Count, "問い合わせ数", Op::Add, v * a), (Count, "紹介件数", Op::Add, v * (1.0 - a))]
            }
            Count => {
                let rate = r.range(2.0, 30.0);
                vec![(Count, "テレアポ数", Op::Mul, v / (rate / 100.0)), (Rate, "アポ獲得率", Op::Mul, rate)]
            }
            Rate if r.chance(0.3) => {
                let total = r.range(50.0, 2000.0);
                vec![(Count, "成約数", Op::Mul, total * v / 100.0), (Count, "提案数", Op::Div, total)]
            }
            PerCustomer | Rate => return None,
        };
        (plan.len() <= budget).then(|| self.expand(slot, &plan))
    }

    /// 利益 = 売上 − 費用, where 売上 = 顧客数 × 客単価 and 費用 = 顧客数 ×
    /// 顧客あたり費用 share one 顧客数 node: a KPI in two trees.
    fn profit(&mut self, slot: &Slot) -> Vec<Slot> {
        let price = self.rng.range(50.0, 300.0);
        let cost = price * self.rng.range(0.3, 0.7);
        let customers = slot.plan / (price - cost);
        let revenue = self.add(Kind::Kpi, "売上", Some(Measure::Money));
        let spend = self.add(Kind::Kpi, "費用", Some(Measure::Money));
        self.nodes[spend].direction = Some(Direction::Down);
        self.connect(slot.node, revenue, Op::Add);
        self.connect(slot.node, spend, Op::Sub);
        let shared = self.add(Kind::Kpi, "顧客数", Some(Measure::Customers));
        let unit_price = self.add(Kind::Kpi, "客単価", Some(Measure::PerCustomer));
        let unit_cost = self.add(Kind::Kpi, "顧客あたり費用", Some(Measure::PerCustomer));
        self.nodes[unit_cost].direction = Some(Direction::Down);
        self.connect(revenue, shared, Op::Mul);
        self.connect(revenue, unit_price, Op::Mul);
        self.connect(spend, shared, Op::Mul);
        self.connect(spend, unit_cost, Op::Mul);
        vec![
            Slot { node: shared, measure: Measure::Customers, plan: customers },
            Slot { node: unit_price, measure: Measure::PerCustomer, plan: price },
            Slot { node: unit_cost, measure: Measure::PerCustomer, plan: cost },
        ]
    }

    /// A leading KPI (件) with a target and usually an actual, linked from `parent`.
    fn leading_kpi(&mut self, parent: usize) {
        const NAMES: [&str; 4] = ["訪問件数", "セミナー開催数", "デモ実施数", "提案書送付数"];
        let name = NAMES[self.rng.below(NAMES.len())];
        let i = self.add(Kind::Kpi, name, Some(Measure::Count));
        let target = round_sig(self.rng.range(20.0, 2000.0));
        let node = &mut self.nodes[i];
        node.indicator = Some(Indicator::Leading);
        node.source = Some("CRM 活動ログ".to_owned());
        node.target = Some(target);
        node.actual = self.rng.chance(0.9).then(|| round_sig(target * self.rng.range(0.5, 1.2)));
        self.connect(parent, i, Op::Link);
    }

    /// Gives leaves their rounded plan and an actual, then, children first,
    /// enters targets (and, where terms lack data, actuals) on some computed
    /// nodes the way people do: mostly consistent, now and then not.
    fn fill_values(&mut self, slots: &[Slot]) {
        let n = self.nodes.len();
        let mut plan = vec![None; n];
        for s in slots {
            plan[s.node] = Some(s.plan);
        }
        // Effective values, as the evaluator will see them.
        let mut targets: Vec<Option<f64>> = vec![None; n];
        let mut actuals: Vec<Option<f64>> = vec![None; n];
        // Terms always come after their parent in node order.
        for i in (0..n).rev() {
            let Some(planned) = plan[i] else {
                // A leading KPI: its values are already set.
                (targets[i], actuals[i]) = (self.nodes[i].target, self.nodes[i].actual);
                continue;
            };
            if self.terms[i].is_empty() {
                let target = round_sig(planned);
                let actual = self.rng.chance(0.95).then(|| round_sig(target * self.rng.range(0.6, 1.15)));
                let node = &mut self.nodes[i];
                (node.target, node.actual) = (Some(target), actual);
                (targets[i], actuals[i]) = (node.target, node.actual);
                continue;
            }
            let (computed_target, computed_actual) = (self.combine(i, &targets), self.combine(i, &actuals));
            let entered = self.nodes[i].kind == Kind::Kgi || self.rng.chance(0.1);
            let mut target = None;
            if entered && let Some(t) = computed_target {
                // One entered target in twenty does not add up.
                let off = if self.rng.chance(0.05) { 1.05 } else { 1.0 };
                target = Some(round_sig(t * off));
            }
            let mut actual = None;
            if computed_actual.is_none() && self.rng.chance(0.2) {
                actual = computed_target.map(|t| round_sig(t * self.rng.range(0.6, 1.1)));
            }
            let node = &mut self.nodes[i];
            (node.target, node.actual) = (target, actual);
            targets[i] = target.or(computed_target);
            actuals[i] = computed_actual.or(actual);
        }
    }

    /// The value of node `i`'s terms, with the evaluator's precedence rule.
    fn combine(&self, i: usize, values: &[Option<f64>]) -> Option<f64> {
        let terms: Option<Vec<(Op, f64)>> = self.terms[i]
            .iter()
            .map(|&(child, op)| Some((op, values[child]? * self.measures[child].scale())))
            .collect();
        Some(super::combine(terms?) / self.measures[i].scale())
    }
}

/// Rounds to six significant digits, as people would enter a value.
#[allow(clippy::cast_possible_truncation, reason = "the decimal exponent of a finite f64, within ±400")]
fn round_sig(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let digits = 5 - x.abs().log10().floor() as i32;
    let factor = 10f64.powi(digits);
    (x * factor).round() / factor
}

fn skeleton(title: &str) -> Document {
    Document {
        title: Some(title.to_owned()),
        period: Some(Period {
            start: Date::parse("2026-04-01"),
            end: Date::parse("2027-03-31"),
            as_of: Date::parse("2026-10-31"),
            ..Period::default()
        }),
        ..Document::default()
    }
}

/// A realistic KPI tree of exactly `nodes` nodes (none for 0), the same for
/// the same `nodes` and `seed`.
///
/// The shape: one KGI `売上` in 万円 with a target and a deadline, broken
/// down breadth first into KPIs in 万円, 社, 万円/社, 件 and % with `+`,
/// `-`, `*` and `/` edges, about fifteen terms in a hundred on a profit
/// branch whose customer count is shared by revenue and cost. About one node
/// in sixteen belongs to KSFs: `link` children of the KGI and of each other,
/// each linking leading KPIs of its own and now and then an existing KPI of
/// the arithmetic tree (another shared node). Leaves have targets and almost
/// all have actuals; about one computed node in ten has an entered target,
/// of which one in twenty does not add up (a `target_mismatch` warning).
/// Units always agree, and there are no errors.
pub fn tree(nodes: usize, seed: u64) -> Document {
    let mut b = Builder {
        rng: Rng::new(seed),
        doc: skeleton(&format!("生成された KPI ツリー ({nodes} ノード, seed {seed})")),
        nodes: Vec::with_capacity(nodes),
        measures: Vec::with_capacity(nodes),
        terms: Vec::with_capacity(nodes),
    };
    if nodes == 0 {
        return b.doc;
    }
    b.doc.edges.make_mut().reserve(nodes + nodes / 8);
    let kgi = b.add(Kind::Kgi, "売上", Some(Measure::Money));
    let node = &mut b.nodes[kgi];
    node.deadline = Date::parse("2027-03-31");
    node.owner = Some("営業本部".to_owned());

    // Three nodes per KSF: the KSF and two leading KPIs.
    let ksfs = if nodes >= 16 { nodes / 48 } else { 0 };
    let arithmetic = nodes - 1 - 3 * ksfs;
    let mut slots = vec![Slot { node: kgi, measure: Measure::Money, plan: 10.0 * nodes as f64 }];
    let mut queue: VecDeque<usize> = VecDeque::from([0]);
    let mut used = 0;
    while let Some(k) = queue.pop_front() {
        let budget = arithmetic - used;
        if budget < 2 {
            break;
        }
        let slot = slots[k];
        let Some(children) = b.breakdown(&slot, budget) else { continue };
        used = b.nodes.len() - 1;
        for child in children {
            queue.push_back(slots.len());
            slots.push(child);
        }
    }
    let arithmetic_nodes: Vec<usize> = (1..b.nodes.len()).collect();

    let mut ksf_ids = Vec::with_capacity(ksfs);
    for k in 0..ksfs {
        const NAMES: [&str; 4] = ["新規顧客の開拓", "既存顧客の深耕", "提案力の強化", "営業効率の向上"];
        let ksf = b.add(Kind::Ksf, NAMES[k % NAMES.len()], None);
        // The first few hang off the KGI, the rest off an earlier KSF.
        let parent = if k < 4 { kgi } else { ksf_ids[b.rng.below(k)] };
        b.connect(parent, ksf, Op::Link);
        b.leading_kpi(ksf);
        b.leading_kpi(ksf);
        if !arithmetic_nodes.is_empty() && b.rng.chance(0.3) {
            let kpi = arithmetic_nodes[b.rng.below(arithmetic_nodes.len())];
            b.connect(ksf, kpi, Op::Link);
        }
        ksf_ids.push(ksf);
    }
    // Whatever the breakdowns could not use: more leading KPIs.
    while b.nodes.len() < nodes {
        let parent = ksf_ids.last().copied().unwrap_or(kgi);
        b.leading_kpi(parent);
    }
    b.fill_values(&slots);
    b.doc.nodes = b.nodes.into();
    b.doc
}

/// `doc` with twelve months of values on every leaf that has a target: its
/// fiscal year (April 2026 to March 2027, as of the end of October) split
/// into months — a sum's target a twelfth a month, a rate's or a level's
/// the same every month, each with some noise — and actuals for the seven
/// months to date. The leaves' whole-year values are then left to the
/// months (entered ones cleared), as a document kept up month by month is.
pub fn with_series(mut doc: Document, seed: u64) -> Document {
    use super::{Aggregate, Label, SeriesValue};
    let mut rng = Rng::new(seed);
    let computed: std::collections::HashSet<NodeId> =
        doc.edges.iter().filter(|e| e.op.is_arithmetic()).map(|e| e.parent.clone()).collect();
    let first = 2026 * 12 + 3;
    for node in doc.nodes.iter_mut() {
        if computed.contains(&node.id) {
            continue;
        }
        let Some(target) = node.target else { continue };
        let sum = Aggregate::default_for(node.unit_str(), false) == Aggregate::Sum;
        let monthly = if sum { target / 12.0 } else { target };
        let ratio = node.actual.map_or(0.9, |a| if target != 0.0 { a / target } else { 1.0 });
        let mut series = super::Series::new();
        for m in 0..12 {
            let t = monthly * rng.range(0.9, 1.1);
            let actual = (m < 7).then(|| t * ratio * rng.range(0.9, 1.1));
            series.insert(Label::Month(first + m), SeriesValue { target: Some(t), actual, ..SeriesValue::default() });
        }
        node.series = Some(series);
        node.target = None;
        node.actual = None;
    }
    doc
}

/// A chain of `len` nodes (none for 0): a KGI in 万円 whose single `+` term
/// has a single `+` term, and so on down to one leaf KPI with a target and an
/// actual. Every node is computed from the leaf, `len - 1` levels below the
/// KGI.
pub fn chain(len: usize) -> Document {
    let mut doc = skeleton(&format!("チェーン ({len} ノード)"));
    doc.nodes.reserve(len);
    doc.edges.make_mut().reserve(len.saturating_sub(1));
    for i in 0..len {
        let kind = if i == 0 { Kind::Kgi } else { Kind::Kpi };
        let mut node = Node::new(format!("c{i}"), kind, format!("段 {i}"));
        node.unit = Some("万円".to_owned());
        if i == 0 {
            node.deadline = Date::parse("2027-03-31");
        }
        if i + 1 == len {
            node.target = Some(1000.0);
            node.actual = Some(800.0);
        }
        doc.nodes.push(node);
        if i > 0 {
            doc.edges.push(Edge::new(NodeId::from(format!("c{}", i - 1)), NodeId::from(format!("c{i}")), Op::Add));
        }
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_has_exactly_the_requested_number_of_nodes() {
        for n in [0, 1, 2, 3, 7, 16, 100, 1001] {
            assert_eq!(tree(n, 7).nodes.len(), n);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_tree() {
        assert_eq!(tree(500, 42), tree(500, 42));
        assert_ne!(tree(500, 42), tree(500, 43));
    }

    #[test]
    fn a_chain_links_each_node_to_the_next() {
        let doc = chain(4);
        assert_eq!(doc.nodes.len(), 4);
        assert_eq!(doc.edges.len(), 3);
        assert_eq!(doc.edges[2].parent.as_str(), "c2");
        assert_eq!(doc.edges[2].child.as_str(), "c3");
    }
}
