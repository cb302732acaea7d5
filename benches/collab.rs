//! Rooms at workshop size (issue: the whole room edits one tree):
//!
//! - `collab/edit_to_other/2000`: one participant renames a node of a
//!   2,000-node tree; the change is written into its room, sent as an update
//!   and merged into a second copy, which reads its document back (the work
//!   between a key on one laptop and the other laptop's redraw, without the
//!   network; goal: well under 100 ms);
//! - `collab/join/10000`: a participant joining a 10,000-node room: the
//!   snapshot merged into an empty copy and its document read;
//! - `collab/loopback_edit/2000`: the same edit through a relay on
//!   127.0.0.1 — one participant's `Live::local` until the other's
//!   `Live::poll` returns the renamed node (goal: within 100 ms);
//! - `collab/loopback_join/10000`: joining a 10,000-node room through a
//!   relay: connect, hello, the snapshot, the document read.
//!
//! The memory a 10,000-node room takes (one copy: its Loro document) and
//! the size of its snapshot are printed before the measurements (Linux:
//! the resident set before and after building it).
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

/// The resident set of this process, bytes (Linux; 0 elsewhere).
fn resident() -> u64 {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1).and_then(|p| p.parse::<u64>().ok()))
        .map_or(0, |pages| pages * 4096)
}

fn loopback(c: &mut Criterion) {
    use kpitree::collab::live::Live;
    use kpitree::collab::relay::{Relay, RelayConfig};
    use kpitree::collab::wire::Presence;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    let before = resident();
    let big = generate::tree(10_000, 3);
    let room = Room::from_document(&big, 1).expect("a room");
    let after = resident();
    let snapshot = room.snapshot().expect("a snapshot");
    eprintln!(
        "collab: a 10,000-node room: {:.1} MB resident for one copy, a {:.1} MB snapshot",
        after.saturating_sub(before) as f64 / 1e6,
        snapshot.len() as f64 / 1e6
    );
    let me = |name: &str| Presence { name: name.into(), color: "#1967d2".into(), ..Presence::default() };
    let config = || RelayConfig { bind: "127.0.0.1:0".parse().expect("an address"), code: "123456".into(), save: None };
    let mut group = c.benchmark_group("collab");
    group.sample_size(10);
    let relay = Relay::start(room, config()).expect("a relay");
    let addr = relay.addr().to_string();
    group.bench_function(BenchmarkId::new("loopback_join", 10_000), |bench| {
        bench.iter(|| {
            let (live, doc) = Live::join(&addr, "123456", me("joining"), || {}).expect("joined");
            live.leave();
            doc.nodes.len()
        });
    });
    relay.stop();

    let n = 2_000;
    let doc = Arc::new(generate::tree(n, 3));
    let relay = Relay::start(Room::from_document(&doc, 1).expect("a room"), config()).expect("a relay");
    let addr = relay.addr().to_string();
    let (mut a, mut mine) = Live::join(&addr, "123456", me("a"), || {}).expect("joined");
    let (mut b, _) = Live::join(&addr, "123456", me("b"), || {}).expect("joined");
    let mut k = 0u32;
    group.sample_size(20);
    group.bench_function(BenchmarkId::new("loopback_edit", n), |bench| {
        bench.iter(|| {
            k += 1;
            let name = format!("名前 {k}");
            let mut edited = (*mine).clone();
            edited.nodes.get_mut(5).expect("a node").name.clone_from(&name);
            mine = Arc::new(edited);
            a.local(&mine);
            let deadline = Instant::now() + Duration::from_secs(10);
            loop {
                if let Some(theirs) = b.poll()
                    && theirs.nodes.get(5).is_some_and(|x| x.name == name)
                {
                    break;
                }
                assert!(Instant::now() < deadline, "the edit never arrived");
                std::thread::sleep(Duration::from_micros(200));
            }
            let _ = a.poll();
        });
    });
    group.finish();
    relay.stop();
}

criterion_group!(benches, edit_to_other, join, loopback);
criterion_main!(benches);
