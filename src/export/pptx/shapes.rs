//! The DrawingML pieces a slide is made of: scene pixels fitted to the
//! slide ([`Fit`]), runs and paragraphs of text, preset shapes and glued
//! connectors.

use std::fmt::Write as _;

use super::SLIDE;
use crate::export::FONT_FAMILY;
use crate::export::palette::{self, Rgb};
use crate::model::Op;

/// Scene pixels → slide EMU: a scale and an offset that fit the scene into
/// the slide, centred.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fit {
    k: f64,
    ox: f64,
    oy: f64,
}

impl Fit {
    pub(super) fn of(size: [f64; 2]) -> Fit {
        let [w, h] = [size[0].max(1.0), size[1].max(1.0)];
        let k = (SLIDE[0] as f64 / w).min(SLIDE[1] as f64 / h);
        Fit { k, ox: (SLIDE[0] as f64 - w * k) / 2.0, oy: (SLIDE[1] as f64 - h * k) / 2.0 }
    }
    #[allow(clippy::cast_possible_truncation, reason = "whole EMU; the cast saturates far past any slide")]
    pub(super) fn x(&self, x: f64) -> i64 {
        (self.ox + x * self.k).round() as i64
    }
    #[allow(clippy::cast_possible_truncation, reason = "whole EMU; the cast saturates far past any slide")]
    pub(super) fn y(&self, y: f64) -> i64 {
        (self.oy + y * self.k).round() as i64
    }
    #[allow(clippy::cast_possible_truncation, reason = "whole EMU; the cast saturates far past any slide")]
    pub(super) fn len(&self, l: f64) -> i64 {
        (l * self.k).round().max(0.0) as i64
    }
    /// A font size in pixels as `sz` (hundredths of a point), at least 1 pt.
    #[allow(clippy::cast_possible_truncation, reason = "rounded and clamped to 100..=400000")]
    pub(super) fn sz(&self, px: f64) -> i64 {
        ((px * self.k / 127.0).round() as i64).clamp(100, 400_000)
    }
}

/// Text for XML content and attributes: escaped, characters XML forbids
/// as spaces.
pub(super) fn esc(text: &str) -> String {
    crate::export::svg::esc(text)
}

pub(super) fn hex([r, g, b]: Rgb) -> String {
    format!("{r:02X}{g:02X}{b:02X}")
}

/// A run of text: Japanese (`lang`, the East Asian face), bold or not, in
/// `colour`. Schema order in `a:rPr`: fill, then `latin`, `ea`.
pub(super) fn run(text: &str, sz: i64, bold: bool, colour: Rgb) -> String {
    format!(
        r#"<a:r><a:rPr lang="ja-JP" altLang="en-US" sz="{sz}" b="{}" dirty="0"><a:solidFill><a:srgbClr val="{}"/></a:solidFill><a:latin typeface="{FONT_FAMILY}" pitchFamily="50" charset="-128"/><a:ea typeface="{FONT_FAMILY}" pitchFamily="50" charset="-128"/></a:rPr><a:t>{}</a:t></a:r>"#,
        u8::from(bold),
        hex(colour),
        esc(text)
    )
}

/// A paragraph with exact line spacing `line` (EMU) and the given runs.
/// (`line` 0: the font's own line height, as a single line centred in its
/// box wants).
#[allow(clippy::cast_possible_truncation, reason = "hundredths of a point, rounded, of a line height")]
pub(super) fn para(algn: &str, line: i64, extra: &str, runs: &str) -> String {
    if line == 0 {
        return format!(r#"<a:p><a:pPr algn="{algn}">{extra}</a:pPr>{runs}</a:p>"#);
    }
    let pts = (line as f64 / 127.0).round().max(100.0) as i64;
    format!(r#"<a:p><a:pPr algn="{algn}"><a:lnSpc><a:spcPts val="{pts}"/></a:lnSpc>{extra}</a:pPr>{runs}</a:p>"#)
}

/// `<p:spPr>` of a preset shape.
pub(super) fn sp_pr(
    rect: [i64; 4],
    prst: &str,
    fill: Option<Rgb>,
    line: Option<(Rgb, i64)>,
    adj: Option<i64>,
) -> String {
    let [x, y, w, h] = rect;
    let av = adj.map_or_else(String::new, |a| format!(r#"<a:gd name="adj" fmla="val {a}"/>"#));
    let fill = fill.map_or_else(
        || "<a:noFill/>".to_owned(),
        |c| format!(r#"<a:solidFill><a:srgbClr val="{}"/></a:solidFill>"#, hex(c)),
    );
    let line = line.map_or_else(
        || "<a:ln><a:noFill/></a:ln>".to_owned(),
        |(c, w)| format!(r#"<a:ln w="{w}"><a:solidFill><a:srgbClr val="{}"/></a:solidFill></a:ln>"#, hex(c)),
    );
    format!(
        r#"<p:spPr><a:xfrm><a:off x="{x}" y="{y}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm><a:prstGeom prst="{prst}"><a:avLst>{av}</a:avLst></a:prstGeom>{fill}{line}</p:spPr>"#
    )
}

/// A shape with text (`paras`, already `<a:p>`s; none: one empty paragraph).
#[allow(clippy::too_many_arguments)]
pub(super) fn shape(
    id: u32,
    name: &str,
    sp: String,
    insets: [i64; 4],
    anchor: &str,
    wrap: bool,
    paras: &str,
) -> String {
    let [l, t, r, b] = insets;
    let paras = if paras.is_empty() { "<a:p><a:endParaRPr lang=\"ja-JP\"/></a:p>" } else { paras };
    let wrap = if wrap { "square" } else { "none" };
    format!(
        r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="{}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>{sp}<p:txBody><a:bodyPr wrap="{wrap}" lIns="{l}" tIns="{t}" rIns="{r}" bIns="{b}" rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/>{paras}</p:txBody></p:sp>"#,
        esc(name)
    )
}

/// A line through runs of points (`runs`, scene pixels; a subpath each),
/// unfilled: a trend line. `dash` is a preset dash (`sysDot`) or none.
pub(super) fn polyline(
    id: u32,
    name: &str,
    fit: &Fit,
    runs: &[Vec<[f64; 2]>],
    (colour, width): (Rgb, f64),
    dash: Option<&str>,
) -> String {
    let points = runs.iter().flatten().map(|&[x, y]| [fit.x(x), fit.y(y)]);
    let (lo, hi) = points.fold(([i64::MAX; 2], [i64::MIN; 2]), |(lo, hi), [x, y]| {
        ([lo[0].min(x), lo[1].min(y)], [hi[0].max(x), hi[1].max(y)])
    });
    if lo[0] > hi[0] {
        return String::new();
    }
    // A flat or single-point line still has a box PowerPoint can scale.
    let (w, h) = ((hi[0] - lo[0]).max(1), (hi[1] - lo[1]).max(1));
    let mut path = String::new();
    for run in runs.iter().filter(|r| !r.is_empty()) {
        for (k, &[x, y]) in run.iter().enumerate() {
            let tag = if k == 0 { "moveTo" } else { "lnTo" };
            let _ = write!(path, r#"<a:{tag}><a:pt x="{}" y="{}"/></a:{tag}>"#, fit.x(x) - lo[0], fit.y(y) - lo[1]);
        }
        // A month alone between gaps: a stroke one EMU long, which the
        // round cap draws as a dot.
        if let [[x, y]] = run.as_slice() {
            let _ = write!(path, r#"<a:lnTo><a:pt x="{}" y="{}"/></a:lnTo>"#, fit.x(*x) - lo[0] + 1, fit.y(*y) - lo[1]);
        }
    }
    let dash = dash.map_or_else(String::new, |d| format!(r#"<a:prstDash val="{d}"/>"#));
    format!(
        r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="{}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{}" y="{}"/><a:ext cx="{w}" cy="{h}"/></a:xfrm><a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/><a:pathLst><a:path w="{w}" h="{h}" fill="none">{path}</a:path></a:pathLst></a:custGeom><a:noFill/><a:ln w="{}" cap="rnd"><a:solidFill><a:srgbClr val="{}"/></a:solidFill>{dash}<a:round/></a:ln></p:spPr></p:sp>"#,
        esc(name),
        lo[0],
        lo[1],
        fit.len(width).max(3175),
        hex(colour)
    )
}

/// A card's colour band: [`m::ACCENT`] wide down its left edge, its outer
/// corners rounded with the card's radius `r`, as the SVG draws it. `[x, y,
/// h]`: the card's left, top and height, scene pixels.
pub(super) fn band(id: u32, fit: &Fit, [x, y, h]: [f64; 3], r: f64, colour: Rgb) -> String {
    let a = crate::export::measure::metrics::ACCENT;
    let (w_px, h_px) = (a.max(r), h);
    let (w, hh) = (fit.len(w_px).max(1), fit.len(h_px).max(1));
    let (r_e, a_e) = (fit.len(r), fit.len(a));
    // From the top edge at the corner's end, left along the band's edge,
    // down, back to the corner, round the two corners.
    let quarter = 5_400_000;
    let path = format!(
        r#"<a:moveTo><a:pt x="{r_e}" y="0"/></a:moveTo><a:lnTo><a:pt x="{a_e}" y="0"/></a:lnTo><a:lnTo><a:pt x="{a_e}" y="{hh}"/></a:lnTo><a:lnTo><a:pt x="{r_e}" y="{hh}"/></a:lnTo><a:arcTo wR="{r_e}" hR="{r_e}" stAng="{quarter}" swAng="{quarter}"/><a:lnTo><a:pt x="0" y="{r_e}"/></a:lnTo><a:arcTo wR="{r_e}" hR="{r_e}" stAng="{}" swAng="{quarter}"/><a:close/>"#,
        2 * quarter
    );
    format!(
        r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="band"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr><a:xfrm><a:off x="{}" y="{}"/><a:ext cx="{w}" cy="{hh}"/></a:xfrm><a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/><a:rect l="0" t="0" r="r" b="b"/><a:pathLst><a:path w="{w}" h="{hh}">{path}</a:path></a:pathLst></a:custGeom><a:solidFill><a:srgbClr val="{}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>"#,
        fit.x(x),
        fit.y(y),
        hex(colour)
    )
}

/// An elbow connector (`bentConnector3`) from `from` (glued to `start`) to
/// `to` (glued to `end`), its vertical leg at `mid`; its box already the
/// path PowerPoint would route (it re-routes only when a card moves).
#[allow(clippy::too_many_arguments)]
#[allow(clippy::cast_possible_truncation, reason = "rounded and clamped to ±10^7")]
pub(super) fn connector(
    id: u32,
    fit: &Fit,
    from: [f64; 2],
    to: [f64; 2],
    mid: f64,
    start: (u32, u32),
    end: (u32, u32),
    op: Op,
) -> String {
    let (x1, y1, x2, y2) = (fit.x(from[0]), fit.y(from[1]), fit.x(to[0]), fit.y(to[1]));
    let (dx, dy) = (x2 - x1, y2 - y1);
    let flip = format!("{}{}", if dx < 0 { r#" flipH="1""# } else { "" }, if dy < 0 { r#" flipV="1""# } else { "" });
    let adj = if dx == 0 {
        50_000
    } else {
        (((fit.x(mid) - x1) as f64 / dx as f64) * 100_000.0).round().clamp(-1e7, 1e7) as i64
    };
    let (prst, av) = if dy == 0 {
        ("straightConnector1", String::new())
    } else {
        ("bentConnector3", format!(r#"<a:gd name="adj1" fmla="val {adj}"/>"#))
    };
    let dash = if op == Op::Link { r#"<a:prstDash val="dash"/>"# } else { "" };
    let w = fit.len(1.6).max(3175);
    format!(
        r#"<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{id}" name="wire {id}"/><p:cNvCxnSpPr><a:stCxn id="{}" idx="{}"/><a:endCxn id="{}" idx="{}"/></p:cNvCxnSpPr><p:nvPr/></p:nvCxnSpPr><p:spPr><a:xfrm{flip}><a:off x="{}" y="{}"/><a:ext cx="{}" cy="{}"/></a:xfrm><a:prstGeom prst="{prst}"><a:avLst>{av}</a:avLst></a:prstGeom><a:ln w="{w}"><a:solidFill><a:srgbClr val="{}"/></a:solidFill>{dash}</a:ln></p:spPr></p:cxnSp>"#,
        start.0,
        start.1,
        end.0,
        end.1,
        x1.min(x2),
        y1.min(y2),
        dx.abs(),
        dy.abs(),
        hex(palette::WIRE)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connector_box_runs_from_its_start_to_its_end() {
        let fit = Fit { k: 1000.0, ox: 0.0, oy: 0.0 };
        // Down and to the right: no flip, the leg at a quarter of the way.
        let c = connector(9, &fit, [10.0, 10.0], [50.0, 30.0], 20.0, (2, 3), (4, 1), Op::Mul);
        assert!(c.contains(r#"<a:xfrm><a:off x="10000" y="10000"/><a:ext cx="40000" cy="20000"/>"#), "{c}");
        assert!(c.contains(r#"fmla="val 25000""#), "{c}");
        assert!(c.contains(r#"<a:stCxn id="2" idx="3"/><a:endCxn id="4" idx="1"/>"#));
        // Up: flipped vertically, the box from the end's y.
        let c = connector(9, &fit, [10.0, 30.0], [50.0, 10.0], 30.0, (2, 3), (4, 1), Op::Link);
        assert!(c.contains(r#"<a:xfrm flipV="1"><a:off x="10000" y="10000"/>"#), "{c}");
        assert!(c.contains("prstDash"));
        // Level: a straight connector.
        let c = connector(9, &fit, [10.0, 10.0], [50.0, 10.0], 30.0, (2, 3), (4, 1), Op::Add);
        assert!(c.contains("straightConnector1"));
    }

    #[test]
    fn a_scene_fills_the_slide_keeping_its_shape() {
        let wide = Fit::of([1600.0, 400.0]);
        assert_eq!(wide.x(0.0), 0);
        assert_eq!(wide.x(1600.0), SLIDE[0]);
        assert!(wide.y(0.0) > 0 && wide.y(400.0) < SLIDE[1]);
        let tall = Fit::of([400.0, 900.0]);
        assert_eq!((tall.y(0.0), tall.y(900.0)), (0, SLIDE[1]));
    }
}
