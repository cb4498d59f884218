//! The JSON report and the readable terminal summary of an evaluated schedule.

use std::collections::BTreeMap;

use serde::Serialize;
use turnus_core::{
    Contradiction, CoverLine, EmployeeSummary, Evaluation, Finding, Lang, Problem, Score, WishOutcome, hm_en,
    hm_sv,
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

/// Prints the summary to stdout in `lang`.
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
        r.weeks,
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
        r.score.hard,
        lang.pick("hård", "hard"),
        r.score.soft,
        lang.pick("mjuk", "soft")
    )?;
    if let Some(objective) = r.objective {
        outln!("{} {objective}", lang.pick("Målfunktion (benchmark):", "Objective (benchmark):"))?;
    }
    if let Some(s) = &r.solver {
        outln!(
            "{} {} {}, {} {}, {:.1} s",
            lang.pick("Sökning:", "Search:"),
            s.iterations,
            lang.pick("steg", "steps"),
            s.threads,
            lang.pick("trådar", "threads"),
            s.elapsed_ms as f64 / 1000.0
        )?;
    }

    if let Some(b) = &r.bound {
        match (b.gap, b.gap_percent) {
            (Some(0), _) => outln!(
                "{} {} {}",
                lang.pick("Undre gräns:", "Lower bound:"),
                b.lower_bound,
                lang.pick("(schemat är optimalt)", "(the schedule is optimal)")
            )?,
            (Some(gap), Some(percent)) => outln!(
                "{} {}; {} {gap} ({percent:.1} %)",
                lang.pick("Undre gräns:", "Lower bound:"),
                b.lower_bound,
                lang.pick(
                    "schemat är högst så här långt från bästa möjliga:",
                    "the schedule is at most this far from the best possible:"
                )
            )?,
            _ => outln!("{} {}", lang.pick("Undre gräns:", "Lower bound:"), b.lower_bound)?,
        }
    }

    if !r.score_by_rule.is_empty() {
        outln!()?;
        outln!("{}", lang.pick("Per regel:", "Per rule:"))?;
        for (rule, score) in &r.score_by_rule {
            let id: turnus_core::RuleId = match rule.parse() {
                Ok(id) => id,
                Err(_) => continue,
            };
            outln!(
                "  {rule:<4} {:<34} {:>6} {:>10}",
                lang.pick(id.label_sv(), id.label_en()),
                score.hard,
                score.soft
            )?;
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
            outln!("  … {} {}", hard.len() - 50, lang.pick("till i rapporten", "more in the report"))?;
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
        outln!("{} {}", lang.pick("Bemanningsluckor:", "Cover gaps:"), gaps.len())?;
        for g in gaps.iter().take(40) {
            let skill = g.skill.as_deref().map(|k| format!(" ({k})")).unwrap_or_default();
            let reason = match lang {
                Lang::Sv => g.gap_reason_sv.as_deref(),
                Lang::En => g.gap_reason_en.as_deref(),
            }
            .unwrap_or("");
            outln!("  {} {}{}: {}/{} {reason}", g.date, g.shift, skill, g.count, g.min)?;
        }
        if gaps.len() > 40 {
            outln!("  … {} {}", gaps.len() - 40, lang.pick("till i rapporten", "more in the report"))?;
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
                "{:<10} {:<24} {:>6.1} {:>15} {:>15} {:>5} {:>6}",
                e.id,
                e.name.chars().take(24).collect::<String>(),
                e.employment_percent,
                hm(e.scheduled_minutes),
                hm(e.target_minutes),
                e.weekends_worked,
                e.nights
            )?;
        }
    }
    if !r.wishes.is_empty() {
        let granted = r.wishes.iter().filter(|w| w.granted).count();
        outln!()?;
        outln!(
            "{} {granted} {} {}",
            lang.pick("Önskemål:", "Wishes:"),
            lang.pick("av", "of"),
            r.wishes.len()
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
