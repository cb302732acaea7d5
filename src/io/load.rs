mod direct;

use std::path::Path;

use serde_json::{Map, Value};

use crate::model::{Date, Direction, Document, Edge, Extra, Indicator, Kind, Node, NodeId, Op, Period};

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

/// A JSON value in the wrong place or of the wrong type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", self.location(), self.message)]
pub struct SchemaError {
    /// Which object: `""` for the top level, `nodes[2] (id "cust")`, `edges[0]`.
    pub at: String,
    /// Which field of it, when one is at fault.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl SchemaError {
    fn new(at: &str, field: Option<&str>, message: impl Into<String>) -> SchemaError {
        SchemaError { at: at.to_owned(), field: field.map(str::to_owned), message: message.into() }
    }

    fn location(&self) -> String {
        match (self.at.is_empty(), &self.field) {
            (true, None) => String::new(),
            (true, Some(f)) => format!("field \"{f}\": "),
            (false, None) => format!("{}: ", self.at),
            (false, Some(f)) => format!("{}, field \"{f}\": ", self.at),
        }
    }
}

/// Loads a document from a file.
pub fn load(path: &Path) -> Result<Document, LoadError> {
    let name = path.display().to_string();
    let read_err = |source| LoadError::Read { path: name.clone(), source };
    let size = std::fs::metadata(path).map_err(read_err)?.len();
    if size > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { path: name, size, limit: MAX_FILE_BYTES });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    from_slice(&bytes, &name)
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

/// Loads a document from text; `name` is used in error messages.
pub fn from_str(text: &str, name: &str) -> Result<Document, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(doc) = direct::read(text) {
        return Ok(doc);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| LoadError::Syntax {
        path: name.to_owned(),
        line: e.line(),
        column: char_column(text, e.line(), e.column()),
        message: syntax_message(&e),
    })?;
    document_from_value(value).map_err(|problem| LoadError::Invalid { path: name.to_owned(), problem })
}

/// serde_json appends " at line L column C" to its messages; we print the
/// position in front instead.
fn syntax_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    if message.starts_with("number out of range") {
        "a number does not fit a 64-bit floating-point value (number out of range)".to_owned()
    } else {
        message
    }
}

/// serde_json counts columns in bytes; editors (and [`LoadError::Utf8`])
/// count characters, which differ on every line with Japanese text.
fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    if byte_column == 0 {
        return 0;
    }
    let mut end = (byte_column - 1).min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    line_text[..end].chars().count() + 1
}

/// 1-based line and column (in characters) just after `prefix`.
fn line_column(prefix: &[u8]) -> (usize, usize) {
    let line_start = prefix.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&prefix[line_start..]).chars().count() + 1;
    (line, column)
}

fn type_name(v: &Value) -> &'static str {
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
struct Fields<'a> {
    at: &'a str,
}

impl Fields<'_> {
    fn err(&self, field: &str, message: impl Into<String>) -> SchemaError {
        SchemaError::new(self.at, Some(field), message)
    }

    fn string(&self, field: &str, v: Value) -> Result<String, SchemaError> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(self.err(field, format!("expected a string, found {}", type_name(&other)))),
        }
    }

    fn opt_string(&self, field: &str, v: Value) -> Result<Option<String>, SchemaError> {
        match v {
            Value::Null => Ok(None),
            v => self.string(field, v).map(Some),
        }
    }

    fn opt_number(&self, field: &str, v: Value) -> Result<Option<f64>, SchemaError> {
        match v {
            Value::Null => Ok(None),
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(self.err(field, format!("the number {n} does not fit a 64-bit floating-point value"))),
            },
            other => Err(self.err(field, format!("expected a number or null, found {}", type_name(&other)))),
        }
    }

    fn opt_date(&self, field: &str, v: Value) -> Result<Option<Date>, SchemaError> {
        let Some(s) = self.opt_string(field, v)? else {
            return Ok(None);
        };
        Date::parse(&s)
            .map(Some)
            .ok_or_else(|| self.err(field, format!("\"{s}\" is not a date of the form YYYY-MM-DD")))
    }

    fn opt_enum<T>(
        &self,
        field: &str,
        v: Value,
        parse: fn(&str) -> Option<T>,
        allowed: &str,
    ) -> Result<Option<T>, SchemaError> {
        let Some(s) = self.opt_string(field, v)? else {
            return Ok(None);
        };
        parse(&s).map(Some).ok_or_else(|| self.err(field, format!("unknown value \"{s}\" (expected {allowed})")))
    }

    fn object(&self, v: Value, what: &str) -> Result<Map<String, Value>, SchemaError> {
        match v {
            Value::Object(m) => Ok(m),
            other => {
                Err(SchemaError::new(self.at, None, format!("expected {what} object, found {}", type_name(&other))))
            }
        }
    }
}

/// Converts parsed JSON into a document, checking every field.
pub(crate) fn document_from_value(value: Value) -> Result<Document, SchemaError> {
    let top = Fields { at: "" };
    let map = top.object(value, "a kpitree document (a JSON")?;
    let (mut doc, nodes, edges) = header(map)?;
    let nodes = array(nodes, "nodes")?;
    doc.nodes = nodes.into_iter().enumerate().map(|(i, v)| node_from_value(i, v)).collect::<Result<_, _>>()?;
    let edges = array(edges, "edges")?;
    doc.edges = edges.into_iter().enumerate().map(|(i, v)| edge_from_value(i, v)).collect::<Result<_, _>>()?;
    Ok(doc)
}

/// Checks `format` and `version` and reads every top-level field but
/// `nodes` and `edges`, which it hands back as they are.
fn header(map: Map<String, Value>) -> Result<(Document, Option<Value>, Option<Value>), SchemaError> {
    let top = Fields { at: "" };
    match map.get("format") {
        Some(Value::String(s)) if s == "kpitree" => {}
        Some(other) => {
            return Err(
                top.err("format", format!("expected \"kpitree\", found {other} — this is not a kpitree document"))
            );
        }
        None => return Err(top.err("format", "missing; a kpitree document starts with \"format\": \"kpitree\"")),
    }
    match map.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(other) => {
            return Err(top.err("version", format!("unsupported version {other}; this kpitree reads version 1")));
        }
        None => return Err(top.err("version", "missing; expected \"version\": 1")),
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
        Some(other) => {
            Err(SchemaError::new("", Some(field), format!("expected an array, found {}", type_name(&other))))
        }
        None => Err(SchemaError::new(
            "",
            Some(field),
            "missing; the document needs a \"nodes\" and an \"edges\" array (they may be empty)",
        )),
    }
}

fn period_from_value(v: Value) -> Result<Option<Period>, SchemaError> {
    let f = Fields { at: "period" };
    if v.is_null() {
        return Ok(None);
    }
    let map = f.object(v, "a period")?;
    let mut period = Period::default();
    for (key, v) in map {
        match key.as_str() {
            "start" => period.start = f.opt_date(&key, v)?,
            "end" => period.end = f.opt_date(&key, v)?,
            "as_of" => period.as_of = f.opt_date(&key, v)?,
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
    let map = f.object(v, "a node")?;
    let (mut id, mut kind, mut name) = (None, None, None);
    let mut node = Node::new("", Kind::Kpi, "");
    for (key, v) in map {
        match key.as_str() {
            "id" => id = Some(f.string(&key, v)?),
            "kind" => kind = Some(f.string(&key, v)?),
            "name" => name = Some(f.string(&key, v)?),
            "unit" => node.unit = f.opt_string(&key, v)?,
            "target" => node.target = f.opt_number(&key, v)?,
            "actual" => node.actual = f.opt_number(&key, v)?,
            "direction" => node.direction = f.opt_enum(&key, v, Direction::parse, "\"up\" or \"down\"")?,
            "deadline" => node.deadline = f.opt_date(&key, v)?,
            "owner" => node.owner = f.opt_string(&key, v)?,
            "indicator" => node.indicator = f.opt_enum(&key, v, Indicator::parse, "\"leading\" or \"lagging\"")?,
            "source" => node.source = f.opt_string(&key, v)?,
            "note" => node.note = f.opt_string(&key, v)?,
            "pos" => node.pos = pos_from_value(&f, v)?,
            _ => {
                node.extra.insert(key, v);
            }
        }
    }
    let id = id.ok_or_else(|| f.err("id", "missing; every node needs an id"))?;
    if id.is_empty() {
        return Err(f.err("id", "is empty; every node needs a non-empty id"));
    }
    node.id = NodeId::from(id);
    let kind = kind.ok_or_else(|| f.err("kind", "missing; expected \"KGI\", \"KSF\" or \"KPI\""))?;
    node.kind = Kind::parse(&kind)
        .ok_or_else(|| f.err("kind", format!("unknown kind \"{kind}\" (expected \"KGI\", \"KSF\" or \"KPI\")")))?;
    node.name = name.ok_or_else(|| f.err("name", "missing; every node needs a name (it may be empty)"))?;
    Ok(node)
}

fn pos_from_value(f: &Fields<'_>, v: Value) -> Result<Option<[f64; 2]>, SchemaError> {
    let bad = || f.err("pos", "expected [x, y], two numbers");
    match v {
        Value::Null => Ok(None),
        Value::Array(items) if items.len() == 2 => {
            let x = f.opt_number("pos", items[0].clone())?.ok_or_else(bad)?;
            let y = f.opt_number("pos", items[1].clone())?.ok_or_else(bad)?;
            Ok(Some([x, y]))
        }
        _ => Err(bad()),
    }
}

fn edge_from_value(index: usize, v: Value) -> Result<Edge, SchemaError> {
    let at = match (v.get("parent").and_then(Value::as_str), v.get("child").and_then(Value::as_str)) {
        (Some(p), Some(c)) => format!("edges[{index}] ({p} → {c})"),
        _ => format!("edges[{index}]"),
    };
    let f = Fields { at: &at };
    let map = f.object(v, "an edge")?;
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
    let parent = parent.ok_or_else(|| f.err("parent", "missing; every edge needs a parent id"))?;
    let child = child.ok_or_else(|| f.err("child", "missing; every edge needs a child id"))?;
    let op = op.ok_or_else(|| f.err("op", "missing; expected one of \"+\", \"-\", \"*\", \"/\", \"link\""))?;
    let op = Op::parse(&op).ok_or_else(|| {
        f.err("op", format!("unknown operator \"{op}\" (expected \"+\", \"-\", \"*\", \"/\" or \"link\")"))
    })?;
    Ok(Edge { parent: NodeId::from(parent), child: NodeId::from(child), op, extra })
}
