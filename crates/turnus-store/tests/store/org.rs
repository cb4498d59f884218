//! Organisations, units and the connection settings.

use turnus_store::{AuditQuery, Backend, Field, InvalidRequest, NewUnit, StoreError, UnitId};

use crate::common::{TestDb, backend_tests, system, unit};

backend_tests!(unit_round_trip, unit_renamed, unknown_unit_not_found, invalid_unit_rejected, sqlite_settings);

async fn unit_round_trip(db: &TestDb) {
    let (org, created) = unit(&db.store).await;
    assert_eq!(created.publish_notice_days, 14);
    assert_eq!(db.store.get_unit(created.id).await.unwrap(), created);
    assert_eq!(db.store.list_units(org).await.unwrap(), vec![created.clone()]);

    let changed = db.store.set_publish_notice_days(created.id, 21, &system()).await.unwrap();
    assert_eq!(changed.publish_notice_days, 21);
    assert_eq!(changed.row_version, created.row_version + 1);
    assert_eq!(db.store.list_orgs().await.unwrap().len(), 1);
}

async fn unit_renamed(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let renamed =
        db.store.rename_unit(created.id, created.row_version, " Björken 2 ", &system()).await.unwrap();
    assert_eq!(renamed.name, "Björken 2");
    assert_eq!(renamed.row_version, created.row_version + 1);
    assert_eq!(db.store.get_unit(created.id).await.unwrap(), renamed);

    let stale = db.store.rename_unit(created.id, created.row_version, "Lönnen", &system()).await.unwrap_err();
    assert!(matches!(stale, StoreError::Conflict { .. }), "{stale}");
    let empty = db.store.rename_unit(created.id, renamed.row_version, " ", &system()).await.unwrap_err();
    assert!(
        matches!(empty, StoreError::Invalid(InvalidRequest::Empty { field: Field::UnitName })),
        "{empty}"
    );
    assert_eq!(db.store.get_unit(created.id).await.unwrap().name, "Björken 2");

    let query = AuditQuery { entity: Some(("unit".into(), created.id.to_string())), ..Default::default() };
    let audit = db.store.list_audit(&query).await.unwrap();
    let rename = audit.iter().find(|r| r.action == "unit.rename").expect("a unit.rename audit row");
    assert_eq!(rename.after_json.as_deref(), Some(r#"{"name":"Björken 2"}"#));
}

async fn unknown_unit_not_found(db: &TestDb) {
    let err = db.store.get_unit(UnitId(999)).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { entity: "unit", .. }), "{err}");
}

async fn invalid_unit_rejected(db: &TestDb) {
    let (org, _) = unit(&db.store).await;
    let bad_zone =
        NewUnit { name: "A".into(), time_zone: "Europe/Gothenburg".into(), preset: turnus_core::Preset::Ab };
    let err = db.store.create_unit(org, &bad_zone, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Invalid(InvalidRequest::UnknownTimeZone { .. })), "{err}");
    let empty =
        NewUnit { name: "  ".into(), time_zone: "Europe/Stockholm".into(), preset: turnus_core::Preset::Ab };
    assert!(matches!(db.store.create_unit(org, &empty, &system()).await, Err(StoreError::Invalid(_))));
}

/// WAL journaling, foreign keys and the busy timeout are set on every SQLite connection.
async fn sqlite_settings(db: &TestDb) {
    if db.backend() != Backend::Sqlite {
        assert_eq!(db.store.health().await.unwrap().schema_version, Some(3));
        return;
    }
    let health = db.store.health().await.unwrap();
    assert_eq!(health.schema_version, Some(3));
    let settings = health.sqlite.expect("SQLite settings");
    assert_eq!(settings.journal_mode, "wal");
    assert!(settings.foreign_keys);
    assert_eq!(settings.busy_timeout_ms, 10_000);
}
