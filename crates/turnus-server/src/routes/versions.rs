//! Schedule versions: proposals and the published schedule with their assignments, score and
//! findings. A change of one assignment names its row version and returns the rule findings
//! the change touches. Publishing checks the notice period.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header::{ETAG, IF_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use turnus_core::{Assignment, Finding, Score};
use turnus_store::{
    AssignmentEdit, AssignmentId, AssignmentRecord, PeriodId, Publication, UnitId, VersionId, VersionKind,
    VersionRecord,
};

use super::AppState;
use crate::JsonBody;
use crate::access::{self, ANY_ROLE, MANAGERS, PLANNERS};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// The row version named by `If-Match: "N"` (a weak tag `W/"N"` is accepted too).
pub fn expected_row_version(headers: &HeaderMap) -> ApiResult<i64> {
    let missing = || {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "if_match_required",
            "Ange radversionen du läste i rubriken If-Match, t.ex. If-Match: \"3\"",
            "Give the row version you read in the If-Match header, e.g. If-Match: \"3\"",
        )
    };
    let value = headers.get(IF_MATCH).and_then(|v| v.to_str().ok()).ok_or_else(missing)?;
    value.trim().trim_start_matches("W/").trim_matches('"').parse().map_err(|_| missing())
}

fn etag(row_version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{row_version}\"")).unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

/// A version with its assignments.
#[derive(Debug, Serialize)]
pub struct VersionWithAssignments {
    pub version: VersionRecord,
    pub assignments: Vec<AssignmentRecord>,
}

/// `GET /api/v1/units/{unit}/periods/{period}/versions` (chef, schemaläggare).
pub async fn list_versions(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
) -> ApiResult<Json<Vec<VersionRecord>>> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    Ok(Json(state.store.list_versions(access.unit, PeriodId(period)).await?))
}

/// `GET /api/v1/units/{unit}/versions/{version}`. Staff reach only the published version.
pub async fn get_version(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, version)): Path<(i64, i64)>,
) -> ApiResult<Json<VersionWithAssignments>> {
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    let found = state.store.get_version(access.unit, VersionId(version)).await?;
    if !access.is_planner() && found.kind != VersionKind::Published {
        return Err(ApiError::not_found("Schemaversionen", "The schedule version"));
    }
    let assignments = state.store.list_assignments(access.unit, found.id).await?;
    Ok(Json(VersionWithAssignments { version: found, assignments }))
}

/// `GET /api/v1/units/{unit}/periods/{period}/published`: the published schedule, for
/// every role on the unit.
pub async fn published(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
) -> ApiResult<Json<VersionWithAssignments>> {
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    let versions = state.store.list_versions(access.unit, PeriodId(period)).await?;
    let Some(found) = versions.into_iter().find(|v| v.kind == VersionKind::Published) else {
        return Err(ApiError::not_found("Ett publicerat schema", "A published schedule"));
    };
    let assignments = state.store.list_assignments(access.unit, found.id).await?;
    Ok(Json(VersionWithAssignments { version: found, assignments }))
}

/// Body of `PUT /api/v1/units/{unit}/assignments/{assignment}`.
#[derive(Debug, Deserialize)]
pub struct AssignmentRequest {
    #[serde(flatten)]
    pub assignment: Assignment,
    /// Reason for breaking a hard rule here, kept with the assignment.
    pub override_reason: Option<String>,
}

/// Response to an assignment change.
#[derive(Debug, Serialize)]
pub struct AssignmentChange {
    pub assignment: AssignmentRecord,
    pub score_before: Score,
    pub score: Score,
    /// Findings of the whole version that concern the changed employee, or the cover of the
    /// changed date.
    pub findings: Vec<Finding>,
}

/// `PUT /api/v1/units/{unit}/assignments/{assignment}` (chef, schemaläggare) with
/// `If-Match: "ROW_VERSION"`: 409 when someone changed the row since it was read.
pub async fn update_assignment(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, assignment)): Path<(i64, i64)>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<AssignmentRequest>,
) -> ApiResult<Response> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    let expected = expected_row_version(&headers)?;
    let change = caller.change_because(request.override_reason.as_deref());
    let edit = AssignmentEdit { assignment: request.assignment, override_reason: request.override_reason };
    let record = state
        .store
        .update_assignment(access.unit, AssignmentId(assignment), expected, &edit, &change)
        .await?;

    let version = state.store.get_version(access.unit, record.version_id).await?;
    let problem = state.store.load_problem(access.unit, version.period_id).await?;
    let schedule = state.store.version_schedule(access.unit, version.id).await?;
    let evaluation = tokio::task::spawn_blocking(move || turnus_core::evaluate(&problem, &schedule))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|errors| {
            ApiError::unprocessable(
                format!("Periodens indata är motsägelsefull: {}", errors.len()),
                format!("The period's input is contradictory: {}", errors.len()),
            )
        })?;
    let findings_json = serde_json::to_value(&evaluation.findings).map_err(|_| ApiError::internal())?;
    state
        .store
        .set_version_evaluation(access.unit, version.id, evaluation.score, &findings_json, &change)
        .await?;

    let changed = &record.assignment;
    let findings = evaluation
        .findings
        .into_iter()
        .filter(|f| match &f.employee {
            Some(employee) => *employee == changed.employee,
            None => {
                f.from.is_some_and(|from| from <= changed.date) && f.to.is_none_or(|to| changed.date <= to)
            }
        })
        .collect();
    let row_version = record.row_version;
    let body = AssignmentChange {
        assignment: record,
        score_before: version.score,
        score: evaluation.score,
        findings,
    };
    let mut response = Json(body).into_response();
    response.headers_mut().insert(ETAG, etag(row_version));
    Ok(response)
}

/// Body of `POST …/publish`.
#[derive(Debug, Deserialize)]
pub struct PublishRequest {
    pub version_id: i64,
    /// Required when fewer days than the unit's notice period remain before the start.
    pub reason: Option<String>,
    /// Required when the version breaks hard rules: the manager's reason to publish it
    /// anyway, stored in the audit row.
    #[serde(default)]
    pub override_reason: Option<String>,
}

/// `POST /api/v1/units/{unit}/periods/{period}/publish` (chef). A version with hard findings
/// is rejected with 422 `hard_findings` unless the request gives `override_reason`.
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
    JsonBody(request): JsonBody<PublishRequest>,
) -> ApiResult<Json<Publication>> {
    let access = access::require(&caller, UnitId(unit), MANAGERS)?;
    let version = state.store.get_version(access.unit, VersionId(request.version_id)).await?;
    if version.period_id != PeriodId(period) {
        return Err(ApiError::not_found("Schemaversionen", "The schedule version"));
    }
    let change = caller.change_because(request.reason.as_deref());
    let override_reason = request.override_reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    let publication = match override_reason {
        Some(reason) => {
            state.store.publish_version_with_override(access.unit, version.id, reason, &change).await?
        }
        None => state.store.publish_version(access.unit, version.id, &change).await?,
    };
    Ok(Json(publication))
}
