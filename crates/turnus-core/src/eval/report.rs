//! Full evaluation of a schedule: every finding, the score, hours against target per
//! employee, cover per day and shift with the reason for every gap, and each wish's outcome.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::compile::{
    CWishKind, Compiled, DayIndex, EmpIdx, FAIR_NIGHT, FAIR_WEEKEND, Work, compile, fair_kind, on,
};
use crate::eval::cover_penalty;
use crate::eval::explain::{explain_gap, explain_wish};
use crate::eval::findings::{Finding, Measure, Score};
use crate::eval::row::{RowScratch, row_findings, wish_granted};
use crate::problem::{Problem, ProblemError};
use crate::rules::RuleId;
use crate::schedule::Schedule;

/// Hours and burden of one employee.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmployeeSummary {
    pub id: String,
    pub name: String,
    pub employment_percent: f64,
    pub scheduled_minutes: i64,
    pub target_minutes: i64,
    pub shifts: u32,
    pub weekends_worked: u32,
    pub nights: u32,
    pub hard_findings: u32,
    pub wishes: u32,
    pub wishes_granted: u32,
    /// Weekend shifts (any shift touching Saturday 00:00 to Monday 00:00) against their fair
    /// share under rule S5.
    #[serde(default)]
    pub weekend_shifts: FairBurden,
    /// Night shifts against their fair share under rule S5.
    #[serde(default)]
    pub night_shifts: FairBurden,
}

/// One employee's shifts of one S5 kind in the period and their fair share, as rule S5
/// counts them. The fair share is the kind's ideal head-count, shared among the employees
/// who may take a shift of it in proportion to employment degree × days present.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct FairBurden {
    /// Shifts of the kind that the employee works in the period.
    pub count: u32,
    /// The fair share in shifts, to a thousandth.
    pub fair_share: f64,
    /// Whether the employee may take at least one shift of the kind in the period.
    pub eligible: bool,
}

/// Builds the S5 count and fair share of kind `kind` for employee `e`.
fn fair_burden_of(c: &Compiled, e: usize, period: &[&Work], kind: usize) -> FairBurden {
    let emp = &c.emps[e];
    FairBurden {
        count: period.iter().filter(|w| fair_kind(c, w, kind)).count() as u32,
        fair_share: emp.fair_targets_milli[kind] as f64 / 1000.0,
        eligible: emp.fair_eligible[kind],
    }
}

/// Cover of one demand row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverLine {
    pub date: Date,
    pub shift: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skill: Option<String>,
    pub min: u32,
    pub ideal: u32,
    pub count: u32,
    /// Why the row is below its minimum, when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_reason_sv: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_reason_en: Option<String>,
}

/// Whether a wish was granted, and why not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WishOutcome {
    pub employee: String,
    pub date: Date,
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shift: Option<String>,
    pub priority: u8,
    pub granted: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_sv: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason_en: Option<String>,
}

/// A schedule row that contradicts the problem (unknown employee or shift, a date outside the
/// period, a pinned assignment not kept).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contradiction {
    pub message_sv: String,
    pub message_en: String,
}

/// The full evaluation of a schedule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub score: Score,
    /// Score per rule id.
    pub by_rule: BTreeMap<RuleId, Score>,
    pub findings: Vec<Finding>,
    pub contradictions: Vec<Contradiction>,
    pub employees: Vec<EmployeeSummary>,
    pub cover: Vec<CoverLine>,
    pub wishes: Vec<WishOutcome>,
}

impl Evaluation {
    /// Whether the schedule is legal and agrees with the problem.
    pub fn is_legal(&self) -> bool {
        self.score.hard == 0 && self.contradictions.is_empty()
    }
}

/// Evaluates a schedule given as rows of ids and codes.
///
/// # Errors
///
/// Returns the problem's contradictions when it does not compile.
pub fn evaluate(problem: &Problem, schedule: &Schedule) -> Result<Evaluation, Vec<ProblemError>> {
    let c = compile(problem)?;
    let mut rows: Vec<Vec<Work>> = vec![Vec::new(); c.emps.len()];
    let mut contradictions = Vec::new();
    for a in &schedule.assignments {
        let Some(e) = c.emp_index(&a.employee) else {
            contradictions.push(Contradiction {
                message_sv: format!("Okänd anställd {:?} på raden för {}", a.employee, a.date),
                message_en: format!("Unknown employee {:?} on the row for {}", a.employee, a.date),
            });
            continue;
        };
        let Some(s) = c.shift_index(&a.shift) else {
            contradictions.push(Contradiction {
                message_sv: format!("Okänt pass {:?} för {} {}", a.shift, a.employee, a.date),
                message_en: format!("Unknown shift {:?} for {} on {}", a.shift, a.employee, a.date),
            });
            continue;
        };
        if !c.period.contains(a.date) {
            contradictions.push(Contradiction {
                message_sv: format!(
                    "{} {} ligger utanför perioden {}–{}",
                    a.employee,
                    a.date,
                    c.period.start,
                    c.period.end_inclusive()
                ),
                message_en: format!(
                    "{} on {} is outside the period {} to {}",
                    a.employee,
                    a.date,
                    c.period.start,
                    c.period.end_inclusive()
                ),
            });
            continue;
        }
        rows[e as usize].push(c.work(c.period.index_of(a.date), s));
    }
    let mut evaluation = evaluate_assignments(&c, &rows);
    evaluation.contradictions.extend(contradictions);
    Ok(evaluation)
}

/// Builds an employee's full row: history, then the period works, sorted by start.
pub fn full_row(c: &Compiled, e: EmpIdx, period_works: &[Work]) -> Vec<Work> {
    let mut row = c.emps[e as usize].history.clone();
    row.extend_from_slice(period_works);
    row.sort_by_key(|w| (w.start, w.end, w.shift));
    row
}

/// Evaluates per-employee period works against a compiled problem.
pub fn evaluate_assignments(c: &Compiled, rows: &[Vec<Work>]) -> Evaluation {
    let mut score = Score::default();
    let mut findings = Vec::new();
    let mut contradictions = Vec::new();
    let mut employees = Vec::new();
    let mut wishes = Vec::new();
    let mut scratch = RowScratch::default();
    let full_rows: Vec<Vec<Work>> = (0..c.emps.len()).map(|e| full_row(c, e as EmpIdx, &rows[e])).collect();

    // Rules per employee.
    for (e, emp) in c.emps.iter().enumerate() {
        let row = &full_rows[e];
        let (row_score, row_found) = row_findings(c, e as EmpIdx, row, &mut scratch);
        score += row_score;
        let hard_findings = row_found.iter().filter(|f| f.hard).count() as u32;
        findings.extend(row_found);

        for d in 0..c.days {
            if let Some(pin) = c.pin(e as EmpIdx, d) {
                let kept = if pin == crate::compile::OFF {
                    true // H3 reports work on a pinned day off
                } else {
                    rows[e].iter().any(|w| w.day == d as DayIndex && w.shift == pin)
                };
                if !kept {
                    let code = &c.shifts[usize::from(pin)].code;
                    contradictions.push(Contradiction {
                        message_sv: format!(
                            "Det låsta passet {code} för {} {} saknas i schemat",
                            emp.id,
                            c.date(d as DayIndex)
                        ),
                        message_en: format!(
                            "The pinned shift {code} of {} on {} is missing from the schedule",
                            emp.id,
                            c.date(d as DayIndex)
                        ),
                    });
                }
            }
        }

        let period: Vec<&Work> = row.iter().filter(|w| w.day >= 0).collect();
        let weekends_worked = c
            .weekends
            .iter()
            .filter(|s| s.in_period && period.iter().any(|w| w.start < s.end && w.end > s.start))
            .count() as u32;
        let mut granted_count = 0;
        for wish in &emp.wishes {
            let granted = wish_granted(row, wish);
            granted_count += u32::from(granted);
            let (kind, shift) = match wish.kind {
                CWishKind::Work(s) => ("work", s),
                CWishKind::Off => ("off", None),
                CWishKind::Avoid(s) => ("avoid", Some(s)),
            };
            let reason = (!granted).then(|| explain_wish(c, e as EmpIdx, row, wish, &full_rows));
            wishes.push(WishOutcome {
                employee: emp.id.clone(),
                date: c.date(wish.day),
                kind: kind.to_string(),
                shift: shift.map(|s| c.shifts[usize::from(s)].code.clone()),
                priority: wish.priority,
                granted,
                reason_sv: reason.as_ref().map(|r| r.0.clone()),
                reason_en: reason.map(|r| r.1),
            });
        }
        employees.push(EmployeeSummary {
            id: emp.id.clone(),
            name: emp.name.clone(),
            employment_percent: f64::from(emp.employment_basis_points) / 100.0,
            scheduled_minutes: period.iter().map(|w| w.paid).sum(),
            target_minutes: emp.target_minutes,
            shifts: period.len() as u32,
            weekends_worked,
            nights: period.iter().filter(|w| c.shifts[usize::from(w.shift)].class.night).count() as u32,
            hard_findings,
            wishes: emp.wishes.len() as u32,
            wishes_granted: granted_count,
            weekend_shifts: fair_burden_of(c, e, &period, FAIR_WEEKEND),
            night_shifts: fair_burden_of(c, e, &period, FAIR_NIGHT),
        });
    }

    // Cover per demand row.
    let mut counts = vec![0u32; c.cover.len()];
    for (e, row) in rows.iter().enumerate() {
        for w in row.iter().filter(|w| w.day >= 0 && (w.day as usize) < c.days) {
            for &r in c.cover_rows(w.day as usize, w.shift) {
                if c.counts_for(e as EmpIdx, &c.cover[r as usize]) {
                    counts[r as usize] += 1;
                }
            }
        }
    }
    let mut cover = Vec::with_capacity(c.cover.len());
    for (i, row) in c.cover.iter().enumerate() {
        let count = counts[i];
        let (s1, s2) = cover_penalty(row, count);
        let date = c.date(row.day);
        let code = &c.shifts[usize::from(row.shift)].code;
        let skill = row.skill.map(|k| c.skills[usize::from(k)].clone());
        let with_skill_sv = skill.as_ref().map(|k| format!(" med {k}")).unwrap_or_default();
        let with_skill_en = skill.as_ref().map(|k| format!(" with {k}")).unwrap_or_default();
        let mut gap = None;
        if s1 > 0 && on(c, RuleId::S1) {
            let (why_sv, why_en) = explain_gap(c, i, &full_rows);
            let missing = row.min - count;
            score.soft += s1;
            findings.push(
                Finding::new(
                    RuleId::S1,
                    false,
                    s1,
                    format!("{code} {date}: {count} av minst {}{with_skill_sv}, {missing} saknas. {why_sv}", row.min),
                    format!("{code} on {date}: {count} of at least {}{with_skill_en}, {missing} missing. {why_en}", row.min),
                )
                .shift(code)
                .dates(date, date)
                .measured(i64::from(count), i64::from(row.min), Measure::Count),
            );
            gap = Some((why_sv, why_en));
        }
        if s2 > 0 && on(c, RuleId::S2) {
            score.soft += s2;
            let (sv, en) = if count > row.ideal {
                (
                    format!(
                        "{code} {date}: {count} bemannade, {} över idealet {}",
                        count - row.ideal,
                        row.ideal
                    ),
                    format!(
                        "{code} on {date}: {count} staffed, {} above the ideal {}",
                        count - row.ideal,
                        row.ideal
                    ),
                )
            } else {
                (
                    format!("{code} {date}: {count} av idealet {}{with_skill_sv}", row.ideal),
                    format!("{code} on {date}: {count} of the ideal {}{with_skill_en}", row.ideal),
                )
            };
            findings.push(
                Finding::new(RuleId::S2, false, s2, sv, en).shift(code).dates(date, date).measured(
                    i64::from(count),
                    i64::from(row.ideal),
                    Measure::Count,
                ),
            );
        }
        cover.push(CoverLine {
            date,
            shift: code.clone(),
            skill,
            min: row.min,
            ideal: row.ideal,
            count,
            gap_reason_sv: gap.as_ref().map(|g| g.0.clone()),
            gap_reason_en: gap.map(|g| g.1),
        });
    }

    let mut by_rule: BTreeMap<RuleId, Score> = BTreeMap::new();
    for f in &findings {
        let entry = by_rule.entry(f.rule).or_default();
        if f.hard {
            entry.hard += f.penalty;
        } else {
            entry.soft += f.penalty;
        }
    }
    Evaluation { score, by_rule, findings, contradictions, employees, cover, wishes }
}
