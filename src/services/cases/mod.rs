//! Cases: intake, the list, the case page, edits and every action of the workflow. Each action is
//! one transaction: the case row (with its version bump), its event, and any session or payment
//! row commit together. The order of checks is the contract's: scope (404), role (403), status
//! (409), assignment (403), values (422).

mod actions;
mod agent;
mod applicants;
mod archive;
mod confirmation;
mod edit;
mod follow_ups;
mod intake;
mod list;
mod notes;
mod overdue;
mod parts;
mod query;
mod sight;
mod terms;
mod time_limits;
mod view;

pub use actions::{act, ActionInput};
pub use agent::{AgentInput, AgentView};
pub use applicants::{ApplicantInput, ApplicantView, APPLICANTS_MAX};
pub(crate) use archive::refuse_archived;
pub use archive::{archive, archive_many, ArchiveOutcome, ArchiveResults, ARCHIVE_MANY_MAX};
pub use confirmation::{
    apply as apply_confirmation, intend as intend_confirmation, rule as rule_confirmation,
    ApplicationInput, ConfirmationView, IntentInput, RulingInput,
};
pub(crate) use confirmation::{windows_closing, REMINDER_KIND as CONFIRMATION_REMINDER};
pub use edit::{update, CasePatch};
pub use follow_ups::{
    count_satisfaction, follow_up, offers, waive_follow_up, FollowUpInput, FollowUpView,
    FollowUpsAmong, Offers, SatisfactionCounts, WaiveInput,
};
pub(crate) use intake::create_in;
pub use intake::{create, CaseInput};
pub use list::{list, CaseFilter};
pub use notes::add_note;
pub use overdue::{desk_instalments, OverdueInstalment};
pub(crate) use overdue::{overdue_instalments, Narrowing, REMINDER_KIND};
pub(crate) use parts::CaseParts;
pub use query::CaseQuery;
pub(crate) use sight::log_whole_views;
pub use sight::Purpose;
use sight::{list_sight, record_views, whole_views};
pub(crate) use terms::single_instalment;
pub(crate) use terms::{fulfilments_on, performance_on};
pub use terms::{perform, PerformInput, TermInput, TermView, TERMS_MAX};
pub(crate) use view::{load_view, shape_view};
use view::{shape_view_for, summary};
pub use view::{CaseSummary, CaseView, EventView, NoteView, PaymentView, SessionView};

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
use crate::domain::fulfilment::Fulfilment;
use crate::domain::money::Fen;
use crate::domain::permission::case_actions;
use crate::domain::permission::Permission;
use crate::domain::phone::Phone;
use crate::domain::resident_id::ResidentId;
use crate::domain::role::Role;
use crate::domain::text::{check_required_text, check_text, LONG_TEXT_MAX, NAME_MAX};
use crate::domain::vocab::{Category, Channel, Referral, COLLECTIVE_THRESHOLD};
use crate::error::{AppError, AppResult, Code, FieldErrors, Problem};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::time::parse_past_instant;
use crate::domain::workers::check_workers;

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

/// The opening every change to one case shares, in the contract's order: the caller may read
/// cases (403), the case is in their scope (404), they hold `permission` (403), it is not
/// archived (409 `archived`). `change` then
/// runs in the same writing transaction, with the case's row as it was read.
async fn changing_case<T, F>(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    permission: Permission,
    change: F,
) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce(&mut DbConn, &Ctx, &Caller, CaseRow) -> AppResult<T> + Send + 'static,
{
    caller.require(Permission::ReadCases)?;
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .write(move |conn| {
            let (row, _) = find_in_scope(conn, &caller, id)?;
            caller.require(permission)?;
            // An archived case is read-only, whatever the change (409 `archived`).
            refuse_archived(conn, id)?;
            change(conn, &c, &caller, row)
        })
        .await
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
    T::Err: Into<Problem>,
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
            errors.add(field, Code::Required);
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
    T::Err: Into<Problem>,
{
    match value {
        Some(v) => errors.take(field, v.trim().parse::<T>()),
        None => {
            errors.add(field, Code::Required);
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
    let views = whole_views(&caller, &row, &parts.applicants, purpose);
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
