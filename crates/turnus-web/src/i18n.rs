//! The translation files: `i18n/sv.toml` (the default) and `i18n/en.toml`, read once into
//! flat maps keyed `section.key`. Every text a user reads on a page comes from them; a
//! `{0}`, `{1}` … in a text is filled from arguments.

use std::collections::HashMap;
use std::fmt::Display;
use std::sync::LazyLock;

use turnus_core::Lang;

const SV: &str = include_str!("../i18n/sv.toml");
const EN: &str = include_str!("../i18n/en.toml");

static TEXTS_SV: LazyLock<HashMap<String, String>> = LazyLock::new(|| flatten_toml(SV, "sv.toml"));
static TEXTS_EN: LazyLock<HashMap<String, String>> = LazyLock::new(|| flatten_toml(EN, "en.toml"));

/// Reads a translation file into `section.key → text`. A file that does not parse is a
/// build mistake that the tests catch, so here it only logs and yields no texts.
pub(crate) fn flatten_toml(source: &str, name: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    match source.parse::<toml::Table>() {
        Ok(table) => flatten_into(&table, "", &mut out),
        Err(e) => tracing::error!(file = name, error = %e, "translation file does not parse"),
    }
    out
}

fn flatten_into(table: &toml::Table, prefix: &str, out: &mut HashMap<String, String>) {
    for (key, value) in table {
        let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
        match value {
            toml::Value::String(text) => {
                out.insert(full, text.clone());
            }
            toml::Value::Table(inner) => flatten_into(inner, &full, out),
            other => tracing::error!(key = %full, value = %other, "translation is not a string"),
        }
    }
}

/// The texts of one language.
#[derive(Debug, Clone, Copy)]
pub struct Texts {
    pub lang: Lang,
    map: &'static HashMap<String, String>,
}

impl Texts {
    pub fn new(lang: Lang) -> Texts {
        let map = match lang {
            Lang::Sv => &*TEXTS_SV,
            Lang::En => &*TEXTS_EN,
        };
        Texts { lang, map }
    }

    /// The text for `key`; the key itself when it is missing, so the gap shows on the page
    /// (a test checks that every key used exists in both files).
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        match self.map.get(key) {
            Some(text) => text.as_str(),
            None => {
                tracing::warn!(key, lang = ?self.lang, "missing translation");
                key
            }
        }
    }

    /// The text for `key` with `{0}` replaced by `a`.
    pub fn f1(&self, key: &str, a: impl Display) -> String {
        self.t(key).replace("{0}", &a.to_string())
    }

    /// The text for `key` with `{0}` and `{1}` replaced.
    pub fn f2(&self, key: &str, a: impl Display, b: impl Display) -> String {
        self.t(key).replace("{0}", &a.to_string()).replace("{1}", &b.to_string())
    }

    /// The text for `key` with `{0}`, `{1}` and `{2}` replaced.
    pub fn f3(&self, key: &str, a: impl Display, b: impl Display, c: impl Display) -> String {
        self.f2(key, a, b).replace("{2}", &c.to_string())
    }

    /// The language code for `<html lang>`.
    pub fn code(&self) -> &'static str {
        match self.lang {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// Picks the Swedish or the English one of two texts that come as data (findings,
    /// reasons), not from the translation files.
    pub fn pick<'a>(&self, sv: &'a str, en: &'a str) -> &'a str {
        self.lang.pick(sv, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_files_parse() {
        assert!(SV.parse::<toml::Table>().is_ok(), "sv.toml does not parse");
        assert!(EN.parse::<toml::Table>().is_ok(), "en.toml does not parse");
    }

    #[test]
    fn both_files_have_same_keys() {
        let sv: std::collections::BTreeSet<_> = TEXTS_SV.keys().collect();
        let en: std::collections::BTreeSet<_> = TEXTS_EN.keys().collect();
        let only_sv: Vec<_> = sv.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&sv).collect();
        assert!(only_sv.is_empty(), "keys only in sv.toml: {only_sv:?}");
        assert!(only_en.is_empty(), "keys only in en.toml: {only_en:?}");
    }

    #[test]
    fn placeholders_filled() {
        let t = Texts::new(Lang::Sv);
        assert_eq!(t.t("no.such.key"), "no.such.key");
    }
}
