//! JSON handlers: extract, call one service, answer. Creating answers 201, acting 200.

pub mod auth;
pub mod cases;
pub mod consultations;
pub mod documents;
pub mod enterprises;
pub mod evidence;
pub mod notifications;
pub mod openapi;
pub mod stats;
pub mod units;
pub mod users;
pub mod warnings;

use crate::error::{AppError, AppResult, Code};
use crate::services::idempotency::{self, Claim};
use crate::services::{
    cases as case_svc, consultations as consultation_svc, warnings as warning_svc,
};
use crate::services::{Caller, Ctx};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use std::future::Future;

/// A creating POST, safe to retry with an `Idempotency-Key` (API.md, Safe retries): without the
/// header, `create` runs and its answer is sent with `status`. With it, an earlier request of
/// the caller's with that key in the last 24 hours is answered again (its record as it now
/// reads, with the same status) and nothing is created; the same key with another request (its
/// route and parsed `input`) is 409 `idempotency_conflict`; otherwise `create` runs with the
/// claim on its context and keeps the key in its own transaction. A request without the header
/// pays for none of this: not even the fingerprint of its input is taken.
pub async fn creating<I, T, F, Fut>(
    ctx: &Ctx,
    req: &HttpRequest,
    caller: &Caller,
    status: StatusCode,
    input: I,
    create: F,
) -> Result<HttpResponse, AppError>
where
    I: std::fmt::Debug,
    T: Serialize,
    F: FnOnce(Ctx, Caller, I) -> Fut,
    Fut: Future<Output = AppResult<T>>,
{
    let Some(header) = req.headers().get(idempotency::HEADER) else {
        let done = create(ctx.clone(), caller.clone(), input).await?;
        return Ok(HttpResponse::build(status).json(done));
    };
    let key = header
        .to_str()
        .map_err(|_| AppError::field(idempotency::HEADER, Code::IdempotencyKey))?;
    let claim = Claim::new(key, &format!("{} {input:?}", req.path()))
        .map_err(|e| AppError::field(idempotency::HEADER, e))?;
    if let Some(earlier) = earlier(ctx, caller, &claim).await? {
        return answer_again(ctx, caller, earlier, status).await;
    }
    match create(ctx.with_claim(claim.clone()), caller.clone(), input).await {
        // Another request with this key committed first: this one rolled back whole.
        Err(AppError::Replay) => match earlier(ctx, caller, &claim).await? {
            Some(earlier) => answer_again(ctx, caller, earlier, status).await,
            None => Err(AppError::Replay),
        },
        done => Ok(HttpResponse::build(status).json(done?)),
    }
}

async fn earlier(ctx: &Ctx, caller: &Caller, claim: &Claim) -> AppResult<Option<(String, i64)>> {
    let (c, user_id, claim) = (ctx.clone(), caller.id, claim.clone());
    ctx.db
        .read(move |conn| idempotency::earlier(conn, &c, user_id, &claim))
        .await
}

/// The record an earlier request created, read again as the caller sees it.
async fn answer_again(
    ctx: &Ctx,
    caller: &Caller,
    (record_type, id): (String, i64),
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut answer = HttpResponse::build(status);
    answer.insert_header(("Idempotent-Replayed", "true"));
    Ok(match record_type.as_str() {
        "consultation" => answer.json(consultation_svc::get(ctx, caller, id).await?),
        "warning" => answer.json(warning_svc::get(ctx, caller, id).await?),
        "evidence" => answer.json(crate::services::evidence::get(ctx, caller, id).await?),
        _ => answer.json(case_svc::get(ctx, caller, id).await?),
    })
}

pub fn created<T: Serialize>(value: T) -> HttpResponse {
    HttpResponse::Created().json(value)
}

pub fn ok<T: Serialize>(value: T) -> HttpResponse {
    HttpResponse::Ok().json(value)
}
