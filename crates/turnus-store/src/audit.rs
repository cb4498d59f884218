//! The audit log: who changed what, when, from what to what and why. Rows are appended in
//! the transaction of the change they record and never updated or deleted (database
//! triggers reject both). Each row stores `hash = SHA-256(prev_hash "\n" content)`, where
//! `content` is the canonical JSON of its fields, so [`Store::verify_audit`] finds a row
//! altered or removed behind the store's back.
//!
//! Appends lock the single row of `audit_head`, which holds the newest sequence number and
//! hash, so concurrent writers append one after another and the chain never forks. A chain
//! without a secret key cannot stop someone who rewrites every later row and the head too:
//! keep the head hash that `verify_audit` returns somewhere outside the database to detect
//! that.

use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::{Conn, Lock, RowExt, Store, on_conn};
use crate::error::Result;
use crate::ids::{UnitId, UserId};
use crate::sqltypes::{SqlTimestamp, format_timestamp};

/// The `prev_hash` of the first row.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Rows read per query while verifying, to bound memory on long logs.
const VERIFY_PAGE: i64 = 1000;

/// The actor behind a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Actor {
    /// A signed-in user or the holder of one of their API tokens.
    User(UserId),
    /// A solve worker, by its worker id.
    Worker(String),
    /// The system itself or an operator's command, such as `cli` for `turnus user add`.
    System(String),
}

impl Actor {
    /// The actor as stored: `user:12`, `worker:host-1234`, `system:cli`.
    pub fn label(&self) -> String {
        match self {
            Actor::User(id) => format!("user:{id}"),
            Actor::Worker(id) => format!("worker:{id}"),
            Actor::System(name) => format!("system:{name}"),
        }
    }

    fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User(id) => Some(id.get()),
            _ => None,
        }
    }
}

/// Who makes a change and why: every mutating store function takes one and writes it to the
/// audit row of the change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub actor: Actor,
    /// Free-text reason; required where the domain demands one, such as a late publication.
    pub reason: Option<String>,
}

impl Change {
    /// A change by `actor` without a reason.
    pub fn by(actor: Actor) -> Change {
        Change { actor, reason: None }
    }

    /// The same change with a reason.
    pub fn because(mut self, reason: impl Into<String>) -> Change {
        self.reason = Some(reason.into());
        self
    }

    /// The reason, if it has any text.
    pub(crate) fn reason_text(&self) -> Option<&str> {
        self.reason.as_deref().map(str::trim).filter(|r| !r.is_empty())
    }
}

/// An audit row waiting to be appended at commit.
#[derive(Debug, Clone)]
pub(crate) struct AuditEntry {
    actor: String,
    actor_user_id: Option<i64>,
    unit_id: Option<i64>,
    action: &'static str,
    entity: &'static str,
    entity_id: String,
    before: Option<String>,
    after: Option<String>,
    reason: Option<String>,
}

impl AuditEntry {
    /// An entry for `action` (such as `wish.update`) on one row of `entity`.
    pub(crate) fn new(
        change: &Change,
        action: &'static str,
        entity: &'static str,
        id: impl ToString,
    ) -> Self {
        AuditEntry {
            actor: change.actor.label(),
            actor_user_id: change.actor.user_id(),
            unit_id: None,
            action,
            entity,
            entity_id: id.to_string(),
            before: None,
            after: None,
            reason: change.reason_text().map(str::to_string),
        }
    }

    pub(crate) fn unit(mut self, unit: UnitId) -> Self {
        self.unit_id = Some(unit.get());
        self
    }

    pub(crate) fn before(mut self, value: &impl Serialize) -> Result<Self> {
        self.before = Some(serde_json::to_string(value)?);
        Ok(self)
    }

    pub(crate) fn after(mut self, value: &impl Serialize) -> Result<Self> {
        self.after = Some(serde_json::to_string(value)?);
        Ok(self)
    }
}

/// One row of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRecord {
    /// Position in the chain, from 1 without gaps.
    pub seq: i64,
    pub at: Timestamp,
    /// `user:ID`, `worker:ID` or `system:NAME`.
    pub actor: String,
    pub actor_user_id: Option<UserId>,
    pub unit_id: Option<UnitId>,
    /// What happened, as `entity.verb`: `period.transition`, `assignment.update`.
    pub action: String,
    /// The table concerned, singular: `schedule_period`, `assignment`.
    pub entity: String,
    pub entity_id: String,
    /// The row before the change as JSON, absent for a creation.
    pub before_json: Option<String>,
    /// The row after the change as JSON, absent for a deletion.
    pub after_json: Option<String>,
    pub reason: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRecord {
    /// The canonical content that the hash covers: a JSON array of every field except the
    /// hashes, with the instant in fixed-width UTC text.
    fn canonical(&self) -> String {
        serde_json::json!([
            self.seq,
            format_timestamp(self.at),
            self.actor,
            self.actor_user_id.map(UserId::get),
            self.unit_id.map(UnitId::get),
            self.action,
            self.entity,
            self.entity_id,
            self.before_json,
            self.after_json,
            self.reason,
        ])
        .to_string()
    }

    fn compute_hash(&self) -> String {
        chain_hash(&self.prev_hash, &self.canonical())
    }

    fn from_row(row: &impl RowExt) -> Result<AuditRecord> {
        Ok(AuditRecord {
            seq: row.i64("seq")?,
            at: row.timestamp("at")?,
            actor: row.text("actor")?,
            actor_user_id: row.opt_i64("actor_user_id")?.map(UserId),
            unit_id: row.opt_i64("unit_id")?.map(UnitId),
            action: row.text("action")?,
            entity: row.text("entity")?,
            entity_id: row.text("entity_id")?,
            before_json: row.opt_text("before_json")?,
            after_json: row.opt_text("after_json")?,
            reason: row.opt_text("reason")?,
            prev_hash: row.text("prev_hash")?,
            hash: row.text("hash")?,
        })
    }
}

fn chain_hash(prev_hash: &str, content: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(b"\n");
    hasher.update(content.as_bytes());
    hex::encode(hasher.finalize())
}

const AUDIT_COLUMNS: &str = "seq, at, actor, actor_user_id, unit_id, action, entity, entity_id, \
     before_json, after_json, reason, prev_hash, hash";

/// Appends `entries` to the chain inside the caller's transaction.
pub(crate) async fn append(conn: &mut Conn, now: Timestamp, entries: Vec<AuditEntry>) -> Result<()> {
    let lock = conn.lock_clause(Lock::Update);
    let head_sql = format!("SELECT seq, hash FROM audit_head WHERE id = 1{lock}");
    on_conn!(conn, c => {
        let head = sqlx::query(&head_sql).fetch_one(&mut *c).await?;
        let mut seq = head.i64("seq")?;
        let mut hash = head.text("hash")?;
        for entry in entries {
            let record = AuditRecord {
                seq: seq + 1,
                at: now,
                actor: entry.actor,
                actor_user_id: entry.actor_user_id.map(UserId),
                unit_id: entry.unit_id.map(UnitId),
                action: entry.action.to_string(),
                entity: entry.entity.to_string(),
                entity_id: entry.entity_id,
                before_json: entry.before,
                after_json: entry.after,
                reason: entry.reason,
                prev_hash: hash,
                hash: String::new(),
            };
            let new_hash = record.compute_hash();
            sqlx::query(
                "INSERT INTO audit_log (seq, at, actor, actor_user_id, unit_id, action, entity, entity_id, \
                 before_json, after_json, reason, prev_hash, hash) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(record.seq)
            .bind(SqlTimestamp(record.at))
            .bind(&record.actor)
            .bind(record.actor_user_id.map(UserId::get))
            .bind(record.unit_id.map(UnitId::get))
            .bind(&record.action)
            .bind(&record.entity)
            .bind(&record.entity_id)
            .bind(&record.before_json)
            .bind(&record.after_json)
            .bind(&record.reason)
            .bind(&record.prev_hash)
            .bind(&new_hash)
            .execute(&mut *c)
            .await?;
            seq = record.seq;
            hash = new_hash;
        }
        sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
            .bind(seq)
            .bind(&hash)
            .execute(&mut *c)
            .await?;
    });
    Ok(())
}

/// The filter for listing audit rows.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Only rows of this unit; `None` lists every row (for admins).
    pub unit: Option<UnitId>,
    /// Only rows about this entity and id, such as `("wish", "12")`.
    pub entity: Option<(String, String)>,
    /// Only rows after this sequence number, for paging.
    pub after_seq: Option<i64>,
    /// Maximum rows returned; 0 means 100. At most 1000.
    pub limit: u32,
}

/// A break in the audit chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditBreak {
    /// The row's content no longer matches its hash: it was altered.
    ContentAltered { seq: i64 },
    /// The row's `prev_hash` differs from the previous row's hash: rows before it were
    /// removed, inserted or altered together with their hashes.
    ChainBroken { seq: i64 },
    /// A sequence number is missing: the rows in between were deleted.
    Gap { expected_seq: i64, found_seq: i64 },
    /// The head row does not match the last row: the newest rows were deleted, or the head
    /// was altered.
    HeadMismatch { head_seq: i64, last_seq: i64 },
}

/// The result of [`Store::verify_audit`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditVerification {
    pub rows_checked: u64,
    /// Sequence number and hash of the last row checked; record them outside the database
    /// to detect a later rewrite of the whole chain.
    pub last_seq: i64,
    pub last_hash: String,
    /// The first break found, if any.
    pub first_break: Option<AuditBreak>,
}

impl AuditVerification {
    /// Whether the chain is intact.
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none()
    }
}

impl Store {
    /// Lists audit rows in chain order.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails.
    pub async fn list_audit(&self, query: &AuditQuery) -> Result<Vec<AuditRecord>> {
        let limit = match query.limit {
            0 => 100,
            n => i64::from(n.min(1000)),
        };
        let (entity, entity_id) = match &query.entity {
            Some((entity, id)) => (Some(entity.as_str()), Some(id.as_str())),
            None => (None, None),
        };
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log \
             WHERE ($1 IS NULL OR unit_id = $1) AND ($2 IS NULL OR (entity = $2 AND entity_id = $3)) \
             AND seq > $4 ORDER BY seq LIMIT $5"
        );
        let mut tx = self.begin_read().await?;
        let unit = query.unit.map(UnitId::get);
        let after = query.after_seq.unwrap_or(0);
        let records = on_conn!(&mut tx.conn, c => {
            let rows = sqlx::query(&sql)
                .bind(unit)
                .bind(entity)
                .bind(entity_id)
                .bind(after)
                .bind(limit)
                .fetch_all(&mut *c)
                .await?;
            rows.iter().map(AuditRecord::from_row).collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(records)
    }

    /// Walks the whole chain and reports the first row whose hash, link or sequence number
    /// does not hold, and whether the head matches the last row.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when a query fails. A broken chain is not an error: it is reported
    /// in [`AuditVerification::first_break`].
    pub async fn verify_audit(&self) -> Result<AuditVerification> {
        let mut tx = self.begin_read().await?;
        let mut expected_seq = 1;
        let mut prev_hash = GENESIS_HASH.to_string();
        let mut rows_checked = 0u64;
        let mut first_break = None;
        let page_sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2");

        'pages: loop {
            let page = on_conn!(&mut tx.conn, c => {
                let rows = sqlx::query(&page_sql)
                    .bind(expected_seq)
                    .bind(VERIFY_PAGE)
                    .fetch_all(&mut *c)
                    .await?;
                rows.iter().map(AuditRecord::from_row).collect::<Result<Vec<_>>>()?
            });
            if page.is_empty() {
                break;
            }
            for record in page {
                rows_checked += 1;
                if record.seq != expected_seq {
                    first_break = Some(AuditBreak::Gap { expected_seq, found_seq: record.seq });
                } else if record.prev_hash != prev_hash {
                    first_break = Some(AuditBreak::ChainBroken { seq: record.seq });
                } else if record.compute_hash() != record.hash {
                    first_break = Some(AuditBreak::ContentAltered { seq: record.seq });
                }
                if first_break.is_some() {
                    break 'pages;
                }
                expected_seq = record.seq + 1;
                prev_hash = record.hash;
            }
        }

        let last_seq = expected_seq - 1;
        if first_break.is_none() {
            let head = on_conn!(&mut tx.conn, c => {
                let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&mut *c).await?;
                (row.i64("seq")?, row.text("hash")?)
            });
            if head != (last_seq, prev_hash.clone()) {
                first_break = Some(AuditBreak::HeadMismatch { head_seq: head.0, last_seq });
            }
        }
        tx.finish().await?;

        match &first_break {
            Some(found) => tracing::warn!(?found, rows_checked, "audit chain is broken"),
            None => tracing::info!(rows_checked, last_seq, "audit chain verified"),
        }
        Ok(AuditVerification { rows_checked, last_seq, last_hash: prev_hash, first_break })
    }
}
