//! Wishes: adding, listing, optimistic updates and deletes, and their checks.

use jiff::civil::date;
use turnus_core::{Wish, WishKind};
use turnus_store::{InvalidRequest, PeriodId, StoreError, UnitId, WishId};

use crate::common::{TestDb, backend_tests, system, unit};
use crate::problem::read_example;

backend_tests!(wish_lifecycle, stale_wish_update_conflicts, invalid_wishes_rejected, wishes_scoped_to_unit);

async fn imported(db: &TestDb) -> (UnitId, PeriodId) {
    let (_, created) = unit(&db.store).await;
    let mut problem = read_example("sarskilt-boende");
    problem.wishes.clear();
    let period = db.store.import_problem(created.id, &problem, &system()).await.unwrap();
    (created.id, period.id)
}

fn wish(employee: &str, day: u8, kind: WishKind) -> Wish {
    Wish {
        employee: employee.into(),
        date: date(2027, 3, 15 + i8::try_from(day).unwrap()),
        kind,
        priority: 2,
    }
}

async fn wish_lifecycle(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let off = db.store.add_wish(unit, period, &wish("1001", 1, WishKind::Off), &system()).await.unwrap();
    let work = db
        .store
        .add_wish(unit, period, &wish("1002", 2, WishKind::Work(Some("D".into()))), &system())
        .await
        .unwrap();
    assert_eq!(off.row_version, 1);
    assert_eq!(db.store.get_wish(unit, off.id).await.unwrap(), off);
    assert_eq!(db.store.list_wishes(unit, period, None).await.unwrap(), vec![off.clone(), work.clone()]);
    assert_eq!(db.store.list_wishes(unit, period, Some("1002")).await.unwrap(), vec![work.clone()]);

    let mut changed = off.wish.clone();
    changed.kind = WishKind::Avoid("N".into());
    changed.priority = 3;
    let updated = db.store.update_wish(unit, off.id, off.row_version, &changed, &system()).await.unwrap();
    assert_eq!(updated.wish, changed);
    assert_eq!(updated.row_version, 2);
    assert_eq!(
        db.store.get_wish(unit, off.id).await.unwrap(),
        updated,
        "the returned record is the stored one"
    );
    assert_eq!(db.store.list_wishes(unit, period, Some("1001")).await.unwrap(), vec![updated.clone()]);
    assert_eq!(db.store.list_wishes(unit, period, Some("9999")).await.unwrap(), vec![]);

    db.store.delete_wish(unit, work.id, work.row_version, &system()).await.unwrap();
    assert_eq!(db.store.list_wishes(unit, period, None).await.unwrap(), vec![updated.clone()]);
    let problem = db.store.load_problem(unit, period).await.unwrap();
    assert_eq!(problem.wishes, vec![changed]);

    let audit = db
        .store
        .list_audit(&turnus_store::AuditQuery {
            entity: Some(("wish".into(), off.id.to_string())),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audit.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(), ["wish.create", "wish.update"]);
    assert!(audit[1].before_json.as_deref().unwrap().contains("\"off\""));
}

async fn stale_wish_update_conflicts(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let first = db.store.add_wish(unit, period, &wish("1001", 1, WishKind::Off), &system()).await.unwrap();
    let mut change = first.wish.clone();
    change.priority = 1;
    db.store.update_wish(unit, first.id, 1, &change, &system()).await.unwrap();

    // A second editor still has row version 1.
    change.priority = 3;
    let err = db.store.update_wish(unit, first.id, 1, &change, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { current_row_version: Some(2), .. }), "{err}");
    let err = db.store.delete_wish(unit, first.id, 1, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    assert_eq!(db.store.get_wish(unit, first.id).await.unwrap().wish.priority, 1);
}

async fn invalid_wishes_rejected(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let cases = [
        wish("9999", 1, WishKind::Off),
        wish("1001", 1, WishKind::Work(Some("XX".into()))),
        wish("1001", 1, WishKind::Avoid(String::new())),
        Wish { priority: 4, ..wish("1001", 1, WishKind::Off) },
        Wish { date: date(2027, 6, 1), ..wish("1001", 1, WishKind::Off) },
    ];
    for case in cases {
        let err = db.store.add_wish(unit, period, &case, &system()).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "{case:?}: {err}");
    }
    let unknown = db.store.add_wish(unit, period, &wish("9999", 1, WishKind::Off), &system()).await;
    assert!(
        matches!(&unknown, Err(StoreError::Invalid(InvalidRequest::UnknownEmployee { id })) if id == "9999"),
        "{unknown:?}"
    );
    let unknown_shift =
        db.store.add_wish(unit, period, &wish("1001", 1, WishKind::Avoid("XX".into())), &system()).await;
    assert!(
        matches!(&unknown_shift, Err(StoreError::Invalid(InvalidRequest::UnknownShiftType { code })) if code == "XX"),
        "{unknown_shift:?}"
    );
    let empty_shift =
        db.store.add_wish(unit, period, &wish("1001", 1, WishKind::Avoid(String::new())), &system()).await;
    assert!(
        matches!(empty_shift, Err(StoreError::Invalid(InvalidRequest::AvoidWithoutShift))),
        "{empty_shift:?}"
    );
    let first = db.store.add_wish(unit, period, &wish("1001", 1, WishKind::Off), &system()).await.unwrap();
    let moved = wish("1002", 1, WishKind::Off);
    assert!(matches!(
        db.store.update_wish(unit, first.id, 1, &moved, &system()).await,
        Err(StoreError::Invalid(_))
    ));
}

async fn wishes_scoped_to_unit(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let first = db.store.add_wish(unit, period, &wish("1001", 1, WishKind::Off), &system()).await.unwrap();
    let (_, other) = crate::common::unit(&db.store).await;
    assert!(matches!(db.store.get_wish(other.id, first.id).await, Err(StoreError::NotFound { .. })));
    assert!(matches!(
        db.store.delete_wish(other.id, first.id, 1, &system()).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(db.store.list_wishes(other.id, period, None).await, Err(StoreError::NotFound { .. })));
    let added = db.store.add_wish(other.id, period, &wish("1001", 2, WishKind::Off), &system()).await;
    assert!(matches!(added, Err(StoreError::NotFound { .. })), "{added:?}");
    let updated = db.store.update_wish(other.id, first.id, 1, &first.wish, &system()).await;
    assert!(matches!(updated, Err(StoreError::NotFound { .. })), "{updated:?}");
    assert!(matches!(
        db.store.get_wish(unit, WishId(first.id.get() + 100)).await,
        Err(StoreError::NotFound { .. })
    ));
}
