//! End-to-end tests of the server's commands on an SQLite file: `serve` on a real loopback
//! socket until SIGTERM, `user add` with the password on stdin, `backup` refusing to
//! overwrite, `restore` (refused while a server runs), and `audit verify` finding a row
//! altered behind the server's back.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

mod common;
use common::{run_in, stdout, temp_dir};

/// Runs `turnus` in `dir` with `stdin`.
fn turnus(args: &[&str], dir: &Path, stdin: &str) -> Output {
    run_in(dir, args, stdin)
}

#[test]
fn backup_restore_and_audit_verify() {
    let dir = temp_dir("server-cli", "backup");
    let added = turnus(&["user", "add", "--username", "admin", "--role", "admin"], &dir, "hemligt-losen-1\n");
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    assert!(stdout(&added).contains("Kontot skapades: admin"));
    assert!(dir.join("turnus.db").exists());

    let short = turnus(&["user", "add", "--username", "anna"], &dir, "kort\n");
    assert_eq!(short.status.code(), Some(2));
    let taken = turnus(&["user", "add", "--username", "Admin"], &dir, "ett-annat-losen\n");
    assert_eq!(taken.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&taken.stderr);
    assert!(stderr.contains("fel: användarnamnet admin är upptaget; välj ett annat\n"), "{stderr}");

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
    assert!(
        stdout(&broken).starts_with(
            "The audit log is broken: row 1 was altered after it was written; restore the database \
             from a copy with turnus restore and find out who changed it\n"
        ),
        "{}",
        stdout(&broken)
    );
    assert!(
        stdout(&broken).contains("Details: {\"kind\":\"content_altered\",\"seq\":1}"),
        "{}",
        stdout(&broken)
    );
    let broken = turnus(&["audit", "verify"], &dir, "");
    assert_eq!(broken.status.code(), Some(1), "{}", stdout(&broken));
    assert!(
        stdout(&broken).starts_with(
            "Granskningsloggen är bruten: rad 1 har ändrats efter att den skrevs; återställ databasen \
             från en kopia med turnus restore och ta reda på vem som ändrade den\n"
        ),
        "{}",
        stdout(&broken)
    );

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

/// Sends one HTTP/1.1 request to 127.0.0.1:`port` and returns the whole response.
fn http(port: u16, request: &str) -> std::io::Result<String> {
    use std::io::Read;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    Ok(response)
}

#[test]
fn serve_answers_and_stops_on_sigterm() {
    let dir = temp_dir("server-cli", "serve");
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let listen = format!("127.0.0.1:{port}");
    let mut server = Command::new(env!("CARGO_BIN_EXE_turnus"))
        .args(["serve", "--listen", &listen, "--log-format", "json", "--db", "served.db"])
        .current_dir(&dir)
        .env_remove("TURNUS_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("turnus serve starts");

    let health = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let mut response = None;
    for _ in 0..100 {
        if let Ok(text) = http(port, health) {
            response = Some(text);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let response = response.expect("the server answers within ten seconds");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"status\":\"ok\""), "{response}");
    assert!(dir.join("served.db").exists());

    let login = r#"{"username":"nobody","password":"wrong"}"#;
    let request = format!(
        "POST /api/v1/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept-Language: en\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{login}",
        login.len()
    );
    let denied = http(port, &request).unwrap();
    assert!(denied.starts_with("HTTP/1.1 401"), "{denied}");
    assert!(denied.contains("Wrong user name or password"), "{denied}");

    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let output = server.wait_with_output_timeout();
    assert_eq!(output.0, Some(0), "{}", output.1);
    assert!(output.1.contains("SIGTERM received"), "{}", output.1);
    assert!(output.1.contains("turnus server stopped"), "{}", output.1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_on_port_zero_prints_bound_port() {
    use std::io::BufRead;
    let dir = temp_dir("server-cli", "port-zero");
    let mut server = Command::new(env!("CARGO_BIN_EXE_turnus"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--db",
            "served.db",
            "--lang",
            "en",
        ])
        .current_dir(&dir)
        .env_remove("TURNUS_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("turnus serve starts");

    // The first line of standard output names the address; it comes after the bind, so the
    // server accepts connections once it is printed.
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().expect("stdout is piped"))
        .read_line(&mut line)
        .expect("serve prints a line");
    let address = line.trim().strip_prefix("Turnus is listening on http://").expect(&line).to_string();
    let bound: std::net::SocketAddr = address.parse().expect(&address);
    assert_eq!(bound.ip(), std::net::Ipv4Addr::LOCALHOST);
    assert_ne!(bound.port(), 0, "{line}");

    let health = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    let response = http(bound.port(), health).expect("the printed port answers");
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"status\":\"ok\""), "{response}");

    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let (code, log) = server.wait_with_output_timeout();
    assert_eq!(code, Some(0), "{log}");
    let started = log.lines().find(|l| l.contains("turnus server started")).expect(&log);
    assert!(started.contains(&format!("\"listen\":\"{bound}\"")), "{started}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn restore_refused_while_serve_runs() {
    use std::io::BufRead;
    let dir = temp_dir("server-cli", "restore-running");
    let mut server = Command::new(env!("CARGO_BIN_EXE_turnus"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db", "served.db", "--lang", "en"])
        .current_dir(&dir)
        .env_remove("TURNUS_DB")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("turnus serve starts");
    let mut line = String::new();
    std::io::BufReader::new(server.stdout.take().expect("stdout is piped"))
        .read_line(&mut line)
        .expect("serve prints a line");
    assert!(line.starts_with("Turnus is listening on"), "{line}");

    let backup = turnus(&["backup", "copy.db", "--db", "served.db"], &dir, "");
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    let refused = turnus(&["restore", "copy.db", "--force", "--db", "served.db", "--lang", "en"], &dir, "");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("served.db is in use by a running turnus serve or turnus worker; stop it"),
        "{stderr}"
    );
    assert!(stdout(&refused).is_empty(), "{}", stdout(&refused));
    assert!(!dir.join("served.restoring").exists());

    let killed = Command::new("kill").args(["-TERM", &server.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let (code, log) = server.wait_with_output_timeout();
    assert_eq!(code, Some(0), "{log}");
    let restored = turnus(&["restore", "copy.db", "--force", "--db", "served.db"], &dir, "");
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    let _ = std::fs::remove_dir_all(&dir);
}

/// Waits at most 20 seconds for a child to exit, killing it after that.
trait WaitTimeout {
    fn wait_with_output_timeout(&mut self) -> (Option<i32>, String);
}

impl WaitTimeout for std::process::Child {
    fn wait_with_output_timeout(&mut self) -> (Option<i32>, String) {
        use std::io::Read;
        let mut code = None;
        for _ in 0..200 {
            if let Some(status) = self.try_wait().unwrap() {
                code = status.code();
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        if code.is_none() {
            let _ = self.kill();
            let _ = self.wait();
        }
        let mut stderr = String::new();
        if let Some(mut pipe) = self.stderr.take() {
            let _ = pipe.read_to_string(&mut stderr);
        }
        (code, stderr)
    }
}
