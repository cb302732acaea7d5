//! The canvas's menus and in-place editing: the card and canvas context
//! menus, the operator menu of a badge, the menu of a wire dropped on empty
//! canvas, and the name field over a card being renamed.

use egui::text::{CCursor, CCursorRange};
use egui::{Id, Pos2, Rect, Ui, vec2};

use super::paint::{Lod, font};
use super::view::View;
use super::{CanvasInput, CanvasOutput};
use crate::export::{Diagram, metrics as m};
use crate::model::{Edit, Field, Kind, NodeId, Op};
use crate::ui::commands::Command;
use crate::ui::i18n::{T, new_node};

/// Which menu is open.
#[derive(Debug, Clone, PartialEq)]
enum Open {
    /// A card's menu.
    Card { id: NodeId, screen: Pos2 },
    /// The canvas's menu: create a card here.
    Canvas { at: Pos2, screen: Pos2 },
    /// A badge's menu: change the operator of `parent → child`.
    Operator { parent: NodeId, child: NodeId, screen: Pos2 },
    /// A wire from `parent` dropped on empty canvas: create its term here.
    Connected { parent: NodeId, at: Pos2, screen: Pos2 },
}

/// The open menu, if any.
#[derive(Default)]
pub(super) struct Menus {
    open: Option<Open>,
}

impl Menus {
    /// True while a menu is open.
    pub fn is_open(&self) -> bool {
        self.open.is_some()
    }

    /// Closes the menu.
    pub fn close(&mut self) {
        self.open = None;
    }

    /// Right-click: the card's menu, or the canvas's at the diagram point `at`.
    pub fn open_context(&mut self, card: Option<NodeId>, at: Pos2, screen: Pos2) {
        self.open = Some(match card {
            Some(id) => Open::Card { id, screen },
            None => Open::Canvas { at, screen },
        });
    }

    /// A click on a badge.
    pub fn open_operator(&mut self, parent: NodeId, child: NodeId, screen: Pos2) {
        self.open = Some(Open::Operator { parent, child, screen });
    }

    /// A wire dropped on empty canvas.
    pub fn open_connected(&mut self, parent: NodeId, at: Pos2, screen: Pos2) {
        self.open = Some(Open::Connected { parent, at, screen });
    }

    /// Shows the open menu; what is picked goes into `out`.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        d: &Diagram,
        input: &CanvasInput<'_>,
        out: &mut CanvasOutput,
        _view: View,
        _lod: Lod,
    ) {
        let Some(open) = self.open.clone() else { return };
        let lang = input.lang;
        let screen = match &open {
            Open::Card { screen, .. }
            | Open::Canvas { screen, .. }
            | Open::Operator { screen, .. }
            | Open::Connected { screen, .. } => *screen,
        };
        let mut close = ui.input(|i| i.key_pressed(egui::Key::Escape));
        // A new card starts with its name being typed, as Tab's does.
        let add = |kind: Kind, at: Pos2, parent: Option<&NodeId>, out: &mut CanvasOutput| {
            let node = new_node(input.doc, kind, lang, [f64::from(at.x), f64::from(at.y)]);
            let parent = parent.map(|p| (p.clone(), input.doc.new_term_op(p, kind)));
            out.naming = Some((node.id.clone(), node.name.clone()));
            out.edits.push(Edit::AddNode { node: Box::new(node), parent });
        };
        egui::Area::new(Id::new("kpitree-canvas-menu"))
            .order(egui::Order::Foreground)
            .fixed_pos(screen + vec2(8.0, 8.0))
            .show(ui.ctx(), |ui| {
                egui::Frame::menu(ui.style()).show(ui, |ui| match &open {
                    Open::Card { id, .. } => {
                        // The commands of the table, on the selection (the
                        // card right-clicked was selected as the menu opened).
                        let card = d.card(id);
                        let mut entries = vec![Command::Rename, Command::AddChild, Command::EditValues];
                        if card.is_some_and(|c| c.has_children) {
                            entries.push(Command::ToggleCollapse);
                        }
                        for command in entries {
                            if command.menu_item(ui, lang, true) {
                                out.command = Some(command);
                                close = true;
                            }
                        }
                        ui.separator();
                        for command in [Command::Copy, Command::Duplicate, Command::Delete] {
                            if command.menu_item(ui, lang, true) {
                                out.command = Some(command);
                                close = true;
                            }
                        }
                    }
                    Open::Canvas { at, .. } => {
                        heading(ui, T::CreateHere.get(lang));
                        let kinds =
                            [(Kind::Kgi, Command::AddKgi), (Kind::Ksf, Command::AddKsf), (Kind::Kpi, Command::AddKpi)];
                        for (kind, command) in kinds {
                            if wide_button(ui, command.label(lang), false).clicked() {
                                add(kind, *at, None, out);
                                close = true;
                            }
                        }
                    }
                    Open::Connected { parent, at, .. } => {
                        heading(ui, T::CreateConnected.get(lang));
                        // Only the kinds that may stand below this parent.
                        let parent_kind = input.doc.node(parent).map_or(Kind::Kgi, |n| n.kind);
                        for (kind, command) in [(Kind::Ksf, Command::AddKsf), (Kind::Kpi, Command::AddKpi)] {
                            if kind.may_be_term_of(parent_kind).is_ok()
                                && wide_button(ui, command.label(lang), false).clicked()
                            {
                                add(kind, *at, Some(parent), out);
                                close = true;
                            }
                        }
                    }
                    Open::Operator { parent, child, .. } => {
                        heading(ui, T::ChangeOp.get(lang));
                        let current =
                            input.doc.edges.iter().find(|e| e.parent == *parent && e.child == *child).map(|e| e.op);
                        for op in Op::ALL {
                            let label = if op == Op::Link {
                                format!("{}  {}", op.symbol(), T::OpLink.get(lang))
                            } else {
                                op.symbol().to_owned()
                            };
                            if wide_button(ui, &label, current == Some(op)).clicked() {
                                out.edits.push(Edit::SetOp { parent: parent.clone(), child: child.clone(), op });
                                close = true;
                            }
                        }
                    }
                });
            });
        if close {
            self.open = None;
        }
    }
}

/// A menu's heading, on one line whatever the language.
fn heading(ui: &mut Ui, text: &str) {
    ui.add(egui::Label::new(egui::RichText::new(text).strong()).wrap_mode(egui::TextWrapMode::Extend));
}

/// The width of the canvas's menus: their headings and labels on one line
/// in both languages.
const MENU_WIDTH: f32 = 200.0;

/// A menu button the width of the menu and 28 px tall; `current` marks the
/// choice in force (the operator the term has now).
fn wide_button(ui: &mut Ui, text: &str, current: bool) -> egui::Response {
    ui.add(egui::Button::selectable(current, text).min_size(vec2(MENU_WIDTH, 28.0)))
}

/// A name being typed in place on a card: the one state of a rename, kept
/// by the window and drawn by the canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct Renaming {
    /// The node renamed.
    pub id: NodeId,
    /// The text typed so far.
    pub text: String,
    /// Where the cursor goes when the field first has the keyboard.
    pub fresh: Fresh,
}

impl Renaming {
    /// A rename of `id` from `text`, the whole of it selected so that typing
    /// replaces it (F2, a new card).
    pub fn select_all(id: NodeId, text: String) -> Renaming {
        Renaming { id, text, fresh: Fresh::SelectAll }
    }

    /// A rename that typing began: the cursor after the typed `text`.
    pub fn typed(id: NodeId, text: String) -> Renaming {
        Renaming { id, text, fresh: Fresh::AtEnd }
    }
}

/// What a name field does with its text when it first has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fresh {
    /// Select the whole name, so that typing replaces it (F2, a new card).
    SelectAll,
    /// Put the cursor after the text (a rename started by typing).
    AtEnd,
    /// The field has had the keyboard: leave its cursor alone.
    Done,
}

/// The name field over a card being renamed: the whole name selected at
/// first, or the cursor after a name that typing began (`fresh`, until the
/// field has really had the keyboard); Enter keeps the text, Escape cancels
/// (as does clicking elsewhere). `Some(keep)` when done.
pub(super) fn rename_ui(ui: &mut Ui, card: Rect, zoom: f32, text: &mut String, fresh: &mut Fresh) -> Option<bool> {
    let id = Id::new("kpitree-rename");
    let size = (m::NAME as f32 * zoom).clamp(super::MIN_TEXT, 40.0);
    let left = card.min.x + ((m::ACCENT + m::PAD_X) as f32 - 4.0) * zoom;
    let top = card.min.y + (m::PAD_Y as f32 + 12.0) * zoom;
    let width = (card.max.x - left - 8.0 * zoom).max(160.0);
    let mut result = None;
    egui::Area::new(id.with("area")).order(egui::Order::Foreground).fixed_pos(Pos2::new(left, top)).show(
        ui.ctx(),
        |ui| {
            // The keyboard taken before the field reads this frame's text (a
            // name typed in the same burst as the Tab that made its card).
            match *fresh {
                Fresh::SelectAll => take_keyboard(ui, id, text, true),
                Fresh::AtEnd => {
                    take_keyboard(ui, id, text, false);
                    let mut state = egui::text_edit::TextEditState::load(ui.ctx(), id).unwrap_or_default();
                    state.cursor.set_char_range(Some(CCursorRange::one(CCursor::new(text.chars().count()))));
                    state.store(ui.ctx(), id);
                }
                Fresh::Done => {}
            }
            let had = ui.memory(|m| m.has_focus(id));
            let output = egui::TextEdit::singleline(text).id(id).font(font(size, true)).desired_width(width).show(ui);
            let response = output.response;
            let enter = ui.input(|i| i.key_pressed(egui::Key::Enter));
            // An area's first frame only measures it and takes no keyboard:
            // the field is set up again until it has had the keyboard (kept
            // it, or given it up to the Enter that ends the naming).
            let focused = had && (response.has_focus() || enter);
            if focused {
                *fresh = Fresh::Done;
            } else if *fresh == Fresh::Done && !response.has_focus() && !response.lost_focus() {
                response.request_focus();
            }
            if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
                result = Some(false);
            } else if focused && enter && !response.has_focus() {
                result = Some(true);
            } else if response.lost_focus() {
                // Clicked elsewhere.
                result = Some(false);
            }
        },
    );
    result
}

/// The values of a card being typed in place: unit, target and actual.
#[derive(Debug, Clone, PartialEq)]
pub struct ValuesDraft {
    /// The node.
    pub id: NodeId,
    /// Unit, target and actual as typed.
    pub fields: [String; 3],
    /// Which field has the keyboard.
    pub focus: usize,
    /// The field was just opened (select its text).
    pub fresh: bool,
}

impl ValuesDraft {
    /// A draft of `node`'s values as they are.
    pub fn of(node: &crate::model::Node) -> ValuesDraft {
        let number = |v: Option<f64>| v.map(crate::model::number::edit_text).unwrap_or_default();
        ValuesDraft {
            id: node.id.clone(),
            fields: [node.unit.clone().unwrap_or_default(), number(node.target), number(node.actual)],
            focus: 0,
            fresh: true,
        }
    }

    /// The edits the draft makes to `node`; `None` while a number does not
    /// read (a good value is never replaced by bad text).
    pub fn edits(&self, node: &crate::model::Node) -> Option<Vec<Edit>> {
        use crate::model::number::parse_number;
        let target = parse_number(&self.fields[1]).ok()?;
        let actual = parse_number(&self.fields[2]).ok()?;
        let unit = Some(self.fields[0].trim().to_owned()).filter(|u| !u.is_empty());
        let mut edits = Vec::new();
        let id = &self.id;
        if unit != node.unit {
            edits.push(Edit::SetField(id.clone(), Field::Unit(unit)));
        }
        if target != node.target {
            edits.push(Edit::SetField(id.clone(), Field::Target(target)));
        }
        if actual != node.actual {
            edits.push(Edit::SetField(id.clone(), Field::Actual(actual)));
        }
        // One Ctrl+Enter, one undo step.
        Some(if edits.len() > 1 { vec![Edit::Batch(edits)] } else { edits })
    }
}

/// The unit, target and actual fields over a card: Tab moves on, Enter
/// keeps everything (when every number reads), Escape cancels. `Some(keep)`
/// when done.
///
/// The field with the keyboard takes it before it is drawn, and a Tab moves
/// the keyboard after the fields have taken this frame's text: with
/// [`crate::ui::input_order`] holding back what follows a Tab, `25 Tab 20`
/// typed in one burst puts 25 in one field and 20 in the next.
pub(super) fn values_ui(ui: &mut Ui, card: Rect, draft: &mut ValuesDraft, lang: crate::lang::Lang) -> Option<bool> {
    use crate::model::number::parse_number;
    let id = Id::new("kpitree-values");
    let mut result = None;
    let (tab, back, enter, escape) = ui.input(|i| {
        (
            i.key_pressed(egui::Key::Tab) && !i.modifiers.shift,
            i.key_pressed(egui::Key::Tab) && i.modifiers.shift,
            i.key_pressed(egui::Key::Enter),
            i.key_pressed(egui::Key::Escape),
        )
    });
    let labels = [T::Unit, T::Target, T::Actual];
    // Before any field is drawn, so that the one that had the keyboard last
    // frame does not take this frame's text.
    take_keyboard(ui, id.with(draft.focus), &draft.fields[draft.focus], draft.fresh);
    let mut had_keyboard = false;
    egui::Area::new(id.with("area"))
        .order(egui::Order::Foreground)
        .fixed_pos(Pos2::new(card.min.x, card.max.y + 4.0))
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).show(ui, |ui| {
                egui::Grid::new(id.with("grid")).num_columns(2).show(ui, |ui| {
                    for (k, label) in labels.iter().enumerate() {
                        let caption = ui.label(label.get(lang));
                        let valid = k == 0 || parse_number(&draft.fields[k]).is_ok();
                        let field_id = id.with(k);
                        let mut edit = egui::TextEdit::singleline(&mut draft.fields[k])
                            .id(field_id)
                            .desired_width(140.0)
                            .lock_focus(true);
                        if !valid {
                            edit = edit.text_color(egui::Color32::from_rgb(200, 40, 40));
                        }
                        let output = edit.show(ui);
                        let _ = (*output.response).clone().labelled_by(caption.id);
                        if k == draft.focus && output.response.has_focus() {
                            had_keyboard = true;
                        }
                        if k != draft.focus && output.response.clicked() {
                            // A click moves the keyboard to another field.
                            draft.focus = k;
                        }
                        ui.end_row();
                    }
                });
            });
        });
    if had_keyboard {
        // Selected until the field has really had the keyboard (an area's
        // first frame only measures it).
        draft.fresh = false;
    }
    if tab || back {
        draft.focus = (draft.focus + if back { 2 } else { 1 }) % 3;
        draft.fresh = true;
    }
    if escape {
        result = Some(false);
    } else if enter {
        let all_read = (1..3).all(|k| parse_number(&draft.fields[k]).is_ok());
        if all_read {
            result = Some(true);
        }
    }
    result
}

/// Gives field `field_id` the keyboard before it reads this frame's input;
/// `select_all` when it was just reached (typing replaces its text).
fn take_keyboard(ui: &Ui, field_id: Id, text: &str, select_all: bool) {
    if !ui.memory(|m| m.has_focus(field_id)) {
        ui.memory_mut(|m| m.request_focus(field_id));
    }
    if select_all {
        let mut state = egui::text_edit::TextEditState::load(ui.ctx(), field_id).unwrap_or_default();
        let end = text.chars().count();
        state.cursor.set_char_range(Some(CCursorRange::two(CCursor::new(0), CCursor::new(end))));
        state.store(ui.ctx(), field_id);
    }
}
