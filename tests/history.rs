//! Undo and redo of edits, as the editor's session records them.

use std::sync::Arc;
use std::time::{Duration, Instant};

use kpitree::model::history::{MEMORY_BUDGET, MERGE_WINDOW, UNDO_LIMIT};
use kpitree::model::scenario::Scenario;
use kpitree::model::session::Session;
use kpitree::model::{Document, Edit, Field, Kind, Node, Op, generate};

/// A session whose clock is moved by hand.
struct Clocked {
    session: Session,
    clock: Instant,
}

impl Clocked {
    fn new() -> Clocked {
        let mut doc = Document::new();
        doc.nodes.push(Node::new("a", Kind::Kpi, "A"));
        Clocked { session: Session::new(doc, None), clock: Instant::now() }
    }

    fn edit(&mut self, edit: Edit, after: Duration) {
        self.clock += after;
        assert!(self.session.apply(edit, self.clock));
    }

    fn name(&self) -> &str {
        &self.session.document().nodes[0].name
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
    let mut s = Clocked::new();
    for (k, text) in ["売", "売上", "売上高"].into_iter().enumerate() {
        s.edit(rename(text), if k == 0 { Duration::ZERO } else { Duration::from_millis(200) });
    }
    assert!(s.session.undo());
    assert_eq!(s.name(), "A");
    assert!(!s.session.undo());
}

#[test]
fn typing_after_a_pause_is_a_new_step() {
    let mut s = Clocked::new();
    s.edit(rename("B"), Duration::ZERO);
    s.edit(rename("C"), MERGE_WINDOW + Duration::from_millis(1));
    assert!(s.session.undo());
    assert_eq!(s.name(), "B");
}

/// The scenarios of the session with `name`'s override of `a` set.
fn typed_override(s: &Clocked, name: &str, target: Option<f64>, actual: Option<f64>) -> Edit {
    let mut list = s.session.document().scenarios.list.clone();
    list.iter_mut().find(|x| x.name == name).expect("the scenario exists").set(&"a".into(), target, actual);
    Edit::SetScenarios(list)
}

fn with_scenario(s: &Clocked, name: &str) -> Edit {
    let mut list = s.session.document().scenarios.list.clone();
    list.push(Scenario { name: name.into(), ..Scenario::default() });
    Edit::SetScenarios(list)
}

#[test]
fn adding_a_scenario_and_typing_its_override_are_two_steps_and_the_typing_one() {
    let mut s = Clocked::new();
    s.edit(with_scenario(&s, "強気"), Duration::ZERO);
    for (k, v) in [5.0, 50.0, 500.0].into_iter().enumerate() {
        s.edit(typed_override(&s, "強気", None, Some(v)), Duration::from_millis(if k == 0 { 100 } else { 200 }));
    }
    // Typing the target next is a different field: a step of its own.
    s.edit(typed_override(&s, "強気", Some(9.0), Some(500.0)), Duration::from_millis(200));
    // A second scenario, and typing in it, are steps of their own too.
    s.edit(with_scenario(&s, "弱気"), Duration::from_millis(200));
    s.edit(typed_override(&s, "弱気", None, Some(1.0)), Duration::from_millis(200));
    let overrides = |s: &Clocked| -> Vec<(String, Option<f64>, Option<f64>)> {
        let list = &s.session.document().scenarios.list;
        list.iter()
            .map(|x| {
                (x.name.clone(), x.get(&"a".into()).and_then(|o| o.target), x.get(&"a".into()).and_then(|o| o.actual))
            })
            .collect()
    };
    let steps = [
        vec![("強気".to_owned(), Some(9.0), Some(500.0)), ("弱気".to_owned(), None, None)],
        vec![("強気".to_owned(), Some(9.0), Some(500.0))],
        vec![("強気".to_owned(), None, Some(500.0))],
        vec![("強気".to_owned(), None, None)],
        vec![],
    ];
    for expected in steps {
        assert!(s.session.undo());
        assert_eq!(overrides(&s), expected);
    }
    assert!(!s.session.undo());
}

#[test]
fn structural_edits_never_merge() {
    let mut s = Clocked::new();
    s.edit(add("x"), Duration::ZERO);
    s.edit(add("y"), Duration::from_millis(10));
    assert!(s.session.undo());
    assert_eq!(s.session.document().nodes.len(), 2);
}

#[test]
fn undo_then_redo_gives_back_the_same_document_and_revision() {
    let mut s = Clocked::new();
    let opened = s.session.revision();
    s.edit(add("x"), Duration::ZERO);
    s.edit(rename("B"), Duration::ZERO);
    let (doc, rev) = (Arc::clone(s.session.document()), s.session.revision());
    assert!(s.session.undo() && s.session.undo());
    assert_eq!(s.session.revision(), opened, "back at the opened revision");
    assert!(!s.session.is_dirty());
    assert!(s.session.redo() && s.session.redo());
    assert_eq!(**s.session.document(), *doc);
    assert_eq!(s.session.revision(), rev);
}

#[test]
fn at_least_two_hundred_steps_can_be_undone() {
    let mut s = Clocked::new();
    for i in 0..250 {
        s.edit(add(&format!("n{i}")), Duration::ZERO);
    }
    let mut undone = 0;
    while s.session.undo() {
        undone += 1;
    }
    assert_eq!(undone, 250.min(UNDO_LIMIT));
    assert!(undone >= 200);
    assert_eq!(s.session.document().nodes.len(), 1);
}

#[test]
fn a_step_of_a_large_tree_shares_every_node_it_did_not_change() {
    let mut session = Session::new(generate::tree(20_000, 4), None);
    let id = session.document().nodes[5].id.clone();
    let before = Arc::clone(session.document());
    assert!(session.apply(Edit::SetField(id, Field::Note(Some("x".into()))), Instant::now()));
    let after = session.document();
    let shared = before.nodes.iter().zip(after.nodes.iter()).filter(|(a, b)| Arc::ptr_eq(a, b)).count();
    assert_eq!(shared, 20_000 - 1, "only the edited node is copied");
    assert!(before.edges.same_allocation(&after.edges), "a field edit shares the edges");
    // The step costs its node pointers and one node, not a copy of the tree.
    let bytes = session.history().bytes();
    assert!(bytes < 20_000 * 8 + 64 * 1024, "{bytes} bytes for one field edit");
}

#[test]
fn the_history_forgets_its_oldest_steps_beyond_the_memory_budget() {
    let mut session = Session::new(generate::tree(100_000, 4), None);
    let t = Instant::now();
    // Each added node changes the edge list, which a step then keeps whole
    // (~10 MB at this size), so 60 of them are more than the budget.
    let parent = session.document().nodes[0].id.clone();
    let steps = 60;
    for k in 0..steps {
        let node = Node::new(format!("new{k}"), Kind::Kpi, "x");
        let edit = Edit::AddNode { node: Box::new(node), parent: Some((parent.clone(), Op::Add)) };
        assert!(session.apply(edit, t));
        assert!(session.history().bytes() <= MEMORY_BUDGET);
    }
    let kept = session.history().undo_steps();
    assert!(kept < steps, "the oldest steps were forgotten ({kept} kept)");
    assert!(kept >= 10, "but many are kept ({kept})");
    while session.undo() {}
    assert_eq!(session.document().nodes.len(), 100_000 + steps - kept, "undo goes back as far as was kept");
}
