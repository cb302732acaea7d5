//! The colours of kinds and of progress, shared by the canvas and the panels.

use egui::Color32;

use crate::model::Kind;

/// The colour of a kind: the export's, so the screen and the slides agree.
pub fn kind_color(kind: Kind) -> Color32 {
    let [r, g, b] = crate::export::kind_colour(kind);
    Color32::from_rgb(r, g, b)
}

/// Green at or above 100 %, amber at or above 80 %, red below (as exported).
pub fn progress_color(progress: f64) -> Color32 {
    let [r, g, b] = crate::export::progress_rgb(progress);
    Color32::from_rgb(r, g, b)
}
