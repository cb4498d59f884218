//! Turnus storage: the database schema and its migrations, the repository functions the
//! server calls, the append-only audit log and the solve job queue, on SQLite (an embedded
//! file, the default) or PostgreSQL (for many units and workers on several machines).
//!
//! # Two backends, one set of queries
//!
//! [`Store`] contains an enum of a `SqlitePool` and a `PgPool`. Repository functions are
//! written once: the `on_conn!` macro expands a block of `sqlx::query` calls into one arm
//! per backend, so the same SQL text and binds are compiled and type-checked against both
//! drivers. The SQL uses `$1`-style parameters, which both accept, and otherwise the subset
//! both understand; the few differences (`FOR UPDATE`, `SKIP LOCKED`) are chosen per
//! backend at run time. Dates, clock times and instants go through small wrapper types
//! that store `date`, `time` and `timestamptz` on PostgreSQL and fixed-width ISO text on
//! SQLite.
//!
//! sqlx's `Any` driver was not used: it maps values to a few common types, so it cannot
//! bind `timestamptz` or `date` parameters, and the schema would have had to store every
//! instant as text on PostgreSQL too. Compile-time checked `query!` macros are not used
//! either, since they need a live database while building.
//!
//! # Transactions and the audit log
//!
//! Every mutating function runs in one transaction that also appends its audit row (who,
//! when, what, before, after, why), so a change and its record commit together or not at
//! all. On SQLite writers begin with `BEGIN IMMEDIATE` and so run one at a time. Before
//! that, the writers of one process queue for the lock in arrival order. On PostgreSQL
//! rows read for a change are locked with `FOR UPDATE`, and audit appends are serialised
//! by a lock on the chain head row. Functions that change no business data are
//! not audited: job heartbeats, session touches, login attempts and their pruning.
//!
//! # Scoping
//!
//! Authorisation is the server's job, but every function on a unit's data takes the unit
//! id and answers [`StoreError::NotFound`] for a row of another unit, so a route that
//! checked the caller's grant for the unit cannot reach past it.

mod audit;
mod calendar;
mod db;
mod error;
mod events;
mod ids;
mod jobs;
mod lookup;
mod org;
mod period;
mod problem;
mod rules;
mod sqltypes;
mod unit_data;
mod users;
mod versions;
mod wishes;
mod wording;

pub use audit::{Actor, AuditBreak, AuditQuery, AuditRecord, AuditVerification, Change, GENESIS_HASH};
pub use calendar::{CalendarFeed, CalendarToken};
pub use db::{Backend, Health, SqliteSettings, Store, StoreOptions};
pub use error::{Dated, Field, InvalidRequest, Keyed, Result, StoreError, WrongState};
pub use events::{EventDetail, EventRecord};
pub use ids::{
    AssignmentId, EventId, GrantId, JobId, OrgId, PeriodId, SessionId, TokenId, UnitId, UserId, VersionId,
    WishId,
};
pub use jobs::{DEFAULT_MAX_ATTEMPTS, Job, JobControl, JobState};
pub use org::{DEFAULT_PUBLISH_NOTICE_DAYS, NewUnit, Organisation, Unit};
pub use period::{PeriodState, SchedulePeriod};
pub use unit_data::{DemandId, DemandRecord, EmployeeRecord, ShiftTypeRecord};
pub use users::{ApiToken, Grant, LoginFailures, MIN_TOKEN_LEN, NewUser, Role, Session, User};
pub use versions::{AssignmentEdit, AssignmentRecord, NewVersion, Publication, VersionKind, VersionRecord};
pub use wishes::WishRecord;
pub use wording::{DbFailure, DbFailureKind, Message, db_failure};
