//! The audit log for chefs (their units) and admins (everything), and its verification.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;
use turnus_store::{AuditQuery, AuditRecord, AuditVerification, UnitId};

use super::AppState;
use crate::access::{self, MANAGERS};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};

/// Paging of audit lists.
#[derive(Debug, Deserialize)]
pub struct Page {
    pub after_seq: Option<i64>,
    /// At most 1000; 100 when absent.
    pub limit: Option<u32>,
}

/// `GET /api/v1/units/{unit}/audit` (chef).
pub async fn unit_audit(
    State(state): State<AppState>,
    caller: Caller,
    Path(unit): Path<i64>,
    Query(page): Query<Page>,
) -> ApiResult<Json<Vec<AuditRecord>>> {
    let access = access::require(&caller, UnitId(unit), MANAGERS)?;
    let query = AuditQuery {
        unit: Some(access.unit),
        entity: None,
        after_seq: page.after_seq,
        limit: page.limit.unwrap_or(0),
    };
    Ok(Json(state.store.list_audit(&query).await?))
}

fn require_admin(caller: &Caller) -> ApiResult<()> {
    if caller.user.is_admin {
        Ok(())
    } else {
        Err(ApiError::forbidden("Bara administratörer läser hela loggen", "Only admins read the whole log"))
    }
}

/// `GET /api/v1/audit` (admin).
pub async fn all_audit(
    State(state): State<AppState>,
    caller: Caller,
    Query(page): Query<Page>,
) -> ApiResult<Json<Vec<AuditRecord>>> {
    require_admin(&caller)?;
    let query =
        AuditQuery { unit: None, entity: None, after_seq: page.after_seq, limit: page.limit.unwrap_or(0) };
    Ok(Json(state.store.list_audit(&query).await?))
}

/// `GET /api/v1/audit/verify` (admin): walks the hash chain.
pub async fn verify(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<AuditVerification>> {
    require_admin(&caller)?;
    Ok(Json(state.store.verify_audit().await?))
}
