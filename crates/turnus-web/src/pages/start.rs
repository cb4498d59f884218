//! The start page: per unit, what needs the user's action now (wishes due, a proposal to
//! review, a period to publish), and links to the unit's pages.

use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use jiff::Timestamp;
use turnus_server::access::{self, ANY_ROLE};
use turnus_server::routes::{AppState, periods, units};
use turnus_server::{ApiError, Caller};
use turnus_store::{PeriodState, Role};

use super::{local_time, period_label, state_label};
use crate::i18n::Texts;
use crate::ui::{Chrome, Ui, WebResult, page};

/// Something the user should do, with the link that does it.
pub struct ActionItem {
    pub text: String,
    pub href: String,
    pub button: String,
}

/// One unit on the start page.
pub struct UnitCard {
    pub name: String,
    pub href: String,
    pub is_planner: bool,
    pub is_manager: bool,
    pub actions: Vec<ActionItem>,
    pub periods: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "start.html")]
struct StartPage {
    ui: Chrome,
    t: Texts,
    units: Vec<UnitCard>,
}

/// `GET /`.
pub async fn start(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
) -> WebResult<Response> {
    let caller = caller?;
    let t = ui.t;
    let Json(units) = units::list_units(State(state.clone()), caller.clone()).await?;
    let mut cards = Vec::new();
    for unit in units {
        let access = access::require(&caller, unit.id, ANY_ROLE)?;
        let is_manager = access.is_admin || access.roles.contains(&Role::Manager);
        let is_planner = access.is_planner();
        let Json(unit_periods) =
            periods::list_periods(State(state.clone()), caller.clone(), Path(unit.id.0)).await?;
        let mut actions = Vec::new();
        let mut rows = Vec::new();
        for period in &unit_periods {
            let label = period_label(&t, period);
            let grid = format!("/units/{}/periods/{}", unit.id.0, period.id.0);
            rows.push((
                label.clone(),
                state_label(&t, period.state),
                if is_planner { grid.clone() } else { "/my".into() },
            ));
            let deadline = period.wishes_deadline.map(|d| local_time(d, &unit.time_zone)).unwrap_or_default();
            let open_for_wishes = period.state == PeriodState::WishesOpen
                && period.wishes_deadline.is_some_and(|d| d > Timestamp::now());
            if access.employee.is_some() && open_for_wishes {
                actions.push(ActionItem {
                    text: t.f2("start.wishes_due", &label, &deadline),
                    href: format!("{grid}/wishes"),
                    button: t.t("start.enter_wishes").into(),
                });
            }
            if access.employee.is_some() && period.state.is_published() {
                actions.push(ActionItem {
                    text: t.f1("start.schedule_published", &label),
                    href: "/my".into(),
                    button: t.t("start.see_schedule").into(),
                });
            }
            if !is_planner {
                continue;
            }
            let unit_page = format!("/units/{}", unit.id.0);
            let item = match period.state {
                PeriodState::Draft => {
                    Some((t.f1("start.draft", &label), unit_page, t.t("start.open_wishes")))
                }
                PeriodState::WishesOpen if !open_for_wishes => {
                    Some((t.f1("start.deadline_passed", &label), unit_page, t.t("start.close_wishes")))
                }
                PeriodState::WishesClosed => {
                    Some((t.f1("start.ready_to_solve", &label), grid, t.t("start.to_grid")))
                }
                PeriodState::Proposal => Some((t.f1("start.proposal", &label), grid, t.t("start.to_grid"))),
                PeriodState::Review if is_manager => {
                    Some((t.f1("start.to_publish", &label), grid, t.t("start.publish")))
                }
                PeriodState::Review => Some((t.f1("start.review", &label), grid, t.t("start.to_grid"))),
                _ => None,
            };
            if let Some((text, href, button)) = item {
                actions.push(ActionItem { text, href, button: button.into() });
            }
        }
        cards.push(UnitCard {
            name: unit.name,
            href: format!("/units/{}", unit.id.0),
            is_planner,
            is_manager,
            actions,
            periods: rows,
        });
    }
    page(&StartPage { ui: Chrome::new(&ui, Some(&caller)), t, units: cards })
}
