//! The follow-up (回访) of a closed case (issue 14): each call or visit with the applicant's
//! satisfaction, or the follow-up waived with a reason; what the case page offers after closing;
//! and the count of follow-ups by satisfaction the reports read (`count_satisfaction`). Each
//! record is one transaction with its case event and the case's version bump.

use super::*;
use crate::db::schema::{case_archives, case_follow_ups};
use crate::domain::follow_up::{AfterClosing, FollowUpMethod, Satisfaction};
use crate::domain::permission::{Grant, Permission};
use crate::domain::time::parse_day;

/// A follow-up as a case carries it.
#[derive(Debug, Clone, Serialize)]
pub struct FollowUpView {
    pub id: i64,
    pub on: NaiveDate,
    pub method: String,
    pub satisfaction: String,
    pub notes: Option<String>,
    pub by: i64,
    /// Who made it (their display name).
    pub by_name: Option<String>,
    pub created_at: String,
}

/// The body of `POST /cases/{id}/follow-ups`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    pub on: Option<String>,
    pub method: Option<String>,
    pub satisfaction: Option<String>,
    pub notes: Option<String>,
}

/// The body of `POST /cases/{id}/follow-ups/waive`.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaiveInput {
    pub reason: Option<String>,
}

/// The follow-ups of case `id`, in the order they were made.
pub(super) fn load(conn: &mut DbConn, id: i64) -> QueryResult<Vec<FollowUpRow>> {
    case_follow_ups::table
        .filter(case_follow_ups::case_id.eq(id))
        .order((case_follow_ups::done_on, case_follow_ups::id))
        .select(FollowUpRow::as_select())
        .load(conn)
}

/// The case's waiver and archiving, if either is on record.
pub(super) fn load_archive(conn: &mut DbConn, id: i64) -> QueryResult<Option<ArchiveRow>> {
    case_archives::table
        .find(id)
        .select(ArchiveRow::as_select())
        .first(conn)
        .optional()
}

/// Where the case in `row` stands after closing, from what the database holds.
pub(super) fn after_closing(conn: &mut DbConn, row: &CaseRow) -> AppResult<AfterClosing> {
    let status: CaseStatus = row
        .status
        .parse()
        .map_err(|_| AppError::InvalidTransition(Code::UnknownCaseStatus.into()))?;
    let follow_ups: i64 = case_follow_ups::table
        .filter(case_follow_ups::case_id.eq(row.id))
        .count()
        .get_result(conn)?;
    let archive = load_archive(conn, row.id)?;
    Ok(AfterClosing {
        status,
        follow_ups: usize::try_from(follow_ups).unwrap_or(usize::MAX),
        waived: archive.as_ref().is_some_and(|a| a.waived_at.is_some()),
        archived: archive.as_ref().is_some_and(|a| a.archive_no.is_some()),
    })
}

/// A refusal of the rules of `domain::follow_up`: `archived`, or another 409.
pub(super) fn refusal(code: Code) -> AppError {
    match code {
        Code::Archived => AppError::Archived,
        other => AppError::InvalidTransition(other.into()),
    }
}

/// The follow-ups shaped for the case view.
pub(super) fn shown(
    ctx: &Ctx,
    rows: Vec<FollowUpRow>,
    names: &std::collections::HashMap<i64, String>,
) -> Vec<FollowUpView> {
    rows.into_iter()
        .map(|f| FollowUpView {
            id: f.id,
            on: f.done_on,
            method: f.method,
            satisfaction: f.satisfaction,
            notes: f.notes,
            by: f.by_user,
            by_name: names.get(&f.by_user).cloned(),
            created_at: crate::services::rfc3339(ctx, f.created_at),
        })
        .collect()
}

/// Records a follow-up of a closed case: the director's, the admin's, or the case's mediator's.
pub async fn follow_up(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    input: FollowUpInput,
) -> AppResult<CaseView> {
    changing_case(
        ctx,
        caller,
        id,
        Permission::FollowUpCase,
        move |conn, c, caller, row| {
            after_closing(conn, &row)?
                .may_follow_up()
                .map_err(refusal)?;
            require_case_mediator(caller, &row)?;
            let today = c.local_date(c.now());
            let closed_on = row.closed_at.map(|t| c.local_date(utc(t)));
            let mut errors = FieldErrors::default();
            let on = match input.on.as_deref().map(str::trim) {
                None | Some("") => {
                    errors.add("on", Code::RequiredDate);
                    None
                }
                Some(v) => errors.take("on", parse_day(v, c.settings.tz)),
            };
            let on = on.filter(|d| match (*d > today, closed_on) {
                (true, _) => {
                    errors.add("on", Code::InTheFuture);
                    false
                }
                (false, Some(closed)) if *d < closed => {
                    errors.add("on", Code::BeforeClosing.with("day", closed));
                    false
                }
                _ => true,
            });
            let method = required::<FollowUpMethod>(&mut errors, "method", input.method.as_deref());
            let satisfaction = required::<Satisfaction>(
                &mut errors,
                "satisfaction",
                input.satisfaction.as_deref(),
            );
            let notes = optional_text(&mut errors, "notes", input.notes.as_deref(), LONG_TEXT_MAX);
            let (Some(on), Some(method), Some(satisfaction), Some(notes), true) =
                (on, method, satisfaction, notes, errors.is_empty())
            else {
                return Err(AppError::Validation(errors));
            };
            let now_n = c.now().naive_utc();
            diesel::insert_into(case_follow_ups::table)
                .values(NewFollowUpRow {
                    case_id: id,
                    done_on: on,
                    method: method.as_str(),
                    satisfaction: satisfaction.as_str(),
                    notes: notes.as_deref(),
                    by_user: caller.id,
                    created_at: now_n,
                })
                .execute(conn)?;
            // The follow-up itself is on the case (`follow_ups`); the timeline says it was made.
            record(conn, &row, caller.id, "follow_up", notes.as_deref(), now_n)?;
            load_view(conn, c, caller, id)
        },
    )
    .await
}

/// Waives a closed case's follow-up with the reason (none was made, and it was not waived yet).
pub async fn waive_follow_up(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    input: WaiveInput,
) -> AppResult<CaseView> {
    changing_case(
        ctx,
        caller,
        id,
        Permission::FollowUpCase,
        move |conn, c, caller, row| {
            after_closing(conn, &row)?.may_waive().map_err(refusal)?;
            require_case_mediator(caller, &row)?;
            let mut errors = FieldErrors::default();
            let reason = required_text(
                &mut errors,
                "reason",
                input.reason.as_deref(),
                LONG_TEXT_MAX,
            );
            let (Some(reason), true) = (reason, errors.is_empty()) else {
                return Err(AppError::Validation(errors));
            };
            let now_n = c.now().naive_utc();
            diesel::insert_into(case_archives::table)
                .values(ArchiveRow {
                    case_id: id,
                    waived_reason: Some(reason.clone()),
                    waived_by: Some(caller.id),
                    waived_at: Some(now_n),
                    archive_no: None,
                    archived_at: None,
                    archived_by: None,
                })
                .execute(conn)?;
            record(
                conn,
                &row,
                caller.id,
                "follow_up_waived",
                Some(&reason),
                now_n,
            )?;
            load_view(conn, c, caller, id)
        },
    )
    .await
}

/// A mediator follows up only the cases that are theirs (or nobody's).
fn require_case_mediator(caller: &Caller, row: &CaseRow) -> AppResult<()> {
    caller.require_that(match caller.role.grant(Permission::FollowUpCase) {
        Grant::Never => false,
        Grant::Always => true,
        Grant::Assigned => row.mediator_id.is_none_or(|m| m == caller.id),
    })
}

/// The case's event for a record after closing, and its version bump (409 if it moved).
pub(super) fn record(
    conn: &mut DbConn,
    row: &CaseRow,
    actor: i64,
    action: &str,
    note: Option<&str>,
    now: NaiveDateTime,
) -> AppResult<()> {
    let changed = diesel::update(
        cases::table
            .find(row.id)
            .filter(cases::version.eq(row.version)),
    )
    .set((
        cases::version.eq(row.version + 1),
        cases::updated_at.eq(now),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(AppError::VersionConflict);
    }
    insert_event(
        conn,
        NewCaseEvent {
            case_id: row.id,
            actor_id: Some(actor),
            at: now,
            action,
            from_status: Some(&row.status),
            to_status: Some(&row.status),
            note,
            created_at: now,
            assignee_id: None,
        },
    )?;
    Ok(())
}

/// What the case page offers after closing to its reader: a follow-up, its waiver, archiving.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Offers {
    pub follow_up: bool,
    pub waive: bool,
    pub archive: bool,
}

/// What `caller` may do to `case` after closing, by the same rules the services apply.
pub fn offers(caller: &Caller, case: &CaseView) -> Offers {
    let Ok(status) = case.status.parse::<CaseStatus>() else {
        return Offers::default();
    };
    let at = AfterClosing {
        status,
        follow_ups: case.follow_ups.len(),
        waived: case.follow_up_waived.is_some(),
        archived: case.archive_no.is_some(),
    };
    let theirs = match caller.role.grant(Permission::FollowUpCase) {
        Grant::Never => false,
        Grant::Always => true,
        Grant::Assigned => case.mediator_id.is_none_or(|m| m == caller.id),
    };
    Offers {
        follow_up: theirs && at.may_follow_up().is_ok(),
        waive: theirs && at.may_waive().is_ok(),
        archive: caller.may(Permission::ArchiveCase) && at.may_archive().is_ok(),
    }
}

/// The follow-ups a count is of.
#[derive(Debug, Clone)]
pub enum FollowUpsAmong {
    /// Those of these cases, whenever made.
    Cases(Vec<i64>),
    /// Those made from `from` to `until` (both included, local days), of the cases of the units
    /// whose path starts with `unit_path` (every unit: `None`).
    Period {
        from: NaiveDate,
        until: NaiveDate,
        unit_path: Option<String>,
    },
}

/// Follow-ups by the applicant's satisfaction (SPEC.md's "follow-up satisfaction").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SatisfactionCounts {
    pub satisfied: i64,
    pub basically_satisfied: i64,
    pub dissatisfied: i64,
}

/// Counts follow-ups by satisfaction (for the reports), inside the caller's transaction.
pub fn count_satisfaction(
    conn: &mut DbConn,
    among: &FollowUpsAmong,
) -> QueryResult<SatisfactionCounts> {
    let mut q = case_follow_ups::table
        .inner_join(cases::table.on(cases::id.eq(case_follow_ups::case_id)))
        .select(case_follow_ups::satisfaction)
        .into_boxed();
    match among {
        FollowUpsAmong::Cases(ids) => q = q.filter(case_follow_ups::case_id.eq_any(ids.clone())),
        FollowUpsAmong::Period {
            from,
            until,
            unit_path,
        } => {
            q = q
                .filter(case_follow_ups::done_on.ge(*from))
                .filter(case_follow_ups::done_on.le(*until));
            if let Some(p) = unit_path {
                let units = crate::services::units_under(conn, p)?;
                q = q.filter(cases::unit_id.eq_any(units));
            }
        }
    }
    let mut counts = SatisfactionCounts::default();
    for s in q.load::<String>(conn)? {
        match s.parse::<Satisfaction>() {
            Ok(Satisfaction::Satisfied) => counts.satisfied += 1,
            Ok(Satisfaction::BasicallySatisfied) => counts.basically_satisfied += 1,
            Ok(Satisfaction::Dissatisfied) => counts.dissatisfied += 1,
            Err(_) => {}
        }
    }
    Ok(counts)
}
