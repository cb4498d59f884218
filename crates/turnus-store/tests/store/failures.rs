//! Failures of the database driver worded for users: constraint violations on both
//! backends, a refused connection, and on PostgreSQL an unknown role and database.

use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::PgConnectOptions;
use turnus_core::Lang;
use turnus_store::{DbFailureKind, Store, StoreOptions, db_failure};

use crate::common::{TestDb, backend_tests};

backend_tests!(unique_violation_is_a_conflict, foreign_key_violation_is_a_conflict);

async fn unique_violation_is_a_conflict(db: &TestDb) {
    let sql =
        "CREATE TABLE pair (k TEXT UNIQUE); INSERT INTO pair VALUES ('a'); INSERT INTO pair VALUES ('a');";
    let error = db.raw(sql).await.expect_err("the second row breaks the unique key");
    let failure = db_failure(&error).expect("a common cause");
    assert_eq!(failure.kind, DbFailureKind::Conflict);
    assert!(failure.cause.pick(Lang::Sv).starts_with("En rad med samma nyckel finns redan"), "{failure:?}");
    assert_eq!(failure.fix.pick(Lang::En), "Reload and try again");
    assert_eq!(failure.detail, error.to_string());
}

async fn foreign_key_violation_is_a_conflict(db: &TestDb) {
    let sql = "CREATE TABLE parent (id INTEGER PRIMARY KEY); \
               CREATE TABLE child (parent_id INTEGER REFERENCES parent (id)); \
               INSERT INTO child VALUES (5);";
    let error = db.raw(sql).await.expect_err("the child names no parent");
    let failure = db_failure(&error).expect("a common cause");
    assert_eq!(failure.kind, DbFailureKind::Conflict);
    assert!(
        failure.cause.pick(Lang::En).starts_with("The row refers to a row that no longer exists"),
        "{failure:?}"
    );
}

#[tokio::test]
async fn refused_connection_is_unavailable() {
    // Nothing listens on port 1 of the loopback address, so the connection is refused.
    let url = "postgres://turnus@127.0.0.1:1/turnus";
    let error = sqlx::PgConnection::connect(url).await.expect_err("nothing listens on port 1");
    let failure = db_failure(&error).unwrap_or_else(|| panic!("a common cause: {error:?}"));
    assert_eq!(failure.kind, DbFailureKind::Unavailable);
    assert_eq!(failure.cause.pick(Lang::Sv), "Databasservern nekar anslutningen");

    // A store's pool retries until its acquire timeout, then reports that.
    let options = StoreOptions { acquire_timeout: Duration::from_secs(1), ..StoreOptions::default() };
    let Err(error) = Store::connect(url, &options).await else {
        panic!("a store opened on a closed port");
    };
    let failure = error.db_failure().unwrap_or_else(|| panic!("a common cause: {error:?}"));
    assert_eq!(failure.kind, DbFailureKind::Unavailable);
    assert_eq!(failure.cause.pick(Lang::Sv), "Databasen svarade inte i tid");
}

/// Returns the connect options of `TURNUS_TEST_PG`, or `None` when it is unset.
fn test_server() -> Option<PgConnectOptions> {
    let Ok(url) = std::env::var("TURNUS_TEST_PG") else {
        eprintln!("PostgreSQL test skipped: TURNUS_TEST_PG is not set");
        return None;
    };
    Some(url.parse().expect("TURNUS_TEST_PG is a PostgreSQL URL"))
}

#[tokio::test]
async fn unknown_role_is_rejected() {
    let Some(options) = test_server() else { return };
    // CI's server trusts every local user that exists, so an unknown role is what it rejects.
    let options = options.username("turnus_no_such_role");
    let error = sqlx::PgConnection::connect_with(&options).await.expect_err("the role does not exist");
    let failure = db_failure(&error).expect("a common cause");
    assert_eq!(failure.kind, DbFailureKind::Authentication);
    assert_eq!(failure.cause.pick(Lang::Sv), "Databasservern godtar inte användaren eller lösenordet");
    assert!(failure.detail.contains("turnus_no_such_role"), "{failure:?}");
}

#[tokio::test]
async fn unknown_database_is_missing() {
    let Some(options) = test_server() else { return };
    let options = options.database("turnus_no_such_database");
    let error = sqlx::PgConnection::connect_with(&options).await.expect_err("the database does not exist");
    let failure = db_failure(&error).expect("a common cause");
    assert_eq!(failure.kind, DbFailureKind::MissingDatabase);
    assert_eq!(failure.fix.pick(Lang::Sv), "Skapa den med createdb eller rätta namnet i URL:en");
}
