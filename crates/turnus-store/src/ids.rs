//! Typed row ids, so that a period id cannot be passed where a unit id is expected.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The database id.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}", self.0)
            }
        }
    )*};
}

id_type!(
    /// Id of an organisation (a municipality).
    OrgId,
    /// Id of a unit.
    UnitId,
    /// Id of a schedule period.
    PeriodId,
    /// Id of a wish.
    WishId,
    /// Id of a schedule version.
    VersionId,
    /// Id of an assignment row of a schedule version.
    AssignmentId,
    /// Id of an event recorded after publication.
    EventId,
    /// Id of a user account.
    UserId,
    /// Id of a role grant.
    GrantId,
    /// Id of a login session.
    SessionId,
    /// Id of an API token.
    TokenId,
    /// Id of a job.
    JobId,
);
