//! Typed reading of one JSON object's fields ([`Fields`]), each error
//! naming the object and the field.

use serde_json::{Map, Value};

use super::error::Both;
use super::{SchemaError, both};
use crate::model::Date;

/// What a JSON value is, in Japanese, for messages.
pub(super) fn type_name_ja(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "真偽値",
        Value::Number(_) => "数値",
        Value::String(_) => "文字列",
        Value::Array(_) => "配列",
        Value::Object(_) => "オブジェクト",
    }
}

pub(super) fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Reads the fields of one JSON object: typed accessors that remember where
/// they are for error messages.
pub(crate) struct Fields<'a> {
    pub(crate) at: &'a str,
}

impl Fields<'_> {
    pub(crate) fn err(&self, field: &str, message: Both) -> SchemaError {
        SchemaError::new(self.at, Some(field), message)
    }

    pub(crate) fn string(&self, field: &str, v: Value) -> Result<String, SchemaError> {
        match v {
            Value::String(s) => Ok(s),
            other => Err(self.err(
                field,
                both(
                    format!("文字列が必要ですが、{}があります", type_name_ja(&other)),
                    format!("expected a string, found {}", type_name(&other)),
                ),
            )),
        }
    }

    pub(crate) fn opt_string(&self, field: &str, v: Value) -> Result<Option<String>, SchemaError> {
        match v {
            Value::Null => Ok(None),
            v => self.string(field, v).map(Some),
        }
    }

    pub(crate) fn opt_number(&self, field: &str, v: Value) -> Result<Option<f64>, SchemaError> {
        match v {
            Value::Null => Ok(None),
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(self.err(
                    field,
                    both(
                        format!("数値 {n} は 64 ビット浮動小数点数に収まりません"),
                        format!("the number {n} does not fit a 64-bit floating-point value"),
                    ),
                )),
            },
            other => Err(self.err(
                field,
                both(
                    format!("数値か null が必要ですが、{}があります", type_name_ja(&other)),
                    format!("expected a number or null, found {}", type_name(&other)),
                ),
            )),
        }
    }

    pub(crate) fn opt_date(&self, field: &str, v: Value) -> Result<Option<Date>, SchemaError> {
        let Some(s) = self.opt_string(field, v)? else {
            return Ok(None);
        };
        crate::io::fields::read_date(&s).map_err(|()| {
            self.err(
                field,
                both(
                    format!("\"{s}\" は YYYY-MM-DD 形式の日付ではありません"),
                    format!("\"{s}\" is not a date of the form YYYY-MM-DD"),
                ),
            )
        })
    }

    pub(crate) fn opt_enum<T>(
        &self,
        field: &str,
        v: Value,
        parse: fn(&str) -> Option<T>,
        words: &[&str],
    ) -> Result<Option<T>, SchemaError> {
        let Some(s) = self.opt_string(field, v)? else {
            return Ok(None);
        };
        parse(&s).map(Some).ok_or_else(|| {
            let quoted: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
            let allowed_ja = quoted.join("、");
            let allowed = match quoted.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
                _ => quoted.join(""),
            };
            self.err(
                field,
                both(
                    format!("\"{s}\" は使えない値です ({allowed_ja} のどれか)"),
                    format!("unknown value \"{s}\" (expected {allowed})"),
                ),
            )
        })
    }

    /// The object `v`, or an error saying "expected `expected`, found …"
    /// (`expected` in Japanese and English).
    pub(super) fn object(&self, v: Value, expected: (&str, &str)) -> Result<Map<String, Value>, SchemaError> {
        match v {
            Value::Object(m) => Ok(m),
            other => Err(SchemaError::new(
                self.at,
                None,
                both(
                    format!("{}が必要ですが、{}があります", expected.0, type_name_ja(&other)),
                    format!("expected {}, found {}", expected.1, type_name(&other)),
                ),
            )),
        }
    }
}
