//! The Curtois & Qu shift scheduling benchmark (instances 1–24): reads its text format into a
//! [`Problem`] under the benchmark rule preset, and writes a schedule as the `employee,day,shift`
//! CSV that benchmark checkers read. Bad input becomes [`InputErrors`] with line numbers.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::Date;
use turnus_core::{Period, Preset, Problem, RuleSet, Schedule, Unit};

use crate::error::{InputError, InputErrors};
use sections::Instance;

/// Day 0 of every instance. The text format states only that day 0 is a Monday, and the XML
/// (`.ros`) version of the same instances gives this date.
const START: Date = jiff::civil::date(2014, 1, 6);

/// Reads a benchmark instance file.
///
/// # Errors
///
/// Returns an error when the file cannot be read or is not UTF-8, and every error
/// [`parse_curtois`] finds.
pub fn read_curtois(path: &Path) -> Result<Problem, InputErrors> {
    let file_name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        InputErrors::one(InputError::file(
            &file_name,
            format!("filen kunde inte läsas: {e}"),
            format!("failed to read the file: {e}"),
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        InputErrors::one(
            InputError::file(
                &file_name,
                "filen är inte UTF-8; spara den som UTF-8 eller ASCII",
                "the file is not valid UTF-8; save it as UTF-8 or ASCII",
            )
            .at_line(line),
        )
    })?;
    parse_curtois(&file_name, &text)
}

/// Parses a benchmark instance into a problem: the period starts Monday 2014-01-06 in UTC
/// (so no clock change alters a shift), every shift type starts at 00:00 and lasts its stated
/// length, and the rule set is [`Preset::Benchmark`]. `file_name` names the file in errors and,
/// without its extension, the unit.
///
/// Accepts LF and CRLF line ends, `#` comments, blank lines, sections in any order and empty
/// trailing fields.
///
/// # Errors
///
/// Returns every malformed row found (bad number, unknown shift or employee, day outside the
/// horizon, wrong field count), each missing or repeated section, and a horizon that is not a
/// whole number of weeks.
pub fn parse_curtois(file_name: &str, text: &str) -> Result<Problem, InputErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Instance { horizon, shift_types, employees, pins, wishes, demand } =
        sections::read_instance(file_name, text)?;
    let problem = Problem {
        unit: Unit {
            name: unit_name(file_name),
            time_zone: "UTC".to_string(),
            period: Period { start: START, weeks: horizon / 7 },
        },
        rules: RuleSet::preset(Preset::Benchmark),
        employees,
        shift_types,
        demand,
        wishes,
        absences: Vec::new(),
        skill_grants: Vec::new(),
        history: None,
        pins,
    };

    // The rows above are checked against the same invariants, so this only catches a
    // contradiction the reader missed, reported instead of failing later in the evaluator.
    let contradictions = problem.validate();
    if !contradictions.is_empty() {
        let errors = contradictions
            .iter()
            .map(|c| {
                InputError::file(
                    file_name,
                    format!("motsägelse i instansen: {c}"),
                    format!("contradiction in the instance: {c}"),
                )
            })
            .collect();
        return Err(InputErrors { errors });
    }
    Ok(problem)
}

/// Writes a schedule as the benchmark checkers' CSV: the header `employee,day,shift`, then
/// one row per worked shift with the 0-based day index, in the problem's employee order.
///
/// Rows naming an unknown employee come last and dates outside the period keep their
/// (negative or too large) index, so a checker reports them instead of losing them.
pub fn write_curtois_schedule(problem: &Problem, schedule: &Schedule) -> String {
    let order: HashMap<&str, usize> =
        problem.employees.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let mut rows: Vec<(usize, &str, i32, &str)> = schedule
        .assignments
        .iter()
        .map(|a| {
            let rank = order.get(a.employee.as_str()).copied().unwrap_or(usize::MAX);
            (rank, a.employee.as_str(), problem.unit.period.index_of(a.date), a.shift.as_str())
        })
        .collect();
    rows.sort_unstable();

    let mut out = String::from("employee,day,shift\n");
    for (_, employee, day, shift) in rows {
        out.push_str(&csv_field(employee));
        out.push(',');
        out.push_str(&day.to_string());
        out.push(',');
        out.push_str(&csv_field(shift));
        out.push('\n');
    }
    out
}

/// Quotes a CSV field that contains a separator, quote or line break (RFC 4180).
fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// Returns the file name without folders and extension: `Instance7.txt` gives `Instance7`.
fn unit_name(file_name: &str) -> String {
    Path::new(file_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .unwrap_or(file_name)
        .to_string()
}

mod sections;

#[cfg(test)]
mod tests;
