//! CPU time of one editor frame (egui run + tessellation, no GPU) for
//! documents of 200, 500 and 2,000 nodes. Goal: ≤ 4 / 8 / 16 ms.
//!
//! Two views of each: the whole tree fitted to the window (the way a file
//! opens; large trees show the overview), and working at 100 % on the goal
//! (full cards).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eframe::App as _;
use kpitree::Lang;
use kpitree::model::generate;
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
        [("fit", 200), ("fit", 500), ("fit", 2_000), ("zoom100", 200), ("zoom100", 500), ("zoom100", 2_000)]
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
        // First frames build fonts and measure every card; then the
        // evaluation arrives and the canvas shows values.
        for _ in 0..3 {
            run(&mut app);
        }
        app.settle();
        if view == "zoom100" {
            app.zoom_to(&root);
            run(&mut app);
        }
        // The cards that came into view get measured.
        run(&mut app);
        run(&mut app);
        group.bench_function(BenchmarkId::new(view, n), |b| b.iter(|| run(&mut app)));
    }
    group.finish();
}

criterion_group!(benches, frame_cost);
criterion_main!(benches);
