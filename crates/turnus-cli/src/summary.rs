//! The JSON report and the readable terminal summary of an evaluated schedule.

use std::collections::BTreeMap;

use serde::Serialize;
use turnus_core::{
    Contradiction, CoverLine, EmployeeSummary, Evaluation, Finding, Lang, Problem, RuleId, Score,
    WishOutcome, hm_en, hm_sv,
};

/// How the solver ran.
#[derive(Debug, Clone, Serialize)]
pub struct SolverInfo {
    pub threads: usize,
    pub seed: u64,
    pub iterations: u64,
    pub elapsed_ms: u64,
    pub first_feasible_ms: Option<u64>,
    /// When the best score first came within 1 % of the final one.
    pub within_one_percent_ms: Option<u64>,
}

/// The JSON report of `solve --report` and `check --report`.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub unit: String,
    pub period_start: String,
    pub period_end: String,
    pub weeks: u32,
    pub legal: bool,
    pub score: Score,
    /// For benchmark instances, the objective of the instance format (the soft score).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective: Option<i64>,
    pub score_by_rule: BTreeMap<String, Score>,
    pub findings: Vec<Finding>,
    pub contradictions: Vec<Contradiction>,
    pub employees: Vec<EmployeeSummary>,
    pub cover: Vec<CoverLine>,
    pub wishes: Vec<WishOutcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solver: Option<SolverInfo>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<BoundInfo>,
}

/// The lower bound of `solve --bound` and how far the schedule can be from the best possible.
#[derive(Debug, Clone, Serialize)]
pub struct BoundInfo {
    /// No schedule without hard violations has a lower soft score.
    pub lower_bound: i64,
    /// The schedule's soft score minus the bound; absent when the schedule breaks a hard rule.
    pub gap: Option<i64>,
    /// The gap as a share of the schedule's soft score, in percent.
    pub gap_percent: Option<f64>,
    pub iterations: usize,
    pub elapsed_ms: u64,
}

impl BoundInfo {
    pub fn new(bound: &turnus_solver::Bound, score: Score) -> BoundInfo {
        let gap = (score.hard == 0).then(|| (score.soft - bound.value).max(0));
        BoundInfo {
            lower_bound: bound.value,
            gap,
            gap_percent: gap.map(|g| if score.soft > 0 { 100.0 * g as f64 / score.soft as f64 } else { 0.0 }),
            iterations: bound.iterations,
            elapsed_ms: bound.elapsed.as_millis() as u64,
        }
    }
}

impl Report {
    pub fn new(problem: &Problem, e: &Evaluation, benchmark: bool, solver: Option<SolverInfo>) -> Report {
        let period = problem.unit.period;
        Report {
            unit: problem.unit.name.clone(),
            period_start: period.start.to_string(),
            period_end: period.end_inclusive().to_string(),
            weeks: period.weeks,
            legal: e.is_legal(),
            score: e.score,
            objective: benchmark.then_some(e.score.soft),
            score_by_rule: e.by_rule.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            findings: e.findings.clone(),
            contradictions: e.contradictions.clone(),
            employees: e.employees.clone(),
            cover: e.cover.clone(),
            wishes: e.wishes.clone(),
            solver,
            bound: None,
        }
    }
}

/// Prints the summary to stdout in `lang`, numbers written as readers of `lang` write them
/// ([`Lang::int`], [`Lang::decimal`]).
pub fn print_summary(r: &Report, lang: Lang) -> std::io::Result<()> {
    let hm = |m: i64| match lang {
        Lang::Sv => hm_sv(m),
        Lang::En => hm_en(m),
    };
    outln!(
        "{} — {} {} – {} ({} {})",
        r.unit,
        lang.pick("period", "period"),
        r.period_start,
        r.period_end,
        lang.int(r.weeks),
        lang.pick("veckor", "weeks")
    )?;
    let hard_count = r.findings.iter().filter(|f| f.hard).count();
    if r.legal {
        outln!(
            "{}",
            lang.pick(
                "Resultat: lagligt schema, inga hårda regelbrott.",
                "Result: legal schedule, no hard rule broken."
            )
        )?;
    } else {
        let contradictions = r.contradictions.len();
        outln!(
            "{} {hard_count} {}, {contradictions} {}.",
            lang.pick("Resultat: schemat bryter mot reglerna:", "Result: the schedule breaks the rules:"),
            match (lang, hard_count) {
                (Lang::Sv, 1) => "hårt regelbrott",
                (Lang::Sv, _) => "hårda regelbrott",
                (Lang::En, 1) => "hard violation",
                (Lang::En, _) => "hard violations",
            },
            match (lang, contradictions) {
                (Lang::Sv, 1) => "motsägelse mot indata",
                (Lang::Sv, _) => "motsägelser mot indata",
                (Lang::En, 1) => "contradiction of the input",
                (Lang::En, _) => "contradictions of the input",
            },
        )?;
    }
    outln!(
        "{} {} {}, {} {}",
        lang.pick("Poäng:", "Score:"),
        lang.int(r.score.hard),
        lang.pick("hård", "hard"),
        lang.int(r.score.soft),
        lang.pick("mjuk", "soft")
    )?;
    if let Some(objective) = r.objective {
        outln!(
            "{} {}",
            lang.pick("Målfunktion (benchmark):", "Objective (benchmark):"),
            lang.int(objective)
        )?;
    }
    if let Some(s) = &r.solver {
        outln!(
            "{} {} {}, {} {}, {} s",
            lang.pick("Sökning:", "Search:"),
            lang.int(s.iterations),
            lang.pick("steg", "steps"),
            lang.int(s.threads),
            lang.pick("trådar", "threads"),
            lang.decimal(s.elapsed_ms as f64 / 1000.0, 1)
        )?;
    }

    if let Some(b) = &r.bound {
        match (b.gap, b.gap_percent) {
            (Some(0), _) => outln!(
                "{} {} {}",
                lang.pick("Undre gräns:", "Lower bound:"),
                lang.int(b.lower_bound),
                lang.pick("(schemat är optimalt)", "(the schedule is optimal)")
            )?,
            (Some(gap), Some(percent)) => outln!(
                "{} {}; {} {} ({} %)",
                lang.pick("Undre gräns:", "Lower bound:"),
                lang.int(b.lower_bound),
                lang.pick(
                    "schemat är högst så här långt från bästa möjliga:",
                    "the schedule is at most this far from the best possible:"
                ),
                lang.int(gap),
                lang.decimal(percent, 1)
            )?,
            _ => outln!("{} {}", lang.pick("Undre gräns:", "Lower bound:"), lang.int(b.lower_bound))?,
        }
    }

    if !r.score_by_rule.is_empty() {
        outln!()?;
        outln!("{}", lang.pick("Per regel:", "Per rule:"))?;
        for line in rule_table(&r.score_by_rule, lang) {
            outln!("{line}")?;
        }
    }

    for c in &r.contradictions {
        outln!("  ! {}", lang.pick(&c.message_sv, &c.message_en))?;
    }
    let hard: Vec<&Finding> = r.findings.iter().filter(|f| f.hard).collect();
    if !hard.is_empty() {
        outln!()?;
        outln!("{}", lang.pick("Hårda regelbrott:", "Hard violations:"))?;
        for f in hard.iter().take(50) {
            outln!("  [{}] {}", f.rule, f.message(lang))?;
        }
        if hard.len() > 50 {
            outln!(
                "  … {} {}",
                lang.int(hard.len() - 50),
                lang.pick("till i rapporten", "more in the report")
            )?;
        }
    }

    let gaps: Vec<&CoverLine> = r.cover.iter().filter(|c| c.count < c.min).collect();
    outln!()?;
    if gaps.is_empty() {
        outln!(
            "{}",
            lang.pick(
                "Bemanning: minimibemanningen är uppfylld på alla pass.",
                "Cover: the minimum is met on every shift."
            )
        )?;
    } else {
        outln!("{} {}", lang.pick("Bemanningsluckor:", "Cover gaps:"), lang.int(gaps.len()))?;
        for g in gaps.iter().take(40) {
            let skill = g.skill.as_deref().map(|k| format!(" ({k})")).unwrap_or_default();
            let reason = match lang {
                Lang::Sv => g.gap_reason_sv.as_deref(),
                Lang::En => g.gap_reason_en.as_deref(),
            }
            .unwrap_or("");
            outln!("  {} {}{}: {}/{} {reason}", g.date, g.shift, skill, lang.int(g.count), lang.int(g.min))?;
        }
        if gaps.len() > 40 {
            outln!(
                "  … {} {}",
                lang.int(gaps.len() - 40),
                lang.pick("till i rapporten", "more in the report")
            )?;
        }
    }

    if !r.employees.is_empty() && r.objective.is_none() {
        outln!()?;
        outln!(
            "{:<10} {:<24} {:>6} {:>15} {:>15} {:>5} {:>6}",
            lang.pick("Id", "Id"),
            lang.pick("Namn", "Name"),
            "%",
            lang.pick("Schemalagt", "Scheduled"),
            lang.pick("Mål", "Target"),
            lang.pick("Helg", "Wknd"),
            lang.pick("Natt", "Night")
        )?;
        for e in &r.employees {
            outln!(
                "{:<10} {:<24} {:>6} {:>15} {:>15} {:>5} {:>6}",
                e.id,
                e.name.chars().take(24).collect::<String>(),
                lang.decimal(e.employment_percent, 1),
                hm(e.scheduled_minutes),
                hm(e.target_minutes),
                lang.int(e.weekends_worked),
                lang.int(e.nights)
            )?;
        }
    }
    if !r.wishes.is_empty() {
        let granted = r.wishes.iter().filter(|w| w.granted).count();
        outln!()?;
        outln!(
            "{} {} {} {}",
            lang.pick("Önskemål:", "Wishes:"),
            lang.int(granted),
            lang.pick("av", "of"),
            lang.int(r.wishes.len())
        )?;
        if r.objective.is_none() {
            for w in r.wishes.iter().filter(|w| !w.granted).take(30) {
                let reason = match lang {
                    Lang::Sv => w.reason_sv.as_deref(),
                    Lang::En => w.reason_en.as_deref(),
                }
                .unwrap_or("");
                // The report keeps the bundle's English kinds; the summary words them.
                let kind = match (lang, w.kind.as_str()) {
                    (Lang::Sv, "work") => "arbeta",
                    (Lang::Sv, "off") => "ledig",
                    (Lang::Sv, "avoid") => "undvik",
                    (_, kind) => kind,
                };
                let wish = match w.shift.as_deref() {
                    Some(shift) => format!("{kind} {shift}"),
                    None => kind.to_string(),
                };
                outln!("  {} {} {wish}: {reason}", w.employee, w.date)?;
            }
        }
    }
    Ok(())
}

/// Formats the penalty per rule under column headers, rules in catalog order: hard rules
/// first, then soft goals, then benchmark rules, each by number (S2 before S10).
fn rule_table(score_by_rule: &BTreeMap<String, Score>, lang: Lang) -> Vec<String> {
    // The report's keys are rule ids written by `Report::new`. A key that does not parse
    // comes from another version's report, and it has no label to show.
    let mut rules: Vec<(RuleId, Score)> =
        score_by_rule.iter().filter_map(|(rule, score)| Some((rule.parse().ok()?, *score))).collect();
    rules.sort_by_key(|(id, _)| *id);
    let line = |id: &str, label: &str, hard: &str, soft: &str| {
        format!("  {id:<4} {label:<34} {hard:>10} {soft:>12}")
    };
    let mut lines = vec![line(
        lang.pick("Id", "Id"),
        lang.pick("Regel", "Rule"),
        lang.pick("Hård", "Hard"),
        lang.pick("Mjuk", "Soft"),
    )];
    for (id, score) in rules {
        lines.push(line(
            id.as_str(),
            lang.pick(id.label_sv(), id.label_en()),
            &lang.int(score.hard),
            &lang.int(score.soft),
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores() -> BTreeMap<String, Score> {
        [("S10", 0, 12345), ("S2", 0, 40), ("H4", 2, 0), ("S1", 0, 7)]
            .into_iter()
            .map(|(id, hard, soft)| (id.to_string(), Score { hard, soft }))
            .collect()
    }

    #[test]
    fn rule_table_sorts_ids_by_number() {
        let lines = rule_table(&scores(), Lang::En);
        let ids: Vec<&str> = lines[1..].iter().filter_map(|l| l.split_whitespace().next()).collect();
        assert_eq!(ids, ["H4", "S1", "S2", "S10"]);
    }

    #[test]
    fn rule_table_headers_per_language() {
        let sv = rule_table(&scores(), Lang::Sv);
        assert_eq!(sv[0].split_whitespace().collect::<Vec<_>>(), ["Id", "Regel", "Hård", "Mjuk"]);
        let en = rule_table(&scores(), Lang::En);
        assert_eq!(en[0].split_whitespace().collect::<Vec<_>>(), ["Id", "Rule", "Hard", "Soft"]);
    }

    #[test]
    fn rule_table_numbers_per_language() {
        let sv = rule_table(&scores(), Lang::Sv);
        assert!(sv[4].ends_with(" 12\u{202f}345"), "{}", sv[4]);
        let en = rule_table(&scores(), Lang::En);
        assert!(en[4].ends_with(" 12,345"), "{}", en[4]);
    }
}
