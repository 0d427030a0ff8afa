//! What a case's page shows besides the case row: its enterprise's name, timeline, sessions,
//! payments, notes and applicants, and the names of the people it names.

use super::*;
use std::collections::HashMap;

/// What the case page shows besides the case row: the enterprise's name and the case's records.
pub(crate) struct CaseParts {
    pub enterprise_name: String,
    pub events: Vec<CaseEventRow>,
    pub sessions: Vec<SessionRow>,
    pub payments: Vec<PaymentRow>,
    pub notes: Vec<NoteRow>,
    pub applicants: Vec<ApplicantRow>,
    /// The agreement's terms, in order (none unless it closed with an agreement).
    pub terms: Vec<crate::db::models::TermRow>,
    /// The agent who attends for the respondent, if one is recorded.
    pub agent: Option<AgentRow>,
    /// The days its arbitration limitation counts from, if any is on record.
    pub time_limits: Option<TimeLimitRow>,
    /// Its agreement's judicial confirmation, if any is on record.
    pub confirmation: Option<ConfirmationRow>,
    /// The follow-ups made after closing, and its waiver and archiving (closed cases only).
    pub follow_ups: Vec<FollowUpRow>,
    pub archive: Option<ArchiveRow>,
    /// The display names of the people the page names: mediator, coordinator, actors, assignees.
    pub names: HashMap<i64, String>,
}

/// The display names of the people a case's page names (its mediator and coordinator, who did
/// each thing on its timeline and whom each assignment named).
pub(crate) fn people_named(
    conn: &mut DbConn,
    row: &CaseRow,
    events: &[CaseEventRow],
) -> QueryResult<HashMap<i64, String>> {
    let mut ids: Vec<i64> = [row.mediator_id, row.coordinator_id]
        .into_iter()
        .chain(events.iter().flat_map(|e| [e.actor_id, e.assignee_id]))
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect())
}

impl CaseParts {
    /// The records of the case in `row`, whose enterprise's name the caller has already read.
    /// What the row shows cannot exist is not asked for: sessions before mediation, payments
    /// while nothing is paid (each is more than 0, and `amount_paid` is their sum, written with
    /// them).
    pub(super) fn load(
        conn: &mut DbConn,
        row: &CaseRow,
        enterprise_name: String,
    ) -> QueryResult<CaseParts> {
        let id = row.id;
        let no_sessions = row
            .status
            .parse::<CaseStatus>()
            .is_ok_and(CaseStatus::before_mediation);
        let no_payments = row.amount_paid == 0;
        let mut parts = crate::on_backend!(conn, |c| {
            Ok::<_, diesel::result::Error>(CaseParts {
                names: HashMap::new(),
                applicants: Vec::new(),
                terms: Vec::new(),
                agent: None,
                time_limits: None,
                confirmation: None,
                follow_ups: Vec::new(),
                archive: None,
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
        })?;
        parts.names = people_named(conn, row, &parts.events)?;
        parts.applicants = super::applicants::load(conn, id)?;
        if row.outcome.as_deref() == Some("agreement") {
            parts.terms = super::terms::load(conn, id)?;
        }
        parts.agent = super::agent::load(conn, id)?;
        parts.time_limits = super::time_limits::load(conn, id)?;
        parts.confirmation = super::confirmation::load(conn, id)?;
        let closed = row.status.parse::<CaseStatus>().is_ok_and(|s| !s.is_open());
        if closed {
            parts.follow_ups = super::follow_ups::load(conn, id)?;
            parts.archive = super::follow_ups::load_archive(conn, id)?;
        }
        Ok(parts)
    }
}
