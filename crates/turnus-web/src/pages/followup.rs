//! The follow-up page: for one period, charts of cover per day, wishes granted per person,
//! and weekends and nights per person against their fair share, the changes recorded after
//! publication; and a table across the unit's published periods.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use turnus_core::{EmployeeSummary, Evaluation, FairBurden};
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

/// Sums each employee's S5 count and fair share of one kind over this period's evaluation
/// and `earlier` ones, keyed by employee id, so the chart follows S5's fairness ledger
/// across stored periods. Employees absent from this period are left out.
fn ledger(
    current: &Evaluation,
    earlier: &[&Evaluation],
    kind: fn(&EmployeeSummary) -> FairBurden,
) -> Vec<(String, FairBurden)> {
    current
        .employees
        .iter()
        .map(|employee| {
            let mut sum = kind(employee);
            for evaluation in earlier {
                for past in evaluation.employees.iter().filter(|e| e.id == employee.id) {
                    let burden = kind(past);
                    sum.count += burden.count;
                    sum.fair_share += burden.fair_share;
                    sum.eligible |= burden.eligible;
                }
            }
            (employee.name.clone(), sum)
        })
        .collect()
}

fn burden_chart(t: &Texts, key: &str, rows: &[(String, FairBurden)]) -> Chart {
    let rows: Vec<PersonBar> = rows
        .iter()
        .map(|(name, burden)| PersonBar {
            name: name.clone(),
            value: f64::from(burden.count),
            reference: burden.fair_share,
            text: t.f2("follow.value_of_share", burden.count, decimal(t, burden.fair_share)),
        })
        .collect();
    let heading = t.t(&format!("follow.{key}")).to_string();
    Chart { svg: person_bars(key, &heading, t.t(&format!("follow.{key}_desc")), &rows), heading }
}

/// Builds the charts of one version. `earlier` contains the evaluations of the unit's
/// published periods that start before this one, for the fair-share ledger.
fn charts_of(
    t: &Texts,
    evaluation: &Evaluation,
    problem: &turnus_core::Problem,
    earlier: &[&Evaluation],
) -> Vec<Chart> {
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
    vec![
        cover,
        wishes,
        burden_chart(t, "weekends", &ledger(evaluation, earlier, |e| e.weekend_shifts)),
        burden_chart(t, "nights", &ledger(evaluation, earlier, |e| e.night_shifts)),
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

    // Every published period of the unit, evaluated once for the table across periods and
    // for the fair-share ledger of the charts.
    let mut published_periods = Vec::new();
    for other in state.store.list_periods(access.unit).await? {
        if !other.state.is_published() {
            continue;
        }
        let other_versions = state.store.list_versions(access.unit, other.id).await?;
        let Some(published) = other_versions.iter().find(|v| v.kind == VersionKind::Published) else {
            continue;
        };
        let loaded = load_version(&state, access.unit, published).await?;
        published_periods.push((other, loaded));
    }

    let mut charts = Vec::new();
    let mut version_note = String::new();
    if let Some(version) = shown_version(&versions) {
        let loaded = load_version(&state, access.unit, version).await?;
        let earlier: Vec<&Evaluation> = published_periods
            .iter()
            .filter(|(other, _)| other.start < found.start)
            .map(|(_, loaded)| &loaded.evaluation)
            .collect();
        charts = charts_of(&t, &loaded.evaluation, &loaded.problem, &earlier);
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

    let mut across = Vec::new();
    for (other, loaded) in &published_periods {
        let wishes: u32 = loaded.evaluation.employees.iter().map(|e| e.wishes).sum();
        let granted: u32 = loaded.evaluation.employees.iter().map(|e| e.wishes_granted).sum();
        across.push(PeriodFigures {
            label: period_label(&t, other),
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

#[cfg(test)]
mod tests {
    use jiff::civil::{Time, date};
    use turnus_core::{
        Assignment, DemandRow, Employee, Period, Preset, Problem, RuleSet, Schedule, ShiftType, Unit,
        evaluate,
    };

    use super::*;

    fn employee(id: &str, name: &str, employment_basis_points: u32) -> Employee {
        Employee {
            id: id.into(),
            name: name.into(),
            employment_basis_points,
            full_time_minutes: None,
            skills: Vec::new(),
            night_worker: false,
            limits: Default::default(),
        }
    }

    /// Builds one week from Monday 2026-03-02 with a full-time and a half-time employee and
    /// an ideal head-count of 3 on the day shift of Saturday and of Sunday: 6 weekend shifts.
    fn weekend_problem() -> Problem {
        let weekend_row = |day: &str| DemandRow {
            day: day.parse().expect("weekday"),
            shift: "D".into(),
            skill: None,
            min: 0,
            ideal: 3,
            under_weight: None,
            over_weight: None,
        };
        Problem {
            unit: Unit {
                name: "test".into(),
                time_zone: "Europe/Stockholm".into(),
                period: Period { start: date(2026, 3, 2), weeks: 1 },
            },
            rules: RuleSet::preset(Preset::Ab),
            employees: vec![employee("a", "Anna", 10_000), employee("b", "Bo", 5_000)],
            shift_types: vec![ShiftType {
                code: "D".into(),
                name: "Dag".into(),
                start: Time::constant(8, 0, 0, 0),
                end: Time::constant(16, 0, 0, 0),
                break_minutes: 30,
                skill: None,
                cannot_follow: Vec::new(),
            }],
            demand: vec![weekend_row("sat"), weekend_row("sun")],
            wishes: Vec::new(),
            absences: Vec::new(),
            skill_grants: Vec::new(),
            history: None,
            pins: Vec::new(),
        }
    }

    #[test]
    fn part_time_fair_share_is_proportional() {
        let problem = weekend_problem();
        let shift = |employee: &str, day: i8| Assignment {
            employee: employee.into(),
            date: date(2026, 3, day),
            shift: "D".into(),
        };
        // Anna works Saturday; Bo works Saturday and Sunday.
        let schedule = Schedule { assignments: vec![shift("a", 7), shift("b", 7), shift("b", 8)] };
        let evaluation = evaluate(&problem, &schedule).expect("problem compiles");

        // Rule S5 shares the 6 weekend shifts 100 : 50 between the two.
        let rows = ledger(&evaluation, &[], |e| e.weekend_shifts);
        assert_eq!(rows.len(), 2);
        let (anna, bo) = (&rows[0], &rows[1]);
        assert_eq!(anna.0, "Anna");
        assert_eq!(anna.1.count, 1);
        assert!((anna.1.fair_share - 4.0).abs() < 1e-9, "{anna:?}");
        assert_eq!(bo.0, "Bo");
        assert_eq!(bo.1.count, 2);
        assert!((bo.1.fair_share - 2.0).abs() < 1e-9, "{bo:?}");

        // Without night demand no employee has a share of nights.
        for (name, burden) in ledger(&evaluation, &[], |e| e.night_shifts) {
            assert_eq!(burden.count, 0, "{name}");
            assert_eq!(burden.fair_share, 0.0, "{name}");
        }

        // An earlier stored period adds its counts and shares to the ledger.
        let rows = ledger(&evaluation, &[&evaluation], |e| e.weekend_shifts);
        assert_eq!(rows[0].1.count, 2);
        assert!((rows[0].1.fair_share - 8.0).abs() < 1e-9, "{rows:?}");
        assert_eq!(rows[1].1.count, 4);
        assert!((rows[1].1.fair_share - 4.0).abs() < 1e-9, "{rows:?}");
    }
}
