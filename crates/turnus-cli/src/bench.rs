//! `turnus bench`: solves a set of instances once per seed, each run in a child process of
//! this binary whose peak memory is measured. It checks every schedule again with the
//! evaluator of `turnus check` and prints a Markdown table, and writes Markdown and CSV files
//! on request. Exit codes: 0 every run produced a schedule that the evaluator confirmed, 1 a
//! run failed, 2 invalid arguments or a missing or unreadable input.

mod instances;
pub mod measure;
mod table;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Arg, ArgAction, ArgGroup, ArgMatches, Command, value_parser};
use serde::Deserialize;
use turnus_core::{Lang, Problem, Schedule, Score, evaluate};

use crate::cli::{read_curtois_schedule, write_atomically};
use crate::errors::{FileTask, file_error};
use crate::input::{InputKind, Loaded, load, print_errors};
use crate::values::{duration, whole_number_in};
use instances::Input;
use table::{Kind, Numbers, Row, Run};

/// Builds the `bench` subcommand with help text in `lang`.
pub fn command(lang: Lang) -> Command {
    let t = |sv: &'static str, en: &'static str| lang.pick(sv, en).to_string();
    Command::new("bench")
        .about(t(
            "Kör instanser med flera frön, kontrollera varje schema och skriv en resultattabell \
             (slutkod 0 alla körningar klara, 1 en körning misslyckades, 2 indata saknas)",
            "Run instances with several seeds, check every schedule and write a results table \
             (exit 0 every run finished, 1 a run failed, 2 an input is missing)",
        ))
        .arg(
            Arg::new("inputs")
                .num_args(0..)
                .value_name("INDATA")
                .value_parser(value_parser!(PathBuf))
                .help(t(
                    "Indata utöver --set: bundle-mappar, JSON-problem eller Curtois-instanser",
                    "Inputs besides --set: bundle folders, JSON problems or Curtois instances",
                )),
        )
        .arg(
            Arg::new("set")
                .long("set")
                .value_name("SAMLING")
                .action(ArgAction::Append)
                .value_parser(["curtois", "inrc2", "examples"])
                .help(t(
                    "curtois: Curtois & Qu-instanserna 1–24 ur --data; inrc2: de sex sena INRC-II-instanserna ur --inrc-data; examples: de två exempel-bundlarna i examples/",
                    "curtois: the Curtois & Qu instances 1–24 from --data; inrc2: the six late INRC-II instances from --inrc-data; examples: the two sample bundles in examples/",
                )),
        )
        .arg(
            Arg::new("instances")
                .long("instances")
                .value_name("LISTA")
                .value_parser(move |text: &str| instances::parse_instance_list(text, lang))
                .help(t(
                    "Vilka Curtois-instanser, t.ex. 1-12,20 (standard: alla 24)",
                    "Which Curtois instances, e.g. 1-12,20 (default: all 24)",
                )),
        )
        .arg(
            Arg::new("data")
                .long("data")
                .value_name("MAPP")
                .value_parser(value_parser!(PathBuf))
                .help(match lang {
                    Lang::Sv => format!(
                        "Mappen med InstanceN.txt (standard: {} eller {})",
                        instances::DATA_DIR_ENV,
                        instances::DEFAULT_DATA_DIR
                    ),
                    Lang::En => format!(
                        "The folder with InstanceN.txt (default: {} or {})",
                        instances::DATA_DIR_ENV,
                        instances::DEFAULT_DATA_DIR
                    ),
                }),
        )
        .arg(
            Arg::new("inrc-data")
                .long("inrc-data")
                .value_name("MAPP")
                .value_parser(value_parser!(PathBuf))
                .help(match lang {
                    Lang::Sv => format!(
                        "Mappen med INRC-II-datamängderna, en undermapp per datamängd (standard: {} eller {})",
                        instances::INRC_DIR_ENV,
                        instances::DEFAULT_INRC_DIR
                    ),
                    Lang::En => format!(
                        "The folder with the INRC-II datasets, one subfolder per dataset (default: {} or {})",
                        instances::INRC_DIR_ENV,
                        instances::DEFAULT_INRC_DIR
                    ),
                }),
        )
        .group(ArgGroup::new("what").args(["inputs", "set"]).multiple(true).required(true))
        .arg(
            Arg::new("time-limit")
                .long("time-limit")
                .value_name("TID")
                .default_value("60s")
                .value_parser(duration(lang))
                .help(t("Söktid per körning, t.ex. 60s eller 10s", "Search time per run, e.g. 60s or 10s")),
        )
        .arg(
            Arg::new("threads")
                .long("threads")
                .value_name("N")
                .default_value("2")
                .value_parser(whole_number_in(lang, 1, u64::from(u16::MAX)))
                .help(t("Trådar per körning", "Threads per run")),
        )
        .arg(
            Arg::new("seeds")
                .long("seeds")
                .value_name("LISTA")
                .default_value("1,2,3")
                .value_parser(move |text: &str| instances::parse_seed_list(text, lang))
                .help(t(
                    "Slumpfrön; varje instans körs en gång per frö",
                    "Random seeds; each instance runs once per seed",
                )),
        )
        .arg(
            Arg::new("markdown")
                .long("markdown")
                .value_name("FIL")
                .value_parser(value_parser!(PathBuf))
                .help(t("Skriv tabellen som Markdown till FIL", "Write the table as Markdown to FILE")),
        )
        .arg(
            Arg::new("csv").long("csv").value_name("FIL").value_parser(value_parser!(PathBuf)).help(t(
                "Skriv tabellen som CSV till FIL (kolumnnamn på engelska)",
                "Write the table as CSV to FILE (English column names)",
            )),
        )
        .arg(Arg::new("keep").long("keep").value_name("MAPP").value_parser(value_parser!(PathBuf)).help(t(
            "Spara alla scheman och rapporter i MAPP (namn: NUMMER-seedFRÖ.csv), t.ex. för en oberoende kontroll",
            "Keep every schedule and report in FOLDER (named NUMBER-seedSEED.csv), e.g. for an independent check",
        )))
}

/// The settings shared by every run.
struct Settings {
    time_limit: Duration,
    threads: u16,
    seeds: Vec<u64>,
    lang: Lang,
}

/// The model an input was read into.
enum Source {
    /// A bundle, JSON problem or Curtois instance as a Turnus problem.
    Turnus(Box<Loaded>),
    /// An INRC-II instance, scored by the competition's evaluator.
    Inrc(Box<turnus_inrc::Instance>),
}

/// A loaded input with the table it belongs to.
struct Planned {
    input: Input,
    source: Source,
    kind: Kind,
}

/// A folder for schedules, reports and memory records of the runs, removed when every run
/// succeeded and kept for inspection otherwise, or always kept when `--keep` names it.
struct Scratch {
    dir: PathBuf,
    keep: bool,
}

impl Scratch {
    fn create(keep: Option<&PathBuf>, lang: Lang) -> anyhow::Result<Scratch> {
        let scratch = match keep {
            Some(dir) => Scratch { dir: dir.clone(), keep: true },
            None => {
                let dir = std::env::temp_dir().join(format!("turnus-bench-{}", std::process::id()));
                // A folder left by an earlier process with the same id contains nothing of this run.
                let _ = std::fs::remove_dir_all(&dir);
                Scratch { dir, keep: false }
            }
        };
        if let Err(e) = std::fs::create_dir_all(&scratch.dir) {
            return Err(file_error(FileTask::CreateFolder, &scratch.dir, &e, lang));
        }
        Ok(scratch)
    }

    /// Removes the folder unless it is kept.
    fn remove(&self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Runs `turnus bench`.
///
/// # Errors
///
/// Fails when the scratch folder or an output file cannot be written; failed runs are
/// reported in the table and the exit code instead.
pub fn run(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let settings = Settings {
        time_limit: *m.get_one::<Duration>("time-limit").expect("has default"),
        threads: u16::try_from(*m.get_one::<u64>("threads").expect("has default")).expect("at most u16::MAX"),
        seeds: m.get_one::<Vec<u64>>("seeds").expect("has default").clone(),
        lang,
    };
    let scratch = Scratch::create(m.get_one::<PathBuf>("keep"), lang)?;

    let inputs = match select_inputs(m, &scratch.dir, lang)? {
        Ok(inputs) => inputs,
        Err(messages) => {
            for message in messages {
                eprintln!("{}: {message}", lang.pick("fel", "error"));
            }
            eprintln!("{}", lang.pick("Ingen körning startades.", "No run was started."));
            scratch.remove();
            return Ok(ExitCode::from(2));
        }
    };
    // Every input is read before the first run, so a bad one stops the bench at once.
    let Some(planned) = load_inputs(inputs, lang) else {
        eprintln!("{}", lang.pick("Ingen körning startades.", "No run was started."));
        scratch.remove();
        return Ok(ExitCode::from(2));
    };

    let exe = measure::current_exe(lang)?;
    let (rows, failures) = run_all(&exe, &planned, &settings, &scratch.dir)?;

    let markdown = render_markdown(&rows, &settings);
    if let Some(path) = m.get_one::<PathBuf>("markdown") {
        write_atomically(path, markdown.as_bytes(), lang)?;
    }
    if let Some(path) = m.get_one::<PathBuf>("csv") {
        write_atomically(path, &render_csv(&rows, lang)?, lang)?;
    }

    if failures.is_empty() {
        scratch.remove();
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!();
    eprintln!(
        "{} {}; {} {}",
        lang.pick("Misslyckade körningar:", "Runs that failed:"),
        failures.len(),
        lang.pick("deras filer finns kvar i", "their files are kept in"),
        scratch.dir.display()
    );
    for failure in &failures {
        eprintln!("  {failure}");
    }
    Ok(ExitCode::from(1))
}

/// Collects the inputs named by `--set` and the paths, or the messages for missing ones.
fn select_inputs(
    m: &ArgMatches,
    scratch: &Path,
    lang: Lang,
) -> anyhow::Result<Result<Vec<Input>, Vec<String>>> {
    let sets: Vec<&String> = m.get_many::<String>("set").map(Iterator::collect).unwrap_or_default();
    let numbers = m.get_one::<Vec<u32>>("instances");
    let mut inputs = Vec::new();
    let mut missing = Vec::new();

    if numbers.is_some() && !sets.iter().any(|s| *s == "curtois") {
        missing.push(
            lang.pick(
                "--instances väljer bland --set curtois; lägg till --set curtois",
                "--instances selects from --set curtois; add --set curtois",
            )
            .to_string(),
        );
    }
    if sets.iter().any(|s| *s == "curtois") {
        let all: Vec<u32> = instances::references().iter().map(|r| r.number).collect();
        let dir = instances::curtois_dir(m.get_one::<PathBuf>("data").map(PathBuf::as_path));
        match instances::curtois_inputs(&dir, numbers.unwrap_or(&all), lang) {
            Ok(found) => inputs.extend(found),
            Err(messages) => missing.extend(messages),
        }
    }
    if sets.iter().any(|s| *s == "inrc2") {
        let dir = instances::inrc_dir(m.get_one::<PathBuf>("inrc-data").map(PathBuf::as_path));
        match instances::inrc_inputs(&dir, lang) {
            Ok(found) => inputs.extend(found),
            Err(messages) => missing.extend(messages),
        }
    }
    if sets.iter().any(|s| *s == "examples") {
        inputs.extend(instances::example_inputs(scratch, lang)?);
    }
    for path in m.get_many::<PathBuf>("inputs").into_iter().flatten() {
        if path.exists() || crate::inrc::detect(path).is_some() {
            inputs.push(Input::from_path(path.clone()));
        } else {
            missing.push(match lang {
                Lang::Sv => format!("indata {} finns inte", path.display()),
                Lang::En => format!("the input {} was not found", path.display()),
            });
        }
    }
    Ok(if missing.is_empty() { Ok(inputs) } else { Err(missing) })
}

/// Loads every input, or prints the errors and returns `None` when one cannot be read.
fn load_inputs(inputs: Vec<Input>, lang: Lang) -> Option<Vec<Planned>> {
    let mut planned = Vec::new();
    let mut ok = true;
    for input in inputs {
        if let Some((dir, name)) = crate::inrc::detect(&input.path) {
            match crate::inrc::load(&dir, &name) {
                Ok(instance) => {
                    let kind = Kind::Inrc(input.inrc);
                    planned.push(Planned { input, source: Source::Inrc(Box::new(instance)), kind });
                }
                Err(errors) => {
                    print_errors(&errors, lang);
                    ok = false;
                }
            }
            continue;
        }
        match load(&input.path) {
            Ok(loaded) => {
                let kind = match loaded.kind {
                    InputKind::Curtois => Kind::Curtois(input.number.and_then(instances::reference)),
                    InputKind::Bundle | InputKind::Json => Kind::Bundle,
                };
                planned.push(Planned { input, source: Source::Turnus(Box::new(loaded)), kind });
            }
            Err(errors) => {
                print_errors(&errors, lang);
                ok = false;
            }
        }
    }
    // The Curtois table comes first, in the order given, then INRC-II, then the bundles.
    planned.sort_by_key(|p| p.kind.table());
    ok.then_some(planned)
}

/// Runs every input with every seed and returns the rows and a message per failed run.
fn run_all(
    exe: &Path,
    planned: &[Planned],
    settings: &Settings,
    scratch: &Path,
) -> std::io::Result<(Vec<Row>, Vec<String>)> {
    let lang = settings.lang;
    let total = planned.len() * settings.seeds.len();
    let mut done = 0;
    let mut rows: Vec<Row> = Vec::new();
    let mut failures = Vec::new();

    for (index, p) in planned.iter().enumerate() {
        let mut row = Row {
            label: p.input.label.clone(),
            kind: p.kind,
            planned: settings.seeds.len(),
            runs: Vec::new(),
        };
        for &seed in &settings.seeds {
            done += 1;
            let _span = tracing::info_span!("bench run", input = %p.input.path.display(), seed).entered();
            let started = Instant::now();
            tracing::info!("bench run started");
            match run_once(exe, p, seed, settings, &scratch.join(format!("{index}-seed{seed}"))) {
                Ok(run) => {
                    eprintln!("[{done}/{total}] {}", progress_line(p, &run, started.elapsed(), lang));
                    row.runs.push(run);
                }
                Err(e) => {
                    // Reported in the progress, the closing list and the exit code.
                    tracing::info!(error = %format!("{e:#}"), "bench run failed");
                    let message =
                        format!("{} {} {seed}: {e:#}", p.input.path.display(), lang.pick("frö", "seed"));
                    eprintln!("[{done}/{total}] {}: {message}", lang.pick("misslyckades", "failed"));
                    failures.push(message);
                }
            }
        }

        // Print the header when a table starts, then the row as soon as its runs are done.
        // Rows come sorted by table, so each table starts once.
        match rows.last() {
            None => outln!("{}", header_of(&row, lang))?,
            Some(last) if last.kind.table() != row.kind.table() => {
                print_curtois_note(&rows, lang)?;
                outln!()?;
                outln!("{}", header_of(&row, lang))?;
            }
            Some(_) => {}
        }
        outln!("{}", line_of(&row, Numbers::For(lang)))?;
        rows.push(row);
    }

    if rows.last().is_some_and(|last| !is_bundle(last)) {
        print_curtois_note(&rows, lang)?;
    }
    outln!()?;
    for line in table::summary_lines(&rows, lang) {
        outln!("{line}")?;
    }
    Ok((rows, failures))
}

fn is_bundle(row: &Row) -> bool {
    row.kind == Kind::Bundle
}

fn header_of(row: &Row, lang: Lang) -> String {
    match row.kind {
        Kind::Curtois(_) => table::curtois_header(lang),
        Kind::Inrc(_) => table::inrc_header(lang),
        Kind::Bundle => table::bundle_header(lang),
    }
}

fn line_of(row: &Row, numbers: Numbers) -> String {
    match row.kind {
        Kind::Curtois(_) => table::curtois_line(row, numbers),
        Kind::Inrc(_) => table::inrc_line(row, numbers),
        Kind::Bundle => table::bundle_line(row, numbers),
    }
}

fn print_curtois_note(rows: &[Row], lang: Lang) -> std::io::Result<()> {
    if let Some(note) = table::illegal_note(rows, lang) {
        outln!("{note}")?;
    }
    Ok(())
}

fn progress_line(p: &Planned, run: &Run, wall: Duration, lang: Lang) -> String {
    let verdict = match (run.legal, lang) {
        (true, Lang::Sv) => "lagligt".to_string(),
        (true, Lang::En) => "legal".to_string(),
        (false, Lang::Sv) => format!("{} hårda regelbrott", run.hard_violations),
        (false, Lang::En) => format!("{} hard violations", run.hard_violations),
    };
    let memory = run
        .peak_kib
        .map_or_else(String::new, |kib| format!(", {} MiB", lang.decimal(kib as f64 / 1024.0, 1)));
    format!(
        "{} {} {}: {verdict}, {} {}, {} s{memory}",
        p.input.path.file_name().map_or_else(|| p.input.label.clone(), |n| n.to_string_lossy().into_owned()),
        lang.pick("frö", "seed"),
        run.seed,
        lang.pick("mjuk poäng", "soft score"),
        lang.int(run.score.soft),
        lang.decimal(wall.as_secs_f64(), 1)
    )
}

/// The parts of the solve report that the bench reads.
#[derive(Deserialize)]
struct SolveReport {
    legal: bool,
    score: Score,
    objective: Option<i64>,
    solver: Option<SolverTimes>,
}

#[derive(Deserialize)]
struct SolverTimes {
    first_feasible_ms: Option<u64>,
    within_one_percent_ms: Option<u64>,
}

/// Solves one input with one seed in a child process, then reads the schedule back and
/// checks that the evaluator agrees with the solver's report.
fn run_once(exe: &Path, p: &Planned, seed: u64, settings: &Settings, files: &Path) -> anyhow::Result<Run> {
    // An INRC-II solution is a folder of weekly files.
    let schedule_path = match p.source {
        Source::Inrc(_) => files.with_extension("sol"),
        Source::Turnus(_) => files.with_extension("csv"),
    };
    let report_path = files.with_extension("json");
    let record_path = files.with_extension("memory.json");
    let solve_args: Vec<OsString> = vec![
        "solve".into(),
        p.input.path.clone().into(),
        "--time-limit".into(),
        format!("{}ms", settings.time_limit.as_millis()).into(),
        "--threads".into(),
        settings.threads.to_string().into(),
        "--seed".into(),
        seed.to_string().into(),
        "--out".into(),
        schedule_path.clone().into(),
        "--report".into(),
        report_path.clone().into(),
        "--quiet".into(),
        "--lang".into(),
        settings.lang.pick("sv", "en").into(),
    ];
    let lang = settings.lang;
    let child = measure::run_solve(exe, &solve_args, &record_path, lang)?;
    let fail = |sv: String, en: String| {
        anyhow::anyhow!(match lang {
            Lang::Sv => sv,
            Lang::En => en,
        })
    };

    // `turnus solve` exits 0 for a legal schedule and 1 for one that breaks a hard rule;
    // both wrote a schedule. Anything else means no schedule.
    let stderr = if child.stderr.is_empty() { String::new() } else { format!(": {}", child.stderr) };
    match (child.measured.exit_code, child.measured.signal) {
        (Some(0 | 1), _) => {}
        (Some(code), _) => {
            return Err(fail(
                format!("turnus solve avslutades med slutkod {code}{stderr}"),
                format!("turnus solve exited with code {code}{stderr}"),
            ));
        }
        (None, Some(signal)) => {
            return Err(fail(
                format!("turnus solve avbröts av signal {signal}{stderr}"),
                format!("turnus solve was killed by signal {signal}{stderr}"),
            ));
        }
        (None, None) => {
            return Err(fail(
                format!("turnus solve avslutades utan slutkod{stderr}"),
                format!("turnus solve ended without an exit code{stderr}"),
            ));
        }
    }
    let report_name = report_path.display();
    let report: SolveReport = match std::fs::read_to_string(&report_path) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| {
            fail(
                format!("rapporten {report_name} kan inte läsas: {e}"),
                format!("the report {report_name} is invalid: {e}"),
            )
        })?,
        Err(e) => {
            return Err(fail(
                format!("turnus solve skrev ingen rapport till {report_name}: {e}"),
                format!("turnus solve wrote no report to {report_name}: {e}"),
            ));
        }
    };

    let checked = match &p.source {
        Source::Turnus(loaded) => check_schedule(loaded, &schedule_path, lang)?,
        Source::Inrc(instance) => check_inrc_solution(instance, &schedule_path, lang)?,
    };
    let schedule_name = schedule_path.display();
    if checked.score != report.score || checked.legal != report.legal {
        return Err(fail(
            format!(
                "utvärderaren ger {schedule_name} poängen {} (lagligt: {}), men lösarens rapport anger {} (lagligt: {})",
                checked.score, checked.legal, report.score, report.legal
            ),
            format!(
                "the evaluator scores {schedule_name} as {} (legal: {}), but the solve report states {} (legal: {})",
                checked.score, checked.legal, report.score, report.legal
            ),
        ));
    }
    let benchmark = match &p.source {
        Source::Turnus(loaded) => loaded.kind == InputKind::Curtois,
        Source::Inrc(_) => true,
    };
    if benchmark && report.objective != Some(checked.score.soft) {
        return Err(fail(
            format!(
                "utvärderaren ger {schedule_name} målfunktionen {}, men lösarens rapport anger {:?}",
                checked.score.soft, report.objective
            ),
            format!(
                "the evaluator's objective of {schedule_name} is {}, but the solve report states {:?}",
                checked.score.soft, report.objective
            ),
        ));
    }

    let times = report.solver.as_ref();
    Ok(Run {
        seed,
        score: checked.score,
        legal: checked.legal,
        hard_violations: checked.hard_violations,
        first_feasible_ms: times.and_then(|t| t.first_feasible_ms),
        within_one_percent_ms: times.and_then(|t| t.within_one_percent_ms),
        peak_kib: child.measured.peak_kib,
    })
}

/// The evaluator's verdict on a written schedule.
struct Checked {
    score: Score,
    legal: bool,
    hard_violations: usize,
}

/// Reads a schedule file as `turnus check` does and evaluates it.
fn check_schedule(loaded: &Loaded, path: &Path, lang: Lang) -> anyhow::Result<Checked> {
    let problem: &Problem = &loaded.problem;
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        anyhow::anyhow!(match lang {
            Lang::Sv => format!("turnus solve skrev inget schema till {name}: {e}"),
            Lang::En => format!("turnus solve wrote no schedule to {name}: {e}"),
        })
    })?;
    let read = match loaded.kind {
        InputKind::Curtois => read_curtois_schedule(problem, &name, &bytes),
        InputKind::Bundle | InputKind::Json => turnus_io::read_schedule_csv(problem, &name, &bytes),
    };
    let (schedule, contradictions): (Schedule, _) = read.map_err(|errors| {
        let details: Vec<String> = errors.errors.iter().map(|e| e.render(lang)).collect();
        anyhow::anyhow!(match lang {
            Lang::Sv => format!("det skrivna schemat kan inte läsas in igen: {}", details.join("; ")),
            Lang::En => format!("the written schedule cannot be read back: {}", details.join("; ")),
        })
    })?;
    let mut evaluation = evaluate(problem, &schedule).map_err(|errors| {
        let details: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!(match lang {
            Lang::Sv => format!("utvärderaren avvisar problemet: {}", details.join("; ")),
            Lang::En => format!("the evaluator rejects the problem: {}", details.join("; ")),
        })
    })?;
    evaluation.contradictions.extend(contradictions);
    Ok(Checked {
        score: evaluation.score,
        legal: evaluation.is_legal(),
        hard_violations: evaluation.findings.iter().filter(|f| f.hard).count(),
    })
}

/// Reads an INRC-II solution folder and scores it with the competition's evaluator.
fn check_inrc_solution(instance: &turnus_inrc::Instance, path: &Path, lang: Lang) -> anyhow::Result<Checked> {
    let assignments = turnus_inrc::read_solution(path, instance).map_err(|errors| {
        let details: Vec<String> = errors.errors.iter().map(|e| e.render(lang)).collect();
        anyhow::anyhow!(match lang {
            Lang::Sv => format!("den skrivna lösningen kan inte läsas in igen: {}", details.join("; ")),
            Lang::En => format!("the written solution cannot be read back: {}", details.join("; ")),
        })
    })?;
    let evaluation = turnus_inrc::evaluate(instance, &assignments);
    Ok(Checked {
        score: crate::inrc::score_of(&evaluation),
        legal: evaluation.is_feasible(),
        hard_violations: evaluation.violations.len(),
    })
}

/// Renders the settings, every table and the summary as one Markdown document.
fn render_markdown(rows: &[Row], settings: &Settings) -> String {
    let lang = settings.lang;
    let seeds: Vec<String> = settings.seeds.iter().map(u64::to_string).collect();
    let mut text = match lang {
        Lang::Sv => format!(
            "turnus bench {}: söktid {} s, trådar {}, frön {}.\n",
            env!("CARGO_PKG_VERSION"),
            settings.time_limit.as_secs_f64(),
            settings.threads,
            seeds.join(", ")
        ),
        Lang::En => format!(
            "turnus bench {}: time limit {} s, threads {}, seeds {}.\n",
            env!("CARGO_PKG_VERSION"),
            settings.time_limit.as_secs_f64(),
            settings.threads,
            seeds.join(", ")
        ),
    };
    let curtois: Vec<&Row> = rows.iter().filter(|r| matches!(r.kind, Kind::Curtois(_))).collect();
    let inrc: Vec<&Row> = rows.iter().filter(|r| matches!(r.kind, Kind::Inrc(_))).collect();
    let bundles: Vec<&Row> = rows.iter().filter(|r| r.kind == Kind::Bundle).collect();
    if !curtois.is_empty() {
        text.push('\n');
        text.push_str(&table::curtois_header(lang));
        text.push('\n');
        for row in curtois {
            text.push_str(&table::curtois_line(row, Numbers::Plain));
            text.push('\n');
        }
        if let Some(note) = table::illegal_note(rows, lang) {
            text.push('\n');
            text.push_str(&note);
            text.push('\n');
        }
    }
    if !inrc.is_empty() {
        text.push('\n');
        text.push_str(&table::inrc_header(lang));
        text.push('\n');
        for row in inrc {
            text.push_str(&table::inrc_line(row, Numbers::Plain));
            text.push('\n');
        }
    }
    if !bundles.is_empty() {
        text.push('\n');
        text.push_str(&table::bundle_header(lang));
        text.push('\n');
        for row in bundles {
            text.push_str(&table::bundle_line(row, Numbers::Plain));
            text.push('\n');
        }
    }
    text.push('\n');
    for line in table::summary_lines(rows, lang) {
        text.push_str(&line);
        text.push('\n');
    }
    text
}

/// Renders the table as CSV with the columns of [`table::CSV_COLUMNS`].
///
/// # Errors
///
/// Fails when the CSV writer fails, which writing to a buffer in memory does not do.
fn render_csv(rows: &[Row], lang: Lang) -> anyhow::Result<Vec<u8>> {
    let failed = |e: &dyn std::fmt::Display| {
        anyhow::anyhow!(match lang {
            Lang::Sv => format!("CSV-tabellen kan inte skapas: {e}"),
            Lang::En => format!("cannot build the CSV table: {e}"),
        })
    };
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(table::CSV_COLUMNS).map_err(|e| failed(&e))?;
    for row in rows {
        writer.write_record(table::csv_record(row)).map_err(|e| failed(&e))?;
    }
    writer.into_inner().map_err(|e| failed(&e.error()))
}
