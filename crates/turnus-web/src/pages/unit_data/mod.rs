//! Pages that list and edit a unit's name, staff, shift types, demand rows and rule
//! parameters.
//! Each form posts to a handler here, which calls the API's handler with the same fields,
//! so the roles, If-Match check and the bundle reader's messages are the API's. An invalid
//! value comes back with its message next to its field.

use askama::Template;
use axum::http::header::IF_MATCH;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Map, Value};
use turnus_server::access::{self, PLANNERS};
use turnus_server::routes::AppState;
use turnus_server::routes::unit_data::{DemandView, EmployeeView, RulesView, ShiftTypeView};
use turnus_server::{ApiError, Caller};
use turnus_store::UnitId;

use crate::i18n::Texts;
use crate::ui::{Chrome, Ui, WebResult, detail_line, page, page_with, user_error};

mod demand;
mod rules;
mod settings;
mod shifts;
mod staff;

pub use demand::{create_demand, delete_demand, demand_form, demand_list, new_demand_form, update_demand};
pub use rules::{rules_form, save_rules};
pub use settings::{save_settings, settings_form};
pub use shifts::{create_shift, new_shift_form, set_shift_activity, shift_form, shift_list, update_shift};
pub use staff::{
    create_employee, employee_form, new_employee_form, set_employee_activity, staff_list, update_employee,
};

/// One input of a form.
pub struct FieldView {
    /// The form field name, also the id suffix: `f-NAME`, help `h-NAME`, error `e-NAME`.
    pub name: String,
    pub label: String,
    pub value: String,
    /// `text`, `checkbox` or `select`.
    pub kind: &'static str,
    /// The `inputmode` hint for phone keyboards: `text`, `decimal` or `numeric`.
    pub inputmode: &'static str,
    pub options: Vec<(String, String)>,
    pub help: String,
    pub error: Option<String>,
    pub readonly: bool,
    pub required: bool,
}

impl FieldView {
    fn text(name: &str, label: String, value: String) -> FieldView {
        FieldView {
            name: name.to_string(),
            label,
            value,
            kind: "text",
            inputmode: "text",
            options: Vec::new(),
            help: String::new(),
            error: None,
            readonly: false,
            required: false,
        }
    }

    fn decimal(mut self) -> FieldView {
        self.inputmode = "decimal";
        self
    }

    fn numeric(mut self) -> FieldView {
        self.inputmode = "numeric";
        self
    }

    fn help(mut self, help: &str) -> FieldView {
        self.help = help.to_string();
        self
    }

    fn required(mut self) -> FieldView {
        self.required = true;
        self
    }
}

/// A group of fields with its legend.
pub struct GroupView {
    pub legend: String,
    pub help: String,
    pub fields: Vec<FieldView>,
}

/// The change that an activity button of an employee or shift type posts, named by the
/// last segment of its path: `…/deactivate` or `…/reactivate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Activity {
    Deactivate,
    Reactivate,
}

impl Activity {
    /// Reads the last segment of an activity path. Any other segment names no page, so it
    /// gets the 404 error page in the user's language.
    fn parse(segment: &str) -> WebResult<Activity> {
        match segment {
            "deactivate" => Ok(Activity::Deactivate),
            "reactivate" => Ok(Activity::Reactivate),
            other => Err(user_error(StatusCode::NOT_FOUND, "error.unknown_action", other)),
        }
    }

    /// Returns whether the row is active after the change.
    fn active(self) -> bool {
        self == Activity::Reactivate
    }
}

/// The second form of an edit page: deactivate or delete.
pub struct RemoveView {
    pub action: String,
    pub label: String,
    pub help: String,
}

#[derive(Template)]
#[template(path = "data_form.html")]
struct DataForm {
    ui: Chrome,
    t: Texts,
    title: String,
    unit_name: String,
    help: String,
    action: String,
    row_version: Option<i64>,
    groups: Vec<GroupView>,
    saved: bool,
    error: Option<String>,
    /// Errors that belong to no field of the form.
    general: Vec<String>,
    remove: Option<RemoveView>,
    /// The reason that the fields cannot be changed, such as a deactivated row. With a
    /// reason the page shows the fields disabled and no save button.
    locked: Option<String>,
    back: String,
}

impl DataForm {
    /// Starts a form page without help text, row version, saved notice or second form.
    fn new(
        ui: &Ui,
        caller: &Caller,
        title: String,
        unit_name: String,
        action: String,
        back: String,
    ) -> DataForm {
        DataForm {
            ui: Chrome::new(ui, Some(caller)),
            t: ui.t,
            title,
            unit_name,
            help: String::new(),
            action,
            row_version: None,
            groups: Vec::new(),
            saved: false,
            error: None,
            general: Vec::new(),
            remove: None,
            locked: None,
            back,
        }
    }

    /// Renders the page with `groups`, each detail of `error` next to its field
    /// (`field_of` maps the API's field name to the form's), and the status of the error.
    fn render(
        mut self,
        mut groups: Vec<GroupView>,
        error: Option<&ApiError>,
        field_of: impl Fn(&str) -> String,
    ) -> WebResult<Response> {
        let (message, general) = place_errors(&self.t, error, &mut groups, field_of);
        self.groups = groups;
        self.error = message;
        self.general = general;
        match error {
            Some(error) => page_with(error.status, &self),
            None => page(&self),
        }
    }
}

/// A row of a list page.
pub struct ListRow {
    pub key: String,
    pub cells: Vec<String>,
    pub href: String,
    pub edit_label: String,
    pub inactive: bool,
    /// A button beside the edit link, such as the one that reactivates a deactivated row.
    pub button: Option<RowButton>,
}

/// A button of a list row that posts the row's version to `action`.
pub struct RowButton {
    pub action: String,
    pub label: String,
    /// The accessible name, which names the row, because every row has the same label.
    pub aria_label: String,
    pub row_version: i64,
}

#[derive(Template)]
#[template(path = "data_list.html")]
struct DataList {
    ui: Chrome,
    t: Texts,
    title: String,
    unit_id: i64,
    unit_name: String,
    saved: bool,
    new_href: String,
    new_label: String,
    headers: Vec<String>,
    rows: Vec<ListRow>,
}

/// The parts of a list page besides its rows: the text keys of the title and of the link
/// to add a row, the path of that link below the unit, and the column headers (keys under
/// `data.`).
struct ListSpec {
    title: &'static str,
    new_label: &'static str,
    new_path: &'static str,
    headers: &'static [&'static str],
}

/// Renders a list page of the unit's rows.
async fn list_page(
    state: &AppState,
    ui: &Ui,
    caller: &Caller,
    unit: i64,
    saved: &Saved,
    spec: ListSpec,
    rows: Vec<ListRow>,
) -> WebResult<Response> {
    let t = ui.t;
    page(&DataList {
        ui: Chrome::new(ui, Some(caller)),
        t,
        title: t.t(spec.title).to_string(),
        unit_id: unit,
        unit_name: unit_name(state, caller, unit).await?,
        saved: saved.saved.is_some(),
        new_href: format!("/units/{unit}/{}", spec.new_path),
        new_label: t.t(spec.new_label).to_string(),
        headers: spec.headers.iter().map(|k| t.t(&format!("data.{k}")).to_string()).collect(),
        rows,
    })
}

#[derive(Debug, Default, Deserialize)]
pub struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

/// The form's fields as posted, by name.
type Posted = Vec<(String, String)>;

fn posted<'a>(fields: &'a Posted, name: &str) -> &'a str {
    fields.iter().find(|(key, _)| key == name).map_or("", |(_, value)| value.as_str())
}

fn if_match(fields: &Posted) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", posted(fields, "row_version").trim())) {
        headers.insert(IF_MATCH, value);
    }
    headers
}

/// Returns the row version that a form posted back, if it is a number.
fn posted_row_version(fields: &Posted) -> Option<i64> {
    posted(fields, "row_version").trim().parse().ok()
}

/// Builds an API body of the posted fields `names`, each as text for the API's readers.
fn text_body(names: &[&str], fields: &Posted) -> Value {
    let object: Map<String, Value> = names
        .iter()
        .map(|name| (name.to_string(), Value::String(posted(fields, name).to_string())))
        .collect();
    Value::Object(object)
}

fn number_text(value: f64) -> String {
    let text = format!("{value}");
    text.replace('.', ",")
}

/// Places each detail of a 422 error next to its field (`field_of` maps the API's field
/// name to the form's). Returns the message and the details that match no field, or
/// nothing when there is no error.
fn place_errors(
    t: &Texts,
    error: Option<&ApiError>,
    groups: &mut [GroupView],
    field_of: impl Fn(&str) -> String,
) -> (Option<String>, Vec<String>) {
    let Some(error) = error else {
        return (None, Vec::new());
    };
    let body = error.render(t.lang);
    let message = body["message"].as_str().unwrap_or_default().to_string();
    let mut general = Vec::new();
    for detail in body["details"].as_array().into_iter().flatten() {
        let text = detail["message"].as_str().unwrap_or_default().to_string();
        let target = detail["field"].as_str().map(&field_of);
        let field =
            groups.iter_mut().flat_map(|g| g.fields.iter_mut()).find(|f| Some(&f.name) == target.as_ref());
        match field {
            Some(field) => {
                field.error = Some(match field.error.take() {
                    Some(earlier) => format!("{earlier} {text}"),
                    None => text,
                });
            }
            None => general.push(detail_line(detail)),
        }
    }
    (Some(message), general)
}

/// Sorts the result of a form's API call: `Ok(None)` when it was saved, `Ok(Some(error))`
/// for an error the form shows next to its fields, and `Err` for one that gets an error
/// page (a missing row, or a server fault).
fn form_rejection<T>(result: Result<T, ApiError>) -> WebResult<Option<ApiError>> {
    match result {
        Ok(_) => Ok(None),
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            Ok(Some(error))
        }
        Err(error) => Err(error.into()),
    }
}

async fn unit_name(state: &AppState, caller: &Caller, unit: i64) -> WebResult<String> {
    let access = access::require(caller, UnitId(unit), PLANNERS)?;
    Ok(state.store.get_unit(access.unit).await?.name)
}

fn yes_no(t: &Texts, yes: bool) -> String {
    t.t(if yes { "data.yes" } else { "data.no" }).to_string()
}
