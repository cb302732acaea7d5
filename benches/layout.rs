//! Auto-layout speed: generated trees of 1,000 and 10,000 nodes.
//! Goal: 1,000 nodes in ≤ 20 ms.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kpitree::layout::{Spacing, layout};
use kpitree::model::{Kind, Node, generate};

fn size(node: &Node) -> [f64; 2] {
    if node.kind == Kind::Ksf { [226.0, 56.0] } else { [226.0, 104.0] }
}

fn layout_trees(c: &mut Criterion) {
    let mut group = c.benchmark_group("layout");
    for n in [1_000, 10_000] {
        let doc = generate::tree(n, 5);
        group.bench_with_input(BenchmarkId::from_parameter(n), &doc, |b, doc| {
            b.iter(|| layout(doc, size, Spacing::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, layout_trees);
criterion_main!(benches);
