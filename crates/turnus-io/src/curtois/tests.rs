//! Tests of the benchmark reader and writer: every staged instance, the published solver
//! rosters scored by the Turnus evaluator and by the independent Python checker, broken
//! rosters, malformed input and random input.

use std::path::{Path, PathBuf};
use std::process::Command;

use jiff::civil::{date, time};
use proptest::prelude::*;
use turnus_core::{Assignment, DemandDay, Evaluation, Preset, Problem, RuleId, Schedule, WishKind, evaluate};

use super::{parse_curtois, read_curtois, write_curtois_schedule};

/// A small instance using every section in a shuffled order, with comments, LF line ends,
/// empty trailing fields and a successor list ending in `|`.
const TINY: &str = "\
# A week, two staff, two shift types.
SECTION_STAFF
# ID, MaxShifts, MaxTotalMinutes, MinTotalMinutes, MaxConsecutiveShifts, MinConsecutiveShifts, MinConsecutiveDaysOff, MaxWeekends
A,D=7|N=0,2400,480,5,1,1,1,
B,D=7|N=7,2400,0,5,1,1,1

SECTION_HORIZON
7
SECTION_SHIFTS
D,480,
N,600,D|
SECTION_DAYS_OFF
A,6,
B,0
SECTION_SHIFT_ON_REQUESTS
A,1,D,2
SECTION_SHIFT_OFF_REQUESTS
B,2,N,3
SECTION_COVER
0,D,1,100,1
3,N,0,100,1
";

/// Returns the folder of shared benchmark files beside the repository, if present.
fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    if dir.join("benchmarks/curtois/Instance1.txt").is_file() {
        Some(dir)
    } else {
        println!("note: {} not found, benchmark files not tested", dir.display());
        None
    }
}

fn instance_path(shared: &Path, n: usize) -> PathBuf {
    shared.join(format!("benchmarks/curtois/Instance{n}.txt"))
}

fn instance(shared: &Path, n: usize) -> Problem {
    read_curtois(&instance_path(shared, n)).unwrap_or_else(|e| panic!("Instance{n}: {e}"))
}

/// A roster as a grid: employee × day, `None` for a day off.
type Grid = Vec<Vec<Option<String>>>;

/// One roster printed by the monolith solver, with the costs it printed.
struct Printed {
    grid: Grid,
    total: i64,
    cover: i64,
    requests: i64,
}

/// Reads the rosters of a monolith output file: lines `<ID>: ` followed by two characters per
/// day (` .` off, else the shift id padded with `=`), then the total, cover and request costs.
fn printed_rosters(text: &str, problem: &Problem) -> Vec<Printed> {
    let days = problem.unit.period.days() as usize;
    let mut out = Vec::new();
    let mut grid: Grid = Vec::new();
    let mut total = None;
    let mut cover = None;
    for line in text.lines().map(|l| l.trim_end_matches('\r')) {
        let number = |l: &str| l.rsplit(':').next().and_then(|n| n.trim().parse::<i64>().ok());
        if line.starts_with("Final solution") {
            total = number(line);
        } else if line.starts_with("-- Cover costs") {
            cover = number(line);
        } else if line.starts_with("-- Roster costs") {
            let printed = Printed {
                grid: std::mem::take(&mut grid),
                total: total.take().expect("total before roster costs"),
                cover: cover.take().expect("cover costs before roster costs"),
                requests: number(line).expect("roster costs"),
            };
            assert_eq!(printed.grid.len(), problem.employees.len(), "one roster line per employee");
            out.push(printed);
        } else if let Some((id, cells)) = line.trim_start().split_once(": ") {
            let index = problem.employees.iter().position(|e| e.id == id).expect("known employee");
            assert_eq!(index, grid.len(), "roster lines in staff order");
            assert_eq!(cells.len(), 2 * days, "two characters per day for {id}");
            let row = (0..days)
                .map(|d| match &cells[2 * d..2 * d + 2] {
                    " ." => None,
                    cell => Some(cell.trim_end_matches('=').to_string()),
                })
                .collect();
            grid.push(row);
        }
    }
    out
}

fn schedule_of(problem: &Problem, grid: &Grid) -> Schedule {
    let mut assignments = Vec::new();
    for (employee, row) in problem.employees.iter().zip(grid) {
        for (day, shift) in row.iter().enumerate() {
            if let Some(shift) = shift {
                assignments.push(Assignment {
                    employee: employee.id.clone(),
                    date: problem.unit.period.date(day as i32),
                    shift: shift.clone(),
                });
            }
        }
    }
    Schedule { assignments }
}

/// Runs the checker on a schedule and returns its JSON result, or `None` when python3 is not
/// installed.
fn run_checker(shared: &Path, n: usize, csv: &str, name: &str) -> Option<serde_json::Value> {
    let file = std::env::temp_dir().join(format!("turnus-curtois-{}-{name}.csv", std::process::id()));
    std::fs::write(&file, csv).expect("write the schedule CSV");
    let output = Command::new("python3")
        .arg(shared.join("tools/curtois_check.py"))
        .arg(instance_path(shared, n))
        .arg(&file)
        .output();
    let _ = std::fs::remove_file(&file);
    let output = match output {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!("note: python3 not found, checker comparison skipped");
            return None;
        }
        Err(e) => panic!("failed to run the checker: {e}"),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("checker output is not JSON ({e}): {stdout} {}", String::from_utf8_lossy(&output.stderr))
    });
    Some(value)
}

fn soft_of(evaluation: &Evaluation, rules: &[RuleId]) -> i64 {
    rules.iter().filter_map(|r| evaluation.by_rule.get(r)).map(|s| s.soft).sum()
}

#[test]
fn curtois_tiny_instance_maps_every_field() {
    let problem = parse_curtois("dir/tiny.txt", TINY).unwrap();

    assert_eq!(problem.unit.name, "tiny");
    assert_eq!(problem.unit.time_zone, "UTC");
    assert_eq!(problem.unit.period.start, date(2014, 1, 6));
    assert_eq!(problem.unit.period.weeks, 1);
    assert_eq!(problem.rules.preset, Preset::Benchmark);
    assert_eq!(problem.history, None);

    let night = &problem.shift_types[1];
    assert_eq!((night.code.as_str(), night.start, night.end), ("N", time(0, 0, 0, 0), time(10, 0, 0, 0)));
    assert_eq!(night.break_minutes, 0);
    assert_eq!(night.cannot_follow, ["D"]);
    assert!(problem.shift_types[0].cannot_follow.is_empty());

    let a = &problem.employees[0];
    assert_eq!((a.id.as_str(), a.name.as_str(), a.employment_basis_points), ("A", "A", 10_000));
    assert_eq!(a.limits.max_shifts_per_type.get("D"), Some(&7));
    assert_eq!(a.limits.max_shifts_per_type.get("N"), Some(&0));
    assert_eq!(a.limits.max_total_minutes, Some(2400));
    assert_eq!(a.limits.min_total_minutes, Some(480));
    assert_eq!(a.limits.max_consecutive_days, Some(5));
    assert_eq!(a.limits.min_consecutive_days, Some(1));
    assert_eq!(a.limits.min_consecutive_days_off, Some(1));
    assert_eq!(a.limits.max_weekends, Some(1));

    assert_eq!(problem.pins.len(), 2);
    assert_eq!((problem.pins[0].employee.as_str(), problem.pins[0].date), ("A", date(2014, 1, 12)));
    assert_eq!(problem.pins[0].shift, None);

    assert_eq!(problem.wishes.len(), 2);
    assert_eq!(problem.wishes[0].kind, WishKind::Work(Some("D".to_string())));
    assert_eq!((problem.wishes[0].date, problem.wishes[0].priority), (date(2014, 1, 7), 2));
    assert_eq!(problem.wishes[1].kind, WishKind::Avoid("N".to_string()));
    assert_eq!(problem.wishes[1].priority, 3);

    let row = &problem.demand[1];
    assert_eq!(row.day, DemandDay::Date(date(2014, 1, 9)));
    assert_eq!((row.shift.as_str(), row.min, row.ideal), ("N", 0, 0));
    assert_eq!((row.under_weight, row.over_weight, row.skill.as_deref()), (Some(100), Some(1), None));
}

#[test]
fn curtois_tiny_instance_scores_by_hand() {
    let problem = parse_curtois("tiny.txt", TINY).unwrap();
    let at = |employee: &str, day: i32, shift: &str| Assignment {
        employee: employee.to_string(),
        date: problem.unit.period.date(day),
        shift: shift.to_string(),
    };
    // Cover: day 3 N has 1 of 0 (1 over). Wishes: A gets no D on day 1 (2) and B works N on
    // day 2 (3). No hard rule is broken.
    let legal = Schedule { assignments: vec![at("A", 0, "D"), at("B", 2, "N"), at("B", 3, "N")] };
    let evaluation = evaluate(&problem, &legal).unwrap();
    assert_eq!(evaluation.score.hard, 0, "{:?}", evaluation.findings);
    assert_eq!(evaluation.score.soft, 1 + 2 + 3);

    // B also works its fixed day off 0, which puts day 0 D one over its requirement.
    let mut broken = legal.clone();
    broken.assignments.push(at("B", 0, "D"));
    let evaluation = evaluate(&problem, &broken).unwrap();
    let hard: Vec<_> = evaluation.findings.iter().filter(|f| f.hard).map(|f| (f.rule, f.penalty)).collect();
    assert_eq!(hard, [(RuleId::H3, 1)]);
    assert_eq!(evaluation.score.soft, 1 + 1 + 2 + 3);
}

#[test]
fn curtois_accepts_crlf_and_trailing_spaces() {
    let crlf = TINY.replace('\n', "\r\n");
    let spaced = TINY.lines().map(|l| format!("  {l}  ")).collect::<Vec<_>>().join("\n");
    let plain = parse_curtois("tiny.txt", TINY).unwrap();
    assert_eq!(parse_curtois("tiny.txt", &crlf).unwrap(), plain);
    assert_eq!(parse_curtois("tiny.txt", &spaced).unwrap(), plain);
    assert_eq!(parse_curtois("tiny.txt", &format!("\u{feff}{TINY}")).unwrap(), plain);
}

/// Line number of the first line of `text` that contains `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).expect("needle in text") + 1
}

/// A malformed-row case: name, text to replace, replacement, a needle on the line that has
/// the error (`None` for a file-level error), and the expected column and value.
type Malformed = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

#[test]
fn curtois_malformed_rows_point_at_line() {
    let cases: [Malformed; 14] = [
        ("bad integer", "2400,480,", "2400,4x0,", Some("4x0"), Some("MinTotalMinutes"), Some("4x0")),
        ("negative number", "3,N,0,100,1", "3,N,-1,100,1", Some("3,N,-1"), Some("Requirement"), Some("-1")),
        ("unknown request shift", "A,1,D,2", "A,1,X,2", Some("A,1,X,2"), Some("ShiftID"), Some("X")),
        ("unknown employee", "B,2,N,3", "Z,2,N,3", Some("Z,2,N,3"), Some("EmployeeID"), Some("Z")),
        ("unknown day-off employee", "B,0\n", "Q,0\n", Some("Q,0"), Some("EmployeeID"), Some("Q")),
        ("cover day out of range", "3,N,0,100,1", "7,N,0,100,1", Some("7,N,0"), Some("Day"), Some("7")),
        ("day off out of range", "A,6,", "A,9,", Some("A,9,"), Some("DayIndexes"), Some("9")),
        ("unknown successor", "N,600,D|", "N,600,X", Some("N,600,X"), Some("CannotFollow"), Some("X")),
        ("MaxShifts without =", "D=7|N=0", "D7|N=0", Some("D7|N=0"), Some("MaxShifts"), Some("D7")),
        ("weight above 3", "A,1,D,2", "A,1,D,5", Some("A,1,D,5"), Some("Weight"), Some("5")),
        ("too many fields", "A,1,D,2", "A,1,D,2,9", Some("A,1,D,2,9"), None, None),
        ("partial weeks", "\n7\n", "\n10\n", Some("10"), Some("horizon"), Some("10")),
        ("unknown section", "SECTION_COVER", "SECTION_COVERS", Some("SECTION_COVERS"), None, None),
        ("data before sections", "# A week", "7", Some("7, two"), None, None),
    ];
    for (case, from, to, line, column, value) in cases {
        assert!(TINY.contains(from), "{case}: {from:?} not in the instance");
        let text = TINY.replacen(from, to, 1);
        let errors = parse_curtois("tiny.txt", &text).expect_err(case).errors;
        let expected_line = line.map(|needle| line_of(&text, needle));
        let error = errors
            .iter()
            .find(|e| e.line == expected_line)
            .unwrap_or_else(|| panic!("{case}: no error on line {expected_line:?}: {errors:?}"));
        assert_eq!(error.file, "tiny.txt", "{case}");
        assert_eq!(error.column.as_deref(), column, "{case}: {error}");
        assert_eq!(error.value.as_deref(), value, "{case}: {error}");
        assert!(!error.message_sv.is_empty() && !error.message_en.is_empty(), "{case}");
    }
}

#[test]
fn curtois_reports_missing_and_repeated_sections() {
    let without_cover = &TINY[..TINY.find("SECTION_COVER").unwrap()];
    let errors = parse_curtois("tiny.txt", without_cover).unwrap_err().errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, None);
    assert!(errors[0].message_en.contains("SECTION_COVER"), "{}", errors[0]);

    let errors = parse_curtois("tiny.txt", "").unwrap_err().errors;
    assert_eq!(errors.len(), 7, "one error per missing section: {errors:?}");

    let repeated = format!("{TINY}SECTION_HORIZON\n14\n");
    let errors = parse_curtois("tiny.txt", &repeated).unwrap_err().errors;
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].line, Some(TINY.lines().count() + 1), "{errors:?}");

    let empty_horizon = TINY.replace("\n7\n", "\n");
    let errors = parse_curtois("tiny.txt", &empty_horizon).unwrap_err().errors;
    assert!(errors[0].message_en.contains("SECTION_HORIZON has no row"), "{errors:?}");
}

#[test]
fn curtois_rejects_duplicate_ids() {
    let cases = [
        ("B,D=7|N=7,2400,0,5,1,1,1", "A,D=7|N=7,2400,0,5,1,1,1", "duplicate employee"),
        ("N,600,D|", "D,600,", "duplicate shift type"),
        ("D=7|N=0", "D=7|D=0", "the shift type appears twice"),
    ];
    for (from, to, message) in cases {
        let errors = parse_curtois("tiny.txt", &TINY.replacen(from, to, 1)).unwrap_err().errors;
        assert!(errors.iter().any(|e| e.message_en.starts_with(message)), "{message}: {errors:?}");
    }
}

#[test]
fn curtois_read_reports_io_and_encoding() {
    let dir = std::env::temp_dir();
    let missing = dir.join(format!("turnus-curtois-{}-missing.txt", std::process::id()));
    let errors = read_curtois(&missing).unwrap_err().errors;
    assert!(errors[0].message_en.starts_with("failed to read the file"), "{errors:?}");

    let latin1 = dir.join(format!("turnus-curtois-{}-latin1.txt", std::process::id()));
    let mut bytes = TINY.as_bytes().to_vec();
    let at = TINY.find("B,0").unwrap();
    bytes.splice(at..at, [b'#', 0xE5, b'\n']);
    std::fs::write(&latin1, &bytes).unwrap();
    let result = read_curtois(&latin1);
    let _ = std::fs::remove_file(&latin1);
    let errors = result.unwrap_err().errors;
    assert_eq!(errors[0].line, Some(line_of(TINY, "B,0")), "{errors:?}");
    assert!(errors[0].message_en.contains("not valid UTF-8"), "{errors:?}");
}

#[test]
fn curtois_writer_sorts_and_indexes_days() {
    let problem = parse_curtois("tiny.txt", TINY).unwrap();
    let at = |employee: &str, day: i32, shift: &str| Assignment {
        employee: employee.to_string(),
        date: problem.unit.period.date(day),
        shift: shift.to_string(),
    };
    let schedule = Schedule {
        assignments: vec![
            at("B", 3, "N"),
            at("X,Y", 1, "D"),
            at("A", 6, "D"),
            at("B", 1, "D"),
            at("A", 0, "D"),
        ],
    };
    let csv = write_curtois_schedule(&problem, &schedule);
    assert_eq!(csv, "employee,day,shift\nA,0,D\nA,6,D\nB,1,D\nB,3,N\n\"X,Y\",1,D\n");
}

/// Instance number, days, staff, shift types, forbidden successions, fixed days off, shift
/// on requests, shift off requests and cover rows.
type Counts = (usize, u32, usize, usize, usize, usize, usize, usize, usize);

/// Counts per instance from the staged files: days, staff, shift types, forbidden pairs,
/// fixed days off, shift on requests, shift off requests, cover rows.
const COUNTS: [Counts; 24] = [
    (1, 14, 8, 1, 0, 8, 21, 5, 14),
    (2, 14, 14, 2, 1, 14, 50, 12, 28),
    (3, 14, 20, 3, 3, 20, 39, 25, 42),
    (4, 28, 10, 2, 1, 20, 52, 19, 56),
    (5, 28, 16, 2, 1, 32, 79, 27, 56),
    (6, 28, 18, 3, 3, 36, 87, 48, 84),
    (7, 28, 20, 3, 3, 40, 104, 64, 84),
    (8, 28, 30, 4, 6, 60, 139, 86, 112),
    (9, 28, 36, 4, 6, 72, 144, 88, 112),
    (10, 28, 40, 5, 9, 80, 210, 74, 140),
    (11, 28, 50, 6, 12, 100, 197, 139, 168),
    (12, 28, 60, 10, 36, 120, 294, 128, 280),
    (13, 28, 120, 18, 136, 240, 589, 252, 504),
    (14, 42, 32, 4, 5, 128, 266, 93, 168),
    (15, 42, 45, 6, 15, 180, 350, 140, 252),
    (16, 56, 20, 3, 3, 120, 177, 103, 168),
    (17, 56, 32, 4, 6, 160, 351, 129, 224),
    (18, 84, 22, 3, 3, 176, 322, 92, 252),
    (19, 84, 40, 5, 9, 320, 587, 247, 420),
    (20, 182, 50, 6, 12, 900, 1665, 653, 1092),
    (21, 182, 100, 8, 27, 1800, 3210, 1492, 1456),
    (22, 364, 50, 10, 36, 1800, 3253, 1385, 3640),
    (23, 364, 100, 16, 110, 3600, 6549, 2861, 5824),
    (24, 364, 150, 32, 461, 5400, 9540, 4269, 11648),
];

#[test]
fn curtois_parses_all_instances_crlf_and_lf() {
    let Some(shared) = shared() else { return };
    for (n, days, staff, shifts, forbidden, days_off, on, off, cover) in COUNTS {
        let crlf = std::fs::read_to_string(instance_path(&shared, n)).unwrap();
        assert!(crlf.contains("\r\n"), "Instance{n} is staged with CRLF line ends");
        let lf = crlf.replace("\r\n", "\n");
        let name = format!("Instance{n}.txt");
        let from_crlf = parse_curtois(&name, &crlf).unwrap_or_else(|e| panic!("{name}: {e}"));
        let from_lf = parse_curtois(&name, &lf).unwrap_or_else(|e| panic!("{name} with LF: {e}"));
        assert!(from_crlf == from_lf, "{name}: CRLF and LF give the same problem");

        let p = &from_crlf;
        assert_eq!(p.unit.name, format!("Instance{n}"));
        assert_eq!(p.unit.period.days(), days, "{name} days");
        assert_eq!(p.employees.len(), staff, "{name} staff");
        assert_eq!(p.shift_types.len(), shifts, "{name} shift types");
        let pairs: usize = p.shift_types.iter().map(|s| s.cannot_follow.len()).sum();
        assert_eq!(pairs, forbidden, "{name} forbidden successions");
        assert_eq!(p.pins.len(), days_off, "{name} fixed days off");
        let on_count = p.wishes.iter().filter(|w| matches!(w.kind, WishKind::Work(Some(_)))).count();
        assert_eq!(on_count, on, "{name} shift on requests");
        let off_count = p.wishes.iter().filter(|w| matches!(w.kind, WishKind::Avoid(_))).count();
        assert_eq!(off_count, off, "{name} shift off requests");
        assert_eq!(p.demand.len(), cover, "{name} cover rows");
        assert!(
            p.employees.iter().all(|e| e.limits.max_shifts_per_type.len() == shifts),
            "{name}: a cap for every type"
        );
        assert!(p.validate().is_empty(), "{name}: {:?}", p.validate());
    }
}

#[test]
fn curtois_monolith_rosters_match_printed_costs() {
    let Some(shared) = shared() else { return };
    for n in 1..=10 {
        let problem = instance(&shared, n);
        let path = shared.join(format!("benchmarks/curtois/solver-outputs-monolith/Instance{n}.txt.out"));
        let rosters = printed_rosters(&std::fs::read_to_string(path).unwrap(), &problem);
        assert_eq!(rosters.len(), 2, "Instance{n}: the roster is printed twice");
        for (block, printed) in rosters.iter().enumerate() {
            let schedule = schedule_of(&problem, &printed.grid);
            let evaluation = evaluate(&problem, &schedule).unwrap();
            let hard: Vec<_> = evaluation.findings.iter().filter(|f| f.hard).map(|f| &f.message_en).collect();
            assert_eq!(evaluation.score.hard, 0, "Instance{n} roster {block}: {hard:?}");
            assert!(evaluation.contradictions.is_empty(), "Instance{n} roster {block}");
            assert_eq!(evaluation.score.soft, printed.total, "Instance{n} roster {block} total");
            assert_eq!(
                soft_of(&evaluation, &[RuleId::S1, RuleId::S2]),
                printed.cover,
                "Instance{n} roster {block} cover"
            );
            assert_eq!(
                soft_of(&evaluation, &[RuleId::S4]),
                printed.requests,
                "Instance{n} roster {block} requests"
            );

            let csv = write_curtois_schedule(&problem, &schedule);
            let Some(checked) = run_checker(&shared, n, &csv, &format!("i{n}b{block}")) else {
                return;
            };
            assert_eq!(checked["feasible"], true, "Instance{n} roster {block}: {checked}");
            assert_eq!(checked["objective"], printed.total, "Instance{n} roster {block}: {checked}");
        }
    }
}

/// Sets `shift` on the first day in `days` that is not a fixed day off of employee `e`.
fn work_first_free(
    problem: &Problem,
    grid: &mut Grid,
    e: usize,
    days: impl IntoIterator<Item = usize>,
    shift: &str,
) {
    let id = &problem.employees[e].id;
    let pinned = |d: usize| {
        problem.pins.iter().any(|p| &p.employee == id && p.date == problem.unit.period.date(d as i32))
    };
    if let Some(d) = days.into_iter().find(|d| !pinned(*d)) {
        grid[e][d] = Some(shift.to_string());
    }
}

/// A change that breaks one hard rule of a feasible roster.
type Breaker = fn(&Problem, &mut Grid);

#[test]
fn curtois_broken_rosters_fail_in_both_checkers() {
    let Some(shared) = shared() else { return };
    // (case, instance, change, Turnus rule id, the checker's id of the same constraint)
    let cases: [(&str, usize, Breaker, RuleId, &str); 9] = [
        (
            "shift on a fixed day off",
            1,
            |p, g| {
                let pin = &p.pins[0];
                let e = p.employees.iter().position(|x| x.id == pin.employee).unwrap();
                g[e][p.unit.period.index_of(pin.date) as usize] = Some("D".to_string());
            },
            RuleId::H3,
            "H10",
        ),
        (
            "forbidden succession",
            2,
            |p, g| {
                // L may not be followed by E; employee A may work both.
                let free = (0..13)
                    .find(|d| {
                        !p.pins.iter().any(|x| {
                            x.employee == "A"
                                && [*d, d + 1].contains(&(p.unit.period.index_of(x.date) as usize))
                        })
                    })
                    .unwrap();
                g[0][free] = Some("L".to_string());
                g[0][free + 1] = Some("E".to_string());
            },
            RuleId::B1,
            "H2",
        ),
        (
            "too many weekends",
            1,
            |p, g| {
                for saturday in [5, 12] {
                    work_first_free(p, g, 0, [saturday, saturday + 1], "D");
                }
            },
            RuleId::B6,
            "H9",
        ),
        (
            "one day off between shifts",
            1,
            |_, g| {
                let (e, d) = (0..g.len())
                    .flat_map(|e| (1..g[e].len() - 1).map(move |d| (e, d)))
                    .find(|&(e, d)| g[e][d - 1].is_some() && g[e][d].is_some() && g[e][d + 1].is_some())
                    .unwrap();
                g[e][d] = None;
            },
            RuleId::B5,
            "H8",
        ),
        (
            "one working day between days off",
            1,
            |_, g| {
                let (e, d) = (0..g.len())
                    .flat_map(|e| (1..g[e].len() - 1).map(move |d| (e, d)))
                    .find(|&(e, d)| g[e][d - 1].is_none() && g[e][d].is_none() && g[e][d + 1].is_none())
                    .unwrap();
                g[e][d] = Some("D".to_string());
            },
            RuleId::B4,
            "H7",
        ),
        (
            "shift type over its cap",
            2,
            |p, g| {
                // Employee D may never work L.
                let e = p.employees.iter().position(|x| x.id == "D").unwrap();
                let d = g[e].iter().position(Option::is_some).unwrap();
                g[e][d] = Some("L".to_string());
            },
            RuleId::B2,
            "H3",
        ),
        ("minutes below minimum", 1, |_, g| g[0].iter_mut().for_each(|d| *d = None), RuleId::B3, "H5"),
        (
            "minutes above maximum",
            1,
            |p, g| {
                // A works every free day: 13 shifts of 480 minutes against a maximum of 4320.
                for d in 0..14 {
                    work_first_free(p, g, 0, [d], "D");
                }
            },
            RuleId::B3,
            "H4",
        ),
        (
            "too many days in a row",
            1,
            |p, g| {
                for d in 0..14 {
                    work_first_free(p, g, 1, [d], "D");
                }
            },
            RuleId::H10,
            "H6",
        ),
    ];
    for (case, n, breaker, rule, checker_rule) in cases {
        let problem = instance(&shared, n);
        let path = shared.join(format!("benchmarks/curtois/solver-outputs-monolith/Instance{n}.txt.out"));
        let mut grid = printed_rosters(&std::fs::read_to_string(path).unwrap(), &problem).swap_remove(0).grid;
        breaker(&problem, &mut grid);
        let schedule = schedule_of(&problem, &grid);

        let evaluation = evaluate(&problem, &schedule).unwrap();
        let rules: Vec<RuleId> = evaluation.findings.iter().filter(|f| f.hard).map(|f| f.rule).collect();
        assert!(rules.contains(&rule), "{case}: expected {rule}, found {rules:?}");

        let csv = write_curtois_schedule(&problem, &schedule);
        let Some(checked) = run_checker(&shared, n, &csv, "broken") else {
            return;
        };
        assert_eq!(checked["feasible"], false, "{case}: {checked}");
        let violations = checked["violations"].as_array().unwrap();
        let prefix = format!("{checker_rule} ");
        assert!(
            violations.iter().any(|v| v.as_str().unwrap().starts_with(&prefix)),
            "{case}: expected {checker_rule}: {checked}"
        );
        assert_eq!(checked["objective"], evaluation.score.soft, "{case}: same objective while infeasible");
    }
}

/// Maps a constraint id of the checker to the Turnus rule for the same constraint.
fn turnus_rule(checker_rule: &str) -> RuleId {
    match checker_rule {
        "H1" => RuleId::H1,
        "H2" => RuleId::B1,
        "H3" => RuleId::B2,
        "H4" | "H5" => RuleId::B3,
        "H6" => RuleId::H10,
        "H7" => RuleId::B4,
        "H8" => RuleId::B5,
        "H9" => RuleId::B6,
        "H10" => RuleId::H3,
        other => panic!("unexpected checker rule {other}"),
    }
}

#[test]
fn curtois_perturbed_rosters_agree_with_checker() {
    let Some(shared) = shared() else { return };
    // A fixed xorshift sequence, so a failure repeats.
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move |below: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % below as u64) as usize
    };
    let mut feasible_seen = 0;
    for case in 0..20 {
        let n = 1 + case % 10;
        let problem = instance(&shared, n);
        let path = shared.join(format!("benchmarks/curtois/solver-outputs-monolith/Instance{n}.txt.out"));
        let mut grid =
            printed_rosters(&std::fs::read_to_string(path).unwrap(), &problem).swap_remove(case % 2).grid;
        for _ in 0..1 + next(3) {
            let (e, d) = (next(grid.len()), next(grid[0].len()));
            let choice = next(problem.shift_types.len() + 1);
            grid[e][d] = problem.shift_types.get(choice).map(|s| s.code.clone());
        }
        let schedule = schedule_of(&problem, &grid);
        let evaluation = evaluate(&problem, &schedule).unwrap();
        let mut turnus: Vec<RuleId> = evaluation.findings.iter().filter(|f| f.hard).map(|f| f.rule).collect();
        turnus.sort();

        let csv = write_curtois_schedule(&problem, &schedule);
        let Some(checked) = run_checker(&shared, n, &csv, "perturbed") else {
            return;
        };
        let mut expected: Vec<RuleId> = checked["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| turnus_rule(v.as_str().unwrap().split(' ').next().unwrap()))
            .collect();
        expected.sort();
        assert_eq!(
            turnus, expected,
            "case {case} on Instance{n}: one finding per checker violation: {checked}"
        );
        assert_eq!(checked["objective"], evaluation.score.soft, "case {case} on Instance{n}");
        feasible_seen += usize::from(turnus.is_empty());
    }
    println!("{feasible_seen} of 20 perturbed rosters are feasible");
    assert!(feasible_seen > 0, "some perturbed rosters stay feasible");
}

#[test]
fn curtois_empty_rosters_agree_with_checker() {
    let Some(shared) = shared() else { return };
    // The empty roster prices every cover row and every shift on request; instances up to
    // 12 weeks keep the debug-build run short.
    for (n, days, ..) in COUNTS.into_iter().filter(|c| c.1 <= 84) {
        let problem = instance(&shared, n);
        let evaluation = evaluate(&problem, &Schedule::default()).unwrap();
        assert_eq!(problem.unit.period.days(), days);
        let Some(checked) = run_checker(&shared, n, "employee,day,shift\n", "empty") else {
            return;
        };
        assert_eq!(checked["objective"], evaluation.score.soft, "Instance{n}");
        assert_eq!(checked["feasible"], evaluation.score.hard == 0, "Instance{n}");
    }
}

/// Text of a few staged instances for truncation, or the tiny instance without them.
fn seed_texts() -> Vec<String> {
    let mut texts = vec![TINY.to_string()];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/benchmarks/curtois");
    for n in [1, 2, 10] {
        if let Ok(text) = std::fs::read_to_string(dir.join(format!("Instance{n}.txt"))) {
            texts.push(text);
        }
    }
    texts
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn curtois_random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let _ = parse_curtois("random.txt", &String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn curtois_random_lines_never_panic(
        lines in proptest::collection::vec("(SECTION_[A-Z_]{0,24}|[A-Za-z0-9,|= #-]{0,24}|-?[0-9]{1,12})", 0..60),
    ) {
        let text = lines.join("\n");
        if let Ok(problem) = parse_curtois("lines.txt", &text) {
            prop_assert!(problem.validate().is_empty());
        }
    }

    #[test]
    fn curtois_truncated_instances_never_panic(
        seed in any::<prop::sample::Index>(),
        cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(),
        byte in any::<u8>(),
    ) {
        let texts = seed_texts();
        let text = &texts[seed.index(texts.len())];
        let mut end = cut.index(text.len() + 1);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let truncated = &text[..end];
        if let Ok(problem) = parse_curtois("cut.txt", truncated) {
            prop_assert!(problem.validate().is_empty());
        }

        // The same text with one byte replaced.
        let mut bytes = truncated.as_bytes().to_vec();
        if !bytes.is_empty() {
            let at = flip.index(bytes.len());
            bytes[at] = byte;
        }
        let _ = parse_curtois("flipped.txt", &String::from_utf8_lossy(&bytes));
    }
}
