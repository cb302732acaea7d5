//! Temporary files of a write in progress: created beside the file they
//! replace, removed when the write fails, and — when a write was killed —
//! removed by the next kpitree that writes in their folder.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

/// A temporary file, removed on drop unless it was renamed into place.
pub(super) struct Temp {
    pub(super) file: File,
    pub(super) path: PathBuf,
    pub(super) persisted: bool,
}

impl Temp {
    /// `.kpitree-XXXXXXXX.tmp` in `dir`, created new with `mode` (before the umask).
    pub(super) fn create(dir: &Path, mode: u32) -> io::Result<Temp> {
        Temp::create_named(dir, ".kpitree-", ".tmp", mode)
    }

    pub(super) fn create_named(dir: &Path, prefix: &str, suffix: &str, mode: u32) -> io::Result<Temp> {
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

/// A temporary file of a save older than this was left by a save that was
/// killed (no save takes this long); the next save in its folder removes it.
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes `.kpitree-*.tmp` files older than [`STALE_TEMP_AGE`] from `dir`:
/// what saves killed half-way (power loss, SIGKILL) left behind.
pub(super) fn remove_stale_temps(dir: &Path) {
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
