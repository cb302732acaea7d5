//! Edits: every change the editor makes to a document, as data.
//!
//! A gesture on the canvas or a field in the inspector becomes an [`Edit`];
//! applying it is the only way the editor changes the document, so undo,
//! tests and the canvas all see the same operations.

use rustc_hash::FxHashSet;

use super::{Date, Direction, Document, Edge, Indicator, Kind, LayoutMode, Node, NodeId, Op};

/// A field's value as a node keeps it: numbers that are not finite never
/// enter a node (the loader refuses them; an edit drops them).
trait Clean {
    fn clean(self) -> Self;
}

impl Clean for Option<f64> {
    fn clean(self) -> Self {
        self.filter(|x| x.is_finite())
    }
}

impl Clean for Option<[f64; 2]> {
    fn clean(self) -> Self {
        self.filter(|p| p.iter().all(|x| x.is_finite()))
    }
}

impl Clean for Option<super::Series> {
    fn clean(self) -> Self {
        self.map(|mut s| {
            for v in s.values_mut() {
                v.target = v.target.clean();
                v.actual = v.actual.clean();
            }
            s
        })
    }
}

macro_rules! clean_as_is {
    ($($t:ty),*) => { $(impl Clean for $t { fn clean(self) -> Self { self } })* };
}
clean_as_is!(bool, Option<String>, Option<Direction>, Option<Date>, Option<Indicator>, Option<super::Aggregate>);

fn clean<T: Clean>(v: T) -> T {
    v.clean()
}

macro_rules! define_field {
    ($($(#[$doc:meta])* $field:ident ($variant:ident): $ty:ty = $codec:ident,)*) => {
        /// One field of a node: its name, its kind, or one of the optional
        /// fields of the one list (`node_fields!`).
        #[derive(Debug, Clone, PartialEq)]
        pub enum Field {
            /// The label.
            Name(String),
            /// KGI, KSF or KPI.
            Kind(Kind),
            $($(#[$doc])* $variant($ty),)*
        }

        impl Field {
            /// The field's name in the file (`name`, `kind`, `unit`, …).
            pub fn name(&self) -> &'static str {
                match self {
                    Field::Name(_) => "name",
                    Field::Kind(_) => "kind",
                    $(Field::$variant(_) => stringify!($field),)*
                }
            }
        }

        /// True when setting `field` would change `node` (so that a no-op
        /// does not copy the node out of a shared snapshot).
        fn would_change(node: &Node, field: &Field) -> bool {
            match field {
                Field::Name(v) => node.name != *v,
                Field::Kind(v) => node.kind != *v,
                $(Field::$variant(v) => node.$field != clean(v.clone()),)*
            }
        }

        /// Sets `field` of `node`; true when it changed.
        fn set_field(node: &mut Node, field: Field) -> bool {
            fn set<T: PartialEq>(slot: &mut T, value: T) -> bool {
                if *slot == value {
                    return false;
                }
                *slot = value;
                true
            }
            match field {
                Field::Name(v) => set(&mut node.name, v),
                Field::Kind(v) => set(&mut node.kind, v),
                $(Field::$variant(v) => set(&mut node.$field, clean(v)),)*
            }
        }
    };
}

super::node_fields!(define_field);

/// A change to a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Adds a node, optionally as a new last term of a parent.
    AddNode {
        /// The node (its id must be fresh: see [`Document::fresh_id`]).
        node: Box<Node>,
        /// The parent and the operator to connect it with.
        parent: Option<(NodeId, Op)>,
    },
    /// Removes nodes and every edge that touches them.
    RemoveNodes(Vec<NodeId>),
    /// Appends an edge (a new last term of `parent`).
    Connect {
        /// The parent.
        parent: NodeId,
        /// The new term.
        child: NodeId,
        /// Its operator.
        op: Op,
    },
    /// Removes the edge `parent → child`.
    Disconnect {
        /// The parent.
        parent: NodeId,
        /// The term.
        child: NodeId,
    },
    /// Removes the edges `disconnect` (parent, term) and appends the edges
    /// `connect` (parent, term, operator), each as [`Edit::Connect`] would
    /// (never twice, never onto itself, both ends present), in one pass over
    /// the edges: many cards dropped onto a new parent at once.
    Relink {
        /// The edges removed.
        disconnect: Vec<(NodeId, NodeId)>,
        /// The edges appended, in order.
        connect: Vec<(NodeId, NodeId, Op)>,
    },
    /// Changes the operator of the edge `parent → child`.
    SetOp {
        /// The parent.
        parent: NodeId,
        /// The term.
        child: NodeId,
        /// The new operator.
        op: Op,
    },
    /// Moves the term `child` one place earlier (`up`) or later among its
    /// parent's terms.
    MoveTerm {
        /// The parent.
        parent: NodeId,
        /// The term.
        child: NodeId,
        /// Earlier when true.
        up: bool,
    },
    /// Moves the term `child` of `parent` to position `to` among the
    /// parent's terms (0 = first; past the end = last).
    ReorderTerm {
        /// The parent.
        parent: NodeId,
        /// The term.
        child: NodeId,
        /// Its new position among the parent's terms.
        to: usize,
    },
    /// Several edits as one step (a drag that moves a card under another
    /// parent disconnects and connects).
    Batch(Vec<Edit>),
    /// Sets one field of a node.
    SetField(NodeId, Field),
    /// Sets canvas positions (a drag, or an auto-layout).
    SetPositions(Vec<(NodeId, [f64; 2])>),
    /// Sets the document title.
    SetTitle(Option<String>),
    /// Sets the document's one-line description.
    SetDescription(Option<String>),
    /// Sets the planning period (start, end, as-of date).
    SetPeriod(Option<super::Period>),
    /// Replaces the document's what-if scenarios.
    SetScenarios(Vec<super::scenario::Scenario>),
    /// Chooses automatic or free placement (`None`: decided by the file).
    SetLayout(Option<LayoutMode>),
    /// Inserts copies of `nodes` with fresh ids (their ids as stems), the
    /// `edges` among them re-pointed to the copies, moved by `offset` (paste
    /// and duplicate). Edges to nodes outside `nodes` are dropped.
    Insert {
        /// The nodes to copy.
        nodes: Vec<Node>,
        /// Edges among them.
        edges: Vec<Edge>,
        /// Added to every position.
        offset: [f64; 2],
    },
    /// Replaces the whole document (a merge of two copies), as one step.
    Replace(Box<super::Document>),
}

impl Edit {
    /// Applies the edit. Returns false, leaving the document as it was, when
    /// the edit does not apply (an unknown node, an edge that exists already,
    /// a term that cannot move further).
    pub fn apply(self, doc: &mut Document) -> bool {
        match self {
            Edit::AddNode { node, parent } => {
                if node.id.as_str().is_empty() || doc.nodes.contains(node.id.as_str()) {
                    return false;
                }
                if let Some((p, _)) = &parent
                    && !doc.nodes.contains(p.as_str())
                {
                    return false;
                }
                let id = node.id.clone();
                doc.nodes.push(*node);
                if let Some((p, op)) = parent {
                    doc.edges.push(Edge::new(p, id, op));
                }
                true
            }
            Edit::RemoveNodes(ids) => {
                let ids: FxHashSet<&str> = ids.iter().map(NodeId::as_str).collect();
                let before = (doc.nodes.len(), doc.edges.len());
                doc.nodes.retain(|n| !ids.contains(n.id.as_str()));
                doc.edges.retain(|e| !ids.contains(e.parent.as_str()) && !ids.contains(e.child.as_str()));
                before != (doc.nodes.len(), doc.edges.len())
            }
            Edit::Connect { parent, child, op } => {
                let exists = doc.edges.iter().any(|e| e.parent == parent && e.child == child);
                if exists
                    || parent == child
                    || !doc.nodes.contains(parent.as_str())
                    || !doc.nodes.contains(child.as_str())
                {
                    return false;
                }
                doc.edges.push(Edge::new(parent, child, op));
                true
            }
            Edit::Disconnect { parent, child } => {
                let before = doc.edges.len();
                doc.edges.retain(|e| !(e.parent == parent && e.child == child));
                before != doc.edges.len()
            }
            Edit::Relink { disconnect, connect } => {
                let before = doc.edges.len();
                if !disconnect.is_empty() {
                    let gone: FxHashSet<(&str, &str)> =
                        disconnect.iter().map(|(p, c)| (p.as_str(), c.as_str())).collect();
                    doc.edges.retain(|e| !gone.contains(&(e.parent.as_str(), e.child.as_str())));
                }
                let mut changed = before != doc.edges.len();
                if !connect.is_empty() {
                    let mut have: FxHashSet<(NodeId, NodeId)> =
                        doc.edges.iter().map(|e| (e.parent.clone(), e.child.clone())).collect();
                    for (parent, child, op) in connect {
                        let fresh = parent != child
                            && doc.nodes.contains(parent.as_str())
                            && doc.nodes.contains(child.as_str())
                            && have.insert((parent.clone(), child.clone()));
                        if fresh {
                            doc.edges.push(Edge::new(parent, child, op));
                            changed = true;
                        }
                    }
                }
                changed
            }
            Edit::SetOp { parent, child, op } => {
                let Some(i) = doc.edges.iter().position(|e| e.parent == parent && e.child == child && e.op != op)
                else {
                    return false;
                };
                doc.edges.make_mut()[i].op = op;
                true
            }
            Edit::MoveTerm { parent, child, up } => {
                let terms: Vec<usize> =
                    doc.edges.iter().enumerate().filter(|(_, e)| e.parent == parent).map(|(i, _)| i).collect();
                let Some(k) = terms.iter().position(|&i| doc.edges[i].child == child) else { return false };
                let other = if up { k.checked_sub(1) } else { Some(k + 1) };
                let Some(&j) = other.and_then(|o| terms.get(o)) else { return false };
                doc.edges.make_mut().swap(terms[k], j);
                true
            }
            Edit::ReorderTerm { parent, child, to } => {
                let terms: Vec<usize> =
                    doc.edges.iter().enumerate().filter(|(_, e)| e.parent == parent).map(|(i, _)| i).collect();
                let Some(k) = terms.iter().position(|&i| doc.edges[i].child == child) else { return false };
                let to = to.min(terms.len() - 1);
                if to == k {
                    return false;
                }
                // The parent's edges keep their slots in the list; only which
                // edge sits in which slot changes.
                let edges = doc.edges.make_mut();
                let mut order: Vec<Edge> = terms.iter().map(|&i| edges[i].clone()).collect();
                let moved = order.remove(k);
                order.insert(to, moved);
                for (&slot, edge) in terms.iter().zip(order) {
                    edges[slot] = edge;
                }
                true
            }
            Edit::Replace(next) => {
                if *doc == *next {
                    return false;
                }
                *doc = *next;
                true
            }
            Edit::Batch(edits) => {
                let mut changed = false;
                for edit in edits {
                    changed |= edit.apply(doc);
                }
                changed
            }
            Edit::SetField(id, field) => {
                let Some(i) = doc.nodes.position(id.as_str()) else { return false };
                if !would_change(&doc.nodes[i], &field) {
                    return false;
                }
                doc.nodes.get_mut(i).is_some_and(|mut node| set_field(&mut node, field))
            }
            Edit::SetScenarios(list) => {
                if doc.scenarios.unreadable.is_none() && doc.scenarios.list == list {
                    return false;
                }
                doc.scenarios = super::scenario::Scenarios { list, unreadable: None };
                true
            }
            Edit::SetLayout(layout) => {
                if doc.layout == layout {
                    return false;
                }
                doc.layout = layout;
                true
            }
            Edit::SetPositions(positions) => {
                let mut changed = false;
                for (id, pos) in positions {
                    let Some(i) = doc.nodes.position(id.as_str()) else { continue };
                    if doc.nodes[i].pos != Some(pos)
                        && let Some(mut node) = doc.nodes.get_mut(i)
                    {
                        node.pos = Some(pos);
                        changed = true;
                    }
                }
                changed
            }
            Edit::Insert { nodes, edges, offset } => {
                let mut renamed: rustc_hash::FxHashMap<NodeId, NodeId> = rustc_hash::FxHashMap::default();
                for mut node in nodes {
                    let fresh = doc.fresh_id(node.id.as_str());
                    renamed.insert(node.id.clone(), fresh.clone());
                    node.id = fresh;
                    node.pos = node.pos.map(|[x, y]| [x + offset[0], y + offset[1]]);
                    doc.nodes.push(node);
                }
                let new_id = |old: &NodeId| renamed.get(old).cloned();
                for edge in edges {
                    if let (Some(parent), Some(child)) = (new_id(&edge.parent), new_id(&edge.child)) {
                        doc.edges.push(Edge { parent, child, ..edge });
                    }
                }
                !renamed.is_empty()
            }
            Edit::SetTitle(title) => {
                if doc.title == title {
                    return false;
                }
                doc.title = title;
                true
            }
            Edit::SetDescription(text) => {
                if doc.description == text {
                    return false;
                }
                doc.description = text;
                true
            }
            Edit::SetPeriod(period) => {
                if doc.period == period {
                    return false;
                }
                doc.period = period;
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Document {
        let mut d = Document::new();
        for id in ["p", "a", "b", "c"] {
            d.nodes.push(Node::new(id, Kind::Kpi, id));
        }
        for c in ["a", "b", "c"] {
            d.edges.push(Edge::new("p", c, Op::Add));
        }
        d
    }

    fn terms(d: &Document) -> Vec<&str> {
        d.edges.iter().filter(|e| e.parent.as_str() == "p").map(|e| e.child.as_str()).collect()
    }

    #[test]
    fn moving_a_term_up_swaps_it_with_the_previous_term_of_the_same_parent() {
        let mut d = doc();
        assert!(Edit::MoveTerm { parent: "p".into(), child: "c".into(), up: true }.apply(&mut d));
        assert_eq!(terms(&d), ["a", "c", "b"]);
    }

    #[test]
    fn reordering_moves_a_term_to_any_position_in_one_edit() {
        let mut d = doc();
        assert!(Edit::ReorderTerm { parent: "p".into(), child: "c".into(), to: 0 }.apply(&mut d));
        assert_eq!(terms(&d), ["c", "a", "b"]);
        assert!(Edit::ReorderTerm { parent: "p".into(), child: "c".into(), to: 9 }.apply(&mut d));
        assert_eq!(terms(&d), ["a", "b", "c"]);
        assert!(!Edit::ReorderTerm { parent: "p".into(), child: "c".into(), to: 2 }.apply(&mut d));
    }

    #[test]
    fn a_batch_applies_every_edit_as_one() {
        let mut d = doc();
        let moved = Edit::Batch(vec![
            Edit::Disconnect { parent: "p".into(), child: "c".into() },
            Edit::Connect { parent: "a".into(), child: "c".into(), op: Op::Mul },
        ]);
        assert!(moved.apply(&mut d));
        assert_eq!(terms(&d), ["a", "b"]);
        assert!(d.edges.iter().any(|e| e.parent.as_str() == "a" && e.child.as_str() == "c"));
    }

    #[test]
    fn a_relink_does_what_the_batch_of_its_disconnects_and_connects_does() {
        let relinks = [
            // Move c under a; a duplicate, a self-link and a missing end are refused.
            (
                vec![("p", "c")],
                vec![("a", "c", Op::Mul), ("a", "c", Op::Add), ("b", "b", Op::Add), ("a", "nobody", Op::Add)],
            ),
            // An edge that is not there, and one that already is.
            (vec![("a", "b")], vec![("p", "a", Op::Mul)]),
            (vec![], vec![]),
        ];
        for (disconnect, connect) in relinks {
            let (mut by_batch, mut by_relink) = (doc(), doc());
            let batch = Edit::Batch(
                disconnect
                    .iter()
                    .map(|&(p, c)| Edit::Disconnect { parent: p.into(), child: c.into() })
                    .chain(connect.iter().map(|&(p, c, op)| Edit::Connect { parent: p.into(), child: c.into(), op }))
                    .collect(),
            );
            let relink = Edit::Relink {
                disconnect: disconnect.iter().map(|&(p, c)| (p.into(), c.into())).collect(),
                connect: connect.iter().map(|&(p, c, op)| (p.into(), c.into(), op)).collect(),
            };
            let changed = (batch.apply(&mut by_batch), relink.apply(&mut by_relink));
            assert_eq!(changed.0, changed.1, "{disconnect:?} {connect:?}");
            assert_eq!(by_batch, by_relink, "{disconnect:?} {connect:?}");
        }
    }

    #[test]
    fn the_first_term_cannot_move_up() {
        let mut d = doc();
        assert!(!Edit::MoveTerm { parent: "p".into(), child: "a".into(), up: true }.apply(&mut d));
        assert_eq!(terms(&d), ["a", "b", "c"]);
    }

    #[test]
    fn connecting_an_existing_pair_or_a_node_to_itself_is_refused() {
        let mut d = doc();
        assert!(!Edit::Connect { parent: "p".into(), child: "a".into(), op: Op::Mul }.apply(&mut d));
        assert!(!Edit::Connect { parent: "a".into(), child: "a".into(), op: Op::Mul }.apply(&mut d));
        assert_eq!(d, doc());
    }

    #[test]
    fn removing_a_node_removes_its_edges() {
        let mut d = doc();
        assert!(Edit::RemoveNodes(vec!["b".into()]).apply(&mut d));
        assert_eq!(terms(&d), ["a", "c"]);
        assert!(d.node(&"b".into()).is_none());
    }

    #[test]
    fn inserting_copies_gives_fresh_ids_and_keeps_the_edges_among_them() {
        let mut d = doc();
        let nodes: Vec<Node> =
            d.nodes.iter().filter(|n| ["p", "a"].contains(&n.id.as_str())).map(|n| Node::clone(n)).collect();
        let edges = d.edges.to_vec();
        assert!(Edit::Insert { nodes, edges, offset: [40.0, 40.0] }.apply(&mut d));
        let ids: Vec<&str> = d.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["p", "a", "b", "c", "p_2", "a_2"]);
        let copied: Vec<(&str, &str)> = d.edges.iter().skip(3).map(|e| (e.parent.as_str(), e.child.as_str())).collect();
        assert_eq!(copied, [("p_2", "a_2")], "only the edge among the copies, re-pointed");
    }

    #[test]
    fn non_finite_numbers_never_enter_a_node() {
        let mut d = doc();
        Edit::SetField("a".into(), Field::Target(Some(f64::NAN))).apply(&mut d);
        assert_eq!(d.node(&"a".into()).unwrap().target, None);
    }
}
