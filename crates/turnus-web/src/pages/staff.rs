//! The staff view, phone-first: my published schedule per period, the calendar file of it,
//! my wishes for a period in a calendar form until the deadline, and per wish whether it
//! was granted and why not. Reads and writes go through the API's handlers, which keep a
//! medarbetare to their own employee and to open periods.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, IF_MATCH};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use jiff::Timestamp;
use jiff::civil::Date;
use turnus_core::{Problem, Wish, WishKind, WishOutcome};
use turnus_export::ExportOptions;
use turnus_server::access::{self, ANY_ROLE, UnitAccess};
use turnus_server::routes::{AppState, periods, versions, wishes};
use turnus_server::{ApiError, Caller, JsonBody};
use turnus_store::{PeriodState, SchedulePeriod, UnitId, WishRecord};

use super::feed::{MyFeed, my_feed};
use super::grid::evaluate;
use super::schedule_view::{period_days, shift_kind};
use super::{local_time, period_label, state_label};
use crate::i18n::Texts;
use crate::ui::{Chrome, Ui, WebResult, page, page_with, redirect, user_error};

/// One day of my schedule.
pub struct MyDay {
    pub date: String,
    pub weekday: String,
    pub code: String,
    pub time: String,
    pub kind: &'static str,
}

/// A week of my schedule.
pub struct MyWeek {
    pub label: String,
    pub days: Vec<MyDay>,
}

/// A wish and what became of it.
pub struct WishLine {
    pub date: String,
    pub text: String,
    pub granted: Option<bool>,
    pub reason: String,
}

/// One period in the staff view.
pub struct MyPeriod {
    pub label: String,
    pub state: String,
    pub wishes_href: Option<String>,
    pub deadline: Option<String>,
    pub ics_href: Option<String>,
    pub weeks: Vec<MyWeek>,
    pub wishes: Vec<WishLine>,
}

/// One unit in the staff view.
pub struct MyUnit {
    pub name: String,
    pub feed: MyFeed,
    pub periods: Vec<MyPeriod>,
}

#[derive(Template)]
#[template(path = "my.html")]
pub struct MyPage {
    ui: Chrome,
    t: Texts,
    units: Vec<MyUnit>,
}

/// The wish's kind in words.
fn wish_text(t: &Texts, kind: &WishKind, priority: u8) -> String {
    let what = match kind {
        WishKind::Off => t.t("wish.off").to_string(),
        WishKind::Work(None) => t.t("wish.work").to_string(),
        WishKind::Work(Some(code)) => t.f1("wish.work_shift", code),
        WishKind::Avoid(code) => t.f1("wish.avoid_shift", code),
    };
    t.f2("wish.with_priority", what, t.t(&format!("wish.priority_{priority}")))
}

fn outcome_for<'a>(outcomes: &'a [WishOutcome], wish: &Wish) -> Option<&'a WishOutcome> {
    outcomes.iter().find(|o| o.employee == wish.employee && o.date == wish.date)
}

fn wishes_open(period: &SchedulePeriod) -> bool {
    period.state == PeriodState::WishesOpen && period.wishes_deadline.is_some_and(|d| Timestamp::now() < d)
}

/// `GET /my`.
pub async fn my_schedule(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
) -> WebResult<Response> {
    let caller = caller?;
    page(&my_page(&state, &ui, &caller, None).await?)
}

/// Builds the staff page. `new_feed` is a calendar feed address just created on a unit,
/// which the page shows this once.
pub async fn my_page(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    new_feed: Option<(UnitId, String)>,
) -> WebResult<MyPage> {
    let t = ui.t;
    let mut units = Vec::new();
    for grant in caller.grants.iter().filter(|g| g.employee.is_some()) {
        let Some(employee) = grant.employee.clone() else { continue };
        let unit = state.store.get_unit(grant.unit_id).await?;
        let Json(list) =
            periods::list_periods(State(state.clone()), caller.clone(), Path(grant.unit_id.0)).await?;
        let mut shown = Vec::new();
        for period in list {
            let base = format!("/units/{}/periods/{}", unit.id.0, period.id.0);
            let mut item = MyPeriod {
                label: period_label(&t, &period),
                state: state_label(&t, period.state),
                wishes_href: wishes_open(&period).then(|| format!("{base}/wishes")),
                deadline: period.wishes_deadline.map(|d| local_time(d, &unit.time_zone)),
                ics_href: None,
                weeks: Vec::new(),
                wishes: Vec::new(),
            };
            if period.state.is_published() {
                let Json(published) =
                    versions::published(State(state.clone()), caller.clone(), Path((unit.id.0, period.id.0)))
                        .await?;
                let problem = state.store.load_problem(unit.id, period.id).await?;
                let schedule = turnus_core::Schedule {
                    assignments: published.assignments.iter().map(|a| a.assignment.clone()).collect(),
                };
                item.weeks = my_weeks(&t, &problem, &schedule, &employee);
                item.ics_href = Some(format!("{base}/my.ics"));
                let (problem, evaluation) = evaluate(problem, schedule).await?;
                item.wishes = wish_lines(&t, &problem, &employee, Some(&evaluation.wishes));
            } else if period.state != PeriodState::Draft {
                let problem = state.store.load_problem(unit.id, period.id).await?;
                item.wishes = wish_lines(&t, &problem, &employee, None);
            }
            shown.push(item);
        }
        let mut feed = my_feed(state, &t, caller, unit.id, &employee, &unit.time_zone).await?;
        feed.new_url = new_feed.as_ref().filter(|(id, _)| *id == unit.id).map(|(_, url)| url.clone());
        units.push(MyUnit { name: unit.name, feed, periods: shown });
    }
    Ok(MyPage { ui: Chrome::new(ui, Some(caller)), t, units })
}

fn my_weeks(t: &Texts, problem: &Problem, schedule: &turnus_core::Schedule, employee: &str) -> Vec<MyWeek> {
    let mine: HashMap<Date, &str> = schedule
        .assignments
        .iter()
        .filter(|a| a.employee == employee)
        .map(|a| (a.date, a.shift.as_str()))
        .collect();
    let mut weeks: Vec<MyWeek> = Vec::new();
    for day in period_days(problem) {
        let week = day.iso_week_date().week();
        let label = t.f1("grid.week", week);
        if weeks.last().is_none_or(|w| w.label != label) {
            weeks.push(MyWeek { label, days: Vec::new() });
        }
        let shift = mine.get(&day).and_then(|code| problem.shift_types.iter().find(|s| s.code == *code));
        let entry = MyDay {
            date: day.to_string(),
            weekday: t.t(&format!("wd.{}", day.weekday().to_monday_one_offset())).to_string(),
            code: shift.map_or_else(|| t.t("grid.off").to_string(), |s| format!("{} {}", s.code, s.name)),
            time: shift.map_or_else(String::new, |s| {
                format!("{}–{}", s.start.strftime("%H:%M"), s.end.strftime("%H:%M"))
            }),
            kind: shift.map_or("off", shift_kind),
        };
        if let Some(week) = weeks.last_mut() {
            week.days.push(entry);
        }
    }
    weeks
}

fn wish_lines(
    t: &Texts,
    problem: &Problem,
    employee: &str,
    outcomes: Option<&[WishOutcome]>,
) -> Vec<WishLine> {
    let mut lines: Vec<WishLine> = problem
        .wishes
        .iter()
        .filter(|w| w.employee == employee)
        .map(|wish| {
            let outcome = outcomes.and_then(|o| outcome_for(o, wish));
            WishLine {
                date: wish.date.to_string(),
                text: wish_text(t, &wish.kind, wish.priority),
                granted: outcome.map(|o| o.granted),
                reason: outcome
                    .filter(|o| !o.granted)
                    .map(|o| {
                        t.pick(
                            o.reason_sv.as_deref().unwrap_or_default(),
                            o.reason_en.as_deref().unwrap_or_default(),
                        )
                        .to_string()
                    })
                    .unwrap_or_default(),
            }
        })
        .collect();
    lines.sort_by(|a, b| a.date.cmp(&b.date));
    lines
}

/// One day of the wish form.
pub struct WishDay {
    pub date: String,
    pub day: i8,
    pub weekday: String,
    pub class: &'static str,
    pub choice: String,
    pub priority: u8,
}

#[derive(Template)]
#[template(path = "wishes.html")]
struct WishesPage {
    ui: Chrome,
    t: Texts,
    action: String,
    title: String,
    open: bool,
    deadline: String,
    weeks: Vec<(String, Vec<WishDay>)>,
    choices: Vec<(String, String)>,
    saved: bool,
    error: Option<String>,
}

/// The staff member's own employee id on the unit.
fn own_employee(access: &UnitAccess) -> WebResult<String> {
    access
        .employee
        .clone()
        .ok_or_else(|| user_error(StatusCode::FORBIDDEN, "error.no_employee", access.unit.0))
}

fn choice_of(kind: &WishKind) -> String {
    match kind {
        WishKind::Off => "off".into(),
        WishKind::Work(None) => "work".into(),
        WishKind::Work(Some(code)) => format!("work:{code}"),
        WishKind::Avoid(code) => format!("avoid:{code}"),
    }
}

fn parse_choice(value: &str, problem: &Problem) -> WebResult<Option<WishKind>> {
    let known = |code: &str| problem.shift_types.iter().any(|s| s.code == code);
    let kind = match value.split_once(':') {
        None if value.is_empty() => return Ok(None),
        None if value == "off" => WishKind::Off,
        None if value == "work" => WishKind::Work(None),
        Some(("work", code)) if known(code) => WishKind::Work(Some(code.to_string())),
        Some(("avoid", code)) if known(code) => WishKind::Avoid(code.to_string()),
        _ => return Err(user_error(StatusCode::BAD_REQUEST, "error.bad_wish", value)),
    };
    Ok(Some(kind))
}

async fn wishes_page(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    unit: i64,
    period: i64,
    saved: bool,
    error: Option<String>,
) -> WebResult<WishesPage> {
    let t = ui.t;
    let access = access::require(caller, UnitId(unit), ANY_ROLE)?;
    let employee = own_employee(&access)?;
    let Json(found) = periods::get_period(State(state.clone()), caller.clone(), Path((unit, period))).await?;
    let unit_record = state.store.get_unit(access.unit).await?;
    let problem = state.store.load_problem(access.unit, found.id).await?;
    let Json(mine) = wishes::list_wishes(State(state.clone()), caller.clone(), Path((unit, period))).await?;
    let by_date: HashMap<Date, &WishRecord> =
        mine.iter().filter(|w| w.wish.employee == employee).map(|w| (w.wish.date, w)).collect();

    let mut weeks: Vec<(String, Vec<WishDay>)> = Vec::new();
    for day in period_days(&problem) {
        let label = t.f1("grid.week", day.iso_week_date().week());
        if weeks.last().is_none_or(|(l, _)| *l != label) {
            weeks.push((label, Vec::new()));
        }
        let existing = by_date.get(&day);
        let weekend = matches!(day.weekday(), jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday);
        let holiday = turnus_core::is_public_holiday(day);
        if let Some((_, days)) = weeks.last_mut() {
            days.push(WishDay {
                date: day.to_string(),
                day: day.day(),
                weekday: t.t(&format!("wd.{}", day.weekday().to_monday_one_offset())).to_string(),
                class: if holiday {
                    "holiday"
                } else if weekend {
                    "weekend"
                } else {
                    ""
                },
                choice: existing.map(|w| choice_of(&w.wish.kind)).unwrap_or_default(),
                priority: existing.map_or(2, |w| w.wish.priority),
            });
        }
    }
    let mut choices = vec![
        (String::new(), t.t("wish.none").to_string()),
        ("off".to_string(), t.t("wish.off").to_string()),
        ("work".to_string(), t.t("wish.work").to_string()),
    ];
    for shift in &problem.shift_types {
        choices.push((
            format!("work:{}", shift.code),
            t.f1("wish.work_shift", format!("{} {}", shift.code, shift.name)),
        ));
    }
    for shift in &problem.shift_types {
        choices.push((
            format!("avoid:{}", shift.code),
            t.f1("wish.avoid_shift", format!("{} {}", shift.code, shift.name)),
        ));
    }
    Ok(WishesPage {
        ui: Chrome::new(ui, Some(caller)),
        t,
        action: format!("/units/{unit}/periods/{period}/wishes"),
        title: format!("{}: {}", unit_record.name, period_label(&t, &found)),
        open: wishes_open(&found),
        deadline: found.wishes_deadline.map(|d| local_time(d, &unit_record.time_zone)).unwrap_or_default(),
        weeks,
        choices,
        saved,
        error,
    })
}

/// `GET /units/{unit}/periods/{period}/wishes`.
pub async fn wishes_form(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, period)): Path<(i64, i64)>,
) -> WebResult<Response> {
    let caller = caller?;
    page(&wishes_page(&state, &ui, &caller, unit, period, false, None).await?)
}

fn if_match(row_version: i64) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{row_version}\"")) {
        headers.insert(IF_MATCH, value);
    }
    headers
}

/// `POST /units/{unit}/periods/{period}/wishes`: saves the whole form. Fields `w-DATE` hold
/// the wish (`off`, `work`, `work:CODE`, `avoid:CODE` or empty) and `p-DATE` its priority;
/// each changed day is added, changed or removed through the API's wish handlers.
pub async fn save_wishes(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, period)): Path<(i64, i64)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> WebResult<Response> {
    let caller = caller?;
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    let employee = own_employee(&access)?;
    let Json(found) = periods::get_period(State(state.clone()), caller.clone(), Path((unit, period))).await?;
    let problem = state.store.load_problem(access.unit, found.id).await?;
    let fields: HashMap<String, String> = fields.into_iter().collect();
    let Json(mine) = wishes::list_wishes(State(state.clone()), caller.clone(), Path((unit, period))).await?;
    let by_date: HashMap<Date, &WishRecord> =
        mine.iter().filter(|w| w.wish.employee == employee).map(|w| (w.wish.date, w)).collect();

    let mut changed = 0;
    for day in period_days(&problem) {
        let key = day.to_string();
        let Some(value) = fields.get(&format!("w-{key}")) else { continue };
        let kind = parse_choice(value.trim(), &problem)?;
        let priority = match fields.get(&format!("p-{key}")).map(String::as_str) {
            None | Some("") => 2,
            Some(p) => match p.parse::<u8>() {
                Ok(p @ 1..=3) => p,
                _ => return Err(user_error(StatusCode::BAD_REQUEST, "error.bad_priority", p)),
            },
        };
        let existing = by_date.get(&day);
        let result = match (kind, existing) {
            (None, None) => continue,
            (None, Some(record)) => wishes::delete_wish(
                State(state.clone()),
                caller.clone(),
                Path((unit, record.id.0)),
                if_match(record.row_version),
            )
            .await
            .map(|_| ()),
            (Some(kind), existing) => {
                let wish = Wish { employee: employee.clone(), date: day, kind, priority };
                match existing {
                    Some(record) if record.wish == wish => continue,
                    Some(record) => wishes::update_wish(
                        State(state.clone()),
                        caller.clone(),
                        Path((unit, record.id.0)),
                        if_match(record.row_version),
                        JsonBody(wish),
                    )
                    .await
                    .map(|_| ()),
                    None => wishes::add_wish(
                        State(state.clone()),
                        caller.clone(),
                        Path((unit, period)),
                        JsonBody(wish),
                    )
                    .await
                    .map(|_| ()),
                }
            }
        };
        if let Err(error) = result {
            let status = error.status;
            let message = error.render(ui.t.lang)["message"].as_str().unwrap_or_default().to_string();
            tracing::info!(unit, period, employee = %employee, %day, code = error.code(), "wish rejected");
            let form = wishes_page(&state, &ui, &caller, unit, period, false, Some(message)).await?;
            return page_with(status, &form);
        }
        changed += 1;
    }
    tracing::info!(unit, period, employee = %employee, changed, "wishes saved");
    if ui.htmx {
        return Ok(redirect(&ui, &format!("/units/{unit}/periods/{period}/wishes?saved=1")));
    }
    page(&wishes_page(&state, &ui, &caller, unit, period, true, None).await?)
}

/// `GET /units/{unit}/periods/{period}/my.ics`: the signed-in staff member's published
/// shifts as an iCalendar file.
///
/// NOTE: this download needs the session cookie, so calendar apps cannot subscribe to it;
/// a subscribable URL with a secret token belongs to the API.
pub async fn my_ics(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, period)): Path<(i64, i64)>,
) -> WebResult<Response> {
    let caller = caller?;
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    let employee = own_employee(&access)?;
    let Json(published) =
        versions::published(State(state.clone()), caller.clone(), Path((unit, period))).await?;
    let problem = state.store.load_problem(access.unit, published.version.period_id).await?;
    let schedule = turnus_core::Schedule {
        assignments: published.assignments.iter().map(|a| a.assignment.clone()).collect(),
    };
    let ics = turnus_export::write_ics(&problem, &schedule, &employee, &ExportOptions::new(ui.t.lang))
        .map_err(|e| {
            tracing::error!(error = %e, unit, period, "calendar export failed");
            ApiError::internal()
        })?;
    // Employee ids come from bundles, so keep only characters that need no quoting.
    let safe_id: String =
        employee.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    let disposition = format!("attachment; filename=\"turnus-{period}-{safe_id}.ics\"");
    let mut response = ics.into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
