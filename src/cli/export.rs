//! `kpitree export`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{EXIT_MODEL_ERRORS, EXIT_OK, LangArg};
use crate::eval::evaluate;
use crate::export::{ExportOptions, Format, Theme, check_request, export, json_export};
use crate::io;
use crate::lang::Lang;
use crate::model::NodeId;

/// The arguments of `kpitree export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The .kpitree.json file.
    pub file: PathBuf,
    /// The file to write: .png, .svg, .pdf, .json, .xlsx (live formulas), .pptx (editable shapes), .md or .txt (outline),
    /// .mmd (Mermaid); the format follows the extension.
    #[arg(long, short)]
    pub output: PathBuf,
    /// PNG pixels per diagram pixel, 1 to 4.
    #[arg(long, default_value_t = 2.0)]
    pub scale: f32,
    /// A transparent background instead of white.
    #[arg(long)]
    pub transparent: bool,
    /// Cards without targets, actuals and progress bars.
    #[arg(long)]
    pub no_values: bool,
    /// Export only this node and everything below it.
    #[arg(long, value_name = "ID")]
    pub root: Option<String>,
    /// The look: standard (outlined cards) or slide (light tinted cards, larger title).
    #[arg(long, value_enum, default_value_t = ThemeArg::Standard)]
    pub theme: ThemeArg,
    /// Pad the picture to 16:9, the shape of a slide.
    #[arg(long = "fit-16x9")]
    pub fit_16_9: bool,
    /// Language of the labels and of the JSON messages (default: from the locale).
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// Which values the cards show: full (the whole period), ytd (year to date) or one period (2026-06, FY2026-Q2).
    #[arg(long, value_name = "full|ytd|LABEL", default_value = "full", value_parser = parse_shown)]
    pub period: crate::export::Shown,
    /// PowerPoint: the overview only, or the overview and one slide per KSF subtree.
    #[arg(long, value_enum, default_value_t = SlidesArg::Overview)]
    pub slides: SlidesArg,
}

/// The `--slides` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SlidesArg {
    /// The whole tree on one slide.
    Overview,
    /// The overview, then one slide per KSF subtree.
    Subtrees,
}

/// `--period`: `full`, `ytd` or a period label.
fn parse_shown(text: &str) -> Result<crate::export::Shown, String> {
    use crate::export::Shown;
    match text {
        "full" => Ok(Shown::Full),
        "ytd" => Ok(Shown::YearToDate),
        label => crate::model::Label::parse(label)
            .map(Shown::Period)
            .ok_or_else(|| format!("\"{label}\" is not full, ytd or a period label (2026-06, FY2026-Q2)")),
    }
}

/// The `--theme` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ThemeArg {
    /// White cards outlined in the colour of their kind.
    Standard,
    /// Light tinted cards for a white slide.
    Slide,
}

/// Runs `kpitree export`: exit 0 when written, 1 when written but the model
/// has errors (as `check`), 2 when the input cannot be read or the output
/// cannot be written.
pub fn run(args: &ExportArgs, _out: &mut impl Write) -> Result<i32, String> {
    let Some(format) = Format::from_path(&args.output) else {
        return Err(format!("{}: the output's extension must be {}", args.output.display(), Format::EXTENSIONS));
    };
    super::refuse_overwriting_input(&args.file, &args.output)?;
    let lang = args.lang.map_or_else(Lang::from_env, Lang::from);
    io::check_target(&args.output).map_err(|e| io::error_message(&e, lang))?;
    let doc = io::load(&args.file).map_err(|e| e.to_string())?;
    let opts = ExportOptions {
        scale: args.scale,
        transparent: args.transparent,
        values: !args.no_values,
        theme: match args.theme {
            ThemeArg::Standard => Theme::Standard,
            ThemeArg::Slide => Theme::Slide,
        },
        root: args.root.as_deref().map(NodeId::from),
        fit_16_9: args.fit_16_9,
        lang,
        shown: args.period,
    };
    // Too many cards, a bad scale or root: said before the evaluation.
    check_request(&doc, format, &opts).map_err(|e| e.to_string())?;
    let eval = evaluate(&doc);
    // Follows a symbolic link that may be followed, refuses other links,
    // folders, devices, FIFOs and read-only files; the message names the output.
    let written = if format == Format::Json {
        // Straight to the file, pretty or compact as a save would be.
        let json = json_export(&doc, &eval, &opts).map_err(|e| e.to_string())?;
        io::write_atomic(&args.output, |f| json.write_to(f))
    } else {
        let bytes = match (format, args.slides) {
            (Format::Pptx, SlidesArg::Subtrees) => {
                crate::export::pptx::to_pptx(&doc, &eval, &opts, crate::export::pptx::Slides::Subtrees)
            }
            _ => export(&doc, &eval, format, &opts),
        }
        .map_err(|e| e.to_string())?;
        io::write_atomic(&args.output, |f| f.write_all(&bytes))
    };
    written.map_err(|e| io::error_message(&e, lang))?;
    Ok(if eval.has_errors() { EXIT_MODEL_ERRORS } else { EXIT_OK })
}
