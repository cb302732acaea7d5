//! The auto-layout: a compact tidy tree left to right, cards that never
//! overlap and wires that never cross a card.

use kpitree::layout::{BADGE_OFFSET, Graph, Placement, Spacing, graph_of, layout, tidy};
use kpitree::model::{Document, Edge, Kind, Node, Op, generate};
use kpitree::templates;

fn size(node: &Node) -> [f64; 2] {
    match node.kind {
        Kind::Ksf => [200.0, 50.0],
        _ => [220.0, 100.0],
    }
}

/// Left, top, right, bottom of every card.
fn rects(graph: &Graph, placement: &Placement) -> Vec<[f64; 4]> {
    graph.sizes.iter().zip(&placement.pos).map(|(s, p)| [p[0], p[1], p[0] + s[0], p[1] + s[1]]).collect()
}

fn overlap(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Every pair of overlapping cards (quadratic: for small graphs).
fn overlapping_cards(graph: &Graph, placement: &Placement) -> Vec<(usize, usize)> {
    let r = rects(graph, placement);
    let mut found = Vec::new();
    for i in 0..r.len() {
        for j in i + 1..r.len() {
            if overlap(&r[i], &r[j]) {
                found.push((i, j));
            }
        }
    }
    found
}

/// Overlapping cards of a big layout: cards only ever share x within a
/// column, so neighbours in (x, y) order are enough.
fn overlapping_neighbours(graph: &Graph, placement: &Placement) -> Vec<(usize, usize)> {
    let r = rects(graph, placement);
    let mut order: Vec<usize> = (0..r.len()).collect();
    order.sort_by(|&a, &b| r[a][0].total_cmp(&r[b][0]).then(r[a][1].total_cmp(&r[b][1])));
    let mut found = Vec::new();
    let mut lowest: Option<usize> = None;
    for &i in &order {
        match lowest {
            Some(j) if r[j][0] == r[i][0] => {
                if r[i][1] < r[j][3] {
                    found.push((j, i));
                }
                if r[i][3] > r[j][3] {
                    lowest = Some(i);
                }
            }
            _ => lowest = Some(i),
        }
    }
    found
}

/// Every (route, card) where a wire runs through the inside of a card other
/// than its own parent and child.
fn crossings(graph: &Graph, placement: &Placement) -> Vec<(usize, usize)> {
    let r = rects(graph, placement);
    let mut found = Vec::new();
    for (k, route) in placement.routes.iter().enumerate() {
        for seg in route.points.windows(2) {
            let (lo, hi) = (
                [seg[0][0].min(seg[1][0]), seg[0][1].min(seg[1][1])],
                [seg[0][0].max(seg[1][0]), seg[0][1].max(seg[1][1])],
            );
            for (i, c) in r.iter().enumerate() {
                if i == route.parent as usize || i == route.child as usize {
                    continue;
                }
                if lo[0] < c[2] && hi[0] > c[0] && lo[1] < c[3] && hi[1] > c[1] {
                    found.push((k, i));
                }
            }
        }
    }
    found
}

/// What is wrong with the routes: one per edge, from the parent's right
/// middle to the child's left middle, axis-aligned, the badge on the last
/// segment just left of the child.
fn bad_routes(graph: &Graph, placement: &Placement) -> Vec<String> {
    let mut problems = Vec::new();
    let edges: usize = graph.children.iter().map(Vec::len).sum();
    if placement.routes.len() != edges {
        problems.push(format!("{} routes for {edges} edges", placement.routes.len()));
    }
    let r = rects(graph, placement);
    for route in &placement.routes {
        let (p, c) = (route.parent as usize, route.child as usize);
        let name = format!("{p} → {c} (term {})", route.term);
        if graph.children[p].get(route.term as usize) != Some(&route.child) {
            problems.push(format!("{name}: not that term"));
        }
        let middle = |v: usize| placement.pos[v][1] + graph.sizes[v][1] / 2.0;
        let (start, end) = ([r[p][2], middle(p)], [r[c][0], middle(c)]);
        if route.points.len() < 2 || route.points[0] != start || route.points[route.points.len() - 1] != end {
            problems.push(format!("{name}: {:?} does not run from {start:?} to {end:?}", route.points));
        }
        if route.points.windows(2).any(|s| s[0][0] != s[1][0] && s[0][1] != s[1][1]) {
            problems.push(format!("{name}: {:?} is not axis-aligned", route.points));
        }
        let last = &route.points[route.points.len().saturating_sub(2)..];
        if route.badge[1] != end[1] || route.badge[0] > end[0] || route.badge[0] < last[0][0].min(end[0]) {
            problems.push(format!("{name}: badge {:?} is not on the last segment {last:?}", route.badge));
        }
    }
    problems
}

/// Every value of a placement, bit for bit.
fn bits(placement: &Placement) -> Vec<u64> {
    let mut out: Vec<u64> = placement.pos.iter().flatten().map(|v| v.to_bits()).collect();
    for r in &placement.routes {
        out.extend([r.parent as u64, r.child as u64, r.term as u64]);
        out.extend(r.points.iter().flatten().chain(&r.badge).map(|v| v.to_bits()));
    }
    out
}

fn height(graph: &Graph, placement: &Placement) -> f64 {
    let r = rects(graph, placement);
    let top = r.iter().map(|c| c[1]).fold(f64::INFINITY, f64::min);
    r.iter().map(|c| c[3]).fold(f64::NEG_INFINITY, f64::max) - top
}

/// A graph of equal cards from (parent, child) pairs.
fn graph(n: usize, edges: &[(u32, u32)]) -> Graph {
    let mut children = vec![Vec::new(); n];
    for &(p, c) in edges {
        children[p as usize].push(c);
    }
    Graph { sizes: vec![[200.0, 100.0]; n], children, kgi: vec![false; n] }
}

#[test]
fn no_template_has_overlapping_cards_or_wires_through_cards() {
    for t in templates::ALL {
        let doc = t.document().unwrap();
        let (g, _) = graph_of(&doc, size);
        let p = tidy(&g, Spacing::default());
        assert_eq!(overlapping_cards(&g, &p), vec![], "template {}", t.name);
        assert_eq!(crossings(&g, &p), vec![], "template {}", t.name);
        assert_eq!(bad_routes(&g, &p), Vec::<String>::new(), "template {}", t.name);
    }
}

#[test]
fn the_goal_is_left_of_its_terms() {
    let doc = templates::find("sales-meetings").unwrap().document().unwrap();
    let pos = layout(&doc, size, Spacing::default());
    for e in doc.edges.iter() {
        assert!(pos[&e.parent][0] < pos[&e.child][0], "{} → {}", e.parent, e.child);
    }
}

#[test]
fn a_column_is_the_longest_path_from_a_root() {
    // 0 → 1 → 2 → 3 and 0 → 3: node 3 sits in column 3, not 1.
    let g = graph(4, &[(0, 1), (1, 2), (2, 3), (0, 3)]);
    let p = tidy(&g, Spacing::default());
    let column = 200.0 + Spacing::default().column_gap;
    assert_eq!(p.pos.iter().map(|q| q[0]).collect::<Vec<_>>(), vec![0.0, column, 2.0 * column, 3.0 * column]);
    assert_eq!(crossings(&g, &p), vec![]);
}

#[test]
fn a_wire_that_skips_columns_runs_in_a_lane_no_card_takes() {
    // 0 → [1, 5]; 1 → [2, 3, 4], each with a child of its own in column 3;
    // 0 → 5 also goes to 9, which sits in column 3 under 2: its wire
    // passes columns 1 and 2, where 1..4 are.
    let g = graph(10, &[(0, 1), (1, 2), (1, 3), (1, 4), (2, 6), (3, 7), (4, 8), (2, 9), (0, 9), (0, 5)]);
    let p = tidy(&g, Spacing::default());
    assert_eq!(overlapping_cards(&g, &p), vec![]);
    assert_eq!(crossings(&g, &p), vec![]);
    assert_eq!(bad_routes(&g, &p), Vec::<String>::new());
    let lane = p.routes.iter().find(|r| r.parent == 0 && r.child == 9).unwrap();
    assert_eq!(lane.points.len(), 6, "out, up or down to the lane, along it, down to the child: {:?}", lane.points);
}

#[test]
fn each_term_has_its_badge_on_its_own_branch() {
    let g = graph(4, &[(0, 1), (0, 2), (0, 3)]);
    let p = tidy(&g, Spacing::default());
    for r in &p.routes {
        let c = r.child as usize;
        assert_eq!(r.badge, [p.pos[c][0] - BADGE_OFFSET, p.pos[c][1] + 50.0]);
    }
    // One trunk: the outer wires turn at the same x; the middle one, level
    // with the parent, runs straight.
    let corners: Vec<usize> = p.routes.iter().map(|r| r.points.len()).collect();
    assert_eq!(corners, vec![4, 2, 4]);
    assert_eq!(p.routes[0].points[1][0], p.routes[2].points[1][0]);
}

#[test]
fn the_badge_of_a_shared_childs_other_parent_sits_on_that_parents_own_wire() {
    // 0 → [1, 2]; 3 is a term of both 1 and 2 and hangs under 1.
    let g = graph(4, &[(0, 1), (0, 2), (1, 3), (2, 3)]);
    let p = tidy(&g, Spacing::default());
    let (tree, other) = (&p.routes[2], &p.routes[3]);
    assert_eq!((tree.parent, other.parent), (1, 2));
    // The other wire drops left of 1's trunk and has its badge before the
    // trunk's branch joins it; the tree edge's badge is just before the child.
    let trunk = p.pos[3][0] - Spacing::default().column_gap / 2.0;
    let drop = other.points[1][0];
    assert!(drop < trunk, "drop {drop}, trunk {trunk}");
    assert!(drop < other.badge[0] && other.badge[0] < trunk, "{:?}", other.badge);
    assert_eq!(tree.badge[0], p.pos[3][0] - BADGE_OFFSET);
    assert_eq!(bad_routes(&g, &p), Vec::<String>::new());
}

#[test]
fn goals_come_first_and_cycles_last() {
    // 0: a KPI root; 1: a KGI root; 2 ⇄ 3 reachable only inside a cycle.
    let mut g = graph(5, &[(0, 4), (1, 4), (2, 3), (3, 2)]);
    g.kgi[1] = true;
    let p = tidy(&g, Spacing::default());
    assert!(p.pos[1][1] < p.pos[0][1]);
    assert!(p.pos[2][1] > p.pos[0][1] && p.pos[3][1] > p.pos[0][1]);
    assert_eq!(overlapping_cards(&g, &p), vec![]);
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
    let (g, _) = graph_of(&doc, size);
    let p = tidy(&g, Spacing::default());
    assert_eq!(overlapping_cards(&g, &p), vec![]);
    assert_eq!(bad_routes(&g, &p), Vec::<String>::new());
}

#[test]
fn a_document_graph_keeps_the_first_node_of_an_id_and_drops_bad_edges() {
    let mut doc = Document::new();
    for (id, kind) in [("a", Kind::Kgi), ("b", Kind::Kpi), ("a", Kind::Kpi), ("c", Kind::Ksf)] {
        doc.nodes.push(Node::new(id, kind, id));
    }
    doc.edges.push(Edge::new("a", "b", Op::Add));
    doc.edges.push(Edge::new("a", "b", Op::Link));
    doc.edges.push(Edge::new("a", "a", Op::Add));
    doc.edges.push(Edge::new("a", "nowhere", Op::Add));
    doc.edges.push(Edge::new("a", "c", Op::Link));
    let (g, nodes) = graph_of(&doc, size);
    assert_eq!(nodes, vec![0, 1, 3]);
    assert_eq!(g.children, vec![vec![1, 2], vec![], vec![]]);
    assert_eq!(g.kgi, vec![true, false, false]);
    assert_eq!(g.sizes[2], [200.0, 50.0]);
    let pos = layout(&doc, size, Spacing::default());
    assert_eq!(pos.len(), 3);
}

#[test]
fn an_empty_or_malformed_graph_lays_out_without_panicking() {
    assert_eq!(tidy(&Graph::default(), Spacing::default()), Placement::default());
    // A child out of range, a self-loop, a repeated term, NaN sizes, lists
    // shorter than the nodes, and gaps that make no sense.
    let g = Graph {
        sizes: vec![[f64::NAN, 50.0], [100.0, f64::INFINITY], [-5.0, 20.0]],
        children: vec![vec![7, 0, 1, 1]],
        kgi: vec![],
    };
    let p = tidy(&g, Spacing { column_gap: f64::NAN, row_gap: -3.0 });
    assert_eq!(p.pos.len(), 3);
    assert!(
        p.pos.iter().flatten().chain(p.routes.iter().flat_map(|r| r.points.iter().flatten())).all(|v| v.is_finite())
    );
    assert_eq!(p.routes.iter().map(|r| (r.child, r.term)).collect::<Vec<_>>(), vec![(0, 1), (1, 2), (1, 3)]);
}

#[test]
fn a_leaf_sits_beside_the_deeper_columns_of_its_elder_sibling() {
    // 0 → [1, 2]; 1 → [3, 4, 5, 6]; 2 is a leaf.
    let g = graph(7, &[(0, 1), (0, 2), (1, 3), (1, 4), (1, 5), (1, 6)]);
    let p = tidy(&g, Spacing::default());
    assert!(p.pos[2][1] < p.pos[6][1] + 100.0, "leaf at {:?}, deepest bottom {}", p.pos[2], p.pos[6][1] + 100.0);
    // A band per subtree would need all five leaves stacked.
    let banded = 5.0 * 100.0 + 4.0 * Spacing::default().row_gap;
    assert!(height(&g, &p) < banded, "{} ≥ {banded}", height(&g, &p));
    assert_eq!(overlapping_cards(&g, &p), vec![]);
}

#[test]
fn a_parent_is_centred_on_its_terms() {
    let g = graph(4, &[(0, 1), (0, 2), (0, 3)]);
    let p = tidy(&g, Spacing::default());
    assert_eq!(p.pos[0][1], p.pos[2][1]);
    assert!(p.pos[1][1] < p.pos[2][1] && p.pos[2][1] < p.pos[3][1]);
}

#[test]
fn a_generated_tree_is_less_tall_than_its_leaves_stacked() {
    // In generated trees most leaves sit in the last two or three columns,
    // and with two or three terms per parent the densest column alone can
    // reach the leaves' total on some seeds: no centred tidy layout beats
    // it there. So: every seed well below a band per leaf, and the seeds
    // together below their leaves stacked without gaps.
    let gap = Spacing::default().row_gap;
    let (mut total, mut stacked) = (0.0, 0.0);
    for seed in 1..=10 {
        let doc = generate::tree(300, seed);
        let (g, _) = graph_of(&doc, size);
        let p = tidy(&g, Spacing::default());
        let leaves: Vec<f64> =
            (0..g.sizes.len()).filter(|&v| g.children[v].is_empty()).map(|v| g.sizes[v][1]).collect();
        let sum: f64 = leaves.iter().sum();
        let banded = sum + gap * (leaves.len() - 1) as f64;
        let h = height(&g, &p);
        assert!(h < 0.9 * banded, "seed {seed}: {h} ≥ 0.9 × {banded}");
        if seed == 2 {
            assert!(h < sum, "seed {seed}: {h} ≥ {sum}");
        }
        (total, stacked) = (total + h, stacked + sum);
        assert_eq!(overlapping_cards(&g, &p), vec![], "seed {seed}");
        assert_eq!(crossings(&g, &p), vec![], "seed {seed}");
        assert_eq!(bad_routes(&g, &p), Vec::<String>::new(), "seed {seed}");
    }
    assert!(total < stacked, "{total} ≥ {stacked}");
}

#[test]
fn a_million_node_chain_lays_out_without_recursion() {
    let n = 1_000_000;
    let g = Graph {
        sizes: vec![[200.0, 60.0]; n],
        children: (0..n as u32).map(|i| if i + 1 < n as u32 { vec![i + 1] } else { vec![] }).collect(),
        kgi: vec![false; n],
    };
    let p = tidy(&g, Spacing::default());
    assert!(p.pos[n - 1][0] > p.pos[0][0]);
    assert!(p.pos.iter().all(|q| q[1] == 0.0), "a chain is one straight row");
    assert_eq!(p.routes.len(), n - 1);
    assert!(p.routes.iter().all(|r| r.points.len() == 2));
}

#[test]
fn a_very_deep_document_chain_lays_out() {
    let doc = generate::chain(50_000);
    let pos = layout(&doc, size, Spacing::default());
    assert!(pos[&doc.nodes[49_999].id][0] > pos[&doc.nodes[0].id][0]);
}

#[test]
fn a_hundred_thousand_node_tree_lays_out_compactly() {
    let doc = generate::tree(100_000, 7);
    let (g, _) = graph_of(&doc, size);
    let p = tidy(&g, Spacing::default());
    assert_eq!(p.pos.len(), g.sizes.len());
    assert_eq!(overlapping_neighbours(&g, &p), vec![]);
    assert_eq!(bad_routes(&g, &p), Vec::<String>::new());
    let leaves: f64 = (0..g.sizes.len()).filter(|&v| g.children[v].is_empty()).map(|v| g.sizes[v][1]).sum();
    assert!(height(&g, &p) < leaves);
}

mod random_graphs {
    use super::*;
    use proptest::prelude::*;

    /// Random acyclic graphs with shared nodes: each node picks up to two
    /// parents among the nodes before it; cards of random sizes.
    fn acyclic() -> impl Strategy<Value = Graph> {
        graphs(false)
    }

    /// The same, but parents come from all nodes: cycles of every length.
    fn cyclic() -> impl Strategy<Value = Graph> {
        graphs(true)
    }

    fn graphs(cycles: bool) -> impl Strategy<Value = Graph> {
        (1usize..70).prop_flat_map(move |n| {
            let sizes = proptest::collection::vec((20.0f64..260.0, 10.0f64..140.0), n);
            let parents =
                proptest::collection::vec(proptest::collection::vec(any::<proptest::sample::Index>(), 0..3), n);
            let kgi = proptest::collection::vec(proptest::bool::weighted(0.1), n);
            (sizes, parents, kgi).prop_map(move |(sizes, parents, kgi)| {
                let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
                for (c, ps) in parents.iter().enumerate() {
                    let pool = if cycles { n } else { c };
                    if pool == 0 {
                        continue;
                    }
                    for i in ps {
                        let p = i.index(pool);
                        if p != c && !children[p].contains(&(c as u32)) {
                            children[p].push(c as u32);
                        }
                    }
                }
                Graph { sizes: sizes.into_iter().map(|(w, h)| [w, h]).collect(), children, kgi }
            })
        })
    }

    /// Random documents with shared nodes, cycles, repeated ids, repeated
    /// edges, self-loops and edges to unknown ids.
    fn documents() -> impl Strategy<Value = Document> {
        (1usize..50).prop_flat_map(|n| {
            let kinds = proptest::collection::vec(0u8..3, n);
            let ids = proptest::collection::vec(0..n + n / 8, n);
            let parents = proptest::collection::vec(proptest::collection::vec(0..n + 2, 0..3), n);
            (kinds, ids, parents).prop_map(move |(kinds, ids, parents)| {
                let mut doc = Document::new();
                for (k, id) in kinds.iter().zip(&ids) {
                    doc.nodes.push(Node::new(format!("n{id}").as_str(), Kind::ALL[*k as usize], "x"));
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
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn every_document_node_gets_a_position_and_no_cards_overlap(doc in documents()) {
            let pos = layout(&doc, size, Spacing::default());
            prop_assert!(doc.nodes.iter().all(|n| pos.contains_key(&n.id)));
            let (g, nodes) = graph_of(&doc, size);
            prop_assert_eq!(nodes.len(), pos.len());
            let p = tidy(&g, Spacing::default());
            prop_assert_eq!(overlapping_cards(&g, &p), vec![]);
            prop_assert_eq!(bad_routes(&g, &p), Vec::<String>::new());
        }

        #[test]
        fn no_two_cards_overlap(g in acyclic()) {
            let p = tidy(&g, Spacing::default());
            prop_assert_eq!(overlapping_cards(&g, &p), vec![]);
        }

        #[test]
        fn no_wire_crosses_a_card(g in acyclic()) {
            let p = tidy(&g, Spacing::default());
            prop_assert_eq!(crossings(&g, &p), vec![]);
        }

        #[test]
        fn every_wire_runs_from_parent_to_child_axis_aligned(g in acyclic()) {
            let p = tidy(&g, Spacing::default());
            prop_assert_eq!(bad_routes(&g, &p), Vec::<String>::new());
        }

        #[test]
        fn every_edge_goes_to_the_right(g in acyclic()) {
            let p = tidy(&g, Spacing::default());
            for (parent, children) in g.children.iter().enumerate() {
                for &c in children {
                    prop_assert!(p.pos[parent][0] < p.pos[c as usize][0]);
                }
            }
        }

        #[test]
        fn the_layout_is_deterministic(g in acyclic()) {
            prop_assert_eq!(bits(&tidy(&g, Spacing::default())), bits(&tidy(&g.clone(), Spacing::default())));
        }

        #[test]
        fn tight_spacing_still_keeps_cards_and_wires_apart(g in acyclic()) {
            // (Not zero: cards that only touch may then overlap by a rounding error.)
            let p = tidy(&g, Spacing { column_gap: 1.0, row_gap: 1.0 });
            prop_assert_eq!(overlapping_cards(&g, &p), vec![]);
            prop_assert_eq!(crossings(&g, &p), vec![]);
        }

        #[test]
        fn cycles_never_panic_and_every_node_gets_a_finite_position(g in cyclic()) {
            let p = tidy(&g, Spacing::default());
            prop_assert_eq!(p.pos.len(), g.sizes.len());
            prop_assert!(p.pos.iter().flatten().all(|v| v.is_finite()));
            prop_assert_eq!(overlapping_cards(&g, &p), vec![]);
            prop_assert_eq!(bad_routes(&g, &p), Vec::<String>::new());
            prop_assert_eq!(bits(&p), bits(&tidy(&g, Spacing::default())));
        }
    }
}
