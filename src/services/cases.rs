//! Cases: intake, the list, the case page, edits and every action of the workflow. Each action is
//! one transaction: the case row (with its version bump), its event, and any session or payment
//! row commit together. The order of checks is the contract's: scope (404), role (403), status
//! (409), assignment (403), values (422).

use super::access;
use super::{Caller, Ctx, Page, Paging, Scope};
use crate::db::models::*;
use crate::db::schema::{
    case_events, case_notes, cases, enterprises, mediation_sessions, payments, units, users,
};
use crate::db::DbConn;
use crate::domain::case::{
    decide, needs_assignment, role_may, transition, ActionKind, CaseFacts, CaseStatus, Command,
    WorkflowError,
};
use crate::domain::money::Fen;
use crate::domain::phone::Phone;
use crate::domain::resident_id::ResidentId;
use crate::domain::role::Role;
use crate::domain::text::{check_required_text, check_text, LONG_TEXT_MAX, NAME_MAX};
use crate::domain::vocab::{Category, Channel, Referral, COLLECTIVE_THRESHOLD};
use crate::error::{AppError, AppResult, FieldErrors};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::consultations::{check_workers, parse_past_time};

/// A case as the list shows it: personal data masked for everyone.
#[derive(Debug, Serialize)]
pub struct CaseSummary {
    pub id: i64,
    pub case_no: String,
    pub unit_id: i64,
    pub status: String,
    pub channel: String,
    pub category: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub workers_involved: i64,
    pub collective: bool,
    pub amount_claimed: Fen,
    pub mediator_id: Option<i64>,
    pub received_at: String,
    pub accept_by: NaiveDate,
    pub deadline: NaiveDate,
    pub overdue: bool,
    pub days_left: Option<i64>,
    pub version: i64,
}

#[derive(Debug, Serialize)]
pub struct EventView {
    pub id: i64,
    pub at: String,
    pub actor_id: Option<i64>,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct SessionView {
    pub id: i64,
    pub held_at: String,
    pub location: String,
    pub attendees: String,
    pub notes: String,
}

#[derive(Debug, Serialize)]
pub struct PaymentView {
    pub id: i64,
    pub amount: Fen,
    pub paid_at: NaiveDate,
}

#[derive(Debug, Serialize)]
pub struct NoteView {
    pub id: i64,
    pub author_id: i64,
    pub text: String,
    pub created_at: String,
}

/// The case page: every field, the timeline, sessions, payments and notes.
#[derive(Debug, Serialize)]
pub struct CaseView {
    pub id: i64,
    pub case_no: String,
    pub unit_id: i64,
    pub status: String,
    pub channel: String,
    pub category: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_id_number: Option<String>,
    pub workers_involved: i64,
    pub collective: bool,
    pub amount_claimed: Fen,
    pub description: String,
    pub warning_id: Option<i64>,
    pub mediator_id: Option<i64>,
    pub coordinator_id: Option<i64>,
    pub received_at: String,
    pub accept_by: NaiveDate,
    pub accept_late: bool,
    pub deadline: NaiveDate,
    pub extended: bool,
    pub overdue: bool,
    pub days_left: Option<i64>,
    pub outcome: Option<String>,
    pub referral: Option<String>,
    pub agreement_no: Option<String>,
    pub payment_due: Option<NaiveDate>,
    pub amount_agreed: Option<Fen>,
    pub amount_paid: Fen,
    pub closed_at: Option<String>,
    pub version: i64,
    pub events: Vec<EventView>,
    pub sessions: Vec<SessionView>,
    pub payments: Vec<PaymentView>,
    pub notes: Vec<NoteView>,
}

/// Deadline state as of `today` (local): overdue and days left, for open cases only.
fn clock_state(status: &str, deadline: NaiveDate, today: NaiveDate) -> (bool, Option<i64>) {
    let open = status
        .parse::<CaseStatus>()
        .map(CaseStatus::is_open)
        .unwrap_or(false);
    if open {
        let left = (deadline - today).num_days();
        (left < 0, Some(left))
    } else {
        (false, None)
    }
}

fn summary(ctx: &Ctx, today: NaiveDate, row: CaseRow, enterprise_name: String) -> CaseSummary {
    let (overdue, days_left) = clock_state(&row.status, row.deadline, today);
    CaseSummary {
        id: row.id,
        case_no: row.case_no,
        unit_id: row.unit_id,
        status: row.status,
        channel: row.channel,
        category: row.category,
        enterprise_id: row.enterprise_id,
        enterprise_name,
        applicant_name: row.applicant_name,
        applicant_phone: row.applicant_phone.as_deref().map(Phone::mask_str),
        workers_involved: row.workers_involved,
        collective: row.workers_involved >= COLLECTIVE_THRESHOLD,
        amount_claimed: Fen::from_fen(row.amount_claimed),
        mediator_id: row.mediator_id,
        received_at: super::rfc3339(ctx, row.received_at),
        accept_by: row.accept_by,
        deadline: row.deadline,
        overdue,
        days_left,
        version: row.version,
    }
}

/// Loads the case page for `caller`, masking by role; a whole ID number shown is logged.
pub(crate) fn load_view(
    conn: &mut DbConn,
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
) -> AppResult<CaseView> {
    let row = cases::table
        .find(id)
        .select(CaseRow::as_select())
        .first(conn)?;
    view_of_row(conn, ctx, caller, row)
}

/// The case page of a row already loaded.
fn view_of_row(conn: &mut DbConn, ctx: &Ctx, caller: &Caller, row: CaseRow) -> AppResult<CaseView> {
    let id = row.id;
    let enterprise_name: String = enterprises::table
        .find(row.enterprise_id)
        .select(enterprises::name)
        .first(conn)?;
    let now = ctx.now();
    let today = ctx.local_date(now);
    let (overdue, days_left) = clock_state(&row.status, row.deadline, today);
    let accept_late = row.status == CaseStatus::Received.as_str() && today > row.accept_by;
    let full_id = caller.role.is_manager();
    if full_id && row.applicant_id_number.is_some() {
        access::record(
            conn,
            caller.id,
            access::VIEW_ID_NUMBER,
            "case",
            Some(row.id),
            now.naive_utc(),
        )?;
    }
    let officer = caller.role == Role::Officer;
    let events = case_events::table
        .filter(case_events::case_id.eq(id))
        .order((case_events::at, case_events::id))
        .select(CaseEventRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|e| EventView {
            id: e.id,
            at: super::rfc3339(ctx, e.at),
            actor_id: e.actor_id,
            action: e.action,
            from_status: e.from_status,
            to_status: e.to_status,
            note: e.note,
        })
        .collect();
    let sessions = mediation_sessions::table
        .filter(mediation_sessions::case_id.eq(id))
        .order((mediation_sessions::held_at, mediation_sessions::id))
        .select(SessionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|s| SessionView {
            id: s.id,
            held_at: super::rfc3339(ctx, s.held_at),
            location: s.location,
            attendees: s.attendees,
            notes: s.notes,
        })
        .collect();
    let payments = payments::table
        .filter(payments::case_id.eq(id))
        .order((payments::paid_at, payments::id))
        .select(PaymentRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|p| PaymentView {
            id: p.id,
            amount: Fen::from_fen(p.amount),
            paid_at: p.paid_at,
        })
        .collect();
    let notes = case_notes::table
        .filter(case_notes::case_id.eq(id))
        .order((case_notes::created_at, case_notes::id))
        .select(NoteRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|n| NoteView {
            id: n.id,
            author_id: n.author_id,
            text: n.text,
            created_at: super::rfc3339(ctx, n.created_at),
        })
        .collect();
    Ok(CaseView {
        id: row.id,
        case_no: row.case_no,
        unit_id: row.unit_id,
        status: row.status,
        channel: row.channel,
        category: row.category,
        enterprise_id: row.enterprise_id,
        enterprise_name,
        applicant_name: row.applicant_name,
        applicant_phone: match row.applicant_phone {
            Some(p) if officer => Some(Phone::mask_str(&p)),
            other => other,
        },
        applicant_id_number: match row.applicant_id_number {
            Some(n) if !full_id => Some(ResidentId::mask_str(&n)),
            other => other,
        },
        workers_involved: row.workers_involved,
        collective: row.workers_involved >= COLLECTIVE_THRESHOLD,
        amount_claimed: Fen::from_fen(row.amount_claimed),
        description: row.description,
        warning_id: row.warning_id,
        mediator_id: row.mediator_id,
        coordinator_id: row.coordinator_id,
        received_at: super::rfc3339(ctx, row.received_at),
        accept_by: row.accept_by,
        accept_late,
        deadline: row.deadline,
        extended: row.extended,
        overdue,
        days_left,
        outcome: row.outcome,
        referral: row.referral,
        agreement_no: row.agreement_no,
        payment_due: row.payment_due,
        amount_agreed: row.amount_agreed.map(Fen::from_fen),
        amount_paid: Fen::from_fen(row.amount_paid),
        closed_at: row.closed_at.map(|t| super::rfc3339(ctx, t)),
        version: row.version,
        events,
        sessions,
        payments,
        notes,
    })
}

/// Loads a case the caller may see, or 404 (also for other enterprises' cases: no existence leak).
fn find_in_scope(conn: &mut DbConn, caller: &Caller, id: i64) -> AppResult<CaseRow> {
    let row: Option<CaseRow> = cases::table
        .find(id)
        .select(CaseRow::as_select())
        .first(conn)
        .optional()?;
    let visible = match (&row, caller.scope()) {
        (None, _) => false,
        (Some(_), Scope::All) => true,
        (Some(r), Scope::Enterprise(e)) => r.enterprise_id == e,
        (Some(r), Scope::Units(_)) => super::unit_in_scope(conn, caller, r.unit_id)?,
        (Some(_), Scope::Nothing) => false,
    };
    match row {
        Some(r) if visible => Ok(r),
        _ => Err(AppError::not_found("case")),
    }
}

/// Viewers see no personal data: every case route answers them 403.
fn require_case_reader(caller: &Caller) -> AppResult<()> {
    caller.require(caller.role != Role::Viewer)
}

fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

fn insert_event(conn: &mut DbConn, event: NewCaseEvent) -> QueryResult<()> {
    diesel::insert_into(case_events::table)
        .values(event)
        .execute(conn)
        .map(|_| ())
}

/// Takes the next number for `year`: the counter row is updated under the write lock (SQLite) or
/// its row lock (PostgreSQL), so concurrent intakes never share a number.
fn next_case_no(conn: &mut DbConn, prefix: &str, year: i32) -> QueryResult<String> {
    use crate::db::schema::case_counters;
    let year = i64::from(year);
    let take = |conn: &mut DbConn| {
        diesel::update(case_counters::table.find(year))
            .set(case_counters::last.eq(case_counters::last + 1))
            .returning(case_counters::last)
            .get_result::<i64>(conn)
            .optional()
    };
    let n = match take(conn)? {
        Some(n) => n,
        None => {
            // The year's first case. Both backends accept ON CONFLICT DO NOTHING; the year is our
            // own integer, not client text.
            diesel::sql_query(format!(
                "INSERT INTO case_counters (year, last) VALUES ({year}, 0) \
                 ON CONFLICT (year) DO NOTHING"
            ))
            .execute(conn)?;
            take(conn)?.ok_or(diesel::result::Error::NotFound)?
        }
    };
    Ok(format!("{prefix}-{year}-{n:05}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseInput {
    pub received_at: String,
    pub channel: String,
    pub category: String,
    pub enterprise_id: i64,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_id_number: Option<String>,
    pub workers_involved: i64,
    pub amount_claimed: String,
    pub description: String,
    pub warning_id: Option<i64>,
    pub unit_id: Option<i64>,
}

fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Some(None),
        Some(v) => errors
            .take(field, check_text(v, max).map(|_| v.to_string()))
            .map(Some),
    }
}

fn parse_opt<T: std::str::FromStr>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
) -> Option<Option<T>>
where
    T::Err: std::fmt::Display,
{
    match value.map(str::trim) {
        None | Some("") => Some(None),
        Some(v) => errors.take(field, v.parse::<T>()).map(Some),
    }
}

/// Registers a petition. The receipt time starts the clocks.
pub async fn create(ctx: &Ctx, caller: &Caller, input: CaseInput) -> AppResult<CaseView> {
    caller.require_staff()?;
    let (who, c) = (caller.clone(), ctx.clone());
    let id = ctx
        .db
        .write(move |conn| create_in(conn, &c, &who, input))
        .await?;
    // The answer is read after the commit: writers queue on one lock (SQLite), so it is held for
    // the writes only. (A director's view of the whole ID number is logged by `get`.)
    get(ctx, caller, id).await
}

/// Checks an intake and inserts the case, its intake event and its access-log row on `conn`,
/// inside the caller's transaction (intake at the desk, or a warning's escalation). A `warning_id`
/// must name an open warning in the caller's scope; the warning is then linked to the new case
/// and marked escalated in the same transaction. Answers the new case's id.
pub(crate) fn create_in(
    conn: &mut DbConn,
    ctx: &Ctx,
    caller: &Caller,
    input: CaseInput,
) -> AppResult<i64> {
    let now = ctx.now();
    let mut errors = FieldErrors::default();
    let received = errors.take("received_at", parse_past_time(&input.received_at, now));
    let channel = errors.take("channel", input.channel.parse::<Channel>());
    let category = errors.take("category", input.category.parse::<Category>());
    let name = optional_text(
        &mut errors,
        "applicant_name",
        input.applicant_name.as_deref(),
        NAME_MAX,
    );
    if channel != Some(Channel::Warning) && name == Some(None) {
        errors.add("applicant_name", "is required");
    }
    let phone = parse_opt::<Phone>(
        &mut errors,
        "applicant_phone",
        input.applicant_phone.as_deref(),
    );
    let id_number = parse_opt::<ResidentId>(
        &mut errors,
        "applicant_id_number",
        input.applicant_id_number.as_deref(),
    );
    let workers = errors.take("workers_involved", check_workers(input.workers_involved));
    let amount = errors.take("amount_claimed", input.amount_claimed.parse::<Fen>());
    let description = errors.take(
        "description",
        check_required_text(&input.description, LONG_TEXT_MAX),
    );
    let warning = match input.warning_id {
        Some(w) => {
            let found = super::warnings::open_warning_for_case(conn, caller, w)?;
            if found.is_none() {
                errors.add(
                    "warning_id",
                    "no such open warning in your scope (a warning becomes one case)",
                );
            }
            found
        }
        None => None,
    };
    let unit_id = match input.unit_id.or(caller.unit_id) {
        Some(u) if super::unit_in_scope(conn, caller, u)? => Some(u),
        _ => {
            errors.add("unit_id", "no such unit in your scope");
            None
        }
    };
    let enterprise_exists: i64 = enterprises::table
        .find(input.enterprise_id)
        .count()
        .get_result(conn)?;
    if enterprise_exists == 0 {
        errors.add("enterprise_id", "no such enterprise");
    }
    let (
        Some(received),
        Some(channel),
        Some(category),
        Some(name),
        Some(phone),
        Some(id_number),
        Some(workers),
        Some(amount),
        Some(description),
        Some(unit_id),
        true,
    ) = (
        received,
        channel,
        category,
        name,
        phone,
        id_number,
        workers,
        amount,
        description,
        unit_id,
        errors.is_empty(),
    )
    else {
        return Err(AppError::Validation(errors));
    };
    let settings = &ctx.settings;
    let received_day = ctx.local_date(received);
    let year = chrono::Datelike::year(&received_day);
    let case_no = next_case_no(conn, &settings.config.case_no_prefix, year)?;
    let has_personal = phone.is_some() || id_number.is_some() || name.is_some();
    let now_n = now.naive_utc();
    let received_n = received.naive_utc();
    let id: i64 = diesel::insert_into(cases::table)
        .values(NewCase {
            case_no,
            unit_id,
            channel: channel.as_str().into(),
            category: category.as_str().into(),
            enterprise_id: input.enterprise_id,
            applicant_name: name,
            applicant_phone: phone.map(String::from),
            applicant_id_number: id_number.map(String::from),
            workers_involved: workers,
            amount_claimed: amount.fen(),
            description,
            warning_id: warning.as_ref().map(|w| w.id),
            status: CaseStatus::Received.as_str().into(),
            received_at: received_n,
            accept_by: settings.rules.accept_by(received_day, &settings.calendar),
            deadline: settings.rules.deadline(received_day, &settings.calendar),
            last_event_at: received_n,
            created_by: caller.id,
            created_at: now_n,
            updated_at: now_n,
        })
        .returning(cases::id)
        .get_result(conn)?;
    insert_event(
        conn,
        NewCaseEvent {
            case_id: id,
            actor_id: Some(caller.id),
            at: received_n,
            action: "intake",
            from_status: None,
            to_status: Some(CaseStatus::Received.as_str()),
            note: None,
            created_at: now_n,
        },
    )?;
    if has_personal {
        access::record(
            conn,
            caller.id,
            access::EDIT_PERSONAL_DATA,
            "case",
            Some(id),
            now_n,
        )?;
    }
    if let Some(w) = warning {
        super::warnings::link_escalated(conn, ctx, caller, &w, id)?;
    }
    Ok(id)
}

pub async fn get(ctx: &Ctx, caller: &Caller, id: i64) -> AppResult<CaseView> {
    require_case_reader(caller)?;
    let manager = caller.role.is_manager();
    let caller = caller.clone();
    let c = ctx.clone();
    let load = move |conn: &mut DbConn| {
        let row = find_in_scope(conn, &caller, id)?;
        view_of_row(conn, &c, &caller, row)
    };
    // Directors and admins see the whole ID number, and that view is written to the access log
    // in the same transaction; everyone else only reads.
    if manager {
        ctx.db.write(load).await
    } else {
        ctx.db.read(load).await
    }
}

#[derive(Debug, Default)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub category: Option<String>,
    pub channel: Option<String>,
    pub enterprise_id: Option<i64>,
    pub mediator_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub overdue: Option<bool>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub q: Option<String>,
}

pub async fn list(
    ctx: &Ctx,
    caller: &Caller,
    filter: CaseFilter,
    paging: Paging,
) -> AppResult<Page<CaseSummary>> {
    require_case_reader(caller)?;
    let mut errors = FieldErrors::default();
    let status = parse_opt::<CaseStatus>(&mut errors, "status", filter.status.as_deref()).flatten();
    let category =
        parse_opt::<Category>(&mut errors, "category", filter.category.as_deref()).flatten();
    let channel = parse_opt::<Channel>(&mut errors, "channel", filter.channel.as_deref()).flatten();
    if let Some(q) = &filter.q {
        errors.take("q", check_text(q, NAME_MAX));
    }
    errors.finish()?;
    let today = ctx.local_date(ctx.now());
    let from = filter.from.map(|d| ctx.local_midnight(d));
    let to = filter
        .to
        .map(|d| ctx.local_midnight(d + chrono::Duration::days(1)));
    let pattern = filter
        .q
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| format!("%{}%", t.replace(['%', '_'], "")));
    let scope = caller.scope();
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .read(move |conn| {
            let unit_prefix = match filter.unit_id {
                Some(u) => {
                    if !super::unit_in_scope(conn, &caller, u)? {
                        return Err(AppError::field("unit_id", "no such unit in your scope"));
                    }
                    Some(
                        units::table
                            .find(u)
                            .select(units::path)
                            .first::<String>(conn)?,
                    )
                }
                None => None,
            };
            let scope_units = match &scope {
                Scope::Units(p) => Some(super::units_under(conn, p)?),
                _ => None,
            };
            let filter_units = match &unit_prefix {
                Some(p) => Some(super::units_under(conn, p)?),
                None => None,
            };
            let open: Vec<&str> = CaseStatus::ALL
                .iter()
                .filter(|s| s.is_open())
                .map(|s| s.as_str())
                .collect();
            let name_matches: Option<Vec<i64>> = match &pattern {
                Some(p) => Some(
                    enterprises::table
                        .filter(enterprises::name.like(p.clone()))
                        .select(enterprises::id)
                        .load(conn)?,
                ),
                None => None,
            };
            let query = || {
                let mut q = cases::table.into_boxed();
                match &scope {
                    Scope::All => {}
                    Scope::Units(_) => {
                        q = q.filter(cases::unit_id.eq_any(scope_units.clone().unwrap_or_default()))
                    }
                    Scope::Enterprise(e) => q = q.filter(cases::enterprise_id.eq(*e)),
                    Scope::Nothing => q = q.filter(cases::id.eq(-1)),
                }
                if let Some(ids) = &filter_units {
                    q = q.filter(cases::unit_id.eq_any(ids.clone()));
                }
                if let Some(s) = status {
                    q = q.filter(cases::status.eq(s.as_str()));
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
                            .or(cases::applicant_name.like(p.clone()))
                            .or(cases::enterprise_id.eq_any(ids.clone())),
                    );
                }
                q
            };
            let total: i64 = query().count().get_result(conn)?;
            let rows: Vec<CaseRow> = query()
                .select(CaseRow::as_select())
                .order((cases::received_at.desc(), cases::id.desc()))
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
            Ok(Page {
                items: rows
                    .into_iter()
                    .map(|r| {
                        let name = names.get(&r.enterprise_id).cloned().unwrap_or_default();
                        summary(&c, today, r, name)
                    })
                    .collect(),
                total,
                page: paging.page,
                per_page: paging.per_page,
            })
        })
        .await
}

/// The body of any action; each action reads the fields it needs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub at: Option<String>,
    pub reason: Option<String>,
    pub mediator_id: Option<i64>,
    pub coordinator_id: Option<i64>,
    pub held_at: Option<String>,
    pub location: Option<String>,
    pub attendees: Option<String>,
    pub notes: Option<String>,
    pub days: Option<i64>,
    pub outcome: Option<String>,
    pub amount_agreed: Option<String>,
    pub agreement_no: Option<String>,
    pub payment_due: Option<String>,
    pub referral: Option<String>,
    pub note: Option<String>,
    pub amount: Option<String>,
    pub paid_at: Option<String>,
}

fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    match value {
        Some(v) => errors.take(field, check_required_text(v, max)),
        None => {
            errors.add(field, "is required");
            None
        }
    }
}

fn required<T: std::str::FromStr>(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
) -> Option<T>
where
    T::Err: std::fmt::Display,
{
    match value {
        Some(v) => errors.take(field, v.trim().parse::<T>()),
        None => {
            errors.add(field, "is required");
            None
        }
    }
}

/// The values of an action, checked; what the case row and the side rows get.
struct Parsed {
    command: Command,
    note: Option<String>,
    mediator_id: Option<i64>,
    coordinator_id: Option<i64>,
    session: Option<(NaiveDateTime, String, String, String)>,
    agreement_no: Option<String>,
    payment_due: Option<NaiveDate>,
    paid_at: Option<NaiveDate>,
}

fn check_assignee(
    conn: &mut DbConn,
    errors: &mut FieldErrors,
    row: &CaseRow,
    mediator_id: Option<i64>,
    coordinator_id: Option<i64>,
) -> AppResult<(Option<i64>, Option<i64>)> {
    let mediator = match mediator_id {
        None => {
            errors.add("mediator_id", "is required");
            None
        }
        Some(m) => {
            let user: Option<(String, bool, Option<String>)> = users::table
                .left_join(units::table.on(users::unit_id.eq(units::id.nullable())))
                .filter(users::id.eq(m))
                .select((users::role, users::active, units::path.nullable()))
                .first(conn)
                .optional()?;
            let case_path: String = units::table
                .find(row.unit_id)
                .select(units::path)
                .first(conn)?;
            let ok = match user {
                Some((role, true, Some(path))) => {
                    role.parse::<Role>().is_ok_and(Role::can_mediate)
                        && case_path.starts_with(&path)
                }
                _ => false,
            };
            if !ok {
                errors.add(
                    "mediator_id",
                    "must be an active mediator or director of the case's unit",
                );
            }
            Some(m)
        }
    };
    let coordinator = match coordinator_id {
        Some(c) => {
            let user: Option<(String, bool, Option<i64>)> = users::table
                .find(c)
                .select((users::role, users::active, users::enterprise_id))
                .first(conn)
                .optional()?;
            let ok = matches!(user, Some((role, true, Some(e))) if role == Role::Officer.as_str() && e == row.enterprise_id);
            if !ok {
                errors.add(
                    "coordinator_id",
                    "must be an active officer of the case's enterprise",
                );
            }
            Some(c)
        }
        // By default the enterprise's designated early-warning officer.
        None => enterprises::table
            .find(row.enterprise_id)
            .select(enterprises::officer_id)
            .first::<Option<i64>>(conn)?,
    };
    Ok((mediator, coordinator))
}

fn parse_action(
    conn: &mut DbConn,
    ctx: &Ctx,
    row: &CaseRow,
    kind: ActionKind,
    input: &ActionInput,
    now: DateTime<Utc>,
    errors: &mut FieldErrors,
) -> AppResult<Option<Parsed>> {
    let mut parsed = Parsed {
        command: Command::Note,
        note: None,
        mediator_id: None,
        coordinator_id: None,
        session: None,
        agreement_no: None,
        payment_due: None,
        paid_at: None,
    };
    let past_date = |errors: &mut FieldErrors, field: &str, v: Option<&str>| -> Option<NaiveDate> {
        let d: NaiveDate = required(errors, field, v)?;
        if d > ctx.local_date(now) {
            errors.add(field, "must not be in the future");
            return None;
        }
        Some(d)
    };
    let command = match kind {
        ActionKind::Accept => Some(Command::Accept),
        ActionKind::Reject => {
            parsed.note = required_text(errors, "reason", input.reason.as_deref(), LONG_TEXT_MAX);
            Some(Command::Reject)
        }
        ActionKind::Assign => {
            let (m, c) =
                check_assignee(conn, errors, row, input.mediator_id, input.coordinator_id)?;
            parsed.mediator_id = m;
            parsed.coordinator_id = c;
            Some(Command::Assign)
        }
        ActionKind::Session => {
            let held = match input.held_at.as_deref() {
                Some(h) => errors.take("held_at", parse_past_time(h, now)),
                None => {
                    errors.add("held_at", "is required");
                    None
                }
            };
            let location = required_text(errors, "location", input.location.as_deref(), NAME_MAX);
            let attendees = required_text(
                errors,
                "attendees",
                input.attendees.as_deref(),
                LONG_TEXT_MAX,
            );
            let notes = optional_text(errors, "notes", input.notes.as_deref(), LONG_TEXT_MAX);
            if let (Some(h), Some(l), Some(a), Some(n)) = (held, location, attendees, notes) {
                parsed.session = Some((h.naive_utc(), l, a, n.unwrap_or_default()));
            }
            Some(Command::Session)
        }
        ActionKind::Extend => {
            parsed.note = required_text(errors, "reason", input.reason.as_deref(), LONG_TEXT_MAX);
            match input.days {
                Some(d) => Some(Command::Extend {
                    days: u32::try_from(d).unwrap_or(0),
                }),
                None => {
                    errors.add("days", "is required");
                    None
                }
            }
        }
        ActionKind::Close => match input.outcome.as_deref() {
            Some("agreement") => {
                let amount: Option<Fen> =
                    required(errors, "amount_agreed", input.amount_agreed.as_deref());
                parsed.agreement_no = optional_text(
                    errors,
                    "agreement_no",
                    input.agreement_no.as_deref(),
                    NAME_MAX,
                )
                .flatten();
                parsed.payment_due =
                    parse_opt::<NaiveDate>(errors, "payment_due", input.payment_due.as_deref())
                        .flatten();
                parsed.note =
                    optional_text(errors, "note", input.note.as_deref(), LONG_TEXT_MAX).flatten();
                amount.map(|amount_agreed| Command::CloseAgreement { amount_agreed })
            }
            Some("failed") => {
                let referral: Option<Referral> =
                    required(errors, "referral", input.referral.as_deref());
                parsed.note = required_text(errors, "note", input.note.as_deref(), LONG_TEXT_MAX);
                referral.map(|referral| Command::CloseFailed { referral })
            }
            _ => {
                errors.add("outcome", "must be agreement or failed");
                None
            }
        },
        ActionKind::Withdraw => {
            parsed.note = required_text(errors, "note", input.note.as_deref(), LONG_TEXT_MAX);
            Some(Command::Withdraw)
        }
        ActionKind::Payment => {
            let amount: Option<Fen> = required(errors, "amount", input.amount.as_deref());
            if amount == Some(Fen::ZERO) {
                errors.add("amount", "must be more than 0");
            }
            parsed.paid_at = past_date(errors, "paid_at", input.paid_at.as_deref());
            amount.map(|amount| Command::Payment { amount })
        }
        ActionKind::Note | ActionKind::Edit => None,
    };
    match command {
        Some(c) if errors.is_empty() => {
            parsed.command = c;
            Ok(Some(parsed))
        }
        _ => Ok(None),
    }
}

fn workflow_error(e: WorkflowError) -> AppError {
    match e.field() {
        Some(field) => AppError::field(field, e.to_string()),
        None => AppError::InvalidTransition(e.to_string()),
    }
}

/// Takes a workflow action on a case.
pub async fn act(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    kind: ActionKind,
    input: ActionInput,
) -> AppResult<CaseView> {
    require_case_reader(caller)?;
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .write(move |conn| {
            let row = find_in_scope(conn, &caller, id)?;
            caller.require(role_may(caller.role, kind))?;
            let status: CaseStatus = row.status.parse().map_err(|_| {
                AppError::InvalidTransition("the case has an unknown status".into())
            })?;
            transition(status, kind, row.extended).map_err(workflow_error)?;
            // A case with a mediator is theirs to act on; an unassigned accepted case (before
            // assignment, e.g. withdrawn at once) is any mediator's in scope.
            let assigned_elsewhere = row.mediator_id.is_some_and(|m| m != caller.id);
            caller.require(!(needs_assignment(caller.role, kind) && assigned_elsewhere))?;

            let now = c.now();
            let mut errors = FieldErrors::default();
            let at = match input.at.as_deref() {
                Some(a) => errors.take(
                    "at",
                    chrono::DateTime::parse_from_rfc3339(a.trim())
                        .map(|t| chrono::SubsecRound::trunc_subsecs(t.with_timezone(&Utc), 6))
                        .map_err(|_| "must be an RFC 3339 time with offset"),
                ),
                None => Some(now),
            };
            let parsed = parse_action(conn, &c, &row, kind, &input, now, &mut errors)?;
            let (Some(at), Some(parsed)) = (at, parsed) else {
                return Err(AppError::Validation(errors));
            };
            let facts = CaseFacts {
                status,
                extended: row.extended,
                deadline: row.deadline,
                amount_agreed: row.amount_agreed.map(Fen::from_fen),
                amount_paid: Fen::from_fen(row.amount_paid),
                last_event_at: utc(row.last_event_at),
            };
            let settings = &c.settings;
            let decision = decide(
                &facts,
                &parsed.command,
                at,
                c.local_date(at),
                now,
                &settings.rules,
                &settings.calendar,
            )
            .map_err(workflow_error)?;

            let at_n = at.naive_utc();
            let now_n = now.naive_utc();
            let mut mediator_id = row.mediator_id;
            let mut coordinator_id = row.coordinator_id;
            let mut outcome = row.outcome.clone();
            let mut referral = row.referral.clone();
            let mut amount_agreed = row.amount_agreed;
            let mut event_action = kind.as_str();
            let mut note = parsed.note.clone();
            match &parsed.command {
                Command::Assign => {
                    if status == CaseStatus::Mediating {
                        event_action = "reassign";
                    }
                    mediator_id = parsed.mediator_id;
                    coordinator_id = parsed.coordinator_id;
                }
                Command::Extend { days } => {
                    note = Some(format!(
                        "+{days}: {}",
                        parsed.note.clone().unwrap_or_default()
                    ));
                }
                Command::CloseAgreement { amount_agreed: a } => {
                    outcome = Some("agreement".into());
                    amount_agreed = Some(a.fen());
                }
                Command::CloseFailed { referral: r } => {
                    outcome = Some("failed".into());
                    referral = Some(r.as_str().into());
                }
                Command::Payment { amount } => {
                    note = Some(amount.to_string());
                    diesel::insert_into(payments::table)
                        .values(NewPayment {
                            case_id: id,
                            amount: amount.fen(),
                            paid_at: parsed.paid_at.unwrap_or_else(|| c.local_date(at)),
                            recorded_by: caller.id,
                            created_at: now_n,
                        })
                        .execute(conn)?;
                }
                Command::Session => {
                    if let Some((held_at, location, attendees, notes)) = &parsed.session {
                        diesel::insert_into(mediation_sessions::table)
                            .values(NewSession {
                                case_id: id,
                                held_at: *held_at,
                                location,
                                attendees,
                                notes,
                                created_by: caller.id,
                                created_at: now_n,
                            })
                            .execute(conn)?;
                    }
                }
                _ => {}
            }
            let changed =
                diesel::update(cases::table.find(id).filter(cases::version.eq(row.version)))
                    .set((
                        cases::status.eq(decision.to.as_str()),
                        cases::deadline.eq(decision.deadline.unwrap_or(row.deadline)),
                        cases::extended.eq(row.extended || kind == ActionKind::Extend),
                        cases::mediator_id.eq(mediator_id),
                        cases::coordinator_id.eq(coordinator_id),
                        cases::outcome.eq(outcome),
                        cases::referral.eq(referral),
                        cases::amount_agreed.eq(amount_agreed),
                        cases::agreement_no
                            .eq(parsed.agreement_no.clone().or(row.agreement_no.clone())),
                        cases::payment_due.eq(parsed.payment_due.or(row.payment_due)),
                        cases::amount_paid
                            .eq(decision.amount_paid.map_or(row.amount_paid, Fen::fen)),
                        cases::closed_at.eq(if decision.closes {
                            Some(at_n)
                        } else {
                            row.closed_at
                        }),
                        cases::last_event_at.eq(at_n),
                        cases::version.eq(row.version + 1),
                        cases::updated_at.eq(now_n),
                    ))
                    .execute(conn)?;
            if changed == 0 {
                return Err(AppError::VersionConflict);
            }
            if kind == ActionKind::Assign {
                crate::notify::outbox::case_assigned(conn, &c, id)?;
            }
            insert_event(
                conn,
                NewCaseEvent {
                    case_id: id,
                    actor_id: Some(caller.id),
                    at: at_n,
                    action: event_action,
                    from_status: Some(status.as_str()),
                    to_status: Some(decision.to.as_str()),
                    note: note.as_deref(),
                    created_at: now_n,
                },
            )?;
            load_view(conn, &c, &caller, id)
        })
        .await
}

/// Adds a note (staff, or the officer of the case's enterprise); it changes nothing else.
pub async fn add_note(ctx: &Ctx, caller: &Caller, id: i64, text: String) -> AppResult<CaseView> {
    require_case_reader(caller)?;
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .write(move |conn| {
            let row = find_in_scope(conn, &caller, id)?;
            caller.require(role_may(caller.role, ActionKind::Note))?;
            let text = check_required_text(&text, LONG_TEXT_MAX)
                .map_err(|e| AppError::field("text", e.to_string()))?;
            let now_n = c.now().naive_utc();
            diesel::insert_into(case_notes::table)
                .values(NewNote {
                    case_id: row.id,
                    author_id: caller.id,
                    text: &text,
                    created_at: now_n,
                })
                .execute(conn)?;
            load_view(conn, &c, &caller, id)
        })
        .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasePatch {
    pub version: i64,
    pub description: Option<String>,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_id_number: Option<String>,
    pub workers_involved: Option<i64>,
    pub amount_claimed: Option<String>,
    pub category: Option<String>,
}

/// Edits the case's facts (not its status); stale versions are refused.
pub async fn update(ctx: &Ctx, caller: &Caller, id: i64, patch: CasePatch) -> AppResult<CaseView> {
    require_case_reader(caller)?;
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .write(move |conn| {
            let row = find_in_scope(conn, &caller, id)?;
            caller.require(role_may(caller.role, ActionKind::Edit))?;
            let mut errors = FieldErrors::default();
            let description = patch
                .description
                .as_deref()
                .map(|d| errors.take("description", check_required_text(d, LONG_TEXT_MAX)));
            let name = patch
                .applicant_name
                .as_deref()
                .map(|n| optional_text(&mut errors, "applicant_name", Some(n), NAME_MAX));
            let phone = patch
                .applicant_phone
                .as_deref()
                .map(|p| parse_opt::<Phone>(&mut errors, "applicant_phone", Some(p)));
            let id_number = patch
                .applicant_id_number
                .as_deref()
                .map(|p| parse_opt::<ResidentId>(&mut errors, "applicant_id_number", Some(p)));
            let workers = patch
                .workers_involved
                .map(|w| errors.take("workers_involved", check_workers(w)));
            let amount = patch
                .amount_claimed
                .as_deref()
                .map(|a| errors.take("amount_claimed", a.parse::<Fen>()));
            let category = patch
                .category
                .as_deref()
                .map(|s| errors.take("category", s.parse::<Category>()));
            if name == Some(Some(None)) && row.channel != Channel::Warning.as_str() {
                errors.add("applicant_name", "is required");
            }
            errors.finish()?;
            if patch.version != row.version {
                return Err(AppError::VersionConflict);
            }
            let mut changed_fields = Vec::new();
            let mut mark = |present: bool, field: &'static str| {
                if present {
                    changed_fields.push(field);
                }
            };
            mark(description.is_some(), "description");
            mark(name.is_some(), "applicant_name");
            mark(phone.is_some(), "applicant_phone");
            mark(id_number.is_some(), "applicant_id_number");
            mark(workers.is_some(), "workers_involved");
            mark(amount.is_some(), "amount_claimed");
            mark(category.is_some(), "category");
            let personal = name.is_some() || phone.is_some() || id_number.is_some();
            let now_n = c.now().naive_utc();
            let updated =
                diesel::update(cases::table.find(id).filter(cases::version.eq(row.version)))
                    .set((
                        cases::description.eq(description.flatten().unwrap_or(row.description)),
                        cases::applicant_name.eq(name.flatten().unwrap_or(row.applicant_name)),
                        cases::applicant_phone.eq(phone
                            .flatten()
                            .map_or(row.applicant_phone, |p| p.map(String::from))),
                        cases::applicant_id_number.eq(id_number
                            .flatten()
                            .map_or(row.applicant_id_number, |n| n.map(String::from))),
                        cases::workers_involved
                            .eq(workers.flatten().unwrap_or(row.workers_involved)),
                        cases::amount_claimed
                            .eq(amount.flatten().map_or(row.amount_claimed, Fen::fen)),
                        cases::category.eq(category
                            .flatten()
                            .map_or(row.category, |c| c.as_str().to_string())),
                        cases::version.eq(row.version + 1),
                        cases::updated_at.eq(now_n),
                    ))
                    .execute(conn)?;
            if updated == 0 {
                return Err(AppError::VersionConflict);
            }
            // The timeline keeps the edit's time; `at` of a later action is checked against
            // the last workflow event, not against edits, so it is left alone here.
            insert_event(
                conn,
                NewCaseEvent {
                    case_id: id,
                    actor_id: Some(caller.id),
                    at: now_n.max(row.last_event_at),
                    action: "edit",
                    from_status: None,
                    to_status: None,
                    note: Some(&changed_fields.join(", ")),
                    created_at: now_n,
                },
            )?;
            if personal {
                access::record(
                    conn,
                    caller.id,
                    access::EDIT_PERSONAL_DATA,
                    "case",
                    Some(id),
                    now_n,
                )?;
            }
            load_view(conn, &c, &caller, id)
        })
        .await
}
