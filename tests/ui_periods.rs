//! Periods in the editor: the toolbar's period picker changes what every
//! card shows, and a trend line tells the month under the pointer.
#![cfg(feature = "gui")]

use crate::common::ui::{editor_on, settle};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use kpitree::model::NodeId;
use kpitree::ui::KpiApp;

/// 売上 by month, April to June; the as-of date in May: 累計 is April and May.
const MONTHLY: &str = r#"{
  "format": "kpitree", "version": 1, "title": "月次",
  "period": { "start": "2026-04-01", "end": "2026-06-30", "as_of": "2026-05-31" },
  "nodes": [
    { "id": "sales", "kind": "KGI", "name": "売上", "unit": "万円",
      "series": { "2026-04": { "target": 100, "actual": 90 }, "2026-05": { "target": 100, "actual": 120 },
                  "2026-06": { "target": 200 } } }
  ],
  "edges": []
}"#;

fn progress(harness: &Harness<'static, KpiApp>) -> Option<f64> {
    let d = harness.state().derived()?;
    d.diagram.card(&NodeId::from("sales"))?.progress
}

#[test]
fn the_period_picker_shows_the_year_to_date_or_one_month_on_the_cards() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "monthly.kpitree.json", MONTHLY);
    settle(&mut harness);
    // 通期: 210 of 400.
    assert_eq!(progress(&harness), Some(210.0 / 400.0));
    // 着地見込: April's and May's actuals and June's plan, 410 of 400.
    for (entry, expected) in
        [("Year to date (Apr 2026 – May 2026)", 210.0 / 200.0), ("Landing forecast", 410.0 / 400.0), ("Apr 2026", 0.9)]
    {
        harness.get_by_label("Show").click();
        settle(&mut harness);
        harness.get_by_label(entry).click();
        settle(&mut harness);
        assert_eq!(progress(&harness), Some(expected), "{entry}");
    }
    // The export starts from the view on the canvas.
    harness.state_mut().open_export_for_test();
    let shown = harness.state().export_options_for_test().map(|o| o.shown);
    assert_eq!(shown, Some(kpitree::export::Shown::Period(kpitree::model::Label::parse("2026-04").unwrap())));
}

#[test]
fn the_trend_line_tells_the_numbers_of_the_month_under_the_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "monthly.kpitree.json", MONTHLY);
    settle(&mut harness);
    let id = NodeId::from("sales");
    harness.state_mut().zoom_to(&id);
    settle(&mut harness);
    let rect = harness.state().card_screen_rect(&harness.ctx, &id).unwrap();
    // The trend runs across the foot of the card: its right end is June.
    let near_foot = egui::pos2(rect.right() - rect.width() * 0.12, rect.bottom() - rect.height() * 0.1);
    harness.hover_at(near_foot);
    settle(&mut harness);
    assert!(harness.query_by_label_contains("Jun 2026").is_some(), "June's numbers under the pointer");
    assert!(harness.query_by_label_contains("Target: 200 万円").is_some());
    assert!(harness.query_by_label_contains("Actual: —").is_some());
}

fn actual_in(harness: &Harness<'static, KpiApp>, month: &str) -> Option<f64> {
    let node = harness.state().document().node(&NodeId::from("sales"))?;
    let label = kpitree::model::Label::parse(month)?;
    node.series.as_ref()?.get(&label)?.actual
}

#[test]
fn importing_actuals_previews_every_change_and_applies_them_as_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("actuals.csv");
    // April changes, May is the same, June is new; 売上 by its name.
    std::fs::write(&csv, "ノード,2026-04,2026-05,2026-06\n売上,95,120,150\n").unwrap();
    let mut harness = editor_on(dir.path(), "monthly.kpitree.json", MONTHLY);
    harness.state_mut().use_path_prompts();
    settle(&mut harness);
    // Ctrl+Shift+I, as File → Import actuals… does.
    harness.key_press_modifiers(egui::Modifiers::COMMAND | egui::Modifiers::SHIFT, egui::Key::I);
    settle(&mut harness);
    harness.get_by_label("File path").click();
    harness.run();
    harness.get_by_label("File path").type_text(&csv.display().to_string());
    harness.get_by_label("Read").click();
    settle(&mut harness);
    assert!(harness.query_by_label_contains("1 row matched, 2 values change, 1 unchanged, 0 rows failed").is_some());
    assert!(harness.query_by_label_contains("2026-04  Actual: 90 万円 → 95 万円").is_some());
    // Nothing changed yet.
    assert_eq!(actual_in(&harness, "2026-04"), Some(90.0));
    harness.get_by_label("Import").click();
    settle(&mut harness);
    assert_eq!((actual_in(&harness, "2026-04"), actual_in(&harness, "2026-06")), (Some(95.0), Some(150.0)));
    harness.state_mut().undo();
    settle(&mut harness);
    assert_eq!((actual_in(&harness, "2026-04"), actual_in(&harness, "2026-06")), (Some(90.0), None));
}

#[test]
fn a_file_with_a_bad_row_imports_nothing_until_the_bad_rows_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("actuals.csv");
    std::fs::write(&csv, "node,period,actual\nsales,2026-04,95\nnobody,2026-04,1\n").unwrap();
    let mut harness = editor_on(dir.path(), "monthly.kpitree.json", MONTHLY);
    harness.state_mut().use_path_prompts();
    harness.state_mut().import_file_for_test(csv);
    settle(&mut harness);
    assert!(harness.query_by_label_contains("row 3: no node has the id or name \"nobody\"").is_some());
    harness.get_by_label("Import").click();
    settle(&mut harness);
    assert_eq!(actual_in(&harness, "2026-04"), Some(90.0), "nothing is imported while a row fails");
    harness.get_by_label_contains("skipping those that failed").click();
    settle(&mut harness);
    harness.get_by_label("Import").click();
    settle(&mut harness);
    assert_eq!(actual_in(&harness, "2026-04"), Some(95.0));
}

fn target_in(harness: &Harness<'static, KpiApp>, month: &str) -> Option<f64> {
    let node = harness.state().document().node(&NodeId::from("sales"))?;
    let label = kpitree::model::Label::parse(month)?;
    node.series.as_ref()?.get(&label)?.target
}

#[test]
fn the_monthly_table_takes_a_typed_cell_and_a_block_pasted_from_excel_as_one_undo_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = editor_on(dir.path(), "monthly.kpitree.json", MONTHLY);
    harness.state_mut().select_for_test(NodeId::from("sales"));
    settle(&mut harness);
    // June's actual, typed.
    let june_actual = || harness.get_all_by_label("Jun 2026").nth(1).unwrap();
    june_actual().click();
    harness.run();
    harness.get_all_by_label("Jun 2026").nth(1).unwrap().type_text("150");
    settle(&mut harness);
    assert_eq!(actual_in(&harness, "2026-06"), Some(150.0));
    // Two rows of two cells copied from Excel, pasted on April's target.
    harness.get_all_by_label("Apr 2026").next().unwrap().click();
    harness.run();
    harness.event(egui::Event::Paste("110\t95\r\n105\t1,180\r\n".into()));
    settle(&mut harness);
    assert_eq!((target_in(&harness, "2026-04"), actual_in(&harness, "2026-04")), (Some(110.0), Some(95.0)));
    assert_eq!((target_in(&harness, "2026-05"), actual_in(&harness, "2026-05")), (Some(105.0), Some(1180.0)));
    assert_eq!(target_in(&harness, "2026-06"), Some(200.0), "a block pastes only where it reaches");
    harness.state_mut().undo();
    settle(&mut harness);
    assert_eq!((target_in(&harness, "2026-04"), actual_in(&harness, "2026-05")), (Some(100.0), Some(120.0)));
    assert_eq!(actual_in(&harness, "2026-06"), Some(150.0), "the typed cell is a step of its own");
}

#[test]
fn spread_shares_the_full_period_target_out_by_days() {
    let dir = tempfile::tempdir().unwrap();
    // 9,100 over April (30 days), May (31) and June (30).
    let text = MONTHLY.replace(r#""unit": "万円","#, r#""unit": "万円", "target": 9100,"#);
    let mut harness = editor_on(dir.path(), "monthly.kpitree.json", &text);
    harness.state_mut().select_for_test(NodeId::from("sales"));
    settle(&mut harness);
    harness.get_by_label("By days").click();
    settle(&mut harness);
    let targets: Vec<Option<f64>> = ["2026-04", "2026-05", "2026-06"].iter().map(|m| target_in(&harness, m)).collect();
    assert_eq!(targets, vec![Some(3000.0), Some(3100.0), Some(3000.0)]);
    assert_eq!(actual_in(&harness, "2026-04"), Some(90.0), "actuals stay");
    harness.get_by_label("Evenly").click();
    settle(&mut harness);
    assert_eq!(target_in(&harness, "2026-05"), Some(3033.0));
    harness.state_mut().undo();
    settle(&mut harness);
    assert_eq!(target_in(&harness, "2026-05"), Some(3100.0));
}
