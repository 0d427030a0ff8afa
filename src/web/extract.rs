//! Extractors: the authenticated caller from `Authorization: Bearer`, and the client address.

use crate::error::AppError;
use crate::services::{Asker, Caller, Ctx};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use std::future::Future;
use std::pin::Pin;

/// The bearer token of a request, if it carries one.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_string())
}

/// The bearer token, unresolved: the handler's use case resolves it on its own connection
/// (`Ctx::read_as`, `Ctx::write_as`). A request without one is refused here.
impl FromRequest for Asker {
    type Error = AppError;
    type Future = std::future::Ready<Result<Asker, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(
            bearer_token(req)
                .map(Asker::Token)
                .ok_or_else(AppError::not_signed_in),
        )
    }
}

/// The caller, resolved before the handler runs (a trip of its own to the blocking pool).
impl FromRequest for Caller {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, AppError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let ctx = req.app_data::<web::Data<Ctx>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let (Some(ctx), Some(token)) = (ctx, token) else {
                return Err(AppError::not_signed_in());
            };
            ctx.caller(Asker::Token(token)).await
        })
    }
}

/// The client's address as the socket saw it (not a forwarded header a client could forge).
pub fn client_address(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}
