//! A [`Problem`] in the database: importing one into a unit and a new period, and
//! rebuilding it from the stored rows.
//!
//! The unit holds what lasts across periods: its name, time zone, rule set, staff with their
//! skills and skill grants, shift types and demand. An import updates those to match the
//! problem: employees and shift types are matched by employee id and shift code, updated,
//! and the ones the problem lacks are marked inactive (rows of earlier periods still refer
//! to them). The period holds what belongs to one schedule: wishes, absences, history and
//! pins.

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::json;
use turnus_core::{
    Absence, DemandDay, DemandRow, Employee, EmployeeLimits, HistoryShift, Pin, Problem, RuleSet, ShiftType,
    SkillGrant, Unit, Wish,
};

use crate::audit::{AuditEntry, Change};
use crate::db::{Conn, Lock, RowExt, Store, on_conn};
use crate::error::{Dated, InvalidRequest, Result, StoreError, WrongState};
use crate::ids::{PeriodId, UnitId};
use crate::lookup::UnitIndex;
use crate::org::{check_time_zone, fetch_unit, preset_str};
use crate::period::{MAX_WEEKS, SchedulePeriod, fetch_period, insert_period};
use crate::rules::{overrides_of, rules_from};
use crate::sqltypes::{SqlDate, SqlTime, SqlTimestamp};
use crate::wishes::{kind_columns, kind_from_columns};

pub(crate) fn count_u32(value: i64, what: &str) -> Result<u32> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{what} {value} is out of range")))
}

/// Writes the rule set: preset and notice period on the unit, the rest as overrides.
pub(crate) async fn write_rules(conn: &mut Conn, unit: UnitId, rules: &RuleSet) -> Result<()> {
    if rules.params.publish_notice_days > 365 {
        return Err(StoreError::invalid(InvalidRequest::NoticeTooLong {
            days: rules.params.publish_notice_days,
            max: 365,
        }));
    }
    let overrides = overrides_of(rules)?;
    on_conn!(conn, c => {
        sqlx::query(
            "UPDATE units SET preset = $1, publish_notice_days = $2, row_version = row_version + 1 WHERE id = $3",
        )
        .bind(preset_str(rules.preset))
        .bind(i64::from(rules.params.publish_notice_days))
        .bind(unit.get())
        .execute(&mut *c)
        .await?;
        sqlx::query("DELETE FROM rule_overrides WHERE unit_id = $1").bind(unit.get()).execute(&mut *c).await?;
        for (key, value) in &overrides {
            sqlx::query("INSERT INTO rule_overrides (unit_id, key, value) VALUES ($1, $2, $3)")
                .bind(unit.get())
                .bind(key)
                .bind(value)
                .execute(&mut *c)
                .await?;
        }
    });
    Ok(())
}

pub(crate) async fn read_rules(conn: &mut Conn, unit: UnitId) -> Result<RuleSet> {
    let found = fetch_unit(conn, unit, Lock::None).await?;
    let overrides = on_conn!(conn, c => {
        sqlx::query("SELECT key, value FROM rule_overrides WHERE unit_id = $1 ORDER BY key")
            .bind(unit.get())
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|row| Ok((row.text("key")?, row.text("value")?)))
            .collect::<Result<Vec<_>>>()?
    });
    rules_from(found.preset, &overrides, found.publish_notice_days)
}

/// Upserts the shift types by code in the problem's order and marks the others inactive.
async fn write_shift_types(conn: &mut Conn, unit: UnitId, shift_types: &[ShiftType]) -> Result<()> {
    on_conn!(conn, c => {
        sqlx::query("UPDATE shift_types SET active = FALSE, row_version = row_version + 1 WHERE unit_id = $1").bind(unit.get()).execute(&mut *c).await?;
        for (position, shift) in shift_types.iter().enumerate() {
            let cannot_follow =
                if shift.cannot_follow.is_empty() { None } else { Some(serde_json::to_string(&shift.cannot_follow)?) };
            sqlx::query(
                "INSERT INTO shift_types (unit_id, code, name, start_time, end_time, break_minutes, skill, \
                 cannot_follow, active, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9) \
                 ON CONFLICT (unit_id, code) DO UPDATE SET name = excluded.name, start_time = excluded.start_time, \
                 end_time = excluded.end_time, break_minutes = excluded.break_minutes, skill = excluded.skill, \
                 cannot_follow = excluded.cannot_follow, active = TRUE, position = excluded.position",
            )
            .bind(unit.get())
            .bind(&shift.code)
            .bind(&shift.name)
            .bind(SqlTime(shift.start))
            .bind(SqlTime(shift.end))
            .bind(i64::from(shift.break_minutes))
            .bind(&shift.skill)
            .bind(cannot_follow)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .execute(&mut *c)
            .await?;
        }
    });
    Ok(())
}

/// Upserts the employees by id in the problem's order, marks the others inactive, and
/// replaces every skill row of the unit: skills without dates first, then dated grants.
async fn write_employees(
    conn: &mut Conn,
    unit: UnitId,
    employees: &[Employee],
    grants: &[SkillGrant],
) -> Result<()> {
    on_conn!(conn, c => {
        sqlx::query("UPDATE employees SET active = FALSE, row_version = row_version + 1 WHERE unit_id = $1").bind(unit.get()).execute(&mut *c).await?;
        sqlx::query("DELETE FROM employee_skills WHERE employee_id IN (SELECT id FROM employees WHERE unit_id = $1)")
            .bind(unit.get())
            .execute(&mut *c)
            .await?;
        let mut ids = HashMap::new();
        for (position, employee) in employees.iter().enumerate() {
            let limits = if employee.limits == EmployeeLimits::default() {
                None
            } else {
                Some(serde_json::to_string(&employee.limits)?)
            };
            let id = sqlx::query(
                "INSERT INTO employees (unit_id, external_id, name, employment_basis_points, full_time_minutes, \
                 night_worker, limits, active, position) VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8) \
                 ON CONFLICT (unit_id, external_id) DO UPDATE SET name = excluded.name, \
                 employment_basis_points = excluded.employment_basis_points, \
                 full_time_minutes = excluded.full_time_minutes, night_worker = excluded.night_worker, \
                 limits = excluded.limits, active = TRUE, position = excluded.position RETURNING id",
            )
            .bind(unit.get())
            .bind(&employee.id)
            .bind(&employee.name)
            .bind(i64::from(employee.employment_basis_points))
            .bind(employee.full_time_minutes.map(i64::from))
            .bind(employee.night_worker)
            .bind(limits)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .fetch_one(&mut *c)
            .await?
            .i64("id")?;
            ids.insert(employee.id.as_str(), id);
            for skill in &employee.skills {
                sqlx::query("INSERT INTO employee_skills (employee_id, skill) VALUES ($1, $2)")
                    .bind(id)
                    .bind(skill)
                    .execute(&mut *c)
                    .await?;
            }
        }
        for grant in grants {
            let employee = ids.get(grant.employee.as_str()).copied().ok_or_else(|| {
                StoreError::invalid(InvalidRequest::UnknownEmployee { id: grant.employee.clone() })
            })?;
            sqlx::query("INSERT INTO employee_skills (employee_id, skill, valid_from, valid_to) VALUES ($1, $2, $3, $4)")
                .bind(employee)
                .bind(&grant.skill)
                .bind(SqlDate(grant.valid_from))
                .bind(SqlDate(grant.valid_to))
                .execute(&mut *c)
                .await?;
        }
    });
    Ok(())
}

async fn write_demand(conn: &mut Conn, unit: UnitId, index: &UnitIndex, demand: &[DemandRow]) -> Result<()> {
    on_conn!(conn, c => {
        sqlx::query("DELETE FROM demand_rows WHERE unit_id = $1").bind(unit.get()).execute(&mut *c).await?;
        for row in demand {
            sqlx::query(
                "INSERT INTO demand_rows (unit_id, day, shift_type_id, skill, min_count, ideal_count, under_weight, \
                 over_weight) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(unit.get())
            .bind(row.day.to_string())
            .bind(index.shift(&row.shift)?)
            .bind(&row.skill)
            .bind(i64::from(row.min))
            .bind(i64::from(row.ideal))
            .bind(row.under_weight)
            .bind(row.over_weight)
            .execute(&mut *c)
            .await?;
        }
    });
    Ok(())
}

/// Inserts the period's wishes, absences, history and pins.
async fn write_period_rows(
    conn: &mut Conn,
    period: PeriodId,
    index: &UnitIndex,
    problem: &Problem,
    now: Timestamp,
) -> Result<()> {
    on_conn!(conn, c => {
        for wish in &problem.wishes {
            let (kind, shift) = kind_columns(&wish.kind);
            sqlx::query(
                "INSERT INTO wishes (period_id, employee_id, date, kind, shift_type_id, priority, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
            )
            .bind(period.get())
            .bind(index.employee(&wish.employee)?)
            .bind(SqlDate(wish.date))
            .bind(kind)
            .bind(index.opt_shift(shift)?)
            .bind(i64::from(wish.priority))
            .bind(SqlTimestamp(now))
            .execute(&mut *c)
            .await?;
        }
        for absence in &problem.absences {
            sqlx::query(
                "INSERT INTO absences (period_id, employee_id, from_date, to_date, kind) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(period.get())
            .bind(index.employee(&absence.employee)?)
            .bind(SqlDate(absence.from))
            .bind(SqlDate(absence.to))
            .bind(&absence.kind)
            .execute(&mut *c)
            .await?;
        }
        for shift in problem.history.iter().flatten() {
            sqlx::query("INSERT INTO history_shifts (period_id, employee_id, date, shift_type_id) VALUES ($1, $2, $3, $4)")
                .bind(period.get())
                .bind(index.employee(&shift.employee)?)
                .bind(SqlDate(shift.date))
                .bind(index.shift(&shift.shift)?)
                .execute(&mut *c)
                .await?;
        }
        for pin in &problem.pins {
            sqlx::query("INSERT INTO pins (period_id, employee_id, date, shift_type_id) VALUES ($1, $2, $3, $4)")
                .bind(period.get())
                .bind(index.employee(&pin.employee)?)
                .bind(SqlDate(pin.date))
                .bind(index.opt_shift(pin.shift.as_deref())?)
                .execute(&mut *c)
                .await?;
        }
    });
    Ok(())
}

/// Reads an employee from a row of `employees`, without skills.
pub(crate) fn employee_from_row(row: &impl RowExt) -> Result<Employee> {
    Ok(Employee {
        id: row.text("external_id")?,
        name: row.text("name")?,
        employment_basis_points: count_u32(row.i64("employment_basis_points")?, "employment degree")?,
        full_time_minutes: row
            .opt_i64("full_time_minutes")?
            .map(|m| count_u32(m, "full-time minutes"))
            .transpose()?,
        skills: Vec::new(),
        night_worker: row.boolean("night_worker")?,
        limits: match row.opt_text("limits")? {
            Some(text) => serde_json::from_str(&text)?,
            None => EmployeeLimits::default(),
        },
    })
}

/// Reads a shift type from a row of `shift_types`.
pub(crate) fn shift_type_from_row(row: &impl RowExt) -> Result<ShiftType> {
    Ok(ShiftType {
        code: row.text("code")?,
        name: row.text("name")?,
        start: row.time("start_time")?,
        end: row.time("end_time")?,
        break_minutes: count_u32(row.i64("break_minutes")?, "break minutes")?,
        skill: row.opt_text("skill")?,
        cannot_follow: match row.opt_text("cannot_follow")? {
            Some(text) => serde_json::from_str(&text)?,
            None => Vec::new(),
        },
    })
}

/// Reads a demand row from a row of `demand_rows` joined with its shift type's `code`.
pub(crate) fn demand_from_row(row: &impl RowExt) -> Result<DemandRow> {
    let day = row.text("day")?;
    Ok(DemandRow {
        day: day.parse::<DemandDay>().map_err(StoreError::Corrupt)?,
        shift: row.text("code")?,
        skill: row.opt_text("skill")?,
        min: count_u32(row.i64("min_count")?, "minimum head-count")?,
        ideal: count_u32(row.i64("ideal_count")?, "ideal head-count")?,
        under_weight: row.opt_i64("under_weight")?,
        over_weight: row.opt_i64("over_weight")?,
    })
}

/// Reads the unit part of a problem: employees, skill grants, shift types and demand.
pub(crate) async fn read_unit_rows(
    conn: &mut Conn,
    unit: UnitId,
) -> Result<(Vec<Employee>, Vec<SkillGrant>, Vec<ShiftType>, Vec<DemandRow>)> {
    let rows = on_conn!(conn, c => {
        let mut employees = Vec::new();
        let mut by_id = HashMap::new();
        for row in sqlx::query(
            "SELECT id, external_id, name, employment_basis_points, full_time_minutes, night_worker, limits \
             FROM employees WHERE unit_id = $1 AND active = TRUE ORDER BY position, id",
        )
        .bind(unit.get())
        .fetch_all(&mut *c)
        .await?
        {
            by_id.insert(row.i64("id")?, employees.len());
            employees.push(employee_from_row(&row)?);
        }

        let mut grants = Vec::new();
        for row in sqlx::query(
            "SELECT s.employee_id, s.skill, s.valid_from, s.valid_to FROM employee_skills s \
             JOIN employees e ON e.id = s.employee_id WHERE e.unit_id = $1 AND e.active = TRUE ORDER BY s.id",
        )
        .bind(unit.get())
        .fetch_all(&mut *c)
        .await?
        {
            let Some(&position) = by_id.get(&row.i64("employee_id")?) else { continue };
            let skill = row.text("skill")?;
            match (row.opt_date("valid_from")?, row.opt_date("valid_to")?) {
                (Some(valid_from), Some(valid_to)) => grants.push(SkillGrant {
                    employee: employees[position].id.clone(),
                    skill,
                    valid_from,
                    valid_to,
                }),
                _ => employees[position].skills.push(skill),
            }
        }

        let mut shift_types = Vec::new();
        for row in sqlx::query(
            "SELECT code, name, start_time, end_time, break_minutes, skill, cannot_follow FROM shift_types \
             WHERE unit_id = $1 AND active = TRUE ORDER BY position, id",
        )
        .bind(unit.get())
        .fetch_all(&mut *c)
        .await?
        {
            shift_types.push(shift_type_from_row(&row)?);
        }

        let mut demand = Vec::new();
        for row in sqlx::query(
            "SELECT d.day, st.code, d.skill, d.min_count, d.ideal_count, d.under_weight, d.over_weight \
             FROM demand_rows d JOIN shift_types st ON st.id = d.shift_type_id WHERE d.unit_id = $1 ORDER BY d.id",
        )
        .bind(unit.get())
        .fetch_all(&mut *c)
        .await?
        {
            demand.push(demand_from_row(&row)?);
        }
        (employees, grants, shift_types, demand)
    });
    Ok(rows)
}

/// The period part of a problem: wishes, absences, history (when known) and pins.
struct PeriodRows {
    wishes: Vec<Wish>,
    absences: Vec<Absence>,
    history: Vec<HistoryShift>,
    pins: Vec<Pin>,
}

async fn read_period_rows(conn: &mut Conn, period: PeriodId) -> Result<PeriodRows> {
    let rows = on_conn!(conn, c => {
        let mut wishes = Vec::new();
        for row in sqlx::query(
            "SELECT e.external_id, w.date, w.kind, st.code, w.priority FROM wishes w \
             JOIN employees e ON e.id = w.employee_id LEFT JOIN shift_types st ON st.id = w.shift_type_id \
             WHERE w.period_id = $1 AND e.active = TRUE AND (st.id IS NULL OR st.active = TRUE) ORDER BY w.id",
        )
        .bind(period.get())
        .fetch_all(&mut *c)
        .await?
        {
            let priority = row.i64("priority")?;
            wishes.push(Wish {
                employee: row.text("external_id")?,
                date: row.date("date")?,
                kind: kind_from_columns(&row.text("kind")?, row.opt_text("code")?)?,
                priority: u8::try_from(priority).map_err(|_| StoreError::Corrupt(format!("priority {priority}")))?,
            });
        }

        let mut absences = Vec::new();
        for row in sqlx::query(
            "SELECT e.external_id, a.from_date, a.to_date, a.kind FROM absences a \
             JOIN employees e ON e.id = a.employee_id WHERE a.period_id = $1 AND e.active = TRUE ORDER BY a.id",
        )
        .bind(period.get())
        .fetch_all(&mut *c)
        .await?
        {
            absences.push(Absence {
                employee: row.text("external_id")?,
                from: row.date("from_date")?,
                to: row.date("to_date")?,
                kind: row.text("kind")?,
            });
        }

        let mut history = Vec::new();
        for row in sqlx::query(
            "SELECT e.external_id, h.date, st.code FROM history_shifts h JOIN employees e ON e.id = h.employee_id \
             JOIN shift_types st ON st.id = h.shift_type_id WHERE h.period_id = $1 AND e.active = TRUE \
             AND st.active = TRUE ORDER BY h.id",
        )
        .bind(period.get())
        .fetch_all(&mut *c)
        .await?
        {
            history.push(HistoryShift { employee: row.text("external_id")?, date: row.date("date")?, shift: row.text("code")? });
        }

        let mut pins = Vec::new();
        for row in sqlx::query(
            "SELECT e.external_id, p.date, st.code FROM pins p JOIN employees e ON e.id = p.employee_id \
             LEFT JOIN shift_types st ON st.id = p.shift_type_id WHERE p.period_id = $1 AND e.active = TRUE \
             AND (st.id IS NULL OR st.active = TRUE) ORDER BY p.id",
        )
        .bind(period.get())
        .fetch_all(&mut *c)
        .await?
        {
            pins.push(Pin { employee: row.text("external_id")?, date: row.date("date")?, shift: row.opt_text("code")? });
        }
        PeriodRows { wishes, absences, history, pins }
    });
    Ok(rows)
}

impl Store {
    /// Imports a whole problem (a bundle read by turnus-io) into a unit and a new period in
    /// state draft, in one transaction. The unit takes the problem's name, time zone, rule
    /// set, staff, shift types and demand; see the module documentation for how existing
    /// rows are matched.
    ///
    /// # Errors
    ///
    /// [`StoreError::InvalidProblem`] with every contradiction that
    /// [`Problem::validate`] finds, [`StoreError::Invalid`] for a period longer than 104
    /// weeks, [`StoreError::NotFound`] for an unknown unit.
    pub async fn import_problem(
        &self,
        unit: UnitId,
        problem: &Problem,
        change: &Change,
    ) -> Result<SchedulePeriod> {
        let errors = problem.validate();
        if !errors.is_empty() {
            return Err(StoreError::InvalidProblem(errors));
        }
        if problem.unit.period.weeks > MAX_WEEKS {
            return Err(StoreError::invalid(InvalidRequest::Weeks {
                weeks: problem.unit.period.weeks,
                max: MAX_WEEKS,
            }));
        }
        check_time_zone(&problem.unit.time_zone)?;

        let mut tx = self.begin_write().await?;
        let before = fetch_unit(&mut tx.conn, unit, Lock::Update).await?;
        on_conn!(&mut tx.conn, c => {
            sqlx::query("UPDATE units SET name = $1, time_zone = $2 WHERE id = $3")
                .bind(&problem.unit.name)
                .bind(&problem.unit.time_zone)
                .bind(unit.get())
                .execute(&mut *c)
                .await?;
        });
        write_rules(&mut tx.conn, unit, &problem.rules).await?;
        write_shift_types(&mut tx.conn, unit, &problem.shift_types).await?;
        write_employees(&mut tx.conn, unit, &problem.employees, &problem.skill_grants).await?;
        let index = UnitIndex::load(&mut tx.conn, unit).await?;
        write_demand(&mut tx.conn, unit, &index, &problem.demand).await?;

        let period = problem.unit.period;
        let created =
            insert_period(&mut tx.conn, unit, period.start, period.weeks, problem.history.is_some(), tx.now)
                .await?;
        write_period_rows(&mut tx.conn, created.id, &index, problem, tx.now).await?;

        tx.audit(
            AuditEntry::new(change, "period.import", "schedule_period", created.id)
                .unit(unit)
                .before(&json!({ "unit": before }))?
                .after(&json!({ "period": created, "problem": problem }))?,
        );
        tx.commit().await?;
        tracing::info!(
            unit = %unit,
            period = %created.id,
            employees = problem.employees.len(),
            wishes = problem.wishes.len(),
            "problem imported"
        );
        Ok(created)
    }

    /// Rebuilds the problem of a period from the stored rows: the unit's current rule set,
    /// active staff, shift types and demand, and the period's wishes, absences, history and
    /// pins, each in the order they were imported or added.
    ///
    /// Wishes, absences, history and pins of employees or shift types that were deactivated
    /// since are left out, so the problem stays valid.
    ///
    /// NOTE: the staff, shift types and rules are the unit's current ones. A problem loaded
    /// for an old period after a later import changed them differs from the one it was
    /// solved with; the audit row of each import holds the problem as imported.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a period of another unit, [`StoreError::Corrupt`] for a
    /// stored value this build cannot read.
    pub async fn load_problem(&self, unit: UnitId, period: PeriodId) -> Result<Problem> {
        let mut tx = self.begin_read().await?;
        let found = fetch_period(&mut tx.conn, unit, period, Lock::None).await?;
        let unit_row = fetch_unit(&mut tx.conn, unit, Lock::None).await?;
        let rules = read_rules(&mut tx.conn, unit).await?;
        let (employees, skill_grants, shift_types, demand) = read_unit_rows(&mut tx.conn, unit).await?;
        let rows = read_period_rows(&mut tx.conn, period).await?;
        tx.finish().await?;

        Ok(Problem {
            unit: Unit { name: unit_row.name, time_zone: unit_row.time_zone, period: found.period() },
            rules,
            employees,
            shift_types,
            demand,
            wishes: rows.wishes,
            absences: rows.absences,
            skill_grants,
            history: found.history_known.then_some(rows.history),
            pins: rows.pins,
        })
    }

    /// Reads a unit's rule set.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown unit.
    pub async fn get_rules(&self, unit: UnitId) -> Result<RuleSet> {
        let mut tx = self.begin_read().await?;
        let rules = read_rules(&mut tx.conn, unit).await?;
        tx.finish().await?;
        Ok(rules)
    }

    /// Replaces a unit's rule set, including its notice period.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown unit, [`StoreError::Invalid`] for a notice
    /// period above 365 days.
    pub async fn set_rules(&self, unit: UnitId, rules: &RuleSet, change: &Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        fetch_unit(&mut tx.conn, unit, Lock::Update).await?;
        let before = read_rules(&mut tx.conn, unit).await?;
        write_rules(&mut tx.conn, unit, rules).await?;
        tx.audit(
            AuditEntry::new(change, "unit.set_rules", "unit", unit)
                .unit(unit)
                .before(&before)?
                .after(rules)?,
        );
        tx.commit().await?;
        Ok(())
    }

    /// Pins an employee's day in a period to a shift, or to a day off with `shift: None`,
    /// replacing an earlier pin of that day. The solver keeps pinned days.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for an unknown employee or shift or a date outside the period,
    /// [`StoreError::WrongState`] for a published period.
    pub async fn set_pin(&self, unit: UnitId, period: PeriodId, pin: &Pin, change: &Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let found = fetch_period(&mut tx.conn, unit, period, Lock::Share).await?;
        if found.state.is_published() {
            return Err(StoreError::WrongState(WrongState::Pins { state: found.state }));
        }
        if !found.period().contains(pin.date) {
            return Err(StoreError::invalid(InvalidRequest::DateOutsidePeriod {
                row: Dated::Pin,
                date: pin.date,
                start: found.start,
                end: found.period().end_inclusive(),
            }));
        }
        let index = UnitIndex::load(&mut tx.conn, unit).await?;
        let employee = index.employee(&pin.employee)?;
        let shift = index.opt_shift(pin.shift.as_deref())?;
        let before = pin_at(&mut tx.conn, period, employee, pin).await?;
        on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "INSERT INTO pins (period_id, employee_id, date, shift_type_id) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (period_id, employee_id, date) DO UPDATE SET shift_type_id = excluded.shift_type_id",
            )
            .bind(period.get())
            .bind(employee)
            .bind(SqlDate(pin.date))
            .bind(shift)
            .execute(&mut *c)
            .await?;
        });
        let mut entry =
            AuditEntry::new(change, "pin.set", "schedule_period", period).unit(unit).after(pin)?;
        if let Some(before) = before {
            entry = entry.before(&before)?;
        }
        tx.audit(entry);
        tx.commit().await?;
        Ok(())
    }

    /// Removes the pin of an employee's day; removing a pin that does not exist is no error.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for an unknown employee, [`StoreError::WrongState`] for a
    /// published period.
    pub async fn remove_pin(
        &self,
        unit: UnitId,
        period: PeriodId,
        employee: &str,
        date: jiff::civil::Date,
        change: &Change,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let found = fetch_period(&mut tx.conn, unit, period, Lock::Share).await?;
        if found.state.is_published() {
            return Err(StoreError::WrongState(WrongState::Pins { state: found.state }));
        }
        let index = UnitIndex::load(&mut tx.conn, unit).await?;
        let employee_id = index.employee(employee)?;
        let probe = Pin { employee: employee.to_string(), date, shift: None };
        let Some(before) = pin_at(&mut tx.conn, period, employee_id, &probe).await? else {
            return Ok(());
        };
        on_conn!(&mut tx.conn, c => {
            sqlx::query("DELETE FROM pins WHERE period_id = $1 AND employee_id = $2 AND date = $3")
                .bind(period.get())
                .bind(employee_id)
                .bind(SqlDate(date))
                .execute(&mut *c)
                .await?;
        });
        tx.audit(
            AuditEntry::new(change, "pin.remove", "schedule_period", period).unit(unit).before(&before)?,
        );
        tx.commit().await?;
        Ok(())
    }
}

/// The pin stored for the employee and date of `probe`, if any.
async fn pin_at(conn: &mut Conn, period: PeriodId, employee: i64, probe: &Pin) -> Result<Option<Pin>> {
    let found = on_conn!(conn, c => {
        sqlx::query(
            "SELECT st.code FROM pins p LEFT JOIN shift_types st ON st.id = p.shift_type_id \
             WHERE p.period_id = $1 AND p.employee_id = $2 AND p.date = $3",
        )
        .bind(period.get())
        .bind(employee)
        .bind(SqlDate(probe.date))
        .fetch_optional(&mut *c)
        .await?
        .map(|row| row.opt_text("code"))
        .transpose()?
    });
    Ok(found.map(|shift| Pin { employee: probe.employee.clone(), date: probe.date, shift }))
}
