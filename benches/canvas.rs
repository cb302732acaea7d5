//! CPU time of one editor frame (egui run + tessellation, no GPU) for trees
//! of 200, 2,000 and 20,000 nodes, with the whole tree fitted to the window
//! (the way a file opens) and at 100 % on the goal. Goal: ≤ 2 / 4 / 8 ms.
//! Also the re-layout after an edit (the diagram the worker builds): goal
//! ≤ 5 ms for 2,000 nodes. And an edit and a pointer move on 20,000 nodes
//! with the Analysis tab open (goal ≤ 50 ms).

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eframe::App as _;
use kpitree::Lang;
use kpitree::export::AnalysisMarks as Marks;
use kpitree::export::{CardCache, Diagram, DiagramOptions};
use kpitree::model::{Document, Edit, Field, generate};
use kpitree::pipeline::derived;
use kpitree::ui::KpiApp;

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1600.0, 1000.0))),
        ..Default::default()
    }
}

/// The editor on a document, its frames run as the window runs them.
struct Editor {
    ctx: egui::Context,
    app: KpiApp,
    frame: eframe::Frame,
}

impl Editor {
    /// The editor on `doc` after its first frames (which build the fonts)
    /// and the frame that takes in the worker's first result (the tree
    /// fitted to the window); with the Analysis tab open if asked.
    fn open(doc: Document, analysis: bool) -> Editor {
        let ctx = egui::Context::default();
        let mut app = KpiApp::with_document(&ctx, doc, Lang::Ja);
        if analysis {
            app.show_analysis_tab();
        }
        let mut editor = Editor { ctx, app, frame: eframe::Frame::_new_kittest() };
        for _ in 0..3 {
            editor.run(input());
        }
        editor.app.settle();
        editor.run(input());
        editor
    }

    /// One frame: egui's run and the tessellation of what it drew.
    fn run(&mut self, input: egui::RawInput) -> usize {
        let Editor { ctx, app, frame } = self;
        let out = ctx.run_ui(input, |ui| app.ui(ui, frame));
        ctx.tessellate(out.shapes, out.pixels_per_point).len()
    }
}

fn frame_cost(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame");
    group.sample_size(20);
    for (view, n) in
        [("fit", 200), ("fit", 2_000), ("fit", 20_000), ("zoom100", 200), ("zoom100", 2_000), ("zoom100", 20_000)]
    {
        let doc = generate::tree(n, 11);
        let root = doc.nodes[0].id.clone();
        let mut editor = Editor::open(doc, false);
        if view == "zoom100" {
            editor.app.zoom_to(&root);
        }
        for _ in 0..3 {
            editor.run(input());
        }
        group.bench_function(BenchmarkId::new(view, n), |b| b.iter(|| editor.run(input())));
    }
    // Zooming in and out by a wheel notch at the middle, every frame: at the
    // overview's zooms each frame draws the overview's picture again.
    for n in [2_000, 20_000] {
        let mut editor = Editor::open(generate::tree(n, 11), false);
        for _ in 0..2 {
            editor.run(input());
        }
        let mut notch = -1.0;
        let mut wheel = move || {
            notch = -notch;
            let mut i = input();
            i.events.push(egui::Event::ModifiersChanged(egui::Modifiers::COMMAND));
            i.events.push(egui::Event::PointerMoved(egui::pos2(700.0, 500.0)));
            i.events.push(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Line,
                delta: egui::vec2(0.0, notch),
                modifiers: egui::Modifiers::COMMAND,
                phase: egui::TouchPhase::Move,
            });
            i
        };
        let before = editor.app.canvas_zoom();
        editor.run(wheel());
        editor.run(input());
        assert_ne!(editor.app.canvas_zoom(), before, "a wheel notch with Ctrl zooms");
        group.bench_function(BenchmarkId::new("fit_zooming", n), |b| b.iter(|| editor.run(wheel())));
    }
    group.finish();
}

/// An edit of a 20,000-node tree with the Analysis tab open, on the UI
/// thread: the edit applied and the frame after it, plus the frame that
/// takes in the worker's result (the wait for the worker is not counted:
/// the window stays live meanwhile); then one frame with the pointer
/// moving. Goal: each ≤ 50 ms. And the worker's own time for the edit
/// (evaluation, analysis, marks and diagram of the new document).
fn analysis_tab(c: &mut Criterion) {
    let mut group = c.benchmark_group("analysis_tab");
    group.sample_size(10);
    let n = 20_000;
    let doc = generate::tree(n, 11);
    let leaf = doc.nodes[n - 1].id.clone();
    let mut editor = Editor::open(doc.clone(), true);
    let mut k = 0.0;
    group.bench_function(BenchmarkId::new("edit_ui_thread", n), |b| {
        b.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                k += 1.0;
                let started = Instant::now();
                editor.app.apply(vec![Edit::SetField(leaf.clone(), Field::Actual(Some(k)))]);
                editor.run(input());
                spent += started.elapsed();
                editor.app.settle();
                let started = Instant::now();
                editor.run(input());
                spent += started.elapsed();
            }
            spent
        })
    });
    let mut x = 0.0;
    group.bench_function(BenchmarkId::new("pointer_move", n), |b| {
        b.iter(|| {
            x = (x + 7.0) % 900.0;
            let mut moved = input();
            moved.events.push(egui::Event::PointerMoved(egui::pos2(100.0 + x, 300.0)));
            editor.run(moved)
        })
    });
    let mut cache = derived::Cache::default();
    let mut doc = doc;
    group.bench_function(BenchmarkId::new("edit_worker", n), |b| {
        b.iter(|| {
            k += 1.0;
            assert!(Edit::SetField(leaf.clone(), Field::Actual(Some(k))).apply(&mut doc));
            let request = derived::Request {
                document: Arc::new(doc.clone()),
                scenario: None,
                focus: None,
                diagram: DiagramOptions::default(),
                explain: Default::default(),
            };
            derived::derive(&mut cache, request).bottlenecks.len()
        })
    });
    group.finish();
}

/// The diagram the worker builds: from nothing (a file opened), and after
/// an edit (a leaf's actual changed, so its card and those of every node
/// above it show new values), with the cards of the diagram before at hand.
fn relayout(c: &mut Criterion) {
    let mut group = c.benchmark_group("relayout");
    group.sample_size(20);
    for n in [2_000, 20_000] {
        let mut doc = generate::tree(n, 11);
        // A renamed card changes its size, so everything is laid out again.
        let id = doc.nodes[n / 2].id.clone();
        assert!(Edit::SetField(id, Field::Name("とても長い名前に変えた指標".into())).apply(&mut doc));
        let eval = kpitree::evaluate(&doc);
        let opts = DiagramOptions::default();
        let marks = Marks::default();
        group.bench_function(BenchmarkId::new("cold", n), |b| {
            b.iter(|| Diagram::build(&doc, &eval, &opts, Some(&marks)))
        });
        // Two versions of the document a value edit apart, built in turn.
        let leaf = doc.nodes[n - 1].id.clone();
        let versions: Vec<_> = [1.0, 2.0]
            .into_iter()
            .map(|v| {
                let mut d = doc.clone();
                assert!(Edit::SetField(leaf.clone(), Field::Actual(Some(v))).apply(&mut d));
                let e = kpitree::evaluate(&d);
                (d, e)
            })
            .collect();
        let mut cache = CardCache::default();
        let mut turn = 0;
        group.bench_function(BenchmarkId::new("edit", n), |b| {
            b.iter(|| {
                turn += 1;
                let (d, e) = &versions[turn % 2];
                Diagram::build_reusing(d, e, &opts, Some(&marks), &mut cache)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frame_cost, analysis_tab, relayout);
criterion_main!(benches);
