//! Claiming the outbox's due notifications for one worker, which PostgreSQL and SQLite do in
//! different SQL.

use super::{schema, DbConn};
use diesel::prelude::*;

#[derive(diesel::QueryableByName)]
struct IdRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// Claims up to `limit` due outbox rows for one worker: leases them until `lease_until` and
/// counts the attempt. PostgreSQL skips rows another worker holds (`FOR UPDATE SKIP LOCKED`), so
/// instances never claim the same row; SQLite runs this under the write lock, which serializes
/// claims anyway.
pub fn claim_notifications(
    conn: &mut DbConn,
    now: chrono::NaiveDateTime,
    lease_until: chrono::NaiveDateTime,
    limit: i64,
) -> Result<Vec<i64>, diesel::result::Error> {
    use diesel::sql_types::{BigInt, Timestamp};
    match conn {
        DbConn::Pg(c) => {
            let rows: Vec<IdRow> = diesel::sql_query(
                "UPDATE notifications SET lease_until = $1, attempts = attempts + 1 \
                 WHERE id IN (SELECT id FROM notifications \
                     WHERE status = 'pending' AND next_attempt_at <= $2 \
                       AND (lease_until IS NULL OR lease_until < $2) \
                     ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
                 RETURNING id",
            )
            .bind::<Timestamp, _>(lease_until)
            .bind::<Timestamp, _>(now)
            .bind::<BigInt, _>(limit)
            .load(c)?;
            Ok(rows.into_iter().map(|r| r.id).collect())
        }
        DbConn::Sqlite(c) => {
            use schema::notifications as n;
            let ids: Vec<i64> = n::table
                .filter(n::status.eq("pending"))
                .filter(n::next_attempt_at.le(now))
                .filter(n::lease_until.is_null().or(n::lease_until.lt(now)))
                .order((n::next_attempt_at, n::id))
                .limit(limit)
                .select(n::id)
                .load(c)?;
            diesel::update(n::table.filter(n::id.eq_any(&ids)))
                .set((
                    n::lease_until.eq(Some(lease_until)),
                    n::attempts.eq(n::attempts + 1),
                ))
                .execute(c)?;
            Ok(ids)
        }
    }
}
