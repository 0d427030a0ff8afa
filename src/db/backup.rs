//! Backups of a SQLite database, and their restore into an empty one (`tiaojie backup`,
//! `tiaojie restore`; PostgreSQL has `pg_dump` and `pg_restore`, which the command line names).
//!
//! A backup is `VACUUM INTO`: SQLite writes a compact copy of the database as one read
//! transaction sees it, so under WAL the copy is consistent while the server goes on writing, and
//! writers are not held up (only a checkpoint waits for the copy). The copy is a plain
//! rollback-journal file with no `-wal` beside it, so it can be moved and opened read-only.
//!
//! A restore copies rows rather than files, because the target may be open in a running server
//! (a file swapped under its pool would be lost on the next checkpoint) and because a backup
//! made by an older tiaojie must first be migrated like any database. So: the backup, opened
//! read-only, is checked (`PRAGMA integrity_check`, tiaojie's tables, no migration this binary
//! does not know) and copied by `VACUUM INTO` to a staging file beside the target; the staging
//! file is migrated to this binary's schema (data migrations included); then, in one `BEGIN
//! IMMEDIATE` transaction on the target, which must have no row in any table, every table's
//! rows are copied over from the attached staging file, ids and AUTOINCREMENT counters included.
//! Either everything is restored or nothing is.

use super::{immediate_transaction, DbConn, DbError, DbUrl, SQLITE_MIGRATIONS};
use diesel::connection::SimpleConnection;
use diesel::migration::MigrationSource;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};
use std::path::{Path, PathBuf};

/// Tables that triggers keep from others: copying them as well would count every row twice.
/// `case_tallies` counts `cases` by unit and status (migration 2026-12-01-000001).
const DERIVED: &[&str] = &["case_tallies"];

/// diesel's own record of the migrations run; the target has it from its own migrations.
const MIGRATIONS_TABLE: &str = "__diesel_schema_migrations";

/// What a backup file holds, once it has passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub cases: i64,
}

/// What a restore copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub cases: i64,
    pub rows: i64,
    pub tables: usize,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

/// The path as SQLite should get it: absolute, so that a relative name beginning with `file:`
/// is not read as a URI (our connections accept URIs), and UTF-8, as SQL text must be.
fn sql_path(path: &Path) -> Result<String, DbError> {
    let absolute = std::path::absolute(path)
        .map_err(|e| DbError::Other(format!("cannot resolve {}: {e}", path.display())))?;
    absolute.to_str().map(str::to_string).ok_or_else(|| {
        DbError::Other(format!(
            "{} is not a UTF-8 path, which SQLite cannot be given",
            path.display()
        ))
    })
}

/// Writes a consistent copy of the database behind `conn` to `out`, which must not exist yet
/// (SQLite refuses a non-empty one). The path is bound as a parameter, never spliced into the
/// SQL, so no file name can change the statement. `conn` must not be inside a transaction.
pub fn vacuum_into(conn: &mut DbConn, out: &Path) -> Result<(), DbError> {
    let target = sql_path(out)?;
    match conn {
        DbConn::Sqlite(c) => {
            diesel::sql_query("VACUUM INTO ?")
                .bind::<Text, _>(target)
                .execute(c)?;
            Ok(())
        }
        DbConn::Pg(_) => Err(DbError::Other(
            "VACUUM INTO is SQLite's; PostgreSQL is backed up with pg_dump".into(),
        )),
    }
}

/// Opens a backup file read-only (a check must not change what it checks, nor create a file
/// that is not there), as a `file:` URI so that the path's characters cannot be taken for
/// URI parameters.
fn open_read_only(file: &Path) -> Result<SqliteConnection, DbError> {
    let absolute = std::fs::canonicalize(file)
        .map_err(|e| DbError::Other(format!("cannot open {}: {e}", file.display())))?;
    let mut uri = url::Url::from_file_path(&absolute).map_err(|()| {
        DbError::Other(format!("{} cannot be named as a file URI", file.display()))
    })?;
    uri.set_query(Some("mode=ro"));
    let mut conn = SqliteConnection::establish(uri.as_str())?;
    conn.batch_execute("PRAGMA busy_timeout = 10000;")?;
    Ok(conn)
}

/// `PRAGMA integrity_check` of the connection's main database: `Ok` if it answers `ok`.
fn integrity_check(conn: &mut SqliteConnection, file: &Path) -> Result<(), DbError> {
    let rows = diesel::sql_query("PRAGMA integrity_check")
        .load::<Check>(conn)
        .map_err(|e| match e {
            diesel::result::Error::DatabaseError(_, info)
                if info.message().contains("not a database") =>
            {
                DbError::Other(format!("{} is not a SQLite database", file.display()))
            }
            other => DbError::Query(other),
        })?;
    match rows.as_slice() {
        [only] if only.integrity_check == "ok" => Ok(()),
        _ => Err(DbError::Other(format!(
            "{} fails SQLite's integrity check ({} problems, the first: {}); it cannot be used",
            file.display(),
            rows.len(),
            rows.first()
                .map_or("none named", |r| r.integrity_check.as_str())
        ))),
    }
}

/// The tables of `schema` (`main` or an attached name) in creation order (which is also an
/// order in which each table's references exist), without SQLite's own.
fn tables(conn: &mut SqliteConnection, schema: &str) -> QueryResult<Vec<String>> {
    let rows = diesel::sql_query(format!(
        "SELECT name FROM {schema}.sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid"
    ))
    .load::<Name>(conn)?;
    Ok(rows.into_iter().map(|r| r.name).collect())
}

/// A table or column name as an SQL identifier.
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn count(conn: &mut SqliteConnection, sql: &str) -> QueryResult<i64> {
    Ok(diesel::sql_query(sql).get_result::<Count>(conn)?.n)
}

/// Checks a backup file: a SQLite database that passes the integrity check, with tiaojie's
/// tables and only migrations this binary knows. Answers how many cases it holds.
pub fn inspect(file: &Path) -> Result<Summary, DbError> {
    let mut conn = open_read_only(file)?;
    integrity_check(&mut conn, file)?;
    let present = tables(&mut conn, "main")?;
    for needed in ["cases", "units", "users", MIGRATIONS_TABLE] {
        if !present.iter().any(|t| t == needed) {
            return Err(DbError::Other(format!(
                "{} is a SQLite database but not a tiaojie backup (it has no {needed} table)",
                file.display()
            )));
        }
    }
    let applied = diesel::sql_query(format!("SELECT version FROM {MIGRATIONS_TABLE}"))
        .load::<Version>(&mut conn)?;
    let known: Vec<String> = MigrationSource::<Sqlite>::migrations(&SQLITE_MIGRATIONS)
        .map_err(|e| DbError::Migration(e.to_string()))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    if let Some(unknown) = applied.iter().find(|v| !known.contains(&v.version)) {
        return Err(DbError::Other(format!(
            "{} was made by a newer tiaojie (its schema has migration {}, which this version does \
             not know); restore it with that version or a later one",
            file.display(),
            unknown.version
        )));
    }
    Ok(Summary {
        cases: count(&mut conn, "SELECT COUNT(*) AS n FROM cases")?,
    })
}

/// The target's tables that hold any row (the migrations' record aside).
fn non_empty(conn: &mut SqliteConnection) -> QueryResult<Vec<String>> {
    let mut full = Vec::new();
    for table in tables(conn, "main")? {
        if table == MIGRATIONS_TABLE {
            continue;
        }
        let sql = format!("SELECT EXISTS (SELECT 1 FROM main.{}) AS n", ident(&table));
        if count(conn, &sql)? != 0 {
            full.push(table);
        }
    }
    Ok(full)
}

fn refuse_non_empty(full: &[String]) -> Result<(), DbError> {
    if full.is_empty() {
        return Ok(());
    }
    Err(DbError::Other(format!(
        "the database is not empty (it has rows in {}); a backup is restored only into an empty \
         database, so nothing was changed",
        full.join(", ")
    )))
}

/// Removes a staging file and whatever SQLite left beside it, when it goes out of scope.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = self.0.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
    }
}

/// Restores the backup `file`, as `inspect` answered for it (`checked`), into the SQLite
/// database at `target` (already migrated by this binary), which must be empty: see the
/// module's doc.
pub fn restore(target: &DbUrl, file: &Path, checked: &Summary) -> Result<Restored, DbError> {
    let DbUrl::Sqlite(target_path) = target else {
        return Err(DbError::Other(
            "a SQLite backup is restored into a SQLite database; PostgreSQL has pg_restore".into(),
        ));
    };
    if target_path == ":memory:" {
        return Err(DbError::Other(
            "an in-memory database would be gone when restore exits".into(),
        ));
    }
    let DbConn::Sqlite(mut conn) = target.connect()? else {
        return Err(DbError::UnsupportedUrl);
    };
    // Refused before the copy below, which takes as long as the database is large; checked
    // again inside the transaction that writes, where it cannot change under us.
    refuse_non_empty(&non_empty(&mut conn)?)?;

    let staging = Staging(PathBuf::from(format!(
        "{target_path}.restore-{}",
        std::process::id()
    )));
    // One left by a restore that was killed would make VACUUM INTO fail.
    drop(Staging(staging.0.clone()));
    {
        let mut source = open_read_only(file)?;
        diesel::sql_query("VACUUM INTO ?")
            .bind::<Text, _>(sql_path(&staging.0)?)
            .execute(&mut source)?;
    }
    let staged = SqliteConnection::establish(&sql_path(&staging.0)?)?;
    super::run_migrations(&mut DbConn::Sqlite(staged))?;

    diesel::sql_query("ATTACH DATABASE ? AS backup")
        .bind::<Text, _>(sql_path(&staging.0)?)
        .execute(&mut conn)?;
    let mut conn = DbConn::Sqlite(conn);
    let copied = immediate_transaction(&mut conn, |conn| copy_rows(conn, checked.cases));
    let DbConn::Sqlite(inner) = &mut conn else {
        return Err(DbError::UnsupportedUrl);
    };
    let detached = inner.batch_execute("DETACH DATABASE backup");
    let restored = copied?;
    detached?;
    super::analyze(&mut conn)?;
    Ok(restored)
}

/// Inside the restore's transaction: every table's rows from `backup` into `main`.
fn copy_rows(conn: &mut DbConn, expected_cases: i64) -> Result<Restored, DbError> {
    let DbConn::Sqlite(c) = conn else {
        return Err(DbError::UnsupportedUrl);
    };
    refuse_non_empty(&non_empty(c)?)?;
    // References are checked once, at commit, so the tables can go in any order (a unit's
    // parent may come after it, a case's warning after the case).
    c.batch_execute("PRAGMA defer_foreign_keys = ON")?;
    let staged = tables(c, "backup")?;
    let mut restored = Restored {
        cases: 0,
        rows: 0,
        tables: 0,
    };
    for table in tables(c, "main")? {
        if table == MIGRATIONS_TABLE || DERIVED.contains(&table.as_str()) {
            continue;
        }
        if !staged.contains(&table) {
            continue;
        }
        // Named columns, in the target's order: both files have this binary's schema now, but
        // a table rebuilt by a migration may list its columns in another order.
        let columns = diesel::sql_query("SELECT name FROM pragma_table_info(?, 'main')")
            .bind::<Text, _>(&table)
            .load::<Name>(c)?
            .into_iter()
            .map(|n| ident(&n.name))
            .collect::<Vec<_>>()
            .join(", ");
        let t = ident(&table);
        let n = diesel::sql_query(format!(
            "INSERT INTO main.{t} ({columns}) SELECT {columns} FROM backup.{t}"
        ))
        .execute(c)?;
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        if table == "cases" {
            restored.cases = n;
        }
        restored.rows += n;
        restored.tables += 1;
    }
    // The AUTOINCREMENT counters: the inserts raised them to each table's largest id, but the
    // backup's may be higher still (rows deleted since), and an id is never to be given twice.
    c.batch_execute(
        "DELETE FROM main.sqlite_sequence; \
         INSERT INTO main.sqlite_sequence (name, seq) SELECT name, seq FROM backup.sqlite_sequence;",
    )?;
    if restored.cases != expected_cases {
        return Err(DbError::Other(format!(
            "the backup holds {expected_cases} cases but {} were copied; nothing was restored",
            restored.cases
        )));
    }
    Ok(restored)
}
