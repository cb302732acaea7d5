//! The canvas: dragging cards onto cards and between siblings, collapsing,
//! the minimap, pasting, and the session's dirty state, driven with
//! egui_kittest as a user would.
#![cfg(feature = "gui")]

use crate::common::ui::{drag, editor_on, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kpitree::model::NodeId;
use kpitree::ui::KpiApp;

/// 売上 = a × b × c, laid out automatically (no positions in the file).
const THREE_TERMS: &str = r#"{
  "format": "kpitree", "version": 1, "title": "キャンバス",
  "nodes": [
    { "id": "kgi", "kind": "KGI", "name": "売上", "unit": "万円", "target": 1000, "deadline": "2027-03-31" },
    { "id": "a", "kind": "KPI", "name": "項A", "unit": "件", "target": 10, "actual": 8 },
    { "id": "b", "kind": "KPI", "name": "項B", "unit": "件", "target": 10, "actual": 9 },
    { "id": "c", "kind": "KPI", "name": "項C", "unit": "件", "target": 10, "actual": 7 }
  ],
  "edges": [
    { "parent": "kgi", "child": "a", "op": "*" },
    { "parent": "kgi", "child": "b", "op": "*" },
    { "parent": "kgi", "child": "c", "op": "*" }
  ]
}"#;

fn rect(h: &Harness<'static, KpiApp>, id: &str) -> egui::Rect {
    let ctx = h.ctx.clone();
    h.state().card_screen_rect(&ctx, &NodeId::from(id)).unwrap_or_else(|| panic!("{id} is on screen"))
}

fn terms(h: &Harness<'static, KpiApp>, parent: &str) -> Vec<String> {
    let doc = h.state().document();
    doc.edges.iter().filter(|e| e.parent.as_str() == parent).map(|e| e.child.to_string()).collect()
}

#[test]
fn dragging_a_card_onto_another_makes_it_that_cards_term() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor_on(dir.path(), "three.kpitree.json", THREE_TERMS);
    let (c, a) = (rect(&h, "c"), rect(&h, "a"));
    drag(&mut h, c.center(), a.center());
    assert_eq!(terms(&h, "a"), ["c"], "c is now a term of a");
    assert_eq!(terms(&h, "kgi"), ["a", "b"], "and no longer of the goal");
    // The layout follows: c sits right of a.
    settle(&mut h);
    let (a, c) = (rect(&h, "a"), rect(&h, "c"));
    assert!(c.min.x > a.max.x, "{c:?} right of {a:?}");
    // One undo step brings it back.
    h.state_mut().undo();
    settle(&mut h);
    assert_eq!(terms(&h, "kgi"), ["a", "b", "c"]);
}

#[test]
fn dragging_a_card_between_its_siblings_reorders_the_terms() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor_on(dir.path(), "three.kpitree.json", THREE_TERMS);
    let (a, b, c) = (rect(&h, "a"), rect(&h, "b"), rect(&h, "c"));
    assert!(a.max.y <= b.min.y && b.max.y <= c.min.y, "terms top to bottom in order");
    // Into the gap between a and b.
    let gap = egui::pos2(a.center().x, (a.max.y + b.min.y) / 2.0);
    drag(&mut h, c.center(), gap);
    assert_eq!(terms(&h, "kgi"), ["a", "c", "b"]);
}

#[test]
fn a_card_dropped_on_empty_canvas_is_detached_in_automatic_layout() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor_on(dir.path(), "three.kpitree.json", THREE_TERMS);
    let c = rect(&h, "c");
    drag(&mut h, c.center(), c.center() + egui::vec2(0.0, 260.0));
    assert_eq!(terms(&h, "kgi"), ["a", "b"]);
    assert!(h.state().document().node(&NodeId::from("c")).is_some(), "the card stays, on its own");
}

#[test]
fn a_goal_cannot_be_dropped_onto_its_term() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor_on(dir.path(), "three.kpitree.json", THREE_TERMS);
    let before = h.state().document().clone();
    let (kgi, a) = (rect(&h, "kgi"), rect(&h, "a"));
    drag(&mut h, kgi.center(), a.center());
    assert_eq!(h.state().document(), &before, "a KGI is never a term, and a drop closing a cycle is refused");
}

#[test]
fn collapsing_hides_the_subtree_and_shows_how_many_it_hides() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor_on(dir.path(), "three.kpitree.json", THREE_TERMS);
    assert!(h.query_by_label("項A").is_some(), "the term is on the canvas");
    // The chevron in the goal card's top right corner.
    let kgi = rect(&h, "kgi");
    let chevron = egui::pos2(kgi.max.x - 10.0, kgi.min.y + 10.0);
    h.hover_at(chevron);
    h.run_steps(1);
    h.get_by_label("売上").hover();
    crate::common::ui::click_at(&mut h, chevron, egui::Modifiers::NONE);
    settle(&mut h);
    assert!(h.state().document().node(&NodeId::from("kgi")).unwrap().collapsed, "saved in the document");
    let diagram = h.state().derived().map(|d| std::sync::Arc::clone(&d.diagram)).unwrap();
    assert_eq!(diagram.card(&NodeId::from("kgi")).and_then(|c| c.collapsed), Some(3), "＋3 on the card");
    assert!(diagram.card(&NodeId::from("a")).is_none(), "the terms are not drawn");
    let ctx = h.ctx.clone();
    assert!(h.state().card_screen_rect(&ctx, &NodeId::from("a")).is_none(), "nor hit-testable");
    assert!(h.query_by_label("項A").is_none());
}

#[test]
fn clicking_the_minimap_moves_the_view_there() {
    let dir = tempfile::tempdir().unwrap();
    let big = kpitree::io::to_json_string(&kpitree::model::generate::tree(300, 3));
    let mut h = editor_on(dir.path(), "big.kpitree.json", &big);
    let first = h.state().document().nodes[0].id.clone();
    h.state_mut().zoom_to(&first);
    settle(&mut h);
    let (map, shows) = h.state().minimap_rects().expect("part of the tree is out of view: the minimap is shown");
    let before = h.state().visible_diagram_rect();
    // Click near the bottom of the minimap: the view jumps down the tree.
    let at = egui::pos2(map.center().x, map.max.y - 4.0);
    crate::common::ui::click_at(&mut h, at, egui::Modifiers::NONE);
    h.run_steps(3);
    let after = h.state().visible_diagram_rect();
    assert!(after.center().y > before.center().y + 500.0, "{before:?} → {after:?}");
    let wanted = shows.min.y + (at.y - map.min.y) / map.height() * shows.height();
    assert!((after.center().y - wanted).abs() < 50.0, "centred where clicked: {} vs {wanted}", after.center().y);
}

#[test]
fn pasted_nodes_without_positions_are_drawn_in_free_placement() {
    let dir = tempfile::tempdir().unwrap();
    // A file with positions: free placement.
    let placed = r#"{"format":"kpitree","version":1,"nodes":[
        {"id":"kgi","kind":"KGI","name":"売上","pos":[0,0]}],"edges":[]}"#;
    let mut h = editor_on(dir.path(), "placed.kpitree.json", placed);
    let copied = r#"{"format":"kpitree","version":1,"nodes":[
        {"id":"x","kind":"KPI","name":"貼り付けた"},{"id":"y","kind":"KPI","name":"もう一つ"}],
        "edges":[{"parent":"x","child":"y","op":"+"}]}"#;
    h.event(egui::Event::Paste(copied.to_owned()));
    settle(&mut h);
    for id in ["x", "y"] {
        let r = rect(&h, id);
        let kgi = rect(&h, "kgi");
        assert!(!r.intersects(kgi), "{id} is not hidden under another card");
    }
}

#[test]
fn a_plain_drag_after_a_shift_selection_moves_only_the_card_dragged() {
    let dir = tempfile::tempdir().unwrap();
    let placed = r#"{"format":"kpitree","version":1,"nodes":[
        {"id":"a","kind":"KPI","name":"A","pos":[0,0]},
        {"id":"b","kind":"KPI","name":"B","pos":[0,200]},
        {"id":"c","kind":"KPI","name":"C","pos":[0,400]}],"edges":[]}"#;
    let mut h = editor_on(dir.path(), "free.kpitree.json", placed);
    for id in ["a", "b"] {
        let at = rect(&h, id).center();
        crate::common::ui::click_at(&mut h, at, egui::Modifiers::SHIFT);
        h.run_steps(2);
    }
    assert_eq!(h.state().selection().len(), 2);
    // A click on c selects c alone; dragging it moves c and nothing else.
    let at = rect(&h, "c").center();
    crate::common::ui::click_at(&mut h, at, egui::Modifiers::NONE);
    settle(&mut h);
    assert_eq!(h.state().selection(), [NodeId::from("c")]);
    let c = rect(&h, "c");
    assert_eq!(c.center(), at, "a click does not move the view");
    drag(&mut h, c.center(), c.center() + egui::vec2(300.0, 0.0));
    let doc = h.state().document();
    let pos = |id: &str| doc.node(&NodeId::from(id)).unwrap().pos.unwrap();
    assert_eq!(pos("a"), [0.0, 0.0]);
    assert_eq!(pos("b"), [0.0, 200.0]);
    assert!(pos("c")[0] > 100.0, "c moved: {:?}", pos("c"));
}

#[test]
fn every_glyph_the_canvas_draws_is_in_the_bundled_font() {
    // The texts of the canvas's marks and labels (names come from the user).
    let measure = kpitree::export::Measure::get();
    for text in
        ["KGI", "KSF", "KPI", "=", "!", "仮", "if", "＋", "…", "0123456789%", "目標実績", "Target", "Actual", "+−×÷"]
    {
        for c in text.chars() {
            assert!(measure.has_glyph(c), "{c:?} of {text:?} is not in BIZ UDPGothic");
        }
    }
    assert!(!measure.has_glyph('✎'), "the check can fail: ✎ is not in the font");
}

/// Far out, the overview is drawn from a picture (on its own thread), a
/// click on a box still selects its card, and the selection shows over the
/// picture; zoomed in to cards, no picture is used.
#[test]
fn the_overview_comes_from_a_picture_and_its_boxes_still_answer_clicks() {
    let dir = tempfile::tempdir().unwrap();
    let big = kpitree::io::to_json_string(&kpitree::model::generate::tree(2_000, 3));
    let mut h = editor_on(dir.path(), "big.kpitree.json", &big);
    settle(&mut h);
    assert!(h.state().showing_overview(), "2,000 nodes at Fit are overview boxes");
    // A frame asks for the picture, its worker draws it, the next frame shows it.
    for _ in 0..4 {
        h.run_steps(1);
        if h.state().overview_from_picture() {
            break;
        }
        kpitree::pipeline::wait_for_workers();
    }
    assert!(h.state().overview_from_picture(), "the picture arrives and is drawn");
    let goal = h.state().document().nodes[0].id.clone();
    let ctx = h.ctx.clone();
    let r = h.state().card_screen_rect(&ctx, &goal).expect("the goal is in view");
    crate::common::ui::click_at(&mut h, r.center(), egui::Modifiers::NONE);
    h.run_steps(2);
    assert_eq!(h.state().selection(), std::slice::from_ref(&goal));
    assert!(h.state().overview_from_picture(), "a selection does not need a new picture");
    h.state_mut().zoom_to(&goal);
    h.run_steps(2);
    assert!(!h.state().showing_overview() && !h.state().overview_from_picture());
}

#[test]
fn a_small_tree_opens_fitted_and_fills_the_canvas() {
    let dir = tempfile::tempdir().unwrap();
    let h = editor_on(dir.path(), "three.kpitree.json", THREE_TERMS);
    assert!(h.state().canvas_zoom() > 1.2, "fit zooms in on four cards: {}", h.state().canvas_zoom());
    assert!(h.state().canvas_zoom() <= 2.5 + 1e-4);
}

#[test]
fn selecting_a_card_and_a_smaller_window_keep_the_zoom() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor_on(dir.path(), "three.kpitree.json", THREE_TERMS);
    let zoom = h.state().canvas_zoom();
    let a = rect(&h, "a");
    crate::common::ui::click_at(&mut h, a.center(), egui::Modifiers::NONE);
    settle(&mut h);
    assert_eq!(h.state().selected().map(|id| id.as_str()), Some("a"));
    assert!((h.state().canvas_zoom() - zoom).abs() < 1e-4, "selecting keeps the zoom");
    h.set_size(egui::vec2(1100.0, 700.0));
    settle(&mut h);
    assert!((h.state().canvas_zoom() - zoom).abs() < 1e-4, "a smaller canvas shows less, not smaller cards");
}

#[test]
fn a_wire_dropped_on_empty_canvas_offers_only_allowed_kinds_and_names_the_new_card() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor_on(dir.path(), "three.kpitree.json", THREE_TERMS);
    let ctx = h.ctx.clone();
    let (_, handle) = h.state().pin_positions(&ctx, &NodeId::from("a")).expect("a is on screen");
    let empty = handle + egui::vec2(200.0, 0.0);
    drag(&mut h, handle, empty);
    assert!(h.query_by_label("Create connected").is_some(), "the menu of a wire dropped on empty canvas");
    // The toolbar has one of each; the menu adds a KPI button, no KSF.
    assert_eq!(h.query_all_by_label("+ KSF").count(), 1, "a KSF never stands below a KPI");
    assert_eq!(h.query_all_by_label("+ KPI").count(), 2);
    h.query_all_by_label("+ KPI").max_by(|a, b| a.rect().min.x.total_cmp(&b.rect().min.x)).unwrap().click();
    settle(&mut h);
    assert_eq!(terms(&h, "a").len(), 1, "the new KPI is a term of a");
    h.event(egui::Event::Text("架電時間".into()));
    settle(&mut h);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let new = terms(&h, "a")[0].clone();
    assert_eq!(
        h.state().document().node(&NodeId::from(new.as_str())).unwrap().name,
        "架電時間",
        "named as it was made"
    );
}

fn right_click(h: &mut Harness<'static, KpiApp>, at: egui::Pos2) {
    h.hover_at(at);
    for pressed in [true, false] {
        h.event(egui::Event::PointerButton {
            pos: at,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    settle(h);
}

#[test]
fn the_card_menu_runs_the_commands_of_the_table_on_the_selection() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor_on(dir.path(), "three.kpitree.json", THREE_TERMS);
    // A card outside the selection: the menu acts on it.
    let b = rect(&h, "b").center();
    right_click(&mut h, b);
    assert_eq!(h.state().selection(), [NodeId::from("b")]);
    assert!(h.query_by_label_contains("Delete").is_some(), "the table's label");
    h.get_by_label_contains("Add a term").click();
    settle(&mut h);
    assert_eq!(terms(&h, "b").len(), 1, "Add a term, as Tab does");
    h.event(egui::Event::Text("訪問数".into()));
    settle(&mut h);
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    let new = terms(&h, "b")[0].clone();
    assert_eq!(h.state().document().node(&NodeId::from(new.as_str())).unwrap().name, "訪問数", "and named at once");
    // Two cards selected, right-click one of them: Delete removes both.
    let (a, c) = (rect(&h, "a").center(), rect(&h, "c").center());
    crate::common::ui::click_at(&mut h, a, egui::Modifiers::NONE);
    settle(&mut h);
    crate::common::ui::click_at(&mut h, c, egui::Modifiers::SHIFT);
    settle(&mut h);
    right_click(&mut h, c);
    h.get_by_label_contains("Delete").click();
    settle(&mut h);
    let ids: Vec<String> = h.state().document().nodes.iter().map(|n| n.id.to_string()).collect();
    assert!(!ids.contains(&"a".to_owned()) && !ids.contains(&"c".to_owned()), "{ids:?}");
    assert!(ids.contains(&"b".to_owned()));
}

/// Three cards placed freely, top to bottom, none a term of another.
const FREE: &str = r#"{"format":"kpitree","version":1,"nodes":[
    {"id":"a","kind":"KPI","name":"A","pos":[0,0]},
    {"id":"b","kind":"KPI","name":"B","pos":[0,200]},
    {"id":"c","kind":"KPI","name":"C","pos":[0,400]}],"edges":[]}"#;

/// Every node's id and position, in document order.
fn placed(h: &Harness<'static, KpiApp>) -> Vec<(String, Option<[f64; 2]>)> {
    h.state().document().nodes.iter().map(|n| (n.id.to_string(), n.pos)).collect()
}

/// Presses on `from` and moves halfway to `to`, frame by frame.
fn start_drag(h: &mut Harness<'static, KpiApp>, from: egui::Pos2, to: egui::Pos2) {
    h.drag_at(from);
    h.run_steps(2);
    for k in 1..=5 {
        h.hover_at(from + (to - from) * (k as f32 / 10.0));
        h.run_steps(1);
    }
}

/// Moves the rest of the way to `to` and releases there.
fn finish_drag(h: &mut Harness<'static, KpiApp>, from: egui::Pos2, to: egui::Pos2) {
    for k in 6..=10 {
        h.hover_at(from + (to - from) * (k as f32 / 10.0));
        h.run_steps(1);
    }
    h.drop_at(to);
    settle(h);
}

/// Lets the worker's answer to the last edit arrive while the pointer is
/// still down (no pointer events in between).
fn new_diagram_mid_drag(h: &mut Harness<'static, KpiApp>) {
    h.run_steps(1);
    h.state_mut().settle();
    h.run_steps(2);
}

/// Delete while the selected card is being dragged: the new diagram lacks
/// the card, so the drag ends there. It used to go on with the card at the
/// dragged card's old place in the list (the next card, dropped where the
/// deleted one would have gone) or past its end (a panic).
#[test]
fn deleting_the_dragged_card_mid_drag_ends_the_drag_and_moves_no_other_card() {
    for dragged in ["b", "c"] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = editor_on(dir.path(), "free.kpitree.json", FREE);
        let before = placed(&h);
        let from = rect(&h, dragged).center();
        crate::common::ui::click_at(&mut h, from, egui::Modifiers::NONE);
        settle(&mut h);
        assert_eq!(h.state().selection(), [NodeId::from(dragged)]);
        let to = from + egui::vec2(300.0, 0.0);
        start_drag(&mut h, from, to);
        h.key_press(egui::Key::Delete);
        new_diagram_mid_drag(&mut h);
        assert!(h.state().document().node(&NodeId::from(dragged)).is_none(), "{dragged} is deleted");
        finish_drag(&mut h, from, to);
        let kept: Vec<_> = before.iter().filter(|(id, _)| id != dragged).cloned().collect();
        assert_eq!(placed(&h), kept, "dragging {dragged}: the other cards stay where they were");
        assert!(h.state().document().edges.is_empty());
        // One step to undo (the delete), and the card is back where it was.
        h.state_mut().undo();
        settle(&mut h);
        assert_eq!(placed(&h), before, "dragging {dragged}: the drop made no step of its own");
    }
}

/// Ctrl+Z mid-drag brings back a card before the dragged one: the dragged
/// card's place in the diagram's list changes, and the drag goes on with it,
/// not with the card that now has its old place.
#[test]
fn an_undo_mid_drag_keeps_dragging_the_same_card() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = editor_on(dir.path(), "free.kpitree.json", FREE);
    let a = rect(&h, "a").center();
    crate::common::ui::click_at(&mut h, a, egui::Modifiers::NONE);
    settle(&mut h);
    h.key_press(egui::Key::Delete);
    settle(&mut h);
    assert!(h.state().document().node(&NodeId::from("a")).is_none());
    let from = rect(&h, "c").center();
    let to = from + egui::vec2(300.0, 0.0);
    start_drag(&mut h, from, to);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    new_diagram_mid_drag(&mut h);
    assert!(h.state().document().node(&NodeId::from("a")).is_some(), "the undo brought a back");
    finish_drag(&mut h, from, to);
    let doc = h.state().document();
    let pos = |id: &str| doc.node(&NodeId::from(id)).unwrap().pos.unwrap();
    assert_eq!(pos("a"), [0.0, 0.0]);
    assert_eq!(pos("b"), [0.0, 200.0], "b was not dragged");
    assert!(pos("c")[0] > 100.0 && pos("c")[1] == 400.0, "c was: {:?}", pos("c"));
}

/// Escape, or the window losing the keyboard, mid-drag: the drag ends and
/// the release drops nothing.
#[test]
fn escape_or_focus_loss_mid_drag_cancels_the_drag() {
    type Cancel = fn(&mut Harness<'static, KpiApp>);
    let cancels: [(&str, Cancel); 2] = [
        ("Escape", |h| h.key_press(egui::Key::Escape)),
        ("focus loss", |h| h.event(egui::Event::WindowFocused(false))),
    ];
    for (what, cancel) in cancels {
        let dir = tempfile::tempdir().unwrap();
        let mut h = editor_on(dir.path(), "free.kpitree.json", FREE);
        let before = placed(&h);
        let from = rect(&h, "b").center();
        let to = from + egui::vec2(300.0, 0.0);
        crate::common::ui::click_at(&mut h, from, egui::Modifiers::NONE);
        h.run_steps(2);
        assert_eq!(h.state().selected().map(NodeId::as_str), Some("b"));
        start_drag(&mut h, from, to);
        cancel(&mut h);
        h.run_steps(1);
        finish_drag(&mut h, from, to);
        assert_eq!(placed(&h), before, "{what}: nothing moved");
        assert!(!h.state().is_dirty(), "{what}: nothing changed");
        // The Escape that ends a drag ends only the drag.
        assert_eq!(h.state().selected().map(NodeId::as_str), Some("b"), "{what}: the selection stays");
    }
}

/// Tab adds a term and opens its name; Enter or Escape closes the name;
/// ← then walks from a node the worker has not laid out yet. It used to
/// look the new node's place in the document up in the last diagram's
/// links, past their end (a panic); now ← goes to the parent's card.
#[test]
fn arrows_from_a_new_term_the_diagram_does_not_show_yet_walk_to_its_parent() {
    const TITLE: &str = "held canvas walk";
    let file = THREE_TERMS.replace("キャンバス", TITLE);
    for end_name in [egui::Key::Enter, egui::Key::Escape] {
        let dir = tempfile::tempdir().unwrap();
        let mut h = editor_on(dir.path(), "three.kpitree.json", &file);
        h.state_mut().use_derive_job(crate::common::ui::gated);
        settle(&mut h);
        let a = rect(&h, "a").center();
        crate::common::ui::click_at(&mut h, a, egui::Modifiers::NONE);
        settle(&mut h);
        assert_eq!(h.state().selection(), [NodeId::from("a")]);
        let _gate = crate::common::ui::OpensOnDrop(TITLE);
        crate::common::ui::close_gate(TITLE);
        h.key_press(egui::Key::Tab);
        h.run_steps(3);
        let new = terms(&h, "a");
        assert_eq!(new.len(), 1, "Tab added a term of a");
        let new = NodeId::from(new[0].as_str());
        assert_eq!(h.state().selected(), Some(&new));
        let ctx = h.ctx.clone();
        assert!(h.state().card_screen_rect(&ctx, &new).is_none(), "the worker has not laid it out yet");
        h.key_press(end_name);
        h.run_steps(3);
        // →, ↑ and ↓ wait for the diagram; ← goes to the parent.
        for key in [egui::Key::ArrowRight, egui::Key::ArrowUp, egui::Key::ArrowDown] {
            h.key_press(key);
            h.run_steps(2);
            assert_eq!(h.state().selected(), Some(&new), "{end_name:?} then {key:?}");
        }
        h.key_press(egui::Key::ArrowLeft);
        h.run_steps(2);
        assert_eq!(h.state().selected(), Some(&NodeId::from("a")), "{end_name:?} then ←: the parent");
        crate::common::ui::open_gate(TITLE);
        settle(&mut h);
        assert!(h.state().card_screen_rect(&ctx, &new).is_some(), "laid out once the worker answers");
        h.key_press(egui::Key::ArrowRight);
        settle(&mut h);
        assert_eq!(h.state().selected(), Some(&new), "→ from a: its new term");
    }
}
