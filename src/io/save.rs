//! The document as JSON, saved through the atomic replace of
//! [`super::atomic`]: pretty up to a size, compact above it, refused when
//! kpitree could not read it again.

use std::io;
use std::path::Path;

use serde_json::{Map, Number, Value};

use super::atomic::{named, write_atomic};
use super::json_stream::{DocumentJson, choose_form, write_json};
use super::load::MAX_FILE_BYTES;
use crate::model::{Document, Edge, Node, Period};

/// Above this size a document is saved as compact JSON (one line) instead
/// of pretty-printed: indentation makes a large tree about half again as
/// large, and what kpitree writes must stay below the [`MAX_FILE_BYTES`]
/// that it reads.
pub const PRETTY_LIMIT_BYTES: u64 = 64 * 1024 * 1024;

/// Writes `doc` to `path` atomically (see [`write_atomic`]): pretty JSON, or
/// compact JSON past [`PRETTY_LIMIT_BYTES`]. A document that would be larger
/// than [`MAX_FILE_BYTES`] even as compact JSON is refused before anything
/// is written, since kpitree could not open it again. The JSON goes to the
/// file as it is made (no copy of the whole document in memory).
pub fn save(path: &Path, doc: &Document) -> io::Result<()> {
    save_within(path, doc, PRETTY_LIMIT_BYTES, MAX_FILE_BYTES)
}

/// [`save`] with the two size limits as parameters (tests use small ones).
fn save_within(path: &Path, doc: &Document, pretty_limit: u64, max: u64) -> io::Result<()> {
    let json = DocumentJson::new(doc);
    let form = choose_form(&json, pretty_limit, max, "the document")
        .map_err(|e| named(path, "cannot save the document", e))?;
    write_atomic(path, |file| write_json(file, &json, form))
}

/// The document as pretty JSON with a stable key order, ending in a newline
/// (whatever its size; [`save`] switches to compact JSON for huge documents).
pub fn to_json_string(doc: &Document) -> String {
    let mut text = serde_json::to_string_pretty(&to_value(doc)).unwrap_or_default();
    text.push('\n');
    text
}

/// The key of a document's JSON Schema. Editors look for it at the top, so
/// it is written first, before `format`.
pub const SCHEMA_KEY: &str = "$schema";

/// The document as a JSON value, keys in the order of `docs/FORMAT.md`
/// (a `$schema` first), unknown fields after the known ones.
pub fn to_value(doc: &Document) -> Value {
    let mut m = Map::new();
    if let Some(schema) = doc.extra.get(SCHEMA_KEY) {
        m.insert(SCHEMA_KEY.into(), schema.clone());
    }
    m.insert("format".into(), "kpitree".into());
    m.insert("version".into(), 1.into());
    put_str(&mut m, "title", &doc.title);
    put_str(&mut m, "description", &doc.description);
    put_str(&mut m, "note", &doc.note);
    if let Some(p) = &doc.period {
        m.insert("period".into(), period_value(p));
    }
    if let Some(layout) = doc.layout {
        m.insert("layout".into(), layout.as_str().into());
    }
    m.insert("nodes".into(), Value::Array(doc.nodes.iter().map(|n| node_value(n)).collect()));
    m.insert("edges".into(), Value::Array(doc.edges.iter().map(edge_value).collect()));
    if let Some(scenarios) = super::scenarios::to_value(&doc.scenarios) {
        m.insert(crate::model::scenario::KEY.into(), scenarios);
    }
    append_extra(&mut m, &doc.extra);
    Value::Object(m)
}

pub(super) fn period_value(p: &Period) -> Value {
    let mut m = Map::new();
    for (key, date) in [("start", p.start), ("end", p.end), ("as_of", p.as_of)] {
        if let Some(d) = date {
            m.insert(key.into(), d.to_string().into());
        }
    }
    if let Some(month) = p.fiscal_year_start {
        m.insert("fiscal_year_start".into(), month.into());
    }
    if let Some(label) = p.year_label {
        m.insert("year_label".into(), label.as_str().into());
    }
    if let Some(g) = p.granularity {
        m.insert("granularity".into(), g.as_str().into());
    }
    append_extra(&mut m, &p.extra);
    Value::Object(m)
}

/// One node as the file writes it.
pub fn node_value(n: &Node) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), n.id.as_str().into());
    m.insert("kind".into(), n.kind.as_str().into());
    m.insert("name".into(), n.name.as_str().into());
    super::fields::write(n, &mut m);
    append_extra(&mut m, &n.extra);
    Value::Object(m)
}

pub(super) fn edge_value(e: &Edge) -> Value {
    let mut m = Map::new();
    m.insert("parent".into(), e.parent.as_str().into());
    m.insert("child".into(), e.child.as_str().into());
    m.insert("op".into(), e.op.as_str().into());
    append_extra(&mut m, &e.extra);
    Value::Object(m)
}

fn put_str(m: &mut Map<String, Value>, key: &str, v: &Option<String>) {
    if let Some(s) = v {
        m.insert(key.into(), s.as_str().into());
    }
}

fn append_extra(m: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (k, v) in extra {
        if !m.contains_key(k) {
            m.insert(k.clone(), v.clone());
        }
    }
}

/// A JSON number that prints whole values without a fraction (`12000`, not
/// `12000.0`). Non-finite values cannot be written in JSON and become null.
#[allow(clippy::cast_possible_truncation, reason = "a whole number below 2^63 in magnitude is an i64")]
pub(crate) fn number(x: f64) -> Value {
    // Every whole f64 below 2^63 is exactly an i64. A lower bound such as 2^53
    // would let 2^53..1e16 through to the float printer, which writes `.0`.
    const EXACT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    if x.fract() == 0.0 && x.abs() < EXACT {
        return Value::Number(Number::from(x as i64));
    }
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate;
    use std::fs;

    #[test]
    fn a_document_past_the_pretty_limit_is_saved_compact_and_loads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.kpitree.json");
        let doc = generate::tree(200, 7);
        let pretty = to_json_string(&doc);
        let limit = pretty.len() as u64 - 1;
        save_within(&path, &doc, limit, MAX_FILE_BYTES).unwrap();
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.len() < pretty.len(), "compact is smaller");
        assert_eq!(text.lines().count(), 1, "compact JSON is one line");
        assert!(text.ends_with('\n'));
        assert_eq!(super::super::load(&path).unwrap(), doc);
        // At the limit, pretty as ever.
        save_within(&path, &doc, pretty.len() as u64, MAX_FILE_BYTES).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), pretty);
    }

    #[test]
    fn a_document_past_the_load_limit_even_compact_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("huge.kpitree.json");
        let doc = generate::tree(200, 7);
        let compact = serde_json::to_string(&to_value(&doc)).unwrap().len() as u64 + 1;
        let e = save_within(&path, &doc, 100, compact - 1).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::FileTooLarge);
        let message = e.to_string();
        assert!(message.starts_with(&path.display().to_string()), "{message}");
        assert!(message.contains("nothing was written"), "{message}");
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "no temporary file either");
        // An old file stays as it was.
        fs::write(&path, "old").unwrap();
        assert!(save_within(&path, &doc, 100, compact - 1).is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        save_within(&path, &doc, 100, compact).unwrap();
        assert_eq!(super::super::load(&path).unwrap(), doc);
    }

    #[test]
    fn the_default_limits_let_kpitree_read_whatever_it_writes() {
        const { assert!(PRETTY_LIMIT_BYTES < MAX_FILE_BYTES) };
    }
}
