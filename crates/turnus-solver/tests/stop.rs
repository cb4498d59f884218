//! The stop signal: a solve asked to stop ends early and still returns its best schedule.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use turnus_core::compile;
use turnus_solver::{SolveOptions, solve};

fn sample() -> turnus_core::Compiled {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/sarskilt-boende");
    let (problem, _warnings) = turnus_io::read_bundle(&dir).expect("the sample bundle reads");
    compile(&problem).expect("the sample bundle compiles")
}

#[test]
fn stop_before_solve_returns_construction() {
    let c = sample();
    let stop = Arc::new(AtomicBool::new(true));
    let options = SolveOptions {
        time_limit: Some(Duration::from_secs(600)),
        max_iterations: None,
        threads: 2,
        seed: 3,
        stop: Some(Arc::clone(&stop)),
    };
    let result = solve(&c, &options, |_| {});
    assert!(result.stopped);
    assert_eq!(result.grid.len(), c.emps.len() * c.days);
    // Far below the ten minutes it was given; the search ends within its first epoch.
    assert!(result.elapsed < Duration::from_secs(120), "took {:?}", result.elapsed);
}

#[test]
fn stop_while_solving_ends_after_epoch() {
    let c = sample();
    let stop = Arc::new(AtomicBool::new(false));
    let options = SolveOptions {
        time_limit: None,
        max_iterations: Some(u64::MAX / 4),
        threads: 1,
        seed: 3,
        stop: Some(Arc::clone(&stop)),
    };
    let mut epochs = 0;
    let result = solve(&c, &options, |_| {
        epochs += 1;
        if epochs == 2 {
            stop.store(true, Ordering::Relaxed);
        }
    });
    assert!(result.stopped);
    assert_eq!(epochs, 2, "the solve goes on after the stop");
}

#[test]
fn solve_without_stop_is_not_stopped() {
    let c = sample();
    let options =
        SolveOptions { time_limit: None, max_iterations: Some(20_000), threads: 1, seed: 3, stop: None };
    let result = solve(&c, &options, |_| {});
    assert!(!result.stopped);
}
