//! The analysis report: the `analyze --json` object, serialised as it is
//! written, and the text report (bottlenecks and pacing).

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::percent;
use crate::cli::explain::{Explained, Rows, Seq};
use crate::cli::put;
use crate::eval::analysis::{Bottleneck, PaceStatus, Pacing};
use crate::eval::{Evaluation, Which};
use crate::format::{amount, signed_amount as signed};
use crate::io::json_num::{Num, OptNum};
use crate::lang::Lang;
use crate::model::{Document, Node, NodeId};

/// The `analyze --json` object (docs/FORMAT.md, "Analysis"), serialised as
/// it is written: no tree of JSON values for a report on 100,000 nodes.
pub(super) struct Report<'a> {
    pub(super) doc: &'a Document,
    pub(super) ranking: &'a [Bottleneck],
    pub(super) pacing: &'a Pacing,
    pub(super) scenario: Option<&'a str>,
    pub(super) explained: &'a Explained,
}

/// One bottleneck as `analyze --json` writes it.
#[derive(Serialize)]
struct BottleneckJson<'a> {
    rank: usize,
    node: &'a str,
    name: &'a str,
    target: OptNum,
    actual: OptNum,
    unit: &'a str,
    goal: &'a str,
    goal_name: &'a str,
    goal_unit: &'a str,
    goal_target: OptNum,
    goal_actual: Num,
    goal_if_reached: Num,
    gain: Num,
    share_of_gap: OptNum,
}

/// One node's pace.
#[derive(Serialize)]
struct PaceJson<'a> {
    node: &'a str,
    name: &'a str,
    rule: &'a str,
    elapsed: Num,
    expected_progress: Num,
    expected_actual: Num,
    actual: Num,
    progress: Num,
    status: &'a str,
}

/// The pacing object.
struct PacingJson<'a>(&'a Document, &'a Pacing);

impl Serialize for PacingJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (doc, pacing) = (self.0, self.1);
        let name = |id: &NodeId| doc.node(id).map_or("", |n| n.name.as_str());
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("as_of", &pacing.as_of.map(|d| d.to_string()))?;
        map.serialize_entry("elapsed", &OptNum(pacing.elapsed))?;
        map.serialize_entry(
            "nodes",
            &Seq(|| {
                pacing.nodes.iter().map(|p| PaceJson {
                    node: p.node.as_str(),
                    name: name(&p.node),
                    rule: p.rule.as_str(),
                    elapsed: Num(p.elapsed),
                    expected_progress: Num(p.expected_progress),
                    expected_actual: Num(p.expected_actual),
                    actual: Num(p.actual),
                    progress: Num(p.progress),
                    status: p.status.as_str(),
                })
            }),
        )?;
        map.end()
    }
}

impl Serialize for Report<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let doc = self.doc;
        let node = |id: &NodeId| doc.node(id);
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("scenario", &self.scenario)?;
        map.serialize_entry(
            "bottlenecks",
            &Seq(|| {
                // One lookup per row: the goal's node is the last row's
                // but at the first row of each goal.
                let mut goal: Option<(&NodeId, Option<&Node>)> = None;
                self.ranking.iter().map(move |b| {
                    let leaf = doc.node_at(b.at, &b.node);
                    let g = match goal {
                        Some((id, g)) if *id == b.goal => g,
                        _ => goal.insert((&b.goal, node(&b.goal))).1,
                    }
                    .map_or(("", ""), |n| (n.name.as_str(), n.unit_str()));
                    BottleneckJson {
                        rank: b.rank,
                        node: b.node.as_str(),
                        name: leaf.map_or("", |n| n.name.as_str()),
                        target: OptNum(leaf.and_then(|n| n.target)),
                        actual: OptNum(leaf.and_then(|n| n.actual)),
                        unit: leaf.map_or("", |n| n.unit_str()),
                        goal: b.goal.as_str(),
                        goal_name: g.0,
                        goal_unit: g.1,
                        goal_target: OptNum(b.goal_target),
                        goal_actual: Num(b.goal_actual),
                        goal_if_reached: Num(b.goal_if_reached),
                        gain: Num(b.gain),
                        share_of_gap: OptNum(b.share_of_gap),
                    }
                })
            }),
        )?;
        map.serialize_entry("pacing", &PacingJson(doc, self.pacing))?;
        self.explained.serialize_entries(&mut map)?;
        map.end()
    }
}

pub(super) fn write_analysis(
    out: &mut impl Write,
    file: &Path,
    (doc, eval): (&Document, &Evaluation),
    ranking: &[Bottleneck],
    pacing: &Pacing,
    (top, lang): (usize, Lang),
) -> std::io::Result<()> {
    let name = |id: &NodeId| doc.node(id).map_or("", |n| n.name.as_str());
    // Values in the unit they are in (a computed goal whose terms give
    // another dimension keeps theirs).
    let shown = |id: &NodeId, which| doc.node(id).map_or("", |n| eval.shown_unit(n, which));
    let unit = |id: &NodeId| shown(id, Which::Actual);
    put(out, &format!("{} {}", file.display(), doc.title.as_deref().unwrap_or("")))?;
    writeln!(out)?;
    put(
        out,
        lang.pick(
            "ボトルネック(その KPI だけが目標に届いたときのゴールの伸び)",
            "Bottlenecks (what the goal gains if that KPI alone reaches its target)",
        ),
    )?;
    if ranking.is_empty() {
        put(
            out,
            &format!(
                "  {}",
                lang.pick(
                    "なし: 目標と実績のある末端 KPI が、実績のあるゴールの計算につながっていません",
                    "none: no leaf KPI with a target and an actual feeds a goal that has an actual"
                )
            ),
        )?;
    }
    let mut goal: Option<&NodeId> = None;
    let mut rows = Rows::new(top);
    for b in ranking {
        if goal != Some(&b.goal) {
            goal = Some(&b.goal);
            rows.end_goal(out, lang)?;
            put(
                out,
                &format!(
                    "  {} — {} {} / {} {}",
                    name(&b.goal),
                    lang.pick("目標", "target"),
                    amount(b.goal_target, shown(&b.goal, Which::Target)),
                    lang.pick("実績", "actual"),
                    amount(Some(b.goal_actual), unit(&b.goal)),
                ),
            )?;
        }
        if !rows.show() {
            continue;
        }
        let leaf = doc.node_at(b.at, &b.node);
        let lu = leaf.map_or("", |n| eval.shown_unit(n, Which::Actual));
        let share = b.share_of_gap.map_or_else(String::new, |s| {
            format!(", {}", lang.pick(&format!("差の {}", percent(s)), &format!("{} of the gap", percent(s))))
        });
        put(
            out,
            &format!(
                "    {}. {} ({}): {} → {} ⇒ {} {} ({}{share})",
                b.rank,
                name(&b.node),
                b.node,
                amount(leaf.and_then(|n| n.actual), lu),
                amount(leaf.and_then(|n| n.target), lu),
                name(&b.goal),
                amount(Some(b.goal_if_reached), unit(&b.goal)),
                signed(b.gain, unit(&b.goal)),
            ),
        )?;
    }
    rows.end_goal(out, lang)?;
    writeln!(out)?;
    match (pacing.as_of, pacing.elapsed) {
        (Some(as_of), Some(elapsed)) => {
            put(
                out,
                lang.pick(
                    &format!("ペース({as_of} 時点、期間の {} が経過)", percent(elapsed)),
                    &format!("Pacing (at {as_of}, {} of the period elapsed)", percent(elapsed)),
                ),
            )?;
            let mut rows = Rows::shallow(top);
            for p in &pacing.nodes {
                if !rows.show() {
                    continue;
                }
                let u = unit(&p.node);
                put(
                    out,
                    &format!(
                        "  {} {}: {} {} / {} {} ({}), {} {} — {}",
                        match p.status {
                            PaceStatus::OnTrack => "✓",
                            PaceStatus::Behind => "✗",
                        },
                        name(&p.node),
                        lang.pick("実績", "actual"),
                        amount(Some(p.actual), u),
                        lang.pick("想定", "expected"),
                        amount(Some(p.expected_actual), u),
                        percent(p.expected_progress),
                        lang.pick("達成率", "progress"),
                        percent(p.progress),
                        p.status.label(lang),
                    ),
                )?;
            }
            rows.end_goal(out, lang)?;
        }
        _ => {
            // Say what is wrong with the period, not what a good one has.
            let why = crate::eval::period::PeriodProblem::of(doc.period.as_ref())
                .map_or_else(|| lang.pick("計算できません", "cannot be judged").to_owned(), |p| p.message(lang));
            put(out, &format!("{}{why}", lang.pick("ペース: ", "Pacing: ")))?
        }
    }
    Ok(())
}
