//! Runs one `turnus solve` as a child process and measures its peak memory, through a hidden
//! middle subcommand whose only child is that solve.
//!
//! Linux keeps a process's peak resident set size (`ru_maxrss`) until its parent reaps it,
//! and hands it out only through `wait4(2)` or `getrusage(RUSAGE_CHILDREN)`. The libc binding
//! of `wait4` needs `unsafe`, which this workspace forbids. `getrusage` has a safe binding in
//! nix, but with `RUSAGE_CHILDREN` it returns the largest peak of all reaped children, so
//! `turnus bench` could not tell its runs apart if it reaped them itself. A middle process per
//! run has exactly one child, so its `RUSAGE_CHILDREN` peak is that solve's own. Polling
//! `/proc/PID/status` (`VmHWM`) was rejected because it misses growth after the last poll.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use clap::{Arg, ArgMatches, value_parser};
use serde::{Deserialize, Serialize};
use turnus_core::Lang;

use crate::errors::{FileTask, file_error, io_error};

/// The hidden subcommand that runs one child and writes its [`Measured`] record.
pub const SUBCOMMAND: &str = "bench-measure";

/// The end of a measured child: exit status and peak memory.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Measured {
    /// The child's exit code, `None` when a signal ended it.
    pub exit_code: Option<i32>,
    /// The signal that ended the child.
    pub signal: Option<i32>,
    /// The child's peak resident set size in KiB; `None` on systems other than Linux.
    pub peak_kib: Option<u64>,
}

/// Builds the hidden middle subcommand `turnus bench-measure --output FILE -- solve ARGS…`.
pub fn command() -> clap::Command {
    clap::Command::new(SUBCOMMAND)
        .hide(true)
        .about(
            "Run `turnus ARGS…` as the only child process and write its exit status and peak memory as JSON",
        )
        .arg(
            Arg::new("output")
                .long("output")
                .required(true)
                .value_name("FILE")
                .value_parser(value_parser!(PathBuf)),
        )
        .arg(Arg::new("args").last(true).required(true).num_args(1..).value_parser(value_parser!(OsString)))
}

/// Runs the middle subcommand: starts the child, waits for it and writes the record. Errors
/// are worded in `lang`.
///
/// # Errors
///
/// Fails when the child cannot be started or the record cannot be written.
pub fn run(m: &ArgMatches, lang: Lang) -> anyhow::Result<ExitCode> {
    let output = m.get_one::<PathBuf>("output").expect("required");
    let args: Vec<&OsString> = m.get_many::<OsString>("args").expect("required").collect();
    let exe = current_exe(lang)?;

    // `status` waits with waitpid, which reaps the child, so getrusage below includes it.
    let status = Command::new(&exe)
        .args(args)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| start_error(&exe, &e, lang))?;

    let measured =
        Measured { exit_code: status.code(), signal: signal_of(&status), peak_kib: children_peak_kib(lang)? };
    // A struct of numbers always serializes.
    let record = serde_json::to_vec(&measured).expect("the record serializes");
    std::fs::write(output, record).map_err(|e| file_error(FileTask::Write, output, &e, lang))?;
    Ok(ExitCode::SUCCESS)
}

/// Returns the path of the running turnus binary, which `bench` starts for each run.
///
/// # Errors
///
/// Fails when the operating system cannot name it, such as after the file was deleted.
pub fn current_exe(lang: Lang) -> anyhow::Result<PathBuf> {
    std::env::current_exe().map_err(|e| {
        io_error(
            "sökvägen till programmet turnus kan inte hittas",
            "cannot find the path of the turnus binary",
            &e,
            lang,
        )
    })
}

fn start_error(exe: &Path, error: &std::io::Error, lang: Lang) -> anyhow::Error {
    let exe = exe.display();
    io_error(&format!("{exe} kan inte startas"), &format!("cannot start {exe}"), error, lang)
}

#[cfg(unix)]
fn signal_of(status: &std::process::ExitStatus) -> Option<i32> {
    use std::os::unix::process::ExitStatusExt;
    status.signal()
}

#[cfg(not(unix))]
fn signal_of(_: &std::process::ExitStatus) -> Option<i32> {
    None
}

/// Reads the largest peak resident set size of the reaped children, in KiB (the unit of
/// `ru_maxrss` on Linux).
#[cfg(target_os = "linux")]
fn children_peak_kib(lang: Lang) -> anyhow::Result<Option<u64>> {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|errno| {
        io_error(
            "barnprocessens toppminne kan inte läsas (getrusage)",
            "cannot read the child process's peak memory (getrusage)",
            &std::io::Error::from(errno),
            lang,
        )
    })?;
    Ok(u64::try_from(usage.max_rss()).ok())
}

#[cfg(not(target_os = "linux"))]
fn children_peak_kib(_: Lang) -> anyhow::Result<Option<u64>> {
    Ok(None)
}

/// The outcome of one measured solve, as seen from `turnus bench`.
#[derive(Debug)]
pub struct ChildRun {
    pub measured: Measured,
    /// The solve's stderr output, for error messages.
    pub stderr: String,
}

/// Runs `turnus solve_args…` through the middle subcommand and returns how it ended. Errors
/// are worded in `lang`.
///
/// # Errors
///
/// Fails when the middle process cannot be started or ends without writing its record.
pub fn run_solve(exe: &Path, solve_args: &[OsString], record: &Path, lang: Lang) -> anyhow::Result<ChildRun> {
    let output = Command::new(exe)
        .arg(SUBCOMMAND)
        .arg("--output")
        .arg(record)
        .arg("--")
        .args(solve_args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| start_error(exe, &e, lang))?;
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
    if !output.status.success() {
        let status = output.status;
        anyhow::bail!(match lang {
            Lang::Sv => format!("mätprocessen misslyckades ({status}): {stderr}"),
            Lang::En => format!("the measuring process failed ({status}): {stderr}"),
        });
    }
    let name = record.display();
    let text = std::fs::read(record).map_err(|e| {
        let what_sv = format!("mätprocessen skrev ingen mätpost till {name}");
        io_error(&what_sv, &format!("the measuring process wrote no record to {name}"), &e, lang)
    })?;
    let measured: Measured = serde_json::from_slice(&text).map_err(|e| {
        anyhow::anyhow!(match lang {
            Lang::Sv => format!("mätposten {name} är ingen giltig JSON: {e}"),
            Lang::En => format!("the record {name} is not valid JSON: {e}"),
        })
    })?;
    Ok(ChildRun { measured, stderr })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_binary_worded_in_each_language() {
        let exe = Path::new("/nonexistent/turnus");
        let record = Path::new("/nonexistent/record.json");
        let sv = run_solve(exe, &[], record, Lang::Sv).expect_err("no such binary").to_string();
        assert_eq!(
            sv,
            "/nonexistent/turnus kan inte startas: filen eller mappen finns inte; kontrollera sökvägen"
        );
        let en = run_solve(exe, &[], record, Lang::En).expect_err("no such binary").to_string();
        assert_eq!(en, "cannot start /nonexistent/turnus: no such file or folder; check the path");
    }
}
