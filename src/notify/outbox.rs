//! Writing notifications into the outbox, inside the transaction of the change that causes them:
//! the row commits with the change or not at all. Recipients are looked up here; bodies are
//! rendered here, once, so a later template change does not alter a queued mail.
//!
//! "The unit's directors" are the active directors whose unit is the record's unit or one of its
//! ancestors (a street center's director hears of an enterprise registered under a community of
//! that street; a district director hears of everything below the district).

use super::render::{header_safe, render};
use crate::context::Ctx;
use crate::db::models::NewNotification;
use crate::db::schema::{cases, enterprises, notifications, units, users, warnings};
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use rand::Rng;
use serde_json::{json, Value};

pub const PENDING: &str = "pending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// One email to queue: its kind (the template), the record it is about, and the variables.
pub struct Email {
    pub kind: &'static str,
    pub case_id: Option<i64>,
    pub warning_id: Option<i64>,
    pub vars: Value,
}

fn internal(message: String) -> AppError {
    AppError::Failure(message)
}

/// The host part of our Message-IDs: the sender address's domain.
fn message_host(ctx: &Ctx) -> String {
    let from = &ctx.settings.config.mail.from;
    let host = from
        .rsplit_once('@')
        .map(|(_, h)| h.trim_end_matches('>'))
        .unwrap_or("localhost");
    let clean: String = host
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        .collect();
    if clean.is_empty() {
        "localhost".into()
    } else {
        clean
    }
}

/// Queues `email` once per distinct recipient address. Answers how many rows were written.
pub fn enqueue(
    conn: &mut DbConn,
    ctx: &Ctx,
    recipients: &[String],
    email: &Email,
) -> AppResult<usize> {
    let rendered = render(email.kind, &email.vars).map_err(internal)?;
    let now: NaiveDateTime = ctx.now().naive_utc();
    let host = message_host(ctx);
    let mut seen = std::collections::BTreeSet::new();
    for recipient in recipients {
        let recipient = header_safe(recipient);
        if recipient.is_empty() || !seen.insert(recipient.to_lowercase()) {
            continue;
        }
        insert(
            conn,
            &host,
            NewNotification {
                recipient,
                subject: rendered.subject.clone(),
                body_text: rendered.text.clone(),
                body_html: rendered.html.clone(),
                status: PENDING.into(),
                next_attempt_at: now,
                message_id: String::new(),
                created_at: now,
                kind: email.kind.into(),
                case_id: email.case_id,
                warning_id: email.warning_id,
            },
        )?;
    }
    Ok(seen.len())
}

/// Inserts a pending row and fixes its Message-ID, which names the row's id.
fn insert(conn: &mut DbConn, host: &str, mut row: NewNotification) -> AppResult<i64> {
    // Replaced below once the id is known; unique meanwhile.
    row.message_id = format!("pending-{:016x}", rand::thread_rng().gen::<u64>());
    let id: i64 = diesel::insert_into(notifications::table)
        .values(row)
        .returning(notifications::id)
        .get_result(conn)?;
    let random: u64 = rand::thread_rng().gen();
    diesel::update(notifications::table.find(id))
        .set(notifications::message_id.eq(format!("<notification-{id}.{random:016x}@{host}>")))
        .execute(conn)?;
    Ok(id)
}

/// Queues a failed mail again, in place: the same row and Message-ID, pending from now, its
/// attempts and its give-up clock (which runs from `created_at`) started afresh. The last error
/// stays until the next attempt replaces it.
pub fn requeue(conn: &mut DbConn, ctx: &Ctx, id: i64) -> AppResult<()> {
    let now: NaiveDateTime = ctx.now().naive_utc();
    diesel::update(notifications::table.find(id))
        .set((
            notifications::status.eq(PENDING),
            notifications::attempts.eq(0),
            notifications::next_attempt_at.eq(now),
            notifications::lease_until.eq(None::<NaiveDateTime>),
            notifications::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Email addresses of active users by id (skipping unknown and inactive ones).
fn emails_of(conn: &mut DbConn, ids: &[i64]) -> AppResult<Vec<String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids.to_vec()))
        .filter(users::active.eq(true))
        .select(users::email)
        .load(conn)?)
}

/// The active directors of `unit_id` and of every unit above it.
pub fn directors_of(conn: &mut DbConn, unit_id: i64) -> AppResult<Vec<String>> {
    let path: String = units::table.find(unit_id).select(units::path).first(conn)?;
    let directors: Vec<(String, String)> = users::table
        .inner_join(units::table.on(users::unit_id.eq(units::id.nullable())))
        .filter(users::role.eq("director"))
        .filter(users::active.eq(true))
        .select((users::email, units::path))
        .load(conn)?;
    Ok(directors
        .into_iter()
        .filter(|(_, p)| path.starts_with(p.as_str()))
        .map(|(email, _)| email)
        .collect())
}

fn case_url(ctx: &Ctx, id: i64) -> String {
    format!(
        "{}/cases/{id}",
        ctx.settings.config.base_url.trim_end_matches('/')
    )
}

fn warning_url(ctx: &Ctx, id: i64) -> String {
    format!(
        "{}/warnings/{id}",
        ctx.settings.config.base_url.trim_end_matches('/')
    )
}

fn local(ctx: &Ctx, at: NaiveDateTime) -> String {
    chrono::TimeZone::from_utc_datetime(&chrono::Utc, &at)
        .with_timezone(&ctx.settings.tz)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

fn display_name(conn: &mut DbConn, id: Option<i64>) -> AppResult<String> {
    Ok(match id {
        Some(id) => users::table
            .find(id)
            .select(users::display_name)
            .first::<String>(conn)
            .optional()?
            .unwrap_or_default(),
        None => "—".into(),
    })
}

/// A case was assigned or reassigned: its mediator and coordinator.
pub fn case_assigned(conn: &mut DbConn, ctx: &Ctx, case_id: i64) -> AppResult<usize> {
    let (case_no, mediator, coordinator, deadline, enterprise_name): (
        String,
        Option<i64>,
        Option<i64>,
        chrono::NaiveDate,
        String,
    ) = cases::table
        .inner_join(enterprises::table)
        .filter(cases::id.eq(case_id))
        .select((
            cases::case_no,
            cases::mediator_id,
            cases::coordinator_id,
            cases::deadline,
            enterprises::name,
        ))
        .first(conn)?;
    let ids: Vec<i64> = mediator.into_iter().chain(coordinator).collect();
    let recipients = emails_of(conn, &ids)?;
    let vars = json!({
        "case_no": case_no,
        "enterprise_name": enterprise_name,
        "mediator_name": display_name(conn, mediator)?,
        "coordinator_name": display_name(conn, coordinator)?,
        "deadline": deadline.to_string(),
        "url": case_url(ctx, case_id),
    });
    enqueue(
        conn,
        ctx,
        &recipients,
        &Email {
            kind: "case_assigned",
            case_id: Some(case_id),
            warning_id: None,
            vars,
        },
    )
}

/// A deadline reminder (`days_left` ≥ 0) to the mediator, or "deadline passed" to the mediator
/// and the unit's directors.
pub fn deadline(conn: &mut DbConn, ctx: &Ctx, case_id: i64, days_left: i64) -> AppResult<usize> {
    let (case_no, mediator, deadline, unit_id): (String, Option<i64>, chrono::NaiveDate, i64) =
        cases::table
            .find(case_id)
            .select((
                cases::case_no,
                cases::mediator_id,
                cases::deadline,
                cases::unit_id,
            ))
            .first(conn)?;
    let mut recipients = emails_of(conn, &mediator.into_iter().collect::<Vec<_>>())?;
    let kind = if days_left < 0 {
        recipients.extend(directors_of(conn, unit_id)?);
        "deadline_passed"
    } else {
        "deadline_reminder"
    };
    let vars = json!({
        "case_no": case_no,
        "deadline": deadline.to_string(),
        "days_left": days_left,
        "url": case_url(ctx, case_id),
    });
    enqueue(
        conn,
        ctx,
        &recipients,
        &Email {
            kind,
            case_id: Some(case_id),
            warning_id: None,
            vars,
        },
    )
}

/// A mail about an agreement of case `case_id` to its mediator, or to the unit's directors when
/// it has none: `vars` with the case's number, the enterprise's name and the case's address.
fn to_mediator(
    conn: &mut DbConn,
    ctx: &Ctx,
    case_id: i64,
    kind: &'static str,
    mut vars: serde_json::Value,
) -> AppResult<usize> {
    let (case_no, mediator, unit_id, enterprise_name): (String, Option<i64>, i64, String) =
        cases::table
            .inner_join(enterprises::table)
            .filter(cases::id.eq(case_id))
            .select((
                cases::case_no,
                cases::mediator_id,
                cases::unit_id,
                enterprises::name,
            ))
            .first(conn)?;
    let mut recipients = emails_of(conn, &mediator.into_iter().collect::<Vec<_>>())?;
    if recipients.is_empty() {
        recipients = directors_of(conn, unit_id)?;
    }
    vars["case_no"] = json!(case_no);
    vars["enterprise_name"] = json!(enterprise_name);
    vars["url"] = json!(case_url(ctx, case_id));
    enqueue(
        conn,
        ctx,
        &recipients,
        &Email {
            kind,
            case_id: Some(case_id),
            warning_id: None,
            vars,
        },
    )
}

/// An instalment of an agreement past its date and not paid in full: the case's mediator, or
/// the unit's directors when it has none.
pub fn instalment_overdue(
    conn: &mut DbConn,
    ctx: &Ctx,
    case_id: i64,
    due: chrono::NaiveDate,
    amount: crate::domain::money::Fen,
    owed: crate::domain::money::Fen,
) -> AppResult<usize> {
    let vars = json!({
        "due": due.to_string(),
        "amount": amount.grouped(),
        "owed": owed.grouped(),
    });
    to_mediator(conn, ctx, case_id, "instalment_overdue", vars)
}

/// "The window for judicial confirmation closes soon", to the case's mediator (or the unit's
/// directors when it has none): the agreement's effective day and the window's last day.
pub fn confirmation_window(
    conn: &mut DbConn,
    ctx: &Ctx,
    case_id: i64,
    effective: chrono::NaiveDate,
    last_day: chrono::NaiveDate,
) -> AppResult<usize> {
    let vars = json!({
        "effective": effective.to_string(),
        "last_day": last_day.to_string(),
    });
    to_mediator(conn, ctx, case_id, "confirmation_window", vars)
}

type WarningFacts = (
    i64,
    String,
    String,
    i64,
    NaiveDateTime,
    NaiveDateTime,
    i64,
    Option<i64>,
    String,
    String,
);

fn warning_facts(conn: &mut DbConn, warning_id: i64) -> AppResult<WarningFacts> {
    Ok(warnings::table
        .inner_join(enterprises::table)
        .filter(warnings::id.eq(warning_id))
        .select((
            warnings::unit_id,
            warnings::level,
            warnings::category,
            warnings::workers_at_risk,
            warnings::respond_by,
            warnings::reported_at,
            warnings::reported_by,
            warnings::case_id,
            warnings::status,
            enterprises::name,
        ))
        .first(conn)?)
}

/// A red warning was reported (kind `warning_red`), or a warning passed its response time
/// unacknowledged (`warning_overdue`): the unit's directors.
fn to_directors(
    conn: &mut DbConn,
    ctx: &Ctx,
    warning_id: i64,
    kind: &'static str,
) -> AppResult<usize> {
    let (unit_id, level, category, workers, respond_by, _, _, _, _, enterprise_name) =
        warning_facts(conn, warning_id)?;
    let recipients = directors_of(conn, unit_id)?;
    let vars = json!({
        "enterprise_name": enterprise_name,
        // Emails go out in Simplified Chinese; the labels come from the message catalog.
        "level": crate::i18n::t("zh-CN", &format!("level.{level}")),
        "category": crate::i18n::t("zh-CN", &format!("wcategory.{category}")),
        "workers": workers,
        "respond_by": local(ctx, respond_by),
        "url": warning_url(ctx, warning_id),
    });
    enqueue(
        conn,
        ctx,
        &recipients,
        &Email {
            kind,
            case_id: None,
            warning_id: Some(warning_id),
            vars,
        },
    )
}

pub fn red_warning(conn: &mut DbConn, ctx: &Ctx, warning_id: i64) -> AppResult<usize> {
    to_directors(conn, ctx, warning_id, "warning_red")
}

pub fn warning_overdue(conn: &mut DbConn, ctx: &Ctx, warning_id: i64) -> AppResult<usize> {
    to_directors(conn, ctx, warning_id, "warning_overdue")
}

/// A warning was defused or escalated: the officer who reported it.
pub fn warning_closed(conn: &mut DbConn, ctx: &Ctx, warning_id: i64) -> AppResult<usize> {
    let (_, _, _, _, _, reported_at, reported_by, case_id, status, enterprise_name) =
        warning_facts(conn, warning_id)?;
    let recipients = emails_of(conn, &[reported_by])?;
    let case_no: Option<String> = match case_id {
        Some(c) => Some(cases::table.find(c).select(cases::case_no).first(conn)?),
        None => None,
    };
    let url = match case_id {
        Some(c) => case_url(ctx, c),
        None => warning_url(ctx, warning_id),
    };
    let vars = json!({
        "enterprise_name": enterprise_name,
        "reported_at": local(ctx, reported_at),
        "escalated": status == "escalated",
        "case_no": case_no,
        "url": url,
    });
    enqueue(
        conn,
        ctx,
        &recipients,
        &Email {
            kind: "warning_closed",
            case_id,
            warning_id: Some(warning_id),
            vars,
        },
    )
}
