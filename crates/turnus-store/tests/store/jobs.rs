//! The job queue: claims, heartbeats, results, cancel, and takeover of a job whose worker
//! died, with many concurrent claimers.

use std::collections::HashSet;
use std::time::Duration;

use turnus_core::{Assignment, Score};
use turnus_store::{JobControl, JobState, NewVersion, PeriodId, StoreError, UnitId};

use crate::common::{TestDb, backend_tests, system, unit};
use crate::problem::read_example;

backend_tests!(
    job_runs_to_done,
    cancel_reaches_worker,
    expired_lease_taken_over,
    lost_job_fails_after_last_attempt,
    concurrent_claims_never_share,
);

const LONG: Duration = Duration::from_secs(60);

async fn imported(db: &TestDb) -> (UnitId, PeriodId) {
    let (_, created) = unit(&db.store).await;
    let period =
        db.store.import_problem(created.id, &read_example("sarskilt-boende"), &system()).await.unwrap();
    (created.id, period.id)
}

fn result() -> NewVersion {
    let start = jiff::civil::date(2027, 3, 15);
    NewVersion {
        assignments: vec![Assignment { employee: "1001".into(), date: start, shift: "D".into() }],
        score: Score { hard: 0, soft: 42 },
        findings: serde_json::json!([]),
        note: None,
    }
}

async fn job_runs_to_done(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let queued =
        db.store.enqueue_job(unit, period, &serde_json::json!({ "seed": 7 }), &system()).await.unwrap();
    assert_eq!(queued.state, JobState::Queued);

    let job = db.store.claim_job("worker-a", LONG).await.unwrap().expect("a job");
    assert_eq!(job.id, queued.id);
    assert_eq!(job.state, JobState::Running);
    assert_eq!(job.attempts, 1);
    assert_eq!(job.params["seed"], 7);
    assert!(db.store.claim_job("worker-b", LONG).await.unwrap().is_none());

    let best = Some(Score { hard: 0, soft: 50 });
    assert_eq!(
        db.store.heartbeat_job(job.id, "worker-a", LONG, 0.5, best).await.unwrap(),
        JobControl::Continue
    );
    let running = db.store.get_job(unit, job.id).await.unwrap();
    assert_eq!(running.progress, 0.5);
    assert_eq!(running.best_score, best);
    let wrong = db.store.heartbeat_job(job.id, "worker-b", LONG, 0.6, None).await.unwrap_err();
    assert!(matches!(wrong, StoreError::Conflict { .. }), "{wrong}");

    let done = db.store.finish_job(job.id, "worker-a", &result()).await.unwrap();
    assert_eq!(done.state, JobState::Done);
    let version = done.result_version_id.expect("result version");
    assert_eq!(db.store.version_schedule(unit, version).await.unwrap().assignments, result().assignments);
    assert_eq!(db.store.list_jobs(unit, period).await.unwrap().len(), 1);
    assert!(matches!(db.store.cancel_job(unit, job.id, &system()).await, Err(StoreError::Invalid(_))));
    let (_, other) = unit_of_other(db).await;
    assert!(matches!(db.store.get_job(other, job.id).await, Err(StoreError::NotFound { .. })));
}

async fn unit_of_other(db: &TestDb) -> ((), UnitId) {
    let (_, created) = unit(&db.store).await;
    ((), created.id)
}

async fn cancel_reaches_worker(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let queued = db.store.enqueue_job(unit, period, &serde_json::json!({}), &system()).await.unwrap();
    let cancelled = db.store.cancel_job(unit, queued.id, &system()).await.unwrap();
    assert_eq!(cancelled.state, JobState::Cancelled);
    assert!(db.store.claim_job("worker-a", LONG).await.unwrap().is_none());

    db.store.enqueue_job(unit, period, &serde_json::json!({}), &system()).await.unwrap();
    let job = db.store.claim_job("worker-a", LONG).await.unwrap().unwrap();
    db.store.cancel_job(unit, job.id, &system()).await.unwrap();
    assert_eq!(
        db.store.heartbeat_job(job.id, "worker-a", LONG, 0.1, None).await.unwrap(),
        JobControl::Cancelled
    );
    let late = db.store.finish_job(job.id, "worker-a", &result()).await.unwrap_err();
    assert!(matches!(late, StoreError::Conflict { .. }), "{late}");
    assert!(
        db.store.list_versions(unit, period).await.unwrap().is_empty(),
        "no version from a cancelled job"
    );

    db.store.enqueue_job(unit, period, &serde_json::json!({}), &system()).await.unwrap();
    let job = db.store.claim_job("worker-a", LONG).await.unwrap().unwrap();
    let released = db.store.release_job(job.id, "worker-a").await.unwrap();
    assert_eq!((released.state, released.attempts), (JobState::Queued, 0));
    let failed_job = db.store.claim_job("worker-b", LONG).await.unwrap().unwrap();
    let failed = db.store.fail_job(failed_job.id, "worker-b", "solver panicked").await.unwrap();
    assert_eq!(failed.error.as_deref(), Some("solver panicked"));
}

/// A worker that stops sending heartbeats loses its job to the next claim once the lease
/// ends, and can no longer finish it.
async fn expired_lease_taken_over(db: &TestDb) {
    let (unit, period) = imported(db).await;
    db.store.enqueue_job(unit, period, &serde_json::json!({}), &system()).await.unwrap();
    let short = Duration::from_millis(300);
    let job = db.store.claim_job("dying-worker", short).await.unwrap().unwrap();
    assert!(db.store.claim_job("worker-b", LONG).await.unwrap().is_none(), "the lease still holds");

    tokio::time::sleep(Duration::from_millis(500)).await;
    let taken = db.store.claim_job("worker-b", LONG).await.unwrap().expect("takeover");
    assert_eq!(taken.id, job.id);
    assert_eq!(taken.worker_id.as_deref(), Some("worker-b"));
    assert_eq!(taken.attempts, 2);

    let stale = db.store.heartbeat_job(job.id, "dying-worker", LONG, 0.9, None).await.unwrap_err();
    assert!(matches!(stale, StoreError::Conflict { .. }), "{stale}");
    assert!(matches!(
        db.store.finish_job(job.id, "dying-worker", &result()).await,
        Err(StoreError::Conflict { .. })
    ));
    db.store.finish_job(job.id, "worker-b", &result()).await.unwrap();

    let audit = db
        .store
        .list_audit(&turnus_store::AuditQuery {
            entity: Some(("job".into(), job.id.to_string())),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(
        audit.iter().any(
            |r| r.action == "job.claim" && r.after_json.as_deref().unwrap().contains("\"takeover\":true")
        )
    );
}

async fn lost_job_fails_after_last_attempt(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let queued = db.store.enqueue_job(unit, period, &serde_json::json!({}), &system()).await.unwrap();
    let short = Duration::from_millis(100);
    for attempt in 1..=queued.max_attempts {
        let job = db.store.claim_job(&format!("worker-{attempt}"), short).await.unwrap().expect("claim");
        assert_eq!(job.attempts, attempt);
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(db.store.claim_job("worker-last", LONG).await.unwrap().is_none());
    let failed = db.store.get_job(unit, queued.id).await.unwrap();
    assert_eq!(failed.state, JobState::Failed);
    assert!(failed.error.unwrap().contains("heartbeats"));
}

/// Many workers claim at once; every job is claimed exactly once.
async fn concurrent_claims_never_share(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let jobs = 40;
    for _ in 0..jobs {
        db.store.enqueue_job(unit, period, &serde_json::json!({}), &system()).await.unwrap();
    }
    let mut workers = Vec::new();
    for w in 0..12 {
        let store = db.store.clone();
        workers.push(tokio::spawn(async move {
            let mut claimed = Vec::new();
            while let Some(job) = store.claim_job(&format!("worker-{w}"), LONG).await.unwrap() {
                claimed.push(job.id);
            }
            claimed
        }));
    }
    let mut all = Vec::new();
    for worker in workers {
        all.extend(worker.await.unwrap());
    }
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), jobs, "every job claimed once");
    assert_eq!(unique.len(), jobs, "no job claimed twice");
    assert!(db.store.verify_audit().await.unwrap().is_intact());
}
