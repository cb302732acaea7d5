//! A document as JSON written straight to its file, node by node, instead of
//! built whole in memory first: saving or exporting a million nodes needed
//! gigabytes for the `serde_json::Value` of the document (and of its
//! report) before a byte was written. The text is exactly what
//! [`super::to_value`] would print — the same keys in the same order.
//!
//! Which form to write is decided before anything is written, by counting
//! the bytes of a dry run: pretty up to a limit, compact above it, and
//! refused when even compact it is more than kpitree reads
//! ([`super::MAX_FILE_BYTES`]) — whatever kpitree writes, it can read.

use std::io::{self, Write};

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use super::save::{edge_value, node_value, period_value};
use crate::model::{Document, Edge, Node};

/// Top-level entries added to a document's JSON: the report of an export
/// (`diagnostics`, `values`). An entry whose key the document's unknown
/// fields already have takes that field's place, as inserting it into the
/// document's JSON object would.
pub trait Appendix {
    /// Its keys, in the order they are added.
    fn keys(&self) -> &'static [&'static str];
    /// Writes the entry `key` into `map`.
    fn entry<M: SerializeMap>(&self, key: &str, map: &mut M) -> Result<(), M::Error>;
}

/// No entries: the document alone.
pub struct NoAppendix;

impl Appendix for NoAppendix {
    fn keys(&self) -> &'static [&'static str] {
        &[]
    }
    fn entry<M: SerializeMap>(&self, _key: &str, _map: &mut M) -> Result<(), M::Error> {
        Ok(())
    }
}

/// A document (and what is appended to it) as JSON, written as it is serialised.
pub struct DocumentJson<'a, A: Appendix = NoAppendix> {
    doc: &'a Document,
    appendix: &'a A,
}

impl<'a> DocumentJson<'a, NoAppendix> {
    /// The document alone.
    pub fn new(doc: &'a Document) -> DocumentJson<'a, NoAppendix> {
        DocumentJson { doc, appendix: &NoAppendix }
    }
}

impl<'a, A: Appendix> DocumentJson<'a, A> {
    /// The document with `appendix` added at the top level.
    pub fn with(doc: &'a Document, appendix: &'a A) -> DocumentJson<'a, A> {
        DocumentJson { doc, appendix }
    }
}

impl<A: Appendix> Serialize for DocumentJson<'_, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let doc = self.doc;
        let mut map = serializer.serialize_map(None)?;
        // The keys written so far, as `to_value` inserts them: an unknown
        // field of the same name is then left out.
        let mut written: Vec<&str> = vec!["format", "version"];
        // Editors look for the schema at the top.
        if let Some(schema) = doc.extra.get(super::save::SCHEMA_KEY) {
            map.serialize_entry(super::save::SCHEMA_KEY, schema)?;
            written.push(super::save::SCHEMA_KEY);
        }
        map.serialize_entry("format", "kpitree")?;
        map.serialize_entry("version", &1)?;
        for (key, text) in [("title", &doc.title), ("description", &doc.description), ("note", &doc.note)] {
            if let Some(text) = text {
                map.serialize_entry(key, text)?;
                written.push(key);
            }
        }
        if let Some(p) = &doc.period {
            map.serialize_entry("period", &period_value(p))?;
            written.push("period");
        }
        if let Some(layout) = doc.layout {
            map.serialize_entry("layout", layout.as_str())?;
            written.push("layout");
        }
        map.serialize_entry("nodes", &Nodes(&doc.nodes))?;
        map.serialize_entry("edges", &Edges(&doc.edges))?;
        written.extend(["nodes", "edges"]);
        if let Some(scenarios) = super::scenarios::to_value(&doc.scenarios) {
            map.serialize_entry(crate::model::scenario::KEY, &scenarios)?;
            written.push(crate::model::scenario::KEY);
        }
        let added = self.appendix.keys();
        let mut placed: Vec<&str> = Vec::new();
        for (key, value) in &doc.extra {
            if written.contains(&key.as_str()) {
                continue;
            }
            match added.iter().find(|k| **k == key) {
                Some(k) => {
                    self.appendix.entry(k, &mut map)?;
                    placed.push(k);
                }
                None => map.serialize_entry(key, value)?,
            }
        }
        for key in added.iter().filter(|k| !placed.contains(k)) {
            self.appendix.entry(key, &mut map)?;
        }
        map.end()
    }
}

struct Nodes<'a>(&'a [std::sync::Arc<Node>]);

impl Serialize for Nodes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for node in self.0 {
            // One node's value at a time: small, and gone before the next.
            seq.serialize_element(&node_value(node))?;
        }
        seq.end()
    }
}

struct Edges<'a>(&'a [Edge]);

impl Serialize for Edges<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for edge in self.0 {
            seq.serialize_element(&edge_value(edge))?;
        }
        seq.end()
    }
}

/// Counts bytes, and fails as soon as there are more than `limit`.
struct Counter {
    bytes: u64,
    limit: u64,
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.bytes += buf.len() as u64;
        if self.bytes > self.limit {
            return Err(io::Error::new(io::ErrorKind::FileTooLarge, "over the limit"));
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// JSON indented by two spaces, byte for byte what
/// `serde_json::to_writer_pretty` writes, in fewer writes: a line break and
/// its indentation go out as one slice (serde_json's writes each level's two
/// spaces on its own — a sixth of the time of writing a 100,000-row report
/// went to those calls).
#[derive(Debug, Default)]
pub struct Pretty {
    depth: usize,
    has_value: bool,
}

/// A line break and the deepest indentation written in one piece; deeper
/// levels continue with further pieces of it.
const BREAK: &[u8; 129] = b"\n                                                                                                                                ";

impl Pretty {
    fn new_line<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        let mut spaces = self.depth * 2;
        let first = spaces.min(BREAK.len() - 1);
        w.write_all(&BREAK[..=first])?;
        spaces -= first;
        while spaces > 0 {
            let n = spaces.min(BREAK.len() - 1);
            w.write_all(&BREAK[1..=n])?;
            spaces -= n;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(w)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.new_line(w)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Writes `value` as pretty JSON ([`Pretty`]) into `out`.
pub fn to_writer_pretty<W: Write, T: ?Sized + Serialize>(out: W, value: &T) -> serde_json::Result<()> {
    value.serialize(&mut serde_json::Serializer::with_formatter(out, Pretty::default()))
}

/// The form JSON is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Indented, a value per line.
    Pretty,
    /// One line.
    Compact,
}

/// Whether `value` as JSON (with its final newline) is at most `limit` bytes
/// in `form`; the dry run stops at the limit.
fn fits(value: &impl Serialize, form: Form, limit: u64) -> bool {
    let mut counter = Counter { bytes: 0, limit: limit.saturating_sub(1) };
    let result = match form {
        Form::Pretty => to_writer_pretty(&mut counter, value),
        Form::Compact => serde_json::to_writer(&mut counter, value),
    };
    result.is_ok()
}

/// The form to write `value` in: pretty up to `pretty_limit` bytes, else
/// compact up to `max` bytes; an error (kind `FileTooLarge`, naming `what`)
/// when it would be larger even compact.
pub fn choose_form(value: &impl Serialize, pretty_limit: u64, max: u64, what: &str) -> io::Result<Form> {
    if fits(value, Form::Pretty, pretty_limit) {
        return Ok(Form::Pretty);
    }
    if fits(value, Form::Compact, max) {
        return Ok(Form::Compact);
    }
    Err(io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!(
            "{what} would be more than {} even as compact JSON, more than kpitree can open again; \
             nothing was written (split it into several files)",
            mib(max)
        ),
    ))
}

/// Writes `value` as JSON in `form`, then a newline, through a buffer.
pub fn write_json(out: &mut impl Write, value: &impl Serialize, form: Form) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(256 * 1024, out);
    match form {
        Form::Pretty => to_writer_pretty(&mut out, value)?,
        Form::Compact => serde_json::to_writer(&mut out, value)?,
    }
    out.write_all(b"\n")?;
    out.flush()
}

fn mib(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    fn ours(v: &Value) -> String {
        let mut out = Vec::new();
        super::to_writer_pretty(&mut out, v).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn pretty_json_is_what_serde_json_writes() {
        let mut deep = json!({"leaf": [1, {"a": []}, {}]});
        // Deeper than one piece of indentation (64 levels).
        for i in 0..90 {
            deep = if i % 2 == 0 { json!([deep, "x"]) } else { json!({"k": deep, "e": {}, "n": null}) };
        }
        let samples = [
            json!(null),
            json!([]),
            json!({}),
            json!([[]]),
            json!({"a": {}, "b": [], "c": [1, 2.5, "s\"\n"], "d": {"e": {"f": true}}}),
            deep,
        ];
        for v in &samples {
            assert_eq!(ours(v), serde_json::to_string_pretty(v).unwrap());
        }
    }
}
