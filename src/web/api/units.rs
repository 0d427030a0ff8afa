//! `GET|POST /units`, `PATCH /units/{id}`.

use super::{created, ok};
use crate::error::AppError;
use crate::services::{units, Caller, Ctx};
use crate::web::body::Body;
use actix_web::{web, HttpResponse};

pub async fn list(ctx: web::Data<Ctx>, caller: Caller) -> Result<HttpResponse, AppError> {
    let items = units::list(&ctx, &caller).await?;
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
    input: Body<units::UnitInput>,
) -> Result<HttpResponse, AppError> {
    Ok(created(
        units::create(&ctx, &caller, input.into_inner()).await?,
    ))
}

/// `PATCH /units/{id}`: the unit's arbitration commission and letterhead (each field sent is
/// set, an empty one cleared).
pub async fn update(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    input: Body<units::UnitPatch>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(units::update(
        &ctx,
        &caller,
        id.into_inner(),
        input.into_inner(),
    )
    .await?))
}
