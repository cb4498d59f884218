//! The shift type list and form.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Form, Json};
use turnus_server::routes::AppState;
use turnus_server::routes::unit_data as api;
use turnus_server::{ApiError, Caller, JsonBody};

use super::*;
use crate::ui::{Ui, WebResult, redirect};

/// `GET /units/{unit}/shift-types`.
pub async fn shift_list(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Query(saved): Query<Saved>,
) -> WebResult<Response> {
    let caller = caller?;
    let t = ui.t;
    let Json(shifts) = api::list_shift_types(State(state.clone()), caller.clone(), Path(unit)).await?;
    let rows = shifts
        .iter()
        .map(|s| ListRow {
            key: s.code.clone(),
            cells: vec![
                s.code.clone(),
                s.name.clone(),
                format!("{}–{}", s.start, s.end),
                s.break_minutes.to_string(),
                s.skill.clone().unwrap_or_default(),
                t.t(if s.active { "data.active" } else { "data.inactive" }).to_string(),
            ],
            href: format!("/units/{unit}/shift-types/{}", crate::ui::encode_query(&s.code)),
            edit_label: t.f1("data.edit_label", &s.code),
            inactive: !s.active,
        })
        .collect();
    let spec = ListSpec {
        title: "data.shift_types",
        new_label: "data.new_shift",
        new_path: "new-shift-type",
        headers: &["f_code", "f_shift_name", "f_time", "f_break_minutes", "f_skill", "status"],
    };
    list_page(&state, &ui, &caller, unit, &saved, spec, rows).await
}

const SHIFT_FIELDS: [&str; 6] = ["code", "name", "start", "end", "break_minutes", "skill"];

fn shift_values(view: &ShiftTypeView) -> Vec<(String, String)> {
    vec![
        ("code".into(), view.code.clone()),
        ("name".into(), view.name.clone()),
        ("start".into(), view.start.clone()),
        ("end".into(), view.end.clone()),
        ("break_minutes".into(), view.break_minutes.to_string()),
        ("skill".into(), view.skill.clone().unwrap_or_default()),
    ]
}

async fn shift_page(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    unit: i64,
    values: &Posted,
    row_version: Option<i64>,
    error: Option<ApiError>,
) -> WebResult<Response> {
    let t = ui.t;
    let is_new = row_version.is_none();
    let value = |name: &str| posted(values, name).to_string();
    let mut code = FieldView::text("code", t.t("data.f_code").into(), value("code")).required();
    code.readonly = !is_new;
    let groups = vec![GroupView {
        legend: t.t("data.shift_type").into(),
        help: String::new(),
        fields: vec![
            code,
            FieldView::text("name", t.t("data.f_shift_name").into(), value("name")).required(),
            FieldView::text("start", t.t("data.f_start").into(), value("start"))
                .required()
                .help(t.t("data.h_time")),
            FieldView::text("end", t.t("data.f_end").into(), value("end")).required().help(t.t("data.h_end")),
            FieldView::text("break_minutes", t.t("data.f_break_minutes").into(), value("break_minutes"))
                .numeric()
                .help(t.t("data.h_break")),
            FieldView::text("skill", t.t("data.f_skill").into(), value("skill")),
        ],
    }];
    let key = crate::ui::encode_query(&value("code"));
    let mut form = DataForm::new(
        ui,
        caller,
        if is_new { t.t("data.new_shift").into() } else { t.f1("data.shift_title", value("code")) },
        unit_name(state, caller, unit).await?,
        if is_new {
            format!("/units/{unit}/new-shift-type")
        } else {
            format!("/units/{unit}/shift-types/{key}")
        },
        format!("/units/{unit}/shift-types"),
    );
    form.row_version = row_version;
    form.remove = (!is_new).then(|| RemoveView {
        action: format!("/units/{unit}/shift-types/{key}/deactivate"),
        label: t.t("data.deactivate").into(),
        help: t.t("data.h_deactivate_shift").into(),
    });
    form.render(groups, error.as_ref(), str::to_string)
}

/// `GET /units/{unit}/shift-types/{code}`.
pub async fn shift_form(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, code)): Path<(i64, String)>,
) -> WebResult<Response> {
    let caller = caller?;
    let Json(view) = api::get_shift_type(State(state.clone()), caller.clone(), Path((unit, code))).await?;
    shift_page(&state, &ui, &caller, unit, &shift_values(&view), Some(view.row_version), None).await
}

/// `GET /units/{unit}/new-shift-type`.
pub async fn new_shift_form(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
) -> WebResult<Response> {
    let caller = caller?;
    shift_page(&state, &ui, &caller, unit, &vec![("break_minutes".into(), "0".into())], None, None).await
}

/// `POST /units/{unit}/new-shift-type`.
pub async fn create_shift(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let result = api::create_shift_type(
        State(state.clone()),
        caller.clone(),
        Path(unit),
        JsonBody(text_body(&SHIFT_FIELDS, &fields)),
    )
    .await;
    let Some(error) = form_rejection(result)? else {
        return Ok(redirect(&ui, &format!("/units/{unit}/shift-types?saved=1")));
    };
    shift_page(&state, &ui, &caller, unit, &fields, None, Some(error)).await
}

/// `POST /units/{unit}/shift-types/{code}`.
pub async fn update_shift(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, code)): Path<(i64, String)>,
    Form(mut fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    fields.retain(|(k, _)| k != "code");
    fields.push(("code".into(), code.clone()));
    let version = posted_row_version(&fields);
    let result = api::update_shift_type(
        State(state.clone()),
        caller.clone(),
        Path((unit, code)),
        if_match(&fields),
        JsonBody(text_body(&SHIFT_FIELDS, &fields)),
    )
    .await;
    let Some(error) = form_rejection(result)? else {
        return Ok(redirect(&ui, &format!("/units/{unit}/shift-types?saved=1")));
    };
    shift_page(&state, &ui, &caller, unit, &fields, version, Some(error)).await
}

/// `POST /units/{unit}/shift-types/{code}/deactivate`. A shift type that demand rows still
/// use comes back to its form with the message.
pub async fn deactivate_shift(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, code)): Path<(i64, String)>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let headers = if_match(&fields);
    let result =
        api::deactivate_shift_type(State(state.clone()), caller.clone(), Path((unit, code.clone())), headers)
            .await;
    let Some(error) = form_rejection(result)? else {
        return Ok(redirect(&ui, &format!("/units/{unit}/shift-types?saved=1")));
    };
    let Json(view) = api::get_shift_type(State(state.clone()), caller.clone(), Path((unit, code))).await?;
    shift_page(&state, &ui, &caller, unit, &shift_values(&view), Some(view.row_version), Some(error)).await
}
