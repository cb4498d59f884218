//! The set-up that the page, accessibility and browser tests share: a store on a fresh
//! SQLite file with the sample bundle imported into one unit, and users with roles on it.

use std::path::Path;

use turnus_store::{Actor, Change, NewUnit, NewUser, PeriodId, Role, Store, UnitId};

/// The sample unit `Linden` of the organisation `Testkommun`, imported from
/// `examples/sarskilt-boende`, with the store that contains it.
pub struct SampleUnit {
    pub store: Store,
    pub unit: UnitId,
    /// The period that the import created, in state draft.
    #[allow(dead_code, reason = "the page tests name the period by its number")]
    pub period: PeriodId,
    /// The change that the set-up's audit rows name.
    pub change: Change,
    /// The folder of the SQLite file, removed when the sample is dropped.
    pub dir: tempfile::TempDir,
}

/// A test user: the user name, whether they are an admin, and their role on the sample unit
/// with the employee that a medarbetare is linked to.
pub type TestUser = (&'static str, bool, Option<Role>, Option<&'static str>);

/// Creates the sample unit in a new store. `actor` names the system actor of the set-up's
/// audit rows.
pub async fn sample_unit(actor: &str) -> SampleUnit {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("turnus.db").display());
    let store = Store::open(&url).await.expect("open SQLite store");
    let change = Change::by(Actor::System(actor.into()));

    let org = store.create_org("Testkommun", &change).await.expect("organisation");
    let new_unit = NewUnit {
        name: "Linden".into(),
        time_zone: "Europe/Stockholm".into(),
        preset: turnus_core::Preset::Ab,
    };
    let unit = store.create_unit(org.id, &new_unit, &change).await.expect("unit");
    let bundle = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/sarskilt-boende");
    let (problem, _) = turnus_io::read_bundle(&bundle).expect("sample bundle reads");
    let period = store.import_problem(unit.id, &problem, &change).await.expect("import");
    SampleUnit { store, unit: unit.id, period: period.id, change, dir }
}

impl SampleUnit {
    /// Creates each user with the password that `password` returns for their name, and
    /// grants their role on the sample unit.
    pub async fn add_users(&self, users: &[TestUser], password: impl Fn(&str) -> String) {
        for &(name, admin, role, employee) in users {
            let hash = turnus_server::hash_password(&password(name)).expect("hash");
            let new_user = NewUser { username: name.into(), password_hash: hash, is_admin: admin };
            let user = self.store.create_user(&new_user, &self.change).await.expect("user");
            if let Some(role) = role {
                self.store.grant_role(user.id, self.unit, role, employee, &self.change).await.expect("grant");
            }
        }
    }
}
