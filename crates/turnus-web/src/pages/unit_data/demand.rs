//! The demand row list and form.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Form, Json};
use turnus_server::routes::AppState;
use turnus_server::routes::unit_data as api;
use turnus_server::{ApiError, Caller, JsonBody};

use super::*;
use crate::ui::{Ui, WebResult, redirect};

/// `GET /units/{unit}/demand`.
pub async fn demand_list(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Query(saved): Query<Saved>,
) -> WebResult<Response> {
    let caller = caller?;
    let t = ui.t;
    let Json(rows) = api::list_demand(State(state.clone()), caller.clone(), Path(unit)).await?;
    let rows = rows
        .iter()
        .map(|d| ListRow {
            key: d.id.to_string(),
            cells: vec![
                d.day.clone(),
                d.shift.clone(),
                d.skill.clone().unwrap_or_default(),
                d.min.to_string(),
                d.ideal.to_string(),
            ],
            href: format!("/units/{unit}/demand/{}", d.id),
            edit_label: t.f2("data.edit_demand_label", &d.day, &d.shift),
            inactive: false,
            button: None,
        })
        .collect();
    let spec = ListSpec {
        title: "data.demand",
        new_label: "data.new_demand",
        new_path: "new-demand",
        headers: &["f_day", "f_shift", "f_demand_skill", "f_min", "f_ideal"],
    };
    list_page(&state, &ui, &caller, unit, &saved, spec, rows).await
}

const DEMAND_FIELDS: [&str; 5] = ["day", "shift", "skill", "min", "ideal"];

fn demand_values(view: &DemandView) -> Posted {
    vec![
        ("day".into(), view.day.clone()),
        ("shift".into(), view.shift.clone()),
        ("skill".into(), view.skill.clone().unwrap_or_default()),
        ("min".into(), view.min.to_string()),
        ("ideal".into(), view.ideal.to_string()),
    ]
}

#[allow(clippy::too_many_arguments)]
async fn demand_page(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    unit: i64,
    id: Option<i64>,
    values: &Posted,
    row_version: Option<i64>,
    error: Option<ApiError>,
) -> WebResult<Response> {
    let t = ui.t;
    let value = |name: &str| posted(values, name).to_string();
    let Json(shifts) = api::list_shift_types(State(state.clone()), caller.clone(), Path(unit)).await?;
    let mut shift = FieldView::text("shift", t.t("data.f_shift").into(), value("shift")).required();
    shift.kind = "select";
    shift.options = shifts
        .iter()
        .filter(|s| s.active)
        .map(|s| (s.code.clone(), format!("{} {} {}–{}", s.code, s.name, s.start, s.end)))
        .collect();
    let groups = vec![GroupView {
        legend: t.t("data.demand_row").into(),
        help: String::new(),
        fields: vec![
            FieldView::text("day", t.t("data.f_day").into(), value("day")).required().help(t.t("data.h_day")),
            shift,
            FieldView::text("skill", t.t("data.f_demand_skill").into(), value("skill"))
                .help(t.t("data.h_demand_skill")),
            FieldView::text("min", t.t("data.f_min").into(), value("min")).numeric().required(),
            FieldView::text("ideal", t.t("data.f_ideal").into(), value("ideal"))
                .numeric()
                .help(t.t("data.h_ideal")),
        ],
    }];
    let mut form = DataForm::new(
        ui,
        caller,
        match id {
            Some(id) => t.f1("data.demand_title", id),
            None => t.t("data.new_demand").into(),
        },
        unit_name(state, caller, unit).await?,
        match id {
            Some(id) => format!("/units/{unit}/demand/{id}"),
            None => format!("/units/{unit}/new-demand"),
        },
        format!("/units/{unit}/demand"),
    );
    form.row_version = row_version;
    form.remove = id.map(|id| RemoveView {
        action: format!("/units/{unit}/demand/{id}/delete"),
        label: t.t("data.delete").into(),
        help: t.t("data.h_delete_demand").into(),
    });
    form.render(groups, error.as_ref(), str::to_string)
}

/// `GET /units/{unit}/demand/{row}`.
pub async fn demand_form(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, id)): Path<(i64, i64)>,
) -> WebResult<Response> {
    let caller = caller?;
    let Json(view) = api::get_demand(State(state.clone()), caller.clone(), Path((unit, id))).await?;
    demand_page(&state, &ui, &caller, unit, Some(id), &demand_values(&view), Some(view.row_version), None)
        .await
}

/// `GET /units/{unit}/new-demand`.
pub async fn new_demand_form(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
) -> WebResult<Response> {
    let caller = caller?;
    demand_page(&state, &ui, &caller, unit, None, &Vec::new(), None, None).await
}

/// `POST /units/{unit}/new-demand`.
pub async fn create_demand(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let result = api::create_demand(
        State(state.clone()),
        caller.clone(),
        Path(unit),
        JsonBody(text_body(&DEMAND_FIELDS, &fields)),
    )
    .await;
    let Some(error) = form_rejection(result)? else {
        return Ok(redirect(&ui, &format!("/units/{unit}/demand?saved=1")));
    };
    demand_page(&state, &ui, &caller, unit, None, &fields, None, Some(error)).await
}

/// `POST /units/{unit}/demand/{row}`.
pub async fn update_demand(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, id)): Path<(i64, i64)>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let version = posted_row_version(&fields);
    let result = api::update_demand(
        State(state.clone()),
        caller.clone(),
        Path((unit, id)),
        if_match(&fields),
        JsonBody(text_body(&DEMAND_FIELDS, &fields)),
    )
    .await;
    let Some(error) = form_rejection(result)? else {
        return Ok(redirect(&ui, &format!("/units/{unit}/demand?saved=1")));
    };
    demand_page(&state, &ui, &caller, unit, Some(id), &fields, version, Some(error)).await
}

/// `POST /units/{unit}/demand/{row}/delete`.
pub async fn delete_demand(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, id)): Path<(i64, i64)>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    api::delete_demand(State(state), caller, Path((unit, id)), if_match(&fields)).await?;
    Ok(redirect(&ui, &format!("/units/{unit}/demand?saved=1")))
}
