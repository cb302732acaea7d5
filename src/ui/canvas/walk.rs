//! The arrow keys' walk through the tree as the canvas shows it: ← to the
//! parent, → to the first term, ↑ ↓ between siblings.
//!
//! The selection is a node of the document as it is now; the diagram at
//! hand is the worker's last answer, which may be older (a term just added
//! by Tab is not in it until the worker has laid it out). The walk finds
//! the selected node's card by id and goes through that diagram's links,
//! never mixing the document's node positions with the diagram's.

use super::*;

/// Where an arrow key moves the selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    /// ←: the parent.
    Parent,
    /// →: the first term.
    FirstTerm,
    /// ↑ (−1) or ↓ (+1): the previous or next sibling.
    Sibling(isize),
}

impl Canvas {
    /// The node an arrow key selects, walking from `from` (none: the first
    /// goal) through the tree the canvas shows; `None` to leave the
    /// selection as it is.
    pub fn walk(&self, doc: &Document, from: Option<&NodeId>, walk: Walk) -> Option<NodeId> {
        walk_in(self.diagram.as_deref()?, doc, from, walk)
    }
}

/// The walk in `d` (see [`Canvas::walk`]).
fn walk_in(d: &Diagram, doc: &Document, from: Option<&NodeId>, walk: Walk) -> Option<NodeId> {
    let Some(from) = from.filter(|id| doc.nodes.contains(id.as_str())) else {
        // Nothing selected: start at the first goal.
        return d.cards.iter().find(|c| c.kind == Kind::Kgi).or(d.cards.first()).map(|c| c.id.clone());
    };
    let Some(k) = d.card_index(from) else {
        // No card yet (just added, the worker still at it) or folded away:
        // ← goes up to the nearest node that has one; the other arrows wait
        // for the diagram that shows it.
        return match walk {
            Walk::Parent => shown_ancestor(d, doc, from),
            Walk::FirstTerm | Walk::Sibling(_) => None,
        };
    };
    let current = d.cards[k].node;
    let shown = |n: u32| d.card_of_node(n).is_some();
    let target = match walk {
        Walk::Parent => d.links.parents[current as usize].iter().copied().find(|&p| shown(p)),
        Walk::FirstTerm => d.links.children[current as usize].iter().map(|&(c, _)| c).find(|&c| shown(c)),
        Walk::Sibling(step) => {
            let parent = d.links.parents[current as usize].iter().copied().find(|&p| shown(p));
            let siblings: Vec<u32> = match parent {
                Some(p) => d.links.children[p as usize].iter().map(|&(c, _)| c).filter(|&c| shown(c)).collect(),
                // Roots: the goals, top to bottom.
                None => {
                    d.cards.iter().filter(|c| d.links.parents[c.node as usize].is_empty()).map(|c| c.node).collect()
                }
            };
            siblings.iter().position(|&s| s == current).and_then(|k| {
                let j = k as isize + step;
                (j >= 0).then(|| siblings.get(j as usize).copied()).flatten()
            })
        }
    };
    target.and_then(|n| d.card_of_node(n)).map(|k| d.cards[k].id.clone())
}

/// The nearest node above `from` in `doc` that has a card in `d`, through
/// first parents.
fn shown_ancestor(d: &Diagram, doc: &Document, from: &NodeId) -> Option<NodeId> {
    let mut seen = FxHashSet::default();
    let mut at = from.clone();
    while seen.insert(at.clone()) {
        let parents: Vec<&NodeId> =
            doc.edges.iter().filter(|e| e.child == at && e.parent != e.child).map(|e| &e.parent).collect();
        if let Some(p) = parents.iter().find(|p| d.card_index(p).is_some()) {
            return Some((*p).clone());
        }
        at = (*parents.iter().find(|p| doc.nodes.contains(p.as_str()))?).clone();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::DiagramOptions;
    use crate::model::{Edge, Op};

    fn diagram(doc: &Document) -> Diagram {
        Diagram::build(doc, &crate::evaluate(doc), &DiagramOptions::default(), None)
    }

    /// A goal and two terms, and the same with a third term and a term of
    /// it added after the diagram was made.
    fn docs() -> (Document, Document) {
        let doc = crate::io::from_str(
            r#"{"format":"kpitree","version":1,"nodes":[
                {"id":"g","kind":"KGI","name":"G"},{"id":"a","kind":"KPI","name":"A"},
                {"id":"b","kind":"KPI","name":"B"}],
                "edges":[{"parent":"g","child":"a","op":"+"},{"parent":"g","child":"b","op":"+"}]}"#,
            "walk",
        )
        .unwrap();
        let mut later = doc.clone();
        for (id, parent) in [("c", "g"), ("d", "c")] {
            let mut node = later.nodes[1].as_ref().clone();
            node.id = NodeId::from(id);
            let node = Box::new(node);
            assert!(Edit::AddNode { node, parent: Some((NodeId::from(parent), Op::Add)) }.apply(&mut later));
        }
        assert!(later.edges.contains(&Edge::new("c", "d", Op::Add)));
        (doc, later)
    }

    #[test]
    fn the_arrows_walk_the_tree_by_id() {
        let (doc, _) = docs();
        let d = diagram(&doc);
        let id = |s: &str| NodeId::from(s);
        assert_eq!(walk_in(&d, &doc, None, Walk::Parent), Some(id("g")), "nothing selected: the goal");
        assert_eq!(walk_in(&d, &doc, Some(&id("g")), Walk::FirstTerm), Some(id("a")));
        assert_eq!(walk_in(&d, &doc, Some(&id("a")), Walk::Sibling(1)), Some(id("b")));
        assert_eq!(walk_in(&d, &doc, Some(&id("b")), Walk::Sibling(1)), None);
        assert_eq!(walk_in(&d, &doc, Some(&id("b")), Walk::Parent), Some(id("g")));
    }

    #[test]
    fn a_node_the_diagram_does_not_show_yet_walks_up_to_a_card_and_nowhere_else() {
        let (doc, later) = docs();
        let d = diagram(&doc);
        let id = |s: &str| NodeId::from(s);
        // Positions past the end of the old diagram's links: no panic.
        for walk in [Walk::FirstTerm, Walk::Sibling(-1), Walk::Sibling(1)] {
            assert_eq!(walk_in(&d, &later, Some(&id("c")), walk), None, "{walk:?}");
        }
        assert_eq!(walk_in(&d, &later, Some(&id("c")), Walk::Parent), Some(id("g")));
        assert_eq!(walk_in(&d, &later, Some(&id("d")), Walk::Parent), Some(id("g")), "up past c, no card either");
    }
}
