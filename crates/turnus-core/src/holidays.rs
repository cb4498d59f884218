//! Swedish public holidays (helgdagar) computed per year, Easter included, the eves that most
//! agreements treat as holidays, and the major holidays (storhelger) used for fair burden.
//! Source: Lag (1989:253) om allmänna helgdagar, as summarised in the rule catalog.

use jiff::civil::{Date, Weekday, date};

/// A Swedish public holiday or holiday eve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holiday {
    NewYearsDay,
    Epiphany,
    GoodFriday,
    EasterEve,
    EasterDay,
    EasterMonday,
    MayDay,
    AscensionDay,
    WhitsunEve,
    Whitsunday,
    NationalDay,
    MidsummerEve,
    MidsummerDay,
    AllSaintsDay,
    ChristmasEve,
    ChristmasDay,
    BoxingDay,
    NewYearsEve,
}

impl Holiday {
    /// Whether this day is a public holiday by law, as opposed to an eve.
    pub fn is_public(self) -> bool {
        !matches!(
            self,
            Holiday::EasterEve
                | Holiday::WhitsunEve
                | Holiday::MidsummerEve
                | Holiday::ChristmasEve
                | Holiday::NewYearsEve
        )
    }

    /// Swedish name.
    pub fn name_sv(self) -> &'static str {
        match self {
            Holiday::NewYearsDay => "nyårsdagen",
            Holiday::Epiphany => "trettondedag jul",
            Holiday::GoodFriday => "långfredagen",
            Holiday::EasterEve => "påskafton",
            Holiday::EasterDay => "påskdagen",
            Holiday::EasterMonday => "annandag påsk",
            Holiday::MayDay => "första maj",
            Holiday::AscensionDay => "Kristi himmelsfärds dag",
            Holiday::WhitsunEve => "pingstafton",
            Holiday::Whitsunday => "pingstdagen",
            Holiday::NationalDay => "Sveriges nationaldag",
            Holiday::MidsummerEve => "midsommarafton",
            Holiday::MidsummerDay => "midsommardagen",
            Holiday::AllSaintsDay => "alla helgons dag",
            Holiday::ChristmasEve => "julafton",
            Holiday::ChristmasDay => "juldagen",
            Holiday::BoxingDay => "annandag jul",
            Holiday::NewYearsEve => "nyårsafton",
        }
    }
}

/// Easter Sunday of `year` in the Gregorian calendar (anonymous Gregorian algorithm).
fn easter_day(year: i16) -> Date {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // Month is 3 or 4 and day 1..=31 by construction of the algorithm.
    date(year, month as i8, day as i8)
}

/// The first date on or after `from` that falls on `weekday`.
fn next_weekday(from: Date, weekday: Weekday) -> Date {
    let mut day = from;
    while day.weekday() != weekday {
        day = day.tomorrow().unwrap_or(day);
    }
    day
}

/// The holiday or eve on `day`, if any.
pub fn holiday_on(day: Date) -> Option<Holiday> {
    let year = day.year();
    let (month, dom) = (day.month(), day.day());
    let fixed = match (month, dom) {
        (1, 1) => Some(Holiday::NewYearsDay),
        (1, 6) => Some(Holiday::Epiphany),
        (5, 1) => Some(Holiday::MayDay),
        (6, 6) => Some(Holiday::NationalDay),
        (12, 24) => Some(Holiday::ChristmasEve),
        (12, 25) => Some(Holiday::ChristmasDay),
        (12, 26) => Some(Holiday::BoxingDay),
        (12, 31) => Some(Holiday::NewYearsEve),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }

    let easter = easter_day(year);
    let offset = easter.until((jiff::Unit::Day, day)).map(|s| s.get_days()).unwrap_or(i32::MAX);
    let moving = match offset {
        -2 => Some(Holiday::GoodFriday),
        -1 => Some(Holiday::EasterEve),
        0 => Some(Holiday::EasterDay),
        1 => Some(Holiday::EasterMonday),
        39 => Some(Holiday::AscensionDay),
        48 => Some(Holiday::WhitsunEve),
        49 => Some(Holiday::Whitsunday),
        _ => None,
    };
    if moving.is_some() {
        return moving;
    }

    let midsummer_day = next_weekday(date(year, 6, 20), Weekday::Saturday);
    if day == midsummer_day {
        return Some(Holiday::MidsummerDay);
    }
    if Some(day) == midsummer_day.yesterday().ok() {
        return Some(Holiday::MidsummerEve);
    }
    if day == next_weekday(date(year, 10, 31), Weekday::Saturday) {
        return Some(Holiday::AllSaintsDay);
    }
    None
}

/// Whether `day` is a public holiday (helgdag), not counting eves.
pub fn is_public_holiday(day: Date) -> bool {
    holiday_on(day).is_some_and(Holiday::is_public)
}

/// Whether `day` is an eve that most agreements treat as a holiday.
pub fn is_holiday_eve(day: Date) -> bool {
    holiday_on(day).is_some_and(|h| !h.is_public())
}

/// Whether `day` belongs to a major holiday (storhelg: Easter, Whitsun, Midsummer, Christmas,
/// New Year), eves included, as used for the fair spread of holiday work.
pub fn is_storhelg(day: Date) -> bool {
    matches!(
        holiday_on(day),
        Some(
            Holiday::GoodFriday
                | Holiday::EasterEve
                | Holiday::EasterDay
                | Holiday::EasterMonday
                | Holiday::WhitsunEve
                | Holiday::Whitsunday
                | Holiday::MidsummerEve
                | Holiday::MidsummerDay
                | Holiday::ChristmasEve
                | Holiday::ChristmasDay
                | Holiday::BoxingDay
                | Holiday::NewYearsEve
                | Holiday::NewYearsDay
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_dates_match_the_calendar() {
        assert_eq!(easter_day(2024), date(2024, 3, 31));
        assert_eq!(easter_day(2025), date(2025, 4, 20));
        assert_eq!(easter_day(2026), date(2026, 4, 5));
        assert_eq!(easter_day(2027), date(2027, 3, 28));
        assert_eq!(easter_day(2038), date(2038, 4, 25));
    }

    #[test]
    fn moving_holidays_of_2026() {
        assert_eq!(holiday_on(date(2026, 4, 3)), Some(Holiday::GoodFriday));
        assert_eq!(holiday_on(date(2026, 4, 6)), Some(Holiday::EasterMonday));
        assert_eq!(holiday_on(date(2026, 5, 14)), Some(Holiday::AscensionDay));
        assert_eq!(holiday_on(date(2026, 5, 24)), Some(Holiday::Whitsunday));
        assert_eq!(holiday_on(date(2026, 6, 19)), Some(Holiday::MidsummerEve));
        assert_eq!(holiday_on(date(2026, 6, 20)), Some(Holiday::MidsummerDay));
        assert_eq!(holiday_on(date(2026, 10, 31)), Some(Holiday::AllSaintsDay));
    }

    #[test]
    fn eves_are_not_public_holidays() {
        assert!(!is_public_holiday(date(2026, 12, 24)));
        assert!(is_holiday_eve(date(2026, 12, 24)));
        assert!(is_public_holiday(date(2026, 12, 25)));
        assert!(is_storhelg(date(2026, 12, 24)));
        assert!(!is_storhelg(date(2026, 6, 6)));
        assert!(!is_public_holiday(date(2026, 12, 23)));
    }
}
