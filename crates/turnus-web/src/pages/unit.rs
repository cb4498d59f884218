//! The unit page for planners: the periods with their state and deadlines, moving a period
//! to its next state, and importing a bundle by upload with the errors shown per file and
//! line. Both changes go through the API's handlers.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Form, Json};
use jiff::civil::DateTime;
use serde::Deserialize;
use turnus_server::access::{self, ANY_ROLE};
use turnus_server::routes::periods::{self, TransitionRequest};
use turnus_server::routes::{AppState, import};
use turnus_server::{ApiError, Caller, JsonBody};
use turnus_store::{PeriodState, Role, UnitId};

use super::{local_time, period_label, state_label};
use crate::i18n::Texts;
use crate::ui::{Chrome, Ui, WebResult, detail_line, page, page_with, redirect, safe_back, user_error};

/// A period row of the unit page.
pub struct PeriodRow {
    pub id: i64,
    pub label: String,
    pub state: String,
    pub start: String,
    pub weeks: u32,
    pub deadline: String,
    /// States the period may move to from this page, as `(value, label)`.
    pub next: Vec<(String, String)>,
    pub needs_deadline: bool,
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    ui: Chrome,
    t: Texts,
    unit_id: i64,
    name: String,
    time_zone: String,
    notice_days: u32,
    is_manager: bool,
    periods: Vec<PeriodRow>,
    import_error: Option<String>,
    import_details: Vec<String>,
}

async fn unit_page_data(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    unit: i64,
    import_error: Option<String>,
    import_details: Vec<String>,
) -> WebResult<UnitPage> {
    let t = ui.t;
    let access = access::require(caller, UnitId(unit), turnus_server::access::PLANNERS)?;
    let record = state.store.get_unit(access.unit).await?;
    let mut rows = Vec::new();
    for period in state.store.list_periods(access.unit).await? {
        // Publishing has its dialog and solving its button, so neither is offered here.
        let next: Vec<(String, String)> = PeriodState::ALL
            .into_iter()
            .filter(|to| period.state.can_move_to(*to))
            .filter(|to| !matches!(to, PeriodState::Published | PeriodState::Proposal))
            .map(|to| (to.as_str().to_string(), state_label(&t, to)))
            .collect();
        rows.push(PeriodRow {
            id: period.id.0,
            label: period_label(&t, &period),
            state: state_label(&t, period.state),
            start: period.start.to_string(),
            weeks: period.weeks,
            deadline: period.wishes_deadline.map(|d| local_time(d, &record.time_zone)).unwrap_or_default(),
            needs_deadline: next.iter().any(|(to, _)| to == "wishes_open"),
            next,
        });
    }
    Ok(UnitPage {
        ui: Chrome::new(ui, Some(caller)),
        t,
        unit_id: unit,
        name: record.name,
        time_zone: record.time_zone,
        notice_days: record.publish_notice_days,
        is_manager: access.is_admin || access.roles.contains(&Role::Manager),
        periods: rows,
        import_error,
        import_details,
    })
}

/// `GET /units/{unit}`: planners see the unit page, staff their own schedule.
pub async fn unit_page(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
) -> WebResult<Response> {
    let caller = caller?;
    if !access::require(&caller, UnitId(unit), ANY_ROLE)?.is_planner() {
        return Ok(redirect(&ui, "/my"));
    }
    page(&unit_page_data(&state, &ui, &caller, unit, None, Vec::new()).await?)
}

#[derive(Debug, Deserialize)]
pub struct TransitionForm {
    to: String,
    /// `YYYY-MM-DDTHH:MM` from a `datetime-local` field, in the unit's time zone.
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    reason: String,
    back: Option<String>,
}

/// `POST /units/{unit}/periods/{period}/transition`.
pub async fn transition(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, period)): Path<(i64, i64)>,
    Form(form): Form<TransitionForm>,
) -> WebResult<Response> {
    let caller = caller?;
    let deadline = match form.deadline.trim() {
        "" => None,
        text => {
            let record = state.store.get_unit(UnitId(unit)).await;
            let zone = record
                .ok()
                .and_then(|u| jiff::tz::TimeZone::get(&u.time_zone).ok())
                .unwrap_or(jiff::tz::TimeZone::UTC);
            let local: DateTime =
                text.parse().map_err(|_| user_error(StatusCode::BAD_REQUEST, "error.bad_deadline", text))?;
            let zoned = local
                .to_zoned_datetime(zone)
                .map_err(|_| user_error(StatusCode::BAD_REQUEST, "error.bad_deadline", text))?;
            Some(zoned.timestamp())
        }
    };
    let request = TransitionRequest {
        to: form.to.clone(),
        wishes_deadline: deadline,
        reason: Some(form.reason.trim().to_string()).filter(|r| !r.is_empty()),
    };
    let Json(moved) =
        periods::transition(State(state), caller, Path((unit, period)), JsonBody(request)).await?;
    tracing::info!(unit, period, to = %moved.state, "period moved");
    let back = safe_back(form.back.as_deref().or(Some(&format!("/units/{unit}"))));
    Ok(redirect(&ui, &back))
}

/// `POST /units/{unit}/import`: a bundle's files or a zip of them, as the API takes them.
pub async fn import(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    multipart: Multipart,
) -> WebResult<Response> {
    let caller = caller?;
    match import::import_bundle(State(state.clone()), caller.clone(), Path(unit), multipart).await {
        Ok((_, Json(period))) => {
            tracing::info!(unit, period = period.id.0, "bundle imported from the web page");
            Ok(redirect(&ui, &format!("/units/{unit}/periods/{}", period.id.0)))
        }
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            let body = error.render(ui.t.lang);
            let message = body["message"].as_str().unwrap_or_default().to_string();
            let details =
                body["details"].as_array().map(|d| d.iter().map(detail_line).collect()).unwrap_or_default();
            let data = unit_page_data(&state, &ui, &caller, unit, Some(message), details).await?;
            page_with(error.status, &data)
        }
        Err(error) => Err(error.into()),
    }
}
