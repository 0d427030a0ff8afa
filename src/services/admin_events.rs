//! The audit trail of the admin's changes: an edited user, enterprise or unit, a mail sent again. Each
//! row is written in the transaction of the change it records, and names the changed fields,
//! never their values (a display name or an email is personal data). The table is append-only.

use crate::db::models::NewAdminEvent;
use crate::db::schema::admin_events;
use crate::db::DbConn;
use diesel::prelude::*;

pub const USER_UPDATED: &str = "user_updated";
pub const ENTERPRISE_CREATED: &str = "enterprise_created";
pub const ENTERPRISE_UPDATED: &str = "enterprise_updated";
pub const NOTIFICATION_RESENT: &str = "notification_resent";
pub const UNIT_UPDATED: &str = "unit_updated";

/// Records that `actor_id` did `action` to a record, changing `fields` (comma-separated names).
pub fn record(
    conn: &mut DbConn,
    actor_id: i64,
    action: &str,
    (record_type, record_id): (&str, i64),
    fields: &[&str],
    at: chrono::NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(admin_events::table)
        .values(NewAdminEvent {
            actor_id,
            at,
            action,
            record_type,
            record_id,
            fields: &fields.join(","),
        })
        .execute(conn)
        .map(|_| ())
}
