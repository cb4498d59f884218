//! Parsers for single CSV cells: ISO dates, clock times, decimal and whole numbers, yes/no.
//! Each failure carries the message in Swedish and English with what to write instead.

use jiff::civil::{Date, Time};

/// A message in Swedish and English.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Msg {
    pub sv: String,
    pub en: String,
}

impl Msg {
    pub(crate) fn new(sv: impl Into<String>, en: impl Into<String>) -> Msg {
        Msg { sv: sv.into(), en: en.into() }
    }
}

/// Parses an ISO date `YYYY-MM-DD`. A bare number is taken for an Excel serial date and
/// rejected with the date it stands for, so the user can fix the column format.
pub(crate) fn parse_date(text: &str) -> Result<Date, Msg> {
    let text = text.trim();
    if !text.is_empty() && text.len() <= 7 && text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(excel_serial_message(text));
    }

    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes.iter().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return Err(Msg::new(
            "ogiltigt datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2026-03-23",
            "invalid date; write YYYY-MM-DD, e.g. 2026-03-23",
        ));
    }
    // The shape check above guarantees ASCII digits at these positions.
    let year: i16 = text[0..4].parse().unwrap_or(0);
    let month: i8 = text[5..7].parse().unwrap_or(0);
    let day: i8 = text[8..10].parse().unwrap_or(0);
    Date::new(year, month, day).map_err(|_| {
        Msg::new(
            "datumet finns inte i kalendern; skriv ett riktigt datum ÅÅÅÅ-MM-DD",
            "no such date in the calendar; write a real date YYYY-MM-DD",
        )
    })
}

/// Builds the message for a bare number in a date column, read as an Excel serial date.
fn excel_serial_message(text: &str) -> Msg {
    let fix_sv = "formatera kolumnen som text eller datum ÅÅÅÅ-MM-DD i Excel";
    let fix_en = "format the column as text or as a YYYY-MM-DD date in Excel";
    let serial: i64 = text.parse().unwrap_or(0);
    match excel_serial_date(serial) {
        Some(date) => Msg::new(
            format!(
                "ett tal i stället för ett datum: Excel-serienumret {serial} betyder {date}; skriv {date} och {fix_sv}"
            ),
            format!(
                "a number instead of a date: Excel serial date {serial} means {date}; write {date} and {fix_en}"
            ),
        ),
        None => Msg::new(
            format!(
                "ett tal i stället för ett datum: {serial} är inget Excel-datum; skriv ÅÅÅÅ-MM-DD och {fix_sv}"
            ),
            format!("a number instead of a date: {serial} is no Excel date; write YYYY-MM-DD and {fix_en}"),
        ),
    }
}

/// Converts an Excel serial number in the 1900 date system, where 1 is 1900-01-01, to a date.
///
/// Excel counts 1900-02-29 (serial 60), a day that does not exist, so serials from 61 on
/// are one day ahead of a plain count; 60 itself has no date. The 1904 system of old Mac
/// workbooks is not recognized.
pub(crate) fn excel_serial_date(serial: i64) -> Option<Date> {
    let (base, days) = match serial {
        1..=59 => (Date::new(1899, 12, 31).ok()?, serial),
        61..=2_958_465 => (Date::new(1899, 12, 30).ok()?, serial),
        _ => return None,
    };
    base.checked_add(jiff::Span::new().days(days)).ok()
}

/// Parses a clock time `HH:MM` or `H:MM` (a trailing `:00` for seconds is allowed).
pub(crate) fn parse_time(text: &str) -> Result<Time, Msg> {
    let bad = || {
        Msg::new(
            "ogiltig tid; skriv TT:MM med 24-timmarsklocka, t.ex. 07:00 eller 21:15",
            "invalid clock time; write HH:MM on the 24-hour clock, e.g. 07:00 or 21:15",
        )
    };

    let text = text.trim();
    let mut parts = text.split(':');
    let (Some(hour), Some(minute)) = (parts.next(), parts.next()) else {
        return Err(bad());
    };
    if let Some(second) = parts.next()
        && second != "00"
    {
        return Err(bad());
    }
    if parts.next().is_some() {
        return Err(bad());
    }

    let digits =
        |s: &str, min_len: usize| s.len() >= min_len && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(hour, 1) || !digits(minute, 2) {
        return Err(bad());
    }
    let hour: i8 = hour.parse().map_err(|_| bad())?;
    let minute: i8 = minute.parse().map_err(|_| bad())?;
    if hour == 24 && minute == 0 {
        return Err(Msg::new(
            "24:00 är inget giltigt klockslag; skriv 00:00 (ett slut vid eller före start betyder nästa dag)",
            "24:00 is not accepted; write 00:00 (an end at or before the start means the next day)",
        ));
    }
    Time::new(hour, minute, 0, 0).map_err(|_| bad())
}

/// Parses a non-negative decimal number with `,` or `.` as the decimal separator.
pub(crate) fn parse_decimal(text: &str) -> Result<f64, Msg> {
    let text = text.trim();
    let bad = || {
        Msg::new(
            "ogiltigt tal; skriv ett tal med decimalkomma eller decimalpunkt, t.ex. 75,5",
            "invalid number; write a number with a decimal comma or point, e.g. 75.5",
        )
    };
    let mut parts = text.splitn(2, [',', '.']);
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next().unwrap_or("");
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return Err(bad());
    }
    if whole.len() > 9 {
        return Err(bad());
    }
    format!(
        "{}.{}",
        if whole.is_empty() { "0" } else { whole },
        if fraction.is_empty() { "0" } else { fraction }
    )
    .parse::<f64>()
    .map_err(|_| bad())
}

/// Parses a whole number from 0 up.
pub(crate) fn parse_count(text: &str) -> Result<u32, Msg> {
    let text = text.trim();
    let bad = || {
        Msg::new(
            "ogiltigt heltal; skriv ett heltal från 0 och uppåt, t.ex. 2",
            "invalid whole number; write a whole number from 0 up, e.g. 2",
        )
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    text.parse().map_err(|_| bad())
}

/// Parses yes/no in English or Swedish (`yes`/`no`, `ja`/`nej`, `true`/`false`, `1`/`0`).
pub(crate) fn parse_yes_no(text: &str) -> Result<bool, Msg> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "ja" | "true" | "sant" | "1" => Ok(true),
        "no" | "nej" | "false" | "falskt" | "0" => Ok(false),
        _ => Err(Msg::new("ogiltigt värde; skriv ja eller nej", "invalid value; write yes or no")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn excel_serials_follow_the_1900_system() {
        assert_eq!(excel_serial_date(1), Some(date(1900, 1, 1)));
        assert_eq!(excel_serial_date(59), Some(date(1900, 2, 28)));
        assert_eq!(excel_serial_date(60), None);
        assert_eq!(excel_serial_date(61), Some(date(1900, 3, 1)));
        assert_eq!(excel_serial_date(45658), Some(date(2025, 1, 1)));
        assert_eq!(excel_serial_date(46082), Some(date(2026, 3, 1)));
        assert_eq!(excel_serial_date(46083), Some(date(2026, 3, 2)));
    }

    #[test]
    fn dates_must_be_iso() {
        assert_eq!(parse_date("2026-03-23"), Ok(date(2026, 3, 23)));
        assert!(parse_date("2026-3-23").is_err());
        assert!(parse_date("23/03/2026").is_err());
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("46082").unwrap_err().en.contains("2026-03-01"));
    }

    #[test]
    fn clock_times() {
        assert_eq!(parse_time("7:00"), Ok(time(7, 0, 0, 0)));
        assert_eq!(parse_time("21:15"), Ok(time(21, 15, 0, 0)));
        assert_eq!(parse_time("07:00:00"), Ok(time(7, 0, 0, 0)));
        for bad in ["7", "7.00", "25:00", "07:60", "07:5", "24:00", "", "07:00:30"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn decimals_take_comma_or_point() {
        assert_eq!(parse_decimal("75,5"), Ok(75.5));
        assert_eq!(parse_decimal("38.25"), Ok(38.25));
        assert_eq!(parse_decimal("100"), Ok(100.0));
        for bad in ["", ",", "1,2,3", "-5", "1 000", "abc", "1e3"] {
            assert!(parse_decimal(bad).is_err(), "{bad}");
        }
    }
}
