//! The server-rendered web pages over the same services as the JSON API: sign-in with database
//! sessions, the desk, the case pages and their printed documents, warnings, consultations, the
//! reports, the ledger import and the admin area. Every POST carries the session's CSRF token
//! and, when the browser sends one, a same-origin `Origin`. Without a session every page answers
//! 303 to `/login?next=...`; an unknown path outside /api/ answers the HTML 404 page
//! (`not_found`).

mod admin;
mod cases;
mod consultations;
mod desk;
mod form;
mod ledger_import;
mod page;
mod print;
pub mod render;
mod reports;
mod warnings;

pub use page::{OrPage, PageError, PageResult, SignedForm, SignedIn};

use crate::domain::permission::Permission;
use crate::error::AppError;
use crate::i18n;
use crate::services::sessions::{self, WebSession};
use crate::services::{auth, Ctx};
use crate::web::extract::client_address;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::{json, Value};
use std::collections::HashMap;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/app.css", web::get().to(css))
        .route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login_submit))
        .route("/logout", web::post().to(logout))
        .route("/lang", web::post().to(set_lang))
        .route("/", web::get().to(desk::desk))
        .route("/cases", web::get().to(cases::list))
        .route("/cases/new", web::get().to(cases::new_form))
        .route("/cases/new", web::post().to(cases::new_submit))
        .route("/cases/{id}", web::get().to(cases::show))
        .route(
            "/cases/{id}/print/agreement",
            web::get().to(print::agreement),
        )
        .route(
            "/cases/{id}/print/arbitration-notice",
            web::get().to(print::arbitration_notice),
        )
        .route("/cases/{id}/act/{action}", web::post().to(cases::act))
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
        .route("/admin/enterprises", web::get().to(admin::enterprises_page))
        .route(
            "/admin/enterprises",
            web::post().to(admin::enterprises_create),
        )
        .route(
            "/admin/enterprises/{id}/officer",
            web::post().to(admin::enterprise_officer),
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
        .route("/ledger/import", web::get().to(ledger_import::form))
        .route("/ledger/import", web::post().to(ledger_import::submit))
        .route("/reports/monthly", web::get().to(reports::monthly))
        .route("/reports/yearly", web::get().to(reports::yearly))
        .route(
            "/reports/subscription",
            web::post().to(reports::subscription),
        );
}

async fn css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../static/app.css"))
}

/// The session cookie's name: `__Host-` (which browsers accept only with Secure) when served
/// over HTTPS.
fn cookie_name(ctx: &Ctx) -> &'static str {
    if secure(ctx) {
        "__Host-tiaojie"
    } else {
        "tiaojie"
    }
}

fn secure(ctx: &Ctx) -> bool {
    ctx.settings.config.base_url.starts_with("https://")
}

fn session_cookie(ctx: &Ctx, value: String) -> Cookie<'static> {
    Cookie::build(cookie_name(ctx), value)
        .path("/")
        .http_only(true)
        .secure(secure(ctx))
        .same_site(SameSite::Lax)
        .finish()
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
            });
        }
        if let (Value::Object(base), Value::Object(more)) = (&mut data, extra) {
            base.extend(more);
        }
        data
    }
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

/// Where `next` may send a browser: a path of this site, else `/`.
///
/// Judged as a browser reads a `Location`: it drops tabs and line breaks anywhere and reads a
/// backslash as a slash, so `/\t/evil.example` and `/\\evil.example` are `//evil.example`, another
/// site. Those are removed or turned first; then only a path that starts with one `/` is taken.
/// Other control characters are refused (they cannot stand in a header), and whatever is not
/// visible ASCII is percent-encoded, so the answer is always a valid header value.
pub(crate) fn safe_next(next: Option<&String>) -> String {
    let Some(next) = next else {
        return "/".to_string();
    };
    let path: String = next
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| if c == '\\' { '/' } else { c })
        .collect();
    let local = path.starts_with('/') && !path.starts_with("//");
    if !local || path.chars().any(char::is_control) {
        return "/".to_string();
    }
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if c.is_ascii_graphic() {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

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
        json!({"status": status.as_u16(), "message_key": key, "message": err.to_string()}),
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

/// Checks a form POST: the session's CSRF token (constant time) and a same-origin `Origin`.
pub fn check_form(
    ctx: &Ctx,
    req: &HttpRequest,
    session: &WebSession,
    form: &HashMap<String, String>,
) -> Result<(), AppError> {
    let token_ok = form
        .get("csrf")
        .is_some_and(|t| sessions::constant_time_eq(t, &session.csrf_token));
    if !token_ok || !same_origin(ctx, req) {
        return Err(AppError::Forbidden("csrf".into()));
    }
    Ok(())
}

fn same_origin(ctx: &Ctx, req: &HttpRequest) -> bool {
    let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|o| o.to_str().ok())
    else {
        return true;
    };
    let base = ctx.settings.config.base_url.trim_end_matches('/');
    let host = req.connection_info().host().to_string();
    origin == base || origin == format!("http://{host}") || origin == format!("https://{host}")
}

async fn login_form(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> HttpResponse {
    let page = match page_ctx(&ctx, &req).await {
        Ok(p) => p,
        Err(e) => return error_page(&PageCtx::anonymous(), &e),
    };
    if page.session.is_some() {
        return see_other(&safe_next(query.get("next")));
    }
    let data = page.data("login.title", json!({"next": safe_next(query.get("next"))}));
    html(
        actix_web::http::StatusCode::OK,
        render::render("pages/login", &data),
    )
}

async fn login_submit(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let page = match page_ctx(&ctx, &req).await {
        Ok(p) => p,
        Err(e) => return error_page(&PageCtx::anonymous(), &e),
    };
    let username = form.get("username").cloned().unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let next = safe_next(form.get("next"));
    if !same_origin(&ctx, &req) {
        return error_page(&page, &AppError::Forbidden("csrf".into()));
    }
    match auth::verify_login(&ctx, username.clone(), password, client_address(&req)).await {
        Ok(user) => {
            // A fresh session id at every sign-in.
            if let Some(old) = page.cookie.clone() {
                let _ = sessions::end(&ctx, old).await;
            }
            match sessions::start(&ctx, user.id, &page.lang).await {
                Ok(cookie) => HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, next))
                    .cookie(session_cookie(&ctx, cookie))
                    .finish(),
                Err(e) => error_page(&page, &e),
            }
        }
        Err(e @ (AppError::Unauthorized(_) | AppError::TooManyRequests(_))) => {
            use actix_web::ResponseError;
            let key = if matches!(e, AppError::TooManyRequests(_)) {
                "login.locked"
            } else {
                "login.wrong"
            };
            let data = page.data(
                "login.title",
                json!({"next": next, "username": username, "error": key}),
            );
            html(e.status_code(), render::render("pages/login", &data))
        }
        Err(e) => error_page(&page, &e),
    }
}

async fn logout(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let page = match page_ctx(&ctx, &req).await {
        Ok(p) => p,
        Err(e) => return error_page(&PageCtx::anonymous(), &e),
    };
    let (Some(session), Some(cookie)) = (&page.session, &page.cookie) else {
        return see_other("/login");
    };
    if let Err(e) = check_form(&ctx, &req, session, &form) {
        return error_page(&page, &e);
    }
    if let Err(e) = sessions::end(&ctx, cookie.clone()).await {
        return error_page(&page, &e);
    }
    let mut gone = session_cookie(&ctx, String::new());
    gone.make_removal();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/login"))
        .cookie(gone)
        .finish()
}

async fn set_lang(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let page = match page_ctx(&ctx, &req).await {
        Ok(p) => p,
        Err(e) => return error_page(&PageCtx::anonymous(), &e),
    };
    let (Some(session), Some(cookie)) = (&page.session, &page.cookie) else {
        return see_other("/login");
    };
    if let Err(e) = check_form(&ctx, &req, session, &form) {
        return error_page(&page, &e);
    }
    let lang = form.get("lang").map(String::as_str).unwrap_or("zh-CN");
    if let Err(e) = sessions::set_lang(&ctx, cookie.clone(), session.caller.id, lang).await {
        return error_page(&page, &e);
    }
    see_other(&safe_next(form.get("next")))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    fn next(s: &str) -> String {
        safe_next(Some(&s.to_string()))
    }

    #[test]
    fn a_path_of_this_site_is_kept() {
        assert_eq!(
            next("/cases?status=received&page=2"),
            "/cases?status=received&page=2"
        );
        assert_eq!(safe_next(None), "/");
    }

    #[test]
    fn what_a_browser_would_read_as_another_site_goes_home() {
        for bad in [
            "/\t/evil.example",
            "/\n/evil.example",
            "\t//evil.example",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "evil.example",
            " /cases",
            "",
        ] {
            assert_eq!(next(bad), "/", "{bad:?}");
        }
    }

    #[test]
    fn control_characters_never_reach_the_header() {
        assert_eq!(next("/\r\nX: y"), "/X:%20y");
        assert_eq!(next("/\0"), "/");
        assert_eq!(next("/a\u{7f}"), "/");
    }

    #[test]
    fn what_is_not_visible_ascii_is_percent_encoded() {
        assert_eq!(next("/cases?q=王 芳"), "/cases?q=%E7%8E%8B%20%E8%8A%B3");
    }
}
