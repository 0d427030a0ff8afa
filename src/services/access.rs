//! The append-only access log of personal data: who saw a whole phone or ID number, exported, or edited
//! personal data, when, and on which record. Never the values themselves.

use crate::db::models::NewAccessLog;
use crate::db::schema::access_log;
use crate::db::DbConn;
use diesel::prelude::*;

pub const VIEW_ID_NUMBER: &str = "view_id_number";
pub const VIEW_PHONE: &str = "view_phone";
pub const EDIT_PERSONAL_DATA: &str = "edit_personal_data";
pub const EXPORT: &str = "export";

pub fn record(
    conn: &mut DbConn,
    user_id: i64,
    action: &str,
    record_type: &str,
    record_id: Option<i64>,
    at: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(access_log::table)
        .values(NewAccessLog {
            user_id,
            at,
            action,
            record_type,
            record_id,
        })
        .execute(conn)
        .map(|_| ())
}
