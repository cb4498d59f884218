//! The test harness: a fresh database per test, on SQLite always and on PostgreSQL when
//! `TURNUS_TEST_PG` names a database. Each PostgreSQL test gets its own schema, so tests run
//! in parallel without seeing each other's rows.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;
use turnus_store::{Actor, Backend, Change, NewUnit, OrgId, Store, Unit};

/// A store on a fresh database, with what a test needs to reach behind the store's back.
pub struct TestDb {
    pub store: Store,
    url: String,
    schema: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

static NEXT_SCHEMA: AtomicU32 = AtomicU32::new(0);

/// Runs each named `async fn NAME(db: &TestDb)` as two tests, `NAME::sqlite` and
/// `NAME::postgres`.
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let db = crate::common::sqlite().await;
                super::$name(&db).await;
                db.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let Some(db) = crate::common::postgres().await else { return };
                super::$name(&db).await;
                db.finish().await;
            }
        }
    )*};
}
pub(crate) use backend_tests;

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("turnus.db").display());
    let store = Store::open(&url).await.expect("open SQLite store");
    TestDb { store, url, schema: None, _dir: Some(dir) }
}

/// A store on a new schema of the `TURNUS_TEST_PG` database, or `None` when the variable is
/// unset outside CI.
///
/// # Panics
///
/// When `TURNUS_TEST_PG` is unset while `CI` is set: CI must run the PostgreSQL tests.
pub async fn postgres() -> Option<TestDb> {
    let Ok(base) = std::env::var("TURNUS_TEST_PG") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "TURNUS_TEST_PG is not set: CI must run the PostgreSQL tests (.ci/run starts a server)"
        );
        eprintln!("PostgreSQL test skipped: TURNUS_TEST_PG is not set");
        return None;
    };
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let schema =
        format!("turnus_test_{}_{}_{nanos}", std::process::id(), NEXT_SCHEMA.fetch_add(1, Ordering::Relaxed));
    let mut admin = sqlx::PgConnection::connect(&base).await.expect("connect to TURNUS_TEST_PG");
    sqlx::raw_sql(&format!("CREATE SCHEMA {schema}")).execute(&mut admin).await.expect("create schema");
    admin.close().await.ok();

    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options[search_path]={schema}");
    let store = Store::open(&url).await.expect("open PostgreSQL store");
    Some(TestDb { store, url, schema: Some((base, schema)), _dir: None })
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Runs SQL directly on the database, as someone with database access could.
    pub async fn raw(&self, sql: &str) -> Result<(), sqlx::Error> {
        match self.backend() {
            Backend::Sqlite => {
                let mut conn = sqlx::SqliteConnection::connect(&self.url).await?;
                sqlx::raw_sql(sql).execute(&mut conn).await?;
                conn.close().await
            }
            Backend::Postgres => {
                let mut conn = sqlx::PgConnection::connect(&self.url).await?;
                sqlx::raw_sql(sql).execute(&mut conn).await?;
                conn.close().await
            }
        }
    }

    /// Closes the store and drops the PostgreSQL schema.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((base, schema)) = &self.schema {
            let mut admin = sqlx::PgConnection::connect(base).await.expect("connect to TURNUS_TEST_PG");
            sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&mut admin)
                .await
                .expect("drop schema");
            admin.close().await.ok();
        }
    }
}

/// A change by the system actor `test`.
pub fn system() -> Change {
    Change::by(Actor::System("test".into()))
}

/// A new organisation with one unit in Stockholm's time zone.
pub async fn unit(store: &Store) -> (OrgId, Unit) {
    let org = store.create_org("Exempelkommun", &system()).await.expect("create organisation");
    let unit = NewUnit {
        name: "Björkens äldreboende".into(),
        time_zone: "Europe/Stockholm".into(),
        preset: turnus_core::Preset::Ab,
    };
    let unit = store.create_unit(org.id, &unit, &system()).await.expect("create unit");
    (org.id, unit)
}
