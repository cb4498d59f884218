//! The user documentation of the bundle's columns matches what the reader accepts.

use std::path::PathBuf;

use turnus_core::Lang;
use turnus_io::columns_markdown;

const BEGIN: &str = "<!-- columns:begin -->\n";
const END: &str = "<!-- columns:end -->";

/// Checks the generated block of one documentation file. With `TURNUS_BLESS=1` the block is
/// rewritten instead, which is how the documentation is brought up to date.
fn check(file: &str, lang: Lang) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs").join(file);
    let text = std::fs::read_to_string(&path).expect("documentation file exists");
    let start = text.find(BEGIN).expect("begin marker") + BEGIN.len();
    let end = text.find(END).expect("end marker");
    let expected = columns_markdown(lang);
    if std::env::var_os("TURNUS_BLESS").is_some() {
        let updated = format!("{}{}{}", &text[..start], expected, &text[end..]);
        std::fs::write(&path, updated).expect("documentation file is writable");
        return;
    }
    assert_eq!(
        &text[start..end],
        expected,
        "{file} lists other columns than the reader accepts; run the test with TURNUS_BLESS=1"
    );
}

#[test]
fn english_column_reference_matches_the_reader() {
    check("bundle.md", Lang::En);
}

#[test]
fn swedish_column_reference_matches_the_reader() {
    check("bundle.sv.md", Lang::Sv);
}

#[test]
fn every_column_and_alias_is_listed() {
    let en = columns_markdown(Lang::En);
    let sv = columns_markdown(Lang::Sv);
    for name in ["employment_percent", "sysselsättningsgrad", "giltig_från", "rast_minuter", "pinned.csv"] {
        assert!(en.contains(name), "{name} is missing from the English reference");
        assert!(sv.contains(name), "{name} is missing from the Swedish reference");
    }
}
