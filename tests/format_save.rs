//! Saving `.kpitree.json` files: stable output, unknown fields kept, atomic
//! writes, and random documents that survive a save and a load.

use std::io::Write;

use crate::common::{FILE, text};
use kpitree::io::{from_str, load, save, to_json_string, write_atomic};
use kpitree::model::{
    Aggregate, Date, Direction, Document, Edge, Extra, Granularity, Indicator, Kind, Label, Node, Op, Period, Series,
    SeriesValue, YearLabel,
};
use proptest::prelude::*;
use serde_json::{Value, json};

fn parse(text: &str) -> Document {
    from_str(text, FILE).unwrap_or_else(|e| panic!("{e}"))
}

fn round_trip(doc: &Document) -> Document {
    parse(&to_json_string(doc))
}

/// The keys of a JSON object in the order they were written.
fn keys(v: &Value) -> Vec<&str> {
    v.as_object().map(|m| m.keys().map(String::as_str).collect()).unwrap_or_default()
}

// ---- operators ----

#[test]
fn operator_aliases_are_written_back_in_ascii() {
    let nodes = r#"{"id":"p","kind":"KPI","name":"p"},{"id":"a","kind":"KPI","name":"a"},{"id":"b","kind":"KPI","name":"b"},{"id":"c","kind":"KPI","name":"c"},{"id":"d","kind":"KPI","name":"d"}"#;
    let edges = r#"{"parent":"p","child":"a","op":"−"},{"parent":"p","child":"b","op":"×"},{"parent":"p","child":"c","op":"x"},{"parent":"p","child":"d","op":"÷"}"#;
    let saved: Value = serde_json::from_str(&to_json_string(&parse(&text(nodes, edges)))).expect("JSON");
    let ops: Vec<&str> = saved["edges"].as_array().expect("edges").iter().filter_map(|e| e["op"].as_str()).collect();
    assert_eq!(ops, ["-", "*", "*", "/"]);
}

// ---- unknown fields ----

const WITH_UNKNOWN: &str = r##"{
  "x_app": { "zoom": 1.5, "theme": ["dark"] },
  "format": "kpitree", "version": 1,
  "period": { "start": "2026-04-01", "fiscal": "FY2026" },
  "nodes": [ { "id": "a", "kind": "KGI", "name": "A", "color": "#ff0000", "tags": [1, "two", null] } ],
  "edges": [ { "parent": "a", "child": "a", "op": "link", "label": "via" } ]
}"##;

#[test]
fn unknown_top_level_fields_survive_a_save_and_a_load() {
    let doc = round_trip(&parse(WITH_UNKNOWN));
    assert_eq!(doc.extra.get("x_app"), Some(&json!({ "zoom": 1.5, "theme": ["dark"] })));
}

#[test]
fn unknown_period_fields_survive_a_save_and_a_load() {
    let doc = round_trip(&parse(WITH_UNKNOWN));
    assert_eq!(doc.period.map(|p| p.extra).and_then(|e| e.get("fiscal").cloned()), Some(json!("FY2026")));
}

#[test]
fn unknown_node_fields_survive_a_save_and_a_load() {
    let doc = round_trip(&parse(WITH_UNKNOWN));
    assert_eq!(doc.nodes[0].extra.get("color"), Some(&json!("#ff0000")));
    assert_eq!(doc.nodes[0].extra.get("tags"), Some(&json!([1, "two", null])));
}

#[test]
fn unknown_edge_fields_survive_a_save_and_a_load() {
    let doc = round_trip(&parse(WITH_UNKNOWN));
    assert_eq!(doc.edges[0].extra.get("label"), Some(&json!("via")));
}

#[test]
fn a_document_with_unknown_fields_is_equal_after_a_save_and_a_load() {
    let doc = parse(WITH_UNKNOWN);
    assert_eq!(round_trip(&doc), doc);
}

#[test]
fn a_top_level_note_or_description_that_is_not_text_is_kept_as_an_unknown_field() {
    let text = r#"{"format":"kpitree","version":1,"note":{"author":"x"},"description":5,"nodes":[],"edges":[]}"#;
    let doc = round_trip(&parse(text));
    assert_eq!(doc.extra.get("note"), Some(&json!({ "author": "x" })));
    assert_eq!(doc.extra.get("description"), Some(&json!(5)));
}

// ---- key order and numbers ----

const SHUFFLED: &str = r#"{
  "edges": [ { "op": "+", "child": "b", "parent": "a", "z": 1 } ],
  "nodes": [
    { "pos": [10, 20], "note": "n", "source": "s", "indicator": "lagging", "owner": "o", "deadline": "2027-03-31",
      "direction": "down", "actual": 1, "target": 2, "unit": "件", "name": "A", "kind": "KGI", "id": "a", "extra": true },
    { "name": "B", "id": "b", "kind": "KPI" }
  ],
  "period": { "as_of": "2026-10-31", "end": "2027-03-31", "start": "2026-04-01" },
  "zzz": 0,
  "title": "T",
  "version": 1,
  "format": "kpitree"
}"#;

#[test]
fn saved_top_level_keys_follow_the_format_order_then_unknown_ones() {
    let saved: Value = serde_json::from_str(&to_json_string(&parse(SHUFFLED))).expect("JSON");
    assert_eq!(keys(&saved), ["format", "version", "title", "period", "nodes", "edges", "zzz"]);
}

#[test]
fn saved_node_keys_follow_the_field_table_then_unknown_ones() {
    let saved: Value = serde_json::from_str(&to_json_string(&parse(SHUFFLED))).expect("JSON");
    let order = [
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
        "extra",
    ];
    assert_eq!(keys(&saved["nodes"][0]), order);
    assert_eq!(keys(&saved["nodes"][1]), ["id", "kind", "name"]);
}

#[test]
fn saved_edge_and_period_keys_follow_the_format_order() {
    let saved: Value = serde_json::from_str(&to_json_string(&parse(SHUFFLED))).expect("JSON");
    assert_eq!(keys(&saved["edges"][0]), ["parent", "child", "op", "z"]);
    assert_eq!(keys(&saved["period"]), ["start", "end", "as_of"]);
}

#[test]
fn saving_is_pretty_printed_and_ends_with_a_newline() {
    let saved = to_json_string(&parse(SHUFFLED));
    assert!(saved.starts_with("{\n  \"format\": \"kpitree\",\n  \"version\": 1,\n"), "{saved}");
    assert!(saved.ends_with("}\n"));
}

#[test]
fn saving_a_loaded_save_gives_the_same_bytes() {
    let once = to_json_string(&parse(SHUFFLED));
    assert_eq!(to_json_string(&parse(&once)), once);
}

fn saved_number(x: f64) -> String {
    let mut doc = Document::new();
    let mut node = Node::new("x", Kind::Kpi, "x");
    node.target = Some(x);
    doc.nodes.push(node);
    let saved = to_json_string(&doc);
    let line = saved.lines().find(|l| l.contains("\"target\"")).expect("target line");
    line.trim().trim_start_matches("\"target\": ").trim_end_matches(',').to_owned()
}

#[test]
fn whole_numbers_are_saved_without_a_fraction() {
    assert_eq!(saved_number(12000.0), "12000");
    assert_eq!(saved_number(-3.0), "-3");
    assert_eq!(saved_number(0.0), "0");
}

#[test]
fn whole_numbers_above_two_to_the_53_are_saved_without_a_fraction() {
    for x in [9_007_199_254_740_992.0, 9.5e15, 1e17, 1e300] {
        let text = saved_number(x);
        assert!(!text.ends_with(".0"), "{x} saved as {text}");
        assert_eq!(text.parse::<f64>().ok(), Some(x), "{text}");
    }
}

#[test]
fn fractions_are_saved_exactly() {
    assert_eq!(saved_number(2.5), "2.5");
    assert_eq!(saved_number(0.1), "0.1");
}

#[test]
fn a_pos_of_whole_numbers_is_saved_without_fractions() {
    let saved = to_json_string(&parse(&text(r#"{"id":"x","kind":"KPI","name":"x","pos":[10.0,-20.0]}"#, "")));
    let compact: String = saved.split_whitespace().collect();
    assert!(compact.contains(r#""pos":[10,-20]"#), "{saved}");
}

// ---- files ----

#[test]
fn a_saved_file_loads_back_equal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plan.kpitree.json");
    let doc = parse(SHUFFLED);
    save(&path, &doc).expect("save");
    assert_eq!(load(&path).expect("load"), doc);
}

#[test]
fn a_failed_atomic_write_leaves_the_old_file_and_no_temp_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plan.kpitree.json");
    let original = to_json_string(&parse(SHUFFLED));
    std::fs::write(&path, &original).expect("write original");
    let result = write_atomic(&path, |file| {
        file.write_all(&original.as_bytes()[..original.len() / 2])?;
        Err(std::io::Error::other("disk full"))
    });
    // The message says which document could not be written, and why.
    let message = result.expect_err("the write failed").to_string();
    assert_eq!(message, format!("{}: cannot write: disk full", path.display()));
    assert_eq!(std::fs::read(&path).expect("read"), original.as_bytes());
    let names: Vec<_> = std::fs::read_dir(dir.path()).expect("list").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(names, [std::ffi::OsString::from("plan.kpitree.json")]);
}

#[test]
fn a_successful_atomic_write_leaves_no_temp_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plan.kpitree.json");
    save(&path, &parse(SHUFFLED)).expect("first save");
    save(&path, &Document::new()).expect("second save");
    assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 1);
    assert!(load(&path).is_ok_and(|d| d.nodes.is_empty()));
}

#[cfg(unix)]
#[test]
fn saving_over_a_file_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plan.kpitree.json");
    std::fs::write(&path, "{}").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    save(&path, &Document::new()).expect("save");
    assert_eq!(std::fs::metadata(&path).expect("stat").permissions().mode() & 0o777, 0o640);
}

#[cfg(unix)]
#[test]
fn a_new_file_gets_the_permissions_of_any_other_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("plain.txt");
    std::fs::write(&plain, "").expect("write");
    let path = dir.path().join("plan.kpitree.json");
    save(&path, &Document::new()).expect("save");
    let mode = |p: &std::path::Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode(&path), mode(&plain));
}

// ---- random documents ----

const IDS: [&str; 6] = ["kgi", "ksf", "a", "b", "c", "売上"];

fn number() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(0.0)),
        3 => (-1000i32..1000).prop_map(|i| Some(f64::from(i))),
        2 => prop::num::f64::NORMAL.prop_map(Some),
        1 => prop::num::f64::SUBNORMAL.prop_map(Some),
    ]
}

fn extra() -> impl Strategy<Value = Extra> {
    let value = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop::num::f64::NORMAL.prop_map(Value::from),
        "\\PC{0,6}".prop_map(Value::from),
    ];
    prop::collection::vec(("x_[a-z]{1,4}", value), 0..2).prop_map(|pairs| pairs.into_iter().collect())
}

fn date() -> impl Strategy<Value = Option<Date>> {
    prop::option::of((2000u16..2100, 1u8..=12, 1u8..=28).prop_map(|(year, month, day)| Date { year, month, day }))
}

fn node() -> impl Strategy<Value = Node> {
    let kind = prop::sample::select(Kind::ALL.to_vec());
    let unit =
        prop::option::of(prop::sample::select(vec!["", "円", "万円", "件", "%", "社", "万円/社", "円//人", "千円"]));
    let texts = (any::<String>(), prop::option::of("\\PC{0,8}"), prop::option::of(any::<String>()));
    let enums = (
        prop::option::of(prop::sample::select(vec![Direction::Up, Direction::Down])),
        prop::option::of(prop::sample::select(vec![Indicator::Leading, Indicator::Lagging])),
    );
    let pos = prop::option::of((number(), number()).prop_map(|(x, y)| [x.unwrap_or(0.0), y.unwrap_or(-1.5)]));
    (prop::sample::select(IDS.to_vec()), kind, texts, unit, number(), number(), enums, date(), pos, extra())
        .prop_map(
            |(id, kind, (name, owner, note), unit, target, actual, (direction, indicator), deadline, pos, extra)| {
                let mut n = Node::new(id, kind, name);
                n.unit = unit.map(str::to_owned);
                n.target = target;
                n.actual = actual;
                n.direction = direction;
                n.indicator = indicator;
                n.deadline = deadline;
                n.owner = owner;
                n.note = note;
                n.pos = pos;
                n.extra = extra;
                n
            },
        )
        .prop_flat_map(|n| (Just(n), series(), prop::option::of(prop::sample::select(Aggregate::ALL.to_vec()))))
        .prop_map(|(mut n, series, aggregate)| {
            n.series = series;
            n.aggregate = aggregate;
            n
        })
}

fn series() -> impl Strategy<Value = Option<Series>> {
    let label = prop_oneof![
        (2000i32..2100, 0i32..12).prop_map(|(y, m)| Label::Month(y * 12 + m)),
        (2000i32..2100, 1u8..=4).prop_map(|(year, quarter)| Label::Quarter { year, quarter }),
    ];
    let value = (number(), number(), extra()).prop_map(|(target, actual, extra)| SeriesValue { target, actual, extra });
    prop::option::of(prop::collection::btree_map(label, value, 0..5))
}

fn edge() -> impl Strategy<Value = Edge> {
    let end = prop::sample::select([IDS.as_slice(), &["ghost"]].concat());
    (end.clone(), end, prop::sample::select(Op::ALL.to_vec()), extra()).prop_map(|(parent, child, op, extra)| Edge {
        parent: parent.into(),
        child: child.into(),
        op,
        extra,
    })
}

fn document() -> impl Strategy<Value = Document> {
    let calendar = (
        prop::option::of(1u8..=12),
        prop::option::of(prop::sample::select(vec![YearLabel::Start, YearLabel::End])),
        prop::option::of(prop::sample::select(vec![Granularity::Month, Granularity::Quarter])),
    );
    let period = prop::option::of((date(), date(), date(), calendar, extra()).prop_map(
        |(start, end, as_of, (fiscal_year_start, year_label, granularity), extra)| Period {
            start,
            end,
            as_of,
            fiscal_year_start,
            year_label,
            granularity,
            extra,
        },
    ));
    (
        prop::collection::vec(node(), 0..10),
        prop::collection::vec(edge(), 0..16),
        prop::option::of(any::<String>()),
        period,
        extra(),
    )
        .prop_map(|(nodes, edges, title, period, extra)| Document {
            title,
            period,
            nodes: nodes.into(),
            edges: edges.into(),
            extra,
            ..Document::new()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn evaluating_a_random_document_never_panics_and_is_deterministic(doc in document()) {
        let first = kpitree::evaluate(&doc);
        let again = kpitree::evaluate(&doc);
        prop_assert_eq!(first.values(), again.values());
        prop_assert_eq!(&first.diagnostics, &again.diagnostics);
        prop_assert_eq!(first.values().len(), doc.nodes.len());
        for d in &first.diagnostics {
            prop_assert!(!d.message(kpitree::Lang::Ja).is_empty() && !d.message(kpitree::Lang::En).is_empty());
        }
    }

    #[test]
    fn a_random_document_is_equal_after_a_save_and_a_load(doc in document()) {
        let text = to_json_string(&doc);
        let back = from_str(&text, FILE);
        prop_assert!(back.is_ok(), "{:?}\n{}", back.err(), text);
        prop_assert_eq!(back.ok(), Some(doc));
    }
}

#[test]
fn a_recovery_file_of_a_process_that_is_gone_is_found_and_its_own_is_not() {
    use kpitree::io::RecoveryStore;
    let dir = tempfile::tempdir().unwrap();
    let mut doc = kpitree::Document::new();
    doc.title = Some("unsaved".into());
    RecoveryStore::in_dir_as(dir.path().to_owned(), 4_294_000_000).write(&doc, None, None).unwrap();
    let me = RecoveryStore::in_dir(dir.path().to_owned());
    me.write(&doc, None, None).unwrap();
    let found = me.find_orphans();
    assert_eq!(found.len(), 1, "the dead process's file is offered, a running editor's own never");
    assert_eq!(found[0].load().unwrap().title.as_deref(), Some("unsaved"));
    assert_ne!(found[0].file, me.file());
    found[0].remove().unwrap();
    assert!(me.find_orphans().is_empty());
}

#[test]
fn a_save_removes_temporary_files_that_killed_saves_left_long_ago() {
    let dir = tempfile::tempdir().unwrap();
    let stale = dir.path().join(".kpitree-killed.tmp");
    let fresh = dir.path().join(".kpitree-running.tmp");
    let other = dir.path().join("notes.tmp");
    for f in [&stale, &fresh, &other] {
        std::fs::write(f, "half a document").unwrap();
    }
    let long_ago = std::time::SystemTime::now() - kpitree::io::STALE_TEMP_AGE * 2;
    std::fs::File::options().write(true).open(&stale).unwrap().set_modified(long_ago).unwrap();
    std::fs::File::options().write(true).open(&other).unwrap().set_modified(long_ago).unwrap();
    kpitree::io::save(&dir.path().join("doc.kpitree.json"), &kpitree::Document::new()).unwrap();
    assert!(!stale.exists(), "the old temporary file is removed");
    assert!(fresh.exists(), "a temporary file of a save that may still be running is kept");
    assert!(other.exists(), "other files are never touched");
}
