//! Watching one open document for changes by other programs.
//!
//! The document's folder is watched (not the file itself), and its events
//! filtered by name: editors that save by writing a temporary file and
//! renaming it over the document replace the file, and a watch on the old
//! file would see nothing after the first such save. Bursts of events (a
//! save is several: create, write, rename, chmod) are delivered as one
//! [`Changed`] once the folder has been quiet for [`DEBOUNCE`]. Reading the
//! file (as the editor does to compare it) is no change.
//!
//! What changed is for the caller to find out, e.g. with
//! [`super::FileIdentity::compare`]: the editor's own saves are reported too.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};

/// How long the folder must be quiet after an event before it is delivered.
pub const DEBOUNCE: Duration = Duration::from_millis(100);

/// "The watched file may have changed" (written, replaced, removed, or its
/// folder removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Changed;

/// A watch on one file; dropping it stops the watch.
pub struct FileWatcher {
    file: PathBuf,
    _watcher: notify::RecommendedWatcher,
}

impl std::fmt::Debug for FileWatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileWatcher").field("file", &self.file).finish()
    }
}

impl FileWatcher {
    /// Watches `path` (which need not exist yet; its folder must), calling
    /// `on_change` on a background thread after each burst of changes.
    pub fn new(path: &Path, mut on_change: impl FnMut(Changed) + Send + 'static) -> io::Result<FileWatcher> {
        let target = super::links::resolve_links(path)?;
        let name = target
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("{}: not a file name", path.display())))?
            .to_owned();
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // Events name the folder as it was watched: canonical, to compare.
        let dir = std::fs::canonicalize(&dir).map_err(|e| super::atomic::named(path, "cannot watch its folder", e))?;
        let file = dir.join(&name);
        let (tx, rx) = mpsc::channel::<()>();
        let (watched_dir, watched_file) = (dir.clone(), file.clone());
        let handler = move |event: notify::Result<Event>| {
            // Errors (a folder removed under the watch, a full queue) are no
            // reason to stop; a full queue may hide a change.
            let relevant = match event {
                Ok(event) => concerns(&event, &watched_dir, &watched_file),
                Err(_) => false,
            };
            if relevant {
                let _ = tx.send(());
            }
        };
        let mut watcher = notify::recommended_watcher(handler).map_err(|e| notify_error(path, e))?;
        watcher.watch(&dir, RecursiveMode::NonRecursive).map_err(|e| notify_error(path, e))?;
        std::thread::Builder::new().name("kpitree-watch".into()).spawn(move || {
            // Ends when the watcher (and so the sender) is dropped.
            while rx.recv().is_ok() {
                loop {
                    match rx.recv_timeout(DEBOUNCE) {
                        Ok(()) => {}
                        Err(mpsc::RecvTimeoutError::Timeout) => break,
                        Err(mpsc::RecvTimeoutError::Disconnected) => return,
                    }
                }
                on_change(Changed);
            }
        })?;
        Ok(FileWatcher { file, _watcher: watcher })
    }

    /// Watches `path`, delivering changes to the returned receiver.
    pub fn channel(path: &Path) -> io::Result<(FileWatcher, mpsc::Receiver<Changed>)> {
        let (tx, rx) = mpsc::channel();
        let watcher = FileWatcher::new(path, move |c| {
            let _ = tx.send(c);
        })?;
        Ok((watcher, rx))
    }

    /// The file watched (symbolic links followed, folder made canonical).
    pub fn file(&self) -> &Path {
        &self.file
    }
}

/// Whether `event` may mean that `file` (in `dir`) changed.
fn concerns(event: &Event, dir: &Path, file: &Path) -> bool {
    if event.need_rescan() {
        return true;
    }
    // Opening and reading change nothing; closing after writing does.
    if let EventKind::Access(kind) = event.kind
        && kind != AccessKind::Close(AccessMode::Write)
    {
        return false;
    }
    event.paths.iter().any(|p| p == file || p == dir)
}

fn notify_error(path: &Path, e: notify::Error) -> io::Error {
    let kind = match &e.kind {
        notify::ErrorKind::Io(io) => io.kind(),
        notify::ErrorKind::PathNotFound => io::ErrorKind::NotFound,
        _ => io::ErrorKind::Other,
    };
    io::Error::new(kind, format!("{}: cannot watch the file: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    const WAIT: Duration = Duration::from_secs(5);

    fn setup() -> (tempfile::TempDir, PathBuf, FileWatcher, mpsc::Receiver<Changed>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plan.kpitree.json");
        std::fs::write(&path, "one").unwrap();
        let (watcher, rx) = FileWatcher::channel(&path).unwrap();
        (dir, path, watcher, rx)
    }

    /// Everything delivered until the watch has been quiet for a while.
    fn drain(rx: &mpsc::Receiver<Changed>) -> usize {
        let mut n = 0;
        while rx.recv_timeout(DEBOUNCE * 5).is_ok() {
            n += 1;
        }
        n
    }

    #[test]
    fn a_write_is_one_change() {
        let (_dir, path, _w, rx) = setup();
        std::fs::write(&path, "two").unwrap();
        assert_eq!(rx.recv_timeout(WAIT), Ok(Changed));
        assert_eq!(drain(&rx), 0, "one write, one change");
    }

    #[test]
    fn a_rename_over_the_file_is_seen() {
        let (dir, path, _w, rx) = setup();
        let tmp = dir.path().join(".other-editor.tmp");
        std::fs::write(&tmp, "theirs").unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        assert_eq!(rx.recv_timeout(WAIT), Ok(Changed));
        drain(&rx);
        // And the next save of that kind too (the watch is on the folder).
        std::fs::write(&tmp, "theirs again").unwrap();
        std::fs::rename(&tmp, &path).unwrap();
        assert_eq!(rx.recv_timeout(WAIT), Ok(Changed));
    }

    #[test]
    fn a_burst_of_writes_is_delivered_once() {
        let (_dir, path, _w, rx) = setup();
        let start = Instant::now();
        for i in 0..20 {
            std::fs::write(&path, format!("version {i}")).unwrap();
            std::thread::sleep(Duration::from_millis(2));
        }
        let took = start.elapsed();
        assert_eq!(rx.recv_timeout(WAIT), Ok(Changed));
        if took < DEBOUNCE {
            assert_eq!(drain(&rx), 0, "one burst, one change");
        } else {
            // A slow machine spread the writes out: more than one burst.
            println!("the writes took {took:?}, longer than the debounce: not counted");
        }
    }

    #[test]
    fn other_files_and_reading_are_no_change() {
        let (dir, path, _w, rx) = setup();
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let _ = std::fs::read(&path).unwrap();
        let _ = super::super::FileIdentity::read(&path).unwrap();
        assert!(rx.recv_timeout(DEBOUNCE * 5).is_err());
    }

    #[test]
    fn removing_the_file_or_its_folder_is_a_change_and_no_panic() {
        let (dir, path, watcher, rx) = setup();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(rx.recv_timeout(WAIT), Ok(Changed));
        drain(&rx);
        let root = dir.path().to_owned();
        drop(dir);
        // Windows keeps a folder that a program watches (the watch holds it
        // open) until the watch ends: removing it is a Unix case.
        if cfg!(unix) {
            assert!(!root.exists());
            assert_eq!(rx.recv_timeout(WAIT), Ok(Changed), "the folder is gone");
        }
        drop(watcher);
        // The thread ends with the watch: the channel is closed.
        for _ in 0..10 {
            match rx.recv_timeout(WAIT) {
                Ok(Changed) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
                Err(mpsc::RecvTimeoutError::Timeout) => panic!("the watch thread did not end"),
            }
        }
        panic!("still delivering after the watch was dropped");
    }

    #[test]
    fn a_folder_that_does_not_exist_cannot_be_watched() {
        let dir = tempfile::tempdir().unwrap();
        let e = FileWatcher::channel(&dir.path().join("gone/plan.kpitree.json")).unwrap_err();
        assert!(e.to_string().contains("plan.kpitree.json"), "{e}");
    }
}
