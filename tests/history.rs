//! Undo and redo of edits, as the editor records them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kpitree::model::history::{History, MERGE_WINDOW, UNDO_LIMIT};
use kpitree::model::{Document, Edit, Field, Kind, Node};

/// Applies edits the way the editor does, one history step per edit.
struct Session {
    doc: Arc<Document>,
    revision: u64,
    history: History,
    clock: Instant,
}

impl Session {
    fn new() -> Session {
        let mut doc = Document::new();
        doc.nodes.push(Node::new("a", Kind::Kpi, "A"));
        Session { doc: Arc::new(doc), revision: 1, history: History::new(), clock: Instant::now() }
    }

    fn edit(&mut self, edit: Edit, after: Duration) {
        self.clock += after;
        let before = Arc::clone(&self.doc);
        let key = edit.merge_key();
        assert!(edit.apply(Arc::make_mut(&mut self.doc)));
        self.revision = self.history.record(before, self.revision, key, self.clock);
    }

    fn undo(&mut self) -> bool {
        let Some((doc, rev)) = self.history.undo(Arc::clone(&self.doc), self.revision) else { return false };
        (self.doc, self.revision) = (doc, rev);
        true
    }

    fn redo(&mut self) -> bool {
        let Some((doc, rev)) = self.history.redo(Arc::clone(&self.doc), self.revision) else { return false };
        (self.doc, self.revision) = (doc, rev);
        true
    }

    fn name(&self) -> &str {
        &self.doc.nodes[0].name
    }
}

fn rename(to: &str) -> Edit {
    Edit::SetField("a".into(), Field::Name(to.into()))
}

fn add(id: &str) -> Edit {
    Edit::AddNode { node: Box::new(Node::new(id, Kind::Kpi, id)), parent: None }
}

#[test]
fn a_burst_of_typing_in_one_field_is_one_step() {
    let mut s = Session::new();
    for (k, text) in ["売", "売上", "売上高"].into_iter().enumerate() {
        s.edit(rename(text), if k == 0 { Duration::ZERO } else { Duration::from_millis(200) });
    }
    assert!(s.undo());
    assert_eq!(s.name(), "A");
    assert!(!s.undo());
}

#[test]
fn typing_after_a_pause_is_a_new_step() {
    let mut s = Session::new();
    s.edit(rename("B"), Duration::ZERO);
    s.edit(rename("C"), MERGE_WINDOW + Duration::from_millis(1));
    assert!(s.undo());
    assert_eq!(s.name(), "B");
}

#[test]
fn structural_edits_never_merge() {
    let mut s = Session::new();
    s.edit(add("x"), Duration::ZERO);
    s.edit(add("y"), Duration::from_millis(10));
    assert!(s.undo());
    assert_eq!(s.doc.nodes.len(), 2);
}

#[test]
fn undo_then_redo_gives_back_the_same_document_and_revision() {
    let mut s = Session::new();
    s.edit(add("x"), Duration::ZERO);
    s.edit(rename("B"), Duration::ZERO);
    let (doc, rev) = (Arc::clone(&s.doc), s.revision);
    assert!(s.undo() && s.undo());
    assert_eq!(s.revision, 1, "back at the opened revision, so not dirty");
    assert!(s.redo() && s.redo());
    assert_eq!(*s.doc, *doc);
    assert_eq!(s.revision, rev);
}

#[test]
fn a_new_edit_after_undo_clears_redo() {
    let mut s = Session::new();
    s.edit(add("x"), Duration::ZERO);
    assert!(s.undo());
    s.edit(add("y"), Duration::ZERO);
    assert!(!s.redo());
}

#[test]
fn at_least_two_hundred_steps_can_be_undone() {
    let mut s = Session::new();
    for i in 0..250 {
        s.edit(add(&format!("n{i}")), Duration::ZERO);
    }
    let mut undone = 0;
    while s.undo() {
        undone += 1;
    }
    assert_eq!(undone, 250.min(UNDO_LIMIT));
    assert!(undone >= 200);
    assert_eq!(s.doc.nodes.len(), 1);
}
