//! Reading kpitree's own small files (recovery headers, settings) so that no
//! file put in their place can stop or swamp the editor: only regular files
//! are opened, never one that would block (a FIFO opens without waiting and
//! is refused), and never more than a cap is read (a link to /dev/zero is
//! no regular file; a file that grows while it is read is cut off).

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Which symbolic links a read may follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Links {
    /// None: the file must be a regular file itself (kpitree's private
    /// folders, where only kpitree puts files).
    Refuse,
    /// Those kpitree would write through ([`super::links::may_follow`]): a
    /// settings file kept elsewhere and linked from the data folder.
    Trusted,
}

/// The bytes of the regular file `path`, at most `cap` of them; an error
/// (`InvalidInput`) for anything else, `FileTooLarge` past the cap.
pub(crate) fn read_regular(path: &Path, cap: u64, links: Links) -> io::Result<Vec<u8>> {
    let target: PathBuf = match links {
        Links::Refuse => path.to_owned(),
        Links::Trusted => super::links::resolve_output(path)?,
    };
    let not_a_file =
        || io::Error::new(io::ErrorKind::InvalidInput, format!("{}: not a regular file; not read", path.display()));
    // Look before opening: opening a FIFO for reading waits for a writer.
    if !fs::symlink_metadata(&target)?.is_file() {
        return Err(not_a_file());
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    // Swapped for a link or a FIFO since the look: not followed, not waited for.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW | libc::O_NONBLOCK);
    let file = options.open(&target)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_a_file());
    }
    let too_large = || {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("{}: larger than {cap} bytes, more than such a file ever is; not read", path.display()),
        )
    };
    if meta.len() > cap {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large());
    }
    Ok(bytes)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    #[allow(unsafe_code, reason = "mkfifo: rustix has none on Apple systems")]
    fn only_a_regular_file_up_to_the_cap_is_read() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a");
        fs::write(&file, "12345").unwrap();
        assert_eq!(read_regular(&file, 5, Links::Refuse).unwrap(), b"12345");
        assert_eq!(read_regular(&file, 4, Links::Refuse).unwrap_err().kind(), io::ErrorKind::FileTooLarge);
        let fifo = dir.path().join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert_eq!(read_regular(&fifo, 5, Links::Trusted).unwrap_err().kind(), io::ErrorKind::InvalidInput);
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert!(read_regular(&zero, 5, Links::Trusted).is_err());
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&file, &link).unwrap();
        assert!(read_regular(&link, 5, Links::Refuse).is_err(), "no link in a private folder");
        assert_eq!(read_regular(&link, 5, Links::Trusted).unwrap(), b"12345", "one's own link elsewhere");
    }
}
