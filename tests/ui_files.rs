//! The editor and the file on disk: changes made by other programs, two
//! windows on one file, read-only files, Save As onto a file that exists,
//! a very long note, and the lost-work flow of opening another file.

use std::time::Duration;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kpitree::model::NodeId;
use kpitree::ui::KpiApp;

use crate::common::ui::{editor, settle};

const DOC: &str = r#"{"format":"kpitree","version":1,"title":"元","nodes":[
  {"id":"kgi","kind":"KGI","name":"売上","unit":"万円","target":100,"pos":[0,0]}],"edges":[]}"#;

/// Another program's version of the file: another title and a name.
const CHANGED: &str = r#"{"format":"kpitree","version":1,"title":"外で変更","nodes":[
  {"id":"kgi","kind":"KGI","name":"売上高","unit":"万円","target":100,"pos":[0,0]},
  {"id":"x","kind":"KPI","name":"追加","extra":1,"pos":[300,0]}],"edges":[]}"#;

struct Window {
    h: Harness<'static, KpiApp>,
    _dir: tempfile::TempDir,
    file: std::path::PathBuf,
}

fn open(text: &str, pid: u32) -> Window {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.kpitree.json");
    std::fs::write(&file, text).unwrap();
    let mut h = editor(Some(file.clone()), &dir.path().join("data"), pid);
    h.state_mut().use_path_prompts();
    Window { h, _dir: dir, file }
}

/// Frames after each change the file watcher reports (it debounces for
/// 100 ms) until `done`; false when the watcher reports nothing more for a
/// minute (a hang, not a speed).
fn wait_for(h: &mut Harness<'static, KpiApp>, done: impl Fn(&Harness<'static, KpiApp>) -> bool) -> bool {
    while !done(h) {
        if !h.state().wait_for_disk_change(Duration::from_secs(60)) {
            return false;
        }
        settle(h);
    }
    true
}

fn edit_something(h: &mut Harness<'static, KpiApp>) {
    h.get_by_label("+ KPI").click();
    settle(h);
}

#[test]
fn a_change_on_disk_is_loaded_at_once_while_the_document_is_clean() {
    let mut w = open(DOC, std::process::id());
    std::fs::write(&w.file, CHANGED).unwrap();
    let loaded = wait_for(&mut w.h, |h| h.state().document().title.as_deref() == Some("外で変更"));
    assert!(loaded, "the outside change was loaded");
    assert!(!w.h.state().is_dirty());
}

#[test]
fn a_change_on_disk_under_unsaved_work_asks_and_save_never_overwrites_it_silently() {
    let mut w = open(DOC, std::process::id());
    edit_something(&mut w.h);
    std::fs::write(&w.file, CHANGED).unwrap();
    assert!(wait_for(&mut w.h, |h| h.query_by_label("The file was changed on disk").is_some()), "the bar says so");
    assert_eq!(w.h.state().document().title.as_deref(), Some("元"), "the unsaved work stays");
    w.h.get_by_label("Keep editing").click();
    settle(&mut w.h);
    w.h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut w.h);
    assert_eq!(std::fs::read_to_string(&w.file).unwrap(), CHANGED, "nothing was written yet");
    assert!(w.h.query_by_label("Overwrite").is_some(), "Save asks: overwrite, reload or save as");
    w.h.get_by_label("Overwrite").click();
    settle(&mut w.h);
    let saved = kpitree::io::load(&w.file).unwrap();
    assert_eq!(saved.title.as_deref(), Some("元"), "overwritten only when the user said so");
    assert!(!w.h.state().is_dirty());
}

#[test]
fn a_same_size_change_on_disk_with_the_time_put_back_is_never_saved_over_silently() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plan.kpitree.json");
    std::fs::write(&file, DOC).unwrap();
    // Last written an hour ago: the editor may trust the times when watching.
    let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
    let set_time = |t| std::fs::File::options().write(true).open(&file).unwrap().set_modified(t).unwrap();
    set_time(an_hour_ago);
    let mut h = editor(Some(file.clone()), &dir.path().join("data"), std::process::id());
    edit_something(&mut h);
    // Another program writes as many bytes and puts the time back.
    let theirs = DOC.replace("売上", "粗利");
    assert_eq!(theirs.len(), DOC.len());
    std::fs::write(&file, &theirs).unwrap();
    set_time(an_hour_ago);
    settle(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut h);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs, "their write is still there");
    assert!(h.query_by_label("Overwrite").is_some(), "Save asks first");
}

#[test]
fn reload_after_a_change_on_disk_takes_the_other_programs_version() {
    let mut w = open(DOC, std::process::id());
    edit_something(&mut w.h);
    std::fs::write(&w.file, CHANGED).unwrap();
    assert!(wait_for(&mut w.h, |h| h.query_by_label("Reload").is_some()));
    w.h.get_by_label("Reload").click();
    settle(&mut w.h);
    let doc = w.h.state().document();
    assert_eq!(doc.title.as_deref(), Some("外で変更"));
    assert_eq!(doc.nodes[1].extra.get("extra"), Some(&serde_json::json!(1)), "even its unknown fields");
}

#[test]
fn a_second_window_on_the_same_file_asks_first() {
    let w = open(DOC, std::process::id());
    assert!(kpitree::io::Lock::file_for(&w.file).exists(), "the first window holds a lock beside the file");
    // The second window: as another process of this program would be.
    let mut second = editor(Some(w.file.clone()), &w._dir.path().join("data2"), std::process::id() + 1);
    settle(&mut second);
    assert!(second.query_by_label("This file is open in another window").is_some());
    second.get_by_label("Open read-only").click();
    settle(&mut second);
    assert!(second.state().read_only());
    assert_eq!(second.state().path(), Some(w.file.as_path()));
}

#[test]
fn a_read_only_file_says_so_and_save_turns_into_save_as() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ro.kpitree.json");
    std::fs::write(&file, DOC).unwrap();
    // No write bit on Unix (0444 here), the read-only attribute on Windows.
    let mut permissions = std::fs::metadata(&file).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&file, permissions).unwrap();
    if kpitree::io::writable(&file) {
        eprintln!("skipped: this user may write a 0444 file");
        return;
    }
    let mut h = editor(Some(file.clone()), &dir.path().join("data"), std::process::id());
    h.state_mut().use_path_prompts();
    assert!(h.state().read_only());
    edit_something(&mut h);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut h);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), DOC, "the read-only file is untouched");
    assert!(h.query_by_label("Save as").is_some(), "Save asks where instead");
}

#[test]
fn save_as_onto_an_existing_file_asks_before_replacing_it() {
    let mut w = open(DOC, std::process::id());
    let other = w._dir.path().join("other.kpitree.json");
    std::fs::write(&other, "{}").unwrap();
    w.h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    settle(&mut w.h);
    let prompt = |h: &Harness<'static, KpiApp>| {
        h.get_by_role_and_label(egui::accesskit::Role::TextInput, "File path").click();
    };
    prompt(&w.h);
    w.h.run_steps(1);
    w.h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    w.h.get_by_role_and_label(egui::accesskit::Role::TextInput, "File path").type_text(&other.display().to_string());
    w.h.key_press(Key::Enter);
    settle(&mut w.h);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "{}", "not replaced without asking");
    w.h.get_by_label("Replace").click();
    settle(&mut w.h);
    assert!(kpitree::io::load(&other).is_ok(), "replaced once the user said so");
    assert_eq!(w.h.state().path(), Some(other.as_path()));
}

#[test]
fn a_twenty_megabyte_note_shows_a_preview_and_the_node_selects_at_once() {
    let note = "長いメモ。".repeat(1_400_000);
    let text = format!(
        r#"{{"format":"kpitree","version":1,"nodes":[{{"id":"n","kind":"KPI","name":"メモ付き","note":"{note}","unit":"件","pos":[0,0]}}],"edges":[]}}"#
    );
    let mut w = open(&text, std::process::id());
    let ctx = w.h.ctx.clone();
    let r = w.h.state().card_screen_rect(&ctx, &NodeId::from("n")).expect("the card is drawn");
    crate::common::ui::click_at(&mut w.h, r.center(), Modifiers::NONE);
    settle(&mut w.h);
    assert_eq!(w.h.state().selected().map(NodeId::as_str), Some("n"));
    assert!(w.h.query_by_label_contains("Open the whole text").is_some(), "a preview, and the whole note on demand");
}

#[test]
fn the_first_edit_after_opening_another_file_is_unsaved_work() {
    // Open, edit, save, open another file, one edit (a paste): the title
    // shows "•", closing asks, autosave writes it aside.
    let mut w = open(DOC, std::process::id());
    edit_something(&mut w.h);
    w.h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut w.h);
    assert!(!w.h.state().is_dirty());
    let second = w._dir.path().join("second.kpitree.json");
    std::fs::write(&second, DOC.replace("元", "二つ目")).unwrap();
    w.h.state_mut().open_path(second.clone());
    settle(&mut w.h);
    assert_eq!(w.h.state().path(), Some(second.as_path()));
    assert!(!w.h.state().is_dirty());
    let copied = r#"{"format":"kpitree","version":1,"nodes":[{"id":"p","kind":"KPI","name":"貼り付け"}],"edges":[]}"#;
    w.h.event(egui::Event::Paste(copied.to_owned()));
    settle(&mut w.h);
    assert!(w.h.state().is_dirty(), "one edit after opening is unsaved work");
    assert!(w.h.state().window_title_text().starts_with("• "), "{}", w.h.state().window_title_text());
    // Undo back to what was opened: clean; redo: unsaved again.
    w.h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut w.h);
    assert!(!w.h.state().window_title_text().starts_with("• "));
    w.h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    settle(&mut w.h);
    assert!(w.h.state().window_title_text().starts_with("• "));
    w.h.input_mut().viewports.entry(egui::ViewportId::ROOT).or_default().events.push(egui::ViewportEvent::Close);
    settle(&mut w.h);
    assert!(w.h.query_by_label("Unsaved changes").is_some(), "closing asks");
}

#[test]
fn a_failed_save_says_it_could_not_save() {
    let mut w = open(DOC, std::process::id());
    edit_something(&mut w.h);
    let missing = w._dir.path().join("no such folder").join("x.kpitree.json");
    assert!(!w.h.state_mut().save_to(missing));
    settle(&mut w.h);
    assert!(w.h.query_by_label("Could not save").is_some(), "titled as a failed save");
    assert!(w.h.query_by_label("Could not open the file").is_none());
}

#[test]
fn opening_a_file_whose_nodes_have_no_positions_changes_nothing() {
    // Free placement (one node has a position); the others are drawn where
    // the layout puts them, and the document stays as it was read.
    let text = r#"{"format":"kpitree","version":1,"nodes":[
      {"id":"a","kind":"KGI","name":"A","pos":[0,0]},{"id":"b","kind":"KPI","name":"B"}],
      "edges":[{"parent":"a","child":"b","op":"*"}]}"#;
    let mut w = open(text, std::process::id());
    settle(&mut w.h);
    assert!(!w.h.state().is_dirty());
    assert_eq!(w.h.state().document().nodes[1].pos, None);
    let ctx = w.h.ctx.clone();
    assert!(w.h.state().card_screen_rect(&ctx, &NodeId::from("b")).is_some(), "and b is drawn");
}

#[test]
fn enter_on_the_unsaved_question_saves_and_the_template_chooser_opens() {
    let mut w = open(DOC, std::process::id());
    edit_something(&mut w.h);
    w.h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    settle(&mut w.h);
    assert!(w.h.query_by_label("Don't save").is_some(), "Ctrl+N asks first");
    w.h.key_press(Key::Enter);
    settle(&mut w.h);
    assert!(!w.h.state().is_dirty(), "Enter pressed the default button: Save");
    assert_eq!(kpitree::io::load(&w.file).unwrap().nodes.len(), 2, "the edit was saved");
    assert!(w.h.query_by_label("Blank tree").is_some(), "the template chooser is open, not skipped");
    assert_eq!(w.h.state().document().nodes.len(), 2, "no blank tree was made by the same Enter");
}

#[test]
fn the_enter_that_answers_dont_save_is_not_passed_on_to_the_template_chooser() {
    let mut w = open(DOC, std::process::id());
    edit_something(&mut w.h);
    w.h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    settle(&mut w.h);
    // The keyboard on "Don't save" (Tab, Tab), then Enter presses it.
    w.h.get_by_label("Don't save").focus();
    settle(&mut w.h);
    w.h.key_press(Key::Enter);
    settle(&mut w.h);
    assert!(w.h.query_by_label("Blank tree").is_some(), "the chooser stays open for the user's choice");
    assert_eq!(w.h.state().document().nodes.len(), 2, "the unsaved document is still there");
    w.h.key_press(Key::Escape);
    settle(&mut w.h);
    assert!(w.h.query_by_label("Blank tree").is_none(), "Escape closes the chooser");
}

#[test]
fn escape_on_the_unsaved_question_cancels() {
    let mut w = open(DOC, std::process::id());
    edit_something(&mut w.h);
    w.h.key_press_modifiers(Modifiers::COMMAND, Key::N);
    settle(&mut w.h);
    w.h.key_press(Key::Escape);
    settle(&mut w.h);
    assert!(w.h.query_by_label("Don't save").is_none());
    assert!(w.h.state().is_dirty(), "nothing saved, nothing dropped");
    assert!(w.h.query_by_label("Blank tree").is_none());
}

/// File → New from outline…, through the path prompt: `path` typed in.
fn new_from_outline(h: &mut Harness<'static, KpiApp>, path: &std::path::Path) {
    h.state_mut().use_path_prompts();
    h.get_by_label("File").click();
    h.run_steps(2);
    h.get_by_label_contains("New from outline…").click();
    h.run_steps(2);
    let prompt = h.get_by_role_and_label(egui::accesskit::Role::TextInput, "File path");
    prompt.click();
    h.run_steps(1);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "File path").type_text(path.to_str().unwrap());
    h.run_steps(1);
    h.key_press(Key::Enter);
    settle(h);
}

#[test]
fn new_from_outline_makes_an_unsaved_tree_and_a_bad_line_keeps_the_document() {
    let dir = tempfile::tempdir().unwrap();
    let Window { mut h, .. } = open(DOC, 1);
    let before = h.state().document().clone();
    let bad = dir.path().join("bad.md");
    std::fs::write(&bad, "売上 (万円): 12000\n  × 顧客数 (社): 12O\n").unwrap();
    new_from_outline(&mut h, &bad);
    assert_eq!(h.state().document(), &before, "a bad outline changes nothing");
    assert!(h.query_by_label_contains("Could not read the outline").is_some(), "the error window says why");
    assert!(h.query_by_label_contains("12O").is_some(), "and names what it could not read");
    h.get_by_label("Close").click();
    h.run_steps(2);

    let good = dir.path().join("plan.md");
    std::fs::write(&good, "売上 (万円): 12000\n  × 顧客数 (社): 120 / 80\n  × 客単価 (万円/社): 100 / 90\n").unwrap();
    new_from_outline(&mut h, &good);
    let doc = h.state().document();
    let names: Vec<&str> = doc.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["売上", "顧客数", "客単価"]);
    assert_eq!(doc.edges.len(), 2);
    assert_eq!(h.state().path(), None, "a new tree, not yet saved anywhere");
    assert_eq!(
        h.state().evaluation().and_then(|e| e.get_str(doc.nodes[0].id.as_str())).and_then(|v| v.actual),
        Some(7200.0)
    );
}
