//! Exports of the sample särskilt boende bundle with a schedule from the solver: the XLSX
//! file is read back with calamine and compared with the evaluation, and the CSV and
//! iCalendar exports go through `export`.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;
use std::time::Duration;

use calamine::{Data, Range, Reader, Xlsx, open_workbook_from_rs};
use jiff::civil::{Date, date};
use turnus_core::{Evaluation, Lang, Problem, Schedule, compile, evaluate};
use turnus_export::{ExportError, ExportFormat, ExportOptions, export, write_xlsx};
use turnus_solver::{SolveOptions, grid_to_schedule, solve};

struct Sample {
    problem: Problem,
    schedule: Schedule,
    evaluation: Evaluation,
}

/// Loads the sample bundle and solves it with a short, reproducible run.
fn sample() -> Sample {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sarskilt-boende");
    let (problem, _warnings) = turnus_io::read_bundle(&dir).expect("the sample bundle reads");
    let compiled = compile(&problem).expect("the sample compiles");
    let options = SolveOptions {
        time_limit: Some(Duration::from_secs(60)),
        max_iterations: Some(5_000),
        threads: 1,
        seed: 7,
        stop: None,
    };
    let result = solve(&compiled, &options, |_| {});
    let schedule = grid_to_schedule(&compiled, &result.grid);
    let evaluation = evaluate(&problem, &schedule).expect("the schedule evaluates");
    Sample { problem, schedule, evaluation }
}

fn workbook(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).expect("calamine opens the file")
}

fn text(range: &Range<Data>, row: u32, col: u32) -> String {
    match range.get_value((row, col)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn number(range: &Range<Data>, row: u32, col: u32) -> f64 {
    match range.get_value((row, col)) {
        Some(Data::Float(x)) => *x,
        Some(Data::Int(x)) => *x as f64,
        other => panic!("cell ({row}, {col}) is not a number: {other:?}"),
    }
}

/// Maps each text in column A of a sheet (ids, shift codes, rule ids) to its row.
fn rows_by_id(range: &Range<Data>) -> HashMap<String, u32> {
    (0..range.height() as u32).map(|r| (text(range, r, 0), r)).collect()
}

/// Column of `day` in its week sheet: D is Monday.
fn day_col(day: Date) -> u32 {
    3 + u32::try_from(day.weekday().to_monday_zero_offset()).expect("0 to 6")
}

#[test]
fn xlsx_of_the_sample_matches_the_evaluation() {
    let s = sample();
    let options = ExportOptions::new(Lang::Sv);
    let bytes = write_xlsx(&s.problem, &s.schedule, &s.evaluation, &options).unwrap();
    let mut book = workbook(bytes);

    // Six weeks from Monday 2027-03-15 are ISO weeks 11 to 16.
    assert_eq!(book.sheet_names(), ["v. 11", "v. 12", "v. 13", "v. 14", "v. 15", "v. 16", "Sammanfattning"]);

    // Week 12 holds Good Friday (2027-03-26) and the spring clock change night.
    let week = book.worksheet_range("v. 12").unwrap();
    assert!(text(&week, 0, 0).contains("vecka 12, 2027-03-22–2027-03-28"));
    assert_eq!(text(&week, 1, 1), "Namn");
    assert_eq!(text(&week, 1, 3), "mån 22/3");
    assert_eq!(text(&week, 1, 7), "fre 26/3\nlångfredagen");
    let rows = rows_by_id(&week);
    let anna = rows["1001"];
    assert_eq!(text(&week, anna, 1), "Anna Lindqvist");
    assert_eq!(number(&week, anna, 2), 100.0);

    // Every assignment of the week shows in its cell with local times.
    let monday = date(2027, 3, 22);
    let mut checked = 0;
    for a in s.schedule.assignments.iter().filter(|a| a.date >= monday && a.date <= date(2027, 3, 28)) {
        let cell = text(&week, rows[&a.employee], day_col(a.date));
        let expected = match a.shift.as_str() {
            "D" => "D 07:00–15:45",
            "D5" => "D5 07:00–12:00",
            "K" => "K 13:00–21:30",
            "N" => "N 21:15–07:15",
            other => panic!("unexpected shift {other}"),
        };
        assert!(cell.contains(expected), "{} on {}: {cell:?}", a.employee, a.date);
        checked += 1;
    }
    assert!(checked > 50, "only {checked} shifts in week 12");

    // 1017 is on parental leave from 2027-03-22 to 2027-03-28.
    assert!(text(&week, rows["1017"], day_col(date(2027, 3, 24))).contains("föräldraledig"));

    // Cover rows below the staff: count against minimum from the evaluation.
    let line =
        s.evaluation.cover.iter().find(|l| l.date == monday && l.shift == "D" && l.skill.is_none()).unwrap();
    let cover_row = rows["D"];
    let cell = text(&week, cover_row, day_col(monday));
    assert!(cell.starts_with(&format!("{}/{}", line.count, line.min)), "{cell:?}");

    // Summary: per employee numbers and per rule totals equal the evaluation.
    let summary = book.worksheet_range("Sammanfattning").unwrap();
    assert_eq!(text(&summary, 2, 3), "Schemalagda timmar");
    let rows = rows_by_id(&summary);
    for e in &s.evaluation.employees {
        let r = rows[&e.id];
        assert_eq!(text(&summary, r, 1), e.name);
        assert!((number(&summary, r, 3) - e.scheduled_minutes as f64 / 60.0).abs() < 1e-9, "{}", e.id);
        assert!((number(&summary, r, 4) - e.target_minutes as f64 / 60.0).abs() < 1e-9, "{}", e.id);
        assert_eq!(number(&summary, r, 6), f64::from(e.shifts), "{}", e.id);
        assert_eq!(number(&summary, r, 7), f64::from(e.weekends_worked), "{}", e.id);
        assert_eq!(number(&summary, r, 8), f64::from(e.nights), "{}", e.id);
        assert_eq!(number(&summary, r, 9), f64::from(e.wishes_granted), "{}", e.id);
        assert_eq!(number(&summary, r, 10), f64::from(e.wishes - e.wishes_granted), "{}", e.id);
    }
    for (rule, score) in &s.evaluation.by_rule {
        let r = rows[rule.as_str()];
        assert_eq!(number(&summary, r, 3), score.hard as f64, "{rule:?}");
        assert_eq!(number(&summary, r, 4), score.soft as f64, "{rule:?}");
    }
    let total = rows["Totalt"];
    assert_eq!(number(&summary, total, 3), s.evaluation.score.hard as f64);
    assert_eq!(number(&summary, total, 4), s.evaluation.score.soft as f64);
}

#[test]
fn xlsx_in_english_for_one_employee() {
    let s = sample();
    let mut options = ExportOptions::new(Lang::En);
    options.employee = Some("1005".into());
    let bytes = export(&s.problem, &s.schedule, &s.evaluation, ExportFormat::Xlsx, &options).unwrap();
    let mut book = workbook(bytes);
    assert_eq!(book.sheet_names().first().map(String::as_str), Some("Week 11"));
    assert_eq!(book.sheet_names().last().map(String::as_str), Some("Summary"));

    let week = book.worksheet_range("Week 13").unwrap();
    assert_eq!(text(&week, 1, 3), "Mon 29/3\nEaster Monday");
    assert_eq!(text(&week, 2, 0), "1005");
    assert_eq!(text(&week, 3, 0), "", "only one employee row");
    assert_eq!(text(&week, 2, day_col(date(2027, 3, 29))), "semester");

    let summary = book.worksheet_range("Summary").unwrap();
    assert_eq!(text(&summary, 2, 3), "Scheduled hours");
    assert_eq!(text(&summary, 3, 0), "1005");
}

#[test]
fn csv_and_ics_through_export() {
    let s = sample();
    let mut options = ExportOptions::new(Lang::Sv);
    options.employee = Some("1001".into());

    let csv = String::from_utf8(
        export(&s.problem, &s.schedule, &s.evaluation, ExportFormat::Csv, &options).unwrap(),
    )
    .unwrap();
    let shifts = s.schedule.assignments.iter().filter(|a| a.employee == "1001").count();
    assert_eq!(csv.lines().count(), shifts + 1);
    assert!(csv.lines().skip(1).all(|l| l.starts_with("1001,")));

    let ics = String::from_utf8(
        export(&s.problem, &s.schedule, &s.evaluation, ExportFormat::Ics, &options).unwrap(),
    )
    .unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), shifts);

    options.employee = None;
    let missing = export(&s.problem, &s.schedule, &s.evaluation, ExportFormat::Ics, &options);
    assert!(matches!(missing, Err(ExportError::EmployeeRequired)));
    options.employee = Some("no-such-id".into());
    let unknown = export(&s.problem, &s.schedule, &s.evaluation, ExportFormat::Xlsx, &options);
    assert!(matches!(unknown, Err(ExportError::UnknownEmployee(id)) if id == "no-such-id"));
}

#[test]
fn xlsx_times_over_both_clock_changes() {
    // A shift starting at 02:30 on 2027-03-28 starts inside the spring gap, so it shows the
    // 03:30 it resolves to. The nights before each change keep their clock times.
    let mut s = sample();
    let mut early = s.problem.shift_types[0].clone();
    early.code = "G".into();
    early.start = jiff::civil::time(2, 30, 0, 0);
    early.end = jiff::civil::time(6, 0, 0, 0);
    early.break_minutes = 0;
    s.problem.shift_types.push(early);
    s.problem.unit.period = turnus_core::Period { start: date(2026, 10, 19), weeks: 24 };
    s.problem.absences.clear();
    s.problem.wishes.clear();
    s.problem.pins.clear();
    s.problem.history = None;
    s.schedule.assignments = vec![
        turnus_core::Assignment { employee: "1001".into(), date: date(2026, 10, 24), shift: "N".into() },
        turnus_core::Assignment { employee: "1001".into(), date: date(2027, 3, 27), shift: "N".into() },
        turnus_core::Assignment { employee: "1002".into(), date: date(2027, 3, 28), shift: "G".into() },
    ];
    s.evaluation = evaluate(&s.problem, &s.schedule).unwrap();
    let bytes = write_xlsx(&s.problem, &s.schedule, &s.evaluation, &ExportOptions::new(Lang::Sv)).unwrap();
    let mut book = workbook(bytes);
    assert_eq!(book.sheet_names().len(), 25, "24 weeks and the summary");
    assert!(book.sheet_names().contains(&"v. 53".to_string()));

    let autumn = book.worksheet_range("v. 43").unwrap();
    let rows = rows_by_id(&autumn);
    assert_eq!(text(&autumn, rows["1001"], day_col(date(2026, 10, 24))), "N 21:15–07:15");

    let spring = book.worksheet_range("v. 12").unwrap();
    let rows = rows_by_id(&spring);
    assert_eq!(text(&spring, rows["1001"], day_col(date(2027, 3, 27))), "N 21:15–07:15");
    assert_eq!(text(&spring, rows["1002"], day_col(date(2027, 3, 28))), "G 03:30–06:00");

    // G has no demand rows, so its cover row shows the head-count without a minimum.
    assert_eq!(text(&spring, rows["G"], day_col(date(2027, 3, 28))), "1");
    assert_eq!(text(&spring, rows["G"], day_col(date(2027, 3, 27))), "");
}

#[test]
fn xlsx_bytes_are_reproducible() {
    let s = sample();
    let options = ExportOptions::new(Lang::Sv);
    let first = write_xlsx(&s.problem, &s.schedule, &s.evaluation, &options).unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    let second = write_xlsx(&s.problem, &s.schedule, &s.evaluation, &options).unwrap();
    assert!(first == second, "two exports with the same options differ");
}
