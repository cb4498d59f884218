//! User-facing words of the exports in Swedish and English: weekday and holiday names and
//! week labels.

use jiff::civil::Weekday;
use turnus_core::{Holiday, Lang};

/// Short weekday name: `mån`…`sön` or `Mon`…`Sun`.
pub(crate) fn weekday_short(lang: Lang, day: Weekday) -> &'static str {
    let (sv, en) = match day {
        Weekday::Monday => ("mån", "Mon"),
        Weekday::Tuesday => ("tis", "Tue"),
        Weekday::Wednesday => ("ons", "Wed"),
        Weekday::Thursday => ("tor", "Thu"),
        Weekday::Friday => ("fre", "Fri"),
        Weekday::Saturday => ("lör", "Sat"),
        Weekday::Sunday => ("sön", "Sun"),
    };
    lang.pick(sv, en)
}

/// Formats a week label as Swedish calendars write it (`v. 12`), or as `Week 12`.
pub(crate) fn week_label(lang: Lang, week: i8) -> String {
    match lang {
        Lang::Sv => format!("v. {week}"),
        Lang::En => format!("Week {week}"),
    }
}

/// Returns the holiday's name in `lang`.
pub(crate) fn holiday_name(lang: Lang, holiday: Holiday) -> &'static str {
    if lang == Lang::Sv {
        return holiday.name_sv();
    }
    match holiday {
        Holiday::NewYearsDay => "New Year's Day",
        Holiday::Epiphany => "Epiphany",
        Holiday::GoodFriday => "Good Friday",
        Holiday::EasterEve => "Easter Eve",
        Holiday::EasterDay => "Easter Day",
        Holiday::EasterMonday => "Easter Monday",
        Holiday::MayDay => "May Day",
        Holiday::AscensionDay => "Ascension Day",
        Holiday::WhitsunEve => "Whitsun Eve",
        Holiday::Whitsunday => "Whitsunday",
        Holiday::NationalDay => "National Day",
        Holiday::MidsummerEve => "Midsummer Eve",
        Holiday::MidsummerDay => "Midsummer Day",
        Holiday::AllSaintsDay => "All Saints' Day",
        Holiday::ChristmasEve => "Christmas Eve",
        Holiday::ChristmasDay => "Christmas Day",
        Holiday::BoxingDay => "Boxing Day",
        Holiday::NewYearsEve => "New Year's Eve",
    }
}
