//! A whole schedule period through the API: import, wishes, solve, review with a changed
//! assignment, publication, an event after publication, and the audit log.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::json;
use tokio::sync::watch;
use turnus_server::{WorkerOptions, run_workers};
use turnus_store::UnitId;

use crate::common::{TestApp, backend_tests, from_now, member, setup};

backend_tests!(period_walkthrough);

async fn period_walkthrough(app: &TestApp) {
    let setup = setup(app).await;
    let (unit, period) = (setup.unit, setup.period);
    let base = format!("/api/v1/units/{unit}/periods/{period}");
    let admin = &setup.admin;
    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;

    // Open wishes; the staff member enters one of their own.
    let opened = app
        .post(
            &format!("{base}/transition"),
            admin,
            json!({ "to": "wishes_open", "wishes_deadline": from_now(3600) }),
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);
    assert_eq!(opened.body["state"], "wishes_open");
    let wish = json!({ "employee": "1001", "date": "2027-04-02", "kind": "off", "priority": 2 });
    let added = app.post(&format!("{base}/wishes"), &staff, wish).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.text);
    let own = app.get(&format!("{base}/wishes"), &staff).await;
    assert!(own.body.as_array().unwrap().iter().all(|w| w["wish"]["employee"] == "1001"));

    // Close and solve with a short limit on an in-process worker.
    let closed = app.post(&format!("{base}/transition"), admin, json!({ "to": "wishes_closed" })).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
    let job = app
        .post(
            &format!("{base}/solve"),
            admin,
            json!({ "iterations": 3000, "time_limit_ms": 20000, "seed": 3 }),
        )
        .await;
    assert_eq!(job.status, StatusCode::ACCEPTED, "{}", job.text);
    let job_id = job.body["id"].as_i64().unwrap();
    let (stop_tx, stop_rx) = watch::channel(false);
    let options = WorkerOptions { poll: Duration::from_millis(100), ..WorkerOptions::default() };
    let workers = run_workers(app.store.clone(), 1, options, stop_rx);
    let mut done = None;
    for _ in 0..600 {
        let current = app.get(&format!("/api/v1/units/{unit}/jobs/{job_id}"), admin).await;
        if current.body["state"] == "done" || current.body["state"] == "failed" {
            done = Some(current.body);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    stop_tx.send(true).unwrap();
    for worker in workers {
        worker.await.unwrap();
    }
    let done = done.expect("the job ends within two minutes");
    assert_eq!(done["state"], "done", "{done}");
    let version_id = done["result_version_id"].as_i64().unwrap();
    // The event stream of an ended job sends its final state and closes.
    let events = app.get(&format!("/api/v1/units/{unit}/jobs/{job_id}/events"), admin).await;
    assert_eq!(events.status, StatusCode::OK);
    assert_eq!(events.headers["content-type"], "text/event-stream");
    assert!(events.text.contains("event: end"), "{}", events.text);
    assert!(events.text.contains("\"state\":\"done\""), "{}", events.text);

    // Review: change one assignment and see its findings; a stale change is a conflict.
    let review = app.post(&format!("{base}/transition"), admin, json!({ "to": "review" })).await;
    assert_eq!(review.status, StatusCode::OK, "{}", review.text);
    let version = app.get(&format!("/api/v1/units/{unit}/versions/{version_id}"), admin).await;
    assert_eq!(version.status, StatusCode::OK);
    assert!(version.body["version"]["score"]["hard"].is_i64());
    let first = version.body["assignments"][0].clone();
    let assignment_id = first["id"].as_i64().unwrap();
    let row_version = first["row_version"].as_i64().unwrap();
    let moved = json!({ "employee": first["assignment"]["employee"], "date": "2027-03-16", "shift": "N" });
    let change = app
        .send(
            app.builder(Method::PUT, &format!("/api/v1/units/{unit}/assignments/{assignment_id}"), admin)
                .header("if-match", format!("\"{row_version}\""))
                .header("content-type", "application/json")
                .body(moved.to_string().into())
                .unwrap(),
        )
        .await;
    assert_eq!(change.status, StatusCode::OK, "{}", change.text);
    assert!(change.body["findings"].is_array());
    assert!(change.body["score"]["hard"].is_i64());
    assert_eq!(change.body["assignment"]["row_version"], row_version + 1);
    let stale = app
        .send(
            app.builder(Method::PUT, &format!("/api/v1/units/{unit}/assignments/{assignment_id}"), admin)
                .header("if-match", format!("\"{row_version}\""))
                .header("content-type", "application/json")
                .body(moved.to_string().into())
                .unwrap(),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    assert_eq!(stale.body["current_row_version"], row_version + 1);

    // A version that breaks hard rules is published only with a reason; undoing the change
    // restores the solver's schedule instead.
    if change.body["score"]["hard"].as_i64().unwrap() > 0 {
        let refused = app.post(&format!("{base}/publish"), admin, json!({ "version_id": version_id })).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.text);
        assert_eq!(refused.body["error"], "hard_findings");
    }
    let undo = app
        .send(
            app.builder(Method::PUT, &format!("/api/v1/units/{unit}/assignments/{assignment_id}"), admin)
                .header("if-match", format!("\"{}\"", row_version + 1))
                .header("content-type", "application/json")
                .body(first["assignment"].to_string().into())
                .unwrap(),
        )
        .await;
    assert_eq!(undo.status, StatusCode::OK, "{}", undo.text);
    assert_eq!(undo.body["score"], version.body["version"]["score"]);

    // The staff member cannot see the proposal.
    let hidden = app.get(&format!("/api/v1/units/{unit}/versions/{version_id}"), &staff).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);

    // A late publication needs a reason.
    app.store
        .set_publish_notice_days(
            UnitId(unit),
            365,
            &turnus_store::Change::by(turnus_store::Actor::System("test".into())),
        )
        .await
        .unwrap();
    let late = app.post(&format!("{base}/publish"), admin, json!({ "version_id": version_id })).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", late.text);
    let published = app
        .post(
            &format!("{base}/publish"),
            admin,
            json!({
                "version_id": version_id,
                "reason": "Ny chef tillträdde sent",
                // The short test solve can leave hard findings, which need a reason too.
                "override_reason": "Testkörning med kort sökning",
            }),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.text);
    assert_eq!(published.body["late"], true);

    // The staff member reads the published schedule.
    let schedule = app.get(&format!("{base}/published"), &staff).await;
    assert_eq!(schedule.status, StatusCode::OK, "{}", schedule.text);
    assert_eq!(schedule.body["version"]["id"], version_id);

    // A sick day after publication is an event; the published version stays.
    let sick = json!({ "kind": "absence", "employee": "1001", "from": "2027-03-17", "to": "2027-03-17", "cause": "sjuk" });
    let event = app.post(&format!("{base}/events"), admin, sick).await;
    assert_eq!(event.status, StatusCode::CREATED, "{}", event.text);
    let after = app.get(&format!("/api/v1/units/{unit}/versions/{version_id}"), admin).await;
    assert_eq!(after.body["assignments"], schedule.body["assignments"]);

    // The audit log lists the steps and its chain holds.
    let audit = app.get(&format!("/api/v1/units/{unit}/audit?limit=1000"), admin).await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text);
    let actions: Vec<&str> =
        audit.body.as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
    for expected in [
        "period.import",
        "period.transition",
        "wish.create",
        "job.enqueue",
        "assignment.update",
        "event.create",
    ] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
    let staff_audit = app.get(&format!("/api/v1/units/{unit}/audit"), &staff).await;
    assert_eq!(staff_audit.status, StatusCode::FORBIDDEN);
    let verified = app.get("/api/v1/audit/verify", admin).await;
    assert_eq!(verified.status, StatusCode::OK, "{}", verified.text);
    assert_eq!(verified.body["first_break"], serde_json::Value::Null);
    assert!(verified.body["rows_checked"].as_u64().unwrap() > 10);
}

backend_tests!(pins_set_and_removed);

async fn pins_set_and_removed(app: &TestApp) {
    let setup = setup(app).await;
    let base = format!("/api/v1/units/{}/periods/{}", setup.unit, setup.period);
    let scheduler = member(app, &setup, "sara", "schemaläggare", None).await;
    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let before = app.get(&format!("{base}/pins"), &scheduler).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text);
    let count = before.body.as_array().unwrap().len();

    let pin = json!({ "employee": "1003", "date": "2027-03-20", "shift": "D" });
    let set = app.json(Method::PUT, &format!("{base}/pins"), &scheduler, Some(pin.clone())).await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.text);
    let by_staff = app.json(Method::PUT, &format!("{base}/pins"), &staff, Some(pin.clone())).await;
    assert_eq!(by_staff.status, StatusCode::FORBIDDEN);
    let pins = app.get(&format!("{base}/pins"), &scheduler).await;
    assert_eq!(pins.body.as_array().unwrap().len(), count + 1);
    assert!(pins.body.as_array().unwrap().contains(&pin));

    let removed = app.json(Method::DELETE, &format!("{base}/pins/1003/2027-03-20"), &scheduler, None).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.text);
    let after = app.get(&format!("{base}/pins"), &scheduler).await;
    assert_eq!(after.body.as_array().unwrap().len(), count);
}
