//! `GET|POST /enterprises`, `GET|PATCH /enterprises/{id}`, `PUT /enterprises/{id}/officer`.

use super::{created, ok};
use crate::error::AppError;
use crate::services::{enterprises, Caller, Ctx, Paging};
use crate::web::body::Body;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    unit_id: Option<i64>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list(
    ctx: web::Data<Ctx>,
    caller: Caller,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let paging = Paging::new(q.page, q.per_page)?;
    Ok(ok(
        enterprises::list(&ctx, &caller, q.q, q.unit_id, paging).await?
    ))
}

pub async fn create(
    ctx: web::Data<Ctx>,
    caller: Caller,
    input: Body<enterprises::EnterpriseInput>,
) -> Result<HttpResponse, AppError> {
    Ok(created(
        enterprises::create(&ctx, &caller, input.into_inner()).await?,
    ))
}

pub async fn get(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(enterprises::get(&ctx, &caller, id.into_inner()).await?))
}

pub async fn update(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    patch: Body<enterprises::EnterprisePatch>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(enterprises::update(
        &ctx,
        &caller,
        id.into_inner(),
        patch.into_inner(),
    )
    .await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficerInput {
    user_id: i64,
}

pub async fn set_officer(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    input: Body<OfficerInput>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(enterprises::set_officer(
        &ctx,
        &caller,
        id.into_inner(),
        input.user_id,
    )
    .await?))
}
