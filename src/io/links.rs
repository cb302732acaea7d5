//! Symbolic links on the way to a file kpitree writes.
//!
//! kpitree replaces a file by renaming a new one over it, so it must know
//! the file a link ends at and follows the last link of a path itself. In
//! a folder others may write to (`/tmp`, a team share) the link may be
//! someone else's: `report.svg → ~/.bashrc`, planted so that the next export
//! overwrites the victim's file. The kernel refuses to follow such links for
//! the victim (`fs.protected_symlinks`); following them by hand must not
//! bypass that. So a link is followed only when it belongs to the user, or
//! to the owner of its folder when that folder is neither sticky nor
//! writable by everyone; and no file is ever created through a link that
//! points at nothing (docs/FORMAT.md, "Saving").

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::lang::Lang;

/// Links followed at most, as the system does (`ELOOP` after 40).
const MAX_LINKS: usize = 40;

/// Why kpitree does not write through a symbolic link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRefusal {
    /// The link belongs to someone else: neither to the user nor to the
    /// owner of its folder, or its folder is one that anybody may write to.
    Foreign {
        /// The link.
        link: PathBuf,
        /// Its owner.
        owner: u32,
        /// The folder it is in.
        folder: PathBuf,
        /// The folder is sticky or writable by everyone (`/tmp`).
        shared: bool,
    },
    /// The link points at nothing: writing would create a file wherever it
    /// points.
    Dangling {
        /// The path written to.
        link: PathBuf,
        /// Where the links end.
        target: PathBuf,
    },
}

impl LinkRefusal {
    /// The message in `lang`; it names the path and says that nothing was written.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (LinkRefusal::Foreign { link, owner, folder, shared }, Lang::Ja) => format!(
                "{}: 他のユーザー (uid {owner}) のシンボリックリンクです。あなたのものでも、フォルダー {} の持ち主のものでもない{}ため、たどりません(リンクを消すか、別の場所に書き出してください)。何も書き込んでいません",
                link.display(),
                folder.display(),
                if *shared { "うえ、そのフォルダーには誰でも書き込めます" } else { "" }
            ),
            (LinkRefusal::Foreign { link, owner, folder, shared }, Lang::En) => format!(
                "{}: is a symbolic link of another user (uid {owner}), neither yours nor the owner's of its folder {}{}; kpitree does not follow it (remove the link, or write elsewhere); nothing was written",
                link.display(),
                folder.display(),
                if *shared { ", a folder anyone may write to" } else { "" }
            ),
            (LinkRefusal::Dangling { link, target }, Lang::Ja) => format!(
                "{}: 存在しない {} を指すシンボリックリンクです。リンク越しに新しいファイルは作りません({} に直接書き出すか、リンクを消してください)。何も書き込んでいません",
                link.display(),
                target.display(),
                target.display()
            ),
            (LinkRefusal::Dangling { link, target }, Lang::En) => format!(
                "{}: is a symbolic link to {}, which does not exist; kpitree does not create a file through a link (write to {} itself, or remove the link); nothing was written",
                link.display(),
                target.display(),
                target.display()
            ),
        }
    }
}

impl std::fmt::Display for LinkRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for LinkRefusal {}

impl From<LinkRefusal> for io::Error {
    fn from(r: LinkRefusal) -> io::Error {
        io::Error::new(io::ErrorKind::PermissionDenied, r)
    }
}

/// The message of an I/O error of kpitree's writers in `lang`: a refused
/// link in either language, anything else as the system said it.
pub fn error_message(e: &io::Error, lang: Lang) -> String {
    match e.get_ref().and_then(|inner| inner.downcast_ref::<LinkRefusal>()) {
        Some(refusal) => refusal.message(lang),
        None => e.to_string(),
    }
}

/// Whether a symbolic link owned by `link_owner`, in a folder owned by
/// `folder_owner` with mode `folder_mode`, may be followed for a user whose
/// effective uid is `euid`: when the link is the user's, or when it is the
/// folder owner's and the folder is neither sticky nor writable by everyone
/// (a folder whose owner alone decides what is in it).
pub fn may_follow(link_owner: u32, folder_owner: u32, folder_mode: u32, euid: u32) -> bool {
    const STICKY: u32 = 0o1000;
    const OTHERS_WRITE: u32 = 0o002;
    link_owner == euid || (link_owner == folder_owner && folder_mode & (STICKY | OTHERS_WRITE) == 0)
}

/// The file a chain of symbolic links ends at (the path itself when it is
/// no link), for reading and watching. Only the last component matters: the
/// system follows links in the folders on the way.
pub(crate) fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(meta) if meta.file_type().is_symlink() => p = link_target(&p)?,
            _ => return Ok(p),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// The file kpitree may write for `path`: the path itself when it is no
/// link, else the file its links end at, each link trusted by
/// [`may_follow`]. A link of someone else, and a chain that ends at
/// nothing, are refused ([`LinkRefusal`], kind `PermissionDenied`).
pub(crate) fn resolve_output(path: &Path) -> io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    let mut followed = false;
    for _ in 0..MAX_LINKS {
        match fs::symlink_metadata(&p) {
            Ok(meta) if meta.file_type().is_symlink() => {
                trust(&p, &meta)?;
                p = link_target(&p)?;
                followed = true;
            }
            Ok(_) => return Ok(p),
            Err(e) if e.kind() == io::ErrorKind::NotFound && followed => {
                return Err(LinkRefusal::Dangling { link: path.to_owned(), target: p }.into());
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(p),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// What the link at `link` points to, as a path from here.
fn link_target(link: &Path) -> io::Result<PathBuf> {
    let to = fs::read_link(link)?;
    Ok(if to.is_absolute() { to } else { link.parent().unwrap_or(Path::new("")).join(to) })
}

/// The folder `path` is in (`.` for a bare name).
pub(crate) fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Refuses the link at `link` (whose own metadata is `meta`) unless
/// [`may_follow`] allows it.
#[cfg(unix)]
fn trust(link: &Path, meta: &fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let folder = folder_of(link);
    let dir = fs::metadata(&folder)?;
    let euid = rustix::process::geteuid().as_raw();
    if may_follow(meta.uid(), dir.uid(), dir.mode(), euid) {
        return Ok(());
    }
    let shared = dir.mode() & 0o1002 != 0;
    Err(LinkRefusal::Foreign { link: link.to_owned(), owner: meta.uid(), folder, shared }.into())
}

/// Elsewhere links have no owner kpitree could judge; creating one takes
/// privileges already.
#[cfg(not(unix))]
fn trust(_link: &Path, _meta: &fs::Metadata) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::may_follow;

    const ME: u32 = 1000;
    const OTHER: u32 = 1001;
    const ROOT: u32 = 0;

    #[test]
    fn a_link_of_ones_own_is_followed_anywhere() {
        for mode in [0o755, 0o775, 0o777, 0o1777, 0o2770] {
            assert!(may_follow(ME, ROOT, mode, ME), "{mode:o}");
        }
    }

    #[test]
    fn a_link_of_another_user_is_followed_only_in_a_folder_that_user_alone_decides() {
        // /tmp (root, 1777): a link planted there by anyone is refused.
        assert!(!may_follow(OTHER, ROOT, 0o1777, ME));
        assert!(!may_follow(ROOT, ROOT, 0o1777, ME));
        assert!(!may_follow(OTHER, OTHER, 0o1777, ME));
        // A team share the other user owns but everyone may write: refused.
        assert!(!may_follow(OTHER, OTHER, 0o777, ME));
        // Sticky only (a share of a group): refused.
        assert!(!may_follow(OTHER, OTHER, 0o1770, ME));
        // A link of someone who does not own the folder: refused.
        assert!(!may_follow(OTHER, ROOT, 0o775, ME));
        // The folder's owner, in a folder only they (and their group) write:
        // /dev/stdout → /proc/self/fd/1 is such a link.
        assert!(may_follow(OTHER, OTHER, 0o755, ME));
        assert!(may_follow(ROOT, ROOT, 0o755, ME));
        assert!(may_follow(OTHER, OTHER, 0o2775, ME));
    }

    #[test]
    fn root_follows_its_own_links_and_no_one_elses_in_tmp() {
        assert!(may_follow(ROOT, OTHER, 0o1777, ROOT));
        assert!(!may_follow(OTHER, ROOT, 0o1777, ROOT));
    }
}
