//! The right panel: every field of the selected node, its terms and parents.

use egui::{Color32, RichText, Ui};
use rustc_hash::FxHashMap;

use super::i18n::T;
use crate::eval::{Evaluation, format_number};
use crate::lang::Lang;
use crate::model::number::{edit_text, parse_number};
use crate::model::{Date, Direction, Document, Edit, Field, Indicator, Kind, Node, NodeId, Op};

/// Units offered while typing in the unit field.
pub const COMMON_UNITS: &[&str] = &[
    "円",
    "千円",
    "万円",
    "百万円",
    "億円",
    "件",
    "人",
    "社",
    "%",
    "回",
    "個",
    "時間",
    "日",
    "円/人",
    "万円/社",
    "円/件",
    "件/人",
    "回/日",
    "席",
];

/// Text being typed into fields that must parse (numbers, dates): kept while
/// the text is invalid, so a typo never overwrites the last good value.
#[derive(Default)]
pub struct Inspector {
    drafts: FxHashMap<&'static str, (NodeId, String)>,
}

/// What the inspector asks of the app.
#[derive(Default)]
pub struct InspectorOutput {
    /// Edits to apply.
    pub edits: Vec<Edit>,
    /// A node to select (clicked in the terms or parents list).
    pub select: Option<NodeId>,
}

impl Inspector {
    /// Shows the inspector for `selected`.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        doc: &Document,
        eval: Option<&Evaluation>,
        selected: Option<&NodeId>,
        lang: Lang,
    ) -> InspectorOutput {
        let mut out = InspectorOutput::default();
        ui.heading(T::Inspector.get(lang));
        ui.separator();
        let Some(node) = selected.and_then(|id| doc.node(id)) else {
            ui.label(T::NothingSelected.get(lang));
            return out;
        };
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            egui::Grid::new("inspector-grid").num_columns(2).spacing([8.0, 6.0]).striped(false).show(ui, |ui| {
                self.fields_ui(ui, node, eval, lang, &mut out.edits);
            });
            ui.add_space(8.0);
            terms_ui(ui, doc, node, lang, &mut out);
        });
        out
    }

    fn fields_ui(&mut self, ui: &mut Ui, node: &Node, eval: Option<&Evaluation>, lang: Lang, edits: &mut Vec<Edit>) {
        let id = &node.id;
        let set = |edits: &mut Vec<Edit>, f: Field| edits.push(Edit::SetField(id.clone(), f));

        ui.label(T::Id.get(lang));
        ui.label(RichText::new(id.as_str()).monospace().color(Color32::GRAY));
        ui.end_row();

        ui.label(T::Kind.get(lang));
        let mut kind = node.kind;
        egui::ComboBox::from_id_salt("inspector-kind").selected_text(kind.as_str()).show_ui(ui, |ui| {
            for k in Kind::ALL {
                ui.selectable_value(&mut kind, k, k.as_str());
            }
        });
        if kind != node.kind {
            set(edits, Field::Kind(kind));
        }
        ui.end_row();

        let label = ui.label(T::Name.get(lang));
        let mut name = node.name.clone();
        if ui.add(egui::TextEdit::singleline(&mut name).desired_width(f32::INFINITY)).labelled_by(label.id).changed() {
            set(edits, Field::Name(name));
        }
        ui.end_row();

        if node.kind != Kind::Ksf {
            let label = ui.label(T::Unit.get(lang));
            ui.horizontal(|ui| {
                let mut unit = node.unit.clone().unwrap_or_default();
                let r = ui.add(egui::TextEdit::singleline(&mut unit).desired_width(90.0)).labelled_by(label.id);
                if r.changed() {
                    set(edits, Field::Unit(Some(unit.clone()).filter(|u| !u.is_empty())));
                }
                egui::ComboBox::from_id_salt("inspector-unit-suggest").selected_text("").width(30.0).show_ui(
                    ui,
                    |ui| {
                        for u in COMMON_UNITS {
                            if ui.selectable_label(node.unit_str() == *u, *u).clicked() {
                                set(edits, Field::Unit(Some((*u).to_owned())));
                            }
                        }
                    },
                );
            });
            ui.end_row();

            let value = eval.and_then(|e| e.get(id));
            for (key, label, entered, computed) in [
                ("target", T::Target, node.target, value.and_then(|v| v.computed_target)),
                ("actual", T::Actual, node.actual, value.and_then(|v| v.computed_actual)),
            ] {
                let label = ui.label(label.get(lang));
                ui.vertical(|ui| {
                    if let Some(v) = self.number_field(ui, key, id, entered, lang, label.id) {
                        set(edits, if key == "target" { Field::Target(v) } else { Field::Actual(v) });
                    }
                    if let Some(c) = computed {
                        let text = format!("= {} {} ({})", format_number(c), node.unit_str(), T::Computed.get(lang));
                        ui.label(RichText::new(text).small().color(Color32::from_gray(100)))
                            .on_hover_text(T::EnteredHint.get(lang));
                    }
                });
                ui.end_row();
            }
            if let Some(p) = value.and_then(|v| v.progress) {
                ui.label(T::Progress.get(lang));
                ui.label(RichText::new(format!("{:.1}%", p * 100.0)).color(super::card::progress_color(p)).strong());
                ui.end_row();
            }

            ui.label(T::Direction.get(lang));
            let mut dir = node.direction;
            let dir_text = |d: Option<Direction>| match d {
                None | Some(Direction::Up) => T::Up.get(lang),
                Some(Direction::Down) => T::Down.get(lang),
            };
            egui::ComboBox::from_id_salt("inspector-direction").selected_text(dir_text(dir)).show_ui(ui, |ui| {
                ui.selectable_value(&mut dir, None, T::Up.get(lang));
                ui.selectable_value(&mut dir, Some(Direction::Down), T::Down.get(lang));
            });
            if dir != node.direction {
                set(edits, Field::Direction(dir));
            }
            ui.end_row();

            ui.label(T::Indicator.get(lang));
            let mut ind = node.indicator;
            let ind_text = |i: Option<Indicator>| match i {
                None => T::NotSet.get(lang),
                Some(Indicator::Leading) => T::Leading.get(lang),
                Some(Indicator::Lagging) => T::Lagging.get(lang),
            };
            egui::ComboBox::from_id_salt("inspector-indicator").selected_text(ind_text(ind)).show_ui(ui, |ui| {
                for i in [None, Some(Indicator::Leading), Some(Indicator::Lagging)] {
                    ui.selectable_value(&mut ind, i, ind_text(i));
                }
            });
            if ind != node.indicator {
                set(edits, Field::Indicator(ind));
            }
            ui.end_row();
        }

        let label = ui.label(T::Deadline.get(lang));
        if let Some(d) = self.date_field(ui, id, node.deadline, lang, label.id) {
            set(edits, Field::Deadline(d));
        }
        ui.end_row();

        for (label, value, make) in [
            (T::Owner, &node.owner, Field::Owner as fn(Option<String>) -> Field),
            (T::Source, &node.source, Field::Source),
        ] {
            let label = ui.label(label.get(lang));
            let mut text = value.clone().unwrap_or_default();
            if ui
                .add(egui::TextEdit::singleline(&mut text).desired_width(f32::INFINITY))
                .labelled_by(label.id)
                .changed()
            {
                set(edits, make(Some(text).filter(|t| !t.is_empty())));
            }
            ui.end_row();
        }

        let label = ui.label(T::Note.get(lang));
        let mut note = node.note.clone().unwrap_or_default();
        if ui
            .add(egui::TextEdit::multiline(&mut note).desired_rows(3).desired_width(f32::INFINITY))
            .labelled_by(label.id)
            .changed()
        {
            set(edits, Field::Note(Some(note).filter(|t| !t.is_empty())));
        }
        ui.end_row();
    }

    /// A text field for a number. Returns the new value when the text parses
    /// and changed; invalid text turns red and leaves the value alone.
    fn number_field(
        &mut self,
        ui: &mut Ui,
        key: &'static str,
        id: &NodeId,
        current: Option<f64>,
        lang: Lang,
        label: egui::Id,
    ) -> Option<Option<f64>> {
        let shown = current.map(edit_text).unwrap_or_default();
        self.draft_field(ui, key, id, shown, lang, T::InvalidNumber, label, |t| parse_number(t).ok())
            .filter(|v| *v != current)
    }

    fn date_field(
        &mut self,
        ui: &mut Ui,
        id: &NodeId,
        current: Option<Date>,
        lang: Lang,
        label: egui::Id,
    ) -> Option<Option<Date>> {
        let shown = current.map(|d| d.to_string()).unwrap_or_default();
        let parse = |t: &str| if t.trim().is_empty() { Some(None) } else { Date::parse(t.trim()).map(Some) };
        self.draft_field(ui, "deadline", id, shown, lang, T::InvalidDate, label, parse).filter(|v| *v != current)
    }

    #[allow(clippy::too_many_arguments)]
    fn draft_field<V>(
        &mut self,
        ui: &mut Ui,
        key: &'static str,
        id: &NodeId,
        shown: String,
        lang: Lang,
        invalid: T,
        label: egui::Id,
        parse: impl Fn(&str) -> Option<V>,
    ) -> Option<V> {
        let edit_id = ui.make_persistent_id(("inspector-draft", key));
        let focused = ui.memory(|m| m.has_focus(edit_id));
        let draft = self.drafts.entry(key).or_insert_with(|| (id.clone(), shown.clone()));
        if draft.0 != *id || !focused {
            *draft = (id.clone(), shown);
        }
        let parsed = parse(&draft.1);
        let mut edit = egui::TextEdit::singleline(&mut draft.1).id(edit_id).desired_width(140.0);
        if parsed.is_none() {
            edit = edit.text_color(Color32::from_rgb(210, 40, 40));
        }
        let response = ui.add(edit).labelled_by(label);
        let response = if parsed.is_none() { response.on_hover_text(invalid.get(lang)) } else { response };
        if response.changed() { parse(&draft.1) } else { None }
    }
}

fn terms_ui(ui: &mut Ui, doc: &Document, node: &Node, lang: Lang, out: &mut InspectorOutput) {
    ui.strong(T::Terms.get(lang));
    let terms: Vec<_> = doc.edges.iter().filter(|e| e.parent == node.id).collect();
    if terms.is_empty() {
        ui.label(RichText::new(T::NoTerms.get(lang)).small().color(Color32::GRAY));
    }
    let count = terms.len();
    for (k, e) in terms.into_iter().enumerate() {
        ui.horizontal(|ui| {
            let mut op = e.op;
            egui::ComboBox::from_id_salt(("term-op", k)).width(44.0).selected_text(op.symbol()).show_ui(ui, |ui| {
                for o in Op::ALL {
                    ui.selectable_value(&mut op, o, if o == Op::Link { T::OpLink.get(lang) } else { o.symbol() });
                }
            });
            if op != e.op {
                out.edits.push(Edit::SetOp { parent: e.parent.clone(), child: e.child.clone(), op });
            }
            let name = doc.node(&e.child).map_or(e.child.as_str(), |c| c.name.as_str());
            if ui.link(name).clicked() {
                out.select = Some(e.child.clone());
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.small_button("✖").on_hover_text(T::Disconnect.get(lang)).clicked() {
                    out.edits.push(Edit::Disconnect { parent: e.parent.clone(), child: e.child.clone() });
                }
                if ui
                    .add_enabled(k + 1 < count, egui::Button::new("⏷").small())
                    .on_hover_text(T::MoveDown.get(lang))
                    .clicked()
                {
                    out.edits.push(Edit::MoveTerm { parent: e.parent.clone(), child: e.child.clone(), up: false });
                }
                if ui.add_enabled(k > 0, egui::Button::new("⏶").small()).on_hover_text(T::MoveUp.get(lang)).clicked()
                {
                    out.edits.push(Edit::MoveTerm { parent: e.parent.clone(), child: e.child.clone(), up: true });
                }
            });
        });
    }
    let parents: Vec<_> = doc.edges.iter().filter(|e| e.child == node.id).collect();
    if !parents.is_empty() {
        ui.add_space(6.0);
        ui.strong(T::Parents.get(lang));
        for e in parents {
            let name = doc.node(&e.parent).map_or(e.parent.as_str(), |p| p.name.as_str());
            ui.horizontal(|ui| {
                ui.label(e.op.symbol());
                if ui.link(name).clicked() {
                    out.select = Some(e.parent.clone());
                }
            });
        }
    }
}
