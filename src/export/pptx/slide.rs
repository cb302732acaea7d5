//! The slide of one scene: its title and legend, a connector per wire, an
//! operator circle per term and a group of shapes per card.

use std::fmt::Write as _;

use super::shapes::{Fit, band, connector, esc, para, polyline, run, shape, sp_pr};
use super::{DECL, NS};
use crate::export::card_layout::{CardLayout, FIGURE, TrendLines};
use crate::export::measure::metrics as m;
use crate::export::palette;
use crate::export::{Card, ExportOptions, Scene, Theme};

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

/// The slide of one scene.
#[allow(clippy::cast_possible_truncation, reason = "shape ids: one per wire and card, fewer than 2^32")]
pub(super) fn slide(scene: &Scene, opts: &ExportOptions) -> String {
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
    let measure = crate::export::Measure::get();
    let y = m::MARGIN + size;
    let mut lx = scene.size[0] - m::MARGIN - crate::export::scene::legend_width(&scene.legend, measure) + 14.0;
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

/// How many ids a card's group takes: the card and the group; the band,
/// the bar's track, fill and figure and the trend's parts (none of them on
/// a constant's pill); and the 「＋N」 pill.
fn card_parts(card: &Card) -> u32 {
    let l = CardLayout::of(card);
    // The card's id comes first (connectors glue to it); the group's after.
    let pill = u32::from(l.pill.is_some());
    if card.constant {
        return 2 + pill;
    }
    let bar = if l.bar.is_some() && card.progress.is_some() { 3 } else { 0 };
    let trend = trend_lines(card, &l).map_or(0, |t| {
        u32::from(t.marked.is_some())
            + u32::from(!t.target.is_empty())
            + u32::from(!t.actual.is_empty())
            + u32::from(t.last.is_some())
    });
    2 + 1 + bar + trend + pill
}

/// A card's trend laid out in its box, in the card's own coordinates.
fn trend_lines(card: &Card, l: &CardLayout) -> Option<TrendLines> {
    let (trend, rect) = (card.trend.as_ref()?, l.trend?);
    Some(TrendLines::of(trend, rect))
}

/// A card as a group: the rounded rectangle with the text (kind, name,
/// values), the colour band, the progress bar and its figure, the pill.
#[allow(clippy::cast_possible_truncation, reason = "rounded and clamped to 0..=50000")]
fn card_group(s: &mut SlideXml, card: &Card, theme: Theme, fit: &Fit, [ox, oy]: [f64; 2]) {
    let [x, y, w, h] = card.rect;
    let (x, y) = (x + ox, y + oy);
    let accent = palette::kind(card.kind);
    let l = CardLayout::of(card);
    let card_id = s.id();
    let group_id = s.id();
    let mut inner = String::new();
    if card.constant {
        inner.push_str(&constant_shape(card_id, card, &l, fit, [x, y]));
        pill_shape(s, &mut inner, &l, fit, [x, y]);
        return group(s, group_id, card, &l, inner, fit, [x, y]);
    }
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
    // PowerPoint lays text out in a rounded rectangle's text box, inset
    // from the shape by a share of the corner: the insets leave that out.
    let inset = round_rect_inset(w, h, adj);
    let insets = [fit.len(l.left - inset), fit.len(top - inset), fit.len(w - l.right - inset), 0];
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
    // The band on the left, following the card's rounded corners.
    let id = s.id();
    inner.push_str(&band(id, fit, [x, y, h], 8.0_f64.min(w / 2.0).min(h / 2.0), accent));
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
    if let Some(lines) = trend_lines(card, &l) {
        trend_shapes(s, &mut inner, &lines, &l, fit, [x, y], accent);
    }
    pill_shape(s, &mut inner, &l, fit, [x, y]);
    group(s, group_id, card, &l, inner, fit, [x, y]);
}

/// The trend at a card's foot, as the SVG draws it: the period shown as an
/// upright line, the targets dotted, the actuals in the kind's colour and a
/// dot on the latest actual. `lines` is in the card's own coordinates.
fn trend_shapes(
    s: &mut SlideXml,
    inner: &mut String,
    lines: &TrendLines,
    l: &CardLayout,
    fit: &Fit,
    [x, y]: [f64; 2],
    accent: palette::Rgb,
) {
    let at = |run: &Vec<[f64; 2]>| run.iter().map(|&[px, py]| [x + px, y + py]).collect::<Vec<_>>();
    if let (Some(mx), Some([_, ty, _, th])) = (lines.marked, l.trend) {
        let id = s.id();
        let rect = [fit.x(x + mx), fit.y(y + ty - 2.0), 0, fit.len(th + 4.0)];
        let sp = sp_pr(rect, "line", None, Some((palette::TREND_MARK, fit.len(1.0).max(3175))), None);
        inner.push_str(&shape(id, "period shown", sp, [0; 4], "ctr", false, ""));
    }
    if !lines.target.is_empty() {
        let id = s.id();
        let runs: Vec<_> = lines.target.iter().map(at).collect();
        inner.push_str(&polyline(id, "trend target", fit, &runs, (palette::TREND_TARGET, 1.2), Some("sysDot")));
    }
    if !lines.actual.is_empty() {
        let id = s.id();
        let runs: Vec<_> = lines.actual.iter().map(at).collect();
        inner.push_str(&polyline(id, "trend actual", fit, &runs, (accent, 1.8), None));
    }
    if let Some([lx, ly]) = lines.last {
        let id = s.id();
        let r = 2.4;
        let rect = [fit.x(x + lx - r), fit.y(y + ly - r), fit.len(2.0 * r).max(1), fit.len(2.0 * r).max(1)];
        let sp = sp_pr(rect, "ellipse", Some(accent), None, None);
        inner.push_str(&shape(id, "latest actual", sp, [0; 4], "ctr", false, ""));
    }
}

/// A constant's pill: round ends, its name above its number, centred.
fn constant_shape(id: u32, card: &Card, l: &CardLayout, fit: &Fit, [x, y]: [f64; 2]) -> String {
    let [_, _, w, h] = card.rect;
    let rect = [fit.x(x), fit.y(y), fit.len(w), fit.len(h)];
    let mut paras = String::new();
    for name in card.name.iter() {
        paras.push_str(&para("ctr", fit.len(m::ROW_LINE), "", &run(name, fit.sz(m::ROW), true, palette::MUTED)));
    }
    for (_, value) in card.rows.iter() {
        paras.push_str(&para("ctr", fit.len(m::ROW_LINE), "", &run(value, fit.sz(m::ROW), false, palette::INK)));
    }
    // The lines centred down the pill as the layout centres them; across,
    // the text box's inset (a quarter and more of the round end) left out.
    let inset = round_rect_inset(w, h, 50_000);
    let side = fit.len(l.left - inset);
    let insets = [side, 0, side, 0];
    let sp =
        sp_pr(rect, "roundRect", Some(palette::CONSTANT), Some((palette::MUTED, fit.len(1.0).max(3175))), Some(50_000));
    shape(id, &format!("constant {}", card.id.as_str()), sp, insets, "ctr", false, &paras)
}

/// How far inside a `roundRect` of `w` × `h` with corner `adj` (of 100 000:
/// the radius as a share of the shorter side) its text box begins, on
/// every side: the radius × (1 − 1/√2), as the preset defines it.
fn round_rect_inset(w: f64, h: f64, adj: i64) -> f64 {
    let radius = w.min(h).max(0.0) * adj as f64 / 100_000.0;
    radius * (1.0 - std::f64::consts::FRAC_1_SQRT_2)
}

/// The 「＋N」 pill right of a card that hides nodes.
fn pill_shape(s: &mut SlideXml, inner: &mut String, l: &CardLayout, fit: &Fit, [x, y]: [f64; 2]) {
    let Some(pill) = &l.pill else { return };
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

/// The card's parts as one group, whose box covers them (the pill sits
/// right of the card).
fn group(s: &mut SlideXml, group_id: u32, card: &Card, l: &CardLayout, inner: String, fit: &Fit, [x, y]: [f64; 2]) {
    let [_, _, w, h] = card.rect;
    let right = l.pill.as_ref().map_or(x + w, |p| (x + p.rect[0] + p.rect[2]).max(x + w));
    let (gx, gy, gw, gh) = (fit.x(x), fit.y(y), fit.x(right) - fit.x(x), fit.len(h));
    let _ = write!(
        s.shapes,
        r#"<p:grpSp><p:nvGrpSpPr><p:cNvPr id="{group_id}" name="{}"/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="{gx}" y="{gy}"/><a:ext cx="{gw}" cy="{gh}"/><a:chOff x="{gx}" y="{gy}"/><a:chExt cx="{gw}" cy="{gh}"/></a:xfrm></p:grpSpPr>{inner}</p:grpSp>"#,
        esc(&format!("card {}", card.id.as_str()))
    );
}
