//! The HTTP surface: the whole route tree in `routes`, and how malformed requests become the
//! contract's errors (bad JSON 400, bad query values 422, a non-numeric id 404).

pub mod api;
pub mod baseline;
pub mod body;
pub mod download;
pub mod extract;
pub mod html;

use crate::error::{AppError, Code};
use crate::services::Ctx;
use actix_web::{web, HttpResponse};

pub fn routes(cfg: &mut web::ServiceConfig) {
    use api::*;
    // JSON bodies are read by `body::Body`, which names the field a wrong shape is about.
    cfg.app_data(web::QueryConfig::default().error_handler(|err, _| {
        AppError::field("query", Code::Unreadable.with("detail", err)).into()
    }))
    .app_data(web::PathConfig::default().error_handler(|err, req| {
        if is_api(req.path()) {
            AppError::not_found("record").into()
        } else {
            // A page's malformed id (`/cases/abc`): the HTML 404, without the session's nav
            // (this hook cannot wait for the session lookup).
            actix_web::error::InternalError::from_response(err, html::not_found_page()).into()
        }
    }))
    .route("/healthz", web::get().to(healthz))
    .service(
        web::scope("/api/v1")
            .route("/openapi.json", web::get().to(openapi::document))
            .route("/auth/login", web::post().to(auth::login))
            .route("/auth/logout", web::post().to(auth::logout))
            .route("/me", web::get().to(users::me))
            .route("/me", web::patch().to(users::set_my_settings))
            .route("/units", web::get().to(units::list))
            .route("/units", web::post().to(units::create))
            .route("/units/{id}", web::patch().to(units::update))
            .route("/enterprises", web::get().to(enterprises::list))
            .route("/enterprises", web::post().to(enterprises::create))
            .route("/enterprises/{id}", web::get().to(enterprises::get))
            .route("/enterprises/{id}", web::patch().to(enterprises::update))
            .route(
                "/enterprises/{id}/officer",
                web::put().to(enterprises::set_officer),
            )
            .route("/users", web::get().to(users::list))
            .route("/users", web::post().to(users::create))
            .route("/users/{id}", web::get().to(users::get))
            .route("/users/{id}", web::patch().to(users::update))
            .route("/consultations", web::get().to(consultations::list))
            .route("/consultations", web::post().to(consultations::create))
            .route("/consultations/{id}", web::get().to(consultations::get))
            .route("/cases", web::get().to(cases::list))
            .route("/cases", web::post().to(cases::create))
            .route("/cases/archive", web::post().to(cases::archive_many))
            .route("/cases/{id}", web::get().to(cases::get))
            .route("/cases/{id}", web::patch().to(cases::update))
            .route("/cases/{id}/notes", web::post().to(cases::note))
            .route("/cases/{id}/documents", web::get().to(documents::list))
            .route(
                "/cases/{id}/documents/{kind}",
                web::get().to(documents::get),
            )
            .route(
                "/cases/{id}/evidence",
                web::get().to(evidence::list_of_case),
            )
            .route(
                "/cases/{id}/evidence",
                web::post().to(evidence::upload_to_case),
            )
            .route(
                "/cases/{id}/terms/{term_id}/performed",
                web::post().to(cases::performed),
            )
            .route(
                "/cases/{id}/confirmation",
                web::post().to(cases::confirmation),
            )
            .route(
                "/cases/{id}/confirmation/intent",
                web::post().to(cases::confirmation_intent),
            )
            .route(
                "/cases/{id}/confirmation/ruling",
                web::post().to(cases::confirmation_ruling),
            )
            .route("/cases/{id}/follow-ups", web::post().to(cases::follow_up))
            .route(
                "/cases/{id}/follow-ups/waive",
                web::post().to(cases::waive_follow_up),
            )
            .route("/cases/{id}/archive", web::post().to(cases::archive))
            .route("/cases/{id}/{action}", web::post().to(cases::act))
            .route("/warnings", web::get().to(warnings::list))
            .route("/warnings", web::post().to(warnings::create))
            .route("/warnings/{id}", web::get().to(warnings::get))
            .route(
                "/warnings/{id}/acknowledge",
                web::post().to(warnings::acknowledge),
            )
            .route("/warnings/{id}/defuse", web::post().to(warnings::defuse))
            .route(
                "/warnings/{id}/escalate",
                web::post().to(warnings::escalate),
            )
            .route("/notifications", web::get().to(notifications::list))
            .route(
                "/notifications/{id}/resend",
                web::post().to(notifications::resend),
            )
            .route("/stats", web::get().to(stats::stats))
            .route("/reports/monthly", web::get().to(stats::monthly))
            .route("/reports/yearly", web::get().to(stats::yearly))
            .route("/ledger", web::get().to(stats::ledger))
            .route(
                "/warnings/{id}/evidence",
                web::get().to(evidence::list_of_warning),
            )
            .route(
                "/warnings/{id}/evidence",
                web::post().to(evidence::upload_to_warning),
            )
            .route("/evidence/{id}/file", web::get().to(evidence::file))
            .route("/evidence/{id}/remove", web::post().to(evidence::remove)),
    )
    .configure(html::routes)
    .default_service(web::to(not_found));
}

/// Whether a path belongs to the JSON API (whose errors are JSON) rather than the pages.
fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// An unknown route: the JSON 404 under /api/, the HTML 404 page in the site's look elsewhere.
/// A route of the API asked with a method it does not take (TRACE, DELETE, ...) is 405 with the
/// methods it does take in `Allow`: each `.route` is its own resource, so actix cannot tell.
async fn not_found(ctx: web::Data<Ctx>, req: actix_web::HttpRequest) -> HttpResponse {
    if is_api(req.path()) {
        use actix_web::ResponseError;
        let methods = api::openapi::methods_of(req.path());
        if methods.is_empty() {
            return AppError::NotFound("no such route".into()).error_response();
        }
        let allow = methods.join(", ");
        let mut answer = AppError::MethodNotAllowed {
            method: req.method().to_string(),
            allow: allow.clone(),
        }
        .error_response();
        if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&allow) {
            answer
                .headers_mut()
                .insert(actix_web::http::header::ALLOW, value);
        }
        return answer;
    }
    html::not_found(&ctx, &req).await
}

/// 200 once the database answers and is migrated.
async fn healthz(ctx: web::Data<Ctx>) -> Result<HttpResponse, AppError> {
    ctx.db
        .read(|conn| {
            use crate::db::schema::settings;
            use diesel::prelude::*;
            settings::table.count().get_result::<i64>(conn)?;
            Ok::<_, AppError>(())
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"status": "ok"})))
}
