//! Importing a problem and loading it back exactly, re-imports, rule sets and pins.

use std::path::Path;

use jiff::civil::date;
use turnus_core::{Pin, Preset, Problem, RuleId, RuleSet};
use turnus_store::{PeriodState, StoreError, UnitId};

use crate::common::{TestDb, backend_tests, system, unit};

backend_tests!(
    sample_bundle_round_trips,
    lss_bundle_round_trips,
    reimport_updates_unit,
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
