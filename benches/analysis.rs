//! Analysis at scale (issue: analysis that explains the gap), on generated
//! trees whose leaves all have targets and actuals:
//!
//! - `analysis/explain/100000`: bottlenecks + attribution (Shapley) +
//!   sensitivity (±10 %) of a 100,000-node tree (goal: 300 ms or less), with
//!   `analysis/check/100000` — the evaluation alone — beside it;
//! - `analysis/explain_flat/40000`: the same on one goal with 40,000 `+`
//!   terms (goal: at most 2× `analysis/check_flat/40000`);
//! - `analysis/explain_monthly/10000`: a 10,000-node tree with twelve months
//!   per leaf, analysed period by period;
//! - `analysis/explain/1000000`: a million nodes (goal: 5 s or less).
//!
//! Run with `cargo bench --no-default-features --bench analysis`.

use std::sync::Arc;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use kpitree::eval::Which;
use kpitree::eval::analysis::Analyzer;
use kpitree::eval::attribution::Method;
use kpitree::model::{Document, Edge, Kind, Node, NodeId, Op, generate};
use kpitree::{Evaluation, evaluate};

/// A generated tree with an actual on every leaf that has a target.
fn measured(n: usize) -> Document {
    let mut d = generate::tree(n, 11);
    for node in d.nodes.iter_mut() {
        if node.target.is_some() && node.actual.is_none() {
            node.actual = node.target.map(|t| t * 0.9);
        }
    }
    d
}

/// One goal with `n` `+` terms.
fn flat(n: usize) -> Document {
    let mut d = Document::default();
    let mut goal = Node::new(NodeId::from("g"), Kind::Kgi, "goal");
    goal.unit = Some("件".into());
    d.nodes.push(goal);
    for i in 0..n {
        let id = NodeId::from(format!("t{i}").as_str());
        let mut t = Node::new(id.clone(), Kind::Kpi, format!("term {i}"));
        t.unit = Some("件".into());
        t.target = Some(10.0);
        t.actual = Some(9.0 + (i % 3) as f64);
        d.nodes.push(t);
        d.edges.push(Edge::new(NodeId::from("g"), id, Op::Add));
    }
    d
}

/// Everything `kpitree analyze` computes, on a loaded document (the command
/// hands the analyzer the document it loaded, as `check` evaluates the one
/// it loaded; the document's copy and its drop are outside the timing).
fn explain(doc: Arc<Document>) -> (usize, Arc<Document>) {
    let a = Analyzer::shared(Arc::clone(&doc));
    let b = a.bottlenecks();
    let at = a.attribution(Method::Shapley).expect("Shapley always applies");
    let s = a.sensitivity(10.0, Which::Actual);
    (b.len() + at.len() + s.len(), doc)
}

/// Criterion input for [`explain`]: a fresh shared copy per run.
fn explained(b: &mut criterion::Bencher, d: &Document) {
    b.iter_batched(|| Arc::new(d.clone()), explain, BatchSize::LargeInput);
}

fn check(doc: &Document) -> Evaluation {
    evaluate(doc)
}

fn analysis(c: &mut Criterion) {
    let mut group = c.benchmark_group("analysis");
    group.sample_size(10);
    let big = measured(100_000);
    group.bench_with_input(BenchmarkId::new("explain", 100_000), &big, explained);
    group.bench_with_input(BenchmarkId::new("check", 100_000), &big, |b, d| b.iter(|| check(d)));
    let wide = flat(40_000);
    group.bench_with_input(BenchmarkId::new("explain_flat", 40_000), &wide, explained);
    group.bench_with_input(BenchmarkId::new("check_flat", 40_000), &wide, |b, d| b.iter(|| check(d)));
    let monthly = generate::with_series(generate::tree(10_000, 7), 7);
    group.bench_with_input(BenchmarkId::new("explain_monthly", 10_000), &monthly, explained);
    let huge = measured(1_000_000);
    group.bench_with_input(BenchmarkId::new("explain", 1_000_000), &huge, explained);
    group.bench_with_input(BenchmarkId::new("check", 1_000_000), &huge, |b, d| b.iter(|| check(d)));
    group.finish();
}

criterion_group!(benches, analysis);
criterion_main!(benches);
