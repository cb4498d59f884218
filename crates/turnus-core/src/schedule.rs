//! A schedule as people and files see it: one row per worked shift, by employee id, start
//! date and shift code.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One worked shift.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Assignment {
    pub employee: String,
    /// The day the shift starts.
    pub date: Date,
    pub shift: String,
}

/// A schedule for one period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub assignments: Vec<Assignment>,
}

impl Schedule {
    /// Sorts rows by employee, date and shift, the order files are written in.
    pub fn sort(&mut self) {
        self.assignments.sort();
    }
}
