//! Secret tokens of subscribable calendar feeds: at most one per employee of a unit. Only
//! the SHA-256 of a token is stored. Creating a token for an employee who has one replaces
//! it (a rotation), so an old feed address stops working at once; revoking deletes it.

use jiff::Timestamp;
use serde::Serialize;

use crate::audit::{AuditEntry, Change};
use crate::db::{RowExt, Store, on_conn};
use crate::error::{Result, StoreError};
use crate::ids::UnitId;
use crate::sqltypes::SqlTimestamp;
use crate::users::token_hash;

/// A calendar feed token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarToken {
    pub id: i64,
    pub unit_id: UnitId,
    /// The employee's id in the unit (employee number), as in the bundle.
    pub employee: String,
    pub created_at: Timestamp,
    /// `user:ID` of who created or last rotated it.
    pub created_by: String,
    pub last_used_at: Option<Timestamp>,
}

/// What a presented feed token gives access to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFeed {
    pub unit_id: UnitId,
    pub employee: String,
}

const SELECT: &str = "SELECT t.id, t.unit_id, e.external_id, t.created_at, t.created_by, t.last_used_at \
     FROM calendar_tokens t JOIN employees e ON e.id = t.employee_id";

fn from_row(row: &impl RowExt) -> Result<CalendarToken> {
    Ok(CalendarToken {
        id: row.i64("id")?,
        unit_id: UnitId(row.i64("unit_id")?),
        employee: row.text("external_id")?,
        created_at: row.timestamp("created_at")?,
        created_by: row.text("created_by")?,
        last_used_at: row.opt_timestamp("last_used_at")?,
    })
}

impl Store {
    /// Sets the feed token of `employee` (an employee id of the unit) to `token`, replacing
    /// any earlier one. `token` is the random secret shown to the user once.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an employee the unit lacks, [`StoreError::Invalid`] for
    /// a short token.
    pub async fn set_calendar_token(
        &self,
        unit: UnitId,
        employee: &str,
        token: &str,
        change: &Change,
    ) -> Result<CalendarToken> {
        let hash = token_hash(token)?;
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let created_by = change.actor.label();
        let (employee_id, previous) = on_conn!(&mut tx.conn, c => {
            let employee_id = sqlx::query("SELECT id FROM employees WHERE unit_id = $1 AND external_id = $2")
                .bind(unit.get())
                .bind(employee)
                .fetch_optional(&mut *c)
                .await?
                .map(|row| row.i64("id"))
                .transpose()?;
            let previous = match employee_id {
                Some(id) => sqlx::query("DELETE FROM calendar_tokens WHERE employee_id = $1 RETURNING id")
                    .bind(id)
                    .fetch_optional(&mut *c)
                    .await?
                    .map(|row| row.i64("id"))
                    .transpose()?,
                None => None,
            };
            (employee_id, previous)
        });
        let employee_id = employee_id.ok_or_else(|| StoreError::not_found("employee", employee))?;
        let id = on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "INSERT INTO calendar_tokens (unit_id, employee_id, token_hash, created_at, created_by) \
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(unit.get())
            .bind(employee_id)
            .bind(&hash)
            .bind(SqlTimestamp(now))
            .bind(&created_by)
            .fetch_one(&mut *c)
            .await?
            .i64("id")?
        });
        let record = CalendarToken {
            id,
            unit_id: unit,
            employee: employee.to_string(),
            created_at: now,
            created_by,
            last_used_at: None,
        };
        let action = if previous.is_some() { "calendar_token.rotate" } else { "calendar_token.create" };
        let mut entry = AuditEntry::new(change, action, "calendar_token", id).unit(unit).after(&record)?;
        if let Some(previous) = previous {
            entry = entry.before(&serde_json::json!({ "id": previous, "employee": employee }))?;
        }
        tx.audit(entry);
        tx.commit().await?;
        Ok(record)
    }

    /// The feed token of `employee`, if there is one.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails.
    pub async fn get_calendar_token(&self, unit: UnitId, employee: &str) -> Result<Option<CalendarToken>> {
        let sql = format!("{SELECT} WHERE t.unit_id = $1 AND e.external_id = $2");
        let mut tx = self.begin_read().await?;
        let found = on_conn!(&mut tx.conn, c => {
            match sqlx::query(&sql).bind(unit.get()).bind(employee).fetch_optional(&mut *c).await? {
                Some(row) => Some(from_row(&row)?),
                None => None,
            }
        });
        tx.finish().await?;
        Ok(found)
    }

    /// Deletes the feed token of `employee`.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] when the employee has none.
    pub async fn revoke_calendar_token(&self, unit: UnitId, employee: &str, change: &Change) -> Result<()> {
        let sql = format!("{SELECT} WHERE t.unit_id = $1 AND e.external_id = $2");
        let mut tx = self.begin_write().await?;
        let found = on_conn!(&mut tx.conn, c => {
            let found = match sqlx::query(&sql).bind(unit.get()).bind(employee).fetch_optional(&mut *c).await? {
                Some(row) => Some(from_row(&row)?),
                None => None,
            };
            if let Some(found) = &found {
                sqlx::query("DELETE FROM calendar_tokens WHERE id = $1").bind(found.id).execute(&mut *c).await?;
            }
            found
        });
        let found = found.ok_or_else(|| StoreError::not_found("calendar token", employee))?;
        tx.audit(
            AuditEntry::new(change, "calendar_token.revoke", "calendar_token", found.id)
                .unit(unit)
                .before(&found)?,
        );
        tx.commit().await?;
        Ok(())
    }

    /// Finds the feed a presented token opens and records its use (not audited: reading a
    /// feed changes nothing).
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when a statement fails. An unknown token is `Ok(None)`.
    pub async fn find_calendar_token(&self, token: &str) -> Result<Option<CalendarFeed>> {
        let Ok(hash) = token_hash(token) else { return Ok(None) };
        let sql = format!("{SELECT} WHERE t.token_hash = $1");
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let found = on_conn!(&mut tx.conn, c => {
            let found = match sqlx::query(&sql).bind(&hash).fetch_optional(&mut *c).await? {
                Some(row) => Some(from_row(&row)?),
                None => None,
            };
            if found.is_some() {
                sqlx::query("UPDATE calendar_tokens SET last_used_at = $1 WHERE token_hash = $2")
                    .bind(SqlTimestamp(now))
                    .bind(&hash)
                    .execute(&mut *c)
                    .await?;
            }
            found
        });
        tx.commit().await?;
        Ok(found.map(|t| CalendarFeed { unit_id: t.unit_id, employee: t.employee }))
    }
}
