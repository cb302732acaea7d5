//! The editor, driven through its accessibility tree with egui_kittest.
#![cfg(feature = "gui")]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kpitree::eval::Code;
use kpitree::model::NodeId;
use kpitree::ui::KpiApp;

use crate::common::ui::{click_at, copied, drag, editor, editor_on, settle};

/// 売上 (KGI, 万円) with one term, 顧客数 (社): the unit of the product does
/// not match the goal's yet.
const ONE_TERM: &str = r#"{
  "format": "kpitree", "version": 1, "title": "UIテスト",
  "nodes": [
    { "id": "kgi", "kind": "KGI", "name": "売上", "unit": "万円", "deadline": "2027-03-31", "pos": [0, 0] },
    { "id": "cust", "kind": "KPI", "name": "顧客数", "unit": "社", "target": 120, "actual": 80, "pos": [320, 0] }
  ],
  "edges": [ { "parent": "kgi", "child": "cust", "op": "*" } ]
}"#;

struct Editor {
    harness: Harness<'static, KpiApp>,
    _dir: tempfile::TempDir,
}

impl Editor {
    /// The editor on a file with this text, in a folder of the test's own.
    fn open(json: &str) -> Editor {
        let dir = tempfile::tempdir().unwrap();
        let harness = editor_on(dir.path(), "test.kpitree.json", json);
        Editor { harness, _dir: dir }
    }

    /// Lets the background evaluation arrive and the frames settle.
    fn settle(&mut self) {
        settle(&mut self.harness);
    }

    fn app(&self) -> &KpiApp {
        self.harness.state()
    }

    fn has(&self, code: Code, node: &str) -> bool {
        let eval = self.app().evaluation().expect("an evaluation arrived");
        eval.diagnostics.iter().any(|d| d.code == code && d.node.as_ref().map(NodeId::as_str) == Some(node))
    }

    fn value(&self, id: &str) -> (Option<f64>, Option<f64>) {
        let v = self.app().evaluation().and_then(|e| e.get_str(id)).copied().unwrap_or_default();
        (v.target, v.actual)
    }

    fn replace_text(&mut self, label: &str, text: &str) {
        self.harness.get_by_role_and_label(Role::TextInput, label).click();
        self.harness.run_steps(2);
        self.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        self.harness.get_by_role_and_label(Role::TextInput, label).type_text(text);
        self.settle();
    }
}

#[test]
fn build_a_product_from_the_toolbar_and_inspector_and_watch_the_goal_compute() {
    let mut ed = Editor::open(ONE_TERM);
    assert!(ed.has(Code::UnitMismatch, "kgi"), "社 alone is not 万円");
    assert_eq!(ed.value("kgi"), (Some(120.0), Some(80.0)));

    ed.harness.get_by_label("+ KPI").click();
    ed.settle();
    let new_id = ed.app().selected().cloned().expect("the new KPI is selected");
    assert!(ed.has(Code::Orphan, new_id.as_str()));

    ed.replace_text("Name", "客単価");
    ed.replace_text("Unit", "万円/社");
    ed.replace_text("Target", "100");
    ed.replace_text("Actual", "９０");
    let node = ed.app().document().node(&new_id).unwrap();
    assert_eq!(
        (node.name.as_str(), node.unit_str(), node.target, node.actual),
        ("客単価", "万円/社", Some(100.0), Some(90.0))
    );

    let ctx = ed.harness.ctx.clone();
    let (_, kgi_free_pin) = ed.app().pin_positions(&ctx, &"kgi".into()).expect("the goal is on screen");
    let (new_parent_pin, _) = ed.app().pin_positions(&ctx, &new_id).expect("the new card is on screen");
    drag(&mut ed.harness, kgi_free_pin, new_parent_pin);

    let edge = ed.app().document().edges.iter().find(|e| e.child == new_id).expect("connected under the goal").clone();
    assert_eq!(edge.parent.as_str(), "kgi");
    assert_eq!(ed.value("kgi"), (Some(12_000.0), Some(7_200.0)), "120 社 × 100 万円/社; 80 × 90");
    assert!(!ed.has(Code::UnitMismatch, "kgi"));
    assert!(!ed.has(Code::Orphan, new_id.as_str()));

    // Select the goal from the new KPI's parents and make the second term a sum.
    // The card says 売上 too; the parents list is the one in the right panel.
    let parent_link =
        ed.harness.get_all_by_label("売上").max_by(|a, b| a.rect().min.x.total_cmp(&b.rect().min.x)).unwrap();
    parent_link.click();
    ed.settle();
    assert_eq!(ed.app().selected().map(NodeId::as_str), Some("kgi"));
    ed.harness.get_all_by_value("×").last().expect("the second term's operator").click();
    ed.harness.run_steps(2);
    ed.harness.get_by_label("+").click();
    ed.settle();
    assert!(ed.has(Code::UnitMismatch, "kgi"), "社 + 万円/社 mixes units");

    ed.harness.get_all_by_value("+").last().expect("the operator just set").click();
    ed.harness.run_steps(2);
    ed.harness.get_by_label("×").click();
    ed.settle();
    assert!(!ed.has(Code::UnitMismatch, "kgi"));
    assert_eq!(ed.value("kgi").0, Some(12_000.0));
}

#[test]
fn invalid_number_text_never_overwrites_the_last_good_value() {
    let mut ed = Editor::open(ONE_TERM);
    ed.harness.get_by_label("+ KPI").click();
    ed.settle();
    let id = ed.app().selected().cloned().unwrap();
    ed.replace_text("Target", "１２，０００");
    assert_eq!(ed.app().document().node(&id).unwrap().target, Some(12_000.0));
    ed.replace_text("Target", "12,000円");
    assert_eq!(ed.app().document().node(&id).unwrap().target, Some(12_000.0));
}

#[test]
fn a_file_that_fails_to_open_leaves_the_welcome_tree_and_says_why() {
    let mut ed = Editor::open("{ not json");
    assert!(!ed.app().document().nodes.is_empty(), "the welcome tree is open");
    ed.harness.run_steps(2);
    assert!(ed.harness.query_by_label_contains("JSON syntax error").is_some());
}

fn open_prompting(json: &str) -> Editor {
    let mut ed = Editor::open(json);
    ed.harness.state_mut().use_path_prompts();
    ed
}

#[test]
fn an_edit_makes_the_document_dirty_and_undo_makes_it_clean_again() {
    let mut ed = open_prompting(ONE_TERM);
    assert!(!ed.app().is_dirty());
    ed.harness.get_by_label("+ KPI").click();
    ed.settle();
    assert!(ed.app().is_dirty());
    assert_eq!(ed.app().document().nodes.len(), 3);
    ed.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    ed.settle();
    assert_eq!(ed.app().document().nodes.len(), 2);
    assert!(!ed.app().is_dirty());
    ed.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    ed.settle();
    assert_eq!(ed.app().document().nodes.len(), 3);
}

#[test]
fn save_as_through_the_path_prompt_writes_a_file_that_loads_back() {
    let mut ed = open_prompting(ONE_TERM);
    ed.harness.get_by_label("+ KGI").click();
    ed.settle();
    let folder = ed.app().path().and_then(|p| p.parent()).unwrap().to_owned();
    ed.harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::S);
    ed.settle();
    // The prompt starts from the document's own folder, as an absolute
    // path, with the file name selected: typing replaces the name only.
    let suggested = folder.join("test.kpitree.json").display().to_string();
    let prompt = ed.harness.get_by_role_and_label(Role::TextInput, "File path");
    assert_eq!(prompt.value().as_deref(), Some(suggested.as_str()));
    prompt.type_text("saved");
    ed.harness.run_steps(1);
    ed.harness.key_press(egui::Key::Enter);
    ed.settle();
    let written = folder.join("saved.kpitree.json");
    assert_eq!(ed.app().path(), Some(written.as_path()));
    assert!(!ed.app().is_dirty());
    let back = kpitree::io::load(&written).expect("the saved file loads");
    assert_eq!(&back, ed.app().document());
}

#[test]
fn opening_a_malformed_file_keeps_the_current_document_and_says_where() {
    let mut ed = open_prompting(ONE_TERM);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.kpitree.json");
    std::fs::write(&bad, "{\n  \"format\": \"kpitree\",\n  oops\n}").unwrap();
    let before = ed.app().document().clone();
    ed.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::O);
    ed.settle();
    let prompt = ed.harness.get_by_role_and_label(Role::TextInput, "File path");
    assert!(prompt.value().is_some_and(|v| v.starts_with('/') && v.ends_with('/')), "a folder to start from");
    ed.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    ed.harness.get_by_role_and_label(Role::TextInput, "File path").type_text(&bad.display().to_string());
    ed.harness.run_steps(1);
    ed.harness.key_press(egui::Key::Enter);
    ed.settle();
    assert_eq!(ed.app().document(), &before);
    assert!(ed.harness.query_by_label_contains("bad.kpitree.json:3:3").is_some());
}

#[test]
fn closing_with_unsaved_changes_asks_first_and_cancel_keeps_the_window() {
    let mut ed = open_prompting(ONE_TERM);
    ed.harness.get_by_label("+ KPI").click();
    ed.settle();
    ed.harness.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().events.push(egui::ViewportEvent::Close);
    ed.settle();
    assert!(ed.harness.query_by_label("Unsaved changes").is_some());
    ed.harness.get_by_label("Cancel").click();
    ed.settle();
    assert!(ed.harness.query_by_label("Unsaved changes").is_none());
    assert!(ed.app().is_dirty(), "nothing was lost");
}

/// A file with this text in a folder of its own (no editor has it open).
fn file_with(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("test.kpitree.json");
    std::fs::write(&file, text).unwrap();
    (dir, file)
}

/// A process id no running process can have, for a simulated run.
const NEXT_RUN: u32 = 4_294_000_001;

#[test]
fn saving_removes_the_recovery_file() {
    let data = tempfile::tempdir().unwrap();
    let (_dir, file) = file_with(ONE_TERM);
    let mut h = editor(Some(file), data.path(), NEXT_RUN);
    h.get_by_label("+ KPI").click();
    h.run_steps(2);
    let ctx = h.ctx.clone();
    h.state_mut().autosave_now(&ctx);
    assert_ne!(std::fs::read_dir(data.path()).unwrap().count(), 0, "written aside");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run_steps(3);
    assert!(!h.state().is_dirty());
    assert_eq!(std::fs::read_dir(data.path()).unwrap().count(), 0);
}

/// Shift+clicks inside a card, right of its parent pin (accessibility
/// rectangles of the zoomable canvas are not in screen coordinates).
fn shift_click_card(ed: &mut Editor, id: &str) {
    let ctx = ed.harness.ctx.clone();
    let (parent_pin, _) = ed.app().pin_positions(&ctx, &id.into()).expect("the card is on screen");
    let at = parent_pin + egui::vec2(60.0, 0.0);
    click_at(&mut ed.harness, at, egui::Modifiers::SHIFT);
    ed.harness.run_steps(2);
}

#[test]
fn shift_click_selects_several_and_delete_removes_them_all() {
    let mut ed = Editor::open(ONE_TERM);
    shift_click_card(&mut ed, "kgi");
    shift_click_card(&mut ed, "cust");
    let ids: Vec<&str> = ed.app().selection().iter().map(NodeId::as_str).collect();
    assert_eq!(ids, ["kgi", "cust"]);
    ed.harness.key_press(egui::Key::Delete);
    ed.settle();
    assert!(ed.app().document().nodes.is_empty());
    assert!(ed.app().document().edges.is_empty());
}

#[test]
fn duplicate_copies_the_selection_with_fresh_ids_and_the_edges_among_them() {
    let mut ed = Editor::open(ONE_TERM);
    shift_click_card(&mut ed, "kgi");
    shift_click_card(&mut ed, "cust");
    ed.harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::D);
    ed.settle();
    let doc = ed.app().document();
    let ids: Vec<&str> = doc.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["kgi", "cust", "kgi_2", "cust_2"]);
    assert!(doc.edges.iter().any(|e| e.parent.as_str() == "kgi_2" && e.child.as_str() == "cust_2"));
    let selected: Vec<&str> = ed.app().selection().iter().map(NodeId::as_str).collect();
    assert_eq!(selected, ["kgi_2", "cust_2"], "the copies are selected");
}

#[test]
fn copied_nodes_paste_as_kpitree_json_with_fresh_ids() {
    let mut ed = Editor::open(ONE_TERM);
    shift_click_card(&mut ed, "cust");
    ed.harness.event(egui::Event::Copy);
    ed.harness.run_steps(1);
    let copied = copied(&ed.harness).expect("something was copied");
    let as_doc = kpitree::io::from_str(&copied, "clipboard").expect("the clipboard holds a kpitree document");
    assert_eq!(as_doc.nodes.len(), 1);

    ed.harness.event(egui::Event::Paste(copied));
    ed.settle();
    let ids: Vec<&str> = ed.app().document().nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(ids, ["kgi", "cust", "cust_2"]);
}

#[test]
fn an_outline_pasted_onto_the_canvas_becomes_a_tree_and_a_bad_one_says_where() {
    let mut ed = Editor::open(ONE_TERM);
    let before = ed.app().document().nodes.len();
    ed.harness.event(egui::Event::Paste("利益 (万円)\n  + 売上 (万円): 100 / 90\n  − 費用 (万円): 60 / 70\n".into()));
    ed.settle();
    let doc = ed.app().document().clone();
    assert_eq!(doc.nodes.len(), before + 3);
    let id_of = |name: &str| doc.nodes.iter().find(|n| n.name == name).map(|n| n.id.clone()).unwrap();
    let cost = doc.edges.iter().find(|e| e.child == id_of("費用")).expect("費用 hangs under 利益");
    assert_eq!((&cost.parent, cost.op), (&id_of("利益"), kpitree::model::Op::Sub));

    ed.harness.event(egui::Event::Paste("利益\n  + 売上: x\n".into()));
    ed.settle();
    assert_eq!(ed.app().document(), &doc, "nothing is created");
    assert!(ed.harness.query_by_label_contains("line 2, column 9").is_some());
}
