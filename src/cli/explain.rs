//! The parts of `kpitree analyze` that explain the gap: the attribution
//! (差異分析), the sensitivity (tornado) and the scenario comparison, as
//! text, as JSON and as CSV tables.

use std::borrow::Cow;
use std::io::Write;

use serde::Serialize;
use serde::ser::SerializeMap;

use super::messages::Msg;
use super::put;
use crate::eval::attribution::{Attribution, Method};
use crate::eval::compare::Comparison;
use crate::eval::sensitivity::Sensitivity;
use crate::format::{amount, percent, signed_amount as signed, signed_percent};
use crate::io::json_num::{Num, OptNum};
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

/// A sequence serialised from an iterator made when it is written.
pub struct Seq<F>(pub F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

#[derive(Serialize)]
struct ContributionJson<'a> {
    node: &'a str,
    contribution: Num,
}

#[derive(Serialize)]
struct AttributionJson<'a, C: Serialize> {
    goal: &'a str,
    target: Num,
    actual: Num,
    gap: Num,
    method: &'a str,
    periods: Option<[String; 2]>,
    contributions: C,
}

#[derive(Serialize)]
struct SensitivityJson<'a> {
    goal: &'a str,
    node: &'a str,
    percent: Num,
    base: Num,
    low: OptNum,
    high: OptNum,
    elasticity: OptNum,
}

#[derive(Serialize)]
struct Pair {
    target: OptNum,
    actual: OptNum,
}

#[derive(Serialize)]
struct ScenarioValue {
    target: OptNum,
    actual: OptNum,
    actual_difference: OptNum,
}

#[derive(Serialize)]
struct CompareRow<'a, S: Serialize> {
    node: &'a str,
    base: Pair,
    scenarios: S,
}

#[derive(Serialize)]
struct Compared<'a, N: Serialize> {
    names: &'a [String],
    nodes: N,
}

impl Explained {
    /// Writes `attribution` (and `attribution_error` when there is none),
    /// `sensitivity` and `scenarios_compared` into the `analyze --json`
    /// object (docs/FORMAT.md, "Attribution").
    pub fn serialize_entries<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        let method = self.method.as_str();
        let list: &[Attribution] = self.attribution.as_deref().unwrap_or_default();
        map.serialize_entry(
            "attribution",
            &Seq(|| {
                list.iter().map(move |a| AttributionJson {
                    goal: a.goal.as_str(),
                    target: Num(a.target),
                    actual: Num(a.actual),
                    gap: Num(a.gap),
                    method,
                    periods: a.periods.map(|[from, to]| [from.to_string(), to.to_string()]),
                    contributions: Seq(move || {
                        a.contributions
                            .iter()
                            .map(|c| ContributionJson { node: c.node.as_str(), contribution: Num(c.contribution) })
                    }),
                })
            }),
        )?;
        if let Err(why) = &self.attribution {
            map.serialize_entry("attribution_error", why)?;
        }
        let (list, pct) = &self.sensitivity;
        map.serialize_entry(
            "sensitivity",
            &Seq(|| {
                list.iter().map(|s| SensitivityJson {
                    goal: s.goal.as_str(),
                    node: s.node.as_str(),
                    percent: Num(*pct),
                    base: Num(s.base),
                    low: OptNum(s.low),
                    high: OptNum(s.high),
                    elasticity: OptNum(s.elasticity),
                })
            }),
        )?;
        let c = &self.comparison;
        let pair = |v: [Option<f64>; 2]| Pair { target: OptNum(v[0]), actual: OptNum(v[1]) };
        map.serialize_entry(
            "scenarios_compared",
            &Compared {
                names: &c.names,
                nodes: Seq(|| {
                    c.rows.iter().map(move |r| CompareRow {
                        node: r.node.as_str(),
                        base: pair(r.base),
                        scenarios: Seq(move || {
                            r.scenarios.iter().map(move |v| ScenarioValue {
                                target: OptNum(v[0]),
                                actual: OptNum(v[1]),
                                actual_difference: OptNum(v[1].zip(r.base[1]).map(|(a, b)| a - b)),
                            })
                        }),
                    })
                }),
            },
        )
    }

    /// The text sections, at most `top` rows per goal in each (0: all).
    pub fn write_text(&self, out: &mut impl Write, doc: &Document, (top, lang): (usize, Lang)) -> std::io::Result<()> {
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
                    let mut rows = Rows::new(top);
                    for c in &a.contributions {
                        if !rows.show() {
                            rows.add(c.contribution);
                            continue;
                        }
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
                    rows.end_goal_with_sum(out, &u, lang)?;
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
        let mut rows = Rows::new(top);
        for s in list {
            if goal != Some(&s.goal) {
                goal = Some(&s.goal);
                rows.end_goal(out, lang)?;
                put(out, &format!("  {}: {}", name(&s.goal), amount(Some(s.base), &unit(&s.goal))))?;
            }
            if !rows.show() {
                continue;
            }
            let u = unit(&s.goal);
            let e =
                s.elasticity.map_or_else(String::new, |e| format!(", {} {:.2}", lang.pick("弾力性", "elasticity"), e));
            put(out, &format!("    {}: {} … {}{e}", name(&s.node), amount(s.low, &u), amount(s.high, &u)))?;
        }
        rows.end_goal(out, lang)?;
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
        let name_at = |at: usize, id: &NodeId| {
            doc.node_at(at, id).map_or_else(|| Cow::Owned(id.to_string()), |n| Cow::Borrowed(n.name.as_str()))
        };
        let name = |id: &NodeId| name_at(usize::MAX, id);
        let num = |x: Option<f64>| x.map_or_else(String::new, short);
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        w.write_record(["attribution", self.method.as_str()])?;
        w.write_record(["goal", "goal_name", "gap", "node", "name", "contribution"])?;
        for a in self.attribution.iter().flatten() {
            let (goal_name, gap) = (name(&a.goal), short(a.gap));
            for c in &a.contributions {
                w.write_record([
                    a.goal.as_str(),
                    &goal_name,
                    &gap,
                    c.node.as_str(),
                    &name_at(c.at, &c.node),
                    &short(c.contribution),
                ])?;
            }
        }
        let mut bytes = w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::new());
        w.write_record(["sensitivity", &short(self.sensitivity.1)])?;
        w.write_record(["goal", "goal_name", "node", "name", "base", "low", "high", "elasticity"])?;
        let mut goal: Option<(&NodeId, Cow<'_, str>)> = None;
        for s in &self.sensitivity.0 {
            let goal_name = match &goal {
                Some((id, n)) if **id == s.goal => n,
                _ => &goal.insert((&s.goal, name(&s.goal))).1,
            };
            w.write_record([
                s.goal.as_str(),
                goal_name,
                s.node.as_str(),
                &name_at(s.at, &s.node),
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
            let mut row = vec![r.node.to_string(), name(&r.node).into_owned(), num(r.base[1])];
            row.extend(r.scenarios.iter().map(|v| num(v[1])));
            w.write_record(&row)?;
        }
        bytes.push(b'\n');
        bytes.extend(w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))?);
        out.write_all(&bytes)
    }
}

/// The rows of one goal in a text report: the first `top` are shown (all
/// when `top` is 0), the others counted — and added up, where they add up —
/// in one line at the goal's end.
pub struct Rows {
    top: usize,
    seen: usize,
    sum: f64,
    /// The rows' indentation, which the closing line shares.
    indent: &'static str,
}

impl Rows {
    /// No rows yet (indented by four spaces).
    pub fn new(top: usize) -> Rows {
        Rows { top, seen: 0, sum: 0.0, indent: "    " }
    }

    /// No rows yet, indented by two spaces.
    pub fn shallow(top: usize) -> Rows {
        Rows { indent: "  ", ..Rows::new(top) }
    }

    /// Counts a row: true when it is shown.
    pub fn show(&mut self) -> bool {
        self.seen += 1;
        self.top == 0 || self.seen <= self.top
    }

    /// Adds a row's amount that is not shown.
    pub fn add(&mut self, x: f64) {
        self.sum += x;
    }

    fn hidden(&self) -> usize {
        if self.top == 0 { 0 } else { self.seen.saturating_sub(self.top) }
    }

    /// Ends a goal: the line for the rows not shown, if any.
    pub fn end_goal(&mut self, out: &mut impl Write, lang: Lang) -> std::io::Result<()> {
        let count = self.hidden();
        (self.seen, self.sum) = (0, 0.0);
        if count == 0 {
            return Ok(());
        }
        put(out, &format!("{}{}", self.indent, Msg::MoreRows { count, sum: None }.text(lang)))
    }

    /// Ends a goal whose rows add up (in `unit`): the line for the rows not
    /// shown, with their sum.
    pub fn end_goal_with_sum(&mut self, out: &mut impl Write, unit: &str, lang: Lang) -> std::io::Result<()> {
        let (count, sum) = (self.hidden(), self.sum);
        (self.seen, self.sum) = (0, 0.0);
        if count == 0 {
            return Ok(());
        }
        put(out, &format!("{}{}", self.indent, Msg::MoreRows { count, sum: Some(signed(sum, unit)) }.text(lang)))
    }
}

/// A number for a spreadsheet: at most 12 significant digits, so that
/// 7920.000000000002 is 7920.
fn short(x: f64) -> String {
    if !x.is_finite() {
        return String::new();
    }
    // Most numbers are short already: rounding to 12 digits gives them
    // back (one formatting, not two and a parse).
    let plain = x.to_string();
    let b = plain.as_bytes();
    let nonzero = |c: &u8| c.is_ascii_digit() && *c != b'0';
    match (b.iter().position(nonzero), b.iter().rposition(nonzero)) {
        (Some(first), Some(last)) if last - first - usize::from(b[first..last].contains(&b'.')) < 12 => return plain,
        (None, _) => return plain,
        _ => {}
    }
    let rounded: f64 = format!("{x:.11e}").parse().unwrap_or(x);
    rounded.to_string()
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn short_numbers_are_rounded_to_twelve_digits_as_before() {
        let before = |x: f64| format!("{x:.11e}").parse::<f64>().unwrap_or(x).to_string();
        let mut samples = vec![0.0, -0.0, 1.0, -4800.0, 0.1, 7920.000000000002, 399_998.1, 2.25e-5, 1e300, 1e-300];
        samples.extend([123_456_789_012.0, 1_234_567_890_123.0, 1_234_567_890_123_456.0, 0.1 + 0.2, 1.0 / 3.0]);
        let mut x = 0.000_123_456_789;
        for _ in 0..60 {
            samples.push(x);
            samples.push(-x * 7.0);
            x *= 3.7;
        }
        for x in samples {
            assert_eq!(short(x), before(x), "{x}");
        }
        assert_eq!(short(7920.000000000002), "7920");
        assert_eq!(short(f64::NAN), "");
    }
}
