//! File → Export…: format and options with a live preview, and Ctrl+Shift+C,
//! which copies the diagram as an image for slides.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::app::KpiApp;
use super::i18n::T;
use crate::eval::Evaluation;
use crate::export::pptx::Slides;
use crate::export::{self, ExportOptions, Format, Theme};
use crate::model::Document;
use crate::pipeline::Worker;

/// Longest side of the preview texture, in pixels.
const PREVIEW_MAX: f32 = 1600.0;

/// The state of the export window.
#[derive(Default)]
pub struct ExportDialog {
    /// Whether the window is open.
    pub open: bool,
    format: Option<Format>,
    options: Option<ExportOptions>,
    /// Export the subtree under the selected node instead of everything.
    subtree: bool,
    path: String,
    preview: Option<Preview>,
    preview_worker: Option<PreviewWorker>,
    message: Option<(String, bool)>,
    /// Export was pressed for a file that exists: asking before replacing it.
    replacing: Option<PathBuf>,
    /// A file the user agreed to replace in this dialog (asked once).
    replaced: Option<PathBuf>,
}

/// What a preview is of: the analysis of the document and
/// scenario, and the options.
type PreviewKey = (u64, String);

/// A preview rendered off the UI thread: the picture at preview scale and
/// its size at 1×.
type Rendered = Result<(egui::ColorImage, [f64; 2]), String>;

struct Preview {
    key: PreviewKey,
    /// The picture's size at 1×, in pixels.
    size: [f64; 2],
    texture: Option<egui::TextureHandle>,
    error: Option<String>,
}

/// The preview's own background thread (rendering a large tree takes a
/// while), with the key of the newest job sent to it.
struct PreviewWorker {
    worker: Worker<(Arc<Document>, Arc<Evaluation>, ExportOptions), Rendered>,
    requested: Option<PreviewKey>,
}

impl ExportDialog {
    fn format(&self) -> Format {
        self.format.unwrap_or(Format::Png)
    }
}

/// The diagram as an egui image at `scale`.
fn image(doc: &Document, eval: &Evaluation, opts: &ExportOptions) -> Result<egui::ColorImage, String> {
    let rgba = export::to_rgba(doc, eval, opts).map_err(|e| e.to_string())?;
    Ok(egui::ColorImage::from_rgba_unmultiplied([rgba.width as usize, rgba.height as usize], &rgba.pixels))
}

/// The preview picture: at most [`PREVIEW_MAX`] pixels on its longest side.
#[allow(clippy::cast_possible_truncation, reason = "a picture's size in pixels, far inside f32")]
fn render_preview(doc: &Document, eval: &Evaluation, opts: &ExportOptions) -> Rendered {
    let mut small = ExportOptions { scale: 1.0, ..opts.clone() };
    let scene = export::Scene::build(doc, eval, &small);
    let longest = scene.size[0].max(scene.size[1]) as f32;
    small.scale = (PREVIEW_MAX / longest).clamp(1.0, 2.0);
    Ok((image(doc, eval, &small)?, scene.size))
}

impl KpiApp {
    /// Ctrl+Shift+C: the whole diagram (or the subtree under the selected
    /// node) at 2× on the clipboard as an image.
    pub(super) fn copy_diagram(&mut self, ctx: &egui::Context) {
        let Some((doc, eval, _)) = self.export_source() else { return };
        let shown = self.period_shown().0;
        let opts = ExportOptions { scale: 2.0, lang: self.lang, shown, ..ExportOptions::default() };
        match image(&doc, &eval, &opts) {
            Ok(image) => {
                ctx.copy_image(image);
                self.files.status = Some((T::DiagramCopied.get(self.lang).to_owned(), Instant::now()));
            }
            Err(e) => self.show_error(T::ExportFailed, e),
        }
    }

    /// What exports draw: the document with the active scenario, its
    /// evaluation, and the number of that analysis.
    fn export_source(&self) -> Option<(Arc<Document>, Arc<Evaluation>, u64)> {
        let d = self.derived_shared()?;
        Some((Arc::clone(&d.effective), Arc::clone(&d.evaluation), d.analysis.id))
    }

    /// Opens the export window, as File → Export… does (for tests).
    #[doc(hidden)]
    pub fn open_export_for_test(&mut self) {
        self.open_export();
    }

    /// The options the export window holds (for tests).
    #[doc(hidden)]
    pub fn export_options_for_test(&self) -> Option<&ExportOptions> {
        self.export.options.as_ref()
    }

    /// File → Export…
    pub(super) fn open_export(&mut self) {
        // Export what the canvas shows: its period view, whatever was picked before.
        let shown = self.period_shown().0;
        let dialog = &mut self.export;
        dialog.open = true;
        dialog.message = None;
        let options =
            dialog.options.get_or_insert_with(|| ExportOptions { lang: self.lang, ..ExportOptions::default() });
        options.shown = shown;
        if dialog.path.is_empty() {
            let format = dialog.format();
            self.export.path = self.suggested_export_path(format).display().to_string();
        }
    }

    fn suggested_export_path(&self, format: Format) -> PathBuf {
        let stem = self
            .session
            .path()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().trim_end_matches(".json").trim_end_matches(".kpitree").to_owned())
            .unwrap_or_else(|| super::files::file_stem(self.session.document()));
        let dir = self.start_folder();
        let name = if format == Format::Json {
            format!("{stem}.values.json")
        } else {
            format!("{stem}.{}", format.extension())
        };
        dir.join(name)
    }

    /// The export window, when open.
    pub(super) fn export_ui(&mut self, ctx: &egui::Context) {
        if !self.export.open {
            return;
        }
        let lang = self.lang;
        let source = self.export_source();
        let selected = self.selected().cloned();
        let mut open = true;
        let mut do_export = false;
        let mut do_copy = false;
        // Escape answers the replace question, else closes the window.
        if self.export.replacing.is_none() && ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.export.open = false;
            return;
        }
        egui::Window::new(T::ExportTitle.get(lang)).open(&mut open).default_width(560.0).collapsible(false).show(
            ctx,
            |ui| {
                let dialog = &mut self.export;
                let mut format = dialog.format();
                let before = format;
                let mut opts = dialog.options.clone().unwrap_or_default();
                opts.lang = lang;
                ui.horizontal(|ui| {
                    ui.label(T::Format.get(lang));
                    for f in Format::ALL {
                        ui.radio_value(&mut format, f, f.extension().to_uppercase());
                    }
                });
                ui.add_enabled_ui(format.is_picture(), |ui| {
                    ui.horizontal(|ui| {
                        ui.add_enabled(
                            format == Format::Png,
                            egui::Slider::new(&mut opts.scale, 1.0..=4.0).step_by(0.5).text(T::Scale.get(lang)),
                        );
                        ui.checkbox(&mut opts.transparent, T::Transparent.get(lang));
                    });
                    ui.horizontal(|ui| {
                        ui.checkbox(&mut opts.values, T::ShowValues.get(lang));
                        ui.checkbox(&mut opts.fit_16_9, T::Fit169.get(lang));
                        ui.label(T::Theme.get(lang));
                        ui.radio_value(&mut opts.theme, Theme::Standard, T::ThemeStandard.get(lang));
                        ui.radio_value(&mut opts.theme, Theme::Slide, T::ThemeSlide.get(lang));
                    });
                    let name =
                        selected.as_ref().and_then(|id| self.session.document().node(id)).map(|n| n.name.clone());
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut dialog.subtree, false, T::WholeTree.get(lang));
                        ui.add_enabled_ui(name.is_some(), |ui| {
                            let label = match &name {
                                Some(n) => format!("{}: {n}", T::FromSelected.get(lang)),
                                None => T::FromSelected.get(lang).to_owned(),
                            };
                            ui.radio_value(&mut dialog.subtree, true, label);
                        });
                    });
                });
                if format == Format::Pptx {
                    // Big trees stay legible: a slide per KSF after the overview.
                    let mut subtrees = opts.slides == Slides::Subtrees;
                    ui.add_enabled_ui(!dialog.subtree, |ui| {
                        ui.checkbox(&mut subtrees, T::SlidePerKsf.get(lang)).on_hover_text(T::SlidePerKsfHint.get(lang))
                    });
                    opts.slides = if subtrees { Slides::Subtrees } else { Slides::Overview };
                }
                opts.root = if dialog.subtree { selected.clone() } else { None };
                if format != before {
                    dialog.path = replace_extension(&dialog.path, format);
                }
                dialog.format = Some(format);
                dialog.options = Some(opts.clone());

                // The preview: rendered off the UI thread whenever the
                // analysis or the options change; the old picture stays, with
                // a spinner, until the new one arrives.
                if let Some((doc, eval, analysis)) = &source
                    && format != Format::Json
                {
                    let key = (*analysis, format!("{opts:?}"));
                    let previews = dialog.preview_worker.get_or_insert_with(|| {
                        let repaint = ctx.clone();
                        PreviewWorker {
                            worker: Worker::new(
                                "kpitree-preview",
                                |_: &mut (), (doc, eval, opts): (Arc<Document>, Arc<Evaluation>, ExportOptions)| {
                                    render_preview(&doc, &eval, &opts)
                                },
                                move || repaint.request_repaint(),
                            ),
                            requested: None,
                        }
                    });
                    if previews.requested.as_ref() != Some(&key) {
                        previews.worker.submit((Arc::clone(doc), Arc::clone(eval), opts.clone()));
                        previews.requested = Some(key.clone());
                    }
                    if let Some(outcome) = previews.worker.take() {
                        let key = previews.requested.clone().unwrap_or_default();
                        dialog.preview = Some(match outcome.result.and_then(|r| r) {
                            Ok((img, size)) => Preview {
                                key,
                                size,
                                texture: Some(ctx.load_texture("kpitree-export-preview", img, Default::default())),
                                error: None,
                            },
                            Err(e) => Preview { key, size: [0.0; 2], texture: None, error: Some(e) },
                        });
                    }
                    let stale = dialog.preview.as_ref().is_none_or(|p| p.key != key);
                    if stale {
                        ui.horizontal(|ui| {
                            ui.spinner();
                            ui.weak(T::Rendering.get(lang));
                        });
                    }
                    if let Some(preview) = &dialog.preview {
                        if let Some(texture) = &preview.texture {
                            let size = texture.size_vec2();
                            let fit = (520.0 / size.x).min(360.0 / size.y).min(1.0);
                            egui::Frame::canvas(ui.style()).show(ui, |ui| {
                                egui::ScrollArea::both().max_height(380.0).show(ui, |ui| {
                                    let image = egui::Image::new(texture).fit_to_exact_size(size * fit);
                                    ui.add(if stale { image.tint(egui::Color32::from_gray(200)) } else { image });
                                });
                            });
                            let [w, h] = preview.size;
                            let scale = if format == Format::Png { f64::from(opts.scale) } else { 1.0 };
                            let unit = if format == Format::Pdf { "pt" } else { "px" };
                            ui.weak(format!("{:.0} × {:.0} {unit}", (w * scale).ceil(), (h * scale).ceil()));
                        }
                        if let Some(e) = &preview.error {
                            ui.colored_label(egui::Color32::from_rgb(200, 40, 40), e);
                        }
                    }
                }
                ui.separator();
                ui.horizontal(|ui| {
                    ui.label(T::ExportTo.get(lang));
                    ui.add(egui::TextEdit::singleline(&mut dialog.path).desired_width(380.0));
                });
                if let Some(path) = dialog.replacing.clone() {
                    ui.label(egui::RichText::new(T::ReplaceTitle.get(lang)).strong());
                    ui.label(path.display().to_string());
                    match super::question::buttons(ui, &[T::Replace.get(lang), T::Cancel.get(lang)], 0, 1) {
                        Some(0) => {
                            dialog.replaced = Some(path);
                            dialog.replacing = None;
                            do_export = true;
                        }
                        Some(_) => dialog.replacing = None,
                        None => {}
                    }
                } else {
                    // Stable ids whether or not the preview has arrived.
                    ui.push_id("kpitree-export-actions", |ui| {
                        ui.horizontal(|ui| {
                            if ui.add(super::question::default_button(ui, T::ExportButton.get(lang))).clicked() {
                                do_export = true;
                            }
                            if ui.button(super::commands::Command::CopyImage.label(lang)).clicked() {
                                do_copy = true;
                            }
                        });
                    });
                }
                if let Some((text, ok)) = &dialog.message {
                    let colour =
                        if *ok { egui::Color32::from_rgb(30, 130, 60) } else { egui::Color32::from_rgb(200, 40, 40) };
                    ui.colored_label(colour, text);
                }
            },
        );
        if do_copy {
            self.copy_diagram_with_options(ctx);
        }
        if do_export {
            self.export_now();
        }
        self.export.open = open;
    }

    /// Copies the diagram with the dialog's options (its root, theme, values).
    fn copy_diagram_with_options(&mut self, ctx: &egui::Context) {
        let Some((doc, eval, _)) = self.export_source() else { return };
        let opts = ExportOptions { scale: 2.0, ..self.export.options.clone().unwrap_or_default() };
        match image(&doc, &eval, &opts) {
            Ok(image) => {
                ctx.copy_image(image);
                self.export.message = Some((T::DiagramCopied.get(self.lang).to_owned(), true));
            }
            Err(e) => self.export.message = Some((e, false)),
        }
    }

    /// Writes the file the dialog names, atomically.
    pub fn export_now(&mut self) {
        let Some((doc, eval, _)) = self.export_source() else { return };
        let lang = self.lang;
        let text = self.export.path.trim().to_owned();
        let path = super::files::absolute(PathBuf::from(&text));
        // Never over a file that exists without asking (once per file).
        if path.exists() && self.export.replaced.as_ref() != Some(&path) {
            self.export.replacing = Some(path);
            return;
        }
        let format = Format::from_path(&path).unwrap_or(self.export.format());
        let opts = ExportOptions { lang, ..self.export.options.clone().unwrap_or_default() };
        let result = export::export(&doc, &eval, format, &opts).map_err(|e| e.to_string()).and_then(|bytes| {
            crate::io::write_atomic(&path, |f| std::io::Write::write_all(f, &bytes))
                .map_err(|e| crate::io::error_message(&e, lang))
        });
        self.export.message = Some(match result {
            Ok(()) => (format!("{}: {}", T::Exported.get(lang), path.display()), true),
            Err(e) => (format!("{}: {}: {e}", T::ExportFailed.get(lang), path.display()), false),
        });
    }

    /// Test hook: File → Export….
    #[doc(hidden)]
    pub fn open_export_window(&mut self) {
        self.open_export();
    }

    /// Test hook: sets the export path and format options of the dialog.
    pub fn set_export(&mut self, path: &str, options: ExportOptions) {
        self.export.path = path.to_owned();
        self.export.format = PathBuf::from(path).extension().and_then(|_| Format::from_path(path.as_ref()));
        self.export.options = Some(options);
    }

    /// The export preview on screen: whether it shows the analysis on
    /// screen (not an older one), and the picture's size at 1×.
    #[doc(hidden)]
    pub fn export_preview(&self) -> Option<(bool, [f64; 2])> {
        let preview = self.export.preview.as_ref()?;
        let current = self.export_source().map(|(_, _, g)| g) == Some(preview.key.0);
        Some((current, preview.size))
    }

    /// The last message of the export window (what was written, or why not).
    pub fn export_message(&self) -> Option<&str> {
        self.export.message.as_ref().map(|(t, _)| t.as_str())
    }
}

/// `path` with the extension of `format`.
fn replace_extension(path: &str, format: Format) -> String {
    let p = PathBuf::from(path);
    let stem = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let base = ["png", "svg", "pdf", "json"]
        .iter()
        .find_map(|e| stem.strip_suffix(&format!(".{e}")))
        .map(|s| s.trim_end_matches(".values").to_owned())
        .unwrap_or(stem.clone());
    let name =
        if format == Format::Json { format!("{base}.values.json") } else { format!("{base}.{}", format.extension()) };
    p.with_file_name(name).display().to_string()
}
