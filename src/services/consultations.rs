//! Legal consultations: a quick record of a question answered, counted in the statistics.

use super::{Caller, Ctx, Page, Paging, Scope};
use crate::db::models::{ConsultationRow, NewConsultation};
use crate::db::schema::{consultations, enterprises};
use crate::db::DbConn;
use crate::domain::permission::Permission;
use crate::domain::text::{check_required_text, LONG_TEXT_MAX};
use crate::domain::time::parse_past_instant;
use crate::domain::vocab::{Category, Channel};
use crate::domain::workers::check_workers;
use crate::error::{AppError, AppResult, Code, FieldErrors};
use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Serialize)]
pub struct ConsultationView {
    pub id: i64,
    pub unit_id: i64,
    pub received_at: String,
    pub channel: String,
    pub topic: String,
    pub workers: i64,
    pub enterprise_id: Option<i64>,
    /// The enterprise's name, for the lists (null without an enterprise).
    pub enterprise_name: Option<String>,
    pub summary: String,
    pub answered_by: i64,
    pub case_id: Option<i64>,
    pub version: i64,
}

/// The views of `rows`, each with its enterprise's name (one query for them all).
fn views(
    conn: &mut DbConn,
    ctx: &Ctx,
    rows: Vec<ConsultationRow>,
) -> QueryResult<Vec<ConsultationView>> {
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.enterprise_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, String> = enterprises::table
        .filter(enterprises::id.eq_any(ids))
        .select((enterprises::id, enterprises::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let name = r.enterprise_id.and_then(|e| names.get(&e).cloned());
            view(ctx, r, name)
        })
        .collect())
}

fn one(conn: &mut DbConn, ctx: &Ctx, row: ConsultationRow) -> QueryResult<ConsultationView> {
    Ok(views(conn, ctx, vec![row])?.remove(0))
}

fn view(ctx: &Ctx, r: ConsultationRow, enterprise_name: Option<String>) -> ConsultationView {
    ConsultationView {
        id: r.id,
        unit_id: r.unit_id,
        received_at: super::rfc3339(ctx, r.received_at),
        channel: r.channel,
        topic: r.topic,
        workers: r.workers,
        enterprise_id: r.enterprise_id,
        enterprise_name,
        summary: r.summary,
        answered_by: r.answered_by,
        case_id: r.case_id,
        version: r.version,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsultationInput {
    pub received_at: String,
    pub channel: String,
    pub topic: String,
    pub workers: i64,
    pub enterprise_id: Option<i64>,
    pub summary: String,
    pub unit_id: Option<i64>,
}

pub async fn create(
    ctx: &Ctx,
    caller: &Caller,
    input: ConsultationInput,
) -> AppResult<ConsultationView> {
    caller.require(Permission::Consult)?;
    let now = ctx.now();
    let mut errors = FieldErrors::default();
    let received = errors.take("received_at", parse_past_instant(&input.received_at, now));
    let channel = errors.take("channel", input.channel.parse::<Channel>());
    let topic = errors.take("topic", input.topic.parse::<Category>());
    let workers = errors.take("workers", check_workers(input.workers));
    let summary = errors.take(
        "summary",
        check_required_text(&input.summary, LONG_TEXT_MAX),
    );
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .write(move |conn| {
            let unit_id = match input.unit_id.or(caller.unit_id) {
                Some(u) if super::unit_in_scope(conn, &caller, u)? => Some(u),
                _ => {
                    errors.add("unit_id", Code::NotInScope);
                    None
                }
            };
            if let Some(e) = input.enterprise_id {
                let n: i64 = enterprises::table.find(e).count().get_result(conn)?;
                if n == 0 {
                    errors.add("enterprise_id", Code::NoSuchEnterprise);
                }
            }
            let (
                Some(received),
                Some(channel),
                Some(topic),
                Some(workers),
                Some(summary),
                Some(unit_id),
                true,
            ) = (
                received,
                channel,
                topic,
                workers,
                summary,
                unit_id,
                errors.is_empty(),
            )
            else {
                return Err(AppError::Validation(errors));
            };
            let row = diesel::insert_into(consultations::table)
                .values(NewConsultation {
                    unit_id,
                    received_at: received.naive_utc(),
                    channel: channel.as_str(),
                    topic: topic.as_str(),
                    workers,
                    enterprise_id: input.enterprise_id,
                    summary: &summary,
                    answered_by: caller.id,
                    created_at: now.naive_utc(),
                })
                .returning(consultations::id)
                .get_result::<i64>(conn)?;
            super::idempotency::keep(conn, &c, caller.id, "consultation", row)?;
            let row = consultations::table
                .find(row)
                .select(ConsultationRow::as_select())
                .first(conn)?;
            Ok(one(conn, &c, row)?)
        })
        .await
}

pub async fn get(ctx: &Ctx, caller: &Caller, id: i64) -> AppResult<ConsultationView> {
    caller.require(Permission::Consult)?;
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .read(move |conn| {
            let row: Option<ConsultationRow> = consultations::table
                .find(id)
                .select(ConsultationRow::as_select())
                .first(conn)
                .optional()?;
            match row {
                Some(r) if super::unit_in_scope(conn, &caller, r.unit_id)? => Ok(one(conn, &c, r)?),
                _ => Err(AppError::not_found("consultation")),
            }
        })
        .await
}

#[derive(Debug, Default)]
pub struct ConsultationFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub unit_id: Option<i64>,
}

pub async fn list(
    ctx: &Ctx,
    caller: &Caller,
    filter: ConsultationFilter,
    paging: Paging,
) -> AppResult<Page<ConsultationView>> {
    caller.require(Permission::Consult)?;
    let scope = caller.scope();
    // `to` is inclusive: the whole of that local day.
    let (from, to) = ctx.local_days(filter.from, filter.to);
    let c = ctx.clone();
    let caller = caller.clone();
    ctx.db
        .read(move |conn| {
            let prefix = match (filter.unit_id, &scope) {
                (Some(u), _) => {
                    if !super::unit_in_scope(conn, &caller, u)? {
                        return Err(AppError::field("unit_id", Code::NotInScope));
                    }
                    Some(
                        crate::db::schema::units::table
                            .find(u)
                            .select(crate::db::schema::units::path)
                            .first::<String>(conn)?,
                    )
                }
                (None, Scope::Units(p)) => Some(p.clone()),
                (None, Scope::All) => None,
                (None, _) => return Err(AppError::forbidden()),
            };
            let unit_ids = match &prefix {
                Some(p) => Some(super::units_under(conn, p)?),
                None => None,
            };
            let query = || {
                let mut q = consultations::table.into_boxed();
                if let Some(ids) = &unit_ids {
                    q = q.filter(consultations::unit_id.eq_any(ids.clone()));
                }
                if let Some(f) = from {
                    q = q.filter(consultations::received_at.ge(f));
                }
                if let Some(t) = to {
                    q = q.filter(consultations::received_at.lt(t));
                }
                q
            };
            let total = query().count().get_result(conn)?;
            let rows = query()
                .select(ConsultationRow::as_select())
                .order((consultations::received_at.desc(), consultations::id.desc()))
                .offset(paging.offset())
                .limit(paging.per_page)
                .load(conn)?;
            let items = views(conn, &c, rows)?;
            Ok(paging.answer(items, total))
        })
        .await
}
