//! The summary sheet: hours against target, shifts, weekends, nights and wishes per
//! employee, then the hard and soft score per rule, all taken from the evaluation.

use std::collections::BTreeSet;

use rust_xlsxwriter::Worksheet;
use turnus_core::{Employee, Evaluation, Lang, Problem, RuleId};

use super::Formats;
use crate::ExportError;

/// Writes the summary into `sheet`.
pub(super) fn write(
    sheet: &mut Worksheet,
    problem: &Problem,
    evaluation: &Evaluation,
    employees: &[&Employee],
    f: &Formats,
    lang: Lang,
) -> Result<(), ExportError> {
    let period = problem.unit.period;
    let title = match lang {
        Lang::Sv => {
            format!("{} – sammanfattning {}–{}", problem.unit.name, period.start, period.end_inclusive())
        }
        Lang::En => format!("{} – summary {} to {}", problem.unit.name, period.start, period.end_inclusive()),
    };
    sheet.write_string_with_format(0, 0, title, &f.title)?;

    // Employees.
    let headers = [
        lang.pick("Anst.nr", "Id"),
        lang.pick("Namn", "Name"),
        lang.pick("Syss.grad %", "Employment %"),
        lang.pick("Schemalagda timmar", "Scheduled hours"),
        lang.pick("Måltimmar", "Target hours"),
        lang.pick("Differens (h)", "Difference (h)"),
        lang.pick("Pass", "Shifts"),
        lang.pick("Arbetade helger", "Weekends worked"),
        lang.pick("Nattpass", "Nights"),
        lang.pick("Önskemål beviljade", "Wishes granted"),
        lang.pick("Önskemål ej beviljade", "Wishes refused"),
        lang.pick("Hårda avvikelser", "Hard findings"),
    ];
    for (col, header) in (0..).zip(headers) {
        sheet.write_string_with_format(2, col, header, &f.header)?;
    }
    let mut row = 3;
    for employee in employees {
        let Some(s) = evaluation.employees.iter().find(|s| s.id == employee.id) else {
            continue;
        };
        sheet.write_string_with_format(row, 0, s.id.as_str(), &f.text)?;
        sheet.write_string_with_format(row, 1, s.name.as_str(), &f.text)?;
        sheet.write_number_with_format(row, 2, s.employment_percent, &f.percent)?;
        sheet.write_number_with_format(row, 3, hours(s.scheduled_minutes), &f.hours)?;
        sheet.write_number_with_format(row, 4, hours(s.target_minutes), &f.hours)?;
        sheet.write_number_with_format(row, 5, hours(s.scheduled_minutes - s.target_minutes), &f.hours)?;
        let counts = [
            s.shifts,
            s.weekends_worked,
            s.nights,
            s.wishes_granted,
            s.wishes - s.wishes_granted,
            s.hard_findings,
        ];
        for (col, count) in (6..).zip(counts) {
            sheet.write_number_with_format(row, col, f64::from(count), &f.text)?;
        }
        row += 1;
    }

    // Score per rule: every enabled rule, plus any rule that reported without being enabled.
    row += 1;
    let headers = [
        lang.pick("Regel", "Rule"),
        lang.pick("Benämning", "Label"),
        lang.pick("Typ", "Kind"),
        lang.pick("Hårda poäng", "Hard score"),
        lang.pick("Mjuka poäng", "Soft score"),
        lang.pick("Avvikelser", "Findings"),
    ];
    for (col, header) in (0..).zip(headers) {
        sheet.write_string_with_format(row, col, header, &f.header)?;
    }
    row += 1;
    let rules: BTreeSet<RuleId> =
        problem.rules.enabled.iter().chain(evaluation.by_rule.keys().copied()).collect();
    for rule in rules {
        let score = evaluation.by_rule.get(&rule).copied().unwrap_or_default();
        let findings = evaluation.findings.iter().filter(|x| x.rule == rule).count();
        sheet.write_string_with_format(row, 0, rule.as_str(), &f.text)?;
        sheet.write_string_with_format(row, 1, lang.pick(rule.label_sv(), rule.label_en()), &f.text)?;
        let kind = if rule.is_hard() { lang.pick("hård", "hard") } else { lang.pick("mjuk", "soft") };
        sheet.write_string_with_format(row, 2, kind, &f.text)?;
        write_count(sheet, row, 3, score.hard, f)?;
        write_count(sheet, row, 4, score.soft, f)?;
        write_count(sheet, row, 5, i64::try_from(findings).unwrap_or(i64::MAX), f)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, lang.pick("Totalt", "Total"), &f.header)?;
    sheet.write_blank(row, 1, &f.header)?;
    sheet.write_blank(row, 2, &f.header)?;
    write_count(sheet, row, 3, evaluation.score.hard, f)?;
    write_count(sheet, row, 4, evaluation.score.soft, f)?;
    write_count(sheet, row, 5, i64::try_from(evaluation.findings.len()).unwrap_or(i64::MAX), f)?;
    row += 1;

    // Contradictions between the schedule and the problem, when there are any.
    if !evaluation.contradictions.is_empty() {
        row += 1;
        let label = lang.pick("Motsägelser mot underlaget", "Contradictions of the input");
        sheet.write_string_with_format(row, 0, label, &f.title)?;
        for c in &evaluation.contradictions {
            row += 1;
            sheet.write_string(row, 0, lang.pick(&c.message_sv, &c.message_en))?;
        }
    }

    sheet.set_column_width(0, 10)?;
    sheet.set_column_width(1, 30)?;
    for col in 2..12 {
        sheet.set_column_width(col, 14)?;
    }
    sheet.set_freeze_panes(3, 2)?;
    Ok(())
}

/// Minutes as hours; Excel shows them with two decimals.
fn hours(minutes: i64) -> f64 {
    // Exact for any schedule: minutes stay far below 2^53.
    minutes as f64 / 60.0
}

fn write_count(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    value: i64,
    f: &Formats,
) -> Result<(), ExportError> {
    // Scores stay far below 2^53, so the conversion to an Excel number is exact.
    sheet.write_number_with_format(row, col, value as f64, &f.text)?;
    Ok(())
}
