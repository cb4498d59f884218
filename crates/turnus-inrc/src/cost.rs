//! The competition's constraints as cost functions over a roster grid, shared by the
//! evaluator and the solver so that the two cannot disagree. A nurse's row cost covers
//! H3 and S2–S7; the cover cost of one (day, shift, skill) covers H2 and S1.
//!
//! Runs at the borders of the horizon follow the competition's rules. A run that continues
//! from the history is charged for exceeding its maximum only for the days inside the
//! horizon. A run that ends on the first day of the horizon or later is charged for falling
//! short of its minimum with its full length, history included. A run that reaches the last
//! day is never charged for being short, because its continuation is unknown.

use crate::model::{DAYS_PER_WEEK, Instance};

/// S1: each nurse missing below the optimal head-count of a (day, shift, skill).
pub const WEIGHT_OPTIMAL_COVER: i64 = 30;
/// S2: each day too few or too many in a run of one shift type.
pub const WEIGHT_CONSECUTIVE_SHIFT: i64 = 15;
/// S2: each day too few or too many in a run of working days.
pub const WEIGHT_CONSECUTIVE_WORK: i64 = 30;
/// S3: each day too few or too many in a run of days off.
pub const WEIGHT_CONSECUTIVE_OFF: i64 = 30;
/// S4: each assignment a shift-off request asked not to get.
pub const WEIGHT_REQUEST: i64 = 10;
/// S5: each weekend worked on one day only under a complete-weekend contract.
pub const WEIGHT_COMPLETE_WEEKEND: i64 = 30;
/// S6: each assignment below the contract minimum or above its maximum over the horizon.
pub const WEIGHT_TOTAL_ASSIGNMENTS: i64 = 20;
/// S7: each working weekend above the contract maximum over the horizon.
pub const WEIGHT_WORKING_WEEKENDS: i64 = 30;

/// A working day in a roster: a shift type and the skill the nurse covers on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Work {
    pub shift: u8,
    pub skill: u8,
}

/// One cell of a roster grid: `None` is a day off.
pub type Cell = Option<Work>;

/// Hard and soft cost of one nurse's row, per constraint.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowCost {
    /// H3: forbidden successions, the border with the history included.
    pub successions: i64,
    /// S2 same shift type, weighted.
    pub consecutive_shift: i64,
    /// S2 working days, weighted.
    pub consecutive_work: i64,
    /// S3, weighted.
    pub consecutive_off: i64,
    /// S4, weighted.
    pub requests: i64,
    /// S5, weighted.
    pub complete_weekends: i64,
    /// S6, weighted.
    pub total_assignments: i64,
    /// S7, weighted.
    pub working_weekends: i64,
}

impl RowCost {
    /// Sums the weighted soft costs of the row.
    pub fn soft(&self) -> i64 {
        self.consecutive_shift
            + self.consecutive_work
            + self.consecutive_off
            + self.requests
            + self.complete_weekends
            + self.total_assignments
            + self.working_weekends
    }
}

/// Limits of one nurse, copied out of the scenario and history for fast access.
#[derive(Debug, Clone)]
pub struct NurseRules {
    pub min_assignments: i64,
    pub max_assignments: i64,
    pub min_work: u32,
    pub max_work: u32,
    pub min_off: u32,
    pub max_off: u32,
    pub max_weekends: i64,
    pub complete_weekends: bool,
    pub history_assignments: i64,
    pub history_weekends: i64,
    /// The shift worked on the day before the horizon, if that day was worked.
    pub history_shift: Option<u8>,
    pub history_same_shift: u32,
    pub history_work: u32,
    pub history_off: u32,
    /// Bit `k` set when the nurse has skill `k`.
    pub skills: u64,
    /// `request_cost[day * shifts + shift]`: S4 cost of working that shift that day.
    pub request_cost: Vec<i64>,
}

/// The instance in the dense form the cost functions read.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub days: usize,
    pub shifts: usize,
    pub skills: usize,
    pub nurses: Vec<NurseRules>,
    /// `(min, max)` consecutive assignments per shift type.
    pub shift_limits: Vec<(u32, u32)>,
    /// `forbidden[a * shifts + b]`: `b` must not follow `a`.
    pub forbidden: Vec<bool>,
    /// `(minimum, optimal)` per `cover_index(day, shift, skill)`.
    pub requirements: Vec<(u32, u32)>,
}

impl Prepared {
    /// Builds the dense form of `instance`.
    ///
    /// # Panics
    ///
    /// Panics when the scenario has more than 255 shift types or 64 skills, which the
    /// compact cells cannot hold; [`crate::read_instance`] rejects such scenarios.
    pub fn new(instance: &Instance) -> Prepared {
        let sc = &instance.scenario;
        let days = instance.days();
        let shifts = sc.shift_types.len();
        let skills = sc.skills.len();
        assert!(shifts <= usize::from(u8::MAX), "too many shift types");
        assert!(skills <= 64, "too many skills");

        let mut nurses = Vec::with_capacity(sc.nurses.len());
        for (n, nurse) in sc.nurses.iter().enumerate() {
            let c = &sc.contracts[nurse.contract];
            let h = instance.history.nurses[n];
            let mut request_cost = vec![0; days * shifts];
            for (w, week) in instance.weeks.iter().enumerate() {
                for r in week.requests.iter().filter(|r| r.nurse == n) {
                    let day = w * DAYS_PER_WEEK + r.day;
                    for s in 0..shifts {
                        if r.shift.is_none_or(|x| x == s) {
                            request_cost[day * shifts + s] += WEIGHT_REQUEST;
                        }
                    }
                }
            }
            // The last day before the horizon was worked exactly when a run of work ends on it.
            let history_shift = if h.consecutive_work > 0 { h.last_shift.map(|s| s as u8) } else { None };
            nurses.push(NurseRules {
                min_assignments: i64::from(c.min_assignments),
                max_assignments: i64::from(c.max_assignments),
                min_work: c.min_consecutive_work,
                max_work: c.max_consecutive_work,
                min_off: c.min_consecutive_off,
                max_off: c.max_consecutive_off,
                max_weekends: i64::from(c.max_working_weekends),
                complete_weekends: c.complete_weekends,
                history_assignments: i64::from(h.assignments),
                history_weekends: i64::from(h.working_weekends),
                history_shift,
                history_same_shift: if history_shift.is_some() { h.consecutive_same_shift } else { 0 },
                history_work: h.consecutive_work,
                history_off: h.consecutive_off,
                skills: nurse.skills.iter().fold(0, |m, &k| m | (1u64 << k)),
                request_cost,
            });
        }

        let mut forbidden = vec![false; shifts * shifts];
        for a in 0..shifts {
            for b in 0..shifts {
                forbidden[a * shifts + b] = sc.forbidden[a][b];
            }
        }
        let mut requirements = vec![(0, 0); days * shifts * skills];
        for day in 0..days {
            for s in 0..shifts {
                for k in 0..skills {
                    let r = instance.requirement(day, s, k);
                    requirements[(day * shifts + s) * skills + k] = (r.minimum, r.optimal);
                }
            }
        }
        Prepared {
            days,
            shifts,
            skills,
            nurses,
            shift_limits: sc.shift_types.iter().map(|s| (s.min_consecutive, s.max_consecutive)).collect(),
            forbidden,
            requirements,
        }
    }

    /// Index of a (day, shift, skill) into [`Prepared::requirements`] and cover counts.
    pub fn cover_index(&self, day: usize, shift: usize, skill: usize) -> usize {
        (day * self.shifts + shift) * self.skills + skill
    }

    /// H2 shortage (nurses below the minimum) and S1 cost (weighted, below the optimum) of a
    /// (day, shift, skill) that `count` nurses cover.
    pub fn cover_cost(&self, index: usize, count: u32) -> (i64, i64) {
        let (minimum, optimal) = self.requirements[index];
        let hard = i64::from(minimum.saturating_sub(count));
        let soft = i64::from(optimal.saturating_sub(count)) * WEIGHT_OPTIMAL_COVER;
        (hard, soft)
    }

    /// Computes the cost of nurse `nurse` working `row`, which has one cell per day of the horizon.
    pub fn row_cost(&self, nurse: usize, row: &[Cell]) -> RowCost {
        let rules = &self.nurses[nurse];
        let mut cost = RowCost::default();

        // Runs of working days and of days off.
        let mut work_runs = Runs::start(match (rules.history_work, rules.history_off) {
            (w, _) if w > 0 => Some((true, w)),
            (_, o) if o > 0 => Some((false, o)),
            _ => None,
        });
        // Runs of one shift type.
        let mut shift_runs = Runs::start(rules.history_shift.map(|s| (s, rules.history_same_shift)));
        let mut previous = rules.history_shift;
        let mut worked = 0i64;
        for (day, cell) in row.iter().enumerate() {
            let working = cell.is_some();
            if let Some((kind, len, hist)) = work_runs.step(working) {
                cost_of_run(&mut cost, rules, kind, len, hist, true);
            }
            let shift = cell.map(|w| w.shift);
            match shift {
                Some(s) => {
                    if let Some((kind, len, hist)) = shift_runs.step(s) {
                        cost.consecutive_shift +=
                            shift_run_cost(self.shift_limits[usize::from(kind)], len, hist, true);
                    }
                    worked += 1;
                    cost.requests += rules.request_cost[day * self.shifts + usize::from(s)];
                    if previous.is_some_and(|p| self.forbidden[usize::from(p) * self.shifts + usize::from(s)])
                    {
                        cost.successions += 1;
                    }
                }
                None => {
                    if let Some((kind, len, hist)) = shift_runs.stop() {
                        cost.consecutive_shift +=
                            shift_run_cost(self.shift_limits[usize::from(kind)], len, hist, true);
                    }
                }
            }
            previous = shift;
        }
        if let Some((kind, len, hist)) = work_runs.stop() {
            cost_of_run(&mut cost, rules, kind, len, hist, false);
        }
        if let Some((kind, len, hist)) = shift_runs.stop() {
            cost.consecutive_shift += shift_run_cost(self.shift_limits[usize::from(kind)], len, hist, false);
        }

        // Weekends: Saturday and Sunday of each week.
        let mut weekends = 0i64;
        for week in 0..self.days / DAYS_PER_WEEK {
            let saturday = row[week * DAYS_PER_WEEK + 5].is_some();
            let sunday = row[week * DAYS_PER_WEEK + 6].is_some();
            if saturday || sunday {
                weekends += 1;
            }
            if rules.complete_weekends && saturday != sunday {
                cost.complete_weekends += WEIGHT_COMPLETE_WEEKEND;
            }
        }

        let total = rules.history_assignments + worked;
        let outside = (rules.min_assignments - total).max(0) + (total - rules.max_assignments).max(0);
        cost.total_assignments = outside * WEIGHT_TOTAL_ASSIGNMENTS;
        let weekends = rules.history_weekends + weekends;
        cost.working_weekends = (weekends - rules.max_weekends).max(0) * WEIGHT_WORKING_WEEKENDS;
        cost
    }
}

/// Adds the cost of a finished run of working days (`kind` true) or days off.
fn cost_of_run(cost: &mut RowCost, rules: &NurseRules, kind: bool, len: u32, hist: u32, ended: bool) {
    if kind {
        cost.consecutive_work +=
            run_cost((rules.min_work, rules.max_work), len, hist, ended) * WEIGHT_CONSECUTIVE_WORK;
    } else {
        cost.consecutive_off +=
            run_cost((rules.min_off, rules.max_off), len, hist, ended) * WEIGHT_CONSECUTIVE_OFF;
    }
}

fn shift_run_cost(limits: (u32, u32), len: u32, hist: u32, ended: bool) -> i64 {
    run_cost(limits, len, hist, ended) * WEIGHT_CONSECUTIVE_SHIFT
}

/// Counts the days of violation of a run of `len` days, `hist` of which lie before the
/// horizon. The excess over the maximum counts only the days inside the horizon. The
/// shortfall below the minimum counts only when the run `ended` inside the horizon.
pub fn run_cost((min, max): (u32, u32), len: u32, hist: u32, ended: bool) -> i64 {
    let excess = len.saturating_sub(max) - hist.saturating_sub(max);
    let short = if ended { min.saturating_sub(len) } else { 0 };
    i64::from(excess) + i64::from(short)
}

/// Tracks the current run of equal values along a row: its value, total length and the
/// part of the length that lies before the horizon.
struct Runs<T> {
    current: Option<(T, u32, u32)>,
}

impl<T: Copy + PartialEq> Runs<T> {
    fn start(history: Option<(T, u32)>) -> Runs<T> {
        Runs { current: history.filter(|(_, len)| *len > 0).map(|(v, len)| (v, len, len)) }
    }

    /// Extends the run with `value`, or ends it and starts a new one; returns the ended run.
    fn step(&mut self, value: T) -> Option<(T, u32, u32)> {
        match &mut self.current {
            Some((v, len, _)) if *v == value => {
                *len += 1;
                None
            }
            _ => self.current.replace((value, 1, 0)),
        }
    }

    /// Ends the current run, if any, and returns it.
    fn stop(&mut self) -> Option<(T, u32, u32)> {
        self.current.take()
    }
}
