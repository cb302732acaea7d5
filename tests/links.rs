//! Symbolic links planted in shared folders (issue 21, item 1): kpitree
//! follows a link it writes through only when the link is the user's, or
//! its folder's owner's in a folder that is neither sticky nor writable by
//! everyone, and never creates a file through a link to nothing. The same
//! for `export -o`, `new -o`, the editor's save (io::save), the lock file,
//! recovery copies and settings. (The rule itself, over every owner and
//! mode: `io::links::may_follow`'s unit tests.)
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{PermissionsExt, lchown, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kpitree::io::{Lock, check_target, error_message, save, writable};
use kpitree::model::generate;

/// A uid no one on the test machine has.
const STRANGER: u32 = 4_242_421;

fn kpitree(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C")
        .output()
        .expect("the binary runs")
}

fn root() -> bool {
    rustix::process::geteuid().is_root()
}

/// `dir/name`, a folder with `mode` (1777: like /tmp).
fn folder(dir: &Path, name: &str, mode: u32) -> PathBuf {
    let path = dir.join(name);
    fs::create_dir(&path).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
    path
}

/// The victim's file, and a link to it at `at` owned by `owner`.
fn planted(victim: &Path, at: &Path, owner: u32) {
    symlink(victim, at).unwrap();
    lchown(at, Some(owner), None).unwrap();
}

fn input(dir: &Path) -> String {
    let path = dir.join("in.kpitree.json");
    save(&path, &generate::tree(5, 1)).unwrap();
    path.display().to_string()
}

#[test]
fn a_link_planted_by_another_user_in_a_sticky_folder_is_refused_by_every_writer() {
    if !root() {
        println!("skipped: giving a link another owner needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let home = folder(dir.path(), "home", 0o700);
    let bashrc = home.join(".bashrc");
    fs::write(&bashrc, "# mine\n").unwrap();
    let shared = folder(dir.path(), "tmp", 0o1777);
    let report = shared.join("report.svg");
    planted(&bashrc, &report, STRANGER);
    let src = input(dir.path());

    let out = kpitree(&["export", &src, "-o", report.to_str().unwrap()]);
    let message = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{message}");
    assert!(message.contains("symbolic link of another user (uid 4242421)"), "{message}");
    assert!(message.contains("a folder anyone may write to"), "{message}");
    let doc = shared.join("plan.kpitree.json");
    planted(&bashrc, &doc, STRANGER);
    let out = kpitree(&["new", "-t", "sales-basic", "-o", doc.to_str().unwrap(), "--force"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    // The editor's save, and what it asks before saving.
    let e = save(&doc, &generate::tree(3, 1)).expect_err("refused");
    assert_eq!(e.kind(), std::io::ErrorKind::PermissionDenied);
    assert!(check_target(&doc).is_err());
    assert!(!writable(&doc), "the editor opens it read-only");
    assert_eq!(fs::read_to_string(&bashrc).unwrap(), "# mine\n", "the victim's file is as it was");
    // Its lock goes beside the link, not beside the victim's file.
    assert_eq!(Lock::file_for(&doc), shared.join(".~lock.plan.kpitree.json#"));
}

#[test]
fn the_refusal_is_said_in_japanese_too() {
    if !root() {
        println!("skipped: giving a link another owner needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let shared = folder(dir.path(), "tmp", 0o1777);
    let target = dir.path().join("victim.png");
    fs::write(&target, "x").unwrap();
    let link = shared.join("out.png");
    planted(&target, &link, STRANGER);
    let out = kpitree(&["export", &input(dir.path()), "-o", link.to_str().unwrap(), "--lang", "ja"]);
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(message.contains("他のユーザー (uid 4242421) のシンボリックリンクです"), "{message}");
    let e = check_target(&link).unwrap_err();
    assert!(error_message(&e, kpitree::Lang::Ja).contains("何も書き込んでいません"));
}

#[test]
fn a_link_of_someone_else_in_a_folder_that_is_not_theirs_is_refused_even_when_private() {
    if !root() {
        println!("skipped: giving a link another owner needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let team = folder(dir.path(), "team", 0o775);
    let target = dir.path().join("victim.svg");
    fs::write(&target, "x").unwrap();
    let link = team.join("out.svg");
    planted(&target, &link, STRANGER);
    let out = kpitree(&["export", &input(dir.path()), "-o", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(fs::read_to_string(&target).unwrap(), "x");
}

#[test]
fn a_link_of_the_owner_of_a_folder_only_they_write_is_followed() {
    if !root() {
        println!("skipped: giving a link another owner needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let theirs = folder(dir.path(), "theirs", 0o755);
    std::os::unix::fs::chown(&theirs, Some(STRANGER), None).unwrap();
    let target = dir.path().join("shared.svg");
    fs::write(&target, "old").unwrap();
    let link = theirs.join("out.svg");
    planted(&target, &link, STRANGER);
    let out = kpitree(&["export", &input(dir.path()), "-o", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(fs::read_to_string(&target).unwrap().starts_with("<svg"));
    assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "still a link");
}

#[test]
fn a_link_of_ones_own_is_followed_even_in_a_sticky_folder() {
    let dir = tempfile::tempdir().unwrap();
    let shared = folder(dir.path(), "tmp", 0o1777);
    let target = dir.path().join("mine.svg");
    fs::write(&target, "old").unwrap();
    let link = shared.join("out.svg");
    symlink(&target, &link).unwrap();
    let out = kpitree(&["export", &input(dir.path()), "-o", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(fs::read_to_string(&target).unwrap().starts_with("<svg"));
}

#[test]
fn no_file_is_created_through_a_link_to_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("profile");
    let link = dir.path().join("out.svg");
    symlink(&missing, &link).unwrap();
    let out = kpitree(&["export", &input(dir.path()), "-o", link.to_str().unwrap()]);
    let message = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{message}");
    assert!(message.contains("which does not exist; kpitree does not create a file through a link"), "{message}");
    let doc = dir.path().join("new.kpitree.json");
    symlink(&missing, &doc).unwrap();
    let out = kpitree(&["new", "-t", "sales-basic", "-o", doc.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(save(&doc, &generate::tree(3, 1)).is_err());
    assert!(!writable(&doc));
    assert!(!missing.exists(), "nothing was created where the link points");
    // Through a chain of links too.
    let chain = dir.path().join("chain.svg");
    symlink(&link, &chain).unwrap();
    assert!(check_target(&chain).is_err());
    assert!(!missing.exists());
}

#[test]
fn recovery_copies_and_settings_are_not_written_through_a_planted_link_either() {
    if !root() {
        println!("skipped: giving a link another owner needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    fs::write(&victim, "mine").unwrap();
    // A data folder others may write to (XDG_DATA_HOME on a shared disk).
    let data = folder(dir.path(), "data", 0o1777);
    let settings_file = data.join("settings.json");
    planted(&victim, &settings_file, STRANGER);
    let (mut settings, problem) = kpitree::io::Settings::load(&settings_file, kpitree::Lang::En);
    assert!(problem.is_some_and(|p| p.contains("symbolic link of another user")));
    settings.set("kpitree.lang", "ja");
    assert!(settings.save().is_err());
    let store = kpitree::io::RecoveryStore::in_dir(data.clone());
    planted(&victim, &store.file(), STRANGER);
    assert!(store.write(&generate::tree(3, 1), None, None).is_err());
    assert_eq!(fs::read_to_string(&victim).unwrap(), "mine");
}
