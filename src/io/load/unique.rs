//! The careful JSON reader: a `serde_json::Value` exactly as serde_json
//! builds it, except that a key repeated in one object is an error naming
//! where it is; and positions in the text as people count them (lines and
//! columns of characters, from 1).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::quoted;

/// Why [`parse_unique`] failed.
pub(super) enum Parsed {
    /// A repeated key, at the (byte) position serde_json was at: just after it.
    Duplicate { line: usize, column: usize, key: String },
    /// Not JSON.
    Syntax(serde_json::Error),
}

/// `text` as a JSON value, like `serde_json::from_str`, except that a key
/// repeated in one object is an error instead of the last one silently
/// winning.
pub(super) fn parse_unique(text: &str) -> Result<Value, Parsed> {
    let dup = RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    let result = Unique(Some(&dup)).deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    result.map_err(|e| match dup.into_inner() {
        Some(key) => Parsed::Duplicate { line: e.line(), column: e.column(), key },
        None => Parsed::Syntax(e),
    })
}

/// Builds a `serde_json::Value` exactly as serde_json does, refusing a key
/// that an object already has (and noting it in the cell, so that the
/// caller can tell this error from a syntax error).
#[derive(Clone, Copy)]
pub(in crate::io) struct Unique<'a>(Option<&'a RefCell<Option<String>>>);

impl Unique<'static> {
    /// A seed that only refuses repeated keys, without noting which (the
    /// fast path gives up on any error).
    pub(super) fn quiet() -> Unique<'static> {
        Unique(None)
    }
}

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element_seed(self)? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if m.contains_key(&key) {
                let message = format!("duplicate key {}", quoted(&key));
                if let Some(cell) = self.0 {
                    *cell.borrow_mut() = Some(key);
                }
                return Err(de::Error::custom(message));
            }
            let v = map.next_value_seed(self)?;
            m.insert(key, v);
        }
        Ok(Value::Object(m))
    }
}

/// The column (in characters) where the key that ends just before byte
/// column `end` of `line` starts: its opening quote.
pub(super) fn key_column(text: &str, line: usize, end: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else {
        return end;
    };
    let bytes = line_text.as_bytes();
    // serde_json stands on the closing quote or just after it.
    let mut close = end.min(bytes.len());
    while close > 0 && bytes[close - 1] != b'"' {
        close -= 1;
    }
    if close == 0 {
        return char_column(text, line, end);
    }
    let close = close - 1;
    // The opening quote is the first unescaped quote before it: inside a
    // JSON string every quote is escaped by an odd number of backslashes.
    let mut i = close;
    while i > 0 {
        i -= 1;
        if bytes[i] == b'"' {
            let backslashes = bytes[..i].iter().rev().take_while(|&&b| b == b'\\').count();
            if backslashes % 2 == 0 {
                return line_text[..i].chars().count() + 1;
            }
        }
    }
    char_column(text, line, end)
}

/// serde_json appends " at line L column C" to its messages; we print the
/// position in front instead.
pub(super) fn syntax_message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    };
    if message.starts_with("number out of range") {
        "a number does not fit a 64-bit floating-point value (number out of range)".to_owned()
    } else {
        message
    }
}

/// serde_json counts columns in bytes; editors (and [`LoadError::Utf8`])
/// count characters, which differ on every line with Japanese text.
pub(super) fn char_column(text: &str, line: usize, byte_column: usize) -> usize {
    let Some(line_text) = text.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    if byte_column == 0 {
        // serde_json's column 0 is the start of the line (an error at an
        // end of file that ends in a newline): columns count from 1.
        return 1;
    }
    let mut end = (byte_column - 1).min(line_text.len());
    while !line_text.is_char_boundary(end) {
        end -= 1;
    }
    line_text[..end].chars().count() + 1
}

/// 1-based line and column (in characters) just after `prefix`.
pub(super) fn line_column(prefix: &[u8]) -> (usize, usize) {
    let line_start = prefix.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line = prefix.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = String::from_utf8_lossy(&prefix[line_start..]).chars().count() + 1;
    (line, column)
}
