//! `kpitree analyze` and `kpitree seek`.
//!
//! This file holds the arguments, the loading both commands share and
//! `analyze` itself; `report` writes the analysis as JSON or text, `chart`
//! draws its chart, and `seek` runs `kpitree seek`.

mod chart;
mod report;
mod seek;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::{Args, ValueEnum};
use serde_json::Value;

pub use seek::seek;

use super::explain::Explained;
use super::messages::Msg;
use super::stdio::{self, is_dash};
use super::{EXIT_MODEL_ERRORS, EXIT_OK, LangArg};
use crate::eval::Which;
use crate::eval::analysis::Analyzer;
use crate::eval::attribution::Method;
use crate::eval::explain::ExplainOptions;
use crate::io;
use crate::io::json_number as number;
use crate::lang::Lang;
use crate::model::{Document, scenario};
use chart::write_chart;
use report::{Report, write_analysis};

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
    /// Rows per goal (and of the pacing) in the text report, largest first (0 for all): the rest are counted; --json and --csv list every row.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,
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

/// Runs `kpitree analyze`, writing to `out` (buffered by the caller: the
/// JSON report is written a few bytes at a time).
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
        crate::io::json_stream::to_writer_pretty(&mut *out, &report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
            .and_then(|()| out.flush())
    } else if args.csv {
        explained.write_csv(out, &doc)
    } else {
        write_analysis(out, &args.file, (&doc, analyzer.evaluation()), &ranking, &pacing, (args.top, lang))
            .and_then(|()| explained.write_text(out, &doc, (args.top, lang)))
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
