//! The editor's derived state in one owner: the worker, what was last asked
//! of it, the answer on screen and the failure of the last job. The window
//! says what it shows; this decides whether that needs a new job, and never
//! lets an answer look newer than it is.

use std::sync::Arc;

use super::derived::{self, Derived, DerivedWorker, Job, Request};
use super::worker::{Ticket, free_elsewhere};
use crate::eval::explain::ExplainOptions;
use crate::export::DiagramOptions;
use crate::model::NodeId;

/// What makes two requests the same: the document's revision and the rest
/// of the request.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    revision: u64,
    scenario: Option<String>,
    focus: Option<NodeId>,
    diagram: DiagramOptions,
    explain: ExplainOptions,
}

impl Key {
    fn of(revision: u64, request: &Request) -> Key {
        Key {
            revision,
            scenario: request.scenario.clone(),
            focus: request.focus.clone(),
            diagram: request.diagram.clone(),
            explain: request.explain,
        }
    }
}

/// The derived state of the editor's document (see the module's comment).
pub struct DerivedState {
    job: Job,
    on_result: Arc<dyn Fn() + Send + Sync>,
    worker: DerivedWorker,
    asked: Option<(Key, Ticket)>,
    /// The answer on screen and the ticket of the request it answers.
    shown: Option<(Ticket, Arc<Derived>)>,
    failure: Option<String>,
}

impl DerivedState {
    /// Starts a worker running [`derived::derive`]; `on_result` runs on the
    /// worker's thread whenever an answer is ready (to ask for a repaint).
    pub fn new(on_result: impl Fn() + Send + Sync + 'static) -> DerivedState {
        DerivedState::running(derived::derive, on_result)
    }

    /// The same with `job` in place of [`derived::derive`] (tests give it a
    /// slow or a failing one).
    pub fn running(job: Job, on_result: impl Fn() + Send + Sync + 'static) -> DerivedState {
        let on_result: Arc<dyn Fn() + Send + Sync> = Arc::new(on_result);
        let worker = start(job, &on_result);
        DerivedState { job, on_result, worker, asked: None, shown: None, failure: None }
    }

    /// Runs `job` from now on, asking again for what is shown.
    pub fn use_job(&mut self, job: Job) {
        self.job = job;
        self.worker = start(job, &self.on_result);
        self.asked = None;
    }

    /// Asks for `request` on a document at `revision`, unless that is what
    /// was last asked; the ticket of the job that answers it.
    pub fn request(&mut self, revision: u64, request: Request) -> Ticket {
        let key = Key::of(revision, &request);
        if let Some((asked, ticket)) = &self.asked
            && *asked == key
        {
            return *ticket;
        }
        if !self.worker.is_alive() {
            self.worker = start(self.job, &self.on_result);
        }
        let ticket = self.worker.submit(request);
        self.asked = Some((key, ticket));
        ticket
    }

    /// Takes in the answer that arrived since the last call, if any; true
    /// when something changed.
    pub fn poll(&mut self) -> bool {
        match self.worker.take() {
            Some(outcome) => {
                self.receive(outcome.ticket, outcome.result);
                true
            }
            None => false,
        }
    }

    /// Waits for the answer to the last request (tests; the editor never
    /// waits).
    pub fn wait(&mut self) {
        if let Some(outcome) = self.worker.wait() {
            self.receive(outcome.ticket, outcome.result);
        }
    }

    fn receive(&mut self, ticket: Ticket, result: Result<Derived, String>) {
        match result {
            Ok(derived) => {
                if let Some(old) = self.shown.replace((ticket, Arc::new(derived))) {
                    free_elsewhere(old);
                }
                self.failure = None;
            }
            Err(message) => self.failure = Some(message),
        }
    }

    /// The newest answer.
    pub fn latest(&self) -> Option<&Arc<Derived>> {
        self.shown.as_ref().map(|(_, d)| d)
    }

    /// True when the answer shown is the one to the last request.
    pub fn is_current(&self) -> bool {
        matches!((&self.shown, &self.asked), (Some((s, _)), Some((_, a))) if s == a)
    }

    /// True once an answer to `ticket`'s request, or a later one, is shown.
    pub fn answered(&self, ticket: Ticket) -> bool {
        self.shown.as_ref().is_some_and(|(s, _)| *s >= ticket)
    }

    /// The message of the last job's failure, while no later job succeeded.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Hides the failure message.
    pub fn dismiss_failure(&mut self) {
        self.failure = None;
    }

    /// Forgets the answer on screen (another document was opened): nothing
    /// is shown until that document's own answer arrives.
    /// A worker still busy with the last document (minutes, for a very wide
    /// tree) is left to stop by itself, and a fresh one takes the next.
    pub fn forget(&mut self) {
        if let Some(old) = self.shown.take() {
            free_elsewhere(old);
        }
        if self.worker.is_working() {
            self.worker = start(self.job, &self.on_result);
        }
        self.asked = None;
    }
}

fn start(job: Job, on_result: &Arc<dyn Fn() + Send + Sync>) -> DerivedWorker {
    let on_result = Arc::clone(on_result);
    derived::worker_running(job, move || on_result())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn request(doc: &Arc<Document>, focus: Option<&str>) -> Request {
        Request {
            document: Arc::clone(doc),
            scenario: None,
            focus: focus.map(NodeId::from),
            diagram: DiagramOptions::default(),
            explain: ExplainOptions::default(),
        }
    }

    #[test]
    fn the_same_request_is_asked_once() {
        let doc = Arc::new(Document::default());
        let mut state = DerivedState::new(|| {});
        let first = state.request(1, request(&doc, None));
        assert_eq!(state.request(1, request(&doc, None)), first);
        let moved = state.request(1, request(&doc, Some("a")));
        assert!(moved > first, "a new focus is a new job");
        assert!(state.request(2, request(&doc, Some("a"))) > moved, "a new revision is a new job");
    }

    #[test]
    fn an_answer_is_current_only_for_the_last_request() {
        let doc = Arc::new(Document::default());
        let mut state = DerivedState::new(|| {});
        let first = state.request(1, request(&doc, None));
        state.wait();
        assert!(state.is_current() && state.answered(first));
        let second = state.request(2, request(&doc, None));
        assert!(!state.is_current(), "the shown answer is the first request's");
        assert!(state.answered(first) && !state.answered(second));
        state.wait();
        assert!(state.is_current() && state.answered(second));
    }

    #[test]
    fn a_failed_job_keeps_the_last_answer_and_says_why() {
        fn fails(_: &mut derived::Cache, _: Request) -> Derived {
            panic!("no luck")
        }
        let doc = Arc::new(Document::default());
        let mut state = DerivedState::new(|| {});
        state.request(1, request(&doc, None));
        state.wait();
        let before = Arc::clone(state.latest().expect("an answer"));
        state.use_job(fails);
        state.request(2, request(&doc, None));
        state.wait();
        assert_eq!(state.failure(), Some("no luck"));
        assert!(Arc::ptr_eq(state.latest().expect("still shown"), &before));
        state.forget();
        assert!(state.latest().is_none() && !state.is_current());
    }
}
