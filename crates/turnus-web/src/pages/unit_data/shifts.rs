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
            // Deactivation stays on the edit page, whose help text explains the demand rows.
            button: (!s.active).then(|| RowButton {
                action: format!("/units/{unit}/shift-types/{}/reactivate", crate::ui::encode_query(&s.code)),
                label: t.t("data.reactivate").into(),
                aria_label: t.f1("data.reactivate_label", &s.code),
                row_version: s.row_version,
            }),
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

/// The stored shift type that a form edits.
#[derive(Debug, Clone, Copy)]
struct Stored {
    row_version: i64,
    active: bool,
}

impl Stored {
    fn of(view: &ShiftTypeView) -> Stored {
        Stored { row_version: view.row_version, active: view.active }
    }
}

/// Renders the form of a new shift type (`stored` is `None`) or of a stored one. A stored
/// one gets a button to deactivate it. A deactivated one gets a button to reactivate it and
/// its fields are disabled, because the API rejects changes until it is reactivated.
async fn shift_page(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    unit: i64,
    values: &Posted,
    stored: Option<Stored>,
    error: Option<ApiError>,
) -> WebResult<Response> {
    let t = ui.t;
    let is_new = stored.is_none();
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
    form.row_version = stored.map(|s| s.row_version);
    form.remove = match stored {
        None => None,
        Some(Stored { active: true, .. }) => Some(RemoveView {
            action: format!("/units/{unit}/shift-types/{key}/deactivate"),
            label: t.t("data.deactivate").into(),
            help: t.t("data.h_deactivate_shift").into(),
        }),
        Some(Stored { active: false, .. }) => Some(RemoveView {
            action: format!("/units/{unit}/shift-types/{key}/reactivate"),
            label: t.t("data.reactivate").into(),
            help: t.t("data.h_reactivate_shift").into(),
        }),
    };
    if let Some(Stored { active: false, .. }) = stored {
        form.locked = Some(t.t("data.shift_locked").into());
    }
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
    shift_page(&state, &ui, &caller, unit, &shift_values(&view), Some(Stored::of(&view)), None).await
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
        Path((unit, code.clone())),
        if_match(&fields),
        JsonBody(text_body(&SHIFT_FIELDS, &fields)),
    )
    .await;
    let Some(error) = form_rejection(result)? else {
        return Ok(redirect(&ui, &format!("/units/{unit}/shift-types?saved=1")));
    };
    // A deactivated shift type cannot be saved, so the page offers to reactivate it.
    let Json(current) = api::get_shift_type(State(state.clone()), caller.clone(), Path((unit, code))).await?;
    let stored = version.map(|row_version| Stored { row_version, active: current.active });
    shift_page(&state, &ui, &caller, unit, &fields, stored, Some(error)).await
}

/// `POST /units/{unit}/shift-types/{code}/deactivate` and `…/reactivate`: changes the
/// activity and returns to the list. A rejected request, such as deactivating a shift type
/// that demand rows still use, comes back to the form with its message.
pub async fn set_shift_activity(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, code, activity)): Path<(i64, String, String)>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let active = Activity::parse(&activity)?.active();
    let headers = if_match(&fields);
    let path = Path((unit, code.clone()));
    let result = if active {
        api::reactivate_shift_type(State(state.clone()), caller.clone(), path, headers).await
    } else {
        api::deactivate_shift_type(State(state.clone()), caller.clone(), path, headers).await
    };
    let Some(error) = form_rejection(result)? else {
        tracing::info!(unit, code = %code, active, "shift type activity changed from the web page");
        return Ok(redirect(&ui, &format!("/units/{unit}/shift-types?saved=1")));
    };
    let Json(view) = api::get_shift_type(State(state.clone()), caller.clone(), Path((unit, code))).await?;
    shift_page(&state, &ui, &caller, unit, &shift_values(&view), Some(Stored::of(&view)), Some(error)).await
}
