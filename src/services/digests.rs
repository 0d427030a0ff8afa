//! The keyed digests of applicants' phone and ID numbers (`domain::search_key`), one row of
//! `case_digests` per case that has either, kept in step by every write of the numbers (intake,
//! edit, the demo; the ledger import stores neither) in that write's transaction, and filled for
//! existing cases at start-up. The settings table keeps a check value of the key: when the key
//! changes, every digest is computed again under the new one.

use crate::db::schema::{case_digests, cases, settings};
use crate::db::DbConn;
use crate::domain::search_key::SearchKey;
use diesel::dsl::{exists, not};
use diesel::prelude::*;

/// The settings row holding the digest of a fixed text under the key the digests were made with.
const CHECK: &str = "search_key_check";

/// How many cases one filling transaction reads.
const BATCH: i64 = 1_000;

/// Writes the digests of case `case_id`'s numbers (as stored), replacing any before.
pub fn keep(
    conn: &mut DbConn,
    key: &SearchKey,
    case_id: i64,
    phone: Option<&str>,
    id_number: Option<&str>,
) -> QueryResult<()> {
    diesel::delete(case_digests::table.find(case_id)).execute(conn)?;
    if phone.is_none() && id_number.is_none() {
        return Ok(());
    }
    diesel::insert_into(case_digests::table)
        .values((
            case_digests::case_id.eq(case_id),
            case_digests::phone.eq(phone.map(|p| key.stored_phone(p))),
            case_digests::id_number.eq(id_number.map(|n| key.stored_id_number(n))),
        ))
        .execute(conn)?;
    Ok(())
}

/// Starts again under a new key (all digests dropped) when the key has changed; answers
/// whether it did. Run before `fill`.
pub fn check_key(conn: &mut DbConn, key: &SearchKey) -> QueryResult<bool> {
    let check = key.check();
    let stored: Option<String> = settings::table
        .find(CHECK)
        .select(settings::value)
        .first(conn)
        .optional()?;
    if stored.as_deref() == Some(check.as_str()) {
        return Ok(false);
    }
    // A database without cases needs no check value yet (and stays empty for a restore).
    let no_cases = cases::table
        .select(cases::id)
        .first::<i64>(conn)
        .optional()?
        .is_none();
    if stored.is_none() && no_cases {
        return Ok(false);
    }
    diesel::delete(case_digests::table).execute(conn)?;
    diesel::delete(settings::table.find(CHECK)).execute(conn)?;
    diesel::insert_into(settings::table)
        .values((settings::key.eq(CHECK), settings::value.eq(check)))
        .execute(conn)?;
    Ok(true)
}

/// Writes the digests of up to `BATCH` cases that have a number and no digest row; answers how
/// many. Idempotent: run it until it answers 0.
pub fn fill_batch(conn: &mut DbConn, key: &SearchKey) -> QueryResult<usize> {
    let missing: Vec<(i64, Option<String>, Option<String>)> = cases::table
        .filter(
            cases::applicant_phone
                .is_not_null()
                .or(cases::applicant_id_number.is_not_null()),
        )
        .filter(not(exists(
            case_digests::table.filter(case_digests::case_id.eq(cases::id)),
        )))
        .select((
            cases::id,
            cases::applicant_phone,
            cases::applicant_id_number,
        ))
        .order(cases::id)
        .limit(BATCH)
        .load(conn)?;
    for (id, phone, id_number) in &missing {
        keep(conn, key, *id, phone.as_deref(), id_number.as_deref())?;
    }
    Ok(missing.len())
}

/// The cases whose applicant has the phone or ID number that `text` reads as (none when it reads
/// as neither), as a subquery's ids.
pub fn matching(key: &SearchKey, text: &str) -> (Vec<String>, Vec<String>) {
    let (phone, id_number) = key.search(text);
    (phone.into_iter().collect(), id_number.into_iter().collect())
}
