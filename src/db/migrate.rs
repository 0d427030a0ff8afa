//! The two migration trees embedded in the binary, and running, reverting and following them up
//! (the planner's statistics) on either backend.

use super::{DbConn, DbError};
use diesel::connection::SimpleConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

pub fn run_migrations(conn: &mut DbConn) -> Result<(), DbError> {
    let result = match conn {
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConn::Pg(c) => {
            c.batch_execute("SELECT pg_advisory_lock(724171)")?;
            let r = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            c.batch_execute("SELECT pg_advisory_unlock(724171)")?;
            r
        }
    };
    result.map_err(|e| DbError::Migration(e.to_string()))
}

/// Refreshes the query planner's statistics where they are stale (SQLite does not do it by itself;
/// without them it sorts whole subtrees instead of walking the received-time index).
pub fn analyze(conn: &mut DbConn) -> Result<(), DbError> {
    if let DbConn::Sqlite(c) = conn {
        c.batch_execute("PRAGMA optimize=0x10002")?;
    }
    Ok(())
}

/// Reverts every migration (for the up/down/up test and for operators rolling back).
pub fn revert_all_migrations(conn: &mut DbConn) -> Result<(), DbError> {
    let result = match conn {
        DbConn::Sqlite(c) => c.revert_all_migrations(SQLITE_MIGRATIONS).map(|_| ()),
        DbConn::Pg(c) => c.revert_all_migrations(POSTGRES_MIGRATIONS).map(|_| ()),
    };
    result.map_err(|e| DbError::Migration(e.to_string()))
}
