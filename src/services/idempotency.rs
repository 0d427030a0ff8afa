//! Safe retries of creating requests (`Idempotency-Key`, API.md "Safe retries").
//!
//! A client whose 201 was lost (the connection dropped after the commit) sends the same request
//! again with the same key. The key is kept in the creating transaction, beside what it created
//! (`keep`), so either both are there or neither is. Within 24 hours the same key from the same
//! user finds that record (`earlier`) and is answered with it again; the same key with another
//! request is a 409 `idempotency_conflict`; a key older than 24 hours is forgotten.
//!
//! The services know nothing of HTTP: the web layer puts the request's claim on the `Ctx` it
//! hands them (`Ctx::with_claim`), and a creating use case calls `keep` once it knows its new
//! record's id. Two requests with one key at the same moment meet at the key's primary key: the
//! second transaction fails there, rolls back whole, and is answered the first one's record.

use super::Ctx;
use crate::db::schema::idempotency_keys;
use crate::db::{is_unique_violation, DbConn};
pub use crate::domain::idempotency::Claim;
use crate::error::{AppError, AppResult};
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

/// How long a key is remembered.
pub const HOURS: i64 = 24;

/// The header.
pub const HEADER: &str = "Idempotency-Key";

/// What an earlier request with the claim's key created: (record type, id).
pub fn earlier(
    conn: &mut DbConn,
    ctx: &Ctx,
    user_id: i64,
    claim: &Claim,
) -> AppResult<Option<(String, i64)>> {
    let since = (ctx.now() - Duration::hours(HOURS)).naive_utc();
    let found: Option<(String, String, i64, NaiveDateTime)> = idempotency_keys::table
        .filter(idempotency_keys::user_id.eq(user_id))
        .filter(idempotency_keys::key.eq(&claim.key))
        .select((
            idempotency_keys::fingerprint,
            idempotency_keys::record_type,
            idempotency_keys::record_id,
            idempotency_keys::created_at,
        ))
        .first(conn)
        .optional()?;
    match found {
        Some((_, _, _, at)) if at <= since => Ok(None),
        Some((fingerprint, _, _, _)) if fingerprint != claim.fingerprint => {
            Err(AppError::IdempotencyConflict)
        }
        Some((_, record_type, id, _)) => Ok(Some((record_type, id))),
        None => Ok(None),
    }
}

/// Keeps the claim of the request `ctx` carries (none: nothing to do) as having created
/// `record_type` `id`, in the creating transaction. A key forgotten after 24 hours is replaced.
/// Another transaction keeping the same key first makes this one fail with `Replay`.
pub fn keep(
    conn: &mut DbConn,
    ctx: &Ctx,
    user_id: i64,
    record_type: &str,
    id: i64,
) -> AppResult<()> {
    let Some(claim) = ctx.claim.as_deref() else {
        return Ok(());
    };
    let now = ctx.now().naive_utc();
    let since = now - Duration::hours(HOURS);
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(user_id))
            .filter(idempotency_keys::key.eq(&claim.key))
            .filter(idempotency_keys::created_at.le(since)),
    )
    .execute(conn)?;
    let inserted = diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::key.eq(&claim.key),
            idempotency_keys::fingerprint.eq(&claim.fingerprint),
            idempotency_keys::record_type.eq(record_type),
            idempotency_keys::record_id.eq(id),
            idempotency_keys::created_at.eq(now),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(AppError::Replay),
        Err(e) => Err(e.into()),
    }
}
