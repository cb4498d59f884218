//! A Lagrangian lower bound on the soft score of day-grid problems (the benchmark rule set).
//!
//! Cover ties the employees together, so it is relaxed: every cover row gets a price per
//! head. With the prices fixed, each employee picks their cheapest row alone (the row program
//! of [`crate::row_dp`], with the period totals priced as well) and each cover row its
//! cheapest head-count. For any prices the sum of those minima is at most the soft score of
//! every schedule without hard violations. Better prices raise the sum.
//!
//! The bound is valid because each part only drops or softens a limit: a row rule the program
//! tracks costs a large penalty instead of being forbidden, a rule it does not track (a run
//! longer than it follows, the last run of the period) costs nothing, and soft row rules
//! other than wishes are left out. None of that can lift the sum above the true minimum.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use turnus_core::{Compiled, EmpIdx, RuleId, ShiftIdx};

use std::collections::HashSet;

use crate::fast::{GridModel, GridRow};
use crate::master::{Column, CoverPieces, Duals, Limits, Penalties, solve_master};
use crate::row_dp::{RowOptimizer, TotalPrices, Tracked};
use crate::search::{cell_options, pinned_grid};
use crate::state::{cover_cost, row_cover};

/// Limits of one bound computation.
#[derive(Debug, Clone)]
pub struct BoundOptions {
    pub time_limit: Option<Duration>,
    /// Subgradient iterations at most.
    pub max_iterations: usize,
    pub threads: usize,
    /// The score of the best known schedule, which steers the step size. When the bound
    /// reaches it, that schedule is proven optimal and the computation ends.
    pub target: Option<i64>,
    /// The best known schedule (shift per `e * days + d`); its rows start the master program.
    pub start: Option<Vec<ShiftIdx>>,
}

impl Default for BoundOptions {
    fn default() -> Self {
        BoundOptions {
            time_limit: Some(Duration::from_secs(10)),
            max_iterations: 500,
            threads: 1,
            target: None,
            start: None,
        }
    }
}

/// A lower bound on the soft score of any schedule without hard violations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bound {
    /// No schedule without hard violations scores less than this.
    pub value: i64,
    pub iterations: usize,
    pub elapsed: Duration,
}

/// The subgradient step-size factor after column generation, whose prices are near optimal.
const POLISH_THETA: f64 = 0.05;
/// Subgradient steps after column generation at most.
const POLISH_ITERATIONS: usize = 200;
/// State steps per iteration, over all employees and for one employee, up to which the row
/// program tracks period totals exactly instead of pricing them. Exact totals give a far
/// tighter bound: the master can no longer mix a row below a limit with one above it.
const TRACK_BUDGET_TOTAL: usize = 300_000_000;
const TRACK_BUDGET_EMPLOYEE: usize = 30_000_000;
/// The share by which the Lagrangian may lie below the master's value when column generation
/// for the bound has converged: the solver's own tolerance.
const CONVERGED: f64 = 1e-6;
/// A run without polish ends when the master's value fell by less than `TAIL_SHARE` of its
/// tolerance over the last `TAIL_ROUNDS` masters.
const TAIL_ROUNDS: usize = 8;
const TAIL_SHARE: f64 = 0.2;
/// Rounds in a row whose new rows leave the master's value where it was, after which the
/// columns no longer charge the period totals the master limits.
const STUCK_ROUNDS: usize = 2;
/// Master programs in a row that give a column no weight before it is dropped.
const MAX_UNUSED: u32 = 8;
/// The master's charge for one shift or weekend beyond a period total, in units of the
/// largest cover weight: well above what one more shift can gain through cover.
const TOTALS_CHARGE: f64 = 10.0;
/// Iterations without a better bound before the step size halves.
const PATIENCE: usize = 60;
/// The step-size factor at which the subgradient search gives up.
const MIN_THETA: f64 = 1e-4;

/// Computes a Lagrangian lower bound on the soft score of `c`. Returns `None` when the
/// problem is not a day-grid problem (see [`crate::State::uses_grid_model`]), where the row
/// program does not apply.
pub fn lower_bound(c: &Compiled, options: &BoundOptions) -> Option<Bound> {
    let model = GridModel::new(c)?;
    let relaxation = Relaxation::new(c, &model);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(options.threads.max(1)).build().ok()?;
    let mut columns = Columns::new(c.emps.len());
    if let Some(grid) = &options.start {
        for e in 0..c.emps.len() {
            columns.add(&relaxation, e, &grid[e * c.days..(e + 1) * c.days]);
        }
    }
    Some(run(&relaxation, &mut columns, &pool, options, true, None, None, CONVERGED).bound)
}

/// The outcome of one [`run`] of column generation.
pub(crate) struct Run {
    pub bound: Bound,
    /// The master's weights on `columns`, per employee, or empty when no master was solved.
    pub weights: Vec<Vec<f64>>,
    /// The last prices, which start the next run.
    pub prices: Prices,
}

/// Runs column generation on `relaxation`, adding the rows it finds to `columns`, from
/// `prices` (or the relaxation's start prices). With `polish`, subgradient steps tighten the
/// bound once the master stops finding rows. Without it the run ends there, which is all a
/// search for schedules needs from it. The run has converged when the Lagrangian comes
/// within `tolerance` (a share) of the master's value. Setting `stop` ends it early.
#[allow(clippy::too_many_arguments)]
pub(crate) fn run(
    relaxation: &Relaxation,
    columns: &mut Columns,
    pool: &rayon::ThreadPool,
    options: &BoundOptions,
    polish: bool,
    stop: Option<&AtomicBool>,
    prices: Option<Prices>,
    tolerance: f64,
) -> Run {
    let started = Instant::now();
    let _span = tracing::info_span!("bound", threads = options.threads).entered();
    let mut prices = prices.unwrap_or_else(|| relaxation.start_prices());
    let mut best = f64::NEG_INFINITY;
    let mut theta = 1.0;
    let mut since_better = 0;
    let mut iterations = 0;
    let mut master_works = true;
    let mut best_value_at_prices = f64::NEG_INFINITY;
    let mut best_prices = prices.clone();
    let mut polish_until = usize::MAX;
    let mut weights = Vec::new();
    let mut last_duals = prices.clone();
    let mut fresh = false;
    let mut masters = Vec::new();
    let mut stuck = 0;
    while iterations < options.max_iterations.min(polish_until) {
        if options.time_limit.is_some_and(|t| started.elapsed() >= t)
            || stop.is_some_and(|s| s.load(Ordering::Relaxed))
        {
            break;
        }
        iterations += 1;
        let pricing_started = Instant::now();
        let point = pool.install(|| relaxation.evaluate(&prices));
        let pricing_ms = pricing_started.elapsed().as_millis() as u64;
        if point.value > best {
            best = point.value;
            since_better = 0;
            tracing::debug!(bound = best, iterations, "bound improved");
        } else {
            since_better += 1;
            if since_better >= PATIENCE {
                theta /= 2.0;
                since_better = 0;
            }
        }
        let target = options.target.map_or(best.abs() * 1.05 + 10.0, |t| t as f64);
        if best.ceil() >= target || theta < MIN_THETA {
            break;
        }
        if point.value >= best_value_at_prices {
            best_value_at_prices = point.value;
            best_prices = prices.clone();
        }
        let mut added = 0;
        for (e, row) in point.rows.iter().enumerate() {
            added += usize::from(columns.add(relaxation, e, row));
        }
        if master_works {
            let master_started = Instant::now();
            let master = relaxation.master(columns, !polish);
            let master_ms = master_started.elapsed().as_millis() as u64;
            match master {
                Some(mut duals) => {
                    tracing::debug!(
                        lagrangian = point.value,
                        master = duals.value,
                        added,
                        iterations,
                        pricing_ms,
                        master_ms,
                        "column generation"
                    );
                    // The master's value bounds the Lagrangian from above: when they meet, the
                    // bound is the master's optimum. When pricing finds no new row but they
                    // still differ, the master's duals are off by the solver's tolerance, and
                    // a few subgradient steps from the best prices polish them.
                    let converged = best >= duals.value - tolerance * duals.value.abs().max(1.0);
                    // A master whose value does not move while pricing adds rows is stuck on
                    // limits that pricing cannot see.
                    let previous = masters.last().copied().unwrap_or(f64::INFINITY);
                    stuck = if added > 0 && previous - duals.value <= tolerance * duals.value.abs().max(1.0) {
                        stuck + 1
                    } else {
                        0
                    };
                    if stuck >= STUCK_ROUNDS && relaxation.charge_totals.load(Ordering::Relaxed) {
                        tracing::debug!(
                            iterations,
                            "master stuck; period totals priced by the master from now on"
                        );
                        relaxation.stop_charging_totals(columns);
                        masters.clear();
                        stuck = 0;
                    }
                    // A search only needs the master's mix, which barely changes once its value
                    // does: a run without polish also ends when the value tails off.
                    masters.push(duals.value);
                    let tailing = !polish
                        && masters.len() > TAIL_ROUNDS
                        && masters[masters.len() - 1 - TAIL_ROUNDS] - duals.value
                            <= tolerance * TAIL_SHARE * duals.value.abs().max(1.0);
                    weights = std::mem::take(&mut duals.weights);
                    columns.age(&mut weights);
                    // Prices from an earlier run belong to another master: that pricing found
                    // nothing new proves nothing, so the run goes on with this master's prices.
                    if converged || tailing || (added == 0 && !polish && fresh) {
                        break;
                    }
                    if added == 0 && polish {
                        master_works = false;
                        prices = best_prices.clone();
                        theta = POLISH_THETA;
                        since_better = 0;
                        polish_until = iterations + POLISH_ITERATIONS;
                        continue;
                    }
                    prices = Prices::from_duals(duals);
                    last_duals = prices.clone();
                    fresh = true;
                    continue;
                }
                None => master_works = false,
            }
        }
        let norm = point.gradient.norm(&prices);
        if norm <= 1e-12 {
            // No relaxed limit is broken, so the prices are optimal.
            break;
        }
        let step = theta * (target - point.value).max(1.0) / norm;
        prices.step(&point.gradient, step);
    }
    // Every penalty is at least zero, so zero is a bound too.
    let bound = Bound { value: integer_bound(best).max(0), iterations, elapsed: started.elapsed() };
    Run { bound, weights, prices: last_duals }
}

/// The rows found so far, per employee, as columns of the master program.
pub(crate) struct Columns {
    columns: Vec<Vec<Column>>,
    rows: Vec<Vec<Vec<ShiftIdx>>>,
    seen: Vec<HashSet<Vec<ShiftIdx>>>,
    /// Per column, how many master programs in a row gave it no weight.
    unused: Vec<Vec<u32>>,
}

impl Columns {
    pub(crate) fn new(emps: usize) -> Self {
        Columns {
            columns: vec![Vec::new(); emps],
            rows: vec![Vec::new(); emps],
            seen: vec![HashSet::new(); emps],
            unused: vec![Vec::new(); emps],
        }
    }

    /// Counts the master programs that gave each column no weight, and drops the columns
    /// unused for [`MAX_UNUSED`] programs in a row, with their entries in `weights`. The
    /// master's work grows with its columns, and most columns of the early rounds, found at
    /// poor prices, never return. A dropped row may be found and added again.
    fn age(&mut self, weights: &mut [Vec<f64>]) {
        for (e, w) in weights.iter_mut().enumerate() {
            if w.len() != self.columns[e].len() {
                continue;
            }
            let mut k = 0;
            while k < w.len() {
                if w[k] > 1e-6 {
                    self.unused[e][k] = 0;
                } else {
                    self.unused[e][k] += 1;
                }
                if self.unused[e][k] >= MAX_UNUSED && self.columns[e].len() > 1 {
                    self.columns[e].swap_remove(k);
                    self.unused[e].swap_remove(k);
                    w.swap_remove(k);
                    let row = self.rows[e].swap_remove(k);
                    self.seen[e].remove(&row);
                } else {
                    k += 1;
                }
            }
        }
    }

    /// Drops the rows of employee `e` without shift `s` (or a day off) on day `d`.
    pub(crate) fn retain(&mut self, e: usize, d: usize, s: ShiftIdx) {
        let mut k = 0;
        while k < self.rows[e].len() {
            if self.rows[e][k][d] == s {
                k += 1;
            } else {
                let row = self.rows[e].swap_remove(k);
                self.columns[e].swap_remove(k);
                self.unused[e].swap_remove(k);
                self.seen[e].remove(&row);
            }
        }
    }

    /// Returns the rows of employee `e`.
    pub(crate) fn rows(&self, e: usize) -> &[Vec<ShiftIdx>] {
        &self.rows[e]
    }

    /// Adds a row of employee `e`; returns whether it was new.
    pub(crate) fn add(&mut self, relaxation: &Relaxation, e: usize, row: &[ShiftIdx]) -> bool {
        if !self.seen[e].insert(row.to_vec()) {
            return false;
        }
        self.columns[e].push(relaxation.column(e as EmpIdx, row));
        self.rows[e].push(row.to_vec());
        self.unused[e].push(0);
        true
    }
}

/// Rounds `value` up to an integer, allowing for rounding errors in the sum.
fn integer_bound(value: f64) -> i64 {
    if value.is_finite() { (value - 1e-6).ceil() as i64 } else { 0 }
}

/// The prices of the relaxation: one per cover row and the period-total prices of each
/// employee. Total prices are per limit and never negative.
#[derive(Debug, Clone)]
pub(crate) struct Prices {
    cover: Vec<f64>,
    /// Per employee: above the maximum and below the minimum of paid minutes, in units of an
    /// average shift's minutes.
    minutes_over: Vec<f64>,
    minutes_under: Vec<f64>,
    /// Per employee and shift type.
    per_type: Vec<Vec<f64>>,
    weekends: Vec<f64>,
}

/// Subgradient of the Lagrangian at some prices: for each price, how far its limit is broken.
#[derive(Debug, Clone)]
struct Gradient {
    cover: Vec<f64>,
    minutes_over: Vec<f64>,
    minutes_under: Vec<f64>,
    per_type: Vec<Vec<f64>>,
    weekends: Vec<f64>,
}

impl Gradient {
    /// Squared norm of the step direction, leaving out prices held at zero by their bound.
    fn norm(&self, p: &Prices) -> f64 {
        let free = |g: f64, v: f64| if v <= 0.0 && g < 0.0 { 0.0 } else { g * g };
        let mut n: f64 = self.cover.iter().map(|g| g * g).sum();
        for e in 0..self.weekends.len() {
            n += free(self.minutes_over[e], p.minutes_over[e]);
            n += free(self.minutes_under[e], p.minutes_under[e]);
            n += free(self.weekends[e], p.weekends[e]);
            n += self.per_type[e].iter().zip(&p.per_type[e]).map(|(&g, &v)| free(g, v)).sum::<f64>();
        }
        n
    }
}

impl Prices {
    fn from_duals(d: Duals) -> Prices {
        Prices {
            cover: d.cover,
            minutes_over: d.minutes_over,
            minutes_under: d.minutes_under,
            per_type: d.per_type,
            weekends: d.weekends,
        }
    }

    fn step(&mut self, g: &Gradient, t: f64) {
        for (p, d) in self.cover.iter_mut().zip(&g.cover) {
            *p += t * d;
        }
        let up = |p: &mut f64, d: f64| *p = (*p + t * d).max(0.0);
        for e in 0..self.weekends.len() {
            up(&mut self.minutes_over[e], g.minutes_over[e]);
            up(&mut self.minutes_under[e], g.minutes_under[e]);
            up(&mut self.weekends[e], g.weekends[e]);
            for (p, &d) in self.per_type[e].iter_mut().zip(&g.per_type[e]) {
                up(p, d);
            }
        }
    }
}

/// The value of the Lagrangian at some prices, its subgradient and each employee's cheapest
/// row.
struct Point {
    value: f64,
    gradient: Gradient,
    rows: Vec<Vec<ShiftIdx>>,
}

/// The parts of a problem the relaxation uses, computed once.
pub(crate) struct Relaxation<'c> {
    c: &'c Compiled,
    model: &'c GridModel,
    options: Vec<Vec<ShiftIdx>>,
    pinned: Vec<ShiftIdx>,
    /// Penalty of each cover row per head-count, from zero up to everyone who can count.
    cover_costs: Vec<Vec<i64>>,
    /// Paid minutes of an average shift, the unit of the minute prices.
    unit_minutes: f64,
    /// The row program's cost of one unit of a hard rule.
    hard: f64,
    /// Per employee, the period totals the row program follows exactly.
    tracked: Vec<Tracked>,
    cover_pieces: Vec<CoverPieces>,
    /// The master's cost of one unit of a hard rule in a column.
    slack_penalty: f64,
    /// The master's charge for a broken period total.
    totals_penalties: Penalties,
    /// Whether a column's cost charges the period totals that the master limits itself.
    charge_totals: AtomicBool,
}

impl<'c> Relaxation<'c> {
    pub(crate) fn new(c: &'c Compiled, model: &'c GridModel) -> Self {
        let options = cell_options(c);
        let pinned = pinned_grid(c);
        let cover_costs: Vec<Vec<i64>> = c
            .cover
            .iter()
            .map(|row| {
                let day = row.day as usize;
                let can = (0..c.emps.len() as EmpIdx)
                    .filter(|&e| c.counts_for(e, row))
                    .filter(|&e| {
                        let i = e as usize * c.days + day;
                        pinned[i] == row.shift || options[i].contains(&row.shift)
                    })
                    .count() as u32;
                (0..=can).map(|n| cover_cost(c, row, n)).collect()
            })
            .collect();
        let shifts = c.shift_count();
        let paid: i64 = (0..c.days)
            .flat_map(|d| (0..shifts).map(move |s| (d, s as ShiftIdx)))
            .map(|(d, s)| model.paid(c, d, s))
            .sum();
        let unit_minutes = (paid as f64 / (c.days * shifts).max(1) as f64).max(1.0);
        let max_cover = c.cover.iter().map(|r| r.under_weight.max(r.over_weight).max(r.ideal_weight)).max();
        let hard = 1e4 * (max_cover.unwrap_or(1).max(1) as f64) * (c.days as f64 + 1.0);
        let track_budget = (TRACK_BUDGET_TOTAL / c.emps.len().max(1)).min(TRACK_BUDGET_EMPLOYEE);
        let tracked =
            (0..c.emps.len() as EmpIdx).map(|e| Tracked::within(c, model, e, track_budget)).collect();
        let cover_pieces = c
            .cover
            .iter()
            .zip(&cover_costs)
            .map(|(row, costs)| CoverPieces::new(costs, row.min as usize, row.ideal as usize))
            .collect();
        let slack_penalty = 10.0 * max_cover.unwrap_or(1).max(1) as f64 * (c.days as f64 + 1.0);
        let unit = TOTALS_CHARGE * max_cover.unwrap_or(1).max(1) as f64;
        let totals_penalties = Penalties { minute: unit / unit_minutes, unit };
        Relaxation {
            c,
            model,
            options,
            pinned,
            cover_costs,
            unit_minutes,
            hard,
            tracked,
            cover_pieces,
            slack_penalty,
            totals_penalties,
            charge_totals: AtomicBool::new(true),
        }
    }

    /// Fixes employee `e` to shift `s` (or a day off) on day `d`: from now on every row the
    /// program finds for them has it.
    pub(crate) fn fix_cell(&mut self, e: EmpIdx, d: usize, s: ShiftIdx) {
        let i = e as usize * self.c.days + d;
        self.pinned[i] = s;
        self.options[i].clear();
    }

    /// Employee `e`'s row as a column of the master. Its cost is its score: a row from the
    /// program keeps the rules the program tracks, and the master limits the rest.
    fn column(&self, e: EmpIdx, row: &[ShiftIdx]) -> Column {
        let c = self.c;
        let (totals, score) = self.model.full(c, e, row);
        let cover = row_cover(c, e, row);
        // A row that breaks a hard rule the program does not track can be in no schedule, so
        // its cost steers the master away from it. The bound itself never reads the master's
        // costs, so this keeps it valid. Once the master has stalled, the period totals the
        // master limits are left out (see `stop_charging_totals`).
        let limited = if self.charge_totals.load(Ordering::Relaxed) {
            0
        } else {
            let limits = self.limits(e);
            self.model.totals_hard(c, e, &totals, limits.minutes, limits.weekends)
        };
        let hard = (score.hard - limited) as f64;
        Column { cost: score.soft as f64 + hard * self.slack_penalty, cover, totals }
    }

    /// Stops charging broken period totals in the columns and recosts `columns`.
    ///
    /// Charged, a row over a total keeps the master tight: its mix holds only rows that keep
    /// the limit. But pricing does not see such a limit, and the limit in the master never
    /// binds, so its price stays zero. When pricing keeps returning rows over it, the master
    /// stalls round after round. Uncharged, those rows enter the mix, the limit binds, and
    /// its dual price steers pricing.
    fn stop_charging_totals(&self, columns: &mut Columns) {
        self.charge_totals.store(false, Ordering::Relaxed);
        for (e, rows) in columns.rows.iter().enumerate() {
            for (column, row) in columns.columns[e].iter_mut().zip(rows) {
                *column = self.column(e as EmpIdx, row);
            }
        }
    }

    /// Returns the period totals of employee `e` that the master limits: those the row program
    /// prices instead of following.
    fn limits(&self, e: EmpIdx) -> Limits {
        let t = &self.tracked[e as usize];
        Limits { minutes: !t.tracks_minutes(), weekends: !t.tracks_weekends() }
    }

    /// Solves the master program over the columns so far, to a looser tolerance when `loose`.
    fn master(&self, columns: &Columns, loose: bool) -> Option<Duals> {
        let limits: Vec<Limits> = (0..self.c.emps.len() as EmpIdx).map(|e| self.limits(e)).collect();
        let mut duals = solve_master(
            self.c,
            &columns.columns,
            &self.cover_pieces,
            &limits,
            self.totals_penalties,
            loose,
        )?;
        // The master prices minutes per minute; the relaxation per average shift.
        for p in duals.minutes_over.iter_mut().chain(duals.minutes_under.iter_mut()) {
            *p *= self.unit_minutes;
        }
        Some(duals)
    }

    /// Starting prices: each cover row at half its penalty for the first missing head.
    fn start_prices(&self) -> Prices {
        let emps = self.c.emps.len();
        let cover = self
            .cover_costs
            .iter()
            .map(|costs| {
                let row_ideal = costs.iter().enumerate().min_by_key(|&(n, &p)| (p, n)).map_or(0, |(n, _)| n);
                match row_ideal.checked_sub(1) {
                    Some(below) => 0.5 * (costs[below] - costs[row_ideal]) as f64,
                    None => 0.0,
                }
            })
            .collect();
        Prices {
            cover,
            minutes_over: vec![0.0; emps],
            minutes_under: vec![0.0; emps],
            per_type: vec![vec![0.0; self.c.shift_count()]; emps],
            weekends: vec![0.0; emps],
        }
    }

    /// Evaluates the Lagrangian at `prices`: every employee's cheapest row and every cover
    /// row's cheapest head-count.
    fn evaluate(&self, prices: &Prices) -> Point {
        let c = self.c;
        let rows: Vec<(f64, Vec<ShiftIdx>, GridRow)> = (0..c.emps.len() as EmpIdx)
            .into_par_iter()
            .map_init(RowOptimizer::default, |opt, e| self.employee(opt, prices, e))
            .collect();

        let mut count = vec![0u32; c.cover.len()];
        let mut value = 0.0;
        let mut gradient = Gradient {
            cover: vec![0.0; c.cover.len()],
            minutes_over: vec![0.0; c.emps.len()],
            minutes_under: vec![0.0; c.emps.len()],
            per_type: vec![vec![0.0; c.shift_count()]; c.emps.len()],
            weekends: vec![0.0; c.emps.len()],
        };
        for (e, (row_value, row, totals)) in rows.iter().enumerate() {
            value += row_value;
            let emp = &c.emps[e];
            for (d, &s) in row.iter().enumerate() {
                if s == turnus_core::OFF {
                    continue;
                }
                for &r in c.cover_rows(d, s) {
                    if c.counts_for(e as EmpIdx, &c.cover[r as usize]) {
                        count[r as usize] += 1;
                    }
                }
            }
            if c.rules.is_enabled(RuleId::B3) {
                let minutes = totals.minutes() as f64;
                if let Some(max) = emp.max_total_minutes {
                    gradient.minutes_over[e] = (minutes - max as f64) / self.unit_minutes;
                }
                if let Some(min) = emp.min_total_minutes {
                    gradient.minutes_under[e] = (min as f64 - minutes) / self.unit_minutes;
                }
            }
            if c.rules.is_enabled(RuleId::B2) {
                for (s, (&n, &cap)) in totals.type_counts().iter().zip(&emp.max_per_type).enumerate() {
                    gradient.per_type[e][s] = f64::from(n) - f64::from(cap);
                }
            }
            if c.rules.is_enabled(RuleId::B6)
                && let Some(max) = emp.max_weekends
            {
                gradient.weekends[e] = f64::from(totals.weekends()) - f64::from(max);
            }
        }
        for (r, costs) in self.cover_costs.iter().enumerate() {
            let price = prices.cover[r];
            let (best_n, best) = costs
                .iter()
                .enumerate()
                .map(|(n, &p)| (n, p as f64 + price * n as f64))
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .unwrap_or((0, 0.0));
            value += best;
            gradient.cover[r] = best_n as f64 - f64::from(count[r]);
        }
        Point { value, gradient, rows: rows.into_iter().map(|(_, row, _)| row).collect() }
    }

    /// Finds the cheapest row of employee `e` at `prices`. Returns its cost with the constant
    /// terms of the total prices, the row and its totals.
    fn employee(&self, opt: &mut RowOptimizer, prices: &Prices, e: EmpIdx) -> (f64, Vec<ShiftIdx>, GridRow) {
        let c = self.c;
        let i = e as usize;
        let emp = &c.emps[i];
        let mut constant = 0.0;
        let mut minute = 0.0;
        if c.rules.is_enabled(RuleId::B3) {
            if let Some(max) = emp.max_total_minutes {
                minute += prices.minutes_over[i] / self.unit_minutes;
                constant -= prices.minutes_over[i] * max as f64 / self.unit_minutes;
            }
            if let Some(min) = emp.min_total_minutes {
                minute -= prices.minutes_under[i] / self.unit_minutes;
                constant += prices.minutes_under[i] * min as f64 / self.unit_minutes;
            }
        }
        let mut per_type = vec![0.0; c.shift_count()];
        if c.rules.is_enabled(RuleId::B2) {
            for (s, &cap) in emp.max_per_type.iter().enumerate() {
                per_type[s] = prices.per_type[i][s];
                constant -= prices.per_type[i][s] * f64::from(cap);
            }
        }
        let mut weekend = 0.0;
        if c.rules.is_enabled(RuleId::B6)
            && let Some(max) = emp.max_weekends
        {
            weekend = prices.weekends[i];
            constant -= weekend * f64::from(max);
        }
        let totals = TotalPrices { minute, per_type, weekend };
        let pinned = &self.pinned[i * c.days..(i + 1) * c.days];
        let cover = |d: usize, s: ShiftIdx| -> f64 {
            -c.cover_rows(d, s)
                .iter()
                .filter(|&&r| c.counts_for(e, &c.cover[r as usize]))
                .map(|&r| prices.cover[r as usize])
                .sum::<f64>()
        };
        let (value, row) = opt.relaxed_row(
            c,
            self.model,
            &self.options,
            e,
            pinned,
            cover,
            &totals,
            &self.tracked[i],
            self.hard,
        );
        let row = row.to_vec();
        let (grid_row, _) = self.model.full(c, e, &row);
        (value + constant, row, grid_row)
    }
}

#[cfg(test)]
mod tests {
    use turnus_core::{Compiled, OFF, ShiftIdx, compile};

    use super::{Columns, Relaxation};
    use crate::fast::GridModel;

    /// One employee, a week, day shifts D and nights N that D cannot follow; at most two
    /// nights and 1 440 paid minutes (three shifts). Cover wants one of each every day.
    const WEEK: &str = "\
SECTION_HORIZON
7
SECTION_SHIFTS
D,480,
N,480,D
SECTION_STAFF
A,D=7|N=2,1440,0,7,1,1,2
SECTION_DAYS_OFF
SECTION_SHIFT_ON_REQUESTS
SECTION_SHIFT_OFF_REQUESTS
SECTION_COVER
0,D,1,100,1
1,D,1,100,1
2,D,1,100,1
3,D,1,100,1
4,D,1,100,1
5,D,1,100,1
6,D,1,100,1
0,N,1,100,1
1,N,1,100,1
2,N,1,100,1
3,N,1,100,1
4,N,1,100,1
5,N,1,100,1
6,N,1,100,1
";

    fn week() -> Compiled {
        let problem = turnus_io::parse_curtois("week.txt", WEEK).expect("the instance parses");
        compile(&problem).expect("the instance compiles")
    }

    fn row(c: &Compiled, codes: &str) -> Vec<ShiftIdx> {
        codes
            .chars()
            .map(|ch| match ch {
                '-' => OFF,
                _ => {
                    c.shifts.iter().position(|s| s.code == ch.to_string()).expect("a known code") as ShiftIdx
                }
            })
            .collect()
    }

    #[test]
    fn column_charge_of_master_limits() {
        let c = week();
        let model = GridModel::new(&c).expect("a day-grid problem");
        let relaxation = Relaxation::new(&c, &model);
        // One night too many: charged at first, then left to the master's type limit.
        let nights = row(&c, "NNN----");
        let (_, score) = model.full(&c, 0, &nights);
        assert_eq!(score.hard, 1);
        assert_eq!(relaxation.column(0, &nights).cost, score.soft as f64 + relaxation.slack_penalty);
        let mut columns = Columns::new(1);
        columns.add(&relaxation, 0, &nights);
        relaxation.stop_charging_totals(&mut columns);
        assert_eq!(relaxation.column(0, &nights).cost, score.soft as f64);
        assert_eq!(columns.columns[0][0].cost, score.soft as f64);
        // D right after N breaks a rule the master has no limit for: charged.
        let turn = row(&c, "ND-----");
        let (_, score) = model.full(&c, 0, &turn);
        assert_eq!(score.hard, 1);
        assert_eq!(relaxation.column(0, &turn).cost, score.soft as f64 + relaxation.slack_penalty);
        // A week is short enough for the row program to follow paid minutes, so the master
        // does not limit them and a fourth shift is charged in the column.
        assert!(!relaxation.limits(0).minutes);
        let four = row(&c, "DD-DD--");
        let (_, score) = model.full(&c, 0, &four);
        assert!(score.hard > 0);
        assert_eq!(
            relaxation.column(0, &four).cost,
            score.soft as f64 + score.hard as f64 * relaxation.slack_penalty
        );
    }

    #[test]
    fn master_binds_broken_type_limit() {
        let c = week();
        let model = GridModel::new(&c).expect("a day-grid problem");
        let relaxation = Relaxation::new(&c, &model);
        let mut columns = Columns::new(1);
        relaxation.stop_charging_totals(&mut columns);
        columns.add(&relaxation, 0, &row(&c, "NNN----"));
        columns.add(&relaxation, 0, &row(&c, "-------"));
        let duals = relaxation.master(&columns, false).expect("the master solves");
        // Three nights cover three rows; the mix may hold them only up to two nights in all.
        let weight = duals.weights[0][0];
        assert!((weight - 2.0 / 3.0).abs() < 1e-4, "weight {weight}");
        let night = c.shifts.iter().position(|s| s.code == "N").expect("N exists");
        assert!(duals.per_type[0][night] > 50.0, "night price {}", duals.per_type[0][night]);
    }
}
