//! The `turnus` command: `solve`, `check`, `example`, `bench`, and the server commands
//! `serve`, `worker`, `user add`, `audit verify`, `backup` and `restore`. Swedish by default, English
//! with `--lang en`. Exit codes: 0 legal schedule, 1 hard rule broken, 2 unreadable input
//! (`bench`: 0 every run finished, 1 a run failed, 2 an input is missing).

mod bench;
mod cli;
mod db_lock;
mod examples;
mod export;
mod input;
mod inrc;
mod server;
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
    // The server and workers log starts, stops and requests at info level by default.
    let filter = if verbosity == 0 && matches!(matches.subcommand_name(), Some("serve" | "worker")) {
        "info"
    } else {
        filter
    };
    let env_filter = tracing_subscriber::EnvFilter::try_from_env("TURNUS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(filter));
    if server::wants_json_logs(&matches) {
        tracing_subscriber::fmt().json().with_env_filter(env_filter).with_writer(std::io::stderr).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(env_filter).with_writer(std::io::stderr).init();
    }
    match cli::run(&matches, lang) {
        Ok(code) => code,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "command failed");
            eprintln!("{}: {e:#}", lang.pick("fel", "error"));
            ExitCode::from(2)
        }
    }
}
