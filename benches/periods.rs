//! The time dimension at scale (issue: periods):
//!
//! - `periods/evaluate/10000`: [`evaluate`] of a generated 10,000-node tree
//!   whose leaves have twelve months each (goal: 20 ms or less), and the same
//!   tree without series for comparison (`periods/evaluate_plain/10000`);
//! - `periods/import_csv/10000`: reading a 10,000-row CSV (long layout:
//!   node, period, actual) into it, checking every row and making the one
//!   edit, end to end (goal: 150 ms or less).
//!
//! Run with `cargo bench --no-default-features --bench periods`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kpitree::evaluate;
use kpitree::io::import::{self, Options};
use kpitree::model::generate;

const N: usize = 10_000;

fn evaluate_with_series(c: &mut Criterion) {
    let plain = generate::tree(N, 7);
    let monthly = generate::with_series(plain.clone(), 7);
    let mut group = c.benchmark_group("periods");
    group.bench_with_input(BenchmarkId::new("evaluate", N), &monthly, |b, doc| b.iter(|| evaluate(doc)));
    group.bench_with_input(BenchmarkId::new("evaluate_plain", N), &plain, |b, doc| b.iter(|| evaluate(doc)));
    group.finish();
}

fn import_csv(c: &mut Criterion) {
    let doc = generate::with_series(generate::tree(N, 7), 7);
    // 10,000 rows: actuals for the leaves' months, November on.
    let mut csv = String::from("node,period,actual\n");
    let leaves: Vec<&str> = doc.nodes.iter().filter(|n| n.series.is_some()).map(|n| n.id.as_str()).collect();
    let mut rows = 0;
    'fill: for month in ["2026-11", "2026-12", "2027-01", "2027-02", "2027-03"] {
        for id in &leaves {
            csv.push_str(&format!("{id},{month},{}\n", rows % 97 + 1));
            rows += 1;
            if rows == N {
                break 'fill;
            }
        }
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("actuals.csv");
    std::fs::write(&path, csv).expect("the CSV is written");
    let mut group = c.benchmark_group("periods");
    group.bench_function(BenchmarkId::new("import_csv", rows), |b| {
        b.iter(|| {
            let found = import::read(&doc, &path, None, Options::default()).expect("the CSV reads");
            assert!(found.failures.is_empty());
            let mut after = doc.clone();
            import::edit(&doc, &found).expect("changes").apply(&mut after);
            after
        })
    });
    group.finish();
}

criterion_group!(benches, evaluate_with_series, import_csv);
criterion_main!(benches);
