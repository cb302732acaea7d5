//! The canvas's view: which part of the diagram is on screen and how large.
//! The state is the rectangle of the diagram in view, as `egui::Scene`
//! keeps it (pan and zoom with the mouse, the wheel and pinch); the
//! transform to the screen is computed from it exactly as the Scene does.

use egui::emath::TSTransform;
use egui::{Pos2, Rect, Vec2, pos2, vec2};

/// The smallest and largest zoom.
pub const ZOOM_MIN: f32 = 0.0001;
/// Largest zoom (400 %).
pub const ZOOM_MAX: f32 = 4.0;
/// Fit zooms in up to 250 %: a five-card tree fills the projector.
pub const FIT_MAX: f32 = 2.5;

/// The part of the diagram in view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// The diagram rectangle the Scene fits into the canvas.
    pub scene_rect: Rect,
    /// The canvas on screen (last frame).
    pub outer: Rect,
}

impl Default for View {
    fn default() -> Self {
        View {
            scene_rect: Rect::from_min_size(Pos2::ZERO, vec2(1200.0, 800.0)),
            outer: Rect::from_min_size(Pos2::ZERO, vec2(1200.0, 800.0)),
        }
    }
}

impl View {
    /// Diagram → screen: the scene rectangle fitted into the canvas and
    /// centred, as `egui::Scene` does.
    pub fn transform(&self) -> TSTransform {
        let scale = (self.outer.size() / self.scene_rect.size()).min_elem();
        let scale = if scale.is_finite() && scale > 0.0 { scale.clamp(ZOOM_MIN, ZOOM_MAX) } else { 1.0 };
        TSTransform::from_translation(self.outer.center().to_vec2() - scale * self.scene_rect.center().to_vec2())
            * TSTransform::from_scaling(scale)
    }

    /// Screen pixels per diagram pixel.
    pub fn zoom(&self) -> f32 {
        self.transform().scaling
    }

    /// The diagram rectangle actually on screen (wider or taller than the
    /// scene rectangle when the shapes differ).
    pub fn visible(&self) -> Rect {
        self.transform().inverse() * self.outer
    }

    /// Takes the canvas's place on screen this frame, keeping the zoom and
    /// the top-left corner of what is in view: a panel that opens or a
    /// window that shrinks shows less of the tree, never smaller cards.
    pub fn resize(&mut self, outer: Rect) -> bool {
        if outer == self.outer {
            return false;
        }
        let (zoom, visible) = (self.zoom(), self.visible());
        self.outer = outer;
        if outer.is_positive() && zoom.is_finite() && zoom > 0.0 {
            self.scene_rect = Rect::from_min_size(visible.min, outer.size() / zoom);
        }
        true
    }

    /// Shows the diagram point `center` in the middle of the canvas at `zoom`.
    pub fn look_at(&mut self, center: Pos2, zoom: f32) {
        let zoom = zoom.clamp(ZOOM_MIN, ZOOM_MAX);
        self.scene_rect = Rect::from_center_size(center, self.outer.size() / zoom);
    }

    /// The largest zoom (at most [`FIT_MAX`]) that shows all of `bounds`,
    /// with a margin.
    /// `steps` are zooms where the cards change form: when the tree at one
    /// a little above the fitting zoom still fits with a narrow margin, that
    /// zoom is taken (a tree just too tall for full cards shows them).
    pub fn fit(&mut self, bounds: Rect, steps: &[f32]) {
        if !bounds.is_positive() || !bounds.is_finite() {
            return;
        }
        let room = (self.outer.size() - vec2(80.0, 80.0)).max(vec2(40.0, 40.0));
        let zoom = (room / bounds.size()).min_elem().min(FIT_MAX);
        let tight = ((self.outer.size() - vec2(16.0, 16.0)).max(vec2(40.0, 40.0)) / bounds.size()).min_elem();
        let zoom = steps.iter().copied().filter(|&s| s > zoom && s <= tight && s <= FIT_MAX).fold(zoom, f32::max);
        self.look_at(bounds.center(), zoom);
    }

    /// Shows all of `area` (another window's view) as large as fits.
    pub fn show(&mut self, area: Rect) {
        if !area.is_finite() || area.is_negative() || !self.outer.is_positive() {
            return;
        }
        let zoom = (self.outer.size() / area.size().max(vec2(1.0, 1.0))).min_elem();
        self.look_at(area.center(), zoom);
    }

    /// Zooms to show `area` (a selection) as large as fits, at most 150 %.
    pub fn zoom_to(&mut self, area: Rect) {
        if !area.is_finite() || area.is_negative() {
            return;
        }
        let room = (self.outer.size() - vec2(160.0, 160.0)).max(vec2(40.0, 40.0));
        let zoom = (room / area.size().max(vec2(1.0, 1.0))).min_elem().min(1.5);
        self.look_at(area.center(), zoom);
    }

    /// Moves the view as little as needed to bring `area` into view with a
    /// margin (the view follows a selected card that is off screen).
    pub fn reveal(&mut self, area: Rect) {
        let zoom = self.zoom();
        let margin = 40.0 / zoom;
        let visible = self.visible().shrink(margin);
        if visible.contains_rect(area) || !area.is_finite() {
            return;
        }
        let mut shift = Vec2::ZERO;
        for axis in 0..2 {
            let (lo, hi) = (visible.min[axis], visible.max[axis]);
            let (a, b) = (area.min[axis], area.max[axis]);
            shift[axis] = if b - a > hi - lo {
                (a + b) / 2.0 - (lo + hi) / 2.0
            } else if a < lo {
                a - lo
            } else if b > hi {
                b - hi
            } else {
                0.0
            };
        }
        self.scene_rect = self.scene_rect.translate(shift);
    }

    /// Moves the view by `delta` diagram pixels.
    pub fn pan(&mut self, delta: Vec2) {
        self.scene_rect = self.scene_rect.translate(delta);
    }

    /// Screen point → diagram point.
    pub fn diagram_point(&self, p: Pos2) -> Pos2 {
        self.transform().inverse() * p
    }

    /// A diagram rectangle `[x, y, w, h]` on screen.
    pub fn screen_rect(&self, r: [f64; 4]) -> Rect {
        let t = self.transform();
        let min = t * pos2(r[0] as f32, r[1] as f32);
        Rect::from_min_size(min, vec2(r[2] as f32, r[3] as f32) * t.scaling)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view() -> View {
        View { outer: Rect::from_min_size(pos2(100.0, 50.0), vec2(800.0, 600.0)), ..View::default() }
    }

    #[test]
    fn look_at_puts_the_point_in_the_middle_at_that_zoom() {
        let mut v = view();
        v.look_at(pos2(1000.0, 2000.0), 0.5);
        assert!((v.zoom() - 0.5).abs() < 1e-5);
        let centre = v.transform() * pos2(1000.0, 2000.0);
        assert!((centre - v.outer.center()).length() < 0.01);
    }

    #[test]
    fn fit_shows_everything_and_fills_the_canvas_up_to_250_percent() {
        let mut v = view();
        let big = Rect::from_min_size(pos2(0.0, 0.0), vec2(4000.0, 9000.0));
        v.fit(big, &[]);
        assert!(v.visible().contains_rect(big));
        // A small tree is zoomed in until it fills the canvas (720 / 400).
        let small = Rect::from_min_size(pos2(0.0, 0.0), vec2(400.0, 200.0));
        v.fit(small, &[]);
        assert!((v.zoom() - 1.8).abs() < 1e-5, "{}", v.zoom());
        assert!(v.visible().contains_rect(small));
        // A tiny one stops at 250 %.
        v.fit(Rect::from_min_size(pos2(0.0, 0.0), vec2(100.0, 50.0)), &[]);
        assert!((v.zoom() - FIT_MAX).abs() < 1e-5);
    }

    #[test]
    fn a_smaller_canvas_keeps_the_zoom_and_the_top_left_of_the_view() {
        let mut v = view();
        v.look_at(pos2(500.0, 500.0), 1.3);
        let corner = v.visible().min;
        v.resize(Rect::from_min_size(pos2(100.0, 50.0), vec2(800.0, 380.0)));
        assert!((v.zoom() - 1.3).abs() < 1e-5, "{}", v.zoom());
        assert!((v.visible().min - corner).length() < 0.01);
    }

    #[test]
    fn fit_takes_the_zoom_of_full_cards_when_the_tree_still_fits_there() {
        let mut v = view();
        // 600 px tall, less 80 px of margins: 520 / 650 = 0.8 fits; at 0.85
        // the tree is 552.5 px, inside the 584 px of a narrow margin.
        let tall = Rect::from_min_size(pos2(0.0, 0.0), vec2(300.0, 650.0));
        v.fit(tall, &[0.85]);
        assert!((v.zoom() - 0.85).abs() < 1e-5, "{}", v.zoom());
        assert!(v.visible().contains_rect(tall));
        // A step the tree does not fit at is not taken.
        v.fit(tall, &[0.95]);
        assert!((v.zoom() - 0.8).abs() < 1e-5, "{}", v.zoom());
    }

    #[test]
    fn reveal_moves_only_as_far_as_needed() {
        let mut v = view();
        v.look_at(pos2(0.0, 0.0), 1.0);
        let card = Rect::from_min_size(pos2(600.0, -20.0), vec2(200.0, 80.0));
        v.reveal(card);
        assert!(v.visible().contains_rect(card));
        // The card ends up just inside the right edge, not in the middle.
        let right = v.transform() * card.right_center();
        assert!(v.outer.right() - right.x < 60.0, "{right:?}");
    }
}
