//! The editor under stress: a real panic writes the unsaved work aside for
//! the next start, and names and notes of any length leave the cards intact.
#![cfg(feature = "gui")]

use crate::common::ui::editor;
use egui::accesskit::Role;
use egui_kittest::kittest::{NodeT, Queryable};
use kpitree::model::NodeId;

/// Process ids no running process can have, for simulated runs.
const CRASHED_RUN: u32 = 4_294_000_010;
const NEXT_RUN: u32 = 4_294_000_011;

#[test]
fn a_real_panic_on_the_ui_thread_writes_the_work_aside_and_the_next_start_offers_it() {
    let data = tempfile::tempdir().unwrap();
    let mut h = editor(None, data.path(), CRASHED_RUN);
    h.get_by_label("+ KPI").click();
    h.run_steps(2);
    let unsaved = h.state().document().clone();
    kpitree::ui::install_panic_hook();
    let crash = std::panic::catch_unwind(|| panic!("a bug in the editor"));
    assert!(crash.is_err());
    drop(h);
    // The next start, as another process, asks whether to restore it.
    let next = editor(None, data.path(), NEXT_RUN);
    assert!(next.query_by_label("Restore").is_some(), "the restore question is shown");
    let store = kpitree::io::RecoveryStore::in_dir_as(data.path().to_owned(), NEXT_RUN);
    assert_eq!(store.find_orphans().first().map(|r| r.load().unwrap()), Some(unsaved));
}

#[test]
fn a_ten_thousand_character_name_and_note_keep_the_card_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let name = "とても長い名前".repeat(1430);
    let note = "note ".repeat(2000);
    let text = format!(
        r#"{{"format":"kpitree","version":1,"nodes":[
            {{"id":"long","kind":"KPI","name":"{name}","note":"{note}","unit":"件","target":1,"actual":1,"pos":[0,0]}},
            {{"id":"short","kind":"KPI","name":"短い","unit":"件","target":1,"actual":1,"pos":[0,200]}}],"edges":[]}}"#
    );
    let path = dir.path().join("long.kpitree.json");
    std::fs::write(&path, text).unwrap();
    let mut h = editor(Some(path), &dir.path().join("data"), NEXT_RUN + 1);
    h.run_steps(3);
    let ctx = h.ctx.clone();
    let long = h.state().card_screen_rect(&ctx, &NodeId::from("long")).expect("the long card is drawn");
    let short = h.state().card_screen_rect(&ctx, &NodeId::from("short")).expect("the short card is drawn");
    // The name is cut to two lines ending in "…": the card is at most the
    // widest card, and one name line taller than a card with a short name.
    let zoom = h.state().canvas_zoom();
    let widest = kpitree::export::metrics::MAX_WIDTH as f32 * zoom;
    let line = kpitree::export::metrics::NAME_LINE as f32 * zoom;
    assert!(long.width() <= widest + 1.0, "{long:?} is wider than {widest}");
    assert!((long.height() - short.height() - line).abs() < 1.5, "{long:?} vs {short:?}");
    // Selected (through its orphan warning), the inspector holds the whole name.
    let warning = h
        .get_all_by_label_contains("とても長い名前")
        .find(|n| n.accesskit_node().label().is_some_and(|l| l.contains("[orphan]")))
        .expect("the orphan warning names it");
    warning.click();
    h.run_steps(3);
    assert_eq!(h.state().selected().map(NodeId::as_str), Some("long"));
    // 30 KB is too long for a field: a preview, and the whole name in the
    // long-text window, editable there.
    // (The name's button comes first; the note has one too.)
    h.get_all_by_label_contains("Open the whole text").next().expect("a button").click();
    h.run_steps(3);
    let full = h.get_all_by_role(Role::MultilineTextInput).any(|n| n.value().as_deref() == Some(name.as_str()));
    assert!(full, "the window's field holds all 10,010 characters");
}

/// The worker's job, except that it panics on any document of more than
/// three nodes.
fn fragile(
    cache: &mut kpitree::pipeline::derived::Cache,
    request: kpitree::pipeline::derived::Request,
) -> kpitree::pipeline::derived::Derived {
    assert!(request.document.nodes.len() <= 3, "three nodes are enough for anybody");
    kpitree::pipeline::derived::derive(cache, request)
}

#[test]
fn a_panic_on_the_worker_shows_a_banner_keeps_the_document_and_recovers() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{ "format": "kpitree", "version": 1,
      "nodes": [ { "id": "kgi", "kind": "KGI", "name": "売上", "unit": "万円" },
                 { "id": "a", "kind": "KPI", "name": "顧客数", "unit": "社", "actual": 80 },
                 { "id": "b", "kind": "KPI", "name": "客単価", "unit": "万円/社", "actual": 90 } ],
      "edges": [ { "parent": "kgi", "child": "a", "op": "*" }, { "parent": "kgi", "child": "b", "op": "*" } ] }"#;
    let mut h = crate::common::ui::editor_on(dir.path(), "t.kpitree.json", text);
    h.state_mut().use_derive_job(fragile);
    crate::common::ui::settle(&mut h);
    assert_eq!(h.state().worker_failure(), None);
    h.get_by_label("+ KPI").click();
    crate::common::ui::settle(&mut h);
    // The banner says what happened; the document keeps the new node; the
    // numbers are the last good ones.
    let message = h.state().worker_failure().expect("the failure is reported").to_owned();
    assert!(message.contains("three nodes are enough"), "{message}");
    assert!(h.query_by_label_contains("An internal error stopped the calculation").is_some());
    assert_eq!(h.state().document().nodes.len(), 4);
    let goal = h.state().evaluation().and_then(|e| e.get_str("kgi")).and_then(|v| v.actual);
    assert_eq!(goal, Some(7200.0));
    // The worker goes on: the next document it can compute clears the banner.
    h.state_mut().undo();
    crate::common::ui::settle(&mut h);
    assert_eq!(h.state().worker_failure(), None);
    assert!(h.query_by_label_contains("An internal error stopped the calculation").is_none());
    assert_eq!(h.state().document().nodes.len(), 3);
}

fn titled_file(dir: &std::path::Path, title: &str, node: &str) -> std::path::PathBuf {
    let path = dir.join(format!("{node}.kpitree.json"));
    let text = format!(
        r#"{{"format":"kpitree","version":1,"title":"{title}","nodes":[{{"id":"{node}","kind":"KGI","name":"{node}","pos":[0,0]}}],"edges":[]}}"#
    );
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_new_document_shows_computing_until_its_own_first_result_never_the_last_ones() {
    let dir = tempfile::tempdir().unwrap();
    let a = titled_file(dir.path(), "A", "a_only");
    let b = titled_file(dir.path(), "slow B", "b_only");
    let mut h = editor(Some(a), &dir.path().join("data"), NEXT_RUN + 2);
    h.state_mut().use_derive_job(crate::common::ui::gated);
    crate::common::ui::settle(&mut h);
    let ctx = h.ctx.clone();
    assert!(h.state().card_screen_rect(&ctx, &NodeId::from("a_only")).is_some());
    crate::common::ui::close_gate("slow B");
    let _gate = crate::common::ui::OpensOnDrop("slow B");
    h.state_mut().open_path(b);
    h.run_steps(4);
    assert_eq!(h.state().document().title.as_deref(), Some("slow B"));
    assert!(h.state().evaluation().is_none(), "no evaluation but this document's");
    assert!(h.state().card_screen_rect(&ctx, &NodeId::from("a_only")).is_none(), "A's diagram is gone");
    assert!(h.query_all_by_label("Computing…").count() >= 2, "the canvas and the diagnostics say so");
    assert!(h.query_by_label("No problems found.").is_none());
    crate::common::ui::open_gate("slow B");
    crate::common::ui::settle(&mut h);
    h.run_steps(2);
    assert!(h.state().card_screen_rect(&ctx, &NodeId::from("b_only")).is_some());
    assert!(h.query_by_label("Computing…").is_none());
}

#[test]
fn quitting_never_waits_for_the_worker() {
    let dir = tempfile::tempdir().unwrap();
    let c = titled_file(dir.path(), "slow C", "c_only");
    crate::common::ui::close_gate("slow C");
    let mut h = editor(None, &dir.path().join("data"), NEXT_RUN + 3);
    h.state_mut().use_derive_job(crate::common::ui::gated);
    h.state_mut().open_path(c);
    h.run_steps(3);
    assert!(h.state().evaluation().is_none(), "C is being computed");
    let (done_tx, done) = std::sync::mpsc::channel::<()>();
    let guard = std::thread::spawn(move || {
        // Opens the gate only if the editor has not closed after a minute
        // (a hang, not a speed), so that a failure ends the test.
        let closed = done.recv_timeout(std::time::Duration::from_secs(60)).is_ok();
        crate::common::ui::open_gate("slow C");
        closed
    });
    drop(h); // what closing the window does to the app
    let _ = done_tx.send(());
    assert!(guard.join().unwrap(), "closing waited for the worker");
}
