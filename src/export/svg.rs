//! A [`Scene`] as SVG text: plain shapes and text with explicit attributes,
//! so that usvg (PNG, PDF), browsers and slide programs read it alike.

use std::fmt::Write;
use std::sync::LazyLock;

use super::card_layout::{CardLayout, FIGURE};
use super::measure::{Measure, metrics as m};
use super::palette::{self, hex};
use super::scene::{Scene, legend_width, progress_colour};
use super::{ExportOptions, FONT_FAMILY, Theme};
use crate::model::{Kind, Op};

/// The palette as SVG writes it.
static INK: LazyLock<String> = LazyLock::new(|| hex(palette::INK));
static MUTED: LazyLock<String> = LazyLock::new(|| hex(palette::MUTED));
static WIRE: LazyLock<String> = LazyLock::new(|| hex(palette::WIRE));
static TRACK: LazyLock<String> = LazyLock::new(|| hex(palette::TRACK));
static TREND_TARGET: LazyLock<String> = LazyLock::new(|| hex(palette::TREND_TARGET));
static CONSTANT: LazyLock<String> = LazyLock::new(|| hex(palette::CONSTANT));
static TREND_MARK: LazyLock<String> = LazyLock::new(|| hex(palette::TREND_MARK));

/// Colours of one kind: (accent, card fill for the slide theme).
fn colours(kind: Kind) -> (String, String) {
    (hex(palette::kind(kind)), hex(palette::slide_fill(kind)))
}

/// Escapes text for SVG content and attribute values.
pub(super) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if !xml_char(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document: tab, newline, carriage return,
/// U+0020–U+D7FF, U+E000–U+FFFD and U+10000 and above (the `Char`
/// production; surrogates cannot occur in Rust text). Everything else —
/// C0 controls, U+FFFE, U+FFFF — makes XML readers refuse the whole file,
/// so it is written as a space.
fn xml_char(c: char) -> bool {
    matches!(c as u32, 0x9 | 0xa | 0xd | 0x20..=0xd7ff | 0xe000..=0xfffd | 0x10000..)
}

/// Whether a wrapped line ends in a word of a language written with
/// spaces (then the wrap was at a space).
fn ends_a_word(line: &str) -> bool {
    line.ends_with(|c: char| c.is_ascii_alphanumeric() || matches!(c, ')' | ',' | '.' | '%'))
}

/// A line through `points` (one point: a dot).
fn polyline(out: &mut String, points: &[[f64; 2]], stroke: &str, width: f64, dash: Option<&str>) {
    if let [[x, y]] = points {
        let _ = writeln!(out, r#"<circle cx="{x:.1}" cy="{y:.1}" r="{:.1}" fill="{stroke}"/>"#, width);
        return;
    }
    let pts: Vec<String> = points.iter().map(|[x, y]| format!("{x:.1},{y:.1}")).collect();
    let dash = dash.map_or_else(String::new, |d| format!(r#" stroke-dasharray="{d}""#));
    let _ = writeln!(
        out,
        r#"<polyline points="{}" fill="none" stroke="{stroke}" stroke-width="{width}" stroke-linejoin="round"{dash}/>"#,
        pts.join(" ")
    );
}

pub(super) fn text(out: &mut String, [x, y]: [f64; 2], size: f64, bold: bool, fill: &str, anchor: &str, content: &str) {
    let weight = if bold { " font-weight=\"bold\"" } else { "" };
    let anchor = if anchor == "start" { String::new() } else { format!(" text-anchor=\"{anchor}\"") };
    let _ = writeln!(
        out,
        r#"<text x="{x:.1}" y="{y:.1}" font-size="{size}"{weight} fill="{fill}"{anchor}>{}</text>"#,
        esc(content)
    );
}

/// The SVG document of `scene`.
pub(super) fn write(scene: &Scene, opts: &ExportOptions) -> String {
    let [w, h] = scene.size;
    let mut out = String::with_capacity(1024 + scene.cards.len() * 900);
    let lang = xml_lang(scene, opts);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" xml:lang="{lang}" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="{FONT_FAMILY}, sans-serif">"#
    );
    let _ = writeln!(out, "<title>{}</title>", esc(&scene.title));
    if !opts.transparent {
        let _ = writeln!(out, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    }
    // The title and the legend at the picture's own margins (on a 16:9
    // slide the diagram is centred, its title stays at the top left).
    header(&mut out, scene, opts);
    let [ox, oy] = scene.offset;
    let _ = writeln!(out, r#"<g transform="translate({ox:.1} {oy:.1})">"#);
    for wire in &scene.wires {
        wire_path(&mut out, &wire.points, wire.op);
    }
    for wire in scene.wires.iter().filter(|w| w.show_op) {
        badge(&mut out, wire.badge, wire.op);
    }
    for card in &scene.cards {
        card_svg(&mut out, card, opts.theme);
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// The language of the picture's text, for a viewer that picks a fallback
/// font: Japanese when the labels are or any name or title has kana or
/// kanji (without it, a fallback may draw kanji in Chinese shapes).
fn xml_lang(scene: &Scene, opts: &ExportOptions) -> &'static str {
    let japanese = |text: &str| {
        text.chars().any(|c| matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0xff66..=0xff9f | 0x20000..=0x3134f))
    };
    let mut names = scene.cards.iter().flat_map(|c| c.name.iter());
    if opts.lang == crate::lang::Lang::Ja || japanese(&scene.title) || names.any(|n| japanese(n)) { "ja" } else { "en" }
}

fn header(out: &mut String, scene: &Scene, opts: &ExportOptions) {
    let title_size = if opts.theme == Theme::Slide { 26.0 } else { 22.0 };
    let x = m::MARGIN;
    let y = m::MARGIN + title_size;
    text(out, [x, y], title_size, true, &INK, "start", &scene.title);
    if let Some(sub) = &scene.subtitle {
        text(out, [x, y + 22.0], 13.0, false, &MUTED, "start", sub);
    }
    // Legend at the top right of the diagram.
    let measure = Measure::get();
    let content_right = scene.size[0] - m::MARGIN;
    let mut lx = content_right - legend_width(&scene.legend, measure) + 14.0;
    for (kind, label) in &scene.legend {
        let (accent, _) = colours(*kind);
        let _ =
            writeln!(out, r#"<rect x="{lx:.1}" y="{:.1}" width="14" height="14" rx="3" fill="{accent}"/>"#, y - 12.0);
        text(out, [lx + 20.0, y], 12.0, false, &MUTED, "start", label);
        lx += 14.0 + 6.0 + measure.width(label, 12.0, false) + 14.0;
    }
}

/// Parent → child along the diagram's route: axis-aligned segments with
/// their corners rounded.
fn wire_path(out: &mut String, points: &[[f64; 2]], op: Op) {
    let (Some(first), Some(last)) = (points.first(), points.last()) else { return };
    let dash = if op == Op::Link { r#" stroke-dasharray="6 4""# } else { "" };
    let mut d = format!("M{:.1} {:.1}", first[0], first[1]);
    for k in 1..points.len().saturating_sub(1) {
        let (a, b, c) = (points[k - 1], points[k], points[k + 1]);
        let len = |p: [f64; 2], q: [f64; 2]| (p[0] - q[0]).abs() + (p[1] - q[1]).abs();
        let r = 8.0_f64.min(len(a, b) / 2.0).min(len(b, c) / 2.0);
        let towards = |from: [f64; 2], to: [f64; 2]| {
            let l = len(from, to).max(f64::EPSILON);
            [from[0] + (to[0] - from[0]) / l * r, from[1] + (to[1] - from[1]) / l * r]
        };
        let (p, q) = (towards(b, a), towards(b, c));
        let _ = write!(d, " L{:.1} {:.1} Q{:.1} {:.1} {:.1} {:.1}", p[0], p[1], b[0], b[1], q[0], q[1]);
    }
    let _ = write!(d, " L{:.1} {:.1}", last[0], last[1]);
    let wire = &*WIRE;
    let _ = writeln!(out, r#"<path d="{d}" fill="none" stroke="{wire}" stroke-width="1.6"{dash}/>"#);
}

/// The operator symbol on a term's own branch, just before its child.
fn badge(out: &mut String, [x, y]: [f64; 2], op: Op) {
    let _ = writeln!(
        out,
        r##"<circle cx="{x:.1}" cy="{y:.1}" r="9.5" fill="#ffffff" stroke="{}" stroke-width="1.2"/>"##,
        *MUTED
    );
    text(out, [x, y + 4.6], 14.0, true, &INK, "middle", op.symbol());
}

/// A constant's pill: round ends, its name above its number, centred.
fn constant_svg(out: &mut String, card: &super::Card) {
    let [x, y, w, h] = card.rect;
    let r = (h / 2.0).min(w / 2.0);
    let _ = writeln!(
        out,
        r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{r:.1}" fill="{}" stroke="{}" stroke-width="1"/>"#,
        *CONSTANT, *MUTED
    );
    let l = CardLayout::of(card);
    let measure = Measure::get();
    let line = |centre: f64, bold: bool| y + centre + measure.baseline_below_centre(m::ROW, bold);
    let middle = x + l.middle();
    for (name, &centre) in card.name.iter().zip(&l.name_y) {
        text(out, [middle, line(centre, true)], m::ROW, true, &MUTED, "middle", name);
    }
    for ((_, value), &centre) in card.rows.iter().zip(&l.row_y) {
        text(out, [middle, line(centre, false)], m::ROW, false, &INK, "middle", value);
    }
}

fn card_svg(out: &mut String, card: &super::Card, theme: Theme) {
    if card.constant {
        return constant_svg(out, card);
    }
    let [x, y, w, h] = card.rect;
    let (accent, tint) = colours(card.kind);
    let r = 8.0;
    match theme {
        Theme::Standard => {
            let _ = writeln!(
                out,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{r}" fill="#ffffff" stroke="{accent}" stroke-width="1.5"/>"##
            );
        }
        Theme::Slide => {
            let _ =
                writeln!(out, r#"<rect x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}" rx="{r}" fill="{tint}"/>"#);
        }
    }
    // The coloured band on the left, following the rounded corners.
    let a = m::ACCENT;
    let _ = writeln!(
        out,
        r#"<path d="M{:.1} {y:.1} H{:.1} V{:.1} H{:.1} A{r} {r} 0 0 1 {x:.1} {:.1} V{:.1} A{r} {r} 0 0 1 {:.1} {y:.1} Z" fill="{accent}"/>"#,
        x + r,
        x + a,
        y + h,
        x + r,
        y + h - r,
        y + r,
        x + r
    );
    let l = CardLayout::of(card);
    let measure = Measure::get();
    // Text by the centre line of its row, as the layout gives it.
    let line = |centre: f64, size: f64, bold: bool| y + centre + measure.baseline_below_centre(size, bold);
    let (left, right) = (x + l.left, x + l.right);
    text(out, [left, line(l.kind_y, m::KIND, true)], m::KIND, true, &accent, "start", card.kind.as_str());
    // A wrapped name is one text of a line per tspan, so that a viewer's
    // search and a screen reader find the whole name.
    let _ = write!(out, r#"<text font-size="{}" font-weight="bold" fill="{}">"#, m::NAME, *INK);
    // Words wrapped at a space get it back at the end of their line, where
    // it shows nothing.
    let mut lines = card.name.iter().zip(&l.name_y).peekable();
    while let Some((name, &centre)) = lines.next() {
        let space = match lines.peek() {
            Some((next, _)) if ends_a_word(name) && next.starts_with(|c: char| c.is_ascii_alphanumeric()) => " ",
            _ => "",
        };
        let y = line(centre, m::NAME, true);
        let _ = write!(out, r#"<tspan x="{left:.1}" y="{y:.1}">{}{space}</tspan>"#, esc(name));
    }
    out.push_str("</text>\n");
    for ((label, value), &centre) in card.rows.iter().zip(&l.row_y) {
        text(out, [left, line(centre, m::ROW, false)], m::ROW, false, &MUTED, "start", label);
        text(out, [right, line(centre, m::ROW, true)], m::ROW, true, &INK, "end", value);
    }
    if let (Some(bar), Some(p)) = (&l.bar, card.progress) {
        let colour = progress_colour(p);
        let [bx, by, bw, bh] = bar.rect;
        let (bx, by) = (x + bx, y + by);
        let _ =
            writeln!(out, r#"<rect x="{bx:.1}" y="{by:.1}" width="{bw:.1}" height="{bh}" rx="3" fill="{}"/>"#, *TRACK);
        let fill_w = bw * p.clamp(0.0, 1.0);
        if fill_w > 0.5 {
            let _ = writeln!(
                out,
                r#"<rect x="{bx:.1}" y="{by:.1}" width="{fill_w:.1}" height="{bh}" rx="3" fill="{colour}"/>"#
            );
        }
        let size = l.figure_size();
        let at = [x + bar.figure_at[0], line(bar.figure_at[1], size, true)];
        text(out, at, size, true, &colour, "end", &bar.figure);
    }
    if let (Some(trend), Some(rect)) = (&card.trend, l.trend) {
        let [tx, ty, tw, th] = rect;
        let lines = super::card_layout::TrendLines::of(trend, [x + tx, y + ty, tw, th]);
        if let Some(mx) = lines.marked {
            let _ = writeln!(
                out,
                r#"<line x1="{mx:.1}" y1="{:.1}" x2="{mx:.1}" y2="{:.1}" stroke="{}" stroke-width="1"/>"#,
                y + ty - 2.0,
                y + ty + th + 2.0,
                *TREND_MARK
            );
        }
        for run in &lines.target {
            polyline(out, run, &TREND_TARGET, 1.2, Some("3 2"));
        }
        for run in &lines.actual {
            polyline(out, run, &accent, 1.8, None);
        }
        if let Some([lx, ly]) = lines.last {
            let _ = writeln!(out, r#"<circle cx="{lx:.1}" cy="{ly:.1}" r="2.4" fill="{accent}"/>"#);
        }
    }
    if let Some(pill) = &l.pill {
        let [px, py, pw, ph] = pill.rect;
        let (px, py) = (x + px, y + py);
        let _ = writeln!(
            out,
            r#"<rect x="{px:.1}" y="{py:.1}" width="{pw:.1}" height="{ph:.1}" rx="{:.1}" fill="{}"/>"#,
            ph / 2.0,
            *MUTED
        );
        let baseline = py + ph / 2.0 + measure.baseline_below_centre(FIGURE, true);
        text(out, [px + pw / 2.0, baseline], FIGURE, true, "#ffffff", "middle", &pill.text);
    }
}

#[cfg(test)]
mod tests {
    use super::{esc, xml_char};

    #[test]
    fn every_character_xml_forbids_becomes_a_space() {
        for c in ['\u{0}', '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{fffe}', '\u{ffff}'] {
            assert!(!xml_char(c), "{c:?}");
            assert_eq!(esc(&format!("a{c}b")), "a b", "{c:?}");
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '売',
            '\u{7f}',
            '\u{85}',
            '\u{d7ff}',
            '\u{e000}',
            '\u{fffd}',
            '\u{10000}',
            '\u{10ffff}',
        ] {
            assert!(xml_char(c), "{c:?}");
        }
        assert_eq!(esc("<&>\"'"), "&lt;&amp;&gt;&quot;&apos;");
    }
}
