//! A small valid bundle in a temp folder, for tests to change one file at a time.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use turnus_core::Problem;
use turnus_io::{InputError, InputErrors, read_bundle};

static NEXT: AtomicUsize = AtomicUsize::new(0);

pub const UNIT: &str = "name = \"Testavdelning\"\nperiod_start = \"2026-03-23\"\nweeks = 2\n";
pub const STAFF: &str = "id,name,employment_percent,full_time_hours,skills,night_worker\n\
1001,Anna Lindqvist,100,,usk|natt,nej\n\
1002,Erik Nyström,\"75,5\",,usk,ja\n";
pub const SHIFTS: &str = "code,name,start,end,break_minutes,skill\n\
D,Dag,07:00,15:45,30,\n\
N,Natt,21:15,07:00,45,natt\n";
pub const DEMAND: &str = "day,shift,skill,min,ideal\nmon,D,,1,2\nsat,N,natt,1,\n";
pub const WISHES: &str =
    "employee,date,kind,shift,priority\n1001,2026-03-28,off,,3\n1002,2026-03-30,work,D,\n";

/// A bundle folder that removes itself when dropped.
pub struct Bundle {
    pub dir: PathBuf,
}

impl Bundle {
    /// Creates a valid bundle: unit, staff, shifts, demand and wishes.
    pub fn new() -> Bundle {
        let dir = std::env::temp_dir().join(format!(
            "turnus-io-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("create temp folder");
        let bundle = Bundle { dir };
        bundle.write("unit.toml", UNIT);
        bundle.write("staff.csv", STAFF);
        bundle.write("shifts.csv", SHIFTS);
        bundle.write("demand.csv", DEMAND);
        bundle.write("wishes.csv", WISHES);
        bundle
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) {
        std::fs::write(self.dir.join(name), contents).expect("write bundle file");
    }

    pub fn remove(&self, name: &str) {
        std::fs::remove_file(self.dir.join(name)).expect("remove bundle file");
    }

    pub fn read(&self) -> Result<(Problem, Vec<InputError>), InputErrors> {
        read_bundle(&self.dir)
    }

    /// Returns the problem, failing the test with every error rendered when the bundle is rejected.
    pub fn problem(&self) -> Problem {
        match self.read() {
            Ok((problem, _)) => problem,
            Err(errors) => panic!("bundle rejected:\n{errors}"),
        }
    }

    /// Returns the errors, failing the test when the bundle is accepted.
    pub fn errors(&self) -> Vec<InputError> {
        match self.read() {
            Ok(_) => panic!("bundle accepted, expected errors"),
            Err(errors) => errors.errors,
        }
    }
}

impl Drop for Bundle {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Returns the only error in `errors` for `file`, failing with all of them otherwise.
pub fn only_error<'a>(errors: &'a [InputError], file: &str) -> &'a InputError {
    let of_file: Vec<&InputError> = errors.iter().filter(|e| e.file == file).collect();
    assert_eq!(of_file.len(), 1, "expected one error in {file}, got: {errors:#?}");
    of_file[0]
}
