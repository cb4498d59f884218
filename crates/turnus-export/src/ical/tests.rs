//! Tests of the iCalendar writer: folding, escaping, CRLF, nights over both Stockholm clock
//! changes and a period across ISO week 53.

use jiff::civil::{Date, date, time};
use turnus_core::{Assignment, Employee, Period, Preset, RuleSet, ShiftType, Unit};

use super::*;

fn shift(code: &str, name: &str, start: (i8, i8), end: (i8, i8), break_minutes: u32) -> ShiftType {
    ShiftType {
        code: code.into(),
        name: name.into(),
        start: time(start.0, start.1, 0, 0),
        end: time(end.0, end.1, 0, 0),
        break_minutes,
        skill: None,
        cannot_follow: Vec::new(),
    }
}

fn problem(start: Date, weeks: u32) -> Problem {
    Problem {
        unit: Unit {
            name: "Björkens äldreboende, avdelning 2; Linden".into(),
            time_zone: "Europe/Stockholm".into(),
            period: Period { start, weeks },
        },
        rules: RuleSet::preset(Preset::Ab),
        employees: vec![Employee {
            id: "1042".into(),
            name: "Anna Berg".into(),
            employment_basis_points: 10_000,
            full_time_minutes: None,
            skills: Vec::new(),
            night_worker: true,
            limits: Default::default(),
        }],
        shift_types: vec![
            shift("D", "Dag, tidig", (7, 0), (15, 30), 30),
            shift("N", "Natt", (21, 15), (7, 15), 45),
        ],
        demand: Vec::new(),
        wishes: Vec::new(),
        absences: Vec::new(),
        skill_grants: Vec::new(),
        history: None,
        pins: Vec::new(),
    }
}

fn schedule(rows: &[(Date, &str)]) -> Schedule {
    Schedule {
        assignments: rows
            .iter()
            .map(|(d, s)| Assignment { employee: "1042".into(), date: *d, shift: (*s).into() })
            .collect(),
    }
}

fn options(lang: Lang) -> ExportOptions {
    ExportOptions {
        lang,
        employee: Some("1042".into()),
        generated_at: "2026-12-01T08:00:00Z".parse().unwrap(),
    }
}

/// Unfolds the calendar into its logical content lines.
fn unfold(text: &str) -> Vec<String> {
    text.replace("\r\n ", "").split("\r\n").filter(|l| !l.is_empty()).map(str::to_string).collect()
}

/// Collects the logical lines of each VEVENT.
fn events(text: &str) -> Vec<Vec<String>> {
    let mut all = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in unfold(text) {
        match line.as_str() {
            "BEGIN:VEVENT" => current = Some(Vec::new()),
            "END:VEVENT" => all.extend(current.take()),
            _ => {
                if let Some(c) = current.as_mut() {
                    c.push(line);
                }
            }
        }
    }
    all
}

fn value<'a>(event: &'a [String], name: &str) -> &'a str {
    event
        .iter()
        .find(|l| l.starts_with(&format!("{name}:")) || l.starts_with(&format!("{name};")))
        .map(|l| l.as_str())
        .unwrap_or_else(|| panic!("no {name} in {event:?}"))
}

#[test]
fn fold_keeps_lines_within_75_octets() {
    let line = format!("DESCRIPTION:{}", "åäö ".repeat(60));
    let folded = fold_line(&line);
    for physical in folded.split_terminator("\r\n") {
        assert!(physical.len() <= 75, "{} octets: {physical:?}", physical.len());
    }
    assert_eq!(folded.replace("\r\n ", ""), format!("{line}\r\n"));
}

#[test]
fn fold_leaves_short_lines_alone() {
    assert_eq!(fold_line("VERSION:2.0"), "VERSION:2.0\r\n");
    let exactly = "X".repeat(75);
    assert_eq!(fold_line(&exactly), format!("{exactly}\r\n"));
    assert_eq!(fold_line(&"X".repeat(76)), format!("{}\r\n X\r\n", "X".repeat(75)));
}

#[test]
fn escape_text_special_characters() {
    assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
    assert_eq!(escape_text("rad 1\nrad 2\r\nrad 3"), "rad 1\\nrad 2\\nrad 3");
    assert_eq!(escape_text("tab\there"), "tab\there");
    assert_eq!(escape_text("bell\u{7}"), "bell");
}

#[test]
fn calendar_uses_crlf_only() {
    let p = problem(date(2026, 3, 23), 2);
    let text = write_ics(&p, &schedule(&[(date(2026, 3, 23), "D")]), "1042", &options(Lang::Sv)).unwrap();
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    for line in text.split_terminator("\r\n") {
        assert!(line.len() <= 75, "{line:?}");
    }
}

#[test]
fn event_text_is_escaped() {
    let p = problem(date(2026, 3, 23), 2);
    let text = write_ics(&p, &schedule(&[(date(2026, 3, 23), "D")]), "1042", &options(Lang::Sv)).unwrap();
    let event = &events(&text)[0];
    assert_eq!(value(event, "LOCATION"), "LOCATION:Björkens äldreboende\\, avdelning 2\\; Linden");
    assert!(
        value(event, "DESCRIPTION")
            .starts_with("DESCRIPTION:Dag\\, tidig\\, mån 2026-03-23\\, v. 13\\nRast 30")
    );
    assert_eq!(value(event, "SUMMARY"), "SUMMARY:Pass D 07:00–15:30");
}

#[test]
fn summary_in_english() {
    let p = problem(date(2026, 3, 23), 2);
    let text = write_ics(&p, &schedule(&[(date(2026, 3, 23), "D")]), "1042", &options(Lang::En)).unwrap();
    let event = &events(&text)[0];
    assert_eq!(value(event, "SUMMARY"), "SUMMARY:Shift D 07:00–15:30");
    assert!(value(event, "DESCRIPTION").contains("Mon 2026-03-23\\, Week 13\\nBreak 30 min"));
}

#[test]
fn uid_is_stable_and_unique() {
    let p = problem(date(2026, 3, 23), 2);
    let rows = [(date(2026, 3, 23), "D"), (date(2026, 3, 24), "D"), (date(2026, 3, 25), "N")];
    let mut later = options(Lang::Sv);
    later.generated_at = "2026-12-02T09:30:00Z".parse().unwrap();
    let first = events(&write_ics(&p, &schedule(&rows), "1042", &options(Lang::Sv)).unwrap());
    let second = events(&write_ics(&p, &schedule(&rows[1..]), "1042", &later).unwrap());
    let uids =
        |events: &[Vec<String>]| events.iter().map(|e| value(e, "UID").to_string()).collect::<Vec<_>>();
    assert_eq!(uids(&first)[1..], uids(&second)[..]);
    // The unit key is a fixed hash of the unit name, so it must not change between releases.
    assert_eq!(uids(&first)[0], "UID:1042-20260323-D-05d06a69ad53cd53@turnus");
    assert_eq!(uid_part("a b,c@d"), "a%20b%2Cc%40d");
    assert_eq!(value(&second[0], "DTSTAMP"), "DTSTAMP:20261202T093000Z");
}

#[test]
fn night_over_spring_change() {
    // Summer time starts 2027-03-28 at 02:00 CET: the night of the 27th lasts 9 h.
    let p = problem(date(2027, 3, 22), 1);
    let text = write_ics(&p, &schedule(&[(date(2027, 3, 27), "N")]), "1042", &options(Lang::Sv)).unwrap();
    let event = &events(&text)[0];
    assert_eq!(value(event, "DTSTART"), "DTSTART;TZID=Europe/Stockholm:20270327T211500");
    assert_eq!(value(event, "DTEND"), "DTEND;TZID=Europe/Stockholm:20270328T071500");
    assert!(value(event, "DESCRIPTION").contains("arbetstid 8 h 15 min"));

    let lines = unfold(&text);
    let daylight = lines.iter().position(|l| l == "BEGIN:DAYLIGHT").expect("a daylight observance");
    assert_eq!(lines[daylight + 1], "DTSTART:20270328T020000");
    assert_eq!(lines[daylight + 2], "TZOFFSETFROM:+0100");
    assert_eq!(lines[daylight + 3], "TZOFFSETTO:+0200");
    assert_eq!(lines[daylight + 4], "TZNAME:CEST");
}

#[test]
fn night_over_autumn_change() {
    // Summer time ends 2026-10-25 at 03:00 CEST: the night of the 24th lasts 11 h.
    let p = problem(date(2026, 10, 19), 1);
    let text = write_ics(&p, &schedule(&[(date(2026, 10, 24), "N")]), "1042", &options(Lang::Sv)).unwrap();
    let event = &events(&text)[0];
    assert_eq!(value(event, "DTSTART"), "DTSTART;TZID=Europe/Stockholm:20261024T211500");
    assert_eq!(value(event, "DTEND"), "DTEND;TZID=Europe/Stockholm:20261025T071500");
    assert!(value(event, "DESCRIPTION").contains("arbetstid 10 h 15 min"));

    let lines = unfold(&text);
    let standard = lines
        .iter()
        .enumerate()
        .position(|(i, l)| l == "BEGIN:STANDARD" && lines[i + 1] == "DTSTART:20261025T030000")
        .expect("a standard observance at the autumn change");
    assert_eq!(lines[standard + 2], "TZOFFSETFROM:+0200");
    assert_eq!(lines[standard + 3], "TZOFFSETTO:+0100");
    // The summer time observance in force at the first event is there too.
    assert!(lines.contains(&"DTSTART:20260329T020000".to_string()));
}

#[test]
fn period_across_week_53() {
    // 2026 has 53 ISO weeks; 2026-12-28 is the Monday of week 53 and 2027-01-04 of week 1.
    let p = problem(date(2026, 12, 21), 3);
    let rows = [(date(2026, 12, 28), "D"), (date(2027, 1, 3), "N"), (date(2027, 1, 4), "D")];
    let text = write_ics(&p, &schedule(&rows), "1042", &options(Lang::Sv)).unwrap();
    let all = events(&text);
    assert_eq!(all.len(), 3);
    assert!(value(&all[0], "DESCRIPTION").contains("mån 2026-12-28\\, v. 53"));
    assert!(value(&all[1], "DESCRIPTION").contains("sön 2027-01-03\\, v. 53"));
    assert!(value(&all[2], "DESCRIPTION").contains("mån 2027-01-04\\, v. 1\\n"));
    assert_eq!(value(&all[1], "DTEND"), "DTEND;TZID=Europe/Stockholm:20270104T071500");
}

#[test]
fn only_the_employee_s_shifts() {
    let mut p = problem(date(2026, 3, 23), 1);
    let mut other = p.employees[0].clone();
    other.id = "2001".into();
    p.employees.push(other);
    let mut s = schedule(&[(date(2026, 3, 23), "D")]);
    s.assignments.push(Assignment { employee: "2001".into(), date: date(2026, 3, 24), shift: "D".into() });
    let text = write_ics(&p, &s, "1042", &options(Lang::Sv)).unwrap();
    assert_eq!(events(&text).len(), 1);
    assert!(matches!(write_ics(&p, &s, "9999", &options(Lang::Sv)), Err(ExportError::UnknownEmployee(_))));
}

#[test]
fn empty_calendar_is_valid() {
    let p = problem(date(2026, 3, 23), 1);
    let text = write_ics(&p, &Schedule::default(), "1042", &options(Lang::Sv)).unwrap();
    let lines = unfold(&text);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(!text.contains("VTIMEZONE"));
}
