//! iCalendar (RFC 5545) for one employee: a VEVENT per worked shift with local times under
//! the unit's TZID. A VTIMEZONE built from the time zone database goes with them, so calendar
//! programs show the same clock times as the schedule on both sides of a clock change.
//!
//! Written by hand: the format needs only content lines, escaping and folding, and the
//! VTIMEZONE comes from the same time zone data (jiff's bundled database) as the evaluator's.

use std::fmt::Write as _;

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};
use turnus_core::{Lang, Problem, Schedule};

use crate::shift_times::{ShiftTimes, shift_times};
use crate::text::{week_label, weekday_short};
use crate::{ExportError, ExportOptions, check_employee};

/// RFC 5545 §3.1: content lines are at most 75 octets, not counting the CRLF.
const MAX_LINE_OCTETS: usize = 75;

/// Writes the calendar of employee `employee_id`: one event per assignment of theirs in
/// `schedule`, in date order. Rows naming a shift code the problem lacks are skipped with a
/// warning, since the evaluator already reports them as contradictions.
///
/// Each event's UID is built from the unit name, the employee id, the date and the shift
/// code, so publishing a changed schedule again updates the events that kept their shift
/// and drops the others from subscribed calendars.
///
/// # Errors
///
/// Returns [`ExportError::UnknownEmployee`] for an id the problem lacks,
/// [`ExportError::TimeZone`] for an unknown zone and [`ExportError::TimeOutOfRange`] for a
/// date beyond jiff's range.
pub fn write_ics(
    problem: &Problem,
    schedule: &Schedule,
    employee_id: &str,
    options: &ExportOptions,
) -> Result<String, ExportError> {
    check_employee(problem, employee_id)?;
    let lang = options.lang;
    let tz = problem.time_zone()?;
    let employee = problem.employees.iter().find(|e| e.id == employee_id).expect("checked above");

    let mut events = Vec::new();
    let mut rows: Vec<_> = schedule.assignments.iter().filter(|a| a.employee == employee_id).collect();
    rows.sort();
    for a in rows {
        let Some(shift) = problem.shift_types.iter().find(|s| s.code == a.shift) else {
            tracing::warn!(employee = %a.employee, date = %a.date, shift = %a.shift, "skipping a row with an unknown shift code");
            continue;
        };
        events.push((a, shift, shift_times(&tz, a.date, shift)?));
    }

    let mut out = Calendar::default();
    out.line("BEGIN:VCALENDAR");
    out.line("VERSION:2.0");
    out.line(&format!("PRODID:-//Turnus//Turnus {}//{}", env!("CARGO_PKG_VERSION"), lang_tag(lang)));
    out.line("CALSCALE:GREGORIAN");
    out.line("METHOD:PUBLISH");
    out.property("X-WR-CALNAME", &format!("{} – {}", employee.name, problem.unit.name));

    let tzid = tz.iana_name().map(str::to_string);
    if let (Some(tzid), Some((first, last))) = (&tzid, span(&events)) {
        out.property("X-WR-TIMEZONE", tzid);
        write_vtimezone(&mut out, &tz, tzid, first, last);
    }

    let stamp = utc_text(options.generated_at);
    let unit = unit_key(&problem.unit.name);
    for (a, shift, times) in &events {
        let date = a.date;
        let week = date.iso_week_date().week();
        out.line("BEGIN:VEVENT");
        out.line(&format!(
            "UID:{}-{}-{}-{}@turnus",
            uid_part(&a.employee),
            date.strftime("%Y%m%d"),
            uid_part(&a.shift),
            unit
        ));
        out.line(&format!("DTSTAMP:{stamp}"));
        out.line(&time_property("DTSTART", tzid.as_deref(), &times.start));
        out.line(&time_property("DTEND", tzid.as_deref(), &times.end));
        let title = lang.pick("Pass", "Shift");
        out.property("SUMMARY", &format!("{title} {} {}", shift.code, times.clock_range()));
        out.property("LOCATION", &problem.unit.name);
        out.property("DESCRIPTION", &description(lang, shift, times, &date, week));
        out.line("TRANSP:OPAQUE");
        out.line("END:VEVENT");
    }
    out.line("END:VCALENDAR");
    Ok(out.text)
}

/// Builds the event text: shift name, weekday, week number, break and paid time.
fn description(
    lang: Lang,
    shift: &turnus_core::ShiftType,
    times: &ShiftTimes,
    date: &jiff::civil::Date,
    week: i8,
) -> String {
    let paid = times.elapsed_minutes() - i64::from(shift.break_minutes);
    let (hours, minutes) = (paid / 60, paid % 60);
    let day = weekday_short(lang, date.weekday());
    match lang {
        Lang::Sv => format!(
            "{}, {day} {date}, {}\nRast {} min, arbetstid {hours} h {minutes:02} min",
            shift.name,
            week_label(lang, week),
            shift.break_minutes
        ),
        Lang::En => format!(
            "{}, {day} {date}, {}\nBreak {} min, working time {hours} h {minutes:02} min",
            shift.name,
            week_label(lang, week),
            shift.break_minutes
        ),
    }
}

fn lang_tag(lang: Lang) -> &'static str {
    lang.pick("SV", "EN")
}

/// Returns the first start and the last end of the events.
fn span(
    events: &[(&turnus_core::Assignment, &turnus_core::ShiftType, ShiftTimes)],
) -> Option<(Timestamp, Timestamp)> {
    let first = events.iter().map(|e| e.2.start.timestamp()).min()?;
    let last = events.iter().map(|e| e.2.end.timestamp()).max()?;
    Some((first, last))
}

/// Writes a VTIMEZONE with one observance per transition that matters between `first` and
/// `last`: the one in force at `first` and each later one up to `last`. Listing explicit
/// transitions (no RRULE) is valid RFC 5545 and stays right when a zone's rules change.
fn write_vtimezone(out: &mut Calendar, tz: &TimeZone, tzid: &str, first: Timestamp, last: Timestamp) {
    out.line("BEGIN:VTIMEZONE");
    out.property("TZID", tzid);

    // The transition in force at `first` is the latest one at or before it; `preceding`
    // starts strictly before its argument, hence the extra second.
    let start_search = first.checked_add(jiff::SignedDuration::from_secs(1)).unwrap_or(first);
    let mut transitions: Vec<(Timestamp, Offset, String, bool)> = Vec::new();
    if let Some(t) = tz.preceding(start_search).next() {
        transitions.push((t.timestamp(), t.offset(), t.abbreviation().to_string(), t.dst().is_dst()));
    }
    for t in tz.following(first) {
        if t.timestamp() > last {
            break;
        }
        transitions.push((t.timestamp(), t.offset(), t.abbreviation().to_string(), t.dst().is_dst()));
    }

    if transitions.is_empty() {
        // A zone without transitions (a fixed offset): one standard observance from 1970.
        let info = tz.to_offset_info(first);
        let offset = offset_text(info.offset());
        out.line("BEGIN:STANDARD");
        out.line("DTSTART:19700101T000000");
        out.line(&format!("TZOFFSETFROM:{offset}"));
        out.line(&format!("TZOFFSETTO:{offset}"));
        out.property("TZNAME", info.abbreviation());
        out.line("END:STANDARD");
    }
    for (at, offset, name, dst) in transitions {
        // DTSTART of an observance is the local time of the change in the offset before it.
        let before =
            tz.to_offset_info(at.checked_sub(jiff::SignedDuration::from_secs(1)).unwrap_or(at)).offset();
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        out.line(&format!("BEGIN:{kind}"));
        out.line(&format!("DTSTART:{}", local_text(before.to_datetime(at))));
        out.line(&format!("TZOFFSETFROM:{}", offset_text(before)));
        out.line(&format!("TZOFFSETTO:{}", offset_text(offset)));
        out.property("TZNAME", &name);
        out.line(&format!("END:{kind}"));
    }
    out.line("END:VTIMEZONE");
}

/// `DTSTART;TZID=Europe/Stockholm:20270327T211500`, or UTC when the zone has no IANA name.
fn time_property(name: &str, tzid: Option<&str>, at: &ZonedDateTime) -> String {
    match tzid {
        Some(tzid) => format!("{name};TZID={}:{}", param_value(tzid), local_text(at.datetime())),
        None => format!("{name}:{}", utc_text(at.timestamp())),
    }
}

/// Quotes a parameter value when it contains characters that RFC 5545 reserves (`:;,`).
fn param_value(value: &str) -> String {
    if value.contains([':', ';', ',']) {
        format!("\"{}\"", value.replace('"', ""))
    } else {
        value.to_string()
    }
}

fn local_text(at: DateTime) -> String {
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

fn utc_text(at: Timestamp) -> String {
    format!("{}Z", local_text(Offset::UTC.to_datetime(at)))
}

/// `+0100`, or `+013045` for an offset with seconds.
fn offset_text(offset: Offset) -> String {
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let abs = total.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 { format!("{sign}{h:02}{m:02}") } else { format!("{sign}{h:02}{m:02}{s:02}") }
}

/// Hashes the unit name into a short stable key, so that two units' events do not share a
/// UID unless their names collide in a 64-bit hash. FNV-1a, unlike std's hasher, gives the same
/// value in every Rust release.
fn unit_key(name: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in name.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Keeps ASCII letters, digits, `-` and `.` and percent-encodes every other byte, so the
/// UID parts cannot run into each other or into `@`.
fn uid_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'.' {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines.
pub(crate) fn escape_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF and a lone CR both become one escaped newline.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            // TEXT allows a tab but no other control character.
            c if c.is_control() && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line into lines of at most 75 octets that end with CRLF. Each
/// continuation starts with a space, and no UTF-8 character is split.
pub(crate) fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0;
    for c in line.chars() {
        let width = c.len_utf8();
        if used + width > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            // The leading space counts towards the 75 octets of the continuation line.
            used = 1;
        }
        out.push(c);
        used += width;
    }
    out.push_str("\r\n");
    out
}

/// The calendar text, built line by line.
#[derive(Default)]
struct Calendar {
    text: String,
}

impl Calendar {
    /// Appends a content line that is already escaped.
    fn line(&mut self, line: &str) {
        self.text.push_str(&fold_line(line));
    }

    /// Appends `NAME:value` with the value escaped as TEXT.
    fn property(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }
}

#[cfg(test)]
mod tests;
