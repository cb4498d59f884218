//! A start schedule from column generation on day-grid problems. The master program of
//! [`crate::bound`] mixes rows of each employee, and a dive turns the mix into a schedule. It
//! fixes the cells (employee and day) whose value the mix leans on most, generates columns
//! again under those cells, and repeats. Fixing cells rather than whole rows commits to less
//! at each step, so later columns can still fit around earlier choices. When time runs out,
//! or only one step would be left, one row per employee is picked from the rows found. The
//! pick anneals over the choice of row, then moves one employee and then two at a time. It
//! scores a choice exactly, by each row's own score and the cover penalty of the head-counts.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use turnus_core::{Compiled, EmpIdx, OFF, ShiftIdx};

use crate::bound::{BoundOptions, Columns, Relaxation, run};
use crate::fast::GridModel;
use crate::search::{cell_options, pinned_grid};
use crate::state::{cover_cost, row_cover};

/// Rounds of column generation after each fixing at most.
const DIVE_ROUNDS: usize = 8;
/// The share by which the Lagrangian may lie below the master's value when a dive's column
/// generation counts as converged: closer buys little for a schedule.
const DIVE_TOLERANCE: f64 = 0.005;
/// A cell whose heaviest value has at least this weight in the mix is fixed to it in each
/// step: the mix barely changes.
const FIX_WEIGHT: f64 = 0.99;
/// Each step also fixes one in this many of the free cells (at least one), those whose
/// heaviest value weighs most.
const FIX_SHARE: usize = 40;

/// The share of the time left that column generation may take before the first fixing, so
/// that the dive always has time to fix every cell.
const FIRST_SHARE: f64 = 0.6;

/// Limits of a dive.
pub(crate) struct DiveOptions<'a> {
    /// Rounds of column generation before the first fixing at most.
    pub first_rounds: usize,
    pub threads: usize,
    pub deadline: Option<Instant>,
    pub stop: Option<&'a AtomicBool>,
    /// The search's price of one hard unit.
    pub hard_weight: i64,
    pub seed: u64,
}

/// Dives from column generation to a schedule, starting the columns with the rows of the
/// `starts` (each a shift per `e * days + d`). Returns the schedule's grid, or `None` when no
/// thread pool could be built.
pub(crate) fn dive(
    c: &Compiled,
    model: &GridModel,
    starts: &[&[ShiftIdx]],
    o: &DiveOptions,
) -> Option<Vec<ShiftIdx>> {
    let emps = c.emps.len();
    let mut relaxation = Relaxation::new(c, model);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(o.threads.max(1)).build().ok()?;
    let mut columns = Columns::new(emps);
    for start in starts {
        for e in 0..emps {
            columns.add(&relaxation, e, &start[e * c.days..(e + 1) * c.days]);
        }
    }
    let limits = |rounds: usize, share: f64| BoundOptions {
        time_limit: o.deadline.map(|d| d.saturating_duration_since(Instant::now()).mul_f64(share)),
        max_iterations: rounds,
        threads: o.threads,
        target: None,
        start: None,
    };
    let mut last = run(
        &relaxation,
        &mut columns,
        &pool,
        &limits(o.first_rounds, FIRST_SHARE),
        false,
        o.stop,
        None,
        DIVE_TOLERANCE,
    );
    // Until a step has been timed, one is taken to cost half a step's rounds of the first run.
    let mut step_time =
        last.bound.elapsed.div_f64(last.bound.iterations.max(1) as f64).mul_f64(DIVE_ROUNDS as f64 / 2.0);
    let days = c.days;
    // Pinned cells count as fixed from the start.
    let mut fixed: Vec<bool> = cell_options(c).iter().map(Vec::is_empty).collect();
    let mut steps = 0;
    loop {
        let now = Instant::now();
        let out_of_time = o.deadline.is_some_and(|d| now >= d);
        let stopped = o.stop.is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed));
        if out_of_time || stopped {
            break;
        }
        // Each free cell's heaviest value in the master's mix and its weight.
        let mut heaviest: Vec<(f64, usize, ShiftIdx)> = Vec::new();
        for e in 0..emps {
            let rows = columns.rows(e);
            let w = weights_of(&last.weights, e, rows.len());
            for d in (0..days).filter(|&d| !fixed[e * days + d]) {
                let mut values: Vec<(ShiftIdx, f64)> = Vec::new();
                for (row, &weight) in rows.iter().zip(w) {
                    match values.iter_mut().find(|(s, _)| *s == row[d]) {
                        Some((_, v)) => *v += weight,
                        None => values.push((row[d], weight)),
                    }
                }
                if let Some(&(s, v)) = values.iter().max_by(|a, b| a.1.total_cmp(&b.1)) {
                    heaviest.push((v, e * days + d, s));
                }
            }
        }
        if heaviest.is_empty() {
            break;
        }
        heaviest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        // Fix more per step when the steps left in the time would not reach the end.
        let steps_left = o.deadline.map_or(usize::MAX, |d| {
            let left = d.saturating_duration_since(now).as_secs_f64();
            ((left / step_time.as_secs_f64().max(1e-3)) as usize).max(1)
        });
        // Fixing every cell left by its heaviest value at once gives a poor schedule: when no
        // step would follow, the rows are picked instead.
        if steps_left <= 1 {
            break;
        }
        let share = heaviest.len().div_ceil(FIX_SHARE).max(heaviest.len().div_ceil(steps_left));
        for (i, &(weight, cell, s)) in heaviest.iter().enumerate() {
            if i < share || weight >= FIX_WEIGHT {
                let (e, d) = (cell / days, cell % days);
                relaxation.fix_cell(e as EmpIdx, d, s);
                columns.retain(e, d, s);
                fixed[cell] = true;
            }
        }
        steps += 1;
        let prices = Some(last.prices);
        last = run(
            &relaxation,
            &mut columns,
            &pool,
            &limits(DIVE_ROUNDS, 1.0),
            false,
            o.stop,
            prices,
            DIVE_TOLERANCE,
        );
        step_time = now.elapsed();
    }
    tracing::debug!(steps, fixed = fixed.iter().filter(|&&f| f).count(), "dive");
    Some(pick(c, model, &columns, &last.weights, starts, o, o.deadline))
}

/// Returns the weights of employee `e`'s rows, or nothing unless there is one per row.
fn weights_of(weights: &[Vec<f64>], e: usize, rows: usize) -> &[f64] {
    match weights.get(e) {
        Some(w) if w.len() == rows => w,
        _ => &[],
    }
}

/// Moves of the annealing per candidate row, over all employees.
const MOVES_PER_ROW: u64 = 400;
/// The annealing's start and end temperature, as shares of the mean row cost change.
const START_SHARE: f64 = 0.5;
const END_SHARE: f64 = 0.002;

/// One candidate row of one employee.
struct Candidate {
    /// Hard units times the search's hard weight, plus the soft score.
    cost: i64,
    /// The cover rows the row counts towards.
    cover: Vec<u32>,
}

/// Computes the value of choosing row `chosen[e]` of each employee `e`, the rows' costs plus
/// the cover penalty, and returns it with the head-count of every cover row.
fn value(c: &Compiled, candidates: &[Vec<Candidate>], chosen: &[usize]) -> (i64, Vec<u32>) {
    let mut count = vec![0u32; c.cover.len()];
    let mut value = 0;
    for (cands, &k) in candidates.iter().zip(chosen) {
        value += cands[k].cost;
        for &r in &cands[k].cover {
            count[r as usize] += 1;
        }
    }
    value += count.iter().zip(&c.cover).map(|(&n, row)| cover_cost(c, row, n)).sum::<i64>();
    (value, count)
}

/// The choice of rows and the head-count of every cover row it gives.
struct Choice<'a> {
    c: &'a Compiled,
    candidates: Vec<Vec<Candidate>>,
    chosen: Vec<usize>,
    count: Vec<u32>,
    value: i64,
}

impl<'a> Choice<'a> {
    fn new(c: &'a Compiled, candidates: Vec<Vec<Candidate>>, chosen: Vec<usize>) -> Self {
        let (value, count) = value(c, &candidates, &chosen);
        Choice { c, candidates, chosen, count, value }
    }

    /// Cost of cover row `r` at head-count `n`.
    fn cover(&self, r: u32, n: u32) -> i64 {
        cover_cost(self.c, &self.c.cover[r as usize], n)
    }

    /// Changes employee `e` to candidate `to` and returns the change in value.
    fn switch(&mut self, e: usize, to: usize) -> i64 {
        let from = self.chosen[e];
        let mut delta = self.candidates[e][to].cost - self.candidates[e][from].cost;
        for i in 0..self.candidates[e][from].cover.len() {
            let r = self.candidates[e][from].cover[i];
            let n = self.count[r as usize];
            delta += self.cover(r, n - 1) - self.cover(r, n);
            self.count[r as usize] = n - 1;
        }
        for i in 0..self.candidates[e][to].cover.len() {
            let r = self.candidates[e][to].cover[i];
            let n = self.count[r as usize];
            delta += self.cover(r, n + 1) - self.cover(r, n);
            self.count[r as usize] = n + 1;
        }
        self.chosen[e] = to;
        self.value += delta;
        delta
    }
}

/// Scores every row of every employee as a candidate; `hard_weight` prices a hard unit as
/// in the search.
fn candidates(
    c: &Compiled,
    model: &GridModel,
    rows: &[Vec<Vec<ShiftIdx>>],
    hard_weight: i64,
) -> Vec<Vec<Candidate>> {
    rows.iter()
        .enumerate()
        .map(|(e, rows)| {
            rows.iter()
                .map(|row| {
                    let (_, score) = model.full(c, e as EmpIdx, row);
                    let cover = row_cover(c, e as EmpIdx, row);
                    Candidate {
                        cost: score.hard.saturating_mul(hard_weight).saturating_add(score.soft),
                        cover,
                    }
                })
                .collect()
        })
        .collect()
}

/// Picks one row per employee from the rows of `columns` and of the `starts` (each a shift
/// per `e * days + d`) and returns the grid. The first choice is the best of
/// the starts and of each employee's heaviest row in `weights`, the master's weights on the
/// rows of `columns`. Annealing, then moves of one and of two employees at a time improve
/// it; the moves of two stop at `deadline`.
fn pick(
    c: &Compiled,
    model: &GridModel,
    columns: &Columns,
    weights: &[Vec<f64>],
    starts: &[&[ShiftIdx]],
    o: &DiveOptions,
    deadline: Option<Instant>,
) -> Vec<ShiftIdx> {
    let days = c.days;
    let pinned = pinned_grid(c);
    let mut rows: Vec<Vec<Vec<ShiftIdx>>> = (0..c.emps.len()).map(|e| columns.rows(e).to_vec()).collect();
    let mut firsts = vec![Vec::with_capacity(c.emps.len()); starts.len() + 1];
    for (e, rows) in rows.iter_mut().enumerate() {
        let w = weights_of(weights, e, rows.len());
        let heaviest = (0..rows.len())
            .max_by(|&a, &b| w.get(a).copied().unwrap_or(0.0).total_cmp(&w.get(b).copied().unwrap_or(0.0)))
            .unwrap_or(0);
        firsts[0].push(heaviest);
        for (start, first) in starts.iter().zip(&mut firsts[1..]) {
            let row = &start[e * days..(e + 1) * days];
            let k = rows.iter().position(|r| r == row).unwrap_or_else(|| {
                rows.push(row.to_vec());
                rows.len() - 1
            });
            first.push(k);
        }
        // Without rows and starts an employee keeps only their pins, so every employee has
        // a row 0 to choose.
        if rows.is_empty() {
            rows.push(pinned[e * days..(e + 1) * days].to_vec());
        }
    }
    let candidates = candidates(c, model, &rows, o.hard_weight);
    let first = firsts
        .into_iter()
        .min_by_key(|first| value(c, &candidates, first).0)
        .unwrap_or_else(|| vec![0; rows.len()]);
    let mut choice = Choice::new(c, candidates, first);
    let start = choice.value;
    anneal(&mut choice, o.seed);
    descend(&mut choice);
    let annealed = choice.value;
    descend_pairs(&mut choice, deadline);
    tracing::debug!(start, annealed, value = choice.value, "picked rows");

    let mut grid = vec![OFF; c.emps.len() * days];
    for (e, &k) in choice.chosen.iter().enumerate() {
        grid[e * days..(e + 1) * days].copy_from_slice(&rows[e][k]);
    }
    grid
}

/// Runs simulated annealing over the choice and leaves the best choice seen.
fn anneal(choice: &mut Choice, seed: u64) {
    let emps: Vec<usize> = (0..choice.candidates.len()).filter(|&e| choice.candidates[e].len() > 1).collect();
    if emps.is_empty() {
        return;
    }
    let total_rows: usize = emps.iter().map(|&e| choice.candidates[e].len()).sum();
    let moves = total_rows as u64 * MOVES_PER_ROW;
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    // The temperature scale: the mean size of a change of row, sampled.
    let mut sum = 0.0;
    let mut samples = 0;
    for _ in 0..200 {
        let e = emps[rng.random_range(0..emps.len())];
        let to = rng.random_range(0..choice.candidates[e].len());
        let back = choice.chosen[e];
        let delta = choice.switch(e, to);
        choice.switch(e, back);
        if delta != 0 {
            sum += (delta as f64).abs();
            samples += 1;
        }
    }
    if samples == 0 {
        return;
    }
    let scale = sum / f64::from(samples);
    let mut best_value = choice.value;
    let mut best = choice.chosen.clone();
    for i in 0..moves {
        let f = i as f64 / moves as f64;
        let temperature = scale * START_SHARE * (END_SHARE / START_SHARE).powf(f);
        let e = emps[rng.random_range(0..emps.len())];
        let to = rng.random_range(0..choice.candidates[e].len());
        let back = choice.chosen[e];
        if to == back {
            continue;
        }
        let delta = choice.switch(e, to);
        if delta > 0 && rng.random::<f64>() >= (-(delta as f64) / temperature).exp() {
            choice.switch(e, back);
            continue;
        }
        if choice.value < best_value {
            best_value = choice.value;
            best.copy_from_slice(&choice.chosen);
        }
    }
    for (e, &k) in best.iter().enumerate() {
        choice.switch(e, k);
    }
}

/// Moves each employee to their best row given the others, until no move improves.
fn descend(choice: &mut Choice) {
    loop {
        let mut improved = false;
        for e in 0..choice.candidates.len() {
            let current = choice.chosen[e];
            let mut best = (0, current);
            for to in 0..choice.candidates[e].len() {
                if to == current {
                    continue;
                }
                let delta = choice.switch(e, to);
                choice.switch(e, current);
                if delta < best.0 {
                    best = (delta, to);
                }
            }
            if best.1 != current {
                choice.switch(e, best.1);
                improved = true;
            }
        }
        if !improved {
            return;
        }
    }
}

/// Moves two employees at once to their best pair of rows given the others, over every pair,
/// until no pair improves or `deadline` passes. Cover often needs two employees to trade a
/// shift, which a move of one cannot do without first making cover worse.
fn descend_pairs(choice: &mut Choice, deadline: Option<Instant>) {
    let emps: Vec<usize> = (0..choice.candidates.len()).filter(|&e| choice.candidates[e].len() > 1).collect();
    loop {
        let mut improved = false;
        for (i, &a) in emps.iter().enumerate() {
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return;
            }
            for &b in &emps[i + 1..] {
                let (ka, kb) = (choice.chosen[a], choice.chosen[b]);
                let mut best = (0, ka, kb);
                for ta in 0..choice.candidates[a].len() {
                    let da = if ta == ka { 0 } else { choice.switch(a, ta) };
                    for tb in 0..choice.candidates[b].len() {
                        let db = if tb == kb { 0 } else { choice.switch(b, tb) };
                        if tb != kb {
                            choice.switch(b, kb);
                        }
                        if da + db < best.0 {
                            best = (da + db, ta, tb);
                        }
                    }
                    if ta != ka {
                        choice.switch(a, ka);
                    }
                }
                if best.0 < 0 {
                    choice.switch(a, best.1);
                    choice.switch(b, best.2);
                    improved = true;
                }
            }
        }
        if !improved {
            return;
        }
    }
}
