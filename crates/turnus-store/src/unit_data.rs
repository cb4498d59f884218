//! A unit's staff, shift types, demand rows and rule overrides, edited one row at a time.
//!
//! Employees and shift types are never deleted, only deactivated: assignments of earlier
//! and published versions, wishes and events still refer to them, and a deactivated row
//! leaves the problems that later solves load. Reactivating a row brings it back as it was,
//! and creating one with the id or code of a deactivated row brings that row back with new
//! values. Demand rows have no references and are deleted.
//! Each change checks the unit's whole data with [`Problem::validate`] inside its
//! transaction, so a change that would leave a contradiction is rolled back.

use jiff::civil::Date;
use serde::Serialize;
use turnus_core::{DemandRow, Employee, Period, Problem, RuleSet, ShiftType, SkillGrant};

use crate::audit::{AuditEntry, Change};
use crate::db::{Conn, Lock, RowExt, Store, WriteTx, on_conn};
use crate::error::{Field, InvalidRequest, Keyed, Result, StoreError};
use crate::ids::UnitId;
use crate::org::{Unit, fetch_unit};
use crate::problem::{
    demand_from_row, employee_from_row, read_rules, read_unit_rows, shift_type_from_row, write_rules,
};
use crate::sqltypes::{SqlDate, SqlTime};

/// Id of a demand row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct DemandId(pub i64);

impl DemandId {
    /// The database id.
    pub fn get(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for DemandId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// An employee of a unit with their dated skills, whether they are active, and the row
/// version an update must name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmployeeRecord {
    pub employee: Employee,
    /// Skills valid between two dates (delegations). `employee.skills` contains the undated ones.
    pub skill_grants: Vec<SkillGrant>,
    pub active: bool,
    pub row_version: i64,
}

/// A shift type of a unit, whether it is active, and its row version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShiftTypeRecord {
    pub shift_type: ShiftType,
    pub active: bool,
    pub row_version: i64,
}

/// A demand row of a unit with its id and row version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemandRecord {
    pub id: DemandId,
    pub demand: DemandRow,
    pub row_version: i64,
}

const EMPLOYEE_COLUMNS: &str = "id, external_id, name, employment_basis_points, full_time_minutes, night_worker, limits, active, row_version";

const SHIFT_COLUMNS: &str =
    "id, code, name, start_time, end_time, break_minutes, skill, cannot_follow, active, row_version";

/// A unit's row that is keyed by an id of the unit's own and deactivated rather than
/// deleted: an employee or a shift type. The store reads, lists, deactivates and
/// reactivates both kinds the same way. What differs besides the reading is named by
/// [`Keyed`].
trait KeyedRecord: Serialize + Sized {
    /// The kind of row, which names it in errors, its table and its audit rows.
    const KEYED: Keyed;

    fn is_active(&self) -> bool;

    fn row_version(&self) -> i64;

    /// Reads the unit's rows (one, when `key` is given), active ones first in their order,
    /// each with its database id.
    async fn fetch_all(
        conn: &mut Conn,
        unit: UnitId,
        key: Option<&str>,
        lock: Lock,
    ) -> Result<Vec<(i64, Self)>>;

    /// Rejects deactivating the row with database id `id` while other rows still need it.
    async fn check_unused(_conn: &mut Conn, _id: i64, _key: &str) -> Result<()> {
        Ok(())
    }
}

/// The table and audit names of each kind of keyed row.
impl Keyed {
    fn table(self) -> &'static str {
        match self {
            Keyed::Employee => "employees",
            Keyed::ShiftType => "shift_types",
        }
    }

    /// Returns the column of the row's key, which is unique within the unit.
    fn key_column(self) -> &'static str {
        match self {
            Keyed::Employee => "external_id",
            Keyed::ShiftType => "code",
        }
    }

    /// Returns the entity that the row's audit rows name.
    fn audit_entity(self) -> &'static str {
        match self {
            Keyed::Employee => "employee",
            Keyed::ShiftType => "shift_type",
        }
    }

    /// Returns the audit action of a deactivation (`active` false) or a reactivation.
    fn activity_action(self, active: bool) -> &'static str {
        match (self, active) {
            (Keyed::Employee, false) => "employee.deactivate",
            (Keyed::Employee, true) => "employee.reactivate",
            (Keyed::ShiftType, false) => "shift_type.deactivate",
            (Keyed::ShiftType, true) => "shift_type.reactivate",
        }
    }

    /// Returns the conflict message when creating a row whose key an active row has.
    fn key_taken(self) -> &'static str {
        match self {
            Keyed::Employee => "an active employee has this id",
            Keyed::ShiftType => "an active shift type has this code",
        }
    }
}

/// Builds the `SELECT` of `columns` of a unit's rows of kind `keyed`, active ones first in
/// their order. The unit is bound as `$1` and, when `by_key` is set, the key as `$2`.
fn select_keyed(conn: &Conn, keyed: Keyed, columns: &str, by_key: bool, lock: Lock) -> String {
    let table = keyed.table();
    let filter = if by_key { format!(" AND {} = $2", keyed.key_column()) } else { String::new() };
    let suffix = conn.lock_clause(lock);
    format!(
        "SELECT {columns} FROM {table} WHERE unit_id = $1{filter} ORDER BY active DESC, position, id{suffix}"
    )
}

impl KeyedRecord for EmployeeRecord {
    const KEYED: Keyed = Keyed::Employee;

    fn is_active(&self) -> bool {
        self.active
    }

    fn row_version(&self) -> i64 {
        self.row_version
    }

    /// Reads the employees with their skills: undated ones into `employee.skills`, dated
    /// ones into `skill_grants`.
    async fn fetch_all(
        conn: &mut Conn,
        unit: UnitId,
        external_id: Option<&str>,
        lock: Lock,
    ) -> Result<Vec<(i64, Self)>> {
        let sql = select_keyed(conn, Keyed::Employee, EMPLOYEE_COLUMNS, external_id.is_some(), lock);
        let records = on_conn!(conn, c => {
            let mut query = sqlx::query(&sql).bind(unit.get());
            if let Some(external_id) = external_id {
                query = query.bind(external_id);
            }
            let mut records = Vec::new();
            for row in query.fetch_all(&mut *c).await? {
                let id = row.i64("id")?;
                let mut employee = employee_from_row(&row)?;
                let external_id = employee.id.clone();
                let mut skill_grants = Vec::new();
                for skill in sqlx::query(
                    "SELECT skill, valid_from, valid_to FROM employee_skills WHERE employee_id = $1 ORDER BY id",
                )
                .bind(id)
                .fetch_all(&mut *c)
                .await?
                {
                    let name = skill.text("skill")?;
                    match (skill.opt_date("valid_from")?, skill.opt_date("valid_to")?) {
                        (Some(valid_from), Some(valid_to)) => skill_grants.push(SkillGrant {
                            employee: external_id.clone(),
                            skill: name,
                            valid_from,
                            valid_to,
                        }),
                        _ => employee.skills.push(name),
                    }
                }
                records.push((
                    id,
                    EmployeeRecord {
                        employee,
                        skill_grants,
                        active: row.boolean("active")?,
                        row_version: row.i64("row_version")?,
                    },
                ));
            }
            records
        });
        Ok(records)
    }
}

impl KeyedRecord for ShiftTypeRecord {
    const KEYED: Keyed = Keyed::ShiftType;

    fn is_active(&self) -> bool {
        self.active
    }

    fn row_version(&self) -> i64 {
        self.row_version
    }

    async fn fetch_all(
        conn: &mut Conn,
        unit: UnitId,
        code: Option<&str>,
        lock: Lock,
    ) -> Result<Vec<(i64, Self)>> {
        let sql = select_keyed(conn, Keyed::ShiftType, SHIFT_COLUMNS, code.is_some(), lock);
        let records = on_conn!(conn, c => {
            let mut query = sqlx::query(&sql).bind(unit.get());
            if let Some(code) = code {
                query = query.bind(code);
            }
            let mut records = Vec::new();
            for row in query.fetch_all(&mut *c).await? {
                let shift_type = shift_type_from_row(&row)?;
                records.push((
                    row.i64("id")?,
                    ShiftTypeRecord { shift_type, active: row.boolean("active")?, row_version: row.i64("row_version")? },
                ));
            }
            records
        });
        Ok(records)
    }

    /// Demand rows name their shift type, and a deactivated one would leave them without it.
    async fn check_unused(conn: &mut Conn, id: i64, code: &str) -> Result<()> {
        let demand_rows = on_conn!(conn, c => {
            sqlx::query("SELECT count(*) AS n FROM demand_rows WHERE shift_type_id = $1")
                .bind(id)
                .fetch_one(&mut *c)
                .await?
                .i64("n")?
        });
        if demand_rows > 0 {
            return Err(StoreError::invalid(InvalidRequest::ShiftTypeInUse {
                code: code.to_string(),
                demand_rows,
            }));
        }
        Ok(())
    }
}

/// Reads one employee or shift type by its key, with its database id.
async fn fetch_keyed<R: KeyedRecord>(
    conn: &mut Conn,
    unit: UnitId,
    key: &str,
    lock: Lock,
) -> Result<(i64, R)> {
    R::fetch_all(conn, unit, Some(key), lock)
        .await?
        .pop()
        .ok_or_else(|| StoreError::not_found(R::KEYED.name(), key))
}

/// Checks, before an update, that the row is still at the version the caller read and is
/// active.
fn check_updatable<R: KeyedRecord>(record: &R, key: &str, expected_row_version: i64) -> Result<()> {
    check_row_version(R::KEYED.name(), key, expected_row_version, record.row_version())?;
    if !record.is_active() {
        return Err(StoreError::invalid(InvalidRequest::Deactivated { row: R::KEYED, key: key.to_string() }));
    }
    Ok(())
}

/// Returns the position after the last of the unit's rows in `table`, for a new row.
async fn next_position(conn: &mut Conn, table: &str, unit: UnitId) -> Result<i64> {
    let sql = format!("SELECT coalesce(max(position), -1) + 1 AS next FROM {table} WHERE unit_id = $1");
    let next = on_conn!(conn, c => {
        sqlx::query(&sql).bind(unit.get()).fetch_one(&mut *c).await?.i64("next")?
    });
    Ok(next)
}

/// Checks that a row is still at the version the caller read.
fn check_row_version(entity: &'static str, key: &str, expected: i64, found: i64) -> Result<()> {
    if found == expected { Ok(()) } else { Err(StoreError::stale(entity, key, expected, found)) }
}

/// Locks the unit and returns the deactivated row that creating a row with `key` brings
/// back, or `None` for a new key.
///
/// # Errors
///
/// [`StoreError::NotFound`] for an unknown unit, [`StoreError::Conflict`] when an active
/// row has the key.
async fn revived_row<R: KeyedRecord>(conn: &mut Conn, unit: UnitId, key: &str) -> Result<Option<R>> {
    fetch_unit(conn, unit, Lock::Share).await?;
    match fetch_keyed::<R>(conn, unit, key, Lock::Update).await {
        Ok((_, record)) if record.is_active() => {
            Err(StoreError::conflict(R::KEYED.name(), key, R::KEYED.key_taken()))
        }
        Ok((_, record)) => Ok(Some(record)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Appends the audit row of a change with the row before it (`None` for a new row) and
/// after it, and commits the change.
async fn commit_change<R: Serialize>(
    mut tx: WriteTx,
    entry: AuditEntry,
    before: Option<&R>,
    after: &R,
) -> Result<()> {
    let mut entry = entry.after(after)?;
    if let Some(before) = before {
        entry = entry.before(before)?;
    }
    tx.audit(entry);
    tx.commit().await
}

/// Replaces an employee's skill rows: undated skills first, then dated ones.
async fn write_skills(
    conn: &mut Conn,
    employee_id: i64,
    employee: &Employee,
    grants: &[SkillGrant],
) -> Result<()> {
    on_conn!(conn, c => {
        sqlx::query("DELETE FROM employee_skills WHERE employee_id = $1").bind(employee_id).execute(&mut *c).await?;
        for skill in &employee.skills {
            sqlx::query("INSERT INTO employee_skills (employee_id, skill) VALUES ($1, $2)")
                .bind(employee_id)
                .bind(skill)
                .execute(&mut *c)
                .await?;
        }
        for grant in grants {
            sqlx::query(
                "INSERT INTO employee_skills (employee_id, skill, valid_from, valid_to) VALUES ($1, $2, $3, $4)",
            )
            .bind(employee_id)
            .bind(&grant.skill)
            .bind(SqlDate(grant.valid_from))
            .bind(SqlDate(grant.valid_to))
            .execute(&mut *c)
            .await?;
        }
    });
    Ok(())
}

/// Checks the values of an employee row that the table's constraints would reject with a
/// less helpful error, and that every dated skill names this employee.
fn check_employee(employee: &Employee, grants: &[SkillGrant]) -> Result<()> {
    if employee.id.trim().is_empty() {
        return Err(StoreError::invalid(InvalidRequest::Empty { field: Field::EmployeeId }));
    }
    if let Some(grant) = grants.iter().find(|g| g.employee != employee.id) {
        return Err(StoreError::invalid(InvalidRequest::GrantOfOtherEmployee {
            grant_employee: grant.employee.clone(),
            employee: employee.id.clone(),
        }));
    }
    if employee.skills.iter().chain(grants.iter().map(|g| &g.skill)).any(|s| s.trim().is_empty()) {
        return Err(StoreError::invalid(InvalidRequest::Empty { field: Field::SkillCode }));
    }
    if employee.full_time_minutes == Some(0) {
        return Err(StoreError::invalid(InvalidRequest::FullTimeZero));
    }
    // Rejected here, with the errors validate gives, before the tables' check constraints.
    let mut errors = Vec::new();
    if employee.employment_basis_points == 0 || employee.employment_basis_points > 10_000 {
        errors.push(turnus_core::ProblemError::EmploymentOutOfRange { id: employee.id.clone() });
    }
    for grant in grants.iter().filter(|g| g.valid_to < g.valid_from) {
        errors.push(turnus_core::ProblemError::SkillGrantReversed {
            id: employee.id.clone(),
            skill: grant.skill.clone(),
            from: grant.valid_from,
            to: grant.valid_to,
        });
    }
    if errors.is_empty() { Ok(()) } else { Err(StoreError::InvalidProblem(errors)) }
}

/// Validates the unit's active staff, shift types, demand and rules together, as an import
/// would, and returns every contradiction. The period is a placeholder: no period rows are
/// part of the check.
async fn check_unit(conn: &mut Conn, unit: UnitId) -> Result<()> {
    let found = fetch_unit(conn, unit, Lock::None).await?;
    let rules = read_rules(conn, unit).await?;
    let (employees, skill_grants, shift_types, demand) = read_unit_rows(conn, unit).await?;
    let problem = Problem {
        unit: turnus_core::Unit {
            name: found.name,
            time_zone: found.time_zone,
            period: Period { start: Date::constant(2000, 1, 3), weeks: 1 },
        },
        rules,
        employees,
        shift_types,
        demand,
        wishes: Vec::new(),
        absences: Vec::new(),
        skill_grants,
        history: None,
        pins: Vec::new(),
    };
    let errors = problem.validate();
    if errors.is_empty() { Ok(()) } else { Err(StoreError::InvalidProblem(errors)) }
}

fn limits_json(employee: &Employee) -> Result<Option<String>> {
    if employee.limits == Default::default() {
        Ok(None)
    } else {
        Ok(Some(serde_json::to_string(&employee.limits)?))
    }
}

async fn fetch_demand(
    conn: &mut Conn,
    unit: UnitId,
    id: Option<DemandId>,
    lock: Lock,
) -> Result<Vec<DemandRecord>> {
    let filter = if id.is_some() { " AND d.id = $2" } else { "" };
    // PostgreSQL cannot lock the nullable side of a join, so the lock names the demand row.
    let suffix = match conn.lock_clause(lock) {
        "" => String::new(),
        clause => format!("{clause} OF d"),
    };
    let sql = format!(
        "SELECT d.id, d.day, st.code, d.skill, d.min_count, d.ideal_count, d.under_weight, d.over_weight, \
         d.row_version FROM demand_rows d JOIN shift_types st ON st.id = d.shift_type_id \
         WHERE d.unit_id = $1{filter} ORDER BY d.id{suffix}"
    );
    let records = on_conn!(conn, c => {
        let mut query = sqlx::query(&sql).bind(unit.get());
        if let Some(id) = id {
            query = query.bind(id.get());
        }
        let mut records = Vec::new();
        for row in query.fetch_all(&mut *c).await? {
            records.push(DemandRecord {
                id: DemandId(row.i64("id")?),
                demand: demand_from_row(&row)?,
                row_version: row.i64("row_version")?,
            });
        }
        records
    });
    Ok(records)
}

async fn fetch_demand_row(conn: &mut Conn, unit: UnitId, id: DemandId, lock: Lock) -> Result<DemandRecord> {
    fetch_demand(conn, unit, Some(id), lock)
        .await?
        .pop()
        .ok_or_else(|| StoreError::not_found("demand row", id))
}

/// The id of an active shift type by code, for a demand row.
async fn active_shift_id(conn: &mut Conn, unit: UnitId, code: &str) -> Result<i64> {
    match fetch_keyed::<ShiftTypeRecord>(conn, unit, code, Lock::Share).await {
        Ok((id, record)) if record.active => Ok(id),
        Ok(_) | Err(StoreError::NotFound { .. }) => {
            Err(StoreError::invalid(InvalidRequest::UnknownShiftType { code: code.to_string() }))
        }
        Err(e) => Err(e),
    }
}

/// Checks that no other demand row of the unit has the same day, shift and skill, which the
/// bundle reader rejects as a repeated line too.
fn check_demand_unique(existing: &[DemandRecord], row: &DemandRow, except: Option<DemandId>) -> Result<()> {
    let same = existing.iter().find(|r| {
        Some(r.id) != except
            && r.demand.day == row.day
            && r.demand.shift == row.shift
            && r.demand.skill == row.skill
    });
    match same {
        Some(other) => Err(StoreError::conflict(
            "demand row",
            other.id,
            format!(
                "demand row {} already gives the demand for {} and shift {}",
                other.id, row.day, row.shift
            ),
        )),
        None => Ok(()),
    }
}

/// Rejects an ideal head-count below the minimum before the table's check constraint would,
/// with the error [`Problem::validate`] gives for it.
fn check_ideal(row: &DemandRow) -> Result<()> {
    if row.ideal < row.min {
        return Err(StoreError::InvalidProblem(vec![turnus_core::ProblemError::IdealBelowMin {
            code: row.shift.clone(),
            min: row.min,
            ideal: row.ideal,
        }]));
    }
    Ok(())
}

impl Store {
    /// Lists a unit's employees, active ones first in their order, each with their skills.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown unit.
    pub async fn list_employees(&self, unit: UnitId) -> Result<Vec<EmployeeRecord>> {
        self.list_keyed(unit).await
    }

    /// Reads one employee by their employee id.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an id the unit does not have.
    pub async fn get_employee(&self, unit: UnitId, employee: &str) -> Result<EmployeeRecord> {
        self.get_keyed(unit, employee).await
    }

    /// Adds an employee at the end of the unit's staff, or brings back a deactivated one with
    /// the same id, with new values. `grants` are the employee's dated skills.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] when an active employee has the id,
    /// [`StoreError::InvalidProblem`] when the unit's data would contradict itself,
    /// [`StoreError::Invalid`] for an empty id or skill.
    pub async fn create_employee(
        &self,
        unit: UnitId,
        employee: &Employee,
        grants: &[SkillGrant],
        change: &Change,
    ) -> Result<EmployeeRecord> {
        check_employee(employee, grants)?;
        let mut tx = self.begin_write().await?;
        let before = revived_row::<EmployeeRecord>(&mut tx.conn, unit, &employee.id).await?;
        let limits = limits_json(employee)?;
        let position = next_position(&mut tx.conn, "employees", unit).await?;
        let id = on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "INSERT INTO employees (unit_id, external_id, name, employment_basis_points, full_time_minutes, \
                 night_worker, limits, active, position) VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE, $8) \
                 ON CONFLICT (unit_id, external_id) DO UPDATE SET name = excluded.name, \
                 employment_basis_points = excluded.employment_basis_points, \
                 full_time_minutes = excluded.full_time_minutes, night_worker = excluded.night_worker, \
                 limits = excluded.limits, active = TRUE, position = excluded.position, \
                 row_version = employees.row_version + 1 RETURNING id",
            )
            .bind(unit.get())
            .bind(&employee.id)
            .bind(&employee.name)
            .bind(i64::from(employee.employment_basis_points))
            .bind(employee.full_time_minutes.map(i64::from))
            .bind(employee.night_worker)
            .bind(limits)
            .bind(position)
            .fetch_one(&mut *c)
            .await?
            .i64("id")?
        });
        write_skills(&mut tx.conn, id, employee, grants).await?;
        check_unit(&mut tx.conn, unit).await?;
        let (_, after) = fetch_keyed::<EmployeeRecord>(&mut tx.conn, unit, &employee.id, Lock::None).await?;
        let entry = AuditEntry::new(change, "employee.create", "employee", &employee.id).unit(unit);
        commit_change(tx, entry, before.as_ref(), &after).await?;
        tracing::info!(unit = %unit, employee = %employee.id, "employee created");
        Ok(after)
    }

    /// Changes an employee's values and skills. The employee id cannot change: it is the
    /// key that bundles, wishes and grants use.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale `expected_row_version`, [`StoreError::NotFound`]
    /// for an unknown employee, [`StoreError::Invalid`] for a changed id or a deactivated
    /// employee, [`StoreError::InvalidProblem`] when the unit's data would contradict itself.
    pub async fn update_employee(
        &self,
        unit: UnitId,
        employee_id: &str,
        expected_row_version: i64,
        employee: &Employee,
        grants: &[SkillGrant],
        change: &Change,
    ) -> Result<EmployeeRecord> {
        check_employee(employee, grants)?;
        if employee.id != employee_id {
            return Err(StoreError::invalid(InvalidRequest::KeyChange {
                row: Keyed::Employee,
                from: employee_id.to_string(),
                to: employee.id.clone(),
            }));
        }
        let mut tx = self.begin_write().await?;
        let (id, before) =
            fetch_keyed::<EmployeeRecord>(&mut tx.conn, unit, employee_id, Lock::Update).await?;
        check_updatable(&before, employee_id, expected_row_version)?;
        let limits = limits_json(employee)?;
        on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "UPDATE employees SET name = $1, employment_basis_points = $2, full_time_minutes = $3, \
                 night_worker = $4, limits = $5, row_version = row_version + 1 WHERE id = $6",
            )
            .bind(&employee.name)
            .bind(i64::from(employee.employment_basis_points))
            .bind(employee.full_time_minutes.map(i64::from))
            .bind(employee.night_worker)
            .bind(limits)
            .bind(id)
            .execute(&mut *c)
            .await?;
        });
        write_skills(&mut tx.conn, id, employee, grants).await?;
        check_unit(&mut tx.conn, unit).await?;
        let (_, after) = fetch_keyed::<EmployeeRecord>(&mut tx.conn, unit, employee_id, Lock::None).await?;
        let entry = AuditEntry::new(change, "employee.update", "employee", employee_id).unit(unit);
        commit_change(tx, entry, Some(&before), &after).await?;
        Ok(after)
    }

    /// Deactivates an employee: they leave the staff that later solves plan, while published
    /// versions, proposals, wishes and events keep them. Their wishes, absences and pins in
    /// periods not yet solved are left out of those problems.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale `expected_row_version`, [`StoreError::NotFound`]
    /// for an unknown employee, [`StoreError::Invalid`] when already deactivated,
    /// [`StoreError::InvalidProblem`] when the unit's data would contradict itself.
    pub async fn deactivate_employee(
        &self,
        unit: UnitId,
        employee_id: &str,
        expected_row_version: i64,
        change: &Change,
    ) -> Result<EmployeeRecord> {
        self.set_keyed_active(unit, employee_id, expected_row_version, false, change).await
    }

    /// Reactivates a deactivated employee with the values, skills and place in the staff
    /// list they had, so later solves plan them again.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale `expected_row_version`, [`StoreError::NotFound`]
    /// for an unknown employee, [`StoreError::Invalid`] when the employee is active,
    /// [`StoreError::InvalidProblem`] when the unit's data would contradict itself.
    pub async fn reactivate_employee(
        &self,
        unit: UnitId,
        employee_id: &str,
        expected_row_version: i64,
        change: &Change,
    ) -> Result<EmployeeRecord> {
        self.set_keyed_active(unit, employee_id, expected_row_version, true, change).await
    }

    /// Lists a unit's shift types, active ones first in their order.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown unit.
    pub async fn list_shift_types(&self, unit: UnitId) -> Result<Vec<ShiftTypeRecord>> {
        self.list_keyed(unit).await
    }

    /// Reads one shift type by code.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a code the unit does not have.
    pub async fn get_shift_type(&self, unit: UnitId, code: &str) -> Result<ShiftTypeRecord> {
        self.get_keyed(unit, code).await
    }

    /// Adds a shift type at the end of the unit's list, or brings back a deactivated one
    /// with the same code, with new values.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] when an active shift type has the code,
    /// [`StoreError::InvalidProblem`] for a break as long as the shift or a missing break,
    /// [`StoreError::Invalid`] for an empty code.
    pub async fn create_shift_type(
        &self,
        unit: UnitId,
        shift: &ShiftType,
        change: &Change,
    ) -> Result<ShiftTypeRecord> {
        if shift.code.trim().is_empty() {
            return Err(StoreError::invalid(InvalidRequest::Empty { field: Field::ShiftCode }));
        }
        let mut tx = self.begin_write().await?;
        let before = revived_row::<ShiftTypeRecord>(&mut tx.conn, unit, &shift.code).await?;
        let cannot_follow = if shift.cannot_follow.is_empty() {
            None
        } else {
            Some(serde_json::to_string(&shift.cannot_follow)?)
        };
        let position = next_position(&mut tx.conn, "shift_types", unit).await?;
        on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "INSERT INTO shift_types (unit_id, code, name, start_time, end_time, break_minutes, skill, \
                 cannot_follow, active, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9) \
                 ON CONFLICT (unit_id, code) DO UPDATE SET name = excluded.name, start_time = excluded.start_time, \
                 end_time = excluded.end_time, break_minutes = excluded.break_minutes, skill = excluded.skill, \
                 cannot_follow = excluded.cannot_follow, active = TRUE, position = excluded.position, \
                 row_version = shift_types.row_version + 1",
            )
            .bind(unit.get())
            .bind(&shift.code)
            .bind(&shift.name)
            .bind(SqlTime(shift.start))
            .bind(SqlTime(shift.end))
            .bind(i64::from(shift.break_minutes))
            .bind(&shift.skill)
            .bind(cannot_follow)
            .bind(position)
            .execute(&mut *c)
            .await?;
        });
        check_unit(&mut tx.conn, unit).await?;
        let (_, after) = fetch_keyed::<ShiftTypeRecord>(&mut tx.conn, unit, &shift.code, Lock::None).await?;
        let entry = AuditEntry::new(change, "shift_type.create", "shift_type", &shift.code).unit(unit);
        commit_change(tx, entry, before.as_ref(), &after).await?;
        Ok(after)
    }

    /// Changes a shift type's name, times, break and skill. The code cannot change.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale `expected_row_version`, [`StoreError::NotFound`]
    /// for an unknown code, [`StoreError::Invalid`] for a changed code or a deactivated
    /// shift type, [`StoreError::InvalidProblem`] when the unit's data would contradict itself.
    pub async fn update_shift_type(
        &self,
        unit: UnitId,
        code: &str,
        expected_row_version: i64,
        shift: &ShiftType,
        change: &Change,
    ) -> Result<ShiftTypeRecord> {
        if shift.code != code {
            return Err(StoreError::invalid(InvalidRequest::KeyChange {
                row: Keyed::ShiftType,
                from: code.to_string(),
                to: shift.code.clone(),
            }));
        }
        let mut tx = self.begin_write().await?;
        let (id, before) = fetch_keyed::<ShiftTypeRecord>(&mut tx.conn, unit, code, Lock::Update).await?;
        check_updatable(&before, code, expected_row_version)?;
        on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "UPDATE shift_types SET name = $1, start_time = $2, end_time = $3, break_minutes = $4, skill = $5, \
                 row_version = row_version + 1 WHERE id = $6",
            )
            .bind(&shift.name)
            .bind(SqlTime(shift.start))
            .bind(SqlTime(shift.end))
            .bind(i64::from(shift.break_minutes))
            .bind(&shift.skill)
            .bind(id)
            .execute(&mut *c)
            .await?;
        });
        check_unit(&mut tx.conn, unit).await?;
        let (_, after) = fetch_keyed::<ShiftTypeRecord>(&mut tx.conn, unit, code, Lock::None).await?;
        let entry = AuditEntry::new(change, "shift_type.update", "shift_type", code).unit(unit);
        commit_change(tx, entry, Some(&before), &after).await?;
        Ok(after)
    }

    /// Deactivates a shift type: later solves no longer plan it, while versions, wishes and
    /// events keep it.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale `expected_row_version`, [`StoreError::NotFound`]
    /// for an unknown code, [`StoreError::Invalid`] while demand rows use the shift type or
    /// when it is already deactivated, [`StoreError::InvalidProblem`] when the unit's data
    /// would contradict itself (an employee limit naming the code).
    pub async fn deactivate_shift_type(
        &self,
        unit: UnitId,
        code: &str,
        expected_row_version: i64,
        change: &Change,
    ) -> Result<ShiftTypeRecord> {
        self.set_keyed_active(unit, code, expected_row_version, false, change).await
    }

    /// Reactivates a deactivated shift type with the values and place in the list it had,
    /// so later solves plan it again.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale `expected_row_version`, [`StoreError::NotFound`]
    /// for an unknown code, [`StoreError::Invalid`] when the shift type is active,
    /// [`StoreError::InvalidProblem`] when the unit's data would contradict itself (a break
    /// that the rules changed since now require).
    pub async fn reactivate_shift_type(
        &self,
        unit: UnitId,
        code: &str,
        expected_row_version: i64,
        change: &Change,
    ) -> Result<ShiftTypeRecord> {
        self.set_keyed_active(unit, code, expected_row_version, true, change).await
    }

    /// Lists a unit's demand rows in the order they were added.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown unit.
    pub async fn list_demand(&self, unit: UnitId) -> Result<Vec<DemandRecord>> {
        let mut tx = self.begin_read().await?;
        fetch_unit(&mut tx.conn, unit, Lock::None).await?;
        let records = fetch_demand(&mut tx.conn, unit, None, Lock::None).await?;
        tx.finish().await?;
        Ok(records)
    }

    /// Reads one demand row.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a row of another unit.
    pub async fn get_demand(&self, unit: UnitId, id: DemandId) -> Result<DemandRecord> {
        let mut tx = self.begin_read().await?;
        let record = fetch_demand_row(&mut tx.conn, unit, id, Lock::None).await?;
        tx.finish().await?;
        Ok(record)
    }

    /// Adds a demand row.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for a shift code the unit has no active shift type for,
    /// [`StoreError::Conflict`] when a row for the same day, shift and skill exists,
    /// [`StoreError::InvalidProblem`] for an ideal below the minimum.
    pub async fn create_demand(
        &self,
        unit: UnitId,
        row: &DemandRow,
        change: &Change,
    ) -> Result<DemandRecord> {
        check_ideal(row)?;
        let mut tx = self.begin_write().await?;
        fetch_unit(&mut tx.conn, unit, Lock::Update).await?;
        let shift = active_shift_id(&mut tx.conn, unit, &row.shift).await?;
        let existing = fetch_demand(&mut tx.conn, unit, None, Lock::None).await?;
        check_demand_unique(&existing, row, None)?;
        let id = on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "INSERT INTO demand_rows (unit_id, day, shift_type_id, skill, min_count, ideal_count, under_weight, \
                 over_weight) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(unit.get())
            .bind(row.day.to_string())
            .bind(shift)
            .bind(&row.skill)
            .bind(i64::from(row.min))
            .bind(i64::from(row.ideal))
            .bind(row.under_weight)
            .bind(row.over_weight)
            .fetch_one(&mut *c)
            .await?
            .i64("id")?
        });
        let id = DemandId(id);
        check_unit(&mut tx.conn, unit).await?;
        let after = fetch_demand_row(&mut tx.conn, unit, id, Lock::None).await?;
        let entry = AuditEntry::new(change, "demand.create", "demand_row", id).unit(unit);
        commit_change(tx, entry, None, &after).await?;
        Ok(after)
    }

    /// Changes a demand row.
    ///
    /// # Errors
    ///
    /// As [`Store::create_demand`], and [`StoreError::Conflict`] for a stale
    /// `expected_row_version`, [`StoreError::NotFound`] for a row of another unit.
    pub async fn update_demand(
        &self,
        unit: UnitId,
        id: DemandId,
        expected_row_version: i64,
        row: &DemandRow,
        change: &Change,
    ) -> Result<DemandRecord> {
        let mut tx = self.begin_write().await?;
        fetch_unit(&mut tx.conn, unit, Lock::Update).await?;
        let before = fetch_demand_row(&mut tx.conn, unit, id, Lock::Update).await?;
        check_row_version("demand row", &id.to_string(), expected_row_version, before.row_version)?;
        check_ideal(row)?;
        let shift = active_shift_id(&mut tx.conn, unit, &row.shift).await?;
        let existing = fetch_demand(&mut tx.conn, unit, None, Lock::None).await?;
        check_demand_unique(&existing, row, Some(id))?;
        on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "UPDATE demand_rows SET day = $1, shift_type_id = $2, skill = $3, min_count = $4, ideal_count = $5, \
                 under_weight = $6, over_weight = $7, row_version = row_version + 1 WHERE id = $8",
            )
            .bind(row.day.to_string())
            .bind(shift)
            .bind(&row.skill)
            .bind(i64::from(row.min))
            .bind(i64::from(row.ideal))
            .bind(row.under_weight)
            .bind(row.over_weight)
            .bind(id.get())
            .execute(&mut *c)
            .await?;
        });
        check_unit(&mut tx.conn, unit).await?;
        let after = fetch_demand_row(&mut tx.conn, unit, id, Lock::None).await?;
        let entry = AuditEntry::new(change, "demand.update", "demand_row", id).unit(unit);
        commit_change(tx, entry, Some(&before), &after).await?;
        Ok(after)
    }

    /// Deletes a demand row; its audit row keeps what it held.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale `expected_row_version`, [`StoreError::NotFound`]
    /// for a row of another unit.
    pub async fn delete_demand(
        &self,
        unit: UnitId,
        id: DemandId,
        expected_row_version: i64,
        change: &Change,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        fetch_unit(&mut tx.conn, unit, Lock::Update).await?;
        let before = fetch_demand_row(&mut tx.conn, unit, id, Lock::Update).await?;
        check_row_version("demand row", &id.to_string(), expected_row_version, before.row_version)?;
        on_conn!(&mut tx.conn, c => {
            sqlx::query("DELETE FROM demand_rows WHERE id = $1").bind(id.get()).execute(&mut *c).await?;
        });
        tx.audit(AuditEntry::new(change, "demand.delete", "demand_row", id).unit(unit).before(&before)?);
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a unit's rule set, naming the unit's row version that the caller read, so
    /// that two editors of the rules never overwrite each other.
    ///
    /// # Errors
    ///
    /// [`StoreError::Conflict`] for a stale `expected_row_version`, [`StoreError::NotFound`]
    /// for an unknown unit, [`StoreError::Invalid`] for a notice period above 365 days,
    /// [`StoreError::InvalidProblem`] when the shift types need breaks under the new rules.
    pub async fn update_rules(
        &self,
        unit: UnitId,
        expected_row_version: i64,
        rules: &RuleSet,
        change: &Change,
    ) -> Result<Unit> {
        let mut tx = self.begin_write().await?;
        let found = fetch_unit(&mut tx.conn, unit, Lock::Update).await?;
        if found.row_version != expected_row_version {
            return Err(StoreError::stale("unit", unit, expected_row_version, found.row_version));
        }
        let before = read_rules(&mut tx.conn, unit).await?;
        write_rules(&mut tx.conn, unit, rules).await?;
        check_unit(&mut tx.conn, unit).await?;
        let after = fetch_unit(&mut tx.conn, unit, Lock::None).await?;
        tx.audit(
            AuditEntry::new(change, "unit.set_rules", "unit", unit)
                .unit(unit)
                .before(&before)?
                .after(rules)?,
        );
        tx.commit().await?;
        Ok(after)
    }
}

/// The steps that employees and shift types share.
impl Store {
    async fn list_keyed<R: KeyedRecord>(&self, unit: UnitId) -> Result<Vec<R>> {
        let mut tx = self.begin_read().await?;
        fetch_unit(&mut tx.conn, unit, Lock::None).await?;
        let records = R::fetch_all(&mut tx.conn, unit, None, Lock::None).await?;
        tx.finish().await?;
        Ok(records.into_iter().map(|(_, record)| record).collect())
    }

    async fn get_keyed<R: KeyedRecord>(&self, unit: UnitId, key: &str) -> Result<R> {
        let mut tx = self.begin_read().await?;
        let (_, record) = fetch_keyed(&mut tx.conn, unit, key, Lock::None).await?;
        tx.finish().await?;
        Ok(record)
    }

    /// Deactivates or reactivates a row and appends the audit row in the same transaction.
    /// The row keeps its values and its place in the unit's list.
    async fn set_keyed_active<R: KeyedRecord>(
        &self,
        unit: UnitId,
        key: &str,
        expected_row_version: i64,
        active: bool,
        change: &Change,
    ) -> Result<R> {
        let mut tx = self.begin_write().await?;
        let (id, before) = fetch_keyed::<R>(&mut tx.conn, unit, key, Lock::Update).await?;
        check_row_version(R::KEYED.name(), key, expected_row_version, before.row_version())?;
        if before.is_active() == active {
            let (row, key) = (R::KEYED, key.to_string());
            let rejection = if active {
                InvalidRequest::AlreadyActive { row, key }
            } else {
                InvalidRequest::AlreadyDeactivated { row, key }
            };
            return Err(StoreError::invalid(rejection));
        }
        if !active {
            R::check_unused(&mut tx.conn, id, key).await?;
        }

        let table = R::KEYED.table();
        let sql = format!("UPDATE {table} SET active = $1, row_version = row_version + 1 WHERE id = $2");
        on_conn!(&mut tx.conn, c => {
            sqlx::query(&sql).bind(active).bind(id).execute(&mut *c).await?;
        });
        check_unit(&mut tx.conn, unit).await?;

        let (_, after) = fetch_keyed::<R>(&mut tx.conn, unit, key, Lock::None).await?;
        let action = R::KEYED.activity_action(active);
        let entry = AuditEntry::new(change, action, R::KEYED.audit_entity(), key).unit(unit);
        commit_change(tx, entry, Some(&before), &after).await?;
        tracing::info!(unit = %unit, row = R::KEYED.name(), key, active, "activity changed");
        Ok(after)
    }
}
