//! CPU time of one editor frame (egui run + tessellation, no GPU) for trees
//! of 200, 2,000 and 20,000 nodes, with the whole tree fitted to the window
//! (the way a file opens) and at 100 % on the goal. Goal: ≤ 2 / 4 / 8 ms.
//! Also the re-layout after an edit (the diagram the worker builds): goal
//! ≤ 5 ms for 2,000 nodes.

use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eframe::App as _;
use kpitree::Lang;
use kpitree::eval::derived::Marks;
use kpitree::export::{Diagram, DiagramOptions};
use kpitree::model::{Edit, Field, generate};
use kpitree::ui::KpiApp;

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1600.0, 1000.0))),
        ..Default::default()
    }
}

fn frame_cost(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group.sample_size(20);
    for (view, n) in
        [("fit", 200), ("fit", 2_000), ("fit", 20_000), ("zoom100", 200), ("zoom100", 2_000), ("zoom100", 20_000)]
    {
        let ctx = egui::Context::default();
        let doc = generate::tree(n, 11);
        let root = doc.nodes[0].id.clone();
        let mut app = KpiApp::with_document(&ctx, doc, Lang::Ja);
        let mut frame = eframe::Frame::_new_kittest();
        let mut run = |app: &mut KpiApp| {
            let out = ctx.run_ui(input(), |ui| app.ui(ui, &mut frame));
            ctx.tessellate(out.shapes, out.pixels_per_point).len()
        };
        // First frames build fonts; then the diagram arrives and is fitted.
        for _ in 0..3 {
            run(&mut app);
        }
        app.settle();
        run(&mut app);
        if view == "zoom100" {
            app.zoom_to(&root);
        }
        for _ in 0..3 {
            run(&mut app);
        }
        group.bench_function(BenchmarkId::new(view, n), |b| b.iter(|| run(&mut app)));
    }
    group.finish();
}

fn relayout(c: &mut Criterion) {
    let mut group = c.benchmark_group("relayout");
    group.sample_size(20);
    for n in [2_000, 20_000] {
        let mut doc = generate::tree(n, 11);
        // An edit: a renamed card changes its size, so everything is laid out again.
        let id = doc.nodes[n / 2].id.clone();
        assert!(Edit::SetField(id, Field::Name("とても長い名前に変えた指標".into())).apply(&mut doc));
        let eval = kpitree::evaluate(&doc);
        let doc = Arc::new(doc);
        let opts = DiagramOptions::default();
        group.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| Diagram::build(&doc, &eval, &opts, Some(&Marks::default())))
        });
    }
    group.finish();
}

criterion_group!(benches, frame_cost, relayout);
criterion_main!(benches);
