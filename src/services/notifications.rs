//! The outbox as admins and directors see it: what was queued, sent or failed, and why.

use super::{Caller, Ctx, Page, Paging};
use crate::db::models::NotificationRow;
use crate::db::schema::notifications;
use crate::error::{AppError, AppResult};
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
    caller.require(caller.role.is_manager())?;
    let status = match status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s @ ("pending" | "sent" | "failed")) => Some(s.to_string()),
        Some(_) => {
            return Err(AppError::field(
                "status",
                "must be one of: pending, sent, failed",
            ))
        }
    };
    let c = ctx.clone();
    ctx.db
        .read(move |conn| {
            let query = || {
                let mut q = notifications::table.into_boxed();
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
                items: rows
                    .into_iter()
                    .map(|r| NotificationView {
                        id: r.id,
                        kind: r.kind,
                        recipient: r.recipient,
                        subject: r.subject,
                        status: r.status,
                        attempts: r.attempts,
                        last_error: r.last_error,
                        next_attempt_at: super::rfc3339(&c, r.next_attempt_at),
                        created_at: super::rfc3339(&c, r.created_at),
                        sent_at: r.sent_at.map(|t| super::rfc3339(&c, t)),
                        case_id: r.case_id,
                        warning_id: r.warning_id,
                    })
                    .collect(),
                total,
                page: paging.page,
                per_page: paging.per_page,
            })
        })
        .await
}
