//! An SVG's embedded font: drawn with nothing but the fonts it carries, it
//! is the picture kpitree's PNG is; the three ways an SVG carries its text.

use crate::export::{Png, sales};
use kpitree::evaluate;
use kpitree::export::{self, ExportOptions};

fn opts(scale: f32) -> ExportOptions {
    ExportOptions { scale, ..ExportOptions::default() }
}

/// The fonts an SVG embeds (`@font-face` data URLs), decoded.
fn embedded_fonts(svg: &str) -> Vec<Vec<u8>> {
    use base64::Engine;
    svg.split("base64,")
        .skip(1)
        .map(|rest| {
            let data = &rest[..rest.find(')').expect("the data URL ends")];
            base64::engine::general_purpose::STANDARD.decode(data).expect("base64")
        })
        .collect()
}

/// An SVG carries the glyphs it draws: rendered with nothing but the fonts
/// it embeds (no system font, not the bundled ones), every template's SVG
/// is the picture kpitree's PNG is — the subset lacks no glyph and keeps
/// every advance. Without the embedded fonts the same renderer draws no
/// text at all, so the comparison sees the text.
#[test]
fn an_svg_drawn_with_only_its_embedded_fonts_is_the_png() {
    for template in kpitree::templates::ALL {
        let doc = template.document().unwrap();
        let eval = evaluate(&doc);
        let opts = ExportOptions { lang: kpitree::Lang::Ja, ..opts(1.0) };
        let svg = export::to_svg(&doc, &eval, &opts).unwrap();
        let fonts = embedded_fonts(&svg);
        assert_eq!(fonts.len(), 2, "{}: a regular and a bold subset", template.name);
        assert!(fonts.iter().all(|f| f.len() < 200_000), "{}: subsets, not the whole font", template.name);
        let draw = |fonts: &[Vec<u8>]| {
            let mut db = usvg::fontdb::Database::new();
            for font in fonts {
                db.load_font_data(font.clone());
            }
            db.set_sans_serif_family("BIZ UDPGothic");
            let options = usvg::Options { fontdb: std::sync::Arc::new(db), ..usvg::Options::default() };
            let tree = usvg::Tree::from_str(&svg, &options).unwrap();
            let size = tree.size().to_int_size();
            let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).unwrap();
            resvg::render(&tree, tiny_skia::Transform::identity(), &mut pixmap.as_mut());
            pixmap
                .pixels()
                .iter()
                .map(|p| p.demultiply())
                .map(|c| [c.red(), c.green(), c.blue(), c.alpha()])
                .collect::<Vec<_>>()
        };
        let png = Png::decode(&export::to_png(&doc, &eval, &opts).unwrap());
        let theirs: Vec<[u8; 4]> = png.rgba.chunks(4).map(|p| [p[0], p[1], p[2], p[3]]).collect();
        let differing = |ours: &[[u8; 4]]| {
            assert_eq!(ours.len(), theirs.len(), "{}: the same size", template.name);
            ours.iter().zip(&theirs).filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 8)).count()
        };
        let with_embedded = draw(&fonts);
        let with_bundled = draw(&[export::FONT_REGULAR.to_vec(), export::FONT_BOLD.to_vec()]);
        assert!(with_embedded == with_bundled, "{}: the subsets draw what the whole fonts draw", template.name);
        let (with_embedded, without) = (differing(&with_embedded), differing(&draw(&[])));
        let total = theirs.len();
        assert!(with_embedded * 5000 < total, "{}: {with_embedded} of {total} pixels differ", template.name);
        assert!(
            without > 20 * with_embedded.max(50),
            "{}: text makes the difference ({without} without the fonts)",
            template.name
        );
    }
}

/// `--text name` writes no font, `--text outline` no text to draw: the
/// three ways an SVG carries its text.
#[test]
fn the_svg_text_option_embeds_names_or_outlines() {
    let doc = sales();
    let eval = evaluate(&doc);
    let svg = |svg_text| export::to_svg(&doc, &eval, &ExportOptions { svg_text, ..opts(1.0) }).unwrap();
    let embedded = svg(export::SvgText::Embedded);
    let named = svg(export::SvgText::Named);
    let outlined = svg(export::SvgText::Outlined);
    assert!(embedded.contains("@font-face") && embedded.contains("<text"));
    assert!(!named.contains("@font-face") && named.contains("<text"));
    assert!(!outlined.contains("@font-face") && outlined.contains("fill-opacity=\"0\""));
    assert!(embedded.len() > named.len());
    // The same drawing apart from the fonts.
    assert_eq!(
        embedded.replace(&embedded[embedded.find("\n<defs>").unwrap()..embedded.find("</defs>").unwrap() + 7], ""),
        named
    );
}
