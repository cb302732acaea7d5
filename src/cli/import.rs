//! `kpitree import FILE --from DATA`: actuals (or targets) per period from a
//! spreadsheet or CSV into the document's series. Every row is checked
//! before anything is written; a failed row stops the import (exit 2, the
//! file untouched) unless `--skip-bad`.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::messages::import_error;
use super::stdio::{self, is_dash};
use super::{EXIT_BAD_INPUT, EXIT_OK, LangArg, put};
use crate::io::import::{self, Import, Options};
use crate::lang::Lang;

/// The arguments of `kpitree import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The .kpitree.json document to import into (- for standard input: the result then goes to standard output).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The spreadsheet or CSV to read (xlsx, xls, ods, csv; CSV in UTF-8 or Shift_JIS).
    #[arg(long)]
    pub from: PathBuf,
    /// The sheet to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The values of a wide file (one column per period) are targets, not actuals.
    #[arg(long)]
    pub targets: bool,
    /// Write the result here instead of over FILE (- for standard output).
    #[arg(long, short, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Only report what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import the rows that read and leave out the ones that fail (else any failed row stops the import).
    #[arg(long)]
    pub skip_bad: bool,
    /// Language of the report (default: from the locale).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
}

/// Runs `kpitree import`.
pub fn run(args: &ImportArgs, stdout: &mut impl Write) -> Result<i32, String> {
    let lang = args.lang.map_or_else(Lang::from_env, Lang::from);
    let doc = stdio::load_document(&args.file, lang)?;
    let opts = Options { targets: args.targets };
    let found = import::read(&doc, &args.from, args.sheet.as_deref(), opts)
        .map_err(|e| format!("{}: {}", args.from.display(), import_error(&e, lang)))?;
    // When the document itself goes to standard output, the report goes
    // to standard error, so that the pipe carries the document alone.
    let target = match &args.output {
        Some(o) => o.clone(),
        None => args.file.clone(),
    };
    let to_stdout = is_dash(&target);
    let mut stderr = std::io::stderr().lock();
    let out: &mut dyn Write = if to_stdout { &mut stderr } else { &mut *stdout };
    let _ = report(out, args, &doc, &found, lang);
    if !found.failures.is_empty() && !args.skip_bad {
        let _ = writeln!(
            out,
            "{}",
            lang.pick(
                "行の読み込みに失敗したため、何も書き込みませんでした (--skip-bad で読めた行だけ取り込めます)",
                "Nothing was written because rows failed (--skip-bad imports the rows that read)"
            )
        );
        return Ok(EXIT_BAD_INPUT);
    }
    if args.dry_run {
        return Ok(EXIT_OK);
    }
    let mut updated = doc.clone();
    if let Some(edit) = import::edit(&doc, &found) {
        edit.apply(&mut updated);
    }
    if to_stdout {
        let json = crate::io::json_stream::DocumentJson::new(&updated);
        let _ = crate::io::json_stream::write_json(stdout, &json, crate::io::json_stream::Form::Pretty);
    } else if args.output.is_some() || !found.changes.is_empty() {
        crate::io::save(&target, &updated).map_err(|e| crate::io::error_message(&e, lang))?;
        let _ = put(out, &format!("{} {}", lang.pick("書き込み:", "Wrote"), target.display()));
    }
    Ok(EXIT_OK)
}

fn report(
    out: &mut dyn Write,
    args: &ImportArgs,
    doc: &crate::Document,
    found: &Import,
    lang: Lang,
) -> std::io::Result<()> {
    let layout = found.layout.name(lang);
    put(out, &format!("{} ← {} [{layout}]", args.file.display(), args.from.display()))?;
    let values = found.changes.len() + found.unchanged;
    put(
        out,
        &match lang {
            Lang::Ja => format!(
                "  {} 行、値 {values} 個: 変更 {}、同じ値 {}",
                found.matched_rows,
                found.changes.len(),
                found.unchanged
            ),
            Lang::En => format!(
                "  {} rows matched, {values} values: {} changed, {} unchanged",
                found.matched_rows,
                found.changes.len(),
                found.unchanged
            ),
        },
    )?;
    for c in &found.changes {
        let node = doc.node(&c.node);
        let name = node.map_or(c.node.as_str(), |n| n.name.as_str());
        let unit = node.map_or("", |n| n.unit_str());
        let which = if c.target { lang.pick("目標", "target") } else { lang.pick("実績", "actual") };
        put(
            out,
            &format!(
                "  {name} ({}) {} {which}: {} → {}",
                c.node,
                c.label,
                crate::format::amount(c.old, unit),
                crate::format::amount(Some(c.new), unit)
            ),
        )?;
    }
    if !found.failures.is_empty() {
        writeln!(out)?;
        put(out, &format!("{} ({})", lang.pick("読めなかった行", "Rows that failed"), found.failures.len()))?;
        for f in &found.failures {
            put(out, &format!("  {}", f.message(lang)))?;
        }
    }
    Ok(())
}
