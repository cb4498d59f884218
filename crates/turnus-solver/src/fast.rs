//! Incremental row scores for day-grid rule sets such as the benchmark preset. When every
//! enabled row rule depends only on which shift each day holds, a cell change is scored from
//! counters and the runs around the changed day. Its cost then does not grow with the horizon.
//!
//! The evaluator stays the single definition of every rule: these functions restate the
//! day-grid form of H3, H10, B1–B6 and S4 for the common case, and the property test in
//! `tests/incremental.rs` proves them equal to the evaluator after random moves.

use turnus_core::{CWishKind, Compiled, DayIndex, EmpIdx, OFF, RuleId, Score, ShiftIdx, hours_up};

/// Rules a day-grid row may have on; anything else needs the full row evaluation.
const GRID_RULES: [RuleId; 12] = [
    RuleId::H1,
    RuleId::H3,
    RuleId::H9,
    RuleId::H10,
    RuleId::S1,
    RuleId::S2,
    RuleId::S4,
    RuleId::B1,
    RuleId::B2,
    RuleId::B3,
    RuleId::B4,
    RuleId::B5,
];

/// Per-problem tables of the fast path.
#[derive(Debug, Clone)]
pub struct GridModel {
    /// Paid minutes per `d * shifts + s`.
    paid: Vec<i64>,
    /// Wishes per `e * days + d`, as indexes into the employee's wishes.
    wishes_by_day: Vec<Vec<u32>>,
    /// Pinned day off per `e * days + d`.
    pinned_off: Vec<bool>,
    /// Weekday per day, Monday 0.
    weekday: Vec<u8>,
}

/// Running totals of one employee's row.
#[derive(Debug, Clone, Default)]
pub struct GridRow {
    type_count: Vec<u32>,
    minutes: i64,
    weekends: u32,
}

impl GridRow {
    /// Paid minutes of the row.
    pub(crate) fn minutes(&self) -> i64 {
        self.minutes
    }

    /// Shifts per type.
    pub(crate) fn type_counts(&self) -> &[u32] {
        &self.type_count
    }

    /// Weekends with work.
    pub(crate) fn weekends(&self) -> u32 {
        self.weekends
    }
}

impl GridModel {
    /// Builds the fast model when the problem allows it: only day-grid rules enabled, no history
    /// window, no absences, and no shift that reaches past the midnight after its start.
    pub fn new(c: &Compiled) -> Option<GridModel> {
        let enabled_ok = c.rules.enabled.iter().all(|r| GRID_RULES.contains(&r) || r == RuleId::B6);
        let simple_days = (0..c.days).all(|d| {
            (0..c.shift_count()).all(|s| {
                let w = c.work(d as DayIndex, s as ShiftIdx);
                w.end <= c.day_start(d as DayIndex + 1) && w.start >= c.day_start(d as DayIndex)
            })
        });
        let no_absences = c.emps.iter().all(|e| e.absences.is_empty() && e.history.is_empty());
        if !enabled_ok || !simple_days || !no_absences || c.hist != 0 || !c.rules.params.one_shift_per_day {
            return None;
        }
        let mut paid = Vec::with_capacity(c.days * c.shift_count());
        for d in 0..c.days {
            for s in 0..c.shift_count() {
                paid.push(c.work(d as DayIndex, s as ShiftIdx).paid);
            }
        }
        let mut wishes_by_day = vec![Vec::new(); c.emps.len() * c.days];
        let mut pinned_off = vec![false; c.emps.len() * c.days];
        for (e, emp) in c.emps.iter().enumerate() {
            for (i, w) in emp.wishes.iter().enumerate() {
                if w.day >= 0 && (w.day as usize) < c.days {
                    wishes_by_day[e * c.days + w.day as usize].push(i as u32);
                }
            }
            for d in 0..c.days {
                pinned_off[e * c.days + d] = c.pinned_off(e as EmpIdx, d);
            }
        }
        let weekday = (0..c.days).map(|d| c.weekday_index(d as DayIndex)).collect();
        Some(GridModel { paid, wishes_by_day, pinned_off, weekday })
    }

    /// Paid minutes of shift `s` on day `d`.
    pub(crate) fn paid(&self, c: &Compiled, d: usize, s: ShiftIdx) -> i64 {
        self.paid[d * c.shift_count() + usize::from(s)]
    }

    /// Weekday of day `d`, Monday 0.
    pub(crate) fn weekday(&self, d: usize) -> u8 {
        self.weekday[d]
    }

    /// Whether day `d` is a pinned day off of employee `e`.
    pub(crate) fn pinned_off(&self, c: &Compiled, e: EmpIdx, d: usize) -> bool {
        self.pinned_off[e as usize * c.days + d]
    }

    /// Computes the totals and score of a whole row.
    pub fn full(&self, c: &Compiled, e: EmpIdx, row: &[ShiftIdx]) -> (GridRow, Score) {
        let mut totals = GridRow { type_count: vec![0; c.shift_count()], minutes: 0, weekends: 0 };
        let mut hard = 0;
        let mut soft = 0;
        for (d, &s) in row.iter().enumerate() {
            if s != OFF {
                totals.type_count[usize::from(s)] += 1;
                totals.minutes += self.paid(c, d, s);
            }
            hard += self.day_hard(c, e, row, d);
            soft += self.wish_cost(c, e, d, s);
            if self.weekday[d] == 5 && self.weekend_worked(row, d) {
                totals.weekends += 1;
            }
        }
        hard += self.runs_cost(c, e, row, 0, c.days - 1);
        hard += self.counter_cost(c, e, &totals);
        (totals, Score { hard, soft })
    }

    /// Changes day `d` of the row to `new` and returns the score delta, updating totals.
    pub fn change(
        &self,
        c: &Compiled,
        e: EmpIdx,
        row: &mut [ShiftIdx],
        totals: &mut GridRow,
        d: usize,
        new: ShiftIdx,
    ) -> Score {
        let old = row[d];
        if old == new {
            return Score::default();
        }
        let last = c.days - 1;
        let left = if d == 0 { 0 } else { run_start(row, d - 1) };
        let right = if d == last { last } else { run_end(row, d + 1) };
        let saturday = match self.weekday[d] {
            5 => Some(d),
            6 if d > 0 => Some(d - 1),
            _ => None,
        };

        let local_before = self.local_hard(c, e, row, d) + self.runs_cost(c, e, row, left, right);
        let counters_before = self.counter_cost(c, e, totals);
        let wish_before = self.wish_cost(c, e, d, old);
        let weekend_before = saturday.is_some_and(|s| self.weekend_worked(row, s));

        row[d] = new;
        if old != OFF {
            totals.type_count[usize::from(old)] -= 1;
            totals.minutes -= self.paid(c, d, old);
        }
        if new != OFF {
            totals.type_count[usize::from(new)] += 1;
            totals.minutes += self.paid(c, d, new);
        }
        let weekend_after = saturday.is_some_and(|s| self.weekend_worked(row, s));
        if weekend_before != weekend_after {
            if weekend_after {
                totals.weekends += 1;
            } else {
                totals.weekends -= 1;
            }
        }

        let local_after = self.local_hard(c, e, row, d) + self.runs_cost(c, e, row, left, right);
        let counters_after = self.counter_cost(c, e, totals);
        let wish_after = self.wish_cost(c, e, d, new);
        Score {
            hard: local_after - local_before + counters_after - counters_before,
            soft: wish_after - wish_before,
        }
    }

    fn weekend_worked(&self, row: &[ShiftIdx], saturday: usize) -> bool {
        row[saturday] != OFF || (saturday + 1 < row.len() && row[saturday + 1] != OFF)
    }

    /// H3 on one day and B1 on the pair that starts there.
    fn day_hard(&self, c: &Compiled, e: EmpIdx, row: &[ShiftIdx], d: usize) -> i64 {
        let mut hard = 0;
        if c.rules.is_enabled(RuleId::H3) && row[d] != OFF && self.pinned_off[e as usize * c.days + d] {
            hard += 1;
        }
        if c.rules.is_enabled(RuleId::B1) && d + 1 < row.len() {
            let (a, b) = (row[d], row[d + 1]);
            if a != OFF && b != OFF && c.shifts[usize::from(a)].cannot_follow[usize::from(b)] {
                hard += 1;
            }
        }
        hard
    }

    /// H3 and B1 terms that involve day `d`.
    fn local_hard(&self, c: &Compiled, e: EmpIdx, row: &[ShiftIdx], d: usize) -> i64 {
        let mut hard = self.day_hard(c, e, row, d);
        if d > 0 && c.rules.is_enabled(RuleId::B1) {
            let (a, b) = (row[d - 1], row[d]);
            if a != OFF && b != OFF && c.shifts[usize::from(a)].cannot_follow[usize::from(b)] {
                hard += 1;
            }
        }
        hard
    }

    /// S4 penalty of the wishes on day `d` when it holds `s`.
    pub(crate) fn wish_cost(&self, c: &Compiled, e: EmpIdx, d: usize, s: ShiftIdx) -> i64 {
        if !c.rules.is_enabled(RuleId::S4) {
            return 0;
        }
        let wishes = &c.emps[e as usize].wishes;
        self.wishes_by_day[e as usize * c.days + d]
            .iter()
            .map(|&i| {
                let w = &wishes[i as usize];
                let granted = match w.kind {
                    CWishKind::Work(None) => s != OFF,
                    CWishKind::Work(Some(x)) => s == x,
                    CWishKind::Off => s == OFF,
                    CWishKind::Avoid(x) => s != x,
                };
                if granted { 0 } else { w.penalty }
            })
            .sum()
    }

    /// H10, B4 and B5 penalties of the maximal runs inside `from..=to`, which must start and
    /// end at run boundaries.
    fn runs_cost(&self, c: &Compiled, e: EmpIdx, row: &[ShiftIdx], from: usize, to: usize) -> i64 {
        let emp = &c.emps[e as usize];
        let last = c.days - 1;
        let max = emp.max_consecutive_days;
        let min_work = emp.min_consecutive_days.filter(|_| c.rules.is_enabled(RuleId::B4));
        let min_off = emp.min_consecutive_days_off.filter(|_| c.rules.is_enabled(RuleId::B5));
        let h10 = c.rules.is_enabled(RuleId::H10) && max != u32::MAX;
        let mut cost = 0;
        let mut a = from;
        while a <= to {
            let worked = row[a] != OFF;
            let mut b = a;
            while b < to && (row[b + 1] != OFF) == worked {
                b += 1;
            }
            let len = (b - a + 1) as i64;
            if worked && h10 && len > i64::from(max) {
                cost += len - i64::from(max);
            }
            let min = if worked { min_work } else { min_off };
            if let Some(min) = min
                && a != 0
                && b != last
                && len < i64::from(min)
            {
                cost += i64::from(min) - len;
            }
            a = b + 1;
        }
        cost
    }

    /// B2, B3 and B6 penalties from the row totals.
    fn counter_cost(&self, c: &Compiled, e: EmpIdx, totals: &GridRow) -> i64 {
        self.totals_hard(c, e, totals, true, true)
    }

    /// Computes the B2 penalty from the row totals, with B3 when `minutes` and B6 when
    /// `weekends`.
    pub(crate) fn totals_hard(
        &self,
        c: &Compiled,
        e: EmpIdx,
        totals: &GridRow,
        minutes: bool,
        weekends: bool,
    ) -> i64 {
        let emp = &c.emps[e as usize];
        let mut cost = 0;
        if c.rules.is_enabled(RuleId::B2) {
            for (n, cap) in totals.type_count.iter().zip(&emp.max_per_type) {
                if *cap != u32::MAX && n > cap {
                    cost += i64::from(n - cap);
                }
            }
        }
        if minutes && c.rules.is_enabled(RuleId::B3) {
            if let Some(max) = emp.max_total_minutes.filter(|m| totals.minutes > *m) {
                cost += hours_up(totals.minutes - max);
            }
            if let Some(min) = emp.min_total_minutes.filter(|m| totals.minutes < *m) {
                cost += hours_up(min - totals.minutes);
            }
        }
        if weekends
            && c.rules.is_enabled(RuleId::B6)
            && let Some(max) = emp.max_weekends
            && totals.weekends > max
        {
            cost += i64::from(totals.weekends - max);
        }
        cost
    }
}

/// First day of the maximal run (same worked status) that contains `d`.
fn run_start(row: &[ShiftIdx], d: usize) -> usize {
    let worked = row[d] != OFF;
    let mut a = d;
    while a > 0 && (row[a - 1] != OFF) == worked {
        a -= 1;
    }
    a
}

/// Last day of the maximal run that contains `d`.
fn run_end(row: &[ShiftIdx], d: usize) -> usize {
    let worked = row[d] != OFF;
    let mut b = d;
    while b + 1 < row.len() && (row[b + 1] != OFF) == worked {
        b += 1;
    }
    b
}
