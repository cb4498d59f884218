//! Random small problems shared by the solver's tests: both presets, shifts across midnight,
//! skills with expiry, absences, pins, history, and periods over both Stockholm clock changes.

use jiff::civil::{Time, date};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use turnus_core::{
    Absence, DemandDay, DemandRow, Employee, EmployeeLimits, HistoryShift, NightWork, Pin, Preset, Problem,
    RuleId, RuleSet, ShiftType, SkillGrant, Unit, Wish, WishKind,
};

fn time(h: i8, m: i8) -> Time {
    Time::new(h, m, 0, 0).unwrap()
}

/// A random small problem: both presets, shifts across midnight, skills with expiry,
/// absences, pins, history, and periods over both Stockholm clock changes.
pub fn random_problem(seed: u64) -> Problem {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let starts = [date(2026, 3, 23), date(2026, 10, 19), date(2026, 12, 21), date(2027, 3, 15)];
    let start = starts[rng.random_range(0..starts.len())];
    let weeks = rng.random_range(1..=3u32);
    let preset = if rng.random_bool(0.25) { Preset::Benchmark } else { Preset::Ab };
    let mut rules = RuleSet::preset(preset);
    if rng.random_bool(0.3) {
        rules.params.night_work = if rng.random_bool(0.5) {
            NightWork::Average { max_minutes: 8 * 60 }
        } else {
            NightWork::Hard { max_minutes: 8 * 60 }
        };
    }
    // Grid-like benchmark problems (UTC, shifts inside their day, no absences) take the
    // solver's day-grid fast path; the others take the full row evaluation.
    let grid_like = preset == Preset::Benchmark && rng.random_bool(0.6);
    if preset == Preset::Benchmark && !grid_like {
        rules.set_enabled(RuleId::H2, true);
    }

    let skills = ["usk", "natt", "deleg"];
    let shift_count = rng.random_range(2..=4usize);
    let templates = [
        ("D", time(7, 0), time(15, 30), 30),
        ("K", time(13, 30), time(21, 30), 30),
        ("N", time(21, 15), time(7, 15), 45),
        ("T", time(8, 0), time(12, 0), 0),
        ("L", time(7, 0), time(21, 0), 60),
    ];
    let mut shift_types = Vec::new();
    for (i, (code, s, e, b)) in templates.iter().enumerate().take(shift_count) {
        let code = if i == 0 && rng.random_bool(0.3) { "L" } else { code };
        let (s, e, b) = if grid_like {
            let hours = [8, 10, 12][rng.random_range(0..3)];
            (&time(0, 0), &time(hours, 0), &0)
        } else {
            (s, e, b)
        };
        if shift_types.iter().any(|t: &ShiftType| t.code == code) {
            continue;
        }
        shift_types.push(ShiftType {
            code: code.to_string(),
            name: code.to_string(),
            start: *s,
            end: *e,
            break_minutes: *b,
            skill: (!grid_like && rng.random_bool(0.3)).then(|| skills[rng.random_range(0..3)].to_string()),
            cannot_follow: Vec::new(),
        });
    }
    if preset == Preset::Benchmark {
        let codes: Vec<String> = shift_types.iter().map(|s| s.code.clone()).collect();
        for s in &mut shift_types {
            if rng.random_bool(0.5) {
                s.cannot_follow.push(codes[rng.random_range(0..codes.len())].clone());
            }
        }
    }

    let emp_count = rng.random_range(2..=5usize);
    let mut employees = Vec::new();
    for i in 0..emp_count {
        let mut limits = EmployeeLimits::default();
        if preset == Preset::Benchmark {
            limits.max_total_minutes = Some(rng.random_range(1000..6000));
            limits.min_total_minutes = Some(rng.random_range(0..2000));
            limits.max_consecutive_days = Some(rng.random_range(2..6));
            limits.min_consecutive_days = Some(rng.random_range(1..3));
            limits.min_consecutive_days_off = Some(rng.random_range(1..3));
            limits.max_weekends = Some(rng.random_range(0..2));
            for s in &shift_types {
                limits.max_shifts_per_type.insert(s.code.clone(), rng.random_range(0..8));
            }
        }
        employees.push(Employee {
            id: format!("e{i}"),
            name: format!("Anställd {i}"),
            employment_basis_points: [5000, 7500, 10000][rng.random_range(0..3)],
            full_time_minutes: rng.random_bool(0.2).then_some(2060),
            skills: skills.iter().filter(|_| rng.random_bool(0.6)).map(|s| s.to_string()).collect(),
            night_worker: rng.random_bool(0.3),
            limits,
        });
    }

    let period_days = weeks as i32 * 7;
    let day = |d: i32| start.checked_add(jiff::Span::new().days(d)).unwrap();
    let mut demand = Vec::new();
    for s in &shift_types {
        for wd in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            let min = rng.random_range(0..3);
            demand.push(DemandRow {
                day: wd.parse().unwrap(),
                shift: s.code.clone(),
                skill: None,
                min,
                ideal: min + rng.random_range(0..2),
                under_weight: None,
                over_weight: None,
            });
        }
        if rng.random_bool(0.5) {
            demand.push(DemandRow {
                day: DemandDay::Holiday,
                shift: s.code.clone(),
                skill: None,
                min: 1,
                ideal: 1,
                under_weight: None,
                over_weight: None,
            });
            demand.push(DemandRow {
                day: DemandDay::Weekday(jiff::civil::Weekday::Monday),
                shift: s.code.clone(),
                skill: Some(skills[rng.random_range(0..3)].to_string()),
                min: 1,
                ideal: 1,
                under_weight: None,
                over_weight: None,
            });
        }
        if rng.random_bool(0.3) {
            demand.push(DemandRow {
                day: DemandDay::Date(day(rng.random_range(0..period_days))),
                shift: s.code.clone(),
                skill: None,
                min: 2,
                ideal: 3,
                under_weight: Some(100),
                over_weight: Some(1),
            });
        }
    }

    let codes: Vec<String> = shift_types.iter().map(|s| s.code.clone()).collect();
    let mut wishes = Vec::new();
    for _ in 0..rng.random_range(0..8) {
        let kind = match rng.random_range(0..4) {
            0 => WishKind::Work(None),
            1 => WishKind::Work(Some(codes[rng.random_range(0..codes.len())].clone())),
            2 => WishKind::Off,
            _ => WishKind::Avoid(codes[rng.random_range(0..codes.len())].clone()),
        };
        wishes.push(Wish {
            employee: format!("e{}", rng.random_range(0..emp_count)),
            date: day(rng.random_range(0..period_days)),
            kind,
            priority: rng.random_range(1..=3),
        });
    }
    let mut absences = Vec::new();
    for _ in 0..if grid_like { 0 } else { rng.random_range(0..3) } {
        let from = rng.random_range(-3..period_days);
        absences.push(Absence {
            employee: format!("e{}", rng.random_range(0..emp_count)),
            from: day(from),
            to: day(from + rng.random_range(0..4)),
            kind: "semester".into(),
        });
    }
    let mut skill_grants = Vec::new();
    if rng.random_bool(0.5) {
        skill_grants.push(SkillGrant {
            employee: "e0".into(),
            skill: "deleg".into(),
            valid_from: day(-10),
            valid_to: day(rng.random_range(0..period_days)),
        });
    }
    let history = (preset == Preset::Ab && rng.random_bool(0.7)).then(|| {
        let mut h = Vec::new();
        for e in 0..emp_count {
            for d in -14..0 {
                if rng.random_bool(0.5) {
                    h.push(HistoryShift {
                        employee: format!("e{e}"),
                        date: day(d),
                        shift: codes[rng.random_range(0..codes.len())].clone(),
                    });
                }
            }
        }
        h
    });
    let mut pins = Vec::new();
    for _ in 0..rng.random_range(0..3) {
        let pin = Pin {
            employee: format!("e{}", rng.random_range(0..emp_count)),
            date: day(rng.random_range(0..period_days)),
            shift: rng.random_bool(0.5).then(|| codes[0].clone()),
        };
        if !pins.iter().any(|p: &Pin| p.employee == pin.employee && p.date == pin.date) {
            pins.push(pin);
        }
    }

    Problem {
        unit: Unit {
            name: "prop".into(),
            time_zone: "Europe/Stockholm".into(),
            period: turnus_core::Period { start, weeks },
        },
        rules,
        employees,
        shift_types,
        demand,
        wishes,
        absences,
        skill_grants,
        history,
        pins,
    }
}
