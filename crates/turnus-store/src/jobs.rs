//! The solve job queue. A job is queued for a period, claimed by one worker under a lease
//! that the worker renews with heartbeats, and ends done (with the schedule version it
//! saved), failed or cancelled. A job whose lease ran out (its worker died) is claimed
//! again by the next worker, up to its maximum number of attempts.
//!
//! On PostgreSQL, workers on many machines claim with `SELECT … FOR UPDATE SKIP LOCKED`, so
//! two claims never wait for or return the same job; lease times come from the database
//! clock. On SQLite the claim runs in a `BEGIN IMMEDIATE` transaction, one writer at a time.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use serde_json::json;
use turnus_core::Score;

use crate::audit::{Actor, AuditEntry, Change};
use crate::db::{Backend, Conn, Lock, RowExt, Store, on_conn};
use crate::error::{Field, InvalidRequest, Result, StoreError, WrongState};
use crate::ids::{JobId, PeriodId, UnitId, VersionId};
use crate::period::fetch_period;
use crate::sqltypes::SqlTimestamp;
use crate::versions::{NewVersion, insert_version};

/// Attempts a job gets before a lost lease fails it.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 3;

/// The state of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl JobState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    fn parse(text: &str) -> Result<JobState> {
        [JobState::Queued, JobState::Running, JobState::Done, JobState::Failed, JobState::Cancelled]
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown job state {text:?}")))
    }

    /// Whether the job has ended.
    pub fn is_final(self) -> bool {
        matches!(self, JobState::Done | JobState::Failed | JobState::Cancelled)
    }
}

/// A job with its progress.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Job {
    pub id: JobId,
    pub unit_id: UnitId,
    pub period_id: PeriodId,
    /// Solver settings as JSON (time limit, seed), read by the worker.
    pub params: serde_json::Value,
    pub state: JobState,
    /// From 0 to 1.
    pub progress: f64,
    pub best_score: Option<Score>,
    pub worker_id: Option<String>,
    pub lease_until: Option<Timestamp>,
    pub heartbeat_at: Option<Timestamp>,
    /// Claims so far, including takeovers after a lost lease.
    pub attempts: u32,
    pub max_attempts: u32,
    pub result_version_id: Option<VersionId>,
    pub error: Option<String>,
    pub created_at: Timestamp,
    pub created_by: String,
    pub started_at: Option<Timestamp>,
    pub finished_at: Option<Timestamp>,
}

/// The instruction a heartbeat returns to the worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobControl {
    /// Keep solving; the lease was renewed.
    Continue,
    /// The job was cancelled: stop and report nothing more.
    Cancelled,
}

const JOB_COLUMNS: &str = "id, unit_id, period_id, params, state, progress, best_score_hard, best_score_soft, \
     worker_id, lease_until, heartbeat_at, attempts, max_attempts, result_version_id, error, created_at, \
     created_by, started_at, finished_at";

fn job_from_row(row: &impl RowExt) -> Result<Job> {
    let count = |column: &str| -> Result<u32> {
        let value = row.i64(column)?;
        u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{column} {value}")))
    };
    let best_score = match (row.opt_i64("best_score_hard")?, row.opt_i64("best_score_soft")?) {
        (Some(hard), Some(soft)) => Some(Score { hard, soft }),
        _ => None,
    };
    Ok(Job {
        id: JobId(row.i64("id")?),
        unit_id: UnitId(row.i64("unit_id")?),
        period_id: PeriodId(row.i64("period_id")?),
        params: serde_json::from_str(&row.text("params")?)?,
        state: JobState::parse(&row.text("state")?)?,
        progress: row.f64("progress")?,
        best_score,
        worker_id: row.opt_text("worker_id")?,
        lease_until: row.opt_timestamp("lease_until")?,
        heartbeat_at: row.opt_timestamp("heartbeat_at")?,
        attempts: count("attempts")?,
        max_attempts: count("max_attempts")?,
        result_version_id: row.opt_i64("result_version_id")?.map(VersionId),
        error: row.opt_text("error")?,
        created_at: row.timestamp("created_at")?,
        created_by: row.text("created_by")?,
        started_at: row.opt_timestamp("started_at")?,
        finished_at: row.opt_timestamp("finished_at")?,
    })
}

async fn fetch_job(conn: &mut Conn, job: JobId, lock: Lock) -> Result<Job> {
    let suffix = conn.lock_clause(lock);
    let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1{suffix}");
    let found = on_conn!(conn, c => {
        match sqlx::query(&sql).bind(job.get()).fetch_optional(&mut *c).await? {
            Some(row) => Some(job_from_row(&row)?),
            None => None,
        }
    });
    found.ok_or_else(|| StoreError::not_found("job", job))
}

fn lease_end(now: Timestamp, lease: Duration) -> Result<Timestamp> {
    let lease =
        SignedDuration::try_from(lease).map_err(|_| StoreError::invalid(InvalidRequest::LeaseTooLong))?;
    now.checked_add(lease).map_err(|_| StoreError::invalid(InvalidRequest::LeaseTooLong))
}

/// Locks and returns the running job of `worker`, or a conflict when the worker lost it.
async fn held_job(conn: &mut Conn, job: JobId, worker: &str) -> Result<Job> {
    let found = fetch_job(conn, job, Lock::Update).await?;
    if found.state == JobState::Running && found.worker_id.as_deref() == Some(worker) {
        return Ok(found);
    }
    let holder = found.worker_id.as_deref().unwrap_or("no worker");
    Err(StoreError::conflict(
        "job",
        job,
        format!("the job is {} and held by {holder}, not {worker}", found.state.as_str()),
    ))
}

impl Store {
    /// Queues a solve job for a period.
    ///
    /// # Errors
    ///
    /// [`StoreError::WrongState`] when the period is already published,
    /// [`StoreError::NotFound`] for a period of another unit.
    pub async fn enqueue_job(
        &self,
        unit: UnitId,
        period: PeriodId,
        params: &serde_json::Value,
        change: &Change,
    ) -> Result<Job> {
        let mut tx = self.begin_write().await?;
        let found = fetch_period(&mut tx.conn, unit, period, Lock::Share).await?;
        if found.state.is_published() {
            return Err(StoreError::WrongState(WrongState::AlreadyPublished { state: found.state }));
        }
        let now = tx.now;
        let sql = format!(
            "INSERT INTO jobs (unit_id, period_id, kind, params, state, max_attempts, created_at, created_by) \
             VALUES ($1, $2, 'solve', $3, 'queued', $4, $5, $6) RETURNING {JOB_COLUMNS}"
        );
        let job = on_conn!(&mut tx.conn, c => {
            let row = sqlx::query(&sql)
                .bind(unit.get())
                .bind(period.get())
                .bind(serde_json::to_string(params)?)
                .bind(i64::from(DEFAULT_MAX_ATTEMPTS))
                .bind(SqlTimestamp(now))
                .bind(change.actor.label())
                .fetch_one(&mut *c)
                .await?;
            job_from_row(&row)?
        });
        tx.audit(AuditEntry::new(change, "job.enqueue", "job", job.id).unit(unit).after(&job)?);
        tx.commit().await?;
        tracing::info!(job = %job.id, unit = %unit, period = %period, "solve job queued");
        Ok(job)
    }

    /// Claims the oldest claimable job for `worker`: a queued one, or a running one whose
    /// lease ended (its worker stopped sending heartbeats). A job whose lease ended after
    /// its last attempt is failed instead and the next one is tried.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when a statement fails. No claimable job is `Ok(None)`.
    pub async fn claim_job(&self, worker: &str, lease: Duration) -> Result<Option<Job>> {
        let worker = crate::org::non_empty(worker, Field::WorkerId)?;
        let change = Change::by(Actor::Worker(worker.to_string()));
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let lease_until = lease_end(now, lease)?;
        let skip_locked = match tx.conn.backend() {
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
            Backend::Sqlite => "",
        };
        let pick_sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs WHERE state = 'queued' OR (state = 'running' AND lease_until < $1) \
             ORDER BY id LIMIT 1{skip_locked}"
        );

        let claimed = loop {
            let candidate = on_conn!(&mut tx.conn, c => {
                match sqlx::query(&pick_sql).bind(SqlTimestamp(now)).fetch_optional(&mut *c).await? {
                    Some(row) => Some(job_from_row(&row)?),
                    None => None,
                }
            });
            let Some(candidate) = candidate else { break None };

            if candidate.state == JobState::Running && candidate.attempts >= candidate.max_attempts {
                let message = format!(
                    "worker {} stopped sending heartbeats on the last of {} attempts",
                    candidate.worker_id.as_deref().unwrap_or("?"),
                    candidate.max_attempts
                );
                on_conn!(&mut tx.conn, c => {
                    sqlx::query(
                        "UPDATE jobs SET state = 'failed', error = $1, finished_at = $2, lease_until = NULL WHERE id = $3",
                    )
                    .bind(&message)
                    .bind(SqlTimestamp(now))
                    .bind(candidate.id.get())
                    .execute(&mut *c)
                    .await?;
                });
                tracing::warn!(job = %candidate.id, attempts = candidate.attempts, "job failed after its lease ended");
                tx.audit(
                    AuditEntry::new(&change, "job.fail", "job", candidate.id)
                        .unit(candidate.unit_id)
                        .after(&json!({ "state": "failed", "error": message }))?,
                );
                continue;
            }

            let sql = format!(
                "UPDATE jobs SET state = 'running', worker_id = $1, lease_until = $2, heartbeat_at = $3, \
                 attempts = attempts + 1, started_at = COALESCE(started_at, $3) WHERE id = $4 RETURNING {JOB_COLUMNS}"
            );
            let job = on_conn!(&mut tx.conn, c => {
                let row = sqlx::query(&sql)
                    .bind(worker)
                    .bind(SqlTimestamp(lease_until))
                    .bind(SqlTimestamp(now))
                    .bind(candidate.id.get())
                    .fetch_one(&mut *c)
                    .await?;
                job_from_row(&row)?
            });
            let takeover = candidate.state == JobState::Running;
            if takeover {
                tracing::warn!(job = %job.id, from = ?candidate.worker_id, to = worker, "job taken over after its lease ended");
            }
            tx.audit(
                AuditEntry::new(&change, "job.claim", "job", job.id)
                    .unit(job.unit_id)
                    .before(&json!({ "state": candidate.state, "worker_id": candidate.worker_id }))?
                    .after(&json!({ "state": job.state, "worker_id": job.worker_id, "attempts": job.attempts, "takeover": takeover }))?,
            );
            break Some(job);
        };
        tx.commit().await?;
        Ok(claimed)
    }

    /// Renews a running job's lease and records its progress. Not audited: progress changes
    /// no business data, and heartbeats come every few seconds.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] when another worker took the job over or it ended otherwise;
    /// the worker must stop. [`StoreError::Invalid`] for progress outside 0 to 1.
    pub async fn heartbeat_job(
        &self,
        job: JobId,
        worker: &str,
        lease: Duration,
        progress: f64,
        best_score: Option<Score>,
    ) -> Result<JobControl> {
        if !(0.0..=1.0).contains(&progress) {
            return Err(StoreError::invalid(InvalidRequest::Progress { progress }));
        }
        let mut tx = self.begin_write().await?;
        let found = fetch_job(&mut tx.conn, job, Lock::Update).await?;
        if found.state == JobState::Cancelled {
            tx.commit().await?;
            return Ok(JobControl::Cancelled);
        }
        held_job(&mut tx.conn, job, worker).await?;
        let now = tx.now;
        let lease_until = lease_end(now, lease)?;
        on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "UPDATE jobs SET lease_until = $1, heartbeat_at = $2, progress = $3, best_score_hard = $4, \
                 best_score_soft = $5 WHERE id = $6",
            )
            .bind(SqlTimestamp(lease_until))
            .bind(SqlTimestamp(now))
            .bind(progress)
            .bind(best_score.map(|s| s.hard))
            .bind(best_score.map(|s| s.soft))
            .bind(job.get())
            .execute(&mut *c)
            .await?;
        });
        tx.commit().await?;
        Ok(JobControl::Continue)
    }

    /// Finishes a job: saves its schedule as a new proposal of the job's period and marks
    /// the job done with that version, in one transaction.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] when the worker has lost the job (taken over or
    /// cancelled); the schedule is then not saved. Otherwise as [`Store::save_version`].
    pub async fn finish_job(&self, job: JobId, worker: &str, result: &NewVersion) -> Result<Job> {
        let change = Change::by(Actor::Worker(worker.to_string()));
        let mut tx = self.begin_write().await?;
        let held = held_job(&mut tx.conn, job, worker).await?;
        let period = fetch_period(&mut tx.conn, held.unit_id, held.period_id, Lock::Share).await?;
        let version = insert_version(&mut tx, held.unit_id, &period, result, &change.actor.label()).await?;
        let now = tx.now;
        let sql = format!(
            "UPDATE jobs SET state = 'done', progress = 1, best_score_hard = $1, best_score_soft = $2, \
             result_version_id = $3, finished_at = $4, lease_until = NULL WHERE id = $5 RETURNING {JOB_COLUMNS}"
        );
        let done = on_conn!(&mut tx.conn, c => {
            let row = sqlx::query(&sql)
                .bind(result.score.hard)
                .bind(result.score.soft)
                .bind(version.get())
                .bind(SqlTimestamp(now))
                .bind(job.get())
                .fetch_one(&mut *c)
                .await?;
            job_from_row(&row)?
        });
        tx.audit(
            AuditEntry::new(&change, "version.create", "schedule_version", version)
                .unit(held.unit_id)
                .after(&json!({ "period": held.period_id, "job": job, "score": result.score, "note": result.note, "assignments": result.assignments }))?,
        );
        tx.audit(
            AuditEntry::new(&change, "job.finish", "job", job)
                .unit(held.unit_id)
                .before(&json!({ "state": held.state }))?
                .after(
                    &json!({ "state": done.state, "result_version_id": version, "score": result.score }),
                )?,
        );
        tx.commit().await?;
        tracing::info!(job = %job, version = %version, score = %result.score, "solve job done");
        Ok(done)
    }

    /// Marks a job failed with the worker's error message.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] when the worker has lost the job.
    pub async fn fail_job(&self, job: JobId, worker: &str, error: &str) -> Result<Job> {
        let change = Change::by(Actor::Worker(worker.to_string()));
        let mut tx = self.begin_write().await?;
        let held = held_job(&mut tx.conn, job, worker).await?;
        let now = tx.now;
        let sql = format!(
            "UPDATE jobs SET state = 'failed', error = $1, finished_at = $2, lease_until = NULL WHERE id = $3 \
             RETURNING {JOB_COLUMNS}"
        );
        let failed = on_conn!(&mut tx.conn, c => {
            let row = sqlx::query(&sql).bind(error).bind(SqlTimestamp(now)).bind(job.get()).fetch_one(&mut *c).await?;
            job_from_row(&row)?
        });
        tx.audit(
            AuditEntry::new(&change, "job.fail", "job", job)
                .unit(held.unit_id)
                .before(&json!({ "state": held.state }))?
                .after(&json!({ "state": failed.state, "error": error }))?,
        );
        tx.commit().await?;
        tracing::warn!(job = %job, worker, error, "solve job failed");
        Ok(failed)
    }

    /// Hands a running job back to the queue, as a worker does when it shuts down. The
    /// attempt does not count.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] when the worker has lost the job.
    pub async fn release_job(&self, job: JobId, worker: &str) -> Result<Job> {
        let change = Change::by(Actor::Worker(worker.to_string()));
        let mut tx = self.begin_write().await?;
        let held = held_job(&mut tx.conn, job, worker).await?;
        let sql = format!(
            "UPDATE jobs SET state = 'queued', worker_id = NULL, lease_until = NULL, attempts = attempts - 1 \
             WHERE id = $1 RETURNING {JOB_COLUMNS}"
        );
        let released = on_conn!(&mut tx.conn, c => {
            let row = sqlx::query(&sql).bind(job.get()).fetch_one(&mut *c).await?;
            job_from_row(&row)?
        });
        tx.audit(
            AuditEntry::new(&change, "job.release", "job", job)
                .unit(held.unit_id)
                .before(&json!({ "state": held.state, "worker_id": held.worker_id }))?
                .after(&json!({ "state": released.state }))?,
        );
        tx.commit().await?;
        Ok(released)
    }

    /// Cancels a queued or running job. A running job's worker learns it at its next
    /// heartbeat.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] when the job has ended, [`StoreError::NotFound`] for a job of
    /// another unit.
    pub async fn cancel_job(&self, unit: UnitId, job: JobId, change: &Change) -> Result<Job> {
        let mut tx = self.begin_write().await?;
        let found = fetch_job(&mut tx.conn, job, Lock::Update).await?;
        if found.unit_id != unit {
            return Err(StoreError::not_found("job", job));
        }
        if found.state.is_final() {
            return Err(StoreError::invalid(InvalidRequest::JobEnded { state: found.state }));
        }
        let now = tx.now;
        let sql = format!(
            "UPDATE jobs SET state = 'cancelled', finished_at = $1, lease_until = NULL WHERE id = $2 RETURNING {JOB_COLUMNS}"
        );
        let cancelled = on_conn!(&mut tx.conn, c => {
            let row = sqlx::query(&sql).bind(SqlTimestamp(now)).bind(job.get()).fetch_one(&mut *c).await?;
            job_from_row(&row)?
        });
        tx.audit(
            AuditEntry::new(change, "job.cancel", "job", job)
                .unit(unit)
                .before(&json!({ "state": found.state, "worker_id": found.worker_id }))?
                .after(&json!({ "state": cancelled.state }))?,
        );
        tx.commit().await?;
        Ok(cancelled)
    }

    /// Reads a job of a unit.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a job of another unit.
    pub async fn get_job(&self, unit: UnitId, job: JobId) -> Result<Job> {
        let mut tx = self.begin_read().await?;
        let found = fetch_job(&mut tx.conn, job, Lock::None).await?;
        tx.finish().await?;
        if found.unit_id != unit {
            return Err(StoreError::not_found("job", job));
        }
        Ok(found)
    }

    /// Lists a period's jobs, newest first.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a period of another unit.
    pub async fn list_jobs(&self, unit: UnitId, period: PeriodId) -> Result<Vec<Job>> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE period_id = $1 ORDER BY id DESC");
        let mut tx = self.begin_read().await?;
        fetch_period(&mut tx.conn, unit, period, Lock::None).await?;
        let jobs = on_conn!(&mut tx.conn, c => {
            let rows = sqlx::query(&sql).bind(period.get()).fetch_all(&mut *c).await?;
            rows.iter().map(job_from_row).collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(jobs)
    }
}
