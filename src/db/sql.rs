//! SQL that differs between the backends, for the services that need it: each function answers
//! the same thing on SQLite and PostgreSQL, so no service matches on the backend itself.

use super::DbConn;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};

/// Whether a query's rows arrive as they are stepped (SQLite) rather than its whole answer at once
/// (PostgreSQL), so that a large read needs no cutting into slices to stay small.
pub fn streams_rows(conn: &DbConn) -> bool {
    matches!(conn, DbConn::Sqlite(_))
}

/// Whether the statistics roll-up's tables and triggers exist (PostgreSQL's migration
/// `stats_rollup`; SQLite has none).
pub fn has_rollup(conn: &DbConn) -> bool {
    matches!(conn, DbConn::Pg(_))
}

/// Whether a long list in time order pays for walking the received-time index with the unit
/// filter kept off the unit index (`services::cases::list`): SQLite cannot walk several IN ranges
/// of the unit index in time order and would otherwise sort every match. PostgreSQL keeps the
/// plain unit filter, as it always has.
pub fn time_order_pays(conn: &DbConn) -> bool {
    matches!(conn, DbConn::Sqlite(_))
}

/// SQL for a timestamp column as whole seconds since the epoch.
///
/// No stored value may make a report fail. SQLite's `unixepoch` answers NULL for a second 60 (a
/// leap second, which the parser no longer lets in but older rows may hold: migration
/// `normalise_leap_seconds` rewrote them), so such a value is counted from its minute, and any
/// other unreadable text of a column that is never NULL as the epoch's first second
/// (`or_epoch`) rather than as a NULL in a non-null column.
pub fn epoch_seconds(conn: &DbConn, column: &str, or_epoch: bool) -> String {
    match conn {
        DbConn::Sqlite(_) => {
            let seconds = format!(
                "COALESCE(unixepoch({column}), \
                 unixepoch(substr({column}, 1, 16)) + CAST(substr({column}, 18, 2) AS INTEGER)"
            );
            if or_epoch {
                format!("{seconds}, 0)")
            } else {
                format!("{seconds})")
            }
        }
        // date_part's double has a quarter-microsecond resolution at today's epoch seconds, so
        // its floor is exact for microsecond timestamps, and it is several times cheaper than
        // EXTRACT's numeric.
        DbConn::Pg(_) => format!("CAST(FLOOR(date_part('epoch', {column})) AS BIGINT)"),
    }
}

/// SQL for a date column as days since the epoch.
pub fn epoch_days(conn: &DbConn, column: &str) -> String {
    match conn {
        DbConn::Sqlite(_) => format!("COALESCE(unixepoch({column}), 0) / 86400"),
        DbConn::Pg(_) => format!("CAST({column} - DATE '1970-01-01' AS BIGINT)"),
    }
}

/// PostgreSQL's `rollup_rebuild(zone)` (migration `stats_rollup`): counts the statistics roll-up
/// again in `zone` unless it is already counted in it; whether it counted. SQLite has no
/// roll-up: false.
pub fn rollup_rebuild(conn: &mut DbConn, zone: &str) -> QueryResult<bool> {
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

/// Fresh planner statistics after a bulk load (SQLite's `ANALYZE`; PostgreSQL's autovacuum
/// analyses by itself).
pub fn analyze_after_load(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(c) => diesel::connection::SimpleConnection::batch_execute(c, "ANALYZE"),
        DbConn::Pg(_) => Ok(()),
    }
}
