//! A unit's staff, shift types, demand rows and rule parameters, edited one at a time by a
//! chef or schemaläggare. Bodies use the bundle's column names and accept its values
//! (`"75,5"` or `75.5`), and turnus-io's form readers check them, so an invalid value gets
//! the message an import of the same value gets, with the field it belongs to. The store
//! checks the whole unit again inside its transaction, so nothing contradictory is saved.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use serde_json::{Map, Value, json};
use turnus_core::{DemandRow, Employee, RuleSet, ShiftType, SkillGrant};
use turnus_io::{FormFields, InputError, InputErrors};
use turnus_store::{DemandId, DemandRecord, EmployeeRecord, ShiftTypeRecord, StoreError, Unit, UnitId};

use super::AppState;
use super::versions::expected_row_version;
use crate::JsonBody;
use crate::access::{self, PLANNERS, UnitAccess};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Detail};

/// An employee as the API shows and takes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmployeeView {
    pub id: String,
    pub name: String,
    /// 1 to 100, with up to two decimals.
    pub employment_percent: f64,
    /// Weekly full-time measure in hours; `None` takes the rule set's.
    pub full_time_hours: Option<f64>,
    pub skills: Vec<String>,
    pub night_worker: bool,
    pub skill_grants: Vec<SkillGrantView>,
    pub active: bool,
    pub row_version: i64,
}

/// A skill held between two dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkillGrantView {
    pub skill: String,
    pub valid_from: jiff::civil::Date,
    pub valid_to: jiff::civil::Date,
}

impl From<EmployeeRecord> for EmployeeView {
    fn from(record: EmployeeRecord) -> EmployeeView {
        let employee = record.employee;
        EmployeeView {
            id: employee.id,
            name: employee.name,
            employment_percent: f64::from(employee.employment_basis_points) / 100.0,
            full_time_hours: employee.full_time_minutes.map(|m| f64::from(m) / 60.0),
            skills: employee.skills,
            night_worker: employee.night_worker,
            skill_grants: record
                .skill_grants
                .into_iter()
                .map(|g| SkillGrantView { skill: g.skill, valid_from: g.valid_from, valid_to: g.valid_to })
                .collect(),
            active: record.active,
            row_version: record.row_version,
        }
    }
}

/// A shift type as the API shows it, times as `HH:MM`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShiftTypeView {
    pub code: String,
    pub name: String,
    pub start: String,
    pub end: String,
    pub break_minutes: u32,
    pub skill: Option<String>,
    pub active: bool,
    pub row_version: i64,
}

impl From<ShiftTypeRecord> for ShiftTypeView {
    fn from(record: ShiftTypeRecord) -> ShiftTypeView {
        let shift = record.shift_type;
        ShiftTypeView {
            code: shift.code,
            name: shift.name,
            start: shift.start.strftime("%H:%M").to_string(),
            end: shift.end.strftime("%H:%M").to_string(),
            break_minutes: shift.break_minutes,
            skill: shift.skill,
            active: record.active,
            row_version: record.row_version,
        }
    }
}

/// A demand row as the API shows it; `day` as in demand.csv.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandView {
    pub id: DemandId,
    pub day: String,
    pub shift: String,
    pub skill: Option<String>,
    pub min: u32,
    pub ideal: u32,
    pub row_version: i64,
}

impl From<DemandRecord> for DemandView {
    fn from(record: DemandRecord) -> DemandView {
        DemandView {
            id: record.id,
            day: record.demand.day.to_string(),
            shift: record.demand.shift,
            skill: record.demand.skill,
            min: record.demand.min,
            ideal: record.demand.ideal,
            row_version: record.row_version,
        }
    }
}

/// Fields a client may send back unchanged from a read; they are not form values.
const READ_ONLY: [&str; 2] = ["active", "row_version"];

/// Builds the 422 error with one detail per field error: `field` (the bundle column), `value` and
/// the message, as the bundle reader words it.
pub fn form_error(errors: &[InputError]) -> ApiError {
    let details = errors
        .iter()
        .map(|e| Detail {
            fields: json!({ "field": e.column, "value": e.value }),
            sv: e.message_sv.clone(),
            en: e.message_en.clone(),
        })
        .collect();
    let count = errors.len();
    let en = if count == 1 { "1 error".to_string() } else { format!("{count} errors") };
    ApiError::unprocessable(
        format!("Formuläret innehåller {count} fel; rätta fälten och spara igen"),
        format!("The form has {en}; correct the fields and save again"),
    )
    .with_details(details)
}

fn field_error(field: &str, value: &str, sv: String, en: String) -> ApiError {
    form_error(&[InputError::file("form", sv, en).at_cell(field, value)])
}

/// Turns a JSON value into the text a CSV cell would hold: numbers as written, `true` as
/// `yes`, a list of skills joined with `|`, null as an empty cell.
fn cell_text(field: &str, value: &Value) -> ApiResult<String> {
    match value {
        Value::Null => Ok(String::new()),
        Value::String(text) => Ok(text.clone()),
        Value::Number(number) => Ok(number.to_string()),
        Value::Bool(yes) => Ok(if *yes { "yes" } else { "no" }.to_string()),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            Ok(items.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("|"))
        }
        other => Err(field_error(
            field,
            &other.to_string(),
            "värdet ska vara text, ett tal eller ja/nej".into(),
            "the value must be text, a number or yes/no".into(),
        )),
    }
}

/// Reads a JSON object into form fields, leaving out `skip` and the read-only fields.
fn form_fields(body: &Map<String, Value>, skip: &[&str]) -> ApiResult<FormFields> {
    let mut fields = FormFields::new();
    for (key, value) in body {
        if skip.contains(&key.as_str()) || READ_ONLY.contains(&key.as_str()) {
            continue;
        }
        fields.insert(key.clone(), cell_text(key, value)?);
    }
    Ok(fields)
}

fn body_object(body: &Value) -> ApiResult<&Map<String, Value>> {
    body.as_object().ok_or_else(|| {
        ApiError::unprocessable("Innehållet ska vara ett JSON-objekt", "The body must be a JSON object")
    })
}

fn input_errors(errors: InputErrors) -> ApiError {
    form_error(&errors.errors)
}

/// Reads an employee body: the staff.csv fields and `skill_grants`, a list of objects with
/// `skill`, `valid_from` and `valid_to`.
pub fn employee_from_body(body: &Value) -> ApiResult<(Employee, Vec<SkillGrant>)> {
    let object = body_object(body)?;
    let fields = form_fields(object, &["skill_grants"])?;
    let mut grants = Vec::new();
    match object.get("skill_grants") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                grants.push(form_fields(body_object(item)?, &[])?);
            }
        }
        Some(other) => {
            return Err(field_error(
                "skill_grants",
                &other.to_string(),
                "ska vara en lista av kompetenser med giltighetsdatum".into(),
                "must be a list of skills with validity dates".into(),
            ));
        }
    }
    turnus_io::read_employee_form(&fields, &grants).map_err(input_errors)
}

/// Reads a shift type body: the shifts.csv fields. `rules` are the unit's, which set how
/// long a shift may last without a break.
pub fn shift_from_body(body: &Value, rules: &RuleSet) -> ApiResult<ShiftType> {
    turnus_io::read_shift_form(&form_fields(body_object(body)?, &[])?, rules).map_err(input_errors)
}

/// Reads a demand row body: the demand.csv fields; an `id` is the path's and is skipped.
pub fn demand_from_body(body: &Value) -> ApiResult<DemandRow> {
    turnus_io::read_demand_form(&form_fields(body_object(body)?, &["id"])?).map_err(input_errors)
}

/// Maps a store error of a unit data change: contradictions become field errors worded as
/// the bundle reader words them.
fn store_error(error: StoreError) -> ApiError {
    match error {
        StoreError::InvalidProblem(errors) => {
            let described: Vec<InputError> = errors.iter().map(turnus_io::unit_data_error).collect();
            form_error(&described)
        }
        other => other.into(),
    }
}

fn planner(caller: &Caller, unit: i64) -> ApiResult<UnitAccess> {
    access::require(caller, UnitId(unit), PLANNERS)
}

/// `GET /api/v1/units/{unit}/employees`: active employees first, then deactivated ones.
pub async fn list_employees(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
) -> ApiResult<Json<Vec<EmployeeView>>> {
    let access = planner(&caller, unit)?;
    let records = state.store.list_employees(access.unit).await?;
    Ok(Json(records.into_iter().map(EmployeeView::from).collect()))
}

/// `GET /api/v1/units/{unit}/employees/{employee}`.
pub async fn get_employee(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, employee)): Path<(i64, String)>,
) -> ApiResult<Json<EmployeeView>> {
    let access = planner(&caller, unit)?;
    Ok(Json(state.store.get_employee(access.unit, &employee).await?.into()))
}

/// `POST /api/v1/units/{unit}/employees`: adds an employee, or brings back a deactivated
/// one with the same id.
pub async fn create_employee(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<(StatusCode, Json<EmployeeView>)> {
    let access = planner(&caller, unit)?;
    let (employee, grants) = employee_from_body(&body)?;
    if let Ok(existing) = state.store.get_employee(access.unit, &employee.id).await
        && existing.active
    {
        let error = turnus_core::ProblemError::DuplicateEmployee(employee.id.clone());
        return Err(form_error(&[turnus_io::unit_data_error(&error)]));
    }
    let record = state
        .store
        .create_employee(access.unit, &employee, &grants, &caller.change())
        .await
        .map_err(store_error)?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// `PUT /api/v1/units/{unit}/employees/{employee}` with `If-Match`. Limits that only
/// benchmark data sets are kept as they are.
pub async fn update_employee(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, employee_id)): Path<(i64, String)>,
    headers: HeaderMap,
    JsonBody(mut body): JsonBody<Value>,
) -> ApiResult<Json<EmployeeView>> {
    let access = planner(&caller, unit)?;
    let expected = expected_row_version(&headers)?;
    // The id is the path's; a body may leave it out.
    if let Value::Object(object) = &mut body {
        object.entry("id").or_insert_with(|| Value::String(employee_id.clone()));
    }
    let (mut employee, grants) = employee_from_body(&body)?;
    if employee.id != employee_id {
        return Err(field_error(
            "id",
            &employee.id,
            format!(
                "anställningsnumret kan inte ändras från {employee_id}; lägg till en ny anställd i stället"
            ),
            format!("the staff id cannot change from {employee_id}; add a new employee instead"),
        ));
    }
    let current = state.store.get_employee(access.unit, &employee_id).await?;
    employee.limits = current.employee.limits;
    let record = state
        .store
        .update_employee(access.unit, &employee_id, expected, &employee, &grants, &caller.change())
        .await
        .map_err(store_error)?;
    Ok(Json(record.into()))
}

/// `DELETE /api/v1/units/{unit}/employees/{employee}` with `If-Match`: deactivates the
/// employee, who stays in earlier schedules.
pub async fn deactivate_employee(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, employee)): Path<(i64, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<EmployeeView>> {
    set_employee_active(&state, &caller, (unit, &employee), &headers, false).await
}

/// `POST /api/v1/units/{unit}/employees/{employee}/reactivate` with `If-Match`: brings back a
/// deactivated employee with the values and skills they had.
pub async fn reactivate_employee(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, employee)): Path<(i64, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<EmployeeView>> {
    set_employee_active(&state, &caller, (unit, &employee), &headers, true).await
}

/// Deactivates or reactivates an employee. A request without a form gets the store's own
/// message, and a contradiction it would leave gets the import's wording, not the form's.
async fn set_employee_active(
    state: &AppState,
    caller: &Caller,
    (unit, employee): (i64, &str),
    headers: &HeaderMap,
    active: bool,
) -> ApiResult<Json<EmployeeView>> {
    let access = planner(caller, unit)?;
    let expected = expected_row_version(headers)?;
    let change = caller.change();
    let stored = if active {
        state.store.reactivate_employee(access.unit, employee, expected, &change).await
    } else {
        state.store.deactivate_employee(access.unit, employee, expected, &change).await
    };
    Ok(Json(stored?.into()))
}

/// `GET /api/v1/units/{unit}/shift-types`.
pub async fn list_shift_types(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
) -> ApiResult<Json<Vec<ShiftTypeView>>> {
    let access = planner(&caller, unit)?;
    let records = state.store.list_shift_types(access.unit).await?;
    Ok(Json(records.into_iter().map(ShiftTypeView::from).collect()))
}

/// `GET /api/v1/units/{unit}/shift-types/{code}`.
pub async fn get_shift_type(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, code)): Path<(i64, String)>,
) -> ApiResult<Json<ShiftTypeView>> {
    let access = planner(&caller, unit)?;
    Ok(Json(state.store.get_shift_type(access.unit, &code).await?.into()))
}

/// `POST /api/v1/units/{unit}/shift-types`.
pub async fn create_shift_type(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<(StatusCode, Json<ShiftTypeView>)> {
    let access = planner(&caller, unit)?;
    let rules = state.store.get_rules(access.unit).await?;
    let shift = shift_from_body(&body, &rules)?;
    if let Ok(existing) = state.store.get_shift_type(access.unit, &shift.code).await
        && existing.active
    {
        let error = turnus_core::ProblemError::DuplicateShift(shift.code.clone());
        return Err(form_error(&[turnus_io::unit_data_error(&error)]));
    }
    let record =
        state.store.create_shift_type(access.unit, &shift, &caller.change()).await.map_err(store_error)?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// `PUT /api/v1/units/{unit}/shift-types/{code}` with `If-Match`.
pub async fn update_shift_type(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, code)): Path<(i64, String)>,
    headers: HeaderMap,
    JsonBody(mut body): JsonBody<Value>,
) -> ApiResult<Json<ShiftTypeView>> {
    let access = planner(&caller, unit)?;
    let expected = expected_row_version(&headers)?;
    if let Value::Object(object) = &mut body {
        object.entry("code").or_insert_with(|| Value::String(code.clone()));
    }
    let rules = state.store.get_rules(access.unit).await?;
    let shift = shift_from_body(&body, &rules)?;
    if shift.code != code {
        return Err(field_error(
            "code",
            &shift.code,
            format!("passkoden kan inte ändras från {code}; lägg till ett nytt pass i stället"),
            format!("the shift code cannot change from {code}; add a new shift type instead"),
        ));
    }
    let record = state
        .store
        .update_shift_type(access.unit, &code, expected, &shift, &caller.change())
        .await
        .map_err(store_error)?;
    Ok(Json(record.into()))
}

/// `DELETE /api/v1/units/{unit}/shift-types/{code}` with `If-Match`: deactivates the shift
/// type once no demand row uses it.
pub async fn deactivate_shift_type(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, code)): Path<(i64, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<ShiftTypeView>> {
    set_shift_type_active(&state, &caller, (unit, &code), &headers, false).await
}

/// `POST /api/v1/units/{unit}/shift-types/{code}/reactivate` with `If-Match`: brings back a
/// deactivated shift type with the values and place in the list it had.
pub async fn reactivate_shift_type(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, code)): Path<(i64, String)>,
    headers: HeaderMap,
) -> ApiResult<Json<ShiftTypeView>> {
    set_shift_type_active(&state, &caller, (unit, &code), &headers, true).await
}

/// Deactivates or reactivates a shift type. The store rejects deactivating one that demand
/// rows still use, with a message that names the rows to delete first. As for employees,
/// no rejection here is worded as a form's.
async fn set_shift_type_active(
    state: &AppState,
    caller: &Caller,
    (unit, code): (i64, &str),
    headers: &HeaderMap,
    active: bool,
) -> ApiResult<Json<ShiftTypeView>> {
    let access = planner(caller, unit)?;
    let expected = expected_row_version(headers)?;
    let change = caller.change();
    let stored = if active {
        state.store.reactivate_shift_type(access.unit, code, expected, &change).await
    } else {
        state.store.deactivate_shift_type(access.unit, code, expected, &change).await
    };
    Ok(Json(stored?.into()))
}

/// Checks a demand row against the unit's others: its shift type must exist, and no other
/// row may give the demand for the same day, shift and skill.
async fn check_demand(
    state: &AppState,
    unit: UnitId,
    row: &DemandRow,
    except: Option<DemandId>,
) -> ApiResult<()> {
    let shifts = state.store.list_shift_types(unit).await?;
    if !shifts.iter().any(|s| s.active && s.shift_type.code == row.shift) {
        let error = turnus_core::ProblemError::UnknownShift { context: "demand", code: row.shift.clone() };
        return Err(form_error(&[turnus_io::unit_data_error(&error)]));
    }
    let demand = state.store.list_demand(unit).await?;
    if let Some(other) = demand.iter().find(|r| {
        Some(r.id) != except
            && r.demand.day == row.day
            && r.demand.shift == row.shift
            && r.demand.skill == row.skill
    }) {
        let day = row.day.to_string();
        return Err(field_error(
            "day",
            &day,
            format!(
                "behovet för {day} och pass {} finns redan på rad {}; ändra den raden",
                row.shift, other.id
            ),
            format!(
                "the demand for {day} and shift {} is already given in row {}; change that row",
                row.shift, other.id
            ),
        ));
    }
    Ok(())
}

/// `GET /api/v1/units/{unit}/demand`.
pub async fn list_demand(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
) -> ApiResult<Json<Vec<DemandView>>> {
    let access = planner(&caller, unit)?;
    let records = state.store.list_demand(access.unit).await?;
    Ok(Json(records.into_iter().map(DemandView::from).collect()))
}

/// `GET /api/v1/units/{unit}/demand/{row}`.
pub async fn get_demand(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, row)): Path<(i64, i64)>,
) -> ApiResult<Json<DemandView>> {
    let access = planner(&caller, unit)?;
    Ok(Json(state.store.get_demand(access.unit, DemandId(row)).await?.into()))
}

/// `POST /api/v1/units/{unit}/demand`.
pub async fn create_demand(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<(StatusCode, Json<DemandView>)> {
    let access = planner(&caller, unit)?;
    let row = demand_from_body(&body)?;
    check_demand(&state, access.unit, &row, None).await?;
    let record = state.store.create_demand(access.unit, &row, &caller.change()).await.map_err(store_error)?;
    Ok((StatusCode::CREATED, Json(record.into())))
}

/// `PUT /api/v1/units/{unit}/demand/{row}` with `If-Match`. Cover weights that only
/// benchmark data sets are kept.
pub async fn update_demand(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, id)): Path<(i64, i64)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Json<DemandView>> {
    let access = planner(&caller, unit)?;
    let expected = expected_row_version(&headers)?;
    let mut row = demand_from_body(&body)?;
    let current = state.store.get_demand(access.unit, DemandId(id)).await?;
    row.under_weight = current.demand.under_weight;
    row.over_weight = current.demand.over_weight;
    check_demand(&state, access.unit, &row, Some(DemandId(id))).await?;
    let record = state
        .store
        .update_demand(access.unit, DemandId(id), expected, &row, &caller.change())
        .await
        .map_err(store_error)?;
    Ok(Json(record.into()))
}

/// `DELETE /api/v1/units/{unit}/demand/{row}` with `If-Match`.
pub async fn delete_demand(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, id)): Path<(i64, i64)>,
    headers: HeaderMap,
) -> ApiResult<StatusCode> {
    let access = planner(&caller, unit)?;
    let expected = expected_row_version(&headers)?;
    state.store.delete_demand(access.unit, DemandId(id), expected, &caller.change()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The unit's rule parameters as `unit.toml` states them, with the unit's row version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulesView {
    pub preset: &'static str,
    /// The `[rules]` keys with their values; `null` where the rule has no limit.
    pub rules: Map<String, Value>,
    /// The `[weights]` keys (soft-goal ids) with their weights.
    pub weights: Map<String, Value>,
    pub row_version: i64,
}

fn hours(minutes: i64) -> Value {
    // Minutes as hours with up to two decimals, as the bundle writes them.
    json!((minutes as f64 / 60.0 * 100.0).round() / 100.0)
}

impl RulesView {
    /// Builds the view of a rule set and the unit row it belongs to.
    pub fn new(rules: &RuleSet, unit: &Unit) -> RulesView {
        let p = &rules.params;
        let limit = |value: u32| if value == u32::MAX { Value::Null } else { json!(value) };
        let (night_work, night_hours) = match p.night_work {
            turnus_core::NightWork::Off => ("off", Value::Null),
            turnus_core::NightWork::Average { max_minutes } => ("average", hours(max_minutes)),
            turnus_core::NightWork::Hard { max_minutes } => ("hard", hours(max_minutes)),
        };
        let mut params = Map::new();
        params.insert("daily_rest_hours".into(), hours(p.daily_rest_minutes));
        params.insert("weekly_rest_hours".into(), hours(p.weekly_rest_minutes));
        params.insert("max_average_weekly_hours".into(), hours(p.max_average_weekly_minutes));
        params.insert("max_work_without_break_hours".into(), hours(p.max_work_without_break_minutes));
        params.insert("max_consecutive_days".into(), limit(p.max_consecutive_days));
        params.insert("days_off".into(), json!({ "min": p.days_off_min, "per": p.days_off_per }));
        params.insert("weekends".into(), json!({ "max": p.weekends_max, "of": p.weekends_of }));
        params.insert("history_days".into(), json!(p.history_days));
        params.insert("full_time_hours".into(), hours(i64::from(p.full_time_minutes)));
        params.insert("hours_tolerance".into(), hours(p.hours_tolerance_minutes));
        params.insert("publish_notice_days".into(), json!(p.publish_notice_days));
        params.insert("night_work".into(), json!(night_work));
        params.insert("night_work_max_hours".into(), night_hours);

        let w = &rules.weights;
        let mut weights = Map::new();
        for (key, value) in [
            ("S1", w.min_cover),
            ("S2", w.ideal_cover_under),
            ("S2_over", w.cover_over),
            ("S3", w.contract_hours),
            ("S4", w.wish),
            ("S5", w.fair_burden),
            ("S6", w.proportional_shifts),
            ("S7", w.ryggpass),
            ("S8", w.split_shift),
            ("S9", w.compact_days),
            ("S10", w.stable_shift_types),
            ("S12", w.whole_weekends),
        ] {
            weights.insert(key.into(), json!(value));
        }
        RulesView {
            preset: turnus_io::preset_name(rules.preset),
            rules: params,
            weights,
            row_version: unit.row_version,
        }
    }
}

/// Reads a rules body (`preset`, `rules`, `weights`, as [`RulesView`]) into a rule set.
/// A pair such as `days_off` is an object `{ "min", "per" }` or its fields as
/// `days_off.min` and `days_off.per`.
pub fn rules_from_body(body: &Value, current: &RuleSet) -> ApiResult<RuleSet> {
    let object = body_object(body)?;
    let preset = match object.get("preset") {
        None | Some(Value::Null) => turnus_io::preset_name(current.preset).to_string(),
        Some(value) => cell_text("preset", value)?,
    };
    let mut rules = FormFields::new();
    if let Some(Value::Object(params)) = object.get("rules") {
        for (key, value) in params {
            match value {
                Value::Object(pair) => {
                    for (part, value) in pair {
                        rules.insert(format!("{key}.{part}"), cell_text(key, value)?);
                    }
                }
                value => {
                    rules.insert(key.clone(), cell_text(key, value)?);
                }
            }
        }
    }
    let weights = match object.get("weights") {
        Some(Value::Object(weights)) => form_fields(weights, &[])?,
        _ => FormFields::new(),
    };
    turnus_io::read_rules_form(&preset, &rules, &weights, current).map_err(input_errors)
}

/// `GET /api/v1/units/{unit}/rules`.
pub async fn get_rules(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
) -> ApiResult<Json<RulesView>> {
    let access = planner(&caller, unit)?;
    let found = state.store.get_unit(access.unit).await?;
    let rules = state.store.get_rules(access.unit).await?;
    Ok(Json(RulesView::new(&rules, &found)))
}

/// `PUT /api/v1/units/{unit}/rules` with `If-Match` naming the unit's row version.
pub async fn update_rules(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> ApiResult<Json<RulesView>> {
    let access = planner(&caller, unit)?;
    let expected = expected_row_version(&headers)?;
    let current = state.store.get_rules(access.unit).await?;
    let rules = rules_from_body(&body, &current)?;
    let found = state
        .store
        .update_rules(access.unit, expected, &rules, &caller.change())
        .await
        .map_err(store_error)?;
    Ok(Json(RulesView::new(&rules, &found)))
}
