//! Rooms at workshop size (issue: the whole room edits one tree):
//!
//! - `collab/edit_to_other/2000`: one participant renames a node of a
//!   2,000-node tree; the change is written into its room, sent as an update
//!   and merged into a second copy, which reads its document back (the work
//!   between a key on one laptop and the other laptop's redraw, without the
//!   network; goal: well under 100 ms);
//! - `collab/join/10000`: a participant joining a 10,000-node room: the
//!   snapshot merged into an empty copy and its document read.
//!
//! Run with `cargo bench --no-default-features --bench collab`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use kpitree::collab::Room;
use kpitree::model::generate;

fn edit_to_other(c: &mut Criterion) {
    let n = 2_000;
    let doc = generate::tree(n, 3);
    let mut a = Room::from_document(&doc, 1).expect("a room");
    let mut b = Room::new(2).expect("a room");
    b.merge(&a.snapshot().expect("a snapshot")).expect("merged");
    let mut group = c.benchmark_group("collab");
    group.sample_size(20);
    let mut k = 0u32;
    group.bench_function(BenchmarkId::new("edit_to_other", n), |bench| {
        bench.iter(|| {
            k += 1;
            let mut edited = doc.clone();
            edited.nodes.get_mut(5).expect("a node").name = format!("名前 {k}");
            a.write(&edited).expect("written");
            let update = a.updates_since(&b.version()).expect("an update");
            b.merge(&update).expect("merged");
            b.document().expect("a document").nodes.len()
        });
    });
    group.finish();
}

fn join(c: &mut Criterion) {
    let n = 10_000;
    let room = Room::from_document(&generate::tree(n, 3), 1).expect("a room");
    let snapshot = room.snapshot().expect("a snapshot");
    let mut group = c.benchmark_group("collab");
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("join", n), |bench| {
        bench.iter(|| {
            let mut joined = Room::new(2).expect("a room");
            joined.merge(&snapshot).expect("merged");
            joined.document().expect("a document").nodes.len()
        });
    });
    group.finish();
}

criterion_group!(benches, edit_to_other, join);
criterion_main!(benches);
