//! The overview form from a picture. Zoomed out so far that every card is a
//! small box, a large tree is tens of thousands of boxes and wire segments:
//! drawn as shapes, that is a mesh of a hundred thousand rectangles built
//! and tessellated every frame. Instead the boxes and wires are drawn into
//! an image at the screen's resolution on a thread of their own, and a frame
//! draws that image: panning moves it; while a new zoom or a new diagram is
//! being drawn, the last picture is shown scaled to the new view. What
//! changes from frame to frame (selection, hover, search matches, drop
//! targets) is drawn over it as shapes, from the current diagram.

use std::sync::{Arc, Weak};

use egui::emath::TSTransform;
use egui::{Color32, ColorImage, Pos2, Rect, TextureHandle, TextureOptions, pos2, vec2};

use super::paint;
use crate::export::Diagram;
use crate::pipeline::Worker;

/// The largest picture side, in pixels (smaller where the GPU's limit is).
const MAX_SIDE: f32 = 4096.0;

/// What a picture shows: the diagram (weakly held, so that its address is
/// not reused while a picture claims it), the pixels per diagram pixel, and
/// the diagram rectangle the image covers.
#[derive(Clone)]
struct Shows {
    diagram: Weak<Diagram>,
    scale: f32,
    area: Rect,
}

impl Shows {
    fn is(&self, other: &Shows) -> bool {
        self.diagram.ptr_eq(&other.diagram) && self.scale == other.scale && self.area == other.area
    }
}

/// A picture to draw: the diagram, the corner, zoom, pixels per point and
/// the image's size.
type Job = (Arc<Diagram>, Shows, f32, f32, [usize; 2]);

/// The picture of the overview.
#[derive(Default)]
pub(super) struct OverviewPicture {
    texture: Option<TextureHandle>,
    /// What the texture shows.
    shown: Option<Shows>,
    /// What was last asked of the thread.
    asked: Option<Shows>,
    painter: Option<Worker<Job, (Shows, ColorImage)>>,
}

impl OverviewPicture {
    /// Shows no picture until one of the diagram in view is drawn (another
    /// document's picture must not flash up while the new one is drawn).
    pub fn forget(&mut self) {
        self.shown = None;
    }

    /// Draws the overview of `d` as `t` shows it on a screen of
    /// `pixels_per_point`; false when there is no picture to draw (the first
    /// frame, or a zoom at which it would be too large: then the caller
    /// draws shapes, of which only those in view).
    pub fn paint(
        &mut self,
        painter: &egui::Painter,
        d: &Arc<Diagram>,
        t: TSTransform,
        pixels_per_point: f32,
        outer: Rect,
    ) -> bool {
        let scale = t.scaling * pixels_per_point;
        let [x0, y0, x1, y1] = d.bounds.map(|v| v as f32);
        // A margin for the wires' width and the boxes' one-point minimum.
        let bounds = Rect::from_min_max(pos2(x0, y0), pos2(x1, y1)).expand(2.0 / t.scaling);
        let size = (bounds.size() * scale).ceil();
        let screen_area = outer.area() * pixels_per_point * pixels_per_point;
        // Within what this GPU takes, too.
        let max_side = MAX_SIDE.min(painter.ctx().input(|i| i.max_texture_side) as f32);
        if !size.x.is_finite()
            || size.x > max_side
            || size.y > max_side
            || size.x * size.y > 4.0 * screen_area.max(1.0e6)
        {
            return false;
        }
        let area = Rect::from_min_size(bounds.min, size / scale);
        let wanted = Shows { diagram: Arc::downgrade(d), scale, area };
        if !self.asked.as_ref().is_some_and(|a| a.is(&wanted)) {
            let ctx = painter.ctx().clone();
            let worker = self
                .painter
                .get_or_insert_with(|| Worker::new("kpitree-overview", draw, move || ctx.request_repaint()));
            let job = (Arc::clone(d), wanted.clone(), t.scaling, pixels_per_point, [size.x as usize, size.y as usize]);
            worker.submit(job);
            self.asked = Some(wanted);
        }
        if let Some(Ok((shows, image))) = self.painter.as_ref().and_then(Worker::take).map(|o| o.result) {
            match &mut self.texture {
                Some(texture) => texture.set(image, TextureOptions::LINEAR),
                None => {
                    self.texture = Some(painter.ctx().load_texture("kpitree-overview", image, TextureOptions::LINEAR))
                }
            }
            self.shown = Some(shows);
        }
        let (Some(texture), Some(shown)) = (&self.texture, &self.shown) else { return false };
        // At the zoom it was drawn for, on the pixel grid, so that each
        // picture pixel is one screen pixel; else scaled until the new one comes.
        let mut rect = Rect::from_min_max(t * shown.area.min, t * shown.area.max);
        if shown.scale == scale {
            let snap =
                |p: Pos2| pos2((p.x * pixels_per_point).round(), (p.y * pixels_per_point).round()) / pixels_per_point;
            rect = Rect::from_min_size(snap(rect.min), rect.size());
        }
        let uv = Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0));
        painter.image(texture.id(), rect, uv, Color32::WHITE);
        true
    }
}

/// The thread's job: the picture asked for.
fn draw(_: &mut (), (d, shows, zoom, ppp, size): Job) -> (Shows, ColorImage) {
    let image = picture(&d, shows.area.min, zoom, ppp, size);
    (shows, image)
}

/// The boxes and wires of `d` in an image of `size` pixels whose top-left
/// corner is the diagram point `origin`, at `zoom` points per diagram pixel
/// and `ppp` pixels per point: what [`paint::OverviewMesh`] draws, with
/// edges that cover part of a pixel blended by how much they cover.
fn picture(d: &Diagram, origin: egui::Pos2, zoom: f32, ppp: f32, size: [usize; 2]) -> ColorImage {
    let mut canvas = Raster { pixels: vec![Color32::TRANSPARENT; size[0] * size[1]], width: size[0], height: size[1] };
    // Diagram → screen points relative to the corner; points → pixels.
    let pt = |x: f64, y: f64| pos2((x as f32 - origin.x) * zoom, (y as f32 - origin.y) * zoom);
    let to_px = |r: Rect| Rect::from_min_max((r.min.to_vec2() * ppp).to_pos2(), (r.max.to_vec2() * ppp).to_pos2());
    let (ink, half) = paint::OVERVIEW_WIRE;
    let ink = ink.gamma_multiply(0.7);
    for wire in d.wires.iter() {
        for pair in wire.points.windows(2) {
            let r = Rect::from_two_pos(pt(pair[0][0], pair[0][1]), pt(pair[1][0], pair[1][1])).expand(half);
            canvas.fill(to_px(r), ink);
        }
    }
    for card in &d.cards {
        let [x, y, w, h] = card.rect;
        let r = Rect::from_min_max(pt(x, y), pt(x + w, y + h));
        for (part, c) in paint::overview_box(card, r, paint::Highlight::default()) {
            canvas.fill(to_px(part), c);
        }
    }
    ColorImage::new(size, canvas.pixels)
}

/// Premultiplied pixels and axis-aligned rectangles blended onto them.
struct Raster {
    pixels: Vec<Color32>,
    width: usize,
    height: usize,
}

impl Raster {
    /// Covers `r` (pixel coordinates) with `c`, edge pixels by the share
    /// of them the rectangle covers. (A tree of 20,000 nodes is some 80,000
    /// rectangles of a pixel or two: the work per rectangle and per pixel is
    /// kept to integer steps.)
    fn fill(&mut self, r: Rect, c: Color32) {
        let r = r.intersect(Rect::from_min_size(pos2(0.0, 0.0), vec2(self.width as f32, self.height as f32)));
        if !r.is_positive() {
            return;
        }
        // Non-negative here, so truncation is the floor.
        let ceil = |v: f32| {
            let i = v as usize;
            if (i as f32) < v { i + 1 } else { i }
        };
        let (px0, px1) = (r.min.x as usize, ceil(r.max.x).min(self.width));
        let (py0, py1) = (r.min.y as usize, ceil(r.max.y).min(self.height));
        let cover = |lo: f32, hi: f32, p: usize| (hi.min(p as f32 + 1.0) - lo.max(p as f32)).clamp(0.0, 1.0);
        for py in py0..py1 {
            let cy = cover(r.min.y, r.max.y, py);
            let row = &mut self.pixels[py * self.width + px0..py * self.width + px1];
            for (i, dst) in row.iter_mut().enumerate() {
                let a = cy * cover(r.min.x, r.max.x, px0 + i);
                *dst = over(c, (a * 256.0) as u32, *dst);
            }
        }
    }
}

/// `src` at `coverage` (0–256) over `dst`, premultiplied.
fn over(src: Color32, coverage: u32, dst: Color32) -> Color32 {
    if coverage >= 256 && src.a() == 255 {
        return src;
    }
    let coverage = coverage.min(256);
    let (s, d) = (src.to_array(), dst.to_array());
    let scaled = |v: u8| (u32::from(v) * coverage + 128) / 256;
    let keep = 255 - scaled(s[3]);
    let mix = |i: usize| (scaled(s[i]) + (u32::from(d[i]) * keep + 127) / 255).min(255) as u8;
    Color32::from_rgba_premultiplied(mix(0), mix(1), mix(2), mix(3))
}

#[cfg(test)]
mod tests {
    use super::{Raster, over};
    use egui::{Color32, Rect, pos2};

    #[test]
    fn a_rectangle_covers_whole_pixels_fully_and_edge_pixels_by_their_share() {
        let mut r = Raster { pixels: vec![Color32::TRANSPARENT; 16], width: 4, height: 4 };
        r.fill(Rect::from_min_max(pos2(1.0, 1.0), pos2(2.5, 3.0)), Color32::from_rgb(200, 0, 0));
        assert_eq!(r.pixels[4 + 1], Color32::from_rgb(200, 0, 0));
        assert_eq!(r.pixels[2 * 4 + 1], Color32::from_rgb(200, 0, 0));
        // Half of the pixel at x = 2.
        assert_eq!(r.pixels[4 + 2].a(), 128);
        assert_eq!(r.pixels[4 + 2].r(), 100);
        assert_eq!(r.pixels[0], Color32::TRANSPARENT);
        assert_eq!(r.pixels[3 * 4 + 1], Color32::TRANSPARENT);
        // Off the picture: nothing, and no panic.
        r.fill(Rect::from_min_max(pos2(-10.0, -10.0), pos2(-1.0, 90.0)), Color32::WHITE);
        r.fill(Rect::from_min_max(pos2(3.5, 3.5), pos2(1.0e9, 1.0e9)), Color32::WHITE);
        assert_eq!(r.pixels[15].a(), 64);
        // Opaque over anything is itself.
        assert_eq!(over(Color32::BLUE, 256, Color32::RED), Color32::BLUE);
        // Half of white over black is mid grey, opaque.
        assert_eq!(over(Color32::WHITE, 128, Color32::BLACK), Color32::from_rgb(128, 128, 128));
    }
}

#[cfg(test)]
mod picture_tests {
    use super::picture;
    use crate::export::{Diagram, DiagramOptions};
    use crate::model::generate;
    use crate::ui::canvas::paint;
    use egui::{Color32, Rect, pos2};

    /// The picture shows each card's box in its colour where the card is,
    /// and nothing where there is neither card nor wire.
    #[test]
    fn the_picture_has_each_box_in_its_colour_at_its_place() {
        let doc = generate::tree(60, 2);
        let d = Diagram::build(&doc, &crate::evaluate(&doc), &DiagramOptions::default(), None);
        let (zoom, ppp) = (0.1, 2.0);
        let origin = pos2(d.bounds[0] as f32 - 20.0, d.bounds[1] as f32 - 20.0);
        let size = [
            ((d.bounds[2] - d.bounds[0] + 40.0) as f32 * zoom * ppp).ceil() as usize,
            ((d.bounds[3] - d.bounds[1] + 40.0) as f32 * zoom * ppp).ceil() as usize,
        ];
        let image = picture(&d, origin, zoom, ppp, size);
        assert_eq!(image.size, size);
        let at = |x: f64, y: f64| {
            let px = ((x as f32 - origin.x) * zoom * ppp) as usize;
            let py = ((y as f32 - origin.y) * zoom * ppp) as usize;
            image.pixels[py * size[0] + px]
        };
        for card in &d.cards {
            let [x, y, w, h] = card.rect;
            let r = Rect::from_min_max(pos2(x as f32, y as f32), pos2((x + w) as f32, (y + h) as f32));
            let (_, fill) = paint::overview_box(card, r, paint::Highlight::default()).next().expect("a box");
            // The box's upper middle (clear of the progress bar).
            assert_eq!(at(x + w / 2.0, y + h * 0.3), fill, "{}", card.id);
        }
        assert_eq!(image.pixels[0], Color32::TRANSPARENT, "the margin is empty");
    }
}
