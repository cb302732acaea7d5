//! Loading `.kpitree.json` files (FORMAT.md, "File", "Node", "Edge"): what
//! loads, and a clear error for every kind of bad input.

use crate::common::{FILE, text};
use kpitree::io::{LoadError, from_slice, from_str, load};
use kpitree::model::{Direction, Indicator, Kind, Op};

fn load_err(text: &str) -> LoadError {
    match from_str(text, FILE) {
        Ok(doc) => panic!("loaded, but should not: {doc:?}"),
        Err(e) => e,
    }
}

/// The schema error of a text, with its message; fails on any other outcome.
fn schema_err(text: &str) -> (kpitree::io::SchemaError, String) {
    let e = load_err(text);
    let message = e.to_string();
    assert!(message.starts_with(FILE), "message does not name the file: {message}");
    match e {
        LoadError::Invalid { problem, .. } => (problem, message),
        other => panic!("expected a schema error, got {other:?}"),
    }
}

/// A document with one node whose fields are `fields` (a JSON fragment).
fn with_node(fields: &str) -> String {
    text(&format!("{{{fields}}}"), "")
}

/// A document with nodes a (KGI) and b (KPI) and one edge given as a fragment.
fn with_edge(fields: &str) -> String {
    let nodes = r#"{"id":"a","kind":"KGI","name":"A"},{"id":"b","kind":"KPI","name":"B"}"#;
    text(nodes, &format!("{{{fields}}}"))
}

// ---- what loads ----

#[test]
fn the_format_example_loads_with_every_field() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/format-example.kpitree.json");
    let doc = load(&path).expect("example loads");
    assert_eq!(doc.title.as_deref(), Some("2026年度 売上計画"));
    assert_eq!(doc.period.as_ref().and_then(|p| p.as_of).map(|d| d.to_string()).as_deref(), Some("2026-10-31"));
    assert_eq!(doc.nodes.len(), 6);
    assert_eq!(doc.edges.len(), 5);
    let kgi = &doc.nodes[0];
    assert_eq!(
        (kgi.kind, kgi.unit.as_deref(), kgi.target, kgi.actual),
        (Kind::Kgi, Some("万円"), Some(12000.0), Some(7100.0))
    );
    assert_eq!(kgi.owner.as_deref(), Some("営業本部"));
    assert_eq!(doc.nodes[4].indicator, Some(Indicator::Leading));
    assert_eq!(doc.edges[2].op, Op::Link);
}

#[test]
fn empty_node_and_edge_arrays_load() {
    let doc = from_str(&text("", ""), FILE).expect("loads");
    assert!(doc.nodes.is_empty() && doc.edges.is_empty());
}

#[test]
fn optional_node_fields_may_be_null_or_absent() {
    let doc = from_str(&with_node(r#""id":"x","kind":"KSF","name":"","unit":null,"target":null,"pos":null"#), FILE)
        .expect("loads");
    let node = &doc.nodes[0];
    assert_eq!((node.unit.as_ref(), node.target, node.pos, node.direction), (None, None, None, None));
    assert_eq!(node.direction(), Direction::Up);
}

#[test]
fn a_byte_order_mark_is_ignored() {
    assert!(from_str(&format!("\u{feff}{}", text("", "")), FILE).is_ok());
}

#[test]
fn operator_aliases_load_as_their_ascii_operators() {
    for (alias, op) in [("\u{2212}", Op::Sub), ("×", Op::Mul), ("x", Op::Mul), ("÷", Op::Div)] {
        let doc = from_str(&with_edge(&format!(r#""parent":"a","child":"b","op":"{alias}""#)), FILE).expect("loads");
        assert_eq!(doc.edges[0].op, op, "{alias}");
    }
}

// ---- JSON syntax ----

#[test]
fn a_json_syntax_error_names_the_file_line_and_column() {
    let e = load_err("{\n  \"format\": \"kpitree\",\n  \"version\": 1,,\n}");
    assert!(matches!(e, LoadError::Syntax { line: 3, column: 16, .. }), "{e:?}");
    assert!(e.to_string().starts_with(&format!("{FILE}:3:16: ")), "{e}");
}

#[test]
fn a_json_syntax_error_column_counts_characters_not_bytes() {
    let e = load_err("{\"title\": \"売上計画\" \"nodes\": []}");
    // `"nodes"` starts at the 18th character (the 26th byte).
    assert!(matches!(e, LoadError::Syntax { line: 1, column: 18, .. }), "{e:?}");
}

#[test]
fn truncated_json_is_a_syntax_error() {
    let e = load_err(r#"{"format":"kpitree","version":1,"nodes":["#);
    assert!(matches!(e, LoadError::Syntax { line: 1, .. }), "{e:?}");
}

#[test]
fn a_number_too_large_for_f64_is_an_error_with_its_position() {
    let e = load_err(&with_node(r#""id":"x","kind":"KPI","name":"x","target":1e400"#));
    let message = e.to_string();
    assert!(matches!(e, LoadError::Syntax { line: 1, .. }), "{e:?}");
    assert!(message.starts_with(&format!("{FILE}:1:")), "{message}");
    assert!(message.contains("does not fit"), "{message}");
}

#[test]
fn a_number_just_inside_f64_loads() {
    let doc = from_str(&with_node(r#""id":"x","kind":"KPI","name":"x","target":1e300"#), FILE).expect("loads");
    assert_eq!(doc.nodes[0].target, Some(1e300));
}

#[test]
fn invalid_utf8_is_an_error_with_the_line_and_column_of_the_bad_byte() {
    let mut bytes = b"{\n \"title\": \"".to_vec();
    bytes.extend_from_slice("売".as_bytes());
    bytes.extend_from_slice(b"\xff\"}");
    let e = from_slice(&bytes, FILE).expect_err("invalid UTF-8");
    assert!(matches!(e, LoadError::Utf8 { line: 2, column: 13, .. }), "{e:?}");
    let message = e.to_string();
    assert!(message.starts_with(&format!("{FILE}:2:13: ")) && message.contains("UTF-8"), "{message}");
}

#[test]
fn a_missing_file_is_a_read_error_naming_it() {
    let path = std::env::temp_dir().join("kpitree-test-no-such-file.kpitree.json");
    let e = load(&path).expect_err("missing file");
    assert!(matches!(e, LoadError::Read { .. }), "{e:?}");
    assert!(e.to_string().contains("kpitree-test-no-such-file.kpitree.json"), "{e}");
}

// ---- top level ----

#[test]
fn a_wrong_format_is_a_schema_error_on_the_format_field() {
    let (problem, message) = schema_err(r#"{"format":"kpi-tree","version":1,"nodes":[],"edges":[]}"#);
    assert_eq!(problem.field.as_deref(), Some("format"));
    assert!(message.contains("kpi-tree"), "{message}");
}

#[test]
fn a_missing_format_is_a_schema_error_on_the_format_field() {
    let (problem, _) = schema_err(r#"{"version":1,"nodes":[],"edges":[]}"#);
    assert_eq!(problem.field.as_deref(), Some("format"));
}

#[test]
fn a_json_array_is_not_a_document() {
    let (problem, message) = schema_err("[]");
    assert_eq!((problem.at.as_str(), problem.field.as_deref()), ("", None));
    assert!(message.contains("array"), "{message}");
}

#[test]
fn a_wrong_version_is_a_schema_error_naming_the_version() {
    let (problem, message) = schema_err(r#"{"format":"kpitree","version":2,"nodes":[],"edges":[]}"#);
    assert_eq!(problem.field.as_deref(), Some("version"));
    assert!(message.contains('2'), "{message}");
}

#[test]
fn a_version_given_as_text_is_a_schema_error() {
    let (problem, _) = schema_err(r#"{"format":"kpitree","version":"1","nodes":[],"edges":[]}"#);
    assert_eq!(problem.field.as_deref(), Some("version"));
}

#[test]
fn missing_nodes_is_a_schema_error_on_nodes() {
    let (problem, _) = schema_err(r#"{"format":"kpitree","version":1,"edges":[]}"#);
    assert_eq!(problem.field.as_deref(), Some("nodes"));
}

#[test]
fn missing_edges_is_a_schema_error_on_edges() {
    let (problem, _) = schema_err(r#"{"format":"kpitree","version":1,"nodes":[]}"#);
    assert_eq!(problem.field.as_deref(), Some("edges"));
}

#[test]
fn nodes_that_are_not_an_array_are_a_schema_error() {
    let (problem, message) = schema_err(r#"{"format":"kpitree","version":1,"nodes":{},"edges":[]}"#);
    assert_eq!(problem.field.as_deref(), Some("nodes"));
    assert!(message.contains("array"), "{message}");
}

#[test]
fn a_title_that_is_not_text_is_a_schema_error() {
    let (problem, _) = schema_err(r#"{"format":"kpitree","version":1,"title":5,"nodes":[],"edges":[]}"#);
    assert_eq!(problem.field.as_deref(), Some("title"));
}

#[test]
fn a_bad_period_date_is_a_schema_error_on_that_period_field() {
    let (problem, message) =
        schema_err(r#"{"format":"kpitree","version":1,"period":{"start":"2026-4-1"},"nodes":[],"edges":[]}"#);
    assert_eq!((problem.at.as_str(), problem.field.as_deref()), ("period", Some("start")));
    assert!(message.contains("2026-4-1"), "{message}");
}

// ---- nodes ----

#[test]
fn a_node_that_is_not_an_object_is_a_schema_error_at_its_index() {
    let (problem, _) = schema_err(&text("5", ""));
    assert_eq!(problem.at, "nodes[0]");
}

#[test]
fn a_node_without_an_id_is_a_schema_error_at_its_index() {
    let nodes = r#"{"id":"a","kind":"KGI","name":"A"},{"kind":"KPI","name":"B"}"#;
    let (problem, message) = schema_err(&text(nodes, ""));
    assert_eq!((problem.at.as_str(), problem.field.as_deref()), ("nodes[1]", Some("id")));
    assert!(message.contains("nodes[1]") && message.contains("id"), "{message}");
}

#[test]
fn an_empty_id_is_a_schema_error() {
    let (problem, message) = schema_err(&with_node(r#""id":"","kind":"KPI","name":"B""#));
    assert_eq!(problem.field.as_deref(), Some("id"));
    assert!(message.contains("empty"), "{message}");
}

#[test]
fn a_node_without_a_kind_is_a_schema_error_naming_the_node() {
    let (problem, message) = schema_err(&with_node(r#""id":"cust","name":"顧客数""#));
    assert_eq!(problem.field.as_deref(), Some("kind"));
    assert!(message.contains("nodes[0]") && message.contains("cust"), "{message}");
}

#[test]
fn a_node_without_a_name_is_a_schema_error_naming_the_node() {
    let (problem, message) = schema_err(&with_node(r#""id":"cust","kind":"KPI""#));
    assert_eq!(problem.field.as_deref(), Some("name"));
    assert!(message.contains("cust"), "{message}");
}

#[test]
fn an_unknown_kind_is_a_schema_error_naming_it() {
    let (problem, message) = schema_err(&with_node(r#""id":"x","kind":"kpi","name":"X""#));
    assert_eq!(problem.field.as_deref(), Some("kind"));
    assert!(message.contains("\"kpi\"") && message.contains("KPI"), "{message}");
}

#[test]
fn a_target_given_as_text_is_a_schema_error_on_target() {
    let (problem, message) = schema_err(&with_node(r#""id":"x","kind":"KPI","name":"X","target":"120""#));
    assert_eq!((problem.at.as_str(), problem.field.as_deref()), ("nodes[0] (id \"x\")", Some("target")));
    assert!(message.contains("number") && message.contains("string"), "{message}");
}

#[test]
fn a_name_given_as_a_number_is_a_schema_error_on_name() {
    let (problem, _) = schema_err(&with_node(r#""id":"x","kind":"KPI","name":5"#));
    assert_eq!(problem.field.as_deref(), Some("name"));
}

#[test]
fn an_unknown_direction_is_a_schema_error_on_direction() {
    let (problem, message) = schema_err(&with_node(r#""id":"x","kind":"KPI","name":"X","direction":"higher""#));
    assert_eq!(problem.field.as_deref(), Some("direction"));
    assert!(message.contains("higher"), "{message}");
}

#[test]
fn an_impossible_deadline_is_a_schema_error_on_deadline() {
    let (problem, message) = schema_err(&with_node(r#""id":"x","kind":"KGI","name":"X","deadline":"2026-02-30""#));
    assert_eq!(problem.field.as_deref(), Some("deadline"));
    assert!(message.contains("2026-02-30") && message.contains("YYYY-MM-DD"), "{message}");
}

#[test]
fn a_pos_with_one_number_is_a_schema_error_on_pos() {
    let (problem, _) = schema_err(&with_node(r#""id":"x","kind":"KPI","name":"X","pos":[1]"#));
    assert_eq!(problem.field.as_deref(), Some("pos"));
}

#[test]
fn a_pos_with_text_or_null_inside_is_a_schema_error_on_pos() {
    for pos in [r#"[1,"2"]"#, "[null,2]", r#"{"x":1,"y":2}"#] {
        let (problem, _) = schema_err(&with_node(&format!(r#""id":"x","kind":"KPI","name":"X","pos":{pos}"#)));
        assert_eq!(problem.field.as_deref(), Some("pos"), "{pos}");
    }
}

// ---- edges ----

#[test]
fn an_unknown_op_is_a_schema_error_naming_the_edge_and_op() {
    let (problem, message) = schema_err(&with_edge(r#""parent":"a","child":"b","op":"%""#));
    assert_eq!((problem.at.as_str(), problem.field.as_deref()), ("edges[0] (a → b)", Some("op")));
    assert!(message.contains("\"%\""), "{message}");
}

#[test]
fn an_edge_without_an_op_is_a_schema_error_on_op() {
    let (problem, _) = schema_err(&with_edge(r#""parent":"a","child":"b""#));
    assert_eq!(problem.field.as_deref(), Some("op"));
}

#[test]
fn an_edge_without_a_child_is_a_schema_error_on_child() {
    let (problem, message) = schema_err(&with_edge(r#""parent":"a","op":"+""#));
    assert_eq!((problem.at.as_str(), problem.field.as_deref()), ("edges[0]", Some("child")));
    assert!(message.contains("edges[0]"), "{message}");
}

#[test]
fn an_edge_parent_given_as_a_number_is_a_schema_error_on_parent() {
    let (problem, _) = schema_err(&with_edge(r#""parent":1,"child":"b","op":"+""#));
    assert_eq!(problem.field.as_deref(), Some("parent"));
}

#[test]
fn an_edge_to_a_missing_node_loads_and_is_left_to_the_checker() {
    let doc = from_str(&with_edge(r#""parent":"a","child":"ghost","op":"+""#), FILE).expect("loads");
    assert_eq!(doc.edges[0].child.as_str(), "ghost");
}

// ---- duplicate keys ----

/// The duplicate-key error of a text: line, column, key and message.
fn duplicate(text: &str) -> (usize, usize, String, String) {
    match load_err(text) {
        e @ LoadError::DuplicateKey { .. } => {
            let message = e.to_string();
            let LoadError::DuplicateKey { line, column, key, .. } = e else { unreachable!() };
            (line, column, key, message)
        }
        other => panic!("expected a duplicate key, got {other:?}"),
    }
}

#[test]
fn a_second_nodes_array_is_an_error_naming_its_line_column_and_key() {
    // serde_json alone keeps the last "nodes": every node of the first would be lost.
    let text = "{\n  \"format\": \"kpitree\",\n  \"version\": 1,\n  \"nodes\": [ { \"id\": \"a\", \"kind\": \"KGI\", \"name\": \"売上\" } ],\n  \"edges\": [],\n  \"nodes\": []\n}";
    let (line, column, key, message) = duplicate(text);
    assert_eq!((line, column, key.as_str()), (6, 3, "nodes"));
    assert_eq!(message, format!("{FILE}:6:3: duplicate key \"nodes\""));
}

#[test]
fn a_repeated_key_anywhere_is_an_error() {
    let cases = [
        // top level: known, unknown, extension fields
        r#"{"format":"kpitree","version":1,"title":"a","title":"b","nodes":[],"edges":[]}"#.to_owned(),
        r#"{"format":"kpitree","version":1,"x":1,"nodes":[],"x":2,"edges":[]}"#.to_owned(),
        r#"{"format":"kpitree","version":1,"nodes":[],"edges":[],"edges":[]}"#.to_owned(),
        r#"{"format":"kpitree","format":"kpitree","version":1,"nodes":[],"edges":[]}"#.to_owned(),
        // inside values kept as they are
        r#"{"format":"kpitree","version":1,"x":{"a":[{"b":1,"b":2}]},"nodes":[],"edges":[]}"#.to_owned(),
        r#"{"format":"kpitree","version":1,"period":{"start":"2026-04-01","start":"2026-05-01"},"nodes":[],"edges":[]}"#
            .to_owned(),
        r#"{"format":"kpitree","version":1,"scenarios":[{"name":"a","name":"b","overrides":[]}],"nodes":[],"edges":[]}"#
            .to_owned(),
        // nodes and edges: known fields, unknown fields, unknown values
        with_node(r#""id":"a","kind":"KPI","name":"A","unit":"件","unit":"社""#),
        with_node(r#""id":"a","id":"b","kind":"KPI","name":"A""#),
        with_node(r#""id":"a","kind":"KPI","name":"A","color":"red","color":"blue""#),
        with_node(r#""id":"a","kind":"KPI","name":"A","meta":{"k":1,"k":1}"#),
        with_edge(r#""parent":"a","child":"b","op":"+","op":"-""#),
        with_edge(r#""parent":"a","child":"b","op":"+","w":1,"w":2"#),
        // the same key spelled with an escape
        r#"{"format":"kpitree","version":1,"title":"a","t\u0069tle":"b","nodes":[],"edges":[]}"#.to_owned(),
    ];
    for text in &cases {
        let (line, column, key, message) = duplicate(text);
        assert_eq!(line, 1, "{text}");
        assert!(text[..].chars().nth(column - 1) == Some('"'), "{text}: column {column} is not the key's quote");
        assert!(message.contains(&format!("duplicate key \"{key}\"")), "{message}");
    }
}

#[test]
fn the_same_key_in_different_objects_is_fine() {
    let doc = from_str(&with_edge(r#""parent":"a","child":"b","op":"+","x":{"x":{"x":1}}"#), FILE).expect("loads");
    assert_eq!(doc.edges.len(), 1);
}

#[test]
fn deeply_nested_json_is_an_error_not_a_crash() {
    let deep = format!(
        r#"{{"format":"kpitree","version":1,"x":{}{},"nodes":[],"edges":[]}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let e = load_err(&deep);
    assert!(matches!(e, LoadError::Syntax { line: 1, .. }), "{e:?}");
    assert!(e.to_string().contains("recursion limit"), "{e}");
}

#[test]
fn a_blank_date_is_no_date() {
    // Spreadsheets leave empty cells: "deadline": "" is the same as none.
    let doc = from_str(&with_node(r#""id":"x","kind":"KGI","name":"x","deadline":"""#), FILE).expect("loads");
    assert_eq!(doc.nodes[0].deadline, None);
    let period = r#"{"format":"kpitree","version":1,"period":{"start":"","end":" ","as_of":"2026-10-31"},"nodes":[],"edges":[]}"#;
    let p = from_str(period, FILE).expect("loads").period.expect("a period");
    assert_eq!((p.start, p.end, p.as_of.map(|d| d.to_string())), (None, None, Some("2026-10-31".to_owned())));
}
