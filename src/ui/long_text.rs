//! Text too long for a field of the inspector: a capped preview in its
//! place, and the whole text on demand in a window of its own — editable up
//! to [`EDITABLE`] bytes, page by page beyond. A text field lays out all of
//! its text every frame (a 20 MB title held 3 GB, 5 GB focused, and burned
//! a core at rest), so no field ever gets more than [`INLINE`] bytes.

use egui::{RichText, Ui};

use super::i18n::T;
use crate::lang::Lang;
use crate::model::{Document, Edit, Field, NodeId};

/// Texts longer than this (in bytes) show a preview in the inspector and
/// open in the window: notes, descriptions, and every single-line field
/// (title, name, unit, owner, source). A rename in place or a values edit
/// on the canvas opens the window too.
pub const INLINE: usize = 4 * 1024;

/// Texts longer than this are shown page by page and not edited in the
/// window (a text field lays out all of its text).
pub const EDITABLE: usize = 256 * 1024;

/// One page of a very long text, in bytes.
const PAGE: usize = 32 * 1024;

/// Characters of a preview.
const PREVIEW_CHARS: usize = 300;

/// Which text the window shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LongField {
    /// The document's title.
    Title,
    /// The document's description.
    Description,
    /// A node's name.
    Name(NodeId),
    /// A node's unit.
    Unit(NodeId),
    /// A node's owner.
    Owner(NodeId),
    /// Where a node's actual comes from.
    Source(NodeId),
    /// A node's note.
    Note(NodeId),
}

impl LongField {
    /// The text in `doc` (none when its node is gone).
    fn text<'a>(&self, doc: &'a Document) -> Option<&'a str> {
        let node = |id: &NodeId| doc.node(id);
        Some(match self {
            LongField::Title => doc.title.as_deref().unwrap_or_default(),
            LongField::Description => doc.description.as_deref().unwrap_or_default(),
            LongField::Name(id) => node(id)?.name.as_str(),
            LongField::Unit(id) => node(id)?.unit.as_deref().unwrap_or_default(),
            LongField::Owner(id) => node(id)?.owner.as_deref().unwrap_or_default(),
            LongField::Source(id) => node(id)?.source.as_deref().unwrap_or_default(),
            LongField::Note(id) => node(id)?.note.as_deref().unwrap_or_default(),
        })
    }

    /// The edit that sets the text to `text`.
    fn edit(&self, text: String) -> Edit {
        let some = |t: String| Some(t).filter(|t| !t.is_empty());
        match self {
            LongField::Title => Edit::SetTitle(some(text)),
            LongField::Description => Edit::SetDescription(some(text)),
            LongField::Name(id) => Edit::SetField(id.clone(), Field::Name(text)),
            LongField::Unit(id) => Edit::SetField(id.clone(), Field::Unit(some(text))),
            LongField::Owner(id) => Edit::SetField(id.clone(), Field::Owner(some(text))),
            LongField::Source(id) => Edit::SetField(id.clone(), Field::Source(some(text))),
            LongField::Note(id) => Edit::SetField(id.clone(), Field::Note(some(text))),
        }
    }

    /// What the window is called.
    fn caption(&self, lang: Lang) -> &'static str {
        match self {
            LongField::Title => T::Title,
            LongField::Description => T::Description,
            LongField::Name(_) => T::Name,
            LongField::Unit(_) => T::Unit,
            LongField::Owner(_) => T::Owner,
            LongField::Source(_) => T::Source,
            LongField::Note(_) => T::Note,
        }
        .get(lang)
    }
}

/// The window's state.
#[derive(Default)]
pub struct LongText {
    open: Option<LongField>,
    page: usize,
}

impl LongText {
    /// Opens the window on `field`.
    pub fn open(&mut self, field: LongField) {
        self.open = Some(field);
        self.page = 0;
    }

    /// The field open in the window (tests).
    pub fn opened(&self) -> Option<&LongField> {
        self.open.as_ref()
    }

    /// In place of a field whose `text` is longer than [`INLINE`]: the
    /// first characters, its size, and a button that opens the window.
    pub fn preview(&mut self, ui: &mut Ui, text: &str, field: LongField, lang: Lang) {
        ui.vertical(|ui| {
            let preview: String = text.chars().take(PREVIEW_CHARS).collect();
            ui.label(RichText::new(format!("{preview}…")).small());
            let size = format!("{} KB", text.len() / 1024);
            if ui.button(format!("{} ({size})", T::OpenWhole.get(lang))).clicked() {
                self.open(field);
            }
        });
    }

    /// The window, while a text is open in it; edits go to `edits`.
    pub fn window_ui(&mut self, ctx: &egui::Context, doc: &Document, lang: Lang, edits: &mut Vec<Edit>) {
        let Some(field) = self.open.clone() else { return };
        let Some(text) = field.text(doc) else {
            self.open = None;
            return;
        };
        let mut open = true;
        egui::Window::new(field.caption(lang))
            .id(egui::Id::new("kpitree-long-text"))
            .open(&mut open)
            .default_size([640.0, 480.0])
            .show(ctx, |ui| {
                if text.len() <= EDITABLE {
                    let mut draft = text.to_owned();
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        let edit = egui::TextEdit::multiline(&mut draft).desired_width(f32::INFINITY).desired_rows(24);
                        if ui.add(edit).changed() {
                            edits.push(field.edit(draft.clone()));
                        }
                    });
                    return;
                }
                self.pages_ui(ui, text, &field, lang, edits);
            });
        if !open {
            self.open = None;
        }
    }

    /// A text too long to edit: page by page, and a way to cut it to a size
    /// that can be edited.
    fn pages_ui(&mut self, ui: &mut Ui, text: &str, field: &LongField, lang: Lang, edits: &mut Vec<Edit>) {
        let pages = text.len().div_ceil(PAGE);
        ui.weak(T::TextTooLong.get(lang));
        ui.horizontal(|ui| {
            if ui.add_enabled(self.page > 0, egui::Button::new("◀")).clicked() {
                self.page -= 1;
            }
            ui.label(format!("{} / {pages}", self.page + 1));
            if ui.add_enabled(self.page + 1 < pages, egui::Button::new("▶")).clicked() {
                self.page += 1;
            }
            if ui.button(T::ShortenText.get(lang)).on_hover_text(T::ShortenTextHint.get(lang)).clicked() {
                edits.push(field.edit(text[..char_floor(text, EDITABLE)].to_owned()));
                self.page = 0;
            }
        });
        let start = char_floor(text, self.page * PAGE);
        let end = char_floor(text, start + PAGE);
        egui::ScrollArea::vertical().show(ui, |ui| {
            ui.label(&text[start..end]);
        });
    }
}

/// The largest char boundary of `text` at or before `at`.
fn char_floor(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// `text` cut to `chars` characters with "…" (linear in what is kept).
pub fn short(text: &str, chars: usize) -> String {
    match text.char_indices().nth(chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
