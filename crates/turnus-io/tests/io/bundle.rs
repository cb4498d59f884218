//! The bundle reader: one test per class of malformed input, each checking the file, line,
//! column and value of the error, and the conventions that must be accepted.

use jiff::civil::{date, time};
use turnus_core::{DemandDay, WishKind};

use crate::common::{Bundle, only_error};

#[test]
fn valid_bundle_reads() {
    let bundle = Bundle::new();
    let (problem, warnings) = bundle.read().expect("valid bundle");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(problem.unit.name, "Testavdelning");
    assert_eq!(problem.unit.time_zone, "Europe/Stockholm");
    assert_eq!(problem.unit.period.start, date(2026, 3, 23));
    assert_eq!(problem.employees.len(), 2);
    assert_eq!(problem.employees[0].skills, vec!["usk".to_string(), "natt".to_string()]);
    assert!(!problem.employees[0].night_worker);
    assert!(problem.employees[1].night_worker);
    assert_eq!(problem.employees[1].employment_basis_points, 7550);
    assert_eq!(problem.shift_types[1].end, time(7, 0, 0, 0));
    assert_eq!(problem.demand[1].ideal, 1, "ideal defaults to min");
    assert_eq!(problem.wishes[0].kind, WishKind::Off);
    assert_eq!(problem.wishes[1].priority, 2, "priority defaults to 2");
    assert_eq!(problem.history, None);
}

#[test]
fn history_file_present_but_empty() {
    let bundle = Bundle::new();
    bundle.write("history.csv", "employee,date,shift\n");
    assert_eq!(bundle.problem().history, Some(vec![]));
}

#[test]
fn missing_required_file() {
    let bundle = Bundle::new();
    bundle.remove("shifts.csv");
    let errors = bundle.errors();
    let error = only_error(&errors, "shifts.csv");
    assert_eq!(error.line, None);
    assert!(error.message_en.contains("missing"), "{error}");
    assert!(error.message_sv.contains("saknas"), "{error}");
}

#[test]
fn missing_unit_toml() {
    let bundle = Bundle::new();
    bundle.remove("unit.toml");
    let errors = bundle.errors();
    assert_eq!(only_error(&errors, "unit.toml").line, None);
}

#[test]
fn missing_column() {
    let bundle = Bundle::new();
    bundle.write("staff.csv", "id,name\n1001,Anna\n1002,Erik\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "staff.csv");
    assert_eq!(error.line, Some(1));
    assert_eq!(error.column.as_deref(), Some("employment_percent"));
    assert!(error.message_en.contains("missing column employment_percent"), "{error}");
}

#[test]
fn unknown_column() {
    let bundle = Bundle::new();
    bundle.write(
        "shifts.csv",
        "code,name,start,end,break_minutes,skill,colour\nD,Dag,07:00,15:45,30,,blå\nN,Natt,21:15,07:00,45,natt,\n",
    );
    let errors = bundle.errors();
    let error = only_error(&errors, "shifts.csv");
    assert_eq!(error.line, Some(1));
    assert_eq!(error.column.as_deref(), Some("colour"));
    assert_eq!(error.value.as_deref(), Some("colour"));
    assert!(error.message_en.starts_with("unknown column"), "{error}");
}

#[test]
fn bad_date() {
    let bundle = Bundle::new();
    bundle.write("wishes.csv", "employee,date,kind\n1001,2026-03-28,off\n1002,28/3/2026,off\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "wishes.csv");
    assert_eq!(error.line, Some(3));
    assert_eq!(error.column.as_deref(), Some("date"));
    assert_eq!(error.value.as_deref(), Some("28/3/2026"));
    assert!(error.message_en.contains("YYYY-MM-DD"), "{error}");
    assert!(error.message_sv.contains("ÅÅÅÅ-MM-DD"), "{error}");
}

#[test]
fn excel_serial_date_shows_its_date() {
    let bundle = Bundle::new();
    bundle.write("wishes.csv", "employee,date,kind\n1001,46082,off\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "wishes.csv");
    assert_eq!(error.line, Some(2));
    assert_eq!(error.column.as_deref(), Some("date"));
    assert_eq!(error.value.as_deref(), Some("46082"));
    assert!(error.message_en.contains("2026-03-01"), "{error}");
    assert!(error.message_sv.contains("2026-03-01"), "{error}");
}

#[test]
fn bad_clock_time() {
    let bundle = Bundle::new();
    bundle.write("shifts.csv", "code,name,start,end,break_minutes\nD,Dag,7.00,15:45,30\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "shifts.csv");
    assert_eq!(error.line, Some(2));
    assert_eq!(error.column.as_deref(), Some("start"));
    assert_eq!(error.value.as_deref(), Some("7.00"));
    assert!(error.message_en.contains("HH:MM"), "{error}");
}

#[test]
fn shift_ending_at_its_start() {
    let bundle = Bundle::new();
    bundle.write(
        "shifts.csv",
        "code,name,start,end,break_minutes\nD,Dag,07:00,15:45,30\nD5,Förmiddag,07:00,07:00,30\nN,Natt,21:15,07:00,45\n",
    );
    let errors = bundle.errors();
    let error = only_error(&errors, "shifts.csv");
    assert_eq!(
        (error.line, error.column.as_deref(), error.value.as_deref()),
        (Some(3), Some("end"), Some("07:00"))
    );
    assert!(error.message_sv.contains("samma tid som starten"), "{error}");
    assert!(error.message_en.contains("an end before the start is read as the next day"), "{error}");
}

#[test]
fn short_clock_time_accepted() {
    let bundle = Bundle::new();
    bundle.write(
        "shifts.csv",
        "code,name,start,end,break_minutes\nD,Dag,7:00,15:45,30\nN,Natt,21:15,7:00,45\n",
    );
    assert_eq!(bundle.problem().shift_types[0].start, time(7, 0, 0, 0));
}

#[test]
fn bad_number() {
    let bundle = Bundle::new();
    bundle.write("staff.csv", "id,name,employment_percent\n1001,Anna,heltid\n1002,Erik,75\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "staff.csv");
    assert_eq!(error.line, Some(2));
    assert_eq!(error.column.as_deref(), Some("employment_percent"));
    assert_eq!(error.value.as_deref(), Some("heltid"));
    assert!(error.message_en.contains("75.5"), "{error}");
}

#[test]
fn employment_out_of_range() {
    let bundle = Bundle::new();
    bundle.write("staff.csv", "id,name,employment_percent\n1001,Anna,120\n1002,Erik,75\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "staff.csv");
    assert_eq!((error.line, error.value.as_deref()), (Some(2), Some("120")));
}

#[test]
fn decimal_comma_and_point_accepted() {
    let bundle = Bundle::new();
    bundle.write(
        "staff.csv",
        "id;name;employment_percent;full_time_hours\n1001;Anna;75,5;34,33\n1002;Erik;80.25;38.25\n",
    );
    let problem = bundle.problem();
    assert_eq!(problem.employees[0].employment_basis_points, 7550);
    assert_eq!(problem.employees[0].full_time_minutes, Some(2060));
    assert_eq!(problem.employees[1].employment_basis_points, 8025);
    assert_eq!(problem.employees[1].full_time_minutes, Some(2295));
}

#[test]
fn semicolon_separator_and_swedish_headers() {
    let bundle = Bundle::new();
    bundle.write(
        "staff.csv",
        "Anställningsnummer;Namn;Sysselsättningsgrad;Heltidsmått;Kompetenser;Nattarbetare\n\
         1001;Anna Lindqvist;100;;usk|natt;ja\n1002;Erik Nyström;50;;;nej\n",
    );
    bundle.write(
        "wishes.csv",
        "anställd;datum;typ;pass;prioritet\n1001;2026-03-24;arbeta;D;1\n1002;2026-03-25;undvik;N;3\n",
    );
    let problem = bundle.problem();
    assert_eq!(problem.employees[0].name, "Anna Lindqvist");
    assert!(problem.employees[0].night_worker);
    assert_eq!(problem.wishes[0].kind, WishKind::Work(Some("D".into())));
    assert_eq!(problem.wishes[1].kind, WishKind::Avoid("N".into()));
}

#[test]
fn utf8_bom_accepted() {
    let bundle = Bundle::new();
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(crate::common::STAFF.as_bytes());
    bundle.write("staff.csv", bytes);
    assert_eq!(bundle.problem().employees[0].id, "1001");
}

#[test]
fn windows_1252_accepted() {
    let bundle = Bundle::new();
    // "anställningsnummer;namn;sysselsättningsgrad" and "Åsa Öberg" in Windows-1252.
    let mut bytes = b"anst\xe4llningsnummer;namn;syssels\xe4ttningsgrad\n".to_vec();
    bytes.extend_from_slice(b"1001;\xc5sa \xd6berg;100\n1002;Erik Nystr\xf6m;50\n");
    bundle.write("staff.csv", bytes);
    let problem = bundle.problem();
    assert_eq!(problem.employees[0].name, "Åsa Öberg");
    assert_eq!(problem.employees[1].name, "Erik Nyström");
}

#[test]
fn utf16_rejected_with_a_fix() {
    let bundle = Bundle::new();
    bundle.write("staff.csv", [0xFF, 0xFE, b'i', 0, b'd', 0]);
    let errors = bundle.errors();
    let error = only_error(&errors, "staff.csv");
    assert!(error.message_en.contains("UTF-16"), "{error}");
}

#[test]
fn quoted_fields_with_separators() {
    let bundle = Bundle::new();
    bundle.write(
        "staff.csv",
        "id,name,employment_percent,skills\n1001,\"Lindqvist, Anna \"\"Annie\"\"\",\"75,5\",usk\n1002,Erik,50,\n",
    );
    bundle.write(
        "shifts.csv",
        "code;name;start;end;break_minutes\nD;\"Dag; lång\";07:00;15:45;30\nN;Natt;21:15;07:00;45\n",
    );
    let problem = bundle.problem();
    assert_eq!(problem.employees[0].name, "Lindqvist, Anna \"Annie\"");
    assert_eq!(problem.employees[0].employment_basis_points, 7550);
    assert_eq!(problem.shift_types[0].name, "Dag; lång");
}

#[test]
fn quoted_line_break_keeps_physical_lines() {
    let bundle = Bundle::new();
    bundle.write("staff.csv", "id,name,employment_percent\n1001,\"Anna\nLindqvist\",100\n1002,Erik,fel\n");
    let errors = bundle.errors();
    assert_eq!(only_error(&errors, "staff.csv").line, Some(4));
}

#[test]
fn empty_and_separator_only_lines_ignored() {
    let bundle = Bundle::new();
    bundle.write("staff.csv", "\nid;name;employment_percent\n\n;;\n1001;Anna;100\r\n;;;\n   \n1002;Erik;x\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "staff.csv");
    assert_eq!(error.line, Some(8));
    assert_eq!(error.value.as_deref(), Some("x"));
}

#[test]
fn unknown_csv_file_warns() {
    let bundle = Bundle::new();
    bundle.write("wishs.csv", "employee,date,kind\n");
    bundle.write("README.txt", "notes");
    let (_, warnings) = bundle.read().expect("bundle with an extra file");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].file, "wishs.csv");
}

#[test]
fn unknown_rules_key() {
    let bundle = Bundle::new();
    bundle.write(
        "unit.toml",
        format!("{}\n[rules]\nmax_consecutive_days = 5\ndaily_rest = 11\n", crate::common::UNIT),
    );
    let errors = bundle.errors();
    let error = only_error(&errors, "unit.toml");
    assert_eq!(error.line, Some(7));
    assert_eq!(error.column.as_deref(), Some("rules.daily_rest"));
    assert_eq!(error.value.as_deref(), Some("11"));
    assert!(error.message_en.contains("unknown key in [rules]"), "{error}");
}

#[test]
fn unknown_weights_key() {
    let bundle = Bundle::new();
    bundle.write("unit.toml", format!("{}[weights]\nS99 = 3\n", crate::common::UNIT));
    let errors = bundle.errors();
    let error = only_error(&errors, "unit.toml");
    assert_eq!((error.line, error.column.as_deref()), (Some(5), Some("weights.S99")));
}

#[test]
fn rules_and_night_work_applied() {
    let bundle = Bundle::new();
    bundle.write(
        "unit.toml",
        format!("{}preset = \"atl\"\n[rules]\ndays_off = {{ min = 8, per = 28 }}\nnight_work = \"average\"\n[weights]\nS4 = 7\n", crate::common::UNIT),
    );
    let problem = bundle.problem();
    assert_eq!(problem.rules.preset, turnus_core::Preset::Atl);
    assert_eq!(problem.rules.params.days_off_min, 8);
    assert_eq!(problem.rules.params.night_work, turnus_core::NightWork::Average { max_minutes: 480 });
    assert_eq!(problem.rules.weights.wish, 7);
}

#[test]
fn unknown_time_zone() {
    let bundle = Bundle::new();
    bundle.write("unit.toml", format!("{}time_zone = \"Europe/Stockholmm\"\n", crate::common::UNIT));
    let errors = bundle.errors();
    let error = only_error(&errors, "unit.toml");
    assert_eq!((error.line, error.column.as_deref()), (Some(4), Some("time_zone")));
    assert_eq!(error.value.as_deref(), Some("Europe/Stockholmm"));
}

#[test]
fn unknown_employee_in_wishes() {
    let bundle = Bundle::new();
    bundle.write("wishes.csv", "employee,date,kind\n1001,2026-03-24,off\n\n9999,2026-03-25,off\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "wishes.csv");
    assert_eq!(error.line, Some(4));
    assert_eq!(error.column.as_deref(), Some("employee"));
    assert_eq!(error.value.as_deref(), Some("9999"));
    assert!(error.message_en.contains("unknown employee 9999"), "{error}");
    assert!(error.message_sv.contains("okänd anställd 9999"), "{error}");
}

#[test]
fn unknown_shift_in_pins_and_day_off_words() {
    let bundle = Bundle::new();
    bundle.write(
        "pinned.csv",
        "employee,date,shift\n1001,2026-03-24,ledig\n1002,2026-03-24,OFF\n1001,2026-03-25,X\n",
    );
    let errors = bundle.errors();
    let error = only_error(&errors, "pinned.csv");
    assert_eq!(
        (error.line, error.column.as_deref(), error.value.as_deref()),
        (Some(4), Some("shift"), Some("X"))
    );

    bundle.write("pinned.csv", "employee,date,shift\n1001,2026-03-24,ledig\n1002,2026-03-24,N\n");
    let problem = bundle.problem();
    assert_eq!(problem.pins[0].shift, None);
    assert_eq!(problem.pins[1].shift.as_deref(), Some("N"));
}

#[test]
fn wish_outside_period() {
    let bundle = Bundle::new();
    bundle.write("wishes.csv", "employee,date,kind\n1001,2026-04-06,off\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "wishes.csv");
    assert_eq!(
        (error.line, error.column.as_deref(), error.value.as_deref()),
        (Some(2), Some("date"), Some("2026-04-06"))
    );
}

#[test]
fn duplicate_employee_id() {
    let bundle = Bundle::new();
    bundle.write("staff.csv", "id,name,employment_percent\n1001,Anna,100\n1002,Erik,50\n1001,Åsa,50\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "staff.csv");
    assert_eq!(
        (error.line, error.column.as_deref(), error.value.as_deref()),
        (Some(4), Some("id"), Some("1001"))
    );
}

#[test]
fn ideal_below_min() {
    let bundle = Bundle::new();
    bundle.write("demand.csv", "dag,pass,min,ideal\nmån,D,3,2\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "demand.csv");
    assert_eq!(
        (error.line, error.column.as_deref(), error.value.as_deref()),
        (Some(2), Some("ideal"), Some("2"))
    );
}

#[test]
fn long_shift_without_break() {
    let bundle = Bundle::new();
    bundle.write("shifts.csv", "code,name,start,end\nD,Dag,07:00,15:45\nN,Natt,21:15,07:00\n");
    let errors = bundle.errors();
    let of_file: Vec<_> = errors.iter().filter(|e| e.file == "shifts.csv").collect();
    assert_eq!(of_file.len(), 2, "{errors:#?}");
    assert_eq!((of_file[0].line, of_file[0].column.as_deref()), (Some(2), Some("break_minutes")));
    assert!(of_file[0].message_en.contains("needs a break"), "{}", of_file[0]);
}

#[test]
fn demand_days_in_both_languages() {
    let bundle = Bundle::new();
    bundle.write("demand.csv", "day,shift,min\nmon,D,1\nsön,D,2\nhelgdag,D,3\nholiday,N,1\n2026-03-25,D,4\n");
    let problem = bundle.problem();
    let days: Vec<DemandDay> = problem.demand.iter().map(|d| d.day).collect();
    assert_eq!(
        days,
        vec![
            DemandDay::Weekday(jiff::civil::Weekday::Monday),
            DemandDay::Weekday(jiff::civil::Weekday::Sunday),
            DemandDay::Holiday,
            DemandDay::Holiday,
            DemandDay::Date(date(2026, 3, 25)),
        ]
    );
}

#[test]
fn history_outside_window() {
    let bundle = Bundle::new();
    // The period starts 2026-03-23 and preset ab counts 14 days of history.
    bundle.write(
        "history.csv",
        "employee,date,shift\n1001,2026-03-22,D\n1001,2026-03-01,D\n1002,2026-03-23,D\n",
    );
    let errors = bundle.errors();
    let lines: Vec<_> = errors.iter().filter(|e| e.file == "history.csv").map(|e| e.line).collect();
    assert_eq!(lines, vec![Some(3), Some(4)], "{errors:#?}");
}

#[test]
fn absences_and_skill_grants() {
    let bundle = Bundle::new();
    bundle.write("absences.csv", "anställd,från,till,typ\n1001,2026-03-24,2026-03-26,semester\n");
    bundle.write("skills.csv", "employee,skill,valid_from,valid_to\n1002,delegering,2026-03-01,2026-03-31\n");
    let problem = bundle.problem();
    assert_eq!(problem.absences[0].to, date(2026, 3, 26));
    assert_eq!(problem.skill_grants[0].skill, "delegering");

    bundle.write("absences.csv", "employee,from,to\n1001,2026-03-26,2026-03-24\n");
    let errors = bundle.errors();
    let error = only_error(&errors, "absences.csv");
    assert_eq!((error.line, error.column.as_deref()), (Some(2), Some("to")));
}

#[test]
fn errors_across_files_reported_together() {
    let bundle = Bundle::new();
    bundle.write("unit.toml", "name = \"X\"\nperiod_start = \"2026-03-23\"\nweeks = 0\n");
    bundle.write("staff.csv", "id,name,employment_percent\n1001,Anna,abc\n1002,Erik,50\n");
    bundle.write(
        "shifts.csv",
        "code,name,start,end,break_minutes\nD,Dag,07:00,25:00,30\nN,Natt,21:15,07:00,45\n",
    );
    bundle.write("wishes.csv", "employee,date,kind\n1001,46083,off\n7777,2026-03-24,off\n");
    bundle.remove("demand.csv");
    let errors = bundle.errors();
    let files: Vec<&str> = errors.iter().map(|e| e.file.as_str()).collect();
    assert_eq!(
        files,
        vec!["unit.toml", "staff.csv", "shifts.csv", "demand.csv", "wishes.csv", "wishes.csv"],
        "{errors:#?}"
    );
    assert!(errors[4].message_en.contains("2026-03-02"), "{}", errors[4]);
    assert_eq!(errors[5].value.as_deref(), Some("7777"));
}

#[test]
fn example_bundles_read() {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let Ok(entries) = std::fs::read_dir(&examples) else {
        return;
    };
    for entry in entries.flatten() {
        let dir = entry.path();
        if !dir.join("unit.toml").is_file() {
            continue;
        }
        match turnus_io::read_bundle(&dir) {
            Ok((problem, warnings)) => {
                assert!(warnings.is_empty(), "{}: {warnings:?}", dir.display());
                assert!(!problem.employees.is_empty(), "{}", dir.display());
            }
            Err(errors) => panic!("{} rejected:\n{errors}", dir.display()),
        }
    }
}
