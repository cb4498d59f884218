//! Contradictions between files: [`Problem::validate`]'s errors in Swedish and English,
//! mapped back to the lines they come from, and the history window check.

use std::collections::HashSet;

use turnus_core::{Problem, ProblemError, WishKind};

use super::cells::Msg;
use super::files::Sources;
use crate::error::InputError;

/// Describes a contradiction in Swedish and English, with what to do about it.
pub(crate) fn problem_error_text(error: &ProblemError) -> Msg {
    match error {
        ProblemError::UnknownTimeZone(zone) => Msg::new(
            format!("okänd tidszon {zone:?}; skriv ett IANA-namn, t.ex. Europe/Stockholm"),
            format!("unknown time zone {zone:?}; write an IANA name, e.g. Europe/Stockholm"),
        ),
        ProblemError::EmptyPeriod => Msg::new(
            "perioden måste ha minst en vecka; sätt weeks till 1 eller mer",
            "the period must have at least one week; set weeks to 1 or more",
        ),
        ProblemError::DuplicateEmployee(id) => Msg::new(
            format!("anställningsnumret {id} finns på flera rader; ge varje anställd ett eget id"),
            format!("staff id {id} appears on more than one line; give every employee an id of their own"),
        ),
        ProblemError::DuplicateShift(code) => Msg::new(
            format!("passkoden {code} finns på flera rader; ge varje pass en egen kod"),
            format!(
                "shift code {code} appears on more than one line; give every shift type a code of its own"
            ),
        ),
        ProblemError::UnknownEmployee { id, .. } => Msg::new(
            format!("okänd anställd {id}; skriv ett id som finns i staff.csv eller lägg till personen där"),
            format!("unknown employee {id}; write an id that is in staff.csv or add the person there"),
        ),
        ProblemError::UnknownShift { code, .. } => Msg::new(
            format!("okänt pass {code}; skriv en kod som finns i shifts.csv"),
            format!("unknown shift {code}; write a code that is in shifts.csv"),
        ),
        ProblemError::DateOutsidePeriod { date, start, end, .. } => Msg::new(
            format!(
                "datumet {date} ligger utanför perioden {start}–{end}; skriv ett datum inom perioden eller ta bort raden"
            ),
            format!(
                "date {date} is outside the period {start} to {end}; write a date inside the period or remove the line"
            ),
        ),
        ProblemError::EmploymentOutOfRange { id } => Msg::new(
            format!("sysselsättningsgraden för {id} ska vara över 0 och högst 100 procent"),
            format!("the employment degree of {id} must be above 0 and at most 100 percent"),
        ),
        ProblemError::BreakTooLong { minutes, break_minutes, .. } => Msg::new(
            format!(
                "rasten på {break_minutes} min är minst lika lång som passet ({minutes} min); korta rasten"
            ),
            format!(
                "the break of {break_minutes} min is as long as the shift ({minutes} min) or longer; shorten the break"
            ),
        ),
        ProblemError::MissingBreak { max_minutes, .. } => {
            // Hours with decimals only where needed: 300 min is "5", 330 min "5.5" ("5,5").
            let hours = (*max_minutes as f64 / 60.0).to_string();
            let hours_sv = hours.replace('.', ",");
            Msg::new(
                format!(
                    "passet är längre än {hours_sv} timmar och behöver en rast (ATL §15); ange rasten i minuter, t.ex. 30"
                ),
                format!(
                    "the shift is longer than {hours} hours and needs a break (ATL §15); give the break in minutes, e.g. 30"
                ),
            )
        }
        ProblemError::IdealBelowMin { min, ideal, .. } => Msg::new(
            format!(
                "ideal {ideal} är lägre än min {min}; skriv ett ideal på minst {min} eller lämna det tomt"
            ),
            format!("ideal {ideal} is below min {min}; write an ideal of at least {min} or leave it empty"),
        ),
        ProblemError::AbsenceReversed { from, to, .. } => Msg::new(
            format!("frånvaron slutar {to} innan den börjar {from}; byt plats på datumen"),
            format!("the absence ends {to} before it starts {from}; swap the dates"),
        ),
        ProblemError::SkillGrantReversed { from, to, .. } => Msg::new(
            format!("kompetensen gäller till {to}, före {from} då den börjar gälla; byt plats på datumen"),
            format!("the skill is valid to {to}, before it is valid from {from}; swap the dates"),
        ),
        ProblemError::BadPriority { priority, .. } => Msg::new(
            format!("prioriteten {priority} ska vara 1 (låg), 2 (normal) eller 3 (hög)"),
            format!("priority {priority} must be 1 (low), 2 (normal) or 3 (high)"),
        ),
        ProblemError::AvoidWithoutShift { .. } => Msg::new(
            "ett önskemål om att undvika ett pass måste ange passet; fyll i passkoden",
            "a wish to avoid a shift must name the shift; fill in the shift code",
        ),
        ProblemError::DuplicatePin { id, date } => Msg::new(
            format!("{id} har två fasta pass {date}; behåll en av raderna"),
            format!("{id} has two pinned assignments on {date}; keep one of the lines"),
        ),
        #[allow(unreachable_patterns)]
        other => Msg::new(
            format!("motsägelse i underlaget: {other}"),
            format!("contradiction in the input: {other}"),
        ),
    }
}

/// Indexes of history rows outside the window that history counts in: from
/// `history_days` before the period start up to the day before it.
pub(crate) fn history_outside_window(problem: &Problem) -> Vec<(usize, Msg)> {
    let period = problem.unit.period;
    let days = i32::try_from(problem.rules.params.history_days).unwrap_or(i32::MAX);
    let first = period.date(-days);
    let last = period.date(-1);
    let mut outside = Vec::new();
    for (i, h) in problem.history.iter().flatten().enumerate() {
        let index = period.index_of(h.date);
        if index >= 0 {
            outside.push((
                i,
                Msg::new(
                    format!("historik gäller dagarna före perioden, men {} är inom eller efter perioden som börjar {}; flytta raden till pinned.csv eller ta bort den", h.date, period.start),
                    format!("history covers the days before the period, but {} is on or after the period start {}; move the line to pinned.csv or remove it", h.date, period.start),
                ),
            ));
        } else if index < -days {
            let msg = if days == 0 {
                Msg::new(
                    "regeluppsättningen använder ingen historik (history_days = 0); ta bort raden eller höj history_days i unit.toml",
                    "the rule set uses no history (history_days = 0); remove the line or raise history_days in unit.toml",
                )
            } else {
                Msg::new(
                    format!(
                        "datumet ligger före historikfönstret {first}–{last} (history_days = {days}); ta bort raden eller höj history_days i unit.toml"
                    ),
                    format!(
                        "the date is before the history window {first} to {last} (history_days = {days}); remove the line or raise history_days in unit.toml"
                    ),
                )
            };
            outside.push((i, msg));
        }
    }
    outside
}

/// Runs [`Problem::validate`] and the history window check and returns each finding at the
/// lines it concerns. Findings that follow from an error already reported (an id in a row
/// that could not be read, dates when the period is unknown) are left out.
pub(crate) fn locate(problem: &Problem, sources: &Sources) -> Vec<InputError> {
    let mut out = Vec::new();
    let mut done = HashSet::new();
    let at = |file: &'static str, line: usize, column: &'static str, value: &str, msg: &Msg| {
        InputError::file(&sources.name(file), msg.sv.clone(), msg.en.clone())
            .at_line(line)
            .at_cell(&sources.header(file, column), value)
    };

    if sources.period_known {
        for (i, msg) in history_outside_window(problem) {
            if let (Some(line), Some(h)) =
                (sources.history.get(i), problem.history.as_ref().and_then(|h| h.get(i)))
            {
                out.push(at("history.csv", *line, "date", &h.date.to_string(), &msg));
            }
        }
    }

    for error in problem.validate() {
        if !done.insert(error.to_string()) {
            continue;
        }
        let msg = problem_error_text(&error);
        match &error {
            // Checked with their key and line while reading unit.toml.
            ProblemError::UnknownTimeZone(_) | ProblemError::EmptyPeriod => {}
            ProblemError::DuplicateEmployee(id) => {
                let lines = lines_where(&sources.staff, &problem.employees, |e| &e.id == id);
                for line in lines.iter().skip(1) {
                    out.push(at("staff.csv", *line, "id", id, &msg));
                }
            }
            ProblemError::DuplicateShift(code) => {
                let lines = lines_where(&sources.shifts, &problem.shift_types, |s| &s.code == code);
                for line in lines.iter().skip(1) {
                    out.push(at("shifts.csv", *line, "code", code, &msg));
                }
            }
            ProblemError::UnknownEmployee { context, id } if sources.staff_known => {
                let (file, lines) = match *context {
                    "wish" => {
                        ("wishes.csv", lines_where(&sources.wishes, &problem.wishes, |w| &w.employee == id))
                    }
                    "absence" => (
                        "absences.csv",
                        lines_where(&sources.absences, &problem.absences, |a| &a.employee == id),
                    ),
                    "skill" => (
                        "skills.csv",
                        lines_where(&sources.grants, &problem.skill_grants, |g| &g.employee == id),
                    ),
                    "history" => (
                        "history.csv",
                        lines_where(&sources.history, problem.history.as_deref().unwrap_or(&[]), |h| {
                            &h.employee == id
                        }),
                    ),
                    "pin" => ("pinned.csv", lines_where(&sources.pins, &problem.pins, |p| &p.employee == id)),
                    _ => continue,
                };
                for line in lines {
                    out.push(at(file, line, "employee", id, &msg));
                }
            }
            ProblemError::UnknownShift { context, code } if sources.shifts_known => {
                let (file, lines) = match *context {
                    "demand" => {
                        ("demand.csv", lines_where(&sources.demand, &problem.demand, |d| &d.shift == code))
                    }
                    "wish" => (
                        "wishes.csv",
                        lines_where(&sources.wishes, &problem.wishes, |w| wish_shift(&w.kind) == Some(code)),
                    ),
                    "history" => (
                        "history.csv",
                        lines_where(&sources.history, problem.history.as_deref().unwrap_or(&[]), |h| {
                            &h.shift == code
                        }),
                    ),
                    "pin" => (
                        "pinned.csv",
                        lines_where(&sources.pins, &problem.pins, |p| p.shift.as_ref() == Some(code)),
                    ),
                    _ => continue,
                };
                for line in lines {
                    out.push(at(file, line, "shift", code, &msg));
                }
            }
            ProblemError::DateOutsidePeriod { context, date, .. } if sources.period_known => {
                let (file, lines) = match *context {
                    "wish" => {
                        ("wishes.csv", lines_where(&sources.wishes, &problem.wishes, |w| w.date == *date))
                    }
                    "pin" => ("pinned.csv", lines_where(&sources.pins, &problem.pins, |p| p.date == *date)),
                    _ => continue,
                };
                for line in lines {
                    out.push(at(file, line, "date", &date.to_string(), &msg));
                }
            }
            ProblemError::EmploymentOutOfRange { id } => {
                for line in lines_where(&sources.staff, &problem.employees, |e| &e.id == id) {
                    out.push(at("staff.csv", line, "employment_percent", id, &msg));
                }
            }
            ProblemError::BreakTooLong { code, break_minutes, .. }
                if !sources.placeholder_shifts.contains(code) =>
            {
                for line in lines_where(&sources.shifts, &problem.shift_types, |s| &s.code == code) {
                    out.push(at("shifts.csv", line, "break_minutes", &break_minutes.to_string(), &msg));
                }
            }
            ProblemError::MissingBreak { code, .. } if !sources.placeholder_shifts.contains(code) => {
                for line in lines_where(&sources.shifts, &problem.shift_types, |s| &s.code == code) {
                    out.push(at("shifts.csv", line, "break_minutes", "0", &msg));
                }
            }
            ProblemError::IdealBelowMin { code, min, ideal } => {
                for line in lines_where(&sources.demand, &problem.demand, |d| {
                    &d.shift == code && d.min == *min && d.ideal == *ideal
                }) {
                    out.push(at("demand.csv", line, "ideal", &ideal.to_string(), &msg));
                }
            }
            ProblemError::AbsenceReversed { id, from, to } => {
                for line in lines_where(&sources.absences, &problem.absences, |a| {
                    &a.employee == id && a.from == *from && a.to == *to
                }) {
                    out.push(at("absences.csv", line, "to", &to.to_string(), &msg));
                }
            }
            ProblemError::SkillGrantReversed { id, skill, from, to } => {
                let matches = |g: &turnus_core::SkillGrant| {
                    &g.employee == id && &g.skill == skill && g.valid_from == *from && g.valid_to == *to
                };
                for line in lines_where(&sources.grants, &problem.skill_grants, matches) {
                    out.push(at("skills.csv", line, "valid_to", &to.to_string(), &msg));
                }
            }
            ProblemError::BadPriority { id, date, priority } => {
                for line in lines_where(&sources.wishes, &problem.wishes, |w| {
                    &w.employee == id && w.date == *date && w.priority == *priority
                }) {
                    out.push(at("wishes.csv", line, "priority", &priority.to_string(), &msg));
                }
            }
            ProblemError::AvoidWithoutShift { id, date } => {
                let matches = |w: &turnus_core::Wish| {
                    &w.employee == id && w.date == *date && w.kind == WishKind::Avoid(String::new())
                };
                for line in lines_where(&sources.wishes, &problem.wishes, matches) {
                    out.push(at("wishes.csv", line, "shift", "", &msg));
                }
            }
            ProblemError::DuplicatePin { id, date } => {
                let lines =
                    lines_where(&sources.pins, &problem.pins, |p| &p.employee == id && p.date == *date);
                for line in lines.iter().skip(1) {
                    out.push(at("pinned.csv", *line, "date", &date.to_string(), &msg));
                }
            }
            // The cause was reported where the file was read (an unreadable staff or
            // shift column, an unknown period, a shift with unreadable times).
            ProblemError::UnknownEmployee { .. }
            | ProblemError::UnknownShift { .. }
            | ProblemError::DateOutsidePeriod { .. }
            | ProblemError::BreakTooLong { .. }
            | ProblemError::MissingBreak { .. } => {}
            #[allow(unreachable_patterns)]
            _ => out.push(InputError::file("bundle", msg.sv, msg.en)),
        }
    }
    out
}

fn wish_shift(kind: &WishKind) -> Option<&String> {
    match kind {
        WishKind::Work(shift) => shift.as_ref(),
        WishKind::Avoid(shift) => Some(shift),
        WishKind::Off => None,
    }
}

/// Lines of the entities that match, from a side table parallel to `items`.
fn lines_where<T>(lines: &[usize], items: &[T], matches: impl Fn(&T) -> bool) -> Vec<usize> {
    items.iter().zip(lines).filter(|(item, _)| matches(item)).map(|(_, line)| *line).collect()
}
