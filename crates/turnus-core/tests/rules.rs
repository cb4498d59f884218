//! One test table keyed by rule id: each case builds a small problem and schedule and states
//! whether the rule must report a finding. Cases sit at the rule's boundary (exactly 11 h of
//! rest passes, 10 h 59 min fails) and cover clock changes, history and expiring skills.

use jiff::civil::{Date, Time, date};
use turnus_core::{
    Absence, Assignment, DemandRow, Employee, HistoryShift, NightWork, Preset, Problem, RuleId, RuleSet,
    Schedule, ShiftType, SkillGrant, Unit, evaluate,
};

fn t(h: i8, m: i8) -> Time {
    Time::new(h, m, 0, 0).unwrap()
}

fn shift(code: &str, start: Time, end: Time, break_minutes: u32) -> ShiftType {
    ShiftType {
        code: code.into(),
        name: code.into(),
        start,
        end,
        break_minutes,
        skill: None,
        cannot_follow: Vec::new(),
    }
}

/// A one-employee problem over `weeks` from `start`, with every shift type of the cases.
fn problem(start: Date, weeks: u32) -> Problem {
    Problem {
        unit: Unit {
            name: "test".into(),
            time_zone: "Europe/Stockholm".into(),
            period: turnus_core::Period { start, weeks },
        },
        rules: RuleSet::preset(Preset::Ab),
        employees: vec![Employee {
            id: "a".into(),
            name: "Anna".into(),
            employment_basis_points: 10_000,
            full_time_minutes: None,
            skills: vec!["usk".into()],
            night_worker: false,
            limits: Default::default(),
        }],
        shift_types: vec![
            shift("K", t(13, 0), t(21, 0), 30),
            shift("M", t(8, 0), t(16, 0), 30),
            shift("M59", t(7, 59), t(15, 59), 30),
            shift("N", t(21, 15), t(7, 15), 45),
            shift("F5", t(7, 0), t(12, 0), 0),
            shift("A3", t(12, 0), t(15, 0), 0),
            shift("L", t(7, 0), t(21, 0), 60),
            shift("DEL", t(8, 0), t(16, 0), 30),
            shift("S9", t(9, 0), t(17, 0), 30),
            shift("S859", t(8, 59), t(16, 59), 30),
        ],
        demand: vec![DemandRow {
            day: "mon".parse().unwrap(),
            shift: "M".into(),
            skill: None,
            min: 0,
            ideal: 0,
            under_weight: None,
            over_weight: None,
        }],
        wishes: Vec::new(),
        absences: Vec::new(),
        skill_grants: Vec::new(),
        history: None,
        pins: Vec::new(),
    }
}

fn work(p: &Problem, day: i32, code: &str) -> Assignment {
    Assignment { employee: "a".into(), date: p.unit.period.date(day), shift: code.into() }
}

/// A case's problem and its shifts as `(day index, shift code)`.
type Setup = (Problem, Vec<(i32, &'static str)>);

struct Case {
    rule: RuleId,
    name: &'static str,
    build: fn() -> Setup,
    expect_finding: bool,
}

fn monday() -> Date {
    date(2026, 3, 2)
}

fn days(list: &[(i32, &'static str)]) -> Vec<(i32, &'static str)> {
    list.to_vec()
}

fn run(case: &Case) {
    let (p, shifts) = (case.build)();
    let schedule = Schedule { assignments: shifts.iter().map(|(d, s)| work(&p, *d, s)).collect() };
    let eval = evaluate(&p, &schedule).expect("problem compiles");
    let found: Vec<_> = eval.findings.iter().filter(|f| f.rule == case.rule && f.penalty > 0).collect();
    assert_eq!(
        !found.is_empty(),
        case.expect_finding,
        "{} {}: findings {:?}",
        case.rule,
        case.name,
        found.iter().map(|f| &f.message_en).collect::<Vec<_>>()
    );
}

const CASES: &[Case] = &[
    Case {
        rule: RuleId::H1,
        name: "touching shifts do not overlap",
        build: || (problem(monday(), 1), days(&[(0, "F5"), (0, "A3")])),
        expect_finding: false,
    },
    Case {
        rule: RuleId::H1,
        name: "overlapping shifts",
        build: || (problem(monday(), 1), days(&[(0, "F5"), (0, "L")])),
        expect_finding: true,
    },
    Case {
        rule: RuleId::H4,
        name: "exactly 11 h of rest passes",
        build: || (problem(monday(), 1), days(&[(0, "K"), (1, "M")])),
        expect_finding: false,
    },
    Case {
        rule: RuleId::H4,
        name: "10 h 59 min of rest fails",
        build: || (problem(monday(), 1), days(&[(0, "K"), (1, "M59")])),
        expect_finding: true,
    },
    Case {
        rule: RuleId::H4,
        name: "history across the period start",
        build: || {
            let mut p = problem(monday(), 1);
            p.history = Some(vec![HistoryShift {
                employee: "a".into(),
                date: p.unit.period.date(-1),
                shift: "K".into(),
            }]);
            (p, days(&[(0, "M59")]))
        },
        expect_finding: true,
    },
    Case {
        rule: RuleId::H4,
        name: "14 h pass leaves too little rest",
        build: || (problem(monday(), 1), days(&[(0, "L")])),
        expect_finding: true,
    },
    Case {
        rule: RuleId::H5,
        name: "36 h free inside the week passes",
        // K ends Friday 21:00 and S9 starts Sunday 09:00: exactly 36 h.
        build: || {
            (problem(monday(), 1), days(&[(0, "M"), (1, "M"), (2, "M"), (3, "M"), (4, "K"), (6, "S9")]))
        },
        expect_finding: false,
    },
    Case {
        rule: RuleId::H5,
        name: "35 h 59 min free inside the week fails",
        build: || {
            (problem(monday(), 1), days(&[(0, "M"), (1, "M"), (2, "M"), (3, "M"), (4, "K"), (6, "S859")]))
        },
        expect_finding: true,
    },
    Case {
        rule: RuleId::H5,
        name: "no 36 h free inside the week fails",
        build: || {
            (
                problem(monday(), 1),
                days(&[(0, "M"), (1, "M"), (2, "K"), (3, "K"), (4, "K"), (5, "K"), (6, "K")]),
            )
        },
        expect_finding: true,
    },
    Case {
        rule: RuleId::H3,
        name: "night shift into a day of absence",
        build: || {
            let mut p = problem(monday(), 1);
            let d = p.unit.period.date(2);
            p.absences.push(Absence { employee: "a".into(), from: d, to: d, kind: "semester".into() });
            (p, days(&[(1, "N")]))
        },
        expect_finding: true,
    },
    Case {
        rule: RuleId::H3,
        name: "day shift before the absence",
        build: || {
            let mut p = problem(monday(), 1);
            let d = p.unit.period.date(2);
            p.absences.push(Absence { employee: "a".into(), from: d, to: d, kind: "semester".into() });
            (p, days(&[(1, "M")]))
        },
        expect_finding: false,
    },
    Case {
        rule: RuleId::H2,
        name: "delegation valid on its last day",
        build: || {
            let mut p = problem(monday(), 1);
            p.shift_types[7].skill = Some("deleg".into());
            let to = p.unit.period.date(3);
            p.skill_grants.push(SkillGrant {
                employee: "a".into(),
                skill: "deleg".into(),
                valid_from: date(2026, 1, 1),
                valid_to: to,
            });
            (p, days(&[(3, "DEL")]))
        },
        expect_finding: false,
    },
    Case {
        rule: RuleId::H2,
        name: "delegation expired mid-period",
        build: || {
            let mut p = problem(monday(), 1);
            p.shift_types[7].skill = Some("deleg".into());
            let to = p.unit.period.date(3);
            p.skill_grants.push(SkillGrant {
                employee: "a".into(),
                skill: "deleg".into(),
                valid_from: date(2026, 1, 1),
                valid_to: to,
            });
            (p, days(&[(4, "DEL")]))
        },
        expect_finding: true,
    },
    Case {
        rule: RuleId::H7,
        name: "5 h without a break passes",
        build: || (problem(monday(), 1), days(&[(0, "F5")])),
        expect_finding: false,
    },
    Case {
        rule: RuleId::H7,
        name: "touching shifts form one stretch",
        build: || (problem(monday(), 1), days(&[(0, "F5"), (0, "A3")])),
        expect_finding: true,
    },
    Case {
        rule: RuleId::H10,
        name: "6 days in a row pass",
        build: || (problem(monday(), 2), days(&[(0, "M"), (1, "M"), (2, "M"), (3, "M"), (4, "M"), (5, "M")])),
        expect_finding: false,
    },
    Case {
        rule: RuleId::H10,
        name: "7 days in a row fail",
        build: || {
            (
                problem(monday(), 2),
                days(&[(0, "M"), (1, "M"), (2, "M"), (3, "M"), (4, "M"), (5, "M"), (6, "M")]),
            )
        },
        expect_finding: true,
    },
    Case {
        rule: RuleId::H11,
        name: "9 days off in 28 pass",
        build: || {
            (
                problem(monday(), 4),
                (0..28)
                    .filter(|d| ![3, 5, 6, 12, 13, 19, 20, 26, 27].contains(d))
                    .map(|d| (d, "M"))
                    .collect(),
            )
        },
        expect_finding: false,
    },
    Case {
        rule: RuleId::H11,
        name: "8 days off in 28 fail",
        build: || {
            (
                problem(monday(), 4),
                (0..28).filter(|d| ![5, 6, 12, 13, 19, 20, 26, 27].contains(d)).map(|d| (d, "M")).collect(),
            )
        },
        expect_finding: true,
    },
    Case {
        rule: RuleId::H12,
        name: "every other weekend passes",
        build: || (problem(date(2026, 3, 16), 2), days(&[(5, "M"), (6, "M")])),
        expect_finding: false,
    },
    Case {
        rule: RuleId::H12,
        name: "weekend over the spring clock change after a worked weekend",
        build: || (problem(date(2026, 3, 16), 2), days(&[(5, "M"), (12, "N")])),
        expect_finding: true,
    },
    Case {
        rule: RuleId::H12,
        name: "friday night touching saturday counts as a weekend",
        build: || (problem(date(2026, 10, 12), 2), days(&[(5, "M"), (11, "N")])),
        expect_finding: true,
    },
    Case {
        rule: RuleId::H6,
        name: "48 h average exceeded",
        build: || {
            let mut p = problem(monday(), 1);
            p.rules.set_enabled(RuleId::H4, false);
            (p, days(&[(0, "L"), (1, "L"), (2, "L"), (3, "L")]))
        },
        expect_finding: true,
    },
    Case {
        rule: RuleId::H8,
        name: "night worker over 8 h in 24 h when strenuous",
        build: || {
            let mut p = problem(monday(), 1);
            p.rules.params.night_work = NightWork::Hard { max_minutes: 8 * 60 };
            (p, days(&[(0, "N")]))
        },
        expect_finding: true,
    },
    Case {
        rule: RuleId::H8,
        name: "night worker at 8 h 15 min paid on average passes",
        build: || {
            let mut p = problem(monday(), 1);
            p.rules.params.night_work = NightWork::Average { max_minutes: 8 * 60 };
            (p, days(&[(0, "N"), (2, "N")]))
        },
        expect_finding: false,
    },
    Case {
        rule: RuleId::S7,
        name: "evening then morning",
        build: || (problem(monday(), 1), days(&[(0, "K"), (1, "M")])),
        expect_finding: true,
    },
    Case {
        rule: RuleId::S7,
        name: "morning then evening",
        build: || (problem(monday(), 1), days(&[(0, "M"), (1, "K")])),
        expect_finding: false,
    },
    Case {
        rule: RuleId::S8,
        name: "split shift on one day",
        build: || (problem(monday(), 1), days(&[(0, "F5"), (0, "K")])),
        expect_finding: false,
    },
    Case {
        rule: RuleId::S9,
        name: "single working day",
        build: || (problem(monday(), 1), days(&[(2, "M")])),
        expect_finding: true,
    },
    Case {
        rule: RuleId::S9,
        name: "block of two days",
        build: || (problem(monday(), 1), days(&[(2, "M"), (3, "M")])),
        expect_finding: false,
    },
    Case {
        rule: RuleId::S10,
        name: "shift type changes in a block",
        build: || (problem(monday(), 1), days(&[(0, "M"), (1, "K")])),
        expect_finding: true,
    },
    Case {
        rule: RuleId::S10,
        name: "same shift type through a block",
        build: || (problem(monday(), 1), days(&[(0, "M"), (1, "M")])),
        expect_finding: false,
    },
    Case {
        rule: RuleId::S12,
        name: "only saturday worked",
        build: || (problem(monday(), 1), days(&[(5, "M")])),
        expect_finding: true,
    },
    Case {
        rule: RuleId::S12,
        name: "whole weekend worked",
        build: || (problem(monday(), 1), days(&[(5, "M"), (6, "M")])),
        expect_finding: false,
    },
    Case {
        rule: RuleId::S3,
        name: "far below target hours",
        build: || (problem(monday(), 1), days(&[(0, "M")])),
        expect_finding: true,
    },
];

#[test]
fn rule_table() {
    for case in CASES {
        run(case);
    }
}

#[test]
fn every_hard_rule_has_a_failing_case() {
    use RuleId::*;
    for rule in [H1, H2, H3, H4, H5, H6, H7, H8, H10, H11, H12] {
        assert!(CASES.iter().any(|c| c.rule == rule && c.expect_finding), "{rule} has no failing case");
    }
}

#[test]
fn rest_finding_names_employee_dates_and_minutes() {
    let p = problem(monday(), 1);
    let schedule = Schedule { assignments: vec![work(&p, 0, "K"), work(&p, 1, "M59")] };
    let eval = evaluate(&p, &schedule).unwrap();
    let f = eval.findings.iter().find(|f| f.rule == RuleId::H4).expect("H4 finding");
    assert_eq!(f.employee.as_deref(), Some("a"));
    assert_eq!(f.from, Some(date(2026, 3, 2)));
    assert_eq!(f.to, Some(date(2026, 3, 3)));
    assert_eq!(f.measured, Some(10 * 60 + 59));
    assert_eq!(f.limit, Some(11 * 60));
    assert!(f.message_sv.contains("10 tim 59 min"), "{}", f.message_sv);
    assert!(f.message_en.contains("10 h 59 min"), "{}", f.message_en);
}

#[test]
fn rest_over_autumn_clock_change_counts_the_extra_hour() {
    // K ends Saturday 21:00; M59 starts Sunday 07:59 on the night the clocks go back, so
    // 11 h 59 min elapse: legal, though the clocks show 10 h 59 min.
    let p = problem(date(2026, 10, 19), 1);
    let schedule = Schedule { assignments: vec![work(&p, 5, "K"), work(&p, 6, "M59")] };
    let eval = evaluate(&p, &schedule).unwrap();
    assert!(eval.findings.iter().all(|f| f.rule != RuleId::H4));
}

#[test]
fn rest_over_spring_clock_change_loses_an_hour() {
    // K ends Saturday 2026-03-28 21:00; M starts Sunday 08:00 after the clocks go forward:
    // only 10 h elapse.
    let p = problem(date(2026, 3, 23), 1);
    let schedule = Schedule { assignments: vec![work(&p, 5, "K"), work(&p, 6, "M")] };
    let eval = evaluate(&p, &schedule).unwrap();
    let f = eval.findings.iter().find(|f| f.rule == RuleId::H4).expect("H4 finding");
    assert_eq!(f.measured, Some(10 * 60));
}

#[test]
fn fair_share_message_in_singular() {
    let p = problem(monday(), 1);
    let schedule = Schedule { assignments: vec![work(&p, 0, "N")] };
    let eval = evaluate(&p, &schedule).unwrap();
    let night = eval
        .findings
        .iter()
        .find(|f| f.rule == RuleId::S5 && f.message_en.contains("night"))
        .expect("an S5 finding on nights");
    assert!(night.message_en.starts_with("a has 1 night shift, fair share"), "{}", night.message_en);
    assert!(night.message_sv.starts_with("a har 1 nattpass, rättvis andel"), "{}", night.message_sv);
}
