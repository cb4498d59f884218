//! Command-line arguments (clap's builder API, so help text exists in Swedish and English)
//! and the commands `solve`, `check` and `example`; `bench` lives in its own module.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use turnus_core::{Lang, Schedule, compile, evaluate};
use turnus_solver::{BoundOptions, SolveOptions, grid_to_schedule, lower_bound, solve};

use crate::errors::{FileTask, file_error};
use crate::input::{InputKind, load, print_errors};
use crate::summary::{BoundInfo, Report, SolverInfo, print_summary};
use crate::values::{duration, whole_number};

/// The language named by `--lang` (or `TURNUS_LANG`), Swedish when none is given.
///
/// # Errors
///
/// Returns the value given when it names neither Swedish nor English.
pub fn language_from_args(args: impl Iterator<Item = String>) -> Result<Lang, String> {
    let args: Vec<String> = args.collect();
    let named = args.iter().enumerate().find_map(|(i, a)| match a.strip_prefix("--lang=") {
        Some(value) => Some(value.to_string()),
        // A missing value is left to clap, which names the option.
        None if a == "--lang" => args.get(i + 1).cloned(),
        None => None,
    });
    match named.or_else(|| std::env::var("TURNUS_LANG").ok()) {
        Some(value) => value.parse().map_err(|_| value),
        None => Ok(Lang::Sv),
    }
}

/// The command tree with help text in `lang`.
pub fn command(lang: Lang) -> Command {
    let t = |sv: &'static str, en: &'static str| lang.pick(sv, en).to_string();
    let lang_arg = Arg::new("lang").long("lang").global(true).value_name("SPRÅK").help(t(
        "Språk för utdata: sv (standard) eller en; också TURNUS_LANG",
        "Output language: sv (default) or en; also TURNUS_LANG",
    ));
    let input =
        Arg::new("input").required(true).value_name("INDATA").value_parser(value_parser!(PathBuf)).help(t(
            "En bundle-mapp (unit.toml och CSV-filer), ett JSON-problem, en Curtois-instans eller en INRC-II-instans som DATAMAPP/n030w4_1_6-2-9-1",
            "A bundle folder (unit.toml and CSV files), a JSON problem, a Curtois instance or an INRC-II instance as DATASET_FOLDER/n030w4_1_6-2-9-1",
        ));
    let report =
        Arg::new("report").long("report").value_name("FIL").value_parser(value_parser!(PathBuf)).help(t(
            "Skriv en JSON-rapport: poäng per regel, alla avvikelser, önskemål, timmar och bemanning",
            "Write a JSON report: score per rule, every finding, wishes, hours and cover",
        ));
    let root = Command::new("turnus")
        .version(env!("CARGO_PKG_VERSION"))
        .about(t(
            "Turnus lägger lagliga och rättvisa scheman för vård och omsorg och förklarar varje beslut",
            "Turnus drafts legal, fair staff schedules for care units and explains every decision",
        ))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(lang_arg)
        .arg(
            Arg::new("verbose")
                .short('v')
                .long("verbose")
                .global(true)
                .action(ArgAction::Count)
                .help(t("Mer loggning på stderr (-vv för mer)", "More logging on stderr (-vv for more)")),
        )
        .subcommand(
            Command::new("solve")
                .about(t("Lägg ett schema för perioden", "Draft a schedule for the period"))
                .arg(input.clone())
                .arg(
                    Arg::new("time-limit")
                        .long("time-limit")
                        .value_name("TID")
                        .default_value("30s")
                        .value_parser(duration(lang))
                        .help(t(
                            "Längsta söktid, t.ex. 30s, 2m eller 500ms",
                            "Maximum search time, e.g. 30s, 2m or 500ms",
                        )),
                )
                .arg(
                    Arg::new("iterations")
                        .long("iterations")
                        .value_name("N")
                        .value_parser(whole_number::<u64>(lang))
                        .help(t(
                            "Högsta antal söksteg per tråd; med --seed blir körningen reproducerbar",
                            "Maximum search steps per thread; with --seed the run is reproducible",
                        )),
                )
                .arg(
                    Arg::new("threads")
                        .long("threads")
                        .value_name("N")
                        .value_parser(whole_number::<usize>(lang))
                        .help(t(
                            "Antal trådar (standard: alla kärnor)",
                            "Number of threads (default: all cores)",
                        )),
                )
                .arg(
                    Arg::new("seed")
                        .long("seed")
                        .value_name("S")
                        .default_value("1")
                        .value_parser(whole_number::<u64>(lang))
                        .help(t("Slumpfrö för sökningen", "Random seed of the search")),
                )
                .arg(
                    Arg::new("out")
                        .long("out")
                        .short('o')
                        .value_name("FIL")
                        .value_parser(value_parser!(PathBuf))
                        .help(t(
                            "Schemafil att skriva (standard: schedule.csv i aktuell mapp); för INRC-II en mapp för Sol-*.txt (standard: instansens namn)",
                            "Schedule file to write (default: schedule.csv in the current folder); for INRC-II a folder for the Sol-*.txt files (default: the instance name)",
                        )),
                )
                .arg(report.clone())
                .arg(Arg::new("bound").long("bound").action(ArgAction::SetTrue).help(t(
                    "Beräkna också en undre gräns för poängen och visa hur långt schemat högst är från bästa möjliga (benchmarkregler)",
                    "Also compute a lower bound on the score and show how far the schedule is at most from the best possible (benchmark rules)",
                )))
                .arg(
                    Arg::new("bound-time")
                        .long("bound-time")
                        .value_name("TID")
                        .default_value("30s")
                        .value_parser(duration(lang))
                        .help(t("Längsta tid för den undre gränsen", "Maximum time for the lower bound")),
                )
                .arg(
                    Arg::new("quiet").long("quiet").short('q').action(ArgAction::SetTrue).help(t(
                        "Ingen förloppsindikator eller sammanfattning",
                        "No progress bar or summary",
                    )),
                ),
        )
        .subcommand(
            Command::new("check")
                .about(t(
                    "Kontrollera ett schema mot reglerna (slutkod 0 lagligt, 1 regelbrott, 2 oläsbar indata)",
                    "Check a schedule against the rules (exit 0 legal, 1 rule broken, 2 unreadable input)",
                ))
                .arg(input)
                .arg(
                    Arg::new("schedule")
                        .required(true)
                        .value_name("SCHEMA")
                        .value_parser(value_parser!(PathBuf))
                        .help(t(
                            "Schemafilen (schedule.csv), för INRC-II mappen med Sol-*.txt",
                            "The schedule file (schedule.csv), for INRC-II the folder with the Sol-*.txt files",
                        )),
                )
                .arg(report),
        )
        .subcommand(
            Command::new("example")
                .about(t("Skriv ett exempel på en bundle till en mapp", "Write a sample bundle to a folder"))
                .arg(
                    Arg::new("dir")
                        .required(true)
                        .value_name("MAPP")
                        .value_parser(value_parser!(PathBuf))
                        .help(t("Mappen att skriva till (skapas)", "The folder to write to (created)")),
                )
                .arg(
                    Arg::new("kind")
                        .long("kind")
                        .value_name("TYP")
                        .default_value("sarskilt-boende")
                        .value_parser(["sarskilt-boende", "lss-boende"])
                        .help(t(
                            "Vilket exempel: sarskilt-boende eller lss-boende",
                            "Which sample: sarskilt-boende or lss-boende",
                        )),
                ),
        )
        .subcommand(crate::export::command(lang))
        .subcommands(crate::server::commands(lang))
        .subcommand(crate::bench::command(lang))
        .subcommand(crate::bench::measure::command());
    crate::help::localize(root, lang)
}

/// Runs the chosen command.
pub fn run(matches: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    match matches.subcommand() {
        Some(("solve", m)) => run_solve(m, lang),
        Some(("check", m)) => run_check(m, lang),
        Some(("export", m)) => crate::export::run(m, lang),
        Some(("bench", m)) => crate::bench::run(m, lang),
        Some((crate::bench::measure::SUBCOMMAND, m)) => crate::bench::measure::run(m, lang),
        Some(("help", m)) => {
            // `turnus help user add` shows what `turnus user add --help` shows.
            let mut args = vec!["turnus".to_string()];
            args.extend(m.get_many::<String>("command").into_iter().flatten().cloned());
            args.push("--help".to_string());
            let help_output = command(lang).try_get_matches_from(&args).err();
            // A misspelt command comes back as a usage error instead of the help.
            Ok(help_output.map_or(ExitCode::SUCCESS, |error| crate::usage_error::report(&error, &args, lang)))
        }
        Some((name, m)) if crate::server::handles(name) => crate::server::run(name, m, lang),
        Some(("example", m)) => {
            let dir = m.get_one::<PathBuf>("dir").expect("required");
            let kind = m.get_one::<String>("kind").expect("has default");
            crate::examples::write_example(dir, kind, lang)?;
            outln!("{} {}", lang.pick("Exemplet skrevs till", "The sample was written to"), dir.display())?;
            Ok(ExitCode::SUCCESS)
        }
        _ => unreachable!("clap requires a subcommand"),
    }
}

/// Writes `contents` to `path` through a temporary file and a rename, so a crash never
/// leaves a half-written file. An error names `path`, not the temporary file.
pub(crate) fn write_atomically(path: &Path, contents: &[u8], lang: Lang) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let tmp = dir.join(format!(".{}.tmp", path.file_name().and_then(|n| n.to_str()).unwrap_or("turnus")));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut file| {
            file.write_all(contents)?;
            file.sync_all().ok();
            Ok(())
        })
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(file_error(FileTask::Write, path, &e, lang));
    }
    Ok(())
}

/// Prints the contradictions of a problem that does not compile, worded as the bundle reader
/// words them, and returns exit code 2.
fn print_contradictions(errors: &[turnus_core::ProblemError], lang: Lang) -> ExitCode {
    let errors = turnus_io::InputErrors { errors: errors.iter().map(turnus_io::unit_data_error).collect() };
    print_errors(&errors, lang);
    ExitCode::from(2)
}

fn run_solve(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let path = m.get_one::<PathBuf>("input").expect("required");
    if let Some((dir, name)) = crate::inrc::detect(path) {
        return crate::inrc::run_solve(m, lang, &dir, &name);
    }
    let quiet = m.get_flag("quiet");
    let loaded = match load(path) {
        Ok(l) => l,
        Err(errors) => {
            print_errors(&errors, lang);
            return Ok(ExitCode::from(2));
        }
    };
    for w in &loaded.warnings {
        eprintln!("{}: {}", lang.pick("varning", "warning"), w.render(lang));
    }
    let problem = loaded.problem;
    let compiled = match compile(&problem) {
        Ok(compiled) => compiled,
        Err(errors) => return Ok(print_contradictions(&errors, lang)),
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
        stop: None,
    };
    let bar = if quiet { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(1000) };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let result = solve(&compiled, &options, |p| {
        bar.set_position((p.fraction * 1000.0) as u64);
        bar.set_message(format!(
            "{} {} {}, {} {}",
            lang.pick("bästa:", "best:"),
            p.best.hard,
            lang.pick("hårda", "hard"),
            p.best.soft,
            lang.pick("mjuka", "soft")
        ));
    });
    bar.finish_and_clear();

    let schedule = grid_to_schedule(&compiled, &result.grid);
    let evaluation = match evaluate(&problem, &schedule) {
        Ok(evaluation) => evaluation,
        Err(errors) => return Ok(print_contradictions(&errors, lang)),
    };
    if evaluation.score != result.score {
        tracing::error!(solver = %result.score, evaluator = %evaluation.score, "solver and evaluator scores differ");
    }
    let out = m.get_one::<PathBuf>("out").cloned().unwrap_or_else(|| PathBuf::from("schedule.csv"));
    let csv = match loaded.kind {
        InputKind::Curtois => turnus_io::write_curtois_schedule(&problem, &schedule),
        _ => match turnus_io::write_schedule_csv(&problem, &schedule) {
            Ok(csv) => csv,
            Err(errors) => {
                print_errors(&errors, lang);
                return Ok(ExitCode::from(2));
            }
        },
    };
    write_atomically(&out, csv.as_bytes(), lang)?;

    let solver = SolverInfo {
        threads,
        seed: options.seed,
        iterations: result.iterations,
        elapsed_ms: result.elapsed.as_millis() as u64,
        first_feasible_ms: result.first_feasible.map(|d| d.as_millis() as u64),
        within_one_percent_ms: result.time_to_within(0.01).map(|d| d.as_millis() as u64),
    };
    let mut report = Report::new(&problem, &evaluation, loaded.kind == InputKind::Curtois, Some(solver));
    if m.get_flag("bound") {
        let bound_options = BoundOptions {
            time_limit: m.get_one::<Duration>("bound-time").copied(),
            max_iterations: usize::MAX,
            threads,
            target: (result.score.hard == 0).then_some(result.score.soft),
            start: Some(result.grid.clone()),
        };
        match lower_bound(&compiled, &bound_options) {
            Some(bound) => report.bound = Some(BoundInfo::new(&bound, evaluation.score)),
            None => eprintln!(
                "{}",
                lang.pick(
                    "Ingen undre gräns: den finns bara för regler där varje pass ligger inom sitt dygn och ingen historik eller frånvaro finns (som i benchmarkinstanserna).",
                    "No lower bound: it exists only for rules where every shift stays within its day and there is no history or absence (as in the benchmark instances)."
                )
            ),
        }
    }
    if let Some(path) = m.get_one::<PathBuf>("report") {
        write_atomically(path, serde_json::to_string_pretty(&report)?.as_bytes(), lang)?;
    }
    if !quiet {
        print_summary(&report, lang)?;
        outln!("{} {}", lang.pick("Schemat skrevs till", "The schedule was written to"), out.display())?;
    }
    Ok(if evaluation.is_legal() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn run_check(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let path = m.get_one::<PathBuf>("input").expect("required");
    if let Some((dir, name)) = crate::inrc::detect(path) {
        return crate::inrc::run_check(m, lang, &dir, &name);
    }
    let schedule_path = m.get_one::<PathBuf>("schedule").expect("required");
    let Some(checked) = load_and_evaluate(path, schedule_path, lang)? else {
        return Ok(ExitCode::from(2));
    };
    let report = Report::new(&checked.problem, &checked.evaluation, checked.kind == InputKind::Curtois, None);
    if let Some(path) = m.get_one::<PathBuf>("report") {
        write_atomically(path, serde_json::to_string_pretty(&report)?.as_bytes(), lang)?;
    }
    print_summary(&report, lang)?;
    Ok(if checked.evaluation.is_legal() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// An input with a schedule read against it and evaluated.
pub(crate) struct Checked {
    pub problem: turnus_core::Problem,
    pub kind: InputKind,
    pub schedule: Schedule,
    /// The evaluation, with the schedule's contradictions of the input added.
    pub evaluation: turnus_core::Evaluation,
}

/// Reads an input and a schedule file (the Curtois `employee,day,shift` form for a Curtois
/// input, else schedule.csv) and evaluates the schedule. Prints the errors and returns
/// `None` when either cannot be read, which the commands turn into exit code 2.
pub(crate) fn load_and_evaluate(
    input: &Path,
    schedule_path: &Path,
    lang: Lang,
) -> anyhow::Result<Option<Checked>> {
    let loaded = match load(input) {
        Ok(l) => l,
        Err(errors) => {
            print_errors(&errors, lang);
            return Ok(None);
        }
    };
    let problem = loaded.problem;
    let name = schedule_path.display().to_string();
    let bytes = match std::fs::read(schedule_path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!(
                "{}: {}",
                lang.pick("fel", "error"),
                file_error(FileTask::Read, schedule_path, &e, lang)
            );
            return Ok(None);
        }
    };
    let read = match loaded.kind {
        InputKind::Curtois => read_curtois_schedule(&problem, &name, &bytes),
        _ => turnus_io::read_schedule_csv(&problem, &name, &bytes),
    };
    let (schedule, contradictions) = match read {
        Ok(s) => s,
        Err(errors) => {
            print_errors(&errors, lang);
            return Ok(None);
        }
    };
    let mut evaluation = match evaluate(&problem, &schedule) {
        Ok(evaluation) => evaluation,
        Err(errors) => {
            print_contradictions(&errors, lang);
            return Ok(None);
        }
    };
    evaluation.contradictions.extend(contradictions);
    Ok(Some(Checked { problem, kind: loaded.kind, schedule, evaluation }))
}

/// Reads a benchmark schedule `employee,day,shift` with 0-based day indexes.
pub(crate) fn read_curtois_schedule(
    problem: &turnus_core::Problem,
    name: &str,
    bytes: &[u8],
) -> Result<(Schedule, Vec<turnus_core::Contradiction>), turnus_io::InputErrors> {
    use turnus_io::{InputError, InputErrors};
    let text = String::from_utf8_lossy(bytes);
    let mut schedule = Schedule::default();
    let mut errors = Vec::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim().eq_ignore_ascii_case("employee,day,shift") => {}
        _ => {
            return Err(InputErrors::one(InputError::file(
                name,
                "rubrikraden måste vara employee,day,shift",
                "the header line must be employee,day,shift",
            )));
        }
    }
    for (i, line) in lines {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != 3 {
            errors.push(
                InputError::file(
                    name,
                    "raden ska ha tre fält: anställd, dag, pass",
                    "the row needs three fields: employee, day, shift",
                )
                .at_line(line_no),
            );
            continue;
        }
        match fields[1].parse::<i32>() {
            Ok(day) if day >= 0 && (day as u32) < problem.unit.period.days() => {
                schedule.assignments.push(turnus_core::Assignment {
                    employee: fields[0].to_string(),
                    date: problem.unit.period.date(day),
                    shift: fields[2].to_string(),
                });
            }
            _ => errors.push(
                InputError::file(
                    name,
                    format!("dagen måste vara ett heltal från 0 till {}", problem.unit.period.days() - 1),
                    format!("the day must be a whole number from 0 to {}", problem.unit.period.days() - 1),
                )
                .at_line(line_no)
                .at_cell("day", fields[1]),
            ),
        }
    }
    if errors.is_empty() { Ok((schedule, Vec::new())) } else { Err(InputErrors { errors }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_defaults_to_swedish() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>().into_iter();
        assert_eq!(language_from_args(args(&["turnus", "solve", "x", "--lang", "en"])), Ok(Lang::En));
        assert_eq!(language_from_args(args(&["turnus", "--lang=en"])), Ok(Lang::En));
        assert_eq!(language_from_args(args(&["turnus", "--lang", "sv"])), Ok(Lang::Sv));
        assert_eq!(language_from_args(args(&["turnus", "--lang", "fr"])), Err("fr".to_string()));
        assert_eq!(language_from_args(args(&["turnus", "--lang=de"])), Err("de".to_string()));
    }
}
