//! The editor's settings (language, how yen are shown, recent files, the
//! window's place): a small JSON object of strings in the user's data folder,
//! `settings.json`, read and written by kpitree itself.
//!
//! eframe's own persistence read `app.ron` with no bounds (a FIFO in its
//! place hung the start before any window, a link to /dev/zero grew memory
//! by gigabytes a second) and wrote it through whatever link stood there.
//! This store reads only a regular file of at most [`SETTINGS_CAP`] bytes,
//! never waits on a FIFO, follows only links kpitree would write through
//! ([`super::links::may_follow`]), and writes atomically and privately
//! (0600). Settings of an older kpitree in `app.ron` are taken over once.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::bounded::{Links, read_regular};
use crate::lang::Lang;

/// The largest settings file read: a few recent paths need a few KB.
pub const SETTINGS_CAP: u64 = 1024 * 1024;

/// The name of the settings file in the data folder.
const FILE_NAME: &str = "settings.json";
/// The file eframe kept the settings of older versions in.
const OLD_FILE_NAME: &str = "app.ron";
/// The keys taken over from `app.ron` (the rest was egui's own state).
const OLD_KEYS: [&str; 3] = ["kpitree.lang", "kpitree.compact_yen", "kpitree.recent"];

/// The settings, and the file they live in.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    values: Map<String, Value>,
    file: Option<PathBuf>,
}

impl Settings {
    /// The settings file in the user's data folder (`~/.local/share/kpitree/`
    /// on Linux), if there is such a folder.
    pub fn default_file() -> Option<PathBuf> {
        let dirs = directories::ProjectDirs::from("", "", "kpitree")?;
        Some(dirs.data_dir().join(FILE_NAME))
    }

    /// The settings in `file`, or none. A file that cannot be read safely or
    /// is no settings object gives empty settings and a message in `lang`
    /// saying why (the editor prints it and starts all the same); a missing
    /// file is no problem (then an older kpitree's `app.ron` beside it is
    /// read, once).
    pub fn load(file: &Path, lang: Lang) -> (Settings, Option<String>) {
        let mut settings = Settings { values: Map::new(), file: Some(file.to_owned()) };
        let why = match read_regular(file, SETTINGS_CAP, Links::Trusted) {
            Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
                Ok(Value::Object(values)) => {
                    settings.values = values;
                    return (settings, None);
                }
                Ok(_) | Err(_) => lang.pick("設定ファイルではありません", "not a settings file").to_owned(),
            },
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let old = file.with_file_name(OLD_FILE_NAME);
                if let Ok(bytes) = read_regular(&old, SETTINGS_CAP, Links::Trusted) {
                    for (key, value) in old_settings(&String::from_utf8_lossy(&bytes)) {
                        settings.values.insert(key, Value::String(value));
                    }
                }
                return (settings, None);
            }
            Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => {
                lang.pick("通常のファイルではないため読みません", "not a regular file; not read").to_owned()
            }
            Err(e) if e.kind() == std::io::ErrorKind::FileTooLarge => {
                lang.pick("1 MiB を超えるため読みません", "larger than 1 MiB; not read").to_owned()
            }
            Err(e) => super::error_message(&e, lang),
        };
        let message = match lang {
            Lang::Ja => format!("{}: {why}。既定の設定を使います", file.display()),
            Lang::En => format!("{}: {why}; the defaults are used", file.display()),
        };
        (settings, Some(message))
    }

    /// Settings kept in memory only (tests, no data folder).
    pub fn in_memory() -> Settings {
        Settings::default()
    }

    /// The value of `key`, if it is set to a string.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).and_then(Value::as_str)
    }

    /// Sets `key`; true when that changed anything.
    pub fn set(&mut self, key: &str, value: &str) -> bool {
        if self.get(key) == Some(value) {
            return false;
        }
        self.values.insert(key.to_owned(), Value::String(value.to_owned()));
        true
    }

    /// Removes `key`.
    pub fn remove(&mut self, key: &str) {
        self.values.remove(key);
    }

    /// The file they are kept in, if any.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    /// Writes the settings to their file: atomically, 0600, creating the
    /// folder (0700) if needed; through a link only where kpitree follows one.
    pub fn save(&self) -> std::io::Result<()> {
        let Some(file) = &self.file else { return Ok(()) };
        if let Some(dir) = file.parent() {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir)?;
        }
        let mut text = serde_json::to_vec_pretty(&self.values).map_err(std::io::Error::other)?;
        text.push(b'\n');
        super::atomic::write_private(file, 0o600, |f| std::io::Write::write_all(f, &text))
    }
}

/// The kpitree keys of an `app.ron` eframe wrote: a RON map of strings,
/// `{ "key": "value", … }`. Read by hand, in one pass without recursion;
/// anything unexpected ends the reading with what was found so far.
fn old_settings(text: &str) -> Vec<(String, String)> {
    let mut chars = text.chars().peekable();
    let mut found = Vec::new();
    let skip_space = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ',') {
            chars.next();
        }
    };
    skip_space(&mut chars);
    if chars.next() != Some('{') {
        return found;
    }
    loop {
        skip_space(&mut chars);
        let Some(key) = ron_string(&mut chars) else { return found };
        skip_space(&mut chars);
        if chars.next() != Some(':') {
            return found;
        }
        skip_space(&mut chars);
        let Some(value) = ron_string(&mut chars) else { return found };
        if OLD_KEYS.contains(&key.as_str()) {
            found.push((key, value));
        }
    }
}

/// A RON string at the start of `chars` (after its opening quote's place):
/// `"…"` with Rust's escapes.
fn ron_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<String> {
    if chars.next()? != '"' {
        return None;
    }
    let mut out = String::new();
    loop {
        match chars.next()? {
            '"' => return Some(out),
            '\\' => out.push(match chars.next()? {
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                '0' => '\0',
                'u' => {
                    if chars.next()? != '{' {
                        return None;
                    }
                    let mut hex = String::new();
                    loop {
                        match chars.next()? {
                            '}' => break,
                            c if hex.len() < 6 => hex.push(c),
                            _ => return None,
                        }
                    }
                    char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                }
                other => other,
            }),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::old_settings;

    #[test]
    fn the_kpitree_keys_of_an_old_app_ron_are_read() {
        let ron = "{\n    \"egui\": \"(memory: {\\\"x\\\": 1})\",\n    \"kpitree.lang\": \"en\",\n    \"kpitree.recent\": \"/a/b.kpitree.json\\n/c/\\u{58f2}.kpitree.json\",\n}";
        assert_eq!(
            old_settings(ron),
            [
                ("kpitree.lang".to_owned(), "en".to_owned()),
                ("kpitree.recent".to_owned(), "/a/b.kpitree.json\n/c/売.kpitree.json".to_owned())
            ]
        );
        assert!(old_settings("garbage").is_empty());
        assert!(old_settings("{ \"kpitree.lang\": ").is_empty());
    }
}
