//! Zoned time for schedules: turning a civil date and clock time into an absolute instant
//! in the unit's time zone, and the schedule period as a range of civil dates. Instants are
//! minutes since the Unix epoch, so rest and durations are elapsed time across clock changes.

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

/// Errors from time computations.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TimeError {
    #[error("date {0} is outside the supported range")]
    OutOfRange(Date),
}

/// A schedule period: whole weeks from a start date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: Date,
    pub weeks: u32,
}

impl Period {
    /// Number of days in the period.
    pub fn days(&self) -> u32 {
        self.weeks * 7
    }

    /// The civil date of day `index`, where 0 is the start date; negative indexes are days
    /// before the period.
    pub fn date(&self, index: i32) -> Date {
        // Civil arithmetic on dates: never through UTC, so no date shifts at midnight.
        self.start.checked_add(jiff::Span::new().days(index)).unwrap_or(self.start)
    }

    /// Day index of `date` relative to the start (negative before the period).
    pub fn index_of(&self, date: Date) -> i32 {
        // `until` in days is exact for civil dates; the i64 fits i32 for any jiff date.
        self.start.until((jiff::Unit::Day, date)).map(|s| s.get_days()).unwrap_or(0)
    }

    /// The last date of the period (inclusive).
    pub fn end_inclusive(&self) -> Date {
        self.date(i32::try_from(self.days()).unwrap_or(i32::MAX) - 1)
    }

    /// Whether `date` falls inside the period.
    pub fn contains(&self, date: Date) -> bool {
        date >= self.start && date <= self.end_inclusive()
    }
}

/// Minutes since the Unix epoch of the local `date` and `time` in `tz`.
///
/// A local time inside the spring gap (02:00–03:00 on the last Sunday of March in Stockholm)
/// resolves to the later offset, as jiff's compatible disambiguation does; a time in the
/// autumn fold resolves to the earlier of the two instants.
///
/// # Errors
///
/// Returns [`TimeError::OutOfRange`] when the date is beyond what jiff can represent.
pub fn minutes_at(tz: &TimeZone, date: Date, time: Time) -> Result<i64, TimeError> {
    let zoned =
        date.to_datetime(time).to_zoned_datetime(tz.clone()).map_err(|_| TimeError::OutOfRange(date))?;
    Ok(zoned.timestamp().as_second().div_euclid(60))
}

/// The local date and time of an instant given in minutes since the epoch.
pub fn zoned_of_minutes(tz: &TimeZone, minutes: i64) -> jiff::ZonedDateTime {
    let ts = jiff::Timestamp::from_second(minutes * 60).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    ts.to_zoned_datetime(tz.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn stockholm() -> TimeZone {
        TimeZone::get("Europe/Stockholm").unwrap()
    }

    #[test]
    fn night_over_spring_change_is_an_hour_shorter() {
        let tz = stockholm();
        let start = minutes_at(&tz, date(2026, 3, 28), time(21, 15, 0, 0)).unwrap();
        let end = minutes_at(&tz, date(2026, 3, 29), time(7, 0, 0, 0)).unwrap();
        assert_eq!(end - start, 8 * 60 + 45);
    }

    #[test]
    fn night_over_autumn_change_is_an_hour_longer() {
        let tz = stockholm();
        let start = minutes_at(&tz, date(2026, 10, 24), time(21, 15, 0, 0)).unwrap();
        let end = minutes_at(&tz, date(2026, 10, 25), time(7, 0, 0, 0)).unwrap();
        assert_eq!(end - start, 10 * 60 + 45);
    }

    #[test]
    fn period_dates_cross_iso_week_53() {
        let period = Period { start: date(2026, 12, 21), weeks: 4 };
        assert_eq!(period.date(7), date(2026, 12, 28));
        assert_eq!(period.date(7).iso_week_date().week(), 53);
        assert_eq!(period.date(14).iso_week_date().week(), 1);
        assert_eq!(period.end_inclusive(), date(2027, 1, 17));
        assert_eq!(period.index_of(date(2026, 12, 7)), -14);
    }
}
