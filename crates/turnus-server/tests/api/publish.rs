//! Publication of a version that breaks hard rules: rejected with the count and the rules in
//! both languages, and published only with a reason that the audit row keeps.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use jiff::civil::date;
use serde_json::{Value, json};
use turnus_core::{Assignment, Schedule};
use turnus_store::{Actor, Change, NewVersion, PeriodId, UnitId};

use crate::common::{Reply, Setup, TestApp, backend_tests, from_now, setup};

backend_tests!(hard_findings_block_publication);

/// Saves a proposal in which 1001, who has no `natt` skill, works the night of 2027-03-15
/// and the day shift that starts at 07:00 the next morning, and moves the period to review.
async fn illegal_proposal(app: &TestApp, setup: &Setup) -> i64 {
    let schedule = Schedule {
        assignments: vec![
            Assignment { employee: "1001".into(), date: date(2027, 3, 15), shift: "N".into() },
            Assignment { employee: "1001".into(), date: date(2027, 3, 16), shift: "D".into() },
        ],
    };
    let (unit, period) = (UnitId(setup.unit), PeriodId(setup.period));
    let problem = app.store.load_problem(unit, period).await.unwrap();
    let evaluation = turnus_core::evaluate(&problem, &schedule).unwrap();
    let version = NewVersion {
        assignments: schedule.assignments,
        score: evaluation.score,
        findings: serde_json::to_value(&evaluation.findings).unwrap(),
        note: None,
    };
    let change = Change::by(Actor::System("test".into()));
    let saved = app.store.save_version(unit, period, &version, &change).await.unwrap();
    let base = format!("/api/v1/units/{}/periods/{}", setup.unit, setup.period);
    for (to, deadline) in
        [("wishes_open", Some(from_now(3600))), ("wishes_closed", None), ("proposal", None), ("review", None)]
    {
        let moved = app
            .post(
                &format!("{base}/transition"),
                &setup.admin,
                json!({ "to": to, "wishes_deadline": deadline }),
            )
            .await;
        assert_eq!(moved.status, StatusCode::OK, "{to}: {}", moved.text);
    }
    saved.id.get()
}

async fn publish(app: &TestApp, setup: &Setup, body: Value, lang: &str) -> Reply {
    let path = format!("/api/v1/units/{}/periods/{}/publish", setup.unit, setup.period);
    let request = app
        .builder(Method::POST, &path, &setup.admin)
        .header("content-type", "application/json")
        .header("accept-language", lang)
        .body(Body::from(body.to_string()))
        .unwrap();
    app.send(request).await
}

async fn hard_findings_block_publication(app: &TestApp) {
    let setup = setup(app).await;
    let version = illegal_proposal(app, &setup).await;

    let swedish = publish(app, &setup, json!({ "version_id": version }), "sv").await;
    assert_eq!(swedish.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", swedish.text);
    assert_eq!(swedish.body["error"], "hard_findings");
    let count = swedish.body["hard_findings"].as_u64().expect("a count");
    assert!(count >= 3, "{}", swedish.text);
    let message = swedish.body["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("Schemaversionen bryter mot hårda regler, {count} regelbrott (")),
        "{message}"
    );
    assert!(message.contains("H2 kompetens ×1"), "{message}");
    assert!(message.ends_with("ange skälet att publicera ändå i override_reason"), "{message}");
    let rules: Vec<&str> =
        swedish.body["details"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    for rule in ["H1", "H2", "H4"] {
        assert!(rules.contains(&rule), "{rule} missing from {rules:?}");
    }

    let english = publish(app, &setup, json!({ "version_id": version, "override_reason": " " }), "en").await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", english.text);
    let message = english.body["message"].as_str().unwrap();
    assert!(
        message.starts_with(&format!("The schedule version breaks hard rules, {count} findings (")),
        "{message}"
    );
    assert!(message.contains("H2 skill ×1"), "{message}");

    let period =
        app.get(&format!("/api/v1/units/{}/periods/{}", setup.unit, setup.period), &setup.admin).await;
    assert_eq!(period.body["state"], "review");

    let reason = "Anna går natten med stöd av nattpersonalen; passet bemannas om i morgon";
    let accepted =
        publish(app, &setup, json!({ "version_id": version, "override_reason": reason }), "sv").await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text);

    let audit = app.get(&format!("/api/v1/units/{}/audit?limit=1000", setup.unit), &setup.admin).await;
    let row = audit
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["action"] == "version.publish")
        .expect("an audit row of the publication")
        .clone();
    assert_eq!(row["reason"], reason);
    let after: Value = serde_json::from_str(row["after_json"].as_str().unwrap()).unwrap();
    assert_eq!(after["hard_findings"]["count"], count);
    assert_eq!(after["hard_findings"]["override_reason"], reason);
    assert_eq!(after["hard_findings"]["rules"]["H2"], 1);
}
