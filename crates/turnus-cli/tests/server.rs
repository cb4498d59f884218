//! End-to-end tests of the server's operator commands on an SQLite file: `user add` with the
//! password on stdin, `backup` refusing to overwrite, `restore`, and `audit verify` finding a
//! row altered behind the server's back.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn turnus(args: &[&str], dir: &Path, stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_turnus"))
        .args(args)
        .current_dir(dir)
        .env_remove("TURNUS_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("turnus runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("turnus-server-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).to_string()
}

#[test]
fn backup_restore_and_audit_verify() {
    let dir = temp_dir("backup");
    let added = turnus(&["user", "add", "--username", "admin", "--role", "admin"], &dir, "hemligt-losen-1\n");
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    assert!(stdout(&added).contains("Kontot skapades: admin"));
    assert!(dir.join("turnus.db").exists());

    let short = turnus(&["user", "add", "--username", "anna"], &dir, "kort\n");
    assert_eq!(short.status.code(), Some(2));

    let backup = turnus(&["backup", "copy.db"], &dir, "");
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    let again = turnus(&["backup", "copy.db", "--lang", "en"], &dir, "");
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("give --force to overwrite it"));
    assert!(turnus(&["backup", "copy.db", "--force"], &dir, "").status.success());

    let intact = turnus(&["audit", "verify", "--lang", "en"], &dir, "");
    assert_eq!(intact.status.code(), Some(0), "{}", stdout(&intact));
    assert!(stdout(&intact).starts_with("The audit log is intact:"));

    // Someone with file access alters a row, dropping the trigger that protects it.
    let sql = "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET reason = 'x' WHERE seq = 1;";
    let altered = Command::new("python3")
        .args([
            "-c",
            &format!(
                "import sqlite3; c = sqlite3.connect('turnus.db'); c.executescript(\"{sql}\"); c.commit()"
            ),
        ])
        .current_dir(&dir)
        .status()
        .expect("python3 runs");
    assert!(altered.success());
    let broken = turnus(&["audit", "verify", "--lang", "en"], &dir, "");
    assert_eq!(broken.status.code(), Some(1), "{}", stdout(&broken));
    assert!(stdout(&broken).contains("content_altered"), "{}", stdout(&broken));

    // Restoring the copy brings the intact log back.
    assert_eq!(turnus(&["restore", "copy.db"], &dir, "").status.code(), Some(2));
    let restored = turnus(&["restore", "copy.db", "--force"], &dir, "");
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    assert_eq!(turnus(&["audit", "verify"], &dir, "").status.code(), Some(0));

    std::fs::write(dir.join("junk.db"), "not a database").unwrap();
    let junk = turnus(&["restore", "junk.db", "--force"], &dir, "");
    assert_eq!(junk.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
