//! Text measured with the bundled font's own glyph advances, and the sizes
//! of the diagram: cards fit their names exactly in every output format and
//! on the canvas, which draws with the same font.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU16, Ordering};

use super::{FONT_BOLD, FONT_REGULAR};

/// Font sizes and spacing of the diagram, in diagram pixels.
pub mod metrics {
    /// The node's name.
    pub const NAME: f64 = 15.0;
    /// Line height of the name.
    pub const NAME_LINE: f64 = 20.0;
    /// The kind label (KGI / KSF / KPI).
    pub const KIND: f64 = 10.0;
    /// Target / actual rows.
    pub const ROW: f64 = 12.0;
    /// Height of a target / actual row.
    pub const ROW_LINE: f64 = 18.0;
    /// Height of the progress row.
    pub const BAR_ROW: f64 = 18.0;
    /// Height of the trend line (values per period).
    pub const TREND_ROW: f64 = 26.0;
    /// The coloured band on the card's left.
    pub const ACCENT: f64 = 6.0;
    /// Inner padding, left (after the band) and right.
    pub const PAD_X: f64 = 12.0;
    /// Inner padding, top and bottom.
    pub const PAD_Y: f64 = 10.0;
    /// Narrowest and widest card.
    pub const MIN_WIDTH: f64 = 150.0;
    /// Widest card; longer names wrap to two lines, then end in "…".
    pub const MAX_WIDTH: f64 = 270.0;
    /// Space between columns (the operator badges sit in it).
    pub const COLUMN_GAP: f64 = 76.0;
    /// Space between cards in a column.
    pub const ROW_GAP: f64 = 16.0;
    /// Margin around everything.
    pub const MARGIN: f64 = 32.0;
}

/// Measures text in the bundled font.
pub struct Measure {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
    /// Per face, the advance of each character of the Basic Multilingual
    /// Plane once looked up (a cmap lookup per character was most of the
    /// cost of laying out a large tree): 0 = not yet, [`NO_GLYPH`] = the
    /// face has none, else the advance + 1 in font units.
    advances: [Box<[AtomicU16]>; 2],
}

/// In [`Measure::advances`]: the face has no glyph for the character.
const NO_GLYPH: u16 = u16::MAX;

/// The most characters of one text a picture draws (a title, a name, a
/// value with its unit); the rest is elided with 「…」. The full text stays
/// in the file and in the JSON. Laying out megabytes of text cost usvg
/// quadratic time and gigabytes (a 20 MB title, a 10 MB unit), and no card
/// or slide shows more.
pub const MAX_DRAWN_CHARS: usize = 200;

/// `text` cut to [`MAX_DRAWN_CHARS`] characters followed by "…", or as it
/// is when shorter; linear in the characters kept, not in the text.
pub fn capped(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_DRAWN_CHARS) {
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..end])),
        None => std::borrow::Cow::Borrowed(text),
    }
}

impl Measure {
    /// The measurer of the bundled faces (parsed once).
    pub fn get() -> &'static Measure {
        static MEASURE: OnceLock<Measure> = OnceLock::new();
        MEASURE.get_or_init(|| Measure {
            regular: ttf_parser::Face::parse(FONT_REGULAR, 0).expect("the bundled regular font parses"),
            bold: ttf_parser::Face::parse(FONT_BOLD, 0).expect("the bundled bold font parses"),
            advances: [(); 2].map(|_| (0..=u16::MAX).map(|_| AtomicU16::new(0)).collect()),
        })
    }

    /// True when both bundled faces have a glyph for `c` (else it would be
    /// drawn as a box).
    pub fn has_glyph(&self, c: char) -> bool {
        // Through the advance cache: `check` asks this of every character
        // of every name (glyph_missing).
        self.advance(c, false).is_some() && self.advance(c, true).is_some()
    }

    /// How far below the centre line of a text row the baseline of `size`
    /// pixel text lies: half the font's ascender and descender, so that the
    /// glyphs' em box sits on the centre line (as egui centres text).
    pub fn baseline_below_centre(&self, size: f64, bold: bool) -> f64 {
        let face = if bold { &self.bold } else { &self.regular };
        let em = f64::from(face.units_per_em());
        f64::from(i32::from(face.ascender()) + i32::from(face.descender())) / 2.0 / em * size
    }

    /// The advance width of `text` at `size` pixels.
    pub fn width(&self, text: &str, size: f64, bold: bool) -> f64 {
        let face = if bold { &self.bold } else { &self.regular };
        let em = f64::from(face.units_per_em());
        text.chars().map(|c| self.advance(c, bold).map_or(size * 0.6, |adv| f64::from(adv) * size / em)).sum()
    }

    /// The advance of `c` in font units, if the face has a glyph for it.
    fn advance(&self, c: char, bold: bool) -> Option<u16> {
        let face = if bold { &self.bold } else { &self.regular };
        let look_up = || face.glyph_index(c).and_then(|g| face.glyph_hor_advance(g));
        let Some(slot) = self.advances[usize::from(bold)].get(c as usize) else { return look_up() };
        match slot.load(Ordering::Relaxed) {
            0 => {
                let adv = look_up();
                // Two threads may both look a character up: they store the same.
                slot.store(adv.map_or(NO_GLYPH, |a| a.saturating_add(1).min(NO_GLYPH - 1)), Ordering::Relaxed);
                adv
            }
            NO_GLYPH => None,
            known => Some(known - 1),
        }
    }

    /// `text` in at most `lines` lines of at most `width`; the last line ends
    /// in "…" when the text does not fit. Breaks at spaces where a line has
    /// one, else between any two characters (as Japanese is set). Only the
    /// first [`MAX_DRAWN_CHARS`] characters are looked at.
    pub fn wrap(&self, text: &str, size: f64, bold: bool, width: f64, lines: usize) -> Vec<String> {
        let text = &*capped(text);
        // Runs of white space as one space; most names have none to fold.
        let tidy = !text.starts_with(' ')
            && !text.ends_with(' ')
            && !text.contains("  ")
            && !text.contains(|c: char| c.is_whitespace() && c != ' ');
        let folded;
        let text: &str = if tidy {
            text
        } else {
            folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
            &folded
        };
        let mut out = Vec::with_capacity(1);
        let mut rest: &str = text;
        while !rest.is_empty() && out.len() < lines {
            if self.width(rest, size, bold) <= width {
                out.push(rest.to_owned());
                return out;
            }
            if out.len() + 1 == lines {
                out.push(self.ellipsis(rest, size, bold, width));
                return out;
            }
            // The longest prefix that fits, moved back to a space if it has one.
            let mut end = 0;
            let mut w = 0.0;
            for (i, c) in rest.char_indices() {
                let cw = self.width(c.encode_utf8(&mut [0; 4]), size, bold);
                if w + cw > width && end > 0 {
                    break;
                }
                w += cw;
                end = i + c.len_utf8();
            }
            let cut = rest[..end].rfind(' ').filter(|&s| s > 0 && end < rest.len()).unwrap_or(end);
            out.push(rest[..cut].trim_end().to_owned());
            rest = rest[cut..].trim_start();
        }
        out
    }

    /// `text` when it fits in `width`, else its longest start that fits with
    /// "…" after it.
    pub fn fit(&self, text: &str, size: f64, bold: bool, width: f64) -> String {
        let text = &*capped(text);
        if self.width(text, size, bold) <= width { text.to_owned() } else { self.ellipsis(text, size, bold, width) }
    }

    /// The longest start of `text` that fits in `width` with "…" after it.
    fn ellipsis(&self, text: &str, size: f64, bold: bool, width: f64) -> String {
        let room = width - self.width("…", size, bold);
        let mut w = 0.0;
        let mut end = 0;
        for (i, c) in text.char_indices() {
            w += self.width(c.encode_utf8(&mut [0; 4]), size, bold);
            if w > room {
                break;
            }
            end = i + c.len_utf8();
        }
        format!("{}…", text[..end].trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::Measure;

    #[test]
    fn white_space_of_any_kind_folds_to_one_space_before_wrapping() {
        let m = Measure::get();
        let plain = m.wrap("新規 顧客 数", 15.0, true, 1000.0, 2);
        assert_eq!(plain, ["新規 顧客 数"]);
        for messy in [" 新規\u{3000}顧客  数 ", "新規\t顧客\n数", "新規 顧客  数"] {
            assert_eq!(m.wrap(messy, 15.0, true, 1000.0, 2), plain, "{messy:?}");
        }
        // Measured with the cache filled and without: the same widths.
        let first = m.width("売上高（千円）", 15.0, false);
        assert_eq!(m.width("売上高（千円）", 15.0, false), first);
        assert!(first > 0.0);
    }
}
