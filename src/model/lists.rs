//! The node and edge lists of a document, shared between snapshots.
//!
//! Every edit makes a new snapshot of the document (for undo, the evaluator
//! and the canvas), so copying one must not copy a 100,000-node tree:
//! [`Nodes`] holds each node behind an `Arc` (a copy shares every node, and
//! an edit copies only the nodes it changes) and [`Edges`] holds the whole
//! edge list behind one `Arc` (most edits do not touch edges at all).
//!
//! [`Nodes`] also keeps the id → position map, so that finding a node by id
//! is O(1). The map is built on first use and shared between snapshots with
//! the same ids; only adding, removing or re-identifying nodes drops it.

use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, OnceLock};

use rustc_hash::FxHashMap;

use super::{Edge, Node, NodeId};

/// Id → position of the first node with that id.
type Index = FxHashMap<NodeId, u32>;

/// Id → position of the first node with that id, as one snapshot of a
/// node list had it ([`Nodes::shared_index`]).
#[derive(Clone, Default, Debug)]
pub struct SharedIndex(Arc<OnceLock<Index>>);

impl SharedIndex {
    /// The position of the first node with this id.
    pub fn get(&self, id: &str) -> Option<usize> {
        self.0.get()?.get(id).map(|&i| i as usize)
    }

    /// How many distinct ids.
    pub fn len(&self) -> usize {
        self.0.get().map_or(0, std::collections::HashMap::len)
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The nodes of a document, in file order.
///
/// Reads like a slice of `Arc<Node>` (`nodes.iter()`, `nodes[i].name`,
/// `nodes.len()`); changes go through the methods below, which keep the id
/// index right.
#[derive(Clone, Default)]
pub struct Nodes {
    list: Vec<Arc<Node>>,
    index: Arc<OnceLock<Index>>,
}

impl Nodes {
    /// No nodes.
    pub fn new() -> Nodes {
        Nodes::default()
    }

    /// The position of the first node with this id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index().get(id).map(|&i| i as usize)
    }

    /// The id index, shared (built first when it was not): an evaluation
    /// of this snapshot keeps it to find values by id. Changing the ids
    /// later gives the list a new index; this one stays as it was.
    pub fn shared_index(&self) -> SharedIndex {
        self.index();
        SharedIndex(Arc::clone(&self.index))
    }

    /// True when no two nodes share an id.
    pub fn ids_unique(&self) -> bool {
        self.index().len() == self.list.len()
    }

    /// The first node with this id.
    pub fn get_by_id(&self, id: &str) -> Option<&Node> {
        self.position(id).map(|i| &*self.list[i])
    }

    /// True when a node has this id.
    pub fn contains(&self, id: &str) -> bool {
        self.position(id).is_some()
    }

    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut map = Index::with_capacity_and_hasher(self.list.len(), Default::default());
            for (i, node) in self.list.iter().enumerate() {
                map.entry(node.id.clone()).or_insert(i as u32);
            }
            map
        })
    }

    /// The ids changed: the index is built again when next needed. Always
    /// a lock of its own: one not built yet may be shared with a snapshot
    /// whose ids did not change, which would take this list's index.
    fn forget_index(&mut self) {
        self.index = Arc::default();
    }

    /// Makes room for `more` nodes.
    pub fn reserve(&mut self, more: usize) {
        self.list.reserve(more);
    }

    /// Adds a node at the end.
    pub fn push(&mut self, node: Node) {
        self.push_shared(Arc::new(node));
    }

    /// Adds a node that another document shares at the end.
    #[allow(clippy::cast_possible_truncation, reason = "indices: a 256 MB document has far fewer than 2^32 nodes")]
    pub fn push_shared(&mut self, node: Arc<Node>) {
        if let Some(index) = Arc::get_mut(&mut self.index).and_then(OnceLock::get_mut) {
            // Nobody else uses this index: keep it up to date in place.
            index.entry(node.id.clone()).or_insert(self.list.len() as u32);
        } else {
            self.forget_index();
        }
        self.list.push(node);
    }

    /// The node at `i`, to change. Only this node is copied (when another
    /// snapshot shares it); changing its id keeps the index right.
    pub fn get_mut(&mut self, i: usize) -> Option<NodeMut<'_>> {
        let slot = self.list.get_mut(i)?;
        let id_before = slot.id.clone();
        Some(NodeMut { node: Arc::make_mut(slot), id_before, index_of_list: &mut self.index })
    }

    /// The first node with this id, to change.
    pub fn get_mut_by_id(&mut self, id: &str) -> Option<NodeMut<'_>> {
        let i = self.position(id)?;
        self.get_mut(i)
    }

    /// Every node, to change (each is copied when another snapshot shares
    /// it). The id index is built again afterwards, in case an id changed.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Node> {
        self.forget_index();
        self.list.iter_mut().map(Arc::make_mut)
    }

    /// Keeps only the nodes for which `keep` is true.
    pub fn retain(&mut self, mut keep: impl FnMut(&Node) -> bool) {
        let before = self.list.len();
        self.list.retain(|n| keep(n));
        if self.list.len() != before {
            self.forget_index();
        }
    }

    /// Swaps two nodes (their order in the file).
    pub fn swap(&mut self, a: usize, b: usize) {
        if a != b {
            self.list.swap(a, b);
            self.forget_index();
        }
    }

    /// Takes every node out, leaving none.
    pub fn take(&mut self) -> Vec<Arc<Node>> {
        self.forget_index();
        std::mem::take(&mut self.list)
    }

    /// The nodes as a slice of shared nodes.
    pub fn as_slice(&self) -> &[Arc<Node>] {
        &self.list
    }

    /// True when both lists hold the very same node allocations (a cheap
    /// "unchanged" test between snapshots).
    pub fn same_allocations(&self, other: &Nodes) -> bool {
        self.list.len() == other.list.len() && self.list.iter().zip(&other.list).all(|(a, b)| Arc::ptr_eq(a, b))
    }
}

/// A node borrowed for change from [`Nodes`].
pub struct NodeMut<'a> {
    // Named unlike any field of `Node`, which is reached through `Deref`.
    node: &'a mut Node,
    id_before: NodeId,
    index_of_list: &'a mut Arc<OnceLock<Index>>,
}

impl Deref for NodeMut<'_> {
    type Target = Node;
    fn deref(&self) -> &Node {
        self.node
    }
}

impl DerefMut for NodeMut<'_> {
    fn deref_mut(&mut self) -> &mut Node {
        self.node
    }
}

impl Drop for NodeMut<'_> {
    fn drop(&mut self) {
        if self.node.id != self.id_before {
            *self.index_of_list = Arc::default();
        }
    }
}

impl Deref for Nodes {
    type Target = [Arc<Node>];
    fn deref(&self) -> &[Arc<Node>] {
        &self.list
    }
}

impl PartialEq for Nodes {
    fn eq(&self, other: &Nodes) -> bool {
        self.list.len() == other.list.len()
            && self.list.iter().zip(&other.list).all(|(a, b)| Arc::ptr_eq(a, b) || **a == **b)
    }
}

impl fmt::Debug for Nodes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.list.iter().map(|n| &**n)).finish()
    }
}

impl FromIterator<Node> for Nodes {
    fn from_iter<I: IntoIterator<Item = Node>>(iter: I) -> Nodes {
        Nodes { list: iter.into_iter().map(Arc::new).collect(), index: Arc::default() }
    }
}

impl FromIterator<Arc<Node>> for Nodes {
    fn from_iter<I: IntoIterator<Item = Arc<Node>>>(iter: I) -> Nodes {
        Nodes { list: iter.into_iter().collect(), index: Arc::default() }
    }
}

impl From<Vec<Node>> for Nodes {
    fn from(list: Vec<Node>) -> Nodes {
        list.into_iter().collect()
    }
}

impl Extend<Node> for Nodes {
    fn extend<I: IntoIterator<Item = Node>>(&mut self, iter: I) {
        for node in iter {
            self.push(node);
        }
    }
}

impl<'a> IntoIterator for &'a Nodes {
    type Item = &'a Arc<Node>;
    type IntoIter = std::slice::Iter<'a, Arc<Node>>;
    fn into_iter(self) -> Self::IntoIter {
        self.list.iter()
    }
}

impl<'a> IntoIterator for &'a mut Nodes {
    type Item = &'a mut Node;
    type IntoIter = std::iter::Map<std::slice::IterMut<'a, Arc<Node>>, fn(&mut Arc<Node>) -> &mut Node>;
    fn into_iter(self) -> Self::IntoIter {
        self.forget_index();
        self.list.iter_mut().map(Arc::make_mut as fn(&mut Arc<Node>) -> &mut Node)
    }
}

/// The edges of a document; a parent's edges in this order are the order of
/// its terms. Reads like a slice of [`Edge`]; [`Edges::make_mut`] gives the
/// list to change (copied first when another snapshot shares it).
#[derive(Clone, Default)]
pub struct Edges(Arc<Vec<Edge>>);

impl Edges {
    /// No edges.
    pub fn new() -> Edges {
        Edges::default()
    }

    /// The list, to change.
    pub fn make_mut(&mut self) -> &mut Vec<Edge> {
        Arc::make_mut(&mut self.0)
    }

    /// Adds an edge at the end.
    pub fn push(&mut self, edge: Edge) {
        self.make_mut().push(edge);
    }

    /// Keeps only the edges for which `keep` is true (copying the list only
    /// when one goes).
    pub fn retain(&mut self, mut keep: impl FnMut(&Edge) -> bool) {
        if self.0.iter().all(&mut keep) {
            return;
        }
        // `all` stopped at the first edge to drop; test every edge once more
        // in the copy, which is simpler than remembering where.
        self.make_mut().retain(keep);
    }

    /// True when both lists are the very same allocation.
    pub fn same_allocation(&self, other: &Edges) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for Edges {
    type Target = [Edge];
    fn deref(&self) -> &[Edge] {
        &self.0
    }
}

impl PartialEq for Edges {
    fn eq(&self, other: &Edges) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl fmt::Debug for Edges {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromIterator<Edge> for Edges {
    fn from_iter<I: IntoIterator<Item = Edge>>(iter: I) -> Edges {
        Edges(Arc::new(iter.into_iter().collect()))
    }
}

impl From<Vec<Edge>> for Edges {
    fn from(list: Vec<Edge>) -> Edges {
        Edges(Arc::new(list))
    }
}

impl Extend<Edge> for Edges {
    fn extend<I: IntoIterator<Item = Edge>>(&mut self, iter: I) {
        self.make_mut().extend(iter);
    }
}

impl<'a> IntoIterator for &'a Edges {
    type Item = &'a Edge;
    type IntoIter = std::slice::Iter<'a, Edge>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Kind;

    fn nodes(ids: &[&str]) -> Nodes {
        ids.iter().map(|id| Node::new(*id, Kind::Kpi, *id)).collect()
    }

    /// A copy shares the index's lock before either builds it: a change of
    /// order or id in one must not leave the other reading its index.
    #[test]
    fn a_copy_changed_before_either_is_indexed_keeps_its_own_index() {
        let original = nodes(&["a", "b", "c"]);
        let mut swapped = original.clone();
        swapped.swap(0, 2);
        assert_eq!(swapped.position("a"), Some(2));
        assert_eq!(original.position("a"), Some(0), "the original reads the copy's index");
        let original = nodes(&["a", "b"]);
        let mut renamed = original.clone();
        renamed.get_mut(0).unwrap().id = "z".into();
        assert_eq!(renamed.position("z"), Some(0));
        assert_eq!(original.position("z"), None);
        assert_eq!(original.position("a"), Some(0));
    }

    #[test]
    fn lookups_find_the_first_node_with_an_id() {
        let n = nodes(&["a", "b", "a"]);
        assert_eq!(n.position("a"), Some(0));
        assert_eq!(n.position("b"), Some(1));
        assert_eq!(n.position("c"), None);
    }

    #[test]
    fn the_index_follows_pushes_removals_and_new_ids() {
        let mut n = nodes(&["a", "b"]);
        assert_eq!(n.position("b"), Some(1));
        n.push(Node::new("c", Kind::Kpi, "c"));
        assert_eq!(n.position("c"), Some(2));
        n.retain(|node| node.id.as_str() != "a");
        assert_eq!(n.position("c"), Some(1));
        assert_eq!(n.position("a"), None);
        n.get_mut(0).unwrap().id = NodeId::from("z");
        assert_eq!(n.position("z"), Some(0));
        assert_eq!(n.position("b"), None);
    }

    #[test]
    fn a_copy_shares_every_node_until_one_changes() {
        let a = nodes(&["a", "b", "c"]);
        let mut b = a.clone();
        assert!(a.same_allocations(&b));
        b.get_mut(1).unwrap().name = "B".into();
        assert!(!a.same_allocations(&b));
        assert!(Arc::ptr_eq(&a[0], &b[0]) && Arc::ptr_eq(&a[2], &b[2]));
        assert_eq!(a[1].name, "b", "the other snapshot keeps its node");
        assert_eq!(a.position("b"), b.position("b"));
    }

    #[test]
    fn edges_are_copied_only_when_one_changes() {
        let a: Edges = vec![Edge::new("p", "a", crate::model::Op::Add)].into();
        let mut b = a.clone();
        b.retain(|_| true);
        assert!(a.same_allocation(&b));
        b.retain(|_| false);
        assert!(!a.same_allocation(&b));
        assert_eq!(a.len(), 1);
        assert!(b.is_empty());
    }
}
