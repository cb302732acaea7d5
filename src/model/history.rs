//! Undo and redo: snapshots of the document before each step.
//!
//! A step is one user action: a drag (one [`Edit::SetPositions`] when the
//! mouse is released), an auto-layout, or a burst of typing into one field —
//! edits with the same [`Edit::merge_key`] arriving within
//! [`MERGE_WINDOW`] of each other join the step before them.
//!
//! Snapshots share every node and edge list they did not change (see
//! `model::lists`), so a step of a 100,000-node document costs its node
//! pointers (~0.8 MB) plus what it changed, not a copy of the tree. The
//! history keeps at most [`UNDO_LIMIT`] steps and at most [`MEMORY_BUDGET`]
//! bytes of them, forgetting the oldest first.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustc_hash::FxHashMap;

use super::edit::Edit;
use super::scenario::{Override, Scenario};
use super::{Document, Extra, Node, NodeId};

/// How many steps can be undone.
pub const UNDO_LIMIT: usize = 500;

/// About how many bytes of snapshots the history keeps (what they do not
/// share with their neighbours).
pub const MEMORY_BUDGET: usize = 256 * 1024 * 1024;

/// Edits of one field closer together than this are one step.
pub const MERGE_WINDOW: Duration = Duration::from_millis(1500);

/// What makes two edits "the same typing": the node, which field, and for
/// a what-if override the scenario's place in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeKey(Option<NodeId>, &'static str, usize);

impl Edit {
    /// Edits with equal keys, made in quick succession, undo as one step.
    /// Only typing merges; structural edits are always their own step. A
    /// change of the scenarios is typing only when it changes one value of
    /// one node's override in one scenario (adding, renaming or removing a
    /// scenario is a step of its own); `before` is the document the edit
    /// applies to.
    pub fn merge_key(&self, before: &Document) -> Option<MergeKey> {
        match self {
            Edit::SetField(id, field) => Some(MergeKey(Some(id.clone()), field.name(), 0)),
            Edit::SetTitle(_) => Some(MergeKey(None, "title", 0)),
            Edit::SetDescription(_) => Some(MergeKey(None, "description", 0)),
            Edit::SetPeriod(_) => Some(MergeKey(None, "period", 0)),
            Edit::SetScenarios(next) => override_typing(&before.scenarios.list, next),
            _ => None,
        }
    }
}

/// The key of a change from `before` to `after` that sets one value (the
/// target or the actual) of one node's override in one scenario, if it is
/// such a change.
fn override_typing(before: &[Scenario], after: &[Scenario]) -> Option<MergeKey> {
    if before.len() != after.len() {
        return None;
    }
    let mut changed = before.iter().zip(after).enumerate().filter(|(_, (b, a))| b != a);
    let (index, (b, a)) = changed.next()?;
    if changed.next().is_some() || b.name != a.name || b.extra != a.extra {
        return None;
    }
    fn by_node(s: &Scenario) -> FxHashMap<&NodeId, &Override> {
        s.overrides.iter().map(|o| (&o.node, o)).collect()
    }
    /// Target, actual and unknown fields of a node's override (none: all empty).
    fn values<'a>(
        m: &FxHashMap<&NodeId, &'a Override>,
        id: &NodeId,
        empty: &'a Extra,
    ) -> (Option<f64>, Option<f64>, &'a Extra) {
        m.get(id).map_or((None, None, empty), |o| (o.target, o.actual, &o.extra))
    }
    let (old, new) = (by_node(b), by_node(a));
    let empty = Extra::new();
    let mut node: Option<&NodeId> = None;
    for &id in old.keys().chain(new.keys()) {
        let (was, is) = (values(&old, id, &empty), values(&new, id, &empty));
        if was == is || node == Some(id) {
            continue;
        }
        if node.is_some() || was.2 != is.2 {
            return None;
        }
        node = Some(id);
    }
    let id = node?;
    let (was, is) = (values(&old, id, &empty), values(&new, id, &empty));
    let field = match (was.0 != is.0, was.1 != is.1) {
        (true, false) => "override target",
        (false, true) => "override actual",
        _ => return None,
    };
    Some(MergeKey(Some(id.clone()), field, index))
}

/// A document state in the history, with the revision number it had and
/// about how many bytes keeping it costs.
#[derive(Debug, Clone)]
struct State {
    doc: Arc<Document>,
    revision: u64,
    bytes: usize,
}

/// The undo and redo stacks.
#[derive(Debug, Default)]
pub struct History {
    undo: VecDeque<State>,
    redo: Vec<State>,
    last: Option<(MergeKey, Instant)>,
    bytes: usize,
}

impl History {
    /// An empty history.
    pub fn new() -> History {
        History::default()
    }

    /// Records that the document changed from `before` (which had
    /// `revision`) to `after` because of an edit with `key`. An edit that
    /// merges into the step before it records nothing: undo goes back past
    /// the whole burst.
    pub fn record(
        &mut self,
        before: Arc<Document>,
        revision: u64,
        after: &Document,
        key: Option<MergeKey>,
        now: Instant,
    ) {
        let merges = match (&self.last, &key) {
            (Some((last, at)), Some(k)) => last == k && now.duration_since(*at) < MERGE_WINDOW,
            _ => false,
        };
        if !merges {
            let bytes = unshared_bytes(&before, after);
            self.bytes += bytes;
            self.undo.push_back(State { doc: before, revision, bytes });
        }
        self.clear_redo();
        self.last = key.map(|k| (k, now));
        self.trim();
    }

    /// Forgets the oldest steps beyond [`UNDO_LIMIT`] or [`MEMORY_BUDGET`]
    /// (always keeping the newest step).
    fn trim(&mut self) {
        while self.undo.len() > UNDO_LIMIT || (self.bytes > MEMORY_BUDGET && self.undo.len() > 1) {
            let Some(old) = self.undo.pop_front() else { break };
            self.bytes -= old.bytes;
        }
    }

    fn clear_redo(&mut self) {
        for state in self.redo.drain(..) {
            self.bytes -= state.bytes;
        }
    }

    /// Ends the current step, so that the next edit starts a new one even if
    /// it touches the same field (the field lost focus).
    pub fn close_step(&mut self) {
        self.last = None;
    }

    /// Goes back one step: returns the earlier document and its revision,
    /// keeping `current` for redo.
    pub fn undo(&mut self, current: Arc<Document>, revision: u64) -> Option<(Arc<Document>, u64)> {
        let state = self.undo.pop_back()?;
        self.bytes -= state.bytes;
        let bytes = unshared_bytes(&current, &state.doc);
        self.bytes += bytes;
        self.redo.push(State { doc: current, revision, bytes });
        self.last = None;
        Some((state.doc, state.revision))
    }

    /// Goes forward one step again.
    pub fn redo(&mut self, current: Arc<Document>, revision: u64) -> Option<(Arc<Document>, u64)> {
        let state = self.redo.pop()?;
        self.bytes -= state.bytes;
        let bytes = unshared_bytes(&current, &state.doc);
        self.bytes += bytes;
        self.undo.push_back(State { doc: current, revision, bytes });
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

    /// How many steps can be undone.
    pub fn undo_steps(&self) -> usize {
        self.undo.len()
    }

    /// About how many bytes the kept snapshots cost beyond what they share.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Forgets everything (a document was opened or created).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
        self.last = None;
        self.bytes = 0;
    }
}

/// About how many bytes keeping `kept` costs while `other` is kept too: its
/// node pointers, the nodes it does not share with `other`, and its edge list
/// when that is not shared.
fn unshared_bytes(kept: &Document, other: &Document) -> usize {
    let pointers = kept.nodes.len() * std::mem::size_of::<Arc<Node>>();
    // The nodes of `kept` between the longest common prefix and suffix of
    // node allocations (an edit changes, adds or removes nodes in one run;
    // scattered changes are over-counted, which errs on the safe side).
    let (a, b) = (kept.nodes.as_slice(), other.nodes.as_slice());
    let prefix = a.iter().zip(b).take_while(|(x, y)| Arc::ptr_eq(x, y)).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| Arc::ptr_eq(x, y)).count();
    let nodes: usize = a[prefix..a.len() - suffix].iter().map(|n| node_bytes(n)).sum();
    let edges = if kept.edges.same_allocation(&other.edges) {
        0
    } else {
        kept.edges.len() * std::mem::size_of::<super::Edge>()
    };
    pointers + nodes + edges + std::mem::size_of::<Document>()
}

/// About how many bytes a node takes: the struct and its texts.
fn node_bytes(n: &Node) -> usize {
    let text = |t: &Option<String>| t.as_ref().map_or(0, String::capacity);
    std::mem::size_of::<Node>()
        + n.name.capacity()
        + text(&n.unit)
        + text(&n.owner)
        + text(&n.source)
        + text(&n.note)
        + 64 * n.extra.len()
}
