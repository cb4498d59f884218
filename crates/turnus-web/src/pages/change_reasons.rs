//! Reasons for the changed cells of a version comparison: the rule findings on the cell
//! that one version has and the other lacks, and how the cover of the cell's shifts on
//! that date differs. The lists compare the two evaluations; they do not claim that this
//! one cell caused the difference, since other cells may have changed too.

use jiff::civil::Date;
use turnus_core::{CoverLine, Evaluation, Finding, RuleId};

use super::schedule_view::finding_text;
use crate::i18n::Texts;

/// The identity of a finding in both evaluations. A finding whose measured value changed
/// counts as one that went and one that came, so its new size shows.
type FindingKey<'a> = (RuleId, Option<&'a str>, Option<&'a str>, Option<Date>, Option<Date>, Option<i64>);

fn key(finding: &Finding) -> FindingKey<'_> {
    (
        finding.rule,
        finding.employee.as_deref(),
        finding.shift.as_deref(),
        finding.from,
        finding.to,
        finding.measured,
    )
}

/// Returns whether `finding` concerns `employee` on `date`. A finding of another employee
/// does not. A cover finding (no employee) concerns every cell on its dates. An employee's
/// finding over the whole period (no dates, such as total hours) concerns all their cells.
fn touches(finding: &Finding, employee: &str, date: Date) -> bool {
    if finding.employee.as_deref().is_some_and(|e| e != employee) {
        return false;
    }
    match (finding.from, finding.to) {
        (Some(from), to) => from <= date && date <= to.unwrap_or(from),
        (None, _) => finding.employee.is_some(),
    }
}

/// Returns the cover rows of `date` for the shifts `codes`.
fn cover_rows<'a>(evaluation: &'a Evaluation, date: Date, codes: &[&str]) -> Vec<&'a CoverLine> {
    evaluation.cover.iter().filter(|line| line.date == date && codes.contains(&line.shift.as_str())).collect()
}

/// Returns the findings of `evaluation` on the cell of `employee` on `date`.
fn on_cell<'a>(evaluation: &'a Evaluation, employee: &str, date: Date) -> Vec<&'a Finding> {
    evaluation.findings.iter().filter(|f| touches(f, employee, date)).collect()
}

/// Lists the reasons for a changed cell of `employee` on `date`. `codes` are its shift
/// codes in the left and right versions, empty for a day off. The reasons are the findings
/// new in the right version, the findings it no longer has, and the cover rows of those
/// shifts on that date whose head-count differs.
pub fn change_reasons(
    t: &Texts,
    before: &Evaluation,
    after: &Evaluation,
    employee: &str,
    date: Date,
    codes: [&str; 2],
) -> Vec<String> {
    let old = on_cell(before, employee, date);
    let new = on_cell(after, employee, date);
    let mut reasons = Vec::new();
    for finding in &new {
        if !old.iter().any(|o| key(o) == key(finding)) {
            reasons.push(t.f1("compare_reasons.new", finding_text(t, finding)));
        }
    }
    for finding in &old {
        if !new.iter().any(|n| key(n) == key(finding)) {
            reasons.push(t.f1("compare_reasons.resolved", finding_text(t, finding)));
        }
    }

    let codes: Vec<&str> = codes.into_iter().filter(|c| !c.is_empty()).collect();
    let after_rows = cover_rows(after, date, &codes);
    for row in cover_rows(before, date, &codes) {
        let Some(other) = after_rows.iter().find(|r| r.shift == row.shift && r.skill == row.skill) else {
            continue;
        };
        if other.count != row.count {
            let name = match &row.skill {
                Some(skill) => format!("{} {skill}", row.shift),
                None => row.shift.clone(),
            };
            reasons.push(t.f3(
                "compare_reasons.cover",
                name,
                format!("{} → {}", row.count, other.count),
                row.min,
            ));
        }
    }

    if reasons.is_empty() {
        reasons.push(t.t("compare_reasons.none").to_string());
    }
    reasons
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;
    use turnus_core::{Lang, Score};

    use super::*;

    fn finding(rule: RuleId, employee: Option<&str>, day: i8, measured: i64) -> Finding {
        let mut f = Finding::new(rule, rule.is_hard(), 10, format!("fynd {rule}"), format!("finding {rule}"));
        f.employee = employee.map(str::to_string);
        f.from = Some(date(2027, 3, day));
        f.to = Some(date(2027, 3, day));
        f.measured = Some(measured);
        f
    }

    fn cover(shift: &str, count: u32) -> CoverLine {
        CoverLine {
            date: date(2027, 3, 15),
            shift: shift.into(),
            skill: None,
            min: 5,
            ideal: 6,
            count,
            gap_reason_sv: None,
            gap_reason_en: None,
        }
    }

    fn evaluation(findings: Vec<Finding>, cover: Vec<CoverLine>) -> Evaluation {
        Evaluation {
            score: Score::default(),
            by_rule: Default::default(),
            findings,
            contradictions: Vec::new(),
            employees: Vec::new(),
            cover,
            wishes: Vec::new(),
        }
    }

    #[test]
    fn reasons_list_new_resolved_and_cover() {
        let t = Texts::new(Lang::En);
        let before = evaluation(
            vec![
                finding(RuleId::H4, Some("1001"), 15, 600),
                finding(RuleId::H4, Some("1002"), 15, 600),
                finding(RuleId::H4, Some("1001"), 20, 600),
            ],
            vec![cover("D", 4), cover("N", 2), cover("K", 3)],
        );
        let after = evaluation(
            vec![finding(RuleId::S4, Some("1001"), 15, 1), finding(RuleId::H4, Some("1001"), 20, 600)],
            vec![cover("D", 5), cover("N", 2), cover("K", 2)],
        );
        let reasons = change_reasons(&t, &before, &after, "1001", date(2027, 3, 15), ["", "D"]);
        assert_eq!(reasons.len(), 3, "{reasons:#?}");
        assert!(reasons[0].starts_with("New: S4"), "{reasons:#?}");
        assert!(reasons[1].starts_with("Gone: H4"), "{reasons:#?}");
        assert_eq!(reasons[2], "Cover D: 4 → 5 (minimum 5)");
    }

    #[test]
    fn reasons_say_when_nothing_differs() {
        let t = Texts::new(Lang::Sv);
        let same = evaluation(vec![finding(RuleId::H4, Some("1002"), 15, 600)], vec![cover("D", 5)]);
        let reasons = change_reasons(&t, &same, &same, "1001", date(2027, 3, 15), ["D", "K"]);
        assert_eq!(reasons, vec![t.t("compare_reasons.none").to_string()]);
    }
}
