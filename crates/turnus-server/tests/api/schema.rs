//! Checks response bodies against the OpenAPI document's schemas, with a small validator
//! for the subset of JSON Schema the document uses: `type` (one or a list), `properties`,
//! `required`, `items`, `enum`, `const`, `anyOf`, `oneOf` and `$ref`. An object may carry
//! no property its schema does not list, so a field added to a type without its schema
//! fails the test that first returns it.

use std::sync::OnceLock;

use axum::http::{Method, StatusCode};
use serde_json::Value;

fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(turnus_server::openapi_document)
}

/// Finds the documented path that `path` (under `/api/v1`) matches, segment by segment.
fn operation(method: &Method, path: &str) -> Option<&'static Value> {
    let path = path.strip_prefix("/api/v1")?;
    let segments: Vec<&str> = path.split('/').collect();
    let paths = document()["paths"].as_object()?;
    paths.iter().find_map(|(template, methods)| {
        let parts: Vec<&str> = template.split('/').collect();
        let matches = parts.len() == segments.len()
            && parts.iter().zip(&segments).all(|(part, segment)| part.starts_with('{') || part == segment);
        if matches { methods.get(method.as_str().to_lowercase()) } else { None }
    })
}

/// Panics when a success body does not match its operation's response schema.
pub fn check_response(method: &Method, path: &str, status: StatusCode, body: &Value) {
    let operation =
        operation(method, path).unwrap_or_else(|| panic!("{method} {path} is not in the OpenAPI document"));
    let response = &operation["responses"][status.as_str()];
    let schema = &response["content"]["application/json"]["schema"];
    assert!(schema.is_object(), "{method} {path}: no JSON schema for status {status}");
    if let Err(error) = validate(schema, body, "body") {
        panic!("{method} {path} ({status}) does not match its schema: {error}\n{body:#}");
    }
}

fn resolve(schema: &Value) -> &Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            let found = &document()["components"]["schemas"][name];
            assert!(found.is_object(), "unknown schema {reference}");
            resolve(found)
        }
        None => schema,
    }
}

fn type_matches(name: &str, value: &Value) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => false,
    }
}

/// Checks `value` against `schema`; the error names the JSON path of the first mismatch.
pub fn validate(schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(schema);
    if let Some(options) = schema.get("anyOf").or_else(|| schema.get("oneOf")).and_then(Value::as_array) {
        let errors: Vec<String> = options.iter().filter_map(|o| validate(o, value, at).err()).collect();
        if errors.len() == options.len() {
            return Err(format!("{at}: matches no alternative ({})", errors.join("; ")));
        }
        if schema.get("oneOf").is_some() && options.len() - errors.len() > 1 {
            return Err(format!("{at}: matches more than one alternative"));
        }
        return Ok(());
    }
    if let Some(expected) = schema.get("const") {
        return if expected == value { Ok(()) } else { Err(format!("{at}: {value} is not {expected}")) };
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        return if allowed.contains(value) {
            Ok(())
        } else {
            Err(format!("{at}: {value} not in {allowed:?}"))
        };
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|t| type_matches(t, value)) {
        return Err(format!("{at}: {value} is not of type {types:?}"));
    }
    if let (Some(items), Some(values)) = (schema.get("items"), value.as_array()) {
        for (i, item) in values.iter().enumerate() {
            validate(items, item, &format!("{at}[{i}]"))?;
        }
    }
    if let (Some(properties), Some(object)) =
        (schema.get("properties").and_then(Value::as_object), value.as_object())
    {
        for name in
            schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
        {
            if !object.contains_key(name) {
                return Err(format!("{at}: missing required {name:?}"));
            }
        }
        for (name, field) in object {
            let Some(property) = properties.get(name) else {
                return Err(format!("{at}: {name:?} is not in the schema"));
            };
            validate(property, field, &format!("{at}.{name}"))?;
        }
    }
    Ok(())
}

#[test]
fn validator_rejects_drift() {
    let unit = serde_json::json!({ "$ref": "#/components/schemas/Unit" });
    let good = serde_json::json!({
        "id": 1, "organisation_id": 1, "name": "Linden", "time_zone": "Europe/Stockholm",
        "preset": "ab", "publish_notice_days": 14, "created_at": "2027-01-01T00:00:00Z", "row_version": 1
    });
    assert_eq!(validate(&unit, &good, "body"), Ok(()));
    let mut extra = good.clone();
    extra["colour"] = "red".into();
    assert!(validate(&unit, &extra, "body").unwrap_err().contains("colour"));
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("name");
    assert!(validate(&unit, &missing, "body").unwrap_err().contains("name"));
    let mut wrong = good;
    wrong["preset"] = "xyz".into();
    assert!(validate(&unit, &wrong, "body").is_err());
}

crate::common::backend_tests!(documented_routes_reach_router);

/// Every operation of the document reaches a handler of the router: the router's own
/// fallback answers 404 or 405 with an empty body, a handler answers with a body.
async fn documented_routes_reach_router(app: &crate::common::TestApp) {
    let paths = document()["paths"].as_object().unwrap();
    let mut operations = 0;
    for (template, methods) in paths {
        let path: Vec<String> = template
            .split('/')
            .map(|part| match part {
                "{employee}" | "{token}" => "x".to_string(),
                "{date}" => "2027-03-15".to_string(),
                p if p.starts_with('{') => "1".to_string(),
                p => p.to_string(),
            })
            .collect();
        let uri = format!("/api/v1{}", path.join("/"));
        for method in methods.as_object().unwrap().keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let request = app
                .builder(method.clone(), &uri, &crate::common::Auth::None)
                .header("content-type", "application/json")
                .body(axum::body::Body::from("{}"))
                .unwrap();
            let reply = app.send(request).await;
            assert_ne!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
            assert!(!reply.text.is_empty(), "{method} {uri} reached no handler ({})", reply.status);
            operations += 1;
        }
    }
    assert!(operations >= 45, "{operations} operations");
}
