//! Exports of a schedule version as files: `schedule.csv`, an XLSX workbook (a sheet per
//! ISO week and a summary) and an iCalendar file per employee, written by turnus-export.
//! Planners export any version of their unit; a medarbetare only the published one.

use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use turnus_core::{Lang, Problem, Schedule};
use turnus_export::{ExportError, ExportFormat, ExportOptions};
use turnus_store::{UnitId, VersionId, VersionKind};

use super::AppState;
use crate::access::{self, ANY_ROLE};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Query of `GET …/versions/{version}/export`.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    /// `csv`, `xlsx` or `ics`.
    pub format: String,
    /// The employee id; required for `ics`, and limits the rows of the other formats.
    pub employee: Option<String>,
    /// `sv` or `en`; without it, the language of `Accept-Language`.
    pub lang: Option<String>,
}

/// Parses `format`, or returns a 422 error that lists the supported formats.
fn parse_format(text: &str) -> ApiResult<ExportFormat> {
    text.parse().map_err(|_| {
        ApiError::unprocessable(
            format!("Okänt exportformat {text:?}; välj csv, xlsx eller ics"),
            format!("Unknown export format {text:?}; choose csv, xlsx or ics"),
        )
    })
}

/// Picks the language of `lang=sv|en`, else of `Accept-Language`.
pub(crate) fn pick_lang(query: Option<&str>, headers: &HeaderMap) -> ApiResult<Lang> {
    match query.map(|l| l.trim().to_ascii_lowercase()) {
        None => Ok(crate::lang::from_headers(headers)),
        Some(l) if l == "sv" => Ok(Lang::Sv),
        Some(l) if l == "en" => Ok(Lang::En),
        Some(other) => Err(ApiError::unprocessable(
            format!("Okänt språk {other:?}; välj sv eller en"),
            format!("Unknown language {other:?}; choose sv or en"),
        )),
    }
}

/// Keeps letters, digits, `-` and `_` of a file name part, so it is safe in a header.
fn file_part(text: &str) -> String {
    let kept: String =
        text.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').take(40).collect();
    if kept.is_empty() { "x".into() } else { kept }
}

/// Writes the file on a blocking thread, because the XLSX summary needs an evaluation of
/// the whole schedule.
pub(crate) async fn render(
    problem: Problem,
    schedule: Schedule,
    format: ExportFormat,
    options: ExportOptions,
) -> ApiResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || {
        let evaluation = turnus_core::evaluate(&problem, &schedule).map_err(|errors| {
            ApiError::unprocessable(
                format!("Periodens indata är motsägelsefull: {} fel", errors.len()),
                format!("The period's input is contradictory: {} errors", errors.len()),
            )
        })?;
        turnus_export::export(&problem, &schedule, &evaluation, format, &options).map_err(export_error)
    })
    .await
    .map_err(|_| ApiError::internal())?
}

/// Maps an export failure to an API error a client can act on.
pub(crate) fn export_error(e: ExportError) -> ApiError {
    match e {
        ExportError::EmployeeRequired => ApiError::unprocessable(
            "En iCalendar-export gäller en medarbetare; ange employee=ID",
            "An iCalendar export is per employee; give employee=ID",
        ),
        ExportError::UnknownEmployee(id) => ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("Medarbetaren {id:?} finns inte i perioden"),
            format!("Employee {id:?} is not in the period"),
        ),
        other => {
            tracing::error!(error = %other, "export failed");
            ApiError::internal()
        }
    }
}

/// Builds a file response with its media type and a download name.
pub(crate) fn file_response(format: ExportFormat, name: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}.{}\"", format.extension());
    let mut response = (StatusCode::OK, bytes).into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    // A schedule names staff: keep it out of shared caches.
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// `GET /api/v1/units/{unit}/versions/{version}/export?format=csv|xlsx|ics&employee=&lang=`.
pub async fn export_version(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, version)): Path<(i64, i64)>,
    Query(query): Query<ExportQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    let format = parse_format(&query.format)?;
    let lang = pick_lang(query.lang.as_deref(), &headers)?;
    let found = state.store.get_version(access.unit, VersionId(version)).await?;
    // Staff see only the published schedule, so a proposal returns 404 as if it did not exist.
    if !access.is_planner() && found.kind != VersionKind::Published {
        return Err(ApiError::not_found("Schemaversionen", "The schedule version"));
    }
    let problem = state.store.load_problem(access.unit, found.period_id).await?;
    let schedule = state.store.version_schedule(access.unit, found.id).await?;
    let employee = query.employee.map(|e| e.trim().to_string()).filter(|e| !e.is_empty());

    let mut options = ExportOptions::new(lang);
    options.employee.clone_from(&employee);
    let bytes = render(problem, schedule, format, options).await?;
    let name = match &employee {
        Some(id) => format!("turnus-{unit}-v{version}-{}", file_part(id)),
        None => format!("turnus-{unit}-v{version}"),
    };
    Ok(file_response(format, &name, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_safe_characters_only() {
        assert_eq!(file_part("1001"), "1001");
        assert_eq!(file_part("a\"b; c/../d"), "abcd");
        assert_eq!(file_part("åäö"), "x");
    }
}
