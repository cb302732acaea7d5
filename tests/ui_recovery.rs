//! The editor after a crash (issue 21, items 3 and 5): every copy left
//! behind is offered, newest first, with its file name and age; a discarded
//! one is deleted; restored work whose file another program changed since
//! shows the disk bar, and Save asks before overwriting that change.
#![cfg(feature = "gui")]

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kpitree::ui::KpiApp;

use crate::common::ui::{editor, settle};

const CRASHED: u32 = 4_294_002_000;
const NEXT: u32 = 4_294_002_100;

const DOC: &str = r#"{"format":"kpitree","version":1,"title":"元","nodes":[
  {"id":"kgi","kind":"KGI","name":"売上","unit":"万円","target":100,"pos":[0,0]}],"edges":[]}"#;

/// An editor on `file` as process `pid` that makes an edit, writes it aside
/// and ends as a crash would (no clean exit).
fn crash_while_editing(file: &Path, data: &Path, pid: u32) -> kpitree::Document {
    let mut h = editor(Some(file.to_owned()), data, pid);
    if h.query_by_label("Later").is_some() {
        // An earlier crash's work is offered: keep it for later.
        h.get_by_label("Later").click();
        settle(&mut h);
    }
    h.get_by_label("+ KPI").click();
    settle(&mut h);
    let unsaved = h.state().document().clone();
    let ctx = h.ctx.clone();
    h.state_mut().autosave_now(&ctx);
    drop(h);
    unsaved
}

fn file_in(dir: &Path, name: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, DOC).unwrap();
    file
}

/// Sets the time of every copy in `data` of process `pid` to `age` ago.
fn age_copies_of(data: &Path, pid: u32, age: Duration) {
    for entry in std::fs::read_dir(data).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&format!("recovery-{pid}-")) && name.ends_with(".kpitree.json") {
            let f = std::fs::File::options().write(true).open(entry.path()).unwrap();
            f.set_modified(SystemTime::now() - age).unwrap();
        }
    }
}

fn copies_in(data: &Path) -> usize {
    std::fs::read_dir(data)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".kpitree.json"))
        .count()
}

/// The labels of the names in the list, top to bottom.
fn listed(h: &Harness<'static, KpiApp>, names: &[&str]) -> Vec<String> {
    let mut found: Vec<(f32, String)> =
        names.iter().filter_map(|n| h.query_by_label(n).map(|node| (node.rect().min.y, (*n).to_owned()))).collect();
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    found.into_iter().map(|(_, n)| n).collect()
}

#[test]
fn every_copy_is_offered_newest_first_and_a_discarded_one_is_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let a = file_in(dir.path(), "a.kpitree.json");
    let b = file_in(dir.path(), "b.kpitree.json");
    crash_while_editing(&a, &data, CRASHED);
    age_copies_of(&data, CRASHED, Duration::from_secs(600));
    let unsaved_b = crash_while_editing(&b, &data, CRASHED + 1);
    age_copies_of(&data, CRASHED + 1, Duration::from_secs(120));
    let mut h = editor(None, &data, NEXT);
    assert!(h.query_by_label("Unsaved work was recovered").is_some());
    assert_eq!(listed(&h, &["a.kpitree.json", "b.kpitree.json"]), ["b.kpitree.json", "a.kpitree.json"]);
    assert!(h.query_by_label_contains("2 minutes ago").is_some(), "each says when it was written");
    assert!(h.query_by_label_contains("10 minutes ago").is_some());
    // Discard the older one (the second row): its copy is deleted.
    h.get_all_by_label("Discard").nth(1).expect("a second row").click();
    settle(&mut h);
    assert_eq!(copies_in(&data), 1);
    assert!(h.query_by_label("a.kpitree.json").is_none());
    h.get_by_label("Restore").click();
    settle(&mut h);
    assert_eq!(h.state().document(), &unsaved_b);
    assert_eq!(h.state().path(), Some(b.as_path()));
    assert!(h.state().is_dirty(), "restored work still needs saving");
    assert_eq!(copies_in(&data), 0, "the copy is gone once restored");
}

#[test]
fn later_keeps_every_copy_for_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let a = file_in(dir.path(), "a.kpitree.json");
    crash_while_editing(&a, &data, CRASHED);
    let mut h = editor(None, &data, NEXT);
    h.get_by_label("Later").click();
    settle(&mut h);
    assert!(h.query_by_label("Unsaved work was recovered").is_none());
    assert_eq!(copies_in(&data), 1);
    drop(h);
    let again = editor(None, &data, NEXT + 1);
    assert!(again.query_by_label("a.kpitree.json").is_some(), "offered again");
}

#[test]
fn restored_work_whose_file_changed_since_shows_the_bar_and_save_asks() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = file_in(dir.path(), "plan.kpitree.json");
    let unsaved = crash_while_editing(&file, &data, CRASHED);
    // Meanwhile another program changes the file.
    let theirs = DOC.replace("元", "外で変更");
    std::fs::write(&file, &theirs).unwrap();
    let mut h = editor(None, &data, NEXT);
    h.get_by_label("Restore").click();
    settle(&mut h);
    settle(&mut h);
    assert_eq!(h.state().document(), &unsaved);
    assert!(h.query_by_label("The file was changed on disk").is_some(), "the bar says so");
    assert!(h.query_by_label("Reload").is_some() && h.query_by_label("Keep editing").is_some());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut h);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs, "their change is still there");
    assert!(h.query_by_label("Overwrite").is_some(), "Save asks first");
}

#[test]
fn restored_work_whose_file_is_as_it_was_saves_without_a_question() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = file_in(dir.path(), "plan.kpitree.json");
    let unsaved = crash_while_editing(&file, &data, CRASHED);
    let mut h = editor(None, &data, NEXT);
    h.get_by_label("Restore").click();
    settle(&mut h);
    settle(&mut h);
    assert!(h.query_by_label("The file was changed on disk").is_none());
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut h);
    assert!(h.query_by_label("Overwrite").is_none());
    assert_eq!(kpitree::io::load(&file).unwrap(), unsaved);
}
