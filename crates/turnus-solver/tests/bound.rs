//! The lower bound never exceeds the best schedule, and the start schedule from column
//! generation is mostly the best one: on small one-week problems the best schedule is found
//! by trying every combination of legal rows.

mod common;

use common::random_problem;
use turnus_core::{Compiled, OFF, ShiftIdx, compile};
use turnus_solver::{BoundOptions, Change, SolveOptions, State, lower_bound, solve};

/// Combinations of rows tried at most per problem.
const MAX_COMBINATIONS: usize = 40_000;

/// Lists every row of employee `e` that breaks no hard rule, with its soft row score.
fn legal_rows(c: &Compiled, state: &mut State, e: u32) -> Vec<(Vec<ShiftIdx>, i64)> {
    let options: Vec<Vec<ShiftIdx>> = (0..c.days)
        .map(|d| match c.pin(e, d) {
            Some(p) => vec![p],
            None => {
                let mut v: Vec<ShiftIdx> =
                    (0..c.shift_count() as ShiftIdx).filter(|&s| c.allowed(e, d, s)).collect();
                v.push(OFF);
                v
            }
        })
        .collect();
    let mut rows = Vec::new();
    let mut pick = vec![0usize; c.days];
    let mut undo = Vec::new();
    loop {
        let row: Vec<ShiftIdx> = (0..c.days).map(|d| options[d][pick[d]]).collect();
        let changes: Vec<Change> =
            row.iter().enumerate().map(|(d, &s)| Change { emp: e, day: d as u32, shift: s }).collect();
        state.undo_of(&changes, &mut undo);
        let delta = state.apply(&changes);
        let score = state.row_score(e);
        if score.hard == 0 {
            rows.push((row, score.soft));
        }
        state.revert(&undo, delta);
        let mut d = 0;
        while d < c.days && pick[d] + 1 == options[d].len() {
            pick[d] = 0;
            d += 1;
        }
        if d == c.days {
            return rows;
        }
        pick[d] += 1;
    }
}

/// Finds the lowest soft score of a schedule without hard violations, or `None` when there is
/// none or there are too many combinations to try.
fn optimum(c: &Compiled) -> Option<i64> {
    let base: Vec<ShiftIdx> =
        (0..c.emps.len() * c.days).map(|i| c.pin((i / c.days) as u32, i % c.days).unwrap_or(OFF)).collect();
    let mut state = State::new(c, base);
    let rows: Vec<_> = (0..c.emps.len() as u32).map(|e| legal_rows(c, &mut state, e)).collect();
    let combinations = rows.iter().try_fold(1usize, |n, r| n.checked_mul(r.len()))?;
    if combinations == 0 || combinations > MAX_COMBINATIONS {
        return None;
    }
    let mut best = i64::MAX;
    let mut pick = vec![0usize; rows.len()];
    loop {
        let changes: Vec<Change> = pick
            .iter()
            .enumerate()
            .flat_map(|(e, &i)| {
                rows[e][i].0.iter().enumerate().map(move |(d, &s)| Change {
                    emp: e as u32,
                    day: d as u32,
                    shift: s,
                })
            })
            .collect();
        state.apply(&changes);
        let score = state.score();
        if score.hard == 0 {
            best = best.min(score.soft);
        }
        let mut e = 0;
        while e < rows.len() && pick[e] + 1 == rows[e].len() {
            pick[e] = 0;
            e += 1;
        }
        if e == rows.len() {
            break;
        }
        pick[e] += 1;
    }
    (best < i64::MAX).then_some(best)
}

/// Small one-week day-grid problems with their best schedule's soft score.
fn small_problems() -> Vec<(u64, Compiled, i64)> {
    let mut out = Vec::new();
    for seed in 0..1500u64 {
        let problem = random_problem(seed);
        if problem.unit.period.weeks != 1 {
            continue;
        }
        let c = compile(&problem).expect("generated problem is valid");
        if !State::new(&c, vec![OFF; c.emps.len() * c.days]).uses_grid_model() {
            continue;
        }
        if let Some(best) = optimum(&c) {
            out.push((seed, c, best));
        }
    }
    assert!(out.len() >= 8, "only {} problems to check", out.len());
    out
}

#[test]
fn lower_bound_is_at_most_the_best_schedule() {
    let problems = small_problems();
    let mut tight = 0;
    for (seed, c, best) in &problems {
        let options =
            BoundOptions { time_limit: None, max_iterations: 300, threads: 1, target: None, start: None };
        let bound = lower_bound(c, &options).expect("a day-grid problem has a bound");
        assert!(bound.value <= *best, "seed {seed}: bound {} above the best schedule {best}", bound.value);
        assert!(bound.value >= 0);
        tight += usize::from(bound.value == *best);
    }
    eprintln!("{tight} of {} bounds equal the best schedule", problems.len());
}

/// With no search iterations the solver returns its start schedule, which on day-grid
/// problems comes from column generation and a dive. On these small problems it should
/// mostly be the best schedule already.
#[test]
fn column_start_finds_the_best_schedule_without_search() {
    let problems = small_problems();
    let mut optimal = 0;
    for (seed, c, best) in &problems {
        let options =
            SolveOptions { time_limit: None, max_iterations: Some(0), threads: 1, seed: 1, stop: None };
        let result = solve(c, &options, |_| {});
        assert_eq!(result.score.hard, 0, "seed {seed}: the start breaks a hard rule");
        assert!(result.score.soft >= *best, "seed {seed}: {} below the optimum {best}", result.score.soft);
        assert_eq!(State::new(c, result.grid.clone()).score(), result.score, "seed {seed}");
        optimal += usize::from(result.score.soft == *best);
    }
    assert!(
        optimal * 4 >= problems.len() * 3,
        "only {optimal} of {} start schedules are optimal",
        problems.len()
    );
}

#[test]
fn lower_bound_is_none_outside_the_day_grid() {
    let seed = (0..200u64)
        .find(|&s| {
            let c = compile(&random_problem(s)).expect("generated problem is valid");
            !State::new(&c, vec![OFF; c.emps.len() * c.days]).uses_grid_model()
        })
        .expect("some generated problem is not a day-grid problem");
    let c = compile(&random_problem(seed)).expect("generated problem is valid");
    assert!(lower_bound(&c, &BoundOptions::default()).is_none());
}
