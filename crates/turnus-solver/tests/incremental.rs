//! Property test: after any sequence of moves on any problem, the solver's incremental score
//! equals the evaluator's full score of the same schedule.

mod common;

use common::random_problem;
use proptest::prelude::*;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use turnus_core::{DayIndex, OFF, RuleId, ShiftIdx, Work, compile, evaluate_assignments};
use turnus_solver::{Change, RowOptimizer, State};

fn full_score(state: &State) -> turnus_core::Score {
    let c = state.c;
    let rows: Vec<Vec<Work>> = (0..c.emps.len())
        .map(|e| {
            (0..c.days)
                .filter_map(|d| {
                    let s = state.grid[e * c.days + d];
                    (s != OFF).then(|| c.work(d as DayIndex, s))
                })
                .collect()
        })
        .collect();
    evaluate_assignments(c, &rows).score
}

#[test]
fn grid_like_problems_take_the_fast_path() {
    let fast = (0..200u64)
        .filter(|seed| {
            let problem = random_problem(*seed);
            let c = compile(&problem).unwrap();
            State::new(&c, vec![OFF; c.emps.len() * c.days]).uses_grid_model()
        })
        .count();
    assert!(fast > 20, "only {fast} of 200 problems took the fast path");
}

/// The values each cell of employee `e` may take: the pinned value alone, else every
/// allowed shift and a day off.
fn row_options(c: &turnus_core::Compiled, state: &State, e: u32) -> Vec<Vec<ShiftIdx>> {
    (0..c.days)
        .map(|d| match c.pin(e, d) {
            Some(_) => vec![state.get(e, d as u32)],
            None => {
                let mut v: Vec<ShiftIdx> =
                    (0..c.shift_count() as ShiftIdx).filter(|&s| c.allowed(e, d, s)).collect();
                v.push(OFF);
                v
            }
        })
        .collect()
}

/// The best-response row program is exact when no period total (shifts per type, minutes,
/// weekends) binds: on one-week grid problems its row scores the same as the best of all
/// rows found by enumeration.
#[test]
fn best_response_row_matches_enumeration() {
    const WEIGHT: i64 = 1000;
    let scalar = |s: turnus_core::Score| s.hard * WEIGHT + s.soft;
    let mut checked = 0;
    for seed in 0..400u64 {
        let mut problem = random_problem(seed);
        if problem.unit.period.weeks != 1 {
            continue;
        }
        for rule in [RuleId::B2, RuleId::B3, RuleId::B6] {
            problem.rules.set_enabled(rule, false);
        }
        let c = compile(&problem).expect("generated problem is valid");
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        let grid: Vec<ShiftIdx> = (0..c.emps.len() * c.days)
            .map(
                |_| if rng.random_bool(0.5) { OFF } else { rng.random_range(0..c.shift_count() as ShiftIdx) },
            )
            .collect();
        let mut state = State::new(&c, grid);
        if !state.uses_grid_model() {
            continue;
        }
        let e = rng.random_range(0..c.emps.len() as u32);
        let per_row = row_options(&c, &state, e);
        // The search's layout: per cell of every employee, empty when pinned.
        let mut options = vec![Vec::new(); c.emps.len() * c.days];
        for d in 0..c.days {
            if c.pin(e, d).is_none() {
                options[e as usize * c.days + d] = per_row[d].clone();
            }
        }
        let mut optimizer = RowOptimizer::default();
        let row = optimizer.best_row(&state, &options, e, None, WEIGHT).expect("grid model").to_vec();

        let mut best = i64::MAX;
        let mut undo = Vec::new();
        let mut pick = vec![0usize; c.days];
        loop {
            let changes: Vec<Change> =
                (0..c.days).map(|d| Change { emp: e, day: d as u32, shift: per_row[d][pick[d]] }).collect();
            state.undo_of(&changes, &mut undo);
            let delta = state.apply(&changes);
            best = best.min(scalar(state.score()));
            state.revert(&undo, delta);
            // Next combination, like an odometer.
            let mut d = 0;
            while d < c.days && pick[d] + 1 == per_row[d].len() {
                pick[d] = 0;
                d += 1;
            }
            if d == c.days {
                break;
            }
            pick[d] += 1;
        }
        let changes: Vec<Change> =
            row.iter().enumerate().map(|(d, &s)| Change { emp: e, day: d as u32, shift: s }).collect();
        state.apply(&changes);
        assert_eq!(scalar(state.score()), best, "seed {seed}, employee {e}, program row {row:?}");
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} problems checked");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    #[test]
    fn incremental_score_equals_full_evaluation(seed in any::<u64>(), moves in 1usize..60) {
        let problem = random_problem(seed);
        let c = compile(&problem).expect("generated problem is valid");
        let mut rng = Pcg64Mcg::seed_from_u64(seed ^ 0xABCD);
        let grid: Vec<ShiftIdx> = (0..c.emps.len() * c.days)
            .map(|_| if rng.random_bool(0.5) { OFF } else { rng.random_range(0..c.shift_count() as ShiftIdx) })
            .collect();
        let mut state = State::new(&c, grid);
        prop_assert_eq!(state.score(), full_score(&state));

        let mut undo = Vec::new();
        for _ in 0..moves {
            let n = rng.random_range(1..=4);
            let changes: Vec<Change> = (0..n)
                .map(|_| {
                    let shift = if rng.random_bool(0.3) { OFF } else { rng.random_range(0..c.shift_count() as ShiftIdx) };
                    Change { emp: rng.random_range(0..c.emps.len() as u32), day: rng.random_range(0..c.days as u32), shift }
                })
                .collect();
            let before = state.score();
            state.undo_of(&changes, &mut undo);
            let delta = state.apply(&changes);
            prop_assert_eq!(state.score(), before + delta);
            prop_assert_eq!(state.score(), full_score(&state), "after applying {:?}", changes);
            if rng.random_bool(0.5) {
                state.revert(&undo, delta);
                prop_assert_eq!(state.score(), before);
                prop_assert_eq!(state.score(), full_score(&state), "after reverting {:?}", changes);
            }
        }
    }
}
