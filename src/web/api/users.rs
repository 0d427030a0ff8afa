//! `GET /me`, `GET|POST /users`, `GET|PATCH /users/{id}`.

use super::{created, ok};
use crate::error::AppError;
use crate::services::{users, Caller, Ctx};
use crate::web::body::Body;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

pub async fn me(ctx: web::Data<Ctx>, caller: Caller) -> Result<HttpResponse, AppError> {
    Ok(ok(users::get(&ctx, &caller, caller.id).await?))
}

/// `PATCH /me`: the caller's own settings.
pub async fn set_my_settings(
    ctx: web::Data<Ctx>,
    caller: Caller,
    input: Body<users::MySettings>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(users::set_my_settings(
        &ctx,
        &caller,
        input.into_inner(),
    )
    .await?))
}

#[derive(Deserialize)]
pub struct ListQuery {
    role: Option<String>,
}

pub async fn list(
    ctx: web::Data<Ctx>,
    caller: Caller,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let items = users::list(&ctx, &caller, query.into_inner().role).await?;
    let total = items.len() as i64;
    Ok(ok(crate::services::Page {
        per_page: total.max(1),
        items,
        total,
        page: 1,
    }))
}

pub async fn create(
    ctx: web::Data<Ctx>,
    caller: Caller,
    input: Body<users::UserInput>,
) -> Result<HttpResponse, AppError> {
    Ok(created(
        users::create(&ctx, &caller, input.into_inner()).await?,
    ))
}

pub async fn get(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(users::get(&ctx, &caller, id.into_inner()).await?))
}

pub async fn update(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    patch: Body<users::UserPatch>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(users::update(
        &ctx,
        &caller,
        id.into_inner(),
        patch.into_inner(),
    )
    .await?))
}
