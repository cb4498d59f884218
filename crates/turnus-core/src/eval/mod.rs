//! The evaluator: the single implementation of every rule. Row rules see one employee's
//! shifts and report through a [`FindingSink`], so the solver's cost-only pass and the
//! checker's detailed pass run the same code; cover is scored per demand row.

mod explain;
mod findings;
mod report;
mod row;

pub use findings::{CollectSink, CostSink, Finding, FindingSink, Measure, Score, hm_en, hm_sv};
pub use report::{
    Contradiction, CoverLine, EmployeeSummary, Evaluation, FairBurden, WishOutcome, evaluate,
    evaluate_assignments, full_row,
};
pub use row::{RowScratch, hours_up, row_cost, row_findings, wish_granted};

use crate::compile::CoverRow;

/// The S1 and S2 penalties of one cover row at a head-count.
///
/// Persons missing below `min` cost the row's under weight (S1); persons missing between
/// `min` and `ideal` cost the ideal weight, and persons above `ideal` the over weight (S2).
/// Each is scaled by the shift's paid minutes over 60 when the rule set scales by hours.
pub fn cover_penalty(row: &CoverRow, count: u32) -> (i64, i64) {
    let count = i64::from(count);
    let (min, ideal) = (i64::from(row.min), i64::from(row.ideal));
    let under_min = (min - count).max(0);
    let under_ideal = (ideal - count.max(min)).max(0);
    let over = (count - ideal).max(0);
    let s1 = row.under_weight * under_min * row.scale_minutes / 60;
    let s2 = (row.ideal_weight * under_ideal + row.over_weight * over) * row.scale_minutes / 60;
    (s1, s2)
}
