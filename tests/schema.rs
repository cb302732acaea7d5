//! The JSON Schema of `.kpitree.json` (docs/kpitree.schema.json) against the
//! loader: every template and every test document kpitree reads is valid, a
//! document the schema rejects is one kpitree refuses too, and documents
//! kpitree refuses are rejected by the schema wherever a schema can say so.

use std::path::Path;

use serde_json::{Value, json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The schema, compiled by a draft 2020-12 validator (which checks the
/// schema itself against the draft's meta-schema first).
struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    fn new() -> Validator {
        let text = std::fs::read_to_string(root().join("docs/kpitree.schema.json")).expect("the published schema");
        let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        compiler.add_resource("file:///kpitree.schema.json", schema).unwrap();
        let index = compiler
            .compile("file:///kpitree.schema.json", &mut schemas)
            .unwrap_or_else(|e| panic!("the schema is a valid draft 2020-12 schema: {e:#}"));
        Validator { schemas, index }
    }

    fn valid(&self, doc: &Value) -> bool {
        self.schemas.validate(doc, self.index).is_ok()
    }

    fn why(&self, doc: &Value) -> String {
        match self.schemas.validate(doc, self.index) {
            Ok(()) => "valid".to_owned(),
            Err(e) => format!("{e}"),
        }
    }
}

fn loads(doc: &Value) -> bool {
    kpitree::io::from_str(&doc.to_string(), "t").is_ok()
}

#[test]
fn the_published_schema_is_the_one_the_loader_s_field_list_makes() {
    let published = std::fs::read_to_string(root().join("docs/kpitree.schema.json")).unwrap();
    assert!(
        published == kpitree::io::schema::schema_text(),
        "docs/kpitree.schema.json is stale: write it with `cargo run -- schema -o docs/kpitree.schema.json`"
    );
    let schema: Value = serde_json::from_str(&published).unwrap();
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(schema["$id"], kpitree::io::schema::SCHEMA_URL);
    // Every optional node field the loader knows is in the schema.
    for field in [
        "unit",
        "target",
        "actual",
        "direction",
        "deadline",
        "owner",
        "indicator",
        "source",
        "note",
        "pos",
        "collapsed",
        "aggregate",
        "series",
        "constant",
    ] {
        assert!(schema["$defs"]["node"]["properties"][field].is_object(), "{field}");
    }
}

#[test]
fn every_template_is_valid_and_names_the_schema_first() {
    let v = Validator::new();
    for t in kpitree::templates::ALL {
        let doc: Value = serde_json::from_str(t.json).unwrap();
        assert!(v.valid(&doc), "{}: {}", t.name, v.why(&doc));
        let first = doc.as_object().unwrap().keys().next().unwrap();
        assert_eq!(first, "$schema", "{}", t.name);
        assert_eq!(doc["$schema"], kpitree::io::schema::SCHEMA_URL);
    }
}

#[test]
fn every_test_document_the_loader_reads_is_valid_and_every_one_it_refuses_as_invalid_is_not() {
    let v = Validator::new();
    let mut checked = 0;
    for entry in std::fs::read_dir(root().join("tests/data")).unwrap() {
        let path = entry.unwrap().path();
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        let Ok(json) = serde_json::from_str::<Value>(&text) else { continue };
        match kpitree::io::load(&path) {
            Ok(_) => assert!(v.valid(&json), "{}: {}", path.display(), v.why(&json)),
            Err(kpitree::io::LoadError::Invalid { .. }) => assert!(!v.valid(&json), "{} is valid", path.display()),
            Err(_) => {}
        }
        checked += 1;
    }
    assert!(checked >= 6, "{checked}");
}

fn document(node: Value) -> Value {
    json!({ "format": "kpitree", "version": 1, "nodes": [node], "edges": [] })
}

fn with(mut doc: Value, key: &str, value: Value) -> Value {
    doc[key] = value;
    doc
}

/// Documents that kpitree refuses and the schema can tell.
fn refused() -> Vec<Value> {
    let ok = || document(json!({ "id": "a", "kind": "KPI", "name": "x" }));
    let node = |field: &str, value: Value| {
        let mut n = json!({ "id": "a", "kind": "KPI", "name": "x" });
        n[field] = value;
        document(n)
    };
    let edge = |e: Value| with(ok(), "edges", json!([e]));
    let mut out = vec![
        json!(null),
        json!([]),
        json!({ "version": 1, "nodes": [], "edges": [] }),
        json!({ "format": "other", "version": 1, "nodes": [], "edges": [] }),
        json!({ "format": "kpitree", "nodes": [], "edges": [] }),
        json!({ "format": "kpitree", "version": 2, "nodes": [], "edges": [] }),
        json!({ "format": "kpitree", "version": "1", "nodes": [], "edges": [] }),
        json!({ "format": "kpitree", "version": 1, "edges": [] }),
        json!({ "format": "kpitree", "version": 1, "nodes": [] }),
        json!({ "format": "kpitree", "version": 1, "nodes": {}, "edges": [] }),
        with(ok(), "title", json!(3)),
        with(ok(), "period", json!("2026")),
        with(ok(), "period", json!({ "start": "2026-13-01" })),
        with(ok(), "period", json!({ "start": 20260401 })),
        with(ok(), "period", json!({ "fiscal_year_start": 13 })),
        with(ok(), "period", json!({ "fiscal_year_start": 4.5 })),
        with(ok(), "period", json!({ "year_label": "middle" })),
        with(ok(), "period", json!({ "granularity": "week" })),
        document(json!({ "kind": "KPI", "name": "x" })),
        document(json!({ "id": "", "kind": "KPI", "name": "x" })),
        document(json!({ "id": 1, "kind": "KPI", "name": "x" })),
        document(json!({ "id": "a", "name": "x" })),
        document(json!({ "id": "a", "kind": "kpi", "name": "x" })),
        document(json!({ "id": "a", "kind": "KPI" })),
        document(json!({ "id": "a", "kind": "KPI", "name": null })),
        document(json!("a node")),
        node("unit", json!(5)),
        node("target", json!("12,000")),
        node("actual", json!(true)),
        node("direction", json!("sideways")),
        node("deadline", json!("2026/04/01")),
        node("deadline", json!("2026-04-31")),
        node("owner", json!(["a"])),
        node("indicator", json!("both")),
        node("pos", json!([1, 2, 3])),
        node("pos", json!([1, null])),
        node("pos", json!({ "x": 1 })),
        node("aggregate", json!("median")),
        node("series", json!([])),
        node("series", json!({ "April": { "actual": 1 } })),
        node("series", json!({ "2026-04": 5 })),
        node("series", json!({ "2026-04": { "actual": "5" } })),
        node("constant", json!("12")),
        edge(json!({ "child": "a", "op": "+" })),
        edge(json!({ "parent": "a", "op": "+" })),
        edge(json!({ "parent": "a", "child": "b" })),
        edge(json!({ "parent": "a", "child": "b", "op": "plus" })),
        edge(json!({ "parent": "a", "child": 2, "op": "+" })),
        edge(json!(["a", "b", "+"])),
    ];
    out.push(with(ok(), "edges", json!("none")));
    out
}

#[test]
fn documents_the_loader_refuses_are_refused_by_the_schema() {
    let v = Validator::new();
    for doc in refused() {
        assert!(!loads(&doc), "the loader takes {doc}");
        assert!(!v.valid(&doc), "the schema takes {doc}");
    }
}

/// What the loader keeps rather than refuses, which the schema must take.
#[test]
fn what_the_loader_keeps_the_schema_takes() {
    let v = Validator::new();
    let node = |field: &str, value: Value| {
        let mut n = json!({ "id": "a", "kind": "KPI", "name": "", "extra": { "any": [1] } });
        n[field] = value;
        document(n)
    };
    let docs = vec![
        with(
            document(json!({ "id": "a", "kind": "KGI", "name": "x" })),
            "$schema",
            json!(kpitree::io::schema::SCHEMA_URL),
        ),
        with(document(json!({ "id": "a", "kind": "KSF", "name": "x" })), "layout", json!("diagonal")),
        with(document(json!({ "id": "a", "kind": "KPI", "name": "x" })), "description", json!({ "long": true })),
        with(document(json!({ "id": "a", "kind": "KPI", "name": "x" })), "scenarios", json!("not a list")),
        with(
            document(json!({ "id": "a", "kind": "KPI", "name": "x" })),
            "scenarios",
            json!([{ "name": "s", "overrides": [{ "node": "a", "actual": 3 }] }]),
        ),
        with(
            document(json!({ "id": "a", "kind": "KPI", "name": "x" })),
            "period",
            json!({ "start": "", "as_of": null, "mine": 1 }),
        ),
        node("collapsed", json!("yes")),
        node("collapsed", json!(true)),
        node("deadline", json!(" ")),
        node("deadline", json!("2028-02-29")),
        node("pos", json!([1.5, -2])),
        node("series", json!({ "2026-04": { "target": 1, "actual": null, "note": "x" }, "FY2026-Q1": {} })),
        node("direction", json!(null)),
        node("pacing", json!("level")),
        with(
            document(json!({ "id": "a", "kind": "KPI", "name": "x" })),
            "edges",
            json!([{ "parent": "a", "child": "zzz", "op": "×", "weight": 2 }]),
        ),
    ];
    for doc in docs {
        assert!(loads(&doc), "the loader refuses {doc}");
        assert!(v.valid(&doc), "the schema refuses {doc}: {}", v.why(&doc));
    }
}

/// Every JSON type in every field: where the schema says no, so does the loader;
/// where the loader says yes, so does the schema.
#[test]
fn the_schema_and_the_loader_agree_on_every_field_and_every_kind_of_value() {
    let v = Validator::new();
    let probes = [
        json!(null),
        json!(true),
        json!(0),
        json!(7),
        json!(-1.5),
        json!(""),
        json!(" "),
        json!("x"),
        json!("KPI"),
        json!("up"),
        json!("sum"),
        json!("leading"),
        json!("2026-04-01"),
        json!("2026-02-30"),
        json!([]),
        json!([1, 2]),
        json!({}),
        json!({ "2026-04": { "actual": 1 } }),
    ];
    let fields = [
        "id",
        "kind",
        "name",
        "unit",
        "target",
        "actual",
        "direction",
        "deadline",
        "owner",
        "indicator",
        "source",
        "note",
        "pos",
        "collapsed",
        "aggregate",
        "series",
        "constant",
    ];
    // The one probe the schema takes and the loader refuses: 30 February.
    let inexpressible = |field: &str, probe: &Value| field == "deadline" && probe == &json!("2026-02-30");
    let mut compared = 0;
    for field in fields {
        for probe in &probes {
            let mut n = json!({ "id": "a", "kind": "KPI", "name": "x" });
            n[field] = probe.clone();
            let doc = document(n);
            let (schema, loader) = (v.valid(&doc), loads(&doc));
            if !schema {
                assert!(!loader, "{field} = {probe}: the schema refuses what the loader reads: {}", v.why(&doc));
            }
            if loader {
                assert!(schema, "{field} = {probe}: the loader reads what the schema refuses: {}", v.why(&doc));
            } else if !inexpressible(field, probe) {
                assert!(!schema, "{field} = {probe}: the schema takes what the loader refuses");
            }
            compared += 1;
        }
    }
    for field in ["start", "end", "as_of", "fiscal_year_start", "year_label", "granularity"] {
        for probe in probes.iter().chain([&json!("start"), &json!("quarter"), &json!(12), &json!(12.0)]) {
            let doc =
                with(document(json!({ "id": "a", "kind": "KPI", "name": "x" })), "period", json!({ field: probe }));
            let (schema, loader) = (v.valid(&doc), loads(&doc));
            assert!(schema || !loader, "period.{field} = {probe}: {}", v.why(&doc));
            if !(field != "fiscal_year_start" && probe == &json!("2026-02-30")) {
                assert_eq!(schema, loader, "period.{field} = {probe}");
            }
            compared += 1;
        }
    }
    assert!(compared > 300);
}

#[test]
fn the_date_and_label_patterns_agree_with_the_loader_over_a_grid() {
    let v = Validator::new();
    for year in ["0000", "0001", "1999", "2024", "2025"] {
        for month in 0..=13 {
            for day in 0..=32 {
                let date = format!("{year}-{month:02}-{day:02}");
                let doc = document(json!({ "id": "a", "kind": "KPI", "name": "x", "deadline": date }));
                if loads(&doc) {
                    assert!(v.valid(&doc), "{date}");
                } else if !(month == 2 && day == 29) {
                    // 29 February of a year that is no leap year aside, the pattern is exact.
                    assert!(!v.valid(&doc), "{date}");
                }
            }
            let label = format!("{year}-{month:02}");
            let doc = document(json!({ "id": "a", "kind": "KPI", "name": "x", "series": { label.clone(): {} } }));
            assert_eq!(v.valid(&doc), loads(&doc), "{label}");
            let quarter = format!("FY{year}-Q{}", month % 7);
            let doc = document(json!({ "id": "a", "kind": "KPI", "name": "x", "series": { quarter.clone(): {} } }));
            assert_eq!(v.valid(&doc), loads(&doc), "{quarter}");
        }
    }
}

#[test]
fn a_schema_key_is_saved_first_wherever_it_was() {
    let text = format!(
        r#"{{"format":"kpitree","version":1,"nodes":[],"edges":[],"x":1,"$schema":"{}"}}"#,
        kpitree::io::schema::SCHEMA_URL
    );
    let doc = kpitree::io::from_str(&text, "t").unwrap();
    let saved = kpitree::io::to_json_string(&doc);
    assert!(
        saved.starts_with(&format!("{{\n  \"$schema\": \"{}\",\n  \"format\"", kpitree::io::schema::SCHEMA_URL)),
        "{saved}"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.kpitree.json");
    kpitree::io::save(&path, &doc).unwrap();
    let streamed = std::fs::read_to_string(&path).unwrap();
    assert_eq!(streamed, saved);
    assert_eq!(streamed.matches("$schema").count(), 1);
    // A document without one gets none.
    let plain = kpitree::io::to_json_string(
        &kpitree::io::from_str(r#"{"format":"kpitree","version":1,"nodes":[],"edges":[]}"#, "t").unwrap(),
    );
    assert!(!plain.contains("$schema"));
}

#[test]
fn kpitree_new_writes_the_schema_reference_first() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.kpitree.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["new", "--template", "cash-flow", "-o", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("{\n  \"$schema\": \"https://"), "{}", &text[..80]);
    let v = Validator::new();
    assert!(v.valid(&serde_json::from_str(&text).unwrap()));
}

#[test]
fn kpitree_schema_prints_the_published_schema() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kpitree")).arg("schema").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), kpitree::io::schema::schema_text());
}
