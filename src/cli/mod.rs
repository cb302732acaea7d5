//! The command line: `kpitree check`, `templates`, `new`, `export`,
//! `analyze` and `seek`.
//!
//! Exit status, as `docs/FORMAT.md` says: 0 when no diagnostic is an error,
//! 1 when one is, 2 when a file cannot be read or written or is not a valid
//! document (the message on stderr).
//!
//! Text output never passes control characters from a file to the terminal:
//! [`term`] escapes them in names, ids, units, titles and messages (JSON
//! output is escaped by the JSON writer).

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::eval::{Evaluation, Severity, Which, evaluate};
use crate::lang::Lang;
use crate::model::{Document, Kind};
use crate::{io, templates};

mod analyze;
mod explain;
mod export;
mod import;

/// The arguments of `kpitree`.
#[derive(Debug, Parser)]
#[command(
    name = "kpitree",
    version,
    about = "KPI trees that calculate and check themselves: an editor, a checker and an exporter",
    long_about = "KPI trees that calculate and check themselves.\n\n\
        Without a subcommand, kpitree opens the editor (on FILE, or on a built-in example).\n\
        Documents are .kpitree.json files; see docs/FORMAT.md.",
    args_conflicts_with_subcommands = true
)]
pub struct Args {
    /// What to do; without one, open the editor.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A .kpitree.json file to open in the editor.
    pub file: Option<PathBuf>,
}

/// A subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate a document and list its diagnostics (exit 0: no errors, 1: errors, 2: unreadable file).
    Check {
        /// The .kpitree.json file.
        file: PathBuf,
        /// Print one JSON object with diagnostics and values.
        #[arg(long)]
        json: bool,
        /// Language of the messages (default: from the locale).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// List the built-in templates.
    Templates,
    /// Write a new document from a built-in template, or from an outline (text, Markdown, spreadsheet).
    New {
        /// The template's name (see `kpitree templates`).
        #[arg(long, short, required_unless_present = "from", conflicts_with = "from")]
        template: Option<String>,
        /// An outline to make the tree from: indented text or a Markdown list (.txt, .md), or a spreadsheet or
        /// CSV with one column per level (.xlsx, .xls, .ods, .csv). One node a line:
        /// `[operator] name [(unit)] [[KSF]] [: target [/ actual]]`.
        #[arg(long)]
        from: Option<PathBuf>,
        /// The sheet of a spreadsheet outline (default: the first).
        #[arg(long, requires = "from")]
        sheet: Option<String>,
        /// The file to write.
        #[arg(long, short)]
        output: PathBuf,
        /// Overwrite the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Export the diagram (PNG, SVG, PDF) or the document with its values (JSON); format from OUT's extension.
    Export(export::ExportArgs),
    /// Rank the bottlenecks (what each leaf KPI reaching its target would gain the goal) and show pacing.
    Analyze(analyze::AnalyzeArgs),
    /// The actual a KPI must reach for an ancestor (default: its goal) to hit its target.
    Seek(analyze::SeekArgs),
    /// Import actuals (or targets) per period from a spreadsheet or CSV into a document's series.
    Import(import::ImportArgs),
}

/// The `--lang` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LangArg {
    /// 日本語
    Ja,
    /// English
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Ja => Lang::Ja,
            LangArg::En => Lang::En,
        }
    }
}

pub use crate::exit::{BAD_INPUT as EXIT_BAD_INPUT, MODEL_ERRORS as EXIT_MODEL_ERRORS, OK as EXIT_OK};

/// Runs a subcommand and returns the exit status.
pub fn run(command: Command) -> i32 {
    // Stdout is line-buffered: unbuffered, the pretty JSON of a 100,000-node
    // check would cost one write system call per line (~700,000).
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let result = match command {
        Command::Check { file, json, lang } => {
            check(&file, json, lang.map_or_else(Lang::from_env, Lang::from), &mut out)
        }
        Command::Templates => list_templates(&mut out),
        Command::New { template, from, sheet, output, force } => match (template, from) {
            (_, Some(from)) => new_from_outline(&from, sheet.as_deref(), &output, force, &mut out),
            (Some(template), None) => new(&template, &output, force, &mut out),
            (None, None) => Err("name a template (--template) or an outline (--from)".to_owned()),
        },
        Command::Export(args) => export::run(&args, &mut out),
        Command::Analyze(args) => analyze::analyze(&args, &mut out),
        Command::Seek(args) => analyze::seek(&args, &mut out),
        Command::Import(args) => import::run(&args, &mut out),
    };
    let _ = out.flush();
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("kpitree: {}", term(&message));
            EXIT_BAD_INPUT
        }
    }
}

/// Whether `c` must not reach a terminal as it is: C0 and C1 control
/// characters (escape sequences, bells, carriage returns, newlines inside
/// a name) and the bidirectional controls that make text display in another
/// order than it is (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).
fn unsafe_for_terminal(c: char) -> bool {
    matches!(c as u32, 0..=0x1f | 0x7f..=0x9f | 0x200e | 0x200f | 0x061c | 0x202a..=0x202e | 0x2066..=0x2069)
}

/// `text` with every character [`unsafe_for_terminal`] written as `\u{1b}`,
/// so that a document cannot move the cursor, retitle the window, ring the
/// bell or reorder what `check`, `analyze` and `seek` print.
pub fn term(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_for_terminal(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes one line of text output, escaped with [`term`].
pub(crate) fn put(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    writeln!(out, "{}", term(text))
}

/// Refuses to write `output` over `input` (the same file, also through a
/// symbolic link or another spelling of the path).
pub(crate) fn refuse_overwriting_input(input: &Path, output: &Path) -> Result<(), String> {
    if same_file(input, output) {
        return Err(format!(
            "{}: the output is the input file {}; choose another output file",
            output.display(),
            input.display()
        ));
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) else { return false };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (ma.dev(), ma.ino()) == (mb.dev(), mb.ino())
    }
    #[cfg(not(unix))]
    {
        let _ = (ma, mb);
        matches!((std::fs::canonicalize(a), std::fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
    }
}

fn check(file: &Path, json: bool, lang: Lang, out: &mut impl Write) -> Result<i32, String> {
    let doc = io::load(file).map_err(|e| e.to_string())?;
    let eval = evaluate(&doc);
    let code = if eval.has_errors() { EXIT_MODEL_ERRORS } else { EXIT_OK };
    // A closed pipe (`kpitree check f | head`) is not the model's fault.
    let _ = if json {
        // Written as it is made: a long cycle has a diagnostic per node.
        serde_json::to_writer_pretty(&mut *out, &eval.report(&doc, lang))
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
        let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        write_report(out, file, &doc, &eval, lang, color)
    };
    Ok(code)
}

/// The human-readable report of `kpitree check`: the goals at a glance, then
/// the diagnostics grouped by severity, then a one-line summary.
pub fn write_report(
    out: &mut impl Write,
    file: &Path,
    doc: &Document,
    eval: &Evaluation,
    lang: Lang,
    color: bool,
) -> std::io::Result<()> {
    let paint = |code: &str, text: &str| if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_owned() };
    let title = doc.title.as_deref().unwrap_or("");
    writeln!(out, "{} {}", paint("1", &term(&file.display().to_string())), term(title))?;
    let nodes = doc.nodes.len();
    let edges = doc.edges.len();
    writeln!(
        out,
        "  {}",
        lang.pick(&format!("ノード {nodes}、エッジ {edges}"), &format!("{nodes} nodes, {edges} edges"))
    )?;
    for node in doc.nodes.iter().filter(|n| n.kind == Kind::Kgi) {
        let Some(v) = eval.get(&node.id) else { continue };
        let num = |x: Option<f64>, which| crate::format::amount(x, eval.shown_unit(node, which));
        let pct = v.progress.map_or_else(String::new, |p| format!(" ({})", crate::format::percent(p, 1)));
        put(
            out,
            &format!(
                "  KGI {}: {} {} / {} {}{}",
                node.name,
                lang.pick("目標", "target"),
                num(v.target, Which::Target),
                lang.pick("実績", "actual"),
                num(v.actual, Which::Actual),
                pct
            ),
        )?;
        // With periods: the year to date and where the goal lands.
        if let Some(t) = eval.periods()
            && let Some(i) = eval.position(node.id.as_str())
            && let Some(y) = t.ytd(i)
        {
            let to = t.ytd_len.checked_sub(1).map_or_else(String::new, |p| t.calendar.name(t.spans[p], lang));
            let pct = y.progress.map_or_else(String::new, |p| format!(" ({})", crate::format::percent(p, 1)));
            let unit = node.unit_str();
            put(
                out,
                &format!(
                    "    {}: {} {} / {} {}{pct}; {} {}",
                    match lang {
                        Lang::Ja => format!("累計 (〜{to})"),
                        Lang::En => format!("year to date (to {to})"),
                    },
                    lang.pick("目標", "target"),
                    crate::format::amount(y.target, unit),
                    lang.pick("実績", "actual"),
                    crate::format::amount(y.actual, unit),
                    lang.pick("着地見込", "landing forecast"),
                    crate::format::amount(t.forecast(i), unit),
                ),
            )?;
        }
    }
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let group: Vec<_> = eval.diagnostics.iter().filter(|d| d.severity() == severity).collect();
        if group.is_empty() {
            continue;
        }
        let (mark, code) = match severity {
            Severity::Error => ("✗", "31"),
            Severity::Warning => ("!", "33"),
            Severity::Info => ("i", "36"),
        };
        writeln!(out)?;
        writeln!(out, "{}", paint(&format!("1;{code}"), &format!("{} ({})", severity.label(lang), group.len())))?;
        for d in group {
            let at = d.node.as_ref().map_or_else(String::new, |id| format!(" {id}:"));
            let text = format!("[{}]{} {}", d.code, at, d.message(lang));
            writeln!(out, "  {} {}", paint(code, mark), term(&text))?;
        }
    }
    let (e, w, i) = eval.counts();
    writeln!(out)?;
    let summary = match lang {
        Lang::Ja => format!("エラー {e}、警告 {w}、情報 {i}"),
        Lang::En => format!("{e} error(s), {w} warning(s), {i} info"),
    };
    let summary = if e > 0 {
        paint("1;31", &summary)
    } else if w > 0 {
        paint("1;33", &summary)
    } else {
        paint("1;32", &summary)
    };
    writeln!(out, "{summary}")
}

fn list_templates(out: &mut impl Write) -> Result<i32, String> {
    let width = templates::ALL.iter().map(|t| t.name.len()).max().unwrap_or(0);
    for t in templates::ALL {
        let _ = writeln!(out, "{:width$}  {} — {}", t.name, t.title(), t.description());
    }
    Ok(EXIT_OK)
}

/// `kpitree new --from OUTLINE`: the tree the outline describes, written
/// only when every line of it could be read.
fn new_from_outline(
    from: &Path,
    sheet: Option<&str>,
    output: &Path,
    force: bool,
    out: &mut impl Write,
) -> Result<i32, String> {
    let lang = Lang::from_env();
    if output.exists() && !force {
        return Err(format!("{} already exists; use --force to overwrite it", output.display()));
    }
    refuse_overwriting_input(from, output)?;
    let doc = match io::outline::read(from, sheet) {
        Ok(doc) => doc,
        // One problem a line (the terminal escape would show the breaks
        // between them as \u{a}).
        Err(io::outline::ReadError::Lines { file, errors }) => {
            eprintln!("kpitree: {}:", term(&file));
            for line in errors.message(lang).lines() {
                eprintln!("  {}", term(line));
            }
            return Ok(EXIT_BAD_INPUT);
        }
        Err(e) => return Err(e.message(lang)),
    };
    io::check_target(output).map_err(|e| io::error_message(&e, lang))?;
    io::save(output, &doc).map_err(|e| io::error_message(&e, lang))?;
    let _ = writeln!(out, "{}", term(&output.display().to_string()));
    Ok(EXIT_OK)
}

fn new(template: &str, output: &Path, force: bool, out: &mut impl Write) -> Result<i32, String> {
    let Some(t) = templates::find(template) else {
        let names: Vec<&str> = templates::ALL.iter().map(|t| t.name).collect();
        return Err(format!("no template named \"{template}\"; the templates are: {}", names.join(", ")));
    };
    if output.exists() && !force {
        return Err(format!("{} already exists; use --force to overwrite it", output.display()));
    }
    let lang = Lang::from_env();
    io::check_target(output).map_err(|e| io::error_message(&e, lang))?;
    let doc = t.document().map_err(|e| e.to_string())?;
    // The error names the file and says why (a folder, a device, read-only,
    // a link of someone else…).
    io::save(output, &doc).map_err(|e| io::error_message(&e, lang))?;
    let _ = writeln!(out, "{}", term(&output.display().to_string()));
    Ok(EXIT_OK)
}
