//! Recovery copies: unsaved work written aside every so often, so that a
//! crash loses at most the last few seconds. Each running editor has its own
//! copy, named after its process; a copy whose process is gone is left over
//! from a crash and is offered at the next start.
//!
//! A copy is two files: the document (`recovery-PID-XXXXXXXX.kpitree.json`,
//! up to the size of any document) and a small header beside it
//! (`….header.json`) that says which file the work belongs to, what that
//! file was when the work began from it (its [`FileIdentity`]), the title,
//! and the number of nodes. The start reads headers only (and the copies'
//! times); a document is read when the user restores it.
//!
//! Recovery copies are private: the folder is 0700 and every file in it is
//! created 0600, whatever the permissions of the document they copy. Only
//! regular files are read there (no links, no FIFOs), headers up to 64 KiB.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::atomic::write_private;
use super::bounded::{Links, read_regular};
use super::json_stream::{DocumentJson, choose_form, write_json};
use super::save::PRETTY_LIMIT_BYTES;
use super::{FileIdentity, LoadError, MAX_FILE_BYTES};
use crate::model::Document;

const PREFIX: &str = "recovery-";
const SUFFIX: &str = ".kpitree.json";
const HEADER_SUFFIX: &str = ".header.json";
/// The header of copies written before headers existed: the origin's path.
const ORIGIN_SUFFIX: &str = ".origin";
/// The mode of recovery files: the user's alone.
const PRIVATE_FILE: u32 = 0o600;
/// The mode of the recovery folder.
const PRIVATE_DIR: u32 = 0o700;
/// The largest header read (a path and a title are far shorter).
const HEADER_CAP: u64 = 64 * 1024;
/// Characters of the title a header keeps.
const TITLE_CHARS: usize = 200;
/// Copies kept per document (by the file they belong to; untitled work
/// counts as one document): the newest; older ones are removed at start.
pub const KEPT_PER_DOCUMENT: usize = 5;

/// The folder recovery copies live in, for one process.
#[derive(Debug, Clone)]
pub struct RecoveryStore {
    dir: PathBuf,
    pid: u32,
    /// Tells this run's copy from an earlier process's with the same id.
    run: String,
}

/// Work left by a crash, as its header describes it (the document itself
/// is read by [`Recovered::load`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Recovered {
    /// The file it was being edited as, if it had one.
    pub origin: Option<PathBuf>,
    /// That file as it was when the work began from it (last opened or
    /// saved); `None` when unknown (a copy from an older kpitree).
    pub base: Option<FileIdentity>,
    /// The document's title (at most 200 characters), if any.
    pub title: Option<String>,
    /// How many nodes it has, when known.
    pub nodes: Option<usize>,
    /// When it was written (the copy's modification time).
    pub written: SystemTime,
    /// The copy itself (removed once restored or discarded).
    pub file: PathBuf,
}

/// What a header file holds.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    origin: Option<PathBuf>,
    base: Option<Base>,
    title: Option<String>,
    nodes: Option<usize>,
}

/// A [`FileIdentity`] as a header stores it.
#[derive(Debug, Serialize, Deserialize)]
struct Base {
    modified: Option<(u64, u32)>,
    len: u64,
    hash: u64,
    recent: bool,
}

impl Base {
    fn of(id: &FileIdentity) -> Base {
        let modified =
            id.modified.and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| (d.as_secs(), d.subsec_nanos()));
        Base { modified, len: id.len, hash: id.hash, recent: id.recent }
    }

    fn identity(&self) -> FileIdentity {
        let modified = self.modified.map(|(s, n)| UNIX_EPOCH + Duration::new(s, n));
        FileIdentity { modified, len: self.len, hash: self.hash, recent: self.recent }
    }
}

impl RecoveryStore {
    /// The user's data folder for kpitree (XDG data home on Linux,
    /// Application Support on macOS, AppData on Windows).
    pub fn default_location() -> Option<RecoveryStore> {
        let dirs = directories::ProjectDirs::from("", "", "kpitree")?;
        Some(RecoveryStore::in_dir(dirs.data_dir().join("recovery")))
    }

    /// A store in `dir` for this process.
    pub fn in_dir(dir: PathBuf) -> RecoveryStore {
        RecoveryStore::in_dir_as(dir, std::process::id())
    }

    /// A store in `dir` acting as process `pid` (tests simulate a second run).
    pub fn in_dir_as(dir: PathBuf, pid: u32) -> RecoveryStore {
        RecoveryStore { dir, pid, run: super::temp::run_tag() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// This process's copy of the document.
    pub fn file(&self) -> PathBuf {
        self.dir.join(format!("{PREFIX}{}-{}{SUFFIX}", self.pid, self.run))
    }

    /// Writes `doc` aside atomically with its header: the file it belongs
    /// to and what that file was when the work began (`base`). The folder is
    /// made 0700 and the files 0600.
    pub fn write(&self, doc: &Document, origin: Option<&Path>, base: Option<&FileIdentity>) -> std::io::Result<()> {
        private_dir(&self.dir)?;
        let json = DocumentJson::new(doc);
        let form = choose_form(&json, PRETTY_LIMIT_BYTES, MAX_FILE_BYTES, "the unsaved document")?;
        let file = self.file();
        write_private(&file, PRIVATE_FILE, |f| write_json(f, &json, form))?;
        let header = Header {
            origin: origin.map(Path::to_path_buf),
            base: base.map(Base::of),
            title: doc.title.as_ref().map(|t| t.chars().take(TITLE_CHARS).collect()),
            nodes: Some(doc.nodes.len()),
        };
        let text = serde_json::to_vec(&header).map_err(std::io::Error::other)?;
        write_private(&header_path(&file), PRIVATE_FILE, |f| std::io::Write::write_all(f, &text))
    }

    /// Removes this process's copy (the work was saved, or the editor closed
    /// cleanly).
    pub fn clear(&self) -> std::io::Result<()> {
        remove_copy(&self.file())
    }

    /// The copies left by processes that are no longer running, newest
    /// first, from their headers alone. Of each document's copies only the
    /// newest [`KEPT_PER_DOCUMENT`] are kept; older ones are removed here.
    /// Anything that is not a regular file is skipped (never opened).
    pub fn find_orphans(&self) -> Vec<Recovered> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Vec::new() };
        let mut found: Vec<Recovered> = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(pid) = recovery_pid(&path) else { continue };
            // This process's own (tests run several editors as one process).
            if pid == self.pid || process_alive(pid) {
                continue;
            }
            // The entry itself: a link or a FIFO with a copy's name is no copy.
            let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
            if !meta.is_file() {
                continue;
            }
            let written = meta.modified().unwrap_or(UNIX_EPOCH);
            found.push(read_header(&path, written));
        }
        // Newest first; by name among equals, so that the order is stable.
        found.sort_by(|a, b| b.written.cmp(&a.written).then_with(|| a.file.cmp(&b.file)));
        let mut seen: rustc_hash::FxHashMap<Option<PathBuf>, usize> = Default::default();
        found.retain(|r| {
            let count = seen.entry(r.origin.clone()).or_default();
            *count += 1;
            if *count > KEPT_PER_DOCUMENT {
                let _ = remove_copy(&r.file);
                return false;
            }
            true
        });
        found
    }
}

impl Recovered {
    /// The document of the copy (only a regular file, at most the size of
    /// any document).
    pub fn load(&self) -> Result<Document, LoadError> {
        let name = self.file.display().to_string();
        match std::fs::symlink_metadata(&self.file) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(LoadError::NotAFile { path: name, what: "a symbolic link" });
            }
            Err(source) => return Err(LoadError::Read { path: name, source }),
            Ok(_) => {}
        }
        super::load(&self.file)
    }

    /// Deletes the copy (after it was restored or discarded).
    pub fn remove(&self) -> std::io::Result<()> {
        remove_copy(&self.file)
    }

    /// The name to show for it: the file it belongs to, else its title.
    pub fn name(&self) -> Option<String> {
        let file = self.origin.as_ref().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned());
        file.or_else(|| self.title.clone().filter(|t| !t.trim().is_empty()))
    }
}

/// The header of the copy `file`, or what can be said without one.
fn read_header(file: &Path, modified: SystemTime) -> Recovered {
    let mut found =
        Recovered { origin: None, base: None, title: None, nodes: None, written: modified, file: file.to_owned() };
    let header = read_regular(&header_path(file), HEADER_CAP, Links::Refuse)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Header>(&bytes).ok());
    if let Some(h) = header {
        found.origin = h.origin;
        found.base = h.base.as_ref().map(Base::identity);
        found.title = h.title.map(|t| t.chars().take(TITLE_CHARS).collect());
        found.nodes = h.nodes;
    } else if let Ok(bytes) = read_regular(&legacy_origin_path(file), HEADER_CAP, Links::Refuse) {
        // An older kpitree's copy: only the origin's path, nothing of its state.
        found.origin = Some(PathBuf::from(String::from_utf8_lossy(&bytes).into_owned()));
    }
    found
}

/// Creates `dir` (and its missing parents) 0700, and makes it 0700 if it
/// was more open.
fn private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        builder.mode(PRIVATE_DIR);
        builder.create(dir)?;
        let mode = std::fs::metadata(dir)?.permissions().mode() & 0o777;
        if mode != PRIVATE_DIR {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(PRIVATE_DIR))?;
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let _ = PRIVATE_DIR;
        builder.create(dir)
    }
}

/// `recovery-PID-RUN.header.json` beside `recovery-PID-RUN.kpitree.json`.
fn header_path(file: &Path) -> PathBuf {
    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    let stem = name.strip_suffix(SUFFIX).unwrap_or(name);
    file.with_file_name(format!("{stem}{HEADER_SUFFIX}"))
}

fn legacy_origin_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(ORIGIN_SUFFIX);
    PathBuf::from(name)
}

/// The process of a copy's name: `recovery-PID-RUN.kpitree.json`, or
/// `recovery-PID.kpitree.json` from an older kpitree.
fn recovery_pid(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    let middle = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?;
    middle.split('-').next()?.parse().ok()
}

/// Removes a copy and whatever header it has.
fn remove_copy(file: &Path) -> std::io::Result<()> {
    remove_if_present(file)?;
    remove_if_present(&header_path(file))?;
    remove_if_present(&legacy_origin_path(file))
}

fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Whether a kpitree process with this id is running. A killed process that
/// nobody reaped (a zombie) and an id reused by another program count as
/// gone. Where this cannot be known, every other process counts as gone, so
/// that a crash's work is offered.
pub(super) fn process_alive(pid: u32) -> bool {
    if cfg!(windows) {
        // Running under a name that is not kpitree's: an id reused.
        return match crate::platform::process(pid) {
            crate::platform::Process::Running(Some(program)) => crate::platform::is_kpitree_program(&program),
            crate::platform::Process::Running(None) => true,
            crate::platform::Process::Gone | crate::platform::Process::Unknown => false,
        };
    }
    if !cfg!(target_os = "linux") {
        return false;
    }
    // /proc/PID/stat is "PID (COMM) STATE …"; COMM may contain spaces.
    let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
    let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { return false };
    let comm = &stat[open + 1..close];
    let state = stat[close + 1..].trim_start().chars().next();
    comm.starts_with("kpitree") && !matches!(state, Some('Z' | 'X' | 'x'))
}
