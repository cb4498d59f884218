//! Error messages in the language of `Accept-Language`, with no English store text inside a
//! Swedish message: a publication from the wrong period state, a request that breaks a
//! domain rule, and a contradiction in the unit's data, each in Swedish and English.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use turnus_store::{Actor, Change, NewVersion, PeriodId, UnitId};

use crate::common::{Reply, Setup, TestApp, backend_tests, from_now, setup};

backend_tests!(
    publish_from_proposal_in_both_languages,
    invalid_request_in_both_languages,
    event_before_publication_in_both_languages,
    contradiction_in_both_languages,
);

/// Sends `method path` as the admin with a JSON body (or none), `If-Match: version` and
/// `Accept-Language: lang`.
async fn send_in(
    app: &TestApp,
    setup: &Setup,
    (method, path): (Method, &str),
    version: i64,
    body: Option<Value>,
    lang: &str,
) -> Reply {
    let request = app
        .builder(method, path, &setup.admin)
        .header("content-type", "application/json")
        .header("if-match", format!("\"{version}\""))
        .header("accept-language", lang)
        .body(body.map_or_else(Body::empty, |body| Body::from(body.to_string())))
        .unwrap();
    app.send(request).await
}

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

async fn invalid_request_in_both_languages(app: &TestApp) {
    let setup = setup(app).await;
    // Opening wishes needs a deadline, so the store rejects the transition without one.
    let path = format!("/api/v1/units/{}/periods/{}/transition", setup.unit, setup.period);
    let cases = [
        ("sv-SE,sv;q=0.9", "Ange en sista tid för önskemål när önskemålen öppnas"),
        ("en-GB,en;q=0.9", "Give a wish deadline when opening wishes"),
    ];
    for (lang, expected) in cases {
        let body = json!({ "to": "wishes_open" });
        let reply = send_in(app, &setup, (Method::POST, &path), 0, Some(body), lang).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
        assert_eq!(reply.body["error"], "invalid");
        assert_eq!(reply.body["message"], expected, "{lang}");
    }
}

async fn event_before_publication_in_both_languages(app: &TestApp) {
    let setup = setup(app).await;
    let path = format!("/api/v1/units/{}/periods/{}/events", setup.unit, setup.period);
    let sick = json!({ "kind": "absence", "employee": "1001", "from": "2027-03-15", "to": "2027-03-15", "cause": "sjuk" });
    let cases = [
        (
            "sv",
            "Händelser registreras bara när perioden är publicerad eller i uppföljning; den är i läget utkast",
        ),
        ("en", "Events are recorded only while the period is published or in follow-up; it is in draft"),
    ];
    for (lang, expected) in cases {
        let reply = send_in(app, &setup, (Method::POST, &path), 0, Some(sick.clone()), lang).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
        assert_eq!(reply.body["state"], "draft", "{lang}");
        assert_eq!(reply.body["message"], expected, "{lang}");
    }
}

async fn contradiction_in_both_languages(app: &TestApp) {
    let setup = setup(app).await;
    // The sample unit's rules allow 5 hours of work without a break (ATL §15).
    let path = format!("/api/v1/units/{}/shift-types", setup.unit);
    let long = json!({ "code": "M", "name": "Mellan", "start": "10:00", "end": "18:30", "break_minutes": 0 });
    let cases = [
        (
            "sv",
            "Formuläret innehåller 1 fel; rätta fälten och spara igen",
            "pass M: passet är längre än 5 timmar och behöver en rast (ATL §15); ange rasten i minuter, t.ex. 30",
        ),
        (
            "en",
            "The form has 1 error; correct the fields and save again",
            "shift M: the shift is longer than 5 hours and needs a break (ATL §15); give the break in minutes, e.g. 30",
        ),
    ];
    for (lang, message, detail) in cases {
        let reply = send_in(app, &setup, (Method::POST, &path), 0, Some(long.clone()), lang).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
        assert_eq!(reply.body["message"], message, "{lang}");
        assert_eq!(reply.body["details"][0]["field"], "break_minutes", "{lang}");
        assert_eq!(reply.body["details"][0]["message"], detail, "{lang}");
    }

    // A stricter rule set makes a stored shift type contradict it, which the store finds.
    let rules = format!("/api/v1/units/{}/rules", setup.unit);
    let version = app.get(&rules, &setup.admin).await.body["row_version"].as_i64().unwrap();
    let stricter = json!({ "rules": { "max_work_without_break_hours": 4 } });
    let cases = [
        (
            "sv",
            "pass D5: passet är längre än 4 timmar och behöver en rast (ATL §15); ange rasten i minuter, t.ex. 30",
        ),
        (
            "en",
            "shift D5: the shift is longer than 4 hours and needs a break (ATL §15); give the break in minutes, e.g. 30",
        ),
    ];
    for (lang, detail) in cases {
        let reply = send_in(app, &setup, (Method::PUT, &rules), version, Some(stricter.clone()), lang).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
        assert_eq!(reply.body["details"][0]["field"], "break_minutes", "{lang}");
        assert_eq!(reply.body["details"][0]["message"], detail, "{lang}");
    }
}
