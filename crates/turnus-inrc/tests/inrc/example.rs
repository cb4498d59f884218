//! The organisers' example solution for n005w4, history 0, weeks 1-2-3-3: the evaluator must
//! reproduce the validator's breakdown and total of 1695.

use std::path::{Path, PathBuf};

use turnus_inrc::{InstanceName, evaluate, read_instance, read_solution};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

#[test]
fn organiser_example_scores_1695() {
    let name = InstanceName::parse("n005w4_0_1-2-3-3").expect("valid name");
    let instance = read_instance(&data(), &name).expect("instance reads");
    let assignments =
        read_solution(&data().join("Solution_H_0-WD_1-2-3-3"), &instance).expect("solution reads");
    let evaluation = evaluate(&instance, &assignments);
    let b = evaluation.breakdown;
    assert_eq!(b.hard(), 0);
    assert_eq!(b.total_assignments, 320);
    assert_eq!(b.consecutive, 465);
    assert_eq!(b.days_off, 330);
    assert_eq!(b.preferences, 70);
    assert_eq!(b.working_weekends, 210);
    assert_eq!(b.complete_weekends, 60);
    assert_eq!(b.optimal_cover, 240);
    assert_eq!(b.total(), 1695);
}
