//! How fast kpitree reads, evaluates and reports large trees.
//!
//! - `evaluate/N`: [`evaluate`] on generated trees of 1k, 10k and 100k nodes
//!   (goal: 100k in 10 ms or less);
//! - `load/100000`, `load_evaluate/100000`: [`io::from_str`] of the saved
//!   100k-node file (≈ 23 MB of pretty JSON), then evaluation;
//! - `report/100000`: [`Evaluation::to_json`](kpitree::Evaluation::to_json)
//!   and its pretty serialization, the output of `kpitree check --json`.
//!
//! Run with `cargo bench --no-default-features --bench eval`; criterion
//! prints the median of each. The trees come from [`generate::tree`], so every
//! run measures the same documents.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kpitree::lang::Lang;
use kpitree::model::generate;
use kpitree::{evaluate, io};

const SEED: u64 = 7;
const LARGE: usize = 100_000;

fn evaluate_trees(c: &mut Criterion) {
    let mut group = c.benchmark_group("evaluate");
    for n in [1_000, 10_000, LARGE] {
        let doc = generate::tree(n, SEED);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::from_parameter(n), &doc, |b, doc| b.iter(|| evaluate(doc)));
    }
    group.finish();
}

fn load_large_file(c: &mut Criterion) {
    let text = io::to_json_string(&generate::tree(LARGE, SEED));
    let mut group = c.benchmark_group("load");
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_with_input(BenchmarkId::from_parameter(LARGE), &text, |b, text| {
        b.iter(|| io::from_str(text, "bench.kpitree.json").expect("generated documents load"))
    });
    group.finish();

    let mut group = c.benchmark_group("load_evaluate");
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.bench_with_input(BenchmarkId::from_parameter(LARGE), &text, |b, text| {
        b.iter(|| {
            let doc = io::from_str(text, "bench.kpitree.json").expect("generated documents load");
            evaluate(&doc)
        })
    });
    group.finish();
}

fn report_large_tree(c: &mut Criterion) {
    let doc = generate::tree(LARGE, SEED);
    let eval = evaluate(&doc);
    let mut group = c.benchmark_group("report");
    group.sample_size(20).measurement_time(Duration::from_secs(10));
    group.bench_function(BenchmarkId::from_parameter(LARGE), |b| {
        b.iter(|| {
            let json = eval.to_json(&doc, Lang::Ja);
            serde_json::to_vec_pretty(&json).expect("a JSON value serializes").len()
        })
    });
    group.finish();
}

criterion_group!(benches, evaluate_trees, load_large_file, report_large_tree);
criterion_main!(benches);
