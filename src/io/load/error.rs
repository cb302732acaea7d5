//! Why a document could not be loaded ([`LoadError`]), and where a JSON
//! value is wrong for a document ([`SchemaError`]), in both languages.

use crate::lang::Lang;

/// Why a document could not be loaded. The `Display` text is the message for
/// the user: it starts with the file name.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read at all.
    #[error("{path}: cannot read the file: {source}")]
    Read {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`](super::MAX_FILE_BYTES).
    #[error("{path}: the file is {size} bytes, more than the limit of {limit} bytes for a kpitree document")]
    TooLarge {
        /// The file.
        path: String,
        /// Its size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
    },
    /// The path names a folder, a device, a FIFO or a socket.
    #[error("{path}: is {what}, not a kpitree document (kpitree reads only regular files)")]
    NotAFile {
        /// The file.
        path: String,
        /// What it is instead ("a folder", "a FIFO (named pipe)", …).
        what: &'static str,
    },
    /// An object has the same key twice (JSON readers disagree on which one
    /// counts, so kpitree refuses to guess).
    #[error("{path}:{line}:{column}: duplicate key {}", quoted(.key))]
    DuplicateKey {
        /// The file.
        path: String,
        /// 1-based line of the second occurrence.
        line: usize,
        /// 1-based column (in characters) of the second occurrence.
        column: usize,
        /// The key.
        key: String,
    },
    /// The bytes are not UTF-8.
    #[error("{path}:{line}:{column}: the file is not valid UTF-8 text")]
    Utf8 {
        /// The file.
        path: String,
        /// 1-based line of the first bad byte.
        line: usize,
        /// 1-based column (in characters) of the first bad byte.
        column: usize,
    },
    /// The text is not JSON.
    #[error("{path}:{line}:{column}: JSON syntax error: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The JSON is not a kpitree version-1 document.
    #[error("{path}: {problem}")]
    Invalid {
        /// The file.
        path: String,
        /// Where and what.
        problem: SchemaError,
    },
}

/// A JSON value in the wrong place or of the wrong type. `Display` is the
/// English message; [`SchemaError::text`] gives either language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.text(Lang::En))]
pub struct SchemaError {
    /// Which object: `""` for the top level, `nodes[2] (id "cust")`, `edges[0]`.
    pub at: String,
    /// Which field of it, when one is at fault.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What is wrong, in Japanese.
    pub message_ja: String,
}

/// A message of the loader in both languages.
pub(crate) struct Both {
    ja: String,
    en: String,
}

/// The message `en` (English) and `ja` (Japanese).
pub(crate) fn both(ja: impl Into<String>, en: impl Into<String>) -> Both {
    Both { ja: ja.into(), en: en.into() }
}

impl SchemaError {
    pub(super) fn new(at: &str, field: Option<&str>, message: Both) -> SchemaError {
        SchemaError { at: at.to_owned(), field: field.map(str::to_owned), message: message.en, message_ja: message.ja }
    }

    /// Where and what, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let field = |f: &str| match lang {
            Lang::Ja => format!("フィールド \"{f}\""),
            Lang::En => format!("field \"{f}\""),
        };
        let location = match (self.at.is_empty(), &self.field) {
            (true, None) => String::new(),
            (true, Some(f)) => format!("{}: ", field(f)),
            (false, None) => format!("{}: ", self.at),
            (false, Some(f)) => format!("{}, {}: ", self.at, field(f)),
        };
        let message = match lang {
            Lang::Ja => &self.message_ja,
            Lang::En => &self.message,
        };
        format!("{location}{message}")
    }
}

/// `key` as JSON writes it, quotes and escapes included.
pub(super) fn quoted(key: &str) -> String {
    serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""))
}
