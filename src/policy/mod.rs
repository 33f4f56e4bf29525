//! Rules that the company's policy and configuration impose around a
//! comparison: calendar days, the locales notices exist in, the notice period
//! a class of change needs, and what a release tag records.

mod day;
mod locale;
mod notice_period;
mod release;

pub use day::{Day, DayError};
pub use locale::{Locale, UnknownLocale};
pub use notice_period::{ShortNotice, check_notice_period, required_days};
pub use release::{SincePrevious, release_message};

/// The release date in a version's tag (`<policy>/<YYYY-MM-DD>`), when the
/// version is a release.
pub fn release_day(v: &crate::report::VersionInfo) -> Option<Day> {
    v.tag
        .as_deref()
        .and_then(|t| t.rsplit_once('/'))
        .and_then(|(_, d)| d.parse().ok())
}

/// The effective date of a version: its release tag's when it is a release,
/// else its front matter's. `None` when neither is a day.
pub fn stated_effective(v: &crate::report::VersionInfo) -> Option<Day> {
    release_day(v).or_else(|| v.effective.as_deref().and_then(|d| d.parse().ok()))
}
