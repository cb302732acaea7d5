//! The Windows calls behind [`super`]: consoles, a message box, the locale,
//! processes, file attributes and link counts (windows-sys).

use std::ffi::OsStr;
use std::os::windows::ffi::OsStrExt;
use std::path::Path;
use std::ptr::{null, null_mut};

use windows_sys::Win32::Foundation::{
    CloseHandle, ERROR_ACCESS_DENIED, GENERIC_READ, GENERIC_WRITE, GetLastError, HANDLE, INVALID_HANDLE_VALUE,
    STILL_ACTIVE,
};
use windows_sys::Win32::Globalization::GetUserDefaultLocaleName;
use windows_sys::Win32::Storage::FileSystem::{
    BY_HANDLE_FILE_INFORMATION, CreateFileW, FILE_ATTRIBUTE_HIDDEN, FILE_FLAG_BACKUP_SEMANTICS, FILE_SHARE_DELETE,
    FILE_SHARE_READ, FILE_SHARE_WRITE, GetFileAttributesW, GetFileInformationByHandle, INVALID_FILE_ATTRIBUTES,
    OPEN_EXISTING, SetFileAttributesW,
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

pub(super) fn user_locale() -> Option<String> {
    // LOCALE_NAME_MAX_LENGTH
    let mut buf = [0u16; 85];
    // SAFETY: the buffer is valid for its length.
    let len = unsafe { GetUserDefaultLocaleName(buf.as_mut_ptr(), buf.len() as i32) };
    // The length counts the NUL; 0 is a failure.
    let len = usize::try_from(len).ok().filter(|&n| n > 1)?;
    Some(String::from_utf16_lossy(&buf[..len - 1]))
}

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
