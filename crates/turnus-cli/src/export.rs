//! `turnus export`: writes a schedule as an XLSX workbook, an iCalendar file for one
//! employee, or schedule.csv. It loads the input and the schedule as `turnus check` does and
//! exits 2 when either cannot be read or the request names no usable employee.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Arg, ArgMatches, Command, value_parser};
use turnus_core::Lang;
use turnus_export::{ExportError, ExportFormat, ExportOptions, export};

/// Builds the `export` subcommand with help text in `lang`.
pub fn command(lang: Lang) -> Command {
    let t = |sv: &'static str, en: &'static str| lang.pick(sv, en).to_string();
    Command::new("export")
        .about(t(
            "Exportera ett schema som XLSX (en flik per vecka och en sammanfattning), iCalendar per anställd eller schedule.csv",
            "Export a schedule as XLSX (a sheet per week and a summary), iCalendar per employee or schedule.csv",
        ))
        .arg(Arg::new("input").required(true).value_name("INDATA").value_parser(value_parser!(PathBuf)).help(t(
            "En bundle-mapp (unit.toml och CSV-filer), ett JSON-problem eller en Curtois-instans",
            "A bundle folder (unit.toml and CSV files), a JSON problem or a Curtois instance",
        )))
        .arg(
            Arg::new("schedule")
                .required(true)
                .value_name("SCHEMA")
                .value_parser(value_parser!(PathBuf))
                .help(t("Schemafilen (schedule.csv)", "The schedule file (schedule.csv)")),
        )
        .arg(
            Arg::new("format")
                .long("format")
                .value_name("FORMAT")
                .value_parser(["xlsx", "ics", "csv"])
                .help(t(
                    "Filformat: xlsx, ics eller csv (standard: efter filändelsen i --out)",
                    "File format: xlsx, ics or csv (default: from the extension of --out)",
                )),
        )
        .arg(
            Arg::new("out")
                .long("out")
                .short('o')
                .required(true)
                .value_name("FIL")
                .value_parser(value_parser!(PathBuf))
                .help(t("Filen att skriva", "The file to write")),
        )
        .arg(Arg::new("employee").long("employee").value_name("ID").help(t(
            "Bara denna anställd (anställningsnummer); krävs för ics",
            "Only this employee (staff id); required for ics",
        )))
}

/// Runs `turnus export`.
pub fn run(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let input = m.get_one::<PathBuf>("input").expect("required");
    let schedule_path = m.get_one::<PathBuf>("schedule").expect("required");
    let out = m.get_one::<PathBuf>("out").expect("required");

    // The format comes from --format, or else from the extension of --out.
    let named = m
        .get_one::<String>("format")
        .cloned()
        .or_else(|| out.extension().and_then(|e| e.to_str()).map(str::to_string));
    let Some(format) = named.and_then(|f| f.parse::<ExportFormat>().ok()) else {
        eprintln!(
            "{}: {}",
            lang.pick("fel", "error"),
            lang.pick(
                "ange --format xlsx, ics eller csv, eller en utfil som slutar på .xlsx, .ics eller .csv",
                "give --format xlsx, ics or csv, or an output file ending in .xlsx, .ics or .csv",
            )
        );
        return Ok(ExitCode::from(2));
    };

    let Some(crate::cli::Checked { problem, schedule, evaluation, .. }) =
        crate::cli::load_and_evaluate(input, schedule_path, lang)?
    else {
        return Ok(ExitCode::from(2));
    };
    // A schedule that contradicts the input is still exported: the summary sheet lists the
    // contradictions, and the scheduler may want the file to fix them.
    for c in &evaluation.contradictions {
        eprintln!("{}: {}", lang.pick("varning", "warning"), lang.pick(&c.message_sv, &c.message_en));
    }

    let mut options = ExportOptions::new(lang);
    options.employee = m.get_one::<String>("employee").cloned();
    let file = match export(&problem, &schedule, &evaluation, format, &options) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("{}: {}", lang.pick("fel", "error"), message(&e, lang));
            return Ok(ExitCode::from(2));
        }
    };
    crate::cli::write_atomically(out, &file, lang)?;
    tracing::info!(format = format.extension(), bytes = file.len(), out = %out.display(), "export written");
    outln!("{} {}", lang.pick("Exporten skrevs till", "The export was written to"), out.display())?;
    Ok(ExitCode::SUCCESS)
}

/// Renders the export error in `lang`, with what to do next.
fn message(error: &ExportError, lang: Lang) -> String {
    match (error, lang) {
        (ExportError::EmployeeRequired, Lang::Sv) => {
            "iCalendar skrivs per anställd; ange --employee med ett anställningsnummer".to_string()
        }
        (ExportError::EmployeeRequired, Lang::En) => {
            "iCalendar is written per employee; give --employee with a staff id".to_string()
        }
        (ExportError::UnknownEmployee(id), Lang::Sv) => {
            format!("anställd {id:?} finns inte i staff.csv; ange ett anställningsnummer därifrån")
        }
        (ExportError::UnknownEmployee(id), Lang::En) => {
            format!("employee {id:?} is not in staff.csv; give a staff id from that file")
        }
        (other, _) => other.to_string(),
    }
}
