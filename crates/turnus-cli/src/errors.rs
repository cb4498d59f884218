//! Errors of the libraries worded for the command line in the user's language. Store
//! rejections use the store's own messages, which the HTTP API shows too. Database and file
//! failures name the operation, the database or path, the cause and what to check.

use std::path::Path;

use sqlx::migrate::MigrateError;
use turnus_core::{Lang, continuing};
use turnus_store::{DbFailure, Message, StoreError};

/// Picks the message of a store type for the line after `fel: `.
pub fn picked(message: &Message, lang: Lang) -> String {
    continuing(message.pick(lang))
}

/// The operation a command was running on the database when the store failed.
#[derive(Debug, Clone, Copy)]
pub enum DbTask<'a> {
    /// Connecting and applying the migrations.
    Open,
    /// Saving a new user account.
    SaveUser,
    /// Reading the audit log.
    ReadAudit,
    /// Copying the database to a new file.
    Backup { target: &'a Path },
}

/// The cause of a failure in both languages, and what the user can do about it.
struct Cause {
    sv: String,
    en: String,
    fix: Option<(String, String)>,
}

impl Cause {
    fn new(sv: impl Into<String>, en: impl Into<String>, fix: (&str, &str)) -> Cause {
        Cause { sv: sv.into(), en: en.into(), fix: Some((fix.0.to_string(), fix.1.to_string())) }
    }

    /// Words a driver failure that the store words, with the driver's text in brackets for
    /// the operator.
    fn database(failure: DbFailure) -> Cause {
        let detail = failure.detail;
        Cause {
            sv: format!("{} ({detail})", continuing(&failure.cause.sv)),
            en: format!("{} ({detail})", continuing(&failure.cause.en)),
            fix: Some((continuing(&failure.fix.sv), continuing(&failure.fix.en))),
        }
    }

    /// Wraps a cause that only the library can word, so it stays English in both languages.
    fn untranslated(text: String) -> Cause {
        Cause { sv: text.clone(), en: text, fix: None }
    }

    /// Builds the error `{what}: {cause}; {fix}` in `lang`.
    fn error(self, what_sv: &str, what_en: &str, lang: Lang) -> anyhow::Error {
        let (what, cause) = match lang {
            Lang::Sv => (what_sv, self.sv),
            Lang::En => (what_en, self.en),
        };
        match self.fix {
            Some((sv, en)) => anyhow::anyhow!("{what}: {cause}; {}", lang.pick(&sv, &en)),
            None => anyhow::anyhow!("{what}: {cause}"),
        }
    }
}

/// Words a store error: a rejection with the store's message, a failure of the database
/// with what the command was doing, on which database, the cause and what to check.
pub fn store_error(error: StoreError, database: &str, task: DbTask<'_>, lang: Lang) -> anyhow::Error {
    if let Some(message) = error.message() {
        return anyhow::anyhow!(picked(&message, lang));
    }
    let (what_sv, what_en) = match task {
        DbTask::Open => {
            (format!("databasen {database} kan inte öppnas"), format!("cannot open the database {database}"))
        }
        DbTask::SaveUser => {
            (format!("kontot kan inte sparas i {database}"), format!("cannot save the account in {database}"))
        }
        DbTask::ReadAudit => (
            format!("granskningsloggen i {database} kan inte läsas"),
            format!("cannot read the audit log in {database}"),
        ),
        DbTask::Backup { target } => (
            format!("kopian {} kan inte skrivas", target.display()),
            format!("cannot write the copy {}", target.display()),
        ),
    };
    store_cause(&error).error(&what_sv, &what_en, lang)
}

fn store_cause(error: &StoreError) -> Cause {
    match error {
        StoreError::Db(e) => sqlx_cause(e),
        StoreError::Migrate(MigrateError::Execute(e)) => sqlx_cause(e),
        StoreError::Migrate(MigrateError::VersionMissing(version)) => Cause::new(
            format!("databasen har migreringen {version}, som den här versionen av Turnus saknar"),
            format!("the database has migration {version}, which this version of Turnus lacks"),
            ("använd samma eller en nyare version av turnus", "use the same or a newer version of turnus"),
        ),
        StoreError::Corrupt(detail) => Cause::new(
            format!("databasen innehåller ett värde som inte kan läsas ({detail})"),
            format!("the database contains a value that cannot be read ({detail})"),
            (
                "den kan vara skriven av en nyare version av Turnus; använd samma version",
                "it may have been written by a newer version of Turnus; use that version",
            ),
        ),
        other => Cause::untranslated(other.to_string()),
    }
}

// SQLite's primary result codes, as in the bindings of libsqlite3-sys 0.30.1.
const SQLITE_BUSY: i32 = 5;
const SQLITE_LOCKED: i32 = 6;
const SQLITE_READONLY: i32 = 8;
const SQLITE_CORRUPT: i32 = 11;
const SQLITE_FULL: i32 = 13;
const SQLITE_CANTOPEN: i32 = 14;
const SQLITE_NOTADB: i32 = 26;

/// Words a failure of the database driver: the store's wording of common causes first, then
/// SQLite's primary result code where it has one.
fn sqlx_cause(error: &sqlx::Error) -> Cause {
    if let Some(failure) = turnus_store::db_failure(error) {
        return Cause::database(failure);
    }
    match error {
        sqlx::Error::Database(e) => {
            // sqlx reports SQLite's extended result code, whose low byte is the primary code.
            // PostgreSQL's errors keep the driver's message.
            let is_sqlite = e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
            let primary = e
                .code()
                .and_then(|code| code.parse::<i32>().ok())
                .filter(|_| is_sqlite)
                .map(|code| code & 0xff);
            match primary {
                Some(SQLITE_CANTOPEN) => Cause::new(
                    "filen kan inte öppnas",
                    "the file cannot be opened",
                    (
                        "kontrollera att mappen finns och att du får skriva i den",
                        "check that the folder exists and that you may write to it",
                    ),
                ),
                Some(SQLITE_NOTADB) => Cause::new(
                    "filen är ingen SQLite-databas",
                    "the file is not an SQLite database",
                    ("ange rätt fil med --db", "give the right file with --db"),
                ),
                Some(SQLITE_READONLY) => Cause::new(
                    "databasen är skrivskyddad",
                    "the database is read-only",
                    (
                        "kontrollera att du får skriva i filen och i mappen",
                        "check that you may write to the file and its folder",
                    ),
                ),
                Some(SQLITE_FULL) => Cause::new(
                    "disken är full",
                    "the disk is full",
                    ("frigör utrymme och försök igen", "free some space and try again"),
                ),
                Some(SQLITE_BUSY | SQLITE_LOCKED) => Cause::new(
                    "databasen är låst av en annan process",
                    "the database is locked by another process",
                    ("försök igen om en stund", "try again in a moment"),
                ),
                Some(SQLITE_CORRUPT) => Cause::new(
                    "databasfilen är skadad",
                    "the database file is corrupt",
                    ("återställ en kopia med turnus restore", "restore a copy with turnus restore"),
                ),
                _ => Cause::untranslated(e.message().to_string()),
            }
        }
        sqlx::Error::Io(e) => io_cause(e),
        other => Cause::untranslated(other.to_string()),
    }
}

/// The operation a command was running on a file when it failed.
#[derive(Debug, Clone, Copy)]
pub enum FileTask {
    Read,
    Write,
    Lock,
    CreateFolder,
}

/// Words a failed file operation on `path` with its cause and what to check.
pub fn file_error(task: FileTask, path: &Path, error: &std::io::Error, lang: Lang) -> anyhow::Error {
    let path = path.display();
    let (what_sv, what_en) = match task {
        FileTask::Read => (format!("{path} kan inte läsas"), format!("cannot read {path}")),
        FileTask::Write => (format!("{path} kan inte skrivas"), format!("cannot write {path}")),
        FileTask::Lock => (format!("{path} kan inte låsas"), format!("cannot lock {path}")),
        FileTask::CreateFolder => {
            (format!("mappen {path} kan inte skapas"), format!("cannot create the folder {path}"))
        }
    };
    io_cause(error).error(&what_sv, &what_en, lang)
}

/// Words a failure of `what` (given in both languages) whose cause is an I/O error.
pub fn io_error(what_sv: &str, what_en: &str, error: &std::io::Error, lang: Lang) -> anyhow::Error {
    io_cause(error).error(what_sv, what_en, lang)
}

/// Words the cause of an I/O error in Swedish and English, without what to do about it.
pub fn io_cause_words(error: &std::io::Error) -> (String, String) {
    let cause = io_cause(error);
    (cause.sv, cause.en)
}

fn io_cause(error: &std::io::Error) -> Cause {
    use std::io::ErrorKind as K;

    match error.kind() {
        K::NotFound => Cause::new(
            "filen eller mappen finns inte",
            "no such file or folder",
            ("kontrollera sökvägen", "check the path"),
        ),
        K::PermissionDenied => Cause::new(
            "åtkomst nekas",
            "permission denied",
            (
                "kontrollera behörigheterna för filen och mappen",
                "check the permissions of the file and its folder",
            ),
        ),
        K::ReadOnlyFilesystem => Cause::new(
            "filsystemet är skrivskyddat",
            "the file system is read-only",
            ("välj en annan plats", "choose another place"),
        ),
        K::StorageFull => Cause::new(
            "disken är full",
            "the disk is full",
            ("frigör utrymme och försök igen", "free some space and try again"),
        ),
        K::IsADirectory => {
            Cause::new("sökvägen är en mapp", "the path is a folder", ("ange en fil", "give a file"))
        }
        K::NotADirectory => Cause::new(
            "en del av sökvägen är ingen mapp",
            "part of the path is not a folder",
            ("kontrollera sökvägen", "check the path"),
        ),
        K::AddrInUse => Cause::new(
            "adressen används redan",
            "the address is in use",
            (
                "stoppa programmet som använder porten, eller välj en annan port med --listen",
                "stop the program that uses the port, or choose another port with --listen",
            ),
        ),
        K::AddrNotAvailable => Cause::new(
            "adressen finns inte på den här datorn",
            "the address does not belong to this machine",
            ("välj en annan adress med --listen", "choose another address with --listen"),
        ),
        _ => Cause::untranslated(error.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_database_worded_in_each_language() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let error = || StoreError::Db(sqlx::Error::Io(refused.kind().into()));
        let sv = store_error(error(), "postgres://db.local/turnus", DbTask::Open, Lang::Sv).to_string();
        assert_eq!(
            sv,
            "databasen postgres://db.local/turnus kan inte öppnas: databasservern nekar anslutningen \
             (error communicating with database: connection refused); kontrollera att PostgreSQL kör och att \
             värden och porten i databas-URL:en stämmer"
        );
        let en = store_error(error(), "postgres://db.local/turnus", DbTask::Open, Lang::En).to_string();
        assert!(
            en.starts_with(
                "cannot open the database postgres://db.local/turnus: the database server refuses"
            ),
            "{en}"
        );
    }

    #[test]
    fn missing_file_worded_in_each_language() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        let path = Path::new("/x/kopia.db");
        let sv = file_error(FileTask::Read, path, &missing, Lang::Sv).to_string();
        assert_eq!(sv, "/x/kopia.db kan inte läsas: filen eller mappen finns inte; kontrollera sökvägen");
        let en = file_error(FileTask::Read, path, &missing, Lang::En).to_string();
        assert_eq!(en, "cannot read /x/kopia.db: no such file or folder; check the path");
    }
}
