//! Errors of the exports, one variant per cause so callers (the CLI, the server) can map
//! them to exit codes and HTTP statuses.

use turnus_core::ProblemError;

/// An export failure.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The problem's time zone is not in the time zone database.
    #[error(transparent)]
    TimeZone(#[from] ProblemError),
    /// An iCalendar export was requested without naming an employee.
    #[error("an iCalendar export is per employee; name one employee id")]
    EmployeeRequired,
    /// The employee id is not in the problem.
    #[error("employee {0:?} is not in the problem")]
    UnknownEmployee(String),
    /// A shift's start or end falls outside the dates jiff can represent.
    #[error("the times of shift {shift:?} on {date} cannot be represented")]
    TimeOutOfRange { shift: String, date: jiff::civil::Date },
    /// The XLSX writer failed.
    #[error("the XLSX file could not be written: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The schedule.csv writer failed; the text is its rendered error list.
    #[error("schedule.csv could not be written: {0}")]
    Csv(String),
}
