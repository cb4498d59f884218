//! The publish dialog: the notice-period check, the version's remaining findings, the reason
//! that a late publication needs, and the reason to publish a version that breaks hard rules.
//! Publishing goes through the API's handler.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Form, Json};
use serde::Deserialize;
use turnus_core::Finding;
use turnus_server::access::{self, MANAGERS};
use turnus_server::routes::AppState;
use turnus_server::routes::versions::{self, PublishRequest};
use turnus_server::{ApiError, Caller, JsonBody};
use turnus_store::{PeriodId, UnitId, VersionId, VersionKind};

use super::schedule_view::finding_text;
use super::{days_between, period_label, state_label};
use crate::i18n::Texts;
use crate::ui::{Chrome, Ui, WebResult, page, page_with, redirect};

/// Findings listed in the dialog; the rest are counted.
const MAX_LISTED: usize = 50;

#[derive(Template)]
#[template(path = "publish.html")]
struct PublishPage {
    ui: Chrome,
    t: Texts,
    unit_id: i64,
    period_id: i64,
    version_id: i64,
    title: String,
    state: String,
    start: String,
    days_before_start: i64,
    notice_days: u32,
    late: bool,
    hard: usize,
    soft: usize,
    findings: Vec<(bool, String)>,
    more: usize,
    already_published: bool,
    reason: String,
    override_reason: String,
    error: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct PublishQuery {
    version: i64,
}

#[derive(Debug, Deserialize)]
pub struct PublishForm {
    version: i64,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    override_reason: String,
}

/// The dialog's form as the user left it: the reasons typed and the error to show.
struct FormState {
    reason: String,
    override_reason: String,
    error: Option<String>,
}

async fn dialog_page(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    (unit, period, version): (i64, i64, i64),
    form: FormState,
) -> WebResult<PublishPage> {
    let t = ui.t;
    let access = access::require(caller, UnitId(unit), MANAGERS)?;
    let unit_record = state.store.get_unit(access.unit).await?;
    let found = state.store.get_period(access.unit, PeriodId(period)).await?;
    let record = state.store.get_version(access.unit, VersionId(version)).await?;
    if record.period_id != found.id {
        return Err(ApiError::not_found("Schemaversionen", "The schedule version").into());
    }

    // The same count as the store's check: whole days from today in the unit's zone.
    let zone = jiff::tz::TimeZone::get(&unit_record.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = jiff::Timestamp::now().to_zoned_datetime(zone).date();
    let days_before_start = days_between(today, found.start);
    let notice_days = unit_record.publish_notice_days;

    let findings: Vec<Finding> = serde_json::from_value(record.findings.clone()).unwrap_or_default();
    let hard = findings.iter().filter(|f| f.hard).count();
    let mut listed: Vec<_> = findings.iter().collect();
    listed.sort_by_key(|f| !f.hard);
    let shown: Vec<(bool, String)> =
        listed.iter().take(MAX_LISTED).map(|f| (f.hard, finding_text(&t, f))).collect();
    Ok(PublishPage {
        ui: Chrome::new(ui, Some(caller)),
        t,
        unit_id: unit,
        period_id: period,
        version_id: version,
        title: format!("{}: {}", unit_record.name, period_label(&t, &found)),
        state: state_label(&t, found.state),
        start: found.start.to_string(),
        days_before_start,
        notice_days,
        late: days_before_start < i64::from(notice_days),
        hard,
        soft: findings.len() - hard,
        more: findings.len().saturating_sub(MAX_LISTED),
        findings: shown,
        already_published: record.kind == VersionKind::Published,
        reason: form.reason,
        override_reason: form.override_reason,
        error: form.error,
    })
}

/// `GET /units/{unit}/periods/{period}/publish?version=`.
pub async fn dialog(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, period)): Path<(i64, i64)>,
    Query(query): Query<PublishQuery>,
) -> WebResult<Response> {
    let caller = caller?;
    page(
        &dialog_page(
            &state,
            &ui,
            &caller,
            (unit, period, query.version),
            FormState { reason: String::new(), override_reason: String::new(), error: None },
        )
        .await?,
    )
}

/// `POST /units/{unit}/periods/{period}/publish`: publishes, or shows the dialog again with
/// the reason it was rejected (422 for a late publication without a reason, or for a version
/// with hard findings and no reason to publish it anyway).
pub async fn publish(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, period)): Path<(i64, i64)>,
    Form(form): Form<PublishForm>,
) -> WebResult<Response> {
    let caller = caller?;
    let nonblank = |text: &str| Some(text.trim().to_string()).filter(|r| !r.is_empty());
    let request = PublishRequest {
        version_id: form.version,
        reason: nonblank(&form.reason),
        override_reason: nonblank(&form.override_reason),
    };
    match versions::publish(State(state.clone()), caller.clone(), Path((unit, period)), JsonBody(request))
        .await
    {
        Ok(Json(publication)) => {
            tracing::info!(unit, period, version = form.version, late = publication.late, "published");
            Ok(redirect(&ui, &format!("/units/{unit}/periods/{period}?version={}", form.version)))
        }
        Err(error)
            if error.status == StatusCode::UNPROCESSABLE_ENTITY || error.status == StatusCode::CONFLICT =>
        {
            // The API's text names the JSON field; the dialog points to its own text box.
            let message = if error.code() == "hard_findings" {
                ui.t.t("publish.override_missing").to_string()
            } else {
                error.render(ui.t.lang)["message"].as_str().unwrap_or_default().to_string()
            };
            let dialog = dialog_page(
                &state,
                &ui,
                &caller,
                (unit, period, form.version),
                FormState {
                    reason: form.reason,
                    override_reason: form.override_reason,
                    error: Some(message),
                },
            )
            .await?;
            page_with(error.status, &dialog)
        }
        Err(error) => Err(error.into()),
    }
}
