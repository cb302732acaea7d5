//! Export speed: a generated 300-node tree to PNG at 2× (goal ≤ 1 s, and no
//! slower than Graphviz `dot -Tpng` on the same tree: `benches/compare-dot.sh`),
//! and to SVG and PDF.

use criterion::{Criterion, criterion_group, criterion_main};
use kpitree::evaluate;
use kpitree::export::{self, ExportOptions};
use kpitree::model::generate;

fn export_300(c: &mut Criterion) {
    let doc = generate::tree(300, 11);
    let eval = evaluate(&doc);
    let opts = ExportOptions { scale: 2.0, ..ExportOptions::default() };
    let mut group = c.benchmark_group("export_300");
    group.sample_size(10);
    group.bench_function("png_2x", |b| b.iter(|| export::to_png(&doc, &eval, &opts).expect("a PNG")));
    group.bench_function("svg", |b| b.iter(|| export::to_svg(&doc, &eval, &opts).expect("an SVG")));
    group.bench_function("pdf", |b| b.iter(|| export::to_pdf(&doc, &eval, &opts).expect("a PDF")));
    group.finish();
}

criterion_group!(benches, export_300);
criterion_main!(benches);
