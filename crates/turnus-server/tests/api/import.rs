//! Bundle import: zip upload, and errors with file and line in Swedish and English.

use std::io::Write;

use axum::http::StatusCode;

use crate::common::{TestApp, backend_tests, example_files, setup};

backend_tests!(bad_bundle_is_422, zip_upload_imports);

async fn bad_bundle_is_422(app: &TestApp) {
    let setup = setup(app).await;
    let mut files = example_files("sarskilt-boende");
    for (name, contents) in &mut files {
        if name == "staff.csv" {
            let text = String::from_utf8(contents.clone()).unwrap();
            *contents =
                text.replacen("1002;Maria Johansson;100;", "1002;Maria Johansson;abc;", 1).into_bytes();
        }
    }
    let sv = app.import(setup.unit, &setup.admin, &files, None).await;
    assert_eq!(sv.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", sv.text);
    let detail = &sv.body["details"][0];
    assert_eq!(detail["file"], "staff.csv");
    assert_eq!(detail["line"], 3);
    let message = detail["message"].as_str().unwrap();
    assert!(message.starts_with("staff.csv:3: kolumn sysselsättningsgrad"), "{message}");
    assert!(sv.body["message"].as_str().unwrap().starts_with("Indata innehåller"));

    let en = app.import(setup.unit, &setup.admin, &files, Some("en-GB,en;q=0.9")).await;
    assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
    let message = en.body["details"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("staff.csv:3: column sysselsättningsgrad"), "{message}");
    assert!(en.body["message"].as_str().unwrap().starts_with("The input has"));
}

async fn zip_upload_imports(app: &TestApp) {
    let setup = setup(app).await;
    let mut zipped = Vec::new();
    {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(&mut zipped));
        for (name, contents) in example_files("sarskilt-boende") {
            writer.start_file(format!("bundle/{name}"), zip::write::SimpleFileOptions::default()).unwrap();
            writer.write_all(&contents).unwrap();
        }
        writer.finish().unwrap();
    }
    let reply = app.import(setup.unit, &setup.admin, &[("linden.zip".to_string(), zipped)], None).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["state"], "draft");
    assert_eq!(reply.body["start"], "2027-03-15");
    assert_eq!(reply.body["weeks"], 6);
}
