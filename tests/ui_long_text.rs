//! The editor on text of any length (issue 21, item 11, and the lock
//! dialog): a field never lays out more than a few KB — a longer title,
//! name, unit, owner, source, description or note shows a capped preview and
//! opens in the window notes use; renaming or editing values on the canvas
//! opens it too; the window's title and the lock dialog show a few words.
#![cfg(feature = "gui")]

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use kpitree::model::NodeId;
use kpitree::ui::{KpiApp, LongField};

use crate::common::ui::{editor_on, longest_field, settle};

/// The values of every text field on screen, one line or more.
fn fields(h: &Harness<'static, KpiApp>) -> Vec<String> {
    let mut values: Vec<String> = h.get_all_by_role(Role::TextInput).filter_map(|n| n.value()).collect();
    values.extend(h.get_all_by_role(Role::MultilineTextInput).filter_map(|n| n.value()));
    values
}

fn document(title: &str, name: &str, unit: &str) -> String {
    let doc = serde_json::json!({
        "format": "kpitree", "version": 1, "title": title,
        "nodes": [ { "id": "k", "kind": "KPI", "name": name, "unit": unit, "target": 1, "actual": 1, "pos": [0, 0] } ],
        "edges": []
    });
    doc.to_string()
}

#[test]
fn a_megabyte_title_shows_a_preview_and_opens_in_its_window() {
    let dir = tempfile::tempdir().unwrap();
    let title = "長い題名".repeat(90_000);
    let mut h = editor_on(dir.path(), "t.kpitree.json", &document(&title, "k", "件"));
    settle(&mut h);
    assert!(longest_field(&h) <= 4096, "no field lays out the title: {}", longest_field(&h));
    assert!(h.state().window_title_text().chars().count() < 150, "the window's title is a few words");
    h.get_by_label_contains("Open the whole text").click();
    settle(&mut h);
    assert_eq!(h.state().long_text_open(), Some(&LongField::Title));
    assert!(h.query_by_label_contains("Too long to edit here").is_some(), "shown page by page");
    assert!(longest_field(&h) <= 4096);
    // Cut to a size that can be edited, it is edited in the window.
    h.get_by_label("Keep the first 256 KB").click();
    settle(&mut h);
    let kept = h.state().document().title.clone().unwrap();
    assert!(kept.len() <= 256 * 1024 && title.starts_with(&kept));
    assert!(fields(&h).contains(&kept), "editable in the window");
    h.state_mut().undo();
    assert_eq!(h.state().document().title.as_deref(), Some(title.as_str()), "undoable");
}

#[test]
fn renaming_a_long_name_or_editing_a_long_unit_opens_the_window_instead_of_a_field() {
    let dir = tempfile::tempdir().unwrap();
    let name = "名".repeat(5_000);
    let unit = "件".repeat(5_000);
    let mut h = editor_on(dir.path(), "t.kpitree.json", &document("t", &name, &unit));
    h.state_mut().select_for_test(NodeId::from("k"));
    settle(&mut h);
    assert!(longest_field(&h) <= 4096, "the inspector shows previews");
    h.key_press(Key::F2);
    settle(&mut h);
    assert_eq!(h.state().long_text_open(), Some(&LongField::Name(NodeId::from("k"))));
    assert!(fields(&h).contains(&name), "the whole name, in the window");
    // Ctrl+Enter in another window on the same document.
    let other = tempfile::tempdir().unwrap();
    let mut h = editor_on(other.path(), "t.kpitree.json", &document("t", &name, &unit));
    h.state_mut().select_for_test(NodeId::from("k"));
    settle(&mut h);
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::Enter);
    settle(&mut h);
    assert_eq!(h.state().long_text_open(), Some(&LongField::Unit(NodeId::from("k"))));
}

#[test]
fn a_lock_of_a_three_thousand_character_user_shows_a_few_words_of_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.kpitree.json");
    std::fs::write(&file, document("t", "k", "件")).unwrap();
    let user = "u".repeat(3_000);
    std::fs::write(kpitree::io::Lock::file_for(&file), format!("{user},other-host,1,1700000000\n")).unwrap();
    let h = crate::common::ui::editor(Some(file), &dir.path().join("data"), 4_294_003_000);
    assert!(h.query_by_label("This file is open in another window").is_some());
    let longest = h
        .get_all_by_role(Role::Label)
        .filter_map(|n| n.accesskit_node().label().map(|l| l.chars().count()))
        .max()
        .unwrap_or(0);
    assert!(longest < 400, "the dialog's longest line has {longest} characters");
    assert!(h.query_by_label_contains(&"u".repeat(64)).is_some(), "the start of the name is shown");
}
