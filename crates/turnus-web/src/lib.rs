//! The Turnus web pages: server-rendered HTML (askama templates, htmx for partial updates)
//! in Swedish by default and English by a switch, mounted next to the `/api/v1` routes.
//! Pages call the API's handlers and access checks as functions, so sessions, the Origin
//! check and the role scoping per unit are the API's own.

mod assets;
mod i18n;
mod pages;
mod ui;

pub use i18n::Texts;
pub use ui::LANG_COOKIE;

use axum::Router;
use axum::routing::{get, post};
use turnus_server::routes::AppState;

/// The web pages alone, with their state.
pub fn router(state: AppState) -> Router {
    use pages::*;
    Router::new()
        .route("/", get(start::start))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang", get(auth::switch_lang))
        .route("/my", get(staff::my_schedule))
        .route("/audit", get(audit::all_audit))
        .route("/units/{unit}", get(unit::unit_page))
        .route("/units/{unit}/import", post(unit::import))
        .route("/units/{unit}/audit", get(audit::unit_audit))
        .route("/units/{unit}/periods/{period}", get(grid::grid_page))
        .route("/units/{unit}/periods/{period}/transition", post(unit::transition))
        .route("/units/{unit}/periods/{period}/optimize", post(grid::optimize))
        .route("/units/{unit}/periods/{period}/compare", get(grid::compare))
        .route("/units/{unit}/periods/{period}/publish", get(publish::dialog).post(publish::publish))
        .route("/units/{unit}/periods/{period}/wishes", get(staff::wishes_form).post(staff::save_wishes))
        .route("/units/{unit}/periods/{period}/my.ics", get(staff::my_ics))
        .route("/units/{unit}/periods/{period}/follow-up", get(followup::follow_up))
        .route("/units/{unit}/versions/{version}/cell", get(grid::cell_editor).post(grid::save_cell))
        // The staff view's calendar subscription.
        .route("/my/calendar/{unit}", post(feed::create_feed))
        .route("/my/calendar/{unit}/revoke", post(feed::revoke_feed))
        // A unit's staff, shift types, demand and rule parameters.
        .route("/units/{unit}/staff", get(unit_data::staff_list))
        .route(
            "/units/{unit}/new-employee",
            get(unit_data::new_employee_form).post(unit_data::create_employee),
        )
        .route(
            "/units/{unit}/staff/{employee}",
            get(unit_data::employee_form).post(unit_data::update_employee),
        )
        // `{activity}` is `deactivate` or `reactivate`.
        .route("/units/{unit}/staff/{employee}/{activity}", post(unit_data::set_employee_activity))
        .route("/units/{unit}/shift-types", get(unit_data::shift_list))
        .route("/units/{unit}/new-shift-type", get(unit_data::new_shift_form).post(unit_data::create_shift))
        .route("/units/{unit}/shift-types/{code}", get(unit_data::shift_form).post(unit_data::update_shift))
        .route("/units/{unit}/shift-types/{code}/{activity}", post(unit_data::set_shift_activity))
        .route("/units/{unit}/demand", get(unit_data::demand_list))
        .route("/units/{unit}/new-demand", get(unit_data::new_demand_form).post(unit_data::create_demand))
        .route("/units/{unit}/demand/{row}", get(unit_data::demand_form).post(unit_data::update_demand))
        .route("/units/{unit}/demand/{row}/delete", post(unit_data::delete_demand))
        .route("/units/{unit}/rules", get(unit_data::rules_form).post(unit_data::save_rules))
        .route("/units/{unit}/settings", get(unit_data::settings_form).post(unit_data::save_settings))
        .route("/static/{file}", get(assets::serve))
        .layer(axum::middleware::from_fn(ui::render_errors))
        .with_state(state)
}

/// The API under `/api/v1` and the web pages: what `turnus serve` runs.
pub fn app(state: AppState) -> Router {
    turnus_server::router(state.clone()).merge(router(state))
}
