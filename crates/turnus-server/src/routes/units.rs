//! Units, user accounts and role grants.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use turnus_store::{Grant, NewUnit, NewUser, Role, Unit, UnitId, User, UserId};

use super::AppState;
use crate::JsonBody;
use crate::access::{self, ANY_ROLE, MANAGERS, PLANNERS};
use crate::auth::{Caller, hash_password};
use crate::error::{ApiError, ApiResult};

fn require_admin(caller: &Caller) -> ApiResult<()> {
    if caller.user.is_admin {
        Ok(())
    } else {
        Err(ApiError::forbidden("Bara administratörer får göra detta", "Only admins may do this"))
    }
}

/// Body of `POST /api/v1/units`.
#[derive(Debug, Deserialize)]
pub struct NewUnitRequest {
    pub name: String,
    #[serde(default = "default_time_zone")]
    pub time_zone: String,
    #[serde(default)]
    pub preset: Option<turnus_core::Preset>,
    /// Days before the period start by which schedules must be published.
    pub publish_notice_days: Option<u32>,
}

fn default_time_zone() -> String {
    "Europe/Stockholm".into()
}

/// `POST /api/v1/units` (admin). The unit joins the first organisation, created on first use.
pub async fn create_unit(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<NewUnitRequest>,
) -> ApiResult<(StatusCode, Json<Unit>)> {
    require_admin(&caller)?;
    let change = caller.change();
    let org = match state.store.list_orgs().await?.into_iter().next() {
        Some(org) => org,
        None => state.store.create_org("Kommunen", &change).await?,
    };
    let new = NewUnit {
        name: request.name,
        time_zone: request.time_zone,
        preset: request.preset.unwrap_or(turnus_core::Preset::Ab),
    };
    let mut unit = state.store.create_unit(org.id, &new, &change).await?;
    if let Some(days) = request.publish_notice_days {
        unit = state.store.set_publish_notice_days(unit.id, days, &change).await?;
    }
    Ok((StatusCode::CREATED, Json(unit)))
}

/// `GET /api/v1/units`: every unit for admins, the granted ones for others.
pub async fn list_units(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<Unit>>> {
    let mut units = Vec::new();
    if caller.user.is_admin {
        for org in state.store.list_orgs().await? {
            units.extend(state.store.list_units(org.id).await?);
        }
    } else {
        let mut ids: Vec<UnitId> = caller.grants.iter().map(|g| g.unit_id).collect();
        ids.sort();
        ids.dedup();
        for id in ids {
            units.push(state.store.get_unit(id).await?);
        }
    }
    Ok(Json(units))
}

/// `GET /api/v1/units/{unit}`.
pub async fn get_unit(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
) -> ApiResult<Json<Unit>> {
    let access = access::require(&caller, UnitId(unit), ANY_ROLE)?;
    Ok(Json(state.store.get_unit(access.unit).await?))
}

/// Body of `PUT /api/v1/units/{unit}`.
#[derive(Debug, Deserialize)]
pub struct UnitChange {
    pub name: String,
}

/// `PUT /api/v1/units/{unit}` with `If-Match`: renames the unit.
pub async fn rename_unit(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
    headers: HeaderMap,
    JsonBody(request): JsonBody<UnitChange>,
) -> ApiResult<Json<Unit>> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    let expected = super::versions::expected_row_version(&headers)?;
    Ok(Json(state.store.rename_unit(access.unit, expected, &request.name, &caller.change()).await?))
}

/// Body of `POST /api/v1/users`.
#[derive(Debug, Deserialize)]
pub struct NewUserRequest {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub admin: bool,
}

/// Shortest password accepted, in characters.
pub const MIN_PASSWORD_LEN: usize = 10;

/// Checks a new password's length.
pub fn check_password(password: &str) -> ApiResult<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(ApiError::unprocessable(
            format!("Lösenordet måste ha minst {MIN_PASSWORD_LEN} tecken"),
            format!("The password needs at least {MIN_PASSWORD_LEN} characters"),
        ));
    }
    Ok(())
}

/// `POST /api/v1/users` (admin, or chef for accounts without admin rights).
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(request): JsonBody<NewUserRequest>,
) -> ApiResult<(StatusCode, Json<User>)> {
    let is_chef = caller.grants.iter().any(|g| g.role == Role::Manager);
    if !(caller.user.is_admin || (is_chef && !request.admin)) {
        return Err(ApiError::forbidden(
            "Bara administratörer och chefer skapar konton",
            "Only admins and chefs create accounts",
        ));
    }
    check_password(&request.password)?;
    let password = request.password.clone();
    let password_hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|_| ApiError::internal())?;
    let user = NewUser { username: request.username, password_hash, is_admin: request.admin };
    let created = state.store.create_user(&user, &caller.change()).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Body of `POST /api/v1/units/{unit}/grants`.
#[derive(Debug, Deserialize)]
pub struct GrantRequest {
    pub user_id: i64,
    /// `chef`, `schemaläggare` or `medarbetare`.
    pub role: String,
    /// The employee id a medarbetare is.
    pub employee: Option<String>,
}

pub fn parse_role(text: &str) -> ApiResult<Role> {
    match text.trim().to_lowercase().as_str() {
        "chef" | "manager" => Ok(Role::Manager),
        "schemaläggare" | "schemalaggare" | "scheduler" => Ok(Role::Scheduler),
        "medarbetare" | "staff" => Ok(Role::Staff),
        other => Err(ApiError::unprocessable(
            format!("Okänd roll {other:?}; använd chef, schemaläggare eller medarbetare"),
            format!("Unknown role {other:?}; use chef, schemaläggare or medarbetare"),
        )),
    }
}

/// `POST /api/v1/units/{unit}/grants` (admin or the unit's chef).
pub async fn grant_role(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
    JsonBody(request): JsonBody<GrantRequest>,
) -> ApiResult<(StatusCode, Json<Grant>)> {
    let access = access::require(&caller, UnitId(unit), MANAGERS)?;
    let role = parse_role(&request.role)?;
    let grant = state
        .store
        .grant_role(UserId(request.user_id), access.unit, role, request.employee.as_deref(), &caller.change())
        .await?;
    Ok((StatusCode::CREATED, Json(grant)))
}

/// `GET /api/v1/units/{unit}/grants` (admin or the unit's chef).
pub async fn list_grants(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
) -> ApiResult<Json<Vec<Grant>>> {
    let access = access::require(&caller, UnitId(unit), MANAGERS)?;
    Ok(Json(state.store.list_unit_grants(access.unit).await?))
}
