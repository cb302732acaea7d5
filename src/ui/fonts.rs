//! The bundled Japanese font, registered as a fallback for every family.

use std::sync::Arc;

/// BIZ UDPGothic (SIL OFL 1.1, see `assets/fonts/OFL.txt`).
pub const JAPANESE_FONT: &[u8] = crate::export::FONT_REGULAR;

/// The canvas's regular face: BIZ UDPGothic, as the export measures it.
pub const REGULAR: &str = "kpitree-regular";
/// The canvas's bold face.
pub const BOLD: &str = "kpitree-bold";

/// The system's Japanese faces behind BIZ UDPGothic, for characters it
/// lacks (rare kanji, symbols): Yu Gothic (whose collection also holds Yu
/// Gothic UI, with the same characters), else Meiryo, on Windows; none
/// elsewhere. What the export draws never depends on them.
pub fn system_fallback_paths(windows_folder: Option<&std::path::Path>) -> Vec<std::path::PathBuf> {
    let Some(windows) = windows_folder else { return Vec::new() };
    ["YuGothR.ttc", "meiryo.ttc"].iter().map(|name| windows.join("Fonts").join(name)).collect()
}

/// A font file larger than this is not a font kpitree loads.
const SYSTEM_FONT_CAP: u64 = 64 * 1024 * 1024;

/// The first of `paths` that can be read (each a font collection, its first face).
fn system_fallback(paths: &[std::path::PathBuf]) -> Option<(String, egui::FontData)> {
    paths.iter().find_map(|path| {
        let len = std::fs::metadata(path).ok().filter(|m| m.is_file())?.len();
        if len > SYSTEM_FONT_CAP {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        let name = path.file_stem()?.to_string_lossy().into_owned();
        Some((name, egui::FontData::from_owned(bytes)))
    })
}

/// egui's default fonts with BIZ UDPGothic behind each family, so Latin text
/// keeps egui's look and every kanji and kana is drawn; and the canvas's own
/// two families, BIZ UDPGothic first, so that cards are laid out on screen
/// exactly as the export measures them. On Windows, Yu Gothic or Meiryo
/// comes last in every family ([`system_fallback_paths`]).
pub fn definitions() -> egui::FontDefinitions {
    let windows = if cfg!(windows) { std::env::var_os("WINDIR").map(std::path::PathBuf::from) } else { None };
    with_fallback(bundled(), system_fallback(&system_fallback_paths(windows.as_deref())))
}

/// `fonts` with `fallback` added as the last face of every family.
fn with_fallback(
    mut fonts: egui::FontDefinitions,
    fallback: Option<(String, egui::FontData)>,
) -> egui::FontDefinitions {
    if let Some((name, data)) = fallback {
        fonts.font_data.insert(name.clone(), Arc::new(data));
        for family in fonts.families.values_mut() {
            family.push(name.clone());
        }
    }
    fonts
}

fn bundled() -> egui::FontDefinitions {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_windows_yu_gothic_then_meiryo_are_looked_for_in_the_fonts_folder() {
        let paths = system_fallback_paths(Some(std::path::Path::new("C:/Windows")));
        assert_eq!(
            paths,
            [std::path::Path::new("C:/Windows/Fonts/YuGothR.ttc"), std::path::Path::new("C:/Windows/Fonts/meiryo.ttc")]
        );
        assert!(system_fallback_paths(None).is_empty());
    }

    #[test]
    fn the_first_readable_system_font_comes_after_the_bundled_one_in_every_family() {
        let dir = tempfile::tempdir().unwrap();
        let meiryo = dir.path().join("meiryo.ttc");
        std::fs::write(&meiryo, crate::export::FONT_REGULAR).unwrap();
        let missing = dir.path().join("YuGothR.ttc");
        let fonts = with_fallback(bundled(), system_fallback(&[missing, meiryo]));
        assert!(fonts.font_data.contains_key("meiryo"));
        for (family, faces) in &fonts.families {
            let bundled = faces.iter().position(|f| f == "BIZ UDPGothic" || f == "BIZ UDPGothic Bold");
            assert_eq!(faces.last().map(String::as_str), Some("meiryo"), "{family:?}: {faces:?}");
            assert!(bundled.is_some_and(|b| b < faces.len() - 1), "{family:?}: {faces:?}");
        }
    }

    #[test]
    fn without_a_system_font_the_families_are_the_bundled_ones() {
        let fonts = with_fallback(bundled(), system_fallback(&[std::path::PathBuf::from("/nonexistent/x.ttc")]));
        assert_eq!(fonts.families, bundled().families);
    }
}
