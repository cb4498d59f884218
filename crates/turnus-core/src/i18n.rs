//! The user's language. Swedish is the default; English is available everywhere.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language for user-facing text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    /// Picks the Swedish or English text.
    pub fn pick<'a>(self, sv: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Sv => sv,
            Lang::En => en,
        }
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sv" | "sv-se" | "svenska" | "swedish" => Ok(Lang::Sv),
            "en" | "en-gb" | "en-us" | "english" | "engelska" => Ok(Lang::En),
            other => Err(format!("unknown language {other:?}; use sv or en")),
        }
    }
}
