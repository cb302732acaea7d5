//! The workshop flow: building a tree from the keyboard alone, searching,
//! presenting, and the document's own properties.

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kpitree::model::{Kind, NodeId, Op};
use kpitree::ui::KpiApp;

use crate::common::ui::{editor_on, settle};

fn press(h: &mut Harness<'static, KpiApp>, key: Key) {
    h.key_press(key);
    settle(h);
}

fn press_with(h: &mut Harness<'static, KpiApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    settle(h);
}

fn type_text(h: &mut Harness<'static, KpiApp>, text: &str) {
    h.event(egui::Event::Text(text.to_owned()));
    settle(h);
}

fn start(dir: &std::path::Path) -> Harness<'static, KpiApp> {
    let one = r#"{"format":"kpitree","version":1,"nodes":[],"edges":[]}"#;
    let mut h = editor_on(dir, "empty.kpitree.json", one);
    h.state_mut().use_path_prompts();
    h
}

/// Ctrl+N, Enter, 商談数, Enter, Ctrl+Enter, 件, Tab, 100, Enter, Tab,
/// テレアポ数, Enter, Ctrl+Enter, 件, Tab, 5000, Tab, 4000, Enter, Enter,
/// アポイント獲得率, Enter, Ctrl+Enter, %, Tab, 2, Tab, 1.5, Enter.
fn build_meetings(h: &mut Harness<'static, KpiApp>) {
    press_with(h, Modifiers::COMMAND, Key::N);
    press(h, Key::Enter);
    type_text(h, "商談数");
    press(h, Key::Enter);
    press_with(h, Modifiers::COMMAND, Key::Enter);
    type_text(h, "件");
    press(h, Key::Tab);
    type_text(h, "100");
    press(h, Key::Enter);
    press(h, Key::Tab);
    type_text(h, "テレアポ数");
    press(h, Key::Enter);
    press_with(h, Modifiers::COMMAND, Key::Enter);
    type_text(h, "件");
    press(h, Key::Tab);
    type_text(h, "5000");
    press(h, Key::Tab);
    type_text(h, "4000");
    press(h, Key::Enter);
    press(h, Key::Enter);
    type_text(h, "アポイント獲得率");
    press(h, Key::Enter);
    press_with(h, Modifiers::COMMAND, Key::Enter);
    type_text(h, "%");
    press(h, Key::Tab);
    type_text(h, "2");
    press(h, Key::Tab);
    type_text(h, "1.5");
    press(h, Key::Enter);
}

#[test]
fn the_meetings_tree_is_built_with_keys_only() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    let doc = h.state().document().clone();
    assert_eq!(doc.nodes.len(), 3, "{:#?}", doc.nodes);
    let goal = &doc.nodes[0];
    assert_eq!((goal.kind, goal.name.as_str(), goal.unit_str(), goal.target), (Kind::Kgi, "商談数", "件", Some(100.0)));
    let calls = &doc.nodes[1];
    assert_eq!(
        (calls.kind, calls.name.as_str(), calls.unit_str(), calls.target, calls.actual),
        (Kind::Kpi, "テレアポ数", "件", Some(5000.0), Some(4000.0))
    );
    let rate = &doc.nodes[2];
    assert_eq!(
        (rate.name.as_str(), rate.unit_str(), rate.target, rate.actual),
        ("アポイント獲得率", "%", Some(2.0), Some(1.5))
    );
    let terms: Vec<(&str, &str, Op)> = doc.edges.iter().map(|e| (e.parent.as_str(), e.child.as_str(), e.op)).collect();
    assert_eq!(terms, [(goal.id.as_str(), calls.id.as_str(), Op::Mul), (goal.id.as_str(), rate.id.as_str(), Op::Mul)]);
    // The goal shows 100 件 / 60 件 / 60 %.
    let v = h.state().evaluation().and_then(|e| e.get(&goal.id)).copied().unwrap();
    assert_eq!((v.target, v.actual), (Some(100.0), Some(60.0)));
    assert!((v.progress.unwrap() - 0.6).abs() < 1e-9);
    // ← selects the goal, Space collapses it.
    assert_eq!(h.state().selected(), Some(&rate.id));
    press(&mut h, Key::ArrowLeft);
    assert_eq!(h.state().selected(), Some(&goal.id));
    press(&mut h, Key::Space);
    assert!(h.state().document().nodes[0].collapsed);
}

#[test]
fn the_arrows_walk_the_tree_and_operators_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    let ids: Vec<NodeId> = h.state().document().nodes.iter().map(|n| n.id.clone()).collect();
    press(&mut h, Key::ArrowUp);
    assert_eq!(h.state().selected(), Some(&ids[1]), "↑: the previous sibling");
    type_text(&mut h, "/");
    assert_eq!(h.state().document().edges[0].op, Op::Div, "/ sets the operator from the parent");
    press(&mut h, Key::ArrowDown);
    assert_eq!(h.state().selected(), Some(&ids[2]));
    press(&mut h, Key::ArrowLeft);
    press(&mut h, Key::ArrowRight);
    assert_eq!(h.state().selected(), Some(&ids[1]), "→: the first term");
}

#[test]
fn f2_selects_the_whole_name_so_typing_replaces_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    press(&mut h, Key::F2);
    type_text(&mut h, "アポ率");
    press(&mut h, Key::Enter);
    assert_eq!(h.state().document().nodes[2].name, "アポ率");
}

#[test]
fn search_jumps_to_the_second_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    press_with(&mut h, Modifiers::COMMAND, Key::F);
    type_text(&mut h, "アポ");
    press(&mut h, Key::Enter);
    let ids: Vec<NodeId> = h.state().document().nodes.iter().map(|n| n.id.clone()).collect();
    assert_eq!(h.state().selected(), Some(&ids[1]), "the first match: テレアポ数");
    press(&mut h, Key::Enter);
    assert_eq!(h.state().selected(), Some(&ids[2]), "the second match: アポイント獲得率");
    assert!(h.query_by_label("2 / 2").is_some());
    press_with(&mut h, Modifiers::SHIFT, Key::Enter);
    assert_eq!(h.state().selected(), Some(&ids[1]), "Shift+Enter goes back");
    press(&mut h, Key::Escape);
    assert!(h.query_by_label("2 / 2").is_none(), "Escape closes the search");
}

#[test]
fn presenting_steps_through_the_story_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let tree = r#"{"format":"kpitree","version":1,"nodes":[
        {"id":"kgi","kind":"KGI","name":"売上"},
        {"id":"ksf","kind":"KSF","name":"新規開拓"},
        {"id":"cust","kind":"KPI","name":"顧客数"},
        {"id":"calls","kind":"KPI","name":"テレアポ数"},
        {"id":"price","kind":"KPI","name":"客単価"},
        {"id":"up","kind":"KPI","name":"基本単価"}],
      "edges":[
        {"parent":"kgi","child":"cust","op":"*"},{"parent":"kgi","child":"price","op":"*"},
        {"parent":"kgi","child":"ksf","op":"link"},{"parent":"ksf","child":"calls","op":"link"},
        {"parent":"price","child":"up","op":"+"}]}"#;
    let mut h = editor_on(dir.path(), "story.kpitree.json", tree);
    press(&mut h, Key::F5);
    assert!(h.state().presenting_step().is_none(), "it starts with the whole tree");
    assert!(h.state().minimap_rects().is_none(), "no minimap while presenting");
    let mut visited = Vec::new();
    for k in 0..4 {
        press(&mut h, Key::ArrowRight);
        visited.push(h.state().presenting_step().map(|id| id.to_string()).unwrap_or_default());
        if k < 3 {
            assert!(h.query_by_label_contains(&format!("{} / 3", k + 1)).is_some(), "the step counter says {}", k + 1);
        }
        // The step's card and all its terms are in view.
        let step = h.state().presenting_step().cloned().unwrap();
        let doc = h.state().document().clone();
        let ctx = h.ctx.clone();
        let canvas = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1400.0, 900.0));
        for id in
            std::iter::once(step.clone()).chain(doc.edges.iter().filter(|e| e.parent == step).map(|e| e.child.clone()))
        {
            let r = h.state().card_screen_rect(&ctx, &id).expect("on screen");
            assert!(canvas.contains_rect(r), "step {step}: {id} fully in view at {r:?}");
        }
    }
    assert_eq!(visited, ["kgi", "price", "ksf", "ksf"], "depth first, cards with terms; it stops at the end");
    press(&mut h, Key::Escape);
    assert!(h.state().presenting_step().is_none());
    assert!(h.query_by_label("File").is_some(), "the editor is back");
}

#[test]
fn the_document_properties_set_the_title_and_the_export_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    press(&mut h, Key::Escape);
    assert!(h.state().selected().is_none(), "Escape clears the selection: the inspector edits the document");
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Title").click();
    h.run_steps(2);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Title").type_text("商談計画");
    settle(&mut h);
    assert_eq!(h.state().document().title.as_deref(), Some("商談計画"));
    let out = dir.path().join("plan.svg");
    h.state_mut().set_export(out.to_str().unwrap(), kpitree::export::ExportOptions::default());
    h.state_mut().export_now();
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("商談計画"), "the title is printed on the export");
}

#[test]
fn tab_in_the_inspector_goes_down_the_fields_one_press_each() {
    use egui::accesskit::Role;
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    // The goal is selected; its fields are in the inspector.
    press(&mut h, Key::ArrowLeft);
    assert!(h.state().selected().is_some());
    h.get_by_role_and_label(Role::TextInput, "Name").click();
    settle(&mut h);
    let order = ["Name", "Unit", "Target", "Actual"];
    for pair in order.windows(2) {
        assert!(h.get_by_role_and_label(Role::TextInput, pair[0]).is_focused(), "{} has the keyboard", pair[0]);
        press(&mut h, Key::Tab);
        assert!(
            h.get_by_role_and_label(Role::TextInput, pair[1]).is_focused(),
            "one Tab from {} to {}",
            pair[0],
            pair[1]
        );
    }
}

/// Puts `events` into one frame, as a fast typist or a loaded machine
/// delivers them, and lets the editor settle.
fn burst(h: &mut Harness<'static, KpiApp>, events: Vec<egui::Event>) {
    h.input_mut().events.extend(events);
    h.step();
    settle(h);
}

fn key_event(key: Key, modifiers: Modifiers) -> [egui::Event; 2] {
    [
        egui::Event::Key { key, physical_key: None, pressed: true, repeat: false, modifiers },
        egui::Event::Key { key, physical_key: None, pressed: false, repeat: false, modifiers },
    ]
}

fn text_event(text: &str) -> egui::Event {
    egui::Event::Text(text.to_owned())
}

#[test]
fn keys_typed_in_one_frame_after_tab_land_in_the_field_they_were_typed_for() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    press(&mut h, Key::ArrowUp);
    let calls = h.state().selected().cloned().unwrap();
    press_with(&mut h, Modifiers::COMMAND, Key::Enter);
    // Unit has the keyboard: Tab, 25, Tab, 20, Enter all in one frame.
    let mut events = Vec::new();
    events.extend(key_event(Key::Tab, Modifiers::NONE));
    events.push(text_event("25"));
    events.extend(key_event(Key::Tab, Modifiers::NONE));
    events.push(text_event("20"));
    events.extend(key_event(Key::Enter, Modifiers::NONE));
    burst(&mut h, events);
    let node = h.state().document().node(&calls).unwrap().clone();
    assert_eq!((node.unit_str(), node.target, node.actual), ("件", Some(25.0), Some(20.0)));
}

#[test]
fn the_value_editor_opened_and_filled_in_one_frame_keeps_every_key() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    let rate = h.state().selected().cloned().unwrap();
    let mut events = Vec::new();
    events.extend(key_event(Key::Enter, Modifiers::COMMAND));
    events.push(text_event("‰"));
    events.extend(key_event(Key::Tab, Modifiers::NONE));
    events.push(text_event("7"));
    events.extend(key_event(Key::Tab, Modifiers::NONE));
    events.push(text_event("6"));
    events.extend(key_event(Key::Enter, Modifiers::NONE));
    burst(&mut h, events);
    let node = h.state().document().node(&rate).unwrap().clone();
    assert_eq!((node.unit_str(), node.target, node.actual), ("‰", Some(7.0), Some(6.0)));
}

#[test]
fn one_ctrl_enter_edit_of_unit_target_and_actual_is_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    let rate = h.state().selected().cloned().unwrap();
    let before = h.state().document().node(&rate).unwrap().clone();
    press_with(&mut h, Modifiers::COMMAND, Key::Enter);
    type_text(&mut h, "‰");
    press(&mut h, Key::Tab);
    type_text(&mut h, "7");
    press(&mut h, Key::Tab);
    type_text(&mut h, "6");
    press(&mut h, Key::Enter);
    assert_eq!(h.state().document().node(&rate).unwrap().target, Some(7.0));
    press_with(&mut h, Modifiers::COMMAND, Key::Z);
    let after = h.state().document().node(&rate).unwrap().clone();
    assert_eq!((after.unit_str(), after.target, after.actual), (before.unit_str(), before.target, before.actual));
}

#[test]
fn a_name_typed_in_the_same_burst_as_the_tab_that_made_its_card_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    press(&mut h, Key::ArrowLeft);
    let mut events = Vec::new();
    events.extend(key_event(Key::Tab, Modifiers::NONE));
    events.push(text_event("架電時間"));
    events.extend(key_event(Key::Enter, Modifiers::NONE));
    burst(&mut h, events);
    let doc = h.state().document();
    assert_eq!(doc.nodes.len(), 4);
    assert_eq!(doc.nodes[3].name, "架電時間");
}

#[test]
fn typing_on_a_selected_card_renames_it_starting_with_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = start(dir.path());
    build_meetings(&mut h);
    let rate = h.state().selected().cloned().unwrap();
    type_text(&mut h, "ア");
    type_text(&mut h, "ポ率");
    press(&mut h, Key::Enter);
    assert_eq!(h.state().document().node(&rate).unwrap().name, "アポ率");
    // Space still collapses (and types nothing); + still sets the operator.
    press(&mut h, Key::ArrowLeft);
    let goal = h.state().selected().cloned().unwrap();
    let name = h.state().document().node(&goal).unwrap().name.clone();
    burst(&mut h, vec![key_event(Key::Space, Modifiers::NONE)[0].clone(), text_event(" ")]);
    assert!(h.state().document().node(&goal).unwrap().collapsed);
    assert_eq!(h.state().document().node(&goal).unwrap().name, name, "the space typed nothing");
}
