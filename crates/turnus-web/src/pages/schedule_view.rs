//! Builds what the schedule grid shows from a problem, a version's assignments and their
//! evaluation: day columns with ISO weeks, weekends and holidays; a row per employee with
//! shift codes, pins, findings and hours against target; and a cover row per shift type.
//! Templates only loop over these values.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil::{Date, Weekday};
use turnus_core::{CoverLine, Evaluation, Finding, Problem, ShiftType};
use turnus_store::AssignmentRecord;

use crate::i18n::Texts;

/// Findings longer than this many days are shown on the employee's hours, not on cells.
const MAX_CELL_FINDING_DAYS: i64 = 7;

/// A day column.
pub struct DayCol {
    pub date: String,
    pub day: i8,
    pub weekday: String,
    pub class: String,
    /// The holiday's name, for the header's tooltip.
    pub holiday: Option<String>,
}

/// A header cell spanning one ISO week's days.
pub struct WeekSpan {
    pub label: String,
    pub span: usize,
}

/// One cell of an employee's row.
pub struct GridCell {
    pub date: String,
    pub code: String,
    pub class: String,
    pub pinned: bool,
    /// Rule texts of the findings on this cell, one per line.
    pub tips: Vec<String>,
    pub tip_id: String,
    /// Accessible name: employee, date and shift.
    pub label: String,
}

/// An employee's row.
pub struct GridRow {
    pub id: String,
    /// The id percent-encoded for a query string.
    pub query: String,
    pub name: String,
    pub percent: String,
    pub hours: String,
    pub hours_class: &'static str,
    /// Findings over the whole period (hours, weekends), shown on the hours cell.
    pub tips: Vec<String>,
    pub tip_id: String,
    pub cells: Vec<GridCell>,
}

/// A cell of a cover row.
pub struct CoverCell {
    pub text: String,
    pub class: &'static str,
    pub tip: Option<String>,
}

/// The cover of one shift type per day.
pub struct CoverRow {
    pub code: String,
    pub kind: &'static str,
    pub cells: Vec<CoverCell>,
}

/// A shift type in the legend.
pub struct LegendItem {
    pub code: String,
    pub name: String,
    pub time: String,
    pub kind: &'static str,
}

/// Everything the grid shows of one version.
pub struct GridView {
    pub version_id: i64,
    pub unit_id: i64,
    pub editable: bool,
    pub days: Vec<DayCol>,
    pub weeks: Vec<WeekSpan>,
    pub rows: Vec<GridRow>,
    pub cover: Vec<CoverRow>,
    pub legend: Vec<LegendItem>,
    pub hard: i64,
    pub soft: i64,
    pub finding_count: usize,
}

/// Classifies a shift type by its start time as day, evening or night, for its colour.
pub fn shift_kind(shift: &ShiftType) -> &'static str {
    match shift.start.hour() {
        5..=11 => "day",
        12..=17 => "evening",
        _ => "night",
    }
}

/// Lists the period's dates.
pub fn period_days(problem: &Problem) -> Vec<Date> {
    let period = problem.unit.period;
    (0..i64::from(period.weeks) * 7)
        .filter_map(|offset| period.start.checked_add(jiff::Span::new().days(offset)).ok())
        .collect()
}

fn weekday_number(day: Date) -> i8 {
    day.weekday().to_monday_one_offset()
}

/// Builds the day columns and the week header of a period.
pub fn day_columns(t: &Texts, days: &[Date]) -> (Vec<DayCol>, Vec<WeekSpan>) {
    let mut cols = Vec::with_capacity(days.len());
    let mut weeks: Vec<WeekSpan> = Vec::new();
    let mut last_week = None;
    for &day in days {
        let week = day.iso_week_date().week();
        if last_week == Some(week) {
            if let Some(span) = weeks.last_mut() {
                span.span += 1;
            }
        } else {
            weeks.push(WeekSpan { label: t.f1("grid.week", week), span: 1 });
            last_week = Some(week);
        }
        let holiday = turnus_core::holiday_on(day).filter(|h| h.is_public());
        let mut class = Vec::new();
        if matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) {
            class.push("weekend");
        }
        if holiday.is_some() {
            class.push("holiday");
        }
        if day.weekday() == Weekday::Monday {
            class.push("week-start");
        }
        cols.push(DayCol {
            date: day.to_string(),
            day: day.day(),
            weekday: t.t(&format!("wd.{}", weekday_number(day))).to_string(),
            class: class.join(" "),
            holiday: holiday.map(|h| t.f1("grid.holiday", h.name_sv())),
        });
    }
    (cols, weeks)
}

/// Hours as `152,5` in Swedish and `152.5` in English.
pub fn hours(t: &Texts, minutes: i64) -> String {
    decimal(t, minutes as f64 / 60.0)
}

/// Formats a number with one decimal, with a decimal comma in Swedish.
pub fn decimal(t: &Texts, value: f64) -> String {
    let text = format!("{value:.1}");
    if t.code() == "sv" { text.replace('.', ",") } else { text }
}

/// Formats a finding as its rule id, kind and text in the page's language.
pub fn finding_text(t: &Texts, finding: &Finding) -> String {
    let kind = if finding.hard { t.t("grid.hard") } else { t.t("grid.soft") };
    format!("{} ({kind}): {}", finding.rule, t.pick(&finding.message_sv, &finding.message_en))
}

fn finding_days(finding: &Finding) -> Option<(Date, Date)> {
    let from = finding.from?;
    let to = finding.to.unwrap_or(from);
    (super::days_between(from, to) < MAX_CELL_FINDING_DAYS).then_some((from, to))
}

/// Builds the grid of one version.
pub fn build_grid(
    t: &Texts,
    unit_id: i64,
    version_id: i64,
    editable: bool,
    problem: &Problem,
    assignments: &[AssignmentRecord],
    evaluation: &Evaluation,
) -> GridView {
    let days = period_days(problem);
    let (cols, weeks) = day_columns(t, &days);
    let kinds: HashMap<&str, &'static str> =
        problem.shift_types.iter().map(|s| (s.code.as_str(), shift_kind(s))).collect();

    let mut codes: HashMap<(&str, Date), Vec<&str>> = HashMap::new();
    for record in assignments {
        let a = &record.assignment;
        codes.entry((a.employee.as_str(), a.date)).or_default().push(a.shift.as_str());
    }
    let pins: HashSet<(&str, Date)> = problem.pins.iter().map(|p| (p.employee.as_str(), p.date)).collect();

    // Findings by cell, and by employee for those that span more than a week.
    let mut cell_findings: HashMap<(&str, Date), Vec<(bool, String)>> = HashMap::new();
    let mut row_findings: HashMap<&str, Vec<String>> = HashMap::new();
    for finding in &evaluation.findings {
        let Some(employee) = finding.employee.as_deref() else { continue };
        match finding_days(finding) {
            Some((from, to)) => {
                for &day in days.iter().filter(|d| **d >= from && **d <= to) {
                    cell_findings
                        .entry((employee, day))
                        .or_default()
                        .push((finding.hard, finding_text(t, finding)));
                }
            }
            None => row_findings.entry(employee).or_default().push(finding_text(t, finding)),
        }
    }
    let summaries: HashMap<&str, _> = evaluation.employees.iter().map(|s| (s.id.as_str(), s)).collect();

    let mut rows = Vec::with_capacity(problem.employees.len());
    for (row_index, employee) in problem.employees.iter().enumerate() {
        let id = employee.id.as_str();
        let mut cells = Vec::with_capacity(days.len());
        for (col_index, (col, &day)) in cols.iter().zip(&days).enumerate() {
            let code = codes.get(&(id, day)).map(|c| c.join("+")).unwrap_or_default();
            let found = cell_findings.get(&(id, day));
            let mut class = vec![match code.split('+').next().and_then(|c| kinds.get(c)) {
                Some(kind) => *kind,
                None => "off",
            }];
            if let Some(found) = found {
                class.push(if found.iter().any(|(hard, _)| *hard) { "f-hard" } else { "f-soft" });
            }
            let shown = if code.is_empty() { t.t("grid.off").to_string() } else { code.clone() };
            cells.push(GridCell {
                date: col.date.clone(),
                label: t.f3("grid.cell_label", &employee.name, &col.date, &shown),
                code,
                class: class.join(" "),
                pinned: pins.contains(&(id, day)),
                tips: found.map(|f| f.iter().map(|(_, text)| text.clone()).collect()).unwrap_or_default(),
                tip_id: format!("tip-{version_id}-{row_index}-{col_index}"),
            });
        }
        let (hours_text, hours_class) = match summaries.get(id) {
            Some(s) => {
                let class = if s.scheduled_minutes < s.target_minutes - 60 * 4 {
                    "under"
                } else if s.scheduled_minutes > s.target_minutes + 60 * 4 {
                    "over"
                } else {
                    ""
                };
                (t.f2("grid.hours_of", hours(t, s.scheduled_minutes), hours(t, s.target_minutes)), class)
            }
            None => (String::new(), ""),
        };
        rows.push(GridRow {
            id: employee.id.clone(),
            query: crate::ui::encode_query(&employee.id),
            name: employee.name.clone(),
            percent: format!("{} %", employee.employment_basis_points / 100),
            hours: hours_text,
            hours_class,
            tips: row_findings.remove(id).unwrap_or_default(),
            tip_id: format!("tip-{version_id}-{row_index}-hours"),
            cells,
        });
    }

    let cover = cover_rows(t, problem, &days, &evaluation.cover);
    let legend = problem
        .shift_types
        .iter()
        .map(|s| LegendItem {
            code: s.code.clone(),
            name: s.name.clone(),
            time: format!("{}–{}", s.start.strftime("%H:%M"), s.end.strftime("%H:%M")),
            kind: shift_kind(s),
        })
        .collect();
    GridView {
        version_id,
        unit_id,
        editable,
        days: cols,
        weeks,
        rows,
        cover,
        legend,
        hard: evaluation.score.hard,
        soft: evaluation.score.soft,
        finding_count: evaluation.findings.len(),
    }
}

/// Builds one row per shift type: staffed against the minimum and ideal of the day's demand rows
/// (summed over skills), a gap below the minimum with its reason, a surplus above the ideal.
fn cover_rows(t: &Texts, problem: &Problem, days: &[Date], lines: &[CoverLine]) -> Vec<CoverRow> {
    let mut by_cell: BTreeMap<(&str, Date), Vec<&CoverLine>> = BTreeMap::new();
    for line in lines {
        by_cell.entry((line.shift.as_str(), line.date)).or_default().push(line);
    }
    problem
        .shift_types
        .iter()
        .map(|shift| {
            let cells = days
                .iter()
                .map(|day| {
                    let Some(lines) = by_cell.get(&(shift.code.as_str(), *day)) else {
                        return CoverCell { text: String::new(), class: "none", tip: None };
                    };
                    // The row without a skill counts everyone on the shift; skill rows count
                    // holders of the skill, so a gap on any row is a gap of the cell.
                    let main = lines.iter().find(|l| l.skill.is_none()).unwrap_or(&lines[0]);
                    let gap = lines.iter().find(|l| l.count < l.min);
                    let (class, tip) = if let Some(gap) = gap {
                        let reason = t.pick(
                            gap.gap_reason_sv.as_deref().unwrap_or_default(),
                            gap.gap_reason_en.as_deref().unwrap_or_default(),
                        );
                        ("gap", Some(t.f3("grid.cover_gap", gap.count, gap.min, reason)))
                    } else if main.count > main.ideal {
                        ("surplus", Some(t.f2("grid.cover_surplus", main.count, main.ideal)))
                    } else {
                        ("ok", None)
                    };
                    let text = match (class, gap) {
                        ("gap", Some(gap)) => format!("{}/{}", gap.count, gap.min),
                        ("surplus", _) => format!("{}/{}", main.count, main.ideal),
                        _ => main.count.to_string(),
                    };
                    CoverCell { text, class, tip }
                })
                .collect();
            CoverRow { code: shift.code.clone(), kind: shift_kind(shift), cells }
        })
        .collect()
}
