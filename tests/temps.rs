//! Temporary files of interrupted writes (issue 21, item 6): SIGINT or
//! SIGTERM in the middle of a write removes its temporary file, and what a
//! write killed outright (SIGKILL) left is removed by the next kpitree that
//! writes in that folder, at once, while a write still in progress keeps
//! its file.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use rustix::process::{Pid, Signal};

const CHILD: &str = "KPITREE_TEMP_TEST_DIR";
/// What the child prints, on a line of its own, once its write has begun.
const READY: &str = "kpitree-test: writing";

/// Not a test by itself: started by the tests below with a folder in the
/// environment, this begins a write there, says so on stdout, and waits
/// (for a line on stdin that never comes) in the middle of it.
#[test]
#[ignore = "the child of the tests below"]
#[allow(unsafe_code, reason = "signal dispositions: rustix has no safe signal()")]
fn write_in_progress_child() {
    let Some(dir) = std::env::var_os(CHILD) else { return };
    // As started from a terminal: a shell runs background jobs with SIGINT
    // ignored, and an ignored signal stays ignored.
    // SAFETY: resets two dispositions before any other thread cares.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::signal(libc::SIGTERM, libc::SIG_DFL);
    }
    kpitree::io::install_signal_cleanup();
    let target = Path::new(&dir).join("out.svg");
    let _ = kpitree::io::write_atomic(&target, |file| {
        file.write_all(b"<svg> half of it")?;
        println!("\n{READY}");
        std::io::stdout().flush()?;
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(())
    });
}

/// A child in the middle of a write in `dir`, and its stdin (which holds the
/// write: `Child::wait` closes a stdin it still has, which would let the
/// write finish); returns once the write has begun.
fn writer_in(dir: &Path) -> (Child, std::process::ChildStdin) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "temps::write_in_progress_child", "--include-ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD, dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let started = BufReader::new(out).lines().map_while(Result::ok).any(|line| line == READY);
    assert!(started, "the child began its write");
    let stdin = child.stdin.take().unwrap();
    (child, stdin)
}

fn temps_in(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(".kpitree-")))
        .collect();
    found.sort();
    found
}

fn signal(child: &Child, signal: Signal) {
    let pid = i32::try_from(child.id()).ok().and_then(Pid::from_raw).expect("a process id");
    rustix::process::kill_process(pid, signal).expect("the signal is sent to our own child");
}

#[test]
fn sigint_or_sigterm_in_the_middle_of_a_write_removes_its_temporary_file() {
    for sig in [Signal::INT, Signal::TERM] {
        let dir = tempfile::tempdir().unwrap();
        let (mut child, _stdin) = writer_in(dir.path());
        assert_eq!(temps_in(dir.path()).len(), 1, "the write has its temporary file");
        signal(&child, sig);
        let status = child.wait().unwrap();
        assert_eq!(status.signal(), Some(sig.as_raw()), "the process ends as the signal ends it");
        assert_eq!(temps_in(dir.path()), Vec::<PathBuf>::new(), "{sig:?}: no temporary file is left");
        assert!(!dir.path().join("out.svg").exists(), "and no half-written output");
    }
}

#[test]
fn what_a_killed_write_left_is_removed_by_the_next_write_in_its_folder_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let (mut killed, _held) = writer_in(dir.path());
    killed.kill().unwrap(); // SIGKILL: nothing can clean up
    killed.wait().unwrap();
    let left = temps_in(dir.path());
    assert_eq!(left.len(), 1, "SIGKILL leaves the temporary file");
    // A write still in progress in the same folder keeps its file.
    let (mut busy, _busy_stdin) = writer_in(dir.path());
    let busy_temp: Vec<PathBuf> = temps_in(dir.path()).into_iter().filter(|p| !left.contains(p)).collect();
    assert_eq!(busy_temp.len(), 1);
    // The next kpitree writing there: the command line.
    let input = dir.path().join("in.kpitree.json");
    kpitree::io::save(&input, &kpitree::model::generate::tree(3, 1)).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kpitree"))
        .args(["export", input.to_str().unwrap(), "-o", dir.path().join("x.svg").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(temps_in(dir.path()), busy_temp, "the dead write's file is gone, the live one's kept");
    busy.kill().unwrap();
    busy.wait().unwrap();
}

#[cfg(feature = "gui")]
#[test]
fn the_editor_opening_a_file_removes_what_killed_writes_left_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut killed, _held) = writer_in(dir.path());
    killed.kill().unwrap();
    killed.wait().unwrap();
    assert_eq!(temps_in(dir.path()).len(), 1);
    let file = dir.path().join("plan.kpitree.json");
    kpitree::io::save(&file, &kpitree::model::generate::tree(3, 1)).unwrap();
    // Saving removed it already; leave another one, and open the file.
    let (mut killed, _held) = writer_in(dir.path());
    killed.kill().unwrap();
    killed.wait().unwrap();
    assert_eq!(temps_in(dir.path()).len(), 1);
    let data = tempfile::tempdir().unwrap();
    let _editor = crate::common::ui::editor(Some(file), data.path(), 4_294_000_100);
    assert_eq!(temps_in(dir.path()), Vec::<PathBuf>::new());
}
