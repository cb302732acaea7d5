//! kpitree and the file system: saving keeps owner, group, mode and hard
//! links and refuses read-only files; writers follow symbolic links and
//! refuse folders, devices and FIFOs; loading reads only regular files;
//! recovery copies are private. Run as the binary where a user would.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use kpitree::Document;
use kpitree::io::{LoadError, RecoveryStore, load, save, writable, write_atomic};

fn kpitree(args: &[&str]) -> Output {
    run_within(args, Duration::from_secs(60))
}

/// Runs the binary, killing it (and failing) if it takes longer than `limit`.
fn run_within(args: &[&str], limit: Duration) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(args)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    crate::common::output_within(child, limit)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn titled(title: &str) -> Document {
    let mut doc = Document::new();
    doc.title = Some(title.into());
    doc
}

fn mode(path: &Path) -> u32 {
    fs::metadata(path).expect("stat").permissions().mode() & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).expect("chmod");
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

fn mkfifo(path: &Path) {
    crate::common::mkfifo(path, 0o644);
}

fn doc_file(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    save(&path, &titled("old")).expect("save");
    path
}

// ---- saving: owner, group, mode, links ----

#[test]
fn saving_keeps_the_mode_of_the_file() {
    let dir = tempfile::tempdir().unwrap();
    for m in [0o600, 0o640, 0o664, 0o604] {
        let path = doc_file(dir.path(), "plan.kpitree.json");
        chmod(&path, m);
        save(&path, &titled("new")).expect("save");
        assert_eq!(mode(&path), m, "{m:o}");
        assert_eq!(load(&path).unwrap().title.as_deref(), Some("new"));
    }
    assert_eq!(names_in(dir.path()), ["plan.kpitree.json"]);
}

#[test]
fn saving_keeps_the_owner_and_group_of_a_file_when_it_may() {
    if !is_root() {
        println!(
            "skipped: giving a file to another user needs root (running as uid {})",
            rustix::process::geteuid().as_raw()
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = doc_file(dir.path(), "theirs.kpitree.json");
    let (uid, gid) = (54_321, 54_322);
    std::os::unix::fs::chown(&path, Some(uid), Some(gid)).expect("chown as root");
    chmod(&path, 0o640);
    let inode = fs::metadata(&path).unwrap().ino();
    save(&path, &titled("new")).expect("save");
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (uid, gid), "owner and group kept");
    assert_eq!(mode(&path), 0o640);
    assert_ne!(meta.ino(), inode, "replaced atomically (a new file renamed into place)");
    assert_eq!(load(&path).unwrap().title.as_deref(), Some("new"));
    assert_eq!(names_in(dir.path()), ["theirs.kpitree.json"]);
}

#[test]
fn saving_a_file_whose_owner_cannot_be_kept_writes_it_in_place() {
    if !is_root() {
        println!("skipped: needs root to make a file of another user and then act as a user who may write it");
        return;
    }
    // A child process that is user 54321, in group 54322, saving a file
    // that belongs to user 54323 and is group-writable: the save may write
    // the file but not give a new one to user 54323.
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o777);
    let path = doc_file(dir.path(), "shared.kpitree.json");
    std::os::unix::fs::chown(&path, Some(54_323), Some(54_322)).unwrap();
    chmod(&path, 0o664);
    let inode = fs::metadata(&path).unwrap().ino();
    save_as_another_user(&path);
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.gid(), meta.ino()), (54_323, 54_322, inode), "the same file, its owner kept");
    assert_eq!(mode(&path), 0o664);
    assert_eq!(load(&path).unwrap().title.as_deref(), Some("saved by another user"));
    assert_eq!(names_in(dir.path()), ["shared.kpitree.json"], "no copy left aside");
}

#[test]
fn saving_a_writable_file_in_a_folder_that_is_not_writable_writes_it_in_place() {
    if !is_root() {
        println!("skipped: needs root to act as a user who may write a file but not its folder");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o755);
    let path = doc_file(dir.path(), "open.kpitree.json");
    chmod(&path, 0o666);
    let inode = fs::metadata(&path).unwrap().ino();
    save_as_another_user(&path);
    let meta = fs::metadata(&path).unwrap();
    assert_eq!((meta.uid(), meta.ino()), (0, inode), "the same file");
    assert_eq!(mode(&path), 0o666);
    assert_eq!(load(&path).unwrap().title.as_deref(), Some("saved by another user"));
    assert_eq!(names_in(dir.path()), ["open.kpitree.json"]);
}

/// Saves `path` from a child process that is user 54321 in group 54322
/// (the helper below), and checks that it succeeded.
fn save_as_another_user(path: &Path) {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "files::save_as_another_user_helper", "--nocapture", "--include-ignored"])
        .env("KPITREE_SAVE_AS", path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), stderr(&out));
}

/// Run by the tests above in a child process: becomes user 54321 (group
/// 54322) and saves the file it is given.
#[test]
#[ignore = "a helper of saving_a_file_whose_owner_cannot_be_kept_writes_it_in_place"]
#[allow(unsafe_code, reason = "setuid for the whole process: rustix has it per thread only")]
fn save_as_another_user_helper() {
    let Some(path) = std::env::var_os("KPITREE_SAVE_AS") else { return };
    // SAFETY: plain system calls; this process does nothing else.
    unsafe {
        assert_eq!(libc::setgroups(0, std::ptr::null()), 0);
        assert_eq!(libc::setgid(54_322), 0);
        assert_eq!(libc::setuid(54_321), 0);
    }
    let path = PathBuf::from(path);
    assert!(writable(&path), "group-writable");
    save(&path, &titled("saved by another user")).expect("saves in place");
}

#[test]
fn a_hard_linked_file_stays_linked_and_both_names_see_the_save() {
    let dir = tempfile::tempdir().unwrap();
    let path = doc_file(dir.path(), "plan.kpitree.json");
    let other = dir.path().join("link.kpitree.json");
    fs::hard_link(&path, &other).unwrap();
    chmod(&path, 0o640);
    let inode = fs::metadata(&path).unwrap().ino();
    save(&path, &titled("new")).expect("save");
    for name in [&path, &other] {
        let meta = fs::metadata(name).unwrap();
        assert_eq!((meta.ino(), meta.nlink()), (inode, 2), "{}", name.display());
        assert_eq!(load(name).unwrap().title.as_deref(), Some("new"), "{}", name.display());
    }
    assert_eq!(mode(&path), 0o640);
    assert_eq!(names_in(dir.path()), ["link.kpitree.json", "plan.kpitree.json"], "no copy left aside");
    // A save that fails leaves both as they were.
    let failed = write_atomic(&other, |f| {
        std::io::Write::write_all(f, b"{ half")?;
        Err(std::io::Error::other("disk full"))
    });
    assert!(failed.is_err());
    assert_eq!(load(&path).unwrap().title.as_deref(), Some("new"));
    assert_eq!(names_in(dir.path()), ["link.kpitree.json", "plan.kpitree.json"]);
}

#[test]
fn a_read_only_file_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let path = doc_file(dir.path(), "plan.kpitree.json");
    chmod(&path, 0o444);
    let before = fs::read(&path).unwrap();
    assert!(!writable(&path));
    let e = save(&path, &titled("new")).expect_err("read-only");
    assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied);
    let message = e.to_string();
    assert!(message.starts_with(&path.display().to_string()) && message.contains("read-only"), "{message}");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(mode(&path), 0o444);
    assert_eq!(names_in(dir.path()), ["plan.kpitree.json"]);
}

#[test]
fn writable_tells_what_a_save_may_replace() {
    let dir = tempfile::tempdir().unwrap();
    let path = doc_file(dir.path(), "plan.kpitree.json");
    assert!(writable(&path));
    assert!(writable(&dir.path().join("new.kpitree.json")), "a new file in a writable folder");
    assert!(!writable(dir.path()), "a folder is no document");
    assert!(!writable(&dir.path().join("no-folder/new.kpitree.json")));
    chmod(&path, 0o400);
    assert!(!writable(&path));
}

#[test]
fn saving_through_a_symbolic_link_writes_the_file_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = doc_file(dir.path(), "real.kpitree.json");
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    let link = sub.join("link.kpitree.json");
    std::os::unix::fs::symlink("../real.kpitree.json", &link).unwrap();
    save(&link, &titled("via the link")).expect("save");
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "still a link");
    assert_eq!(load(&real).unwrap().title.as_deref(), Some("via the link"));
    assert_eq!(names_in(&sub), ["link.kpitree.json"]);
    // A link to a file that does not exist is not written through: that
    // would create a file wherever it points (tests/links.rs).
    let dangling = sub.join("new.kpitree.json");
    std::os::unix::fs::symlink("../created.kpitree.json", &dangling).unwrap();
    save(&dangling, &titled("created")).expect_err("refused");
    assert!(fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
    assert!(!dir.path().join("created.kpitree.json").exists());
}

#[test]
fn saving_onto_a_folder_or_a_fifo_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder.kpitree.json");
    fs::create_dir(&folder).unwrap();
    let e = save(&folder, &titled("x")).expect_err("a folder");
    assert!(e.to_string().starts_with(&folder.display().to_string()) && e.to_string().contains("folder"), "{e}");
    assert!(folder.is_dir());
    let fifo = dir.path().join("fifo.kpitree.json");
    mkfifo(&fifo);
    let e = save(&fifo, &titled("x")).expect_err("a FIFO");
    assert!(e.to_string().contains("not a regular file"), "{e}");
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(names_in(dir.path()), ["fifo.kpitree.json", "folder.kpitree.json"]);
}

#[test]
fn errors_name_the_document_never_the_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing-folder").join("plan.kpitree.json");
    let message = save(&path, &titled("x")).expect_err("no folder").to_string();
    assert!(message.starts_with(&path.display().to_string()), "{message}");
    assert!(!message.contains(".kpitree-"), "{message}");
    let path = dir.path().join("plan.kpitree.json");
    let message = write_atomic(&path, |_| Err(std::io::Error::other("disk full"))).unwrap_err().to_string();
    assert!(message.starts_with(&path.display().to_string()) && message.ends_with("disk full"), "{message}");
    assert!(!message.contains(".kpitree-"), "{message}");
}

// ---- loading: only regular files, bounded ----

#[test]
fn loading_a_folder_a_device_or_a_fifo_is_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.kpitree.json");
    mkfifo(&fifo);
    for (path, what) in
        [(dir.path().to_owned(), "a folder"), (PathBuf::from("/dev/zero"), "a character device"), (fifo, "a FIFO")]
    {
        let e = load(&path).expect_err("not a document");
        assert!(matches!(e, LoadError::NotAFile { .. }), "{e:?}");
        let message = e.to_string();
        assert!(message.starts_with(&path.display().to_string()) && message.contains(what), "{message}");
    }
}

#[test]
fn a_file_larger_than_the_limit_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.kpitree.json");
    // Sparse: no disk space, but larger than kpitree reads.
    fs::File::create(&path).unwrap().set_len(kpitree::io::MAX_FILE_BYTES + 1).unwrap();
    let e = load(&path).expect_err("too large");
    assert!(matches!(e, LoadError::TooLarge { .. }), "{e:?}");
}

#[test]
fn check_refuses_dev_zero_a_fifo_and_a_folder_with_exit_2_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.kpitree.json");
    mkfifo(&fifo);
    for path in ["/dev/zero".to_owned(), fifo.display().to_string(), dir.path().display().to_string()] {
        let out = run_within(&["check", &path], Duration::from_secs(20));
        assert_eq!(out.status.code(), Some(2), "{path}: {}", stderr(&out));
        assert!(stderr(&out).contains(&path), "{}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
}

// ---- command-line writers ----

#[test]
fn new_with_force_writes_through_a_symbolic_link() {
    let dir = tempfile::tempdir().unwrap();
    let real = doc_file(dir.path(), "real.kpitree.json");
    let link = dir.path().join("link.kpitree.json");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = kpitree(&["new", "-t", "sales-basic", "-o", link.to_str().unwrap(), "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(load(&real).unwrap(), kpitree::templates::find("sales-basic").unwrap().document().unwrap());
}

#[test]
fn new_with_force_refuses_folders_fifos_devices_and_read_only_files() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder");
    fs::create_dir(&folder).unwrap();
    let fifo = dir.path().join("fifo");
    mkfifo(&fifo);
    let read_only = doc_file(dir.path(), "read-only.kpitree.json");
    chmod(&read_only, 0o444);
    let before = fs::read(&read_only).unwrap();
    let mut targets = vec![folder.clone(), fifo.clone(), read_only.clone()];
    let device = dir.path().join("null");
    if make_null_device(&device) {
        targets.push(device.clone());
    }
    for target in &targets {
        let out = run_within(
            &["new", "-t", "sales-basic", "-o", target.to_str().unwrap(), "--force"],
            Duration::from_secs(20),
        );
        assert_eq!(out.status.code(), Some(2), "{}: {}", target.display(), stderr(&out));
        assert!(stderr(&out).contains(&target.display().to_string()), "{}", stderr(&out));
    }
    assert!(folder.is_dir());
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(fs::read(&read_only).unwrap(), before);
    if targets.contains(&device) {
        assert!(fs::metadata(&device).unwrap().file_type().is_char_device());
    }
    assert_eq!(names_in(dir.path()).len(), targets.len());
}

/// A character device like /dev/null at `path` (only root may make one).
fn make_null_device(path: &Path) -> bool {
    if !is_root() {
        println!("skipped the device case: making a device node needs root");
        return false;
    }
    let rdev = fs::metadata("/dev/null").unwrap().rdev();
    crate::common::mknod(path, rustix::fs::FileType::CharacterDevice, 0o666, rdev).is_ok()
}

// ---- recovery copies ----

#[test]
fn recovery_copies_are_private_whatever_the_document_s_mode() {
    let dir = tempfile::tempdir().unwrap();
    let document = doc_file(dir.path(), "shared.kpitree.json");
    chmod(&document, 0o644);
    let folder = dir.path().join("recovery");
    fs::create_dir(&folder).unwrap();
    chmod(&folder, 0o755);
    let store = RecoveryStore::in_dir(folder.clone());
    store.write(&titled("unsaved"), Some(&document), None).unwrap();
    assert_eq!(mode(&folder), 0o700, "the folder is made private");
    for name in names_in(&folder) {
        assert_eq!(mode(&folder.join(&name)), 0o600, "{name}");
    }
    assert_eq!(names_in(&folder).len(), 2, "the copy and its header");
    // Written again over files someone made readable: private again.
    for name in names_in(&folder) {
        chmod(&folder.join(&name), 0o644);
    }
    store.write(&titled("unsaved 2"), Some(&document), None).unwrap();
    for name in names_in(&folder) {
        assert_eq!(mode(&folder.join(&name)), 0o600, "{name}");
    }
    // A folder that does not exist yet is created private.
    let fresh = dir.path().join("a/b/recovery");
    RecoveryStore::in_dir(fresh.clone()).write(&titled("x"), None, None).unwrap();
    assert_eq!(mode(&fresh), 0o700);
}
