//! Pictures of hostile documents (issue 21, items 10 and 12): every drawn
//! string is capped (a long unit fits its card with "…", a 20 MB title is
//! drawn a few hundred characters long) while the file and the JSON keep the
//! whole text; SVG has the card limit PNG and PDF have; the PNG limit is on
//! each side and says so.

use kpitree::evaluate;
use kpitree::export::{self, Diagram, ExportError, ExportOptions, Format, MAX_DRAWN_CHARS, Measure, Scene, metrics};
use kpitree::model::{Document, Edge, Kind, Node, Op};

fn goal(unit: &str) -> Document {
    let mut doc = Document::new();
    let mut node = Node::new("g", Kind::Kgi, "売上");
    node.unit = Some(unit.to_owned());
    node.target = Some(10.0);
    node.actual = Some(5.0);
    doc.nodes.push(node);
    doc
}

/// The longest text of the SVG's text elements, in characters.
fn longest_text(svg: &str) -> usize {
    let parsed = usvg::roxmltree::Document::parse(svg).expect("XML");
    // Drawn text: not the embedded font's style sheet.
    let drawn = |n: &usvg::roxmltree::Node| n.is_text() && n.parent().is_none_or(|p| p.tag_name().name() != "style");
    parsed.descendants().filter(drawn).filter_map(|n| n.text()).map(|t| t.chars().count()).max().unwrap_or(0)
}

#[test]
fn a_unit_longer_than_its_card_is_cut_to_fit_it_with_an_ellipsis() {
    let unit: String = (0..30_000).map(|i| format!("f{i}")).collect::<Vec<_>>().join("*");
    let doc = goal(&unit);
    let eval = evaluate(&doc);
    let diagram = Diagram::build(&doc, &eval, &Default::default(), None);
    let card = &diagram.cards[0];
    let m = Measure::get();
    let inner = card.rect[2] - metrics::ACCENT - 2.0 * metrics::PAD_X;
    for (label, value) in card.rows.iter() {
        let used = m.width(label, metrics::ROW, false) + 16.0 + m.width(value, metrics::ROW, true);
        assert!(used <= inner + 0.01, "{value:?} needs {used}, the card has {inner}");
        assert!(value.ends_with('…'), "{value:?}");
    }
    assert!(card.rect[2] <= metrics::MAX_WIDTH);
    // The picture draws the cut text; the JSON keeps the whole unit.
    let opts = ExportOptions::default();
    let svg = export::to_svg(&doc, &eval, &opts).unwrap();
    assert!(longest_text(&svg) <= MAX_DRAWN_CHARS + 1, "{}", longest_text(&svg));
    let json = String::from_utf8(export::export(&doc, &eval, Format::Json, &opts).unwrap()).unwrap();
    assert!(json.contains(&unit));
    assert!(export::to_png(&doc, &eval, &ExportOptions { scale: 1.0, ..opts.clone() }).is_ok());
}

#[test]
fn a_twenty_megabyte_title_is_drawn_a_few_hundred_characters_long() {
    let mut doc = goal("件");
    let title = "長".repeat(20 * 1024 * 1024 / 3);
    doc.title = Some(title.clone());
    let eval = evaluate(&doc);
    let opts = ExportOptions { scale: 1.0, ..ExportOptions::default() };
    let scene = Scene::build(&doc, &eval, &opts);
    assert_eq!(scene.title.chars().count(), MAX_DRAWN_CHARS + 1);
    assert!(scene.title.ends_with('…'));
    let svg = export::to_svg(&doc, &eval, &opts).unwrap();
    assert!(svg.len() < 64 * 1024, "{} bytes", svg.len());
    assert!(export::to_pdf(&doc, &eval, &opts).unwrap().starts_with(b"%PDF"));
    assert!(export::to_png(&doc, &eval, &opts).is_ok());
    // A long name and a long id under --root too.
    let mut with_root = doc.clone();
    with_root.nodes.push(Node::new("k", Kind::Kpi, "名".repeat(100_000)));
    with_root.edges.push(Edge::new("g", "k", Op::Add));
    let sub = ExportOptions { root: Some("k".into()), ..opts };
    let scene = Scene::build(&with_root, &evaluate(&with_root), &sub);
    assert!(scene.title.chars().count() <= MAX_DRAWN_CHARS + 1);
    assert!(scene.cards.iter().all(|c| c.name.iter().all(|l| l.chars().count() <= MAX_DRAWN_CHARS + 1)));
}

/// One goal with `n` terms.
fn fan(n: usize) -> Document {
    let mut doc = goal("件");
    for i in 0..n {
        doc.nodes.push(Node::new(format!("k{i}"), Kind::Kpi, "k"));
        doc.edges.push(Edge::new("g", format!("k{i}"), Op::Add));
    }
    doc
}

#[test]
fn an_svg_of_too_many_cards_is_refused_as_png_and_pdf_are() {
    let doc = fan(export::MAX_DRAWN_CARDS);
    let eval = evaluate(&doc);
    let e = export::to_svg(&doc, &eval, &ExportOptions::default()).expect_err("too many cards");
    assert_eq!(
        e,
        ExportError::TooManyCards { cards: export::MAX_DRAWN_CARDS + 1, limit: export::MAX_DRAWN_CARDS, format: "SVG" }
    );
    let message = e.to_string();
    assert!(message.contains("--root") && !message.contains("or export SVG"), "{message}");
    assert_eq!(export::check_request(&doc, Format::Svg, &ExportOptions::default()), Err(e));
}

#[test]
fn a_png_wider_than_16384_pixels_is_refused_whatever_its_area() {
    // A long title makes the picture wide and low: 16,385 × a few hundred.
    let mut doc = goal("件");
    doc.title = Some("Ｗ".repeat(MAX_DRAWN_CHARS));
    let eval = evaluate(&doc);
    let scene = Scene::build(&doc, &eval, &ExportOptions::default());
    let scale = (16_385.0 / scene.size[0]).ceil() as f32;
    assert!((1.0..=4.0).contains(&scale), "scale {scale} for {:?}", scene.size);
    let opts = ExportOptions { scale, ..ExportOptions::default() };
    let e = export::to_png(&doc, &eval, &opts).expect_err("wider than a PNG may be");
    let ExportError::TooLarge(w, h) = e.clone() else { panic!("{e:?}") };
    assert!(w > 16_384 && u64::from(w) * u64::from(h) < 16_384 * 16_384, "{w} × {h}");
    assert!(e.to_string().contains("at most 16,384 pixels on each side"), "{e}");
}

#[test]
fn a_pdf_whose_text_would_be_too_small_to_read_is_refused_and_one_that_shrinks_a_little_is_made() {
    let opts = ExportOptions::default();
    let longest = |doc: &Document| {
        let scene = Scene::build(doc, &evaluate(doc), &opts);
        scene.size[0].max(scene.size[1])
    };
    // A fan grows one card high per term: find one past four pages' height and one under it.
    let mut n = 100;
    while longest(&fan(n)) * export::MIN_PDF_SHRINK <= export::MAX_PDF_PAGE {
        n *= 2;
    }
    let doc = fan(n);
    let e = export::to_pdf(&doc, &evaluate(&doc), &opts).expect_err("unreadably small");
    let ExportError::Unreadable(_, _, pt) = e else { panic!("{e:?}") };
    assert!(pt < 13.0 * export::MIN_PDF_SHRINK, "{pt} pt");
    let message = e.to_string();
    assert!(message.contains("--root") && message.contains("SVG") && message.contains("collapse"), "{message}");
    // SVG has no page: the same diagram exports.
    assert!(export::to_svg(&doc, &evaluate(&doc), &opts).is_ok());
    // Larger than a page but readable once shrunk: a PDF, shrunk to fit.
    let doc = fan(n / 4);
    let size = longest(&doc);
    assert!(size > export::MAX_PDF_PAGE && size * export::MIN_PDF_SHRINK <= export::MAX_PDF_PAGE, "{size}");
    let pdf = export::to_pdf(&doc, &evaluate(&doc), &opts).expect("a PDF");
    assert!(pdf.starts_with(b"%PDF"));
}
