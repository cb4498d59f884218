//! The staff list and the employee form, with the employee's dated skills.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Form, Json};
use serde_json::{Value, json};
use turnus_server::routes::AppState;
use turnus_server::routes::unit_data as api;
use turnus_server::{ApiError, Caller, JsonBody};

use super::*;
use crate::ui::{Ui, WebResult, redirect};

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
            button: (!e.active).then(|| RowButton {
                action: format!("/units/{unit}/staff/{}/reactivate", crate::ui::encode_query(&e.id)),
                label: t.t("data.reactivate").into(),
                aria_label: t.f1("data.reactivate_label", &e.name),
                row_version: e.row_version,
            }),
        })
        .collect();
    let spec = ListSpec {
        title: "data.staff",
        new_label: "data.new_employee",
        new_path: "new-employee",
        headers: &[
            "f_id",
            "f_name",
            "f_employment_percent",
            "f_full_time_hours",
            "f_skills",
            "f_night_worker",
            "status",
        ],
    };
    list_page(&state, &ui, &caller, unit, &saved, spec, rows).await
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
    /// Whether the employee is active. A deactivated one gets a button to reactivate.
    active: bool,
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
            active: view.active,
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
            active: true,
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
    let groups = employee_groups(&t, values, is_new);
    let rows = error.as_ref().map(|(_, rows)| rows.as_slice()).unwrap_or_default();
    let error = error.as_ref().map(|(error, _)| error);
    let key = crate::ui::encode_query(&values.id);
    let mut form = DataForm::new(
        ui,
        caller,
        if is_new { t.t("data.new_employee").into() } else { t.f1("data.employee_title", &values.name) },
        unit_name(state, caller, unit).await?,
        if is_new { format!("/units/{unit}/new-employee") } else { format!("/units/{unit}/staff/{key}") },
        format!("/units/{unit}/staff"),
    );
    form.row_version = row_version;
    form.remove = match (is_new, values.active) {
        (true, _) => None,
        (false, true) => Some(RemoveView {
            action: format!("/units/{unit}/staff/{key}/deactivate"),
            label: t.t("data.deactivate").into(),
            help: t.t("data.h_deactivate_employee").into(),
        }),
        (false, false) => Some(RemoveView {
            action: format!("/units/{unit}/staff/{key}/reactivate"),
            label: t.t("data.reactivate").into(),
            help: t.t("data.h_reactivate_employee").into(),
        }),
    };
    // The API rejects changes to a deactivated employee until they are reactivated.
    if !is_new && !values.active {
        form.locked = Some(t.t("data.employee_locked").into());
    }
    form.render(groups, error, employee_field(rows))
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
    let values = EmployeeForm {
        percent: "100".into(),
        grants: vec![Default::default()],
        active: true,
        ..Default::default()
    };
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
    let result = api::create_employee(State(state.clone()), caller.clone(), Path(unit), JsonBody(body)).await;
    let Some(error) = form_rejection(result)? else {
        return Ok(redirect(&ui, &format!("/units/{unit}/staff?saved=1")));
    };
    employee_page(&state, &ui, &caller, unit, &values, None, Some((error, rows))).await
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
    let version = posted_row_version(&fields);
    let result = api::update_employee(
        State(state.clone()),
        caller.clone(),
        Path((unit, employee.clone())),
        headers,
        JsonBody(body),
    )
    .await;
    let Some(error) = form_rejection(result)? else {
        return Ok(redirect(&ui, &format!("/units/{unit}/staff?saved=1")));
    };
    // A deactivated employee cannot be saved, so the page offers to reactivate them.
    let Json(current) =
        api::get_employee(State(state.clone()), caller.clone(), Path((unit, employee))).await?;
    values.active = current.active;
    employee_page(&state, &ui, &caller, unit, &values, version, Some((error, rows))).await
}

/// `POST /units/{unit}/staff/{employee}/deactivate` and `…/reactivate`: changes the
/// activity and returns to the staff list.
pub async fn set_employee_activity(
    state: State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, employee, activity)): Path<(i64, String, String)>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let (caller, active) = (caller?, Activity::parse(&activity)?.active());
    let path = Path((unit, employee));
    let headers = if_match(&fields);
    let Json(record) = if active {
        api::reactivate_employee(state, caller, path, headers).await?
    } else {
        api::deactivate_employee(state, caller, path, headers).await?
    };
    tracing::info!(unit, employee = %record.id, active, "employee activity changed from the web page");
    Ok(redirect(&ui, &format!("/units/{unit}/staff?saved=1")))
}
