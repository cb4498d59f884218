//! Wishes: staff members' requests for one date of a period (work a shift, be off, avoid a
//! shift), each owned by one employee. Wishes can change until the period is published;
//! who may change them, and until which deadline, is the server's decision.

use jiff::Timestamp;
use serde::Serialize;
use turnus_core::{Wish, WishKind};

use crate::audit::{AuditEntry, Change};
use crate::db::{Conn, Lock, RowExt, Store, on_conn};
use crate::error::{Dated, InvalidRequest, Result, StoreError, WrongState};
use crate::ids::{PeriodId, UnitId, WishId};
use crate::period::{PERIOD_COLUMNS, fetch_period, period_from_row};
use crate::sqltypes::{SqlDate, SqlTimestamp};

/// A stored wish.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WishRecord {
    pub id: WishId,
    pub period_id: PeriodId,
    pub wish: Wish,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Incremented on every change; updates and deletes name the version they saw.
    pub row_version: i64,
}

/// The `kind` column and shift code of a wish kind.
pub(crate) fn kind_columns(kind: &WishKind) -> (&'static str, Option<&str>) {
    match kind {
        WishKind::Work(shift) => ("work", shift.as_deref()),
        WishKind::Off => ("off", None),
        WishKind::Avoid(shift) => ("avoid", Some(shift.as_str())),
    }
}

pub(crate) fn kind_from_columns(kind: &str, shift: Option<String>) -> Result<WishKind> {
    match (kind, shift) {
        ("work", shift) => Ok(WishKind::Work(shift)),
        ("off", None) => Ok(WishKind::Off),
        ("avoid", Some(shift)) => Ok(WishKind::Avoid(shift)),
        (kind, shift) => Err(StoreError::Corrupt(format!("wish kind {kind:?} with shift {shift:?}"))),
    }
}

const WISH_SELECT: &str = "SELECT w.id, w.period_id, w.date, w.kind, w.priority, w.created_at, w.updated_at, \
     w.row_version, e.external_id, st.code \
     FROM wishes w \
     JOIN schedule_periods p ON p.id = w.period_id \
     JOIN employees e ON e.id = w.employee_id \
     LEFT JOIN shift_types st ON st.id = w.shift_type_id";

fn wish_from_row(row: &impl RowExt) -> Result<WishRecord> {
    let priority = row.i64("priority")?;
    Ok(WishRecord {
        id: WishId(row.i64("id")?),
        period_id: PeriodId(row.i64("period_id")?),
        wish: Wish {
            employee: row.text("external_id")?,
            date: row.date("date")?,
            kind: kind_from_columns(&row.text("kind")?, row.opt_text("code")?)?,
            priority: u8::try_from(priority)
                .map_err(|_| StoreError::Corrupt(format!("priority {priority}")))?,
        },
        created_at: row.timestamp("created_at")?,
        updated_at: row.timestamp("updated_at")?,
        row_version: row.i64("row_version")?,
    })
}

async fn fetch_wish(conn: &mut Conn, unit: UnitId, wish: WishId) -> Result<WishRecord> {
    let sql = format!("{WISH_SELECT} WHERE w.id = $1 AND p.unit_id = $2");
    let found = on_conn!(conn, c => {
        match sqlx::query(&sql).bind(wish.get()).bind(unit.get()).fetch_optional(&mut *c).await? {
            Some(row) => Some(wish_from_row(&row)?),
            None => None,
        }
    });
    found.ok_or_else(|| StoreError::not_found("wish", wish))
}

/// Reads the period of a wish change, share-locked on PostgreSQL, checks the wish against it
/// and returns the ids of its employee and shift type among the unit's active ones. One
/// query reads the period and looks up both ids, because it runs while the write lock is
/// held.
async fn check_wish(
    conn: &mut Conn,
    unit: UnitId,
    period: PeriodId,
    wish: &Wish,
) -> Result<(i64, Option<i64>)> {
    let (_, shift) = kind_columns(&wish.kind);
    let lock = conn.lock_clause(Lock::Share);
    let sql = format!(
        "SELECT {PERIOD_COLUMNS}, \
         (SELECT id FROM employees WHERE unit_id = $2 AND external_id = $3 AND active = TRUE) AS employee_id, \
         (SELECT id FROM shift_types WHERE unit_id = $2 AND code = $4 AND active = TRUE) AS shift_type_id \
         FROM schedule_periods WHERE id = $1 AND unit_id = $2{lock}"
    );
    let found = on_conn!(conn, c => {
        match sqlx::query(&sql)
            .bind(period.get())
            .bind(unit.get())
            .bind(&wish.employee)
            .bind(shift)
            .fetch_optional(&mut *c)
            .await?
        {
            Some(row) => Some((period_from_row(&row)?, row.opt_i64("employee_id")?, row.opt_i64("shift_type_id")?)),
            None => None,
        }
    });
    let Some((period, employee_id, shift_id)) = found else {
        return Err(StoreError::not_found("schedule period", period));
    };

    if period.state.is_published() {
        return Err(StoreError::WrongState(WrongState::Wishes { state: period.state }));
    }
    if !(1..=3).contains(&wish.priority) {
        return Err(StoreError::invalid(InvalidRequest::WishPriority { priority: wish.priority }));
    }
    if !period.period().contains(wish.date) {
        return Err(StoreError::invalid(InvalidRequest::DateOutsidePeriod {
            row: Dated::Wish,
            date: wish.date,
            start: period.start,
            end: period.period().end_inclusive(),
        }));
    }
    let employee = employee_id
        .ok_or_else(|| StoreError::invalid(InvalidRequest::UnknownEmployee { id: wish.employee.clone() }))?;
    if matches!(wish.kind, WishKind::Avoid(ref code) if code.is_empty()) {
        return Err(StoreError::invalid(InvalidRequest::AvoidWithoutShift));
    }
    let shift = match (shift, shift_id) {
        (Some(code), None) => {
            return Err(StoreError::invalid(InvalidRequest::UnknownShiftType { code: code.to_string() }));
        }
        (_, id) => id,
    };
    Ok((employee, shift))
}

impl Store {
    /// Adds a wish to a period.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a period of another unit; [`StoreError::Invalid`] for an
    /// unknown employee or shift, a date outside the period or a priority outside 1 to 3;
    /// [`StoreError::WrongState`] for a published period.
    pub async fn add_wish(
        &self,
        unit: UnitId,
        period: PeriodId,
        wish: &Wish,
        change: &Change,
    ) -> Result<WishRecord> {
        let mut tx = self.begin_write().await?;
        let (employee, shift) = check_wish(&mut tx.conn, unit, period, wish).await?;
        let (kind, _) = kind_columns(&wish.kind);
        let now = tx.now;
        // The row is the wish as given: its employee and shift code were just looked up
        // by these exact values, so reading it back would return the same.
        let record = on_conn!(&mut tx.conn, c => {
            let row = sqlx::query(
                "INSERT INTO wishes (period_id, employee_id, date, kind, shift_type_id, priority, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id, period_id, created_at, updated_at, row_version",
            )
            .bind(period.get())
            .bind(employee)
            .bind(SqlDate(wish.date))
            .bind(kind)
            .bind(shift)
            .bind(i64::from(wish.priority))
            .bind(SqlTimestamp(now))
            .fetch_one(&mut *c)
            .await?;
            WishRecord {
                id: WishId(row.i64("id")?),
                period_id: PeriodId(row.i64("period_id")?),
                wish: wish.clone(),
                created_at: row.timestamp("created_at")?,
                updated_at: row.timestamp("updated_at")?,
                row_version: row.i64("row_version")?,
            }
        });
        tx.audit(AuditEntry::new(change, "wish.create", "wish", record.id).unit(unit).after(&record.wish)?);
        tx.commit().await?;
        Ok(record)
    }

    /// Reads a wish.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] when the wish does not exist or belongs to another unit.
    pub async fn get_wish(&self, unit: UnitId, wish: WishId) -> Result<WishRecord> {
        let mut tx = self.begin_read().await?;
        let found = fetch_wish(&mut tx.conn, unit, wish).await?;
        tx.finish().await?;
        Ok(found)
    }

    /// Lists a period's wishes in the order they were added, optionally of one employee.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a period of another unit.
    pub async fn list_wishes(
        &self,
        unit: UnitId,
        period: PeriodId,
        employee: Option<&str>,
    ) -> Result<Vec<WishRecord>> {
        // One employee's wishes are found through the index on (period, employee), which a
        // filter on the joined external id could not use.
        let of_employee = match employee {
            Some(_) => {
                " AND w.employee_id = (SELECT id FROM employees WHERE unit_id = $2 AND external_id = $3)"
            }
            None => "",
        };
        let sql =
            format!("{WISH_SELECT} WHERE w.period_id = $1 AND p.unit_id = $2{of_employee} ORDER BY w.id");
        let mut tx = self.begin_read().await?;
        fetch_period(&mut tx.conn, unit, period, Lock::None).await?;
        let wishes = on_conn!(&mut tx.conn, c => {
            let mut query = sqlx::query(&sql).bind(period.get()).bind(unit.get());
            if let Some(employee) = employee {
                query = query.bind(employee);
            }
            let rows = query.fetch_all(&mut *c).await?;
            rows.iter().map(wish_from_row).collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(wishes)
    }

    /// Replaces a wish's date, kind and priority. The employee who owns a wish cannot change.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] when the wish's row version is no longer
    /// `expected_row_version`; otherwise as [`Store::add_wish`].
    pub async fn update_wish(
        &self,
        unit: UnitId,
        wish: WishId,
        expected_row_version: i64,
        update: &Wish,
        change: &Change,
    ) -> Result<WishRecord> {
        let mut tx = self.begin_write().await?;
        let before = fetch_wish(&mut tx.conn, unit, wish).await?;
        if before.row_version != expected_row_version {
            return Err(StoreError::stale("wish", wish, expected_row_version, before.row_version));
        }
        if update.employee != before.wish.employee {
            return Err(StoreError::invalid(InvalidRequest::WishOfOtherEmployee {
                from: before.wish.employee.clone(),
                to: update.employee.clone(),
            }));
        }
        let (_, shift) = check_wish(&mut tx.conn, unit, before.period_id, update).await?;
        let (kind, _) = kind_columns(&update.kind);
        let now = tx.now;
        let updated = on_conn!(&mut tx.conn, c => {
            match sqlx::query(
                "UPDATE wishes SET date = $1, kind = $2, shift_type_id = $3, priority = $4, updated_at = $5, \
                 row_version = row_version + 1 WHERE id = $6 AND row_version = $7 \
                 RETURNING created_at, updated_at, row_version",
            )
            .bind(SqlDate(update.date))
            .bind(kind)
            .bind(shift)
            .bind(i64::from(update.priority))
            .bind(SqlTimestamp(now))
            .bind(wish.get())
            .bind(expected_row_version)
            .fetch_optional(&mut *c)
            .await?
            {
                Some(row) => Some((row.timestamp("created_at")?, row.timestamp("updated_at")?, row.i64("row_version")?)),
                None => None,
            }
        });
        let Some((created_at, updated_at, row_version)) = updated else {
            // Changed between the read and the update (PostgreSQL, read committed).
            let current = fetch_wish(&mut tx.conn, unit, wish).await?;
            return Err(StoreError::stale("wish", wish, expected_row_version, current.row_version));
        };
        // The employee is the one read above, and the rest is the update as given.
        let after = WishRecord {
            id: wish,
            period_id: before.period_id,
            wish: update.clone(),
            created_at,
            updated_at,
            row_version,
        };
        tx.audit(
            AuditEntry::new(change, "wish.update", "wish", wish)
                .unit(unit)
                .before(&before.wish)?
                .after(&after.wish)?,
        );
        tx.commit().await?;
        Ok(after)
    }

    /// Deletes a wish.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale `expected_row_version`, [`StoreError::NotFound`]
    /// for a wish of another unit, [`StoreError::WrongState`] once the period is published.
    pub async fn delete_wish(
        &self,
        unit: UnitId,
        wish: WishId,
        expected_row_version: i64,
        change: &Change,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let before = fetch_wish(&mut tx.conn, unit, wish).await?;
        if before.row_version != expected_row_version {
            return Err(StoreError::stale("wish", wish, expected_row_version, before.row_version));
        }
        let found = fetch_period(&mut tx.conn, unit, before.period_id, Lock::Share).await?;
        if found.state.is_published() {
            return Err(StoreError::WrongState(WrongState::Wishes { state: found.state }));
        }
        let deleted = on_conn!(&mut tx.conn, c => {
            sqlx::query("DELETE FROM wishes WHERE id = $1 AND row_version = $2")
                .bind(wish.get())
                .bind(expected_row_version)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        if deleted == 0 {
            let current = fetch_wish(&mut tx.conn, unit, wish).await?;
            return Err(StoreError::stale("wish", wish, expected_row_version, current.row_version));
        }
        tx.audit(AuditEntry::new(change, "wish.delete", "wish", wish).unit(unit).before(&before.wish)?);
        tx.commit().await?;
        Ok(())
    }
}
