//! The minimap in the canvas's corner: the whole tree small, the part in
//! view as a rectangle; click or drag in it to move the view there. The
//! tree is drawn once into a texture per diagram, so a frame costs one image
//! however many cards there are.

use egui::{Color32, ColorImage, Pos2, Rect, Sense, Stroke, TextureHandle, pos2, vec2};

use super::paint::colour;
use super::view::View;
use crate::export::Diagram;
use crate::ui::card::kind_color;

/// The largest minimap, in screen pixels.
const MAX_SIZE: [f32; 2] = [220.0, 160.0];

/// The minimap's state.
#[derive(Default)]
pub(super) struct Minimap {
    texture: Option<TextureHandle>,
    stale: bool,
    /// Where it was drawn (screen) and the diagram rectangle it shows.
    placed: Option<(Rect, Rect)>,
}

impl Minimap {
    /// The diagram changed: draw the picture again.
    pub fn invalidate(&mut self) {
        self.stale = true;
    }

    /// Where the minimap is on screen and what part of the diagram it shows.
    pub fn rects(&self) -> Option<(Rect, Rect)> {
        self.placed
    }

    /// Not shown this frame (presenting).
    pub fn hide(&mut self) {
        self.placed = None;
    }

    /// Shows the minimap when part of the tree is out of view; returns the
    /// diagram point the user clicked or dragged to.
    pub fn ui(&mut self, ui: &mut egui::Ui, _painter: &egui::Painter, d: &Diagram, view: &View) -> Option<Pos2> {
        self.placed = None;
        let [x0, y0, x1, y1] = d.bounds;
        let bounds = Rect::from_min_max(pos2(x0 as f32, y0 as f32), pos2(x1 as f32, y1 as f32)).expand(40.0);
        let visible = view.visible();
        if d.cards.is_empty() || visible.contains_rect(bounds.shrink(40.0)) {
            return None;
        }
        let scale = (MAX_SIZE[0] / bounds.width()).min(MAX_SIZE[1] / bounds.height());
        let size = (bounds.size() * scale).max(vec2(40.0, 30.0));
        let rect = Rect::from_min_size(view.outer.max - size - vec2(14.0, 14.0), size);
        if self.stale || self.texture.is_none() {
            let image = picture(d, bounds, size);
            self.texture = Some(ui.ctx().load_texture("kpitree-minimap", image, egui::TextureOptions::LINEAR));
            self.stale = false;
        }
        let mut target = None;
        egui::Area::new(egui::Id::new("kpitree-minimap")).order(egui::Order::Middle).fixed_pos(rect.min).show(
            ui.ctx(),
            |ui| {
                let (r, response) = ui.allocate_exact_size(rect.size(), Sense::click_and_drag());
                let painter = ui.painter();
                painter.rect(
                    r.expand(2.0),
                    4.0,
                    Color32::from_white_alpha(235),
                    Stroke::new(1.0, colour::WIRE),
                    egui::StrokeKind::Outside,
                );
                if let Some(texture) = &self.texture {
                    painter.image(texture.id(), r, Rect::from_min_max(Pos2::ZERO, pos2(1.0, 1.0)), Color32::WHITE);
                }
                let to_map = |p: Pos2| r.min + (p - bounds.min) * scale;
                let shown = Rect::from_min_max(to_map(visible.min), to_map(visible.max)).intersect(r);
                painter.rect(
                    shown,
                    1.0,
                    colour::SELECTION.gamma_multiply(0.12),
                    Stroke::new(1.5, colour::SELECTION),
                    egui::StrokeKind::Inside,
                );
                if (response.clicked() || response.dragged())
                    && let Some(p) = response.interact_pointer_pos()
                {
                    target = Some(bounds.min + (p - r.min) / scale);
                }
                self.placed = Some((r, bounds));
            },
        );
        target
    }
}

/// The tree drawn small: a box per card in its kind's colour.
fn picture(d: &Diagram, bounds: Rect, size: egui::Vec2) -> ColorImage {
    // Twice the screen size, for a sharp picture on high-density screens.
    let (w, h) = ((size.x * 2.0).ceil() as usize, (size.y * 2.0).ceil() as usize);
    let mut image = ColorImage::filled([w, h], Color32::TRANSPARENT);
    let sx = w as f32 / bounds.width();
    let sy = h as f32 / bounds.height();
    for card in &d.cards {
        let c = kind_color(card.kind);
        let px = |v: f64, lo: f32, s: f32| ((v as f32 - lo) * s).max(0.0) as usize;
        let (cx0, cy0) = (px(card.rect[0], bounds.min.x, sx), px(card.rect[1], bounds.min.y, sy));
        let cx1 = px(card.rect[0] + card.rect[2], bounds.min.x, sx).max(cx0 + 1).min(w);
        let cy1 = px(card.rect[1] + card.rect[3], bounds.min.y, sy).max(cy0 + 1).min(h);
        for y in cy0.min(h)..cy1 {
            for x in cx0.min(w)..cx1 {
                image.pixels[y * w + x] = c;
            }
        }
    }
    image
}
