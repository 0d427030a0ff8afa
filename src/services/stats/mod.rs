//! Statistics and the monthly and yearly reports: who may read them, which units they cover, and
//! the loading of facts for `domain::stats` to fold.
//!
//! The cases that matter to a period (received before its end and not closed before its start:
//! every petition, closing and backlog case of the period) and its consultations are streamed from
//! indexed queries (`db::stats::facts`) into one fold (`domain::stats::Fold`), which fills the totals, the
//! twelve months of a year and every breakdown in a single pass. Months and days are local dates
//! (chrono in the configured zone), so no time-zone SQL differs between SQLite and PostgreSQL. Only non-personal columns are read: the
//! statistics carry no names, phone or ID numbers, so reading or exporting them writes nothing to
//! the access log.

mod breakdowns;
mod span;

// Kept at their old paths for the command line's and the tests' callers.
pub use crate::db::stats::rollup;
pub use crate::domain::stats::TOP_ENTERPRISES;
pub use span::Span;

use super::{Caller, Ctx, Scope};
use crate::db::schema::units;
use crate::db::stats::facts;
use crate::db::DbConn;
use crate::domain::permission::Permission;
use crate::domain::stats::{summary_zh, Figures, Fold, Period, WarningFigures};
use crate::error::{AppError, AppResult, Code};
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde::Serialize;
use serde_json::Value;

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
    pub(crate) fn for_caller(
        conn: &mut DbConn,
        caller: &Caller,
        unit_id: Option<i64>,
    ) -> AppResult<Root> {
        let not_in_scope = || AppError::field("unit_id", Code::NotInScope);
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
    caller.require(Permission::ReadReports)?;
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

/// The warning figures of a period: reported (report time in the period), escalated and defused
/// (closing time in the period, in that status), each by level, for warnings of the units given
/// (every unit when `None`). A period's warnings are few, so they are loaded and counted here.
fn warning_figures(
    conn: &mut DbConn,
    unit_ids: Option<&[i64]>,
    period: &Period,
) -> QueryResult<WarningFigures> {
    use crate::db::schema::warnings;
    let mut q = warnings::table
        .filter(
            warnings::reported_at
                .ge(period.from)
                .and(warnings::reported_at.lt(period.to))
                .or(warnings::closed_at
                    .ge(period.from)
                    .and(warnings::closed_at.lt(period.to))),
        )
        .select((
            warnings::level,
            warnings::status,
            warnings::reported_at,
            warnings::closed_at,
        ))
        .into_boxed();
    if let Some(ids) = unit_ids {
        q = q.filter(warnings::unit_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<(
        String,
        String,
        chrono::NaiveDateTime,
        Option<chrono::NaiveDateTime>,
    )> = q.load(conn)?;
    let within = |t: chrono::NaiveDateTime| t >= period.from && t < period.to;
    let mut figures = WarningFigures::default();
    for (level, status, reported_at, closed_at) in rows {
        let bump = |counts: &mut crate::domain::stats::LevelCounts| {
            counts.total += 1;
            match level.as_str() {
                "yellow" => counts.yellow += 1,
                "orange" => counts.orange += 1,
                "red" => counts.red += 1,
                _ => {}
            }
        };
        if within(reported_at) {
            bump(&mut figures.reported);
        }
        if closed_at.is_some_and(within) {
            match status.as_str() {
                "escalated" => bump(&mut figures.escalated),
                "defused" => bump(&mut figures.defused),
                _ => {}
            }
        }
    }
    Ok(figures)
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

/// Folds the facts of `period` into `fold`, in slices of time so that no single answer is large
/// (PostgreSQL hands a query's rows over all at once). When the pool has a second connection idle,
/// the first half of the slices is read on it in another thread while this one reads the rest, and
/// the two folds merge: a year over a million cases is mostly the time spent decoding rows, and the
/// two halves use two cores.
/// How the agreements reached in `period` (the cases of the units `ids` resolved in it) stood on
/// its last day, or today while it runs: (fully performed, overdue).
fn agreements_performance(
    conn: &mut DbConn,
    ctx: &Ctx,
    ids: Option<&[i64]>,
    period: &Period,
) -> QueryResult<(i64, i64)> {
    use crate::db::schema::cases;
    let mut q = cases::table
        .filter(cases::status.eq(crate::domain::case::CaseStatus::Resolved.as_str()))
        .filter(cases::closed_at.ge(period.from))
        .filter(cases::closed_at.lt(period.to))
        .select(cases::id)
        .into_boxed();
    if let Some(ids) = ids {
        q = q.filter(cases::unit_id.eq_any(ids.to_vec()));
    }
    let resolved: Vec<i64> = q.load(conn)?;
    let as_of = period.last_day.min(ctx.local_date(ctx.now()));
    crate::services::cases::performance_on(conn, ctx, &resolved, as_of)
}

/// The follow-ups made from `from` to `last_day` of the cases of `root`'s units, by satisfaction.
fn follow_ups(
    conn: &mut DbConn,
    root: &Root,
    from: NaiveDate,
    last_day: NaiveDate,
) -> QueryResult<crate::domain::stats::Satisfaction> {
    use crate::services::cases::{count_satisfaction, FollowUpsAmong};
    let among = FollowUpsAmong::Period {
        from,
        until: last_day,
        unit_path: match root {
            Root::All => None,
            Root::Unit { path, .. } => Some(path.clone()),
        },
    };
    let c = count_satisfaction(conn, &among)?;
    Ok(crate::domain::stats::Satisfaction {
        satisfied: c.satisfied,
        basically_satisfied: c.basically_satisfied,
        dissatisfied: c.dissatisfied,
    })
}

fn fold_period(
    conn: &mut DbConn,
    ctx: &Ctx,
    ids: Option<&[i64]>,
    period: &Period,
    fold: &mut Fold,
) -> QueryResult<()> {
    use facts::Cases;
    // A backend that streams rows as they are stepped needs only one slice per thread.
    let count = match crate::db::sql::streams_rows(conn) {
        true => 2,
        false => PG_SLICES,
    };
    let slices = slices(
        period.from,
        period.to.min(ctx.now().naive_utc()),
        period.to,
        count,
    );
    let fold_slices = |conn: &mut DbConn, slices: &[Slice], fold: &mut Fold| {
        for &(from, to) in slices {
            facts::fold_cases(conn, ctx.settings.tz, ids, Cases::Received(from, to), fold)?;
            facts::fold_consultations(conn, ids, (from, to), fold)?;
        }
        Ok::<_, diesel::result::Error>(())
    };
    facts::fold_cases(conn, ctx.settings.tz, ids, Cases::OpenAt(period.from), fold)?;
    let Some(mut other) = ctx.db.spare() else {
        return fold_slices(conn, &slices, fold);
    };
    let (first_half, second_half) = slices.split_at(slices.len() / 2);
    let mut first = fold.empty_like();
    std::thread::scope(|s| {
        let half = s.spawn(|| fold_slices(&mut other, first_half, &mut first));
        fold_slices(conn, second_half, fold)?;
        half.join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })?;
    fold.merge(first);
    Ok(())
}

type Slice = (chrono::NaiveDateTime, chrono::NaiveDateTime);

/// How many slices of time a period is read in on PostgreSQL, whose answers arrive whole: a
/// sixteenth of a year of a million cases is some 60,000 rows.
const PG_SLICES: i32 = 16;

/// [from, to) cut into `count` slices, equal up to `busy_until` (records stop at the present, so
/// a year not over yet is cut by the time it has had), the rest in the last one.
fn slices(
    from: chrono::NaiveDateTime,
    busy_until: chrono::NaiveDateTime,
    to: chrono::NaiveDateTime,
    count: i32,
) -> Vec<Slice> {
    let step = (busy_until.max(from) - from) / count;
    let mut cuts: Vec<chrono::NaiveDateTime> = (0..count).map(|i| from + step * i).collect();
    cuts.push(to);
    cuts.dedup();
    cuts.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Computes the report of `span` for `root` (no caller checks: the command line uses it too).
pub fn compute(conn: &mut DbConn, ctx: &Ctx, root: &Root, span: Span) -> QueryResult<Report> {
    compute_with(conn, ctx, root, span, true)
}

/// `compute` from the cases and consultations themselves, never from PostgreSQL's roll-up: what
/// the tests hold the roll-up's reports to.
#[doc(hidden)]
pub fn compute_from_records(
    conn: &mut DbConn,
    ctx: &Ctx,
    root: &Root,
    span: Span,
) -> QueryResult<Report> {
    compute_with(conn, ctx, root, span, false)
}

/// The months [first, end) that `span` is made of, as the roll-up numbers them; `None` when it
/// begins or ends within a month.
fn whole_months(span: Span) -> Option<(i32, i32)> {
    let (from, to) = span.bounds();
    (from.day() == 1 && to.day() == 1)
        .then(|| (rollup::month_number(from), rollup::month_number(to)))
}

fn compute_with(
    conn: &mut DbConn,
    ctx: &Ctx,
    root: &Root,
    span: Span,
    rollup_allowed: bool,
) -> QueryResult<Report> {
    let (from, to) = span.bounds();
    let period = period_of(ctx, from, to);
    // The units of the report (the subtree's prefix match, as `units_under`), with their names
    // and paths for `by_unit`.
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
        Root::Unit { .. } => Some(all_units.iter().map(|u| u.0).collect()),
    };
    let ids = unit_ids.as_deref();
    let months: Vec<Period> = match span {
        Span::Year(y) => (1..=12)
            .map(|m| {
                let first = span::ymd(y, m);
                period_of(ctx, first, span::next_month(first))
            })
            .collect(),
        _ => Vec::new(),
    };
    let lines = breakdowns::unit_lines(root, &all_units);
    let mut fold = Fold::new(period, months.clone(), lines.clone());
    match whole_months(span) {
        Some(months) if rollup_allowed && rollup::usable(conn, ctx.settings.tz.name())? => {
            rollup::fold(conn, ctx.settings.tz, ids, months, &mut fold)?
        }
        _ => fold_period(conn, ctx, ids, &period, &mut fold)?,
    }
    let mut total = fold.total.figures(warning_figures(conn, ids, &period)?);
    (total.agreements_performed, total.agreements_overdue) =
        agreements_performance(conn, ctx, ids, &period)?;
    total.follow_ups = follow_ups(conn, root, from, period.last_day)?;
    let by_month = match span {
        Span::Year(y) => {
            let mut rows = Vec::with_capacity(12);
            for (m, (p, tally)) in months.iter().zip(&fold.by_month).enumerate() {
                rows.push(MonthRow {
                    month: format!("{y:04}-{:02}", m + 1),
                    figures: tally.figures(warning_figures(conn, ids, p)?),
                });
            }
            Some(rows)
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
        by_category: breakdowns::by_category(&fold),
        by_channel: breakdowns::by_channel(&fold),
        by_unit: breakdowns::by_unit(&fold, &lines, &all_units),
        by_enterprise: breakdowns::by_enterprise(conn, &fold)?,
        by_mediator: breakdowns::by_mediator(conn, &fold)?,
        by_month,
    })
}

#[cfg(test)]
mod tests {
    use super::slices;
    use chrono::{NaiveDate, NaiveDateTime};

    fn at(m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, m, d)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default()
    }

    #[test]
    fn slices_cover_the_period_without_gaps_and_cut_a_year_by_the_time_it_has_had() {
        let (from, to) = (
            at(1, 1),
            NaiveDate::from_ymd_opt(2027, 1, 1)
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .unwrap_or_default(),
        );
        let cut = slices(from, at(7, 1), to, 2);
        assert_eq!(cut.len(), 2);
        assert_eq!(cut[0].0, from);
        assert_eq!(cut[0].1, cut[1].0);
        assert_eq!(cut[1].1, to);
        // Half of the 181 days up to 1 July, not half of the year.
        assert_eq!(cut[0].1, from + (at(7, 1) - from) / 2);
        let sixteen = slices(from, to, to, 16);
        assert_eq!(sixteen.len(), 16);
        assert!(sixteen
            .windows(2)
            .all(|w| w[0].1 == w[1].0 && w[0].0 < w[0].1));
        assert_eq!((sixteen[0].0, sixteen[15].1), (from, to));
    }

    #[test]
    fn a_period_not_begun_is_one_slice() {
        assert_eq!(
            slices(at(7, 1), at(3, 1), at(8, 1), 2),
            vec![(at(7, 1), at(8, 1))]
        );
    }
}
