//! The command line: `kpitree check`, `templates`, `new`, `export`,
//! `analyze`, `seek`, `import`, `completions` and `man`.
//!
//! Exit status, as `docs/FORMAT.md` says: 0 when no diagnostic is an error,
//! 1 when one is, 2 when a file cannot be read or written or is not a valid
//! document, or the command line is wrong (the message on stderr).
//!
//! Unix conventions, as ripgrep keeps them: `-` is standard input (a
//! document) or standard output (`-o -`); output that cannot be written is
//! an error (exit 2), a reader that stops reading ends the command quietly;
//! `--color` and `NO_COLOR`; `--version` and `--lang` on every subcommand;
//! a mistyped subcommand is an error with a suggestion, never the editor.
//!
//! Text output never passes control characters from a file to the terminal:
//! [`term`] escapes them in names, ids, units, titles and messages (JSON
//! output is escaped by the JSON writer).

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use crate::eval::{Evaluation, Severity, Which, evaluate};
use crate::lang::Lang;
use crate::model::{Document, Kind};
use crate::{io, templates};

mod analyze;
pub mod docs;
mod explain;
mod export;
mod import;
mod merge;
pub mod messages;
mod room;
pub mod stdio;

use messages::Msg;
use stdio::is_dash;

/// The arguments of `kpitree`.
#[derive(Debug, Parser)]
#[command(
    name = "kpitree",
    version,
    about = "KPI trees that calculate and check themselves: an editor, a checker and an exporter",
    long_about = "KPI trees that calculate and check themselves.\n\n\
        Without a subcommand, kpitree opens the editor (on FILE, or on a built-in example).\n\
        Documents are .kpitree.json files; see docs/FORMAT.md (and the JSON Schema\n\
        /usr/share/kpitree/kpitree.schema.json).\n\n\
        FILE arguments may be - for standard input, and -o - writes to standard output.\n\n\
        Exit status: 0 no errors in the model; 1 the model has errors; 2 a file cannot be\n\
        read or written, is not a document, or the command line is wrong.",
    after_help = "Run `kpitree help SUBCOMMAND` or `man kpitree-SUBCOMMAND` for a subcommand's options.",
    // A global option (--color) may come before the subcommand, so FILE does
    // not conflict with subcommands: a word that names one is that subcommand.
    subcommand_precedence_over_arg = true,
    propagate_version = true
)]
pub struct Args {
    /// What to do; without one, open the editor.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A .kpitree.json file to open in the editor.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Options every subcommand has.
    #[command(flatten)]
    pub global: Global,
}

/// The options of every subcommand.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct Global {
    /// When to colour the output: auto (a terminal, and NO_COLOR unset), always or never.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto, global = true)]
    pub color: ColorArg,
}

/// The `--color` values.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

impl ColorArg {
    /// Whether to colour output to standard output.
    pub fn enabled(self) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// A subcommand.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate a document and list its diagnostics (exit 0: no errors, 1: errors, 2: unreadable file).
    Check {
        /// The .kpitree.json file (- for standard input).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Print one JSON object with diagnostics and values.
        #[arg(long)]
        json: bool,
        /// Language of the messages (default: from the locale).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// List the built-in templates.
    Templates {
        /// Language of the messages (default: from the locale).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Write a new document from a built-in template, or from an outline (text, Markdown, spreadsheet).
    New {
        /// The template's name (see `kpitree templates`).
        #[arg(long, short, value_name = "NAME", required_unless_present = "from", conflicts_with = "from")]
        template: Option<String>,
        /// An outline to make the tree from: indented text or a Markdown list (.txt, .md), or a spreadsheet or
        /// CSV with one column per level (.xlsx, .xls, .ods, .csv). One node a line:
        /// `[operator] name [(unit)] [[KSF]] [: target [/ actual]]`.
        #[arg(long)]
        from: Option<PathBuf>,
        /// The sheet of a spreadsheet outline (default: the first).
        #[arg(long, requires = "from")]
        sheet: Option<String>,
        /// The file to write (- for standard output).
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
        /// Overwrite the file if it exists.
        #[arg(long)]
        force: bool,
        /// Language of the messages (default: from the locale).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Export the diagram (PNG, SVG, PDF) or the document with its values (JSON); format from OUT's extension.
    Export(export::ExportArgs),
    /// Rank the bottlenecks (what each leaf KPI reaching its target would gain the goal) and show pacing.
    Analyze(analyze::AnalyzeArgs),
    /// The actual a KPI must reach for an ancestor (default: its goal) to hit its target.
    Seek(analyze::SeekArgs),
    /// Import actuals (or targets) per period from a spreadsheet or CSV into a document's series.
    Import(import::ImportArgs),
    /// Merge two copies of a document edited apart (A and B, from BASE) as a room merges them.
    Merge(merge::MergeArgs),
    /// Keep a room on this machine for editors on the network to join, saving its tree to FILE as it changes.
    Serve(room::ServeArgs),
    /// Take part in a room without a window (for scripts).
    Room(room::RoomArgs),
    /// Print the JSON Schema of .kpitree.json documents (draft 2020-12), for editors and validators.
    Schema {
        /// Write it to this file instead of standard output.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Language of the messages (default: from the locale).
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// Print a shell's completion script (bash, zsh, fish, powershell or elvish).
    Completions(docs::CompletionsArgs),
    /// Print the manual page of kpitree or of one subcommand (roff), or write them all to a folder.
    Man(docs::ManArgs),
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

/// The language a subcommand speaks: its `--lang`, else the locale's.
fn lang_of(arg: Option<LangArg>) -> Lang {
    arg.map_or_else(Lang::from_env, Lang::from)
}

impl Command {
    /// The language of the subcommand's messages.
    pub fn lang(&self) -> Lang {
        lang_of(match self {
            Command::Check { lang, .. }
            | Command::Templates { lang }
            | Command::New { lang, .. }
            | Command::Schema { lang, .. } => *lang,
            Command::Export(a) => a.lang,
            Command::Analyze(a) => a.report.lang,
            Command::Seek(a) => a.report.lang,
            Command::Import(a) => a.lang,
            Command::Merge(a) => a.lang,
            Command::Serve(a) => return a.lang(),
            Command::Room(a) => return a.lang(),
            Command::Completions(a) => a.lang,
            Command::Man(a) => a.lang,
        })
    }
}

/// The command line of this process, parsed; a usage error (an unknown
/// subcommand, a missing argument) is printed and ends the process with
/// exit 2, `--help` and `--version` with exit 0.
pub fn parse() -> Args {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    parse_from(argv.clone()).unwrap_or_else(|e| {
        // clap speaks English: an error under --lang ja (or a Japanese
        // locale) is said in Japanese where the catalogue knows it.
        if e.use_stderr()
            && messages::lang_of_argv(&argv) == Lang::Ja
            && let Some(text) = messages::clap_error_ja(&e)
        {
            let _ = std::io::stderr().write_all(text.as_bytes());
            std::process::exit(EXIT_BAD_INPUT);
        }
        e.exit()
    })
}

/// `argv` parsed as [`parse`] does. A first argument that names no
/// subcommand and no file, and looks like a word rather than a path
/// (`kpitree chek f.json`), is an unknown subcommand: clap's error with the
/// subcommand it resembles, instead of the editor opening on a file named
/// "chek".
pub fn parse_from<I, T>(argv: I) -> Result<Args, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let argv: Vec<std::ffi::OsString> = argv.into_iter().map(Into::into).collect();
    if let Some(word) = argv.get(1).and_then(|a| a.to_str())
        && looks_like_subcommand(word)
        && !Path::new(word).exists()
    {
        return Err(docs::unknown_subcommand(word));
    }
    Args::try_parse_from(argv)
}

/// A word (letters, digits, `-` and `_`, starting with a letter) that is
/// no subcommand: a file to open would have a dot or a slash.
fn looks_like_subcommand(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_alphabetic())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && Args::command().find_subcommand(word).is_none()
}

/// Runs a subcommand and returns the exit status.
pub fn run(command: Command, global: &Global) -> i32 {
    let lang = command.lang();
    // Stdout is line-buffered: unbuffered, the pretty JSON of a 100,000-node
    // check would cost one write system call per line (~700,000). Every
    // write error is kept, to be reported once at the end.
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, stdio::Recorded::new(std::io::stdout().lock()));
    let result = match command {
        Command::Check { file, json, lang: _ } => check(&file, json, lang, global.color.enabled(), &mut out),
        Command::Templates { .. } => list_templates(&mut out),
        Command::New { template, from, sheet, output, force, .. } => match (template, from) {
            (_, Some(from)) => new_from_outline(&from, sheet.as_deref(), &output, force, lang, &mut out),
            (Some(template), None) => new(&template, &output, force, lang, &mut out),
            (None, None) => Err(lang
                .pick(
                    "テンプレート (--template) かアウトライン (--from) を指定してください",
                    "name a template (--template) or an outline (--from)",
                )
                .to_owned()),
        },
        Command::Export(args) => export::run(&args, &mut out),
        Command::Analyze(args) => analyze::analyze(&args, &mut out),
        Command::Seek(args) => analyze::seek(&args, &mut out),
        Command::Import(args) => import::run(&args, &mut out),
        Command::Merge(args) => merge::run(&args, &mut out),
        Command::Serve(args) => room::serve(&args, &mut out),
        Command::Room(args) => match &args.command {
            room::RoomCommand::Sync(a) => room::sync(a, lang, &mut out),
        },
        Command::Schema { output, .. } => write_schema(output.as_deref(), lang, &mut out),
        Command::Completions(args) => docs::completions(&args, &mut out),
        Command::Man(args) => docs::man(&args, &mut out),
    };
    let flushed = out.flush();
    let write_error = out.get_mut().take_error().or(flushed.err());
    match result {
        Err(message) => {
            stdio::warn(&message);
            EXIT_BAD_INPUT
        }
        Ok(code) => match write_error.as_ref().map(|e| stdio::after_write_error(e, lang)) {
            // Output was lost: never a silent success.
            Some(Some(message)) => {
                stdio::warn(&message);
                EXIT_BAD_INPUT
            }
            // The reader went away (`| head`): quietly, with the command's own status.
            Some(None) | None => code,
        },
    }
}

/// Whether `c` must not reach a terminal as it is: C0 and C1 control
/// characters (escape sequences, bells, carriage returns, newlines inside
/// a name) and the bidirectional controls that make text display in another
/// order than it is (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C).
fn unsafe_for_terminal(c: char) -> bool {
    matches!(c as u32, 0..=0x1f | 0x7f..=0x9f | 0x200e | 0x200f | 0x061c | 0x202a..=0x202e | 0x2066..=0x2069)
}

/// `text` with every character `unsafe_for_terminal` written as `\u{1b}`,
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
pub(crate) fn put(out: &mut (impl Write + ?Sized), text: &str) -> std::io::Result<()> {
    writeln!(out, "{}", term(text))
}

/// Refuses to write `output` over `input` (the same file, also through a
/// symbolic link or another spelling of the path); `-` is no file.
pub(crate) fn refuse_overwriting_input(input: &Path, output: &Path, lang: Lang) -> Result<(), String> {
    if !is_dash(input) && !is_dash(output) && same_file(input, output) {
        return Err(
            Msg::OutputIsInput { output: output.display().to_string(), input: input.display().to_string() }.text(lang)
        );
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

fn check(file: &Path, json: bool, lang: Lang, color: bool, out: &mut impl Write) -> Result<i32, String> {
    let doc = stdio::load_document(file, lang)?;
    let file: &Path = if is_dash(file) { Path::new(stdio::STDIN_NAME) } else { file };
    let mut eval = evaluate(&doc);
    eval.diagnostics.extend(crate::export::glyph_diagnostics(&doc));
    let code = if eval.has_errors() { EXIT_MODEL_ERRORS } else { EXIT_OK };
    // A closed pipe (`kpitree check f | head`) is not the model's fault.
    let _ = if json {
        // Written as it is made: a long cycle has a diagnostic per node.
        crate::io::json_stream::to_writer_pretty(&mut *out, &eval.report(&doc, lang))
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out))
    } else {
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

/// `kpitree schema`: the JSON Schema to standard output or a file.
fn write_schema(output: Option<&Path>, lang: Lang, out: &mut impl Write) -> Result<i32, String> {
    let text = io::schema::schema_text();
    match output {
        Some(path) if !is_dash(path) => {
            io::write_atomic(path, |f| f.write_all(text.as_bytes())).map_err(|e| io::error_message(&e, lang))?;
        }
        _ => {
            let _ = out.write_all(text.as_bytes());
        }
    }
    Ok(EXIT_OK)
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
    lang: Lang,
    out: &mut impl Write,
) -> Result<i32, String> {
    if output.exists() && !force {
        return Err(format!("{} already exists; use --force to overwrite it", output.display()));
    }
    refuse_overwriting_input(from, output, lang)?;
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

fn new(template: &str, output: &Path, force: bool, lang: Lang, out: &mut impl Write) -> Result<i32, String> {
    let Some(t) = templates::find(template) else {
        let names: Vec<&str> = templates::ALL.iter().map(|t| t.name).collect();
        return Err(Msg::NoTemplate { name: template.to_owned(), names: names.join(", ") }.text(lang));
    };
    let doc = t.document().map_err(|e| messages::load_error(&e, lang))?;
    if is_dash(output) {
        // The document as a save writes it, to the pipe.
        let json = io::json_stream::DocumentJson::new(&doc);
        let _ = io::json_stream::write_json(out, &json, io::json_stream::Form::Pretty);
        return Ok(EXIT_OK);
    }
    if output.exists() && !force {
        return Err(Msg::Exists(output.display().to_string()).text(lang));
    }
    io::check_target(output).map_err(|e| io::error_message(&e, lang))?;
    // The error names the file and says why (a folder, a device, read-only,
    // a link of someone else…).
    io::save(output, &doc).map_err(|e| io::error_message(&e, lang))?;
    let _ = writeln!(out, "{}", term(&output.display().to_string()));
    Ok(EXIT_OK)
}
