//! Row rules: every rule that concerns one employee's shifts (all hard rules, and the soft
//! goals S3–S10 and S12). Cover (S1, S2) needs all rows at once and lives in `report`.
//!
//! Input is the employee's works sorted by start, history (negative days) first. Penalties
//! of hard rules grow with the size of the violation: whole hours short or over for time
//! rules, started 8-hour shifts for contract hours outside their band (S3), the excess
//! count for count rules.

use crate::compile::{
    CWish, CWishKind, Compiled, DayIndex, EmpIdx, FAIR_EVENING, FAIR_HOLIDAY, FAIR_NIGHT, FAIR_WEEKEND, OFF,
    ShiftIdx, Work, fair_kind, on,
};
use crate::eval::findings::{
    CollectSink, CostSink, Finding, FindingSink, Measure, Score, hm_en, hm_sv, local_short,
};
use crate::rules::{NightWork, RuleId};

/// Reusable buffers for one row evaluation.
#[derive(Debug, Default, Clone)]
pub struct RowScratch {
    /// First shift starting on each day from `-hist`, [`OFF`] for none.
    day_shift: Vec<ShiftIdx>,
    /// Number of shifts starting on each day from `-hist`.
    day_count: Vec<u8>,
    /// Number of period shifts per shift type.
    type_count: Vec<u32>,
}

/// Penalty of a time rule: whole hours, rounded up, at least 1.
pub fn hours_up(minutes: i64) -> i64 {
    ((minutes + 59) / 60).max(1)
}

/// Penalty of S3 outside its band: started 8-hour shifts, at least 1. Counting whole shifts
/// keeps an employee short of hours from outweighing the rules a new shift would break.
fn shifts_up(minutes: i64) -> i64 {
    ((minutes + 479) / 480).max(1)
}

/// The row's score, without building findings.
pub fn row_cost(c: &Compiled, e: EmpIdx, works: &[Work], scratch: &mut RowScratch) -> Score {
    let mut sink = CostSink::default();
    evaluate_row(c, e, works, scratch, &mut sink);
    sink.score
}

/// The row's score and findings.
pub fn row_findings(
    c: &Compiled,
    e: EmpIdx,
    works: &[Work],
    scratch: &mut RowScratch,
) -> (Score, Vec<Finding>) {
    let mut sink = CollectSink::default();
    evaluate_row(c, e, works, scratch, &mut sink);
    (sink.score, sink.findings)
}

struct Row<'a> {
    c: &'a Compiled,
    e: EmpIdx,
    id: &'a str,
    works: &'a [Work],
    day_shift: &'a [ShiftIdx],
    day_count: &'a [u8],
    type_count: &'a [u32],
    /// First day whose work is known: `-hist` with history, else 0.
    known_first: DayIndex,
}

impl Row<'_> {
    fn slot(&self, day: DayIndex) -> usize {
        (day + self.c.hist as DayIndex) as usize
    }

    fn worked(&self, day: DayIndex) -> bool {
        self.day_count[self.slot(day)] > 0
    }

    fn shift_on(&self, day: DayIndex) -> ShiftIdx {
        self.day_shift[self.slot(day)]
    }

    fn code(&self, shift: ShiftIdx) -> &str {
        &self.c.shifts[usize::from(shift)].code
    }

    fn period_works(&self) -> impl Iterator<Item = &Work> {
        self.works.iter().filter(|w| w.day >= 0)
    }
}

fn evaluate_row<S: FindingSink>(
    c: &Compiled,
    e: EmpIdx,
    works: &[Work],
    scratch: &mut RowScratch,
    sink: &mut S,
) {
    let span = c.hist + c.days;
    scratch.day_shift.clear();
    scratch.day_shift.resize(span, OFF);
    scratch.day_count.clear();
    scratch.day_count.resize(span, 0);
    scratch.type_count.clear();
    scratch.type_count.resize(c.shifts.len(), 0);
    for w in works {
        if w.day >= 0 {
            scratch.type_count[usize::from(w.shift)] += 1;
        }
        let slot = w.day + c.hist as DayIndex;
        if slot < 0 || slot as usize >= span {
            continue;
        }
        let slot = slot as usize;
        if scratch.day_shift[slot] == OFF {
            scratch.day_shift[slot] = w.shift;
        }
        scratch.day_count[slot] = scratch.day_count[slot].saturating_add(1);
    }
    let emp = &c.emps[e as usize];
    let row = Row {
        c,
        e,
        id: &emp.id,
        works,
        day_shift: &scratch.day_shift,
        day_count: &scratch.day_count,
        type_count: &scratch.type_count,
        known_first: if emp.history_known { -(c.hist as DayIndex) } else { 0 },
    };

    if on(c, RuleId::H1) {
        overlap(&row, sink);
    }
    if on(c, RuleId::H2) {
        skill(&row, sink);
    }
    if on(c, RuleId::H3) {
        absence(&row, sink);
    }
    if on(c, RuleId::H4) || on(c, RuleId::S8) {
        daily_rest(&row, sink);
    }
    if on(c, RuleId::H5) {
        weekly_rest(&row, sink);
    }
    if on(c, RuleId::H6) {
        total_time(&row, sink);
    }
    if on(c, RuleId::H7) {
        breaks(&row, sink);
    }
    if on(c, RuleId::H8) && c.rules.params.night_work != NightWork::Off {
        night_work(&row, sink);
    }
    if on(c, RuleId::H9) && !emp.history_known {
        sink.note(|| {
            Finding::new(
                RuleId::H9,
                false,
                0,
                format!("Historik saknas för {}: vila, arbetsdagar i följd och helger kontrolleras bara från periodens start", row.id),
                format!("No history for {}: rest, consecutive days and weekends are checked from the period start only", row.id),
            )
            .employee(row.id)
        });
    }
    if on(c, RuleId::H10) {
        consecutive_days(&row, sink);
    }
    if on(c, RuleId::H11) {
        days_off(&row, sink);
    }
    if on(c, RuleId::H12) {
        weekends(&row, sink);
    }
    if on(c, RuleId::B1) {
        successions(&row, sink);
    }
    if on(c, RuleId::B2) {
        per_type_caps(&row, sink);
    }
    if on(c, RuleId::B3) {
        total_minutes(&row, sink);
    }
    if on(c, RuleId::B4) || on(c, RuleId::B5) {
        min_runs(&row, sink);
    }
    if on(c, RuleId::B6) {
        max_weekends(&row, sink);
    }
    if on(c, RuleId::S3) {
        contract_hours(&row, sink);
    }
    if on(c, RuleId::S4) {
        wishes(&row, sink);
    }
    if on(c, RuleId::S5) {
        fair_burden(&row, sink);
    }
    if on(c, RuleId::S6) {
        proportional_shifts(&row, sink);
    }
    if on(c, RuleId::S7) {
        ryggpass(&row, sink);
    }
    if on(c, RuleId::S9) {
        compact_days(&row, sink);
    }
    if on(c, RuleId::S10) {
        stable_types(&row, sink);
    }
    if on(c, RuleId::S12) {
        whole_weekends(&row, sink);
    }
}

/// H1: one shift at a time; shifts that only touch do not overlap. With `one_shift_per_day`
/// (benchmark instances) also at most one shift starting per day.
fn overlap<S: FindingSink>(r: &Row, sink: &mut S) {
    let mut latest: Option<&Work> = None;
    for w in r.works {
        if let Some(prev) = latest {
            if w.start < prev.end && w.day >= 0 {
                let minutes = prev.end - w.start;
                sink.hard(1, || {
                    Finding::new(
                        RuleId::H1,
                        true,
                        1,
                        format!(
                            "{} har två pass samtidigt: {} och {} överlappar {}",
                            r.id,
                            r.code(prev.shift),
                            r.code(w.shift),
                            hm_sv(minutes)
                        ),
                        format!(
                            "{} has two shifts at once: {} and {} overlap by {}",
                            r.id,
                            r.code(prev.shift),
                            r.code(w.shift),
                            hm_en(minutes)
                        ),
                    )
                    .employee(r.id)
                    .dates(r.c.date(prev.day), r.c.date(w.day))
                    .times(r.c, w.start, prev.end)
                    .measured(minutes, 0, Measure::Minutes)
                });
            }
        }
        if latest.is_none_or(|p| w.end > p.end) {
            latest = Some(w);
        }
    }
    if r.c.rules.params.one_shift_per_day {
        for d in 0..r.c.days as DayIndex {
            let n = i64::from(r.day_count[r.slot(d)]);
            if n > 1 {
                sink.hard(n - 1, || {
                    Finding::new(
                        RuleId::H1,
                        true,
                        n - 1,
                        format!("{} har {n} pass {}; högst ett per dag", r.id, r.c.date(d)),
                        format!("{} has {n} shifts on {}; at most one per day", r.id, r.c.date(d)),
                    )
                    .employee(r.id)
                    .dates(r.c.date(d), r.c.date(d))
                    .measured(n, 1, Measure::Count)
                });
            }
        }
    }
}

/// H2: the employee has a valid skill for the shift on that date.
fn skill<S: FindingSink>(r: &Row, sink: &mut S) {
    for w in r.period_works() {
        let Some(k) = r.c.shifts[usize::from(w.shift)].skill else { continue };
        if r.c.skill_valid(r.e, k, w.day as usize) {
            continue;
        }
        let skill = &r.c.skills[usize::from(k)];
        sink.hard(1, || {
            Finding::new(
                RuleId::H2,
                true,
                1,
                format!(
                    "{} saknar giltig kompetens {skill} för pass {} {}",
                    r.id,
                    r.code(w.shift),
                    r.c.date(w.day)
                ),
                format!(
                    "{} lacks a valid {skill} skill for shift {} on {}",
                    r.id,
                    r.code(w.shift),
                    r.c.date(w.day)
                ),
            )
            .employee(r.id)
            .shift(r.code(w.shift))
            .dates(r.c.date(w.day), r.c.date(w.day))
            .times(r.c, w.start, w.end)
        });
    }
}

/// H3: no shift overlaps an absence or a pinned day off in time, so a night shift into a
/// day of absence breaks it.
fn absence<S: FindingSink>(r: &Row, sink: &mut S) {
    let emp = &r.c.emps[r.e as usize];
    for w in r.period_works() {
        for (start, end, from, to, kind) in &emp.absences {
            if w.start < *end && w.end > *start {
                sink.hard(1, || {
                    Finding::new(
                        RuleId::H3,
                        true,
                        1,
                        format!(
                            "{} har pass {} {} under frånvaro ({kind}) {from}–{to}",
                            r.id,
                            r.code(w.shift),
                            r.c.date(w.day)
                        ),
                        format!(
                            "{} has shift {} on {} during an absence ({kind}) {from} to {to}",
                            r.id,
                            r.code(w.shift),
                            r.c.date(w.day)
                        ),
                    )
                    .employee(r.id)
                    .shift(r.code(w.shift))
                    .dates(*from, *to)
                    .times(r.c, w.start, w.end)
                });
            }
        }
        for d in [w.day, w.day + 1] {
            if d >= r.c.days as DayIndex || !r.c.pinned_off(r.e, d as usize) {
                continue;
            }
            let (day_start, day_end) = (r.c.day_start(d), r.c.day_start(d + 1));
            if w.start < day_end && w.end > day_start {
                sink.hard(1, || {
                    Finding::new(
                        RuleId::H3,
                        true,
                        1,
                        format!(
                            "{} har pass {} som når in i den fasta lediga dagen {}",
                            r.id,
                            r.code(w.shift),
                            r.c.date(d)
                        ),
                        format!(
                            "{} has shift {} reaching into the fixed day off {}",
                            r.id,
                            r.code(w.shift),
                            r.c.date(d)
                        ),
                    )
                    .employee(r.id)
                    .shift(r.code(w.shift))
                    .dates(r.c.date(d), r.c.date(d))
                    .times(r.c, w.start, w.end)
                });
            }
        }
    }
}

/// H4 and S8: every work pass is followed by the daily rest and spans at most 24 h less
/// the rest. Shifts that start on the same date with less than the rest between them form
/// one pass (a split shift, S8) while the pass stays within that span.
fn daily_rest<S: FindingSink>(r: &Row, sink: &mut S) {
    let p = &r.c.rules.params;
    let rest = p.daily_rest_minutes;
    let max_span = 24 * 60 - rest;
    let check_rest = on(r.c, RuleId::H4);
    let split_weight = if on(r.c, RuleId::S8) { r.c.rules.weights.split_shift } else { 0 };
    let Some(first) = r.works.first() else { return };

    let mut pass_start = first.start;
    let mut pass_end = first.end;
    let mut pass_day = first.day;
    let mut pass_last_day = first.day;
    let close = |sink: &mut S, start: i64, end: i64, first_day: DayIndex, last_day: DayIndex| {
        if check_rest && end - start > max_span && last_day >= 0 {
            let span = end - start;
            sink.hard(hours_up(span - max_span), || {
                Finding::new(
                    RuleId::H4,
                    true,
                    hours_up(span - max_span),
                    format!(
                        "{}: arbetspasset {} – {} spänner {}, högst {} för att rymma {} dygnsvila",
                        r.id,
                        local_short(r.c, start),
                        local_short(r.c, end),
                        hm_sv(span),
                        hm_sv(max_span),
                        hm_sv(rest)
                    ),
                    format!(
                        "{}: the work pass {} to {} spans {}, at most {} to leave {} of daily rest",
                        r.id,
                        local_short(r.c, start),
                        local_short(r.c, end),
                        hm_en(span),
                        hm_en(max_span),
                        hm_en(rest)
                    ),
                )
                .employee(r.id)
                .dates(r.c.date(first_day), r.c.date(last_day))
                .times(r.c, start, end)
                .measured(span, max_span, Measure::Minutes)
            });
        }
    };

    let mut prev = first;
    for w in &r.works[1..] {
        let gap = w.start - pass_end;
        if gap >= rest {
            close(sink, pass_start, pass_end, pass_day, pass_last_day);
            (pass_start, pass_end, pass_day, pass_last_day) = (w.start, w.end, w.day, w.day);
        } else if gap < 0 {
            // Overlap is H1's finding; the shifts form one pass.
            pass_end = pass_end.max(w.end);
            pass_last_day = w.day;
        } else if w.day == pass_day && w.end - pass_start <= max_span {
            if gap > 0 && split_weight > 0 && w.day >= 0 {
                sink.soft(split_weight, || {
                    Finding::new(
                        RuleId::S8,
                        false,
                        split_weight,
                        format!(
                            "{} har delad tur {}: {} och {} med {} uppehåll",
                            r.id,
                            r.c.date(w.day),
                            r.code(prev.shift),
                            r.code(w.shift),
                            hm_sv(gap)
                        ),
                        format!(
                            "{} has a split shift on {}: {} and {} with a gap of {}",
                            r.id,
                            r.c.date(w.day),
                            r.code(prev.shift),
                            r.code(w.shift),
                            hm_en(gap)
                        ),
                    )
                    .employee(r.id)
                    .dates(r.c.date(w.day), r.c.date(w.day))
                    .times(r.c, prev.end, w.start)
                });
            }
            pass_end = pass_end.max(w.end);
            pass_last_day = w.day;
        } else {
            if check_rest && w.day >= 0 {
                let penalty = hours_up(rest - gap);
                sink.hard(penalty, || {
                    Finding::new(
                        RuleId::H4,
                        true,
                        penalty,
                        format!(
                            "{} har {} dygnsvila mellan {} {} och {} {}, minst {} krävs",
                            r.id,
                            hm_sv(gap),
                            r.code(prev.shift),
                            r.c.date(prev.day),
                            r.code(w.shift),
                            r.c.date(w.day),
                            hm_sv(rest)
                        ),
                        format!(
                            "{} has {} of daily rest between {} on {} and {} on {}, at least {} required",
                            r.id,
                            hm_en(gap),
                            r.code(prev.shift),
                            r.c.date(prev.day),
                            r.code(w.shift),
                            r.c.date(w.day),
                            hm_en(rest)
                        ),
                    )
                    .employee(r.id)
                    .dates(r.c.date(prev.day), r.c.date(w.day))
                    .times(r.c, pass_end, w.start)
                    .measured(gap, rest, Measure::Minutes)
                });
            }
            close(sink, pass_start, pass_end, pass_day, pass_last_day);
            (pass_start, pass_end, pass_day, pass_last_day) = (w.start, w.end, w.day, w.day);
        }
        prev = w;
    }
    close(sink, pass_start, pass_end, pass_day, pass_last_day);
}

/// H5: at least the weekly rest, uninterrupted, inside every week from Monday 00:00 local.
/// Weeks that begin before the known history or end after the period are not checked.
///
/// NOTE: only the longest free stretch of the week is measured. It is not separated from the
/// daily rest after the week's last pass, because SKR allows weekly rest to begin right
/// after a shift.
fn weekly_rest<S: FindingSink>(r: &Row, sink: &mut S) {
    let need = r.c.rules.params.weekly_rest_minutes;
    let known_start = r.c.known_start(r.e);
    for week in &r.c.weeks {
        if !week.in_period || week.start < known_start {
            continue;
        }
        let from = r.works.partition_point(|w| w.start < week.start - 48 * 60);
        let mut cursor = week.start;
        let mut longest = (0, week.start, week.start);
        for w in &r.works[from..] {
            if w.start >= week.end {
                break;
            }
            if w.end <= week.start {
                continue;
            }
            if w.start > cursor && w.start - cursor > longest.0 {
                longest = (w.start - cursor, cursor, w.start);
            }
            cursor = cursor.max(w.end);
        }
        if week.end > cursor && week.end - cursor > longest.0 {
            longest = (week.end - cursor, cursor, week.end);
        }
        let (free, free_start, free_end) = longest;
        if free >= need {
            continue;
        }
        let penalty = hours_up(need - free);
        let first = r.c.date(week.first_day);
        let last = r.c.date(week.first_day + 6);
        let iso = first.iso_week_date();
        sink.hard(penalty, || {
            Finding::new(
                RuleId::H5,
                true,
                penalty,
                format!("{} har som längst {} sammanhängande ledighet vecka {} ({first}–{last}), minst {} krävs", r.id, hm_sv(free), iso.week(), hm_sv(need)),
                format!("{} has at most {} of continuous rest in week {} ({first} to {last}), at least {} required", r.id, hm_en(free), iso.week(), hm_en(need)),
            )
            .employee(r.id)
            .dates(first, last)
            .times(r.c, free_start, free_end)
            .measured(free, need, Measure::Minutes)
        });
    }
}

/// H6: scheduled time at most the weekly maximum on average over the reference period:
/// four months (17 whole weeks here), or the schedule period if shorter.
fn total_time<S: FindingSink>(r: &Row, sink: &mut S) {
    let max_week = r.c.rules.params.max_average_weekly_minutes;
    let block_days = (17 * 7).min(r.c.days);
    let mut block_start = 0usize;
    while block_start < r.c.days {
        let block_end = (block_start + block_days).min(r.c.days);
        let worked: i64 = r
            .period_works()
            .filter(|w| (w.day as usize) >= block_start && (w.day as usize) < block_end)
            .map(|w| w.paid)
            .sum();
        let limit = max_week * (block_end - block_start) as i64 / 7;
        if worked > limit {
            let penalty = hours_up(worked - limit);
            let (from, to) = (r.c.date(block_start as DayIndex), r.c.date(block_end as DayIndex - 1));
            sink.hard(penalty, || {
                Finding::new(
                    RuleId::H6,
                    true,
                    penalty,
                    format!(
                        "{} är schemalagd {} {from}–{to}, högst {} ({} per vecka i snitt)",
                        r.id,
                        hm_sv(worked),
                        hm_sv(limit),
                        hm_sv(max_week)
                    ),
                    format!(
                        "{} is scheduled {} from {from} to {to}, at most {} ({} per week on average)",
                        r.id,
                        hm_en(worked),
                        hm_en(limit),
                        hm_en(max_week)
                    ),
                )
                .employee(r.id)
                .dates(from, to)
                .measured(worked, limit, Measure::Minutes)
            });
        }
        block_start = block_end;
    }
}

/// H7: no employee works more than the limit without a break. Shifts that touch form one stretch;
/// a shift with a break is assumed to take it midway, splitting its work in two halves.
fn breaks<S: FindingSink>(r: &Row, sink: &mut S) {
    let limit = r.c.rules.params.max_work_without_break_minutes;
    let mut segment = 0i64;
    let mut stretch_end = i64::MIN;
    let mut reported_stretch = i64::MIN;
    let mut stretch_start = 0i64;
    for w in r.works {
        if w.start != stretch_end {
            segment = 0;
            stretch_start = w.start;
        }
        let elapsed = w.end - w.start;
        let brk = r.c.shifts[usize::from(w.shift)].break_minutes;
        let longest_here = if brk > 0 {
            let work = (elapsed - brk).max(0);
            let first_half = work / 2;
            let before = segment + first_half;
            segment = work - first_half;
            before.max(segment)
        } else {
            segment += elapsed;
            segment
        };
        stretch_end = w.end;
        if longest_here > limit && w.day >= 0 && reported_stretch != stretch_start {
            reported_stretch = stretch_start;
            let penalty = hours_up(longest_here - limit);
            sink.hard(penalty, || {
                Finding::new(
                    RuleId::H7,
                    true,
                    penalty,
                    format!(
                        "{} arbetar {} utan rast fram till {}, högst {}",
                        r.id,
                        hm_sv(longest_here),
                        local_short(r.c, w.end),
                        hm_sv(limit)
                    ),
                    format!(
                        "{} works {} without a break until {}, at most {}",
                        r.id,
                        hm_en(longest_here),
                        local_short(r.c, w.end),
                        hm_en(limit)
                    ),
                )
                .employee(r.id)
                .shift(r.code(w.shift))
                .dates(r.c.date(w.day), r.c.date(w.day))
                .times(r.c, stretch_start, w.end)
                .measured(longest_here, limit, Measure::Minutes)
            });
        }
    }
}

/// H8 (ATL §13a): night workers work at most 8 h per 24 h, on average over the period after
/// deducting 24 h per started 7-day period, or in every 24 h holding night work when the
/// unit marks it especially strenuous.
fn night_work<S: FindingSink>(r: &Row, sink: &mut S) {
    let emp = &r.c.emps[r.e as usize];
    let has_night = r.period_works().any(|w| r.c.shifts[usize::from(w.shift)].class.night);
    if !emp.night_worker && !has_night {
        return;
    }
    match r.c.rules.params.night_work {
        NightWork::Off => {}
        NightWork::Average { max_minutes } => {
            let worked: i64 = r.period_works().map(|w| w.paid).sum();
            let weeks_started = (r.c.days as i64 + 6) / 7;
            let days = (r.c.days as i64 - weeks_started).max(1);
            let limit = max_minutes * days;
            if worked > limit {
                let penalty = hours_up(worked - limit);
                sink.hard(penalty, || {
                    Finding::new(
                        RuleId::H8,
                        true,
                        penalty,
                        format!(
                            "Nattarbetaren {} arbetar {} på {days} dygn, högst {} i snitt per dygn",
                            r.id,
                            hm_sv(worked),
                            hm_sv(max_minutes)
                        ),
                        format!(
                            "Night worker {} works {} over {days} days, at most {} per 24 h on average",
                            r.id,
                            hm_en(worked),
                            hm_en(max_minutes)
                        ),
                    )
                    .employee(r.id)
                    .measured(worked, limit, Measure::Minutes)
                });
            }
        }
        NightWork::Hard { max_minutes } => {
            for (i, w) in r.works.iter().enumerate() {
                if w.day < 0 || !r.c.shifts[usize::from(w.shift)].class.night {
                    continue;
                }
                let window_end = w.start + 24 * 60;
                let worked: i64 = r.works[i..]
                    .iter()
                    .take_while(|x| x.start < window_end)
                    .map(|x| {
                        if x.end <= window_end {
                            x.paid
                        } else {
                            (window_end - x.start) * x.paid / (x.end - x.start).max(1)
                        }
                    })
                    .sum();
                if worked > max_minutes {
                    let penalty = hours_up(worked - max_minutes);
                    sink.hard(penalty, || {
                        Finding::new(
                            RuleId::H8,
                            true,
                            penalty,
                            format!(
                                "Nattarbetaren {} arbetar {} inom 24 timmar från {}, högst {}",
                                r.id,
                                hm_sv(worked),
                                local_short(r.c, w.start),
                                hm_sv(max_minutes)
                            ),
                            format!(
                                "Night worker {} works {} within 24 hours from {}, at most {}",
                                r.id,
                                hm_en(worked),
                                local_short(r.c, w.start),
                                hm_en(max_minutes)
                            ),
                        )
                        .employee(r.id)
                        .dates(r.c.date(w.day), r.c.date(w.day))
                        .measured(worked, max_minutes, Measure::Minutes)
                    });
                }
            }
        }
    }
}

/// Calls `each` with every maximal run `(first, last)` of days where `pred` holds, over
/// `from..to`.
fn runs(
    from: DayIndex,
    to: DayIndex,
    pred: impl Fn(DayIndex) -> bool,
    mut each: impl FnMut(DayIndex, DayIndex),
) {
    let mut open: Option<DayIndex> = None;
    for d in from..to {
        match (pred(d), open) {
            (true, None) => open = Some(d),
            (false, Some(a)) => {
                each(a, d - 1);
                open = None;
            }
            _ => {}
        }
    }
    if let Some(a) = open {
        each(a, to - 1);
    }
}

/// H10: at most N working days in a row, history included.
fn consecutive_days<S: FindingSink>(r: &Row, sink: &mut S) {
    let max = r.c.emps[r.e as usize].max_consecutive_days;
    if max == u32::MAX {
        return;
    }
    runs(
        r.known_first,
        r.c.days as DayIndex,
        |d| r.worked(d),
        |a, b| {
            let len = i64::from(b - a + 1);
            if b < 0 || len <= i64::from(max) {
                return;
            }
            let penalty = len - i64::from(max);
            sink.hard(penalty, || {
                Finding::new(
                    RuleId::H10,
                    true,
                    penalty,
                    format!(
                        "{} arbetar {len} dagar i följd {}–{}, högst {max}",
                        r.id,
                        r.c.date(a),
                        r.c.date(b)
                    ),
                    format!(
                        "{} works {len} days in a row from {} to {}, at most {max}",
                        r.id,
                        r.c.date(a),
                        r.c.date(b)
                    ),
                )
                .employee(r.id)
                .dates(r.c.date(a), r.c.date(b))
                .measured(len, i64::from(max), Measure::Days)
            });
        },
    );
}

/// H11: at least `min` days off in each block of `per` days from the period start; a last,
/// shorter block needs the same share, rounded down.
fn days_off<S: FindingSink>(r: &Row, sink: &mut S) {
    let p = &r.c.rules.params;
    let per = p.days_off_per.max(1) as usize;
    let mut start = 0usize;
    while start < r.c.days {
        let end = (start + per).min(r.c.days);
        let len = end - start;
        let need = i64::from(p.days_off_min) * len as i64 / per as i64;
        let off = (start..end).filter(|d| !r.worked(*d as DayIndex)).count() as i64;
        if off < need {
            let penalty = need - off;
            let (from, to) = (r.c.date(start as DayIndex), r.c.date(end as DayIndex - 1));
            sink.hard(penalty, || {
                Finding::new(
                    RuleId::H11,
                    true,
                    penalty,
                    format!("{} har {off} fridagar {from}–{to}, minst {need} krävs", r.id),
                    format!("{} has {off} days off from {from} to {to}, at least {need} required", r.id),
                )
                .employee(r.id)
                .dates(from, to)
                .measured(off, need, Measure::Days)
            });
        }
        start = end;
    }
}

/// Whether any work overlaps the weekend `span`.
fn weekend_worked(r: &Row, span: &crate::compile::Span) -> bool {
    let from = r.works.partition_point(|w| w.start < span.start - 48 * 60);
    r.works[from..].iter().take_while(|w| w.start < span.end).any(|w| w.end > span.start)
}

/// H12: at most `max` worked weekends in every `of` consecutive weekends; a weekend is worked
/// when any shift overlaps Saturday 00:00 – Monday 00:00.
fn weekends<S: FindingSink>(r: &Row, sink: &mut S) {
    let p = &r.c.rules.params;
    let (max, of) = (p.weekends_max as usize, p.weekends_of.max(1) as usize);
    let known_start = r.c.known_start(r.e);
    let spans: Vec<_> = r.c.weekends.iter().filter(|s| s.start >= known_start).collect();
    let worked: Vec<bool> = spans.iter().map(|s| weekend_worked(r, s)).collect();
    if spans.len() < of {
        return;
    }
    for i in 0..=spans.len() - of {
        let window = &spans[i..i + of];
        if !window.iter().any(|s| s.in_period) {
            continue;
        }
        let count = worked[i..i + of].iter().filter(|w| **w).count();
        if count <= max {
            continue;
        }
        let penalty = (count - max) as i64;
        let from = r.c.date(window[0].first_day);
        let to = r.c.date(window[of - 1].first_day + 1);
        sink.hard(penalty, || {
            Finding::new(
                RuleId::H12,
                true,
                penalty,
                format!("{} arbetar {count} av {of} helger i följd {from}–{to}, högst {max}", r.id),
                format!(
                    "{} works {count} of {of} consecutive weekends from {from} to {to}, at most {max}",
                    r.id
                ),
            )
            .employee(r.id)
            .dates(from, to)
            .measured(count as i64, max as i64, Measure::Count)
        });
    }
}

/// B1: a shift type may forbid some shift types on the next day.
fn successions<S: FindingSink>(r: &Row, sink: &mut S) {
    for d in r.known_first.max(-1)..r.c.days as DayIndex - 1 {
        if d + 1 < 0 {
            continue;
        }
        let (a, b) = (r.shift_on(d), r.shift_on(d + 1));
        if a == OFF || b == OFF || !r.c.shifts[usize::from(a)].cannot_follow[usize::from(b)] {
            continue;
        }
        sink.hard(1, || {
            Finding::new(
                RuleId::B1,
                true,
                1,
                format!(
                    "{}: pass {} {} får inte följas av {} dagen efter",
                    r.id,
                    r.code(a),
                    r.c.date(d),
                    r.code(b)
                ),
                format!(
                    "{}: shift {} on {} may not be followed by {} the next day",
                    r.id,
                    r.code(a),
                    r.c.date(d),
                    r.code(b)
                ),
            )
            .employee(r.id)
            .dates(r.c.date(d), r.c.date(d + 1))
        });
    }
}

/// B2: at most a given number of shifts of each type over the period.
fn per_type_caps<S: FindingSink>(r: &Row, sink: &mut S) {
    let caps = &r.c.emps[r.e as usize].max_per_type;
    for (s, cap) in caps.iter().enumerate() {
        if *cap == u32::MAX {
            continue;
        }
        let n = i64::from(r.type_count[s]);
        if n > i64::from(*cap) {
            let penalty = n - i64::from(*cap);
            let code = r.code(s as ShiftIdx);
            sink.hard(penalty, || {
                Finding::new(
                    RuleId::B2,
                    true,
                    penalty,
                    format!("{} har {n} pass {code}, högst {cap}", r.id),
                    format!("{} has {n} {code} shifts, at most {cap}", r.id),
                )
                .employee(r.id)
                .shift(code)
                .measured(n, i64::from(*cap), Measure::Count)
            });
        }
    }
}

/// B3: total paid minutes over the period between the employee's minimum and maximum.
fn total_minutes<S: FindingSink>(r: &Row, sink: &mut S) {
    let emp = &r.c.emps[r.e as usize];
    let worked: i64 = r.period_works().map(|w| w.paid).sum();
    if let Some(max) = emp.max_total_minutes.filter(|m| worked > *m) {
        let penalty = hours_up(worked - max);
        sink.hard(penalty, || {
            Finding::new(
                RuleId::B3,
                true,
                penalty,
                format!("{} arbetar {worked} minuter, högst {max}", r.id),
                format!("{} works {worked} minutes, at most {max}", r.id),
            )
            .employee(r.id)
            .measured(worked, max, Measure::Minutes)
        });
    }
    if let Some(min) = emp.min_total_minutes.filter(|m| worked < *m) {
        let penalty = hours_up(min - worked);
        sink.hard(penalty, || {
            Finding::new(
                RuleId::B3,
                true,
                penalty,
                format!("{} arbetar {worked} minuter, minst {min}", r.id),
                format!("{} works {worked} minutes, at least {min}", r.id),
            )
            .employee(r.id)
            .measured(worked, min, Measure::Minutes)
        });
    }
}

/// B4 and B5: runs of working days and of days off have a minimum length. A run that touches
/// the first or last day of the period is exempt, since the days beyond it are unknown.
fn min_runs<S: FindingSink>(r: &Row, sink: &mut S) {
    let emp = &r.c.emps[r.e as usize];
    let last = r.c.days as DayIndex - 1;
    let checks =
        [(RuleId::B4, true, emp.min_consecutive_days), (RuleId::B5, false, emp.min_consecutive_days_off)];
    for (rule, working, min) in checks {
        let Some(min) = min.filter(|_| on(r.c, rule)) else { continue };
        runs(
            0,
            last + 1,
            |d| r.worked(d) == working,
            |a, b| {
                let len = i64::from(b - a + 1);
                if a == 0 || b == last || len >= i64::from(min) {
                    return;
                }
                let penalty = i64::from(min) - len;
                sink.hard(penalty, || {
                    let (sv, en) =
                        if working { ("arbetsdagar", "working days") } else { ("lediga dagar", "days off") };
                    Finding::new(
                        rule,
                        true,
                        penalty,
                        format!(
                            "{} har {len} {sv} i följd {}–{}, minst {min}",
                            r.id,
                            r.c.date(a),
                            r.c.date(b)
                        ),
                        format!(
                            "{} has {len} {en} in a row from {} to {}, at least {min}",
                            r.id,
                            r.c.date(a),
                            r.c.date(b)
                        ),
                    )
                    .employee(r.id)
                    .dates(r.c.date(a), r.c.date(b))
                    .measured(len, i64::from(min), Measure::Days)
                });
            },
        );
    }
}

/// B6: at most a given number of worked weekends (a shift starting Saturday or Sunday).
fn max_weekends<S: FindingSink>(r: &Row, sink: &mut S) {
    let Some(max) = r.c.emps[r.e as usize].max_weekends else { return };
    let mut count = 0i64;
    for d in 0..r.c.days as DayIndex {
        if r.c.weekday_index(d) == 5 && (r.worked(d) || (d + 1 < r.c.days as DayIndex && r.worked(d + 1))) {
            count += 1;
        }
    }
    if count > i64::from(max) {
        let penalty = count - i64::from(max);
        sink.hard(penalty, || {
            Finding::new(
                RuleId::B6,
                true,
                penalty,
                format!("{} arbetar {count} helger, högst {max}", r.id),
                format!("{} works {count} weekends, at most {max}", r.id),
            )
            .employee(r.id)
            .measured(count, i64::from(max), Measure::Count)
        });
    }
}

/// S3: scheduled paid time equals the target; each hour of deviation costs the weight, and a
/// deviation beyond the tolerance band is also a hard finding.
fn contract_hours<S: FindingSink>(r: &Row, sink: &mut S) {
    let emp = &r.c.emps[r.e as usize];
    let worked: i64 = r.period_works().map(|w| w.paid).sum();
    let deviation = (worked - emp.target_minutes).abs();
    let weight = r.c.rules.weights.contract_hours;
    let tolerance = r.c.rules.params.hours_tolerance_minutes;
    let soft = weight * deviation / 60;
    let target = emp.target_minutes;
    let message = |sv_extra: &str, en_extra: &str| {
        (
            format!("{} är schemalagd {} mot målet {}{sv_extra}", emp.id, hm_sv(worked), hm_sv(target)),
            format!(
                "{} is scheduled {} against a target of {}{en_extra}",
                emp.id,
                hm_en(worked),
                hm_en(target)
            ),
        )
    };
    sink.soft(soft, || {
        let (sv, en) = message("", "");
        Finding::new(RuleId::S3, false, soft, sv, en).employee(&emp.id).measured(
            worked,
            target,
            Measure::Minutes,
        )
    });
    if deviation > tolerance {
        let penalty = shifts_up(deviation - tolerance);
        sink.hard(penalty, || {
            let (sv, en) = message(
                &format!(", utanför toleransen ±{}", hm_sv(tolerance)),
                &format!(", outside the tolerance of ±{}", hm_en(tolerance)),
            );
            Finding::new(RuleId::S3, true, penalty, sv, en).employee(&emp.id).measured(
                worked,
                target,
                Measure::Minutes,
            )
        });
    }
}

/// Whether a wish is granted by a row's works.
pub fn wish_granted(works: &[Work], wish: &CWish) -> bool {
    let mut on_day = works.iter().filter(|w| w.day == wish.day);
    match wish.kind {
        CWishKind::Work(None) => on_day.next().is_some(),
        CWishKind::Work(Some(s)) => on_day.any(|w| w.shift == s),
        CWishKind::Off => on_day.next().is_none(),
        CWishKind::Avoid(s) => !on_day.any(|w| w.shift == s),
    }
}

/// S4: each wish not granted costs its penalty.
fn wishes<S: FindingSink>(r: &Row, sink: &mut S) {
    let emp = &r.c.emps[r.e as usize];
    for wish in &emp.wishes {
        let day = usize::try_from(wish.day).unwrap_or(usize::MAX);
        let works = if day < r.c.days { day_works(r.works, wish.day) } else { &[] };
        if wish_granted(works, wish) {
            continue;
        }
        let date = r.c.date(wish.day);
        sink.soft(wish.penalty, || {
            let (sv, en) = match wish.kind {
                CWishKind::Work(None) => ("arbeta".to_string(), "to work".to_string()),
                CWishKind::Work(Some(s)) => {
                    (format!("arbeta {}", r.code(s)), format!("to work {}", r.code(s)))
                }
                CWishKind::Off => ("vara ledig".to_string(), "a day off".to_string()),
                CWishKind::Avoid(s) => (format!("slippa {}", r.code(s)), format!("to avoid {}", r.code(s))),
            };
            Finding::new(
                RuleId::S4,
                false,
                wish.penalty,
                format!(
                    "{}s önskemål att {sv} {date} (prioritet {}) är inte uppfyllt",
                    emp.id, wish.priority
                ),
                format!("{}'s wish {en} on {date} (priority {}) is not granted", emp.id, wish.priority),
            )
            .employee(&emp.id)
            .dates(date, date)
        });
    }
}

/// The works starting on `day`, found by binary search (works are sorted by start, so by day).
fn day_works(works: &[Work], day: DayIndex) -> &[Work] {
    let from = works.partition_point(|w| w.day < day);
    let to = from + works[from..].partition_point(|w| w.day == day);
    &works[from..to]
}

/// S5: weekends, nights, evenings and major holidays in proportion to employment degree.
fn fair_burden<S: FindingSink>(r: &Row, sink: &mut S) {
    let emp = &r.c.emps[r.e as usize];
    let weight = r.c.rules.weights.fair_burden;
    // The Swedish names are the same in singular and plural.
    let names = [
        (FAIR_WEEKEND, "helgpass", "weekend shift"),
        (FAIR_NIGHT, "nattpass", "night shift"),
        (FAIR_EVENING, "kvällspass", "evening shift"),
        (FAIR_HOLIDAY, "storhelgspass", "major holiday shift"),
    ];
    for (kind, sv_name, en_singular) in names {
        let count = r.period_works().filter(|w| fair_kind(r.c, w, kind)).count() as i64;
        let en_name = if count == 1 { en_singular.to_string() } else { format!("{en_singular}s") };
        let target = emp.fair_targets_milli[kind];
        let deviation = (count * 1000 - target).abs();
        let penalty = weight * deviation / 1000;
        sink.soft(penalty, || {
            let share = target as f64 / 1000.0;
            Finding::new(
                RuleId::S5,
                false,
                penalty,
                format!("{} har {count} {sv_name}, rättvis andel {share:.1}", emp.id),
                format!("{} has {count} {en_name}, fair share {share:.1}", emp.id),
            )
            .employee(&emp.id)
            .measured(count * 1000, target, Measure::Count)
        });
    }
}

/// S6: the number of shifts follows the target hours, so a part-timer does not get as many
/// (shorter) shifts as a full-timer; one shift either way is free.
fn proportional_shifts<S: FindingSink>(r: &Row, sink: &mut S) {
    let emp = &r.c.emps[r.e as usize];
    let count = r.period_works().count() as i64;
    let deviation = ((count * 1000 - emp.shift_target_milli).abs() - 1000).max(0);
    let penalty = r.c.rules.weights.proportional_shifts * deviation / 1000;
    sink.soft(penalty, || {
        let target = emp.shift_target_milli as f64 / 1000.0;
        Finding::new(
            RuleId::S6,
            false,
            penalty,
            format!("{} har {count} pass, i proportion till sysselsättningsgraden {target:.1}", emp.id),
            format!("{} has {count} shifts, {target:.1} in proportion to the employment degree", emp.id),
        )
        .employee(&emp.id)
        .measured(count * 1000, emp.shift_target_milli, Measure::Count)
    });
}

/// S7: no evening shift followed by a morning shift the next day (ryggpass).
fn ryggpass<S: FindingSink>(r: &Row, sink: &mut S) {
    let weight = r.c.rules.weights.ryggpass;
    for pair in r.works.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if b.day < 0 || b.day != a.day + 1 {
            continue;
        }
        if !(r.c.shifts[usize::from(a.shift)].class.evening && r.c.shifts[usize::from(b.shift)].class.morning)
        {
            continue;
        }
        sink.soft(weight, || {
            Finding::new(
                RuleId::S7,
                false,
                weight,
                format!(
                    "{} har ryggpass: {} {} följt av {} {}",
                    r.id,
                    r.code(a.shift),
                    r.c.date(a.day),
                    r.code(b.shift),
                    r.c.date(b.day)
                ),
                format!(
                    "{} has an evening shift {} on {} followed by a morning shift {} on {}",
                    r.id,
                    r.code(a.shift),
                    r.c.date(a.day),
                    r.code(b.shift),
                    r.c.date(b.day)
                ),
            )
            .employee(r.id)
            .dates(r.c.date(a.day), r.c.date(b.day))
        });
    }
}

/// S9: no single working day between days off, and no single day off between working days.
/// Days before the known history and after the period are unknown, so no pattern touches them.
fn compact_days<S: FindingSink>(r: &Row, sink: &mut S) {
    let weight = r.c.rules.weights.compact_days;
    for d in 0.max(r.known_first + 1)..r.c.days as DayIndex - 1 {
        let (before, here, after) = (r.worked(d - 1), r.worked(d), r.worked(d + 1));
        if before != after || here == before {
            continue;
        }
        sink.soft(weight, || {
            let (sv, en) = if here {
                ("ensam arbetsdag", "a single working day")
            } else {
                ("ensam ledig dag", "a single day off")
            };
            Finding::new(
                RuleId::S9,
                false,
                weight,
                format!("{} har {sv} {}", r.id, r.c.date(d)),
                format!("{} has {en} on {}", r.id, r.c.date(d)),
            )
            .employee(r.id)
            .dates(r.c.date(d), r.c.date(d))
        });
    }
}

/// S10: the same shift type through a block of working days.
fn stable_types<S: FindingSink>(r: &Row, sink: &mut S) {
    let weight = r.c.rules.weights.stable_shift_types;
    for d in 0.max(r.known_first + 1)..r.c.days as DayIndex {
        let (a, b) = (r.shift_on(d - 1), r.shift_on(d));
        if a == OFF || b == OFF || a == b {
            continue;
        }
        sink.soft(weight, || {
            Finding::new(
                RuleId::S10,
                false,
                weight,
                format!("{} byter passtyp från {} till {} {}", r.id, r.code(a), r.code(b), r.c.date(d)),
                format!("{} changes shift type from {} to {} on {}", r.id, r.code(a), r.code(b), r.c.date(d)),
            )
            .employee(r.id)
            .dates(r.c.date(d - 1), r.c.date(d))
        });
    }
}

/// S12: both days of a weekend worked, or neither (by shifts starting on them).
fn whole_weekends<S: FindingSink>(r: &Row, sink: &mut S) {
    let weight = r.c.rules.weights.whole_weekends;
    for d in 0..r.c.days as DayIndex - 1 {
        if r.c.weekday_index(d) != 5 || r.worked(d) == r.worked(d + 1) {
            continue;
        }
        sink.soft(weight, || {
            Finding::new(
                RuleId::S12,
                false,
                weight,
                format!("{} arbetar bara en dag av helgen {}–{}", r.id, r.c.date(d), r.c.date(d + 1)),
                format!("{} works only one day of the weekend {} to {}", r.id, r.c.date(d), r.c.date(d + 1)),
            )
            .employee(r.id)
            .dates(r.c.date(d), r.c.date(d + 1))
        });
    }
}
