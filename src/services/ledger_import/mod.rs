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

use super::{access, Caller, Ctx};
use crate::db::models::{NewCase, NewCaseEvent, NewPayment};
use crate::db::schema::{case_events, cases, enterprises, payments, units, users};
use crate::db::DbConn;
use crate::domain::money::Fen;
use crate::domain::text::{check_required_text, NAME_MAX};
use crate::domain::vocab::Category;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::fmt;

mod read;
pub use read::{Record, MAX_FILE_BYTES};

/// Rows written per transaction.
pub const BATCH: usize = 500;

/// The note on every event of an imported case.
pub const NOTE: &str = "导入台账";

/// The columns an import needs; 序号 and the rest of the export's columns are optional.
const REQUIRED: [&str; 8] = [
    "案号",
    "受理日期",
    "申请人",
    "被申请单位",
    "争议类型",
    "涉及人数",
    "涉案金额",
    "处理结果",
];

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

/// One good row, ready to write.
#[derive(Debug, Clone)]
struct Parsed {
    line: usize,
    case_no: String,
    received: NaiveDate,
    applicant: String,
    enterprise_id: i64,
    category: Category,
    workers: i64,
    amount_claimed: Fen,
    mediator_id: Option<i64>,
    status: &'static str,
    amount_agreed: Option<Fen>,
    amount_paid: Fen,
    closed: Option<NaiveDate>,
}

/// A date as ledgers write it: 2025-03-05, 2025/3/5 or 2025.3.5.
fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()
}

/// The name without a masked ID number in parentheses after it (as the export writes it).
fn applicant_name(s: &str) -> String {
    let s = s.trim();
    let cut = s.find(['(', '（']).unwrap_or(s.len());
    s[..cut].trim().to_string()
}

/// The status of a 处理结果.
fn status_of(label: &str) -> Option<&'static str> {
    Some(match label.trim() {
        "待受理" => "received",
        "已受理" => "accepted",
        "调解中" => "mediating",
        "调解成功" => "resolved",
        "调解不成" => "failed",
        "撤回" => "withdrawn",
        "不予受理" => "rejected",
        _ => return None,
    })
}

/// The lookups a row is checked against.
struct Lookups {
    /// Enterprise ids by name (several when the name is not unique).
    enterprises: BTreeMap<String, Vec<i64>>,
    /// Mediator and director ids of the unit's subtree by display name.
    mediators: BTreeMap<String, Vec<i64>>,
    today: NaiveDate,
}

/// What is wrong with a cell of a bad row. Each has a message in the catalogs under
/// `import.problem.<code>` (the upload page) and an English predicate (the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    EmptyOrTooLong,
    NotADate,
    InTheFuture,
    UnknownEnterprise,
    SeveralEnterprises,
    UnknownCategory,
    NotAWorkerCount,
    NotAnAmount,
    UnknownMediator,
    SeveralMediators,
    UnknownOutcome,
    RequiredForAgreement,
    GivenForOpenCase,
    RequiredForClosedCase,
    BeforeReceipt,
    FormulaLike,
    InvisibleCharacter,
}

impl Problem {
    pub const ALL: [Problem; 17] = [
        Problem::EmptyOrTooLong,
        Problem::NotADate,
        Problem::InTheFuture,
        Problem::UnknownEnterprise,
        Problem::SeveralEnterprises,
        Problem::UnknownCategory,
        Problem::NotAWorkerCount,
        Problem::NotAnAmount,
        Problem::UnknownMediator,
        Problem::SeveralMediators,
        Problem::UnknownOutcome,
        Problem::RequiredForAgreement,
        Problem::GivenForOpenCase,
        Problem::RequiredForClosedCase,
        Problem::BeforeReceipt,
        Problem::FormulaLike,
        Problem::InvisibleCharacter,
    ];

    /// The code and the English predicate.
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            Problem::EmptyOrTooLong => ("empty_or_too_long", "is empty or too long"),
            Problem::NotADate => ("not_a_date", "is not a date"),
            Problem::InTheFuture => ("in_the_future", "is in the future"),
            Problem::UnknownEnterprise => (
                "unknown_enterprise",
                "is not a registered enterprise (register it first)",
            ),
            Problem::SeveralEnterprises => ("several_enterprises", "names several enterprises"),
            Problem::UnknownCategory => ("unknown_category", "is not a dispute category"),
            Problem::NotAWorkerCount => ("not_a_worker_count", "is not a number of workers"),
            Problem::NotAnAmount => ("not_an_amount", "is not an amount in yuan"),
            Problem::UnknownMediator => ("unknown_mediator", "is not a mediator of this unit"),
            Problem::SeveralMediators => ("several_mediators", "names several users"),
            Problem::UnknownOutcome => ("unknown_outcome", "is not an outcome"),
            Problem::RequiredForAgreement => ("required_for_agreement", "is required for 调解成功"),
            Problem::GivenForOpenCase => ("given_for_open_case", "is given but the case is open"),
            Problem::RequiredForClosedCase => {
                ("required_for_closed_case", "is required for a closed case")
            }
            Problem::BeforeReceipt => ("before_receipt", "is before 受理日期"),
            Problem::FormulaLike => (
                "formula_like",
                "starts with =, +, -, @, a tab or a line break, which spreadsheets run as a formula",
            ),
            Problem::InvisibleCharacter => (
                "invisible_character",
                "holds invisible or control characters, or nothing visible",
            ),
        }
    }

    pub fn code(self) -> &'static str {
        self.texts().0
    }
}

/// Why a row cannot be imported: its column (the ledger's header), the problem, and the cell's
/// text (trimmed; empty when the cell is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub column: &'static str,
    pub problem: Problem,
    pub value: String,
}

/// The command line's sentence: `受理日期 "2025-02-30" is not a date`.
impl fmt::Display for BadRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let predicate = self.problem.texts().1;
        match self.value.as_str() {
            "" => write!(f, "{} {predicate}", self.column),
            value => write!(f, "{} {value:?} {predicate}", self.column),
        }
    }
}

/// An amount in yuan as ledgers write it, thousands commas allowed.
fn money(s: &str) -> Option<Fen> {
    s.trim().replace(',', "").parse::<Fen>().ok()
}

/// Checks one row; `Err` is why it is bad.
fn parse(line: usize, get: &dyn Fn(&str) -> String, l: &Lookups) -> Result<Parsed, BadRow> {
    let bad = |column: &'static str, problem| BadRow {
        column,
        problem,
        value: get(column).trim().to_string(),
    };
    let case_no = get("案号").trim().to_string();
    if case_no.is_empty() || case_no.chars().count() > 64 {
        return Err(bad("案号", Problem::EmptyOrTooLong));
    }
    let received = date(&get("受理日期")).ok_or_else(|| bad("受理日期", Problem::NotADate))?;
    if received > l.today {
        return Err(bad("受理日期", Problem::InTheFuture));
    }
    let applicant = applicant_name(&get("申请人"));
    if applicant.is_empty() || applicant.chars().count() > NAME_MAX {
        return Err(bad("申请人", Problem::EmptyOrTooLong));
    }
    if crate::reports::csv::looks_like_formula(&applicant) {
        return Err(bad("申请人", Problem::FormulaLike));
    }
    if check_required_text(&applicant, NAME_MAX).is_err() {
        return Err(bad("申请人", Problem::InvisibleCharacter));
    }
    let enterprise = get("被申请单位").trim().to_string();
    let enterprise_id = match l.enterprises.get(&enterprise).map(Vec::as_slice) {
        Some([id]) => *id,
        Some([_, _, ..]) => return Err(bad("被申请单位", Problem::SeveralEnterprises)),
        _ => return Err(bad("被申请单位", Problem::UnknownEnterprise)),
    };
    let category_label = get("争议类型").trim().to_string();
    let category = Category::ALL
        .iter()
        .copied()
        .find(|c| c.label_zh() == category_label)
        .ok_or_else(|| bad("争议类型", Problem::UnknownCategory))?;
    let workers = get("涉及人数")
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| crate::domain::workers::check_workers(*n).is_ok())
        .ok_or_else(|| bad("涉及人数", Problem::NotAWorkerCount))?;
    let amount_claimed =
        money(&get("涉案金额")).ok_or_else(|| bad("涉案金额", Problem::NotAnAmount))?;
    let mediator_name = get("调解员").trim().to_string();
    let mediator_id = match (
        mediator_name.is_empty(),
        l.mediators.get(&mediator_name).map(Vec::as_slice),
    ) {
        (true, _) => None,
        (false, Some([id])) => Some(*id),
        (false, Some([_, _, ..])) => return Err(bad("调解员", Problem::SeveralMediators)),
        (false, _) => return Err(bad("调解员", Problem::UnknownMediator)),
    };
    let status =
        status_of(&get("处理结果")).ok_or_else(|| bad("处理结果", Problem::UnknownOutcome))?;
    let amount_agreed = match get("协议金额").trim() {
        "" => None,
        a => Some(money(a).ok_or_else(|| bad("协议金额", Problem::NotAnAmount))?),
    };
    if status == "resolved" && amount_agreed.is_none() {
        return Err(bad("协议金额", Problem::RequiredForAgreement));
    }
    let amount_paid = match get("履行金额").trim() {
        "" => Fen::from_fen(0),
        a => money(a).ok_or_else(|| bad("履行金额", Problem::NotAnAmount))?,
    };
    let closed_text = get("结案日期");
    let closed_open = matches!(status, "received" | "accepted" | "mediating");
    let closed = match (closed_text.trim(), closed_open) {
        ("", true) => None,
        (_, true) => return Err(bad("结案日期", Problem::GivenForOpenCase)),
        ("", false) => return Err(bad("结案日期", Problem::RequiredForClosedCase)),
        (d, false) => {
            let d = date(d).ok_or_else(|| bad("结案日期", Problem::NotADate))?;
            if d < received {
                return Err(bad("结案日期", Problem::BeforeReceipt));
            }
            if d > l.today {
                return Err(bad("结案日期", Problem::InTheFuture));
            }
            Some(d)
        }
    };
    Ok(Parsed {
        line,
        case_no,
        received,
        applicant,
        enterprise_id,
        category,
        workers,
        amount_claimed,
        mediator_id,
        status,
        amount_agreed,
        amount_paid,
        closed,
    })
}

fn lookups(conn: &mut DbConn, ctx: &Ctx, unit_id: i64) -> AppResult<Lookups> {
    let path: String = units::table
        .find(unit_id)
        .select(units::path)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::field("unit_id", format!("no unit with id {unit_id}")))?;
    let unit_ids = super::units_under(conn, &path)?;
    let mut enterprise_names: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (id, name) in enterprises::table
        .select((enterprises::id, enterprises::name))
        .load::<(i64, String)>(conn)?
    {
        enterprise_names.entry(name).or_default().push(id);
    }
    let mut mediators: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (id, name) in users::table
        .filter(users::unit_id.eq_any(unit_ids))
        .filter(users::role.eq_any(["mediator", "director"]))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
    {
        mediators.entry(name).or_default().push(id);
    }
    Ok(Lookups {
        enterprises: enterprise_names,
        mediators,
        today: ctx.local_date(ctx.now()),
    })
}

/// Writes one good row: the case, its events and its payment.
fn write_case(
    conn: &mut DbConn,
    ctx: &Ctx,
    unit_id: i64,
    creator: i64,
    p: &Parsed,
) -> QueryResult<()> {
    let settings = &ctx.settings;
    let now = ctx.now().naive_utc();
    let received_at = ctx.local_midnight(p.received);
    let closed_at: Option<NaiveDateTime> = p.closed.map(|d| ctx.local_midnight(d));
    let last_event_at = closed_at.unwrap_or(received_at);
    let id: i64 = diesel::insert_into(cases::table)
        .values(NewCase {
            case_no: p.case_no.clone(),
            unit_id,
            channel: "other".into(),
            category: p.category.as_str().into(),
            enterprise_id: p.enterprise_id,
            applicant_name: Some(p.applicant.clone()),
            applicant_phone: None,
            applicant_id_number: None,
            workers_involved: p.workers,
            amount_claimed: p.amount_claimed.fen(),
            description: NOTE.into(),
            warning_id: None,
            status: p.status.into(),
            received_at,
            accept_by: settings.rules.accept_by(p.received, &settings.calendar),
            deadline: settings.rules.deadline(p.received, &settings.calendar),
            last_event_at,
            created_by: creator,
            created_at: now,
            updated_at: now,
        })
        .returning(cases::id)
        .get_result(conn)?;
    let outcome = match p.status {
        "resolved" => Some("agreement"),
        "failed" => Some("failed"),
        _ => None,
    };
    diesel::update(cases::table.find(id))
        .set((
            cases::mediator_id.eq(p.mediator_id),
            cases::outcome.eq(outcome),
            cases::amount_agreed.eq(p.amount_agreed.map(Fen::fen)),
            cases::amount_paid.eq(p.amount_paid.fen()),
            cases::closed_at.eq(closed_at),
        ))
        .execute(conn)?;
    // The applicant's name is personal data entered into the system: logged as intake logs it.
    access::record(
        conn,
        creator,
        access::EDIT_PERSONAL_DATA,
        "case",
        Some(id),
        now,
    )?;
    // The timeline: (at, action, from, to).
    let mut events: Vec<(NaiveDateTime, &str, Option<&str>, &str)> =
        vec![(received_at, "intake", None, "received")];
    let mediated = matches!(p.status, "mediating" | "resolved" | "failed");
    if mediated || p.status == "accepted" {
        events.push((received_at, "accept", Some("received"), "accepted"));
    }
    if mediated {
        events.push((received_at, "assign", Some("accepted"), "mediating"));
    }
    if let Some(at) = closed_at {
        let (action, from) = match p.status {
            "rejected" => ("reject", "received"),
            "withdrawn" => ("withdraw", "received"),
            _ => ("close", "mediating"),
        };
        events.push((at, action, Some(from), p.status));
    }
    for (at, action, from, to) in events {
        diesel::insert_into(case_events::table)
            .values(NewCaseEvent {
                case_id: id,
                actor_id: None,
                at,
                action,
                from_status: from,
                to_status: Some(to),
                note: Some(NOTE),
                created_at: now,
            })
            .execute(conn)?;
    }
    if p.amount_paid.fen() > 0 {
        let paid_at = p.closed.unwrap_or(p.received);
        diesel::insert_into(payments::table)
            .values(NewPayment {
                case_id: id,
                amount: p.amount_paid.fen(),
                paid_at,
                recorded_by: creator,
                created_at: now,
            })
            .execute(conn)?;
        let amount = p.amount_paid.to_string();
        diesel::insert_into(case_events::table)
            .values(NewCaseEvent {
                case_id: id,
                actor_id: None,
                at: ctx.local_midnight(paid_at),
                action: "payment",
                from_status: Some(p.status),
                to_status: Some(p.status),
                note: Some(&amount),
                created_at: now,
            })
            .execute(conn)?;
    }
    Ok(())
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
            format!(
                "is larger than {} MB: import it in parts",
                read::MAX_FILE_BYTES / (1024 * 1024)
            ),
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

/// Directors and admins import a ledger, as they export one: they manage their units' records.
pub fn require_importer(caller: &Caller) -> AppResult<()> {
    super::ledger::require_exporter(caller)
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
    require_importer(caller)?;
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
                    return Err(AppError::field("unit_id", "no such unit in your scope"));
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
        .ok_or_else(|| AppError::field("file", "is empty"))?;
    let columns: BTreeMap<String, usize> = header
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().to_string(), i))
        .collect();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|h| !columns.contains_key(*h))
        .collect();
    if !missing.is_empty() {
        return Err(AppError::field(
            "file",
            format!("lacks the ledger columns: {}", missing.join(", ")),
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
    let case_no_column = columns["案号"];
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
        let get = |h: &str| {
            columns
                .get(h)
                .and_then(|&i| record.get(i))
                .cloned()
                .unwrap_or_default()
        };
        match parse(*line, &get, &l) {
            Ok(p) => {
                seen.insert(p.case_no.clone());
                good.push(p);
            }
            Err(reason) => report.bad.push((*line, reason)),
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
                        write_case(conn, ctx, unit_id, creator, p)?;
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
