//! Schedule periods: reading, workflow transitions, pins, and events after publication.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Deserialize;
use turnus_core::Pin;
use turnus_store::{EventDetail, EventRecord, PeriodId, PeriodState, SchedulePeriod, UnitId};

use super::AppState;
use crate::JsonBody;
use crate::access::{self, ANY_ROLE, PLANNERS};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// `GET /api/v1/units/{unit}/periods`. Staff see published periods only.
pub async fn list_periods(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
) -> ApiResult<Json<Vec<SchedulePeriod>>> {
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    let mut periods = state.store.list_periods(access.unit).await?;
    if !access.is_planner() {
        periods.retain(|p| p.state != PeriodState::Draft);
    }
    Ok(Json(periods))
}

/// `GET /api/v1/units/{unit}/periods/{period}`.
pub async fn get_period(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
) -> ApiResult<Json<SchedulePeriod>> {
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    let found = state.store.get_period(access.unit, PeriodId(period)).await?;
    if !access.is_planner() && found.state == PeriodState::Draft {
        return Err(ApiError::not_found("Perioden", "The period"));
    }
    Ok(Json(found))
}

/// Body of `POST …/transition`.
#[derive(Debug, Deserialize)]
pub struct TransitionRequest {
    /// The state to move to: `wishes_open`, `wishes_closed`, `proposal`, `review`,
    /// `follow_up` or `closed`. Publishing has its own route.
    pub to: String,
    /// Required with `wishes_open`.
    pub wishes_deadline: Option<Timestamp>,
    pub reason: Option<String>,
}

/// `POST /api/v1/units/{unit}/periods/{period}/transition` (chef, schemaläggare).
pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
    JsonBody(request): JsonBody<TransitionRequest>,
) -> ApiResult<Json<SchedulePeriod>> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    let to: PeriodState = request.to.parse().map_err(|_| {
        ApiError::unprocessable(
            format!("Okänt läge {:?}", request.to),
            format!("Unknown state {:?}", request.to),
        )
    })?;
    let change = caller.change_because(request.reason.as_deref());
    let moved = state
        .store
        .transition_period(access.unit, PeriodId(period), to, request.wishes_deadline, &change)
        .await?;
    Ok(Json(moved))
}

/// `GET /api/v1/units/{unit}/periods/{period}/pins` (chef, schemaläggare): the pinned days
/// that a solve keeps.
pub async fn list_pins(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
) -> ApiResult<Json<Vec<Pin>>> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    Ok(Json(state.store.load_problem(access.unit, PeriodId(period)).await?.pins))
}

/// `PUT /api/v1/units/{unit}/periods/{period}/pins` (chef, schemaläggare): pins a day to a
/// shift, or to a day off without `shift`.
pub async fn set_pin(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
    JsonBody(pin): JsonBody<Pin>,
) -> ApiResult<StatusCode> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    state.store.set_pin(access.unit, PeriodId(period), &pin, &caller.change()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/v1/units/{unit}/periods/{period}/pins/{employee}/{date}`.
pub async fn remove_pin(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period, employee, date)): Path<(i64, i64, String, Date)>,
) -> ApiResult<StatusCode> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    state.store.remove_pin(access.unit, PeriodId(period), &employee, date, &caller.change()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/units/{unit}/periods/{period}/events` (chef, schemaläggare): an absence,
/// a swap, extra staff or a resource shift after publication.
pub async fn add_event(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
    JsonBody(detail): JsonBody<EventDetail>,
) -> ApiResult<(StatusCode, Json<EventRecord>)> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    let event = state.store.add_event(access.unit, PeriodId(period), &detail, &caller.change()).await?;
    Ok((StatusCode::CREATED, Json(event)))
}

/// `GET /api/v1/units/{unit}/periods/{period}/events` (chef, schemaläggare).
pub async fn list_events(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
) -> ApiResult<Json<Vec<EventRecord>>> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    Ok(Json(state.store.list_events(access.unit, PeriodId(period)).await?))
}
