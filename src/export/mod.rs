//! Export for slides and tools: the diagram as SVG, PNG or PDF, the
//! document with its values as JSON, an Excel workbook with live formulas
//! ([`xlsx`]), and the tree as an outline or a Mermaid flowchart ([`outline`]).
//!
//! One path for every picture: Document + Evaluation → `scene` (layout,
//! measured text, colours) → SVG text → one usvg tree → PNG (resvg) or PDF
//! (svg2pdf). The bundled BIZ UDPGothic is the only font the renderer
//! knows (system fonts are never loaded), so a file exports to the same
//! pixels on every machine, with or without a GPU.

pub mod card_layout;
pub mod chart;
mod diagram;
mod fonts;
mod measure;
pub mod outline;
pub mod palette;
pub mod pptx;
mod raster;
mod scene;
mod sfnt;
mod svg;
pub mod xlsx;

use std::path::Path;

use serde_json::Value;

use crate::eval::Evaluation;
use crate::lang::Lang;
use crate::model::{Document, Kind, NodeId};

pub use card_layout::CardLayout;
pub use diagram::{
    AnalysisMark, AnalysisMarks, Card, CardCache, CardMarks, Diagram, DiagramOptions, Links, Shown, Wire,
};
pub(crate) use fonts::usvg_options;
pub use fonts::{embed_font, fallback_family, glyph_diagnostics, outline_text};
pub use measure::{MAX_DRAWN_CHARS, Measure, capped, metrics};
pub use raster::Rgba;
pub use scene::Scene;

/// BIZ UDPGothic Regular (SIL OFL 1.1, see `assets/fonts/OFL.txt`).
pub const FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/BIZUDPGothic-Regular.ttf");
/// BIZ UDPGothic Bold (SIL OFL 1.1).
pub const FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/BIZUDPGothic-Bold.ttf");
/// The family name both faces carry.
pub const FONT_FAMILY: &str = "BIZ UDPGothic";

/// The colour of a kind's cards (their band and outline), as RGB.
pub fn kind_colour(kind: Kind) -> [u8; 3] {
    palette::kind(kind)
}

/// The most cards a picture export (PNG, PDF or SVG) draws. Past this,
/// rasterising and PDF conversion need gigabytes (a million cards took 10 GB
/// before failing) and an SVG is gigabytes of text (1.5 GB, 3.2 GB of
/// memory, 53 s); a subtree, collapsed branches or JSON is the way to
/// export more.
pub const MAX_DRAWN_CARDS: usize = 50_000;

/// The longest side of a PNG, in pixels (checked on each side, not on the
/// area: 440,412 × 408 is no picture anything opens).
pub const MAX_PNG_SIDE: u32 = 16_384;

/// The longest side of a PDF page, in points: Acrobat and most viewers open
/// no larger page (200 inches). A larger diagram is scaled down to fit.
pub const MAX_PDF_PAGE: f64 = 14_400.0;

/// The most a diagram is shrunk to fit a PDF page. Past it the cards' text
/// (13 px) would be under 3.3 pt — nothing anyone can read on the page or
/// print (a 40,000-card tree would be a page 8 pt wide) — so the export is
/// refused with what to do instead. A diagram up to 57,600 pixels on its
/// longest side still makes a PDF.
pub const MIN_PDF_SHRINK: f64 = 0.25;

/// The colour of a progress bar (achievement respects lower-is-better
/// already): green at 100 %, amber from 80 %, else red.
pub fn progress_rgb(progress: f64) -> [u8; 3] {
    palette::progress(progress)
}

/// The smallest and largest PNG scale.
pub const SCALE_RANGE: std::ops::RangeInclusive<f32> = 1.0..=4.0;

/// What the picture looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// White cards outlined in the colour of their kind.
    #[default]
    Standard,
    /// Light, tinted cards without outlines and a larger title: made to sit
    /// on a white slide.
    Slide,
}

impl Theme {
    /// `standard` or `slide`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Standard => "standard",
            Theme::Slide => "slide",
        }
    }
}

/// Export options (the same for every picture format).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// PNG pixels per diagram pixel, 1 to 4 (PDF and SVG are vectors).
    pub scale: f32,
    /// A transparent background instead of white.
    pub transparent: bool,
    /// Targets, actuals and progress bars on the cards.
    pub values: bool,
    /// The look.
    pub theme: Theme,
    /// Export only this node and everything below it.
    pub root: Option<NodeId>,
    /// Pad the picture to 16:9 (a full slide).
    pub fit_16_9: bool,
    /// Language of the labels (目標 / target, 時点 / as of).
    pub lang: Lang,
    /// The period whose values the cards show.
    pub shown: Shown,
    /// PowerPoint only: the overview alone, or a slide per KSF subtree after it.
    pub slides: pptx::Slides,
    /// SVG only: how the text carries its font.
    pub svg_text: SvgText,
}

/// How an SVG's text carries its font.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SvgText {
    /// Text with the glyphs of BIZ UDPGothic it uses embedded (`@font-face`):
    /// selectable, searchable, drawn alike by browsers and slide programs.
    #[default]
    Embedded,
    /// Text that only names the font: the smallest file; a viewer without
    /// BIZ UDPGothic draws another font.
    Named,
    /// Glyphs as paths, needing no font, with the text kept invisible on top
    /// to select and search.
    Outlined,
}

impl ExportOptions {
    /// What of the diagram these options show.
    pub fn diagram(&self) -> DiagramOptions {
        DiagramOptions {
            values: self.values,
            lang: self.lang,
            root: self.root.clone(),
            shown: self.shown,
            ..DiagramOptions::default()
        }
    }
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            scale: 2.0,
            transparent: false,
            values: true,
            theme: Theme::Standard,
            root: None,
            fit_16_9: false,
            lang: Lang::Ja,
            shown: Shown::Full,
            slides: pptx::Slides::Overview,
            svg_text: SvgText::Embedded,
        }
    }
}

/// A file format to export to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A raster image.
    Png,
    /// A vector image.
    Svg,
    /// A one-page PDF.
    Pdf,
    /// The document with its evaluation.
    Json,
    /// An Excel workbook with live formulas ([`xlsx`]).
    Xlsx,
    /// A PowerPoint slide with editable shapes ([`pptx`]).
    Pptx,
    /// The outline as a Markdown list ([`outline`]).
    Markdown,
    /// The outline as plain indented text.
    Text,
    /// A Mermaid flowchart.
    Mermaid,
}

impl Format {
    /// Every format, in the order the export window lists them.
    pub const ALL: [Format; 9] = [
        Format::Png,
        Format::Svg,
        Format::Pdf,
        Format::Json,
        Format::Xlsx,
        Format::Pptx,
        Format::Markdown,
        Format::Text,
        Format::Mermaid,
    ];

    /// The format a file name's extension names (case-insensitive).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(Format::Png),
            "svg" => Some(Format::Svg),
            "pdf" => Some(Format::Pdf),
            "json" => Some(Format::Json),
            "xlsx" => Some(Format::Xlsx),
            "pptx" => Some(Format::Pptx),
            "md" | "markdown" => Some(Format::Markdown),
            "txt" => Some(Format::Text),
            "mmd" | "mermaid" => Some(Format::Mermaid),
            _ => None,
        }
    }

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
            Format::Pdf => "pdf",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
            Format::Pptx => "pptx",
            Format::Markdown => "md",
            Format::Text => "txt",
            Format::Mermaid => "mmd",
        }
    }

    /// True for the formats that draw the diagram (the picture options
    /// apply to them).
    pub fn is_picture(self) -> bool {
        drawn(self).is_some()
    }

    /// The extensions `from_path` knows, for messages.
    pub const EXTENSIONS: &'static str = ".png, .svg, .pdf, .json, .xlsx, .pptx, .md, .txt or .mmd";
}

/// Why an export failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExportError {
    /// `root` names no node.
    #[error("no node has the id \"{0}\"")]
    UnknownRoot(String),
    /// The scale is outside 1–4.
    #[error("the scale must be between 1 and 4, not {0}")]
    Scale(f32),
    /// The picture would be too large to rasterise.
    #[error(
        "the picture would be {0} × {1} pixels; a PNG may be at most 16,384 pixels on each side; \
         use a smaller scale, export a subtree (--root ID), or export PDF (scaled to fit its page)"
    )]
    TooLarge(u32, u32),
    /// The diagram has more cards than a picture export draws.
    #[error(
        "the diagram has {cards} cards, more than the {limit} a {format} export draws; \
         export a subtree (--root ID) or collapse branches (the whole document exports as JSON)"
    )]
    TooManyCards {
        /// How many cards the diagram has.
        cards: usize,
        /// [`MAX_DRAWN_CARDS`].
        limit: usize,
        /// "PNG", "PDF" or "SVG".
        format: &'static str,
    },
    /// The diagram would be shrunk past [`MIN_PDF_SHRINK`] to fit a PDF page.
    #[error(
        "the diagram is {0} × {1} pixels: on a PDF page (at most 14,400 pt on a side) its text would be \
         {2:.1} pt, too small to read; export a subtree (--root ID), collapse branches, or export SVG \
         (a picture with no page size)"
    )]
    Unreadable(u32, u32, f64),
    /// The renderer failed (a bug, reported rather than panicking).
    #[error("the renderer failed: {0}")]
    Render(String),
    /// The JSON would be more than kpitree reads, even compact.
    #[error("{0}")]
    JsonTooLarge(String),
}

fn check(opts: &ExportOptions, doc: &Document) -> Result<(), ExportError> {
    if !SCALE_RANGE.contains(&opts.scale) || !opts.scale.is_finite() {
        return Err(ExportError::Scale(opts.scale));
    }
    if let Some(root) = &opts.root
        && doc.node(root).is_none()
    {
        return Err(ExportError::UnknownRoot(root.as_str().to_owned()));
    }
    Ok(())
}

/// How many cards the diagram of `doc` has at most: its nodes (one card per
/// id), or those of the subtree under `root`. Without collapsed nodes this
/// is the number the scene draws.
fn cards_at_most(doc: &Document, root: Option<&NodeId>) -> usize {
    use rustc_hash::{FxHashMap, FxHashSet};
    let Some(root) = root else {
        return doc.nodes.iter().map(|n| n.id.as_str()).collect::<FxHashSet<_>>().len();
    };
    let mut children: FxHashMap<&str, Vec<&str>> = FxHashMap::default();
    for e in doc.edges.iter() {
        children.entry(e.parent.as_str()).or_default().push(e.child.as_str());
    }
    let known: FxHashSet<&str> = doc.nodes.iter().map(|n| n.id.as_str()).collect();
    let mut seen = FxHashSet::default();
    seen.insert(root.as_str());
    let mut stack = vec![root.as_str()];
    while let Some(v) = stack.pop() {
        for &c in children.get(v).map_or(&[][..], Vec::as_slice) {
            if seen.insert(c) {
                stack.push(c);
            }
        }
    }
    seen.iter().filter(|id| known.contains(*id)).count()
}

/// The pixels of the PNG of a `size` picture at `scale` (as the SVG writes
/// the size: whole pixels), saturating.
#[allow(clippy::cast_possible_truncation, reason = "clamped to 0..=u32::MAX first")]
fn png_size(size: [f64; 2], scale: f32) -> (u32, u32) {
    let px = |v: f64| (v.round() * f64::from(scale)).ceil().clamp(0.0, f64::from(u32::MAX)) as u32;
    (px(size[0]), px(size[1]))
}

/// The name of `format` if it is a picture, whose cards are limited.
fn drawn(format: Format) -> Option<&'static str> {
    match format {
        Format::Png => Some("PNG"),
        Format::Pdf => Some("PDF"),
        Format::Svg => Some("SVG"),
        Format::Pptx => Some("PowerPoint"),
        Format::Json | Format::Xlsx | Format::Markdown | Format::Text | Format::Mermaid => None,
    }
}

/// What can be refused before anything is evaluated or laid out: the
/// options (scale, root), and a picture of more than [`MAX_DRAWN_CARDS`]
/// cards. The export functions check this themselves; a caller may check
/// first to save the evaluation of a document that cannot be exported.
pub fn check_request(doc: &Document, format: Format, opts: &ExportOptions) -> Result<(), ExportError> {
    check(opts, doc)?;
    if let Some(name) = drawn(format) {
        let at_most = cards_at_most(doc, opts.root.as_ref());
        // Collapsed branches are drawn as one card: only the scene knows how many are left.
        if at_most > MAX_DRAWN_CARDS && !doc.nodes.iter().any(|n| n.collapsed) {
            return Err(ExportError::TooManyCards { cards: at_most, limit: MAX_DRAWN_CARDS, format: name });
        }
    }
    Ok(())
}

/// Checks the options, then builds the scene for `format` — refusing, before
/// any SVG is written or pixel drawn, a picture of more than
/// [`MAX_DRAWN_CARDS`] cards and a PNG more than [`MAX_PNG_SIDE`] pixels
/// wide or high, or a PDF whose text would be too small to read.
fn scene_for(doc: &Document, eval: &Evaluation, opts: &ExportOptions, format: Format) -> Result<Scene, ExportError> {
    check_request(doc, format, opts)?;
    let scene = Scene::build(doc, eval, opts);
    if let Some(name) = drawn(format)
        && scene.cards.len() > MAX_DRAWN_CARDS
    {
        return Err(ExportError::TooManyCards { cards: scene.cards.len(), limit: MAX_DRAWN_CARDS, format: name });
    }
    if format == Format::Png {
        let (w, h) = png_size(scene.size, opts.scale);
        if w > MAX_PNG_SIDE || h > MAX_PNG_SIDE {
            return Err(ExportError::TooLarge(w, h));
        }
    }
    if format == Format::Pdf {
        let shrink = MAX_PDF_PAGE / scene.size[0].max(scene.size[1]);
        if shrink < MIN_PDF_SHRINK {
            let (w, h) = png_size(scene.size, 1.0);
            return Err(ExportError::Unreadable(w, h, 13.0 * shrink));
        }
    }
    Ok(scene)
}

/// The diagram as SVG text.
pub fn to_svg(doc: &Document, eval: &Evaluation, opts: &ExportOptions) -> Result<String, ExportError> {
    let svg = svg::write(&scene_for(doc, eval, opts, Format::Svg)?, opts);
    match opts.svg_text {
        SvgText::Embedded => Ok(fonts::embed_font(&svg)),
        SvgText::Named => Ok(svg),
        SvgText::Outlined => outline_text(&svg),
    }
}

/// The diagram as PNG bytes, `scale` pixels per diagram pixel.
pub fn to_png(doc: &Document, eval: &Evaluation, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    to_rgba(doc, eval, opts)?.encode_png()
}

/// The diagram as straight-alpha RGBA pixels, for a preview or the clipboard.
pub fn to_rgba(doc: &Document, eval: &Evaluation, opts: &ExportOptions) -> Result<Rgba, ExportError> {
    let svg = svg::write(&scene_for(doc, eval, opts, Format::Png)?, opts);
    raster::render(&svg, opts.scale)
}

/// The diagram as a one-page PDF, 1 diagram pixel = 1 pt; a diagram larger
/// than [`MAX_PDF_PAGE`] on a side is scaled down to fit (same aspect ratio).
pub fn to_pdf(doc: &Document, eval: &Evaluation, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    let svg = svg::write(&scene_for(doc, eval, opts, Format::Pdf)?, opts);
    raster::pdf(&svg)
}

/// The document (every field, as saved) with the `check --json` object's
/// `diagnostics` and `values` added at the top level: one file a BI tool or
/// a script can read, which kpitree also opens (the two keys are kept as
/// unknown fields).
pub fn to_json(doc: &Document, eval: &Evaluation, lang: Lang) -> Value {
    let mut value = crate::io::to_value(doc);
    if let (Value::Object(out), Value::Object(report)) = (&mut value, eval.to_json(doc, lang)) {
        for (k, v) in report {
            out.insert(k, v);
        }
    }
    value
}

/// The JSON export of a document, ready to be written: the document (every
/// field, as saved) with the `check --json` report added, in the form
/// chosen as a save chooses it — pretty up to [`crate::io::PRETTY_LIMIT_BYTES`],
/// compact above, refused past [`crate::io::MAX_FILE_BYTES`] (kpitree opens
/// what it exports). It is written as it is made, never held whole in memory.
pub struct JsonExport<'a> {
    doc: &'a Document,
    report: crate::eval::Report<'a>,
    form: crate::io::json_stream::Form,
}

impl JsonExport<'_> {
    /// Writes the JSON (and a final newline) to `out`.
    pub fn write_to(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        let json = crate::io::json_stream::DocumentJson::with(self.doc, &self.report);
        crate::io::json_stream::write_json(out, &json, self.form)
    }

    /// Pretty (true) or compact (one line).
    pub fn is_pretty(&self) -> bool {
        self.form == crate::io::json_stream::Form::Pretty
    }
}

/// The JSON export of `doc` (see [`JsonExport`]); refused when too large.
pub fn json_export<'a>(
    doc: &'a Document,
    eval: &'a Evaluation,
    opts: &ExportOptions,
) -> Result<JsonExport<'a>, ExportError> {
    json_export_within(doc, eval, opts, crate::io::PRETTY_LIMIT_BYTES, crate::io::MAX_FILE_BYTES)
}

/// [`json_export`] with the two size limits as parameters (tests use small ones).
#[doc(hidden)]
pub fn json_export_within<'a>(
    doc: &'a Document,
    eval: &'a Evaluation,
    opts: &ExportOptions,
    pretty_limit: u64,
    max: u64,
) -> Result<JsonExport<'a>, ExportError> {
    check(opts, doc)?;
    let report = eval.report(doc, opts.lang);
    let json = crate::io::json_stream::DocumentJson::with(doc, &report);
    let form = crate::io::json_stream::choose_form(&json, pretty_limit, max, "the JSON export")
        .map_err(|e| ExportError::JsonTooLarge(e.to_string()))?;
    Ok(JsonExport { doc, report, form })
}

/// The bytes of `doc` exported as `format`.
pub fn export(doc: &Document, eval: &Evaluation, format: Format, opts: &ExportOptions) -> Result<Vec<u8>, ExportError> {
    match format {
        Format::Png => to_png(doc, eval, opts),
        Format::Svg => to_svg(doc, eval, opts).map(String::into_bytes),
        Format::Pdf => to_pdf(doc, eval, opts),
        Format::Json => {
            let mut bytes = Vec::new();
            json_export(doc, eval, opts)?.write_to(&mut bytes).map_err(|e| ExportError::Render(e.to_string()))?;
            Ok(bytes)
        }
        Format::Xlsx => {
            check(opts, doc)?;
            xlsx::to_xlsx(doc, opts.lang)
        }
        Format::Pptx => pptx::to_pptx(doc, eval, opts, opts.slides),
        Format::Markdown => Ok(outline::to_outline(doc, outline::Style::Markdown).into_bytes()),
        Format::Text => Ok(outline::to_outline(doc, outline::Style::Text).into_bytes()),
        Format::Mermaid => Ok(outline::to_mermaid(doc, eval, opts.lang).into_bytes()),
    }
}
