//! Where a warning becomes a case: the warning a case may be opened from, and the warning marked
//! escalated in the intake's transaction. Both the intake (`cases`) and the warning's own
//! `escalate` (`warnings`, which calls the intake) use it, so neither imports the other for it.

use super::{Caller, Ctx, Scope};
use crate::db::models::WarningRow;
use crate::db::schema::warnings;
use crate::db::DbConn;
use crate::domain::warning::WarningStatus;
use crate::error::{AppError, AppResult};
use diesel::prelude::*;

/// Loads a warning the caller may see, or 404 (no existence leak to other enterprises).
pub(crate) fn find_in_scope(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
) -> AppResult<Option<WarningRow>> {
    let row: Option<WarningRow> = warnings::table
        .find(id)
        .select(WarningRow::as_select())
        .first(conn)
        .optional()?;
    let visible = match (&row, caller.scope()) {
        (None, _) => false,
        (Some(_), Scope::All) => true,
        (Some(r), Scope::Enterprise(e)) => r.enterprise_id == e,
        (Some(r), Scope::Units(_)) => super::unit_in_scope(conn, caller, r.unit_id)?,
        (Some(_), Scope::Nothing) => false,
    };
    Ok(row.filter(|_| visible))
}

/// For intake with `warning_id`: the warning when it is open and in the caller's scope.
pub(crate) fn open_warning_for_case(
    conn: &mut DbConn,
    caller: &Caller,
    id: i64,
) -> AppResult<Option<WarningRow>> {
    Ok(find_in_scope(conn, caller, id)?.filter(|w| {
        w.case_id.is_none()
            && w.status
                .parse::<WarningStatus>()
                .is_ok_and(WarningStatus::is_open)
    }))
}

/// Marks `warning` escalated into `case_id` (inside the intake's transaction) and tells the
/// officer who reported it.
pub(crate) fn link_escalated(
    conn: &mut DbConn,
    ctx: &Ctx,
    warning: &WarningRow,
    case_id: i64,
) -> AppResult<()> {
    let now_n = ctx.now().naive_utc();
    let changed = diesel::update(
        warnings::table
            .find(warning.id)
            .filter(warnings::version.eq(warning.version)),
    )
    .set((
        warnings::status.eq(WarningStatus::Escalated.as_str()),
        warnings::case_id.eq(Some(case_id)),
        warnings::closed_at.eq(Some(now_n)),
        warnings::version.eq(warning.version + 1),
        warnings::updated_at.eq(now_n),
    ))
    .execute(conn)?;
    if changed == 0 {
        return Err(AppError::VersionConflict);
    }
    // The warning's photos and files become the case's evidence in the same transaction.
    super::evidence::carry_to_case(conn, warning.id, case_id)?;
    crate::notify::outbox::warning_closed(conn, ctx, warning.id)?;
    Ok(())
}
