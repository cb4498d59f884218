//! End-to-end test in a real headless Chromium through chromedriver: the test starts the
//! server (API, pages and one solve worker) on 127.0.0.1 with a fresh SQLite file, and
//! drives the browser as each role. A staff member enters wishes on a phone-sized window,
//! a scheduler solves and edits a cell and sees its finding, a chef publishes, the staff
//! member subscribes to the calendar feed and removes the address again, an admin
//! reads the audit log and the follow-up charts, and pages are checked in both languages.
//!
//! Without chromium and chromedriver the test prints why and passes, unless
//! `TURNUS_REQUIRE_BROWSER` is set, as `.ci/run` does after installing them. With
//! `TURNUS_SCREENSHOTS=DIR` it also saves the screenshots of the README.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use turnus_server::routes::AppState;
use turnus_server::{ServerConfig, WorkerOptions};
use turnus_store::{PeriodState, Role, Store};

const PHONE: (u32, u32) = (390, 844);
const DESKTOP: (u32, u32) = (1600, 1000);

/// Finds the program: the path in the environment variable, else the first one that exists
/// in the usual folders.
fn find_program(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Ok(path) = std::env::var(env) {
        return Some(PathBuf::from(path)).filter(|p| p.exists());
    }
    for name in names {
        for dir in ["/usr/bin", "/usr/local/bin", "/usr/lib/chromium"] {
            let path = Path::new(dir).join(name);
            if path.exists() {
                return Some(path);
            }
        }
    }
    None
}

/// Sends a GET to an `http://127.0.0.1:PORT/…` address and returns the whole response.
fn http_get(url: &str) -> String {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").expect("a plain HTTP address");
    let (host, path) = rest.split_once('/').expect("a path");
    let mut stream = std::net::TcpStream::connect(host).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let request = format!("GET /{path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

/// Reports a missing browser program: the test fails when `TURNUS_REQUIRE_BROWSER` is set,
/// and otherwise prints why it is skipped.
fn missing_program(test: &str, what: &str) {
    assert!(
        std::env::var_os("TURNUS_REQUIRE_BROWSER").is_none(),
        "{test}: {what}, and TURNUS_REQUIRE_BROWSER is set"
    );
    println!("skipping {test}: {what}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

/// Kills chromedriver when the test ends, passed or not.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

mod common;

struct Site {
    base: String,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn start_site() -> Site {
    let sample = common::sample_unit("browser-test").await;
    let users = [
        ("admin", true, None, None),
        ("chef", false, Some(Role::Manager), None),
        ("planerare", false, Some(Role::Scheduler), None),
        ("anna", false, Some(Role::Staff), Some("1001")),
    ];
    sample.add_users(&users, |name| format!("{name}-lösenord")).await;
    let store = sample.store.clone();
    let deadline = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 7);
    store
        .transition_period(
            sample.unit,
            sample.period,
            PeriodState::WishesOpen,
            Some(deadline),
            &sample.change,
        )
        .await
        .expect("open wishes");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let mut config = ServerConfig::new(addr);
    config.workers = 1;
    let app = turnus_web::app(AppState::new(store.clone(), config));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await;
    });
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    turnus_server::run_workers(store.clone(), 1, WorkerOptions::default(), stop_rx);
    // The workers stop with the test's runtime; the sender must outlive the test.
    std::mem::forget(stop_tx);
    Site { base: format!("http://{addr}"), store, _dir: sample.dir }
}

async fn start_browser(chromium: &Path, chromedriver: &Path, profile: &Path) -> (Driver, Client) {
    let port = free_port();
    let child = Command::new(chromedriver)
        .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 20 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium.display().to_string(),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--lang=sv-SE",
                format!("--user-data-dir={}", profile.display()),
                format!("--window-size={},{}", DESKTOP.0, DESKTOP.1),
            ],
            "prefs": { "intl.accept_languages": "sv-SE,sv" },
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client =
        ClientBuilder::new(connector).capabilities(caps).connect(&url).await.expect("browser session");
    (driver, client)
}

/// The site and a browser on it, with the chromedriver process and the browser profile
/// folder, which must live until the test ends.
struct Session {
    site: Site,
    client: Client,
    _driver: Driver,
    _profile: tempfile::TempDir,
}

/// Starts the site and a browser on it, or reports the missing program and returns `None`
/// when chromium or chromedriver is not installed.
async fn start_session(test: &str) -> Option<Session> {
    let Some(chromium) = find_program("TURNUS_CHROMIUM", &["chromium", "chromium-browser", "google-chrome"])
    else {
        missing_program(test, "no chromium found (set TURNUS_CHROMIUM or install Debian's chromium)");
        return None;
    };
    let Some(chromedriver) = find_program("TURNUS_CHROMEDRIVER", &["chromedriver"]) else {
        missing_program(test, "no chromedriver found (set TURNUS_CHROMEDRIVER or install chromium-driver)");
        return None;
    };
    let site = start_site().await;
    let profile = tempfile::tempdir().expect("profile dir");
    let (driver, client) = start_browser(&chromium, &chromedriver, profile.path()).await;
    Some(Session { site, client, _driver: driver, _profile: profile })
}

async fn wait_css(client: &Client, css: &str, timeout: Duration) -> fantoccini::elements::Element {
    let deadline = Instant::now() + timeout;
    loop {
        if let Ok(found) = client.find(Locator::Css(css)).await {
            return found;
        }
        assert!(
            Instant::now() < deadline,
            "no element {css:?} within {timeout:?} on {}",
            url_of(client).await
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn url_of(client: &Client) -> String {
    client.current_url().await.map(|u| u.to_string()).unwrap_or_default()
}

async fn wait_url(client: &Client, part: &str, timeout: Duration) -> String {
    let deadline = Instant::now() + timeout;
    loop {
        let url = url_of(client).await;
        if url.contains(part) {
            return url;
        }
        assert!(
            Instant::now() < deadline,
            "the URL {url} did not come to contain {part:?} within {timeout:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Reads the element's text, and retries while a navigation replaces the page under it.
async fn text(client: &Client, css: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(found) = client.find(Locator::Css(css)).await {
            if let Ok(text) = found.text().await {
                return text;
            }
        }
        assert!(Instant::now() < deadline, "no element {css:?} with text on {}", url_of(client).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the element's text contains `part`, as after an htmx swap.
async fn wait_text(client: &Client, css: &str, part: &str, timeout: Duration) -> String {
    let deadline = Instant::now() + timeout;
    loop {
        let found = client.find(Locator::Css(css)).await;
        let text = match &found {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text.contains(part) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "{css:?} did not come to contain {part:?} within {timeout:?}: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn body_text(client: &Client) -> String {
    text(client, "body").await
}

async fn log_in(client: &Client, base: &str, user: &str) {
    client.goto(&format!("{base}/login")).await.expect("login page");
    wait_css(client, "#username", Duration::from_secs(10)).await.send_keys(user).await.expect("type user");
    let password = format!("{user}-lösenord");
    client
        .find(Locator::Css("#password"))
        .await
        .expect("password field")
        .send_keys(&password)
        .await
        .expect("type");
    client
        .find(Locator::Css("main form button[type=submit]"))
        .await
        .expect("login button")
        .click()
        .await
        .expect("click");
    let deadline = Instant::now() + Duration::from_secs(10);
    while url_of(client).await.contains("/login") {
        assert!(Instant::now() < deadline, "{user} was not let in: {}", body_text(client).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn log_out(client: &Client) {
    client
        .find(Locator::Css("form.logout button"))
        .await
        .expect("logout button")
        .click()
        .await
        .expect("click");
    wait_url(client, "/login", Duration::from_secs(10)).await;
}

async fn screenshot(client: &Client, name: &str, size: (u32, u32)) {
    let Ok(dir) = std::env::var("TURNUS_SCREENSHOTS") else { return };
    client.set_window_size(size.0, size.1).await.expect("window size");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let png = client.screenshot().await.expect("screenshot");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    std::fs::write(Path::new(&dir).join(format!("{name}.png")), png).expect("write screenshot");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_in_the_browser() {
    let Some(Session { site, client, _driver, _profile }) = start_session("roles_in_the_browser").await
    else {
        return;
    };
    let base = site.base.clone();

    // A staff member enters a wish on a phone-sized window; the start page points there.
    client.set_window_size(PHONE.0, PHONE.1).await.expect("phone size");
    log_in(&client, &base, "anna").await;
    assert_eq!(text(&client, "h1").await, "Att göra");
    let start = body_text(&client).await;
    assert!(start.contains("Lämna dina önskemål för v. 11–16 2027"), "staff start page: {start}");
    client.find(Locator::Css("ul.actions a.button")).await.expect("wish link").click().await.expect("click");
    wait_url(&client, "/wishes", Duration::from_secs(10)).await;
    let day = wait_css(&client, "#w-2027-03-19", Duration::from_secs(10)).await;
    screenshot(&client, "wishes-phone", PHONE).await;
    day.select_by_value("off").await.expect("choose day off");
    client
        .find(Locator::Css("#p-2027-03-19"))
        .await
        .expect("priority")
        .select_by_value("3")
        .await
        .expect("prio");
    client.find(Locator::Css("#save-wishes")).await.expect("save button").click().await.expect("click");
    assert_eq!(text(&client, "#wishes-saved").await, "Dina önskemål är sparade.");
    let kept =
        client.find(Locator::Css("#w-2027-03-19")).await.expect("select").prop("value").await.expect("value");
    assert_eq!(kept.as_deref(), Some("off"));
    let problem =
        site.store.load_problem(turnus_store::UnitId(1), turnus_store::PeriodId(1)).await.expect("load");
    assert!(
        problem.wishes.iter().any(|w| w.employee == "1001"
            && w.date.to_string() == "2027-03-19"
            && w.kind == turnus_core::WishKind::Off
            && w.priority == 3),
        "the wish was not stored"
    );
    log_out(&client).await;

    // The login page and the start page in English through the switch.
    client.find(Locator::Css("a[hreflang=en]")).await.expect("English link").click().await.expect("click");
    wait_text(&client, "h1", "Log in", Duration::from_secs(10)).await;
    assert_eq!(text(&client, "label[for=username]").await, "User name");
    client.set_window_size(DESKTOP.0, DESKTOP.1).await.expect("desktop size");
    log_in(&client, &base, "planerare").await;
    wait_text(&client, "h1", "To do", Duration::from_secs(10)).await;
    client.find(Locator::Css("a[hreflang=sv]")).await.expect("Swedish link").click().await.expect("click");
    wait_text(&client, "h1", "Att göra", Duration::from_secs(10)).await;

    // The scheduler closes wishes on the unit page, solves, and edits two cells into a
    // rest violation: an evening shift ends 21:30 and a day shift starts 07:00.
    client.goto(&format!("{base}/units/1")).await.expect("unit page");
    wait_css(&client, "#to-1", Duration::from_secs(10))
        .await
        .select_by_value("wishes_closed")
        .await
        .expect("state");
    client.find(Locator::Css("form.inline-form button")).await.expect("move").click().await.expect("click");
    wait_text(&client, "table.periods-table", "Önskemål stängda", Duration::from_secs(10)).await;
    client.goto(&format!("{base}/units/1/periods/1")).await.expect("grid page");
    wait_css(&client, "#seconds", Duration::from_secs(10))
        .await
        .select_by_value("10")
        .await
        .expect("seconds");
    client.find(Locator::Css("#optimize")).await.expect("Optimera").click().await.expect("click");
    wait_css(&client, ".job progress", Duration::from_secs(10)).await;
    wait_url(&client, "version=", Duration::from_secs(120)).await;
    wait_css(&client, "table.grid", Duration::from_secs(10)).await;
    let rows = client.find_all(Locator::Css("table.grid tbody:not(.cover) tr")).await.expect("rows");
    assert_eq!(rows.len(), 25, "one row per employee of the sample unit");
    assert!(body_text(&client).await.contains("Bemanning D"), "cover row of the day shift");
    assert!(
        !client.find_all(Locator::Css("th.holiday")).await.expect("holidays").is_empty(),
        "Easter marked"
    );
    screenshot(&client, "grid-desktop", DESKTOP).await;
    screenshot(&client, "grid-phone", PHONE).await;
    client.set_window_size(DESKTOP.0, DESKTOP.1).await.expect("desktop size");

    for (date, shift) in [("2027-03-17", "K"), ("2027-03-18", "D")] {
        let css = format!("button.cell[data-employee='1001'][data-date='{date}']");
        wait_css(&client, &css, Duration::from_secs(10)).await.click().await.expect("open editor");
        wait_css(&client, "#editor-shift", Duration::from_secs(10))
            .await
            .select_by_value(shift)
            .await
            .expect("shift");
        client
            .find(Locator::Css(".editor button[type=submit]"))
            .await
            .expect("save")
            .click()
            .await
            .expect("click");
        wait_text(&client, "#change-title", date, Duration::from_secs(10)).await;
    }
    let findings = text(&client, ".change-findings").await;
    assert!(findings.contains("Anna") || findings.contains("vila") || findings.contains("H"), "{findings}");
    assert!(
        !client.find_all(Locator::Css(".change-findings li.hard")).await.expect("hard").is_empty(),
        "the rest violation is listed as a broken rule: {findings}"
    );
    let cell = client
        .find(Locator::Css("button.cell[data-employee='1001'][data-date='2027-03-18']"))
        .await
        .expect("cell");
    assert_eq!(cell.text().await.expect("code"), "D");
    let tip_id = cell.attr("aria-describedby").await.expect("attr").expect("the edited cell has a finding");
    let tip = client.find(Locator::Id(&tip_id)).await.expect("tooltip");
    assert!(!tip.is_displayed().await.expect("shown"), "tooltip hidden before focus");
    client
        .execute("arguments[0].focus()", vec![serde_json::to_value(&cell).expect("element")])
        .await
        .expect("focus");
    assert!(tip.is_displayed().await.expect("shown"), "tooltip shown on focus");
    assert!(!tip.text().await.expect("tooltip text").is_empty(), "tooltip has the rule text");

    client
        .find(Locator::Css(".toolbar form[action$='/transition'] button"))
        .await
        .expect("review")
        .click()
        .await
        .expect("click");
    wait_text(&client, "h1", "Granskning", Duration::from_secs(10)).await;
    log_out(&client).await;

    // The chef publishes from the dialog; the notice check is shown.
    log_in(&client, &base, "chef").await;
    let start = body_text(&client).await;
    assert!(start.contains("kan publiceras"), "chef start page: {start}");
    client
        .find(Locator::Css("ul.actions a.button"))
        .await
        .expect("publish action")
        .click()
        .await
        .expect("click");
    wait_css(&client, "a[href*='/publish?version=']", Duration::from_secs(10))
        .await
        .click()
        .await
        .expect("click");
    let notice = text(&client, "#publish-notice").await;
    assert!(notice.contains("i tid"), "notice check: {notice}");
    // The scheduler's edit broke the rest rule, so the dialog lists it and asks for a reason.
    let hard = text(&client, "#publish-hard").await;
    assert!(hard.contains("hårda regler"), "hard findings in the dialog: {hard}");
    client
        .find(Locator::Id("override_reason"))
        .await
        .expect("override reason")
        .send_keys("Vilan rättas med en ändring efter publiceringen")
        .await
        .expect("type");
    client.find(Locator::Css("#publish-submit")).await.expect("publish").click().await.expect("click");
    wait_text(&client, "h1", "Publicerad", Duration::from_secs(10)).await;
    log_out(&client).await;

    // Staff see the published schedule and what became of their wish, on the phone.
    client.set_window_size(PHONE.0, PHONE.1).await.expect("phone size");
    log_in(&client, &base, "anna").await;
    client.goto(&format!("{base}/my")).await.expect("my schedule");
    let my = text(&client, "main").await;
    assert!(my.contains("v. 11"), "weeks listed: {my}");
    assert!(my.contains("Mina önskemål"), "wish outcomes: {my}");
    assert!(my.contains("beviljat"), "the wish shows whether it was granted: {my}");
    assert!(client.find(Locator::Css("a[href$='/my.ics']")).await.is_ok(), "calendar link");

    // Staff create a calendar subscription address, copy it, and remove it again.
    client
        .find(Locator::Css(".my-feed button.primary"))
        .await
        .expect("create button")
        .click()
        .await
        .expect("click");
    let field = wait_css(&client, ".my-feed input.feed-url", Duration::from_secs(10)).await;
    let feed_url = field.prop("value").await.expect("value").unwrap_or_default();
    assert!(feed_url.starts_with(&format!("{base}/api/v1/calendar/")), "feed address: {feed_url}");
    let feed = http_get(&feed_url);
    assert!(feed.starts_with("HTTP/1.1 200"), "{feed}");
    assert!(feed.contains("BEGIN:VEVENT"), "the published shifts are in the feed: {feed}");
    client
        .find(Locator::Css(".my-feed button[data-copy]"))
        .await
        .expect("copy button")
        .click()
        .await
        .expect("click");
    let selected = client
        .execute(
            "return document.activeElement && document.activeElement.classList.contains('feed-url');",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(selected, serde_json::Value::Bool(true), "the copy button selects the address");
    client.goto(&format!("{base}/my")).await.expect("my schedule again");
    assert!(text(&client, ".my-feed").await.contains("Senast hämtad av en kalender"), "address state");
    assert!(client.find(Locator::Css(".my-feed input.feed-url")).await.is_err(), "shown once only");
    let remove = client.find_all(Locator::Css(".my-feed form button")).await.expect("feed buttons");
    remove.last().expect("remove button").click().await.expect("click");
    wait_text(&client, ".my-feed", "Du har ingen prenumerationsadress", Duration::from_secs(10)).await;
    assert!(http_get(&feed_url).starts_with("HTTP/1.1 404"), "the removed address ends");
    screenshot(&client, "staff-phone", PHONE).await;
    screenshot(&client, "staff-desktop", DESKTOP).await;
    client.goto(&format!("{base}/units/1/periods/1/wishes")).await.expect("wish form");
    assert!(text(&client, "main").await.contains("stängda"), "wishes closed for staff now");
    log_out(&client).await;

    // The admin reads the audit log with a filter and the follow-up charts, in both languages.
    client.set_window_size(DESKTOP.0, DESKTOP.1).await.expect("desktop size");
    log_in(&client, &base, "admin").await;
    client.goto(&format!("{base}/units/1/audit?what=publish")).await.expect("audit");
    let rows = client.find_all(Locator::Css("table.audit tbody tr")).await.expect("audit rows");
    assert!(!rows.is_empty(), "the publication is in the audit log");
    assert!(text(&client, "table.audit tbody").await.contains("chef"), "the chef published");
    client.goto(&format!("{base}/units/1/periods/1/follow-up")).await.expect("follow-up");
    let charts = client.find_all(Locator::Css("svg.chart")).await.expect("charts");
    assert_eq!(charts.len(), 4, "cover, wishes, weekends and nights");
    assert!(body_text(&client).await.contains("Bemanning per dag"));
    screenshot(&client, "follow-up-desktop", DESKTOP).await;
    screenshot(&client, "follow-up-phone", PHONE).await;
    client.set_window_size(DESKTOP.0, DESKTOP.1).await.expect("desktop size");
    client.find(Locator::Css("a[hreflang=en]")).await.expect("English").click().await.expect("click");
    wait_text(&client, "main", "Cover per day", Duration::from_secs(10)).await;
    client.goto(&format!("{base}/units/1/periods/1")).await.expect("grid in English");
    let grid = body_text(&client).await;
    assert!(
        grid.contains("Cover D") && grid.contains("Optimise") && grid.contains("Published"),
        "grid in English"
    );
    client.goto(&format!("{base}/units/1/audit")).await.expect("audit in English");
    assert!(text(&client, "h1").await.starts_with("Audit log"), "audit in English");

    client.close().await.expect("close browser");
}

/// Replaces the text of an input field.
async fn retype(client: &Client, css: &str, value: &str) {
    let field = wait_css(client, css, Duration::from_secs(10)).await;
    field.clear().await.expect("clear field");
    field.send_keys(value).await.expect("type");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scheduler_edits_unit_data() {
    let Some(Session { site, client, _driver, _profile }) = start_session("scheduler_edits_unit_data").await
    else {
        return;
    };
    let base = site.base.clone();
    let unit = turnus_store::UnitId(1);

    // From the unit page to the staff list and the form of one employee.
    log_in(&client, &base, "planerare").await;
    client.goto(&format!("{base}/units/1")).await.expect("unit page");
    wait_css(&client, "a[href='/units/1/staff']", Duration::from_secs(10))
        .await
        .click()
        .await
        .expect("click");
    wait_url(&client, "/units/1/staff", Duration::from_secs(10)).await;
    wait_css(&client, "tr[data-key='1004'] a", Duration::from_secs(10)).await.click().await.expect("click");
    wait_url(&client, "/units/1/staff/1004", Duration::from_secs(10)).await;
    assert_eq!(text(&client, "h1").await, "Anställd: Erik Nyström");

    // An invalid value, sent with Enter from the field, comes back with its message.
    retype(&client, "#f-employment_percent", "150").await;
    client
        .find(Locator::Css("#f-employment_percent"))
        .await
        .expect("field")
        .send_keys("\u{E007}")
        .await
        .expect("press Enter");
    let message = wait_text(&client, "#e-employment_percent", "1–100 procent", Duration::from_secs(10)).await;
    assert_eq!(message, "sysselsättningsgraden ska vara 1–100 procent, t.ex. 75,5");
    let field = client.find(Locator::Css("#f-employment_percent")).await.expect("field");
    assert_eq!(field.attr("aria-invalid").await.expect("attribute").as_deref(), Some("true"));
    assert_eq!(
        site.store.get_employee(unit, "1004").await.expect("employee").employee.employment_basis_points,
        7500
    );

    // The corrected value is saved and shown in the list.
    retype(&client, "#f-employment_percent", "80,5").await;
    client.find(Locator::Css("#data-save")).await.expect("save button").click().await.expect("click");
    wait_url(&client, "/units/1/staff?saved=1", Duration::from_secs(10)).await;
    assert_eq!(text(&client, "#data-saved").await, "Ändringen är sparad.");
    let row = text(&client, "tr[data-key='1004']").await;
    assert!(row.contains("80,5"), "staff row: {row}");
    assert_eq!(
        site.store.get_employee(unit, "1004").await.expect("employee").employee.employment_basis_points,
        8050
    );

    // A new demand row, reached from the unit page, appears in the unit's demand.
    client.goto(&format!("{base}/units/1")).await.expect("unit page");
    wait_css(&client, "a[href='/units/1/demand']", Duration::from_secs(10))
        .await
        .click()
        .await
        .expect("click");
    wait_css(&client, "#data-new", Duration::from_secs(10)).await.click().await.expect("click");
    wait_url(&client, "/units/1/new-demand", Duration::from_secs(10)).await;
    retype(&client, "#f-day", "2027-04-30").await;
    client.find(Locator::Css("#f-shift")).await.expect("shift").select_by_value("K").await.expect("choose K");
    retype(&client, "#f-skill", "usk").await;
    retype(&client, "#f-min", "2").await;
    retype(&client, "#f-ideal", "3").await;
    client.find(Locator::Css("#data-save")).await.expect("save button").click().await.expect("click");
    wait_url(&client, "/units/1/demand?saved=1", Duration::from_secs(10)).await;
    let table = text(&client, "#data-table").await;
    assert!(table.contains("2027-04-30 K usk 2 3"), "demand table: {table}");
    let period = turnus_store::PeriodId(1);
    let problem = site.store.load_problem(unit, period).await.expect("load");
    assert!(
        problem.demand.iter().any(|d| d.day.to_string() == "2027-04-30" && d.shift == "K" && d.min == 2),
        "the next solve sees the new demand row"
    );
    screenshot(&client, "demand-desktop", DESKTOP).await;

    // A new shift type is deactivated and reactivated with the button on its form.
    client.goto(&format!("{base}/units/1/new-shift-type")).await.expect("new shift type form");
    retype(&client, "#f-code", "M").await;
    retype(&client, "#f-name", "Mellan").await;
    retype(&client, "#f-start", "10:00").await;
    retype(&client, "#f-end", "18:30").await;
    retype(&client, "#f-break_minutes", "30").await;
    client.find(Locator::Css("#data-save")).await.expect("save button").click().await.expect("click");
    wait_url(&client, "/units/1/shift-types?saved=1", Duration::from_secs(10)).await;
    wait_css(&client, "tr[data-key='M'] a", Duration::from_secs(10)).await.click().await.expect("click");
    wait_url(&client, "/units/1/shift-types/M", Duration::from_secs(10)).await;
    let remove = wait_css(&client, "form.data-remove button", Duration::from_secs(10)).await;
    assert_eq!(remove.text().await.expect("button text"), "Inaktivera");
    remove.click().await.expect("click");
    wait_url(&client, "/units/1/shift-types?saved=1", Duration::from_secs(10)).await;
    assert!(text(&client, "tr[data-key='M']").await.contains("Inaktiv"), "the list shows M as inactive");
    client.find(Locator::Css("tr[data-key='M'] a")).await.expect("edit link").click().await.expect("click");
    wait_url(&client, "/units/1/shift-types/M", Duration::from_secs(10)).await;
    let remove = wait_css(&client, "form.data-remove button", Duration::from_secs(10)).await;
    assert_eq!(remove.text().await.expect("button text"), "Återaktivera");
    remove.click().await.expect("click");
    wait_url(&client, "/units/1/shift-types?saved=1", Duration::from_secs(10)).await;
    assert!(site.store.get_shift_type(unit, "M").await.expect("shift type").active);
    client.close().await.expect("close browser");
}
