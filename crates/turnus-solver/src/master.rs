//! The restricted master of column generation for the lower bound: a linear program that
//! mixes, for each employee, rows found so far, so that cover and the period totals cost the
//! least. Its dual values are the prices at which [`crate::bound`] looks for new rows; the
//! bound itself is always computed from those prices by the Lagrangian, so an inexact dual
//! costs tightness, never validity.
//!
//! The program is solved by clarabel (interior point, pure Rust) through good_lp. Interior
//! point duals lie in the middle of the optimal face, which steadies column generation.

use good_lp::{
    DualValues, Expression, ProblemVariables, Solution, SolutionWithDual, SolverModel, clarabel, variable,
};
use turnus_core::{Compiled, RuleId};

use crate::fast::GridRow;

/// One row of one employee as a column of the master.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    /// Soft score of the row without cover.
    pub cost: f64,
    /// The cover rows the row counts towards.
    pub cover: Vec<u32>,
    pub totals: GridRow,
}

/// The cover cost of a cover row as pieces of a line between head-counts 0, minimum, ideal and
/// everyone: (head-count range, cost per head).
#[derive(Debug, Clone)]
pub(crate) struct CoverPieces {
    pub at_zero: f64,
    pub pieces: Vec<(f64, f64)>,
}

impl CoverPieces {
    /// Pieces from the penalty per head-count, `costs[n]`, breaking at `min` and `ideal`.
    pub(crate) fn new(costs: &[i64], min: usize, ideal: usize) -> CoverPieces {
        let last = costs.len().saturating_sub(1);
        let mut breaks = vec![0, min.min(last), ideal.min(last), last];
        breaks.dedup();
        let pieces = breaks
            .windows(2)
            .filter(|w| w[1] > w[0])
            .map(|w| {
                let len = (w[1] - w[0]) as f64;
                (len, (costs[w[1]] - costs[w[0]]) as f64 / len)
            })
            .collect();
        CoverPieces { at_zero: costs.first().copied().unwrap_or(0) as f64, pieces }
    }
}

/// Dual values of the master, the prices of the next pricing round, and its solution.
#[derive(Debug, Clone)]
pub(crate) struct Duals {
    pub value: f64,
    /// The weight of each column, per employee, in the master's solution.
    pub weights: Vec<Vec<f64>>,
    pub cover: Vec<f64>,
    /// Per employee: price per paid minute above the maximum and below the minimum (both at
    /// least zero), per shift of each type and per weekend.
    pub minutes_over: Vec<f64>,
    pub minutes_under: Vec<f64>,
    pub per_type: Vec<Vec<f64>>,
    pub weekends: Vec<f64>,
}

/// The period totals of an employee that the master limits, because pricing only prices them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub minutes: bool,
    pub weekends: bool,
}

/// The master's charge for a broken period total: per paid minute, and per shift or
/// weekend.
///
/// The charge also caps the dual value of the limit. A limit that every column keeps with
/// nothing to spare has any dual between zero and the charge, and the interior point method
/// picks the middle. So a charge far above what one more shift can gain gives prices that
/// make every new row give up shifts, and column generation stalls.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Penalties {
    pub minute: f64,
    pub unit: f64,
}

/// Solves the master over `columns` (per employee) and returns its value and duals, or `None`
/// when the solver fails. A broken period total is allowed at `penalties`, so the program
/// always has a solution.
pub(crate) fn solve_master(
    c: &Compiled,
    columns: &[Vec<Column>],
    cover: &[CoverPieces],
    limits: &[Limits],
    penalties: Penalties,
    loose: bool,
) -> Option<Duals> {
    let mut vars = ProblemVariables::new();
    let lambda: Vec<Vec<_>> =
        columns.iter().map(|cols| cols.iter().map(|_| vars.add(variable().min(0.0))).collect()).collect();
    let pieces: Vec<Vec<_>> = cover
        .iter()
        .map(|p| p.pieces.iter().map(|&(len, _)| vars.add(variable().min(0.0).max(len))).collect())
        .collect();
    let mut objective = Expression::default();
    for (cols, vs) in columns.iter().zip(&lambda) {
        for (col, &v) in cols.iter().zip(vs) {
            objective.add_mul(col.cost, v);
        }
    }
    for (p, vs) in cover.iter().zip(&pieces) {
        objective += p.at_zero;
        for (&(_, slope), &v) in p.pieces.iter().zip(vs) {
            objective.add_mul(slope, v);
        }
    }

    // Slack of each total constraint, paid at `penalty`.
    let mut slack = |objective: &mut Expression, penalty: f64| {
        let s = vars.add(variable().min(0.0));
        objective.add_mul(penalty, s);
        s
    };
    let mut link: Vec<Expression> = pieces
        .iter()
        .map(|vs| {
            let mut e = Expression::default();
            for &v in vs {
                e.add_mul(-1.0, v);
            }
            e
        })
        .collect();
    let mut convexity = Vec::with_capacity(columns.len());
    // Per employee: (minutes, minimum slack, maximum slack, per type, weekends, slacks).
    let mut totals = Vec::with_capacity(columns.len());
    for (e, (cols, vs)) in columns.iter().zip(&lambda).enumerate() {
        let emp = &c.emps[e];
        let mut sum = Expression::default();
        let mut minutes = Expression::default();
        let mut per_type = vec![Expression::default(); c.shift_count()];
        let mut weekends = Expression::default();
        for (col, &v) in cols.iter().zip(vs) {
            sum += v;
            for &r in &col.cover {
                link[r as usize] += v;
            }
            minutes.add_mul(col.totals.minutes() as f64, v);
            for (s, &n) in col.totals.type_counts().iter().enumerate() {
                per_type[s].add_mul(f64::from(n), v);
            }
            weekends.add_mul(f64::from(col.totals.weekends()), v);
        }
        convexity.push(sum);
        // A limit enters only once a column breaks it. Every mix of columns that keep it keeps
        // it too, and a limit that binds no mix may still get any price between zero and
        // its charge, which misleads pricing. Pricing at price zero soon finds a row that
        // breaks it, and from then on the limit is in.
        let l = limits[e];
        let broken = |f: &dyn Fn(&GridRow) -> bool| cols.iter().any(|col| f(&col.totals));
        let minute_limits = (c.rules.is_enabled(RuleId::B3) && l.minutes).then(|| {
            (
                emp.min_total_minutes
                    .filter(|&m| broken(&|t| t.minutes() < m))
                    .map(|m| (m, slack(&mut objective, penalties.minute))),
                emp.max_total_minutes
                    .filter(|&m| broken(&|t| t.minutes() > m))
                    .map(|m| (m, slack(&mut objective, penalties.minute))),
            )
        });
        let type_limits: Vec<_> = if c.rules.is_enabled(RuleId::B2) {
            emp.max_per_type
                .iter()
                .enumerate()
                .filter(|&(s, &cap)| broken(&|t| t.type_counts()[s] > cap))
                .map(|(s, &cap)| (s, cap, slack(&mut objective, penalties.unit)))
                .collect()
        } else {
            Vec::new()
        };
        let weekend_limit = (c.rules.is_enabled(RuleId::B6) && l.weekends)
            .then_some(emp.max_weekends)
            .flatten()
            .filter(|&m| broken(&|t| t.weekends() > m))
            .map(|m| (m, slack(&mut objective, penalties.unit)));
        totals.push((minutes, minute_limits, per_type, type_limits, weekends, weekend_limit));
    }

    let objective_copy = objective.clone();
    let mut model = vars.minimise(objective).using(clarabel);
    if loose {
        model.settings().tol_gap_abs(1e-5).tol_gap_rel(1e-6).tol_feas(1e-6);
    } else {
        model.settings().tol_gap_abs(1e-9).tol_gap_rel(1e-10);
    }
    let link_refs: Vec<_> = link.into_iter().map(|e| model.add_constraint(e.eq(0.0))).collect();
    for sum in convexity {
        model.add_constraint(sum.eq(1.0));
    }
    let mut total_refs = Vec::with_capacity(totals.len());
    for (minutes, minute_limits, mut per_type, type_limits, weekends, weekend_limit) in totals {
        let mut under = None;
        let mut over = None;
        if let Some((min, max)) = minute_limits {
            if let Some((m, s)) = min {
                under = Some(model.add_constraint((minutes.clone() + s).geq(m as f64)));
            }
            if let Some((m, s)) = max {
                over = Some(model.add_constraint((minutes - s).leq(m as f64)));
            }
        }
        let types: Vec<_> = type_limits
            .into_iter()
            .map(|(s, cap, sl)| {
                let expr = std::mem::take(&mut per_type[s]);
                (s, model.add_constraint((expr - sl).leq(f64::from(cap))))
            })
            .collect();
        let weekend = weekend_limit.map(|(m, s)| model.add_constraint((weekends - s).leq(f64::from(m))));
        total_refs.push((under, over, types, weekend));
    }

    let mut solution = match model.solve() {
        Ok(s) => s,
        Err(error) => {
            tracing::debug!(%error, "the master program has no solution");
            return None;
        }
    };
    let value = solution.eval(&objective_copy);
    let weights = lambda.iter().map(|vs| vs.iter().map(|&v| solution.value(v)).collect()).collect();
    let duals = solution.compute_dual();
    let cover_duals = link_refs.iter().map(|r| duals.dual(r.clone())).collect();
    let emps = columns.len();
    let mut out = Duals {
        value,
        weights,
        cover: cover_duals,
        minutes_over: vec![0.0; emps],
        minutes_under: vec![0.0; emps],
        per_type: vec![vec![0.0; c.shift_count()]; emps],
        weekends: vec![0.0; emps],
    };
    for (e, (under, over, types, weekend)) in total_refs.into_iter().enumerate() {
        if let Some(r) = under {
            out.minutes_under[e] = duals.dual(r).max(0.0);
        }
        if let Some(r) = over {
            out.minutes_over[e] = (-duals.dual(r)).max(0.0);
        }
        for (s, r) in types {
            out.per_type[e][s] = (-duals.dual(r)).max(0.0);
        }
        if let Some(r) = weekend {
            out.weekends[e] = (-duals.dual(r)).max(0.0);
        }
    }
    Some(out)
}
