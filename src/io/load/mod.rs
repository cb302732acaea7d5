//! Loading a document: from a file (regular files only, never more than
//! [`MAX_FILE_BYTES`]), from bytes or from text.
//!
//! The fast path (`direct`) reads an ordinary document straight into the
//! model; anything unusual sends the text the careful way, which parses it
//! refusing repeated keys (`unique`) and checks every field (`careful`,
//! with the typed accessors of `object`), so that every error names its
//! place (`error`).

mod careful;
pub(super) mod direct;
mod error;
mod object;
mod unique;

use std::io::Read;
use std::path::Path;

pub(crate) use error::both;
pub use error::{LoadError, SchemaError};
pub(crate) use object::Fields;
pub(in crate::io) use unique::Unique;

use careful::{document_from_value, header};
use error::quoted;
use unique::{Parsed, char_column, key_column, line_column, parse_unique, syntax_message};

use crate::model::Document;

/// Files larger than this are refused before they are read, so that a wrong
/// file (a video, a database dump) cannot exhaust memory. A 100,000-node tree
/// is about 14 MB.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Loads a document from a file. Only regular files are read (a folder, a
/// device such as /dev/zero, a FIFO or a socket is refused before it is
/// opened for reading), and never more than [`MAX_FILE_BYTES`] + 1 bytes,
/// even if the file grows while it is read.
pub fn load(path: &Path) -> Result<Document, LoadError> {
    let name = path.display().to_string();
    let bytes = read_bounded(path, &name)?;
    from_slice(&bytes, &name)
}

/// The bytes of the regular file `path`, at most [`MAX_FILE_BYTES`].
pub(crate) fn read_bounded(path: &Path, name: &str) -> Result<Vec<u8>, LoadError> {
    let (bytes, size) = read_bounded_within(path, name, MAX_FILE_BYTES)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { path: name.to_owned(), size, limit: MAX_FILE_BYTES });
    }
    Ok(bytes)
}

/// The bytes of the regular file `path` and its size as far as known:
/// at most `limit` + 1 bytes are read (one more than allowed tells that the
/// file is too large, whatever its metadata said).
fn read_bounded_within(path: &Path, name: &str, limit: u64) -> Result<(Vec<u8>, u64), LoadError> {
    let read_err = |source| LoadError::Read { path: name.to_owned(), source };
    let not_a_file = |what| LoadError::NotAFile { path: name.to_owned(), what };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if let Some(what) = special(&meta) {
        return Err(not_a_file(what));
    }
    if meta.len() > limit {
        return Err(LoadError::TooLarge { path: name.to_owned(), size: meta.len(), limit });
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Should the file be swapped for a FIFO after the look above, opening
    // it must not wait for a writer.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK | libc::O_NOCTTY);
    let file = options.open(path).map_err(read_err)?;
    let meta = file.metadata().map_err(read_err)?;
    if let Some(what) = special(&meta) {
        return Err(not_a_file(what));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len().min(limit)).unwrap_or(0).saturating_add(1));
    file.take(limit + 1).read_to_end(&mut bytes).map_err(read_err)?;
    let size = meta.len().max(bytes.len() as u64);
    Ok((bytes, size))
}

/// What a path that is not a regular file is, for messages.
fn special(meta: &std::fs::Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

/// Loads a document from bytes; `name` is used in error messages.
pub fn from_slice(bytes: &[u8], name: &str) -> Result<Document, LoadError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { path: name.to_owned(), size: bytes.len() as u64, limit: MAX_FILE_BYTES });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_column(&bytes[..e.valid_up_to()]);
        LoadError::Utf8 { path: name.to_owned(), line, column }
    })?;
    from_str(text, name)
}

/// A document from JSON already parsed (a room's state), every field
/// checked as a file's are; `name` names it in the error.
pub fn from_value(value: serde_json::Value, name: &str) -> Result<Document, LoadError> {
    document_from_value(value).map_err(|problem| LoadError::Invalid { path: name.to_owned(), problem })
}

/// Loads a document from text; `name` is used in error messages. A key that
/// occurs twice in one object is an error ([`LoadError::DuplicateKey`]).
pub fn from_str(text: &str, name: &str) -> Result<Document, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // The fast path gives up on a repeated key anywhere; the careful one then
    // says where it is.
    if let Some(doc) = direct::read(text) {
        return Ok(doc);
    }
    if text.trim().is_empty() {
        // serde_json would say "EOF while parsing a value" at column 0 of
        // the last line.
        return Err(LoadError::Syntax {
            path: name.to_owned(),
            line: 1,
            column: 1,
            message: "the file is empty; a kpitree document is a JSON object".to_owned(),
        });
    }
    let value = parse_unique(text).map_err(|e| match e {
        Parsed::Duplicate { line, column, key } => {
            LoadError::DuplicateKey { path: name.to_owned(), line, column: key_column(text, line, column), key }
        }
        Parsed::Syntax(e) => LoadError::Syntax {
            path: name.to_owned(),
            line: e.line(),
            column: char_column(text, e.line(), e.column()),
            message: syntax_message(&e),
        },
    })?;
    document_from_value(value).map_err(|problem| LoadError::Invalid { path: name.to_owned(), problem })
}

/// The document both loaders make of `text`: the fast path's (none when
/// it gives up) and the careful path's (none when it refuses). For tests and
/// fuzzing, which check that the two always agree.
#[doc(hidden)]
pub fn both_ways(text: &str) -> (Option<Document>, Option<Document>) {
    let fast = direct::read(text);
    let careful = parse_unique(text).ok().and_then(|v| document_from_value(v).ok());
    (fast, careful)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_gives_up_on_every_repeated_key_so_the_careful_one_names_it() {
        let doc = |inner: &str| format!(r#"{{"format":"kpitree","version":1,{inner}"nodes":[],"edges":[]}}"#);
        let texts = [
            doc(r#""title":"a","title":"b","#),
            doc(r#""period":{"start":"2026-04-01","start":"2026-05-01"},"#),
            doc(r#""x":[1,{"c":{"d":[],"d":1}}],"#),
            doc(r#""x":1,"\u0078":2,"#),
            doc(r#""scenarios":[{"name":"a","name":"b"}],"#),
        ];
        for text in &texts {
            assert!(direct::read(text).is_none(), "{text}");
            assert!(matches!(from_str(text, "t"), Err(LoadError::DuplicateKey { .. })), "{text}");
        }
        let fine = doc(r#""x":[1,{"c":{"d":[],"e":1}}],"y":{},"#);
        assert!(direct::read(&fine).is_some());
    }

    #[test]
    fn at_most_the_limit_is_read_whatever_the_file_says_its_size_is() {
        // /proc files say they are empty and are not.
        let path = Path::new("/proc/self/maps");
        if !path.exists() {
            return;
        }
        assert_eq!(std::fs::metadata(path).unwrap().len(), 0);
        let (bytes, _) = read_bounded_within(path, "maps", 64).expect("read");
        assert_eq!(bytes.len(), 65, "the limit and one byte more, to tell that there is more");
    }
}
