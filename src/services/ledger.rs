//! The ledger (台账): one line per case received in a period, in the columns mediation centers
//! keep on paper and in spreadsheets. It carries applicants' names, so every export through the API
//! is written to the access log (`access::EXPORT`, record type `ledger`); ID numbers are masked.

use super::cases::{self as case_list, CaseFilter};
use super::stats::{Root, Span};
use super::{access, Caller, Ctx, Paging};
use crate::db::schema::{case_events, cases, enterprises, users};
use crate::db::DbConn;
use crate::domain::money::Fen;
use crate::domain::permission::Permission;
use crate::domain::resident_id::ResidentId;
use crate::domain::vocab::Category;
use crate::error::{AppError, AppResult, Code};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::BTreeMap;

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub no: i64,
    pub case_no: String,
    /// 收案日期: the local date the case was received.
    pub received: NaiveDate,
    /// 受理日期: the local date it was accepted (None for a case never accepted).
    pub accepted: Option<NaiveDate>,
    /// The applicant's name, with the masked ID number in parentheses when there is one.
    pub applicant: String,
    pub enterprise: String,
    pub category: String,
    pub workers: i64,
    pub amount_claimed: Fen,
    pub mediator: String,
    pub outcome: String,
    pub amount_agreed: Option<Fen>,
    pub amount_paid: Fen,
    pub closed: Option<NaiveDate>,
    /// 履行情况: how an agreement stands today (empty without one).
    pub fulfilment: String,
    /// 司法确认: "确认有效（2026-03-20）", "已申请（2026-03-05，东城区人民法院）", "拟申请" or empty.
    pub confirmation: String,
    /// 归档号: empty until archived.
    pub archive_no: String,
}

/// The ledger of one period, or of the case list's rows.
#[derive(Debug, Clone)]
pub struct Ledger {
    /// The file name stem: "tiaojie-ledger-2026-03-01-2026-04-01" for the period [from, to),
    /// "tiaojie-cases-2026-03-02" for the case list on a day.
    pub stem: String,
    pub unit_name: Option<String>,
    pub lines: Vec<Line>,
}

impl Ledger {
    pub fn file_stem(&self) -> String {
        self.stem.clone()
    }
}

/// 处理结果 of a case's stored status; 其他 for a status this version does not know.
fn outcome_label(status: &str) -> &'static str {
    status
        .parse()
        .map(crate::domain::ledger::outcome_label)
        .unwrap_or("其他")
}

/// The applicant cell: the name, and the masked ID number in (full-width) brackets.
fn applicant(name: Option<&str>, id_number: Option<&str>) -> String {
    let name = name.unwrap_or("").trim();
    match id_number.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) if name.is_empty() => ResidentId::mask_str(id),
        Some(id) => format!("{name}（{}）", ResidentId::mask_str(id)),
        None => name.to_string(),
    }
}

type LedgerRow = (
    i64,
    String,
    NaiveDateTime,
    Option<String>,
    Option<String>,
    i64,
    String,
    i64,
    i64,
    Option<i64>,
    String,
    Option<i64>,
    i64,
    Option<NaiveDateTime>,
);

/// The ledger of [from, to) for `root` (no caller checks: the command line uses it too).
pub fn compute(
    conn: &mut DbConn,
    ctx: &Ctx,
    root: &Root,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Ledger> {
    let mut q = cases::table
        .filter(cases::received_at.ge(ctx.local_midnight(from)))
        .filter(cases::received_at.lt(ctx.local_midnight(to)))
        .select(cases::id)
        .order((cases::received_at, cases::id))
        .into_boxed();
    let unit_name = match root {
        Root::All => None,
        Root::Unit { name, path, .. } => {
            let ids: Vec<i64> = super::units_under(conn, path)?;
            q = q.filter(cases::unit_id.eq_any(ids));
            Some(name.clone())
        }
    };
    let ids: Vec<i64> = q.load(conn)?;
    let rows = rows_of(conn, &ids)?;
    let lines = lines(conn, ctx, rows)?;
    Ok(Ledger {
        stem: format!("tiaojie-ledger-{from}-{to}"),
        unit_name,
        lines,
    })
}

/// The rows of the cases `ids`, in that order.
fn rows_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<LedgerRow>> {
    let mut found: BTreeMap<i64, LedgerRow> = BTreeMap::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<LedgerRow> = cases::table
            .filter(cases::id.eq_any(chunk))
            .select((
                cases::id,
                cases::case_no,
                cases::received_at,
                cases::applicant_name,
                cases::applicant_id_number,
                cases::enterprise_id,
                cases::category,
                cases::workers_involved,
                cases::amount_claimed,
                cases::mediator_id,
                cases::status,
                cases::amount_agreed,
                cases::amount_paid,
                cases::closed_at,
            ))
            .load(conn)?;
        found.extend(rows.into_iter().map(|r| (r.0, r)));
    }
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// The ledger's lines of `rows`, in their order, numbered from 1: the enterprises' and
/// mediators' names and the acceptance dates read in one query each (per `CHUNK` cases).
fn lines(conn: &mut DbConn, ctx: &Ctx, rows: Vec<LedgerRow>) -> QueryResult<Vec<Line>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let enterprise_ids: Vec<i64> = rows.iter().map(|r| r.5).collect();
    let mediator_ids: Vec<i64> = rows.iter().filter_map(|r| r.9).collect();
    let mut enterprise_names: BTreeMap<i64, String> = BTreeMap::new();
    for chunk in dedup(enterprise_ids).chunks(CHUNK) {
        enterprise_names.extend(
            enterprises::table
                .filter(enterprises::id.eq_any(chunk))
                .select((enterprises::id, enterprises::name))
                .load::<(i64, String)>(conn)?,
        );
    }
    let mut mediator_names: BTreeMap<i64, String> = BTreeMap::new();
    for chunk in dedup(mediator_ids).chunks(CHUNK) {
        mediator_names.extend(
            users::table
                .filter(users::id.eq_any(chunk))
                .select((users::id, users::display_name))
                .load::<(i64, String)>(conn)?,
        );
    }
    // A case is accepted once (received → accepted); its accept event dates it.
    let mut accepted: BTreeMap<i64, NaiveDateTime> = BTreeMap::new();
    for chunk in ids.chunks(CHUNK) {
        accepted.extend(
            case_events::table
                .filter(case_events::case_id.eq_any(chunk))
                .filter(case_events::action.eq("accept"))
                .select((case_events::case_id, case_events::at))
                .load::<(i64, NaiveDateTime)>(conn)?,
        );
    }
    let resolved: Vec<i64> = rows
        .iter()
        .filter(|r| r.10 == crate::domain::case::CaseStatus::Resolved.as_str())
        .map(|r| r.0)
        .collect();
    let today = ctx.local_date(ctx.now());
    let fulfilments = crate::services::cases::fulfilments_on(conn, ctx, &resolved, today)?;
    let mut confirmations: BTreeMap<i64, crate::db::models::ConfirmationRow> = BTreeMap::new();
    let mut archive_nos: BTreeMap<i64, String> = BTreeMap::new();
    for chunk in ids.chunks(CHUNK) {
        use crate::db::schema::{case_archives, case_confirmations};
        confirmations.extend(
            case_confirmations::table
                .filter(case_confirmations::case_id.eq_any(chunk))
                .select(crate::db::models::ConfirmationRow::as_select())
                .load(conn)?
                .into_iter()
                .map(|c| (c.case_id, c)),
        );
        archive_nos.extend(
            case_archives::table
                .filter(case_archives::case_id.eq_any(chunk))
                .filter(case_archives::archive_no.is_not_null())
                .select((case_archives::case_id, case_archives::archive_no))
                .load::<(i64, Option<String>)>(conn)?
                .into_iter()
                .filter_map(|(id, no)| Some((id, no?))),
        );
    }
    let date = |t: NaiveDateTime| ctx.local_date(t.and_utc());
    Ok(rows
        .into_iter()
        .zip(1..)
        .map(|(r, no)| Line {
            no,
            case_no: r.1,
            received: date(r.2),
            accepted: accepted.get(&r.0).map(|t| date(*t)),
            applicant: applicant(r.3.as_deref(), r.4.as_deref()),
            enterprise: enterprise_names.get(&r.5).cloned().unwrap_or_default(),
            category: r
                .6
                .parse::<Category>()
                .map(|c| crate::i18n::name_zh("category", c.as_str()))
                .unwrap_or(r.6),
            workers: r.7,
            amount_claimed: Fen::from_fen(r.8),
            mediator: r
                .9
                .and_then(|m| mediator_names.get(&m).cloned())
                .unwrap_or_default(),
            outcome: outcome_label(&r.10).to_string(),
            amount_agreed: r.11.map(Fen::from_fen),
            amount_paid: Fen::from_fen(r.12),
            closed: r.13.map(date),
            fulfilment: fulfilments
                .get(&r.0)
                .map(|f| crate::i18n::name_zh("fulfilment", f.as_str()))
                .unwrap_or_default(),
            confirmation: confirmations
                .get(&r.0)
                .map(confirmation_text)
                .unwrap_or_default(),
            archive_no: archive_nos.get(&r.0).cloned().unwrap_or_default(),
        })
        .collect())
}

/// 司法确认 as the ledger writes it: the ruling and its day, the application with its day and
/// court, or the parties' intent.
fn confirmation_text(c: &crate::db::models::ConfirmationRow) -> String {
    let t = |key: &str| crate::i18n::t(crate::i18n::DEFAULT_LANG, key);
    let paren =
        |inner: String| crate::web::html::render::parenthesised(crate::i18n::DEFAULT_LANG, &inner);
    match (&c.result, c.ruled_on, c.applied_on) {
        (Some(result), Some(on), _) => {
            format!(
                "{}{}",
                crate::i18n::name_zh("cresult", result),
                paren(on.to_string())
            )
        }
        (_, _, Some(applied)) => format!(
            "{}{}",
            t("ledger.confirmation_applied"),
            paren(format!(
                "{applied}{}{}",
                t("print.sep"),
                c.court.clone().unwrap_or_default()
            ))
        ),
        _ if c.intended => t("ledger.confirmation_intended"),
        _ => String::new(),
    }
}

/// How many ids one `IN` list holds (well under either backend's limit of bound parameters).
const CHUNK: usize = 1_000;

fn dedup(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The most cases a case list export holds; a filter matching more is refused (422) so that
/// the export is narrowed rather than cut short.
pub const LIST_MAX: i64 = 10_000;

/// The case list's rows, as the list filters and orders them for the caller (its scope, its
/// checks, its 422s), as a ledger: the same columns and masking as the period's. Directors and
/// admins, as for the ledger (403 first); one access-log row (`record_type = "case_list"`).
pub async fn export_list(ctx: &Ctx, caller: &Caller, filter: CaseFilter) -> AppResult<Ledger> {
    caller.require(Permission::ExportLedger)?;
    let mut ids: Vec<i64> = Vec::new();
    for page in 1.. {
        let paging = Paging::new(Some(page), Some(200))?;
        let found = case_list::list(ctx, caller.clone(), filter.clone(), paging).await?;
        if found.total > LIST_MAX {
            return Err(AppError::field(
                "q",
                Code::TooManyCases.with("max", LIST_MAX),
            ));
        }
        ids.extend(found.items.iter().map(|c| c.id));
        if found.items.is_empty() || i64::try_from(ids.len()).unwrap_or(i64::MAX) >= found.total {
            break;
        }
    }
    let (c, caller) = (ctx.clone(), caller.clone());
    ctx.db
        .write(move |conn| {
            let rows = rows_of(conn, &ids)?;
            let lines = lines(conn, &c, rows)?;
            let now = c.now();
            access::record(
                conn,
                caller.id,
                access::EXPORT,
                "case_list",
                None,
                now.naive_utc(),
            )?;
            Ok(Ledger {
                stem: format!("tiaojie-cases-{}", c.local_date(now)),
                unit_name: None,
                lines,
            })
        })
        .await
}

/// The ledger for the caller: role (403), then values (422), then scope (422 on `unit_id`). The
/// export is written to the access log in the same transaction that reads it.
pub async fn export(
    ctx: &Ctx,
    caller: &Caller,
    span: AppResult<Span>,
    unit_id: Option<i64>,
) -> AppResult<Ledger> {
    caller.require(Permission::ExportLedger)?;
    let (from, to) = span?.bounds();
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .write(move |conn| export_in(conn, &c, &caller, from, to, unit_id))
        .await
}

/// The export inside a writing transaction: the caller's unit (or `unit_id` in their scope), the
/// ledger, and its access-log row. The command line calls it too, for a named user.
pub fn export_in(
    conn: &mut DbConn,
    ctx: &Ctx,
    caller: &Caller,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    unit_id: Option<i64>,
) -> AppResult<Ledger> {
    caller.require(Permission::ExportLedger)?;
    let root = Root::for_caller(conn, caller, unit_id)?;
    let ledger = compute(conn, ctx, &root, from, to)?;
    let record_id = match root {
        Root::All => None,
        Root::Unit { id, .. } => Some(id),
    };
    access::record(
        conn,
        caller.id,
        access::EXPORT,
        "ledger",
        record_id,
        ctx.now().naive_utc(),
    )?;
    Ok(ledger)
}
