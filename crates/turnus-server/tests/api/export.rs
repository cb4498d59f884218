//! Exports of a schedule version (CSV, XLSX, iCalendar) scoped by role, and the calendar
//! feed with its secret token: create, rotate, revoke, events after publication.

use axum::http::{Method, StatusCode};
use jiff::civil::{Date, date};
use serde_json::json;
use turnus_core::{Assignment, Schedule};
use turnus_store::{Actor, Change, NewVersion, PeriodId, UnitId};

use crate::common::{Auth, Setup, TestApp, backend_tests, example_files, from_now, member, setup};

backend_tests!(exports_by_role, calendar_feed_token, calendar_feed_spans_periods);

/// Saves a small proposal directly in the store (1001 and 1002 work days early in the
/// period) and moves the period to review; returns the version id.
async fn proposal(app: &TestApp, setup: &Setup) -> i64 {
    let rows = [
        ("1001", 15, "D"),
        ("1001", 16, "D"),
        ("1001", 17, "K"),
        ("1001", 30, "N"),
        ("1002", 15, "K"),
        ("1002", 16, "N"),
    ];
    let rows = rows.map(|(employee, day, shift)| (employee, date(2027, 3, day), shift));
    proposal_in(app, setup, setup.period, &rows).await
}

/// Saves `rows` (employee, date, shift) as a proposal of `period` and moves the period to
/// review; returns the version id.
async fn proposal_in(app: &TestApp, setup: &Setup, period: i64, rows: &[(&str, Date, &str)]) -> i64 {
    let unit = UnitId(setup.unit);
    let period_id = PeriodId(period);
    let schedule = Schedule {
        assignments: rows
            .iter()
            .map(|(e, day, s)| Assignment { employee: (*e).into(), date: *day, shift: (*s).into() })
            .collect(),
    };
    let problem = app.store.load_problem(unit, period_id).await.unwrap();
    let evaluation = turnus_core::evaluate(&problem, &schedule).unwrap();
    let version = NewVersion {
        assignments: schedule.assignments,
        score: evaluation.score,
        findings: serde_json::to_value(&evaluation.findings).unwrap(),
        note: Some("test".into()),
    };
    let saved = app
        .store
        .save_version(unit, period_id, &version, &Change::by(Actor::System("test".into())))
        .await
        .unwrap();
    let base = format!("/api/v1/units/{}/periods/{period}", setup.unit);
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

async fn publish(app: &TestApp, setup: &Setup, version: i64) {
    publish_in(app, setup, setup.period, version).await;
}

async fn publish_in(app: &TestApp, setup: &Setup, period: i64, version: i64) {
    let published = app
        .post(
            &format!("/api/v1/units/{}/periods/{period}/publish", setup.unit),
            &setup.admin,
            json!({ "version_id": version, "reason": "test", "override_reason": "test" }),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.text);
}

/// Imports the sample unit's staff, shifts, demand and skills as a new period from `start`
/// for `weeks` weeks; returns the period id.
async fn import_period(app: &TestApp, setup: &Setup, start: Date, weeks: u32) -> i64 {
    let mut files = example_files("sarskilt-boende");
    files.retain(|(name, _)| {
        ["unit.toml", "staff.csv", "shifts.csv", "demand.csv", "skills.csv"].contains(&name.as_str())
    });
    for (name, contents) in &mut files {
        if name == "unit.toml" {
            let text = String::from_utf8(contents.clone()).unwrap();
            let text = text
                .replace("period_start = \"2027-03-15\"", &format!("period_start = \"{start}\""))
                .replace("weeks = 6", &format!("weeks = {weeks}"));
            *contents = text.into_bytes();
        }
    }
    let imported = app.import(setup.unit, &setup.admin, &files, None).await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.text);
    imported.body["id"].as_i64().unwrap()
}

async fn transition(app: &TestApp, setup: &Setup, period: i64, to: &str) {
    let path = format!("/api/v1/units/{}/periods/{period}/transition", setup.unit);
    let moved = app.post(&path, &setup.admin, json!({ "to": to })).await;
    assert_eq!(moved.status, StatusCode::OK, "{to}: {}", moved.text);
}

fn events_in(text: &str) -> usize {
    text.matches("BEGIN:VEVENT").count()
}

async fn exports_by_role(app: &TestApp) {
    let setup = setup(app).await;
    let version = proposal(app, &setup).await;
    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let export = |query: &str| format!("/api/v1/units/{}/versions/{version}/export?{query}", setup.unit);

    // A planner exports the proposal in each format.
    let csv = app.get(&export("format=csv"), &setup.admin).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    assert!(csv.headers["content-disposition"].to_str().unwrap().contains(".csv"));
    assert_eq!(csv.text.lines().filter(|l| l.contains("1001")).count(), 4, "{}", csv.text);
    assert_eq!(csv.text.lines().filter(|l| l.contains("1002")).count(), 2, "{}", csv.text);
    let only = app.get(&export("format=csv&employee=1002"), &setup.admin).await;
    assert!(!only.text.contains("1001"), "{}", only.text);

    let xlsx = app.get(&export("format=xlsx"), &setup.admin).await;
    assert_eq!(xlsx.status, StatusCode::OK, "{}", xlsx.text);
    assert!(xlsx.headers["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = {
        let request = app
            .builder(Method::GET, &export("format=xlsx"), &setup.admin)
            .body(axum::body::Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(app.app.clone(), request).await.unwrap();
        http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes()
    };
    assert!(bytes.starts_with(b"PK"), "an XLSX file is a zip");

    let ics = app.get(&export("format=ics&employee=1001&lang=en"), &setup.admin).await;
    assert_eq!(ics.status, StatusCode::OK, "{}", ics.text);
    assert_eq!(ics.headers["content-type"], "text/calendar; charset=utf-8");
    assert!(ics.text.starts_with("BEGIN:VCALENDAR"));
    assert_eq!(events_in(&ics.text), 4);
    assert!(ics.text.contains("SUMMARY:Shift D"), "{}", ics.text);
    let swedish = app.get(&export("format=ics&employee=1001"), &setup.admin).await;
    assert!(swedish.text.contains("SUMMARY:Pass D"), "{}", swedish.text);

    // Bad requests are 4xx with a message.
    let no_employee = app.get(&export("format=ics"), &setup.admin).await;
    assert_eq!(no_employee.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_employee.text);
    assert!(no_employee.body["message"].as_str().unwrap().contains("employee"));
    let unknown = app.get(&export("format=pdf"), &setup.admin).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body["message"].as_str().unwrap().contains("xlsx"));
    let nobody = app.get(&export("format=ics&employee=9999"), &setup.admin).await;
    assert_eq!(nobody.status, StatusCode::NOT_FOUND, "{}", nobody.text);
    let missing = app.get(&export(""), &setup.admin).await;
    assert_eq!(missing.status.as_u16() / 100, 4, "{}", missing.text);

    // A medarbetare sees no proposal, only the published version.
    let hidden = app.get(&export("format=csv"), &staff).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND, "{}", hidden.text);
    publish(app, &setup, version).await;
    let shown = app.get(&export("format=ics&employee=1002"), &staff).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text);
    assert_eq!(events_in(&shown.text), 2);

    // A user without a grant on the unit gets 404; without a session, 401.
    app.user("utomstående", "utomstående-lösen", false).await;
    let outsider = app.login("utomstående", "utomstående-lösen").await;
    assert_eq!(app.get(&export("format=csv"), &outsider).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&export("format=csv"), &Auth::None).await.status, StatusCode::UNAUTHORIZED);
}

async fn calendar_feed_token(app: &TestApp) {
    let setup = setup(app).await;
    let version = proposal(app, &setup).await;
    let anna = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let bo = member(app, &setup, "bo", "medarbetare", Some("1002")).await;
    let planner = member(app, &setup, "sara", "schemaläggare", None).await;
    let token_path =
        |employee: &str| format!("/api/v1/units/{}/employees/{employee}/calendar-token", setup.unit);

    // Only the employee or a chef manages the address.
    assert_eq!(app.post(&token_path("1001"), &bo, json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&token_path("1001"), &planner, json!({})).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&token_path("1001"), &anna).await.status, StatusCode::NOT_FOUND);
    let created = app.post(&token_path("1001"), &anna, json!({})).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let token = created.body["token"].as_str().unwrap().to_string();
    let url = created.body["url"].as_str().unwrap();
    assert!(url.starts_with("http://127.0.0.1:8080/api/v1/calendar/") && url.ends_with(".ics"), "{url}");
    let status = app.get(&token_path("1001"), &anna).await;
    assert_eq!(status.status, StatusCode::OK);
    assert!(!status.text.contains(&token), "the secret is shown once only");
    let unknown = app.post(&token_path("9999"), &setup.admin, json!({})).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);

    // The feed needs no session. Before publication it is an empty calendar.
    let feed = format!("/api/v1/calendar/{token}.ics");
    let before = app.get(&feed, &Auth::None).await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.text);
    assert_eq!(before.headers["content-type"], "text/calendar; charset=utf-8");
    assert_eq!(events_in(&before.text), 0);
    publish(app, &setup, version).await;
    let after = app.get(&feed, &Auth::None).await;
    assert_eq!(events_in(&after.text), 4, "{}", after.text);

    // A sick day and a swap after publication show in the feed.
    let events = format!("/api/v1/units/{}/periods/{}/events", setup.unit, setup.period);
    let sick = json!({ "kind": "absence", "employee": "1001", "from": "2027-03-15", "to": "2027-03-15", "cause": "sjuk" });
    assert_eq!(app.post(&events, &setup.admin, sick).await.status, StatusCode::CREATED);
    let swap = json!({ "kind": "swap", "employee": "1002", "date": "2027-03-16", "shift": "N", "other_employee": "1001" });
    let swapped = app.post(&events, &setup.admin, swap).await;
    assert_eq!(swapped.status, StatusCode::CREATED, "{}", swapped.text);
    let changed = app.get(&feed, &Auth::None).await;
    assert_eq!(events_in(&changed.text), 4, "{}", changed.text);
    assert!(!changed.text.contains("UID:1001-20270315"), "{}", changed.text);
    assert!(changed.text.contains("UID:1001-20270316-N"), "{}", changed.text);

    // Rotating replaces the address; revoking ends it.
    let rotated = app.post(&token_path("1001"), &setup.admin, json!({})).await;
    assert_eq!(rotated.status, StatusCode::CREATED, "{}", rotated.text);
    let new_token = rotated.body["token"].as_str().unwrap().to_string();
    assert_ne!(new_token, token);
    assert_eq!(app.get(&feed, &Auth::None).await.status, StatusCode::NOT_FOUND);
    let new_feed = format!("/api/v1/calendar/{new_token}.ics");
    assert_eq!(app.get(&new_feed, &Auth::None).await.status, StatusCode::OK);
    let revoked = app.json(Method::DELETE, &token_path("1001"), &anna, None).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    assert_eq!(app.get(&new_feed, &Auth::None).await.status, StatusCode::NOT_FOUND);
    let again = app.json(Method::DELETE, &token_path("1001"), &anna, None).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/api/v1/calendar/short", &Auth::None).await.status, StatusCode::NOT_FOUND);

    // Every change is audited, without the secret.
    let audit = app.get(&format!("/api/v1/units/{}/audit", setup.unit), &setup.admin).await;
    let actions: Vec<&str> =
        audit.body.as_array().unwrap().iter().filter_map(|r| r["action"].as_str()).collect();
    for action in ["calendar_token.create", "calendar_token.rotate", "calendar_token.revoke"] {
        assert!(actions.contains(&action), "{action} missing from {actions:?}");
    }
    assert!(!audit.text.contains(&token) && !audit.text.contains(&new_token));
}

async fn calendar_feed_spans_periods(app: &TestApp) {
    let setup = setup(app).await;
    let anna = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let created = app
        .post(&format!("/api/v1/units/{}/employees/1001/calendar-token", setup.unit), &anna, json!({}))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let feed = format!("/api/v1/calendar/{}.ics", created.body["token"].as_str().unwrap());

    // The sample period (from 2027-03-15, six weeks) and the next one, both published.
    let first = proposal(app, &setup).await;
    publish(app, &setup, first).await;
    let next = import_period(app, &setup, date(2027, 4, 26), 4).await;
    let rows =
        [("1001", date(2027, 4, 26), "D"), ("1001", date(2027, 5, 3), "K"), ("1002", date(2027, 4, 27), "N")];
    let second = proposal_in(app, &setup, next, &rows).await;
    publish_in(app, &setup, next, second).await;
    let both = app.get(&feed, &Auth::None).await;
    assert_eq!(both.status, StatusCode::OK, "{}", both.text);
    assert_eq!(events_in(&both.text), 6, "{}", both.text);
    assert!(both.text.contains("UID:1001-20270315-D"), "{}", both.text);
    assert!(both.text.contains("UID:1001-20270426-D"), "{}", both.text);
    assert!(both.text.contains("UID:1001-20270503-K"), "{}", both.text);
    assert!(!both.text.contains("UID:1002-"), "{}", both.text);

    // An absence recorded in the first period changes only that period's shifts.
    let events = format!("/api/v1/units/{}/periods/{}/events", setup.unit, setup.period);
    let sick = json!({ "kind": "absence", "employee": "1001", "from": "2027-03-16", "to": "2027-03-17", "cause": "sjuk" });
    assert_eq!(app.post(&events, &setup.admin, sick).await.status, StatusCode::CREATED);
    let changed = app.get(&feed, &Auth::None).await;
    assert_eq!(events_in(&changed.text), 4, "{}", changed.text);
    assert!(!changed.text.contains("UID:1001-20270316"), "{}", changed.text);
    assert!(changed.text.contains("UID:1001-20270426-D"), "{}", changed.text);

    // A period that ended long ago stays while followed up and leaves once closed.
    let today = jiff::ZonedDateTime::now().date();
    let monday = today.saturating_sub(jiff::Span::new().days(140));
    let old_start =
        monday.saturating_sub(jiff::Span::new().days(i64::from(monday.weekday().to_monday_zero_offset())));
    let old = import_period(app, &setup, old_start, 2).await;
    let old_day = old_start.saturating_add(jiff::Span::new().days(2));
    let old_version = proposal_in(app, &setup, old, &[("1001", old_day, "D")]).await;
    publish_in(app, &setup, old, old_version).await;
    transition(app, &setup, old, "follow_up").await;
    let followed = app.get(&feed, &Auth::None).await;
    assert_eq!(events_in(&followed.text), 5, "{}", followed.text);
    let old_uid = format!("UID:1001-{}-D", old_day.strftime("%Y%m%d"));
    assert!(followed.text.contains(&old_uid), "{}", followed.text);
    transition(app, &setup, old, "closed").await;
    let closed = app.get(&feed, &Auth::None).await;
    assert_eq!(events_in(&closed.text), 4, "{}", closed.text);
    assert!(!closed.text.contains(&old_uid), "{}", closed.text);
}
