//! Random and truncated input to every reader: an error is fine, a panic is not.

use proptest::prelude::*;
use turnus_io::{problem_from_json, problem_to_json, read_schedule_csv};

use crate::common::{Bundle, DEMAND, SHIFTS, STAFF, UNIT, WISHES};

const FILES: [(&str, &str); 9] = [
    ("unit.toml", UNIT),
    ("staff.csv", STAFF),
    ("shifts.csv", SHIFTS),
    ("demand.csv", DEMAND),
    ("wishes.csv", WISHES),
    ("absences.csv", "employee,from,to,kind\n1001,2026-03-24,2026-03-26,semester\n"),
    ("skills.csv", "employee,skill,valid_from,valid_to\n1002,natt,2026-03-01,2026-03-31\n"),
    ("history.csv", "employee,date,shift\n1001,2026-03-21,N\n"),
    ("pinned.csv", "employee,date,shift\n1001,2026-03-24,ledig\n"),
];

const SCHEDULE: &str =
    "employee,date,shift,start,end\n1001,2026-03-28,N,2026-03-28T21:15:00+01:00,2026-03-29T07:00:00+02:00\n";

/// Bytes that look like CSV often enough to reach the cell parsers.
fn csv_like() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..200),
        "[a-zåäö0-9,;:\"|\\-. \n\r]{0,200}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn bundle_file_random_bytes(file in 0..FILES.len(), bytes in csv_like()) {
        let bundle = Bundle::new();
        bundle.write(FILES[file].0, &bytes);
        let _ = bundle.read();
    }

    #[test]
    fn bundle_file_truncated(file in 0..FILES.len(), cut in 0usize..200, extra in csv_like()) {
        let bundle = Bundle::new();
        for (name, text) in FILES {
            bundle.write(name, text);
        }
        let (name, text) = FILES[file];
        let mut bytes = text.as_bytes()[..cut.min(text.len())].to_vec();
        bytes.extend_from_slice(&extra);
        bundle.write(name, bytes);
        let _ = bundle.read();
    }

    #[test]
    fn json_random_and_truncated(cut in 0usize..4000, noise in "[\\[\\]{}\",:0-9a-z ]{0,40}") {
        let problem = Bundle::new().problem();
        let json = problem_to_json(&problem);
        let mut end = cut.min(json.len());
        while !json.is_char_boundary(end) {
            end -= 1;
        }
        let _ = problem_from_json(&format!("{}{noise}", &json[..end]));
    }

    #[test]
    fn schedule_random_and_truncated(cut in 0usize..120, bytes in csv_like()) {
        let problem = Bundle::new().problem();
        let _ = read_schedule_csv(&problem, "schedule.csv", &bytes);
        let mut truncated = SCHEDULE.as_bytes()[..cut.min(SCHEDULE.len())].to_vec();
        truncated.extend_from_slice(&bytes);
        let _ = read_schedule_csv(&problem, "schedule.csv", &truncated);
    }
}
