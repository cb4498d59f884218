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

use anyhow::Context;
use clap::{Arg, ArgMatches, value_parser};
use serde::{Deserialize, Serialize};

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

/// Runs the middle subcommand: starts the child, waits for it and writes the record.
///
/// # Errors
///
/// Fails when the child cannot be started or the record cannot be written.
pub fn run(m: &ArgMatches) -> anyhow::Result<ExitCode> {
    let output = m.get_one::<PathBuf>("output").expect("required");
    let args: Vec<&OsString> = m.get_many::<OsString>("args").expect("required").collect();
    let exe = std::env::current_exe().context("cannot find the path of the turnus binary")?;

    // `status` waits with waitpid, which reaps the child, so getrusage below includes it.
    let status = Command::new(&exe)
        .args(args)
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("cannot start {}", exe.display()))?;

    let measured =
        Measured { exit_code: status.code(), signal: signal_of(&status), peak_kib: children_peak_kib()? };
    std::fs::write(output, serde_json::to_vec(&measured)?)
        .with_context(|| format!("cannot write {}", output.display()))?;
    Ok(ExitCode::SUCCESS)
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
fn children_peak_kib() -> anyhow::Result<Option<u64>> {
    use nix::sys::resource::{UsageWho, getrusage};
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).context("getrusage(RUSAGE_CHILDREN) failed")?;
    Ok(u64::try_from(usage.max_rss()).ok())
}

#[cfg(not(target_os = "linux"))]
fn children_peak_kib() -> anyhow::Result<Option<u64>> {
    Ok(None)
}

/// The outcome of one measured solve, as seen from `turnus bench`.
#[derive(Debug)]
pub struct ChildRun {
    pub measured: Measured,
    /// The solve's stderr output, for error messages.
    pub stderr: String,
}

/// Runs `turnus solve_args…` through the middle subcommand and returns how it ended.
///
/// # Errors
///
/// Fails when the middle process cannot be started or ends without writing its record.
pub fn run_solve(exe: &Path, solve_args: &[OsString], record: &Path) -> anyhow::Result<ChildRun> {
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
        .with_context(|| format!("cannot start {}", exe.display()))?;
    let stderr = String::from_utf8_lossy(&output.stderr).trim().to_string();
    if !output.status.success() {
        anyhow::bail!("the measuring process failed ({}): {stderr}", output.status);
    }
    let text = std::fs::read(record)
        .with_context(|| format!("the measuring process wrote no record to {}", record.display()))?;
    let measured: Measured = serde_json::from_slice(&text)
        .with_context(|| format!("the record {} is not valid JSON", record.display()))?;
    Ok(ChildRun { measured, stderr })
}
