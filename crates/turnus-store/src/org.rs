//! Organisations (municipalities) and their units, with each unit's time zone, rule preset
//! and publication notice period.

use jiff::Timestamp;
use serde::Serialize;
use turnus_core::Preset;

use crate::audit::{AuditEntry, Change};
use crate::db::{Conn, Lock, RowExt, Store, on_conn};
use crate::error::{Field, InvalidRequest, Result, StoreError};
use crate::ids::{OrgId, UnitId};
use crate::sqltypes::SqlTimestamp;

/// Default days before the period start by which a schedule is published.
pub const DEFAULT_PUBLISH_NOTICE_DAYS: u32 = 14;

/// An organisation: a municipality or a care provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Organisation {
    pub id: OrgId,
    pub name: String,
    pub created_at: Timestamp,
}

/// A care unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: UnitId,
    pub organisation_id: OrgId,
    pub name: String,
    /// IANA time zone name.
    pub time_zone: String,
    pub preset: Preset,
    /// Days before the period start by which the schedule must be published; a later
    /// publication needs a recorded reason.
    pub publish_notice_days: u32,
    pub created_at: Timestamp,
    pub row_version: i64,
}

/// A unit to create.
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub name: String,
    /// IANA time zone name; `Europe/Stockholm` for Swedish units.
    pub time_zone: String,
    pub preset: Preset,
}

pub(crate) fn preset_str(preset: Preset) -> &'static str {
    match preset {
        Preset::Ab => "ab",
        Preset::Atl => "atl",
        Preset::Benchmark => "benchmark",
    }
}

pub(crate) fn non_empty(value: &str, field: Field) -> Result<&str> {
    let value = value.trim();
    if value.is_empty() { Err(StoreError::invalid(InvalidRequest::Empty { field })) } else { Ok(value) }
}

pub(crate) fn check_time_zone(name: &str) -> Result<()> {
    jiff::tz::TimeZone::get(name)
        .map(|_| ())
        .map_err(|_| StoreError::invalid(InvalidRequest::UnknownTimeZone { name: name.to_string() }))
}

fn unit_from_row(row: &impl RowExt) -> Result<Unit> {
    let preset = row.text("preset")?;
    Ok(Unit {
        id: UnitId(row.i64("id")?),
        organisation_id: OrgId(row.i64("organisation_id")?),
        name: row.text("name")?,
        time_zone: row.text("time_zone")?,
        preset: preset.parse().map_err(|_| StoreError::Corrupt(format!("unknown preset {preset:?}")))?,
        publish_notice_days: u32::try_from(row.i64("publish_notice_days")?)
            .map_err(|_| StoreError::Corrupt("negative notice period".into()))?,
        created_at: row.timestamp("created_at")?,
        row_version: row.i64("row_version")?,
    })
}

const UNIT_COLUMNS: &str =
    "id, organisation_id, name, time_zone, preset, publish_notice_days, created_at, row_version";

/// Reads a unit inside a transaction.
pub(crate) async fn fetch_unit(conn: &mut Conn, unit: UnitId, lock: Lock) -> Result<Unit> {
    let suffix = conn.lock_clause(lock);
    let sql = format!("SELECT {UNIT_COLUMNS} FROM units WHERE id = $1{suffix}");
    let row = on_conn!(conn, c => {
        match sqlx::query(&sql).bind(unit.get()).fetch_optional(&mut *c).await? {
            Some(row) => Some(unit_from_row(&row)?),
            None => None,
        }
    });
    row.ok_or_else(|| StoreError::not_found("unit", unit))
}

impl Store {
    /// Creates an organisation.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for an empty name.
    pub async fn create_org(&self, name: &str, change: &Change) -> Result<Organisation> {
        let name = non_empty(name, Field::OrganisationName)?;
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let id = on_conn!(&mut tx.conn, c => {
            sqlx::query("INSERT INTO organisations (name, created_at) VALUES ($1, $2) RETURNING id")
                .bind(name)
                .bind(SqlTimestamp(now))
                .fetch_one(&mut *c)
                .await?
                .i64("id")?
        });
        let org = Organisation { id: OrgId(id), name: name.to_string(), created_at: now };
        tx.audit(AuditEntry::new(change, "organisation.create", "organisation", id).after(&org)?);
        tx.commit().await?;
        tracing::info!(org = id, "organisation created");
        Ok(org)
    }

    /// Lists every organisation by name.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails.
    pub async fn list_orgs(&self) -> Result<Vec<Organisation>> {
        let mut tx = self.begin_read().await?;
        let orgs = on_conn!(&mut tx.conn, c => {
            let rows = sqlx::query("SELECT id, name, created_at FROM organisations ORDER BY name, id")
                .fetch_all(&mut *c)
                .await?;
            rows.iter()
                .map(|row| {
                    Ok(Organisation {
                        id: OrgId(row.i64("id")?),
                        name: row.text("name")?,
                        created_at: row.timestamp("created_at")?,
                    })
                })
                .collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(orgs)
    }

    /// Creates a unit in an organisation, with the default notice period.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown organisation, [`StoreError::Invalid`] for an
    /// empty name or unknown time zone.
    pub async fn create_unit(&self, org: OrgId, unit: &NewUnit, change: &Change) -> Result<Unit> {
        let name = non_empty(&unit.name, Field::UnitName)?;
        check_time_zone(&unit.time_zone)?;
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let created = on_conn!(&mut tx.conn, c => {
            let exists = sqlx::query("SELECT id FROM organisations WHERE id = $1")
                .bind(org.get())
                .fetch_optional(&mut *c)
                .await?;
            if exists.is_none() {
                return Err(StoreError::not_found("organisation", org));
            }
            let sql = format!(
                "INSERT INTO units (organisation_id, name, time_zone, preset, publish_notice_days, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING {UNIT_COLUMNS}"
            );
            let row = sqlx::query(&sql)
                .bind(org.get())
                .bind(name)
                .bind(&unit.time_zone)
                .bind(preset_str(unit.preset))
                .bind(i64::from(DEFAULT_PUBLISH_NOTICE_DAYS))
                .bind(SqlTimestamp(now))
                .fetch_one(&mut *c)
                .await?;
            unit_from_row(&row)?
        });
        tx.audit(
            AuditEntry::new(change, "unit.create", "unit", created.id).unit(created.id).after(&created)?,
        );
        tx.commit().await?;
        tracing::info!(unit = %created.id, "unit created");
        Ok(created)
    }

    /// Reads a unit.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown unit.
    pub async fn get_unit(&self, unit: UnitId) -> Result<Unit> {
        let mut tx = self.begin_read().await?;
        let found = fetch_unit(&mut tx.conn, unit, Lock::None).await?;
        tx.finish().await?;
        Ok(found)
    }

    /// Lists the units of an organisation by name.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails.
    pub async fn list_units(&self, org: OrgId) -> Result<Vec<Unit>> {
        let sql = format!("SELECT {UNIT_COLUMNS} FROM units WHERE organisation_id = $1 ORDER BY name, id");
        let mut tx = self.begin_read().await?;
        let units = on_conn!(&mut tx.conn, c => {
            let rows = sqlx::query(&sql).bind(org.get()).fetch_all(&mut *c).await?;
            rows.iter().map(unit_from_row).collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(units)
    }

    /// Renames a unit, naming the unit's row version that the caller read. The name is
    /// `unit.toml`'s `name`, shown in lists, schedules and exports.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale `expected_row_version`, [`StoreError::NotFound`]
    /// for an unknown unit, [`StoreError::Invalid`] for an empty name.
    pub async fn rename_unit(
        &self,
        unit: UnitId,
        expected_row_version: i64,
        name: &str,
        change: &Change,
    ) -> Result<Unit> {
        let name = non_empty(name, Field::UnitName)?;
        let mut tx = self.begin_write().await?;
        let before = fetch_unit(&mut tx.conn, unit, Lock::Update).await?;
        if before.row_version != expected_row_version {
            return Err(StoreError::stale("unit", unit, expected_row_version, before.row_version));
        }
        on_conn!(&mut tx.conn, c => {
            sqlx::query("UPDATE units SET name = $1, row_version = row_version + 1 WHERE id = $2")
                .bind(name)
                .bind(unit.get())
                .execute(&mut *c)
                .await?;
        });
        let after = fetch_unit(&mut tx.conn, unit, Lock::None).await?;
        tx.audit(
            AuditEntry::new(change, "unit.rename", "unit", unit)
                .unit(unit)
                .before(&serde_json::json!({ "name": before.name }))?
                .after(&serde_json::json!({ "name": after.name }))?,
        );
        tx.commit().await?;
        Ok(after)
    }

    /// Sets the unit's publication notice period in days (0 to 365).
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown unit, [`StoreError::Invalid`] for more than
    /// 365 days.
    pub async fn set_publish_notice_days(&self, unit: UnitId, days: u32, change: &Change) -> Result<Unit> {
        if days > 365 {
            return Err(StoreError::invalid(InvalidRequest::NoticeTooLong { days, max: 365 }));
        }
        let mut tx = self.begin_write().await?;
        let before = fetch_unit(&mut tx.conn, unit, Lock::Update).await?;
        on_conn!(&mut tx.conn, c => {
            sqlx::query("UPDATE units SET publish_notice_days = $1, row_version = row_version + 1 WHERE id = $2")
                .bind(i64::from(days))
                .bind(unit.get())
                .execute(&mut *c)
                .await?;
        });
        let after = fetch_unit(&mut tx.conn, unit, Lock::None).await?;
        tx.audit(
            AuditEntry::new(change, "unit.set_notice_period", "unit", unit)
                .unit(unit)
                .before(&serde_json::json!({ "publish_notice_days": before.publish_notice_days }))?
                .after(&serde_json::json!({ "publish_notice_days": days }))?,
        );
        tx.commit().await?;
        Ok(after)
    }
}
