//! The `turnus` command: `solve`, `check`, `example` and `bench`. Swedish by default, English
//! with `--lang en`. Exit codes: 0 legal schedule, 1 hard rule broken, 2 unreadable input
//! (`bench`: 0 every run finished, 1 a run failed, 2 an input is missing).

mod bench;
mod cli;
mod examples;
mod export;
mod input;
mod summary;

use std::process::ExitCode;

fn main() -> ExitCode {
    let lang = cli::language_from_args(std::env::args());
    let matches = cli::command(lang).get_matches();
    let verbosity = matches.get_count("verbose");
    let filter = match verbosity {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("TURNUS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter)),
        )
        .with_writer(std::io::stderr)
        .init();
    match cli::run(&matches, lang) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "command failed");
            eprintln!("{}: {e:#}", lang.pick("fel", "error"));
            ExitCode::from(2)
        }
    }
}
