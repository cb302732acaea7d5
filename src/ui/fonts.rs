//! The bundled Japanese font, registered as a fallback for every family.

use std::sync::Arc;

/// BIZ UDPGothic (SIL OFL 1.1, see `assets/fonts/OFL.txt`).
pub const JAPANESE_FONT: &[u8] = crate::export::FONT_REGULAR;

/// The canvas's regular face: BIZ UDPGothic, as the export measures it.
pub const REGULAR: &str = "kpitree-regular";
/// The canvas's bold face.
pub const BOLD: &str = "kpitree-bold";

/// egui's default fonts with BIZ UDPGothic behind each family, so Latin text
/// keeps egui's look and every kanji and kana is drawn; and the canvas's own
/// two families, BIZ UDPGothic first, so that cards are laid out on screen
/// exactly as the export measures them.
pub fn definitions() -> egui::FontDefinitions {
    let mut fonts = egui::FontDefinitions::default();
    let name = "BIZ UDPGothic".to_owned();
    let bold = "BIZ UDPGothic Bold".to_owned();
    fonts.font_data.insert(name.clone(), Arc::new(egui::FontData::from_static(JAPANESE_FONT)));
    fonts.font_data.insert(bold.clone(), Arc::new(egui::FontData::from_static(crate::export::FONT_BOLD)));
    let fallbacks: Vec<String> = fonts.families.get(&egui::FontFamily::Proportional).cloned().unwrap_or_default();
    for family in fonts.families.values_mut() {
        family.push(name.clone());
    }
    for (family, face) in [(REGULAR, &name), (BOLD, &bold)] {
        let mut list = vec![face.clone()];
        // Anything the bundled face lacks (an emoji in a name) still draws.
        list.extend(fallbacks.iter().cloned());
        fonts.families.insert(egui::FontFamily::Name(family.into()), list);
    }
    fonts
}
