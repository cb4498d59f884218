//! The period workflow: legal and illegal transitions and the wish deadline.

use jiff::{SignedDuration, Timestamp};
use turnus_store::{PeriodState, StoreError, WrongState};

use crate::common::{TestDb, backend_tests, system, unit};

backend_tests!(workflow_moves_forward, illegal_transitions_rejected, deadline_rules_enforced);

fn tomorrow() -> Timestamp {
    Timestamp::now() + SignedDuration::from_hours(24)
}

async fn workflow_moves_forward(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let period =
        db.store.create_period(created.id, jiff::civil::date(2027, 3, 15), 6, &system()).await.unwrap();
    assert_eq!(period.state, PeriodState::Draft);

    let deadline = tomorrow();
    let open = db
        .store
        .transition_period(created.id, period.id, PeriodState::WishesOpen, Some(deadline), &system())
        .await
        .unwrap();
    assert_eq!(open.state, PeriodState::WishesOpen);
    assert_eq!(
        open.wishes_deadline,
        Some(jiff::Timestamp::from_microsecond(deadline.as_microsecond()).unwrap())
    );
    assert_eq!(open.row_version, period.row_version + 1);

    let closed = db
        .store
        .transition_period(created.id, period.id, PeriodState::WishesClosed, None, &system())
        .await
        .unwrap();
    assert_eq!(closed.wishes_deadline, open.wishes_deadline);
    let reopened = db
        .store
        .transition_period(created.id, period.id, PeriodState::WishesOpen, Some(tomorrow()), &system())
        .await
        .unwrap();
    assert_eq!(reopened.state, PeriodState::WishesOpen);
    db.store
        .transition_period(created.id, period.id, PeriodState::WishesClosed, None, &system())
        .await
        .unwrap();
    db.store.transition_period(created.id, period.id, PeriodState::Proposal, None, &system()).await.unwrap();

    // Review needs a schedule version to review.
    let err = db.store.transition_period(created.id, period.id, PeriodState::Review, None, &system()).await;
    assert!(matches!(err, Err(StoreError::Invalid(_))), "{err:?}");

    let audit = db.store.list_audit(&Default::default()).await.unwrap();
    let transitions = audit.iter().filter(|r| r.action == "period.transition").count();
    assert_eq!(transitions, 5);
}

async fn illegal_transitions_rejected(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let period =
        db.store.create_period(created.id, jiff::civil::date(2027, 3, 15), 6, &system()).await.unwrap();
    for to in [
        PeriodState::WishesClosed,
        PeriodState::Proposal,
        PeriodState::Review,
        PeriodState::FollowUp,
        PeriodState::Closed,
        PeriodState::Draft,
    ] {
        let err = db.store.transition_period(created.id, period.id, to, None, &system()).await.unwrap_err();
        let wrong_state = WrongState::Move { from: PeriodState::Draft, to };
        assert!(matches!(err, StoreError::WrongState(found) if found == wrong_state), "draft -> {to}: {err}");
    }
    let publish =
        db.store.transition_period(created.id, period.id, PeriodState::Published, None, &system()).await;
    assert!(matches!(publish, Err(StoreError::Invalid(_))));
    assert_eq!(db.store.get_period(created.id, period.id).await.unwrap(), period);

    for from in PeriodState::ALL {
        for to in PeriodState::ALL {
            let forward = PeriodState::ALL.iter().position(|s| *s == to)
                == PeriodState::ALL.iter().position(|s| *s == from).map(|i| i + 1);
            if forward {
                assert!(from.can_move_to(to), "{from} -> {to}");
            }
        }
        assert!(!from.can_move_to(from), "{from} -> {from}");
        assert!(!PeriodState::Closed.can_move_to(from));
    }
}

async fn deadline_rules_enforced(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let period =
        db.store.create_period(created.id, jiff::civil::date(2027, 3, 15), 6, &system()).await.unwrap();
    let missing =
        db.store.transition_period(created.id, period.id, PeriodState::WishesOpen, None, &system()).await;
    assert!(matches!(missing, Err(StoreError::Invalid(_))));
    let past = Timestamp::now() - SignedDuration::from_hours(1);
    let late = db
        .store
        .transition_period(created.id, period.id, PeriodState::WishesOpen, Some(past), &system())
        .await;
    assert!(matches!(late, Err(StoreError::Invalid(_))));
    let zero_weeks = db.store.create_period(created.id, jiff::civil::date(2027, 3, 15), 0, &system()).await;
    assert!(matches!(zero_weeks, Err(StoreError::Invalid(_))));
}
