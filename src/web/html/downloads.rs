//! The files a page links to, under the page's session: the monthly and yearly report
//! (`/reports/{monthly,yearly}/export`), the ledger of a period (`/ledger`, its form, and
//! `/ledger/export`) and the case list's filtered rows (`/cases/export`, masked as the ledger). Each calls the same
//! service and the same file writer (`web::download`) as the JSON API, so a file downloaded from
//! a page is the API's file; the API itself keeps taking only its bearer token. A download is a
//! GET that changes nothing but the access log, so it needs no CSRF token.

use super::admin::{form_errors, input, select, unit_choices};
use super::form::Query;
use super::reports::unit_param;
use super::{html, render, OrPage, PageCtx, PageResult, SignedIn};
use crate::domain::permission::Permission;
use crate::error::{AppError, Code, FieldErrors};
use crate::services::cases::CaseQuery;
use crate::services::stats::{self, Span};
use crate::services::{ledger, units, Caller, Ctx};
use crate::web::download::{self, FileFormat};
use actix_web::http::StatusCode;
use actix_web::web;
use chrono::{Datelike, Days, NaiveDate};
use serde_json::json;
use std::collections::HashMap;

fn file_format(query: &Query) -> Result<FileFormat, AppError> {
    FileFormat::parse(query.get("format").map(String::as_str))
}

/// The report of `span` as a file: the same role check (403), then the values (422), as the API.
async fn report_file(
    ctx: &Ctx,
    query: &Query,
    me: SignedIn,
    span: Result<Span, AppError>,
) -> PageResult {
    let SignedIn { page, caller } = me;
    caller.require(Permission::ReadReports).or_page(&page)?;
    let format = file_format(query).or_page(&page)?;
    let unit = unit_param(query).or_page(&page)?;
    let report = stats::report(ctx, &caller, span, unit)
        .await
        .or_page(&page)?;
    download::report(&report, format).or_page(&page)
}

/// `GET /reports/monthly/export?month=YYYY-MM&unit_id=&format=csv|xlsx`.
pub async fn monthly(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let span = Span::month(query.get("month").map(String::as_str));
    report_file(&ctx, &query, me, span).await
}

/// `GET /reports/yearly/export?year=YYYY&unit_id=&format=csv|xlsx`.
pub async fn yearly(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let span = Span::year(query.get("year").map(String::as_str));
    report_file(&ctx, &query, me, span).await
}

/// A signed-in director or admin, else the 403 page.
fn exporter(me: SignedIn) -> Result<SignedIn, crate::web::html::PageError> {
    me.caller
        .require(Permission::ExportLedger)
        .or_page(&me.page)?;
    Ok(me)
}

/// The period of the ledger form: `from` and `to`, both days included (as the case list's
/// filter reads them), as the service's [from, to).
fn period(values: &HashMap<String, String>) -> Result<Span, AppError> {
    let mut errors = FieldErrors::default();
    let mut date = |field: &str| match values.get(field).map(|v| v.trim()) {
        None | Some("") => {
            errors.add(field, Code::RequiredDate);
            None
        }
        Some(v) => errors.take(field, v.parse::<NaiveDate>().map_err(|_| Code::NotADate)),
    };
    let (from, to) = (date("from"), date("to"));
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            errors.add("to", Code::BeforeFrom);
        }
    }
    errors.finish()?;
    match (from, to.and_then(|t| t.checked_add_days(Days::new(1)))) {
        (Some(f), Some(t)) => Ok(Span::Dates(f, t)),
        _ => Err(AppError::field("to", Code::NotADate)),
    }
}

/// `GET /ledger`: the form of the ledger export, this year so far and the caller's unit chosen.
pub async fn ledger_form(ctx: web::Data<Ctx>, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = exporter(me)?;
    let today = ctx.local_date(ctx.now());
    let mut values = HashMap::from([
        ("from".to_string(), format!("{}-01-01", today.year())),
        ("to".to_string(), today.to_string()),
    ]);
    if let Some(unit) = caller.unit_id {
        values.insert("unit_id".into(), unit.to_string());
    }
    ledger_page(
        &ctx,
        &page,
        &caller,
        &values,
        &HashMap::new(),
        StatusCode::OK,
    )
    .await
}

/// `GET /ledger/export?from=&to=&unit_id=&format=csv|xlsx`: the file, or the form again with
/// each bad value named beside its field (422).
pub async fn ledger_file(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = exporter(me)?;
    // Every value is read before the export, which writes its access-log row.
    let asked = file_format(&query).and_then(|f| Ok((f, period(&query)?, unit_param(&query)?)));
    let file = match asked {
        Ok((format, span, unit)) => ledger::export(&ctx, &caller, Ok(span), unit)
            .await
            .and_then(|l| download::ledger(&l, format)),
        Err(e) => Err(e),
    };
    match file.map_err(form_errors) {
        Ok(file) => Ok(file),
        Err(Ok((errors, status))) => {
            ledger_page(&ctx, &page, &caller, &query, &errors, status).await
        }
        Err(Err(e)) => Err(page.fail(e)),
    }
}

async fn ledger_page(
    ctx: &Ctx,
    page: &PageCtx,
    caller: &Caller,
    values: &HashMap<String, String>,
    errors: &super::form::Errors,
    status: StatusCode,
) -> PageResult {
    let list = units::list(ctx, caller).await.or_page(page)?;
    let fields = [
        input("from", "ledger.from", "date", values, errors),
        input("to", "ledger.to", "date", values, errors),
        select(
            "unit_id",
            "ledger.unit",
            unit_choices(&list, false),
            None,
            values,
            errors,
        ),
    ];
    let data = page.data(
        "ledger.title",
        json!({"fields": fields, "invalid": !errors.is_empty(), "format_error": errors.get("format")}),
    );
    Ok(html(status, render::render("pages/ledger", &data)))
}

/// `GET /cases/export?<the case list's filter>&format=csv|xlsx`: the filtered rows as a ledger
/// (directors and admins; the 403 page otherwise, the error page naming a bad value).
pub async fn cases_file(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = exporter(me)?;
    let format = file_format(&query).or_page(&page)?;
    let filter = CaseQuery::parse(&query, 50).or_page(&page)?.filter;
    let ledger = ledger::export_list(&ctx, &caller, filter)
        .await
        .or_page(&page)?;
    download::ledger(&ledger, format).or_page(&page)
}
