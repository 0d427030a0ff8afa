use crate::helpers::*;
use chrono::TimeZone;
use serde_json::json;

fn shanghai(y: i32, m: u32, d: u32, h: u32) -> chrono::DateTime<chrono::Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// Registers a case received at `received` (RFC 3339) and answers (accept_by, deadline).
fn clocks(app: &TestApp, enterprise: i64, received: &str) -> (String, String) {
    let mut body = app.case_body(enterprise);
    body["received_at"] = json!(received);
    body["unit_id"] = json!(app.street);
    let r = app.post(&app.admin_token, "/api/v1/cases", body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    (
        r.body["accept_by"].as_str().unwrap().to_string(),
        r.body["deadline"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_deadline_on_a_weekend_moves_to_monday_and_acceptance_skips_the_weekend() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    app.set_now(shanghai(2026, 3, 30, 9));
    // Friday 6 March: three working days are Mon 9, Tue 10, Wed 11; + 15 days is Sat 21 → Mon 23.
    assert_eq!(
        clocks(&app, e, "2026-03-06T10:00:00+08:00"),
        ("2026-03-11".into(), "2026-03-23".into())
    );
}

#[test]
fn a_deadline_inside_the_national_day_holiday_moves_past_it() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    app.set_now(shanghai(2026, 10, 30, 9));
    // Tue 22 Sep + 15 = Wed 7 Oct (holiday) → Thu 8 Oct. Acceptance: Wed 23, Thu 24, then the
    // Mid-Autumn holiday 25-27, so Mon 28.
    assert_eq!(
        clocks(&app, e, "2026-09-22T10:00:00+08:00"),
        ("2026-09-28".into(), "2026-10-08".into())
    );
}

#[test]
fn a_make_up_working_saturday_counts_as_a_working_day() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    app.set_now(shanghai(2026, 10, 30, 9));
    // Thu 8 Oct: Fri 9, Sat 10 (调休 working day), Mon 12.
    assert_eq!(clocks(&app, e, "2026-10-08T10:00:00+08:00").0, "2026-10-12");
}

#[test]
fn days_are_counted_in_local_time_not_utc() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    // 23:30 on Sunday 1 March in Shanghai is still Sunday there (15:30 UTC); the day of receipt
    // is not counted, so the deadline is 16 March (Monday).
    assert_eq!(clocks(&app, e, "2026-03-01T23:30:00+08:00").1, "2026-03-16");
    assert_eq!(clocks(&app, e, "2026-03-01T16:30:00Z").1, "2026-03-17");
}

#[test]
fn a_case_past_its_deadline_is_overdue_and_listed_as_such() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let id = app.create_case(&director, e)["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{id}");
    let c = app.get(&director, &path).body;
    assert_eq!(
        (c["overdue"].clone(), c["days_left"].clone()),
        (json!(false), json!(15))
    );

    app.set_now(shanghai(2026, 3, 18, 9));
    let c = app.get(&director, &path).body;
    assert_eq!(c["overdue"], true);
    assert_eq!(c["days_left"], -1);
    assert_eq!(c["accept_late"], true);
    assert_eq!(
        app.get(&director, "/api/v1/cases?overdue=true").body["total"],
        1
    );
    assert_eq!(
        app.get(&director, "/api/v1/cases?overdue=false").body["total"],
        0
    );
}
