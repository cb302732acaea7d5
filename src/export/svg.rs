//! A [`Scene`] as SVG text: plain shapes and text with explicit attributes,
//! so that usvg (PNG, PDF), browsers and slide programs read it alike.

use std::fmt::Write;

use super::measure::{Measure, metrics as m};
use super::scene::{Scene, legend_width, progress_colour};
use super::{ExportOptions, FONT_FAMILY, Theme};
use crate::model::{Kind, Op};

/// Colours of one kind: (accent, card fill for the slide theme).
fn colours(kind: Kind) -> (String, &'static str) {
    let [r, g, b] = super::kind_colour(kind);
    let tint = match kind {
        Kind::Kgi => "#fdeeec",
        Kind::Ksf => "#fff5e6",
        Kind::Kpi => "#eaf2fb",
    };
    (format!("#{r:02x}{g:02x}{b:02x}"), tint)
}

const INK: &str = "#1f2328";
const MUTED: &str = "#5f6b7a";
const WIRE: &str = "#8b95a5";

/// Escapes text for SVG content and attribute values.
fn esc(text: &str) -> String {
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

fn text(out: &mut String, [x, y]: [f64; 2], size: f64, bold: bool, fill: &str, anchor: &str, content: &str) {
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
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="{FONT_FAMILY}, sans-serif">"#
    );
    let _ = writeln!(out, "<title>{}</title>", esc(&scene.title));
    if !opts.transparent {
        let _ = writeln!(out, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    }
    let [ox, oy] = scene.offset;
    let _ = writeln!(out, r#"<g transform="translate({ox:.1} {oy:.1})">"#);
    header(&mut out, scene, opts);
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

fn header(out: &mut String, scene: &Scene, opts: &ExportOptions) {
    let title_size = if opts.theme == Theme::Slide { 26.0 } else { 22.0 };
    let x = m::MARGIN;
    let y = m::MARGIN + title_size;
    text(out, [x, y], title_size, true, INK, "start", &scene.title);
    if let Some(sub) = &scene.subtitle {
        text(out, [x, y + 22.0], 13.0, false, MUTED, "start", sub);
    }
    // Legend at the top right of the diagram.
    let measure = Measure::get();
    let content_right = scene.size[0] - 2.0 * scene.offset[0] - m::MARGIN;
    let mut lx = content_right - legend_width(&scene.legend, measure) + 14.0;
    for (kind, label) in &scene.legend {
        let (accent, _) = colours(*kind);
        let _ =
            writeln!(out, r#"<rect x="{lx:.1}" y="{:.1}" width="14" height="14" rx="3" fill="{accent}"/>"#, y - 12.0);
        text(out, [lx + 20.0, y], 12.0, false, MUTED, "start", label);
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
    let _ = writeln!(out, r#"<path d="{d}" fill="none" stroke="{WIRE}" stroke-width="1.6"{dash}/>"#);
}

/// The operator symbol on a term's own branch, just before its child.
fn badge(out: &mut String, [x, y]: [f64; 2], op: Op) {
    let _ = writeln!(
        out,
        r##"<circle cx="{x:.1}" cy="{y:.1}" r="9.5" fill="#ffffff" stroke="{MUTED}" stroke-width="1.2"/>"##
    );
    text(out, [x, y + 4.6], 14.0, true, INK, "middle", op.symbol());
}

fn card_svg(out: &mut String, card: &super::Card, theme: Theme) {
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
    let left = x + a + m::PAD_X;
    let right = x + w - m::PAD_X;
    let mut line = y + m::PAD_Y + 10.0;
    text(out, [left, line], m::KIND, true, &accent, "start", card.kind.as_str());
    line += 4.0;
    for name in card.name.iter() {
        line += m::NAME_LINE;
        text(out, [left, line - 5.0], m::NAME, true, INK, "start", name);
    }
    if card.rows.is_empty() {
        return;
    }
    line += 4.0;
    for (label, value) in card.rows.iter() {
        line += m::ROW_LINE;
        text(out, [left, line - 5.0], m::ROW, false, MUTED, "start", label);
        text(out, [right, line - 5.0], m::ROW, true, INK, "end", value);
    }
    if let Some(p) = card.progress {
        let colour = progress_colour(p);
        let pct = crate::eval::format_percent(p, 0);
        let bar_w = (right - left - 44.0).max(10.0);
        let by = line + 6.0;
        let _ =
            writeln!(out, r##"<rect x="{left:.1}" y="{by:.1}" width="{bar_w:.1}" height="6" rx="3" fill="#e6e9ee"/>"##);
        let fill_w = bar_w * p.clamp(0.0, 1.0);
        if fill_w > 0.5 {
            let _ = writeln!(
                out,
                r#"<rect x="{left:.1}" y="{by:.1}" width="{fill_w:.1}" height="6" rx="3" fill="{colour}"/>"#
            );
        }
        text(out, [right, by + 6.5], m::ROW, true, &colour, "end", &pct);
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
