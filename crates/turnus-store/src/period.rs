//! Schedule periods and their workflow: draft, wishes open (until a deadline), wishes
//! closed, proposal, review, published, follow-up, closed. Only the transitions in
//! [`PeriodState::can_move_to`] are accepted; publishing goes through
//! [`Store::publish_version`], which also checks the notice period.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

use crate::audit::{AuditEntry, Change};
use crate::db::{Conn, Lock, RowExt, Store, on_conn};
use crate::error::{InvalidRequest, Result, StoreError, WrongState};
use crate::ids::{PeriodId, UnitId};
use crate::org::fetch_unit;
use crate::sqltypes::{SqlDate, SqlTimestamp};

/// Maximum period length accepted, two years, as for bundles.
pub(crate) const MAX_WEEKS: u32 = 104;

/// The step a schedule period is at in its workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodState {
    /// Being set up; nothing is visible to staff.
    Draft,
    /// Staff enter wishes until the deadline.
    WishesOpen,
    /// Wishes are frozen; the scheduler prepares a solve.
    WishesClosed,
    /// A proposal is being made (a solve job runs or ran).
    Proposal,
    /// The scheduler and the manager review and edit a proposal.
    Review,
    /// One version is published; later changes are events.
    Published,
    /// The period is running or over and its figures are followed up.
    FollowUp,
    /// Nothing changes any more.
    Closed,
}

impl PeriodState {
    /// Every state, in workflow order.
    pub const ALL: [PeriodState; 8] = [
        PeriodState::Draft,
        PeriodState::WishesOpen,
        PeriodState::WishesClosed,
        PeriodState::Proposal,
        PeriodState::Review,
        PeriodState::Published,
        PeriodState::FollowUp,
        PeriodState::Closed,
    ];

    /// The state as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodState::Draft => "draft",
            PeriodState::WishesOpen => "wishes_open",
            PeriodState::WishesClosed => "wishes_closed",
            PeriodState::Proposal => "proposal",
            PeriodState::Review => "review",
            PeriodState::Published => "published",
            PeriodState::FollowUp => "follow_up",
            PeriodState::Closed => "closed",
        }
    }

    /// Whether the workflow allows moving from `self` to `to`. Beside the forward steps,
    /// wishes may be reopened after closing, and a review may go back to a new proposal
    /// (re-solving around pinned assignments).
    pub fn can_move_to(self, to: PeriodState) -> bool {
        use PeriodState::*;
        matches!(
            (self, to),
            (Draft, WishesOpen)
                | (WishesOpen, WishesClosed)
                | (WishesClosed, WishesOpen)
                | (WishesClosed, Proposal)
                | (Proposal, Review)
                | (Review, Proposal)
                | (Review, Published)
                | (Published, FollowUp)
                | (FollowUp, Closed)
        )
    }

    /// Whether the schedule of the period is published (published, follow-up or closed).
    pub fn is_published(self) -> bool {
        matches!(self, PeriodState::Published | PeriodState::FollowUp | PeriodState::Closed)
    }
}

impl fmt::Display for PeriodState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PeriodState {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<PeriodState> {
        PeriodState::ALL
            .into_iter()
            .find(|state| state.as_str() == s)
            .ok_or_else(|| StoreError::invalid(InvalidRequest::UnknownPeriodState { name: s.to_string() }))
    }
}

/// A schedule period of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchedulePeriod {
    pub id: PeriodId,
    pub unit_id: UnitId,
    pub start: Date,
    pub weeks: u32,
    pub state: PeriodState,
    /// When staff stop entering wishes; set when wishes open.
    pub wishes_deadline: Option<Timestamp>,
    /// Whether history before the period was given (an empty history differs from none).
    pub history_known: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub row_version: i64,
}

impl SchedulePeriod {
    /// The period as the core model sees it.
    pub fn period(&self) -> turnus_core::Period {
        turnus_core::Period { start: self.start, weeks: self.weeks }
    }
}

pub(crate) const PERIOD_COLUMNS: &str = "id, unit_id, start_date, weeks, state, wishes_deadline, history_known, created_at, updated_at, row_version";

pub(crate) fn period_from_row(row: &impl RowExt) -> Result<SchedulePeriod> {
    Ok(SchedulePeriod {
        id: PeriodId(row.i64("id")?),
        unit_id: UnitId(row.i64("unit_id")?),
        start: row.date("start_date")?,
        weeks: u32::try_from(row.i64("weeks")?).map_err(|_| StoreError::Corrupt("negative weeks".into()))?,
        state: row.text("state")?.parse().map_err(|e: StoreError| StoreError::Corrupt(e.to_string()))?,
        wishes_deadline: row.opt_timestamp("wishes_deadline")?,
        history_known: row.boolean("history_known")?,
        created_at: row.timestamp("created_at")?,
        updated_at: row.timestamp("updated_at")?,
        row_version: row.i64("row_version")?,
    })
}

/// Reads a period of `unit`. A period of another unit is reported as not found, like a
/// missing one.
pub(crate) async fn fetch_period(
    conn: &mut Conn,
    unit: UnitId,
    period: PeriodId,
    lock: Lock,
) -> Result<SchedulePeriod> {
    let suffix = conn.lock_clause(lock);
    let sql = format!("SELECT {PERIOD_COLUMNS} FROM schedule_periods WHERE id = $1 AND unit_id = $2{suffix}");
    let found = on_conn!(conn, c => {
        match sqlx::query(&sql).bind(period.get()).bind(unit.get()).fetch_optional(&mut *c).await? {
            Some(row) => Some(period_from_row(&row)?),
            None => None,
        }
    });
    found.ok_or_else(|| StoreError::not_found("schedule period", period))
}

/// Inserts a period in state draft.
pub(crate) async fn insert_period(
    conn: &mut Conn,
    unit: UnitId,
    start: Date,
    weeks: u32,
    history_known: bool,
    now: Timestamp,
) -> Result<SchedulePeriod> {
    if weeks == 0 || weeks > MAX_WEEKS {
        return Err(StoreError::invalid(InvalidRequest::Weeks { weeks, max: MAX_WEEKS }));
    }
    let sql = format!(
        "INSERT INTO schedule_periods (unit_id, start_date, weeks, state, history_known, created_at, updated_at) \
         VALUES ($1, $2, $3, 'draft', $4, $5, $5) RETURNING {PERIOD_COLUMNS}"
    );
    let created = on_conn!(conn, c => {
        let row = sqlx::query(&sql)
            .bind(unit.get())
            .bind(SqlDate(start))
            .bind(i64::from(weeks))
            .bind(history_known)
            .bind(SqlTimestamp(now))
            .fetch_one(&mut *c)
            .await?;
        period_from_row(&row)?
    });
    Ok(created)
}

/// Moves a locked period to `to`, setting the deadline, and returns it as stored.
pub(crate) async fn set_period_state(
    conn: &mut Conn,
    period: &SchedulePeriod,
    to: PeriodState,
    deadline: Option<Timestamp>,
    now: Timestamp,
) -> Result<SchedulePeriod> {
    let sql = format!(
        "UPDATE schedule_periods SET state = $1, wishes_deadline = $2, updated_at = $3, row_version = row_version + 1 \
         WHERE id = $4 AND row_version = $5 RETURNING {PERIOD_COLUMNS}"
    );
    let updated = on_conn!(conn, c => {
        match sqlx::query(&sql)
            .bind(to.as_str())
            .bind(deadline.map(SqlTimestamp))
            .bind(SqlTimestamp(now))
            .bind(period.id.get())
            .bind(period.row_version)
            .fetch_optional(&mut *c)
            .await?
        {
            Some(row) => Some(period_from_row(&row)?),
            None => None,
        }
    });
    updated.ok_or_else(|| {
        StoreError::conflict("schedule period", period.id, "the period changed while moving it")
    })
}

impl Store {
    /// Creates an empty period in state draft. Staff, shift types and demand come from the
    /// unit; wishes, absences, history and pins are added to the period.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown unit, [`StoreError::Invalid`] for a length
    /// outside 1 to 104 weeks.
    pub async fn create_period(
        &self,
        unit: UnitId,
        start: Date,
        weeks: u32,
        change: &Change,
    ) -> Result<SchedulePeriod> {
        let mut tx = self.begin_write().await?;
        fetch_unit(&mut tx.conn, unit, Lock::None).await?;
        let created = insert_period(&mut tx.conn, unit, start, weeks, false, tx.now).await?;
        tx.audit(
            AuditEntry::new(change, "period.create", "schedule_period", created.id)
                .unit(unit)
                .after(&created)?,
        );
        tx.commit().await?;
        Ok(created)
    }

    /// Reads a period of a unit.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] when the period does not exist or belongs to another unit.
    pub async fn get_period(&self, unit: UnitId, period: PeriodId) -> Result<SchedulePeriod> {
        let mut tx = self.begin_read().await?;
        let found = fetch_period(&mut tx.conn, unit, period, Lock::None).await?;
        tx.finish().await?;
        Ok(found)
    }

    /// Lists a unit's periods, newest start first.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails.
    pub async fn list_periods(&self, unit: UnitId) -> Result<Vec<SchedulePeriod>> {
        let sql = format!(
            "SELECT {PERIOD_COLUMNS} FROM schedule_periods WHERE unit_id = $1 ORDER BY start_date DESC, id DESC"
        );
        let mut tx = self.begin_read().await?;
        let periods = on_conn!(&mut tx.conn, c => {
            let rows = sqlx::query(&sql).bind(unit.get()).fetch_all(&mut *c).await?;
            rows.iter().map(period_from_row).collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(periods)
    }

    /// Moves a period to the next workflow state.
    ///
    /// `wishes_deadline` is required when opening wishes and must lie in the future; other
    /// moves take `None` and keep the deadline that was set.
    ///
    /// # Errors
    ///
    /// [`StoreError::WrongState`] for a transition the workflow does not allow.
    /// [`StoreError::Invalid`] for `Published` (use [`Store::publish_version`]), for moving to review without a
    /// proposal, and for a missing or past deadline. [`StoreError::NotFound`] for a period of
    /// another unit.
    pub async fn transition_period(
        &self,
        unit: UnitId,
        period: PeriodId,
        to: PeriodState,
        wishes_deadline: Option<Timestamp>,
        change: &Change,
    ) -> Result<SchedulePeriod> {
        if to == PeriodState::Published {
            return Err(StoreError::invalid(InvalidRequest::PublishThroughVersion));
        }
        let mut tx = self.begin_write().await?;
        let before = fetch_period(&mut tx.conn, unit, period, Lock::Update).await?;
        if !before.state.can_move_to(to) {
            return Err(StoreError::WrongState(WrongState::Move { from: before.state, to }));
        }

        let deadline = match (to, wishes_deadline) {
            (PeriodState::WishesOpen, Some(deadline)) if deadline > tx.now => Some(deadline),
            (PeriodState::WishesOpen, Some(deadline)) => {
                return Err(StoreError::invalid(InvalidRequest::DeadlinePassed { deadline }));
            }
            (PeriodState::WishesOpen, None) => {
                return Err(StoreError::invalid(InvalidRequest::DeadlineMissing));
            }
            (_, Some(_)) => return Err(StoreError::invalid(InvalidRequest::DeadlineWithoutWishes)),
            (_, None) => before.wishes_deadline,
        };
        if to == PeriodState::Review {
            let proposals = on_conn!(&mut tx.conn, c => {
                sqlx::query("SELECT count(*) AS n FROM schedule_versions WHERE period_id = $1")
                    .bind(period.get())
                    .fetch_one(&mut *c)
                    .await?
                    .i64("n")?
            });
            if proposals == 0 {
                return Err(StoreError::invalid(InvalidRequest::NothingToReview));
            }
        }

        let after = set_period_state(&mut tx.conn, &before, to, deadline, tx.now).await?;
        tx.audit(
            AuditEntry::new(change, "period.transition", "schedule_period", period)
                .unit(unit)
                .before(
                    &serde_json::json!({ "state": before.state, "wishes_deadline": before.wishes_deadline }),
                )?
                .after(
                    &serde_json::json!({ "state": after.state, "wishes_deadline": after.wishes_deadline }),
                )?,
        );
        tx.commit().await?;
        tracing::info!(unit = %unit, period = %period, from = %before.state, to = %to, "period moved");
        Ok(after)
    }
}
