//! Input errors that point at the place to fix: file, line, column and value, with the
//! message in Swedish and English.

use std::fmt;

use turnus_core::Lang;

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// File name as the user knows it, e.g. `staff.csv`.
    pub file: String,
    /// 1-based line number, when the error belongs to a line.
    pub line: Option<usize>,
    /// Column header as written in the file.
    pub column: Option<String>,
    /// The offending value as written.
    pub value: Option<String>,
    /// What is wrong and what to write instead.
    pub message_sv: String,
    pub message_en: String,
}

impl InputError {
    /// An error for a whole file.
    pub fn file(file: &str, sv: impl Into<String>, en: impl Into<String>) -> InputError {
        InputError {
            file: file.to_string(),
            line: None,
            column: None,
            value: None,
            message_sv: sv.into(),
            message_en: en.into(),
        }
    }

    /// Adds the line number.
    pub fn at_line(mut self, line: usize) -> InputError {
        self.line = Some(line);
        self
    }

    /// Adds the column and value.
    pub fn at_cell(mut self, column: &str, value: &str) -> InputError {
        self.column = Some(column.to_string());
        self.value = Some(value.to_string());
        self
    }

    /// The error as one line in `lang`: `staff.csv:4: column sysselsättningsgrad, value "abc": …`.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = self.file.clone();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
        }
        out.push_str(": ");
        if let Some(column) = &self.column {
            out.push_str(&match lang {
                Lang::Sv => format!("kolumn {column}, "),
                Lang::En => format!("column {column}, "),
            });
        }
        if let Some(value) = &self.value {
            out.push_str(&match lang {
                Lang::Sv => format!("värde {value:?}: "),
                Lang::En => format!("value {value:?}: "),
            });
        }
        out.push_str(lang.pick(&self.message_sv, &self.message_en));
        out
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Every error found in an input, reported together.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputErrors {
    pub errors: Vec<InputError>,
}

impl InputErrors {
    /// A single error.
    pub fn one(error: InputError) -> InputErrors {
        InputErrors { errors: vec![error] }
    }

    /// All errors, one per line, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        self.errors.iter().map(|e| e.render(lang)).collect::<Vec<_>>().join("\n")
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}
