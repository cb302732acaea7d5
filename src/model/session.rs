//! An editing session: the document being edited, its undo history, the one
//! revision counter, and what was last saved.
//!
//! Every change goes through [`Session::apply`], [`Session::undo`],
//! [`Session::redo`], [`Session::replace`] or [`Session::restore`]; each
//! gives the document a revision number no earlier state of this session
//! had (undo and redo return to the number the state had), so "the document
//! changed" is "the revision changed". The session is dirty exactly when the
//! document differs from the last one saved or opened.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use super::history::History;
use super::{Document, Edit};

/// What was last saved to (or opened from) the file.
#[derive(Debug, Clone)]
struct Saved {
    revision: u64,
    doc: Arc<Document>,
}

/// The document being edited and its history.
#[derive(Debug)]
pub struct Session {
    doc: Arc<Document>,
    revision: u64,
    /// The last revision handed out; the next state gets the one after.
    issued: u64,
    /// `None`: the document was never saved (restored work).
    saved: Option<Saved>,
    path: Option<PathBuf>,
    history: History,
    /// `is_dirty` for a revision, remembered (the title asks every frame).
    dirty: Cell<Option<(u64, bool)>>,
}

impl Session {
    /// A session on a document just opened from `path` (or created, without
    /// one): clean, with no history.
    pub fn new(doc: Document, path: Option<PathBuf>) -> Session {
        let doc = Arc::new(doc);
        Session {
            saved: Some(Saved { revision: 1, doc: Arc::clone(&doc) }),
            doc,
            revision: 1,
            issued: 1,
            path,
            history: History::new(),
            dirty: Cell::new(None),
        }
    }

    /// The document.
    pub fn document(&self) -> &Arc<Document> {
        &self.doc
    }

    /// The revision of the document: changes whenever the document does.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The file the document belongs to.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The undo history.
    pub fn history(&self) -> &History {
        &self.history
    }

    fn next_revision(&mut self) -> u64 {
        self.issued += 1;
        self.issued
    }

    /// Applies one edit as an undo step (typing into one field merges into
    /// the step before it). False, with nothing changed, when the edit does
    /// not apply.
    pub fn apply(&mut self, edit: Edit, now: Instant) -> bool {
        let before = Arc::clone(&self.doc);
        let key = edit.merge_key(&before);
        if !edit.apply(Arc::make_mut(&mut self.doc)) {
            // Nothing changed: drop the copy `make_mut` made.
            self.doc = before;
            return false;
        }
        let revision = self.revision;
        self.revision = self.next_revision();
        self.history.record(before, revision, &self.doc, key, now);
        true
    }

    /// Applies edits in order, each as [`Session::apply`] does; true when
    /// any changed the document.
    pub fn apply_all(&mut self, edits: impl IntoIterator<Item = Edit>, now: Instant) -> bool {
        let mut changed = false;
        for edit in edits {
            changed |= self.apply(edit, now);
        }
        changed
    }

    /// Takes the document as a room has it after other participants'
    /// changes (or after undoing one's own there): one step that is no
    /// step of the undo history — in a room, undo belongs to the room,
    /// which undoes one's own changes only. The document keeps its file
    /// and what was saved.
    pub fn apply_remote(&mut self, doc: Arc<Document>) {
        if Arc::ptr_eq(&doc, &self.doc) {
            return;
        }
        self.doc = doc;
        self.revision = self.next_revision();
        self.history.close_step();
    }

    /// Goes back one step; false when there is none.
    pub fn undo(&mut self) -> bool {
        let Some((doc, revision)) = self.history.undo(Arc::clone(&self.doc), self.revision) else { return false };
        (self.doc, self.revision) = (doc, revision);
        true
    }

    /// Goes forward one undone step; false when there is none.
    pub fn redo(&mut self) -> bool {
        let Some((doc, revision)) = self.history.redo(Arc::clone(&self.doc), self.revision) else { return false };
        (self.doc, self.revision) = (doc, revision);
        true
    }

    /// True when there is a step to undo.
    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    /// True when there is a step to redo.
    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Ends the current undo step (a field lost focus): the next edit of the
    /// same field is a step of its own.
    pub fn close_step(&mut self) {
        self.history.close_step();
    }

    /// Replaces the document with one opened from `path` or newly created:
    /// no history, clean.
    pub fn replace(&mut self, doc: Document, path: Option<PathBuf>) {
        self.dirty.set(None);
        self.history.clear();
        self.doc = Arc::new(doc);
        self.revision = self.next_revision();
        self.saved = Some(Saved { revision: self.revision, doc: Arc::clone(&self.doc) });
        self.path = path;
    }

    /// Replaces the document with work recovered after a crash: no history,
    /// and dirty, since it was never saved.
    pub fn restore(&mut self, doc: Document, path: Option<PathBuf>) {
        self.replace(doc, path);
        self.saved = None;
        self.dirty.set(None);
    }

    /// The document was written to `path`: it is clean, and belongs to that
    /// file from now on (Save As).
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.dirty.set(None);
        self.saved = Some(Saved { revision: self.revision, doc: Arc::clone(&self.doc) });
        self.path = Some(path);
    }

    /// The document as last saved or opened (`None` when it never was).
    pub fn saved_document(&self) -> Option<&Arc<Document>> {
        self.saved.as_ref().map(|s| &s.doc)
    }

    /// True when the document differs from the last one saved or opened
    /// (or was never saved).
    pub fn is_dirty(&self) -> bool {
        if let Some((revision, dirty)) = self.dirty.get()
            && revision == self.revision
        {
            return dirty;
        }
        let dirty = match &self.saved {
            None => true,
            Some(saved) if saved.revision == self.revision => false,
            Some(saved) => !Arc::ptr_eq(&saved.doc, &self.doc) && *saved.doc != *self.doc,
        };
        self.dirty.set(Some((self.revision, dirty)));
        dirty
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, Kind, Node};

    fn doc(name: &str) -> Document {
        let mut d = Document::new();
        d.nodes.push(Node::new("a", Kind::Kpi, name));
        d
    }

    fn rename(to: &str) -> Edit {
        Edit::SetField("a".into(), Field::Name(to.into()))
    }

    fn add(id: &str) -> Edit {
        Edit::AddNode { node: Box::new(Node::new(id, Kind::Kpi, id)), parent: None }
    }

    fn session() -> Session {
        Session::new(doc("A"), Some(PathBuf::from("a.kpitree.json")))
    }

    #[test]
    fn an_opened_document_is_clean_and_an_edit_makes_it_dirty() {
        let mut s = session();
        assert!(!s.is_dirty());
        assert!(s.apply(add("x"), Instant::now()));
        assert!(s.is_dirty());
    }

    #[test]
    fn the_first_edit_after_opening_another_file_is_dirty() {
        // The lost-work bug: edit, save, open another file, one edit.
        let mut s = session();
        s.apply(add("x"), Instant::now());
        s.mark_saved(PathBuf::from("a.kpitree.json"));
        s.replace(doc("B"), Some(PathBuf::from("b.kpitree.json")));
        assert!(!s.is_dirty());
        assert!(!s.can_undo(), "opening forgets the history");
        assert!(s.apply(add("y"), Instant::now()));
        assert!(s.is_dirty());
    }

    #[test]
    fn every_state_has_a_revision_no_other_state_had() {
        let mut s = session();
        let mut seen = vec![s.revision()];
        s.apply(add("x"), Instant::now());
        seen.push(s.revision());
        s.replace(doc("B"), None);
        seen.push(s.revision());
        s.apply(add("y"), Instant::now());
        seen.push(s.revision());
        s.restore(doc("C"), None);
        seen.push(s.revision());
        let mut unique = seen.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "{seen:?}");
    }

    #[test]
    fn undo_to_the_saved_point_is_clean_and_redo_past_it_is_dirty() {
        let mut s = session();
        let t = Instant::now();
        s.apply(add("x"), t);
        s.mark_saved(PathBuf::from("a.kpitree.json"));
        s.apply(add("y"), t);
        assert!(s.is_dirty());
        assert!(s.undo());
        assert!(!s.is_dirty(), "back at what was saved");
        assert!(s.undo());
        assert!(s.is_dirty(), "before what was saved");
        assert!(s.redo());
        assert!(!s.is_dirty());
        assert!(s.redo());
        assert!(s.is_dirty());
    }

    #[test]
    fn typing_back_what_was_saved_is_clean() {
        let mut s = session();
        s.apply(rename("AB"), Instant::now());
        assert!(s.is_dirty());
        s.apply(rename("A"), Instant::now());
        assert!(!s.is_dirty(), "the same document as on disk");
    }

    #[test]
    fn restored_work_is_dirty_until_saved() {
        let mut s = session();
        s.restore(doc("recovered"), Some(PathBuf::from("a.kpitree.json")));
        assert!(s.is_dirty());
        assert!(!s.can_undo());
        s.mark_saved(PathBuf::from("a.kpitree.json"));
        assert!(!s.is_dirty());
    }

    #[test]
    fn save_as_moves_the_session_to_the_new_file() {
        let mut s = session();
        s.apply(add("x"), Instant::now());
        s.mark_saved(PathBuf::from("copy.kpitree.json"));
        assert_eq!(s.path(), Some(Path::new("copy.kpitree.json")));
        assert!(!s.is_dirty());
        assert!(s.can_undo(), "saving keeps the history");
        assert!(s.undo());
        assert!(s.is_dirty());
    }

    #[test]
    fn an_edit_that_changes_nothing_keeps_the_revision_and_the_history() {
        let mut s = session();
        let revision = s.revision();
        assert!(!s.apply(rename("A"), Instant::now()));
        assert_eq!(s.revision(), revision);
        assert!(!s.can_undo());
    }

    #[test]
    fn a_new_edit_after_undo_clears_redo() {
        let mut s = session();
        s.apply(add("x"), Instant::now());
        s.undo();
        s.apply(add("y"), Instant::now());
        assert!(!s.redo());
    }
}
