//! Rows inserted once however many callers race to insert them (`ON CONFLICT DO NOTHING`): a
//! login-throttle row, a reminder sent, a year's case-number counter.

use super::DbConn;
use diesel::prelude::*;

/// Makes sure the login-throttle row for `key` exists; concurrent callers on PostgreSQL must not
/// trip over each other's insert, hence ON CONFLICT (not in diesel's shared dialect).
pub fn ensure_throttle_row(
    conn: &mut DbConn,
    key: &str,
    now: chrono::NaiveDateTime,
) -> Result<(), diesel::result::Error> {
    use diesel::sql_types::{Text, Timestamp};
    const SQL: &str = "INSERT INTO login_throttle (key, failures, lockouts, updated_at) \
                       VALUES ($1, 0, 0, $2) ON CONFLICT (key) DO NOTHING";
    match conn {
        DbConn::Sqlite(c) => diesel::sql_query(SQL.replace("$1", "?").replace("$2", "?"))
            .bind::<Text, _>(key)
            .bind::<Timestamp, _>(now)
            .execute(c)?,
        DbConn::Pg(c) => diesel::sql_query(SQL)
            .bind::<Text, _>(key)
            .bind::<Timestamp, _>(now)
            .execute(c)?,
    };
    Ok(())
}

/// Records that reminder (`kind`, `record_id`, `threshold`) is being sent; answers false when it
/// was sent before (the UNIQUE key makes reminder scans idempotent, also when two run at once).
pub fn insert_reminder(
    conn: &mut DbConn,
    kind: &str,
    record_id: i64,
    threshold: &str,
    now: chrono::NaiveDateTime,
) -> Result<bool, diesel::result::Error> {
    use diesel::sql_types::{BigInt, Text, Timestamp};
    const SQL: &str = "INSERT INTO reminders_sent (kind, record_id, threshold, created_at) \
                       VALUES ($1, $2, $3, $4) ON CONFLICT (kind, record_id, threshold) DO NOTHING";
    let inserted = match conn {
        DbConn::Sqlite(c) => diesel::sql_query(
            SQL.replace("$1", "?")
                .replace("$2", "?")
                .replace("$3", "?")
                .replace("$4", "?"),
        )
        .bind::<Text, _>(kind)
        .bind::<BigInt, _>(record_id)
        .bind::<Text, _>(threshold)
        .bind::<Timestamp, _>(now)
        .execute(c)?,
        DbConn::Pg(c) => diesel::sql_query(SQL)
            .bind::<Text, _>(kind)
            .bind::<BigInt, _>(record_id)
            .bind::<Text, _>(threshold)
            .bind::<Timestamp, _>(now)
            .execute(c)?,
    };
    Ok(inserted == 1)
}

/// Takes the next number of `year`'s case counter, making the counter with the year's first
/// case. The counter row is updated under the write lock (SQLite) or its row lock (PostgreSQL),
/// so concurrent intakes never share a number.
pub fn next_case_number(conn: &mut DbConn, year: i64) -> QueryResult<i64> {
    use super::schema::case_counters;
    let take = |conn: &mut DbConn| {
        diesel::update(case_counters::table.find(year))
            .set(case_counters::last.eq(case_counters::last + 1))
            .returning(case_counters::last)
            .get_result::<i64>(conn)
            .optional()
    };
    if let Some(n) = take(conn)? {
        return Ok(n);
    }
    // Another intake may make the same year's counter meanwhile; either insert will do.
    crate::on_backend!(conn, |c| {
        diesel::insert_into(case_counters::table)
            .values((case_counters::year.eq(year), case_counters::last.eq(0)))
            .on_conflict(case_counters::year)
            .do_nothing()
            .execute(c)?
    });
    take(conn)?.ok_or(diesel::result::Error::NotFound)
}

/// Takes the next archive number of `unit_id`'s counter for `year`, as `next_case_number` takes
/// a case number: under the write lock (SQLite) or the counter row's lock (PostgreSQL).
pub fn next_archive_number(conn: &mut DbConn, unit_id: i64, year: i64) -> QueryResult<i64> {
    use super::schema::archive_counters;
    let take = |conn: &mut DbConn| {
        diesel::update(archive_counters::table.find((unit_id, year)))
            .set(archive_counters::last.eq(archive_counters::last + 1))
            .returning(archive_counters::last)
            .get_result::<i64>(conn)
            .optional()
    };
    if let Some(n) = take(conn)? {
        return Ok(n);
    }
    crate::on_backend!(conn, |c| {
        diesel::insert_into(archive_counters::table)
            .values((
                archive_counters::unit_id.eq(unit_id),
                archive_counters::year.eq(year),
                archive_counters::last.eq(0),
            ))
            .on_conflict((archive_counters::unit_id, archive_counters::year))
            .do_nothing()
            .execute(c)?
    });
    take(conn)?.ok_or(diesel::result::Error::NotFound)
}
