//! API errors. A handler returns an [`ApiError`] with a status, a stable machine-readable
//! code and the message in Swedish and English. The language middleware writes the body as
//! `{"error": code, "message": …, "details": […]}` in the client's language. Database and
//! other internal failures are logged once here and shown to clients without the driver's
//! text: a concurrent unique or foreign-key violation as 409 `conflict`, an unreachable
//! database as 503 `database_unavailable`, anything else as 500 `internal`.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use turnus_core::{Lang, ProblemError, RuleId};
use turnus_store::{DbFailure, DbFailureKind, StoreError};

/// One item of an error's details, such as a bundle error at a file and line.
#[derive(Debug, Clone)]
pub struct Detail {
    /// Fields shown as they are, such as `file` and `line`.
    pub fields: Value,
    pub sv: String,
    pub en: String,
}

/// The body of an error response before its language is chosen.
#[derive(Debug, Clone)]
pub(crate) struct ErrorBody {
    code: &'static str,
    sv: String,
    en: String,
    details: Vec<Detail>,
    extra: Value,
}

impl ErrorBody {
    pub(crate) fn render(&self, lang: Lang) -> Value {
        let details: Vec<Value> = self
            .details
            .iter()
            .map(|d| {
                let mut fields = d.fields.clone();
                if let Value::Object(map) = &mut fields {
                    map.insert("message".into(), Value::String(lang.pick(&d.sv, &d.en).to_string()));
                }
                fields
            })
            .collect();
        let mut body = json!({
            "error": self.code,
            "message": lang.pick(&self.sv, &self.en),
            "details": details,
        });
        if let (Value::Object(body), Value::Object(extra)) = (&mut body, &self.extra) {
            body.extend(extra.clone());
        }
        body
    }
}

/// An error response to an API client.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    // Boxed so that results carrying an error stay small.
    body: Box<ErrorBody>,
    retry_after_secs: Option<u64>,
}

impl ApiError {
    /// Creates an error with a status, a code such as `not_found`, and its message in both
    /// languages.
    pub fn new(
        status: StatusCode,
        code: &'static str,
        sv: impl Into<String>,
        en: impl Into<String>,
    ) -> ApiError {
        ApiError {
            status,
            body: Box::new(ErrorBody {
                code,
                sv: sv.into(),
                en: en.into(),
                details: Vec::new(),
                extra: Value::Null,
            }),
            retry_after_secs: None,
        }
    }

    pub fn with_details(mut self, details: Vec<Detail>) -> ApiError {
        self.body.details = details;
        self
    }

    /// Adds top-level fields to the body, such as the current row version of a conflict.
    pub fn with_extra(mut self, extra: Value) -> ApiError {
        self.body.extra = extra;
        self
    }

    pub fn retry_after(mut self, secs: u64) -> ApiError {
        self.retry_after_secs = Some(secs);
        self
    }

    pub fn code(&self) -> &'static str {
        self.body.code
    }

    /// The error body in `lang`: `{"error", "message", "details", …}` as the API sends it.
    pub fn render(&self, lang: Lang) -> Value {
        self.body.render(lang)
    }

    pub fn bad_request(sv: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", sv, en)
    }

    pub fn unprocessable(sv: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", sv, en)
    }

    pub fn unauthenticated() -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "Logga in eller ange en API-token",
            "Sign in or give an API token",
        )
    }

    pub fn forbidden(sv: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", sv, en)
    }

    /// Creates the 404 error for a missing row and for a row of a unit the caller has no
    /// grant on, so that other units' existence does not leak.
    pub fn not_found(what_sv: &str, what_en: &str) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("{what_sv} finns inte"),
            format!("{what_en} not found"),
        )
    }

    pub fn internal() -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Ett internt fel uppstod; försök igen, och kontakta driften om felet kvarstår",
            "An internal error occurred; try again, and contact the operators if it persists",
        )
    }
}

/// Adds to the rejection of a publication whose version breaks hard rules the body's field
/// `hard_findings` with the count, and `details` with one item per rule and its count.
fn hard_findings(sv: String, en: String, count: usize, rules: &[(RuleId, usize)]) -> ApiError {
    let details = rules
        .iter()
        .map(|(rule, n)| Detail {
            fields: json!({ "rule": rule.as_str(), "count": n }),
            sv: format!("{rule} {}: {n} regelbrott", rule.label_sv()),
            en: format!("{rule} {}: {n} {}", rule.label_en(), if *n == 1 { "finding" } else { "findings" }),
        })
        .collect();
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "hard_findings", sv, en)
        .with_details(details)
        .with_extra(json!({ "hard_findings": count }))
}

/// Words the rejection of a problem with contradictions, one detail per contradiction as
/// the bundle reader and the command line word them.
fn invalid_problem(errors: &[ProblemError]) -> ApiError {
    let details = errors
        .iter()
        .map(|e| {
            let described = turnus_io::unit_data_error(e);
            Detail {
                fields: json!({ "field": described.column, "value": described.value }),
                sv: described.message_sv,
                en: described.message_en,
            }
        })
        .collect();
    let (sv, en) = match errors.len() {
        1 => ("Indata innehåller 1 motsägelse".to_string(), "The input has 1 contradiction".to_string()),
        count => (
            format!("Indata innehåller {count} motsägelser"),
            format!("The input has {count} contradictions"),
        ),
    };
    ApiError::unprocessable(sv, en).with_details(details)
}

/// Turns a store error into the response: the store's message with the status, code and
/// extra fields of its kind. Database failures are logged here and shown without their cause.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        if let StoreError::InvalidProblem(errors) = &e {
            return invalid_problem(errors);
        }
        let Some(message) = e.message() else {
            tracing::error!(error = %e, "store failed");
            return match e.db_failure() {
                Some(failure) => database_failure(failure),
                None => ApiError::internal(),
            };
        };
        let (sv, en) = (message.sv, message.en);
        match e {
            StoreError::NotFound { .. } => ApiError::new(StatusCode::NOT_FOUND, "not_found", sv, en),
            StoreError::Conflict { current_row_version, .. } => {
                ApiError::new(StatusCode::CONFLICT, "conflict", sv, en)
                    .with_extra(json!({ "current_row_version": current_row_version }))
            }
            StoreError::WrongState(rejection) => {
                ApiError::unprocessable(sv, en).with_extra(json!({ "state": rejection.state().as_str() }))
            }
            StoreError::HardFindings { count, rules } => hard_findings(sv, en, count, &rules),
            StoreError::UsernameTaken { .. } => ApiError::new(StatusCode::CONFLICT, "username_taken", sv, en),
            _ => ApiError::unprocessable(sv, en),
        }
    }
}

/// Turns a driver failure with a common cause into a response with the store's wording,
/// without the driver's text, which the caller logged. A conflict is the client's to retry
/// and an unreachable database may come back. A wrong URL or password is the operators'
/// to fix, so the caller gets the internal error.
fn database_failure(failure: DbFailure) -> ApiError {
    let (sv, en) = (
        format!("{}; {}", failure.cause.sv, turnus_core::continuing(&failure.fix.sv)),
        format!("{}; {}", failure.cause.en, turnus_core::continuing(&failure.fix.en)),
    );
    match failure.kind {
        DbFailureKind::Conflict => ApiError::new(StatusCode::CONFLICT, "conflict", sv, en),
        DbFailureKind::Unavailable => {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "database_unavailable", sv, en).retry_after(5)
        }
        DbFailureKind::Authentication | DbFailureKind::MissingDatabase => ApiError::internal(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The language middleware replaces this body with the one in the client's language.
        let mut response = (self.status, axum::Json(self.body.render(Lang::Sv))).into_response();
        if let Some(secs) = self.retry_after_secs {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response.extensions_mut().insert(*self.body);
        response
    }
}

/// Shorthand for handler results.
pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use turnus_core::{Lang, ProblemError};
    use turnus_store::{Field, InvalidRequest, StoreError};

    use super::ApiError;

    #[test]
    fn contradictions_worded_in_each_language() {
        let below = ProblemError::IdealBelowMin { code: "D".into(), min: 3, ideal: 2 };
        let error = ApiError::from(StoreError::InvalidProblem(vec![below]));
        let sv = error.render(Lang::Sv);
        assert_eq!(sv["message"], "Indata innehåller 1 motsägelse");
        assert_eq!(sv["details"][0]["field"], "ideal");
        assert_eq!(
            sv["details"][0]["message"],
            "ideal 2 är lägre än min 3; skriv ett ideal på minst 3 eller lämna det tomt"
        );
        let en = error.render(Lang::En);
        assert_eq!(
            en["details"][0]["message"],
            "ideal 2 is below min 3; write an ideal of at least 3 or leave it empty"
        );
    }

    #[test]
    fn invalid_request_worded_in_each_language() {
        let error = ApiError::from(StoreError::Invalid(InvalidRequest::Empty { field: Field::UnitName }));
        assert_eq!(error.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(error.render(Lang::Sv)["message"], "Enhetens namn saknas; fyll i det");
        assert_eq!(error.render(Lang::En)["message"], "The unit name is empty; fill it in");
    }

    #[test]
    fn unreachable_database_worded_without_driver_text() {
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let error = ApiError::from(StoreError::Db(sqlx::Error::Io(refused)));
        assert_eq!(error.status, axum::http::StatusCode::SERVICE_UNAVAILABLE);
        let sv = error.render(Lang::Sv);
        assert_eq!(sv["error"], "database_unavailable");
        assert_eq!(
            sv["message"],
            "Databasservern nekar anslutningen; kontrollera att PostgreSQL kör och att värden och porten i \
             databas-URL:en stämmer"
        );
        let en = error.render(Lang::En)["message"].as_str().unwrap_or_default().to_string();
        assert!(en.starts_with("The database server refuses the connection; check that"), "{en}");
        assert!(!en.contains("error communicating"), "the driver's text is only logged: {en}");
    }

    #[test]
    fn other_database_failures_stay_internal() {
        let error = ApiError::from(StoreError::Db(sqlx::Error::PoolClosed));
        assert_eq!(error.status, axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    }
}
