//! The auto-layout: left to right, and no two cards overlap.

use kpitree::layout::{Spacing, layout};
use kpitree::model::{Document, Edge, Kind, Node, Op};
use kpitree::templates;

fn size(node: &Node) -> [f64; 2] {
    match node.kind {
        Kind::Ksf => [200.0, 50.0],
        _ => [220.0, 100.0],
    }
}

fn overlaps(doc: &Document) -> Vec<(String, String)> {
    let pos = layout(doc, size, Spacing::default());
    let rects: Vec<(String, [f64; 4])> = doc
        .nodes
        .iter()
        .map(|n| {
            let [x, y] = pos[&n.id];
            let [w, h] = size(n);
            (n.id.to_string(), [x, y, x + w, y + h])
        })
        .collect();
    let mut found = Vec::new();
    for (i, (a, ra)) in rects.iter().enumerate() {
        for (b, rb) in &rects[i + 1..] {
            if ra[0] < rb[2] && rb[0] < ra[2] && ra[1] < rb[3] && rb[1] < ra[3] {
                found.push((a.clone(), b.clone()));
            }
        }
    }
    found
}

#[test]
fn no_template_has_overlapping_cards() {
    for t in templates::ALL {
        let doc = t.document().unwrap();
        assert_eq!(overlaps(&doc), Vec::<(String, String)>::new(), "template {}", t.name);
    }
}

#[test]
fn the_goal_is_left_of_its_terms() {
    let doc = templates::find("sales-meetings").unwrap().document().unwrap();
    let pos = layout(&doc, size, Spacing::default());
    for e in &doc.edges {
        assert!(pos[&e.parent][0] < pos[&e.child][0], "{} → {}", e.parent, e.child);
    }
}

#[test]
fn a_shared_node_is_placed_once_and_a_cycle_does_not_hang() {
    let mut doc = Document::new();
    for id in ["a", "b", "c", "d"] {
        doc.nodes.push(Node::new(id, Kind::Kpi, id));
    }
    doc.edges.push(Edge::new("a", "b", Op::Add));
    doc.edges.push(Edge::new("a", "c", Op::Add));
    doc.edges.push(Edge::new("b", "d", Op::Add));
    doc.edges.push(Edge::new("c", "d", Op::Add));
    doc.edges.push(Edge::new("d", "b", Op::Add));
    let pos = layout(&doc, size, Spacing::default());
    assert_eq!(pos.len(), 4);
    assert!(overlaps(&doc).is_empty());
}

#[test]
fn a_very_deep_chain_lays_out_without_recursion() {
    let mut doc = Document::new();
    for i in 0..50_000 {
        doc.nodes.push(Node::new(format!("n{i}").as_str(), Kind::Kpi, "x"));
        if i > 0 {
            doc.edges.push(Edge::new(format!("n{}", i - 1).as_str(), format!("n{i}").as_str(), Op::Mul));
        }
    }
    let pos = layout(&doc, size, Spacing::default());
    assert!(pos["n49999"][0] > pos["n0"][0]);
}

mod random_trees {
    use super::*;
    use proptest::prelude::*;

    /// Random forests with shared nodes and the odd cycle: each node picks
    /// up to two parents among all nodes.
    fn documents() -> impl Strategy<Value = Document> {
        (1usize..60).prop_flat_map(|n| {
            let kinds = proptest::collection::vec(0u8..3, n);
            let parents = proptest::collection::vec(proptest::collection::vec(0..n, 0..3), n);
            (kinds, parents).prop_map(move |(kinds, parents)| {
                let mut doc = Document::new();
                for (i, k) in kinds.iter().enumerate() {
                    doc.nodes.push(Node::new(format!("n{i}").as_str(), Kind::ALL[*k as usize], "x"));
                }
                for (child, ps) in parents.iter().enumerate() {
                    for &p in ps {
                        doc.edges.push(Edge::new(format!("n{p}").as_str(), format!("n{child}").as_str(), Op::Add));
                    }
                }
                doc
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn no_two_cards_overlap_in_any_tree(doc in documents()) {
            prop_assert_eq!(overlaps(&doc), Vec::<(String, String)>::new());
        }

        #[test]
        fn every_node_gets_a_position(doc in documents()) {
            let pos = layout(&doc, size, Spacing::default());
            prop_assert!(doc.nodes.iter().all(|n| pos.contains_key(&n.id)));
        }
    }
}
