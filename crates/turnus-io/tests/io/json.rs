//! The JSON form of a problem: round trip through a bundle, errors with line and column,
//! and the example in docs/formats.md.

use turnus_io::{problem_from_json, problem_to_json};

use crate::common::Bundle;

#[test]
fn bundle_json_round_trip() {
    let bundle = Bundle::new();
    bundle.write("history.csv", "employee,date,shift\n1001,2026-03-21,N\n");
    bundle.write("pinned.csv", "employee,date,shift\n1002,2026-03-24,ledig\n");
    bundle.write("absences.csv", "employee,from,to,kind\n1001,2026-03-30,2026-04-01,semester\n");
    bundle.write("skills.csv", "employee,skill,valid_from,valid_to\n1002,natt,2026-03-01,2026-12-31\n");
    let problem = bundle.problem();
    let json = problem_to_json(&problem);
    let back = problem_from_json(&json).expect("own JSON reads back");
    assert_eq!(back, problem);
}

#[test]
fn syntax_error_has_line_and_column() {
    let errors = problem_from_json("{\n  \"unit\": {\n    \"name\": \"A\",,\n").unwrap_err();
    assert_eq!(errors.errors.len(), 1);
    let error = &errors.errors[0];
    assert_eq!(error.file, "JSON");
    assert_eq!(error.line, Some(3));
    assert_eq!(error.column.as_deref(), Some("17"));
}

#[test]
fn validation_errors_reported() {
    let problem = Bundle::new().problem();
    let mut value: serde_json::Value = serde_json::from_str(&problem_to_json(&problem)).unwrap();
    value["wishes"][0]["employee"] = "9999".into();
    let errors = problem_from_json(&value.to_string()).unwrap_err();
    assert_eq!(errors.errors.len(), 1, "{errors}");
    assert!(errors.errors[0].message_en.contains("unknown employee 9999"), "{errors}");
}

/// Extracts the first ```json block of docs/formats.md.
fn documented_example() -> String {
    let doc = include_str!("../../../../docs/formats.md");
    let start = doc.find("```json\n").expect("a json block in docs/formats.md") + "```json\n".len();
    let end = start + doc[start..].find("```").expect("the end of the json block");
    doc[start..end].to_string()
}

#[test]
fn documented_example_reads() {
    let problem = match problem_from_json(&documented_example()) {
        Ok(problem) => problem,
        Err(errors) => panic!("docs/formats.md example rejected:\n{errors}"),
    };
    assert_eq!(problem.employees.len(), 2);
    assert_eq!(problem.history, Some(vec![]));
}
