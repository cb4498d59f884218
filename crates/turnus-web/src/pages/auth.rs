//! Log in and log out through the API's sessions, and the language switch.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::{SET_COOKIE, USER_AGENT};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use turnus_server::routes::AppState;
use turnus_server::{Caller, ClientAddr};

use crate::i18n::Texts;
use crate::ui::{Chrome, LANG_COOKIE, Ui, WebResult, page, page_with, redirect, safe_back, user_error};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    ui: Chrome,
    t: Texts,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /login`.
pub async fn login_form(ui: Ui, Query(query): Query<NextQuery>) -> WebResult<Response> {
    page(&LoginPage {
        ui: Chrome::new(&ui, None),
        t: ui.t,
        next: safe_back(query.next.as_deref()),
        username: String::new(),
        error: None,
    })
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

/// `POST /login`: starts a session like `POST /api/v1/login` and goes on to `next`.
pub async fn login(
    State(state): State<AppState>,
    ui: Ui,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> WebResult<Response> {
    let next = safe_back(form.next.as_deref());
    let user_agent = headers.get(USER_AGENT).and_then(|v| v.to_str().ok());
    match turnus_server::start_session(
        &state,
        form.username.trim(),
        &form.password,
        addr.as_deref(),
        user_agent,
    )
    .await
    {
        Ok((_, cookie)) => {
            let mut response = redirect(&ui, &next);
            response.headers_mut().insert(SET_COOKIE, cookie);
            Ok(response)
        }
        Err(error) => {
            let body = error.render(ui.t.lang);
            let status = error.status;
            let message = body["message"].as_str().unwrap_or_default().to_string();
            page_with(
                status,
                &LoginPage {
                    ui: Chrome::new(&ui, None),
                    t: ui.t,
                    next,
                    username: form.username,
                    error: Some(message),
                },
            )
        }
    }
}

/// `POST /logout`: ends the session and returns to the login page.
pub async fn logout(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, turnus_server::ApiError>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let caller = caller?;
    if let Some(token) = turnus_server::session_token(&headers) {
        state.store.delete_session(token, &caller.change()).await?;
    }
    tracing::info!(user = %caller.user.id, "signed out");
    let mut response = redirect(&ui, "/login");
    response.headers_mut().insert(SET_COOKIE, turnus_server::session_cookie(&state, "", 0));
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    to: String,
    back: Option<String>,
}

/// `GET /lang?to=en&back=/path`: keeps the language in a cookie for a year and returns to
/// the page.
pub async fn switch_lang(ui: Ui, Query(query): Query<LangQuery>) -> WebResult<Response> {
    let code = match query.to.as_str() {
        "sv" | "en" => query.to.as_str(),
        _ => {
            return Err(user_error(StatusCode::BAD_REQUEST, "error.bad_language", &query.to));
        }
    };
    let mut response = redirect(&ui, &safe_back(query.back.as_deref()));
    let cookie = format!("{LANG_COOKIE}={code}; Path=/; Max-Age=31536000; SameSite=Lax");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    Ok(response)
}
