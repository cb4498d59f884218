//! Measures the server's render time of the schedule grid of a 40-staff, 6-week period and
//! of one cell edit with its findings, through the router without a socket (the request
//! and response bodies stay in memory). Run:
//!
//!     cargo run --release -p turnus-web --example grid_bench
//!
//! The period is the sample särskilt boende bundle (25 staff) with 15 more employees copied
//! from the first 15, and a schedule that gives everyone a rotating pattern of D, K and
//! days off, so the grid has findings to show.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use turnus_core::Assignment;
use turnus_server::ServerConfig;
use turnus_server::routes::AppState;
use turnus_store::{Actor, Change, NewUnit, NewUser, NewVersion, Store};

const RUNS: usize = 30;

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    let p95 = times[(times.len() * 95).div_ceil(100) - 1];
    println!(
        "{name}: median {:.1} ms, p95 {:.1} ms, max {:.1} ms over {} runs",
        ms(median),
        ms(p95),
        ms(times[times.len() - 1]),
        times.len()
    );
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
    let store = Store::open(&url).await.expect("store");
    let change = Change::by(Actor::System("grid-bench".into()));
    let org = store.create_org("Bench", &change).await.expect("org");
    let unit = store
        .create_unit(
            org.id,
            &NewUnit {
                name: "Bench".into(),
                time_zone: "Europe/Stockholm".into(),
                preset: turnus_core::Preset::Ab,
            },
            &change,
        )
        .await
        .expect("unit");

    let bundle = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sarskilt-boende");
    let (mut problem, _) = turnus_io::read_bundle(&bundle).expect("sample bundle");
    let copies: Vec<_> = problem.employees.iter().take(15).cloned().collect();
    for (i, mut employee) in copies.into_iter().enumerate() {
        employee.id = format!("9{i:03}");
        employee.name = format!("{} ({})", employee.name, i + 2);
        problem.employees.push(employee);
    }
    assert_eq!(problem.employees.len(), 40);
    let period = store.import_problem(unit.id, &problem, &change).await.expect("import");
    // Assignments change only in proposal or review.
    let deadline = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(1);
    for (to, when) in [
        (turnus_store::PeriodState::WishesOpen, Some(deadline)),
        (turnus_store::PeriodState::WishesClosed, None),
        (turnus_store::PeriodState::Proposal, None),
    ] {
        store.transition_period(unit.id, period.id, to, when, &change).await.expect("transition");
    }

    let pattern = ["D", "D", "K", "K", "", "", "D"];
    let mut assignments = Vec::new();
    for (e, employee) in problem.employees.iter().enumerate() {
        for d in 0..42i64 {
            let shift = pattern[(e + usize::try_from(d).expect("day")) % pattern.len()];
            if shift.is_empty() {
                continue;
            }
            let date = period.start.checked_add(jiff::Span::new().days(d)).expect("date");
            assignments.push(Assignment { employee: employee.id.clone(), date, shift: shift.into() });
        }
    }
    let schedule = turnus_core::Schedule { assignments: assignments.clone() };
    let evaluation = turnus_core::evaluate(&problem, &schedule).expect("evaluate");
    let findings = serde_json::to_value(&evaluation.findings).expect("findings");
    let version = store
        .save_version(
            unit.id,
            period.id,
            &NewVersion { assignments, score: evaluation.score, findings, note: None },
            &change,
        )
        .await
        .expect("version");
    let hash = turnus_server::hash_password("bench-lösenord").expect("hash");
    store
        .create_user(&NewUser { username: "bench".into(), password_hash: hash, is_admin: true }, &change)
        .await
        .expect("user");

    let config = ServerConfig::new("127.0.0.1:8080".parse().expect("address"));
    let app = turnus_web::app(AppState::new(store, config));
    let login = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("username=bench&password=bench-l%C3%B6senord"))
        .expect("request");
    let response = app.clone().oneshot(login).await.expect("login");
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("cookie")
        .split(';')
        .next()
        .expect("pair")
        .to_string();

    let grid_path = format!("/units/{}/periods/{}?version={}", unit.id.0, period.id.0, version.id.0);
    let mut grid_times = Vec::new();
    let mut size = 0;
    for _ in 0..RUNS {
        let request =
            Request::get(&grid_path).header(header::COOKIE, &cookie).body(Body::empty()).expect("request");
        let started = Instant::now();
        let response = app.clone().oneshot(request).await.expect("grid");
        assert_eq!(response.status(), StatusCode::OK);
        let body = response.into_body().collect().await.expect("body").to_bytes();
        grid_times.push(started.elapsed());
        size = body.len();
    }

    let cell_path = format!("/units/{}/versions/{}/cell", unit.id.0, version.id.0);
    let mut cell_times = Vec::new();
    for run in 0..RUNS {
        let shift = if run % 2 == 0 { "K" } else { "D" };
        let body = format!("employee=1001&date=2027-03-17&shift={shift}&row_version=&reason=");
        let request = Request::post(&cell_path)
            .header(header::COOKIE, &cookie)
            .header(header::ORIGIN, "http://127.0.0.1:8080")
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        let started = Instant::now();
        let response = app.clone().oneshot(request).await.expect("cell");
        let status = response.status();
        let body = response.into_body().collect().await.expect("body").to_bytes();
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        cell_times.push(started.elapsed());
        assert!(String::from_utf8_lossy(&body).contains("change-findings"));
    }

    println!("grid of 40 staff × 42 days: {size} bytes of HTML, {} findings", evaluation.findings.len());
    summary("GET grid page", grid_times);
    summary("POST cell edit (save, evaluate, re-render the grid with the change's findings)", cell_times);
}
