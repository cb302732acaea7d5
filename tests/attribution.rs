//! Variance attribution and sensitivity with hand-computed answers: sums,
//! products of two and three factors, quotients, mixed precedence, a
//! lower-is-better goal, a shared node, a zero actual, a plan that does not
//! add up, the three methods; the parts always add up to the gap (property
//! test); the analysis stays linear (operation counts, not time).

use crate::common::{doc, edge, kgi, kpi, list};
use kpitree::eval::Which;
use kpitree::eval::analysis::{AnalysisError, Analyzer};
use kpitree::eval::attribution::{Attribution, Method};
use kpitree::model::Document;
use proptest::prelude::*;

fn attribution(d: &Document, method: Method) -> Attribution {
    Analyzer::new(d).attribution(method).expect("an attribution").into_iter().next().expect("a goal")
}

fn part(a: &Attribution, id: &str) -> f64 {
    a.contributions
        .iter()
        .find(|c| c.node.as_str() == id)
        .map(|c| c.contribution)
        .unwrap_or_else(|| panic!("no part for {id}: {a:?}"))
}

fn close(got: f64, want: f64) {
    assert!((got - want).abs() <= 1e-9 * want.abs().max(1.0), "{got} instead of {want}");
}

fn adds_up(a: &Attribution) {
    let sum: f64 = a.contributions.iter().map(|c| c.contribution).sum();
    assert!((sum - a.gap).abs() <= 1e-6 * a.gap.abs().max(1.0), "parts {sum} vs gap {}: {a:?}", a.gap);
}

/// 売上 = 顧客数 × 客単価: 120 → 80 社, 100 → 90 万円/社.
fn sales() -> Document {
    doc(
        &list(&[
            kgi("s", "万円", "null", "null"),
            kpi("cust", "社", "120", "80"),
            kpi("price", "万円/社", "100", "90"),
        ]),
        &list(&[edge("s", "cust", "*"), edge("s", "price", "*")]),
    )
}

#[test]
fn the_worked_example_splits_the_gap_by_shapley() {
    let a = attribution(&sales(), Method::Shapley);
    close(a.gap, -4800.0);
    close(part(&a, "cust"), -40.0 * (100.0 + 90.0) / 2.0);
    close(part(&a, "price"), -10.0 * (120.0 + 80.0) / 2.0);
    assert_eq!(a.contributions[0].node.as_str(), "cust", "largest first");
    adds_up(&a);
}

#[test]
fn the_cost_method_prices_quantities_at_standard_and_prices_at_actual_quantity() {
    let a = attribution(&sales(), Method::Cost);
    close(part(&a, "cust"), -40.0 * 100.0);
    close(part(&a, "price"), -10.0 * 80.0);
    adds_up(&a);
}

#[test]
fn lmdi_adds_up_on_positive_values_and_refuses_a_sign_change() {
    let a = attribution(&sales(), Method::Lmdi);
    let l = (7200.0f64 - 12000.0) / (7200.0f64.ln() - 12000.0f64.ln());
    close(part(&a, "cust"), l * (80.0f64 / 120.0).ln());
    adds_up(&a);
    let negative = doc(
        &list(&[kgi("s", "", "null", "null"), kpi("a", "", "2", "-1"), kpi("b", "", "3", "3")]),
        &list(&[edge("s", "a", "*"), edge("s", "b", "*")]),
    );
    assert!(matches!(Analyzer::new(&negative).attribution(Method::Lmdi), Err(AnalysisError::LmdiUndefined(_))));
}

#[test]
fn a_sum_splits_directly_and_a_subtraction_counts_against() {
    let d = doc(
        &list(&[
            kgi("p", "円", "null", "null"),
            kpi("a", "円", "100", "130"),
            kpi("b", "円", "50", "40"),
            kpi("c", "円", "30", "45"),
        ]),
        &list(&[edge("p", "a", "+"), edge("p", "b", "+"), edge("p", "c", "-")]),
    );
    let a = attribution(&d, Method::Shapley);
    close(part(&a, "a"), 30.0);
    close(part(&a, "b"), -10.0);
    close(part(&a, "c"), -15.0);
    close(a.gap, 5.0);
}

#[test]
fn three_factors_follow_the_closed_form() {
    let d = doc(
        &list(&[kgi("p", "", "null", "null"), kpi("x", "", "2", "4"), kpi("y", "", "3", "1"), kpi("z", "", "5", "6")]),
        &list(&[edge("p", "x", "*"), edge("p", "y", "*"), edge("p", "z", "*")]),
    );
    let a = attribution(&d, Method::Shapley);
    close(part(&a, "x"), 2.0 * ((3.0 * 5.0 + 1.0 * 6.0) / 3.0 + (3.0 * 6.0 + 1.0 * 5.0) / 6.0));
    adds_up(&a);
}

#[test]
fn a_quotient_splits_between_numerator_and_divisor() {
    // rate = won / deals: 30/100 → 40/200. Shapley over won and 1/deals:
    // won: +10 × (1/100 + 1/200)/2 = 0.075; 1/deals: −0.005 × (30 + 40)/2 = −0.175.
    let d = doc(
        &list(&[kgi("r", "", "null", "null"), kpi("won", "", "30", "40"), kpi("deals", "", "100", "200")]),
        &list(&[edge("r", "won", "*"), edge("r", "deals", "/")]),
    );
    let a = attribution(&d, Method::Shapley);
    close(part(&a, "won"), 0.075);
    close(part(&a, "deals"), -0.175);
    close(a.gap, -0.1);
}

#[test]
fn mixed_precedence_splits_the_product_group_and_the_sum() {
    // p = a × b + c: a 2 → 3, b 10 → 10, c 5 → 1.
    let d = doc(
        &list(&[
            kgi("p", "", "null", "null"),
            kpi("a", "", "2", "3"),
            kpi("b", "", "10", "10"),
            kpi("c", "", "5", "1"),
        ]),
        &list(&[edge("p", "a", "*"), edge("p", "b", "*"), edge("p", "c", "+")]),
    );
    let a = attribution(&d, Method::Shapley);
    close(part(&a, "a"), 10.0);
    close(part(&a, "b"), 0.0);
    close(part(&a, "c"), -4.0);
}

#[test]
fn a_lower_is_better_goal_keeps_actual_minus_target() {
    let d = doc(
        &list(&[
            r#"{"id":"cost","kind":"KGI","name":"cost","unit":"円","direction":"down","deadline":"2027-03-31"}"#
                .to_owned(),
            kpi("a", "円", "100", "120"),
            kpi("b", "円", "50", "40"),
        ]),
        &list(&[edge("cost", "a", "+"), edge("cost", "b", "+")]),
    );
    let a = attribution(&d, Method::Shapley);
    close(a.gap, 10.0);
    close(part(&a, "a"), 20.0);
}

#[test]
fn a_shared_node_contributes_through_both_its_parents() {
    // p = m + n, m = x × 2 (const k), n = x + 1; x 10 → 12.
    let d = doc(
        &list(&[
            kgi("p", "", "null", "null"),
            kpi("m", "", "null", "null"),
            kpi("n", "", "null", "null"),
            kpi("x", "", "10", "12"),
            kpi("k", "", "2", "2"),
            kpi("one", "", "1", "1"),
        ]),
        &list(&[
            edge("p", "m", "+"),
            edge("p", "n", "+"),
            edge("m", "x", "*"),
            edge("m", "k", "*"),
            edge("n", "x", "+"),
            edge("n", "one", "+"),
        ]),
    );
    let a = attribution(&d, Method::Shapley);
    close(part(&a, "x"), 2.0 * 2.0 + 2.0);
    adds_up(&a);
}

#[test]
fn a_zero_actual_needs_no_special_case() {
    let d = doc(
        &list(&[kgi("p", "", "null", "null"), kpi("a", "", "4", "0"), kpi("b", "", "5", "7")]),
        &list(&[edge("p", "a", "*"), edge("p", "b", "*")]),
    );
    let a = attribution(&d, Method::Shapley);
    close(part(&a, "a"), -4.0 * 6.0);
    close(part(&a, "b"), 2.0 * 2.0);
    close(a.gap, -20.0);
}

#[test]
fn a_plan_that_does_not_add_up_is_the_goals_own_part() {
    // Entered target 13,000 against the 12,000 the terms give.
    let d = doc(
        &list(&[
            kgi("s", "万円", "13000", "null"),
            kpi("cust", "社", "120", "80"),
            kpi("price", "万円/社", "100", "90"),
        ]),
        &list(&[edge("s", "cust", "*"), edge("s", "price", "*")]),
    );
    let a = attribution(&d, Method::Shapley);
    close(a.gap, 7200.0 - 13000.0);
    close(part(&a, "s"), -1000.0);
    adds_up(&a);
}

// ---- sensitivity ----

#[test]
fn a_product_of_equal_elasticity_terms_moves_ten_percent_per_ten_percent() {
    let d = doc(
        &list(&[kgi("p", "", "null", "null"), kpi("a", "", "2", "2"), kpi("b", "", "3", "3"), kpi("c", "", "4", "5")]),
        &list(&[edge("p", "a", "*"), edge("p", "b", "*"), edge("p", "c", "*")]),
    );
    let s = Analyzer::new(&d).sensitivity(10.0, Which::Actual);
    assert_eq!(s.len(), 3);
    for x in &s {
        close(x.base, 30.0);
        close(x.low.unwrap(), 27.0);
        close(x.high.unwrap(), 33.0);
        close(x.elasticity.unwrap(), 1.0);
    }
}

#[test]
fn a_divisor_has_elasticity_minus_one_and_the_tornado_is_sorted_by_swing() {
    let d = doc(
        &list(&[
            kgi("p", "", "null", "null"),
            kpi("a", "", "10", "10"),
            kpi("b", "", "2", "2"),
            kpi("c", "", "1", "1"),
        ]),
        &list(&[edge("p", "a", "*"), edge("p", "b", "/"), edge("p", "c", "+")]),
    );
    let s = Analyzer::new(&d).sensitivity(10.0, Which::Actual);
    let b = s.iter().find(|x| x.node.as_str() == "b").unwrap();
    close(b.elasticity.unwrap(), -5.0 / 6.0);
    close(b.high.unwrap(), 10.0 / 2.2 + 1.0);
    assert!(s.windows(2).all(|w| w[0].swing() >= w[1].swing()));
}

// ---- the parts add up, and it is linear ----

fn random_tree() -> impl Strategy<Value = Document> {
    (3usize..80, any::<u64>()).prop_map(|(n, seed)| {
        let mut d = kpitree::model::generate::tree(n, seed);
        // Every leaf measured, so that the goal has an actual.
        for node in d.nodes.iter_mut() {
            if node.target.is_some() && node.actual.is_none() {
                node.actual = node.target.map(|t| t * 0.8);
            }
        }
        d
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn the_parts_always_add_up_to_the_gap(d in random_tree()) {
        for method in [Method::Shapley, Method::Cost] {
            for a in Analyzer::new(&d).attribution(method).unwrap() {
                let sum: f64 = a.contributions.iter().map(|c| c.contribution).sum();
                prop_assert!((sum - a.gap).abs() <= 1e-6 * a.gap.abs().max(1.0), "{method:?}: {sum} vs {}", a.gap);
            }
        }
    }
}

/// One goal with `n` `+` terms.
fn flat(n: usize) -> Document {
    let mut nodes = vec![kgi("g", "件", "null", "null")];
    let mut edges = Vec::new();
    for i in 0..n {
        nodes.push(kpi(&format!("t{i}"), "件", "10", "9"));
        edges.push(edge("g", &format!("t{i}"), "+"));
    }
    doc(&list(&nodes), &list(&edges))
}

#[test]
fn bottlenecks_attribution_and_sensitivity_stay_linear_in_a_goals_terms() {
    let ops = |n: usize| {
        let d = flat(n);
        let a = Analyzer::new(&d);
        kpitree::eval::count_operations(|| {
            assert_eq!(a.bottlenecks().len(), n);
            a.attribution(Method::Shapley).unwrap();
            a.sensitivity(10.0, Which::Actual);
        })
        .1
    };
    let (small, large) = (ops(500), ops(2000));
    assert!(small >= 500, "the count counts: {small}");
    assert!(large < 8 * small, "4× the terms took {large} operations against {small}");
}

/// `n` goals of two `+` terms each, side by side in one document.
fn many_goals(n: usize) -> Document {
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for i in 0..n {
        nodes.push(kgi(&format!("g{i}"), "件", "null", "null"));
        for j in 0..2 {
            nodes.push(kpi(&format!("t{i}_{j}"), "件", "10", "9"));
            edges.push(edge(&format!("g{i}"), &format!("t{i}_{j}"), "+"));
        }
    }
    doc(&list(&nodes), &list(&edges))
}

/// Each goal costs what it reaches: memory per node was set up again for
/// every goal, so 20,000 small goals took 74× `check` (5.9 s).
#[test]
fn many_small_goals_cost_what_they_reach_not_the_whole_document_each() {
    let ops = |n: usize| {
        let d = many_goals(n);
        let a = Analyzer::new(&d);
        kpitree::eval::count_operations(|| {
            assert_eq!(a.bottlenecks().len(), 2 * n);
            assert_eq!(a.attribution(Method::Shapley).unwrap().len(), n);
            assert_eq!(a.sensitivity(10.0, Which::Actual).len(), 2 * n);
        })
        .1
    };
    let (small, large) = (ops(250), ops(1000));
    assert!(small >= 250, "the count counts: {small}");
    assert!(large < 8 * small, "4× the goals took {large} operations against {small}");
}

// ---- values per period ----

/// 売上 = 客数 × 単価 over two months: the year's 売上 sums the months'
/// products, which no product of the year's 客数 and 単価 gives.
fn two_months() -> Document {
    let month = |t: f64, a: f64| serde_json::json!({ "target": t, "actual": a });
    let text = serde_json::json!({
        "format": "kpitree", "version": 1,
        "period": { "start": "2026-04-01", "end": "2026-05-31", "as_of": "2026-05-31" },
        "nodes": [
            { "id": "s", "kind": "KGI", "name": "売上", "unit": "円" },
            { "id": "c", "kind": "KPI", "name": "客数", "unit": "人",
              "series": { "2026-04": month(10.0, 8.0), "2026-05": month(10.0, 12.0) } },
            { "id": "p", "kind": "KPI", "name": "単価", "unit": "円/人",
              "series": { "2026-04": month(100.0, 90.0), "2026-05": month(100.0, 100.0) } }
        ],
        "edges": [ { "parent": "s", "child": "c", "op": "*" }, { "parent": "s", "child": "p", "op": "*" } ]
    });
    kpitree::io::from_str(&text.to_string(), "months.kpitree.json").expect("loads")
}

#[test]
fn a_goal_that_sums_its_months_is_split_month_by_month() {
    let a = attribution(&two_months(), Method::Shapley);
    // April: 1000 → 720, 客数 −2 × (100 + 90) / 2 = −190, 単価 −10 × (10 + 8) / 2 = −90.
    // May: 1000 → 1200, 客数 +2 × 100 = +200, 単価 0.
    close(a.target, 2000.0);
    close(a.actual, 1920.0);
    close(a.gap, -80.0);
    close(part(&a, "c"), -190.0 + 200.0);
    close(part(&a, "p"), -90.0);
    adds_up(&a);
    let [from, to] = a.periods.expect("split by period");
    assert_eq!((from.to_string().as_str(), to.to_string().as_str()), ("2026-04", "2026-05"));
}

#[test]
fn a_goal_that_sums_its_months_is_moved_month_by_month() {
    let d = two_months();
    let s = Analyzer::new(&d).sensitivity(10.0, Which::Actual);
    let c = s.iter().find(|x| x.node.as_str() == "c").expect("客数");
    // 客数 ±10 % in each month: 8·0.9·90 + 12·0.9·100 = 1728, and 2112 up.
    close(c.base, 1920.0);
    close(c.low.unwrap(), 1728.0);
    close(c.high.unwrap(), 2112.0);
    close(c.elasticity.unwrap(), 1.0);
}

/// 利益 = 顧客数 × 単価 − 顧客数 × 原価, 顧客数 the sum of `n` channels: every
/// channel reaches the goal along two chains (through the shared 顧客数).
fn shared_fan(n: usize) -> Document {
    let mut nodes = vec![
        kgi("profit", "円", "null", "null"),
        kpi("revenue", "円", "null", "null"),
        kpi("cost", "円", "null", "null"),
        kpi("cust", "人", "null", "null"),
        kpi("price", "円/人", "100", "90"),
        kpi("unit_cost", "円/人", "60", "70"),
    ];
    let mut edges = vec![
        edge("profit", "revenue", "+"),
        edge("profit", "cost", "-"),
        edge("revenue", "cust", "*"),
        edge("revenue", "price", "*"),
        edge("cost", "cust", "*"),
        edge("cost", "unit_cost", "*"),
    ];
    for i in 0..n {
        nodes.push(kpi(&format!("ch{i}"), "人", "10", "9"));
        edges.push(edge("cust", &format!("ch{i}"), "+"));
    }
    doc(&list(&nodes), &list(&edges))
}

#[test]
fn inputs_below_a_shared_node_stay_linear() {
    let ops = |n: usize| {
        let d = shared_fan(n);
        let a = Analyzer::new(&d);
        kpitree::eval::count_operations(|| {
            let s = a.sensitivity(10.0, Which::Actual);
            assert_eq!(s.len(), n + 2);
            a.bottlenecks();
        })
        .1
    };
    let (small, large) = (ops(500), ops(2000));
    assert!(large < 8 * small, "4× the channels took {large} operations against {small}");
}

#[test]
fn a_channel_below_a_shared_node_moves_both_chains() {
    let d = shared_fan(2);
    let s = Analyzer::new(&d).sensitivity(10.0, Which::Actual);
    let ch = s.iter().find(|x| x.node.as_str() == "ch0").unwrap();
    // 顧客数 18 → 17.1 / 18.9; 利益 = 顧客数 × (90 − 70) = 360 → 342 / 378.
    close(ch.base, 360.0);
    close(ch.low.unwrap(), 342.0);
    close(ch.high.unwrap(), 378.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    /// The tornado's ends are what evaluating the whole tree again with the
    /// input moved gives, shared nodes included.
    #[test]
    fn the_sensitivity_is_what_evaluating_again_gives(d in random_tree()) {
        let a = Analyzer::new(&d);
        for s in a.sensitivity(10.0, Which::Actual) {
            let Some(x) = d.node(&s.node).and_then(|n| n.actual) else { continue };
            for (factor, got) in [(0.9, s.low), (1.1, s.high)] {
                let mut moved = d.clone();
                if let Some(mut n) = moved.node_mut(&s.node) {
                    n.actual = Some(x * factor);
                }
                let want = kpitree::evaluate(&moved).get(&s.goal).and_then(|v| v.actual);
                match (got, want) {
                    (Some(g), Some(w)) => prop_assert!((g - w).abs() <= 1e-6 * w.abs().max(1.0), "{}: {g} vs {w}", s.node),
                    (g, w) => prop_assert_eq!(g, w, "{}", s.node),
                }
            }
        }
    }
}

/// The bottleneck ranking leaves its last goal's levers for the
/// sensitivity of actuals, which then skips computing them again: the
/// answers are the same in any order, for targets too (whose levers differ),
/// and the second analysis visits fewer terms than it does alone.
#[test]
fn levers_left_by_one_analysis_serve_the_next_only_when_they_are_its_own() {
    let d = doc(
        &list(&[
            kgi("g", "万円", "12000", "null"),
            kpi("c", "社", "120", "80"),
            kpi("p", "万円/社", "100", "90"),
            kpi("x", "万円", "50", "70"),
        ]),
        &list(&[edge("g", "c", "*"), edge("g", "p", "*"), edge("g", "x", "+")]),
    );
    let alone = Analyzer::new(&d);
    let (actual, alone_ops) = kpitree::eval::count_operations(|| alone.sensitivity(10.0, Which::Actual));
    let target = Analyzer::new(&d).sensitivity(10.0, Which::Target);
    assert_ne!(actual, target, "targets and actuals move the goal differently");
    let after = Analyzer::new(&d);
    let ranked = after.bottlenecks();
    assert_eq!(ranked, Analyzer::new(&d).bottlenecks());
    let (again, after_ops) = kpitree::eval::count_operations(|| after.sensitivity(10.0, Which::Actual));
    assert_eq!(again, actual);
    assert!(after_ops < alone_ops, "{after_ops} operations after the ranking, {alone_ops} alone");
    assert_eq!(after.sensitivity(10.0, Which::Target), target);
    assert_eq!(after.sensitivity(10.0, Which::Actual), actual);
    assert_eq!(after.bottlenecks(), ranked);
}
