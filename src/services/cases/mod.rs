//! Cases: intake, the list, the case page, edits and every action of the workflow. Each action is
//! one transaction: the case row (with its version bump), its event, and any session or payment
//! row commit together. The order of checks is the contract's: scope (404), role (403), status
//! (409), assignment (403), values (422).

mod actions;
mod edit;
mod intake;
mod list;

pub use actions::{act, add_note, ActionInput};
pub use edit::{update, CasePatch};
pub(crate) use intake::create_in;
pub use intake::{create, CaseInput};
pub use list::{list, CaseFilter};

use super::access;
use super::{Asker, Caller, Ctx, Page, Paging, Scope};
use crate::db::models::*;
use crate::db::schema::{
    case_events, case_notes, cases, enterprises, mediation_sessions, payments, units, users,
};
use crate::db::DbConn;
use crate::domain::case::{
    decide, transition, ActionKind, CaseFacts, CaseStatus, Command, WorkflowError,
};
use crate::domain::money::Fen;
use crate::domain::permission::case_actions;
use crate::domain::permission::Permission;
use crate::domain::phone::Phone;
use crate::domain::resident_id::ResidentId;
use crate::domain::role::Role;
use crate::domain::text::{check_required_text, check_text, LONG_TEXT_MAX, NAME_MAX};
use crate::domain::vocab::{Category, Channel, Referral, COLLECTIVE_THRESHOLD};
use crate::error::{AppError, AppResult, FieldErrors};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::time::parse_past_instant;
use crate::domain::workers::check_workers;

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
    /// What the caller may do to the case now (their role, their assignment, its status).
    pub actions: Vec<ActionKind>,
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

fn summary(
    ctx: &Ctx,
    today: NaiveDate,
    row: CaseRow,
    enterprise_name: String,
    phone: Shown,
) -> CaseSummary {
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
        applicant_phone: shown(phone, row.applicant_phone, Phone::mask_str),
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
    let (row, enterprise_name) = cases::table
        .inner_join(enterprises::table.on(enterprises::id.eq(cases::enterprise_id)))
        .filter(cases::id.eq(id))
        .select((CaseRow::as_select(), enterprises::name))
        .first(conn)?;
    view_of_row(conn, ctx, caller, row, enterprise_name)
}

/// What the case page shows besides the case row: the enterprise's name and the case's records.
pub(crate) struct CaseParts {
    pub enterprise_name: String,
    pub events: Vec<CaseEventRow>,
    pub sessions: Vec<SessionRow>,
    pub payments: Vec<PaymentRow>,
    pub notes: Vec<NoteRow>,
}

impl CaseParts {
    /// The records of the case in `row`, whose enterprise's name the caller has already read.
    /// What the row shows cannot exist is not asked for: sessions before mediation, payments
    /// while nothing is paid (each is more than 0, and `amount_paid` is their sum, written with
    /// them).
    fn load(conn: &mut DbConn, row: &CaseRow, enterprise_name: String) -> QueryResult<CaseParts> {
        let id = row.id;
        let no_sessions = row
            .status
            .parse::<CaseStatus>()
            .is_ok_and(CaseStatus::before_mediation);
        let no_payments = row.amount_paid == 0;
        crate::on_backend!(conn, |c| {
            Ok(CaseParts {
                enterprise_name,
                events: case_events::table
                    .filter(case_events::case_id.eq(id))
                    .order((case_events::at, case_events::id))
                    .select(CaseEventRow::as_select())
                    .load(c)?,
                sessions: match no_sessions {
                    true => Vec::new(),
                    false => mediation_sessions::table
                        .filter(mediation_sessions::case_id.eq(id))
                        .order((mediation_sessions::held_at, mediation_sessions::id))
                        .select(SessionRow::as_select())
                        .load(c)?,
                },
                payments: match no_payments {
                    true => Vec::new(),
                    false => payments::table
                        .filter(payments::case_id.eq(id))
                        .order((payments::paid_at, payments::id))
                        .select(PaymentRow::as_select())
                        .load(c)?,
                },
                notes: case_notes::table
                    .filter(case_notes::case_id.eq(id))
                    .order((case_notes::created_at, case_notes::id))
                    .select(NoteRow::as_select())
                    .load(c)?,
            })
        })
    }
}

/// Why a case is read: its page (and the answers of the JSON API), or a document printed for
/// signing, which carries the applicant's whole ID number for the case's own mediator too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Page,
    Print,
}

/// How one particular of the applicant is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shown {
    Hidden,
    Masked,
    Whole,
}

/// How `caller` sees the applicant's phone and ID number on this case (SPEC.md, Personal data):
/// the whole phone number to directors, admins and the case's own mediator, who must call the
/// applicant; the whole ID number to directors and admins, and to the case's own mediator on a
/// printed document; masked to everyone else; an officer sees neither.
fn sight(caller: &Caller, row: &CaseRow, purpose: Purpose) -> (Shown, Shown) {
    let own_mediator = caller.role == Role::Mediator && row.mediator_id == Some(caller.id);
    match caller.role {
        Role::Officer => (Shown::Hidden, Shown::Hidden),
        r if r.is_manager() => (Shown::Whole, Shown::Whole),
        _ if own_mediator && purpose == Purpose::Print => (Shown::Whole, Shown::Whole),
        _ if own_mediator => (Shown::Whole, Shown::Masked),
        _ => (Shown::Masked, Shown::Masked),
    }
}

/// How a list shows the applicant's phone: masked to everyone (a list is never a whole view),
/// and not at all to an officer.
fn list_sight(caller: &Caller) -> Shown {
    match caller.role {
        Role::Officer => Shown::Hidden,
        _ => Shown::Masked,
    }
}

/// A particular as `how` shows it.
fn shown(how: Shown, value: Option<String>, mask: fn(&str) -> String) -> Option<String> {
    match how {
        Shown::Hidden => None,
        Shown::Masked => value.as_deref().map(mask),
        Shown::Whole => value,
    }
}

/// The access-log actions of the whole values `caller` is about to see on this case.
fn whole_views(caller: &Caller, row: &CaseRow, purpose: Purpose) -> Vec<&'static str> {
    let (phone, id_number) = sight(caller, row, purpose);
    let mut views = Vec::new();
    if phone == Shown::Whole && row.applicant_phone.is_some() {
        views.push(access::VIEW_PHONE);
    }
    if id_number == Shown::Whole && row.applicant_id_number.is_some() {
        views.push(access::VIEW_ID_NUMBER);
    }
    views
}

/// Logs each whole value `caller` gets on this case's page, in the caller's transaction.
pub(crate) fn log_whole_views(
    conn: &mut DbConn,
    caller: &Caller,
    row: &CaseRow,
    now: NaiveDateTime,
) -> QueryResult<()> {
    record_views(
        conn,
        caller.id,
        row.id,
        &whole_views(caller, row, Purpose::Page),
        now,
    )
}

fn record_views(
    conn: &mut DbConn,
    user_id: i64,
    case_id: i64,
    views: &[&'static str],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for action in views {
        access::record(conn, user_id, action, "case", Some(case_id), now)?;
    }
    Ok(())
}

/// The case page of a row already loaded.
fn view_of_row(
    conn: &mut DbConn,
    ctx: &Ctx,
    caller: &Caller,
    row: CaseRow,
    enterprise_name: String,
) -> AppResult<CaseView> {
    log_whole_views(conn, caller, &row, ctx.now().naive_utc())?;
    let parts = CaseParts::load(conn, &row, enterprise_name)?;
    Ok(shape_view(ctx, caller, row, parts))
}

/// The case page as `caller` may see it: the applicant's phone and ID number as `sight` says.
pub(crate) fn shape_view(ctx: &Ctx, caller: &Caller, row: CaseRow, parts: CaseParts) -> CaseView {
    shape_view_for(ctx, caller, row, parts, Purpose::Page)
}

fn shape_view_for(
    ctx: &Ctx,
    caller: &Caller,
    row: CaseRow,
    parts: CaseParts,
    purpose: Purpose,
) -> CaseView {
    let (phone, id_number) = sight(caller, &row, purpose);
    let today = ctx.local_date(ctx.now());
    let (overdue, days_left) = clock_state(&row.status, row.deadline, today);
    let accept_late = row.status == CaseStatus::Received.as_str() && today > row.accept_by;
    let actions = row
        .status
        .parse()
        .map(|status| {
            case_actions(
                caller.role,
                caller.id,
                row.mediator_id,
                status,
                row.extended,
            )
        })
        .unwrap_or_default();
    let events = parts
        .events
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
    let sessions = parts
        .sessions
        .into_iter()
        .map(|s| SessionView {
            id: s.id,
            held_at: super::rfc3339(ctx, s.held_at),
            location: s.location,
            attendees: s.attendees,
            notes: s.notes,
        })
        .collect();
    let payments = parts
        .payments
        .into_iter()
        .map(|p| PaymentView {
            id: p.id,
            amount: Fen::from_fen(p.amount),
            paid_at: p.paid_at,
        })
        .collect();
    let notes = parts
        .notes
        .into_iter()
        .map(|n| NoteView {
            id: n.id,
            author_id: n.author_id,
            text: n.text,
            created_at: super::rfc3339(ctx, n.created_at),
        })
        .collect();
    CaseView {
        id: row.id,
        case_no: row.case_no,
        unit_id: row.unit_id,
        status: row.status,
        channel: row.channel,
        category: row.category,
        enterprise_id: row.enterprise_id,
        enterprise_name: parts.enterprise_name,
        applicant_name: row.applicant_name,
        applicant_phone: shown(phone, row.applicant_phone, Phone::mask_str),
        applicant_id_number: shown(id_number, row.applicant_id_number, ResidentId::mask_str),
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
        actions,
        events,
        sessions,
        payments,
        notes,
    }
}

/// Loads a case the caller may see, with its enterprise's name, in one query; 404 otherwise
/// (also for other enterprises' cases: no existence leak).
fn find_in_scope(conn: &mut DbConn, caller: &Caller, id: i64) -> AppResult<(CaseRow, String)> {
    let found: Option<(CaseRow, String, String)> = crate::on_backend!(conn, |c| {
        cases::table
            .inner_join(units::table.on(units::id.eq(cases::unit_id)))
            .inner_join(enterprises::table.on(enterprises::id.eq(cases::enterprise_id)))
            .filter(cases::id.eq(id))
            .select((CaseRow::as_select(), units::path, enterprises::name))
            .first(c)
            .optional()?
    });
    let visible = |row: &CaseRow, unit_path: &str| match caller.scope() {
        Scope::All => true,
        Scope::Enterprise(e) => row.enterprise_id == e,
        Scope::Units(prefix) => unit_path.starts_with(&prefix),
        Scope::Nothing => false,
    };
    match found {
        Some((row, unit_path, name)) if visible(&row, &unit_path) => Ok((row, name)),
        _ => Err(AppError::not_found("case")),
    }
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

fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Some(None),
        Some(v) => errors.take(field, check_required_text(v, max)).map(Some),
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

pub async fn get(ctx: &Ctx, asker: impl Into<Asker>, id: i64) -> AppResult<CaseView> {
    get_for(ctx, asker, id, Purpose::Page).await
}

/// The case as `get` reads it, for `purpose`: a printed document shows the case's own mediator
/// the whole ID number, and logs that view as a director's page does.
pub async fn get_for(
    ctx: &Ctx,
    asker: impl Into<Asker>,
    id: i64,
    purpose: Purpose,
) -> AppResult<CaseView> {
    let c = ctx.clone();
    let (caller, row, parts) = ctx
        .read_as(asker.into(), move |conn, caller| {
            caller.require(Permission::ReadCases)?;
            let (row, enterprise_name) = find_in_scope(conn, &caller, id)?;
            let parts = CaseParts::load(conn, &row, enterprise_name)?;
            Ok((caller, row, parts))
        })
        .await?;
    // A whole phone or ID number is shown only once its view is in the access log; a caller
    // who sees only masked values only reads.
    let views = whole_views(&caller, &row, purpose);
    if !views.is_empty() {
        let (user_id, case_id, now) = (caller.id, row.id, c.now().naive_utc());
        ctx.db
            .write(move |conn| {
                record_views(conn, user_id, case_id, &views, now).map_err(AppError::from)
            })
            .await?;
    }
    Ok(shape_view_for(&c, &caller, row, parts, purpose))
}
