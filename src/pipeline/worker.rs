//! Work on a background thread, so that the editor never waits: the newest
//! job wins, and a panic in a job is reported instead of ending the thread.
//! A job may ask whether it is still wanted ([`superseded`]) between its
//! phases; dropping a worker never waits for the job in progress (quitting
//! the editor must not wait minutes for an analysis nobody will see).

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, Weak};
use std::thread::JoinHandle;

thread_local! {
    /// On a worker's thread, while a job runs: whether that job is no
    /// longer wanted.
    static SUPERSEDED: RefCell<Option<Box<dyn Fn() -> bool>>> = const { RefCell::new(None) };
    /// The workers started on this thread, for [`wait_for_workers`].
    static STARTED_HERE: RefCell<Vec<Weak<dyn Idle>>> = const { RefCell::new(Vec::new()) };
}

/// Blocks until no worker started on this thread (and still alive) has a
/// job queued or running: their outcomes are then ready to be taken.
/// Tests call this instead of sleeping until a picture drawn on a worker
/// (the overview, the export preview) arrives; the editor never does.
#[doc(hidden)]
pub fn wait_for_workers() {
    let live: Vec<Arc<dyn Idle>> = STARTED_HERE.with(|w| w.borrow().iter().filter_map(Weak::upgrade).collect());
    for worker in live {
        worker.wait_idle();
    }
}

/// A worker's shared state, whatever its job and result types.
trait Idle {
    /// Blocks while a job is queued or running.
    fn wait_idle(&self);
}

/// Whether the job running on this thread is no longer wanted: a newer job
/// was submitted, or its worker was dropped. A job checks this between its
/// phases and returns early (whatever it returns then is never delivered).
/// Always false outside a worker's thread.
pub fn superseded() -> bool {
    SUPERSEDED.with(|cell| cell.borrow().as_ref().is_some_and(|check| check()))
}

/// Frees `value` on a short-lived thread of its own: a large result (a
/// diagram of 20,000 cards, their index) takes milliseconds to free, which a
/// frame of the editor should not spend.
pub fn free_elsewhere<T: Send + 'static>(value: T) {
    // Should no thread start, the value is freed here, as it would have been.
    let _ = std::thread::Builder::new().name("kpitree-free".into()).spawn(move || drop(value));
}

/// What [`Worker::submit`] gives for a job: later jobs of the same worker
/// have greater tickets, so a caller compares tickets instead of counting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ticket(u64);

/// A finished job: its ticket and its result, or the message of the panic
/// it ended in.
#[derive(Debug, Clone)]
pub struct Outcome<R> {
    /// The ticket the job was given when submitted.
    pub ticket: Ticket,
    /// What the job gave, or why it failed (the panic message).
    pub result: Result<R, String>,
}

struct State<J, R> {
    /// The newest job not yet taken by the thread.
    pending: Option<(u64, J)>,
    /// The newest ticket ever given.
    newest: u64,
    /// The ticket of the newest outcome handed to the caller.
    taken: u64,
    /// The newest finished outcome not yet taken by the caller.
    done: Option<Outcome<R>>,
    /// True while the thread works on a job.
    busy: bool,
    shutdown: bool,
}

struct Shared<J, R> {
    state: Mutex<State<J, R>>,
    wake: Condvar,
}

impl<J, R> Shared<J, R> {
    fn lock(&self) -> MutexGuard<'_, State<J, R>> {
        // Every update of the state is a single assignment, so a panic while
        // holding the lock cannot leave it inconsistent: keep going.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl<J, R> Idle for Shared<J, R> {
    fn wait_idle(&self) {
        // The thread notifies when it publishes an outcome; a stale outcome
        // is dropped only while a newer job is queued.
        let mut state = self.lock();
        while !state.shutdown && (state.pending.is_some() || state.busy) {
            state = self.wake.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// A thread that runs jobs of type `J` into results of type `R`.
///
/// [`submit`](Worker::submit) never blocks: it replaces whatever job was
/// waiting. Only the newest outcome is delivered: an outcome is dropped when
/// a newer job was submitted before it finished, and [`take`](Worker::take)
/// never returns an outcome older than one it already returned. A job that
/// panics gives an outcome with the panic message; the thread's state is
/// reset and it goes on with the next job.
pub struct Worker<J, R> {
    shared: Arc<Shared<J, R>>,
    thread: Option<JoinHandle<()>>,
}

impl<J: Send + 'static, R: Send + 'static> Worker<J, R> {
    /// Starts a thread named `name` that keeps a state `S` (a cache, reset
    /// after a panic) and runs `run` on each job. `on_result` is called on
    /// the worker thread each time an outcome is ready, e.g. to ask the GUI
    /// for a repaint.
    pub fn new<S: Default>(
        name: &str,
        mut run: impl FnMut(&mut S, J) -> R + Send + 'static,
        on_result: impl Fn() + Send + 'static,
    ) -> Worker<J, R> {
        let state = State { pending: None, newest: 0, taken: 0, done: None, busy: false, shutdown: false };
        let shared = Arc::new(Shared { state: Mutex::new(state), wake: Condvar::new() });
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let mut state = S::default();
                serve(
                    &thread_shared,
                    &mut |job| {
                        let result = catch_unwind(AssertUnwindSafe(|| run(&mut state, job)));
                        if result.is_err() {
                            // The cache may be half-updated: start afresh.
                            state = S::default();
                        }
                        result.map_err(|payload| panic_message(payload.as_ref()))
                    },
                    &on_result,
                )
            })
            .ok();
        if thread.is_some() {
            let idle: Arc<dyn Idle> = shared.clone();
            STARTED_HERE.with(|w| {
                let mut w = w.borrow_mut();
                w.retain(|s| s.strong_count() > 0);
                w.push(Arc::downgrade(&idle));
            });
        }
        Worker { shared, thread }
    }

    /// Queues a job, replacing any job still waiting, and gives its ticket:
    /// the outcome of this job carries it.
    pub fn submit(&self, job: J) -> Ticket {
        // Tickets come from one counter for every worker, so a ticket of a
        // worker that was restarted is still older than the new one's.
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let ticket = NEXT.fetch_add(1, Ordering::Relaxed);
        let mut state = self.shared.lock();
        state.newest = ticket;
        state.pending = Some((ticket, job));
        drop(state);
        self.shared.wake.notify_all();
        Ticket(ticket)
    }

    /// The newest finished outcome, if one arrived since the last call.
    pub fn take(&self) -> Option<Outcome<R>> {
        let mut state = self.shared.lock();
        let done = state.done.take()?;
        state.taken = done.ticket.0;
        Some(done)
    }

    /// True while a submitted job has no outcome yet.
    pub fn is_working(&self) -> bool {
        let state = self.shared.lock();
        state.pending.is_some() || state.busy
    }

    /// True when the thread is running (it ends when the worker is dropped,
    /// after the job in progress, or if it could not be started).
    pub fn is_alive(&self) -> bool {
        self.thread.as_ref().is_some_and(|t| !t.is_finished())
    }

    /// Waits until the outcome of the newest submitted job is ready (tests,
    /// the command line). Returns `None` if that outcome was already taken,
    /// or if the thread is gone.
    pub fn wait(&self) -> Option<Outcome<R>> {
        let mut state = self.shared.lock();
        loop {
            if let Some(done) = &state.done
                && done.ticket.0 == state.newest
            {
                state.taken = done.ticket.0;
                return state.done.take();
            }
            if state.taken == state.newest {
                return None;
            }
            if !self.is_alive() {
                return None;
            }
            state = self.shared.wake.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }
}

/// The text of a panic's payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic".to_owned()
    }
}

fn serve<J: Send + 'static, R: Send + 'static>(
    shared: &Arc<Shared<J, R>>,
    run: &mut dyn FnMut(J) -> Result<R, String>,
    on_result: &dyn Fn(),
) {
    loop {
        let (ticket, job) = {
            let mut state = shared.lock();
            loop {
                if state.shutdown {
                    return;
                }
                if let Some(job) = state.pending.take() {
                    state.busy = true;
                    break job;
                }
                state = shared.wake.wait(state).unwrap_or_else(|e| e.into_inner());
            }
        };
        let watched = Arc::clone(shared);
        let check = move || {
            let state = watched.lock();
            state.shutdown || state.newest != ticket
        };
        SUPERSEDED.with(|cell| *cell.borrow_mut() = Some(Box::new(check)));
        let result = run(job);
        SUPERSEDED.with(|cell| *cell.borrow_mut() = None);
        let mut state = shared.lock();
        state.busy = false;
        if state.shutdown {
            return;
        }
        if state.newest != ticket {
            // A newer job is waiting; this outcome is already stale.
            continue;
        }
        state.done = Some(Outcome { ticket: Ticket(ticket), result });
        drop(state);
        shared.wake.notify_all();
        on_result();
    }
}

impl<J, R> Drop for Worker<J, R> {
    fn drop(&mut self) {
        self.shared.lock().shutdown = true;
        self.shared.wake.notify_all();
        // Not joined: the thread ends by itself after the job in progress
        // (sooner when the job checks `superseded`), and a process that exits
        // meanwhile ends it too. Waiting here froze the window on Ctrl+Q for
        // as long as the analysis of a large document took.
        drop(self.thread.take());
    }
}
