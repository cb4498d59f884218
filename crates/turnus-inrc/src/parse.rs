//! Parsers for the INRC-II text format: scenario, history, week data and weekly solution
//! files. Lines may end in LF or CRLF and carry trailing spaces; fields are split on
//! whitespace. Every error names the file, line, field and value, and explains how to fix it.

// The line helpers return one `InputError` by value. Errors are rare and built once per bad
// line, so boxing them would only add noise to every call.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;

use turnus_io::{InputError, InputErrors};

use crate::model::{
    Assignment, Contract, DAY_NAMES, DAYS_PER_WEEK, History, Nurse, NurseHistory, OffRequest, Requirement,
    Scenario, ShiftType, WeekData,
};

/// The non-blank lines of a file with their 1-based numbers, and a read position.
struct Lines<'a> {
    file: &'a str,
    lines: Vec<(usize, &'a str)>,
    pos: usize,
}

impl<'a> Lines<'a> {
    fn new(file: &'a str, text: &'a str) -> Lines<'a> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let lines = text
            .split('\n')
            .enumerate()
            .map(|(i, l)| (i + 1, l.trim()))
            .filter(|(_, l)| !l.is_empty())
            .collect();
        Lines { file, lines, pos: 0 }
    }

    fn peek(&self) -> Option<(usize, &'a str)> {
        self.lines.get(self.pos).copied()
    }

    fn next_line(&mut self) -> Option<(usize, &'a str)> {
        let line = self.peek();
        if line.is_some() {
            self.pos += 1;
        }
        line
    }

    /// Returns the line number past the last line, for errors about a missing part.
    fn end_line(&self) -> usize {
        self.lines.last().map_or(1, |(n, _)| n + 1)
    }

    fn error(&self, line: usize, sv: impl Into<String>, en: impl Into<String>) -> InputError {
        InputError::file(self.file, sv, en).at_line(line)
    }

    fn field_error(
        &self,
        line: usize,
        field: &str,
        value: &str,
        sv: impl Into<String>,
        en: impl Into<String>,
    ) -> InputError {
        InputError::file(self.file, sv, en).at_line(line).at_cell(field, value)
    }

    /// Reads a line that is exactly `keyword`.
    fn keyword(&mut self, keyword: &str) -> Result<usize, InputError> {
        match self.next_line() {
            Some((n, l)) if l == keyword => Ok(n),
            Some((n, l)) => Err(self.field_error(
                n,
                keyword,
                l,
                format!("här ska raden {keyword} stå"),
                format!("expected the line {keyword} here"),
            )),
            None => Err(self.error(
                self.end_line(),
                format!("filen slutar före raden {keyword}; filen är avkortad"),
                format!("the file ends before the line {keyword}; the file is truncated"),
            )),
        }
    }

    /// Reads a line `KEY = value` and returns the value.
    fn header(&mut self, key: &str) -> Result<(usize, &'a str), InputError> {
        let Some((n, line)) = self.next_line() else {
            return Err(self.error(
                self.end_line(),
                format!("filen slutar före raden {key} = …; filen är avkortad"),
                format!("the file ends before the line {key} = …; the file is truncated"),
            ));
        };
        let value = line
            .strip_prefix(key)
            .map(str::trim_start)
            .and_then(|rest| rest.strip_prefix('='))
            .map(str::trim);
        match value {
            Some(v) if !v.is_empty() => Ok((n, v)),
            _ => Err(self.field_error(
                n,
                key,
                line,
                format!("här ska raden {key} = VÄRDE stå"),
                format!("expected the line {key} = VALUE here"),
            )),
        }
    }

    /// Reads a line `KEY = count` and returns the count.
    fn count_header(&mut self, key: &str) -> Result<(usize, usize), InputError> {
        let (n, value) = self.header(key)?;
        let count = value.parse::<usize>().map_err(|_| {
            self.field_error(
                n,
                key,
                value,
                "antalet måste vara ett heltal 0 eller större",
                "the count must be a whole number, 0 or more",
            )
        })?;
        Ok((n, count))
    }

    /// Reads `count` lines, or fewer when the file ends or a line starts a new section.
    fn rows(
        &mut self,
        key: &str,
        header_line: usize,
        count: usize,
    ) -> Result<Vec<(usize, &'a str)>, InputError> {
        let mut rows = Vec::new();
        while rows.len() < count {
            match self.peek() {
                Some((_, l)) if !is_section(l) => {
                    rows.extend(self.next_line());
                }
                _ => {
                    return Err(self.error(
                        header_line,
                        format!("{key} anger {count} rader men bara {} följer; rätta antalet", rows.len()),
                        format!(
                            "{key} states {count} lines but only {} follow; correct the count",
                            rows.len()
                        ),
                    ));
                }
            }
        }
        Ok(rows)
    }
}

/// Tells whether a line opens a section: an upper-case keyword such as `NURSES = 30` or `REQUIREMENTS`.
fn is_section(line: &str) -> bool {
    let word = line.split(|c: char| c.is_whitespace() || c == '=').next().unwrap_or("");
    word.len() > 3 && word.chars().all(|c| c.is_ascii_uppercase() || c == '_')
}

/// A field of a line: a word, or a group in brackets such as `(2,5)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Pair(&'a str),
}

impl<'a> Token<'a> {
    fn text(self) -> &'a str {
        match self {
            Token::Word(w) | Token::Pair(w) => w,
        }
    }
}

/// Splits a line into words and bracket groups; spaces inside brackets are allowed.
fn tokens(line: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut rest = line.trim_start();
    while !rest.is_empty() {
        if rest.starts_with('(') {
            let end = rest.find(')').map_or(rest.len(), |i| i + 1);
            out.push(Token::Pair(&rest[..end]));
            rest = rest[end..].trim_start();
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || c == '(').unwrap_or(rest.len());
            out.push(Token::Word(&rest[..end]));
            rest = rest[end..].trim_start();
        }
    }
    out
}

/// Parses a whole number for `field`.
fn number(lines: &Lines<'_>, line: usize, field: &str, text: &str) -> Result<u32, InputError> {
    text.parse::<u32>().map_err(|_| {
        lines.field_error(
            line,
            field,
            text,
            "värdet måste vara ett heltal 0 eller större",
            "the value must be a whole number, 0 or more",
        )
    })
}

/// Parses a bracket pair `(a,b)` for `field`.
fn pair(
    lines: &Lines<'_>,
    line: usize,
    field: &str,
    token: Option<Token<'_>>,
) -> Result<(u32, u32), InputError> {
    let bad = |text: &str| {
        lines.field_error(
            line,
            field,
            text,
            "värdet ska vara ett par av heltal som (2,5)",
            "the value must be a pair of whole numbers such as (2,5)",
        )
    };
    let Some(Token::Pair(text)) = token else {
        return Err(match token {
            Some(t) => bad(t.text()),
            None => lines.field_error(
                line,
                field,
                "",
                "fältet saknas; skriv ett par av heltal som (2,5)",
                "the field is missing; write a pair of whole numbers such as (2,5)",
            ),
        });
    };
    let inner = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')).ok_or_else(|| bad(text))?;
    let (a, b) = inner.split_once(',').ok_or_else(|| bad(text))?;
    match (a.trim().parse::<u32>(), b.trim().parse::<u32>()) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(bad(text)),
    }
}

/// Parses a bracket pair that is a range, so its first number may not exceed its second.
fn range(
    lines: &Lines<'_>,
    line: usize,
    field: &str,
    token: Option<Token<'_>>,
) -> Result<(u32, u32), InputError> {
    let text = token.map_or("", Token::text);
    let (low, high) = pair(lines, line, field, token)?;
    if low > high {
        return Err(lines.field_error(
            line,
            field,
            text,
            "minimum är större än maximum; skriv (min,max)",
            "the minimum exceeds the maximum; write (min,max)",
        ));
    }
    Ok((low, high))
}

/// Looks a name up in an index built from a list.
fn index_of(names: &[String]) -> HashMap<&str, usize> {
    names.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect()
}

/// Returns an error unless no token is left on a line.
fn no_more(lines: &Lines<'_>, line: usize, extra: &[Token<'_>]) -> Result<(), InputError> {
    match extra.first() {
        None => Ok(()),
        Some(t) => Err(lines.field_error(
            line,
            "radslut",
            t.text(),
            "raden har fler fält än formatet tillåter; ta bort dem",
            "the line has more fields than the format allows; remove them",
        )),
    }
}

/// Parses a scenario file `Sc-<dataset>.txt`.
///
/// # Errors
///
/// Returns every malformed line found: a missing or misplaced section, a count that does not
/// match its lines, a bad number or range, an unknown or repeated name.
pub fn parse_scenario(file: &str, text: &str) -> Result<Scenario, InputErrors> {
    let mut lines = Lines::new(file, text);
    let mut errors = Vec::new();
    let one = |e: InputError| InputErrors::one(e);

    let (_, name) = lines.header("SCENARIO").map_err(one)?;
    let (weeks_line, weeks) = lines.header("WEEKS").map_err(one)?;
    let weeks = number(&lines, weeks_line, "WEEKS", weeks).map_err(one)? as usize;
    if weeks == 0 {
        return Err(one(lines.field_error(
            weeks_line,
            "WEEKS",
            "0",
            "minst en vecka krävs",
            "at least one week is needed",
        )));
    }

    let (skills_line, count) = lines.count_header("SKILLS").map_err(one)?;
    let mut skills = Vec::new();
    for (n, l) in lines.rows("SKILLS", skills_line, count).map_err(one)? {
        let t = tokens(l);
        if t.len() != 1 || skills.iter().any(|s| s == l) {
            errors.push(lines.field_error(
                n,
                "skill",
                l,
                "en kompetens per rad, ett ord, varje namn en gång",
                "one skill per line, a single word, each name once",
            ));
            continue;
        }
        skills.push(l.to_string());
    }

    let (shifts_line, count) = lines.count_header("SHIFT_TYPES").map_err(one)?;
    let mut shift_types: Vec<ShiftType> = Vec::new();
    for (n, l) in lines.rows("SHIFT_TYPES", shifts_line, count).map_err(one)? {
        let t = tokens(l);
        let Some(Token::Word(id)) = t.first().copied() else {
            errors.push(lines.field_error(
                n,
                "shift",
                l,
                "raden ska vara NAMN (min,max)",
                "the line must be NAME (min,max)",
            ));
            continue;
        };
        if shift_types.iter().any(|s| s.name == id) {
            errors.push(lines.field_error(
                n,
                "shift",
                id,
                "passtypen finns redan; ge den ett eget namn",
                "the shift type is listed twice; give it its own name",
            ));
            continue;
        }
        match range(&lines, n, "(minConsecutive,maxConsecutive)", t.get(1).copied())
            .and_then(|r| no_more(&lines, n, &t[2..]).map(|()| r))
        {
            Ok((min, max)) => shift_types.push(ShiftType {
                name: id.to_string(),
                min_consecutive: min,
                max_consecutive: max,
            }),
            Err(e) => errors.push(e),
        }
    }
    let shift_names: Vec<String> = shift_types.iter().map(|s| s.name.clone()).collect();
    let shift_index = index_of(&shift_names);

    let forbidden_line = lines.keyword("FORBIDDEN_SHIFT_TYPES_SUCCESSIONS").map_err(one)?;
    let mut forbidden = vec![vec![false; shift_types.len()]; shift_types.len()];
    let mut seen = vec![false; shift_types.len()];
    while let Some((n, l)) = lines.peek() {
        if is_section(l) {
            break;
        }
        lines.next_line();
        let t = tokens(l);
        let Some(&preceding) = shift_index.get(t[0].text()) else {
            errors.push(lines.field_error(
                n,
                "preceding shift",
                t[0].text(),
                format!("okänd passtyp; använd en av {}", shift_names.join(", ")),
                format!("unknown shift type; use one of {}", shift_names.join(", ")),
            ));
            continue;
        };
        seen[preceding] = true;
        let count = match t.get(1).map(|c| number(&lines, n, "count", c.text())) {
            Some(Ok(c)) => c as usize,
            Some(Err(e)) => {
                errors.push(e);
                continue;
            }
            None => {
                errors.push(lines.field_error(
                    n,
                    "count",
                    "",
                    "antalet efterföljande passtyper saknas",
                    "the number of succeeding shift types is missing",
                ));
                continue;
            }
        };
        if t.len() != count + 2 {
            errors.push(lines.field_error(
                n,
                "count",
                t[1].text(),
                format!("raden anger {count} passtyper men har {}; rätta antalet", t.len() - 2),
                format!("the line states {count} shift types but lists {}; correct the count", t.len() - 2),
            ));
            continue;
        }
        for succ in &t[2..] {
            match shift_index.get(succ.text()) {
                Some(&s) => forbidden[preceding][s] = true,
                None => errors.push(lines.field_error(
                    n,
                    "succeeding shift",
                    succ.text(),
                    format!("okänd passtyp; använd en av {}", shift_names.join(", ")),
                    format!("unknown shift type; use one of {}", shift_names.join(", ")),
                )),
            }
        }
    }
    if errors.is_empty() {
        if let Some(missing) = seen.iter().position(|s| !s) {
            // The format lists every shift type once, with count 0 when nothing is forbidden.
            errors.push(lines.error(
                forbidden_line,
                format!(
                    "passtypen {} saknar rad; skriv \"{} 0\" om inget är förbjudet efter den",
                    shift_names[missing], shift_names[missing]
                ),
                format!(
                    "the shift type {} has no line; write \"{} 0\" when nothing is forbidden after it",
                    shift_names[missing], shift_names[missing]
                ),
            ));
        }
    }

    let (contracts_line, count) = lines.count_header("CONTRACTS").map_err(one)?;
    let mut contracts: Vec<Contract> = Vec::new();
    for (n, l) in lines.rows("CONTRACTS", contracts_line, count).map_err(one)? {
        match contract_line(&lines, n, l) {
            Ok(c) if contracts.iter().any(|o| o.name == c.name) => errors.push(lines.field_error(
                n,
                "contract",
                &c.name,
                "avtalet finns redan; ge det ett eget namn",
                "the contract is listed twice; give it its own name",
            )),
            Ok(c) => contracts.push(c),
            Err(e) => errors.push(e),
        }
    }
    let contract_names: Vec<String> = contracts.iter().map(|c| c.name.clone()).collect();
    let contract_index = index_of(&contract_names);
    let skill_index = index_of(&skills);

    let (nurses_line, count) = lines.count_header("NURSES").map_err(one)?;
    let mut nurses: Vec<Nurse> = Vec::new();
    for (n, l) in lines.rows("NURSES", nurses_line, count).map_err(one)? {
        let t = tokens(l);
        if t.len() < 3 {
            errors.push(lines.field_error(
                n,
                "nurse",
                l,
                "raden ska vara NAMN AVTAL ANTAL KOMPETENS…",
                "the line must be NAME CONTRACT COUNT SKILL…",
            ));
            continue;
        }
        let name = t[0].text();
        if nurses.iter().any(|o| o.name == name) {
            errors.push(lines.field_error(
                n,
                "nurse",
                name,
                "namnet finns redan; varje sjuksköterska en gång",
                "the name is listed twice; list each nurse once",
            ));
            continue;
        }
        let Some(&contract) = contract_index.get(t[1].text()) else {
            errors.push(lines.field_error(
                n,
                "contract",
                t[1].text(),
                format!("okänt avtal; använd ett av {}", contract_names.join(", ")),
                format!("unknown contract; use one of {}", contract_names.join(", ")),
            ));
            continue;
        };
        let count = match number(&lines, n, "skill count", t[2].text()) {
            Ok(c) => c as usize,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if t.len() != count + 3 || count == 0 {
            errors.push(lines.field_error(
                n,
                "skill count",
                t[2].text(),
                format!("raden anger {count} kompetenser men har {}; rätta antalet (minst 1)", t.len() - 3),
                format!(
                    "the line states {count} skills but lists {}; correct the count (at least 1)",
                    t.len() - 3
                ),
            ));
            continue;
        }
        let mut nurse_skills = Vec::new();
        for s in &t[3..] {
            match skill_index.get(s.text()) {
                Some(&k) => nurse_skills.push(k),
                None => errors.push(lines.field_error(
                    n,
                    "skill",
                    s.text(),
                    format!("okänd kompetens; använd en av {}", skills.join(", ")),
                    format!("unknown skill; use one of {}", skills.join(", ")),
                )),
            }
        }
        nurse_skills.sort_unstable();
        nurse_skills.dedup();
        nurses.push(Nurse { name: name.to_string(), contract, skills: nurse_skills });
    }
    if let Some((n, l)) = lines.next_line() {
        errors.push(lines.field_error(
            n,
            "radslut",
            l,
            "oväntad rad efter sjuksköterskorna; ta bort den eller rätta NURSES-antalet",
            "unexpected line after the nurses; remove it or correct the NURSES count",
        ));
    }

    if !errors.is_empty() {
        return Err(InputErrors { errors });
    }
    Ok(Scenario { name: name.to_string(), weeks, skills, shift_types, forbidden, contracts, nurses })
}

/// Parses `<name> (min,max) (min,max) (min,max) <maxWeekends> <complete 0|1>`.
fn contract_line(lines: &Lines<'_>, n: usize, l: &str) -> Result<Contract, InputError> {
    let t = tokens(l);
    let Some(Token::Word(name)) = t.first().copied() else {
        return Err(lines.field_error(
            n,
            "contract",
            l,
            "raden ska börja med avtalets namn",
            "the line must start with the contract name",
        ));
    };
    let (min_assignments, max_assignments) = range(lines, n, "(minTotal,maxTotal)", t.get(1).copied())?;
    let (min_consecutive_work, max_consecutive_work) =
        range(lines, n, "(minConsecutiveWork,maxConsecutiveWork)", t.get(2).copied())?;
    let (min_consecutive_off, max_consecutive_off) =
        range(lines, n, "(minConsecutiveOff,maxConsecutiveOff)", t.get(3).copied())?;
    let Some(weekends) = t.get(4) else {
        return Err(lines.field_error(
            n,
            "maxWorkingWeekends",
            "",
            "fältet saknas; skriv högsta antal arbetshelger",
            "the field is missing; write the maximum number of working weekends",
        ));
    };
    let max_working_weekends = number(lines, n, "maxWorkingWeekends", weekends.text())?;
    let complete_weekends = match t.get(5).map(|c| c.text()) {
        Some("1") => true,
        Some("0") => false,
        other => {
            return Err(lines.field_error(
                n,
                "completeWeekends",
                other.unwrap_or(""),
                "skriv 1 om helger ska arbetas hela, annars 0",
                "write 1 when weekends must be worked whole, else 0",
            ));
        }
    };
    no_more(lines, n, &t[6..])?;
    Ok(Contract {
        name: name.to_string(),
        min_assignments,
        max_assignments,
        min_consecutive_work,
        max_consecutive_work,
        min_consecutive_off,
        max_consecutive_off,
        max_working_weekends,
        complete_weekends,
    })
}

/// Parses a history file `H0-<dataset>-<k>.txt` against its scenario.
///
/// # Errors
///
/// Returns every malformed line, a scenario name that differs from `scenario`, an unknown
/// or repeated nurse, and each nurse of the scenario without a line.
pub fn parse_history(file: &str, text: &str, scenario: &Scenario) -> Result<History, InputErrors> {
    let mut lines = Lines::new(file, text);
    let one = |e: InputError| InputErrors::one(e);
    lines.keyword("HISTORY").map_err(one)?;
    let Some((n, l)) = lines.next_line() else {
        return Err(one(lines.error(
            lines.end_line(),
            "raden VECKA SCENARIO saknas; filen är avkortad",
            "the line WEEK SCENARIO is missing; the file is truncated",
        )));
    };
    let t = tokens(l);
    if t.len() != 2 {
        return Err(one(lines.field_error(
            n,
            "week scenario",
            l,
            "raden ska vara VECKA SCENARIO, t.ex. 0 n030w4",
            "the line must be WEEK SCENARIO, e.g. 0 n030w4",
        )));
    }
    let week = number(&lines, n, "week", t[0].text()).map_err(one)? as usize;
    check_scenario_name(&lines, n, t[1].text(), scenario).map_err(one)?;
    lines.keyword("NURSE_HISTORY").map_err(one)?;

    let nurse_index: HashMap<&str, usize> =
        scenario.nurses.iter().enumerate().map(|(i, n)| (n.name.as_str(), i)).collect();
    let shift_names: Vec<String> = scenario.shift_types.iter().map(|s| s.name.clone()).collect();
    let shift_index = index_of(&shift_names);
    let mut nurses: Vec<Option<NurseHistory>> = vec![None; scenario.nurses.len()];
    let mut errors = Vec::new();
    while let Some((n, l)) = lines.next_line() {
        let t = tokens(l);
        if t.len() != 7 {
            errors.push(lines.field_error(n, "nurse history", l, "raden ska ha 7 fält: NAMN PASS HELGER SISTA_PASS I_RAD_SAMMA I_RAD_ARBETE I_RAD_LEDIG", "the line needs 7 fields: NAME ASSIGNMENTS WEEKENDS LAST_SHIFT CONSECUTIVE_SAME CONSECUTIVE_WORK CONSECUTIVE_OFF"));
            continue;
        }
        let Some(&nurse) = nurse_index.get(t[0].text()) else {
            errors.push(lines.field_error(
                n,
                "nurse",
                t[0].text(),
                "okänd sjuksköterska; namnet måste finnas i scenariot",
                "unknown nurse; the name must be in the scenario",
            ));
            continue;
        };
        if nurses[nurse].is_some() {
            errors.push(lines.field_error(
                n,
                "nurse",
                t[0].text(),
                "sjuksköterskan har redan en rad; ta bort den ena",
                "the nurse already has a line; remove one of them",
            ));
            continue;
        }
        let last_shift = match t[3].text() {
            "None" => None,
            s => match shift_index.get(s) {
                Some(&i) => Some(i),
                None => {
                    errors.push(lines.field_error(
                        n,
                        "lastShift",
                        s,
                        format!("okänd passtyp; använd None eller en av {}", shift_names.join(", ")),
                        format!("unknown shift type; use None or one of {}", shift_names.join(", ")),
                    ));
                    continue;
                }
            },
        };
        let fields = [
            "assignments",
            "workingWeekends",
            "",
            "consecutiveSameShift",
            "consecutiveWorkingDays",
            "consecutiveDaysOff",
        ];
        let mut values = [0u32; 6];
        let mut ok = true;
        for (i, field) in fields.iter().enumerate() {
            if i == 2 {
                continue;
            }
            match number(&lines, n, field, t[i + 1].text()) {
                Ok(v) => values[i] = v,
                Err(e) => {
                    errors.push(e);
                    ok = false;
                }
            }
        }
        if !ok {
            continue;
        }
        let history = NurseHistory {
            assignments: values[0],
            working_weekends: values[1],
            last_shift,
            consecutive_same_shift: values[3],
            consecutive_work: values[4],
            consecutive_off: values[5],
        };
        // The last day before the horizon was either worked or off, never both.
        if history.consecutive_work > 0 && history.consecutive_off > 0 {
            errors.push(lines.field_error(n, "consecutiveDaysOff", t[6].text(), "en följd av arbetsdagar och en av lediga dagar kan inte båda sluta dagen före; en av dem ska vara 0", "a run of working days and a run of days off cannot both end on the day before; one must be 0"));
            continue;
        }
        if history.consecutive_work > 0 && last_shift.is_none() {
            errors.push(lines.field_error(
                n,
                "lastShift",
                "None",
                "sjuksköterskan arbetade dagen före (consecutiveWorkingDays > 0); ange passtypen",
                "the nurse worked the day before (consecutiveWorkingDays > 0); give the shift type",
            ));
            continue;
        }
        nurses[nurse] = Some(history);
    }
    for (i, h) in nurses.iter().enumerate() {
        if h.is_none() && errors.is_empty() {
            errors.push(lines.error(
                lines.end_line(),
                format!("sjuksköterskan {} saknar historikrad; lägg till den", scenario.nurses[i].name),
                format!("the nurse {} has no history line; add one", scenario.nurses[i].name),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors { errors });
    }
    Ok(History { week, nurses: nurses.into_iter().map(Option::unwrap_or_default).collect() })
}

fn check_scenario_name(
    lines: &Lines<'_>,
    n: usize,
    name: &str,
    scenario: &Scenario,
) -> Result<(), InputError> {
    if name == scenario.name {
        return Ok(());
    }
    Err(lines.field_error(
        n,
        "scenario",
        name,
        format!("filen hör till ett annat scenario än {}; använd filerna ur samma datamängd", scenario.name),
        format!("the file belongs to another scenario than {}; use the files of one dataset", scenario.name),
    ))
}

/// Parses a week-data file `WD-<dataset>-<k>.txt` against its scenario. Missing requirement
/// lines mean no staff is required.
///
/// # Errors
///
/// Returns every malformed line, a scenario name that differs, unknown names and a
/// (shift, skill) listed twice.
pub fn parse_week(file: &str, text: &str, scenario: &Scenario) -> Result<WeekData, InputErrors> {
    let mut lines = Lines::new(file, text);
    let one = |e: InputError| InputErrors::one(e);
    lines.keyword("WEEK_DATA").map_err(one)?;
    let Some((n, l)) = lines.next_line() else {
        return Err(one(lines.error(
            lines.end_line(),
            "scenariots namn saknas; filen är avkortad",
            "the scenario name is missing; the file is truncated",
        )));
    };
    check_scenario_name(&lines, n, l, scenario).map_err(one)?;
    lines.keyword("REQUIREMENTS").map_err(one)?;

    let shift_names: Vec<String> = scenario.shift_types.iter().map(|s| s.name.clone()).collect();
    let shift_index = index_of(&shift_names);
    let skill_index = index_of(&scenario.skills);
    let mut requirements = vec![
        vec![[Requirement::default(); DAYS_PER_WEEK]; scenario.skills.len()];
        scenario.shift_types.len()
    ];
    let mut listed = vec![vec![false; scenario.skills.len()]; scenario.shift_types.len()];
    let mut errors = Vec::new();
    while let Some((n, l)) = lines.peek() {
        if is_section(l) {
            break;
        }
        lines.next_line();
        let t = tokens(l);
        if t.len() != 2 + DAYS_PER_WEEK {
            errors.push(lines.field_error(
                n,
                "requirement",
                l,
                "raden ska vara PASS KOMPETENS och sju par (min,opt), måndag till söndag",
                "the line must be SHIFT SKILL and seven pairs (min,opt), Monday to Sunday",
            ));
            continue;
        }
        let Some(&shift) = shift_index.get(t[0].text()) else {
            errors.push(lines.field_error(
                n,
                "shift",
                t[0].text(),
                format!("okänd passtyp; använd en av {}", shift_names.join(", ")),
                format!("unknown shift type; use one of {}", shift_names.join(", ")),
            ));
            continue;
        };
        let Some(&skill) = skill_index.get(t[1].text()) else {
            errors.push(lines.field_error(
                n,
                "skill",
                t[1].text(),
                format!("okänd kompetens; använd en av {}", scenario.skills.join(", ")),
                format!("unknown skill; use one of {}", scenario.skills.join(", ")),
            ));
            continue;
        };
        if listed[shift][skill] {
            errors.push(lines.field_error(
                n,
                "requirement",
                l,
                "passtyp och kompetens har redan en rad; ta bort den ena",
                "the shift type and skill already have a line; remove one of them",
            ));
            continue;
        }
        listed[shift][skill] = true;
        for day in 0..DAYS_PER_WEEK {
            match pair(&lines, n, DAY_NAMES[day], Some(t[2 + day])) {
                Ok((minimum, optimal)) => requirements[shift][skill][day] = Requirement { minimum, optimal },
                Err(e) => errors.push(e),
            }
        }
    }

    let (requests_line, count) = lines
        .count_header("SHIFT_OFF_REQUESTS")
        .map_err(|e| InputErrors { errors: [errors.clone(), vec![e]].concat() })?;
    let nurse_index: HashMap<&str, usize> =
        scenario.nurses.iter().enumerate().map(|(i, n)| (n.name.as_str(), i)).collect();
    let mut requests = Vec::new();
    let rows = match lines.rows("SHIFT_OFF_REQUESTS", requests_line, count) {
        Ok(rows) => rows,
        Err(e) => {
            errors.push(e);
            Vec::new()
        }
    };
    for (n, l) in rows {
        let t = tokens(l);
        if t.len() != 3 {
            errors.push(lines.field_error(
                n,
                "request",
                l,
                "raden ska vara NAMN PASS|Any DAG",
                "the line must be NAME SHIFT|Any DAY",
            ));
            continue;
        }
        let Some(&nurse) = nurse_index.get(t[0].text()) else {
            errors.push(lines.field_error(
                n,
                "nurse",
                t[0].text(),
                "okänd sjuksköterska; namnet måste finnas i scenariot",
                "unknown nurse; the name must be in the scenario",
            ));
            continue;
        };
        let shift = match t[1].text() {
            "Any" => None,
            s => match shift_index.get(s) {
                Some(&i) => Some(i),
                None => {
                    errors.push(lines.field_error(
                        n,
                        "shift",
                        s,
                        format!("okänd passtyp; använd Any eller en av {}", shift_names.join(", ")),
                        format!("unknown shift type; use Any or one of {}", shift_names.join(", ")),
                    ));
                    continue;
                }
            },
        };
        let Some(day) = DAY_NAMES.iter().position(|d| *d == t[2].text()) else {
            errors.push(lines.field_error(
                n,
                "day",
                t[2].text(),
                "okänd dag; använd Mon, Tue, Wed, Thu, Fri, Sat eller Sun",
                "unknown day; use Mon, Tue, Wed, Thu, Fri, Sat or Sun",
            ));
            continue;
        };
        requests.push(OffRequest { nurse, shift, day });
    }
    if let Some((n, l)) = lines.next_line() {
        errors.push(lines.field_error(
            n,
            "radslut",
            l,
            "oväntad rad efter önskemålen; ta bort den eller rätta SHIFT_OFF_REQUESTS-antalet",
            "unexpected line after the requests; remove it or correct the SHIFT_OFF_REQUESTS count",
        ));
    }
    if !errors.is_empty() {
        return Err(InputErrors { errors });
    }
    Ok(WeekData { requirements, requests })
}

/// One weekly solution file: its week index and its assignments, with days counted from the
/// start of the horizon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SolutionWeek {
    pub week: usize,
    pub assignments: Vec<Assignment>,
}

/// Parses a weekly solution file `Sol-….txt`. Lines after the stated number of assignments
/// are ignored, because organiser files append notes such as `Cost: 575` there.
///
/// # Errors
///
/// Returns every malformed line, a scenario name that differs, unknown names, and a week
/// index outside the horizon of `weeks` weeks.
pub fn parse_solution_week(
    file: &str,
    text: &str,
    scenario: &Scenario,
    weeks: usize,
) -> Result<SolutionWeek, InputErrors> {
    let mut lines = Lines::new(file, text);
    let one = |e: InputError| InputErrors::one(e);
    lines.keyword("SOLUTION").map_err(one)?;
    let Some((n, l)) = lines.next_line() else {
        return Err(one(lines.error(
            lines.end_line(),
            "raden VECKA SCENARIO saknas; filen är avkortad",
            "the line WEEK SCENARIO is missing; the file is truncated",
        )));
    };
    let t = tokens(l);
    if t.len() != 2 {
        return Err(one(lines.field_error(
            n,
            "week scenario",
            l,
            "raden ska vara VECKA SCENARIO, t.ex. 0 n030w4",
            "the line must be WEEK SCENARIO, e.g. 0 n030w4",
        )));
    }
    let week = number(&lines, n, "week", t[0].text()).map_err(one)? as usize;
    if week >= weeks {
        let (sv, en) = match weeks.checked_sub(1) {
            Some(last) => (
                format!("veckan ligger utanför instansen; använd 0 till {last}"),
                format!("the week is outside the instance; use 0 to {last}"),
            ),
            None => (
                "instansen har inga veckor; ange minst en veckofil".to_string(),
                "the instance has no weeks; give at least one week file".to_string(),
            ),
        };
        return Err(one(lines.field_error(n, "week", t[0].text(), sv, en)));
    }
    check_scenario_name(&lines, n, t[1].text(), scenario).map_err(one)?;
    let (count_line, count) = lines.count_header("ASSIGNMENTS").map_err(one)?;

    let nurse_index: HashMap<&str, usize> =
        scenario.nurses.iter().enumerate().map(|(i, n)| (n.name.as_str(), i)).collect();
    let shift_names: Vec<String> = scenario.shift_types.iter().map(|s| s.name.clone()).collect();
    let shift_index = index_of(&shift_names);
    let skill_index = index_of(&scenario.skills);
    let mut assignments = Vec::new();
    let mut errors = Vec::new();
    let mut read = 0;
    while read < count {
        let Some((n, l)) = lines.next_line() else {
            errors.push(lines.error(
                count_line,
                format!("ASSIGNMENTS anger {count} rader men bara {read} följer; rätta antalet",),
                format!("ASSIGNMENTS states {count} lines but only {read} follow; correct the count"),
            ));
            break;
        };
        read += 1;
        let t = tokens(l);
        if t.len() != 4 {
            errors.push(lines.field_error(
                n,
                "assignment",
                l,
                "raden ska vara NAMN DAG PASS KOMPETENS",
                "the line must be NAME DAY SHIFT SKILL",
            ));
            continue;
        }
        let nurse = nurse_index.get(t[0].text()).copied();
        let day = DAY_NAMES.iter().position(|d| *d == t[1].text());
        let shift = shift_index.get(t[2].text()).copied();
        let skill = skill_index.get(t[3].text()).copied();
        if nurse.is_none() {
            errors.push(lines.field_error(
                n,
                "nurse",
                t[0].text(),
                "okänd sjuksköterska; namnet måste finnas i scenariot",
                "unknown nurse; the name must be in the scenario",
            ));
        }
        if day.is_none() {
            errors.push(lines.field_error(
                n,
                "day",
                t[1].text(),
                "okänd dag; använd Mon, Tue, Wed, Thu, Fri, Sat eller Sun",
                "unknown day; use Mon, Tue, Wed, Thu, Fri, Sat or Sun",
            ));
        }
        if shift.is_none() {
            errors.push(lines.field_error(
                n,
                "shift",
                t[2].text(),
                format!("okänd passtyp; använd en av {}", shift_names.join(", ")),
                format!("unknown shift type; use one of {}", shift_names.join(", ")),
            ));
        }
        if skill.is_none() {
            errors.push(lines.field_error(
                n,
                "skill",
                t[3].text(),
                format!("okänd kompetens; använd en av {}", scenario.skills.join(", ")),
                format!("unknown skill; use one of {}", scenario.skills.join(", ")),
            ));
        }
        if let (Some(nurse), Some(day), Some(shift), Some(skill)) = (nurse, day, shift, skill) {
            assignments.push(Assignment { nurse, day: week * DAYS_PER_WEEK + day, shift, skill });
        }
    }
    if !errors.is_empty() {
        return Err(InputErrors { errors });
    }
    Ok(SolutionWeek { week, assignments })
}

#[cfg(test)]
mod tests;
