//! The router and the state every handler shares. Routes live in one module per area; the
//! handlers are public so that the web pages call them as functions and keep their checks.

pub mod audit;
pub mod calendar;
pub mod export;
pub mod import;
pub mod jobs;
pub mod periods;
pub mod unit_data;
pub mod units;
pub mod versions;
pub mod wishes;

use axum::extract::DefaultBodyLimit;
use axum::http::Method;
use axum::routing::{MethodRouter, delete, get, post, put};
use axum::{Json, Router};
use serde_json::json;
use turnus_store::Store;

use crate::auth;
use crate::config::ServerConfig;
use crate::error::ApiResult;

/// Reads the solver settings from a job's parameters, with defaults for unreadable ones.
pub(crate) fn jobs_params(params: &serde_json::Value) -> jobs::SolveParams {
    serde_json::from_value(params.clone()).unwrap_or_default()
}

/// State shared by handlers: the store and the settings.
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

/// One route: method, path under `/api/v1`, handler, and its description for the OpenAPI
/// document. The router and the document are both built from [`routes`], so every route is
/// documented.
pub(crate) struct Route {
    pub method: Method,
    pub path: &'static str,
    pub handler: MethodRouter<AppState>,
    pub summary: &'static str,
    /// Roles allowed to call the route.
    pub access: &'static str,
    /// The request body: `json`, `multipart` or `none`.
    pub body: &'static str,
}

fn route(
    method: Method,
    path: &'static str,
    handler: MethodRouter<AppState>,
    summary: &'static str,
    access: &'static str,
    body: &'static str,
) -> Route {
    Route { method, path, handler, summary, access, body }
}

/// Every route of the API.
pub(crate) fn routes() -> Vec<Route> {
    use Method as M;
    const ANYONE: &str = "anyone";
    const SIGNED_IN: &str = "signed in";
    const ADMIN: &str = "admin";
    const CHEF: &str = "admin, chef";
    const PLANNER: &str = "admin, chef, schemaläggare";
    const ANY_ROLE: &str = "any role on the unit";
    const OWN_OR_CHEF: &str = "admin, chef, the employee's own medarbetare grant";
    const TOKEN_IN_PATH: &str = "anyone with the secret token";
    vec![
        route(M::GET, "/health", get(health), "Database health and schema version", ANYONE, "none"),
        route(
            M::GET,
            "/openapi.json",
            get(crate::openapi::document),
            "This OpenAPI document",
            ANYONE,
            "none",
        ),
        route(
            M::POST,
            "/login",
            post(auth::login),
            "Sign in with a password; sets the session cookie",
            ANYONE,
            "json",
        ),
        route(M::POST, "/logout", post(auth::logout), "End the cookie's session", SIGNED_IN, "none"),
        route(M::GET, "/me", get(auth::me), "The caller and their grants", SIGNED_IN, "none"),
        route(M::GET, "/tokens", get(auth::list_tokens), "The caller's API tokens", SIGNED_IN, "none"),
        route(M::POST, "/tokens", post(auth::create_token), "Create an API token, shown once", CHEF, "json"),
        route(
            M::DELETE,
            "/tokens/{id}",
            delete(auth::revoke_token),
            "Revoke an API token",
            SIGNED_IN,
            "none",
        ),
        route(M::POST, "/users", post(units::create_user), "Create a user account", CHEF, "json"),
        route(M::GET, "/units", get(units::list_units), "The units the caller can see", SIGNED_IN, "none"),
        route(M::POST, "/units", post(units::create_unit), "Create a unit", ADMIN, "json"),
        route(M::GET, "/units/{unit}", get(units::get_unit), "One unit", ANY_ROLE, "none"),
        route(M::PUT, "/units/{unit}", put(units::rename_unit), "Rename a unit (If-Match)", PLANNER, "json"),
        route(
            M::GET,
            "/units/{unit}/grants",
            get(units::list_grants),
            "The unit's role grants",
            CHEF,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/grants",
            post(units::grant_role),
            "Grant a role on the unit",
            CHEF,
            "json",
        ),
        route(
            M::POST,
            "/units/{unit}/import",
            post(import::import_bundle),
            "Import a bundle as a new period",
            PLANNER,
            "multipart",
        ),
        route(
            M::GET,
            "/units/{unit}/periods",
            get(periods::list_periods),
            "The unit's periods",
            ANY_ROLE,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/periods/{period}",
            get(periods::get_period),
            "One period",
            ANY_ROLE,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/periods/{period}/transition",
            post(periods::transition),
            "Move the period to another workflow state",
            PLANNER,
            "json",
        ),
        route(
            M::POST,
            "/units/{unit}/periods/{period}/solve",
            post(jobs::solve),
            "Queue a solve job",
            PLANNER,
            "json",
        ),
        route(
            M::POST,
            "/units/{unit}/periods/{period}/publish",
            post(versions::publish),
            "Publish a version with the notice-period check",
            CHEF,
            "json",
        ),
        route(
            M::GET,
            "/units/{unit}/periods/{period}/versions",
            get(versions::list_versions),
            "The period's schedule versions",
            PLANNER,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/periods/{period}/published",
            get(versions::published),
            "The published schedule",
            ANY_ROLE,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/periods/{period}/pins",
            get(periods::list_pins),
            "The pinned days a solve keeps",
            PLANNER,
            "none",
        ),
        route(
            M::PUT,
            "/units/{unit}/periods/{period}/pins",
            put(periods::set_pin),
            "Pin a day to a shift or a day off",
            PLANNER,
            "json",
        ),
        route(
            M::DELETE,
            "/units/{unit}/periods/{period}/pins/{employee}/{date}",
            delete(periods::remove_pin),
            "Remove a pin",
            PLANNER,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/periods/{period}/events",
            get(periods::list_events),
            "Events after publication",
            PLANNER,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/periods/{period}/events",
            post(periods::add_event),
            "Record an event after publication",
            PLANNER,
            "json",
        ),
        route(
            M::GET,
            "/units/{unit}/periods/{period}/wishes",
            get(wishes::list_wishes),
            "Wishes (a medarbetare's own only)",
            ANY_ROLE,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/periods/{period}/wishes",
            post(wishes::add_wish),
            "Add a wish",
            ANY_ROLE,
            "json",
        ),
        route(
            M::GET,
            "/units/{unit}/periods/{period}/jobs",
            get(jobs::list_jobs),
            "The period's solve jobs",
            PLANNER,
            "none",
        ),
        route(
            M::PUT,
            "/units/{unit}/wishes/{wish}",
            put(wishes::update_wish),
            "Change a wish (If-Match)",
            ANY_ROLE,
            "json",
        ),
        route(
            M::DELETE,
            "/units/{unit}/wishes/{wish}",
            delete(wishes::delete_wish),
            "Delete a wish (If-Match)",
            ANY_ROLE,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/versions/{version}",
            get(versions::get_version),
            "A version with its assignments",
            ANY_ROLE,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/versions/{version}/export",
            get(export::export_version),
            "A version as schedule.csv, XLSX or iCalendar (published only for a medarbetare)",
            ANY_ROLE,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/employees/{employee}/calendar-token",
            get(calendar::get_token),
            "Whether the employee has a calendar feed address",
            OWN_OR_CHEF,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/employees/{employee}/calendar-token",
            post(calendar::create_token),
            "Create or rotate the employee's calendar feed address, shown once",
            OWN_OR_CHEF,
            "none",
        ),
        route(
            M::DELETE,
            "/units/{unit}/employees/{employee}/calendar-token",
            delete(calendar::revoke_token),
            "Revoke the employee's calendar feed address",
            OWN_OR_CHEF,
            "none",
        ),
        route(
            M::GET,
            "/calendar/{token}",
            get(calendar::feed),
            "An employee's calendar feed by its secret token (no session)",
            TOKEN_IN_PATH,
            "none",
        ),
        route(
            M::PUT,
            "/units/{unit}/assignments/{assignment}",
            put(versions::update_assignment),
            "Change an assignment (If-Match); returns its findings",
            PLANNER,
            "json",
        ),
        route(
            M::GET,
            "/units/{unit}/jobs/{job}",
            get(jobs::get_job),
            "A solve job's state and progress",
            PLANNER,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/jobs/{job}/cancel",
            post(jobs::cancel_job),
            "Cancel a solve job",
            PLANNER,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/jobs/{job}/events",
            get(jobs::job_events),
            "A solve job's progress as server-sent events",
            PLANNER,
            "none",
        ),
        // A unit's staff, shift types, demand and rule parameters, edited in forms.
        route(
            M::GET,
            "/units/{unit}/employees",
            get(unit_data::list_employees),
            "The unit's employees, deactivated ones last",
            PLANNER,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/employees",
            post(unit_data::create_employee),
            "Add an employee, or bring back a deactivated one",
            PLANNER,
            "json",
        ),
        route(
            M::GET,
            "/units/{unit}/employees/{employee}",
            get(unit_data::get_employee),
            "One employee",
            PLANNER,
            "none",
        ),
        route(
            M::PUT,
            "/units/{unit}/employees/{employee}",
            put(unit_data::update_employee),
            "Change an employee (If-Match)",
            PLANNER,
            "json",
        ),
        route(
            M::DELETE,
            "/units/{unit}/employees/{employee}",
            delete(unit_data::deactivate_employee),
            "Deactivate an employee, who stays in earlier schedules (If-Match)",
            PLANNER,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/employees/{employee}/reactivate",
            post(unit_data::reactivate_employee),
            "Reactivate a deactivated employee with their earlier values (If-Match)",
            PLANNER,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/shift-types",
            get(unit_data::list_shift_types),
            "The unit's shift types, deactivated ones last",
            PLANNER,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/shift-types",
            post(unit_data::create_shift_type),
            "Add a shift type, or bring back a deactivated one",
            PLANNER,
            "json",
        ),
        route(
            M::GET,
            "/units/{unit}/shift-types/{code}",
            get(unit_data::get_shift_type),
            "One shift type",
            PLANNER,
            "none",
        ),
        route(
            M::PUT,
            "/units/{unit}/shift-types/{code}",
            put(unit_data::update_shift_type),
            "Change a shift type (If-Match)",
            PLANNER,
            "json",
        ),
        route(
            M::DELETE,
            "/units/{unit}/shift-types/{code}",
            delete(unit_data::deactivate_shift_type),
            "Deactivate a shift type that no demand row uses (If-Match)",
            PLANNER,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/shift-types/{code}/reactivate",
            post(unit_data::reactivate_shift_type),
            "Reactivate a deactivated shift type with its earlier values (If-Match)",
            PLANNER,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/demand",
            get(unit_data::list_demand),
            "The unit's demand rows",
            PLANNER,
            "none",
        ),
        route(
            M::POST,
            "/units/{unit}/demand",
            post(unit_data::create_demand),
            "Add a demand row",
            PLANNER,
            "json",
        ),
        route(
            M::GET,
            "/units/{unit}/demand/{row}",
            get(unit_data::get_demand),
            "One demand row",
            PLANNER,
            "none",
        ),
        route(
            M::PUT,
            "/units/{unit}/demand/{row}",
            put(unit_data::update_demand),
            "Change a demand row (If-Match)",
            PLANNER,
            "json",
        ),
        route(
            M::DELETE,
            "/units/{unit}/demand/{row}",
            delete(unit_data::delete_demand),
            "Delete a demand row (If-Match)",
            PLANNER,
            "none",
        ),
        route(
            M::GET,
            "/units/{unit}/rules",
            get(unit_data::get_rules),
            "The unit's rule parameters and weights",
            PLANNER,
            "none",
        ),
        route(
            M::PUT,
            "/units/{unit}/rules",
            put(unit_data::update_rules),
            "Change the rule parameters and weights (If-Match: the unit's row version)",
            PLANNER,
            "json",
        ),
        route(M::GET, "/units/{unit}/audit", get(audit::unit_audit), "The unit's audit log", CHEF, "none"),
        route(M::GET, "/audit", get(audit::all_audit), "The whole audit log", ADMIN, "none"),
        route(M::GET, "/audit/verify", get(audit::verify), "Check the audit log's hash chain", ADMIN, "none"),
    ]
}

/// The whole API under `/api/v1`.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let mut api = Router::new();
    for route in routes() {
        api = api.route(route.path, route.handler);
    }
    Router::new()
        .nest("/api/v1", api)
        .layer(axum::middleware::from_fn(crate::lang::localize))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// `GET /api/v1/health`: checks that the database responds and returns its schema version.
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
