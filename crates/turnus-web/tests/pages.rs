//! Pages through the router without a socket: login and logout with the API's sessions,
//! the Origin check on forms, the language from the cookie and from `Accept-Language`,
//! access by role, and a 4xx page for bad input.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use turnus_server::ServerConfig;
use turnus_server::routes::AppState;
use turnus_store::{Actor, Change, Role, Store};

mod common;

struct Site {
    app: Router,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn site() -> Site {
    let sample = common::sample_unit("pages-test").await;
    let users =
        [("chef", false, Some(Role::Manager), None), ("anna", false, Some(Role::Staff), Some("1001"))];
    sample.add_users(&users, |_| "lösenord-123".into()).await;
    let config = ServerConfig::new("127.0.0.1:8080".parse().expect("address"));
    let app = turnus_web::app(AppState::new(sample.store.clone(), config));
    Site { app, store: sample.store, _dir: sample.dir }
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut builder = Request::get(path).header(header::HOST, "127.0.0.1:8080");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    builder.body(Body::empty()).expect("request")
}

fn post_form(path: &str, cookie: Option<&str>, origin: Option<&str>, body: &str) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        builder = builder.header(header::COOKIE, cookie);
    }
    if let Some(origin) = origin {
        builder = builder.header(header::ORIGIN, origin);
    }
    builder.body(Body::from(body.to_string())).expect("request")
}

async fn log_in(app: &Router, user: &str) -> String {
    let body = format!("username={user}&password=l%C3%B6senord-123&next=%2F");
    let (status, headers, _) =
        send(app, post_form("/login", None, Some("http://127.0.0.1:8080"), &body)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers.get(header::SET_COOKIE).expect("session cookie").to_str().expect("text");
    cookie.split(';').next().expect("name=value").to_string()
}

#[tokio::test]
async fn signed_out_goes_to_login() {
    let site = site().await;
    let (status, headers, _) = send(&site.app, get("/units/1", None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).expect("location"), "/login?next=/units/1");
}

#[tokio::test]
async fn login_page_in_both_languages() {
    let site = site().await;
    let (status, _, body) = send(&site.app, get("/login", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<html lang=\"sv\">"));
    assert!(body.contains("Användarnamn"));

    let english =
        Request::get("/login").header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9").body(Body::empty()).unwrap();
    let (_, _, body) = send(&site.app, english).await;
    assert!(body.contains("<html lang=\"en\">"));
    assert!(body.contains("User name"));

    let cookie = get("/login", Some("turnus_lang=en"));
    let (_, _, body) = send(&site.app, cookie).await;
    assert!(body.contains("User name"), "the cookie chooses English");
}

#[tokio::test]
async fn wrong_password_shows_message() {
    let site = site().await;
    let request = post_form("/login", None, None, "username=chef&password=fel&next=%2F");
    let (status, headers, body) = send(&site.app, request).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(headers.get(header::SET_COOKIE).is_none());
    assert!(body.contains("Fel användarnamn eller lösenord"), "{body}");
}

#[tokio::test]
async fn start_page_after_login() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let (status, _, body) = send(&site.app, get("/", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Att göra"), "{body}");
    assert!(body.contains("Linden"), "{body}");
}

#[tokio::test]
async fn logout_needs_same_origin() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let (status, _, body) =
        send(&site.app, post_form("/logout", Some(&cookie), Some("http://evil.example"), "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("Origin"), "{body}");
    let (status, headers, _) =
        send(&site.app, post_form("/logout", Some(&cookie), Some("http://127.0.0.1:8080"), "")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(headers.get(header::SET_COOKIE).expect("cleared").to_str().unwrap().contains("Max-Age=0"));
    let (status, _, _) = send(&site.app, get("/", Some(&cookie))).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the session is gone");
}

#[tokio::test]
async fn staff_cannot_read_audit() {
    let site = site().await;
    let cookie = log_in(&site.app, "anna").await;
    let (status, _, body) = send(&site.app, get("/units/1/audit", Some(&cookie))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("Din roll på enheten tillåter inte detta"), "{body}");
    let (status, _, _) = send(&site.app, get("/units/2", Some(&cookie))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another unit is hidden");
    let (status, headers, _) = send(&site.app, get("/units/1", Some(&cookie))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).expect("location"), "/my");
}

#[tokio::test]
async fn bad_input_is_a_client_error() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let (status, _, body) = send(&site.app, get("/lang?to=de&back=/", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("Språket de finns inte"), "{body}");
    let (status, _, _) = send(&site.app, get("/units/1/audit?from=igår", Some(&cookie))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _, _) = send(&site.app, get("/units/1/periods/99", Some(&cookie))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, headers, _) = send(&site.app, get("/lang?to=en&back=//evil.example", None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).expect("location"), "/", "no redirect off the site");
}

#[tokio::test]
async fn static_files_served() {
    let site = site().await;
    let (status, headers, body) = send(&site.app, get("/static/htmx.min.js", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers.get(header::CONTENT_TYPE).unwrap().to_str().unwrap().starts_with("text/javascript"));
    assert!(body.len() > 40_000);
    let (status, _, _) = send(&site.app, get("/static/nothing.js", None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Moves the sample period from draft through the wishes round to proposal, where versions
/// can be saved.
async fn move_to_proposal(store: &Store, change: &Change) {
    let (unit, period) = (turnus_store::UnitId(1), turnus_store::PeriodId(1));
    let deadline = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    for (to, when) in [
        (turnus_store::PeriodState::WishesOpen, Some(deadline)),
        (turnus_store::PeriodState::WishesClosed, None),
        (turnus_store::PeriodState::Proposal, None),
    ] {
        store.transition_period(unit, period, to, when, change).await.expect("transition");
    }
}

/// Saves a version without assignments or findings in the sample period and returns its id.
async fn save_empty_version(store: &Store, change: &Change) -> i64 {
    let (unit, period) = (turnus_store::UnitId(1), turnus_store::PeriodId(1));
    let empty = turnus_store::NewVersion {
        assignments: Vec::new(),
        score: turnus_core::Score::default(),
        findings: serde_json::json!([]),
        note: None,
    };
    store.save_version(unit, period, &empty, change).await.expect("version").id.0
}

#[tokio::test]
async fn late_publication_needs_reason() {
    let site = site().await;
    let change = Change::by(Actor::System("pages-test".into()));
    let (unit, period) = (turnus_store::UnitId(1), turnus_store::PeriodId(1));
    // The sample period starts 2027-03-15, so a notice of 365 days makes any publication late.
    site.store.set_publish_notice_days(unit, 365, &change).await.expect("notice");
    move_to_proposal(&site.store, &change).await;
    let version = save_empty_version(&site.store, &change).await;
    site.store
        .transition_period(unit, period, turnus_store::PeriodState::Review, None, &change)
        .await
        .expect("review");
    let cookie = log_in(&site.app, "chef").await;

    let path = format!("/units/1/periods/1/publish?version={version}");
    let (status, _, body) = send(&site.app, get(&path, Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Publiceringen är sen och kräver ett skäl"), "{body}");
    assert!(body.contains("required aria-required=\"true\""), "the reason field is required");

    let origin = Some("http://127.0.0.1:8080");
    let form = format!("version={version}&reason=");
    let (status, _, body) =
        send(&site.app, post_form("/units/1/periods/1/publish", Some(&cookie), origin, &form)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = publish_error_in(&body);
    assert!(message.starts_with("Schemat publiceras "), "{message}");
    assert!(
        message.ends_with(" dagar före periodens start, kortare än varseltiden på 365 dagar; ange ett skäl"),
        "{message}"
    );

    let english = format!("{cookie}; turnus_lang=en");
    let (status, _, body) =
        send(&site.app, post_form("/units/1/periods/1/publish", Some(&english), origin, &form)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = publish_error_in(&body);
    assert!(message.starts_with("The schedule is published "), "{message}");
    assert!(
        message.ends_with(
            " days before the period starts, less than the notice period of 365 days; give a reason"
        ),
        "{message}"
    );

    let form = format!("version={version}&reason=Sjukskrivning+i+schemagruppen");
    let (status, headers, _) =
        send(&site.app, post_form("/units/1/periods/1/publish", Some(&cookie), origin, &form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers.get(header::LOCATION).expect("location"),
        &format!("/units/1/periods/1?version={version}")
    );
}

#[tokio::test]
async fn publish_dialog_asks_reason_for_hard_findings() {
    let site = site().await;
    let change = Change::by(Actor::System("pages-test".into()));
    let (unit, period) = (turnus_store::UnitId(1), turnus_store::PeriodId(1));
    move_to_proposal(&site.store, &change).await;
    // 1001 has no `natt` skill, so the night shift breaks H2.
    let schedule = turnus_core::Schedule {
        assignments: vec![turnus_core::Assignment {
            employee: "1001".into(),
            date: jiff::civil::date(2027, 3, 15),
            shift: "N".into(),
        }],
    };
    let problem = site.store.load_problem(unit, period).await.expect("problem");
    let evaluation = turnus_core::evaluate(&problem, &schedule).expect("evaluation");
    let hard = evaluation.findings.iter().filter(|f| f.hard).count();
    assert!(hard > 0, "the night shift breaks a hard rule");
    let illegal = turnus_store::NewVersion {
        assignments: schedule.assignments,
        score: evaluation.score,
        findings: serde_json::to_value(&evaluation.findings).expect("findings"),
        note: None,
    };
    let version = site.store.save_version(unit, period, &illegal, &change).await.expect("version").id.0;
    site.store
        .transition_period(unit, period, turnus_store::PeriodState::Review, None, &change)
        .await
        .expect("review");
    let cookie = log_in(&site.app, "chef").await;

    let path = format!("/units/1/periods/1/publish?version={version}");
    let (status, _, body) = send(&site.app, get(&path, Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("Schemat bryter mot hårda regler ({hard} regelbrott")), "{body}");
    assert!(
        body.contains("<textarea id=\"override_reason\" name=\"override_reason\" rows=\"3\" required"),
        "{body}"
    );

    let origin = Some("http://127.0.0.1:8080");
    let form = format!("version={version}&reason=&override_reason=");
    let (status, _, body) =
        send(&site.app, post_form("/units/1/periods/1/publish", Some(&cookie), origin, &form)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        publish_error_in(&body),
        "Schemat bryter mot hårda regler. Skriv skälet att publicera ändå, eller rätta passen först."
    );
    let period_now = site.store.get_period(unit, period).await.expect("period");
    assert_eq!(period_now.state, turnus_store::PeriodState::Review);

    let form = format!("version={version}&reason=&override_reason=Inhyrd+nattpersonal+bokad");
    let (status, _, _) =
        send(&site.app, post_form("/units/1/periods/1/publish", Some(&cookie), origin, &form)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let period_now = site.store.get_period(unit, period).await.expect("period");
    assert_eq!(period_now.state, turnus_store::PeriodState::Published);
}

/// Returns the text of the publish dialog's error message.
fn publish_error_in(body: &str) -> String {
    let start = body.split("id=\"publish-error\">").nth(1).expect("an error message");
    start.split("</p>").next().expect("a closed paragraph").to_string()
}

#[tokio::test]
async fn publish_from_proposal_in_each_language() {
    let site = site().await;
    let change = Change::by(Actor::System("pages-test".into()));
    move_to_proposal(&site.store, &change).await;
    let version = save_empty_version(&site.store, &change).await;
    let session = log_in(&site.app, "chef").await;
    let origin = Some("http://127.0.0.1:8080");
    let form = format!("version={version}&reason=Test");

    let cases = [
        ("sv", "Bara en period under granskning kan publiceras; den här är i läget förslag"),
        ("en", "Only a period under review can be published; this one is in proposal"),
    ];
    for (lang, expected) in cases {
        let cookie = format!("{session}; turnus_lang={lang}");
        let (status, _, body) =
            send(&site.app, post_form("/units/1/periods/1/publish", Some(&cookie), origin, &form)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{lang}: {body}");
        assert!(body.contains(&format!("<html lang=\"{lang}\">")), "{lang}: {body}");
        assert_eq!(publish_error_in(&body), expected, "{lang}");
    }
}

/// Returns the feed address in the copy field of a staff page.
fn feed_url_in(body: &str) -> String {
    let field = body.split("class=\"feed-url\"").nth(1).expect("a feed address field");
    let value = field.split("value=\"").nth(1).expect("a value").split('"').next().expect("quoted");
    value.to_string()
}

#[tokio::test]
async fn staff_page_manages_calendar_feed() {
    let site = site().await;
    let cookie = log_in(&site.app, "anna").await;
    let origin = Some("http://127.0.0.1:8080");

    let (status, _, body) = send(&site.app, get("/my", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Du har ingen prenumerationsadress."), "{body}");
    assert!(!body.contains("kommer i en senare version"), "the old note is gone");
    assert!(!body.contains("class=\"feed-url\""), "no address before one is made");

    // The form needs the page's own origin, like every form.
    let (status, _, _) =
        send(&site.app, post_form("/my/calendar/1", Some(&cookie), Some("http://evil.example"), "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // Creating shows the address once, in a labelled read-only field.
    let (status, _, body) = send(&site.app, post_form("/my/calendar/1", Some(&cookie), origin, "")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let url = feed_url_in(&body);
    assert!(url.starts_with("http://127.0.0.1:8080/api/v1/calendar/"), "{url}");
    assert!(url.ends_with(".ics"), "{url}");
    assert!(body.contains("<label for=\"feed-url-1\">Din prenumerationsadress</label>"), "{body}");
    assert!(body.contains("Adressen visas bara nu."), "{body}");
    let feed_path = url.trim_start_matches("http://127.0.0.1:8080");
    let (status, headers, calendar) = send(&site.app, get(feed_path, None)).await;
    assert_eq!(status, StatusCode::OK, "{calendar}");
    assert_eq!(headers.get(header::CONTENT_TYPE).unwrap(), "text/calendar; charset=utf-8");

    // Later the page tells that an address exists but never shows it again.
    let (_, _, body) = send(&site.app, get("/my", Some(&cookie))).await;
    assert!(body.contains("Du har en prenumerationsadress sedan"), "{body}");
    assert!(!body.contains(&url), "the secret is shown only once");
    assert!(!body.contains("Senast hämtad av en kalender: aldrig"), "the feed was read once: {body}");

    // A new address replaces the old one; removing it ends the new one too.
    let (status, _, body) = send(&site.app, post_form("/my/calendar/1", Some(&cookie), origin, "")).await;
    assert_eq!(status, StatusCode::OK);
    let rotated = feed_url_in(&body);
    assert_ne!(rotated, url);
    assert_eq!(send(&site.app, get(feed_path, None)).await.0, StatusCode::NOT_FOUND);
    let rotated_path = rotated.trim_start_matches("http://127.0.0.1:8080");
    assert_eq!(send(&site.app, get(rotated_path, None)).await.0, StatusCode::OK);
    let (status, headers, _) =
        send(&site.app, post_form("/my/calendar/1/revoke", Some(&cookie), origin, "")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).expect("location"), "/my");
    assert_eq!(send(&site.app, get(rotated_path, None)).await.0, StatusCode::NOT_FOUND);
    let (_, _, body) = send(&site.app, get("/my", Some(&cookie))).await;
    assert!(body.contains("Du har ingen prenumerationsadress."), "{body}");

    // English texts, and no feed for an account without an employee.
    let english = format!("{cookie}; turnus_lang=en");
    let (_, _, body) = send(&site.app, get("/my", Some(&english))).await;
    assert!(body.contains("Subscribe to the schedule in your calendar"), "{body}");
    let chef = log_in(&site.app, "chef").await;
    let (status, _, _) = send(&site.app, post_form("/my/calendar/1", Some(&chef), origin, "")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn compare_explains_changed_cells() {
    let site = site().await;
    let change = Change::by(Actor::System("pages-test".into()));
    let (unit, period) = (turnus_store::UnitId(1), turnus_store::PeriodId(1));
    move_to_proposal(&site.store, &change).await;
    let problem = site.store.load_problem(unit, period).await.expect("problem");
    let mut versions = Vec::new();
    // 1001 works D on Monday 2027-03-15 in the first version and is free in the second.
    for rows in [vec![("1001", "D"), ("1002", "K")], vec![("1002", "K")]] {
        let schedule = turnus_core::Schedule {
            assignments: rows
                .iter()
                .map(|(employee, shift)| turnus_core::Assignment {
                    employee: (*employee).into(),
                    date: jiff::civil::date(2027, 3, 15),
                    shift: (*shift).into(),
                })
                .collect(),
        };
        let evaluation = turnus_core::evaluate(&problem, &schedule).expect("evaluation");
        let version = turnus_store::NewVersion {
            assignments: schedule.assignments,
            score: evaluation.score,
            findings: serde_json::to_value(&evaluation.findings).expect("findings"),
            note: None,
        };
        versions.push(site.store.save_version(unit, period, &version, &change).await.expect("version").id.0);
    }
    let cookie = log_in(&site.app, "chef").await;

    let path = format!("/units/1/periods/1/compare?a={}&b={}", versions[0], versions[1]);
    let (status, _, body) = send(&site.app, get(&path, Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("1 ändrade celler"), "{body}");
    assert!(body.contains("2027-03-15: D → ledig"), "{body}");
    assert!(body.contains("Bemanning D: 1 → 0 (minst 5)"), "{body}");
    assert!(body.contains("<ul class=\"reasons\">"), "{body}");

    let english = format!("{cookie}; turnus_lang=en");
    let (_, _, body) = send(&site.app, get(&path, Some(&english))).await;
    assert!(body.contains("Cover D: 1 → 0 (minimum 5)"), "{body}");
}

/// The row version shown in a form's hidden field.
fn row_version(body: &str) -> String {
    let at = body.find("name=\"row_version\" value=\"").expect("a row version field") + 26;
    body[at..].split('"').next().expect("value").to_string()
}

#[tokio::test]
async fn unit_data_pages_edit_staff_and_demand() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let origin = Some("http://127.0.0.1:8080");

    let (status, _, unit) = send(&site.app, get("/units/1", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    for link in ["/units/1/staff", "/units/1/shift-types", "/units/1/demand", "/units/1/rules"] {
        assert!(unit.contains(&format!("href=\"{link}\"")), "unit page links {link}");
    }

    let (status, _, list) = send(&site.app, get("/units/1/staff", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Erik Nyström"));
    let (status, _, form) = send(&site.app, get("/units/1/staff/1004", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("<label for=\"f-employment_percent\">Sysselsättningsgrad (procent)</label>"));
    let version = row_version(&form);

    // An invalid employment degree comes back with its message next to the field.
    let bad = format!(
        "row_version={version}&name=Erik+Nystr%C3%B6m&employment_percent=120&full_time_hours=&skills=usk\
         &grant_skill_0=&grant_from_0=&grant_to_0="
    );
    let (status, _, body) =
        send(&site.app, post_form("/units/1/staff/1004", Some(&cookie), origin, &bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("aria-invalid=\"true\" aria-describedby=\"h-employment_percent e-employment_percent\"")
    );
    assert!(body.contains(
        "<p class=\"error-text\" id=\"e-employment_percent\">sysselsättningsgraden ska vara 1–100 procent, t.ex. 75,5</p>"
    ));
    assert!(body.contains("value=\"120\""), "the form keeps what was typed");
    let stored = site.store.get_employee(turnus_store::UnitId(1), "1004").await.expect("employee");
    assert_eq!(stored.employee.employment_basis_points, 7500);

    let good = bad.replace("employment_percent=120", "employment_percent=80%2C5");
    let (status, headers, _) =
        send(&site.app, post_form("/units/1/staff/1004", Some(&cookie), origin, &good)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).expect("location"), "/units/1/staff?saved=1");
    let (_, _, list) = send(&site.app, get("/units/1/staff?saved=1", Some(&cookie))).await;
    assert!(list.contains("<td>80,5</td>"), "the list shows the new degree");
    let stored = site.store.get_employee(turnus_store::UnitId(1), "1004").await.expect("employee");
    assert_eq!(stored.employee.employment_basis_points, 8050);

    // A demand row: an unknown day is shown at the day field, a valid row appears in the list.
    let row = "day=2027-04-31&shift=K&skill=usk&min=2&ideal=3";
    let (status, _, body) =
        send(&site.app, post_form("/units/1/new-demand", Some(&cookie), origin, row)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"e-day\""), "{body}");
    let row = row.replace("2027-04-31", "2027-04-30");
    let (status, _, _) = send(&site.app, post_form("/units/1/new-demand", Some(&cookie), origin, &row)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, list) = send(&site.app, get("/units/1/demand", Some(&cookie))).await;
    assert!(list.contains("<th scope=\"row\">2027-04-30</th>"), "the list shows the new row");
}

#[tokio::test]
async fn unit_data_pages_for_planners_only() {
    let site = site().await;
    let cookie = log_in(&site.app, "anna").await;
    for path in
        ["/units/1/staff", "/units/1/staff/1001", "/units/1/shift-types", "/units/1/demand", "/units/1/rules"]
    {
        let (status, _, _) = send(&site.app, get(path, Some(&cookie))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let body = "row_version=1&name=Anna&employment_percent=100";
    let (status, _, _) =
        send(&site.app, post_form("/units/1/staff/1001", Some(&cookie), Some("http://127.0.0.1:8080"), body))
            .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn rules_page_saves_and_rejects() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let origin = Some("http://127.0.0.1:8080");
    let (status, _, form) = send(&site.app, get("/units/1/rules", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("id=\"f-daily_rest_hours\" name=\"daily_rest_hours\" value=\"11\""), "{form}");
    let version = row_version(&form);

    let bad = format!("row_version={version}&preset=ab&daily_rest_hours=elva&weekends.max=1&weekends.of=0");
    let (status, _, body) = send(&site.app, post_form("/units/1/rules", Some(&cookie), origin, &bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"e-daily_rest_hours\""));
    assert!(body.contains("id=\"e-weekends.max\""));

    let good = format!("row_version={version}&preset=ab&daily_rest_hours=9&night_work=off&weight_S4=25");
    let (status, headers, _) =
        send(&site.app, post_form("/units/1/rules", Some(&cookie), origin, &good)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{headers:?}");
    let rules = site.store.get_rules(turnus_store::UnitId(1)).await.expect("rules");
    assert_eq!(rules.params.daily_rest_minutes, 540);
    assert_eq!(rules.weights.wish, 25);
}

/// Deactivates the employee or shift type at `path` through its page's form, at `version`.
async fn deactivate(app: &Router, cookie: &str, path: &str, version: impl std::fmt::Display) {
    let origin = Some("http://127.0.0.1:8080");
    let body = format!("row_version={version}");
    let (status, _, page) =
        send(app, post_form(&format!("{path}/deactivate"), Some(cookie), origin, &body)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
}

#[tokio::test]
async fn deactivated_employee_reactivated() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let origin = Some("http://127.0.0.1:8080");
    let (_, _, form) = send(&site.app, get("/units/1/staff/1004", Some(&cookie))).await;
    assert!(form.contains("action=\"/units/1/staff/1004/deactivate\""), "{form}");
    deactivate(&site.app, &cookie, "/units/1/staff/1004", row_version(&form)).await;

    // A deactivated employee's form offers to reactivate instead of to deactivate.
    let (_, _, form) = send(&site.app, get("/units/1/staff/1004", Some(&cookie))).await;
    assert!(form.contains("action=\"/units/1/staff/1004/reactivate\""), "{form}");
    assert!(form.contains("aria-describedby=\"remove-help\">Återaktivera</button>"), "{form}");
    assert!(!form.contains("/units/1/staff/1004/deactivate"), "{form}");
    let version = row_version(&form);

    // Saving it is rejected with the way back, worded whole in Swedish.
    let edit = format!(
        "row_version={version}&name=Erik+Nystr%C3%B6m&employment_percent=75&full_time_hours=&skills=usk\
         &grant_skill_0=&grant_from_0=&grant_to_0="
    );
    let (status, _, body) =
        send(&site.app, post_form("/units/1/staff/1004", Some(&cookie), origin, &edit)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("<strong>Medarbetaren 1004 är inaktiverad; återaktivera medarbetaren först</strong>"),
        "{body}"
    );
    assert!(body.contains("action=\"/units/1/staff/1004/reactivate\""), "{body}");

    let body = format!("row_version={version}");
    let (status, headers, _) =
        send(&site.app, post_form("/units/1/staff/1004/reactivate", Some(&cookie), origin, &body)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).expect("location"), "/units/1/staff?saved=1");
    let stored = site.store.get_employee(turnus_store::UnitId(1), "1004").await.expect("employee");
    assert!(stored.active);
    let (_, _, form) = send(&site.app, get("/units/1/staff/1004", Some(&cookie))).await;
    assert!(form.contains("action=\"/units/1/staff/1004/deactivate\""), "{form}");
}

/// Adds the shift type M (Mellan, 10:00 to 18:30) through the new shift type form.
async fn add_shift_type_m(app: &Router, cookie: &str) {
    let shift = "code=M&name=Mellan&start=10%3A00&end=18%3A30&break_minutes=30&skill=";
    let origin = Some("http://127.0.0.1:8080");
    let (status, _, body) =
        send(app, post_form("/units/1/new-shift-type", Some(cookie), origin, shift)).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
}

#[tokio::test]
async fn deactivated_shift_type_reactivated() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let origin = Some("http://127.0.0.1:8080");
    // The sample's shift types all have demand rows, so a new one is deactivated.
    add_shift_type_m(&site.app, &cookie).await;
    let (_, _, form) = send(&site.app, get("/units/1/shift-types/M", Some(&cookie))).await;
    assert!(form.contains("action=\"/units/1/shift-types/M/deactivate\""), "{form}");
    assert!(form.contains("Du kan återaktivera passtypen senare på den här sidan."), "{form}");
    deactivate(&site.app, &cookie, "/units/1/shift-types/M", row_version(&form)).await;

    // A deactivated shift type's form offers to reactivate instead of to deactivate, and
    // offers no save that the API would reject: its fields are disabled.
    let (_, _, form) = send(&site.app, get("/units/1/shift-types/M", Some(&cookie))).await;
    assert!(form.contains("action=\"/units/1/shift-types/M/reactivate\""), "{form}");
    assert!(form.contains("aria-describedby=\"remove-help\">Återaktivera</button>"), "{form}");
    assert!(form.contains("Passtypen är inaktiverad och planeras inte i nya scheman."), "{form}");
    assert!(!form.contains("/units/1/shift-types/M/deactivate"), "{form}");
    assert!(!form.contains("id=\"data-save\""), "{form}");
    assert!(form.contains("<fieldset disabled aria-describedby=\"data-locked\">"), "{form}");
    assert!(form.contains("Passtypen är inaktiverad, så den kan inte ändras."), "{form}");
    let english = format!("{cookie}; turnus_lang=en");
    let (_, _, english_form) = send(&site.app, get("/units/1/shift-types/M", Some(&english))).await;
    assert!(english_form.contains("aria-describedby=\"remove-help\">Reactivate</button>"), "{english_form}");
    assert!(
        english_form.contains("This shift type is deactivated, so it cannot be changed."),
        "{english_form}"
    );
    let version = row_version(&form);

    // A form saved from an older tab is rejected with the way back, and the page still
    // offers to reactivate.
    let edit = format!("row_version={version}&name=Mellan&start=10%3A00&end=19%3A00&break_minutes=30&skill=");
    let (status, _, body) =
        send(&site.app, post_form("/units/1/shift-types/M", Some(&cookie), origin, &edit)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("<strong>Passtypen M är inaktiverad; återaktivera passtypen först</strong>"),
        "{body}"
    );
    assert!(body.contains("action=\"/units/1/shift-types/M/reactivate\""), "{body}");
    assert!(!body.contains("id=\"data-save\""), "{body}");

    // A staff member may not reactivate, and a stale form comes back with the conflict.
    let staff = log_in(&site.app, "anna").await;
    let body = format!("row_version={version}");
    let (status, _, _) =
        send(&site.app, post_form("/units/1/shift-types/M/reactivate", Some(&staff), origin, &body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let stale = "row_version=1";
    let (status, _, page) =
        send(&site.app, post_form("/units/1/shift-types/M/reactivate", Some(&cookie), origin, stale)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    assert!(page.contains("action=\"/units/1/shift-types/M/reactivate\""), "{page}");
    assert!(!site.store.get_shift_type(turnus_store::UnitId(1), "M").await.expect("shift type").active);

    let (status, headers, _) =
        send(&site.app, post_form("/units/1/shift-types/M/reactivate", Some(&cookie), origin, &body)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).expect("location"), "/units/1/shift-types?saved=1");
    let stored = site.store.get_shift_type(turnus_store::UnitId(1), "M").await.expect("shift type");
    assert!(stored.active);
    assert_eq!(stored.shift_type.end, jiff::civil::time(18, 30, 0, 0), "the rejected edit was not saved");
    let (_, _, form) = send(&site.app, get("/units/1/shift-types/M", Some(&cookie))).await;
    assert!(form.contains("action=\"/units/1/shift-types/M/deactivate\""), "{form}");
}

#[tokio::test]
async fn shift_list_reactivates_row() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let origin = Some("http://127.0.0.1:8080");
    add_shift_type_m(&site.app, &cookie).await;

    // Active rows have no reactivate button in the list.
    let (_, _, list) = send(&site.app, get("/units/1/shift-types", Some(&cookie))).await;
    assert!(!list.contains("/reactivate"), "{list}");

    let stored = site.store.get_shift_type(turnus_store::UnitId(1), "M").await.expect("shift type");
    deactivate(&site.app, &cookie, "/units/1/shift-types/M", stored.row_version).await;

    // The deactivated row gets a form that posts its row version, with a name per row.
    let (_, _, list) = send(&site.app, get("/units/1/shift-types", Some(&cookie))).await;
    assert!(list.contains("action=\"/units/1/shift-types/M/reactivate\" class=\"row-action\""), "{list}");
    assert!(list.contains("<input type=\"hidden\" name=\"row_version\" value=\"2\">"), "{list}");
    assert!(list.contains("aria-label=\"Återaktivera M\">Återaktivera</button>"), "{list}");
    let english = format!("{cookie}; turnus_lang=en");
    let (_, _, english_list) = send(&site.app, get("/units/1/shift-types", Some(&english))).await;
    assert!(english_list.contains("aria-label=\"Reactivate M\">Reactivate</button>"), "{english_list}");

    // The post is checked like every form post: no Origin of the site, no change.
    let body = "row_version=2";
    let (status, _, _) =
        send(&site.app, post_form("/units/1/shift-types/M/reactivate", Some(&cookie), None, body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, headers, _) =
        send(&site.app, post_form("/units/1/shift-types/M/reactivate", Some(&cookie), origin, body)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).expect("location"), "/units/1/shift-types?saved=1");
    assert!(site.store.get_shift_type(turnus_store::UnitId(1), "M").await.expect("shift type").active);
    let (_, _, list) = send(&site.app, get("/units/1/shift-types?saved=1", Some(&cookie))).await;
    assert!(!list.contains("/reactivate"), "{list}");

    // Another last segment names no page.
    let (status, _, page) =
        send(&site.app, post_form("/units/1/shift-types/M/remove", Some(&cookie), origin, "row_version=3"))
            .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("Åtgärden remove finns inte"), "{page}");
}

#[tokio::test]
async fn staff_list_reactivates_row() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let origin = Some("http://127.0.0.1:8080");
    let stored = site.store.get_employee(turnus_store::UnitId(1), "1004").await.expect("employee");
    deactivate(&site.app, &cookie, "/units/1/staff/1004", stored.row_version).await;
    let (_, _, list) = send(&site.app, get("/units/1/staff", Some(&cookie))).await;
    assert!(list.contains("action=\"/units/1/staff/1004/reactivate\" class=\"row-action\""), "{list}");

    // The deactivated employee's form shows the details without a save button.
    let (_, _, form) = send(&site.app, get("/units/1/staff/1004", Some(&cookie))).await;
    assert!(!form.contains("id=\"data-save\""), "{form}");
    assert!(form.contains("Personen är inaktiverad, så uppgifterna kan inte ändras."), "{form}");

    let body = format!("row_version={}", stored.row_version + 1);
    let (status, _, _) =
        send(&site.app, post_form("/units/1/staff/1004/reactivate", Some(&cookie), origin, &body)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(site.store.get_employee(turnus_store::UnitId(1), "1004").await.expect("employee").active);
}

#[tokio::test]
async fn form_shows_all_errors_at_once() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let origin = Some("http://127.0.0.1:8080");

    // An unknown day and an ideal below the minimum, in one response.
    let row = "day=varannan&shift=K&skill=&min=3&ideal=2";
    let (status, _, body) =
        send(&site.app, post_form("/units/1/new-demand", Some(&cookie), origin, row)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"e-day\""), "{body}");
    assert!(
        body.contains(
            "<p class=\"error-text\" id=\"e-ideal\">ideal 2 är lägre än min 3; skriv ett ideal på minst 3 eller lämna det tomt</p>"
        ),
        "{body}"
    );

    // A missing name and a break as long as the shift, in one response.
    let shift = "code=M&name=&start=10%3A00&end=18%3A30&break_minutes=510&skill=";
    let (status, _, body) =
        send(&site.app, post_form("/units/1/new-shift-type", Some(&cookie), origin, shift)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"e-name\""), "{body}");
    assert!(body.contains("id=\"e-break_minutes\">pass M: rasten på 510 min"), "{body}");
}

#[tokio::test]
async fn unit_name_edited() {
    let site = site().await;
    let cookie = log_in(&site.app, "chef").await;
    let origin = Some("http://127.0.0.1:8080");
    let (_, _, unit) = send(&site.app, get("/units/1", Some(&cookie))).await;
    assert!(unit.contains("href=\"/units/1/settings\""), "the unit page links the form");
    let (status, _, form) = send(&site.app, get("/units/1/settings", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    // The import took the name from the sample bundle's unit.toml.
    let stored = site.store.get_unit(turnus_store::UnitId(1)).await.expect("unit");
    assert!(form.contains(&format!("name=\"name\" value=\"{}\"", stored.name)), "{form}");
    let version = row_version(&form);

    let (status, _, body) = send(
        &site.app,
        post_form("/units/1/settings", Some(&cookie), origin, &format!("row_version={version}&name=+")),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("<strong>Enhetens namn saknas; fyll i det</strong>"), "{body}");

    let renamed = format!("row_version={version}&name=Linden+avdelning+2");
    let (status, headers, _) =
        send(&site.app, post_form("/units/1/settings", Some(&cookie), origin, &renamed)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers.get(header::LOCATION).expect("location"), "/units/1/settings?saved=1");
    let stored = site.store.get_unit(turnus_store::UnitId(1)).await.expect("unit");
    assert_eq!(stored.name, "Linden avdelning 2");

    // Staff see the unit but cannot rename it.
    let staff = log_in(&site.app, "anna").await;
    let (status, _, _) =
        send(&site.app, post_form("/units/1/settings", Some(&staff), origin, &renamed)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
