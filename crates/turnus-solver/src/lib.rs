//! Turnus solver: compiles nothing itself but searches a [`turnus_core::Compiled`] problem.
//! A greedy construction fills cover (on day-grid problems also column generation with a
//! dive), then parallel simulated annealing with incremental scoring improves it under a time
//! or iteration limit. It always returns its best schedule.

mod bound;
mod fast;
mod master;
mod restricted;
mod row_dp;
mod search;
mod state;

pub use bound::{Bound, BoundOptions, lower_bound};
pub use row_dp::RowOptimizer;
pub use search::{Progress, SolveOptions, SolveResult, solve};
pub use state::{Change, State};

use turnus_core::{Assignment, Compiled, DayIndex, OFF, Schedule, ShiftIdx};

/// Turns a solver grid into a schedule of ids and codes.
pub fn grid_to_schedule(c: &Compiled, grid: &[ShiftIdx]) -> Schedule {
    let mut schedule = Schedule::default();
    for (e, emp) in c.emps.iter().enumerate() {
        for d in 0..c.days {
            let s = grid[e * c.days + d];
            if s != OFF {
                schedule.assignments.push(Assignment {
                    employee: emp.id.clone(),
                    date: c.date(d as DayIndex),
                    shift: c.shifts[usize::from(s)].code.clone(),
                });
            }
        }
    }
    schedule
}
