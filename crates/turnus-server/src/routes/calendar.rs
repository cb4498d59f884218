//! Subscribable calendars: each employee may have one secret feed address that calendar
//! programs poll without signing in. The feed shows the published schedules of the unit's
//! current and recent periods with the events recorded after publication (absences, swaps,
//! extra shifts), so a subscriber sees the schedule as it is today. The employee or a chef creates, rotates and
//! revokes the token; the store keeps only its hash and audits every change.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::header::HOST;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use serde::{Deserialize, Serialize};
use turnus_core::{Assignment, Problem, Schedule};
use turnus_export::{ExportFormat, ExportOptions};
use turnus_store::{
    CalendarToken, EventDetail, EventRecord, PeriodState, SchedulePeriod, UnitId, VersionKind,
};

use super::AppState;
use super::export::{export_error, file_response, pick_lang};
use crate::access::{self, ANY_ROLE, UnitAccess};
use crate::auth::{Caller, new_token};
use crate::error::{ApiError, ApiResult};

/// Lets in the employee themselves (a medarbetare grant linked to `employee`) and chefs.
fn require_own_or_manager(caller: &Caller, unit: UnitId, employee: &str) -> ApiResult<UnitAccess> {
    let access = access::require(caller, unit, ANY_ROLE)?;
    let own = access.employee.as_deref() == Some(employee);
    let manager = access.is_admin || access.roles.contains(&turnus_store::Role::Manager);
    if own || manager {
        Ok(access)
    } else {
        Err(ApiError::forbidden(
            "Bara medarbetaren själv eller en chef hanterar kalenderadressen",
            "Only the employee themselves or a chef manages the calendar address",
        ))
    }
}

/// Builds the feed path of a token.
fn feed_path(token: &str) -> String {
    format!("/api/v1/calendar/{token}.ics")
}

/// Builds the address to subscribe to from the first allowed origin, else from the
/// request's own host.
fn feed_url(state: &AppState, headers: &HeaderMap, token: &str) -> String {
    let origin = state.config.allowed_origins.first().cloned().unwrap_or_else(|| {
        let host = headers.get(HOST).and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1:8080");
        let scheme = if state.config.secure_cookie { "https" } else { "http" };
        format!("{scheme}://{host}")
    });
    format!("{}{}", origin.trim_end_matches('/'), feed_path(token))
}

/// The response to creating or rotating a token. `token` and `url` are shown only here.
#[derive(Debug, Serialize)]
pub struct NewCalendarToken {
    pub token: String,
    /// The address to give a calendar program (`webcal` works too, with the same path).
    pub url: String,
    pub record: CalendarToken,
}

/// `POST /api/v1/units/{unit}/employees/{employee}/calendar-token`: creates the feed token,
/// or replaces the existing one so the old address stops working.
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, employee)): Path<(i64, String)>,
    headers: HeaderMap,
) -> ApiResult<(StatusCode, Json<NewCalendarToken>)> {
    let access = require_own_or_manager(&caller, UnitId(unit), &employee)?;
    let token = new_token();
    let record = state.store.set_calendar_token(access.unit, &employee, &token, &caller.change()).await?;
    let url = feed_url(&state, &headers, &token);
    Ok((StatusCode::CREATED, Json(NewCalendarToken { token, url, record })))
}

/// `GET /api/v1/units/{unit}/employees/{employee}/calendar-token`: whether a feed token
/// exists and when it was last used; never the secret.
pub async fn get_token(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, employee)): Path<(i64, String)>,
) -> ApiResult<Json<CalendarToken>> {
    let access = require_own_or_manager(&caller, UnitId(unit), &employee)?;
    match state.store.get_calendar_token(access.unit, &employee).await? {
        Some(record) => Ok(Json(record)),
        None => Err(ApiError::not_found("Kalenderadressen", "The calendar address")),
    }
}

/// `DELETE /api/v1/units/{unit}/employees/{employee}/calendar-token`.
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path((unit, employee)): Path<(i64, String)>,
) -> ApiResult<StatusCode> {
    let access = require_own_or_manager(&caller, UnitId(unit), &employee)?;
    state.store.revoke_calendar_token(access.unit, &employee, &caller.change()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Query of the feed.
#[derive(Debug, Deserialize)]
pub struct FeedQuery {
    /// `sv` (default) or `en`.
    pub lang: Option<String>,
}

/// How long a closed period stays in the feed after its last day. Staff look back at
/// recent shifts, for example to check a pay slip, which covers the month before it.
pub const CLOSED_PERIOD_DAYS: i64 = 62;

/// Returns whether the feed shows the shifts of `period` on `today` (the unit's local date): every
/// published period that is not closed, and a closed one until [`CLOSED_PERIOD_DAYS`] after
/// its last day.
pub fn in_feed(period: &SchedulePeriod, today: Date) -> bool {
    match period.state {
        PeriodState::Published | PeriodState::FollowUp => true,
        PeriodState::Closed => {
            let last_day = period.period().end_inclusive();
            last_day.saturating_add(Span::new().days(CLOSED_PERIOD_DAYS)) >= today
        }
        _ => false,
    }
}

/// `GET /api/v1/calendar/{token}.ics`: the employee's calendar, without a session. An
/// unknown or revoked token returns 404.
///
/// The calendar contains the employee's shifts of every period that [`in_feed`] keeps, each
/// from its published version with the events recorded after publication applied.
pub async fn feed(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<FeedQuery>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let token = token.strip_suffix(".ics").unwrap_or(&token);
    let Some(feed) = state.store.find_calendar_token(token).await? else {
        return Err(ApiError::not_found("Kalendern", "The calendar"));
    };
    let lang = pick_lang(query.lang.as_deref(), &headers)?;
    let unit = feed.unit_id;
    let today = unit_today(&state, unit).await?;

    // Gather the shifts of every period in the window. A row that two periods share (only
    // possible if they overlap) is listed once.
    let periods = state.store.list_periods(unit).await?;
    let mut newest = None;
    let mut schedule = Schedule::default();
    for period in periods.iter().filter(|p| in_feed(p, today)) {
        let versions = state.store.list_versions(unit, period.id).await?;
        let Some(version) = versions.into_iter().find(|v| v.kind == VersionKind::Published) else {
            continue;
        };
        let published = state.store.version_schedule(unit, version.id).await?;
        let events = state.store.list_events(unit, period.id).await?;
        schedule.assignments.extend(apply_events(published, events).assignments);
        newest.get_or_insert(period.id);
    }
    schedule.sort();
    schedule.assignments.dedup();

    // The problem supplies the staff, shift types and time zone, which are the unit's
    // current ones for every period. Before any publication, the newest period gives an
    // empty calendar, so the subscription works from the day it is made.
    let Some(period) = newest.or_else(|| periods.first().map(|p| p.id)) else {
        return Err(ApiError::not_found("Kalendern", "The calendar"));
    };
    let problem = state.store.load_problem(unit, period).await?;
    let mut options = ExportOptions::new(lang);
    options.employee = Some(feed.employee.clone());
    let bytes = render_ics(problem, schedule, options).await?;
    Ok(file_response(ExportFormat::Ics, &format!("turnus-{}", unit.get()), bytes))
}

/// Returns today's date in the unit's time zone.
async fn unit_today(state: &AppState, unit: UnitId) -> ApiResult<Date> {
    let found = state.store.get_unit(unit).await?;
    let zone = TimeZone::get(&found.time_zone).map_err(|e| {
        tracing::error!(unit = %unit, time_zone = %found.time_zone, error = %e, "unknown unit time zone");
        ApiError::internal()
    })?;
    Ok(Timestamp::now().to_zoned_datetime(zone).date())
}

/// Writes the iCalendar file on a blocking thread. Unlike a version export, it evaluates
/// nothing, because the schedule may span several periods.
async fn render_ics(problem: Problem, schedule: Schedule, options: ExportOptions) -> ApiResult<Vec<u8>> {
    tokio::task::spawn_blocking(move || {
        let employee = options.employee.clone().unwrap_or_default();
        turnus_export::write_ics(&problem, &schedule, &employee, &options)
            .map(String::into_bytes)
            .map_err(export_error)
    })
    .await
    .map_err(|_| ApiError::internal())?
}

/// Applies the recorded events to the published schedule in the order they were
/// recorded: an absence removes the employee's shifts on its days, a swap moves the shift
/// (and the one given back), extra staff from the unit and a used resource shift add one.
pub fn apply_events(mut schedule: Schedule, mut events: Vec<EventRecord>) -> Schedule {
    events.sort_by_key(|e| e.id);
    let rows = &mut schedule.assignments;
    let add = |rows: &mut Vec<Assignment>, employee: &str, date, shift: &str| {
        let row = Assignment { employee: employee.to_string(), date, shift: shift.to_string() };
        if !rows.contains(&row) {
            rows.push(row);
        }
    };
    for event in events {
        match event.detail {
            EventDetail::Absence { employee, from, to, .. } => {
                rows.retain(|a| !(a.employee == employee && from <= a.date && a.date <= to));
            }
            EventDetail::Swap { employee, date, shift, other_employee, other_date, other_shift } => {
                rows.retain(|a| !(a.employee == employee && a.date == date && a.shift == shift));
                add(rows, &other_employee, date, &shift);
                if let (Some(other_date), Some(other_shift)) = (other_date, other_shift) {
                    rows.retain(|a| {
                        !(a.employee == other_employee && a.date == other_date && a.shift == other_shift)
                    });
                    add(rows, &employee, other_date, &other_shift);
                }
            }
            EventDetail::ExtraStaff { date, shift, employee: Some(employee), .. }
            | EventDetail::ResourceShift { employee, date, shift } => add(rows, &employee, date, &shift),
            EventDetail::ExtraStaff { employee: None, .. } => {}
        }
    }
    schedule.sort();
    schedule
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use turnus_store::{EventId, PeriodId, VersionId};

    use super::*;

    fn row(employee: &str, day: i8, shift: &str) -> Assignment {
        Assignment { employee: employee.into(), date: date(2027, 3, day), shift: shift.into() }
    }

    fn event(id: i64, detail: EventDetail) -> EventRecord {
        EventRecord {
            id: EventId(id),
            period_id: PeriodId(1),
            version_id: VersionId(1),
            detail,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            created_by: "user:1".into(),
        }
    }

    fn period(state: PeriodState, start: jiff::civil::Date, weeks: u32) -> SchedulePeriod {
        SchedulePeriod {
            id: PeriodId(1),
            unit_id: turnus_store::UnitId(1),
            start,
            weeks,
            state,
            wishes_deadline: None,
            history_known: false,
            created_at: jiff::Timestamp::UNIX_EPOCH,
            updated_at: jiff::Timestamp::UNIX_EPOCH,
            row_version: 1,
        }
    }

    #[test]
    fn feed_window_by_state_and_end() {
        // A four-week period from Monday 2027-03-01; its last day is Sunday 2027-03-28.
        let start = date(2027, 3, 1);
        let today = date(2027, 3, 28).saturating_add(Span::new().days(CLOSED_PERIOD_DAYS));
        for state in PeriodState::ALL {
            let expected =
                matches!(state, PeriodState::Published | PeriodState::FollowUp | PeriodState::Closed);
            assert_eq!(in_feed(&period(state, start, 4), today), expected, "{state}");
        }
        let next_day = today.tomorrow().unwrap();
        assert!(!in_feed(&period(PeriodState::Closed, start, 4), next_day));
        assert!(in_feed(&period(PeriodState::FollowUp, start, 4), next_day));
        assert!(in_feed(&period(PeriodState::Published, start, 4), date(2030, 1, 1)));
    }

    #[test]
    fn events_apply_in_recorded_order() {
        let schedule = Schedule {
            assignments: vec![row("a", 1, "D"), row("a", 2, "D"), row("a", 3, "K"), row("b", 4, "N")],
        };
        let events = vec![
            // Recorded second: b takes a's shift on the 3rd and gives the 4th back.
            event(
                2,
                EventDetail::Swap {
                    employee: "a".into(),
                    date: date(2027, 3, 3),
                    shift: "K".into(),
                    other_employee: "b".into(),
                    other_date: Some(date(2027, 3, 4)),
                    other_shift: Some("N".into()),
                },
            ),
            event(
                1,
                EventDetail::Absence {
                    employee: "a".into(),
                    from: date(2027, 3, 1),
                    to: date(2027, 3, 2),
                    cause: "sjuk".into(),
                },
            ),
            event(
                3,
                EventDetail::ResourceShift {
                    employee: "c".into(),
                    date: date(2027, 3, 5),
                    shift: "D".into(),
                },
            ),
            event(
                4,
                EventDetail::ExtraStaff {
                    date: date(2027, 3, 5),
                    shift: "D".into(),
                    employee: None,
                    name: "Vikarie".into(),
                },
            ),
        ];
        let after = apply_events(schedule, events);
        assert_eq!(after.assignments, vec![row("a", 4, "N"), row("b", 3, "K"), row("c", 5, "D")]);
    }
}
