//! The printable documents of a case (A4): the mediation agreement (调解协议书) of a resolved
//! case and the notice of the right to arbitration (告知仲裁权利书) of a failed one. Each reads
//! the case through the case service; the mediator's and the committee's names are looked up
//! through their own services and left blank (a line to fill in by hand) when the caller may
//! not read them.

use super::{error_page, html, render, signed_in};
use crate::error::AppError;
use crate::services::cases::{self as svc, CaseView};
use crate::services::{units, users, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Document {
    Agreement,
    ArbitrationNotice,
}

impl Document {
    /// The case status the document belongs to.
    fn status(self) -> &'static str {
        match self {
            Document::Agreement => "resolved",
            Document::ArbitrationNotice => "failed",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Document::Agreement => "pages/cases/print_agreement",
            Document::ArbitrationNotice => "pages/cases/print_arbitration_notice",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Document::Agreement => "print.agreement_title",
            Document::ArbitrationNotice => "print.notice_title",
        }
    }
}

pub async fn agreement(ctx: web::Data<Ctx>, req: HttpRequest, id: web::Path<i64>) -> HttpResponse {
    document(&ctx, &req, id.into_inner(), Document::Agreement).await
}

pub async fn arbitration_notice(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    id: web::Path<i64>,
) -> HttpResponse {
    document(&ctx, &req, id.into_inner(), Document::ArbitrationNotice).await
}

/// The date part of an RFC 3339 time (already in the configured zone).
fn date_of(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// The note of the case's closing event: for a failed case, why mediation failed.
fn closing_note(case: &CaseView) -> Option<String> {
    case.events
        .iter()
        .rev()
        .find(|e| e.action == "close")
        .and_then(|e| e.note.clone())
}

async fn document(ctx: &Ctx, req: &HttpRequest, id: i64, doc: Document) -> HttpResponse {
    let page = match signed_in(ctx, req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(caller) = page.session.as_ref().map(|s| s.caller.clone()) else {
        return error_page(&page, &AppError::forbidden());
    };
    let case = match svc::get_for(ctx, &caller, id, svc::Purpose::Print).await {
        Ok(c) => c,
        Err(e) => return error_page(&page, &e),
    };
    if case.status != doc.status() {
        return error_page(
            &page,
            &AppError::InvalidTransition(
                "the case is not in the status this document needs".into(),
            ),
        );
    }
    let mediator = match case.mediator_id {
        Some(m) => users::get(ctx, &caller, m)
            .await
            .ok()
            .map(|u| u.display_name),
        None => None,
    };
    let unit = units::list(ctx, &caller)
        .await
        .ok()
        .and_then(|list| list.into_iter().find(|u| u.id == case.unit_id))
        .map(|u| u.name);
    let data = page.data(
        doc.title(),
        json!({
            "received_on": date_of(&case.received_at),
            "closed_on": case.closed_at.as_deref().map(date_of),
            "close_note": closing_note(&case),
            "mediator": mediator,
            "unit_name": unit,
            "case": case,
        }),
    );
    html(StatusCode::OK, render::render(doc.template(), &data))
}
