//! PostgreSQL's roll-up of the statistics (migration `2026-12-01-000002_stats_rollup`): triggers
//! keep the cases and consultations counted by every key a report line depends on and by local
//! month, so that a report of whole months folds some tens of thousands of groups instead of
//! streaming a million cases (a year's district report over a million cases: 1.1 s by the cases,
//! see docs/benchmarks.md for the roll-up's figure).
//!
//! A group is folded as one fact standing for its cases (`CaseFact::cases`), with its instants at
//! the start of their local months: every period of whole months then sees it exactly where it
//! sees each of its cases. A property test in `domain::stats` holds the groups' fold to the cases'.
//! Periods that are not whole months, SQLite, and a roll-up counted in another zone than the
//! configured one read the cases (`facts`).

use super::facts::{at, category_index, channel_index, status_index};
use crate::db::DbConn;
use crate::domain::case::CaseStatus;
use crate::domain::money::Fen;
use crate::domain::stats::{CaseFact, ConsultationFact, Fold};
use crate::domain::vocab::{Category, Channel};
use crate::services::Ctx;
use chrono::{Datelike, NaiveDate};
use diesel::connection::DefaultLoadingMode;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

mod tables {
    diesel::table! {
        rollup_zone (only_row) {
            only_row -> Bool,
            zone -> Text,
        }
    }

    diesel::table! {
        case_rollup (unit_id, enterprise_id, mediator_id, channel, category, status, received_month, closed_month, deadline) {
            unit_id -> BigInt,
            enterprise_id -> BigInt,
            mediator_id -> BigInt,
            channel -> Text,
            category -> Text,
            status -> Text,
            received_month -> Integer,
            closed_month -> Integer,
            deadline -> Date,
            n -> BigInt,
            workers -> BigInt,
            amount_claimed -> BigInt,
            amount_agreed -> BigInt,
            amount_paid -> BigInt,
            days_to_close -> BigInt,
        }
    }

    diesel::table! {
        consultation_rollup (unit_id, enterprise_id, answered_by, channel, topic, received_month) {
            unit_id -> BigInt,
            enterprise_id -> BigInt,
            answered_by -> BigInt,
            channel -> Text,
            topic -> Text,
            received_month -> Integer,
            n -> BigInt,
            workers -> BigInt,
        }
    }
}

use tables::{case_rollup, consultation_rollup, rollup_zone};

/// A local month as the roll-up numbers it: year * 12 + month - 1.
pub(super) fn month_number(first: NaiveDate) -> i32 {
    first.year() * 12 + first.month0() as i32
}

/// The first day of month `number`.
fn month_first(number: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(number.div_euclid(12), number.rem_euclid(12) as u32 + 1, 1)
        .unwrap_or_default()
}

/// Makes the configured zone the roll-up's, counting every record again if it was another (or
/// none: the first start after the migration). A no-op on SQLite and when the zone is already
/// the roll-up's. Returns whether it counted.
pub fn prepare(conn: &mut DbConn, zone: &str) -> QueryResult<bool> {
    match conn {
        DbConn::Sqlite(_) => Ok(false),
        DbConn::Pg(_) => diesel::select(
            sql::<Bool>("rollup_rebuild(")
                .bind::<Text, _>(zone)
                .sql(")"),
        )
        .get_result(conn),
    }
}

/// Whether the roll-up can answer for this server: PostgreSQL, counted in the configured zone.
pub(super) fn usable(conn: &mut DbConn, ctx: &Ctx) -> QueryResult<bool> {
    if let DbConn::Sqlite(_) = conn {
        return Ok(false);
    }
    let zone: Option<String> = rollup_zone::table
        .select(rollup_zone::zone)
        .first(conn)
        .optional()?;
    Ok(zone.as_deref() == Some(ctx.settings.tz.name()))
}

type CaseGroup = (
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i32,
    i32,
    NaiveDate,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

/// Folds the groups that matter to the months [first, end): cases received before `end` and not
/// closed before `first`, consultations received in them; of the units given (every unit when
/// `None`).
pub(super) fn fold(
    conn: &mut DbConn,
    ctx: &Ctx,
    unit_ids: Option<&[i64]>,
    (first, end): (i32, i32),
    fold: &mut Fold,
) -> QueryResult<()> {
    let start = |month: i32| ctx.local_midnight(month_first(month));
    let mut cases = case_rollup::table
        .filter(case_rollup::received_month.lt(end))
        .filter(
            case_rollup::closed_month
                .eq(0)
                .or(case_rollup::closed_month.ge(first)),
        )
        .filter(case_rollup::n.ne(0))
        .select((
            case_rollup::unit_id,
            case_rollup::enterprise_id,
            case_rollup::mediator_id,
            sql::<BigInt>(&channel_index("channel")),
            sql::<BigInt>(&category_index("category")),
            sql::<BigInt>(&status_index("status")),
            case_rollup::received_month,
            case_rollup::closed_month,
            case_rollup::deadline,
            case_rollup::n,
            case_rollup::workers,
            case_rollup::amount_claimed,
            case_rollup::amount_agreed,
            case_rollup::amount_paid,
            case_rollup::days_to_close,
        ))
        .into_boxed();
    if let Some(ids) = unit_ids {
        cases = cases.filter(case_rollup::unit_id.eq_any(ids.to_vec()));
    }
    for row in cases.load_iter::<CaseGroup, DefaultLoadingMode>(conn)? {
        let r = row?;
        // A status outside the vocabulary cannot be counted anywhere, as in `facts`.
        let Some(status) = at(CaseStatus::ALL, r.5) else {
            continue;
        };
        fold.case(&CaseFact {
            cases: r.9,
            unit_id: r.0,
            enterprise_id: r.1,
            mediator_id: (r.2 != 0).then_some(r.2),
            channel: at(Channel::ALL, r.3),
            category: at(Category::ALL, r.4),
            status,
            workers: r.10,
            amount_claimed: Fen::from_fen(r.11),
            amount_agreed: Fen::from_fen(r.12),
            amount_paid: Fen::from_fen(r.13),
            received_at: start(r.6),
            closed_at: (r.7 != 0).then(|| start(r.7)),
            days_to_close: r.14,
            deadline: r.8,
        });
    }
    let mut consultations = consultation_rollup::table
        .filter(consultation_rollup::received_month.ge(first))
        .filter(consultation_rollup::received_month.lt(end))
        .filter(consultation_rollup::n.ne(0))
        .select((
            consultation_rollup::unit_id,
            consultation_rollup::enterprise_id,
            consultation_rollup::answered_by,
            sql::<BigInt>(&channel_index("channel")),
            sql::<BigInt>(&category_index("topic")),
            consultation_rollup::received_month,
            consultation_rollup::n,
            consultation_rollup::workers,
        ))
        .into_boxed();
    if let Some(ids) = unit_ids {
        consultations = consultations.filter(consultation_rollup::unit_id.eq_any(ids.to_vec()));
    }
    type Group = (i64, i64, i64, i64, i64, i32, i64, i64);
    for row in consultations.load_iter::<Group, DefaultLoadingMode>(conn)? {
        let r = row?;
        fold.consultation(&ConsultationFact {
            consultations: r.6,
            unit_id: r.0,
            enterprise_id: (r.1 != 0).then_some(r.1),
            answered_by: r.2,
            channel: at(Channel::ALL, r.3),
            topic: at(Category::ALL, r.4),
            workers: r.7,
            received_at: start(r.5),
        });
    }
    Ok(())
}
