//! Writing a checked row: the case, the history its outcome implies as events, and its payment.

use super::super::{access, Ctx};
use super::check::Parsed;
use super::NOTE;
use crate::db::models::{NewCase, NewCaseEvent, NewPayment};
use crate::db::schema::{case_events, cases, payments};
use crate::db::DbConn;
use crate::domain::money::Fen;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Writes one good row: the case, its events and its payment.
pub(super) fn write_case(
    conn: &mut DbConn,
    ctx: &Ctx,
    unit_id: i64,
    creator: i64,
    p: &Parsed,
) -> QueryResult<()> {
    let settings = &ctx.settings;
    let now = ctx.now().naive_utc();
    let received_at = ctx.local_midnight(p.received);
    let closed_at: Option<NaiveDateTime> = p.closed.map(|d| ctx.local_midnight(d));
    let last_event_at = closed_at.unwrap_or(received_at);
    let id: i64 = diesel::insert_into(cases::table)
        .values(NewCase {
            case_no: p.case_no.clone(),
            unit_id,
            channel: "other".into(),
            category: p.category.as_str().into(),
            enterprise_id: p.enterprise_id,
            applicant_name: Some(p.applicant.clone()),
            applicant_phone: None,
            applicant_id_number: None,
            workers_involved: p.workers,
            amount_claimed: p.amount_claimed.fen(),
            description: NOTE.into(),
            warning_id: None,
            status: p.status.into(),
            received_at,
            accept_by: settings.rules.accept_by(p.received, &settings.calendar),
            deadline: settings.rules.deadline(p.received, &settings.calendar),
            last_event_at,
            created_by: creator,
            created_at: now,
            updated_at: now,
        })
        .returning(cases::id)
        .get_result(conn)?;
    let outcome = match p.status {
        "resolved" => Some("agreement"),
        "failed" => Some("failed"),
        _ => None,
    };
    diesel::update(cases::table.find(id))
        .set((
            cases::mediator_id.eq(p.mediator_id),
            cases::outcome.eq(outcome),
            cases::amount_agreed.eq(p.amount_agreed.map(Fen::fen)),
            cases::amount_paid.eq(p.amount_paid.fen()),
            cases::closed_at.eq(closed_at),
        ))
        .execute(conn)?;
    // The applicant's name is personal data entered into the system: logged as intake logs it.
    access::record(
        conn,
        creator,
        access::EDIT_PERSONAL_DATA,
        "case",
        Some(id),
        now,
    )?;
    // The timeline: (at, action, from, to).
    let mut events: Vec<(NaiveDateTime, &str, Option<&str>, &str)> =
        vec![(received_at, "intake", None, "received")];
    // Accepted on 受理日期 when the ledger says, else on the day it was received; a withdrawn
    // case was accepted only when the ledger gives the date.
    let accepted_at = p.accepted.map_or(received_at, |d| ctx.local_midnight(d));
    let mediated = matches!(p.status, "mediating" | "resolved" | "failed");
    let withdrawn_accepted = p.status == "withdrawn" && p.accepted.is_some();
    if mediated || p.status == "accepted" || withdrawn_accepted {
        events.push((accepted_at, "accept", Some("received"), "accepted"));
    }
    if mediated {
        events.push((accepted_at, "assign", Some("accepted"), "mediating"));
    }
    if let Some(at) = closed_at {
        let (action, from) = match p.status {
            "rejected" => ("reject", "received"),
            "withdrawn" if withdrawn_accepted => ("withdraw", "accepted"),
            "withdrawn" => ("withdraw", "received"),
            _ => ("close", "mediating"),
        };
        events.push((at, action, Some(from), p.status));
    }
    for (at, action, from, to) in events {
        diesel::insert_into(case_events::table)
            .values(NewCaseEvent {
                case_id: id,
                actor_id: None,
                at,
                action,
                from_status: from,
                to_status: Some(to),
                note: Some(NOTE),
                created_at: now,
                assignee_id: None,
            })
            .execute(conn)?;
    }
    // A ledger's agreement has one amount: one instalment, with no date the ledger gives.
    let term_id = match (outcome, p.amount_agreed) {
        (Some("agreement"), Some(agreed)) => {
            crate::services::cases::single_instalment(conn, id, agreed, None, now)?
        }
        _ => None,
    };
    after_the_agreement(conn, id, creator, p, now)?;
    if p.amount_paid.fen() > 0 {
        let paid_at = p.closed.unwrap_or(p.received);
        diesel::insert_into(payments::table)
            .values(NewPayment {
                case_id: id,
                amount: p.amount_paid.fen(),
                paid_at,
                recorded_by: creator,
                created_at: now,
                term_id,
            })
            .execute(conn)?;
        let amount = p.amount_paid.to_string();
        diesel::insert_into(case_events::table)
            .values(NewCaseEvent {
                case_id: id,
                actor_id: None,
                at: ctx.local_midnight(paid_at),
                action: "payment",
                from_status: Some(p.status),
                to_status: Some(p.status),
                note: Some(&amount),
                created_at: now,
                assignee_id: None,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// The judicial confirmation and the archive number a row states. An archived case's follow-up is
/// waived with the import's note (the ledger does not say how it was followed up).
fn after_the_agreement(
    conn: &mut DbConn,
    id: i64,
    creator: i64,
    p: &Parsed,
    now: NaiveDateTime,
) -> QueryResult<()> {
    use super::check::Confirmation;
    use crate::db::models::{ArchiveRow, ConfirmationRow};
    use crate::db::schema::{case_archives, case_confirmations};
    if let Some(c) = &p.confirmation {
        let mut row = ConfirmationRow {
            case_id: id,
            intended: true,
            applied_on: None,
            court: None,
            result: None,
            ruled_on: None,
            ruling_no: None,
        };
        match c {
            Confirmation::Intended => {}
            Confirmation::Applied { on, court } => {
                row.applied_on = Some(*on);
                row.court = Some(court.clone());
            }
            Confirmation::Ruled { result, on } => {
                row.result = Some(result.to_string());
                row.ruled_on = Some(*on);
            }
        }
        diesel::insert_into(case_confirmations::table)
            .values(&row)
            .execute(conn)?;
    }
    if let Some(number) = &p.archive_no {
        diesel::insert_into(case_archives::table)
            .values(ArchiveRow {
                case_id: id,
                waived_reason: Some(NOTE.to_string()),
                waived_by: Some(creator),
                waived_at: Some(now),
                archive_no: Some(number.clone()),
                archived_at: Some(now),
                archived_by: Some(creator),
            })
            .execute(conn)?;
    }
    Ok(())
}
