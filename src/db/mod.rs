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
pub mod models;
pub mod schema;
pub mod sql;
mod writer;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

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

/// Where the database is, parsed from `sqlite://PATH` or `postgres://...`. We pick the backend
/// from the scheme ourselves: the derived `establish` tries each in turn and SQLite accepts any
/// string as a file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    Sqlite(String),
    Postgres(String),
}

impl DbUrl {
    pub fn parse(url: &str) -> Result<DbUrl, DbError> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(DbError::UnsupportedUrl);
            }
            Ok(DbUrl::Sqlite(path.to_string()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbUrl::Postgres(url.to_string()))
        } else {
            Err(DbError::UnsupportedUrl)
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            DbUrl::Sqlite(_) => Backend::Sqlite,
            DbUrl::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn connect(&self) -> Result<DbConn, DbError> {
        match self {
            DbUrl::Sqlite(path) => {
                if path != ":memory:" {
                    if let Some(dir) = std::path::Path::new(path).parent() {
                        if !dir.as_os_str().is_empty() {
                            std::fs::create_dir_all(dir)?;
                        }
                    }
                }
                let mut conn = SqliteConnection::establish(path)?;
                // busy_timeout first: the journal_mode switch itself may meet a lock. synchronous =
                // FULL: a registered petition or a recorded payment is a legal record, so every
                // commit reaches the disk (NORMAL could lose the last commits at a power cut).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
                )?;
                Ok(DbConn::Sqlite(conn))
            }
            DbUrl::Postgres(url) => Ok(DbConn::Pg(PgConnection::establish(url)?)),
        }
    }
}

pub struct Manager(DbUrl);

impl r2d2::ManageConnection for Manager {
    type Connection = DbConn;
    type Error = DbError;

    fn connect(&self) -> Result<DbConn, DbError> {
        self.0.connect()
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), DbError> {
        conn.batch_execute("SELECT 1").map_err(DbError::from)
    }

    /// A connection whose holder panicked, or that was handed back inside a transaction or with
    /// its transaction manager in error, is closed instead of pooled: reused, everything done on
    /// it later would run inside that transaction, never committed, holding its locks.
    fn has_broken(&self, conn: &mut DbConn) -> bool {
        std::thread::panicking()
            || <DbConn as Connection>::TransactionManager::is_broken_transaction_manager(conn)
    }
}

pub type PooledConn = r2d2::PooledConnection<Manager>;

/// The pool and how to use it from async code.
#[derive(Clone)]
pub struct Db {
    pool: r2d2::Pool<Manager>,
    backend: Backend,
    write_lock: Arc<Mutex<()>>,
    /// SQLite on a file: the group-commit thread that `write` hands its transactions to.
    writer: Option<writer::Writer>,
}

impl Db {
    /// The server's pool: up to `size` connections, one kept open and ready.
    pub fn connect(url: &str, size: u32) -> Result<Db, DbError> {
        Db::connect_keeping(url, size, 1)
    }

    /// A command's pool: connections are opened only when asked for, never in the background.
    ///
    /// A pool that keeps a spare opens a new one on its own thread whenever one is checked out.
    /// A command may then exit while that thread is inside libpq's TLS handshake, and OpenSSL's
    /// clean-up at exit pulls the ground from under it: the import command died of SIGSEGV after
    /// printing its report, about one run in ten on PostgreSQL.
    pub fn connect_on_demand(url: &str, size: u32) -> Result<Db, DbError> {
        Db::connect_keeping(url, size, 0)
    }

    fn connect_keeping(url: &str, size: u32, idle: u32) -> Result<Db, DbError> {
        let url = DbUrl::parse(url)?;
        let backend = url.backend();
        let write_lock = Arc::new(Mutex::new(()));
        // An in-memory database is private to its connection, so it cannot have a writer of its
        // own; PostgreSQL has many writers and row locks, and commits each request on its own.
        let writer = match &url {
            DbUrl::Sqlite(path) if path != ":memory:" => {
                Some(writer::Writer::start(&url, write_lock.clone())?)
            }
            _ => None,
        };
        let pool = r2d2::Pool::builder()
            .max_size(size)
            .min_idle(Some(idle))
            // A checkout would otherwise cost an extra round trip; a broken connection fails
            // its query and the pool replaces it.
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(10))
            .build(Manager(url))?;
        Ok(Db {
            pool,
            backend,
            write_lock,
            writer,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn get(&self) -> Result<PooledConn, DbError> {
        Ok(self.pool.get()?)
    }

    /// A connection for work that can run beside the caller's own, if the pool has one idle or
    /// can open one within 100 ms; `None` when it is busy (the caller then does the work alone).
    pub fn spare(&self) -> Option<PooledConn> {
        self.pool.get_timeout(Duration::from_millis(100)).ok()
    }

    /// Runs pending migrations (under an advisory lock on PostgreSQL, so instances starting
    /// together do not race).
    pub fn migrate(&self) -> Result<(), DbError> {
        let mut conn = self.get()?;
        run_migrations(&mut conn)?;
        analyze(&mut conn)
    }

    /// Runs `f` on a pooled connection on the blocking pool, outside any explicit transaction.
    pub async fn read<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let db = self.clone();
        self.blocking(move || {
            let mut conn = db.get()?;
            f(&mut conn)
        })
        .await
    }

    /// Runs `f`, which only reads, like `read`; on SQLite inside one deferred transaction, so
    /// that its statements read one WAL snapshot, begun once, instead of each its own (a case
    /// page's five statements spent 8% of its time beginning read transactions). On PostgreSQL
    /// each statement keeps its own snapshot: a transaction would cost two more round trips.
    pub async fn snapshot<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        self.read(move |conn| match conn {
            DbConn::Sqlite(_) => conn.transaction(f),
            DbConn::Pg(_) => f(conn),
        })
        .await
    }

    /// Runs `f`, which takes its own connections (a long job such as a ledger import, in
    /// transactions of its own), on the blocking pool.
    pub async fn blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce() -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        actix_web::web::block(f)
            .await
            .map_err(|_| E::from(DbError::Blocking))?
    }

    /// Runs `f` as one writing transaction: everything it does commits together or not at all,
    /// and the answer comes once it is committed. On SQLite the group-commit thread runs it (in a
    /// savepoint of a transaction it may share with other requests: `writer.rs`); on PostgreSQL
    /// it is a transaction of its own on the blocking pool.
    pub async fn write<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + From<diesel::result::Error> + Send + 'static,
    {
        match &self.writer {
            Some(writer) => {
                let (reply, answer) = tokio::sync::oneshot::channel();
                writer.submit(Box::new(writer::Write { f, reply }));
                answer.await.map_err(|_| E::from(DbError::Blocking))?
            }
            None => {
                let db = self.clone();
                self.blocking(move || db.write_blocking(f)).await
            }
        }
    }

    /// One writing transaction of its own on a pooled connection, for callers already off the
    /// async executor (the command line, long imports in batches of their own). On SQLite it
    /// queues on the in-process write lock, which the group-commit thread takes for each batch.
    pub fn write_blocking<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E>,
        E: From<DbError> + From<diesel::result::Error>,
    {
        let mut conn = self.get()?;
        let conn = &mut *conn;
        match self.backend {
            Backend::Sqlite => {
                // A poisoned lock only means another writer panicked; the data is in SQLite.
                let _guard = self
                    .write_lock
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                immediate_transaction(conn, f)
            }
            Backend::Postgres => conn.transaction(f),
        }
    }
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
