//! `turnus solve` and `turnus check` on INRC-II instances. An instance is named by a path
//! `DATASET_FOLDER/INSTANCE_NAME`, e.g. `inrc2/n030w4/n030w4_1_6-2-9-1`; the solution is a
//! folder of weekly `Sol-*.txt` files in the competition's format.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::ArgMatches;
use serde::Serialize;
use turnus_core::{Lang, Score};
use turnus_inrc::{Breakdown, Evaluation, Instance, InstanceName, SolveOptions, assignments_of, evaluate};
use turnus_io::InputErrors;

use crate::cli::write_atomically;
use crate::errors::{FileTask, file_error};
use crate::input::print_errors;

/// Returns the dataset folder and instance name when `path` names an INRC-II instance: a
/// path that is not a file or folder, whose last part reads as `<dataset>_<history>_<weeks>`
/// and whose folder contains the dataset's scenario file.
pub fn detect(path: &Path) -> Option<(PathBuf, InstanceName)> {
    if path.exists() {
        return None;
    }
    let name = InstanceName::parse(path.file_name()?.to_str()?)?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    dir.join(format!("Sc-{}.txt", name.dataset)).is_file().then_some((dir, name))
}

/// Reads the instance that [`detect`] found.
///
/// # Errors
///
/// Returns the reader's errors with file, line, field and value.
pub fn load(dir: &Path, name: &InstanceName) -> Result<Instance, InputErrors> {
    turnus_inrc::read_instance(dir, name)
}

/// The validator's breakdown in the JSON report.
#[derive(Debug, Clone, Serialize)]
pub struct BreakdownReport {
    pub minimal_coverage: i64,
    pub required_skill: i64,
    pub illegal_succession: i64,
    pub single_assignment: i64,
    pub total_assignments: i64,
    pub consecutive: i64,
    pub non_working_days: i64,
    pub preferences: i64,
    pub max_working_weekends: i64,
    pub complete_weekends: i64,
    pub optimal_coverage: i64,
}

impl From<&Breakdown> for BreakdownReport {
    fn from(b: &Breakdown) -> BreakdownReport {
        BreakdownReport {
            minimal_coverage: b.minimal_cover,
            required_skill: b.required_skill,
            illegal_succession: b.successions,
            single_assignment: b.single_assignment,
            total_assignments: b.total_assignments,
            consecutive: b.consecutive,
            non_working_days: b.days_off,
            preferences: b.preferences,
            max_working_weekends: b.working_weekends,
            complete_weekends: b.complete_weekends,
            optimal_coverage: b.optimal_cover,
        }
    }
}

/// The JSON report of `solve --report` and `check --report` on an INRC-II instance. `legal`,
/// `score`, `objective` and `solver` have the meaning and names of the Turnus report, so
/// `turnus bench` reads both the same way; `score.hard` counts hard violations.
#[derive(Debug, Clone, Serialize)]
pub struct InrcReport {
    pub instance: String,
    pub legal: bool,
    pub score: Score,
    pub objective: i64,
    pub breakdown: BreakdownReport,
    pub hard_violations: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solver: Option<crate::summary::SolverInfo>,
}

impl InrcReport {
    fn new(
        instance: &Instance,
        e: &Evaluation,
        lang: Lang,
        solver: Option<crate::summary::SolverInfo>,
    ) -> InrcReport {
        InrcReport {
            instance: instance.name.clone(),
            legal: e.is_feasible(),
            score: score_of(e),
            objective: e.breakdown.total(),
            breakdown: BreakdownReport::from(&e.breakdown),
            hard_violations: e
                .violations
                .iter()
                .map(|v| lang.pick(&v.message_sv, &v.message_en).to_string())
                .collect(),
            solver,
        }
    }
}

/// Converts the evaluation to a Turnus score: hard violations and the competition objective.
pub fn score_of(e: &Evaluation) -> Score {
    Score { hard: e.breakdown.hard(), soft: e.breakdown.total() }
}

/// Prints the evaluation like the organisers' validator, with Swedish or English labels and
/// numbers.
fn print_evaluation(instance: &Instance, e: &Evaluation, lang: Lang) -> std::io::Result<()> {
    outln!("{} — {} {}", instance.name, instance.weeks.len(), lang.pick("veckor", "weeks"))?;
    outln!()?;
    outln!("{}", lang.pick("Hårda villkor (antal brott)", "Hard constraint violations"))?;
    let hard_sv = ["Minsta bemanning", "Kompetens", "Förbjuden passföljd", "Ett pass per dag"];
    for ((label, value), sv) in e.breakdown.hard_lines().iter().zip(hard_sv) {
        outln!("  {:<44} {:>6}", lang.pick(sv, label), lang.int(value))?;
    }
    for v in &e.violations {
        outln!("    {}", lang.pick(&v.message_sv, &v.message_en))?;
    }
    outln!()?;
    outln!("{}", lang.pick("Kostnad per villkorstyp", "Cost per constraint type"))?;
    let soft_sv = [
        "Totalt antal pass",
        "Pass i följd",
        "Lediga dagar i följd",
        "Önskemål",
        "Högst antal arbetshelger",
        "Hela helger",
        "Optimal bemanning",
    ];
    for ((label, value), sv) in e.breakdown.soft_lines().iter().zip(soft_sv) {
        outln!("  {:<44} {:>6}", lang.pick(sv, label), lang.int(value))?;
    }
    outln!("  {:<44} {:>6}", lang.pick("Total kostnad", "Total cost"), lang.int(e.breakdown.total()))?;
    Ok(())
}

/// Runs `turnus solve` on an INRC-II instance.
///
/// # Errors
///
/// Fails when the solution or report cannot be written.
pub fn run_solve(m: &ArgMatches, lang: Lang, dir: &Path, name: &InstanceName) -> anyhow::Result<ExitCode> {
    let quiet = m.get_flag("quiet");
    let instance = match load(dir, name) {
        Ok(i) => i,
        Err(errors) => {
            print_errors(&errors, lang);
            return Ok(ExitCode::from(2));
        }
    };
    let threads = m
        .get_one::<usize>("threads")
        .copied()
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let options = SolveOptions {
        time_limit: m.get_one::<Duration>("time-limit").copied(),
        max_iterations: m.get_one::<u64>("iterations").copied(),
        threads,
        seed: *m.get_one::<u64>("seed").expect("has default"),
    };
    let bar = if quiet { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(1000) };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let result = turnus_inrc::solve(&instance, &options, None, &|p| {
        bar.set_position((p.fraction * 1000.0) as u64);
        bar.set_message(format!(
            "{} {} {}, {} {}",
            lang.pick("bästa:", "best:"),
            p.hard,
            lang.pick("hårda", "hard"),
            p.soft,
            lang.pick("kostnad", "cost")
        ));
    });
    bar.finish_and_clear();

    // Write the competition's files, then score what was written, not the solver's grid.
    let out = m.get_one::<PathBuf>("out").cloned().unwrap_or_else(|| PathBuf::from(&instance.name));
    if let Err(e) = std::fs::create_dir_all(&out) {
        return Err(file_error(FileTask::CreateFolder, &out, &e, lang));
    }
    for (file, text) in turnus_inrc::write_solution(&instance, &assignments_of(&instance, &result.grid)) {
        write_atomically(&out.join(file), text.as_bytes(), lang)?;
    }
    let written = turnus_inrc::read_solution(&out, &instance).map_err(|e| match lang {
        Lang::Sv => anyhow::anyhow!("den skrivna lösningen kan inte läsas tillbaka: {}", e.render(lang)),
        Lang::En => anyhow::anyhow!("the written solution cannot be read back: {}", e.render(lang)),
    })?;
    let evaluation = evaluate(&instance, &written);
    if score_of(&evaluation) != (Score { hard: result.hard, soft: result.soft }) {
        tracing::error!(
            solver_hard = result.hard,
            solver_soft = result.soft,
            evaluator = %score_of(&evaluation),
            "solver and evaluator scores differ"
        );
    }

    let solver = crate::summary::SolverInfo {
        threads,
        seed: options.seed,
        iterations: result.iterations,
        elapsed_ms: result.elapsed.as_millis() as u64,
        first_feasible_ms: result.first_feasible.map(|d| d.as_millis() as u64),
        within_one_percent_ms: result.time_to_within(0.01).map(|d| d.as_millis() as u64),
    };
    let report = InrcReport::new(&instance, &evaluation, lang, Some(solver));
    if let Some(path) = m.get_one::<PathBuf>("report") {
        write_atomically(path, serde_json::to_string_pretty(&report)?.as_bytes(), lang)?;
    }
    if !quiet {
        print_evaluation(&instance, &evaluation, lang)?;
        outln!("{} {}", lang.pick("Lösningen skrevs till", "The solution was written to"), out.display())?;
    }
    Ok(if evaluation.is_feasible() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Reads an instance and a solution folder and evaluates the solution; prints the errors
/// and returns `None` when either cannot be read.
pub fn load_and_evaluate(
    dir: &Path,
    name: &InstanceName,
    solution: &Path,
    lang: Lang,
) -> Option<(Instance, Evaluation)> {
    let instance = match load(dir, name) {
        Ok(i) => i,
        Err(errors) => {
            print_errors(&errors, lang);
            return None;
        }
    };
    match turnus_inrc::read_solution(solution, &instance) {
        Ok(assignments) => {
            let evaluation = evaluate(&instance, &assignments);
            Some((instance, evaluation))
        }
        Err(errors) => {
            print_errors(&errors, lang);
            None
        }
    }
}

/// Runs `turnus check` on an INRC-II instance and a solution folder.
///
/// # Errors
///
/// Fails when the report cannot be written.
pub fn run_check(m: &ArgMatches, lang: Lang, dir: &Path, name: &InstanceName) -> anyhow::Result<ExitCode> {
    let solution = m.get_one::<PathBuf>("schedule").expect("required");
    let Some((instance, evaluation)) = load_and_evaluate(dir, name, solution, lang) else {
        return Ok(ExitCode::from(2));
    };
    if let Some(path) = m.get_one::<PathBuf>("report") {
        let report = InrcReport::new(&instance, &evaluation, lang, None);
        write_atomically(path, serde_json::to_string_pretty(&report)?.as_bytes(), lang)?;
    }
    print_evaluation(&instance, &evaluation, lang)?;
    Ok(if evaluation.is_feasible() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
