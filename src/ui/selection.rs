//! What is selected: a set of nodes with a primary one (the one the
//! inspector shows and the arrow keys walk from), always in the set.

use rustc_hash::FxHashSet;

use crate::model::{Document, NodeId};

/// The selected nodes, in the order they were picked, with a primary one.
///
/// Invariants (checked by the tests below): the primary is in the set when
/// there is one, and there is one whenever the set is not empty; no node is
/// in it twice; membership is a hash lookup, so a box over 20,000 cards and
/// a canvas painting each card's highlight stay linear.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// In the order picked; the primary is usually the last.
    order: Vec<NodeId>,
    members: FxHashSet<NodeId>,
    primary: Option<NodeId>,
}

impl Selection {
    /// The node the inspector shows, if any.
    pub fn primary(&self) -> Option<&NodeId> {
        self.primary.as_ref()
    }

    /// Every selected node, in the order picked.
    pub fn ids(&self) -> &[NodeId] {
        &self.order
    }

    /// Whether `id` is selected.
    pub fn contains(&self, id: &NodeId) -> bool {
        self.members.contains(id)
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// Selects just `id`, or nothing.
    pub fn set_one(&mut self, id: Option<NodeId>) {
        self.clear();
        if let Some(id) = id {
            self.add(id);
        }
    }

    /// Selects nothing.
    pub fn clear(&mut self) {
        self.order.clear();
        self.members.clear();
        self.primary = None;
    }

    /// Adds `id` (if it is not in yet) and makes it the primary.
    pub fn add(&mut self, id: NodeId) {
        if self.members.insert(id.clone()) {
            self.order.push(id.clone());
        }
        self.primary = Some(id);
    }

    /// Adds every id (a box drawn, a select-all); the last new one becomes
    /// the primary.
    pub fn extend(&mut self, ids: impl IntoIterator<Item = NodeId>) {
        for id in ids {
            if self.members.insert(id.clone()) {
                self.order.push(id.clone());
                self.primary = Some(id);
            }
        }
    }

    /// Adds `id`, or takes it out if it is in (the primary then falls to the
    /// node picked last).
    pub fn toggle(&mut self, id: NodeId) {
        if self.members.remove(&id) {
            self.order.retain(|s| *s != id);
            if self.primary.as_ref() == Some(&id) {
                self.primary = self.order.last().cloned();
            }
        } else {
            self.add(id);
        }
    }

    /// Forgets the nodes `doc` no longer has (after a delete, an undo, a
    /// reload); the primary falls to the node picked last if it went.
    pub fn keep_existing(&mut self, doc: &Document) {
        if self.order.iter().all(|id| doc.nodes.contains(id.as_str())) {
            return;
        }
        self.order.retain(|id| doc.nodes.contains(id.as_str()));
        self.members.retain(|id| doc.nodes.contains(id.as_str()));
        if self.primary.as_ref().is_some_and(|p| !self.members.contains(p)) {
            self.primary = self.order.last().cloned();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kind, Node};

    fn id(s: &str) -> NodeId {
        NodeId::from(s)
    }

    /// The invariants every operation keeps.
    fn check(s: &Selection) {
        assert_eq!(s.order.len(), s.members.len(), "no node twice: {s:?}");
        assert!(s.order.iter().all(|i| s.members.contains(i)), "{s:?}");
        match &s.primary {
            Some(p) => assert!(s.contains(p), "the primary is selected: {s:?}"),
            None => assert!(s.is_empty(), "a selection has a primary: {s:?}"),
        }
    }

    #[test]
    fn the_primary_is_always_selected_and_nothing_twice() {
        let mut s = Selection::default();
        check(&s);
        s.set_one(Some(id("a")));
        check(&s);
        s.extend([id("b"), id("a"), id("c")]);
        check(&s);
        assert_eq!((s.ids(), s.primary()), (&[id("a"), id("b"), id("c")][..], Some(&id("c"))));
        s.toggle(id("c"));
        check(&s);
        assert_eq!(s.primary(), Some(&id("b")), "falls to the one picked last");
        s.toggle(id("a"));
        s.toggle(id("b"));
        check(&s);
        assert!(s.is_empty());
        s.toggle(id("d"));
        check(&s);
        assert_eq!((s.ids().len(), s.primary()), (1, Some(&id("d"))));
        s.add(id("d"));
        check(&s);
        assert_eq!(s.ids().len(), 1);
        s.set_one(None);
        check(&s);
        assert!(s.primary().is_none());
    }

    #[test]
    fn nodes_gone_from_the_document_leave_the_selection() {
        let mut doc = Document::new();
        for name in ["a", "b"] {
            doc.nodes.push(Node::new(name, Kind::Kpi, name));
        }
        let mut s = Selection::default();
        s.extend([id("a"), id("gone"), id("b"), id("also-gone")]);
        assert_eq!(s.primary(), Some(&id("also-gone")));
        s.keep_existing(&doc);
        check(&s);
        assert_eq!((s.ids(), s.primary()), (&[id("a"), id("b")][..], Some(&id("b"))));
        s.set_one(Some(id("a")));
        s.keep_existing(&doc);
        assert_eq!(s.primary(), Some(&id("a")), "an existing primary stays");
    }
}
