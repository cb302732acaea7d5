//! A room in the editor: two editor windows on one room on loopback. The
//! other's edit appears on the canvas, their selection is ringed with their
//! name, and Ctrl+Z after the other's edit undoes one's own change only.
#![cfg(feature = "gui")]

use std::time::{Duration, Instant};

use crate::common::ui::{editor, editor_on, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kpitree::model::{Edit, Field, NodeId};
use kpitree::ui::KpiApp;

const SALES: &str = r#"{
  "format": "kpitree", "version": 1, "title": "ルーム",
  "nodes": [
    { "id": "kgi", "kind": "KGI", "name": "売上", "unit": "万円" },
    { "id": "cust", "kind": "KPI", "name": "顧客数", "unit": "社", "target": 120, "actual": 80 },
    { "id": "price", "kind": "KPI", "name": "客単価", "unit": "万円/社", "target": 100, "actual": 90 }
  ],
  "edges": [ { "parent": "kgi", "child": "cust", "op": "*" }, { "parent": "kgi", "child": "price", "op": "*" } ]
}"#;

/// Runs both windows' frames until `done` holds (or fails after a while).
fn until(
    a: &mut Harness<'static, KpiApp>,
    b: &mut Harness<'static, KpiApp>,
    what: &str,
    done: impl Fn(&KpiApp, &KpiApp) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while !done(a.state(), b.state()) {
        assert!(Instant::now() < deadline, "never: {what}");
        a.run_steps(1);
        b.run_steps(1);
        std::thread::sleep(Duration::from_millis(10));
    }
    settle(a);
    settle(b);
}

fn name_of(app: &KpiApp, id: &str) -> String {
    app.document().node(&NodeId::from(id)).map(|n| n.name.clone()).unwrap_or_default()
}

#[test]
fn a_room_shows_the_others_edits_and_selection_and_undo_is_ones_own() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = editor_on(dir.path(), "room.kpitree.json", SALES);
    let (addr, code) = a.state_mut().host_room_for_test("Aki").unwrap();
    let mut b = editor(None, &dir.path().join("b"), std::process::id().wrapping_add(1));
    b.state_mut().join_room_for_test("Ben", &addr, &code).unwrap();
    settle(&mut b);
    assert_eq!(name_of(b.state(), "cust"), "顧客数", "B has the room's tree");
    until(&mut a, &mut b, "both see each other", |a, b| {
        a.room_people_for_test() == ["Aki", "Ben"] && b.room_people_for_test() == ["Ben", "Aki"]
    });
    assert!(a.query_all_by_label("Ben").next().is_some(), "the bottom line names the people");

    // B renames a card: it appears on A's canvas.
    b.state_mut().apply(vec![Edit::SetField(NodeId::from("cust"), Field::Name("新規顧客数".into()))]);
    until(&mut a, &mut b, "A has B's rename", |a, _| name_of(a, "cust") == "新規顧客数");
    assert!(a.query_by_label_contains("新規顧客数").is_some(), "on A's canvas");

    // B selects a card: A rings it with B's name.
    b.state_mut().select_for_test(NodeId::from("price"));
    until(&mut a, &mut b, "A rings B's selection", |a, _| {
        a.presence_for_test() == [(NodeId::from("price"), "Ben".to_owned())]
    });

    // A changes a target, then B renames the goal; A's Ctrl+Z takes back
    // A's target only.
    a.state_mut().apply(vec![Edit::SetField(NodeId::from("price"), Field::Target(Some(150.0)))]);
    until(&mut a, &mut b, "B has A's target", |_, b| {
        b.document().node(&NodeId::from("price")).and_then(|n| n.target) == Some(150.0)
    });
    b.state_mut().apply(vec![Edit::SetField(NodeId::from("kgi"), Field::Name("売上高".into()))]);
    until(&mut a, &mut b, "A has B's goal name", |a, _| name_of(a, "kgi") == "売上高");
    a.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    until(&mut a, &mut b, "both have A's undo", |a, b| {
        [a, b].iter().all(|x| x.document().node(&NodeId::from("price")).and_then(|n| n.target) == Some(100.0))
    });
    assert_eq!(name_of(a.state(), "kgi"), "売上高", "B's change stays after A's undo");
    assert_eq!(name_of(a.state(), "cust"), "新規顧客数");

    // A leads: B's view goes to what A sees, and follows A's moves.
    a.state_mut().zoom_to(&NodeId::from("price"));
    settle(&mut a);
    a.state_mut().follow_me_for_test(true);
    let near = |x: egui::Rect, y: egui::Rect| (x.center() - y.center()).length() < 2.0;
    until(&mut a, &mut b, "B's view follows A's", |a, b| near(a.visible_diagram_rect(), b.visible_diagram_rect()));
    assert!(b.query_by_label_contains("leads the view").is_some());
    a.state_mut().zoom_to(&NodeId::from("kgi"));
    until(&mut a, &mut b, "B follows A's next move", |a, b| near(a.visible_diagram_rect(), b.visible_diagram_rect()));
    a.state_mut().follow_me_for_test(false);
    until(&mut a, &mut b, "B free again", |_, b| b.room_leader_for_test().is_none());
}

#[test]
fn file_merge_takes_in_another_copy_of_the_room_as_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let doc = kpitree::io::from_str(SALES, "sales").unwrap();
    let state = kpitree::collab::Room::from_document(&doc, 7).unwrap().snapshot().unwrap();
    let (a, b) = (dir.path().join("a.kpitree.json"), dir.path().join("b.kpitree.json"));
    // Two copies of one room state, edited apart.
    for (path, name) in [(&a, "顧客数A"), (&b, "顧客数B")] {
        let mut d = doc.clone();
        if path == &b {
            d.nodes.get_mut_by_id("price").unwrap().target = Some(111.0);
        } else {
            d.nodes.get_mut_by_id("cust").unwrap().name = name.into();
        }
        kpitree::io::save(path, &d).unwrap();
        std::fs::write(kpitree::collab::relay::state_path(path), &state).unwrap();
    }
    let mut h = editor(Some(a.clone()), &dir.path().join("data"), std::process::id());
    h.state_mut().merge_from(&b);
    settle(&mut h);
    let merged = h.state().document().clone();
    assert_eq!(merged.node(&NodeId::from("cust")).unwrap().name, "顧客数A", "this copy's edit");
    assert_eq!(merged.node(&NodeId::from("price")).unwrap().target, Some(111.0), "the other's edit");
    assert!(h.query_by_label_contains("Merged").is_some(), "a note says so");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut h);
    assert_eq!(h.state().document().node(&NodeId::from("price")).unwrap().target, Some(100.0), "one undo step");
    // A copy without its room state: said why.
    let lone = dir.path().join("lone.kpitree.json");
    kpitree::io::save(&lone, &doc).unwrap();
    h.state_mut().merge_from(&lone);
    settle(&mut h);
    assert!(h.query_by_label_contains("synced from one room").is_some());
}
