//! The notice period: how many days before a change takes effect users must
//! be told, by class of change (`[notice.min_days]`). One rule, used by
//! `release`, `notice` and `send`.

use super::Day;
use crate::classify::Classification;
use crate::config::MinDays;

/// Days of notice a class of change needs.
pub fn required_days(class: Classification, min: &MinDays) -> u32 {
    match class {
        Classification::Major => min.major,
        Classification::Minor => min.minor,
        Classification::None => 0,
    }
}

/// An effective date too soon for the class of change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShortNotice {
    /// The effective date is less than the required days after the notice.
    #[error(
        "a {class} change needs {needed} days' notice, but {effective} is {} the notice date {notice}",
        relative(*.days)
    )]
    TooSoon {
        /// The class of change.
        class: &'static str,
        /// Days required.
        needed: u32,
        /// Effective date.
        effective: Day,
        /// Notice date.
        notice: Day,
        /// Days from notice to effective date.
        days: i64,
    },
    /// The class needs notice, and there is no effective date to check.
    #[error(
        "a {class} change needs {needed} days' notice, and the new version has no effective date: give --effective YYYY-MM-DD"
    )]
    NoEffectiveDate {
        /// The class of change.
        class: &'static str,
        /// Days required.
        needed: u32,
    },
}

/// "12 days after", "1 day after", "the same day as", "273 days before".
fn relative(days: i64) -> String {
    let n = days.unsigned_abs();
    let unit = if n == 1 { "day" } else { "days" };
    match days {
        0 => "on".into(),
        d if d > 0 => format!("{n} {unit} after"),
        _ => format!("{n} {unit} before"),
    }
}

/// Check the notice period: `Ok` when the class needs none, or the
/// effective date is far enough after the notice date.
pub fn check_notice_period(
    class: Classification,
    effective: Option<Day>,
    notice: Day,
    min: &MinDays,
) -> Result<(), ShortNotice> {
    let needed = required_days(class, min);
    if needed == 0 {
        return Ok(());
    }
    let Some(effective) = effective else {
        return Err(ShortNotice::NoEffectiveDate {
            class: class.as_str(),
            needed,
        });
    };
    let days = notice.days_until(effective);
    if days >= i64::from(needed) {
        return Ok(());
    }
    Err(ShortNotice::TooSoon {
        class: class.as_str(),
        needed,
        effective,
        notice,
        days,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn one_rule_for_every_class() {
        let min = MinDays {
            major: 30,
            minor: 7,
        };
        let notice = day("2026-01-01");
        assert!(
            check_notice_period(Classification::Major, Some(day("2026-01-31")), notice, &min)
                .is_ok()
        );
        let e = check_notice_period(Classification::Major, Some(day("2025-04-03")), notice, &min)
            .unwrap_err();
        assert!(e.to_string().contains("273 days before"), "{e}");
        assert!(
            check_notice_period(Classification::Minor, Some(day("2026-01-05")), notice, &min)
                .is_err()
        );
        assert!(check_notice_period(Classification::None, None, notice, &min).is_ok());
        assert!(matches!(
            check_notice_period(Classification::Major, None, notice, &min),
            Err(ShortNotice::NoEffectiveDate { .. })
        ));
    }
}
