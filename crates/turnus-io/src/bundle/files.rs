//! The CSV files of a bundle, row by row into the problem, with the line of every entity
//! kept aside so that later checks can point at it.

use std::collections::{HashMap, HashSet};

use turnus_core::{
    Absence, DemandDay, DemandRow, Employee, HistoryShift, Pin, Problem, ShiftType, SkillGrant, Wish,
    WishKind,
};

use super::cells::{Msg, parse_count, parse_date, parse_decimal, parse_time, parse_yes_no};
use super::table::{Column, Table, column};
use crate::error::InputError;

const ID_HINT: (&str, &str) =
    ("anställningsnumret från staff.csv, t.ex. 1042", "the staff id from staff.csv, e.g. 1042");
const DATE_HINT: (&str, &str) =
    ("ett datum ÅÅÅÅ-MM-DD, t.ex. 2026-03-23", "a date YYYY-MM-DD, e.g. 2026-03-23");
const SHIFT_HINT: (&str, &str) =
    ("en passkod från shifts.csv, t.ex. D1", "a shift code from shifts.csv, e.g. D1");

const fn employee_column() -> Column {
    column("employee", "anställd", true, ID_HINT.0, ID_HINT.1)
}

const fn date_column(en: &'static str, sv: &'static str) -> Column {
    column(en, sv, true, DATE_HINT.0, DATE_HINT.1)
}

pub(super) static STAFF: [Column; 6] = [
    column("id", "anställningsnummer", true, "ett unikt id, t.ex. 1042", "a unique id, e.g. 1042"),
    column("name", "namn", true, "namnet, t.ex. Anna Lindqvist", "the name, e.g. Anna Lindqvist"),
    column(
        "employment_percent",
        "sysselsättningsgrad",
        true,
        "en procentsats 1–100, t.ex. 75,5",
        "a percentage 1 to 100, e.g. 75.5",
    ),
    column(
        "full_time_hours",
        "heltidsmått",
        false,
        "timmar per vecka, t.ex. 38,25",
        "hours per week, e.g. 38.25",
    ),
    column(
        "skills",
        "kompetenser",
        false,
        "kompetenser åtskilda med |, t.ex. usk|nattvana",
        "skills separated by |, e.g. usk|nattvana",
    ),
    column("night_worker", "nattarbetare", false, "ja eller nej", "yes or no"),
];

pub(super) static SHIFTS: [Column; 6] = [
    column("code", "kod", true, "en unik passkod, t.ex. D1", "a unique shift code, e.g. D1"),
    column("name", "namn", true, "passets namn, t.ex. Dag", "the shift's name, e.g. Dag"),
    column("start", "start", true, "en tid TT:MM, t.ex. 07:00", "a clock time HH:MM, e.g. 07:00"),
    column(
        "end",
        "slut",
        true,
        "en tid TT:MM, t.ex. 15:45; ett slut före starten betyder nästa dag, t.ex. 21:15–07:15",
        "a clock time HH:MM, e.g. 15:45; an end before the start means the next day, e.g. 21:15–07:15",
    ),
    column(
        "break_minutes",
        "rast_minuter",
        false,
        "rasten i minuter, t.ex. 30",
        "the break in minutes, e.g. 30",
    ),
    column("skill", "kompetens", false, "en kompetenskod, t.ex. usk", "a skill code, e.g. usk"),
];

pub(super) static DEMAND: [Column; 5] = [
    column(
        "day",
        "dag",
        true,
        "en veckodag (mon…sun, mån…sön), holiday (helgdag) eller ett datum ÅÅÅÅ-MM-DD",
        "a weekday (mon…sun, mån…sön), holiday (helgdag) or a date YYYY-MM-DD",
    ),
    column("shift", "pass", true, SHIFT_HINT.0, SHIFT_HINT.1),
    column("skill", "kompetens", false, "en kompetenskod, t.ex. usk", "a skill code, e.g. usk"),
    column("min", "min", true, "lägsta antal personer, t.ex. 3", "the minimum head-count, e.g. 3"),
    column("ideal", "ideal", false, "önskat antal personer, t.ex. 4", "the ideal head-count, e.g. 4"),
];

static WISHES: [Column; 5] = [
    employee_column(),
    date_column("date", "datum"),
    column(
        "kind",
        "typ",
        true,
        "work (arbeta), off (ledig) eller avoid (undvik)",
        "work (arbeta), off (ledig) or avoid (undvik)",
    ),
    column("shift", "pass", false, SHIFT_HINT.0, SHIFT_HINT.1),
    column(
        "priority",
        "prioritet",
        false,
        "1 (låg), 2 (normal) eller 3 (hög)",
        "1 (low), 2 (normal) or 3 (high)",
    ),
];

static ABSENCES: [Column; 4] = [
    employee_column(),
    date_column("from", "från"),
    date_column("to", "till"),
    column("kind", "typ", false, "frånvarons typ, t.ex. semester", "the kind of absence, e.g. semester"),
];

pub(super) static SKILLS: [Column; 4] = [
    employee_column(),
    column("skill", "kompetens", true, "en kompetenskod, t.ex. delegering", "a skill code, e.g. delegering"),
    date_column("valid_from", "giltig_från"),
    date_column("valid_to", "giltig_till"),
];

static HISTORY: [Column; 3] = [
    employee_column(),
    date_column("date", "datum"),
    column("shift", "pass", true, SHIFT_HINT.0, SHIFT_HINT.1),
];

static PINNED: [Column; 3] = [
    employee_column(),
    date_column("date", "datum"),
    column(
        "shift",
        "pass",
        true,
        "en passkod från shifts.csv, eller off (ledig) för en fast ledig dag",
        "a shift code from shifts.csv, or off (ledig) for a fixed day off",
    ),
];

/// Every CSV file of the bundle with its columns, in the order of the format description.
pub(super) static TABLES: [(&str, &[Column]); 8] = [
    ("staff.csv", &STAFF),
    ("shifts.csv", &SHIFTS),
    ("demand.csv", &DEMAND),
    ("wishes.csv", &WISHES),
    ("absences.csv", &ABSENCES),
    ("skills.csv", &SKILLS),
    ("history.csv", &HISTORY),
    ("pinned.csv", &PINNED),
];

/// Source lines of the problem's entities, parallel to the problem's vectors.
pub(crate) struct Sources {
    /// Actual file name per canonical name, e.g. `Staff.CSV` for `staff.csv`.
    pub names: HashMap<&'static str, String>,
    /// Headers as written, per canonical file name and English column name.
    pub headers: HashMap<&'static str, HashMap<&'static str, String>>,
    pub staff: Vec<usize>,
    pub shifts: Vec<usize>,
    pub demand: Vec<usize>,
    pub wishes: Vec<usize>,
    pub absences: Vec<usize>,
    pub grants: Vec<usize>,
    pub history: Vec<usize>,
    pub pins: Vec<usize>,
    /// Whether every employee id is known, so an unknown id elsewhere is a real error.
    pub staff_known: bool,
    pub shifts_known: bool,
    pub period_known: bool,
    /// Shift codes read with placeholder times after an error in the row.
    pub placeholder_shifts: HashSet<String>,
}

impl Sources {
    pub(crate) fn new(period_known: bool) -> Sources {
        Sources {
            names: HashMap::new(),
            headers: HashMap::new(),
            staff: Vec::new(),
            shifts: Vec::new(),
            demand: Vec::new(),
            wishes: Vec::new(),
            absences: Vec::new(),
            grants: Vec::new(),
            history: Vec::new(),
            pins: Vec::new(),
            staff_known: false,
            shifts_known: false,
            period_known,
            placeholder_shifts: HashSet::new(),
        }
    }

    /// Returns the file name as found in the folder.
    pub(crate) fn name(&self, canonical: &'static str) -> String {
        self.names.get(canonical).cloned().unwrap_or_else(|| canonical.to_string())
    }

    /// Returns the header of a column as written in a file.
    pub(crate) fn header(&self, canonical: &'static str, column: &'static str) -> String {
        self.headers.get(canonical).and_then(|h| h.get(column)).cloned().unwrap_or_else(|| column.to_string())
    }
}

/// Reads every CSV file of the bundle into `problem`.
pub(crate) fn read_files(
    texts: &HashMap<&'static str, (String, String)>,
    problem: &mut Problem,
    sources: &mut Sources,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<InputError>,
) {
    let open = |canonical: &'static str,
                columns: &'static [Column],
                sources: &mut Sources,
                errors: &mut Vec<InputError>| {
        let (name, text) = texts.get(canonical)?;
        let table = Table::parse(name, text, columns, true, errors);
        sources.names.insert(canonical, name.clone());
        sources.headers.insert(canonical, table.header_map());
        Some(table)
    };

    if let Some(table) = open("staff.csv", &STAFF, sources, errors) {
        sources.staff_known = table.has(0);
        read_staff(&table, problem, sources, errors);
    }
    if let Some(table) = open("shifts.csv", &SHIFTS, sources, errors) {
        sources.shifts_known = table.has(0);
        read_shifts(&table, problem, sources, errors);
    }
    if let Some(table) = open("demand.csv", &DEMAND, sources, errors) {
        read_demand(&table, problem, sources, errors, warnings);
    }
    if let Some(table) = open("wishes.csv", &WISHES, sources, errors) {
        read_wishes(&table, problem, sources, errors, warnings);
    }
    if let Some(table) = open("absences.csv", &ABSENCES, sources, errors) {
        read_absences(&table, problem, sources, errors);
    }
    if let Some(table) = open("skills.csv", &SKILLS, sources, errors) {
        read_skill_grants(&table, problem, sources, errors);
    }
    if let Some(table) = open("history.csv", &HISTORY, sources, errors) {
        read_history(&table, problem, sources, errors);
    }
    if let Some(table) = open("pinned.csv", &PINNED, sources, errors) {
        read_pins(&table, problem, sources, errors);
    }
}

/// Reads staff rows. A row whose id is readable always yields an employee, with a
/// placeholder for a bad cell, so that other files can still refer to it.
pub(super) fn read_staff(
    table: &Table,
    problem: &mut Problem,
    sources: &mut Sources,
    errors: &mut Vec<InputError>,
) {
    for row in &table.rows {
        let Some(id) = table.required(row, 0, errors) else {
            continue;
        };
        let name = table.required(row, 1, errors).unwrap_or(id);
        let percent = table.parse_required(row, 2, errors, parse_percent);
        let full_time = table.parse_optional(row, 3, errors, parse_full_time).ok().flatten();
        let mut skills: Vec<String> = Vec::new();
        for skill in table.text(row, 4).split('|').map(str::trim).filter(|s| !s.is_empty()) {
            if !skills.iter().any(|s| s == skill) {
                skills.push(skill.to_string());
            }
        }
        let night_worker = table.parse_optional(row, 5, errors, parse_yes_no).ok().flatten().unwrap_or(false);

        problem.employees.push(Employee {
            id: id.to_string(),
            name: name.to_string(),
            employment_basis_points: percent.unwrap_or(10_000),
            full_time_minutes: full_time,
            skills,
            night_worker,
            limits: Default::default(),
        });
        sources.staff.push(row.line);
    }
}

/// Employment degree in basis points from a percentage 1–100 with up to two decimals.
fn parse_percent(text: &str) -> Result<u32, Msg> {
    let number = parse_decimal(text.trim().trim_end_matches('%'))?;
    if !(1.0..=100.0).contains(&number) {
        return Err(Msg::new(
            "sysselsättningsgraden ska vara 1–100 procent, t.ex. 75,5",
            "the employment degree must be 1 to 100 percent, e.g. 75.5",
        ));
    }
    // Rounded to whole basis points (hundredths of a percent); the range check above keeps
    // the result within 100..=10_000.
    Ok((number * 100.0).round() as u32)
}

/// Weekly full-time measure in minutes from hours with decimals, rounded to whole minutes.
fn parse_full_time(text: &str) -> Result<u32, Msg> {
    let hours = parse_decimal(text)?;
    if !(hours > 0.0 && hours <= 168.0) {
        return Err(Msg::new(
            "heltidsmåttet ska vara timmar per vecka över 0 och högst 168, t.ex. 38,25",
            "the full-time measure must be hours per week above 0 and at most 168, e.g. 38.25",
        ));
    }
    // At most 168 h, so the minutes fit a u32.
    Ok((hours * 60.0).round() as u32)
}

/// Reads shift types. A row with a readable code always yields a shift type; bad times get
/// a placeholder and the code is marked so that break checks skip it.
pub(super) fn read_shifts(
    table: &Table,
    problem: &mut Problem,
    sources: &mut Sources,
    errors: &mut Vec<InputError>,
) {
    for row in &table.rows {
        let Some(code) = table.required(row, 0, errors) else {
            continue;
        };
        if is_day_off_word(code) {
            errors.push(table.error(
                row,
                0,
                Msg::new(
                    "passkoden är reserverad för en fast ledig dag i pinned.csv; välj en annan kod",
                    "the shift code is reserved for a fixed day off in pinned.csv; choose another code",
                ),
            ));
        }
        let name = table.required(row, 1, errors).unwrap_or(code);
        let start = table.parse_required(row, 2, errors, parse_time);
        let end = table.parse_required(row, 3, errors, parse_time);
        let break_minutes = table.parse_optional(row, 4, errors, parse_count).ok().flatten().unwrap_or(0);
        let skill = Some(table.text(row, 5)).filter(|s| !s.is_empty()).map(str::to_string);

        // An end before the start is the next morning (a night shift), but an end equal to
        // the start would be a 24-hour shift, which is far more likely a typing error.
        let end = end.filter(|end| {
            let same = start == Some(*end);
            if same {
                errors.push(table.error(
                    row,
                    3,
                    Msg::new(
                        "slutet är samma tid som starten, vilket blir ett pass på 24 timmar; rätta sluttiden \
                         (ett slut före starten läses som nästa dag, t.ex. 21:15–07:15)",
                        "the end equals the start, which makes a 24-hour shift; correct the end time \
                         (an end before the start is read as the next day, e.g. 21:15–07:15)",
                    ),
                ));
            }
            !same
        });
        let (start, end) = match (start, end) {
            (Some(start), Some(end)) => (start, end),
            _ => {
                sources.placeholder_shifts.insert(code.to_string());
                (jiff::civil::Time::constant(8, 0, 0, 0), jiff::civil::Time::constant(12, 0, 0, 0))
            }
        };
        problem.shift_types.push(ShiftType {
            code: code.to_string(),
            name: name.to_string(),
            start,
            end,
            break_minutes,
            skill,
            cannot_follow: Vec::new(),
        });
        sources.shifts.push(row.line);
    }
}

/// Returns whether a pin's shift cell means a day off rather than a shift code.
fn is_day_off_word(text: &str) -> bool {
    let lower = text.trim().to_lowercase();
    lower == "off" || lower == "ledig"
}

fn parse_demand_day(text: &str) -> Result<DemandDay, Msg> {
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return parse_date(text).map(DemandDay::Date);
    }
    text.parse::<DemandDay>().map_err(|_| {
        Msg::new(
            "okänd dag; skriv en veckodag (mon…sun eller mån…sön), holiday (helgdag) eller ett datum ÅÅÅÅ-MM-DD",
            "unknown day; write a weekday (mon…sun or mån…sön), holiday (helgdag) or a date YYYY-MM-DD",
        )
    })
}

pub(super) fn read_demand(
    table: &Table,
    problem: &mut Problem,
    sources: &mut Sources,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<InputError>,
) {
    // First line of each (day, shift, skill), to report repeats.
    let mut seen: HashMap<(String, String, Option<String>), usize> = HashMap::new();
    for row in &table.rows {
        let day = table.parse_required(row, 0, errors, parse_demand_day);
        let shift = table.required(row, 1, errors);
        let skill = Some(table.text(row, 2)).filter(|s| !s.is_empty()).map(str::to_string);
        let min = table.parse_required(row, 3, errors, parse_count);
        let ideal = table.parse_optional(row, 4, errors, parse_count);
        let (Some(day), Some(shift), Some(min), Ok(ideal)) = (day, shift, min, ideal) else {
            continue;
        };

        let key = (day.to_string(), shift.to_string(), skill.clone());
        if let Some(first) = seen.get(&key) {
            errors.push(table.error(
                row,
                0,
                Msg::new(
                    format!("behovet för {} och pass {shift} finns redan på rad {first}; slå ihop raderna", key.0),
                    format!("the demand for {} and shift {shift} is already given on line {first}; merge the lines", key.0),
                ),
            ));
            continue;
        }
        seen.insert(key, row.line);
        if let DemandDay::Date(date) = day
            && sources.period_known
            && !problem.unit.period.contains(date)
        {
            warnings.push(table.error(
                row,
                0,
                Msg::new(
                    "datumet ligger utanför perioden och raden används inte",
                    "the date is outside the period, so the line is not used",
                ),
            ));
        }
        problem.demand.push(DemandRow {
            day,
            shift: shift.to_string(),
            skill,
            min,
            ideal: ideal.unwrap_or(min),
            under_weight: None,
            over_weight: None,
        });
        sources.demand.push(row.line);
    }
}

fn parse_wish_kind(text: &str) -> Result<&'static str, Msg> {
    match text.trim().to_lowercase().as_str() {
        "work" | "arbeta" => Ok("work"),
        "off" | "ledig" => Ok("off"),
        "avoid" | "undvik" => Ok("avoid"),
        _ => Err(Msg::new(
            "okänd typ av önskemål; skriv work (arbeta), off (ledig) eller avoid (undvik)",
            "unknown kind of wish; write work (arbeta), off (ledig) or avoid (undvik)",
        )),
    }
}

fn parse_priority(text: &str) -> Result<u8, Msg> {
    let bad = || {
        Msg::new(
            "prioriteten ska vara 1 (låg), 2 (normal) eller 3 (hög)",
            "the priority must be 1 (low), 2 (normal) or 3 (high)",
        )
    };
    let value = parse_count(text).map_err(|_| bad())?;
    u8::try_from(value).map_err(|_| bad())
}

fn read_wishes(
    table: &Table,
    problem: &mut Problem,
    sources: &mut Sources,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<InputError>,
) {
    for row in &table.rows {
        let employee = table.required(row, 0, errors);
        let date = table.parse_required(row, 1, errors, parse_date);
        let kind = table.parse_required(row, 2, errors, parse_wish_kind);
        let shift = Some(table.text(row, 3)).filter(|s| !s.is_empty()).map(str::to_string);
        let priority = table.parse_optional(row, 4, errors, parse_priority);
        let (Some(employee), Some(date), Some(kind), Ok(priority)) = (employee, date, kind, priority) else {
            continue;
        };

        let kind = match kind {
            "work" => WishKind::Work(shift),
            "avoid" => WishKind::Avoid(shift.unwrap_or_default()),
            _ => {
                if shift.is_some() {
                    warnings.push(table.error(
                        row,
                        3,
                        Msg::new(
                            "ett önskemål om ledigt gäller hela dagen, så passet ignoreras; lämna kolumnen tom",
                            "a wish for a day off covers the whole day, so the shift is ignored; leave the cell empty",
                        ),
                    ));
                }
                WishKind::Off
            }
        };
        problem.wishes.push(Wish {
            employee: employee.to_string(),
            date,
            kind,
            priority: priority.unwrap_or(2),
        });
        sources.wishes.push(row.line);
    }
}

fn read_absences(table: &Table, problem: &mut Problem, sources: &mut Sources, errors: &mut Vec<InputError>) {
    for row in &table.rows {
        let employee = table.required(row, 0, errors);
        let from = table.parse_required(row, 1, errors, parse_date);
        let to = table.parse_required(row, 2, errors, parse_date);
        let (Some(employee), Some(from), Some(to)) = (employee, from, to) else {
            continue;
        };
        problem.absences.push(Absence {
            employee: employee.to_string(),
            from,
            to,
            kind: table.text(row, 3).to_string(),
        });
        sources.absences.push(row.line);
    }
}

pub(super) fn read_skill_grants(
    table: &Table,
    problem: &mut Problem,
    sources: &mut Sources,
    errors: &mut Vec<InputError>,
) {
    for row in &table.rows {
        let employee = table.required(row, 0, errors);
        let skill = table.required(row, 1, errors);
        let from = table.parse_required(row, 2, errors, parse_date);
        let to = table.parse_required(row, 3, errors, parse_date);
        let (Some(employee), Some(skill), Some(valid_from), Some(valid_to)) = (employee, skill, from, to)
        else {
            continue;
        };
        problem.skill_grants.push(SkillGrant {
            employee: employee.to_string(),
            skill: skill.to_string(),
            valid_from,
            valid_to,
        });
        sources.grants.push(row.line);
    }
}

fn read_history(table: &Table, problem: &mut Problem, sources: &mut Sources, errors: &mut Vec<InputError>) {
    let mut history = Vec::new();
    for row in &table.rows {
        let employee = table.required(row, 0, errors);
        let date = table.parse_required(row, 1, errors, parse_date);
        let shift = table.required(row, 2, errors);
        let (Some(employee), Some(date), Some(shift)) = (employee, date, shift) else {
            continue;
        };
        history.push(HistoryShift { employee: employee.to_string(), date, shift: shift.to_string() });
        sources.history.push(row.line);
    }
    problem.history = Some(history);
}

fn read_pins(table: &Table, problem: &mut Problem, sources: &mut Sources, errors: &mut Vec<InputError>) {
    for row in &table.rows {
        let employee = table.required(row, 0, errors);
        let date = table.parse_required(row, 1, errors, parse_date);
        let shift = table.required(row, 2, errors);
        let (Some(employee), Some(date), Some(shift)) = (employee, date, shift) else {
            continue;
        };
        let shift = if is_day_off_word(shift) { None } else { Some(shift.to_string()) };
        problem.pins.push(Pin { employee: employee.to_string(), date, shift });
        sources.pins.push(row.line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_to_basis_points() {
        assert_eq!(parse_percent("75,5"), Ok(7550));
        assert_eq!(parse_percent("100"), Ok(10_000));
        assert_eq!(parse_percent("50 %"), Ok(5000));
        assert!(parse_percent("0").is_err());
        assert!(parse_percent("101").is_err());
    }

    #[test]
    fn full_time_hours_round_to_minutes() {
        assert_eq!(parse_full_time("34,33"), Ok(2060));
        assert_eq!(parse_full_time("38.25"), Ok(2295));
        assert!(parse_full_time("0").is_err());
    }
}
