//! `POST /auth/login`, `POST /auth/logout`.

use super::ok;
use crate::error::AppError;
use crate::services::{auth, Ctx};
use crate::web::body::Body;
use crate::web::extract::{bearer_token, client_address};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginInput {
    username: String,
    password: String,
}

pub async fn login(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    input: Body<LoginInput>,
) -> Result<HttpResponse, AppError> {
    let input = input.into_inner();
    let result = auth::login(&ctx, input.username, input.password, client_address(&req)).await?;
    Ok(ok(result))
}

pub async fn logout(ctx: web::Data<Ctx>, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let token = bearer_token(&req)
        .ok_or_else(|| AppError::Unauthorized("send the token to revoke".into()))?;
    auth::logout(&ctx, token).await?;
    Ok(HttpResponse::NoContent().finish())
}
