//! Forms that edit one entity of a unit: an employee with their dated skills, a shift type,
//! a demand row, or the rule overrides. Each form is read by the bundle reader's own row
//! code, so it accepts the same values and gives the same messages as an imported file.
//! An error names the field (the bundle column, or the `[rules]` key) and the value; it has
//! no line.

use std::collections::BTreeMap;

use toml::Value;
use turnus_core::{DemandRow, Employee, Preset, Problem, ProblemError, RuleSet, ShiftType, SkillGrant};

use super::cells::parse_count;
use super::files::{
    DEMAND, SHIFTS, SKILLS, STAFF, Sources, read_demand, read_shifts, read_skill_grants, read_staff,
};
use super::table::{Column, Table};
use super::unit::{UnitInfo, read_unit};
use super::{Msg, problem_error_text};
use crate::error::{InputError, InputErrors};

/// A form's values as text, keyed by field name. The field names are the bundle's English
/// column names (`employment_percent`, `break_minutes`, `ideal`).
pub type FormFields = BTreeMap<String, String>;

/// Reads one row of `columns` from `fields` with `read`, which appends what it reads to a
/// scratch problem. Returns the problem with what could be read, and every error with its
/// line removed.
fn read_row(
    file: &str,
    columns: &'static [Column],
    fields: &FormFields,
    read: impl FnOnce(&Table, &mut Problem, &mut Sources, &mut Vec<InputError>),
) -> (Problem, Sources, Vec<InputError>) {
    let mut errors = Vec::new();
    let table = Table::from_fields(file, columns, fields, &mut errors);
    let info = UnitInfo::placeholder();
    let mut problem = Problem {
        unit: info.unit,
        rules: info.rules,
        employees: Vec::new(),
        shift_types: Vec::new(),
        demand: Vec::new(),
        wishes: Vec::new(),
        absences: Vec::new(),
        skill_grants: Vec::new(),
        history: None,
        pins: Vec::new(),
    };
    let mut sources = Sources::new(false);
    read(&table, &mut problem, &mut sources, &mut errors);
    for error in &mut errors {
        error.line = None;
    }
    (problem, sources, errors)
}

/// Returns the contradictions inside the one row that `problem` holds: a break as long as
/// the shift or a missing break, an ideal below the minimum, a skill valid to a date before
/// it is valid from. A form reports them with its invalid values, so the user sees every
/// error of the form at once. Other findings of [`Problem::validate`] concern the rest of
/// the unit, which the scratch problem lacks, and are left out.
fn row_contradictions(problem: &Problem) -> Vec<ProblemError> {
    problem
        .validate()
        .into_iter()
        .filter(|error| {
            matches!(
                error,
                ProblemError::BreakTooLong { .. }
                    | ProblemError::MissingBreak { .. }
                    | ProblemError::IdealBelowMin { .. }
                    | ProblemError::SkillGrantReversed { .. }
            )
        })
        .collect()
}

/// Reads an employee from the fields of a staff.csv row (`id`, `name`,
/// `employment_percent`, `full_time_hours`, `skills`, `night_worker`). Their dated skills
/// come from skills.csv fields (`skill`, `valid_from`, `valid_to`), with `employee` taken
/// from `id`.
///
/// # Errors
///
/// Every invalid or missing value of the employee and of each dated skill. The field of an
/// error of the dated skill at index `i` reads `skill_grants[i].valid_to`.
pub fn read_employee_form(
    fields: &FormFields,
    skill_grants: &[FormFields],
) -> Result<(Employee, Vec<SkillGrant>), InputErrors> {
    let (mut problem, _, mut errors) = read_row("staff.csv", &STAFF, fields, read_staff);
    let employee = problem.employees.pop();

    let id = fields.get("id").map(|id| id.trim().to_string()).unwrap_or_default();
    let mut grants = Vec::new();
    for (i, grant_fields) in skill_grants.iter().enumerate() {
        let mut grant_fields = grant_fields.clone();
        grant_fields.insert("employee".into(), id.clone());
        let (problem, _, found) = read_row("skills.csv", &SKILLS, &grant_fields, read_skill_grants);
        let contradictions = row_contradictions(&problem).iter().map(unit_data_error).collect::<Vec<_>>();
        // A missing id is reported on the employee's own field.
        let grant_errors =
            found.into_iter().chain(contradictions).filter(|e| e.column.as_deref() != Some("employee"));
        errors.extend(grant_errors.map(|mut e| {
            e.column = e.column.map(|column| format!("skill_grants[{i}].{column}"));
            e
        }));
        grants.extend(problem.skill_grants);
    }

    match employee {
        Some(employee) if errors.is_empty() => Ok((employee, grants)),
        _ => Err(InputErrors { errors }),
    }
}

/// Reads a shift type from the fields of a shifts.csv row (`code`, `name`, `start`, `end`,
/// `break_minutes`, `skill`). `rules` are the unit's, which set how long a shift may last
/// without a break.
///
/// # Errors
///
/// Every invalid or missing value, and a break as long as the shift or a missing break.
pub fn read_shift_form(fields: &FormFields, rules: &RuleSet) -> Result<ShiftType, InputErrors> {
    let (mut problem, sources, mut errors) = read_row("shifts.csv", &SHIFTS, fields, read_shifts);
    problem.rules = rules.clone();
    // The break is checked against the times only when both could be read, and a break that
    // could not be read is not also reported as missing.
    let times_known = problem.shift_types.iter().all(|s| !sources.placeholder_shifts.contains(&s.code));
    let break_known = !errors.iter().any(|e| e.column.as_deref() == Some("break_minutes"));
    if times_known && break_known {
        errors.extend(row_contradictions(&problem).iter().map(unit_data_error));
    }
    match problem.shift_types.pop() {
        Some(shift) if errors.is_empty() => Ok(shift),
        _ => Err(InputErrors { errors }),
    }
}

/// Reads a demand row from the fields of a demand.csv row (`day`, `shift`, `skill`, `min`,
/// `ideal`). Whether the shift code exists depends on the unit's other data, so the caller
/// checks it.
///
/// # Errors
///
/// Every invalid or missing value, and an ideal below the minimum.
pub fn read_demand_form(fields: &FormFields) -> Result<DemandRow, InputErrors> {
    let (mut problem, _, mut errors) = read_row("demand.csv", &DEMAND, fields, |t, p, s, e| {
        let mut warnings = Vec::new();
        read_demand(t, p, s, e, &mut warnings);
    });
    let row = problem.demand.pop();

    // The reader keeps no row with an invalid value, but the head-counts may still
    // contradict each other.
    let count = |name: &str| fields.get(name).and_then(|text| parse_count(text).ok());
    let counts = match &row {
        Some(row) => Some((row.min, row.ideal)),
        None => count("min").zip(count("ideal")),
    };
    if let Some((min, ideal)) = counts
        && ideal < min
    {
        let code = fields.get("shift").map(|code| code.trim().to_string()).unwrap_or_default();
        errors.push(unit_data_error(&ProblemError::IdealBelowMin { code, min, ideal }));
    }

    match row {
        Some(row) if errors.is_empty() => Ok(row),
        _ => Err(InputErrors { errors }),
    }
}

/// The `[rules]` keys whose value is a pair of whole numbers, with the names of the two.
const PAIRS: [(&str, &str, &str); 2] = [("days_off", "min", "per"), ("weekends", "max", "of")];

/// Converts a form value to TOML: a whole number where the text is one, else the text,
/// which the `[rules]` reader parses with a decimal comma or point or rejects.
fn toml_value(text: &str) -> Value {
    match text.trim().parse::<i64>() {
        Ok(number) => Value::Integer(number),
        Err(_) => Value::String(text.trim().to_string()),
    }
}

/// Reads a rule set as `unit.toml` states it: the preset, then the `[rules]` overrides
/// (`daily_rest_hours`, `days_off.min` and `days_off.per`, `weekends.max` and
/// `weekends.of`, `night_work` …) and the `[weights]` overrides by soft-goal id (`S1`).
/// Empty fields keep the preset's value. The rules switched on or off stay as in `current`,
/// because the bundle format has no key for them.
///
/// # Errors
///
/// Every unknown key and invalid value, with the field named as in the form
/// (`daily_rest_hours`, `days_off`, `S4`).
pub fn read_rules_form(
    preset: &str,
    rules: &FormFields,
    weights: &FormFields,
    current: &RuleSet,
) -> Result<RuleSet, InputErrors> {
    let mut rules_table = toml::Table::new();
    let mut pairs: BTreeMap<&str, toml::Table> = BTreeMap::new();
    for (key, text) in rules.iter().filter(|(_, text)| !text.trim().is_empty()) {
        let pair = key.split_once('.').and_then(|(name, part)| {
            PAIRS.iter().find(|(pair, first, second)| *pair == name && (part == *first || part == *second))
        });
        match pair {
            Some((name, ..)) => {
                let part = key.rsplit('.').next().unwrap_or_default();
                pairs.entry(name).or_default().insert(part.to_string(), toml_value(text));
            }
            None if key == "night_work" => {
                rules_table.insert(key.clone(), Value::String(text.trim().to_string()));
            }
            None => {
                rules_table.insert(key.clone(), toml_value(text));
            }
        }
    }
    for (name, pair) in pairs {
        rules_table.insert(name.to_string(), Value::Table(pair));
    }
    let weights_table: toml::Table = weights
        .iter()
        .filter(|(_, text)| !text.trim().is_empty())
        .map(|(key, text)| (key.clone(), toml_value(text)))
        .collect();

    let mut document = toml::Table::new();
    document.insert("name".into(), Value::String("form".into()));
    document.insert("period_start".into(), Value::String("2000-01-03".into()));
    document.insert("weeks".into(), Value::Integer(1));
    document.insert("preset".into(), Value::String(preset.trim().to_string()));
    document.insert("rules".into(), Value::Table(rules_table));
    document.insert("weights".into(), Value::Table(weights_table));
    let text = toml::to_string(&document).map_err(|e| {
        InputErrors::one(InputError::file(
            "unit.toml",
            format!("regelformuläret kunde inte läsas: {e}"),
            format!("the rule form could not be read: {e}"),
        ))
    })?;

    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let info = read_unit(&text, &mut errors, &mut warnings);
    if !errors.is_empty() {
        for error in &mut errors {
            error.line = None;
            error.column = error.column.take().map(|column| {
                let field = column.strip_prefix("rules.").or_else(|| column.strip_prefix("weights."));
                field.map(str::to_string).unwrap_or(column)
            });
        }
        return Err(InputErrors { errors });
    }
    let mut read = info.rules;
    read.enabled = current.enabled;
    // The notice period is a rule parameter but also the unit's own setting; an empty
    // field keeps the unit's value rather than the preset's.
    if rules.get("publish_notice_days").is_none_or(|text| text.trim().is_empty()) {
        read.params.publish_notice_days = current.params.publish_notice_days;
    }
    Ok(read)
}

/// Describes a contradiction that [`Problem::validate`] finds between a unit's staff, shift
/// types and demand, at the form field to fix. The message is the bundle reader's, and the
/// file names the kind of row (`staff.csv`, `shifts.csv`, `demand.csv`, `skills.csv`).
pub fn unit_data_error(error: &ProblemError) -> InputError {
    let mut msg = problem_error_text(error);
    // The bundle reader points at the shift's line; a form or a rule change names the shift.
    if let ProblemError::BreakTooLong { code, .. } | ProblemError::MissingBreak { code, .. } = error {
        msg = Msg::new(format!("pass {code}: {}", msg.sv), format!("shift {code}: {}", msg.en));
    }
    let (file, column, value) = match error {
        ProblemError::DuplicateEmployee(id) => ("staff.csv", "id", id.clone()),
        ProblemError::EmploymentOutOfRange { id } => ("staff.csv", "employment_percent", id.clone()),
        ProblemError::DuplicateShift(code) => ("shifts.csv", "code", code.clone()),
        ProblemError::BreakTooLong { break_minutes, .. } => {
            ("shifts.csv", "break_minutes", break_minutes.to_string())
        }
        ProblemError::MissingBreak { .. } => ("shifts.csv", "break_minutes", "0".to_string()),
        ProblemError::IdealBelowMin { ideal, .. } => ("demand.csv", "ideal", ideal.to_string()),
        ProblemError::UnknownShift { context: "demand", code } => ("demand.csv", "shift", code.clone()),
        ProblemError::SkillGrantReversed { to, .. } => ("skills.csv", "valid_to", to.to_string()),
        _ => return InputError::file("unit", msg.sv, msg.en),
    };
    InputError::file(file, msg.sv, msg.en).at_cell(column, &value)
}

/// Returns the preset's name as `unit.toml` and the rule form write it.
pub fn preset_name(preset: Preset) -> &'static str {
    match preset {
        Preset::Ab => "ab",
        Preset::Atl => "atl",
        Preset::Benchmark => "benchmark",
    }
}
