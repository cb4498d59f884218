//! Schedule versions through review and publication, optimistic assignment edits, the
//! notice period, and events after publication.

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use turnus_core::{Assignment, Pin, Score, Wish, WishKind};
use turnus_store::{
    AssignmentEdit, EventDetail, InvalidRequest, NewVersion, PeriodId, PeriodState, StoreError, UnitId,
    VersionKind, WrongState,
};

use crate::common::{TestDb, backend_tests, system, unit};
use crate::problem::read_example;

backend_tests!(
    review_edit_and_publish,
    stale_assignment_edit_conflicts,
    late_publication_needs_reason,
    published_version_is_final,
    events_recorded_after_publication,
);

/// The example unit with an empty period starting `start`, moved to proposal.
async fn period_in_proposal(db: &TestDb, start: Date) -> (UnitId, PeriodId) {
    let (_, created) = unit(&db.store).await;
    let problem = read_example("sarskilt-boende");
    db.store.import_problem(created.id, &problem, &system()).await.unwrap();
    let period = db.store.create_period(created.id, start, 6, &system()).await.unwrap();
    let deadline = Timestamp::now() + SignedDuration::from_hours(1);
    for (to, deadline) in [
        (PeriodState::WishesOpen, Some(deadline)),
        (PeriodState::WishesClosed, None),
        (PeriodState::Proposal, None),
    ] {
        db.store.transition_period(created.id, period.id, to, deadline, &system()).await.unwrap();
    }
    (created.id, period.id)
}

fn shift(employee: &str, date: Date, shift: &str) -> Assignment {
    Assignment { employee: employee.into(), date, shift: shift.into() }
}

fn proposal(start: Date) -> NewVersion {
    NewVersion {
        assignments: vec![
            shift("1001", start, "D"),
            shift("1002", start, "K"),
            shift("1003", start.tomorrow().unwrap(), "N"),
        ],
        score: Score { hard: 0, soft: 1200 },
        findings: serde_json::json!([{ "rule": "S1", "penalty": 1000 }]),
        note: Some("test".into()),
    }
}

fn far_start() -> Date {
    Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Stockholm").unwrap()).date()
        + jiff::Span::new().days(120)
}

async fn review_edit_and_publish(db: &TestDb) {
    let start = far_start();
    let (unit, period) = period_in_proposal(db, start).await;
    let version = db.store.save_version(unit, period, &proposal(start), &system()).await.unwrap();
    assert_eq!(version.kind, VersionKind::Proposal);
    assert_eq!(version.score, Score { hard: 0, soft: 1200 });
    assert_eq!(version.findings[0]["rule"], "S1");
    db.store.transition_period(unit, period, PeriodState::Review, None, &system()).await.unwrap();

    let rows = db.store.list_assignments(unit, version.id).await.unwrap();
    assert_eq!(rows.len(), 3);
    let first = rows.iter().find(|r| r.assignment.employee == "1001").unwrap();
    let edit = AssignmentEdit { assignment: shift("1001", start, "K"), override_reason: None };
    let edited =
        db.store.update_assignment(unit, first.id, first.row_version, &edit, &system()).await.unwrap();
    assert_eq!(edited.assignment.shift, "K");
    assert_eq!(edited.row_version, first.row_version + 1);

    let added = AssignmentEdit {
        assignment: shift("1004", start, "D"),
        override_reason: Some("only one with delegation that day".into()),
    };
    let added = db.store.add_assignment(unit, version.id, &added, &system()).await.unwrap();
    assert_eq!(added.override_reason.as_deref(), Some("only one with delegation that day"));
    let duplicate = AssignmentEdit { assignment: shift("1004", start, "D"), override_reason: None };
    let err = db.store.add_assignment(unit, version.id, &duplicate, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    db.store.delete_assignment(unit, added.id, added.row_version, &system()).await.unwrap();

    let evaluated = db
        .store
        .set_version_evaluation(
            unit,
            version.id,
            Score { hard: 0, soft: 900 },
            &serde_json::json!([]),
            &system(),
        )
        .await
        .unwrap();
    assert_eq!(evaluated.score.soft, 900);

    let publication = db.store.publish_version(unit, version.id, &system()).await.unwrap();
    assert!(!publication.late);
    assert_eq!(publication.days_before_start, 120);
    assert_eq!(db.store.get_period(unit, period).await.unwrap().state, PeriodState::Published);
    let published = db.store.get_version(unit, version.id).await.unwrap();
    assert_eq!(published.kind, VersionKind::Published);
    assert!(published.published_at.is_some());

    let schedule = db.store.version_schedule(unit, version.id).await.unwrap();
    assert_eq!(
        schedule.assignments,
        vec![
            shift("1001", start, "K"),
            shift("1002", start, "K"),
            shift("1003", start.tomorrow().unwrap(), "N")
        ]
    );
    assert_eq!(db.store.list_versions(unit, period).await.unwrap().len(), 1);
    assert!(db.store.verify_audit().await.unwrap().is_intact());
}

async fn stale_assignment_edit_conflicts(db: &TestDb) {
    let start = far_start();
    let (unit, period) = period_in_proposal(db, start).await;
    let version = db.store.save_version(unit, period, &proposal(start), &system()).await.unwrap();
    let row = db.store.list_assignments(unit, version.id).await.unwrap().remove(0);

    // Two schedulers read row version 1; the first saves, the second gets a conflict.
    let first =
        AssignmentEdit { assignment: shift(&row.assignment.employee, start, "N"), override_reason: None };
    db.store.update_assignment(unit, row.id, row.row_version, &first, &system()).await.unwrap();
    let second =
        AssignmentEdit { assignment: shift(&row.assignment.employee, start, "D5"), override_reason: None };
    let err =
        db.store.update_assignment(unit, row.id, row.row_version, &second, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { current_row_version: Some(2), .. }), "{err}");
    let stored = db.store.list_assignments(unit, version.id).await.unwrap();
    assert!(stored.iter().any(|r| r.id == row.id && r.assignment.shift == "N"));

    let outside =
        AssignmentEdit { assignment: shift("1001", Date::constant(2020, 1, 1), "D"), override_reason: None };
    assert!(matches!(
        db.store.update_assignment(unit, row.id, 2, &outside, &system()).await,
        Err(StoreError::Invalid(_))
    ));
    let (_, other) = unit_other(db).await;
    assert!(matches!(
        db.store.update_assignment(other, row.id, 2, &first, &system()).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn unit_other(db: &TestDb) -> (turnus_store::OrgId, UnitId) {
    let (org, created) = unit(&db.store).await;
    (org, created.id)
}

async fn late_publication_needs_reason(db: &TestDb) {
    let start = far_start() - jiff::Span::new().days(115);
    let (unit, period) = period_in_proposal(db, start).await;
    let version = db.store.save_version(unit, period, &proposal(start), &system()).await.unwrap();
    db.store.transition_period(unit, period, PeriodState::Review, None, &system()).await.unwrap();

    let err = db.store.publish_version(unit, version.id, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::LatePublication { days_before_start: 5, notice_days: 14 }), "{err}");
    assert_eq!(db.store.get_period(unit, period).await.unwrap().state, PeriodState::Review);

    let reason = system().because("two staff left at short notice");
    let publication = db.store.publish_version(unit, version.id, &reason).await.unwrap();
    assert!(publication.late);
    assert_eq!(publication.days_before_start, 5);
    assert_eq!(publication.notice_days, 14);
    let audit = db.store.list_audit(&Default::default()).await.unwrap();
    let row = audit.iter().find(|r| r.action == "version.publish").unwrap();
    assert_eq!(row.reason.as_deref(), Some("two staff left at short notice"));
    assert!(row.after_json.as_deref().unwrap().contains("\"late\":true"));
}

async fn published_version_is_final(db: &TestDb) {
    let start = far_start();
    let (unit, period) = period_in_proposal(db, start).await;
    let version = db.store.save_version(unit, period, &proposal(start), &system()).await.unwrap();
    db.store.transition_period(unit, period, PeriodState::Review, None, &system()).await.unwrap();
    db.store.publish_version(unit, version.id, &system()).await.unwrap();

    let row = db.store.list_assignments(unit, version.id).await.unwrap().remove(0);
    let edit =
        AssignmentEdit { assignment: shift(&row.assignment.employee, start, "N"), override_reason: None };
    assert!(matches!(
        db.store.update_assignment(unit, row.id, row.row_version, &edit, &system()).await,
        Err(StoreError::Invalid(_))
    ));
    assert!(matches!(
        db.store.publish_version(unit, version.id, &system()).await,
        Err(StoreError::WrongState(WrongState::Publish { state: PeriodState::Published }))
    ));
    assert!(matches!(
        db.store.save_version(unit, period, &proposal(start), &system()).await,
        Err(StoreError::WrongState(WrongState::AlreadyPublished { state: PeriodState::Published }))
    ));
    let off = Wish { employee: "1001".into(), date: start, kind: WishKind::Off, priority: 2 };
    assert!(matches!(
        db.store.add_wish(unit, period, &off, &system()).await,
        Err(StoreError::WrongState(WrongState::Wishes { state: PeriodState::Published }))
    ));
    let pin = Pin { employee: "1001".into(), date: start, shift: None };
    assert!(matches!(
        db.store.set_pin(unit, period, &pin, &system()).await,
        Err(StoreError::WrongState(WrongState::Pins { state: PeriodState::Published }))
    ));

    // The database itself refuses, even past the store.
    let update = db.raw(&format!("UPDATE assignments SET date = date WHERE id = {}", row.id)).await;
    assert!(update.unwrap_err().to_string().contains("published"));
    let delete = db.raw(&format!("DELETE FROM assignments WHERE id = {}", row.id)).await;
    assert!(delete.unwrap_err().to_string().contains("published"));
    let revert = db.raw(&format!("UPDATE schedule_versions SET note = 'x' WHERE id = {}", version.id)).await;
    assert!(revert.unwrap_err().to_string().contains("published"));
}

async fn events_recorded_after_publication(db: &TestDb) {
    let start = far_start();
    let (unit, period) = period_in_proposal(db, start).await;
    let sick = EventDetail::Absence { employee: "1002".into(), from: start, to: start, cause: "sjuk".into() };
    assert!(matches!(
        db.store.add_event(unit, period, &sick, &system()).await,
        Err(StoreError::WrongState(WrongState::Events { state: PeriodState::Proposal }))
    ));

    let version = db.store.save_version(unit, period, &proposal(start), &system()).await.unwrap();
    db.store.transition_period(unit, period, PeriodState::Review, None, &system()).await.unwrap();
    db.store.publish_version(unit, version.id, &system()).await.unwrap();
    let before = db.store.version_schedule(unit, version.id).await.unwrap();

    let recorded = db.store.add_event(unit, period, &sick, &system()).await.unwrap();
    assert_eq!(recorded.version_id, version.id);
    let swap = EventDetail::Swap {
        employee: "1001".into(),
        date: start,
        shift: "D".into(),
        other_employee: "1005".into(),
        other_date: None,
        other_shift: None,
    };
    db.store.add_event(unit, period, &swap, &system()).await.unwrap();
    let extra = EventDetail::ExtraStaff {
        date: start,
        shift: "K".into(),
        employee: None,
        name: "Vikarie Sara".into(),
    };
    db.store.add_event(unit, period, &extra, &system()).await.unwrap();
    let resource = EventDetail::ResourceShift { employee: "1006".into(), date: start, shift: "D".into() };
    db.store.add_event(unit, period, &resource, &system()).await.unwrap();

    let self_swap = EventDetail::Swap {
        employee: "1001".into(),
        date: start,
        shift: "D".into(),
        other_employee: "1001".into(),
        other_date: None,
        other_shift: None,
    };
    assert!(matches!(
        db.store.add_event(unit, period, &self_swap, &system()).await,
        Err(StoreError::Invalid(InvalidRequest::SwapWithSelf))
    ));
    let unknown = EventDetail::ResourceShift { employee: "9999".into(), date: start, shift: "D".into() };
    assert!(matches!(
        db.store.add_event(unit, period, &unknown, &system()).await,
        Err(StoreError::Invalid(InvalidRequest::UnknownEmployee { ref id })) if id == "9999"
    ));

    let events = db.store.list_events(unit, period).await.unwrap();
    assert_eq!(events.len(), 4);
    assert_eq!(events[0].detail, sick);
    assert_eq!(db.store.version_schedule(unit, version.id).await.unwrap(), before);

    db.store.transition_period(unit, period, PeriodState::FollowUp, None, &system()).await.unwrap();
    db.store.add_event(unit, period, &sick, &system()).await.unwrap();
    db.store.transition_period(unit, period, PeriodState::Closed, None, &system()).await.unwrap();
    assert!(matches!(
        db.store.add_event(unit, period, &sick, &system()).await,
        Err(StoreError::WrongState(WrongState::Events { state: PeriodState::Closed }))
    ));
}
