//! Temporary files of a write in progress: created beside the file they
//! replace, removed when the write fails or the process is interrupted
//! (SIGINT, SIGTERM, SIGHUP), and — when a write was killed outright —
//! removed by the next kpitree that writes in their folder.
//!
//! A temporary file is named `.kpitree-HOST-PID-XXXXXXXX.tmp`: HOST is a
//! short tag of the machine's name and PID the writer's process id, so that
//! the next writer can tell a file whose process is gone (remove it now)
//! from one still being written, here or by another machine on a shared
//! folder (keep it; it is removed by age, [`STALE_TEMP_AGE`], if never
//! renamed).

use std::cell::UnsafeCell;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU8, Ordering};

/// The start of every temporary file's name.
const PREFIX: &str = ".kpitree-";
/// The end of every temporary file's name.
const SUFFIX: &str = ".tmp";

/// A temporary file, removed on drop unless it was renamed into place.
pub(super) struct Temp {
    pub(super) file: File,
    pub(super) path: PathBuf,
    pub(super) persisted: bool,
    /// Its place in the list the signal handler removes.
    slot: Option<usize>,
}

impl Temp {
    /// `.kpitree-HOST-PID-XXXXXXXX.tmp` in `dir`, created new with `mode`
    /// (before the umask); removed by the signal handler while it exists.
    pub(super) fn create(dir: &Path, mode: u32) -> io::Result<Temp> {
        let prefix = format!("{PREFIX}{}-{}-", host_tag(), std::process::id());
        let mut temp = Temp::create_named(dir, &prefix, SUFFIX, mode)?;
        temp.slot = arm(&temp.path);
        Ok(temp)
    }

    /// A new file `PREFIX` + eight letters + `suffix` in `dir`.
    pub(super) fn create_named(dir: &Path, prefix: &str, suffix: &str, mode: u32) -> io::Result<Temp> {
        let mut last = None;
        for attempt in 0..64u32 {
            let path = dir.join(format!("{prefix}{}{suffix}", unique(attempt)));
            let mut options = OpenOptions::new();
            options.read(true).write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
            #[cfg(not(unix))]
            let _ = mode;
            match options.open(&path) {
                Ok(file) => return Ok(Temp { file, path, persisted: false, slot: None }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
    }

    /// Closes the file, keeping its name (still removed on drop): on Windows
    /// `ReplaceFileW` opens the new file without sharing it, so no handle of
    /// ours may stay open on it. The device `NUL` holds the place of the
    /// handle.
    #[cfg(windows)]
    pub(super) fn close(&mut self) -> io::Result<()> {
        drop(std::mem::replace(&mut self.file, File::open("NUL")?));
        Ok(())
    }

    /// Renamed into place: it is no temporary file any more.
    pub(super) fn persist(&mut self) {
        self.persisted = true;
        if let Some(slot) = self.slot.take() {
            disarm(slot);
        }
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        if !self.persisted {
            let _ = fs::remove_file(&self.path);
        }
        if let Some(slot) = self.slot.take() {
            disarm(slot);
        }
    }
}

/// Eight letters that differ between processes, calls and attempts.
fn unique(attempt: u32) -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::AtomicU64;
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    h.write_u32(attempt);
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    base36(h.finish(), 8)
}

/// Eight letters for this run of the program, the same all through it: with
/// the process id they name a run that a reused id cannot be taken for.
pub(super) fn run_tag() -> String {
    static TAG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TAG.get_or_init(|| unique(0)).clone()
}

fn base36(mut x: u64, len: usize) -> String {
    let mut s = String::with_capacity(len);
    for _ in 0..len {
        s.push(char::from(b"abcdefghijklmnopqrstuvwxyz0123456789"[(x % 36) as usize]));
        x /= 36;
    }
    s
}

/// Six letters standing for this machine's name, the same in every process.
fn host_tag() -> &'static str {
    static TAG: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TAG.get_or_init(|| {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(super::lock::host_name().as_bytes());
        base36(h.finish(), 6)
    })
}

/// A temporary file of a save older than this was left by a save that was
/// killed (no save takes this long); the next save in its folder removes it.
pub const STALE_TEMP_AGE: std::time::Duration = std::time::Duration::from_secs(600);

/// Removes what writes killed half-way (power loss, SIGKILL) left in `dir`:
/// `.kpitree-*.tmp` files of a process of this machine that no longer runs,
/// at once, and any older than [`STALE_TEMP_AGE`]. Every write calls this
/// before it starts, and the editor for the folder of the file it opens.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        let Some(middle) = name.strip_prefix(PREFIX).and_then(|n| n.strip_suffix(SUFFIX)) else { continue };
        // Only regular files: a folder or a link with such a name is not ours.
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let old = meta.modified().ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age > STALE_TEMP_AGE);
        if old || orphaned(middle) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether the middle of a temporary file's name, `HOST-PID-XXXXXXXX`, names
/// a process of this machine that is gone. Older names (no host, no pid)
/// and other machines' files are left to age.
fn orphaned(middle: &str) -> bool {
    let mut parts = middle.splitn(3, '-');
    let (Some(host), Some(pid), Some(_)) = (parts.next(), parts.next(), parts.next()) else { return false };
    let Ok(pid) = pid.parse::<u32>() else { return false };
    host == host_tag() && pid != std::process::id() && !running(pid)
}

/// Whether a process with this id runs (any program: a reused id keeps a
/// file until it ages, which is the safe side).
fn running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
        let state = stat.rfind(')').and_then(|close| stat[close + 1..].trim_start().chars().next());
        return !matches!(state, Some('Z' | 'X' | 'x'));
    }
    super::lock::exists(pid)
}

// ---- what a signal removes ----

/// Writes in progress at once (the editor's save and its autosave, an
/// export); a write past these is not removed on a signal, only later.
const SLOTS: usize = 16;
/// The longest path a slot holds, with its NUL.
const PATH_BYTES: usize = 4096;

const FREE: u8 = 0;
const FILLING: u8 = 1;
const ARMED: u8 = 2;

/// One temporary file's path, as the C string `unlink` takes. Written only
/// while FILLING (by the one thread that claimed it), read by the handler
/// only while ARMED.
struct Slot {
    state: AtomicU8,
    path: UnsafeCell<[u8; PATH_BYTES]>,
}

// SAFETY: `path` is written only by the thread that moved `state` from FREE
// to FILLING, and read only after it was published as ARMED (Release/Acquire).
#[allow(unsafe_code, reason = "the handlers read the paths without a lock")]
unsafe impl Sync for Slot {}

static ARMED_PATHS: [Slot; SLOTS] =
    [const { Slot { state: AtomicU8::new(FREE), path: UnsafeCell::new([0; PATH_BYTES]) } }; SLOTS];

/// Puts `path` in the list of files the signal handler removes; its slot.
#[allow(unsafe_code, reason = "writes a slot the signal handler reads")]
fn arm(path: &Path) -> Option<usize> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        // Absolute, so that a handler needs no working folder.
        let absolute = std::path::absolute(path).ok()?;
        let bytes = absolute.as_os_str().as_bytes();
        if bytes.len() >= PATH_BYTES || bytes.contains(&0) {
            return None;
        }
        for (k, slot) in ARMED_PATHS.iter().enumerate() {
            if slot.state.compare_exchange(FREE, FILLING, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                // SAFETY: this thread alone holds the slot while FILLING.
                let buf = unsafe { &mut *slot.path.get() };
                buf[..bytes.len()].copy_from_slice(bytes);
                buf[bytes.len()] = 0;
                slot.state.store(ARMED, Ordering::Release);
                return Some(k);
            }
        }
        None
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStrExt;
        // UTF-16, as DeleteFileW takes it, two bytes a character.
        let absolute = std::path::absolute(path).ok()?;
        let units: Vec<u16> = absolute.as_os_str().encode_wide().collect();
        if (units.len() + 1) * 2 > PATH_BYTES || units.contains(&0) {
            return None;
        }
        for (k, slot) in ARMED_PATHS.iter().enumerate() {
            if slot.state.compare_exchange(FREE, FILLING, Ordering::Acquire, Ordering::Relaxed).is_ok() {
                // SAFETY: this thread alone holds the slot while FILLING.
                let buf = unsafe { &mut *slot.path.get() };
                for (i, unit) in units.iter().chain(std::iter::once(&0)).enumerate() {
                    buf[2 * i..2 * i + 2].copy_from_slice(&unit.to_le_bytes());
                }
                slot.state.store(ARMED, Ordering::Release);
                return Some(k);
            }
        }
        None
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = path;
        None
    }
}

fn disarm(slot: usize) {
    if let Some(s) = ARMED_PATHS.get(slot) {
        s.state.store(FREE, Ordering::Release);
    }
}

/// Makes SIGINT, SIGTERM and SIGHUP remove the temporary files of the writes
/// in progress before the process ends as the signal ends it: an export
/// interrupted with Ctrl+C leaves no hidden file of hundreds of megabytes.
/// A signal the process was started to ignore (`nohup`) stays ignored.
#[allow(unsafe_code, reason = "sigaction: rustix has no safe signal handlers")]
pub fn install_signal_cleanup() {
    #[cfg(windows)]
    install_console_cleanup();
    #[cfg(unix)]
    for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: sigaction with a zeroed struct, a valid handler and an
        // empty mask; `old` receives the previous disposition.
        unsafe {
            let mut old: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(signal, std::ptr::null(), &mut old) != 0 || old.sa_sigaction == libc::SIG_IGN {
                continue;
            }
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = remove_and_die as *const () as libc::sighandler_t;
            libc::sigemptyset(&mut action.sa_mask);
            action.sa_flags = libc::SA_RESTART;
            libc::sigaction(signal, &action, std::ptr::null_mut());
        }
    }
}

/// On Windows, Ctrl+C, Ctrl+Break and closing the console window: the
/// system runs the handler on a thread of its own, which removes the files
/// and lets the default handler end the process.
#[cfg(windows)]
#[allow(unsafe_code, reason = "SetConsoleCtrlHandler through windows-sys")]
pub fn install_console_cleanup() {
    // SAFETY: registers a handler with the signature Windows expects.
    unsafe {
        windows_sys::Win32::System::Console::SetConsoleCtrlHandler(Some(remove_on_console_event), 1);
    }
}

#[cfg(windows)]
#[allow(unsafe_code, reason = "a console handler: DeleteFileW through windows-sys")]
unsafe extern "system" fn remove_on_console_event(_event: u32) -> windows_sys::core::BOOL {
    for slot in &ARMED_PATHS {
        if slot.state.load(Ordering::Acquire) == ARMED {
            // SAFETY: an ARMED slot holds a NUL-terminated UTF-16 path.
            let bytes = unsafe { &*slot.path.get() };
            let mut wide = [0u16; PATH_BYTES / 2];
            for (unit, pair) in wide.iter_mut().zip(bytes.chunks_exact(2)) {
                *unit = u16::from_le_bytes([pair[0], pair[1]]);
            }
            // SAFETY: `wide` is NUL-terminated (arm wrote the NUL).
            unsafe { windows_sys::Win32::Storage::FileSystem::DeleteFileW(wide.as_ptr()) };
        }
    }
    // Not handled: the next handler, the default one, ends the process.
    0
}

/// The handler: only async-signal-safe calls (unlink, sigaction, raise).
#[cfg(unix)]
#[allow(unsafe_code, reason = "a signal handler: unlink, sigaction and raise")]
extern "C" fn remove_and_die(signal: libc::c_int) {
    for slot in &ARMED_PATHS {
        if slot.state.load(Ordering::Acquire) == ARMED {
            // SAFETY: an ARMED slot holds a NUL-terminated path.
            unsafe { libc::unlink(slot.path.get().cast::<libc::c_char>()) };
        }
    }
    // SAFETY: restoring the default action and raising the signal again
    // ends the process as the signal would have (exit status, core).
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = libc::SIG_DFL;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(signal, &action, std::ptr::null_mut());
        libc::raise(signal);
    }
}
