//! Evaluation speed on generated trees: 1k, 10k and 100k nodes, and
//! load + evaluate + `check --json` output of a 100k-node file.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kpitree::lang::Lang;
use kpitree::model::generate;
use kpitree::{evaluate, io};

fn evaluate_trees(c: &mut Criterion) {
    let mut group = c.benchmark_group("evaluate");
    for n in [1_000, 10_000, 100_000] {
        let doc = generate::tree(n, 7);
        group.bench_with_input(BenchmarkId::from_parameter(n), &doc, |b, doc| b.iter(|| evaluate(doc)));
    }
    group.finish();
}

fn check_json_100k(c: &mut Criterion) {
    let text = io::to_json_string(&generate::tree(100_000, 7));
    let mut group = c.benchmark_group("check_json");
    group.sample_size(10);
    group.bench_function("load_evaluate_100k", |b| {
        b.iter(|| {
            let doc = io::from_str(&text, "bench").expect("generated documents load");
            evaluate(&doc)
        })
    });
    group.bench_function("load_evaluate_print_100k", |b| {
        b.iter(|| {
            let doc = io::from_str(&text, "bench").expect("generated documents load");
            let eval = evaluate(&doc);
            serde_json::to_vec_pretty(&eval.to_json(&doc, Lang::Ja)).map(|v| v.len())
        })
    });
    group.finish();
}

criterion_group!(benches, evaluate_trees, check_json_100k);
criterion_main!(benches);
