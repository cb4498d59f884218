//! Accessibility checks over every page: each page is rendered through the router with
//! real data, as the role that reads it, and its HTML is checked for form controls without
//! a label and for images and SVG charts without a text alternative. The colours of
//! `static/turnus.css` are checked against WCAG 2.1 level AA: 4.5:1 for text on the
//! backgrounds it appears on (page, panels, shift colours of the grid and the chips), and
//! 3:1 for the focus outline and chart bars (non-text contrast, success criterion 1.4.11).

use std::collections::{HashMap, HashSet};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use turnus_core::{Assignment, Schedule};
use turnus_server::ServerConfig;
use turnus_server::routes::AppState;
use turnus_store::{Actor, Change, NewVersion, PeriodState, Role, Store, UnitId};

mod common;

const ORIGIN: &str = "http://127.0.0.1:8080";
const CSS: &str = include_str!("../static/turnus.css");

// ---------------------------------------------------------------------------------------
// Rendering every page

/// Renders one page, which must succeed, into `pages`.
async fn render(app: &Router, name: &str, request: Request<Body>, pages: &mut Vec<(String, String)>) {
    let (status, body) = send(app, request).await;
    assert!(status.is_success(), "{name}: {status}\n{body}");
    pages.push((name.to_string(), body));
}

async fn send(app: &Router, request: Request<Body>) -> (StatusCode, String) {
    let response = app.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::COOKIE, cookie)
        .body(Body::empty())
        .expect("request")
}

fn post(path: &str, cookie: &str, form: &str, htmx: bool) -> Request<Body> {
    let mut builder = Request::post(path)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie);
    if htmx {
        builder = builder.header("hx-request", "true");
    }
    builder.body(Body::from(form.to_string())).expect("request")
}

async fn log_in(app: &Router, user: &str) -> String {
    let request = Request::post("/login")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, ORIGIN)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("username={user}&password=l%C3%B6senord-123&next=%2F")))
        .expect("request");
    let response = app.clone().oneshot(request).await.expect("response");
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{user} signs in");
    let cookie = response.headers().get(header::SET_COOKIE).expect("cookie").to_str().expect("text");
    cookie.split(';').next().expect("name=value").to_string()
}

/// Saves a version of the sample period with `rows` (employee, day of March 2027, shift).
async fn save_version(
    store: &Store,
    unit: UnitId,
    period: turnus_store::PeriodId,
    rows: &[(&str, i8, &str)],
) -> i64 {
    let change = Change::by(Actor::System("a11y-test".into()));
    let schedule = Schedule {
        assignments: rows
            .iter()
            .map(|(e, d, s)| Assignment {
                employee: (*e).into(),
                date: jiff::civil::date(2027, 3, *d),
                shift: (*s).into(),
            })
            .collect(),
    };
    let problem = store.load_problem(unit, period).await.expect("problem");
    let evaluation = turnus_core::evaluate(&problem, &schedule).expect("evaluation");
    let version = NewVersion {
        assignments: schedule.assignments,
        score: evaluation.score,
        findings: serde_json::to_value(&evaluation.findings).expect("findings"),
        note: None,
    };
    store.save_version(unit, period, &version, &change).await.expect("version").id.0
}

/// Renders every page and fragment of the site in both languages and returns
/// `(name, html)` pairs.
async fn rendered_pages() -> Vec<(String, String)> {
    let sample = common::sample_unit("a11y-test").await;
    let users = [
        ("admin", true, None, None),
        ("chef", false, Some(Role::Manager), None),
        ("anna", false, Some(Role::Staff), Some("1001")),
    ];
    sample.add_users(&users, |_| "lösenord-123".into()).await;
    let common::SampleUnit { store, unit, period, change, dir } = sample;
    let mut config = ServerConfig::new("127.0.0.1:8080".parse().expect("address"));
    config.workers = 0;
    let app = turnus_web::app(AppState::new(store.clone(), config));

    // Wishes open: the staff member's wish form with its selects.
    let deadline = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24);
    store
        .transition_period(unit, period, PeriodState::WishesOpen, Some(deadline), &change)
        .await
        .expect("open");
    let mut pages = Vec::new();
    let anna = log_in(&app, "anna").await;
    let admin = log_in(&app, "admin").await;
    render(&app, "wish form", get("/units/1/periods/1/wishes", &anna), &mut pages).await;
    render(&app, "unit page", get("/units/1", &admin), &mut pages).await;

    // Two proposals in review: grid, comparison, cell editor, publish dialog, solve progress.
    for to in [PeriodState::WishesClosed, PeriodState::Proposal] {
        store.transition_period(unit, period, to, None, &change).await.expect("transition");
    }
    let first =
        save_version(&store, unit, period, &[("1001", 15, "D"), ("1001", 16, "N"), ("1002", 15, "K")]).await;
    let second =
        save_version(&store, unit, period, &[("1001", 15, "K"), ("1002", 16, "D"), ("1003", 20, "N")]).await;
    store.transition_period(unit, period, PeriodState::Review, None, &change).await.expect("review");
    render(&app, "grid", get(&format!("/units/1/periods/1?version={first}"), &admin), &mut pages).await;
    render(
        &app,
        "compare",
        get(&format!("/units/1/periods/1/compare?a={first}&b={second}"), &admin),
        &mut pages,
    )
    .await;
    let cell = format!("/units/1/versions/{first}/cell?employee=1001&date=2027-03-15");
    render(&app, "cell editor", get(&cell, &admin), &mut pages).await;
    let (_, editor) = send(&app, get(&cell, &admin)).await;
    let row_version =
        editor.split("name=\"row_version\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap_or("");
    let form = format!("employee=1001&date=2027-03-15&shift=N&row_version={row_version}&reason=");
    render(
        &app,
        "grid after a cell edit",
        post(&format!("/units/1/versions/{first}/cell"), &admin, &form, true),
        &mut pages,
    )
    .await;
    render(
        &app,
        "solve progress",
        post("/units/1/periods/1/optimize", &admin, &format!("seconds=10&from_version={first}"), true),
        &mut pages,
    )
    .await;
    // The solve moved the period back to proposal; the queued job never runs here.
    store.transition_period(unit, period, PeriodState::Review, None, &change).await.expect("review again");
    render(
        &app,
        "publish dialog",
        get(&format!("/units/1/periods/1/publish?version={second}"), &admin),
        &mut pages,
    )
    .await;

    // Published: the follow-up charts, the staff view with a new feed address, the audit log.
    let chef = log_in(&app, "chef").await;
    let (status, body) = send(
        &app,
        post(
            "/units/1/periods/1/publish",
            &chef,
            &format!("version={second}&reason=test&override_reason=test"),
            false,
        ),
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    render(&app, "follow-up", get("/units/1/periods/1/follow-up", &admin), &mut pages).await;
    render(&app, "my schedule", get("/my", &anna), &mut pages).await;
    render(&app, "my schedule with feed address", post("/my/calendar/1", &anna, "", false), &mut pages).await;
    render(&app, "unit audit", get("/units/1/audit", &chef), &mut pages).await;
    render(&app, "audit", get("/audit", &admin), &mut pages).await;
    render(&app, "start", get("/", &admin), &mut pages).await;
    render(&app, "start for staff", get("/", &anna), &mut pages).await;
    let login = Request::get("/login").body(Body::empty()).expect("request");
    render(&app, "login", login, &mut pages).await;

    // Error pages are pages too.
    let (status, body) = send(&app, get("/units/1/periods/99", &admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    pages.push(("error page".into(), body));

    // The same pages in English.
    let english: Vec<(String, String)> = {
        let mut out = Vec::new();
        let admin_en = format!("{admin}; turnus_lang=en");
        for (name, path) in [
            ("grid (en)", format!("/units/1/periods/1?version={first}")),
            ("follow-up (en)", "/units/1/periods/1/follow-up".into()),
        ] {
            let (status, body) = send(&app, get(&path, &admin_en)).await;
            assert!(status.is_success(), "{name}: {status}");
            out.push((name.to_string(), body));
        }
        out
    };
    pages.extend(english);
    drop(dir);
    pages
}

// ---------------------------------------------------------------------------------------
// A small HTML tag reader: enough for the server's own templates

#[derive(Debug)]
struct Tag {
    name: String,
    closing: bool,
    attrs: HashMap<String, String>,
}

/// Reads the tags of `html` in order. Comments, the doctype and the contents of `script`
/// and `style` elements are skipped.
fn tags(html: &str) -> Vec<Tag> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset;
        if html[start..].starts_with("<!--") {
            i = html[start..].find("-->").map_or(html.len(), |end| start + end + 3);
            continue;
        }
        if html[start..].starts_with("<!") {
            i = html[start..].find('>').map_or(html.len(), |end| start + end + 1);
            continue;
        }
        let mut j = start + 1;
        let closing = bytes.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let name_end =
            html[j..].find(|c: char| c.is_whitespace() || c == '>' || c == '/').map_or(html.len(), |n| j + n);
        let name = html[j..name_end].to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            i = start + 1;
            continue;
        }

        // Attributes up to the closing '>', with quoted values that may hold any character.
        let mut attrs = HashMap::new();
        let mut k = name_end;
        loop {
            while k < bytes.len() && (bytes[k].is_ascii_whitespace() || bytes[k] == b'/') {
                k += 1;
            }
            if k >= bytes.len() || bytes[k] == b'>' {
                break;
            }
            let key_end = html[k..]
                .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
                .map_or(html.len(), |n| k + n);
            let key = html[k..key_end].to_ascii_lowercase();
            k = key_end;
            let mut value = String::new();
            if bytes.get(k) == Some(&b'=') {
                k += 1;
                match bytes.get(k) {
                    Some(&quote @ (b'"' | b'\'')) => {
                        let end = html[k + 1..].find(char::from(quote)).map_or(html.len(), |n| k + 1 + n);
                        value = html[k + 1..end].to_string();
                        k = end + 1;
                    }
                    _ => {
                        let end = html[k..]
                            .find(|c: char| c.is_whitespace() || c == '>')
                            .map_or(html.len(), |n| k + n);
                        value = html[k..end].to_string();
                        k = end;
                    }
                }
            }
            attrs.insert(key, value);
        }
        i = (k + 1).min(html.len());
        let raw_text = !closing && (name == "script" || name == "style");
        out.push(Tag { name: name.clone(), closing, attrs });
        if raw_text {
            let end_tag = format!("</{name}");
            i = html[i..].find(&end_tag).map_or(html.len(), |n| i + n);
        }
    }
    out
}

fn has_text(tag: &Tag, attr: &str) -> bool {
    tag.attrs.get(attr).is_some_and(|v| !v.trim().is_empty())
}

/// Returns one line per form control without a label, image without `alt` and SVG without
/// a text alternative in `html`.
fn label_problems(html: &str) -> Vec<String> {
    let all = tags(html);
    let ids: HashSet<&str> = all.iter().filter_map(|t| t.attrs.get("id").map(String::as_str)).collect();
    let label_for: HashSet<&str> = all
        .iter()
        .filter(|t| t.name == "label" && !t.closing)
        .filter_map(|t| t.attrs.get("for").map(String::as_str))
        .collect();
    let refers = |tag: &Tag, attr: &str| {
        tag.attrs
            .get(attr)
            .is_some_and(|v| !v.trim().is_empty() && v.split_whitespace().all(|id| ids.contains(id)))
    };

    let mut problems = Vec::new();
    for target in &label_for {
        if !ids.contains(target) {
            problems.push(format!("<label for=\"{target}\"> names no element"));
        }
    }

    let mut label_depth = 0usize;
    for (index, tag) in all.iter().enumerate() {
        match (tag.name.as_str(), tag.closing) {
            ("label", false) => label_depth += 1,
            ("label", true) => label_depth = label_depth.saturating_sub(1),
            ("input" | "select" | "textarea", false) => {
                let kind = tag.attrs.get("type").map(|t| t.to_ascii_lowercase()).unwrap_or_default();
                if tag.name == "input"
                    && matches!(kind.as_str(), "hidden" | "submit" | "button" | "reset" | "image")
                {
                    continue;
                }
                let by_for = tag.attrs.get("id").is_some_and(|id| label_for.contains(id.as_str()));
                let labelled = by_for
                    || label_depth > 0
                    || has_text(tag, "aria-label")
                    || refers(tag, "aria-labelledby");
                if !labelled {
                    problems.push(format!(
                        "<{} name={:?} id={:?}> has no label",
                        tag.name,
                        tag.attrs.get("name"),
                        tag.attrs.get("id")
                    ));
                }
            }
            ("img", false) if !tag.attrs.contains_key("alt") => {
                problems.push(format!("<img src={:?}> has no alt text", tag.attrs.get("src")));
            }
            ("svg", false) => {
                let hidden = tag.attrs.get("aria-hidden").is_some_and(|v| v == "true");
                let named = has_text(tag, "aria-label") || refers(tag, "aria-labelledby");
                let is_img = tag.attrs.get("role").is_some_and(|r| r == "img");
                // A <title> as the first child names the chart too.
                let titled = all.get(index + 1).is_some_and(|next| next.name == "title" && !next.closing);
                if !hidden && !(is_img && (named || titled)) {
                    problems.push(format!(
                        "<svg class={:?}> has no text alternative (role=\"img\" with a name, or aria-hidden)",
                        tag.attrs.get("class")
                    ));
                }
            }
            _ => {}
        }
    }
    problems
}

#[tokio::test]
async fn every_page_labels_controls_and_images() {
    let pages = rendered_pages().await;
    let mut failures = Vec::new();
    let mut controls = 0;
    let mut charts = 0;
    for (name, html) in &pages {
        let all = tags(html);
        controls +=
            all.iter().filter(|t| !t.closing && matches!(t.name.as_str(), "select" | "textarea")).count();
        charts += all.iter().filter(|t| !t.closing && t.name == "svg").count();
        for problem in label_problems(html) {
            failures.push(format!("{name}: {problem}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The pages did render their forms and charts, so the checks above saw them.
    assert!(controls >= 10, "only {controls} selects and text areas in {} pages", pages.len());
    assert!(charts >= 4, "only {charts} charts");
    let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        pages.iter().any(|(_, html)| html.contains("class=\"feed-url\"")),
        "the feed address field was rendered: {names:?}"
    );
}

#[test]
fn label_check_finds_unlabelled() {
    let bad = r#"<form><input name="a"><select id="b"></select><label for="c">C</label><img src="x.png"><svg class="chart"></svg></form>"#;
    let problems = label_problems(bad);
    assert_eq!(problems.len(), 5, "{problems:#?}");
    let good = r#"<label for="a">A</label><input id="a"><label>B <input type="checkbox"></label>
        <textarea aria-label="C"></textarea><input type="hidden" name="h"><img src="x" alt="">
        <svg role="img" aria-labelledby="t"><title id="t">T</title></svg><svg aria-hidden="true"></svg>
        <script>if (a < b) { x = "<input>"; }</script>"#;
    assert_eq!(label_problems(good), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------
// Colour contrast from the style sheet

#[derive(Debug, Clone)]
struct Rule {
    selector: String,
    declarations: HashMap<String, String>,
}

/// Reads the style sheet into rules, one per selector of a selector list, with the rules
/// inside `@media` blocks flattened. Custom properties stay unresolved.
fn parse_css(css: &str) -> Vec<Rule> {
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);

    let mut rules = Vec::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('{') {
        let head = rest[..open].trim().to_string();
        if head.starts_with("@media") {
            // Descend into the block: its rules follow as if at the top level.
            rest = &rest[open + 1..];
            continue;
        }
        let close = rest[open..].find('}').map_or(rest.len(), |n| open + n);
        let body = &rest[open + 1..close];
        // A '}' that closes an @media block leaves a stray '}' before the next selector.
        let head = head.trim_start_matches('}').trim().to_string();
        let declarations: HashMap<String, String> = body
            .split(';')
            .filter_map(|d| d.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        for selector in head.split(',') {
            let selector = selector.split_whitespace().collect::<Vec<_>>().join(" ");
            if !selector.is_empty() && !selector.starts_with('@') {
                rules.push(Rule { selector, declarations: declarations.clone() });
            }
        }
        rest = rest.get(close + 1..).unwrap_or("");
    }
    rules
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Rgb(f64, f64, f64);

/// Parses `#rgb` or `#rrggbb`; every other value (transparent, none, rgba, gradients) is not
/// an opaque colour.
fn parse_hex(value: &str) -> Option<Rgb> {
    let hex = value.trim().strip_prefix('#')?;
    let digits: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_string(),
        _ => return None,
    };
    let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok().map(|v| f64::from(v) / 255.0);
    Some(Rgb(channel(0)?, channel(2)?, channel(4)?))
}

/// WCAG 2.1 relative luminance.
fn luminance(c: Rgb) -> f64 {
    let linear = |v: f64| if v <= 0.040_45 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) };
    0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2)
}

/// WCAG 2.1 contrast ratio, from 1 to 21.
fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

struct Sheet {
    rules: Vec<Rule>,
    vars: HashMap<String, String>,
}

impl Sheet {
    fn new(css: &str) -> Sheet {
        let rules = parse_css(css);
        let vars = rules
            .iter()
            .filter(|r| r.selector == ":root")
            .flat_map(|r| r.declarations.iter())
            .filter(|(k, _)| k.starts_with("--"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Sheet { rules, vars }
    }

    /// Resolves `var(--x)` references in a value.
    fn resolve(&self, value: &str) -> String {
        let mut out = value.to_string();
        while let Some(start) = out.find("var(") {
            let end = out[start..].find(')').map_or(out.len(), |n| start + n);
            let name = out[start + 4..end].trim().to_string();
            let replacement = self.vars.get(&name).cloned().unwrap_or_default();
            out.replace_range(start..=end.min(out.len() - 1), &replacement);
        }
        out
    }

    /// Returns the first opaque colour among the words of a declaration, such as the colour of
    /// `background: var(--day)` or `outline: 3px solid var(--focus)`.
    fn colour_in(&self, rule: &Rule, properties: &[&str]) -> Option<Rgb> {
        properties
            .iter()
            .filter_map(|p| rule.declarations.get(*p))
            .flat_map(|v| self.resolve(v).split_whitespace().map(str::to_string).collect::<Vec<_>>())
            .find_map(|word| parse_hex(&word))
    }

    fn text_colour(&self, rule: &Rule) -> Option<Rgb> {
        self.colour_in(rule, &["color"])
    }

    fn background(&self, rule: &Rule) -> Option<Rgb> {
        self.colour_in(rule, &["background-color", "background"])
    }

    /// Returns the rule with exactly this selector, and panics when it is missing, since the
    /// test then names a rule the style sheet lacks.
    fn rule(&self, selector: &str) -> &Rule {
        self.rules
            .iter()
            .find(|r| r.selector == selector)
            .unwrap_or_else(|| panic!("no CSS rule {selector:?}"))
    }

    fn var(&self, name: &str) -> Rgb {
        parse_hex(self.vars.get(name).unwrap_or_else(|| panic!("no {name} in :root"))).expect("a hex colour")
    }

    /// Returns the background of the nearest ancestor named by a prefix of `selector`
    /// (`header.top` for `header.top .logout button`), if a rule gives it one.
    fn ancestor_background(&self, selector: &str) -> Option<(String, Rgb)> {
        let parts: Vec<&str> = selector.split(' ').collect();
        (1..parts.len()).rev().find_map(|n| {
            let prefix = parts[..n].join(" ");
            self.rules
                .iter()
                .filter(|r| r.selector == prefix)
                .find_map(|r| self.background(r))
                .map(|bg| (prefix, bg))
        })
    }

    /// Returns every opaque background that a surface rule (not a control) sets.
    fn surfaces(&self) -> Vec<(String, Rgb)> {
        self.rules
            .iter()
            .filter(|r| {
                !r.selector.contains("button")
                    && !r.selector.contains(".button")
                    && !r.selector.contains(":focus")
            })
            .filter_map(|r| self.background(r).map(|bg| (r.selector.clone(), bg)))
            .collect()
    }
}

/// WCAG 2.1 AA minimum for normal-size text.
const TEXT: f64 = 4.5;
/// WCAG 2.1 AA minimum for user interface components and graphics (SC 1.4.11).
const NON_TEXT: f64 = 3.0;

#[test]
fn contrast_formula_matches_wcag() {
    let black = parse_hex("#000").unwrap();
    let white = parse_hex("#ffffff").unwrap();
    assert!((contrast(black, white) - 21.0).abs() < 1e-9);
    assert!((contrast(white, white) - 1.0).abs() < 1e-9);
    // #767676 on white is the well-known lightest grey that passes 4.5:1 (4.54:1).
    let grey = parse_hex("#767676").unwrap();
    assert!((contrast(grey, white) - 4.54).abs() < 0.01, "{}", contrast(grey, white));
}

#[test]
fn text_colours_meet_aa_contrast() {
    let sheet = Sheet::new(CSS);
    let ink = sheet.text_colour(sheet.rule("body")).expect("body colour");
    let page = [("--bg", sheet.var("--bg")), ("--panel", sheet.var("--panel"))];
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check = |what: String, fg: Rgb, bg: Rgb, minimum: f64| {
        checked += 1;
        let ratio = contrast(fg, bg);
        if ratio < minimum {
            failures.push(format!("{what}: {ratio:.2}:1, needs {minimum}:1"));
        }
    };

    for rule in &sheet.rules {
        let fg = sheet.text_colour(rule);
        let bg = sheet.background(rule);
        match (fg, bg) {
            // Text and background in one rule.
            (Some(fg), Some(bg)) => check(format!("{} text on its background", rule.selector), fg, bg, TEXT),
            // Text on an ancestor's background, else on the page and panel backgrounds.
            (Some(fg), None) => match sheet.ancestor_background(&rule.selector) {
                Some((ancestor, bg)) => check(format!("{} on {ancestor}", rule.selector), fg, bg, TEXT),
                None => {
                    for (name, bg) in page {
                        check(format!("{} on {name}", rule.selector), fg, bg, TEXT);
                    }
                }
            },
            // A background whose text inherits the body colour, or the colour of an
            // ancestor rule such as the header's.
            (None, Some(bg)) => {
                let inherited = (1..=rule.selector.split(' ').count())
                    .rev()
                    .find_map(|n| {
                        let prefix = rule.selector.split(' ').take(n).collect::<Vec<_>>().join(" ");
                        sheet.rules.iter().filter(|r| r.selector == prefix).find_map(|r| sheet.text_colour(r))
                    })
                    .unwrap_or(ink);
                check(format!("inherited text on {}", rule.selector), inherited, bg, TEXT);
            }
            (None, None) => {}
        }
    }

    // Texts that sit on the grid's and the chips' shift colours without sharing a rule.
    let shift_cells = [
        "table.grid td.day",
        "table.grid td.evening",
        "table.grid td.night",
        "table.grid td.weekend",
        "table.grid td.cov.gap",
        "table.grid td.cov.surplus",
    ];
    for text in ["table.grid td.c .cell", "table.grid td.f-hard .cell::after"] {
        let fg = sheet.text_colour(sheet.rule(text)).expect("a text colour");
        for cell in shift_cells {
            let bg = sheet.background(sheet.rule(cell)).expect("a background");
            check(format!("{text} on {cell}"), fg, bg, TEXT);
        }
    }
    let header_cells = ["table.grid thead th", "table.grid th.weekend", "table.grid th.holiday"];
    for cell in header_cells {
        let fg = sheet.text_colour(sheet.rule("table.grid th.day .wd")).expect("weekday colour");
        let bg = sheet.background(sheet.rule(cell)).expect("a background");
        check(format!("weekday on {cell}"), fg, bg, TEXT);
    }
    let chips = [".chip.day", ".chip.evening", ".chip.night", ".chip.weekend", ".chip.holiday"];
    for text in [".chip.f-hard", ".chip.f-soft", ".my-days .time", ".my-days li.off"] {
        let fg = sheet.text_colour(sheet.rule(text)).expect("a text colour");
        for chip in chips {
            let bg = sheet.background(sheet.rule(chip)).expect("a background");
            check(format!("{text} on {chip}"), fg, bg, TEXT);
        }
    }
    for chip in chips {
        let bg = sheet.background(sheet.rule(chip)).expect("a background");
        check(format!("shift code on {chip}"), ink, bg, TEXT);
    }

    // SVG chart text and bars on the page background.
    let white = sheet.var("--bg");
    for text in ["svg.chart .axis", "svg.chart .label", "svg.chart .value"] {
        let fill = sheet.colour_in(sheet.rule(text), &["fill"]).expect("a fill");
        check(format!("{text} on --bg"), fill, white, TEXT);
    }
    for bar in ["svg.chart .bar", "svg.chart .bar.gap", "svg.chart .bar.over"] {
        let fill = sheet.colour_in(sheet.rule(bar), &["fill"]).expect("a fill");
        check(format!("{bar} on --bg"), fill, white, NON_TEXT);
    }

    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 60, "only {checked} colour pairs checked");
}

#[test]
fn focus_outline_visible_on_every_surface() {
    let sheet = Sheet::new(CSS);
    let focus_rules: Vec<&Rule> = sheet
        .rules
        .iter()
        .filter(|r| {
            r.selector.contains(":focus")
                && (r.declarations.contains_key("outline") || r.declarations.contains_key("outline-color"))
        })
        .collect();
    assert!(!focus_rules.is_empty(), "the style sheet sets a focus outline");
    let mut failures = Vec::new();
    for rule in focus_rules {
        let colour = sheet.colour_in(rule, &["outline-color", "outline"]).expect("an outline colour");
        // A focus rule under an ancestor (header.top :focus-visible) is drawn on that
        // ancestor's background; the global one on every other surface.
        match sheet.ancestor_background(&rule.selector) {
            Some((ancestor, bg)) => {
                let ratio = contrast(colour, bg);
                if ratio < NON_TEXT {
                    failures.push(format!("{} on {ancestor}: {ratio:.2}:1", rule.selector));
                }
            }
            None => {
                let scoped: Vec<String> = sheet
                    .rules
                    .iter()
                    .filter(|r| r.selector.contains(":focus") && r.selector != rule.selector)
                    .filter_map(|r| sheet.ancestor_background(&r.selector).map(|(a, _)| a))
                    .collect();
                for (surface, bg) in sheet.surfaces() {
                    if scoped.iter().any(|a| surface == *a || surface.starts_with(&format!("{a} "))) {
                        continue;
                    }
                    let ratio = contrast(colour, bg);
                    if ratio < NON_TEXT {
                        failures.push(format!("{} on {surface}: {ratio:.2}:1", rule.selector));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn css_reader_sees_media_rules() {
    let sheet = Sheet::new(CSS);
    assert!(sheet.rules.len() > 100, "{} rules", sheet.rules.len());
    assert!(sheet.rules.iter().any(|r| r.selector == ".my-days .time"), "a rule inside @media");
    assert_eq!(sheet.resolve("3px solid var(--focus)"), format!("3px solid {}", sheet.vars["--focus"]));
}
