//! The local start and end of an assignment in the unit's zone. Both come from instants, so
//! a night over a clock change shows the clock time people see, and a clock time inside the
//! spring gap shows as the later time it resolves to (as the evaluator counts it).

use jiff::ZonedDateTime;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use turnus_core::{ShiftType, minutes_at, zoned_of_minutes};

use crate::ExportError;

/// Start and end of one worked shift.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftTimes {
    pub start: ZonedDateTime,
    pub end: ZonedDateTime,
}

impl ShiftTimes {
    /// Local clock times as `07:00–15:45` (en dash, as Swedish typography writes ranges).
    pub fn clock_range(&self) -> String {
        let (s, e) = (self.start.datetime(), self.end.datetime());
        format!("{:02}:{:02}–{:02}:{:02}", s.hour(), s.minute(), e.hour(), e.minute())
    }

    /// Elapsed minutes from start to end, including any break.
    pub fn elapsed_minutes(&self) -> i64 {
        (self.end.timestamp().as_second() - self.start.timestamp().as_second()) / 60
    }
}

/// Computes the zoned start and end of `shift` starting on `date` in `tz`. A shift whose end clock
/// time is at or before its start ends the next day.
///
/// # Errors
///
/// Returns [`ExportError::TimeOutOfRange`] when a date is beyond jiff's range.
pub fn shift_times(tz: &TimeZone, date: Date, shift: &ShiftType) -> Result<ShiftTimes, ExportError> {
    let out_of_range = || ExportError::TimeOutOfRange { shift: shift.code.clone(), date };
    let end_date = if shift.crosses_midnight() { date.tomorrow().map_err(|_| out_of_range())? } else { date };
    let start = minutes_at(tz, date, shift.start).map_err(|_| out_of_range())?;
    let end = minutes_at(tz, end_date, shift.end).map_err(|_| out_of_range())?;
    Ok(ShiftTimes { start: zoned_of_minutes(tz, start), end: zoned_of_minutes(tz, end) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    fn night() -> ShiftType {
        ShiftType {
            code: "N".into(),
            name: "Natt".into(),
            start: time(21, 15, 0, 0),
            end: time(7, 15, 0, 0),
            break_minutes: 45,
            skill: None,
            cannot_follow: Vec::new(),
        }
    }

    #[test]
    fn night_over_spring_change() {
        let tz = TimeZone::get("Europe/Stockholm").unwrap();
        let t = shift_times(&tz, date(2027, 3, 27), &night()).unwrap();
        assert_eq!(t.clock_range(), "21:15–07:15");
        assert_eq!(t.elapsed_minutes(), 9 * 60);
        assert_eq!(t.end.offset().seconds(), 7200);
    }

    #[test]
    fn night_over_autumn_change() {
        let tz = TimeZone::get("Europe/Stockholm").unwrap();
        let t = shift_times(&tz, date(2026, 10, 24), &night()).unwrap();
        assert_eq!(t.clock_range(), "21:15–07:15");
        assert_eq!(t.elapsed_minutes(), 11 * 60);
        assert_eq!(t.end.offset().seconds(), 3600);
    }
}
