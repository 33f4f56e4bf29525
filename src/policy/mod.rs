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

/// The effective date a version states: its front matter's, else its
/// release tag's (`<policy>/<YYYY-MM-DD>`). `None` when neither is a day.
pub fn stated_effective(v: &crate::report::VersionInfo) -> Option<Day> {
    v.effective
        .clone()
        .or_else(|| {
            v.tag
                .as_deref()
                .and_then(|t| t.rsplit('/').next())
                .map(str::to_owned)
        })
        .and_then(|d| d.parse().ok())
}
