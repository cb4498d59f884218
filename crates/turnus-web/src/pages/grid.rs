//! The schedule grid of a period for planners: one version with its findings, the cell
//! editor (change a shift, pin or unpin, see the findings of the change at once), the
//! "Optimera" solve with its progress bar, and two versions side by side.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Form, Json};
use jiff::civil::Date;
use serde::Deserialize;
use turnus_core::{Assignment, Evaluation, Finding, Pin, Problem, Schedule};
use turnus_server::access::{self, PLANNERS, UnitAccess};
use turnus_server::routes::jobs::SolveParams;
use turnus_server::routes::{AppState, jobs, periods};
use turnus_server::{ApiError, Caller, JsonBody};
use turnus_store::{
    AssignmentEdit, AssignmentRecord, PeriodId, PeriodState, SchedulePeriod, UnitId, VersionId, VersionKind,
    VersionRecord,
};

use super::change_reasons::change_reasons;
use super::schedule_view::{GridView, build_grid, finding_text};
use super::{period_label, state_label};
use crate::i18n::Texts;
use crate::ui::{Chrome, Ui, WebResult, html, page, redirect, user_error};

/// Solve time limits offered by the "Optimera" form, in seconds.
const SOLVE_SECONDS: &[u64] = &[10, 30, 60, 180];

/// A version's problem, assignments and their evaluation.
pub struct Loaded {
    pub problem: Problem,
    pub assignments: Vec<AssignmentRecord>,
    pub evaluation: Evaluation,
}

/// Evaluates `schedule` on a blocking thread.
///
/// # Errors
///
/// 422 when the period's input contradicts itself.
pub async fn evaluate(problem: Problem, schedule: Schedule) -> WebResult<(Problem, Evaluation)> {
    let result = tokio::task::spawn_blocking(move || {
        let evaluation = turnus_core::evaluate(&problem, &schedule);
        (problem, evaluation)
    })
    .await
    .map_err(|_| ApiError::internal())?;
    match result {
        (problem, Ok(evaluation)) => Ok((problem, evaluation)),
        (_, Err(errors)) => Err(ApiError::unprocessable(
            format!("Periodens indata är motsägelsefull: {} fel", errors.len()),
            format!("The period's input is contradictory: {} errors", errors.len()),
        )
        .into()),
    }
}

fn schedule_of(assignments: &[AssignmentRecord]) -> Schedule {
    Schedule { assignments: assignments.iter().map(|a| a.assignment.clone()).collect() }
}

/// Loads and evaluates one version of a unit.
pub async fn load_version(state: &AppState, unit: UnitId, version: &VersionRecord) -> WebResult<Loaded> {
    let problem = state.store.load_problem(unit, version.period_id).await?;
    let assignments = state.store.list_assignments(unit, version.id).await?;
    let (problem, evaluation) = evaluate(problem, schedule_of(&assignments)).await?;
    Ok(Loaded { problem, assignments, evaluation })
}

/// The version a page shows: the one asked for, else the published one, else the newest.
fn choose_version(versions: &[VersionRecord], asked: Option<i64>) -> Option<&VersionRecord> {
    if let Some(id) = asked {
        return versions.iter().find(|v| v.id.0 == id);
    }
    versions
        .iter()
        .find(|v| v.kind == VersionKind::Published)
        .or_else(|| versions.iter().max_by_key(|v| v.id.0))
}

/// A version in the version picker.
pub struct VersionOption {
    pub id: i64,
    pub label: String,
    pub selected: bool,
}

fn version_label(t: &Texts, version: &VersionRecord) -> String {
    let kind = match version.kind {
        VersionKind::Published => t.t("grid.published"),
        VersionKind::Proposal => t.t("grid.proposal"),
    };
    t.f3("grid.version_label", version.id.0, kind, version.score.hard)
}

/// The grid and the panels that an edit replaces together.
pub struct GridArea {
    pub grid: GridView,
    /// Findings of the last change, when the area is the response to an edit.
    pub change: Option<Vec<ChangeFinding>>,
    pub change_title: String,
}

/// A finding of a change, with whether it is a hard rule.
pub struct ChangeFinding {
    pub hard: bool,
    pub text: String,
}

#[derive(Template)]
#[template(path = "grid.html")]
struct GridPage {
    ui: Chrome,
    t: Texts,
    unit_id: i64,
    unit_name: String,
    period_id: i64,
    period_label: String,
    state: String,
    can_send_to_review: bool,
    can_publish: bool,
    versions: Vec<VersionOption>,
    compare_with: Vec<VersionOption>,
    solve_seconds: &'static [u64],
    area: Option<GridArea>,
}

#[derive(Template)]
#[template(path = "grid_area.html")]
struct GridAreaFragment {
    t: Texts,
    area: GridArea,
}

#[derive(Debug, Deserialize)]
pub struct VersionQuery {
    version: Option<i64>,
}

async fn planner_period(
    state: &AppState,
    caller: &Caller,
    unit: i64,
    period: i64,
) -> WebResult<(UnitAccess, SchedulePeriod)> {
    let access = access::require(caller, UnitId(unit), PLANNERS)?;
    let found = state.store.get_period(access.unit, PeriodId(period)).await?;
    Ok((access, found))
}

/// `GET /units/{unit}/periods/{period}`: the grid for planners; staff go to their own view.
pub async fn grid_page(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, period)): Path<(i64, i64)>,
    Query(query): Query<VersionQuery>,
) -> WebResult<Response> {
    let caller = caller?;
    let t = ui.t;
    let any = access::require(&caller, UnitId(unit), turnus_server::access::ANY_ROLE)?;
    if !any.is_planner() {
        return Ok(redirect(&ui, "/my"));
    }
    let (access, found) = planner_period(&state, &caller, unit, period).await?;
    let unit_record = state.store.get_unit(access.unit).await?;
    let versions = state.store.list_versions(access.unit, found.id).await?;
    let chosen = choose_version(&versions, query.version);
    if query.version.is_some() && chosen.is_none() {
        return Err(ApiError::not_found("Schemaversionen", "The schedule version").into());
    }
    let area = match chosen {
        Some(version) => {
            let loaded = load_version(&state, access.unit, version).await?;
            // The store changes assignments only while the period is in proposal or review.
            let editable = version.kind == VersionKind::Proposal
                && matches!(found.state, PeriodState::Proposal | PeriodState::Review);
            let grid = build_grid(
                &t,
                unit,
                version.id.0,
                editable,
                &loaded.problem,
                &loaded.assignments,
                &loaded.evaluation,
            );
            Some(GridArea { grid, change: None, change_title: String::new() })
        }
        None => None,
    };
    let chosen_id = chosen.map(|v| v.id.0);
    let is_manager = access.is_admin || access.roles.contains(&turnus_store::Role::Manager);
    let options = |skip: Option<i64>| {
        versions
            .iter()
            .filter(|v| Some(v.id.0) != skip)
            .map(|v| VersionOption {
                id: v.id.0,
                label: version_label(&t, v),
                selected: Some(v.id.0) == chosen_id,
            })
            .collect::<Vec<_>>()
    };
    page(&GridPage {
        ui: Chrome::new(&ui, Some(&caller)),
        t,
        unit_id: unit,
        unit_name: unit_record.name,
        period_id: period,
        period_label: period_label(&t, &found),
        state: state_label(&t, found.state),
        can_send_to_review: found.state == PeriodState::Proposal && chosen.is_some(),
        can_publish: is_manager && found.state == PeriodState::Review,
        versions: options(None),
        compare_with: options(chosen_id),
        solve_seconds: SOLVE_SECONDS,
        area,
    })
}

#[derive(Template)]
#[template(path = "cell_editor.html")]
struct CellEditor {
    t: Texts,
    unit_id: i64,
    version_id: i64,
    employee: String,
    employee_name: String,
    date: String,
    row_version: Option<i64>,
    current: String,
    options: Vec<(String, String, bool)>,
    pinned: bool,
}

#[derive(Debug, Deserialize)]
pub struct CellQuery {
    employee: String,
    date: String,
}

fn parse_date(value: &str) -> WebResult<Date> {
    value.parse().map_err(|_| user_error(StatusCode::BAD_REQUEST, "error.bad_date", value))
}

/// `GET /units/{unit}/versions/{version}/cell?employee=&date=`: the editor of one cell.
pub async fn cell_editor(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, version)): Path<(i64, i64)>,
    Query(query): Query<CellQuery>,
) -> WebResult<Response> {
    let caller = caller?;
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    let date = parse_date(&query.date)?;
    let record = state.store.get_version(access.unit, VersionId(version)).await?;
    let problem = state.store.load_problem(access.unit, record.period_id).await?;
    let Some(employee) = problem.employees.iter().find(|e| e.id == query.employee) else {
        return Err(user_error(StatusCode::BAD_REQUEST, "error.unknown_employee", &query.employee));
    };
    let assignments = state.store.list_assignments(access.unit, record.id).await?;
    let existing =
        assignments.iter().find(|a| a.assignment.employee == employee.id && a.assignment.date == date);
    let current = existing.map(|a| a.assignment.shift.clone()).unwrap_or_default();
    let mut options = vec![(String::new(), ui.t.t("grid.off").to_string(), current.is_empty())];
    for shift in &problem.shift_types {
        let label = format!(
            "{} – {} {}–{}",
            shift.code,
            shift.name,
            shift.start.strftime("%H:%M"),
            shift.end.strftime("%H:%M")
        );
        options.push((shift.code.clone(), label, shift.code == current));
    }
    let editor = CellEditor {
        t: ui.t,
        unit_id: unit,
        version_id: version,
        employee: employee.id.clone(),
        employee_name: employee.name.clone(),
        date: date.to_string(),
        row_version: existing.map(|a| a.row_version),
        current,
        options,
        pinned: problem.pins.iter().any(|p| p.employee == employee.id && p.date == date),
    };
    Ok(html(StatusCode::OK, editor.render()?))
}

#[derive(Debug, Deserialize)]
pub struct CellForm {
    employee: String,
    date: String,
    #[serde(default)]
    shift: String,
    row_version: Option<String>,
    pin: Option<String>,
    #[serde(default)]
    reason: String,
}

/// `POST /units/{unit}/versions/{version}/cell`: changes one cell (a shift, a day off, or
/// the pin), evaluates the version again, saves its score and findings, and returns the
/// grid with the findings of the change.
pub async fn save_cell(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, version)): Path<(i64, i64)>,
    Form(form): Form<CellForm>,
) -> WebResult<Response> {
    let caller = caller?;
    let t = ui.t;
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    let date = parse_date(&form.date)?;
    let record = state.store.get_version(access.unit, VersionId(version)).await?;
    if record.kind != VersionKind::Proposal {
        return Err(user_error(StatusCode::CONFLICT, "error.published_read_only", version));
    }
    let problem = state.store.load_problem(access.unit, record.period_id).await?;
    if !problem.employees.iter().any(|e| e.id == form.employee) {
        return Err(user_error(StatusCode::BAD_REQUEST, "error.unknown_employee", &form.employee));
    }
    let shift = form.shift.trim();
    if !shift.is_empty() && !problem.shift_types.iter().any(|s| s.code == shift) {
        return Err(user_error(StatusCode::BAD_REQUEST, "error.unknown_shift", shift));
    }
    let expected = match form.row_version.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => Some(
            v.parse::<i64>().map_err(|_| user_error(StatusCode::BAD_REQUEST, "error.bad_row_version", v))?,
        ),
        None => None,
    };
    let reason = Some(form.reason.trim().to_string()).filter(|r| !r.is_empty());
    let change = caller.change_because(reason.as_deref());

    // Phase 1: the assignment itself.
    let assignments = state.store.list_assignments(access.unit, record.id).await?;
    let existing =
        assignments.iter().find(|a| a.assignment.employee == form.employee && a.assignment.date == date);
    let edit = AssignmentEdit {
        assignment: Assignment { employee: form.employee.clone(), date, shift: shift.to_string() },
        override_reason: reason.clone(),
    };
    match (existing, shift.is_empty()) {
        (Some(existing), false) if existing.assignment.shift != shift => {
            let expected = expected.unwrap_or(existing.row_version);
            state.store.update_assignment(access.unit, existing.id, expected, &edit, &change).await?;
        }
        (Some(existing), true) => {
            let expected = expected.unwrap_or(existing.row_version);
            state.store.delete_assignment(access.unit, existing.id, expected, &change).await?;
        }
        (None, false) => {
            state.store.add_assignment(access.unit, record.id, &edit, &change).await?;
        }
        _ => {}
    }

    // Phase 2: the pin, through the API's handlers.
    let pinned = problem.pins.iter().any(|p| p.employee == form.employee && p.date == date);
    let want_pin = form.pin.is_some();
    let period = record.period_id.0;
    if want_pin {
        let pin = Pin {
            employee: form.employee.clone(),
            date,
            shift: Some(shift.to_string()).filter(|s| !s.is_empty()),
        };
        periods::set_pin(State(state.clone()), caller.clone(), Path((unit, period)), JsonBody(pin)).await?;
    } else if pinned {
        periods::remove_pin(
            State(state.clone()),
            caller.clone(),
            Path((unit, period, form.employee.clone(), date)),
        )
        .await?;
    }

    // Phase 3: evaluate again, save, and show the findings the change touches.
    let loaded = load_version(&state, access.unit, &record).await?;
    let findings_json =
        serde_json::to_value(&loaded.evaluation.findings).map_err(|_| ApiError::internal())?;
    state
        .store
        .set_version_evaluation(access.unit, record.id, loaded.evaluation.score, &findings_json, &change)
        .await?;
    tracing::info!(unit, version, employee = %form.employee, %date, shift, "cell changed");
    let change_findings: Vec<ChangeFinding> = loaded
        .evaluation
        .findings
        .iter()
        .filter(|f| touches(f, &form.employee, date))
        .map(|f| ChangeFinding { hard: f.hard, text: finding_text(&t, f) })
        .collect();
    let grid = build_grid(&t, unit, version, true, &loaded.problem, &loaded.assignments, &loaded.evaluation);
    let shown = if shift.is_empty() { t.t("grid.off").to_string() } else { shift.to_string() };
    let name =
        loaded.problem.employees.iter().find(|e| e.id == form.employee).map_or("", |e| e.name.as_str());
    let area = GridArea {
        grid,
        change: Some(change_findings),
        change_title: t.f3("grid.change_title", name, date, shown),
    };
    Ok(html(StatusCode::OK, GridAreaFragment { t, area }.render()?))
}

/// Checks whether a finding concerns the changed employee, or the cover of the changed date.
fn touches(finding: &Finding, employee: &str, date: Date) -> bool {
    match &finding.employee {
        Some(e) => e == employee,
        None => finding.from.is_some_and(|from| from <= date) && finding.to.is_none_or(|to| date <= to),
    }
}

#[derive(Template)]
#[template(path = "job_progress.html")]
struct JobProgress {
    t: Texts,
    events_url: String,
    done_url: String,
    job_id: i64,
}

#[derive(Debug, Deserialize)]
pub struct OptimizeForm {
    seconds: Option<u64>,
    from_version: Option<String>,
}

/// `POST /units/{unit}/periods/{period}/optimize`: queues a solve job through the API and
/// returns the progress bar, which follows the job's server-sent events and then opens the
/// comparison with the version it started from.
pub async fn optimize(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, period)): Path<(i64, i64)>,
    Form(form): Form<OptimizeForm>,
) -> WebResult<Response> {
    let caller = caller?;
    let seconds = form.seconds.unwrap_or(30);
    if !SOLVE_SECONDS.contains(&seconds) {
        return Err(user_error(StatusCode::BAD_REQUEST, "error.bad_seconds", seconds));
    }
    let params = SolveParams { time_limit_ms: Some(seconds * 1000), ..SolveParams::default() };
    let (_, Json(job)) = jobs::solve(State(state), caller, Path((unit, period)), JsonBody(params)).await?;
    let from = form.from_version.filter(|v| v.parse::<i64>().is_ok());
    let done_url = match from {
        Some(a) => format!("/units/{unit}/periods/{period}/compare?a={a}&b="),
        None => format!("/units/{unit}/periods/{period}?version="),
    };
    let progress = JobProgress {
        t: ui.t,
        events_url: format!("/api/v1/units/{unit}/jobs/{}/events", job.id.0),
        done_url,
        job_id: job.id.0,
    };
    Ok(html(StatusCode::ACCEPTED, progress.render()?))
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    ui: Chrome,
    t: Texts,
    unit_id: i64,
    period_id: i64,
    period_label: String,
    left: GridView,
    right: GridView,
    left_label: String,
    right_label: String,
    changes: Vec<ChangeLine>,
}

/// A changed cell of the comparison and the reasons listed for it.
pub struct ChangeLine {
    pub text: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct CompareQuery {
    a: i64,
    b: i64,
}

/// `GET /units/{unit}/periods/{period}/compare?a=&b=`: two versions side by side, with the
/// changed cells marked and listed.
pub async fn compare(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, period)): Path<(i64, i64)>,
    Query(query): Query<CompareQuery>,
) -> WebResult<Response> {
    let caller = caller?;
    let t = ui.t;
    let (access, found) = planner_period(&state, &caller, unit, period).await?;
    let a = state.store.get_version(access.unit, VersionId(query.a)).await?;
    let b = state.store.get_version(access.unit, VersionId(query.b)).await?;
    if a.period_id != found.id || b.period_id != found.id {
        return Err(ApiError::not_found("Schemaversionen", "The schedule version").into());
    }
    let left = load_version(&state, access.unit, &a).await?;
    let right = load_version(&state, access.unit, &b).await?;
    let mut left_grid =
        build_grid(&t, unit, a.id.0, false, &left.problem, &left.assignments, &left.evaluation);
    let mut right_grid =
        build_grid(&t, unit, b.id.0, false, &right.problem, &right.assignments, &right.evaluation);

    let mut changes = Vec::new();
    for (row_a, row_b) in left_grid.rows.iter_mut().zip(right_grid.rows.iter_mut()) {
        for (cell_a, cell_b) in row_a.cells.iter_mut().zip(row_b.cells.iter_mut()) {
            if cell_a.code != cell_b.code {
                cell_a.class.push_str(" changed");
                cell_b.class.push_str(" changed");
                let off = t.t("grid.off");
                let from = if cell_a.code.is_empty() { off } else { cell_a.code.as_str() };
                let to = if cell_b.code.is_empty() { off } else { cell_b.code.as_str() };
                let reasons = match cell_a.date.parse::<Date>() {
                    Ok(date) => change_reasons(
                        &t,
                        &left.evaluation,
                        &right.evaluation,
                        &row_a.id,
                        date,
                        [cell_a.code.as_str(), cell_b.code.as_str()],
                    ),
                    Err(_) => Vec::new(),
                };
                changes.push(ChangeLine {
                    text: format!("{} {}: {from} → {to}", row_a.name, cell_a.date),
                    reasons,
                });
            }
        }
    }
    page(&ComparePage {
        ui: Chrome::new(&ui, Some(&caller)),
        t,
        unit_id: unit,
        period_id: period,
        period_label: period_label(&t, &found),
        left_label: version_label(&t, &a),
        right_label: version_label(&t, &b),
        left: left_grid,
        right: right_grid,
        changes,
    })
}
