//! The response language, from `Accept-Language` (Swedish unless English is preferred), and
//! the middleware that renders error bodies in it.

use axum::extract::Request;
use axum::http::HeaderMap;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use turnus_core::Lang;

use crate::error::ErrorBody;

/// The first of `sv` and `en` in the client's `Accept-Language`, by quality; Swedish when
/// neither appears.
pub fn from_headers(headers: &HeaderMap) -> Lang {
    let Some(value) = headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) else {
        return Lang::Sv;
    };
    let mut best: Option<(f32, Lang)> = None;
    for item in value.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()))
            .unwrap_or(1.0);
        let lang = match tag.split('-').next() {
            Some("sv") => Lang::Sv,
            Some("en") => Lang::En,
            _ => continue,
        };
        if best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, lang));
        }
    }
    best.map_or(Lang::Sv, |(_, lang)| lang)
}

/// Renders the error bodies of responses in the request's language.
pub async fn localize(request: Request, next: Next) -> Response {
    let lang = from_headers(request.headers());
    let mut response = next.run(request).await;
    let Some(body) = response.extensions_mut().remove::<ErrorBody>() else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let json = axum::Json(body.render(lang));
    let rendered = json.into_response();
    let (rendered_parts, body) = rendered.into_parts();
    for (name, value) in &rendered_parts.headers {
        parts.headers.insert(name, value.clone());
    }
    Response::from_parts(parts, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(value: &str) -> Lang {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT_LANGUAGE, value.parse().unwrap());
        from_headers(&headers)
    }

    #[test]
    fn accept_language_picks_by_quality() {
        assert_eq!(lang("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(lang("sv-SE,en;q=0.5"), Lang::Sv);
        assert_eq!(lang("de, en;q=0.4, sv;q=0.8"), Lang::Sv);
        assert_eq!(lang("fr"), Lang::Sv);
        assert_eq!(from_headers(&HeaderMap::new()), Lang::Sv);
    }
}
