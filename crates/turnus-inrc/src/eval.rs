//! The competition's evaluator: scores a solution over the whole horizon, every hard
//! constraint counted and every soft constraint weighted, with the breakdown that the
//! organisers' validator prints.

use crate::cost::{Cell, Prepared, Work};
use crate::model::{Assignment, DAY_NAMES, DAYS_PER_WEEK, Instance};

/// The validator's cost per constraint type and the hard violations per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Breakdown {
    /// H1: assignments beyond the first of a nurse on a day.
    pub single_assignment: i64,
    /// H2: nurses missing below the minimum, summed over (day, shift, skill).
    pub minimal_cover: i64,
    /// H3: forbidden successions, the border with the history included.
    pub successions: i64,
    /// H4: assignments to a skill the nurse does not have.
    pub required_skill: i64,
    /// S6 "Total assignment constraints".
    pub total_assignments: i64,
    /// S2 "Consecutive constraints": runs of one shift type and runs of working days.
    pub consecutive: i64,
    /// S3 "Non working days constraints".
    pub days_off: i64,
    /// S4 "Preferences".
    pub preferences: i64,
    /// S7 "Max working weekend".
    pub working_weekends: i64,
    /// S5 "Complete weekends".
    pub complete_weekends: i64,
    /// S1 "Optimal coverage constraints".
    pub optimal_cover: i64,
}

impl Breakdown {
    /// Counts the hard violations.
    pub fn hard(&self) -> i64 {
        self.single_assignment + self.minimal_cover + self.successions + self.required_skill
    }

    /// Sums the weighted soft costs: the competition's objective.
    pub fn total(&self) -> i64 {
        self.total_assignments
            + self.consecutive
            + self.days_off
            + self.preferences
            + self.working_weekends
            + self.complete_weekends
            + self.optimal_cover
    }

    /// Lists the soft costs with the validator's labels, in its order.
    pub fn soft_lines(&self) -> [(&'static str, i64); 7] {
        [
            ("Total assignment constraints", self.total_assignments),
            ("Consecutive constraints", self.consecutive),
            ("Non working days constraints", self.days_off),
            ("Preferences", self.preferences),
            ("Max working weekend", self.working_weekends),
            ("Complete weekends", self.complete_weekends),
            ("Optimal coverage constraints", self.optimal_cover),
        ]
    }

    /// Lists the hard violation counts with the validator's labels, in its order.
    pub fn hard_lines(&self) -> [(&'static str, i64); 4] {
        [
            ("Minimal coverage constraints", self.minimal_cover),
            ("Required skill constraints", self.required_skill),
            ("Illegal shift type succession constraints", self.successions),
            ("Single assignment per day", self.single_assignment),
        ]
    }
}

/// One hard violation, located for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HardViolation {
    pub message_sv: String,
    pub message_en: String,
}

/// The evaluation of a solution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation {
    pub breakdown: Breakdown,
    pub violations: Vec<HardViolation>,
}

impl Evaluation {
    /// Whether no hard constraint is broken.
    pub fn is_feasible(&self) -> bool {
        self.breakdown.hard() == 0
    }
}

/// Builds the grid of a list of assignments: the first assignment of a nurse on a day wins,
/// and the rest are returned as extra (an H1 violation each).
pub fn grid_of(instance: &Instance, assignments: &[Assignment]) -> (Vec<Cell>, Vec<Assignment>) {
    let days = instance.days();
    let mut grid = vec![None; instance.scenario.nurses.len() * days];
    let mut extra = Vec::new();
    for a in assignments {
        let cell = &mut grid[a.nurse * days + a.day];
        if cell.is_some() {
            extra.push(*a);
        } else {
            // Indexes come from the scenario, which holds at most 255 shift types and 64 skills.
            *cell = Some(Work { shift: a.shift as u8, skill: a.skill as u8 });
        }
    }
    (grid, extra)
}

/// Evaluates a solution given as assignments over the horizon of `instance`.
///
/// # Panics
///
/// Panics when an assignment names a nurse, day, shift or skill outside the instance; the
/// solution reader only returns assignments inside it.
pub fn evaluate(instance: &Instance, assignments: &[Assignment]) -> Evaluation {
    let prepared = Prepared::new(instance);
    let (grid, extra) = grid_of(instance, assignments);
    let sc = &instance.scenario;
    let day_name = |day: usize| format!("{} {}", DAY_NAMES[day % DAYS_PER_WEEK], day / DAYS_PER_WEEK + 1);
    let mut b = Breakdown::default();
    let mut violations = Vec::new();

    for a in &extra {
        b.single_assignment += 1;
        let (nurse, day) = (&sc.nurses[a.nurse].name, day_name(a.day));
        violations.push(HardViolation {
            message_sv: format!(
                "H1: {nurse} har mer än ett pass på {day} (vecka {})",
                a.day / DAYS_PER_WEEK + 1
            ),
            message_en: format!(
                "H1: {nurse} has more than one shift on {day} (week {})",
                a.day / DAYS_PER_WEEK + 1
            ),
        });
    }
    let mut counts = vec![0u32; prepared.requirements.len()];
    for a in assignments {
        counts[prepared.cover_index(a.day, a.shift, a.skill)] += 1;
        if !sc.nurses[a.nurse].skills.contains(&a.skill) {
            b.required_skill += 1;
            let (nurse, skill) = (&sc.nurses[a.nurse].name, &sc.skills[a.skill]);
            violations.push(HardViolation {
                message_sv: format!(
                    "H4: {nurse} saknar kompetensen {skill} men täcker den på {}",
                    day_name(a.day)
                ),
                message_en: format!(
                    "H4: {nurse} lacks the skill {skill} but covers it on {}",
                    day_name(a.day)
                ),
            });
        }
    }

    for day in 0..prepared.days {
        for s in 0..prepared.shifts {
            for k in 0..prepared.skills {
                let index = prepared.cover_index(day, s, k);
                let (hard, soft) = prepared.cover_cost(index, counts[index]);
                b.minimal_cover += hard;
                b.optimal_cover += soft;
                if hard > 0 {
                    let (shift, skill) = (&sc.shift_types[s].name, &sc.skills[k]);
                    violations.push(HardViolation {
                        message_sv: format!("H2: {hard} för få på {shift} {skill} {}", day_name(day)),
                        message_en: format!("H2: {hard} too few on {shift} {skill} {}", day_name(day)),
                    });
                }
            }
        }
    }

    for n in 0..sc.nurses.len() {
        let row = &grid[n * prepared.days..(n + 1) * prepared.days];
        let cost = prepared.row_cost(n, row);
        b.successions += cost.successions;
        b.consecutive += cost.consecutive_shift + cost.consecutive_work;
        b.days_off += cost.consecutive_off;
        b.preferences += cost.requests;
        b.complete_weekends += cost.complete_weekends;
        b.total_assignments += cost.total_assignments;
        b.working_weekends += cost.working_weekends;
        if cost.successions > 0 {
            let nurse = &sc.nurses[n].name;
            violations.push(HardViolation {
                message_sv: format!("H3: {nurse} har {} förbjudna passföljder", cost.successions),
                message_en: format!("H3: {nurse} has {} forbidden shift successions", cost.successions),
            });
        }
    }
    Evaluation { breakdown: b, violations }
}

/// Turns a roster grid (one row of `instance.days()` cells per nurse) into assignments.
pub fn assignments_of(instance: &Instance, grid: &[Cell]) -> Vec<Assignment> {
    let days = instance.days();
    let mut out = Vec::new();
    for (i, cell) in grid.iter().enumerate() {
        if let Some(w) = cell {
            out.push(Assignment {
                nurse: i / days,
                day: i % days,
                shift: usize::from(w.shift),
                skill: usize::from(w.skill),
            });
        }
    }
    out
}
