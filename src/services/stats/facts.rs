//! Loading the facts of a period: one range query for the cases, one for the consultations, only
//! non-personal columns, each instant also as its local date.

use crate::db::schema::{cases, consultations};
use crate::db::DbConn;
use crate::domain::case::CaseStatus;
use crate::domain::money::Fen;
use crate::domain::stats::{CaseFact, ConsultationFact, Period};
use crate::services::Ctx;
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;

type CaseTuple = (
    i64,
    i64,
    Option<i64>,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    i64,
    NaiveDateTime,
    Option<NaiveDateTime>,
    NaiveDate,
);

type ConsultationTuple = (i64, Option<i64>, i64, String, String, i64, NaiveDateTime);

fn local_day(ctx: &Ctx, at: NaiveDateTime) -> NaiveDate {
    ctx.local_date(Utc.from_utc_datetime(&at))
}

/// The columns a case fact is made of (nothing personal).
type CaseColumns = (
    cases::unit_id,
    cases::enterprise_id,
    cases::mediator_id,
    cases::channel,
    cases::category,
    cases::status,
    cases::workers_involved,
    cases::amount_claimed,
    cases::amount_agreed,
    cases::amount_paid,
    cases::received_at,
    cases::closed_at,
    cases::deadline,
);

const CASE_COLUMNS: CaseColumns = (
    cases::unit_id,
    cases::enterprise_id,
    cases::mediator_id,
    cases::channel,
    cases::category,
    cases::status,
    cases::workers_involved,
    cases::amount_claimed,
    cases::amount_agreed,
    cases::amount_paid,
    cases::received_at,
    cases::closed_at,
    cases::deadline,
);

/// The cases that matter to `period`: received before its end and not closed before its start.
///
/// Asked as three disjoint queries, each bounded by an index, so that years of older, closed
/// history are never read: received in the period (`cases_unit_received`, `cases_received`);
/// received before it and still open (`cases_closed_at`, NULL); received before it and closed in
/// or after it (`cases_closed_at`).
pub(super) fn load_cases(
    conn: &mut DbConn,
    ctx: &Ctx,
    unit_ids: Option<&[i64]>,
    period: &Period,
) -> QueryResult<Vec<CaseFact>> {
    let in_units = || {
        let mut q = cases::table.select(CASE_COLUMNS).into_boxed();
        if let Some(ids) = unit_ids {
            q = q.filter(cases::unit_id.eq_any(ids.to_vec()));
        }
        q
    };
    let mut rows: Vec<CaseTuple> = in_units()
        .filter(cases::received_at.ge(period.from))
        .filter(cases::received_at.lt(period.to))
        .load(conn)?;
    rows.extend(
        in_units()
            .filter(cases::received_at.lt(period.from))
            .filter(cases::closed_at.is_null())
            .load::<CaseTuple>(conn)?,
    );
    rows.extend(
        in_units()
            .filter(cases::received_at.lt(period.from))
            .filter(cases::closed_at.ge(period.from))
            .load::<CaseTuple>(conn)?,
    );
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            // A status outside the vocabulary cannot be counted anywhere; skip it.
            let status: CaseStatus = r.5.parse().ok()?;
            Some(CaseFact {
                unit_id: r.0,
                enterprise_id: r.1,
                mediator_id: r.2,
                channel: r.3,
                category: r.4,
                status,
                workers: r.6,
                amount_claimed: Fen::from_fen(r.7),
                amount_agreed: Fen::from_fen(r.8.unwrap_or(0)),
                amount_paid: Fen::from_fen(r.9),
                received_at: r.10,
                received_day: local_day(ctx, r.10),
                closed_at: r.11,
                closed_day: r.11.map(|t| local_day(ctx, t)),
                deadline: r.12,
            })
        })
        .collect())
}

/// The consultations received in `period` (`consultations_unit_received`, or
/// `consultations_received` across all units).
pub(super) fn load_consultations(
    conn: &mut DbConn,
    unit_ids: Option<&[i64]>,
    period: &Period,
) -> QueryResult<Vec<ConsultationFact>> {
    let mut q = consultations::table
        .filter(consultations::received_at.ge(period.from))
        .filter(consultations::received_at.lt(period.to))
        .into_boxed();
    if let Some(ids) = unit_ids {
        q = q.filter(consultations::unit_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<ConsultationTuple> = q
        .select((
            consultations::unit_id,
            consultations::enterprise_id,
            consultations::answered_by,
            consultations::channel,
            consultations::topic,
            consultations::workers,
            consultations::received_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| ConsultationFact {
            unit_id: r.0,
            enterprise_id: r.1,
            answered_by: r.2,
            channel: r.3,
            topic: r.4,
            workers: r.5,
            received_at: r.6,
        })
        .collect())
}
