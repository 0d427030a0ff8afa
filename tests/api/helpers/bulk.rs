//! Many cases at once, written straight to the table, for the tests about lists' limits and
//! long lists (the intake's rules are not what they are about).

use super::TestApp;
use diesel::prelude::*;
use tiaojie::db::models::NewCase;
use tiaojie::db::schema::cases;

/// A received case `n` against `enterprise` in `unit`, received on 2026-02-02; tests change
/// the fields they are about.
pub fn bulk_case(unit: i64, enterprise: i64, created_by: i64, n: usize) -> NewCase {
    let at = chrono::NaiveDate::from_ymd_opt(2026, 2, 2)
        .unwrap()
        .and_hms_opt(1, 0, 0)
        .unwrap();
    NewCase {
        case_no: format!("BULK-{n:05}"),
        unit_id: unit,
        channel: "visit".into(),
        category: "contract".into(),
        enterprise_id: enterprise,
        applicant_name: Some("批量".into()),
        applicant_phone: None,
        applicant_id_number: None,
        workers_involved: 1,
        amount_claimed: 100,
        description: "批量".into(),
        warning_id: None,
        status: "received".into(),
        received_at: at,
        accept_by: at.date(),
        deadline: at.date(),
        last_event_at: at,
        created_by,
        created_at: at,
        updated_at: at,
    }
}

impl TestApp {
    /// Writes `rows` in one transaction; answers their ids.
    pub fn insert_cases(&self, rows: Vec<NewCase>) -> Vec<i64> {
        let mut conn = self.ctx.db.get().unwrap();
        conn.transaction(|conn| {
            rows.iter()
                .map(|row| {
                    diesel::insert_into(cases::table)
                        .values(row)
                        .returning(cases::id)
                        .get_result(conn)
                })
                .collect::<QueryResult<Vec<i64>>>()
        })
        .unwrap()
    }
}
