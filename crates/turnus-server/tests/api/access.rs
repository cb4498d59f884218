//! Role scoping: a medarbetare sees only their unit, writes only their own wishes and only
//! before the deadline; roles without a right get 403, other units 404.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::common::{TestApp, backend_tests, from_now, member, setup};

backend_tests!(
    staff_cannot_see_other_unit,
    staff_writes_only_own_wishes,
    staff_cannot_write_after_deadline,
    roles_limit_actions
);

async fn staff_cannot_see_other_unit(app: &TestApp) {
    let setup = setup(app).await;
    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let other = app.post("/api/v1/units", &setup.admin, json!({ "name": "Eken" })).await;
    let other = other.body["id"].as_i64().unwrap();

    let units = app.get("/api/v1/units", &staff).await;
    let ids: Vec<i64> = units.body.as_array().unwrap().iter().map(|u| u["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![setup.unit]);
    for path in [
        format!("/api/v1/units/{other}"),
        format!("/api/v1/units/{other}/periods"),
        format!("/api/v1/units/{other}/periods/{}", setup.period),
        "/api/v1/units/999999".to_string(),
    ] {
        let reply = app.get(&path, &staff).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}: {}", reply.text);
    }
    // The same answer for a unit that exists and one that does not.
    let existing = app.get(&format!("/api/v1/units/{other}"), &staff).await;
    let missing = app.get("/api/v1/units/999999", &staff).await;
    assert_eq!(existing.body, missing.body);
    let wish = json!({ "employee": "1001", "date": "2027-04-02", "kind": "off", "priority": 2 });
    let foreign =
        app.post(&format!("/api/v1/units/{other}/periods/{}/wishes", setup.period), &staff, wish).await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
}

async fn staff_writes_only_own_wishes(app: &TestApp) {
    let setup = setup(app).await;
    let base = format!("/api/v1/units/{}/periods/{}", setup.unit, setup.period);
    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let opened = app
        .post(
            &format!("{base}/transition"),
            &setup.admin,
            json!({ "to": "wishes_open", "wishes_deadline": from_now(3600) }),
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);

    let others = json!({ "employee": "1002", "date": "2027-04-02", "kind": "off", "priority": 2 });
    let reply = app.post(&format!("{base}/wishes"), &staff, others.clone()).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text);

    // A wish of another employee, entered by the admin, cannot be changed or deleted.
    let theirs = app.post(&format!("{base}/wishes"), &setup.admin, others).await;
    assert_eq!(theirs.status, StatusCode::CREATED, "{}", theirs.text);
    let path = format!("/api/v1/units/{}/wishes/{}", setup.unit, theirs.body["id"]);
    let hijack = json!({ "employee": "1002", "date": "2027-04-03", "kind": "off", "priority": 3 });
    let update = app
        .send(
            app.builder(Method::PUT, &path, &staff)
                .header("if-match", "\"1\"")
                .header("content-type", "application/json")
                .body(hijack.to_string().into())
                .unwrap(),
        )
        .await;
    assert_eq!(update.status, StatusCode::FORBIDDEN, "{}", update.text);
    let delete = app
        .send(app.builder(Method::DELETE, &path, &staff).header("if-match", "\"1\"").body("".into()).unwrap())
        .await;
    assert_eq!(delete.status, StatusCode::FORBIDDEN, "{}", delete.text);

    // Staff lists only their own wishes.
    let listed = app.get(&format!("{base}/wishes"), &staff).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.body.as_array().unwrap().iter().all(|w| w["wish"]["employee"] == "1001"));
}

async fn staff_cannot_write_after_deadline(app: &TestApp) {
    let setup = setup(app).await;
    let base = format!("/api/v1/units/{}/periods/{}", setup.unit, setup.period);
    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let wish = json!({ "employee": "1001", "date": "2027-04-02", "kind": "off", "priority": 2 });

    // Before wishes open.
    let early = app.post(&format!("{base}/wishes"), &staff, wish.clone()).await;
    assert_eq!(early.status, StatusCode::FORBIDDEN, "{}", early.text);
    assert_eq!(
        early.body["message"],
        "Önskemål kan inte lämnas eller ändras nu: perioden är inte öppen för önskemål (den är i läget utkast)"
    );

    let opened = app
        .post(
            &format!("{base}/transition"),
            &setup.admin,
            json!({ "to": "wishes_open", "wishes_deadline": from_now(2) }),
        )
        .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.text);
    let in_time = app.post(&format!("{base}/wishes"), &staff, wish.clone()).await;
    assert_eq!(in_time.status, StatusCode::CREATED, "{}", in_time.text);

    tokio::time::sleep(Duration::from_millis(2500)).await;
    let late = app.post(&format!("{base}/wishes"), &staff, wish).await;
    assert_eq!(late.status, StatusCode::FORBIDDEN, "{}", late.text);
    let message = late.body["message"].as_str().unwrap();
    assert!(
        message.starts_with("Önskemål kan inte lämnas eller ändras längre: sista tiden var 20"),
        "{message}"
    );
    assert!(late.body["wishes_deadline"].is_string(), "{}", late.text);
}

async fn roles_limit_actions(app: &TestApp) {
    let setup = setup(app).await;
    let base = format!("/api/v1/units/{}/periods/{}", setup.unit, setup.period);
    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let scheduler = member(app, &setup, "sara", "schemaläggare", None).await;

    let open = json!({ "to": "wishes_open", "wishes_deadline": from_now(3600) });
    let by_staff = app.post(&format!("{base}/transition"), &staff, open.clone()).await;
    assert_eq!(by_staff.status, StatusCode::FORBIDDEN, "{}", by_staff.text);
    let by_scheduler = app.post(&format!("{base}/transition"), &scheduler, open).await;
    assert_eq!(by_scheduler.status, StatusCode::OK, "{}", by_scheduler.text);

    // Only chefs and admins read the audit log and grant roles; only admins create units.
    let audit = app.get(&format!("/api/v1/units/{}/audit", setup.unit), &scheduler).await;
    assert_eq!(audit.status, StatusCode::FORBIDDEN);
    let grant = app
        .post(
            &format!("/api/v1/units/{}/grants", setup.unit),
            &scheduler,
            json!({ "user_id": 1, "role": "chef" }),
        )
        .await;
    assert_eq!(grant.status, StatusCode::FORBIDDEN);
    let unit = app.post("/api/v1/units", &scheduler, json!({ "name": "Eken" })).await;
    assert_eq!(unit.status, StatusCode::FORBIDDEN);
    let versions = app.get(&format!("{base}/versions"), &staff).await;
    assert_eq!(versions.status, StatusCode::FORBIDDEN);
}
