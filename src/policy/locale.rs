//! The locales notices are written in: one list, one way to choose.

use std::fmt;

/// A locale that has notice templates and plain-language texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Locale {
    /// English.
    En,
    /// Simplified Chinese.
    ZhCn,
}

/// A locale without notice templates.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0:?}: notices exist for en, zh-CN only")]
pub struct UnknownLocale(pub String);

impl Locale {
    /// Every supported locale.
    pub const ALL: [Locale; 2] = [Locale::En, Locale::ZhCn];

    /// Its BCP 47 tag.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }

    /// Chinese text (full-width punctuation, no spaces between words).
    pub fn is_chinese(self) -> bool {
        self == Locale::ZhCn
    }
}

impl std::str::FromStr for Locale {
    type Err = UnknownLocale;
    fn from_str(s: &str) -> Result<Locale, UnknownLocale> {
        Locale::ALL
            .into_iter()
            .find(|l| l.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownLocale(s.to_owned()))
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_list_one_resolution() {
        assert_eq!("zh-CN".parse::<Locale>().unwrap(), Locale::ZhCn);
        assert_eq!("en".parse::<Locale>().unwrap(), Locale::En);
        assert!("fr".parse::<Locale>().is_err());
    }
}
