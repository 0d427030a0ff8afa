//! Notes on a case's file: staff's, and the officer's of the case's enterprise. A note changes
//! nothing else on the case.

use super::*;
use crate::domain::permission::Permission;

/// Adds a note (staff, or the officer of the case's enterprise); it changes nothing else.
pub async fn add_note(ctx: &Ctx, caller: &Caller, id: i64, text: String) -> AppResult<CaseView> {
    changing_case(
        ctx,
        caller,
        id,
        Permission::NoteCase,
        move |conn, c, caller, row| {
            let text = check_required_text(&text, LONG_TEXT_MAX)
                .map_err(|e| AppError::field("text", e))?;
            let now_n = c.now().naive_utc();
            diesel::insert_into(case_notes::table)
                .values(NewNote {
                    case_id: row.id,
                    author_id: caller.id,
                    text: &text,
                    created_at: now_n,
                })
                .execute(conn)?;
            load_view(conn, c, caller, id)
        },
    )
    .await
}
