//! The background evaluator: never blocks the caller, delivers only the
//! newest result.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use kpitree::eval::Worker;
use kpitree::model::{Document, Kind, Node, generate};

fn doc_with_target(target: f64) -> Arc<Document> {
    let mut doc = Document::new();
    let mut node = Node::new("kgi", Kind::Kgi, "売上");
    node.target = Some(target);
    doc.nodes.push(node);
    Arc::new(doc)
}

#[test]
fn waiting_gives_the_result_of_the_newest_submission() {
    let worker = Worker::new(|| {});
    for g in 1..=50 {
        worker.submit(g, doc_with_target(g as f64));
    }
    let result = worker.wait().expect("a result");
    assert_eq!(result.generation, 50);
    assert_eq!(result.evaluation.get_str("kgi").unwrap().target, Some(50.0));
}

#[test]
fn taken_results_never_go_back_in_generation() {
    let worker = Worker::new(|| {});
    let big = Arc::new(generate::tree(20_000, 1));
    let mut seen = Vec::new();
    for g in 1..=200u64 {
        worker.submit(g, if g % 2 == 0 { Arc::clone(&big) } else { doc_with_target(g as f64) });
        if let Some(r) = worker.take() {
            seen.push(r.generation);
        }
    }
    if let Some(r) = worker.wait() {
        seen.push(r.generation);
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(seen.last(), Some(&200));
}

#[test]
fn a_stale_generation_is_ignored() {
    let worker = Worker::new(|| {});
    worker.submit(5, doc_with_target(5.0));
    worker.submit(3, doc_with_target(3.0));
    let result = worker.wait().expect("a result");
    assert_eq!(result.generation, 5);
    assert_eq!(result.evaluation.get_str("kgi").unwrap().target, Some(5.0));
}

#[test]
fn the_hook_is_called_when_a_result_is_ready() {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let worker = Worker::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
    });
    worker.submit(1, doc_with_target(1.0));
    assert!(worker.wait().is_some());
    // The hook runs right after the result is published.
    for _ in 0..5000 {
        if calls.load(Ordering::SeqCst) > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_result_already_taken_is_not_waited_for_again() {
    let worker = Worker::new(|| {});
    worker.submit(1, doc_with_target(1.0));
    assert!(worker.wait().is_some());
    assert!(worker.wait().is_none());
    assert!(worker.take().is_none());
}

#[test]
fn dropping_the_worker_stops_its_thread() {
    let worker = Worker::new(|| {});
    worker.submit(1, Arc::new(generate::tree(5_000, 2)));
    drop(worker);
}
