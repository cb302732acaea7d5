//! Analysis with hand-computed answers: bottlenecks, 逆算, goal seek,
//! scenarios and pacing.

use crate::common::{assert_close, doc, edge, kgi, kpi, list};
use kpitree::eval::analysis::{AnalysisError, Analyzer, PaceStatus};
use kpitree::model::Document;

/// 売上 (万円) = 顧客数 (社) × 客単価 (万円/社); targets 120 × 100, actuals 80 × 90.
fn sales() -> Document {
    doc(
        &list(&[
            kgi("sales", "万円", "12000", "null"),
            kpi("cust", "社", "120", "80"),
            kpi("price", "万円/社", "100", "90"),
        ]),
        &list(&[edge("sales", "cust", "*"), edge("sales", "price", "*")]),
    )
}

/// 受注 (won) = 商談数 × 成約率 (%) + 紹介; 商談数 = テレアポ数 × アポ率 (%).
/// Targets 5,000 calls, 2 %, 25 %, 5; actuals 4,000, 1.5 %, 20 %, 3.
fn won() -> Document {
    doc(
        &list(&[
            kgi("won", "件", "30", "null"),
            kpi("meet", "件", "null", "null"),
            kpi("calls", "件", "5000", "4000"),
            kpi("rate", "%", "2", "1.5"),
            kpi("close", "%", "25", "20"),
            kpi("ref", "件", "5", "3"),
        ]),
        &list(&[
            edge("won", "meet", "*"),
            edge("won", "close", "*"),
            edge("won", "ref", "+"),
            edge("meet", "calls", "*"),
            edge("meet", "rate", "*"),
        ]),
    )
}

fn gain_of(doc: &Document, node: &str) -> f64 {
    let a = Analyzer::new(doc);
    a.bottlenecks().into_iter().find(|b| b.node.as_str() == node).unwrap_or_else(|| panic!("no {node}")).gain
}

// ---- bottlenecks ----

#[test]
fn reaching_the_customer_target_gains_3600_and_the_price_target_800() {
    let doc = sales();
    let ranking = Analyzer::new(&doc).bottlenecks();
    assert_eq!(ranking.len(), 2);
    assert_eq!(ranking[0].node.as_str(), "cust");
    assert_eq!(ranking[0].rank, 1);
    assert_close(Some(ranking[0].gain), 3600.0);
    assert_close(Some(ranking[0].goal_actual), 7200.0);
    assert_close(Some(ranking[0].goal_if_reached), 10800.0);
    assert_eq!(ranking[1].node.as_str(), "price");
    assert_eq!(ranking[1].rank, 2);
    assert_close(Some(ranking[1].gain), 800.0);
}

#[test]
fn a_gain_is_also_a_share_of_the_goals_gap() {
    let doc = sales();
    let ranking = Analyzer::new(&doc).bottlenecks();
    // Gap 12,000 − 7,200 = 4,800.
    assert_close(ranking[0].share_of_gap, 3600.0 / 4800.0);
    assert_close(ranking[1].share_of_gap, 800.0 / 4800.0);
}

#[test]
fn gains_are_in_the_goals_unit() {
    // 売上 in 億円 over 万円 terms: 80 × 90 万円 = 0.72 億円; reaching 120 → 1.08 億円.
    let doc = doc(
        &list(&[
            kgi("sales", "億円", "1.2", "null"),
            kpi("cust", "社", "120", "80"),
            kpi("price", "万円/社", "100", "90"),
        ]),
        &list(&[edge("sales", "cust", "*"), edge("sales", "price", "*")]),
    );
    assert_close(Some(gain_of(&doc, "cust")), 0.36);
}

#[test]
fn gains_pass_through_sums_and_percentages() {
    // 商談数 = テレアポ数 × アポ率 (%); 受注 = 商談数 × 成約率 (%) + 紹介.
    let doc = won();
    // Now: 4000 × 0.015 = 60 meetings; 60 × 0.20 + 3 = 15.
    // calls at 5000: 75 × 0.2 + 3 = 18 (gain 3); rate at 2 %: 80 × 0.2 + 3 = 19 (gain 4);
    // close at 25 %: 60 × 0.25 + 3 = 18 (gain 3); ref at 5: 17 (gain 2).
    assert_close(Some(gain_of(&doc, "calls")), 3.0);
    assert_close(Some(gain_of(&doc, "rate")), 4.0);
    assert_close(Some(gain_of(&doc, "close")), 3.0);
    assert_close(Some(gain_of(&doc, "ref")), 2.0);
    let ranking = Analyzer::new(&doc).bottlenecks();
    assert_eq!(ranking[0].node.as_str(), "rate");
    assert!(ranking.iter().all(|b| b.goal.as_str() == "won"));
}

#[test]
fn a_lower_is_better_goal_gains_by_going_down() {
    // 費用 (down) = 人件費 + 広告費; 広告費 target 300, actual 500.
    let doc = doc(
        &list(&[
            r#"{"id":"cost","kind":"KGI","name":"cost","unit":"万円","target":800,"direction":"down","deadline":"2027-03-31"}"#.to_owned(),
            kpi("staff", "万円", "500", "520"),
            kpi("ads", "万円", "300", "500"),
        ]),
        &list(&[edge("cost", "staff", "+"), edge("cost", "ads", "+")]),
    );
    let ranking = Analyzer::new(&doc).bottlenecks();
    assert_eq!(ranking[0].node.as_str(), "ads");
    assert_close(Some(ranking[0].gain), 200.0);
    assert_close(Some(ranking[1].gain), 20.0);
    // Gap: 1,020 − 800 = 220.
    assert_close(ranking[0].share_of_gap, 200.0 / 220.0);
}

#[test]
fn a_leaf_beyond_its_target_has_a_negative_gain_and_ranks_last() {
    let doc = doc(
        &list(&[kgi("sales", "円", "100", "null"), kpi("a", "円", "50", "70"), kpi("b", "円", "50", "10")]),
        &list(&[edge("sales", "a", "+"), edge("sales", "b", "+")]),
    );
    let ranking = Analyzer::new(&doc).bottlenecks();
    assert_eq!(ranking[0].node.as_str(), "b");
    assert_eq!(ranking[1].node.as_str(), "a");
    assert_close(Some(ranking[1].gain), -20.0);
}

#[test]
fn a_shared_kpi_is_ranked_for_every_goal_it_feeds() {
    // 売上 = 販売数 × 単価; 費用 = 販売数 × 原価.
    let doc = doc(
        &list(&[
            kgi("sales", "円", "2000", "null"),
            r#"{"id":"cost","kind":"KGI","name":"cost","unit":"円","target":800,"direction":"down","deadline":"2027-03-31"}"#.to_owned(),
            kpi("units", "個", "100", "80"),
            kpi("price", "円/個", "20", "20"),
            kpi("unit_cost", "円/個", "8", "8"),
        ]),
        &list(&[
            edge("sales", "units", "*"),
            edge("sales", "price", "*"),
            edge("cost", "units", "*"),
            edge("cost", "unit_cost", "*"),
        ]),
    );
    let ranking = Analyzer::new(&doc).bottlenecks();
    let for_goal = |g: &str| ranking.iter().find(|b| b.node.as_str() == "units" && b.goal.as_str() == g).unwrap().gain;
    assert_close(Some(for_goal("sales")), 400.0);
    // Cost goes up by 160 when 20 more units are sold: a loss for a lower-is-better goal.
    assert_close(Some(for_goal("cost")), -160.0);
}

#[test]
fn leaves_without_an_actual_or_outside_any_computation_are_not_ranked() {
    let doc = doc(
        &list(&[
            kgi("sales", "円", "100", "null"),
            kpi("a", "円", "50", "null"),
            kpi("b", "円", "50", "10"),
            kpi("loose", "円", "5", "1"),
        ]),
        &list(&[edge("sales", "a", "+"), edge("sales", "b", "+"), edge("sales", "loose", "link")]),
    );
    assert!(Analyzer::new(&doc).bottlenecks().is_empty(), "sales has no actual: nothing to gain on");
}

#[test]
fn a_goal_under_a_qualitative_kgi_is_the_top_of_the_arithmetic_chain() {
    // KGI —link→ KSF —link→ 商談数 = calls × rate.
    let doc = doc(
        &list(&[
            kgi("kgi", "万円", "1000", "800"),
            r#"{"id":"ksf","kind":"KSF","name":"ksf"}"#.to_owned(),
            kpi("meet", "件", "100", "null"),
            kpi("calls", "件", "5000", "4000"),
            kpi("rate", "%", "2", "2"),
        ]),
        &list(&[
            edge("kgi", "ksf", "link"),
            edge("ksf", "meet", "link"),
            edge("meet", "calls", "*"),
            edge("meet", "rate", "*"),
        ]),
    );
    let ranking = Analyzer::new(&doc).bottlenecks();
    assert_eq!(ranking[0].goal.as_str(), "meet");
    assert_close(Some(ranking[0].gain), 20.0);
}

// ---- 逆算 ----

fn meetings(rate: &str) -> Document {
    doc(
        &list(&[kgi("meet", "件", "100", "null"), kpi("calls", "件", "null", "4000"), kpi("rate", "%", rate, "1.5")]),
        &list(&[edge("meet", "calls", "*"), edge("meet", "rate", "*")]),
    )
}

#[test]
fn allocating_calls_for_100_meetings_at_a_2_percent_rate_gives_5000() {
    let doc = meetings("2");
    assert_close(Analyzer::new(&doc).allocate("meet", "calls").ok(), 5000.0);
}

#[test]
fn allocating_a_percentage_term_gives_percent() {
    let doc = doc(
        &list(&[kgi("meet", "件", "100", "null"), kpi("calls", "件", "4000", "4000"), kpi("rate", "%", "null", "1.5")]),
        &list(&[edge("meet", "calls", "*"), edge("meet", "rate", "*")]),
    );
    assert_close(Analyzer::new(&doc).allocate("meet", "rate").ok(), 2.5);
}

#[test]
fn allocating_respects_precedence_and_signs() {
    // p = a + b × c − d: 100 = 10 + b × 4 − 6 → b = 24.
    let doc = doc(
        &list(&[
            kpi("p", "円", "100", "null"),
            kpi("a", "円", "10", "0"),
            kpi("b", "円", "null", "0"),
            kpi("c", "", "4", "0"),
            kpi("d", "円", "6", "0"),
        ]),
        &list(&[edge("p", "a", "+"), edge("p", "b", "+"), edge("p", "c", "*"), edge("p", "d", "-")]),
    );
    let a = Analyzer::new(&doc);
    assert_close(a.allocate("p", "b").ok(), 24.0);
    // … and for the subtracted term: 100 = 10 + 24 × 4 − d with b at 24? b has no target: missing.
    assert!(matches!(a.allocate("p", "d"), Err(AnalysisError::Missing { .. })));
}

#[test]
fn allocating_a_subtracted_term_and_a_divisor() {
    // 利益 = 売上 − 費用: 300 = 1000 − 費用 → 700.
    let profit = doc(
        &list(&[kpi("p", "万円", "300", "null"), kpi("s", "万円", "1000", "0"), kpi("c", "万円", "null", "0")]),
        &list(&[edge("p", "s", "+"), edge("p", "c", "-")]),
    );
    assert_close(Analyzer::new(&profit).allocate("p", "c").ok(), 700.0);
    // 成約率 (%) = 成約数 ÷ 商談数: 25 % = 30 ÷ 商談数 → 120.
    let rate = doc(
        &list(&[kpi("r", "%", "25", "null"), kpi("won", "件", "30", "0"), kpi("meet", "件", "null", "0")]),
        &list(&[edge("r", "won", "*"), edge("r", "meet", "/")]),
    );
    assert_close(Analyzer::new(&rate).allocate("r", "meet").ok(), 120.0);
}

#[test]
fn allocating_in_scaled_units() {
    // 売上 1.2 億円 = 顧客数 × 客単価 (万円/社) at 120 社 → 100 万円/社.
    let doc = doc(
        &list(&[
            kgi("sales", "億円", "1.2", "null"),
            kpi("cust", "社", "120", "0"),
            kpi("price", "万円/社", "null", "0"),
        ]),
        &list(&[edge("sales", "cust", "*"), edge("sales", "price", "*")]),
    );
    assert_close(Analyzer::new(&doc).allocate("sales", "price").ok(), 100.0);
}

#[test]
fn allocating_against_a_zero_factor_has_no_solution() {
    let doc = doc(
        &list(&[kpi("p", "件", "100", "null"), kpi("a", "件", "null", "0"), kpi("b", "", "0", "0")]),
        &list(&[edge("p", "a", "*"), edge("p", "b", "*")]),
    );
    assert!(matches!(Analyzer::new(&doc).allocate("p", "a"), Err(AnalysisError::NoSolution(_))));
}

#[test]
fn allocating_needs_a_computed_parent_with_a_target_and_a_real_term() {
    let meet = meetings("2");
    let a = Analyzer::new(&meet);
    assert!(matches!(a.allocate("calls", "rate"), Err(AnalysisError::NotComputed(_))));
    assert!(matches!(a.allocate("meet", "meet"), Err(AnalysisError::NotATerm { .. })));
    assert!(matches!(a.allocate("meet", "nope"), Err(AnalysisError::UnknownNode(_))));
    let no_target = doc(
        &list(&[kpi("p", "件", "null", "null"), kpi("a", "件", "null", "1"), kpi("b", "件", "null", "1")]),
        &list(&[edge("p", "a", "+"), edge("p", "b", "+")]),
    );
    assert!(matches!(Analyzer::new(&no_target).allocate("p", "a"), Err(AnalysisError::NoTarget(_))));
}

// ---- goal seek ----

#[test]
fn seeking_the_customers_needed_for_the_sales_target() {
    // 12,000 = 顧客数 × 90 → 133.33 社, +66.7 % on 80.
    let doc = sales();
    let s = Analyzer::new(&doc).seek("cust", None).unwrap();
    assert_eq!(s.ancestor.as_str(), "sales");
    assert_close(Some(s.required), 12000.0 / 90.0);
    assert_close(s.change, 12000.0 / 90.0 / 80.0 - 1.0);
}

#[test]
fn seeking_through_two_levels() {
    // won = meet × close + ref; meet = calls × rate. 30 = calls × 0.015 × 0.2 + 3 → calls = 9000.
    let doc = won();
    let a = Analyzer::new(&doc);
    assert_close(a.seek("calls", None).ok().map(|s| s.required), 9000.0);
    // For the intermediate 商談数 (target 5,000 × 2 % = 100): 100 = calls × 1.5 %.
    assert_close(a.seek("calls", Some("meet")).ok().map(|s| s.required), 100.0 / 0.015);
}

#[test]
fn seeking_a_node_shared_by_two_paths_is_solved_numerically() {
    // p = x × a + x × b… as two intermediate nodes: p = u + v, u = x × 2, v = x × 3; p target 100 → x = 20.
    let doc = doc(
        &list(&[
            kgi("p", "", "100", "null"),
            kpi("u", "", "null", "null"),
            kpi("v", "", "null", "null"),
            kpi("x", "", "10", "5"),
            kpi("two", "", "2", "2"),
            kpi("three", "", "3", "3"),
        ]),
        &list(&[
            edge("p", "u", "+"),
            edge("p", "v", "+"),
            edge("u", "x", "*"),
            edge("u", "two", "*"),
            edge("v", "x", "*"),
            edge("v", "three", "*"),
        ]),
    );
    let s = Analyzer::new(&doc).seek("x", None).unwrap();
    assert!((s.required - 20.0).abs() < 1e-6, "{s:?}");
}

#[test]
fn seeking_fails_clearly() {
    let sales = sales();
    let a = Analyzer::new(&sales);
    assert!(matches!(a.seek("sales", None), Err(AnalysisError::NoGoal(_))));
    assert!(matches!(a.seek("cust", Some("price")), Err(AnalysisError::NotBelow { .. })));
    let missing = doc(
        &list(&[kgi("sales", "円", "100", "null"), kpi("a", "円", "1", "1"), kpi("b", "", "1", "null")]),
        &list(&[edge("sales", "a", "*"), edge("sales", "b", "*")]),
    );
    let err = Analyzer::new(&missing).seek("a", None).unwrap_err();
    assert!(matches!(err, AnalysisError::Missing { ref node, .. } if node == "b"), "{err:?}");
}

// ---- pacing ----

fn paced(as_of: &str) -> Document {
    let text = format!(
        r#"{{"format":"kpitree","version":1,
            "period":{{"start":"2026-04-01","end":"2026-04-11","as_of":"{as_of}"}},
            "nodes":[
              {{"id":"sales","kind":"KGI","name":"s","unit":"円","target":1000,"actual":450,"deadline":"2026-04-11"}},
              {{"id":"cost","kind":"KPI","name":"c","unit":"円","target":100,"actual":60,"direction":"down"}},
              {{"id":"rate","kind":"KPI","name":"r","unit":"%","target":20,"actual":15,"pacing":"level"}}
            ],"edges":[]}}"#
    );
    kpitree::io::from_str(&text, "t").unwrap()
}

#[test]
fn halfway_through_the_period_half_the_target_is_expected() {
    let doc = paced("2026-04-06");
    let p = Analyzer::new(&doc).pacing();
    assert_close(p.elapsed, 0.5);
    let sales = &p.nodes[0];
    assert_close(Some(sales.expected_actual), 500.0);
    assert_eq!(sales.status, PaceStatus::Behind);
    // 60 spent of 100 at half time: over the pace of a lower-is-better node.
    assert_eq!(p.nodes[1].status, PaceStatus::Behind);
    // A level KPI is judged against its whole target all along.
    assert_close(Some(p.nodes[2].expected_progress), 1.0);
    assert_eq!(p.nodes[2].status, PaceStatus::Behind);
}

#[test]
fn early_in_the_period_less_is_expected() {
    let doc = paced("2026-04-03");
    let p = Analyzer::new(&doc).pacing();
    assert_close(p.elapsed, 0.2);
    assert_eq!(p.nodes[0].status, PaceStatus::OnTrack);
    assert_eq!(p.nodes[1].status, PaceStatus::Behind);
    let doc = paced("2026-03-01");
    assert_close(Analyzer::new(&doc).pacing().elapsed, 0.0);
    let doc = paced("2026-12-31");
    assert_close(Analyzer::new(&doc).pacing().elapsed, 1.0);
}

#[test]
fn without_a_full_period_there_is_no_pacing() {
    let doc = sales();
    let p = Analyzer::new(&doc).pacing();
    assert!(p.elapsed.is_none());
    assert!(p.nodes.is_empty());
}

// ---- size ----

#[test]
fn a_hundred_thousand_node_tree_is_analysed() {
    let mut doc = kpitree::model::generate::tree(100_000, 7);
    for node in &mut doc.nodes {
        if node.actual.is_none() {
            node.actual = node.target.map(|t| t * 0.9);
        }
    }
    let a = Analyzer::new(&doc);
    let ranking = a.bottlenecks();
    assert!(ranking.len() > 10_000, "{}", ranking.len());
    assert!(ranking[0].gain > 0.0);
    let chain = kpitree::model::generate::chain(50_000);
    let a = Analyzer::new(&chain);
    let _ = a.bottlenecks();
    let _ = a.pacing();
}

#[test]
fn seeking_through_seventy_levels_of_diamonds_does_not_overflow_the_path_count() {
    // Each level joins two nodes that share both children below: the number
    // of paths from the top doubles per level (2^70 does not fit a u64).
    use kpitree::model::{Edge, Kind, Node, Op};
    let mut d = Document::new();
    let levels = 70;
    let mut goal = Node::new("top", Kind::Kgi, "top");
    goal.target = Some(10.0);
    d.nodes.push(goal);
    let mut above = vec!["top".to_owned()];
    for level in 0..levels {
        let pair = [format!("a{level}"), format!("b{level}")];
        for id in &pair {
            d.nodes.push(Node::new(id.as_str(), Kind::Kpi, id.as_str()));
            for p in &above {
                d.edges.push(Edge::new(p.as_str(), id.as_str(), Op::Add));
            }
        }
        above = pair.to_vec();
    }
    let mut leaf = Node::new("leaf", Kind::Kpi, "leaf");
    leaf.target = Some(1.0);
    leaf.actual = Some(1.0);
    d.nodes.push(leaf);
    for p in &above {
        d.edges.push(Edge::new(p.as_str(), "leaf", Op::Add));
    }
    // No overflowing count: the paths double per level, top = 2^70 × leaf,
    // and the leaf needs 10 ÷ 2^70 (found numerically: many paths).
    let seek = Analyzer::new(&d).seek("leaf", Some("top")).expect("an answer");
    let want = 10.0 / 2f64.powi(70);
    assert!((seek.required - want).abs() <= 1e-6 * want, "{} instead of {want}", seek.required);
}
