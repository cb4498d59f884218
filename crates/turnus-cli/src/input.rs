//! Loads a problem from any input the command accepts: a bundle folder, a JSON problem, or a
//! Curtois & Qu benchmark instance, told apart by what the path holds.

use std::path::Path;

use turnus_core::{Lang, Problem};
use turnus_io::{InputError, InputErrors};

/// The kind of input a problem came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    Bundle,
    Json,
    Curtois,
}

/// A loaded problem with its warnings.
pub struct Loaded {
    pub problem: Problem,
    pub kind: InputKind,
    pub warnings: Vec<InputError>,
}

/// Reads a problem from `path`.
///
/// # Errors
///
/// Returns every input error found, with file, line and value.
pub fn load(path: &Path) -> Result<Loaded, InputErrors> {
    if path.is_dir() {
        let (problem, warnings) = turnus_io::read_bundle(path)?;
        return Ok(Loaded { problem, kind: InputKind::Bundle, warnings });
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| {
        let (cause_sv, cause_en) = crate::errors::io_cause_words(&e);
        InputErrors::one(InputError::file(
            &name,
            format!("kan inte läsas: {cause_sv}; ange en bundle-mapp, en JSON-fil eller en Curtois-instans"),
            format!("cannot be read: {cause_en}; give a bundle folder, a JSON file or a Curtois instance"),
        ))
    })?;
    let text = String::from_utf8_lossy(&bytes);
    if text.contains("SECTION_HORIZON") {
        let problem = turnus_io::parse_curtois(&name, &text)?;
        return Ok(Loaded { problem, kind: InputKind::Curtois, warnings: Vec::new() });
    }
    if text.trim_start().starts_with('{') {
        let problem = turnus_io::problem_from_json(&text)?;
        return Ok(Loaded { problem, kind: InputKind::Json, warnings: Vec::new() });
    }
    Err(InputErrors::one(InputError::file(
        &name,
        "är varken en bundle-mapp, ett JSON-problem eller en Curtois-instans (SECTION_HORIZON saknas)",
        "is neither a bundle folder, a JSON problem nor a Curtois instance (no SECTION_HORIZON)",
    )))
}

/// Prints input errors to stderr in `lang`.
pub fn print_errors(errors: &InputErrors, lang: Lang) {
    let header = match lang {
        Lang::Sv => format!("Indata innehåller {} fel:", errors.errors.len()),
        Lang::En => match errors.errors.len() {
            1 => "The input has 1 error:".to_string(),
            n => format!("The input has {n} errors:"),
        },
    };
    eprintln!("{header}");
    for e in &errors.errors {
        eprintln!("  {}", e.render(lang));
    }
}
