//! Error messages of the `turnus` binary in Swedish (the default) and English: usage errors
//! that clap finds, and store and file errors of the database commands, each run against an
//! SQLite file in a temporary folder. Every case checks the whole first line and the exit code.

use std::process::{Command, Output};

mod common;
use common::{run_in, stderr, temp_dir};

/// Asserts exit code 2 and the first line of standard error.
fn assert_error(output: &Output, first_line: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().next(), Some(first_line), "{err}");
}

/// The words of clap's English frame, which Swedish output must not contain.
const CLAP_ENGLISH: [&str; 6] =
    ["error:", "Usage:", "For more information", "tip:", "unexpected argument", "invalid value"];

#[test]
fn usage_errors_in_swedish() {
    let dir = temp_dir("messages", "usage-sv");
    let cases: [(&[&str], &str); 10] = [
        (
            &["solve", "x", "--threads", "abc"],
            "fel: ogiltigt värde \"abc\" för --threads <N>: skriv ett heltal från 0 och uppåt, t.ex. 4",
        ),
        (&["solve", "x", "--thread", "2"], "fel: okänd flagga --thread; menade du --threads?"),
        (&["solve", "x", "--time-limit"], "fel: --time-limit <TID> saknar värde"),
        (
            &["solve", "x", "--time-limit", "2d"],
            "fel: ogiltigt värde \"2d\" för --time-limit <TID>: okänd enhet \"d\"; använd ms, s, m eller h",
        ),
        (&["slove", "x"], "fel: okänt kommando \"slove\"; menade du serve eller solve?"),
        (&["check", "x"], "fel: argumentet <SCHEMA> saknas"),
        (
            &["example", "ut", "--kind", "hemtjanst"],
            "fel: ogiltigt värde \"hemtjanst\" för --kind <TYP>; möjliga värden: sarskilt-boende, lss-boende",
        ),
        (
            &["serve", "--lease", "5000"],
            "fel: ogiltigt värde \"5000\" för --lease <SEKUNDER>: skriv ett heltal från 2 till 3600",
        ),
        (
            &["bench", "--set", "curtois", "--seeds", "1,1"],
            "fel: ogiltigt värde \"1,1\" för --seeds <LISTA>: slumpfröet 1 anges två gånger",
        ),
        (
            &["bench", "--set", "curtois", "--instances", "0"],
            "fel: ogiltigt värde \"0\" för --instances <LISTA>: \"0\" är inget instansnummer från 1 till 24",
        ),
    ];
    for (args, first_line) in cases {
        let output = run_in(&dir, args, "");
        assert_error(&output, first_line);
        let err = stderr(&output);
        for english in CLAP_ENGLISH {
            assert!(!err.contains(english), "{english} in {args:?}:\n{err}");
        }
        assert!(err.contains("--help för mer information."), "{args:?}:\n{err}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_error_shows_usage_and_help() {
    let dir = temp_dir("messages", "usage-frame");
    let sv = stderr(&run_in(&dir, &["solve", "x", "--threads", "abc"], ""));
    assert!(sv.contains("\nAnvändning: turnus solve [FLAGGOR] <INDATA>\n"), "{sv}");
    assert!(sv.ends_with("\nSe turnus solve --help för mer information.\n"), "{sv}");
    let en = stderr(&run_in(&dir, &["solve", "x", "--threads", "abc", "--lang", "en"], ""));
    assert!(en.contains("\nUsage: turnus solve [OPTIONS] <INPUT>\n"), "{en}");
    assert!(en.ends_with("\nFor more information, run turnus solve --help.\n"), "{en}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn usage_errors_in_english() {
    let dir = temp_dir("messages", "usage-en");
    let cases: [(&[&str], &str); 8] = [
        (
            &["solve", "x", "--threads", "abc", "--lang", "en"],
            "error: invalid value \"abc\" for --threads <N>: write a whole number from 0 up, e.g. 4",
        ),
        (
            &["solve", "x", "--thread", "2", "--lang", "en"],
            "error: unknown option --thread; did you mean --threads?",
        ),
        (&["solve", "x", "--lang", "en", "--time-limit"], "error: --time-limit <TIME> needs a value"),
        (&["--lang", "en", "slove", "x"], "error: unknown command \"slove\"; did you mean serve or solve?"),
        (&["check", "x", "--lang", "en"], "error: the argument <SCHEDULE> is missing"),
        (
            &["user", "add", "--username", "anna", "--role", "boss", "--lang", "en"],
            "error: invalid value \"boss\" for --role <ROLE>; possible values: admin, user",
        ),
        (
            &["serve", "--listen", "localhost", "--lang", "en"],
            "error: invalid value \"localhost\" for --listen <ADDRESS>: write an IP address with a port, \
             e.g. 127.0.0.1:8080 or [::1]:8080",
        ),
        (
            &["bench", "--set", "curtois", "--seeds", "1,1", "--lang", "en"],
            "error: invalid value \"1,1\" for --seeds <LIST>: seed 1 is given twice",
        ),
    ];
    for (args, first_line) in cases {
        let output = run_in(&dir, args, "");
        assert_error(&output, first_line);
        assert!(stderr(&output).contains("--help."), "{args:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn turnus_lang_variable_picks_english() {
    let dir = temp_dir("messages", "usage-env");
    let output = Command::new(env!("CARGO_BIN_EXE_turnus"))
        .args(["slove"])
        .current_dir(&dir)
        .env("TURNUS_LANG", "en")
        .output()
        .unwrap();
    assert_error(&output, "error: unknown command \"slove\"; did you mean serve or solve?");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_of_unknown_command_is_a_usage_error() {
    let dir = temp_dir("messages", "usage-help");
    let output = run_in(&dir, &["help", "slove"], "");
    assert_error(&output, "fel: okänt kommando \"slove\"; menade du serve eller solve?");
    let help = run_in(&dir, &["help", "solve"], "");
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("Användning: turnus solve"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn user_add_store_errors_in_both_languages() {
    let dir = temp_dir("messages", "user-add");
    let added = run_in(&dir, &["user", "add", "--username", "admin", "--role", "admin"], "hemligt-losen-1\n");
    assert!(added.status.success(), "{}", stderr(&added));

    let taken = run_in(&dir, &["user", "add", "--username", "Admin"], "ett-annat-losen\n");
    assert_error(&taken, "fel: användarnamnet admin är upptaget; välj ett annat");
    let taken = run_in(&dir, &["user", "add", "--username", "Admin", "--lang", "en"], "ett-annat-losen\n");
    assert_error(&taken, "error: the user name admin is taken; choose another");

    let spaced = run_in(&dir, &["user", "add", "--username", "anna berg"], "ett-annat-losen\n");
    assert_error(
        &spaced,
        "fel: användarnamnet \"anna berg\" innehåller ett mellanslag eller ett styrtecken; ta bort det",
    );
    let spaced =
        run_in(&dir, &["user", "add", "--username", "anna berg", "--lang", "en"], "ett-annat-losen\n");
    assert_error(
        &spaced,
        "error: user name \"anna berg\" contains a space or a control character; remove it",
    );

    let role = run_in(&dir, &["user", "add", "--username", "anna", "--role", "chef"], "ett-annat-losen\n");
    assert_error(&role, "fel: ogiltigt värde \"chef\" för --role <ROLL>; möjliga värden: admin, user");

    let short = run_in(&dir, &["user", "add", "--username", "anna"], "kort\n");
    assert_error(&short, "fel: lösenordet måste ha minst 10 tecken");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unopenable_database_in_both_languages() {
    let dir = temp_dir("messages", "open");
    let args = |db: &'static str, lang: &'static str| {
        ["user", "add", "--username", "anna", "--db", db, "--lang", lang]
    };

    let missing_folder = run_in(&dir, &args("saknas/turnus.db", "sv"), "hemligt-losen-1\n");
    assert_error(
        &missing_folder,
        "fel: databasen saknas/turnus.db kan inte öppnas: filen kan inte öppnas; \
         kontrollera att mappen finns och att du får skriva i den",
    );
    let missing_folder = run_in(&dir, &args("saknas/turnus.db", "en"), "hemligt-losen-1\n");
    assert_error(
        &missing_folder,
        "error: cannot open the database saknas/turnus.db: the file cannot be opened; \
         check that the folder exists and that you may write to it",
    );

    std::fs::write(dir.join("text.db"), "det här är ingen databas, bara text som är tillräckligt lång")
        .unwrap();
    let junk = run_in(&dir, &args("text.db", "sv"), "hemligt-losen-1\n");
    assert_error(
        &junk,
        "fel: databasen text.db kan inte öppnas: filen är ingen SQLite-databas; ange rätt fil med --db",
    );
    let junk = run_in(&dir, &args("text.db", "en"), "hemligt-losen-1\n");
    assert_error(
        &junk,
        "error: cannot open the database text.db: the file is not an SQLite database; give the right file with --db",
    );

    // The scheme is rejected before any connection is tried.
    let scheme = run_in(&dir, &args("mysql://localhost/turnus", "sv"), "hemligt-losen-1\n");
    assert_error(
        &scheme,
        "fel: databas-URL:er med schemat \"mysql\" stöds inte; använd postgres://…, sqlite://SÖKVÄG eller en filsökväg",
    );
    let scheme = run_in(&dir, &args("mysql://localhost/turnus", "en"), "hemligt-losen-1\n");
    assert_error(
        &scheme,
        "error: database URLs of scheme \"mysql\" are not supported; use postgres://…, sqlite://PATH or a file path",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn backup_errors_in_both_languages() {
    let dir = temp_dir("messages", "backup");
    let missing = run_in(&dir, &["backup", "kopia.db", "--db", "saknas.db"], "");
    assert_error(&missing, "fel: databasen saknas.db finns inte; ange databasen med --db eller TURNUS_DB");
    let missing = run_in(&dir, &["backup", "kopia.db", "--db", "saknas.db", "--lang", "en"], "");
    assert_error(
        &missing,
        "error: the database saknas.db does not exist; name the database with --db or TURNUS_DB",
    );
    assert!(!dir.join("saknas.db").exists(), "backup created the database it was to copy");

    let added = run_in(&dir, &["user", "add", "--username", "admin"], "hemligt-losen-1\n");
    assert!(added.status.success(), "{}", stderr(&added));
    let unwritable = run_in(&dir, &["backup", "saknas/kopia.db"], "");
    assert_error(
        &unwritable,
        "fel: kopian saknas/kopia.db kan inte skrivas: filen kan inte öppnas; \
         kontrollera att mappen finns och att du får skriva i den",
    );
    let unwritable = run_in(&dir, &["backup", "saknas/kopia.db", "--lang", "en"], "");
    assert_error(
        &unwritable,
        "error: cannot write the copy saknas/kopia.db: the file cannot be opened; \
         check that the folder exists and that you may write to it",
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn restore_errors_in_both_languages() {
    let dir = temp_dir("messages", "restore");
    let missing = run_in(&dir, &["restore", "saknas.db"], "");
    assert_error(
        &missing,
        "fel: saknas.db kan inte läsas: filen eller mappen finns inte; kontrollera sökvägen",
    );
    let missing = run_in(&dir, &["restore", "saknas.db", "--lang", "en"], "");
    assert_error(&missing, "error: cannot read saknas.db: no such file or folder; check the path");

    std::fs::write(dir.join("text.db"), "ingen databas").unwrap();
    let junk = run_in(&dir, &["restore", "text.db"], "");
    assert_error(
        &junk,
        "fel: text.db är ingen Turnus-databas; ange en kopia som turnus backup har skrivit. Ingenting återställdes",
    );
    let junk = run_in(&dir, &["restore", "text.db", "--lang", "en"], "");
    assert_error(
        &junk,
        "error: text.db is not a Turnus database; give a copy written by turnus backup. Nothing was restored",
    );
    assert!(!dir.join("turnus.db").exists(), "a failed restore left a database behind");

    let postgres = run_in(&dir, &["restore", "text.db", "--db", "postgres://localhost/turnus"], "");
    assert_error(&postgres, "fel: restore gäller SQLite; återställ PostgreSQL med pg_restore");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn audit_verify_of_missing_database() {
    let dir = temp_dir("messages", "audit");
    let missing = run_in(&dir, &["audit", "verify"], "");
    assert_error(&missing, "fel: databasen ./turnus.db finns inte; ange databasen med --db eller TURNUS_DB");
    let missing = run_in(&dir, &["audit", "verify", "--lang", "en"], "");
    assert_error(
        &missing,
        "error: the database ./turnus.db does not exist; name the database with --db or TURNUS_DB",
    );
    assert!(!dir.join("turnus.db").exists(), "audit verify created the database it was to check");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn heartbeat_not_below_lease_in_both_languages() {
    let dir = temp_dir("messages", "lease");
    let args = ["worker", "--lease", "5", "--heartbeat", "5", "--db", "w.db"];
    let sv = run_in(&dir, &args, "");
    assert_error(
        &sv,
        "fel: --heartbeat 5 måste vara kortare än --lease 5, annars tar andra lösare över jobb som körs; \
         ange en kortare --heartbeat",
    );
    let en = run_in(&dir, &[&args[..], &["--lang", "en"]].concat(), "");
    assert_error(
        &en,
        "error: --heartbeat 5 must be shorter than --lease 5, or other workers take over running jobs; \
         give a shorter --heartbeat",
    );
    assert!(!dir.join("w.db").exists(), "the database was created before the options were checked");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn unreadable_files_in_both_languages() {
    let dir = temp_dir("messages", "files");
    let example = run_in(&dir, &["example", "enhet"], "");
    assert!(example.status.success(), "{}", stderr(&example));

    let schedule = run_in(&dir, &["check", "enhet", "saknas.csv"], "");
    assert_error(
        &schedule,
        "fel: saknas.csv kan inte läsas: filen eller mappen finns inte; kontrollera sökvägen",
    );
    let schedule = run_in(&dir, &["check", "enhet", "saknas.csv", "--lang", "en"], "");
    assert_error(&schedule, "error: cannot read saknas.csv: no such file or folder; check the path");

    let input = run_in(&dir, &["check", "saknas.json", "saknas.csv"], "");
    assert_eq!(input.status.code(), Some(2));
    assert!(
        stderr(&input).contains(
            "saknas.json: kan inte läsas: filen eller mappen finns inte; \
             ange en bundle-mapp, en JSON-fil eller en Curtois-instans"
        ),
        "{}",
        stderr(&input)
    );

    let again = run_in(&dir, &["example", "enhet"], "");
    assert_error(&again, "fel: enhet/unit.toml finns redan; välj en tom mapp");
    let again = run_in(&dir, &["example", "enhet", "--lang", "en"], "");
    assert_error(&again, "error: enhet/unit.toml already exists; choose an empty folder");

    let unwritable =
        run_in(&dir, &["solve", "enhet", "--iterations", "1", "-q", "--out", "saknas/schema.csv"], "");
    assert_error(
        &unwritable,
        "fel: saknas/schema.csv kan inte skrivas: filen eller mappen finns inte; kontrollera sökvägen",
    );
    let _ = std::fs::remove_dir_all(&dir);
}
