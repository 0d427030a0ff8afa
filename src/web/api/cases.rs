//! `/cases`: intake, list, the case page, edits, notes and the workflow actions.

use super::{created, ok};
use crate::domain::case::ActionKind;
use crate::error::AppError;
use crate::services::cases::{self, CaseFilter};
use crate::services::{idempotency, Asker, Caller, Ctx, Paging};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    category: Option<String>,
    channel: Option<String>,
    enterprise_id: Option<i64>,
    mediator_id: Option<i64>,
    unit_id: Option<i64>,
    overdue: Option<bool>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    q: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

pub async fn list(
    ctx: web::Data<Ctx>,
    asker: Asker,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let paging = Paging::new(q.page, q.per_page)?;
    let filter = CaseFilter {
        status: q.status,
        category: q.category,
        channel: q.channel,
        enterprise_id: q.enterprise_id,
        mediator_id: q.mediator_id,
        unit_id: q.unit_id,
        overdue: q.overdue,
        from: q.from,
        to: q.to,
        q: q.q,
        sort: q.sort,
        idle_days: None,
    };
    Ok(ok(cases::list(&ctx, asker, filter, paging).await?))
}

pub async fn create(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    asker: Asker,
    input: web::Json<cases::CaseInput>,
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
    patch: web::Json<cases::CasePatch>,
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
    input: web::Json<NoteInput>,
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
        serde_json::from_slice(&body)
            .map_err(|e| AppError::BadRequest(format!("malformed JSON: {e}")))?
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
