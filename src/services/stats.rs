//! Statistics and the monthly and yearly reports: who may read them, which units they cover, and
//! the loading of facts for `domain::stats` to fold.
//!
//! One indexed range query loads the cases that matter to a period (received before its end and
//! not closed before its start: every petition, closing and backlog case of the period), one more
//! its consultations; the figures are folded in Rust. Months and days are local dates (chrono in
//! the configured zone), so no time-zone SQL differs between SQLite and PostgreSQL, and a yearly
//! report's twelve months come from the same load. Only non-personal columns are read: the
//! statistics carry no names, phone or ID numbers, so reading or exporting them writes nothing to
//! the access log.

use super::{units_under, Caller, Ctx, Scope};
use crate::db::schema::{cases, consultations, enterprises, units, users};
use crate::db::DbConn;
use crate::domain::case::CaseStatus;
use crate::domain::money::Fen;
use crate::domain::role::Role;
use crate::domain::stats::{
    figures, grouped, summary_zh, CaseFact, ConsultationFact, Figures, Period, WarningFigures,
};
use crate::domain::vocab::{Category, Channel};
use crate::error::{AppError, AppResult, FieldErrors};
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// How many enterprises `by_enterprise` lists.
pub const TOP_ENTERPRISES: usize = 20;

/// One line of a breakdown: what it is about and its figures.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The category or channel code, or the unit, enterprise or mediator id.
    pub key: Value,
    pub name: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// One month of a yearly report.
#[derive(Debug, Clone, Serialize)]
pub struct MonthRow {
    pub month: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// The statistics of a period, as `/stats` and the reports answer them.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// First local date of the period.
    pub from: NaiveDate,
    /// The local date after its last (the period is [from, to)).
    pub to: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The unit counted with all units below it; `null` for every unit.
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    #[serde(flatten)]
    pub figures: Figures,
    pub by_category: Vec<Row>,
    pub by_channel: Vec<Row>,
    pub by_unit: Vec<Row>,
    pub by_enterprise: Vec<Row>,
    pub by_mediator: Vec<Row>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by_month: Option<Vec<MonthRow>>,
}

/// Which period a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Any [from, to) of local dates.
    Dates(NaiveDate, NaiveDate),
    Month(NaiveDate),
    Year(i32),
}

impl Span {
    /// `from` and `to` as `YYYY-MM-DD`, from before to.
    pub fn dates(from: Option<&str>, to: Option<&str>) -> AppResult<Span> {
        let mut errors = FieldErrors::default();
        let mut date = |field: &str, v: Option<&str>| match v.map(str::trim) {
            None | Some("") => {
                errors.add(field, "is required (YYYY-MM-DD)");
                None
            }
            Some(v) => errors.take(
                field,
                NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| "must be a date YYYY-MM-DD"),
            ),
        };
        let (from, to) = (date("from", from), date("to", to));
        if let (Some(f), Some(t)) = (from, to) {
            if f >= t {
                errors.add("to", "must be after from (the period is [from, to))");
            }
        }
        errors.finish()?;
        match (from, to) {
            (Some(f), Some(t)) => Ok(Span::Dates(f, t)),
            _ => Err(AppError::field("from", "is required")),
        }
    }

    /// A month `YYYY-MM`.
    pub fn month(month: Option<&str>) -> AppResult<Span> {
        let m = month.map(str::trim).unwrap_or("");
        let first = (m.len() == 7)
            .then(|| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
            .flatten();
        first
            .filter(|d| (1..=9998).contains(&d.year()))
            .map(Span::Month)
            .ok_or_else(|| AppError::field("month", "must be a month YYYY-MM"))
    }

    /// A year `YYYY`.
    pub fn year(year: Option<&str>) -> AppResult<Span> {
        let y = year.map(str::trim).unwrap_or("");
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .then(|| y.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1..=9998).contains(y))
            .map(Span::Year)
            .ok_or_else(|| AppError::field("year", "must be a year YYYY"))
    }

    /// [first date, date after the last).
    fn bounds(self) -> (NaiveDate, NaiveDate) {
        match self {
            Span::Dates(f, t) => (f, t),
            Span::Month(first) => (first, next_month(first)),
            Span::Year(y) => (ymd(y, 1), ymd(y + 1, 1)),
        }
    }
}

fn ymd(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default()
}

fn next_month(first: NaiveDate) -> NaiveDate {
    match first.month() {
        12 => ymd(first.year() + 1, 1),
        m => ymd(first.year(), m + 1),
    }
}

/// Directors, admins and viewers read statistics; mediators and officers do not.
pub fn require_reader(caller: &Caller) -> AppResult<()> {
    caller.require(matches!(
        caller.role,
        Role::Director | Role::Admin | Role::Viewer
    ))
}

/// The unit a report covers (with everything below it), or every unit.
#[derive(Debug, Clone)]
pub enum Root {
    All,
    Unit { id: i64, name: String, path: String },
}

impl Root {
    /// The unit `id`, which must exist.
    pub fn unit(conn: &mut DbConn, id: i64) -> QueryResult<Option<Root>> {
        let row: Option<(String, String)> = units::table
            .find(id)
            .select((units::name, units::path))
            .first(conn)
            .optional()?;
        Ok(row.map(|(name, path)| Root::Unit { id, name, path }))
    }

    /// The unit asked for (in the caller's scope, else 422 on `unit_id`), or the caller's own.
    fn for_caller(conn: &mut DbConn, caller: &Caller, unit_id: Option<i64>) -> AppResult<Root> {
        let not_in_scope = || AppError::field("unit_id", "no such unit in your scope");
        match (unit_id, caller.scope()) {
            (Some(u), _) => {
                if !super::unit_in_scope(conn, caller, u)? {
                    return Err(not_in_scope());
                }
                Root::unit(conn, u)?.ok_or_else(not_in_scope)
            }
            (None, Scope::All) => Ok(Root::All),
            (None, Scope::Units(_)) => match caller.unit_id {
                Some(u) => Root::unit(conn, u)?.ok_or_else(not_in_scope),
                None => Err(not_in_scope()),
            },
            (None, _) => Err(AppError::forbidden()),
        }
    }
}

/// The statistics of a span for the caller: role (403), then values (422), then scope (422).
pub async fn report(
    ctx: &Ctx,
    caller: &Caller,
    span: AppResult<Span>,
    unit_id: Option<i64>,
) -> AppResult<Report> {
    require_reader(caller)?;
    let span = span?;
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .read(move |conn| {
            let root = Root::for_caller(conn, &caller, unit_id)?;
            Ok(compute(conn, &c, &root, span)?)
        })
        .await
}

/// The warning figures of a period.
///
/// TODO(warnings): warnings do not exist on this branch yet, so every count is 0. Once the
/// `warnings` table lands, count, for `warnings.unit_id` in `unit_ids` (every unit when `None`) and
/// by `warnings.level` (yellow, orange, red): `reported` = rows with `reported_at` in
/// [period.from, period.to); `escalated` = rows with status `escalated` and `escalated_at` in the
/// period; `defused` = rows with status `defused` and `defused_at` in the period (or the matching
/// `warning_events` rows, if that is where the transition times are kept).
fn warning_figures(
    _conn: &mut DbConn,
    _unit_ids: Option<&[i64]>,
    _period: &Period,
) -> QueryResult<WarningFigures> {
    Ok(WarningFigures::default())
}

type CaseTuple = (
    i64,
    i64,
    Option<i64>,
    String,
    String,
    String,
    i64,
    i64,
    Option<i64>,
    i64,
    NaiveDateTime,
    Option<NaiveDateTime>,
    NaiveDate,
);

type ConsultationTuple = (i64, Option<i64>, i64, String, String, i64, NaiveDateTime);

fn local_day(ctx: &Ctx, at: NaiveDateTime) -> NaiveDate {
    ctx.local_date(Utc.from_utc_datetime(&at))
}

/// The cases that matter to `period`: received before its end and not closed before its start.
fn load_cases(
    conn: &mut DbConn,
    ctx: &Ctx,
    unit_ids: Option<&[i64]>,
    period: &Period,
) -> QueryResult<Vec<CaseFact>> {
    let mut q = cases::table
        .filter(cases::received_at.lt(period.to))
        .filter(
            cases::closed_at
                .is_null()
                .or(cases::closed_at.ge(period.from)),
        )
        .into_boxed();
    if let Some(ids) = unit_ids {
        q = q.filter(cases::unit_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<CaseTuple> = q
        .select((
            cases::unit_id,
            cases::enterprise_id,
            cases::mediator_id,
            cases::channel,
            cases::category,
            cases::status,
            cases::workers_involved,
            cases::amount_claimed,
            cases::amount_agreed,
            cases::amount_paid,
            cases::received_at,
            cases::closed_at,
            cases::deadline,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            // A status outside the vocabulary cannot be counted anywhere; skip it.
            let status: CaseStatus = r.5.parse().ok()?;
            Some(CaseFact {
                unit_id: r.0,
                enterprise_id: r.1,
                mediator_id: r.2,
                channel: r.3,
                category: r.4,
                status,
                workers: r.6,
                amount_claimed: Fen::from_fen(r.7),
                amount_agreed: Fen::from_fen(r.8.unwrap_or(0)),
                amount_paid: Fen::from_fen(r.9),
                received_at: r.10,
                received_day: local_day(ctx, r.10),
                closed_at: r.11,
                closed_day: r.11.map(|t| local_day(ctx, t)),
                deadline: r.12,
            })
        })
        .collect())
}

fn load_consultations(
    conn: &mut DbConn,
    unit_ids: Option<&[i64]>,
    period: &Period,
) -> QueryResult<Vec<ConsultationFact>> {
    let mut q = consultations::table
        .filter(consultations::received_at.ge(period.from))
        .filter(consultations::received_at.lt(period.to))
        .into_boxed();
    if let Some(ids) = unit_ids {
        q = q.filter(consultations::unit_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<ConsultationTuple> = q
        .select((
            consultations::unit_id,
            consultations::enterprise_id,
            consultations::answered_by,
            consultations::channel,
            consultations::topic,
            consultations::workers,
            consultations::received_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| ConsultationFact {
            unit_id: r.0,
            enterprise_id: r.1,
            answered_by: r.2,
            channel: r.3,
            topic: r.4,
            workers: r.5,
            received_at: r.6,
        })
        .collect())
}

/// The period [from, to) of local dates. Overdue is judged on its last day, or today for a period
/// not over yet (a case due tomorrow is not overdue in this month's report read today).
fn period_of(ctx: &Ctx, from: NaiveDate, to: NaiveDate) -> Period {
    let today = ctx.local_date(ctx.now());
    Period {
        from: ctx.local_midnight(from),
        to: ctx.local_midnight(to),
        last_day: to.pred_opt().unwrap_or(to).min(today),
    }
}

/// Maps every unit of the report to its line in `by_unit`: the report's unit itself (records
/// kept on it directly) or the child of it the unit lies under; for every unit, the top level.
fn unit_lines(root: &Root, all: &[(i64, String, String)]) -> BTreeMap<i64, i64> {
    let prefix = match root {
        Root::All => "/",
        Root::Unit { path, .. } => path.as_str(),
    };
    all.iter()
        .filter_map(|(id, _, path)| {
            let rest = path.strip_prefix(prefix)?;
            let line = match rest.split('/').next().filter(|s| !s.is_empty()) {
                Some(child) => child.parse().ok()?,
                None => *id,
            };
            Some((*id, line))
        })
        .collect()
}

/// Computes the report of `span` for `root` (no caller checks: the command line uses it too).
pub fn compute(conn: &mut DbConn, ctx: &Ctx, root: &Root, span: Span) -> QueryResult<Report> {
    let (from, to) = span.bounds();
    let period = period_of(ctx, from, to);
    let all_units: Vec<(i64, String, String)> = {
        let mut q = units::table
            .select((units::id, units::name, units::path))
            .into_boxed();
        if let Root::Unit { path, .. } = root {
            q = q.filter(units::path.like(format!("{path}%")));
        }
        q.order(units::id).load(conn)?
    };
    let unit_ids: Option<Vec<i64>> = match root {
        Root::All => None,
        Root::Unit { path, .. } => Some(units_under(conn, path)?),
    };
    let ids = unit_ids.as_deref();
    let cases = load_cases(conn, ctx, ids, &period)?;
    let consultations = load_consultations(conn, ids, &period)?;
    let total = figures(
        &period,
        &cases,
        &consultations,
        warning_figures(conn, ids, &period)?,
    );

    let by_category = {
        let groups = grouped(
            &period,
            &cases,
            &consultations,
            |c| Some(c.category.clone()),
            |c| Some(c.topic.clone()),
        );
        Category::ALL
            .iter()
            .map(|k| Row {
                key: Value::from(k.as_str()),
                name: k.label_zh().to_string(),
                figures: groups.get(k.as_str()).cloned().unwrap_or_default(),
            })
            .collect()
    };
    let by_channel = {
        let groups = grouped(
            &period,
            &cases,
            &consultations,
            |c| Some(c.channel.clone()),
            |c| Some(c.channel.clone()),
        );
        Channel::ALL
            .iter()
            .map(|k| Row {
                key: Value::from(k.as_str()),
                name: k.label_zh().to_string(),
                figures: groups.get(k.as_str()).cloned().unwrap_or_default(),
            })
            .collect()
    };
    let by_unit = {
        let lines = unit_lines(root, &all_units);
        let groups = grouped(
            &period,
            &cases,
            &consultations,
            |c| lines.get(&c.unit_id).copied(),
            |c| lines.get(&c.unit_id).copied(),
        );
        let mut line_ids: Vec<i64> = lines.values().copied().collect();
        line_ids.sort_unstable();
        line_ids.dedup();
        line_ids
            .into_iter()
            .map(|id| Row {
                key: Value::from(id),
                name: all_units
                    .iter()
                    .find(|u| u.0 == id)
                    .map(|u| u.1.clone())
                    .unwrap_or_default(),
                figures: groups.get(&id).cloned().unwrap_or_default(),
            })
            .collect()
    };
    let by_enterprise = {
        let groups = grouped(
            &period,
            &cases,
            &consultations,
            |c| Some(c.enterprise_id),
            |c| c.enterprise_id,
        );
        let mut top: Vec<(i64, Figures)> = groups
            .into_iter()
            .filter(|(_, f)| f.petitions_received > 0)
            .collect();
        top.sort_by_key(|(id, f)| (std::cmp::Reverse(f.petitions_received), *id));
        top.truncate(TOP_ENTERPRISES);
        let ids: Vec<i64> = top.iter().map(|(id, _)| *id).collect();
        let names: BTreeMap<i64, String> = enterprises::table
            .filter(enterprises::id.eq_any(ids))
            .select((enterprises::id, enterprises::name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        rows_with_names(top, &names)
    };
    let by_mediator = {
        let groups = grouped(
            &period,
            &cases,
            &consultations,
            |c| c.mediator_id,
            |c| Some(c.answered_by),
        );
        let mut lines: Vec<(i64, Figures)> = groups.into_iter().collect();
        lines.sort_by_key(|(id, f)| {
            (
                std::cmp::Reverse(f.petitions_received),
                std::cmp::Reverse(f.closed_in_period),
                *id,
            )
        });
        let ids: Vec<i64> = lines.iter().map(|(id, _)| *id).collect();
        let names: BTreeMap<i64, String> = users::table
            .filter(users::id.eq_any(ids))
            .select((users::id, users::display_name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        rows_with_names(lines, &names)
    };

    let by_month = match span {
        Span::Year(y) => {
            let mut months = Vec::with_capacity(12);
            for m in 1..=12 {
                let first = ymd(y, m);
                let p = period_of(ctx, first, next_month(first));
                let w = warning_figures(conn, ids, &p)?;
                months.push(MonthRow {
                    month: format!("{y:04}-{m:02}"),
                    figures: figures(&p, &cases, &consultations, w),
                });
            }
            Some(months)
        }
        _ => None,
    };
    let (unit_id, unit_name) = match root {
        Root::All => (None, None),
        Root::Unit { id, name, .. } => (Some(*id), Some(name.clone())),
    };
    Ok(Report {
        from,
        to,
        month: match span {
            Span::Month(first) => Some(format!("{:04}-{:02}", first.year(), first.month())),
            _ => None,
        },
        year: match span {
            Span::Year(y) => Some(y),
            _ => None,
        },
        unit_id,
        unit_name,
        summary_zh: by_month.as_ref().map(|_| summary_zh(&total)),
        figures: total,
        by_category,
        by_channel,
        by_unit,
        by_enterprise,
        by_mediator,
        by_month,
    })
}

fn rows_with_names(lines: Vec<(i64, Figures)>, names: &BTreeMap<i64, String>) -> Vec<Row> {
    lines
        .into_iter()
        .map(|(id, figures)| Row {
            key: Value::from(id),
            name: names.get(&id).cloned().unwrap_or_default(),
            figures,
        })
        .collect()
}
