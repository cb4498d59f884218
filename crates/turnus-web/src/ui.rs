//! The parts every page shares: the request's language (the `turnus_lang` cookie, else
//! `Accept-Language`), the page chrome with the signed-in user and the language switch,
//! rendering templates, redirects that work for htmx requests, and error pages.

use askama::Template;
use axum::extract::{FromRequestParts, Request};
use axum::http::header::{ACCEPT_LANGUAGE, CONTENT_TYPE, COOKIE, LOCATION};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use turnus_core::Lang;
use turnus_server::{ApiError, Caller};

use crate::i18n::Texts;

/// Name of the cookie that keeps the chosen language.
pub const LANG_COOKIE: &str = "turnus_lang";

/// Returns the request's language: the cookie when it names `sv` or `en`, else `Accept-Language`.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    let cookie = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('='));
    match cookie {
        Some("sv") => Lang::Sv,
        Some("en") => Lang::En,
        _ if headers.contains_key(ACCEPT_LANGUAGE) => turnus_server::lang::from_headers(headers),
        _ => Lang::Sv,
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// A local path to return to after a form: it must start with one `/`, so that a link
/// cannot send the user to another site.
pub fn safe_back(back: Option<&str>) -> String {
    match back {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

/// Request facts every handler needs: the texts in the request's language, the path and
/// query (for the language switch), and whether htmx sent the request.
#[derive(Debug, Clone)]
pub struct Ui {
    pub t: Texts,
    pub path: String,
    pub htmx: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for Ui {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Ui, Self::Rejection> {
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
        Ok(Ui {
            t: Texts::new(request_lang(&parts.headers)),
            path,
            htmx: parts.headers.contains_key("hx-request"),
        })
    }
}

/// A link of the main navigation.
#[derive(Debug, Clone)]
pub struct NavLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

/// The frame around every page: texts, the signed-in user, the navigation and the links of
/// the language switch.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub t: Texts,
    pub user: Option<String>,
    pub nav: Vec<NavLink>,
    pub switch_sv: String,
    pub switch_en: String,
}

impl Chrome {
    /// Builds the frame for a caller, signed in or not. The navigation links the start page, the
    /// staff view for callers linked to an employee, and the whole audit log for admins.
    pub fn new(ui: &Ui, caller: Option<&Caller>) -> Chrome {
        let t = ui.t;
        let back = encode_query(&ui.path);
        let mut nav = Vec::new();
        if let Some(caller) = caller {
            nav.push(NavLink { href: "/".into(), label: t.t("nav.start").into(), current: ui.path == "/" });
            if caller.grants.iter().any(|g| g.employee.is_some()) {
                nav.push(NavLink {
                    href: "/my".into(),
                    label: t.t("nav.my_schedule").into(),
                    current: ui.path.starts_with("/my"),
                });
            }
            if caller.user.is_admin {
                nav.push(NavLink {
                    href: "/audit".into(),
                    label: t.t("nav.audit_all").into(),
                    current: ui.path.starts_with("/audit"),
                });
            }
        }
        Chrome {
            t,
            user: caller.map(|c| c.user.username.clone()),
            nav,
            switch_sv: format!("/lang?to=sv&back={back}"),
            switch_en: format!("/lang?to=en&back={back}"),
        }
    }
}

/// An error of a page handler. The middleware [`render_errors`] turns it into an HTML page
/// (or, for htmx, a message in the page's message area) in the request's language.
#[derive(Debug)]
pub enum WebError {
    Api(ApiError),
}

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> WebError {
        WebError::Api(e)
    }
}

impl From<turnus_store::StoreError> for WebError {
    fn from(e: turnus_store::StoreError) -> WebError {
        WebError::Api(e.into())
    }
}

impl From<askama::Error> for WebError {
    fn from(e: askama::Error) -> WebError {
        tracing::error!(error = %e, "template failed");
        WebError::Api(ApiError::internal())
    }
}

/// The error of a response, for [`render_errors`].
#[derive(Debug, Clone)]
struct ErrorPage(ApiError);

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let WebError::Api(error) = self;
        let mut response = error.status.into_response();
        response.extensions_mut().insert(ErrorPage(error));
        response
    }
}

pub type WebResult<T> = Result<T, WebError>;

/// Builds an error for bad input from the text of `key` in both translation files, with
/// `{0}` filled with `value`.
pub fn user_error(status: StatusCode, key: &str, value: impl std::fmt::Display) -> WebError {
    let value = value.to_string();
    WebError::Api(ApiError::new(
        status,
        "invalid",
        Texts::new(Lang::Sv).f1(key, &value),
        Texts::new(Lang::En).f1(key, &value),
    ))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    ui: Chrome,
    status: u16,
    message: String,
    details: Vec<String>,
}

#[derive(Template)]
#[template(path = "error_fragment.html")]
struct ErrorFragment {
    t: Texts,
    message: String,
    details: Vec<String>,
}

/// Renders the [`WebError`]s of page handlers: 401 becomes a redirect to the login page,
/// other errors an HTML page or, for htmx requests, a message swapped into `#messages`.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let ui = {
        let (mut parts, body) = request.into_parts();
        let ui = match Ui::from_request_parts(&mut parts, &()).await {
            Ok(ui) => ui,
            Err(never) => match never {},
        };
        let request = Request::from_parts(parts, body);
        (ui, request)
    };
    let (ui, request) = ui;
    let mut response = next.run(request).await;
    let Some(ErrorPage(error)) = response.extensions_mut().remove::<ErrorPage>() else {
        return response;
    };
    if error.status == StatusCode::UNAUTHORIZED {
        return redirect(&ui, &format!("/login?next={}", encode_query(&ui.path)));
    }
    let body = error.render(ui.t.lang);
    let message = body["message"].as_str().unwrap_or_default().to_string();
    let details =
        body["details"].as_array().map(|items| items.iter().map(detail_line).collect()).unwrap_or_default();
    if ui.htmx {
        let fragment = ErrorFragment { t: ui.t, message, details };
        let mut response = html(error.status, fragment.render().unwrap_or_default());
        response.headers_mut().insert("hx-retarget", HeaderValue::from_static("#messages"));
        response.headers_mut().insert("hx-reswap", HeaderValue::from_static("innerHTML"));
        return response;
    }
    let page = ErrorTemplate { ui: Chrome::new(&ui, None), status: error.status.as_u16(), message, details };
    html(error.status, page.render().unwrap_or_default())
}

/// Formats an error detail as one line, `file:line:column: message` for bundle errors.
pub fn detail_line(detail: &serde_json::Value) -> String {
    let message = detail["message"].as_str().unwrap_or_default();
    let mut place = Vec::new();
    if let Some(file) = detail["file"].as_str() {
        place.push(file.to_string());
    }
    for key in ["line", "column"] {
        if let Some(n) = detail[key].as_u64() {
            place.push(n.to_string());
        }
    }
    let place = place.join(":");
    // A bundle error's message already starts with its place.
    if place.is_empty() || message.starts_with(&format!("{place}:")) {
        message.to_string()
    } else {
        format!("{place}: {message}")
    }
}

/// Builds an HTML response with a status.
pub fn html(status: StatusCode, body: String) -> Response {
    let mut response = (status, Html(body)).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    response
}

/// Renders a template as a 200 page.
pub fn page(template: &impl Template) -> WebResult<Response> {
    Ok(html(StatusCode::OK, template.render()?))
}

/// Renders a template with another status, such as 422 for a form with errors.
pub fn page_with(status: StatusCode, template: &impl Template) -> WebResult<Response> {
    Ok(html(status, template.render()?))
}

/// Sends the browser to `to`: `HX-Redirect` for htmx requests, else 303 See Other.
pub fn redirect(ui: &Ui, to: &str) -> Response {
    let value = HeaderValue::from_str(to).unwrap_or_else(|_| HeaderValue::from_static("/"));
    if ui.htmx {
        let mut response = StatusCode::OK.into_response();
        response.headers_mut().insert("hx-redirect", value);
        return response;
    }
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(LOCATION, value);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detail_line_names_place_once() {
        let bare = serde_json::json!({"file": "shifts.csv", "line": 3, "message": "ogiltig tid"});
        assert_eq!(detail_line(&bare), "shifts.csv:3: ogiltig tid");
        let placed =
            serde_json::json!({"file": "shifts.csv", "line": 3, "message": "shifts.csv:3: ogiltig tid"});
        assert_eq!(detail_line(&placed), "shifts.csv:3: ogiltig tid");
        let nowhere = serde_json::json!({"message": "saknas"});
        assert_eq!(detail_line(&nowhere), "saknas");
    }

    #[test]
    fn back_path_stays_local() {
        assert_eq!(safe_back(Some("/units/1")), "/units/1");
        assert_eq!(safe_back(Some("//evil.example")), "/");
        assert_eq!(safe_back(Some("https://evil.example")), "/");
        assert_eq!(safe_back(Some("/\\evil")), "/");
        assert_eq!(safe_back(None), "/");
    }

    #[test]
    fn lang_cookie_wins_over_header() {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_LANGUAGE, "en".parse().unwrap());
        assert_eq!(request_lang(&headers), Lang::En);
        headers.insert(COOKIE, "a=b; turnus_lang=sv".parse().unwrap());
        assert_eq!(request_lang(&headers), Lang::Sv);
        assert_eq!(request_lang(&HeaderMap::new()), Lang::Sv);
    }

    #[test]
    fn query_encoding() {
        assert_eq!(encode_query("/units/1?v=2&x=å"), "/units/1%3Fv%3D2%26x%3D%C3%A5");
    }
}
