//! Simulated annealing for an INRC-II instance with all weeks known: a greedy construction,
//! then independent annealing runs per thread over several move types, scored incrementally
//! with the cost functions of `cost.rs`. The best schedule over the threads is returned.
//!
//! A move changes at most two nurses' rows. Its cost is the change of the cover cost of the
//! touched (day, shift, skill) counters plus the change of the two rows' costs, each row
//! scored again in full (one pass over the horizon, 28 or 56 days here).

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

use crate::cost::{Cell, Prepared, Work};
use crate::model::{DAYS_PER_WEEK, Instance};

/// The search weight of one hard violation (a nurse missing below the minimum or a forbidden
/// succession). It exceeds any soft gain one move can make, so the search leaves hard
/// violations quickly, and a schedule is only reported as best when it has the fewest.
const HARD_WEIGHT: i64 = 1000;
/// Start and end temperature of the annealing, in cost units (the smallest soft weight is 10).
const START_TEMPERATURE: f64 = 20.0;
const END_TEMPERATURE: f64 = 1.0;
/// Iterations between two looks at the clock and the stop flag.
const CHECK_EVERY: u64 = 4096;

/// How long and how the search runs.
#[derive(Debug, Clone, Default)]
pub struct SolveOptions {
    /// Wall-clock limit; the search stops at this time even with iterations left.
    pub time_limit: Option<Duration>,
    /// Iterations per thread. With a seed and no time limit reached, a run is reproducible
    /// for a given thread count, because the cooling then follows iterations, not time.
    pub max_iterations: Option<u64>,
    pub threads: usize,
    pub seed: u64,
}

/// A report on the search, sent now and then from thread 0.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Share of the time or iteration budget spent, from 0 to 1.
    pub fraction: f64,
    /// Hard violations and soft cost of thread 0's best schedule.
    pub hard: i64,
    pub soft: i64,
}

/// The best schedule found and how the search got there.
#[derive(Debug, Clone)]
pub struct SolveResult {
    /// One cell per nurse and day, nurse by nurse.
    pub grid: Vec<Cell>,
    /// Hard violations of the best schedule (the evaluator's H2 plus H3 count).
    pub hard: i64,
    /// The competition objective of the best schedule.
    pub soft: i64,
    /// Iterations over all threads.
    pub iterations: u64,
    pub elapsed: Duration,
    /// Time of the first schedule without hard violations, over all threads.
    pub first_feasible: Option<Duration>,
    /// Every improvement of a thread's best schedule: time, hard, soft.
    pub improvements: Vec<(Duration, i64, i64)>,
}

impl SolveResult {
    /// Returns the time at which some thread first held a feasible schedule within
    /// `fraction` of the final objective, or `None` when the result is infeasible.
    pub fn time_to_within(&self, fraction: f64) -> Option<Duration> {
        if self.hard > 0 {
            return None;
        }
        let bound = self.soft as f64 * (1.0 + fraction);
        self.improvements.iter().filter(|(_, h, s)| *h == 0 && *s as f64 <= bound).map(|(t, _, _)| *t).min()
    }
}

/// Solves `instance`, calling `progress` from thread 0 about twice a second.
pub fn solve(
    instance: &Instance,
    options: &SolveOptions,
    stop: Option<&AtomicBool>,
    progress: &(dyn Fn(Progress) + Sync),
) -> SolveResult {
    let started = Instant::now();
    let prepared = Prepared::new(instance);
    let threads = options.threads.max(1);
    let _span =
        tracing::info_span!("inrc solve", instance = %instance.name, seed = options.seed, threads).entered();

    let start_grid = construct(&prepared);
    let runs: Vec<ThreadResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let prepared = &prepared;
                let start_grid = &start_grid;
                scope.spawn(move || {
                    let seed = options.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(t as u64);
                    let report: Option<&(dyn Fn(Progress) + Sync)> = (t == 0).then_some(progress);
                    anneal(prepared, start_grid.clone(), seed, options, started, stop, report)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("an annealing thread panicked")).collect()
    });

    // Ties go to the lowest thread, so the choice does not depend on thread timing.
    let best = runs.iter().min_by_key(|r| (r.hard, r.soft)).expect("at least one thread");
    let iterations = runs.iter().map(|r| r.iterations).sum();
    let first_feasible = runs.iter().filter_map(|r| r.first_feasible).min();
    let mut improvements: Vec<(Duration, i64, i64)> =
        runs.iter().flat_map(|r| r.improvements.iter().copied()).collect();
    improvements.sort_by_key(|(t, _, _)| *t);
    tracing::info!(hard = best.hard, soft = best.soft, iterations, "inrc solve finished");
    SolveResult {
        grid: best.grid.clone(),
        hard: best.hard,
        soft: best.soft,
        iterations,
        elapsed: started.elapsed(),
        first_feasible,
        improvements,
    }
}

/// The roster and its cost, kept up to date move by move.
struct State<'a> {
    p: &'a Prepared,
    grid: Vec<Cell>,
    counts: Vec<u32>,
    /// Days worked in the horizon, per nurse.
    worked: Vec<i64>,
    /// Per nurse: (H3 count, soft cost).
    rows: Vec<(i64, i64)>,
    cover_hard: i64,
    cover_soft: i64,
    row_hard: i64,
    row_soft: i64,
    /// Undo record of the last move: grid index and old cell.
    undo: Vec<(usize, Cell)>,
    /// Rows touched by the last move and their costs before it.
    touched: Vec<(usize, (i64, i64))>,
    /// Cover cost change of the last move.
    last_cover: (i64, i64),
}

impl<'a> State<'a> {
    fn new(p: &'a Prepared, grid: Vec<Cell>) -> State<'a> {
        let mut counts = vec![0u32; p.requirements.len()];
        for (i, cell) in grid.iter().enumerate() {
            if let Some(w) = cell {
                counts[p.cover_index(i % p.days, usize::from(w.shift), usize::from(w.skill))] += 1;
            }
        }
        let (mut cover_hard, mut cover_soft) = (0, 0);
        for (i, &c) in counts.iter().enumerate() {
            let (h, s) = p.cover_cost(i, c);
            cover_hard += h;
            cover_soft += s;
        }
        let worked = (0..p.nurses.len())
            .map(|n| grid[n * p.days..(n + 1) * p.days].iter().filter(|c| c.is_some()).count() as i64)
            .collect();
        let mut rows = Vec::with_capacity(p.nurses.len());
        let (mut row_hard, mut row_soft) = (0, 0);
        for n in 0..p.nurses.len() {
            let c = p.row_cost(n, &grid[n * p.days..(n + 1) * p.days]);
            rows.push((c.successions, c.soft()));
            row_hard += c.successions;
            row_soft += c.soft();
        }
        State {
            p,
            grid,
            counts,
            worked,
            rows,
            cover_hard,
            cover_soft,
            row_hard,
            row_soft,
            undo: Vec::new(),
            touched: Vec::new(),
            last_cover: (0, 0),
        }
    }

    fn hard(&self) -> i64 {
        self.cover_hard + self.row_hard
    }

    fn soft(&self) -> i64 {
        self.cover_soft + self.row_soft
    }

    fn objective(&self) -> i64 {
        self.hard() * HARD_WEIGHT + self.soft()
    }

    fn cell(&self, nurse: usize, day: usize) -> Cell {
        self.grid[nurse * self.p.days + day]
    }

    /// Returns the number of assignments of a nurse that count towards the total limits,
    /// those of the history and those of the horizon.
    fn total(&self, nurse: usize) -> i64 {
        self.p.nurses[nurse].history_assignments + self.worked[nurse]
    }

    /// Moves one nurse in or out of a cover counter and returns the cost change.
    fn count(&mut self, day: usize, w: Work, add: bool) -> (i64, i64) {
        let index = self.p.cover_index(day, usize::from(w.shift), usize::from(w.skill));
        let before = self.p.cover_cost(index, self.counts[index]);
        if add {
            self.counts[index] += 1;
        } else {
            self.counts[index] -= 1;
        }
        let after = self.p.cover_cost(index, self.counts[index]);
        (after.0 - before.0, after.1 - before.1)
    }

    /// Sets a cell as part of the current move.
    fn set(&mut self, nurse: usize, day: usize, value: Cell) -> (i64, i64) {
        let i = nurse * self.p.days + day;
        let old = self.grid[i];
        if old == value {
            return (0, 0);
        }
        self.undo.push((i, old));
        self.worked[nurse] += i64::from(value.is_some()) - i64::from(old.is_some());
        if !self.touched.iter().any(|(n, _)| *n == nurse) {
            self.touched.push((nurse, self.rows[nurse]));
        }
        let mut delta = (0, 0);
        if let Some(w) = old {
            let d = self.count(day, w, false);
            delta = (delta.0 + d.0, delta.1 + d.1);
        }
        if let Some(w) = value {
            let d = self.count(day, w, true);
            delta = (delta.0 + d.0, delta.1 + d.1);
        }
        self.grid[i] = value;
        delta
    }

    /// Applies the cells of a move and returns the change of the objective.
    fn apply(&mut self, changes: &[(usize, usize, Cell)]) -> i64 {
        self.undo.clear();
        self.touched.clear();
        let mut cover = (0, 0);
        for &(nurse, day, value) in changes {
            let d = self.set(nurse, day, value);
            cover = (cover.0 + d.0, cover.1 + d.1);
        }
        self.last_cover = cover;
        self.cover_hard += cover.0;
        self.cover_soft += cover.1;
        let mut delta = cover.0 * HARD_WEIGHT + cover.1;
        for k in 0..self.touched.len() {
            let (n, old) = self.touched[k];
            let c = self.p.row_cost(n, &self.grid[n * self.p.days..(n + 1) * self.p.days]);
            let new = (c.successions, c.soft());
            self.rows[n] = new;
            self.row_hard += new.0 - old.0;
            self.row_soft += new.1 - old.1;
            delta += (new.0 - old.0) * HARD_WEIGHT + new.1 - old.1;
        }
        delta
    }

    /// Takes back the last move.
    fn revert(&mut self) {
        while let Some((i, old)) = self.undo.pop() {
            let day = i % self.p.days;
            self.worked[i / self.p.days] += i64::from(old.is_some()) - i64::from(self.grid[i].is_some());
            if let Some(w) = self.grid[i] {
                let index = self.p.cover_index(day, usize::from(w.shift), usize::from(w.skill));
                self.counts[index] -= 1;
            }
            if let Some(w) = old {
                let index = self.p.cover_index(day, usize::from(w.shift), usize::from(w.skill));
                self.counts[index] += 1;
            }
            self.grid[i] = old;
        }
        self.cover_hard -= self.last_cover.0;
        self.cover_soft -= self.last_cover.1;
        for &(n, old) in &self.touched {
            let new = self.rows[n];
            self.row_hard -= new.0 - old.0;
            self.row_soft -= new.1 - old.1;
            self.rows[n] = old;
        }
        self.touched.clear();
    }
}

/// Fills cover greedily day by day: each (day, shift, skill) below its optimum takes the
/// free nurse with that skill whose row cost rises least, while that lowers the total cost.
fn construct(p: &Prepared) -> Vec<Cell> {
    let mut state = State::new(p, vec![None; p.nurses.len() * p.days]);
    let mut changes = Vec::with_capacity(1);
    for day in 0..p.days {
        for s in 0..p.shifts {
            for k in 0..p.skills {
                let (_, optimal) = p.requirements[p.cover_index(day, s, k)];
                for _ in 0..optimal {
                    let work = Some(Work { shift: s as u8, skill: k as u8 });
                    let mut best: Option<(i64, usize)> = None;
                    for n in 0..p.nurses.len() {
                        if state.cell(n, day).is_some() || p.nurses[n].skills & (1 << k) == 0 {
                            continue;
                        }
                        changes.clear();
                        changes.push((n, day, work));
                        let delta = state.apply(&changes);
                        state.revert();
                        if delta < 0 && best.is_none_or(|(b, _)| delta < b) {
                            best = Some((delta, n));
                        }
                    }
                    match best {
                        Some((_, n)) => {
                            changes.clear();
                            changes.push((n, day, work));
                            state.apply(&changes);
                        }
                        None => break,
                    }
                }
            }
        }
    }
    state.grid
}

/// The result of one annealing thread.
struct ThreadResult {
    grid: Vec<Cell>,
    hard: i64,
    soft: i64,
    iterations: u64,
    first_feasible: Option<Duration>,
    improvements: Vec<(Duration, i64, i64)>,
}

/// Picks a random skill from a non-empty skill mask.
fn random_skill(mask: u64, rng: &mut Pcg64Mcg) -> u8 {
    let count = mask.count_ones();
    let mut pick = rng.random_range(0..count);
    let mut m = mask;
    loop {
        let bit = m.trailing_zeros();
        if pick == 0 {
            return bit as u8;
        }
        pick -= 1;
        m &= m - 1;
    }
}

/// Picks the skill of `nurse` that lowers the cover cost most when she or he works `shift`
/// on `day`, ties broken by the lowest skill. The skill changes no row cost, so this is the
/// best choice for one cell with the rest fixed. A nurse already on that shift counts as
/// absent from it.
fn best_skill(state: &State<'_>, nurse: usize, day: usize, shift: u8) -> u8 {
    let p = state.p;
    let own = state.cell(nurse, day).filter(|w| w.shift == shift).map(|w| w.skill);
    let mut mask = p.nurses[nurse].skills;
    let mut best = (i64::MIN, mask.trailing_zeros() as u8);
    while mask != 0 {
        let k = mask.trailing_zeros() as u8;
        mask &= mask - 1;
        let index = p.cover_index(day, usize::from(shift), usize::from(k));
        let count = state.counts[index] - u32::from(own == Some(k));
        let (h0, s0) = p.cover_cost(index, count);
        let (h1, s1) = p.cover_cost(index, count + 1);
        let gain = (h0 - h1) * HARD_WEIGHT + s0 - s1;
        if gain > best.0 {
            best = (gain, k);
        }
    }
    best.1
}

/// Returns a working cell of `nurse` on `day` with `shift`. It covers the cover-best skill in
/// most cases and a random one of her or his skills in the rest, so every skill stays reachable.
fn work_for(state: &State<'_>, nurse: usize, day: usize, shift: u8, rng: &mut Pcg64Mcg) -> Cell {
    let skill = if rng.random_range(0..4u32) == 0 {
        random_skill(state.p.nurses[nurse].skills, rng)
    } else {
        best_skill(state, nurse, day, shift)
    };
    Some(Work { shift, skill })
}

/// Moves `value` of a cell to `nurse` on `day`, keeping its shift and choosing the skill.
fn carry(state: &State<'_>, nurse: usize, day: usize, value: Cell, rng: &mut Pcg64Mcg) -> Cell {
    value.and_then(|w| work_for(state, nurse, day, w.shift, rng))
}

/// Draws a random move into `changes`.
fn random_move(state: &State<'_>, rng: &mut Pcg64Mcg, changes: &mut Vec<(usize, usize, Cell)>) {
    let p = state.p;
    let nurses = p.nurses.len();
    let days = p.days;
    changes.clear();
    let kind = rng.random_range(0..100u32);
    if (20..25).contains(&kind) && nurses >= 2 {
        transfer_move(state, rng, changes);
    } else if kind < 25 || nurses < 2 {
        // Change one cell: another shift and skill, or a day off.
        let n = rng.random_range(0..nurses);
        let d = rng.random_range(0..days);
        let value = if state.cell(n, d).is_some() && rng.random_range(0..3u32) == 0 {
            None
        } else {
            work_for(state, n, d, rng.random_range(0..p.shifts) as u8, rng)
        };
        changes.push((n, d, value));
    } else if kind < 35 {
        // Fill cover: a (day, shift, skill) below its optimum takes a nurse with the skill.
        let d = rng.random_range(0..days);
        let s = rng.random_range(0..p.shifts);
        let k = rng.random_range(0..p.skills);
        let index = p.cover_index(d, s, k);
        if state.counts[index] >= p.requirements[index].1 {
            return;
        }
        let n = rng.random_range(0..nurses);
        if p.nurses[n].skills & (1 << k) == 0 || state.cell(n, d).is_some_and(|w| usize::from(w.shift) == s) {
            return;
        }
        changes.push((n, d, Some(Work { shift: s as u8, skill: k as u8 })));
    } else if kind < 70 {
        // Swap a day or a block of days between two nurses; a quarter of the blocks are weekends.
        let a = rng.random_range(0..nurses);
        let mut b = rng.random_range(0..nurses - 1);
        if b >= a {
            b += 1;
        }
        let (start, len) = if kind < 48 {
            (rng.random_range(0..days), 1)
        } else if kind < 54 {
            (rng.random_range(0..days / DAYS_PER_WEEK) * DAYS_PER_WEEK + 5, 2)
        } else {
            let len = rng.random_range(2..=7usize).min(days);
            (rng.random_range(0..=days - len), len)
        };
        for d in start..start + len {
            let (va, vb) = (state.cell(a, d), state.cell(b, d));
            if va != vb {
                // Each nurse keeps the other's skill when she or he has it.
                let to_a = vb.map(|w| {
                    if p.nurses[a].skills & (1 << w.skill) != 0 {
                        w
                    } else {
                        Work { shift: w.shift, skill: best_skill(state, a, d, w.shift) }
                    }
                });
                let to_b = va.map(|w| {
                    if p.nurses[b].skills & (1 << w.skill) != 0 {
                        w
                    } else {
                        Work { shift: w.shift, skill: best_skill(state, b, d, w.shift) }
                    }
                });
                changes.push((a, d, to_a));
                changes.push((b, d, to_b));
            }
        }
    } else if kind < 85 {
        // Set a block of two to five days of one nurse to one shift type, or to days off.
        let n = rng.random_range(0..nurses);
        let len = rng.random_range(2..=5usize).min(days);
        let start = rng.random_range(0..=days - len);
        let shift = rng.random_range(0..=p.shifts);
        for d in start..start + len {
            let value = if shift == p.shifts { None } else { work_for(state, n, d, shift as u8, rng) };
            changes.push((n, d, value));
        }
    } else if kind < 95 {
        // Change the shift type of a whole run of one shift, or slide the run by a day.
        let n = rng.random_range(0..nurses);
        let d = rng.random_range(0..days);
        let Some(w) = state.cell(n, d) else {
            return;
        };
        let same = |day: usize| state.cell(n, day).is_some_and(|c| c.shift == w.shift);
        let mut first = d;
        while first > 0 && same(first - 1) {
            first -= 1;
        }
        let mut last = d;
        while last + 1 < days && same(last + 1) {
            last += 1;
        }
        if kind < 90 {
            if p.shifts < 2 {
                return;
            }
            let shift = rng.random_range(0..p.shifts - 1) as u8;
            let shift = if shift >= w.shift { shift + 1 } else { shift };
            for day in first..=last {
                changes.push((n, day, work_for(state, n, day, shift, rng)));
            }
        } else if rng.random_range(0..2u32) == 0 {
            // Slide right: the first day goes off and the day after the run takes the shift.
            if last + 1 < days && state.cell(n, last + 1).is_none() {
                changes.push((n, first, None));
                changes.push((n, last + 1, work_for(state, n, last + 1, w.shift, rng)));
            }
        } else if first > 0 && state.cell(n, first - 1).is_none() {
            changes.push((n, last, None));
            changes.push((n, first - 1, work_for(state, n, first - 1, w.shift, rng)));
        }
    } else {
        // Move one working day of a nurse to one of her or his days off, keeping the total.
        let n = rng.random_range(0..nurses);
        let from = rng.random_range(0..days);
        let to = rng.random_range(0..days);
        let (vf, vt) = (state.cell(n, from), state.cell(n, to));
        if vf.is_some() != vt.is_some() {
            changes.push((n, from, carry(state, n, from, vt, rng)));
            changes.push((n, to, carry(state, n, to, vf, rng)));
        }
    }
}

/// Hands one working day from a nurse above the maximum total of assignments to a nurse
/// below the minimum, or else below the maximum, who is off that day. Each such day lowers
/// S6 by up to twice its weight, and random swaps of a day between two nurses rarely pick
/// such a pair.
fn transfer_move(state: &State<'_>, rng: &mut Pcg64Mcg, changes: &mut Vec<(usize, usize, Cell)>) {
    let p = state.p;
    let nurses = p.nurses.len();
    let from = rng.random_range(0..nurses);
    let mut order = (0..nurses).map(|i| (from + i) % nurses);
    let Some(giver) = order.find(|&n| state.total(n) > p.nurses[n].max_assignments) else {
        return;
    };
    let start = rng.random_range(0..nurses);
    let takers = || (0..nurses).map(|i| (start + i) % nurses).filter(|&n| n != giver);
    let taker = takers()
        .find(|&n| state.total(n) < p.nurses[n].min_assignments)
        .or_else(|| takers().find(|&n| state.total(n) < p.nurses[n].max_assignments));
    let Some(taker) = taker else {
        return;
    };
    for _ in 0..4 {
        let day = rng.random_range(0..p.days);
        if let (Some(work), None) = (state.cell(giver, day), state.cell(taker, day)) {
            // The taker keeps the giver's skill when she or he has it.
            let skill = if p.nurses[taker].skills & (1 << work.skill) != 0 {
                work.skill
            } else {
                best_skill(state, taker, day, work.shift)
            };
            changes.push((giver, day, None));
            changes.push((taker, day, Some(Work { shift: work.shift, skill })));
            return;
        }
    }
}

/// Anneals from `grid` and returns the thread's best schedule.
fn anneal(
    p: &Prepared,
    grid: Vec<Cell>,
    seed: u64,
    options: &SolveOptions,
    started: Instant,
    stop: Option<&AtomicBool>,
    progress: Option<&(dyn Fn(Progress) + Sync)>,
) -> ThreadResult {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut state = State::new(p, grid);
    let mut current = state.objective();
    let mut best = (state.hard(), state.soft());
    let mut best_grid = state.grid.clone();
    let mut improvements = vec![(started.elapsed(), best.0, best.1)];
    let mut first_feasible = (best.0 == 0).then(|| started.elapsed());
    let mut changes = Vec::with_capacity(16);
    let mut iterations = 0u64;
    let mut temperature = START_TEMPERATURE;
    let mut last_report = Instant::now();

    loop {
        if iterations % CHECK_EVERY == 0 {
            let elapsed = started.elapsed();
            let by_time = options.time_limit.map(|l| elapsed.as_secs_f64() / l.as_secs_f64().max(1e-9));
            let by_iterations = options.max_iterations.map(|m| iterations as f64 / m.max(1) as f64);
            // With an iteration limit, the cooling follows iterations so that a run repeats.
            let fraction = by_iterations.or(by_time).unwrap_or(1.0);
            let over_time = by_time.is_some_and(|f| f >= 1.0);
            if fraction >= 1.0 || over_time || stop.is_some_and(|s| s.load(Ordering::Relaxed)) {
                break;
            }
            temperature = START_TEMPERATURE * (END_TEMPERATURE / START_TEMPERATURE).powf(fraction);
            if let Some(report) = progress {
                if last_report.elapsed() >= Duration::from_millis(500) {
                    report(Progress { fraction, hard: best.0, soft: best.1 });
                    last_report = Instant::now();
                }
            }
        }
        iterations += 1;

        random_move(&state, &mut rng, &mut changes);
        if changes.is_empty() {
            continue;
        }
        let delta = state.apply(&changes);
        let accept = delta <= 0 || rng.random::<f64>() < (-(delta as f64) / temperature).exp();
        if !accept {
            state.revert();
            continue;
        }
        current += delta;
        let score = (state.hard(), state.soft());
        if score < best {
            best = score;
            best_grid.copy_from_slice(&state.grid);
            improvements.push((started.elapsed(), best.0, best.1));
            if best.0 == 0 && first_feasible.is_none() {
                first_feasible = Some(started.elapsed());
            }
        }
    }
    debug_assert_eq!(current, state.objective());
    debug_assert_eq!(state.worked, State::new(p, state.grid.clone()).worked);
    ThreadResult { grid: best_grid, hard: best.0, soft: best.1, iterations, first_feasible, improvements }
}
