//! Solve jobs on in-process workers: a worker that stops hands its job back to the queue,
//! and a cancelled job stops at the next heartbeat without saving a version.

use std::time::Duration;

use axum::http::StatusCode;
use serde_json::{Value, json};
use tokio::sync::watch;
use turnus_server::{WorkerOptions, run_workers};

use crate::common::{Setup, TestApp, backend_tests, setup};

backend_tests!(stopped_worker_requeues_job, cancel_stops_job);

fn options() -> WorkerOptions {
    WorkerOptions {
        lease: Duration::from_secs(60),
        heartbeat: Duration::from_millis(200),
        poll: Duration::from_millis(100),
    }
}

/// Closes wishes and queues a solve of four seconds; returns the job id.
async fn queue_solve(app: &TestApp, setup: &Setup) -> i64 {
    let base = format!("/api/v1/units/{}/periods/{}", setup.unit, setup.period);
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
    let job = app.post(&format!("{base}/solve"), &setup.admin, json!({ "time_limit_ms": 4000 })).await;
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
    // The solve runs out its four seconds; no version may appear meanwhile or after.
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
