//! The sample bundles shipped under `examples/`, embedded in the binary so that
//! `turnus example DIR` works anywhere.

use std::path::Path;

use turnus_core::Lang;

use crate::errors::{FileTask, file_error};

macro_rules! bundle {
    ($dir:literal, [$($file:literal),* $(,)?]) => {
        &[$(($file, include_str!(concat!("../../../examples/", $dir, "/", $file)))),*]
    };
}

const LSS_BOENDE: &[(&str, &str)] = bundle!(
    "lss-boende",
    [
        "unit.toml",
        "staff.csv",
        "shifts.csv",
        "demand.csv",
        "wishes.csv",
        "absences.csv",
        "skills.csv",
        "history.csv",
        "pinned.csv",
        "README.md",
        "README.sv.md",
    ]
);

const SARSKILT_BOENDE: &[(&str, &str)] = bundle!(
    "sarskilt-boende",
    [
        "unit.toml",
        "staff.csv",
        "shifts.csv",
        "demand.csv",
        "wishes.csv",
        "absences.csv",
        "skills.csv",
        "history.csv",
        "pinned.csv",
        "README.md",
        "README.sv.md",
    ]
);

/// Writes the sample bundle `kind` into `dir`, creating it. Existing files are not
/// overwritten.
///
/// # Errors
///
/// Fails when the folder cannot be created, a file already exists, or a write fails.
pub fn write_example(dir: &Path, kind: &str, lang: Lang) -> anyhow::Result<()> {
    let files = match kind {
        "sarskilt-boende" => SARSKILT_BOENDE,
        "lss-boende" => LSS_BOENDE,
        other => match lang {
            Lang::Sv => anyhow::bail!("okänt exempel {other:?}; välj sarskilt-boende eller lss-boende"),
            Lang::En => anyhow::bail!("unknown sample {other:?}; use sarskilt-boende or lss-boende"),
        },
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        return Err(file_error(FileTask::CreateFolder, dir, &e, lang));
    }
    for (name, _) in files {
        let path = dir.join(name);
        if path.exists() {
            match lang {
                Lang::Sv => anyhow::bail!("{} finns redan; välj en tom mapp", path.display()),
                Lang::En => anyhow::bail!("{} already exists; choose an empty folder", path.display()),
            }
        }
    }
    for (name, contents) in files {
        let path = dir.join(name);
        if let Err(e) = std::fs::write(&path, contents) {
            return Err(file_error(FileTask::Write, &path, &e, lang));
        }
    }
    Ok(())
}
