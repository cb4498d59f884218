//! Events after publication: an absence, a swap between two staff members, extra staff
//! booked, a resource shift (resurspass) used. They are recorded beside the published
//! version, which never changes, and feed the follow-up figures.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::audit::{AuditEntry, Change};
use crate::db::{Lock, RowExt, Store, on_conn};
use crate::error::{Dated, InvalidRequest, Result, StoreError, WrongState};
use crate::ids::{EventId, PeriodId, UnitId, VersionId};
use crate::lookup::UnitIndex;
use crate::period::{PeriodState, fetch_period};
use crate::sqltypes::{SqlDate, SqlTimestamp};

/// A change recorded after publication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventDetail {
    /// An employee is absent from `from` to `to` inclusive (sick leave, care of a child).
    Absence { employee: String, from: Date, to: Date, cause: String },
    /// `employee` gives their `shift` on `date` to `other_employee`, who may give one back.
    Swap {
        employee: String,
        date: Date,
        shift: String,
        other_employee: String,
        other_date: Option<Date>,
        other_shift: Option<String>,
    },
    /// Someone outside the schedule was booked for a shift: a staff member of the unit
    /// (`employee`) or a substitute known only by name.
    ExtraStaff { date: Date, shift: String, employee: Option<String>, name: String },
    /// A resource shift of the schedule was used to cover a need.
    ResourceShift { employee: String, date: Date, shift: String },
}

impl EventDetail {
    fn kind(&self) -> &'static str {
        match self {
            EventDetail::Absence { .. } => "absence",
            EventDetail::Swap { .. } => "swap",
            EventDetail::ExtraStaff { .. } => "extra_staff",
            EventDetail::ResourceShift { .. } => "resource_shift",
        }
    }

    /// The first date the event concerns.
    fn date(&self) -> Date {
        match self {
            EventDetail::Absence { from, .. } => *from,
            EventDetail::Swap { date, other_date, .. } => other_date.map_or(*date, |other| other.min(*date)),
            EventDetail::ExtraStaff { date, .. } | EventDetail::ResourceShift { date, .. } => *date,
        }
    }

    fn employee(&self) -> Option<&str> {
        match self {
            EventDetail::Absence { employee, .. }
            | EventDetail::Swap { employee, .. }
            | EventDetail::ResourceShift { employee, .. } => Some(employee),
            EventDetail::ExtraStaff { employee, .. } => employee.as_deref(),
        }
    }

    /// Checks names, shifts and dates against the unit and the period.
    fn check(&self, index: &UnitIndex, period: &turnus_core::Period) -> Result<()> {
        let in_period = |date: Date| {
            if period.contains(date) {
                Ok(())
            } else {
                Err(StoreError::invalid(InvalidRequest::DateOutsidePeriod {
                    row: Dated::Event,
                    date,
                    start: period.start,
                    end: period.end_inclusive(),
                }))
            }
        };
        match self {
            EventDetail::Absence { employee, from, to, .. } => {
                index.employee(employee)?;
                if to < from {
                    return Err(StoreError::invalid(InvalidRequest::AbsenceReversed {
                        from: *from,
                        to: *to,
                    }));
                }
                in_period(*from)?;
            }
            EventDetail::Swap { employee, date, shift, other_employee, other_date, other_shift } => {
                index.employee(employee)?;
                index.employee(other_employee)?;
                index.shift(shift)?;
                in_period(*date)?;
                if employee == other_employee {
                    return Err(StoreError::invalid(InvalidRequest::SwapWithSelf));
                }
                match (other_date, other_shift) {
                    (Some(other_date), Some(other_shift)) => {
                        index.shift(other_shift)?;
                        in_period(*other_date)?;
                    }
                    (None, None) => {}
                    _ => {
                        return Err(StoreError::invalid(InvalidRequest::SwapIncomplete));
                    }
                }
            }
            EventDetail::ExtraStaff { date, shift, employee, name } => {
                index.shift(shift)?;
                in_period(*date)?;
                if let Some(employee) = employee {
                    index.employee(employee)?;
                }
                if name.trim().is_empty() && employee.is_none() {
                    return Err(StoreError::invalid(InvalidRequest::ExtraStaffUnnamed));
                }
            }
            EventDetail::ResourceShift { employee, date, shift } => {
                index.employee(employee)?;
                index.shift(shift)?;
                in_period(*date)?;
            }
        }
        Ok(())
    }
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventRecord {
    pub id: EventId,
    pub period_id: PeriodId,
    /// The published version the event departs from.
    pub version_id: VersionId,
    pub detail: EventDetail,
    pub created_at: Timestamp,
    pub created_by: String,
}

impl Store {
    /// Records an event after publication. The published version stays as it is.
    ///
    /// # Errors
    ///
    /// [`StoreError::WrongState`] before publication or after the follow-up, and
    /// [`StoreError::Invalid`] for an unknown employee or shift or a date outside the period.
    pub async fn add_event(
        &self,
        unit: UnitId,
        period: PeriodId,
        detail: &EventDetail,
        change: &Change,
    ) -> Result<EventRecord> {
        let mut tx = self.begin_write().await?;
        let found = fetch_period(&mut tx.conn, unit, period, Lock::Share).await?;
        if !matches!(found.state, PeriodState::Published | PeriodState::FollowUp) {
            return Err(StoreError::WrongState(WrongState::Events { state: found.state }));
        }
        let index = UnitIndex::load(&mut tx.conn, unit).await?;
        detail.check(&index, &found.period())?;
        let employee = detail.employee().map(|e| index.employee(e)).transpose()?;
        let details = serde_json::to_string(detail)?;
        let now = tx.now;
        let created_by = change.actor.label();
        let (id, version) = on_conn!(&mut tx.conn, c => {
            let version = sqlx::query("SELECT id FROM schedule_versions WHERE period_id = $1 AND kind = 'published'")
                .bind(period.get())
                .fetch_one(&mut *c)
                .await?
                .i64("id")?;
            let id = sqlx::query(
                "INSERT INTO events (period_id, version_id, kind, employee_id, date, details, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(period.get())
            .bind(version)
            .bind(detail.kind())
            .bind(employee)
            .bind(SqlDate(detail.date()))
            .bind(&details)
            .bind(SqlTimestamp(now))
            .bind(&created_by)
            .fetch_one(&mut *c)
            .await?
            .i64("id")?;
            (id, version)
        });
        let record = EventRecord {
            id: EventId(id),
            period_id: period,
            version_id: VersionId(version),
            detail: detail.clone(),
            created_at: now,
            created_by,
        };
        tx.audit(AuditEntry::new(change, "event.create", "event", id).unit(unit).after(&record)?);
        tx.commit().await?;
        Ok(record)
    }

    /// Lists a period's events by date, then in the order recorded.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a period of another unit.
    pub async fn list_events(&self, unit: UnitId, period: PeriodId) -> Result<Vec<EventRecord>> {
        let mut tx = self.begin_read().await?;
        fetch_period(&mut tx.conn, unit, period, Lock::None).await?;
        let events = on_conn!(&mut tx.conn, c => {
            let rows = sqlx::query(
                "SELECT id, version_id, details, created_at, created_by FROM events WHERE period_id = $1 \
                 ORDER BY date, id",
            )
            .bind(period.get())
            .fetch_all(&mut *c)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(EventRecord {
                        id: EventId(row.i64("id")?),
                        period_id: period,
                        version_id: VersionId(row.i64("version_id")?),
                        detail: serde_json::from_str(&row.text("details")?)?,
                        created_at: row.timestamp("created_at")?,
                        created_by: row.text("created_by")?,
                    })
                })
                .collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(events)
    }
}
