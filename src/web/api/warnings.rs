//! `/warnings`: report, list, read, and the staff actions (acknowledge, defuse, escalate).

use super::ok;
use crate::domain::warning::WarningAction;
use crate::error::AppError;
use crate::services::warnings::{self, EscalateInput, WarningFilter, WarningInput};
use crate::services::{Caller, Ctx, Paging};
use crate::web::body::Body;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::de::DeserializeOwned;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    level: Option<String>,
    enterprise_id: Option<i64>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
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
    let filter = WarningFilter {
        status: q.status,
        level: q.level,
        enterprise_id: q.enterprise_id,
        from: q.from,
        to: q.to,
    };
    Ok(ok(warnings::list(&ctx, &caller, filter, paging).await?))
}

pub async fn create(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    caller: Caller,
    input: Body<WarningInput>,
) -> Result<HttpResponse, AppError> {
    let input = input.into_inner();
    super::creating(
        &ctx,
        &req,
        &caller,
        StatusCode::CREATED,
        input,
        |ctx, caller, input| async move { warnings::create(&ctx, &caller, input).await },
    )
    .await
}

pub async fn get(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(warnings::get(&ctx, &caller, id.into_inner()).await?))
}

/// An action's body: empty means `{}`.
fn body<T: DeserializeOwned + Default>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        serde_json::from_slice(bytes)
            .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))
    }
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    note: Option<String>,
}

pub async fn acknowledge(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    bytes: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let input: NoteInput = body(&bytes)?;
    let id = id.into_inner();
    let view = warnings::act(&ctx, &caller, id, WarningAction::Acknowledge, input.note).await?;
    Ok(ok(view))
}

pub async fn defuse(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    bytes: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let input: NoteInput = body(&bytes)?;
    let id = id.into_inner();
    let view = warnings::act(&ctx, &caller, id, WarningAction::Defuse, input.note).await?;
    Ok(ok(view))
}

pub async fn escalate(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    caller: Caller,
    id: web::Path<i64>,
    bytes: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let input: EscalateInput = body(&bytes)?;
    let id = id.into_inner();
    super::creating(
        &ctx,
        &req,
        &caller,
        StatusCode::CREATED,
        input,
        |ctx, caller, input| async move { warnings::escalate(&ctx, &caller, id, input).await },
    )
    .await
}
