//! The problem as one JSON document: exactly the serde form of [`Problem`], read with the
//! same validation as a bundle. `docs/formats.md` describes the fields.

use turnus_core::Problem;

use crate::bundle::{history_outside_window, problem_error_text};
use crate::error::{InputError, InputErrors};

/// Name used for the JSON document in errors.
const FILE: &str = "JSON";

/// Reads a problem from its JSON document and validates it.
///
/// # Errors
///
/// Returns the JSON syntax or type error with its line and column, or every contradiction
/// that [`Problem::validate`] finds, plus history rows outside the history window.
pub fn problem_from_json(text: &str) -> Result<Problem, InputErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let problem: Problem = serde_json::from_str(text).map_err(|e| {
        let mut error = InputError::file(
            FILE,
            format!(
                "ogiltigt problem i JSON ({e}); rätta dokumentet enligt formatbeskrivningen i docs/formats.md"
            ),
            format!("invalid problem in JSON ({e}); fix the document as docs/formats.md describes"),
        );
        if e.line() > 0 {
            error.line = Some(e.line());
            error.column = Some(e.column().to_string());
        }
        InputErrors::one(error)
    })?;

    let mut errors: Vec<InputError> = problem
        .validate()
        .iter()
        .map(|e| {
            let msg = problem_error_text(e);
            InputError::file(FILE, msg.sv, msg.en)
        })
        .collect();
    for (i, msg) in history_outside_window(&problem) {
        let mut error = InputError::file(FILE, msg.sv, msg.en);
        error.column = Some(format!("history[{i}].date"));
        errors.push(error);
    }
    if errors.is_empty() { Ok(problem) } else { Err(InputErrors { errors }) }
}

/// Writes a problem as pretty-printed JSON.
///
/// # Panics
///
/// Never in practice: every field of [`Problem`] serializes to JSON, since all map keys are
/// strings.
pub fn problem_to_json(problem: &Problem) -> String {
    serde_json::to_string_pretty(problem).expect("a problem always serializes to JSON")
}
