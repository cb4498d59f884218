//! Input selection of `turnus bench` (the Curtois & Qu instances of a data folder, the two
//! sample bundles or given paths) and the reference values of the Curtois instances.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use turnus_core::Lang;

/// Best-known and CP-SAT values per instance, kept in the repository so that a table can be
/// rebuilt without the data folder's notes.
const REFERENCE_TOML: &str = include_str!("../../../../benchmarks/curtois.toml");

/// The environment variable that names the Curtois data folder when `--data` is absent.
pub const DATA_DIR_ENV: &str = "TURNUS_CURTOIS_DIR";
/// The Curtois data folder when neither `--data` nor the environment variable is given,
/// relative to the current folder (the repository root, with the shared folder beside it).
pub const DEFAULT_DATA_DIR: &str = "../shared/benchmarks/curtois";
/// The environment variable that names the INRC-II data folder when `--inrc-data` is absent.
pub const INRC_DIR_ENV: &str = "TURNUS_INRC2_DIR";
/// The INRC-II data folder (one subfolder per dataset) when neither `--inrc-data` nor the
/// environment variable is given, relative to the current folder.
pub const DEFAULT_INRC_DIR: &str = "../shared/benchmarks/inrc2";
/// The INRC-II instances of `--set inrc2` with the competition's results.
const INRC_TOML: &str = include_str!("../../../../benchmarks/inrc2.toml");
/// The sample bundles of `--set examples`, as folders under `examples/`.
pub const EXAMPLE_KINDS: [&str; 2] = ["sarskilt-boende", "lss-boende"];

/// Reference values of one Curtois & Qu instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Reference {
    pub number: u32,
    /// The best-known objective.
    pub best_known: i64,
    /// The objective OR-Tools CP-SAT reached in 60 s with 2 workers, or `None` when it found
    /// no roster.
    pub cp_sat_60s: Option<i64>,
}

#[derive(Deserialize)]
struct ReferenceFile {
    instance: Vec<Reference>,
}

/// Reads the reference values of instances 1–24.
///
/// # Panics
///
/// Panics if the embedded `benchmarks/curtois.toml` is invalid, which a unit test rules out.
pub fn references() -> Vec<Reference> {
    let file: ReferenceFile = toml::from_str(REFERENCE_TOML).expect("benchmarks/curtois.toml is valid");
    file.instance
}

/// Returns the reference values of instance `number`, if it is one of 1–24.
pub fn reference(number: u32) -> Option<Reference> {
    references().into_iter().find(|r| r.number == number)
}

/// One INRC-II instance of `benchmarks/inrc2.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct InrcReference {
    pub name: String,
    #[serde(flatten)]
    pub values: InrcValues,
}

/// The reference values of one INRC-II instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct InrcValues {
    /// The lowest validated competition result over the late instances of the dataset.
    pub competition_best: i64,
    /// The best-known objective with all weeks known in advance.
    pub best_known: i64,
    /// A proven lower bound on that objective, equal to `best_known` when that value is optimal.
    pub lower_bound: i64,
}

#[derive(Deserialize)]
struct InrcFile {
    instance: Vec<InrcReference>,
}

/// Reads the INRC-II instances of `--set inrc2`.
///
/// # Panics
///
/// Panics if the embedded `benchmarks/inrc2.toml` is invalid, which a unit test rules out.
pub fn inrc_references() -> Vec<InrcReference> {
    let file: InrcFile = toml::from_str(INRC_TOML).expect("benchmarks/inrc2.toml is valid");
    file.instance
}

/// Chooses the INRC-II data folder: `--inrc-data`, else the environment variable, else the default.
pub fn inrc_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(dir) = flag {
        return dir.to_path_buf();
    }
    match std::env::var_os(INRC_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(DEFAULT_INRC_DIR),
    }
}

/// Names the INRC-II instances of `benchmarks/inrc2.toml` as paths `DIR/<dataset>/<name>`.
///
/// # Errors
///
/// Returns one message per dataset folder without its scenario file, in `lang`.
pub fn inrc_inputs(dir: &Path, lang: Lang) -> Result<Vec<Input>, Vec<String>> {
    let mut inputs = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for reference in inrc_references() {
        let Some(name) = turnus_inrc::InstanceName::parse(&reference.name) else {
            missing.push(format!("benchmarks/inrc2.toml: {:?} is not an instance name", reference.name));
            continue;
        };
        let dataset = dir.join(&name.dataset);
        let scenario = dataset.join(format!("Sc-{}.txt", name.dataset));
        if !scenario.is_file() {
            let message = match lang {
                Lang::Sv => format!(
                    "scenariofilen {} saknas; ange INRC-II-mappen med --inrc-data MAPP eller {INRC_DIR_ENV}",
                    scenario.display()
                ),
                Lang::En => format!(
                    "the scenario file {} is missing; name the INRC-II folder with --inrc-data DIR or {INRC_DIR_ENV}",
                    scenario.display()
                ),
            };
            if !missing.contains(&message) {
                missing.push(message);
            }
            continue;
        }
        inputs.push(Input {
            label: reference.name.clone(),
            path: dataset.join(&reference.name),
            number: None,
            inrc: Some(reference.values),
        });
    }
    if missing.is_empty() { Ok(inputs) } else { Err(missing) }
}

/// Parses an instance list such as `1-12,20` into sorted, distinct instance numbers. The
/// error is worded in `lang`.
pub fn parse_instance_list(text: &str, lang: Lang) -> Result<Vec<u32>, String> {
    let last = references().iter().map(|r| r.number).max().unwrap_or(0);
    let number = |part: &str| -> Result<u32, String> {
        match part.trim().parse::<u32>() {
            Ok(n) if (1..=last).contains(&n) => Ok(n),
            _ => Err(match lang {
                Lang::Sv => format!("{part:?} är inget instansnummer från 1 till {last}"),
                Lang::En => format!("{part:?} is not an instance number from 1 to {last}"),
            }),
        }
    };
    let mut numbers = Vec::new();
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (number(from)?, number(to)?);
                if from > to {
                    return Err(match lang {
                        Lang::Sv => format!("intervallet {part:?} går baklänges; skriv det som {to}-{from}"),
                        Lang::En => format!("the range {part:?} runs backwards; write it as {to}-{from}"),
                    });
                }
                numbers.extend(from..=to);
            }
            None => numbers.push(number(part)?),
        }
    }
    if numbers.is_empty() {
        return Err(match lang {
            Lang::Sv => format!("{text:?} anger ingen instans; skriv till exempel 1-12,20"),
            Lang::En => format!("{text:?} names no instance; write for example 1-12,20"),
        });
    }
    numbers.sort_unstable();
    numbers.dedup();
    Ok(numbers)
}

/// Parses a seed list such as `1,2,3`. The error is worded in `lang`.
pub fn parse_seed_list(text: &str, lang: Lang) -> Result<Vec<u64>, String> {
    let mut seeds = Vec::new();
    for part in text.split(',').filter(|p| !p.trim().is_empty()) {
        let seed = part.trim().parse::<u64>().map_err(|_| match lang {
            Lang::Sv => format!("{part:?} är inget slumpfrö (ett heltal)"),
            Lang::En => format!("{part:?} is not a seed (a whole number)"),
        })?;
        if seeds.contains(&seed) {
            return Err(match lang {
                Lang::Sv => format!("slumpfröet {seed} anges två gånger"),
                Lang::En => format!("seed {seed} is given twice"),
            });
        }
        seeds.push(seed);
    }
    if seeds.is_empty() {
        return Err(match lang {
            Lang::Sv => format!("{text:?} anger inget slumpfrö; skriv till exempel 1,2,3"),
            Lang::En => format!("{text:?} names no seed; write for example 1,2,3"),
        });
    }
    Ok(seeds)
}

/// One input of the bench before it is loaded.
#[derive(Debug, Clone)]
pub struct Input {
    /// The name in the table: the instance number for a known Curtois instance, else the
    /// file or folder name.
    pub label: String,
    pub path: PathBuf,
    /// The instance number, when the file is named `InstanceN.txt` with N in 1–24.
    pub number: Option<u32>,
    /// For an INRC-II instance of `benchmarks/inrc2.toml`, its reference values.
    pub inrc: Option<InrcValues>,
}

impl Input {
    /// Creates an input from a path given on the command line.
    pub fn from_path(path: PathBuf) -> Input {
        let number = curtois_number(&path);
        let label = match number {
            Some(n) => n.to_string(),
            None => path
                .file_stem()
                .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned()),
        };
        let inrc = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| inrc_references().into_iter().find(|r| r.name == n))
            .map(|r| r.values);
        Input { label, path, number, inrc }
    }
}

/// Returns the instance number of a file named `InstanceN.txt`, if N has reference values.
fn curtois_number(path: &Path) -> Option<u32> {
    let stem = path.file_stem()?.to_str()?;
    let number: u32 = stem.strip_prefix("Instance")?.parse().ok()?;
    reference(number).map(|r| r.number)
}

/// Chooses the Curtois data folder: `--data`, else the environment variable, else the default.
pub fn curtois_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(dir) = flag {
        return dir.to_path_buf();
    }
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(DEFAULT_DATA_DIR),
    }
}

/// Finds the files of the chosen Curtois instances in `dir`.
///
/// # Errors
///
/// Returns one message per missing file, or one for a missing folder, in `lang`.
pub fn curtois_inputs(dir: &Path, numbers: &[u32], lang: Lang) -> Result<Vec<Input>, Vec<String>> {
    if !dir.is_dir() {
        return Err(vec![match lang {
            Lang::Sv => format!(
                "mappen med Curtois-instanser {} finns inte; ange den med --data MAPP eller {DATA_DIR_ENV} \
                 (docs/benchmarks.md säger var instanserna finns att hämta)",
                dir.display()
            ),
            Lang::En => format!(
                "the Curtois instance folder {} was not found; name it with --data DIR or {DATA_DIR_ENV} \
                 (docs/benchmarks.md says where to get the instances)",
                dir.display()
            ),
        }]);
    }
    let mut inputs = Vec::new();
    let mut missing = Vec::new();
    for &n in numbers {
        let path = dir.join(format!("Instance{n}.txt"));
        if path.is_file() {
            inputs.push(Input { label: n.to_string(), path, number: Some(n), inrc: None });
        } else {
            missing.push(match lang {
                Lang::Sv => format!("instansfilen {} saknas", path.display()),
                Lang::En => format!("the instance file {} is missing", path.display()),
            });
        }
    }
    if missing.is_empty() { Ok(inputs) } else { Err(missing) }
}

/// Finds the two sample bundles under `examples/` in the current folder. When that folder is
/// absent, it writes the copies embedded in the binary into `scratch` and uses those.
///
/// # Errors
///
/// Fails when an embedded copy cannot be written.
pub fn example_inputs(scratch: &Path, lang: Lang) -> anyhow::Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for kind in EXAMPLE_KINDS {
        let mut path = Path::new("examples").join(kind);
        if !path.is_dir() {
            let copy = scratch.join("examples").join(kind);
            crate::examples::write_example(&copy, kind, lang)?;
            eprintln!(
                "{} {} {}",
                path.display(),
                lang.pick(
                    "finns inte i aktuell mapp; kör den inbyggda kopian i",
                    "is not in the current folder; running the built-in copy in"
                ),
                copy.display()
            );
            path = copy;
        }
        inputs.push(Input { label: kind.to_string(), path, number: None, inrc: None });
    }
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_file_covers_24_instances() {
        let refs = references();
        assert_eq!(refs.len(), 24);
        assert_eq!(refs.iter().map(|r| r.number).collect::<Vec<_>>(), (1..=24).collect::<Vec<_>>());
        assert_eq!(reference(1), Some(Reference { number: 1, best_known: 607, cp_sat_60s: Some(607) }));
        assert_eq!(reference(24).and_then(|r| r.cp_sat_60s), None);
    }

    #[test]
    fn inrc_file_lists_the_six_late_instances() {
        let refs = inrc_references();
        assert_eq!(refs.len(), 6);
        for r in &refs {
            assert!(turnus_inrc::InstanceName::parse(&r.name).is_some(), "{}", r.name);
        }
        assert_eq!(refs[0].values.competition_best, 1755);
        assert_eq!(
            refs[2].values,
            InrcValues { competition_best: 1900, best_known: 2085, lower_bound: 2000 }
        );
        assert_eq!(refs[5].values.competition_best, 1730);
        for r in &refs {
            assert!(r.values.lower_bound <= r.values.best_known, "{}", r.name);
        }
    }

    #[test]
    fn instance_list_accepts_ranges_and_single_numbers() {
        assert_eq!(parse_instance_list("1-3,20", Lang::En), Ok(vec![1, 2, 3, 20]));
        assert_eq!(parse_instance_list("5,2-3,3", Lang::En), Ok(vec![2, 3, 5]));
        assert_eq!(parse_instance_list("24", Lang::En), Ok(vec![24]));
    }

    #[test]
    fn instance_list_rejects_bad_numbers() {
        assert!(parse_instance_list("0", Lang::En).is_err());
        assert!(parse_instance_list("25", Lang::En).is_err());
        assert!(parse_instance_list("12-1", Lang::En).is_err());
        assert!(parse_instance_list("one", Lang::En).is_err());
        assert!(parse_instance_list(",", Lang::En).is_err());
    }

    #[test]
    fn seed_list_rejects_duplicates() {
        assert_eq!(parse_seed_list("1,2,3", Lang::En), Ok(vec![1, 2, 3]));
        assert!(parse_seed_list("1,1", Lang::En).is_err());
        assert!(parse_seed_list("x", Lang::En).is_err());
    }

    #[test]
    fn instance_number_comes_from_file_name() {
        assert_eq!(Input::from_path(PathBuf::from("data/Instance7.txt")).number, Some(7));
        assert_eq!(Input::from_path(PathBuf::from("data/Instance7.txt")).label, "7");
        assert_eq!(Input::from_path(PathBuf::from("data/Instance99.txt")).number, None);
        assert_eq!(Input::from_path(PathBuf::from("examples/lss-boende")).label, "lss-boende");
    }
}
