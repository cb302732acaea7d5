//! The Windows calls behind [`super`]: consoles, a message box, the locale,
//! processes, file attributes and link counts (windows-sys).

use std::ffi::OsStr;
use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_ACCESS_DENIED, ERROR_UNABLE_TO_MOVE_REPLACEMENT, GENERIC_READ, GENERIC_WRITE, GetLastError,
    HANDLE, INVALID_HANDLE_VALUE, STILL_ACTIVE,
};
use windows_sys::Win32::Globalization::GetUserDefaultLocaleName;
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, CreateFileW, FILE_ATTRIBUTE_HIDDEN, FILE_FLAG_BACKUP_SEMANTICS, FILE_SHARE_DELETE,
    FILE_SHARE_READ, FILE_SHARE_WRITE, GetFileAttributesW, GetFileInformationByHandle, INVALID_FILE_ATTRIBUTES,
    MOVEFILE_REPLACE_EXISTING, MOVEFILE_WRITE_THROUGH, MoveFileExW, OPEN_EXISTING, REPLACEFILE_IGNORE_ACL_ERRORS,
    REPLACEFILE_IGNORE_MERGE_ERRORS, ReplaceFileW, SetFileAttributesW,
};
use windows_sys::Win32::System::Console::{
    ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_ERROR_HANDLE, STD_HANDLE, STD_OUTPUT_HANDLE, SetStdHandle,
};
use windows_sys::Win32::System::Threading::{
    GetExitCodeProcess, OpenProcess, PROCESS_NAME_WIN32, PROCESS_QUERY_LIMITED_INFORMATION, QueryFullProcessImageNameW,
};
use windows_sys::Win32::UI::WindowsAndMessaging::{MB_ICONERROR, MB_OK, MB_SETFOREGROUND, MessageBoxW};

use super::Process;

/// `s` as a NUL-terminated UTF-16 string.
fn wide(s: impl AsRef<OsStr>) -> Vec<u16> {
    s.as_ref().encode_wide().chain(std::iter::once(0)).collect()
}

fn valid(h: HANDLE) -> bool {
    !h.is_null() && h != INVALID_HANDLE_VALUE
}

pub(super) fn attach_parent_console() -> bool {
    // SAFETY: plain Win32 calls with valid arguments; the handles opened
    // here are kept for the life of the process as its standard handles.
    unsafe {
        if AttachConsole(ATTACH_PARENT_PROCESS) == 0 {
            // Already a console program (a debug build), or no parent
            // console (started from Explorer): standard handles as they are.
            return valid(GetStdHandle(STD_OUTPUT_HANDLE));
        }
        // A GUI program started from cmd gets no standard handles; one
        // whose output was redirected (`> out.txt`, a pipe) keeps them.
        let out: Vec<u16> = wide("CONOUT$");
        for id in [STD_OUTPUT_HANDLE, STD_ERROR_HANDLE] as [STD_HANDLE; 2] {
            if valid(GetStdHandle(id)) {
                continue;
            }
            let h = CreateFileW(
                out.as_ptr(),
                GENERIC_READ | GENERIC_WRITE,
                FILE_SHARE_READ | FILE_SHARE_WRITE,
                null(),
                OPEN_EXISTING,
                0,
                null_mut(),
            );
            if valid(h) {
                SetStdHandle(id, h);
            }
        }
        true
    }
}

pub(super) fn message_box(title: &str, text: &str) {
    let (title, text) = (wide(title), wide(text));
    // SAFETY: both strings are NUL-terminated and outlive the call.
    unsafe {
        MessageBoxW(null_mut(), text.as_ptr(), title.as_ptr(), MB_OK | MB_ICONERROR | MB_SETFOREGROUND);
    }
}

#[allow(clippy::cast_possible_truncation, reason = "the length of a fixed buffer")]
pub(super) fn user_locale() -> Option<String> {
    // LOCALE_NAME_MAX_LENGTH
    let mut buf = [0u16; 85];
    // SAFETY: the buffer is valid for its length.
    let len = unsafe { GetUserDefaultLocaleName(buf.as_mut_ptr(), buf.len() as i32) };
    // The length counts the NUL; 0 is a failure.
    let len = usize::try_from(len).ok().filter(|&n| n > 1)?;
    Some(String::from_utf16_lossy(&buf[..len - 1]))
}

#[allow(clippy::cast_possible_truncation, reason = "the length of a fixed buffer")]
pub(super) fn process(pid: u32) -> Process {
    // SAFETY: OpenProcess with a process id; the handle is closed below.
    let h = unsafe { OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, 0, pid) };
    if h.is_null() {
        // Access denied: a process of another user (or elevated) runs with
        // this id; anything else: no such process.
        // SAFETY: reads this thread's last error.
        return if unsafe { GetLastError() } == ERROR_ACCESS_DENIED { Process::Unknown } else { Process::Gone };
    }
    let mut code = 0u32;
    // SAFETY: `h` is a valid process handle; `code` receives the status.
    let known = unsafe { GetExitCodeProcess(h, &mut code) } != 0;
    let result = if !known {
        Process::Unknown
    } else if code != STILL_ACTIVE as u32 {
        Process::Gone
    } else {
        let mut name = [0u16; 1024];
        let mut len = name.len() as u32;
        // SAFETY: `name` holds `len` characters; `len` receives the count.
        let ok = unsafe { QueryFullProcessImageNameW(h, PROCESS_NAME_WIN32, name.as_mut_ptr(), &mut len) } != 0;
        Process::Running(ok.then(|| String::from_utf16_lossy(&name[..len as usize])))
    };
    // SAFETY: `h` was opened above and is closed once.
    unsafe { CloseHandle(h) };
    result
}

pub(super) fn hide(path: &Path) {
    let name = wide(path);
    // SAFETY: `name` is NUL-terminated.
    unsafe {
        let attributes = GetFileAttributesW(name.as_ptr());
        if attributes != INVALID_FILE_ATTRIBUTES {
            SetFileAttributesW(name.as_ptr(), attributes | FILE_ATTRIBUTE_HIDDEN);
        }
    }
}

/// One try of [`super::rename_replacing`]: `ReplaceFileW` over an existing
/// `to`, `MoveFileExW` otherwise. A transient error (another program holds
/// `to`) is returned for the caller to try again; both files are then as
/// they were.
pub(super) fn replace_file(from: &Path, to: &Path) -> std::io::Result<()> {
    let (from, to) = (wide(from), wide(to));
    // SAFETY: both names are NUL-terminated and outlive the calls; the
    // optional arguments are null, as the functions allow.
    unsafe {
        if GetFileAttributesW(to.as_ptr()) != INVALID_FILE_ATTRIBUTES {
            let flags = REPLACEFILE_IGNORE_MERGE_ERRORS | REPLACEFILE_IGNORE_ACL_ERRORS;
            if ReplaceFileW(to.as_ptr(), from.as_ptr(), null(), flags, null(), null()) != 0 {
                return Ok(());
            }
            let e = std::io::Error::last_os_error();
            let code = e.raw_os_error().unwrap_or(0);
            // ERROR_UNABLE_TO_MOVE_REPLACEMENT: the old file is gone and the
            // new one still has its temporary name, so only the rename below
            // is left. Any other lasting error (a file system without
            // ReplaceFileW, the old file removed meanwhile): the rename alone.
            if code as u32 != ERROR_UNABLE_TO_MOVE_REPLACEMENT && super::transient_windows_error(code) {
                return Err(e);
            }
        }
        if MoveFileExW(from.as_ptr(), to.as_ptr(), MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH) != 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    }
}

pub(super) fn link_count(path: &Path) -> Option<u32> {
    let name = wide(path);
    // SAFETY: opening for attributes only (access 0), shared with every
    // other opener; the handle is closed below.
    unsafe {
        let h = CreateFileW(
            name.as_ptr(),
            0,
            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
            null(),
            OPEN_EXISTING,
            FILE_FLAG_BACKUP_SEMANTICS,
            null_mut(),
        );
        if !valid(h) {
            return None;
        }
        let mut info: BY_HANDLE_FILE_INFORMATION = std::mem::zeroed();
        let ok = GetFileInformationByHandle(h, &mut info) != 0;
        CloseHandle(h);
        ok.then_some(info.nNumberOfLinks)
    }
}

#[cfg(test)]
mod tests {
    use std::fs;
    use std::os::windows::fs::OpenOptionsExt;
    use std::time::{Duration, Instant};

    use super::*;

    /// `path` opened the way Excel or a viewer holds a file: others may read
    /// it, but not write, rename or delete it (no `FILE_SHARE_DELETE`).
    fn hold(path: &Path) -> fs::File {
        fs::OpenOptions::new().read(true).share_mode(FILE_SHARE_READ).open(path).unwrap()
    }

    // What ReplaceFileW keeps of the old file (attributes, creation time,
    // security, streams) Wine 8 does not keep: not asserted here. A save
    // keeps the attributes anyway (io::atomic gives them to the new file).
    #[test]
    fn replacing_puts_the_new_content_under_the_old_name() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("新.tmp"), dir.path().join("売上 計画.kpitree.json"));
        fs::write(&to, "old").unwrap();
        fs::write(&from, "new").unwrap();
        super::super::rename_replacing(&from, &to).unwrap();
        assert_eq!(fs::read_to_string(&to).unwrap(), "new");
        assert!(!from.exists(), "the temporary name is gone");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no backup or other file left");
    }

    #[test]
    fn a_new_name_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("a.tmp"), dir.path().join("フォルダ").join("b.svg"));
        fs::create_dir(to.parent().unwrap()).unwrap();
        fs::write(&from, "new").unwrap();
        super::super::rename_replacing(&from, &to).unwrap();
        assert_eq!(fs::read_to_string(&to).unwrap(), "new");
        assert!(!from.exists());
    }

    #[test]
    fn a_file_another_program_holds_for_a_moment_is_replaced_once_it_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("a.tmp"), dir.path().join("b.kpitree.json"));
        fs::write(&to, "old").unwrap();
        fs::write(&from, "new").unwrap();
        let held = hold(&to);
        let scanner = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            drop(held);
        });
        super::super::rename_replacing(&from, &to).unwrap();
        scanner.join().unwrap();
        assert_eq!(fs::read_to_string(&to).unwrap(), "new");
        assert!(!from.exists());
    }

    #[test]
    fn a_file_another_program_keeps_open_is_left_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let (from, to) = (dir.path().join("a.tmp"), dir.path().join("b.kpitree.json"));
        fs::write(&to, "old").unwrap();
        fs::write(&from, "new").unwrap();
        let held = hold(&to);
        let started = Instant::now();
        let e = super::super::rename_replacing(&from, &to).unwrap_err();
        assert!(started.elapsed() >= Duration::from_secs(3), "retried: {:?}", started.elapsed());
        assert!(e.raw_os_error().is_some_and(super::super::transient_windows_error), "{e:?}");
        drop(held);
        assert_eq!(fs::read_to_string(&to).unwrap(), "old");
        assert_eq!(fs::read_to_string(&from).unwrap(), "new", "the new content is still there");
    }
}
