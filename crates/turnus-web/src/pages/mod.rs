//! The page handlers, one module per page, and helpers they share for labels of periods,
//! states and times.

pub mod audit;
pub mod auth;
pub mod change_reasons;
pub mod charts;
pub mod feed;
pub mod followup;
pub mod grid;
pub mod publish;
pub mod schedule_view;
pub mod staff;
pub mod start;
pub mod unit;
pub mod unit_data;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use turnus_store::{PeriodState, SchedulePeriod};

use crate::i18n::Texts;

/// "v. 11–16 2027": the ISO weeks a period covers.
pub fn period_label(t: &Texts, period: &SchedulePeriod) -> String {
    let first = period.start.iso_week_date();
    let last_day = period
        .start
        .checked_add(jiff::Span::new().days(i64::from(period.weeks) * 7 - 1))
        .unwrap_or(period.start);
    let last = last_day.iso_week_date();
    t.f3("period.label", first.week(), last.week(), last.year())
}

/// The state's name in the page's language.
pub fn state_label(t: &Texts, state: PeriodState) -> String {
    t.t(&format!("state.{}", state.as_str())).to_string()
}

/// An instant as `2027-01-31 23:59` in the unit's time zone (Stockholm when the zone is
/// unknown).
pub fn local_time(at: Timestamp, zone: &str) -> String {
    let tz =
        TimeZone::get(zone).unwrap_or_else(|_| TimeZone::get("Europe/Stockholm").unwrap_or(TimeZone::UTC));
    at.to_zoned_datetime(tz).strftime("%Y-%m-%d %H:%M").to_string()
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: jiff::civil::Date, to: jiff::civil::Date) -> i64 {
    from.until((jiff::Unit::Day, to)).map_or(0, |span| i64::from(span.get_days()))
}
