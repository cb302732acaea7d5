//! File → Export… in the editor, driven through its accessibility tree.
#![cfg(feature = "gui")]

use crate::common::ui::editor_on;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;

const SALES: &str = r#"{
  "format": "kpitree", "version": 1, "title": "書き出しテスト",
  "nodes": [
    { "id": "kgi", "kind": "KGI", "name": "売上", "unit": "万円", "target": 12000, "deadline": "2027-03-31" },
    { "id": "cust", "kind": "KPI", "name": "顧客数", "unit": "社", "target": 120, "actual": 80 },
    { "id": "price", "kind": "KPI", "name": "客単価", "unit": "万円/社", "target": 100, "actual": 90 }
  ],
  "edges": [ { "parent": "kgi", "child": "cust", "op": "*" }, { "parent": "kgi", "child": "price", "op": "*" } ]
}"#;

#[test]
fn file_export_writes_the_picture_the_dialog_shows() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "sales.kpitree.json", SALES);
    // Export writes what the worker evaluated: wait for it, however busy the machine.
    crate::common::ui::settle(&mut harness);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Export…").click();
    harness.run_steps(3);
    // The dialog suggests a PNG beside the document and shows its size.
    assert!(harness.query_by_role_and_label(Role::Button, "Export").is_some(), "the export window is open");
    let out = dir.path().join("slide.svg");
    harness.state_mut().set_export(out.to_str().unwrap(), kpitree::export::ExportOptions::default());
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Export").click();
    harness.run_steps(3);
    let text = std::fs::read_to_string(&out).expect("the SVG was written");
    assert!(text.contains("顧客数") && text.contains("客単価"));
    let message = harness.state().export_message().unwrap_or_default().to_owned();
    assert!(message.starts_with("Exported"), "{message}");
}

#[test]
fn an_unwritable_export_path_says_why_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "sales.kpitree.json", SALES);
    // Export writes what the worker evaluated: wait for it, however busy the machine.
    crate::common::ui::settle(&mut harness);
    harness.state_mut().set_export("/nonexistent-dir/x.png", kpitree::export::ExportOptions::default());
    harness.state_mut().export_now();
    let message = harness.state().export_message().unwrap_or_default().to_owned();
    assert!(message.starts_with("Could not export"), "{message}");
}

/// The export preview of the analysis on screen (it renders on its own
/// thread: a frame asks for it, the worker draws it, the next frame shows
/// it); its size at 1×.
fn current_preview(harness: &mut egui_kittest::Harness<'static, kpitree::ui::KpiApp>) -> [f64; 2] {
    // (A few rounds: the window may open, or the analysis arrive, a frame later.)
    for _ in 0..4 {
        harness.run_steps(1);
        if let Some((true, size)) = harness.state().export_preview() {
            return size;
        }
        kpitree::pipeline::wait_for_workers();
    }
    panic!("the preview is not of the document on screen: {:?}", harness.state().export_preview());
}

#[test]
fn the_export_preview_follows_edits_and_the_active_scenario() {
    use kpitree::model::{Edit, Field, NodeId};
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "sales.kpitree.json", SALES);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label_contains("Export…").click();
    let before = current_preview(&mut harness);
    // A much longer name widens its card, so the picture grows.
    let long = "顧客数（新規・既存・休眠からの復帰を含む全取引先）".to_owned();
    harness.state_mut().apply(vec![Edit::SetField(NodeId::from("cust"), Field::Name(long))]);
    crate::common::ui::settle(&mut harness);
    let after = current_preview(&mut harness);
    assert!(after[0] > before[0], "the preview is of the edited document: {before:?} → {after:?}");
    // Undo: the picture of the original again, not the cached one of the edit.
    harness.state_mut().undo();
    crate::common::ui::settle(&mut harness);
    assert_eq!(current_preview(&mut harness), before);
    // A new scenario becomes active: a new analysis, and the preview follows it.
    let shown = harness.state().export_preview().map(|(current, _)| current);
    assert_eq!(shown, Some(true));
    let mut scenario = kpitree::model::scenario::Scenario { name: "強気".into(), ..Default::default() };
    scenario.set(&NodeId::from("cust"), None, Some(120.0));
    harness.state_mut().apply(vec![Edit::SetScenarios(vec![scenario])]);
    harness.state_mut().set_scenario(Some("強気".into()));
    crate::common::ui::settle(&mut harness);
    assert_eq!(harness.state().derived().and_then(|d| d.scenario.clone()).as_deref(), Some("強気"));
    current_preview(&mut harness);
}

#[test]
fn exporting_over_a_file_that_exists_asks_first_and_escape_closes_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "sales.kpitree.json", SALES);
    // Export writes what the worker evaluated: wait for it, however busy the machine.
    crate::common::ui::settle(&mut harness);
    let out = dir.path().join("slide.svg");
    std::fs::write(&out, "keep me").unwrap();
    harness.state_mut().open_export_window();
    harness.state_mut().set_export(out.to_str().unwrap(), kpitree::export::ExportOptions::default());
    // The preview arriving moves the buttons: let it arrive before clicking.
    current_preview(&mut harness);
    harness.run_steps(2);
    harness.get_by_role_and_label(Role::Button, "Export").click();
    harness.run_steps(3);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "keep me", "not replaced without asking");
    assert!(harness.query_by_label("This file exists. Replace it?").is_some());
    harness.get_by_role_and_label(Role::Button, "Replace").click();
    // The export is written in the frame that takes the answer.
    harness.run_steps(1);
    let replaced = std::fs::read_to_string(&out).unwrap();
    assert!(replaced.contains("顧客数"), "replaced once the user said so");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(harness.query_by_role_and_label(Role::Button, "Export").is_none(), "Escape closed the export window");
}
