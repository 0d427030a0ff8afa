//! `/notifications`: the outbox (admins and directors).

use super::ok;
use crate::error::AppError;
use crate::services::{notifications, Caller, Ctx, Paging};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
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
        notifications::list(&ctx, &caller, q.status, paging).await?
    ))
}

/// `POST /notifications/{id}/resend`: a failed mail queued again (admins).
pub async fn resend(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(
        notifications::resend(&ctx, &caller, id.into_inner()).await?
    ))
}
