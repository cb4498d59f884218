//! Importing a problem and loading it back exactly, re-imports, rule sets and pins.

use std::path::Path;

use jiff::civil::date;
use turnus_core::{Pin, Preset, Problem, RuleId, RuleSet};
use turnus_store::{AuditQuery, PeriodState, StoreError, UnitId};

use crate::common::{TestDb, backend_tests, system, unit};

backend_tests!(
    sample_bundle_round_trips,
    lss_bundle_round_trips,
    reimport_updates_unit,
    reimport_renames_and_deactivates,
    invalid_problem_rejected,
    rules_round_trip,
    pins_set_and_removed,
    other_unit_period_not_found,
);

pub fn read_example(name: &str) -> Problem {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(name);
    let (problem, _warnings) = turnus_io::read_bundle(&dir).expect("example bundle reads");
    problem
}

async fn sample_bundle_round_trips(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let problem = read_example("sarskilt-boende");
    assert!(!problem.wishes.is_empty() && !problem.skill_grants.is_empty() && problem.history.is_some());

    let period = db.store.import_problem(created.id, &problem, &system()).await.unwrap();
    assert_eq!(period.state, PeriodState::Draft);
    assert_eq!(period.start, problem.unit.period.start);

    let loaded = db.store.load_problem(created.id, period.id).await.unwrap();
    assert_eq!(loaded.unit, problem.unit);
    assert_eq!(loaded.rules, problem.rules);
    assert_eq!(loaded.employees, problem.employees);
    assert_eq!(loaded.shift_types, problem.shift_types);
    assert_eq!(loaded.demand, problem.demand);
    assert_eq!(loaded.wishes, problem.wishes);
    assert_eq!(loaded.absences, problem.absences);
    assert_eq!(loaded.skill_grants, problem.skill_grants);
    assert_eq!(loaded.history, problem.history);
    assert_eq!(loaded.pins, problem.pins);
    assert_eq!(loaded, problem);

    let audit = db.store.list_audit(&Default::default()).await.unwrap();
    assert_eq!(audit.last().unwrap().action, "period.import");
}

async fn lss_bundle_round_trips(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let problem = read_example("lss-boende");
    let period = db.store.import_problem(created.id, &problem, &system()).await.unwrap();
    assert_eq!(db.store.load_problem(created.id, period.id).await.unwrap(), problem);
}

/// A second import updates staff and shift types in place and drops those it lacks from
/// the unit's new problems.
async fn reimport_updates_unit(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let first = read_example("sarskilt-boende");
    db.store.import_problem(created.id, &first, &system()).await.unwrap();

    let mut second = first.clone();
    let removed = second.employees.pop().unwrap();
    second.wishes.retain(|w| w.employee != removed.id);
    second.absences.retain(|a| a.employee != removed.id);
    second.skill_grants.retain(|g| g.employee != removed.id);
    second.pins.retain(|p| p.employee != removed.id);
    if let Some(history) = &mut second.history {
        history.retain(|h| h.employee != removed.id);
    }
    second.employees[0].name = "Anna Lindqvist-Berg".into();
    second.unit.period.start = date(2027, 4, 26);
    second.wishes.clear();
    second.pins.clear();
    second.history = None;

    let period = db.store.import_problem(created.id, &second, &system()).await.unwrap();
    assert!(!period.history_known);
    let loaded = db.store.load_problem(created.id, period.id).await.unwrap();
    assert_eq!(loaded, second);
    assert_eq!(db.store.list_periods(created.id).await.unwrap().len(), 2);
}

/// Checks that an import into a unit that has data renames the unit to the bundle's name,
/// deactivates the employees and shift types that the bundle lacks, and deletes those
/// employees' skills, all without audit rows of their own, as docs/api.md states.
async fn reimport_renames_and_deactivates(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let first = read_example("sarskilt-boende");
    let first_period = db.store.import_problem(created.id, &first, &system()).await.unwrap();
    let kept_id = first.employees[0].id.clone();
    let kept_before = db.store.get_employee(created.id, &kept_id).await.unwrap();

    // The second bundle has another name and lacks the last employee and the shift type D5.
    let mut second = first.clone();
    second.unit.name = "Björkens äldreboende, avdelning 2".into();
    second.unit.period.start = date(2027, 4, 26);
    let removed = second.employees.pop().unwrap();
    assert!(!removed.skills.is_empty(), "the removed employee has skills before the import");
    second.absences.retain(|a| a.employee != removed.id);
    second.skill_grants.retain(|g| g.employee != removed.id);
    second.shift_types.retain(|s| s.code != "D5");
    for shift in &mut second.shift_types {
        shift.cannot_follow.retain(|code| code != "D5");
    }
    second.demand.retain(|d| d.shift != "D5");
    second.wishes.clear();
    second.pins.clear();
    second.history = None;
    db.store.import_problem(created.id, &second, &system()).await.unwrap();

    assert_eq!(db.store.get_unit(created.id).await.unwrap().name, "Björkens äldreboende, avdelning 2");
    let deactivated = db.store.get_employee(created.id, &removed.id).await.unwrap();
    assert!(!deactivated.active);
    assert!(deactivated.employee.skills.is_empty(), "{deactivated:?}");
    assert!(deactivated.skill_grants.is_empty(), "{deactivated:?}");
    let kept = db.store.get_employee(created.id, &kept_id).await.unwrap();
    assert!(kept.active);
    assert_eq!(kept.row_version, kept_before.row_version + 1);
    assert!(!db.store.get_shift_type(created.id, "D5").await.unwrap().active);
    assert_eq!(db.store.get_period(created.id, first_period.id).await.unwrap(), first_period);

    let query = AuditQuery { entity: Some(("employee".into(), removed.id.clone())), ..Default::default() };
    assert!(db.store.list_audit(&query).await.unwrap().is_empty(), "no audit row of its own");

    // Reactivating brings the employee back without the skills the import deleted.
    let back = db
        .store
        .reactivate_employee(created.id, &removed.id, deactivated.row_version, &system())
        .await
        .unwrap();
    assert!(back.active);
    assert!(back.employee.skills.is_empty());
}

async fn invalid_problem_rejected(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let mut problem = read_example("sarskilt-boende");
    problem.wishes[0].employee = "no-such-employee".into();
    problem.shift_types.push(problem.shift_types[0].clone());
    let err = db.store.import_problem(created.id, &problem, &system()).await.unwrap_err();
    let StoreError::InvalidProblem(errors) = err else { panic!("expected InvalidProblem, got {err}") };
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(db.store.list_periods(created.id).await.unwrap().is_empty());
}

async fn rules_round_trip(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    assert_eq!(db.store.get_rules(created.id).await.unwrap(), RuleSet::preset(Preset::Ab));

    let mut rules = RuleSet::preset(Preset::Atl);
    rules.set_number("daily_rest_hours", 9.0).unwrap();
    rules.set_pair("days_off", 8, 28).unwrap();
    rules.set_weight("S1", 400).unwrap();
    rules.set_enabled(RuleId::H8, false);
    rules.set_night_work("hard").unwrap();
    rules.params.publish_notice_days = 21;
    db.store.set_rules(created.id, &rules, &system()).await.unwrap();

    assert_eq!(db.store.get_rules(created.id).await.unwrap(), rules);
    let stored = db.store.get_unit(created.id).await.unwrap();
    assert_eq!(stored.preset, Preset::Atl);
    assert_eq!(stored.publish_notice_days, 21);
}

async fn pins_set_and_removed(db: &TestDb) {
    let (_, created) = unit(&db.store).await;
    let mut problem = read_example("sarskilt-boende");
    problem.pins.clear();
    let period = db.store.import_problem(created.id, &problem, &system()).await.unwrap();
    let employee = problem.employees[0].id.clone();
    let day = problem.unit.period.start;

    let pin = Pin { employee: employee.clone(), date: day, shift: Some("D".into()) };
    db.store.set_pin(created.id, period.id, &pin, &system()).await.unwrap();
    let off = Pin { employee: employee.clone(), date: day, shift: None };
    db.store.set_pin(created.id, period.id, &off, &system()).await.unwrap();
    assert_eq!(db.store.load_problem(created.id, period.id).await.unwrap().pins, vec![off]);

    let outside = Pin { employee: employee.clone(), date: date(2020, 1, 1), shift: None };
    assert!(matches!(
        db.store.set_pin(created.id, period.id, &outside, &system()).await,
        Err(StoreError::Invalid(_))
    ));
    let unknown = Pin { employee: employee.clone(), date: day, shift: Some("XX".into()) };
    assert!(matches!(
        db.store.set_pin(created.id, period.id, &unknown, &system()).await,
        Err(StoreError::Invalid(_))
    ));

    db.store.remove_pin(created.id, period.id, &employee, day, &system()).await.unwrap();
    assert!(db.store.load_problem(created.id, period.id).await.unwrap().pins.is_empty());
}

async fn other_unit_period_not_found(db: &TestDb) {
    let (org, created) = unit(&db.store).await;
    let problem = read_example("sarskilt-boende");
    let period = db.store.import_problem(created.id, &problem, &system()).await.unwrap();
    let other = turnus_store::NewUnit {
        name: "Annan".into(),
        time_zone: "Europe/Stockholm".into(),
        preset: Preset::Ab,
    };
    let other = db.store.create_unit(org, &other, &system()).await.unwrap();

    let err = db.store.load_problem(other.id, period.id).await.unwrap_err();
    assert!(matches!(err, StoreError::NotFound { .. }), "{err}");
    assert!(matches!(
        db.store.get_period(UnitId(other.id.get()), period.id).await,
        Err(StoreError::NotFound { .. })
    ));
}
