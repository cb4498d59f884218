//! Import of a whole bundle into a unit as a new period: a zip file, or the bundle's files
//! as separate multipart parts. The files are written to a temporary folder and read by
//! turnus-io's bundle reader, so errors carry the same file, line and column as the CLI's.

use std::io::Read;
use std::path::Path;

use axum::Json;
use axum::extract::{Multipart, Path as UrlPath, State};
use axum::http::StatusCode;
use serde_json::json;
use turnus_store::{SchedulePeriod, UnitId};

use super::AppState;
use crate::access::{self, PLANNERS};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult, Detail};

/// Most files a bundle may hold.
const MAX_FILES: usize = 64;

fn bad_upload(sv: impl Into<String>, en: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "bad_upload", sv, en)
}

/// The file name without folders, or `None` for names that are not plain file names.
fn plain_name(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next()?.trim();
    if base.is_empty() || base.starts_with('.') {
        return None;
    }
    Some(base.to_string())
}

/// Writes the files of a zip archive to `dir`, flattening folders.
fn unzip(bytes: &[u8], dir: &Path) -> ApiResult<usize> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        bad_upload(format!("Zip-filen kan inte läsas: {e}"), format!("The zip file cannot be read: {e}"))
    })?;
    let mut written = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| {
            bad_upload(format!("Zip-filen kan inte läsas: {e}"), format!("The zip file cannot be read: {e}"))
        })?;
        if entry.is_dir() {
            continue;
        }
        let Some(name) = plain_name(entry.name()) else { continue };
        if written == MAX_FILES {
            return Err(bad_upload(
                format!("Högst {MAX_FILES} filer per bundle"),
                format!("At most {MAX_FILES} files per bundle"),
            ));
        }
        let mut contents = Vec::new();
        entry.read_to_end(&mut contents).map_err(|e| {
            bad_upload(format!("{name} kan inte packas upp: {e}"), format!("{name} cannot be unpacked: {e}"))
        })?;
        std::fs::write(dir.join(&name), contents).map_err(|e| {
            tracing::error!(error = %e, "cannot write an uploaded file");
            ApiError::internal()
        })?;
        written += 1;
    }
    Ok(written)
}

/// `POST /api/v1/units/{unit}/import` (chef, schemaläggare): creates a period in state draft
/// from the bundle.
pub async fn import_bundle(
    State(state): State<AppState>,
    caller: Caller,
    UrlPath(unit): UrlPath<i64>,
    mut multipart: Multipart,
) -> ApiResult<(StatusCode, Json<SchedulePeriod>)> {
    let access = access::require(&caller, UnitId(unit), PLANNERS)?;
    state.store.get_unit(access.unit).await?;
    let dir = tempfile::tempdir().map_err(|e| {
        tracing::error!(error = %e, "cannot create a temporary folder");
        ApiError::internal()
    })?;

    let mut files = 0;
    while let Some(field) = multipart.next_field().await.map_err(|e| {
        bad_upload(format!("Uppladdningen kan inte läsas: {e}"), format!("The upload cannot be read: {e}"))
    })? {
        let name = field.file_name().or(field.name()).unwrap_or("").to_string();
        let bytes = field.bytes().await.map_err(|e| {
            bad_upload(
                format!("Uppladdningen kan inte läsas: {e}"),
                format!("The upload cannot be read: {e}"),
            )
        })?;
        if name.to_lowercase().ends_with(".zip") || bytes.starts_with(b"PK\x03\x04") {
            files += unzip(&bytes, dir.path())?;
            continue;
        }
        let Some(name) = plain_name(&name) else {
            return Err(bad_upload("En fil saknar namn", "A file has no name"));
        };
        if files == MAX_FILES {
            return Err(bad_upload(
                format!("Högst {MAX_FILES} filer per bundle"),
                format!("At most {MAX_FILES} files per bundle"),
            ));
        }
        std::fs::write(dir.path().join(&name), &bytes).map_err(|e| {
            tracing::error!(error = %e, "cannot write an uploaded file");
            ApiError::internal()
        })?;
        files += 1;
    }
    if files == 0 {
        return Err(bad_upload(
            "Ladda upp en zip-fil eller bundlens filer (unit.toml och CSV-filer)",
            "Upload a zip file or the bundle's files (unit.toml and CSV files)",
        ));
    }

    let path = dir.path().to_path_buf();
    let read = tokio::task::spawn_blocking(move || turnus_io::read_bundle(&path))
        .await
        .map_err(|_| ApiError::internal())?;
    let (problem, _warnings) = read.map_err(|errors| {
        let details = errors
            .errors
            .iter()
            .map(|e| Detail {
                fields: json!({ "file": e.file, "line": e.line, "column": e.column, "value": e.value }),
                sv: e.render(turnus_core::Lang::Sv),
                en: e.render(turnus_core::Lang::En),
            })
            .collect();
        ApiError::unprocessable(
            format!("Indata innehåller {} fel", errors.errors.len()),
            match errors.errors.len() {
                1 => "The input has 1 error".to_string(),
                n => format!("The input has {n} errors"),
            },
        )
        .with_details(details)
    })?;
    let period = state.store.import_problem(access.unit, &problem, &caller.change()).await?;
    Ok((StatusCode::CREATED, Json(period)))
}
