//! A start schedule from column generation on day-grid problems. The master program of
//! [`crate::bound`] mixes rows of each employee, and a dive turns the mix into a schedule. It
//! fixes the employees whose mix leans most on one row to that row, generates columns again
//! for the rest, and repeats. Whatever is not fixed when time runs out is picked from the rows
//! found, by annealing over the choice of row, scored exactly by each row's own score and the
//! cover penalty of the head-counts the choice gives.

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use turnus_core::{Compiled, EmpIdx, OFF, ShiftIdx};

use crate::bound::{BoundOptions, Columns, Relaxation, run};
use crate::fast::GridModel;
use crate::state::{cover_cost, row_cover};

/// Rounds of column generation after each fixing at most.
const DIVE_ROUNDS: usize = 8;
/// The share by which the Lagrangian may lie below the master's value when a dive's column
/// generation counts as converged: closer buys little for a schedule.
const DIVE_TOLERANCE: f64 = 0.005;
/// An employee whose heaviest row has at least this weight is fixed to it in each step.
const FIX_WEIGHT: f64 = 0.9;
/// Each step also fixes this share of the free employees (at least one), those whose
/// heaviest row weighs most.
const FIX_SHARE: usize = 20;

/// The share of the time left that column generation may take before the first fixing, so
/// that the dive always has time to fix every employee.
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
    let mut fixed = vec![false; emps];
    let mut steps = 0;
    loop {
        let now = Instant::now();
        let out_of_time = o.deadline.is_some_and(|d| now >= d);
        let stopped = o.stop.is_some_and(|s| s.load(std::sync::atomic::Ordering::Relaxed));
        if out_of_time || stopped {
            break;
        }
        // Each free employee's heaviest row and its weight.
        let mut heaviest: Vec<(usize, usize, f64)> = (0..emps)
            .filter(|&e| !fixed[e])
            .map(|e| {
                let w = weights_of(&last.weights, e, columns.rows(e).len());
                let (k, weight) =
                    w.iter().copied().enumerate().max_by(|a, b| a.1.total_cmp(&b.1)).unwrap_or((0, 0.0));
                (e, k, weight)
            })
            .collect();
        if heaviest.is_empty() {
            break;
        }
        heaviest.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        // Fix more per step when the steps left in the time would not reach the end.
        let steps_left = o.deadline.map_or(usize::MAX, |d| {
            let left = d.saturating_duration_since(now).as_secs_f64();
            ((left / step_time.as_secs_f64().max(1e-3)) as usize).max(1)
        });
        let share = heaviest.len().div_ceil(FIX_SHARE).max(heaviest.len().div_ceil(steps_left));
        for (i, &(e, k, weight)) in heaviest.iter().enumerate() {
            if i < share || weight >= FIX_WEIGHT {
                let row = columns.rows(e)[k].clone();
                relaxation.fix(e as EmpIdx, &row);
                columns.keep(e, k);
                fixed[e] = true;
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
    let rows = columns.into_rows();
    Some(select(c, model, &rows, &last.weights, o.hard_weight, o.seed))
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

/// The choice of rows and the head-count of every cover row it gives.
struct Choice<'a> {
    c: &'a Compiled,
    candidates: Vec<Vec<Candidate>>,
    chosen: Vec<usize>,
    count: Vec<u32>,
    value: i64,
}

impl Choice<'_> {
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

/// Picks one row per employee from `rows` (every employee has at least one) and returns the
/// grid, shift per `e * days + d`. `weights` are the master's weights on the rows, which set
/// the first choice, and `hard_weight` prices a hard unit as in the search.
pub(crate) fn select(
    c: &Compiled,
    model: &GridModel,
    rows: &[Vec<Vec<ShiftIdx>>],
    weights: &[Vec<f64>],
    hard_weight: i64,
    seed: u64,
) -> Vec<ShiftIdx> {
    let candidates: Vec<Vec<Candidate>> = rows
        .iter()
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
        .collect();
    // The first choice is each employee's heaviest row in the master's mix.
    let chosen: Vec<usize> = candidates
        .iter()
        .enumerate()
        .map(|(e, cands)| {
            let w = weights_of(weights, e, cands.len());
            (0..cands.len())
                .max_by(|&a, &b| {
                    let (wa, wb) = (w.get(a).copied().unwrap_or(0.0), w.get(b).copied().unwrap_or(0.0));
                    wa.total_cmp(&wb).then(cands[b].cost.cmp(&cands[a].cost))
                })
                .unwrap_or(0)
        })
        .collect();
    let mut choice = Choice { c, candidates, chosen, count: vec![0; c.cover.len()], value: 0 };
    for e in 0..choice.chosen.len() {
        let cand = &choice.candidates[e][choice.chosen[e]];
        choice.value += cand.cost;
        for &r in &cand.cover {
            choice.count[r as usize] += 1;
        }
    }
    choice.value += (0..c.cover.len() as u32).map(|r| choice.cover(r, choice.count[r as usize])).sum::<i64>();

    anneal(&mut choice, seed);
    descend(&mut choice);

    let mut grid = vec![OFF; c.emps.len() * c.days];
    for (e, &k) in choice.chosen.iter().enumerate() {
        grid[e * c.days..(e + 1) * c.days].copy_from_slice(&rows[e][k]);
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
