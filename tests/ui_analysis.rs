//! Analysis in the editor: the bottleneck ranking, 逆算 in the inspector and
//! a what-if override, driven through the accessibility tree.
#![cfg(feature = "gui")]

use crate::common::ui::{editor_on, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kpitree::model::NodeId;
use kpitree::ui::KpiApp;

/// 商談数 = テレアポ数 × アポ率: 100 件 wanted at 2 %, テレアポ数 has no target yet.
const MEETINGS: &str = r#"{
  "format": "kpitree", "version": 1, "title": "分析テスト",
  "nodes": [
    { "id": "meet", "kind": "KGI", "name": "商談数", "unit": "件", "target": 100, "deadline": "2027-03-31" },
    { "id": "calls", "kind": "KPI", "name": "テレアポ数", "unit": "件", "target": 4000, "actual": 3000 },
    { "id": "rate", "kind": "KPI", "name": "アポ率", "unit": "%", "target": 2, "actual": 2 }
  ],
  "edges": [ { "parent": "meet", "child": "calls", "op": "*" }, { "parent": "meet", "child": "rate", "op": "*" } ]
}"#;

/// Selects テレアポ数 by clicking its row in the bottleneck ranking.
fn select_from_ranking(harness: &mut Harness<'static, KpiApp>) {
    harness.get_by_label("Analysis").click();
    settle(harness);
    harness.get_by_label_contains("1. テレアポ数").click();
    settle(harness);
    assert_eq!(harness.state().selected().map(NodeId::as_str), Some("calls"));
}

fn target_of(harness: &Harness<'static, KpiApp>, id: &str) -> Option<f64> {
    harness.state().document().node(&NodeId::from(id)).and_then(|n| n.target)
}

#[test]
fn the_analysis_tab_ranks_the_bottleneck() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "meetings.kpitree.json", MEETINGS);
    harness.get_by_label("Analysis").click();
    settle(&mut harness);
    // テレアポ数 reaching 4,000 gains 20 件 (3,000 × 2 % = 60 → 80).
    assert!(harness.query_by_label_contains("1. テレアポ数  +20 件").is_some());
}

#[test]
fn allocating_in_the_inspector_sets_the_term_target_and_undoes() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "meetings.kpitree.json", MEETINGS);
    select_from_ranking(&mut harness);
    // 100 件 at 2 % needs 5,000 calls.
    harness.get_by_label_contains("商談数 → Target 5,000 件").click();
    settle(&mut harness);
    assert_eq!(target_of(&harness, "calls"), Some(5000.0));
    harness.state_mut().undo();
    settle(&mut harness);
    assert_eq!(target_of(&harness, "calls"), Some(4000.0));
}

#[test]
fn goal_seek_shows_the_actual_needed() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "meetings.kpitree.json", MEETINGS);
    select_from_ranking(&mut harness);
    // 100 = calls × 2 % → 5,000, +66.7 % on 3,000.
    assert!(harness.query_by_label_contains("Actual 5,000 件 (+66.7%)").is_some());
}

#[test]
fn a_what_if_override_recomputes_the_tree_and_is_saved_as_a_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "meetings.kpitree.json", MEETINGS);
    select_from_ranking(&mut harness);
    harness.get_by_label("+ Scenario").click();
    settle(&mut harness);
    // The override fields sit in the bottom panel, below the inspector's own "Actual".
    let field = harness
        .get_all_by_role_and_label(egui::accesskit::Role::TextInput, "Actual")
        .max_by(|a, b| a.rect().min.y.total_cmp(&b.rect().min.y))
        .unwrap();
    field.click();
    field.type_text("5000");
    settle(&mut harness);
    // 5,000 × 2 % = 100 meetings in the scenario; the file's own actual stays 3,000.
    let meet = harness.state().evaluation().and_then(|e| e.get_str("meet")).copied().unwrap();
    assert_eq!(meet.actual, Some(100.0));
    assert_eq!(harness.state().document().node(&NodeId::from("calls")).unwrap().actual, Some(3000.0));
    let saved = &harness.state().document().scenarios.list;
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].overrides[0].actual, Some(5000.0));
}

/// What a fresh start on `doc` computes: the worker's pipeline with no cache.
fn fresh(doc: &kpitree::model::Document) -> kpitree::pipeline::derived::Derived {
    let request = kpitree::pipeline::derived::Request {
        document: std::sync::Arc::new(doc.clone()),
        scenario: None,
        focus: None,
        diagram: Default::default(),
        explain: Default::default(),
    };
    kpitree::pipeline::derived::derive(&mut Default::default(), request)
}

#[test]
fn undoing_a_cut_a_paste_and_a_duplicate_brings_back_the_analysis_of_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "meetings.kpitree.json", MEETINGS);
    select_from_ranking(&mut harness);
    let original = harness.state().document().clone();
    harness.event(egui::Event::Copy);
    harness.run_steps(1);
    let copied = crate::common::ui::copied(&harness).expect("テレアポ数 was copied");
    harness.event(egui::Event::Cut);
    settle(&mut harness);
    assert!(harness.state().document().node(&NodeId::from("calls")).is_none(), "cut");
    assert!(harness.query_by_label_contains("1. テレアポ数").is_none(), "the ranking follows the cut");
    harness.event(egui::Event::Paste(copied));
    settle(&mut harness);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    settle(&mut harness);
    assert_eq!(harness.state().document().nodes.len(), 4, "pasted and duplicated");
    for _ in 0..3 {
        harness.state_mut().undo();
        settle(&mut harness);
    }
    assert_eq!(*harness.state().document(), original, "back to the file as opened");
    let shown = harness.state().derived().expect("a result arrived");
    let expected = fresh(&original);
    assert_eq!(shown.bottlenecks, expected.bottlenecks);
    assert_eq!(shown.marks, expected.marks);
    for node in &original.nodes {
        let id = node.id.as_str();
        assert_eq!(shown.evaluation.get_str(id), expected.evaluation.get_str(id), "{id}");
    }
    // And what the tab shows, not only what the worker holds.
    assert!(harness.query_by_label_contains("1. テレアポ数  +20 件").is_some());
}

/// The what-if field `label` of the bottom panel (below the inspector's own).
fn override_field<'a>(harness: &'a Harness<'static, KpiApp>, label: &'a str) -> egui_kittest::Node<'a> {
    harness
        .get_all_by_role_and_label(egui::accesskit::Role::TextInput, label)
        .max_by(|a, b| a.rect().min.y.total_cmp(&b.rect().min.y))
        .unwrap()
}

#[test]
fn what_if_fields_show_the_active_scenario_after_a_switch_and_an_undo() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "meetings.kpitree.json", MEETINGS);
    select_from_ranking(&mut harness);
    harness.get_by_label("+ Scenario").click();
    settle(&mut harness);
    let field = override_field(&harness, "Actual");
    field.click();
    field.type_text("5000");
    settle(&mut harness);
    // A second scenario: its fields are empty, not the first one's 5,000.
    harness.get_by_label("+ Scenario").click();
    settle(&mut harness);
    assert_eq!(harness.state().derived().and_then(|d| d.scenario.clone()).as_deref(), Some("Scenario 2"));
    assert_eq!(override_field(&harness, "Actual").value().as_deref(), Some(""));
    // Typing there writes only the new scenario.
    let field = override_field(&harness, "Actual");
    field.click();
    field.type_text("4500");
    settle(&mut harness);
    let actual_in = |h: &Harness<'static, KpiApp>, name: &str| {
        h.state().document().scenarios.get(name).and_then(|s| s.get(&NodeId::from("calls"))).and_then(|o| o.actual)
    };
    assert_eq!(actual_in(&harness, "Scenario 1"), Some(5000.0));
    assert_eq!(actual_in(&harness, "Scenario 2"), Some(4500.0));
    // Undo the override: the field shows what the scenario holds again.
    harness.state_mut().undo();
    settle(&mut harness);
    assert_eq!(actual_in(&harness, "Scenario 2"), None);
    // Back in the first scenario, its own value.
    harness.state_mut().set_scenario(Some("Scenario 1".into()));
    settle(&mut harness);
    assert_eq!(override_field(&harness, "Actual").value().as_deref(), Some("5,000"));
}

/// 売上 = 顧客数 × 客単価: 120 × 100 planned, 80 × 90 so far.
const SALES: &str = r#"{
  "format": "kpitree", "version": 1, "title": "売上",
  "nodes": [
    { "id": "sales", "kind": "KGI", "name": "売上", "unit": "万円", "target": 12000 },
    { "id": "cust", "kind": "KPI", "name": "顧客数", "unit": "社", "target": 120, "actual": 80 },
    { "id": "price", "kind": "KPI", "name": "客単価", "unit": "万円/社", "target": 100, "actual": 90 }
  ],
  "edges": [ { "parent": "sales", "child": "cust", "op": "*" }, { "parent": "sales", "child": "price", "op": "*" } ]
}"#;

fn part(harness: &Harness<'static, KpiApp>, id: &str) -> f64 {
    let d = harness.state().derived().expect("analysed");
    let list = d.explanation.attribution.as_ref().expect("an attribution");
    list[0].contributions.iter().find(|c| c.node.as_str() == id).expect("a part").contribution
}

#[test]
fn the_waterfall_page_explains_the_gap_and_a_row_selects_its_card() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "sales.kpitree.json", SALES);
    harness.get_by_label("Analysis").click();
    settle(&mut harness);
    harness.get_by_label("Where the gap came from").click();
    settle(&mut harness);
    // Target, 顧客数, 客単価, actual.
    let rows = harness.state().chart_rows();
    let nodes: Vec<Option<&str>> = rows.iter().map(|(_, n)| n.as_ref().map(NodeId::as_str)).collect();
    assert_eq!(nodes, [None, Some("cust"), Some("price"), None]);
    assert_eq!(part(&harness, "cust"), -3800.0);
    let at = rows[2].0.center();
    crate::common::ui::click_at(&mut harness, at, egui::Modifiers::NONE);
    settle(&mut harness);
    assert_eq!(harness.state().selected().map(NodeId::as_str), Some("price"));
}

#[test]
fn choosing_the_cost_method_explains_the_gap_again() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "sales.kpitree.json", SALES);
    harness.get_by_label("Analysis").click();
    settle(&mut harness);
    harness.get_by_label("Where the gap came from").click();
    settle(&mut harness);
    harness.get_by_label("quantity and price variances").click();
    settle(&mut harness);
    assert_eq!(harness.state().explain_options().method, kpitree::eval::attribution::Method::Cost);
    // Quantity at the standard price: −40 × 100; price at the actual quantity: −10 × 80.
    assert_eq!(part(&harness, "cust"), -4000.0);
    assert_eq!(part(&harness, "price"), -800.0);
}

#[test]
fn the_sensitivity_page_moves_each_input_by_the_step_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "sales.kpitree.json", SALES);
    harness.get_by_label("Analysis").click();
    settle(&mut harness);
    harness.get_by_label("Sensitivity").click();
    settle(&mut harness);
    let rows = harness.state().chart_rows();
    assert_eq!(rows.len(), 2, "one row per input");
    let ends = |harness: &Harness<'static, KpiApp>| {
        let d = harness.state().derived().unwrap();
        let s = &d.explanation.sensitivity[0];
        (s.low.unwrap().round(), s.high.unwrap().round())
    };
    assert_eq!(ends(&harness), (6480.0, 7920.0), "7,200 ± 10 %");
    // Type another step into the field: the worker moves every input by it.
    harness.get_by_role(egui::accesskit::Role::SpinButton).click();
    settle(&mut harness);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness.get_by_role(egui::accesskit::Role::SpinButton).type_text("25");
    harness.key_press(egui::Key::Enter);
    settle(&mut harness);
    assert_eq!(harness.state().explain_options().percent, 25.0);
    assert_eq!(ends(&harness), (5400.0, 9000.0), "7,200 ± 25 %");
}

#[test]
fn a_leaf_made_a_constant_in_the_inspector_is_a_small_pill_and_no_bottleneck_until_undone() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "meetings.kpitree.json", MEETINGS);
    let rate = NodeId::from("rate");
    harness.state_mut().select_for_test(rate.clone());
    settle(&mut harness);
    let card = |h: &Harness<'static, KpiApp>| h.state().card_screen_rect(&h.ctx, &NodeId::from("rate")).unwrap();
    let before = card(&harness);
    harness.get_by_label("Constant").click();
    settle(&mut harness);
    let node = harness.state().document().node(&rate).unwrap();
    assert_eq!(node.constant, Some(2.0), "starts from the target the card showed");
    let after = card(&harness);
    assert!(after.height() < before.height() * 0.6, "a pill, not a card: {before:?} → {after:?}");
    // The goal still computes with it (3,000 × 2 % = 60), and it is no lever any more.
    let d = harness.state().derived().unwrap();
    assert_eq!(d.evaluation.get(&NodeId::from("meet")).and_then(|v| v.actual), Some(60.0));
    assert!(d.explanation.sensitivity.iter().all(|s| s.node != rate), "a constant is no input");
    // The number is edited in its own field; Target and Actual are gone.
    assert!(harness.query_by_label("Target").is_none());
    harness.state_mut().undo();
    settle(&mut harness);
    assert_eq!(harness.state().document().node(&rate).unwrap().constant, None);
    assert!(harness.query_by_label("Target").is_some());
    assert_eq!(card(&harness).height(), before.height());
}
