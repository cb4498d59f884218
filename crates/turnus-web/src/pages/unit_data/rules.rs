//! The form of the unit's rule parameters and soft-goal weights.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::{Form, Json};
use serde_json::{Map, Value, json};
use turnus_server::routes::AppState;
use turnus_server::routes::unit_data as api;
use turnus_server::{ApiError, Caller, JsonBody};

use super::*;
use crate::ui::{Ui, WebResult, redirect};

/// The numeric `[rules]` keys in the order the form shows them; pairs are split into two
/// fields named `days_off.min` and so on.
const RULE_FIELDS: [&str; 14] = [
    "daily_rest_hours",
    "weekly_rest_hours",
    "max_average_weekly_hours",
    "max_work_without_break_hours",
    "max_consecutive_days",
    "days_off.min",
    "days_off.per",
    "weekends.max",
    "weekends.of",
    "history_days",
    "full_time_hours",
    "hours_tolerance",
    "publish_notice_days",
    "night_work_max_hours",
];

const WEIGHT_FIELDS: [&str; 12] =
    ["S1", "S2", "S2_over", "S3", "S4", "S5", "S6", "S7", "S8", "S9", "S10", "S12"];

fn value_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Number(number) => number.as_f64().map(number_text).unwrap_or_else(|| number.to_string()),
        other => other.to_string(),
    }
}

fn rules_values(view: &RulesView) -> Posted {
    let mut values = vec![("preset".to_string(), view.preset.to_string())];
    for key in RULE_FIELDS {
        let value = match key.split_once('.') {
            Some((pair, part)) => value_text(&view.rules[pair][part]),
            None => value_text(view.rules.get(key).unwrap_or(&Value::Null)),
        };
        values.push((key.to_string(), value));
    }
    values.push(("night_work".into(), value_text(view.rules.get("night_work").unwrap_or(&Value::Null))));
    for key in WEIGHT_FIELDS {
        values.push((format!("weight_{key}"), value_text(view.weights.get(key).unwrap_or(&Value::Null))));
    }
    values
}

#[allow(clippy::too_many_arguments)]
async fn rules_page(
    ui: &Ui,
    caller: &Caller,
    unit_name: String,
    unit: i64,
    values: &Posted,
    row_version: i64,
    saved: bool,
    error: Option<ApiError>,
) -> WebResult<Response> {
    let t = ui.t;
    let value = |name: &str| posted(values, name).to_string();
    let mut preset = FieldView::text("preset", t.t("data.f_preset").into(), value("preset"));
    preset.kind = "select";
    preset.options = ["ab", "atl", "benchmark"]
        .iter()
        .map(|p| (p.to_string(), t.t(&format!("data.preset_{p}")).to_string()))
        .collect();
    let mut night = FieldView::text("night_work", t.t("data.r_night_work").into(), value("night_work"));
    night.kind = "select";
    night.options = ["off", "average", "hard"]
        .iter()
        .map(|m| (m.to_string(), t.t(&format!("data.night_{m}")).to_string()))
        .collect();
    let mut params = vec![preset];
    for key in RULE_FIELDS {
        let label = t.t(&format!("data.r_{}", key.replace('.', "_"))).to_string();
        params.push(FieldView::text(key, label, value(key)).decimal());
    }
    // The night-work mode comes before its hours.
    let at = params.iter().position(|f| f.name == "night_work_max_hours").unwrap_or(params.len());
    params.insert(at, night);
    let weights = WEIGHT_FIELDS
        .iter()
        .map(|key| {
            let name = format!("weight_{key}");
            FieldView::text(&name, t.t(&format!("data.w_{}", key.to_lowercase())).to_string(), value(&name))
                .numeric()
        })
        .collect();
    let groups = vec![
        GroupView { legend: t.t("data.params").into(), help: String::new(), fields: params },
        GroupView { legend: t.t("data.weights").into(), help: String::new(), fields: weights },
    ];
    let field_of = |field: &str| {
        if WEIGHT_FIELDS.contains(&field) {
            format!("weight_{field}")
        } else if field == "days_off" || field == "weekends" {
            // A pair's message goes next to its first field.
            let first = if field == "days_off" { "min" } else { "max" };
            format!("{field}.{first}")
        } else {
            field.to_string()
        }
    };
    let mut form = DataForm::new(
        ui,
        caller,
        t.t("data.rules").into(),
        unit_name,
        format!("/units/{unit}/rules"),
        format!("/units/{unit}"),
    );
    form.help = t.t("data.h_rules").into();
    form.row_version = Some(row_version);
    form.saved = saved;
    form.render(groups, error.as_ref(), field_of)
}

/// `GET /units/{unit}/rules`.
pub async fn rules_form(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Query(saved): Query<Saved>,
) -> WebResult<Response> {
    let caller = caller?;
    let Json(view) = api::get_rules(State(state.clone()), caller.clone(), Path(unit)).await?;
    let name = unit_name(&state, &caller, unit).await?;
    rules_page(&ui, &caller, name, unit, &rules_values(&view), view.row_version, saved.saved.is_some(), None)
        .await
}

/// `POST /units/{unit}/rules`.
pub async fn save_rules(
    State(state): State<AppState>,
    ui: Ui,
    caller: Result<Caller, ApiError>,
    Path(unit): Path<i64>,
    Form(fields): Form<Posted>,
) -> WebResult<Response> {
    let caller = caller?;
    let mut rules = Map::new();
    for key in RULE_FIELDS.iter().chain(&["night_work"]) {
        rules.insert(key.to_string(), Value::String(posted(&fields, key).to_string()));
    }
    let weights: Map<String, Value> = WEIGHT_FIELDS
        .iter()
        .map(|key| (key.to_string(), Value::String(posted(&fields, &format!("weight_{key}")).to_string())))
        .collect();
    let body = json!({ "preset": posted(&fields, "preset"), "rules": rules, "weights": weights });
    let version = posted(&fields, "row_version").trim().parse().unwrap_or(0);
    let result = api::update_rules(
        State(state.clone()),
        caller.clone(),
        Path(unit),
        if_match(&fields),
        JsonBody(body),
    )
    .await;
    let Some(error) = form_rejection(result)? else {
        return Ok(redirect(&ui, &format!("/units/{unit}/rules?saved=1")));
    };
    let name = unit_name(&state, &caller, unit).await?;
    rules_page(&ui, &caller, name, unit, &fields, version, false, Some(error)).await
}
