//! Error messages in the language of `Accept-Language`, with no English store text inside a
//! Swedish message: a publication from the wrong period state, in Swedish and English.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;
use turnus_store::{Actor, Change, NewVersion, PeriodId, UnitId};

use crate::common::{Reply, Setup, TestApp, backend_tests, from_now, setup};

backend_tests!(publish_from_proposal_in_both_languages);

/// Posts a publication of `version` with `Accept-Language: lang`.
async fn publish(app: &TestApp, setup: &Setup, version: i64, lang: &str) -> Reply {
    let path = format!("/api/v1/units/{}/periods/{}/publish", setup.unit, setup.period);
    let body = json!({ "version_id": version, "reason": "test" }).to_string();
    let request = app
        .builder(Method::POST, &path, &setup.admin)
        .header("content-type", "application/json")
        .header("accept-language", lang)
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

async fn publish_from_proposal_in_both_languages(app: &TestApp) {
    let setup = setup(app).await;
    let empty = NewVersion {
        assignments: Vec::new(),
        score: turnus_core::Score::default(),
        findings: json!([]),
        note: None,
    };
    let change = Change::by(Actor::System("test".into()));
    let version =
        app.store.save_version(UnitId(setup.unit), PeriodId(setup.period), &empty, &change).await.unwrap();
    let base = format!("/api/v1/units/{}/periods/{}", setup.unit, setup.period);
    for (to, deadline) in [("wishes_open", Some(from_now(3600))), ("wishes_closed", None), ("proposal", None)]
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

    let swedish = publish(app, &setup, version.id.get(), "sv-SE,sv;q=0.9").await;
    assert_eq!(swedish.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", swedish.text);
    assert_eq!(swedish.body["error"], "invalid");
    assert_eq!(swedish.body["state"], "proposal");
    assert_eq!(
        swedish.body["message"],
        "Bara en period under granskning kan publiceras; den här är i läget förslag"
    );

    let english = publish(app, &setup, version.id.get(), "en-GB,en;q=0.9").await;
    assert_eq!(english.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", english.text);
    assert_eq!(english.body["state"], "proposal");
    assert_eq!(
        english.body["message"],
        "Only a period under review can be published; this one is in proposal"
    );
}
