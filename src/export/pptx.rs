//! The diagram as a PowerPoint file whose shapes stay editable: one 16:9
//! slide drawn from the same [`Scene`] as the PNG (a rounded rectangle per
//! card with its kind, name and values as text, the kind's colour band and
//! the progress bar grouped with it, an elbow connector per wire glued to
//! both cards, an operator circle per term, the title), and optionally one
//! slide per KSF subtree after it.
//!
//! Written by hand (a zip of the few OOXML parts PresentationML needs:
//! content types, presentation, one master, one blank layout, a theme and
//! the slides), not with a PPTX crate: the Rust ones are young and check
//! "opens without repair" only against themselves. What PowerPoint asks to
//! repair was checked part by part (notes in docs/FORMAT.md, "PowerPoint"):
//! a content type for every part, ids unique on a slide, schema order in
//! `a:rPr` (`solidFill`, `latin`, `ea`), connector boxes that already
//! match their glue points (PowerPoint re-routes only when a card moves).

use std::fmt::Write as _;
use std::io::Write as _;

use super::card_layout::{CardLayout, FIGURE};
use super::measure::metrics as m;
use super::palette::{self, Rgb};
use super::{ExportError, ExportOptions, FONT_FAMILY, Scene, Theme};
use crate::eval::Evaluation;
use crate::model::{Document, Kind, NodeId, Op};

/// Slide width and height in EMU (13.333 × 7.5 inches, 16:9).
pub const SLIDE: [i64; 2] = [12_192_000, 6_858_000];
/// The most slides one file gets (the overview and 199 subtrees).
pub const MAX_SLIDES: usize = 200;
/// The fonts PowerPoint falls back on when BIZ UDPGothic is not installed
/// (the theme's Latin and East Asian faces).
pub const FALLBACK_LATIN: &str = "Meiryo";
/// See [`FALLBACK_LATIN`].
pub const FALLBACK_EA: &str = "Yu Gothic";

/// Which slides the file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Slides {
    /// The whole tree on one slide.
    #[default]
    Overview,
    /// The overview, then one slide per KSF subtree.
    Subtrees,
}

const NS: &str = r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main""#;
const DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const CT: &str = "application/vnd.openxmlformats-officedocument";

/// Scene pixels → slide EMU: a scale and an offset that fit the scene into
/// the slide, centred.
#[derive(Debug, Clone, Copy)]
struct Fit {
    k: f64,
    ox: f64,
    oy: f64,
}

impl Fit {
    fn of(size: [f64; 2]) -> Fit {
        let [w, h] = [size[0].max(1.0), size[1].max(1.0)];
        let k = (SLIDE[0] as f64 / w).min(SLIDE[1] as f64 / h);
        Fit { k, ox: (SLIDE[0] as f64 - w * k) / 2.0, oy: (SLIDE[1] as f64 - h * k) / 2.0 }
    }
    #[allow(clippy::cast_possible_truncation, reason = "whole EMU; the cast saturates far past any slide")]
    fn x(&self, x: f64) -> i64 {
        (self.ox + x * self.k).round() as i64
    }
    #[allow(clippy::cast_possible_truncation, reason = "whole EMU; the cast saturates far past any slide")]
    fn y(&self, y: f64) -> i64 {
        (self.oy + y * self.k).round() as i64
    }
    #[allow(clippy::cast_possible_truncation, reason = "whole EMU; the cast saturates far past any slide")]
    fn len(&self, l: f64) -> i64 {
        (l * self.k).round().max(0.0) as i64
    }
    /// A font size in pixels as `sz` (hundredths of a point), at least 1 pt.
    #[allow(clippy::cast_possible_truncation, reason = "rounded and clamped to 100..=400000")]
    fn sz(&self, px: f64) -> i64 {
        ((px * self.k / 127.0).round() as i64).clamp(100, 400_000)
    }
}

/// Text for XML content and attributes: escaped, characters XML forbids
/// as spaces.
fn esc(text: &str) -> String {
    super::svg::esc(text)
}

fn hex([r, g, b]: Rgb) -> String {
    format!("{r:02X}{g:02X}{b:02X}")
}

/// A run of text: Japanese (`lang`, the East Asian face), bold or not, in
/// `colour`. Schema order in `a:rPr`: fill, then `latin`, `ea`.
fn run(text: &str, sz: i64, bold: bool, colour: Rgb) -> String {
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
fn para(algn: &str, line: i64, extra: &str, runs: &str) -> String {
    if line == 0 {
        return format!(r#"<a:p><a:pPr algn="{algn}">{extra}</a:pPr>{runs}</a:p>"#);
    }
    let pts = (line as f64 / 127.0).round().max(100.0) as i64;
    format!(r#"<a:p><a:pPr algn="{algn}"><a:lnSpc><a:spcPts val="{pts}"/></a:lnSpc>{extra}</a:pPr>{runs}</a:p>"#)
}

/// What one slide holds, as XML, with its running shape id.
struct SlideXml {
    shapes: String,
    next_id: u32,
}

impl SlideXml {
    fn id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }
}

/// `<p:spPr>` of a preset shape.
fn sp_pr(rect: [i64; 4], prst: &str, fill: Option<Rgb>, line: Option<(Rgb, i64)>, adj: Option<i64>) -> String {
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
fn shape(id: u32, name: &str, sp: String, insets: [i64; 4], anchor: &str, wrap: bool, paras: &str) -> String {
    let [l, t, r, b] = insets;
    let paras = if paras.is_empty() { "<a:p><a:endParaRPr lang=\"ja-JP\"/></a:p>" } else { paras };
    let wrap = if wrap { "square" } else { "none" };
    format!(
        r#"<p:sp><p:nvSpPr><p:cNvPr id="{id}" name="{}"/><p:cNvSpPr/><p:nvPr/></p:nvSpPr>{sp}<p:txBody><a:bodyPr wrap="{wrap}" lIns="{l}" tIns="{t}" rIns="{r}" bIns="{b}" rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/>{paras}</p:txBody></p:sp>"#,
        esc(name)
    )
}

/// The slide of one scene.
#[allow(clippy::cast_possible_truncation, reason = "shape ids: one per wire and card, fewer than 2^32")]
fn slide(scene: &Scene, opts: &ExportOptions) -> String {
    let fit = Fit::of(scene.size);
    let mut s = SlideXml { shapes: String::with_capacity(2048 + scene.cards.len() * 3000), next_id: 2 };
    title(&mut s, scene, opts, &fit);
    let [ox, oy] = scene.offset;
    let at = |[x, y]: [f64; 2]| [x + ox, y + oy];
    // Ids of the cards' rounded rectangles are fixed first, so that
    // connectors (drawn under the cards) can name them.
    let first_card = s.next_id + scene.wires.len() as u32 + scene.wires.iter().filter(|w| w.show_op).count() as u32;
    let mut card_ids = Vec::with_capacity(scene.cards.len());
    let mut next = first_card;
    for card in &scene.cards {
        card_ids.push(next);
        next += card_parts(card);
    }
    for wire in &scene.wires {
        let id = s.id();
        let (Some(&pid), Some(&cid)) = (card_ids.get(wire.parent as usize), card_ids.get(wire.child as usize)) else {
            continue;
        };
        let from = at(wire.from);
        let to = at(wire.to);
        // The vertical leg: the route's last vertical segment before the child.
        let mid = wire
            .points
            .len()
            .checked_sub(2)
            .and_then(|i| wire.points.get(i))
            .map_or((from[0] + to[0]) / 2.0, |p| p[0] + ox);
        s.shapes.push_str(&connector(id, &fit, from, to, mid, (pid, 3), (cid, 1), wire.op));
    }
    for wire in scene.wires.iter().filter(|w| w.show_op) {
        let id = s.id();
        let [x, y] = at(wire.badge);
        let r = 9.5;
        let rect = [fit.x(x - r), fit.y(y - r), fit.len(2.0 * r), fit.len(2.0 * r)];
        let sp = sp_pr(rect, "ellipse", Some([0xff; 3]), Some((palette::MUTED, fit.len(1.2).max(3175))), None);
        let line = fit.len(2.0 * r);
        let text = para("ctr", line, "", &run(wire.op.symbol(), fit.sz(14.0), true, palette::INK));
        s.shapes.push_str(&shape(id, &format!("op {}", wire.op.symbol()), sp, [0; 4], "ctr", false, &text));
    }
    debug_assert_eq!(s.next_id, first_card);
    for card in &scene.cards {
        card_group(&mut s, card, opts.theme, &fit, [ox, oy]);
    }
    format!(
        r#"{DECL}<p:sld {NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>{}</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"#,
        s.shapes
    )
}

/// The title and subtitle at the scene's top left, and the legend.
fn title(s: &mut SlideXml, scene: &Scene, opts: &ExportOptions, fit: &Fit) {
    let size = if opts.theme == Theme::Slide { 26.0 } else { 22.0 };
    let mut paras = para("l", fit.len(size * 1.3), "", &run(&scene.title, fit.sz(size), true, palette::INK));
    if let Some(sub) = &scene.subtitle {
        paras.push_str(&para("l", fit.len(20.0), "", &run(sub, fit.sz(13.0), false, palette::MUTED)));
    }
    let rect =
        [fit.x(m::MARGIN), fit.y(m::MARGIN - 4.0), fit.len(scene.size[0] - 2.0 * m::MARGIN), fit.len(scene.header)];
    let id = s.id();
    s.shapes.push_str(&shape(id, "title", sp_pr(rect, "rect", None, None, None), [0; 4], "t", true, &paras));
    // The legend at the top right, one small square and label a kind.
    let measure = super::Measure::get();
    let y = m::MARGIN + size;
    let mut lx = scene.size[0] - m::MARGIN - super::scene::legend_width(&scene.legend, measure) + 14.0;
    for (kind, label) in &scene.legend {
        let id = s.id();
        let rect = [fit.x(lx), fit.y(y - 12.0), fit.len(14.0), fit.len(14.0)];
        s.shapes.push_str(&shape(
            id,
            &format!("legend {}", kind.as_str()),
            sp_pr(rect, "roundRect", Some(palette::kind(*kind)), None, Some(20_000)),
            [0; 4],
            "ctr",
            false,
            "",
        ));
        let w = measure.width(label, 12.0, false) + 8.0;
        let id = s.id();
        let rect = [fit.x(lx + 18.0), fit.y(y - 14.0), fit.len(w), fit.len(18.0)];
        let text = para("l", fit.len(18.0), "", &run(label, fit.sz(12.0), false, palette::MUTED));
        s.shapes.push_str(&shape(
            id,
            "legend label",
            sp_pr(rect, "rect", None, None, None),
            [0; 4],
            "ctr",
            false,
            &text,
        ));
        lx += 14.0 + 6.0 + measure.width(label, 12.0, false) + 14.0;
    }
}

/// How many ids a card's group takes: the group, the card, the band, and
/// the bar's track, fill and figure, and the pill.
fn card_parts(card: &super::Card) -> u32 {
    let l = CardLayout::of(card);
    let bar = if l.bar.is_some() && card.progress.is_some() { 3 } else { 0 };
    // The card's id comes first (connectors glue to it); the group's after.
    2 + 1 + bar + u32::from(l.pill.is_some())
}

/// A card as a group: the rounded rectangle with the text (kind, name,
/// values), the colour band, the progress bar and its figure, the pill.
#[allow(clippy::cast_possible_truncation, reason = "rounded and clamped to 0..=50000")]
fn card_group(s: &mut SlideXml, card: &super::Card, theme: Theme, fit: &Fit, [ox, oy]: [f64; 2]) {
    let [x, y, w, h] = card.rect;
    let (x, y) = (x + ox, y + oy);
    let accent = palette::kind(card.kind);
    let l = CardLayout::of(card);
    let card_id = s.id();
    let group_id = s.id();
    let mut inner = String::new();
    let rect = [fit.x(x), fit.y(y), fit.len(w), fit.len(h)];
    // Corner radius 8 px of the shorter side, as the SVG draws it.
    let adj = ((8.0 / w.min(h).max(1.0)) * 100_000.0).round().clamp(0.0, 50_000.0) as i64;
    let (fill, line) = match theme {
        Theme::Standard => ([0xff; 3], Some((accent, fit.len(1.5).max(3175)))),
        Theme::Slide => (palette::slide_fill(card.kind), None),
    };
    // The text, row by row where the layout puts it: exact line spacing
    // from one row's centre line to the next.
    let mut rows: Vec<(f64, String, f64)> = Vec::new(); // (centre, runs, size px)
    rows.push((l.kind_y, run(card.kind.as_str(), fit.sz(m::KIND), true, accent), m::KIND));
    for (name, &c) in card.name.iter().zip(&l.name_y) {
        rows.push((c, run(name, fit.sz(m::NAME), true, palette::INK), m::NAME));
    }
    for ((label, value), &c) in card.rows.iter().zip(&l.row_y) {
        let runs = format!(
            "{}{}{}",
            run(label, fit.sz(m::ROW), false, palette::MUTED),
            run("\t", fit.sz(m::ROW), false, palette::MUTED),
            run(value, fit.sz(m::ROW), true, palette::INK)
        );
        rows.push((c, runs, m::ROW));
    }
    let pitch = |i: usize| -> f64 {
        match (rows.get(i), rows.get(i + 1)) {
            (Some(a), Some(b)) => (b.0 - a.0).max(a.2),
            (Some(a), None) => a.2 * 1.5,
            _ => m::ROW_LINE,
        }
    };
    let top = rows.first().map_or(m::PAD_Y, |r| r.0 - pitch(0) / 2.0).max(0.0);
    // The value ends at the content's right edge (a hair inside it, or a
    // reader wraps the row).
    let tab = format!(r#"<a:tabLst><a:tab pos="{}" algn="r"/></a:tabLst>"#, fit.len(l.right - l.left - 0.5));
    let mut paras = String::new();
    for (i, (_, runs, _)) in rows.iter().enumerate() {
        let extra = if runs.contains("<a:t>\t</a:t>") { tab.as_str() } else { "" };
        paras.push_str(&para("l", fit.len(pitch(i)), extra, runs));
    }
    let insets = [fit.len(l.left), fit.len(top), fit.len(w - l.right), 0];
    inner.push_str(&shape(
        card_id,
        &format!("{} {}", card.kind.as_str(), card.id.as_str()),
        sp_pr(rect, "roundRect", Some(fill), line, Some(adj)),
        insets,
        "t",
        // The layout wrapped the name already: a line is a paragraph, and
        // a reader whose font is a little wider must not wrap it again.
        false,
        &paras,
    ));
    // The band on the left (a plain rectangle: PowerPoint has no shape
    // rounded on one side only that reads as well at this size).
    let band = [fit.x(x + 1.0), fit.y(y + 1.0), fit.len(m::ACCENT), fit.len(h - 2.0)];
    let id = s.id();
    inner.push_str(&shape(id, "band", sp_pr(band, "rect", Some(accent), None, None), [0; 4], "ctr", false, ""));
    if let (Some(bar), Some(p)) = (&l.bar, card.progress) {
        let colour = palette::progress(p);
        let [bx, by, bw, bh] = bar.rect;
        let track = [fit.x(x + bx), fit.y(y + by), fit.len(bw), fit.len(bh)];
        let id = s.id();
        inner.push_str(&shape(
            id,
            "bar",
            sp_pr(track, "roundRect", Some(palette::TRACK), None, Some(50_000)),
            [0; 4],
            "ctr",
            false,
            "",
        ));
        let filled = [track[0], track[1], fit.len(bw * p.clamp(0.0, 1.0)).max(1), track[3]];
        let id = s.id();
        inner.push_str(&shape(
            id,
            "progress",
            sp_pr(filled, "roundRect", Some(colour), None, Some(50_000)),
            [0; 4],
            "ctr",
            false,
            "",
        ));
        let size = l.figure_size();
        let fw = (l.right - (bx + bw)).max(size * 2.0);
        let figure = [fit.x(x + l.right - fw), fit.y(y + bar.figure_at[1] - size), fit.len(fw), fit.len(size * 2.0)];
        let id = s.id();
        let text = para("r", 0, "", &run(&bar.figure, fit.sz(size), true, colour));
        inner.push_str(&shape(id, "achievement", sp_pr(figure, "rect", None, None, None), [0; 4], "ctr", false, &text));
    }
    if let Some(pill) = &l.pill {
        let [px, py, pw, ph] = pill.rect;
        let rect = [fit.x(x + px), fit.y(y + py), fit.len(pw), fit.len(ph)];
        let id = s.id();
        let text = para("ctr", fit.len(ph), "", &run(&pill.text, fit.sz(FIGURE), true, [0xff; 3]));
        inner.push_str(&shape(
            id,
            "folded",
            sp_pr(rect, "roundRect", Some(palette::MUTED), None, Some(50_000)),
            [0; 4],
            "ctr",
            false,
            &text,
        ));
    }
    // The group's box covers its parts (the pill sits right of the card).
    let right = l.pill.as_ref().map_or(x + w, |p| (x + p.rect[0] + p.rect[2]).max(x + w));
    let (gx, gy, gw, gh) = (fit.x(x), fit.y(y), fit.x(right) - fit.x(x), fit.len(h));
    let _ = write!(
        s.shapes,
        r#"<p:grpSp><p:nvGrpSpPr><p:cNvPr id="{group_id}" name="{}"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="{gx}" y="{gy}"/><a:ext cx="{gw}" cy="{gh}"/><a:chOff x="{gx}" y="{gy}"/><a:chExt cx="{gw}" cy="{gh}"/></a:xfrm></p:grpSpPr>{inner}</p:grpSp>"#,
        esc(&format!("card {}", card.id.as_str()))
    );
}

/// An elbow connector (`bentConnector3`) from `from` (glued to `start`) to
/// `to` (glued to `end`), its vertical leg at `mid`; its box already the
/// path PowerPoint would route (it re-routes only when a card moves).
#[allow(clippy::too_many_arguments)]
#[allow(clippy::cast_possible_truncation, reason = "rounded and clamped to ±10^7")]
fn connector(
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

/// The KSF nodes whose subtrees get a slide of their own, in the order
/// the tree lists them (depth first from the goals).
fn subtree_roots(doc: &Document) -> Vec<NodeId> {
    let links = super::Links::of(doc);
    let n = doc.nodes.len();
    let mut roots: Vec<usize> = (0..n).filter(|&i| links.parents[i].is_empty()).collect();
    roots.sort_by_key(|&i| (doc.nodes[i].kind != Kind::Kgi, i));
    let mut seen = vec![false; n];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for start in roots {
        stack.push(start);
        while let Some(v) = stack.pop() {
            if std::mem::replace(&mut seen[v], true) {
                continue;
            }
            if doc.nodes[v].kind == Kind::Ksf && !links.children[v].is_empty() {
                out.push(doc.nodes[v].id.clone());
            }
            stack.extend(links.children[v].iter().rev().map(|&(c, _)| c as usize));
        }
    }
    out
}

/// The presentation of `doc`: the diagram `opts` describes (a subtree with
/// `opts.root`) on one 16:9 slide, then with [`Slides::Subtrees`] one slide
/// per KSF subtree (at most [`MAX_SLIDES`] in all).
pub fn to_pptx(
    doc: &Document,
    eval: &Evaluation,
    opts: &ExportOptions,
    slides: Slides,
) -> Result<Vec<u8>, ExportError> {
    super::check_request(doc, super::Format::Pptx, opts)?;
    let mut scenes = vec![Scene::build(doc, eval, opts)];
    if scenes[0].cards.len() > super::MAX_DRAWN_CARDS {
        return Err(ExportError::TooManyCards {
            cards: scenes[0].cards.len(),
            limit: super::MAX_DRAWN_CARDS,
            format: "PowerPoint",
        });
    }
    if slides == Slides::Subtrees && opts.root.is_none() {
        for root in subtree_roots(doc).into_iter().take(MAX_SLIDES - 1) {
            let sub = ExportOptions { root: Some(root), ..opts.clone() };
            scenes.push(Scene::build(doc, eval, &sub));
        }
    }
    let slides: Vec<String> = scenes.iter().map(|s| slide(s, opts)).collect();
    let title = scenes[0].title.clone();
    package(&slides, &title).map_err(|e| ExportError::Render(format!("the presentation could not be written: {e}")))
}

/// The zip of every part.
fn package(slides: &[String], title: &str) -> std::io::Result<Vec<u8>> {
    let n = slides.len();
    let mut types = String::new();
    let mut ids = String::new();
    let mut rels = String::new();
    for i in 1..=n {
        let _ = write!(
            types,
            r#"<Override PartName="/ppt/slides/slide{i}.xml" ContentType="{CT}.presentationml.slide+xml"/>"#
        );
        let _ = write!(ids, r#"<p:sldId id="{}" r:id="rId{}"/>"#, 255 + i, 9 + i);
        let _ = write!(rels, r#"<Relationship Id="rId{}" Type="{REL}/slide" Target="slides/slide{i}.xml"/>"#, 9 + i);
    }
    let content_types = format!(
        r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="{CT}.presentationml.presentation.main+xml"/><Override PartName="/ppt/slideMasters/slideMaster1.xml" ContentType="{CT}.presentationml.slideMaster+xml"/><Override PartName="/ppt/slideLayouts/slideLayout1.xml" ContentType="{CT}.presentationml.slideLayout+xml"/><Override PartName="/ppt/theme/theme1.xml" ContentType="{CT}.theme+xml"/><Override PartName="/ppt/presProps.xml" ContentType="{CT}.presentationml.presProps+xml"/><Override PartName="/ppt/viewProps.xml" ContentType="{CT}.presentationml.viewProps+xml"/><Override PartName="/ppt/tableStyles.xml" ContentType="{CT}.presentationml.tableStyles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="{CT}.extended-properties+xml"/>{types}</Types>"#
    );
    let root_rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="ppt/presentation.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/></Relationships>"#
    );
    let presentation = format!(
        r#"<p:presentation {NS} saveSubsetFonts="1"><p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst><p:sldIdLst>{ids}</p:sldIdLst><p:sldSz cx="{}" cy="{}"/><p:notesSz cx="6858000" cy="9144000"/><p:defaultTextStyle><a:defPPr><a:defRPr lang="ja-JP"/></a:defPPr></p:defaultTextStyle></p:presentation>"#,
        SLIDE[0], SLIDE[1]
    );
    let presentation_rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/slideMaster" Target="slideMasters/slideMaster1.xml"/><Relationship Id="rId2" Type="{REL}/theme" Target="theme/theme1.xml"/><Relationship Id="rId3" Type="{REL}/presProps" Target="presProps.xml"/><Relationship Id="rId4" Type="{REL}/viewProps" Target="viewProps.xml"/><Relationship Id="rId5" Type="{REL}/tableStyles" Target="tableStyles.xml"/>{rels}</Relationships>"#
    );
    let empty_tree = r#"<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/></p:spTree>"#;
    let master = format!(
        r#"<p:sldMaster {NS}><p:cSld><p:bg><p:bgRef idx="1001"><a:schemeClr val="bg1"/></p:bgRef></p:bg>{empty_tree}</p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst><p:txStyles><p:titleStyle/><p:bodyStyle/><p:otherStyle/></p:txStyles></p:sldMaster>"#
    );
    let master_rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/slideLayout" Target="../slideLayouts/slideLayout1.xml"/><Relationship Id="rId2" Type="{REL}/theme" Target="../theme/theme1.xml"/></Relationships>"#
    );
    let layout = format!(
        r#"<p:sldLayout {NS} type="blank" preserve="1"><p:cSld name="Blank">{empty_tree}</p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"#
    );
    let layout_rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/slideMaster" Target="../slideMasters/slideMaster1.xml"/></Relationships>"#
    );
    let slide_rels = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/slideLayout" Target="../slideLayouts/slideLayout1.xml"/></Relationships>"#
    );
    let pres_props = format!(r#"<p:presentationPr {NS}/>"#);
    let view_props = format!(
        r#"<p:viewPr {NS}><p:normalViewPr><p:restoredLeft sz="15620"/><p:restoredTop sz="94660"/></p:normalViewPr><p:gridSpacing cx="72008" cy="72008"/></p:viewPr>"#
    );
    let table_styles = r#"<a:tblStyleLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" def="{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"/>"#;
    // A fixed date: the same document exports to the same bytes.
    let core = format!(
        r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>kpitree</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>"#,
        esc(title)
    );
    let app = format!(
        r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>kpitree</Application><Slides>{n}</Slides></Properties>"#
    );
    let face = |latin: &str, ea: &str| {
        format!(
            r#"<a:latin typeface="{latin}"/><a:ea typeface="{ea}"/><a:cs typeface=""/><a:font script="Jpan" typeface="{ea}"/>"#
        )
    };
    let fonts = face(FALLBACK_LATIN, FALLBACK_EA);
    let theme = format!(
        r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="kpitree"><a:themeElements><a:clrScheme name="kpitree"><a:dk1><a:srgbClr val="1F2328"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="5F6B7A"/></a:dk2><a:lt2><a:srgbClr val="E6E9EE"/></a:lt2><a:accent1><a:srgbClr val="C43E30"/></a:accent1><a:accent2><a:srgbClr val="D68C1E"/></a:accent2><a:accent3><a:srgbClr val="266EBE"/></a:accent3><a:accent4><a:srgbClr val="2EA043"/></a:accent4><a:accent5><a:srgbClr val="D99A06"/></a:accent5><a:accent6><a:srgbClr val="D2433A"/></a:accent6><a:hlink><a:srgbClr val="0563C1"/></a:hlink><a:folHlink><a:srgbClr val="954F72"/></a:folHlink></a:clrScheme><a:fontScheme name="kpitree"><a:majorFont>{fonts}</a:majorFont><a:minorFont>{fonts}</a:minorFont></a:fontScheme><a:fmtScheme name="kpitree"><a:fillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w="6350"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="12700"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln w="19050"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"#
    );
    let mut parts: Vec<(String, &str)> = vec![
        ("[Content_Types].xml".into(), &content_types),
        ("_rels/.rels".into(), &root_rels),
        ("docProps/core.xml".into(), &core),
        ("docProps/app.xml".into(), &app),
        ("ppt/presentation.xml".into(), &presentation),
        ("ppt/_rels/presentation.xml.rels".into(), &presentation_rels),
        ("ppt/presProps.xml".into(), &pres_props),
        ("ppt/viewProps.xml".into(), &view_props),
        ("ppt/tableStyles.xml".into(), table_styles),
        ("ppt/theme/theme1.xml".into(), &theme),
        ("ppt/slideMasters/slideMaster1.xml".into(), &master),
        ("ppt/slideMasters/_rels/slideMaster1.xml.rels".into(), &master_rels),
        ("ppt/slideLayouts/slideLayout1.xml".into(), &layout),
        ("ppt/slideLayouts/_rels/slideLayout1.xml.rels".into(), &layout_rels),
    ];
    for (i, s) in slides.iter().enumerate() {
        parts.push((format!("ppt/slides/slide{}.xml", i + 1), s));
        parts.push((format!("ppt/slides/_rels/slide{}.xml.rels", i + 1), &slide_rels));
    }
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in parts {
        zip.start_file(name, options).map_err(std::io::Error::other)?;
        if !body.starts_with("<?xml") {
            zip.write_all(DECL.as_bytes())?;
        }
        zip.write_all(body.as_bytes())?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
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
