//! Rooms: a document through Loro and back is the same document; copies
//! that exchange their updates converge — concurrent moves without a cycle,
//! concurrent adds both kept, one field's concurrent values settled alike
//! everywhere — and a participant's invalid state is refused, not loaded.

use std::collections::BTreeMap;

use kpitree::collab::Room;
use kpitree::model::{Document, Edge, Kind, Node, NodeId, Op};

/// Each node's file fields (as sorted JSON) by id, and each parent's terms
/// (child, operator) in order.
pub(crate) type Meaning = (BTreeMap<String, String>, BTreeMap<String, Vec<(String, String)>>);

/// What a document means (the edge list's order across parents does not
/// matter).
pub(crate) fn meaning(d: &Document) -> Meaning {
    let value = kpitree::io::to_value(d);
    let nodes =
        value["nodes"].as_array().unwrap().iter().map(|n| (n["id"].as_str().unwrap().to_owned(), sorted(n))).collect();
    let mut terms: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for e in d.edges.iter() {
        terms
            .entry(e.parent.as_str().to_owned())
            .or_default()
            .push((e.child.as_str().to_owned(), e.op.symbol().into()));
    }
    (nodes, terms)
}

/// JSON text with object keys sorted, to compare fields whatever their order.
fn sorted(v: &serde_json::Value) -> String {
    fn sort(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => {
                let b: BTreeMap<_, _> = m.iter().map(|(k, v)| (k.clone(), sort(v))).collect();
                serde_json::to_value(b).unwrap()
            }
            serde_json::Value::Array(a) => serde_json::Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    sort(v).to_string()
}

/// Both copies give each other what the other lacks.
fn exchange(a: &mut Room, b: &mut Room) {
    let to_b = a.updates_since(&b.version()).unwrap();
    let to_a = b.updates_since(&a.version()).unwrap();
    b.merge(&to_b).unwrap();
    a.merge(&to_a).unwrap();
}

pub(crate) fn sales() -> Document {
    kpitree::templates::ALL.iter().find(|t| t.name == "sales-basic").unwrap().document().unwrap()
}

#[test]
fn every_template_goes_through_a_room_and_back_unchanged() {
    for t in kpitree::templates::ALL {
        let d = t.document().unwrap();
        let room = Room::from_document(&d, 1).unwrap();
        let back = room.document().unwrap();
        assert_eq!(meaning(&back), meaning(&d), "{}", t.name);
        assert_eq!(back.title, d.title, "{}", t.name);
        assert_eq!(back.period, d.period, "{}", t.name);
        // A second copy that joins from the snapshot holds the same.
        let mut joined = Room::new(2).unwrap();
        joined.merge(&room.snapshot().unwrap()).unwrap();
        assert_eq!(meaning(&joined.document().unwrap()), meaning(&d), "{}", t.name);
    }
}

#[test]
fn a_shared_kpi_keeps_its_second_parent_and_its_place_among_that_parents_terms() {
    let text = r#"{"format":"kpitree","version":1,"nodes":[
        {"id":"sales","kind":"KGI","name":"売上"},{"id":"cost","kind":"KGI","name":"費用"},
        {"id":"n","kind":"KPI","name":"顧客数"},{"id":"p","kind":"KPI","name":"客単価"},{"id":"u","kind":"KPI","name":"単価"}],
        "edges":[{"parent":"sales","child":"n","op":"*"},{"parent":"sales","child":"p","op":"*"},
        {"parent":"cost","child":"u","op":"*"},{"parent":"cost","child":"n","op":"*"}]}"#;
    let d = kpitree::io::from_str(text, "shared.kpitree.json").unwrap();
    let back = Room::from_document(&d, 1).unwrap().document().unwrap();
    assert_eq!(meaning(&back), meaning(&d));
}

#[test]
fn edits_written_into_a_room_reach_another_copy() {
    let d = sales();
    let mut a = Room::from_document(&d, 1).unwrap();
    let mut b = Room::new(2).unwrap();
    b.merge(&a.snapshot().unwrap()).unwrap();
    // A renames the goal, adds a KPI under it and removes a leaf.
    let mut edited = d.clone();
    let goal = edited.nodes[0].id.clone();
    edited.nodes.get_mut(0).unwrap().name = "売上(改)".into();
    let new = NodeId::from("new-kpi");
    edited.nodes.push(Node::new(new.clone(), Kind::Kpi, "新規顧客数"));
    edited.edges.make_mut().push(Edge::new(goal.clone(), new.clone(), Op::Link));
    let gone = edited.nodes[edited.nodes.len() - 2].id.clone();
    edited.nodes.retain(|n| n.id != gone);
    edited.edges.make_mut().retain(|e| e.child != gone && e.parent != gone);
    a.write(&edited).unwrap();
    exchange(&mut a, &mut b);
    assert_eq!(meaning(&b.document().unwrap()), meaning(&edited));
    assert_eq!(meaning(&a.document().unwrap()), meaning(&edited));
}

/// Three copies from one document; a function changes one copy's document.
fn three(d: &Document) -> [Room; 3] {
    let a = Room::from_document(d, 1).unwrap();
    let snapshot = a.snapshot().unwrap();
    let join = |peer| {
        let mut r = Room::new(peer).unwrap();
        r.merge(&snapshot).unwrap();
        r
    };
    [a, join(2), join(3)]
}

fn change(room: &mut Room, f: impl FnOnce(&mut Document)) {
    let mut d = room.document().unwrap();
    f(&mut d);
    room.write(&d).unwrap();
}

fn settle(rooms: &mut [Room; 3]) {
    for _ in 0..2 {
        let [a, b, c] = rooms;
        exchange(a, b);
        exchange(b, c);
        exchange(a, c);
    }
}

/// Moves `child` from under whatever holds it to under `parent` (as the
/// canvas's drop does: the first edge to it re-pointed).
pub(crate) fn reparent(d: &mut Document, child: &str, parent: &str) {
    let edges = d.edges.make_mut();
    let e = edges.iter_mut().find(|e| e.child.as_str() == child).unwrap();
    e.parent = NodeId::from(parent);
}

#[test]
fn concurrent_moves_of_one_node_converge_without_a_cycle() {
    let d = sales();
    let mut rooms = three(&d);
    let ids: Vec<String> = d.nodes.iter().map(|n| n.id.as_str().to_owned()).collect();
    // Two KPIs moved under each other at the same time: a cycle if both won.
    let (x, y) = (&ids[1], &ids[2]);
    change(&mut rooms[0], |d| reparent(d, x, y));
    change(&mut rooms[1], |d| reparent(d, y, x));
    settle(&mut rooms);
    let docs: Vec<Document> = rooms.iter().map(|r| r.document().unwrap()).collect();
    assert_eq!(meaning(&docs[0]), meaning(&docs[1]));
    assert_eq!(meaning(&docs[1]), meaning(&docs[2]));
    assert_ne!(meaning(&docs[0]), meaning(&d), "one of the moves holds");
    let eval = kpitree::evaluate(&docs[0]);
    assert!(eval.diagnostics.iter().all(|d| d.code.as_str() != "cycle"), "{:?}", eval.diagnostics);
}

#[test]
fn concurrent_adds_under_one_parent_keep_both() {
    let d = sales();
    let goal = d.nodes[0].id.as_str().to_owned();
    let mut rooms = three(&d);
    for (k, name) in [(0, "A の KPI"), (2, "C の KPI")] {
        let goal = goal.clone();
        change(&mut rooms[k], move |d| {
            let id = NodeId::from(format!("added-{k}").as_str());
            d.nodes.push(Node::new(id.clone(), Kind::Kpi, name));
            d.edges.make_mut().push(Edge::new(NodeId::from(goal.as_str()), id, Op::Link));
        });
    }
    settle(&mut rooms);
    let docs: Vec<Document> = rooms.iter().map(|r| r.document().unwrap()).collect();
    for doc in &docs {
        assert!(doc.nodes.contains("added-0") && doc.nodes.contains("added-2"));
        assert_eq!(meaning(doc), meaning(&docs[0]));
    }
}

#[test]
fn one_field_changed_on_two_copies_settles_to_one_value_everywhere() {
    let d = sales();
    let mut rooms = three(&d);
    change(&mut rooms[0], |d| d.nodes.get_mut(0).unwrap().target = Some(120.0));
    change(&mut rooms[1], |d| d.nodes.get_mut(0).unwrap().target = Some(150.0));
    settle(&mut rooms);
    let targets: Vec<Option<f64>> = rooms.iter().map(|r| r.document().unwrap().nodes[0].target).collect();
    assert!(targets[0] == Some(120.0) || targets[0] == Some(150.0), "{targets:?}");
    assert!(targets.iter().all(|t| *t == targets[0]), "{targets:?}");
}

#[test]
fn a_room_whose_state_is_no_valid_document_is_refused_not_loaded() {
    // A participant (an old or hostile client) whose node has a kind no
    // file may have: the room merges it, but gives no document.
    let other = loro::LoroDoc::new();
    other.set_peer_id(9).unwrap();
    let tree = other.get_tree("nodes");
    tree.enable_fractional_index(0);
    let node = tree.create(None).unwrap();
    let meta = tree.get_meta(node).unwrap();
    meta.insert("id", "a").unwrap();
    meta.insert("kind", "BOSS").unwrap();
    meta.insert("name", "x").unwrap();
    other.commit();
    let mut room = Room::from_document(&sales(), 1).unwrap();
    room.merge(&other.export(loro::ExportMode::Snapshot).unwrap()).unwrap();
    let refused = room.document().unwrap_err();
    assert!(refused.to_string().contains("kind"), "{refused}");
    // Bytes that are no update at all are refused before anything merges.
    assert!(Room::new(2).unwrap().merge(b"not an update").is_err());
}

/// `kpitree merge BASE A B -o OUT`: each side's edits kept, and the field
/// both changed said, with the value kept (B's) and the one not kept.
#[test]
fn merge_keeps_both_sides_edits_and_says_which_value_of_a_field_both_changed_it_kept() {
    let dir = tempfile::tempdir().unwrap();
    let base = sales();
    let ids: Vec<String> = base.nodes.iter().map(|n| n.id.as_str().to_owned()).collect();
    let mut a = base.clone();
    a.nodes.get_mut(1).unwrap().name = "A が変えた名前".into();
    a.nodes.get_mut(0).unwrap().target = Some(120.0);
    let mut b = base.clone();
    reparent(&mut b, &ids[2], &ids[1]);
    b.nodes.get_mut(0).unwrap().target = Some(150.0);
    let path = |name: &str| dir.path().join(name);
    for (name, d) in [("base.kpitree.json", &base), ("a.kpitree.json", &a), ("b.kpitree.json", &b)] {
        kpitree::io::save(&path(name), d).unwrap();
    }
    let out = path("merged.kpitree.json");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["merge", "--lang", "en", "-o"])
        .arg(&out)
        .args([path("base.kpitree.json"), path("a.kpitree.json"), path("b.kpitree.json")])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let merged = kpitree::io::load(&out).unwrap();
    assert_eq!(merged.nodes.get_by_id(&ids[1]).unwrap().name, "A が変えた名前", "A's rename");
    let parent = merged.edges.iter().find(|e| e.child.as_str() == ids[2]).unwrap().parent.as_str().to_owned();
    assert_eq!(parent, ids[1], "B's move");
    assert_eq!(merged.nodes.get_by_id(&ids[0]).unwrap().target, Some(150.0), "B's value of the field both changed");
    assert!(stderr.contains(&format!("node {}: target", ids[0])) && stderr.contains("kept 150, not 120"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "only the field both changed: {stderr}");
    // Not over an existing file without --force.
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["merge", "--lang", "en", "-o"])
        .arg(&out)
        .args([path("base.kpitree.json"), path("a.kpitree.json"), path("b.kpitree.json")])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
}

/// A node removed while its terms move to its parent: the terms stay (a
/// tree node's deletion would take its subtree with it).
#[test]
fn removing_a_node_whose_terms_move_up_keeps_the_terms() {
    let text = r#"{"format":"kpitree","version":1,"nodes":[
        {"id":"g","kind":"KGI","name":"売上"},{"id":"x","kind":"KPI","name":"中間"},
        {"id":"y","kind":"KPI","name":"顧客数"},{"id":"z","kind":"KPI","name":"客単価"}],
        "edges":[{"parent":"g","child":"x","op":"+"},{"parent":"x","child":"y","op":"*"},{"parent":"x","child":"z","op":"*"}]}"#;
    let d = kpitree::io::from_str(text, "mid.kpitree.json").unwrap();
    let mut room = Room::from_document(&d, 1).unwrap();
    let mut edited = d.clone();
    edited.nodes.retain(|n| n.id.as_str() != "x");
    let edges = edited.edges.make_mut();
    edges.clear();
    edges.push(Edge::new(NodeId::from("g"), NodeId::from("y"), Op::Mul));
    edges.push(Edge::new(NodeId::from("g"), NodeId::from("z"), Op::Mul));
    room.write(&edited).unwrap();
    assert_eq!(meaning(&room.document().unwrap()), meaning(&edited));
}
