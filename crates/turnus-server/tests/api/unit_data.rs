//! Editing a unit's staff, shift types, demand and rule parameters through the API: roles,
//! If-Match, the bundle reader's messages per field, and nothing saved on an error.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{Auth, Reply, TestApp, backend_tests, member, setup};

backend_tests!(
    scheduler_edits_employee,
    invalid_employee_names_field,
    staff_cannot_edit_unit_data,
    demand_rows_checked_against_unit,
    shift_types_edited_and_deactivated,
    shift_type_reactivated_by_planners,
    rules_edited_with_row_version,
    unit_renamed_with_row_version,
);

async fn put(app: &TestApp, path: &str, auth: &Auth, version: Option<i64>, body: Value, lang: &str) -> Reply {
    let mut builder = app
        .builder(Method::PUT, path, auth)
        .header("content-type", "application/json")
        .header("accept-language", lang);
    if let Some(version) = version {
        builder = builder.header("if-match", format!("\"{version}\""));
    }
    app.send(builder.body(body.to_string().into()).unwrap()).await
}

async fn delete(app: &TestApp, path: &str, auth: &Auth, version: i64) -> Reply {
    delete_in(app, path, auth, version, "sv").await
}

/// Sends a `DELETE` with `If-Match: version` and `Accept-Language: lang`.
async fn delete_in(app: &TestApp, path: &str, auth: &Auth, version: i64, lang: &str) -> Reply {
    let request = app
        .builder(Method::DELETE, path, auth)
        .header("if-match", format!("\"{version}\""))
        .header("accept-language", lang)
        .body(axum::body::Body::empty())
        .unwrap();
    app.send(request).await
}

/// Posts a reactivation of the employee or shift type at `path` with `If-Match: version`.
async fn reactivate(app: &TestApp, path: &str, auth: &Auth, version: i64) -> Reply {
    let request = app
        .builder(Method::POST, &format!("{path}/reactivate"), auth)
        .header("if-match", format!("\"{version}\""))
        .body(axum::body::Body::empty())
        .unwrap();
    app.send(request).await
}

/// Returns the field names of an error's details.
fn fields(reply: &Reply) -> Vec<String> {
    reply.body["details"]
        .as_array()
        .map(|details| details.iter().filter_map(|d| d["field"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

async fn scheduler_edits_employee(app: &TestApp) {
    let setup = setup(app).await;
    let scheduler = member(app, &setup, "sara", "schemaläggare", None).await;
    let path = format!("/api/v1/units/{}/employees/1004", setup.unit);

    let current = app.get(&path, &scheduler).await;
    assert_eq!(current.status, StatusCode::OK, "{}", current.text);
    assert_eq!(current.body["employment_percent"], 75.0);
    let version = current.body["row_version"].as_i64().unwrap();

    // The body read back, with a new employment degree written as in a Swedish CSV file.
    let mut body = current.body.clone();
    body["employment_percent"] = json!("80,5");
    let updated = put(app, &path, &scheduler, Some(version), body.clone(), "sv").await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(updated.body["employment_percent"], 80.5);
    assert_eq!(updated.body["row_version"], version + 1);

    // A second editor with the old version gets 409 and the version now stored.
    body["name"] = json!("Erik N");
    let stale = put(app, &path, &scheduler, Some(version), body.clone(), "sv").await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    assert_eq!(stale.body["current_row_version"], version + 1);
    let no_version = put(app, &path, &scheduler, None, body, "sv").await;
    assert_eq!(no_version.status, StatusCode::PRECONDITION_REQUIRED, "{}", no_version.text);

    // A new employee with a dated delegation, listed after the others.
    let new = json!({
        "id": "2001", "name": "Sara Holm", "employment_percent": 90, "full_time_hours": "38,25",
        "skills": ["usk"], "night_worker": "nej",
        "skill_grants": [{ "skill": "delegering", "valid_from": "2027-01-01", "valid_to": "2027-12-31" }]
    });
    let created = app.post(&format!("/api/v1/units/{}/employees", setup.unit), &scheduler, new).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["full_time_hours"], 38.25);
    assert_eq!(created.body["skill_grants"][0]["valid_to"], "2027-12-31");
    let listed = app.get(&format!("/api/v1/units/{}/employees", setup.unit), &scheduler).await;
    assert_eq!(listed.body.as_array().unwrap().last().unwrap()["id"], "2001");

    // Deactivating keeps the employee in the list, inactive, and reactivating brings them back.
    let employee_path = format!("/api/v1/units/{}/employees/2001", setup.unit);
    let gone = delete(app, &employee_path, &scheduler, 1).await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.text);
    assert_eq!(gone.body["active"], false);
    let stale = reactivate(app, &employee_path, &scheduler, 1).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    let back = reactivate(app, &employee_path, &scheduler, 2).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.text);
    assert_eq!(back.body["active"], true);
    assert_eq!(back.body["skill_grants"][0]["skill"], "delegering");
    let again = reactivate(app, &employee_path, &scheduler, 3).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.text);
    assert_eq!(again.body["message"], "Medarbetaren 2001 är redan aktiv");

    let audit = app.get(&format!("/api/v1/units/{}/audit", setup.unit), &setup.admin).await;
    let actions: Vec<&str> =
        audit.body.as_array().unwrap().iter().filter_map(|r| r["action"].as_str()).collect();
    for action in ["employee.update", "employee.create", "employee.deactivate", "employee.reactivate"] {
        assert!(actions.contains(&action), "{action} missing from {actions:?}");
    }
}

async fn invalid_employee_names_field(app: &TestApp) {
    let setup = setup(app).await;
    let path = format!("/api/v1/units/{}/employees/1004", setup.unit);
    let current = app.get(&path, &setup.admin).await;
    let version = current.body["row_version"].as_i64().unwrap();

    let mut body = current.body.clone();
    body["employment_percent"] = json!("150");
    body["full_time_hours"] = json!("abc");
    let sv = put(app, &path, &setup.admin, Some(version), body.clone(), "sv").await;
    assert_eq!(sv.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", sv.text);
    assert_eq!(sv.body["error"], "invalid");
    assert_eq!(fields(&sv), ["employment_percent", "full_time_hours"]);
    assert_eq!(sv.body["details"][0]["value"], "150");
    assert_eq!(sv.body["details"][0]["message"], "sysselsättningsgraden ska vara 1–100 procent, t.ex. 75,5");
    let en = put(app, &path, &setup.admin, Some(version), body, "en").await;
    assert_eq!(en.body["details"][0]["message"], "the employment degree must be 1 to 100 percent, e.g. 75.5");

    // A dated skill that ends before it starts comes in the same response as a missing name.
    let mut body = current.body.clone();
    body["name"] = json!("");
    body["skill_grants"] =
        json!([{ "skill": "delegering", "valid_from": "2027-06-01", "valid_to": "2027-05-01" }]);
    let reply = put(app, &path, &setup.admin, Some(version), body, "sv").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
    assert_eq!(fields(&reply), ["name", "skill_grants[0].valid_to"]);
    let mut body = current.body.clone();
    body["skill_grants"] =
        json!([{ "skill": "delegering", "valid_from": "2027-06-01", "valid_to": "2027-05-01" }]);
    let reply = put(app, &path, &setup.admin, Some(version), body, "sv").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
    assert_eq!(fields(&reply), ["skill_grants[0].valid_to"]);
    assert!(
        reply.body["details"][0]["message"].as_str().unwrap().contains("byt plats på datumen"),
        "{}",
        reply.text
    );

    // An unknown field and an existing id.
    let unknown = json!({ "id": "2002", "name": "A", "employment_percent": 50, "colour": "red" });
    let reply = app.post(&format!("/api/v1/units/{}/employees", setup.unit), &setup.admin, unknown).await;
    assert_eq!(fields(&reply), ["colour"]);
    let taken = json!({ "id": "1001", "name": "A", "employment_percent": 50 });
    let reply = app.post(&format!("/api/v1/units/{}/employees", setup.unit), &setup.admin, taken).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
    assert_eq!(fields(&reply), ["id"]);

    // Nothing was saved.
    let after = app.get(&path, &setup.admin).await;
    assert_eq!(after.body, current.body);
}

async fn staff_cannot_edit_unit_data(app: &TestApp) {
    let setup = setup(app).await;
    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let base = format!("/api/v1/units/{}", setup.unit);
    for path in ["employees", "employees/1001", "shift-types", "demand", "rules"] {
        let reply = app.get(&format!("{base}/{path}"), &staff).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{path}: {}", reply.text);
    }
    let body = json!({ "name": "Anna", "employment_percent": 100 });
    let reply = put(app, &format!("{base}/employees/1001"), &staff, Some(1), body, "sv").await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text);
    let demand = json!({ "day": "mon", "shift": "D", "min": 1 });
    let reply = app.post(&format!("{base}/demand"), &staff, demand).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.text);
    let reply = app.get(&format!("{base}/employees"), &Auth::None).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
}

async fn demand_rows_checked_against_unit(app: &TestApp) {
    let setup = setup(app).await;
    let path = format!("/api/v1/units/{}/demand", setup.unit);
    let before = app.get(&path, &setup.admin).await.body.as_array().unwrap().len();

    let reply = app.post(&path, &setup.admin, json!({ "day": "fre", "shift": "X", "min": 1 })).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
    assert_eq!(fields(&reply), ["shift"]);
    let reply = app.post(&path, &setup.admin, json!({ "day": "varannan", "shift": "D", "min": "två" })).await;
    assert_eq!(fields(&reply), ["day", "min"]);
    let reply = app
        .post(&path, &setup.admin, json!({ "day": "2027-04-02", "shift": "D", "min": 3, "ideal": 2 }))
        .await;
    assert_eq!(fields(&reply), ["ideal"]);
    // An ideal below the minimum comes in the same response as an invalid day.
    let reply =
        app.post(&path, &setup.admin, json!({ "day": "varannan", "shift": "D", "min": 3, "ideal": 2 })).await;
    assert_eq!(fields(&reply), ["day", "ideal"]);

    let row = json!({ "day": "2027-04-02", "shift": "D", "skill": "usk", "min": 3, "ideal": 4 });
    let created = app.post(&path, &setup.admin, row.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["day"], "2027-04-02");
    let repeated = app.post(&path, &setup.admin, row).await;
    assert_eq!(repeated.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", repeated.text);
    assert_eq!(fields(&repeated), ["day"]);

    let one = format!("{path}/{}", created.body["id"]);
    let mut changed = created.body.clone();
    changed["min"] = json!(4);
    let updated = put(app, &one, &setup.admin, Some(1), changed, "sv").await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(updated.body["min"], 4);
    assert_eq!(app.get(&path, &setup.admin).await.body.as_array().unwrap().len(), before + 1);
    let deleted = delete(app, &one, &setup.admin, 2).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.text);
    assert_eq!(app.get(&one, &setup.admin).await.status, StatusCode::NOT_FOUND);
}

async fn shift_types_edited_and_deactivated(app: &TestApp) {
    let setup = setup(app).await;
    let path = format!("/api/v1/units/{}/shift-types", setup.unit);

    let long = json!({ "code": "M", "name": "Mellan", "start": "10:00", "end": "18:30" });
    let reply = app.post(&path, &setup.admin, long).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
    assert_eq!(fields(&reply), ["break_minutes"]);
    assert!(reply.body["details"][0]["message"].as_str().unwrap().contains("ATL §15"), "{}", reply.text);
    let bad_time =
        json!({ "code": "M", "name": "Mellan", "start": "25:00", "end": "18:30", "break_minutes": 30 });
    assert_eq!(fields(&app.post(&path, &setup.admin, bad_time).await), ["start"]);
    // A break as long as the shift comes in the same response as a missing name.
    let too_long = json!({ "code": "M", "name": "", "start": "10:00", "end": "18:30", "break_minutes": 510 });
    assert_eq!(fields(&app.post(&path, &setup.admin, too_long).await), ["name", "break_minutes"]);

    let good =
        json!({ "code": "M", "name": "Mellan", "start": "10:00", "end": "18:30", "break_minutes": 30 });
    let created = app.post(&path, &setup.admin, good).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["end"], "18:30");
    let mut later = created.body.clone();
    later["end"] = json!("19:00");
    let updated = put(app, &format!("{path}/M"), &setup.admin, Some(1), later, "sv").await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);

    // A DELETE has no form, so a shift type in use is rejected with what to do, not with
    // the form's "correct the fields" message.
    let used = delete(app, &format!("{path}/D"), &setup.admin, 1).await;
    assert_eq!(used.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", used.text);
    let message = used.body["message"].as_str().unwrap();
    assert!(message.starts_with("Passtypen D används av "), "{message}");
    assert!(message.contains("kan inte inaktiveras; ta bort behovsraderna"), "{message}");
    assert!(fields(&used).is_empty(), "{}", used.text);
    let used = delete_in(app, &format!("{path}/D"), &setup.admin, 1, "en").await;
    assert_eq!(used.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", used.text);
    let message = used.body["message"].as_str().unwrap();
    assert!(message.starts_with("Shift type D is used by "), "{message}");
    assert!(message.contains("cannot be deactivated; delete the rows"), "{message}");
    let gone = delete(app, &format!("{path}/M"), &setup.admin, 2).await;
    assert_eq!(gone.status, StatusCode::OK, "{}", gone.text);
    assert_eq!(gone.body["active"], false);
}

async fn shift_type_reactivated_by_planners(app: &TestApp) {
    let setup = setup(app).await;
    let scheduler = member(app, &setup, "sara", "schemaläggare", None).await;
    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let path = format!("/api/v1/units/{}/shift-types", setup.unit);
    let middle =
        json!({ "code": "M", "name": "Mellan", "start": "10:00", "end": "18:30", "break_minutes": 30 });
    let created = app.post(&path, &scheduler, middle.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    let shift = format!("{path}/M");

    // A medarbetare may neither deactivate nor reactivate, and a caller without a session
    // gets 401.
    let rejected = delete(app, &shift, &staff, 1).await;
    assert_eq!(rejected.status, StatusCode::FORBIDDEN, "{}", rejected.text);
    let deactivated = delete(app, &shift, &scheduler, 1).await;
    assert_eq!(deactivated.status, StatusCode::OK, "{}", deactivated.text);
    assert_eq!(deactivated.body["active"], false);
    let rejected = reactivate(app, &shift, &staff, 2).await;
    assert_eq!(rejected.status, StatusCode::FORBIDDEN, "{}", rejected.text);
    let anonymous = reactivate(app, &shift, &Auth::None, 2).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{}", anonymous.text);
    assert_eq!(app.get(&shift, &scheduler).await.body["active"], false);

    // A deactivated shift type cannot be edited, and the message names the way back.
    let edit = put(app, &shift, &scheduler, Some(2), middle.clone(), "sv").await;
    assert_eq!(edit.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", edit.text);
    assert_eq!(edit.body["message"], "Passtypen M är inaktiverad; återaktivera passtypen först");

    // Reactivation needs the row version read, like every change.
    let request = app
        .builder(Method::POST, &format!("{shift}/reactivate"), &scheduler)
        .body(axum::body::Body::empty())
        .unwrap();
    let unversioned = app.send(request).await;
    assert_eq!(unversioned.status, StatusCode::PRECONDITION_REQUIRED, "{}", unversioned.text);
    let stale = reactivate(app, &shift, &scheduler, 1).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
    assert_eq!(stale.body["current_row_version"], 2);

    let back = reactivate(app, &shift, &scheduler, 2).await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.text);
    assert_eq!(back.body["active"], true);
    assert_eq!(back.body["row_version"], 3);
    assert_eq!(back.body["end"], "18:30");
    assert_eq!(back.body["break_minutes"], 30);
    let again = reactivate(app, &shift, &scheduler, 3).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", again.text);
    assert_eq!(again.body["message"], "Passtypen M är redan aktiv");
    let unknown = reactivate(app, &format!("{path}/X"), &scheduler, 1).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND, "{}", unknown.text);

    // One audit row names the scheduler and contains the row before and after. The rejected
    // requests wrote none.
    let audit = app.get(&format!("/api/v1/units/{}/audit", setup.unit), &setup.admin).await;
    let reactivations: Vec<&Value> =
        audit.body.as_array().unwrap().iter().filter(|r| r["action"] == "shift_type.reactivate").collect();
    assert_eq!(reactivations.len(), 1, "{}", audit.text);
    let row = reactivations[0];
    assert_eq!(row["entity"], "shift_type");
    assert_eq!(row["entity_id"], "M");
    assert!(row["actor"].as_str().unwrap().starts_with("user:"), "{row}");
    assert!(row["before_json"].as_str().unwrap().contains("\"active\":false"), "{row}");
    assert!(row["after_json"].as_str().unwrap().contains("\"active\":true"), "{row}");
}

async fn rules_edited_with_row_version(app: &TestApp) {
    let setup = setup(app).await;
    let path = format!("/api/v1/units/{}/rules", setup.unit);
    let current = app.get(&path, &setup.admin).await;
    assert_eq!(current.status, StatusCode::OK, "{}", current.text);
    assert_eq!(current.body["rules"]["daily_rest_hours"], 11.0);
    assert_eq!(current.body["rules"]["weekends"], json!({ "max": 1, "of": 2 }));
    let version = current.body["row_version"].as_i64().unwrap();

    let mut body = current.body.clone();
    body["rules"]["daily_rest_hours"] = json!("elva");
    body["weights"]["S99"] = json!(3);
    let reply = put(app, &path, &setup.admin, Some(version), body, "en").await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
    let mut named = fields(&reply);
    named.sort();
    assert_eq!(named, ["S99", "daily_rest_hours"]);

    let mut body = current.body.clone();
    body["rules"]["weekends"] = json!({ "max": 2, "of": 3 });
    body["rules"]["max_consecutive_days"] = json!(5);
    let updated = put(app, &path, &setup.admin, Some(version), body.clone(), "sv").await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    assert_eq!(updated.body["rules"]["weekends"], json!({ "max": 2, "of": 3 }));
    assert_eq!(updated.body["row_version"], version + 1);
    let reread = app.get(&path, &setup.admin).await;
    assert_eq!(reread.body, updated.body);

    let stale = put(app, &path, &setup.admin, Some(version), body, "sv").await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);
}

async fn unit_renamed_with_row_version(app: &TestApp) {
    let setup = setup(app).await;
    let path = format!("/api/v1/units/{}", setup.unit);
    let version = app.get(&path, &setup.admin).await.body["row_version"].as_i64().unwrap();

    let empty = put(app, &path, &setup.admin, Some(version), json!({ "name": " " }), "en").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.text);
    assert_eq!(empty.body["message"], "The unit name is empty; fill it in");

    let renamed = put(app, &path, &setup.admin, Some(version), json!({ "name": "Linden 2" }), "sv").await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.text);
    assert_eq!(renamed.body["name"], "Linden 2");
    assert_eq!(renamed.body["row_version"], version + 1);
    let stale = put(app, &path, &setup.admin, Some(version), json!({ "name": "Linden 3" }), "sv").await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text);

    let staff = member(app, &setup, "anna", "medarbetare", Some("1001")).await;
    let denied = put(app, &path, &staff, Some(version + 1), json!({ "name": "Linden 4" }), "sv").await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN, "{}", denied.text);
}
