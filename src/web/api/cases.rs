//! `/cases`: intake, list, the case page, edits, notes and the workflow actions.

use super::{created, ok};
use crate::domain::case::ActionKind;
use crate::error::AppError;
use crate::services::cases::{self, CaseQuery};
use crate::services::{idempotency, Asker, Caller, Ctx};
use crate::web::body::Body;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use std::collections::HashMap;

/// `GET /api/v1/cases`: the filter read by the same rule as the `/cases` page's (`CaseQuery`),
/// each unreadable value a 422 naming its field.
pub async fn list(
    ctx: web::Data<Ctx>,
    asker: Asker,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let q = CaseQuery::parse(&query, 50)?;
    Ok(ok(cases::list(&ctx, asker, q.filter, q.paging).await?))
}

pub async fn create(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    asker: Asker,
    input: Body<cases::CaseInput>,
) -> Result<HttpResponse, AppError> {
    let input = input.into_inner();
    // The intake resolves its token in its own transaction; a retry-safe one needs the caller
    // first, to look its key up.
    if req.headers().get(idempotency::HEADER).is_none() {
        return Ok(created(cases::create(&ctx, asker, input).await?));
    }
    let caller = ctx.caller(asker).await?;
    super::creating(
        &ctx,
        &req,
        &caller,
        StatusCode::CREATED,
        input,
        |ctx, caller, input| async move { cases::create(&ctx, &caller, input).await },
    )
    .await
}

pub async fn get(
    ctx: web::Data<Ctx>,
    asker: Asker,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(cases::get(&ctx, asker, id.into_inner()).await?))
}

pub async fn update(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    patch: Body<cases::CasePatch>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(cases::update(
        &ctx,
        &caller,
        id.into_inner(),
        patch.into_inner(),
    )
    .await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    text: String,
}

pub async fn note(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    input: Body<NoteInput>,
) -> Result<HttpResponse, AppError> {
    let view = cases::add_note(&ctx, &caller, id.into_inner(), input.into_inner().text).await?;
    Ok(created(view))
}

pub async fn act(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    caller: Caller,
    path: web::Path<(i64, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (id, name) = path.into_inner();
    let kind =
        ActionKind::of_segment(&name).ok_or_else(|| AppError::NotFound("no such action".into()))?;
    // An empty body is an action with no values (accept, or any action dated now).
    let input: cases::ActionInput = if body.iter().all(u8::is_ascii_whitespace) {
        cases::ActionInput::default()
    } else {
        crate::web::body::decode(&body)?
    };
    if kind != ActionKind::Payment {
        return Ok(ok(cases::act(&ctx, &caller, id, kind, input).await?));
    }
    super::creating(
        &ctx,
        &req,
        &caller,
        StatusCode::OK,
        input,
        |ctx, caller, input| async move { cases::act(&ctx, &caller, id, kind, input).await },
    )
    .await
}

/// `POST /cases/{id}/terms/{term_id}/performed`: an obligation of the agreement done.
pub async fn performed(
    ctx: web::Data<Ctx>,
    caller: Caller,
    path: web::Path<(i64, i64)>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let (id, term_id) = path.into_inner();
    let input: cases::PerformInput = if body.iter().all(u8::is_ascii_whitespace) {
        cases::PerformInput::default()
    } else {
        crate::web::body::decode(&body)?
    };
    Ok(ok(cases::perform(&ctx, &caller, id, term_id, input).await?))
}

/// `POST /cases/{id}/confirmation/intent` `{"intended"}`: whether the parties intend to apply
/// for judicial confirmation (the reminder before the window closes goes only if they do).
pub async fn confirmation_intent(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    input: Body<cases::IntentInput>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(ok(cases::intend_confirmation(
        &ctx,
        &caller,
        id,
        input.into_inner(),
    )
    .await?))
}

/// A body that may be empty (an action with no values).
fn optional_body<T: serde::de::DeserializeOwned + Default>(
    body: &web::Bytes,
) -> Result<T, AppError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        crate::web::body::decode(body)
    }
}

/// `POST /cases/{id}/follow-ups`: a follow-up (回访) of a closed case → 201 with the case.
pub async fn follow_up(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let input: cases::FollowUpInput = optional_body(&body)?;
    Ok(created(
        cases::follow_up(&ctx, &caller, id.into_inner(), input).await?,
    ))
}

/// `POST /cases/{id}/follow-ups/waive`: the follow-up waived, with the reason.
pub async fn waive_follow_up(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let input: cases::WaiveInput = optional_body(&body)?;
    Ok(ok(cases::waive_follow_up(
        &ctx,
        &caller,
        id.into_inner(),
        input,
    )
    .await?))
}

/// `POST /cases/{id}/confirmation` `{"applied_on","court"}`: the application for judicial
/// confirmation.
pub async fn confirmation(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    input: Body<cases::ApplicationInput>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(ok(cases::apply_confirmation(
        &ctx,
        &caller,
        id,
        input.into_inner(),
    )
    .await?))
}

/// `POST /cases/{id}/confirmation/ruling` `{"result","on","number"?}`: the court's ruling.
pub async fn confirmation_ruling(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
    input: Body<cases::RulingInput>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    Ok(ok(cases::rule_confirmation(
        &ctx,
        &caller,
        id,
        input.into_inner(),
    )
    .await?))
}

/// `POST /cases/{id}/archive`: the case archived → 200 with its `archive_no`.
pub async fn archive(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(cases::archive(&ctx, &caller, id.into_inner()).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveManyInput {
    ids: Vec<i64>,
}

/// `POST /cases/archive` `{"ids":[...]}`: each case archived or refused, said of each.
pub async fn archive_many(
    ctx: web::Data<Ctx>,
    caller: Caller,
    input: Body<ArchiveManyInput>,
) -> Result<HttpResponse, AppError> {
    let ids = input.into_inner().ids;
    Ok(ok(cases::archive_many(&ctx, &caller, ids).await?))
}
