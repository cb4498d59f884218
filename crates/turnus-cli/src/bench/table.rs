//! The results table of `turnus bench`: one row per instance, aggregated over its seeds, with
//! Markdown rows for people, CSV for scripts and the summary lines per instance group.
//!
//! Runs are ranked as the solver ranks schedules: hard penalty first, then the soft score.
//! The median run is the middle one of that order. With an even number of runs it is the
//! worse of the two middle ones, so the median never flatters the solver.

use turnus_core::{Lang, Score};

use super::instances::{InrcValues, Reference};

/// One finished run: a schedule that was written and checked again.
#[derive(Debug, Clone)]
pub struct Run {
    pub seed: u64,
    /// The evaluator's score; for a Curtois instance `soft` is the instance's objective.
    pub score: Score,
    /// No hard violation and no contradiction of the input.
    pub legal: bool,
    pub hard_violations: usize,
    pub first_feasible_ms: Option<u64>,
    pub within_one_percent_ms: Option<u64>,
    pub peak_kib: Option<u64>,
}

/// The table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A Curtois & Qu instance, with reference values when its number is known.
    Curtois(Option<Reference>),
    /// An INRC-II instance, with its reference values when it is one of `benchmarks/inrc2.toml`.
    Inrc(Option<InrcValues>),
    /// A bundle folder or a JSON problem.
    Bundle,
}

impl Kind {
    /// Returns the table a row goes to, in the order the tables are printed.
    pub fn table(self) -> u8 {
        match self {
            Kind::Curtois(_) => 0,
            Kind::Inrc(_) => 1,
            Kind::Bundle => 2,
        }
    }
}

/// The runs of one instance.
#[derive(Debug, Clone)]
pub struct Row {
    pub label: String,
    pub kind: Kind,
    /// Seeds planned, failed runs included.
    pub planned: usize,
    pub runs: Vec<Run>,
}

/// Returns the element at the median position of sorted values: the middle one, or the upper
/// of the two middle ones for an even count.
fn upper_median<T: Copy>(sorted: &[T]) -> Option<T> {
    sorted.get(sorted.len() / 2).copied()
}

/// Computes the median of a time over runs, where `None` (never reached) ranks after every time.
fn median_time(times: impl Iterator<Item = Option<u64>>) -> Option<u64> {
    let mut times: Vec<Option<u64>> = times.collect();
    times.sort_by_key(|t| t.unwrap_or(u64::MAX));
    upper_median(&times).flatten()
}

/// Computes the plain median of numbers, the mean of the two middle ones for an even count.
fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

impl Row {
    fn ranked(&self) -> Vec<&Run> {
        let mut runs: Vec<&Run> = self.runs.iter().collect();
        runs.sort_by_key(|r| (r.score.hard, r.score.soft, r.seed));
        runs
    }

    /// Returns the median run by the solver's order.
    pub fn median_run(&self) -> Option<&Run> {
        upper_median(&self.ranked())
    }

    /// Returns the best run by the solver's order.
    pub fn best_run(&self) -> Option<&Run> {
        self.ranked().first().copied()
    }

    pub fn reference(&self) -> Option<Reference> {
        match self.kind {
            Kind::Curtois(reference) => reference,
            Kind::Inrc(_) | Kind::Bundle => None,
        }
    }

    /// Returns the reference values of an INRC-II row.
    pub fn inrc(&self) -> Option<InrcValues> {
        match self.kind {
            Kind::Inrc(values) => values,
            Kind::Curtois(_) | Kind::Bundle => None,
        }
    }

    /// Returns the competition's best result for an INRC-II row.
    pub fn competition_best(&self) -> Option<i64> {
        self.inrc().map(|v| v.competition_best)
    }

    /// Computes the median run's distance from `value` in percent (negative when below it);
    /// `None` when the median run breaks a hard constraint.
    fn median_gap_to(&self, value: i64) -> Option<f64> {
        let run = self.median_run().filter(|r| r.legal)?;
        Some((run.score.soft - value) as f64 / value as f64 * 100.0)
    }

    /// Computes the median run's distance from the competition's best result, in percent.
    pub fn competition_gap_percent(&self) -> Option<f64> {
        self.median_gap_to(self.competition_best()?)
    }

    /// Computes the median run's distance from the best-known objective of an INRC-II row
    /// with all weeks known, in percent.
    pub fn inrc_gap_percent(&self) -> Option<f64> {
        self.median_gap_to(self.inrc()?.best_known)
    }

    /// Computes the median run's distance above the best-known objective, in percent. It is
    /// `None` when the median run is not legal, because an illegal schedule can undercut the
    /// best-known value.
    pub fn gap_percent(&self) -> Option<f64> {
        self.median_gap_to(self.reference()?.best_known)
    }

    /// Tells whether the median run is legal and at or below the best-known objective.
    pub fn at_best_known(&self) -> bool {
        match (self.reference(), self.median_run()) {
            (Some(reference), Some(run)) => run.legal && run.score.soft <= reference.best_known,
            _ => false,
        }
    }

    pub fn legal_runs(&self) -> usize {
        self.runs.iter().filter(|r| r.legal).count()
    }

    pub fn median_first_feasible_ms(&self) -> Option<u64> {
        median_time(self.runs.iter().map(|r| r.first_feasible_ms))
    }

    pub fn median_within_one_percent_ms(&self) -> Option<u64> {
        median_time(self.runs.iter().map(|r| r.within_one_percent_ms))
    }

    /// Returns the largest peak memory over the runs, in MiB.
    pub fn peak_mib(&self) -> Option<f64> {
        self.runs.iter().filter_map(|r| r.peak_kib).max().map(|kib| kib as f64 / 1024.0)
    }
}

const DASH: &str = "—";

/// The number style of a table row: plain digits with a decimal point for the files that
/// `--markdown` and `--csv` write, or the style of a language ([`Lang::int`],
/// [`Lang::decimal`]) for the table on the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbers {
    Plain,
    For(Lang),
}

impl Numbers {
    fn int(self, value: impl std::fmt::Display) -> String {
        match self {
            Numbers::Plain => value.to_string(),
            Numbers::For(lang) => lang.int(value),
        }
    }

    fn decimal(self, value: f64, decimals: usize) -> String {
        match self {
            Numbers::Plain => format!("{value:.decimals$}"),
            Numbers::For(lang) => lang.decimal(value, decimals),
        }
    }

    fn seconds(self, ms: Option<u64>) -> String {
        ms.map_or_else(|| DASH.to_string(), |ms| self.decimal(ms as f64 / 1000.0, 2))
    }

    fn mib(self, value: Option<f64>) -> String {
        value.map_or_else(|| DASH.to_string(), |v| self.decimal(v, 1))
    }

    fn percent(self, value: Option<f64>) -> String {
        value.map_or_else(|| DASH.to_string(), |v| self.decimal(v, 1))
    }

    fn number(self, value: Option<i64>) -> String {
        value.map_or_else(|| DASH.to_string(), |v| self.int(v))
    }

    /// Formats a run's objective, marked with `*` when the schedule breaks a hard rule.
    fn objective(self, run: Option<&Run>) -> String {
        match run {
            Some(r) if r.legal => self.int(r.score.soft),
            Some(r) => format!("{}*", self.int(r.score.soft)),
            None => DASH.to_string(),
        }
    }

    /// Formats how many of the planned runs were legal, such as `3/5`.
    fn runs(self, row: &Row) -> String {
        format!("{}/{}", self.int(row.legal_runs()), self.int(row.planned))
    }
}

/// Formats the header of the Curtois table: column names and the separator line.
pub fn curtois_header(lang: Lang) -> String {
    let columns = match lang {
        Lang::Sv => [
            "instans",
            "bästa kända",
            "CP-SAT 60 s",
            "vår median",
            "vår bästa",
            "gap % (median)",
            "tillåtna frön",
            "första tillåtna s (median)",
            "inom 1 % s (median)",
            "toppminne MiB (max)",
        ],
        Lang::En => [
            "instance",
            "best known",
            "CP-SAT 60 s",
            "ours median",
            "ours best",
            "gap % (median)",
            "feasible seeds",
            "first feasible s (median)",
            "within 1 % s (median)",
            "peak memory MiB (max)",
        ],
    };
    header(&columns)
}

/// Formats a Markdown row of the Curtois table.
pub fn curtois_line(row: &Row, n: Numbers) -> String {
    let reference = row.reference();
    let cells = [
        row.label.clone(),
        n.number(reference.map(|r| r.best_known)),
        n.number(reference.and_then(|r| r.cp_sat_60s)),
        n.objective(row.median_run()),
        n.objective(row.best_run()),
        n.percent(row.gap_percent()),
        n.runs(row),
        n.seconds(row.median_first_feasible_ms()),
        n.seconds(row.median_within_one_percent_ms()),
        n.mib(row.peak_mib()),
    ];
    line(&cells)
}

/// Formats the header of the INRC-II table.
pub fn inrc_header(lang: Lang) -> String {
    let columns = match lang {
        Lang::Sv => [
            "instans",
            "bästa kända",
            "undre gräns",
            "tävlingens bästa (datamängd)",
            "vår median",
            "vår bästa",
            "gap % mot bästa kända (median)",
            "gap % mot tävlingen (median)",
            "tillåtna frön",
            "första tillåtna s (median)",
            "inom 1 % s (median)",
            "toppminne MiB (max)",
        ],
        Lang::En => [
            "instance",
            "best known",
            "lower bound",
            "competition best (dataset)",
            "ours median",
            "ours best",
            "gap % to best known (median)",
            "gap % to competition (median)",
            "feasible seeds",
            "first feasible s (median)",
            "within 1 % s (median)",
            "peak memory MiB (max)",
        ],
    };
    header(&columns)
}

/// Formats a Markdown row of the INRC-II table.
pub fn inrc_line(row: &Row, n: Numbers) -> String {
    let values = row.inrc();
    let cells = [
        row.label.clone(),
        n.number(values.map(|v| v.best_known)),
        n.number(values.map(|v| v.lower_bound)),
        n.number(row.competition_best()),
        n.objective(row.median_run()),
        n.objective(row.best_run()),
        n.percent(row.inrc_gap_percent()),
        n.percent(row.competition_gap_percent()),
        n.runs(row),
        n.seconds(row.median_first_feasible_ms()),
        n.seconds(row.median_within_one_percent_ms()),
        n.mib(row.peak_mib()),
    ];
    line(&cells)
}

/// Formats the header of the bundle table.
pub fn bundle_header(lang: Lang) -> String {
    let columns = match lang {
        Lang::Sv => [
            "bundle",
            "hårda regelbrott (median)",
            "mjuk poäng (median)",
            "lagliga frön",
            "första lagliga s (median)",
            "toppminne MiB (max)",
        ],
        Lang::En => [
            "bundle",
            "hard violations (median)",
            "soft score (median)",
            "legal seeds",
            "first legal s (median)",
            "peak memory MiB (max)",
        ],
    };
    header(&columns)
}

/// Formats a Markdown row of the bundle table.
pub fn bundle_line(row: &Row, n: Numbers) -> String {
    let median = row.median_run();
    let cells = [
        row.label.clone(),
        median.map_or_else(|| DASH.to_string(), |r| n.int(r.hard_violations)),
        median.map_or_else(|| DASH.to_string(), |r| n.int(r.score.soft)),
        n.runs(row),
        n.seconds(row.median_first_feasible_ms()),
        n.mib(row.peak_mib()),
    ];
    line(&cells)
}

fn header(columns: &[&str]) -> String {
    let names = line(&columns.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    let rule = format!("|{}", "---|".repeat(columns.len()));
    format!("{names}\n{rule}")
}

fn line(cells: &[String]) -> String {
    format!("| {} |", cells.join(" | "))
}

/// Returns the note under the Curtois table when one of its objectives is marked with `*`.
pub fn illegal_note(rows: &[Row], lang: Lang) -> Option<String> {
    let marked = rows
        .iter()
        .filter(|row| row.kind != Kind::Bundle)
        .flat_map(|row| [row.median_run(), row.best_run()])
        .flatten()
        .any(|run| !run.legal);
    marked.then(|| {
        lang.pick("\\* schemat bryter mot en hård regel.", "\\* the schedule breaks a hard rule.").to_string()
    })
}

/// The instance groups that the benchmark targets are stated for.
const GROUPS: [(u32, u32); 3] = [(1, 12), (13, 21), (22, 24)];

/// Formats one summary line per instance group that has rows, then one for all Curtois rows
/// and one for all bundle rows.
pub fn summary_lines(rows: &[Row], lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    for (first, last) in GROUPS {
        let group: Vec<&Row> = rows
            .iter()
            .filter(|r| r.reference().is_some_and(|reference| (first..=last).contains(&reference.number)))
            .collect();
        if !group.is_empty() {
            // Name the instances that ran, which may be fewer than the group's.
            let numbers: Vec<u32> = group.iter().filter_map(|r| r.reference()).map(|r| r.number).collect();
            lines.push(group_line(&number_ranges(&numbers), &group, lang));
        }
    }

    let curtois: Vec<&Row> = rows.iter().filter(|r| matches!(r.kind, Kind::Curtois(_))).collect();
    if !curtois.is_empty() {
        let all_legal = curtois.iter().filter(|r| r.legal_runs() == r.planned).count();
        let (legal, planned) = run_counts(&curtois);
        lines.push(match lang {
            Lang::Sv => format!(
                "Alla instanser: {legal} av {planned} körningar tillåtna, {all_legal} av {} instanser tillåtna med alla frön.",
                curtois.len()
            ),
            Lang::En => format!(
                "All instances: {legal} of {planned} runs feasible, {all_legal} of {} instances feasible with every seed.",
                curtois.len()
            ),
        });
    }

    let inrc: Vec<&Row> = rows.iter().filter(|r| matches!(r.kind, Kind::Inrc(_))).collect();
    if !inrc.is_empty() {
        let (legal, planned) = run_counts(&inrc);
        let at_or_below = inrc
            .iter()
            .filter(|r| match (r.median_run(), r.competition_best()) {
                (Some(run), Some(best)) => run.legal && run.score.soft <= best,
                _ => false,
            })
            .count();
        // A lower bound above the competition's best puts that mark out of any solver's reach.
        let reachable =
            inrc.iter().filter(|r| r.inrc().is_some_and(|v| v.lower_bound <= v.competition_best)).count();
        let mut gaps: Vec<f64> = inrc.iter().filter_map(|r| r.inrc_gap_percent()).collect();
        let with_gap = gaps.len();
        let gap = median(&mut gaps).map_or_else(|| DASH.to_string(), |g| format!("{g:.1} %"));
        let n = inrc.len();
        lines.push(match lang {
            Lang::Sv => format!(
                "INRC-II: mediangap mot bästa kända {gap} ({with_gap} av {n} med referensvärde och tillåten medianlösning), {at_or_below} av {n} med tillåten medianlösning på eller under tävlingens bästa (möjligt för {reachable}: för de andra ligger den undre gränsen över), {legal} av {planned} körningar tillåtna."
            ),
            Lang::En => format!(
                "INRC-II: median gap to best known {gap} ({with_gap} of {n} with a reference value and a feasible median run), {at_or_below} of {n} with a feasible median run at or below the competition's best (possible for {reachable}: the others have a lower bound above it), {legal} of {planned} runs feasible."
            ),
        });
    }

    let bundles: Vec<&Row> = rows.iter().filter(|r| r.kind == Kind::Bundle).collect();
    if !bundles.is_empty() {
        let (legal, planned) = run_counts(&bundles);
        lines.push(match lang {
            Lang::Sv => format!("Bundles: {legal} av {planned} körningar lagliga."),
            Lang::En => format!("Bundles: {legal} of {planned} runs legal."),
        });
    }
    lines
}

/// Writes instance numbers as ranges, such as `1–2, 5, 7–9`.
fn number_ranges(numbers: &[u32]) -> String {
    let mut sorted = numbers.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let first = sorted[i];
        let mut last = first;
        while i + 1 < sorted.len() && sorted[i + 1] == last + 1 {
            i += 1;
            last = sorted[i];
        }
        parts.push(if first == last { first.to_string() } else { format!("{first}–{last}") });
        i += 1;
    }
    parts.join(", ")
}

fn run_counts(rows: &[&Row]) -> (usize, usize) {
    (rows.iter().map(|r| r.legal_runs()).sum(), rows.iter().map(|r| r.planned).sum())
}

fn group_line(name: &str, group: &[&Row], lang: Lang) -> String {
    let mut gaps: Vec<f64> = group.iter().filter_map(|r| r.gap_percent()).collect();
    let with_gap = gaps.len();
    let gap = median(&mut gaps).map_or_else(|| DASH.to_string(), |g| format!("{g:.1} %"));
    let at_best = group.iter().filter(|r| r.at_best_known()).count();
    let (legal, planned) = run_counts(group);
    let n = group.len();
    match lang {
        Lang::Sv => format!(
            "Instanser {name}: mediangap {gap} ({with_gap} av {n} med tillåten medianlösning), {at_best} av {n} på bästa kända värde, {legal} av {planned} körningar tillåtna."
        ),
        Lang::En => format!(
            "Instances {name}: median gap {gap} ({with_gap} of {n} with a feasible median run), {at_best} of {n} at the best-known value, {legal} of {planned} runs feasible."
        ),
    }
}

/// The column names of the CSV file. Both tables share them; a column that does not apply
/// to a row's kind is empty.
pub const CSV_COLUMNS: [&str; 20] = [
    "kind",
    "instance",
    "seeds",
    "legal_seeds",
    "best_known",
    "cp_sat_60s",
    "median_objective",
    "median_legal",
    "best_objective",
    "best_legal",
    "gap_percent",
    "median_hard_violations",
    "median_soft",
    "first_feasible_s",
    "within_1_percent_s",
    "peak_memory_mib",
    "competition_best",
    "inrc_best_known",
    "inrc_lower_bound",
    "inrc_gap_percent",
];

/// Formats the CSV cells of a row in the order of [`CSV_COLUMNS`], times in seconds and
/// memory in MiB.
pub fn csv_record(row: &Row) -> Vec<String> {
    let opt = |v: Option<String>| v.unwrap_or_default();
    let reference = row.reference();
    let median = row.median_run();
    let best = row.best_run();
    let benchmark = row.kind != Kind::Bundle;
    let objective = |run: Option<&Run>| opt(run.filter(|_| benchmark).map(|r| r.score.soft.to_string()));
    let legal = |run: Option<&Run>| opt(run.map(|r| r.legal.to_string()));
    vec![
        match row.kind {
            Kind::Curtois(_) => "curtois",
            Kind::Inrc(_) => "inrc2",
            Kind::Bundle => "bundle",
        }
        .to_string(),
        row.label.clone(),
        row.planned.to_string(),
        row.legal_runs().to_string(),
        opt(reference.map(|r| r.best_known.to_string())),
        opt(reference.and_then(|r| r.cp_sat_60s).map(|v| v.to_string())),
        objective(median),
        legal(median),
        objective(best),
        legal(best),
        opt(row.gap_percent().or_else(|| row.competition_gap_percent()).map(|g| format!("{g:.2}"))),
        opt(median.map(|r| r.hard_violations.to_string())),
        opt(median.map(|r| r.score.soft.to_string())),
        opt(row.median_first_feasible_ms().map(|ms| format!("{:.3}", ms as f64 / 1000.0))),
        opt(row.median_within_one_percent_ms().map(|ms| format!("{:.3}", ms as f64 / 1000.0))),
        opt(row.peak_mib().map(|v| format!("{v:.1}"))),
        opt(row.competition_best().map(|v| v.to_string())),
        opt(row.inrc().map(|v| v.best_known.to_string())),
        opt(row.inrc().map(|v| v.lower_bound.to_string())),
        opt(row.inrc_gap_percent().map(|g| format!("{g:.2}"))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(seed: u64, hard: i64, soft: i64, first: Option<u64>) -> Run {
        Run {
            seed,
            score: Score { hard, soft },
            legal: hard == 0,
            hard_violations: usize::try_from(hard).unwrap_or(0),
            first_feasible_ms: first,
            within_one_percent_ms: first.map(|t| t * 2),
            peak_kib: Some(1024 * (seed + 10)),
        }
    }

    fn row(runs: Vec<Run>) -> Row {
        let reference = Reference { number: 3, best_known: 1000, cp_sat_60s: Some(1003) };
        Row { label: "3".into(), kind: Kind::Curtois(Some(reference)), planned: runs.len(), runs }
    }

    #[test]
    fn median_run_is_middle_of_three() {
        let r = row(vec![run(1, 0, 1030, Some(10)), run(2, 0, 1010, Some(20)), run(3, 0, 1020, Some(30))]);
        assert_eq!(r.median_run().map(|r| r.seed), Some(3));
        assert_eq!(r.best_run().map(|r| r.seed), Some(2));
        let gap = r.gap_percent().unwrap();
        assert!((gap - 2.0).abs() < 1e-9, "{gap}");
        assert_eq!(r.median_first_feasible_ms(), Some(20));
        assert_eq!(r.peak_mib(), Some(13.0));
    }

    #[test]
    fn median_of_two_is_the_worse() {
        let r = row(vec![run(1, 0, 1000, Some(10)), run(2, 0, 1050, Some(20))]);
        assert_eq!(r.median_run().map(|r| r.score.soft), Some(1050));
        assert!(!r.at_best_known());
        let r = row(vec![run(1, 0, 1000, Some(10)), run(2, 0, 1000, Some(20))]);
        assert!(r.at_best_known());
    }

    #[test]
    fn illegal_median_has_no_gap() {
        let r = row(vec![run(1, 0, 1000, Some(10)), run(2, 3, 900, None), run(3, 2, 950, None)]);
        assert_eq!(r.median_run().map(|r| r.seed), Some(3));
        assert_eq!(r.gap_percent(), None);
        assert_eq!(r.median_first_feasible_ms(), None, "two of three runs never became legal");
        assert!(
            curtois_line(&r, Numbers::Plain).contains("| 950* |"),
            "{}",
            curtois_line(&r, Numbers::Plain)
        );
        assert_eq!(r.legal_runs(), 1);
    }

    #[test]
    fn csv_record_matches_columns() {
        let r = row(vec![run(1, 0, 1010, Some(1500))]);
        let record = csv_record(&r);
        assert_eq!(record.len(), CSV_COLUMNS.len());
        assert_eq!(record[10], "1.00");
        assert_eq!(record[13], "1.500");
    }

    /// Builds an INRC-II row of one legal run with `soft`, whose competition best is 1755.
    fn inrc_row(label: &str, best_known: i64, soft: i64) -> Row {
        let values = InrcValues { competition_best: 1755, best_known, lower_bound: best_known };
        Row {
            label: label.into(),
            kind: Kind::Inrc(Some(values)),
            planned: 1,
            runs: vec![run(1, 0, soft, Some(100))],
        }
    }

    #[test]
    fn inrc_row_gaps_to_both_references() {
        let r = inrc_row("n030w4_1_6-2-9-1", 1670, 1720);
        let gap = r.competition_gap_percent().unwrap();
        assert!((gap - (1720.0 - 1755.0) / 1755.0 * 100.0).abs() < 1e-9, "{gap}");
        let gap = r.inrc_gap_percent().unwrap();
        assert!((gap - (1720.0 - 1670.0) / 1670.0 * 100.0).abs() < 1e-9, "{gap}");
        let line = inrc_line(&r, Numbers::Plain);
        assert!(line.contains("| 1670 | 1670 | 1755 | 1720 | 1720 | 3.0 | -2.0 |"), "{line}");
        let record = csv_record(&r);
        assert_eq!(record[0], "inrc2");
        assert_eq!(record[16], "1755");
        assert_eq!(record[17..], ["1670", "1670", "2.99"]);
        // A second row whose lower bound lies above the competition's best.
        let out_of_reach = inrc_row("n030w4_1_6-7-5-3", 1815, 1850);
        let summary = summary_lines(&[r, out_of_reach], Lang::En);
        assert!(summary[0].starts_with("INRC-II: median gap to best known 2.5 % (2 of 2 "), "{summary:?}");
        assert!(
            summary[0].contains(
                "1 of 2 with a feasible median run at or below the competition's best (possible for 1:"
            ),
            "{summary:?}"
        );
        // A lower bound equal to the competition's best still lets a schedule reach it.
        let at_bound = inrc_row("n040w4_2_6-1-0-6", 1755, 1760);
        let summary = summary_lines(&[at_bound], Lang::En);
        assert!(summary[0].contains("(possible for 1:"), "{summary:?}");
    }

    #[test]
    fn summary_names_instances_run() {
        let curtois = |number: u32| Row {
            label: number.to_string(),
            kind: Kind::Curtois(Some(Reference { number, best_known: 1000, cp_sat_60s: None })),
            planned: 1,
            runs: vec![run(1, 0, 1010, Some(10))],
        };
        let rows: Vec<Row> = [1, 2, 5, 13].into_iter().map(curtois).collect();
        let summary = summary_lines(&rows, Lang::Sv);
        assert!(summary[0].starts_with("Instanser 1–2, 5: "), "{summary:?}");
        assert!(summary[1].starts_with("Instanser 13: "), "{summary:?}");
        assert_eq!(number_ranges(&[9, 7, 8, 3, 1]), "1, 3, 7–9");
    }

    #[test]
    fn plain_median_averages_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0, 10.0]), Some(2.5));
        assert_eq!(median(&mut [4.0]), Some(4.0));
        assert_eq!(median(&mut []), None);
    }
}
