//! The one error type the web layer answers with, and the one place it becomes a status and the
//! JSON envelope `{"error":{"code","message","fields","field_codes"}}`.
//!
//! Policy: a client's mistake is a 4xx with a stable snake_case `code` and, for 422, a `fields`
//! map naming each bad field with its English text, and `field_codes` with the same fields'
//! problem codes (`domain::problem::Code`). Our own failures (database, pool, thread pool) are
//! 500 with a generic message; they are logged once, here, with their cause chain, and never
//! with request values.

use crate::db::DbError;
pub use crate::domain::problem::{Code, Problem};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    InvalidTransition(Problem),
    #[error("{}", Problem::from(Code::VersionConflict))]
    VersionConflict,
    /// Any change to an archived case: 409 `archived` (its documents still print).
    #[error("{}", Problem::from(Code::Archived))]
    Archived,
    #[error("{problem}")]
    Duplicate { field: String, problem: Problem },
    #[error("some values are not valid")]
    Validation(FieldErrors),
    /// A JSON body that parses but has the wrong shape: a missing field, a wrong type, an
    /// unknown field or enum value. A 400 like malformed JSON, with `fields` naming each.
    #[error("the request body does not have the expected form; fields says where")]
    BadShape(FieldErrors),
    #[error("{0}")]
    TooManyRequests(String),
    #[error("this route does not take {method}; it takes {allow}")]
    MethodNotAllowed { method: String, allow: String },
    #[error("this Idempotency-Key was used for another request in the last 24 hours")]
    IdempotencyConflict,
    /// Another request with the same `Idempotency-Key` created its record first; the web layer
    /// answers with that record (`web::api::creating`) and a client never sees this.
    #[error("a request with this Idempotency-Key was answered already: send it again")]
    Replay,
    /// An upload larger than the configured limit: 413 `too_large`.
    #[error("{0}")]
    TooLarge(String),
    /// An upload whose content (not its name) is of a type not allowed: 415 `unsupported_type`.
    #[error("{0}")]
    UnsupportedType(String),
    #[error("internal error: {0}")]
    Internal(#[from] DbError),
    /// Our own failure that is not the database's (rendering a workbook or an email, hashing a
    /// password): a 500, logged once with its cause.
    #[error("internal error: {0}")]
    Failure(String),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::Internal(DbError::Query(e))
    }
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest(_) | AppError::BadShape(_) => "bad_request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::InvalidTransition(_) => "invalid_transition",
            AppError::VersionConflict => "version_conflict",
            AppError::Archived => "archived",
            AppError::Duplicate { .. } => "duplicate",
            AppError::Validation(_) => "validation",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::IdempotencyConflict | AppError::Replay => "idempotency_conflict",
            AppError::MethodNotAllowed { .. } => "method_not_allowed",
            AppError::TooLarge(_) => "too_large",
            AppError::UnsupportedType(_) => "unsupported_type",
            AppError::Internal(_) | AppError::Failure(_) => "internal",
        }
    }

    pub fn not_found(what: &str) -> AppError {
        AppError::NotFound(format!("no such {what}"))
    }

    /// A request without a valid bearer token.
    pub fn not_signed_in() -> AppError {
        AppError::Unauthorized("sign in first: send Authorization: Bearer TOKEN".into())
    }

    pub fn forbidden() -> AppError {
        AppError::Forbidden("you may not do this".into())
    }

    /// Whether a page's form answers this refusal with the whole error page (nothing to show,
    /// not allowed, or our own failure) rather than with the form again, the refusal beside it.
    pub fn is_not_the_forms(&self) -> bool {
        matches!(
            self,
            AppError::NotFound(_)
                | AppError::Forbidden(_)
                | AppError::Internal(_)
                | AppError::Failure(_)
        )
    }

    /// A 422 on a single field.
    pub fn field(field: &str, problem: impl Into<Problem>) -> AppError {
        let mut f = FieldErrors::default();
        f.add(field, problem);
        AppError::Validation(f)
    }

    /// What the refusal is, as a code a page translates: a duplicate's, a conflict's;
    /// `None` for a refusal that carries only its English words.
    pub fn problem(&self) -> Option<Problem> {
        match self {
            AppError::Duplicate { problem, .. } => Some(problem.clone()),
            AppError::VersionConflict => Some(Code::VersionConflict.into()),
            AppError::Archived => Some(Code::Archived.into()),
            AppError::InvalidTransition(problem) => Some(problem.clone()),
            _ => None,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) | AppError::BadShape(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::InvalidTransition(_)
            | AppError::VersionConflict
            | AppError::Archived
            | AppError::Duplicate { .. }
            | AppError::IdempotencyConflict
            | AppError::Replay => StatusCode::CONFLICT,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Internal(_) | AppError::Failure(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let message = match self {
            AppError::Internal(cause) => {
                let mut chain = cause.to_string();
                let mut source = std::error::Error::source(cause);
                while let Some(s) = source {
                    chain.push_str(": ");
                    chain.push_str(&s.to_string());
                    source = s.source();
                }
                tracing::error!(error = %chain, "request failed");
                "something went wrong on our side; the request changed nothing".to_string()
            }
            AppError::Failure(cause) => {
                tracing::error!(error = %cause, "request failed");
                "something went wrong on our side; the request changed nothing".to_string()
            }
            other => other.to_string(),
        };
        let mut body = json!({"error": {"code": self.code(), "message": message}});
        let fields = match self {
            AppError::Validation(f) | AppError::BadShape(f) => Some(f.0.iter().collect()),
            AppError::Duplicate { field, problem } => Some(BTreeMap::from([(field, problem)])),
            _ => None,
        };
        if let Some(fields) = fields {
            let texts: BTreeMap<_, _> = fields.iter().map(|(f, p)| (f, p.english())).collect();
            let codes: BTreeMap<_, _> = fields.iter().map(|(f, p)| (f, p.code)).collect();
            body["error"]["fields"] = json!(texts);
            body["error"]["field_codes"] = json!(codes);
        }
        HttpResponse::build(self.status_code()).json(body)
    }
}

/// Collects what is wrong with each field of a request, so a client learns all of it at once:
/// the first problem of each field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, Problem>);

impl FieldErrors {
    pub fn add(&mut self, field: &str, problem: impl Into<Problem>) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| problem.into());
    }

    /// Keeps the value if `result` is Ok, records the error under `field` otherwise.
    pub fn take<T, E: Into<Problem>>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.add(field, e);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Ok when nothing was wrong, else the 422.
    pub fn finish(self) -> Result<(), AppError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;
