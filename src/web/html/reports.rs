//! The monthly and yearly report pages: every figure with its definition, month-over-month and
//! year-to-date beside a month's figures, the breakdown tables, and bar charts drawn here as SVG
//! (no script: integer arithmetic for the bar lengths, every label escaped).

use super::{error_page, html, page_ctx, render, to_login, PageCtx};
use crate::domain::permission::Permission;
use crate::domain::stats::{Figures, Rate};
use crate::error::AppError;
use crate::i18n;
use crate::services::report_subscriptions as subs;
use crate::services::stats::{self, Report, Row, Span};
use crate::services::Ctx;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use handlebars::html_escape;
use serde_json::{json, Value};
use std::collections::HashMap;

type Query = web::Query<HashMap<String, String>>;

/// The figures shown, in order; each has `report.fig.<key>` and `report.def.<key>` in the catalogs.
const FIGURES: &[&str] = &[
    "petitions_received",
    "consultations",
    "workers_involved",
    "amount_involved",
    "concluded",
    "handling_rate",
    "resolved",
    "success_rate",
    "amount_agreed",
    "amount_paid",
    "closed_in_period",
    "open_at_end",
    "overdue_at_end",
    "avg_days_to_close",
    "warnings_reported",
    "warnings_escalated",
    "warnings_defused",
];

/// A rate as the report prints it: "90.2% (37/41)", or "—" with nothing to count.
pub fn rate_text(r: &Rate) -> String {
    r.with_counts()
}

fn figure_text(f: &Figures, key: &str) -> String {
    match key {
        "petitions_received" => f.petitions_received.to_string(),
        "consultations" => f.consultations.to_string(),
        "workers_involved" => f.workers_involved.to_string(),
        "amount_involved" => f.amount_involved.to_string(),
        "concluded" => f.concluded.to_string(),
        "handling_rate" => rate_text(&f.handling_rate),
        "resolved" => f.resolved.to_string(),
        "success_rate" => rate_text(&f.success_rate),
        "amount_agreed" => f.amount_agreed.to_string(),
        "amount_paid" => f.amount_paid.to_string(),
        "closed_in_period" => f.closed_in_period.to_string(),
        "open_at_end" => f.open_at_end.to_string(),
        "overdue_at_end" => f.overdue_at_end.to_string(),
        "avg_days_to_close" => f.avg_days_to_close.clone().unwrap_or_else(|| "—".into()),
        "warnings_reported" => f.warnings_reported.total.to_string(),
        "warnings_escalated" => f.warnings_escalated.total.to_string(),
        "warnings_defused" => f.warnings_defused.total.to_string(),
        _ => String::new(),
    }
}

/// One bar of a chart: its label and its (non-negative) value.
pub struct Bar {
    pub label: String,
    pub value: i64,
}

const BAR_MAX: i64 = 300;

/// Vertical bars (one per item, label under each), as an SVG with `role="img"`.
pub fn column_chart(title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value.max(0)).max().unwrap_or(0);
    let width = 60 * bars.len().max(1) as i64 + 20;
    let height: i64 = 200;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\"><title>{}</title>",
        html_escape(title),
        height + 40,
        height + 40,
        html_escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let h = if max == 0 {
            0
        } else {
            b.value.max(0) * (height - 20) / max
        };
        let x = 20 + 60 * i as i64;
        let y = height - h;
        svg.push_str(&format!(
            "<rect class=\"bar\" x=\"{x}\" y=\"{y}\" width=\"40\" height=\"{h}\"><title>{}: {}</title></rect><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"label\">{}</text>",
            html_escape(&b.label),
            b.value,
            x + 20,
            y - 4,
            b.value,
            x + 20,
            height + 16,
            html_escape(&b.label),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars (one per line, label at the left), as an SVG with `role="img"`.
pub fn bar_chart(title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value.max(0)).max().unwrap_or(0);
    let height = 26 * bars.len().max(1) as i64 + 10;
    let width = 160 + BAR_MAX + 60;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title>{}</title>",
        html_escape(title),
        html_escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let w = if max == 0 {
            0
        } else {
            b.value.max(0) * BAR_MAX / max
        };
        let y = 5 + 26 * i as i64;
        svg.push_str(&format!(
            "<text x=\"150\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text><rect class=\"bar\" x=\"160\" y=\"{y}\" width=\"{w}\" height=\"20\"><title>{}: {}</title></rect><text x=\"{}\" y=\"{}\">{}</text>",
            y + 15,
            html_escape(&b.label),
            html_escape(&b.label),
            b.value,
            160 + w + 4,
            y + 15,
            b.value,
        ));
    }
    svg.push_str("</svg>");
    svg
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

fn outcome_bars(lang: &str, f: &Figures) -> Vec<Bar> {
    let other = f.concluded - f.resolved - f.failed;
    vec![
        Bar {
            label: i18n::t(lang, "status.resolved"),
            value: f.resolved,
        },
        Bar {
            label: i18n::t(lang, "status.failed"),
            value: f.failed,
        },
        Bar {
            label: i18n::t(lang, "report.withdrawn_rejected"),
            value: other,
        },
        Bar {
            label: i18n::t(lang, "report.open"),
            value: f.petitions_received - f.concluded,
        },
    ]
}

fn category_bars(lang: &str, r: &Report) -> Vec<Bar> {
    r.by_category
        .iter()
        .map(|row| Bar {
            label: i18n::t(
                lang,
                &format!("category.{}", row.key.as_str().unwrap_or_default()),
            ),
            value: row.figures.petitions_received,
        })
        .collect()
}

/// The page context of a signed-in user, or the response to send instead.
async fn signed_in(ctx: &Ctx, req: &HttpRequest) -> Result<PageCtx, HttpResponse> {
    match page_ctx(ctx, req).await {
        Ok(p) if p.session.is_some() => Ok(p),
        Ok(p) => Err(to_login(&p.path)),
        Err(e) => Err(super::JsonFallback::page(e)),
    }
}

fn unit_param(query: &Query) -> Result<Option<i64>, AppError> {
    match query
        .get("unit_id")
        .map(|u| u.trim())
        .filter(|u| !u.is_empty())
    {
        None => Ok(None),
        Some(u) => u
            .parse()
            .map(Some)
            .map_err(|_| AppError::field("unit_id", "must be a number")),
    }
}

use crate::domain::calendar::{first_of_month, next_month, previous_month as prev_month};

fn export_links(kind: &str, param: &str, unit: Option<i64>) -> Value {
    let unit = unit.map(|u| format!("&unit_id={u}")).unwrap_or_default();
    json!({
        "csv": format!("/api/v1/reports/{kind}?{param}{unit}&format=csv"),
        "xlsx": format!("/api/v1/reports/{kind}?{param}{unit}&format=xlsx"),
    })
}

pub async fn monthly(ctx: web::Data<Ctx>, req: HttpRequest, query: Query) -> HttpResponse {
    let page = match signed_in(&ctx, &req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(caller) = page.session.as_ref().map(|s| s.caller.clone()) else {
        return to_login(&page.path);
    };
    if let Err(e) = caller.require(Permission::ReadReports) {
        return error_page(&page, &e);
    }
    let unit = match unit_param(&query) {
        Ok(u) => u,
        Err(e) => return error_page(&page, &e),
    };
    let month = match query.get("month").filter(|m| !m.trim().is_empty()) {
        Some(m) => m.trim().to_string(),
        None => prev_month(first_of_month(ctx.local_date(ctx.now())))
            .format("%Y-%m")
            .to_string(),
    };
    let span = Span::month(Some(&month));
    let first = match span {
        Ok(Span::Month(f)) => f,
        Ok(_) => return error_page(&page, &AppError::field("month", "must be a month")),
        Err(e) => return error_page(&page, &e),
    };
    let report = match stats::report(&ctx, &caller, Ok(Span::Month(first)), unit).await {
        Ok(r) => r,
        Err(e) => return error_page(&page, &e),
    };
    let before = prev_month(first);
    let previous = match stats::report(&ctx, &caller, Ok(Span::Month(before)), unit).await {
        Ok(r) => r,
        Err(e) => return error_page(&page, &e),
    };
    let jan = NaiveDate::from_ymd_opt(first.year(), 1, 1).unwrap_or(first);
    let ytd =
        match stats::report(&ctx, &caller, Ok(Span::Dates(jan, next_month(first))), unit).await {
            Ok(r) => r,
            Err(e) => return error_page(&page, &e),
        };
    let subscription = if caller.may(Permission::SubscribeReports) {
        match subs::is_subscribed(&ctx, &caller).await {
            Ok(on) => json!({"on": on}),
            Err(e) => return error_page(&page, &e),
        }
    } else {
        Value::Null
    };
    let lang = page.lang.clone();
    let figures: Vec<Value> = FIGURES
        .iter()
        .map(|k| {
            json!({
                "key": k,
                "value": figure_text(&report.figures, k),
                "prev": figure_text(&previous.figures, k),
                "ytd": figure_text(&ytd.figures, k),
            })
        })
        .collect();
    let charts = vec![
        column_chart(
            &i18n::t(&lang, "report.chart_outcomes"),
            &outcome_bars(&lang, &report.figures),
        ),
        bar_chart(
            &i18n::t(&lang, "report.chart_categories"),
            &category_bars(&lang, &report),
        ),
    ];
    let data = page.data(
        "report.monthly_title",
        json!({
            "monthly": true,
            "period": month,
            "prev_period": before.format("%Y-%m").to_string(),
            "unit_name": report.unit_name,
            "unit_id": unit,
            "figures": figures,
            "tables": tables(&lang, &report),
            "charts": charts,
            "exports": export_links("monthly", &format!("month={month}"), unit),
            "subscription": subscription,
        }),
    );
    html(StatusCode::OK, render::render("pages/report", &data))
}

pub async fn yearly(ctx: web::Data<Ctx>, req: HttpRequest, query: Query) -> HttpResponse {
    let page = match signed_in(&ctx, &req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(caller) = page.session.as_ref().map(|s| s.caller.clone()) else {
        return to_login(&page.path);
    };
    if let Err(e) = caller.require(Permission::ReadReports) {
        return error_page(&page, &e);
    }
    let unit = match unit_param(&query) {
        Ok(u) => u,
        Err(e) => return error_page(&page, &e),
    };
    let year = match query.get("year").filter(|y| !y.trim().is_empty()) {
        Some(y) => y.trim().to_string(),
        None => ctx.local_date(ctx.now()).year().to_string(),
    };
    let report = match stats::report(&ctx, &caller, Span::year(Some(&year)), unit).await {
        Ok(r) => r,
        Err(e) => return error_page(&page, &e),
    };
    let lang = page.lang.clone();
    let figures: Vec<Value> = FIGURES
        .iter()
        .map(|k| json!({"key": k, "value": figure_text(&report.figures, k)}))
        .collect();
    let month_bars: Vec<Bar> = report
        .by_month
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|m| Bar {
            label: m.month.get(5..7).unwrap_or(&m.month).to_string(),
            value: m.figures.petitions_received,
        })
        .collect();
    let charts = vec![
        column_chart(&i18n::t(&lang, "report.chart_months"), &month_bars),
        column_chart(
            &i18n::t(&lang, "report.chart_outcomes"),
            &outcome_bars(&lang, &report.figures),
        ),
        bar_chart(
            &i18n::t(&lang, "report.chart_categories"),
            &category_bars(&lang, &report),
        ),
    ];
    let data = page.data(
        "report.yearly_title",
        json!({
            "monthly": false,
            "period": year,
            "unit_name": report.unit_name,
            "unit_id": unit,
            "figures": figures,
            "tables": tables(&lang, &report),
            "charts": charts,
            "summary": report.summary_zh,
            "exports": export_links("yearly", &format!("year={year}"), unit),
        }),
    );
    html(StatusCode::OK, render::render("pages/report", &data))
}

/// `POST /reports/subscription`: the signed-in director or viewer opts in (`subscribe=on`) or out
/// of the monthly report by email.
pub async fn subscription(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    form: web::Form<HashMap<String, String>>,
) -> HttpResponse {
    let (page, session) = match super::signed_in_form(&ctx, &req, &form).await {
        Ok(ok) => ok,
        Err(r) => return r,
    };
    let session = &session;
    let on = form.get("subscribe").is_some_and(|v| v == "on");
    if let Err(e) = subs::set(&ctx, &session.caller, on).await {
        return error_page(&page, &e);
    }
    let back = form
        .get("month")
        .filter(|m| m.len() == 7 && m.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
        .map(|m| format!("/reports/monthly?month={m}"))
        .unwrap_or_else(|| "/reports/monthly".into());
    super::see_other(&back)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_print_with_numerator_and_denominator_and_a_dash_for_nothing() {
        assert_eq!(rate_text(&Rate::new(37, 41)), "90.2% (37/41)");
        assert_eq!(rate_text(&Rate::new(0, 0)), "—");
    }

    #[test]
    fn charts_escape_labels_and_scale_by_integers() {
        let svg = bar_chart(
            "<t>",
            &[
                Bar {
                    label: "<script>".into(),
                    value: 2,
                },
                Bar {
                    label: "b".into(),
                    value: 1,
                },
            ],
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("width=\"300\""));
        assert!(svg.contains("width=\"150\""));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        assert!(svg.contains("role=\"img\""));
    }
}
