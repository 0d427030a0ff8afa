//! `/cases/{id}/documents`: the case file's documents, which of them the case has as it stands,
//! and each one as the print page shows it (`format=html`) or as .docx to edit (`format=docx`).

use super::ok;
use crate::domain::document::DocumentKind;
use crate::error::AppError;
use crate::i18n;
use crate::services::{cases, Caller, Ctx};
use crate::web::html::print;
use crate::web::html::PageCtx;
use actix_web::{web, HttpResponse};
use serde::Serialize;

#[derive(Serialize)]
struct DocumentItem {
    kind: &'static str,
    title: String,
    available: bool,
}

#[derive(Serialize)]
struct DocumentList {
    items: Vec<DocumentItem>,
}

/// `GET /api/v1/cases/{id}/documents`: every document of a case's file, `available` when the
/// case has it now (and tiaojie prints it).
pub async fn list(
    ctx: web::Data<Ctx>,
    caller: Caller,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let case = cases::get(&ctx, &caller, id.into_inner()).await?;
    let items = DocumentKind::ALL
        .into_iter()
        .map(|kind| DocumentItem {
            kind: kind.as_str(),
            title: i18n::t(i18n::DEFAULT_LANG, kind.title_key()),
            available: print::available(kind, &case),
        })
        .collect();
    Ok(ok(DocumentList { items }))
}

/// `GET /api/v1/cases/{id}/documents/{kind}?format=html|docx`: the document as its print page
/// or as .docx (in Chinese); 404 for a kind there is none of, 409 when the case does not have it.
pub async fn get(
    ctx: web::Data<Ctx>,
    caller: Caller,
    path: web::Path<(i64, String)>,
    query: web::Query<print::DocumentQuery>,
) -> Result<HttpResponse, AppError> {
    let (id, name) = path.into_inner();
    let kind = DocumentKind::named(&name).ok_or_else(|| AppError::not_found("document"))?;
    let format = print::Format::parse(query.format.as_deref())?;
    let session = query.session_id.as_deref();
    print::rendered(&ctx, &PageCtx::anonymous(), &caller, id, kind, session)
        .await?
        .answer(format)
}
