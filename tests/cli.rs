//! The `kpitree` binary, run as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn kpitree(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpitree")).args(args).env("LANG", "C").output().expect("the binary runs")
}

fn data(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name).display().to_string()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).expect("stdout is one JSON object")
}

fn temp_file(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

#[test]
fn check_json_of_the_format_example_gives_effective_values_and_exit_zero() {
    let out = kpitree(&["check", &data("format-example.kpitree.json"), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let kgi = &v["values"]["kgi"];
    assert_eq!(kgi["target"], 12000);
    assert_eq!(kgi["actual"], 7200);
    assert_eq!(kgi["progress"], 0.6);
    assert_eq!(kgi["computed"], true);
    assert_eq!(kgi["unit"], "万円");
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["severity"].as_str(), d["code"].as_str(), d["node"].as_str()),
        (Some("warning"), Some("actual_mismatch"), Some("kgi"))
    );
    assert!(d["edge"].is_null());
}

#[test]
fn a_model_error_exits_with_one_and_names_the_edge() {
    let out = kpitree(&["check", &data("self-loop.kpitree.json"), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["code"] == "self_loop").expect("self_loop reported");
    assert_eq!(d["edge"], serde_json::json!({ "parent": "a", "child": "a" }));
}

#[test]
fn malformed_json_exits_with_two_naming_file_line_and_column() {
    let out = kpitree(&["check", &data("malformed.kpitree.json")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("malformed.kpitree.json:7:1"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn a_wrong_version_or_missing_file_exits_with_two() {
    assert_eq!(kpitree(&["check", &data("version2.kpitree.json")]).status.code(), Some(2));
    let missing = kpitree(&["check", &data("no-such-file.kpitree.json")]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-file.kpitree.json"));
}

#[test]
fn lang_chooses_the_language_of_messages() {
    let ja = json(&kpitree(&["check", &data("format-example.kpitree.json"), "--json", "--lang", "ja"]));
    let en = json(&kpitree(&["check", &data("format-example.kpitree.json"), "--json", "--lang", "en"]));
    assert!(ja["diagnostics"][0]["message"].as_str().unwrap().contains("実績値"));
    assert!(en["diagnostics"][0]["message"].as_str().unwrap().contains("does not add up"));
}

#[test]
fn human_output_groups_by_severity_and_ends_with_a_summary() {
    let out = kpitree(&["check", &data("format-example.kpitree.json"), "--lang", "en"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Warnings (1)"), "{text}");
    assert!(text.trim_end().ends_with("0 error(s), 1 warning(s), 0 info"), "{text}");
}

#[test]
fn every_listed_template_can_be_written_and_checks_without_errors() {
    let list = kpitree(&["templates"]);
    assert_eq!(list.status.code(), Some(0));
    let names: Vec<String> = String::from_utf8_lossy(&list.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_owned)
        .collect();
    assert!(names.contains(&"sales-basic".to_owned()));
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        let path = dir.path().join(format!("{name}.kpitree.json")).display().to_string();
        assert_eq!(kpitree(&["new", "--template", &name, "-o", &path]).status.code(), Some(0), "{name}");
        assert_eq!(kpitree(&["check", &path]).status.code(), Some(0), "{name}");
    }
}

#[test]
fn new_refuses_to_overwrite_without_force() {
    let (_dir, path) = temp_file("mine.kpitree.json");
    std::fs::write(&path, "my work").unwrap();
    let p = path.display().to_string();
    let out = kpitree(&["new", "--template", "sales-basic", "-o", &p]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my work");
    assert_eq!(kpitree(&["new", "--template", "sales-basic", "-o", &p, "--force"]).status.code(), Some(0));
    assert!(std::fs::read_to_string(&path).unwrap().contains("\"format\": \"kpitree\""));
}

#[test]
fn an_unknown_template_exits_with_two() {
    let (_dir, path) = temp_file("x.kpitree.json");
    let out = kpitree(&["new", "--template", "nope", "-o", &path.display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!path.exists());
}

#[test]
fn a_100k_node_file_and_a_50k_deep_chain_check_without_stack_overflow() {
    for (name, doc) in
        [("tree", kpitree::model::generate::tree(100_000, 3)), ("chain", kpitree::model::generate::chain(50_000))]
    {
        let (_dir, path) = temp_file("big.kpitree.json");
        kpitree::io::save(&path, &doc).unwrap();
        let out = kpitree(&["check", &path.display().to_string(), "--json"]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{name}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(json(&out)["values"].as_object().unwrap().len(), doc.nodes.len(), "{name}");
    }
}

#[test]
fn help_and_version_exit_zero() {
    assert_eq!(kpitree(&["--help"]).status.code(), Some(0));
    let v = kpitree(&["--version"]);
    assert_eq!(v.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&v.stdout).contains(env!("CARGO_PKG_VERSION")));
}
