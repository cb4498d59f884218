//! Construction and local search. On day-grid problems the start may come from column
//! generation instead ([`crate::restricted`]) when that scores better. Each thread runs
//! simulated annealing with its own seed over change, swap, block-swap, move-day,
//! block-assign, weekend and cover neighbourhoods, plus best-response rows from
//! [`crate::row_dp`] on day-grid problems. At the end of every epoch
//! the threads compare, and a thread that has stalled restarts from the best. Epochs are
//! counted in iterations, so a run with an iteration limit and a seed is reproducible for
//! any number of threads.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;
use turnus_core::{Compiled, DayIndex, EmpIdx, OFF, RuleId, Score, ShiftIdx};

use crate::restricted::DiveOptions;
use crate::row_dp::RowOptimizer;
use crate::state::{Change, State};

/// Limits and knobs of one solve.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    pub time_limit: Option<Duration>,
    /// Iterations per thread.
    pub max_iterations: Option<u64>,
    pub threads: usize,
    pub seed: u64,
    /// Set to `true` from another thread to end the solve early; it then returns the best
    /// schedule found so far, with [`SolveResult::stopped`] set.
    pub stop: Option<Arc<AtomicBool>>,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions {
            time_limit: Some(Duration::from_secs(30)),
            max_iterations: None,
            threads: 1,
            seed: 1,
            stop: None,
        }
    }
}

/// What a solve reports while it runs.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub elapsed: Duration,
    /// Share of the budget used, 0 to 1.
    pub fraction: f64,
    pub iterations: u64,
    pub best: Score,
}

/// The outcome of a solve.
#[derive(Debug, Clone)]
pub struct SolveResult {
    /// Best grid found: shift per `e * days + d`, [`OFF`] for a day off.
    pub grid: Vec<ShiftIdx>,
    pub score: Score,
    pub iterations: u64,
    pub elapsed: Duration,
    /// When the first schedule without hard violations was found.
    pub first_feasible: Option<Duration>,
    /// The best score after each epoch that improved it, with the time it was seen.
    pub trace: Vec<(Duration, Score)>,
    /// Whether the solve ended because [`SolveOptions::stop`] was set.
    pub stopped: bool,
}

impl SolveResult {
    /// When the best score first came within `share` (0.01 for 1 %) of the final score,
    /// counting only schedules without hard violations.
    pub fn time_to_within(&self, share: f64) -> Option<Duration> {
        if self.score.hard != 0 {
            return None;
        }
        let bound = self.score.soft as f64 + (self.score.soft as f64).abs() * share;
        self.trace.iter().find(|(_, s)| s.hard == 0 && s.soft as f64 <= bound).map(|(t, _)| *t)
    }
}

/// Share of moves, in percent, aimed at cover rows below or above their ideal.
const GUIDED_PERCENT: u32 = 15;
/// Share of moves, in percent, that set a block of days of one employee.
const BLOCK_PERCENT: u32 = 10;
/// Share of moves, in percent, that free one employee's weekend.
const WEEKEND_PERCENT: u32 = 4;
/// Iterations per epoch and thread.
const EPOCH: u64 = 20_000;
/// Epochs without improvement after which a thread restarts from the best schedule.
const STALL_EPOCHS: u32 = 4;

/// The weight of one hard unit in the search objective: ten times the largest penalty of a
/// single missing person, so the search never trades a hard violation for cover.
fn hard_weight(c: &Compiled) -> i64 {
    let max_cover = c.cover.iter().map(|r| r.under_weight * r.scale_minutes / 60).max().unwrap_or(0);
    (10 * max_cover).max(1000)
}

/// Share of the time limit that column generation may take for a start schedule.
// NOTE: on Instances 8 and 12 a finished dive gives a schedule that annealing then barely
// improves, and an unfinished one a start no better than annealing alone, so the dive gets
// the larger part of the time. The master's convergence still varies much from run to run.
const COLUMN_SHARE: f64 = 0.6;
/// The share of the budget after which column generation no longer starts, because too
/// little of its share would be left.
const COLUMN_LAST: f64 = 0.45;
/// Share of the search budget that annealing runs before column generation starts from its
/// schedules.
const COLUMN_AFTER: f64 = 0.05;
/// The share of the budget whose temperature annealing takes on at once when it continues
/// from a column generation start without hard violations. At the early temperature it would wander far from a
/// start better than any it could find again: on Instance6 a start of 2046 found after 7 %
/// of the time was never improved in the remaining 55 s.
const COLUMN_COOLED: f64 = 0.5;
/// Rounds of column generation for a start schedule at most.
const COLUMN_ROUNDS: usize = 60;

/// Best-response sweeps over all employees after the greedy construction.
const ROW_SWEEPS: usize = 2;
/// The share of a timed search that best-response rows take. Each worker measures what a row
/// and an ordinary move cost and sets its interval between rows to match.
const ROW_SHARE: f64 = 0.1;

/// Returns how many iterations pass between best-response rows, so that the program, whose
/// cost grows with days × shift types², takes about a tenth of the time; 0 without a
/// day-grid model. A search with an iteration limit keeps this estimate, so it stays
/// reproducible; a timed one starts from it and then measures.
fn row_interval(c: &Compiled) -> u64 {
    if crate::fast::GridModel::new(c).is_none() {
        return 0;
    }
    let s = c.shift_count() as u64 + 1;
    // A pass costs about days × states × values cell steps, with states ≈ 12 × s and about
    // four passes per call. An ordinary move costs about 40 such steps, so one program call
    // every (program / 40) × 9 moves gives it a tenth of the time.
    let program = c.days as u64 * 12 * s * s * 4;
    (program / 40 * 9).max(1000)
}

/// Fills `out` with the cell changes that turn employee `e`'s row into `row`.
fn row_changes(state: &State, e: EmpIdx, row: &[ShiftIdx], out: &mut Vec<Change>) {
    out.clear();
    for (d, &s) in row.iter().enumerate() {
        if state.get(e, d as u32) != s {
            out.push(Change { emp: e, day: d as u32, shift: s });
        }
    }
}

/// The values each cell may take: empty for pinned cells.
pub(crate) fn cell_options(c: &Compiled) -> Vec<Vec<ShiftIdx>> {
    let mut out = Vec::with_capacity(c.emps.len() * c.days);
    for e in 0..c.emps.len() as EmpIdx {
        for d in 0..c.days {
            if c.pin(e, d).is_some() {
                out.push(Vec::new());
                continue;
            }
            // A shift type the employee may work zero times (B2) is never an option.
            let capped = |s: ShiftIdx| {
                c.rules.is_enabled(RuleId::B2)
                    && c.emps[e as usize].max_per_type.get(usize::from(s)) == Some(&0)
            };
            let mut options: Vec<ShiftIdx> =
                (0..c.shift_count() as ShiftIdx).filter(|&s| c.allowed(e, d, s) && !capped(s)).collect();
            options.push(OFF);
            out.push(options);
        }
    }
    out
}

/// The start grid: pins, then nothing else.
pub(crate) fn pinned_grid(c: &Compiled) -> Vec<ShiftIdx> {
    let mut grid = vec![OFF; c.emps.len() * c.days];
    for e in 0..c.emps.len() as EmpIdx {
        for d in 0..c.days {
            if let Some(p) = c.pin(e, d) {
                grid[e as usize * c.days + d] = p;
            }
        }
    }
    grid
}

struct Search<'c> {
    c: &'c Compiled,
    options: Vec<Vec<ShiftIdx>>,
    hard_weight: i64,
    /// Period days that are Saturdays.
    saturdays: Vec<u32>,
    /// Whether workers set their interval between rows from measured costs.
    timed_rows: bool,
    stop: Option<Arc<AtomicBool>>,
}

impl Search<'_> {
    /// Whether the search must end now: the deadline passed or a stop was asked for.
    fn must_stop(&self, deadline: Option<Instant>) -> bool {
        self.stopped() || deadline.is_some_and(|d| Instant::now() >= d)
    }

    fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::Relaxed))
    }

    fn scalar(&self, s: Score) -> i64 {
        s.hard.saturating_mul(self.hard_weight).saturating_add(s.soft)
    }

    fn movable(&self, e: EmpIdx, d: usize) -> bool {
        !self.options[e as usize * self.c.days + d].is_empty()
    }

    fn can_take(&self, e: EmpIdx, d: usize, s: ShiftIdx) -> bool {
        self.options[e as usize * self.c.days + d].contains(&s)
    }

    /// Greedy construction: fill each cover row up to its minimum, then its ideal, with the
    /// best of a sample of eligible employees, while that improves the objective.
    fn construct(&self, state: &mut State, rng: &mut Pcg64Mcg) {
        let c = self.c;
        let mut undo = Vec::new();
        let mut candidates = Vec::new();
        for pass in 0..2 {
            for (r, row) in c.cover.iter().enumerate() {
                let want = if pass == 0 { row.min } else { row.ideal };
                let d = row.day as usize;
                while state.cover_count(r) < want {
                    candidates.clear();
                    for e in 0..c.emps.len() as EmpIdx {
                        if state.get(e, d as u32) == OFF
                            && self.can_take(e, d, row.shift)
                            && c.counts_for(e, row)
                        {
                            candidates.push(e);
                        }
                    }
                    if candidates.is_empty() {
                        break;
                    }
                    let mut best: Option<(i64, EmpIdx)> = None;
                    for _ in 0..candidates.len().min(12) {
                        let e = candidates.swap_remove(rng.random_range(0..candidates.len()));
                        let change = [Change { emp: e, day: d as u32, shift: row.shift }];
                        state.undo_of(&change, &mut undo);
                        let row_hard = state.row_score(e).hard;
                        let delta = state.apply(&change);
                        state.revert(&undo, delta);
                        // A start schedule takes no new violation: an employee who already
                        // breaks a rule (too few hours, say) only takes a shift that reduces it.
                        let clean = delta.hard < 0 || (delta.hard == 0 && row_hard == 0);
                        let value = self.scalar(delta);
                        if clean && best.is_none_or(|(v, _)| value < v) {
                            best = Some((value, e));
                        }
                    }
                    match best {
                        Some((value, e)) if value < 0 => {
                            state.apply(&[Change { emp: e, day: d as u32, shift: row.shift }]);
                        }
                        _ => break,
                    }
                }
            }
        }
    }

    /// Draws a random move into `changes`; returns false when none was found.
    fn random_move(&self, state: &State, rng: &mut Pcg64Mcg, changes: &mut Vec<Change>) -> bool {
        let c = self.c;
        let emps = c.emps.len() as u32;
        let days = c.days as u32;
        changes.clear();
        let kind = rng.random_range(0..100u32);
        if kind >= 100 - GUIDED_PERCENT {
            return self.cover_move(state, rng, changes);
        }
        if kind < BLOCK_PERCENT {
            return self.block_assign(state, rng, changes);
        }
        if kind < BLOCK_PERCENT + WEEKEND_PERCENT && !self.saturdays.is_empty() {
            return self.weekend_move(state, rng, changes);
        }
        if kind < 30 || emps < 2 {
            // Change one cell.
            let e = rng.random_range(0..emps);
            let d = rng.random_range(0..days);
            let options = &self.options[e as usize * c.days + d as usize];
            if options.len() < 2 {
                return false;
            }
            let s = options[rng.random_range(0..options.len())];
            if s == state.get(e, d) {
                return false;
            }
            changes.push(Change { emp: e, day: d, shift: s });
        } else if kind < 60 {
            // Swap one day between two employees.
            let d = rng.random_range(0..days);
            let a = rng.random_range(0..emps);
            let b = rng.random_range(0..emps);
            let (sa, sb) = (state.get(a, d), state.get(b, d));
            if a == b || sa == sb || !self.can_take(a, d as usize, sb) || !self.can_take(b, d as usize, sa) {
                return false;
            }
            changes.push(Change { emp: a, day: d, shift: sb });
            changes.push(Change { emp: b, day: d, shift: sa });
        } else if kind < 75 {
            // Swap a block of days between two employees.
            let a = rng.random_range(0..emps);
            let b = rng.random_range(0..emps);
            if a == b {
                return false;
            }
            let mut len = rng.random_range(2..=7u32).min(days);
            let mut start = rng.random_range(0..=days - len);
            let pick = rng.random_range(0..10u32);
            if pick < 3 && !self.saturdays.is_empty() {
                // A whole weekend, so weekend rules can be repaired by trading weekends; in
                // half the cases with the Friday before, whose night shift reaches Saturday.
                let saturday = self.saturdays[rng.random_range(0..self.saturdays.len())];
                (start, len) = if saturday > 0 && rng.random_bool(0.5) {
                    (saturday - 1, 3.min(days - saturday + 1))
                } else {
                    (saturday, 2.min(days - saturday))
                };
            } else if pick == 3 && days > 1 {
                // The rest of the period from a random day, which moves an employee's whole
                // rhythm of weekends over to the other.
                start = rng.random_range(1..days);
                len = days - start;
            }
            for d in start..start + len {
                let (sa, sb) = (state.get(a, d), state.get(b, d));
                if sa == sb {
                    continue;
                }
                if !self.can_take(a, d as usize, sb) || !self.can_take(b, d as usize, sa) {
                    return false;
                }
                changes.push(Change { emp: a, day: d, shift: sb });
                changes.push(Change { emp: b, day: d, shift: sa });
            }
            if changes.is_empty() {
                return false;
            }
        } else {
            // Move a shift of one employee to another day (keeps the hours).
            let e = rng.random_range(0..emps);
            let from = rng.random_range(0..days);
            // Half the moves go to a nearby day, which slides a run of work or rest.
            let to = if rng.random_bool(0.5) {
                let offset = rng.random_range(1..=3u32);
                if rng.random_bool(0.5) { from.saturating_sub(offset) } else { (from + offset).min(days - 1) }
            } else {
                rng.random_range(0..days)
            };
            let s = state.get(e, from);
            if from == to || s == OFF || state.get(e, to) != OFF {
                return false;
            }
            if !self.movable(e, from as usize) || !self.can_take(e, to as usize, s) {
                return false;
            }
            changes.push(Change { emp: e, day: from, shift: OFF });
            changes.push(Change { emp: e, day: to, shift: s });
        }
        true
    }

    /// Draws a weekend move: an employee (one that breaks a rule, while any does) gives up
    /// the Friday to Sunday of a weekend they work and works the same shifts on days off
    /// within a week of it, so the hours stay.
    fn weekend_move(&self, state: &State, rng: &mut Pcg64Mcg, changes: &mut Vec<Change>) -> bool {
        let c = self.c;
        let days = c.days as u32;
        let emps = c.emps.len() as EmpIdx;
        let mut e = rng.random_range(0..emps);
        if state.score().hard > 0 && rng.random_bool(0.5) {
            if let Some(bad) = (0..emps).map(|i| (e + i) % emps).find(|&x| state.row_score(x).hard > 0) {
                e = bad;
            }
        }
        let saturday = self.saturdays[rng.random_range(0..self.saturdays.len())];
        let first = saturday.saturating_sub(1);
        let last = (saturday + 1).min(days - 1);
        for d in first..=last {
            let s = state.get(e, d);
            if s == OFF {
                continue;
            }
            if !self.movable(e, d as usize) {
                return false;
            }
            changes.push(Change { emp: e, day: d, shift: OFF });
            // The shift moves to a free weekday within a week, when one takes it.
            for _ in 0..4 {
                let to = (d + rng.random_range(0..15u32)).checked_sub(7).filter(|&t| t < days);
                let Some(to) = to else { continue };
                let weekday = c.weekday_index(to as DayIndex);
                if (first..=last).contains(&to) || weekday >= 5 || weekday == 4 {
                    continue;
                }
                if state.get(e, to) == OFF
                    && self.can_take(e, to as usize, s)
                    && !changes.iter().any(|ch| ch.day == to)
                {
                    changes.push(Change { emp: e, day: to, shift: s });
                    break;
                }
            }
        }
        !changes.is_empty()
    }

    /// Draws a block move: two to four consecutive days of one employee all set to one shift
    /// type or all to days off, so runs of work and rest keep their minimum lengths.
    fn block_assign(&self, state: &State, rng: &mut Pcg64Mcg, changes: &mut Vec<Change>) -> bool {
        let c = self.c;
        let days = c.days as u32;
        let e = rng.random_range(0..c.emps.len() as u32);
        let len = rng.random_range(2..=4u32).min(days);
        let start = rng.random_range(0..=days - len);
        let shift = if rng.random_bool(0.5) {
            OFF
        } else {
            let options = &self.options[e as usize * c.days + start as usize];
            if options.len() < 2 {
                return false;
            }
            options[rng.random_range(0..options.len())]
        };
        for d in start..start + len {
            if state.get(e, d) == shift {
                continue;
            }
            if !self.can_take(e, d as usize, shift) {
                return false;
            }
            changes.push(Change { emp: e, day: d, shift });
        }
        !changes.is_empty()
    }

    /// Draws a move aimed at cover: an employee who is off takes a shift whose row is below
    /// its ideal, and in half the cases gives up one of their other shifts to keep the hours.
    /// Or, for a row above its ideal, one holder gives the shift up.
    fn cover_move(&self, state: &State, rng: &mut Pcg64Mcg, changes: &mut Vec<Change>) -> bool {
        let c = self.c;
        if c.cover.is_empty() {
            return false;
        }
        let emps = c.emps.len() as u32;
        for _ in 0..8 {
            let r = rng.random_range(0..c.cover.len());
            let row = &c.cover[r];
            let count = state.cover_count(r);
            let d = row.day as u32;
            if count < row.ideal {
                let e = rng.random_range(0..emps);
                let current = state.get(e, d);
                if current == row.shift
                    || !self.movable(e, d as usize)
                    || !self.can_take(e, d as usize, row.shift)
                    || !c.counts_for(e, row)
                {
                    continue;
                }
                changes.push(Change { emp: e, day: d, shift: row.shift });
                // Someone already at work that day changes shift type, so the hours barely
                // change; someone off may give up another day to keep them.
                if current == OFF && rng.random_bool(0.5) {
                    let other = rng.random_range(0..c.days as u32);
                    if other != d && state.get(e, other) != OFF && self.movable(e, other as usize) {
                        changes.push(Change { emp: e, day: other, shift: OFF });
                    }
                }
                return true;
            }
            if count > row.ideal && row.skill.is_none() {
                let e = rng.random_range(0..emps);
                if state.get(e, d) != row.shift || !self.movable(e, d as usize) {
                    continue;
                }
                changes.push(Change { emp: e, day: d, shift: OFF });
                return true;
            }
        }
        false
    }

    /// Ruin and recreate: clears the rows of one to three employees (one that breaks a rule
    /// first, while any does) and rebuilds them one by one as best-response rows. The move is
    /// left in `changes` with the state as it was; false when the rule set has no day-grid
    /// model or nothing changed.
    fn row_move(
        &self,
        state: &mut State,
        rows: &mut RowOptimizer,
        rng: &mut Pcg64Mcg,
        changes: &mut Vec<Change>,
    ) -> bool {
        changes.clear();
        let c = self.c;
        let emps = c.emps.len() as EmpIdx;
        if emps == 0 || !state.uses_grid_model() {
            return false;
        }
        let k = rng.random_range(1..=3u32).min(emps) as usize;
        let mut chosen: Vec<EmpIdx> = Vec::with_capacity(k);
        if state.score().hard > 0 {
            let from = rng.random_range(0..emps);
            if let Some(bad) = (0..emps).map(|i| (from + i) % emps).find(|&x| state.row_score(x).hard > 0) {
                chosen.push(bad);
            }
        }
        while chosen.len() < k {
            let x = rng.random_range(0..emps);
            if !chosen.contains(&x) {
                chosen.push(x);
            }
        }
        let days = c.days as u32;
        let original: Vec<Change> = chosen
            .iter()
            .flat_map(|&e| (0..days).map(move |d| (e, d)))
            .map(|(e, d)| Change { emp: e, day: d, shift: state.get(e, d) })
            .collect();
        let cleared: Vec<Change> = original
            .iter()
            .filter(|ch| ch.shift != OFF && self.movable(ch.emp, ch.day as usize))
            .map(|ch| Change { shift: OFF, ..*ch })
            .collect();
        state.apply(&cleared);
        let mut rebuilt = Vec::new();
        for &e in &chosen {
            let Some(row) = rows.best_row(state, &self.options, e, None, self.hard_weight) else { break };
            row_changes(state, e, row, &mut rebuilt);
            state.apply(&rebuilt);
        }
        changes.extend(
            original
                .iter()
                .filter(|ch| state.get(ch.emp, ch.day) != ch.shift)
                .map(|ch| Change { shift: state.get(ch.emp, ch.day), ..*ch }),
        );
        state.apply(&original);
        !changes.is_empty()
    }

    /// Improves the start schedule by best-response rows, each employee in turn, `sweeps`
    /// times; a row is kept only when the whole schedule improves.
    fn improve_rows(
        &self,
        state: &mut State,
        rows: &mut RowOptimizer,
        rng: &mut Pcg64Mcg,
        sweeps: usize,
        deadline: Option<Instant>,
    ) {
        let mut order: Vec<EmpIdx> = (0..self.c.emps.len() as EmpIdx).collect();
        let mut changes = Vec::new();
        let mut undo = Vec::new();
        for _ in 0..sweeps {
            for i in (1..order.len()).rev() {
                order.swap(i, rng.random_range(0..=i));
            }
            for &e in &order {
                if self.must_stop(deadline) {
                    return;
                }
                let Some(row) = rows.best_row(state, &self.options, e, None, self.hard_weight) else {
                    return;
                };
                row_changes(state, e, row, &mut changes);
                state.undo_of(&changes, &mut undo);
                let delta = state.apply(&changes);
                if self.scalar(delta) > 0 {
                    state.revert(&undo, delta);
                }
            }
        }
    }

    /// Builds a start schedule by column generation on day-grid problems (see
    /// [`crate::restricted`]), from the rows of the `starts`, by `deadline`.
    fn column_start(
        &self,
        starts: &[&[ShiftIdx]],
        threads: usize,
        deadline: Option<Instant>,
        seed: u64,
    ) -> Option<Vec<ShiftIdx>> {
        let model = crate::fast::GridModel::new(self.c)?;
        let options = DiveOptions {
            first_rounds: COLUMN_ROUNDS,
            threads,
            deadline,
            stop: self.stop.as_deref(),
            hard_weight: self.hard_weight,
            seed,
        };
        crate::restricted::dive(self.c, &model, starts, &options)
    }

    /// A starting temperature from the soft deltas of random moves.
    fn initial_temperature(&self, state: &mut State, rng: &mut Pcg64Mcg) -> f64 {
        let mut changes = Vec::new();
        let mut undo = Vec::new();
        let mut samples = Vec::new();
        for _ in 0..400 {
            if !self.random_move(state, rng, &mut changes) {
                continue;
            }
            state.undo_of(&changes, &mut undo);
            let delta = state.apply(&changes);
            state.revert(&undo, delta);
            if delta.hard == 0 && delta.soft > 0 {
                samples.push(delta.soft as f64);
            }
        }
        if samples.is_empty() {
            return 10.0;
        }
        samples.sort_by(f64::total_cmp);
        samples[samples.len() / 2].max(1.0)
    }
}

struct Worker<'c> {
    state: State<'c>,
    rng: Pcg64Mcg,
    best_grid: Vec<ShiftIdx>,
    best: Score,
    iterations: u64,
    stalled_epochs: u32,
    t0: f64,
    /// The share of the budget below which the temperature stays as at that share.
    cooled: f64,
    rows: RowOptimizer,
    /// Iterations between best-response rows; 0 for never.
    row_interval: u64,
    /// Seconds a best-response row takes, on average; 0 until one has been timed.
    row_seconds: f64,
}

impl Worker<'_> {
    /// Runs one epoch of simulated annealing. `fraction` maps the worker's iteration count to
    /// the share of the budget used, which sets the temperature.
    fn run_epoch(
        &mut self,
        search: &Search,
        iterations: u64,
        deadline: Option<Instant>,
        fraction: &(dyn Fn(u64) -> f64 + Sync),
    ) {
        let mut changes = Vec::with_capacity(16);
        let mut undo = Vec::with_capacity(16);
        let improved_before = self.best;
        let end = self.iterations + iterations;
        let mut temperature = self.t0 * 0.001f64.powf(self.cooled);
        let epoch_started = Instant::now();
        let mut row_time = Duration::ZERO;
        let mut row_moves = 0u64;
        let first = self.iterations;
        while self.iterations < end {
            if self.iterations % 256 == 0 {
                if search.must_stop(deadline) {
                    break;
                }
                let f = fraction(self.iterations).clamp(0.0, 1.0).max(self.cooled);
                // Geometric cooling from t0 to t0 / 1000.
                temperature = self.t0 * 0.001f64.powf(f);
            }
            self.iterations += 1;
            // Best-response rows repair broken rows best, so they come eight times as often
            // while the schedule breaks a rule.
            let interval = if self.state.score().hard > 0 && !search.timed_rows {
                self.row_interval / 8
            } else {
                self.row_interval
            };
            let big = interval > 0 && self.iterations % interval.max(1) == 0;
            let found = if big {
                let row_started = Instant::now();
                let found = search.row_move(&mut self.state, &mut self.rows, &mut self.rng, &mut changes);
                row_time += row_started.elapsed();
                row_moves += 1;
                found
            } else {
                search.random_move(&self.state, &mut self.rng, &mut changes)
            };
            if !found {
                continue;
            }
            self.state.undo_of(&changes, &mut undo);
            let delta = self.state.apply(&changes);
            let value = search.scalar(delta);
            let accept = value <= 0 || self.rng.random::<f64>() < (-(value as f64) / temperature).exp();
            if !accept {
                self.state.revert(&undo, delta);
                continue;
            }
            let score = self.state.score();
            if score < self.best {
                self.best = score;
                self.best_grid.copy_from_slice(&self.state.grid);
            }
        }
        if self.best < improved_before {
            self.stalled_epochs = 0;
        } else {
            self.stalled_epochs += 1;
        }
        if search.timed_rows {
            self.time_rows(epoch_started.elapsed(), row_time, row_moves, self.iterations - first);
        }
    }

    /// Sets the interval between best-response rows so that they take [`ROW_SHARE`] of the
    /// time, from an epoch of `iterations` that took `elapsed`, `rows` of them rows that took
    /// `row_time`. The estimate of [`row_interval`] can be far off: on Instance24 rows took a
    /// fiftieth of the time instead of a tenth.
    fn time_rows(&mut self, elapsed: Duration, row_time: Duration, rows: u64, iterations: u64) {
        if rows == 0 || iterations <= rows || self.row_interval == 0 {
            return;
        }
        let row_seconds = row_time.as_secs_f64() / rows as f64;
        self.row_seconds =
            if self.row_seconds == 0.0 { row_seconds } else { 0.5 * (self.row_seconds + row_seconds) };
        let move_seconds = (elapsed.saturating_sub(row_time)).as_secs_f64() / (iterations - rows) as f64;
        self.row_interval = interval_for_share(self.row_seconds, move_seconds, ROW_SHARE);
    }
}

/// Returns how many iterations pass between rows that cost `row_seconds` each, so that they
/// take `share` of the time when the other moves cost `move_seconds` each. It is at least 64.
fn interval_for_share(row_seconds: f64, move_seconds: f64, share: f64) -> u64 {
    let interval = row_seconds * (1.0 - share) / (share * move_seconds.max(1e-9));
    (interval as u64).clamp(64, 1 << 40)
}

/// Replaces every worker's schedule by the column generation start when that scores better
/// than the best of them.
fn column_start(
    search: &Search,
    workers: &mut [Worker],
    threads: usize,
    deadline: Option<Instant>,
    seed: u64,
    started: Instant,
) {
    let starts: Vec<&[ShiftIdx]> = workers.iter().map(|w| w.best_grid.as_slice()).collect();
    let Some(grid) = search.column_start(&starts, threads, deadline, seed) else {
        return;
    };
    let state = State::new(search.c, grid);
    let score = state.score();
    tracing::debug!(%score, elapsed_ms = started.elapsed().as_millis() as u64, "start from columns");
    let Some(best) = workers.iter().map(|w| w.best).min() else {
        return;
    };
    if search.scalar(score) < search.scalar(best) {
        for w in workers {
            w.state.grid.copy_from_slice(&state.grid);
            w.state.rescore();
            w.best = score;
            w.best_grid.copy_from_slice(&state.grid);
            // A start that still breaks rules needs the heat to repair them.
            if score.hard == 0 {
                w.cooled = COLUMN_COOLED;
            }
        }
    }
}

/// Solves a compiled problem: construction, then parallel simulated annealing.
///
/// `progress` is called after every epoch with the best score so far.
pub fn solve(c: &Compiled, options: &SolveOptions, mut progress: impl FnMut(Progress)) -> SolveResult {
    let started = Instant::now();
    let deadline = options.time_limit.map(|t| started + t);
    let saturdays = (0..c.days as u32).filter(|&d| c.weekday_index(d as i32) == 5).collect();
    let row_interval = row_interval(c);
    let search = Search {
        c,
        options: cell_options(c),
        hard_weight: hard_weight(c),
        saturdays,
        timed_rows: options.max_iterations.is_none(),
        stop: options.stop.clone(),
    };
    let threads = options.threads.max(1);
    let _span = tracing::info_span!("solve", seed = options.seed, threads).entered();

    // Best-response sweeps in the construction may take a quarter of the time limit. On
    // Instance24 two sweeps take about 11 s and leave 815 of 20 654 hard units, which
    // annealing would otherwise take about 30 s to remove.
    let sweep_deadline = options.time_limit.map(|t| started + t / 4);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().ok();
    let build = |i: usize| {
        let mut rng =
            Pcg64Mcg::seed_from_u64(options.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(i as u64));
        let mut state = State::new(c, pinned_grid(c));
        search.construct(&mut state, &mut rng);
        let mut rows = RowOptimizer::default();
        if state.uses_grid_model() {
            search.improve_rows(&mut state, &mut rows, &mut rng, ROW_SWEEPS, sweep_deadline);
        }
        let t0 = search.initial_temperature(&mut state, &mut rng);
        let best = state.score();
        // A timed search times a few rows in its first epoch.
        let row_interval = if search.timed_rows { row_interval.min(EPOCH / 4) } else { row_interval };
        Worker {
            best_grid: state.grid.clone(),
            state,
            rng,
            best,
            iterations: 0,
            stalled_epochs: 0,
            t0,
            cooled: 0.0,
            rows,
            row_interval,
            row_seconds: 0.0,
        }
    };
    let mut workers: Vec<Worker> = match &pool {
        Some(pool) if threads > 1 => pool.install(|| (0..threads).into_par_iter().map(build).collect()),
        _ => (0..threads).map(build).collect(),
    };
    tracing::debug!(score = %workers[0].best, elapsed_ms = started.elapsed().as_millis() as u64, "constructed");

    let time_limit = options.time_limit;
    let max_iterations = options.max_iterations;
    let fraction = move |iterations: u64| -> f64 {
        let by_iter = max_iterations.map_or(0.0, |m| iterations as f64 / m.max(1) as f64);
        let by_time = time_limit.map_or(0.0, |t| started.elapsed().as_secs_f64() / t.as_secs_f64().max(1e-9));
        by_iter.max(by_time)
    };
    let mut first_feasible: Option<Duration> =
        workers.iter().any(|w| w.best.hard == 0).then(|| started.elapsed());
    let mut trace: Vec<(Duration, Score)> = Vec::new();
    if let Some(start) = workers.iter().map(|w| w.best).min() {
        trace.push((started.elapsed(), start));
    }

    // Column generation starts from the rows of the annealed schedules, because from those
    // its master converges in far fewer rounds than from the construction's. It waits for a
    // schedule without hard violations: until then annealing needs the time, and on
    // Instance24 a start from column generation broke more rules than annealing's own. A
    // search without iterations starts it at once.
    let mut column_pending = true;
    loop {
        let f = fraction(workers[0].iterations);
        let feasible = workers.iter().any(|w| w.best.hard == 0);
        if column_pending && (max_iterations == Some(0) || (f >= COLUMN_AFTER && feasible)) {
            column_pending = false;
            if max_iterations == Some(0) || f <= COLUMN_LAST {
                let end = COLUMN_AFTER + COLUMN_SHARE;
                let column_deadline = options.time_limit.map(|t| started + t.mul_f64(end));
                column_start(&search, &mut workers, threads, column_deadline, options.seed, started);
            }
        }
        let epoch = match max_iterations {
            Some(m) => EPOCH.min(m.saturating_sub(workers[0].iterations)),
            None => EPOCH,
        };
        if epoch == 0 {
            break;
        }
        let run = |w: &mut Worker| w.run_epoch(&search, epoch, deadline, &fraction);
        match &pool {
            Some(pool) if threads > 1 => pool.install(|| workers.par_iter_mut().for_each(run)),
            _ => workers.iter_mut().for_each(run),
        }

        // The best worker, ties to the lowest index, so the result does not depend on timing.
        let (best_index, best) = workers
            .iter()
            .enumerate()
            .map(|(i, w)| (i, w.best))
            .min_by_key(|(i, s)| (*s, *i))
            .expect("at least one worker");
        if best.hard == 0 && first_feasible.is_none() {
            first_feasible = Some(started.elapsed());
        }
        if trace.last().is_none_or(|(_, s)| best < *s) {
            trace.push((started.elapsed(), best));
            tracing::debug!(score = %best, iterations = workers[0].iterations, "improved");
        }
        let iterations: u64 = workers.iter().map(|w| w.iterations).sum();
        progress(Progress {
            elapsed: started.elapsed(),
            fraction: fraction(workers[0].iterations),
            iterations,
            best,
        });

        let out_of_time = deadline.is_some_and(|d| Instant::now() >= d);
        let out_of_iterations = max_iterations.is_some_and(|m| workers[0].iterations >= m);
        if out_of_time || out_of_iterations || search.stopped() {
            break;
        }
        let best_grid = workers[best_index].best_grid.clone();
        for (i, w) in workers.iter_mut().enumerate() {
            if i != best_index && w.stalled_epochs >= STALL_EPOCHS && w.best > best {
                w.state.grid.copy_from_slice(&best_grid);
                w.state.rescore();
                w.stalled_epochs = 0;
            }
        }
    }

    let (index, _) =
        workers.iter().enumerate().min_by_key(|(i, w)| (w.best, *i)).expect("at least one worker");
    let winner = &workers[index];
    let iterations = workers.iter().map(|w| w.iterations).sum();
    SolveResult {
        grid: winner.best_grid.clone(),
        score: winner.best,
        iterations,
        elapsed: started.elapsed(),
        first_feasible,
        trace,
        stopped: search.stopped(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_interval_gives_rows_their_share() {
        // A row costs 50 ms and a move 5 µs: one row per 90 000 moves is a tenth of the time.
        assert_eq!(interval_for_share(0.05, 5e-6, 0.1), 90_000);
        // Rows cheaper than moves still leave 64 moves between them.
        assert_eq!(interval_for_share(1e-7, 1e-6, 0.1), 64);
        // A move too fast to time does not make the interval infinite.
        assert!(interval_for_share(0.05, 0.0, 0.1) <= 1 << 40);
    }
}
