//! The atomic replace every writer of kpitree (documents, exports, recovery
//! files, settings) goes through.
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

use super::links::{LinkRefusal, folder_of, resolve_output};
use super::temp::{Temp, remove_stale_temps};

/// Replaces `path` with whatever `write` puts into the file, so that a crash
/// or a failed write leaves the old file as it was:
///
/// - a symbolic link is followed when it is the user's, or its folder's
///   owner's in a folder that is neither sticky nor writable by everyone:
///   the file it points to is replaced and the link stays a link; another
///   link, and a link to nothing, are refused ([`LinkRefusal`]);
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
    let target = output_of(path)?;
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
    // What earlier writes here left when they were killed goes first.
    remove_stale_temps(&dir);
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
            None => other_links(&target, meta) || !keep_owner_and_mode(&tmp.file, meta),
        };
        if in_place {
            return replace_in_place(path, &target, &mut tmp.file);
        }
    }
    tmp.file.sync_all().map_err(|e| named(path, "cannot write", e))?;
    #[cfg(windows)]
    tmp.close().map_err(|e| named(path, "cannot write", e))?;
    // On Windows a virus scanner, indexer or sync client that has the file
    // open blocks the replace for a moment: retried for about three seconds.
    if let Err(e) = crate::platform::rename_replacing(&tmp.path, &target) {
        if existing.is_some() && tmp.path.exists() && !target.exists() {
            // Windows' ReplaceFileW removed the old file but could not give the
            // new one its name: the temporary file is all there is; kept.
            tmp.persist();
            return Err(io::Error::new(
                e.kind(),
                format!(
                    "{}: cannot replace the file: the old file was removed but the new content could not take its name; it is in {} ({e})",
                    path.display(),
                    tmp.path.display()
                ),
            ));
        }
        return Err(replace_error(path, e));
    }
    tmp.persist();
    sync_dir(&dir);
    Ok(())
}

/// The error [`write_atomic`] would refuse `path` with before writing
/// anything (a folder, a device, a FIFO, a socket, a read-only file), so
/// that a command can refuse before it does the work.
pub fn check_target(path: &Path) -> io::Result<()> {
    refuse_special(path)?;
    let target = output_of(path)?;
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
    let Ok(target) = resolve_output(path) else { return false };
    match fs::metadata(&target) {
        Ok(meta) => meta.is_file() && file_writable(&target, &meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => access_write(&folder_of(&target)),
        Err(_) => false,
    }
}

/// The file to write for `path` (its links followed where they may be,
/// see [`resolve_output`]); a refused link keeps its own message.
fn output_of(path: &Path) -> io::Result<PathBuf> {
    resolve_output(path).map_err(|e| {
        if e.get_ref().is_some_and(|inner| inner.is::<LinkRefusal>()) {
            e
        } else if cfg!(windows) && e.raw_os_error() == Some(ERROR_INVALID_NAME) {
            named(path, "is not a valid file name on Windows (none of < > : \" | ? * in a name)", e)
        } else {
            named(path, "cannot follow the symbolic link", e)
        }
    })
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

/// Windows' answer for a name with `<`, `>`, `"`, `|`, `?`, `*` or a stray `:`.
const ERROR_INVALID_NAME: i32 = 123;

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

/// The error of a rename over `path` that failed: on Windows, what a file
/// another program holds open means for the user.
fn replace_error(path: &Path, e: io::Error) -> io::Error {
    if cfg!(windows) && e.raw_os_error().is_some_and(crate::platform::transient_windows_error) {
        return io::Error::new(
            e.kind(),
            format!(
                "{}: cannot replace the file: another program has it open and does not let it be replaced \
                 (Excel, a viewer, a sync client?): close it there and save again; the file was not changed ({e})",
                path.display()
            ),
        );
    }
    named(path, "cannot replace the file", e)
}

/// An error that says which file and what was being done.
pub(crate) fn named(path: &Path, what: &str, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {what}: {e}", path.display()))
}

/// Rewrites `target` in place with the content of `new`: the old content is
/// copied aside and synced first, then the file is overwritten and synced,
/// then the copy is removed. If overwriting fails, the old content is put
/// back; if even that fails, the message says where the copy is.
fn replace_in_place(path: &Path, target: &Path, new: &mut File) -> io::Result<()> {
    let fail = |what: &str, e: io::Error| named(path, what, e);
    new.sync_all().map_err(|e| fail("cannot write", e))?;
    let mut options = OpenOptions::new();
    options.read(true).write(true);
    // `target` is where the links ended: should it have become a link since,
    // it is not followed.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW | libc::O_NONBLOCK);
    let mut old = options.open(target).map_err(|e| fail("cannot open the file", e))?;
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
fn other_links(_target: &Path, meta: &Metadata) -> bool {
    std::os::unix::fs::MetadataExt::nlink(meta) > 1
}

/// NTFS hard links (`mklink /H`): the same as on Unix, a rename would
/// take one name away from the others.
#[cfg(not(unix))]
fn other_links(target: &Path, _meta: &Metadata) -> bool {
    crate::platform::link_count(target).is_some_and(|n| n > 1)
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
    use rustix::fs::{Access, AtFlags, CWD, accessat};
    accessat(CWD, path, Access::WRITE_OK, AtFlags::EACCESS).is_ok()
}

/// On Windows the read-only attribute of a folder does not keep anyone
/// from writing in it (Explorer sets it on customised folders such as
/// Documents and Desktop): only a file's counts. What Windows refuses, the
/// write itself then says.
#[cfg(not(unix))]
fn access_write(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.is_dir() || !m.permissions().readonly())
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

/// The Windows path through `ReplaceFileW`, run under Wine by
/// scripts/ci-windows.sh (the core's tests built for Windows).
#[cfg(all(test, windows))]
mod windows_tests {
    use std::os::windows::fs::{MetadataExt, OpenOptionsExt};

    use super::*;

    const HIDDEN: u32 = 0x2;
    const SHARE_READ: u32 = 0x1;

    fn leftovers(dir: &Path) -> Vec<String> {
        let names = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned());
        names.filter(|n| n.contains("kpitree-")).collect()
    }

    #[test]
    fn a_save_over_a_hidden_file_replaces_its_content_and_keeps_it_hidden() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("日本語").join("売上 計画.kpitree.json");
        fs::create_dir(path.parent().unwrap()).unwrap();
        fs::write(&path, "old").unwrap();
        crate::platform::hide_file(&path);
        write_atomic(&path, |f| f.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_ne!(fs::metadata(&path).unwrap().file_attributes() & HIDDEN, 0);
        assert_eq!(leftovers(path.parent().unwrap()), Vec::<String>::new());
    }

    #[test]
    fn a_name_windows_forbids_is_refused_with_a_message_that_says_so() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a<b>.svg", "what?.png", "x|y.pdf", "a\"b\".json"] {
            let path = dir.path().join(name);
            let e = write_atomic(&path, |f| f.write_all(b"new")).unwrap_err();
            assert!(e.to_string().contains("not a valid file name"), "{name}: {e}");
        }
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "nothing was written");
    }

    #[test]
    fn a_save_over_a_file_another_program_keeps_open_says_so_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.kpitree.json");
        fs::write(&path, "old").unwrap();
        let held = OpenOptions::new().read(true).share_mode(SHARE_READ).open(&path).unwrap();
        let e = write_atomic(&path, |f| f.write_all(b"new")).unwrap_err();
        drop(held);
        let message = e.to_string();
        assert!(message.starts_with(&path.display().to_string()), "{message}");
        assert!(message.contains("another program has it open"), "{message}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(leftovers(dir.path()), Vec::<String>::new(), "no temporary file left");
    }
}
