//! The OpenAPI 3.1 document at `/api/v1/openapi.json`, built from the same route table as
//! the router, so a route cannot exist without its entry. Request and response bodies are
//! described in `docs/api.md`; the document gives every path, method, path parameter,
//! summary, required role and the common error shape.

use axum::Json;
use serde_json::{Map, Value, json};

use crate::routes::routes;

/// Builds the document.
pub fn build() -> Value {
    let mut paths = Map::new();
    for route in routes() {
        let parameters: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| {
                let schema = match name {
                    "employee" | "token" => json!({ "type": "string" }),
                    "date" => json!({ "type": "string", "format": "date" }),
                    _ => json!({ "type": "integer", "format": "int64" }),
                };
                json!({ "name": name, "in": "path", "required": true, "schema": schema })
            })
            .collect();
        let mut operation = json!({
            "summary": route.summary,
            "description": format!("Access: {}.", route.access),
            "tags": [route.path.split('/').nth(1).unwrap_or("api")],
            "parameters": parameters,
            "responses": {
                "2XX": { "description": "Success", "content": { "application/json": {} } },
                "default": {
                    "description": "Error, in the language of Accept-Language",
                    "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
                }
            }
        });
        let body = match route.body {
            "json" => Some(
                json!({ "required": true, "content": { "application/json": { "schema": { "type": "object" } } } }),
            ),
            "multipart" => Some(json!({
                "required": true,
                "content": { "multipart/form-data": { "schema": { "type": "object", "properties": {
                    "files": { "type": "array", "items": { "type": "string", "format": "binary" } }
                } } } }
            })),
            _ => None,
        };
        if let (Some(body), Value::Object(map)) = (body, &mut operation) {
            map.insert("requestBody".into(), body);
        }
        let entry = paths.entry(route.path.to_string()).or_insert_with(|| json!({}));
        if let Value::Object(methods) = entry {
            methods.insert(route.method.as_str().to_lowercase(), operation);
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Turnus API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Staff scheduling for Swedish municipal care: units, schedule periods, wishes, solve jobs, schedule versions and the audit log. See docs/api.md for the bodies.",
            "license": { "name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later" }
        },
        "servers": [{ "url": "/api/v1" }],
        "paths": paths,
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error", "message", "details"],
                    "properties": {
                        "error": { "type": "string", "description": "Stable code such as not_found or conflict" },
                        "message": { "type": "string" },
                        "details": { "type": "array", "items": { "type": "object" } },
                        "current_row_version": { "type": ["integer", "null"] }
                    }
                }
            },
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "turnus_session" },
                "token": { "type": "http", "scheme": "bearer" }
            }
        },
        "security": [{ "session": [] }, { "token": [] }]
    })
}

/// `GET /api/v1/openapi.json`.
pub async fn document() -> Json<Value> {
    Json(build())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_lists_every_route() {
        let document = build();
        for route in routes() {
            let method = route.method.as_str().to_lowercase();
            let operation = &document["paths"][route.path][&method];
            assert!(operation.is_object(), "{method} {} missing", route.path);
            assert!(operation["summary"].is_string());
        }
        let pins = &document["paths"]["/units/{unit}/periods/{period}/pins/{employee}/{date}"]["delete"];
        assert_eq!(pins["parameters"].as_array().unwrap().len(), 4);
        assert_eq!(pins["parameters"][3]["schema"]["format"], "date");
    }
}
