//! File → 統合… (Merge…): another copy of this document, synced from the
//! same room (its room state beside it), merged into this one.

use std::time::Instant;

use super::app::KpiApp;
use super::files::{Picked, Purpose, native_pick};
use super::i18n::T;
use crate::lang::Lang;

impl KpiApp {
    /// File → 統合…: another copy of this document, synced from the same
    /// room (its room state beside it), merged into this one as one undo
    /// step; fields both copies changed keep the other copy's value, and a
    /// note says which.
    pub(super) fn merge_dialog(&mut self) {
        let folder = self.start_folder();
        match native_pick(Purpose::Merge, &folder, "", self.files.prompts_only) {
            Picked::Path(path) => self.merge_from(&path),
            Picked::Cancelled => {}
            Picked::Unavailable => self.prompt_for(Purpose::Merge, folder.join("")),
        }
    }

    /// Merges the copy at `path` into this document (File → 統合…).
    pub fn merge_from(&mut self, path: &std::path::Path) {
        let lang = self.lang;
        let result = (|| -> Result<(crate::model::Document, usize), String> {
            let here = self.session.path().ok_or_else(|| T::MergeNeedsStates.get(lang).to_owned())?;
            let state = |p: &std::path::Path| {
                std::fs::read(crate::collab::relay::state_path(p)).map_err(|_| T::MergeNeedsStates.get(lang).to_owned())
            };
            let (mine, theirs) = (state(here)?, state(path)?);
            let other = crate::io::load(path).map_err(|e| e.to_string())?;
            let current = std::sync::Arc::clone(self.session.document());
            let (base, merged) =
                crate::collab::merge_copies((&mine, &current), (&theirs, &other)).map_err(|e| e.to_string())?;
            let both = crate::collab::both_changed(&base, &current, &other, &merged).len();
            Ok((merged, both))
        })();
        match result {
            Ok((merged, both)) => {
                self.apply(vec![crate::model::Edit::Replace(Box::new(merged))]);
                let text = match lang {
                    Lang::Ja if both > 0 => {
                        format!("統合しました。両方で変えられていた {both} 個の欄は相手の値にしました")
                    }
                    Lang::Ja => "統合しました".to_owned(),
                    Lang::En if both > 0 => {
                        format!("Merged. {both} fields changed in both copies took the other copy's value")
                    }
                    Lang::En => "Merged".to_owned(),
                };
                self.files.status = Some((text, Instant::now()));
            }
            Err(e) => self.show_error(T::MergeFailed, e),
        }
    }
}
