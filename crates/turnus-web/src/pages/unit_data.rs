//! Pages that list and edit a unit's staff, shift types, demand rows and rule parameters.
//! Each form posts to a handler here, which calls the API's handler with the same fields,
//! so the roles, If-Match check and the bundle reader's messages are the API's. An invalid
//! value comes back with its message next to its field.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::IF_MATCH;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use turnus_server::access::{self, PLANNERS};
use turnus_server::routes::AppState;
use turnus_server::routes::unit_data::{self as api, DemandView, EmployeeView, RulesView, ShiftTypeView};
use turnus_server::{ApiError, Caller};
use turnus_store::UnitId;

use crate::i18n::Texts;
use crate::ui::{Chrome, Ui, WebResult, detail_line, page, page_with, redirect};

/// One input of a form.
pub struct FieldView {
    /// The form field name, also the id suffix: `f-NAME`, help `h-NAME`, error `e-NAME`.
    pub name: String,
    pub label: String,
    pub value: String,
    /// `text`, `checkbox` or `select`.
    pub kind: &'static str,
    /// The `inputmode` hint for phone keyboards: `text`, `decimal` or `numeric`.
    pub inputmode: &'static str,
    pub options: Vec<(String, String)>,
    pub help: String,
    pub error: Option<String>,
    pub readonly: bool,
    pub required: bool,
}

impl FieldView {
    fn text(name: &str, label: String, value: String) -> FieldView {
        FieldView {
            name: name.to_string(),
            label,
            value,
            kind: "text",
            inputmode: "text",
            options: Vec::new(),
            help: String::new(),
            error: None,
            readonly: false,
            required: false,
        }
    }

    fn decimal(mut self) -> FieldView {
        self.inputmode = "decimal";
        self
    }

    fn numeric(mut self) -> FieldView {
        self.inputmode = "numeric";
        self
    }

    fn help(mut self, help: &str) -> FieldView {
        self.help = help.to_string();
        self
    }

    fn required(mut self) -> FieldView {
        self.required = true;
        self
    }
}

/// A group of fields with its legend.
pub struct GroupView {
    pub legend: String,
    pub help: String,
    pub fields: Vec<FieldView>,
}

/// The second form of an edit page: deactivate or delete.
pub struct RemoveView {
    pub action: String,
    pub label: String,
    pub help: String,
}

#[derive(Template)]
#[template(path = "data_form.html")]
struct DataForm {
    ui: Chrome,
    t: Texts,
    title: String,
    unit_name: String,
    help: String,
    action: String,
    row_version: Option<i64>,
    groups: Vec<GroupView>,
    saved: bool,
    error: Option<String>,
    /// Errors that belong to no field of the form.
    general: Vec<String>,
    remove: Option<RemoveView>,
    back: String,
}

/// A row of a list page.
pub struct ListRow {
    pub key: String,
    pub cells: Vec<String>,
    pub href: String,
    pub edit_label: String,
    pub inactive: bool,
}

#[derive(Template)]
#[template(path = "data_list.html")]
struct DataList {
    ui: Chrome,
    t: Texts,
    title: String,
    unit_id: i64,
    unit_name: String,
    saved: bool,
    new_href: String,
    new_label: String,
    headers: Vec<String>,
    rows: Vec<ListRow>,
}

#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

/// The form's fields as posted, by name.
type Posted = Vec<(String, String)>;

fn posted<'a>(fields: &'a Posted, name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map_or("", |(_, value)| value.as_str())
}

fn if_match(fields: &Posted) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", posted(fields, "row_version").trim())) {
        headers.insert(IF_MATCH, value);
    }
    headers
}

fn number_text(value: f64) -> String {
    let text = format!("{value}");
    text.replace('.', ",")
}

/// Places each detail of a 422 error next to its field (`field_of` maps the API's field
/// name to the form's). The message and the details that match no field are returned.
fn place_errors(
    t: &Texts,
    error: &ApiError,
    groups: &mut [GroupView],
    field_of: impl Fn(&str) -> String,
) -> (String, Vec<String>) {
    let body = error.render(t.lang);
    let message = body["message"].as_str().unwrap_or_default().to_string();
    let mut general = Vec::new();
    for detail in body["details"].as_array().into_iter().flatten() {
        let text = detail["message"].as_str().unwrap_or_default().to_string();
        let target = detail["field"].as_str().map(&field_of);
        let field =
            groups.iter_mut().flat_map(|g| g.fields.iter_mut()).find(|f| Some(&f.name) == target.as_ref());
        match field {
            Some(field) => {
                field.error = Some(match field.error.take() {
                    Some(earlier) => format!("{earlier} {text}"),
                    None => text,
                });
            }
            None => general.push(detail_line(detail)),
        }
    }
    (message, general)
}

async fn unit_name(state: &AppState, caller: &Caller, unit: i64) -> WebResult<String> {
    let access = access::require(caller, UnitId(unit), PLANNERS)?;
    Ok(state.store.get_unit(access.unit).await?.name)
}

fn yes_no(t: &Texts, yes: bool) -> String {
    t.t(if yes { "data.yes" } else { "data.no" }).to_string()
}

// ---- staff ----

/// `GET /units/{unit}/staff`.
pub async fn staff_list(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Query(saved): Query<Saved>,
) -> WebResult<Response> {
    let caller = caller?;
    let t = ui.t;
    let Json(employees) = api::list_employees(State(state.clone()), caller.clone(), Path(unit)).await?;
    let rows = employees
        .iter()
        .map(|e| ListRow {
            key: e.id.clone(),
            cells: vec![
                e.id.clone(),
                e.name.clone(),
                number_text(e.employment_percent),
                e.full_time_hours.map(number_text).unwrap_or_default(),
                e.skills
                    .iter()
                    .cloned()
                    .chain(
                        e.skill_grants
                            .iter()
                            .map(|g| format!("{} ({}–{})", g.skill, g.valid_from, g.valid_to)),
                    )
                    .collect::<Vec<_>>()
                    .join(", "),
                yes_no(&t, e.night_worker),
                t.t(if e.active { "data.active" } else { "data.inactive" }).to_string(),
            ],
            href: format!("/units/{unit}/staff/{}", crate::ui::encode_query(&e.id)),
            edit_label: t.f1("data.edit_label", &e.name),
            inactive: !e.active,
        })
        .collect();
    page(&DataList {
        ui: Chrome::new(&ui, Some(&caller)),
        t,
        title: t.t("data.staff").to_string(),
        unit_id: unit,
        unit_name: unit_name(&state, &caller, unit).await?,
        saved: saved.saved.is_some(),
        new_href: format!("/units/{unit}/new-employee"),
        new_label: t.t("data.new_employee").to_string(),
        headers: [
            "f_id",
            "f_name",
            "f_employment_percent",
            "f_full_time_hours",
            "f_skills",
            "f_night_worker",
            "status",
        ]
        .iter()
        .map(|k| t.t(&format!("data.{k}")).to_string())
        .collect(),
        rows,
    })
}

/// Builds the employee form's groups, filled from a stored employee or an earlier post.
fn employee_groups(t: &Texts, values: &EmployeeForm, is_new: bool) -> Vec<GroupView> {
    let mut id = FieldView::text("id", t.t("data.f_id").into(), values.id.clone()).required();
    id.readonly = !is_new;
    let mut night =
        FieldView::text("night_worker", t.t("data.f_night_worker").into(), values.night_worker.clone());
    night.kind = "checkbox";
    let mut groups = vec![GroupView {
        legend: t.t("data.employee").into(),
        help: String::new(),
        fields: vec![
            id,
            FieldView::text("name", t.t("data.f_name").into(), values.name.clone()).required(),
            FieldView::text(
                "employment_percent",
                t.t("data.f_employment_percent").into(),
                values.percent.clone(),
            )
            .decimal()
            .required()
            .help(t.t("data.h_employment_percent")),
            FieldView::text(
                "full_time_hours",
                t.t("data.f_full_time_hours").into(),
                values.full_time.clone(),
            )
            .decimal()
            .help(t.t("data.h_full_time_hours")),
            FieldView::text("skills", t.t("data.f_skills").into(), values.skills.clone())
                .help(t.t("data.h_skills")),
            night,
        ],
    }];
    for (i, (skill, from, to)) in values.grants.iter().enumerate() {
        groups.push(GroupView {
            legend: t.f1("data.grant_n", i + 1),
            help: if i == 0 { t.t("data.h_grants").to_string() } else { String::new() },
            fields: vec![
                FieldView::text(&format!("grant_skill_{i}"), t.t("data.f_grant_skill").into(), skill.clone()),
                FieldView::text(&format!("grant_from_{i}"), t.t("data.f_valid_from").into(), from.clone())
                    .help(t.t("data.h_date")),
                FieldView::text(&format!("grant_to_{i}"), t.t("data.f_valid_to").into(), to.clone())
                    .help(t.t("data.h_date")),
            ],
        });
    }
    groups
}

/// The employee form's values as text.
#[derive(Debug, Clone, Default)]
struct EmployeeForm {
    id: String,
    name: String,
    percent: String,
    full_time: String,
    skills: String,
    night_worker: String,
    /// Dated skills (skill, from, to), with one empty row to add a new one.
    grants: Vec<(String, String, String)>,
}

impl EmployeeForm {
    fn from_view(view: &EmployeeView) -> EmployeeForm {
        let mut grants: Vec<_> = view
            .skill_grants
            .iter()
            .map(|g| (g.skill.clone(), g.valid_from.to_string(), g.valid_to.to_string()))
            .collect();
        grants.push(Default::default());
        EmployeeForm {
            id: view.id.clone(),
            name: view.name.clone(),
            percent: number_text(view.employment_percent),
            full_time: view.full_time_hours.map(number_text).unwrap_or_default(),
            skills: view.skills.join("|"),
            night_worker: if view.night_worker { "yes".into() } else { String::new() },
            grants,
        }
    }

    fn from_post(fields: &Posted) -> EmployeeForm {
        let mut grants = Vec::new();
        for i in 0.. {
            if !fields.iter().any(|(k, _)| k == &format!("grant_skill_{i}")) {
                break;
            }
            grants.push((
                posted(fields, &format!("grant_skill_{i}")).to_string(),
                posted(fields, &format!("grant_from_{i}")).to_string(),
                posted(fields, &format!("grant_to_{i}")).to_string(),
            ));
        }
        EmployeeForm {
            id: posted(fields, "id").to_string(),
            name: posted(fields, "name").to_string(),
            percent: posted(fields, "employment_percent").to_string(),
            full_time: posted(fields, "full_time_hours").to_string(),
            skills: posted(fields, "skills").to_string(),
            night_worker: posted(fields, "night_worker").to_string(),
            grants,
        }
    }

    /// Returns the API body, and for each dated skill sent the index of its form row, since
    /// empty rows are left out.
    fn body(&self) -> (Value, Vec<usize>) {
        let mut rows = Vec::new();
        let mut grants = Vec::new();
        for (i, (skill, from, to)) in self.grants.iter().enumerate() {
            if skill.trim().is_empty() && from.trim().is_empty() && to.trim().is_empty() {
                continue;
            }
            rows.push(i);
            grants.push(json!({ "skill": skill, "valid_from": from, "valid_to": to }));
        }
        let body = json!({
            "id": self.id, "name": self.name, "employment_percent": self.percent,
            "full_time_hours": self.full_time, "skills": self.skills,
            "night_worker": if self.night_worker == "yes" { "yes" } else { "no" },
            "skill_grants": grants,
        });
        (body, rows)
    }
}

/// Maps an API field of the employee body to the form field.
fn employee_field(rows: &[usize]) -> impl Fn(&str) -> String + '_ {
    |field: &str| {
        let Some(rest) = field.strip_prefix("skill_grants[") else { return field.to_string() };
        let Some((index, column)) = rest.split_once("].") else { return field.to_string() };
        let row = index.parse::<usize>().ok().and_then(|i| rows.get(i)).copied().unwrap_or(0);
        let name = match column {
            "skill" => "grant_skill",
            "valid_from" => "grant_from",
            _ => "grant_to",
        };
        format!("{name}_{row}")
    }
}

#[allow(clippy::too_many_arguments)]
async fn employee_page(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    unit: i64,
    values: &EmployeeForm,
    row_version: Option<i64>,
    error: Option<(ApiError, Vec<usize>)>,
) -> WebResult<Response> {
    let t = ui.t;
    let is_new = row_version.is_none();
    let mut groups = employee_groups(&t, values, is_new);
    let (message, general) = match &error {
        Some((error, rows)) => {
            let (message, general) = place_errors(&t, error, &mut groups, employee_field(rows));
            (Some(message), general)
        }
        None => (None, Vec::new()),
    };
    let key = crate::ui::encode_query(&values.id);
    let form = DataForm {
        ui: Chrome::new(ui, Some(caller)),
        t,
        title: if is_new {
            t.t("data.new_employee").into()
        } else {
            t.f1("data.employee_title", &values.name)
        },
        unit_name: unit_name(state, caller, unit).await?,
        help: String::new(),
        action: if is_new {
            format!("/units/{unit}/new-employee")
        } else {
            format!("/units/{unit}/staff/{key}")
        },
        row_version,
        groups,
        saved: false,
        error: message,
        general,
        remove: (!is_new).then(|| RemoveView {
            action: format!("/units/{unit}/staff/{key}/deactivate"),
            label: t.t("data.deactivate").into(),
            help: t.t("data.h_deactivate_employee").into(),
        }),
        back: format!("/units/{unit}/staff"),
    };
    match error {
        Some((error, _)) => page_with(error.status, &form),
        None => page(&form),
    }
}

/// `GET /units/{unit}/staff/{employee}`.
pub async fn employee_form(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, employee)): Path<(i64, String)>,
) -> WebResult<Response> {
    let caller = caller?;
    let Json(view) = api::get_employee(State(state.clone()), caller.clone(), Path((unit, employee))).await?;
    employee_page(&state, &ui, &caller, unit, &EmployeeForm::from_view(&view), Some(view.row_version), None)
        .await
}

/// `GET /units/{unit}/new-employee`.
pub async fn new_employee_form(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
) -> WebResult<Response> {
    let caller = caller?;
    let values =
        EmployeeForm { percent: "100".into(), grants: vec![Default::default()], ..Default::default() };
    employee_page(&state, &ui, &caller, unit, &values, None, None).await
}

/// `POST /units/{unit}/new-employee`.
pub async fn create_employee(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let values = EmployeeForm::from_post(&fields);
    let (body, rows) = values.body();
    match api::create_employee(State(state.clone()), caller.clone(), Path(unit), Json(body)).await {
        Ok(_) => Ok(redirect(&ui, &format!("/units/{unit}/staff?saved=1"))),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            employee_page(&state, &ui, &caller, unit, &values, None, Some((error, rows))).await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /units/{unit}/staff/{employee}`.
pub async fn update_employee(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, employee)): Path<(i64, String)>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let mut values = EmployeeForm::from_post(&fields);
    values.id = employee.clone();
    let (body, rows) = values.body();
    let headers = if_match(&fields);
    let version = posted(&fields, "row_version").trim().parse().ok();
    match api::update_employee(
        State(state.clone()),
        caller.clone(),
        Path((unit, employee)),
        headers,
        Json(body),
    )
    .await
    {
        Ok(_) => Ok(redirect(&ui, &format!("/units/{unit}/staff?saved=1"))),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            employee_page(&state, &ui, &caller, unit, &values, version, Some((error, rows))).await
        }
        Err(error) => Err(error.into()),
    }
}

/// `POST /units/{unit}/staff/{employee}/deactivate`.
pub async fn deactivate_employee(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, employee)): Path<(i64, String)>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let Json(record) =
        api::deactivate_employee(State(state), caller, Path((unit, employee)), if_match(&fields)).await?;
    tracing::info!(unit, employee = %record.id, "employee deactivated from the web page");
    Ok(redirect(&ui, &format!("/units/{unit}/staff?saved=1")))
}

// ---- shift types ----

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
    page(&DataList {
        ui: Chrome::new(&ui, Some(&caller)),
        t,
        title: t.t("data.shift_types").to_string(),
        unit_id: unit,
        unit_name: unit_name(&state, &caller, unit).await?,
        saved: saved.saved.is_some(),
        new_href: format!("/units/{unit}/new-shift-type"),
        new_label: t.t("data.new_shift").to_string(),
        headers: ["f_code", "f_shift_name", "f_time", "f_break_minutes", "f_skill", "status"]
            .iter()
            .map(|k| t.t(&format!("data.{k}")).to_string())
            .collect(),
        rows,
    })
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
    let mut groups = vec![GroupView {
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
    let (message, general) = match &error {
        Some(error) => {
            let (message, general) = place_errors(&t, error, &mut groups, str::to_string);
            (Some(message), general)
        }
        None => (None, Vec::new()),
    };
    let key = crate::ui::encode_query(&value("code"));
    let form = DataForm {
        ui: Chrome::new(ui, Some(caller)),
        t,
        title: if is_new { t.t("data.new_shift").into() } else { t.f1("data.shift_title", value("code")) },
        unit_name: unit_name(state, caller, unit).await?,
        help: String::new(),
        action: if is_new {
            format!("/units/{unit}/new-shift-type")
        } else {
            format!("/units/{unit}/shift-types/{key}")
        },
        row_version,
        groups,
        saved: false,
        error: message,
        general,
        remove: (!is_new).then(|| RemoveView {
            action: format!("/units/{unit}/shift-types/{key}/deactivate"),
            label: t.t("data.deactivate").into(),
            help: t.t("data.h_deactivate_shift").into(),
        }),
        back: format!("/units/{unit}/shift-types"),
    };
    match error {
        Some(error) => page_with(error.status, &form),
        None => page(&form),
    }
}

fn shift_body(fields: &Posted) -> Value {
    let object: Map<String, Value> = SHIFT_FIELDS
        .iter()
        .map(|name| (name.to_string(), Value::String(posted(fields, name).to_string())))
        .collect();
    Value::Object(object)
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
    match api::create_shift_type(State(state.clone()), caller.clone(), Path(unit), Json(shift_body(&fields)))
        .await
    {
        Ok(_) => Ok(redirect(&ui, &format!("/units/{unit}/shift-types?saved=1"))),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            shift_page(&state, &ui, &caller, unit, &fields, None, Some(error)).await
        }
        Err(error) => Err(error.into()),
    }
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
    let version = posted(&fields, "row_version").trim().parse().ok();
    let result = api::update_shift_type(
        State(state.clone()),
        caller.clone(),
        Path((unit, code)),
        if_match(&fields),
        Json(shift_body(&fields)),
    )
    .await;
    match result {
        Ok(_) => Ok(redirect(&ui, &format!("/units/{unit}/shift-types?saved=1"))),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            shift_page(&state, &ui, &caller, unit, &fields, version, Some(error)).await
        }
        Err(error) => Err(error.into()),
    }
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
    match api::deactivate_shift_type(
        State(state.clone()),
        caller.clone(),
        Path((unit, code.clone())),
        headers,
    )
    .await
    {
        Ok(_) => Ok(redirect(&ui, &format!("/units/{unit}/shift-types?saved=1"))),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            let Json(view) =
                api::get_shift_type(State(state.clone()), caller.clone(), Path((unit, code))).await?;
            shift_page(&state, &ui, &caller, unit, &shift_values(&view), Some(view.row_version), Some(error))
                .await
        }
        Err(error) => Err(error.into()),
    }
}

// ---- demand ----

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
        })
        .collect();
    page(&DataList {
        ui: Chrome::new(&ui, Some(&caller)),
        t,
        title: t.t("data.demand").to_string(),
        unit_id: unit,
        unit_name: unit_name(&state, &caller, unit).await?,
        saved: saved.saved.is_some(),
        new_href: format!("/units/{unit}/new-demand"),
        new_label: t.t("data.new_demand").to_string(),
        headers: ["f_day", "f_shift", "f_demand_skill", "f_min", "f_ideal"]
            .iter()
            .map(|k| t.t(&format!("data.{k}")).to_string())
            .collect(),
        rows,
    })
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
    let mut groups = vec![GroupView {
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
    let (message, general) = match &error {
        Some(error) => {
            let (message, general) = place_errors(&t, error, &mut groups, str::to_string);
            (Some(message), general)
        }
        None => (None, Vec::new()),
    };
    let form = DataForm {
        ui: Chrome::new(ui, Some(caller)),
        t,
        title: match id {
            Some(id) => t.f1("data.demand_title", id),
            None => t.t("data.new_demand").into(),
        },
        unit_name: unit_name(state, caller, unit).await?,
        help: String::new(),
        action: match id {
            Some(id) => format!("/units/{unit}/demand/{id}"),
            None => format!("/units/{unit}/new-demand"),
        },
        row_version,
        groups,
        saved: false,
        error: message,
        general,
        remove: id.map(|id| RemoveView {
            action: format!("/units/{unit}/demand/{id}/delete"),
            label: t.t("data.delete").into(),
            help: t.t("data.h_delete_demand").into(),
        }),
        back: format!("/units/{unit}/demand"),
    };
    match error {
        Some(error) => page_with(error.status, &form),
        None => page(&form),
    }
}

fn demand_body(fields: &Posted) -> Value {
    let object: Map<String, Value> = DEMAND_FIELDS
        .iter()
        .map(|name| (name.to_string(), Value::String(posted(fields, name).to_string())))
        .collect();
    Value::Object(object)
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
    match api::create_demand(State(state.clone()), caller.clone(), Path(unit), Json(demand_body(&fields)))
        .await
    {
        Ok(_) => Ok(redirect(&ui, &format!("/units/{unit}/demand?saved=1"))),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            demand_page(&state, &ui, &caller, unit, None, &fields, None, Some(error)).await
        }
        Err(error) => Err(error.into()),
    }
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
    let version = posted(&fields, "row_version").trim().parse().ok();
    let result = api::update_demand(
        State(state.clone()),
        caller.clone(),
        Path((unit, id)),
        if_match(&fields),
        Json(demand_body(&fields)),
    )
    .await;
    match result {
        Ok(_) => Ok(redirect(&ui, &format!("/units/{unit}/demand?saved=1"))),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            demand_page(&state, &ui, &caller, unit, Some(id), &fields, version, Some(error)).await
        }
        Err(error) => Err(error.into()),
    }
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

// ---- rules ----

/// The numeric `[rules]` keys in the order the form shows them; pairs are split into two
/// fields named `days_off.min` and so on.
const RULE_FIELDS: [&str; 14] = [
    "daily_rest_hours",
    "weekly_rest_hours",
    "max_average_weekly_hours",
    "max_work_without_break_hours",
    "max_consecutive_days",
    "days_off.min",
    "days_off.per",
    "weekends.max",
    "weekends.of",
    "history_days",
    "full_time_hours",
    "hours_tolerance",
    "publish_notice_days",
    "night_work_max_hours",
];

const WEIGHT_FIELDS: [&str; 12] =
    ["S1", "S2", "S2_over", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10", "S12"];

fn value_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Number(number) => number.as_f64().map(number_text).unwrap_or_else(|| number.to_string()),
        other => other.to_string(),
    }
}

fn rules_values(view: &RulesView) -> Posted {
    let mut values = vec![("preset".to_string(), view.preset.to_string())];
    for key in RULE_FIELDS {
        let value = match key.split_once('.') {
            Some((pair, part)) => value_text(&view.rules[pair][part]),
            None => value_text(view.rules.get(key).unwrap_or(&Value::Null)),
        };
        values.push((key.to_string(), value));
    }
    values.push(("night_work".into(), value_text(view.rules.get("night_work").unwrap_or(&Value::Null))));
    for key in WEIGHT_FIELDS {
        values.push((format!("weight_{key}"), value_text(view.weights.get(key).unwrap_or(&Value::Null))));
    }
    values
}

#[allow(clippy::too_many_arguments)]
async fn rules_page(
    ui: &Ui,
    caller: &Caller,
    unit_name: String,
    unit: i64,
    values: &Posted,
    row_version: i64,
    saved: bool,
    error: Option<ApiError>,
) -> WebResult<Response> {
    let t = ui.t;
    let value = |name: &str| posted(values, name).to_string();
    let mut preset = FieldView::text("preset", t.t("data.f_preset").into(), value("preset"));
    preset.kind = "select";
    preset.options = ["ab", "atl", "benchmark"]
        .iter()
        .map(|p| (p.to_string(), t.t(&format!("data.preset_{p}")).to_string()))
        .collect();
    let mut night = FieldView::text("night_work", t.t("data.r_night_work").into(), value("night_work"));
    night.kind = "select";
    night.options = ["off", "average", "hard"]
        .iter()
        .map(|m| (m.to_string(), t.t(&format!("data.night_{m}")).to_string()))
        .collect();
    let mut params = vec![preset];
    for key in RULE_FIELDS {
        let label = t.t(&format!("data.r_{}", key.replace('.', "_"))).to_string();
        params.push(FieldView::text(key, label, value(key)).decimal());
    }
    // The night-work mode comes before its hours.
    let at = params.iter().position(|f| f.name == "night_work_max_hours").unwrap_or(params.len());
    params.insert(at, night);
    let weights = WEIGHT_FIELDS
        .iter()
        .map(|key| {
            let name = format!("weight_{key}");
            FieldView::text(&name, t.t(&format!("data.w_{}", key.to_lowercase())).to_string(), value(&name))
                .numeric()
        })
        .collect();
    let mut groups = vec![
        GroupView { legend: t.t("data.params").into(), help: String::new(), fields: params },
        GroupView { legend: t.t("data.weights").into(), help: String::new(), fields: weights },
    ];
    let (message, general) = match &error {
        Some(error) => {
            let field_of = |field: &str| {
                if WEIGHT_FIELDS.contains(&field) {
                    format!("weight_{field}")
                } else if field == "days_off" || field == "weekends" {
                    // A pair's message goes next to its first field.
                    let first = if field == "days_off" { "min" } else { "max" };
                    format!("{field}.{first}")
                } else {
                    field.to_string()
                }
            };
            let (message, general) = place_errors(&t, error, &mut groups, field_of);
            (Some(message), general)
        }
        None => (None, Vec::new()),
    };
    let form = DataForm {
        ui: Chrome::new(ui, Some(caller)),
        t,
        title: t.t("data.rules").into(),
        unit_name,
        help: t.t("data.h_rules").into(),
        action: format!("/units/{unit}/rules"),
        row_version: Some(row_version),
        groups,
        saved,
        error: message,
        general,
        remove: None,
        back: format!("/units/{unit}"),
    };
    match error {
        Some(error) => page_with(error.status, &form),
        None => page(&form),
    }
}

/// `GET /units/{unit}/rules`.
pub async fn rules_form(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Query(saved): Query<Saved>,
) -> WebResult<Response> {
    let caller = caller?;
    let Json(view) = api::get_rules(State(state.clone()), caller.clone(), Path(unit)).await?;
    let name = unit_name(&state, &caller, unit).await?;
    rules_page(&ui, &caller, name, unit, &rules_values(&view), view.row_version, saved.saved.is_some(), None)
        .await
}

/// `POST /units/{unit}/rules`.
pub async fn save_rules(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let mut rules = Map::new();
    for key in RULE_FIELDS.iter().chain(&["night_work"]) {
        rules.insert(key.to_string(), Value::String(posted(&fields, key).to_string()));
    }
    let weights: Map<String, Value> = WEIGHT_FIELDS
        .iter()
        .map(|key| (key.to_string(), Value::String(posted(&fields, &format!("weight_{key}")).to_string())))
        .collect();
    let body = json!({ "preset": posted(&fields, "preset"), "rules": rules, "weights": weights });
    let version = posted(&fields, "row_version").trim().parse().unwrap_or(0);
    match api::update_rules(State(state.clone()), caller.clone(), Path(unit), if_match(&fields), Json(body))
        .await
    {
        Ok(_) => Ok(redirect(&ui, &format!("/units/{unit}/rules?saved=1"))),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            let name = unit_name(&state, &caller, unit).await?;
            rules_page(&ui, &caller, name, unit, &fields, version, false, Some(error)).await
        }
        Err(error) => Err(error.into()),
    }
}
