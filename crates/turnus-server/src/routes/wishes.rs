//! Wishes. Planners read and write every wish of a period until it is published. A
//! medarbetare reads and writes only their own, and only while wishes are open and before
//! the deadline.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use jiff::Timestamp;
use serde_json::json;
use turnus_core::Wish;
use turnus_store::{PeriodId, PeriodState, UnitId, WishId, WishRecord};

use super::AppState;
use super::versions::expected_row_version;
use crate::JsonBody;
use crate::access::{self, ANY_ROLE, UnitAccess};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Returns the employee id of a medarbetare (`None` for planners), or an error for a staff
/// grant without one.
fn own_employee(access: &UnitAccess) -> ApiResult<Option<&str>> {
    if access.is_planner() {
        return Ok(None);
    }
    access.employee.as_deref().map(Some).ok_or_else(|| {
        ApiError::forbidden(
            "Ditt konto är inte kopplat till en anställd",
            "Your account is not linked to an employee",
        )
    })
}

/// Checks that a medarbetare may still write wishes of `period`. The rejection names the
/// limit that applies: the period's state, or the deadline in the unit's time zone.
async fn check_open(state: &AppState, access: &UnitAccess, period: PeriodId) -> ApiResult<()> {
    if access.is_planner() {
        return Ok(());
    }
    let found = state.store.get_period(access.unit, period).await?;
    if found.state != PeriodState::WishesOpen {
        return Err(ApiError::forbidden(
            format!(
                "Önskemål kan inte lämnas eller ändras nu: perioden är inte öppen för önskemål (den är i läget {})",
                found.state.label_sv()
            ),
            format!(
                "Wishes cannot be entered or changed now: the period is not open for wishes (it is in {})",
                found.state.label_en()
            ),
        )
        .with_extra(json!({ "state": found.state.as_str() })));
    }
    let Some(deadline) = found.wishes_deadline else {
        return Err(ApiError::forbidden(
            "Önskemål kan inte lämnas eller ändras nu: perioden har ingen sista dag för önskemål; be din chef ange en",
            "Wishes cannot be entered or changed now: the period has no deadline for wishes; ask your manager to set one",
        ));
    };
    if Timestamp::now() < deadline {
        return Ok(());
    }
    let unit = state.store.get_unit(access.unit).await?;
    let zone = jiff::tz::TimeZone::get(&unit.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let local = deadline.to_zoned_datetime(zone).strftime("%Y-%m-%d %H:%M %Z").to_string();
    Err(ApiError::forbidden(
        format!("Önskemål kan inte lämnas eller ändras längre: sista tiden var {local}"),
        format!("Wishes can no longer be entered or changed: the deadline was {local}"),
    )
    .with_extra(json!({ "wishes_deadline": deadline })))
}

fn not_yours() -> ApiError {
    ApiError::forbidden("Du kan bara ändra dina egna önskemål", "You can only change your own wishes")
}

/// `GET /api/v1/units/{unit}/periods/{period}/wishes`.
pub async fn list_wishes(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
) -> ApiResult<Json<Vec<WishRecord>>> {
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    let employee = own_employee(&access)?;
    Ok(Json(state.store.list_wishes(access.unit, PeriodId(period), employee).await?))
}

/// `POST /api/v1/units/{unit}/periods/{period}/wishes`.
pub async fn add_wish(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, period)): Path<(i64, i64)>,
    JsonBody(wish): JsonBody<Wish>,
) -> ApiResult<(StatusCode, Json<WishRecord>)> {
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    if own_employee(&access)?.is_some_and(|own| own != wish.employee) {
        return Err(not_yours());
    }
    check_open(&state, &access, PeriodId(period)).await?;
    let record = state.store.add_wish(access.unit, PeriodId(period), &wish, &caller.change()).await?;
    Ok((StatusCode::CREATED, Json(record)))
}

/// `PUT /api/v1/units/{unit}/wishes/{wish}` with `If-Match: "ROW_VERSION"`.
pub async fn update_wish(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, wish)): Path<(i64, i64)>,
    headers: HeaderMap,
    JsonBody(update): JsonBody<Wish>,
) -> ApiResult<Json<WishRecord>> {
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    let expected = expected_row_version(&headers)?;
    let current = state.store.get_wish(access.unit, WishId(wish)).await?;
    if own_employee(&access)?.is_some_and(|own| own != current.wish.employee || own != update.employee) {
        return Err(not_yours());
    }
    check_open(&state, &access, current.period_id).await?;
    Ok(Json(state.store.update_wish(access.unit, WishId(wish), expected, &update, &caller.change()).await?))
}

/// `DELETE /api/v1/units/{unit}/wishes/{wish}` with `If-Match: "ROW_VERSION"`.
pub async fn delete_wish(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, wish)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    let expected = expected_row_version(&headers)?;
    let current = state.store.get_wish(access.unit, WishId(wish)).await?;
    if own_employee(&access)?.is_some_and(|own| own != current.wish.employee) {
        return Err(not_yours());
    }
    check_open(&state, &access, current.period_id).await?;
    state.store.delete_wish(access.unit, WishId(wish), expected, &caller.change()).await?;
    Ok(StatusCode::NO_CONTENT)
}
