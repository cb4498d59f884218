//! Store rejections worded whole in Swedish and English: requests that the period's state
//! does not allow ([`WrongState`]) and other requests that break a domain rule
//! ([`InvalidRequest`]). Each message names the value and what to do instead.

use serde_json::json;
use turnus_store::{Dated, Field, InvalidRequest, JobState, Keyed, PeriodState, WrongState};

use super::{ApiError, capitalized};

/// Names a period state in Swedish, as the web pages' state labels do.
pub(crate) fn state_sv(state: PeriodState) -> &'static str {
    match state {
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

/// Names a period state in English, in words rather than the API's snake-case code.
pub(crate) fn state_en(state: PeriodState) -> &'static str {
    match state {
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

/// Words a request that the period's state does not allow. The body's field `state` contains
/// the period's current state as the API's state code.
pub(super) fn wrong_state(rejection: WrongState) -> ApiError {
    let (sv, en, state) = match rejection {
        WrongState::Publish { state } => (
            format!("Bara en period under granskning kan publiceras; den här är i läget {}", state_sv(state)),
            format!("Only a period under review can be published; this one is in {}", state_en(state)),
            state,
        ),
        WrongState::EditAssignments { state } => (
            format!(
                "Passen kan ändras bara när perioden är i läget förslag eller granskning; den är i läget {}",
                state_sv(state)
            ),
            format!(
                "Assignments can change only while the period is in proposal or review; it is in {}",
                state_en(state)
            ),
            state,
        ),
        WrongState::Move { from, to } => (
            format!("En period kan inte gå från läget {} till {}", state_sv(from), state_sv(to)),
            format!("A period cannot move from {} to {}", state_en(from), state_en(to)),
            from,
        ),
        WrongState::AlreadyPublished { state } => (
            format!("Perioden är redan i läget {}", state_sv(state)),
            format!("The period is already in {}", state_en(state)),
            state,
        ),
        WrongState::Wishes { state } => (
            format!(
                "Önskemål kan inte ändras när perioden är publicerad; den är i läget {}",
                state_sv(state)
            ),
            format!("Wishes cannot change once the period is published; it is in {}", state_en(state)),
            state,
        ),
        WrongState::Events { state } => (
            format!(
                "Händelser registreras bara när perioden är publicerad eller i uppföljning; den är i läget {}",
                state_sv(state)
            ),
            format!(
                "Events are recorded only while the period is published or in follow-up; it is in {}",
                state_en(state)
            ),
            state,
        ),
        WrongState::Pins { state } => (
            format!(
                "Låsta pass kan inte ändras när perioden är publicerad; den är i läget {}",
                state_sv(state)
            ),
            format!("Pins cannot change once the period is published; it is in {}", state_en(state)),
            state,
        ),
    };
    ApiError::unprocessable(sv, en).with_extra(json!({ "state": state.as_str() }))
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

/// Words a request that breaks a domain rule, as the Swedish and the English message.
pub(super) fn invalid_request(rejection: &InvalidRequest) -> (String, String) {
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
            format!("1 behovsrad använder passtypen {code}; ta bort den först"),
            format!("1 demand row uses shift type {code}; delete it first"),
        ),
        R::ShiftTypeInUse { code, demand_rows } => (
            format!("{demand_rows} behovsrader använder passtypen {code}; ta bort dem först"),
            format!("{demand_rows} demand rows use shift type {code}; delete them first"),
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
