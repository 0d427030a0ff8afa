//! Loading the facts of a period into a fold: one streamed, index-bounded query per kind of
//! record, only non-personal columns, and only integers: the database turns codes into their index
//! in the vocabulary and instants into seconds since the epoch, so no row allocates or parses text.

use crate::db::schema::{cases, consultations};
use crate::db::DbConn;
use crate::domain::case::CaseStatus;
use crate::domain::money::Fen;
use crate::domain::stats::{CaseFact, ConsultationFact, Fold};
use crate::domain::time::local_date;
use crate::domain::vocab::{Category, Channel};
use chrono::{DateTime, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use diesel::connection::DefaultLoadingMode;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};
use std::fmt::Write;

type CaseRow = (
    i64,
    i64,
    Option<i64>,
    i64,
    i64,
    i64,
    i64,
    i64,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
    i64,
);

type ConsultationRow = (i64, Option<i64>, i64, i64, i64, i64, i64);

/// `column`'s code as its index in `codes`, -1 for a code outside them, as a BIGINT (PostgreSQL
/// would otherwise answer an INTEGER). The codes are the vocabulary's own constants, never input.
fn code_index(column: &str, codes: impl Iterator<Item = &'static str>) -> String {
    let mut expr = format!("CAST(CASE {column}");
    for (i, code) in codes.enumerate() {
        let _ = write!(expr, " WHEN '{code}' THEN {i}");
    }
    expr.push_str(" ELSE -1 END AS BIGINT)");
    expr
}

/// `code_index` of a channel column.
fn channel_index(column: &str) -> String {
    code_index(column, Channel::ALL.iter().map(|c| c.as_str()))
}

/// `code_index` of a category (or consultation topic) column.
fn category_index(column: &str) -> String {
    code_index(column, Category::ALL.iter().map(|c| c.as_str()))
}

/// `code_index` of a case status column.
fn status_index(column: &str) -> String {
    code_index(column, CaseStatus::ALL.iter().map(|c| c.as_str()))
}

/// The vocabulary entry at `index`, `None` for -1.
fn at<T: Copy>(all: &[T], index: i64) -> Option<T> {
    usize::try_from(index)
        .ok()
        .and_then(|i| all.get(i).copied())
}

use crate::db::sql::{epoch_days, epoch_seconds};

fn instant(seconds: i64) -> NaiveDateTime {
    DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .naive_utc()
}

fn date(days: i64) -> NaiveDate {
    DateTime::from_timestamp(days.saturating_mul(86_400), 0)
        .unwrap_or_default()
        .date_naive()
}

/// Which cases to fold: those received in [from, to), or those received before `from` and not
/// closed before it (still open, or closed on or after `from`).
#[derive(Debug, Clone, Copy)]
pub enum Cases {
    Received(NaiveDateTime, NaiveDateTime),
    OpenAt(NaiveDateTime),
}

/// Folds cases into `fold`. The cases that matter to a period (received before its end and not
/// closed before its start) are `Received(period)` and `OpenAt(period.from)`: disjoint queries,
/// each bounded by an index, so that years of older, closed history are never read: received in
/// a range (`cases_stats`, or `cases_unit_stats` for some units: both cover every column read
/// here); received before it and still open, or closed in or after it (`cases_closed_received`,
/// or `cases_stats` when the history before the period is short).
pub fn fold_cases(
    conn: &mut DbConn,
    tz: Tz,
    unit_ids: Option<&[i64]>,
    which: Cases,
    fold: &mut Fold,
) -> QueryResult<()> {
    let (channel, category) = (channel_index("channel"), category_index("category"));
    let status = status_index("status");
    let received = epoch_seconds(conn, "received_at", true);
    let closed = epoch_seconds(conn, "closed_at", false);
    let deadline = epoch_days(conn, "deadline");
    let select = || {
        let mut q = cases::table
            .select((
                cases::unit_id,
                cases::enterprise_id,
                cases::mediator_id,
                sql::<BigInt>(&channel),
                sql::<BigInt>(&category),
                sql::<BigInt>(&status),
                cases::workers_involved,
                cases::amount_claimed,
                cases::amount_agreed,
                cases::amount_paid,
                sql::<BigInt>(&received),
                sql::<Nullable<BigInt>>(&closed),
                sql::<BigInt>(&deadline),
            ))
            .into_boxed();
        if let Some(ids) = unit_ids {
            q = q.filter(cases::unit_id.eq_any(ids.to_vec()));
        }
        q
    };
    let queries = match which {
        Cases::Received(from, to) => vec![select()
            .filter(cases::received_at.ge(from))
            .filter(cases::received_at.lt(to))],
        Cases::OpenAt(at) => vec![
            select()
                .filter(cases::received_at.lt(at))
                .filter(cases::closed_at.is_null()),
            select()
                .filter(cases::received_at.lt(at))
                .filter(cases::closed_at.ge(at)),
        ],
    };
    for q in queries {
        for row in q.load_iter::<CaseRow, DefaultLoadingMode>(conn)? {
            let r = row?;
            // A status outside the vocabulary cannot be counted anywhere; skip it.
            let Some(status) = at(CaseStatus::ALL, r.5) else {
                continue;
            };
            let received_at = instant(r.10);
            let closed_at = r.11.map(instant);
            let days_to_close = closed_at.map_or(0, |closed| {
                (local_date(tz, closed.and_utc()) - local_date(tz, received_at.and_utc()))
                    .num_days()
            });
            fold.case(&CaseFact {
                cases: 1,
                unit_id: r.0,
                enterprise_id: r.1,
                mediator_id: r.2,
                channel: at(Channel::ALL, r.3),
                category: at(Category::ALL, r.4),
                status,
                workers: r.6,
                amount_claimed: Fen::from_fen(r.7),
                amount_agreed: Fen::from_fen(r.8.unwrap_or(0)),
                amount_paid: Fen::from_fen(r.9),
                received_at,
                closed_at,
                days_to_close,
                deadline: date(r.12),
            });
        }
    }
    Ok(())
}

/// Folds the consultations received in [from, to) (`consultations_stats`, or
/// `consultations_unit_stats` for some units: both covering).
pub fn fold_consultations(
    conn: &mut DbConn,
    unit_ids: Option<&[i64]>,
    (from, to): (NaiveDateTime, NaiveDateTime),
    fold: &mut Fold,
) -> QueryResult<()> {
    let (channel, topic) = (channel_index("channel"), category_index("topic"));
    let received = epoch_seconds(conn, "received_at", true);
    let mut q = consultations::table
        .filter(consultations::received_at.ge(from))
        .filter(consultations::received_at.lt(to))
        .select((
            consultations::unit_id,
            consultations::enterprise_id,
            consultations::answered_by,
            sql::<BigInt>(&channel),
            sql::<BigInt>(&topic),
            consultations::workers,
            sql::<BigInt>(&received),
        ))
        .into_boxed();
    if let Some(ids) = unit_ids {
        q = q.filter(consultations::unit_id.eq_any(ids.to_vec()));
    }
    for row in q.load_iter::<ConsultationRow, DefaultLoadingMode>(conn)? {
        let r = row?;
        fold.consultation(&ConsultationFact {
            consultations: 1,
            unit_id: r.0,
            enterprise_id: r.1,
            answered_by: r.2,
            channel: at(Channel::ALL, r.3),
            topic: at(Category::ALL, r.4),
            workers: r.5,
            received_at: instant(r.6),
        });
    }
    Ok(())
}
