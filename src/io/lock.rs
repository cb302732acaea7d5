//! Lock files, as LibreOffice makes them: `.~lock.NAME#` beside the
//! document says who has it open, so that a second editor (on this machine
//! or another one sharing the folder) can warn before two people overwrite
//! each other's work.
//!
//! The file holds one line, `user,host,pid,since` (since = seconds since
//! 1970). A lock left by a process that is no longer running on this host
//! is stale and taken over; a lock from another host is always respected
//! (whether its process runs cannot be known from here).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A document this process has locked. Dropping it removes the lock file
/// (if it is still this process's: "open anyway" elsewhere may have taken it).
#[derive(Debug)]
pub struct Lock {
    file: Option<PathBuf>,
    holder: Holder,
}

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// The user name.
    pub user: String,
    /// The host name.
    pub host: String,
    /// The process id on that host.
    pub pid: u32,
    /// Since when.
    pub since: SystemTime,
    /// The lock file.
    pub file: PathBuf,
}

/// The content of a lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Holder {
    user: String,
    host: String,
    pid: u32,
    since: u64,
}

impl Holder {
    fn me() -> Holder {
        let since = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Holder { user: user_name(), host: host_name(), pid: std::process::id(), since }
    }

    fn line(&self) -> String {
        // Commas would split the fields; neither a host nor a user needs one.
        let clean = |s: &str| s.replace([',', '\n', '\r'], "_");
        format!("{},{},{},{}\n", clean(&self.user), clean(&self.host), self.pid, self.since)
    }

    fn parse(text: &str) -> Option<Holder> {
        let line = text.lines().next()?;
        let mut rest = line.rsplitn(3, ',');
        let since = rest.next()?.trim().parse().ok()?;
        let pid = rest.next()?.trim().parse().ok()?;
        let (user, host) = rest.next()?.rsplit_once(',')?;
        Some(Holder { user: user.to_owned(), host: host.to_owned(), pid, since })
    }

    fn held(self, file: &Path) -> Held {
        Held {
            user: self.user,
            host: self.host,
            pid: self.pid,
            since: UNIX_EPOCH + Duration::from_secs(self.since),
            file: file.to_owned(),
        }
    }

    /// Whether the lock is left over: written on this host by a process that
    /// no longer runs.
    fn stale(&self) -> bool {
        self.host == host_name() && self.pid != std::process::id() && !running(self.pid)
    }
}

impl Lock {
    /// The lock file of `document`: `.~lock.NAME#` in its folder (after
    /// following symbolic links, so that every name of a file shares one
    /// lock; a link kpitree would not write through, see
    /// [`super::links::may_follow`], is not followed for its lock either).
    pub fn file_for(document: &Path) -> PathBuf {
        let target = super::links::resolve_output(document).unwrap_or_else(|_| document.to_owned());
        let name = target.file_name().map_or_else(|| "document".into(), |n| n.to_string_lossy().into_owned());
        let lock = format!(".~lock.{name}#");
        match target.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.join(lock),
            _ => PathBuf::from(lock),
        }
    }

    /// Locks `document`, or says who holds it. A stale lock (its process is
    /// gone from this host) is taken over; this process's own lock counts as
    /// held. Where no lock file can be written (a read-only folder) the
    /// document is not locked but the call succeeds, as in LibreOffice:
    /// [`Lock::file`] is then `None`.
    pub fn acquire(document: &Path) -> Result<Lock, Held> {
        let file = Lock::file_for(document);
        let me = Holder::me();
        for _ in 0..3 {
            match create_new(&file, &me) {
                Ok(()) => return Ok(Lock { file: Some(file), holder: me }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(_) => return Ok(Lock { file: None, holder: me }),
            }
            match read_holder(&file) {
                // Removed meanwhile: try again.
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                // Unreadable: it cannot be judged, so it is respected.
                Err(_) => return Err(Holder { user: String::new(), host: String::new(), pid: 0, since: 0 }.held(&file)),
                Ok(Some(holder)) if !holder.stale() => return Err(holder.held(&file)),
                // Stale or garbled (a holder that died before writing it).
                Ok(_) => {
                    let _ = std::fs::remove_file(&file);
                }
            }
        }
        match read_holder(&file) {
            Ok(Some(holder)) => Err(holder.held(&file)),
            _ => Ok(Lock { file: None, holder: me }),
        }
    }

    /// Locks `document` whoever holds it ("open anyway"): the lock file is
    /// overwritten with this process's line.
    pub fn acquire_anyway(document: &Path) -> Lock {
        let file = Lock::file_for(document);
        let me = Holder::me();
        for _ in 0..3 {
            let _ = std::fs::remove_file(&file);
            match create_new(&file, &me) {
                Ok(()) => return Lock { file: Some(file), holder: me },
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
                Err(_) => break,
            }
        }
        Lock { file: None, holder: me }
    }

    /// The lock file, when one was written.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Whether a lock file was written (false in a read-only folder).
    pub fn is_active(&self) -> bool {
        self.file.is_some()
    }

    /// Removes the lock file now (as dropping does).
    pub fn release(mut self) {
        self.remove();
    }

    fn remove(&mut self) {
        let Some(file) = self.file.take() else { return };
        // Only this process's own line: another editor that opened the
        // document anyway holds the lock now.
        if matches!(read_holder(&file), Ok(Some(h)) if h == self.holder) {
            let _ = std::fs::remove_file(&file);
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        self.remove();
    }
}

/// Creates the lock file only if there is none (O_EXCL), with `holder`'s line.
fn create_new(file: &Path, holder: &Holder) -> io::Result<()> {
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(file)?;
    if let Err(e) = f.write_all(holder.line().as_bytes()).and_then(|()| f.sync_all()) {
        drop(f);
        let _ = std::fs::remove_file(file);
        return Err(e);
    }
    // Hidden in Explorer, as LibreOffice's are on Windows (a dot hides it elsewhere).
    crate::platform::hide_file(file);
    Ok(())
}

/// The holder a lock file names; `None` for a file that says nothing readable.
fn read_holder(file: &Path) -> io::Result<Option<Holder>> {
    let meta = std::fs::symlink_metadata(file)?;
    if !meta.is_file() || meta.len() > 4096 {
        return Ok(None);
    }
    let text = std::fs::read(file)?;
    Ok(Holder::parse(&String::from_utf8_lossy(&text)))
}

/// Whether process `pid` runs on this host: on Linux as the recovery files
/// judge it (a kpitree process, not a zombie); elsewhere [`exists`].
fn running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        return super::recovery::process_alive(pid);
    }
    exists(pid)
}

/// Whether some process has this id, by what the system says of it (a
/// signal could be sent to it; Windows can describe it). When that cannot
/// be known, yes: a lock is respected and a file kept, the safe side.
pub(super) fn exists(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // (Id 0 is no process of its own, as on Linux.)
        let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
        // Signal 0 only checks that the process exists (EPERM: another user's).
        matches!(rustix::process::test_kill_process(pid), Ok(()) | Err(rustix::io::Errno::PERM))
    }
    #[cfg(windows)]
    {
        crate::platform::process(pid) != crate::platform::Process::Gone
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = pid;
        true
    }
}

fn user_name() -> String {
    for var in ["USER", "LOGNAME", "USERNAME"] {
        if let Ok(name) = std::env::var(var)
            && !name.is_empty()
        {
            return name;
        }
    }
    #[cfg(unix)]
    {
        format!("uid {}", rustix::process::getuid().as_raw())
    }
    #[cfg(not(unix))]
    {
        "unknown".to_owned()
    }
}

pub(super) fn host_name() -> String {
    #[cfg(unix)]
    {
        let system = rustix::system::uname();
        let name = system.nodename().to_bytes();
        if !name.is_empty() {
            return String::from_utf8_lossy(name).into_owned();
        }
    }
    std::env::var("COMPUTERNAME").or_else(|_| std::env::var("HOSTNAME")).unwrap_or_else(|_| "localhost".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(dir: &Path) -> PathBuf {
        let path = dir.join("plan.kpitree.json");
        std::fs::write(&path, "{}").unwrap();
        path
    }

    #[test]
    fn the_lock_file_sits_beside_the_document_and_says_who_when() {
        let dir = tempfile::tempdir().unwrap();
        let doc = document(dir.path());
        let lock = Lock::acquire(&doc).expect("free");
        let file = dir.path().join(".~lock.plan.kpitree.json#");
        assert_eq!(lock.file(), Some(file.as_path()));
        let text = std::fs::read_to_string(&file).unwrap();
        let fields: Vec<&str> = text.trim_end().split(',').collect();
        assert_eq!(fields.len(), 4, "{text}");
        assert_eq!(fields[1], host_name());
        assert_eq!(fields[2], std::process::id().to_string());
        drop(lock);
        assert!(!file.exists(), "dropping the lock removes its file");
    }

    #[test]
    fn a_second_acquire_says_who_holds_it() {
        let dir = tempfile::tempdir().unwrap();
        let doc = document(dir.path());
        let _lock = Lock::acquire(&doc).expect("free");
        let held = Lock::acquire(&doc).expect_err("held by this process");
        assert_eq!(held.pid, std::process::id());
        assert_eq!(held.host, host_name());
        assert_eq!(held.user, user_name());
        assert!(held.since <= SystemTime::now() && held.since > SystemTime::now() - Duration::from_secs(60));
    }

    #[test]
    fn a_lock_of_a_process_that_is_gone_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let doc = document(dir.path());
        let file = Lock::file_for(&doc);
        let dead = Holder { user: "someone".into(), host: host_name(), pid: 4_294_000_000, since: 1 };
        std::fs::write(&file, dead.line()).unwrap();
        let lock = Lock::acquire(&doc).expect("stale lock taken over");
        assert!(lock.is_active());
        assert!(std::fs::read_to_string(&file).unwrap().contains(&format!(",{},", std::process::id())));
    }

    #[test]
    fn a_garbled_lock_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let doc = document(dir.path());
        std::fs::write(Lock::file_for(&doc), "").unwrap();
        assert!(Lock::acquire(&doc).is_ok());
    }

    #[test]
    fn a_lock_from_another_host_is_respected_until_opened_anyway() {
        let dir = tempfile::tempdir().unwrap();
        let doc = document(dir.path());
        let file = Lock::file_for(&doc);
        let other = Holder { user: "田中, 太郎".into(), host: "other-host".into(), pid: 1, since: 1_700_000_000 };
        std::fs::write(&file, other.line()).unwrap();
        let held = Lock::acquire(&doc).expect_err("held elsewhere");
        assert_eq!((held.user.as_str(), held.host.as_str(), held.pid), ("田中_ 太郎", "other-host", 1));
        assert_eq!(held.since, UNIX_EPOCH + Duration::from_secs(1_700_000_000));
        assert_eq!(held.file, file);
        let lock = Lock::acquire_anyway(&doc);
        assert!(lock.is_active());
        assert!(Holder::parse(&std::fs::read_to_string(&file).unwrap()).is_some_and(|h| h.pid == std::process::id()));
        drop(lock);
        assert!(!file.exists());
    }

    #[test]
    fn dropping_a_lock_that_another_editor_took_over_leaves_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let doc = document(dir.path());
        let lock = Lock::acquire(&doc).unwrap();
        let file = Lock::file_for(&doc);
        let other = Holder { user: "b".into(), host: "other-host".into(), pid: 7, since: 2 };
        // As "open anyway" does it: a new file (a hidden one on Windows
        // cannot be truncated in place).
        std::fs::remove_file(&file).unwrap();
        std::fs::write(&file, other.line()).unwrap();
        drop(lock);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), other.line());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_and_its_target_share_one_lock() {
        let dir = tempfile::tempdir().unwrap();
        let doc = document(dir.path());
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        let link = sub.join("link.kpitree.json");
        std::os::unix::fs::symlink(&doc, &link).unwrap();
        assert_eq!(Lock::file_for(&link), Lock::file_for(&doc));
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_folder_gives_an_inactive_lock() {
        use std::os::unix::fs::PermissionsExt;
        if rustix::process::geteuid().is_root() {
            println!("skipped: root may write any folder");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let doc = document(dir.path());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
        let lock = Lock::acquire(&doc).expect("not lockable, still openable");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(!lock.is_active());
    }
}
