//! The desk: what needs the user's attention — their cases, those due soon and overdue, the
//! cases awaiting acceptance, and warnings (an officer's enterprise's; a director's
//! unacknowledged ones).

use super::{html, render, OrPage, PageError, PageResult, SignedIn};
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::services::cases::{self as svc, CaseFilter};
use crate::services::warnings::WarningFilter;
use crate::services::{Ctx, Paging};
use actix_web::http::StatusCode;
use actix_web::web;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::{json, Value};

/// How many rows a desk list shows; the rest are a link away, on the case list.
const DESK_ROWS: i64 = 10;

/// A row of a desk list whose date that matters is the acceptance deadline (`accept_by`): the
/// row shows it, and its days left are counted to it.
fn by_acceptance(today: NaiveDate, case: &svc::CaseSummary) -> Value {
    let mut row = json!(case);
    row["by_accept"] = json!(true);
    row["days_left"] = json!((case.accept_by - today).num_days());
    row
}

/// A desk list as `pages/desk` shows it: its title, how many cases it has, its first rows, and
/// the case list page that shows all of them (`all`, when there are more than shown).
#[derive(Serialize)]
struct Section {
    title: &'static str,
    days: Option<u32>,
    total: i64,
    #[serde(serialize_with = "rows_only")]
    items: Vec<(i64, Value)>,
    all: Option<String>,
}

/// A section's rows without the days left they are sorted by.
fn rows_only<S: serde::Serializer>(rows: &[(i64, Value)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(rows.iter().map(|(_, row)| row))
}

impl Section {
    /// Keeps the link to every case only when the section shows fewer than all of them.
    fn linked(mut self) -> Section {
        if self.total <= i64::try_from(self.items.len()).unwrap_or(i64::MAX) {
            self.all = None;
        }
        self
    }
}

/// The first `DESK_ROWS` cases of `filter` (newest first, or by deadline with `sort=deadline`)
/// as a section, with the link to all of them (`all`, the same filter on `/cases`).
async fn section(
    ctx: &Ctx,
    me: &SignedIn,
    title: &'static str,
    filter: CaseFilter,
    all: String,
) -> Result<Section, PageError> {
    let today = ctx.local_date(ctx.now());
    let paging = Paging::new(Some(1), Some(DESK_ROWS)).or_page(&me.page)?;
    let p = svc::list(ctx, &me.caller, filter, paging)
        .await
        .or_page(&me.page)?;
    let rows = p
        .items
        .iter()
        .map(|c| match c.status.as_str() {
            "received" => ((c.accept_by - today).num_days(), by_acceptance(today, c)),
            _ => (c.days_left.unwrap_or(i64::MAX), json!(c)),
        })
        .collect();
    Ok(Section {
        title,
        days: None,
        total: p.total,
        items: rows,
        all: Some(all),
    })
}

pub async fn desk(ctx: web::Data<Ctx>, me: SignedIn) -> PageResult {
    let caller = &me.caller;
    let today = ctx.local_date(ctx.now());
    let stale_days = ctx.settings.config.deadlines.stale_days;
    let by_deadline = || Some("deadline".to_string());
    let mut sections = Vec::new();
    match caller.role {
        Role::Viewer => {}
        Role::Officer => {
            let all = CaseFilter::default();
            sections.push(section(&ctx, &me, "nav.cases", all, "/cases".into()).await?);
        }
        role => {
            if role == Role::Mediator {
                let mine = CaseFilter {
                    mediator_id: Some(caller.id),
                    status: Some("mediating".into()),
                    sort: by_deadline(),
                    ..Default::default()
                };
                let all = format!(
                    "/cases?mediator_id={}&status=mediating&sort=deadline",
                    caller.id
                );
                sections.push(section(&ctx, &me, "desk.my_cases", mine, all).await?);
            }
            let overdue = CaseFilter {
                overdue: Some(true),
                sort: by_deadline(),
                ..Default::default()
            };
            let all = "/cases?overdue=true&sort=deadline".to_string();
            sections.push(section(&ctx, &me, "desk.overdue", overdue, all).await?);
        }
    }
    if caller.may(Permission::RegisterCase) {
        // Awaiting acceptance, the nearest acceptance deadline first.
        let received = CaseFilter {
            status: Some("received".into()),
            sort: by_deadline(),
            ..Default::default()
        };
        let all = "/cases?status=received&sort=deadline".to_string();
        let awaiting = section(&ctx, &me, "desk.awaiting", received, all).await?;
        // Cases with no activity for `stale_days`: a mediator's own, every one for a director.
        let mut stale = None;
        if matches!(caller.role, Role::Mediator | Role::Director) {
            let mine = (caller.role == Role::Mediator).then_some(caller.id);
            let filter = CaseFilter {
                idle_days: Some(stale_days),
                mediator_id: mine,
                ..Default::default()
            };
            let all = match mine {
                Some(id) => format!("/cases?idle_days={stale_days}&mediator_id={id}"),
                None => format!("/cases?idle_days={stale_days}"),
            };
            let mut s = section(&ctx, &me, "desk.stale", filter, all).await?;
            s.days = Some(stale_days);
            stale = Some(s);
        }
        // Due within three days: open mediations not yet overdue, and cases to accept within
        // three days (or already late to accept), nearest first.
        let soon_by = today + chrono::Days::new(3);
        let due = |status: &str| CaseFilter {
            status: Some(status.into()),
            overdue: Some(false),
            due_by: Some(soon_by),
            sort: by_deadline(),
            ..Default::default()
        };
        let all = format!("/cases?overdue=false&due_by={soon_by}&sort=deadline");
        let mut soon = section(&ctx, &me, "desk.due_soon", due("mediating"), all).await?;
        let accepting = section(&ctx, &me, "desk.due_soon", due("received"), String::new()).await?;
        soon.total += accepting.total;
        soon.items.extend(accepting.items);
        soon.items.sort_by_key(|(left, _)| *left);
        soon.items.truncate(DESK_ROWS as usize);
        sections.insert(0, soon);
        sections.push(awaiting);
        sections.extend(stale);
        // Closed cases past `follow_up_after_days` with neither a follow-up nor its waiver
        // (回访待办): a mediator's own, every one in scope for a director or admin.
        if caller.may(Permission::FollowUpCase) {
            let days = ctx.settings.config.deadlines.follow_up_after_days;
            let mine = (caller.role == Role::Mediator).then_some(caller.id);
            let filter = CaseFilter {
                follow_up_due: Some(days),
                mediator_id: mine,
                ..Default::default()
            };
            let all = match mine {
                Some(id) => format!("/cases?follow_up_due={days}&mediator_id={id}"),
                None => format!("/cases?follow_up_due={days}"),
            };
            let mut due = section(&ctx, &me, "desk.follow_up_due", filter, all).await?;
            due.days = Some(days);
            sections.push(due);
        }
    }
    let sections: Vec<Section> = sections.into_iter().map(Section::linked).collect();
    // Instalments past their date and not paid in full (issue 14): a mediator's own cases',
    // every case's in scope for a director or admin.
    let overdue = svc::desk_instalments(&ctx, caller)
        .await
        .or_page(&me.page)?;
    let instalments = match overdue.len() {
        0 => Value::Null,
        total => json!({"total": total,
                        "items": overdue.iter().take(DESK_ROWS as usize).collect::<Vec<_>>()}),
    };
    let SignedIn { page, caller } = me;
    let paging = Paging::new(Some(1), Some(DESK_ROWS)).or_page(&page)?;
    // Warnings: an officer's enterprise's (the service scopes them), a director's unacknowledged.
    let warning_filter = match caller.role {
        Role::Officer => Some(("warnings.desk_mine", None, "/warnings")),
        Role::Director => Some((
            "warnings.desk_unacknowledged",
            Some("reported".to_string()),
            "/warnings?status=reported",
        )),
        _ => None,
    };
    let mut warnings = Value::Null;
    if let Some((title, status, all)) = warning_filter {
        let filter = WarningFilter {
            status,
            ..Default::default()
        };
        let p = crate::services::warnings::list(&ctx, &caller, filter, paging)
            .await
            .or_page(&page)?;
        let more = p.total > i64::try_from(p.items.len()).unwrap_or(i64::MAX);
        warnings = json!({"title": title, "total": p.total, "items": p.items,
                          "all": more.then_some(all)});
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
        json!({"sections": sections, "warnings": warnings, "month": month,
               "instalments": instalments, "archiving": false}),
    );
    Ok(html(StatusCode::OK, render::render("pages/desk", &data)))
}
