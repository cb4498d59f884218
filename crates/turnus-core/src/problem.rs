//! The scheduling problem of one unit for one schedule period: staff, shift types, demand,
//! wishes, absences, history, pins and the rule set. Readers build it; the evaluator and the
//! solver only read it. `Problem::validate` enforces the invariants the rest relies on.

use std::collections::{BTreeMap, HashSet};

use jiff::civil::{Date, Time, Weekday};
use serde::{Deserialize, Serialize};

use crate::rules::RuleSet;
use crate::time::Period;

/// The unit and its period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unit {
    pub name: String,
    /// IANA time zone name, `Europe/Stockholm` by default.
    pub time_zone: String,
    pub period: Period,
}

/// Per-employee limits beyond the rule set, as benchmark instances state them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EmployeeLimits {
    /// Maximum number of shifts of each type (by shift code) over the period.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub max_shifts_per_type: BTreeMap<String, u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_total_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_total_minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_consecutive_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_consecutive_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_consecutive_days_off: Option<u32>,
    /// Maximum number of worked weekends over the whole period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_weekends: Option<u32>,
}

impl EmployeeLimits {
    fn is_empty(&self) -> bool {
        *self == EmployeeLimits::default()
    }
}

/// An employee of the unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Employee {
    pub id: String,
    pub name: String,
    /// Employment degree in hundredths of a percent: 7550 is 75.5 %.
    pub employment_basis_points: u32,
    /// Weekly full-time measure in minutes; `None` takes the rule set's default.
    #[serde(default)]
    pub full_time_minutes: Option<u32>,
    /// Skill codes held without a date limit (unless a [`SkillGrant`] limits them).
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub night_worker: bool,
    #[serde(default, skip_serializing_if = "EmployeeLimits::is_empty")]
    pub limits: EmployeeLimits,
}

/// A shift type: a named working time on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShiftType {
    pub code: String,
    pub name: String,
    pub start: Time,
    /// End clock time; at or before `start` means the next day.
    pub end: Time,
    #[serde(default)]
    pub break_minutes: u32,
    /// Skill every holder of this shift needs.
    #[serde(default)]
    pub skill: Option<String>,
    /// Shift codes that may not be worked on the day after this shift (benchmark data).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cannot_follow: Vec<String>,
}

impl ShiftType {
    /// Elapsed minutes from start to end by the clock, ignoring clock changes.
    pub fn nominal_minutes(&self) -> i64 {
        let start = i64::from(self.start.hour()) * 60 + i64::from(self.start.minute());
        let end = i64::from(self.end.hour()) * 60 + i64::from(self.end.minute());
        if end <= start { end + 24 * 60 - start } else { end - start }
    }

    /// Whether the shift ends on the day after it starts.
    pub fn crosses_midnight(&self) -> bool {
        self.end <= self.start
    }
}

/// Which days a demand row applies to. Written as in demand.csv: `mon`…`sun`, `holiday`
/// or an ISO date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum DemandDay {
    Weekday(Weekday),
    /// Swedish public holidays (not their eves).
    Holiday,
    Date(Date),
}

const WEEKDAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Monday, "mon", "mån"),
    (Weekday::Tuesday, "tue", "tis"),
    (Weekday::Wednesday, "wed", "ons"),
    (Weekday::Thursday, "thu", "tor"),
    (Weekday::Friday, "fri", "fre"),
    (Weekday::Saturday, "sat", "lör"),
    (Weekday::Sunday, "sun", "sön"),
];

impl std::fmt::Display for DemandDay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DemandDay::Weekday(w) => {
                let name = WEEKDAYS.iter().find(|(day, ..)| day == w).map_or("mon", |(_, en, _)| en);
                f.write_str(name)
            }
            DemandDay::Holiday => f.write_str("holiday"),
            DemandDay::Date(d) => write!(f, "{d}"),
        }
    }
}

impl std::str::FromStr for DemandDay {
    type Err = String;

    /// Parses `mon`…`sun` (or Swedish `mån`…`sön`, full names too), `holiday`/`helgdag`, or
    /// an ISO date.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim().to_lowercase();
        if text == "holiday" || text == "helgdag" {
            return Ok(DemandDay::Holiday);
        }
        for (day, en, sv) in WEEKDAYS {
            if text.starts_with(en) || text.starts_with(sv) {
                return Ok(DemandDay::Weekday(day));
            }
        }
        text.parse::<Date>()
            .map(DemandDay::Date)
            .map_err(|_| format!("{s:?} is not a weekday (mon…sun, mån…sön), holiday or an ISO date"))
    }
}

impl From<DemandDay> for String {
    fn from(d: DemandDay) -> String {
        d.to_string()
    }
}

impl TryFrom<String> for DemandDay {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

/// Head-count needed on a shift type, optionally counting only staff with one skill.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DemandRow {
    pub day: DemandDay,
    pub shift: String,
    #[serde(default)]
    pub skill: Option<String>,
    pub min: u32,
    pub ideal: u32,
    /// Penalty per person below `min`, replacing the rule set's S1 weight (benchmark data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under_weight: Option<i64>,
    /// Penalty per person above `ideal`, replacing the rule set's S2 weight (benchmark data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over_weight: Option<i64>,
}

/// What a wish asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "shift", rename_all = "snake_case")]
pub enum WishKind {
    /// Work that shift, or any shift when `None`.
    Work(Option<String>),
    /// No shift starting that day.
    Off,
    /// Not that shift.
    Avoid(String),
}

/// A staff member's wish for one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wish {
    pub employee: String,
    pub date: Date,
    #[serde(flatten)]
    pub kind: WishKind,
    /// 1 low, 2 normal, 3 high (benchmark weights use the same scale).
    pub priority: u8,
}

/// An absence, inclusive of both dates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Absence {
    pub employee: String,
    pub from: Date,
    pub to: Date,
    pub kind: String,
}

/// A skill held only between two dates (a delegation), inclusive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SkillGrant {
    pub employee: String,
    pub skill: String,
    pub valid_from: Date,
    pub valid_to: Date,
}

/// A shift worked before the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryShift {
    pub employee: String,
    pub date: Date,
    pub shift: String,
}

/// An assignment the solver must keep; `shift: None` pins a day off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pin {
    pub employee: String,
    pub date: Date,
    pub shift: Option<String>,
}

/// Everything needed to schedule one unit for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub unit: Unit,
    pub rules: RuleSet,
    pub employees: Vec<Employee>,
    pub shift_types: Vec<ShiftType>,
    pub demand: Vec<DemandRow>,
    #[serde(default)]
    pub wishes: Vec<Wish>,
    #[serde(default)]
    pub absences: Vec<Absence>,
    #[serde(default)]
    pub skill_grants: Vec<SkillGrant>,
    /// Shifts before the period; `None` when no history was given at all.
    #[serde(default)]
    pub history: Option<Vec<HistoryShift>>,
    #[serde(default)]
    pub pins: Vec<Pin>,
}

/// A contradiction inside a problem, found by [`Problem::validate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProblemError {
    #[error("unknown time zone {0:?}")]
    UnknownTimeZone(String),
    #[error("the period must have at least one week")]
    EmptyPeriod,
    #[error("employee id {0:?} appears more than once")]
    DuplicateEmployee(String),
    #[error("shift code {0:?} appears more than once")]
    DuplicateShift(String),
    #[error("{context} refers to unknown employee {id:?}")]
    UnknownEmployee { context: &'static str, id: String },
    #[error("{context} refers to unknown shift {code:?}")]
    UnknownShift { context: &'static str, code: String },
    #[error("{context} date {date} is outside the period {start} to {end}")]
    DateOutsidePeriod { context: &'static str, date: Date, start: Date, end: Date },
    #[error("employment degree of {id:?} must be above 0 and at most 100 %")]
    EmploymentOutOfRange { id: String },
    #[error("shift {code:?} lasts {minutes} min with a break of {break_minutes} min")]
    BreakTooLong { code: String, minutes: i64, break_minutes: u32 },
    /// `max_minutes` is the rule set's limit of work without a break.
    #[error("shift {code:?} lasts more than {max_minutes} min and needs a break (ATL §15)")]
    MissingBreak { code: String, max_minutes: i64 },
    #[error("demand for shift {code:?}: ideal {ideal} is below min {min}")]
    IdealBelowMin { code: String, min: u32, ideal: u32 },
    #[error("absence of {id:?} ends {to} before it starts {from}")]
    AbsenceReversed { id: String, from: Date, to: Date },
    #[error("skill {skill:?} of {id:?} is valid to {to}, before it is valid from {from}")]
    SkillGrantReversed { id: String, skill: String, from: Date, to: Date },
    #[error("wish priority {priority} of {id:?} on {date} must be 1, 2 or 3")]
    BadPriority { id: String, date: Date, priority: u8 },
    #[error("wish of {id:?} on {date} to avoid a shift names no shift")]
    AvoidWithoutShift { id: String, date: Date },
    #[error("{id:?} has two pins on {date}")]
    DuplicatePin { id: String, date: Date },
}

impl Problem {
    /// The unit's time zone.
    ///
    /// # Errors
    ///
    /// Returns [`ProblemError::UnknownTimeZone`] when the name is not in the tz database.
    pub fn time_zone(&self) -> Result<jiff::tz::TimeZone, ProblemError> {
        jiff::tz::TimeZone::get(&self.unit.time_zone)
            .map_err(|_| ProblemError::UnknownTimeZone(self.unit.time_zone.clone()))
    }

    /// Checks every cross-reference and invariant and returns all contradictions found.
    pub fn validate(&self) -> Vec<ProblemError> {
        let mut errors = Vec::new();
        if let Err(e) = self.time_zone() {
            errors.push(e);
        }
        let period = self.unit.period;
        if period.weeks == 0 {
            errors.push(ProblemError::EmptyPeriod);
        }

        let mut employees = HashSet::new();
        for e in &self.employees {
            if !employees.insert(e.id.as_str()) {
                errors.push(ProblemError::DuplicateEmployee(e.id.clone()));
            }
            if e.employment_basis_points == 0 || e.employment_basis_points > 10_000 {
                errors.push(ProblemError::EmploymentOutOfRange { id: e.id.clone() });
            }
        }
        let mut shifts = HashSet::new();
        for s in &self.shift_types {
            if !shifts.insert(s.code.as_str()) {
                errors.push(ProblemError::DuplicateShift(s.code.clone()));
            }
            let minutes = s.nominal_minutes();
            if i64::from(s.break_minutes) >= minutes {
                errors.push(ProblemError::BreakTooLong {
                    code: s.code.clone(),
                    minutes,
                    break_minutes: s.break_minutes,
                });
            }
            if self.rules.is_enabled(crate::rules::RuleId::H7)
                && minutes > self.rules.params.max_work_without_break_minutes
                && s.break_minutes == 0
            {
                errors.push(ProblemError::MissingBreak {
                    code: s.code.clone(),
                    max_minutes: self.rules.params.max_work_without_break_minutes,
                });
            }
        }
        for s in &self.shift_types {
            for next in &s.cannot_follow {
                if !shifts.contains(next.as_str()) {
                    errors.push(ProblemError::UnknownShift { context: "cannot_follow", code: next.clone() });
                }
            }
        }
        for e in &self.employees {
            for code in e.limits.max_shifts_per_type.keys() {
                if !shifts.contains(code.as_str()) {
                    errors.push(ProblemError::UnknownShift {
                        context: "max_shifts_per_type",
                        code: code.clone(),
                    });
                }
            }
        }

        let check_employee = |errors: &mut Vec<ProblemError>, context, id: &String| {
            if !employees.contains(id.as_str()) {
                errors.push(ProblemError::UnknownEmployee { context, id: id.clone() });
            }
        };
        let check_shift = |errors: &mut Vec<ProblemError>, context, code: &String| {
            if !shifts.contains(code.as_str()) {
                errors.push(ProblemError::UnknownShift { context, code: code.clone() });
            }
        };
        let check_in_period = |errors: &mut Vec<ProblemError>, context, date: Date| {
            if !period.contains(date) {
                errors.push(ProblemError::DateOutsidePeriod {
                    context,
                    date,
                    start: period.start,
                    end: period.end_inclusive(),
                });
            }
        };

        for d in &self.demand {
            check_shift(&mut errors, "demand", &d.shift);
            if d.ideal < d.min {
                errors.push(ProblemError::IdealBelowMin {
                    code: d.shift.clone(),
                    min: d.min,
                    ideal: d.ideal,
                });
            }
        }
        for w in &self.wishes {
            check_employee(&mut errors, "wish", &w.employee);
            check_in_period(&mut errors, "wish", w.date);
            if !(1..=3).contains(&w.priority) {
                errors.push(ProblemError::BadPriority {
                    id: w.employee.clone(),
                    date: w.date,
                    priority: w.priority,
                });
            }
            match &w.kind {
                WishKind::Work(Some(code)) => check_shift(&mut errors, "wish", code),
                WishKind::Avoid(code) if code.is_empty() => {
                    errors.push(ProblemError::AvoidWithoutShift { id: w.employee.clone(), date: w.date })
                }
                WishKind::Avoid(code) => check_shift(&mut errors, "wish", code),
                WishKind::Work(None) | WishKind::Off => {}
            }
        }
        for a in &self.absences {
            check_employee(&mut errors, "absence", &a.employee);
            if a.to < a.from {
                errors.push(ProblemError::AbsenceReversed { id: a.employee.clone(), from: a.from, to: a.to });
            }
        }
        for g in &self.skill_grants {
            check_employee(&mut errors, "skill", &g.employee);
            if g.valid_to < g.valid_from {
                errors.push(ProblemError::SkillGrantReversed {
                    id: g.employee.clone(),
                    skill: g.skill.clone(),
                    from: g.valid_from,
                    to: g.valid_to,
                });
            }
        }
        for h in self.history.iter().flatten() {
            check_employee(&mut errors, "history", &h.employee);
            check_shift(&mut errors, "history", &h.shift);
        }
        let mut pinned = HashSet::new();
        for p in &self.pins {
            check_employee(&mut errors, "pin", &p.employee);
            check_in_period(&mut errors, "pin", p.date);
            if let Some(code) = &p.shift {
                check_shift(&mut errors, "pin", code);
            }
            if !pinned.insert((p.employee.as_str(), p.date)) {
                errors.push(ProblemError::DuplicatePin { id: p.employee.clone(), date: p.date });
            }
        }
        errors
    }
}
