//! Turnus core: the domain model of a schedule period, zoned time and Swedish public
//! holidays, the rule set with its presets, and the evaluator that is the single
//! implementation of every rule. The solver, the checker and every report build on it.

mod compile;
mod eval;
mod holidays;
mod i18n;
mod problem;
mod rules;
mod schedule;
mod time;

pub use compile::{
    CEmp, CShift, CWish, CWishKind, Compiled, CoverRow, DayIndex, EmpIdx, OFF, ShiftClass, ShiftIdx, Span,
    Work, compile,
};
pub use eval::{
    CollectSink, Contradiction, CostSink, CoverLine, EmployeeSummary, Evaluation, FairBurden, Finding,
    FindingSink, Measure, RowScratch, Score, WishOutcome, cover_penalty, evaluate, evaluate_assignments,
    full_row, hm_en, hm_sv, hours_up, row_cost, row_findings, wish_granted,
};
pub use holidays::{Holiday, holiday_on, is_holiday_eve, is_public_holiday, is_storhelg};
pub use i18n::{Lang, continuing};
pub use problem::{
    Absence, DemandDay, DemandRow, Employee, EmployeeLimits, HistoryShift, Pin, Problem, ProblemError,
    ShiftType, SkillGrant, Unit, Wish, WishKind,
};
pub use rules::{NightWork, Preset, RuleId, RuleParams, RuleSet, RuleSetError, Weights};
pub use schedule::{Assignment, Schedule};
pub use time::{Period, TimeError, minutes_at, zoned_of_minutes};
