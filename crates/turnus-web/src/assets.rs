//! Static files compiled into the binary: htmx (vendored, see `static/README.md`), the
//! style sheet with its print rules, and the small script for the solve progress bar.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

/// `(file name, media type, bytes)` of every static file.
const FILES: &[(&str, &str, &[u8])] = &[
    ("htmx.min.js", "text/javascript; charset=utf-8", include_bytes!("../static/htmx.min.js")),
    ("turnus.css", "text/css; charset=utf-8", include_bytes!("../static/turnus.css")),
    ("turnus.js", "text/javascript; charset=utf-8", include_bytes!("../static/turnus.js")),
];

/// `GET /static/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, media_type, bytes)) => {
            ([(CONTENT_TYPE, *media_type), (CACHE_CONTROL, "public, max-age=3600")], *bytes).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
