//! Standard input and output as a Unix command line uses them: `-` names
//! either, a write that fails is reported (exit 2, never a silent 0), and
//! a reader that stops reading (`kpitree check f --json | head`) ends the
//! command quietly, without a panic or a message.

use std::io::{self, IsTerminal, Read, Write};
use std::path::Path;

use crate::io::{LoadError, MAX_FILE_BYTES};
use crate::lang::Lang;
use crate::model::Document;

/// The name of standard input or output on the command line.
pub const DASH: &str = "-";

/// The name of standard input in messages (`<stdin>:3:7: JSON syntax error`).
pub const STDIN_NAME: &str = "<stdin>";

/// Whether `path` is `-`: standard input or output.
pub fn is_dash(path: &Path) -> bool {
    path.as_os_str() == DASH
}

/// A writer that keeps the first error its inner writer returned, so that
/// the command can tell after the fact whether everything it printed got
/// out (a full disk, a closed pipe) without threading every `write!`'s
/// result through every report. Once failed, it refuses further writes.
pub struct Recorded<W> {
    inner: W,
    error: Option<io::Error>,
}

impl<W: Write> Recorded<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Recorded<W> {
        Recorded { inner, error: None }
    }

    /// The first error of a write or flush, if any.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    fn keep<T>(&mut self, result: io::Result<T>) -> io::Result<T> {
        result.map_err(|e| {
            let again = io::Error::new(e.kind(), e.to_string());
            self.error.get_or_insert(e);
            again
        })
    }
}

impl<W: Write> Write for Recorded<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(e) = &self.error {
            return Err(io::Error::new(e.kind(), e.to_string()));
        }
        let result = self.inner.write(buf);
        self.keep(result)
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(e) = &self.error {
            return Err(io::Error::new(e.kind(), e.to_string()));
        }
        let result = self.inner.flush();
        self.keep(result)
    }
}

/// The exit status and message (if any) of a command whose standard output
/// ended with `error`: a reader that went away is no failure of ours (the
/// command's own status stands, nothing is said); any other failure (a
/// full disk, an I/O error) loses output and so is exit 2 with a message.
pub fn after_write_error(error: &io::Error, lang: Lang) -> Option<String> {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return None;
    }
    Some(super::messages::Msg::StdoutWrite(error.to_string()).text(lang))
}

/// Writes one line to standard error, never panicking (a closed stderr is
/// nothing the user could be told about anyway).
pub fn warn(text: &str) {
    let _ = writeln!(io::stderr().lock(), "kpitree: {}", super::term(text));
}

/// The document `path` names, or standard input for `-` (whatever it is: a
/// pipe, a FIFO, a file), read boundedly as every document is; errors are
/// in `lang` and name the file (`<stdin>` for standard input).
pub fn load_document(path: &Path, lang: Lang) -> Result<Document, String> {
    let loaded = if is_dash(path) { read_stdin() } else { crate::io::load(path) };
    loaded.map_err(|e| {
        let message = super::messages::load_error(&e, lang);
        // `kpitree check <(gunzip -c f.gz)` names a pipe: say how to give one.
        match e {
            LoadError::NotAFile { what, .. } if what.contains("FIFO") => match lang {
                Lang::Ja => format!("{message}。パイプは標準入力から読みます: kpitree … - < パイプ"),
                Lang::En => format!("{message}; a pipe is read as standard input: kpitree … - < PIPE"),
            },
            _ => message,
        }
    })
}

/// The document on standard input, at most [`MAX_FILE_BYTES`].
fn read_stdin() -> Result<Document, LoadError> {
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| LoadError::Read { path: STDIN_NAME.to_owned(), source })?;
    crate::io::from_slice(&bytes, STDIN_NAME)
}

/// Whether standard output is a terminal (binary formats are not written
/// to one).
pub fn stdout_is_terminal() -> bool {
    io::stdout().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Full;

    impl Write for Full {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from_raw_os_error(28))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn the_first_write_error_is_kept_and_later_writes_fail_too() {
        let mut w = Recorded::new(Full);
        assert!(w.write_all(b"one").is_err());
        assert!(w.write_all(b"two").is_err());
        assert!(w.flush().is_err());
        let e = w.take_error().expect("the error is kept");
        assert_eq!(e.raw_os_error(), Some(28));
    }

    #[test]
    fn a_closed_pipe_is_quiet_and_a_full_disk_is_reported() {
        assert_eq!(after_write_error(&io::Error::from(io::ErrorKind::BrokenPipe), Lang::En), None);
        let full = after_write_error(&io::Error::from_raw_os_error(28), Lang::En).expect("a message");
        assert!(full.contains("standard output"), "{full}");
        let ja = after_write_error(&io::Error::from_raw_os_error(28), Lang::Ja).expect("a message");
        assert!(ja.contains("標準出力"), "{ja}");
    }
}
