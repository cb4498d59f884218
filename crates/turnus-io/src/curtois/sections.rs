//! The sections of a benchmark instance file, each row checked field by field against the
//! shift types, staff and horizon read before it. Every error is collected, so one read lists
//! all of them.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use jiff::civil::{Date, Time};
use turnus_core::{DemandDay, DemandRow, Employee, EmployeeLimits, Pin, ShiftType, Wish, WishKind};

use super::START;
use crate::error::{InputError, InputErrors};

const HORIZON: &str = "SECTION_HORIZON";
const SHIFTS: &str = "SECTION_SHIFTS";
const STAFF: &str = "SECTION_STAFF";
const DAYS_OFF: &str = "SECTION_DAYS_OFF";
const ON_REQUESTS: &str = "SECTION_SHIFT_ON_REQUESTS";
const OFF_REQUESTS: &str = "SECTION_SHIFT_OFF_REQUESTS";
const COVER: &str = "SECTION_COVER";
const SECTIONS: [&str; 7] = [HORIZON, SHIFTS, STAFF, DAYS_OFF, ON_REQUESTS, OFF_REQUESTS, COVER];

/// Column names of the STAFF section, as the instance files' header comments give them.
const STAFF_COLUMNS: [&str; 8] = [
    "ID",
    "MaxShifts",
    "MaxTotalMinutes",
    "MinTotalMinutes",
    "MaxConsecutiveShifts",
    "MinConsecutiveShifts",
    "MinConsecutiveDaysOff",
    "MaxWeekends",
];
const REQUEST_COLUMNS: [&str; 4] = ["EmployeeID", "Day", "ShiftID", "Weight"];
const COVER_COLUMNS: [&str; 5] = ["Day", "ShiftID", "Requirement", "WeightForUnder", "WeightForOver"];

/// The rows of an instance, checked but not yet a [`turnus_core::Problem`].
pub(super) struct Instance {
    /// Length in days, a positive multiple of 7.
    pub horizon: u32,
    pub shift_types: Vec<ShiftType>,
    pub employees: Vec<Employee>,
    pub pins: Vec<Pin>,
    pub wishes: Vec<Wish>,
    pub demand: Vec<DemandRow>,
}

/// Reads every section of `text`.
///
/// # Errors
///
/// Returns every error found, in the order of the sections' dependencies.
pub(super) fn read_instance(file_name: &str, text: &str) -> Result<Instance, InputErrors> {
    let mut reader = Reader { file: file_name, errors: Vec::new() };
    let sections = reader.split_sections(text);
    let empty = Vec::new();
    let rows = |tag: &str| sections.get(tag).unwrap_or(&empty);

    let horizon = reader.horizon(rows(HORIZON), sections.contains_key(HORIZON));
    let shift_types = reader.shifts(rows(SHIFTS));
    let codes: HashSet<&str> = shift_types.iter().map(|s| s.code.as_str()).collect();
    let employees = reader.staff(rows(STAFF), &codes);
    let ids: HashSet<&str> = employees.iter().map(|e| e.id.as_str()).collect();
    let known = Known { shifts: &codes, employees: &ids, horizon };
    let pins = reader.days_off(rows(DAYS_OFF), &known);
    let mut wishes = reader.requests(rows(ON_REQUESTS), &known, true);
    wishes.extend(reader.requests(rows(OFF_REQUESTS), &known, false));
    let demand = reader.cover(rows(COVER), &known);

    match horizon {
        Some(horizon) if reader.errors.is_empty() => {
            Ok(Instance { horizon, shift_types, employees, pins, wishes, demand })
        }
        _ => Err(reader.finish()),
    }
}

/// One data row: its 1-based line number and its comma-separated fields, trimmed.
struct Row<'a> {
    line: usize,
    fields: Vec<&'a str>,
}

impl Row<'_> {
    /// Returns the field at `index`, or `""` when the row is shorter.
    fn field(&self, index: usize) -> &str {
        self.fields.get(index).copied().unwrap_or("")
    }
}

/// The shift codes, employee ids and horizon that later sections refer to. A `None` horizon
/// was already reported as an error, so day indexes are then not range-checked.
struct Known<'a> {
    shifts: &'a HashSet<&'a str>,
    employees: &'a HashSet<&'a str>,
    horizon: Option<u32>,
}

struct Reader<'a> {
    file: &'a str,
    errors: Vec<InputError>,
}

impl<'a> Reader<'a> {
    fn finish(self) -> InputErrors {
        InputErrors { errors: self.errors }
    }

    fn error(&mut self, line: usize, sv: impl Into<String>, en: impl Into<String>) {
        self.errors.push(InputError::file(self.file, sv, en).at_line(line));
    }

    fn cell_error(
        &mut self,
        row: &Row,
        column: &str,
        value: &str,
        sv: impl Into<String>,
        en: impl Into<String>,
    ) {
        self.errors.push(InputError::file(self.file, sv, en).at_line(row.line).at_cell(column, value));
    }

    /// Groups data rows by section tag, reporting unknown and repeated tags and rows before the
    /// first tag. Every known section that is missing is reported too.
    fn split_sections(&mut self, text: &'a str) -> HashMap<&'static str, Vec<Row<'a>>> {
        let mut sections: HashMap<&'static str, Vec<Row<'a>>> = HashMap::new();
        let mut current: Option<&'static str> = None;
        let mut seen_tag = false;
        for (index, raw) in text.split('\n').enumerate() {
            let line = index + 1;
            let content = raw.trim();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            if content.starts_with("SECTION_") {
                let tag = content.split_whitespace().next().unwrap_or(content);
                seen_tag = true;
                current = None;
                match SECTIONS.iter().find(|s| **s == tag) {
                    None => self.error(
                        line,
                        format!("okänd sektion {tag:?}; giltiga är {}", SECTIONS.join(", ")),
                        format!("unknown section {tag:?}; valid sections are {}", SECTIONS.join(", ")),
                    ),
                    Some(known) if sections.contains_key(known) => self.error(
                        line,
                        format!("sektionen {known} förekommer mer än en gång; slå ihop raderna i en sektion"),
                        format!("section {known} appears more than once; merge its rows into one section"),
                    ),
                    Some(known) => {
                        sections.insert(known, Vec::new());
                        current = Some(known);
                    }
                }
                continue;
            }
            if let Some(rows) = current.and_then(|tag| sections.get_mut(tag)) {
                rows.push(Row { line, fields: content.split(',').map(str::trim).collect() });
            } else if !seen_tag {
                // One error is enough, because every line up to the first tag is misplaced alike.
                seen_tag = true;
                self.error(
                    line,
                    "data före första sektionsrubriken; börja med en rad som SECTION_HORIZON",
                    "data before the first section header; start with a line such as SECTION_HORIZON",
                );
            }
            // Rows under an unknown or repeated tag are skipped, because the tag line was reported.
        }
        for tag in SECTIONS {
            if !sections.contains_key(tag) {
                self.errors.push(InputError::file(
                    self.file,
                    format!("sektionen {tag} saknas; varje instans har alla sju sektionerna"),
                    format!("section {tag} is missing; every instance has all seven sections"),
                ));
            }
        }
        sections
    }

    /// Reports non-empty fields after the first `expected`, so only empty trailing fields pass.
    fn check_field_count(&mut self, row: &Row, expected: usize, columns: &str) -> bool {
        let used = row.fields.iter().rposition(|f| !f.is_empty()).map_or(0, |i| i + 1);
        if used > expected {
            self.error(
                row.line,
                format!("raden har {used} fält, högst {expected} väntas: {columns}"),
                format!("the row has {used} fields, expected at most {expected}: {columns}"),
            );
            return false;
        }
        true
    }

    /// Parses a whole number from 0 up, reporting the cell when it is not one.
    fn number(&mut self, row: &Row, index: usize, column: &str) -> Option<u32> {
        let value = row.field(index);
        if let Some(n) = whole_number(value) {
            return Some(n);
        }
        let (sv, en) = if value.is_empty() {
            (
                "värde saknas; skriv ett heltal från 0 och uppåt",
                "missing value; write a whole number from 0 up",
            )
        } else {
            ("ska vara ett heltal från 0 och uppåt", "expected a whole number from 0 up")
        };
        self.cell_error(row, column, value, sv, en);
        None
    }

    /// Parses a day index and checks it against the horizon.
    fn day(&mut self, row: &Row, index: usize, column: &str, horizon: Option<u32>) -> Option<u32> {
        let value = row.field(index);
        let day = self.number(row, index, column)?;
        let horizon = horizon?;
        if day >= horizon {
            self.cell_error(
                row,
                column,
                value,
                format!("dagen ligger utanför horisonten; dagar räknas från 0 till {}", horizon - 1),
                format!("day outside the horizon; days count from 0 to {}", horizon - 1),
            );
            return None;
        }
        Some(day)
    }

    /// Checks that a field names a shift type of the SHIFTS section.
    fn shift(&mut self, row: &Row, index: usize, column: &str, known: &Known) -> Option<String> {
        let value = row.field(index);
        if known.shifts.contains(value) {
            return Some(value.to_string());
        }
        self.cell_error(
            row,
            column,
            value,
            "okänd passtyp; använd ett ShiftID från SECTION_SHIFTS (skiftlägeskänsligt)",
            "unknown shift type; use a ShiftID from SECTION_SHIFTS (case-sensitive)",
        );
        None
    }

    /// Checks that a field names an employee of the STAFF section.
    fn employee(&mut self, row: &Row, index: usize, column: &str, known: &Known) -> Option<String> {
        let value = row.field(index);
        if known.employees.contains(value) {
            return Some(value.to_string());
        }
        self.cell_error(
            row,
            column,
            value,
            "okänd anställd; använd ett ID från SECTION_STAFF",
            "unknown employee; use an ID from SECTION_STAFF",
        );
        None
    }

    /// Reads the horizon in days: one positive whole number of weeks whose last day jiff can
    /// represent. `None` after reporting why it is unusable.
    fn horizon(&mut self, rows: &[Row], present: bool) -> Option<u32> {
        let Some(row) = rows.first() else {
            if present {
                self.errors.push(InputError::file(
                    self.file,
                    "SECTION_HORIZON har ingen rad; skriv antalet dagar, t.ex. 28",
                    "SECTION_HORIZON has no row; write the number of days, e.g. 28",
                ));
            }
            return None;
        };
        for extra in &rows[1..] {
            self.error(
                extra.line,
                "SECTION_HORIZON ska ha en enda rad med antalet dagar",
                "SECTION_HORIZON must have a single row with the number of days",
            );
        }
        if !self.check_field_count(row, 1, "horizon length in days") {
            return None;
        }
        let days = self.number(row, 0, "horizon")?;
        let value = row.field(0);
        if days == 0 || days % 7 != 0 {
            self.cell_error(
                row,
                "horizon",
                value,
                "horisonten ska vara ett helt antal veckor (7, 14, 28, …), eftersom Turnus planerar hela veckor",
                "the horizon must be a whole number of weeks (7, 14, 28, …) because Turnus plans whole weeks",
            );
            return None;
        }
        let last = jiff::Span::new()
            .try_days(i64::from(days) - 1)
            .ok()
            .and_then(|span| START.checked_add(span).ok());
        if last.is_none() {
            self.cell_error(
                row,
                "horizon",
                value,
                format!("horisonten är för lång; den sista dagen måste ligga före år 10000 räknat från {START}"),
                format!("the horizon is too long; its last day must fall before the year 10000 counting from {START}"),
            );
            return None;
        }
        Some(days)
    }

    /// Reads shift types from rows `ShiftID,LengthInMinutes,CannotFollow`. The last field is a
    /// `|`-separated list of shift ids forbidden on the next day.
    fn shifts(&mut self, rows: &[Row]) -> Vec<ShiftType> {
        let columns = "ShiftID,LengthInMinutes,CannotFollow";
        let mut shifts: Vec<ShiftType> = Vec::new();
        let mut follow_rows: Vec<(usize, usize)> = Vec::new();
        for (row_index, row) in rows.iter().enumerate() {
            if !self.check_field_count(row, 3, columns) {
                continue;
            }
            let code = row.field(0);
            if code.is_empty() {
                self.cell_error(row, "ShiftID", code, "ShiftID saknas", "missing ShiftID");
                continue;
            }
            if shifts.iter().any(|s| s.code == code) {
                self.cell_error(
                    row,
                    "ShiftID",
                    code,
                    "passtypen finns redan; varje ShiftID får bara en rad",
                    "duplicate shift type; each ShiftID gets one row",
                );
                continue;
            }
            let Some(length) = self.number(row, 1, "LengthInMinutes") else {
                continue;
            };
            // Every shift starts at 00:00, so a length of a day or more has no end time.
            let Some(end) = (1..24 * 60).contains(&length).then(|| clock(length)).flatten() else {
                self.cell_error(
                    row,
                    "LengthInMinutes",
                    row.field(1),
                    "passlängden ska vara 1 till 1439 minuter",
                    "the shift length must be 1 to 1439 minutes",
                );
                continue;
            };
            shifts.push(ShiftType {
                code: code.to_string(),
                name: code.to_string(),
                start: Time::midnight(),
                end,
                break_minutes: 0,
                skill: None,
                cannot_follow: Vec::new(),
            });
            follow_rows.push((row_index, shifts.len() - 1));
        }

        // Successors may name shift types defined on later rows.
        let codes: HashSet<String> = shifts.iter().map(|s| s.code.clone()).collect();
        for (row_index, shift_index) in follow_rows {
            let row = &rows[row_index];
            let mut next = BTreeSet::new();
            for code in row.field(2).split('|').map(str::trim).filter(|c| !c.is_empty()) {
                if codes.contains(code) {
                    next.insert(code.to_string());
                } else {
                    self.cell_error(
                        row,
                        "CannotFollow",
                        code,
                        "okänd passtyp; räkna upp ShiftID från SECTION_SHIFTS åtskilda med |",
                        "unknown shift type; list ShiftIDs from SECTION_SHIFTS separated by |",
                    );
                }
            }
            shifts[shift_index].cannot_follow = next.into_iter().collect();
        }
        shifts
    }

    /// Reads employees with their limits, one row each in the order of [`STAFF_COLUMNS`].
    fn staff(&mut self, rows: &[Row], codes: &HashSet<&str>) -> Vec<Employee> {
        let columns = STAFF_COLUMNS.join(",");
        let mut employees: Vec<Employee> = Vec::new();
        for row in rows {
            if !self.check_field_count(row, STAFF_COLUMNS.len(), &columns) {
                continue;
            }
            let id = row.field(0);
            if id.is_empty() {
                self.cell_error(row, "ID", id, "ID saknas", "missing ID");
                continue;
            }
            if employees.iter().any(|e| e.id == id) {
                self.cell_error(
                    row,
                    "ID",
                    id,
                    "den anställda finns redan; varje ID får bara en rad",
                    "duplicate employee; each ID gets one row",
                );
                continue;
            }
            let caps = self.max_shifts(row, codes);
            let numbers: Vec<Option<u32>> =
                (2..STAFF_COLUMNS.len()).map(|i| self.number(row, i, STAFF_COLUMNS[i])).collect();
            let (
                Some(caps),
                [
                    Some(max_minutes),
                    Some(min_minutes),
                    Some(max_run),
                    Some(min_run),
                    Some(min_off),
                    Some(weekends),
                ],
            ) = (caps, numbers.as_slice())
            else {
                continue;
            };
            employees.push(Employee {
                id: id.to_string(),
                name: id.to_string(),
                employment_basis_points: 10_000,
                full_time_minutes: None,
                skills: Vec::new(),
                night_worker: false,
                limits: EmployeeLimits {
                    max_shifts_per_type: caps,
                    min_total_minutes: Some(*min_minutes),
                    max_total_minutes: Some(*max_minutes),
                    max_consecutive_days: Some(*max_run),
                    min_consecutive_days: Some(*min_run),
                    min_consecutive_days_off: Some(*min_off),
                    max_weekends: Some(*weekends),
                },
            });
        }
        employees
    }

    /// Reads the MaxShifts field: `ShiftID=limit` pairs separated by `|`. A limit of 0 means the
    /// employee may not take that shift type; a type left out has no limit.
    fn max_shifts(&mut self, row: &Row, codes: &HashSet<&str>) -> Option<BTreeMap<String, u32>> {
        let mut caps = BTreeMap::new();
        let mut valid = true;
        for pair in row.field(1).split('|').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((code, limit)) = pair.split_once('=').map(|(c, l)| (c.trim(), l.trim())) else {
                self.cell_error(
                    row,
                    "MaxShifts",
                    pair,
                    "skriv ShiftID=antal, t.ex. D=14",
                    "write ShiftID=count, e.g. D=14",
                );
                valid = false;
                continue;
            };
            if !codes.contains(code) {
                self.cell_error(
                    row,
                    "MaxShifts",
                    pair,
                    "okänd passtyp; använd ett ShiftID från SECTION_SHIFTS",
                    "unknown shift type; use a ShiftID from SECTION_SHIFTS",
                );
                valid = false;
                continue;
            }
            let Some(limit) = whole_number(limit) else {
                self.cell_error(
                    row,
                    "MaxShifts",
                    pair,
                    "antalet ska vara ett heltal från 0 och uppåt",
                    "the count must be a whole number from 0 up",
                );
                valid = false;
                continue;
            };
            if caps.insert(code.to_string(), limit).is_some() {
                self.cell_error(
                    row,
                    "MaxShifts",
                    pair,
                    "passtypen står två gånger; ange ett antal per passtyp",
                    "the shift type appears twice; give one count per shift type",
                );
                valid = false;
            }
        }
        valid.then_some(caps)
    }

    /// Reads fixed days off (`EmployeeID,day,day,…`) as pinned days off. A day listed twice gives
    /// one pin, and an employee may have several rows.
    fn days_off(&mut self, rows: &[Row], known: &Known) -> Vec<Pin> {
        let mut seen: HashSet<(String, u32)> = HashSet::new();
        let mut order: Vec<(String, u32)> = Vec::new();
        for row in rows {
            let Some(employee) = self.employee(row, 0, "EmployeeID", known) else {
                continue;
            };
            for index in 1..row.fields.len() {
                if row.field(index).is_empty() {
                    continue;
                }
                let Some(day) = self.day(row, index, "DayIndexes", known.horizon) else {
                    continue;
                };
                if seen.insert((employee.clone(), day)) {
                    order.push((employee.clone(), day));
                }
            }
        }
        order
            .into_iter()
            .filter_map(|(employee, day)| Some(Pin { employee, date: day_date(day)?, shift: None }))
            .collect()
    }

    /// Reads shift on requests (`on`) as wishes to work that shift, or shift off requests as
    /// wishes to avoid it. The weight becomes the wish priority, because the benchmark preset
    /// prices a missed wish at its priority.
    fn requests(&mut self, rows: &[Row], known: &Known, on: bool) -> Vec<Wish> {
        let columns = REQUEST_COLUMNS.join(",");
        let mut wishes = Vec::new();
        for row in rows {
            if !self.check_field_count(row, REQUEST_COLUMNS.len(), &columns) {
                continue;
            }
            let employee = self.employee(row, 0, "EmployeeID", known);
            let day = self.day(row, 1, "Day", known.horizon);
            let shift = self.shift(row, 2, "ShiftID", known);
            let weight = self.weight(row);
            let (Some(employee), Some(day), Some(shift), Some(priority)) = (employee, day, shift, weight)
            else {
                continue;
            };
            let Some(date) = day_date(day) else { continue };
            let kind = if on { WishKind::Work(Some(shift)) } else { WishKind::Avoid(shift) };
            wishes.push(Wish { employee, date, kind, priority });
        }
        wishes
    }

    /// Reads a request weight. Turnus wish priorities are 1 to 3, the range every published
    /// instance uses.
    fn weight(&mut self, row: &Row) -> Option<u8> {
        let weight = self.number(row, 3, "Weight")?;
        match u8::try_from(weight) {
            Ok(w @ 1..=3) => Some(w),
            _ => {
                self.cell_error(
                    row,
                    "Weight",
                    row.field(3),
                    "vikten ska vara 1, 2 eller 3 (Turnus prioriteter för önskemål)",
                    "the weight must be 1, 2 or 3 (the Turnus wish priorities)",
                );
                None
            }
        }
    }

    /// Reads cover rows `Day,ShiftID,Requirement,WeightForUnder,WeightForOver`: the requirement is
    /// both minimum and ideal, each person short costs the under weight and each person
    /// beyond it the over weight.
    fn cover(&mut self, rows: &[Row], known: &Known) -> Vec<DemandRow> {
        let columns = COVER_COLUMNS.join(",");
        let mut demand = Vec::new();
        for row in rows {
            if !self.check_field_count(row, COVER_COLUMNS.len(), &columns) {
                continue;
            }
            let day = self.day(row, 0, "Day", known.horizon);
            let shift = self.shift(row, 1, "ShiftID", known);
            let required = self.number(row, 2, "Requirement");
            let under = self.number(row, 3, "WeightForUnder");
            let over = self.number(row, 4, "WeightForOver");
            let (Some(day), Some(shift), Some(required), Some(under), Some(over)) =
                (day, shift, required, under, over)
            else {
                continue;
            };
            let Some(date) = day_date(day) else { continue };
            demand.push(DemandRow {
                day: DemandDay::Date(date),
                shift,
                skill: None,
                min: required,
                ideal: required,
                under_weight: Some(i64::from(under)),
                over_weight: Some(i64::from(over)),
            });
        }
        demand
    }
}

/// Parses a whole number from 0 up. A sign is allowed, because Instance15 writes two cover
/// requirements as `-0`.
fn whole_number(text: &str) -> Option<u32> {
    text.parse::<i64>().ok().and_then(|n| u32::try_from(n).ok())
}

/// Returns the clock time `minutes` after midnight, for `minutes` below one day.
fn clock(minutes: u32) -> Option<Time> {
    let hour = i8::try_from(minutes / 60).ok()?;
    let minute = i8::try_from(minutes % 60).ok()?;
    Time::new(hour, minute, 0, 0).ok()
}

/// Returns the date of day index `day`. Callers range-check the day against a horizon that
/// [`Reader::horizon`] accepted, so the date exists.
fn day_date(day: u32) -> Option<Date> {
    let span = jiff::Span::new().try_days(i64::from(day)).ok()?;
    START.checked_add(span).ok()
}
