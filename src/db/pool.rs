//! Where the database is (`DbUrl`, parsed from the configured URL), the pool of connections to
//! it, and the ways async code reaches it (`Db::read`, `snapshot`, `write`), all on the blocking
//! thread pool.

use super::{analyze, immediate_transaction, run_migrations, writer, Backend, DbConn, DbError};
use diesel::connection::{SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;
use std::sync::{Arc, Mutex};
use std::time::Duration;

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
