//! `kpitree export`.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::messages::{Msg, export_error};
use super::stdio::{self, is_dash};
use super::{EXIT_MODEL_ERRORS, EXIT_OK, LangArg};
use crate::eval::evaluate;
use crate::export::{ExportOptions, Format, SvgText, Theme, check_request, export, json_export};
use crate::io;
use crate::lang::Lang;
use crate::model::NodeId;

/// The arguments of `kpitree export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The .kpitree.json file (- for standard input).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The file to write: .png, .svg, .pdf, .json, .xlsx (live formulas), .pptx (editable shapes), .md or .txt
    /// (outline), .mmd (Mermaid); the format follows the extension. - for standard output.
    #[arg(long, short, value_name = "OUT")]
    pub output: PathBuf,
    /// The format, whatever OUT's extension (needed with -o -).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
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
    /// How an SVG carries its text: font (text with the glyphs of BIZ
    /// UDPGothic it uses embedded: searchable, drawn alike by browsers and
    /// slide programs), name (text naming the font only: the smallest file; a
    /// viewer without that font draws another) or outline (glyphs as paths,
    /// the same picture in every viewer, the text kept invisible on top to
    /// select and search). PNG and PDF always embed the font.
    #[arg(long, value_enum, default_value_t = TextArg::Font)]
    pub text: TextArg,
    /// Which values the cards show: full (the whole period), ytd (year to date), forecast (着地見込: the full target against actuals to date and the plan after) or one period (2026-06, FY2026-Q2).
    #[arg(long, value_name = "full|ytd|forecast|LABEL", default_value = "full", value_parser = parse_shown)]
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

/// `--period`: `full`, `ytd`, `forecast` or a period label.
fn parse_shown(text: &str) -> Result<crate::export::Shown, String> {
    use crate::export::Shown;
    match text {
        "full" => Ok(Shown::Full),
        "ytd" => Ok(Shown::YearToDate),
        "forecast" => Ok(Shown::Forecast),
        label => crate::model::Label::parse(label)
            .map(Shown::Period)
            .ok_or_else(|| format!("\"{label}\" is not full, ytd, forecast or a period label (2026-06, FY2026-Q2)")),
    }
}

/// The `--format` values.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FormatArg {
    /// PNG picture.
    Png,
    /// SVG picture.
    Svg,
    /// One-page PDF.
    Pdf,
    /// The document with its values.
    Json,
    /// Excel workbook with live formulas.
    Xlsx,
    /// PowerPoint slide with editable shapes.
    Pptx,
    /// The outline as a Markdown list.
    Md,
    /// The outline as indented text.
    Txt,
    /// Mermaid flowchart.
    Mmd,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Png => Format::Png,
            FormatArg::Svg => Format::Svg,
            FormatArg::Pdf => Format::Pdf,
            FormatArg::Json => Format::Json,
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Pptx => Format::Pptx,
            FormatArg::Md => Format::Markdown,
            FormatArg::Txt => Format::Text,
            FormatArg::Mmd => Format::Mermaid,
        }
    }
}

/// The `--text` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextArg {
    /// Text with the font's glyphs it uses embedded: selectable and searchable.
    Font,
    /// Text that names the font without embedding it.
    Name,
    /// Glyphs drawn as paths, needing no font; the text kept invisible on
    /// top to select and search.
    Outline,
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
pub fn run(args: &ExportArgs, out: &mut impl Write) -> Result<i32, String> {
    let lang = args.lang.map_or_else(Lang::from_env, Lang::from);
    let to_stdout = is_dash(&args.output);
    let format = match (args.format, Format::from_path(&args.output)) {
        (Some(f), _) => Format::from(f),
        (None, Some(f)) if !to_stdout => f,
        (None, _) if to_stdout => return Err(Msg::FormatNeeded.text(lang)),
        (None, _) => return Err(Msg::UnknownExtension(args.output.display().to_string()).text(lang)),
    };
    if to_stdout && stdio::stdout_is_terminal() {
        let binary = match format {
            Format::Png => Some("PNG"),
            Format::Pdf => Some("PDF"),
            Format::Xlsx => Some("XLSX"),
            Format::Pptx => Some("PPTX"),
            _ => None,
        };
        if let Some(name) = binary {
            return Err(Msg::BinaryToTerminal(name).text(lang));
        }
    }
    super::refuse_overwriting_input(&args.file, &args.output, lang)?;
    if !to_stdout {
        io::check_target(&args.output).map_err(|e| io::error_message(&e, lang))?;
    }
    let doc = stdio::load_document(&args.file, lang)?;
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
        slides: match args.slides {
            SlidesArg::Subtrees => crate::export::pptx::Slides::Subtrees,
            SlidesArg::Overview => crate::export::pptx::Slides::Overview,
        },
        svg_text: match args.text {
            TextArg::Font => SvgText::Embedded,
            TextArg::Name => SvgText::Named,
            TextArg::Outline => SvgText::Outlined,
        },
    };
    // Too many cards, a bad scale or root: said before the evaluation.
    check_request(&doc, format, &opts).map_err(|e| export_error(&e, lang))?;
    let eval = evaluate(&doc);
    // Follows a symbolic link that may be followed, refuses other links,
    // folders, devices, FIFOs and read-only files; the message names the output.
    let written = if format == Format::Json {
        // Straight to the file, pretty or compact as a save would be.
        let json = json_export(&doc, &eval, &opts).map_err(|e| export_error(&e, lang))?;
        if to_stdout {
            // A failed write is reported by the caller, which sees every write.
            let _ = json.write_to(out);
            Ok(())
        } else {
            io::write_atomic(&args.output, |f| json.write_to(f))
        }
    } else {
        let bytes = export(&doc, &eval, format, &opts).map_err(|e| export_error(&e, lang))?;
        if to_stdout {
            let _ = out.write_all(&bytes);
            Ok(())
        } else {
            io::write_atomic(&args.output, |f| f.write_all(&bytes))
        }
    };
    written.map_err(|e| io::error_message(&e, lang))?;
    if format.is_picture() {
        for warning in missing_glyphs(&crate::export::Scene::build(&doc, &eval, &opts)) {
            let _ = writeln!(std::io::stderr(), "kpitree: {}", warning.text(lang));
        }
    }
    Ok(if eval.has_errors() { EXIT_MODEL_ERRORS } else { EXIT_OK })
}

/// The characters of the picture the bundled font has no glyph for (𠮷,
/// emoji), per card (and the title): said rather than changed without a
/// word — drawn in a font of this machine that has them (named), or as
/// boxes when none has. Only what the picture draws is looked at.
fn missing_glyphs(scene: &crate::export::Scene) -> Vec<Msg> {
    let measure = crate::export::Measure::get();
    // Per character: the machine's font that draws it, looked up once.
    let mut families: Vec<(char, Option<String>)> = Vec::new();
    let mut report = |node: Option<String>, texts: &mut dyn Iterator<Item = &str>, out: &mut Vec<Msg>| {
        let mut seen: Vec<char> = Vec::new();
        for c in texts.flat_map(str::chars) {
            if !c.is_whitespace() && !c.is_control() && !measure.has_glyph(c) && !seen.contains(&c) {
                seen.push(c);
            }
        }
        let (mut boxes, mut drawn) = (Vec::new(), Vec::new());
        for c in seen {
            let family = match families.iter().find(|(k, _)| *k == c) {
                Some((_, f)) => f.clone(),
                None => {
                    let f = crate::export::fallback_family(c);
                    families.push((c, f.clone()));
                    f
                }
            };
            let shown = format!("{c} (U+{:04X})", u32::from(c));
            match family {
                Some(f) => drawn.push(format!("{shown} [{f}]")),
                None => boxes.push(shown),
            }
        }
        if !drawn.is_empty() {
            out.push(Msg::GlyphFallback { node: node.clone(), chars: drawn.join(", ") });
        }
        if !boxes.is_empty() {
            out.push(Msg::GlyphMissing { node, chars: boxes.join(", ") });
        }
    };
    let mut out = Vec::new();
    report(None, &mut [scene.title.as_str()].into_iter().chain(scene.subtitle.as_deref()), &mut out);
    for card in &scene.cards {
        let mut texts =
            card.name.iter().map(String::as_str).chain(card.rows.iter().flat_map(|(l, v)| [l.as_str(), v.as_str()]));
        report(Some(card.id.as_str().to_owned()), &mut texts, &mut out);
    }
    out
}
