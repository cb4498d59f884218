//! End-to-end tests of `turnus export`: XLSX, iCalendar and CSV from a small bundle over each
//! Stockholm clock change, the .ics checked by scripts/check_ics.py (standard library only),
//! and exit code 2 for unreadable input or an unusable request.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{repo, stderr, temp_dir};

fn turnus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_turnus")).args(args).output().expect("turnus runs")
}

/// Writes a one-week bundle from `monday` with one night worker, and a schedule with a day
/// shift on the Monday and a night shift from the Saturday.
fn bundle(dir: &Path, monday: &str, saturday: &str) -> PathBuf {
    let unit =
        format!("name = \"Linden, plan 2\"\nperiod_start = \"{monday}\"\nweeks = 1\npreset = \"ab\"\n");
    let files = [
        ("unit.toml", unit.as_str()),
        ("staff.csv", "id,name,employment_percent,night_worker\n7,Anna Berg,75,ja\n"),
        ("shifts.csv", "code,name,start,end,break_minutes\nD,Dag,07:00,15:30,30\nN,Natt,21:15,07:15,45\n"),
        ("demand.csv", "day,shift,min,ideal\nmon,D,1,1\n"),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let schedule = dir.join("schedule.csv");
    std::fs::write(&schedule, format!("employee,date,shift\n7,{monday},D\n7,{saturday},N\n")).unwrap();
    schedule
}

/// Runs the standard-library checker on an .ics file and returns its output.
fn check_ics(path: &Path) -> String {
    let script = repo().join("scripts/check_ics.py");
    let out = Command::new("python3")
        .arg(script)
        .arg("--durations")
        .arg(path)
        .output()
        .expect("python3 runs scripts/check_ics.py");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}");
    text
}

#[test]
fn ics_over_both_clock_changes() {
    // (Monday, Saturday, DTSTART of the night, its elapsed minutes)
    let cases = [
        ("2027-03-22", "2027-03-27", "20270327T211500", 540),
        ("2026-10-19", "2026-10-24", "20261024T211500", 660),
    ];
    for (monday, saturday, night_start, minutes) in cases {
        let dir = temp_dir("export", &format!("ics-{monday}"));
        let schedule = bundle(&dir, monday, saturday);
        let out = dir.join("anna.ics");
        let run = turnus(&[
            "export",
            dir.to_str().unwrap(),
            schedule.to_str().unwrap(),
            "--format",
            "ics",
            "--employee",
            "7",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert!(run.status.success(), "{}", stderr(&run));

        let report = check_ics(&out);
        assert!(report.contains("ok: 2 events"), "{report}");
        assert!(report.contains(&format!("{night_start} {minutes}")), "{report}");
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.contains("SUMMARY:Pass N 21:15–07:15\r\n"), "{text}");
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[test]
fn xlsx_csv_and_english_ics() {
    let dir = temp_dir("export", "formats");
    let schedule = bundle(&dir, "2027-03-22", "2027-03-27");
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let input = dir.to_str().unwrap();
    let schedule = schedule.to_str().unwrap();

    // The format follows the extension of --out when --format is left out.
    let run = turnus(&["export", input, schedule, "--out", &path("schema.xlsx")]);
    assert!(run.status.success(), "{}", stderr(&run));
    let xlsx = std::fs::read(dir.join("schema.xlsx")).unwrap();
    assert_eq!(&xlsx[..2], b"PK", "an XLSX file is a zip archive");

    let run = turnus(&["export", input, schedule, "--format", "csv", "--out", &path("copy.csv")]);
    assert!(run.status.success(), "{}", stderr(&run));
    let csv = std::fs::read_to_string(dir.join("copy.csv")).unwrap();
    assert_eq!(
        csv,
        "employee,date,shift,start,end\n\
         7,2027-03-22,D,2027-03-22T07:00:00+01:00,2027-03-22T15:30:00+01:00\n\
         7,2027-03-27,N,2027-03-27T21:15:00+01:00,2027-03-28T07:15:00+02:00\n"
    );

    let run =
        turnus(&["--lang", "en", "export", input, schedule, "--employee", "7", "--out", &path("a.ics")]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(String::from_utf8_lossy(&run.stdout).contains("The export was written to"));
    let ics = std::fs::read_to_string(dir.join("a.ics")).unwrap();
    assert!(ics.contains("SUMMARY:Shift D 07:00–15:30\r\n"), "{ics}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn export_of_the_sample_bundle() {
    let dir = temp_dir("export", "sample");
    let bundle = repo().join("examples/sarskilt-boende");
    let schedule = dir.join("schedule.csv");
    let solve = turnus(&[
        "solve",
        bundle.to_str().unwrap(),
        "--iterations",
        "2000",
        "--time-limit",
        "60s",
        "--threads",
        "1",
        "--quiet",
        "--out",
        schedule.to_str().unwrap(),
    ]);
    assert!(schedule.exists(), "{}", stderr(&solve));
    let out = dir.join("1017.ics");
    let run = turnus(&[
        "export",
        bundle.to_str().unwrap(),
        schedule.to_str().unwrap(),
        "--employee",
        "1017",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", stderr(&run));
    let report = check_ics(&out);
    assert!(report.starts_with("ok: "), "{report}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn unreadable_input_exits_2() {
    let dir = temp_dir("export", "errors");
    let schedule = bundle(&dir, "2027-03-22", "2027-03-27");
    let input = dir.to_str().unwrap().to_string();
    let schedule = schedule.to_str().unwrap().to_string();
    let out = dir.join("out.ics").to_str().unwrap().to_string();

    let missing_schedule = turnus(&["export", &input, "no-such.csv", "--out", &out, "--employee", "7"]);
    assert_eq!(missing_schedule.status.code(), Some(2));
    assert!(stderr(&missing_schedule).contains("kan inte läsas"), "{}", stderr(&missing_schedule));

    let no_employee = turnus(&["export", &input, &schedule, "--out", &out]);
    assert_eq!(no_employee.status.code(), Some(2));
    assert!(stderr(&no_employee).contains("--employee"), "{}", stderr(&no_employee));

    let unknown_employee =
        turnus(&["--lang", "en", "export", &input, &schedule, "--out", &out, "--employee", "99"]);
    assert_eq!(unknown_employee.status.code(), Some(2));
    assert!(stderr(&unknown_employee).contains("employee \"99\" is not in staff.csv"));

    let no_format = turnus(&["export", &input, &schedule, "--out", "schedule.txt"]);
    assert_eq!(no_format.status.code(), Some(2));
    assert!(stderr(&no_format).contains("--format"), "{}", stderr(&no_format));

    let bad_row = dir.join("bad.csv");
    std::fs::write(&bad_row, "employee,date,shift\n7,2027-13-01,D\n").unwrap();
    let bad = turnus(&["export", &input, bad_row.to_str().unwrap(), "--out", &out, "--employee", "7"]);
    assert_eq!(bad.status.code(), Some(2));

    std::fs::remove_file(dir.join("staff.csv")).unwrap();
    let no_staff = turnus(&["export", &input, &schedule, "--out", &out, "--employee", "7"]);
    assert_eq!(no_staff.status.code(), Some(2));
    assert!(stderr(&no_staff).contains("staff.csv"), "{}", stderr(&no_staff));
    assert!(!dir.join("out.ics").exists(), "no file is written on an error");
    std::fs::remove_dir_all(&dir).ok();
}
