//! Drawing the diagram on screen, in screen pixels (so text is crisp at any
//! zoom), at one of three levels of detail: full cards, compact cards and
//! overview boxes. Names are never drawn smaller than [`MIN_TEXT`] pixels.
//! The wires, their badges and the wire handle are drawn by `wires.rs`.

use egui::epaint::Mesh;
use egui::{
    Align2, Color32, CornerRadius, FontFamily, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, pos2, vec2,
};

use crate::export::card_layout::{self, CardLayout, Pill};
use crate::export::{Card, metrics as m};
use crate::lang::Lang;
use crate::model::{Kind, Op};
use crate::ui::card::{kind_color, progress_color};

/// The smallest text the canvas draws, in screen pixels.
pub const MIN_TEXT: f32 = 12.0;

/// How much of a card is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Lod {
    /// Boxes; names for the upper levels only, beside them.
    Overview,
    /// The kind's colour, the name in a larger face, the progress bar.
    Compact,
    /// Everything, as exported.
    Full,
}

impl Lod {
    /// The zooms at which the form of the cards changes.
    pub fn steps() -> [f32; 2] {
        [MIN_TEXT / m::NAME as f32, COMPACT_FROM]
    }

    /// The level of detail at `zoom`: full cards while their names are at
    /// least [`MIN_TEXT`] pixels, compact while a compact name still fits.
    pub fn at(zoom: f32) -> Lod {
        if zoom * m::NAME as f32 >= MIN_TEXT {
            Lod::Full
        } else if zoom >= COMPACT_FROM {
            Lod::Compact
        } else {
            Lod::Overview
        }
    }
}

/// Below this zoom a card is too small even for a compact name.
pub const COMPACT_FROM: f32 = 0.3;

/// The canvas's fonts: the bundled BIZ UDPGothic, as the export measures it.
pub fn font(size: f32, bold: bool) -> FontId {
    // Half-pixel steps: smooth enough while zooming, and the glyph cache
    // does not fill with a size per frame.
    let size = (size * 2.0).round() / 2.0;
    FontId::new(size, FontFamily::Name(if bold { crate::ui::fonts::BOLD } else { crate::ui::fonts::REGULAR }.into()))
}

/// Colours of the canvas.
pub mod colour {
    use crate::export::palette;
    use egui::Color32;

    /// A colour of the export's palette.
    const fn c(rgb: palette::Rgb) -> Color32 {
        Color32::from_rgb(rgb[0], rgb[1], rgb[2])
    }

    /// Ink of names and values.
    pub const INK: Color32 = c(palette::INK);
    /// Labels and secondary text.
    pub const MUTED: Color32 = c(palette::MUTED);
    /// Wires.
    pub const WIRE: Color32 = c(palette::WIRE);
    /// The target line of a card's trend.
    pub const TREND_TARGET: Color32 = c(palette::TREND_TARGET);
    pub const TREND_MARK: Color32 = c(palette::TREND_MARK);
    /// A constant's pill.
    pub const CONSTANT: Color32 = c(palette::CONSTANT);
    /// The selection: one style everywhere.
    pub const SELECTION: Color32 = Color32::from_rgb(0x1a, 0x73, 0xe8);
    /// Hover and the path to the goal.
    pub const HOVER: Color32 = Color32::from_rgb(0x5b, 0x8d, 0xd9);
    /// A valid drop target.
    pub const VALID: Color32 = Color32::from_rgb(0x1e, 0x8e, 0x3e);
    /// An invalid drop target.
    pub const INVALID: Color32 = Color32::from_rgb(0xd0, 0x3b, 0x3b);
    /// Errors.
    pub const ERROR: Color32 = Color32::from_rgb(0xc6, 0x28, 0x28);
    /// Warnings.
    pub const WARNING: Color32 = Color32::from_rgb(0xd9, 0x8e, 0x04);
    /// Bottleneck ranks.
    pub const RANK: Color32 = Color32::from_rgb(0xb4, 0x3c, 0x0a);
    /// What-if overrides.
    pub const WHAT_IF: Color32 = Color32::from_rgb(0x7b, 0x3f, 0xb0);
    /// Shared nodes.
    pub const SHARED: Color32 = Color32::from_rgb(0x0f, 0x76, 0x6e);
    /// Search matches.
    pub const MATCH: Color32 = Color32::from_rgb(0xf5, 0xc5, 0x18);
    /// The progress bar's track.
    pub const TRACK: Color32 = c(palette::TRACK);
}

/// The operator's colour on badges.
pub fn op_colour(op: Op) -> Color32 {
    match op {
        Op::Add => Color32::from_rgb(30, 120, 60),
        Op::Sub => Color32::from_rgb(180, 50, 50),
        Op::Mul => Color32::from_rgb(40, 80, 170),
        Op::Div => Color32::from_rgb(130, 60, 160),
        Op::Link => Color32::GRAY,
    }
}

/// A light tint of a kind's colour, for compact cards and boxes.
fn tint(kind: Kind, amount: f32) -> Color32 {
    let [r, g, b] = crate::export::palette::tint(kind, amount);
    Color32::from_rgb(r, g, b)
}

/// How a card is highlighted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Highlight {
    /// In the selection.
    pub selected: bool,
    /// Under the pointer, or on the hovered card's path to the goal.
    pub hovered: bool,
    /// A drop target: valid (true) or not.
    pub drop: Option<bool>,
    /// Drawn faded (presentation focus elsewhere, or being dragged).
    pub faded: bool,
    /// A match of the search.
    pub matched: bool,
}

/// Where the parts of a full card are, in screen pixels, so that clicks
/// find them: the collapse chevron and the wire handle.
pub fn chevron_rect(screen: Rect, zoom: f32) -> Rect {
    let size = (14.0 * zoom).clamp(10.0, 18.0);
    Rect::from_min_size(
        pos2(screen.max.x - size - 4.0 * zoom.min(1.0), screen.min.y + 4.0 * zoom.min(1.0)),
        vec2(size, size),
    )
}

/// The wire handle: a small circle on the right edge.
pub fn handle_centre(screen: Rect) -> Pos2 {
    screen.right_center() + vec2(2.0, 0.0)
}

/// Radius of the wire handle, in screen pixels.
pub const HANDLE_RADIUS: f32 = 7.0;

fn outline(h: Highlight, kind: Kind) -> Stroke {
    match (h.drop, h.selected, h.hovered) {
        (Some(true), ..) => Stroke::new(3.0, colour::VALID),
        (Some(false), ..) => Stroke::new(3.0, colour::INVALID),
        (None, true, _) => Stroke::new(3.0, colour::SELECTION),
        (None, false, true) => Stroke::new(2.0, colour::HOVER),
        _ => Stroke::new(1.5, kind_color(kind)),
    }
}

fn faded(c: Color32, h: Highlight) -> Color32 {
    if h.faded { c.gamma_multiply(0.35) } else { c }
}

/// Draws one card at `lod` into `screen`.
pub fn card(painter: &Painter, card: &Card, screen: Rect, zoom: f32, lod: Lod, h: Highlight, lang: Lang) {
    match lod {
        Lod::Full => full_card(painter, card, screen, zoom, h, lang),
        Lod::Compact => compact_card(painter, card, screen, zoom, h),
        Lod::Overview => {}
    }
    if h.matched && lod != Lod::Overview {
        // Search matches: a yellow marker ring, under the selection's.
        painter.rect_stroke(
            screen.expand(2.0),
            CornerRadius::same(9),
            Stroke::new(4.0, colour::MATCH),
            StrokeKind::Outside,
        );
    }
    if h.selected && lod != Lod::Overview {
        // The one selection style: a blue outline with a soft halo.
        painter.rect_stroke(
            screen.expand(3.0),
            CornerRadius::same(10),
            Stroke::new(3.0, colour::SELECTION.gamma_multiply(0.25)),
            StrokeKind::Outside,
        );
    }
}

/// A constant's pill: round ends, its name above its number, centred; at
/// a zoom too small for the text, the pill alone.
fn constant_card(painter: &Painter, card: &Card, r: Rect, z: f32, h: Highlight, text: bool) {
    let radius = CornerRadius::same((r.height().min(r.width()) / 2.0).min(255.0) as u8);
    let outline = if h.hovered || h.selected { outline(h, card.kind) } else { Stroke::new(1.0, colour::MUTED) };
    painter.rect(r, radius, faded(colour::CONSTANT, h), outline, StrokeKind::Inside);
    if !text {
        return;
    }
    let l = CardLayout::of(card);
    let x = r.min.x + l.middle() as f32 * z;
    let size = (m::ROW as f32 * z).max(MIN_TEXT);
    for (line, &y) in card.name.iter().zip(&l.name_y) {
        let at = pos2(x, r.min.y + y as f32 * z);
        painter.text(at, Align2::CENTER_CENTER, line, font(size, true), faded(colour::MUTED, h));
    }
    for ((_, value), &y) in card.rows.iter().zip(&l.row_y) {
        let at = pos2(x, r.min.y + y as f32 * z);
        painter.text(at, Align2::CENTER_CENTER, value, font(size, false), faded(colour::INK, h));
    }
}

fn full_card(painter: &Painter, card: &Card, r: Rect, z: f32, h: Highlight, lang: Lang) {
    if card.constant {
        return constant_card(painter, card, r, z, h, true);
    }
    let s = |v: f64| v as f32 * z;
    let accent = kind_color(card.kind);
    let radius = CornerRadius::same(s(8.0).clamp(2.0, 16.0) as u8);
    let fill = if card.kind == Kind::Ksf { Color32::from_rgb(255, 250, 240) } else { Color32::WHITE };
    painter.rect(r, radius, faded(fill, h), outline(h, card.kind), StrokeKind::Inside);
    let band = Rect::from_min_size(r.min, vec2(s(m::ACCENT), r.height()));
    let band_radius = CornerRadius { nw: radius.nw, sw: radius.sw, ne: 0, se: 0 };
    painter.rect_filled(band, band_radius, faded(accent, h));
    let l = CardLayout::of(card);
    let at = |x: f64, y: f64| pos2(r.min.x + s(x), r.min.y + s(y));
    let (left, right) = (l.left, l.right);
    let ink = faded(colour::INK, h);
    let muted = faded(colour::MUTED, h);

    // The kind row: KGI / KSF / KPI, "=" for a computed node, then the marks.
    let kind_rect = painter.text(
        at(left, l.kind_y),
        Align2::LEFT_CENTER,
        card.kind.as_str(),
        font(s(m::KIND).max(9.0), true),
        faded(accent, h),
    );
    if card.marks.computed {
        painter.text(
            pos2(kind_rect.max.x + s(5.0), kind_rect.center().y),
            Align2::LEFT_CENTER,
            "=",
            font(s(m::KIND + 2.0).max(10.0), true),
            muted,
        );
    }
    let mark_right = if card.has_children { chevron_rect(r, z).min.x - s(4.0) } else { at(right, 0.0).x };
    marks(painter, card, pos2(mark_right, at(0.0, l.kind_y).y), z, lang, h);
    if card.has_children {
        chevron(painter, chevron_rect(r, z), card.collapsed.is_some(), muted);
    }

    // The name, as the export wrapped it (the same font, the same widths).
    for (line, &y) in card.name.iter().zip(&l.name_y) {
        painter.text(at(left, y), Align2::LEFT_CENTER, line, font(s(m::NAME), true), ink);
    }
    for ((label, value), &y) in card.rows.iter().zip(&l.row_y) {
        painter.text(at(left, y), Align2::LEFT_CENTER, label, font(s(m::ROW), false), muted);
        painter.text(at(right, y), Align2::RIGHT_CENTER, value, font(s(m::ROW), true), ink);
    }
    if let (Some(bar), Some(p)) = (&l.bar, card.progress) {
        let [bx, by, bw, bh] = bar.rect;
        let track = Rect::from_min_size(at(bx, by), vec2(s(bw), s(bh)));
        let radius = CornerRadius::same(s(bh / 2.0) as u8);
        painter.rect_filled(track, radius, faded(colour::TRACK, h));
        let filled = track.with_max_x(track.min.x + track.width() * p.clamp(0.0, 1.0) as f32);
        painter.rect_filled(filled, radius, faded(progress_color(p), h));
        let [fx, fy] = bar.figure_at;
        let size = font(s(l.figure_size()), true);
        painter.text(at(fx, fy), Align2::RIGHT_CENTER, &bar.figure, size, faded(progress_color(p), h));
    }
    if let (Some(trend), Some(rect)) = (&card.trend, l.trend) {
        let [tx, ty, tw, th] = rect;
        let lines = card_layout::TrendLines::of(trend, [tx, ty, tw, th]);
        let to_screen = |[x, y]: [f64; 2]| at(x, y);
        if let Some(mx) = lines.marked {
            let (a, b) = (at(mx, ty - 2.0), at(mx, ty + th + 2.0));
            painter.line_segment([a, b], Stroke::new(1.0, faded(colour::TREND_MARK, h)));
        }
        for run in &lines.target {
            let points: Vec<Pos2> = run.iter().copied().map(to_screen).collect();
            let stroke = Stroke::new(1.2, faded(colour::TREND_TARGET, h));
            painter.extend(Shape::dashed_line(&points, stroke, 3.0 * z, 2.0 * z));
        }
        for run in &lines.actual {
            let points: Vec<Pos2> = run.iter().copied().map(to_screen).collect();
            if points.len() == 1 {
                painter.circle_filled(points[0], 2.0, faded(accent, h));
            } else {
                painter.add(Shape::line(points, Stroke::new(1.8, faded(accent, h))));
            }
        }
        if let Some(last) = lines.last {
            painter.circle_filled(to_screen(last), (2.4 * z).max(2.0), faded(accent, h));
        }
    }
    if let Some(pill) = &l.pill {
        folded_count(painter, r, pill, z);
    }
}

fn compact_card(painter: &Painter, card: &Card, r: Rect, z: f32, h: Highlight) {
    if card.constant {
        return constant_card(painter, card, r, z, h, false);
    }
    let accent = kind_color(card.kind);
    let radius = CornerRadius::same((8.0 * z).clamp(2.0, 8.0) as u8);
    painter.rect(r, radius, faded(tint(card.kind, 0.16), h), outline(h, card.kind), StrokeKind::Inside);
    let band = Rect::from_min_size(r.min, vec2((m::ACCENT as f32 * z).max(3.0), r.height()));
    painter.rect_filled(band, CornerRadius { nw: radius.nw, sw: radius.sw, ne: 0, se: 0 }, faded(accent, h));
    let pad = (8.0 * z).max(3.0);
    let inner = Rect::from_min_max(pos2(band.max.x + pad, r.min.y + pad), pos2(r.max.x - pad, r.max.y - pad));
    // The name in a face larger than the card's own at this zoom, as many
    // lines as fit, ending in "…".
    let size = MIN_TEXT.max(13.0);
    let bar_h = if card.progress.is_some() { (6.0 * z).max(3.0) + 2.0 } else { 0.0 };
    // The progress in figures above the bar, where a line of them fits
    // under one line of the name.
    let figures_h = MIN_TEXT * 1.25;
    let figures = card.progress.is_some() && inner.height() - bar_h >= size * 1.2 + figures_h;
    let name_h = inner.height() - bar_h - if figures { figures_h } else { 0.0 };
    let rows = ((name_h / (size * 1.2)).floor() as usize).max(1);
    let name = card.name.join("");
    let mut job = egui::text::LayoutJob::single_section(
        name,
        egui::TextFormat { font_id: font(size, true), color: faded(colour::INK, h), ..Default::default() },
    );
    job.wrap = egui::text::TextWrapping {
        max_width: inner.width().max(size),
        max_rows: rows,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    let galley = painter.layout_job(job);
    painter.with_clip_rect(r).galley(inner.min, galley, colour::INK);
    if let Some(p) = card.progress {
        let bar = Rect::from_min_max(pos2(inner.min.x, inner.max.y - bar_h + 2.0), inner.max);
        painter.rect_filled(bar, CornerRadius::same(2), faded(colour::TRACK, h));
        let filled = bar.with_max_x(bar.min.x + bar.width() * p.clamp(0.0, 1.0) as f32);
        painter.rect_filled(filled, CornerRadius::same(2), faded(progress_color(p), h));
        if figures {
            let text = crate::format::percent(p, 0);
            let at = pos2(inner.max.x, bar.min.y - 2.0);
            painter.text(at, Align2::RIGHT_BOTTOM, text, font(MIN_TEXT, true), faded(colour::INK, h));
        }
    }
    if card.marks.errors > 0 || card.marks.warnings > 0 {
        let c = if card.marks.errors > 0 { colour::ERROR } else { colour::WARNING };
        painter.circle_filled(pos2(r.max.x - 6.0, r.min.y + 6.0), 4.0, c);
    }
    if let Some(pill) = CardLayout::of(card).pill {
        folded_count(painter, r, &pill, z);
    }
}

/// The 「＋N」 pill of a folded card, where the layout puts it, kept clear
/// of the wire handle (a fixed size on screen) when zoomed far out.
fn folded_count(painter: &Painter, r: Rect, pill: &Pill, z: f32) {
    let f = font(MIN_TEXT.max(card_layout::FIGURE as f32 * z.min(1.2)), true);
    let galley = painter.layout_no_wrap(pill.text.clone(), f, Color32::WHITE);
    let size = galley.size() + vec2(12.0, 4.0);
    let x = r.min.x + (pill.rect[0] as f32 * z).max(r.width() + HANDLE_RADIUS * 2.0 + 6.0);
    let pill = Rect::from_min_size(pos2(x, r.center().y - size.y / 2.0), size);
    painter.rect_filled(pill, CornerRadius::same((size.y / 2.0) as u8), colour::MUTED);
    painter.galley(pill.min + vec2(6.0, 2.0), galley, Color32::WHITE);
}

fn chevron(painter: &Painter, r: Rect, collapsed: bool, c: Color32) {
    let (cx, cy, w) = (r.center().x, r.center().y, r.width() * 0.28);
    let points = if collapsed {
        vec![pos2(cx - w * 0.6, cy - w), pos2(cx + w * 0.8, cy), pos2(cx - w * 0.6, cy + w)]
    } else {
        vec![pos2(cx - w, cy - w * 0.6), pos2(cx + w, cy - w * 0.6), pos2(cx, cy + w * 0.8)]
    };
    painter.add(Shape::convex_polygon(points, c, Stroke::NONE));
}

/// The marks of a card, right-aligned to `right` on the kind row: each its
/// own shape and colour, so none reads as another.
fn marks(painter: &Painter, card: &Card, right: Pos2, z: f32, lang: Lang, h: Highlight) {
    let mut x = right.x;
    let y = right.y;
    let size = (13.0 * z).clamp(11.0, 20.0);
    let small = font(size * 0.78, true);
    let mut place = |w: f32| {
        x -= w;
        let at = x;
        x -= 4.0 * z.min(1.0);
        at
    };
    if card.marks.errors > 0 || card.marks.warnings > 0 {
        // A round badge with "!" and the count: red for errors, amber for warnings.
        let (c, n) = if card.marks.errors > 0 {
            (colour::ERROR, card.marks.errors + card.marks.warnings)
        } else {
            (colour::WARNING, card.marks.warnings)
        };
        let count = n.to_string();
        let w = size + painter.layout_no_wrap(count.clone(), small.clone(), c).size().x + 2.0;
        let at = place(w);
        painter.circle_filled(pos2(at + size / 2.0, y), size / 2.0, faded(c, h));
        painter.text(pos2(at + size / 2.0, y), Align2::CENTER_CENTER, "!", small.clone(), Color32::WHITE);
        painter.text(pos2(at + size + 2.0, y), Align2::LEFT_CENTER, count, small.clone(), faded(c, h));
    }
    if let Some(rank) = card.marks.bottleneck {
        // A square with the rank: "the biggest lever", not a warning.
        let at = place(size);
        let sq = Rect::from_min_size(pos2(at, y - size / 2.0), vec2(size, size));
        painter.rect_filled(sq, CornerRadius::same(3), faded(colour::RANK, h));
        painter.text(sq.center(), Align2::CENTER_CENTER, rank.to_string(), small.clone(), Color32::WHITE);
    }
    if card.marks.overridden {
        // A pill naming the what-if ("仮" for 仮定).
        let label = lang.pick("仮", "if");
        let w = painter.layout_no_wrap(label.to_owned(), small.clone(), Color32::WHITE).size().x + 8.0;
        let at = place(w);
        let pill = Rect::from_min_size(pos2(at, y - size / 2.0), vec2(w, size));
        painter.rect_filled(pill, CornerRadius::same((size / 2.0) as u8), faded(colour::WHAT_IF, h));
        painter.text(pill.center(), Align2::CENTER_CENTER, label, small.clone(), Color32::WHITE);
    }
    if card.marks.parents > 1 {
        // Two linked rings and the number of parents: a shared KPI.
        let count = card.marks.parents.to_string();
        let w = size * 1.3 + painter.layout_no_wrap(count.clone(), small.clone(), colour::SHARED).size().x;
        let at = place(w);
        let ring = size * 0.28;
        let stroke = Stroke::new(1.6, faded(colour::SHARED, h));
        painter.circle_stroke(pos2(at + ring, y), ring, stroke);
        painter.circle_stroke(pos2(at + ring * 2.4, y), ring, stroke);
        painter.text(pos2(at + ring * 3.6 + 1.0, y), Align2::LEFT_CENTER, count, small, faded(colour::SHARED, h));
    }
}

/// Overview boxes and wires as one mesh, without anti-aliasing: thousands of
/// them cost one shape.
#[derive(Default)]
pub struct OverviewMesh {
    mesh: Mesh,
}

/// The box of a card in the overview form at `screen`, and its progress
/// bar when there is room: rectangles in screen points and their colours.
pub fn overview_box(card: &Card, screen: Rect, h: Highlight) -> impl Iterator<Item = (Rect, Color32)> {
    let fill = match (h.selected, h.matched, h.hovered) {
        (true, ..) => colour::SELECTION,
        (false, true, _) => colour::MATCH,
        (false, false, true) => colour::HOVER,
        _ => tint(card.kind, 0.55),
    };
    let screen = if screen.width() < 1.0 || screen.height() < 1.0 {
        Rect::from_center_size(screen.center(), screen.size().max(vec2(1.0, 1.0)))
    } else {
        screen
    };
    let bar = card.progress.filter(|_| screen.height() >= 4.0).map(|p| {
        let bar_h = (screen.height() * 0.15).clamp(1.0, 3.0);
        let bar = Rect::from_min_max(
            pos2(screen.min.x, screen.max.y - bar_h),
            pos2(screen.min.x + screen.width() * p.clamp(0.0, 1.0) as f32, screen.max.y),
        );
        (bar, progress_color(p))
    });
    std::iter::once((screen, faded(fill, h))).chain(bar)
}

/// The wires of the overview form: their colour, and half their width in
/// screen points.
pub const OVERVIEW_WIRE: (Color32, f32) = (colour::WIRE, 0.5);

impl OverviewMesh {
    /// A box for a card at `screen`.
    pub fn card(&mut self, card: &Card, screen: Rect, h: Highlight) {
        for (r, c) in overview_box(card, screen, h) {
            self.mesh.add_colored_rect(r, c);
        }
    }

    /// A wire's segments as thin rectangles.
    pub fn wire(&mut self, points: impl Iterator<Item = Pos2>) {
        let (ink, half) = OVERVIEW_WIRE;
        let ink = ink.gamma_multiply(0.7);
        let mut last = None;
        for b in points {
            if let Some(a) = last {
                self.mesh.add_colored_rect(Rect::from_two_pos(a, b).expand(half), ink);
            }
            last = Some(b);
        }
    }

    /// A mesh with room for `cards` boxes and `wires` wires of a few
    /// segments each, so that it is not copied as it grows.
    pub fn with_capacity(cards: usize, wires: usize) -> OverviewMesh {
        let rects = cards * 2 + wires * 5;
        let mut mesh = Mesh::default();
        mesh.vertices.reserve(rects * 4);
        mesh.indices.reserve(rects * 6);
        OverviewMesh { mesh }
    }

    /// Paints everything added.
    pub fn paint(self, painter: &Painter) {
        if !self.mesh.is_empty() {
            painter.add(Shape::mesh(self.mesh));
        }
    }
}
