//! Building, laying out and drawing the charts.

use super::*;
use crate::eval::attribution::{Attribution, Contribution, Method};
use crate::eval::sensitivity::Sensitivity;
use crate::lang::Lang;
use crate::model::Document;

fn id(s: &str) -> NodeId {
    NodeId::from(s)
}

fn doc() -> Document {
    crate::io::from_str(
        r#"{"format":"kpitree","version":1,"nodes":[
            {"id":"s","name":"売上","kind":"KGI","unit":"万円","target":12000,"actual":7200},
            {"id":"c","name":"顧客数","kind":"KPI","unit":"社","target":120,"actual":80},
            {"id":"p","name":"客単価","kind":"KPI","unit":"万円","target":100,"actual":90}],
          "edges":[{"parent":"s","child":"c","op":"*"},{"parent":"s","child":"p","op":"*"}]}"#,
        "t",
    )
    .unwrap()
}

#[test]
fn the_waterfall_steps_from_the_target_through_each_part_to_the_actual() {
    let a = Attribution {
        goal: id("s"),
        target: 12000.0,
        actual: 7200.0,
        gap: -4800.0,
        contributions: vec![
            Contribution { node: id("c"), at: 0, contribution: -3800.0 },
            Contribution { node: id("p"), at: 0, contribution: -1000.0 },
        ],
        periods: None,
    };
    let chart = Chart::waterfall(&doc(), &a, Method::Shapley, Lang::Ja);
    let names: Vec<&str> = chart.rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["目標", "顧客数", "客単価", "実績"]);
    let ends: Vec<(f64, f64)> = chart.rows.iter().map(|r| (r.bars[0].from, r.bars[0].to)).collect();
    assert_eq!(ends, [(0.0, 12000.0), (12000.0, 8200.0), (8200.0, 7200.0), (0.0, 7200.0)]);
    assert_eq!(chart.rows[1].bars[0].tone, Tone::Down);
    assert_eq!(chart.rows[1].bars[0].label, "-3,800 万円");
    assert_eq!(chart.rows[3].bars[0].label, "7,200 万円");
}

#[test]
fn a_waterfall_of_many_parts_sums_the_small_ones_in_one_row() {
    let contributions: Vec<Contribution> =
        (0..40).map(|i| Contribution { node: id("c"), at: 0, contribution: -(40 - i) as f64 }).collect();
    let gap: f64 = contributions.iter().map(|c| c.contribution).sum();
    let a = Attribution { goal: id("s"), target: 12000.0, actual: 12000.0 + gap, gap, contributions, periods: None };
    let chart = Chart::waterfall(&doc(), &a, Method::Shapley, Lang::En);
    assert_eq!(chart.rows.len(), MAX_ROWS);
    let others = &chart.rows[MAX_ROWS - 2];
    assert_eq!(others.name, "28 others");
    // The last step still ends at the actual.
    assert_eq!(others.bars[0].to, 12000.0 + gap);
    assert_eq!(chart.rows[MAX_ROWS - 1].bars[0].to, 12000.0 + gap);
}

#[test]
fn the_layout_puts_every_bar_inside_the_picture_and_in_its_rows_order() {
    let s = |node: &str, low, high| Sensitivity {
        goal: id("s"),
        node: id(node),
        at: 0,
        base: 7200.0,
        low: Some(low),
        high: Some(high),
        elasticity: Some(1.0),
    };
    let chart = Chart::tornado(&doc(), &[s("c", 6480.0, 7920.0), s("p", 6800.0, 7600.0)], 10.0, Lang::Ja).unwrap();
    let fig = chart.layout(800.0);
    let rects: Vec<[f64; 4]> =
        fig.marks.iter().filter_map(|m| if let Mark::Rect { rect, .. } = m { Some(*rect) } else { None }).collect();
    // Two legend swatches, then two bars per row.
    assert_eq!(rects.len(), 6);
    for r in &rects {
        assert!(r[0] >= 0.0 && r[2] <= fig.size[0] && r[1] >= 0.0 && r[3] <= fig.size[1], "{r:?} in {:?}", fig.size);
    }
    // The wider swing is on top, and longer.
    let (first, second) = (rects[2][2] - rects[2][0], rects[4][2] - rects[4][0]);
    assert!(rects[2][1] < rects[4][1]);
    assert!(first > second, "{first} > {second}");
    let svg = fig.to_svg(&chart.title);
    assert!(svg.contains("顧客数") && svg.contains("7,920 万円"), "{svg}");
    let png = fig.to_rgba(&chart.title, 1.0).unwrap();
    assert_eq!(png.width, 800);
}
