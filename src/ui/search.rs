//! Ctrl+F: find nodes by name, id, owner or note. Matches light up on the
//! canvas; Enter and Shift+Enter go to the next and previous (selected and
//! centred); Escape closes.

use std::sync::Arc;

use egui::Ui;
use rustc_hash::FxHashSet;

use super::app::KpiApp;
use super::i18n::T;
use crate::model::{Document, NodeId};

/// The search bar's state.
#[derive(Default)]
pub struct Search {
    open: bool,
    query: String,
    /// The match last gone to.
    current: Option<usize>,
    focus: bool,
    /// The matches of `query` in the document of `revision`.
    cache: Option<(u64, String, Arc<Vec<NodeId>>)>,
}

impl Search {
    /// Opens the bar with the keyboard in it.
    pub fn open(&mut self) {
        self.open = true;
        self.focus = true;
    }

    /// True while the bar is shown.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// The nodes matching the query, in tree order.
    fn matches(&mut self, doc: &Document, revision: u64) -> Arc<Vec<NodeId>> {
        if let Some((r, q, m)) = &self.cache
            && *r == revision
            && *q == self.query
        {
            return Arc::clone(m);
        }
        let found = Arc::new(find(doc, &self.query));
        self.cache = Some((revision, self.query.clone(), Arc::clone(&found)));
        found
    }

    /// The matches to light up on the canvas, while the bar is open.
    pub fn highlighted(&mut self, doc: &Document, revision: u64) -> Option<FxHashSet<NodeId>> {
        if !self.open || self.query.trim().is_empty() {
            return None;
        }
        Some(self.matches(doc, revision).iter().cloned().collect())
    }
}

/// Nodes whose name, id, owner or note contains `query` (case and width
/// of Latin letters ignored), in the order the tree reads: depth first
/// from the goal ([`Document::depth_first`]), so Enter steps down the tree
/// whatever order the file lists the nodes in.
pub fn find(doc: &Document, query: &str) -> Vec<NodeId> {
    let q = fold(query.trim());
    if q.is_empty() {
        return Vec::new();
    }
    let hit = |text: &str| fold(text).contains(&q);
    doc.depth_first()
        .into_iter()
        .map(|i| &doc.nodes[i])
        .filter(|n| {
            hit(&n.name)
                || hit(n.id.as_str())
                || n.owner.as_deref().is_some_and(hit)
                || n.note.as_deref().is_some_and(|t| hit(&t.chars().take(10_000).collect::<String>()))
        })
        .map(|n| n.id.clone())
        .collect()
}

/// Lower case, full-width ASCII as ASCII: ＫＰＩ finds kpi.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

impl KpiApp {
    /// The search bar above the canvas, when open.
    pub(super) fn search_ui(&mut self, ui: &mut Ui) {
        if !self.search.is_open() {
            return;
        }
        let lang = self.lang;
        let doc = Arc::clone(self.session.document());
        let revision = self.session.revision();
        let mut go: Option<isize> = None;
        let mut close = false;
        egui::Panel::top("kpitree-search").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(super::commands::Command::Find.label(lang));
                let id = egui::Id::new("kpitree-search-field");
                let response = ui.add(
                    egui::TextEdit::singleline(&mut self.search.query)
                        .id(id)
                        .hint_text(T::FindHint.get(lang))
                        .desired_width(280.0),
                );
                if std::mem::take(&mut self.search.focus) {
                    response.request_focus();
                }
                if response.changed() {
                    self.search.current = None;
                }
                let (enter, shift, escape) = ui
                    .input(|i| (i.key_pressed(egui::Key::Enter), i.modifiers.shift, i.key_pressed(egui::Key::Escape)));
                if response.lost_focus() && enter {
                    go = Some(if shift { -1 } else { 1 });
                    response.request_focus();
                }
                if escape {
                    close = true;
                }
                let found = self.search.matches(&doc, revision);
                let at = self.search.current.map_or(0, |k| k + 1);
                ui.label(format!("{at} / {}", found.len()));
                if ui.small_button("▲").on_hover_text(T::FindPrevious.get(lang)).clicked() {
                    go = Some(-1);
                }
                if ui.small_button("▼").on_hover_text(T::FindNext.get(lang)).clicked() {
                    go = Some(1);
                }
                if ui.small_button("✕").on_hover_text(T::Close.get(lang)).clicked() {
                    close = true;
                }
            });
        });
        if let Some(step) = go {
            let found = self.search.matches(&doc, revision);
            if !found.is_empty() {
                let n = found.len() as isize;
                let next = match self.search.current {
                    None if step > 0 => 0,
                    None => n - 1,
                    Some(k) => (k as isize + step).rem_euclid(n),
                };
                self.search.current = Some(next as usize);
                let id = found[next as usize].clone();
                self.select(Some(id.clone()));
                self.canvas.focus(id);
            }
        }
        if close {
            self.search.open = false;
            self.canvas.take_focus();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Node};

    #[test]
    fn matches_come_in_tree_order_not_file_order() {
        use crate::model::{Edge, Op};
        let mut doc = Document::new();
        // The file lists the second term first.
        doc.nodes.push(Node::new("rate", Kind::Kpi, "アポ率"));
        doc.nodes.push(Node::new("calls", Kind::Kpi, "テレアポ数"));
        doc.nodes.push(Node::new("kgi", Kind::Kgi, "商談数"));
        doc.edges.push(Edge::new("kgi", "calls", Op::Mul));
        doc.edges.push(Edge::new("kgi", "rate", Op::Mul));
        let ids: Vec<String> = find(&doc, "ア").iter().map(|i| i.to_string()).collect();
        assert_eq!(ids, ["calls", "rate"]);
    }

    #[test]
    fn names_ids_owners_and_notes_are_searched() {
        let mut doc = Document::new();
        let mut a = Node::new("calls", Kind::Kpi, "テレアポ数");
        a.owner = Some("営業".into());
        let mut b = Node::new("rate", Kind::Kpi, "アポ率");
        b.note = Some("テレアポからの率".into());
        doc.nodes.push(a);
        doc.nodes.push(b);
        doc.nodes.push(Node::new("kgi", Kind::Kgi, "商談数"));
        let ids = |q: &str| find(&doc, q).iter().map(|i| i.to_string()).collect::<Vec<_>>();
        assert_eq!(ids("テレアポ"), ["calls", "rate"]);
        assert_eq!(ids("ＣＡＬＬＳ"), ["calls"], "full-width and upper case find the id");
        assert_eq!(ids("営業"), ["calls"]);
        assert!(ids("  ").is_empty());
    }
}
