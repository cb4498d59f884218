//! schedule.csv: the contract's example row, reading back, contradictions and file errors.

use jiff::civil::date;
use turnus_core::{Assignment, Schedule};
use turnus_io::{read_schedule_csv, write_schedule_csv};

use crate::common::Bundle;

fn night_over_spring_change() -> Schedule {
    Schedule {
        assignments: vec![
            Assignment { employee: "1002".into(), date: date(2026, 3, 24), shift: "D".into() },
            Assignment { employee: "1001".into(), date: date(2026, 3, 28), shift: "N".into() },
        ],
    }
}

#[test]
fn writes_offsets_across_clock_change() {
    let problem = Bundle::new().problem();
    let text = write_schedule_csv(&problem, &night_over_spring_change()).unwrap();
    assert_eq!(
        text,
        "employee,date,shift,start,end\n\
         1001,2026-03-28,N,2026-03-28T21:15:00+01:00,2026-03-29T07:00:00+02:00\n\
         1002,2026-03-24,D,2026-03-24T07:00:00+01:00,2026-03-24T15:45:00+01:00\n"
    );
}

#[test]
fn reads_back_what_it_writes() {
    let problem = Bundle::new().problem();
    let mut schedule = night_over_spring_change();
    let text = write_schedule_csv(&problem, &schedule).unwrap();
    let (read, contradictions) = read_schedule_csv(&problem, "schedule.csv", text.as_bytes()).unwrap();
    schedule.sort();
    assert_eq!(read, schedule);
    assert!(contradictions.is_empty(), "{contradictions:?}");
}

#[test]
fn start_end_optional_and_swedish_headers() {
    let problem = Bundle::new().problem();
    let text = "anställd;datum;pass\n1001;2026-03-28;N\n";
    let (read, contradictions) = read_schedule_csv(&problem, "schema.csv", text.as_bytes()).unwrap();
    assert_eq!(read.assignments.len(), 1);
    assert!(contradictions.is_empty());
}

#[test]
fn differing_times_are_contradictions() {
    let problem = Bundle::new().problem();
    let text = "employee,date,shift,start,end\n1001,2026-03-28,N,2026-03-28T21:00:00+01:00,2026-03-29T07:00:00+02:00\n";
    let (_, contradictions) = read_schedule_csv(&problem, "schedule.csv", text.as_bytes()).unwrap();
    assert_eq!(contradictions.len(), 1, "{contradictions:?}");
    let message = &contradictions[0].message_en;
    for part in ["line 2", "1001", "2026-03-28", "2026-03-28T21:15:00+01:00"] {
        assert!(message.contains(part), "{message}");
    }
    assert!(contradictions[0].message_sv.contains("rad 2"), "{}", contradictions[0].message_sv);
}

#[test]
fn malformed_date_is_a_file_error() {
    let problem = Bundle::new().problem();
    let text = "employee,date,shift\n1001,2026-03-28,N\n1002,46090,D\n";
    let errors = read_schedule_csv(&problem, "schedule.csv", text.as_bytes()).unwrap_err();
    assert_eq!(errors.errors.len(), 1);
    let error = &errors.errors[0];
    assert_eq!((error.file.as_str(), error.line), ("schedule.csv", Some(3)));
    assert_eq!((error.column.as_deref(), error.value.as_deref()), (Some("date"), Some("46090")));
}

#[test]
fn missing_column_and_bad_time_are_file_errors() {
    let problem = Bundle::new().problem();
    let errors =
        read_schedule_csv(&problem, "schedule.csv", b"employee,date\n1001,2026-03-28\n").unwrap_err();
    assert_eq!(errors.errors[0].column.as_deref(), Some("shift"));

    let text = "employee,date,shift,start\n1001,2026-03-28,N,21:15\n";
    let errors = read_schedule_csv(&problem, "schedule.csv", text.as_bytes()).unwrap_err();
    assert_eq!((errors.errors[0].line, errors.errors[0].column.as_deref()), (Some(2), Some("start")));
}

#[test]
fn unknown_shift_code_reported_with_other_errors() {
    let problem = Bundle::new().problem();
    let text = "employee,date,shift\n1001,2026-03-28,N\n1001,2026-03-29,X\n1002,15.03.2026,D\n";
    let errors = read_schedule_csv(&problem, "bad.csv", text.as_bytes()).unwrap_err();
    assert_eq!(errors.errors.len(), 2, "{errors}");
    let unknown = &errors.errors[0];
    assert_eq!(
        (unknown.file.as_str(), unknown.line, unknown.column.as_deref(), unknown.value.as_deref()),
        ("bad.csv", Some(3), Some("shift"), Some("X"))
    );
    assert_eq!(unknown.message_sv, "okänd passkod; skriv en av underlagets koder: D, N");
    assert_eq!(unknown.message_en, "unknown shift code; write one of the problem's codes: D, N");
    assert_eq!((errors.errors[1].line, errors.errors[1].column.as_deref()), (Some(4), Some("date")));
}
