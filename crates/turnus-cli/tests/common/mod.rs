//! Helpers shared by the end-to-end tests of the `turnus` binary: the repository root, a
//! fresh temporary folder per test, and runs of the binary with their output as text.

// Each test binary includes this module and uses only some of the helpers.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Returns the repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Creates an empty folder `turnus-{group}-{name}-{pid}` under the system's temporary folder,
/// removing what an earlier run left there.
pub fn temp_dir(group: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("turnus-{group}-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `turnus` in `dir` with `stdin`, without the language and database variables of the
/// caller's environment.
pub fn run_in(dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_turnus"))
        .args(args)
        .current_dir(dir)
        .env_remove("TURNUS_LANG")
        .env_remove("TURNUS_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("turnus runs");
    // A command that rejects its arguments exits before it reads its input. Writing to its
    // closed pipe then fails, and the test checks the output either way.
    if let Err(error) = child.stdin.take().unwrap().write_all(stdin.as_bytes()) {
        assert_eq!(error.kind(), std::io::ErrorKind::BrokenPipe, "writing to turnus failed: {error}");
    }
    child.wait_with_output().unwrap()
}

/// Returns standard output as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Returns standard error as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}
