//! The router and the state every handler shares. Routes live in one module per area.

mod audit;
mod import;
mod jobs;
mod periods;
mod units;
mod versions;
mod wishes;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde_json::json;
use turnus_store::Store;

use crate::auth;
use crate::config::ServerConfig;
use crate::error::ApiResult;

/// The solver settings of a job's parameters; defaults for unreadable ones.
pub(crate) fn jobs_params(params: &serde_json::Value) -> jobs::SolveParams {
    serde_json::from_value(params.clone()).unwrap_or_default()
}

/// What handlers share: the store and the settings.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: ServerConfig,
    /// A hash of a random password, verified when a login names an unknown user so the
    /// answer takes as long as for a known one.
    pub(crate) dummy_hash: String,
}

impl AppState {
    pub fn new(store: Store, config: ServerConfig) -> AppState {
        let dummy_hash = auth::hash_password("turnus-dummy-password").unwrap_or_default();
        AppState { store, config, dummy_hash }
    }
}

/// The whole API under `/api/v1`.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let api = Router::new()
        .route("/health", get(health))
        .route("/login", post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/tokens", get(auth::list_tokens).post(auth::create_token))
        .route("/tokens/{id}", delete(auth::revoke_token))
        .route("/users", post(units::create_user))
        .route("/units", get(units::list_units).post(units::create_unit))
        .route("/units/{unit}", get(units::get_unit))
        .route("/units/{unit}/grants", get(units::list_grants).post(units::grant_role))
        .route("/units/{unit}/import", post(import::import_bundle))
        .route("/units/{unit}/periods", get(periods::list_periods))
        .route("/units/{unit}/periods/{period}", get(periods::get_period))
        .route("/units/{unit}/periods/{period}/transition", post(periods::transition))
        .route("/units/{unit}/periods/{period}/solve", post(jobs::solve))
        .route("/units/{unit}/periods/{period}/publish", post(versions::publish))
        .route("/units/{unit}/periods/{period}/versions", get(versions::list_versions))
        .route("/units/{unit}/periods/{period}/published", get(versions::published))
        .route("/units/{unit}/periods/{period}/pins", put(periods::set_pin))
        .route("/units/{unit}/periods/{period}/pins/{employee}/{date}", delete(periods::remove_pin))
        .route("/units/{unit}/periods/{period}/events", get(periods::list_events).post(periods::add_event))
        .route("/units/{unit}/periods/{period}/wishes", get(wishes::list_wishes).post(wishes::add_wish))
        .route("/units/{unit}/periods/{period}/jobs", get(jobs::list_jobs))
        .route("/units/{unit}/wishes/{wish}", put(wishes::update_wish).delete(wishes::delete_wish))
        .route("/units/{unit}/versions/{version}", get(versions::get_version))
        .route("/units/{unit}/assignments/{assignment}", put(versions::update_assignment))
        .route("/units/{unit}/jobs/{job}", get(jobs::get_job))
        .route("/units/{unit}/jobs/{job}/cancel", post(jobs::cancel_job))
        .route("/units/{unit}/jobs/{job}/events", get(jobs::job_events))
        .route("/units/{unit}/audit", get(audit::unit_audit))
        .route("/audit", get(audit::all_audit))
        .route("/audit/verify", get(audit::verify));
    Router::new()
        .nest("/api/v1", api)
        .layer(axum::middleware::from_fn(crate::lang::localize))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// `GET /api/v1/health`: the database answers and its schema version.
async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> ApiResult<Json<serde_json::Value>> {
    let health = state.store.health().await?;
    Ok(Json(json!({
        "status": "ok",
        "backend": format!("{:?}", health.backend).to_lowercase(),
        "schema_version": health.schema_version,
    })))
}
