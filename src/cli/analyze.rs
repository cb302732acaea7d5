//! `kpitree analyze` and `kpitree seek`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use serde_json::{Value, json};

use super::{EXIT_MODEL_ERRORS, EXIT_OK, LangArg, put};
use crate::eval::analysis::{AnalysisError, Analyzer, Bottleneck, PaceStatus, Pacing, Seek};
use crate::eval::{Evaluation, Which};
use crate::io;
use crate::io::json_number as number;
use crate::lang::Lang;
use crate::model::{Document, NodeId, scenario};

/// The arguments of `kpitree analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The .kpitree.json file.
    pub file: PathBuf,
    /// Output, scenario and language.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// The arguments of `kpitree seek`.
#[derive(Debug, Args)]
pub struct SeekArgs {
    /// The .kpitree.json file.
    pub file: PathBuf,
    /// The id of the node whose actual is sought.
    #[arg(long)]
    pub node: String,
    /// The id of the ancestor that should reach its target (default: the node's goal).
    #[arg(long = "for", value_name = "ANCESTOR")]
    pub ancestor: Option<String>,
    /// Output, scenario and language.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// The options `analyze` and `seek` share.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Print one JSON object (docs/FORMAT.md, "Analysis").
    #[arg(long)]
    pub json: bool,
    /// Work with this saved what-if scenario applied.
    #[arg(long)]
    pub scenario: Option<String>,
    /// Language of the report (default: from the locale).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

fn lang_of(arg: Option<LangArg>) -> Lang {
    arg.map_or_else(Lang::from_env, Lang::from)
}

/// The document of `file`, with `scenario` applied when one is named.
fn load(file: &Path, scenario_name: Option<&str>) -> Result<Arc<Document>, String> {
    let doc = Arc::new(io::load(file).map_err(|e| e.to_string())?);
    scenario::effective(&doc, scenario_name).map_err(|e| format!("{}: {e}", file.display()))
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, number)
}

/// `12,000 万円`, or `—` for none.
fn amount(x: Option<f64>, unit: &str) -> String {
    crate::eval::format_amount_or_dash(x, unit, false)
}

fn signed(x: f64, unit: &str) -> String {
    let sign = if x > 0.0 { "+" } else { "" };
    format!("{sign}{}", amount(Some(x), unit))
}

fn percent(x: f64) -> String {
    crate::eval::format_percent(x, 1)
}

/// Runs `kpitree analyze`.
pub fn analyze(args: &AnalyzeArgs, out: &mut impl Write) -> Result<i32, String> {
    let lang = lang_of(args.report.lang);
    let doc = load(&args.file, args.report.scenario.as_deref())?;
    let analyzer = Analyzer::new(&doc);
    let code = if analyzer.evaluation().has_errors() { EXIT_MODEL_ERRORS } else { EXIT_OK };
    let ranking = analyzer.bottlenecks();
    let pacing = analyzer.pacing();
    let _ = if args.report.json {
        let value = analysis_json(&doc, &ranking, &pacing, args.report.scenario.as_deref());
        serde_json::to_writer_pretty(&mut *out, &value).map_err(std::io::Error::from).and_then(|()| writeln!(out))
    } else {
        write_analysis(out, &args.file, (&doc, analyzer.evaluation()), &ranking, &pacing, lang)
    };
    Ok(code)
}

/// The `analyze --json` object (docs/FORMAT.md, "Extensions").
pub fn analysis_json(doc: &Document, ranking: &[Bottleneck], pacing: &Pacing, scenario: Option<&str>) -> Value {
    let node = |id: &NodeId| doc.node(id);
    let name = |id: &NodeId| node(id).map_or("", |n| n.name.as_str()).to_owned();
    let unit = |id: &NodeId| node(id).map_or("", |n| n.unit_str()).to_owned();
    let bottlenecks: Vec<Value> = ranking
        .iter()
        .map(|b| {
            let leaf = node(&b.node);
            json!({
                "rank": b.rank,
                "node": b.node.as_str(),
                "name": name(&b.node),
                "target": opt(leaf.and_then(|n| n.target)),
                "actual": opt(leaf.and_then(|n| n.actual)),
                "unit": unit(&b.node),
                "goal": b.goal.as_str(),
                "goal_name": name(&b.goal),
                "goal_unit": unit(&b.goal),
                "goal_target": opt(b.goal_target),
                "goal_actual": number(b.goal_actual),
                "goal_if_reached": number(b.goal_if_reached),
                "gain": number(b.gain),
                "share_of_gap": opt(b.share_of_gap),
            })
        })
        .collect();
    let paces: Vec<Value> = pacing
        .nodes
        .iter()
        .map(|p| {
            json!({
                "node": p.node.as_str(),
                "name": name(&p.node),
                "rule": p.rule.as_str(),
                "elapsed": number(p.elapsed),
                "expected_progress": number(p.expected_progress),
                "expected_actual": number(p.expected_actual),
                "actual": number(p.actual),
                "progress": number(p.progress),
                "status": p.status.as_str(),
            })
        })
        .collect();
    json!({
        "scenario": scenario,
        "bottlenecks": bottlenecks,
        "pacing": {
            "as_of": pacing.as_of.map(|d| d.to_string()),
            "elapsed": opt(pacing.elapsed),
            "nodes": paces,
        },
    })
}

fn write_analysis(
    out: &mut impl Write,
    file: &Path,
    (doc, eval): (&Document, &Evaluation),
    ranking: &[Bottleneck],
    pacing: &Pacing,
    lang: Lang,
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
    for b in ranking {
        if goal != Some(&b.goal) {
            goal = Some(&b.goal);
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
        let leaf = doc.node(&b.node);
        let lu = unit(&b.node);
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
            for p in &pacing.nodes {
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

/// Runs `kpitree seek`.
pub fn seek(args: &SeekArgs, out: &mut impl Write) -> Result<i32, String> {
    let lang = lang_of(args.report.lang);
    let doc = load(&args.file, args.report.scenario.as_deref())?;
    let analyzer = Analyzer::new(&doc);
    let answer = match analyzer.seek(&args.node, args.ancestor.as_deref()) {
        Ok(s) => s,
        // Asking about a node that is not there, or not below the ancestor, is a usage error.
        Err(e @ (AnalysisError::UnknownNode(_) | AnalysisError::NotBelow { .. } | AnalysisError::NoGoal(_))) => {
            return Err(e.message(lang));
        }
        Err(e) => {
            eprintln!("kpitree: {}", super::term(&e.message(lang)));
            return Ok(EXIT_MODEL_ERRORS);
        }
    };
    let code = if analyzer.evaluation().has_errors() { EXIT_MODEL_ERRORS } else { EXIT_OK };
    let _ = if args.report.json {
        serde_json::to_writer_pretty(&mut *out, &seek_json(&doc, &answer))
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        write_seek(out, (&doc, analyzer.evaluation()), &answer, lang)
    };
    Ok(code)
}

/// The `seek --json` object (docs/FORMAT.md, "Extensions").
pub fn seek_json(doc: &Document, s: &Seek) -> Value {
    let unit = |id: &NodeId| doc.node(id).map_or("", |n| n.unit_str()).to_owned();
    json!({
        "node": s.node.as_str(),
        "unit": unit(&s.node),
        "required": number(s.required),
        "current": opt(s.current),
        "change": opt(s.change),
        "ancestor": s.ancestor.as_str(),
        "ancestor_unit": unit(&s.ancestor),
        "ancestor_target": number(s.ancestor_target),
        "ancestor_actual": opt(s.ancestor_actual),
    })
}

fn write_seek(
    out: &mut impl Write,
    (doc, eval): (&Document, &Evaluation),
    s: &Seek,
    lang: Lang,
) -> std::io::Result<()> {
    let name = |id: &NodeId| doc.node(id).map_or("", |n| n.name.as_str());
    let shown = |id: &NodeId, which| doc.node(id).map_or("", |n| eval.shown_unit(n, which));
    let unit = |id: &NodeId| shown(id, Which::Actual);
    let here = |c: f64| amount(Some(c), unit(&s.node));
    let now = match (s.current, s.change, lang) {
        (Some(c), Some(ch), Lang::Ja) => {
            format!("(現在 {}、{})", here(c), crate::eval::format_change(ch, 1))
        }
        (Some(c), Some(ch), Lang::En) => {
            format!("(now {}, {})", here(c), crate::eval::format_change(ch, 1))
        }
        (Some(c), None, Lang::Ja) => format!("(現在 {})", here(c)),
        (Some(c), None, Lang::En) => format!("(now {})", here(c)),
        (None, _, _) => lang.pick("(現在の実績なし)", "(no actual yet)").to_owned(),
    };
    let au = unit(&s.ancestor);
    let (goal, node) = (name(&s.ancestor), name(&s.node));
    let target = amount(Some(s.ancestor_target), shown(&s.ancestor, Which::Target));
    let need = amount(Some(s.required), unit(&s.node));
    let goal_now = amount(s.ancestor_actual, au);
    let sentence = match lang {
        Lang::Ja => format!(
            "「{goal}」が目標 {target} に届くには、「{node}」の実績が {need} 必要です {now}(「{goal}」の現在の実績 {goal_now})"
        ),
        Lang::En => format!(
            "For \"{goal}\" to reach its target {target}, \"{node}\" needs an actual of {need} {now}; \"{goal}\" is at {goal_now} now."
        ),
    };
    put(out, &sentence)
}
