//! `kpitree analyze` and `kpitree seek`, run as a user would.

use std::process::{Command, Output};

use serde_json::Value;

fn kpitree(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .output()
        .expect("the binary runs")
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON object ({e}); stderr: {}", String::from_utf8_lossy(&out.stderr)))
}

/// 売上 = 顧客数 × 客単価 with targets 120 × 100 and actuals 80 × 90, a
/// scenario in which 客単価 reaches 95, and a half-elapsed period.
const SALES: &str = r#"{
  "format": "kpitree", "version": 1, "title": "売上",
  "period": { "start": "2026-04-01", "end": "2026-04-11", "as_of": "2026-04-06" },
  "nodes": [
    { "id": "sales", "kind": "KGI", "name": "売上", "unit": "万円", "target": 12000, "deadline": "2026-04-11" },
    { "id": "cust", "kind": "KPI", "name": "顧客数", "unit": "社", "target": 120, "actual": 80 },
    { "id": "price", "kind": "KPI", "name": "客単価", "unit": "万円/社", "target": 100, "actual": 90, "pacing": "level" }
  ],
  "edges": [
    { "parent": "sales", "child": "cust", "op": "*" },
    { "parent": "sales", "child": "price", "op": "*" }
  ],
  "scenarios": [ { "name": "値上げ", "overrides": [ { "node": "price", "actual": 95 } ] } ]
}"#;

fn sales_file() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sales.kpitree.json");
    std::fs::write(&path, SALES).unwrap();
    let p = path.display().to_string();
    (dir, p)
}

#[test]
fn analyze_json_ranks_the_leaves_by_gain() {
    let (_dir, file) = sales_file();
    let out = kpitree(&["analyze", &file, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    let ranking = v["bottlenecks"].as_array().unwrap();
    assert_eq!(ranking[0]["node"], "cust");
    assert_eq!(ranking[0]["rank"], 1);
    assert_eq!(ranking[0]["gain"], 3600);
    assert_eq!(ranking[0]["goal"], "sales");
    assert_eq!(ranking[0]["goal_actual"], 7200);
    assert_eq!(ranking[0]["goal_if_reached"], 10800);
    assert_eq!(ranking[0]["share_of_gap"], 0.75);
    assert_eq!(ranking[1]["node"], "price");
    assert_eq!(ranking[1]["gain"], 800);
}

#[test]
fn analyze_json_reports_pacing() {
    let (_dir, file) = sales_file();
    let v = json_of(&kpitree(&["analyze", &file, "--json"]));
    assert_eq!(v["pacing"]["as_of"], "2026-04-06");
    assert_eq!(v["pacing"]["elapsed"], 0.5);
    let nodes = v["pacing"]["nodes"].as_array().unwrap();
    let of = |id: &str| nodes.iter().find(|n| n["node"] == id).unwrap().clone();
    // 7,200 of 12,000 at half time: ahead of the 6,000 expected.
    assert_eq!(of("sales")["expected_actual"], 6000);
    assert_eq!(of("sales")["status"], "on_track");
    // 80 of 120 customers: ahead of 60.
    assert_eq!(of("cust")["status"], "on_track");
    // A level KPI is held to its whole target: 90 of 100 is behind.
    assert_eq!(of("price")["rule"], "level");
    assert_eq!(of("price")["status"], "behind");
}

#[test]
fn analyze_with_a_scenario_applies_its_overrides() {
    let (_dir, file) = sales_file();
    let v = json_of(&kpitree(&["analyze", &file, "--json", "--scenario", "値上げ"]));
    assert_eq!(v["scenario"], "値上げ");
    let ranking = v["bottlenecks"].as_array().unwrap();
    // 80 × 95 = 7,600 now; 120 × 95 = 11,400 with the customer target.
    assert_eq!(ranking[0]["goal_actual"], 7600);
    assert_eq!(ranking[0]["gain"], 3800);
}

#[test]
fn analyze_with_an_unknown_scenario_exits_2_and_names_the_known_ones() {
    let (_dir, file) = sales_file();
    let out = kpitree(&["analyze", &file, "--scenario", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nope") && err.contains("値上げ"), "{err}");
}

#[test]
fn analyze_prints_a_readable_ranking() {
    let (_dir, file) = sales_file();
    let out = kpitree(&["analyze", &file, "--lang", "en"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1. 顧客数 (cust)"), "{text}");
    assert!(text.contains("+3,600 万円"), "{text}");
    assert!(text.contains("75.0% of the gap"), "{text}");
}

#[test]
fn seek_gives_the_actual_needed_for_the_goal() {
    let (_dir, file) = sales_file();
    let out = kpitree(&["seek", &file, "--node", "price", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json_of(&out);
    // 12,000 = 80 × 客単価 → 150, +66.7 % on 90.
    assert_eq!(v["ancestor"], "sales");
    assert_eq!(v["required"], 150);
    assert_eq!(v["current"], 90);
    let change = v["change"].as_f64().unwrap();
    assert!((change - (150.0 / 90.0 - 1.0)).abs() < 1e-12, "{change}");
}

#[test]
fn seek_for_an_explicit_ancestor() {
    let (_dir, file) = sales_file();
    let v = json_of(&kpitree(&["seek", &file, "--node", "cust", "--for", "sales", "--json"]));
    let required = v["required"].as_f64().unwrap();
    assert!((required - 12000.0 / 90.0).abs() < 1e-9, "{required}");
}

#[test]
fn seek_prints_the_answer_in_japanese() {
    let (_dir, file) = sales_file();
    let out = kpitree(&["seek", &file, "--node", "price", "--lang", "ja"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("150 万円/社"), "{text}");
    assert!(text.contains("+66.7%"), "{text}");
}

#[test]
fn seek_of_an_unknown_node_or_a_non_ancestor_exits_2() {
    let (_dir, file) = sales_file();
    let out = kpitree(&["seek", &file, "--node", "ghost"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ghost"));
    let out = kpitree(&["seek", &file, "--node", "cust", "--for", "price"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn seek_without_a_solution_exits_1_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.kpitree.json");
    let text = SALES.replace(r#""target": 100, "actual": 90"#, r#""target": 100, "actual": 0"#);
    std::fs::write(&path, text).unwrap();
    let out = kpitree(&["seek", path.to_str().unwrap(), "--node", "cust"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!out.stderr.is_empty());
}

#[test]
fn analyze_of_an_unreadable_file_exits_2() {
    let out = kpitree(&["analyze", "/nonexistent/x.kpitree.json"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn analyze_and_seek_escape_control_and_bidi_characters() {
    let hostile = SALES
        .replace(r#""name": "売上""#, r#""name": "売上\u001b]0;x\u0007\u202e""#)
        .replace(r#""unit": "社""#, r#""unit": "社\u009b2J\u2067""#)
        .replace(r#""title": "売上""#, r#""title": "T\u001b[2J""#);
    assert_ne!(hostile, SALES);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.kpitree.json");
    std::fs::write(&path, hostile).unwrap();
    let file = path.display().to_string();
    let control = |s: &str| {
        s.chars().find(|&c| {
            let u = c as u32;
            (u < 0x20 && c != '\n')
                || (0x7f..=0x9f).contains(&u)
                || matches!(u, 0x200e | 0x200f | 0x061c | 0x202a..=0x202e | 0x2066..=0x2069)
        })
    };
    for args in [
        vec!["analyze", &file],
        vec!["seek", &file, "--node", "cust"],
        vec!["seek", &file, "--node", "cust", "--lang", "ja"],
    ] {
        let out = kpitree(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(control(&text), None, "{args:?}: {text:?}");
        assert!(text.contains(r"売上\u{1b}]0;x\u{7}\u{202e}"), "{args:?}: {text}");
    }
    let text = String::from_utf8(kpitree(&["analyze", &file]).stdout).unwrap();
    assert!(text.contains(r"T\u{1b}[2J") && text.contains(r"社\u{9b}2J\u{2067}"), "{text}");
    // JSON is escaped by the JSON writer and carries the characters as they are.
    let v = json_of(&kpitree(&["analyze", &file, "--json"]));
    assert_eq!(v["bottlenecks"][0]["goal_name"], "売上\u{1b}]0;x\u{7}\u{202e}");
}

#[test]
fn analyze_json_explains_the_gap_by_each_method() {
    let (_dir, file) = sales_file();
    let parts = |method: &str| {
        let v = json_of(&kpitree(&["analyze", &file, "--json", "--method", method]));
        let a = &v["attribution"][0];
        assert_eq!(a["goal"], "sales");
        assert_eq!(a["gap"], -4800.0);
        assert_eq!(a["method"], method);
        let part = |id: &str| {
            a["contributions"].as_array().unwrap().iter().find(|c| c["node"] == id).unwrap()["contribution"]
                .as_f64()
                .unwrap()
        };
        (part("cust"), part("price"))
    };
    assert_eq!(parts("shapley"), (-3800.0, -1000.0));
    assert_eq!(parts("cost"), (-4000.0, -800.0));
}

#[test]
fn analyze_json_has_the_sensitivity_and_the_scenarios() {
    let (_dir, file) = sales_file();
    let v = json_of(&kpitree(&["analyze", &file, "--json", "--sensitivity", "20"]));
    let s = v["sensitivity"].as_array().unwrap();
    assert_eq!(s.len(), 2);
    // 80 × 90 = 7200; either factor ±20 % moves it to 5760 and 8640.
    assert_eq!(
        (s[0]["low"].as_f64(), s[0]["high"].as_f64(), s[0]["percent"].as_f64()),
        (Some(5760.0), Some(8640.0), Some(20.0))
    );
    let compared = &v["scenarios_compared"];
    assert_eq!(compared["names"][0], "値上げ");
    let sales = compared["nodes"].as_array().unwrap().iter().find(|n| n["node"] == "sales").unwrap();
    assert_eq!(sales["scenarios"][0]["actual"], 80.0 * 95.0);
    assert_eq!(sales["scenarios"][0]["actual_difference"], 80.0 * 5.0);
}

#[test]
fn analyze_csv_prints_the_tables_for_a_spreadsheet() {
    let (_dir, file) = sales_file();
    let out = kpitree(&["analyze", &file, "--csv"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("attribution,shapley\n"), "{text}");
    assert!(text.contains("sales,売上,-4800,cust,顧客数,-3800\n"), "{text}");
    assert!(text.contains("\nscenarios\nnode,name,base,値上げ\n"), "{text}");
}

#[test]
fn analyze_draws_the_waterfall_and_the_tornado() {
    let (dir, file) = sales_file();
    let svg = dir.path().join("gap.svg");
    let out = kpitree(&["analyze", &file, "--chart", "waterfall", "-o", svg.to_str().unwrap(), "--lang", "ja"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("顧客数") && text.contains("-3,800 万円"), "{text}");
    let png = dir.path().join("tornado.png");
    let out = kpitree(&["analyze", &file, "--chart", "tornado", "-o", png.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn a_chart_needs_an_svg_or_png_file_and_a_known_goal() {
    let (dir, file) = sales_file();
    let pdf = dir.path().join("gap.pdf");
    let out = kpitree(&["analyze", &file, "--chart", "waterfall", "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".svg or .png"));
    let svg = dir.path().join("gap.svg");
    let out = kpitree(&["analyze", &file, "--chart", "waterfall", "-o", svg.to_str().unwrap(), "--goal", "nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!svg.exists());
    let out = kpitree(&["analyze", &file, "--chart", "waterfall"]);
    assert_eq!(out.status.code(), Some(2), "--chart needs --output");
}

#[test]
fn lmdi_on_a_zero_says_why_and_keeps_the_rest_of_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.kpitree.json");
    std::fs::write(&path, SALES.replace(r#""actual": 80"#, r#""actual": 0"#)).unwrap();
    let v = json_of(&kpitree(&["analyze", path.to_str().unwrap(), "--json", "--method", "lmdi"]));
    assert_eq!(v["attribution"], serde_json::json!([]));
    assert!(v["attribution_error"].as_str().unwrap().contains("顧客数"), "{v}");
    assert!(v["bottlenecks"].is_array());
}

/// A goal that adds 30 KPIs, each 1 short of its target of 10 but the last,
/// which is 2 short.
fn wide_file(dir: &tempfile::TempDir) -> String {
    let mut nodes = vec![r#"{ "id": "g", "kind": "KGI", "name": "合計", "unit": "件" }"#.to_owned()];
    let mut edges = Vec::new();
    for i in 0..30 {
        let actual = if i == 29 { 8 } else { 9 };
        nodes.push(format!(
            r#"{{ "id": "t{i}", "kind": "KPI", "name": "項目{i}", "unit": "件", "target": 10, "actual": {actual} }}"#
        ));
        edges.push(format!(r#"{{ "parent": "g", "child": "t{i}", "op": "+" }}"#));
    }
    let text = format!(
        r#"{{ "format": "kpitree", "version": 1,
             "period": {{ "start": "2026-04-01", "end": "2027-03-31", "as_of": "2026-09-30" }},
             "nodes": [{}], "edges": [{}] }}"#,
        nodes.join(","),
        edges.join(",")
    );
    let path = dir.path().join("wide.kpitree.json");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn the_text_report_shows_the_top_rows_per_goal_and_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let file = wide_file(&dir);
    let out = kpitree(&["analyze", &file, "--lang", "en"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    // Bottlenecks, attribution and sensitivity: 20 rows each, the largest
    // first, then one line for the other 10. 項目29, 2 short, leads the
    // first two; its swing (±10 % of 8) is the smallest, so the sensitivity
    // hides it, and shows the equal swings in file order. Pacing: the goal
    // and 19 KPIs, then one line for the other 11.
    let pacing_at = text.find("Pacing").unwrap();
    let (ranked, rest) = text.split_at(pacing_at);
    let attribution_at = rest.find("Where the gap").unwrap();
    let (pacing, explained) = rest.split_at(attribution_at);
    assert_eq!(explained.matches("項目29").count(), 1, "{text}");
    assert_eq!(ranked.matches("項目29").count(), 1, "{text}");
    let tornado = &text[text.find("Sensitivity").unwrap()..];
    let first: Vec<&str> = tornado.lines().skip(2).take(2).collect();
    assert!(first[0].contains("項目0:") && first[1].contains("項目1:"), "{first:?}");
    let rows = |part: &str| part.lines().filter(|l| l.contains("項目")).count();
    assert_eq!((rows(ranked), rows(pacing), rows(explained)), (20, 19, 40), "{text}");
    assert!(pacing.lines().any(|l| l == "  … and 11 more (all of them: --top 0, --json or --csv)"), "{pacing}");
    let more: Vec<&str> = text.lines().filter(|l| l.contains("and 10 more")).collect();
    assert_eq!(more.len(), 3, "{text}");
    // The attribution's hidden parts add up: 10 of −1 件.
    assert!(more.iter().any(|l| l.contains("together -10 件")), "{more:?}");
    assert!(more.iter().all(|l| l.contains("--top 0")), "{more:?}");

    let all = kpitree(&["analyze", &file, "--lang", "en", "--top", "0"]);
    let text = String::from_utf8(all.stdout).unwrap();
    assert_eq!(text.lines().filter(|l| l.contains("項目")).count(), 120, "{text}");
    assert!(!text.contains("more ("), "{text}");

    let ja = kpitree(&["analyze", &file, "--lang", "ja", "--top", "5"]);
    let text = String::from_utf8(ja.stdout).unwrap();
    assert_eq!(text.lines().filter(|l| l.contains("ほか 25 件")).count(), 3, "{text}");
    assert_eq!(text.lines().filter(|l| l.contains("ほか 26 件")).count(), 1, "{text}");
}
