//! The `kpitree` binary, run as a user would: exit codes, the `check --json`
//! contract of FORMAT.md, the human report, languages, templates and `new`,
//! and documents large and deep enough to break a recursive implementation.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kpitree::model::generate;
use serde_json::{Value, json};

/// Runs the binary in the C locale (English unless `--lang` says otherwise).
fn kpitree(args: &[&str]) -> Output {
    kpitree_in_locale("C", args)
}

fn kpitree_in_locale(locale: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", locale)
        .output()
        .expect("the binary runs")
}

/// The path of a file under `tests/data/`.
fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name).display().to_string()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// `kpitree check FILE --json ARGS…`: the exit code and the printed object.
fn check_json(file: &str, args: &[&str]) -> (Option<i32>, Value) {
    let out = kpitree(&[&["check", file, "--json"], args].concat());
    let value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON object ({e}); stderr: {}", stderr(&out)));
    (out.status.code(), value)
}

fn diagnostics(report: &Value) -> &Vec<Value> {
    report["diagnostics"].as_array().expect("diagnostics is an array")
}

/// The first diagnostic with this code.
fn diagnostic<'a>(report: &'a Value, code: &str) -> &'a Value {
    diagnostics(report).iter().find(|d| d["code"] == code).unwrap_or_else(|| panic!("no {code} in {report:#}"))
}

fn codes(report: &Value) -> Vec<&str> {
    diagnostics(report).iter().map(|d| d["code"].as_str().expect("code is text")).collect()
}

fn keys(object: &Value) -> Vec<&str> {
    object.as_object().expect("an object").keys().map(String::as_str).collect()
}

/// A fresh directory and a path in it, removed with the directory.
fn temp_path(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(name);
    (dir, path)
}

fn text(path: &Path) -> String {
    path.display().to_string()
}

/// The template names `kpitree templates` lists, in order.
fn listed_templates() -> Vec<String> {
    let out = kpitree(&["templates"]);
    assert_eq!(out.status.code(), Some(0));
    stdout(&out).lines().filter_map(|l| l.split_whitespace().next()).map(str::to_owned).collect()
}

// Exit codes.

#[test]
fn a_clean_file_exits_with_zero_and_no_diagnostics() {
    let (code, report) = check_json(&data("clean.kpitree.json"), &[]);
    assert_eq!(code, Some(0));
    assert_eq!(diagnostics(&report).len(), 0, "{report:#}");
}

#[test]
fn a_file_with_only_warnings_and_infos_exits_with_zero() {
    let (code, report) = check_json(&data("warnings.kpitree.json"), &[]);
    assert_eq!(code, Some(0));
    let severities: Vec<&Value> = diagnostics(&report).iter().map(|d| &d["severity"]).collect();
    assert!(severities.contains(&&json!("warning")) && severities.contains(&&json!("info")), "{report:#}");
    assert!(!severities.contains(&&json!("error")), "{report:#}");
}

#[test]
fn a_file_with_model_errors_exits_with_one() {
    let (code, report) = check_json(&data("errors.kpitree.json"), &[]);
    assert_eq!(code, Some(1));
    for expected in ["unknown_node", "division_by_zero", "cycle"] {
        assert!(codes(&report).contains(&expected), "{expected} missing: {report:#}");
    }
}

#[test]
fn malformed_json_exits_with_two_naming_the_file_line_and_column() {
    let out = kpitree(&["check", &data("malformed.kpitree.json")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("malformed.kpitree.json:7:1:"), "{}", stderr(&out));
}

#[test]
fn a_wrong_version_exits_with_two_naming_the_file_and_the_version() {
    let out = kpitree(&["check", &data("version2.kpitree.json")]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("version2.kpitree.json") && err.contains("version 2"), "{err}");
}

#[test]
fn a_missing_file_exits_with_two_naming_the_file() {
    let out = kpitree(&["check", &data("no-such-file.kpitree.json")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no-such-file.kpitree.json"), "{}", stderr(&out));
}

#[test]
fn invalid_utf8_exits_with_two_naming_the_file_line_and_column() {
    let out = kpitree(&["check", &data("invalid-utf8.kpitree.json")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("invalid-utf8.kpitree.json:5:45:"), "{}", stderr(&out));
}

#[test]
fn unreadable_files_print_nothing_on_stdout() {
    for file in
        ["malformed.kpitree.json", "version2.kpitree.json", "no-such-file.kpitree.json", "invalid-utf8.kpitree.json"]
    {
        let out = kpitree(&["check", &data(file), "--json"]);
        assert!(out.stdout.is_empty(), "{file}: {}", stdout(&out));
    }
}

// The `--json` contract.

#[test]
fn check_json_prints_exactly_diagnostics_and_values() {
    let (_, report) = check_json(&data("errors.kpitree.json"), &[]);
    assert_eq!(keys(&report), ["diagnostics", "values"]);
}

#[test]
fn every_diagnostic_has_severity_code_node_edge_and_message() {
    for file in ["warnings.kpitree.json", "errors.kpitree.json"] {
        let (_, report) = check_json(&data(file), &[]);
        for d in diagnostics(&report) {
            // A cycle may also list its nodes: an optional extension.
            let fields: Vec<&str> = keys(d).into_iter().filter(|k| !["nodes", "cycle_length"].contains(k)).collect();
            assert_eq!(fields, ["severity", "code", "node", "edge", "message"], "{d}");
            assert!(matches!(d["severity"].as_str(), Some("error" | "warning" | "info")), "{d}");
            assert!(d["node"].is_string() || d["node"].is_null(), "{d}");
            assert!(d["edge"].is_object() || d["edge"].is_null(), "{d}");
            assert!(!d["message"].as_str().expect("message is text").is_empty(), "{d}");
        }
    }
}

#[test]
fn an_edge_diagnostic_names_its_edge_by_parent_and_child() {
    let (_, report) = check_json(&data("errors.kpitree.json"), &[]);
    let d = diagnostic(&report, "unknown_node");
    assert_eq!(d["node"], "ghost");
    assert_eq!(d["edge"], json!({ "parent": "kgi", "child": "ghost" }));
}

#[test]
fn a_node_diagnostic_has_a_null_edge() {
    let (_, report) = check_json(&data("warnings.kpitree.json"), &[]);
    let d = diagnostic(&report, "kgi_no_deadline");
    assert_eq!(d["node"], "kgi");
    assert!(d["edge"].is_null());
}

#[test]
fn diagnostics_come_errors_first_then_warnings_then_infos() {
    let (_, report) = check_json(&data("errors.kpitree.json"), &[]);
    let rank = |d: &Value| ["error", "warning", "info"].iter().position(|s| d["severity"] == *s);
    let ranks: Vec<_> = diagnostics(&report).iter().map(rank).collect();
    assert!(ranks.is_sorted(), "{ranks:?}");
}

#[test]
fn every_node_of_a_cycle_gets_a_cycle_error() {
    let (_, report) = check_json(&data("errors.kpitree.json"), &[]);
    let mut on_cycle: Vec<&Value> =
        diagnostics(&report).iter().filter(|d| d["code"] == "cycle").map(|d| &d["node"]).collect();
    on_cycle.sort_by_key(|v| v.to_string());
    assert_eq!(on_cycle, [&json!("a"), &json!("b")]);
}

#[test]
fn values_have_one_entry_per_node_with_exactly_five_fields() {
    let (_, report) = check_json(&data("warnings.kpitree.json"), &[]);
    let values = report["values"].as_object().expect("values is an object");
    let ids: Vec<&str> = values.keys().map(String::as_str).collect();
    assert_eq!(ids, ["kgi", "new", "repeat", "visits", "ksf", "lonely", "cost", "profit"]);
    for v in values.values() {
        assert_eq!(keys(v), ["target", "actual", "progress", "computed", "unit"], "{v}");
    }
}

#[test]
fn a_computed_node_has_its_entered_target_and_the_actual_its_terms_give() {
    let (_, report) = check_json(&data("clean.kpitree.json"), &[]);
    assert_eq!(
        report["values"]["kgi"],
        json!({ "target": 12000, "actual": 7200, "progress": 0.6, "computed": true, "unit": "万円" })
    );
}

#[test]
fn a_leaf_has_its_entered_target_and_actual() {
    let (_, report) = check_json(&data("clean.kpitree.json"), &[]);
    let cust = &report["values"]["cust"];
    assert_eq!(
        (&cust["target"], &cust["actual"], &cust["computed"], &cust["unit"]),
        (&json!(120), &json!(80), &json!(false), &json!("社"))
    );
    assert!((cust["progress"].as_f64().expect("a progress") - 80.0 / 120.0).abs() < 1e-12);
}

#[test]
fn progress_of_a_lower_is_better_kpi_is_target_over_actual() {
    let (_, report) = check_json(&data("clean.kpitree.json"), &[]);
    assert_eq!(report["values"]["churn"]["progress"], 1.25);
}

#[test]
fn a_node_without_values_or_unit_has_nulls() {
    let (_, report) = check_json(&data("clean.kpitree.json"), &[]);
    assert_eq!(
        report["values"]["ksf"],
        json!({ "target": null, "actual": null, "progress": null, "computed": false, "unit": null })
    );
}

#[test]
fn an_entered_target_wins_over_the_one_its_terms_give() {
    let (_, report) = check_json(&data("warnings.kpitree.json"), &[]);
    assert_eq!(report["values"]["kgi"]["target"], 10000);
    assert_eq!(diagnostic(&report, "target_mismatch")["node"], "kgi");
}

#[test]
fn a_computed_node_whose_term_has_no_actual_has_no_actual_nor_progress() {
    let (_, report) = check_json(&data("warnings.kpitree.json"), &[]);
    let kgi = &report["values"]["kgi"];
    assert!(kgi["actual"].is_null() && kgi["progress"].is_null(), "{kgi}");
}

// Languages.

#[test]
fn lang_ja_writes_messages_in_japanese() {
    let (_, report) = check_json(&data("warnings.kpitree.json"), &["--lang", "ja"]);
    assert_eq!(diagnostic(&report, "kgi_no_deadline")["message"], "KGI「売上」に期限がありません");
}

#[test]
fn lang_en_writes_messages_in_english() {
    let (_, report) = check_json(&data("warnings.kpitree.json"), &["--lang", "en"]);
    assert_eq!(diagnostic(&report, "kgi_no_deadline")["message"], "KGI \"売上\" has no deadline");
}

#[test]
fn without_lang_a_japanese_locale_gives_japanese_messages() {
    let out = kpitree_in_locale("ja_JP.UTF-8", &["check", &data("warnings.kpitree.json"), "--json"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(diagnostic(&report, "kgi_no_deadline")["message"], "KGI「売上」に期限がありません");
}

#[test]
fn without_lang_other_locales_give_english_messages() {
    let (_, report) = check_json(&data("warnings.kpitree.json"), &[]);
    assert_eq!(diagnostic(&report, "kgi_no_deadline")["message"], "KGI \"売上\" has no deadline");
}

#[test]
fn an_unknown_lang_is_a_usage_error() {
    let out = kpitree(&["check", &data("clean.kpitree.json"), "--lang", "fr"]);
    assert_eq!(out.status.code(), Some(2));
}

// The human report.

#[test]
fn the_report_groups_errors_then_warnings_then_infos() {
    let out = kpitree(&["check", &data("errors.kpitree.json"), "--lang", "en"]);
    let report = stdout(&out);
    let at = |heading: &str| report.find(heading).unwrap_or_else(|| panic!("no {heading}: {report}"));
    assert!(at("\nErrors (4)\n") < at("\nWarnings (1)\n"), "{report}");
    assert!(at("\nWarnings (1)\n") < at("\nInfo (2)\n"), "{report}");
}

#[test]
fn each_report_line_sits_under_the_heading_of_its_severity() {
    let (_, json) = check_json(&data("errors.kpitree.json"), &[]);
    let out = kpitree(&["check", &data("errors.kpitree.json"), "--lang", "en"]);
    let mut heading = "";
    for line in stdout(&out).lines() {
        if let Some(h) = ["Errors", "Warnings", "Info"].into_iter().find(|h| line.starts_with(&format!("{h} ("))) {
            heading = h;
        } else if let Some((_, rest)) = line.split_once(" [") {
            let code = rest.split(']').next().expect("a code in brackets");
            let severity = &diagnostic(&json, code)["severity"];
            let expected = match heading {
                "Errors" => "error",
                "Warnings" => "warning",
                _ => "info",
            };
            assert_eq!(severity, expected, "{line}");
        }
    }
}

#[test]
fn the_report_ends_with_a_summary_counting_each_severity() {
    let out = kpitree(&["check", &data("errors.kpitree.json"), "--lang", "en"]);
    assert_eq!(stdout(&out).lines().last(), Some("4 error(s), 1 warning(s), 2 info"));
}

#[test]
fn the_report_of_a_clean_file_has_no_groups_and_a_zero_summary() {
    let out = kpitree(&["check", &data("clean.kpitree.json"), "--lang", "en"]);
    let report = stdout(&out);
    for heading in ["Errors (", "Warnings (", "Info ("] {
        assert!(!report.contains(heading), "{report}");
    }
    assert_eq!(report.lines().last(), Some("0 error(s), 0 warning(s), 0 info"));
}

#[test]
fn the_report_shows_each_kgi_with_target_actual_and_progress() {
    let out = kpitree(&["check", &data("clean.kpitree.json"), "--lang", "en"]);
    assert!(stdout(&out).contains("KGI 売上: target 12,000 万円 / actual 7,200 万円 (60.0%)"), "{}", stdout(&out));
}

#[test]
fn the_report_in_japanese_has_japanese_headings_and_summary() {
    let out = kpitree(&["check", &data("errors.kpitree.json"), "--lang", "ja"]);
    let report = stdout(&out);
    assert!(report.contains("\nエラー (4)\n") && report.contains("\n警告 (1)\n"), "{report}");
    assert_eq!(report.lines().last(), Some("エラー 4、警告 1、情報 2"));
}

#[test]
fn the_report_through_a_pipe_has_no_colour_codes() {
    let out = kpitree(&["check", &data("errors.kpitree.json")]);
    assert!(!stdout(&out).contains('\x1b'), "{}", stdout(&out));
}

// Templates and `new`.

#[test]
fn templates_lists_every_built_in_template_once() {
    let built_in: Vec<&str> = kpitree::templates::ALL.iter().map(|t| t.name).collect();
    assert_eq!(listed_templates(), built_in);
    assert!(built_in.contains(&"sales-basic"));
}

#[test]
fn templates_gives_every_template_a_description() {
    let out = kpitree(&["templates"]);
    for line in stdout(&out).lines() {
        let description = line.split_once(" — ").map(|(_, d)| d.trim()).unwrap_or_default();
        assert!(!description.is_empty(), "no description: {line}");
    }
}

#[test]
fn new_writes_each_listed_template_as_a_document_check_accepts() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for name in listed_templates() {
        let path = text(&dir.path().join(format!("{name}.kpitree.json")));
        let out = kpitree(&["new", "--template", &name, "-o", &path]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let checked = kpitree(&["check", &path]);
        assert_eq!(checked.status.code(), Some(0), "{name}: {}{}", stdout(&checked), stderr(&checked));
    }
}

#[test]
fn new_writes_the_template_s_document() {
    let (_dir, path) = temp_path("plan.kpitree.json");
    assert_eq!(kpitree(&["new", "--template", "sales-basic", "-o", &text(&path)]).status.code(), Some(0));
    let written = kpitree::io::load(&path).expect("the written file loads");
    let template = kpitree::templates::find("sales-basic").expect("sales-basic exists");
    assert_eq!(written, template.document().expect("the template loads"));
}

#[test]
fn new_prints_the_path_it_wrote() {
    let (_dir, path) = temp_path("plan.kpitree.json");
    let out = kpitree(&["new", "-t", "sales-basic", "-o", &text(&path)]);
    assert_eq!(stdout(&out).trim_end(), text(&path));
}

#[test]
fn new_refuses_to_overwrite_an_existing_file_without_force() {
    let (_dir, path) = temp_path("mine.kpitree.json");
    std::fs::write(&path, "my work").expect("a file to protect");
    let out = kpitree(&["new", "--template", "sales-basic", "-o", &text(&path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--force"), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&path).expect("the file is still there"), "my work");
}

#[test]
fn new_with_force_overwrites_an_existing_file() {
    let (_dir, path) = temp_path("mine.kpitree.json");
    std::fs::write(&path, "my work").expect("a file to replace");
    let out = kpitree(&["new", "--template", "sales-basic", "-o", &text(&path), "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(kpitree(&["check", &text(&path)]).status.code(), Some(0));
}

#[test]
fn new_with_an_unknown_template_exits_with_two_and_writes_nothing() {
    let (_dir, path) = temp_path("x.kpitree.json");
    let out = kpitree(&["new", "--template", "no-such-template", "-o", &text(&path)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("sales-basic"), "the message lists the templates: {}", stderr(&out));
    assert!(!path.exists());
}

// The command line itself.

#[test]
fn help_exits_with_zero_and_names_the_subcommands() {
    let out = kpitree(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    for subcommand in ["check", "templates", "new"] {
        assert!(stdout(&out).contains(subcommand), "{}", stdout(&out));
    }
}

#[test]
fn version_exits_with_zero_and_prints_the_version() {
    let out = kpitree(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains(env!("CARGO_PKG_VERSION")), "{}", stdout(&out));
}

#[test]
fn check_without_a_file_is_a_usage_error() {
    assert_eq!(kpitree(&["check"]).status.code(), Some(2));
}

// Size and depth: everything is iterative, so neither overflows the stack.

#[test]
fn a_50000_deep_chain_checks_without_overflowing_the_stack() {
    let (_dir, path) = temp_path("chain.kpitree.json");
    kpitree::io::save(&path, &generate::chain(50_000)).expect("the chain is written");
    let (code, report) = check_json(&text(&path), &[]);
    assert_eq!(code, Some(0));
    assert_eq!(report["values"].as_object().expect("values").len(), 50_000);
    // The leaf's values reach the KGI through all 49,999 levels.
    assert_eq!(
        report["values"]["c0"],
        json!({ "target": 1000, "actual": 800, "progress": 0.8, "computed": true, "unit": "万円" })
    );
}

#[test]
fn a_100000_node_tree_checks_without_overflowing_the_stack() {
    let (_dir, path) = temp_path("tree.kpitree.json");
    kpitree::io::save(&path, &generate::tree(100_000, 11)).expect("the tree is written");
    let (code, report) = check_json(&text(&path), &[]);
    assert_eq!(code, Some(0), "a generated tree has no errors");
    assert_eq!(report["values"].as_object().expect("values").len(), 100_000);
}

// Hostile files.

#[test]
fn a_duplicate_key_exits_with_two_naming_the_line_column_and_key() {
    let (_dir, path) = temp_path("twice.kpitree.json");
    let text_with_two = "{\n  \"format\": \"kpitree\", \"version\": 1,\n  \"nodes\": [ { \"id\": \"a\", \"kind\": \"KGI\", \"name\": \"A\" } ],\n  \"edges\": [],\n    \"nodes\": []\n}\n";
    std::fs::write(&path, text_with_two).expect("write");
    for args in [vec!["check", path.to_str().unwrap()], vec!["check", path.to_str().unwrap(), "--json"]] {
        let out = kpitree(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out).trim_end(), format!("kpitree: {}:5:5: duplicate key \"nodes\"", text(&path)));
        assert!(out.stdout.is_empty());
    }
}

/// Characters that must not reach a terminal: escape sequences (a window
/// title, a screen clear, colours), a bell, a C1 control, a carriage return
/// and bidirectional overrides.
const HOSTILE: &str = r"\u001b]0;owned\u0007\u001b[2J\u009b31m\r\u202eevil\u2066\u200f\u061c";

fn hostile_file(dir: &Path) -> PathBuf {
    let path = dir.join("hostile.kpitree.json");
    let doc = format!(
        r#"{{"format":"kpitree","version":1,"title":"T{HOSTILE}",
        "nodes":[{{"id":"g{HOSTILE}","kind":"KGI","name":"売上{HOSTILE}","unit":"円{HOSTILE}","target":100,"actual":50}},
                 {{"id":"k","kind":"KPI","name":"K{HOSTILE}","unit":"件","target":10}}],
        "edges":[{{"parent":"g{HOSTILE}","child":"k","op":"link"}},{{"parent":"ghost{HOSTILE}","child":"k","op":"+"}}]}}"#
    );
    std::fs::write(&path, doc).expect("write");
    path
}

/// Whether `s` has a character the report must escape (newlines separate lines).
fn has_control(s: &str) -> Option<char> {
    s.chars().find(|&c| {
        let u = c as u32;
        (u < 0x20 && c != '\n')
            || (0x7f..=0x9f).contains(&u)
            || matches!(u, 0x200e | 0x200f | 0x061c | 0x202a..=0x202e | 0x2066..=0x2069)
    })
}

#[test]
fn the_report_escapes_control_and_bidi_characters_of_names_ids_units_and_titles() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = hostile_file(dir.path());
    for lang in ["en", "ja"] {
        let out = kpitree(&["check", &text(&path), "--lang", lang]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let report = stdout(&out);
        assert_eq!(has_control(&report), None, "{report:?}");
        assert!(
            report.contains(r"T\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\u{d}\u{202e}evil\u{2066}\u{200f}\u{61c}"),
            "{report}"
        );
        assert!(report.contains(r"KGI 売上\u{1b}"), "the name: {report}");
        assert!(report.contains(r"円\u{1b}"), "the unit: {report}");
        assert!(report.contains(r"ghost\u{1b}"), "the id in a diagnostic: {report}");
    }
}

#[test]
fn check_json_keeps_the_characters_as_they_are() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = hostile_file(dir.path());
    let out = kpitree(&["check", &text(&path), "--json"]);
    let raw = stdout(&out);
    // The JSON writer escapes C0 controls; the text itself is unchanged.
    assert!(!raw.contains('\u{1b}') && !raw.contains('\u{7}'), "{raw:?}");
    let report: Value = serde_json::from_str(&raw).expect("JSON");
    let unit =
        report["values"]["g\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\r\u{202e}evil\u{2066}\u{200f}\u{61c}"]["unit"].clone();
    assert_eq!(unit, json!("円\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m\r\u{202e}evil\u{2066}\u{200f}\u{61c}"));
}

#[test]
fn error_messages_escape_what_the_file_puts_in_them() {
    let (_dir, path) = temp_path("bad.kpitree.json");
    std::fs::write(
        &path,
        r#"{"format":"kpitree","version":1,"nodes":[{"id":"x\u001b[2J","kind":"KPI","name":7}],"edges":[]}"#,
    )
    .expect("write");
    let out = kpitree(&["check", &text(&path)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(has_control(&err), None, "{err:?}");
    assert!(err.contains(r#"(id "x\u{1b}[2J")"#), "{err}");
}
