//! `/cases/{id}/documents`: the case file's documents, which of them the case has as it stands,
//! and each one as the print page shows it (`format=html`; `docx` is not built yet).

use super::ok;
use crate::domain::document::DocumentKind;
use crate::domain::problem::Code;
use crate::error::AppError;
use crate::i18n;
use crate::services::{cases, Caller, Ctx};
use crate::web::html::print;
use crate::web::html::PageCtx;
use actix_web::{web, HttpResponse};
use serde::Serialize;
use std::collections::HashMap;

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

/// `GET /api/v1/cases/{id}/documents/{kind}?format=html`: the document as its print page (in
/// Chinese); 404 for a kind there is none of, 409 when the case does not have it.
pub async fn get(
    ctx: web::Data<Ctx>,
    caller: Caller,
    path: web::Path<(i64, String)>,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    let (id, name) = path.into_inner();
    let kind = DocumentKind::named(&name).ok_or_else(|| AppError::not_found("document"))?;
    match query.get("format").map(String::as_str) {
        None | Some("") | Some("html") => {}
        Some(_) => return Err(AppError::field("format", Code::NotHtml)),
    }
    let body = print::rendered(&ctx, &PageCtx::anonymous(), &caller, id, kind).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}
