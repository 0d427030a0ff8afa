//! The outbox as admins and directors see it: what was queued, sent or failed, and why. A
//! director sees the rows about the cases and warnings of their unit subtree.

use super::{Caller, Ctx, Page, Paging, Scope};
use crate::db::models::NotificationRow;
use crate::db::schema::{cases, notifications, warnings};
use crate::domain::permission::Permission;
use crate::error::{AppError, AppResult, Code};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct NotificationView {
    pub id: i64,
    pub kind: String,
    pub recipient: String,
    pub subject: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: String,
    pub created_at: String,
    pub sent_at: Option<String>,
    pub case_id: Option<i64>,
    pub warning_id: Option<i64>,
}

/// The outbox, newest first (`?status=pending|sent|failed`).
pub async fn list(
    ctx: &Ctx,
    caller: &Caller,
    status: Option<String>,
    paging: Paging,
) -> AppResult<Page<NotificationView>> {
    caller.require(Permission::ReadOutbox)?;
    let status = match status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s @ ("pending" | "sent" | "failed")) => Some(s.to_string()),
        Some(_) => return Err(AppError::field("status", Code::NotAStatusOfMail)),
    };
    let scope = caller.scope();
    let c = ctx.clone();
    ctx.db
        .read(move |conn| {
            // A director sees the rows about cases and warnings of their unit subtree; an admin
            // without a unit sees the whole outbox. The subtree's unit ids are few, so they are
            // bound as a list (no boxed subqueries over the shared connection).
            let units: Option<Vec<i64>> = match &scope {
                Scope::All => None,
                Scope::Units(prefix) => Some(super::units_under(conn, prefix)?),
                _ => Some(Vec::new()),
            };
            let query = || {
                let mut q = notifications::table
                    .left_join(cases::table.on(notifications::case_id.eq(cases::id.nullable())))
                    .left_join(
                        warnings::table.on(notifications::warning_id.eq(warnings::id.nullable())),
                    )
                    .into_boxed();
                if let Some(units) = &units {
                    q = q.filter(
                        cases::unit_id
                            .nullable()
                            .eq_any(units.clone())
                            .or(warnings::unit_id.nullable().eq_any(units.clone())),
                    );
                }
                if let Some(s) = &status {
                    q = q.filter(notifications::status.eq(s.clone()));
                }
                q
            };
            let total: i64 = query().count().get_result(conn)?;
            let rows: Vec<NotificationRow> = query()
                .select(NotificationRow::as_select())
                .order(notifications::id.desc())
                .offset(paging.offset())
                .limit(paging.per_page)
                .load(conn)?;
            Ok(Page {
                items: rows.into_iter().map(|r| view(&c, r)).collect(),
                total,
                page: paging.page,
                per_page: paging.per_page,
            })
        })
        .await
}

fn view(c: &Ctx, r: NotificationRow) -> NotificationView {
    NotificationView {
        id: r.id,
        kind: r.kind,
        recipient: r.recipient,
        subject: r.subject,
        status: r.status,
        attempts: r.attempts,
        last_error: r.last_error,
        next_attempt_at: super::rfc3339(c, r.next_attempt_at),
        created_at: super::rfc3339(c, r.created_at),
        sent_at: r.sent_at.map(|t| super::rfc3339(c, t)),
        case_id: r.case_id,
        warning_id: r.warning_id,
    }
}

/// Queues a failed mail again (admins); anything but a failed row is 409.
pub async fn resend(ctx: &Ctx, caller: &Caller, id: i64) -> AppResult<NotificationView> {
    caller.require(Permission::ResendOutbox)?;
    let (c, actor) = (ctx.clone(), caller.id);
    ctx.db
        .write(move |conn| {
            let row: NotificationRow = notifications::table
                .find(id)
                .select(NotificationRow::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::not_found("notification"))?;
            if row.status != crate::notify::outbox::FAILED {
                return Err(AppError::InvalidTransition(
                    Code::OnlyFailedMailResent.into(),
                ));
            }
            crate::notify::outbox::requeue(conn, &c, id)?;
            super::admin_events::record(
                conn,
                actor,
                super::admin_events::NOTIFICATION_RESENT,
                ("notification", id),
                &["status"],
                c.now().naive_utc(),
            )?;
            let row = notifications::table
                .find(id)
                .select(NotificationRow::as_select())
                .first(conn)?;
            Ok(view(&c, row))
        })
        .await
}
