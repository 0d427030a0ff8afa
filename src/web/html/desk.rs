//! The desk: what needs the user's attention — their cases, those due soon and overdue, the
//! cases awaiting acceptance, and warnings (an officer's enterprise's; a director's
//! unacknowledged ones).

use super::{html, render, OrPage, PageResult, SignedIn};
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::services::cases::{self as svc, CaseFilter};
use crate::services::warnings::WarningFilter;
use crate::services::{Ctx, Paging};
use actix_web::http::StatusCode;
use actix_web::web;
use chrono::Datelike;
use serde_json::{json, Value};

/// A row of a desk list whose date that matters is the acceptance deadline (`accept_by`): the
/// row shows it, and its days left are counted to it.
fn by_acceptance(today: chrono::NaiveDate, case: &svc::CaseSummary) -> Value {
    let mut row = json!(case);
    row["by_accept"] = json!(true);
    row["days_left"] = json!((case.accept_by - today).num_days());
    row
}

pub async fn desk(ctx: web::Data<Ctx>, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = me;
    let paging = Paging::new(Some(1), Some(50)).or_page(&page)?;
    let wide = Paging::new(Some(1), Some(200)).or_page(&page)?;
    let today = ctx.local_date(ctx.now());
    let mut sections = Vec::new();
    let stale_days = ctx.settings.config.deadlines.stale_days;
    let mine = |status: &str| CaseFilter {
        mediator_id: Some(caller.id),
        status: Some(status.into()),
        ..Default::default()
    };
    let wanted: Vec<(&str, CaseFilter)> = match caller.role {
        Role::Viewer => vec![],
        Role::Officer => vec![("nav.cases", CaseFilter::default())],
        role => {
            let mut v = vec![];
            if role == Role::Mediator {
                v.push(("desk.my_cases", mine("mediating")));
            }
            v.push((
                "desk.overdue",
                CaseFilter {
                    overdue: Some(true),
                    ..Default::default()
                },
            ));
            v
        }
    };
    for (title, filter) in wanted {
        let p = svc::list(&ctx, &caller, filter, paging)
            .await
            .or_page(&page)?;
        sections.push(json!({"title": title, "total": p.total, "items": p.items}));
    }
    if caller.may(Permission::RegisterCase) {
        // Awaiting acceptance, with the acceptance deadline beside each.
        let received = CaseFilter {
            status: Some("received".into()),
            ..Default::default()
        };
        let awaiting = svc::list(&ctx, &caller, received, wide)
            .await
            .or_page(&page)?;
        let rows: Vec<Value> = awaiting
            .items
            .iter()
            .take(50)
            .map(|c| by_acceptance(today, c))
            .collect();
        sections.push(json!({"title": "desk.awaiting", "total": awaiting.total, "items": rows}));
        // Cases with no activity for `stale_days`: a mediator's own, every one for a director.
        if matches!(caller.role, Role::Mediator | Role::Director) {
            let filter = CaseFilter {
                idle_days: Some(stale_days),
                mediator_id: (caller.role == Role::Mediator).then_some(caller.id),
                ..Default::default()
            };
            let p = svc::list(&ctx, &caller, filter, paging)
                .await
                .or_page(&page)?;
            sections.push(json!({"title": "desk.stale", "days": stale_days,
                                 "total": p.total, "items": p.items}));
        }
        // Due within three days: open mediations not yet overdue, and cases to accept within
        // three days (or already late to accept), nearest first.
        let filter = CaseFilter {
            status: Some("mediating".into()),
            overdue: Some(false),
            ..Default::default()
        };
        let p = svc::list(&ctx, &caller, filter, wide)
            .await
            .or_page(&page)?;
        let mut soon: Vec<(i64, Value)> = p
            .items
            .iter()
            .filter_map(|c| c.days_left.filter(|d| *d <= 3).map(|d| (d, json!(c))))
            .chain(awaiting.items.iter().filter_map(|c| {
                let left = (c.accept_by - today).num_days();
                (left <= 3).then(|| (left, by_acceptance(today, c)))
            }))
            .collect();
        soon.sort_by_key(|(left, _)| *left);
        let soon: Vec<Value> = soon.into_iter().map(|(_, row)| row).collect();
        sections.insert(
            0,
            json!({"title": "desk.due_soon", "total": soon.len(), "items": soon}),
        );
    }
    // Warnings: an officer's enterprise's (the service scopes them), a director's unacknowledged.
    let warning_filter = match caller.role {
        Role::Officer => Some(("warnings.desk_mine", None)),
        Role::Director => Some(("warnings.desk_unacknowledged", Some("reported".to_string()))),
        _ => None,
    };
    let mut warnings = Value::Null;
    if let Some((title, status)) = warning_filter {
        let filter = WarningFilter {
            status,
            ..Default::default()
        };
        let p = crate::services::warnings::list(&ctx, &caller, filter, paging)
            .await
            .or_page(&page)?;
        warnings = json!({"title": title, "total": p.total, "items": p.items});
    }
    // This month's key figures, for those who read the reports (directors, admins, viewers).
    let mut month = Value::Null;
    if caller.may(Permission::ReadReports) {
        let today = ctx.local_date(ctx.now());
        let first = today.with_day(1).unwrap_or(today);
        let span = Ok(crate::services::stats::Span::Month(first));
        let r = crate::services::stats::report(&ctx, &caller, span, None)
            .await
            .or_page(&page)?;
        let f = &r.figures;
        let rate = |rate: &crate::domain::stats::Rate| match rate.percent() {
            Some(p) => {
                let shares = format!("{}/{}", rate.numerator, rate.denominator);
                format!("{p}%{}", render::parenthesised(&page.lang, &shares))
            }
            None => "—".to_string(),
        };
        month = json!({
            "month": first.format("%Y-%m").to_string(),
            "petitions": f.petitions_received,
            "consultations": f.consultations,
            "workers": f.workers_involved,
            "amount": f.amount_involved,
            "handling": rate(&f.handling_rate),
            "success": rate(&f.success_rate),
            "overdue": f.overdue_at_end,
        });
    }
    let data = page.data(
        "desk.title",
        json!({"sections": sections, "warnings": warnings, "month": month}),
    );
    Ok(html(StatusCode::OK, render::render("pages/desk", &data)))
}
