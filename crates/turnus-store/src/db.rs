//! The connection to one of the two backends and the transactions that repository functions
//! run in. A write transaction takes the write lock up front (`BEGIN IMMEDIATE` on SQLite),
//! reads the clock once, collects audit entries and appends them just before it commits.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{PgPool, Postgres, Row, Sqlite, SqlitePool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::audit::{self, AuditEntry};
use crate::error::{InvalidRequest, Result, StoreError};
use crate::sqltypes::{SqlDate, SqlTime, SqlTimestamp, truncate_to_micros};

/// Runs `$body` with `$c` bound to the transaction's connection of either backend. The body
/// is compiled once per backend, so every bind and decode is checked against both.
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::db::Conn::Sqlite(tx) => {
                let $c: &mut sqlx::SqliteConnection = tx;
                $body
            }
            $crate::db::Conn::Postgres(tx) => {
                let $c: &mut sqlx::PgConnection = tx;
                $body
            }
        }
    };
}
pub(crate) use on_conn;

/// The database kind a store uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The result of [`Store::health`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub backend: Backend,
    /// The newest migration applied, `None` before the first.
    pub schema_version: Option<i64>,
    /// SQLite's settings on a pooled connection; `None` on PostgreSQL.
    pub sqlite: Option<SqliteSettings>,
}

/// SQLite connection settings as the database reports them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteSettings {
    /// `wal` when write-ahead logging is on.
    pub journal_mode: String,
    pub foreign_keys: bool,
    pub busy_timeout_ms: i64,
}

/// Connection settings. The defaults suit one server process with in-process workers.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Maximum open connections in the pool.
    pub max_connections: u32,
    /// SQLite only: how long a statement waits for another connection's write lock before it
    /// fails with "database is locked".
    pub busy_timeout: Duration,
    /// How long a caller waits for a free pooled connection.
    pub acquire_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions {
            max_connections: 10,
            busy_timeout: Duration::from_secs(10),
            acquire_timeout: Duration::from_secs(30),
        }
    }
}

/// The Turnus database: a pool of connections to SQLite or PostgreSQL. Cloning is cheap and
/// shares the pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    /// SQLite only: taken before `BEGIN IMMEDIATE`, so the writers of this process queue
    /// here in arrival order. Without it they would all race for SQLite's write lock, and
    /// those that lose poll for it with SQLite's busy handler, which sleeps up to 100 ms
    /// between tries and lets later arrivals overtake. Other processes on the same file
    /// still wait through the busy timeout.
    write_gate: Arc<Mutex<()>>,
}

#[derive(Debug, Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The open transaction of either backend.
pub(crate) enum Conn {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A row lock taken by a `SELECT` on PostgreSQL. SQLite needs none: `BEGIN IMMEDIATE`
/// already serialises writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    None,
    /// Others may read and share-lock the row but not change it until this transaction ends.
    Share,
    /// The row is about to change: others wait.
    Update,
}

impl Conn {
    /// The locking clause to append to a single-table `SELECT`.
    pub(crate) fn lock_clause(&self, lock: Lock) -> &'static str {
        match (self, lock) {
            (Conn::Sqlite(_), _) | (_, Lock::None) => "",
            (Conn::Postgres(_), Lock::Share) => " FOR SHARE",
            (Conn::Postgres(_), Lock::Update) => " FOR UPDATE",
        }
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Postgres(_) => Backend::Postgres,
        }
    }
}

/// A write transaction with its clock reading and the audit entries to append at commit.
pub(crate) struct WriteTx {
    pub(crate) conn: Conn,
    /// The time of the change, read once: the database clock on PostgreSQL (shared by all
    /// workers there), the process clock on SQLite (one host). Whole microseconds.
    pub(crate) now: Timestamp,
    audit: Vec<AuditEntry>,
    /// The store's write gate on SQLite, released after `conn` ends: fields drop in
    /// declaration order, and [`WriteTx::commit`] commits before the guard drops.
    _gate: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Queues an audit entry; [`WriteTx::commit`] appends it in this transaction.
    pub(crate) fn audit(&mut self, entry: AuditEntry) {
        self.audit.push(entry);
    }

    /// Appends the queued audit entries and commits. Appending last keeps the lock on the
    /// audit chain head as short as possible, and no statement that could wait for another
    /// row lock runs while it is held, so appends cannot deadlock with other writers.
    pub(crate) async fn commit(mut self) -> Result<()> {
        let entries = std::mem::take(&mut self.audit);
        if !entries.is_empty() {
            audit::append(&mut self.conn, self.now, entries).await?;
        }
        match self.conn {
            Conn::Sqlite(tx) => tx.commit().await?,
            Conn::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// A read-only transaction: one consistent snapshot for reads that span several queries.
pub(crate) struct ReadTx {
    pub(crate) conn: Conn,
}

impl ReadTx {
    pub(crate) async fn finish(self) -> Result<()> {
        match self.conn {
            Conn::Sqlite(tx) => tx.commit().await?,
            Conn::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// The database a connection string names.
enum Target {
    Postgres(PgConnectOptions),
    Sqlite(SqliteConnectOptions),
}

fn parse_target(url: &str) -> Result<Target> {
    let invalid =
        |e: sqlx::Error| StoreError::invalid(InvalidRequest::DatabaseUrl { message: e.to_string() });
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Target::Postgres(PgConnectOptions::from_str(url).map_err(invalid)?));
    }
    if url.starts_with("sqlite:") {
        return Ok(Target::Sqlite(SqliteConnectOptions::from_str(url).map_err(invalid)?));
    }
    if url.contains("://") {
        return Err(StoreError::invalid(InvalidRequest::DatabaseScheme {
            scheme: url.split("://").next().unwrap_or_default().to_string(),
        }));
    }
    if url.is_empty() {
        return Err(StoreError::invalid(InvalidRequest::DatabasePathEmpty));
    }
    // A plain path: the SQLite file, created on first use.
    Ok(Target::Sqlite(SqliteConnectOptions::new().filename(url).create_if_missing(true)))
}

impl Store {
    /// Connects to the database named by `url` and applies the embedded migrations.
    ///
    /// `url` is `postgres://…` (or `postgresql://…`), `sqlite://PATH?mode=rwc`, or a plain
    /// file path for SQLite, which is created if missing.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for a malformed URL, [`StoreError::Db`] when the database cannot
    /// be reached, [`StoreError::Migrate`] when a migration fails or the database holds a
    /// migration this build does not know.
    pub async fn open(url: &str) -> Result<Store> {
        let store = Store::connect(url, &StoreOptions::default()).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Connects without running migrations.
    ///
    /// SQLite connections use WAL journaling (readers do not block the writer), foreign keys
    /// on, `synchronous = FULL` (a committed transaction survives power loss) and the busy
    /// timeout of `options`.
    ///
    /// # Errors
    ///
    /// As [`Store::open`], without the migration errors.
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Store> {
        let pool = match parse_target(url)? {
            Target::Postgres(connect) => {
                tracing::info!(
                    host = connect.get_host(),
                    port = connect.get_port(),
                    database = connect.get_database(),
                    "connecting to PostgreSQL"
                );
                let pool = PgPoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.acquire_timeout)
                    .connect_with(connect)
                    .await?;
                Pool::Postgres(pool)
            }
            Target::Sqlite(connect) => {
                let connect = connect
                    .journal_mode(SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .synchronous(SqliteSynchronous::Full)
                    .busy_timeout(options.busy_timeout);
                tracing::info!(file = %connect.get_filename().display(), "opening SQLite database");
                // A connection to a local file does not go stale while idle, so the ping
                // before each acquire would only cost a round trip to its worker thread.
                let pool = SqlitePoolOptions::new()
                    .max_connections(options.max_connections)
                    .acquire_timeout(options.acquire_timeout)
                    .test_before_acquire(false)
                    .connect_with(connect)
                    .await?;
                Pool::Sqlite(pool)
            }
        };
        Ok(Store { pool, write_gate: Arc::new(Mutex::new(())) })
    }

    /// Applies the migrations embedded in this binary that the database has not seen yet.
    ///
    /// # Errors
    ///
    /// [`StoreError::Migrate`] when a migration fails, or when the database was migrated by a
    /// newer build (it holds a migration this build lacks) or an applied migration changed.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Pool::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        tracing::info!(backend = ?self.backend(), "database schema is up to date");
        Ok(())
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        match &self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every pooled connection; waits for connections in use to be returned.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }

    /// Writes a consistent copy of an SQLite database to `path` with `VACUUM INTO`, while
    /// other connections go on reading and writing. The copy is compacted and has no WAL.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] on PostgreSQL (back it up with `pg_dump`) and for a path that
    /// is not UTF-8; [`StoreError::Db`] when SQLite fails, for example because `path`
    /// already exists.
    pub async fn backup_sqlite(&self, path: &std::path::Path) -> Result<()> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(StoreError::invalid(InvalidRequest::BackupNeedsSqlite));
        };
        let path = path.to_str().ok_or_else(|| StoreError::invalid(InvalidRequest::BackupPathNotUtf8))?;
        sqlx::query("VACUUM INTO $1").bind(path).execute(pool).await?;
        tracing::info!(path, "SQLite database copied");
        Ok(())
    }

    /// Checks that the database answers and reports the schema version and, on SQLite, the
    /// connection settings in force. For health endpoints and `turnus doctor`-style checks.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the database does not answer.
    pub async fn health(&self) -> Result<Health> {
        let mut tx = self.begin_read().await?;
        let schema_version = on_conn!(&mut tx.conn, c => {
            sqlx::query("SELECT max(version) AS version FROM _sqlx_migrations WHERE success")
                .fetch_one(&mut *c)
                .await?
                .opt_i64("version")?
        });
        let sqlite = match &mut tx.conn {
            Conn::Sqlite(c) => {
                let journal_mode: String =
                    sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut **c).await?;
                let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut **c).await?;
                let busy_timeout_ms: i64 =
                    sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut **c).await?;
                Some(SqliteSettings { journal_mode, foreign_keys: foreign_keys == 1, busy_timeout_ms })
            }
            Conn::Postgres(_) => None,
        };
        tx.finish().await?;
        Ok(Health { backend: self.backend(), schema_version, sqlite })
    }

    /// Begins a write transaction and reads the clock.
    pub(crate) async fn begin_write(&self) -> Result<WriteTx> {
        match &self.pool {
            Pool::Sqlite(pool) => {
                // The gate comes before the pooled connection, so waiting writers hold no
                // connection that readers could use.
                let gate = Arc::clone(&self.write_gate).lock_owned().await;
                // IMMEDIATE takes the write lock now: a deferred transaction that reads first
                // and writes later can fail with SQLITE_BUSY instead of waiting.
                let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let now = truncate_to_micros(Timestamp::now());
                Ok(WriteTx { conn: Conn::Sqlite(tx), now, audit: Vec::new(), _gate: Some(gate) })
            }
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let now: SqlTimestamp = sqlx::query_scalar("SELECT now()").fetch_one(&mut *tx).await?;
                Ok(WriteTx { conn: Conn::Postgres(tx), now: now.0, audit: Vec::new(), _gate: None })
            }
        }
    }

    /// Begins a read-only transaction with one snapshot for all its queries.
    pub(crate) async fn begin_read(&self) -> Result<ReadTx> {
        let conn = match &self.pool {
            // A deferred transaction in WAL mode reads one snapshot from its first SELECT on.
            Pool::Sqlite(pool) => Conn::Sqlite(pool.begin().await?),
            Pool::Postgres(pool) => {
                Conn::Postgres(pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").await?)
            }
        };
        Ok(ReadTx { conn })
    }
}

/// Typed column access shared by both backends' rows.
pub(crate) trait RowExt {
    fn i64(&self, column: &str) -> Result<i64>;
    fn opt_i64(&self, column: &str) -> Result<Option<i64>>;
    fn f64(&self, column: &str) -> Result<f64>;
    fn boolean(&self, column: &str) -> Result<bool>;
    fn text(&self, column: &str) -> Result<String>;
    fn opt_text(&self, column: &str) -> Result<Option<String>>;
    fn date(&self, column: &str) -> Result<Date>;
    fn opt_date(&self, column: &str) -> Result<Option<Date>>;
    fn time(&self, column: &str) -> Result<Time>;
    fn timestamp(&self, column: &str) -> Result<Timestamp>;
    fn opt_timestamp(&self, column: &str) -> Result<Option<Timestamp>>;
}

macro_rules! impl_row_ext {
    ($row:ty) => {
        impl RowExt for $row {
            fn i64(&self, column: &str) -> Result<i64> {
                Ok(self.try_get(column)?)
            }
            fn opt_i64(&self, column: &str) -> Result<Option<i64>> {
                Ok(self.try_get(column)?)
            }
            fn f64(&self, column: &str) -> Result<f64> {
                Ok(self.try_get(column)?)
            }
            fn boolean(&self, column: &str) -> Result<bool> {
                Ok(self.try_get(column)?)
            }
            fn text(&self, column: &str) -> Result<String> {
                Ok(self.try_get(column)?)
            }
            fn opt_text(&self, column: &str) -> Result<Option<String>> {
                Ok(self.try_get(column)?)
            }
            fn date(&self, column: &str) -> Result<Date> {
                Ok(self.try_get::<SqlDate, _>(column)?.0)
            }
            fn opt_date(&self, column: &str) -> Result<Option<Date>> {
                Ok(self.try_get::<Option<SqlDate>, _>(column)?.map(|d| d.0))
            }
            fn time(&self, column: &str) -> Result<Time> {
                Ok(self.try_get::<SqlTime, _>(column)?.0)
            }
            fn timestamp(&self, column: &str) -> Result<Timestamp> {
                Ok(self.try_get::<SqlTimestamp, _>(column)?.0)
            }
            fn opt_timestamp(&self, column: &str) -> Result<Option<Timestamp>> {
                Ok(self.try_get::<Option<SqlTimestamp>, _>(column)?.map(|t| t.0))
            }
        }
    };
}

impl_row_ext!(SqliteRow);
impl_row_ext!(PgRow);
