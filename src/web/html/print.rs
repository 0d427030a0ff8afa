//! The printable documents of a case (A4): the acceptance notice (受理通知书) of a case accepted,
//! the rejection notice (不予受理通知书, with the reason) of one refused, the mediation agreement
//! (调解协议书) of a resolved case and the notice of the right to arbitration (告知仲裁权利书) of a
//! failed one. Each reads
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
pub(super) enum Document {
    AcceptanceNotice,
    RejectionNotice,
    Agreement,
    ArbitrationNotice,
}

impl Document {
    /// Every document, in the order a case's file holds them.
    pub const ALL: [Document; 4] = [
        Document::AcceptanceNotice,
        Document::RejectionNotice,
        Document::Agreement,
        Document::ArbitrationNotice,
    ];

    /// Whether the case, as it stands, has this document: an acceptance notice once it was
    /// accepted (whatever came after), the others in the status they record.
    pub fn available(self, case: &CaseView) -> bool {
        match self {
            Document::AcceptanceNotice => accepted_on(case).is_some(),
            Document::RejectionNotice => case.status == "rejected",
            Document::Agreement => case.status == "resolved",
            Document::ArbitrationNotice => case.status == "failed",
        }
    }

    /// Its address below `/cases/{id}/print/`.
    pub fn segment(self) -> &'static str {
        match self {
            Document::AcceptanceNotice => "acceptance-notice",
            Document::RejectionNotice => "rejection-notice",
            Document::Agreement => "agreement",
            Document::ArbitrationNotice => "arbitration-notice",
        }
    }

    fn template(self) -> &'static str {
        match self {
            Document::AcceptanceNotice => "pages/cases/print_acceptance_notice",
            Document::RejectionNotice => "pages/cases/print_rejection_notice",
            Document::Agreement => "pages/cases/print_agreement",
            Document::ArbitrationNotice => "pages/cases/print_arbitration_notice",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Document::AcceptanceNotice => "print.acceptance_title",
            Document::RejectionNotice => "print.rejection_title",
            Document::Agreement => "print.agreement_title",
            Document::ArbitrationNotice => "print.notice_title",
        }
    }
}

/// `GET /cases/{id}/print/{document}`: the document, when the case has it (409 otherwise).
pub async fn print(
    ctx: web::Data<Ctx>,
    path: web::Path<(i64, String)>,
    me: SignedIn,
) -> PageResult {
    let (id, segment) = path.into_inner();
    let Some(doc) = Document::ALL.into_iter().find(|d| d.segment() == segment) else {
        return Err(me.page.fail(AppError::not_found("document")));
    };
    document(&ctx, me, id, doc).await
}

/// The day the case was accepted, if it was: its `accept` event's.
fn accepted_on(case: &CaseView) -> Option<&str> {
    case.events
        .iter()
        .find(|e| e.action == "accept")
        .map(|e| date_of(&e.at))
}

/// The note of the event that refused the case: why it was not accepted.
fn rejection_note(case: &CaseView) -> Option<String> {
    case.events
        .iter()
        .rev()
        .find(|e| e.action == "reject")
        .and_then(|e| e.note.clone())
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
    if !doc.available(&case) {
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
        Document::ArbitrationNotice | Document::RejectionNotice => {
            units::arbitration_of(ctx, &caller, case.unit_id)
                .await
                .ok()
                .flatten()
                .map(|(commission, address)| json!({"commission": commission, "address": address}))
        }
        _ => None,
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
            "amount_in_capitals": case.amount_agreed.map(crate::domain::capitals::in_capitals),
            "received_on": date_of(&case.received_at),
            "closed_on": case.closed_at.as_deref().map(date_of),
            "close_note": closing_note(&case),
            "accepted_on": accepted_on(&case).map(str::to_string),
            "rejected_on": case.closed_at.as_deref().map(date_of),
            "reject_note": rejection_note(&case),
            "mediator": mediator,
            "unit_name": unit,
            "arbitration": arbitration,
            "case": case,
        }),
    );
    Ok(html(StatusCode::OK, render::render(doc.template(), &data)))
}
