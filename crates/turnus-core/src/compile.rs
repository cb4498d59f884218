//! The compiled problem: dense indexes (employee × day × shift type) with every instant,
//! eligibility, demand row and target precomputed, shared by the evaluator and the solver.
//! Day index 0 is the period's first date; history days have negative indexes.

use std::collections::HashMap;

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;

use crate::holidays::{is_public_holiday, is_storhelg};
use crate::problem::{DemandDay, Problem, ProblemError, WishKind};
use crate::rules::{RuleId, RuleSet};
use crate::time::{Period, minutes_at};

/// Index of an employee in [`Compiled::emps`].
pub type EmpIdx = u32;
/// Index of a shift type in [`Compiled::shifts`]; [`OFF`] means no shift.
pub type ShiftIdx = u16;
/// Day offset from the period start.
pub type DayIndex = i32;
/// The "no shift" value of a day.
pub const OFF: ShiftIdx = ShiftIdx::MAX;

/// A worked shift with its absolute instants, in minutes since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Work {
    pub day: DayIndex,
    pub shift: ShiftIdx,
    pub start: i64,
    pub end: i64,
    /// Paid minutes: elapsed time less the unpaid break.
    pub paid: i64,
}

/// How a shift type lies in the day, by its local clock times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShiftClass {
    /// At least 3 h between 22:00 and 06:00 (ATL §13a's night worker test).
    pub night: bool,
    /// Not a night shift and ends after 19:00 (the evening OB window starts then).
    pub evening: bool,
    /// Not a night shift and starts before 10:00.
    pub morning: bool,
}

/// A compiled shift type.
#[derive(Debug, Clone)]
pub struct CShift {
    pub code: String,
    pub name: String,
    pub start: Time,
    pub end: Time,
    pub break_minutes: i64,
    pub skill: Option<u16>,
    /// `cannot_follow[t]`: shift `t` may not be worked the day after this one.
    pub cannot_follow: Vec<bool>,
    pub class: ShiftClass,
}

/// A compiled wish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CWishKind {
    Work(Option<ShiftIdx>),
    Off,
    Avoid(ShiftIdx),
}

/// A compiled wish with its penalty when not granted.
#[derive(Debug, Clone, Copy)]
pub struct CWish {
    /// Index into `Problem::wishes`.
    pub source: usize,
    pub day: DayIndex,
    pub kind: CWishKind,
    pub priority: u8,
    pub penalty: i64,
}

/// A compiled employee.
#[derive(Debug, Clone)]
pub struct CEmp {
    pub id: String,
    pub name: String,
    pub employment_basis_points: u32,
    pub full_time_minutes: u32,
    pub night_worker: bool,
    /// S3: target paid minutes over the period, absence credited.
    pub target_minutes: i64,
    pub absent_days: u32,
    /// Shifts worked before the period, sorted by start.
    pub history: Vec<Work>,
    /// Whether history was given (an empty list then means no shifts before the period).
    pub history_known: bool,
    pub wishes: Vec<CWish>,
    /// B2: cap per shift type (`u32::MAX` for none).
    pub max_per_type: Vec<u32>,
    pub min_total_minutes: Option<i64>,
    pub max_total_minutes: Option<i64>,
    pub max_consecutive_days: u32,
    pub min_consecutive_days: Option<u32>,
    pub min_consecutive_days_off: Option<u32>,
    pub max_weekends: Option<u32>,
    /// S5 targets in thousandths: weekends, nights, evenings, major holidays.
    pub fair_targets_milli: [i64; 4],
    /// S5: whether the employee takes part in each kind at all.
    pub fair_eligible: [bool; 4],
    /// S6 target number of shifts in thousandths.
    pub shift_target_milli: i64,
    /// Absences as `(start, end, first date, last date, kind)`, instants in minutes.
    pub absences: Vec<(i64, i64, Date, Date, String)>,
}

/// One line of demand for a day and shift type, after date > holiday > weekday precedence.
#[derive(Debug, Clone)]
pub struct CoverRow {
    pub day: DayIndex,
    pub shift: ShiftIdx,
    pub skill: Option<u16>,
    pub min: u32,
    pub ideal: u32,
    pub under_weight: i64,
    pub ideal_weight: i64,
    pub over_weight: i64,
    /// Minutes the weights are scaled by, over 60: paid minutes when scaled by hours, else 60.
    pub scale_minutes: i64,
}

/// A week (Monday 00:00 to Monday 00:00 local) or weekend (Saturday 00:00 to Monday 00:00).
#[derive(Debug, Clone, Copy)]
pub struct Span {
    pub start: i64,
    pub end: i64,
    /// Day index of the span's first date.
    pub first_day: DayIndex,
    /// Whether the span begins before the period, so it needs history.
    pub needs_history: bool,
    /// Whether the span reaches into the period.
    pub in_period: bool,
}

/// The compiled problem.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub period: Period,
    pub time_zone: TimeZone,
    pub days: usize,
    /// Number of history days before the period that have instants.
    pub hist: usize,
    pub shifts: Vec<CShift>,
    pub emps: Vec<CEmp>,
    pub skills: Vec<String>,
    pub rules: RuleSet,
    /// `(start, end, paid)` per `(day + hist) * shifts + shift`.
    times: Vec<(i64, i64, i64)>,
    /// Date per `day + hist`, one extra day at the end.
    dates: Vec<Date>,
    pub period_start: i64,
    pub period_end: i64,
    /// `is_storhelg` per period day.
    pub storhelg: Vec<bool>,
    pub weeks: Vec<Span>,
    pub weekends: Vec<Span>,
    /// Whether employee `e` may take shift `s` on day `d` (skill, absence, pins), bit per
    /// `(e * days + d) * shifts + s`.
    allowed: Vec<bool>,
    /// Pinned value per `e * days + d`: `None` when not pinned, `Some(OFF)` for a day off.
    pins: Vec<Option<ShiftIdx>>,
    /// Days off pinned by the scheduler, which H3 treats like an absence.
    pinned_off: Vec<bool>,
    /// Skill validity per `(e * skills + k) * days + d`.
    skill_valid: Vec<bool>,
    pub cover: Vec<CoverRow>,
    /// Cover rows per `d * shifts + s`.
    cover_by_day_shift: Vec<Vec<u32>>,
    /// S5 kind bits (weekend, night, evening, major holiday) per `d * shifts + s`.
    fair_bits: Vec<u8>,
    /// Local midnight starting each day from `-hist` to `days + 1`, minutes since the epoch.
    midnights: Vec<i64>,
}

impl Compiled {
    /// Number of shift types.
    pub fn shift_count(&self) -> usize {
        self.shifts.len()
    }

    /// The instants of shift `s` started on day `d` (history days included).
    pub fn work(&self, day: DayIndex, shift: ShiftIdx) -> Work {
        let (start, end, paid) = self.times[self.time_index(day, shift)];
        Work { day, shift, start, end, paid }
    }

    fn time_index(&self, day: DayIndex, shift: ShiftIdx) -> usize {
        let row = usize::try_from(day + self.hist as DayIndex).expect("day inside the compiled range");
        row * self.shifts.len() + usize::from(shift)
    }

    /// Whether `day` has instants (history window and period).
    pub fn has_day(&self, day: DayIndex) -> bool {
        day >= -(self.hist as DayIndex) && day < self.days as DayIndex
    }

    /// The civil date of a day index inside the compiled range.
    pub fn date(&self, day: DayIndex) -> Date {
        match usize::try_from(day + self.hist as DayIndex) {
            Ok(i) if i < self.dates.len() => self.dates[i],
            _ => self.period.date(day),
        }
    }

    /// Whether employee `e` may work shift `s` on period day `d`.
    pub fn allowed(&self, e: EmpIdx, day: usize, shift: ShiftIdx) -> bool {
        self.allowed[(e as usize * self.days + day) * self.shifts.len() + usize::from(shift)]
    }

    /// The pinned value of a period day, if pinned.
    pub fn pin(&self, e: EmpIdx, day: usize) -> Option<ShiftIdx> {
        self.pins[e as usize * self.days + day]
    }

    /// Whether a period day is a pinned day off.
    pub fn pinned_off(&self, e: EmpIdx, day: usize) -> bool {
        self.pinned_off[e as usize * self.days + day]
    }

    /// Whether employee `e` has a valid skill `k` on period day `d`.
    pub fn skill_valid(&self, e: EmpIdx, skill: u16, day: usize) -> bool {
        self.skill_valid[(e as usize * self.skills.len() + usize::from(skill)) * self.days + day]
    }

    /// Cover rows for a period day and shift.
    pub fn cover_rows(&self, day: usize, shift: ShiftIdx) -> &[u32] {
        &self.cover_by_day_shift[day * self.shifts.len() + usize::from(shift)]
    }

    /// Whether employee `e` counts towards cover row `r` when working its shift.
    pub fn counts_for(&self, e: EmpIdx, row: &CoverRow) -> bool {
        match row.skill {
            None => true,
            Some(k) => self.skill_valid(e, k, row.day as usize),
        }
    }

    /// Index of a shift code.
    pub fn shift_index(&self, code: &str) -> Option<ShiftIdx> {
        self.shifts.iter().position(|s| s.code == code).and_then(|i| ShiftIdx::try_from(i).ok())
    }

    /// Index of an employee id.
    pub fn emp_index(&self, id: &str) -> Option<EmpIdx> {
        self.emps.iter().position(|e| e.id == id).and_then(|i| EmpIdx::try_from(i).ok())
    }

    /// The known start instant for an employee: history start when history is known.
    pub fn known_start(&self, e: EmpIdx) -> i64 {
        if self.emps[e as usize].history_known && self.hist > 0 {
            self.day_start(-(self.hist as DayIndex))
        } else {
            self.period_start
        }
    }

    /// Local midnight at the start of a day, in minutes since the epoch.
    pub fn day_start(&self, day: DayIndex) -> i64 {
        match usize::try_from(day + self.hist as DayIndex) {
            Ok(i) if i < self.midnights.len() => self.midnights[i],
            _ => minutes_at(&self.time_zone, self.date(day), Time::midnight()).unwrap_or(0),
        }
    }

    /// Weekday of a day index inside the compiled range, Monday 0 to Sunday 6.
    pub fn weekday_index(&self, day: DayIndex) -> u8 {
        let offset = i64::from(self.period.start.weekday().to_monday_zero_offset());
        (offset + i64::from(day)).rem_euclid(7) as u8
    }
}

/// Compiles a validated problem.
///
/// # Errors
///
/// Returns every contradiction [`Problem::validate`] finds, or a time-zone error.
pub fn compile(problem: &Problem) -> Result<Compiled, Vec<ProblemError>> {
    let errors = problem.validate();
    if !errors.is_empty() {
        return Err(errors);
    }
    let tz = problem.time_zone().map_err(|e| vec![e])?;
    let rules = problem.rules.clone();
    let params = &rules.params;
    let period = problem.unit.period;
    let days = period.days() as usize;
    let hist = if problem.history.is_some() { params.history_days as usize } else { 0 };
    let minutes = |d: Date, t: Time| minutes_at(&tz, d, t).unwrap_or(0);

    // Skills: every code named by staff, grants, shifts and demand.
    let mut skills: Vec<String> = Vec::new();
    let skill_id = |code: &str, skills: &mut Vec<String>| -> u16 {
        if let Some(i) = skills.iter().position(|s| s == code) {
            return i as u16;
        }
        skills.push(code.to_string());
        (skills.len() - 1) as u16
    };
    for e in &problem.employees {
        for s in &e.skills {
            skill_id(s, &mut skills);
        }
    }
    for g in &problem.skill_grants {
        skill_id(&g.skill, &mut skills);
    }
    let shift_codes: HashMap<&str, ShiftIdx> =
        problem.shift_types.iter().enumerate().map(|(i, s)| (s.code.as_str(), i as ShiftIdx)).collect();
    let mut shifts: Vec<CShift> = Vec::new();
    for s in &problem.shift_types {
        let skill = s.skill.as_deref().map(|k| skill_id(k, &mut skills));
        let mut cannot_follow = vec![false; problem.shift_types.len()];
        for next in &s.cannot_follow {
            cannot_follow[usize::from(shift_codes[next.as_str()])] = true;
        }
        shifts.push(CShift {
            code: s.code.clone(),
            name: s.name.clone(),
            start: s.start,
            end: s.end,
            break_minutes: i64::from(s.break_minutes),
            skill,
            cannot_follow,
            class: classify(s.start, s.end),
        });
    }
    let demand_skills: Vec<Option<u16>> =
        problem.demand.iter().map(|d| d.skill.as_deref().map(|k| skill_id(k, &mut skills))).collect();
    let shift_count = shifts.len();

    // Dates and instants for the history window, the period and one day after it.
    let first = -(hist as DayIndex);
    let dates: Vec<Date> = (first..=days as DayIndex).map(|d| period.date(d)).collect();
    let mut times = Vec::with_capacity((hist + days) * shift_count);
    for d in first..days as DayIndex {
        let date = period.date(d);
        let next = period.date(d + 1);
        for s in &problem.shift_types {
            let start = minutes(date, s.start);
            let end = minutes(if s.crosses_midnight() { next } else { date }, s.end);
            let paid = (end - start - i64::from(s.break_minutes)).max(0);
            times.push((start, end, paid));
        }
    }
    let period_start = minutes(period.start, Time::midnight());
    let period_end = minutes(period.date(days as DayIndex), Time::midnight());
    let storhelg: Vec<bool> = (0..days as DayIndex).map(|d| is_storhelg(period.date(d))).collect();

    // Weeks (veckobryt Monday 00:00) and weekends over the history window and the period.
    let known_first = period.date(first);
    let mut weeks = Vec::new();
    let mut monday = known_first;
    while monday.weekday() != Weekday::Monday {
        monday = monday.tomorrow().unwrap_or(monday);
    }
    loop {
        let next = monday.checked_add(jiff::Span::new().days(7)).unwrap_or(monday);
        let first_day = period.index_of(monday);
        if period.index_of(next) > days as DayIndex {
            break;
        }
        weeks.push(Span {
            start: minutes(monday, Time::midnight()),
            end: minutes(next, Time::midnight()),
            first_day,
            needs_history: first_day < 0,
            in_period: first_day + 7 > 0,
        });
        monday = next;
    }
    let mut weekends = Vec::new();
    let mut saturday = known_first;
    while saturday.weekday() != Weekday::Saturday {
        saturday = saturday.tomorrow().unwrap_or(saturday);
    }
    loop {
        let first_day = period.index_of(saturday);
        if first_day >= days as DayIndex {
            break;
        }
        let monday = saturday.checked_add(jiff::Span::new().days(2)).unwrap_or(saturday);
        weekends.push(Span {
            start: minutes(saturday, Time::midnight()),
            end: minutes(monday, Time::midnight()),
            first_day,
            needs_history: first_day < 0,
            in_period: first_day + 2 > 0,
        });
        saturday = saturday.checked_add(jiff::Span::new().days(7)).unwrap_or(saturday);
    }

    // Skill validity per employee, skill and period day. A skills.csv row limits that skill
    // to its dates even where the staff row lists it without dates.
    let emp_count = problem.employees.len();
    let mut skill_valid = vec![false; emp_count * skills.len() * days];
    for (ei, e) in problem.employees.iter().enumerate() {
        for (k, code) in skills.iter().enumerate() {
            let grants: Vec<_> =
                problem.skill_grants.iter().filter(|g| g.employee == e.id && &g.skill == code).collect();
            for d in 0..days {
                let date = period.date(d as DayIndex);
                let valid = if grants.is_empty() {
                    e.skills.iter().any(|s| s == code)
                } else {
                    grants.iter().any(|g| g.valid_from <= date && date <= g.valid_to)
                };
                skill_valid[(ei * skills.len() + k) * days + d] = valid;
            }
        }
    }

    // Pins and pinned days off.
    let mut pins = vec![None; emp_count * days];
    let mut pinned_off = vec![false; emp_count * days];
    let emp_codes: HashMap<&str, usize> =
        problem.employees.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    for p in &problem.pins {
        let (e, d) = (emp_codes[p.employee.as_str()], period.index_of(p.date) as usize);
        let value = p.shift.as_deref().map_or(OFF, |c| shift_codes[c]);
        pins[e * days + d] = Some(value);
        if value == OFF {
            pinned_off[e * days + d] = true;
        }
    }

    // Employees: absences, targets, history, limits.
    let mut emps = Vec::with_capacity(emp_count);
    for e in &problem.employees {
        let ft = e.full_time_minutes.unwrap_or(params.full_time_minutes);
        let mut absent = vec![false; days];
        let mut absences = Vec::new();
        for a in problem.absences.iter().filter(|a| a.employee == e.id) {
            let end_date = a.to.tomorrow().unwrap_or(a.to);
            absences.push((
                minutes(a.from, Time::midnight()),
                minutes(end_date, Time::midnight()),
                a.from,
                a.to,
                a.kind.clone(),
            ));
            for (d, flag) in absent.iter_mut().enumerate() {
                let date = period.date(d as DayIndex);
                if a.from <= date && date <= a.to {
                    *flag = true;
                }
            }
        }
        let absent_days = absent.iter().filter(|a| **a).count() as u32;
        // Target: degree × full-time measure × weeks, less one seventh of the weekly target
        // for every absent calendar day (the fixed per-day credit of the rule catalog).
        let present_days = i64::from(period.days() - absent_days);
        let target_minutes =
            i64::from(e.employment_basis_points) * i64::from(ft) * present_days / (10_000 * 7);

        let mut history = Vec::new();
        if let Some(rows) = &problem.history {
            for h in rows.iter().filter(|h| h.employee == e.id) {
                let day = period.index_of(h.date);
                if day < first || day >= 0 {
                    continue;
                }
                let (start, end, paid) = times
                    [((day - first) as usize) * shift_count + usize::from(shift_codes[h.shift.as_str()])];
                history.push(Work { day, shift: shift_codes[h.shift.as_str()], start, end, paid });
            }
        }
        history.sort_by_key(|w| (w.start, w.end));

        let mut max_per_type = vec![u32::MAX; shift_count];
        for (code, cap) in &e.limits.max_shifts_per_type {
            max_per_type[usize::from(shift_codes[code.as_str()])] = *cap;
        }
        emps.push(CEmp {
            id: e.id.clone(),
            name: e.name.clone(),
            employment_basis_points: e.employment_basis_points,
            full_time_minutes: ft,
            night_worker: e.night_worker,
            target_minutes,
            absent_days,
            history,
            history_known: problem.history.is_some(),
            wishes: Vec::new(),
            max_per_type,
            min_total_minutes: e.limits.min_total_minutes.map(i64::from),
            max_total_minutes: e.limits.max_total_minutes.map(i64::from),
            max_consecutive_days: e
                .limits
                .max_consecutive_days
                .map_or(params.max_consecutive_days, |m| m.min(params.max_consecutive_days)),
            min_consecutive_days: e.limits.min_consecutive_days,
            min_consecutive_days_off: e.limits.min_consecutive_days_off,
            max_weekends: e.limits.max_weekends,
            fair_targets_milli: [0; 4],
            fair_eligible: [false; 4],
            shift_target_milli: 0,
            absences,
        });
    }

    // Eligibility: skill of the shift (H2), absences and pinned days off (H3), pins.
    let mut allowed = vec![false; emp_count * days * shift_count];
    for (ei, emp) in emps.iter().enumerate() {
        for d in 0..days {
            for (si, shift) in shifts.iter().enumerate() {
                let (start, end, _) = times[(hist + d) * shift_count + si];
                let skill_ok =
                    shift.skill.is_none_or(|k| skill_valid[(ei * skills.len() + usize::from(k)) * days + d]);
                let absent = emp.absences.iter().any(|(a, b, ..)| start < *b && end > *a);
                let off_pinned = pinned_off_overlap(&pinned_off, ei, days, d, start, end, &|day| {
                    minutes(period.date(day), Time::midnight())
                });
                let cap_ok = emp.max_per_type[si] > 0;
                let pin_ok = match pins[ei * days + d] {
                    None => true,
                    Some(p) => usize::from(p) == si,
                };
                allowed[(ei * days + d) * shift_count + si] =
                    skill_ok && !absent && !off_pinned && cap_ok && pin_ok;
            }
        }
    }

    // Cover rows: for each date and shift, date rows replace holiday rows, which replace
    // weekday rows (including their skill rows). Rows are grouped once by shift and day kind.
    let w = &rules.weights;
    let mut by_date: HashMap<(Date, usize), Vec<usize>> = HashMap::new();
    let mut by_holiday: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut by_weekday: HashMap<(Weekday, usize), Vec<usize>> = HashMap::new();
    for (i, r) in problem.demand.iter().enumerate() {
        let si = usize::from(shift_codes[r.shift.as_str()]);
        match r.day {
            DemandDay::Date(d) => by_date.entry((d, si)).or_default().push(i),
            DemandDay::Holiday => by_holiday.entry(si).or_default().push(i),
            DemandDay::Weekday(wd) => by_weekday.entry((wd, si)).or_default().push(i),
        }
    }
    let empty = Vec::new();
    let mut cover = Vec::new();
    let mut cover_by_day_shift = vec![Vec::new(); days * shift_count];
    for d in 0..days {
        let date = period.date(d as DayIndex);
        let holiday = is_public_holiday(date);
        for si in 0..shift_count {
            let rows = by_date
                .get(&(date, si))
                .or_else(|| if holiday { by_holiday.get(&si) } else { None })
                .or_else(|| by_weekday.get(&(date.weekday(), si)))
                .unwrap_or(&empty);
            let (_, _, paid) = times[(hist + d) * shift_count + si];
            for &i in rows {
                let r = &problem.demand[i];
                let skill = demand_skills[i];
                cover_by_day_shift[d * shift_count + si].push(cover.len() as u32);
                cover.push(CoverRow {
                    day: d as DayIndex,
                    shift: si as ShiftIdx,
                    skill,
                    min: r.min,
                    ideal: r.ideal,
                    under_weight: r.under_weight.unwrap_or(w.min_cover),
                    ideal_weight: w.ideal_cover_under,
                    // Surplus counts on the head-count row only: a second skilled person on a
                    // shift is not surplus for the skill row.
                    over_weight: if skill.is_some() { 0 } else { r.over_weight.unwrap_or(w.cover_over) },
                    scale_minutes: if rules.params.cover_scaled_by_hours { paid } else { 60 },
                });
            }
        }
    }

    let midnights: Vec<i64> =
        (first..=days as DayIndex + 1).map(|d| minutes(period.date(d), Time::midnight())).collect();
    let mut compiled = Compiled {
        period,
        time_zone: tz,
        days,
        hist,
        shifts,
        emps,
        skills,
        rules,
        times,
        dates,
        period_start,
        period_end,
        storhelg,
        weeks,
        weekends,
        allowed,
        pins,
        pinned_off,
        skill_valid,
        cover,
        cover_by_day_shift,
        fair_bits: Vec::new(),
        midnights,
    };
    compile_fair_bits(&mut compiled);
    compile_wishes(problem, &mut compiled);
    compile_fair_targets(&mut compiled);
    Ok(compiled)
}

/// Whether a shift overlaps a pinned day off of the employee on its own or the next day.
fn pinned_off_overlap(
    pinned_off: &[bool],
    e: usize,
    days: usize,
    d: usize,
    start: i64,
    end: i64,
    midnight: &dyn Fn(DayIndex) -> i64,
) -> bool {
    (d..(d + 2).min(days)).any(|day| {
        pinned_off[e * days + day] && start < midnight(day as DayIndex + 1) && end > midnight(day as DayIndex)
    })
}

/// Local clock classification of a shift type.
fn classify(start: Time, end: Time) -> ShiftClass {
    let s = i64::from(start.hour()) * 60 + i64::from(start.minute());
    let mut e = i64::from(end.hour()) * 60 + i64::from(end.minute());
    if e <= s {
        e += 24 * 60;
    }
    // Night window 22:00–06:00, on the start day and the next.
    let overlap = |a: i64, b: i64| (e.min(b) - s.max(a)).max(0);
    let night_minutes = overlap(0, 6 * 60) + overlap(22 * 60, 30 * 60) + overlap(46 * 60, 54 * 60);
    let night = night_minutes >= 3 * 60;
    ShiftClass { night, evening: !night && e > 19 * 60, morning: !night && s < 10 * 60 }
}

fn compile_wishes(problem: &Problem, c: &mut Compiled) {
    let w = c.rules.weights.wish;
    let mut per_emp: Vec<Vec<CWish>> = vec![Vec::new(); c.emps.len()];
    for (i, wish) in problem.wishes.iter().enumerate() {
        let Some(e) = c.emp_index(&wish.employee) else { continue };
        let kind = match &wish.kind {
            WishKind::Work(code) => CWishKind::Work(code.as_deref().and_then(|s| c.shift_index(s))),
            WishKind::Off => CWishKind::Off,
            WishKind::Avoid(code) => match c.shift_index(code) {
                Some(s) => CWishKind::Avoid(s),
                None => continue,
            },
        };
        per_emp[e as usize].push(CWish {
            source: i,
            day: c.period.index_of(wish.date),
            kind,
            priority: wish.priority,
            penalty: w * i64::from(wish.priority),
        });
    }
    if c.rules.params.wishes_normalized {
        // Every employee's wishes weigh the same in total, the mean total over those who
        // wished, so nobody wins by wishing more: penalty = w × p × mean / total_e, rounded.
        let totals: Vec<i64> =
            per_emp.iter().map(|ws| ws.iter().map(|x| i64::from(x.priority)).sum()).collect();
        let wishers: Vec<i64> = totals.iter().copied().filter(|t| *t > 0).collect();
        if !wishers.is_empty() {
            let mean = wishers.iter().sum::<i64>() as f64 / wishers.len() as f64;
            let mean = mean.round().max(1.0) as i64;
            for (ws, total) in per_emp.iter_mut().zip(&totals) {
                for x in ws.iter_mut() {
                    x.penalty = (2 * w * i64::from(x.priority) * mean + total) / (2 * total);
                }
            }
        }
    }
    for (emp, ws) in c.emps.iter_mut().zip(per_emp) {
        emp.wishes = ws;
    }
}

/// Kinds of burden spread fairly by S5.
pub(crate) const FAIR_WEEKEND: usize = 0;
pub(crate) const FAIR_NIGHT: usize = 1;
pub(crate) const FAIR_EVENING: usize = 2;
pub(crate) const FAIR_HOLIDAY: usize = 3;

/// Whether a period work is of S5 kind `kind`.
pub(crate) fn fair_kind(c: &Compiled, w: &Work, kind: usize) -> bool {
    w.day >= 0 && c.fair_bits[w.day as usize * c.shifts.len() + usize::from(w.shift)] & (1 << kind) != 0
}

fn compile_fair_bits(c: &mut Compiled) {
    let mut bits = vec![0u8; c.days * c.shifts.len()];
    for d in 0..c.days {
        for s in 0..c.shifts.len() {
            let w = c.work(d as DayIndex, s as ShiftIdx);
            let class = c.shifts[s].class;
            let weekend = c.weekends.iter().any(|span| w.start < span.end && w.end > span.start);
            let mut b = 0u8;
            if weekend {
                b |= 1 << FAIR_WEEKEND;
            }
            if class.night {
                b |= 1 << FAIR_NIGHT;
            }
            if class.evening {
                b |= 1 << FAIR_EVENING;
            }
            if c.storhelg[d] {
                b |= 1 << FAIR_HOLIDAY;
            }
            bits[d * c.shifts.len() + s] = b;
        }
    }
    c.fair_bits = bits;
}

fn compile_fair_targets(c: &mut Compiled) {
    // Demand per kind: ideal head-count of the head-count rows (rows without a skill).
    let mut demand = [0i64; 4];
    let mut total_ideal_minutes = 0i64;
    let mut total_ideal_shifts = 0i64;
    for row in c.cover.iter().filter(|r| r.skill.is_none()) {
        let w = c.work(row.day, row.shift);
        for (k, slot) in demand.iter_mut().enumerate() {
            if fair_kind(c, &w, k) {
                *slot += i64::from(row.ideal);
            }
        }
        total_ideal_minutes += w.paid * i64::from(row.ideal);
        total_ideal_shifts += i64::from(row.ideal);
    }
    let mean_shift_minutes =
        if total_ideal_shifts > 0 { (total_ideal_minutes / total_ideal_shifts).max(1) } else { 8 * 60 };

    // Each kind is shared among the employees who may take at least one shift of it, in
    // proportion to employment degree × days present.
    let days = c.days;
    for (k, kind_demand) in demand.iter().enumerate() {
        let eligible: Vec<bool> = (0..c.emps.len())
            .map(|e| {
                (0..days).any(|d| {
                    (0..c.shifts.len()).any(|s| {
                        let s = s as ShiftIdx;
                        c.allowed(e as EmpIdx, d, s) && fair_kind(c, &c.work(d as DayIndex, s), k)
                    })
                })
            })
            .collect();
        let weight =
            |e: &CEmp| i64::from(e.employment_basis_points) * (days as i64 - i64::from(e.absent_days));
        let total: i64 = c.emps.iter().zip(&eligible).filter(|(_, ok)| **ok).map(|(e, _)| weight(e)).sum();
        for (e, ok) in c.emps.iter_mut().zip(&eligible) {
            e.fair_eligible[k] = *ok;
            e.fair_targets_milli[k] =
                if *ok && total > 0 { kind_demand * 1000 * weight(e) / total } else { 0 };
        }
    }
    for e in &mut c.emps {
        e.shift_target_milli = e.target_minutes * 1000 / mean_shift_minutes;
    }
}

/// Whether the rule set checks a rule.
pub(crate) fn on(c: &Compiled, rule: RuleId) -> bool {
    c.rules.is_enabled(rule)
}
