//! The error pages in the site's look: a failed page's status with its message from the
//! catalog, or each refused field with its message in the page's language (no internals shown), and the HTML 404 of an unknown path.

use super::{html, page_ctx, render, PageCtx};
use crate::error::AppError;
use crate::services::Ctx;
use actix_web::{HttpRequest, HttpResponse};
use serde_json::json;

/// The error page in the site's look; no internals are shown.
pub fn error_page(page: &PageCtx, err: &AppError) -> HttpResponse {
    use actix_web::ResponseError;
    let status = err.status_code();
    let key = match err {
        AppError::NotFound(_) => "error.not_found",
        AppError::Forbidden(_) => "error.forbidden",
        AppError::InvalidTransition(_) => "error.conflict",
        AppError::Internal(_) | AppError::Failure(_) => {
            // Logged once, by the JSON error's own path.
            let _ = err.error_response();
            "error.internal"
        }
        _ => "",
    };
    let data = page.data(
        "error.title",
        json!({"status": status.as_u16(), "message_key": key,
               "message": super::form::describe(err, &page.lang)}),
    );
    html(status, render::render("pages/error", &data))
}

/// The HTML 404 page for an unknown path, with the nav when there is a session.
pub async fn not_found(ctx: &Ctx, req: &HttpRequest) -> HttpResponse {
    match page_ctx(ctx, req).await {
        Ok(page) => error_page(&page, &AppError::not_found("page")),
        Err(_) => not_found_page(),
    }
}

/// The HTML 404 page without a session (where the session cannot be looked up).
pub fn not_found_page() -> HttpResponse {
    error_page(&PageCtx::anonymous(), &AppError::not_found("page"))
}
