//! The careful path: parsed JSON into a document, every field checked and
//! every error naming its place.

use serde_json::{Map, Value};

use super::object::{type_name, type_name_ja};
use super::{Fields, SchemaError, both};
use crate::model::{Document, Edge, Extra, Granularity, Kind, LayoutMode, Node, NodeId, Op, Period, YearLabel};

/// Converts parsed JSON into a document, checking every field.
pub(crate) fn document_from_value(value: Value) -> Result<Document, SchemaError> {
    let top = Fields { at: "" };
    let map = top.object(value, ("kpitree の文書 (JSON のオブジェクト)", "a kpitree document (a JSON object)"))?;
    let (mut doc, nodes, edges) = header(map)?;
    let nodes = array(nodes, "nodes")?;
    doc.nodes =
        nodes.into_iter().enumerate().map(|(i, v)| node_from_value(i, v)).collect::<Result<Vec<_>, _>>()?.into();
    let edges = array(edges, "edges")?;
    doc.edges =
        edges.into_iter().enumerate().map(|(i, v)| edge_from_value(i, v)).collect::<Result<Vec<_>, _>>()?.into();
    Ok(doc)
}

/// Checks `format` and `version` and reads every top-level field but
/// `nodes` and `edges`, which it hands back as they are.
pub(super) fn header(map: Map<String, Value>) -> Result<(Document, Option<Value>, Option<Value>), SchemaError> {
    let top = Fields { at: "" };
    match map.get("format") {
        Some(Value::String(s)) if s == "kpitree" => {}
        Some(other) => {
            return Err(top.err(
                "format",
                both(
                    format!("\"kpitree\" が必要ですが、{other} です — kpitree の文書ではありません"),
                    format!("expected \"kpitree\", found {other} — this is not a kpitree document"),
                ),
            ));
        }
        None => {
            return Err(top.err(
                "format",
                both(
                    "ありません。kpitree の文書は \"format\": \"kpitree\" で始まります",
                    "missing; a kpitree document starts with \"format\": \"kpitree\"",
                ),
            ));
        }
    }
    match map.get("version") {
        Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
        Some(other) => {
            return Err(top.err(
                "version",
                both(
                    format!("バージョン {other} には対応していません。この kpitree が読めるのはバージョン 1 です"),
                    format!("unsupported version {other}; this kpitree reads version 1"),
                ),
            ));
        }
        None => {
            return Err(
                top.err("version", both("ありません。\"version\": 1 が必要です", "missing; expected \"version\": 1"))
            );
        }
    }
    let mut doc = Document::new();
    let mut nodes = None;
    let mut edges = None;
    for (key, v) in map {
        match key.as_str() {
            "format" | "version" => {}
            "title" => doc.title = top.opt_string(&key, v)?,
            // Not in FORMAT.md, so another tool may use these names for
            // something else: anything but text is kept as an unknown field.
            "description" | "note" if !matches!(v, Value::String(_) | Value::Null) => {
                doc.extra.insert(key, v);
            }
            "description" => doc.description = top.opt_string(&key, v)?,
            "note" => doc.note = top.opt_string(&key, v)?,
            "period" => doc.period = period_from_value(v)?,
            "layout" => match v.as_str().and_then(LayoutMode::parse) {
                Some(mode) => doc.layout = Some(mode),
                // Not ours: another tool's field of that name is kept as it is.
                None => {
                    doc.extra.insert(key, v);
                }
            },
            crate::model::scenario::KEY => doc.scenarios = crate::io::scenarios::from_value(v),
            "nodes" => nodes = Some(v),
            "edges" => edges = Some(v),
            _ => {
                doc.extra.insert(key, v);
            }
        }
    }
    Ok((doc, nodes, edges))
}

fn array(v: Option<Value>, field: &str) -> Result<Vec<Value>, SchemaError> {
    match v {
        Some(Value::Array(items)) => Ok(items),
        Some(other) => Err(SchemaError::new(
            "",
            Some(field),
            both(
                format!("配列が必要ですが、{}があります", type_name_ja(&other)),
                format!("expected an array, found {}", type_name(&other)),
            ),
        )),
        None => Err(SchemaError::new(
            "",
            Some(field),
            both(
                "ありません。文書には \"nodes\" と \"edges\" の配列が必要です (空でもかまいません)",
                "missing; the document needs a \"nodes\" and an \"edges\" array (they may be empty)",
            ),
        )),
    }
}

#[allow(clippy::cast_possible_truncation, reason = "a whole number from 1 to 12")]
fn period_from_value(v: Value) -> Result<Option<Period>, SchemaError> {
    let f = Fields { at: "period" };
    if v.is_null() {
        return Ok(None);
    }
    let map = f.object(v, ("期間のオブジェクト", "a period object"))?;
    let mut period = Period::default();
    for (key, v) in map {
        match key.as_str() {
            "start" => period.start = f.opt_date(&key, v)?,
            "end" => period.end = f.opt_date(&key, v)?,
            "as_of" => period.as_of = f.opt_date(&key, v)?,
            "fiscal_year_start" => {
                let bad = || f.err(&key, both("月 (1〜12) が必要です", "expected a month, 1 to 12"));
                period.fiscal_year_start = match f.opt_number(&key, v)? {
                    None => None,
                    Some(m) if m.fract() == 0.0 && (1.0..=12.0).contains(&m) => Some(m as u8),
                    Some(_) => return Err(bad()),
                }
            }
            "year_label" => {
                period.year_label = f.opt_enum(&key, v, YearLabel::parse, &["start", "end"])?;
            }
            "granularity" => {
                period.granularity = f.opt_enum(&key, v, Granularity::parse, &["month", "quarter"])?;
            }
            _ => {
                period.extra.insert(key, v);
            }
        }
    }
    Ok(Some(period))
}

fn node_from_value(index: usize, v: Value) -> Result<Node, SchemaError> {
    let at = match v.get("id").and_then(Value::as_str) {
        Some(id) => format!("nodes[{index}] (id \"{id}\")"),
        None => format!("nodes[{index}]"),
    };
    let f = Fields { at: &at };
    let map = f.object(v, ("ノードのオブジェクト", "a node object"))?;
    let (mut id, mut kind, mut name) = (None, None, None);
    let mut node = Node::new("", Kind::Kpi, "");
    for (key, v) in map {
        let Some((key, v)) = crate::io::fields::read_careful(&mut node, &f, key, v)? else { continue };
        match key.as_str() {
            "id" => id = Some(f.string(&key, v)?),
            "kind" => kind = Some(f.string(&key, v)?),
            "name" => name = Some(f.string(&key, v)?),
            _ => {
                node.extra.insert(key, v);
            }
        }
    }
    let id =
        id.ok_or_else(|| f.err("id", both("ありません。ノードには id が必要です", "missing; every node needs an id")))?;
    if id.is_empty() {
        return Err(
            f.err("id", both("空です。ノードには空でない id が必要です", "is empty; every node needs a non-empty id"))
        );
    }
    node.id = NodeId::from(id);
    let kind = kind.ok_or_else(|| {
        f.err(
            "kind",
            both(
                "ありません。\"KGI\"、\"KSF\"、\"KPI\" のどれかが必要です",
                "missing; expected \"KGI\", \"KSF\" or \"KPI\"",
            ),
        )
    })?;
    node.kind = Kind::parse(&kind).ok_or_else(|| {
        f.err(
            "kind",
            both(
                format!("\"{kind}\" という種類はありません (\"KGI\"、\"KSF\"、\"KPI\" のどれか)"),
                format!("unknown kind \"{kind}\" (expected \"KGI\", \"KSF\" or \"KPI\")"),
            ),
        )
    })?;
    node.name = name.ok_or_else(|| {
        f.err(
            "name",
            both(
                "ありません。ノードには名前が必要です (空でもかまいません)",
                "missing; every node needs a name (it may be empty)",
            ),
        )
    })?;
    Ok(node)
}

fn edge_from_value(index: usize, v: Value) -> Result<Edge, SchemaError> {
    let at = match (v.get("parent").and_then(Value::as_str), v.get("child").and_then(Value::as_str)) {
        (Some(p), Some(c)) => format!("edges[{index}] ({p} → {c})"),
        _ => format!("edges[{index}]"),
    };
    let f = Fields { at: &at };
    let map = f.object(v, ("エッジのオブジェクト", "an edge object"))?;
    let (mut parent, mut child, mut op) = (None, None, None);
    let mut extra = Extra::new();
    for (key, v) in map {
        match key.as_str() {
            "parent" => parent = Some(f.string(&key, v)?),
            "child" => child = Some(f.string(&key, v)?),
            "op" => op = Some(f.string(&key, v)?),
            _ => {
                extra.insert(key, v);
            }
        }
    }
    let parent = parent.ok_or_else(|| {
        f.err("parent", both("ありません。エッジには親の id が必要です", "missing; every edge needs a parent id"))
    })?;
    let child = child.ok_or_else(|| {
        f.err("child", both("ありません。エッジには子の id が必要です", "missing; every edge needs a child id"))
    })?;
    let op = op.ok_or_else(|| {
        f.err(
            "op",
            both(
                "ありません。\"+\"、\"-\"、\"*\"、\"/\"、\"link\" のどれかが必要です",
                "missing; expected one of \"+\", \"-\", \"*\", \"/\", \"link\"",
            ),
        )
    })?;
    let op = Op::parse(&op).ok_or_else(|| {
        f.err(
            "op",
            both(
                format!("\"{op}\" という演算子はありません (\"+\"、\"-\"、\"*\"、\"/\"、\"link\" のどれか)"),
                format!("unknown operator \"{op}\" (expected \"+\", \"-\", \"*\", \"/\" or \"link\")"),
            ),
        )
    })?;
    Ok(Edge { parent: NodeId::from(parent), child: NodeId::from(child), op, extra })
}
