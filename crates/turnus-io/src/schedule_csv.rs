//! `schedule.csv`: one row per worked shift with its local start and end and their UTC
//! offsets, written by `turnus solve` and read back by `turnus check`.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use turnus_core::{Assignment, Contradiction, Problem, Schedule, ShiftType, minutes_at, zoned_of_minutes};

use crate::bundle::{Column, Msg, Table, column, decode, parse_date};
use crate::error::{InputError, InputErrors};

const EXAMPLE_TIME: &str = "2026-03-28T21:15:00+01:00";

static COLUMNS: [Column; 5] = [
    column("employee", "anställd", true, "anställningsnumret, t.ex. 1042", "the staff id, e.g. 1042"),
    column("date", "datum", true, "passets startdag ÅÅÅÅ-MM-DD", "the shift's start date YYYY-MM-DD"),
    column("shift", "pass", true, "en passkod, t.ex. N", "a shift code, e.g. N"),
    column(
        "start",
        "start",
        false,
        "lokal tid med UTC-förskjutning, t.ex. 2026-03-28T21:15:00+01:00",
        "local time with UTC offset, e.g. 2026-03-28T21:15:00+01:00",
    ),
    column(
        "end",
        "slut",
        false,
        "lokal tid med UTC-förskjutning, t.ex. 2026-03-29T07:00:00+02:00",
        "local time with UTC offset, e.g. 2026-03-29T07:00:00+02:00",
    ),
];

/// Start and end of a shift type started on `date`, in minutes since the Unix epoch.
fn shift_instants(tz: &TimeZone, shift: &ShiftType, date: Date) -> Option<(i64, i64)> {
    let end_date = if shift.crosses_midnight() { date.tomorrow().ok()? } else { date };
    let start = minutes_at(tz, date, shift.start).ok()?;
    let end = minutes_at(tz, end_date, shift.end).ok()?;
    Some((start, end))
}

/// Local RFC 3339 time with offset, e.g. `2026-03-28T21:15:00+01:00`.
fn local_text(tz: &TimeZone, minutes: i64) -> String {
    zoned_of_minutes(tz, minutes).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn time_zone(problem: &Problem, file: &str) -> Result<TimeZone, InputErrors> {
    problem.time_zone().map_err(|_| {
        InputErrors::one(InputError::file(
            file,
            format!(
                "okänd tidszon {:?} i underlaget; skriv ett IANA-namn, t.ex. Europe/Stockholm",
                problem.unit.time_zone
            ),
            format!(
                "unknown time zone {:?} in the problem; write an IANA name, e.g. Europe/Stockholm",
                problem.unit.time_zone
            ),
        ))
    })
}

/// Writes a schedule as `employee,date,shift,start,end`, sorted by employee, date and shift.
///
/// # Errors
///
/// Returns an error for an unknown time zone, and for a row naming a shift code that the
/// problem does not have or a date whose times cannot be represented.
pub fn write_schedule_csv(problem: &Problem, schedule: &Schedule) -> Result<String, InputErrors> {
    const FILE: &str = "schedule.csv";
    let tz = time_zone(problem, FILE)?;
    let mut rows = schedule.assignments.clone();
    rows.sort();

    let mut writer =
        csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    let mut errors = Vec::new();
    let write = |writer: &mut csv::Writer<Vec<u8>>, record: [&str; 5]| {
        writer.write_record(record).map_err(|e| e.to_string())
    };
    let mut failures = Vec::new();
    if let Err(e) = write(&mut writer, ["employee", "date", "shift", "start", "end"]) {
        failures.push(e);
    }
    for a in &rows {
        let instants = problem
            .shift_types
            .iter()
            .find(|s| s.code == a.shift)
            .and_then(|s| shift_instants(&tz, s, a.date));
        let Some((start, end)) = instants else {
            errors.push(InputError::file(
                FILE,
                format!("passet {} för {} {} finns inte i underlaget", a.shift, a.employee, a.date),
                format!("shift {} of {} on {} is not in the problem", a.shift, a.employee, a.date),
            ));
            continue;
        };
        let date = a.date.to_string();
        let record = [
            a.employee.as_str(),
            date.as_str(),
            a.shift.as_str(),
            &local_text(&tz, start),
            &local_text(&tz, end),
        ];
        if let Err(e) = write(&mut writer, record) {
            failures.push(e);
        }
    }
    for failure in failures {
        errors.push(InputError::file(
            FILE,
            format!("raden kunde inte skrivas ({failure})"),
            format!("the row could not be written ({failure})"),
        ));
    }
    if !errors.is_empty() {
        return Err(InputErrors { errors });
    }
    let bytes = writer.into_inner().map_err(|e| {
        InputErrors::one(InputError::file(
            FILE,
            format!("filen kunde inte skrivas ({e})"),
            format!("the file could not be written ({e})"),
        ))
    })?;
    // The csv writer is given only `&str` fields, so its output is UTF-8.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads a schedule file with the bundle's CSV conventions.
///
/// `start` and `end` are optional. Where given, they must match the shift type's times on
/// that date. A mismatch is returned as a [`Contradiction`] because the schedule then
/// disagrees with the bundle. Unknown employees are left to the evaluator, which reports
/// them as contradictions too.
///
/// # Errors
///
/// Returns every error in the file itself: undecodable bytes, a missing or unknown column,
/// an empty cell, a malformed date or time, a shift code that the problem does not have,
/// each with its line, column and value.
pub fn read_schedule_csv(
    problem: &Problem,
    file_name: &str,
    bytes: &[u8],
) -> Result<(Schedule, Vec<Contradiction>), InputErrors> {
    let text = decode(bytes).map_err(|msg| InputErrors::one(InputError::file(file_name, msg.sv, msg.en)))?;
    let tz = time_zone(problem, file_name)?;
    let mut errors = Vec::new();
    let table = Table::parse(file_name, &text, &COLUMNS, true, &mut errors);

    let mut schedule = Schedule::default();
    let mut contradictions = Vec::new();
    for row in &table.rows {
        let employee = table.required(row, 0, &mut errors);
        let date = table.parse_required(row, 1, &mut errors, parse_date);
        let shift = table.parse_required(row, 2, &mut errors, |code| known_shift(problem, code));
        let start = table.parse_optional(row, 3, &mut errors, parse_instant);
        let end = table.parse_optional(row, 4, &mut errors, parse_instant);
        let (Some(employee), Some(date), Some(shift), Ok(start), Ok(end)) =
            (employee, date, shift, start, end)
        else {
            continue;
        };

        let expected =
            problem.shift_types.iter().find(|s| s.code == shift).and_then(|s| shift_instants(&tz, s, date));
        let shift = shift.as_str();
        if let Some((expected_start, expected_end)) = expected {
            for (label_sv, label_en, given, wanted) in
                [("start", "start", start, expected_start), ("slut", "end", end, expected_end)]
            {
                let Some(given) = given else { continue };
                if given != wanted {
                    let (given, wanted) = (local_text(&tz, given), local_text(&tz, wanted));
                    contradictions.push(Contradiction {
                        message_sv: format!(
                            "{file_name} rad {}: {label_sv} {given} för {employee} {date} pass {shift} skiljer sig från passtypens {wanted}",
                            row.line
                        ),
                        message_en: format!(
                            "{file_name} line {}: {label_en} {given} of {employee} on {date} shift {shift} differs from the shift type's {wanted}",
                            row.line
                        ),
                    });
                }
            }
        }
        schedule.assignments.push(Assignment {
            employee: employee.to_string(),
            date,
            shift: shift.to_string(),
        });
    }

    if !errors.is_empty() {
        return Err(InputErrors { errors });
    }
    Ok((schedule, contradictions))
}

/// Checks that `code` is one of the problem's shift codes, and lists them when it is not.
fn known_shift(problem: &Problem, code: &str) -> Result<String, Msg> {
    if problem.shift_types.iter().any(|s| s.code == code) {
        return Ok(code.to_string());
    }
    let codes: Vec<&str> = problem.shift_types.iter().map(|s| s.code.as_str()).collect();
    let codes = codes.join(", ");
    Err(Msg::new(
        format!("okänd passkod; skriv en av underlagets koder: {codes}"),
        format!("unknown shift code; write one of the problem's codes: {codes}"),
    ))
}

/// Parses an RFC 3339 time with offset into minutes since the Unix epoch.
fn parse_instant(text: &str) -> Result<i64, Msg> {
    let bad = || {
        Msg::new(
            format!("ogiltig tidpunkt; skriv lokal tid med UTC-förskjutning, t.ex. {EXAMPLE_TIME}"),
            format!("invalid time; write local time with its UTC offset, e.g. {EXAMPLE_TIME}"),
        )
    };
    let timestamp: jiff::Timestamp = text.trim().parse().map_err(|_| bad())?;
    if timestamp.subsec_nanosecond() != 0 || timestamp.as_second() % 60 != 0 {
        return Err(Msg::new(
            "tidpunkten har sekunder; skriv hela minuter, t.ex. 21:15:00",
            "the time has seconds; write whole minutes, e.g. 21:15:00",
        ));
    }
    Ok(timestamp.as_second().div_euclid(60))
}
