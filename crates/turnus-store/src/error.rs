//! The store's error type. Callers act on the kind: a missing or foreign row is
//! [`StoreError::NotFound`], a stale row version or a lost job lease is
//! [`StoreError::Conflict`], a request the period's workflow state does not allow is
//! [`StoreError::WrongState`], and any other request that breaks a domain rule is
//! [`StoreError::Invalid`]. Both carry typed reasons, so [`StoreError::message`] words each
//! one whole in Swedish and English for the server and the command line. The English texts
//! here are for logs.

use jiff::Timestamp;
use jiff::civil::Date;
use turnus_core::{ProblemError, RuleId};

use crate::jobs::JobState;
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
    /// an unknown employee. Typed, so that callers can word it in the user's language.
    #[error("invalid request: {0}")]
    Invalid(InvalidRequest),

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

    /// Events are recorded only while the period is published or in follow-up.
    #[error("events are recorded for a published period; this one is {state}")]
    Events { state: PeriodState },
}

/// A value that must not be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    OrganisationName,
    UnitName,
    EmployeeId,
    SkillCode,
    ShiftCode,
    TokenName,
    WorkerId,
    /// The reason to publish a version that breaks hard rules.
    OverrideReason,
}

impl Field {
    fn name(self) -> &'static str {
        match self {
            Field::OrganisationName => "organisation name",
            Field::UnitName => "unit name",
            Field::EmployeeId => "employee id",
            Field::SkillCode => "skill code",
            Field::ShiftCode => "shift code",
            Field::TokenName => "token name",
            Field::WorkerId => "worker id",
            Field::OverrideReason => "reason to publish despite hard findings",
        }
    }
}

/// A unit's row that is deactivated rather than deleted, and keyed by an id of the unit's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyed {
    /// Keyed by the employee id (anställningsnummer).
    Employee,
    /// Keyed by the shift code.
    ShiftType,
}

impl Keyed {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Keyed::Employee => "employee",
            Keyed::ShiftType => "shift type",
        }
    }
}

/// A row of a period that has a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dated {
    Wish,
    Pin,
    Event,
    Assignment,
}

impl Dated {
    fn name(self) -> &'static str {
        match self {
            Dated::Wish => "wish",
            Dated::Pin => "pin",
            Dated::Event => "event",
            Dated::Assignment => "assignment",
        }
    }
}

/// A request that breaks a rule of the domain, with the values the message needs. Requests
/// that the period's workflow state does not allow are [`WrongState`] instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvalidRequest {
    /// A name, id or code is empty or only spaces.
    #[error("the {} is empty", .field.name())]
    Empty { field: Field },

    /// The unit has no active employee with this id.
    #[error("the unit has no active employee {id:?}")]
    UnknownEmployee { id: String },

    /// The unit has no active shift type with this code.
    #[error("the unit has no active shift type {code:?}")]
    UnknownShiftType { code: String },

    /// A date lies outside the schedule period from `start` to `end`, both inclusive.
    #[error("{} date {date} is outside the period {start} to {end}", .row.name())]
    DateOutsidePeriod { row: Dated, date: Date, start: Date, end: Date },

    /// A period has 1 to `max` weeks.
    #[error("a period has 1 to {max} weeks, not {weeks}")]
    Weeks { weeks: u32, max: u32 },

    /// The notice period before publication is above `max` days.
    #[error("a notice period of {days} days is above the maximum of {max}")]
    NoticeTooLong { days: u32, max: u32 },

    /// The time zone is not in the tz database.
    #[error("unknown time zone {name:?}; use an IANA name such as Europe/Stockholm")]
    UnknownTimeZone { name: String },

    /// The employee id or shift code of an existing row was changed.
    #[error("the {} key {from:?} cannot change to {to:?}; add a new one instead", .row.name())]
    KeyChange { row: Keyed, from: String, to: String },

    /// The row is deactivated, so it cannot be changed until it is brought back.
    #[error("{} {key:?} is deactivated", .row.name())]
    Deactivated { row: Keyed, key: String },

    /// The row is already deactivated.
    #[error("{} {key:?} is already deactivated", .row.name())]
    AlreadyDeactivated { row: Keyed, key: String },

    /// The row is active, so there is nothing to reactivate.
    #[error("{} {key:?} is active", .row.name())]
    AlreadyActive { row: Keyed, key: String },

    /// Demand rows use the shift type, so it cannot be deactivated.
    #[error("{demand_rows} demand rows use shift type {code:?}; delete them first")]
    ShiftTypeInUse { code: String, demand_rows: i64 },

    /// A dated skill sent with an employee names another employee.
    #[error("a dated skill of {grant_employee:?} is given for employee {employee:?}")]
    GrantOfOtherEmployee { grant_employee: String, employee: String },

    /// A full-time measure of 0 hours; an empty one takes the rule set's.
    #[error("the full-time measure is 0 hours; leave it empty for the rule set's")]
    FullTimeZero,

    /// A wish priority other than 1, 2 or 3.
    #[error("wish priority {priority} must be 1, 2 or 3")]
    WishPriority { priority: u8 },

    /// A wish to avoid a shift names no shift.
    #[error("a wish to avoid a shift must name the shift")]
    AvoidWithoutShift,

    /// An update moves a wish to another employee.
    #[error("a wish of {from:?} cannot be moved to {to:?}; delete it and add a new one")]
    WishOfOtherEmployee { from: String, to: String },

    /// A transition to published, which only publishing a version makes.
    #[error("publish a schedule version to publish the period")]
    PublishThroughVersion,

    /// Opening wishes with a deadline in the past.
    #[error("the wish deadline {deadline} has passed")]
    DeadlinePassed { deadline: Timestamp },

    /// Opening wishes without a deadline.
    #[error("opening wishes needs a deadline")]
    DeadlineMissing,

    /// A deadline with a transition other than opening wishes.
    #[error("only opening wishes sets a deadline")]
    DeadlineWithoutWishes,

    /// A move to review while the period has no schedule version.
    #[error("the period has no schedule version to review")]
    NothingToReview,

    /// A change to a published schedule version, which never changes.
    #[error("a published schedule version cannot change; record an event instead")]
    VersionPublished,

    /// Publishing a version that is already published.
    #[error("the version is already published")]
    VersionAlreadyPublished,

    /// A schedule gives one employee the same shift twice on `date`.
    #[error("the schedule contains the same shift twice for one employee on {date}")]
    DuplicateAssignment { date: Date },

    /// The days from today to the period start cannot be counted (dates out of range).
    #[error("cannot count days from {today} to {start}")]
    DaysToStart { today: Date, start: Date },

    /// An absence event that ends before it starts.
    #[error("absence ends {to} before it starts {from}")]
    AbsenceReversed { from: Date, to: Date },

    /// A swap of an employee with themselves.
    #[error("a swap needs two different employees")]
    SwapWithSelf,

    /// A swap that gives a shift back with only its date or only its shift.
    #[error("a shift given back needs both its date and its shift")]
    SwapIncomplete,

    /// Extra staff with neither a name nor an employee.
    #[error("extra staff needs a name or an employee")]
    ExtraStaffUnnamed,

    /// A staff (medarbetare) grant without its employee.
    #[error("a staff grant must name the employee")]
    StaffGrantWithoutEmployee,

    /// A grant of another role that names an employee.
    #[error("only a staff grant names an employee")]
    EmployeeOnOtherGrant,

    /// A user name that is empty or longer than `max` characters.
    #[error("a user name has 1 to {max} characters")]
    UsernameLength { max: usize },

    /// A user name with white space or a control character.
    #[error("user name {name:?} contains a space or control character")]
    UsernameCharacters { name: String },

    /// A password hash that is not an Argon2id PHC string.
    #[error("the password hash must be an Argon2id PHC string ($argon2id$…)")]
    PasswordHash,

    /// A session or API token shorter than `min` characters.
    #[error("a token needs at least {min} characters of random data")]
    TokenTooShort { min: usize },

    /// A session whose expiry is not after its start.
    #[error("the session expires before it starts")]
    SessionExpired,

    /// A period state name that Turnus does not know.
    #[error("unknown period state {name:?}")]
    UnknownPeriodState { name: String },

    /// A job lease too long to add to the current time.
    #[error("lease too long")]
    LeaseTooLong,

    /// A job progress outside 0 to 1.
    #[error("progress {progress} is outside 0 to 1")]
    Progress { progress: f64 },

    /// Cancelling a job that has ended.
    #[error("the job has ended ({})", .state.as_str())]
    JobEnded { state: JobState },

    /// A database URL that does not parse; `message` is the driver's.
    #[error("invalid database URL: {message}")]
    DatabaseUrl { message: String },

    /// A database URL of another scheme than postgres or sqlite.
    #[error("unsupported database URL {scheme:?}; use postgres://…, sqlite://PATH or a file path")]
    DatabaseScheme { scheme: String },

    /// An empty database path.
    #[error("empty database path; give a file path such as turnus.db")]
    DatabasePathEmpty,

    /// A backup of a PostgreSQL database, which `pg_dump` makes.
    #[error("only SQLite databases are copied; back up PostgreSQL with pg_dump")]
    BackupNeedsSqlite,

    /// A backup path that is not UTF-8.
    #[error("the backup path is not UTF-8")]
    BackupPathNotUtf8,
}

/// Shorthand for results of store functions.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    pub(crate) fn not_found(entity: &'static str, id: impl ToString) -> StoreError {
        StoreError::NotFound { entity, id: id.to_string() }
    }

    pub(crate) fn invalid(rejection: InvalidRequest) -> StoreError {
        StoreError::Invalid(rejection)
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
