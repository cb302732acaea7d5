//! Editing a 100,000-node document: SetPositions of every node, RemoveNodes
//! of 10,000, undo; and what each undo step keeps in memory (printed, from
//! a counting allocator: bytes still allocated after 20 edits, per edit).

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use kpitree::model::session::Session;
use kpitree::model::{Edit, Field, NodeId, generate};

/// Counts the bytes allocated and not yet freed.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed on to the system allocator unchanged; the
// counter only observes sizes.
#[allow(unsafe_code, reason = "a global allocator: counts bytes, then the system allocator")]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        // SAFETY: the caller's layout goes to the system allocator as is.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const NODES: usize = 100_000;

fn memory_per_edit() {
    let mut session = Session::new(generate::tree(NODES, 9), None);
    let ids: Vec<NodeId> = session.document().nodes.iter().map(|n| n.id.clone()).collect();
    let before = LIVE.load(Ordering::Relaxed);
    let t = Instant::now();
    for (k, id) in ids.iter().step_by(997).take(20).enumerate() {
        // Each a step of its own (different fields never merge).
        let field = if k % 2 == 0 { Field::Note(Some(format!("メモ {k}"))) } else { Field::Target(Some(k as f64)) };
        session.apply(Edit::SetField(id.clone(), field), t + std::time::Duration::from_secs(k as u64 * 2));
    }
    let field_edit = (LIVE.load(Ordering::Relaxed) - before) / 20;
    let before = LIVE.load(Ordering::Relaxed);
    let parent = ids[0].clone();
    for k in 0..20 {
        let node = kpitree::model::Node::new(format!("new{k}"), kpitree::model::Kind::Kpi, "x");
        let edit = Edit::AddNode { node: Box::new(node), parent: Some((parent.clone(), kpitree::model::Op::Add)) };
        session.apply(edit, t);
    }
    let structural = (LIVE.load(Ordering::Relaxed) - before) / 20;
    println!(
        "memory per undo step at {NODES} nodes: field edit {:.2} MB, structural edit {:.2} MB (history keeps {:.0} MB for {} steps)",
        field_edit as f64 / 1e6,
        structural as f64 / 1e6,
        session.history().bytes() as f64 / 1e6,
        session.history().undo_steps(),
    );
}

fn edits(c: &mut Criterion) {
    memory_per_edit();
    let doc = generate::tree(NODES, 9);
    let mut group = c.benchmark_group("session");
    group.sample_size(20);
    group.bench_function("set_positions_100k", |b| {
        let mut session = Session::new(doc.clone(), None);
        let mut shift = 0.0;
        b.iter(|| {
            shift += 1.0;
            let positions = session.document().nodes.iter().map(|n| (n.id.clone(), [shift, 0.0])).collect();
            black_box(session.apply(Edit::SetPositions(positions), Instant::now()))
        })
    });
    group.bench_function("remove_10k_of_100k", |b| {
        let ids: Vec<NodeId> = doc.nodes.iter().step_by(10).map(|n| n.id.clone()).collect();
        b.iter_batched(
            || Session::new(doc.clone(), None),
            |mut session| black_box(session.apply(Edit::RemoveNodes(ids.clone()), Instant::now())),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("undo_redo_100k", |b| {
        let mut session = Session::new(doc.clone(), None);
        let id = doc.nodes[NODES / 2].id.clone();
        session.apply(Edit::SetField(id, Field::Name("x".into())), Instant::now());
        b.iter(|| {
            session.undo();
            black_box(session.redo())
        })
    });
    group.finish();
}

criterion_group!(benches, edits);
criterion_main!(benches);
