//! The bundled Japanese font, registered as a fallback for every family.

use std::sync::Arc;

/// BIZ UDPGothic (SIL OFL 1.1, see `assets/fonts/OFL.txt`).
pub const JAPANESE_FONT: &[u8] = crate::export::FONT_REGULAR;

/// egui's default fonts with BIZ UDPGothic behind each family, so Latin text
/// keeps egui's look and every kanji and kana is drawn.
pub fn definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    let name = "BIZ UDPGothic".to_owned();
    fonts.font_data.insert(name.clone(), Arc::new(egui::FontData::from_static(JAPANESE_FONT)));
    for family in fonts.families.values_mut() {
        family.push(name.clone());
    }
    fonts
}
