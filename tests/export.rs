//! Export: the pictures decode, are the size and background asked for, show
//! each card in its colour where the layout put it and really draw Japanese
//! (the command line's exports: `export_cli.rs`).

use crate::common::{doc, edge, kgi, kpi, list};
use kpitree::evaluate;
use kpitree::export::{self, ExportError, ExportOptions, Format, Scene, Theme, kind_colour};
use kpitree::model::{Document, Kind};

pub(crate) fn sales() -> Document {
    doc(
        &list(&[
            kgi("sales", "万円", "12000", "null"),
            r#"{"id":"ksf","kind":"KSF","name":"新規開拓"}"#.to_owned(),
            kpi("cust", "社", "120", "80"),
            kpi("price", "万円/社", "100", "90"),
        ]),
        &list(&[edge("sales", "cust", "*"), edge("sales", "price", "*"), edge("sales", "ksf", "link")]),
    )
}

pub(crate) struct Png {
    pub(crate) width: u32,
    pub(crate) height: u32,
    pub(crate) rgba: Vec<u8>,
}

impl Png {
    pub(crate) fn decode(bytes: &[u8]) -> Png {
        let decoder = png::Decoder::new(bytes);
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("PNG pixels");
        assert_eq!(info.color_type, png::ColorType::Rgba);
        buf.truncate(info.buffer_size());
        Png { width: info.width, height: info.height, rgba: buf }
    }

    pub(crate) fn pixel(&self, x: f64, y: f64) -> [u8; 4] {
        let (x, y) = (x as usize, y as usize);
        let i = (y * self.width as usize + x) * 4;
        [self.rgba[i], self.rgba[i + 1], self.rgba[i + 2], self.rgba[i + 3]]
    }
}

fn png_of(doc: &Document, opts: &ExportOptions) -> Png {
    Png::decode(&export::to_png(doc, &evaluate(doc), opts).expect("exports"))
}

fn opts(scale: f32) -> ExportOptions {
    ExportOptions { scale, ..ExportOptions::default() }
}

#[test]
fn the_png_is_the_scene_size_times_the_scale() {
    let doc = sales();
    let scene = Scene::build(&doc, &evaluate(&doc), &opts(1.0));
    for scale in [1.0f32, 2.0, 3.0] {
        let png = png_of(&doc, &opts(scale));
        assert_eq!(png.width, (scene.size[0] * f64::from(scale)).ceil() as u32, "scale {scale}");
        assert_eq!(png.height, (scene.size[1] * f64::from(scale)).ceil() as u32, "scale {scale}");
    }
}

#[test]
fn the_background_is_white_or_transparent_as_asked() {
    let doc = sales();
    assert_eq!(png_of(&doc, &opts(1.0)).pixel(2.0, 2.0), [255, 255, 255, 255]);
    let clear = png_of(&doc, &ExportOptions { transparent: true, ..opts(1.0) });
    assert_eq!(clear.pixel(2.0, 2.0)[3], 0);
}

#[test]
fn each_card_shows_its_kind_colour_at_its_layout_position() {
    let doc = sales();
    let o = opts(2.0);
    let scene = Scene::build(&doc, &evaluate(&doc), &o);
    let png = png_of(&doc, &o);
    assert_eq!(scene.cards.len(), 4);
    for card in &scene.cards {
        let [x, y, _, h] = card.rect;
        // The coloured band on the card's left, halfway down.
        let p = png.pixel((x + 3.0) * 2.0, (y + h / 2.0) * 2.0);
        let want = kind_colour(card.kind);
        for c in 0..3 {
            assert!(p[c].abs_diff(want[c]) <= 3, "{}: {:?} at its band, want {want:?}", card.id, p);
        }
    }
}

#[test]
fn japanese_names_are_really_drawn() {
    let doc = sales();
    let o = opts(2.0);
    let scene = Scene::build(&doc, &evaluate(&doc), &o);
    let png = png_of(&doc, &o);
    let card = scene.cards.iter().find(|c| c.id.as_str() == "cust").unwrap();
    assert_eq!(card.name[..], ["cust".to_owned()]);
    let ksf = scene.cards.iter().find(|c| c.id.as_str() == "ksf").unwrap();
    assert_eq!(ksf.name[..], ["新規開拓".to_owned()]);
    // The name's line box: below the kind label, from the band to the right padding.
    let [x, y, w, _] = ksf.rect;
    let dark = |x0: f64, x1: f64| {
        let mut n = 0;
        for py in ((y + 28.0) * 2.0) as usize..((y + 46.0) * 2.0) as usize {
            for px in ((x0) * 2.0) as usize..((x1) * 2.0) as usize {
                let p = png.pixel(px as f64, py as f64);
                if p[0] < 110 && p[1] < 110 && p[2] < 110 {
                    n += 1;
                }
            }
        }
        n
    };
    let ink = dark(x + 18.0, x + w - 12.0);
    assert!(ink > 150, "only {ink} dark pixels where 新規開拓 should be");
}

#[test]
fn a_long_name_wraps_to_two_lines_and_ends_in_an_ellipsis() {
    let long = "とても長い名前".repeat(40);
    let doc = doc(&format!(r#"{{"id":"a","kind":"KPI","name":"{long}","unit":"件","target":1,"actual":1}}"#), "");
    let scene = Scene::build(&doc, &evaluate(&doc), &opts(1.0));
    let card = &scene.cards[0];
    assert_eq!(card.name.len(), 2);
    assert!(card.name[1].ends_with('…'), "{:?}", card.name);
    assert!(card.rect[2] <= 270.0, "card width {}", card.rect[2]);
}

#[test]
fn the_svg_parses_and_names_every_node() {
    let doc = sales();
    let svg = export::to_svg(&doc, &evaluate(&doc), &opts(1.0)).unwrap();
    let parsed = usvg::roxmltree::Document::parse(&svg).expect("the SVG is XML");
    let texts: String = parsed.descendants().filter_map(|n| n.text()).collect();
    for node in &doc.nodes {
        assert!(texts.contains(&node.name), "no {} in the SVG", node.name);
    }
    assert!(texts.contains("12,000 万円"));
}

#[test]
fn names_with_markup_characters_are_escaped() {
    let doc = doc(r#"{"id":"a","kind":"KPI","name":"R&D <新> \"x\"","unit":"件","target":1,"actual":1}"#, "");
    let svg = export::to_svg(&doc, &evaluate(&doc), &opts(1.0)).unwrap();
    let parsed = usvg::roxmltree::Document::parse(&svg).expect("the SVG is XML");
    assert!(parsed.descendants().any(|n| n.text() == Some("R&D <新> \"x\"")));
}

#[test]
fn without_values_the_cards_show_no_numbers() {
    let doc = sales();
    let eval = evaluate(&doc);
    let svg = export::to_svg(&doc, &eval, &ExportOptions { values: false, ..opts(1.0) }).unwrap();
    assert!(!svg.contains("12,000"));
    assert!(svg.contains("顧客数") || svg.contains("cust"));
}

#[test]
fn the_pdf_is_one_page_the_size_of_the_picture() {
    let doc = sales();
    let eval = evaluate(&doc);
    let scene = Scene::build(&doc, &eval, &opts(1.0));
    let pdf = export::to_pdf(&doc, &eval, &opts(1.0)).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let page = media_box(&pdf);
    assert!((page[0] - scene.size[0].round()).abs() < 1.0, "{page:?} vs {:?}", scene.size);
    assert!((page[1] - scene.size[1].round()).abs() < 1.0, "{page:?} vs {:?}", scene.size);
}

#[test]
fn fit_to_16_9_pads_the_picture_to_a_slide() {
    let doc = sales();
    let scene = Scene::build(&doc, &evaluate(&doc), &ExportOptions { fit_16_9: true, ..opts(1.0) });
    assert!((scene.size[0] / scene.size[1] - 16.0 / 9.0).abs() < 1e-9, "{:?}", scene.size);
}

#[test]
fn a_subtree_export_holds_the_root_and_what_is_below_it() {
    let doc = doc(
        &list(&[
            kgi("sales", "万円", "12000", "null"),
            kpi("cust", "社", "120", "80"),
            kpi("new", "社", "30", "20"),
            kpi("price", "万円/社", "100", "90"),
        ]),
        &list(&[edge("sales", "cust", "*"), edge("sales", "price", "*"), edge("cust", "new", "+")]),
    );
    let root = ExportOptions { root: Some("cust".into()), ..opts(1.0) };
    let scene = Scene::build(&doc, &evaluate(&doc), &root);
    let mut ids: Vec<&str> = scene.cards.iter().map(|c| c.id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["cust", "new"]);
    let unknown = ExportOptions { root: Some("nope".into()), ..opts(1.0) };
    assert_eq!(export::to_svg(&doc, &evaluate(&doc), &unknown), Err(ExportError::UnknownRoot("nope".into())));
}

#[test]
fn scales_outside_1_to_4_are_refused() {
    let doc = sales();
    for scale in [0.5f32, 4.5, f32::NAN] {
        assert!(matches!(export::to_png(&doc, &evaluate(&doc), &opts(scale)), Err(ExportError::Scale(_))));
    }
}

#[test]
fn the_json_export_is_the_document_with_its_values() {
    let doc = sales();
    let bytes = export::export(&doc, &evaluate(&doc), Format::Json, &opts(1.0)).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(v["format"], "kpitree");
    assert_eq!(v["nodes"].as_array().unwrap().len(), 4);
    assert_eq!(v["values"]["sales"]["actual"], 7200);
    assert_eq!(v["values"]["sales"]["progress"], 0.6);
    assert!(v["diagnostics"].is_array());
    // And it is still a document kpitree opens.
    let again = kpitree::io::from_slice(&bytes, "x").unwrap();
    assert_eq!(again.nodes.len(), 4);
}

#[test]
fn every_template_exports_in_both_themes() {
    for t in kpitree::templates::ALL {
        let doc = t.document().expect("templates load");
        for theme in [Theme::Standard, Theme::Slide] {
            let png = png_of(&doc, &ExportOptions { theme, ..opts(1.0) });
            assert!(png.width > 300 && png.height > 200, "{}: {}×{}", t.name, png.width, png.height);
        }
    }
}

#[test]
fn an_empty_document_exports_a_title_only() {
    let doc = Document::new();
    let png = png_of(&doc, &opts(1.0));
    assert!(png.width > 0 && png.height > 0);
    let _ = Kind::Kgi;
}

// ---- hostile names, huge diagrams ----

/// A KGI with `n` KPI terms: a diagram one column wide and `n` cards tall.
pub(crate) fn fan(n: usize) -> Document {
    let mut nodes = vec![kgi("g", "件", "null", "null")];
    let mut edges = Vec::new();
    for i in 0..n {
        nodes.push(kpi(&format!("k{i}"), "件", "1", "1"));
        edges.push(edge("g", &format!("k{i}"), "+"));
    }
    doc(&list(&nodes), &list(&edges))
}

#[test]
fn names_with_characters_xml_forbids_export_to_every_format() {
    let doc = doc(
        r#"{"id":"a","kind":"KPI","name":"A\uFFFEB\uFFFFC\u0001D\u001bE","unit":"件\uFFFE","target":1,"actual":1}"#,
        "",
    );
    let mut with_title = doc.clone();
    with_title.title = Some("T\u{fffe}".into());
    let eval = evaluate(&with_title);
    let svg = export::to_svg(&with_title, &eval, &opts(1.0)).expect("SVG");
    for bad in ['\u{fffe}', '\u{ffff}', '\u{1}', '\u{1b}'] {
        assert!(!svg.contains(bad), "{bad:?} in the SVG");
    }
    let parsed = usvg::roxmltree::Document::parse(&svg).expect("the SVG is XML");
    assert!(parsed.descendants().any(|n| n.text() == Some("A B C D E")));
    let options = usvg::Options { fontdb: std::sync::Arc::new(usvg::fontdb::Database::new()), ..Default::default() };
    usvg::Tree::from_str(&svg, &options).expect("usvg reads the SVG");
    let png = Png::decode(&export::to_png(&with_title, &eval, &opts(1.0)).expect("PNG"));
    assert!(png.width > 100);
    assert!(export::to_pdf(&with_title, &eval, &opts(1.0)).expect("PDF").starts_with(b"%PDF"));
}

#[test]
fn a_png_or_pdf_of_too_many_cards_is_refused_before_it_is_drawn() {
    let doc = fan(export::MAX_DRAWN_CARDS);
    let eval = evaluate(&doc);
    for (name, result) in [
        ("PNG", export::to_png(&doc, &eval, &opts(1.0)).map(|_| ())),
        ("PDF", export::to_pdf(&doc, &eval, &opts(1.0)).map(|_| ())),
    ] {
        let e = result.expect_err(name);
        assert_eq!(
            e,
            ExportError::TooManyCards {
                cards: export::MAX_DRAWN_CARDS + 1,
                limit: export::MAX_DRAWN_CARDS,
                format: name
            }
        );
        let message = e.to_string();
        assert!(message.contains("--root") && message.contains("collapse"), "says what to do: {message}");
    }
    // A subtree of it exports.
    let sub = ExportOptions { root: Some("k7".into()), ..opts(1.0) };
    assert!(export::to_png(&doc, &eval, &sub).is_ok());
}

#[test]
fn a_png_too_large_is_refused_before_anything_is_drawn() {
    let doc = fan(3_000);
    let eval = evaluate(&doc);
    let e = export::to_png(&doc, &eval, &opts(4.0)).expect_err("too many pixels");
    assert!(matches!(e, ExportError::TooLarge(_, h) if h > 16_384), "{e:?}");
    assert!(e.to_string().contains("smaller scale"), "{e}");
}

/// The page size of a one-page PDF.
fn media_box(pdf: &[u8]) -> [f64; 2] {
    let text = String::from_utf8_lossy(pdf);
    let at = text.find("/MediaBox").expect("a MediaBox");
    let n: Vec<f64> = text[at + 9..]
        .trim_start()
        .trim_start_matches('[')
        .split(|c: char| c.is_whitespace() || c == ']')
        .filter(|s| !s.is_empty())
        .take(4)
        .map(|s| s.parse().unwrap())
        .collect();
    [n[2] - n[0], n[3] - n[1]]
}

#[test]
fn a_pdf_taller_than_viewers_open_is_scaled_down_to_fit() {
    let doc = fan(400);
    let eval = evaluate(&doc);
    let scene = Scene::build(&doc, &eval, &opts(1.0));
    assert!(scene.size[1] > export::MAX_PDF_PAGE, "the diagram is {:?}", scene.size);
    let [w, h] = media_box(&export::to_pdf(&doc, &eval, &opts(1.0)).unwrap());
    assert!(h <= export::MAX_PDF_PAGE && h > export::MAX_PDF_PAGE - 2.0, "{w} × {h}");
    let ratio = scene.size[0].round() / scene.size[1].round();
    assert!((w / h - ratio).abs() < 1e-3, "{w} × {h} vs {:?}", scene.size);
}

/// A diagram built reusing the cards of the one before is the diagram a
/// fresh build gives, after edits of names, values, units and structure and
/// a change of language; and a card whose node did not change is not
/// measured again (its text is shared).
#[test]
fn a_diagram_built_reusing_earlier_cards_equals_a_fresh_one() {
    use kpitree::Lang;
    use kpitree::export::{CardCache, Diagram, DiagramOptions};
    use kpitree::model::{Edit, Field, generate};
    let mut doc = generate::tree(300, 5);
    let mut cache = CardCache::default();
    let mut opts = DiagramOptions::default();
    let first = Diagram::build_reusing(&doc, &evaluate(&doc), &opts, None, &mut cache);
    let (renamed, valued, far) = (doc.nodes[10].id.clone(), doc.nodes[200].id.clone(), doc.nodes[299].id.clone());
    let edits = [
        Edit::SetField(renamed.clone(), Field::Name("とても長い名前に変えた指標の名前ですよね本当に".into())),
        Edit::SetField(valued.clone(), Field::Actual(Some(123_456.0))),
        Edit::SetField(valued.clone(), Field::Unit(Some("円".into()))),
        Edit::RemoveNodes(vec![doc.nodes[150].id.clone()]),
    ];
    let mut before = first;
    for (step, edit) in edits.into_iter().enumerate() {
        assert!(edit.apply(&mut doc), "edit {step} applies");
        let eval = evaluate(&doc);
        let reused = Diagram::build_reusing(&doc, &eval, &opts, None, &mut cache);
        assert_eq!(*reused, Diagram::build(&doc, &eval, &opts, None), "after edit {step}");
        let (a, b) = (before.card(&far).expect("shown"), reused.card(&far).expect("shown"));
        if a == b {
            assert!(std::sync::Arc::ptr_eq(&a.rows, &b.rows), "an unchanged card is reused (edit {step})");
        }
        before = reused;
    }
    assert_eq!(before.card(&renamed).expect("shown").name.len(), 2, "the new name is measured");
    // An edit that changes no card's size (the owner; then the actual of a
    // leaf to one with as many digits) lays nothing out: the wires are
    // shared, and the diagram is still the one a fresh build gives.
    let leaf = doc.nodes.iter().rev().find(|n| n.actual.is_some()).expect("a leaf with an actual").id.clone();
    let actual = doc.node(&leaf).and_then(|n| n.actual).expect("an actual");
    for edit in [
        Edit::SetField(far.clone(), Field::Owner(Some("営業部".into()))),
        Edit::SetField(leaf, Field::Actual(Some(actual + 1.0))),
    ] {
        assert!(edit.apply(&mut doc));
        let eval = evaluate(&doc);
        let reused = Diagram::build_reusing(&doc, &eval, &opts, None, &mut cache);
        assert_eq!(*reused, Diagram::build(&doc, &eval, &opts, None));
        if reused.cards.iter().zip(before.cards.iter()).all(|(a, b)| a.rect == b.rect) {
            assert!(std::sync::Arc::ptr_eq(&reused.wires, &before.wires), "laid out again needlessly");
        }
        before = reused;
    }
    assert!(std::sync::Arc::ptr_eq(
        &before.links,
        &Diagram::build_reusing(&doc, &evaluate(&doc), &opts, None, &mut cache).links
    ));
    opts.lang = Lang::En;
    let eval = evaluate(&doc);
    let english = Diagram::build_reusing(&doc, &eval, &opts, None, &mut cache);
    assert_eq!(*english, Diagram::build(&doc, &eval, &opts, None));
    assert_eq!(english.card(&far).expect("shown").rows[0].0, "Target");
}

/// sales() with the goal folded: its three terms are hidden.
fn folded_sales() -> Document {
    let mut doc = sales();
    let fold = kpitree::model::Edit::SetField("sales".into(), kpitree::model::Field::Collapsed(true));
    assert!(fold.apply(&mut doc));
    doc
}

#[test]
fn a_folded_card_shows_how_many_nodes_it_hides_in_every_picture() {
    let doc = folded_sales();
    let o = opts(2.0);
    let scene = Scene::build(&doc, &evaluate(&doc), &o);
    assert_eq!(scene.cards.len(), 1, "only the folded goal is drawn");
    let svg = export::to_svg(&doc, &evaluate(&doc), &o).unwrap();
    assert!(svg.contains(">＋3</text>"), "the SVG says ＋3: {svg}");
    // The pill is drawn right of the card, inside the picture.
    let card = &scene.cards[0];
    let layout = kpitree::export::CardLayout::of(card);
    let pill = layout.pill.expect("a pill");
    let (px, py) = (card.rect[0] + pill.rect[0] + 3.0, card.rect[1] + pill.rect[1] + pill.rect[3] / 2.0);
    assert!(px + pill.rect[2] < scene.size[0], "the picture is wide enough for the pill");
    let png = png_of(&doc, &o);
    let p = png.pixel(px * 2.0, py * 2.0);
    assert!(p[0] < 140 && p[1] < 140 && p[2] < 160, "the pill's grey at its place, got {p:?}");
}

#[test]
fn a_long_percentage_never_reaches_the_progress_bar() {
    // 5,833 % and more: the bar shortens so that its figure fits beside it.
    let doc = doc(&list(&[kgi("k", "件", "1", "58.33"), kgi("h", "件", "1", "1e70")]), "");
    let scene = Scene::build(&doc, &evaluate(&doc), &opts(1.0));
    for card in &scene.cards {
        let l = kpitree::export::CardLayout::of(card);
        let bar = l.bar.as_ref().expect("a bar");
        let figure = kpitree::export::Measure::get().width(&bar.figure, l.figure_size(), true);
        assert!(bar.rect[0] + bar.rect[2] < l.right - figure, "{}: {} overlaps its bar", card.id, bar.figure);
    }
    let svg = export::to_svg(&doc, &evaluate(&doc), &opts(1.0)).unwrap();
    assert!(svg.contains("5,833%") && svg.contains("&gt; 9,999 %"), "{svg}");
}

#[test]
fn on_a_16_9_slide_the_title_sits_at_the_top_left_margin() {
    let doc = sales();
    let o = ExportOptions { fit_16_9: true, ..opts(1.0) };
    let scene = Scene::build(&doc, &evaluate(&doc), &o);
    assert!(scene.offset[0] > 40.0 || scene.offset[1] > 40.0, "the diagram is padded: {:?}", scene.offset);
    let svg = export::to_svg(&doc, &evaluate(&doc), &o).unwrap();
    let title = svg.lines().find(|l| l.contains("font-size=\"22\"")).expect("the title");
    let x: f64 = title.split("x=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    let y: f64 = title.split("y=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
    let before_title = &svg[..svg.find(title).unwrap()];
    assert!(!before_title.contains("<g transform"), "the title is not moved with the diagram");
    assert!(x <= 40.0 && y <= 70.0, "the title at the slide's top left: {x}, {y}");
}

#[test]
fn a_constant_is_drawn_as_a_small_pill_with_its_number_and_no_progress() {
    // 年間売上 = 月間売上 × 月数 (a constant 12 ヶ月).
    let doc = doc(
        &list(&[
            kgi("year", "万円", "1200", "null"),
            kpi("month", "万円/ヶ月", "100", "80"),
            r#"{"id":"months","kind":"KPI","name":"月数","unit":"ヶ月","constant":12}"#.to_owned(),
        ]),
        &list(&[edge("year", "month", "*"), edge("year", "months", "*")]),
    );
    let eval = evaluate(&doc);
    assert_eq!(eval.get(&"year".into()).and_then(|v| v.actual), Some(960.0));
    let scene = Scene::build(&doc, &eval, &ExportOptions::default());
    let card = |id: &str| scene.cards.iter().find(|c| c.id.as_str() == id).unwrap();
    let (pill, month) = (card("months"), card("month"));
    assert!(pill.constant && !month.constant);
    assert!(pill.rect[3] < month.rect[3] / 2.0, "small: {:?} vs {:?}", pill.rect, month.rect);
    assert_eq!(pill.progress, None);
    let svg = export::to_svg(&doc, &eval, &ExportOptions::default()).unwrap();
    let parsed = usvg::roxmltree::Document::parse(&svg).unwrap();
    // Its outline has round ends (rx half its height) and its number is written once.
    let [x, y, _, h] = pill.rect;
    let outline = parsed
        .descendants()
        .find(|n| {
            n.has_tag_name("rect")
                && n.attribute("x") == Some(&format!("{x:.1}")[..])
                && n.attribute("y") == Some(&format!("{y:.1}")[..])
        })
        .expect("the pill's outline");
    assert_eq!(outline.attribute("rx"), Some(&format!("{:.1}", h / 2.0)[..]));
    let texts: Vec<&str> = parsed.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
    assert_eq!(texts.iter().filter(|t| **t == "12 ヶ月").count(), 1, "{texts:?}");
    assert!(texts.contains(&"月数") && texts.contains(&"= 960 万円"), "{texts:?}");
    // Pictures of it render.
    assert!(export::to_png(&doc, &eval, &opts(1.0)).is_ok());
}

/// The share of pixels of `a` and `b` (same size) that differ by more than
/// a little in any channel.
fn differing(a: &[u8], b: &[u8]) -> f64 {
    let off = a.chunks(4).zip(b.chunks(4)).filter(|(p, q)| p.iter().zip(*q).any(|(x, y)| x.abs_diff(*y) > 48)).count();
    off as f64 / (a.len() / 4) as f64
}

#[test]
fn an_outlined_svg_needs_no_font_and_looks_like_the_png() {
    let template = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/templates/cash-flow.kpitree.json"),
    )
    .unwrap();
    let doc = kpitree::io::from_str(&template, "cash-flow.kpitree.json").unwrap();
    let eval = evaluate(&doc);
    let o = opts(1.0);
    let svg = String::from_utf8(export::export(&doc, &eval, Format::Svg, &o).unwrap()).unwrap();
    let outlined = export::outline_text(&svg).unwrap();
    assert!(outlined.contains("<title>キャッシュ・フローのKPIツリー</title>"));
    // Every glyph a path; the text itself on top, invisible, to select and
    // search: each name once, as the picture has it.
    let (drawn_part, layer) = outlined.split_at(outlined.find("<g fill-opacity=\"0\"").expect("a text layer"));
    assert!(!drawn_part.contains("<text"), "every glyph is a path");
    assert_eq!(layer.matches("<text").count(), svg.matches("<text").count());
    assert!(layer.contains(r#"xml:lang="ja""#) && layer.contains("営業キャッシュ・フロー"), "{layer}");
    // A viewer with no fonts at all.
    let bare = usvg::Options { fontdb: std::sync::Arc::new(usvg::fontdb::Database::new()), ..Default::default() };
    let render = |text: &str| {
        let tree = usvg::Tree::from_str(text, &bare).unwrap();
        let size = tree.size().to_int_size();
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        pixmap
    };
    let png = png_of(&doc, &o);
    let drawn = render(&outlined);
    assert_eq!((drawn.width(), drawn.height()), (png.width, png.height));
    // Premultiplied and straight alpha agree on an opaque picture.
    let share = differing(drawn.data(), &png.rgba);
    assert!(share < 0.002, "{:.4} % of the pixels differ", share * 100.0);
    // Without outlines, the same viewer draws no text at all: the test can fail.
    let fonts_missing = differing(render(&svg).data(), &png.rgba);
    assert!(fonts_missing > 0.01, "{fonts_missing}");
}

#[test]
fn the_svg_says_its_language_so_a_fallback_font_draws_japanese_shapes() {
    let japanese = sales();
    let eval = evaluate(&japanese);
    let svg = |lang| {
        let o = ExportOptions { lang, ..opts(1.0) };
        String::from_utf8(export::export(&japanese, &eval, Format::Svg, &o).unwrap()).unwrap()
    };
    // Japanese names make it Japanese whatever the labels' language.
    assert!(svg(kpitree::lang::Lang::En).contains(r#"xml:lang="ja""#));
    let english = doc(&list(&[kpi("cust", "", "1", "1")]), "");
    let o = ExportOptions { lang: kpitree::lang::Lang::En, ..opts(1.0) };
    let text = String::from_utf8(export::export(&english, &evaluate(&english), Format::Svg, &o).unwrap()).unwrap();
    assert!(text.contains(r#"xml:lang="en""#), "{}", &text[..200]);
}

#[test]
fn a_wrapped_name_is_one_text_so_a_search_finds_it_whole() {
    let name = "Customer lifetime value across every sales channel";
    let named = doc(&format!(r#"{{"id":"a","kind":"KGI","name":"{name}"}}"#), "");
    let svg = String::from_utf8(export::export(&named, &evaluate(&named), Format::Svg, &opts(1.0)).unwrap()).unwrap();
    let text = svg.lines().find(|l| l.contains("Customer")).expect("the name is drawn");
    assert_eq!(text.matches("<tspan").count(), 2, "wrapped in two lines: {text}");
    let spoken: String = text.split('>').filter_map(|p| p.split('<').next()).collect();
    assert!(spoken.starts_with("Customer lifetime value across"), "{spoken}");
}
