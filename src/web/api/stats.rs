//! `GET /stats`, `GET /reports/monthly`, `GET /reports/yearly`: the statistics as JSON, CSV or xlsx;
//! `GET /ledger`: the ledger of cases as CSV or xlsx.

use super::ok;
use crate::domain::permission::Permission;
use crate::error::{AppError, Code};
use crate::services::ledger;
use crate::services::stats::{self, Span};
use crate::services::{Caller, Ctx};
use crate::web::download::{self, FileFormat};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct StatsQuery {
    from: Option<String>,
    to: Option<String>,
    unit_id: Option<i64>,
}

pub async fn stats(
    ctx: web::Data<Ctx>,
    caller: Caller,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let span = Span::dates(q.from.as_deref(), q.to.as_deref());
    Ok(ok(stats::report(&ctx, &caller, span, q.unit_id).await?))
}

#[derive(Deserialize)]
pub struct ReportQuery {
    month: Option<String>,
    year: Option<String>,
    unit_id: Option<i64>,
    format: Option<String>,
}

/// `format=json|csv|xlsx`: JSON (the default) or a file.
fn format(value: Option<&str>) -> Result<Option<FileFormat>, AppError> {
    match value.map(str::trim) {
        None | Some("") | Some("json") => Ok(None),
        Some("csv") => Ok(Some(FileFormat::Csv)),
        Some("xlsx") => Ok(Some(FileFormat::Xlsx)),
        Some(_) => Err(AppError::field("format", Code::NotJsonCsvOrXlsx)),
    }
}

async fn report(
    ctx: &Ctx,
    caller: &Caller,
    span: Result<Span, AppError>,
    q: &ReportQuery,
) -> Result<HttpResponse, AppError> {
    // The role comes first (403), then the values (422).
    caller.require(Permission::ReadReports)?;
    let format = format(q.format.as_deref())?;
    let report = stats::report(ctx, caller, span, q.unit_id).await?;
    match format {
        None => Ok(ok(&report)),
        Some(file) => download::report(&report, file),
    }
}

pub async fn monthly(
    ctx: web::Data<Ctx>,
    caller: Caller,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let span = Span::month(query.month.as_deref());
    report(&ctx, &caller, span, &query).await
}

pub async fn yearly(
    ctx: web::Data<Ctx>,
    caller: Caller,
    query: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let span = Span::year(query.year.as_deref());
    report(&ctx, &caller, span, &query).await
}

#[derive(Deserialize)]
pub struct LedgerQuery {
    from: Option<String>,
    to: Option<String>,
    unit_id: Option<i64>,
    format: Option<String>,
}

/// `GET /ledger`: the ledger of [from, to) as CSV (the default) or xlsx; directors and admins.
pub async fn ledger(
    ctx: web::Data<Ctx>,
    caller: Caller,
    query: web::Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    caller.require(Permission::ExportLedger)?;
    let format = FileFormat::parse(q.format.as_deref())?;
    let span = Span::dates(q.from.as_deref(), q.to.as_deref());
    let ledger = ledger::export(&ctx, &caller, span, q.unit_id).await?;
    download::ledger(&ledger, format)
}
