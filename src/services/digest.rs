//! The daily digest (issue 12): on each working day, one mail to every active mediator (or
//! director) who opted in (`users.daily_digest`, on their settings page), listing their open
//! cases due within three days, those overdue and those with no workflow event for
//! `deadlines.stale_days`. Sent once per (user, local day): the `reminders_sent` row (kind
//! `digest`, the date) and the outbox row commit together, as the reminders do, so a scan that
//! runs twice, or two instances scanning at once, queue nothing twice. A digest with nothing in
//! it is not sent (and not marked, so a case turning due later that day is still told).

use super::Ctx;
use crate::db::schema::{cases, enterprises, reminders_sent, users};
use crate::db::DbConn;
use crate::domain::case::CaseStatus;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use serde_json::{json, Value};

/// The `reminders_sent` kind of a digest; its threshold is the local date.
pub const KIND: &str = "digest";

/// Queues the day's digests as of the scan's local date `today`; answers how many were queued.
pub(super) fn queue_all(
    ctx: &Ctx,
    today: NaiveDate,
    at_n: NaiveDateTime,
) -> Result<usize, AppError> {
    if !ctx.settings.calendar.is_working_day(today) {
        return Ok(0);
    }
    let day = today.to_string();
    let roles: Vec<&str> = [Role::Mediator, Role::Director]
        .iter()
        .map(|r| r.as_str())
        .collect();
    let (readers, done) = {
        let mut conn = ctx.db.get()?;
        let readers: Vec<i64> = users::table
            .filter(users::daily_digest.eq(true))
            .filter(users::active.eq(true))
            .filter(users::role.eq_any(roles))
            .select(users::id)
            .load(&mut *conn)?;
        let done: std::collections::HashSet<i64> = reminders_sent::table
            .filter(reminders_sent::kind.eq(KIND))
            .filter(reminders_sent::threshold.eq(&day))
            .select(reminders_sent::record_id)
            .load::<i64>(&mut *conn)?
            .into_iter()
            .collect();
        (readers, done)
    };
    let mut queued = 0;
    for user_id in readers.into_iter().filter(|u| !done.contains(u)) {
        let n = ctx
            .db
            .write_blocking(|conn| queue_one(conn, ctx, user_id, today, at_n))?;
        if n > 0 {
            queued += 1;
        }
    }
    Ok(queued)
}

/// A case as the digest lists it.
fn line(
    ctx: &Ctx,
    id: i64,
    case_no: &str,
    enterprise: &str,
    deadline: NaiveDate,
    days: i64,
) -> Value {
    json!({
        "case_no": case_no,
        "enterprise_name": enterprise,
        "deadline": deadline.to_string(),
        "days": days,
        "url": format!("{}/cases/{id}", ctx.settings.config.base_url.trim_end_matches('/')),
    })
}

/// One user's digest of `today`, in the caller's transaction; 0 when there is nothing to tell
/// or it was already sent.
fn queue_one(
    conn: &mut DbConn,
    ctx: &Ctx,
    user_id: i64,
    today: NaiveDate,
    at_n: NaiveDateTime,
) -> AppResult<usize> {
    let (name, email): (String, String) = users::table
        .find(user_id)
        .select((users::display_name, users::email))
        .first(conn)?;
    let open: Vec<&str> = CaseStatus::ALL
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.as_str())
        .collect();
    let rows: Vec<(i64, String, NaiveDate, NaiveDateTime, String)> = cases::table
        .inner_join(enterprises::table.on(enterprises::id.eq(cases::enterprise_id)))
        .filter(cases::mediator_id.eq(user_id))
        .filter(cases::status.eq_any(open))
        .order((cases::deadline.asc(), cases::id.asc()))
        .select((
            cases::id,
            cases::case_no,
            cases::deadline,
            cases::last_event_at,
            enterprises::name,
        ))
        .load(conn)?;
    let stale_days = ctx.settings.config.deadlines.stale_days;
    let stale_before = ctx.local_midnight(today - chrono::Duration::days(i64::from(stale_days)));
    let (mut due_soon, mut overdue, mut stale) = (Vec::new(), Vec::new(), Vec::new());
    for (id, case_no, deadline, last, enterprise) in &rows {
        let left = (*deadline - today).num_days();
        if left < 0 {
            overdue.push(line(ctx, *id, case_no, enterprise, *deadline, -left));
        } else if left <= 3 {
            due_soon.push(line(ctx, *id, case_no, enterprise, *deadline, left));
        }
        if *last < stale_before {
            let mut l = line(ctx, *id, case_no, enterprise, *deadline, left);
            l["last"] = json!(ctx.local_date(Utc.from_utc_datetime(last)).to_string());
            stale.push(l);
        }
    }
    if due_soon.is_empty() && overdue.is_empty() && stale.is_empty() {
        return Ok(0);
    }
    if !crate::db::insert_reminder(conn, KIND, user_id, &today.to_string(), at_n)? {
        return Ok(0);
    }
    let base = ctx.settings.config.base_url.trim_end_matches('/');
    let vars = json!({
        "name": name,
        "date": today.to_string(),
        "due_soon_count": due_soon.len(),
        "overdue_count": overdue.len(),
        "stale_count": stale.len(),
        "stale_days": stale_days,
        "due_soon": due_soon,
        "overdue": overdue,
        "stale": stale,
        "settings_url": format!("{base}/me/settings"),
    });
    crate::notify::outbox::enqueue(
        conn,
        ctx,
        &[email],
        &crate::notify::outbox::Email {
            kind: "daily_digest",
            case_id: None,
            warning_id: None,
            vars,
        },
    )
}
