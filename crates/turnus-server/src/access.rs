//! Access rules per unit. Admins reach every unit. Other callers reach a unit only through a
//! grant on it: without any grant the unit answers 404, exactly like a unit that does not
//! exist, so a caller cannot probe for other units; with a grant that lacks the role an
//! action needs, the answer is 403.

use turnus_store::{Role, UnitId};

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Roles that manage a unit's schedules: chef and schemaläggare.
pub const PLANNERS: &[Role] = &[Role::Manager, Role::Scheduler];
/// Only the chef.
pub const MANAGERS: &[Role] = &[Role::Manager];
/// Everyone with a grant on the unit.
pub const ANY_ROLE: &[Role] = &[Role::Manager, Role::Scheduler, Role::Staff];

/// What a caller may do on a unit after [`require`] let them in.
#[derive(Debug, Clone)]
pub struct UnitAccess {
    pub unit: UnitId,
    pub is_admin: bool,
    /// The caller's roles on the unit.
    pub roles: Vec<Role>,
    /// The employee id of a staff member's grant.
    pub employee: Option<String>,
}

impl UnitAccess {
    /// Whether the caller plans this unit (admin, chef or schemaläggare).
    pub fn is_planner(&self) -> bool {
        self.is_admin || self.roles.iter().any(|r| PLANNERS.contains(r))
    }
}

/// Lets the caller in to `unit` when they hold one of `allowed` (admins always).
///
/// # Errors
///
/// 404 without any grant on the unit, 403 with a grant that is not in `allowed`.
pub fn require(caller: &Caller, unit: UnitId, allowed: &[Role]) -> ApiResult<UnitAccess> {
    let grants: Vec<_> = caller.roles_on(unit).collect();
    let access = UnitAccess {
        unit,
        is_admin: caller.user.is_admin,
        roles: grants.iter().map(|g| g.role).collect(),
        employee: grants.iter().find_map(|g| g.employee.clone()),
    };
    if access.is_admin || access.roles.iter().any(|r| allowed.contains(r)) {
        return Ok(access);
    }
    if grants.is_empty() {
        return Err(ApiError::not_found("Enheten", "The unit"));
    }
    Err(ApiError::forbidden(
        "Din roll på enheten tillåter inte detta",
        "Your role on the unit does not allow this",
    ))
}
