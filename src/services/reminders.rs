//! The reminder scan (SPEC.md, Notifications): deadline reminders for open cases in mediation and
//! "not acknowledged in time" for warnings. With days_left = the deadline − the scan's local
//! date, a case gets the 3-day reminder when 1 < days_left ≤ 3, the 1-day reminder when
//! 0 ≤ days_left ≤ 1, and "deadline passed" when days_left < 0; only the one due at the scan's
//! time (a missed earlier one is not caught up). An instalment of an agreement past its date and
//! not paid in full (by the allocation rule of `domain::fulfilment`) reminds the case's mediator
//! (the unit's directors when it has none) once. Each (record, threshold) is sent once: the
//! reminders_sent row and the outbox rows commit together, so a scan that runs twice, or two
//! instances scanning at once, queue nothing twice.

use super::Ctx;
use crate::db::schema::{cases, reminders_sent, warnings};
use crate::domain::case::CaseStatus;
use crate::domain::warning::WarningStatus;
use crate::error::AppError;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use serde::Serialize;

/// The reminder a case is due at `days_left`, if any.
pub fn threshold(days_left: i64) -> Option<&'static str> {
    match days_left {
        d if d < 0 => Some("passed"),
        0..=1 => Some("1d"),
        2..=3 => Some("3d"),
        _ => None,
    }
}

/// What one scan queued.
#[derive(Debug, Default, Serialize, PartialEq, Eq)]
pub struct ScanReport {
    pub case_reminders: usize,
    pub warning_reminders: usize,
    /// Instalments past their date, each reminded of once.
    pub instalment_reminders: usize,
    /// Reminders that the window for judicial confirmation closes soon.
    pub confirmation_reminders: usize,
    /// Monthly reports queued (on the first local day of a month only).
    pub monthly_reports: usize,
    /// Daily digests queued (on working days, to those who opted in).
    pub digests: usize,
    pub emails: usize,
}

/// One scan as of `at`; blocking (the command line calls it directly, `serve` on the blocking
/// pool). One short transaction per reminder.
pub fn scan_blocking(ctx: &Ctx, at: DateTime<Utc>) -> Result<ScanReport, AppError> {
    let today = ctx.local_date(at);
    let at_n = at.naive_utc();
    let mut report = ScanReport::default();
    let due: Vec<(i64, NaiveDate)> = {
        let mut conn = ctx.db.get()?;
        cases::table
            .filter(cases::status.eq(CaseStatus::Mediating.as_str()))
            .filter(cases::deadline.le(today + chrono::Duration::days(3)))
            .select((cases::id, cases::deadline))
            .load(&mut *conn)?
    };
    // Reminders already sent are skipped without a write transaction each; the UNIQUE insert
    // below still decides when two scans race.
    let mut sent = std::collections::HashSet::<(i64, String)>::new();
    {
        let ids: Vec<i64> = due.iter().map(|(id, _)| *id).collect();
        let mut conn = ctx.db.get()?;
        // In chunks: SQLite limits the number of bound values per statement.
        for chunk in ids.chunks(1000) {
            let rows: Vec<(i64, String)> = reminders_sent::table
                .filter(reminders_sent::kind.eq("case"))
                .filter(reminders_sent::record_id.eq_any(chunk))
                .select((reminders_sent::record_id, reminders_sent::threshold))
                .load(&mut *conn)?;
            sent.extend(rows);
        }
    }
    for (id, deadline) in due {
        let days_left = (deadline - today).num_days();
        let Some(threshold) = threshold(days_left) else {
            continue;
        };
        if sent.contains(&(id, threshold.to_string())) {
            continue;
        }
        let emails = ctx.db.write_blocking(|conn| {
            // The case may have moved on since the list was read.
            let still: i64 = cases::table
                .find(id)
                .filter(cases::status.eq(CaseStatus::Mediating.as_str()))
                .filter(cases::deadline.eq(deadline))
                .count()
                .get_result(conn)?;
            if still == 0 || !crate::db::insert_reminder(conn, "case", id, threshold, at_n)? {
                return Ok::<_, AppError>(None);
            }
            crate::notify::outbox::deadline(conn, ctx, id, days_left).map(Some)
        })?;
        if let Some(n) = emails {
            report.case_reminders += 1;
            report.emails += n;
        }
    }
    instalments(ctx, today, at_n, &mut report)?;
    confirmation_windows(ctx, today, at_n, &mut report)?;
    let overdue: Vec<i64> = {
        let mut conn = ctx.db.get()?;
        warnings::table
            .filter(warnings::status.eq(WarningStatus::Reported.as_str()))
            .filter(warnings::respond_by.lt(at_n))
            .select(warnings::id)
            .load(&mut *conn)?
    };
    let mut warned = std::collections::HashSet::<i64>::new();
    {
        let mut conn = ctx.db.get()?;
        for chunk in overdue.chunks(1000) {
            let rows: Vec<i64> = reminders_sent::table
                .filter(reminders_sent::kind.eq("warning"))
                .filter(reminders_sent::record_id.eq_any(chunk))
                .select(reminders_sent::record_id)
                .load(&mut *conn)?;
            warned.extend(rows);
        }
    }
    for id in overdue.into_iter().filter(|id| !warned.contains(id)) {
        let emails = ctx.db.write_blocking(|conn| {
            let still: i64 = warnings::table
                .find(id)
                .filter(warnings::status.eq(WarningStatus::Reported.as_str()))
                .count()
                .get_result(conn)?;
            if still == 0 || !crate::db::insert_reminder(conn, "warning", id, "respond_by", at_n)? {
                return Ok::<_, AppError>(None);
            }
            crate::notify::outbox::warning_overdue(conn, ctx, id).map(Some)
        })?;
        if let Some(n) = emails {
            report.warning_reminders += 1;
            report.emails += n;
        }
    }
    if today.day() == 1 {
        monthly_reports(ctx, today, at_n, &mut report)?;
    }
    report.digests = super::digest::queue_all(ctx, today, at_n)?;
    report.emails += report.digests;
    Ok(report)
}

/// "An instalment is past its date", once per instalment: one short transaction each, the
/// `reminders_sent` row deciding.
fn instalments(
    ctx: &Ctx,
    today: NaiveDate,
    at_n: chrono::NaiveDateTime,
    report: &mut ScanReport,
) -> Result<(), AppError> {
    use super::cases::{overdue_instalments, Narrowing, REMINDER_KIND};
    let unreminded = Narrowing {
        unreminded: true,
        ..Default::default()
    };
    let due = {
        let mut conn = ctx.db.get()?;
        overdue_instalments(&mut conn, ctx, today, &unreminded)?
    };
    for o in due {
        let emails = ctx.db.write_blocking(|conn| {
            if !crate::db::insert_reminder(conn, REMINDER_KIND, o.term_id, "overdue", at_n)? {
                return Ok::<_, AppError>(None);
            }
            crate::notify::outbox::instalment_overdue(conn, ctx, o.case_id, o.due, o.amount, o.owed)
                .map(Some)
        })?;
        if let Some(n) = emails {
            report.instalment_reminders += 1;
            report.emails += n;
        }
    }
    Ok(())
}

/// "The window for judicial confirmation closes soon", once per case: from five days before its
/// last day, for parties who said they intend to apply and have not.
fn confirmation_windows(
    ctx: &Ctx,
    today: NaiveDate,
    at_n: chrono::NaiveDateTime,
    report: &mut ScanReport,
) -> Result<(), AppError> {
    use super::cases::{windows_closing, CONFIRMATION_REMINDER};
    let due = {
        let mut conn = ctx.db.get()?;
        windows_closing(ctx, &mut conn, today)?
    };
    for (case_id, effective, last_day) in due {
        let emails = ctx.db.write_blocking(|conn| {
            let threshold = last_day.to_string();
            if !crate::db::insert_reminder(conn, CONFIRMATION_REMINDER, case_id, &threshold, at_n)?
            {
                return Ok::<_, AppError>(None);
            }
            crate::notify::outbox::confirmation_window(conn, ctx, case_id, effective, last_day)
                .map(Some)
        })?;
        if let Some(n) = emails {
            report.confirmation_reminders += 1;
            report.emails += n;
        }
    }
    Ok(())
}

/// The previous month's report to every subscriber, once per (user, month): one short transaction
/// each, the `reminders_sent` row deciding.
fn monthly_reports(
    ctx: &Ctx,
    today: NaiveDate,
    at_n: chrono::NaiveDateTime,
    report: &mut ScanReport,
) -> Result<(), AppError> {
    use super::report_subscriptions as subs;
    let first = subs::previous_month(today);
    let month = first.format("%Y-%m").to_string();
    let (subscribers, done) = {
        let mut conn = ctx.db.get()?;
        let subscribers = subs::subscribers(&mut conn)?;
        let done: std::collections::HashSet<i64> = reminders_sent::table
            .filter(reminders_sent::kind.eq(subs::KIND))
            .filter(reminders_sent::threshold.eq(&month))
            .select(reminders_sent::record_id)
            .load::<i64>(&mut *conn)?
            .into_iter()
            .collect();
        (subscribers, done)
    };
    for (user_id, unit_id) in subscribers {
        if done.contains(&user_id) {
            continue;
        }
        let n = ctx
            .db
            .write_blocking(|conn| subs::queue(conn, ctx, user_id, unit_id, first, at_n))?;
        if n > 0 {
            report.monthly_reports += 1;
            report.emails += n;
        }
    }
    Ok(())
}

/// The scan from async code.
pub async fn scan(ctx: &Ctx, at: DateTime<Utc>) -> Result<ScanReport, AppError> {
    let c = ctx.clone();
    tokio::task::spawn_blocking(move || scan_blocking(&c, at))
        .await
        .map_err(|_| AppError::Internal(crate::db::DbError::Blocking))?
}

#[cfg(test)]
mod tests {
    use super::threshold;

    #[test]
    fn only_the_reminder_due_now_is_chosen() {
        assert_eq!(threshold(4), None);
        assert_eq!(threshold(3), Some("3d"));
        assert_eq!(threshold(2), Some("3d"));
        assert_eq!(threshold(1), Some("1d"));
        assert_eq!(threshold(0), Some("1d"));
        assert_eq!(threshold(-1), Some("passed"));
    }
}
