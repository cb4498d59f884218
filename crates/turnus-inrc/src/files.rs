//! Finding and reading the files of an instance in a dataset folder, reading a solution
//! folder of weekly `Sol-*.txt` files, and writing a solution in the competition's format.

use std::path::Path;

use turnus_io::{InputError, InputErrors};

use crate::model::{Assignment, DAY_NAMES, DAYS_PER_WEEK, Instance, InstanceName, Scenario};
use crate::parse::{parse_history, parse_scenario, parse_solution_week, parse_week};

/// Reads a whole file as UTF-8 text.
fn read_text(path: &Path) -> Result<String, InputErrors> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        InputErrors::one(InputError::file(
            &name,
            format!("filen kunde inte läsas: {e}; kontrollera mappen och instansnamnet"),
            format!("failed to read the file: {e}; check the folder and the instance name"),
        ))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        InputErrors::one(
            InputError::file(
                &name,
                "filen är inte UTF-8; spara den som UTF-8 eller ASCII",
                "the file is not valid UTF-8; save it as UTF-8 or ASCII",
            )
            .at_line(line),
        )
    })
}

/// Reads the instance `name` from the dataset folder `dir`, which contains `Sc-<dataset>.txt`,
/// `H0-<dataset>-<k>.txt` and `WD-<dataset>-<k>.txt`.
///
/// # Errors
///
/// Returns every error of the files read, a missing file, and a number of weeks that differs
/// from the scenario's.
pub fn read_instance(dir: &Path, name: &InstanceName) -> Result<Instance, InputErrors> {
    let ds = &name.dataset;
    let scenario_path = dir.join(format!("Sc-{ds}.txt"));
    let scenario = parse_scenario(&scenario_path.display().to_string(), &read_text(&scenario_path)?)?;
    let history_path = dir.join(format!("H0-{ds}-{}.txt", name.history));
    let history = parse_history(&history_path.display().to_string(), &read_text(&history_path)?, &scenario)?;
    let mut weeks = Vec::new();
    let mut errors = Vec::new();
    for &w in &name.weeks {
        let path = dir.join(format!("WD-{ds}-{w}.txt"));
        match read_text(&path).and_then(|text| parse_week(&path.display().to_string(), &text, &scenario)) {
            Ok(week) => weeks.push(week),
            Err(e) => errors.extend(e.errors),
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors { errors });
    }
    let instance =
        Instance { name: name.to_string(), scenario, history, week_files: name.weeks.clone(), weeks };
    check_instance(&instance, &scenario_path.display().to_string())?;
    Ok(instance)
}

/// Checks what no single file can: the number of weeks and the size limits of the grid.
///
/// # Errors
///
/// Returns an error naming `scenario_file` when the instance does not fit.
pub fn check_instance(instance: &Instance, scenario_file: &str) -> Result<(), InputErrors> {
    let sc = &instance.scenario;
    if instance.weeks.len() != sc.weeks {
        return Err(InputErrors::one(InputError::file(
            scenario_file,
            format!(
                "scenariot gäller {} veckor men instansen {} har {}; de globala gränserna (totalt antal pass, helger) gäller hela perioden, så ange {} veckofiler",
                sc.weeks,
                instance.name,
                instance.weeks.len(),
                sc.weeks
            ),
            format!(
                "the scenario is for {} weeks but the instance {} has {}; the global limits (total assignments, weekends) are for the whole horizon, so name {} week files",
                sc.weeks,
                instance.name,
                instance.weeks.len(),
                sc.weeks
            ),
        )));
    }
    if sc.shift_types.len() > usize::from(u8::MAX) || sc.skills.len() > 64 {
        return Err(InputErrors::one(InputError::file(
            scenario_file,
            "högst 255 passtyper och 64 kompetenser stöds",
            "at most 255 shift types and 64 skills are supported",
        )));
    }
    Ok(())
}

/// Reads a solution folder: one `Sol-*.txt` file per week, each naming its week index.
///
/// # Errors
///
/// Returns every error of the files, a folder without `Sol-*.txt` files, a week given twice
/// and a week without a file.
pub fn read_solution(dir: &Path, instance: &Instance) -> Result<Vec<Assignment>, InputErrors> {
    let dir_name = dir.display().to_string();
    let entries = std::fs::read_dir(dir).map_err(|e| {
        InputErrors::one(InputError::file(
            &dir_name,
            format!("lösningsmappen kunde inte läsas: {e}; ange mappen med Sol-*.txt-filerna"),
            format!("failed to read the solution folder: {e}; name the folder with the Sol-*.txt files"),
        ))
    })?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("Sol-") && n.ends_with(".txt"))
        })
        .collect();
    paths.sort();
    let weeks = instance.weeks.len();
    let mut seen: Vec<Option<String>> = vec![None; weeks];
    let mut assignments = Vec::new();
    let mut errors = Vec::new();
    for path in &paths {
        let name = path.display().to_string();
        match read_text(path).and_then(|text| parse_solution_week(&name, &text, &instance.scenario, weeks)) {
            Ok(week) => {
                if let Some(first) = &seen[week.week] {
                    errors.push(InputError::file(
                        &name,
                        format!("vecka {} finns redan i {first}; ta bort en av filerna", week.week),
                        format!("week {} is already in {first}; remove one of the files", week.week),
                    ));
                    continue;
                }
                seen[week.week] = Some(name);
                assignments.extend(week.assignments);
            }
            Err(e) => errors.extend(e.errors),
        }
    }
    if errors.is_empty() {
        for (w, s) in seen.iter().enumerate() {
            if s.is_none() {
                errors.push(InputError::file(
                    &dir_name,
                    format!(
                        "ingen Sol-*.txt-fil för vecka {w} (räknat från 0); instansen har {weeks} veckor"
                    ),
                    format!(
                        "no Sol-*.txt file for week {w} (counted from 0); the instance has {weeks} weeks"
                    ),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors { errors });
    }
    Ok(assignments)
}

/// Returns the file name of week `week` of a solution, as the competition names it:
/// `Sol-<dataset>-<week file>-<week index>.txt`.
pub fn solution_file_name(instance: &Instance, week: usize) -> String {
    format!("Sol-{}-{}-{week}.txt", instance.scenario.name, instance.week_files[week])
}

/// Writes a solution as one text per week, in the competition's format, with the file names
/// of [`solution_file_name`]. Assignments are sorted by nurse and day.
pub fn write_solution(instance: &Instance, assignments: &[Assignment]) -> Vec<(String, String)> {
    let sc: &Scenario = &instance.scenario;
    let mut sorted = assignments.to_vec();
    sorted.sort_by_key(|a| (a.nurse, a.day, a.shift, a.skill));
    let mut files = Vec::new();
    for week in 0..instance.weeks.len() {
        let rows: Vec<&Assignment> = sorted.iter().filter(|a| a.day / DAYS_PER_WEEK == week).collect();
        let mut text = format!("SOLUTION\n{week} {}\n\nASSIGNMENTS = {}\n", sc.name, rows.len());
        for a in rows {
            text.push_str(&format!(
                "{} {} {} {}\n",
                sc.nurses[a.nurse].name,
                DAY_NAMES[a.day % DAYS_PER_WEEK],
                sc.shift_types[a.shift].name,
                sc.skills[a.skill]
            ));
        }
        files.push((solution_file_name(instance, week), text));
    }
    files
}
