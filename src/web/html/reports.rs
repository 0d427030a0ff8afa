//! The monthly and yearly report pages: every figure with its definition, the month before
//! (环比), the same month a year before (同比) and year-to-date beside a month's figures, the breakdown tables, and the bar charts that
//! `reports::charts` draws as SVG.

use super::{html, render, see_other, OrPage, PageResult, SignedForm, SignedIn};
use crate::domain::permission::Permission;
use crate::domain::stats::{Figures, Rate};
use crate::error::{AppError, Code};
use crate::i18n;
use crate::reports::charts;
use crate::reports::figures::{Figure, Value as FigureValue};
use crate::services::report_subscriptions as subs;
use crate::services::stats::{self, Report, Row, Span};
use crate::services::{Caller, Ctx};
use actix_web::http::StatusCode;
use actix_web::web;
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};
use std::collections::HashMap;

type Query = web::Query<HashMap<String, String>>;

/// A rate as the report prints it: "90.2% (37/41)", or "—" with nothing to count.
pub fn rate_text(r: &Rate) -> String {
    r.with_counts()
}

/// A figure of `f` as the report page prints it.
fn figure_text(lang: &str, f: &Figures, figure: Figure) -> String {
    match figure.of(f) {
        FigureValue::Count(n) => n.to_string(),
        FigureValue::Money(m) => m.grouped(),
        FigureValue::Rate(r) => rate_text(r),
        FigureValue::Days(d) => d.unwrap_or("—").to_string(),
        FigureValue::Levels(l) => l.total.to_string(),
        FigureValue::Satisfaction(s) => format!(
            "{}{}",
            s.total(),
            super::render::parenthesised(
                lang,
                &crate::i18n::t(lang, "report.satisfaction_split")
                    .replace("{satisfied}", &s.satisfied.to_string())
                    .replace("{basically}", &s.basically_satisfied.to_string())
                    .replace("{dissatisfied}", &s.dissatisfied.to_string())
            )
        ),
    }
}

fn row_json(r: &Row, name: String) -> Value {
    json!({
        "name": name,
        "petitions": r.figures.petitions_received,
        "consultations": r.figures.consultations,
        "workers": r.figures.workers_involved,
        "amount": r.figures.amount_involved.to_string(),
        "concluded": r.figures.concluded,
        "handling_rate": rate_text(&r.figures.handling_rate),
        "success_rate": rate_text(&r.figures.success_rate),
    })
}

fn tables(lang: &str, r: &Report) -> Vec<Value> {
    let coded = |group: &str, rows: &[Row]| -> Vec<Value> {
        rows.iter()
            .map(|row| {
                let code = row.key.as_str().unwrap_or_default();
                row_json(row, i18n::t(lang, &format!("{group}.{code}")))
            })
            .collect()
    };
    let named = |rows: &[Row]| -> Vec<Value> {
        rows.iter()
            .map(|row| row_json(row, row.name.clone()))
            .collect()
    };
    vec![
        json!({"title": "report.by_category", "rows": coded("category", &r.by_category)}),
        json!({"title": "report.by_channel", "rows": coded("channel", &r.by_channel)}),
        json!({"title": "report.by_unit", "rows": named(&r.by_unit)}),
        json!({"title": "report.by_enterprise", "rows": named(&r.by_enterprise)}),
        json!({"title": "report.by_mediator", "rows": named(&r.by_mediator)}),
    ]
}

pub(super) fn unit_param(query: &Query) -> Result<Option<i64>, AppError> {
    match query
        .get("unit_id")
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
    {
        None => Ok(None),
        Some(u) => u
            .parse()
            .map(Some)
            .map_err(|_| AppError::field("unit_id", Code::NotANumber)),
    }
}

use crate::domain::calendar::{first_of_month, next_month, previous_month as prev_month};

fn export_links(kind: &str, param: &str, unit: Option<i64>) -> Value {
    let unit = unit.map(|u| format!("&unit_id={u}")).unwrap_or_default();
    json!({
        "csv": format!("/reports/{kind}/export?{param}{unit}&format=csv"),
        "xlsx": format!("/reports/{kind}/export?{param}{unit}&format=xlsx"),
    })
}

async fn monthly_data(
    ctx: &Ctx,
    caller: &Caller,
    query: &Query,
    lang: &str,
) -> Result<Value, AppError> {
    caller.require(Permission::ReadReports)?;
    let unit = unit_param(query)?;
    let month = match query.get("month").filter(|m| !m.trim().is_empty()) {
        Some(m) => m.trim().to_string(),
        None => prev_month(first_of_month(ctx.local_date(ctx.now())))
            .format("%Y-%m")
            .to_string(),
    };
    let first = match Span::month(Some(&month))? {
        Span::Month(f) => f,
        _ => return Err(AppError::field("month", Code::NotAMonth)),
    };
    let report = stats::report(ctx, caller, Ok(Span::Month(first)), unit).await?;
    let before = prev_month(first);
    let previous = stats::report(ctx, caller, Ok(Span::Month(before)), unit).await?;
    // 同比: the same month a year before, through the same service and definitions.
    let year_before = first.with_year(first.year() - 1).unwrap_or(first);
    let last_year = stats::report(ctx, caller, Ok(Span::Month(year_before)), unit).await?;
    let jan = NaiveDate::from_ymd_opt(first.year(), 1, 1).unwrap_or(first);
    let ytd = stats::report(ctx, caller, Ok(Span::Dates(jan, next_month(first))), unit).await?;
    let subscription = if caller.may(Permission::SubscribeReports) {
        let on = subs::is_subscribed(ctx, caller).await?;
        json!({"on": on})
    } else {
        Value::Null
    };
    let figures: Vec<Value> = Figure::ALL
        .iter()
        .map(|&k| {
            json!({
                "key": k.key(),
                "value": figure_text(lang, &report.figures, k),
                "prev": figure_text(lang, &previous.figures, k),
                "yoy": figure_text(lang, &last_year.figures, k),
                "ytd": figure_text(lang, &ytd.figures, k),
            })
        })
        .collect();
    Ok(json!({
            "monthly": true,
            "period": month,
            "prev_period": before.format("%Y-%m").to_string(),
            "yoy_period": year_before.format("%Y-%m").to_string(),
            "unit_name": report.unit_name,
            "unit_id": unit,
            "figures": figures,
            "tables": tables(lang, &report),
            "charts": charts::monthly(lang, &report),
            "exports": export_links("monthly", &format!("month={month}"), unit),
            "subscription": subscription,
    }))
}

pub async fn monthly(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let found = monthly_data(&ctx, &me.caller, &query, &me.page.lang).await;
    answer(&ctx, &me, &query, "report.monthly_title", "month", found).await
}

async fn yearly_data(
    ctx: &Ctx,
    caller: &Caller,
    query: &Query,
    lang: &str,
) -> Result<Value, AppError> {
    caller.require(Permission::ReadReports)?;
    let unit = unit_param(query)?;
    let year = match query.get("year").filter(|y| !y.trim().is_empty()) {
        Some(y) => y.trim().to_string(),
        None => ctx.local_date(ctx.now()).year().to_string(),
    };
    let report = stats::report(ctx, caller, Span::year(Some(&year)), unit).await?;
    let figures: Vec<Value> = Figure::ALL
        .iter()
        .map(|&k| json!({"key": k.key(), "value": figure_text(lang, &report.figures, k)}))
        .collect();
    Ok(json!({
            "monthly": false,
            "period": year,
            "unit_name": report.unit_name,
            "unit_id": unit,
            "figures": figures,
            "tables": tables(lang, &report),
            "charts": charts::yearly(lang, &report),
            "summary": report.summary_zh,
            "exports": export_links("yearly", &format!("year={year}"), unit),
    }))
}

pub async fn yearly(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let found = yearly_data(&ctx, &me.caller, &query, &me.page.lang).await;
    answer(&ctx, &me, &query, "report.yearly_title", "year", found).await
}

/// The report page, or, for a month, year or unit it cannot read, its filter alone with why
/// beside each field (422); the unit is picked by name from the units the caller may read.
async fn answer(
    ctx: &Ctx,
    me: &SignedIn,
    query: &Query,
    title: &str,
    period: &str,
    found: Result<Value, AppError>,
) -> PageResult {
    let (mut extra, status) = match found {
        Ok(extra) => (extra, StatusCode::OK),
        Err(AppError::Validation(fields)) => (
            json!({
                "monthly": period == "month",
                "period": query.get(period),
                "errors": fields.0,
                "invalid": true,
            }),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => return Err(me.page.fail(e)),
    };
    let chosen = query.get("unit_id").map(|u| u.trim().to_string());
    extra["units"] = match crate::services::units::list(ctx, &me.caller).await {
        Ok(list) => json!(list
            .into_iter()
            .map(|u| json!({"value": u.id, "label": u.name,
                            "selected": chosen.as_deref() == Some(u.id.to_string().as_str())}))
            .collect::<Vec<_>>()),
        Err(_) => json!([]),
    };
    let data = me.page.data(title, extra);
    Ok(html(status, render::render("pages/report", &data)))
}

/// `POST /reports/subscription`: the signed-in director or viewer opts in (`subscribe=on`) or out
/// of the monthly report by email.
pub async fn subscription(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    let SignedForm { me, form } = signed;
    let on = form.get("subscribe").is_some_and(|v| v == "on");
    subs::set(&ctx, &me.caller, on).await.or_page(&me.page)?;
    let back = form
        .get("month")
        .filter(|m| m.len() == 7 && m.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
        .map(|m| format!("/reports/monthly?month={m}"))
        .unwrap_or_else(|| "/reports/monthly".into());
    Ok(see_other(&back))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_print_with_numerator_and_denominator_and_a_dash_for_nothing() {
        assert_eq!(rate_text(&Rate::new(37, 41)), "90.2% (37/41)");
        assert_eq!(rate_text(&Rate::new(0, 0)), "—");
    }
}
