//! How each optional node field is read and written, generated from the one
//! field list in `model::document` (`node_fields!`): the careful loader, the
//! fast loader and the saver all go through the functions below, so a field
//! declared there cannot be forgotten by one of them.

use serde::de::MapAccess;
use serde_json::{Map, Value};

use super::load::{Fields, SchemaError, both};
use super::save::number;
use crate::model::{Aggregate, Date, Direction, Indicator, Label, Node, Series, SeriesValue, node_fields};

/// What the careful loader makes of a field's value.
pub(crate) enum Read<T> {
    /// The value of the field.
    Value(T),
    /// Not what kpitree means by this field (a newer, optional field that
    /// another tool may use differently): kept as an unknown field.
    Keep(Value),
}

/// Reads and writes one kind of field value.
pub(crate) trait Codec<T> {
    /// The careful reading: the value, or exactly what is wrong.
    fn careful(f: &Fields<'_>, key: &str, v: Value) -> Result<Read<T>, SchemaError>;
    /// The fast reading: the value, or an error whenever the careful reading
    /// might say anything else (it then reads the whole file again).
    fn fast<'de, A: MapAccess<'de>>(map: &mut A) -> Result<T, A::Error>;
    /// The JSON to save; `None` leaves the field out.
    fn write(v: &T) -> Option<Value>;
}

/// Any error: the careful path will say what it is.
pub(crate) fn give_up<E: serde::de::Error>() -> E {
    E::custom("not an ordinary document")
}

/// Optional text.
pub(crate) struct Text;
/// An optional finite number.
pub(crate) struct Number;
/// An optional choice among fixed words (`up`/`down`, `leading`/`lagging`).
pub(crate) struct Choice;
/// An optional date `YYYY-MM-DD`; blank text is no date.
pub(crate) struct Day;
/// An optional point `[x, y]`.
pub(crate) struct Point;
/// A flag that is saved only when true.
pub(crate) struct Flag;
/// Values per period: `{ "2026-04": { "target": 10, "actual": 8 }, … }`.
pub(crate) struct SeriesCodec;

impl Codec<Option<String>> for Text {
    fn careful(f: &Fields<'_>, key: &str, v: Value) -> Result<Read<Option<String>>, SchemaError> {
        f.opt_string(key, v).map(Read::Value)
    }
    fn fast<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<String>, A::Error> {
        map.next_value()
    }
    fn write(v: &Option<String>) -> Option<Value> {
        v.as_deref().map(Value::from)
    }
}

impl Codec<Option<f64>> for Number {
    fn careful(f: &Fields<'_>, key: &str, v: Value) -> Result<Read<Option<f64>>, SchemaError> {
        f.opt_number(key, v).map(Read::Value)
    }
    fn fast<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<f64>, A::Error> {
        match map.next_value::<Option<f64>>()? {
            Some(x) if !x.is_finite() => Err(give_up()),
            x => Ok(x),
        }
    }
    fn write(v: &Option<f64>) -> Option<Value> {
        v.map(number)
    }
}

/// A word of a fixed set, as files spell it.
pub(crate) trait Word: Sized + Copy {
    /// Reads the word.
    fn parse(s: &str) -> Option<Self>;
    /// The file spelling.
    fn as_str(self) -> &'static str;
    /// The words, for messages and the JSON Schema.
    const WORDS: &'static [&'static str];
}

impl Word for Direction {
    fn parse(s: &str) -> Option<Self> {
        Direction::parse(s)
    }
    fn as_str(self) -> &'static str {
        Direction::as_str(self)
    }
    const WORDS: &'static [&'static str] = &["up", "down"];
}

impl Word for Aggregate {
    fn parse(s: &str) -> Option<Self> {
        Aggregate::parse(s)
    }
    fn as_str(self) -> &'static str {
        Aggregate::as_str(self)
    }
    const WORDS: &'static [&'static str] = &["sum", "last", "average", "formula"];
}

impl Word for Indicator {
    fn parse(s: &str) -> Option<Self> {
        Indicator::parse(s)
    }
    fn as_str(self) -> &'static str {
        Indicator::as_str(self)
    }
    const WORDS: &'static [&'static str] = &["leading", "lagging"];
}

/// Optional text read with `parse`; text it refuses makes the fast path give up.
fn fast_parsed<'de, A: MapAccess<'de>, T>(
    map: &mut A,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, A::Error> {
    match map.next_value::<Option<super::load::direct::Text<'de>>>()? {
        None => Ok(None),
        Some(text) => parse(text.as_str()).map(Some).ok_or_else(give_up),
    }
}

impl<W: Word> Codec<Option<W>> for Choice {
    fn careful(f: &Fields<'_>, key: &str, v: Value) -> Result<Read<Option<W>>, SchemaError> {
        f.opt_enum(key, v, W::parse, W::WORDS).map(Read::Value)
    }
    fn fast<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<W>, A::Error> {
        fast_parsed(map, W::parse)
    }
    fn write(v: &Option<W>) -> Option<Value> {
        v.map(|w| Value::from(w.as_str()))
    }
}

/// A date as files write it: `YYYY-MM-DD`, or blank (as spreadsheets leave
/// an empty cell) for no date. `Err` when it is neither.
pub(crate) fn read_date(s: &str) -> Result<Option<Date>, ()> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    Date::parse(s).map(Some).ok_or(())
}

impl Codec<Option<Date>> for Day {
    fn careful(f: &Fields<'_>, key: &str, v: Value) -> Result<Read<Option<Date>>, SchemaError> {
        f.opt_date(key, v).map(Read::Value)
    }
    fn fast<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Date>, A::Error> {
        Ok(fast_parsed(map, |s| read_date(s).ok())?.flatten())
    }
    fn write(v: &Option<Date>) -> Option<Value> {
        v.map(|d| Value::from(d.to_string()))
    }
}

impl Codec<Option<[f64; 2]>> for Point {
    fn careful(f: &Fields<'_>, key: &str, v: Value) -> Result<Read<Option<[f64; 2]>>, SchemaError> {
        let bad = || f.err(key, both("[x, y] (2 つの数値) が必要です", "expected [x, y], two numbers"));
        match v {
            Value::Null => Ok(Read::Value(None)),
            Value::Array(items) if items.len() == 2 => {
                let mut xy = [0.0; 2];
                for (slot, item) in xy.iter_mut().zip(items) {
                    *slot = f.opt_number(key, item)?.ok_or_else(bad)?;
                }
                Ok(Read::Value(Some(xy)))
            }
            _ => Err(bad()),
        }
    }
    fn fast<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<[f64; 2]>, A::Error> {
        match map.next_value::<Option<[f64; 2]>>()? {
            Some(xy) if xy.iter().any(|v| !v.is_finite()) => Err(give_up()),
            xy => Ok(xy),
        }
    }
    fn write(v: &Option<[f64; 2]>) -> Option<Value> {
        v.map(|[x, y]| Value::Array(vec![number(x), number(y)]))
    }
}

impl Codec<bool> for Flag {
    fn careful(_: &Fields<'_>, _: &str, v: Value) -> Result<Read<bool>, SchemaError> {
        Ok(match v {
            Value::Bool(b) => Read::Value(b),
            Value::Null => Read::Value(false),
            // Before kpitree knew this field another tool may have used the
            // name: a version-1 file keeps meaning what it meant.
            other => Read::Keep(other),
        })
    }
    fn fast<'de, A: MapAccess<'de>>(map: &mut A) -> Result<bool, A::Error> {
        Ok(map.next_value::<Option<bool>>()?.unwrap_or(false))
    }
    fn write(v: &bool) -> Option<Value> {
        v.then_some(Value::Bool(true))
    }
}

impl Codec<Option<Series>> for SeriesCodec {
    fn careful(f: &Fields<'_>, key: &str, v: Value) -> Result<Read<Option<Series>>, SchemaError> {
        let entries = match v {
            Value::Null => return Ok(Read::Value(None)),
            Value::Object(m) => m,
            _ => {
                return Err(f.err(
                    key,
                    both(
                        "期間ラベルから { \"target\", \"actual\" } へのオブジェクトが必要です",
                        "expected an object from period labels to { \"target\", \"actual\" }",
                    ),
                ));
            }
        };
        let mut series = Series::new();
        for (label, entry) in entries {
            let Some(at) = Label::parse(&label) else {
                return Err(f.err(
                    key,
                    both(
                        format!("\"{label}\" は期間ラベル (YYYY-MM か FYyyyy-Qn) ではありません"),
                        format!("\"{label}\" is not a period label (YYYY-MM or FYyyyy-Qn)"),
                    ),
                ));
            };
            let Value::Object(fields) = entry else {
                return Err(f.err(
                    key,
                    both(
                        format!("\"{label}\": {{ \"target\": 数値, \"actual\": 数値 }} が必要です"),
                        format!("\"{label}\": expected {{ \"target\": number, \"actual\": number }}"),
                    ),
                ));
            };
            let mut value = SeriesValue::default();
            for (name, x) in fields {
                let here = format!("{key}.{label}.{name}");
                match name.as_str() {
                    "target" => value.target = f.opt_number(&here, x)?,
                    "actual" => value.actual = f.opt_number(&here, x)?,
                    _ => {
                        value.extra.insert(name, x);
                    }
                }
            }
            series.insert(at, value);
        }
        Ok(Read::Value(Some(series)))
    }
    fn fast<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Series>, A::Error> {
        Ok(map.next_value::<Option<FastSeries>>()?.map(|s| s.0))
    }
    fn write(v: &Option<Series>) -> Option<Value> {
        let series = v.as_ref()?;
        let mut out = Map::with_capacity(series.len());
        for (label, value) in series {
            let mut m = Map::new();
            if let Some(t) = value.target {
                m.insert("target".into(), number(t));
            }
            if let Some(a) = value.actual {
                m.insert("actual".into(), number(a));
            }
            for (k, x) in &value.extra {
                m.insert(k.clone(), x.clone());
            }
            out.insert(label.to_string(), Value::Object(m));
        }
        Some(Value::Object(out))
    }
}

/// A series on the fast path: ordinary labels and entries only; anything
/// else (a label read twice, an unknown key, a bad number) gives up.
struct FastSeries(Series);

impl<'de> serde::Deserialize<'de> for FastSeries {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = FastSeries;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a series")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FastSeries, A::Error> {
                #[derive(serde::Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Entry {
                    target: Option<f64>,
                    actual: Option<f64>,
                }
                let mut series = Series::new();
                while let Some(label) = map.next_key::<super::load::direct::Text<'de>>()? {
                    let at = Label::parse(label.as_str()).ok_or_else(give_up)?;
                    let e: Entry = map.next_value()?;
                    if e.target.is_some_and(|x| !x.is_finite()) || e.actual.is_some_and(|x| !x.is_finite()) {
                        return Err(give_up());
                    }
                    let value = SeriesValue { target: e.target, actual: e.actual, ..SeriesValue::default() };
                    if series.insert(at, value).is_some() {
                        return Err(give_up());
                    }
                }
                Ok(FastSeries(series))
            }
        }
        d.deserialize_map(V)
    }
}

macro_rules! define_codecs {
    ($($(#[$doc:meta])* $field:ident ($variant:ident): $ty:ty = $codec:ident,)*) => {
        /// The optional node fields, numbered in list order (for the fast
        /// loader's "seen twice" bits).
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        enum Optional { $($field,)* }

        /// How many node fields there are before the optional ones (`id`,
        /// `kind`, `name`): the optional fields' bits follow theirs.
        pub(crate) const REQUIRED_FIELDS: u32 = 3;

        /// Reads `key` into `node` if it is an optional node field; hands
        /// the key and value back otherwise (the caller's fields or unknown).
        pub(crate) fn read_careful(
            node: &mut Node,
            f: &Fields<'_>,
            key: String,
            v: Value,
        ) -> Result<Option<(String, Value)>, SchemaError> {
            match key.as_str() {
                $(stringify!($field) => match <$codec as Codec<$ty>>::careful(f, &key, v)? {
                    Read::Value(x) => node.$field = x,
                    Read::Keep(v) => {
                        node.extra.insert(key, v);
                    }
                },)*
                _ => return Ok(Some((key, v))),
            }
            Ok(None)
        }

        /// Reads `key` into `node` on the fast path: `Ok(false)` when it is
        /// no optional field, an error (give up) when the value is unusual
        /// or the field was `seen` already.
        pub(crate) fn read_fast<'de, A: MapAccess<'de>>(
            node: &mut Node,
            key: &str,
            map: &mut A,
            seen: &mut u64,
        ) -> Result<bool, A::Error> {
            let field = match key {
                $(stringify!($field) => Optional::$field,)*
                _ => return Ok(false),
            };
            let bit = 1u64 << (REQUIRED_FIELDS + field as u32);
            if *seen & bit != 0 {
                return Err(give_up());
            }
            *seen |= bit;
            match field {
                $(Optional::$field => node.$field = <$codec as Codec<$ty>>::fast(map)?,)*
            }
            Ok(true)
        }

        /// Writes the optional fields of `node` that have a value, in list order.
        pub(crate) fn write(node: &Node, m: &mut Map<String, Value>) {
            $(if let Some(v) = <$codec as Codec<$ty>>::write(&node.$field) {
                m.insert(stringify!($field).into(), v);
            })*
        }
    };
}

node_fields!(define_codecs);
