//! The printable documents of a case (A4): the mediation agreement (调解协议书) of a resolved
//! case and the notice of the right to arbitration (告知仲裁权利书) of a failed one. Each reads
//! the case through the case service; the mediator's and the committee's names are looked up
//! through their own services and left blank (a line to fill in by hand) when the caller may
//! not read them.

use super::{html, render, OrPage, PageResult, SignedIn};
use crate::error::{AppError, Code};
use crate::services::cases::{self as svc, CaseView};
use crate::services::{units, users, Ctx};
use actix_web::http::StatusCode;
use actix_web::web;
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

pub async fn agreement(ctx: web::Data<Ctx>, id: web::Path<i64>, me: SignedIn) -> PageResult {
    document(&ctx, me, id.into_inner(), Document::Agreement).await
}

pub async fn arbitration_notice(
    ctx: web::Data<Ctx>,
    id: web::Path<i64>,
    me: SignedIn,
) -> PageResult {
    document(&ctx, me, id.into_inner(), Document::ArbitrationNotice).await
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

async fn document(ctx: &Ctx, me: SignedIn, id: i64, doc: Document) -> PageResult {
    let SignedIn { page, caller } = me;
    let case = svc::get_for(ctx, &caller, id, svc::Purpose::Print)
        .await
        .or_page(&page)?;
    if case.status != doc.status() {
        return Err(page.fail(AppError::InvalidTransition(
            Code::NotStatusForDocument.into(),
        )));
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
    // The notice names the competent arbitration commission (the unit's, or its ancestor's).
    let arbitration = match doc {
        Document::ArbitrationNotice => units::arbitration_of(ctx, &caller, case.unit_id)
            .await
            .ok()
            .flatten()
            .map(|(commission, address)| json!({"commission": commission, "address": address})),
        Document::Agreement => None,
    };
    // The respondent's particulars as its enterprise record has them.
    let respondent = crate::services::enterprises::get(ctx, &caller, case.enterprise_id)
        .await
        .ok();
    let respondent = json!({
        "address": respondent.as_ref().and_then(|e| e.address.clone()),
        "legal_representative": respondent.as_ref().and_then(|e| e.legal_representative.clone()),
        "phone": respondent.as_ref().and_then(|e| e.phone.clone()),
    });
    let data = page.data(
        doc.title(),
        json!({
            "respondent": respondent,
            "received_on": date_of(&case.received_at),
            "closed_on": case.closed_at.as_deref().map(date_of),
            "close_note": closing_note(&case),
            "mediator": mediator,
            "unit_name": unit,
            "arbitration": arbitration,
            "case": case,
        }),
    );
    Ok(html(StatusCode::OK, render::render(doc.template(), &data)))
}
