//! Turnus input and output: the unit bundle (CSV files and `unit.toml`), the same problem as
//! one JSON document, schedule files, and the Curtois & Qu benchmark format. Every reader
//! reports bad input with file, line, column, value and a fix, never a panic.

mod bundle;
mod curtois;
mod error;
mod json;
mod schedule_csv;

pub use bundle::{
    FormFields, columns_markdown, preset_name, read_bundle, read_demand_form, read_employee_form,
    read_rules_form, read_shift_form, unit_data_error,
};
pub use curtois::{parse_curtois, read_curtois, write_curtois_schedule};
pub use error::{InputError, InputErrors};
pub use json::{problem_from_json, problem_to_json};
pub use schedule_csv::{read_schedule_csv, write_schedule_csv};
