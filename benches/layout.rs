//! Auto-layout speed: `tidy` (cards and wires) on generated trees of 2,000,
//! 20,000 and 100,000 nodes, and the document wrapper `layout` on 2,000.
//! Goal: 2,000 nodes in ≤ 5 ms.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kpitree::layout::{Spacing, graph_of, layout, tidy};
use kpitree::model::{Kind, Node, generate};

fn size(node: &Node) -> [f64; 2] {
    if node.kind == Kind::Ksf { [226.0, 56.0] } else { [226.0, 104.0] }
}

fn tidy_trees(c: &mut Criterion) {
    let mut group = c.benchmark_group("tidy");
    group.sample_size(20);
    for n in [2_000, 20_000, 100_000] {
        let (graph, _) = graph_of(&generate::tree(n, 5), size);
        group.bench_with_input(BenchmarkId::from_parameter(n), &graph, |b, graph| {
            b.iter(|| tidy(graph, Spacing::default()))
        });
    }
    group.finish();

    let doc = generate::tree(2_000, 5);
    c.bench_function("layout/document/2000", |b| b.iter(|| layout(&doc, size, Spacing::default())));
}

criterion_group!(benches, tidy_trees);
criterion_main!(benches);
