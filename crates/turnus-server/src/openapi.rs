//! The OpenAPI 3.1 document at `/api/v1/openapi.json`, built from the same route table as
//! the router, so a route cannot exist without its entry. [`bodies`] names the request body
//! and success response schema of each operation, and [`schemas`] writes the JSON schemas
//! by hand. The API tests check every JSON response they receive against its schema.
//!
//! The schemas are hand-written, not derived (utoipa or schemars), because most body types
//! live in turnus-store and turnus-core, which would then need a documentation derive and
//! its dependency on every type, and because jiff's dates and instants would need wrapper
//! schemas anyway. The test against real responses keeps the hand-written text honest.

use axum::Json;
use axum::http::Method;
use serde_json::{Map, Value, json};

use crate::routes::routes;

/// The success response of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reply {
    /// A JSON body described by the named component schema; `[Name]` is an array of them.
    Json(u16, &'static str),
    /// No body (204).
    Empty,
    /// A file (CSV, XLSX or iCalendar).
    File,
    /// Server-sent events.
    Events,
}

/// The request body of an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Request {
    None,
    /// A JSON body described by the named component schema.
    Json(&'static str),
    /// A multipart upload of bundle files.
    Multipart,
}

/// Request and success response of each route, by method and path.
pub(crate) fn bodies(method: &Method, path: &str) -> Option<(Request, Reply)> {
    use Reply::{Empty, Events, File};
    use Request::{Json as In, Multipart};
    let none = Request::None;
    let ok = |schema| Reply::Json(200, schema);
    let created = |schema| Reply::Json(201, schema);
    let found = match (method.as_str(), path) {
        ("GET", "/health") => (none, ok("Health")),
        ("GET", "/openapi.json") => (none, ok("OpenApiDocument")),
        ("POST", "/login") => (In("LoginRequest"), ok("Me")),
        ("POST", "/logout") => (none, Empty),
        ("GET", "/me") => (none, ok("Me")),
        ("GET", "/tokens") => (none, ok("[ApiToken]")),
        ("POST", "/tokens") => (In("NewTokenRequest"), created("NewApiToken")),
        ("DELETE", "/tokens/{id}") => (none, Empty),
        ("POST", "/users") => (In("NewUserRequest"), created("User")),
        ("GET", "/units") => (none, ok("[Unit]")),
        ("POST", "/units") => (In("NewUnitRequest"), created("Unit")),
        ("GET", "/units/{unit}") => (none, ok("Unit")),
        ("PUT", "/units/{unit}") => (In("UnitChange"), ok("Unit")),
        ("GET", "/units/{unit}/grants") => (none, ok("[Grant]")),
        ("POST", "/units/{unit}/grants") => (In("GrantRequest"), created("Grant")),
        ("POST", "/units/{unit}/import") => (Multipart, created("SchedulePeriod")),
        ("GET", "/units/{unit}/periods") => (none, ok("[SchedulePeriod]")),
        ("GET", "/units/{unit}/periods/{period}") => (none, ok("SchedulePeriod")),
        ("POST", "/units/{unit}/periods/{period}/transition") => {
            (In("TransitionRequest"), ok("SchedulePeriod"))
        }
        ("POST", "/units/{unit}/periods/{period}/solve") => (In("SolveRequest"), Reply::Json(202, "Job")),
        ("POST", "/units/{unit}/periods/{period}/publish") => (In("PublishRequest"), ok("Publication")),
        ("GET", "/units/{unit}/periods/{period}/versions") => (none, ok("[VersionRecord]")),
        ("GET", "/units/{unit}/periods/{period}/published") => (none, ok("VersionWithAssignments")),
        ("GET", "/units/{unit}/periods/{period}/pins") => (none, ok("[Pin]")),
        ("PUT", "/units/{unit}/periods/{period}/pins") => (In("Pin"), Empty),
        ("DELETE", "/units/{unit}/periods/{period}/pins/{employee}/{date}") => (none, Empty),
        ("GET", "/units/{unit}/periods/{period}/events") => (none, ok("[EventRecord]")),
        ("POST", "/units/{unit}/periods/{period}/events") => (In("EventDetail"), created("EventRecord")),
        ("GET", "/units/{unit}/periods/{period}/wishes") => (none, ok("[WishRecord]")),
        ("POST", "/units/{unit}/periods/{period}/wishes") => (In("Wish"), created("WishRecord")),
        ("GET", "/units/{unit}/periods/{period}/jobs") => (none, ok("[Job]")),
        ("PUT", "/units/{unit}/wishes/{wish}") => (In("Wish"), ok("WishRecord")),
        ("DELETE", "/units/{unit}/wishes/{wish}") => (none, Empty),
        ("GET", "/units/{unit}/versions/{version}") => (none, ok("VersionWithAssignments")),
        ("GET", "/units/{unit}/versions/{version}/export") => (none, File),
        ("GET", "/units/{unit}/employees/{employee}/calendar-token") => (none, ok("CalendarToken")),
        ("POST", "/units/{unit}/employees/{employee}/calendar-token") => (none, created("NewCalendarToken")),
        ("DELETE", "/units/{unit}/employees/{employee}/calendar-token") => (none, Empty),
        ("GET", "/calendar/{token}") => (none, File),
        ("PUT", "/units/{unit}/assignments/{assignment}") => {
            (In("AssignmentRequest"), ok("AssignmentChange"))
        }
        ("GET", "/units/{unit}/jobs/{job}") => (none, ok("Job")),
        ("POST", "/units/{unit}/jobs/{job}/cancel") => (none, ok("Job")),
        ("GET", "/units/{unit}/jobs/{job}/events") => (none, Events),
        ("GET", "/units/{unit}/audit") => (none, ok("[AuditRecord]")),
        ("GET", "/audit") => (none, ok("[AuditRecord]")),
        ("GET", "/audit/verify") => (none, ok("AuditVerification")),
        // A unit's staff, shift types, demand and rule parameters.
        ("GET", "/units/{unit}/employees") => (none, ok("[Employee]")),
        ("POST", "/units/{unit}/employees") => (In("EmployeeRequest"), created("Employee")),
        ("GET", "/units/{unit}/employees/{employee}") => (none, ok("Employee")),
        ("PUT", "/units/{unit}/employees/{employee}") => (In("EmployeeRequest"), ok("Employee")),
        ("DELETE", "/units/{unit}/employees/{employee}") => (none, ok("Employee")),
        ("POST", "/units/{unit}/employees/{employee}/reactivate") => (none, ok("Employee")),
        ("GET", "/units/{unit}/shift-types") => (none, ok("[ShiftType]")),
        ("POST", "/units/{unit}/shift-types") => (In("ShiftTypeRequest"), created("ShiftType")),
        ("GET", "/units/{unit}/shift-types/{code}") => (none, ok("ShiftType")),
        ("PUT", "/units/{unit}/shift-types/{code}") => (In("ShiftTypeRequest"), ok("ShiftType")),
        ("DELETE", "/units/{unit}/shift-types/{code}") => (none, ok("ShiftType")),
        ("POST", "/units/{unit}/shift-types/{code}/reactivate") => (none, ok("ShiftType")),
        ("GET", "/units/{unit}/demand") => (none, ok("[DemandRow]")),
        ("POST", "/units/{unit}/demand") => (In("DemandRequest"), created("DemandRow")),
        ("GET", "/units/{unit}/demand/{row}") => (none, ok("DemandRow")),
        ("PUT", "/units/{unit}/demand/{row}") => (In("DemandRequest"), ok("DemandRow")),
        ("DELETE", "/units/{unit}/demand/{row}") => (none, Empty),
        ("GET", "/units/{unit}/rules") => (none, ok("Rules")),
        ("PUT", "/units/{unit}/rules") => (In("RulesRequest"), ok("Rules")),
        _ => return None,
    };
    Some(found)
}

/// Builds a reference to a component schema, or an array of them for `[Name]`.
fn schema_ref(name: &str) -> Value {
    match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        Some(item) => json!({ "type": "array", "items": { "$ref": format!("#/components/schemas/{item}") } }),
        None => json!({ "$ref": format!("#/components/schemas/{name}") }),
    }
}

fn query_parameters(method: &Method, path: &str) -> Vec<Value> {
    let query = |name: &str, schema: Value, required: bool, description: &str| json!({ "name": name, "in": "query", "required": required, "schema": schema, "description": description });
    match (method.as_str(), path) {
        ("GET", "/units/{unit}/versions/{version}/export") => vec![
            query("format", json!({ "enum": ["csv", "xlsx", "ics"] }), true, "The file format"),
            query(
                "employee",
                json!({ "type": "string" }),
                false,
                "Employee id; required for ics, limits the rows of csv and xlsx",
            ),
            query("lang", json!({ "enum": ["sv", "en"] }), false, "Language; default from Accept-Language"),
        ],
        ("GET", "/calendar/{token}") => {
            vec![query(
                "lang",
                json!({ "enum": ["sv", "en"] }),
                false,
                "Language; default from Accept-Language",
            )]
        }
        ("GET", "/units/{unit}/audit" | "/audit") => vec![
            query("after_seq", json!({ "type": "integer" }), false, "Rows after this sequence number"),
            query(
                "limit",
                json!({ "type": "integer", "minimum": 1, "maximum": 1000 }),
                false,
                "Rows per page",
            ),
        ],
        _ => Vec::new(),
    }
}

/// Builds the document.
pub fn build() -> Value {
    let mut paths = Map::new();
    for route in routes() {
        let mut parameters: Vec<Value> = route
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| {
                let schema = match name {
                    "employee" | "token" | "code" => json!({ "type": "string" }),
                    "date" => json!({ "type": "string", "format": "date" }),
                    _ => json!({ "type": "integer", "format": "int64" }),
                };
                json!({ "name": name, "in": "path", "required": true, "schema": schema })
            })
            .collect();
        parameters.extend(query_parameters(&route.method, route.path));
        // A route missing from `bodies` still gets its body kind from the route table; the
        // unit test below fails for it.
        let fallback = match route.body {
            "json" => Request::Json("OpenApiDocument"),
            "multipart" => Request::Multipart,
            _ => Request::None,
        };
        let (request, reply) = bodies(&route.method, route.path).unwrap_or((fallback, Reply::Empty));

        let success = match reply {
            Reply::Json(status, schema) => (
                status.to_string(),
                json!({ "description": "Success", "content": { "application/json": { "schema": schema_ref(schema) } } }),
            ),
            Reply::Empty => ("204".to_string(), json!({ "description": "Done; no body" })),
            Reply::File => (
                "200".to_string(),
                json!({
                    "description": "The file, with Content-Disposition: attachment",
                    "content": {
                        "text/csv": { "schema": { "type": "string" } },
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "contentMediaType": "application/octet-stream" } },
                        "text/calendar": { "schema": { "type": "string" } }
                    }
                }),
            ),
            Reply::Events => (
                "200".to_string(),
                json!({
                    "description": "Server-sent events: `progress` with a Job as data on each change, then `end`",
                    "content": { "text/event-stream": { "schema": { "type": "string" } } }
                }),
            ),
        };
        let mut responses = Map::new();
        responses.insert(success.0, success.1);
        responses.insert(
            "default".into(),
            json!({
                "description": "Error, in the language of Accept-Language",
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } }
            }),
        );
        let mut operation = json!({
            "summary": route.summary,
            "description": format!("Access: {}.", route.access),
            "tags": [route.path.split('/').nth(1).unwrap_or("api")],
            "parameters": parameters,
            "responses": responses,
        });
        let body = match request {
            Request::Json(schema) => Some(json!({
                "required": true,
                "content": { "application/json": { "schema": schema_ref(schema) } }
            })),
            Request::Multipart => Some(json!({
                "required": true,
                "content": { "multipart/form-data": { "schema": { "type": "object", "properties": {
                    "files": { "type": "array", "items": { "type": "string", "contentMediaType": "application/octet-stream" } }
                } } } }
            })),
            Request::None => None,
        };
        if let (Some(body), Value::Object(map)) = (body, &mut operation) {
            map.insert("requestBody".into(), body);
        }
        if matches!(route.path, "/health" | "/openapi.json" | "/login" | "/calendar/{token}")
            && let Value::Object(map) = &mut operation
        {
            map.insert("security".into(), json!([]));
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
            "description": "Staff scheduling for Swedish municipal care: units, schedule periods, wishes, solve jobs, schedule versions, exports, calendar feeds and the audit log. docs/api.md describes roles and rules.",
            "license": { "name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later" }
        },
        "servers": [{ "url": "/api/v1" }],
        "paths": paths,
        "components": {
            "schemas": with_unit_data_schemas(schemas()),
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "turnus_session" },
                "token": { "type": "http", "scheme": "bearer" }
            }
        },
        "security": [{ "session": [] }, { "token": [] }]
    })
}

/// An object schema with its properties; the names in `required` must be present.
fn object(required: &[&str], properties: Value) -> Value {
    json!({ "type": "object", "required": required, "properties": properties })
}

/// `schema` or JSON null.
fn nullable(schema: Value) -> Value {
    json!({ "anyOf": [schema, { "type": "null" }] })
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Builds the component schemas: the JSON shape of every request and response body.
fn schemas() -> Value {
    let string = json!({ "type": "string" });
    let id = json!({ "type": "integer", "format": "int64" });
    let integer = json!({ "type": "integer" });
    let boolean = json!({ "type": "boolean" });
    let date = json!({ "type": "string", "format": "date" });
    let instant = json!({ "type": "string", "format": "date-time" });
    let opt_string = nullable(string.clone());
    let opt_instant = nullable(instant.clone());
    let role = json!({ "enum": ["manager", "scheduler", "staff"], "description": "chef, schemaläggare or medarbetare" });
    let period_state = json!({ "enum": ["draft", "wishes_open", "wishes_closed", "proposal", "review", "published", "follow_up", "closed"] });

    let wish_properties = json!({
        "employee": string, "date": date,
        "kind": { "enum": ["work", "off", "avoid"] },
        "shift": { "type": ["string", "null"], "description": "The shift for work (none: any shift) and avoid; absent for off" },
        "priority": { "type": "integer", "minimum": 1, "maximum": 3 }
    });
    let event_variants = json!([
        object(
            &["kind", "employee", "from", "to", "cause"],
            json!({
                "kind": { "const": "absence" }, "employee": string, "from": date, "to": date, "cause": string
            })
        ),
        object(
            &["kind", "employee", "date", "shift", "other_employee"],
            json!({
                "kind": { "const": "swap" }, "employee": string, "date": date, "shift": string,
                "other_employee": string, "other_date": nullable(date.clone()), "other_shift": opt_string
            })
        ),
        object(
            &["kind", "date", "shift", "name"],
            json!({
                "kind": { "const": "extra_staff" }, "date": date, "shift": string,
                "employee": opt_string, "name": string
            })
        ),
        object(
            &["kind", "employee", "date", "shift"],
            json!({
                "kind": { "const": "resource_shift" }, "employee": string, "date": date, "shift": string
            })
        ),
    ]);

    json!({
        "Error": object(&["error", "message", "details"], json!({
            "error": { "type": "string", "description": "Stable code such as not_found or conflict" },
            "message": string,
            "details": { "type": "array", "items": { "type": "object" } },
            "current_row_version": nullable(integer.clone())
        })),
        "Health": object(&["status", "backend", "schema_version"], json!({
            "status": { "const": "ok" },
            "backend": { "enum": ["sqlite", "postgres"] },
            "schema_version": nullable(integer.clone())
        })),
        "OpenApiDocument": { "type": "object", "description": "This document" },
        "Score": object(&["hard", "soft"], json!({
            "hard": { "type": "integer", "description": "Hard penalty; 0 means legal" },
            "soft": integer
        })),
        "Assignment": object(&["employee", "date", "shift"], json!({ "employee": string, "date": date, "shift": string })),
        "Finding": object(&["rule", "hard", "penalty", "message_sv", "message_en"], json!({
            "rule": { "type": "string", "description": "Rule id such as H1 or S4" },
            "hard": boolean, "penalty": integer,
            "employee": string, "shift": string, "from": date, "to": date,
            "start": string, "end": string, "measured": integer, "limit": integer,
            "unit": { "enum": ["minutes", "days", "count"] },
            "message_sv": string, "message_en": string
        })),
        "Unit": object(&["id", "organisation_id", "name", "time_zone", "preset", "publish_notice_days", "created_at", "row_version"], json!({
            "id": id, "organisation_id": id, "name": string,
            "time_zone": { "type": "string", "description": "IANA zone, such as Europe/Stockholm" },
            "preset": { "enum": ["ab", "atl", "benchmark"] },
            "publish_notice_days": integer, "created_at": instant, "row_version": integer
        })),
        "NewUnitRequest": object(&["name"], json!({
            "name": string, "time_zone": string,
            "preset": { "enum": ["ab", "atl", "benchmark"] },
            "publish_notice_days": integer
        })),
        "UnitChange": object(&["name"], json!({ "name": string })),
        "SchedulePeriod": object(&["id", "unit_id", "start", "weeks", "state", "wishes_deadline", "history_known", "created_at", "updated_at", "row_version"], json!({
            "id": id, "unit_id": id, "start": date, "weeks": integer, "state": period_state,
            "wishes_deadline": opt_instant, "history_known": boolean,
            "created_at": instant, "updated_at": instant, "row_version": integer
        })),
        "TransitionRequest": object(&["to"], json!({
            "to": { "enum": ["wishes_open", "wishes_closed", "proposal", "review", "follow_up", "closed"] },
            "wishes_deadline": opt_instant, "reason": opt_string
        })),
        "SolveRequest": object(&[], json!({
            "time_limit_ms": nullable(integer.clone()), "iterations": nullable(integer.clone()),
            "seed": nullable(integer.clone()), "threads": nullable(integer.clone())
        })),
        "Job": object(&["id", "unit_id", "period_id", "params", "state", "progress", "best_score", "worker_id", "lease_until", "heartbeat_at", "attempts", "max_attempts", "result_version_id", "error", "created_at", "created_by", "started_at", "finished_at"], json!({
            "id": id, "unit_id": id, "period_id": id,
            "params": reference("SolveRequest"),
            "state": { "enum": ["queued", "running", "done", "failed", "cancelled"] },
            "progress": { "type": "number", "minimum": 0, "maximum": 1 },
            "best_score": nullable(reference("Score")),
            "worker_id": opt_string, "lease_until": opt_instant, "heartbeat_at": opt_instant,
            "attempts": integer, "max_attempts": integer,
            "result_version_id": nullable(id.clone()), "error": opt_string,
            "created_at": instant, "created_by": string, "started_at": opt_instant, "finished_at": opt_instant
        })),
        "VersionRecord": object(&["id", "period_id", "kind", "note", "score", "findings", "created_at", "created_by", "published_at", "row_version"], json!({
            "id": id, "period_id": id, "kind": { "enum": ["proposal", "published"] },
            "note": opt_string, "score": reference("Score"),
            "findings": { "type": "array", "items": reference("Finding") },
            "created_at": instant, "created_by": string, "published_at": opt_instant, "row_version": integer
        })),
        "AssignmentRecord": object(&["id", "version_id", "assignment", "override_reason", "row_version", "updated_at"], json!({
            "id": id, "version_id": id, "assignment": reference("Assignment"),
            "override_reason": opt_string, "row_version": integer, "updated_at": instant
        })),
        "VersionWithAssignments": object(&["version", "assignments"], json!({
            "version": reference("VersionRecord"),
            "assignments": { "type": "array", "items": reference("AssignmentRecord") }
        })),
        "AssignmentRequest": object(&["employee", "date", "shift"], json!({
            "employee": string, "date": date, "shift": string,
            "override_reason": { "type": ["string", "null"], "description": "Why a hard rule is broken here" }
        })),
        "AssignmentChange": object(&["assignment", "score_before", "score", "findings"], json!({
            "assignment": reference("AssignmentRecord"),
            "score_before": reference("Score"), "score": reference("Score"),
            "findings": { "type": "array", "items": reference("Finding") }
        })),
        "PublishRequest": object(&["version_id"], json!({
            "version_id": id,
            "reason": { "type": ["string", "null"], "description": "Required when publishing later than the notice period" },
            "override_reason": { "type": ["string", "null"], "description": "Required when the version breaks hard rules; stored in the audit row" }
        })),
        "Publication": object(&["version", "days_before_start", "notice_days", "late"], json!({
            "version": id, "days_before_start": integer, "notice_days": integer, "late": boolean
        })),
        "Pin": object(&["employee", "date"], json!({
            "employee": string, "date": date,
            "shift": { "type": ["string", "null"], "description": "The shift; null pins a day off" }
        })),
        "Wish": object(&["employee", "date", "kind", "priority"], wish_properties),
        "WishRecord": object(&["id", "period_id", "wish", "created_at", "updated_at", "row_version"], json!({
            "id": id, "period_id": id, "wish": reference("Wish"),
            "created_at": instant, "updated_at": instant, "row_version": integer
        })),
        "EventDetail": { "oneOf": event_variants },
        "EventRecord": object(&["id", "period_id", "version_id", "detail", "created_at", "created_by"], json!({
            "id": id, "period_id": id, "version_id": id, "detail": reference("EventDetail"),
            "created_at": instant, "created_by": string
        })),
        "LoginRequest": object(&["username", "password"], json!({ "username": string, "password": string })),
        "User": object(&["id", "username", "is_admin", "disabled", "created_at", "row_version"], json!({
            "id": id, "username": string, "is_admin": boolean, "disabled": boolean,
            "created_at": instant, "row_version": integer
        })),
        "NewUserRequest": object(&["username", "password"], json!({
            "username": string,
            "password": { "type": "string", "minLength": 10 },
            "admin": boolean
        })),
        "Grant": object(&["id", "user_id", "unit_id", "role", "employee", "created_at"], json!({
            "id": id, "user_id": id, "unit_id": id, "role": role, "employee": opt_string, "created_at": instant
        })),
        "GrantRequest": object(&["user_id", "role"], json!({
            "user_id": id,
            "role": { "enum": ["chef", "schemaläggare", "medarbetare"] },
            "employee": { "type": ["string", "null"], "description": "Required for medarbetare" }
        })),
        "Me": object(&["user", "grants"], json!({
            "user": reference("User"), "grants": { "type": "array", "items": reference("Grant") }
        })),
        "ApiToken": object(&["id", "user_id", "name", "created_at", "expires_at", "last_used_at", "revoked_at"], json!({
            "id": id, "user_id": id, "name": string, "created_at": instant,
            "expires_at": opt_instant, "last_used_at": opt_instant, "revoked_at": opt_instant
        })),
        "NewTokenRequest": object(&["name"], json!({ "name": string, "expires_in_days": nullable(integer.clone()) })),
        "NewApiToken": object(&["token", "record"], json!({
            "token": { "type": "string", "description": "The secret, shown only in this response" },
            "record": reference("ApiToken")
        })),
        "CalendarToken": object(&["id", "unit_id", "employee", "created_at", "created_by", "last_used_at"], json!({
            "id": id, "unit_id": id, "employee": string, "created_at": instant,
            "created_by": string, "last_used_at": opt_instant
        })),
        "NewCalendarToken": object(&["token", "url", "record"], json!({
            "token": { "type": "string", "description": "The secret, shown only in this response" },
            "url": { "type": "string", "description": "The feed address to subscribe to" },
            "record": reference("CalendarToken")
        })),
        "AuditRecord": object(&["seq", "at", "actor", "actor_user_id", "unit_id", "action", "entity", "entity_id", "before_json", "after_json", "reason", "prev_hash", "hash"], json!({
            "seq": integer, "at": instant,
            "actor": { "type": "string", "description": "user:ID, worker:ID or system:NAME" },
            "actor_user_id": nullable(id.clone()), "unit_id": nullable(id.clone()),
            "action": string, "entity": string, "entity_id": string,
            "before_json": opt_string, "after_json": opt_string, "reason": opt_string,
            "prev_hash": string, "hash": string
        })),
        "AuditVerification": object(&["rows_checked", "last_seq", "last_hash", "first_break"], json!({
            "rows_checked": integer, "last_seq": integer, "last_hash": string,
            "first_break": nullable(json!({ "type": "object", "required": ["kind"], "properties": {
                "kind": { "enum": ["content_altered", "chain_broken", "gap", "head_mismatch"] },
                "seq": integer, "expected_seq": integer, "found_seq": integer, "head_seq": integer, "last_seq": integer
            } }))
        })),
    })
}

/// Adds the schemas of a unit's staff, shift types, demand and rule parameters. Form
/// values may be text as in the bundle's CSV files (`"75,5"`) or JSON numbers.
fn with_unit_data_schemas(mut all: Value) -> Value {
    let string = json!({ "type": "string" });
    let opt_string = nullable(string.clone());
    let integer = json!({ "type": "integer" });
    let number = json!({ "type": "number" });
    let boolean = json!({ "type": "boolean" });
    let date = json!({ "type": "string", "format": "date" });
    let cell =
        |description: &str| json!({ "type": ["string", "number", "null"], "description": description });
    let grant = object(
        &["skill", "valid_from", "valid_to"],
        json!({ "skill": string, "valid_from": date, "valid_to": date }),
    );
    let grant_request = object(
        &["skill", "valid_from", "valid_to"],
        json!({
            "skill": string, "valid_from": cell("YYYY-MM-DD"), "valid_to": cell("YYYY-MM-DD, inclusive")
        }),
    );
    let extra = json!({
        "Employee": object(&["id", "name", "employment_percent", "full_time_hours", "skills", "night_worker", "skill_grants", "active", "row_version"], json!({
            "id": string, "name": string, "employment_percent": number,
            "full_time_hours": nullable(number.clone()),
            "skills": { "type": "array", "items": string }, "night_worker": boolean,
            "skill_grants": { "type": "array", "items": grant },
            "active": { "type": "boolean", "description": "False once deactivated: later solves leave the employee out" },
            "row_version": integer
        })),
        "EmployeeRequest": object(&["name", "employment_percent"], json!({
            "id": { "type": "string", "description": "Staff id; on PUT the path's, and it cannot change" },
            "name": string,
            "employment_percent": cell("1 to 100, decimals with , or ."),
            "full_time_hours": cell("Weekly full-time measure in hours; empty takes the rule set's"),
            "skills": { "type": ["array", "string", "null"], "items": string, "description": "Skill codes, or one text separated by |" },
            "night_worker": { "type": ["boolean", "string", "null"], "description": "true/false, yes/no or ja/nej" },
            "skill_grants": { "type": ["array", "null"], "items": grant_request },
            "active": { "type": "boolean", "description": "Read-only; ignored" },
            "row_version": { "type": "integer", "description": "Read-only; send it in If-Match" }
        })),
        "ShiftType": object(&["code", "name", "start", "end", "break_minutes", "skill", "active", "row_version"], json!({
            "code": string, "name": string,
            "start": { "type": "string", "description": "HH:MM" },
            "end": { "type": "string", "description": "HH:MM; at or before start means the next day" },
            "break_minutes": integer, "skill": opt_string, "active": boolean, "row_version": integer
        })),
        "ShiftTypeRequest": object(&["name", "start", "end"], json!({
            "code": { "type": "string", "description": "On PUT the path's, and it cannot change" },
            "name": string, "start": cell("HH:MM"), "end": cell("HH:MM"),
            "break_minutes": cell("Unpaid break in minutes; needed for shifts over 5 h"),
            "skill": opt_string,
            "active": { "type": "boolean", "description": "Read-only; ignored" },
            "row_version": { "type": "integer", "description": "Read-only; send it in If-Match" }
        })),
        "DemandRow": object(&["id", "day", "shift", "skill", "min", "ideal", "row_version"], json!({
            "id": { "type": "integer", "format": "int64" },
            "day": { "type": "string", "description": "mon…sun, holiday or YYYY-MM-DD" },
            "shift": string, "skill": opt_string, "min": integer, "ideal": integer, "row_version": integer
        })),
        "DemandRequest": object(&["day", "shift", "min"], json!({
            "id": { "type": "integer", "description": "Read-only; ignored" },
            "day": { "type": "string", "description": "mon…sun (mån…sön), holiday (helgdag) or YYYY-MM-DD" },
            "shift": string, "skill": opt_string,
            "min": cell("Minimum head-count"), "ideal": cell("Ideal head-count; empty means min"),
            "row_version": { "type": "integer", "description": "Read-only; send it in If-Match" }
        })),
        "Rules": object(&["preset", "rules", "weights", "row_version"], json!({
            "preset": { "enum": ["ab", "atl", "benchmark"] },
            "rules": { "type": "object", "description": "The [rules] keys of unit.toml; days_off and weekends are pairs, null means no limit" },
            "weights": { "type": "object", "description": "Soft-goal weights by id: S1 … S12, S2_over" },
            "row_version": { "type": "integer", "description": "The unit's row version; send it in If-Match" }
        })),
        "RulesRequest": object(&[], json!({
            "preset": { "enum": ["ab", "atl", "benchmark"] },
            "rules": { "type": "object", "description": "As in Rules; a missing or empty key takes the preset's value" },
            "weights": { "type": "object", "description": "As in Rules; a missing key takes the preset's weight" },
            "row_version": { "type": "integer", "description": "Read-only; send it in If-Match" }
        })),
    });
    if let (Value::Object(all_map), Value::Object(extra)) = (&mut all, extra) {
        all_map.extend(extra);
    }
    all
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
        let mut operations = 0;
        for route in routes() {
            let method = route.method.as_str().to_lowercase();
            let operation = &document["paths"][route.path][&method];
            assert!(operation.is_object(), "{method} {} missing", route.path);
            assert!(operation["summary"].is_string());
            operations += 1;
        }
        let documented: usize =
            document["paths"].as_object().unwrap().values().map(|m| m.as_object().unwrap().len()).sum();
        assert_eq!(documented, operations, "the document lists exactly the routes");
        let pins = &document["paths"]["/units/{unit}/periods/{period}/pins/{employee}/{date}"]["delete"];
        assert_eq!(pins["parameters"].as_array().unwrap().len(), 4);
        assert_eq!(pins["parameters"][3]["schema"]["format"], "date");
    }

    #[test]
    fn every_route_has_bodies() {
        for route in routes() {
            let Some((request, _)) = bodies(&route.method, route.path) else {
                panic!("{} {} has no body entry", route.method, route.path);
            };
            let kind = match request {
                Request::Json(_) => "json",
                Request::Multipart => "multipart",
                Request::None => "none",
            };
            assert_eq!(kind, route.body, "{} {}: request body kind", route.method, route.path);
        }
    }

    #[test]
    fn every_reference_resolves() {
        let document = build();
        let schemas = document["components"]["schemas"].as_object().unwrap();
        let text = document.to_string();
        for part in text.split("\"#/components/schemas/").skip(1) {
            let name = part.split('"').next().unwrap();
            assert!(schemas.contains_key(name), "no schema {name}");
        }
    }
}
