//! Solve jobs on in-process workers: a worker that stops hands its job back to the queue,
//! and a cancelled job stops its solve at the next heartbeat without saving a version.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use tokio::sync::watch;
use turnus_server::{WorkerOptions, run_workers};

use crate::common::{Setup, TestApp, backend_tests, setup};

backend_tests!(
    stopped_worker_requeues_job,
    cancel_stops_job,
    cancel_frees_worker_at_once,
    dead_worker_job_taken_over
);

fn options() -> WorkerOptions {
    WorkerOptions {
        lease: Duration::from_secs(60),
        heartbeat: Duration::from_millis(200),
        poll: Duration::from_millis(100),
    }
}

/// Closes wishes and queues a solve of four seconds; returns the job id.
async fn queue_solve(app: &TestApp, setup: &Setup) -> i64 {
    queue_solve_of(app, setup, setup.period, 4000).await
}

/// Closes wishes of `period` and queues a solve with a time limit; returns the job id.
async fn queue_solve_of(app: &TestApp, setup: &Setup, period: i64, time_limit_ms: u64) -> i64 {
    let base = format!("/api/v1/units/{}/periods/{period}", setup.unit);
    let deadline = crate::common::from_now(3600);
    let opened = app
        .post(
            &format!("{base}/transition"),
            &setup.admin,
            json!({ "to": "wishes_open", "wishes_deadline": deadline }),
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);
    let closed =
        app.post(&format!("{base}/transition"), &setup.admin, json!({ "to": "wishes_closed" })).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
    let job =
        app.post(&format!("{base}/solve"), &setup.admin, json!({ "time_limit_ms": time_limit_ms })).await;
    assert_eq!(job.status, StatusCode::ACCEPTED, "{}", job.text);
    job.body["id"].as_i64().unwrap()
}

/// Polls the job until `done` returns true for it, for at most 30 seconds.
async fn wait_for(app: &TestApp, setup: &Setup, job: i64, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..300 {
        let reply = app.get(&format!("/api/v1/units/{}/jobs/{job}", setup.unit), &setup.admin).await;
        if done(&reply.body) {
            return reply.body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("job {job} did not reach the expected state");
}

async fn stopped_worker_requeues_job(app: &TestApp) {
    let setup = setup(app).await;
    let job = queue_solve(app, &setup).await;
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = run_workers(app.store.clone(), 1, options(), stop_rx);
    wait_for(app, &setup, job, |j| j["state"] == "running").await;

    stop_tx.send(true).unwrap();
    for worker in workers {
        worker.await.unwrap();
    }
    let after = app.get(&format!("/api/v1/units/{}/jobs/{job}", setup.unit), &setup.admin).await;
    assert_eq!(after.body["state"], "queued", "{}", after.text);
    assert_eq!(after.body["result_version_id"], Value::Null);
}

async fn cancel_stops_job(app: &TestApp) {
    let setup = setup(app).await;
    let job = queue_solve(app, &setup).await;
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = run_workers(app.store.clone(), 1, options(), stop_rx);
    wait_for(app, &setup, job, |j| j["state"] == "running").await;

    let cancelled =
        app.post(&format!("/api/v1/units/{}/jobs/{job}/cancel", setup.unit), &setup.admin, json!({})).await;
    assert_eq!(cancelled.status, StatusCode::OK, "{}", cancelled.text);
    assert_eq!(cancelled.body["state"], "cancelled");
    // No version may appear after the cancel, not even when the time limit has passed.
    tokio::time::sleep(Duration::from_secs(5)).await;
    stop_tx.send(true).unwrap();
    for worker in workers {
        worker.await.unwrap();
    }
    let versions = app
        .get(&format!("/api/v1/units/{}/periods/{}/versions", setup.unit, setup.period), &setup.admin)
        .await;
    assert_eq!(versions.body, json!([]));
    let after = app.get(&format!("/api/v1/units/{}/jobs/{job}", setup.unit), &setup.admin).await;
    assert_eq!(after.body["state"], "cancelled");
}

/// A cancel stops the running solve: the only worker takes the next job within seconds,
/// though the cancelled solve had two minutes left, and neither job saves a version.
async fn cancel_frees_worker_at_once(app: &TestApp) {
    let setup = setup(app).await;
    let second =
        app.import(setup.unit, &setup.admin, &crate::common::example_files("sarskilt-boende"), None).await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.text);
    let second = second.body["id"].as_i64().unwrap();
    let first_job = queue_solve_of(app, &setup, setup.period, 120_000).await;
    let second_job = queue_solve_of(app, &setup, second, 120_000).await;
    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = run_workers(app.store.clone(), 1, options(), stop_rx);
    wait_for(app, &setup, first_job, |j| j["state"] == "running").await;
    let queued = app.get(&format!("/api/v1/units/{}/jobs/{second_job}", setup.unit), &setup.admin).await;
    assert_eq!(queued.body["state"], "queued", "one worker runs one job at a time");

    let cancelled = std::time::Instant::now();
    let reply = app
        .post(&format!("/api/v1/units/{}/jobs/{first_job}/cancel", setup.unit), &setup.admin, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    wait_for(app, &setup, second_job, |j| j["state"] == "running").await;
    let waited = cancelled.elapsed();
    assert!(waited < Duration::from_secs(10), "the next job started {waited:?} after the cancel");

    // Cancelling the second job and stopping the worker also ends within seconds.
    let reply = app
        .post(&format!("/api/v1/units/{}/jobs/{second_job}/cancel", setup.unit), &setup.admin, json!({}))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    tokio::time::sleep(Duration::from_millis(500)).await;
    stop_tx.send(true).unwrap();
    let stopping = std::time::Instant::now();
    for worker in workers {
        worker.await.unwrap();
    }
    assert!(
        stopping.elapsed() < Duration::from_secs(10),
        "the worker stopped after {:?}",
        stopping.elapsed()
    );

    for (period, job) in [(setup.period, first_job), (second, second_job)] {
        let versions =
            app.get(&format!("/api/v1/units/{}/periods/{period}/versions", setup.unit), &setup.admin).await;
        assert_eq!(versions.body, json!([]), "period {period}");
        let after = app.get(&format!("/api/v1/units/{}/jobs/{job}", setup.unit), &setup.admin).await;
        assert_eq!(after.body["state"], "cancelled", "job {job}");
        assert_eq!(after.body["result_version_id"], Value::Null);
    }
}

/// A worker that claimed a job and died (its lease is never renewed) loses the job when the
/// lease ends: a live worker takes it over and saves the result, and the dead worker's late
/// writes are rejected.
async fn dead_worker_job_taken_over(app: &TestApp) {
    let setup = setup(app).await;
    let job = queue_solve_of(app, &setup, setup.period, 2000).await;
    let claimed =
        app.store.claim_job("dead-worker", Duration::from_secs(1)).await.unwrap().expect("a queued job");
    assert_eq!(claimed.id.get(), job);
    assert_eq!(claimed.attempts, 1);

    let (stop_tx, stop_rx) = watch::channel(false);
    let workers = run_workers(app.store.clone(), 1, options(), stop_rx);
    let done = wait_for(app, &setup, job, |j| j["state"] == "done" || j["state"] == "failed").await;
    stop_tx.send(true).unwrap();
    for worker in workers {
        worker.await.unwrap();
    }
    assert_eq!(done["state"], "done", "{done}");
    assert_eq!(done["attempts"], 2, "{done}");
    assert_ne!(done["worker_id"], "dead-worker", "{done}");
    assert!(done["result_version_id"].is_i64(), "{done}");

    let late = app.store.heartbeat_job(claimed.id, "dead-worker", Duration::from_secs(60), 0.5, None).await;
    assert!(matches!(late, Err(turnus_store::StoreError::Conflict { .. })), "{late:?}");
    let versions = app
        .get(&format!("/api/v1/units/{}/periods/{}/versions", setup.unit, setup.period), &setup.admin)
        .await;
    assert_eq!(versions.body.as_array().unwrap().len(), 1, "{}", versions.text);
    let audit = app.get(&format!("/api/v1/units/{}/audit", setup.unit), &setup.admin).await;
    assert!(audit.text.contains(r#"\"takeover\":true"#), "{}", audit.text);
}
