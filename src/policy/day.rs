//! A calendar day (`YYYY-MM-DD`), parsed once where it enters.

use std::fmt;

/// A calendar day, shown and serialised as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(time::Date);

const FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A text that is not a `YYYY-MM-DD` day.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{text:?} is not a date of the form YYYY-MM-DD ({reason})")]
pub struct DayError {
    /// The text as given.
    pub text: String,
    /// What is wrong with it.
    pub reason: String,
}

impl Day {
    /// Today (UTC).
    pub fn today() -> Day {
        Day(time::OffsetDateTime::now_utc().date())
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Day) -> i64 {
        (later.0 - self.0).whole_days()
    }
}

impl std::str::FromStr for Day {
    type Err = DayError;
    fn from_str(s: &str) -> Result<Day, DayError> {
        time::Date::parse(s, FORMAT).map(Day).map_err(|e| DayError {
            text: s.to_owned(),
            reason: e.to_string(),
        })
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        )
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_shows_and_counts() {
        let a: Day = "2025-07-09".parse().unwrap();
        let b: Day = "2026-03-01".parse().unwrap();
        assert_eq!(a.to_string(), "2025-07-09");
        assert_eq!(a.days_until(b), 235);
        assert_eq!(b.days_until(a), -235);
        assert!("2026-02-30".parse::<Day>().is_err());
        assert!("9 July 2025".parse::<Day>().is_err());
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"2025-07-09\"");
    }
}
