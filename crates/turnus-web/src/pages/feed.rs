//! The calendar subscription on the staff view: create or rotate the employee's feed
//! address, show it once, and revoke it. The API's calendar-token handlers do the work, so
//! only the employee themselves (or a chef) reaches a token and every change is audited.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use turnus_server::access::{self, ANY_ROLE};
use turnus_server::routes::{AppState, calendar};
use turnus_server::{ApiError, Caller};
use turnus_store::{CalendarToken, UnitId};

use super::local_time;
use super::staff::my_page;
use crate::i18n::Texts;
use crate::ui::{Ui, WebResult, page, redirect, user_error};

/// The calendar subscription of one unit in the staff view.
pub struct MyFeed {
    pub create_action: String,
    pub revoke_action: String,
    /// When the current address was created, in the unit's time zone; `None` without one.
    pub created: Option<String>,
    /// When a calendar program last read the feed.
    pub last_used: String,
    /// The address just created. The server keeps only its hash, so it is shown this once.
    pub new_url: Option<String>,
}

/// Reads the feed state of `employee` on `unit` through the API's handler.
pub async fn my_feed(
    state: &AppState,
    t: &Texts,
    caller: &Caller,
    unit: UnitId,
    employee: &str,
    time_zone: &str,
) -> WebResult<MyFeed> {
    let found =
        calendar::get_token(State(state.clone()), caller.clone(), Path((unit.0, employee.to_string()))).await;
    let record: Option<CalendarToken> = match found {
        Ok(Json(record)) => Some(record),
        // No address yet: the API answers 404.
        Err(e) if e.status == StatusCode::NOT_FOUND => None,
        Err(e) => return Err(e.into()),
    };
    Ok(MyFeed {
        create_action: format!("/my/calendar/{}", unit.0),
        revoke_action: format!("/my/calendar/{}/revoke", unit.0),
        created: record.as_ref().map(|r| local_time(r.created_at, time_zone)),
        last_used: record
            .as_ref()
            .and_then(|r| r.last_used_at)
            .map_or_else(|| t.t("feed.never_read").to_string(), |at| local_time(at, time_zone)),
        new_url: None,
    })
}

/// The caller's own employee on `unit`; the staff view manages only the caller's own feed.
fn own_employee(caller: &Caller, unit: i64) -> WebResult<String> {
    let access = access::require(caller, UnitId(unit), ANY_ROLE)?;
    access.employee.ok_or_else(|| user_error(StatusCode::FORBIDDEN, "error.no_employee", unit))
}

/// `POST /my/calendar/{unit}`: creates the feed address, or replaces the existing one, and
/// shows the staff page with the new address in a field to copy.
pub async fn create_feed(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    headers: HeaderMap,
) -> WebResult<Response> {
    let caller = caller?;
    let employee = own_employee(&caller, unit)?;
    let (_, Json(created)) =
        calendar::create_token(State(state.clone()), caller.clone(), Path((unit, employee)), headers).await?;
    page(&my_page(&state, &ui, &caller, Some((UnitId(unit), created.url))).await?)
}

/// `POST /my/calendar/{unit}/revoke`: revokes the feed address, so calendars that
/// subscribed to it get 404 from then on.
pub async fn revoke_feed(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
) -> WebResult<Response> {
    let caller = caller?;
    let employee = own_employee(&caller, unit)?;
    calendar::revoke_token(State(state.clone()), caller.clone(), Path((unit, employee))).await?;
    Ok(redirect(&ui, "/my"))
}
