//! What staff do with a warning: acknowledge it, defuse it with a note, or escalate it into a
//! case (through the intake, in one transaction).

use super::*;
use crate::error::Code;

/// The checks every action shares, in the contract's order: scope 404, role 403, status 409.
fn check_action(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
    action: WarningAction,
) -> AppResult<(WarningRow, WarningStatus)> {
    let row = find_or_404(conn, caller, id)?;
    caller.require(Permission::HandleWarnings)?;
    let status: WarningStatus = row
        .status
        .parse()
        .map_err(|_| AppError::InvalidTransition(Code::UnknownWarningStatus.into()))?;
    let to = transition(status, action).map_err(|e| AppError::InvalidTransition(e.into()))?;
    Ok((row, to))
}

/// Acknowledges a warning, or defuses it with a note.
pub async fn act(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    action: WarningAction,
    note: Option<String>,
) -> AppResult<WarningView> {
    caller.require(Permission::ReadWarnings)?;
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .write(move |conn| {
            let (row, to) = check_action(conn, &caller, id, action)?;
            let note = match (action, note.as_deref()) {
                (WarningAction::Defuse, None) => {
                    return Err(AppError::field("note", Code::Required))
                }
                (_, None) => None,
                (_, Some(n)) => Some(
                    check_required_text(n, LONG_TEXT_MAX)
                        .map_err(|e| AppError::field("note", e))?,
                ),
            };
            let now_n = c.now().naive_utc();
            let acknowledging = action == WarningAction::Acknowledge;
            let changed = diesel::update(
                warnings::table
                    .find(id)
                    .filter(warnings::version.eq(row.version)),
            )
            .set((
                warnings::status.eq(to.as_str()),
                warnings::acknowledged_at
                    .eq(row.acknowledged_at.or(acknowledging.then_some(now_n))),
                warnings::acknowledged_by
                    .eq(row.acknowledged_by.or(acknowledging.then_some(caller.id))),
                warnings::closed_at.eq(if to.is_open() {
                    row.closed_at
                } else {
                    Some(now_n)
                }),
                warnings::note.eq(note.or(row.note)),
                warnings::version.eq(row.version + 1),
                warnings::updated_at.eq(now_n),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Err(AppError::VersionConflict);
            }
            if action == WarningAction::Defuse {
                crate::notify::outbox::warning_closed(conn, &c, id)?;
            }
            load_view(conn, &c, caller.role, id)
        })
        .await
}

/// What an escalation may set on the new case; everything else comes from the warning.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalateInput {
    pub received_at: Option<String>,
    pub category: Option<String>,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_id_number: Option<String>,
    pub workers_involved: Option<i64>,
    pub amount_claimed: Option<String>,
    pub description: Option<String>,
    pub unit_id: Option<i64>,
}

/// Turns a warning into a case (channel `warning`), linked both ways, in one transaction.
pub async fn escalate(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    input: EscalateInput,
) -> AppResult<CaseView> {
    caller.require(Permission::ReadWarnings)?;
    let caller = caller.clone();
    let c = ctx.clone();
    ctx.db
        .write(move |conn| {
            let (row, _) = check_action(conn, &caller, id, WarningAction::Escalate)?;
            let category = row
                .category
                .parse::<WarningCategory>()
                .map(WarningCategory::case_category)
                .unwrap_or(crate::domain::vocab::Category::Other);
            let case_input = CaseInput {
                received_at: input.received_at.unwrap_or_else(|| c.now().to_rfc3339()),
                channel: Channel::Warning.as_str().into(),
                category: input.category.unwrap_or_else(|| category.as_str().into()),
                enterprise_id: row.enterprise_id,
                applicant_name: input.applicant_name,
                applicant_phone: input.applicant_phone,
                applicant_id_number: input.applicant_id_number,
                workers_involved: input.workers_involved.unwrap_or(row.workers_at_risk),
                amount_claimed: input
                    .amount_claimed
                    .unwrap_or_else(|| Fen::from_fen(row.amount_at_risk.unwrap_or(0)).to_string()),
                description: input.description.unwrap_or_else(|| row.description.clone()),
                warning_id: Some(id),
                unit_id: Some(input.unit_id.unwrap_or(row.unit_id)),
                applicants: None,
                respondent_agent: None,
            };
            let created = cases::create_in(conn, &c, &caller, case_input)?;
            let now = c.now().naive_utc();
            cases::log_whole_views(conn, &caller, &created.row, &created.parts.applicants, now)?;
            Ok(cases::shape_view(&c, &caller, created.row, created.parts))
        })
        .await
}
