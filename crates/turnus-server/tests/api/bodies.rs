//! Request bodies that cannot be read as the expected JSON: the answer is the API's error
//! body in the client's language, naming the field and the value sent.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::common::{Auth, Reply, TestApp, backend_tests, from_now, member, setup};

backend_tests!(login_body_rejections, wish_body_rejections);

/// Posts `body` as it is, with `content_type` when given.
async fn post_raw(
    app: &TestApp,
    path: &str,
    auth: &Auth,
    body: &str,
    content_type: Option<&str>,
    lang: &str,
) -> Reply {
    let mut builder = app.builder(Method::POST, path, auth).header("accept-language", lang);
    if let Some(content_type) = content_type {
        builder = builder.header("content-type", content_type);
    }
    app.send(builder.body(Body::from(body.to_string())).unwrap()).await
}

async fn login_body_rejections(app: &TestApp) {
    let json = Some("application/json");

    let missing = post_raw(app, "/api/v1/login", &Auth::None, r#"{"username":"admin"}"#, json, "sv").await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", missing.text);
    assert_eq!(missing.headers["content-type"], "application/json");
    assert_eq!(missing.body["error"], "invalid");
    assert_eq!(missing.body["message"], "Fältet password saknas i begärans kropp");
    assert_eq!(missing.body["details"][0]["field"], "password");
    let english = post_raw(app, "/api/v1/login", &Auth::None, r#"{"username":"admin"}"#, json, "en").await;
    assert_eq!(english.body["message"], "The field password is missing from the request body");

    let broken = post_raw(app, "/api/v1/login", &Auth::None, "{\"username\":\n\"admin\",", json, "sv").await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST, "{}", broken.text);
    assert_eq!(broken.body["error"], "invalid_json");
    assert_eq!(broken.body["message"], "Begärans kropp är inte giltig JSON: fel på rad 2, kolumn 8");
    assert_eq!(broken.body["details"][0]["line"], 2);

    let untyped =
        post_raw(app, "/api/v1/login", &Auth::None, r#"{"username":"admin","password":"x"}"#, None, "en")
            .await;
    assert_eq!(untyped.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{}", untyped.text);
    assert_eq!(untyped.body["error"], "unsupported_media_type");
    assert_eq!(
        untyped.body["message"],
        "The request body must be JSON; send the header Content-Type: application/json"
    );
    let with_charset = post_raw(
        app,
        "/api/v1/login",
        &Auth::None,
        r#"{"username":"nobody","password":"x"}"#,
        Some("application/json; charset=utf-8"),
        "en",
    )
    .await;
    assert_eq!(with_charset.status, StatusCode::UNAUTHORIZED, "{}", with_charset.text);
}

async fn wish_body_rejections(app: &TestApp) {
    let setup = setup(app).await;
    let base = format!("/api/v1/units/{}/periods/{}", setup.unit, setup.period);
    let opened = app
        .post(
            &format!("{base}/transition"),
            &setup.admin,
            json!({ "to": "wishes_open", "wishes_deadline": from_now(3600) }),
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);
    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let path = format!("{base}/wishes");
    let json = Some("application/json");

    let bad_date = r#"{"employee":"1001","date":"03/04/2027","kind":"off","priority":2}"#;
    let swedish = post_raw(app, &path, &staff, bad_date, json, "sv").await;
    assert_eq!(swedish.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", swedish.text);
    assert_eq!(
        swedish.body["message"],
        "Fältet date har ett ogiltigt värde \"03/04/2027\"; skriv datum som ÅÅÅÅ-MM-DD och tidpunkter som 2027-01-31T23:00:00Z"
    );
    assert_eq!(swedish.body["details"][0]["field"], "date");
    assert_eq!(swedish.body["details"][0]["value"], "03/04/2027");
    let english = post_raw(app, &path, &staff, bad_date, json, "en").await;
    let message = english.body["message"].as_str().unwrap();
    assert!(message.starts_with("The field date has an invalid value \"03/04/2027\": "), "{message}");

    let unknown_kind = r#"{"employee":"1001","date":"2027-04-03","kind":"ledig","priority":2}"#;
    let kind = post_raw(app, &path, &staff, unknown_kind, json, "sv").await;
    assert_eq!(kind.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", kind.text);
    let message = kind.body["message"].as_str().unwrap();
    assert!(
        message.starts_with("Fältet kind har ett ogiltigt värde \"ledig\"; tillåtna värden: "),
        "{message}"
    );
    assert!(message.contains("off"), "{message}");
}
