//! The database: one connection type over SQLite and PostgreSQL, the pool, migrations, and the two
//! ways to reach it from async code (`Db::read`, `Db::write`), both on the blocking thread pool.
//!
//! Writers on SQLite: every writing transaction begins with `BEGIN IMMEDIATE`, so it takes the
//! database's write lock before its first read (a deferred transaction that reads and then writes
//! gets SQLITE_BUSY at once, whatever the busy timeout). Inside one process writers also queue on
//! a mutex first, so they wait in order instead of spinning in SQLite's busy handler; other
//! processes on the same file still wait through `busy_timeout`. Readers stay parallel under WAL.
//! On PostgreSQL a write is an ordinary transaction; rows are locked where it matters.

pub mod backup;
mod migrate;
pub mod models;
mod outbox;
mod pool;
pub mod schema;
pub mod sql;
pub mod stats;
mod upsert;
mod writer;

pub use migrate::{
    analyze, revert_all_migrations, run_migrations, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS,
};
pub use outbox::claim_notifications;
pub use pool::{Db, DbUrl, Manager, PooledConn};
pub use upsert::{ensure_throttle_row, insert_reminder, next_archive_number, next_case_number};

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Sqlite(SqliteConnection),
    Pg(PgConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database URL must start with sqlite:// or postgres://")]
    UnsupportedUrl,
    #[error("cannot create the database folder: {0}")]
    Folder(#[from] std::io::Error),
    #[error("database connection failed: {0}")]
    Connection(#[from] ConnectionError),
    #[error("database pool: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("database: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("migrations: {0}")]
    Migration(String),
    #[error("the blocking thread pool is gone")]
    Blocking,
    #[error("{0}")]
    Other(String),
}

/// Runs a diesel query on the backend's own connection instead of through `DbConn`, for the
/// queries every request makes (the caller behind a token, the case page). On its own connection
/// diesel finds the cached statement by the query's type and only binds it; through `DbConn` (the
/// derived `MultiConnection`) it writes the query's SQL text out again on every run, twice, to look
/// the statement up and to bind it: a fifth of the case page's time. The body is compiled once
/// per backend, so it must be a query both accept.
#[macro_export]
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Pg($c) => $body,
        }
    };
}

/// `BEGIN IMMEDIATE` through the SQLite connection's own transaction manager, then the closure on
/// the shared connection type; commit and rollback go through the shared manager, which hands
/// them to the same inner one (diesel's `immediate_transaction` would give the closure only the
/// inner `SqliteConnection`).
fn immediate_transaction<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    immediate_transaction_begin(conn)?;
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(err) => {
            // The closure's error is the one worth reporting; a failed rollback leaves the
            // connection broken, which the transaction manager records.
            let _ = <DbConn as Connection>::TransactionManager::rollback_transaction(conn);
            Err(err)
        }
    }
}

/// `BEGIN IMMEDIATE` on SQLite (an ordinary `BEGIN` on PostgreSQL), recorded by the transaction
/// manager so that commit, rollback and nested savepoints go through it.
fn immediate_transaction_begin(conn: &mut DbConn) -> QueryResult<()> {
    match conn {
        DbConn::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")
        }
        DbConn::Pg(_) => <DbConn as Connection>::TransactionManager::begin_transaction(conn),
    }
}

/// The LIKE pattern of text containing `text` as it is: its own `%`, `_` and `\` are escaped with
/// `\`, so use it with `.escape('\\')` (both backends take that ESCAPE clause). A search for
/// `%` finds the cases with a percent sign in them, not every case.
pub fn containing(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Whether a diesel error is a unique-constraint violation (a duplicate).
pub fn is_unique_violation(err: &diesel::result::Error) -> bool {
    matches!(
        err,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
