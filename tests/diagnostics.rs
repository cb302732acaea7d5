//! Every diagnostic code of FORMAT.md ("Diagnostics"): a document that
//! triggers it, and a near miss that does not.

use crate::common::{assert_close, assert_diag, assert_none, edge, eval, kgi, kpi, list, only, value, with_code};
use kpitree::Lang;

fn ksf(id: &str) -> String {
    format!(r#"{{"id":"{id}","kind":"KSF","name":"{id}"}}"#)
}

// ---- duplicate_id ----

#[test]
fn two_nodes_with_one_id_are_a_duplicate_id_error() {
    let ev = eval(&list(&[kpi("a", "件", "1", "1"), kpi("a", "件", "2", "2")]), "");
    assert_diag(only(&ev, "duplicate_id"), "error", "a", None);
}

#[test]
fn ids_that_differ_only_in_case_are_not_duplicates() {
    let ev = eval(&list(&[kpi("a", "件", "1", "1"), kpi("A", "件", "2", "2")]), "");
    assert_none(&ev, "duplicate_id");
}

// ---- unknown_node ----

#[test]
fn an_edge_to_a_missing_id_is_an_unknown_node_error() {
    let ev = eval(&kgi("k", "件", "1", "1"), &edge("k", "ghost", "+"));
    assert_diag(only(&ev, "unknown_node"), "error", "ghost", Some(("k", "ghost")));
}

#[test]
fn an_edge_from_a_missing_parent_is_an_unknown_node_error() {
    let ev = eval(&kpi("a", "件", "1", "1"), &edge("ghost", "a", "+"));
    assert_diag(only(&ev, "unknown_node"), "error", "ghost", Some(("ghost", "a")));
}

#[test]
fn edges_between_existing_nodes_are_not_unknown() {
    let ev = eval(&list(&[kgi("k", "件", "1", "1"), kpi("a", "件", "1", "1")]), &edge("k", "a", "+"));
    assert_none(&ev, "unknown_node");
}

// ---- self_loop ----

#[test]
fn a_node_that_is_its_own_child_is_a_self_loop_error() {
    let ev = eval(&kpi("a", "件", "1", "1"), &edge("a", "a", "+"));
    assert_diag(only(&ev, "self_loop"), "error", "a", Some(("a", "a")));
}

#[test]
fn a_self_loop_is_not_also_reported_as_a_cycle() {
    let ev = eval(&kpi("a", "件", "1", "1"), &edge("a", "a", "+"));
    assert_none(&ev, "cycle");
}

#[test]
fn a_child_with_an_id_close_to_its_parent_is_no_self_loop() {
    let ev = eval(&list(&[kpi("a", "件", "1", "1"), kpi("a ", "件", "1", "1")]), &edge("a", "a ", "+"));
    assert_none(&ev, "self_loop");
}

// ---- duplicate_edge ----

#[test]
fn the_same_pair_twice_is_a_duplicate_edge_error_even_with_another_op() {
    let nodes = list(&[kgi("k", "件", "1", "1"), kpi("a", "件", "1", "1")]);
    let ev = eval(&nodes, &list(&[edge("k", "a", "+"), edge("k", "a", "-")]));
    assert_diag(only(&ev, "duplicate_edge"), "error", "k", Some(("k", "a")));
}

#[test]
fn a_duplicate_edge_is_not_counted_as_a_second_term() {
    let nodes = list(&[kgi("k", "件", "null", "null"), kpi("a", "件", "5", "5")]);
    let ev = eval(&nodes, &list(&[edge("k", "a", "+"), edge("k", "a", "+")]));
    assert_close(value(&ev, "k").target, 5.0);
}

#[test]
fn one_child_under_two_parents_is_no_duplicate_edge() {
    let nodes = list(&[kgi("k", "件", "1", "1"), kpi("p", "件", "1", "1"), kpi("a", "件", "1", "1")]);
    let ev = eval(&nodes, &list(&[edge("k", "a", "+"), edge("p", "a", "+")]));
    assert_none(&ev, "duplicate_edge");
}

// ---- cycle ----

fn three_cycle() -> kpitree::Evaluation {
    let nodes = list(&[
        kgi("top", "件", "null", "null"),
        kpi("a", "件", "10", "7"),
        kpi("b", "件", "20", "8"),
        kpi("c", "件", "30", "9"),
        kpi("leaf", "件", "4", "3"),
    ]);
    let edges = list(&[
        edge("top", "a", "+"),
        edge("a", "b", "+"),
        edge("b", "c", "+"),
        edge("c", "a", "+"),
        edge("c", "leaf", "+"),
    ]);
    eval(&nodes, &edges)
}

#[test]
fn every_node_on_a_cycle_gets_a_cycle_error() {
    let ev = three_cycle();
    let mut named: Vec<&str> =
        with_code(&ev, "cycle").iter().filter_map(|d| d.node.as_ref()).map(|n| n.as_str()).collect();
    named.sort_unstable();
    assert_eq!(named, ["a", "b", "c"]);
    for d in with_code(&ev, "cycle") {
        assert_eq!(d.severity().as_str(), "error");
        assert_eq!(d.edge, None);
    }
}

#[test]
fn a_cycle_message_names_every_node_on_the_cycle() {
    let ev = three_cycle();
    for d in with_code(&ev, "cycle") {
        let message = d.message(Lang::En);
        for id in ["a", "b", "c"] {
            assert!(message.contains(&format!("{id} →")) || message.ends_with(id), "{id} missing in {message}");
        }
    }
}

#[test]
fn a_node_depending_on_a_cycle_still_evaluates_from_the_entered_values() {
    let ev = three_cycle();
    assert_close(value(&ev, "top").target, 10.0);
    assert_close(value(&ev, "top").actual, 7.0);
}

#[test]
fn a_node_below_a_cycle_still_evaluates() {
    let ev = three_cycle();
    assert_close(value(&ev, "leaf").target, 4.0);
    assert_close(value(&ev, "leaf").progress, 0.75);
}

#[test]
fn a_diamond_is_not_a_cycle() {
    let nodes = list(&[
        kgi("top", "件", "1", "1"),
        kpi("a", "件", "1", "1"),
        kpi("b", "件", "1", "1"),
        kpi("d", "件", "1", "1"),
    ]);
    let edges = list(&[edge("top", "a", "+"), edge("top", "b", "+"), edge("a", "d", "+"), edge("b", "d", "+")]);
    assert_none(&eval(&nodes, &edges), "cycle");
}

#[test]
fn a_cycle_through_link_edges_is_still_a_cycle() {
    let nodes = list(&[kgi("k", "件", "1", "1"), ksf("s1"), ksf("s2"), kpi("x", "件", "1", "1")]);
    let edges =
        list(&[edge("k", "s1", "link"), edge("s1", "s2", "link"), edge("s2", "s1", "link"), edge("s2", "x", "link")]);
    assert_eq!(with_code(&eval(&nodes, &edges), "cycle").len(), 2);
}

// ---- division_by_zero ----

fn ratio(divisor_target: &str, divisor_actual: &str) -> kpitree::Evaluation {
    let nodes = list(&[
        kpi("rate", "%", "null", "null"),
        kpi("won", "件", "10", "8"),
        kpi("deals", "件", divisor_target, divisor_actual),
    ]);
    eval(&nodes, &list(&[edge("rate", "won", "*"), edge("rate", "deals", "/")]))
}

#[test]
fn dividing_by_a_zero_target_is_a_division_by_zero_error_on_that_edge() {
    let ev = ratio("0", "40");
    assert_diag(only(&ev, "division_by_zero"), "error", "rate", Some(("rate", "deals")));
    assert_eq!(value(&ev, "rate").target, None);
    assert_close(value(&ev, "rate").actual, 20.0);
}

#[test]
fn dividing_by_a_zero_actual_is_a_division_by_zero_error() {
    let ev = ratio("50", "0");
    assert_diag(only(&ev, "division_by_zero"), "error", "rate", Some(("rate", "deals")));
    assert_eq!(value(&ev, "rate").actual, None);
}

#[test]
fn a_leading_divide_by_zero_is_a_division_by_zero_error() {
    let nodes = list(&[kpi("inv", "", "null", "null"), kpi("z", "", "0", "2")]);
    let ev = eval(&nodes, &edge("inv", "z", "/"));
    assert_diag(only(&ev, "division_by_zero"), "error", "inv", Some(("inv", "z")));
}

#[test]
fn a_small_nonzero_divisor_is_no_division_by_zero() {
    assert_none(&ratio("0.0001", "40"), "division_by_zero");
}

#[test]
fn a_zero_numerator_or_a_zero_factor_is_no_division_by_zero() {
    let nodes = list(&[kpi("p", "件", "null", "null"), kpi("z", "件", "0", "0"), kpi("n", "", "5", "5")]);
    let ev = eval(&nodes, &list(&[edge("p", "z", "*"), edge("p", "n", "/")]));
    assert_none(&ev, "division_by_zero");
    assert_close(value(&ev, "p").target, 0.0);
}

// ---- kind_order ----

#[test]
fn a_kgi_below_another_node_is_a_kind_order_error_on_the_child() {
    let ev = eval(&list(&[kgi("k1", "件", "1", "1"), kgi("k2", "件", "1", "1")]), &edge("k1", "k2", "link"));
    assert_diag(only(&ev, "kind_order"), "error", "k2", Some(("k1", "k2")));
}

#[test]
fn a_ksf_below_a_kpi_is_a_kind_order_error_on_the_ksf() {
    let ev = eval(&list(&[kpi("p", "件", "1", "1"), ksf("s")]), &edge("p", "s", "link"));
    assert_diag(only(&ev, "kind_order"), "error", "s", Some(("p", "s")));
}

#[test]
fn kgi_to_ksf_to_kpi_to_kpi_and_kgi_to_kpi_are_in_kind_order() {
    let nodes = list(&[kgi("k", "件", "1", "1"), ksf("s"), kpi("a", "件", "1", "1"), kpi("b", "件", "1", "1")]);
    let edges = list(&[edge("k", "s", "link"), edge("s", "a", "link"), edge("a", "b", "+"), edge("k", "b", "link")]);
    assert_none(&eval(&nodes, &edges), "kind_order");
}

// ---- empty_name ----

#[test]
fn a_blank_name_is_an_empty_name_warning() {
    let ev = eval(r#"{"id":"x","kind":"KPI","name":"  ","unit":"件","target":1,"actual":1}"#, "");
    assert_diag(only(&ev, "empty_name"), "warning", "x", None);
}

#[test]
fn a_name_with_a_single_symbol_is_not_empty() {
    let ev = eval(r#"{"id":"x","kind":"KPI","name":" ・ ","unit":"件","target":1,"actual":1}"#, "");
    assert_none(&ev, "empty_name");
}

// ---- unit_mismatch ----

fn sum_of(unit_a: &str, unit_b: &str, parent_unit: &str) -> kpitree::Evaluation {
    let nodes = list(&[kpi("p", parent_unit, "null", "null"), kpi("a", unit_a, "1", "1"), kpi("b", unit_b, "2", "2")]);
    eval(&nodes, &list(&[edge("p", "a", "+"), edge("p", "b", "+")]))
}

#[test]
fn adding_terms_of_different_dimensions_is_a_unit_mismatch_on_the_second_edge() {
    let ev = sum_of("円", "件", "円");
    assert_diag(only(&ev, "unit_mismatch"), "warning", "p", Some(("p", "b")));
}

#[test]
fn subtracting_terms_of_different_dimensions_is_a_unit_mismatch() {
    let nodes = list(&[kpi("p", "円", "null", "null"), kpi("a", "円", "5", "5"), kpi("b", "人", "2", "2")]);
    let ev = eval(&nodes, &list(&[edge("p", "a", "+"), edge("p", "b", "-")]));
    assert_diag(only(&ev, "unit_mismatch"), "warning", "p", Some(("p", "b")));
}

#[test]
fn adding_man_yen_and_sen_yen_is_not_a_unit_mismatch() {
    assert_none(&sum_of("万円", "千円", "円"), "unit_mismatch");
}

#[test]
fn adding_products_of_the_same_dimension_is_not_a_unit_mismatch() {
    let nodes = list(&[
        kpi("p", "万円", "null", "null"),
        kpi("n1", "社", "2", "2"),
        kpi("u1", "万円/社", "3", "3"),
        kpi("n2", "件", "4", "4"),
        kpi("u2", "円/件", "5", "5"),
    ]);
    let edges = list(&[edge("p", "n1", "*"), edge("p", "u1", "*"), edge("p", "n2", "+"), edge("p", "u2", "*")]);
    assert_none(&eval(&nodes, &edges), "unit_mismatch");
}

#[test]
fn a_computed_dimension_unlike_the_parent_unit_is_a_unit_mismatch_without_an_edge() {
    let nodes = list(&[kpi("p", "円", "null", "null"), kpi("a", "件", "2", "2"), kpi("b", "円", "3", "3")]);
    let ev = eval(&nodes, &list(&[edge("p", "a", "*"), edge("p", "b", "*")]));
    assert_diag(only(&ev, "unit_mismatch"), "warning", "p", None);
}

#[test]
fn companies_times_man_yen_per_company_into_man_yen_is_not_a_unit_mismatch() {
    let nodes = list(&[kpi("p", "万円", "null", "null"), kpi("a", "社", "2", "2"), kpi("b", "万円/社", "3", "3")]);
    let ev = eval(&nodes, &list(&[edge("p", "a", "*"), edge("p", "b", "*")]));
    assert_none(&ev, "unit_mismatch");
}

#[test]
fn a_ratio_of_counts_into_a_percent_parent_is_not_a_unit_mismatch() {
    let nodes = list(&[kpi("p", "%", "null", "null"), kpi("a", "件", "2", "2"), kpi("b", "件", "3", "3")]);
    let ev = eval(&nodes, &list(&[edge("p", "a", "*"), edge("p", "b", "/")]));
    assert_none(&ev, "unit_mismatch");
}

// ---- target_mismatch / actual_mismatch ----

fn plan(parent_target: &str, parent_actual: &str) -> kpitree::Evaluation {
    let nodes =
        list(&[kgi("k", "件", parent_target, parent_actual), kpi("a", "件", "60", "30"), kpi("b", "件", "40", "20")]);
    eval(&nodes, &list(&[edge("k", "a", "+"), edge("k", "b", "+")]))
}

#[test]
fn an_entered_target_0_6_percent_off_the_computed_one_is_a_target_mismatch() {
    let ev = plan("100.6", "50");
    assert_diag(only(&ev, "target_mismatch"), "warning", "k", None);
}

#[test]
fn an_entered_target_0_4_percent_off_the_computed_one_is_no_target_mismatch() {
    assert_none(&plan("100.4", "50"), "target_mismatch");
    assert_none(&plan("99.6", "50"), "target_mismatch");
}

#[test]
fn an_entered_actual_0_6_percent_off_the_computed_one_is_an_actual_mismatch() {
    let ev = plan("100", "49.7");
    assert_diag(only(&ev, "actual_mismatch"), "warning", "k", None);
    assert_none(&ev, "target_mismatch");
}

#[test]
fn an_entered_actual_0_4_percent_off_the_computed_one_is_no_actual_mismatch() {
    assert_none(&plan("100", "50.2"), "actual_mismatch");
}

#[test]
fn a_computed_node_without_entered_values_has_no_mismatch() {
    let ev = plan("null", "null");
    assert_none(&ev, "target_mismatch");
    assert_none(&ev, "actual_mismatch");
}

// ---- kgi_no_target / kgi_no_deadline ----

#[test]
fn a_kgi_without_a_target_is_a_kgi_no_target_warning() {
    let ev = eval(&kgi("k", "件", "null", "5"), "");
    assert_diag(only(&ev, "kgi_no_target"), "warning", "k", None);
}

#[test]
fn a_kgi_with_a_target_has_no_kgi_no_target() {
    assert_none(&eval(&kgi("k", "件", "0", "5"), ""), "kgi_no_target");
}

#[test]
fn a_kgi_whose_target_is_computed_from_its_terms_has_no_kgi_no_target() {
    assert_none(&plan("null", "null"), "kgi_no_target");
}

#[test]
fn a_kgi_without_a_deadline_is_a_kgi_no_deadline_warning() {
    let ev = eval(r#"{"id":"k","kind":"KGI","name":"売上","unit":"万円","target":1}"#, "");
    assert_diag(only(&ev, "kgi_no_deadline"), "warning", "k", None);
}

#[test]
fn a_kgi_with_a_deadline_has_no_kgi_no_deadline() {
    assert_none(&eval(&kgi("k", "万円", "1", "1"), ""), "kgi_no_deadline");
}

// ---- kpi_no_unit / kpi_no_target ----

#[test]
fn a_kpi_without_a_unit_is_a_kpi_no_unit_warning() {
    let ev = eval(r#"{"id":"x","kind":"KPI","name":"x","target":1,"actual":1}"#, "");
    assert_diag(only(&ev, "kpi_no_unit"), "warning", "x", None);
}

#[test]
fn a_kpi_with_a_blank_unit_is_a_kpi_no_unit_warning() {
    assert_diag(only(&eval(&kpi("x", " ", "1", "1"), ""), "kpi_no_unit"), "warning", "x", None);
}

#[test]
fn a_kpi_with_a_percent_unit_has_a_unit() {
    assert_none(&eval(&kpi("x", "%", "1", "1"), ""), "kpi_no_unit");
}

#[test]
fn a_kpi_neither_computed_nor_with_a_target_is_a_kpi_no_target_warning() {
    let ev = eval(&kpi("x", "件", "null", "3"), "");
    assert_diag(only(&ev, "kpi_no_target"), "warning", "x", None);
}

#[test]
fn a_computed_kpi_without_an_entered_target_has_no_kpi_no_target() {
    let nodes = list(&[kpi("x", "件", "null", "null"), kpi("a", "件", "null", "3")]);
    let ev = eval(&nodes, &edge("x", "a", "+"));
    let flagged: Vec<_> = with_code(&ev, "kpi_no_target").iter().filter_map(|d| d.node.clone()).collect();
    assert_eq!(flagged, [kpitree::model::NodeId::from("a")]);
}

#[test]
fn a_kpi_with_only_link_children_and_no_target_is_a_kpi_no_target_warning() {
    let nodes = list(&[kpi("x", "件", "null", "null"), kpi("a", "件", "1", "1")]);
    let ev = eval(&nodes, &edge("x", "a", "link"));
    assert_diag(only(&ev, "kpi_no_target"), "warning", "x", None);
}

// ---- ksf_without_kpi ----

#[test]
fn a_ksf_with_nothing_below_it_is_a_ksf_without_kpi_warning() {
    let ev = eval(&list(&[kgi("k", "件", "1", "1"), ksf("s")]), &edge("k", "s", "link"));
    assert_diag(only(&ev, "ksf_without_kpi"), "warning", "s", None);
}

#[test]
fn a_ksf_with_only_ksfs_below_it_is_a_ksf_without_kpi_warning_for_each() {
    let ev = eval(
        &list(&[kgi("k", "件", "1", "1"), ksf("s"), ksf("t")]),
        &list(&[edge("k", "s", "link"), edge("s", "t", "link")]),
    );
    assert_eq!(with_code(&ev, "ksf_without_kpi").len(), 2);
}

#[test]
fn a_ksf_with_a_kpi_two_levels_below_has_no_ksf_without_kpi() {
    let nodes = list(&[kgi("k", "件", "1", "1"), ksf("s"), ksf("t"), kpi("x", "件", "1", "1")]);
    let edges = list(&[edge("k", "s", "link"), edge("s", "t", "link"), edge("t", "x", "link")]);
    assert_none(&eval(&nodes, &edges), "ksf_without_kpi");
}

// ---- orphan ----

#[test]
fn a_kpi_without_a_parent_is_an_orphan_warning() {
    let ev = eval(&list(&[kgi("k", "件", "1", "1"), kpi("x", "件", "1", "1")]), "");
    assert_diag(only(&ev, "orphan"), "warning", "x", None);
}

#[test]
fn a_ksf_without_a_parent_is_an_orphan_warning() {
    let ev = eval(&list(&[ksf("s"), kpi("x", "件", "1", "1")]), &edge("s", "x", "link"));
    assert_diag(only(&ev, "orphan"), "warning", "s", None);
}

#[test]
fn a_kgi_without_a_parent_is_no_orphan_nor_is_a_linked_kpi() {
    let ev = eval(&list(&[kgi("k", "件", "1", "1"), kpi("x", "件", "1", "1")]), &edge("k", "x", "link"));
    assert_none(&ev, "orphan");
}

// ---- no_actual ----

#[test]
fn a_leaf_kpi_with_a_target_and_no_actual_is_a_no_actual_info() {
    let ev = eval(&kpi("x", "件", "10", "null"), "");
    assert_diag(only(&ev, "no_actual"), "info", "x", None);
}

#[test]
fn a_leaf_kpi_with_an_actual_of_zero_has_an_actual() {
    assert_none(&eval(&kpi("x", "件", "10", "0"), ""), "no_actual");
}

#[test]
fn a_computed_kpi_with_a_target_and_no_actual_is_no_no_actual() {
    let nodes = list(&[kpi("x", "件", "10", "null"), kpi("a", "件", "10", "5")]);
    assert_none(&eval(&nodes, &edge("x", "a", "+")), "no_actual");
}

// ---- shared_node ----

#[test]
fn a_node_with_two_parents_is_a_shared_node_info() {
    let nodes = list(&[kgi("k", "件", "1", "1"), kpi("p", "件", "1", "1"), kpi("x", "件", "1", "1")]);
    let ev = eval(&nodes, &list(&[edge("k", "p", "+"), edge("k", "x", "+"), edge("p", "x", "+")]));
    assert_diag(only(&ev, "shared_node"), "info", "x", None);
}

#[test]
fn the_same_parent_twice_does_not_make_a_shared_node() {
    let nodes = list(&[kgi("k", "件", "1", "1"), kpi("x", "件", "1", "1")]);
    let ev = eval(&nodes, &list(&[edge("k", "x", "+"), edge("k", "x", "link")]));
    assert_none(&ev, "shared_node");
}

// ---- unit_syntax (added by the code) ----

#[test]
fn an_unreadable_unit_is_a_unit_syntax_warning() {
    let ev = eval(&kpi("x", "円//人", "1", "1"), "");
    assert_diag(only(&ev, "unit_syntax"), "warning", "x", None);
}

#[test]
fn a_compound_unit_with_a_power_is_readable() {
    assert_none(&eval(&kpi("x", "円/人/月^2", "1", "1"), ""), "unit_syntax");
}

#[test]
fn an_unreadable_unit_matches_no_other_unit() {
    assert_eq!(with_code(&sum_of("円//人", "円", "円"), "unit_mismatch").len(), 1);
}

// ---- overflow (added by the code) ----

fn product(a: &str, b: &str) -> kpitree::Evaluation {
    let nodes = list(&[kpi("p", "", "null", "null"), kpi("a", "", a, a), kpi("b", "", b, b)]);
    eval(&nodes, &list(&[edge("p", "a", "*"), edge("p", "b", "*")]))
}

#[test]
fn a_product_beyond_f64_is_an_overflow_warning_for_target_and_actual() {
    let ev = product("1e200", "1e200");
    let found = with_code(&ev, "overflow");
    assert_eq!(found.len(), 2, "{found:#?}");
    for d in found {
        assert_diag(d, "warning", "p", None);
    }
    assert_eq!(value(&ev, "p").target, None);
}

#[test]
fn a_product_just_inside_f64_is_no_overflow() {
    let ev = product("1e150", "1e150");
    assert_none(&ev, "overflow");
    assert_close(value(&ev, "p").target, 1e300);
}

// ---- the whole table ----

#[test]
fn every_code_of_the_format_table_exists_with_its_severity() {
    let table = [
        ("duplicate_id", "error"),
        ("unknown_node", "error"),
        ("self_loop", "error"),
        ("duplicate_edge", "error"),
        ("cycle", "error"),
        ("division_by_zero", "error"),
        ("kind_order", "error"),
        ("empty_name", "warning"),
        ("unit_mismatch", "warning"),
        ("target_mismatch", "warning"),
        ("actual_mismatch", "warning"),
        ("kgi_no_target", "warning"),
        ("kgi_no_deadline", "warning"),
        ("kpi_no_unit", "warning"),
        ("kpi_no_target", "warning"),
        ("ksf_without_kpi", "warning"),
        ("orphan", "warning"),
        ("no_actual", "info"),
        ("shared_node", "info"),
    ];
    for (code, severity) in table {
        let found = kpitree::eval::Code::ALL.iter().find(|c| c.as_str() == code);
        assert_eq!(found.map(|c| c.severity().as_str()), Some(severity), "{code}");
    }
}

#[test]
fn the_format_example_has_only_its_actual_mismatch() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/format-example.kpitree.json"))
        .expect("example file");
    let doc = kpitree::io::from_str(&text, "format-example.kpitree.json").expect("example loads");
    let ev = kpitree::evaluate(&doc);
    let codes: Vec<&str> = ev.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["actual_mismatch"]);
}

#[test]
fn diagnostics_of_a_node_are_exactly_those_that_name_it() {
    let nodes = list(&[kgi("k", "万円", "null", "null"), kpi("a", "", "null", "null"), kpi("b", "件", "1", "null")]);
    let ev = eval(&nodes, &list(&[edge("k", "a", "*")]));
    for id in ["k", "a", "b"] {
        let id = kpitree::model::NodeId::from(id);
        let expected: Vec<_> = ev.diagnostics.iter().filter(|d| d.node.as_ref() == Some(&id)).collect();
        let got: Vec<_> = ev.diagnostics_of(&id).collect();
        assert!(!expected.is_empty());
        assert_eq!(got, expected, "{id}");
    }
}

#[test]
fn a_pair_repeated_after_another_parents_edges_is_still_a_duplicate_edge() {
    let nodes = list(&[kgi("k", "件", "1", "1"), kpi("a", "件", "1", "1"), kpi("b", "件", "1", "1")]);
    // k's edges, then a's, then k → a again; and a → b twice in one run.
    let edges = list(&[edge("k", "a", "+"), edge("a", "b", "+"), edge("a", "b", "-"), edge("k", "a", "+")]);
    let ev = eval(&nodes, &edges);
    let found: Vec<_> = with_code(&ev, "duplicate_edge").iter().map(|d| d.edge.clone().unwrap()).collect();
    let pairs: Vec<_> = found.iter().map(|e| (e.parent.as_str(), e.child.as_str())).collect();
    assert_eq!(pairs, [("a", "b"), ("k", "a")]);
}
