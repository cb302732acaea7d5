//! The parts of `kpitree analyze` that explain the gap: the attribution
//! (差異分析), the sensitivity (tornado) and the scenario comparison, as
//! text, as JSON and as CSV tables.

use std::io::Write;

use serde_json::{Map, Value, json};

use super::put;
use crate::eval::attribution::{Attribution, Method};
use crate::eval::compare::Comparison;
use crate::eval::sensitivity::Sensitivity;
use crate::format::{amount, percent, signed_amount as signed, signed_percent};
use crate::io::json_number as number;
use crate::lang::Lang;
use crate::model::{Document, NodeId};

/// What explains the gap: computed once, written as text, JSON or CSV.
pub struct Explained {
    /// The attribution by the method asked for, or why there is none.
    pub attribution: Result<Vec<Attribution>, String>,
    /// The method.
    pub method: Method,
    /// The sensitivity, and the ± percentage it used.
    pub sensitivity: (Vec<Sensitivity>, f64),
    /// The scenarios side by side.
    pub comparison: Comparison,
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, number)
}

impl Explained {
    /// Adds `attribution`, `sensitivity` and `scenarios` to the `analyze
    /// --json` object (docs/FORMAT.md, "Attribution").
    pub fn add_json(&self, top: &mut Map<String, Value>) {
        let attribution: Vec<Value> = self
            .attribution
            .as_ref()
            .map(|list| {
                list.iter()
                    .map(|a| {
                        let parts: Vec<Value> = a
                            .contributions
                            .iter()
                            .map(|c| json!({ "node": c.node.as_str(), "contribution": number(c.contribution) }))
                            .collect();
                        let periods = a.periods.map(|[from, to]| json!([from.to_string(), to.to_string()]));
                        json!({ "goal": a.goal.as_str(), "target": number(a.target), "actual": number(a.actual), "gap": number(a.gap), "method": self.method.as_str(),
                                "periods": periods, "contributions": parts })
                    })
                    .collect()
            })
            .unwrap_or_default();
        top.insert("attribution".into(), Value::Array(attribution));
        if let Err(why) = &self.attribution {
            top.insert("attribution_error".into(), Value::from(why.as_str()));
        }
        let (list, pct) = &self.sensitivity;
        let sensitivity: Vec<Value> = list
            .iter()
            .map(|s| {
                json!({ "goal": s.goal.as_str(), "node": s.node.as_str(), "percent": number(*pct),
                        "base": number(s.base), "low": opt(s.low), "high": opt(s.high), "elasticity": opt(s.elasticity) })
            })
            .collect();
        top.insert("sensitivity".into(), Value::Array(sensitivity));
        let c = &self.comparison;
        let pair = |v: [Option<f64>; 2]| json!({ "target": opt(v[0]), "actual": opt(v[1]) });
        let rows: Vec<Value> = c
            .rows
            .iter()
            .map(|r| {
                let per: Vec<Value> = r
                    .scenarios
                    .iter()
                    .map(|v| {
                        let diff = match (v[1], r.base[1]) {
                            (Some(a), Some(b)) => number(a - b),
                            _ => Value::Null,
                        };
                        json!({ "target": opt(v[0]), "actual": opt(v[1]), "actual_difference": diff })
                    })
                    .collect();
                json!({ "node": r.node.as_str(), "base": pair(r.base), "scenarios": per })
            })
            .collect();
        top.insert("scenarios_compared".into(), json!({ "names": c.names, "nodes": rows }));
    }

    /// The text sections.
    pub fn write_text(&self, out: &mut impl Write, doc: &Document, lang: Lang) -> std::io::Result<()> {
        let name = |id: &NodeId| doc.node(id).map_or_else(|| id.to_string(), |n| n.name.clone());
        let unit = |id: &NodeId| doc.node(id).map_or("", |n| n.unit_str()).to_owned();
        writeln!(out)?;
        let method = self.method.label(lang);
        put(
            out,
            &match lang {
                Lang::Ja => format!("差異分析 ({method}: 実績 − 目標 を末端の KPI に分ける)"),
                Lang::En => format!("Where the gap came from ({method}: actual − target split among the leaves)"),
            },
        )?;
        match &self.attribution {
            Err(why) => put(out, &format!("  {why}"))?,
            Ok(list) if list.is_empty() => put(
                out,
                lang.pick(
                    "  なし: 目標と実績のあるゴールがありません",
                    "  none: no goal has both a target and an actual",
                ),
            )?,
            Ok(list) => {
                for a in list {
                    let u = unit(&a.goal);
                    let periods = a.periods.map_or_else(String::new, |[from, to]| {
                        if from == to { format!(" ({from})") } else { format!(" ({from}〜{to})") }
                    });
                    put(
                        out,
                        &format!("  {} {}{periods}: {}", name(&a.goal), lang.pick("の差", "gap"), signed(a.gap, &u)),
                    )?;
                    for c in &a.contributions {
                        let share = (a.gap != 0.0).then(|| percent(c.contribution / a.gap, 1));
                        put(
                            out,
                            &format!(
                                "    {} ({}): {}{}",
                                name(&c.node),
                                c.node,
                                signed(c.contribution, &u),
                                share.map_or_else(String::new, |s| format!(" ({s})"))
                            ),
                        )?;
                    }
                }
            }
        }
        writeln!(out)?;
        let (list, pct) = &self.sensitivity;
        put(
            out,
            &match lang {
                Lang::Ja => format!("感度 (各 KPI を ±{} 動かしたときのゴールの実績)", percent(pct / 100.0, 0)),
                Lang::En => format!("Sensitivity (the goal's actual with each KPI ±{})", percent(pct / 100.0, 0)),
            },
        )?;
        let mut goal: Option<&NodeId> = None;
        for s in list {
            let u = unit(&s.goal);
            if goal != Some(&s.goal) {
                goal = Some(&s.goal);
                put(out, &format!("  {}: {}", name(&s.goal), amount(Some(s.base), &u)))?;
            }
            let e =
                s.elasticity.map_or_else(String::new, |e| format!(", {} {:.2}", lang.pick("弾力性", "elasticity"), e));
            put(out, &format!("    {}: {} … {}{e}", name(&s.node), amount(s.low, &u), amount(s.high, &u)))?;
        }
        let c = &self.comparison;
        if !c.names.is_empty() {
            writeln!(out)?;
            put(
                out,
                lang.pick("シナリオの比較 (実績、基準との差)", "Scenarios compared (actual, difference to the base)"),
            )?;
            for r in &c.rows {
                let u = unit(&r.node);
                let mut line = format!("  {}: {} {}", name(&r.node), lang.pick("基準", "base"), amount(r.base[1], &u));
                for (n, v) in c.names.iter().zip(&r.scenarios) {
                    let diff = match (v[1], r.base[1]) {
                        (Some(a), Some(b)) if b != 0.0 => format!(" ({})", signed_percent((a - b) / b, 1)),
                        _ => String::new(),
                    };
                    line.push_str(&format!(" · {n} {}{diff}", amount(v[1], &u)));
                }
                put(out, &line)?;
            }
        }
        Ok(())
    }

    /// The tables as CSV for a spreadsheet: attribution, sensitivity and
    /// scenarios, each under a title row, separated by a blank line.
    pub fn write_csv(&self, out: &mut impl Write, doc: &Document) -> std::io::Result<()> {
        let name = |id: &NodeId| doc.node(id).map_or_else(|| id.to_string(), |n| n.name.clone());
        let num = |x: Option<f64>| x.map_or_else(String::new, short);
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        w.write_record(["attribution", self.method.as_str()])?;
        w.write_record(["goal", "goal_name", "gap", "node", "name", "contribution"])?;
        for a in self.attribution.iter().flatten() {
            for c in &a.contributions {
                w.write_record([
                    a.goal.as_str(),
                    &name(&a.goal),
                    &short(a.gap),
                    c.node.as_str(),
                    &name(&c.node),
                    &short(c.contribution),
                ])?;
            }
        }
        let mut bytes = w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        w.write_record(["sensitivity", &short(self.sensitivity.1)])?;
        w.write_record(["goal", "goal_name", "node", "name", "base", "low", "high", "elasticity"])?;
        for s in &self.sensitivity.0 {
            w.write_record([
                s.goal.as_str(),
                &name(&s.goal),
                s.node.as_str(),
                &name(&s.node),
                &short(s.base),
                &num(s.low),
                &num(s.high),
                &num(s.elasticity),
            ])?;
        }
        bytes.push(b'\n');
        bytes.extend(w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?);
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        w.write_record(["scenarios"])?;
        let mut header = vec!["node".to_owned(), "name".to_owned(), "base".to_owned()];
        header.extend(self.comparison.names.iter().cloned());
        w.write_record(&header)?;
        for r in &self.comparison.rows {
            let mut row = vec![r.node.to_string(), name(&r.node), num(r.base[1])];
            row.extend(r.scenarios.iter().map(|v| num(v[1])));
            w.write_record(&row)?;
        }
        bytes.push(b'\n');
        bytes.extend(w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?);
        out.write_all(&bytes)
    }
}

/// A number for a spreadsheet: at most 12 significant digits, so that
/// 7920.000000000002 is 7920.
fn short(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    let rounded: f64 = format!("{x:.11e}").parse().unwrap_or(x);
    rounded.to_string()
}
