//! The form of the unit's own details: its name, as `name` in `unit.toml`.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Form, Json};
use turnus_server::routes::AppState;
use turnus_server::routes::units as api;
use turnus_server::{ApiError, Caller, JsonBody};

use super::*;
use crate::ui::{Ui, WebResult, redirect};

/// Renders the form with `name` in its field, under a heading with the stored name.
async fn settings_page(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    unit: i64,
    name: Option<String>,
    saved: bool,
    error: Option<ApiError>,
) -> WebResult<Response> {
    let t = ui.t;
    let Json(stored) = api::get_unit(State(state.clone()), caller.clone(), Path(unit)).await?;
    let name = FieldView::text("name", t.t("data.f_unit_name").into(), name.unwrap_or(stored.name.clone()))
        .required()
        .help(t.t("data.h_unit_name"));
    let groups = vec![GroupView { legend: t.t("data.unit").into(), help: String::new(), fields: vec![name] }];
    let mut form = DataForm::new(
        ui,
        caller,
        t.t("data.unit_settings").into(),
        stored.name,
        format!("/units/{unit}/settings"),
        format!("/units/{unit}"),
    );
    form.row_version = Some(stored.row_version);
    form.saved = saved;
    form.render(groups, error.as_ref(), str::to_string)
}

/// `GET /units/{unit}/settings`.
pub async fn settings_form(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Query(saved): Query<Saved>,
) -> WebResult<Response> {
    let caller = caller?;
    access::require(&caller, UnitId(unit), PLANNERS)?;
    settings_page(&state, &ui, &caller, unit, None, saved.saved.is_some(), None).await
}

/// `POST /units/{unit}/settings`.
pub async fn save_settings(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let body = api::UnitChange { name: posted(&fields, "name").to_string() };
    let result =
        api::rename_unit(State(state.clone()), caller.clone(), Path(unit), if_match(&fields), JsonBody(body))
            .await;
    let Some(error) = form_rejection(result)? else {
        return Ok(redirect(&ui, &format!("/units/{unit}/settings?saved=1")));
    };
    let name = posted(&fields, "name").to_string();
    settings_page(&state, &ui, &caller, unit, Some(name), false, Some(error)).await
}
