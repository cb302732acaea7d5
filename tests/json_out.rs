//! JSON written as it is made (issue 21, items 8 and 9): `check --json` and
//! `export -o X.json` of a huge document never hold it whole in memory as
//! JSON values; an export past the pretty limit is compact, as a save is, and
//! one past what kpitree reads is refused — what kpitree writes, it reads; a
//! cycle lists at most 100 of its ids in each diagnostic, as FORMAT.md says.

use kpitree::eval::CYCLE_IDS_LISTED;
use kpitree::export::{ExportError, ExportOptions, Format, export, json_export_within, to_json};
use kpitree::io::{from_str, to_json_string};
use kpitree::model::{Document, Edge, Kind, Node, Op, generate};
use kpitree::{Lang, evaluate};

/// A document with every kind of top-level field, unknown ones among them
/// (one named like a key of the report an export adds).
fn rich() -> Document {
    let text = r#"{"format":"kpitree","version":1,"title":"t","description":"d","note":"n",
      "period":{"start":"2026-04-01","end":"2027-03-31","as_of":"2026-10-01","x":1},"layout":"auto",
      "zeta":true,"values":{"old":1},"nodes":[
      {"id":"g","kind":"KGI","name":"売上","unit":"万円","target":100,"deadline":"2027-03-31","extra":[1]},
      {"id":"a","kind":"KPI","name":"a","unit":"万円","target":60,"actual":50},
      {"id":"b","kind":"KPI","name":"b","unit":"万円","target":40,"actual":30}],
      "edges":[{"parent":"g","child":"a","op":"+"},{"parent":"g","child":"b","op":"+","w":2}],
      "scenarios":[{"name":"s","overrides":[{"node":"a","actual":60}]}],"alpha":"last"}"#;
    from_str(text, "rich").unwrap()
}

#[test]
fn a_save_streams_exactly_the_text_of_the_document_value() {
    let dir = tempfile::tempdir().unwrap();
    for doc in [rich(), generate::tree(500, 3), Document::new()] {
        let path = dir.path().join("d.kpitree.json");
        kpitree::io::save(&path, &doc).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), to_json_string(&doc));
    }
}

#[test]
fn a_json_export_streams_exactly_the_document_and_its_report() {
    let opts = ExportOptions { lang: Lang::En, ..ExportOptions::default() };
    for doc in [rich(), generate::tree(300, 5)] {
        let eval = evaluate(&doc);
        let bytes = export(&doc, &eval, Format::Json, &opts).unwrap();
        let mut want = serde_json::to_string_pretty(&to_json(&doc, &eval, Lang::En)).unwrap();
        want.push('\n');
        assert_eq!(String::from_utf8(bytes).unwrap(), want);
    }
}

#[test]
fn an_export_past_the_pretty_limit_is_compact_and_kpitree_reads_it_back() {
    let doc = generate::tree(400, 2);
    let eval = evaluate(&doc);
    let opts = ExportOptions::default();
    let mut pretty = Vec::new();
    let whole = json_export_within(&doc, &eval, &opts, u64::MAX, u64::MAX).unwrap();
    assert!(whole.is_pretty());
    whole.write_to(&mut pretty).unwrap();
    let limit = pretty.len() as u64 - 1;
    let compact = json_export_within(&doc, &eval, &opts, limit, u64::MAX).unwrap();
    assert!(!compact.is_pretty());
    let mut bytes = Vec::new();
    compact.write_to(&mut bytes).unwrap();
    assert!(bytes.len() < pretty.len());
    assert_eq!(bytes.iter().filter(|b| **b == b'\n').count(), 1, "one line");
    let back = kpitree::io::from_slice(&bytes, "export.json").expect("kpitree opens what it exports");
    assert_eq!(back.nodes.len(), doc.nodes.len());
    // Past what kpitree reads even compact: refused, nothing to write.
    let e = json_export_within(&doc, &eval, &opts, limit, bytes.len() as u64 - 1).err().expect("refused");
    assert!(matches!(e, ExportError::JsonTooLarge(_)));
    assert!(e.to_string().contains("nothing was written"), "{e}");
}

#[test]
fn the_cli_writes_a_json_export_that_check_reads() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.kpitree.json");
    kpitree::io::save(&input, &generate::tree(2000, 9)).unwrap();
    let output = dir.path().join("out.json");
    let run = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_kpitree")).args(args).output().unwrap();
    let out = run(&["export", input.to_str().unwrap(), "-o", output.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["check", output.to_str().unwrap()]);
    assert_ne!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A ring of `n` KPIs: n0 → n1 → … → n0.
fn ring(n: usize) -> Document {
    let mut doc = Document::new();
    for i in 0..n {
        doc.nodes.push(Node::new(format!("n{i}"), Kind::Kpi, "k"));
        doc.edges.push(Edge::new(format!("n{i}"), format!("n{}", (i + 1) % n), Op::Add));
    }
    doc
}

#[test]
fn each_diagnostic_of_a_long_cycle_lists_at_most_100_ids_and_the_cycle_s_length() {
    let doc = ring(250);
    let json = evaluate(&doc).to_json(&doc, Lang::En);
    let cycles: Vec<&serde_json::Value> =
        json["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == "cycle").collect();
    assert_eq!(cycles.len(), 250, "one per node");
    for d in cycles {
        let ids = d["nodes"].as_array().unwrap();
        assert_eq!(ids.len(), CYCLE_IDS_LISTED);
        assert_eq!((ids[0].as_str(), ids[1].as_str()), (Some("n0"), Some("n1")), "in order from the smallest id");
        assert_eq!(d["cycle_length"], 250);
    }
    // A short cycle is listed whole.
    let doc = ring(3);
    let json = evaluate(&doc).to_json(&doc, Lang::En);
    assert_eq!(json["diagnostics"][0]["nodes"], serde_json::json!(["n0", "n1", "n2"]));
    assert_eq!(json["diagnostics"][0]["cycle_length"], 3);
}

#[test]
fn format_md_says_what_the_code_lists_of_a_cycle() {
    let format = include_str!("../docs/FORMAT.md");
    let rule =
        format!("the whole cycle when it has at most {CYCLE_IDS_LISTED} nodes, else its first {CYCLE_IDS_LISTED}");
    let format = format.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(format.contains(&rule), "FORMAT.md must say: {rule}");
    assert!(format.contains("`cycle_length`"));
}

#[test]
fn check_json_of_a_long_cycle_is_the_report_written_as_it_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ring.kpitree.json");
    kpitree::io::save(&file, &ring(3000)).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["check", file.to_str().unwrap(), "--json", "--lang", "en"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let doc = kpitree::io::load(&file).unwrap();
    let mut want = serde_json::to_string_pretty(&evaluate(&doc).to_json(&doc, Lang::En)).unwrap();
    want.push('\n');
    assert!(String::from_utf8_lossy(&out.stdout) == want, "the streamed report is the report");
}
