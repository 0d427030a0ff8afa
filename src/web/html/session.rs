//! Signing in and out, and the language of a session: the sign-in form and its submission (a
//! fresh session and its cookie), sign-out, the language switch, and where `next` may send a
//! browser afterwards. These pages work without a session, so they read the page context
//! themselves instead of taking `SignedIn`.

use super::page::same_origin;
use super::{check_form, error_page, html, page_ctx, render, see_other, PageCtx};
use crate::error::AppError;
use crate::services::sessions;
use crate::services::{auth, Ctx};
use crate::web::extract::client_address;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;
use std::collections::HashMap;

/// The session cookie's name: `__Host-` (which browsers accept only with Secure) when served
/// over HTTPS.
pub(super) fn cookie_name(ctx: &Ctx) -> &'static str {
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

/// Where `next` may send a browser: a path of this site, else `/`.
///
/// Judged as a browser reads a `Location`: it drops tabs and line breaks anywhere and reads a
/// backslash as a slash, so `/\t/evil.example` and `/\\evil.example` are `//evil.example`, another
/// site. Those are removed or turned first; then only a path that starts with one `/` is taken.
/// Other control characters are refused (they cannot stand in a header), and whatever is not
/// visible ASCII is percent-encoded, so the answer is always a valid header value.
fn safe_next(next: Option<&String>) -> String {
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

pub(super) async fn login_form(
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
    let data = page.data(
        "login.title",
        json!({"next": safe_next(query.get("next")), "username": "", "error": null}),
    );
    html(
        actix_web::http::StatusCode::OK,
        render::render("pages/login", &data),
    )
}

pub(super) async fn login_submit(
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

pub(super) async fn logout(
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

pub(super) async fn set_lang(
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
