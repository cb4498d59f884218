//! The `turnus` command: `solve`, `check`, `example`, `bench`, and the server commands
//! `serve`, `worker`, `user add`, `audit verify`, `backup` and `restore`. Swedish by default, English
//! with `--lang en`. Exit codes: 0 legal schedule, 1 hard rule broken, 2 unreadable input or
//! a usage error (`bench`: 0 every run finished, 1 a run failed, 2 an input is missing).

/// Writes one line to standard output like `println!`, but returns the write error instead of
/// panicking, so that `main` can end quietly when the reader of a pipe quits (`turnus check
/// … | head`).
macro_rules! outln {
    () => {
        std::io::Write::write_all(&mut std::io::stdout().lock(), b"\n")
    };
    ($($arg:tt)*) => {
        std::io::Write::write_fmt(&mut std::io::stdout().lock(), format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod bench;
mod cli;
mod db_lock;
mod errors;
mod examples;
mod export;
mod help;
mod input;
mod inrc;
mod server;
mod summary;
mod usage_error;
mod values;

use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let lang = match cli::language_from_args(std::env::args()) {
        Ok(lang) => lang,
        Err(value) => {
            // The language is unknown, so the message is in both.
            eprintln!(
                "fel: okänt språk {value:?} i --lang eller TURNUS_LANG; välj sv (svenska) eller en (engelska)\n\
                 error: unknown language {value:?} in --lang or TURNUS_LANG; choose sv (Swedish) or en (English)"
            );
            return ExitCode::from(2);
        }
    };
    let matches = match cli::command(lang).try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
            return usage_error::report(&error, &args, lang);
        }
    };
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
        // Colour codes only on a terminal, so that a log file stays plain text.
        let ansi = std::io::stderr().is_terminal();
        tracing_subscriber::fmt()
            .with_env_filter(env_filter)
            .with_writer(std::io::stderr)
            .with_ansi(ansi)
            .init();
    }
    match cli::run(&matches, lang) {
        Ok(code) => code,
        // The reader of the output quit, as `head` does after its lines; like ripgrep, end
        // quietly with success.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        // The message goes to stderr once, without a log line that repeats it.
        Err(e) => {
            eprintln!("{}: {e:#}", lang.pick("fel", "error"));
            ExitCode::from(2)
        }
    }
}

/// Checks whether writing to standard output failed because its pipe was closed.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
