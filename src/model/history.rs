//! Undo and redo: snapshots of the document before each step.
//!
//! A step is one user action: a drag (one [`Edit::SetPositions`] when the
//! mouse is released), an auto-layout, or a burst of typing into one field —
//! edits with the same [`Edit::merge_key`] arriving within
//! [`MERGE_WINDOW`] of each other join the step before them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::edit::{Edit, Field};
use super::{Document, NodeId};

/// How many steps can be undone.
pub const UNDO_LIMIT: usize = 500;

/// Edits of one field closer together than this are one step.
pub const MERGE_WINDOW: Duration = Duration::from_millis(1500);

/// What makes two edits "the same typing": the node and which field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeKey(Option<NodeId>, &'static str);

impl Edit {
    /// Edits with equal keys, made in quick succession, undo as one step.
    /// Only typing merges; structural edits are always their own step.
    pub fn merge_key(&self) -> Option<MergeKey> {
        match self {
            Edit::SetField(id, field) => Some(MergeKey(Some(id.clone()), field_name(field))),
            Edit::SetTitle(_) => Some(MergeKey(None, "title")),
            Edit::SetScenarios(_) => Some(MergeKey(None, "scenarios")),
            _ => None,
        }
    }
}

fn field_name(field: &Field) -> &'static str {
    match field {
        Field::Name(_) => "name",
        Field::Kind(_) => "kind",
        Field::Unit(_) => "unit",
        Field::Target(_) => "target",
        Field::Actual(_) => "actual",
        Field::Direction(_) => "direction",
        Field::Deadline(_) => "deadline",
        Field::Owner(_) => "owner",
        Field::Indicator(_) => "indicator",
        Field::Source(_) => "source",
        Field::Note(_) => "note",
    }
}

/// A document state in the history, with the revision number it had.
#[derive(Debug, Clone)]
struct State {
    doc: Arc<Document>,
    revision: u64,
}

/// The undo and redo stacks.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<State>,
    redo: Vec<State>,
    last: Option<(MergeKey, Instant)>,
    next_revision: u64,
}

impl History {
    /// An empty history.
    pub fn new() -> History {
        History { next_revision: 1, ..History::default() }
    }

    /// Records that the document is about to change from `before` (at
    /// `revision`) because of an edit with `key`. Returns the revision of
    /// the new state: a fresh one, or — when the edit merges into the
    /// previous step — still a fresh one, since the content differs.
    pub fn record(&mut self, before: Arc<Document>, revision: u64, key: Option<MergeKey>, now: Instant) -> u64 {
        let merges = match (&self.last, &key) {
            (Some((last, at)), Some(k)) => last == k && now.duration_since(*at) < MERGE_WINDOW,
            _ => false,
        };
        if !merges {
            self.undo.push(State { doc: before, revision });
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last = key.map(|k| (k, now));
        self.fresh_revision()
    }

    fn fresh_revision(&mut self) -> u64 {
        self.next_revision = self.next_revision.max(1) + 1;
        self.next_revision
    }

    /// Ends the current step, so that the next edit starts a new one even if
    /// it touches the same field (the field lost focus).
    pub fn close_step(&mut self) {
        self.last = None;
    }

    /// Goes back one step: returns the earlier document and its revision,
    /// keeping `current` for redo.
    pub fn undo(&mut self, current: Arc<Document>, revision: u64) -> Option<(Arc<Document>, u64)> {
        let state = self.undo.pop()?;
        self.redo.push(State { doc: current, revision });
        self.last = None;
        Some((state.doc, state.revision))
    }

    /// Goes forward one step again.
    pub fn redo(&mut self, current: Arc<Document>, revision: u64) -> Option<(Arc<Document>, u64)> {
        let state = self.redo.pop()?;
        self.undo.push(State { doc: current, revision });
        self.last = None;
        Some((state.doc, state.revision))
    }

    /// True when there is a step to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True when there is a step to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Forgets everything (a document was opened or created).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.last = None;
    }
}
