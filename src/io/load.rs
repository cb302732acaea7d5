pub(super) mod direct;
mod unique;

use std::io::Read;
use std::path::Path;

use serde_json::{Map, Value};

pub(in crate::io) use unique::Unique;
use unique::{Parsed, char_column, key_column, line_column, parse_unique, syntax_message};

use crate::lang::Lang;
use crate::model::{Date, Document, Edge, Extra, Granularity, Kind, LayoutMode, Node, NodeId, Op, Period, YearLabel};

/// Files larger than this are refused before they are read, so that a wrong
/// file (a video, a database dump) cannot exhaust memory. A 100,000-node tree
/// is about 14 MB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Why a document could not be loaded. The `Display` text is the message for
/// the user: it starts with the file name.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read at all.
    #[error("{path}: cannot read the file: {source}")]
    Read {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("{path}: the file is {size} bytes, more than the limit of {limit} bytes for a kpitree document")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The path names a folder, a device, a FIFO or a socket.
    #[error("{path}: is {what}, not a kpitree document (kpitree reads only regular files)")]
    NotAFile {
        /// The file.
        path: String,
        /// What it is instead ("a folder", "a FIFO (named pipe)", …).
        what: &'static str,
    },
    /// An object has the same key twice (JSON readers disagree on which one
    /// counts, so kpitree refuses to guess).
    #[error("{path}:{line}:{column}: duplicate key {}", quoted(.key))]
    DuplicateKey {
        /// The file.
        path: String,
        /// 1-based line of the second occurrence.
        line: usize,
        /// 1-based column (in characters) of the second occurrence.
        column: usize,
        /// The key.
        key: String,
    },
    /// The bytes are not UTF-8.
    #[error("{path}:{line}:{column}: the file is not valid UTF-8 text")]
    Utf8 {
        /// The file.
        path: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in characters) of the first bad byte.
        column: usize,
    },
    /// The text is not JSON.
    #[error("{path}:{line}:{column}: JSON syntax error: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The JSON is not a kpitree version-1 document.
    #[error("{path}: {problem}")]
    Invalid {
        /// The file.
        path: String,
        /// Where and what.
        problem: SchemaError,
    },
}

/// A JSON value in the wrong place or of the wrong type. `Display` is the
/// English message; [`SchemaError::text`] gives either language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.text(Lang::En))]
pub struct SchemaError {
    /// Which object: `""` for the top level, `nodes[2] (id "cust")`, `edges[0]`.
    pub at: String,
    /// Which field of it, when one is at fault.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What is wrong, in Japanese.
    pub message_ja: String,
}

/// A message of the loader in both languages.
pub(crate) struct Both {
    ja: String,
    en: String,
}

/// The message `en` (English) and `ja` (Japanese).
pub(crate) fn both(ja: impl Into<String>, en: impl Into<String>) -> Both {
    Both { ja: ja.into(), en: en.into() }
}

impl SchemaError {
    fn new(at: &str, field: Option<&str>, message: Both) -> SchemaError {
        SchemaError { at: at.to_owned(), field: field.map(str::to_owned), message: message.en, message_ja: message.ja }
    }

    /// Where and what, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let field = |f: &str| match lang {
            Lang::Ja => format!("フィールド \"{f}\""),
            Lang::En => format!("field \"{f}\""),
        };
        let location = match (self.at.is_empty(), &self.field) {
            (true, None) => String::new(),
            (true, Some(f)) => format!("{}: ", field(f)),
            (false, None) => format!("{}: ", self.at),
            (false, Some(f)) => format!("{}, {}: ", self.at, field(f)),
        };
        let message = match lang {
            Lang::Ja => &self.message_ja,
            Lang::En => &self.message,
        };
        format!("{location}{message}")
    }
}

/// Loads a document from a file. Only regular files are read (a folder, a
/// device such as /dev/zero, a FIFO or a socket is refused before it is
/// opened for reading), and never more than [`MAX_FILE_BYTES`] + 1 bytes,
/// even if the file grows while it is read.
pub fn load(path: &Path) -> Result<Document, LoadError> {
    let name = path.display().to_string();
    let bytes = read_bounded(path, &name)?;
    from_slice(&bytes, &name)
}

/// The bytes of the regular file `path`, at most [`MAX_FILE_BYTES`].
pub(crate) fn read_bounded(path: &Path, name: &str) -> Result<Vec<u8>, LoadError> {
    let (bytes, size) = read_bounded_within(path, name, MAX_FILE_BYTES)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { path: name.to_owned(), size, limit: MAX_FILE_BYTES });
    }
    Ok(bytes)
}

/// The bytes of the regular file `path` and its size as far as known:
/// at most `limit` + 1 bytes are read (one more than allowed tells that the
/// file is too large, whatever its metadata said).
fn read_bounded_within(path: &Path, name: &str, limit: u64) -> Result<(Vec<u8>, u64), LoadError> {
    let read_err = |source| LoadError::Read { path: name.to_owned(), source };
    let not_a_file = |what| LoadError::NotAFile { path: name.to_owned(), what };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if let Some(what) = special(&meta) {
        return Err(not_a_file(what));
    }
    if meta.len() > limit {
        return Err(LoadError::TooLarge { path: name.to_owned(), size: meta.len(), limit });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Should the file be swapped for a FIFO after the look above, opening
    // it must not wait for a writer.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK | libc::O_NOCTTY);
    let file = options.open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if let Some(what) = special(&meta) {
        return Err(not_a_file(what));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit)).unwrap_or(0).saturating_add(1));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(read_err)?;
    let size = meta.len().max(bytes.len() as u64);
    Ok((bytes, size))
}

/// What a path that is not a regular file is, for messages.
fn special(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

/// Loads a document from bytes; `name` is used in error messages.
pub fn from_slice(bytes: &[u8], name: &str) -> Result<Document, LoadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { path: name.to_owned(), size: bytes.len() as u64, limit: MAX_FILE_BYTES });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(&bytes[..e.valid_up_to()]);
        LoadError::Utf8 { path: name.to_owned(), line, column }
    })?;
    from_str(text, name)
}

/// Loads a document from text; `name` is used in error messages. A key that
/// occurs twice in one object is an error ([`LoadError::DuplicateKey`]).
pub fn from_str(text: &str, name: &str) -> Result<Document, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The fast path gives up on a repeated key anywhere; the careful one then
    // says where it is.
    if let Some(doc) = direct::read(text) {
        return Ok(doc);
    }
    if text.trim().is_empty() {
        // serde_json would say "EOF while parsing a value" at column 0 of
        // the last line.
        return Err(LoadError::Syntax {
            path: name.to_owned(),
            line: 1,
            column: 1,
            message: "the file is empty; a kpitree document is a JSON object".to_owned(),
        });
    }
    let value = parse_unique(text).map_err(|e| match e {
        Parsed::Duplicate { line, column, key } => {
            LoadError::DuplicateKey { path: name.to_owned(), line, column: key_column(text, line, column), key }
        }
        Parsed::Syntax(e) => LoadError::Syntax {
            path: name.to_owned(),
            line: e.line(),
            column: char_column(text, e.line(), e.column()),
            message: syntax_message(&e),
        },
    })?;
    document_from_value(value).map_err(|problem| LoadError::Invalid { path: name.to_owned(), problem })
}

/// The document both loaders make of `text`: the fast path's (none when
/// it gives up) and the careful path's (none when it refuses). For tests and
/// fuzzing, which check that the two always agree.
#[doc(hidden)]
pub fn both_ways(text: &str) -> (Option<Document>, Option<Document>) {
    let fast = direct::read(text);
    let careful = parse_unique(text).ok().and_then(|v| document_from_value(v).ok());
    (fast, careful)
}

/// `key` as JSON writes it, quotes and escapes included.
fn quoted(key: &str) -> String {
    serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""))
}

/// What a JSON value is, in Japanese, for messages.
pub(super) fn type_name_ja(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "真偽値",
        Value::Number(_) => "数値",
        Value::String(_) => "文字列",
        Value::Array(_) => "配列",
        Value::Object(_) => "オブジェクト",
    }
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads the fields of one JSON object: typed accessors that remember where
/// they are for error messages.
pub(crate) struct Fields<'a> {
    pub(crate) at: &'a str,
}

impl Fields<'_> {
    pub(crate) fn err(&self, field: &str, message: Both) -> SchemaError {
        SchemaError::new(self.at, Some(field), message)
    }

    pub(crate) fn string(&self, field: &str, v: Value) -> Result<String, SchemaError> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(self.err(
                field,
                both(
                    format!("文字列が必要ですが、{}があります", type_name_ja(&other)),
                    format!("expected a string, found {}", type_name(&other)),
                ),
            )),
        }
    }

    pub(crate) fn opt_string(&self, field: &str, v: Value) -> Result<Option<String>, SchemaError> {
        match v {
            Value::Null => Ok(None),
            v => self.string(field, v).map(Some),
        }
    }

    pub(crate) fn opt_number(&self, field: &str, v: Value) -> Result<Option<f64>, SchemaError> {
        match v {
            Value::Null => Ok(None),
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(self.err(
                    field,
                    both(
                        format!("数値 {n} は 64 ビット浮動小数点数に収まりません"),
                        format!("the number {n} does not fit a 64-bit floating-point value"),
                    ),
                )),
            },
            other => Err(self.err(
                field,
                both(
                    format!("数値か null が必要ですが、{}があります", type_name_ja(&other)),
                    format!("expected a number or null, found {}", type_name(&other)),
                ),
            )),
        }
    }

    pub(crate) fn opt_date(&self, field: &str, v: Value) -> Result<Option<Date>, SchemaError> {
        let Some(s) = self.opt_string(field, v)? else {
            return Ok(None);
        };
        super::fields::read_date(&s).map_err(|()| {
            self.err(
                field,
                both(
                    format!("\"{s}\" は YYYY-MM-DD 形式の日付ではありません"),
                    format!("\"{s}\" is not a date of the form YYYY-MM-DD"),
                ),
            )
        })
    }

    pub(crate) fn opt_enum<T>(
        &self,
        field: &str,
        v: Value,
        parse: fn(&str) -> Option<T>,
        words: &[&str],
    ) -> Result<Option<T>, SchemaError> {
        let Some(s) = self.opt_string(field, v)? else {
            return Ok(None);
        };
        parse(&s).map(Some).ok_or_else(|| {
            let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
            let allowed_ja = quoted.join("、");
            let allowed = match quoted.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => quoted.join(""),
            };
            self.err(
                field,
                both(
                    format!("\"{s}\" は使えない値です ({allowed_ja} のどれか)"),
                    format!("unknown value \"{s}\" (expected {allowed})"),
                ),
            )
        })
    }

    /// The object `v`, or an error saying "expected `expected`, found …"
    /// (`expected` in Japanese and English).
    fn object(&self, v: Value, expected: (&str, &str)) -> Result<Map<String, Value>, SchemaError> {
        match v {
            Value::Object(m) => Ok(m),
            other => Err(SchemaError::new(
                self.at,
                None,
                both(
                    format!("{}が必要ですが、{}があります", expected.0, type_name_ja(&other)),
                    format!("expected {}, found {}", expected.1, type_name(&other)),
                ),
            )),
        }
    }
}

/// Converts parsed JSON into a document, checking every field.
pub(crate) fn document_from_value(value: Value) -> Result<Document, SchemaError> {
    let top = Fields { at: "" };
    let map = top.object(value, ("kpitree の文書 (JSON のオブジェクト)", "a kpitree document (a JSON object)"))?;
    let (mut doc, nodes, edges) = header(map)?;
    let nodes = array(nodes, "nodes")?;
    doc.nodes =
        nodes.into_iter().enumerate().map(|(i, v)| node_from_value(i, v)).collect::<Result<Vec<_>, _>>()?.into();
    let edges = array(edges, "edges")?;
    doc.edges =
        edges.into_iter().enumerate().map(|(i, v)| edge_from_value(i, v)).collect::<Result<Vec<_>, _>>()?.into();
    Ok(doc)
}

/// Checks `format` and `version` and reads every top-level field but
/// `nodes` and `edges`, which it hands back as they are.
pub(super) fn header(map: Map<String, Value>) -> Result<(Document, Option<Value>, Option<Value>), SchemaError> {
    let top = Fields { at: "" };
    match map.get("format") {
        Some(Value::String(s)) if s == "kpitree" => {}
        Some(other) => {
            return Err(top.err(
                "format",
                both(
                    format!("\"kpitree\" が必要ですが、{other} です — kpitree の文書ではありません"),
                    format!("expected \"kpitree\", found {other} — this is not a kpitree document"),
                ),
            ));
        }
        None => {
            return Err(top.err(
                "format",
                both(
                    "ありません。kpitree の文書は \"format\": \"kpitree\" で始まります",
                    "missing; a kpitree document starts with \"format\": \"kpitree\"",
                ),
            ));
        }
    }
    match map.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(other) => {
            return Err(top.err(
                "version",
                both(
                    format!("バージョン {other} には対応していません。この kpitree が読めるのはバージョン 1 です"),
                    format!("unsupported version {other}; this kpitree reads version 1"),
                ),
            ));
        }
        None => {
            return Err(
                top.err("version", both("ありません。\"version\": 1 が必要です", "missing; expected \"version\": 1"))
            );
        }
    }
    let mut doc = Document::new();
    let mut nodes = None;
    let mut edges = None;
    for (key, v) in map {
        match key.as_str() {
            "format" | "version" => {}
            "title" => doc.title = top.opt_string(&key, v)?,
            // Not in FORMAT.md, so another tool may use these names for
            // something else: anything but text is kept as an unknown field.
            "description" | "note" if !matches!(v, Value::String(_) | Value::Null) => {
                doc.extra.insert(key, v);
            }
            "description" => doc.description = top.opt_string(&key, v)?,
            "note" => doc.note = top.opt_string(&key, v)?,
            "period" => doc.period = period_from_value(v)?,
            "layout" => match v.as_str().and_then(LayoutMode::parse) {
                Some(mode) => doc.layout = Some(mode),
                // Not ours: another tool's field of that name is kept as it is.
                None => {
                    doc.extra.insert(key, v);
                }
            },
            crate::model::scenario::KEY => doc.scenarios = super::scenarios::from_value(v),
            "nodes" => nodes = Some(v),
            "edges" => edges = Some(v),
            _ => {
                doc.extra.insert(key, v);
            }
        }
    }
    Ok((doc, nodes, edges))
}

fn array(v: Option<Value>, field: &str) -> Result<Vec<Value>, SchemaError> {
    match v {
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(SchemaError::new(
            "",
            Some(field),
            both(
                format!("配列が必要ですが、{}があります", type_name_ja(&other)),
                format!("expected an array, found {}", type_name(&other)),
            ),
        )),
        None => Err(SchemaError::new(
            "",
            Some(field),
            both(
                "ありません。文書には \"nodes\" と \"edges\" の配列が必要です (空でもかまいません)",
                "missing; the document needs a \"nodes\" and an \"edges\" array (they may be empty)",
            ),
        )),
    }
}

#[allow(clippy::cast_possible_truncation, reason = "a whole number from 1 to 12")]
fn period_from_value(v: Value) -> Result<Option<Period>, SchemaError> {
    let f = Fields { at: "period" };
    if v.is_null() {
        return Ok(None);
    }
    let map = f.object(v, ("期間のオブジェクト", "a period object"))?;
    let mut period = Period::default();
    for (key, v) in map {
        match key.as_str() {
            "start" => period.start = f.opt_date(&key, v)?,
            "end" => period.end = f.opt_date(&key, v)?,
            "as_of" => period.as_of = f.opt_date(&key, v)?,
            "fiscal_year_start" => {
                let bad = || f.err(&key, both("月 (1〜12) が必要です", "expected a month, 1 to 12"));
                period.fiscal_year_start = match f.opt_number(&key, v)? {
                    None => None,
                    Some(m) if m.fract() == 0.0 && (1.0..=12.0).contains(&m) => Some(m as u8),
                    Some(_) => return Err(bad()),
                }
            }
            "year_label" => {
                period.year_label = f.opt_enum(&key, v, YearLabel::parse, &["start", "end"])?;
            }
            "granularity" => {
                period.granularity = f.opt_enum(&key, v, Granularity::parse, &["month", "quarter"])?;
            }
            _ => {
                period.extra.insert(key, v);
            }
        }
    }
    Ok(Some(period))
}

fn node_from_value(index: usize, v: Value) -> Result<Node, SchemaError> {
    let at = match v.get("id").and_then(Value::as_str) {
        Some(id) => format!("nodes[{index}] (id \"{id}\")"),
        None => format!("nodes[{index}]"),
    };
    let f = Fields { at: &at };
    let map = f.object(v, ("ノードのオブジェクト", "a node object"))?;
    let (mut id, mut kind, mut name) = (None, None, None);
    let mut node = Node::new("", Kind::Kpi, "");
    for (key, v) in map {
        let Some((key, v)) = super::fields::read_careful(&mut node, &f, key, v)? else { continue };
        match key.as_str() {
            "id" => id = Some(f.string(&key, v)?),
            "kind" => kind = Some(f.string(&key, v)?),
            "name" => name = Some(f.string(&key, v)?),
            _ => {
                node.extra.insert(key, v);
            }
        }
    }
    let id =
        id.ok_or_else(|| f.err("id", both("ありません。ノードには id が必要です", "missing; every node needs an id")))?;
    if id.is_empty() {
        return Err(
            f.err("id", both("空です。ノードには空でない id が必要です", "is empty; every node needs a non-empty id"))
        );
    }
    node.id = NodeId::from(id);
    let kind = kind.ok_or_else(|| {
        f.err(
            "kind",
            both(
                "ありません。\"KGI\"、\"KSF\"、\"KPI\" のどれかが必要です",
                "missing; expected \"KGI\", \"KSF\" or \"KPI\"",
            ),
        )
    })?;
    node.kind = Kind::parse(&kind).ok_or_else(|| {
        f.err(
            "kind",
            both(
                format!("\"{kind}\" という種類はありません (\"KGI\"、\"KSF\"、\"KPI\" のどれか)"),
                format!("unknown kind \"{kind}\" (expected \"KGI\", \"KSF\" or \"KPI\")"),
            ),
        )
    })?;
    node.name = name.ok_or_else(|| {
        f.err(
            "name",
            both(
                "ありません。ノードには名前が必要です (空でもかまいません)",
                "missing; every node needs a name (it may be empty)",
            ),
        )
    })?;
    Ok(node)
}

fn edge_from_value(index: usize, v: Value) -> Result<Edge, SchemaError> {
    let at = match (v.get("parent").and_then(Value::as_str), v.get("child").and_then(Value::as_str)) {
        (Some(p), Some(c)) => format!("edges[{index}] ({p} → {c})"),
        _ => format!("edges[{index}]"),
    };
    let f = Fields { at: &at };
    let map = f.object(v, ("エッジのオブジェクト", "an edge object"))?;
    let (mut parent, mut child, mut op) = (None, None, None);
    let mut extra = Extra::new();
    for (key, v) in map {
        match key.as_str() {
            "parent" => parent = Some(f.string(&key, v)?),
            "child" => child = Some(f.string(&key, v)?),
            "op" => op = Some(f.string(&key, v)?),
            _ => {
                extra.insert(key, v);
            }
        }
    }
    let parent = parent.ok_or_else(|| {
        f.err("parent", both("ありません。エッジには親の id が必要です", "missing; every edge needs a parent id"))
    })?;
    let child = child.ok_or_else(|| {
        f.err("child", both("ありません。エッジには子の id が必要です", "missing; every edge needs a child id"))
    })?;
    let op = op.ok_or_else(|| {
        f.err(
            "op",
            both(
                "ありません。\"+\"、\"-\"、\"*\"、\"/\"、\"link\" のどれかが必要です",
                "missing; expected one of \"+\", \"-\", \"*\", \"/\", \"link\"",
            ),
        )
    })?;
    let op = Op::parse(&op).ok_or_else(|| {
        f.err(
            "op",
            both(
                format!("\"{op}\" という演算子はありません (\"+\"、\"-\"、\"*\"、\"/\"、\"link\" のどれか)"),
                format!("unknown operator \"{op}\" (expected \"+\", \"-\", \"*\", \"/\" or \"link\")"),
            ),
        )
    })?;
    Ok(Edge { parent: NodeId::from(parent), child: NodeId::from(child), op, extra })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_gives_up_on_every_repeated_key_so_the_careful_one_names_it() {
        let doc = |inner: &str| format!(r#"{{"format":"kpitree","version":1,{inner}"nodes":[],"edges":[]}}"#);
        let texts = [
            doc(r#""title":"a","title":"b","#),
            doc(r#""period":{"start":"2026-04-01","start":"2026-05-01"},"#),
            doc(r#""x":[1,{"c":{"d":[],"d":1}}],"#),
            doc(r#""x":1,"\u0078":2,"#),
            doc(r#""scenarios":[{"name":"a","name":"b"}],"#),
        ];
        for text in &texts {
            assert!(direct::read(text).is_none(), "{text}");
            assert!(matches!(from_str(text, "t"), Err(LoadError::DuplicateKey { .. })), "{text}");
        }
        let fine = doc(r#""x":[1,{"c":{"d":[],"e":1}}],"y":{},"#);
        assert!(direct::read(&fine).is_some());
    }

    #[test]
    fn at_most_the_limit_is_read_whatever_the_file_says_its_size_is() {
        // /proc files say they are empty and are not.
        let path = Path::new("/proc/self/maps");
        if !path.exists() {
            return;
        }
        assert_eq!(std::fs::metadata(path).unwrap().len(), 0);
        let (bytes, _) = read_bounded_within(path, "maps", 64).expect("read");
        assert_eq!(bytes.len(), 65, "the limit and one byte more, to tell that there is more");
    }
}
