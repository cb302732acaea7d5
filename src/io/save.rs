use std::fs::File;
use std::io::Write;
use std::path::Path;

use serde_json::{Map, Number, Value};

use crate::model::{Document, Edge, Node, Period};

/// Writes `doc` to `path` atomically: the JSON goes to a temporary file in the
/// same folder, which is flushed, synced and renamed over the old file. A crash
/// or a failed write leaves the old file as it was.
pub fn save(path: &Path, doc: &Document) -> std::io::Result<()> {
    let text = to_json_string(doc);
    write_atomic(path, |file| file.write_all(text.as_bytes()))
}

/// Creates `path` atomically with whatever `write` puts into the file. If
/// `write` fails, the temporary file is removed and `path` is untouched.
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut File) -> std::io::Result<()>) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".kpitree-").suffix(".tmp");
    #[cfg(unix)]
    {
        // tempfile creates 0600 files; a new document should get the
        // permissions any other new file gets (0666 minus the umask).
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file_mut().flush()?;
    if let Ok(meta) = std::fs::metadata(path) {
        // Keep the permissions the user gave the file.
        tmp.as_file().set_permissions(meta.permissions())?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    remove_stale_temps(dir);
    Ok(())
}

/// A temporary file of a save older than this was left by a save that was
/// killed (no save takes this long); the next save in its folder removes it.
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes `.kpitree-*.tmp` files older than [`STALE_TEMP_AGE`] from `dir`:
/// what saves killed half-way (power loss, SIGKILL) left behind.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".kpitree-") && name.ends_with(".tmp")) {
            continue;
        }
        let old = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_TEMP_AGE);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn sync_dir(dir: &Path) {
    // Makes the rename itself durable. Failure here loses nothing that the
    // rename has not already made visible, so it is not an error.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) {}

/// The document as pretty JSON with a stable key order, ending in a newline.
pub fn to_json_string(doc: &Document) -> String {
    let mut text = serde_json::to_string_pretty(&to_value(doc)).unwrap_or_default();
    text.push('\n');
    text
}

/// The document as a JSON value, keys in the order of `docs/FORMAT.md`,
/// unknown fields after the known ones.
pub fn to_value(doc: &Document) -> Value {
    let mut m = Map::new();
    m.insert("format".into(), "kpitree".into());
    m.insert("version".into(), 1.into());
    put_str(&mut m, "title", &doc.title);
    put_str(&mut m, "description", &doc.description);
    put_str(&mut m, "note", &doc.note);
    if let Some(p) = &doc.period {
        m.insert("period".into(), period_value(p));
    }
    m.insert("nodes".into(), Value::Array(doc.nodes.iter().map(node_value).collect()));
    m.insert("edges".into(), Value::Array(doc.edges.iter().map(edge_value).collect()));
    append_extra(&mut m, &doc.extra);
    Value::Object(m)
}

fn period_value(p: &Period) -> Value {
    let mut m = Map::new();
    for (key, date) in [("start", p.start), ("end", p.end), ("as_of", p.as_of)] {
        if let Some(d) = date {
            m.insert(key.into(), d.to_string().into());
        }
    }
    append_extra(&mut m, &p.extra);
    Value::Object(m)
}

fn node_value(n: &Node) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), n.id.as_str().into());
    m.insert("kind".into(), n.kind.as_str().into());
    m.insert("name".into(), n.name.as_str().into());
    put_str(&mut m, "unit", &n.unit);
    if let Some(t) = n.target {
        m.insert("target".into(), number(t));
    }
    if let Some(a) = n.actual {
        m.insert("actual".into(), number(a));
    }
    if let Some(d) = n.direction {
        m.insert("direction".into(), d.as_str().into());
    }
    if let Some(d) = n.deadline {
        m.insert("deadline".into(), d.to_string().into());
    }
    put_str(&mut m, "owner", &n.owner);
    if let Some(i) = n.indicator {
        m.insert("indicator".into(), i.as_str().into());
    }
    put_str(&mut m, "source", &n.source);
    put_str(&mut m, "note", &n.note);
    if let Some([x, y]) = n.pos {
        m.insert("pos".into(), Value::Array(vec![number(x), number(y)]));
    }
    append_extra(&mut m, &n.extra);
    Value::Object(m)
}

fn edge_value(e: &Edge) -> Value {
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
pub(crate) fn number(x: f64) -> Value {
    // Every whole f64 below 2^63 is exactly an i64. A lower bound such as 2^53
    // would let 2^53..1e16 through to the float printer, which writes `.0`.
    const EXACT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    if x.fract() == 0.0 && x.abs() < EXACT {
        return Value::Number(Number::from(x as i64));
    }
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}
