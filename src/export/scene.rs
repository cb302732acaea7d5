//! The diagram's geometry: which cards, where, how large, with which text.
//! Text is measured with the bundled font's own advances, so cards fit their
//! names exactly in every output format.

use std::sync::OnceLock;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{ExportOptions, FONT_BOLD, FONT_REGULAR};
use crate::eval::{Evaluation, format_number};
use crate::lang::Lang;
use crate::layout::{Spacing, layout};
use crate::model::{Document, Kind, Node, NodeId, Op};

/// Font sizes and spacing of the diagram, in SVG pixels.
pub(super) mod metrics {
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

use metrics as m;

/// One card of the diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// The node.
    pub id: NodeId,
    /// Its kind (colour).
    pub kind: Kind,
    /// Top-left corner and size.
    pub rect: [f64; 4],
    /// The name, wrapped to at most two lines.
    pub name: Vec<String>,
    /// (label, value) rows: target and actual.
    pub rows: Vec<(String, String)>,
    /// 達成率, when the card shows values and has one.
    pub progress: Option<f64>,
}

/// A line from a parent to one of its children.
#[derive(Debug, Clone, PartialEq)]
pub struct Wire {
    /// The parent card's right middle.
    pub from: [f64; 2],
    /// The child card's left middle.
    pub to: [f64; 2],
    /// The edge's operator.
    pub op: Op,
    /// Whether the operator symbol is drawn (not on a first `+` or `×` term).
    pub show_op: bool,
}

/// Everything the diagram draws, in SVG pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    /// Width and height of the picture.
    pub size: [f64; 2],
    /// Offset added to every card and wire (centres the diagram when padded to 16:9).
    pub offset: [f64; 2],
    /// The title line.
    pub title: String,
    /// The line under the title: as-of date and period, when known.
    pub subtitle: Option<String>,
    /// Cards.
    pub cards: Vec<Card>,
    /// Wires, drawn under the cards.
    pub wires: Vec<Wire>,
    /// Labels of the legend, by kind.
    pub legend: Vec<(Kind, String)>,
    /// Height of the title block.
    pub header: f64,
}

/// Measures text in the bundled font.
pub(super) struct Measure {
    regular: ttf_parser::Face<'static>,
    bold: ttf_parser::Face<'static>,
}

impl Measure {
    pub(super) fn get() -> &'static Measure {
        static MEASURE: OnceLock<Measure> = OnceLock::new();
        MEASURE.get_or_init(|| Measure {
            regular: ttf_parser::Face::parse(FONT_REGULAR, 0).expect("the bundled regular font parses"),
            bold: ttf_parser::Face::parse(FONT_BOLD, 0).expect("the bundled bold font parses"),
        })
    }

    /// The advance width of `text` at `size` pixels.
    pub(super) fn width(&self, text: &str, size: f64, bold: bool) -> f64 {
        let face = if bold { &self.bold } else { &self.regular };
        let em = f64::from(face.units_per_em());
        text.chars()
            .map(|c| {
                face.glyph_index(c)
                    .and_then(|g| face.glyph_hor_advance(g))
                    .map_or(size * 0.6, |adv| f64::from(adv) * size / em)
            })
            .sum()
    }

    /// `text` in at most `lines` lines of at most `width`; the last line ends
    /// in "…" when the text does not fit. Breaks at spaces where a line has
    /// one, else between any two characters (as Japanese is set).
    pub(super) fn wrap(&self, text: &str, size: f64, bold: bool, width: f64, lines: usize) -> Vec<String> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut out = Vec::new();
        let mut rest: &str = &text;
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

/// `12,000 万円`, or "—" for none.
fn amount(x: Option<f64>, unit: &str) -> String {
    match x {
        None => "—".to_owned(),
        Some(x) if unit.is_empty() => format_number(x),
        Some(x) => format!("{} {unit}", format_number(x)),
    }
}

/// The nodes to draw: all, or `root` and everything below it.
fn subset(doc: &Document, root: Option<&NodeId>) -> Option<FxHashSet<NodeId>> {
    let root = root?;
    let mut children: FxHashMap<&NodeId, Vec<&NodeId>> = FxHashMap::default();
    for e in &doc.edges {
        children.entry(&e.parent).or_default().push(&e.child);
    }
    let mut keep = FxHashSet::default();
    keep.insert(root.clone());
    let mut stack = vec![root];
    while let Some(v) = stack.pop() {
        for &c in children.get(v).map_or(&[][..], Vec::as_slice) {
            if keep.insert(c.clone()) {
                stack.push(c);
            }
        }
    }
    Some(keep)
}

impl Scene {
    /// Lays out `doc` (or the subtree under `opts.root`) as the exporter draws it.
    pub fn build(doc: &Document, eval: &Evaluation, opts: &ExportOptions) -> Scene {
        let measure = Measure::get();
        let lang = opts.lang;
        let keep = subset(doc, opts.root.as_ref());
        let wanted = |id: &NodeId| keep.as_ref().is_none_or(|k| k.contains(id));
        let mut seen = FxHashSet::default();
        let mut sub = Document::new();
        for node in &doc.nodes {
            if wanted(&node.id) && seen.insert(node.id.clone()) {
                sub.nodes.push(node.clone());
            }
        }
        sub.edges = doc.edges.iter().filter(|e| wanted(&e.parent) && wanted(&e.child)).cloned().collect();

        let mut cards: FxHashMap<NodeId, Card> = FxHashMap::default();
        for node in &sub.nodes {
            cards.insert(node.id.clone(), card(node, eval, opts, lang, measure));
        }
        let spacing = Spacing { column_gap: m::COLUMN_GAP, row_gap: m::ROW_GAP };
        let at = layout(&sub, |n| cards.get(&n.id).map_or([m::MIN_WIDTH, 60.0], |c| [c.rect[2], c.rect[3]]), spacing);

        // The title block.
        let title = doc
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| lang.pick("KPIツリー", "KPI tree").into());
        let title = match opts.root.as_ref().and_then(|r| doc.node(r)) {
            Some(root) => format!("{title} — {}", root.name),
            None => title,
        };
        let subtitle = subtitle(doc, lang);
        let title_size = if opts.theme == super::Theme::Slide { 26.0 } else { 22.0 };
        let header = title_size + 12.0 + if subtitle.is_some() { 20.0 } else { 0.0 } + 12.0;
        let legend: Vec<(Kind, String)> = Kind::ALL
            .iter()
            .filter(|k| sub.nodes.iter().any(|n| n.kind == **k))
            .map(|&k| (k, legend_label(k, lang).to_owned()))
            .collect();

        // Place the cards under the title.
        let (mut min, mut max) = ([f64::MAX; 2], [f64::MIN; 2]);
        for (id, card) in &cards {
            let p = at.get(id).copied().unwrap_or([0.0, 0.0]);
            min = [min[0].min(p[0]), min[1].min(p[1])];
            max = [max[0].max(p[0] + card.rect[2]), max[1].max(p[1] + card.rect[3])];
        }
        if cards.is_empty() {
            (min, max) = ([0.0; 2], [0.0; 2]);
        }
        let left = m::MARGIN - min[0];
        let top = m::MARGIN + header - min[1];
        let mut placed: Vec<Card> = Vec::with_capacity(cards.len());
        for node in &sub.nodes {
            if let Some(mut card) = cards.remove(&node.id) {
                let p = at.get(&node.id).copied().unwrap_or([0.0, 0.0]);
                card.rect[0] = p[0] + left;
                card.rect[1] = p[1] + top;
                placed.push(card);
            }
        }
        let rect_of: FxHashMap<&NodeId, [f64; 4]> = placed.iter().map(|c| (&c.id, c.rect)).collect();
        let mut wires = Vec::new();
        let mut terms_seen: FxHashSet<&NodeId> = FxHashSet::default();
        for e in &sub.edges {
            let (Some(p), Some(c)) = (rect_of.get(&e.parent), rect_of.get(&e.child)) else { continue };
            if e.parent == e.child {
                continue;
            }
            let first = e.op.is_arithmetic() && terms_seen.insert(&e.parent);
            let show_op = e.op.is_arithmetic() && !(first && matches!(e.op, Op::Add | Op::Mul));
            wires.push(Wire {
                from: [p[0] + p[2], p[1] + p[3] / 2.0],
                to: [c[0], c[1] + c[3] / 2.0],
                op: e.op,
                show_op,
            });
        }

        // The picture: the diagram, wide enough for the title and the legend.
        let title_w = measure.width(&title, title_size, true);
        let subtitle_w = subtitle.as_deref().map_or(0.0, |s| measure.width(s, 13.0, false));
        let legend_w = legend_width(&legend, measure);
        let content_w = (max[0] - min[0]).max(title_w.max(subtitle_w) + 40.0 + legend_w);
        let mut size = [content_w + 2.0 * m::MARGIN, (max[1] - min[1]) + header + 2.0 * m::MARGIN];
        let mut offset = [0.0, 0.0];
        if opts.fit_16_9 {
            // Exactly 16:9 in whole pixels: 16k × 9k, the diagram centred.
            let k = (size[0] / 16.0).max(size[1] / 9.0).ceil();
            offset = [((16.0 * k - size[0]) / 2.0).floor(), ((9.0 * k - size[1]) / 2.0).floor()];
            size = [16.0 * k, 9.0 * k];
        }
        // Whole pixels, so that SVG, PNG and PDF agree on the size.
        let size = [size[0].ceil(), size[1].ceil()];
        Scene { size, offset, title, subtitle, cards: placed, wires, legend, header }
    }
}

/// The width the legend takes at the top right.
pub(super) fn legend_width(legend: &[(Kind, String)], measure: &Measure) -> f64 {
    legend.iter().map(|(_, l)| 14.0 + 6.0 + measure.width(l, 12.0, false) + 14.0).sum()
}

fn legend_label(kind: Kind, lang: Lang) -> &'static str {
    match kind {
        Kind::Kgi => lang.pick("KGI(ゴール)", "KGI (goal)"),
        Kind::Ksf => lang.pick("KSF(成功要因)", "KSF (success factor)"),
        Kind::Kpi => lang.pick("KPI(指標)", "KPI (indicator)"),
    }
}

fn subtitle(doc: &Document, lang: Lang) -> Option<String> {
    let period = doc.period.as_ref()?;
    let mut parts = Vec::new();
    if let Some(as_of) = period.as_of {
        parts.push(match lang {
            Lang::Ja => format!("{as_of} 時点"),
            Lang::En => format!("as of {as_of}"),
        });
    }
    if let (Some(s), Some(e)) = (period.start, period.end) {
        parts.push(match lang {
            Lang::Ja => format!("期間 {s} 〜 {e}"),
            Lang::En => format!("period {s} – {e}"),
        });
    }
    (!parts.is_empty()).then(|| parts.join(lang.pick("　", " · ")))
}

fn card(node: &Node, eval: &Evaluation, opts: &ExportOptions, lang: Lang, measure: &Measure) -> Card {
    let inner_max = m::MAX_WIDTH - m::ACCENT - 2.0 * m::PAD_X;
    let name_text = if node.name.trim().is_empty() { lang.pick("(名前なし)", "(no name)") } else { &node.name };
    let name = measure.wrap(name_text, m::NAME, true, inner_max, 2);
    let value = eval.get(&node.id).copied().unwrap_or_default();
    let unit = node.unit_str();
    let mut rows = Vec::new();
    let mut progress = None;
    let has_values = value.target.is_some() || value.actual.is_some();
    if opts.values && has_values {
        let computed = |entered: Option<f64>, got: Option<f64>| entered.is_none() && got.is_some();
        let mark = |is: bool| if is { "= " } else { "" };
        rows.push((
            lang.pick("目標", "Target").to_owned(),
            format!("{}{}", mark(computed(node.target, value.computed_target)), amount(value.target, unit)),
        ));
        rows.push((
            lang.pick("実績", "Actual").to_owned(),
            format!("{}{}", mark(value.computed_actual.is_some()), amount(value.actual, unit)),
        ));
        progress = value.progress;
    }
    let widest_name = name.iter().map(|l| measure.width(l, m::NAME, true)).fold(0.0, f64::max);
    let widest_row = rows
        .iter()
        .map(|(l, v)| measure.width(l, m::ROW, false) + 16.0 + measure.width(v, m::ROW, true))
        .fold(0.0, f64::max);
    let inner = widest_name.max(widest_row).max(measure.width("KGI", m::KIND, true));
    let width = (inner + m::ACCENT + 2.0 * m::PAD_X).clamp(m::MIN_WIDTH, m::MAX_WIDTH).ceil();
    let mut height = m::PAD_Y + 14.0 + name.len() as f64 * m::NAME_LINE;
    if !rows.is_empty() {
        height += 4.0 + rows.len() as f64 * m::ROW_LINE;
        if progress.is_some() {
            height += m::BAR_ROW;
        }
    }
    height += m::PAD_Y;
    Card { id: node.id.clone(), kind: node.kind, rect: [0.0, 0.0, width, height.ceil()], name, rows, progress }
}

/// The colour of a progress bar: green at 100 %, amber from 80 %, else red
/// (progress already respects lower-is-better).
pub(super) fn progress_colour(progress: f64) -> &'static str {
    if progress >= 1.0 {
        "#2ea043"
    } else if progress >= 0.8 {
        "#d99a06"
    } else {
        "#d2433a"
    }
}
