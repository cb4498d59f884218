//! The unit bundle: a folder with `unit.toml` and CSV files, read into a [`Problem`].
//! Every file is read even after errors, so that one run lists every error in the bundle;
//! cross-references are checked by [`Problem::validate`] and mapped back to file lines.

mod cells;
mod files;
mod form;
mod problems;
mod table;
mod unit;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use turnus_core::Problem;

pub(crate) use cells::{Msg, parse_date};
pub use form::{
    FormFields, preset_name, read_demand_form, read_employee_form, read_rules_form, read_shift_form,
    unit_data_error,
};
pub(crate) use problems::{history_outside_window, problem_error_text};
pub(crate) use table::{Column, Table, column, decode};

use crate::error::InputError;
use files::Sources;

/// Every file the bundle format defines, in the order errors are listed.
const FILES: [(&str, bool); 9] = [
    ("unit.toml", true),
    ("staff.csv", true),
    ("shifts.csv", true),
    ("demand.csv", true),
    ("wishes.csv", false),
    ("absences.csv", false),
    ("skills.csv", false),
    ("history.csv", false),
    ("pinned.csv", false),
];

/// Reads a bundle folder into a validated problem.
///
/// Returns the problem with the warnings found (an unknown `.csv` file, a key that is
/// ignored). `history` is `None` when `history.csv` is absent and `Some` when present, even
/// when it has no rows.
///
/// # Errors
///
/// Returns every error of every file together: a missing required file, a malformed cell,
/// an unknown column, or a contradiction between files such as a wish for an unknown
/// employee, each with its file, line, column and value.
pub fn read_bundle(dir: &Path) -> Result<(Problem, Vec<InputError>), crate::InputErrors> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();

    let found = match list_folder(dir) {
        Ok(found) => found,
        Err(e) => {
            let name = dir.display().to_string();
            return Err(crate::InputErrors::one(InputError::file(
                &name,
                format!("mappen kunde inte läsas ({e}); ange mappen med unit.toml och CSV-filerna"),
                format!(
                    "the folder could not be read ({e}); give the folder that holds unit.toml and the CSV files"
                ),
            )));
        }
    };
    for (lower, (name, _)) in &found {
        if lower.ends_with(".csv") && !FILES.iter().any(|(known, _)| known == lower) {
            warnings.push(InputError::file(
                name,
                "okänd CSV-fil ignoreras; kontrollera stavningen (kända filer: staff.csv, shifts.csv, demand.csv, wishes.csv, absences.csv, skills.csv, history.csv, pinned.csv)",
                "unknown CSV file ignored; check the spelling (known files: staff.csv, shifts.csv, demand.csv, wishes.csv, absences.csv, skills.csv, history.csv, pinned.csv)",
            ));
        }
    }

    // Decoded text of each bundle file that exists, by its canonical name.
    let mut texts: HashMap<&'static str, (String, String)> = HashMap::new();
    for (canonical, required) in FILES {
        let Some((name, path)) = found.get(canonical) else {
            if required {
                errors.push(InputError::file(
                    canonical,
                    format!("filen {canonical} saknas i mappen; den krävs i varje underlag"),
                    format!("the file {canonical} is missing from the folder; every bundle needs it"),
                ));
            }
            continue;
        };
        let read = std::fs::read(path).map_err(|e| {
            Msg::new(format!("filen kunde inte läsas ({e})"), format!("the file could not be read ({e})"))
        });
        match read.and_then(|bytes| decode(&bytes)) {
            Ok(text) => {
                texts.insert(canonical, (name.clone(), text));
            }
            Err(msg) => errors.push(InputError::file(name, msg.sv, msg.en)),
        }
    }

    let unit_info = match texts.get("unit.toml") {
        Some((_, text)) => unit::read_unit(text, &mut errors, &mut warnings),
        None => unit::UnitInfo::placeholder(),
    };
    let mut sources = Sources::new(unit_info.period_known);
    let mut problem = Problem {
        unit: unit_info.unit,
        rules: unit_info.rules,
        employees: Vec::new(),
        shift_types: Vec::new(),
        demand: Vec::new(),
        wishes: Vec::new(),
        absences: Vec::new(),
        skill_grants: Vec::new(),
        history: None,
        pins: Vec::new(),
    };
    files::read_files(&texts, &mut problem, &mut sources, &mut errors, &mut warnings);

    errors.extend(problems::locate(&problem, &sources));
    if !errors.is_empty() {
        sort_by_file(&mut errors);
        return Err(crate::InputErrors { errors });
    }
    Ok((problem, warnings))
}

/// Renders the columns of every CSV file of the bundle as Markdown, one table per file, in
/// `lang`: the column's name, its other-language alias, whether it is required and what it
/// contains.
/// The user documentation (docs/bundle.md, docs/bundle.sv.md) carries this text, and a test
/// keeps it equal to what the reader accepts.
pub fn columns_markdown(lang: turnus_core::Lang) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for (file, columns) in &files::TABLES {
        let required = FILES.iter().any(|(name, required)| name == file && *required);
        let status = match (required, lang) {
            (true, turnus_core::Lang::Sv) => "krävs",
            (false, turnus_core::Lang::Sv) => "frivillig",
            (true, turnus_core::Lang::En) => "required",
            (false, turnus_core::Lang::En) => "optional",
        };
        let _ = writeln!(out, "### `{file}` ({status})\n");
        let _ = writeln!(
            out,
            "{}",
            lang.pick(
                "| kolumn | engelskt namn | krävs | innehåll |\n|---|---|---|---|",
                "| column | Swedish alias | required | holds |\n|---|---|---|---|",
            )
        );
        for column in columns.iter() {
            let (name, alias, hint) = match lang {
                turnus_core::Lang::Sv => (column.sv, column.en, column.hint_sv),
                turnus_core::Lang::En => (column.en, column.sv, column.hint_en),
            };
            let required = match (column.required, lang) {
                (true, turnus_core::Lang::Sv) => "ja",
                (false, turnus_core::Lang::Sv) => "nej",
                (true, turnus_core::Lang::En) => "yes",
                (false, turnus_core::Lang::En) => "no",
            };
            let _ = writeln!(out, "| `{name}` | `{alias}` | {required} | {} |", hint.replace('|', "\\|"));
        }
        out.push('\n');
    }
    out
}

/// Files in the folder by lowercase name, so `Staff.CSV` is found as `staff.csv`.
fn list_folder(dir: &Path) -> std::io::Result<HashMap<String, (String, PathBuf)>> {
    let mut found = HashMap::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if !entry.file_type().is_ok_and(|t| t.is_file() || t.is_symlink()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        found.insert(name.to_lowercase(), (name, entry.path()));
    }
    Ok(found)
}

/// Orders errors by file in bundle order, then by line; errors without a line come first.
fn sort_by_file(errors: &mut [InputError]) {
    let rank = |file: &str| {
        let lower = file.to_lowercase();
        FILES.iter().position(|(name, _)| *name == lower).unwrap_or(FILES.len())
    };
    errors.sort_by_key(|e| (rank(&e.file), e.line.unwrap_or(0)));
}
