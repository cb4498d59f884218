//! Move evaluations per second on Curtois & Qu Instances 1, 12 and 24: apply and revert of
//! random single-cell changes and of two-cell swaps, through the public `State` API only.
//!
//! Run with `cargo bench -p turnus-solver --bench moves`. The instances come from the folder
//! in `TURNUS_CURTOIS_DIR`, else from `../shared/benchmarks/curtois` beside the workspace
//! root; without them the benchmark prints why and runs nothing.
//!
//! Divan rather than criterion: divan reports throughput directly from an items counter
//! (`ItemsCount`), runs a benchmark over an argument list with one attribute, and pulls in far
//! fewer dependencies. Criterion 0.8 also needs Rust 1.86, above this workspace's 1.85.

use std::path::PathBuf;

use divan::Bencher;
use divan::counter::ItemsCount;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use turnus_core::{Compiled, EmpIdx, OFF, ShiftIdx, compile};
use turnus_solver::{Change, State};

/// The instances measured: the smallest horizon of the first group, the largest instance of
/// 1–12 and the 364-day, 150-employee instance.
const INSTANCES: [u32; 3] = [1, 12, 24];
/// Moves drawn in advance and replayed in a cycle, so drawing is not timed. Each of divan's
/// samples times 1024 moves (`sample_size`), which keeps the timer's overhead small.
const MOVES: usize = 4096;
/// The seed of the start grid and of the moves; fixed so runs compare.
const SEED: u64 = 7;

fn data_dir() -> PathBuf {
    match std::env::var_os("TURNUS_CURTOIS_DIR") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/benchmarks/curtois"),
    }
}

fn main() {
    let dir = data_dir();
    let missing: Vec<PathBuf> =
        INSTANCES.iter().map(|n| dir.join(format!("Instance{n}.txt"))).filter(|p| !p.is_file()).collect();
    if !missing.is_empty() {
        eprintln!(
            "skipping the move benchmark: {} not found; set TURNUS_CURTOIS_DIR to the folder with InstanceN.txt",
            missing.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        );
        return;
    }
    divan::main();
}

/// Reads and compiles Curtois instance `number`.
///
/// # Panics
///
/// Panics when the file cannot be read or compiled; `main` checked that it exists.
fn load(number: u32) -> Compiled {
    let path = data_dir().join(format!("Instance{number}.txt"));
    let problem = turnus_io::read_curtois(&path)
        .unwrap_or_else(|e| panic!("{} cannot be read: {:?}", path.display(), e.errors));
    compile(&problem).unwrap_or_else(|e| panic!("{} cannot be compiled: {e:?}", path.display()))
}

/// Lists the values employee `e` may take on `day`: the pinned one, else a day off and every
/// allowed shift.
fn options(c: &Compiled, e: EmpIdx, day: usize) -> Vec<ShiftIdx> {
    if let Some(pinned) = c.pin(e, day) {
        return vec![pinned];
    }
    let shifts = (0..c.shift_count()).filter_map(|s| ShiftIdx::try_from(s).ok());
    std::iter::once(OFF).chain(shifts.filter(|&s| c.allowed(e, day, s))).collect()
}

/// Builds a start grid of allowed values: a day off on about two days in seven, else a random
/// allowed shift, so rows contain runs of work like a real roster.
fn start_grid(c: &Compiled, rng: &mut Pcg64Mcg) -> Vec<ShiftIdx> {
    let mut grid = Vec::with_capacity(c.emps.len() * c.days);
    for e in 0..c.emps.len() {
        let e = EmpIdx::try_from(e).expect("employee index fits EmpIdx");
        for day in 0..c.days {
            let values = options(c, e, day);
            let working: Vec<ShiftIdx> = values.iter().copied().filter(|&s| s != OFF).collect();
            let value = if values.len() == 1 || working.is_empty() || rng.random_range(0..7u32) < 2 {
                values[0]
            } else {
                working[rng.random_range(0..working.len())]
            };
            grid.push(value);
        }
    }
    grid
}

fn random_emp(c: &Compiled, rng: &mut Pcg64Mcg) -> EmpIdx {
    EmpIdx::try_from(rng.random_range(0..c.emps.len())).expect("employee index fits EmpIdx")
}

fn random_day(c: &Compiled, rng: &mut Pcg64Mcg) -> u32 {
    rng.random_range(0..u32::try_from(c.days).expect("horizon fits u32"))
}

/// Draws single-cell changes to another allowed value, each as a one-element move.
fn single_moves(state: &State, rng: &mut Pcg64Mcg) -> Vec<Vec<Change>> {
    let c = state.c;
    let mut moves = Vec::with_capacity(MOVES);
    while moves.len() < MOVES {
        let (emp, day) = (random_emp(c, rng), random_day(c, rng));
        let current = state.get(emp, day);
        let values: Vec<ShiftIdx> =
            options(c, emp, day as usize).into_iter().filter(|&s| s != current).collect();
        if values.is_empty() {
            continue;
        }
        let shift = values[rng.random_range(0..values.len())];
        moves.push(vec![Change { emp, day, shift }]);
    }
    moves
}

/// Draws swaps of one day between two employees with different values, where each may take
/// the other's value.
fn swap_moves(state: &State, rng: &mut Pcg64Mcg) -> Vec<Vec<Change>> {
    let c = state.c;
    let mut moves = Vec::with_capacity(MOVES);
    while moves.len() < MOVES {
        let (a, b, day) = (random_emp(c, rng), random_emp(c, rng), random_day(c, rng));
        let (va, vb) = (state.get(a, day), state.get(b, day));
        let allowed = |e: EmpIdx, value: ShiftIdx| options(c, e, day as usize).contains(&value);
        if a == b || va == vb || !allowed(a, vb) || !allowed(b, va) {
            continue;
        }
        moves.push(vec![Change { emp: a, day, shift: vb }, Change { emp: b, day, shift: va }]);
    }
    moves
}

/// Times apply, undo list and revert of each move in turn, one move per iteration.
fn bench_moves(bencher: Bencher, instance: u32, draw: fn(&State, &mut Pcg64Mcg) -> Vec<Vec<Change>>) {
    let c = load(instance);
    let mut rng = Pcg64Mcg::seed_from_u64(SEED);
    let grid = start_grid(&c, &mut rng);
    let mut state = State::new(&c, grid);
    let moves = draw(&state, &mut rng);
    let start = state.score();
    let mut undo = Vec::with_capacity(2);
    let mut next = 0;
    bencher.counter(ItemsCount::new(1usize)).bench_local(|| {
        let changes = &moves[next % MOVES];
        next += 1;
        state.undo_of(changes, &mut undo);
        let delta = state.apply(divan::black_box(changes));
        state.revert(&undo, delta);
        delta
    });
    assert_eq!(state.score(), start, "revert restores the score of the start grid");
}

#[divan::bench(args = INSTANCES, sample_size = 1024)]
fn single_cell(bencher: Bencher, instance: u32) {
    bench_moves(bencher, instance, single_moves);
}

#[divan::bench(args = INSTANCES, sample_size = 1024)]
fn two_cell_swap(bencher: Bencher, instance: u32) {
    bench_moves(bencher, instance, swap_moves);
}
