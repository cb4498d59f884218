//! The form readers: one staff, shift or demand row, or the rule overrides, read with the
//! bundle's messages and the field of each error.

use turnus_core::{DemandDay, Preset, ProblemError, RuleSet};
use turnus_io::{
    FormFields, read_demand_form, read_employee_form, read_rules_form, read_shift_form, unit_data_error,
};

fn fields(pairs: &[(&str, &str)]) -> FormFields {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn employee_form_reads_csv_values() {
    let staff = fields(&[
        ("id", "2001"),
        ("name", "Sara Holm"),
        ("employment_percent", "75,5"),
        ("full_time_hours", "38.25"),
        ("skills", "usk|nattvana|usk"),
        ("night_worker", "ja"),
    ]);
    let grants =
        [fields(&[("skill", "delegering"), ("valid_from", "2027-01-01"), ("valid_to", "2027-06-30")])];
    let (employee, grants) = read_employee_form(&staff, &grants).unwrap();
    assert_eq!(employee.employment_basis_points, 7550);
    assert_eq!(employee.full_time_minutes, Some(2295));
    assert_eq!(employee.skills, ["usk", "nattvana"]);
    assert!(employee.night_worker);
    assert_eq!(grants[0].employee, "2001");
    assert_eq!(grants[0].valid_to.to_string(), "2027-06-30");
}

#[test]
fn employee_form_errors_name_fields() {
    let staff = fields(&[("id", "2001"), ("name", ""), ("employment_percent", "101"), ("colour", "red")]);
    let grants = [fields(&[("skill", "delegering"), ("valid_from", "46083"), ("valid_to", "2027-06-30")])];
    let errors = read_employee_form(&staff, &grants).unwrap_err().errors;
    let named: Vec<_> = errors.iter().map(|e| e.column.as_deref().unwrap_or("")).collect();
    assert_eq!(named, ["colour", "name", "employment_percent", "skill_grants[0].valid_from"]);
    assert!(errors.iter().all(|e| e.line.is_none()));
    assert_eq!(errors[2].value.as_deref(), Some("101"));
    assert_eq!(errors[2].message_sv, "sysselsättningsgraden ska vara 1–100 procent, t.ex. 75,5");
    assert!(errors[3].message_en.contains("2026-03-02"), "{}", errors[3].message_en);
}

#[test]
fn shift_and_demand_forms() {
    let rules = RuleSet::preset(Preset::Ab);
    let shift = read_shift_form(
        &fields(&[("code", "M"), ("name", "Mellan"), ("start", "10:00"), ("end", "14:00")]),
        &rules,
    )
    .unwrap();
    assert_eq!(shift.break_minutes, 0);
    let errors = read_shift_form(
        &fields(&[("code", "M"), ("name", "Mellan"), ("start", "24:00"), ("end", "7")]),
        &rules,
    )
    .unwrap_err();
    let named: Vec<_> = errors.errors.iter().map(|e| e.column.clone().unwrap_or_default()).collect();
    assert_eq!(named, ["start", "end"]);

    let demand = read_demand_form(&fields(&[("day", "lör"), ("shift", "D"), ("min", "2")])).unwrap();
    assert_eq!(demand.day, DemandDay::Weekday(jiff::civil::Weekday::Saturday));
    assert_eq!(demand.ideal, 2);
    let errors = read_demand_form(&fields(&[("day", "someday"), ("shift", ""), ("min", "-1")])).unwrap_err();
    assert_eq!(errors.errors.len(), 3);
}

#[test]
fn rules_form_applies_overrides() {
    let current = RuleSet::preset(Preset::Ab);
    let rules = fields(&[
        ("daily_rest_hours", "11,5"),
        ("weekends.max", "2"),
        ("weekends.of", "3"),
        ("night_work", "hard"),
        ("history_days", ""),
    ]);
    let read = read_rules_form("ab", &rules, &fields(&[("S4", "25")]), &current).unwrap();
    assert_eq!(read.params.daily_rest_minutes, 690);
    assert_eq!((read.params.weekends_max, read.params.weekends_of), (2, 3));
    assert_eq!(read.weights.wish, 25);
    assert_eq!(read.params.history_days, current.params.history_days);

    let bad = fields(&[("daily_rest_hours", "elva"), ("days_off.min", "9"), ("days_off.per", "0")]);
    let errors = read_rules_form("xyz", &bad, &fields(&[("S99", "1")]), &current).unwrap_err().errors;
    let mut named: Vec<_> = errors.iter().map(|e| e.column.clone().unwrap_or_default()).collect();
    named.sort();
    assert_eq!(named, ["S99", "daily_rest_hours", "days_off", "preset"]);
}

#[test]
fn contradictions_come_with_field_errors() {
    let rules = RuleSet::preset(Preset::Ab);
    let shift = fields(&[
        ("code", "M"),
        ("name", ""),
        ("start", "10:00"),
        ("end", "18:30"),
        ("break_minutes", "600"),
    ]);
    let errors = read_shift_form(&shift, &rules).unwrap_err().errors;
    let named: Vec<_> = errors.iter().map(|e| e.column.as_deref().unwrap_or("")).collect();
    assert_eq!(named, ["name", "break_minutes"]);
    assert!(errors[1].message_sv.starts_with("pass M: rasten på 600 min"), "{}", errors[1].message_sv);

    let no_break = fields(&[("code", "M"), ("name", ""), ("start", "10:00"), ("end", "18:30")]);
    let errors = read_shift_form(&no_break, &rules).unwrap_err().errors;
    let named: Vec<_> = errors.iter().map(|e| e.column.as_deref().unwrap_or("")).collect();
    assert_eq!(named, ["name", "break_minutes"]);
    assert!(errors[1].message_sv.contains("ATL §15"), "{}", errors[1].message_sv);

    // The unit's own limit of work without a break applies, not the preset's.
    let mut long_limit = rules.clone();
    long_limit.params.max_work_without_break_minutes = 9 * 60;
    let named = fields(&[("code", "M"), ("name", "Mellan"), ("start", "10:00"), ("end", "18:30")]);
    assert!(read_shift_form(&named, &long_limit).is_ok());

    // An unreadable break is reported once, not also as missing.
    let unreadable = fields(&[
        ("code", "M"),
        ("name", "Mellan"),
        ("start", "10:00"),
        ("end", "18:30"),
        ("break_minutes", "halv"),
    ]);
    let errors = read_shift_form(&unreadable, &rules).unwrap_err().errors;
    assert_eq!(errors.len(), 1, "{errors:?}");

    let demand = fields(&[("day", "someday"), ("shift", "D"), ("min", "3"), ("ideal", "2")]);
    let errors = read_demand_form(&demand).unwrap_err().errors;
    let named: Vec<_> = errors.iter().map(|e| e.column.as_deref().unwrap_or("")).collect();
    assert_eq!(named, ["day", "ideal"]);
    let valid_day = fields(&[("day", "mon"), ("shift", "D"), ("min", "3"), ("ideal", "2")]);
    let errors = read_demand_form(&valid_day).unwrap_err().errors;
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].column.as_deref(), Some("ideal"));

    let staff = fields(&[("id", "2001"), ("name", ""), ("employment_percent", "100")]);
    let grants =
        [fields(&[("skill", "delegering"), ("valid_from", "2027-06-30"), ("valid_to", "2027-01-01")])];
    let errors = read_employee_form(&staff, &grants).unwrap_err().errors;
    let named: Vec<_> = errors.iter().map(|e| e.column.as_deref().unwrap_or("")).collect();
    assert_eq!(named, ["name", "skill_grants[0].valid_to"]);
}

#[test]
fn unit_errors_point_at_fields() {
    let error = unit_data_error(&ProblemError::MissingBreak { code: "M".into(), max_minutes: 330 });
    assert_eq!((error.file.as_str(), error.column.as_deref()), ("shifts.csv", Some("break_minutes")));
    assert!(error.message_sv.starts_with("pass M: "), "{}", error.message_sv);
    assert!(error.message_sv.contains("ATL §15"));
    assert!(error.message_sv.contains("längre än 5,5 timmar"), "{}", error.message_sv);
    let error = unit_data_error(&ProblemError::IdealBelowMin { code: "D".into(), min: 3, ideal: 2 });
    assert_eq!((error.column.as_deref(), error.value.as_deref()), (Some("ideal"), Some("2")));
}
