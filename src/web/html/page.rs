//! What a page handler starts from and how it fails. `SignedIn` is the signed-in user of a page
//! (a browser without a session is sent to sign in); `SignedForm` is a signed-in form POST whose
//! CSRF token and origin checked out. A handler answers `PageResult`, and a failed use case
//! becomes the error page with `.or_page(&me.page)?`, so no handler repeats the preamble.
//! `check_form` is the CSRF and origin check behind `SignedForm`, for the forms it cannot read
//! (the multipart upload, sign-out and the language switch).

use super::{error_page, page_ctx, to_login, PageCtx};
use crate::context::{Caller, Ctx};
use crate::error::AppError;
use crate::services::sessions::{self, WebSession};
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// A page's answer: the page, or the error page (or the sign-in redirect) instead.
pub type PageResult = Result<HttpResponse, PageError>;

/// Why a page is not shown, rendered as the browser should meet it.
pub enum PageError {
    /// No session: 303 to `/login?next=` this path.
    SignIn(String),
    /// The error page in the site's look, with the nav of `page`.
    Shown(Box<PageCtx>, AppError),
    /// The request itself could not be read (a malformed form body): actix's own answer.
    Request(actix_web::Error),
}

impl PageError {
    /// The error page for `error` when not even the session could be looked up.
    fn bare(error: AppError) -> PageError {
        PageError::Shown(Box::new(PageCtx::anonymous()), error)
    }
}

impl fmt::Debug for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::SignIn(path) => write!(f, "sign in to see {path}"),
            PageError::Shown(_, e) => write!(f, "{e:?}"),
            PageError::Request(e) => write!(f, "{e:?}"),
        }
    }
}

impl fmt::Display for PageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PageError::SignIn(path) => write!(f, "sign in to see {path}"),
            PageError::Shown(_, e) => write!(f, "{e}"),
            PageError::Request(e) => write!(f, "{e}"),
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::SignIn(_) => StatusCode::SEE_OTHER,
            PageError::Shown(_, e) => e.status_code(),
            PageError::Request(e) => e.as_response_error().status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            PageError::SignIn(path) => to_login(path),
            PageError::Shown(page, e) => error_page(page, e),
            PageError::Request(e) => e.error_response(),
        }
    }
}

/// A use case's failure as the error page of `page`.
pub trait OrPage<T> {
    fn or_page(self, page: &PageCtx) -> Result<T, PageError>;
}

impl<T> OrPage<T> for Result<T, AppError> {
    fn or_page(self, page: &PageCtx) -> Result<T, PageError> {
        self.map_err(|e| page.fail(e))
    }
}

impl PageCtx {
    /// `error` shown as this page's error page.
    pub fn fail(&self, error: AppError) -> PageError {
        PageError::Shown(Box::new(self.clone()), error)
    }
}

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, PageError>>>>;

fn app_ctx(req: &HttpRequest) -> Result<web::Data<Ctx>, PageError> {
    req.app_data::<web::Data<Ctx>>()
        .cloned()
        .ok_or_else(|| PageError::bare(AppError::Failure("no application context".into())))
}

/// The signed-in user of a page request.
pub struct SignedIn {
    pub page: PageCtx,
    pub caller: Caller,
}

impl SignedIn {
    async fn of(req: HttpRequest) -> Result<SignedIn, PageError> {
        let ctx = app_ctx(&req)?;
        let page = page_ctx(&ctx, &req).await.map_err(PageError::bare)?;
        match page.session.as_ref().map(|s| s.caller.clone()) {
            Some(caller) => Ok(SignedIn { page, caller }),
            None => Err(PageError::SignIn(page.path)),
        }
    }
}

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = Extracted<SignedIn>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(SignedIn::of(req.clone()))
    }
}

/// A signed-in form POST with its fields, once the session's CSRF token and the origin checked
/// out (else the 403 page).
pub struct SignedForm {
    pub me: SignedIn,
    pub form: HashMap<String, String>,
}

impl FromRequest for SignedForm {
    type Error = PageError;
    type Future = Extracted<SignedForm>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = web::Form::<HashMap<String, String>>::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let form = body.await.map_err(PageError::Request)?.into_inner();
            let me = SignedIn::of(req.clone()).await?;
            let ctx = app_ctx(&req)?;
            if let Some(session) = &me.page.session {
                check_form(&ctx, &req, session, &form).map_err(|e| me.page.fail(e))?;
            }
            Ok(SignedForm { me, form })
        })
    }
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

pub(super) fn same_origin(ctx: &Ctx, req: &HttpRequest) -> bool {
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
