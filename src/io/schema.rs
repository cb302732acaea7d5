//! The JSON Schema (draft 2020-12) of a `.kpitree.json` document, made from
//! the same field list the loader reads (`node_fields!` and the codecs of
//! `io::fields`), so that an editor (VS Code, JetBrains) can validate
//! and complete files written by hand or by other tools.
//!
//! The schema says no more than the loader does: a file the schema rejects
//! is one kpitree refuses too. Where the loader keeps a value it does not
//! understand (an unknown field, a `collapsed` that is no boolean, a
//! `scenarios` of another shape), the schema accepts it as well and only
//! describes what kpitree means. What no schema can say — a repeated key,
//! a number too large for an f64, 30 February — the loader still refuses.
//! The published copy is `docs/kpitree.schema.json` (a test keeps it equal
//! to [`schema`]); the Debian package installs it as
//! `/usr/share/kpitree/kpitree.schema.json`.

use serde_json::{Map, Value, json};

use super::fields::{Choice, Day, Flag, Number, Point, SeriesCodec, Text, Word};
use crate::model::{Date, Direction, Indicator, Series, node_fields};

/// Where the schema is published: its `$id`, and the `$schema` value of
/// the templates and of files made with `kpitree new`.
pub const SCHEMA_URL: &str = "https://raw.githubusercontent.com/kpitree/kpitree/main/docs/kpitree.schema.json";

/// A year of four digits, not 0000.
const YEAR: &str = "([0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})";

/// A date `YYYY-MM-DD` (30 February cannot be told by a pattern: the loader
/// refuses it), or blank text for no date.
fn date_pattern() -> String {
    let days =
        "((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-9]))";
    format!(r"^({YEAR}-{days}|\s*)$")
}

/// A period label: `YYYY-MM` or `FYyyyy-Qn`.
fn label_pattern() -> String {
    format!("^({YEAR}-(0[1-9]|1[0-2])|FY{YEAR}-Q[1-4])$")
}

/// The schema of one kind of field value, as its codec reads it.
trait Describe<T> {
    fn schema() -> Value;
}

impl Describe<Option<String>> for Text {
    fn schema() -> Value {
        json!({ "type": ["string", "null"] })
    }
}

impl Describe<Option<f64>> for Number {
    fn schema() -> Value {
        json!({ "type": ["number", "null"] })
    }
}

impl<W: Word> Describe<Option<W>> for Choice {
    fn schema() -> Value {
        let mut words: Vec<Value> = W::WORDS.iter().map(|w| Value::from(*w)).collect();
        words.push(Value::Null);
        json!({ "enum": words })
    }
}

impl Describe<Option<Date>> for Day {
    fn schema() -> Value {
        json!({ "type": ["string", "null"], "pattern": date_pattern() })
    }
}

impl Describe<Option<[f64; 2]>> for Point {
    fn schema() -> Value {
        json!({
            "type": ["array", "null"],
            "items": { "type": "number" },
            "minItems": 2,
            "maxItems": 2
        })
    }
}

impl Describe<bool> for Flag {
    fn schema() -> Value {
        // Another value is kept as an unknown field, not refused.
        json!({ "default": false, "examples": [true, false] })
    }
}

impl Describe<Option<Series>> for SeriesCodec {
    fn schema() -> Value {
        json!({
            "type": ["object", "null"],
            "propertyNames": { "pattern": label_pattern() },
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "target": { "type": ["number", "null"], "description": "The plan for the period, in the node's unit." },
                    "actual": { "type": ["number", "null"], "description": "The measured value of the period, in the node's unit." }
                }
            }
        })
    }
}

/// What each optional node field means, as docs/FORMAT.md says it.
fn node_field_description(field: &str) -> Option<&'static str> {
    Some(match field {
        "unit" => "The unit (円, 件, 万円/社, %); absent or \"\" = a plain number.",
        "target" => "The plan (goal) value, in the unit.",
        "actual" => "The measured value, in the unit.",
        "direction" => "\"up\" (default): higher is better; \"down\": lower is better (cost, churn, lead time).",
        "deadline" => "By when the target is due: YYYY-MM-DD (blank = none).",
        "owner" => "The person or team responsible.",
        "indicator" => "A leading (先行指標) or lagging (遅行指標) indicator.",
        "source" => "Where the actual comes from.",
        "note" => "Free text.",
        "pos" => "Canvas position [x, y] of the card's top-left corner; absent = placed by the automatic layout.",
        "collapsed" => {
            "true folds the subtree below the node away on the canvas and in exports; a value that is no boolean is kept as an unknown field."
        }
        "aggregate" => {
            "How the node's periods roll up: sum (flows), last (stocks), average, or formula (the node's expression over its terms' roll-ups)."
        }
        "series" => "Target and actual per period, by label (YYYY-MM or FYyyyy-Qn).",
        "constant" => "A fixed number (× 12 ヶ月, × 1.1 消費税): the node's target and actual both.",
        _ => return None,
    })
}

macro_rules! node_properties {
    ($($(#[$doc:meta])* $field:ident ($variant:ident): $ty:ty = $codec:ident,)*) => {
        /// The optional node fields, in the order a save writes them.
        fn optional_node_fields() -> Vec<(&'static str, Value)> {
            vec![$((stringify!($field), <$codec as Describe<$ty>>::schema()),)*]
        }
    };
}

node_fields!(node_properties);

/// `value` with a description.
fn described(mut value: Value, text: &str) -> Value {
    if let Value::Object(m) = &mut value {
        m.insert("description".into(), text.into());
    }
    value
}

fn node_schema() -> Value {
    let mut properties = Map::new();
    properties.insert(
        "id".into(),
        json!({ "type": "string", "minLength": 1, "description": "Unique in the file, non-empty, stable across saves." }),
    );
    properties.insert(
        "kind".into(),
        json!({ "enum": ["KGI", "KSF", "KPI"], "description": "Goal (KGI), success factor (KSF) or performance indicator (KPI)." }),
    );
    properties
        .insert("name".into(), json!({ "type": "string", "description": "The label on the diagram (may be empty)." }));
    for (field, schema) in optional_node_fields() {
        let text = node_field_description(field).unwrap_or("");
        properties.insert(field.into(), described(schema, text));
    }
    properties.insert(
        "pacing".into(),
        json!({ "description": "\"linear\" (default) or \"level\": how pacing expects the actual to grow (docs/FORMAT.md, Pacing).", "examples": ["linear", "level"] }),
    );
    json!({
        "type": "object",
        "required": ["id", "kind", "name"],
        "properties": properties,
        "description": "One card of the tree. Fields kpitree does not know are kept."
    })
}

fn edge_schema() -> Value {
    json!({
        "type": "object",
        "required": ["parent", "child", "op"],
        "properties": {
            "parent": { "type": "string", "description": "The parent node's id." },
            "child": { "type": "string", "description": "The child node's id (a term of the parent)." },
            "op": {
                "enum": ["+", "-", "*", "/", "link", "\u{2212}", "×", "x", "÷"],
                "description": "+ - * / make the parent computed from its terms in edge order; link means \"achieved through\" without arithmetic. −, ×, x and ÷ are read as - * * / and written back in ASCII."
            }
        },
        "description": "A link from a parent to one of its terms. The order of a parent's edges is the order of its terms."
    })
}

fn period_schema() -> Value {
    let date = || json!({ "type": ["string", "null"], "pattern": date_pattern() });
    json!({
        "type": ["object", "null"],
        "properties": {
            "start": described(date(), "The first day of the plan's period (YYYY-MM-DD)."),
            "end": described(date(), "The last day of the plan's period."),
            "as_of": described(date(), "The day the actuals were measured."),
            "fiscal_year_start": {
                "type": ["integer", "null"], "minimum": 1, "maximum": 12,
                "description": "The month a fiscal year starts in (default 4; 1 for calendar years)."
            },
            "year_label": { "enum": ["start", "end", null], "description": "Whether a fiscal year is named by the year it starts (default) or ends in." },
            "granularity": { "enum": ["month", "quarter", null], "description": "How long the periods are (default month)." }
        }
    })
}

fn scenarios_schema() -> Value {
    let described_shape = json!({
        "type": "array",
        "items": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": { "type": "string", "description": "Unique among the scenarios." },
                "overrides": {
                    "type": ["array", "null"],
                    "items": {
                        "type": "object",
                        "required": ["node"],
                        "properties": {
                            "node": { "type": "string" },
                            "target": { "type": ["number", "null"] },
                            "actual": { "type": ["number", "null"] }
                        }
                    }
                }
            }
        }
    });
    json!({
        "description": "Named what-if scenarios: each replaces the target and/or actual of some nodes while it is applied. A value of another shape is kept as it is (and reported when a scenario is used), so it is not refused here.",
        "$comment": "The first branch describes the shape kpitree writes (for completion); the second keeps this schema no stricter than the loader.",
        "anyOf": [described_shape, true]
    })
}

/// The JSON Schema of a kpitree version-1 document.
pub fn schema() -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_URL,
        "title": "kpitree document, version 1",
        "description": "A KPI tree (KGI → KSF → KPI) as kpitree reads and writes it; see docs/FORMAT.md. Unknown fields are kept on load and written back on save.",
        "type": "object",
        "required": ["format", "version", "nodes", "edges"],
        "properties": {
            "$schema": { "description": "The JSON Schema of this file, for editors; kpitree keeps it first on save." },
            "format": { "const": "kpitree" },
            "version": { "const": 1 },
            "title": { "type": ["string", "null"], "description": "The document's title." },
            "description": { "description": "One line shown in template lists and file choosers (text; another value is kept as an unknown field).", "examples": [""] },
            "note": { "description": "Free text about the whole document (text; another value is kept as an unknown field).", "examples": [""] },
            "period": period_schema(),
            "layout": { "description": "\"auto\": cards where the tidy layout puts them; \"free\": where their pos says. Another value is kept and treated as absent.", "examples": ["auto", "free"] },
            "nodes": { "type": "array", "items": { "$ref": "#/$defs/node" } },
            "edges": { "type": "array", "items": { "$ref": "#/$defs/edge" } },
            "scenarios": scenarios_schema()
        },
        "$defs": {
            "node": node_schema(),
            "edge": edge_schema()
        }
    })
}

/// The schema as the published file writes it: pretty, with a final newline.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_node_field_is_described() {
        for (field, _) in optional_node_fields() {
            assert!(node_field_description(field).is_some(), "{field} has no description");
        }
    }
}
