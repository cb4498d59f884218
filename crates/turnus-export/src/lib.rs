//! Turnus exports: a schedule version as an XLSX workbook (one sheet per ISO week and a
//! summary), as an iCalendar file per employee, or as `schedule.csv`. Every time shown is
//! local time in the unit's zone, taken from the instant the shift starts and ends.

mod error;
mod ical;
mod shift_times;
mod text;
mod xlsx;

use jiff::Timestamp;
use turnus_core::{Evaluation, Lang, Problem, Schedule};

pub use error::ExportError;
pub use ical::write_ics;
pub use shift_times::{ShiftTimes, shift_times};
pub use xlsx::write_xlsx;

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// `schedule.csv` as `turnus solve` writes it.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// An iCalendar file (RFC 5545) for one employee.
    Ics,
}

impl ExportFormat {
    /// Returns the file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Ics => "ics",
        }
    }

    /// Returns the media type to send the file with.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ExportFormat::Ics => "text/calendar; charset=utf-8",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(ExportFormat::Csv),
            "xlsx" => Ok(ExportFormat::Xlsx),
            "ics" | "ical" | "icalendar" => Ok(ExportFormat::Ics),
            other => Err(format!("unknown export format {other:?}; use xlsx, ics or csv")),
        }
    }
}

/// Settings shared by every export.
#[derive(Debug, Clone, PartialEq)]
pub struct ExportOptions {
    /// Language of sheet names, headers and event titles.
    pub lang: Lang,
    /// Only this employee (by id). Required for iCalendar; for XLSX and CSV it limits the
    /// rows to that employee.
    pub employee: Option<String>,
    /// When the export was made: the `DTSTAMP` of every iCalendar event.
    pub generated_at: Timestamp,
}

impl ExportOptions {
    /// Options in `lang` for every employee, stamped with the current time.
    pub fn new(lang: Lang) -> ExportOptions {
        ExportOptions { lang, employee: None, generated_at: Timestamp::now() }
    }
}

/// Exports a schedule in `format` and returns the file's bytes.
///
/// `evaluation` must be the evaluation of `schedule` against `problem`; the XLSX cover rows
/// and summary come from it.
///
/// # Errors
///
/// Returns [`ExportError::EmployeeRequired`] for iCalendar without an employee,
/// [`ExportError::UnknownEmployee`] for an employee id the problem lacks, and the errors of
/// each writer.
pub fn export(
    problem: &Problem,
    schedule: &Schedule,
    evaluation: &Evaluation,
    format: ExportFormat,
    options: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    if let Some(id) = &options.employee {
        check_employee(problem, id)?;
    }
    match format {
        ExportFormat::Csv => {
            let schedule = match &options.employee {
                Some(id) => only_employee(schedule, id),
                None => schedule.clone(),
            };
            turnus_io::write_schedule_csv(problem, &schedule)
                .map(String::into_bytes)
                .map_err(|e| ExportError::Csv(e.to_string()))
        }
        ExportFormat::Xlsx => write_xlsx(problem, schedule, evaluation, options),
        ExportFormat::Ics => {
            let id = options.employee.as_deref().ok_or(ExportError::EmployeeRequired)?;
            write_ics(problem, schedule, id, options).map(String::into_bytes)
        }
    }
}

/// Checks that the problem has an employee with this id.
fn check_employee(problem: &Problem, id: &str) -> Result<(), ExportError> {
    if problem.employees.iter().any(|e| e.id == id) {
        Ok(())
    } else {
        Err(ExportError::UnknownEmployee(id.to_string()))
    }
}

fn only_employee(schedule: &Schedule, id: &str) -> Schedule {
    Schedule { assignments: schedule.assignments.iter().filter(|a| a.employee == id).cloned().collect() }
}
