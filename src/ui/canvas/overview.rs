//! The overview: when too many cards are in view for snarl, the canvas paints
//! each card as a coloured box with its name and the wires as thin lines.
//! Pan and zoom still work (snarl keeps handling them, holding no cards);
//! clicking selects, zooming in brings the full cards back.
//!
//! It paints in screen coordinates, under snarl's (empty) layer: text drawn
//! on the zoomed layer would be rasterised at its unzoomed size, and names
//! big enough to read when zoomed out overflow the font atlas every frame.

use egui::emath::TSTransform;
use egui::{Color32, Rect, Stroke, Ui, pos2, vec2};

use super::Canvas;
use crate::eval::Evaluation;
use crate::model::{Document, Kind, NodeId};
use crate::ui::card::{kind_color, progress_color};

impl Canvas {
    /// Paints every card in view as a box and records the boxes (in graph
    /// coordinates) for clicks.
    pub(super) fn paint_overview(
        &mut self,
        ui: &Ui,
        to_global: &TSTransform,
        canvas_rect: Rect,
        doc: &Document,
        eval: Option<&Evaluation>,
        selection: &[NodeId],
    ) {
        let painter = ui.painter().with_clip_rect(canvas_rect);
        let view = self.view.expand(100.0);
        let screen = |r: Rect| Rect::from_min_max(*to_global * r.min, *to_global * r.max);
        let rect_of = |id: &NodeId| self.card_rect(&doc.nodes[*self.node_index.get(id)?]);
        let wire = Stroke::new(1.0, Color32::from_gray(150));
        for (parent, terms) in &self.terms {
            let Some(p) = rect_of(parent) else { continue };
            for t in terms {
                let Some(c) = rect_of(&t.child) else { continue };
                if !view.intersects(p.union(c)) {
                    continue;
                }
                let (a, b) = (screen(p).right_center(), screen(c).left_center());
                let mid = (a.x + b.x) / 2.0;
                painter.line(vec![a, pos2(mid, a.y), pos2(mid, b.y), b], wire);
            }
        }
        let font = egui::FontId::proportional(11.0);
        let mut drawn = Vec::new();
        for (id, &i) in &self.node_index {
            let Some(r) = rect_of(id) else { continue };
            if !view.intersects(r) {
                continue;
            }
            let node = &doc.nodes[i];
            // Clicks are hit-tested in graph coordinates.
            drawn.push((id.clone(), r));
            let r = screen(r);
            let stroke = if selection.contains(id) {
                Stroke::new(2.5, Color32::from_rgb(255, 170, 0))
            } else {
                Stroke::new(1.0, kind_color(node.kind))
            };
            let fill = if node.kind == Kind::Ksf { Color32::from_rgb(255, 250, 240) } else { Color32::WHITE };
            painter.rect(r, 2.0, fill, stroke, egui::StrokeKind::Inside);
            if let Some(p) = eval.and_then(|e| e.get(id)).and_then(|v| v.progress) {
                let h = (r.height() * 0.12).clamp(1.0, 4.0);
                let width = r.width() * p.clamp(0.0, 1.0) as f32;
                painter.rect_filled(
                    Rect::from_min_size(r.left_bottom() - vec2(0.0, h), vec2(width, h)),
                    0.0,
                    progress_color(p),
                );
            }
            if r.height() < 14.0 || r.width() < 24.0 {
                continue;
            }
            let name = if node.name.trim().is_empty() { node.id.as_str() } else { node.name.as_str() };
            let mut job =
                egui::text::LayoutJob::simple_singleline(name.to_owned(), font.clone(), Color32::from_gray(20));
            job.wrap = egui::text::TextWrapping::truncate_at_width(r.width() - 6.0);
            painter.galley(r.left_top() + vec2(3.0, 2.0), painter.layout_job(job), Color32::from_gray(20));
        }
        self.rects.extend(drawn);
    }
}
