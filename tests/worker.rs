//! The background worker: never blocks the caller, delivers only the newest
//! result, and survives a panicking job.

use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;

use kpitree::model::{Document, Kind, Node, generate};
use kpitree::pipeline::Worker;
use kpitree::pipeline::derived::{self, Request};

fn doc_with_target(target: f64) -> Arc<Document> {
    let mut doc = Document::new();
    let mut node = Node::new("kgi", Kind::Kgi, "売上");
    node.target = Some(target);
    doc.nodes.push(node);
    Arc::new(doc)
}

fn request(doc: Arc<Document>) -> Request {
    Request { document: doc, scenario: None, focus: None, diagram: Default::default(), explain: Default::default() }
}

fn target_of(outcome: &kpitree::pipeline::Outcome<derived::Derived>) -> Option<f64> {
    let derived = outcome.result.as_ref().expect("no panic");
    derived.evaluation.get_str("kgi").and_then(|v| v.target)
}

#[test]
fn waiting_gives_the_result_of_the_newest_submission() {
    let worker = derived::worker(|| {});
    let mut last = None;
    for g in 1..=50 {
        last = Some(worker.submit(request(doc_with_target(g as f64))));
    }
    let outcome = worker.wait().expect("a result");
    assert_eq!(Some(outcome.ticket), last);
    assert_eq!(target_of(&outcome), Some(50.0));
}

#[test]
fn taken_results_never_go_back_to_an_older_ticket() {
    let worker = derived::worker(|| {});
    let big = Arc::new(generate::tree(20_000, 1));
    let mut seen = Vec::new();
    let mut last = None;
    for g in 1..=200u64 {
        last = Some(worker.submit(request(if g % 2 == 0 { Arc::clone(&big) } else { doc_with_target(g as f64) })));
        if let Some(r) = worker.take() {
            seen.push(r.ticket);
        }
    }
    if let Some(r) = worker.wait() {
        seen.push(r.ticket);
    }
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
    assert_eq!(seen.last().copied(), last);
}

#[test]
fn tickets_grow_across_workers_so_a_restarted_worker_is_never_older() {
    let first = derived::worker(|| {});
    let old = first.submit(request(doc_with_target(5.0)));
    drop(first);
    let second = derived::worker(|| {});
    let new = second.submit(request(doc_with_target(3.0)));
    assert!(old < new, "{old:?} then {new:?}");
    let outcome = second.wait().expect("a result");
    assert_eq!(outcome.ticket, new);
    assert_eq!(target_of(&outcome), Some(3.0));
}

#[test]
fn the_hook_is_called_once_when_a_result_is_ready() {
    let (called, calls) = std::sync::mpsc::channel();
    let worker = derived::worker(move || {
        let _ = called.send(());
    });
    worker.submit(request(doc_with_target(1.0)));
    assert!(worker.wait().is_some());
    // The hook runs right after the result is published: wait for it (a
    // minute is a hang, not a speed), then for nothing more.
    let minute = std::time::Duration::from_secs(60);
    assert_eq!(calls.recv_timeout(minute), Ok(()), "the hook was called");
    drop(worker);
    let after = calls.recv_timeout(minute);
    assert_eq!(after, Err(RecvTimeoutError::Disconnected), "only once; the thread ended with the worker");
}

#[test]
fn a_result_already_taken_is_not_waited_for_again() {
    let worker = derived::worker(|| {});
    worker.submit(request(doc_with_target(1.0)));
    assert!(worker.wait().is_some());
    assert!(worker.wait().is_none());
    assert!(worker.take().is_none());
}

#[test]
fn dropping_the_worker_ends_its_thread_through_the_job_in_progress() {
    // The job runs until it is no longer wanted; the thread's closures hold
    // `alive`, so the channel closes only when the thread has ended.
    let (alive, ended) = std::sync::mpsc::channel::<()>();
    let (started_tx, started) = std::sync::mpsc::channel();
    let worker: Worker<u32, u32> = Worker::new(
        "test-drop",
        move |_: &mut (), job: u32| {
            let _ = &alive;
            let _ = started_tx.send(job);
            while !kpitree::pipeline::superseded() {
                std::thread::yield_now();
            }
            job
        },
        || {},
    );
    worker.submit(1);
    assert_eq!(started.recv(), Ok(1));
    drop(worker);
    let minute = std::time::Duration::from_secs(60);
    assert_eq!(ended.recv_timeout(minute), Err(RecvTimeoutError::Disconnected), "the thread ended");
}

#[test]
fn waiting_for_the_workers_of_this_thread_leaves_their_outcomes_to_be_taken() {
    let (worker, started, release) = blocking_worker(false);
    let ticket = worker.submit(1);
    assert_eq!(started.recv(), Ok(1));
    assert!(worker.is_working());
    let releaser = std::thread::spawn(move || release.send(()));
    kpitree::pipeline::wait_for_workers();
    assert!(!worker.is_working(), "the job has ended");
    let outcome = worker.take().expect("its outcome is ready and was not taken by the wait");
    assert_eq!((outcome.ticket, outcome.result), (ticket, Ok(1)));
    assert!(releaser.join().unwrap().is_ok());
    // Workers of other threads are not waited for: one blocked forever
    // there does not hold this thread.
    let (other, other_started, _never) = blocking_worker(false);
    other.submit(1);
    assert_eq!(other_started.recv(), Ok(1));
    let (waited, done) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        kpitree::pipeline::wait_for_workers();
        let _ = waited.send(());
    });
    let minute = std::time::Duration::from_secs(60);
    assert_eq!(done.recv_timeout(minute), Ok(()), "another thread's wait returned at once");
}

#[test]
fn a_panicking_job_reports_its_message_and_the_worker_goes_on() {
    // The state counts the jobs since the last reset: a panic resets it.
    let worker: Worker<i32, (i32, u32)> = Worker::new(
        "test-panics",
        |count: &mut u32, job: i32| {
            *count += 1;
            assert!(job >= 0, "negative job {job}");
            (job * 2, *count)
        },
        || {},
    );
    worker.submit(4);
    assert_eq!(worker.wait().unwrap().result, Ok((8, 1)));
    let ticket = worker.submit(-1);
    let failed = worker.wait().unwrap();
    assert_eq!(failed.ticket, ticket);
    let message = failed.result.unwrap_err();
    assert!(message.contains("negative job -1"), "{message}");
    assert!(worker.is_alive(), "the thread survives the panic");
    worker.submit(5);
    assert_eq!(worker.wait().unwrap().result, Ok((10, 1)), "the state was reset after the panic");
}

#[test]
fn a_focus_change_reuses_the_analysis_and_answers_for_the_new_node() {
    let doc = Arc::new(kpitree::templates::find("sales-meetings").unwrap().document().expect("the template loads"));
    let worker = derived::worker(|| {});
    worker.submit(request(Arc::clone(&doc)));
    let first = worker.wait().unwrap().result.unwrap();
    assert!(first.solved.is_none());
    let term = doc.edges.iter().find(|e| e.op.is_arithmetic()).unwrap().child.clone();
    worker.submit(Request {
        document: Arc::clone(&doc),
        scenario: None,
        focus: Some(term.clone()),
        diagram: Default::default(),
        explain: Default::default(),
    });
    let second = worker.wait().unwrap().result.unwrap();
    assert!(Arc::ptr_eq(&first.evaluation, &second.evaluation), "the same document is not evaluated again");
    assert_eq!(second.solved.map(|s| s.node), Some(term));
}

/// A job that says when it starts and then waits until it is let go (or,
/// with `heed`, until it is no longer wanted).
fn blocking_worker(heed: bool) -> (Worker<u32, u32>, std::sync::mpsc::Receiver<u32>, std::sync::mpsc::Sender<()>) {
    use std::sync::mpsc;
    let (started_tx, started) = mpsc::channel();
    let (release, release_rx) = mpsc::channel::<()>();
    let release_rx = std::sync::Mutex::new(release_rx);
    let worker = Worker::new(
        "test-blocking",
        move |_: &mut (), job: u32| {
            let _ = started_tx.send(job);
            if job == 1 {
                // Until let go, or until a newer job or a drop makes it moot.
                // (Or until `release` is dropped: no job outlives its test.)
                loop {
                    let rx = release_rx.lock().unwrap();
                    let waited = rx.recv_timeout(std::time::Duration::from_millis(5));
                    if !matches!(waited, Err(RecvTimeoutError::Timeout)) || (heed && kpitree::pipeline::superseded()) {
                        break;
                    }
                }
            }
            job
        },
        || {},
    );
    (worker, started, release)
}

#[test]
fn a_job_learns_that_a_newer_one_supersedes_it_and_the_newer_one_runs() {
    let (worker, started, _release) = blocking_worker(true);
    worker.submit(1);
    assert_eq!(started.recv().unwrap(), 1);
    assert!(!kpitree::pipeline::superseded(), "never outside a worker");
    let newer = worker.submit(2);
    // Job 1 sees it is moot and ends without being let go; job 2 runs.
    let outcome = worker.wait().expect("the newer job's outcome");
    assert_eq!((outcome.ticket, outcome.result), (newer, Ok(2)));
}

#[test]
fn dropping_a_worker_never_waits_for_the_job_in_progress() {
    let (worker, started, release) = blocking_worker(false);
    worker.submit(1);
    assert_eq!(started.recv().unwrap(), 1);
    // The job neither ends nor checks for a drop within this test: the
    // drop returns while it still runs (joining would wait for `release`).
    let (done_tx, done) = std::sync::mpsc::channel();
    let guard = std::thread::spawn(move || {
        // Lets the job go only if the drop has not returned after a minute
        // (a hang, not a speed), so that a failure ends the test.
        if done.recv_timeout(std::time::Duration::from_secs(60)).is_err() {
            let _ = release.send(());
            return false;
        }
        true
    });
    drop(worker);
    let _ = done_tx.send(());
    assert!(guard.join().unwrap(), "the drop waited for the job");
}
