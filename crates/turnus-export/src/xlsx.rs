//! The XLSX workbook: one sheet per ISO week that the period touches, with employees as rows
//! and Monday to Sunday as columns, cover per shift type at the bottom, then a summary sheet.
//! Weekends and public holidays are shaded, absences and short cover marked.

mod summary;

use std::collections::{BTreeMap, HashMap};

use jiff::civil::{Date, Weekday};
use rust_xlsxwriter::{
    Color, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};
use turnus_core::{Absence, Employee, Evaluation, Lang, Problem, Schedule, holiday_on, is_public_holiday};

use crate::shift_times::shift_times;
use crate::text::{holiday_name, week_label, weekday_short};
use crate::{ExportError, ExportOptions, check_employee};

/// First day column: A is the id, B the name, C the employment degree.
const FIRST_DAY_COL: u16 = 3;

/// Writes the workbook and returns the file's bytes.
///
/// `evaluation` must be the evaluation of `schedule` against `problem`: the cover rows and
/// the summary sheet show its numbers. With `options.employee` set, only that employee's
/// row and summary appear; cover rows still show the whole unit.
///
/// # Errors
///
/// Returns [`ExportError::UnknownEmployee`] for an id the problem lacks,
/// [`ExportError::TimeZone`] for an unknown zone and [`ExportError::Xlsx`] when the writer
/// fails.
pub fn write_xlsx(
    problem: &Problem,
    schedule: &Schedule,
    evaluation: &Evaluation,
    options: &ExportOptions,
) -> Result<Vec<u8>, ExportError> {
    if let Some(id) = &options.employee {
        check_employee(problem, id)?;
    }
    let employees: Vec<&Employee> =
        problem.employees.iter().filter(|e| options.employee.as_ref().is_none_or(|id| *id == e.id)).collect();
    let cells = day_cells(problem, schedule)?;
    let mut staffed: HashMap<(&str, Date), u32> = HashMap::new();
    for a in &schedule.assignments {
        *staffed.entry((a.shift.as_str(), a.date)).or_default() += 1;
    }
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    // The creation time is the export's, not the clock's, so the same options give the same bytes.
    let created = ExcelDateTime::from_timestamp(options.generated_at.as_second())?;
    let properties =
        DocProperties::new().set_title(problem.unit.name.as_str()).set_creation_datetime(&created);
    workbook.set_properties(&properties);

    let weeks = iso_weeks(problem.unit.period.start, problem.unit.period.end_inclusive());
    let names = sheet_names(options.lang, &weeks);
    for (monday, name) in weeks.iter().zip(&names) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name.as_str())?;
        let week = WeekSheet {
            problem,
            evaluation,
            employees: &employees,
            cells: &cells,
            staffed: &staffed,
            formats: &formats,
        };
        week.write(sheet, *monday, options.lang)?;
    }

    let sheet = workbook.add_worksheet();
    sheet.set_name(options.lang.pick("Sammanfattning", "Summary"))?;
    summary::write(sheet, problem, evaluation, &employees, &formats, options.lang)?;

    tracing::debug!(weeks = weeks.len(), employees = employees.len(), "xlsx export written");
    Ok(workbook.save_to_buffer()?)
}

/// Returns the Monday of every ISO week from `first` to `last`.
pub(crate) fn iso_weeks(first: Date, last: Date) -> Vec<Date> {
    let back = i64::from(first.weekday().to_monday_zero_offset());
    let mut monday = first.checked_sub(jiff::Span::new().days(back)).unwrap_or(first);
    let mut mondays = Vec::new();
    while monday <= last {
        mondays.push(monday);
        match monday.checked_add(jiff::Span::new().days(7)) {
            Ok(next) => monday = next,
            Err(_) => break,
        }
    }
    mondays
}

/// Sheet names `v. 12` (or `Week 12`), with the ISO year added to every name when a week
/// number repeats, as it does in periods longer than a year.
pub(crate) fn sheet_names(lang: Lang, mondays: &[Date]) -> Vec<String> {
    let numbers: Vec<i8> = mondays.iter().map(|d| d.iso_week_date().week()).collect();
    let repeats = (1..numbers.len()).any(|i| numbers[..i].contains(&numbers[i]));
    mondays
        .iter()
        .map(|d| {
            let iso = d.iso_week_date();
            let label = week_label(lang, iso.week());
            if repeats { format!("{label} {}", iso.year()) } else { label }
        })
        .collect()
}

/// Contents of one employee's cell on one date: shift texts and an absence kind.
#[derive(Debug, Default)]
struct DayCell {
    shifts: Vec<String>,
    absence: Option<String>,
}

/// Builds the cell text of every (employee, date) with a shift or an absence.
fn day_cells(
    problem: &Problem,
    schedule: &Schedule,
) -> Result<HashMap<(String, Date), DayCell>, ExportError> {
    let tz = problem.time_zone()?;
    let mut cells: HashMap<(String, Date), DayCell> = HashMap::new();
    let mut rows = schedule.assignments.clone();
    rows.sort();
    for a in &rows {
        let Some(shift) = problem.shift_types.iter().find(|s| s.code == a.shift) else {
            tracing::warn!(employee = %a.employee, date = %a.date, shift = %a.shift, "skipping a row with an unknown shift code");
            continue;
        };
        let times = shift_times(&tz, a.date, shift)?;
        let text = format!("{} {}", shift.code, times.clock_range());
        cells.entry((a.employee.clone(), a.date)).or_default().shifts.push(text);
    }

    let period = problem.unit.period;
    for Absence { employee, from, to, kind } in &problem.absences {
        let mut day = (*from).max(period.start);
        while day <= (*to).min(period.end_inclusive()) {
            cells.entry((employee.clone(), day)).or_default().absence = Some(kind.clone());
            let Ok(next) = day.tomorrow() else { break };
            day = next;
        }
    }
    Ok(cells)
}

/// Cell formats; rust_xlsxwriter needs one `Format` per combination of properties.
pub(crate) struct Formats {
    pub title: Format,
    pub header: Format,
    pub header_shaded: Format,
    pub text: Format,
    pub percent: Format,
    pub hours: Format,
    pub day: Format,
    pub day_shaded: Format,
    pub absent: Format,
    pub absent_shaded: Format,
    pub outside: Format,
    pub cover: Format,
    pub cover_shaded: Format,
    pub cover_short: Format,
}

/// Fill of weekends and public holidays.
const SHADE: u32 = 0xD9D9D9;
/// Fill of absences.
const ABSENT: u32 = 0xFFF2CC;
/// Fill of absences on weekends and public holidays.
const ABSENT_SHADED: u32 = 0xE6D9A6;
/// Fill of cover below its minimum.
const SHORT: u32 = 0xF4CCCC;

impl Formats {
    fn new() -> Formats {
        let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::Top);
        let header = cell.clone().set_bold();
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            header_shaded: header.clone().set_background_color(Color::RGB(SHADE)),
            header,
            text: cell.clone(),
            percent: cell.clone().set_num_format("0.0"),
            hours: cell.clone().set_num_format("0.00"),
            day_shaded: cell.clone().set_background_color(Color::RGB(SHADE)),
            absent: cell.clone().set_italic().set_background_color(Color::RGB(ABSENT)),
            absent_shaded: cell.clone().set_italic().set_background_color(Color::RGB(ABSENT_SHADED)),
            outside: cell.clone().set_background_color(Color::RGB(0xA6A6A6)),
            cover: cell.clone().set_align(FormatAlign::Center),
            cover_shaded: cell.clone().set_align(FormatAlign::Center).set_background_color(Color::RGB(SHADE)),
            cover_short: cell
                .clone()
                .set_align(FormatAlign::Center)
                .set_bold()
                .set_font_color(Color::RGB(0x990000))
                .set_background_color(Color::RGB(SHORT)),
            day: cell,
        }
    }
}

/// Tells whether a date is shaded: a Saturday, a Sunday or a public holiday.
fn is_shaded(day: Date) -> bool {
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) || is_public_holiday(day)
}

/// Count and minimum per date, keyed by shift type index and skill.
type CoverRows = BTreeMap<(usize, Option<String>), HashMap<Date, (u32, u32)>>;

/// One week's sheet.
struct WeekSheet<'a> {
    problem: &'a Problem,
    evaluation: &'a Evaluation,
    employees: &'a [&'a Employee],
    cells: &'a HashMap<(String, Date), DayCell>,
    /// Staff on each shift code and date, whole unit.
    staffed: &'a HashMap<(&'a str, Date), u32>,
    formats: &'a Formats,
}

impl WeekSheet<'_> {
    fn write(&self, sheet: &mut Worksheet, monday: Date, lang: Lang) -> Result<(), ExportError> {
        let f = self.formats;
        let period = self.problem.unit.period;
        let days: Vec<Date> =
            (0..7).filter_map(|i| monday.checked_add(jiff::Span::new().days(i)).ok()).collect();
        let sunday = days.last().copied().unwrap_or(monday);

        // Title and header row.
        let iso = monday.iso_week_date();
        let title = match lang {
            Lang::Sv => format!("{} – vecka {}, {monday}–{sunday}", self.problem.unit.name, iso.week()),
            Lang::En => format!("{} – week {}, {monday} to {sunday}", self.problem.unit.name, iso.week()),
        };
        sheet.write_string_with_format(0, 0, title, &f.title)?;
        sheet.write_string_with_format(1, 0, lang.pick("Anst.nr", "Id"), &f.header)?;
        sheet.write_string_with_format(1, 1, lang.pick("Namn", "Name"), &f.header)?;
        sheet.write_string_with_format(1, 2, lang.pick("Syss.grad %", "Employment %"), &f.header)?;
        for (col, day) in (FIRST_DAY_COL..).zip(&days) {
            let mut text = format!("{} {}/{}", weekday_short(lang, day.weekday()), day.day(), day.month());
            if let Some(holiday) = holiday_on(*day) {
                text.push('\n');
                text.push_str(holiday_name(lang, holiday));
            }
            let format = if is_shaded(*day) { &f.header_shaded } else { &f.header };
            sheet.write_string_with_format(1, col, text, format)?;
        }

        // One row per employee.
        let mut row = 2;
        for employee in self.employees {
            sheet.write_string_with_format(row, 0, employee.id.as_str(), &f.text)?;
            sheet.write_string_with_format(row, 1, employee.name.as_str(), &f.text)?;
            let percent = f64::from(employee.employment_basis_points) / 100.0;
            sheet.write_number_with_format(row, 2, percent, &f.percent)?;
            for (col, day) in (FIRST_DAY_COL..).zip(&days) {
                if !period.contains(*day) {
                    sheet.write_blank(row, col, &f.outside)?;
                    continue;
                }
                let shaded = is_shaded(*day);
                match self.cells.get(&(employee.id.clone(), *day)) {
                    Some(cell) => {
                        let mut lines = cell.shifts.clone();
                        lines.extend(cell.absence.clone());
                        let format = match (cell.absence.is_some(), shaded) {
                            (true, false) => &f.absent,
                            (true, true) => &f.absent_shaded,
                            (false, true) => &f.day_shaded,
                            (false, false) => &f.day,
                        };
                        sheet.write_string_with_format(row, col, lines.join("\n"), format)?;
                    }
                    None => {
                        sheet.write_blank(row, col, if shaded { &f.day_shaded } else { &f.day })?;
                    }
                }
            }
            row += 1;
        }

        // Cover: one row per shift type (and skill) with count against minimum.
        row += 1;
        let label = lang.pick("Bemanning (antal/minst)", "Cover (count/minimum)");
        sheet.write_string_with_format(row, 0, label, &f.title)?;
        row += 1;
        for ((shift_index, skill), by_date) in self.cover_rows(&days) {
            let shift = &self.problem.shift_types[shift_index];
            let code = match &skill {
                Some(skill) => format!("{} ({skill})", shift.code),
                None => shift.code.clone(),
            };
            sheet.write_string_with_format(row, 0, code, &f.header)?;
            sheet.write_string_with_format(row, 1, shift.name.as_str(), &f.text)?;
            sheet.write_blank(row, 2, &f.text)?;
            for (col, day) in (FIRST_DAY_COL..).zip(&days) {
                let Some(&(count, min)) = by_date.get(day) else {
                    // Without a demand row there is no minimum, so the shift row shows the
                    // head-count alone.
                    let staffed = self.staffed.get(&(shift.code.as_str(), *day)).copied().unwrap_or(0);
                    if !period.contains(*day) {
                        sheet.write_blank(row, col, &f.outside)?;
                    } else if skill.is_none() && staffed > 0 {
                        let format = if is_shaded(*day) { &f.cover_shaded } else { &f.cover };
                        sheet.write_string_with_format(row, col, staffed.to_string(), format)?;
                    } else {
                        sheet.write_blank(
                            row,
                            col,
                            if is_shaded(*day) { &f.cover_shaded } else { &f.cover },
                        )?;
                    }
                    continue;
                };
                if count < min {
                    let text = format!("{count}/{min} (−{})", min - count);
                    sheet.write_string_with_format(row, col, text, &f.cover_short)?;
                } else {
                    let format = if is_shaded(*day) { &f.cover_shaded } else { &f.cover };
                    sheet.write_string_with_format(row, col, format!("{count}/{min}"), format)?;
                }
            }
            row += 1;
        }

        // Legend, widths and frozen headers.
        row += 1;
        let legend = lang.pick(
            "Grått: helg eller helgdag. Gult: frånvaro. Rött: under minimibemanning.",
            "Grey: weekend or public holiday. Yellow: absence. Red: below minimum cover.",
        );
        sheet.write_string(row, 0, legend)?;
        sheet.set_column_width(0, 10)?;
        sheet.set_column_width(1, 24)?;
        sheet.set_column_width(2, 12)?;
        for col in FIRST_DAY_COL..FIRST_DAY_COL + 7 {
            sheet.set_column_width(col, 17)?;
        }
        sheet.set_freeze_panes(2, FIRST_DAY_COL)?;
        Ok(())
    }

    /// Collects the week's cover lines by shift type (in the problem's order) and skill, each
    /// with count and minimum per date. Every shift type gets a row, with or without demand.
    fn cover_rows(&self, days: &[Date]) -> CoverRows {
        let mut rows: CoverRows =
            (0..self.problem.shift_types.len()).map(|i| ((i, None), HashMap::new())).collect();
        for line in self.evaluation.cover.iter().filter(|l| days.contains(&l.date)) {
            let Some(index) = self.problem.shift_types.iter().position(|s| s.code == line.shift) else {
                continue;
            };
            rows.entry((index, line.skill.clone())).or_default().insert(line.date, (line.count, line.min));
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weeks_of_a_period_across_week_53() {
        let mondays = iso_weeks(date(2026, 12, 21), date(2027, 1, 17));
        assert_eq!(
            mondays,
            vec![date(2026, 12, 21), date(2026, 12, 28), date(2027, 1, 4), date(2027, 1, 11)]
        );
        assert_eq!(sheet_names(Lang::Sv, &mondays), ["v. 52", "v. 53", "v. 1", "v. 2"]);
        assert_eq!(sheet_names(Lang::En, &mondays[..2]), ["Week 52", "Week 53"]);
    }

    #[test]
    fn weeks_of_a_period_starting_midweek() {
        let mondays = iso_weeks(date(2026, 3, 25), date(2026, 4, 7));
        assert_eq!(mondays, vec![date(2026, 3, 23), date(2026, 3, 30), date(2026, 4, 6)]);
    }

    #[test]
    fn repeated_week_numbers_get_the_year() {
        // Week 2 of 2026 to week 2 of 2027: 2026 has 53 weeks, so only week 2 repeats.
        let mondays = iso_weeks(date(2026, 1, 5), date(2027, 1, 17));
        let names = sheet_names(Lang::Sv, &mondays);
        assert_eq!(names.len(), 54);
        assert_eq!(names.first().map(String::as_str), Some("v. 2 2026"));
        assert_eq!(names.last().map(String::as_str), Some("v. 2 2027"));
    }
}
