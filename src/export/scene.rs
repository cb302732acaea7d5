//! The picture an export draws: the [`Diagram`] under a title block, with
//! the legend and a margin, optionally padded to 16:9.

use super::ExportOptions;
use super::diagram::{Card, Diagram, Wire};
use super::measure::{Measure, metrics as m};
use crate::eval::Evaluation;
use crate::lang::Lang;
use crate::model::{Document, Kind};

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

impl Scene {
    /// Lays out `doc` (or the subtree under `opts.root`) as the exporter
    /// draws it: the diagram the canvas shows, under a title.
    pub fn build(doc: &Document, eval: &Evaluation, opts: &ExportOptions) -> Scene {
        Scene::of(doc, Diagram::build(doc, eval, &opts.diagram(), None), opts)
    }

    /// `diagram` placed under the title block, with a margin all round.
    pub fn of(doc: &Document, diagram: Diagram, opts: &ExportOptions) -> Scene {
        let measure = Measure::get();
        let lang = opts.lang;
        let title = doc
            .title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| lang.pick("KPIツリー", "KPI tree").into());
        let title = match opts.root.as_ref().and_then(|r| doc.node(r)) {
            Some(root) => format!("{} — {}", super::measure::capped(&title), super::measure::capped(&root.name)),
            None => title,
        };
        // Drawn at most a few hundred characters long (the file keeps it all).
        let title = super::measure::capped(&title).into_owned();
        let subtitle = match (subtitle(doc, lang), opts.shown.name(doc, lang)) {
            (Some(s), Some(v)) => Some(format!("{s}{}{v}", lang.pick("　", " · "))),
            (s, v) => s.or(v),
        };
        let title_size = if opts.theme == super::Theme::Slide { 26.0 } else { 22.0 };
        let header = title_size + 12.0 + if subtitle.is_some() { 20.0 } else { 0.0 } + 12.0;
        let legend: Vec<(Kind, String)> = Kind::ALL
            .iter()
            .filter(|k| diagram.cards.iter().any(|c| c.kind == **k))
            .map(|&k| (k, legend_label(k, lang).to_owned()))
            .collect();
        let [min_x, min_y, max_x, max_y] = diagram.bounds;
        let dx = m::MARGIN - min_x;
        let dy = m::MARGIN + header - min_y;
        let shift = |[x, y]: [f64; 2]| [x + dx, y + dy];
        let Diagram { mut cards, wires, .. } = diagram;
        let mut wires = wires.to_vec();
        for card in &mut cards {
            card.rect[0] += dx;
            card.rect[1] += dy;
        }
        for wire in &mut wires {
            wire.from = shift(wire.from);
            wire.to = shift(wire.to);
            wire.badge = shift(wire.badge);
            for p in &mut wire.points {
                *p = shift(*p);
            }
        }
        // The picture: the diagram, wide enough for the title and the legend.
        let title_w = measure.width(&title, title_size, true);
        let subtitle_w = subtitle.as_deref().map_or(0.0, |s| measure.width(s, 13.0, false));
        let legend_w = legend_width(&legend, measure);
        let content_w = (max_x - min_x).max(title_w.max(subtitle_w) + 40.0 + legend_w);
        let mut size = [content_w + 2.0 * m::MARGIN, (max_y - min_y) + header + 2.0 * m::MARGIN];
        let mut offset = [0.0, 0.0];
        if opts.fit_16_9 {
            // Exactly 16:9 in whole pixels: 16k × 9k, the diagram centred.
            let k = (size[0] / 16.0).max(size[1] / 9.0).ceil();
            offset = [((16.0 * k - size[0]) / 2.0).floor(), ((9.0 * k - size[1]) / 2.0).floor()];
            size = [16.0 * k, 9.0 * k];
        }
        // Whole pixels, so that SVG, PNG and PDF agree on the size.
        let size = [size[0].ceil(), size[1].ceil()];
        Scene { size, offset, title, subtitle, cards, wires, legend, header }
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

/// The colour of a progress bar as `#rrggbb`.
pub(super) fn progress_colour(progress: f64) -> String {
    let [r, g, b] = super::progress_rgb(progress);
    format!("#{r:02x}{g:02x}{b:02x}")
}
