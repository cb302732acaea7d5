//! The one palette of kpitree's pictures: the canvas paints with it (as
//! egui colours) and the SVG writes it (as `#rrggbb`), so a slide and the
//! screen agree colour for colour.

use crate::model::Kind;

/// An sRGB colour.
pub type Rgb = [u8; 3];

/// Names and values.
pub const INK: Rgb = [0x1f, 0x23, 0x28];
/// Labels and secondary text; the 「＋N」 pill.
pub const MUTED: Rgb = [0x5f, 0x6b, 0x7a];
/// Wires.
pub const WIRE: Rgb = [0x8b, 0x95, 0xa5];
/// The progress bar's track.
pub const TRACK: Rgb = [0xe6, 0xe9, 0xee];
/// The fill of a constant's pill (its outline is [`MUTED`]).
pub const CONSTANT: Rgb = [0xf1, 0xf3, 0xf6];
/// The target line of a card's trend.
pub const TREND_TARGET: Rgb = [0x9a, 0xa4, 0xb2];
/// The upright line at the period shown, across a card's trend.
pub const TREND_MARK: Rgb = [0xc9, 0xce, 0xd6];

/// The tornado's bar of the input lowered.
pub const CHART_LOW: Rgb = [0xd6, 0x8c, 0x1e];
/// The tornado's bar of the input raised.
pub const CHART_HIGH: Rgb = [0x26, 0x6e, 0xbe];
/// The scenarios' colours, in their order (then again).
pub const SERIES: [Rgb; 6] = [
    [0x26, 0x6e, 0xbe],
    [0xd6, 0x8c, 0x1e],
    [0x2e, 0xa0, 0x43],
    [0x8e, 0x44, 0xad],
    [0xc4, 0x3e, 0x30],
    [0x16, 0x9c, 0x9c],
];

/// The colour of a kind's cards (their band and outline).
pub fn kind(kind: Kind) -> Rgb {
    match kind {
        Kind::Kgi => [0xc4, 0x3e, 0x30],
        Kind::Ksf => [0xd6, 0x8c, 0x1e],
        Kind::Kpi => [0x26, 0x6e, 0xbe],
    }
}

/// A kind's colour mixed with white: `amount` of the colour (the slide
/// theme's card fills are 10 %).
#[allow(clippy::cast_possible_truncation, reason = "a mix of two bytes, rounded, is a byte")]
pub fn tint(k: Kind, amount: f32) -> Rgb {
    kind(k).map(|v| (f32::from(v) * amount + 255.0 * (1.0 - amount)).round() as u8)
}

/// The card fill of the slide theme.
pub fn slide_fill(k: Kind) -> Rgb {
    match k {
        Kind::Kgi => [0xfd, 0xee, 0xec],
        Kind::Ksf => [0xff, 0xf5, 0xe6],
        Kind::Kpi => [0xea, 0xf2, 0xfb],
    }
}

/// 達成率: green at or above 100 %, amber at or above 80 %, red below.
pub fn progress(progress: f64) -> Rgb {
    if progress >= 1.0 {
        [0x2e, 0xa0, 0x43]
    } else if progress >= 0.8 {
        [0xd9, 0x9a, 0x06]
    } else {
        [0xd2, 0x43, 0x3a]
    }
}

/// `#rrggbb`.
pub fn hex([r, g, b]: Rgb) -> String {
    format!("#{r:02x}{g:02x}{b:02x}")
}
