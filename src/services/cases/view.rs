//! The case as its pages show it: the list's summary, the case page (`CaseView`) with its
//! timeline, sessions, payments and notes, and their shaping from the rows as the caller's sight
//! (`sight`) allows.

use super::sight::{shown, sight, Shown};
use super::*;
use crate::services::rfc3339;

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
    /// Awaiting acceptance with `accept_by` today or past.
    pub accept_due: bool,
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
    /// Who did it (their display name).
    pub actor_name: Option<String>,
    /// Whom an assignment named as mediator, and their display name.
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
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
    /// The instalment it was recorded against; null: allocated by the rule of
    /// `domain::fulfilment`.
    pub term_id: Option<i64>,
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
    pub mediator_name: Option<String>,
    pub coordinator_id: Option<i64>,
    pub coordinator_name: Option<String>,
    pub received_at: String,
    pub accept_by: NaiveDate,
    pub accept_late: bool,
    /// The acceptance deadline is today or past and the case is still awaiting acceptance.
    pub accept_due: bool,
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
    /// Every applicant, the first as `applicant_*` names them, masked as they are.
    pub applicants: Vec<super::ApplicantView>,
    /// The agreement's terms with their states (empty unless it closed with an agreement).
    pub terms: Vec<super::TermView>,
    /// How the agreement stands today; null unless the case closed with an agreement.
    pub fulfilment: Option<Fulfilment>,
    /// The agent who attends for the respondent, the phone shown as the applicants' are.
    pub respondent_agent: Option<super::AgentView>,
    /// The days the arbitration limitation counts from, as recorded.
    pub rights_known_on: Option<NaiveDate>,
    pub employment_ended_on: Option<NaiveDate>,
    /// Where the limitation stands (`not_limited|unknown|interrupted|running|expired`) and its
    /// last day (null but when running or expired).
    pub limitation_status: &'static str,
    pub limitation_ends: Option<NaiveDate>,
    /// A resolved case's last day to apply for judicial confirmation, and what is on record of it.
    pub confirmation_window_ends: Option<NaiveDate>,
    pub confirmation: Option<super::ConfirmationView>,
    /// The follow-ups (回访) made after closing, oldest first.
    pub follow_ups: Vec<super::FollowUpView>,
    /// Why the follow-up was waived, if it was.
    pub follow_up_waived: Option<String>,
    /// When the case was archived and its archive number (null until then); an archived case
    /// offers no actions.
    pub archived_at: Option<String>,
    pub archive_no: Option<String>,
}

/// Deadline state as of `today` (local): overdue and days left, for open cases only.
pub(super) fn clock_state(
    status: &str,
    deadline: NaiveDate,
    today: NaiveDate,
) -> (bool, Option<i64>) {
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

pub(super) fn summary(
    ctx: &Ctx,
    today: NaiveDate,
    row: CaseRow,
    enterprise_name: String,
    phone: Shown,
) -> CaseSummary {
    let (overdue, days_left) = clock_state(&row.status, row.deadline, today);
    let accept_due = row.status == CaseStatus::Received.as_str() && today >= row.accept_by;
    CaseSummary {
        accept_due,
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
        received_at: rfc3339(ctx, row.received_at),
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

/// The case page of a row already loaded.
pub(super) fn view_of_row(
    conn: &mut DbConn,
    ctx: &Ctx,
    caller: &Caller,
    row: CaseRow,
    enterprise_name: String,
) -> AppResult<CaseView> {
    let parts = CaseParts::load(conn, &row, enterprise_name)?;
    log_whole_views(conn, caller, &row, &parts.applicants, ctx.now().naive_utc())?;
    Ok(shape_view(ctx, caller, row, parts))
}

/// The case page as `caller` may see it: the applicant's phone and ID number as `sight` says.
pub(crate) fn shape_view(ctx: &Ctx, caller: &Caller, row: CaseRow, parts: CaseParts) -> CaseView {
    shape_view_for(ctx, caller, row, parts, Purpose::Page)
}

pub(super) fn shape_view_for(
    ctx: &Ctx,
    caller: &Caller,
    row: CaseRow,
    parts: CaseParts,
    purpose: Purpose,
) -> CaseView {
    let (phone, id_number) = sight(caller, &row, purpose);
    let applicants = super::applicants::shown_to(&row, parts.applicants, phone, id_number);
    let respondent_agent = super::agent::shown_to(parts.agent, phone);
    let limitation = super::time_limits::limitation_of(ctx, &row, parts.time_limits.as_ref());
    let confirmation_window_ends = super::confirmation::window_of(ctx, &row);
    let days = parts.time_limits.as_ref();
    let today = ctx.local_date(ctx.now());
    let (overdue, days_left) = clock_state(&row.status, row.deadline, today);
    let awaiting = row.status == CaseStatus::Received.as_str();
    let accept_late = awaiting && today > row.accept_by;
    let name = |id: Option<i64>| id.and_then(|i| parts.names.get(&i).cloned());
    let archive = parts.archive;
    let archived = archive.as_ref().is_some_and(|a| a.archive_no.is_some());
    let follow_ups = super::follow_ups::shown(ctx, parts.follow_ups, &parts.names);
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
    let actions = match archived {
        true => Vec::new(),
        false => actions,
    };
    let events = parts
        .events
        .into_iter()
        .map(|e| EventView {
            id: e.id,
            at: rfc3339(ctx, e.at),
            actor_id: e.actor_id,
            actor_name: name(e.actor_id),
            assignee_id: e.assignee_id,
            assignee_name: name(e.assignee_id),
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
            held_at: rfc3339(ctx, s.held_at),
            location: s.location,
            attendees: s.attendees,
            notes: s.notes,
        })
        .collect();
    let (terms, fulfilment) = super::terms::shown(ctx, &row, parts.terms, &parts.payments);
    let payments = parts
        .payments
        .into_iter()
        .map(|p| PaymentView {
            id: p.id,
            amount: Fen::from_fen(p.amount),
            paid_at: p.paid_at,
            term_id: p.term_id,
        })
        .collect();
    let notes = parts
        .notes
        .into_iter()
        .map(|n| NoteView {
            id: n.id,
            author_id: n.author_id,
            text: n.text,
            created_at: rfc3339(ctx, n.created_at),
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
        mediator_name: name(row.mediator_id),
        coordinator_id: row.coordinator_id,
        coordinator_name: name(row.coordinator_id),
        received_at: rfc3339(ctx, row.received_at),
        accept_by: row.accept_by,
        accept_late,
        accept_due: awaiting && today >= row.accept_by,
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
        closed_at: row.closed_at.map(|t| rfc3339(ctx, t)),
        version: row.version,
        actions,
        events,
        sessions,
        payments,
        notes,
        applicants,
        terms,
        fulfilment,
        respondent_agent,
        rights_known_on: days.and_then(|d| d.rights_known_on),
        employment_ended_on: days.and_then(|d| d.employment_ended_on),
        limitation_status: limitation.as_str(),
        limitation_ends: limitation.ends(),
        confirmation_window_ends,
        confirmation: parts.confirmation.map(Into::into),
        follow_ups,
        follow_up_waived: archive.as_ref().and_then(|a| a.waived_reason.clone()),
        archived_at: archive
            .as_ref()
            .and_then(|a| a.archived_at)
            .map(|t| rfc3339(ctx, t)),
        archive_no: archive.and_then(|a| a.archive_no),
    }
}
