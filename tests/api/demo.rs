use crate::helpers::*;
use diesel::prelude::*;
use tiaojie::domain::credit_code::CreditCode;
use tiaojie::services::demo::{self, DemoSize};

#[test]
fn the_demo_has_enterprises_with_valid_codes_officers_and_cases_in_every_status() {
    let db = empty_db();
    let ctx = &db.ctx;
    let size = DemoSize {
        enterprises: 30,
        cases: 400,
        consultations: 50,
    };
    let logins = demo::ensure(ctx, size).unwrap();
    assert!(logins.contains("director1"));
    // A second run leaves the data alone.
    demo::ensure(ctx, size).unwrap();

    let mut conn = ctx.db.get().unwrap();
    use tiaojie::db::schema::{cases, enterprises};
    let codes: Vec<(Option<String>, Option<i64>)> = enterprises::table
        .select((enterprises::credit_code, enterprises::officer_id))
        .load(&mut *conn)
        .unwrap();
    assert_eq!(codes.len(), 30);
    for (code, officer) in &codes {
        let code = code.as_deref().unwrap_or("");
        assert!(code.parse::<CreditCode>().is_ok(), "{code}");
        assert!(officer.is_some());
    }
    let statuses: Vec<String> = cases::table
        .select(cases::status)
        .distinct()
        .load(&mut *conn)
        .unwrap();
    for status in [
        "received",
        "accepted",
        "mediating",
        "resolved",
        "failed",
        "withdrawn",
        "rejected",
    ] {
        assert!(
            statuses.iter().any(|s| s == status),
            "no {status} case in {statuses:?}"
        );
    }
    let total: i64 = cases::table.count().get_result(&mut *conn).unwrap();
    assert_eq!(total, 400);
}
