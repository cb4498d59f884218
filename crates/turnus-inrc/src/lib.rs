//! The Second International Nurse Rostering Competition (INRC-II) for Turnus: a reader for its
//! text format, the competition's evaluator over the whole horizon, and a simulated annealing
//! solver for an instance with all weeks known in advance.

mod cost;
mod eval;
mod files;
mod model;
mod parse;
mod solve;

pub use cost::{
    Cell, RowCost, WEIGHT_COMPLETE_WEEKEND, WEIGHT_CONSECUTIVE_OFF, WEIGHT_CONSECUTIVE_SHIFT,
    WEIGHT_CONSECUTIVE_WORK, WEIGHT_OPTIMAL_COVER, WEIGHT_REQUEST, WEIGHT_TOTAL_ASSIGNMENTS,
    WEIGHT_WORKING_WEEKENDS, Work,
};
pub use eval::{Breakdown, Evaluation, HardViolation, assignments_of, evaluate, grid_of};
pub use files::{check_instance, read_instance, read_solution, solution_file_name, write_solution};
pub use model::{
    Assignment, Contract, DAY_NAMES, DAYS_PER_WEEK, History, Instance, InstanceName, Nurse, NurseHistory,
    OffRequest, Requirement, Scenario, ShiftType, WeekData,
};
pub use parse::{SolutionWeek, parse_history, parse_scenario, parse_solution_week, parse_week};
pub use solve::{Progress, SolveOptions, SolveResult, solve};
