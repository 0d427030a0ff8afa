//! `GET /stats`, `GET /reports/monthly`, `GET /reports/yearly`: the statistics as JSON, CSV or xlsx;
//! `GET /ledger`: the ledger of cases as CSV or xlsx.

use super::ok;
use crate::domain::permission::Permission;
use crate::error::AppError;
use crate::reports;
use crate::services::ledger;
use crate::services::stats::{self, Report, Span};
use crate::services::{Caller, Ctx};
use actix_web::http::header;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Csv,
    Xlsx,
}

fn format(value: Option<&str>) -> Result<Format, AppError> {
    match value.map(str::trim) {
        None | Some("") | Some("json") => Ok(Format::Json),
        Some("csv") => Ok(Format::Csv),
        Some("xlsx") => Ok(Format::Xlsx),
        Some(_) => Err(AppError::field("format", "must be json, csv or xlsx")),
    }
}

/// The report in the asked format; files come as attachments named after the period.
fn answer(report: Report, format: Format) -> Result<HttpResponse, AppError> {
    let attachment = |ext: &str| {
        (
            header::CONTENT_DISPOSITION,
            format!(
                "attachment; filename=\"{}.{ext}\"",
                reports::file_stem(&report)
            ),
        )
    };
    Ok(match format {
        Format::Json => ok(&report),
        Format::Csv => HttpResponse::Ok()
            .content_type(reports::csv::CONTENT_TYPE)
            .insert_header(attachment("csv"))
            .body(reports::csv::render(&report)),
        Format::Xlsx => {
            let bytes = reports::xlsx::render(&report)
                .map_err(|e| AppError::Failure(format!("xlsx: {e}")))?;
            HttpResponse::Ok()
                .content_type(reports::xlsx::CONTENT_TYPE)
                .insert_header(attachment("xlsx"))
                .body(bytes)
        }
    })
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
    answer(report, format)
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
    let format = match q.format.as_deref().map(str::trim) {
        None | Some("") | Some("csv") => Format::Csv,
        Some("xlsx") => Format::Xlsx,
        Some(_) => return Err(AppError::field("format", "must be csv or xlsx")),
    };
    let span = Span::dates(q.from.as_deref(), q.to.as_deref());
    let ledger = ledger::export(&ctx, &caller, span, q.unit_id).await?;
    let attachment = |ext: &str| {
        (
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.{ext}\"", ledger.file_stem()),
        )
    };
    Ok(match format {
        Format::Xlsx => {
            let bytes = reports::ledger::xlsx(&ledger)
                .map_err(|e| AppError::Failure(format!("xlsx: {e}")))?;
            HttpResponse::Ok()
                .content_type(reports::xlsx::CONTENT_TYPE)
                .insert_header(attachment("xlsx"))
                .body(bytes)
        }
        _ => HttpResponse::Ok()
            .content_type(reports::csv::CONTENT_TYPE)
            .insert_header(attachment("csv"))
            .body(reports::ledger::csv(&ledger)),
    })
}
