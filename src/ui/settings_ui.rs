//! The editor's settings: read once at start (language, how yen are shown,
//! recent files, the window's place), written when one of them changes and
//! when the window closes. The file and its bounds are `io::Settings`'.

use std::path::PathBuf;

use super::app::KpiApp;
use crate::io::Settings;
use crate::lang::Lang;

const LANG_KEY: &str = "kpitree.lang";
const COMPACT_YEN_KEY: &str = "kpitree.compact_yen";
const RECENT_KEY: &str = "kpitree.recent";
const WINDOW_KEY: &str = "kpitree.window";
/// Recent files kept.
pub const RECENT_LIMIT: usize = 10;

/// The language the settings name, if any.
pub fn lang(settings: &Settings) -> Option<Lang> {
    settings.get(LANG_KEY).and_then(Lang::parse)
}

/// Whether yen are shown in 万 and 億.
pub fn compact_yen(settings: &Settings) -> bool {
    settings.get(COMPACT_YEN_KEY) == Some("true")
}

/// The recent files the settings keep, newest first.
pub fn recent(settings: &Settings) -> Vec<PathBuf> {
    settings
        .get(RECENT_KEY)
        .map(|s| s.lines().filter(|l| !l.is_empty()).map(PathBuf::from).take(RECENT_LIMIT).collect())
        .unwrap_or_default()
}

/// Where the window was and how large (its inside), when the settings know
/// and it is a size a window can have.
pub fn window(settings: &Settings) -> Option<([f32; 2], [f32; 2])> {
    let numbers: Vec<f32> = settings.get(WINDOW_KEY)?.split_whitespace().filter_map(|n| n.parse().ok()).collect();
    let [x, y, w, h] = numbers[..] else { return None };
    let sane = |v: f32, lo: f32| v.is_finite() && (lo..=16_384.0).contains(&v);
    (sane(w, 320.0) && sane(h, 200.0) && x.is_finite() && y.is_finite()).then_some(([x, y], [w, h]))
}

impl KpiApp {
    /// Puts what the editor keeps into its settings, and writes them when
    /// that changed anything (or at `exit`, with the window's place).
    pub(super) fn keep_settings(&mut self, exit: bool) {
        let recent: Vec<String> = self.files.recent.iter().map(|p| p.display().to_string()).collect();
        let mut changed = self.settings.set(LANG_KEY, self.lang.code());
        changed |= self.settings.set(COMPACT_YEN_KEY, if self.canvas.compact_yen { "true" } else { "false" });
        changed |= self.settings.set(RECENT_KEY, &recent.join("\n"));
        if exit {
            let (outer, inner) = self.repaint.input(|i| (i.viewport().outer_rect, i.viewport().inner_rect));
            if let (Some(outer), Some(inner)) = (outer, inner) {
                let place = format!("{} {} {} {}", outer.min.x, outer.min.y, inner.width(), inner.height());
                changed |= self.settings.set(WINDOW_KEY, &place);
            }
        }
        if changed && let Err(e) = self.settings.save() {
            // Nothing to show it on at exit; the next change tries again.
            eprintln!("kpitree: cannot keep the settings: {}", crate::io::error_message(&e, self.lang));
        }
    }
}
