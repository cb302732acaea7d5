//! Messages that say what is wrong, and numbers that read as numbers
//! (issue 21, "Smaller"): a closed parenthesis, an empty file, a reversed
//! period, percentages past any sense, subnormal values, and an output
//! that is a link to a pipe.

use std::process::{Command, Output};

use kpitree::format::{format_number, percent as format_percent};
use kpitree::io::{LoadError, from_str};

fn kpitree(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .output()
        .expect("the binary runs")
}

fn file_with(dir: &std::path::Path, text: &str) -> String {
    let path = dir.join("t.kpitree.json");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn a_document_that_is_null_says_what_it_found_in_closed_parentheses() {
    let e = from_str("null", "t.json").expect_err("null is no document");
    assert_eq!(e.to_string(), "t.json: expected a kpitree document (a JSON object), found null");
}

#[test]
fn an_empty_file_is_reported_as_empty_at_line_1_column_1() {
    for text in ["", "\n\n", " \t "] {
        let e = from_str(text, "t.json").expect_err("empty");
        assert!(matches!(e, LoadError::Syntax { line: 1, column: 1, .. }), "{text:?}: {e:?}");
        assert!(e.to_string().contains("the file is empty"), "{e}");
    }
}

#[test]
fn a_syntax_error_at_the_end_of_a_line_is_never_at_column_0() {
    let e = from_str("{\"format\": \"kpitree\",\n", "t.json").expect_err("truncated");
    assert!(matches!(e, LoadError::Syntax { column, .. } if column >= 1), "{e:?}");
}

const PERIOD: &str = r#"{ "format": "kpitree", "version": 1, "period": PERIOD,
  "nodes": [ { "id": "g", "kind": "KGI", "name": "売上", "unit": "件", "target": 10, "actual": 5,
               "deadline": "2027-03-31" } ], "edges": [] }"#;

#[test]
fn a_reversed_period_says_that_it_ends_before_it_starts() {
    let dir = tempfile::tempdir().unwrap();
    let period = r#"{ "start": "2027-03-31", "end": "2026-04-01", "as_of": "2026-10-01" }"#;
    let file = file_with(dir.path(), &PERIOD.replace("PERIOD", period));
    let out = kpitree(&["analyze", &file, "--lang", "en"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("the period ends (2026-04-01) before it starts (2027-03-31)"), "{text}");
    assert!(!text.contains("needs period.start"), "{text}");
    let out = kpitree(&["analyze", &file, "--lang", "ja"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("期間の終わり (2026-04-01) が始まり (2027-03-31) より前です"), "{text}");
}

#[test]
fn an_empty_period_says_that_it_starts_and_ends_on_one_day() {
    let dir = tempfile::tempdir().unwrap();
    let period = r#"{ "start": "2026-04-01", "end": "2026-04-01", "as_of": "2026-04-01" }"#;
    let file = file_with(dir.path(), &PERIOD.replace("PERIOD", period));
    let text = String::from_utf8_lossy(&kpitree(&["analyze", &file, "--lang", "en"]).stdout).into_owned();
    assert!(text.contains("the period starts and ends on 2026-04-01"), "{text}");
    assert!(!text.contains("needs period.start"), "{text}");
}

#[test]
fn a_period_without_an_as_of_date_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let period = r#"{ "start": "2026-04-01", "end": "2027-03-31" }"#;
    let file = file_with(dir.path(), &PERIOD.replace("PERIOD", period));
    let text = String::from_utf8_lossy(&kpitree(&["analyze", &file, "--lang", "en"]).stdout).into_owned();
    assert!(text.contains("Pacing: the period has no as_of date"), "{text}");
}

#[test]
fn percentages_past_9999_are_capped_and_infinity_never_printed() {
    assert_eq!(format_percent(0.6, 1), "60.0%");
    assert_eq!(format_percent(99.99, 0), "9,999%");
    assert_eq!(format_percent(1e58, 1), "> 9,999 %");
    assert_eq!(format_percent(f64::INFINITY, 0), "> 9,999 %");
    assert_eq!(format_percent(-1e30, 1), "< -9,999 %");
    assert_eq!(format_percent(f64::NAN, 1), "—");
    assert_eq!(kpitree::format::signed_percent(f64::INFINITY, 1), "> 9,999 %");
    assert_eq!(kpitree::format::signed_percent(0.5, 1), "+50.0%");
    // In `check`'s report: a target of 1e-300 reached 1e50 times over.
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{ "format": "kpitree", "version": 1, "nodes": [
      { "id": "g", "kind": "KGI", "name": "g", "target": 1e-300, "actual": 1e-250, "deadline": "2027-03-31" } ],
      "edges": [] }"#;
    let out = kpitree(&["check", &file_with(dir.path(), text)]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("(> 9,999 %)"), "{report}");
    // In `seek`: from an actual of 1e-320 any answer is an infinite change.
    let text = r#"{ "format": "kpitree", "version": 1, "nodes": [
      { "id": "g", "kind": "KGI", "name": "g", "target": 100, "deadline": "2027-03-31" },
      { "id": "a", "kind": "KPI", "name": "a", "unit": "件", "target": 10, "actual": 1e-320 },
      { "id": "b", "kind": "KPI", "name": "b", "unit": "件", "target": 10, "actual": 10 } ],
      "edges": [ { "parent": "g", "child": "a", "op": "*" }, { "parent": "g", "child": "b", "op": "*" } ] }"#;
    let out = kpitree(&["seek", &file_with(dir.path(), text), "--node", "a", "--lang", "en"]);
    let answer = String::from_utf8_lossy(&out.stdout);
    assert!(answer.contains("> 9,999 %"), "{answer}");
    assert!(!answer.contains("inf"), "{answer}");
}

#[test]
fn a_subnormal_value_is_shown_as_zero() {
    assert_eq!(format_number(5e-324), "0");
    assert_eq!(format_number(-2.2e-310), "0");
    assert_eq!(format_number(f64::MIN_POSITIVE), "2.23e-308");
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{ "format": "kpitree", "version": 1, "nodes": [
      { "id": "g", "kind": "KGI", "name": "g", "unit": "件", "target": 1, "actual": 5e-324, "deadline": "2027-03-31" } ],
      "edges": [] }"#;
    let out = kpitree(&["check", &file_with(dir.path(), text)]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(report.contains("actual 0 件"), "{report}");
}

#[cfg(unix)]
#[test]
fn an_output_that_links_to_a_pipe_is_refused_as_no_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.kpitree.json");
    assert!(kpitree(&["new", "-t", "sales-basic", "-o", input.to_str().unwrap()]).status.success());
    let link = dir.path().join("out.png");
    std::os::unix::fs::symlink("/dev/stdout", &link).unwrap();
    // `output()` gives the child a pipe as its stdout.
    let out = kpitree(&["export", input.to_str().unwrap(), "-o", link.to_str().unwrap()]);
    let message = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{message}");
    assert!(message.contains("is not a regular file"), "{message}");
    assert!(!message.contains("No such file"), "{message}");
    assert!(out.stdout.is_empty(), "nothing was written to the pipe");
}
