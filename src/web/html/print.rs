//! The printable documents of a case (A4): the acceptance notice (受理通知书) of a case accepted,
//! the rejection notice (不予受理通知书, with the reason) of one refused, the mediation agreement
//! (调解协议书) of a resolved case and the notice of the right to arbitration (告知仲裁权利书) of a
//! failed one. Each reads
//! the case through the case service; the mediator's and the committee's names are looked up
//! through their own services and left blank (a line to fill in by hand) when the caller may
//! not read them.

use super::{html, render, OrPage, PageCtx, PageResult, SignedIn};
use crate::domain::document::DocumentKind;
use crate::error::{AppError, Code};
use crate::i18n;
use crate::services::cases::{self as svc, CaseView, SessionView};
use crate::services::Caller;
use crate::services::{units, users, Ctx};
use crate::web::download;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

/// The template of a printed document.
fn template(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::AcceptanceNotice => "pages/cases/print_acceptance_notice",
        DocumentKind::RejectionNotice => "pages/cases/print_rejection_notice",
        DocumentKind::Agreement => "pages/cases/print_agreement",
        DocumentKind::ArbitrationNotice => "pages/cases/print_arbitration_notice",
        DocumentKind::SessionRecord => "pages/cases/print_session_record",
        DocumentKind::PaymentOrderNotice => "pages/cases/print_payment_order_notice",
        DocumentKind::FileCover => "pages/cases/print_file_cover",
        DocumentKind::ServiceReceipt => "pages/cases/print_service_receipt",
    }
}

/// Whether the case, as it stands, has the document: an acceptance notice once it was accepted
/// (whatever came after), the others in the status they record.
pub(crate) fn available(kind: DocumentKind, case: &CaseView) -> bool {
    use crate::domain::fulfilment::TermKind;
    kind.available(crate::domain::document::Standing {
        status: &case.status,
        accepted: accepted_on(case).is_some(),
        sessions: case.sessions.len(),
        category: &case.category,
        instalments: case
            .terms
            .iter()
            .filter(|t| t.kind == TermKind::Payment)
            .count(),
    })
}

/// The form a document is answered in: its print page, or a .docx to edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Docx,
}

impl Format {
    /// `format=html|docx` (the page when absent or empty); anything else is a 422 on `format`.
    pub fn parse(value: Option<&str>) -> Result<Format, AppError> {
        match value.map(str::trim) {
            None | Some("") | Some("html") => Ok(Format::Html),
            Some("docx") => Ok(Format::Docx),
            Some(_) => Err(AppError::field("format", Code::NotHtmlOrDocx)),
        }
    }
}

/// A document rendered for a reader.
pub(crate) struct Document {
    /// The print page.
    pub html: String,
    /// Its file's name: the case number and the document's title.
    pub file_name: String,
}

impl Document {
    /// The document in `format`: its page, or its .docx as an attachment.
    pub(crate) fn answer(self, format: Format) -> Result<HttpResponse, AppError> {
        Ok(match format {
            Format::Html => html(StatusCode::OK, self.html),
            Format::Docx => {
                let bytes = super::docx::from_print_page(&self.html)
                    .map_err(|e| AppError::Failure(format!("docx of {}: {e}", self.file_name)))?;
                download::docx(&format!("{}.docx", self.file_name), bytes)
            }
        })
    }
}

/// The query of a document's address: `format`, and the session of a session record.
#[derive(Debug, Default, Deserialize)]
pub struct DocumentQuery {
    pub format: Option<String>,
    pub session_id: Option<String>,
}

/// `GET /cases/{id}/print/{document}[?format=docx]`: the document, when the case has it (409
/// otherwise).
pub async fn print(
    ctx: web::Data<Ctx>,
    path: web::Path<(i64, String)>,
    query: web::Query<DocumentQuery>,
    me: SignedIn,
) -> PageResult {
    let (id, name) = path.into_inner();
    let SignedIn { page, caller } = me;
    let kind = DocumentKind::named(&name)
        .ok_or_else(|| AppError::not_found("document"))
        .or_page(&page)?;
    let format = Format::parse(query.format.as_deref()).or_page(&page)?;
    rendered(&ctx, &page, &caller, id, kind, query.session_id.as_deref())
        .await
        .and_then(|doc| doc.answer(format))
        .or_page(&page)
}

/// The day a document of the case bears.
fn dated(kind: DocumentKind, case: &CaseView) -> Option<String> {
    let closed_on = || case.closed_at.as_deref().map(|t| date_of(t).to_string());
    match kind {
        DocumentKind::AcceptanceNotice => accepted_on(case).map(str::to_string),
        DocumentKind::RejectionNotice
        | DocumentKind::Agreement
        | DocumentKind::ArbitrationNotice => closed_on(),
        // Dated where they are signed (the proof of service), by their session (each session
        // record, dated in the index), or not yet printed.
        DocumentKind::SessionRecord
        | DocumentKind::ServiceReceipt
        | DocumentKind::PaymentOrderNotice
        | DocumentKind::FileCover => None,
    }
}

/// The documents the case has now that its file holds (the cover and index aside).
fn filed(case: &CaseView) -> impl Iterator<Item = DocumentKind> + '_ {
    DocumentKind::ALL
        .into_iter()
        .filter(move |&k| k != DocumentKind::FileCover && available(k, case))
}

/// The file's index (卷内目录): the documents the case has, then each piece of evidence the
/// caller may see, with its date, in that order.
async fn file_index(ctx: &Ctx, page: &PageCtx, caller: &Caller, case: &CaseView) -> Vec<Value> {
    let lang = &page.lang;
    // A session record for each session held, dated by it.
    let documents = filed(case).flat_map(|k| {
        let title = i18n::t(lang, k.title_key());
        match k {
            DocumentKind::SessionRecord => case
                .sessions
                .iter()
                .map(|s| {
                    (
                        title.clone(),
                        Some(date_of(&s.held_at).to_string()),
                        String::new(),
                    )
                })
                .collect::<Vec<_>>(),
            _ => vec![(title, dated(k, case), String::new())],
        }
    });
    let owner = crate::services::evidence::Owner::Case(case.id);
    let evidence = crate::services::evidence::list(ctx, caller, owner)
        .await
        .map(|list| list.items)
        .unwrap_or_default();
    let evidence = evidence.into_iter().map(|e| {
        let date = e
            .received_on
            .clone()
            .or_else(|| Some(date_of(&e.uploaded_at).to_string()));
        let provided = i18n::t(lang, &format!("evidence.provided.{}", e.provided_by));
        let note = match e.removed {
            true => format!("{provided}{}", i18n::t(lang, "print.index_removed")),
            false => provided,
        };
        (e.title, date, note)
    });
    documents
        .chain(evidence)
        .enumerate()
        .map(|(i, (title, date, note))| json!({"no": i + 1, "title": title, "date": date, "note": note}))
        .collect()
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

/// The session a session record is of: the one `id` names (422 when it is not a number, 404 when
/// the case held no such session), or the last one held.
fn session_of<'c>(case: &'c CaseView, id: Option<&str>) -> Result<&'c SessionView, AppError> {
    match id.map(str::trim).filter(|v| !v.is_empty()) {
        Some(raw) => {
            let id: i64 = raw
                .parse()
                .map_err(|_| AppError::field("session_id", Code::NotAWholeNumber))?;
            case.sessions
                .iter()
                .find(|s| s.id == id)
                .ok_or_else(|| AppError::not_found("session"))
        }
        None => case
            .sessions
            .iter()
            .max_by(|a, b| a.held_at.cmp(&b.held_at))
            .ok_or_else(|| AppError::not_found("session")),
    }
}

/// The terms of an agreement as it prints them, one item each: the whole amount in figures and
/// in capitals, then each instalment with its date (one instalment: how and when it is paid),
/// then each other obligation with its date where it has one.
fn agreement_terms(lang: &str, case: &CaseView) -> Vec<String> {
    use crate::domain::capitals::in_capitals;
    use crate::domain::fulfilment::TermKind;
    let t = |key: &str| i18n::t(lang, key);
    let amount = |fen: crate::domain::money::Fen| {
        format!(
            "{}{}{}{}",
            fen.grouped(),
            t("print.capitals_open"),
            in_capitals(fen),
            t("print.capitals_close")
        )
    };
    let instalments: Vec<_> = case
        .terms
        .iter()
        .filter(|term| term.kind == TermKind::Payment)
        .collect();
    let mut lines = Vec::new();
    if let Some(total) = case.amount_agreed {
        let split = match instalments.len() {
            0 | 1 => String::new(),
            n => t("print.term_in_instalments").replacen("{}", &n.to_string(), 1),
        };
        lines.push(format!(
            "{}{}{split}{}",
            t("print.term_pay"),
            amount(total),
            t("print.term_pay_end")
        ));
    }
    match instalments.as_slice() {
        [] | [_] => {
            let due = instalments.first().and_then(|i| i.due).or(case.payment_due);
            lines.push(match due {
                Some(due) => format!("{}{due}{}", t("print.term_due"), t("print.term_due_end")),
                None if case.amount_agreed.is_some() => t("print.term_due_open"),
                None => return lines,
            });
        }
        several => {
            for (n, term) in several.iter().enumerate() {
                let when = match term.due {
                    Some(due) => format!(
                        "{}{due}{}",
                        t("print.instalment_by"),
                        t("print.instalment_by_end")
                    ),
                    None => t("print.instalment_on_effect"),
                };
                lines.push(format!(
                    "{}{when}{}{}{}",
                    t("print.instalment_no").replacen("{}", &(n + 1).to_string(), 1),
                    t("print.instalment_pay"),
                    term.amount.map(amount).unwrap_or_default(),
                    t("print.term_pay_end")
                ));
            }
        }
    }
    for term in case
        .terms
        .iter()
        .filter(|term| term.kind == TermKind::Obligation)
    {
        let text = term.text.clone().unwrap_or_default();
        lines.push(match term.due {
            Some(due) => format!(
                "{}{due}{}{text}{}",
                t("print.instalment_by"),
                t("print.instalment_by_end"),
                t("print.term_pay_end")
            ),
            None => format!(
                "{}{text}{}",
                t("print.obligation_lead"),
                t("print.term_pay_end")
            ),
        });
    }
    lines
}

/// What the instalments past their date still owe, when they owe anything.
fn overdue_unpaid(case: &CaseView) -> Option<crate::domain::money::Fen> {
    use crate::domain::fulfilment::TermStatus;
    let owed: i64 = case
        .terms
        .iter()
        .filter(|t| t.status == TermStatus::Overdue)
        .filter_map(|t| Some(t.amount?.fen() - t.paid.map_or(0, |p| p.fen())))
        .sum();
    (owed > 0).then(|| crate::domain::money::Fen::from_fen(owed))
}

/// What the notice of the right to arbitration says of this case's limitation: the day it now
/// runs to (from the day mediation ended), the day it ran out, or that it does not run; nothing
/// when its start is not on record.
fn limitation_line(lang: &str, case: &CaseView) -> Option<String> {
    let status = case.limitation_status;
    let lead = match status {
        "running" | "expired" | "not_limited" => {
            i18n::t(lang, &format!("print.limitation_{status}"))
        }
        _ => return None,
    };
    let end = case
        .limitation_ends
        .map(|d| format!("{d}{}", i18n::t(lang, "print.end")))
        .unwrap_or_default();
    Some(format!("{lead}{end}"))
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

/// The document `kind` of case `id` as `caller` may read it, rendered in `page`'s language (the
/// print pages and the API's `format=html` alike): 404 outside their scope, 409 when the case
/// does not have it (yet). A session record is of the session `session` names (its id), or of
/// the last session held.
pub(crate) async fn rendered(
    ctx: &Ctx,
    page: &PageCtx,
    caller: &Caller,
    id: i64,
    kind: DocumentKind,
    session: Option<&str>,
) -> Result<Document, AppError> {
    let case = svc::get_for(ctx, caller, id, svc::Purpose::Print).await?;
    if !available(kind, &case) {
        return Err(AppError::InvalidTransition(
            Code::NotStatusForDocument.into(),
        ));
    }
    let template = template(kind);
    let session = match kind {
        DocumentKind::SessionRecord => Some(session_of(&case, session)?),
        _ => None,
    };
    let mediator = match case.mediator_id {
        Some(m) => users::get(ctx, caller, m)
            .await
            .ok()
            .map(|u| u.display_name),
        None => None,
    };
    // The committee's name, address, phone and seal, as the case's unit has set them.
    let letterhead = units::letterhead_of(ctx, caller, case.unit_id, &page.lang).await?;
    // The notice names the competent arbitration commission (the unit's, or its ancestor's).
    let arbitration = match kind {
        DocumentKind::ArbitrationNotice | DocumentKind::RejectionNotice => {
            units::arbitration_of(ctx, caller, case.unit_id)
                .await
                .ok()
                .flatten()
                .map(|(commission, address)| json!({"commission": commission, "address": address}))
        }
        _ => None,
    };
    // The respondent's particulars as its enterprise record has them.
    let respondent = crate::services::enterprises::get(ctx, caller, case.enterprise_id)
        .await
        .ok();
    let respondent = json!({
        "address": respondent.as_ref().and_then(|e| e.address.clone()),
        "legal_representative": respondent.as_ref().and_then(|e| e.legal_representative.clone()),
        "phone": respondent.as_ref().and_then(|e| e.phone.clone()),
    });
    let index = match kind {
        DocumentKind::FileCover => file_index(ctx, page, caller, &case).await,
        _ => Vec::new(),
    };
    let applicant_names: Vec<&str> = case.applicants.iter().map(|a| a.name.as_str()).collect();
    let applicant_names = applicant_names.join("、");
    // A proof of service lists the documents served, and a row for each party served.
    let (served, recipients) = match kind {
        DocumentKind::ServiceReceipt => {
            let served: String = filed(&case)
                .filter(|&k| {
                    !matches!(
                        k,
                        DocumentKind::ServiceReceipt | DocumentKind::SessionRecord
                    )
                })
                .map(|k| format!("《{}》", i18n::t(&page.lang, k.title_key())))
                .collect();
            let first_address = case.applicants.first().and_then(|a| a.address.clone());
            let recipients = json!([
                {"name": applicant_names, "address": first_address},
                {"name": case.enterprise_name, "address": respondent["address"]},
            ]);
            (served, recipients)
        }
        _ => (String::new(), Value::Null),
    };
    let data = page.data(
        kind.title_key(),
        json!({
            "limitation_line": limitation_line(&page.lang, &case),
            "index": index,
            "served": served,
            "recipients": recipients,
            "applicant_names": applicant_names,
            "respondent": respondent,
            "agreement_terms": agreement_terms(&page.lang, &case),
            "overdue_unpaid": overdue_unpaid(&case),
            "today": ctx.local_date(ctx.now()).to_string(),
            "received_on": date_of(&case.received_at),
            "closed_on": case.closed_at.as_deref().map(date_of),
            "close_note": closing_note(&case),
            "accepted_on": accepted_on(&case).map(str::to_string),
            "reject_note": rejection_note(&case),
            "mediator": mediator,
            "letterhead": letterhead,
            "arbitration": arbitration,
            "session": session,
            "case": case,
        }),
    );
    let file_name = format!(
        "{} {}",
        data["case"]["case_no"].as_str().unwrap_or_default(),
        i18n::t(&page.lang, kind.title_key())
    );
    Ok(Document {
        html: render::render(template, &data),
        file_name,
    })
}
