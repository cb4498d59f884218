//! The test harness: an app on a fresh database per test (SQLite always, PostgreSQL when
//! `TURNUS_TEST_PG` is set), users made directly in the store, and a small JSON client.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use sqlx::Connection;
use tower::ServiceExt;
use turnus_server::{AppState, ServerConfig, hash_password, router};
use turnus_store::{Actor, Change, NewUser, Store, User};

/// The origin the test requests come from.
pub const ORIGIN: &str = "http://127.0.0.1:8080";

/// An app on a fresh database.
pub struct TestApp {
    pub app: Router,
    pub store: Store,
    schema: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

static NEXT_SCHEMA: AtomicU32 = AtomicU32::new(0);

/// Runs each named `async fn NAME(app: &TestApp)` as two tests, `NAME::sqlite` and
/// `NAME::postgres`.
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                let app = crate::common::sqlite().await;
                super::$name(&app).await;
                app.finish().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                let Some(app) = crate::common::postgres().await else { return };
                super::$name(&app).await;
                app.finish().await;
            }
        }
    )*};
}
pub(crate) use backend_tests;

fn config() -> ServerConfig {
    let mut config = ServerConfig::new("127.0.0.1:8080".parse().unwrap());
    config.workers = 0;
    config
}

fn app(store: Store) -> Router {
    router(AppState::new(store, config()))
}

pub async fn sqlite() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("turnus.db").display());
    let store = Store::open(&url).await.expect("open SQLite store");
    TestApp { app: app(store.clone()), store, schema: None, _dir: Some(dir) }
}

/// An app on a new schema of the `TURNUS_TEST_PG` database, or `None` when the variable is
/// unset outside CI.
///
/// # Panics
///
/// When `TURNUS_TEST_PG` is unset while `CI` is set: CI must run the PostgreSQL tests.
pub async fn postgres() -> Option<TestApp> {
    let Ok(base) = std::env::var("TURNUS_TEST_PG") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "TURNUS_TEST_PG is not set: CI must run the PostgreSQL tests (.ci/run starts a server)"
        );
        eprintln!("PostgreSQL test skipped: TURNUS_TEST_PG is not set");
        return None;
    };
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let schema = format!(
        "turnus_server_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT_SCHEMA.fetch_add(1, Ordering::Relaxed)
    );
    let mut admin = sqlx::PgConnection::connect(&base).await.expect("connect to TURNUS_TEST_PG");
    sqlx::raw_sql(&format!("CREATE SCHEMA {schema}")).execute(&mut admin).await.expect("create schema");
    admin.close().await.ok();

    let separator = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{separator}options[search_path]={schema}");
    let store = Store::open(&url).await.expect("open PostgreSQL store");
    Some(TestApp { app: app(store.clone()), store, schema: Some((base, schema)), _dir: None })
}

/// A response: status, headers and the body as JSON (`Null` when empty or not JSON).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

/// How a request signs in.
#[derive(Debug, Clone)]
pub enum Auth {
    None,
    /// A session cookie; unsafe requests carry the test origin.
    Cookie(String),
    Bearer(String),
}

impl TestApp {
    /// Closes the store and drops the PostgreSQL schema.
    pub async fn finish(self) {
        self.store.close().await;
        if let Some((base, schema)) = &self.schema {
            let mut admin = sqlx::PgConnection::connect(base).await.expect("connect to TURNUS_TEST_PG");
            sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE"))
                .execute(&mut admin)
                .await
                .expect("drop schema");
            admin.close().await.ok();
        }
    }

    /// Builds an app on the same database with the test settings changed by `edit`. Call
    /// [`TestApp::finish`] on the original only: the copy shares its store.
    pub fn with_config(&self, edit: impl FnOnce(&mut ServerConfig)) -> TestApp {
        let mut config = config();
        edit(&mut config);
        let app = router(AppState::new(self.store.clone(), config));
        TestApp { app, store: self.store.clone(), schema: None, _dir: None }
    }

    /// Sends a request and reads the whole answer. A JSON success body is checked against
    /// the response schema of its operation in the OpenAPI document.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let method = request.method().clone();
        let path = request.uri().path().to_string();
        let response = self.app.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        let text = String::from_utf8_lossy(&bytes).to_string();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        let is_json = headers.get("content-type").is_some_and(|v| v == "application/json");
        if status.is_success() && is_json {
            crate::schema::check_response(&method, &path, status, &body);
        }
        Reply { status, headers, body, text }
    }

    /// A request builder with the sign-in of `auth` and the test origin on cookie requests.
    pub fn builder(&self, method: Method, path: &str, auth: &Auth) -> axum::http::request::Builder {
        let mut builder = Request::builder().method(method).uri(path).header("host", "127.0.0.1:8080");
        match auth {
            Auth::None => {}
            Auth::Cookie(cookie) => builder = builder.header("cookie", cookie).header("origin", ORIGIN),
            Auth::Bearer(token) => builder = builder.header("authorization", format!("Bearer {token}")),
        }
        builder
    }

    /// Sends a JSON request.
    pub async fn json(&self, method: Method, path: &str, auth: &Auth, body: Option<Value>) -> Reply {
        let builder = self.builder(method, path, auth);
        let request = match body {
            Some(body) => {
                builder.header("content-type", "application/json").body(Body::from(body.to_string()))
            }
            None => builder.body(Body::empty()),
        };
        self.send(request.unwrap()).await
    }

    pub async fn get(&self, path: &str, auth: &Auth) -> Reply {
        self.json(Method::GET, path, auth, None).await
    }

    pub async fn post(&self, path: &str, auth: &Auth, body: Value) -> Reply {
        self.json(Method::POST, path, auth, Some(body)).await
    }

    /// Creates a user directly in the store.
    pub async fn user(&self, username: &str, password: &str, is_admin: bool) -> User {
        let user =
            NewUser { username: username.into(), password_hash: hash_password(password).unwrap(), is_admin };
        self.store.create_user(&user, &Change::by(Actor::System("test".into()))).await.expect("create user")
    }

    /// Signs in through the API and returns the session cookie.
    pub async fn login(&self, username: &str, password: &str) -> Auth {
        let reply = self
            .post(
                "/api/v1/login",
                &Auth::None,
                serde_json::json!({ "username": username, "password": password }),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "login of {username}: {}", reply.text);
        let cookie = reply.headers.get("set-cookie").expect("a session cookie").to_str().unwrap();
        Auth::Cookie(cookie.split(';').next().unwrap().to_string())
    }

    /// Uploads files as a multipart bundle import.
    pub async fn import(
        &self,
        unit: i64,
        auth: &Auth,
        files: &[(String, Vec<u8>)],
        lang: Option<&str>,
    ) -> Reply {
        let boundary = "turnus-test-boundary";
        let mut body = Vec::new();
        for (name, contents) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(contents);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut builder = self
            .builder(Method::POST, &format!("/api/v1/units/{unit}/import"), auth)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"));
        if let Some(lang) = lang {
            builder = builder.header("accept-language", lang);
        }
        self.send(builder.body(Body::from(body)).unwrap()).await
    }
}

/// The folder of a sample bundle.
pub fn example_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name)
}

/// The files of a sample bundle.
pub fn example_files(name: &str) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = std::fs::read_dir(example_dir(name))
        .expect("example folder")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "csv" || ext == "toml"))
        .map(|path| (path.file_name().unwrap().to_string_lossy().to_string(), std::fs::read(&path).unwrap()))
        .collect();
    files.sort();
    files
}

/// An admin, a unit with the sample bundle imported, and the ids.
pub struct Setup {
    pub admin: Auth,
    pub unit: i64,
    pub period: i64,
}

/// Signs in an admin, creates a unit and imports the särskilt boende sample into it.
pub async fn setup(app: &TestApp) -> Setup {
    app.user("admin", "admin-password-1", true).await;
    let admin = app.login("admin", "admin-password-1").await;
    let unit = app.post("/api/v1/units", &admin, serde_json::json!({ "name": "Linden" })).await;
    assert_eq!(unit.status, StatusCode::CREATED, "{}", unit.text);
    let unit = unit.body["id"].as_i64().unwrap();
    let period = app.import(unit, &admin, &example_files("sarskilt-boende"), None).await;
    assert_eq!(period.status, StatusCode::CREATED, "{}", period.text);
    Setup { admin, unit, period: period.body["id"].as_i64().unwrap() }
}

/// Creates a user and grants them `role` on `unit`, then signs them in.
pub async fn member(
    app: &TestApp,
    setup: &Setup,
    username: &str,
    role: &str,
    employee: Option<&str>,
) -> Auth {
    let password = format!("{username}-password");
    let user = app.user(username, &password, false).await;
    let grant = app
        .post(
            &format!("/api/v1/units/{}/grants", setup.unit),
            &setup.admin,
            serde_json::json!({ "user_id": user.id.get(), "role": role, "employee": employee }),
        )
        .await;
    assert_eq!(grant.status, StatusCode::CREATED, "{}", grant.text);
    app.login(username, &password).await
}

/// An RFC 3339 instant `seconds` from now.
pub fn from_now(seconds: i64) -> String {
    (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(seconds)).to_string()
}
