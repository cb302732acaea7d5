//! The editor on the hostile inputs of issue 21, at full size: ignored by
//! `cargo test` (they take seconds and gigabytes would show here first) and
//! run, timed and measured, by `scripts/hostile-input.sh`. What each checks
//! is also checked at a small size by the ordinary tests.
#![cfg(feature = "gui")]

use egui_kittest::kittest::Queryable;
use kpitree::model::NodeId;

use crate::common::ui::{editor, editor_on, longest_field, settle};

#[test]
#[ignore = "hostile input at full size: scripts/hostile-input.sh"]
fn hostile_editor_on_a_twenty_megabyte_title() {
    let dir = tempfile::tempdir().unwrap();
    let title = "長".repeat(20 * 1024 * 1024 / 3);
    let text = serde_json::json!({ "format": "kpitree", "version": 1, "title": title,
        "nodes": [ { "id": "g", "kind": "KGI", "name": "売上", "pos": [0, 0] } ], "edges": [] })
    .to_string();
    let mut h = editor_on(dir.path(), "t.kpitree.json", &text);
    for _ in 0..10 {
        settle(&mut h);
    }
    assert!(longest_field(&h) <= 4096);
    h.get_by_label_contains("Open the whole text").click();
    for _ in 0..10 {
        settle(&mut h);
    }
    assert!(longest_field(&h) <= 4096, "paged, not laid out whole");
    assert!(h.state().window_title_text().chars().count() < 150);
}

#[test]
#[ignore = "hostile input at full size: scripts/hostile-input.sh"]
fn hostile_editor_start_with_four_crash_copies_of_133_mb() {
    let data = tempfile::tempdir().unwrap();
    for k in 0..4u32 {
        // What a crash leaves: a copy (sparse here: only its size matters,
        // since the start must not read it) and its header.
        let stem = format!("recovery-{}-run{k}aaaa", 4_294_004_000 + k);
        let copy = data.path().join(format!("{stem}.kpitree.json"));
        std::fs::File::create(&copy).unwrap().set_len(133 * 1024 * 1024).unwrap();
        let header = serde_json::json!({ "origin": format!("/work/plan{k}.kpitree.json"), "base": null,
            "title": format!("plan {k}"), "nodes": 1_000_000 });
        std::fs::write(data.path().join(format!("{stem}.header.json")), header.to_string()).unwrap();
    }
    let h = editor(None, data.path(), 4_294_004_100);
    for k in 0..4 {
        assert!(h.query_by_label(&format!("plan{k}.kpitree.json")).is_some(), "copy {k} offered");
    }
    assert_eq!(h.get_all_by_label("Restore").count(), 4);
}

#[test]
#[ignore = "hostile input at full size: scripts/hostile-input.sh"]
fn hostile_editor_on_a_wide_tree_after_another_document_then_quit() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = vec![serde_json::json!({ "id": "g", "kind": "KGI", "name": "売上", "unit": "件" })];
    let mut edges = Vec::new();
    for i in 0..100_000 {
        nodes.push(serde_json::json!({ "id": format!("k{i}"), "kind": "KPI", "name": format!("k{i}"),
            "unit": "件", "target": 10, "actual": i % 7 }));
        edges.push(serde_json::json!({ "parent": "g", "child": format!("k{i}"), "op": "+" }));
    }
    let wide = dir.path().join("wide.kpitree.json");
    let doc = serde_json::json!({ "format": "kpitree", "version": 1, "title": "wide", "nodes": nodes, "edges": edges });
    std::fs::write(&wide, doc.to_string()).unwrap();
    let small = dir.path().join("small.kpitree.json");
    std::fs::write(
        &small,
        r#"{"format":"kpitree","version":1,"nodes":[{"id":"only","kind":"KGI","name":"x","pos":[0,0]}],"edges":[]}"#,
    )
    .unwrap();
    let mut h = editor(Some(small), &dir.path().join("data"), 4_294_004_200);
    let ctx = h.ctx.clone();
    assert!(h.state().card_screen_rect(&ctx, &NodeId::from("only")).is_some());
    h.state_mut().open_path(wide);
    h.run_steps(5);
    if h.state().evaluation().is_none() {
        assert!(h.query_all_by_label("Computing…").next().is_some());
    }
    assert!(h.state().card_screen_rect(&ctx, &NodeId::from("only")).is_none(), "never the last document's");
    // Quitting now: whatever the worker is doing, this returns at once.
    drop(h);
}
