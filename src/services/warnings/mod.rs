//! Early warnings: an officer (or staff) reports one about an enterprise; staff acknowledge it,
//! defuse it, or escalate it into a case. Each use case is one transaction; an escalation inserts
//! the case and links the warning in the same one. Scope is the cases' scope: officers see their
//! enterprise only (404 otherwise), staff their unit subtree, viewers nothing (403).

mod actions;

pub use actions::{act, escalate, EscalateInput};

use super::cases::{self, CaseInput, CaseView};
use super::escalation::find_in_scope;
use super::{Caller, Ctx, Page, Paging, Scope};
use crate::db::models::{NewWarning, WarningRow};
use crate::db::schema::{enterprises, warnings};
use crate::db::DbConn;
use crate::domain::money::Fen;
use crate::domain::permission::warning_actions;
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::domain::text::{check_required_text, LONG_TEXT_MAX};
use crate::domain::vocab::Channel;
use crate::domain::warning::{
    overdue, transition, Level, WarningAction, WarningCategory, WarningStatus,
};
use crate::domain::workers::check_workers;
use crate::error::{AppError, AppResult, Code, FieldErrors};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

/// A warning as every reader sees it (warnings carry no personal data).
#[derive(Debug, Serialize)]
pub struct WarningView {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub unit_id: i64,
    pub reported_by: i64,
    pub level: String,
    pub category: String,
    pub workers_at_risk: i64,
    pub amount_at_risk: Option<Fen>,
    pub description: String,
    pub status: String,
    pub acknowledged_at: Option<String>,
    pub acknowledged_by: Option<i64>,
    pub closed_at: Option<String>,
    pub note: Option<String>,
    pub case_id: Option<i64>,
    pub reported_at: String,
    pub respond_by: String,
    /// Not acknowledged (nor closed) by `respond_by`.
    pub overdue: bool,
    pub version: i64,
    /// What the caller may do to the warning now.
    pub actions: Vec<WarningAction>,
}

fn view(
    ctx: &Ctx,
    role: Role,
    now: NaiveDateTime,
    row: WarningRow,
    enterprise_name: String,
) -> WarningView {
    let status = row.status.parse().unwrap_or(WarningStatus::Reported);
    WarningView {
        id: row.id,
        enterprise_id: row.enterprise_id,
        enterprise_name,
        unit_id: row.unit_id,
        reported_by: row.reported_by,
        level: row.level,
        category: row.category,
        workers_at_risk: row.workers_at_risk,
        amount_at_risk: row.amount_at_risk.map(Fen::from_fen),
        description: row.description,
        status: row.status,
        acknowledged_at: row.acknowledged_at.map(|t| super::rfc3339(ctx, t)),
        acknowledged_by: row.acknowledged_by,
        closed_at: row.closed_at.map(|t| super::rfc3339(ctx, t)),
        note: row.note,
        case_id: row.case_id,
        reported_at: super::rfc3339(ctx, row.reported_at),
        respond_by: super::rfc3339(ctx, row.respond_by),
        overdue: overdue(status, row.respond_by, now),
        version: row.version,
        actions: warning_actions(role, status),
    }
}

fn load_view(conn: &mut DbConn, ctx: &Ctx, role: Role, id: i64) -> AppResult<WarningView> {
    let (row, name): (WarningRow, String) = warnings::table
        .inner_join(enterprises::table)
        .filter(warnings::id.eq(id))
        .select((WarningRow::as_select(), enterprises::name))
        .first(conn)?;
    Ok(view(ctx, role, ctx.now().naive_utc(), row, name))
}

fn find_or_404(conn: &mut DbConn, caller: &Caller, id: i64) -> AppResult<WarningRow> {
    find_in_scope(conn, caller, id)?.ok_or_else(|| AppError::not_found("warning"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarningInput {
    pub enterprise_id: Option<i64>,
    pub level: String,
    pub category: String,
    pub workers_at_risk: i64,
    pub amount_at_risk: Option<String>,
    pub description: String,
}

/// Reports a warning. An officer reports for their own enterprise; staff name the enterprise,
/// which must lie in their unit scope (a warning belongs to its enterprise's unit).
pub async fn create(ctx: &Ctx, caller: &Caller, input: WarningInput) -> AppResult<WarningView> {
    caller.require(Permission::ReadWarnings)?;
    let mut errors = FieldErrors::default();
    let level = errors.take("level", input.level.parse::<Level>());
    let category = errors.take("category", input.category.parse::<WarningCategory>());
    let workers = errors.take("workers_at_risk", check_workers(input.workers_at_risk));
    let amount = match input.amount_at_risk.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(a) => errors.take("amount_at_risk", a.parse::<Fen>()).map(Some),
    };
    let description = errors.take(
        "description",
        check_required_text(&input.description, LONG_TEXT_MAX),
    );
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .write(move |conn| {
            let enterprise = match (caller.role, caller.enterprise_id, input.enterprise_id) {
                (Role::Officer, Some(own), None) => Some(own),
                (Role::Officer, Some(own), Some(e)) if e == own => Some(own),
                (Role::Officer, _, _) => {
                    errors.add("enterprise_id", Code::OfficersOwnEnterprise);
                    None
                }
                (_, _, None) => {
                    errors.add("enterprise_id", Code::Required);
                    None
                }
                (_, _, Some(e)) => Some(e),
            };
            let unit_id = match enterprise {
                Some(e) => {
                    let unit: Option<i64> = enterprises::table
                        .find(e)
                        .select(enterprises::unit_id)
                        .first(conn)
                        .optional()?;
                    let in_scope = match unit {
                        Some(u) if caller.role == Role::Officer => Some(u),
                        Some(u) if super::unit_in_scope(conn, &caller, u)? => Some(u),
                        _ => None,
                    };
                    if in_scope.is_none() {
                        errors.add("enterprise_id", Code::EnterpriseNotInScope);
                    }
                    in_scope
                }
                None => None,
            };
            let (
                Some(enterprise_id),
                Some(unit_id),
                Some(level),
                Some(category),
                Some(workers),
                Some(amount),
                Some(description),
                true,
            ) = (
                enterprise,
                unit_id,
                level,
                category,
                workers,
                amount,
                description,
                errors.is_empty(),
            )
            else {
                return Err(AppError::Validation(errors));
            };
            let now_n = c.now().naive_utc();
            let respond_by =
                now_n + chrono::Duration::hours(i64::from(c.settings.response_times.hours(level)));
            let id: i64 = diesel::insert_into(warnings::table)
                .values(NewWarning {
                    enterprise_id,
                    unit_id,
                    reported_by: caller.id,
                    level: level.as_str(),
                    category: category.as_str(),
                    workers_at_risk: workers,
                    amount_at_risk: amount.map(Fen::fen),
                    description: &description,
                    status: WarningStatus::Reported.as_str(),
                    respond_by,
                    reported_at: now_n,
                    created_at: now_n,
                    updated_at: now_n,
                })
                .returning(warnings::id)
                .get_result(conn)?;
            super::idempotency::keep(conn, &c, caller.id, "warning", id)?;
            if level == Level::Red {
                crate::notify::outbox::red_warning(conn, &c, id)?;
            }
            load_view(conn, &c, caller.role, id)
        })
        .await
}

pub async fn get(ctx: &Ctx, caller: &Caller, id: i64) -> AppResult<WarningView> {
    caller.require(Permission::ReadWarnings)?;
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .read(move |conn| {
            find_or_404(conn, &caller, id)?;
            load_view(conn, &c, caller.role, id)
        })
        .await
}

#[derive(Debug, Default)]
pub struct WarningFilter {
    pub status: Option<String>,
    pub level: Option<String>,
    pub enterprise_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The warnings in the caller's scope, newest first.
pub async fn list(
    ctx: &Ctx,
    caller: &Caller,
    filter: WarningFilter,
    paging: Paging,
) -> AppResult<Page<WarningView>> {
    caller.require(Permission::ReadWarnings)?;
    let mut errors = FieldErrors::default();
    let status = match filter.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => errors.take("status", s.parse::<WarningStatus>()),
    };
    let level = match filter.level.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => errors.take("level", s.parse::<Level>()),
    };
    errors.finish()?;
    // `to` is inclusive: the whole of that local day.
    let (from, to) = ctx.local_days(filter.from, filter.to);
    let scope = caller.scope();
    let role = caller.role;
    let c = ctx.clone();
    ctx.db
        .read(move |conn| {
            let scope_units = match &scope {
                Scope::Units(p) => Some(super::units_under(conn, p)?),
                _ => None,
            };
            let query = || {
                let mut q = warnings::table.inner_join(enterprises::table).into_boxed();
                match &scope {
                    Scope::All => {}
                    Scope::Units(_) => {
                        q = q.filter(
                            warnings::unit_id.eq_any(scope_units.clone().unwrap_or_default()),
                        )
                    }
                    Scope::Enterprise(e) => q = q.filter(warnings::enterprise_id.eq(*e)),
                    Scope::Nothing => q = q.filter(warnings::id.eq(-1)),
                }
                if let Some(s) = status {
                    q = q.filter(warnings::status.eq(s.as_str()));
                }
                if let Some(l) = level {
                    q = q.filter(warnings::level.eq(l.as_str()));
                }
                if let Some(e) = filter.enterprise_id {
                    q = q.filter(warnings::enterprise_id.eq(e));
                }
                if let Some(f) = from {
                    q = q.filter(warnings::reported_at.ge(f));
                }
                if let Some(t) = to {
                    q = q.filter(warnings::reported_at.lt(t));
                }
                q
            };
            let total: i64 = query().count().get_result(conn)?;
            let rows: Vec<(WarningRow, String)> = query()
                .select((WarningRow::as_select(), enterprises::name))
                .order((warnings::reported_at.desc(), warnings::id.desc()))
                .offset(paging.offset())
                .limit(paging.per_page)
                .load(conn)?;
            let now = c.now().naive_utc();
            Ok(Page {
                items: rows
                    .into_iter()
                    .map(|(r, name)| view(&c, role, now, r, name))
                    .collect(),
                total,
                page: paging.page,
                per_page: paging.per_page,
            })
        })
        .await
}
