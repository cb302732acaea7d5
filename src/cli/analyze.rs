//! `kpitree analyze` and `kpitree seek`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Value, json};

use super::explain::{Explained, Seq};
use super::messages::Msg;
use super::stdio::{self, is_dash};
use super::{EXIT_MODEL_ERRORS, EXIT_OK, LangArg, put};
use crate::eval::analysis::{AnalysisError, Analyzer, Bottleneck, PaceStatus, Pacing, Seek};
use crate::eval::attribution::Method;
use crate::eval::explain::ExplainOptions;
use crate::eval::{Evaluation, Which};
use crate::export::chart::{Chart, ChartKind};
use crate::format::{amount, signed_amount as signed};
use crate::io;
use crate::io::json_num::{Num, OptNum};
use crate::io::json_number as number;
use crate::lang::Lang;
use crate::model::{Document, NodeId, scenario};

/// The arguments of `kpitree analyze`.
#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The .kpitree.json file (- for standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output, scenario and language.
    #[command(flatten)]
    pub report: ReportArgs,
    /// How a product's change is split among its factors: shapley (exact, symmetric), lmdi (log mean Divisia, positive values) or cost (quantity at target prices, then price).
    #[arg(long, value_enum, default_value_t = MethodArg::Shapley)]
    pub method: MethodArg,
    /// Move each input this many percent down and up for the sensitivity.
    #[arg(long, value_name = "PERCENT", default_value_t = 10.0, value_parser = parse_percent)]
    pub sensitivity: f64,
    /// Which values the sensitivity moves.
    #[arg(long, value_enum, default_value_t = WhichArg::Actual)]
    pub sensitivity_of: WhichArg,
    /// Print the attribution, sensitivity and scenario tables as CSV.
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Draw a chart to --output (.svg or .png): waterfall (the gap's parts), tornado (sensitivity) or scenarios.
    #[arg(long, value_enum, requires = "output")]
    pub chart: Option<ChartArg>,
    /// The chart's file.
    #[arg(long, short, requires = "chart")]
    pub output: Option<PathBuf>,
    /// The goal the chart is about (default: the first with values).
    #[arg(long, value_name = "ID")]
    pub goal: Option<String>,
}

/// The `--method` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum MethodArg {
    /// Shapley value.
    Shapley,
    /// LMDI-I.
    Lmdi,
    /// Cost accounting: quantity and price variances.
    Cost,
}

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Method {
        match m {
            MethodArg::Shapley => Method::Shapley,
            MethodArg::Lmdi => Method::Lmdi,
            MethodArg::Cost => Method::Cost,
        }
    }
}

/// The `--sensitivity-of` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum WhichArg {
    /// The actuals.
    Actual,
    /// The targets.
    Target,
}

/// The `--chart` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ChartArg {
    /// The gap from target to actual, part by part.
    Waterfall,
    /// The goal with each input lower and higher.
    Tornado,
    /// Each scenario's change to the goals.
    Scenarios,
}

/// `--sensitivity`: a percentage above 0 and at most 100.
fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').parse::<f64>() {
        Ok(p) if p > 0.0 && p <= 100.0 => Ok(p),
        _ => Err(format!("\"{text}\" is not a percentage above 0 and at most 100")),
    }
}

/// The arguments of `kpitree seek`.
#[derive(Debug, Args)]
pub struct SeekArgs {
    /// The .kpitree.json file (- for standard input).
    #[arg(value_name = "FILE")]
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

/// The document of `file` (standard input for `-`), with `scenario`
/// applied when one is named.
fn load(file: &Path, scenario_name: Option<&str>, lang: Lang) -> Result<Arc<Document>, String> {
    Ok(load_both(file, scenario_name, lang)?.1)
}

/// The document of `file` (standard input for `-`) as saved, and with
/// `scenario` applied.
fn load_both(file: &Path, scenario_name: Option<&str>, lang: Lang) -> Result<(Arc<Document>, Arc<Document>), String> {
    let doc = Arc::new(stdio::load_document(file, lang)?);
    let name = if is_dash(file) { stdio::STDIN_NAME.to_owned() } else { file.display().to_string() };
    if let Some(wanted) = scenario_name {
        let list =
            doc.scenarios.readable().map_err(|why| format!("{name}: {}", Msg::UnreadableScenarios(why).text(lang)))?;
        if !list.iter().any(|s| s.name == wanted) {
            let names: Vec<&str> = list.iter().map(|s| s.name.as_str()).collect();
            let msg = Msg::NoScenario { name: wanted.to_owned(), names: names.join(", ") };
            return Err(format!("{name}: {}", msg.text(lang)));
        }
    }
    let effective = scenario::effective(&doc, scenario_name).map_err(|e| format!("{name}: {e}"))?;
    Ok((doc, effective))
}

fn opt(x: Option<f64>) -> Value {
    x.map_or(Value::Null, number)
}

fn percent(x: f64) -> String {
    crate::format::percent(x, 1)
}

/// Runs `kpitree analyze`.
pub fn analyze(args: &AnalyzeArgs, out: &mut impl Write) -> Result<i32, String> {
    let lang = lang_of(args.report.lang);
    if args.output.as_deref().is_some_and(is_dash) {
        return Err(Msg::ChartToStdout.text(lang));
    }
    let (saved, doc) = load_both(&args.file, args.report.scenario.as_deref(), lang)?;
    let analyzer = Analyzer::shared(Arc::clone(&doc));
    let code = if analyzer.evaluation().has_errors() { EXIT_MODEL_ERRORS } else { EXIT_OK };
    if let Some(path) = &args.output {
        super::refuse_overwriting_input(&args.file, path, lang)?;
        io::check_target(path).map_err(|e| io::error_message(&e, lang))?;
    }
    let ranking = analyzer.bottlenecks();
    let pacing = analyzer.pacing();
    let explained = explain(&analyzer, &saved, args, lang);
    if let (Some(kind), Some(path)) = (args.chart, &args.output) {
        write_chart(&doc, &explained, kind, args.goal.as_deref(), path, lang)?;
    }
    let _ = if args.report.json {
        let report = Report {
            doc: &doc,
            ranking: &ranking,
            pacing: &pacing,
            scenario: args.report.scenario.as_deref(),
            explained: &explained,
        };
        let mut buffered = std::io::BufWriter::new(&mut *out);
        serde_json::to_writer_pretty(&mut buffered, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(buffered))
            .and_then(|()| buffered.flush())
    } else if args.csv {
        explained.write_csv(out, &doc)
    } else {
        write_analysis(out, &args.file, (&doc, analyzer.evaluation()), &ranking, &pacing, lang)
            .and_then(|()| explained.write_text(out, &doc, lang))
    };
    Ok(code)
}

/// The attribution, sensitivity and scenario comparison `args` ask for;
/// the scenarios compared with the document as saved.
fn explain(analyzer: &Analyzer, saved: &Arc<Document>, args: &AnalyzeArgs, lang: Lang) -> Explained {
    let options = ExplainOptions {
        method: Method::from(args.method),
        percent: args.sensitivity,
        which: match args.sensitivity_of {
            WhichArg::Actual => Which::Actual,
            WhichArg::Target => Which::Target,
        },
    };
    let e = analyzer.explain(saved, options);
    Explained {
        attribution: e.attribution.map_err(|x| x.message(lang)),
        method: options.method,
        sensitivity: (e.sensitivity, options.percent),
        comparison: e.comparison,
    }
}

/// Draws `kind` for `goal` (or the first goal that has one) to `path`, as
/// SVG or PNG by its extension.
fn write_chart(
    doc: &Document,
    explained: &Explained,
    kind: ChartArg,
    goal: Option<&str>,
    path: &Path,
    lang: Lang,
) -> Result<(), String> {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    let png = match ext.as_deref() {
        Some("svg") => false,
        Some("png") => true,
        _ => return Err(Msg::ChartExtension(path.display().to_string()).text(lang)),
    };
    if let Some(g) = goal
        && doc.node(&NodeId::from(g)).is_none()
    {
        return Err(Msg::NoSuchGoal(g.to_owned()).text(lang));
    }
    let for_goal = |id: &NodeId| goal.is_none_or(|g| id.as_str() == g);
    let kind = match kind {
        ChartArg::Waterfall => ChartKind::Waterfall,
        ChartArg::Tornado => ChartKind::Tornado,
        ChartArg::Scenarios => ChartKind::Scenarios,
    };
    let chart = match kind {
        ChartKind::Waterfall => {
            let list = explained.attribution.as_ref().map_err(Clone::clone)?;
            list.iter().find(|a| for_goal(&a.goal)).map(|a| Chart::waterfall(doc, a, explained.method, lang))
        }
        ChartKind::Tornado => {
            let (list, pct) = &explained.sensitivity;
            let mine: Vec<_> = list.iter().filter(|s| for_goal(&s.goal)).cloned().collect();
            Chart::tornado(doc, &mine, *pct, lang)
        }
        ChartKind::Scenarios => Chart::scenarios(doc, &explained.comparison, lang),
    };
    let Some(chart) = chart else {
        return Err(match kind {
            ChartKind::Waterfall => lang.pick(
                "差異分析のグラフにするゴールがありません (目標と実績のあるゴールが必要です)",
                "no goal to chart: the waterfall needs a goal with a target and an actual",
            ),
            ChartKind::Tornado => lang.pick(
                "感度のグラフにする KPI がありません (ゴールの下に値のある末端 KPI が必要です)",
                "nothing to chart: the tornado needs leaf KPIs with values below a goal",
            ),
            ChartKind::Scenarios => lang.pick("シナリオがありません", "the document has no scenarios"),
        }
        .to_owned());
    };
    let figure = chart.layout(880.0);
    let bytes = if png {
        figure.to_rgba(&chart.title, 2.0).and_then(|p| p.encode_png()).map_err(|e| e.to_string())?
    } else {
        figure.to_svg(&chart.title).into_bytes()
    };
    io::write_atomic(path, |f| f.write_all(&bytes)).map_err(|e| io::error_message(&e, lang))
}

/// The `analyze --json` object (docs/FORMAT.md, "Analysis"), serialised as
/// it is written: no tree of JSON values for a report on 100,000 nodes.
struct Report<'a> {
    doc: &'a Document,
    ranking: &'a [Bottleneck],
    pacing: &'a Pacing,
    scenario: Option<&'a str>,
    explained: &'a Explained,
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
        let name = |id: &NodeId| node(id).map_or("", |n| n.name.as_str());
        let unit = |id: &NodeId| node(id).map_or("", |n| n.unit_str());
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("scenario", &self.scenario)?;
        map.serialize_entry(
            "bottlenecks",
            &Seq(|| {
                self.ranking.iter().map(|b| {
                    let leaf = node(&b.node);
                    BottleneckJson {
                        rank: b.rank,
                        node: b.node.as_str(),
                        name: name(&b.node),
                        target: OptNum(leaf.and_then(|n| n.target)),
                        actual: OptNum(leaf.and_then(|n| n.actual)),
                        unit: unit(&b.node),
                        goal: b.goal.as_str(),
                        goal_name: name(&b.goal),
                        goal_unit: unit(&b.goal),
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
    let doc = load(&args.file, args.report.scenario.as_deref(), lang)?;
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
            format!("(現在 {}、{})", here(c), crate::format::signed_percent(ch, 1))
        }
        (Some(c), Some(ch), Lang::En) => {
            format!("(now {}, {})", here(c), crate::format::signed_percent(ch, 1))
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
