//! The server-rendered web pages over the same services as the JSON API: sign-in with database
//! sessions, the desk, the case pages and their printed documents, warnings, consultations, the
//! reports, the ledger import and the admin area. Every POST carries the session's CSRF token
//! and, when the browser sends one, a same-origin `Origin`. Without a session every page answers
//! 303 to `/login?next=...`; an unknown path outside /api/ answers the HTML 404 page
//! (`not_found`).

mod admin;
mod applicant_rows;
mod case_actions;
mod case_edit;
mod cases;
mod consultations;
mod desk;
pub(crate) mod docx;
mod downloads;
mod enterprise_field;
mod errors;
mod evidence;
mod flash;
mod form;
mod ledger_import;
mod page;
pub(crate) mod print;
pub mod render;
mod reports;
mod session;
mod settings;
mod term_rows;
mod warnings;

pub use errors::{error_page, not_found, not_found_page};
pub use page::{check_form, OrPage, PageError, PageResult, SignedForm, SignedIn};

use crate::domain::permission::Permission;
use crate::error::AppError;
use crate::i18n;
use crate::services::sessions::{self, WebSession};
use crate::services::Ctx;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use session::cookie_name;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/app.css", web::get().to(css))
        .route("/login", web::get().to(session::login_form))
        .route("/login", web::post().to(session::login_submit))
        .route("/logout", web::post().to(session::logout))
        .route("/lang", web::post().to(session::set_lang))
        .route("/", web::get().to(desk::desk))
        .route("/me/settings", web::get().to(settings::form))
        .route("/me/settings", web::post().to(settings::submit))
        .route("/cases", web::get().to(cases::list))
        .route("/cases/export", web::get().to(downloads::cases_file))
        .route("/cases/new", web::get().to(cases::new_form))
        .route("/cases/new", web::post().to(cases::new_submit))
        .route("/cases/archive", web::post().to(case_actions::archive_many))
        .route("/cases/{id}", web::get().to(cases::show))
        .route("/cases/{id}/edit", web::get().to(case_edit::form))
        .route("/cases/{id}/edit", web::post().to(case_edit::submit))
        .route("/cases/{id}/print/{document}", web::get().to(print::print))
        .route(
            "/cases/{id}/act/{action}",
            web::post().to(case_actions::act),
        )
        .route("/consultations", web::get().to(consultations::list))
        .route("/consultations/new", web::get().to(consultations::new_form))
        .route(
            "/consultations/new",
            web::post().to(consultations::new_submit),
        )
        .route(
            "/admin",
            web::get().to(|| async { see_other("/admin/users") }),
        )
        .route("/admin/units", web::get().to(admin::units_page))
        .route("/admin/units", web::post().to(admin::units_create))
        .route(
            "/admin/units/arbitration",
            web::post().to(admin::units_arbitration),
        )
        .route(
            "/admin/units/letterhead",
            web::post().to(admin::units_letterhead),
        )
        .route("/admin/enterprises", web::get().to(admin::enterprises_page))
        .route(
            "/admin/enterprises",
            web::post().to(admin::enterprises_create),
        )
        .route(
            "/admin/enterprises/{id}/officer",
            web::post().to(admin::enterprise_officer),
        )
        .route("/admin/users/{id}/edit", web::get().to(admin::user_form))
        .route("/admin/users/{id}/edit", web::post().to(admin::user_save))
        .route(
            "/admin/enterprises/{id}/edit",
            web::get().to(admin::enterprise_form),
        )
        .route(
            "/admin/enterprises/{id}/edit",
            web::post().to(admin::enterprise_save),
        )
        .route(
            "/admin/notifications/{id}/resend",
            web::post().to(admin::resend),
        )
        .route("/admin/users", web::get().to(admin::users))
        .route("/admin/users", web::post().to(admin::users_create))
        .route(
            "/admin/users/{id}/{action}",
            web::post().to(admin::user_action),
        )
        .route("/admin/notifications", web::get().to(admin::notifications))
        .route("/warnings", web::get().to(warnings::list))
        .route("/warnings/new", web::get().to(warnings::new_form))
        .route("/warnings/new", web::post().to(warnings::new_submit))
        .route("/warnings/{id}", web::get().to(warnings::show))
        .route("/warnings/{id}/act/{action}", web::post().to(warnings::act))
        .route("/ledger", web::get().to(downloads::ledger_form))
        .route("/ledger/export", web::get().to(downloads::ledger_file))
        .route("/ledger/import", web::get().to(ledger_import::form))
        .route("/ledger/import", web::post().to(ledger_import::submit))
        .route("/reports/monthly", web::get().to(reports::monthly))
        .route("/reports/yearly", web::get().to(reports::yearly))
        .route("/reports/monthly/export", web::get().to(downloads::monthly))
        .route("/reports/yearly/export", web::get().to(downloads::yearly))
        .route(
            "/reports/subscription",
            web::post().to(reports::subscription),
        )
        .route("/static/upload.js", web::get().to(evidence::script))
        .route(
            "/cases/{id}/evidence",
            web::post().to(evidence::upload_to_case),
        )
        .route(
            "/warnings/{id}/evidence",
            web::post().to(evidence::upload_to_warning),
        )
        .route("/evidence/{id}/file", web::get().to(evidence::file))
        .route("/evidence/{id}/remove", web::post().to(evidence::remove));
}

async fn css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../static/app.css"))
}

/// A page request: the session if there is one, the language to render in, and the path.
#[derive(Clone)]
pub struct PageCtx {
    pub session: Option<WebSession>,
    pub cookie: Option<String>,
    pub lang: String,
    pub path: String,
}

impl PageCtx {
    /// A page without a session, in the default language (for the error page when even the
    /// session cannot be looked up).
    pub fn anonymous() -> PageCtx {
        PageCtx {
            session: None,
            cookie: None,
            lang: i18n::DEFAULT_LANG.into(),
            path: "/".into(),
        }
    }
}

pub async fn page_ctx(ctx: &Ctx, req: &HttpRequest) -> Result<PageCtx, AppError> {
    let cookie = req.cookie(cookie_name(ctx)).map(|c| c.value().to_string());
    let session = match &cookie {
        Some(c) => sessions::find(ctx, c.clone()).await?,
        None => None,
    };
    let lang = session
        .as_ref()
        .map(|s| s.lang.clone())
        .unwrap_or_else(|| i18n::DEFAULT_LANG.to_string());
    let path = match req.query_string() {
        "" => req.path().to_string(),
        q => format!("{}?{q}", req.path()),
    };
    Ok(PageCtx {
        session,
        cookie,
        lang,
        path,
    })
}

impl PageCtx {
    /// The data every page's layout needs, with `extra` merged in.
    pub fn data(&self, title: &str, extra: Value) -> Value {
        let mut data = json!({
            "lang": self.lang,
            "title": title,
            "path": self.path,
            "other_lang": if self.lang == "en" { "zh-CN" } else { "en" },
        });
        if let Some(s) = &self.session {
            data["csrf"] = json!(s.csrf_token);
            data["user"] = json!({
                "display_name": s.caller.display_name,
                "role": s.caller.role.as_str(),
                "staff": s.caller.may(Permission::RegisterCase),
                "officer": s.caller.role == crate::domain::role::Role::Officer,
                "admin": s.caller.may(Permission::ManageUsers),
                "importer": s.caller.may(Permission::ImportLedger),
                "reader": s.caller.may(Permission::ReadReports),
                "nav": nav(&s.caller),
            });
        }
        if let (Value::Object(base), Value::Object(more)) = (&mut data, extra) {
            base.extend(more);
        }
        data
    }
}

/// Which of the main navigation's links the caller may open, from the permission table (a
/// viewer, who reads no cases, sees no "cases"): the pages behind them answer 403 to the others.
/// Whoever reports warnings but does not handle them (an officer) finds them first.
fn nav(caller: &crate::context::Caller) -> Value {
    let reports_warnings =
        caller.may(Permission::ReadWarnings) && !caller.may(Permission::HandleWarnings);
    json!({
        "warnings_first": reports_warnings,
        "cases": caller.may(Permission::ReadCases),
        "new_case": caller.may(Permission::RegisterCase),
        "consultations": caller.may(Permission::Consult),
        "warnings": caller.may(Permission::ReadWarnings) && !reports_warnings,
        "reports": caller.may(Permission::ReadReports),
        "ledger": caller.may(Permission::ExportLedger),
        "import": caller.may(Permission::ImportLedger),
        "admin": caller.may(Permission::ManageUsers),
    })
}

pub fn html(status: actix_web::http::StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.to_string()))
        .finish()
}

/// Where to send a browser without a session.
pub fn to_login(path: &str) -> HttpResponse {
    let next: String = url::form_urlencoded::byte_serialize(path.as_bytes()).collect();
    see_other(&format!("/login?next={next}"))
}
