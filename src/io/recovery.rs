//! Recovery files: unsaved work written aside every so often, so that a crash
//! loses at most the last few seconds. Each running editor has its own file,
//! named after its process id; a file whose process is gone is left over
//! from a crash and is offered at the next start.
//!
//! Recovery copies are private: the folder is 0700 and every file in it is
//! created 0600, whatever the permissions of the document they copy.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::atomic::write_private;
use super::save::{PRETTY_LIMIT_BYTES, document_bytes};
use super::{MAX_FILE_BYTES, load};
use crate::model::Document;

const PREFIX: &str = "recovery-";
const SUFFIX: &str = ".kpitree.json";
const ORIGIN_SUFFIX: &str = ".origin";
/// The mode of recovery files: the user's alone.
const PRIVATE_FILE: u32 = 0o600;
/// The mode of the recovery folder.
const PRIVATE_DIR: u32 = 0o700;

/// The folder recovery files live in.
#[derive(Debug, Clone)]
pub struct RecoveryStore {
    dir: PathBuf,
    pid: u32,
}

/// Unsaved work found at start.
#[derive(Debug, Clone)]
pub struct Recovered {
    /// The document as it was last written aside.
    pub document: Document,
    /// The file it was being edited as, if it had one.
    pub origin: Option<PathBuf>,
    /// When it was written.
    pub written: SystemTime,
    /// The recovery file itself (removed once restored or discarded).
    pub file: PathBuf,
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
        RecoveryStore { dir, pid: std::process::id() }
    }

    /// A store in `dir` acting as process `pid` (tests simulate a second run).
    pub fn in_dir_as(dir: PathBuf, pid: u32) -> RecoveryStore {
        RecoveryStore { dir, pid }
    }

    /// This process's recovery file.
    pub fn file(&self) -> PathBuf {
        self.dir.join(format!("{PREFIX}{}{SUFFIX}", self.pid))
    }

    /// Writes `doc` aside atomically, remembering the file it belongs to.
    /// The folder is made 0700 and the files 0600.
    pub fn write(&self, doc: &Document, origin: Option<&Path>) -> std::io::Result<()> {
        private_dir(&self.dir)?;
        let bytes = document_bytes(doc, PRETTY_LIMIT_BYTES, MAX_FILE_BYTES)?;
        write_private(&self.file(), PRIVATE_FILE, |f| std::io::Write::write_all(f, &bytes))?;
        let origin_file = origin_path(&self.file());
        match origin {
            Some(p) => {
                let text = p.display().to_string();
                write_private(&origin_file, PRIVATE_FILE, |f| std::io::Write::write_all(f, text.as_bytes()))
            }
            None => remove_if_present(&origin_file),
        }
    }

    /// Removes this process's recovery file (the work was saved, or the
    /// editor closed cleanly).
    pub fn clear(&self) -> std::io::Result<()> {
        remove_if_present(&self.file())?;
        remove_if_present(&origin_path(&self.file()))
    }

    /// The newest recovery file left by a process that is no longer running.
    /// Files that cannot be read are skipped (and kept, for a person to look at).
    pub fn find_orphan(&self) -> Option<Recovered> {
        let entries = std::fs::read_dir(&self.dir).ok()?;
        let mut found: Vec<Recovered> = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            let Some(pid) = recovery_pid(&path) else { continue };
            if pid == self.pid || process_alive(pid) {
                continue;
            }
            let Ok(document) = load(&path) else { continue };
            let written = entry.metadata().and_then(|m| m.modified()).unwrap_or(SystemTime::UNIX_EPOCH);
            let origin = std::fs::read_to_string(origin_path(&path)).ok().map(PathBuf::from);
            found.push(Recovered { document, origin, written, file: path });
        }
        found.into_iter().max_by_key(|r| r.written)
    }
}

impl Recovered {
    /// Deletes the recovery file (after it was restored or declined).
    pub fn remove(&self) -> std::io::Result<()> {
        remove_if_present(&self.file)?;
        remove_if_present(&origin_path(&self.file))
    }
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

fn origin_path(file: &Path) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(ORIGIN_SUFFIX);
    PathBuf::from(name)
}

fn recovery_pid(path: &Path) -> Option<u32> {
    let name = path.file_name()?.to_str()?;
    name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?.parse().ok()
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
