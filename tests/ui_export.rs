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
    harness.state_mut().set_export("/nonexistent-dir/x.png", kpitree::export::ExportOptions::default());
    harness.state_mut().export_now();
    let message = harness.state().export_message().unwrap_or_default().to_owned();
    assert!(message.starts_with("Could not export"), "{message}");
}
