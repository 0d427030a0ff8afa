//! PostgreSQL's roll-up of the statistics (migration `2026-12-01-000002_stats_rollup`): triggers
//! keep the cases and consultations counted per line of a report (the unit, which also makes the
//! total and the months; the category; the channel; the enterprise; the mediator) and, within a
//! line, by status, local month of receipt and of closing and deadline, so that a report of whole
//! months folds some thousands of groups instead of streaming a million cases (docs/benchmarks.md).
//!
//! A group is folded as one fact standing for its cases (`CaseFact::cases`), with its instants at
//! the start of their local months, into its own part of the fold (`Fold::case_in`): every period
//! of whole months then sees it exactly where it sees each of its cases. A property test in
//! `domain::stats` holds the groups' fold to the cases'. Periods that are not whole months, SQLite,
//! and a roll-up counted in another zone than the configured one read the records (`facts`).

use crate::db::DbConn;
use crate::domain::case::CaseStatus;
use crate::domain::money::Fen;
use crate::domain::stats::{CaseFact, ConsultationFact, Fold, Part, TOP_ENTERPRISES};
use crate::domain::time::local_midnight;
use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use diesel::connection::DefaultLoadingMode;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

mod tables {
    diesel::table! {
        rollup_zone (only_row) {
            only_row -> Bool,
            zone -> Text,
        }
    }

    diesel::table! {
        case_rollup (kind, unit_id, line, status, received_month, closed_month, deadline) {
            kind -> Text,
            unit_id -> BigInt,
            line -> Text,
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
        consultation_rollup (kind, unit_id, line, received_month) {
            kind -> Text,
            unit_id -> BigInt,
            line -> Text,
            received_month -> Integer,
            n -> BigInt,
            workers -> BigInt,
        }
    }
}

use tables::{case_rollup, consultation_rollup, rollup_zone};

/// A local month as the roll-up numbers it: year * 12 + month - 1.
pub fn month_number(first: NaiveDate) -> i32 {
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
    crate::db::sql::rollup_rebuild(conn, zone)
}

/// Runs `load`, a bulk load inside the caller's transaction, with the roll-up's triggers idle,
/// then counts everything once (a trigger adding a million rows one by one to groups it has just
/// written takes several times as long as the load). Other transactions go on counting
/// meanwhile: they still see the zone until this one commits. On SQLite, just `load`.
pub fn counted_once<T, E>(
    conn: &mut DbConn,
    zone: &str,
    load: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    if !crate::db::sql::has_rollup(conn) {
        return load(conn);
    }
    diesel::delete(rollup_zone::table).execute(conn)?;
    let loaded = load(conn)?;
    prepare(conn, zone)?;
    Ok(loaded)
}

/// Whether the roll-up can answer in `zone` (the configured one): PostgreSQL, counted in it.
pub fn usable(conn: &mut DbConn, zone: &str) -> QueryResult<bool> {
    if !crate::db::sql::has_rollup(conn) {
        return Ok(false);
    }
    let counted_in: Option<String> = rollup_zone::table
        .select(rollup_zone::zone)
        .first(conn)
        .optional()?;
    Ok(counted_in.as_deref() == Some(zone))
}

/// The part of a report a roll-up row's `kind` counts in.
fn part(kind: &str) -> Option<Part> {
    match kind {
        "unit" => Some(Part::Units),
        "category" => Some(Part::Category),
        "channel" => Some(Part::Channel),
        "enterprise" => Some(Part::Enterprise),
        "mediator" => Some(Part::Mediator),
        _ => None,
    }
}

type CaseGroup = (
    String,
    i64,
    String,
    String,
    i32,
    i32,
    NaiveDate,
    i64,
    (i64, i64, i64, i64, i64),
);

/// Folds the groups that matter to the months [first, end): cases received before `end` and not
/// closed before `first`, consultations received in them; of the units given (every unit when
/// `None`). Of the enterprises, only the lines of the most petitions (`TOP_ENTERPRISES`, ties to
/// the lower id, as `services::stats`' `by_enterprise` picks them) are read: the report shows no other,
/// and an enterprise's lines are most of the roll-up.
pub fn fold(
    conn: &mut DbConn,
    tz: Tz,
    unit_ids: Option<&[i64]>,
    (first, end): (i32, i32),
    fold: &mut Fold,
) -> QueryResult<()> {
    let top = top_enterprises(conn, unit_ids, (first, end))?;
    let start = |month: i32| local_midnight(tz, month_first(month));
    let mut cases = case_rollup::table
        .filter(case_rollup::received_month.lt(end))
        .filter(
            case_rollup::closed_month
                .eq(0)
                .or(case_rollup::closed_month.ge(first)),
        )
        .filter(
            case_rollup::kind
                .ne("enterprise")
                .or(case_rollup::line.eq_any(top.clone())),
        )
        .select((
            case_rollup::kind,
            case_rollup::unit_id,
            case_rollup::line,
            case_rollup::status,
            case_rollup::received_month,
            case_rollup::closed_month,
            case_rollup::deadline,
            case_rollup::n,
            (
                case_rollup::workers,
                case_rollup::amount_claimed,
                case_rollup::amount_agreed,
                case_rollup::amount_paid,
                case_rollup::days_to_close,
            ),
        ))
        .into_boxed();
    if let Some(ids) = unit_ids {
        cases = cases.filter(case_rollup::unit_id.eq_any(ids.to_vec()));
    }
    for row in cases.load_iter::<CaseGroup, DefaultLoadingMode>(conn)? {
        let (kind, unit_id, line, status, received, closed, deadline, n, sums) = row?;
        // A status outside the vocabulary cannot be counted anywhere, as in `facts`.
        let (Some(part), Some(status)) = (part(&kind), status.parse::<CaseStatus>().ok()) else {
            continue;
        };
        let (workers, claimed, agreed, paid, days_to_close) = sums;
        fold.case_in(
            &CaseFact {
                cases: n,
                unit_id,
                enterprise_id: line.parse().unwrap_or(0),
                mediator_id: line.parse().ok(),
                channel: line.parse().ok(),
                category: line.parse().ok(),
                status,
                workers,
                amount_claimed: Fen::from_fen(claimed),
                amount_agreed: Fen::from_fen(agreed),
                amount_paid: Fen::from_fen(paid),
                received_at: start(received),
                closed_at: (closed != 0).then(|| start(closed)),
                days_to_close,
                deadline,
            },
            Some(part),
        );
    }
    let mut consultations = consultation_rollup::table
        .filter(consultation_rollup::received_month.ge(first))
        .filter(consultation_rollup::received_month.lt(end))
        .filter(
            consultation_rollup::kind
                .ne("enterprise")
                .or(consultation_rollup::line.eq_any(top)),
        )
        .select((
            consultation_rollup::kind,
            consultation_rollup::unit_id,
            consultation_rollup::line,
            consultation_rollup::received_month,
            consultation_rollup::n,
            consultation_rollup::workers,
        ))
        .into_boxed();
    if let Some(ids) = unit_ids {
        consultations = consultations.filter(consultation_rollup::unit_id.eq_any(ids.to_vec()));
    }
    type Group = (String, i64, String, i32, i64, i64);
    for row in consultations.load_iter::<Group, DefaultLoadingMode>(conn)? {
        let (kind, unit_id, line, received, n, workers) = row?;
        let Some(part) = part(&kind) else {
            continue;
        };
        fold.consultation_in(
            &ConsultationFact {
                consultations: n,
                unit_id,
                enterprise_id: line.parse().ok(),
                answered_by: line.parse().unwrap_or(0),
                channel: line.parse().ok(),
                topic: line.parse().ok(),
                workers,
                received_at: start(received),
            },
            Some(part),
        );
    }
    Ok(())
}

/// The enterprises with the most petitions received in the months [first, end), most first and
/// then by id, as the roll-up's lines name them.
fn top_enterprises(
    conn: &mut DbConn,
    unit_ids: Option<&[i64]>,
    (first, end): (i32, i32),
) -> QueryResult<Vec<String>> {
    let mut q = case_rollup::table
        .filter(case_rollup::kind.eq("enterprise"))
        .filter(case_rollup::received_month.ge(first))
        .filter(case_rollup::received_month.lt(end))
        .group_by(case_rollup::line)
        .select((case_rollup::line, sql::<BigInt>("CAST(SUM(n) AS BIGINT)")))
        .into_boxed();
    if let Some(ids) = unit_ids {
        q = q.filter(case_rollup::unit_id.eq_any(ids.to_vec()));
    }
    let mut petitions: Vec<(i64, i64)> = q
        .load::<(String, i64)>(conn)?
        .into_iter()
        .filter_map(|(line, n)| Some((line.parse().ok()?, n)))
        .collect();
    petitions.sort_by_key(|&(id, n)| (std::cmp::Reverse(n), id));
    petitions.truncate(TOP_ENTERPRISES);
    Ok(petitions
        .into_iter()
        .map(|(id, _)| id.to_string())
        .collect())
}
