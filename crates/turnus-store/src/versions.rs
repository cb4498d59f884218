//! Schedule versions of a period: proposals with their assignments, score and findings, and
//! the one published version. Assignments of a proposal change one at a time with optimistic
//! concurrency (each row carries a row version); a published version never changes, which
//! database triggers enforce as well.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;
use turnus_core::{Assignment, RuleId, Schedule, Score};

use crate::audit::{AuditEntry, Change};
use crate::db::{Conn, Lock, RowExt, Store, WriteTx, on_conn};
use crate::error::{Dated, Field, InvalidRequest, Result, StoreError, WrongState};
use crate::ids::{AssignmentId, PeriodId, UnitId, VersionId};
use crate::lookup::UnitIndex;
use crate::org::fetch_unit;
use crate::period::{PeriodState, SchedulePeriod, fetch_period, set_period_state};
use crate::sqltypes::{SqlDate, SqlTimestamp};

/// Rows per multi-row `INSERT` of assignments: 5 parameters each stays far below SQLite's
/// limit of 32 766 parameters per statement.
const INSERT_CHUNK: usize = 500;

/// Whether a version is a proposal or the published schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionKind {
    Proposal,
    Published,
}

/// A schedule to save as a new proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct NewVersion {
    pub assignments: Vec<Assignment>,
    pub score: Score,
    /// The evaluator's findings as JSON (an array of findings).
    pub findings: serde_json::Value,
    /// A note such as "solve job 12, seed 7".
    pub note: Option<String>,
}

/// A stored schedule version without its assignments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VersionRecord {
    pub id: VersionId,
    pub period_id: PeriodId,
    pub kind: VersionKind,
    pub note: Option<String>,
    pub score: Score,
    pub findings: serde_json::Value,
    pub created_at: Timestamp,
    /// Actor label of the author, such as `user:12` or `worker:host-1`.
    pub created_by: String,
    pub published_at: Option<Timestamp>,
    pub row_version: i64,
}

/// One assignment row of a version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignmentRecord {
    pub id: AssignmentId,
    pub version_id: VersionId,
    pub assignment: Assignment,
    /// The scheduler's reason for keeping this assignment although it breaks a hard rule.
    pub override_reason: Option<String>,
    pub row_version: i64,
    pub updated_at: Timestamp,
}

/// A change to one assignment: who works which shift on which date, and the reason when
/// the scheduler overrides a hard rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentEdit {
    pub assignment: Assignment,
    pub override_reason: Option<String>,
}

/// The notice-period check of a publication, returned by [`Store::publish_version`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    pub version: VersionId,
    /// Days from the publication date (in the unit's time zone) to the period start.
    pub days_before_start: i64,
    pub notice_days: u32,
    /// Whether the schedule was published later than the notice period allows.
    pub late: bool,
}

const VERSION_COLUMNS: &str = "id, period_id, kind, note, score_hard, score_soft, findings, created_at, created_by, published_at, row_version";

fn version_from_row(row: &impl RowExt) -> Result<VersionRecord> {
    let kind = match row.text("kind")?.as_str() {
        "proposal" => VersionKind::Proposal,
        "published" => VersionKind::Published,
        other => return Err(StoreError::Corrupt(format!("version kind {other:?}"))),
    };
    Ok(VersionRecord {
        id: VersionId(row.i64("id")?),
        period_id: PeriodId(row.i64("period_id")?),
        kind,
        note: row.opt_text("note")?,
        score: Score { hard: row.i64("score_hard")?, soft: row.i64("score_soft")? },
        findings: serde_json::from_str(&row.text("findings")?)?,
        created_at: row.timestamp("created_at")?,
        created_by: row.text("created_by")?,
        published_at: row.opt_timestamp("published_at")?,
        row_version: row.i64("row_version")?,
    })
}

const ASSIGNMENT_SELECT: &str = "SELECT a.id, a.version_id, a.date, a.override_reason, a.row_version, a.updated_at, \
     e.external_id, st.code \
     FROM assignments a \
     JOIN schedule_versions v ON v.id = a.version_id \
     JOIN schedule_periods p ON p.id = v.period_id \
     JOIN employees e ON e.id = a.employee_id \
     JOIN shift_types st ON st.id = a.shift_type_id";

fn assignment_from_row(row: &impl RowExt) -> Result<AssignmentRecord> {
    Ok(AssignmentRecord {
        id: AssignmentId(row.i64("id")?),
        version_id: VersionId(row.i64("version_id")?),
        assignment: Assignment {
            employee: row.text("external_id")?,
            date: row.date("date")?,
            shift: row.text("code")?,
        },
        override_reason: row.opt_text("override_reason")?,
        row_version: row.i64("row_version")?,
        updated_at: row.timestamp("updated_at")?,
    })
}

/// Reads a version of `unit`; a version of another unit is not found.
pub(crate) async fn fetch_version(
    conn: &mut Conn,
    unit: UnitId,
    version: VersionId,
    lock: Lock,
) -> Result<VersionRecord> {
    let suffix = conn.lock_clause(lock);
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM schedule_versions \
         WHERE id = $1 AND period_id IN (SELECT id FROM schedule_periods WHERE unit_id = $2){suffix}"
    );
    let found = on_conn!(conn, c => {
        match sqlx::query(&sql).bind(version.get()).bind(unit.get()).fetch_optional(&mut *c).await? {
            Some(row) => Some(version_from_row(&row)?),
            None => None,
        }
    });
    found.ok_or_else(|| StoreError::not_found("schedule version", version))
}

async fn fetch_assignment(
    conn: &mut Conn,
    unit: UnitId,
    assignment: AssignmentId,
) -> Result<AssignmentRecord> {
    let sql = format!("{ASSIGNMENT_SELECT} WHERE a.id = $1 AND p.unit_id = $2");
    let found = on_conn!(conn, c => {
        match sqlx::query(&sql).bind(assignment.get()).bind(unit.get()).fetch_optional(&mut *c).await? {
            Some(row) => Some(assignment_from_row(&row)?),
            None => None,
        }
    });
    found.ok_or_else(|| StoreError::not_found("assignment", assignment))
}

/// Resolves an assignment to employee and shift type ids after checking its date.
fn resolve(assignment: &Assignment, period: &SchedulePeriod, index: &UnitIndex) -> Result<(i64, i64)> {
    if !period.period().contains(assignment.date) {
        return Err(StoreError::invalid(InvalidRequest::DateOutsidePeriod {
            row: Dated::Assignment,
            date: assignment.date,
            start: period.start,
            end: period.period().end_inclusive(),
        }));
    }
    Ok((index.employee(&assignment.employee)?, index.shift(&assignment.shift)?))
}

/// Inserts a proposal with its assignments and returns its id.
pub(crate) async fn insert_version(
    tx: &mut WriteTx,
    unit: UnitId,
    period: &SchedulePeriod,
    version: &NewVersion,
    created_by: &str,
) -> Result<VersionId> {
    if period.state.is_published() {
        return Err(StoreError::WrongState(WrongState::AlreadyPublished { state: period.state }));
    }
    let index = UnitIndex::load(&mut tx.conn, unit).await?;
    let mut rows = Vec::with_capacity(version.assignments.len());
    for assignment in &version.assignments {
        let (employee, shift) = resolve(assignment, period, &index)?;
        rows.push((employee, assignment.date, shift));
    }
    rows.sort_unstable();
    if let Some(pair) = rows.windows(2).find(|pair| pair[0] == pair[1]) {
        return Err(StoreError::invalid(InvalidRequest::DuplicateAssignment { date: pair[0].1 }));
    }

    let now = tx.now;
    let findings = serde_json::to_string(&version.findings)?;
    let id = on_conn!(&mut tx.conn, c => {
        let id = sqlx::query(
            "INSERT INTO schedule_versions (period_id, kind, note, score_hard, score_soft, findings, created_at, created_by) \
             VALUES ($1, 'proposal', $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(period.id.get())
        .bind(&version.note)
        .bind(version.score.hard)
        .bind(version.score.soft)
        .bind(&findings)
        .bind(SqlTimestamp(now))
        .bind(created_by)
        .fetch_one(&mut *c)
        .await?
        .i64("id")?;
        for chunk in rows.chunks(INSERT_CHUNK) {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO assignments (version_id, employee_id, date, shift_type_id, updated_at) ",
            );
            insert.push_values(chunk, |mut b, (employee, date, shift)| {
                b.push_bind(id).push_bind(*employee).push_bind(SqlDate(*date)).push_bind(*shift).push_bind(SqlTimestamp(now));
            });
            insert.build().execute(&mut *c).await?;
        }
        id
    });
    Ok(VersionId(id))
}

impl Store {
    /// Saves a schedule as a new proposal of a period.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for an unknown employee or shift, a date outside the period,
    /// or the same shift twice for one employee and date. [`StoreError::WrongState`] for a
    /// published period.
    pub async fn save_version(
        &self,
        unit: UnitId,
        period: PeriodId,
        version: &NewVersion,
        change: &Change,
    ) -> Result<VersionRecord> {
        let mut tx = self.begin_write().await?;
        let found = fetch_period(&mut tx.conn, unit, period, Lock::Share).await?;
        let id = insert_version(&mut tx, unit, &found, version, &change.actor.label()).await?;
        let record = fetch_version(&mut tx.conn, unit, id, Lock::None).await?;
        tx.audit(
            AuditEntry::new(change, "version.create", "schedule_version", id)
                .unit(unit)
                .after(&json!({ "period": period, "score": version.score, "note": version.note, "assignments": version.assignments }))?,
        );
        tx.commit().await?;
        tracing::info!(unit = %unit, period = %period, version = %id, score = %version.score, "schedule version saved");
        Ok(record)
    }

    /// Reads a version with its score and findings.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a version of another unit.
    pub async fn get_version(&self, unit: UnitId, version: VersionId) -> Result<VersionRecord> {
        let mut tx = self.begin_read().await?;
        let found = fetch_version(&mut tx.conn, unit, version, Lock::None).await?;
        tx.finish().await?;
        Ok(found)
    }

    /// Lists a period's versions, oldest first.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a period of another unit.
    pub async fn list_versions(&self, unit: UnitId, period: PeriodId) -> Result<Vec<VersionRecord>> {
        let sql = format!("SELECT {VERSION_COLUMNS} FROM schedule_versions WHERE period_id = $1 ORDER BY id");
        let mut tx = self.begin_read().await?;
        fetch_period(&mut tx.conn, unit, period, Lock::None).await?;
        let versions = on_conn!(&mut tx.conn, c => {
            let rows = sqlx::query(&sql).bind(period.get()).fetch_all(&mut *c).await?;
            rows.iter().map(version_from_row).collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(versions)
    }

    /// Lists a version's assignments by employee, date and shift code.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a version of another unit.
    pub async fn list_assignments(&self, unit: UnitId, version: VersionId) -> Result<Vec<AssignmentRecord>> {
        let sql =
            format!("{ASSIGNMENT_SELECT} WHERE a.version_id = $1 ORDER BY e.external_id, a.date, st.code");
        let mut tx = self.begin_read().await?;
        fetch_version(&mut tx.conn, unit, version, Lock::None).await?;
        let assignments = on_conn!(&mut tx.conn, c => {
            let rows = sqlx::query(&sql).bind(version.get()).fetch_all(&mut *c).await?;
            rows.iter().map(assignment_from_row).collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(assignments)
    }

    /// The version as a [`Schedule`], sorted as schedule files are written.
    ///
    /// # Errors
    ///
    /// As [`Store::list_assignments`].
    pub async fn version_schedule(&self, unit: UnitId, version: VersionId) -> Result<Schedule> {
        let mut schedule = Schedule {
            assignments: self
                .list_assignments(unit, version)
                .await?
                .into_iter()
                .map(|a| a.assignment)
                .collect(),
        };
        schedule.sort();
        Ok(schedule)
    }

    /// Replaces a proposal's score and findings, after an edit was evaluated.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for a published version, [`StoreError::NotFound`] for a
    /// version of another unit.
    pub async fn set_version_evaluation(
        &self,
        unit: UnitId,
        version: VersionId,
        score: Score,
        findings: &serde_json::Value,
        change: &Change,
    ) -> Result<VersionRecord> {
        let mut tx = self.begin_write().await?;
        let before = fetch_version(&mut tx.conn, unit, version, Lock::Update).await?;
        if before.kind == VersionKind::Published {
            return Err(StoreError::invalid(InvalidRequest::VersionPublished));
        }
        let findings_text = serde_json::to_string(findings)?;
        on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "UPDATE schedule_versions SET score_hard = $1, score_soft = $2, findings = $3, \
                 row_version = row_version + 1 WHERE id = $4",
            )
            .bind(score.hard)
            .bind(score.soft)
            .bind(&findings_text)
            .bind(version.get())
            .execute(&mut *c)
            .await?;
        });
        let after = fetch_version(&mut tx.conn, unit, version, Lock::None).await?;
        tx.audit(
            AuditEntry::new(change, "version.evaluate", "schedule_version", version)
                .unit(unit)
                .before(&json!({ "score": before.score }))?
                .after(&json!({ "score": score }))?,
        );
        tx.commit().await?;
        Ok(after)
    }

    /// Adds an assignment to a proposal under review.
    ///
    /// # Errors
    ///
    /// As [`Store::update_assignment`], and [`StoreError::Conflict`] when the employee
    /// already has that shift on that date.
    pub async fn add_assignment(
        &self,
        unit: UnitId,
        version: VersionId,
        edit: &AssignmentEdit,
        change: &Change,
    ) -> Result<AssignmentRecord> {
        let mut tx = self.begin_write().await?;
        let (_, period) = editable_version(&mut tx.conn, unit, version).await?;
        let index = UnitIndex::load(&mut tx.conn, unit).await?;
        let (employee, shift) = resolve(&edit.assignment, &period, &index)?;
        let now = tx.now;
        let inserted = on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "INSERT INTO assignments (version_id, employee_id, date, shift_type_id, override_reason, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(version.get())
            .bind(employee)
            .bind(SqlDate(edit.assignment.date))
            .bind(shift)
            .bind(&edit.override_reason)
            .bind(SqlTimestamp(now))
            .fetch_one(&mut *c)
            .await
            .map_err(|e| StoreError::from(e).unique_as_conflict("assignment", &edit.assignment.employee))?
            .i64("id")?
        });
        let id = AssignmentId(inserted);
        let record = fetch_assignment(&mut tx.conn, unit, id).await?;
        tx.audit(
            AuditEntry::new(change, "assignment.create", "assignment", id)
                .unit(unit)
                .after(&json!({ "version": version, "assignment": record.assignment, "override_reason": record.override_reason }))?,
        );
        tx.commit().await?;
        Ok(record)
    }

    /// Changes one assignment of a proposal under review, unless it changed after the caller
    /// read `expected_row_version`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale row version, or when the change would repeat
    /// another row; [`StoreError::WrongState`] for a period that is not in proposal or
    /// review; [`StoreError::Invalid`] for a published version, an unknown employee or
    /// shift, or a date outside the period;
    /// [`StoreError::NotFound`] for an assignment of another unit.
    pub async fn update_assignment(
        &self,
        unit: UnitId,
        assignment: AssignmentId,
        expected_row_version: i64,
        edit: &AssignmentEdit,
        change: &Change,
    ) -> Result<AssignmentRecord> {
        let mut tx = self.begin_write().await?;
        let before = fetch_assignment(&mut tx.conn, unit, assignment).await?;
        if before.row_version != expected_row_version {
            return Err(StoreError::stale(
                "assignment",
                assignment,
                expected_row_version,
                before.row_version,
            ));
        }
        let (_, period) = editable_version(&mut tx.conn, unit, before.version_id).await?;
        let index = UnitIndex::load(&mut tx.conn, unit).await?;
        let (employee, shift) = resolve(&edit.assignment, &period, &index)?;
        let now = tx.now;
        let updated = on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "UPDATE assignments SET employee_id = $1, date = $2, shift_type_id = $3, override_reason = $4, \
                 updated_at = $5, row_version = row_version + 1 WHERE id = $6 AND row_version = $7",
            )
            .bind(employee)
            .bind(SqlDate(edit.assignment.date))
            .bind(shift)
            .bind(&edit.override_reason)
            .bind(SqlTimestamp(now))
            .bind(assignment.get())
            .bind(expected_row_version)
            .execute(&mut *c)
            .await
            .map_err(|e| StoreError::from(e).unique_as_conflict("assignment", assignment))?
            .rows_affected()
        });
        if updated == 0 {
            let current = fetch_assignment(&mut tx.conn, unit, assignment).await?;
            return Err(StoreError::stale(
                "assignment",
                assignment,
                expected_row_version,
                current.row_version,
            ));
        }
        let after = fetch_assignment(&mut tx.conn, unit, assignment).await?;
        tx.audit(
            AuditEntry::new(change, "assignment.update", "assignment", assignment)
                .unit(unit)
                .before(
                    &json!({ "assignment": before.assignment, "override_reason": before.override_reason }),
                )?
                .after(
                    &json!({ "assignment": after.assignment, "override_reason": after.override_reason }),
                )?,
        );
        tx.commit().await?;
        Ok(after)
    }

    /// Removes one assignment of a proposal under review (the employee is off instead).
    ///
    /// # Errors
    ///
    /// As [`Store::update_assignment`].
    pub async fn delete_assignment(
        &self,
        unit: UnitId,
        assignment: AssignmentId,
        expected_row_version: i64,
        change: &Change,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let before = fetch_assignment(&mut tx.conn, unit, assignment).await?;
        if before.row_version != expected_row_version {
            return Err(StoreError::stale(
                "assignment",
                assignment,
                expected_row_version,
                before.row_version,
            ));
        }
        editable_version(&mut tx.conn, unit, before.version_id).await?;
        let deleted = on_conn!(&mut tx.conn, c => {
            sqlx::query("DELETE FROM assignments WHERE id = $1 AND row_version = $2")
                .bind(assignment.get())
                .bind(expected_row_version)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        if deleted == 0 {
            let current = fetch_assignment(&mut tx.conn, unit, assignment).await?;
            return Err(StoreError::stale(
                "assignment",
                assignment,
                expected_row_version,
                current.row_version,
            ));
        }
        tx.audit(AuditEntry::new(change, "assignment.delete", "assignment", assignment).unit(unit).before(
            &json!({ "assignment": before.assignment, "override_reason": before.override_reason }),
        )?);
        tx.commit().await?;
        Ok(())
    }

    /// Publishes a proposal of a period under review: the version becomes the period's
    /// published schedule and the period moves to published.
    ///
    /// The notice period counts whole days from today's date in the unit's time zone to the
    /// period's first day. Publishing with fewer days left is allowed only with a reason in
    /// `change`, and the audit row marks it late. A version whose stored findings include a
    /// hard one is rejected; [`Store::publish_version_with_override`] publishes it anyway.
    ///
    /// # Errors
    ///
    /// [`StoreError::WrongState`] when the period is not under review,
    /// [`StoreError::HardFindings`] when the version breaks hard rules,
    /// [`StoreError::LatePublication`] when the publication is late and `change` has no
    /// reason, [`StoreError::Invalid`] when the version is not one of its proposals.
    pub async fn publish_version(
        &self,
        unit: UnitId,
        version: VersionId,
        change: &Change,
    ) -> Result<Publication> {
        self.publish(unit, version, None, change).await
    }

    /// Publishes like [`Store::publish_version`], but also a version that breaks hard rules.
    /// `override_reason` is the manager's reason for accepting them. The audit row stores it
    /// with the hard findings per rule, and as the row's reason when `change` has none.
    ///
    /// # Errors
    ///
    /// As [`Store::publish_version`], except [`StoreError::HardFindings`], and
    /// [`StoreError::Invalid`] when `override_reason` is blank.
    pub async fn publish_version_with_override(
        &self,
        unit: UnitId,
        version: VersionId,
        override_reason: &str,
        change: &Change,
    ) -> Result<Publication> {
        let reason = override_reason.trim();
        if reason.is_empty() {
            return Err(StoreError::Invalid(InvalidRequest::Empty { field: Field::OverrideReason }));
        }
        self.publish(unit, version, Some(reason), change).await
    }

    async fn publish(
        &self,
        unit: UnitId,
        version: VersionId,
        override_reason: Option<&str>,
        change: &Change,
    ) -> Result<Publication> {
        let mut tx = self.begin_write().await?;
        let found = fetch_version(&mut tx.conn, unit, version, Lock::Update).await?;
        let period = fetch_period(&mut tx.conn, unit, found.period_id, Lock::Update).await?;
        if period.state != PeriodState::Review {
            return Err(StoreError::WrongState(WrongState::Publish { state: period.state }));
        }
        if found.kind != VersionKind::Proposal {
            return Err(StoreError::invalid(InvalidRequest::VersionAlreadyPublished));
        }

        // The findings stored with the version are those of its last evaluation: the solve
        // that made it, or the last assignment change.
        let hard = hard_findings_by_rule(&found.findings);
        let hard_count: usize = hard.iter().map(|(_, n)| n).sum();
        if hard_count > 0 && override_reason.is_none() {
            return Err(StoreError::HardFindings { count: hard_count, rules: hard });
        }

        let unit_row = fetch_unit(&mut tx.conn, unit, Lock::None).await?;
        let zone = jiff::tz::TimeZone::get(&unit_row.time_zone)
            .map_err(|_| StoreError::Corrupt(format!("unknown time zone {:?}", unit_row.time_zone)))?;
        let today: Date = tx.now.to_zoned_datetime(zone).date();
        let days_before_start = i64::from(
            today
                .until((jiff::Unit::Day, period.start))
                .map_err(|_| StoreError::invalid(InvalidRequest::DaysToStart { today, start: period.start }))?
                .get_days(),
        );
        let notice_days = unit_row.publish_notice_days;
        let late = days_before_start < i64::from(notice_days);
        if late && change.reason_text().is_none() {
            return Err(StoreError::LatePublication { days_before_start, notice_days });
        }

        let now = tx.now;
        on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "UPDATE schedule_versions SET kind = 'published', published_at = $1, row_version = row_version + 1 \
                 WHERE id = $2",
            )
            .bind(SqlTimestamp(now))
            .bind(version.get())
            .execute(&mut *c)
            .await?;
        });
        set_period_state(&mut tx.conn, &period, PeriodState::Published, period.wishes_deadline, now).await?;
        let publication = Publication { version, days_before_start, notice_days, late };
        let mut after = json!({ "kind": "published", "period_state": PeriodState::Published, "publication": publication });
        let mut audited = change.clone();
        if hard_count > 0 {
            let rules: serde_json::Map<String, serde_json::Value> =
                hard.iter().map(|(rule, n)| (rule.as_str().to_string(), json!(n))).collect();
            after["hard_findings"] =
                json!({ "count": hard_count, "rules": rules, "override_reason": override_reason });
            if audited.reason_text().is_none() {
                audited.reason = override_reason.map(str::to_string);
            }
        }
        tx.audit(
            AuditEntry::new(&audited, "version.publish", "schedule_version", version)
                .unit(unit)
                .before(&json!({ "kind": "proposal", "period_state": period.state }))?
                .after(&after)?,
        );
        tx.commit().await?;
        tracing::info!(
            unit = %unit,
            period = %period.id,
            version = %version,
            late,
            hard_findings = hard_count,
            "schedule published"
        );
        Ok(publication)
    }
}

/// Counts the hard findings in a version's stored findings per rule, in catalog order.
/// Entries that are not findings are skipped, so a version stored without findings counts
/// none.
fn hard_findings_by_rule(findings: &serde_json::Value) -> Vec<(RuleId, usize)> {
    let mut counts = std::collections::BTreeMap::new();
    for finding in findings.as_array().into_iter().flatten() {
        if finding["hard"] != json!(true) {
            continue;
        }
        let Some(rule) = finding["rule"].as_str().and_then(|r| r.parse::<RuleId>().ok()) else {
            continue;
        };
        *counts.entry(rule).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

/// Checks that a version can be edited: a proposal of a period in proposal or review.
async fn editable_version(
    conn: &mut Conn,
    unit: UnitId,
    version: VersionId,
) -> Result<(VersionRecord, SchedulePeriod)> {
    let found = fetch_version(conn, unit, version, Lock::Share).await?;
    if found.kind == VersionKind::Published {
        return Err(StoreError::invalid(InvalidRequest::VersionPublished));
    }
    let period = fetch_period(conn, unit, found.period_id, Lock::Share).await?;
    if !matches!(period.state, PeriodState::Proposal | PeriodState::Review) {
        return Err(StoreError::WrongState(WrongState::EditAssignments { state: period.state }));
    }
    Ok((found, period))
}
