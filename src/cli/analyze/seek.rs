//! `kpitree seek`: the actual a node needs so that an ancestor reaches its
//! target, as a sentence or as JSON.

use std::io::Write;

use serde_json::{Value, json};

use super::{SeekArgs, lang_of, load, opt};
use crate::cli::{EXIT_MODEL_ERRORS, EXIT_OK, put};
use crate::eval::Evaluation;
use crate::eval::Which;
use crate::eval::analysis::{AnalysisError, Analyzer, Seek};
use crate::format::amount;
use crate::io::json_number as number;
use crate::lang::Lang;
use crate::model::{Document, NodeId};

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
            eprintln!("kpitree: {}", crate::cli::term(&e.message(lang)));
            return Ok(EXIT_MODEL_ERRORS);
        }
    };
    let code = if analyzer.evaluation().has_errors() { EXIT_MODEL_ERRORS } else { EXIT_OK };
    let _ = if args.report.json {
        crate::io::json_stream::to_writer_pretty(&mut *out, &seek_json(&doc, &answer))
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
