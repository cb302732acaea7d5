//! The `scenarios` of a file, read and written (the types are in
//! [`crate::model::scenario`]): read once when the file is loaded, written
//! back on save with any fields kpitree does not know; a value kpitree cannot
//! read is kept exactly as it was.

use serde_json::{Map, Value};

use super::json_number as number;
use crate::model::scenario::{KEY, Override, Scenario, Scenarios};
use crate::model::{Extra, NodeId};

/// Reads the `scenarios` value of a file: the scenarios, or the value kept
/// as it was with what is wrong with it.
pub fn from_value(value: Value) -> Scenarios {
    match read(&value) {
        Ok(list) => Scenarios { list, unreadable: None },
        Err(why) => Scenarios { list: Vec::new(), unreadable: Some((value, why)) },
    }
}

fn read(value: &Value) -> Result<Vec<Scenario>, String> {
    let Value::Array(items) = value else { return Err(format!("\"{KEY}\" must be an array")) };
    let mut out: Vec<Scenario> = Vec::with_capacity(items.len());
    let mut names = rustc_hash::FxHashSet::default();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{KEY}[{i}]");
        let Value::Object(map) = item else { return Err(format!("{at}: expected an object")) };
        let mut scenario = Scenario::default();
        let mut overrides = None;
        for (key, v) in map {
            match key.as_str() {
                "name" => match v {
                    Value::String(name) => scenario.name = name.clone(),
                    _ => return Err(format!("{at}, field \"name\": expected text")),
                },
                "overrides" => overrides = Some(v),
                _ => {
                    scenario.extra.insert(key.clone(), v.clone());
                }
            }
        }
        if !map.contains_key("name") {
            return Err(format!("{at}, field \"name\": expected text"));
        }
        if !names.insert(scenario.name.clone()) {
            return Err(format!("{at}: a second scenario named \"{}\"", scenario.name));
        }
        let overrides = match overrides {
            None | Some(Value::Null) => &[][..],
            Some(Value::Array(list)) => list.as_slice(),
            Some(_) => return Err(format!("{at}, field \"overrides\": expected an array")),
        };
        // One entry per node: a later override of the same node replaces the
        // earlier one, found through this map rather than a scan per entry.
        let mut seen: rustc_hash::FxHashMap<NodeId, usize> = rustc_hash::FxHashMap::default();
        for (k, o) in overrides.iter().enumerate() {
            let at = format!("{at}.overrides[{k}]");
            let Value::Object(o) = o else { return Err(format!("{at}: expected an object")) };
            let mut entry = Override { node: NodeId::default(), target: None, actual: None, extra: Extra::new() };
            let mut has_node = false;
            for (key, v) in o {
                let num = |field: &str| match v {
                    Value::Null => Ok(None),
                    Value::Number(n) => n
                        .as_f64()
                        .filter(|x| x.is_finite())
                        .map(Some)
                        .ok_or_else(|| format!("{at}, field \"{field}\": not a finite number")),
                    _ => Err(format!("{at}, field \"{field}\": expected a number or null")),
                };
                match key.as_str() {
                    "node" => match v {
                        Value::String(id) => {
                            entry.node = NodeId::from(id.as_str());
                            has_node = true;
                        }
                        _ => return Err(format!("{at}, field \"node\": expected a node id")),
                    },
                    "target" => entry.target = num("target")?,
                    "actual" => entry.actual = num("actual")?,
                    _ => {
                        entry.extra.insert(key.clone(), v.clone());
                    }
                }
            }
            if !has_node {
                return Err(format!("{at}, field \"node\": expected a node id"));
            }
            if entry.target.is_none() && entry.actual.is_none() && entry.extra.is_empty() {
                continue;
            }
            match seen.get(&entry.node) {
                Some(&i) => scenario.overrides[i] = entry,
                None => {
                    seen.insert(entry.node.clone(), scenario.overrides.len());
                    scenario.overrides.push(entry);
                }
            }
        }
        out.push(scenario);
    }
    Ok(out)
}

/// The `scenarios` value to save, if any: the scenarios, or the unreadable
/// value as it was loaded.
pub fn to_value(scenarios: &Scenarios) -> Option<Value> {
    if let Some((value, _)) = &scenarios.unreadable {
        return Some(value.clone());
    }
    if scenarios.list.is_empty() {
        return None;
    }
    let list = scenarios
        .list
        .iter()
        .map(|s| {
            let overrides = s
                .overrides
                .iter()
                .map(|o| {
                    let mut m = Map::new();
                    m.insert("node".into(), Value::String(o.node.as_str().to_owned()));
                    if let Some(t) = o.target {
                        m.insert("target".into(), number(t));
                    }
                    if let Some(a) = o.actual {
                        m.insert("actual".into(), number(a));
                    }
                    extend(&mut m, &o.extra);
                    Value::Object(m)
                })
                .collect();
            let mut m = Map::new();
            m.insert("name".into(), Value::String(s.name.clone()));
            m.insert("overrides".into(), Value::Array(overrides));
            extend(&mut m, &s.extra);
            Value::Object(m)
        })
        .collect();
    Some(Value::Array(list))
}

fn extend(m: &mut Map<String, Value>, extra: &Extra) {
    for (k, v) in extra {
        if !m.contains_key(k) {
            m.insert(k.clone(), v.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_fields_of_scenarios_and_overrides_survive_a_round_trip() {
        let value = json!([{ "name": "値上げ", "colour": "red",
            "overrides": [{ "node": "price", "actual": 95, "why": "競合" }] }]);
        let read = from_value(value.clone());
        assert!(read.unreadable.is_none());
        assert_eq!(read.list[0].overrides[0].actual, Some(95.0));
        assert_eq!(to_value(&read), Some(value));
    }

    #[test]
    fn an_unreadable_value_is_kept_as_it_was_and_explained() {
        let value = json!({ "not": "an array" });
        let read = from_value(value.clone());
        assert!(read.readable().is_err());
        assert_eq!(to_value(&read), Some(value));
    }

    #[test]
    fn a_later_override_of_the_same_node_replaces_the_earlier() {
        let read = from_value(json!([{ "name": "a", "overrides": [
            { "node": "x", "target": 1 }, { "node": "y", "target": 2 }, { "node": "x", "target": 3 }] }]));
        let o: Vec<(&str, Option<f64>)> = read.list[0].overrides.iter().map(|o| (o.node.as_str(), o.target)).collect();
        assert_eq!(o, [("x", Some(3.0)), ("y", Some(2.0))]);
    }
}
