//! Findings (one broken rule or missed goal, with its measured value and messages in Swedish
//! and English), scores, and the sinks that either collect findings or only add penalties.

use std::cmp::Ordering;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::compile::Compiled;
use crate::i18n::Lang;
use crate::rules::RuleId;
use crate::time::zoned_of_minutes;

/// A score: hard penalty first, then soft. Lower is better; `hard == 0` means legal.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Score {
    pub hard: i64,
    pub soft: i64,
}

impl Score {
    /// Whether no hard rule is broken.
    pub fn is_feasible(&self) -> bool {
        self.hard == 0
    }
}

impl Ord for Score {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.hard, self.soft).cmp(&(other.hard, other.soft))
    }
}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl std::ops::Add for Score {
    type Output = Score;
    fn add(self, o: Score) -> Score {
        Score { hard: self.hard + o.hard, soft: self.soft + o.soft }
    }
}

impl std::ops::Sub for Score {
    type Output = Score;
    fn sub(self, o: Score) -> Score {
        Score { hard: self.hard - o.hard, soft: self.soft - o.soft }
    }
}

impl std::ops::AddAssign for Score {
    fn add_assign(&mut self, o: Score) {
        self.hard += o.hard;
        self.soft += o.soft;
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}hard/{}soft", self.hard, self.soft)
    }
}

/// The unit of a finding's measured value and limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Measure {
    Minutes,
    Days,
    Count,
}

/// One broken rule or missed goal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: RuleId,
    pub hard: bool,
    /// What the finding adds to the score (0 for a note).
    pub penalty: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub employee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shift: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Date>,
    /// Local start of the interval concerned, RFC 3339 with offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub measured: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<Measure>,
    pub message_sv: String,
    pub message_en: String,
}

impl Finding {
    /// A finding with its messages; the setters below add the details.
    pub fn new(rule: RuleId, hard: bool, penalty: i64, sv: String, en: String) -> Finding {
        Finding {
            rule,
            hard,
            penalty,
            employee: None,
            shift: None,
            from: None,
            to: None,
            start: None,
            end: None,
            measured: None,
            limit: None,
            unit: None,
            message_sv: sv,
            message_en: en,
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.message_sv, &self.message_en)
    }

    pub fn employee(mut self, id: &str) -> Finding {
        self.employee = Some(id.to_string());
        self
    }

    pub fn shift(mut self, code: &str) -> Finding {
        self.shift = Some(code.to_string());
        self
    }

    pub fn dates(mut self, from: Date, to: Date) -> Finding {
        self.from = Some(from);
        self.to = Some(to);
        self
    }

    pub fn times(mut self, c: &Compiled, start: i64, end: i64) -> Finding {
        self.start = Some(local_rfc3339(c, start));
        self.end = Some(local_rfc3339(c, end));
        self
    }

    pub fn measured(mut self, value: i64, limit: i64, unit: Measure) -> Finding {
        self.measured = Some(value);
        self.limit = Some(limit);
        self.unit = Some(unit);
        self
    }
}

/// Local time with offset of an instant, e.g. `2026-03-29T07:00:00+02:00`.
pub fn local_rfc3339(c: &Compiled, minutes: i64) -> String {
    let z = zoned_of_minutes(&c.time_zone, minutes);
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// Local `YYYY-MM-DD HH:MM` of an instant, for messages.
pub fn local_short(c: &Compiled, minutes: i64) -> String {
    let z = zoned_of_minutes(&c.time_zone, minutes);
    z.strftime("%Y-%m-%d %H:%M").to_string()
}

/// Formats minutes as hours and minutes in Swedish (`10 tim 59 min`).
pub fn hm_sv(minutes: i64) -> String {
    let (h, m) = (minutes.div_euclid(60), minutes.rem_euclid(60));
    if m == 0 { format!("{h} tim") } else { format!("{h} tim {m} min") }
}

/// Formats minutes as hours and minutes in English (`10 h 59 min`).
pub fn hm_en(minutes: i64) -> String {
    let (h, m) = (minutes.div_euclid(60), minutes.rem_euclid(60));
    if m == 0 { format!("{h} h") } else { format!("{h} h {m} min") }
}

/// Where rules report. The cost-only sink never builds a [`Finding`].
pub trait FindingSink {
    /// Adds a hard penalty.
    fn hard(&mut self, penalty: i64, finding: impl FnOnce() -> Finding);
    /// Adds a soft penalty.
    fn soft(&mut self, penalty: i64, finding: impl FnOnce() -> Finding);
    /// Records a note that costs nothing, such as missing history.
    fn note(&mut self, _finding: impl FnOnce() -> Finding) {}
}

/// A sink that only sums penalties: the solver's pass.
#[derive(Debug, Default, Clone, Copy)]
pub struct CostSink {
    pub score: Score,
}

impl FindingSink for CostSink {
    #[inline]
    fn hard(&mut self, penalty: i64, _finding: impl FnOnce() -> Finding) {
        self.score.hard += penalty;
    }

    #[inline]
    fn soft(&mut self, penalty: i64, _finding: impl FnOnce() -> Finding) {
        self.score.soft += penalty;
    }
}

/// A sink that keeps every finding: the checker's and the reports' pass.
#[derive(Debug, Default, Clone)]
pub struct CollectSink {
    pub score: Score,
    pub findings: Vec<Finding>,
}

impl FindingSink for CollectSink {
    fn hard(&mut self, penalty: i64, finding: impl FnOnce() -> Finding) {
        self.score.hard += penalty;
        self.findings.push(finding());
    }

    fn soft(&mut self, penalty: i64, finding: impl FnOnce() -> Finding) {
        if penalty != 0 {
            self.score.soft += penalty;
            self.findings.push(finding());
        }
    }

    fn note(&mut self, finding: impl FnOnce() -> Finding) {
        self.findings.push(finding());
    }
}
