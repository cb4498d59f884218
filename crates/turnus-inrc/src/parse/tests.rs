use super::*;

const SCENARIO: &str = "SCENARIO = t1\nWEEKS = 1\n\nSKILLS = 2\nHeadNurse\nNurse\n\nSHIFT_TYPES = 2\nEarly (1,3)\nNight (2,4)\n\nFORBIDDEN_SHIFT_TYPES_SUCCESSIONS\nEarly 0\nNight 1 Early\n\nCONTRACTS = 1\nFull (3,5) (2,4) (1,2) 1 1\n\nNURSES = 2\nAnna Full 2 HeadNurse Nurse \nBo Full 1 Nurse\n";

fn scenario() -> Scenario {
    parse_scenario("Sc-t1.txt", SCENARIO).expect("fixture scenario parses")
}

fn first_error(result: Result<impl std::fmt::Debug, InputErrors>) -> InputError {
    result.expect_err("the input is invalid").errors.remove(0)
}

#[test]
fn scenario_reads_lf_and_crlf_alike() {
    let lf = scenario();
    let crlf = parse_scenario("Sc-t1.txt", &SCENARIO.replace('\n', "\r\n")).expect("CRLF parses");
    assert_eq!(lf, crlf);
    assert_eq!(lf.skills, vec!["HeadNurse", "Nurse"]);
    assert_eq!(lf.shift_types[1], ShiftType { name: "Night".into(), min_consecutive: 2, max_consecutive: 4 });
    assert!(lf.forbidden[1][0]);
    assert!(!lf.forbidden[0][1]);
    assert_eq!(lf.nurses[0].skills, vec![0, 1]);
    assert_eq!(lf.contracts[0].max_working_weekends, 1);
    assert!(lf.contracts[0].complete_weekends);
}

#[test]
fn scenario_unknown_contract_names_line_and_field() {
    let text = SCENARIO.replace("Bo Full 1 Nurse", "Bo Half 1 Nurse");
    let e = first_error(parse_scenario("Sc-t1.txt", &text));
    assert_eq!(e.line, Some(21));
    assert_eq!(e.column.as_deref(), Some("contract"));
    assert_eq!(e.value.as_deref(), Some("Half"));
    assert!(e.message_en.contains("use one of Full"), "{}", e.message_en);
}

#[test]
fn scenario_count_above_lines_is_reported() {
    let text = SCENARIO.replace("NURSES = 2", "NURSES = 3");
    let e = first_error(parse_scenario("Sc-t1.txt", &text));
    assert_eq!(e.line, Some(19));
    assert!(e.message_en.contains("states 3 lines but only 2 follow"), "{}", e.message_en);
}

#[test]
fn scenario_reversed_range_is_rejected() {
    let text = SCENARIO.replace("Night (2,4)", "Night (4,2)");
    let e = first_error(parse_scenario("Sc-t1.txt", &text));
    assert_eq!(e.value.as_deref(), Some("(4,2)"));
    assert!(e.message_en.contains("minimum exceeds the maximum"), "{}", e.message_en);
}

#[test]
fn scenario_truncated_says_so() {
    let cut = &SCENARIO[..SCENARIO.find("CONTRACTS").expect("fixture has contracts")];
    let e = first_error(parse_scenario("Sc-t1.txt", cut));
    assert!(e.message_en.contains("truncated"), "{}", e.message_en);
}

#[test]
fn history_reads_border_data() {
    let sc = scenario();
    let h = parse_history(
        "H0.txt",
        "HISTORY\n0 t1\n\nNURSE_HISTORY\nAnna 0 0 Night 2 3 0\nBo 1 1 None 0 0 2 \n",
        &sc,
    )
    .expect("history parses");
    assert_eq!(h.nurses[0].last_shift, Some(1));
    assert_eq!(h.nurses[0].consecutive_work, 3);
    assert_eq!(
        h.nurses[1],
        NurseHistory {
            assignments: 1,
            working_weekends: 1,
            last_shift: None,
            consecutive_same_shift: 0,
            consecutive_work: 0,
            consecutive_off: 2
        }
    );
}

#[test]
fn history_errors_name_the_problem() {
    let sc = scenario();
    let e = first_error(parse_history("H0.txt", "HISTORY\n0 t2\nNURSE_HISTORY\n", &sc));
    assert_eq!(e.column.as_deref(), Some("scenario"));
    let e = first_error(parse_history("H0.txt", "HISTORY\n0 t1\nNURSE_HISTORY\nAnna 0 0 Night 2 3 0\n", &sc));
    assert!(e.message_en.contains("Bo has no history line"), "{}", e.message_en);
    let e = first_error(parse_history(
        "H0.txt",
        "HISTORY\n0 t1\nNURSE_HISTORY\nAnna 0 0 Late 2 3 0\nBo 0 0 None 0 0 1\n",
        &sc,
    ));
    assert_eq!((e.line, e.column.as_deref(), e.value.as_deref()), (Some(4), Some("lastShift"), Some("Late")));
    let e = first_error(parse_history(
        "H0.txt",
        "HISTORY\n0 t1\nNURSE_HISTORY\nAnna 0 0 Night 2 3 1\nBo 0 0 None 0 0 1\n",
        &sc,
    ));
    assert_eq!(e.column.as_deref(), Some("consecutiveDaysOff"));
}

const WEEK: &str = "WEEK_DATA\nt1\n\nREQUIREMENTS\nEarly HeadNurse (1,1) (0,0) (0,0) (0,0) (0,0) (0,0) (0,1)\nNight Nurse (0,2) (0,0) (0,0) (0,0) (0,0) (0,0) (0,0) \n\nSHIFT_OFF_REQUESTS = 2\nAnna Any Tue\nBo Night Sun\n";

#[test]
fn week_reads_requirements_and_requests() {
    let w = parse_week("WD.txt", WEEK, &scenario()).expect("week parses");
    assert_eq!(w.requirements[0][0][0], Requirement { minimum: 1, optimal: 1 });
    assert_eq!(w.requirements[0][0][6], Requirement { minimum: 0, optimal: 1 });
    assert_eq!(w.requirements[1][1][0], Requirement { minimum: 0, optimal: 2 });
    assert_eq!(w.requirements[1][0][0], Requirement::default(), "a missing line requires nobody");
    assert_eq!(
        w.requests,
        vec![OffRequest { nurse: 0, shift: None, day: 1 }, OffRequest { nurse: 1, shift: Some(1), day: 6 }]
    );
}

#[test]
fn week_errors_name_the_field() {
    let sc = scenario();
    let e = first_error(parse_week("WD.txt", &WEEK.replace("(0,2)", "(0;2)"), &sc));
    assert_eq!((e.line, e.column.as_deref(), e.value.as_deref()), (Some(6), Some("Mon"), Some("(0;2)")));
    let e = first_error(parse_week("WD.txt", &WEEK.replace("Bo Night Sun", "Bo Night Sunday"), &sc));
    assert_eq!((e.line, e.column.as_deref()), (Some(10), Some("day")));
    let e = first_error(parse_week("WD.txt", &WEEK.replace("Early HeadNurse", "Early Doctor"), &sc));
    assert_eq!(e.value.as_deref(), Some("Doctor"));
}

#[test]
fn solution_ignores_notes_after_assignments() {
    let text = "SOLUTION\n0 t1\n\nASSIGNMENTS = 2\nAnna Mon Early HeadNurse\nBo Sun Night Nurse\n\nViol: 0\nCost: 575\n";
    let s = parse_solution_week("Sol.txt", text, &scenario(), 1).expect("solution parses");
    assert_eq!(s.week, 0);
    assert_eq!(s.assignments[1], Assignment { nurse: 1, day: 6, shift: 1, skill: 1 });
}

#[test]
fn solution_week_outside_horizon_is_rejected() {
    let text = "SOLUTION\n3 t1\nASSIGNMENTS = 0\n";
    let e = first_error(parse_solution_week("Sol.txt", text, &scenario(), 1));
    assert_eq!((e.line, e.column.as_deref(), e.value.as_deref()), (Some(2), Some("week"), Some("3")));
}
