//! `GET|POST /consultations`, `GET /consultations/{id}`.

use super::ok;
use crate::error::AppError;
use crate::services::consultations::{self, ConsultationFilter};
use crate::services::{Caller, Ctx, Paging};
use crate::web::body::Body;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
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
    let filter = ConsultationFilter {
        from: q.from,
        to: q.to,
        unit_id: q.unit_id,
    };
    Ok(ok(consultations::list(&ctx, &caller, filter, paging).await?))
}

pub async fn create(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    caller: Caller,
    input: Body<consultations::ConsultationInput>,
) -> Result<HttpResponse, AppError> {
    let input = input.into_inner();
    super::creating(
        &ctx,
        &req,
        &caller,
        StatusCode::CREATED,
        input,
        |ctx, caller, input| async move { consultations::create(&ctx, &caller, input).await },
    )
    .await
}

pub async fn get(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(consultations::get(&ctx, &caller, id.into_inner()).await?))
}
