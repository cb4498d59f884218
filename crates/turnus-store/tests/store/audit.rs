//! The audit log: rows for every change, append-only triggers, the hash chain and its
//! verification after tampering.

use std::time::Duration;

use turnus_store::{AuditBreak, AuditQuery, Backend, GENESIS_HASH, Store, StoreOptions};

use crate::common::{TestDb, backend_tests, system, unit};

backend_tests!(
    changes_write_audit_rows,
    audit_rows_cannot_change,
    altered_row_detected,
    deleted_row_detected,
    deleted_tail_detected,
    concurrent_appends_form_one_chain,
);

async fn changes_write_audit_rows(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    db.store
        .set_publish_notice_days(created.id, 21, &system().because("longer notice agreed"))
        .await
        .unwrap();

    let all = db.store.list_audit(&AuditQuery::default()).await.unwrap();
    let actions: Vec<&str> = all.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["organisation.create", "unit.create", "unit.set_notice_period"]);
    assert_eq!(all.iter().map(|r| r.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(all[0].prev_hash, GENESIS_HASH);
    assert_eq!(all[1].prev_hash, all[0].hash);

    let last = &all[2];
    assert_eq!(last.actor, "system:test");
    assert_eq!(last.unit_id, Some(created.id));
    assert_eq!(last.before_json.as_deref(), Some(r#"{"publish_notice_days":14}"#));
    assert_eq!(last.after_json.as_deref(), Some(r#"{"publish_notice_days":21}"#));
    assert_eq!(last.reason.as_deref(), Some("longer notice agreed"));

    let of_unit =
        db.store.list_audit(&AuditQuery { unit: Some(created.id), ..Default::default() }).await.unwrap();
    assert_eq!(of_unit.len(), 2);
    let paged = db.store.list_audit(&AuditQuery { after_seq: Some(2), ..Default::default() }).await.unwrap();
    assert_eq!(paged.len(), 1);

    let verification = db.store.verify_audit().await.unwrap();
    assert!(verification.is_intact(), "{verification:?}");
    assert_eq!(verification.rows_checked, 3);
    assert_eq!(verification.last_hash, last.hash);
}

async fn audit_rows_cannot_change(db: &TestDb) {
    unit(&db.store).await;
    let update = db.raw("UPDATE audit_log SET reason = 'rewritten' WHERE seq = 1").await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = db.raw("DELETE FROM audit_log WHERE seq = 1").await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    if db.backend() == Backend::Postgres {
        let truncate = db.raw("TRUNCATE audit_log").await;
        assert!(truncate.unwrap_err().to_string().contains("append-only"));
    }
    assert!(db.store.verify_audit().await.unwrap().is_intact());
}

/// SQL that drops one of the audit log's triggers, as an attacker with database access can.
fn drop_trigger(db: &TestDb, name: &str) -> String {
    match db.backend() {
        Backend::Sqlite => format!("DROP TRIGGER {name}"),
        Backend::Postgres => format!("DROP TRIGGER {name} ON audit_log"),
    }
}

async fn altered_row_detected(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    db.store.set_publish_notice_days(created.id, 7, &system()).await.unwrap();
    db.raw(&drop_trigger(db, "audit_log_no_update")).await.unwrap();
    db.raw("UPDATE audit_log SET after_json = '{\"name\":\"Other\"}' WHERE seq = 2").await.unwrap();

    let verification = db.store.verify_audit().await.unwrap();
    assert_eq!(verification.first_break, Some(AuditBreak::ContentAltered { seq: 2 }));
    assert_eq!(verification.rows_checked, 2);
}

async fn deleted_row_detected(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    db.store.set_publish_notice_days(created.id, 7, &system()).await.unwrap();
    db.raw(&drop_trigger(db, "audit_log_no_delete")).await.unwrap();
    db.raw("DELETE FROM audit_log WHERE seq = 2").await.unwrap();

    let verification = db.store.verify_audit().await.unwrap();
    assert_eq!(verification.first_break, Some(AuditBreak::Gap { expected_seq: 2, found_seq: 3 }));
}

async fn deleted_tail_detected(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    db.store.set_publish_notice_days(created.id, 7, &system()).await.unwrap();
    db.raw(&drop_trigger(db, "audit_log_no_delete")).await.unwrap();
    db.raw("DELETE FROM audit_log WHERE seq = 3").await.unwrap();

    let verification = db.store.verify_audit().await.unwrap();
    assert_eq!(verification.first_break, Some(AuditBreak::HeadMismatch { head_seq: 3, last_seq: 2 }));
}

/// Many writers at once still produce one unbroken chain with no repeated sequence number.
async fn concurrent_appends_form_one_chain(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let mut tasks = Vec::new();
    for i in 0..24u32 {
        let store = db.store.clone();
        tasks.push(tokio::spawn(async move {
            store.set_publish_notice_days(created.id, i, &system()).await.unwrap();
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let verification = db.store.verify_audit().await.unwrap();
    assert!(verification.is_intact(), "{verification:?}");
    assert_eq!(verification.rows_checked, 2 + 24);
    assert_eq!(db.store.get_unit(created.id).await.unwrap().row_version, 1 + 24);
}

/// On SQLite the writers of one store queue for the write lock in the process, so they do
/// not need SQLite's busy timeout. With the timeout at 0, a writer that found the lock
/// taken would fail with "database is locked" at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_writers_queue_without_busy_timeout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("turnus.db").display());
    let options = StoreOptions { busy_timeout: Duration::ZERO, ..StoreOptions::default() };
    let store = Store::connect(&url, &options).await.expect("open SQLite store");
    store.migrate().await.expect("migrate");
    assert_eq!(store.health().await.unwrap().sqlite.expect("SQLite settings").busy_timeout_ms, 0);

    let (_, created) = unit(&store).await;
    let mut tasks = Vec::new();
    for i in 0..32u32 {
        let store = store.clone();
        tasks
            .push(tokio::spawn(async move { store.set_publish_notice_days(created.id, i, &system()).await }));
    }
    for task in tasks {
        task.await.unwrap().expect("every writer commits");
    }
    assert_eq!(store.get_unit(created.id).await.unwrap().row_version, 1 + 32);
    assert!(store.verify_audit().await.unwrap().is_intact());
    store.close().await;
}
