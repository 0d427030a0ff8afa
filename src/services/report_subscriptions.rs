//! The monthly report by email (SPEC.md, Notifications): directors and viewers opt in or out for
//! themselves; on the first local day of a month the reminder scan queues the previous month's
//! report to each, once per (user, month) by the `reminders_sent` key
//! ("monthly_report", user id, "YYYY-MM").

use super::stats::{compute, Root, Span};
use super::{Caller, Ctx};
use crate::db::schema::{report_subscriptions, users};
use crate::db::DbConn;
use crate::domain::permission::Permission;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

/// The `reminders_sent` kind of the monthly report.
pub const KIND: &str = "monthly_report";

pub async fn is_subscribed(ctx: &Ctx, caller: &Caller) -> AppResult<bool> {
    let id = caller.id;
    ctx.db
        .read(move |conn| {
            let n: i64 = report_subscriptions::table
                .find(id)
                .count()
                .get_result(conn)?;
            Ok(n > 0)
        })
        .await
}

/// Opts the caller in (`on`) or out; 403 for other roles than director and viewer.
pub async fn set(ctx: &Ctx, caller: &Caller, on: bool) -> AppResult<()> {
    caller.require(Permission::SubscribeReports)?;
    let id = caller.id;
    let now = ctx.now().naive_utc();
    ctx.db
        .write(move |conn| {
            diesel::delete(report_subscriptions::table.find(id)).execute(conn)?;
            if on {
                diesel::insert_into(report_subscriptions::table)
                    .values((
                        report_subscriptions::user_id.eq(id),
                        report_subscriptions::created_at.eq(now),
                    ))
                    .execute(conn)?;
            }
            Ok::<_, AppError>(())
        })
        .await
}

/// Active subscribers who are still directors or viewers: (id, unit).
pub fn subscribers(conn: &mut DbConn) -> QueryResult<Vec<(i64, Option<i64>)>> {
    report_subscriptions::table
        .inner_join(users::table)
        .filter(users::active.eq(true))
        .filter(users::role.eq_any(["director", "viewer"]))
        .select((users::id, users::unit_id))
        .order(users::id)
        .load(conn)
}

/// The month before the one of `today`, as its first day.
pub use crate::domain::calendar::previous_month;

/// Queues the report of the month starting `first` for the unit of `user_id` to that user, in the
/// caller's transaction, unless it was queued before. Answers how many emails were queued.
pub fn queue(
    conn: &mut DbConn,
    ctx: &Ctx,
    user_id: i64,
    unit_id: Option<i64>,
    first: NaiveDate,
    at: NaiveDateTime,
) -> AppResult<usize> {
    let month = first.format("%Y-%m").to_string();
    if !crate::db::insert_reminder(conn, KIND, user_id, &month, at)? {
        return Ok(0);
    }
    let root = match unit_id {
        Some(u) => match Root::unit(conn, u)? {
            Some(r) => r,
            None => return Ok(0),
        },
        None => Root::All,
    };
    let report = compute(conn, ctx, &root, Span::Month(first))?;
    let email: Vec<String> = users::table.find(user_id).select(users::email).load(conn)?;
    let f = &report.figures;
    let vars = json!({
        "month": month,
        "unit_name": report
            .unit_name
            .clone()
            .unwrap_or_else(|| crate::i18n::t(crate::i18n::DEFAULT_LANG, "sheet.all_units")),
        "petitions_received": f.petitions_received,
        "consultations": f.consultations,
        "workers_involved": f.workers_involved,
        "amount_wan": f.amount_involved.wan_yuan(),
        "handling_rate": f.handling_rate.with_counts(),
        "success_rate": f.success_rate.with_counts(),
        "url": format!(
            "{}/reports/monthly?month={month}{}",
            ctx.settings.config.base_url.trim_end_matches('/'),
            unit_id.map(|u| format!("&unit_id={u}")).unwrap_or_default()
        ),
    });
    crate::notify::outbox::enqueue(
        conn,
        ctx,
        &email,
        &crate::notify::outbox::Email {
            kind: KIND,
            case_id: None,
            warning_id: None,
            vars,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::previous_month;
    use chrono::NaiveDate;

    #[test]
    fn the_previous_month_crosses_the_year() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        assert_eq!(previous_month(d(2026, 1, 1)), d(2025, 12, 1));
        assert_eq!(previous_month(d(2026, 4, 1)), d(2026, 3, 1));
    }
}
