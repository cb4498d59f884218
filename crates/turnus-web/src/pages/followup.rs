//! The follow-up page: for one period, charts of cover per day, wishes granted per person,
//! and weekends and nights per person against their fair share, the changes recorded after
//! publication; and a table across the unit's published periods.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use turnus_core::{EmployeeSummary, Evaluation};
use turnus_server::access::{self, PLANNERS};
use turnus_server::routes::AppState;
use turnus_server::{ApiError, Caller};
use turnus_store::{EventDetail, PeriodId, UnitId, VersionKind, VersionRecord};

use super::charts::{DayBar, PersonBar, day_bars, person_bars};
use super::grid::load_version;
use super::schedule_view::{decimal, period_days};
use super::{period_label, state_label};
use crate::i18n::Texts;
use crate::ui::{Chrome, Ui, WebResult, page};

/// A chart with its heading.
pub struct Chart {
    pub heading: String,
    pub svg: String,
}

/// One published period in the table across periods.
pub struct PeriodFigures {
    pub label: String,
    pub wishes: String,
    pub gaps: usize,
    pub hard: usize,
    pub events: usize,
}

#[derive(Template)]
#[template(path = "followup.html")]
struct FollowUpPage {
    ui: Chrome,
    t: Texts,
    unit_id: i64,
    period_id: i64,
    title: String,
    state: String,
    version_note: String,
    charts: Vec<Chart>,
    events: Vec<(String, usize)>,
    across: Vec<PeriodFigures>,
    has_version: bool,
}

fn shown_version(versions: &[VersionRecord]) -> Option<&VersionRecord> {
    versions
        .iter()
        .find(|v| v.kind == VersionKind::Published)
        .or_else(|| versions.iter().max_by_key(|v| v.id.0))
}

/// Fair shares of a total among the employees who can take it, in proportion to their
/// employment degree. This estimate ignores absences and skills, which the solver's own
/// fair share (rule S5) counts.
fn fair_shares(employees: &[EmployeeSummary], eligible: &[bool], total: u32) -> Vec<f64> {
    let weight: f64 =
        employees.iter().zip(eligible).filter(|(_, ok)| **ok).map(|(e, _)| e.employment_percent).sum();
    employees
        .iter()
        .zip(eligible)
        .map(
            |(e, ok)| {
                if *ok && weight > 0.0 { f64::from(total) * e.employment_percent / weight } else { 0.0 }
            },
        )
        .collect()
}

fn burden_chart(
    t: &Texts,
    key: &str,
    employees: &[EmployeeSummary],
    eligible: &[bool],
    value: fn(&EmployeeSummary) -> u32,
) -> Chart {
    let total: u32 = employees.iter().map(value).sum();
    let shares = fair_shares(employees, eligible, total);
    let rows: Vec<PersonBar> = employees
        .iter()
        .zip(&shares)
        .map(|(e, share)| PersonBar {
            name: e.name.clone(),
            value: f64::from(value(e)),
            reference: *share,
            text: t.f2("follow.value_of_share", value(e), decimal(t, *share)),
        })
        .collect();
    let heading = t.t(&format!("follow.{key}")).to_string();
    Chart { svg: person_bars(key, &heading, t.t(&format!("follow.{key}_desc")), &rows), heading }
}

fn charts_of(t: &Texts, evaluation: &Evaluation, problem: &turnus_core::Problem) -> Vec<Chart> {
    // Cover per day: the rows without a skill count everyone on the shift.
    let mut per_day: BTreeMap<jiff::civil::Date, (u32, u32, bool)> = BTreeMap::new();
    for line in &evaluation.cover {
        let entry = per_day.entry(line.date).or_default();
        if line.skill.is_none() {
            entry.0 += line.count;
            entry.1 += line.min;
        }
        entry.2 |= line.count < line.min;
    }
    let days: Vec<DayBar> = period_days(problem)
        .into_iter()
        .map(|day| {
            let (staffed, minimum, gap) = per_day.get(&day).copied().unwrap_or_default();
            DayBar { label: day.day().to_string(), staffed, minimum, gap }
        })
        .collect();
    let cover_heading = t.t("follow.cover").to_string();
    let cover = Chart {
        svg: day_bars("cover", &cover_heading, t.t("follow.cover_desc"), &days),
        heading: cover_heading,
    };

    let wish_rows: Vec<PersonBar> = evaluation
        .employees
        .iter()
        .filter(|e| e.wishes > 0)
        .map(|e| PersonBar {
            name: e.name.clone(),
            value: f64::from(e.wishes_granted),
            reference: f64::from(e.wishes),
            text: t.f2("follow.granted_of", e.wishes_granted, e.wishes),
        })
        .collect();
    let wishes_heading = t.t("follow.wishes").to_string();
    let wishes = Chart {
        svg: person_bars("wishes", &wishes_heading, t.t("follow.wishes_desc"), &wish_rows),
        heading: wishes_heading,
    };
    // Everyone can work weekends; nights only those who work nights (nattarbetare).
    let everyone = vec![true; evaluation.employees.len()];
    let night_workers: Vec<bool> = evaluation
        .employees
        .iter()
        .map(|s| problem.employees.iter().any(|e| e.id == s.id && e.night_worker) || s.nights > 0)
        .collect();
    vec![
        cover,
        wishes,
        burden_chart(t, "weekends", &evaluation.employees, &everyone, |e| e.weekends_worked),
        burden_chart(t, "nights", &evaluation.employees, &night_workers, |e| e.nights),
    ]
}

fn event_key(detail: &EventDetail) -> &'static str {
    match detail {
        EventDetail::Absence { .. } => "follow.event_absence",
        EventDetail::Swap { .. } => "follow.event_swap",
        EventDetail::ExtraStaff { .. } => "follow.event_extra_staff",
        EventDetail::ResourceShift { .. } => "follow.event_resource_shift",
    }
}

/// `GET /units/{unit}/periods/{period}/follow-up` (planners).
pub async fn follow_up(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path((unit, period)): Path<(i64, i64)>,
) -> WebResult<Response> {
    let caller = caller?;
    let t = ui.t;
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    let unit_record = state.store.get_unit(access.unit).await?;
    let found = state.store.get_period(access.unit, PeriodId(period)).await?;
    let versions = state.store.list_versions(access.unit, found.id).await?;

    let mut charts = Vec::new();
    let mut version_note = String::new();
    if let Some(version) = shown_version(&versions) {
        let loaded = load_version(&state, access.unit, version).await?;
        charts = charts_of(&t, &loaded.evaluation, &loaded.problem);
        version_note = match version.kind {
            VersionKind::Published => t.f1("follow.published_version", version.id.0),
            VersionKind::Proposal => t.f1("follow.proposal_version", version.id.0),
        };
    }
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for event in state.store.list_events(access.unit, found.id).await? {
        *counts.entry(event_key(&event.detail)).or_default() += 1;
    }
    let events = counts.into_iter().map(|(key, n)| (t.t(key).to_string(), n)).collect();

    // Across periods: every published period of the unit.
    let mut across = Vec::new();
    for other in state.store.list_periods(access.unit).await? {
        if !other.state.is_published() {
            continue;
        }
        let other_versions = state.store.list_versions(access.unit, other.id).await?;
        let Some(published) = other_versions.iter().find(|v| v.kind == VersionKind::Published) else {
            continue;
        };
        let loaded = load_version(&state, access.unit, published).await?;
        let wishes: u32 = loaded.evaluation.employees.iter().map(|e| e.wishes).sum();
        let granted: u32 = loaded.evaluation.employees.iter().map(|e| e.wishes_granted).sum();
        across.push(PeriodFigures {
            label: period_label(&t, &other),
            wishes: if wishes == 0 { "–".into() } else { t.f2("follow.granted_of", granted, wishes) },
            gaps: loaded.evaluation.cover.iter().filter(|c| c.count < c.min).count(),
            hard: loaded.evaluation.findings.iter().filter(|f| f.hard).count(),
            events: state.store.list_events(access.unit, other.id).await?.len(),
        });
    }
    page(&FollowUpPage {
        ui: Chrome::new(&ui, Some(&caller)),
        t,
        unit_id: unit,
        period_id: period,
        title: format!("{}: {}", unit_record.name, period_label(&t, &found)),
        state: state_label(&t, found.state),
        version_note,
        has_version: !charts.is_empty(),
        charts,
        events,
        across,
    })
}
