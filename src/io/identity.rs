//! What a file was when the editor read or wrote it, so that it can tell
//! later whether another program changed it: modification time and size
//! (cheap, from the metadata) and a 64-bit hash of the bytes (to confirm).
//!
//! Equal times and sizes do not prove equal bytes: a file system keeps
//! times to a second or two (FAT: 2 s), so a second write within that tick
//! keeps the time, and a program may put the time back. So the bytes are
//! compared whenever the file was read within [`TIME_RESOLUTION`] of its
//! modification time, and always before kpitree overwrites it
//! ([`FileIdentity::compare_content`]).

use std::hash::Hasher;
use std::io::{self, Read};
use std::path::Path;
use std::time::SystemTime;

use super::MAX_FILE_BYTES;

/// The pieces the bytes are hashed in.
const CHUNK: usize = 64 * 1024;

/// The coarsest modification times a file system keeps (FAT's two
/// seconds): two writes closer than this may leave the same time.
pub const TIME_RESOLUTION: std::time::Duration = std::time::Duration::from_secs(2);

/// A file as it was at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FileIdentity {
    /// Its modification time (`None` where the system has none).
    pub modified: Option<SystemTime>,
    /// Its size in bytes.
    pub len: u64,
    /// A hash of its bytes (FxHash; not cryptographic, only for telling
    /// versions of one file apart).
    pub hash: u64,
    /// It was taken less than [`TIME_RESOLUTION`] after the file's
    /// modification time (or the file has none): a later write may have
    /// left the same time and size, so only the bytes tell.
    pub recent: bool,
}

/// How a file differs from a [`FileIdentity`] taken earlier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Same modification time and size: taken to be the same file.
    Unchanged,
    /// The modification time or size differ but the bytes are the same (a
    /// `touch`, or another program saved what was there): the new identity.
    Touched(FileIdentity),
    /// Other bytes: the new identity.
    Modified(FileIdentity),
    /// The file is gone.
    Missing,
}

impl Change {
    /// Whether the content differs (or the file is gone).
    pub fn is_change(&self) -> bool {
        matches!(self, Change::Modified(_) | Change::Missing)
    }
}

impl FileIdentity {
    /// Reads the file at `path` (at most [`MAX_FILE_BYTES`] + 1 bytes are
    /// hashed; only regular files).
    pub fn read(path: &Path) -> io::Result<FileIdentity> {
        let not_a_file =
            || io::Error::new(io::ErrorKind::InvalidInput, format!("{}: not a regular file", path.display()));
        // Look before opening: opening a FIFO would wait for a writer.
        if !std::fs::metadata(path)?.is_file() {
            return Err(not_a_file());
        }
        let mut options = std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
        let file = options.open(path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(not_a_file());
        }
        let mut hasher = rustc_hash::FxHasher::default();
        let mut len = 0u64;
        let mut reader = file.take(MAX_FILE_BYTES + 1);
        let mut buf = vec![0u8; CHUNK];
        loop {
            // Whole chunks, whatever pieces the system hands over, so that
            // the hash is the one `of_bytes` gives.
            let mut filled = 0;
            while filled < CHUNK {
                match reader.read(&mut buf[filled..]) {
                    Ok(0) => break,
                    Ok(n) => filled += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            hasher.write(&buf[..filled]);
            len += filled as u64;
            if filled < CHUNK {
                break;
            }
        }
        hasher.write_u64(len);
        let modified = meta.modified().ok();
        Ok(FileIdentity { modified, len, hash: hasher.finish(), recent: recent(modified) })
    }

    /// The identity of a file whose state is not known (recovered work that
    /// recorded none): it differs from every file, so that kpitree asks
    /// before it overwrites one.
    pub fn unknown() -> FileIdentity {
        FileIdentity { modified: None, len: u64::MAX, hash: 0, recent: true }
    }

    /// The identity of `bytes` as the content of a file whose metadata is
    /// `meta` (e.g. what the editor just wrote), without reading it again.
    pub fn of_bytes(bytes: &[u8], meta: &std::fs::Metadata) -> FileIdentity {
        let mut hasher = rustc_hash::FxHasher::default();
        // In the same pieces as `read`, so that both give the same hash.
        let mut chunks = bytes.chunks_exact(CHUNK);
        for chunk in &mut chunks {
            hasher.write(chunk);
        }
        hasher.write(chunks.remainder());
        hasher.write_u64(bytes.len() as u64);
        let modified = meta.modified().ok();
        FileIdentity { modified, len: bytes.len() as u64, hash: hasher.finish(), recent: recent(modified) }
    }

    /// How the file at `path` differs from `self`: the metadata first, the
    /// bytes when the metadata differs or cannot be trusted (`self` was
    /// taken within [`TIME_RESOLUTION`] of the file's time).
    pub fn compare(&self, path: &Path) -> io::Result<Change> {
        self.compare_with(path, !self.recent)
    }

    /// How the file at `path` differs from `self`, its bytes compared
    /// whatever the metadata says: before an overwrite, where a write that
    /// kept the size and put the time back must not be lost.
    pub fn compare_content(&self, path: &Path) -> io::Result<Change> {
        self.compare_with(path, false)
    }

    fn compare_with(&self, path: &Path, trust_metadata: bool) -> io::Result<Change> {
        let meta = match std::fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Change::Missing),
            Err(e) => return Err(e),
        };
        let same_metadata = meta.len() == self.len && meta.modified().ok() == self.modified;
        if same_metadata && trust_metadata {
            return Ok(Change::Unchanged);
        }
        let now = match FileIdentity::read(path) {
            Ok(now) => now,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Change::Missing),
            Err(e) => return Err(e),
        };
        Ok(match (now.len == self.len && now.hash == self.hash, now == *self) {
            (true, true) => Change::Unchanged,
            // The same bytes; the new identity may be no longer recent.
            (true, false) => Change::Touched(now),
            (false, _) => Change::Modified(now),
        })
    }

    /// Whether the file at `path` has other content than it had (or is gone).
    pub fn changed(&self, path: &Path) -> io::Result<bool> {
        self.compare(path).map(|c| c.is_change())
    }
}

/// Whether a file modified at `modified` is read now within
/// [`TIME_RESOLUTION`] of that time (or at an unknown or future time).
fn recent(modified: Option<SystemTime>) -> bool {
    modified.and_then(|m| m.elapsed().ok()).is_none_or(|age| age < TIME_RESOLUTION)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn an_unchanged_file_is_unchanged_and_a_touched_one_is_only_touched() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.kpitree.json");
        std::fs::write(&path, "one").unwrap();
        let id = FileIdentity::read(&path).unwrap();
        assert_eq!(id.len, 3);
        assert_eq!(id.compare(&path).unwrap(), Change::Unchanged);
        assert!(!id.changed(&path).unwrap());
        let later = SystemTime::now() + Duration::from_secs(5);
        std::fs::File::options().write(true).open(&path).unwrap().set_modified(later).unwrap();
        match id.compare(&path).unwrap() {
            Change::Touched(now) => {
                assert_eq!((now.len, now.hash), (id.len, id.hash));
                assert_eq!(now.modified, Some(later));
            }
            other => panic!("{other:?}"),
        }
        assert!(!id.changed(&path).unwrap());
    }

    #[test]
    fn other_bytes_are_a_change_even_with_the_same_size_and_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.kpitree.json");
        std::fs::write(&path, "one").unwrap();
        let id = FileIdentity::read(&path).unwrap();
        std::fs::write(&path, "two").unwrap();
        let file = std::fs::File::options().write(true).open(&path).unwrap();
        // Same size, and a different time so that the bytes are looked at.
        file.set_modified(SystemTime::now() + Duration::from_secs(9)).unwrap();
        assert!(matches!(id.compare(&path).unwrap(), Change::Modified(now) if now.len == 3 && now.hash != id.hash));
        assert!(id.changed(&path).unwrap());
        // A longer file is a change whatever its time.
        std::fs::write(&path, "three").unwrap();
        assert!(id.changed(&path).unwrap());
    }

    #[test]
    fn a_removed_file_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.kpitree.json");
        std::fs::write(&path, "one").unwrap();
        let id = FileIdentity::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(id.compare(&path).unwrap(), Change::Missing);
        assert!(id.changed(&path).unwrap());
    }

    #[test]
    fn the_identity_of_written_bytes_is_the_identity_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.kpitree.json");
        let bytes: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(FileIdentity::of_bytes(&bytes, &meta), FileIdentity::read(&path).unwrap());
    }

    #[test]
    fn a_folder_has_no_identity() {
        let dir = tempfile::tempdir().unwrap();
        assert!(FileIdentity::read(dir.path()).is_err());
    }
}
