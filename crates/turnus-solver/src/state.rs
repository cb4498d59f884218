//! The solver's working schedule: a dense grid (employee × day → shift or off) with cached
//! row scores and cover counts, so a move is scored by re-evaluating only the rows it
//! touches and the cover rows of the days it changes.

use turnus_core::{
    Compiled, DayIndex, EmpIdx, OFF, RowScratch, Score, ShiftIdx, Work, cover_penalty, row_cost,
};

use crate::fast::{GridModel, GridRow};

/// One cell change: employee, period day, new value ([`OFF`] for a day off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub emp: EmpIdx,
    pub day: u32,
    pub shift: ShiftIdx,
}

/// A schedule under search with its incremental score.
#[derive(Debug, Clone)]
pub struct State<'c> {
    pub c: &'c Compiled,
    /// Shift per `e * days + d`.
    pub grid: Vec<ShiftIdx>,
    row_score: Vec<Score>,
    cover_count: Vec<u32>,
    total: Score,
    scratch: RowScratch,
    works: Vec<Work>,
    /// Rows touched by the move under evaluation, with their old scores.
    touched: Vec<(EmpIdx, Score)>,
    /// Incremental row scoring for day-grid rule sets, when the problem allows it.
    grid_model: Option<GridModel>,
    grid_rows: Vec<GridRow>,
}

impl<'c> State<'c> {
    /// A state from a grid, scored in full.
    pub fn new(c: &'c Compiled, grid: Vec<ShiftIdx>) -> State<'c> {
        let mut state = State {
            c,
            grid,
            row_score: vec![Score::default(); c.emps.len()],
            cover_count: vec![0; c.cover.len()],
            total: Score::default(),
            scratch: RowScratch::default(),
            works: Vec::new(),
            touched: Vec::new(),
            grid_model: GridModel::new(c),
            grid_rows: Vec::new(),
        };
        state.rescore();
        state
    }

    /// Recomputes every cached value from the grid.
    pub fn rescore(&mut self) {
        let c = self.c;
        let mut total = Score::default();
        if let Some(model) = &self.grid_model {
            self.grid_rows.clear();
            for e in 0..c.emps.len() {
                let (totals, s) = model.full(c, e as EmpIdx, &self.grid[e * c.days..(e + 1) * c.days]);
                self.grid_rows.push(totals);
                self.row_score[e] = s;
                total += s;
            }
        } else {
            for e in 0..c.emps.len() as EmpIdx {
                let s = self.compute_row(e);
                self.row_score[e as usize] = s;
                total += s;
            }
        }
        self.cover_count.iter_mut().for_each(|n| *n = 0);
        for e in 0..c.emps.len() as EmpIdx {
            for d in 0..c.days {
                let s = self.grid[e as usize * c.days + d];
                if s == OFF {
                    continue;
                }
                for &r in c.cover_rows(d, s) {
                    if c.counts_for(e, &c.cover[r as usize]) {
                        self.cover_count[r as usize] += 1;
                    }
                }
            }
        }
        for (row, &n) in c.cover.iter().zip(&self.cover_count) {
            let (s1, s2) = cover_penalty(row, n);
            total.soft += self.cover_weight(s1, s2);
        }
        self.total = total;
    }

    fn cover_weight(&self, s1: i64, s2: i64) -> i64 {
        weigh_cover(self.c, s1, s2)
    }

    /// Whether rows are scored incrementally by the day-grid model.
    pub fn uses_grid_model(&self) -> bool {
        self.grid_model.is_some()
    }

    /// Returns the day-grid model, when rows are scored by it.
    pub(crate) fn grid_model(&self) -> Option<&GridModel> {
        self.grid_model.as_ref()
    }

    /// The cover penalty change if employee `e` works `shift` on `day` instead of being off,
    /// with the others as they are.
    pub fn marginal_cover(&self, e: EmpIdx, day: u32, shift: ShiftIdx) -> i64 {
        let c = self.c;
        let on_shift = self.get(e, day) == shift;
        let mut delta = 0;
        for &r in c.cover_rows(day as usize, shift) {
            let row = &c.cover[r as usize];
            if !c.counts_for(e, row) {
                continue;
            }
            let n = self.cover_count[r as usize] - u32::from(on_shift);
            let (a1, a2) = cover_penalty(row, n);
            let (b1, b2) = cover_penalty(row, n + 1);
            delta += self.cover_weight(b1, b2) - self.cover_weight(a1, a2);
        }
        delta
    }

    /// The current score.
    pub fn score(&self) -> Score {
        self.total
    }

    /// The value of a cell.
    #[inline]
    pub fn get(&self, e: EmpIdx, day: u32) -> ShiftIdx {
        self.grid[e as usize * self.c.days + day as usize]
    }

    /// The cached score of an employee's row.
    pub fn row_score(&self, e: EmpIdx) -> Score {
        self.row_score[e as usize]
    }

    /// The cover count of a row.
    pub fn cover_count(&self, row: usize) -> u32 {
        self.cover_count[row]
    }

    fn compute_row(&mut self, e: EmpIdx) -> Score {
        let c = self.c;
        self.works.clear();
        self.works.extend_from_slice(&c.emps[e as usize].history);
        let base = e as usize * c.days;
        for d in 0..c.days {
            let s = self.grid[base + d];
            if s != OFF {
                self.works.push(c.work(d as DayIndex, s));
            }
        }
        row_cost(c, e, &self.works, &mut self.scratch)
    }

    /// Cover delta of changing one cell, applying the counts.
    fn apply_cover(&mut self, e: EmpIdx, day: u32, old: ShiftIdx, new: ShiftIdx) -> i64 {
        self.step_cover(e, day, old, false) + self.step_cover(e, day, new, true)
    }

    /// Adds (or removes) employee `e` on `shift` to the cover rows of `day` and returns the
    /// penalty delta; nothing for [`OFF`].
    fn step_cover(&mut self, e: EmpIdx, day: u32, shift: ShiftIdx, add: bool) -> i64 {
        if shift == OFF {
            return 0;
        }
        let c = self.c;
        let mut delta = 0;
        for &r in c.cover_rows(day as usize, shift) {
            let row = &c.cover[r as usize];
            if !c.counts_for(e, row) {
                continue;
            }
            let n = self.cover_count[r as usize];
            let next = if add { n + 1 } else { n - 1 };
            let (a1, a2) = cover_penalty(row, n);
            let (b1, b2) = cover_penalty(row, next);
            delta += self.cover_weight(b1, b2) - self.cover_weight(a1, a2);
            self.cover_count[r as usize] = next;
        }
        delta
    }

    /// Applies changes and returns the score delta. Changes on the same cell apply in order.
    pub fn apply(&mut self, changes: &[Change]) -> Score {
        let c = self.c;
        let mut delta = Score::default();
        self.touched.clear();
        for ch in changes {
            let idx = ch.emp as usize * c.days + ch.day as usize;
            let old = self.grid[idx];
            if old == ch.shift {
                continue;
            }
            delta.soft += self.apply_cover(ch.emp, ch.day, old, ch.shift);
            if self.set_fast(ch, &mut delta) {
                continue;
            }
            self.grid[idx] = ch.shift;
            if !self.touched.iter().any(|(e, _)| *e == ch.emp) {
                self.touched.push((ch.emp, self.row_score[ch.emp as usize]));
            }
        }
        for i in 0..self.touched.len() {
            let (e, old) = self.touched[i];
            let new = self.compute_row(e);
            self.row_score[e as usize] = new;
            delta += new - old;
        }
        self.total += delta;
        delta
    }

    /// Takes back the last [`State::apply`]: `undo` contains the old values of its cells, in
    /// reverse order. Row scores come from the cache, so no row is evaluated again.
    pub fn revert(&mut self, undo: &[Change], delta: Score) {
        let c = self.c;
        for ch in undo {
            let idx = ch.emp as usize * c.days + ch.day as usize;
            let old = self.grid[idx];
            if old == ch.shift {
                continue;
            }
            self.apply_cover(ch.emp, ch.day, old, ch.shift);
            let mut ignored = Score::default();
            if !self.set_fast(ch, &mut ignored) {
                self.grid[idx] = ch.shift;
            }
        }
        for &(e, old) in &self.touched {
            self.row_score[e as usize] = old;
        }
        self.total = self.total - delta;
    }

    /// Sets a cell through the day-grid model, adding the row delta; false without the model.
    fn set_fast(&mut self, ch: &Change, delta: &mut Score) -> bool {
        let Some(model) = &self.grid_model else { return false };
        let c = self.c;
        let e = ch.emp as usize;
        let row = &mut self.grid[e * c.days..(e + 1) * c.days];
        let d = model.change(c, ch.emp, row, &mut self.grid_rows[e], ch.day as usize, ch.shift);
        self.row_score[e] += d;
        *delta += d;
        true
    }

    /// The undo list of `changes`: each cell's current value, in reverse order.
    pub fn undo_of(&self, changes: &[Change], undo: &mut Vec<Change>) {
        undo.clear();
        undo.extend(changes.iter().rev().map(|ch| Change { shift: self.get(ch.emp, ch.day), ..*ch }));
    }
}

/// Sums the two parts of a cover penalty that the rule set enables.
fn weigh_cover(c: &Compiled, s1: i64, s2: i64) -> i64 {
    let mut p = 0;
    if c.rules.is_enabled(turnus_core::RuleId::S1) {
        p += s1;
    }
    if c.rules.is_enabled(turnus_core::RuleId::S2) {
        p += s2;
    }
    p
}

/// The penalty of cover row `row` at head-count `n`, counting only the enabled cover rules.
pub(crate) fn cover_cost(c: &Compiled, row: &turnus_core::CoverRow, n: u32) -> i64 {
    let (s1, s2) = cover_penalty(row, n);
    weigh_cover(c, s1, s2)
}

/// Lists the cover rows that employee `e` counts towards when working `row`.
pub(crate) fn row_cover(c: &Compiled, e: EmpIdx, row: &[ShiftIdx]) -> Vec<u32> {
    let mut cover = Vec::new();
    for (d, &s) in row.iter().enumerate() {
        if s != OFF {
            cover.extend(c.cover_rows(d, s).iter().filter(|&&r| c.counts_for(e, &c.cover[r as usize])));
        }
    }
    cover
}
