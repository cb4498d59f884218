//! Editing a unit's staff, shift types, demand and rules row by row: audit rows, row
//! versions, deactivation that keeps history valid, and validation of the whole unit.

use jiff::civil::{date, time};
use turnus_core::{DemandDay, DemandRow, Employee, ProblemError, ShiftType, SkillGrant};
use turnus_store::{AuditQuery, DemandId, InvalidRequest, Keyed, PeriodId, StoreError, UnitId};

use crate::common::{TestDb, backend_tests, system, unit};
use crate::problem::read_example;

backend_tests!(
    employee_lifecycle,
    employee_edits_conflict_and_validate,
    deactivated_employee_keeps_history,
    deactivated_employee_reactivated,
    shift_type_lifecycle,
    deactivated_shift_type_reactivated,
    shift_type_reactivation_validated,
    demand_lifecycle,
    rules_update_with_row_version,
    unit_data_scoped_to_unit,
);

async fn imported(db: &TestDb) -> (UnitId, PeriodId) {
    let (_, created) = unit(&db.store).await;
    let problem = read_example("sarskilt-boende");
    let period = db.store.import_problem(created.id, &problem, &system()).await.unwrap();
    (created.id, period.id)
}

fn new_employee(id: &str) -> Employee {
    Employee {
        id: id.into(),
        name: "Sara Holm".into(),
        employment_basis_points: 8000,
        full_time_minutes: Some(2295),
        skills: vec!["usk".into()],
        night_worker: false,
        limits: Default::default(),
    }
}

async fn audit_actions(db: &TestDb, entity: &str, id: &str) -> Vec<String> {
    let query = AuditQuery { entity: Some((entity.into(), id.into())), ..Default::default() };
    db.store.list_audit(&query).await.unwrap().into_iter().map(|r| r.action).collect()
}

async fn staff_order(db: &TestDb, unit: UnitId) -> Vec<String> {
    db.store.list_employees(unit).await.unwrap().into_iter().map(|e| e.employee.id).collect()
}

async fn employee_lifecycle(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let before = db.store.list_employees(unit).await.unwrap().len();

    let grant = SkillGrant {
        employee: "2001".into(),
        skill: "delegering".into(),
        valid_from: date(2027, 1, 1),
        valid_to: date(2027, 12, 31),
    };
    let created = db
        .store
        .create_employee(unit, &new_employee("2001"), std::slice::from_ref(&grant), &system())
        .await
        .unwrap();
    assert_eq!(created.row_version, 1);
    assert!(created.active);
    assert_eq!(created.skill_grants, vec![grant.clone()]);
    let listed = db.store.list_employees(unit).await.unwrap();
    assert_eq!(listed.len(), before + 1);
    assert_eq!(listed[before], created);

    let mut changed = created.employee.clone();
    changed.employment_basis_points = 5050;
    changed.night_worker = true;
    changed.skills.push("natt".into());
    let updated = db.store.update_employee(unit, "2001", 1, &changed, &[], &system()).await.unwrap();
    assert_eq!(updated.row_version, 2);
    assert_eq!(updated.employee, changed);
    assert!(updated.skill_grants.is_empty());

    // A solve of the open period plans the new employee with the new values.
    let problem = db.store.load_problem(unit, period).await.unwrap();
    assert_eq!(problem.employees.last(), Some(&changed));

    let audit = db
        .store
        .list_audit(&AuditQuery { entity: Some(("employee".into(), "2001".into())), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(
        audit.iter().map(|r| r.action.as_str()).collect::<Vec<_>>(),
        ["employee.create", "employee.update"]
    );
    assert!(audit[1].before_json.as_deref().unwrap().contains("8000"), "{:?}", audit[1].before_json);
    assert!(audit[1].after_json.as_deref().unwrap().contains("5050"), "{:?}", audit[1].after_json);
    assert!(db.store.verify_audit().await.unwrap().is_intact());
}

async fn employee_edits_conflict_and_validate(db: &TestDb) {
    let (unit, _) = imported(db).await;
    let current = db.store.get_employee(unit, "1004").await.unwrap();

    let mut first = current.employee.clone();
    first.employment_basis_points = 9000;
    db.store
        .update_employee(unit, "1004", current.row_version, &first, &current.skill_grants, &system())
        .await
        .unwrap();

    // A second editor still has the old row version.
    let mut second = current.employee.clone();
    second.name = "Erik N".into();
    let err = db
        .store
        .update_employee(unit, "1004", current.row_version, &second, &current.skill_grants, &system())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { current_row_version: Some(v), .. } if v == current.row_version + 1),
        "{err}"
    );

    // An employment degree above 100 % is rejected as an import rejects it, and nothing is written.
    let fresh = db.store.get_employee(unit, "1004").await.unwrap();
    let mut bad = fresh.employee.clone();
    bad.employment_basis_points = 10_001;
    let err =
        db.store.update_employee(unit, "1004", fresh.row_version, &bad, &[], &system()).await.unwrap_err();
    let StoreError::InvalidProblem(errors) = err else { panic!("expected an invalid problem: {err}") };
    assert_eq!(errors, vec![ProblemError::EmploymentOutOfRange { id: "1004".into() }]);
    assert_eq!(db.store.get_employee(unit, "1004").await.unwrap(), fresh);

    // A dated skill that ends before it starts.
    let reversed = SkillGrant {
        employee: "1004".into(),
        skill: "delegering".into(),
        valid_from: date(2027, 6, 1),
        valid_to: date(2027, 5, 1),
    };
    let err = db
        .store
        .update_employee(unit, "1004", fresh.row_version, &fresh.employee, &[reversed], &system())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::InvalidProblem(ref e) if matches!(e[..], [ProblemError::SkillGrantReversed { .. }])),
        "{err}"
    );

    let err = db.store.create_employee(unit, &new_employee("1004"), &[], &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let err = db
        .store
        .update_employee(unit, "1004", fresh.row_version, &new_employee("9999"), &[], &system())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(InvalidRequest::KeyChange { row: Keyed::Employee, .. })),
        "{err}"
    );
    assert_eq!(audit_actions(db, "employee", "1004").await, ["employee.update"]);
}

async fn deactivated_employee_keeps_history(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let current = db.store.get_employee(unit, "1002").await.unwrap();
    let problem = db.store.load_problem(unit, period).await.unwrap();
    assert!(
        problem.wishes.iter().any(|w| w.employee == "1002")
            || problem.absences.iter().any(|a| a.employee == "1002")
    );

    let deactivated =
        db.store.deactivate_employee(unit, "1002", current.row_version, &system()).await.unwrap();
    assert!(!deactivated.active);
    let err =
        db.store.deactivate_employee(unit, "1002", deactivated.row_version, &system()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(InvalidRequest::AlreadyDeactivated { row: Keyed::Employee, .. })),
        "{err}"
    );

    // The period's problem leaves the employee and their rows out and stays valid.
    let problem = db.store.load_problem(unit, period).await.unwrap();
    assert!(problem.employees.iter().all(|e| e.id != "1002"));
    assert!(problem.wishes.iter().all(|w| w.employee != "1002"));
    assert!(problem.absences.iter().all(|a| a.employee != "1002"));
    assert_eq!(problem.validate(), vec![]);

    // The list still shows them, last and inactive; adding the id again brings them back.
    let listed = db.store.list_employees(unit).await.unwrap();
    assert_eq!(listed.last().map(|r| (r.employee.id.as_str(), r.active)), Some(("1002", false)));
    let back =
        db.store.create_employee(unit, &current.employee, &current.skill_grants, &system()).await.unwrap();
    assert!(back.active);
    assert_eq!(back.row_version, deactivated.row_version + 1);
    assert_eq!(audit_actions(db, "employee", "1002").await, ["employee.deactivate", "employee.create"]);
}

async fn deactivated_employee_reactivated(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let order = staff_order(db, unit).await;
    let current = db.store.get_employee(unit, "1002").await.unwrap();
    let err = db.store.reactivate_employee(unit, "1002", current.row_version, &system()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(InvalidRequest::AlreadyActive { row: Keyed::Employee, ref key }) if key == "1002"),
        "{err}"
    );

    let deactivated =
        db.store.deactivate_employee(unit, "1002", current.row_version, &system()).await.unwrap();
    let err = db.store.reactivate_employee(unit, "1002", current.row_version, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { current_row_version: Some(_), .. }), "{err}");

    let back = db.store.reactivate_employee(unit, "1002", deactivated.row_version, &system()).await.unwrap();
    assert!(back.active);
    assert_eq!(back.row_version, deactivated.row_version + 1);
    assert_eq!(back.employee, current.employee);
    assert_eq!(back.skill_grants, current.skill_grants);
    assert_eq!(staff_order(db, unit).await, order, "the employee keeps their place in the list");
    let problem = db.store.load_problem(unit, period).await.unwrap();
    assert!(problem.employees.iter().any(|e| e.id == "1002"));
    assert_eq!(audit_actions(db, "employee", "1002").await, ["employee.deactivate", "employee.reactivate"]);
}

async fn shift_type_lifecycle(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let shift = ShiftType {
        code: "M".into(),
        name: "Mellan".into(),
        start: time(10, 0, 0, 0),
        end: time(18, 30, 0, 0),
        break_minutes: 30,
        skill: None,
        cannot_follow: Vec::new(),
    };
    let created = db.store.create_shift_type(unit, &shift, &system()).await.unwrap();
    assert_eq!((created.row_version, created.active), (1, true));

    // More than 5 h without a break breaks ATL §15, as in shifts.csv.
    let mut no_break = shift.clone();
    no_break.break_minutes = 0;
    let err = db.store.update_shift_type(unit, "M", 1, &no_break, &system()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::InvalidProblem(ref e) if e == &[ProblemError::MissingBreak { code: "M".into(), max_minutes: 300 }]),
        "{err}"
    );

    let mut later = shift.clone();
    later.end = time(19, 0, 0, 0);
    let updated = db.store.update_shift_type(unit, "M", 1, &later, &system()).await.unwrap();
    assert_eq!(updated.shift_type, later);
    let err = db.store.update_shift_type(unit, "M", 1, &later, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { current_row_version: Some(2), .. }), "{err}");

    // A shift type with demand rows cannot go; one without can.
    let day = db.store.get_shift_type(unit, "D").await.unwrap();
    let err = db.store.deactivate_shift_type(unit, "D", day.row_version, &system()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(InvalidRequest::ShiftTypeInUse { ref code, demand_rows }) if code == "D" && demand_rows > 0),
        "{err}"
    );
    let gone = db.store.deactivate_shift_type(unit, "M", 2, &system()).await.unwrap();
    assert!(!gone.active);
    let problem = db.store.load_problem(unit, period).await.unwrap();
    assert!(problem.shift_types.iter().all(|s| s.code != "M"));
    assert_eq!(
        audit_actions(db, "shift_type", "M").await,
        ["shift_type.create", "shift_type.update", "shift_type.deactivate"]
    );
}

fn shift_type(code: &str, start: (i8, i8), end: (i8, i8), break_minutes: u32) -> ShiftType {
    ShiftType {
        code: code.into(),
        name: format!("Pass {code}"),
        start: time(start.0, start.1, 0, 0),
        end: time(end.0, end.1, 0, 0),
        break_minutes,
        skill: None,
        cannot_follow: Vec::new(),
    }
}

async fn shift_order(db: &TestDb, unit: UnitId) -> Vec<String> {
    db.store.list_shift_types(unit).await.unwrap().into_iter().map(|s| s.shift_type.code).collect()
}

async fn deactivated_shift_type_reactivated(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let middle = shift_type("M", (10, 0), (18, 30), 30);
    let created = db.store.create_shift_type(unit, &middle, &system()).await.unwrap();
    db.store.create_shift_type(unit, &shift_type("M2", (11, 0), (19, 30), 30), &system()).await.unwrap();
    let order = shift_order(db, unit).await;

    let err = db.store.reactivate_shift_type(unit, "M", created.row_version, &system()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(InvalidRequest::AlreadyActive { row: Keyed::ShiftType, ref key }) if key == "M"),
        "{err}"
    );
    let err = db.store.reactivate_shift_type(unit, "X", 1, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");

    let deactivated =
        db.store.deactivate_shift_type(unit, "M", created.row_version, &system()).await.unwrap();
    assert_eq!(
        shift_order(db, unit).await.last().map(String::as_str),
        Some("M"),
        "listed last while inactive"
    );
    let err = db.store.reactivate_shift_type(unit, "M", created.row_version, &system()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Conflict { current_row_version: Some(v), .. } if v == deactivated.row_version),
        "{err}"
    );

    let back = db.store.reactivate_shift_type(unit, "M", deactivated.row_version, &system()).await.unwrap();
    assert!(back.active);
    assert_eq!(back.row_version, deactivated.row_version + 1);
    assert_eq!(back.shift_type, middle);
    assert_eq!(shift_order(db, unit).await, order, "the shift type keeps its place in the list");
    let problem = db.store.load_problem(unit, period).await.unwrap();
    assert!(problem.shift_types.contains(&middle));

    // The audit row is written with the change and contains the row before and after.
    let query = AuditQuery { entity: Some(("shift_type".into(), "M".into())), ..Default::default() };
    let audit = db.store.list_audit(&query).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["shift_type.create", "shift_type.deactivate", "shift_type.reactivate"]);
    let reactivation = &audit[2];
    assert_eq!(reactivation.unit_id, Some(unit));
    assert!(reactivation.before_json.as_deref().unwrap().contains("\"active\":false"), "{reactivation:?}");
    assert!(reactivation.after_json.as_deref().unwrap().contains("\"active\":true"), "{reactivation:?}");
    assert!(db.store.verify_audit().await.unwrap().is_intact());
}

/// Checks a shift type that was deactivated before the rules changed against the new rules
/// when it comes back. A rejected reactivation leaves the row and the audit log as they were.
async fn shift_type_reactivation_validated(db: &TestDb) {
    let (unit, _) = imported(db).await;
    let mut rules = db.store.get_rules(unit).await.unwrap();
    rules.set_number("max_work_without_break_hours", 6.0).unwrap();
    let current = db.store.get_unit(unit).await.unwrap();
    let loose = db.store.update_rules(unit, current.row_version, &rules, &system()).await.unwrap();

    // 5.5 h without a break is allowed under a 6 h limit.
    let long = shift_type("L", (10, 0), (15, 30), 0);
    let created = db.store.create_shift_type(unit, &long, &system()).await.unwrap();
    let deactivated =
        db.store.deactivate_shift_type(unit, "L", created.row_version, &system()).await.unwrap();
    rules.set_number("max_work_without_break_hours", 5.0).unwrap();
    db.store.update_rules(unit, loose.row_version, &rules, &system()).await.unwrap();

    let err =
        db.store.reactivate_shift_type(unit, "L", deactivated.row_version, &system()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::InvalidProblem(ref e) if e == &[ProblemError::MissingBreak { code: "L".into(), max_minutes: 300 }]),
        "{err}"
    );
    assert_eq!(db.store.get_shift_type(unit, "L").await.unwrap(), deactivated);
    assert_eq!(audit_actions(db, "shift_type", "L").await, ["shift_type.create", "shift_type.deactivate"]);
}

async fn demand_lifecycle(db: &TestDb) {
    let (unit, period) = imported(db).await;
    let before = db.store.list_demand(unit).await.unwrap();
    let row = DemandRow {
        day: DemandDay::Date(date(2027, 4, 2)),
        shift: "K".into(),
        skill: Some("usk".into()),
        min: 2,
        ideal: 3,
        under_weight: None,
        over_weight: None,
    };
    let created = db.store.create_demand(unit, &row, &system()).await.unwrap();
    assert_eq!(created.demand, row);
    assert_eq!(db.store.list_demand(unit).await.unwrap().len(), before.len() + 1);
    assert!(db.store.load_problem(unit, period).await.unwrap().demand.contains(&row));

    let err = db.store.create_demand(unit, &row, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    let mut unknown = row.clone();
    unknown.shift = "X".into();
    let err = db.store.create_demand(unit, &unknown, &system()).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(InvalidRequest::UnknownShiftType { ref code }) if code == "X"),
        "{err}"
    );
    let mut below = row.clone();
    below.ideal = 1;
    let err = db.store.update_demand(unit, created.id, 1, &below, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidProblem(_)), "{err}");

    let mut more = row.clone();
    more.min = 3;
    let updated = db.store.update_demand(unit, created.id, 1, &more, &system()).await.unwrap();
    assert_eq!(updated.row_version, 2);
    let err = db.store.delete_demand(unit, created.id, 1, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
    db.store.delete_demand(unit, created.id, 2, &system()).await.unwrap();
    assert_eq!(db.store.list_demand(unit).await.unwrap(), before);
    assert_eq!(
        audit_actions(db, "demand_row", &created.id.to_string()).await,
        ["demand.create", "demand.update", "demand.delete"]
    );
}

async fn rules_update_with_row_version(db: &TestDb) {
    let (unit, _) = imported(db).await;
    let current = db.store.get_unit(unit).await.unwrap();
    let mut rules = db.store.get_rules(unit).await.unwrap();
    rules.set_number("max_consecutive_days", 5.0).unwrap();
    let updated = db.store.update_rules(unit, current.row_version, &rules, &system()).await.unwrap();
    assert_eq!(updated.row_version, current.row_version + 1);
    assert_eq!(db.store.get_rules(unit).await.unwrap(), rules);

    let err = db.store.update_rules(unit, current.row_version, &rules, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict { .. }), "{err}");

    // A longer break-free limit is fine, a shorter one makes the 5 h D5 shift need a break.
    rules.set_number("max_work_without_break_hours", 4.0).unwrap();
    let err = db.store.update_rules(unit, updated.row_version, &rules, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::InvalidProblem(_)), "{err}");
    assert_eq!(db.store.get_unit(unit).await.unwrap().row_version, updated.row_version);
}

async fn unit_data_scoped_to_unit(db: &TestDb) {
    let (unit, _) = imported(db).await;
    let (_, other) = crate::common::unit(&db.store).await;
    let err = db.store.get_employee(other.id, "1001").await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    let err = db.store.get_shift_type(other.id, "D").await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    let demand = db.store.list_demand(unit).await.unwrap();
    let err = db.store.get_demand(other.id, demand[0].id).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    let err = db.store.delete_demand(other.id, demand[0].id, 1, &system()).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert_eq!(db.store.get_demand(unit, DemandId(demand[0].id.get())).await.unwrap(), demand[0]);
    assert!(db.store.list_employees(other.id).await.unwrap().is_empty());
}
