//! Importing a center's existing ledger (台账) from CSV or xlsx (the first worksheet): the export's columns, found by their
//! Chinese header names in any order. Every row is validated first; the good rows are written in
//! transactions of `BATCH` rows, each imported case with its history as events (intake at 受理日期;
//! accept and assign as the outcome needs them; the closing event at 结案日期), all marked
//! "导入台账" and without an actor. A 案号 already in the database (or earlier in the file) is a
//! duplicate and skipped, so importing the same file twice imports nothing the second time.
//! Enterprises are never created: an unknown 被申请单位 is a bad row.
//!
//! Two ways in: the command line (`import_file`, the operator's: any unit, the first active admin
//! recorded as the creator) and the upload page (`upload`: directors and admins, into a unit of
//! their scope, the caller recorded as the creator). A problem with the file as a whole (not a
//! workbook, not UTF-8, no header, a missing column) is a 422 on `file`, an unknown unit a 422 on
//! `unit_id`; nothing is written then.

use super::{Caller, Ctx};
use crate::db::schema::{cases, users};
use crate::db::DbConn;
use crate::domain::ledger::Column;
use crate::domain::permission::Permission;
use crate::error::{AppError, AppResult, Code};
use diesel::prelude::*;
use std::collections::{BTreeMap, HashSet};

mod check;
mod read;
mod write;

use check::{lookups, parse};
pub use check::{BadRow, Problem};
pub use read::{Record, MAX_FILE_BYTES};

/// Rows written per transaction.
pub const BATCH: usize = 500;

/// The note on every event of an imported case.
pub const NOTE: &str = "导入台账";

/// Bad rows and duplicates listed in a report; past these only their number is told.
pub const LISTED: usize = 1_000;

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    /// Data rows in the file.
    pub rows: usize,
    pub imported: usize,
    /// (line, 案号) of the first `LISTED` rows skipped because the case number exists.
    pub duplicates: Vec<(usize, String)>,
    /// How many rows were duplicates, listed or not.
    pub duplicate_rows: usize,
    /// (line, why) of the first `LISTED` rows that cannot be imported.
    pub bad: Vec<(usize, BadRow)>,
    /// How many rows were bad, listed or not.
    pub bad_rows: usize,
}

/// The two formats a ledger comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The format a file name says by its extension (any case): `.csv` or `.xlsx`, else none.
    pub fn of_name(name: &str) -> Option<Format> {
        let ext = std::path::Path::new(name).extension()?.to_str()?;
        if ext.eq_ignore_ascii_case("csv") {
            Some(Format::Csv)
        } else if ext.eq_ignore_ascii_case("xlsx") {
            Some(Format::Xlsx)
        } else {
            None
        }
    }
}

/// Who the imported cases (and their access-log rows) are recorded as created by.
#[derive(Debug, Clone, Copy)]
enum Creator {
    /// The command line's operator has no user: the first active admin.
    FirstAdmin,
    /// The signed-in user who uploaded the file.
    User(i64),
}

/// A file's records: a CSV must be UTF-8 text, an xlsx a workbook, each within `read`'s limits
/// (422 on `file` otherwise).
fn file_records(format: Format, bytes: Vec<u8>) -> AppResult<Vec<Record>> {
    if bytes.len() as u64 > read::MAX_FILE_BYTES {
        return Err(AppError::field(
            "file",
            Code::FileTooLarge.with("mb", read::MAX_FILE_BYTES / (1024 * 1024)),
        ));
    }
    match format {
        Format::Xlsx => read::xlsx_records(bytes),
        Format::Csv => read::csv_records(&bytes),
    }
    .map_err(|e| AppError::field("file", e))
}

/// The command line's import of a file's `bytes` into `unit_id` (any unit: the operator's); the
/// cases are created by the first active admin. With `dry_run`, validates and reports without
/// writing. `progress(done, total)` is called after every batch. An `Err` is a problem with the
/// whole file (422 on `file`), an unknown unit (422 on `unit_id`), or the database.
pub fn import_file(
    ctx: &Ctx,
    unit_id: i64,
    format: Format,
    bytes: Vec<u8>,
    dry_run: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> AppResult<ImportReport> {
    let records = file_records(format, bytes)?;
    import_records(
        ctx,
        unit_id,
        records,
        dry_run,
        Creator::FirstAdmin,
        progress,
    )
}

/// `import_file` of CSV text.
pub fn import_csv(
    ctx: &Ctx,
    unit_id: i64,
    text: &str,
    dry_run: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> AppResult<ImportReport> {
    import_records(
        ctx,
        unit_id,
        file_records(Format::Csv, text.as_bytes().to_vec())?,
        dry_run,
        Creator::FirstAdmin,
        progress,
    )
}

/// `import_file` of an .xlsx workbook: its first worksheet, line numbers being the sheet's row
/// numbers.
pub fn import_xlsx(
    ctx: &Ctx,
    unit_id: i64,
    bytes: Vec<u8>,
    dry_run: bool,
    progress: &mut dyn FnMut(usize, usize),
) -> AppResult<ImportReport> {
    import_file(ctx, unit_id, Format::Xlsx, bytes, dry_run, progress)
}

/// Uploads imported at once in one process; others wait their turn.
static IMPORTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// The upload page's import: the role (403), `unit_id` in the caller's scope (422 on `unit_id`),
/// the file (422 on `file`), then the rows as `import_file` does, with the caller recorded as the
/// creator of the cases and in the access log.
///
/// It runs on a thread of its own, one import at a time, and not on the blocking pool whose
/// threads answer every other request's queries: a large file then delays the next import, never
/// the desk or `/healthz`.
pub async fn upload(
    ctx: &Ctx,
    caller: &Caller,
    unit_id: i64,
    format: Format,
    bytes: Vec<u8>,
    dry_run: bool,
) -> AppResult<ImportReport> {
    caller.require(Permission::ImportLedger)?;
    let gone = || AppError::Internal(crate::db::DbError::Blocking);
    let _turn = IMPORTS.acquire().await.map_err(|_| gone())?;
    let (ctx, caller) = (ctx.clone(), caller.clone());
    let (tx, rx) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("ledger-import".into())
        .spawn(move || {
            let work = || {
                let in_scope = super::unit_in_scope(&mut *ctx.db.get()?, &caller, unit_id)?;
                if !in_scope {
                    return Err(AppError::field("unit_id", Code::NotInScope));
                }
                let records = file_records(format, bytes)?;
                let creator = Creator::User(caller.id);
                import_records(&ctx, unit_id, records, dry_run, creator, &mut |_, _| {})
            };
            let _ = tx.send(work());
        })
        .map_err(|_| gone())?;
    rx.await.map_err(|_| gone())?
}

fn import_records(
    ctx: &Ctx,
    unit_id: i64,
    records: Vec<Record>,
    dry_run: bool,
    creator: Creator,
    progress: &mut dyn FnMut(usize, usize),
) -> AppResult<ImportReport> {
    let mut records = records.into_iter();
    let (_, header) = records
        .next()
        .ok_or_else(|| AppError::field("file", Code::FileEmpty))?;
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    // An older ledger's 受理日期 is its receipt date: a bad row names the column as the file does.
    let old_format = !names.iter().any(|h| h.trim() == Column::Received.header());
    let columns: BTreeMap<&'static str, usize> = Column::of_header(&names)
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| c.map(|c| (c.header(), i)))
        .collect();
    let missing = check::missing_columns(|h| columns.contains_key(h));
    if !missing.is_empty() {
        return Err(AppError::field(
            "file",
            Code::FileMissingColumns.with("list", missing.join(", ")),
        ));
    }
    let mut conn = ctx.db.get()?;
    let l = lookups(&mut conn, ctx, unit_id)?;
    let creator: i64 = match creator {
        Creator::User(id) => id,
        Creator::FirstAdmin => users::table
            .filter(users::role.eq("admin"))
            .filter(users::active.eq(true))
            .order(users::id)
            .select(users::id)
            .first(&mut conn)
            .optional()?
            .ok_or_else(|| {
                AppError::BadRequest(
                    "no active admin user to record as the creator of the imported cases".into(),
                )
            })?,
    };

    let records: Vec<Record> = records.collect();
    let case_no_column = columns[Column::CaseNo.header()];
    let case_no = |record: &[String]| {
        record
            .get(case_no_column)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    // Case numbers already in the database: those rows are duplicates, whatever else they hold.
    let mut seen: HashSet<String> = HashSet::new();
    let numbers: Vec<String> = records.iter().map(|(_, r)| case_no(r)).collect();
    for chunk in numbers.chunks(BATCH) {
        seen.extend(
            cases::table
                .filter(cases::case_no.eq_any(chunk))
                .select(cases::case_no)
                .load::<String>(&mut conn)?,
        );
    }
    // Archive numbers already held, and those of the file's earlier rows: a second is refused.
    let mut archive_nos: HashSet<String> = HashSet::new();
    if let Some(&column) = columns.get(Column::ArchiveNo.header()) {
        let given: Vec<String> = records
            .iter()
            .filter_map(|(_, r)| r.get(column).map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
            .collect();
        for chunk in given.chunks(BATCH) {
            use crate::db::schema::case_archives;
            archive_nos.extend(
                case_archives::table
                    .filter(case_archives::archive_no.eq_any(chunk))
                    .select(case_archives::archive_no)
                    .load::<Option<String>>(&mut conn)?
                    .into_iter()
                    .flatten(),
            );
        }
    }
    drop(conn);

    let mut report = ImportReport::default();
    let mut good = Vec::new();
    for (line, record) in &records {
        report.rows += 1;
        let number = case_no(record);
        if !number.is_empty() && seen.contains(&number) {
            report.duplicates.push((*line, number));
            continue;
        }
        let get = |c: Column| {
            columns
                .get(c.header())
                .and_then(|&i| record.get(i))
                .cloned()
                .unwrap_or_default()
        };
        match parse(*line, &get, &l) {
            Ok(p)
                if p.archive_no
                    .as_ref()
                    .is_some_and(|n| archive_nos.contains(n)) =>
            {
                let value = p.archive_no.clone().unwrap_or_default();
                report.bad.push((
                    *line,
                    check::BadRow {
                        column: Column::ArchiveNo.header(),
                        problem: check::Problem::ArchiveNoTaken,
                        value,
                    },
                ));
            }
            Ok(p) => {
                seen.insert(p.case_no.clone());
                archive_nos.extend(p.archive_no.clone());
                good.push(p);
            }
            Err(mut reason) => {
                if old_format && reason.column == Column::Received.header() {
                    reason.column = Column::Accepted.header();
                }
                report.bad.push((*line, reason))
            }
        }
    }
    let total = good.len();
    let mut done = 0;
    for batch in good.chunks(BATCH) {
        let numbers: Vec<String> = batch.iter().map(|p| p.case_no.clone()).collect();
        let write = |conn: &mut DbConn| -> Result<(usize, Vec<(usize, String)>), AppError> {
            let existing: HashSet<String> = cases::table
                .filter(cases::case_no.eq_any(numbers))
                .select(cases::case_no)
                .load::<String>(conn)?
                .into_iter()
                .collect();
            let mut imported = 0;
            let mut duplicates = Vec::new();
            for p in batch {
                if existing.contains(&p.case_no) {
                    duplicates.push((p.line, p.case_no.clone()));
                } else {
                    if !dry_run {
                        write::write_case(conn, ctx, unit_id, creator, p)?;
                    }
                    imported += 1;
                }
            }
            Ok((imported, duplicates))
        };
        let (imported, duplicates) = if dry_run {
            write(&mut *ctx.db.get()?)
        } else {
            ctx.db.write_blocking(write)
        }?;
        report.imported += imported;
        report.duplicates.extend(duplicates);
        done += batch.len();
        progress(done, total);
    }
    if total == 0 {
        progress(0, 0);
    }
    report.duplicates.sort();
    report.duplicate_rows = report.duplicates.len();
    report.duplicates.truncate(LISTED);
    report.bad_rows = report.bad.len();
    report.bad.truncate(LISTED);
    Ok(report)
}
