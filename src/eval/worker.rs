//! Evaluation on a background thread, so that the editor never waits.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

use super::{Evaluation, evaluate};
use crate::model::Document;

/// A finished evaluation of one snapshot.
#[derive(Debug, Clone)]
pub struct EvalResult {
    /// The generation the snapshot was submitted with.
    pub generation: u64,
    /// The snapshot that was evaluated.
    pub document: Arc<Document>,
    /// Its evaluation.
    pub evaluation: Arc<Evaluation>,
}

#[derive(Default)]
struct State {
    /// The newest snapshot not yet taken by the thread.
    pending: Option<(u64, Arc<Document>)>,
    /// The newest generation ever submitted.
    newest: u64,
    /// The generation of the newest result handed to the caller.
    taken: u64,
    /// The newest finished result not yet taken by the caller.
    done: Option<EvalResult>,
    shutdown: bool,
}

struct Shared {
    state: Mutex<State>,
    wake: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave State inconsistent
        // (every update is a single assignment), so keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A thread that evaluates documents.
///
/// [`submit`](Worker::submit) never blocks: it replaces whatever snapshot was
/// waiting. Only the newest result is delivered: a result is dropped when a
/// newer snapshot was submitted before it finished, and [`take`](Worker::take)
/// never returns a result older than one it already returned.
pub struct Worker {
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the thread. `on_result` is called (on the worker thread) each
    /// time a result is ready, e.g. to ask the GUI for a repaint.
    pub fn new(on_result: impl Fn() + Send + 'static) -> Worker {
        let shared = Arc::new(Shared { state: Mutex::new(State::default()), wake: Condvar::new() });
        let thread_shared = Arc::clone(&shared);
        let thread =
            std::thread::Builder::new().name("kpitree-eval".into()).spawn(move || run(&thread_shared, &on_result)).ok();
        Worker { shared, thread }
    }

    /// Queues a snapshot for evaluation, replacing any snapshot still waiting.
    /// Snapshots with a generation not newer than one already submitted are
    /// ignored.
    pub fn submit(&self, generation: u64, document: Arc<Document>) {
        let mut state = self.shared.lock();
        if generation <= state.newest && state.newest != 0 {
            return;
        }
        state.newest = generation;
        state.pending = Some((generation, document));
        drop(state);
        self.shared.wake.notify_all();
    }

    /// The newest finished result, if one arrived since the last call.
    pub fn take(&self) -> Option<EvalResult> {
        let mut state = self.shared.lock();
        let done = state.done.take()?;
        state.taken = done.generation;
        Some(done)
    }

    /// Waits until the result for the newest submitted generation is ready
    /// (tests, the command line). Returns `None` if that result was already
    /// taken, or if the thread is gone.
    pub fn wait(&self) -> Option<EvalResult> {
        let mut state = self.shared.lock();
        loop {
            if let Some(done) = &state.done
                && done.generation == state.newest
            {
                state.taken = done.generation;
                return state.done.take();
            }
            if state.taken == state.newest {
                return None;
            }
            self.thread.as_ref()?;
            state = self.shared.wake.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

fn run(shared: &Shared, on_result: &dyn Fn()) {
    loop {
        let (generation, document) = {
            let mut state = shared.lock();
            loop {
                if state.shutdown {
                    return;
                }
                if let Some(job) = state.pending.take() {
                    break job;
                }
                state = shared.wake.wait(state).unwrap_or_else(|e| e.into_inner());
            }
        };
        let evaluation = Arc::new(evaluate(&document));
        let mut state = shared.lock();
        if state.newest != generation {
            // A newer snapshot is waiting; this result is already stale.
            continue;
        }
        state.done = Some(EvalResult { generation, document, evaluation });
        drop(state);
        shared.wake.notify_all();
        on_result();
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.wake.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
