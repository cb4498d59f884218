//! The API's JSON request body. It reads the body like axum's `Json`, but rejects an
//! unreadable body with the API's error body in the client's language. The rejections are a
//! missing `Content-Type` (415), invalid JSON with its line and column (400), and a missing
//! field or invalid value with the field's path and the value sent (422).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use serde_path_to_error::Segment;

use crate::error::{ApiError, Detail};

/// A request body read as JSON into `T`.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        if !has_json_content_type(request.headers()) {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Begärans kropp ska vara JSON; ange rubriken Content-Type: application/json",
                "The request body must be JSON; send the header Content-Type: application/json",
            ));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            let status = rejection.status();
            if status == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    status,
                    "payload_too_large",
                    "Begärans kropp är för stor",
                    "The request body is too large",
                )
            } else {
                ApiError::new(
                    status,
                    "bad_request",
                    "Begärans kropp kunde inte läsas",
                    "The request body could not be read",
                )
            }
        })?;
        parse(&bytes).map(JsonBody)
    }
}

/// Checks whether `Content-Type` is `application/json` or a `+json` type, with any parameters.
fn has_json_content_type(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads `bytes` as one JSON value of type `T`.
///
/// # Errors
///
/// 400 `invalid_json` for a syntax error or trailing characters, 422 `invalid` for a value
/// that does not fit `T`, naming the field.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = match serde_path_to_error::deserialize(&mut deserializer) {
        Ok(value) => value,
        Err(error) => {
            let path: Vec<Segment> = error.path().iter().cloned().collect();
            return Err(rejection(bytes, &path, error.into_inner()));
        }
    };
    deserializer.end().map_err(|error| syntax_error(&error))?;
    Ok(value)
}

fn rejection(bytes: &[u8], path: &[Segment], error: serde_json::Error) -> ApiError {
    if !error.is_data() {
        return syntax_error(&error);
    }
    let message = without_position(&error);
    let mut field = field_path(path);

    // serde reports a missing field at the path of the object that lacks it.
    if let Some(missing) = quoted_after(&message, "missing field `") {
        let full = if field.is_empty() { missing } else { format!("{field}.{missing}") };
        return ApiError::unprocessable(
            format!("Fältet {full} saknas i begärans kropp"),
            format!("The field {full} is missing from the request body"),
        )
        .with_details(vec![Detail {
            fields: json!({ "field": full }),
            sv: "fältet krävs".into(),
            en: "the field is required".into(),
        }]);
    }
    if let Some(unknown) = quoted_after(&message, "unknown field `") {
        field = if field.is_empty() { unknown } else { format!("{field}.{unknown}") };
        return ApiError::unprocessable(
            format!("Fältet {field} är okänt: {message}"),
            format!("The field {field} is unknown: {message}"),
        )
        .with_details(vec![Detail {
            fields: json!({ "field": field }),
            sv: message.clone(),
            en: message,
        }]);
    }

    let root = serde_json::from_slice::<Value>(bytes).ok();
    // A flattened enum (a wish's `kind`) loses the path, so find the field by the value
    // that serde names.
    if field.is_empty()
        && let Some(variant) = quoted_after(&message, "unknown variant `")
        && let Some(Value::Object(map)) = &root
        && let Some((key, _)) = map.iter().find(|(_, v)| v.as_str() == Some(variant.as_str()))
    {
        field = key.clone();
    }
    let sent = root.as_ref().and_then(|root| {
        if path.is_empty() { root.get(field.as_str()).cloned() } else { value_at(root, path).cloned() }
    });
    let sent_text = sent.as_ref().map(|v| format!(" {v}")).unwrap_or_default();
    let hint_sv = hint_sv(&message);
    if field.is_empty() {
        return ApiError::unprocessable(
            format!("Begärans kropp har fel form{hint_sv}"),
            format!("The request body has the wrong shape: {message}"),
        );
    }
    ApiError::unprocessable(
        format!("Fältet {field} har ett ogiltigt värde{sent_text}{hint_sv}"),
        format!("The field {field} has an invalid value{sent_text}: {message}"),
    )
    .with_details(vec![Detail {
        fields: json!({ "field": field, "value": sent }),
        sv: format!("ogiltigt värde{hint_sv}"),
        en: message,
    }])
}

fn syntax_error(error: &serde_json::Error) -> ApiError {
    let (line, column) = (error.line(), error.column());
    ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid_json",
        format!("Begärans kropp är inte giltig JSON: fel på rad {line}, kolumn {column}"),
        format!(
            "The request body is not valid JSON: {} at line {line}, column {column}",
            without_position(error)
        ),
    )
    .with_details(vec![Detail {
        fields: json!({ "line": line, "column": column }),
        sv: "ogiltig JSON".into(),
        en: without_position(error),
    }])
}

/// Returns a Swedish hint for the value kinds that serde's English message names: a date or instant
/// that jiff cannot parse, or an enum value outside the allowed ones.
fn hint_sv(message: &str) -> String {
    if let Some((_, allowed)) = message.split_once("expected one of ") {
        return format!("; tillåtna värden: {}", allowed.replace('`', ""));
    }
    let lower = message.to_ascii_lowercase();
    let is_time = ["year", "month", "day", "hour", "minute", "date", "timestamp", "offset"]
        .iter()
        .any(|word| lower.contains(word));
    if lower.contains("failed to parse") && is_time {
        return "; skriv datum som ÅÅÅÅ-MM-DD och tidpunkter som 2027-01-31T23:00:00Z".into();
    }
    if let Some((_, expected)) = message.split_once(", expected ") {
        return format!("; väntade {expected}");
    }
    String::new()
}

/// Writes the path as dotted field names with `[i]` for array items; empty for the top level.
fn field_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Map { key } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

fn value_at<'a>(root: &'a Value, path: &[Segment]) -> Option<&'a Value> {
    let mut current = root;
    for segment in path {
        current = match segment {
            Segment::Map { key } => current.get(key.as_str())?,
            Segment::Seq { index } => current.get(*index)?,
            Segment::Enum { .. } | Segment::Unknown => return None,
        };
    }
    Some(current)
}

/// Returns serde_json's message without its " at line L column C" suffix.
fn without_position(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rsplit_once(" at line ") {
        Some((message, _)) => message.to_string(),
        None => text,
    }
}

/// Returns the text between `prefix` and the next backtick.
fn quoted_after(message: &str, prefix: &str) -> Option<String> {
    let rest = message.split_once(prefix)?.1;
    Some(rest.split('`').next()?.to_string())
}
