//! `unit.toml`: the unit's name, time zone, period and rule set with its `[rules]` and
//! `[weights]` overrides. Every error names the key and its line.

use jiff::civil::Date;
use toml::Value;
use toml::de::{DeTable, DeValue};
use turnus_core::{Period, Preset, RuleSet, RuleSetError, Unit};

use super::cells::{parse_date, parse_decimal};
use crate::error::InputError;

const FILE: &str = "unit.toml";

/// Maximum period length accepted: two years, far beyond any schedule period, so that a typo
/// cannot make the compiled problem huge.
const MAX_WEEKS: i64 = 104;

/// Numeric keys of `[rules]`, for the message on an unknown key.
const RULE_KEYS: &str = "daily_rest_hours, weekly_rest_hours, max_average_weekly_hours, \
max_work_without_break_hours, max_consecutive_days, days_off = { min, per }, \
weekends = { max, of }, history_days, full_time_hours, hours_tolerance, \
publish_notice_days, night_work, night_work_max_hours";

/// Settings read from `unit.toml`, with defaults where it could not be read.
pub(crate) struct UnitInfo {
    pub unit: Unit,
    pub rules: RuleSet,
    /// Whether `period_start` and `weeks` were read, so dates can be checked against them.
    pub period_known: bool,
}

impl UnitInfo {
    pub(crate) fn placeholder() -> UnitInfo {
        UnitInfo {
            unit: Unit {
                name: String::new(),
                time_zone: "Europe/Stockholm".into(),
                period: Period { start: Date::constant(2000, 1, 3), weeks: 1 },
            },
            rules: RuleSet::preset(Preset::Ab),
            period_known: false,
        }
    }
}

/// Finds the line of a key path, 1-based, for error messages.
struct Lines<'a> {
    text: &'a str,
    doc: Option<DeTable<'a>>,
}

impl Lines<'_> {
    fn line_of_offset(&self, offset: usize) -> usize {
        self.text.get(..offset).map_or(1, |before| before.matches('\n').count() + 1)
    }

    fn line(&self, path: &[&str]) -> Option<usize> {
        let mut table = self.doc.as_ref()?;
        for (i, key) in path.iter().enumerate() {
            let (k, v) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *key)?;
            if i + 1 == path.len() {
                return Some(self.line_of_offset(k.span().start));
            }
            match v.get_ref() {
                DeValue::Table(inner) => table = inner,
                _ => return None,
            }
        }
        None
    }
}

struct Reader<'a> {
    lines: Lines<'a>,
    errors: &'a mut Vec<InputError>,
}

impl Reader<'_> {
    /// Adds an error at a key.
    fn key_error(
        &mut self,
        path: &[&str],
        value: Option<&Value>,
        sv: impl Into<String>,
        en: impl Into<String>,
    ) {
        let mut error = InputError::file(FILE, sv, en);
        error.line = self.lines.line(path);
        error.column = Some(path.join("."));
        error.value = value.map(value_text);
        self.errors.push(error);
    }
}

/// Formats a TOML value as the user wrote it, for messages.
fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Reads `unit.toml`. Errors are added to `errors`, unknown top-level keys to `warnings`.
pub(crate) fn read_unit(
    text: &str,
    errors: &mut Vec<InputError>,
    warnings: &mut Vec<InputError>,
) -> UnitInfo {
    let mut info = UnitInfo::placeholder();
    let table: toml::Table = match toml::from_str(text) {
        Ok(table) => table,
        Err(e) => {
            let mut error = InputError::file(
                FILE,
                format!("ogiltig TOML: {}; rätta raden enligt exemplet i formatbeskrivningen", e.message()),
                format!("invalid TOML: {}; fix the line as in the format's example", e.message()),
            );
            let lines = Lines { text, doc: None };
            error.line = e.span().map(|span| lines.line_of_offset(span.start));
            errors.push(error);
            return info;
        }
    };
    let lines = Lines { text, doc: DeTable::parse(text).ok().map(|doc| doc.into_inner()) };
    let mut reader = Reader { lines, errors };

    // Name and time zone.
    match table.get("name") {
        Some(Value::String(name)) if !name.trim().is_empty() => info.unit.name = name.trim().to_string(),
        Some(other) => reader.key_error(
            &["name"],
            Some(other),
            "namnet ska vara en text som inte är tom, t.ex. name = \"Björkens äldreboende\"",
            "the name must be a non-empty string, e.g. name = \"Björkens äldreboende\"",
        ),
        None => reader.key_error(
            &["name"],
            None,
            "nyckeln name saknas; lägg till t.ex. name = \"Björkens äldreboende\"",
            "missing key name; add e.g. name = \"Björkens äldreboende\"",
        ),
    }
    match table.get("time_zone") {
        None => {}
        Some(Value::String(zone)) if jiff::tz::TimeZone::get(zone.trim()).is_ok() => {
            info.unit.time_zone = zone.trim().to_string();
        }
        Some(other) => reader.key_error(
            &["time_zone"],
            Some(other),
            "okänd tidszon; skriv ett IANA-namn, t.ex. time_zone = \"Europe/Stockholm\"",
            "unknown time zone; write an IANA name, e.g. time_zone = \"Europe/Stockholm\"",
        ),
    }

    // The period.
    let start = match table.get("period_start") {
        Some(value @ (Value::String(_) | Value::Datetime(_))) => match parse_date(&value_text(value)) {
            Ok(date) => Some(date),
            Err(msg) => {
                reader.key_error(&["period_start"], Some(value), msg.sv, msg.en);
                None
            }
        },
        Some(other) => {
            reader.key_error(
                &["period_start"],
                Some(other),
                "periodens startdatum ska skrivas ÅÅÅÅ-MM-DD, t.ex. period_start = \"2026-03-23\"",
                "the period start must be written YYYY-MM-DD, e.g. period_start = \"2026-03-23\"",
            );
            None
        }
        None => {
            reader.key_error(
                &["period_start"],
                None,
                "nyckeln period_start saknas; lägg till t.ex. period_start = \"2026-03-23\"",
                "missing key period_start; add e.g. period_start = \"2026-03-23\"",
            );
            None
        }
    };
    let weeks = match table.get("weeks") {
        Some(Value::Integer(weeks)) if (1..=MAX_WEEKS).contains(weeks) => u32::try_from(*weeks).ok(),
        Some(other) => {
            reader.key_error(
                &["weeks"],
                Some(other),
                format!("antalet veckor ska vara ett heltal från 1 till {MAX_WEEKS}, t.ex. weeks = 6"),
                format!("the number of weeks must be a whole number from 1 to {MAX_WEEKS}, e.g. weeks = 6"),
            );
            None
        }
        None => {
            reader.key_error(
                &["weeks"],
                None,
                "nyckeln weeks saknas; lägg till t.ex. weeks = 6",
                "missing key weeks; add e.g. weeks = 6",
            );
            None
        }
    };
    if let (Some(start), Some(weeks)) = (start, weeks) {
        info.unit.period = Period { start, weeks };
        info.period_known = true;
    }

    // The rule set: preset first, then the overrides on top of it.
    match table.get("preset") {
        None => {}
        Some(value) => match value.as_str().map(str::parse::<Preset>) {
            Some(Ok(preset)) => info.rules = RuleSet::preset(preset),
            _ => reader.key_error(
                &["preset"],
                Some(value),
                "okänd regeluppsättning; skriv ab, atl eller benchmark",
                "unknown rule preset; write ab, atl or benchmark",
            ),
        },
    }
    match table.get("rules") {
        None => {}
        Some(Value::Table(rules)) => read_rules(&mut reader, rules, &mut info.rules),
        Some(other) => reader.key_error(
            &["rules"],
            Some(other),
            "rules ska vara en tabell: [rules]",
            "rules must be a table: [rules]",
        ),
    }
    match table.get("weights") {
        None => {}
        Some(Value::Table(weights)) => read_weights(&mut reader, weights, &mut info.rules),
        Some(other) => reader.key_error(
            &["weights"],
            Some(other),
            "weights ska vara en tabell: [weights]",
            "weights must be a table: [weights]",
        ),
    }

    for key in table.keys() {
        if !["name", "time_zone", "period_start", "weeks", "preset", "rules", "weights"]
            .contains(&key.as_str())
        {
            let mut warning = InputError::file(
                FILE,
                "okänd nyckel ignoreras; kända nycklar: name, time_zone, period_start, weeks, preset, [rules], [weights]",
                "unknown key ignored; known keys: name, time_zone, period_start, weeks, preset, [rules], [weights]",
            );
            warning.line = reader.lines.line(&[key]);
            warning.column = Some(key.clone());
            warnings.push(warning);
        }
    }
    info
}

/// Applies `[rules]`: numbers by name, the two pairs, and the night-work mode last so that
/// `night_work_max_hours` cannot switch a mode of `off` back on.
fn read_rules(reader: &mut Reader<'_>, rules: &toml::Table, set: &mut RuleSet) {
    for (key, value) in rules {
        let path = ["rules", key.as_str()];
        match key.as_str() {
            "night_work" => {}
            "days_off" => read_pair(reader, &path, value, ("min", "per"), set),
            "weekends" => read_pair(reader, &path, value, ("max", "of"), set),
            _ => {
                let number = match value {
                    Value::Integer(i) => Some(*i as f64),
                    Value::Float(f) => Some(*f),
                    Value::String(s) => parse_decimal(s).ok(),
                    _ => None,
                };
                let Some(number) = number else {
                    if !is_rule_key(key) {
                        unknown_rule_key(reader, &path, value);
                    } else {
                        reader.key_error(
                            &path,
                            Some(value),
                            "värdet ska vara ett tal, t.ex. 11",
                            "the value must be a number, e.g. 11",
                        );
                    }
                    continue;
                };
                if let Err(e) = set.set_number(key, number) {
                    rule_set_error(reader, &path, value, e);
                }
            }
        }
    }
    if let Some(value) = rules.get("night_work") {
        let path = ["rules", "night_work"];
        match value.as_str().map(|mode| set.set_night_work(mode.trim())) {
            Some(Ok(())) => {}
            _ => reader.key_error(
                &path,
                Some(value),
                "nattarbete ska vara \"off\", \"average\" eller \"hard\"",
                "night work must be \"off\", \"average\" or \"hard\"",
            ),
        }
    }
}

fn is_rule_key(key: &str) -> bool {
    RULE_KEYS.split(", ").any(|k| k.split(' ').next() == Some(key))
}

fn unknown_rule_key(reader: &mut Reader<'_>, path: &[&str], value: &Value) {
    reader.key_error(
        path,
        Some(value),
        format!("okänd nyckel i [rules]; kända nycklar: {RULE_KEYS}"),
        format!("unknown key in [rules]; known keys: {RULE_KEYS}"),
    );
}

fn rule_set_error(reader: &mut Reader<'_>, path: &[&str], value: &Value, error: RuleSetError) {
    match error {
        RuleSetError::UnknownParameter(_) => unknown_rule_key(reader, path, value),
        RuleSetError::InvalidValue { expected, .. } => reader.key_error(
            path,
            Some(value),
            format!("ogiltigt värde; förväntat {}", expected_sv(expected)),
            format!("invalid value; expected {expected}"),
        ),
        other => reader.key_error(
            path,
            Some(value),
            format!("ogiltigt värde: {other}"),
            format!("invalid value: {other}"),
        ),
    }
}

/// Swedish for the `expected` texts of [`RuleSetError::InvalidValue`].
fn expected_sv(expected: &str) -> &str {
    match expected {
        "a number of hours from 0 up" => "ett antal timmar från 0 och uppåt",
        "a whole number from 0 up" => "ett heltal från 0 och uppåt",
        "hours per week" => "timmar per vecka",
        "a period of at least 1" => "en period på minst 1",
        "off, average or hard" => "off, average eller hard",
        "a weight of 0 or more" => "en vikt från 0 och uppåt",
        other => other,
    }
}

/// Reads `{ min, per }` or `{ max, of }` as two whole numbers.
fn read_pair(reader: &mut Reader<'_>, path: &[&str], value: &Value, names: (&str, &str), set: &mut RuleSet) {
    let example = format!("{} = {{ {} = 1, {} = 2 }}", path[1], names.0, names.1);
    let Value::Table(pair) = value else {
        reader.key_error(
            path,
            Some(value),
            format!("värdet ska vara en tabell med två heltal, t.ex. {example}"),
            format!("the value must be a table of two whole numbers, e.g. {example}"),
        );
        return;
    };
    let whole = |key: &str| match pair.get(key) {
        Some(Value::Integer(i)) => u32::try_from(*i).ok(),
        _ => None,
    };
    let unknown: Vec<&String> =
        pair.keys().filter(|k| k.as_str() != names.0 && k.as_str() != names.1).collect();
    match (whole(names.0), whole(names.1)) {
        (Some(first), Some(second)) if unknown.is_empty() => {
            if let Err(e) = set.set_pair(path[1], first, second) {
                rule_set_error(reader, path, value, e);
            }
        }
        _ => reader.key_error(
            path,
            Some(value),
            format!("värdet ska ha exakt nycklarna {} och {} med heltal, t.ex. {example}", names.0, names.1),
            format!(
                "the value must have exactly the keys {} and {} with whole numbers, e.g. {example}",
                names.0, names.1
            ),
        ),
    }
}

/// Applies `[weights]`: a whole number of 0 or more per soft-goal id.
fn read_weights(reader: &mut Reader<'_>, weights: &toml::Table, set: &mut RuleSet) {
    for (key, value) in weights {
        let path = ["weights", key.as_str()];
        let Value::Integer(weight) = value else {
            reader.key_error(
                &path,
                Some(value),
                "vikten ska vara ett heltal från 0 och uppåt, t.ex. S1 = 1000",
                "the weight must be a whole number from 0 up, e.g. S1 = 1000",
            );
            continue;
        };
        match set.set_weight(key, *weight) {
            Ok(()) => {}
            Err(RuleSetError::UnknownRule(_)) => reader.key_error(
                &path,
                Some(value),
                "okänd nyckel i [weights]; skriv ett mjukt måls id: S1–S10, S12 eller S2_over",
                "unknown key in [weights]; write a soft goal's id: S1 to S10, S12 or S2_over",
            ),
            Err(e) => rule_set_error(reader, &path, value, e),
        }
    }
}

/// Reads a `unit.toml` text for tests and callers outside the bundle.
#[cfg(test)]
pub(crate) fn read_unit_text(text: &str) -> (UnitInfo, Vec<InputError>) {
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let info = read_unit(text, &mut errors, &mut warnings);
    (info, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_and_weights_override_the_preset() {
        let text = "name = \"A\"\nperiod_start = 2026-03-23\nweeks = 4\npreset = \"ab\"\n[rules]\n\
                    daily_rest_hours = 9\nweekends = { max = 2, of = 3 }\nnight_work = \"hard\"\n\
                    night_work_max_hours = 8\n[weights]\nS1 = 500\n";
        let (info, errors) = read_unit_text(text);
        assert_eq!(errors, vec![]);
        assert_eq!(info.rules.params.daily_rest_minutes, 540);
        assert_eq!((info.rules.params.weekends_max, info.rules.params.weekends_of), (2, 3));
        assert_eq!(info.rules.params.night_work, turnus_core::NightWork::Hard { max_minutes: 480 });
        assert_eq!(info.rules.weights.min_cover, 500);
        assert_eq!(info.unit.period.start, Date::constant(2026, 3, 23));
    }

    #[test]
    fn wrong_types_name_the_key_and_line() {
        let text = "name = \"A\"\nperiod_start = \"2026-03-23\"\nweeks = \"six\"\n[rules]\ndays_off = 9\n";
        let (_, errors) = read_unit_text(text);
        let weeks = errors.iter().find(|e| e.column.as_deref() == Some("weeks")).expect("weeks error");
        assert_eq!(weeks.line, Some(3));
        assert_eq!(weeks.value.as_deref(), Some("six"));
        let days_off =
            errors.iter().find(|e| e.column.as_deref() == Some("rules.days_off")).expect("days_off error");
        assert_eq!(days_off.line, Some(5));
    }
}
