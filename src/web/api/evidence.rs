//! `/cases/{id}/evidence`, `/warnings/{id}/evidence` and `/evidence/{id}/...`: uploads streamed
//! from the multipart body into the database chunk by chunk, the lists, downloads streamed back
//! chunk by chunk, and removal. The multipart reading and the download's answer are shared with
//! the pages (`web::html::evidence`).

use super::ok;
use crate::error::{AppError, Code};
use crate::services::evidence::{self, Owner, Particulars, StagedUpload, Staging};
use crate::services::{Asker, Caller, Ctx};
use crate::web::body::Body;
use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use std::collections::HashMap;

/// The other fields of the form are short.
const MAX_FIELD: usize = 10 * 1024;

/// A body may carry this much beside the file (the other fields and the multipart framing).
const FORM_SLACK: u64 = 64 * 1024;

/// A body that declares more than the limit allows is refused before a byte of it is read.
pub fn refuse_declared_too_large(ctx: &Ctx, req: &HttpRequest) -> Result<(), AppError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    let limit = ctx.settings.config.evidence.max_file_bytes();
    match declared {
        Some(n) if n > limit + FORM_SLACK => Err(AppError::TooLarge(format!(
            "the file is larger than {} MB",
            limit / (1024 * 1024)
        ))),
        _ => Ok(()),
    }
}

fn unreadable(e: actix_multipart::MultipartError) -> AppError {
    AppError::BadRequest(format!("the body is not a readable multipart form: {e}"))
}

/// Reads a multipart upload: the `file` field streamed into staging as it arrives, the other
/// fields kept as text. `before_file` sees the fields sent before the file (the pages check
/// their CSRF token there, so that nothing is stored for a forged form).
pub async fn read_upload(
    ctx: &Ctx,
    caller: &Caller,
    owner: Owner,
    mut multipart: Multipart,
    before_file: impl Fn(&HashMap<String, String>) -> Result<(), AppError>,
) -> Result<(HashMap<String, String>, Result<StagedUpload, AppError>), AppError> {
    let mut fields = HashMap::new();
    let mut staging: Option<Staging> = None;
    while let Some(field) = multipart.next().await {
        let mut field = field.map_err(unreadable)?;
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" && staging.is_none() {
            before_file(&fields)?;
            let file_name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or_default()
                .to_string();
            let mut file = Staging::new(ctx, caller, owner, &file_name);
            while let Some(bytes) = field.next().await {
                file.push(&bytes.map_err(unreadable)?).await?;
            }
            staging = Some(file);
        } else {
            let mut text = Vec::new();
            while let Some(bytes) = field.next().await {
                let bytes = bytes.map_err(unreadable)?;
                if text.len() + bytes.len() <= MAX_FIELD {
                    text.extend_from_slice(&bytes);
                }
            }
            if name != "file" {
                fields.insert(name, String::from_utf8_lossy(&text).into_owned());
            }
        }
    }
    let particulars = Particulars {
        title: fields.get("title").cloned(),
        provided_by: fields.get("provided_by").cloned(),
        received_on: fields.get("received_on").cloned(),
        internal: fields.get("internal").cloned(),
    };
    let staged = match staging {
        Some(file) => file.finish(particulars).await,
        None => Err(AppError::field("file", Code::ChooseAFile)),
    };
    Ok((fields, staged))
}

/// A file's answer: an attachment (never shown inline), its sniffed type, `nosniff`, a sandbox
/// in case a browser renders it anyway, and the bytes streamed one chunk at a time.
pub fn file_response(ctx: &Ctx, head: evidence::FileHead) -> HttpResponse {
    let disposition = crate::web::download::disposition(&head.file_name);
    let db = ctx.db.clone();
    let (id, size) = (head.id, head.size.max(0) as u64);
    let chunks =
        futures_util::stream::unfold((db, 0i64, 0u64), move |(db, seq, sent)| async move {
            if sent >= size {
                return None;
            }
            match evidence::chunk(&db, id, seq).await {
                Ok(Some(bytes)) => {
                    let n = bytes.len() as u64;
                    Some((Ok(web::Bytes::from(bytes)), (db, seq + 1, sent + n)))
                }
                Ok(None) => Some((
                    Err(AppError::Failure(format!(
                        "evidence {id}: chunk {seq} is missing"
                    ))),
                    (db, seq, size),
                )),
                Err(e) => Some((Err(e), (db, seq, size))),
            }
        });
    HttpResponse::Ok()
        .content_type(head.content_type)
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .no_chunking(size)
        .streaming(chunks)
}

async fn upload(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    asker: Asker,
    owner: Owner,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    let caller = ctx.caller(asker).await?;
    evidence::check_attach(&ctx, &caller, owner).await?;
    refuse_declared_too_large(&ctx, &req)?;
    let (_, staged) = read_upload(&ctx, &caller, owner, multipart, |_| Ok(())).await?;
    super::creating(
        &ctx,
        &req,
        &caller,
        StatusCode::CREATED,
        staged?,
        |ctx, caller, staged| async move { evidence::keep(&ctx, &caller, staged).await },
    )
    .await
}

/// `POST /api/v1/cases/{id}/evidence` (multipart: `file`, `title`, `provided_by`,
/// `received_on`?, `internal`?).
pub async fn upload_to_case(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    asker: Asker,
    id: web::Path<i64>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    upload(ctx, req, asker, Owner::Case(id.into_inner()), multipart).await
}

/// `POST /api/v1/warnings/{id}/evidence`: an officer's photos of their enterprise's warning.
pub async fn upload_to_warning(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    asker: Asker,
    id: web::Path<i64>,
    multipart: Multipart,
) -> Result<HttpResponse, AppError> {
    upload(ctx, req, asker, Owner::Warning(id.into_inner()), multipart).await
}

pub async fn list_of_case(
    ctx: web::Data<Ctx>,
    asker: Asker,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(evidence::list(
        &ctx,
        asker,
        Owner::Case(id.into_inner()),
    )
    .await?))
}

pub async fn list_of_warning(
    ctx: web::Data<Ctx>,
    asker: Asker,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    Ok(ok(evidence::list(
        &ctx,
        asker,
        Owner::Warning(id.into_inner()),
    )
    .await?))
}

/// `GET /api/v1/evidence/{id}/file`: the bytes, as an attachment; the download is logged.
pub async fn file(
    ctx: web::Data<Ctx>,
    asker: Asker,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let head = evidence::open(&ctx, asker, id.into_inner()).await?;
    Ok(file_response(&ctx, head))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemoveInput {
    pub reason: Option<String>,
}

/// `POST /api/v1/evidence/{id}/remove` `{"reason"}`.
pub async fn remove(
    ctx: web::Data<Ctx>,
    asker: Asker,
    id: web::Path<i64>,
    input: Body<RemoveInput>,
) -> Result<HttpResponse, AppError> {
    let reason = input.into_inner().reason;
    Ok(ok(
        evidence::remove(&ctx, asker, id.into_inner(), reason).await?
    ))
}
