//! One table of cases per constraint, keyed by the competition's constraint id, each at the
//! boundary of its limit. The instance has one week and the shift types Early (runs of 1 to
//! 3) and Night (2 to 4), with Night before Early forbidden. Its contract allows 3 to 5
//! assignments, runs of 2 to 4 working days and 1 to 2 days off, and one working weekend,
//! and asks for complete weekends.

use turnus_inrc::{Assignment, Breakdown, Instance, evaluate, parse_history, parse_scenario, parse_week};

const SCENARIO: &str = "SCENARIO = t1\nWEEKS = 1\nSKILLS = 2\nHeadNurse\nNurse\nSHIFT_TYPES = 2\nEarly (1,3)\nNight (2,4)\nFORBIDDEN_SHIFT_TYPES_SUCCESSIONS\nEarly 0\nNight 1 Early\nCONTRACTS = 1\nFull (3,5) (2,4) (1,2) 1 1\nNURSES = 2\nAnna Full 2 HeadNurse Nurse\nBo Full 1 Nurse\n";

/// Builds the instance with Anna's history line, requirement lines and request lines; Bo
/// starts after one day off.
fn instance(history: &str, requirements: &str, requests: &[&str]) -> Instance {
    let scenario = parse_scenario("Sc-t1.txt", SCENARIO).expect("scenario parses");
    let history = parse_history(
        "H0.txt",
        &format!("HISTORY\n0 t1\nNURSE_HISTORY\n{history}\nBo 0 0 None 0 0 1\n"),
        &scenario,
    )
    .expect("history parses");
    let week = format!(
        "WEEK_DATA\nt1\nREQUIREMENTS\n{requirements}\nSHIFT_OFF_REQUESTS = {}\n{}\n",
        requests.len(),
        requests.join("\n")
    );
    let week = parse_week("WD.txt", &week, &scenario).expect("week parses");
    Instance { name: "t1_0_0".into(), scenario, history, week_files: vec![0], weeks: vec![week] }
}

/// Anna's week as seven letters: E Early, N Night (skill HeadNurse), e and n the same with
/// skill Nurse, - off.
fn row(nurse: usize, text: &str) -> Vec<Assignment> {
    text.chars()
        .enumerate()
        .filter_map(|(day, c)| {
            let (shift, skill) = match c {
                'E' => (0, 0),
                'N' => (1, 0),
                'e' => (0, 1),
                'n' => (1, 1),
                _ => return None,
            };
            Some(Assignment { nurse, day, shift, skill })
        })
        .collect()
}

/// Evaluates Anna's row; Bo does not work.
fn score(history: &str, requirements: &str, requests: &[&str], anna: &str) -> Breakdown {
    evaluate(&instance(history, requirements, requests), &row(0, anna)).breakdown
}

const OFF_BEFORE: &str = "Anna 0 0 None 0 0 1";

/// Cases: constraint id, Anna's history line, her row, the expected cost of that constraint.
type Case = (&'static str, &'static str, &'static str, i64);

fn check(cases: &[Case], field: fn(&Breakdown) -> i64) {
    for &(id, history, anna, expected) in cases {
        let b = score(history, "", &[], anna);
        assert_eq!(field(&b), expected, "{id}: history {history:?}, row {anna:?}, breakdown {b:?}");
    }
}

#[test]
fn s6_total_assignments() {
    // Bo works nothing: 3 below the minimum, 60, in every case.
    let cases: [Case; 5] = [
        ("S6 two below", OFF_BEFORE, "E------", 60 + 40),
        ("S6 at minimum", OFF_BEFORE, "EEE----", 60),
        ("S6 at maximum", OFF_BEFORE, "EE-EEE-", 60),
        ("S6 one above", OFF_BEFORE, "EEE-EEE", 60 + 20),
        ("S6 history counts", "Anna 4 0 None 0 0 1", "EE-----", 60 + 20),
    ];
    check(&cases, |b| b.total_assignments);
}

#[test]
fn s2_consecutive_work_and_shift() {
    let cases: [Case; 10] = [
        ("S2 work run one short", OFF_BEFORE, "E-EE---", 30),
        ("S2 work run at minimum", OFF_BEFORE, "EE-----", 0),
        ("S2 shift run one above", OFF_BEFORE, "EEEE---", 15),
        ("S2 work run one above", OFF_BEFORE, "EEENN--", 30),
        ("S2 short run at the end is free", OFF_BEFORE, "------E", 0),
        ("S2 short night run", OFF_BEFORE, "N------", 15 + 30),
        ("S2 night run reaching the end", OFF_BEFORE, "-----NN", 0),
        ("S2 history run charged for days inside only", "Anna 0 0 Night 4 4 0", "N------", 15 + 30),
        ("S2 history run already over", "Anna 0 0 Night 5 5 0", "N------", 15 + 30),
        ("S2 history run ending at the border", "Anna 0 0 Night 1 1 0", "-------", 15 + 30),
    ];
    check(&cases, |b| b.consecutive);
}

#[test]
fn s3_consecutive_days_off() {
    // Bo: one day off before and seven in the week, 8 - 2 = 6 days above the maximum: 180.
    let cases: [Case; 5] = [
        ("S3 off run one above", OFF_BEFORE, "EE---EE", 180 + 30),
        ("S3 off run at maximum", OFF_BEFORE, "EE--EEE", 180),
        ("S3 history off run charged for days inside", "Anna 0 0 None 0 0 3", "-EE-EE-", 180 + 30),
        ("S3 history off run at minimum", OFF_BEFORE, "EE-EE-E", 180),
        ("S3 whole week off", OFF_BEFORE, "-------", 180 + 180),
    ];
    check(&cases, |b| b.days_off);
}

#[test]
fn s4_requests() {
    let requests = ["Anna Any Tue", "Anna Night Sun"];
    for (anna, expected) in [("-E----N", 20), ("-N-----", 10), ("------E", 0), ("E-----N", 10)] {
        let b = score(OFF_BEFORE, "", &requests, anna);
        assert_eq!(b.preferences, expected, "S4 row {anna:?}");
    }
}

#[test]
fn s5_complete_weekends() {
    for (anna, expected) in [("-----E-", 30), ("------E", 30), ("-----EE", 0), ("EE-----", 0)] {
        let b = score(OFF_BEFORE, "", &[], anna);
        assert_eq!(b.complete_weekends, expected, "S5 row {anna:?}");
    }
}

#[test]
fn s7_working_weekends_with_history() {
    let cases: [Case; 3] = [
        ("S7 one above with history", "Anna 0 1 None 0 0 1", "-----EE", 30),
        ("S7 at maximum", OFF_BEFORE, "-----EE", 0),
        ("S7 history alone is not charged again", "Anna 0 1 None 0 0 1", "EE-----", 0),
    ];
    check(&cases, |b| b.working_weekends);
}

#[test]
fn h3_successions_across_the_border() {
    let cases: [Case; 4] = [
        ("H3 night then early", OFF_BEFORE, "NE-----", 1),
        ("H3 early then night", OFF_BEFORE, "EN-----", 0),
        ("H3 history night then early", "Anna 0 0 Night 2 2 0", "E------", 1),
        ("H3 day off between", OFF_BEFORE, "N-E----", 0),
    ];
    check(&cases, |b| b.successions);
}

#[test]
fn h2_s1_cover_per_skill() {
    let requirement = "Early HeadNurse (1,2) (0,0) (0,0) (0,0) (0,0) (0,0) (0,0)";
    for (anna, hard, soft) in [("E------", 0, 30), ("-------", 1, 60), ("e------", 1, 60)] {
        let b = score(OFF_BEFORE, requirement, &[], anna);
        assert_eq!(b.minimal_cover, hard, "H2 row {anna:?}");
        assert_eq!(b.optimal_cover, soft, "S1 row {anna:?}");
    }
}

#[test]
fn h1_h4_single_assignment_and_skill() {
    let inst = instance(OFF_BEFORE, "", &[]);
    let mut assignments = row(0, "E------");
    assignments.push(Assignment { nurse: 0, day: 0, shift: 1, skill: 0 });
    assignments.push(Assignment { nurse: 1, day: 2, shift: 0, skill: 0 });
    let e = evaluate(&inst, &assignments);
    assert_eq!(e.breakdown.single_assignment, 1);
    assert_eq!(e.breakdown.required_skill, 1, "Bo lacks HeadNurse");
    assert!(!e.is_feasible());
    assert_eq!(e.violations.len(), 2);
}
