//! What each command of the table does (`commands.rs` says what they are
//! called and which keys run them). The tree-building actions make the
//! keyboard as fast as a mind-map tool: Tab adds a term, Enter a sibling,
//! the arrows walk the tree, + − × ÷ set the operator.

use egui::Context;

use super::app::KpiApp;
use super::canvas::Renaming;
use super::canvas::{ValuesDraft, Walk};
use super::commands::Command;
use super::i18n::{T, new_node};
use crate::io;
use crate::model::{Edit, Field, Kind, LayoutMode, NodeId, Op};

impl KpiApp {
    /// Carries out a command from the table in `commands.rs`. Its edits are
    /// applied at once: the next command (in this frame too) sees them.
    pub fn run(&mut self, command: Command, ctx: &Context) {
        let mut edits = Vec::new();
        self.run_into(command, ctx, &mut edits);
        self.apply(edits);
    }

    fn run_into(&mut self, command: Command, ctx: &Context, edits: &mut Vec<Edit>) {
        match command {
            Command::New => self.files.ask_new(self.is_dirty()),
            Command::NewFromOutline => self.outline_dialog(),
            Command::Open => self.open_dialog(),
            Command::Save => {
                self.save_now();
            }
            Command::SaveAs => self.save_as_dialog(),
            Command::Properties => self.select(None),
            Command::Export => self.open_export(),
            Command::ImportActuals => self.open_import(),
            Command::CopyImage => self.copy_diagram(ctx),
            Command::MergeCopy => self.merge_dialog(),
            Command::HostRoom => self.host_room_dialog(),
            Command::JoinRoom => self.join_room_dialog(),
            Command::RoomInfo => self.room_info(),
            Command::LeaveRoom => self.leave_room(),
            Command::Quit => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::Copy | Command::Cut => {
                if let Some(doc) = self.selection_as_document() {
                    let text = io::to_json_string(&doc);
                    ctx.copy_text(text.clone());
                    self.copied = Some(text);
                    if command == Command::Cut {
                        edits.push(Edit::RemoveNodes(self.selection.ids().to_vec()));
                    }
                }
            }
            Command::Paste => {
                if let Some(text) = self.copied.clone() {
                    self.paste(&text);
                }
            }
            Command::Duplicate => {
                if let Some(doc) = self.selection_as_document() {
                    self.insert_copies(doc, true);
                }
            }
            Command::SelectAll => {
                self.selection.clear();
                self.selection.extend(self.session.document().nodes.iter().map(|n| n.id.clone()));
            }
            Command::Delete => {
                if !self.selection.is_empty() {
                    edits.push(Edit::RemoveNodes(self.selection.ids().to_vec()));
                }
            }
            Command::Find => self.search.open(),
            Command::AddChild => self.add_child(),
            Command::AddSibling => self.add_sibling(),
            Command::Rename => {
                if let Some(id) = self.selection.primary().cloned() {
                    self.rename(&id);
                }
            }
            Command::EditValues => {
                if let Some(id) = self.selection.primary().cloned() {
                    self.edit_values(&id);
                }
            }
            Command::OpAdd => self.set_operator(Op::Add, edits),
            Command::OpSub => self.set_operator(Op::Sub, edits),
            Command::OpMul => self.set_operator(Op::Mul, edits),
            Command::OpDiv => self.set_operator(Op::Div, edits),
            Command::SelectParent => self.walk(Walk::Parent),
            Command::SelectChild => self.walk(Walk::FirstTerm),
            Command::SelectPrevious => self.walk(Walk::Sibling(-1)),
            Command::SelectNext => self.walk(Walk::Sibling(1)),
            Command::ToggleCollapse => {
                if let Some(card) = self.selected_card() {
                    let id = card.id.clone();
                    let collapse = card.collapsed.is_none() && card.has_children;
                    if card.has_children {
                        edits.push(Edit::SetField(id, Field::Collapsed(collapse)));
                    }
                }
            }
            Command::AddKgi => edits.push(self.add_in_view(Kind::Kgi)),
            Command::AddKsf => edits.push(self.add_in_view(Kind::Ksf)),
            Command::AddKpi => edits.push(self.add_in_view(Kind::Kpi)),
            Command::Arrange => edits.extend(self.arrange()),
            Command::Fit => self.canvas.fit_to_view(),
            Command::ZoomIn => self.canvas.zoom_by(1.25),
            Command::ZoomOut => self.canvas.zoom_by(0.8),
            Command::ZoomActual => self.canvas.zoom_at(1.0),
            Command::ZoomSelection => {
                let ids = self.selection.ids().to_vec();
                self.canvas.zoom_to_cards(&ids);
            }
            Command::ToggleLayout => {
                let mode = match self.session.document().layout_mode() {
                    LayoutMode::Auto => LayoutMode::Free,
                    LayoutMode::Free => LayoutMode::Auto,
                };
                self.set_layout_mode(mode, edits);
            }
            Command::ToggleCompactYen => self.canvas.compact_yen = !self.canvas.compact_yen,
            Command::LanguageJa => self.set_language(crate::lang::Lang::Ja),
            Command::LanguageEn => self.set_language(crate::lang::Lang::En),
            Command::Present => self.start_presenting(ctx),
            Command::FullScreen => {
                let full = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(!full));
            }
            Command::Palette => self.palette.open(),
            Command::Shortcuts => self.palette.show_shortcuts(),
        }
    }

    /// The selected node's card in the diagram on screen.
    fn selected_card(&self) -> Option<&crate::export::Card> {
        let id = self.selection.primary()?;
        self.canvas.diagram()?.card(id)
    }

    /// Tab: a new term of the selected card (a KPI; linked under a KSF,
    /// else with the parent's last arithmetic operator or ×), selected, its
    /// name ready to be typed over.
    fn add_child(&mut self) {
        let doc = self.session.document();
        let Some(parent) = self.selection.primary().and_then(|s| doc.node(s)) else { return };
        let at = self.selected_card().map_or([0.0, 0.0], |c| {
            [c.rect[0] + c.rect[2] + crate::export::metrics::COLUMN_GAP, c.rect[1] + c.rect[3] + 16.0]
        });
        let node = new_node(doc, Kind::Kpi, self.lang, at);
        let op = doc.new_term_op(&parent.id, Kind::Kpi);
        let (parent_id, folded) = (parent.id.clone(), parent.collapsed);
        let (id, name) = (node.id.clone(), node.name.clone());
        let mut edits = vec![Edit::AddNode { node: Box::new(node), parent: Some((parent_id.clone(), op)) }];
        if folded {
            // A new term of a folded card: unfold it, so the term is seen.
            edits.push(Edit::SetField(parent_id, Field::Collapsed(false)));
        }
        self.apply(edits);
        self.start_naming(&id, &name);
    }

    /// Enter: a new sibling right after the selected card, with the same
    /// parent and operator (a new goal beside a goal).
    fn add_sibling(&mut self) {
        let doc = self.session.document();
        let Some(node) = self.selection.primary().and_then(|s| doc.node(s)) else { return };
        let at = self.selected_card().map_or([0.0, 0.0], |c| [c.rect[0], c.rect[1] + c.rect[3] + 16.0]);
        let kind = node.kind;
        let sibling = new_node(doc, kind, self.lang, at);
        let id = sibling.id.clone();
        let name = sibling.name.clone();
        let edit = match doc.edges.iter().find(|e| e.child == node.id) {
            None => Edit::AddNode { node: Box::new(sibling), parent: None },
            Some(edge) => {
                let parent = edge.parent.clone();
                let place =
                    doc.edges.iter().filter(|e| e.parent == parent).position(|e| e.child == node.id).unwrap_or(0);
                Edit::Batch(vec![
                    Edit::AddNode { node: Box::new(sibling), parent: Some((parent.clone(), edge.op)) },
                    Edit::ReorderTerm { parent, child: id.clone(), to: place + 1 },
                ])
            }
        };
        self.apply(vec![edit]);
        self.start_naming(&id, &name);
    }

    /// Opens `id`'s name for typing in place on its card — or, when it is
    /// too long for a field, in the window long texts are edited in.
    pub(super) fn rename(&mut self, id: &NodeId) {
        let Some(node) = self.session.document().node(id) else { return };
        if node.name.len() > super::long_text::INLINE {
            self.inspector.long.open(super::long_text::LongField::Name(id.clone()));
        } else {
            self.renaming = Some(Renaming::select_all(id.clone(), node.name.clone()));
        }
    }

    /// Opens `id`'s unit, target and actual for typing on its card — or its
    /// unit in the long-text window, when it is too long for a field.
    pub(super) fn edit_values(&mut self, id: &NodeId) {
        let Some(node) = self.session.document().node(id) else { return };
        if node.kind == Kind::Ksf {
            return;
        }
        if node.unit_str().len() > super::long_text::INLINE {
            self.inspector.long.open(super::long_text::LongField::Unit(id.clone()));
        } else {
            self.values_edit = Some(ValuesDraft::of(node));
        }
    }

    /// Selects a node just added and opens its name for typing, the
    /// placeholder selected so that typing replaces it.
    pub(super) fn start_naming(&mut self, id: &NodeId, name: &str) {
        if self.session.document().nodes.contains(id.as_str()) {
            self.select(Some(id.clone()));
            self.renaming = Some(Renaming::select_all(id.clone(), name.to_owned()));
        }
    }

    /// + − × ÷ on a selected term: the operator of the edge from its parent.
    fn set_operator(&mut self, op: Op, edits: &mut Vec<Edit>) {
        let doc = self.session.document();
        let Some(id) = self.selection.primary().cloned() else { return };
        if let Some(edge) = doc.edges.iter().find(|e| e.child == id) {
            edits.push(Edit::SetOp { parent: edge.parent.clone(), child: id, op });
        } else {
            self.files.status = Some((T::NoParentForOperator.get(self.lang).to_owned(), std::time::Instant::now()));
        }
    }

    /// Moves the selection through the tree on screen (the canvas walks
    /// its diagram by id: the selection may be newer than the diagram).
    fn walk(&mut self, walk: Walk) {
        let doc = self.session.document();
        if let Some(id) = self.canvas.walk(doc, self.selection.primary(), walk) {
            self.select(Some(id));
        }
    }
}
