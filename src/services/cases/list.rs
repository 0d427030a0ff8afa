//! The case list: filters, search, paging, newest first; personal data masked.
use super::*;
use crate::domain::permission::Permission;
use crate::error::Code;

#[derive(Debug, Default, Clone)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub category: Option<String>,
    pub channel: Option<String>,
    pub enterprise_id: Option<i64>,
    /// An enterprise by its exact name (or credit code) in the caller's area, as the pages pick
    /// it (`services::enterprise_names`); it takes the place of `enterprise_id`.
    pub enterprise: Option<String>,
    pub mediator_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub overdue: Option<bool>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub q: Option<String>,
    /// Open cases whose last workflow event is before the start of the local day this many
    /// days ago (stale cases).
    pub idle_days: Option<u32>,
    /// Cases due on or before this day: a received case by its acceptance deadline (`accept_by`),
    /// any other by its mediation deadline.
    pub due_by: Option<NaiveDate>,
    /// Closed cases closed before the start of the local day this many days ago with neither a
    /// follow-up (回访) nor its waiver (the desk's follow-up list).
    pub follow_up_due: Option<u32>,
    /// `deadline`: open cases only, nearest deadline first; otherwise newest received first.
    pub sort: Option<String>,
}

/// Above this many matches a newest-first list page walks the receipt-time index (SQLite).
const TIME_ORDER_ABOVE: i64 = 2_000;

pub async fn list(
    ctx: &Ctx,
    asker: impl Into<Asker>,
    filter: CaseFilter,
    paging: Paging,
) -> AppResult<Page<CaseSummary>> {
    let mut errors = FieldErrors::default();
    let status = parse_opt::<CaseStatus>(&mut errors, "status", filter.status.as_deref()).flatten();
    let category =
        parse_opt::<Category>(&mut errors, "category", filter.category.as_deref()).flatten();
    let channel = parse_opt::<Channel>(&mut errors, "channel", filter.channel.as_deref()).flatten();
    if let Some(q) = &filter.q {
        errors.take("q", check_text(q, NAME_MAX));
    }
    let by_deadline = match filter.sort.as_deref().map(str::trim) {
        None | Some("") | Some("received") => false,
        Some("deadline") => true,
        Some(_) => {
            errors.add("sort", Code::NotASort);
            false
        }
    };
    let today = ctx.local_date(ctx.now());
    // `to` is inclusive: the whole of that local day.
    let (from, to) = ctx.local_days(filter.from, filter.to);
    let idle_before = filter
        .idle_days
        .map(|d| ctx.local_midnight(today - chrono::Duration::days(i64::from(d))));
    let follow_up_before = filter
        .follow_up_due
        .map(|d| ctx.local_midnight(today - chrono::Duration::days(i64::from(d))));
    let pattern = filter
        .q
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(crate::db::containing);
    // A whole phone or ID number in `q` finds its cases through their keyed digests.
    let (phone_digests, id_digests) = match filter.q.as_deref() {
        Some(q) => crate::services::digests::matching(&ctx.settings.search_key, q),
        None => (vec![], vec![]),
    };
    let c = ctx.clone();
    ctx.read_as(asker.into(), move |conn, caller| {
        // The contract's order: who is asking (401, 403) before what they asked (422).
        caller.require(Permission::ReadCases)?;
        errors.finish()?;
        let mut filter = filter;
        if let Some(name) = filter.enterprise.as_deref() {
            let id =
                crate::services::enterprise_names::resolve_in(conn, &caller, "enterprise", name)?;
            filter.enterprise_id = Some(id);
        }
        let scope = caller.scope();
        let unit_prefix = match filter.unit_id {
            Some(u) => Some(
                crate::services::unit_path_in_scope(conn, &caller, u)?
                    .ok_or_else(|| AppError::field("unit_id", Code::NotInScope))?,
            ),
            None => None,
        };
        // The caller's units and the units asked for, as one list: SQLite counts a page's
        // matches six times faster against one IN list than against two.
        let scope_units = match &scope {
            Scope::Units(p) => Some(crate::services::units_under(conn, p)?),
            _ => None,
        };
        let filter_units = match &unit_prefix {
            Some(p) => Some(crate::services::units_under(conn, p)?),
            None => None,
        };
        let unit_ids: Option<Vec<i64>> = match (scope_units, filter_units) {
            (Some(mine), Some(asked)) => {
                Some(asked.into_iter().filter(|u| mine.contains(u)).collect())
            }
            (mine, asked) => asked.or(mine),
        };
        let open: Vec<&str> = CaseStatus::ALL
            .iter()
            .filter(|s| s.is_open())
            .map(|s| s.as_str())
            .collect();
        let name_matches: Option<Vec<i64>> = match &pattern {
            Some(p) => Some(
                enterprises::table
                    .filter(enterprises::name.like(p.clone()).escape('\\'))
                    .select(enterprises::id)
                    .load(conn)?,
            ),
            None => None,
        };
        let number_matches: Vec<i64> = match phone_digests.is_empty() && id_digests.is_empty() {
            true => vec![],
            false => {
                use crate::db::schema::case_digests as d;
                let mut found: Vec<i64> = d::table
                    .filter(
                        d::phone
                            .eq_any(&phone_digests)
                            .or(d::id_number.eq_any(&id_digests)),
                    )
                    .select(d::case_id)
                    .load(conn)?;
                // The applicants after the first, by their own digests.
                found.extend(super::applicants::cases_with_numbers(
                    conn,
                    &phone_digests,
                    &id_digests,
                )?);
                found
            }
        };
        // A case whose other applicants' names match.
        let applicant_matches: Vec<i64> = match &pattern {
            Some(p) => super::applicants::cases_named(conn, p)?,
            None => vec![],
        };
        // `in_time_order`: the unit filter written so that SQLite cannot use a unit index for
        // it (`unit_id + 0`), and walks the receipt-time index newest first instead, checking
        // the unit on each entry. SQLite cannot walk several IN ranges of the unit index in
        // time order, so it would sort every match: 60 ms for a street's 33,000 cases.
        let query = |in_time_order: bool| {
            let mut q = cases::table.into_boxed();
            match &scope {
                Scope::All | Scope::Units(_) => {}
                Scope::Enterprise(e) => q = q.filter(cases::enterprise_id.eq(*e)),
                Scope::Nothing => q = q.filter(cases::id.eq(-1)),
            }
            if let Some(ids) = &unit_ids {
                q = match in_time_order {
                    true => q.filter((cases::unit_id + 0).eq_any(ids.clone())),
                    false => q.filter(cases::unit_id.eq_any(ids.clone())),
                };
            }
            if let Some(s) = status {
                q = q.filter(cases::status.eq(s.as_str()));
            }
            if let Some(day) = filter.due_by {
                let received = CaseStatus::Received.as_str();
                q = q.filter(
                    cases::status
                        .eq(received)
                        .and(cases::accept_by.le(day))
                        .or(cases::status.ne(received).and(cases::deadline.le(day))),
                );
            }
            if let Some(before) = idle_before {
                q = q
                    .filter(cases::status.eq_any(open.clone()))
                    .filter(cases::last_event_at.lt(before));
            }
            if let Some(before) = follow_up_before {
                // A case_archives row is made only by a waiver or by archiving, which needs a
                // follow-up or a waiver: either way the follow-up is no longer due.
                use crate::db::schema::{case_archives as a, case_follow_ups as f};
                q = q
                    .filter(cases::status.ne_all(open.clone()))
                    .filter(cases::closed_at.lt(before))
                    .filter(cases::id.ne_all(f::table.select(f::case_id)))
                    .filter(cases::id.ne_all(a::table.select(a::case_id)));
            }
            // By deadline, open cases only: a closed case's deadline no longer matters.
            if by_deadline {
                q = q.filter(cases::status.eq_any(open.clone()));
            }
            if let Some(s) = category {
                q = q.filter(cases::category.eq(s.as_str()));
            }
            if let Some(s) = channel {
                q = q.filter(cases::channel.eq(s.as_str()));
            }
            if let Some(e) = filter.enterprise_id {
                q = q.filter(cases::enterprise_id.eq(e));
            }
            if let Some(m) = filter.mediator_id {
                q = q.filter(cases::mediator_id.eq(m));
            }
            match filter.overdue {
                Some(true) => {
                    q = q
                        .filter(cases::status.eq_any(open.clone()))
                        .filter(cases::deadline.lt(today))
                }
                Some(false) => {
                    q = q.filter(
                        cases::status
                            .ne_all(open.clone())
                            .or(cases::deadline.ge(today)),
                    )
                }
                None => {}
            }
            if let Some(f) = from {
                q = q.filter(cases::received_at.ge(f));
            }
            if let Some(t) = to {
                q = q.filter(cases::received_at.lt(t));
            }
            if let (Some(p), Some(ids)) = (&pattern, &name_matches) {
                q = q.filter(
                    cases::case_no
                        .like(p.clone())
                        .escape('\\')
                        .or(cases::applicant_name.like(p.clone()).escape('\\'))
                        .or(cases::enterprise_id.eq_any(ids.clone()))
                        .or(cases::id.eq_any(number_matches.clone()))
                        .or(cases::id.eq_any(applicant_matches.clone())),
                );
            }
            q
        };
        // A list narrowed by nothing but units and a status (every list's first page) reads its
        // total from the tallies the database keeps per unit and status.
        let tallied = matches!(scope, Scope::All | Scope::Units(_))
            && category.is_none()
            && channel.is_none()
            && filter.enterprise_id.is_none()
            && filter.mediator_id.is_none()
            && filter.overdue.is_none()
            && from.is_none()
            && to.is_none()
            && pattern.is_none()
            && idle_before.is_none()
            && follow_up_before.is_none()
            && filter.due_by.is_none()
            && !by_deadline;
        // Otherwise, counting a unit's cases of every status reads the narrow (status, unit)
        // index, one range per status, instead of the wide unit index: 2.6 ms → 1.0 ms for a
        // street's 33,000 cases. Every status the application writes is in the vocabulary.
        let every_status: Vec<&str> = CaseStatus::ALL.iter().map(|s| s.as_str()).collect();
        let total: i64 = match (tallied, status, &unit_ids) {
            (true, _, _) => tallied_total(conn, status, unit_ids.as_deref())?,
            (false, None, Some(_)) => query(false)
                .filter(cases::status.eq_any(every_status))
                .count()
                .get_result(conn)?,
            (false, _, _) => query(false).count().get_result(conn)?,
        };
        // Walking the time index pays when the matches are many (sorting them is the cost);
        // for a few, the unit index and a small sort are quicker.
        let in_time_order =
            !by_deadline && crate::db::sql::time_order_pays(conn) && total > TIME_ORDER_ABOVE;
        let ordered = match by_deadline {
            true => query(false).order((cases::deadline.asc(), cases::id.asc())),
            false => query(in_time_order).order((cases::received_at.desc(), cases::id.desc())),
        };
        let rows: Vec<CaseRow> = ordered
            .select(CaseRow::as_select())
            .offset(paging.offset())
            .limit(paging.per_page)
            .load(conn)?;
        let mut firm_ids: Vec<i64> = rows.iter().map(|r| r.enterprise_id).collect();
        firm_ids.sort_unstable();
        firm_ids.dedup();
        let names: std::collections::HashMap<i64, String> = enterprises::table
            .filter(enterprises::id.eq_any(firm_ids))
            .select((enterprises::id, enterprises::name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        let phone = list_sight(&caller);
        Ok(Page {
            items: rows
                .into_iter()
                .map(|r| {
                    let name = names.get(&r.enterprise_id).cloned().unwrap_or_default();
                    summary(&c, today, r, name, phone)
                })
                .collect(),
            total,
            page: paging.page,
            per_page: paging.per_page,
        })
    })
    .await
}

/// How many cases the units (all of them: `None`) have in `status` (any: `None`), from the
/// tallies the triggers keep (migration `case_tallies`): a few rows per unit, not one per case.
fn tallied_total(
    conn: &mut DbConn,
    status: Option<CaseStatus>,
    units: Option<&[i64]>,
) -> QueryResult<i64> {
    use crate::db::schema::case_tallies as t;
    let mut q = t::table.select(t::n).into_boxed();
    if let Some(s) = status {
        q = q.filter(t::status.eq(s.as_str()));
    }
    if let Some(ids) = units {
        q = q.filter(t::unit_id.eq_any(ids.to_vec()));
    }
    Ok(q.load::<i64>(conn)?.into_iter().sum())
}
