//! The store's error type. Callers act on the kind: a missing or foreign row is
//! [`StoreError::NotFound`], a stale row version or a lost job lease is
//! [`StoreError::Conflict`], a request the period's workflow state does not allow is
//! [`StoreError::WrongState`], and any other request that breaks a domain rule is
//! [`StoreError::Invalid`].

use turnus_core::{ProblemError, RuleId};

use crate::period::PeriodState;

/// An error from a store function.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row does not exist, or it belongs to another unit than the one named.
    #[error("{entity} {id} not found")]
    NotFound { entity: &'static str, id: String },

    /// The row changed since the caller read it: another user saved first, another worker
    /// holds the job, or the row's state moved on. Reload and retry.
    #[error("{entity} {id} was changed concurrently: {message}")]
    Conflict {
        entity: &'static str,
        id: String,
        message: String,
        /// The row version now stored, when the conflict is a stale row version.
        current_row_version: Option<i64>,
    },

    /// The period's workflow state does not allow the request. Typed, so that callers can
    /// word it in the user's language.
    #[error("invalid request: {0}")]
    WrongState(WrongState),

    /// The publication is later than the unit's notice period and gives no reason.
    #[error(
        "invalid request: the schedule is published {days_before_start} days before the period starts, \
         less than the notice period of {notice_days} days; give a reason"
    )]
    LatePublication { days_before_start: i64, notice_days: u32 },

    /// The version to publish still breaks hard rules, and the request gives no reason to
    /// publish it anyway. `rules` counts the hard findings per rule, in catalog order.
    #[error(
        "invalid request: the schedule version breaks hard rules {count} times ({}); give a reason to publish it anyway",
        .rules.iter().map(|(rule, n)| format!("{rule} {n}")).collect::<Vec<_>>().join(", ")
    )]
    HardFindings { count: usize, rules: Vec<(RuleId, usize)> },

    /// Another user already has the user name (user names compare in lowercase).
    #[error("the user name {username} is taken")]
    UsernameTaken { username: String },

    /// The request breaks another rule of the domain, such as a date outside the period or
    /// an unknown employee.
    #[error("invalid request: {0}")]
    Invalid(String),

    /// The problem to import has contradictions; every one is listed.
    #[error("invalid problem: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    InvalidProblem(Vec<ProblemError>),

    /// A stored value cannot be read back (for example an unknown rule override key written
    /// by a newer version of Turnus).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),

    /// The database failed or refused the statement.
    #[error("database error: {0}")]
    Db(#[from] sqlx::Error),

    /// Running the embedded migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A request that the state of its schedule period does not allow, with the state found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum WrongState {
    /// Publishing a version needs the period under review.
    #[error("only a period under review can be published; this one is {state}")]
    Publish { state: PeriodState },

    /// Assignments change only while the period is in proposal or review.
    #[error("assignments change only while the period is in proposal or review; it is {state}")]
    EditAssignments { state: PeriodState },

    /// The workflow has no step from `from` to `to`.
    #[error("a period cannot move from {from} to {to}")]
    Move { from: PeriodState, to: PeriodState },

    /// The period is published or later, so it takes no new proposal or solve.
    #[error("the period is already {state}")]
    AlreadyPublished { state: PeriodState },

    /// Wishes change only until the period is published.
    #[error("wishes cannot change once the period is published (state {state})")]
    Wishes { state: PeriodState },

    /// Pins change only until the period is published.
    #[error("pins cannot change once the period is published (state {state})")]
    Pins { state: PeriodState },
}

/// Shorthand for results of store functions.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    pub(crate) fn not_found(entity: &'static str, id: impl ToString) -> StoreError {
        StoreError::NotFound { entity, id: id.to_string() }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> StoreError {
        StoreError::Invalid(message.into())
    }

    pub(crate) fn stale(entity: &'static str, id: impl ToString, expected: i64, current: i64) -> StoreError {
        StoreError::Conflict {
            entity,
            id: id.to_string(),
            message: format!("expected row version {expected}, found {current}"),
            current_row_version: Some(current),
        }
    }

    pub(crate) fn conflict(
        entity: &'static str,
        id: impl ToString,
        message: impl Into<String>,
    ) -> StoreError {
        StoreError::Conflict {
            entity,
            id: id.to_string(),
            message: message.into(),
            current_row_version: None,
        }
    }

    /// Maps a unique-constraint violation to a conflict on `entity`, leaving other errors as
    /// they are.
    pub(crate) fn unique_as_conflict(self, entity: &'static str, id: impl ToString) -> StoreError {
        match &self {
            StoreError::Db(sqlx::Error::Database(e)) if e.is_unique_violation() => {
                StoreError::conflict(entity, id, "a row with the same key exists")
            }
            _ => self,
        }
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> StoreError {
        StoreError::Corrupt(format!("JSON: {e}"))
    }
}
