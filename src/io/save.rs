//! Writing files: the document as JSON, and the atomic replace every writer
//! of kpitree (documents, exports, recovery files) goes through.
//!
//! A save writes a temporary file beside the target, gives it the target's
//! owner, group and mode, syncs it and renames it over the target. Where the
//! rename would lose something — the target has other hard links, or its
//! owner cannot be kept (chown refused), or its folder is not writable — the
//! target is rewritten in place instead, after its old content was copied
//! aside, so that a crash half-way still leaves the old content on disk.
//! docs/FORMAT.md ("Saving") describes this for users.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};

use serde_json::{Map, Number, Value};

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
/// is written, since kpitree could not open it again.
pub fn save(path: &Path, doc: &Document) -> io::Result<()> {
    save_within(path, doc, PRETTY_LIMIT_BYTES, MAX_FILE_BYTES)
}

/// [`save`] with the two size limits as parameters (tests use small ones).
fn save_within(path: &Path, doc: &Document, pretty_limit: u64, max: u64) -> io::Result<()> {
    let bytes = document_bytes(doc, pretty_limit, max).map_err(|e| named(path, "cannot save the document", e))?;
    write_atomic(path, |file| file.write_all(&bytes))
}

/// The bytes [`save`] writes: pretty JSON up to `pretty_limit` bytes, else
/// compact JSON up to `max` bytes, else an error (kind `FileTooLarge`).
pub(crate) fn document_bytes(doc: &Document, pretty_limit: u64, max: u64) -> io::Result<Vec<u8>> {
    let value = to_value(doc);
    if let Some(bytes) = json_within(&value, true, pretty_limit) {
        return Ok(bytes);
    }
    json_within(&value, false, max).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!(
                "the document would be more than {} even as compact JSON, more than kpitree can open again; \
                 nothing was written (split it into several files)",
                mib(max)
            ),
        )
    })
}

fn mib(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 {
        format!("{} MiB", bytes / (1024 * 1024))
    } else {
        format!("{bytes} bytes")
    }
}

/// `value` as JSON text ending in a newline, if that is at most `limit`
/// bytes; serialising stops as soon as it would be longer.
fn json_within(value: &Value, pretty: bool, limit: u64) -> Option<Vec<u8>> {
    let mut out = Capped { bytes: Vec::new(), limit: limit.saturating_sub(1) };
    let written =
        if pretty { serde_json::to_writer_pretty(&mut out, value) } else { serde_json::to_writer(&mut out, value) };
    written.ok()?;
    let mut bytes = out.bytes;
    bytes.push(b'\n');
    Some(bytes)
}

/// A byte buffer that refuses to grow past `limit`.
struct Capped {
    bytes: Vec<u8>,
    limit: u64,
}

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if (self.bytes.len() + buf.len()) as u64 > self.limit {
            return Err(io::Error::new(io::ErrorKind::FileTooLarge, "over the limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Replaces `path` with whatever `write` puts into the file, so that a crash
/// or a failed write leaves the old file as it was:
///
/// - a symbolic link is followed: the file it points to is replaced and the
///   link stays a link;
/// - a directory, device, FIFO or socket is refused (nothing is written);
/// - a read-only file is refused with [`io::ErrorKind::PermissionDenied`]
///   (also for root: a file without any write bit is meant to stay as it is);
/// - otherwise the content goes to a temporary file beside the target, which
///   gets the target's owner, group and mode, is synced and renamed over it;
/// - where that would change the file's owner (chown refused), or the file
///   has other hard links (`nlink > 1`), or its folder is not writable, the
///   file is rewritten in place: its old content is first copied aside
///   (`.NAME.XXXXXX.kpitree-backup` in its folder, or the system temporary
///   folder), the copy is removed once the new content is synced.
///
/// Every error message starts with `path` (never a temporary file's name).
pub fn write_atomic(path: &Path, write: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    write_file(path, None, write)
}

/// [`write_atomic`] for a private file: created with mode `mode` (e.g.
/// 0600) from the start and kept so, whatever the old file's mode was.
pub(crate) fn write_private(path: &Path, mode: u32, write: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    write_file(path, Some(mode), write)
}

fn write_file(path: &Path, private: Option<u32>, write: impl FnOnce(&mut File) -> io::Result<()>) -> io::Result<()> {
    refuse_special(path)?;
    let target = resolve_links(path).map_err(|e| named(path, "cannot follow the symbolic link", e))?;
    let existing = match fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(named(path, "cannot look at the file", e)),
    };
    if let Some(meta) = &existing {
        refuse_unwritable(path, &target, meta)?;
    }
    let dir = folder_of(&target);
    // A new file gets what any new file gets (0666 less the umask); a
    // replacement starts private and gets the old file's owner and mode once
    // written, so that no one reads it who could not read the old file.
    let mode = private.unwrap_or(if existing.is_some() { 0o600 } else { 0o666 });
    let mut tmp = match Temp::create(&dir, mode) {
        Ok(tmp) => tmp,
        // A writable file in a folder that is not: only in place.
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied && existing.is_some() => {
            let mut content = tempfile::tempfile().map_err(|e| named(path, "cannot create a temporary file", e))?;
            write(&mut content).map_err(|e| named(path, "cannot write", e))?;
            return replace_in_place(path, &target, &mut content);
        }
        Err(e) => return Err(named(path, "cannot create a file in its folder", e)),
    };
    #[cfg(unix)]
    if let Some(mode) = private {
        // Exactly this mode, whatever the umask took away.
        use std::os::unix::fs::PermissionsExt;
        tmp.file.set_permissions(fs::Permissions::from_mode(mode)).map_err(|e| named(path, "cannot write", e))?;
    }
    write(&mut tmp.file).and_then(|()| tmp.file.flush()).map_err(|e| named(path, "cannot write", e))?;
    if let Some(meta) = &existing {
        let in_place = match private {
            Some(_) => false,
            None => other_links(meta) || !keep_owner_and_mode(&tmp.file, meta),
        };
        if in_place {
            return replace_in_place(path, &target, &mut tmp.file);
        }
    }
    tmp.file.sync_all().map_err(|e| named(path, "cannot write", e))?;
    fs::rename(&tmp.path, &target).map_err(|e| named(path, "cannot replace the file", e))?;
    tmp.persisted = true;
    sync_dir(&dir);
    remove_stale_temps(&dir);
    Ok(())
}

/// The error [`write_atomic`] would refuse `path` with before writing
/// anything (a folder, a device, a FIFO, a socket, a read-only file), so
/// that a command can refuse before it does the work.
pub fn check_target(path: &Path) -> io::Result<()> {
    refuse_special(path)?;
    let target = resolve_links(path).map_err(|e| named(path, "cannot follow the symbolic link", e))?;
    match fs::metadata(&target) {
        Ok(meta) => refuse_unwritable(path, &target, &meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(named(path, "cannot look at the file", e)),
    }
}

/// Whether kpitree may replace the file at `path`: it exists and is writable
/// by this user, or it does not exist yet and its folder is writable. The
/// editor shows 「読み取り専用」 when this is false. A file without any write
/// bit counts as read-only for root too.
pub fn writable(path: &Path) -> bool {
    let Ok(target) = resolve_links(path) else { return false };
    match fs::metadata(&target) {
        Ok(meta) => meta.is_file() && file_writable(&target, &meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => access_write(&folder_of(&target)),
        Err(_) => false,
    }
}

/// Refuses a path whose file, as the system resolves it, is not a regular
/// file: a link to `/dev/stdout` (a pipe, a terminal) or `/dev/null` is
/// said to be one, not followed by hand into `/proc` where it names nothing.
fn refuse_special(path: &Path) -> io::Result<()> {
    match fs::metadata(path) {
        Ok(meta) if !meta.is_file() => refuse_unwritable(path, path, &meta),
        _ => Ok(()),
    }
}

/// The error for a target kpitree must not replace, if it is one.
fn refuse_unwritable(path: &Path, target: &Path, meta: &Metadata) -> io::Result<()> {
    if meta.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            format!("{}: is a folder, not a file; nothing was written", path.display()),
        ));
    }
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "{}: is not a regular file (a device, FIFO or socket); kpitree writes only regular files, nothing was written",
                path.display()
            ),
        ));
    }
    if !file_writable(target, meta) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{}: the file is read-only; kpitree does not replace it (make it writable, or save under another name)",
                path.display()
            ),
        ));
    }
    Ok(())
}

/// An error that says which file and what was being done.
pub(crate) fn named(path: &Path, what: &str, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {what}: {e}", path.display()))
}

/// The file a chain of symbolic links ends at (the path itself when it is
/// no link). Only the last component matters: the system follows links in
/// the folders on the way.
pub(crate) fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&p)?;
                p = if link.is_absolute() { link } else { p.parent().unwrap_or(Path::new("")).join(link) };
            }
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A temporary file, removed on drop unless it was renamed into place.
struct Temp {
    file: File,
    path: PathBuf,
    persisted: bool,
}

impl Temp {
    /// `.kpitree-XXXXXXXX.tmp` in `dir`, created new with `mode` (before the umask).
    fn create(dir: &Path, mode: u32) -> io::Result<Temp> {
        Temp::create_named(dir, ".kpitree-", ".tmp", mode)
    }

    fn create_named(dir: &Path, prefix: &str, suffix: &str, mode: u32) -> io::Result<Temp> {
        let mut last = None;
        for attempt in 0..64u32 {
            let path = dir.join(format!("{prefix}{}{suffix}", unique(attempt)));
            let mut options = OpenOptions::new();
            options.read(true).write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
            #[cfg(not(unix))]
            let _ = mode;
            match options.open(&path) {
                Ok(file) => return Ok(Temp { file, path, persisted: false }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = fs::remove_file(&self.path);
        }
    }
}

/// Eight letters that differ between processes, calls and attempts.
fn unique(attempt: u32) -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(attempt);
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    let mut x = h.finish();
    let mut s = String::with_capacity(8);
    for _ in 0..8 {
        s.push(char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[(x % 36) as usize]));
        x /= 36;
    }
    s
}

/// Rewrites `target` in place with the content of `new`: the old content is
/// copied aside and synced first, then the file is overwritten and synced,
/// then the copy is removed. If overwriting fails, the old content is put
/// back; if even that fails, the message says where the copy is.
fn replace_in_place(path: &Path, target: &Path, new: &mut File) -> io::Result<()> {
    let fail = |what: &str, e: io::Error| named(path, what, e);
    new.sync_all().map_err(|e| fail("cannot write", e))?;
    let mut old =
        OpenOptions::new().read(true).write(true).open(target).map_err(|e| fail("cannot open the file", e))?;
    let mut backup = backup_for(target).map_err(|e| fail("cannot copy the old content aside", e))?;
    io::copy(&mut old, &mut backup.file)
        .and_then(|_| backup.file.sync_all())
        .map_err(|e| fail("cannot copy the old content aside", e))?;
    sync_dir(&folder_of(&backup.path));
    let overwrite = |from: &mut File, to: &mut File| -> io::Result<()> {
        from.rewind()?;
        to.rewind()?;
        let len = io::copy(from, to)?;
        to.set_len(len)?;
        to.sync_all()
    };
    if let Err(e) = overwrite(new, &mut old) {
        if overwrite(&mut backup.file, &mut old).is_err() {
            backup.persisted = true;
            return Err(io::Error::new(
                e.kind(),
                format!(
                    "{}: cannot write: {e}; the file may be damaged, its previous content is in {}",
                    path.display(),
                    backup.path.display()
                ),
            ));
        }
        return Err(fail("cannot write", e));
    }
    drop(backup);
    Ok(())
}

/// A new file for the old content of `target`: beside it, else in the
/// system's temporary folder. Private (0600): it may hold what others may
/// not read.
fn backup_for(target: &Path) -> io::Result<Temp> {
    let name = target.file_name().map_or_else(|| "document".into(), |n| n.to_string_lossy().into_owned());
    let prefix = format!(".{name}.");
    Temp::create_named(&folder_of(target), &prefix, ".kpitree-backup", 0o600)
        .or_else(|_| Temp::create_named(&std::env::temp_dir(), &prefix, ".kpitree-backup", 0o600))
}

#[cfg(unix)]
fn other_links(meta: &Metadata) -> bool {
    std::os::unix::fs::MetadataExt::nlink(meta) > 1
}

#[cfg(not(unix))]
fn other_links(_meta: &Metadata) -> bool {
    false
}

/// Gives `file` the owner, group and mode of `meta`; false when the owner or
/// group cannot be given (the caller then writes in place).
#[cfg(unix)]
fn keep_owner_and_mode(file: &File, meta: &Metadata) -> bool {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let Ok(mine) = file.metadata() else { return false };
    if (mine.uid(), mine.gid()) != (meta.uid(), meta.gid())
        && std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_err()
    {
        return false;
    }
    // After chown, which clears set-user-id and set-group-id bits.
    file.set_permissions(fs::Permissions::from_mode(meta.mode() & 0o7777)).is_ok()
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &File, meta: &Metadata) -> bool {
    file.set_permissions(meta.permissions()).is_ok()
}

/// Whether this user may write the existing file `path`.
#[cfg(unix)]
fn file_writable(path: &Path, meta: &Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    // Root may write anything; a file without any write bit still says
    // "leave me as I am".
    meta.permissions().mode() & 0o222 != 0 && access_write(path)
}

#[cfg(not(unix))]
fn file_writable(_path: &Path, meta: &Metadata) -> bool {
    !meta.permissions().readonly()
}

/// `access(path, W_OK)` for the effective user (false on a read-only file system).
#[cfg(unix)]
fn access_write(path: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else { return false };
    // SAFETY: `c` is a valid NUL-terminated string for the duration of the call.
    unsafe { libc::faccessat(libc::AT_FDCWD, c.as_ptr(), libc::W_OK, libc::AT_EACCESS) == 0 }
}

#[cfg(not(unix))]
fn access_write(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.permissions().readonly())
}

/// A temporary file of a save older than this was left by a save that was
/// killed (no save takes this long); the next save in its folder removes it.
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes `.kpitree-*.tmp` files older than [`STALE_TEMP_AGE`] from `dir`:
/// what saves killed half-way (power loss, SIGKILL) left behind.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
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
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) {
    // Makes the rename itself durable. Failure here loses nothing that the
    // rename has not already made visible, so it is not an error.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) {}

/// The document as pretty JSON with a stable key order, ending in a newline
/// (whatever its size; [`save`] switches to compact JSON for huge documents).
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
    if let Some(layout) = doc.layout {
        m.insert("layout".into(), layout.as_str().into());
    }
    m.insert("nodes".into(), Value::Array(doc.nodes.iter().map(|n| node_value(n)).collect()));
    m.insert("edges".into(), Value::Array(doc.edges.iter().map(edge_value).collect()));
    if let Some(scenarios) = crate::model::scenario::to_value(&doc.scenarios) {
        m.insert(crate::model::scenario::KEY.into(), scenarios);
    }
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
    super::fields::write(n, &mut m);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::generate;

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
