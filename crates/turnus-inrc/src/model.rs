//! The INRC-II data as the solver and the evaluator use it: a scenario, one history and the
//! week data of every week, with names resolved to dense indexes.

/// Days per week; every INRC-II week runs Monday to Sunday.
pub const DAYS_PER_WEEK: usize = 7;

/// Day names as the text format writes them, Monday first.
pub const DAY_NAMES: [&str; DAYS_PER_WEEK] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// A shift type with its limits on consecutive assignments of that type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShiftType {
    pub name: String,
    pub min_consecutive: u32,
    pub max_consecutive: u32,
}

/// A contract: limits over the horizon and on runs of working days and days off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub name: String,
    /// Total assignments over the whole horizon, history included.
    pub min_assignments: u32,
    pub max_assignments: u32,
    pub min_consecutive_work: u32,
    pub max_consecutive_work: u32,
    pub min_consecutive_off: u32,
    pub max_consecutive_off: u32,
    /// Working weekends over the whole horizon, history included.
    pub max_working_weekends: u32,
    /// Whether a weekend must be worked on both days or on neither.
    pub complete_weekends: bool,
}

/// A nurse with a contract and the skills she or he may cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Nurse {
    pub name: String,
    /// Index into [`Scenario::contracts`].
    pub contract: usize,
    /// Indexes into [`Scenario::skills`], sorted and distinct.
    pub skills: Vec<usize>,
}

/// The scenario file: everything that holds for every week of a dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    pub name: String,
    /// The number of weeks the global limits (total assignments, weekends) are meant for.
    pub weeks: usize,
    pub skills: Vec<String>,
    pub shift_types: Vec<ShiftType>,
    /// `forbidden[a][b]`: shift type `b` must not follow shift type `a` on the next day.
    pub forbidden: Vec<Vec<bool>>,
    pub contracts: Vec<Contract>,
    pub nurses: Vec<Nurse>,
}

/// The border data of one nurse at the start of the horizon.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NurseHistory {
    /// Assignments worked in earlier weeks of the horizon.
    pub assignments: u32,
    /// Working weekends in earlier weeks of the horizon.
    pub working_weekends: u32,
    /// The shift type of the last day before the horizon, `None` when it was a day off.
    pub last_shift: Option<usize>,
    /// Length of the run of `last_shift` that ends on the last day before the horizon.
    pub consecutive_same_shift: u32,
    /// Length of the run of working days that ends on the last day before the horizon.
    pub consecutive_work: u32,
    /// Length of the run of days off that ends on the last day before the horizon.
    pub consecutive_off: u32,
}

/// A history file: the week index it precedes and the border data per nurse, in the
/// scenario's nurse order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub week: usize,
    pub nurses: Vec<NurseHistory>,
}

/// Staffing bounds of one (day, shift type, skill).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Requirement {
    /// Below this head-count the roster breaks hard constraint H2.
    pub minimum: u32,
    /// Each nurse missing below this head-count costs the S1 weight.
    pub optimal: u32,
}

/// A nurse's request not to work a shift type (or any shift) on a day of the week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OffRequest {
    pub nurse: usize,
    /// `None` for "Any": the whole day off.
    pub shift: Option<usize>,
    /// 0 = Monday … 6 = Sunday.
    pub day: usize,
}

/// A week-data file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekData {
    /// `requirements[shift][skill][day]` for the seven days of the week.
    pub requirements: Vec<Vec<[Requirement; DAYS_PER_WEEK]>>,
    pub requests: Vec<OffRequest>,
}

/// An instance: a scenario, one history and a sequence of weeks, all known in advance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instance {
    /// The name, e.g. `n030w4_1_6-2-9-1`.
    pub name: String,
    pub scenario: Scenario,
    pub history: History,
    /// The week-data file index of each week, e.g. `[6, 2, 9, 1]`.
    pub week_files: Vec<usize>,
    pub weeks: Vec<WeekData>,
}

impl Instance {
    /// Number of days in the horizon.
    pub fn days(&self) -> usize {
        self.weeks.len() * DAYS_PER_WEEK
    }

    /// Staffing bounds of `day` (0-based over the horizon), shift type and skill.
    pub fn requirement(&self, day: usize, shift: usize, skill: usize) -> Requirement {
        self.weeks[day / DAYS_PER_WEEK].requirements[shift][skill][day % DAYS_PER_WEEK]
    }

    /// Returns the contract of nurse `nurse`.
    pub fn contract(&self, nurse: usize) -> &Contract {
        &self.scenario.contracts[self.scenario.nurses[nurse].contract]
    }
}

/// The parts of an instance name such as `n030w4_1_6-2-9-1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceName {
    pub dataset: String,
    pub history: usize,
    pub weeks: Vec<usize>,
}

impl InstanceName {
    /// Parses `<dataset>_<history>_<w1>-<w2>-…`; returns `None` when the text has another form.
    pub fn parse(text: &str) -> Option<InstanceName> {
        let mut parts = text.rsplitn(3, '_');
        let weeks = parts.next()?;
        let history = parts.next()?.parse().ok()?;
        let dataset = parts.next()?;
        if dataset.is_empty() || dataset.contains(['/', '\\']) {
            return None;
        }
        let weeks: Option<Vec<usize>> = weeks.split('-').map(|w| w.parse().ok()).collect();
        let weeks = weeks.filter(|w| !w.is_empty())?;
        Some(InstanceName { dataset: dataset.to_string(), history, weeks })
    }
}

impl std::fmt::Display for InstanceName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let weeks: Vec<String> = self.weeks.iter().map(usize::to_string).collect();
        write!(f, "{}_{}_{}", self.dataset, self.history, weeks.join("-"))
    }
}

/// One working assignment of a solution: a nurse covers a skill on a shift of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Assignment {
    pub nurse: usize,
    /// 0-based over the horizon.
    pub day: usize,
    pub shift: usize,
    pub skill: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_name_round_trips() {
        let name = InstanceName::parse("n030w4_1_6-2-9-1").expect("valid name");
        assert_eq!(name.dataset, "n030w4");
        assert_eq!(name.history, 1);
        assert_eq!(name.weeks, vec![6, 2, 9, 1]);
        assert_eq!(name.to_string(), "n030w4_1_6-2-9-1");
    }

    #[test]
    fn instance_name_rejects_other_forms() {
        for text in ["n030w4", "n030w4_1", "n030w4_x_1-2", "_1_2", "n030w4_1_", "n030w4_1_2--3", "a/b_1_2"] {
            assert_eq!(InstanceName::parse(text), None, "{text}");
        }
    }
}
