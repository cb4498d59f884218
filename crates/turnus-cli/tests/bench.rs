//! End-to-end tests of `turnus bench`: a short run on two Curtois instances whose Markdown
//! and CSV tables are checked against the reference data file, a missing instance file,
//! numbers on the terminal and in files, and the measuring subcommand's errors.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{repo, temp_dir};

fn turnus(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_turnus")).args(args).current_dir(dir).output().expect("turnus runs")
}

fn curtois_dir() -> PathBuf {
    repo().join("../shared/benchmarks/curtois")
}

/// Best-known values per instance number, read from the committed data file.
fn best_known() -> HashMap<u32, i64> {
    let text = std::fs::read_to_string(repo().join("benchmarks/curtois.toml")).unwrap();
    let data: toml::Table = toml::from_str(&text).unwrap();
    data["instance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let number = u32::try_from(i["number"].as_integer().unwrap()).unwrap();
            (number, i["best_known"].as_integer().unwrap())
        })
        .collect()
}

#[test]
fn bench_two_instances_writes_tables() {
    let data = curtois_dir();
    if !data.join("Instance1.txt").exists() || !data.join("Instance2.txt").exists() {
        eprintln!("shared Curtois instances not found beside the repository; skipping");
        return;
    }
    let dir = temp_dir("bench-test", "tables");
    let out = turnus(
        &[
            "bench",
            "--set",
            "curtois",
            "--data",
            data.to_str().unwrap(),
            "--instances",
            "1-2",
            "--time-limit",
            "2s",
            "--threads",
            "1",
            "--seeds",
            "1,2",
            "--markdown",
            "table.md",
            "--csv",
            "table.csv",
            "--lang",
            "en",
        ],
        &dir,
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stderr.contains("[4/4]"), "progress goes to stderr: {stderr}");

    let markdown = std::fs::read_to_string(dir.join("table.md")).unwrap();
    for column in [
        "| instance | best known | CP-SAT 60 s | ours median | ours best | gap % (median) | feasible seeds |",
        "first feasible s (median) | within 1 % s (median) | peak memory MiB (max) |",
    ] {
        assert!(markdown.contains(column), "{markdown}");
    }
    assert!(markdown.contains("| 1 | 607 | 607 |"), "{markdown}");
    assert!(markdown.contains("| 2 | 828 | 828 |"), "{markdown}");
    assert!(markdown.contains("Instances 1–2: median gap"), "{markdown}");
    assert!(stdout.contains("| 1 | 607 | 607 |"), "the table is printed as runs finish: {stdout}");

    let mut reader = csv::Reader::from_path(dir.join("table.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    for column in [
        "instance",
        "best_known",
        "cp_sat_60s",
        "median_objective",
        "best_objective",
        "gap_percent",
        "legal_seeds",
        "first_feasible_s",
        "within_1_percent_s",
        "peak_memory_mib",
    ] {
        assert!(headers.iter().any(|h| h == column), "missing column {column} in {headers:?}");
    }
    let best = best_known();
    let mut instances = Vec::new();
    for record in reader.deserialize::<HashMap<String, String>>() {
        let record = record.unwrap();
        let number: u32 = record["instance"].parse().unwrap();
        instances.push(number);
        assert_eq!(record["kind"], "curtois");
        assert_eq!(record["seeds"], "2");
        assert_eq!(record["best_known"].parse::<i64>().unwrap(), best[&number]);

        let median: i64 = record["median_objective"].parse().unwrap();
        let best_run: i64 = record["best_objective"].parse().unwrap();
        assert!(best_run <= median, "{record:?}");
        if record["median_legal"] == "true" {
            let gap: f64 = record["gap_percent"].parse().unwrap();
            let expected = (median - best[&number]) as f64 / best[&number] as f64 * 100.0;
            assert!((gap - expected).abs() < 0.006, "gap {gap} against {expected}: {record:?}");
        } else {
            assert_eq!(record["gap_percent"], "", "no gap for an illegal median run");
        }

        let memory: f64 = record["peak_memory_mib"].parse().unwrap();
        assert!(memory > 0.0, "{record:?}");
        let legal: u32 = record["legal_seeds"].parse().unwrap();
        assert!(legal <= 2);
        if legal == 2 {
            let first: f64 = record["first_feasible_s"].parse().unwrap();
            assert!((0.0..=2.5).contains(&first), "{record:?}");
        }
    }
    assert_eq!(instances, vec![1, 2]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bench_missing_instance_exits_two() {
    let data = curtois_dir();
    if !data.join("Instance1.txt").exists() {
        eprintln!("shared Curtois instances not found beside the repository; skipping");
        return;
    }
    // A data folder with Instance1 only: asking for 1 and 2 must stop before any run.
    let dir = temp_dir("bench-test", "missing");
    let partial = dir.join("data");
    std::fs::create_dir_all(&partial).unwrap();
    std::fs::copy(data.join("Instance1.txt"), partial.join("Instance1.txt")).unwrap();

    let out = turnus(
        &[
            "bench",
            "--set",
            "curtois",
            "--data",
            "data",
            "--instances",
            "1,2",
            "--time-limit",
            "1s",
            "--lang",
            "en",
        ],
        &dir,
    );

    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("Instance2.txt is missing"), "{stderr}");
    assert!(stderr.contains("No run was started"), "{stderr}");
    assert!(!stderr.contains("Instance1.txt is missing"), "{stderr}");
    assert!(out.stdout.is_empty(), "no table without runs");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `turnus bench` for one second on the n005w4 example data committed in turnus-inrc,
/// with one thread and seed 1, plus `extra` arguments.
fn bench_inrc_example(extra: &[&str], dir: &Path) -> Output {
    let instance = repo().join("crates/turnus-inrc/tests/data/n005w4_0_1-2-3-3");
    let mut args =
        vec!["bench", instance.to_str().unwrap(), "--time-limit", "1s", "--threads", "1", "--seeds", "1"];
    args.extend_from_slice(extra);
    turnus(&args, dir)
}

/// Reads the first record of a CSV file into a map from column name to value.
fn first_record(path: &Path) -> HashMap<String, String> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let headers = reader.headers().unwrap().clone();
    let values = reader.records().next().expect("one record").unwrap();
    headers.iter().map(String::from).zip(values.iter().map(String::from)).collect()
}

#[test]
fn bench_inrc_instance_writes_table() {
    // The n005w4 example is not one of the six late instances, so its row has no
    // reference values.
    let dir = temp_dir("bench-test", "inrc");
    let out = bench_inrc_example(&["--csv", "table.csv", "--lang", "en"], &dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("| instance | best known | lower bound | competition best (dataset) | ours median |"),
        "{stdout}"
    );
    assert!(stdout.contains("| n005w4_0_1-2-3-3 | — | — | — |"), "{stdout}");
    assert!(stdout.contains("INRC-II: median gap to best known — (0 of 1 "), "{stdout}");
    assert!(stdout.contains(", 0 of 1 with a feasible median run at or below"), "{stdout}");

    let record = first_record(&dir.join("table.csv"));
    assert_eq!(record["kind"], "inrc2");
    assert_eq!(record["legal_seeds"], "1");
    // How low the objective gets in one second depends on the machine's load, so the test
    // checks only for a legal schedule's objective. docs/benchmarks.md records the quality.
    assert!(record["median_objective"].parse::<i64>().is_ok_and(|v| v > 0), "{record:?}");
}

/// Writes `value` with English digit groups, as the terminal table shows it.
fn grouped_en(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if value < 0 { format!("-{out}") } else { out }
}

#[test]
fn bench_terminal_numbers_follow_language() {
    let dir = temp_dir("bench-test", "numbers");
    for lang in ["sv", "en"] {
        let (markdown, csv) = (format!("table-{lang}.md"), format!("table-{lang}.csv"));
        let out = bench_inrc_example(&["--markdown", &markdown, "--csv", &csv, "--lang", lang], &dir);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));

        let record = first_record(&dir.join(format!("table-{lang}.csv")));
        let median: i64 = record["median_objective"].parse().expect("plain digits in the CSV file");
        assert!(record["peak_memory_mib"].contains('.'), "{record:?}");

        // The file keeps plain digits; the terminal groups them as the language does.
        let markdown = std::fs::read_to_string(dir.join(format!("table-{lang}.md"))).unwrap();
        assert!(markdown.contains(&format!("| {median} | {median} |")), "{markdown}");
        let grouped = match lang {
            "sv" => grouped_en(median).replace(',', "\u{202f}"),
            _ => grouped_en(median),
        };
        assert!(stdout.contains(&format!("| {grouped} | {grouped} |")), "{stdout}");
        let memory = stdout.lines().find(|l| l.starts_with("| n005w4")).and_then(|l| l.split(" | ").last());
        let decimal_mark = if lang == "sv" { ',' } else { '.' };
        assert!(memory.is_some_and(|m| m.contains(decimal_mark)), "{stdout}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bench_measure_errors_in_each_language() {
    let dir = temp_dir("bench-test", "measure");
    let record = dir.join("missing-folder").join("record.json");
    for (lang, expected) in [
        ("sv", format!("fel: {} kan inte skrivas: filen eller mappen finns inte", record.display())),
        ("en", format!("error: cannot write {}: no such file or folder", record.display())),
    ] {
        let out = turnus(
            &["--lang", lang, "bench-measure", "--output", record.to_str().unwrap(), "--", "--version"],
            &dir,
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(&expected), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
