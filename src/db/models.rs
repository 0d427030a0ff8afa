//! Row structs: what the tables hold, apart from the domain types the services hand out.
//! `*Row` is read with `Selectable`; `New*` is inserted.

use super::schema::*;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = units)]
pub struct UnitRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    pub path: String,
    pub created_at: NaiveDateTime,
    pub arbitration_commission: Option<String>,
    pub arbitration_address: Option<String>,
    pub committee_name: Option<String>,
    pub committee_address: Option<String>,
    pub committee_phone: Option<String>,
    pub seal_text: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = units)]
pub struct NewUnit<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub parent_id: Option<i64>,
    pub path: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = enterprises)]
pub struct EnterpriseRow {
    pub id: i64,
    pub name: String,
    pub credit_code: Option<String>,
    pub unit_id: i64,
    pub industry: Option<String>,
    pub employee_count: Option<i64>,
    pub has_mediation_committee: bool,
    pub officer_id: Option<i64>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The respondent's particulars: 住所, 法定代表人 and a contact phone.
    pub address: Option<String>,
    pub legal_representative: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = enterprises)]
pub struct NewEnterprise<'a> {
    pub name: &'a str,
    pub credit_code: Option<&'a str>,
    pub unit_id: i64,
    pub industry: Option<&'a str>,
    pub employee_count: Option<i64>,
    pub has_mediation_committee: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub address: Option<&'a str>,
    pub legal_representative: Option<&'a str>,
    pub phone: Option<&'a str>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub password_hash: String,
    pub role: String,
    pub unit_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub active: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub daily_digest: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub email: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub unit_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = consultations)]
pub struct ConsultationRow {
    pub id: i64,
    pub unit_id: i64,
    pub received_at: NaiveDateTime,
    pub channel: String,
    pub topic: String,
    pub workers: i64,
    pub enterprise_id: Option<i64>,
    pub summary: String,
    pub answered_by: i64,
    pub case_id: Option<i64>,
    pub version: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = consultations)]
pub struct NewConsultation<'a> {
    pub unit_id: i64,
    pub received_at: NaiveDateTime,
    pub channel: &'a str,
    pub topic: &'a str,
    pub workers: i64,
    pub enterprise_id: Option<i64>,
    pub summary: &'a str,
    pub answered_by: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct CaseRow {
    pub id: i64,
    pub case_no: String,
    pub unit_id: i64,
    pub channel: String,
    pub category: String,
    pub enterprise_id: i64,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_id_number: Option<String>,
    pub workers_involved: i64,
    pub amount_claimed: i64,
    pub description: String,
    pub warning_id: Option<i64>,
    pub mediator_id: Option<i64>,
    pub coordinator_id: Option<i64>,
    pub status: String,
    pub received_at: NaiveDateTime,
    pub accept_by: NaiveDate,
    pub deadline: NaiveDate,
    pub extended: bool,
    pub outcome: Option<String>,
    pub referral: Option<String>,
    pub agreement_no: Option<String>,
    pub payment_due: Option<NaiveDate>,
    pub amount_agreed: Option<i64>,
    pub amount_paid: i64,
    pub closed_at: Option<NaiveDateTime>,
    pub last_event_at: NaiveDateTime,
    pub created_by: i64,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The judicial confirmation of a resolved case's agreement.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_confirmations)]
pub struct ConfirmationRow {
    pub case_id: i64,
    pub intended: bool,
    pub applied_on: Option<NaiveDate>,
    pub court: Option<String>,
    pub result: Option<String>,
    pub ruled_on: Option<NaiveDate>,
    pub ruling_no: Option<String>,
}

/// The days a case's arbitration limitation counts from.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_time_limits)]
pub struct TimeLimitRow {
    pub case_id: i64,
    pub rights_known_on: Option<NaiveDate>,
    pub employment_ended_on: Option<NaiveDate>,
}

/// The agent who attends for a case's respondent.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = case_agents)]
#[diesel(treat_none_as_null = true)]
pub struct AgentRow {
    pub case_id: i64,
    pub name: String,
    pub position: Option<String>,
    pub phone: Option<String>,
}

/// One applicant of a case (`position` 0 is the first, whom the case row names too).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_applicants)]
pub struct ApplicantRow {
    pub id: i64,
    pub case_id: i64,
    pub position: i64,
    pub name: String,
    pub sex: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub amount_claimed: Option<i64>,
    pub representative: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = case_applicants)]
pub struct NewApplicant<'a> {
    pub case_id: i64,
    pub position: i64,
    pub name: &'a str,
    pub sex: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub id_number: Option<&'a str>,
    pub address: Option<&'a str>,
    pub amount_claimed: Option<i64>,
    pub representative: bool,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = cases)]
pub struct NewCase {
    pub case_no: String,
    pub unit_id: i64,
    pub channel: String,
    pub category: String,
    pub enterprise_id: i64,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_id_number: Option<String>,
    pub workers_involved: i64,
    pub amount_claimed: i64,
    pub description: String,
    pub warning_id: Option<i64>,
    pub status: String,
    pub received_at: NaiveDateTime,
    pub accept_by: NaiveDate,
    pub deadline: NaiveDate,
    pub last_event_at: NaiveDateTime,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_events)]
pub struct CaseEventRow {
    pub id: i64,
    pub case_id: i64,
    pub actor_id: Option<i64>,
    pub at: NaiveDateTime,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: Option<String>,
    pub created_at: NaiveDateTime,
    /// Whom an assignment named as mediator.
    pub assignee_id: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = case_events)]
pub struct NewCaseEvent<'a> {
    pub case_id: i64,
    pub actor_id: Option<i64>,
    pub at: NaiveDateTime,
    pub action: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub note: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub assignee_id: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = mediation_sessions)]
pub struct SessionRow {
    pub id: i64,
    pub case_id: i64,
    pub held_at: NaiveDateTime,
    pub location: String,
    pub attendees: String,
    pub notes: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = mediation_sessions)]
pub struct NewSession<'a> {
    pub case_id: i64,
    pub held_at: NaiveDateTime,
    pub location: &'a str,
    pub attendees: &'a str,
    pub notes: &'a str,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payments)]
pub struct PaymentRow {
    pub id: i64,
    pub case_id: i64,
    pub amount: i64,
    pub paid_at: NaiveDate,
    pub recorded_by: i64,
    pub created_at: NaiveDateTime,
    pub term_id: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = payments)]
pub struct NewPayment {
    pub case_id: i64,
    pub amount: i64,
    pub paid_at: NaiveDate,
    pub recorded_by: i64,
    pub created_at: NaiveDateTime,
    pub term_id: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_terms)]
pub struct TermRow {
    pub id: i64,
    pub case_id: i64,
    pub position: i64,
    pub kind: String,
    pub amount: Option<i64>,
    pub text: Option<String>,
    pub due: Option<NaiveDate>,
    pub performed_at: Option<NaiveDateTime>,
    pub performed_by: Option<i64>,
    pub performed_note: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = case_terms)]
pub struct NewTerm<'a> {
    pub case_id: i64,
    pub position: i64,
    pub kind: &'a str,
    pub amount: Option<i64>,
    pub text: Option<&'a str>,
    pub due: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_notes)]
pub struct NoteRow {
    pub id: i64,
    pub case_id: i64,
    pub author_id: i64,
    pub text: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = case_notes)]
pub struct NewNote<'a> {
    pub case_id: i64,
    pub author_id: i64,
    pub text: &'a str,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = access_log)]
pub struct NewAccessLog<'a> {
    pub user_id: i64,
    pub at: NaiveDateTime,
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = admin_events)]
pub struct NewAdminEvent<'a> {
    pub actor_id: i64,
    pub at: NaiveDateTime,
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: i64,
    pub fields: &'a str,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = warnings)]
pub struct WarningRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub unit_id: i64,
    pub reported_by: i64,
    pub level: String,
    pub category: String,
    pub workers_at_risk: i64,
    pub amount_at_risk: Option<i64>,
    pub description: String,
    pub status: String,
    pub acknowledged_at: Option<NaiveDateTime>,
    pub acknowledged_by: Option<i64>,
    pub closed_at: Option<NaiveDateTime>,
    pub note: Option<String>,
    pub case_id: Option<i64>,
    pub respond_by: NaiveDateTime,
    pub reported_at: NaiveDateTime,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = warnings)]
pub struct NewWarning<'a> {
    pub enterprise_id: i64,
    pub unit_id: i64,
    pub reported_by: i64,
    pub level: &'a str,
    pub category: &'a str,
    pub workers_at_risk: i64,
    pub amount_at_risk: Option<i64>,
    pub description: &'a str,
    pub status: &'a str,
    pub respond_by: NaiveDateTime,
    pub reported_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: NaiveDateTime,
    pub lease_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub message_id: String,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    pub kind: String,
    pub case_id: Option<i64>,
    pub warning_id: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = notifications)]
pub struct NewNotification {
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: String,
    pub next_attempt_at: NaiveDateTime,
    pub message_id: String,
    pub created_at: NaiveDateTime,
    pub kind: String,
    pub case_id: Option<i64>,
    pub warning_id: Option<i64>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = evidence)]
pub struct EvidenceRow {
    pub id: i64,
    pub case_id: Option<i64>,
    pub warning_id: Option<i64>,
    pub status: String,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub provided_by: String,
    pub received_on: Option<NaiveDate>,
    pub internal: bool,
    pub uploaded_by: i64,
    pub uploaded_at: NaiveDateTime,
    pub removed_at: Option<NaiveDateTime>,
    pub removed_by: Option<i64>,
    pub removal_reason: Option<String>,
}

/// An upload as it begins: a staging row that owns the chunks written while the file streams
/// in; its particulars are set when it is kept.
#[derive(Debug, Insertable)]
#[diesel(table_name = evidence)]
pub struct NewEvidenceRow<'a> {
    pub case_id: Option<i64>,
    pub warning_id: Option<i64>,
    pub status: &'a str,
    pub title: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: i64,
    pub sha256: &'a str,
    pub provided_by: &'a str,
    pub internal: bool,
    pub uploaded_by: i64,
    pub uploaded_at: NaiveDateTime,
}

/// A follow-up (回访) of a closed case.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = case_follow_ups)]
pub struct FollowUpRow {
    pub id: i64,
    pub case_id: i64,
    pub done_on: NaiveDate,
    pub method: String,
    pub satisfaction: String,
    pub notes: Option<String>,
    pub by_user: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = case_follow_ups)]
pub struct NewFollowUpRow<'a> {
    pub case_id: i64,
    pub done_on: NaiveDate,
    pub method: &'a str,
    pub satisfaction: &'a str,
    pub notes: Option<&'a str>,
    pub by_user: i64,
    pub created_at: NaiveDateTime,
}

/// A case's waived follow-up and its archiving (either may be missing).
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = case_archives)]
pub struct ArchiveRow {
    pub case_id: i64,
    pub waived_reason: Option<String>,
    pub waived_by: Option<i64>,
    pub waived_at: Option<NaiveDateTime>,
    pub archive_no: Option<String>,
    pub archived_at: Option<NaiveDateTime>,
    pub archived_by: Option<i64>,
}
