//! The audit log viewer for chefs (their unit) and admins (every unit), newest first, with
//! filters on who, what and when.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use jiff::civil::Date;
use serde::Deserialize;
use turnus_server::access::{self, MANAGERS};
use turnus_server::routes::AppState;
use turnus_server::{ApiError, Caller};
use turnus_store::{AuditQuery, AuditRecord, UnitId, UserId};

use super::local_time;
use crate::i18n::Texts;
use crate::ui::{Chrome, Ui, WebResult, page, user_error};

/// Rows read per store call, the store's maximum.
const PAGE: u32 = 1000;
/// Rows read at most for one view; older rows need narrower filters.
const MAX_READ: usize = 50_000;
/// Rows shown at most.
const MAX_SHOWN: usize = 500;

#[derive(Debug, Default, Deserialize)]
pub struct AuditFilter {
    #[serde(default)]
    who: String,
    #[serde(default)]
    what: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// A row as shown.
pub struct AuditLine {
    pub seq: i64,
    pub at: String,
    pub who: String,
    pub action: String,
    pub entity: String,
    pub reason: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    ui: Chrome,
    t: Texts,
    title: String,
    action: String,
    filter: AuditFilter,
    lines: Vec<AuditLine>,
    matched: usize,
}

fn parse_day(value: &str) -> WebResult<Option<Date>> {
    match value.trim() {
        "" => Ok(None),
        text => {
            text.parse().map(Some).map_err(|_| user_error(StatusCode::BAD_REQUEST, "error.bad_date", text))
        }
    }
}

async fn audit_view(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    unit: Option<UnitId>,
    filter: AuditFilter,
) -> WebResult<Response> {
    let t = ui.t;
    let from = parse_day(&filter.from)?;
    let to = parse_day(&filter.to)?;
    let (title, action, zone) = match unit {
        Some(id) => {
            let record = state.store.get_unit(id).await?;
            (t.f1("audit.title_unit", &record.name), format!("/units/{}/audit", id.0), record.time_zone)
        }
        None => (t.t("audit.title_all").to_string(), "/audit".to_string(), "Europe/Stockholm".to_string()),
    };

    let mut rows: Vec<AuditRecord> = Vec::new();
    let mut after = None;
    loop {
        let page =
            state.store.list_audit(&AuditQuery { unit, entity: None, after_seq: after, limit: PAGE }).await?;
        let last = page.last().map(|r| r.seq);
        let full = page.len() == PAGE as usize;
        rows.extend(page);
        if !full || rows.len() >= MAX_READ {
            break;
        }
        after = last;
    }

    let mut names: HashMap<UserId, String> = HashMap::new();
    let who = filter.who.trim().to_lowercase();
    let what = filter.what.trim().to_lowercase();
    let mut lines = Vec::new();
    let mut matched = 0;
    for row in rows.iter().rev() {
        let name = match row.actor_user_id {
            Some(id) => match names.get(&id) {
                Some(name) => name.clone(),
                None => {
                    let name = state
                        .store
                        .get_user(id)
                        .await
                        .map(|u| u.username)
                        .unwrap_or_else(|_| row.actor.clone());
                    names.insert(id, name.clone());
                    name
                }
            },
            None => row.actor.clone(),
        };
        let zone_time =
            row.at.to_zoned_datetime(jiff::tz::TimeZone::get(&zone).unwrap_or(jiff::tz::TimeZone::UTC));
        let day = zone_time.date();
        if !who.is_empty() && !name.to_lowercase().contains(&who) && !row.actor.to_lowercase().contains(&who)
        {
            continue;
        }
        if !what.is_empty()
            && !row.action.to_lowercase().contains(&what)
            && !row.entity.to_lowercase().contains(&what)
        {
            continue;
        }
        if from.is_some_and(|f| day < f) || to.is_some_and(|l| day > l) {
            continue;
        }
        matched += 1;
        if lines.len() < MAX_SHOWN {
            lines.push(AuditLine {
                seq: row.seq,
                at: local_time(row.at, &zone),
                who: name,
                action: row.action.clone(),
                entity: format!("{} {}", row.entity, row.entity_id),
                reason: row.reason.clone().unwrap_or_default(),
                before: row.before_json.clone().unwrap_or_default(),
                after: row.after_json.clone().unwrap_or_default(),
            });
        }
    }
    page(&AuditPage { ui: Chrome::new(ui, Some(caller)), t, title, action, filter, lines, matched })
}

/// `GET /units/{unit}/audit` (chef, admin).
pub async fn unit_audit(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Query(filter): Query<AuditFilter>,
) -> WebResult<Response> {
    let caller = caller?;
    let access = access::require(&caller, UnitId(unit), MANAGERS)?;
    audit_view(&state, &ui, &caller, Some(access.unit), filter).await
}

/// `GET /audit` (admin): every unit's rows.
pub async fn all_audit(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Query(filter): Query<AuditFilter>,
) -> WebResult<Response> {
    let caller = caller?;
    if !caller.user.is_admin {
        return Err(user_error(StatusCode::FORBIDDEN, "error.admin_only", &caller.user.username));
    }
    audit_view(&state, &ui, &caller, None, filter).await
}
