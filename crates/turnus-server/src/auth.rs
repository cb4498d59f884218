//! Who is calling: Argon2id password hashes, login and logout with server-side sessions in
//! the `turnus_session` cookie, API tokens in `Authorization: Bearer`, login rate limiting,
//! and CSRF protection.
//!
//! CSRF: a cookie-authenticated unsafe request (anything but GET, HEAD, OPTIONS) must carry
//! an `Origin` header naming an allowed origin, by default the origin of its own `Host`.
//! Browsers set `Origin` on every cross-site and every same-site unsafe `fetch` or form
//! post, and a page cannot forge it, so the check needs no token state on the server or in
//! the page. A request without `Origin` is accepted only with `Sec-Fetch-Site: same-origin`.
//! The cookie is also `SameSite=Strict`. Bearer-token requests are not checked: browsers
//! never attach the header on their own.

use std::net::SocketAddr;

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::header::{AUTHORIZATION, COOKIE, HOST, ORIGIN, SET_COOKIE, USER_AGENT};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use turnus_store::{Actor, Change, Grant, Role, Session, UnitId, User};

use crate::JsonBody;
use crate::error::{ApiError, ApiResult};
use crate::proxy::client_addr;
use crate::routes::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "turnus_session";

/// Hashes a password with Argon2id and a random salt, as a PHC string.
///
/// # Errors
///
/// Returns the hasher's message when hashing fails (it does not for valid parameters).
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// 32 random bytes as 64 hex digits: a session or API token.
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The signed-in user of a request with their grants.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user: User,
    pub grants: Vec<Grant>,
}

impl Caller {
    /// The change record for the audit log.
    pub fn change(&self) -> Change {
        Change::by(Actor::User(self.user.id))
    }

    /// The change record with a reason, when one is given.
    pub fn change_because(&self, reason: Option<&str>) -> Change {
        match reason.map(str::trim).filter(|r| !r.is_empty()) {
            Some(reason) => self.change().because(reason),
            None => self.change(),
        }
    }

    pub fn roles_on(&self, unit: UnitId) -> impl Iterator<Item = &Grant> {
        self.grants.iter().filter(move |g| g.unit_id == unit)
    }
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(name).and_then(|rest| rest.strip_prefix('=')))
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The client's IP address, when the server runs with connection info (tests through
/// `oneshot` have none unless they add it). Behind a trusted proxy it comes from
/// `X-Forwarded-For` as [`crate::proxy::client_addr`] describes.
pub struct ClientAddr(pub Option<String>);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<ClientAddr, Self::Rejection> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
        let trusted = &state.config.trusted_proxies;
        Ok(ClientAddr(peer.map(|peer| client_addr(peer, &parts.headers, trusted).to_string())))
    }
}

/// Checks the CSRF rule of the module documentation.
fn check_origin(headers: &HeaderMap, allowed: &[String]) -> ApiResult<()> {
    let rejected = || {
        ApiError::forbidden(
            "Begäran saknar en tillåten Origin-rubrik (skydd mot förfalskade begäranden); använd en API-token för skript",
            "The request lacks an allowed Origin header (protection against cross-site request forgery); use an API token for scripts",
        )
    };
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        let same_origin = headers.get("sec-fetch-site").is_some_and(|v| v == "same-origin");
        return if same_origin { Ok(()) } else { Err(rejected()) };
    };
    let origin = origin.trim_end_matches('/');
    let ok = if allowed.is_empty() {
        let host = headers.get(HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
        origin.split_once("://").is_some_and(|(_, rest)| !host.is_empty() && rest.eq_ignore_ascii_case(host))
    } else {
        allowed.iter().any(|a| a.trim_end_matches('/').eq_ignore_ascii_case(origin))
    };
    if ok { Ok(()) } else { Err(rejected()) }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Caller, ApiError> {
        if let Some(token) = bearer(&parts.headers) {
            let Some((_, user)) = state.store.find_api_token(token).await? else {
                return Err(ApiError::unauthenticated());
            };
            let grants = state.store.list_grants(user.id).await?;
            return Ok(Caller { user, grants });
        }

        let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE) else {
            return Err(ApiError::unauthenticated());
        };
        let Some((session, user, grants)) = state.store.find_session_with_grants(token).await? else {
            return Err(ApiError::unauthenticated());
        };
        let unsafe_method = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if unsafe_method {
            check_origin(&parts.headers, &state.config.allowed_origins)?;
        }
        let now = Timestamp::now();
        let ttl =
            SignedDuration::try_from(state.config.session_ttl).unwrap_or(SignedDuration::from_hours(12));
        let interval =
            SignedDuration::try_from(state.config.session_touch_interval).unwrap_or(SignedDuration::ZERO);
        if session_touch_due(&session, now, ttl, interval) {
            state.store.touch_session(token, now + ttl).await?;
        }
        Ok(Caller { user, grants })
    }
}

/// Returns whether a request on `session` at `now` writes the session's new expiry and
/// last use. A write on every request would make each read request a database write, so the
/// write waits until `interval` has passed since the last one. The interval is capped at
/// half of `ttl`, so a session in use is written again long before it expires.
fn session_touch_due(
    session: &Session,
    now: Timestamp,
    ttl: SignedDuration,
    interval: SignedDuration,
) -> bool {
    let interval = interval.min(ttl / 2);
    now.duration_since(session.last_seen_at) >= interval
}

/// Body of `POST /api/v1/login`.
#[derive(Debug, Deserialize)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// What a signed-in user sees of themselves.
#[derive(Debug, Serialize)]
pub struct Me {
    pub user: User,
    pub grants: Vec<Grant>,
}

/// The `Set-Cookie` value of a session: the token for `max_age` seconds, or an empty value
/// with `max_age` 0 to end it.
pub fn session_cookie(state: &AppState, token: &str, max_age: u64) -> HeaderValue {
    let secure = if state.config.secure_cookie { "; Secure" } else { "" };
    let value =
        format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("turnus_session=; Max-Age=0"))
}

/// The session token of the request's cookie, if any.
pub fn session_token(headers: &HeaderMap) -> Option<&str> {
    cookie_value(headers, SESSION_COOKIE)
}

/// Checks a password under the login rate limits and starts a session. Returns the user,
/// their grants and the `Set-Cookie` value; the API login and the web login form share it.
///
/// # Errors
///
/// 429 when the rate limit is reached, 401 for a wrong user name or password, 500 when the
/// store fails.
pub async fn start_session(
    state: &AppState,
    username: &str,
    password: &str,
    addr: Option<&str>,
    user_agent: Option<&str>,
) -> ApiResult<(Me, HeaderValue)> {
    let window = SignedDuration::try_from(state.config.login_window).unwrap_or(SignedDuration::from_mins(15));
    let failures = state.store.failed_logins_since(username, addr, Timestamp::now() - window).await?;
    let config = &state.config;
    if failures.by_username_and_addr >= config.max_failed_logins
        || failures.by_remote_addr >= config.max_failed_logins_per_addr
        || failures.by_username >= config.max_failed_logins_per_name
    {
        tracing::warn!(username = %username, addr = ?addr, ?failures, "login rate limit reached");
        // Failures count within the window, so waiting one whole window always clears them.
        let wait_secs = state.config.login_window.as_secs();
        let minutes = wait_secs.div_ceil(60).max(1);
        let (unit_sv, unit_en) = if minutes == 1 { ("minut", "minute") } else { ("minuter", "minutes") };
        return Err(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_attempts",
            format!("För många misslyckade inloggningar; vänta {minutes} {unit_sv} och försök igen"),
            format!("Too many failed logins; wait {minutes} {unit_en} and try again"),
        )
        .retry_after(wait_secs));
    }

    let user = state.store.find_user(username).await?;
    // Verify against a fixed hash when the user is unknown, so the answer takes as long.
    let hash = user
        .as_ref()
        .filter(|u| !u.disabled)
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| state.dummy_hash.clone());
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|_| ApiError::internal())?;
    let user = match user {
        Some(user) if matches && !user.disabled => user,
        _ => {
            state.store.record_login_attempt(username, addr, false).await?;
            tracing::info!(username = %username, addr = ?addr, "login failed");
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "bad_credentials",
                "Fel användarnamn eller lösenord",
                "Wrong user name or password",
            ));
        }
    };
    state.store.record_login_attempt(username, addr, true).await?;

    let token = new_token();
    let ttl = SignedDuration::try_from(state.config.session_ttl).unwrap_or(SignedDuration::from_hours(12));
    let change = Change::by(Actor::User(user.id));
    state.store.create_session(user.id, &token, Timestamp::now() + ttl, user_agent, addr, &change).await?;
    let grants = state.store.list_grants(user.id).await?;
    tracing::info!(user = %user.id, "signed in");
    let cookie = session_cookie(state, &token, state.config.session_ttl.as_secs());
    Ok((Me { user, grants }, cookie))
}

/// `POST /api/v1/login`: checks the password and starts a session.
pub async fn login(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    JsonBody(request): JsonBody<LoginRequest>,
) -> ApiResult<Response> {
    let user_agent = headers.get(USER_AGENT).and_then(|v| v.to_str().ok());
    let (me, cookie) =
        start_session(&state, &request.username, &request.password, addr.as_deref(), user_agent).await?;
    let mut response = Json(me).into_response();
    response.headers_mut().insert(SET_COOKIE, cookie);
    Ok(response)
}

/// `POST /api/v1/logout`: ends the session of the cookie.
pub async fn logout(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> ApiResult<Response> {
    if let Some(token) = cookie_value(&headers, SESSION_COOKIE) {
        state.store.delete_session(token, &caller.change()).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(SET_COOKIE, session_cookie(&state, "", 0));
    Ok(response)
}

/// `GET /api/v1/me`.
pub async fn me(caller: Caller) -> Json<Me> {
    Json(Me { user: caller.user, grants: caller.grants })
}

/// Body of `POST /api/v1/tokens`.
#[derive(Debug, Deserialize)]
pub struct NewTokenRequest {
    pub name: String,
    /// Days until the token expires; none for a token that lasts until revoked.
    pub expires_in_days: Option<u32>,
}

/// `POST /api/v1/tokens`: admins and chefs create API tokens for their own account. The
/// token is shown in this answer only.
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<NewTokenRequest>,
) -> ApiResult<Response> {
    if !caller.user.is_admin && !caller.grants.iter().any(|g| g.role == Role::Manager) {
        return Err(ApiError::forbidden(
            "Bara administratörer och chefer skapar API-tokens",
            "Only admins and chefs create API tokens",
        ));
    }
    let token = new_token();
    let expires_at = request
        .expires_in_days
        .map(|days| Timestamp::now() + SignedDuration::from_hours(24 * i64::from(days)));
    let record = state
        .store
        .create_api_token(caller.user.id, &request.name, &token, expires_at, &caller.change())
        .await?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "token": token, "record": record }))).into_response())
}

/// `GET /api/v1/tokens`: the caller's tokens, without their secrets.
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<turnus_store::ApiToken>>> {
    Ok(Json(state.store.list_api_tokens(caller.user.id).await?))
}

/// `DELETE /api/v1/tokens/{id}`.
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> ApiResult<StatusCode> {
    state.store.revoke_api_token(caller.user.id, turnus_store::TokenId(id), &caller.change()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_round_trip() {
        let hash = hash_password("korrekt häst").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("korrekt häst", &hash));
        assert!(!verify_password("fel", &hash));
        assert!(!verify_password("korrekt häst", "not a hash"));
    }

    fn session_last_seen(last_seen_at: Timestamp) -> Session {
        Session {
            id: turnus_store::SessionId(1),
            user_id: turnus_store::UserId(1),
            created_at: last_seen_at,
            expires_at: last_seen_at + SignedDuration::from_hours(12),
            last_seen_at,
            user_agent: None,
            remote_addr: None,
        }
    }

    #[test]
    fn session_touch_waits_for_interval() {
        let seen: Timestamp = "2026-03-02T08:00:00Z".parse().unwrap();
        let session = session_last_seen(seen);
        let ttl = SignedDuration::from_hours(12);
        let minute = SignedDuration::from_mins(1);
        assert!(!session_touch_due(&session, seen, ttl, minute));
        assert!(!session_touch_due(&session, seen + SignedDuration::from_secs(59), ttl, minute));
        assert!(session_touch_due(&session, seen + minute, ttl, minute));
        assert!(session_touch_due(&session, seen + SignedDuration::from_hours(2), ttl, minute));
    }

    #[test]
    fn session_touch_every_request_without_interval() {
        let seen: Timestamp = "2026-03-02T08:00:00Z".parse().unwrap();
        let session = session_last_seen(seen);
        let ttl = SignedDuration::from_hours(12);
        assert!(session_touch_due(&session, seen, ttl, SignedDuration::ZERO));
    }

    #[test]
    fn session_touch_interval_capped_at_half_ttl() {
        let seen: Timestamp = "2026-03-02T08:00:00Z".parse().unwrap();
        let session = session_last_seen(seen);
        let ttl = SignedDuration::from_secs(60);
        let hour = SignedDuration::from_hours(1);
        assert!(!session_touch_due(&session, seen + SignedDuration::from_secs(29), ttl, hour));
        assert!(session_touch_due(&session, seen + SignedDuration::from_secs(30), ttl, hour));
    }

    #[test]
    fn origin_check() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(check_origin(&headers, &[]).is_err());
        headers.insert(ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(check_origin(&headers, &[]).is_ok());
        headers.insert(ORIGIN, "http://evil.example".parse().unwrap());
        assert!(check_origin(&headers, &[]).is_err());
        assert!(check_origin(&headers, &["http://evil.example".into()]).is_ok());
    }
}
