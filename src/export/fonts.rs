//! The fonts of the pictures: the bundled BIZ UDPGothic, and this machine's
//! fonts for characters it lacks; how usvg reads the SVG kpitree writes; and
//! SVG text drawn as outlines with an invisible text layer.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::sync::{Arc, OnceLock};

use base64::Engine;

use crate::eval::{Code, Detail, Diagnostic};
use crate::model::Document;

use super::{ExportError, FONT_BOLD, FONT_FAMILY, FONT_REGULAR, Measure, sfnt};

/// The characters of `text` that the bundled fonts lack.
fn lacking(text: &str) -> BTreeSet<char> {
    let measure = Measure::get();
    text.chars().filter(|&c| !c.is_ascii() && !c.is_whitespace() && !c.is_control() && !measure.has_glyph(c)).collect()
}

/// The fonts to draw `text` with: the bundled ones, and — only when `text`
/// has characters they lack (𠮷, emoji) — this machine's fonts after them,
/// where the renderer looks for those characters ([`fallback_family`]),
/// and last a face of boxes with a glyph for each of them
/// ([`sfnt::boxes`]): a character no font has is drawn as a box that a PDF
/// still reads as that character.
pub(crate) fn fontdb_for(text: &str) -> Arc<usvg::fontdb::Database> {
    let lacking = lacking(text);
    if lacking.is_empty() {
        return fontdb();
    }
    let system = system_fonts();
    // Boxes only for the characters no font has: a renderer tries the fonts
    // it already used first, so a box for 𠮷 would win over the machine's
    // font that draws it.
    let orphans: BTreeSet<char> = lacking.into_iter().filter(|&c| !system_has(system, c)).collect();
    if orphans.is_empty() {
        return Arc::clone(system);
    }
    let mut db = (**system).clone();
    db.load_font_data(sfnt::boxes(&orphans));
    Arc::new(db)
}

/// The bundled fonts and this machine's, read once.
fn system_fonts() -> &'static Arc<usvg::fontdb::Database> {
    static WITH_SYSTEM: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    WITH_SYSTEM.get_or_init(|| {
        let mut db = (*fontdb()).clone();
        db.load_system_fonts();
        Arc::new(db)
    })
}

/// A `glyph_missing` diagnostic (info) for each node whose name or unit has
/// characters that neither the bundled font nor any font of this machine
/// has: pictures draw them as boxes. Only a node with a character outside
/// the bundled font costs a look at the machine's fonts.
pub fn glyph_diagnostics(doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for node in &doc.nodes {
        let mut chars = lacking(&node.name);
        chars.extend(lacking(node.unit_str()));
        if chars.is_empty() {
            continue;
        }
        let missing: Vec<String> = chars
            .into_iter()
            .filter(|&c| !system_has(system_fonts(), c))
            .map(|c| format!("{c} (U+{:04X})", u32::from(c)))
            .collect();
        if !missing.is_empty() {
            out.push(Diagnostic {
                code: Code::GlyphMissing,
                node: Some(node.id.clone()),
                name: node.name.clone(),
                edge: None,
                detail: Detail::Glyphs(missing.join(", ")),
            });
        }
    }
    out
}

/// Whether a font of `system` has `c` (remembered: it reads every font).
fn system_has(system: &usvg::fontdb::Database, c: char) -> bool {
    static KNOWN: std::sync::Mutex<BTreeMap<char, bool>> = std::sync::Mutex::new(BTreeMap::new());
    if let Some(&known) = KNOWN.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&c) {
        return known;
    }
    let has = system.faces().any(|f| has_char(system, f.id, c));
    KNOWN.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(c, has);
    has
}

/// How usvg reads an SVG kpitree wrote: with [`fontdb_for`] its text, and a
/// fallback choice that prefers a sans-serif face of the text's weight and,
/// for a character no font has, goes on to the fonts that have the text's
/// other missing characters (usvg's own stops at the first character it
/// cannot find, leaving 𠮷 a box after an emoji).
pub(crate) fn usvg_options(svg: &str) -> usvg::Options<'static> {
    let lacking = lacking(svg);
    let select_fallback: usvg::FallbackSelectionFn<'static> = Box::new(move |c, used, db| {
        let base = db.face(*used.first()?)?.weight;
        let rank = |face: &usvg::fontdb::FaceInfo| {
            let name = face.families.first().map_or("", |(n, _)| n.as_str());
            let sans = name.contains("Sans") || name.contains("Gothic") || name.contains("ゴシック");
            (name == sfnt::BOXES_FAMILY, !sans, face.weight.0.abs_diff(base.0))
        };
        let mut open: Vec<&usvg::fontdb::FaceInfo> = db.faces().filter(|f| !used.contains(&f.id)).collect();
        open.sort_by_key(|f| rank(f));
        open.iter()
            .find(|f| has_char(db, f.id, c))
            .or_else(|| open.iter().find(|f| lacking.iter().any(|&k| k != c && has_char(db, f.id, k))))
            .map(|f| f.id)
    });
    usvg::Options {
        fontdb: fontdb_for(svg),
        font_family: FONT_FAMILY.to_owned(),
        font_resolver: usvg::FontResolver { select_fallback, ..usvg::FontResolver::default() },
        ..usvg::Options::default()
    }
}

/// True when face `id` of `db` has a glyph for `c`.
fn has_char(db: &usvg::fontdb::Database, id: usvg::fontdb::ID, c: char) -> bool {
    db.with_face_data(id, |data, index| ttf_parser::Face::parse(data, index).is_ok_and(|f| f.glyph_index(c).is_some()))
        .unwrap_or(false)
}

/// The family of this machine's font that draws `c`, for a character the
/// bundled font lacks; none when no installed font has it (then it is
/// drawn as a box).
pub fn fallback_family(c: char) -> Option<String> {
    let db = fontdb_for(&c.to_string());
    let lacking = usvg_options(&c.to_string()).font_resolver.select_fallback;
    let bundled = db.faces().find(|f| f.families.iter().any(|(name, _)| name == FONT_FAMILY))?.id;
    let mut shared = Arc::clone(&db);
    let id = lacking(c, &[bundled], &mut shared).filter(|&id| has_char(&db, id, c))?;
    db.face(id).and_then(|f| f.families.first()).map(|(name, _)| name.clone()).filter(|name| name != sfnt::BOXES_FAMILY)
}

/// The font database of the exporter: the bundled faces only.
pub(crate) fn fontdb() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT_REGULAR.to_vec());
        db.load_font_data(FONT_BOLD.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// The SVG text `svg` (a picture or chart kpitree drew) with the
/// glyphs of the bundled font that its text uses embedded: an `@font-face`
/// per weight, a TrueType subset as a data URL (`sfnt::subset`), so that a
/// browser or slide program without BIZ UDPGothic draws the same letters.
/// (rsvg and Inkscape do not read embedded fonts: `--text outline` is for
/// them.)
pub fn embed_font(svg: &str) -> String {
    let mut faces = String::new();
    for (bold, chars) in text_chars(svg) {
        let Some(font) = sfnt::subset(if bold { FONT_BOLD } else { FONT_REGULAR }, &chars) else { continue };
        let _ = writeln!(
            faces,
            "@font-face{{font-family:\"{FONT_FAMILY}\";font-weight:{};src:url(data:font/ttf;base64,{})format(\"truetype\")}}",
            if bold { 700 } else { 400 },
            base64::engine::general_purpose::STANDARD.encode(font)
        );
    }
    match root_tag(svg) {
        Some((_, at)) if !faces.is_empty() => {
            format!("{}\n<defs><style>\n{faces}</style></defs>{}", &svg[..at], &svg[at..])
        }
        _ => svg.to_owned(),
    }
}

/// Where the root `<svg …>` tag of `svg` starts and where it ends (after
/// its `>`).
fn root_tag(svg: &str) -> Option<(usize, usize)> {
    let start = svg.find("<svg")?;
    Some((start, start + svg[start..].find('>')? + 1))
}

/// Every `<text …>…</text>` element of an SVG kpitree wrote, in order.
fn text_elements(svg: &str) -> impl Iterator<Item = &str> {
    let mut rest = svg;
    std::iter::from_fn(move || {
        let start = rest.find("<text")?;
        let len = rest[start..].find("</text>")? + 7;
        let element = &rest[start..start + len];
        rest = &rest[start + len..];
        Some(element)
    })
}

/// The characters of every `<text>` of an SVG kpitree wrote, by weight
/// (false: regular, true: bold), tags skipped and entities read back.
fn text_chars(svg: &str) -> BTreeMap<bool, BTreeSet<char>> {
    let mut found: BTreeMap<bool, BTreeSet<char>> = BTreeMap::new();
    for element in text_elements(svg) {
        let Some(open_end) = element.find('>') else { continue };
        let bold = element[..open_end].contains("font-weight=\"bold\"");
        let chars = found.entry(bold).or_default();
        let mut inside = false;
        let mut content = element[open_end + 1..element.len() - 7].chars();
        while let Some(c) = content.next() {
            match c {
                '<' => inside = true,
                '>' => inside = false,
                '&' if !inside => {
                    let entity: String = content.by_ref().take_while(|&c| c != ';').collect();
                    chars.insert(match entity.as_str() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        _ => '\'',
                    });
                }
                c if !inside => {
                    chars.insert(c);
                }
                _ => {}
            }
        }
    }
    found
}

/// The SVG text `svg` (as [`export`](super::export) writes it) with every text drawn as
/// outlines in the bundled font: a picture that looks the same in viewers
/// without BIZ UDPGothic or that ignore fonts (`kpitree export --text
/// outline`). The text itself stays on top, invisible (`fill-opacity` 0),
/// so that a viewer can still select and search it and a screen reader
/// read it.
pub fn outline_text(svg: &str) -> Result<String, ExportError> {
    let tree = usvg::Tree::from_str(svg, &usvg_options(svg)).map_err(|e| ExportError::Render(e.to_string()))?;
    // Hundredths of a pixel: a third of the size of the default, the same picture.
    let write = usvg::WriteOptions { coordinates_precision: 3, ..usvg::WriteOptions::default() };
    let mut out = tree.to_string(&write);
    // usvg keeps no title: the picture keeps its name, and its language.
    if let (Some(start), Some(end), Some(open)) = (svg.find("<title>"), svg.find("</title>"), out.find('>')) {
        out.insert_str(open + 1, &format!("\n<title>{}</title>", &svg[start + 7..end]));
    }
    let layer = text_layer(svg);
    if let (false, Some(close)) = (layer.is_empty(), out.rfind("</svg>")) {
        out.insert_str(close, &layer);
    }
    Ok(out)
}

/// Every `<text>` element of `svg`, in order, in one invisible group with
/// the document's language and font.
fn text_layer(svg: &str) -> String {
    let root = root_tag(svg).map(|(start, end)| &svg[start..end - 1]);
    let attr = |name: &str| {
        root.and_then(|r| {
            let at = r.find(&format!(" {name}=\""))? + name.len() + 3;
            Some(&r[at..at + r[at..].find('"')?])
        })
    };
    let mut texts = String::new();
    for element in text_elements(svg) {
        texts.push_str(element);
        texts.push('\n');
    }
    if texts.is_empty() {
        return texts;
    }
    format!(
        "<g fill-opacity=\"0\" stroke=\"none\" xml:lang=\"{}\" font-family=\"{}\">\n{texts}</g>\n",
        attr("xml:lang").unwrap_or("ja"),
        attr("font-family").unwrap_or(FONT_FAMILY)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Ordinary text is drawn with the bundled fonts alone: no scan of the
    /// machine's fonts, the same picture everywhere. Only a character they
    /// lack brings the machine's fonts in.
    #[test]
    fn only_a_character_the_bundled_font_lacks_brings_in_the_machines_fonts() {
        assert!(Arc::ptr_eq(&fontdb_for("<text>売上 = 顧客数 × 客単価 ①</text>"), &fontdb()));
        let lacking = fontdb_for("<text>𠮷野家</text>");
        assert!(!Arc::ptr_eq(&lacking, &fontdb()));
        assert!(lacking.len() >= fontdb().len());
    }

    #[test]
    fn the_characters_of_texts_by_weight_with_entities_and_tspans() {
        let svg = r#"<svg><text x="1" font-size="9">a&amp;b</text><text font-weight="bold"><tspan x="1">売</tspan><tspan>上&lt;</tspan></text></svg>"#;
        let chars = text_chars(svg);
        assert_eq!(chars[&false], "a&b".chars().collect());
        assert_eq!(chars[&true], "売上<".chars().collect());
    }
}
