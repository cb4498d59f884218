//! The solver on the n005w4 example instance: its schedule has no hard violation, its score
//! is the evaluator's, and a run with an iteration limit repeats for the same seed.

use std::path::Path;

use turnus_inrc::{
    InstanceName, SolveOptions, assignments_of, evaluate, read_instance, read_solution, write_solution,
};

fn options(seed: u64, threads: usize) -> SolveOptions {
    SolveOptions { time_limit: None, max_iterations: Some(300_000), threads, seed }
}

#[test]
fn solver_is_feasible_and_scored_by_evaluator() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let name = InstanceName::parse("n005w4_0_1-2-3-3").expect("valid name");
    let instance = read_instance(&dir, &name).expect("instance reads");
    let result = turnus_inrc::solve(&instance, &options(7, 2), None, &|_| {});
    let evaluation = evaluate(&instance, &assignments_of(&instance, &result.grid));
    assert_eq!(evaluation.breakdown.hard(), 0);
    assert_eq!(result.hard, 0);
    assert_eq!(result.soft, evaluation.breakdown.total());
    // The organisers' example solution of the same instance costs 1695.
    assert!(result.soft < 1695, "{}", result.soft);

    // The written files read back to the same score.
    let out = std::env::temp_dir().join(format!("turnus-inrc-test-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("temp folder");
    for (file, text) in write_solution(&instance, &assignments_of(&instance, &result.grid)) {
        std::fs::write(out.join(file), text).expect("solution file written");
    }
    let read = read_solution(&out, &instance).expect("written solution reads");
    std::fs::remove_dir_all(&out).ok();
    assert_eq!(evaluate(&instance, &read).breakdown, evaluation.breakdown);
}

#[test]
fn solver_repeats_with_seed_and_iterations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let name = InstanceName::parse("n005w4_0_1-2-3-3").expect("valid name");
    let instance = read_instance(&dir, &name).expect("instance reads");
    let first = turnus_inrc::solve(&instance, &options(3, 2), None, &|_| {});
    let second = turnus_inrc::solve(&instance, &options(3, 2), None, &|_| {});
    assert_eq!(first.grid, second.grid);
    assert_eq!(first.iterations, second.iterations);
}
