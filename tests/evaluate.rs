//! Evaluation as FORMAT.md ("Meaning") defines it: expressions, effective
//! values, progress, units, and trees of any size.

use crate::common::{assert_close, doc, edge, eval, kgi, kpi, list, value};
use kpitree::Lang;
use kpitree::model::{Document, Edge, Kind, Node, Op};

/// A parent `p` (unit `unit`, nothing entered) over terms given as
/// (id, op, target) with the target also used as the actual.
fn expression(unit: &str, terms: &[(&str, &str, f64)]) -> kpitree::Evaluation {
    let mut nodes = vec![kpi("p", unit, "null", "null")];
    let mut edges = Vec::new();
    for (id, op, x) in terms {
        nodes.push(kpi(id, unit, &x.to_string(), &x.to_string()));
        edges.push(edge("p", id, op));
    }
    eval(&list(&nodes), &list(&edges))
}

fn target_of(unit: &str, terms: &[(&str, &str, f64)]) -> Option<f64> {
    value(&expression(unit, terms), "p").target
}

// ---- precedence ----

#[test]
fn multiplication_binds_tighter_than_addition() {
    assert_close(target_of("", &[("a", "+", 2.0), ("b", "+", 3.0), ("c", "*", 4.0)]), 14.0);
}

#[test]
fn division_binds_tighter_than_subtraction() {
    assert_close(target_of("", &[("a", "+", 10.0), ("b", "-", 8.0), ("c", "/", 4.0)]), 8.0);
}

#[test]
fn division_then_multiplication_goes_left_to_right() {
    assert_close(target_of("", &[("a", "+", 8.0), ("b", "/", 4.0), ("c", "*", 2.0)]), 4.0);
}

#[test]
fn two_divisions_go_left_to_right() {
    assert_close(target_of("", &[("a", "*", 24.0), ("b", "/", 4.0), ("c", "/", 2.0)]), 3.0);
}

#[test]
fn two_subtractions_go_left_to_right() {
    assert_close(target_of("", &[("a", "+", 10.0), ("b", "-", 3.0), ("c", "-", 2.0)]), 5.0);
}

#[test]
fn a_subtracted_product_is_subtracted_whole() {
    assert_close(target_of("", &[("a", "+", 10.0), ("b", "-", 2.0), ("c", "*", 3.0), ("d", "+", 1.0)]), 5.0);
}

// ---- leading operators ----

#[test]
fn a_leading_minus_negates_the_first_term() {
    assert_close(target_of("", &[("a", "-", 3.0), ("b", "+", 10.0)]), 7.0);
}

#[test]
fn a_leading_minus_negates_only_the_first_product() {
    assert_close(target_of("", &[("a", "-", 3.0), ("b", "*", 2.0), ("c", "+", 10.0)]), 4.0);
}

#[test]
fn a_leading_divide_gives_the_reciprocal_of_the_first_term() {
    assert_close(target_of("", &[("a", "/", 4.0)]), 0.25);
    assert_close(target_of("", &[("a", "/", 4.0), ("b", "*", 2.0)]), 0.5);
}

#[test]
fn a_leading_plus_or_times_is_dropped() {
    assert_close(target_of("", &[("a", "+", 6.0), ("b", "*", 2.0)]), 12.0);
    assert_close(target_of("", &[("a", "*", 6.0), ("b", "+", 2.0)]), 8.0);
}

#[test]
fn the_first_arithmetic_edge_leads_even_after_a_link_edge() {
    let nodes = list(&[
        kpi("p", "", "null", "null"),
        kpi("l", "", "100", "100"),
        kpi("a", "", "3", "3"),
        kpi("b", "", "10", "10"),
    ]);
    let ev = eval(&nodes, &list(&[edge("p", "l", "link"), edge("p", "a", "-"), edge("p", "b", "+")]));
    assert_close(value(&ev, "p").target, 7.0);
}

// ---- targets and actuals ----

fn sum(parent_target: &str, parent_actual: &str, b_actual: &str) -> kpitree::Evaluation {
    let nodes =
        list(&[kpi("p", "件", parent_target, parent_actual), kpi("a", "件", "1", "10"), kpi("b", "件", "2", b_actual)]);
    eval(&nodes, &list(&[edge("p", "a", "+"), edge("p", "b", "+")]))
}

#[test]
fn targets_and_actuals_are_computed_separately() {
    let ev = sum("null", "null", "20");
    assert_close(value(&ev, "p").target, 3.0);
    assert_close(value(&ev, "p").actual, 30.0);
}

#[test]
fn an_entered_target_wins_over_the_computed_one() {
    let v = *value(&sum("5", "null", "20"), "p");
    assert_close(v.target, 5.0);
    assert_close(v.computed_target, 3.0);
}

#[test]
fn the_computed_target_is_used_when_none_is_entered() {
    assert_close(value(&sum("null", "null", "null"), "p").target, 3.0);
}

#[test]
fn the_computed_actual_wins_when_every_term_has_an_actual() {
    let v = *value(&sum("null", "99", "20"), "p");
    assert_close(v.actual, 30.0);
}

#[test]
fn the_entered_actual_is_used_when_a_term_has_no_actual() {
    let v = *value(&sum("null", "99", "null"), "p");
    assert_close(v.actual, 99.0);
    assert_eq!(v.computed_actual, None);
}

#[test]
fn a_computed_node_has_no_actual_when_a_term_lacks_one_and_none_is_entered() {
    assert_eq!(value(&sum("null", "null", "null"), "p").actual, None);
}

#[test]
fn terms_contribute_their_effective_values() {
    // `mid` has an entered target (wins) and a computed actual (wins).
    let nodes = list(&[
        kpi("top", "件", "null", "null"),
        kpi("mid", "件", "50", "1"),
        kpi("x", "件", "7", "4"),
        kpi("y", "件", "8", "5"),
    ]);
    let edges = list(&[edge("top", "mid", "*"), edge("mid", "x", "+"), edge("mid", "y", "+")]);
    let ev = eval(&nodes, &edges);
    assert_close(value(&ev, "top").target, 50.0);
    assert_close(value(&ev, "top").actual, 9.0);
}

// ---- progress ----

fn progress_of(direction: &str, target: &str, actual: &str) -> Option<f64> {
    let node = format!(
        r#"{{"id":"x","kind":"KPI","name":"x","unit":"件","direction":"{direction}","target":{target},"actual":{actual}}}"#
    );
    value(&eval(&node, ""), "x").progress
}

#[test]
fn progress_is_actual_over_target_when_higher_is_better() {
    assert_close(progress_of("up", "200", "150"), 0.75);
}

#[test]
fn progress_is_target_over_actual_when_lower_is_better() {
    assert_close(progress_of("down", "150", "200"), 0.75);
}

#[test]
fn direction_defaults_to_up() {
    let ev = eval(&kpi("x", "件", "200", "150"), "");
    assert_close(value(&ev, "x").progress, 0.75);
}

#[test]
fn progress_is_none_without_a_target_or_an_actual() {
    assert_eq!(progress_of("up", "null", "150"), None);
    assert_eq!(progress_of("up", "200", "null"), None);
}

#[test]
fn progress_is_none_when_the_divisor_is_zero() {
    assert_eq!(progress_of("up", "0", "5"), None);
    assert_eq!(progress_of("down", "5", "0"), None);
}

#[test]
fn progress_may_be_zero_when_the_dividend_is_zero() {
    assert_close(progress_of("up", "5", "0"), 0.0);
}

#[test]
fn progress_uses_the_effective_values() {
    assert_close(value(&sum("6", "99", "20"), "p").progress, 5.0);
}

// ---- link edges ----

#[test]
fn link_children_never_change_a_value() {
    let nodes = list(&[kgi("k", "件", "100", "40"), kpi("a", "件", "7", "7")]);
    let ev = eval(&nodes, &edge("k", "a", "link"));
    let v = value(&ev, "k");
    assert!(!v.computed);
    assert_close(v.target, 100.0);
    assert_close(v.actual, 40.0);
}

#[test]
fn a_link_child_beside_arithmetic_terms_is_not_a_term() {
    let nodes = list(&[kpi("p", "件", "null", "null"), kpi("a", "件", "2", "2"), kpi("l", "件", "1000", "1000")]);
    let ev = eval(&nodes, &list(&[edge("p", "a", "+"), edge("p", "l", "link")]));
    assert!(value(&ev, "p").computed);
    assert_close(value(&ev, "p").target, 2.0);
}

// ---- units ----

#[test]
fn two_percent_of_five_thousand_calls_is_one_hundred_meetings() {
    let nodes =
        list(&[kpi("meet", "件", "null", "null"), kpi("calls", "件", "5000", "4000"), kpi("rate", "%", "2", "2.5")]);
    let ev = eval(&nodes, &list(&[edge("meet", "calls", "*"), edge("meet", "rate", "*")]));
    assert_close(value(&ev, "meet").target, 100.0);
    assert_close(value(&ev, "meet").actual, 100.0);
}

#[test]
fn a_ratio_of_counts_shown_in_percent_is_multiplied_by_one_hundred() {
    let nodes =
        list(&[kpi("close", "%", "null", "null"), kpi("won", "件", "25", "12"), kpi("deals", "件", "100", "80")]);
    let ev = eval(&nodes, &list(&[edge("close", "won", "*"), edge("close", "deals", "/")]));
    assert_close(value(&ev, "close").target, 25.0);
    assert_close(value(&ev, "close").actual, 15.0);
}

#[test]
fn a_ratio_of_counts_without_a_unit_stays_a_fraction() {
    let nodes = list(&[kpi("r", "", "null", "null"), kpi("won", "件", "25", "25"), kpi("deals", "件", "100", "100")]);
    let ev = eval(&nodes, &list(&[edge("r", "won", "*"), edge("r", "deals", "/")]));
    assert_close(value(&ev, "r").target, 0.25);
}

#[test]
fn companies_times_man_yen_per_company_is_in_man_yen() {
    let nodes = list(&[
        kgi("sales", "万円", "null", "null"),
        kpi("cust", "社", "120", "80"),
        kpi("price", "万円/社", "100", "90"),
    ]);
    let ev = eval(&nodes, &list(&[edge("sales", "cust", "*"), edge("sales", "price", "*")]));
    assert_close(value(&ev, "sales").target, 12000.0);
    assert_close(value(&ev, "sales").actual, 7200.0);
}

#[test]
fn companies_times_yen_per_company_is_converted_into_a_man_yen_parent() {
    let nodes = list(&[
        kgi("sales", "万円", "null", "null"),
        kpi("cust", "社", "120", "80"),
        kpi("price", "円/社", "1000000", "900000"),
    ]);
    let ev = eval(&nodes, &list(&[edge("sales", "cust", "*"), edge("sales", "price", "*")]));
    assert_close(value(&ev, "sales").target, 12000.0);
}

#[test]
fn yen_terms_are_converted_into_a_thousand_yen_parent() {
    let nodes =
        list(&[kpi("cost", "千円", "null", "null"), kpi("a", "円", "1500", "1500"), kpi("b", "円", "2500", "2500")]);
    let ev = eval(&nodes, &list(&[edge("cost", "a", "+"), edge("cost", "b", "+")]));
    assert_close(value(&ev, "cost").target, 4.0);
}

#[test]
fn terms_in_different_scales_are_added_in_one_scale() {
    let nodes = list(&[kpi("p", "円", "null", "null"), kpi("a", "万円", "1", "1"), kpi("b", "千円", "2", "2")]);
    let ev = eval(&nodes, &list(&[edge("p", "a", "+"), edge("p", "b", "+")]));
    assert_close(value(&ev, "p").target, 12000.0);
}

#[test]
fn a_mismatch_is_judged_in_the_parents_unit() {
    let nodes = list(&[
        kgi("k", "万円", "12000", "7200"),
        kpi("cust", "社", "120", "80"),
        kpi("price", "円/社", "1000000", "900000"),
    ]);
    let ev = eval(&nodes, &list(&[edge("k", "cust", "*"), edge("k", "price", "*")]));
    assert!(ev.diagnostics.iter().all(|d| !d.code.as_str().ends_with("_mismatch")), "{:#?}", ev.diagnostics);
}

#[test]
fn a_value_whose_dimension_differs_from_the_parents_unit_stays_in_the_terms_unit() {
    // 120 社 under a 万円 goal: no conversion (the dimensions disagree), so the
    // goal shows 120, and unit_mismatch says why.
    let nodes = list(&[kgi("k", "万円", "null", "null"), kpi("cust", "社", "120", "80")]);
    let ev = eval(&nodes, &edge("k", "cust", "*"));
    assert_close(value(&ev, "k").target, 120.0);
    assert_close(value(&ev, "k").actual, 80.0);
    assert_eq!(crate::common::only(&ev, "unit_mismatch").node.as_ref().map(|n| n.as_str()), Some("k"));
}

// ---- plain numbers across a unit mismatch ----

/// 顧客数 (社) = 商談数 (件) × 成約率 (%): the workshop's most common tree, with
/// a goal whose unit (社) the terms (件) do not give.
fn companies_from_meetings() -> Document {
    doc(
        &list(&[
            kgi("cust", "社", "30", "null"),
            kpi("meet", "件", "null", "null"),
            kpi("close", "%", "25", "20"),
            kpi("calls", "件", "400", "350"),
            kpi("apo", "%", "30", "25"),
        ]),
        &list(&[
            edge("cust", "meet", "*"),
            edge("cust", "close", "*"),
            edge("meet", "calls", "*"),
            edge("meet", "apo", "*"),
        ]),
    )
}

#[test]
fn a_percent_multiplies_the_value_even_when_the_dimensions_disagree() {
    // 120 件 × 25 % under a 社 goal is 30 (in 件), never 3,000.
    let nodes = list(&[kgi("k", "社", "null", "null"), kpi("m", "件", "120", "120"), kpi("r", "%", "25", "25")]);
    let ev = eval(&nodes, &list(&[edge("k", "m", "*"), edge("k", "r", "*")]));
    assert_close(value(&ev, "k").target, 30.0);
    let message = crate::common::only(&ev, "unit_mismatch").message(Lang::En);
    assert!(message.contains("\"件\"") && message.contains("\"社\""), "{message}");
    assert!(!message.contains("0.01"), "{message}");
}

#[test]
fn per_mille_and_a_prefix_alone_are_plain_numbers_across_a_mismatch() {
    for (unit, x, want) in [("‰", 5.0, 0.6), ("万", 3.0, 3_600_000.0), ("%", 50.0, 60.0)] {
        let nodes =
            list(&[kgi("k", "社", "null", "null"), kpi("m", "件", "120", "120"), kpi("r", unit, &x.to_string(), "1")]);
        let ev = eval(&nodes, &list(&[edge("k", "m", "*"), edge("k", "r", "*")]));
        assert_close(value(&ev, "k").target, want);
    }
}

#[test]
fn a_named_prefix_stays_with_its_factor_across_a_mismatch() {
    // 万円 × % under a 件 goal: 2 万円 × 50 % is 1 (in 万円), not 10,000.
    let nodes = list(&[kgi("k", "件", "null", "null"), kpi("a", "万円", "2", "2"), kpi("r", "%", "50", "50")]);
    let ev = eval(&nodes, &list(&[edge("k", "a", "*"), edge("k", "r", "*")]));
    assert_close(value(&ev, "k").target, 1.0);
    let message = crate::common::only(&ev, "unit_mismatch").message(Lang::En);
    assert!(message.contains("\"万円\""), "{message}");
}

#[test]
fn the_workshop_tree_with_companies_and_cases_shows_the_right_goal() {
    let ev = kpitree::evaluate(&companies_from_meetings());
    // 350 件 × 25 % = 87.5 件; × 20 % = 17.5 — not 1,750 社 (5,833 %).
    assert_close(value(&ev, "meet").actual, 87.5);
    assert_close(value(&ev, "cust").actual, 17.5);
    assert_close(value(&ev, "cust").progress, 17.5 / 30.0);
    // The plan adds up (400 × 30 % × 25 % = 30): no target_mismatch.
    crate::common::assert_none(&ev, "target_mismatch");
    assert_eq!(ev.value_unit_str("cust"), Some("件"));
    assert_eq!(ev.value_unit_str("meet"), None, "件 × % is 件: no mismatch");
}

#[test]
fn goal_seek_and_bottlenecks_across_a_mismatch_use_the_shown_value() {
    let doc = companies_from_meetings();
    let a = kpitree::eval::analysis::Analyzer::new(&doc);
    let seek = a.seek("close", None).expect("a seek answer");
    assert_close(Some(seek.required), 30.0 / 87.5 * 100.0);
    assert_close(seek.change, 30.0 / 17.5 - 1.0);
    let ranking = a.bottlenecks();
    let close = ranking.iter().find(|b| b.node.as_str() == "close").expect("成約率 ranked");
    // 87.5 件 × 25 % = 21.875: the goal gains 4.375, not 437.5.
    assert_close(Some(close.gain), 21.875 - 17.5);
}

// ---- shared nodes ----

#[test]
fn a_shared_node_feeds_both_of_its_parents() {
    let nodes = list(&[
        kpi("revenue", "円", "null", "null"),
        kpi("cost", "円", "null", "null"),
        kpi("units", "個", "10", "8"),
        kpi("price", "円/個", "500", "500"),
        kpi("unit_cost", "円/個", "300", "320"),
    ]);
    let edges = list(&[
        edge("revenue", "units", "*"),
        edge("revenue", "price", "*"),
        edge("cost", "units", "*"),
        edge("cost", "unit_cost", "*"),
    ]);
    let ev = eval(&nodes, &edges);
    assert_close(value(&ev, "revenue").actual, 4000.0);
    assert_close(value(&ev, "cost").actual, 2560.0);
}

// ---- size ----

fn kpi_node(id: String, target: Option<f64>) -> Node {
    let mut node = Node::new(id, Kind::Kpi, "n");
    node.unit = Some("件".into());
    node.target = target;
    node.actual = target;
    node
}

#[test]
fn a_fifty_thousand_deep_chain_evaluates_on_the_test_thread() {
    const DEPTH: usize = 50_000;
    let mut d = Document::new();
    for i in 0..DEPTH {
        d.nodes.push(kpi_node(format!("n{i}"), (i == DEPTH - 1).then_some(3.0)));
        if i > 0 {
            d.edges.push(Edge::new(format!("n{}", i - 1), format!("n{i}"), Op::Add));
        }
    }
    let ev = kpitree::evaluate(&d);
    assert_close(value(&ev, "n0").target, 3.0);
    assert_close(value(&ev, "n0").progress, 1.0);
}

fn ring(len: usize) -> Document {
    let mut d = Document::new();
    for i in 0..len {
        d.nodes.push(kpi_node(format!("n{i}"), Some(1.0)));
        d.edges.push(Edge::new(format!("n{i}"), format!("n{}", (i + 1) % len), Op::Add));
    }
    d
}

#[test]
fn a_fifty_thousand_node_cycle_is_reported_on_the_test_thread() {
    let ev = kpitree::evaluate(&ring(50_000));
    assert_eq!(ev.diagnostics.iter().filter(|x| x.code.as_str() == "cycle").count(), 50_000);
}

#[test]
fn a_long_cycle_is_abbreviated_in_messages_and_json() {
    let d = ring(1_000);
    let ev = kpitree::evaluate(&d);
    let message = ev.diagnostics[0].message(Lang::En);
    assert!(message.contains("n0 → n1") && message.contains("(1000 nodes)") && message.len() < 200, "{message}");
    let json = ev.to_json(&d, Lang::En);
    let listed = json["diagnostics"][0]["nodes"].as_array().map(Vec::len);
    assert!(listed.is_some_and(|n| (8..=100).contains(&n)), "{listed:?}");
}

#[test]
fn a_hundred_thousand_node_tree_evaluates() {
    const NODES: usize = 100_000;
    let mut d = Document::new();
    d.nodes.push(Node::new("root", Kind::Kgi, "root"));
    for i in 1..NODES {
        // Node i has the children 10i..10i+9, so the leaves are 10,000..99,999.
        let leaf = i * 10 >= NODES;
        d.nodes.push(kpi_node(format!("n{i}"), leaf.then_some(1.0)));
        let parent = if i < 10 { "root".to_owned() } else { format!("n{}", i / 10) };
        d.edges.push(Edge::new(parent, format!("n{i}"), Op::Add));
    }
    let ev = kpitree::evaluate(&d);
    assert_eq!(ev.values().len(), NODES);
    assert_close(value(&ev, "root").target, 90_000.0);
    assert_close(value(&ev, "root").actual, 90_000.0);
}

// ---- determinism ----

#[test]
fn evaluating_the_same_document_twice_gives_the_same_result() {
    let nodes = list(&[
        kgi("k", "万円", "100", "null"),
        kpi("a", "円", "1", "2"),
        kpi("a", "件", "3", "4"),
        kpi("b", "件", "0", "1"),
        kpi("c", "件", "5", "null"),
        kpi("d", "円//人", "5", "5"),
    ]);
    let edges = list(&[
        edge("k", "a", "+"),
        edge("k", "b", "/"),
        edge("b", "c", "+"),
        edge("c", "b", "+"),
        edge("k", "ghost", "*"),
        edge("k", "d", "-"),
        edge("d", "d", "+"),
    ]);
    let d = doc(&nodes, &edges);
    let first = kpitree::evaluate(&d);
    for _ in 0..5 {
        let again = kpitree::evaluate(&d);
        assert_eq!(again.values(), first.values());
        assert_eq!(again.diagnostics, first.diagnostics);
    }
}

#[test]
fn a_plan_that_does_not_add_up_across_a_mismatch_names_each_value_in_its_unit() {
    // 400 × 30 % × 25 % = 30 (件) against an entered 40 社.
    let nodes = list(&[kgi("k", "社", "40", "null"), kpi("m", "件", "120", "120"), kpi("r", "%", "25", "25")]);
    let ev = eval(&nodes, &list(&[edge("k", "m", "*"), edge("k", "r", "*")]));
    let message = crate::common::only(&ev, "target_mismatch").message(Lang::En);
    assert!(message.contains("entered 40 社") && message.contains("give 30 件"), "{message}");
}
