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

/// Lowercases the first letter of a sentence that continues a line, after `fel: ` or a
/// semicolon. A word that starts with two capitals, such as API or URL, keeps its case.
pub fn continuing(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(_), Some(second)) if second.is_uppercase() => text.to_string(),
        (Some(first), _) => first.to_lowercase().chain(text.chars().skip(1)).collect(),
        (None, _) => String::new(),
    }
}

/// The Swedish digit group separator: U+202F NARROW NO-BREAK SPACE, so that a number is
/// never split across lines and stays one word for tools such as `awk`.
const GROUP_SV: char = '\u{202f}';

impl Lang {
    /// Formats a whole number (any integer type) for a reader: digits in groups of three,
    /// separated in Swedish by a narrow no-break space (`12 345`) and in English by a comma
    /// (`12,345`). Files for programs (CSV, JSON, Markdown tables) keep plain digits.
    pub fn int(self, value: impl std::fmt::Display) -> String {
        let text = value.to_string();
        let (sign, digits) = match text.strip_prefix('-') {
            Some(digits) => ("-", digits),
            None => ("", text.as_str()),
        };
        debug_assert!(digits.bytes().all(|b| b.is_ascii_digit()), "{text} is not a whole number");
        format!("{sign}{}", self.grouped(digits))
    }

    /// Formats a number with `decimals` digits after the decimal mark for a reader: Swedish
    /// `1 234,5` (decimal comma), English `1,234.5`. It rounds as `format!("{:.2}")` does, to
    /// the nearest value and a tie to even. NaN and infinities are written as Rust writes them.
    pub fn decimal(self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return value.to_string();
        }
        let plain = format!("{:.decimals$}", value.abs());
        let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, ""));
        // Rounding can leave -0.0; a zero carries no sign.
        let sign =
            if value < 0.0 && plain.bytes().any(|b| b.is_ascii_digit() && b != b'0') { "-" } else { "" };
        let mark = self.pick(",", ".");
        let grouped = self.grouped(whole);
        if fraction.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{mark}{fraction}")
        }
    }

    /// Inserts the separator of this language between groups of three in a run of digits.
    fn grouped(self, digits: &str) -> String {
        let separator = match self {
            Lang::Sv => GROUP_SV,
            Lang::En => ',',
        };
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 3);
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(separator);
            }
            out.push(digit);
        }
        out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_grouped_per_language() {
        let cases: [(i64, &str, &str); 7] = [
            (0, "0", "0"),
            (999, "999", "999"),
            (1000, "1\u{202f}000", "1,000"),
            (12345, "12\u{202f}345", "12,345"),
            (-1234567, "-1\u{202f}234\u{202f}567", "-1,234,567"),
            (100000, "100\u{202f}000", "100,000"),
            (
                i64::MIN,
                "-9\u{202f}223\u{202f}372\u{202f}036\u{202f}854\u{202f}775\u{202f}808",
                "-9,223,372,036,854,775,808",
            ),
        ];
        for (value, sv, en) in cases {
            assert_eq!(Lang::Sv.int(value), sv, "{value} in Swedish");
            assert_eq!(Lang::En.int(value), en, "{value} in English");
        }
    }

    #[test]
    fn continuing_lowercases_a_word() {
        assert_eq!(continuing("Användarnamnet admin är upptaget"), "användarnamnet admin är upptaget");
        assert_eq!(continuing("API-tokenens namn saknas"), "API-tokenens namn saknas");
        assert_eq!(continuing("Öppna porten"), "öppna porten");
        assert_eq!(continuing("A"), "a");
        assert_eq!(continuing(""), "");
    }

    #[test]
    fn decimals_use_the_language_mark() {
        assert_eq!(Lang::Sv.decimal(1234.5, 1), "1\u{202f}234,5");
        assert_eq!(Lang::En.decimal(1234.5, 1), "1,234.5");
        assert_eq!(Lang::Sv.decimal(0.126, 2), "0,13");
        assert_eq!(Lang::En.decimal(2.0, 0), "2");
        assert_eq!(Lang::Sv.decimal(-1234.56, 1), "-1\u{202f}234,6");
        assert_eq!(Lang::Sv.decimal(-0.01, 1), "0,0", "a rounded zero has no sign");
        assert_eq!(Lang::En.decimal(f64::NAN, 1), "NaN");
    }
}
