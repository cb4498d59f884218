//! Checks the translation files against their use: every key that a template or handler
//! names exists in both languages, and templates hold no visible text of their own.

use std::collections::BTreeSet;
use std::path::Path;

fn read_dir(dir: &str, ext: &str) -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == ext) {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).expect("read file")));
            }
        }
    }
    out
}

fn keys_of(toml_text: &str) -> BTreeSet<String> {
    fn walk(table: &toml::Table, prefix: &str, out: &mut BTreeSet<String>) {
        for (key, value) in table {
            let full = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
            match value {
                toml::Value::Table(inner) => walk(inner, &full, out),
                _ => {
                    out.insert(full);
                }
            }
        }
    }
    let mut out = BTreeSet::new();
    walk(&toml_text.parse().expect("translation file parses"), "", &mut out);
    out
}

/// Literal keys in calls such as `t("grid.off")`, `f1("grid.week", …)` or `user_error(…, "error.x", …)`.
fn used_keys(source: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = source;
    while let Some(at) = rest.find('"') {
        let after = &rest[at + 1..];
        let Some(end) = after.find('"') else { break };
        let candidate = &after[..end];
        let section = candidate.split('.').next().unwrap_or("");
        let known = [
            "layout", "nav", "error", "login", "period", "state", "wd", "start", "grid", "editor", "job",
            "compare", "publish", "my", "wish", "wishes", "unit", "audit", "follow", "data",
        ];
        let looks_like_key = candidate.contains('.')
            && known.contains(&section)
            && candidate
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.');
        if looks_like_key && !candidate.ends_with('.') && !candidate.ends_with(".html") {
            out.insert(candidate.to_string());
        }
        rest = &after[end + 1..];
    }
    out
}

#[test]
fn used_keys_exist_in_both_languages() {
    let sv = keys_of(include_str!("../i18n/sv.toml"));
    let en = keys_of(include_str!("../i18n/en.toml"));
    let mut files = read_dir("templates", "html");
    files.extend(read_dir("src", "rs"));
    for (path, source) in files {
        for key in used_keys(&source) {
            assert!(sv.contains(&key), "{path}: key {key} missing in sv.toml");
            assert!(en.contains(&key), "{path}: key {key} missing in en.toml");
        }
    }
}

#[test]
fn dynamic_keys_exist() {
    let sv = keys_of(include_str!("../i18n/sv.toml"));
    let en = keys_of(include_str!("../i18n/en.toml"));
    let mut keys: Vec<String> =
        turnus_store::PeriodState::ALL.iter().map(|s| format!("state.{}", s.as_str())).collect();
    keys.extend((1..=7).map(|d| format!("wd.{d}")));
    keys.extend((1..=3).map(|p| format!("wish.priority_{p}")));
    for kind in ["weekends", "nights"] {
        keys.push(format!("follow.{kind}"));
        keys.push(format!("follow.{kind}_desc"));
    }
    for key in keys {
        assert!(sv.contains(&key), "key {key} missing in sv.toml");
        assert!(en.contains(&key), "key {key} missing in en.toml");
    }
}

/// Removes template blocks, comments, tags and entities, leaving the visible text.
fn visible_text(template: &str) -> String {
    let mut text = template.to_string();
    for (open, close) in [("{#", "#}"), ("{%", "%}"), ("{{", "}}"), ("<", ">")] {
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find(open) {
            out.push_str(&rest[..at]);
            out.push(' ');
            match rest[at..].find(close) {
                Some(end) => rest = &rest[at + end + close.len()..],
                None => {
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        text = out;
    }
    text
}

#[test]
fn templates_have_no_hard_coded_text() {
    for (path, source) in read_dir("templates", "html") {
        let visible = visible_text(&source).replace("Turnus", "");
        let words: Vec<&str> =
            visible.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).collect();
        assert!(words.is_empty(), "{path}: text outside the translation files: {words:?}");
        for attribute in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
            for (at, _) in source.match_indices(attribute) {
                let value = &source[at + attribute.len()..];
                assert!(
                    value.starts_with("{{"),
                    "{path}: {attribute} with a literal value near {:?}",
                    &value[..20.min(value.len())]
                );
            }
        }
    }
}
