//! End-to-end tests of the `turnus` binary: solving the sample bundle and a benchmark
//! instance, checking hand-broken schedules, and exit code 2 for unreadable input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{repo, stdout, temp_dir};

fn turnus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_turnus")).args(args).output().expect("turnus runs")
}

/// A one-week bundle with one employee, for hand-broken schedules.
fn small_bundle(dir: &Path) {
    let files = [
        ("unit.toml", "name = \"Test\"\nperiod_start = \"2026-03-23\"\nweeks = 2\npreset = \"ab\"\n"),
        ("staff.csv", "id,name,employment_percent\n7,Anna Berg,100\n"),
        (
            "shifts.csv",
            "code,name,start,end,break_minutes\nK,Kväll,13:00,21:00,30\nM59,Morgon,07:59,15:59,30\nM,Morgon,08:00,16:00,30\n",
        ),
        ("demand.csv", "day,shift,min,ideal\nmon,M,0,1\n"),
        ("absences.csv", "employee,from,to,kind\n7,2026-04-01,2026-04-02,semester\n"),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

fn schedule(dir: &Path, rows: &[(&str, &str)]) -> PathBuf {
    let mut text = String::from("employee,date,shift\n");
    for (date, shift) in rows {
        text.push_str(&format!("7,{date},{shift}\n"));
    }
    let path = dir.join("schedule-under-test.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn solve_sample_bundles_then_check_agrees() {
    for kind in ["sarskilt-boende", "lss-boende"] {
        let dir = temp_dir("cli", kind);
        let out = dir.join("schedule.csv");
        let report = dir.join("report.json");
        let bundle = repo().join("examples").join(kind);
        // An iteration limit with a long time limit makes the run independent of the
        // machine's speed, so the result is the same on every machine.
        let solved = turnus(&[
            "solve",
            bundle.to_str().unwrap(),
            "--iterations",
            "3000000",
            "--time-limit",
            "10m",
            "--threads",
            "2",
            "--seed",
            "1",
            "--out",
            out.to_str().unwrap(),
            "--report",
            report.to_str().unwrap(),
            "-q",
        ]);
        assert_eq!(solved.status.code(), Some(0), "{kind}: {}", String::from_utf8_lossy(&solved.stderr));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        assert_eq!(json["legal"], true, "{kind}");
        for gap in
            json["cover"].as_array().unwrap().iter().filter(|c| c["count"].as_u64() < c["min"].as_u64())
        {
            assert!(gap["gap_reason_sv"].as_str().is_some_and(|r| r.starts_with("Orsak")), "{kind}: {gap}");
        }
        let checked = turnus(&["check", bundle.to_str().unwrap(), out.to_str().unwrap()]);
        assert_eq!(checked.status.code(), Some(0), "{kind}: {}", stdout(&checked));
    }
}

#[test]
fn seed_and_iterations_reproduce_the_schedule() {
    let bundle = repo().join("examples/lss-boende");
    let dir = temp_dir("cli", "reproduce");
    let mut outputs = Vec::new();
    for (run, threads) in [(0, "2"), (1, "2")] {
        let out = dir.join(format!("schedule-{run}.csv"));
        let solved = turnus(&[
            "solve",
            bundle.to_str().unwrap(),
            "--iterations",
            "300000",
            "--time-limit",
            "10m",
            "--threads",
            threads,
            "--seed",
            "42",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ]);
        assert!(matches!(solved.status.code(), Some(0) | Some(1)));
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn check_names_rest_of_10_h_59_min() {
    let dir = temp_dir("cli", "rest");
    small_bundle(&dir);
    let file = schedule(&dir, &[("2026-03-23", "K"), ("2026-03-24", "M59")]);
    let out = turnus(&["check", dir.to_str().unwrap(), file.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("[H4]"), "{text}");
    assert!(text.contains("7 has 10 h 59 min of daily rest"), "{text}");
    assert!(text.contains("2026-03-23"), "{text}");
    assert!(text.contains("2026-03-24"), "{text}");
}

#[test]
fn check_names_second_weekend_in_a_row() {
    let dir = temp_dir("cli", "weekend");
    small_bundle(&dir);
    let file = schedule(&dir, &[("2026-03-28", "M"), ("2026-04-04", "M")]);
    let out = turnus(&["check", dir.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("[H12]"), "{text}");
    assert!(text.contains("7 arbetar 2 av 2 helger i följd 2026-03-28–2026-04-05"), "{text}");
}

#[test]
fn check_names_shift_during_absence() {
    let dir = temp_dir("cli", "absence");
    small_bundle(&dir);
    let file = schedule(&dir, &[("2026-04-01", "M")]);
    let out = turnus(&["check", dir.to_str().unwrap(), file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("[H3]"), "{text}");
    assert!(text.contains("7 har pass M 2026-04-01 under frånvaro (semester)"), "{text}");
}

#[test]
fn legal_schedule_exits_zero() {
    let dir = temp_dir("cli", "legal");
    small_bundle(&dir);
    let file = schedule(&dir, &[("2026-03-23", "K"), ("2026-03-24", "K")]);
    let out = turnus(&["check", dir.to_str().unwrap(), file.to_str().unwrap()]);
    // Far below target hours is a hard S3 finding, so this only checks the rest rules pass.
    assert!(!stdout(&out).contains("[H4]"));
}

#[test]
fn malformed_bundle_exits_two_with_place() {
    let dir = temp_dir("cli", "bad");
    small_bundle(&dir);
    std::fs::write(dir.join("staff.csv"), "id,name,employment_percent\n7,Anna Berg,hundra\n").unwrap();
    let out = turnus(&["solve", dir.to_str().unwrap(), "--iterations", "10", "-q", "--lang", "en"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("staff.csv:2"), "{err}");
    assert!(err.contains("hundra"), "{err}");
    assert!(err.starts_with("The input has 1 error:\n"), "{err}");
}

#[test]
fn check_counts_in_singular() {
    let dir = temp_dir("cli", "singular");
    small_bundle(&dir);
    let file = schedule(&dir, &[("2026-03-23", "K")]);
    std::fs::write(&file, format!("{}9,2026-03-24,K\n", std::fs::read_to_string(&file).unwrap())).unwrap();
    for (lang, expected) in [("en", ", 1 contradiction of the input."), ("sv", ", 1 motsägelse mot indata.")]
    {
        let out = turnus(&["check", dir.to_str().unwrap(), file.to_str().unwrap(), "--lang", lang]);
        assert_eq!(out.status.code(), Some(1));
        let text = stdout(&out);
        assert!(text.contains(expected), "{text}");
    }
}

#[test]
fn check_summary_words_numbers_per_language() {
    let dir = temp_dir("cli", "numbers");
    small_bundle(&dir);
    let file = schedule(&dir, &[("2026-03-23", "K"), ("2026-03-24", "K")]);
    let cases = [
        ("sv", "Per regel:", ["Id", "Regel", "Hård", "Mjuk"], "100,0"),
        ("en", "Per rule:", ["Id", "Rule", "Hard", "Soft"], "100.0"),
    ];
    for (lang, title, header, percent) in cases {
        let out = turnus(&["check", dir.to_str().unwrap(), file.to_str().unwrap(), "--lang", lang]);
        let text = stdout(&out);
        let mut lines = text.lines().skip_while(|l| *l != title).skip(1);
        let columns: Vec<&str> = lines.next().unwrap_or_default().split_whitespace().collect();
        assert_eq!(columns, header, "{text}");

        // Anna Berg works 100 %, shown with one decimal in the staff table.
        let anna = text.lines().find(|l| l.starts_with("7 ")).unwrap_or_default();
        assert_eq!(anna.split_whitespace().nth(3), Some(percent), "{text}");
    }
}

#[test]
fn unknown_language_is_an_error() {
    let out = turnus(&["--lang", "fr", "check", "a", "b"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("fel: okänt språk \"fr\""), "{err}");
    assert!(err.contains("choose sv (Swedish) or en (English)"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn error_printed_once_without_colour() {
    let dir = temp_dir("cli", "once");
    let db = dir.join("x.db");
    let copy = dir.join("missing-copy.db");
    let out = turnus(&["restore", copy.to_str().unwrap(), "--db", db.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("fel: "), "{err}");
    assert!(!err.contains('\u{1b}'), "no ANSI codes in a pipe: {err:?}");
    assert!(!err.contains("command failed"), "no log line repeats the error: {err}");
}

#[test]
fn benchmark_instance_matches_independent_checker() {
    let root = repo();
    let shared = root.join("../shared");
    let instance = shared.join("benchmarks/curtois/Instance1.txt");
    let checker = shared.join("tools/curtois_check.py");
    if !instance.exists() || !checker.exists() {
        eprintln!("shared benchmarks not found beside the repository; skipping");
        return;
    }
    let dir = temp_dir("cli", "curtois");
    let out = dir.join("schedule.csv");
    let report = dir.join("report.json");
    let solved = turnus(&[
        "solve",
        instance.to_str().unwrap(),
        "--time-limit",
        "5s",
        "--threads",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(solved.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let checked =
        Command::new("python3").arg(&checker).arg(&instance).arg(&out).output().expect("python3 runs");
    let verdict: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    assert_eq!(verdict["feasible"], true, "{verdict}");
    assert_eq!(verdict["objective"], json["objective"]);
}

#[test]
fn example_command_writes_a_readable_bundle() {
    let dir = temp_dir("cli", "example").join("unit");
    let out = turnus(&["example", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.join("unit.toml").exists());
    let lss = temp_dir("cli", "example-lss").join("unit");
    let out = turnus(&["example", lss.to_str().unwrap(), "--kind", "lss-boende"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(lss.join("history.csv").exists());
    let again = turnus(&["example", dir.to_str().unwrap()]);
    assert_ne!(again.status.code(), Some(0), "an existing bundle is not overwritten");
}

/// Writes a one-week benchmark instance small enough to solve to optimality at once: two shift
/// types, a night that a day shift cannot follow, and one head per shift and day.
fn tiny_instance(dir: &Path) -> PathBuf {
    let mut text = String::from(
        "SECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\nN,480,D\n\nSECTION_STAFF\n\
         A,D=7|N=3,2880,1440,4,1,1,1\nB,D=7|N=3,2880,1440,4,1,1,1\nC,D=7|N=0,2880,1440,4,1,1,1\n\n\
         SECTION_DAYS_OFF\nA,2\n\nSECTION_SHIFT_ON_REQUESTS\nB,0,D,2\n\n\
         SECTION_SHIFT_OFF_REQUESTS\nC,3,D,3\n\nSECTION_COVER\n",
    );
    for d in 0..7 {
        text.push_str(&format!("{d},D,1,100,1\n{d},N,1,100,1\n"));
    }
    let path = dir.join("tiny.txt");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn bound_proves_tiny_instance_optimal() {
    let dir = temp_dir("cli", "bound");
    let instance = tiny_instance(&dir);
    let report = dir.join("report.json");
    let out = turnus(&[
        "solve",
        instance.to_str().unwrap(),
        "--iterations",
        "20000",
        "--threads",
        "1",
        "--bound",
        "--out",
        dir.join("schedule.csv").to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let objective = json["objective"].as_i64().unwrap();
    let bound = json["bound"]["lower_bound"].as_i64().unwrap();
    assert!(bound <= objective, "bound {bound} above the schedule's {objective}");
    // Seven nights, but only A and B may work nights, three each: one night stays open, so
    // 100 is the optimum, and the bound proves it.
    assert_eq!(objective, 100);
    assert_eq!(bound, 100);
    assert_eq!(json["bound"]["gap"], 0);
    assert!(stdout(&out).contains("Undre gräns: 100 (schemat är optimalt)"), "{}", stdout(&out));
}

#[test]
fn bound_explains_why_a_care_unit_has_none() {
    let dir = temp_dir("cli", "bound-bundle");
    let bundle = repo().join("examples/sarskilt-boende");
    let out = turnus(&[
        "solve",
        bundle.to_str().unwrap(),
        "--iterations",
        "2000",
        "--bound",
        "--lang",
        "en",
        "-q",
        "--out",
        dir.join("schedule.csv").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("No lower bound"), "{err}");
}

/// Returns the folder of the INRC-II example data committed in `turnus-inrc`: n005w4 with
/// history 0 and week files 1, 2, 3, and the organisers' example solution for weeks 1-2-3-3.
fn inrc_data() -> PathBuf {
    repo().join("crates/turnus-inrc/tests/data")
}

#[test]
fn inrc_check_reproduces_organiser_total() {
    let instance = inrc_data().join("n005w4_0_1-2-3-3");
    let solution = inrc_data().join("Solution_H_0-WD_1-2-3-3");
    let dir = temp_dir("cli", "inrc-check");
    let report = dir.join("report.json");
    let o = turnus(&[
        "--lang",
        "en",
        "check",
        instance.to_str().unwrap(),
        solution.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = stdout(&o);
    // English groups digits with a comma on the terminal; the report keeps plain numbers.
    assert!(text.contains("Total cost                                    1,695"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["objective"], 1695);
    assert_eq!(json["breakdown"]["consecutive"], 465);
    assert_eq!(json["legal"], true);
}

#[test]
fn inrc_solve_writes_files_check_reads() {
    let instance = inrc_data().join("n005w4_0_1-2-3-3");
    let dir = temp_dir("cli", "inrc-solve");
    let out = dir.join("solution");
    let report = dir.join("report.json");
    let o = turnus(&[
        "solve",
        instance.to_str().unwrap(),
        "--iterations",
        "200000",
        "--time-limit",
        "60s",
        "--threads",
        "2",
        "--seed",
        "5",
        "--out",
        out.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    for file in ["Sol-n005w4-1-0.txt", "Sol-n005w4-2-1.txt", "Sol-n005w4-3-2.txt", "Sol-n005w4-3-3.txt"] {
        assert!(out.join(file).is_file(), "{file} missing");
    }
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    let objective = json["objective"].as_i64().unwrap();

    // `check` reads the written files back and finds the objective of the solve report.
    let o = turnus(&["--lang", "en", "check", instance.to_str().unwrap(), out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    let total = text
        .lines()
        .find(|l| l.trim_start().starts_with("Total cost"))
        .and_then(|l| l.split_whitespace().last())
        .map(|total| total.replace(',', ""));
    assert_eq!(total, Some(objective.to_string()), "{text}");

    // The checker written from the format notes alone, without this code, agrees.
    assert_eq!(independent_inrc_total(&out), Ok(objective));
}

/// Scores an n005w4_0_1-2-3-3 solution folder with `scripts/inrc2_check.py`, an INRC-II
/// checker written from the format notes without reading Turnus code. Returns its total, or
/// its output when it found a hard violation or could not read the files.
fn independent_inrc_total(solution: &Path) -> Result<i64, String> {
    let o = Command::new("python3")
        .arg(repo().join("scripts/inrc2_check.py"))
        .arg(inrc_data())
        .arg("n005w4_0_1-2-3-3")
        .arg(solution)
        .output()
        .expect("python3 runs scripts/inrc2_check.py");
    let text = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    let total = text.lines().find_map(|l| l.strip_prefix("total ")).and_then(|t| t.trim().parse().ok());
    match (o.status.code(), total) {
        (Some(0), Some(total)) => Ok(total),
        _ => Err(text),
    }
}

#[test]
fn independent_inrc_checker_reproduces_organiser_total() {
    assert_eq!(independent_inrc_total(&inrc_data().join("Solution_H_0-WD_1-2-3-3")), Ok(1695));
}

#[test]
fn inrc_bad_week_file_exits_two_with_place() {
    let dir = temp_dir("cli", "inrc-bad");
    for file in ["Sc-n005w4.txt", "H0-n005w4-0.txt", "WD-n005w4-1.txt"] {
        std::fs::copy(inrc_data().join(file), dir.join(file)).unwrap();
    }
    let week = std::fs::read_to_string(dir.join("WD-n005w4-1.txt")).unwrap();
    std::fs::write(dir.join("WD-n005w4-1.txt"), week.replace("Nguyen Any Fri", "Nguyen Any Friday")).unwrap();
    let instance = dir.join("n005w4_0_1-1-1-1");
    let o = turnus(&["--lang", "en", "solve", instance.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("WD-n005w4-1.txt:15: column day, value \"Friday\""), "{err}");
}

#[test]
fn closed_stdout_pipe_exits_quietly() {
    let dir = temp_dir("cli", "pipe");
    small_bundle(&dir);
    let file = schedule(&dir, &[("2026-03-23", "K"), ("2026-03-24", "M59")]);
    let bundle = dir.to_str().unwrap();
    let sample = dir.join("sample");
    let commands: [&[&str]; 2] =
        [&["check", bundle, file.to_str().unwrap()], &["example", sample.to_str().unwrap()]];
    for args in commands {
        // The read end is closed before the command starts, as when `head` has quit, so
        // every write fails however fast the command is.
        let (reader, writer) = std::io::pipe().expect("a pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_turnus"))
            .args(args)
            .env("RUST_BACKTRACE", "0")
            .stdout(writer)
            .stderr(std::process::Stdio::piped())
            .output()
            .expect("turnus runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}
