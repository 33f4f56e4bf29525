//! Value enums for the command line, each converted into the core's own type
//! (the core does not depend on clap).

use clap::ValueEnum;

use crate::classify::Classification;
use crate::policy::Locale;
use crate::render::RedlineFormat;

/// Output formats of a redline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Terminal redline.
    Text,
    /// For a pull-request comment on GitHub (GFM: `<del>`/`<ins>`, changes folded).
    Markdown,
    /// Standalone legal redline page.
    Html,
    /// The Report (public contract).
    Json,
    /// Word document with every change a tracked revision (binary: needs -o FILE or a pipe).
    Docx,
}

impl From<FormatArg> for RedlineFormat {
    fn from(f: FormatArg) -> RedlineFormat {
        match f {
            FormatArg::Text => RedlineFormat::Text,
            FormatArg::Markdown => RedlineFormat::Markdown,
            FormatArg::Html => RedlineFormat::Html,
            FormatArg::Json => RedlineFormat::Json,
            FormatArg::Docx => RedlineFormat::Docx,
        }
    }
}

/// A class of change, as `--fail-on` takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOnArg {
    /// Identical, or editorial differences only.
    None,
    /// A substantive change that fires no trigger.
    Minor,
    /// At least one trigger fired.
    Major,
}

impl From<FailOnArg> for Classification {
    fn from(c: FailOnArg) -> Classification {
        match c {
            FailOnArg::None => Classification::None,
            FailOnArg::Minor => Classification::Minor,
            FailOnArg::Major => Classification::Major,
        }
    }
}

/// A locale notices exist in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LocaleArg {
    /// English.
    #[value(name = "en")]
    En,
    /// Simplified Chinese.
    #[value(name = "zh-CN")]
    ZhCn,
}

impl From<LocaleArg> for Locale {
    fn from(l: LocaleArg) -> Locale {
        match l {
            LocaleArg::En => Locale::En,
            LocaleArg::ZhCn => Locale::ZhCn,
        }
    }
}
