//! The language of messages: Japanese first, English too.

/// A language kpitree speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// 日本語.
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Parses `ja` or `en` (also `ja_JP.UTF-8`, `en-US` and the like).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "ja" || s.starts_with("ja_") || s.starts_with("ja-") || s.starts_with("ja.") {
            Some(Lang::Ja)
        } else if s == "en" || s.starts_with("en_") || s.starts_with("en-") || s.starts_with("en.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// The language of a POSIX locale string: Japanese for `ja*`, English
    /// for everything else.
    pub fn from_locale(locale: &str) -> Lang {
        Lang::parse(locale).filter(|l| *l == Lang::Ja).unwrap_or(Lang::En)
    }

    /// The language of the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`),
    /// else, on Windows, where these are seldom set, of the user's locale
    /// in the system's settings (`ja-JP` → Japanese).
    pub fn from_env() -> Lang {
        let posix =
            ["LC_ALL", "LC_MESSAGES", "LANG"].iter().filter_map(|k| std::env::var(k).ok()).find(|v| !v.is_empty());
        Lang::from_sources(posix.as_deref(), crate::platform::user_locale)
    }

    /// The language of a POSIX locale variable when one is set, else of the
    /// system's locale (asked only then); English when neither says.
    pub fn from_sources(posix: Option<&str>, system: impl FnOnce() -> Option<String>) -> Lang {
        match posix {
            Some(locale) => Lang::from_locale(locale),
            None => system().map_or(Lang::En, |locale| Lang::from_locale(&locale)),
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// The two-letter code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_locales_speak_japanese_and_others_english() {
        assert_eq!(Lang::from_locale("ja_JP.UTF-8"), Lang::Ja);
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale("de_DE"), Lang::En);
    }

    #[test]
    fn without_a_locale_variable_the_systems_locale_decides() {
        // Windows names locales with a hyphen.
        assert_eq!(Lang::from_sources(None, || Some("ja-JP".into())), Lang::Ja);
        assert_eq!(Lang::from_sources(None, || Some("en-GB".into())), Lang::En);
        assert_eq!(Lang::from_sources(None, || None), Lang::En);
    }

    #[test]
    fn a_locale_variable_wins_over_the_systems_locale() {
        assert_eq!(Lang::from_sources(Some("en_US.UTF-8"), || Some("ja-JP".into())), Lang::En);
        assert_eq!(
            Lang::from_sources(Some("ja_JP.UTF-8"), || panic!("the system is not asked when LANG says")),
            Lang::Ja
        );
    }
}
