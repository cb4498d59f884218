//! Sign-in: the session cookie, logout, login rate limiting, CSRF rejection and API tokens.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::json;
use turnus_store::Session;

use crate::common::{Auth, TestApp, backend_tests};

backend_tests!(
    session_cookie_and_logout,
    session_touched_once_per_interval,
    session_in_use_stays_alive,
    login_rate_limit,
    login_rate_limit_by_address,
    login_rate_limit_behind_proxy,
    csrf_rejected,
    api_tokens,
    unauthenticated_rejected,
    username_taken
);

async fn session_cookie_and_logout(app: &TestApp) {
    app.user("admin", "admin-password-1", true).await;
    let reply = app
        .post("/api/v1/login", &Auth::None, json!({ "username": "Admin", "password": "admin-password-1" }))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let cookie = reply.headers.get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.starts_with("turnus_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Strict"));
    assert!(!cookie.contains("Secure"), "plain HTTP on loopback: {cookie}");
    let auth = Auth::Cookie(cookie.split(';').next().unwrap().to_string());
    let me = app.get("/api/v1/me", &auth).await;
    assert_eq!(me.body["user"]["username"], "admin");
    assert!(me.body["user"].get("password_hash").is_none());

    let out = app.post("/api/v1/logout", &auth, json!({})).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/me", &auth).await.status, StatusCode::UNAUTHORIZED);
}

/// Returns the session token of a cookie `turnus_session=TOKEN`.
fn token(auth: &Auth) -> &str {
    let Auth::Cookie(cookie) = auth else { panic!("a cookie sign-in") };
    cookie.strip_prefix("turnus_session=").expect("the session cookie")
}

async fn session(app: &TestApp, auth: &Auth) -> Session {
    app.store.find_session(token(auth)).await.unwrap().expect("a live session").0
}

/// Requests within the touch interval only read the session; the first request after it
/// writes the new expiry and last use.
async fn session_touched_once_per_interval(app: &TestApp) {
    app.user("anna", "anna-password", false).await;
    let auth = app.login("anna", "anna-password").await;
    let started = session(app, &auth).await;
    assert_eq!(started.last_seen_at, started.created_at);
    for _ in 0..3 {
        assert_eq!(app.get("/api/v1/me", &auth).await.status, StatusCode::OK);
        let post = app.post("/api/v1/tokens", &auth, json!({ "name": "x" })).await;
        assert_eq!(post.status, StatusCode::FORBIDDEN, "a medarbetare creates no token: {}", post.text);
    }
    assert_eq!(session(app, &auth).await, started, "within the interval, no request writes");

    // Without an interval every request writes, as the interval's end does.
    let every = app.with_config(|config| config.session_touch_interval = Duration::ZERO);
    assert_eq!(every.get("/api/v1/me", &auth).await.status, StatusCode::OK);
    let touched = session(app, &auth).await;
    assert!(touched.last_seen_at > started.last_seen_at);
    assert!(touched.expires_at > started.expires_at);
    assert_eq!(touched.created_at, started.created_at);
}

/// With the touch interval capped at half the session lifetime, a session used more often
/// than its lifetime stays alive past its first expiry, and one left unused expires.
async fn session_in_use_stays_alive(app: &TestApp) {
    let short = app.with_config(|config| {
        config.session_ttl = Duration::from_secs(3);
        config.session_touch_interval = Duration::from_secs(3600);
    });
    short.user("anna", "anna-password", false).await;
    let auth = short.login("anna", "anna-password").await;
    let first_expiry = session(app, &auth).await.expires_at;

    tokio::time::sleep(Duration::from_millis(1900)).await;
    assert_eq!(short.get("/api/v1/me", &auth).await.status, StatusCode::OK);
    assert!(
        session(app, &auth).await.expires_at > first_expiry,
        "past half the lifetime, the request writes"
    );
    tokio::time::sleep(Duration::from_millis(1900)).await;
    assert_eq!(short.get("/api/v1/me", &auth).await.status, StatusCode::OK, "alive past the first expiry");

    tokio::time::sleep(Duration::from_millis(4000)).await;
    assert_eq!(short.get("/api/v1/me", &auth).await.status, StatusCode::UNAUTHORIZED);
}

async fn login_rate_limit(app: &TestApp) {
    app.user("anna", "anna-password", false).await;
    for _ in 0..5 {
        let reply =
            app.post("/api/v1/login", &Auth::None, json!({ "username": "anna", "password": "wrong" })).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
        assert_eq!(reply.body["error"], "bad_credentials");
    }
    let blocked = app
        .post("/api/v1/login", &Auth::None, json!({ "username": "anna", "password": "anna-password" }))
        .await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS, "{}", blocked.text);
    assert_eq!(blocked.headers["retry-after"], "900");
    assert_eq!(
        blocked.body["message"],
        "För många misslyckade inloggningar; vänta 15 minuter och försök igen"
    );
    // Unknown user names answer like wrong passwords.
    let unknown =
        app.post("/api/v1/login", &Auth::None, json!({ "username": "nobody", "password": "x" })).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
}

/// Signs in from a client address, which `turnus serve` takes from the TCP connection.
async fn login_from(app: &TestApp, addr: &str, username: &str, password: &str) -> StatusCode {
    let addr: std::net::SocketAddr = format!("{addr}:40000").parse().unwrap();
    let body = json!({ "username": username, "password": password }).to_string();
    let request = app
        .builder(Method::POST, "/api/v1/login", &Auth::None)
        .header("content-type", "application/json")
        .extension(axum::extract::ConnectInfo(addr))
        .body(body.into())
        .unwrap();
    app.send(request).await.status
}

async fn login_rate_limit_by_address(app: &TestApp) {
    app.user("anna", "anna-password", false).await;
    app.user("bo", "bo-password-1", false).await;

    // Five failures for a name from one address block that name from that address only,
    // so someone guessing cannot lock the owner out from her own computer.
    for _ in 0..5 {
        assert_eq!(login_from(app, "10.0.0.1", "anna", "wrong").await, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login_from(app, "10.0.0.1", "anna", "anna-password").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login_from(app, "10.0.0.2", "anna", "anna-password").await, StatusCode::OK);
    assert_eq!(login_from(app, "10.0.0.1", "bo", "bo-password-1").await, StatusCode::OK);

    // Fifty failures from one address, spread over names, block every name from it.
    for i in 0..45 {
        let status = login_from(app, "10.0.0.1", &format!("gissning{i}"), "wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    assert_eq!(login_from(app, "10.0.0.1", "bo", "bo-password-1").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login_from(app, "10.0.0.3", "bo", "bo-password-1").await, StatusCode::OK);

    // A hundred failures for one name over many addresses block the name everywhere.
    for i in 0..100 {
        let status = login_from(app, &format!("10.1.{}.{}", i / 4, i % 4), "bo", "wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    assert_eq!(login_from(app, "10.0.0.4", "bo", "bo-password-1").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login_from(app, "10.0.0.4", "anna", "anna-password").await, StatusCode::OK);
}

/// Signs in through `router` from the TCP peer `peer`, with `forwarded` as the
/// `X-Forwarded-For` header when given.
async fn login_via(
    router: &axum::Router,
    peer: &str,
    forwarded: Option<&str>,
    username: &str,
    password: &str,
) -> StatusCode {
    let peer: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    let body = json!({ "username": username, "password": password }).to_string();
    let mut builder = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/login")
        .header("host", "127.0.0.1:8080")
        .header("content-type", "application/json")
        .extension(axum::extract::ConnectInfo(peer));
    if let Some(forwarded) = forwarded {
        builder = builder.header("x-forwarded-for", forwarded);
    }
    let request = builder.body(axum::body::Body::from(body)).unwrap();
    tower::ServiceExt::oneshot(router.clone(), request).await.unwrap().status()
}

async fn login_rate_limit_behind_proxy(app: &TestApp) {
    app.user("anna", "anna-password", false).await;
    let mut config = turnus_server::ServerConfig::new("127.0.0.1:8080".parse().unwrap());
    config.workers = 0;
    config.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap(), "fd00::1".parse().unwrap()];
    let router = turnus_server::router(turnus_server::AppState::new(app.store.clone(), config));

    // Through the trusted proxy, each client behind it has its own count.
    for _ in 0..5 {
        let status = login_via(&router, "10.0.0.2", Some("203.0.113.9"), "anna", "wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let blocked = login_via(&router, "10.0.0.2", Some("203.0.113.9"), "anna", "anna-password").await;
    assert_eq!(blocked, StatusCode::TOO_MANY_REQUESTS);
    let other = login_via(&router, "10.0.0.2", Some("203.0.113.10"), "anna", "anna-password").await;
    assert_eq!(other, StatusCode::OK, "another client behind the same proxy");
    let mapped = login_via(&router, "[fd00::1]", Some("203.0.113.9"), "anna", "anna-password").await;
    assert_eq!(mapped, StatusCode::TOO_MANY_REQUESTS, "the same client through the IPv6 proxy");

    // A client that writes its own header before the proxy appends the real address
    // cannot escape its count.
    for forged in ["198.51.100.1, 203.0.113.9", "10.0.0.99, 203.0.113.9", "garbage, 203.0.113.9"] {
        let status = login_via(&router, "10.0.0.2", Some(forged), "anna", "anna-password").await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{forged}");
    }

    // A peer that is not a trusted proxy is the client, whatever its header contains.
    for i in 0..5 {
        let forwarded = format!("198.51.100.{i}");
        let status = login_via(&router, "192.0.2.50", Some(&forwarded), "anna", "wrong").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    let spoofed = login_via(&router, "192.0.2.50", Some("198.51.100.77"), "anna", "anna-password").await;
    assert_eq!(spoofed, StatusCode::TOO_MANY_REQUESTS);

    // The server without trusted proxies ignores the header in the same way.
    let direct = login_from(app, "192.0.2.50", "anna", "anna-password").await;
    assert_eq!(direct, StatusCode::TOO_MANY_REQUESTS);
    let fresh = login_via(&app.app, "192.0.2.51", Some("203.0.113.10"), "anna", "anna-password").await;
    assert_eq!(fresh, StatusCode::OK);
}

async fn csrf_rejected(app: &TestApp) {
    app.user("admin", "admin-password-1", true).await;
    let auth = app.login("admin", "admin-password-1").await;
    let Auth::Cookie(cookie) = &auth else { unreachable!() };
    let body = json!({ "name": "Eken" }).to_string();

    let no_origin = app
        .send(
            axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/v1/units")
                .header("host", "127.0.0.1:8080")
                .header("cookie", cookie)
                .header("content-type", "application/json")
                .body(body.clone().into())
                .unwrap(),
        )
        .await;
    assert_eq!(no_origin.status, StatusCode::FORBIDDEN, "{}", no_origin.text);
    let cross = app
        .send(
            axum::http::Request::builder()
                .method(Method::POST)
                .uri("/api/v1/units")
                .header("host", "127.0.0.1:8080")
                .header("origin", "http://attacker.invalid")
                .header("cookie", cookie)
                .header("content-type", "application/json")
                .body(body.clone().into())
                .unwrap(),
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN, "{}", cross.text);
    // Reads need no origin, and a same-origin write passes.
    let read = app
        .send(
            axum::http::Request::builder()
                .uri("/api/v1/units")
                .header("host", "127.0.0.1:8080")
                .header("cookie", cookie)
                .body("".into())
                .unwrap(),
        )
        .await;
    assert_eq!(read.status, StatusCode::OK);
    let same = app.post("/api/v1/units", &auth, json!({ "name": "Eken" })).await;
    assert_eq!(same.status, StatusCode::CREATED, "{}", same.text);
    assert_eq!(app.get("/api/v1/units", &auth).await.body.as_array().unwrap().len(), 1);
}

async fn api_tokens(app: &TestApp) {
    app.user("admin", "admin-password-1", true).await;
    app.user("anna", "anna-password", false).await;
    let admin = app.login("admin", "admin-password-1").await;
    let created =
        app.post("/api/v1/tokens", &admin, json!({ "name": "lönesystem", "expires_in_days": 30 })).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let token = created.body["token"].as_str().unwrap().to_string();
    assert_eq!(token.len(), 64);

    // A token needs no origin for writes.
    let bearer = Auth::Bearer(token.clone());
    let unit = app.post("/api/v1/units", &bearer, json!({ "name": "Eken" })).await;
    assert_eq!(unit.status, StatusCode::CREATED, "{}", unit.text);
    let listed = app.get("/api/v1/tokens", &bearer).await;
    assert!(!listed.text.contains(&token), "the token secret is never listed");

    let id = created.body["record"]["id"].as_i64().unwrap();
    let revoked = app.json(Method::DELETE, &format!("/api/v1/tokens/{id}"), &admin, None).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT, "{}", revoked.text);
    assert_eq!(app.get("/api/v1/units", &bearer).await.status, StatusCode::UNAUTHORIZED);

    // A user without a chef grant cannot create tokens.
    let anna = app.login("anna", "anna-password").await;
    let denied = app.post("/api/v1/tokens", &anna, json!({ "name": "x" })).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
}

async fn unauthenticated_rejected(app: &TestApp) {
    let health = app.get("/api/v1/health", &Auth::None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.body["status"], "ok");
    let openapi = app.get("/api/v1/openapi.json", &Auth::None).await;
    assert_eq!(openapi.status, StatusCode::OK);
    assert_eq!(openapi.body["openapi"], "3.1.0");
    assert!(openapi.body["paths"]["/units/{unit}/assignments/{assignment}"]["put"].is_object());
    let reply = app.get("/api/v1/units", &Auth::None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reply.body["message"], "Logga in eller ange en API-token");
    let bad = app.get("/api/v1/units", &Auth::Bearer("0".repeat(64))).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
}

async fn username_taken(app: &TestApp) {
    app.user("admin", "admin-password-1", true).await;
    app.user("bo", "bos-password-1", false).await;
    let admin = app.login("admin", "admin-password-1").await;

    for (lang, expected) in [
        ("sv", "Användarnamnet bo är upptaget; välj ett annat"),
        ("en", "The user name bo is taken; choose another"),
    ] {
        let body = json!({ "username": "Bo", "password": "another-password" }).to_string();
        let request = app
            .builder(Method::POST, "/api/v1/users", &admin)
            .header("content-type", "application/json")
            .header("accept-language", lang)
            .body(body.into())
            .unwrap();
        let reply = app.send(request).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text);
        assert_eq!(reply.body["error"], "username_taken");
        assert_eq!(reply.body["message"], expected);
    }
}
