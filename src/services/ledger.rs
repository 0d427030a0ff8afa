//! The ledger (台账): one line per case received in a period, in the columns mediation centers
//! keep on paper and in spreadsheets. It carries applicants' names, so every export through the API
//! is written to the access log (`access::EXPORT`, record type `ledger`); ID numbers are masked.

use super::stats::{Root, Span};
use super::{access, Caller, Ctx};
use crate::db::schema::{cases, enterprises, users};
use crate::db::DbConn;
use crate::domain::money::Fen;
use crate::domain::permission::Permission;
use crate::domain::resident_id::ResidentId;
use crate::domain::vocab::Category;
use crate::error::AppResult;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::BTreeMap;

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub no: i64,
    pub case_no: String,
    /// The local date the case was received.
    pub received: NaiveDate,
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
}

/// The ledger of one period.
#[derive(Debug, Clone)]
pub struct Ledger {
    pub from: NaiveDate,
    /// The date after the last (the period is [from, to)).
    pub to: NaiveDate,
    pub unit_name: Option<String>,
    pub lines: Vec<Line>,
}

impl Ledger {
    /// The file name stem, e.g. "tiaojie-ledger-2026-03-01-2026-04-01".
    pub fn file_stem(&self) -> String {
        format!("tiaojie-ledger-{}-{}", self.from, self.to)
    }
}

/// 处理结果 of a case's stored status; 其他 for a status this version does not know.
fn outcome_label(status: &str) -> &'static str {
    status
        .parse()
        .map(crate::domain::ledger::outcome_label)
        .unwrap_or("其他")
}

/// The applicant cell: the name, and the masked ID number in parentheses.
fn applicant(name: Option<&str>, id_number: Option<&str>) -> String {
    let name = name.unwrap_or("").trim();
    match id_number.map(str::trim).filter(|s| !s.is_empty()) {
        Some(id) if name.is_empty() => ResidentId::mask_str(id),
        Some(id) => format!("{name}({})", ResidentId::mask_str(id)),
        None => name.to_string(),
    }
}

type LedgerRow = (
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
        .select((
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
    let rows: Vec<LedgerRow> = q.load(conn)?;
    let enterprise_ids: Vec<i64> = rows.iter().map(|r| r.4).collect();
    let mediator_ids: Vec<i64> = rows.iter().filter_map(|r| r.8).collect();
    let enterprise_names: BTreeMap<i64, String> = enterprises::table
        .filter(enterprises::id.eq_any(dedup(enterprise_ids)))
        .select((enterprises::id, enterprises::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let mediator_names: BTreeMap<i64, String> = users::table
        .filter(users::id.eq_any(dedup(mediator_ids)))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let date = |t: NaiveDateTime| ctx.local_date(t.and_utc());
    let lines = rows
        .into_iter()
        .zip(1..)
        .map(|(r, no)| Line {
            no,
            case_no: r.0,
            received: date(r.1),
            applicant: applicant(r.2.as_deref(), r.3.as_deref()),
            enterprise: enterprise_names.get(&r.4).cloned().unwrap_or_default(),
            category: r
                .5
                .parse::<Category>()
                .map(|c| crate::i18n::name_zh("category", c.as_str()))
                .unwrap_or(r.5),
            workers: r.6,
            amount_claimed: Fen::from_fen(r.7),
            mediator: r
                .8
                .and_then(|m| mediator_names.get(&m).cloned())
                .unwrap_or_default(),
            outcome: outcome_label(&r.9).to_string(),
            amount_agreed: r.10.map(Fen::from_fen),
            amount_paid: Fen::from_fen(r.11),
            closed: r.12.map(date),
        })
        .collect();
    Ok(Ledger {
        from,
        to,
        unit_name,
        lines,
    })
}

fn dedup(mut ids: Vec<i64>) -> Vec<i64> {
    ids.sort_unstable();
    ids.dedup();
    ids
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
