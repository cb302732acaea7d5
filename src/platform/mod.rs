//! What differs between operating systems, in one place: the console of a
//! Windows program, whether a process still runs, the user's language where
//! no `LANG` says it, a message box for an error that has no terminal, and
//! the retries a Windows rename needs while another program holds the file.
//!
//! The decisions are plain functions tested on every system
//! ([`console_wanted`], [`retry_transient`], [`transient_windows_error`]);
//! the calls into Windows are in `windows.rs`, compiled for Windows only.

use std::ffi::OsString;
use std::io;
use std::time::Duration;

#[cfg(windows)]
#[allow(unsafe_code, reason = "Win32 calls through windows-sys, which has no safe wrappers")]
mod windows;

/// Whether the command line `args` (without the program's name) runs a
/// command that writes to a console — a subcommand, `--help`, `--version`,
/// a usage error — rather than the editor: no argument, or one that is
/// neither an option nor a subcommand (a file to open, as Explorer passes
/// it). `subcommands` are the names clap knows.
///
/// The Windows build of `kpitree.exe` is a GUI program (no console window
/// flashes when the editor starts); it attaches to the console of the
/// program that started it only when this says so, so that closing that
/// console never takes an open editor with it.
pub fn console_wanted(args: &[OsString], subcommands: &[&str]) -> bool {
    match args {
        [] => false,
        [one] => {
            let text = one.to_string_lossy();
            // `help` is clap's own subcommand, not among the declared ones.
            text.starts_with('-') || text == "help" || subcommands.contains(&text.as_ref())
        }
        _ => true,
    }
}

/// Attaches this process to the console of the program that started it
/// (cmd, PowerShell, kpitree.com), if it has none of its own, and points
/// standard output and error at it unless they were redirected. True when
/// there is a console to write to now. Elsewhere a program always has its
/// terminal: nothing to do.
pub fn attach_parent_console() -> bool {
    #[cfg(windows)]
    {
        windows::attach_parent_console()
    }
    #[cfg(not(windows))]
    {
        true
    }
}

/// Shows `text` where a person will see it: a message box on Windows (a GUI
/// program has no terminal), standard error elsewhere.
pub fn show_error(title: &str, text: &str) {
    eprintln!("{title}: {text}");
    #[cfg(windows)]
    windows::message_box(title, text);
}

/// The user's locale as Windows names it (`ja-JP`, `en-US`); `None` on other
/// systems, whose locale is in `LC_ALL`, `LC_MESSAGES` or `LANG`.
pub fn user_locale() -> Option<String> {
    #[cfg(windows)]
    {
        windows::user_locale()
    }
    #[cfg(not(windows))]
    {
        None
    }
}

/// What is known of the process with an id, on Windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Process {
    /// Running; the file name of its program when it could be read.
    Running(Option<String>),
    /// No process with this id runs (any more).
    Gone,
    /// Cannot be told (another system, or Windows refused to say).
    Unknown,
}

/// Whether process `pid` runs: Windows only (`OpenProcess`); other systems
/// have their own ways (`/proc`, `kill(pid, 0)`) where this is called.
pub fn process(pid: u32) -> Process {
    #[cfg(windows)]
    {
        windows::process(pid)
    }
    #[cfg(not(windows))]
    {
        let _ = pid;
        Process::Unknown
    }
}

/// Whether a program's file name (`kpitree.exe`, `C:\…\KPITREE.EXE`) is
/// kpitree's: its name, without folders, starts with `kpitree`, in any case.
pub fn is_kpitree_program(path: &str) -> bool {
    let name = path.rsplit(['\\', '/']).next().unwrap_or(path);
    name.get(..7).is_some_and(|start| start.eq_ignore_ascii_case("kpitree"))
}

/// Marks `path` hidden in Explorer (Windows), as a dot does elsewhere: lock
/// and temporary files beside a document. Failure only leaves it visible.
pub fn hide_file(path: &std::path::Path) {
    #[cfg(windows)]
    windows::hide(path);
    #[cfg(not(windows))]
    let _ = path;
}

/// Windows errors that a moment later may be gone: another program (a virus
/// scanner, a search indexer, a backup or sync client, a preview pane)
/// holds the file: `ERROR_ACCESS_DENIED` (5, also what a pending delete
/// says), `ERROR_SHARING_VIOLATION` (32), `ERROR_LOCK_VIOLATION` (33) and
/// `ERROR_UNABLE_TO_REMOVE_REPLACED` (1175: `ReplaceFileW` could not take
/// the old file away, both files keep their names).
pub fn transient_windows_error(code: i32) -> bool {
    matches!(code, 5 | 32 | 33 | 1175)
}

/// The waits between tries of a Windows rename that another program
/// blocks: about three seconds in all, more than a virus scanner takes.
pub const RETRY_WAITS: [Duration; 8] = [
    Duration::from_millis(10),
    Duration::from_millis(30),
    Duration::from_millis(60),
    Duration::from_millis(100),
    Duration::from_millis(200),
    Duration::from_millis(400),
    Duration::from_millis(800),
    Duration::from_millis(1500),
];

/// Runs `op`, and again after each of `waits` while it fails with an error
/// `transient` accepts; the last error otherwise. `sleep` waits (tests pass
/// one that only counts).
pub fn retry_transient<T>(
    mut op: impl FnMut() -> io::Result<T>,
    transient: impl Fn(&io::Error) -> bool,
    waits: &[Duration],
    mut sleep: impl FnMut(Duration),
) -> io::Result<T> {
    let mut waits = waits.iter();
    loop {
        match op() {
            Err(e) if transient(&e) => match waits.next() {
                Some(wait) => sleep(*wait),
                None => return Err(e),
            },
            result => return result,
        }
    }
}

/// Puts the file `from` in the place of `to`, in one step that leaves either
/// the old or the new file under `to`, never neither.
///
/// On Windows an existing `to` is replaced with `ReplaceFileW`, which keeps
/// what belongs to the old file rather than to its content: its attributes
/// (hidden, archive…), creation time, security descriptor and alternate data
/// streams, as Word and Excel keep them. A new name, or a file system without
/// `ReplaceFileW` (FAT, some network shares), gets `MoveFileExW` with
/// `MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH`. While another
/// program holds `to` (see [`transient_windows_error`]) the step is retried
/// for about three seconds. Elsewhere: `rename(2)`.
pub fn rename_replacing(from: &std::path::Path, to: &std::path::Path) -> io::Result<()> {
    #[cfg(windows)]
    {
        let transient = |e: &io::Error| e.raw_os_error().is_some_and(transient_windows_error);
        retry_transient(|| windows::replace_file(from, to), transient, &RETRY_WAITS, std::thread::sleep)
    }
    #[cfg(not(windows))]
    {
        std::fs::rename(from, to)
    }
}

/// The number of names (hard links) of the file at `path`, where the system
/// tells it: on Windows through `GetFileInformationByHandle` (the standard
/// library's `number_of_links` is unstable). `None` elsewhere.
pub fn link_count(path: &std::path::Path) -> Option<u32> {
    #[cfg(windows)]
    {
        windows::link_count(path)
    }
    #[cfg(not(windows))]
    {
        let _ = path;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    const SUBCOMMANDS: &[&str] = &["check", "export", "templates"];

    #[test]
    fn the_editor_alone_or_on_a_file_gets_no_console() {
        assert!(!console_wanted(&args(&[]), SUBCOMMANDS));
        assert!(!console_wanted(&args(&["C:\\Users\\花子\\売上.kpitree.json"]), SUBCOMMANDS));
        // A file whose name only looks like a word is still a file.
        assert!(!console_wanted(&args(&["check.kpitree.json"]), SUBCOMMANDS));
    }

    #[test]
    fn commands_options_and_usage_errors_write_to_the_console() {
        assert!(console_wanted(&args(&["check", "a.kpitree.json"]), SUBCOMMANDS));
        assert!(console_wanted(&args(&["templates"]), SUBCOMMANDS));
        assert!(console_wanted(&args(&["help"]), SUBCOMMANDS));
        assert!(console_wanted(&args(&["--version"]), SUBCOMMANDS));
        assert!(console_wanted(&args(&["-h"]), SUBCOMMANDS));
        // Two files: clap's usage error must be seen.
        assert!(console_wanted(&args(&["a.json", "b.json"]), SUBCOMMANDS));
    }

    #[test]
    fn kpitree_programs_are_told_by_their_file_name_in_any_case() {
        assert!(is_kpitree_program("C:\\Program Files\\kpitree\\kpitree.exe"));
        assert!(is_kpitree_program("C:\\Users\\a\\AppData\\Local\\Programs\\kpitree\\KPITREE.EXE"));
        assert!(is_kpitree_program("kpitree-console.exe"));
        assert!(!is_kpitree_program("C:\\kpitree\\notepad.exe"));
        assert!(!is_kpitree_program("kpi.exe"));
        assert!(!is_kpitree_program(""));
    }

    #[test]
    fn only_errors_of_a_file_held_by_another_program_are_retried() {
        assert!(transient_windows_error(5));
        assert!(transient_windows_error(32));
        assert!(transient_windows_error(33));
        assert!(transient_windows_error(1175), "ReplaceFileW could not remove the old file");
        assert!(!transient_windows_error(2), "file not found");
        assert!(!transient_windows_error(112), "disk full");
        assert!(!transient_windows_error(1176), "the old file is gone: not the same step again");
    }

    #[test]
    fn a_transient_error_is_retried_until_the_operation_succeeds() {
        let mut tries = 0;
        let mut slept = Vec::new();
        let result = retry_transient(
            || {
                tries += 1;
                if tries < 3 { Err(io::Error::from_raw_os_error(32)) } else { Ok(tries) }
            },
            |e| e.raw_os_error() == Some(32),
            &RETRY_WAITS,
            |d| slept.push(d),
        );
        assert_eq!(result.unwrap(), 3);
        assert_eq!(slept, RETRY_WAITS[..2]);
    }

    #[test]
    fn retries_stop_after_the_last_wait_with_the_last_error() {
        let mut tries = 0;
        let mut slept = Duration::ZERO;
        let result: io::Result<()> = retry_transient(
            || {
                tries += 1;
                Err(io::Error::from_raw_os_error(32))
            },
            |_| true,
            &RETRY_WAITS,
            |d| slept += d,
        );
        assert_eq!(result.unwrap_err().raw_os_error(), Some(32));
        assert_eq!(tries, RETRY_WAITS.len() + 1);
        assert!(slept >= Duration::from_secs(3), "{slept:?}");
    }

    #[test]
    fn a_lasting_error_is_returned_at_once() {
        let mut tries = 0;
        let result: io::Result<()> = retry_transient(
            || {
                tries += 1;
                Err(io::Error::from_raw_os_error(112))
            },
            |e| e.raw_os_error().is_some_and(transient_windows_error),
            &RETRY_WAITS,
            |_| panic!("no wait for an error that stays"),
        );
        assert!(result.is_err());
        assert_eq!(tries, 1);
    }

    #[test]
    fn renaming_replaces_the_target_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("新.tmp"), dir.path().join("売上.kpitree.json"));
        std::fs::write(&from, "new").unwrap();
        std::fs::write(&to, "old").unwrap();
        rename_replacing(&from, &to).unwrap();
        assert_eq!(std::fs::read_to_string(&to).unwrap(), "new");
        assert!(!from.exists());
    }
}
