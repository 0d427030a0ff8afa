//! Writing notifications into the outbox, inside the caller's transaction.

use crate::db::DbConn;
use crate::error::AppResult;
use crate::services::{Caller, Ctx};

/// A red warning was reported: the unit's directors.
pub fn red_warning(_conn: &mut DbConn, _ctx: &Ctx, _warning_id: i64) -> AppResult<()> {
    Ok(())
}

/// A warning was defused or escalated: the officer who reported it.
pub fn warning_closed(
    _conn: &mut DbConn,
    _ctx: &Ctx,
    _caller: &Caller,
    _warning_id: i64,
) -> AppResult<()> {
    Ok(())
}
