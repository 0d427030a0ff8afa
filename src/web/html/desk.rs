//! The desk: what needs the user's attention — their cases, those due soon and overdue, the
//! cases awaiting acceptance, and warnings (an officer's enterprise's; a director's
//! unacknowledged ones).

use super::{error_page, html, render, signed_in, to_login};
use crate::domain::role::Role;
use crate::services::cases::{self as svc, CaseFilter};
use crate::services::warnings::WarningFilter;
use crate::services::{Ctx, Paging};
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Datelike;
use serde_json::{json, Value};

pub async fn desk(ctx: web::Data<Ctx>, req: HttpRequest) -> HttpResponse {
    let page = match signed_in(&ctx, &req).await {
        Ok(p) => p,
        Err(r) => return r,
    };
    let Some(caller) = page.session.as_ref().map(|s| s.caller.clone()) else {
        return to_login(&page.path);
    };
    let Ok(paging) = Paging::new(Some(1), Some(50)) else {
        return to_login("/");
    };
    let mut sections = Vec::new();
    let wanted: Vec<(&str, CaseFilter)> = match caller.role {
        Role::Viewer => vec![],
        Role::Officer => vec![("nav.cases", CaseFilter::default())],
        role => {
            let mut v = vec![];
            if role == Role::Mediator {
                v.push((
                    "desk.my_cases",
                    CaseFilter {
                        mediator_id: Some(caller.id),
                        status: Some("mediating".into()),
                        ..Default::default()
                    },
                ));
            }
            v.push((
                "desk.overdue",
                CaseFilter {
                    overdue: Some(true),
                    ..Default::default()
                },
            ));
            v.push((
                "desk.awaiting",
                CaseFilter {
                    status: Some("received".into()),
                    ..Default::default()
                },
            ));
            v
        }
    };
    for (title, filter) in wanted {
        match svc::list(&ctx, &caller, filter, paging).await {
            Ok(p) => sections.push(json!({"title": title, "total": p.total, "items": p.items})),
            Err(e) => return error_page(&page, &e),
        }
    }
    if caller.role.is_staff() {
        // Due within three days: open mediations not yet overdue, nearest first.
        let filter = CaseFilter {
            status: Some("mediating".into()),
            overdue: Some(false),
            ..Default::default()
        };
        let Ok(wide) = Paging::new(Some(1), Some(200)) else {
            return to_login("/");
        };
        match svc::list(&ctx, &caller, filter, wide).await {
            Ok(p) => {
                let mut soon: Vec<_> = p
                    .items
                    .into_iter()
                    .filter(|c| c.days_left.is_some_and(|d| d <= 3))
                    .collect();
                soon.sort_by_key(|c| c.days_left);
                sections.insert(
                    0,
                    json!({"title": "desk.due_soon", "total": soon.len(), "items": soon}),
                );
            }
            Err(e) => return error_page(&page, &e),
        }
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
        match crate::services::warnings::list(&ctx, &caller, filter, paging).await {
            Ok(p) => warnings = json!({"title": title, "total": p.total, "items": p.items}),
            Err(e) => return error_page(&page, &e),
        }
    }
    // This month's key figures, for those who read the reports (directors, admins, viewers).
    let mut month = Value::Null;
    if matches!(caller.role, Role::Director | Role::Admin | Role::Viewer) {
        let today = ctx.local_date(ctx.now());
        let first = today.with_day(1).unwrap_or(today);
        let span = Ok(crate::services::stats::Span::Month(first));
        match crate::services::stats::report(&ctx, &caller, span, None).await {
            Ok(r) => {
                let f = &r.figures;
                let rate = |rate: &crate::domain::stats::Rate| match rate.percent() {
                    Some(p) => format!("{p}% ({}/{})", rate.numerator, rate.denominator),
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
            Err(e) => return error_page(&page, &e),
        }
    }
    let data = page.data(
        "desk.title",
        json!({"sections": sections, "warnings": warnings, "month": month}),
    );
    html(StatusCode::OK, render::render("pages/desk", &data))
}
