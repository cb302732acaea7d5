//! Periods (docs/FORMAT.md, "Periods"): values per month or quarter, their
//! year-to-date and full-period roll-ups by each aggregate, the landing
//! forecast, and the diagnostics of series — every case computed by hand.

use crate::common::{assert_close, only, with_code};
use kpitree::Document;
use kpitree::eval::period::PeriodValue;
use kpitree::model::Label;
use serde_json::{Value, json};

/// A document from JSON values: `period` and the nodes and edges.
fn document(period: Value, nodes: Value, edges: Value) -> Document {
    let text = json!({ "format": "kpitree", "version": 1, "period": period, "nodes": nodes, "edges": edges });
    kpitree::io::from_str(&text.to_string(), "periods.kpitree.json").expect("the test document loads")
}

/// April 2026 to March 2027, actuals as of the end of June.
fn fy2026() -> Value {
    json!({ "start": "2026-04-01", "end": "2027-03-31", "as_of": "2026-06-30" })
}

fn months(values: &[(&str, Option<f64>, Option<f64>)]) -> Value {
    let mut m = serde_json::Map::new();
    for (label, t, a) in values {
        m.insert((*label).into(), json!({ "target": t, "actual": a }));
    }
    Value::Object(m)
}

fn table(ev: &kpitree::Evaluation) -> &kpitree::eval::period::PeriodTable {
    ev.periods().expect("the document has periods")
}

fn at(ev: &kpitree::Evaluation, id: &str) -> usize {
    ev.position(id).unwrap_or_else(|| panic!("no node {id}"))
}

fn ytd(ev: &kpitree::Evaluation, id: &str) -> PeriodValue {
    table(ev).ytd(at(ev, id)).expect("a year to date")
}

fn leaf(id: &str, unit: &str, series: Value) -> Value {
    json!({ "id": id, "kind": "KPI", "name": id, "unit": unit, "series": series })
}

/// 顧客数 (sum), 客単価 (average) and 在籍数 (last), three months of four.
fn three_leaves() -> kpitree::Evaluation {
    let nodes = json!([
        leaf("cust", "社", months(&[("2026-04", Some(10.0), Some(8.0)), ("2026-05", Some(10.0), Some(12.0)),
            ("2026-06", Some(10.0), Some(9.0)), ("2026-07", Some(10.0), None)])),
        leaf("price", "万円/社", months(&[("2026-04", Some(100.0), Some(90.0)), ("2026-05", Some(100.0), Some(96.0)),
            ("2026-06", Some(100.0), Some(99.0))])),
        { "id": "staff", "kind": "KPI", "name": "在籍数", "unit": "人", "aggregate": "last",
          "series": months(&[("2026-04", Some(50.0), Some(48.0)), ("2026-05", Some(52.0), Some(51.0)),
            ("2026-06", Some(54.0), Some(50.0))]) },
    ]);
    kpitree::evaluate(&document(fy2026(), nodes, json!([])))
}

#[test]
fn a_sum_leaf_adds_its_periods_to_date_and_over_the_year() {
    let ev = three_leaves();
    let y = ytd(&ev, "cust");
    assert_eq!((y.target, y.actual), (Some(30.0), Some(29.0)));
    let v = ev.get_str("cust").unwrap();
    assert_eq!((v.target, v.actual), (Some(40.0), Some(29.0)), "the year's plan; the actual so far");
}

#[test]
fn an_average_leaf_takes_the_mean_of_the_periods_that_have_a_value() {
    let ev = three_leaves();
    let y = ytd(&ev, "price");
    assert_close(y.actual, 95.0);
    assert_close(y.target, 100.0);
}

#[test]
fn a_last_leaf_takes_its_latest_period() {
    let ev = three_leaves();
    let y = ytd(&ev, "staff");
    assert_eq!((y.target, y.actual), (Some(54.0), Some(50.0)));
}

#[test]
fn a_product_of_an_amount_and_a_level_adds_up_month_by_month() {
    // 売上 = 顧客数 × 客単価 (sum): 8 × 90 + 12 × 96 + 9 × 99 = 2,763, not
    // 29 × 95 = 2,755 (the mix effect is real, and never a diagnostic).
    let nodes = json!([
        { "id": "sales", "kind": "KGI", "name": "売上", "unit": "万円", "deadline": "2027-03-31" },
        leaf("cust", "社", months(&[("2026-04", Some(10.0), Some(8.0)), ("2026-05", Some(10.0), Some(12.0)),
            ("2026-06", Some(10.0), Some(9.0))])),
        leaf("price", "万円/社", months(&[("2026-04", Some(100.0), Some(90.0)), ("2026-05", Some(100.0), Some(96.0)),
            ("2026-06", Some(100.0), Some(99.0))])),
    ]);
    let edges =
        json!([{ "parent": "sales", "child": "cust", "op": "*" }, { "parent": "sales", "child": "price", "op": "*" }]);
    let ev = kpitree::evaluate(&document(fy2026(), nodes, edges));
    let sales = at(&ev, "sales");
    assert_close(table(&ev).at(sales, 1).unwrap().actual, 1152.0);
    assert_close(ytd(&ev, "sales").actual, 2763.0);
    assert_close(ev.get_str("sales").unwrap().actual, 2763.0);
    assert_close(ev.get_str("sales").unwrap().target, 3000.0);
    assert!(ev.diagnostics.iter().all(|d| d.code.as_str() != "actual_mismatch"), "{:#?}", ev.diagnostics);
}

#[test]
fn a_rate_rolls_up_by_its_formula_over_the_rolled_up_terms() {
    // 成約率 (%) = 成約数 ÷ 商談数: (3 + 6) ÷ (10 + 20) = 30 %, not the mean of
    // 30 % and 30 %… nor of 30 % and 20 % below.
    let nodes = json!([
        { "id": "rate", "kind": "KPI", "name": "成約率", "unit": "%" },
        leaf("won", "件", months(&[("2026-04", Some(5.0), Some(3.0)), ("2026-05", Some(5.0), Some(4.0))])),
        leaf("deals", "件", months(&[("2026-04", Some(10.0), Some(10.0)), ("2026-05", Some(20.0), Some(20.0))])),
    ]);
    let edges =
        json!([{ "parent": "rate", "child": "won", "op": "*" }, { "parent": "rate", "child": "deals", "op": "/" }]);
    let period = json!({ "start": "2026-04-01", "end": "2026-05-31", "as_of": "2026-05-31" });
    let ev = kpitree::evaluate(&document(period, nodes, edges));
    let rate = at(&ev, "rate");
    assert_close(table(&ev).at(rate, 0).unwrap().actual, 30.0);
    assert_close(table(&ev).at(rate, 1).unwrap().actual, 20.0);
    assert_close(ytd(&ev, "rate").actual, 7.0 / 30.0 * 100.0);
    assert_close(ytd(&ev, "rate").target, 10.0 / 30.0 * 100.0);
    assert_close(ev.get_str("rate").unwrap().actual, 7.0 / 30.0 * 100.0);
}

#[test]
fn an_entered_annual_target_wins_and_is_checked_against_its_months() {
    let mut cust = leaf("cust", "社", months(&[("2026-04", Some(10.0), Some(8.0)), ("2026-05", Some(10.0), None)]));
    cust["target"] = json!(120.0);
    let ev = kpitree::evaluate(&document(fy2026(), json!([cust]), json!([])));
    assert_eq!(ev.get_str("cust").unwrap().target, Some(120.0), "the entered plan for the year wins");
    let d = only(&ev, "series_sum_mismatch");
    assert_eq!(d.severity().as_str(), "warning");
    assert!(d.message(kpitree::Lang::En).contains("20"), "{}", d.message(kpitree::Lang::En));
    // Within 0.5 %: no warning.
    let mut close = leaf("c", "社", months(&[("2026-04", Some(60.0), None), ("2026-05", Some(60.2), None)]));
    close["target"] = json!(120.0);
    assert!(
        with_code(&kpitree::evaluate(&document(fy2026(), json!([close]), json!([]))), "series_sum_mismatch").is_empty()
    );
    // A rate's months need not add up to its plan.
    let mut rate = leaf("r", "%", months(&[("2026-04", Some(30.0), None), ("2026-05", Some(30.0), None)]));
    rate["target"] = json!(30.0);
    assert!(
        with_code(&kpitree::evaluate(&document(fy2026(), json!([rate]), json!([]))), "series_sum_mismatch").is_empty()
    );
}

#[test]
fn labels_outside_the_period_are_kept_and_reported_and_gaps_are_noted() {
    let nodes = json!([leaf(
        "cust",
        "社",
        months(&[
            ("2026-03", Some(1.0), Some(1.0)),
            ("2026-04", Some(10.0), Some(8.0)),
            ("2026-06", Some(10.0), Some(9.0))
        ])
    )]);
    let doc = document(fy2026(), nodes, json!([]));
    let ev = kpitree::evaluate(&doc);
    let outside = only(&ev, "series_outside_period");
    assert!(outside.message(kpitree::Lang::En).contains("2026-03"));
    assert_eq!(ytd(&ev, "cust").actual, Some(17.0), "March 2026 is not in FY2026");
    let gap = only(&ev, "series_gap");
    assert_eq!(gap.severity().as_str(), "info");
    assert!(gap.message(kpitree::Lang::En).contains("2026-05"), "{}", gap.message(kpitree::Lang::En));
    // Kept in the file.
    let text = kpitree::io::to_json_string(&doc);
    assert!(text.contains("\"2026-03\""));
}

#[test]
fn the_forecast_is_actuals_to_date_plus_the_plan_for_the_rest() {
    let ev = three_leaves();
    // 8 + 12 + 9 to June, 10 planned for July.
    assert_close(table(&ev).forecast(at(&ev, "cust")), 39.0);
}

#[test]
fn fiscal_quarters_follow_the_fiscal_year_and_its_label() {
    let period = json!({ "start": "2026-04-01", "end": "2027-03-31", "as_of": "2026-08-15",
        "granularity": "quarter", "year_label": "end" });
    let nodes = json!([leaf(
        "cust",
        "社",
        months(&[
            ("FY2027-Q1", Some(30.0), Some(25.0)),
            ("FY2027-Q2", Some(30.0), Some(10.0)),
            ("FY2027-Q3", Some(30.0), None)
        ])
    )]);
    let ev = kpitree::evaluate(&document(period, nodes, json!([])));
    let t = table(&ev);
    assert_eq!(t.len(), 4);
    assert_eq!(t.label(0).to_string(), "FY2027-Q1", "2026年4月 starts the year ending in March 2027");
    assert_eq!(t.ytd_len, 2, "August is in the second quarter");
    assert_eq!(ytd(&ev, "cust").actual, Some(35.0));
    assert!(with_code(&ev, "series_outside_period").is_empty());
}

#[test]
fn a_month_missing_in_one_term_leaves_that_month_of_the_product_empty() {
    let nodes = json!([
        { "id": "sales", "kind": "KPI", "name": "売上", "unit": "万円" },
        leaf("cust", "社", months(&[("2026-04", Some(10.0), Some(8.0)), ("2026-05", Some(10.0), Some(12.0))])),
        leaf("price", "万円/社", months(&[("2026-04", Some(100.0), Some(90.0))])),
    ]);
    let edges =
        json!([{ "parent": "sales", "child": "cust", "op": "*" }, { "parent": "sales", "child": "price", "op": "*" }]);
    let ev = kpitree::evaluate(&document(fy2026(), nodes, edges));
    let sales = at(&ev, "sales");
    assert_close(table(&ev).at(sales, 0).unwrap().actual, 720.0);
    assert_eq!(table(&ev).at(sales, 1).unwrap().actual, None);
    assert_close(ytd(&ev, "sales").actual, 720.0);
}

#[test]
fn a_level_without_a_series_holds_in_every_month() {
    // 客単価 has only its plan for the year: it multiplies each month's 顧客数.
    let nodes = json!([
        { "id": "sales", "kind": "KPI", "name": "売上", "unit": "万円" },
        leaf("cust", "社", months(&[("2026-04", Some(10.0), Some(8.0)), ("2026-05", Some(10.0), Some(12.0))])),
        { "id": "price", "kind": "KPI", "name": "客単価", "unit": "万円/社", "target": 100, "actual": 90 },
    ]);
    let edges =
        json!([{ "parent": "sales", "child": "cust", "op": "*" }, { "parent": "sales", "child": "price", "op": "*" }]);
    let ev = kpitree::evaluate(&document(fy2026(), nodes, edges));
    assert_close(ytd(&ev, "sales").actual, 1800.0);
    assert_close(ytd(&ev, "sales").target, 2000.0);
}

#[test]
fn check_json_gives_year_to_date_series_and_forecast_only_where_a_series_is_below() {
    let nodes = json!([
        { "id": "sales", "kind": "KGI", "name": "売上", "unit": "万円", "deadline": "2027-03-31" },
        leaf("cust", "社", months(&[("2026-04", Some(10.0), Some(8.0))])),
        { "id": "price", "kind": "KPI", "name": "客単価", "unit": "万円/社", "target": 100, "actual": 90 },
        { "id": "other", "kind": "KPI", "name": "別", "unit": "件", "target": 1, "actual": 1 },
    ]);
    let edges =
        json!([{ "parent": "sales", "child": "cust", "op": "*" }, { "parent": "sales", "child": "price", "op": "*" }]);
    let doc = document(fy2026(), nodes, edges);
    let report = kpitree::evaluate(&doc).to_json(&doc, kpitree::Lang::En);
    let sales = &report["values"]["sales"];
    assert_eq!(sales["ytd"]["actual"].as_f64(), Some(720.0));
    assert_eq!(sales["series"].as_object().unwrap().len(), 12);
    assert_eq!(sales["series"]["2026-04"]["target"].as_f64(), Some(1000.0));
    assert_eq!(sales["forecast"].as_f64(), Some(720.0), "one month measured, no plan after it");
    for plain in ["price", "other"] {
        let v = &report["values"][plain];
        assert!(v.get("ytd").is_none() && v.get("series").is_none() && v.get("forecast").is_none(), "{v}");
    }
}

#[test]
fn a_document_without_series_has_no_periods_table() {
    let doc =
        document(fy2026(), json!([{ "id": "k", "kind": "KPI", "name": "k", "unit": "件", "target": 1 }]), json!([]));
    let ev = kpitree::evaluate(&doc);
    assert!(ev.periods().is_none_or(|t| !t.has(0)));
}

#[test]
fn a_diagram_of_one_period_shows_that_periods_values_and_every_card_its_trend() {
    use kpitree::export::{Diagram, DiagramOptions, Shown};
    let doc = kpitree::templates::find("sales-meetings").unwrap().document().unwrap();
    let ev = kpitree::evaluate(&doc);
    let june = Shown::Period(Label::parse("2026-06").unwrap());
    let d = Diagram::build(&doc, &ev, &DiagramOptions { shown: june, ..DiagramOptions::default() }, None);
    let card = d.card(&"per_day".into()).expect("shown");
    assert_eq!(card.rows[1].1, "44 件/人/日", "June's actual");
    let trend = card.trend.as_ref().expect("a trend line");
    assert_eq!(trend.actual.len(), 12);
    assert_eq!(trend.marked, Some(2), "June is marked");
    let ytd =
        Diagram::build(&doc, &ev, &DiagramOptions { shown: Shown::YearToDate, ..DiagramOptions::default() }, None);
    assert_eq!(ytd.card(&"work_days".into()).unwrap().rows[0].1, "140 日", "seven months of 20 days");
}

#[test]
fn the_export_names_the_period_it_shows_and_draws_the_trends() {
    let doc = kpitree::templates::find("sales-meetings").unwrap().document().unwrap();
    let ev = kpitree::evaluate(&doc);
    let opts = kpitree::export::ExportOptions {
        shown: kpitree::export::Shown::YearToDate,
        lang: kpitree::Lang::Ja,
        ..kpitree::export::ExportOptions::default()
    };
    let svg = kpitree::export::to_svg(&doc, &ev, &opts).unwrap();
    assert!(svg.contains("累計 (2026年4月〜2026年10月)"), "the subtitle names the view");
    assert!(svg.matches("<polyline").count() >= 2 * 7, "a target and an actual line per card");
}

/// 売上 = A + B (万円), each with April and May: A misses April by 30 and
/// makes May, B makes April and misses May by 50; as of the end of May.
fn two_months_two_misses() -> Document {
    let nodes = json!([
        { "id": "sales", "kind": "KGI", "name": "売上", "unit": "万円" },
        leaf("a", "万円", months(&[("2026-04", Some(100.0), Some(70.0)), ("2026-05", Some(100.0), Some(100.0))])),
        leaf("b", "万円", months(&[("2026-04", Some(100.0), Some(100.0)), ("2026-05", Some(100.0), Some(50.0))])),
    ]);
    let edges = json!([
        { "parent": "sales", "child": "a", "op": "+" },
        { "parent": "sales", "child": "b", "op": "+" },
    ]);
    let period = json!({ "start": "2026-04-01", "end": "2026-05-31", "as_of": "2026-05-31" });
    document(period, nodes, edges)
}

fn first_bottleneck(doc: &Document, view: kpitree::eval::period::View) -> (String, f64) {
    let derived = derived_in(doc, view);
    assert_eq!(derived.view, view);
    let top = derived.bottlenecks.iter().find(|b| b.rank == 1).expect("a bottleneck");
    (top.node.as_str().to_owned(), top.gain)
}

#[test]
fn the_bottleneck_ranking_speaks_of_the_period_on_screen() {
    use kpitree::eval::period::View;
    let doc = two_months_two_misses();
    let april = View::Period(Label::parse("2026-04").unwrap());
    let may = View::Period(Label::parse("2026-05").unwrap());
    // April: only A missed (by 30); May: only B (by 50); the whole and the
    // year to date: B's 50 over A's 30.
    let (node, gain) = first_bottleneck(&doc, april);
    assert_eq!(node, "a");
    assert_close(Some(gain), 30.0);
    let (node, gain) = first_bottleneck(&doc, may);
    assert_eq!(node, "b");
    assert_close(Some(gain), 50.0);
    for view in [View::Full, View::YearToDate] {
        let (node, gain) = first_bottleneck(&doc, view);
        assert_eq!(node, "b", "{view:?}");
        assert_close(Some(gain), 50.0);
    }
}

#[test]
fn a_view_document_holds_each_nodes_values_in_the_view_and_no_series() {
    use kpitree::eval::period::{View, view_document};
    let doc = two_months_two_misses();
    let ev = kpitree::evaluate(&doc);
    assert!(view_document(&doc, &ev, View::Full).is_none(), "the whole period needs no copy");
    let april = view_document(&doc, &ev, View::Period(Label::parse("2026-04").unwrap())).unwrap();
    let a = april.node(&"a".into()).unwrap();
    assert_eq!((a.target, a.actual, a.series.is_none()), (Some(100.0), Some(70.0), true));
    let sales = april.node(&"sales".into()).unwrap();
    assert_eq!((sales.target, sales.actual), (None, None), "a computed node stays computed");
    let april_eval = kpitree::evaluate(&april);
    let v = april_eval.get_str("sales").unwrap();
    assert_eq!((v.target, v.actual), (Some(200.0), Some(170.0)));
}

/// 単価 = 売上 ÷ 商談数 over April to June, as of the end of May: May's
/// 商談数 is 0 in actual, June has no actuals yet, and one label of 売上
/// lies outside the period.
fn a_rate_with_an_empty_may() -> Document {
    let nodes = json!([
        { "id": "per", "kind": "KGI", "name": "単価", "unit": "万円/件" },
        leaf("rev", "万円", months(&[("2026-04", Some(100.0), Some(80.0)), ("2026-05", Some(100.0), Some(0.0)),
            ("2026-06", Some(100.0), None), ("2026-09", Some(5.0), None)])),
        leaf("deals", "件", months(&[("2026-04", Some(10.0), Some(8.0)), ("2026-05", Some(10.0), Some(0.0)),
            ("2026-06", Some(10.0), None)])),
    ]);
    let edges = json!([
        { "parent": "per", "child": "rev", "op": "×" },
        { "parent": "per", "child": "deals", "op": "÷" },
    ]);
    let period = json!({ "start": "2026-04-01", "end": "2026-06-30", "as_of": "2026-05-31" });
    document(period, nodes, edges)
}

fn derived_in(doc: &Document, view: kpitree::eval::period::View) -> kpitree::pipeline::derived::Derived {
    use kpitree::pipeline::derived::{Request, derive};
    let request = Request {
        document: std::sync::Arc::new(doc.clone()),
        scenario: None,
        focus: None,
        diagram: kpitree::export::DiagramOptions { shown: view, ..Default::default() },
        explain: Default::default(),
    };
    derive(&mut Default::default(), request)
}

fn codes(derived: &kpitree::pipeline::derived::Derived) -> Vec<&'static str> {
    derived.evaluation.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn the_findings_and_their_counts_follow_the_period_on_screen() {
    use kpitree::eval::period::{View, view_document};
    let doc = a_rate_with_an_empty_may();
    let may = View::Period(Label::parse("2026-05").unwrap());
    let june = View::Period(Label::parse("2026-06").unwrap());
    let whole = derived_in(&doc, View::Full);
    // Over the whole period 8 deals were made: no division by zero.
    assert!(!codes(&whole).contains(&"division_by_zero"), "{:?}", codes(&whole));
    assert!(codes(&whole).contains(&"series_outside_period"));
    // In May none were: the rate's actual divides by zero, and the card says so.
    let in_may = derived_in(&doc, may);
    assert!(codes(&in_may).contains(&"division_by_zero"), "{:?}", codes(&in_may));
    assert_eq!(in_may.evaluation.counts().0, whole.evaluation.counts().0 + 1, "one more error counted");
    let card = |d: &kpitree::pipeline::derived::Derived| {
        d.diagram.cards.iter().find(|c| c.id.as_str() == "per").map(|c| c.marks.errors).unwrap()
    };
    assert_eq!((card(&whole), card(&in_may)), (0, 1));
    // The findings about the series themselves hold in every view.
    assert!(codes(&in_may).contains(&"series_outside_period"), "{:?}", codes(&in_may));
    // June is after the as-of date: its missing actuals are no finding,
    // though the June values alone lack them.
    let in_june = derived_in(&doc, june);
    let alone = kpitree::evaluate(&view_document(&doc, &whole.evaluation, june).unwrap());
    assert!(alone.diagnostics.iter().any(|d| d.code.as_str() == "no_actual"));
    assert!(!codes(&in_june).contains(&"no_actual"), "{:?}", codes(&in_june));
    // Sorted as an evaluation is: errors, warnings, infos.
    let severities: Vec<_> = in_may.evaluation.diagnostics.iter().map(|d| d.severity()).collect();
    assert!(severities.is_sorted(), "{severities:?}");
}

/// [`two_months_two_misses`] as of the end of April: May is still the plan.
fn two_months_as_of_april() -> Document {
    let mut doc = two_months_two_misses();
    doc.period.as_mut().unwrap().as_of = kpitree::model::Date::parse("2026-04-30");
    doc
}

#[test]
fn the_landing_forecast_is_a_view_the_full_target_against_where_the_period_lands() {
    use kpitree::eval::period::View;
    let doc = two_months_as_of_april();
    let ev = kpitree::evaluate(&doc);
    // A: April's 70 and May's plan of 100; B: 100 and 100; 売上 lands at
    // 370 against its target of 400.
    let sales = ev.view_value(at(&ev, "sales"), View::Forecast);
    assert_eq!((sales.target, sales.actual), (Some(400.0), Some(370.0)));
    assert_close(sales.progress, 370.0 / 400.0);
    let a = ev.view_value(at(&ev, "a"), View::Forecast);
    assert_eq!((a.target, a.actual), (Some(200.0), Some(170.0)));
    let names: Vec<View> = View::choices(&doc, kpitree::Lang::Ja).into_iter().map(|(v, _)| v).collect();
    assert_eq!(&names[..3], [View::Full, View::YearToDate, View::Forecast], "the picker offers it");
    assert_eq!(View::Forecast.name(&doc, kpitree::Lang::Ja).as_deref(), Some("着地見込"));
    // Only A misses where the period lands (B's May is still its plan).
    let (node, gain) = first_bottleneck(&doc, View::Forecast);
    assert_eq!(node, "a");
    assert_close(Some(gain), 30.0);
}

#[test]
fn a_card_in_the_forecast_view_calls_its_second_row_the_forecast() {
    use kpitree::export::{Diagram, DiagramOptions, Shown};
    let doc = two_months_as_of_april();
    let ev = kpitree::evaluate(&doc);
    let opts = DiagramOptions { shown: Shown::Forecast, lang: kpitree::Lang::Ja, ..DiagramOptions::default() };
    let d = Diagram::build(&doc, &ev, &opts, None);
    let rows = &d.card(&"sales".into()).unwrap().rows;
    assert_eq!(rows[0], ("目標".to_owned(), "= 400 万円".to_owned()));
    assert_eq!(rows[1], ("見込".to_owned(), "= 370 万円".to_owned()));
    let en = Diagram::build(&doc, &ev, &DiagramOptions { lang: kpitree::Lang::En, ..opts }, None);
    assert_eq!(en.card(&"sales".into()).unwrap().rows[1].0, "Forecast");
}
