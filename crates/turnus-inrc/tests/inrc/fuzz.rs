//! Random and truncated bytes to every INRC-II reader: an error is fine, a panic is not.

use std::path::Path;

use proptest::prelude::*;
use turnus_inrc::{Scenario, parse_history, parse_scenario, parse_solution_week, parse_week};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn scenario() -> Scenario {
    parse_scenario("Sc-n005w4.txt", &fixture("Sc-n005w4.txt")).expect("the fixture scenario parses")
}

/// Bytes that look like the text format often enough to reach the field parsers.
fn text_like() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        "[A-Za-z0-9_=(),\\- \n\r]{0,300}",
    ]
}

/// A fixture cut at `cut` bytes (on a character boundary) with `extra` appended.
fn truncated(text: &str, cut: usize, extra: &str) -> String {
    let mut end = cut.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}{extra}", &text[..end])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn scenario_random_and_truncated(cut in 0usize..700, extra in text_like()) {
        let _ = parse_scenario("Sc.txt", &extra);
        let _ = parse_scenario("Sc.txt", &truncated(&fixture("Sc-n005w4.txt"), cut, &extra));
    }

    #[test]
    fn history_random_and_truncated(cut in 0usize..200, extra in text_like()) {
        let sc = scenario();
        let _ = parse_history("H0.txt", &extra, &sc);
        let _ = parse_history("H0.txt", &truncated(&fixture("H0-n005w4-0.txt"), cut, &extra), &sc);
    }

    #[test]
    fn week_random_and_truncated(cut in 0usize..600, extra in text_like()) {
        let sc = scenario();
        let _ = parse_week("WD.txt", &extra, &sc);
        let _ = parse_week("WD.txt", &truncated(&fixture("WD-n005w4-1.txt"), cut, &extra), &sc);
    }

    #[test]
    fn solution_random_and_truncated(cut in 0usize..800, extra in text_like(), weeks in 0usize..6) {
        let sc = scenario();
        let text = fixture("Solution_H_0-WD_1-2-3-3/Sol-n005w4-2-1.txt");
        let _ = parse_solution_week("Sol.txt", &extra, &sc, weeks);
        let _ = parse_solution_week("Sol.txt", &truncated(&text, cut, &extra), &sc, weeks);
    }
}

#[test]
fn solution_week_of_instance_without_weeks() {
    // Found by the property test above: a week index checked against zero weeks.
    let text = fixture("Solution_H_0-WD_1-2-3-3/Sol-n005w4-2-1.txt");
    let errors = parse_solution_week("Sol.txt", &text, &scenario(), 0).expect_err("no week fits");
    let sv = errors.render(turnus_core::Lang::Sv);
    assert!(sv.contains("instansen har inga veckor; ange minst en veckofil"), "{sv}");
    let en = errors.render(turnus_core::Lang::En);
    assert!(en.contains("the instance has no weeks; give at least one week file"), "{en}");
}
