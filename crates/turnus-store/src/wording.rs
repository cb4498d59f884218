//! The user messages of store errors and of breaks in the audit chain, worded whole in
//! Swedish and English, so that the HTTP API and the command line show the same text. Each
//! message names the value and what to do instead. Failures of the database itself
//! ([`StoreError::Db`], [`StoreError::Migrate`], [`StoreError::Corrupt`]) have no message,
//! because only the caller knows which operation failed and on which database. For their
//! common causes, such as a refused connection or a wrong password, [`DbFailure`] words the
//! cause and the fix, and keeps the driver's English text as detail. Contradictions of an
//! imported problem are worded by turnus-io.

use turnus_core::{Lang, RuleId};

use crate::audit::AuditBreak;
use crate::error::{Dated, Field, InvalidRequest, Keyed, StoreError, WrongState};
use crate::jobs::JobState;
use crate::period::PeriodState;

/// A message to a user in Swedish and in English. Both texts start with a capital letter and
/// end without a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub sv: String,
    pub en: String,
}

impl Message {
    fn new(sv: impl Into<String>, en: impl Into<String>) -> Message {
        Message { sv: sv.into(), en: en.into() }
    }

    /// Returns the text in `lang`.
    pub fn pick(&self, lang: Lang) -> &str {
        lang.pick(&self.sv, &self.en)
    }
}

impl PeriodState {
    /// Names the state in Swedish, as the web pages' state labels do.
    pub fn label_sv(self) -> &'static str {
        match self {
            PeriodState::Draft => "utkast",
            PeriodState::WishesOpen => "önskemål öppna",
            PeriodState::WishesClosed => "önskemål stängda",
            PeriodState::Proposal => "förslag",
            PeriodState::Review => "granskning",
            PeriodState::Published => "publicerad",
            PeriodState::FollowUp => "uppföljning",
            PeriodState::Closed => "avslutad",
        }
    }

    /// Names the state in English, in words rather than the API's snake-case code.
    pub fn label_en(self) -> &'static str {
        match self {
            PeriodState::Draft => "draft",
            PeriodState::WishesOpen => "wishes open",
            PeriodState::WishesClosed => "wishes closed",
            PeriodState::Proposal => "proposal",
            PeriodState::Review => "review",
            PeriodState::Published => "published",
            PeriodState::FollowUp => "follow-up",
            PeriodState::Closed => "closed",
        }
    }
}

impl StoreError {
    /// Words the error for the user who made the request, or returns `None` for a failure
    /// of the database ([`StoreError::Db`], [`StoreError::Migrate`], [`StoreError::Corrupt`])
    /// and for [`StoreError::InvalidProblem`], whose contradictions turnus-io words one by one.
    pub fn message(&self) -> Option<Message> {
        let message = match self {
            StoreError::NotFound { entity, .. } => Message::new(
                format!("{} finns inte", capitalized(&entity_sv(entity))),
                format!("{} not found", capitalized(entity)),
            ),
            StoreError::Conflict { entity, message, current_row_version, .. } => {
                // The store words the cause in English, so the Swedish text gives only what
                // the user can act on: reload, and the row version now stored.
                let version_sv =
                    current_row_version.map(|v| format!(" (radversion nu {v})")).unwrap_or_default();
                Message::new(
                    format!(
                        "{} har ändrats sedan din senaste läsning{version_sv}, i en annan flik eller av \
                         någon annan; läs om och försök igen",
                        capitalized(&entity_sv(entity))
                    ),
                    format!(
                        "{} was changed after you read it ({message}), in another tab or by someone else; \
                         reload and try again",
                        capitalized(entity)
                    ),
                )
            }
            StoreError::LatePublication { days_before_start, notice_days } => Message::new(
                format!(
                    "Schemat publiceras {days_before_start} dagar före periodens start, kortare än \
                     varseltiden på {notice_days} dagar; ange ett skäl"
                ),
                format!(
                    "The schedule is published {days_before_start} days before the period starts, less \
                     than the notice period of {notice_days} days; give a reason"
                ),
            ),
            StoreError::WrongState(rejection) => rejection.message(),
            StoreError::HardFindings { count, rules } => hard_findings(*count, rules),
            StoreError::UsernameTaken { username } => Message::new(
                format!("Användarnamnet {username} är upptaget; välj ett annat"),
                format!("The user name {username} is taken; choose another"),
            ),
            StoreError::Invalid(rejection) => rejection.message(),
            StoreError::InvalidProblem(_)
            | StoreError::Corrupt(_)
            | StoreError::Db(_)
            | StoreError::Migrate(_) => return None,
        };
        Some(message)
    }
}

/// A common failure of the database driver, worded for the user: the cause, what to do
/// about it, and the driver's own text as detail for the operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbFailure {
    pub kind: DbFailureKind,
    pub cause: Message,
    pub fix: Message,
    /// The driver's text, in English. It may name tables, constraints or hosts, so the HTTP
    /// API logs it instead of showing it.
    pub detail: String,
}

/// The kind of a [`DbFailure`], by which a caller picks its response: a retry, or a fix of
/// the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbFailureKind {
    /// The server cannot be reached or is not accepting connections now.
    Unavailable,
    /// The server rejects the user name or password of the database URL.
    Authentication,
    /// The database that the URL names does not exist on the server.
    MissingDatabase,
    /// A row with the same unique key exists already, or a row that another refers to is
    /// missing: another user changed the data at the same time.
    Conflict,
}

// PostgreSQL's SQLSTATE codes, as in errcodes.txt of PostgreSQL 15 (Debian's
// /usr/share/postgresql/15/errcodes.txt).
const PG_INVALID_AUTHORIZATION: &str = "28000";
const PG_INVALID_PASSWORD: &str = "28P01";
const PG_INVALID_CATALOG_NAME: &str = "3D000";
const PG_TOO_MANY_CONNECTIONS: &str = "53300";
const PG_CANNOT_CONNECT_NOW: &str = "57P03";
const PG_ADMIN_SHUTDOWN: &str = "57P01";

impl StoreError {
    /// Words a failure of the database driver with a common cause, or returns `None` for
    /// other errors and for driver failures that only the driver's text describes.
    pub fn db_failure(&self) -> Option<DbFailure> {
        match self {
            StoreError::Db(error) | StoreError::Migrate(sqlx::migrate::MigrateError::Execute(error)) => {
                db_failure(error)
            }
            _ => None,
        }
    }
}

/// Words a failure of the database driver with a common cause, or returns `None`.
pub fn db_failure(error: &sqlx::Error) -> Option<DbFailure> {
    use DbFailureKind as K;

    let (kind, cause, fix) = match error {
        sqlx::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::ConnectionRefused => (
                K::Unavailable,
                Message::new(
                    "Databasservern nekar anslutningen",
                    "The database server refuses the connection",
                ),
                Message::new(
                    "Kontrollera att PostgreSQL kör och att värden och porten i databas-URL:en stämmer",
                    "Check that PostgreSQL runs and that the host and port in the database URL are right",
                ),
            ),
            std::io::ErrorKind::TimedOut
            | std::io::ErrorKind::HostUnreachable
            | std::io::ErrorKind::NetworkUnreachable => (
                K::Unavailable,
                Message::new("Databasservern går inte att nå", "The database server cannot be reached"),
                Message::new(
                    "Kontrollera värden i databas-URL:en och nätverket till servern",
                    "Check the host in the database URL and the network to the server",
                ),
            ),
            _ => return None,
        },
        // The pool retries a refused or unreachable server until its acquire timeout, so
        // this is how an unreachable server shows when a store opens.
        sqlx::Error::PoolTimedOut => (
            K::Unavailable,
            Message::new("Databasen svarade inte i tid", "The database did not answer in time"),
            Message::new(
                "Kontrollera att databasservern kör och går att nå, och försök igen",
                "Check that the database server runs and can be reached, then try again",
            ),
        ),
        sqlx::Error::Database(db) if db.is_unique_violation() => (
            K::Conflict,
            Message::new(
                "En rad med samma nyckel finns redan, troligen sparad samtidigt av någon annan",
                "A row with the same key exists already, probably saved by someone else at the same time",
            ),
            Message::new("Läs om och försök igen", "Reload and try again"),
        ),
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => (
            K::Conflict,
            Message::new(
                "Raden hänvisar till en rad som inte finns längre, eller andra rader hänvisar till den",
                "The row refers to a row that no longer exists, or other rows refer to it",
            ),
            Message::new("Läs om och försök igen", "Reload and try again"),
        ),
        sqlx::Error::Database(db) => {
            // Only PostgreSQL's errors have SQLSTATE codes; SQLite's are numbers.
            db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>()?;
            match db.code().as_deref() {
                Some(PG_INVALID_PASSWORD | PG_INVALID_AUTHORIZATION) => (
                    K::Authentication,
                    Message::new(
                        "Databasservern godtar inte användaren eller lösenordet",
                        "The database server rejects the user name or password",
                    ),
                    Message::new(
                        "Kontrollera användaren och lösenordet i databas-URL:en och serverns pg_hba.conf",
                        "Check the user name and password in the database URL and the server's pg_hba.conf",
                    ),
                ),
                Some(PG_INVALID_CATALOG_NAME) => (
                    K::MissingDatabase,
                    Message::new(
                        "Databasen som databas-URL:en anger finns inte på servern",
                        "The database named in the database URL does not exist on the server",
                    ),
                    Message::new(
                        "Skapa den med createdb eller rätta namnet i URL:en",
                        "Create it with createdb or correct the name in the URL",
                    ),
                ),
                Some(PG_TOO_MANY_CONNECTIONS | PG_CANNOT_CONNECT_NOW | PG_ADMIN_SHUTDOWN) => (
                    K::Unavailable,
                    Message::new(
                        "Databasservern tar inte emot fler anslutningar just nu",
                        "The database server accepts no more connections right now",
                    ),
                    Message::new("Försök igen om en stund", "Try again in a moment"),
                ),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(DbFailure { kind, cause, fix, detail: error.to_string() })
}

/// Returns `text` with its first letter in upper case, for an entity name that starts a
/// message.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Translates an entity named in a store error to Swedish, with its definite article.
fn entity_sv(entity: &str) -> String {
    let name = match entity {
        "assignment" => "passet",
        "wish" => "önskemålet",
        "schedule period" => "perioden",
        "schedule version" => "schemaversionen",
        "unit" => "enheten",
        "user" => "användaren",
        "job" => "jobbet",
        "api token" => "API-token",
        "organisation" => "organisationen",
        "role grant" => "rollen",
        "employee" => "medarbetaren",
        "calendar token" => "kalendertoken",
        "shift type" => "passtypen",
        "demand row" => "behovsraden",
        other => return format!("raden ({other})"),
    };
    name.to_string()
}

/// Words the rejection of a publication whose version breaks hard rules, with the count per
/// rule.
fn hard_findings(count: usize, rules: &[(RuleId, usize)]) -> Message {
    let list = |label: fn(RuleId) -> &'static str| {
        rules.iter().map(|(rule, n)| format!("{rule} {} ×{n}", label(*rule))).collect::<Vec<_>>().join(", ")
    };
    let findings_en = if count == 1 { "finding" } else { "findings" };
    Message::new(
        format!(
            "Schemaversionen bryter mot hårda regler, {count} regelbrott ({}); rätta passen, eller \
             ange skälet att publicera ändå i override_reason",
            list(RuleId::label_sv)
        ),
        format!(
            "The schedule version breaks hard rules, {count} {findings_en} ({}); fix the assignments, \
             or give the reason to publish anyway in override_reason",
            list(RuleId::label_en)
        ),
    )
}

impl WrongState {
    /// Returns the period's state that does not allow the request (for a move, the state it
    /// starts from).
    pub fn state(self) -> PeriodState {
        match self {
            WrongState::Publish { state }
            | WrongState::EditAssignments { state }
            | WrongState::AlreadyPublished { state }
            | WrongState::Wishes { state }
            | WrongState::Events { state }
            | WrongState::Pins { state } => state,
            WrongState::Move { from, .. } => from,
        }
    }

    /// Words the rejection for the user, with the period's state.
    pub fn message(self) -> Message {
        match self {
            WrongState::Publish { state } => Message::new(
                format!(
                    "Bara en period under granskning kan publiceras; den här är i läget {}",
                    state.label_sv()
                ),
                format!("Only a period under review can be published; this one is in {}", state.label_en()),
            ),
            WrongState::EditAssignments { state } => Message::new(
                format!(
                    "Passen kan ändras bara när perioden är i läget förslag eller granskning; den är i läget {}",
                    state.label_sv()
                ),
                format!(
                    "Assignments can change only while the period is in proposal or review; it is in {}",
                    state.label_en()
                ),
            ),
            WrongState::Move { from, to } => Message::new(
                format!("En period kan inte gå från läget {} till {}", from.label_sv(), to.label_sv()),
                format!("A period cannot move from {} to {}", from.label_en(), to.label_en()),
            ),
            WrongState::AlreadyPublished { state } => Message::new(
                format!("Perioden är redan i läget {}", state.label_sv()),
                format!("The period is already in {}", state.label_en()),
            ),
            WrongState::Wishes { state } => Message::new(
                format!(
                    "Önskemål kan inte ändras när perioden är publicerad; den är i läget {}",
                    state.label_sv()
                ),
                format!("Wishes cannot change once the period is published; it is in {}", state.label_en()),
            ),
            WrongState::Events { state } => Message::new(
                format!(
                    "Händelser registreras bara när perioden är publicerad eller i uppföljning; den är i läget {}",
                    state.label_sv()
                ),
                format!(
                    "Events are recorded only while the period is published or in follow-up; it is in {}",
                    state.label_en()
                ),
            ),
            WrongState::Pins { state } => Message::new(
                format!(
                    "Låsta pass kan inte ändras när perioden är publicerad; den är i läget {}",
                    state.label_sv()
                ),
                format!("Pins cannot change once the period is published; it is in {}", state.label_en()),
            ),
        }
    }
}

impl AuditBreak {
    /// Words the break for the operator, with the row's sequence number and what to do.
    pub fn message(&self) -> Message {
        let fix_sv =
            "återställ databasen från en kopia med turnus restore och ta reda på vem som ändrade den";
        let fix_en = "restore the database from a copy with turnus restore and find out who changed it";
        match *self {
            AuditBreak::ContentAltered { seq } => Message::new(
                format!("Rad {seq} har ändrats efter att den skrevs; {fix_sv}"),
                format!("Row {seq} was altered after it was written; {fix_en}"),
            ),
            AuditBreak::ChainBroken { seq } => Message::new(
                format!(
                    "Rad {seq} hänger inte ihop med raden före: rader före den har tagits bort, lagts till \
                     eller ändrats; {fix_sv}"
                ),
                format!(
                    "Row {seq} does not link to the row before it: rows before it were removed, inserted \
                     or altered; {fix_en}"
                ),
            ),
            AuditBreak::Gap { expected_seq, found_seq } => Message::new(
                format!(
                    "Rad {expected_seq} saknas, nästa rad är {found_seq}: rader har tagits bort; {fix_sv}"
                ),
                format!(
                    "Row {expected_seq} is missing and the next row is {found_seq}: rows were deleted; {fix_en}"
                ),
            ),
            AuditBreak::HeadMismatch { head_seq, last_seq } => Message::new(
                format!(
                    "Kedjans huvud pekar på rad {head_seq} men sista raden är {last_seq}: de nyaste raderna \
                     har tagits bort eller huvudet har ändrats; {fix_sv}"
                ),
                format!(
                    "The chain head names row {head_seq} but the last row is {last_seq}: the newest rows \
                     were deleted or the head was altered; {fix_en}"
                ),
            ),
        }
    }
}

/// Names a value that must not be empty, in Swedish with its definite article and in English.
fn field_name(field: Field) -> (&'static str, &'static str) {
    match field {
        Field::OrganisationName => ("organisationens namn", "organisation name"),
        Field::UnitName => ("enhetens namn", "unit name"),
        Field::EmployeeId => ("anställningsnumret", "staff id"),
        Field::SkillCode => ("kompetenskoden", "skill code"),
        Field::ShiftCode => ("passkoden", "shift code"),
        Field::TokenName => ("API-tokenens namn", "API token name"),
        Field::WorkerId => ("arbetsprocessens id", "worker id"),
        Field::OverrideReason => (
            "skälet att publicera trots brott mot hårda regler",
            "reason to publish despite hard-rule findings",
        ),
    }
}

/// Names the date of a period's row, in Swedish with its definite article and in English.
fn date_name(row: Dated) -> (&'static str, &'static str) {
    match row {
        Dated::Wish => ("önskemålets datum", "wish date"),
        Dated::Pin => ("det låsta passets datum", "pinned shift's date"),
        Dated::Event => ("händelsens datum", "event date"),
        Dated::Assignment => ("passets datum", "assignment date"),
    }
}

/// Names a job state in Swedish and English.
fn job_state(state: JobState) -> (&'static str, &'static str) {
    match state {
        JobState::Queued => ("köat", "queued"),
        JobState::Running => ("körs", "running"),
        JobState::Done => ("klart", "done"),
        JobState::Failed => ("misslyckat", "failed"),
        JobState::Cancelled => ("avbrutet", "cancelled"),
    }
}

impl InvalidRequest {
    /// Words the rejection for the user, with the value that breaks the rule.
    pub fn message(&self) -> Message {
        let (sv, en) = invalid_request(self);
        Message::new(sv, en)
    }
}

fn invalid_request(rejection: &InvalidRequest) -> (String, String) {
    use InvalidRequest as R;

    match rejection {
        R::Empty { field } => {
            let (sv, en) = field_name(*field);
            (format!("{} saknas; fyll i det", capitalized(sv)), format!("The {en} is empty; fill it in"))
        }
        R::UnknownEmployee { id } => (
            format!("Enheten har ingen aktiv medarbetare med anställningsnummer {id}"),
            format!("The unit has no active employee with staff id {id}"),
        ),
        R::UnknownShiftType { code } => (
            format!("Enheten har ingen aktiv passtyp med koden {code}"),
            format!("The unit has no active shift type with code {code}"),
        ),
        R::DateOutsidePeriod { row, date, start, end } => {
            let (sv, en) = date_name(*row);
            (
                format!(
                    "{} {date} ligger utanför perioden {start}–{end}; välj ett datum inom perioden",
                    capitalized(sv)
                ),
                format!(
                    "The {en} {date} is outside the period {start} to {end}; choose a date inside the period"
                ),
            )
        }
        R::Weeks { weeks, max } => (
            format!("En period har 1 till {max} veckor, inte {weeks}"),
            format!("A period has 1 to {max} weeks, not {weeks}"),
        ),
        R::NoticeTooLong { days, max } => (
            format!("Varseltiden på {days} dagar är längre än högst tillåtna {max} dagar; ange högst {max}"),
            format!(
                "The notice period of {days} days is above the maximum of {max} days; give at most {max}"
            ),
        ),
        R::UnknownTimeZone { name } => (
            format!("Okänd tidszon {name:?}; ange ett IANA-namn, t.ex. Europe/Stockholm"),
            format!("Unknown time zone {name:?}; give an IANA name such as Europe/Stockholm"),
        ),
        R::KeyChange { row: Keyed::Employee, from, to } => (
            format!(
                "Anställningsnumret kan inte ändras från {from} till {to}; lägg till en ny medarbetare i stället"
            ),
            format!("The staff id cannot change from {from} to {to}; add a new employee instead"),
        ),
        R::KeyChange { row: Keyed::ShiftType, from, to } => (
            format!("Passkoden kan inte ändras från {from} till {to}; lägg till en ny passtyp i stället"),
            format!("The shift code cannot change from {from} to {to}; add a new shift type instead"),
        ),
        R::Deactivated { row: Keyed::Employee, key } => (
            format!("Medarbetaren {key} är inaktiverad; återaktivera medarbetaren först"),
            format!("Employee {key} is deactivated; reactivate the employee first"),
        ),
        R::Deactivated { row: Keyed::ShiftType, key } => (
            format!("Passtypen {key} är inaktiverad; återaktivera passtypen först"),
            format!("Shift type {key} is deactivated; reactivate the shift type first"),
        ),
        R::AlreadyDeactivated { row: Keyed::Employee, key } => (
            format!("Medarbetaren {key} är redan inaktiverad"),
            format!("Employee {key} is already deactivated"),
        ),
        R::AlreadyDeactivated { row: Keyed::ShiftType, key } => (
            format!("Passtypen {key} är redan inaktiverad"),
            format!("Shift type {key} is already deactivated"),
        ),
        R::AlreadyActive { row: Keyed::Employee, key } => {
            (format!("Medarbetaren {key} är redan aktiv"), format!("Employee {key} is already active"))
        }
        R::AlreadyActive { row: Keyed::ShiftType, key } => {
            (format!("Passtypen {key} är redan aktiv"), format!("Shift type {key} is already active"))
        }
        R::ShiftTypeInUse { code, demand_rows: 1 } => (
            format!(
                "Passtypen {code} används av 1 behovsrad och kan inte inaktiveras; ta bort behovsraden \
                 eller ändra den till en annan passtyp först"
            ),
            format!(
                "Shift type {code} is used by 1 demand row and cannot be deactivated; delete the row or \
                 change it to another shift type first"
            ),
        ),
        R::ShiftTypeInUse { code, demand_rows } => (
            format!(
                "Passtypen {code} används av {demand_rows} behovsrader och kan inte inaktiveras; ta bort \
                 behovsraderna eller ändra dem till en annan passtyp först"
            ),
            format!(
                "Shift type {code} is used by {demand_rows} demand rows and cannot be deactivated; delete \
                 the rows or change them to another shift type first"
            ),
        ),
        R::GrantOfOtherEmployee { grant_employee, employee } => (
            format!(
                "En tidsbegränsad kompetens för {grant_employee} skickades med medarbetaren {employee}; \
                 ange den hos rätt medarbetare"
            ),
            format!(
                "A dated skill of {grant_employee} was sent with employee {employee}; give it with the right employee"
            ),
        ),
        R::FullTimeZero => (
            "Heltidsmåttet är 0 timmar; lämna fältet tomt för regeluppsättningens heltidsmått".into(),
            "The full-time measure is 0 hours; leave the field empty for the rule set's measure".into(),
        ),
        R::WishPriority { priority } => (
            format!("Prioriteten {priority} ska vara 1 (låg), 2 (normal) eller 3 (hög)"),
            format!("Priority {priority} must be 1 (low), 2 (normal) or 3 (high)"),
        ),
        R::AvoidWithoutShift => (
            "Ett önskemål om att undvika ett pass måste ange passet; fyll i passkoden".into(),
            "A wish to avoid a shift must name the shift; fill in the shift code".into(),
        ),
        R::WishOfOtherEmployee { from, to } => (
            format!(
                "Ett önskemål från {from} kan inte flyttas till {to}; ta bort det och lägg till ett nytt"
            ),
            format!("A wish of {from} cannot move to {to}; delete it and add a new one"),
        ),
        R::PublishThroughVersion => (
            "En period publiceras genom att en schemaversion publiceras; publicera en version i stället"
                .into(),
            "A period is published by publishing a schedule version; publish a version instead".into(),
        ),
        R::DeadlinePassed { deadline } => (
            format!("Sista tiden för önskemål, {deadline}, har redan passerat; välj en senare tid"),
            format!("The wish deadline {deadline} has passed; choose a later time"),
        ),
        R::DeadlineMissing => (
            "Ange en sista tid för önskemål när önskemålen öppnas".into(),
            "Give a wish deadline when opening wishes".into(),
        ),
        R::DeadlineWithoutWishes => (
            "Bara när önskemålen öppnas anges en sista tid; lämna den tom".into(),
            "Only opening wishes takes a deadline; leave it empty".into(),
        ),
        R::NothingToReview => (
            "Perioden har ingen schemaversion att granska; skapa ett förslag först".into(),
            "The period has no schedule version to review; create a proposal first".into(),
        ),
        R::VersionPublished => (
            "En publicerad schemaversion kan inte ändras; registrera en händelse i stället".into(),
            "A published schedule version cannot change; record an event instead".into(),
        ),
        R::VersionAlreadyPublished => {
            ("Schemaversionen är redan publicerad".into(), "The schedule version is already published".into())
        }
        R::DuplicateAssignment { date } => (
            format!("Schemat ger en medarbetare samma pass två gånger {date}; ta bort det ena"),
            format!("The schedule gives one employee the same shift twice on {date}; remove one"),
        ),
        R::DaysToStart { today, start } => (
            format!("Dagarna från {today} till periodens start {start} kan inte räknas"),
            format!("The days from {today} to the period start {start} cannot be counted"),
        ),
        R::AbsenceReversed { from, to } => (
            format!("Frånvaron slutar {to} innan den börjar {from}; byt plats på datumen"),
            format!("The absence ends {to} before it starts {from}; swap the dates"),
        ),
        R::SwapWithSelf => {
            ("Ett byte behöver två olika medarbetare".into(), "A swap needs two different employees".into())
        }
        R::SwapIncomplete => (
            "Ett pass som lämnas tillbaka behöver både datum och pass".into(),
            "A shift given back needs both its date and its shift".into(),
        ),
        R::ExtraStaffUnnamed => (
            "Extra personal behöver ett namn eller en medarbetare".into(),
            "Extra staff needs a name or an employee".into(),
        ),
        R::StaffGrantWithoutEmployee => (
            "Rollen medarbetare måste ange vilken medarbetare det gäller".into(),
            "The staff role must name the employee".into(),
        ),
        R::EmployeeOnOtherGrant => (
            "Bara rollen medarbetare anger en medarbetare; lämna fältet tomt".into(),
            "Only the staff role names an employee; leave the field empty".into(),
        ),
        R::UsernameLength { max } => (
            format!("Ett användarnamn har 1 till {max} tecken"),
            format!("A user name has 1 to {max} characters"),
        ),
        R::UsernameCharacters { name } => (
            format!("Användarnamnet {name:?} innehåller ett mellanslag eller ett styrtecken; ta bort det"),
            format!("User name {name:?} contains a space or a control character; remove it"),
        ),
        R::PasswordHash => (
            "Lösenordshashen måste vara en Argon2id-sträng i PHC-format ($argon2id$…)".into(),
            "The password hash must be an Argon2id PHC string ($argon2id$…)".into(),
        ),
        R::TokenTooShort { min } => (
            format!("En token behöver minst {min} tecken slumpdata"),
            format!("A token needs at least {min} characters of random data"),
        ),
        R::SessionExpired => {
            ("Sessionen löper ut innan den börjar".into(), "The session expires before it starts".into())
        }
        R::UnknownPeriodState { name } => {
            let codes = PeriodState::ALL.map(PeriodState::as_str).join(", ");
            (
                format!("Okänt periodläge {name:?}; ange ett av {codes}"),
                format!("Unknown period state {name:?}; give one of {codes}"),
            )
        }
        R::LeaseTooLong => ("Jobbets lånetid är för lång".into(), "The job lease is too long".into()),
        R::Progress { progress } => (
            format!("Förloppet {progress} ligger utanför 0 till 1"),
            format!("Progress {progress} is outside 0 to 1"),
        ),
        R::JobEnded { state } => {
            let (sv, en) = job_state(*state);
            (format!("Jobbet har redan avslutats ({sv})"), format!("The job has already ended ({en})"))
        }
        R::DatabaseUrl { message } => {
            (format!("Ogiltig databas-URL: {message}"), format!("Invalid database URL: {message}"))
        }
        R::DatabaseScheme { scheme } => (
            format!(
                "Databas-URL:er med schemat {scheme:?} stöds inte; använd postgres://…, sqlite://SÖKVÄG eller en filsökväg"
            ),
            format!(
                "Database URLs of scheme {scheme:?} are not supported; use postgres://…, sqlite://PATH or a file path"
            ),
        ),
        R::DatabasePathEmpty => (
            "Databasens sökväg är tom; ange en fil, t.ex. turnus.db".into(),
            "The database path is empty; give a file path such as turnus.db".into(),
        ),
        R::BackupNeedsSqlite => (
            "Bara SQLite-databaser kopieras; säkerhetskopiera PostgreSQL med pg_dump".into(),
            "Only SQLite databases are copied; back up PostgreSQL with pg_dump".into(),
        ),
        R::BackupPathNotUtf8 => {
            ("Säkerhetskopians sökväg är inte UTF-8".into(), "The backup path is not UTF-8".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use turnus_core::Lang;

    use super::*;

    #[test]
    fn invalid_request_worded_in_each_language() {
        let message = StoreError::Invalid(InvalidRequest::Empty { field: Field::UnitName }).message();
        let message = message.expect("a rejection has a message");
        assert_eq!(message.pick(Lang::Sv), "Enhetens namn saknas; fyll i det");
        assert_eq!(message.pick(Lang::En), "The unit name is empty; fill it in");
    }

    #[test]
    fn taken_user_name_worded_with_the_name() {
        let message = StoreError::UsernameTaken { username: "admin".into() }.message().unwrap();
        assert_eq!(message.sv, "Användarnamnet admin är upptaget; välj ett annat");
        assert_eq!(message.en, "The user name admin is taken; choose another");
    }

    #[test]
    fn database_failures_have_no_message() {
        assert_eq!(StoreError::Corrupt("x".into()).message(), None);
        assert_eq!(StoreError::Db(sqlx::Error::PoolTimedOut).message(), None);
    }

    #[test]
    fn refused_connection_worded_with_fix() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let failure = StoreError::Db(sqlx::Error::Io(refused)).db_failure().expect("a common cause");
        assert_eq!(failure.kind, DbFailureKind::Unavailable);
        assert_eq!(failure.cause.pick(Lang::Sv), "Databasservern nekar anslutningen");
        assert_eq!(failure.cause.pick(Lang::En), "The database server refuses the connection");
        assert!(failure.fix.pick(Lang::Sv).starts_with("Kontrollera att PostgreSQL kör"), "{failure:?}");
        assert!(failure.detail.contains("refused"), "the driver's text is kept: {failure:?}");
    }

    #[test]
    fn pool_timeout_is_unavailable() {
        let failure = StoreError::Db(sqlx::Error::PoolTimedOut).db_failure().expect("a common cause");
        assert_eq!(failure.kind, DbFailureKind::Unavailable);
        assert_eq!(failure.cause.pick(Lang::En), "The database did not answer in time");
    }

    #[test]
    fn other_driver_failures_have_no_wording() {
        assert_eq!(StoreError::Db(sqlx::Error::PoolClosed).db_failure(), None);
        assert_eq!(StoreError::Db(sqlx::Error::RowNotFound).db_failure(), None);
        let other = std::io::Error::from(std::io::ErrorKind::InvalidData);
        assert_eq!(StoreError::Db(sqlx::Error::Io(other)).db_failure(), None);
        assert_eq!(StoreError::Corrupt("x".into()).db_failure(), None);
    }

    #[test]
    fn wrong_state_names_the_state() {
        let rejection = WrongState::Move { from: PeriodState::Draft, to: PeriodState::Closed };
        assert_eq!(rejection.state(), PeriodState::Draft);
        assert_eq!(rejection.message().sv, "En period kan inte gå från läget utkast till avslutad");
    }
}
