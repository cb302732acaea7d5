//! The right panel: every field of the selected node, its terms and parents.

use egui::{Color32, RichText, Ui};
use rustc_hash::FxHashMap;

use super::i18n::T;
use super::long_text::{INLINE, LongField, LongText};
use crate::eval::Evaluation;
use crate::format::format_number;
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
    /// A text too long for its field, open in a window of its own.
    pub long: LongText,
    /// The monthly table of the selected node.
    series: super::series_ui::SeriesTable,
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
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
                self.document_ui(ui, doc, lang, &mut out.edits);
            });
            return out;
        };
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            egui::Grid::new("inspector-grid").num_columns(2).spacing([8.0, 6.0]).striped(false).show(ui, |ui| {
                self.fields_ui(ui, node, eval, lang, &mut out.edits);
            });
            // A measured leaf's values per period (a computed node's come from its terms).
            let computed = eval.and_then(|e| e.get(&node.id)).is_some_and(|v| v.computed);
            if node.kind != Kind::Ksf && !computed && node.constant.is_none() {
                self.series.ui(ui, doc, node, lang, &mut out.edits);
            }
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
        if node.name.len() > INLINE {
            self.long.preview(ui, &node.name, LongField::Name(id.clone()), lang);
        } else {
            let mut name = node.name.clone();
            let edit = egui::TextEdit::singleline(&mut name).desired_width(f32::INFINITY);
            if ui.add(edit).labelled_by(label.id).changed() {
                set(edits, Field::Name(name));
            }
        }
        ui.end_row();

        if node.kind != Kind::Ksf {
            let label = ui.label(T::Unit.get(lang));
            if node.unit_str().len() > INLINE {
                self.long.preview(ui, node.unit_str(), LongField::Unit(id.clone()), lang);
            } else {
                ui.horizontal(|ui| {
                    let mut unit = node.unit.clone().unwrap_or_default();
                    let r = ui.add(egui::TextEdit::singleline(&mut unit).desired_width(90.0)).labelled_by(label.id);
                    if r.changed() {
                        set(edits, Field::Unit(Some(unit.clone()).filter(|u| !u.is_empty())));
                    }
                    // Not in the Tab order: Tab goes from the unit to the target.
                    let pick = ui
                        .add(egui::Button::new("⏷").small().sense(egui::Sense::CLICK))
                        .on_hover_text(T::CommonUnits.get(lang));
                    egui::Popup::menu(&pick).show(|ui| {
                        for u in COMMON_UNITS {
                            if ui.selectable_label(node.unit_str() == *u, *u).clicked() {
                                set(edits, Field::Unit(Some((*u).to_owned())));
                            }
                        }
                    });
                });
            }
            ui.end_row();

            let value = eval.and_then(|e| e.get(id));
            // A leaf KPI is measured (a target and an actual) or a constant term.
            let leaf = node.kind == Kind::Kpi && !value.is_some_and(|v| v.computed);
            if leaf {
                let label = ui.label(T::LeafValue.get(lang));
                let mut constant = node.constant.is_some();
                ui.horizontal(|ui| {
                    ui.selectable_value(&mut constant, false, T::Measured.get(lang));
                    ui.selectable_value(&mut constant, true, T::Constant.get(lang))
                        .on_hover_text(T::ConstantHint.get(lang));
                })
                .response
                .labelled_by(label.id);
                if constant != node.constant.is_some() {
                    // The number it starts from: what the card showed.
                    let start = node.target.or(node.actual).unwrap_or(1.0);
                    set(edits, Field::Constant(constant.then_some(start)));
                }
                ui.end_row();
            }
            if leaf && node.constant.is_some() {
                let label = ui.label(T::Constant.get(lang));
                // Emptying the field keeps the constant (a blank one means nothing).
                if let Some(Some(v)) = self.number_field(ui, "constant", id, node.constant, lang, label.id) {
                    set(edits, Field::Constant(Some(v)));
                }
                ui.end_row();
            }
            if !(leaf && node.constant.is_some()) {
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
                            let text =
                                format!("= {} {} ({})", format_number(c), node.unit_str(), T::Computed.get(lang));
                            ui.label(RichText::new(text).small().color(Color32::from_gray(100)))
                                .on_hover_text(T::EnteredHint.get(lang));
                        }
                    });
                    ui.end_row();
                }
                if let Some(p) = value.and_then(|v| v.progress) {
                    ui.label(T::Progress.get(lang));
                    ui.label(
                        RichText::new(crate::format::percent(p, 1)).color(super::card::progress_color(p)).strong(),
                    );
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
        }

        let label = ui.label(T::Deadline.get(lang));
        if let Some(d) = self.date_field(ui, "deadline", id, node.deadline, lang, label.id) {
            set(edits, Field::Deadline(d));
        }
        ui.end_row();

        for (label, value, make, long) in [
            (T::Owner, &node.owner, Field::Owner as fn(Option<String>) -> Field, LongField::Owner(id.clone())),
            (T::Source, &node.source, Field::Source, LongField::Source(id.clone())),
        ] {
            let label = ui.label(label.get(lang));
            let current = value.as_deref().unwrap_or_default();
            if current.len() > INLINE {
                self.long.preview(ui, current, long, lang);
            } else {
                let mut text = current.to_owned();
                let edit = egui::TextEdit::singleline(&mut text).desired_width(f32::INFINITY);
                if ui.add(edit).labelled_by(label.id).changed() {
                    set(edits, make(Some(text).filter(|t| !t.is_empty())));
                }
            }
            ui.end_row();
        }

        let label = ui.label(T::Note.get(lang));
        let note = node.note.as_deref().unwrap_or_default();
        if note.len() > INLINE {
            // A capped preview; the whole note opens on demand.
            self.long.preview(ui, note, LongField::Note(id.clone()), lang);
        } else {
            let mut note = node.note.clone().unwrap_or_default();
            if ui
                .add(egui::TextEdit::multiline(&mut note).desired_rows(3).desired_width(f32::INFINITY))
                .labelled_by(label.id)
                .changed()
            {
                set(edits, Field::Note(Some(note).filter(|t| !t.is_empty())));
            }
        }
        ui.end_row();
    }

    /// The window of a text too long for its field, when one is open.
    pub fn long_text_ui(&mut self, ctx: &egui::Context, doc: &Document, lang: Lang, edits: &mut Vec<Edit>) {
        self.long.window_ui(ctx, doc, lang, edits);
    }

    /// The document's own properties, when no node is selected: title,
    /// description and the planning period (which pacing needs).
    fn document_ui(&mut self, ui: &mut Ui, doc: &Document, lang: Lang, edits: &mut Vec<Edit>) {
        ui.strong(super::commands::Command::Properties.label(lang));
        ui.weak(T::NothingSelected.get(lang));
        ui.add_space(6.0);
        let none = NodeId::default();
        egui::Grid::new("inspector-document").num_columns(2).spacing([8.0, 6.0]).show(ui, |ui| {
            let label = ui.label(T::Title.get(lang));
            let title = doc.title.as_deref().unwrap_or_default();
            if title.len() > INLINE {
                self.long.preview(ui, title, LongField::Title, lang);
            } else {
                let mut title = title.to_owned();
                let edit = egui::TextEdit::singleline(&mut title).desired_width(f32::INFINITY);
                if ui.add(edit).labelled_by(label.id).changed() {
                    edits.push(Edit::SetTitle(Some(title).filter(|t| !t.is_empty())));
                }
            }
            ui.end_row();

            let label = ui.label(T::Description.get(lang));
            let description = doc.description.as_deref().unwrap_or_default();
            if description.len() > INLINE {
                self.long.preview(ui, description, LongField::Description, lang);
            } else {
                let mut text = description.to_owned();
                let edit = egui::TextEdit::multiline(&mut text).desired_rows(2).desired_width(f32::INFINITY);
                if ui.add(edit).labelled_by(label.id).changed() {
                    edits.push(Edit::SetDescription(Some(text).filter(|t| !t.is_empty())));
                }
            }
            ui.end_row();

            let period = doc.period.clone().unwrap_or_default();
            for (key, caption, value) in [
                ("period-start", T::PeriodStart, period.start),
                ("period-end", T::PeriodEnd, period.end),
                ("period-as-of", T::PeriodAsOf, period.as_of),
            ] {
                let label = ui.label(caption.get(lang));
                if let Some(date) = self.date_field(ui, key, &none, value, lang, label.id) {
                    let mut next = period.clone();
                    match key {
                        "period-start" => next.start = date,
                        "period-end" => next.end = date,
                        _ => next.as_of = date,
                    }
                    let empty =
                        next.start.is_none() && next.end.is_none() && next.as_of.is_none() && next.extra.is_empty();
                    edits.push(Edit::SetPeriod((!empty).then_some(next)));
                }
                ui.end_row();
            }
        });
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

    /// A date typed as YYYY-MM-DD, or picked from a calendar.
    fn date_field(
        &mut self,
        ui: &mut Ui,
        key: &'static str,
        id: &NodeId,
        current: Option<Date>,
        lang: Lang,
        label: egui::Id,
    ) -> Option<Option<Date>> {
        let shown = current.map(|d| d.to_string()).unwrap_or_default();
        let parse = |t: &str| if t.trim().is_empty() { Some(None) } else { Date::parse(t.trim()).map(Some) };
        ui.horizontal(|ui| {
            let typed = self.draft_field(ui, key, id, shown, lang, T::InvalidDate, label, parse);
            let picked = calendar(ui, key, current, lang);
            picked.map(Some).or(typed).filter(|v| *v != current)
        })
        .inner
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

/// A button opening a month calendar; the day clicked, if any.
fn calendar(ui: &mut Ui, key: &'static str, current: Option<Date>, lang: Lang) -> Option<Date> {
    let button = ui.add(egui::Button::new("📅").small().sense(egui::Sense::CLICK)).on_hover_text(T::PickDate.get(lang));
    let month_id = ui.make_persistent_id(("calendar-month", key));
    let mut picked = None;
    egui::Popup::menu(&button).close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside).show(|ui| {
        let today = current.or_else(|| Date::parse("2026-01-01")).unwrap_or(Date { year: 2026, month: 1, day: 1 });
        let mut month: Date = ui.data(|d| d.get_temp(month_id)).unwrap_or(today.add_months(0));
        ui.horizontal(|ui| {
            if ui.small_button("◀").clicked() {
                month = month.add_months(-1);
            }
            ui.strong(format!("{:04}-{:02}", month.year, month.month));
            if ui.small_button("▶").clicked() {
                month = month.add_months(1);
            }
        });
        let names = if lang == Lang::Ja {
            ["月", "火", "水", "木", "金", "土", "日"]
        } else {
            ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
        };
        egui::Grid::new(("calendar", key)).num_columns(7).spacing([2.0, 2.0]).show(ui, |ui| {
            for n in names {
                ui.weak(n);
            }
            ui.end_row();
            for _ in 0..month.weekday() {
                ui.label("");
            }
            for day in 1..=month.month_days() {
                let date = Date { day, ..month };
                let chosen = current == Some(date);
                if ui.selectable_label(chosen, format!("{day:>2}")).clicked() {
                    picked = Some(date);
                    ui.close();
                }
                if date.weekday() == 6 {
                    ui.end_row();
                }
            }
        });
        ui.data_mut(|d| d.insert_temp(month_id, month));
    });
    picked
}
