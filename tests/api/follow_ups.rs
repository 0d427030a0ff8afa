//! The follow-up of a closed case (回访, issue 14): recorded with the applicant's satisfaction by
//! the case's mediator or a director, refused on an open case, checked value by value, waived
//! with a reason (once, and only when none was made), listed on the desk once past the setting's
//! days, and counted by satisfaction for the reports.

use crate::helpers::*;
use chrono::Duration;
use serde_json::{json, Value};

pub struct Setup {
    pub app: TestApp,
    pub enterprise: i64,
    pub officer: String,
    pub director: String,
    pub mediator_id: i64,
    pub mediator: String,
}

pub fn setup_with(app: TestApp) -> Setup {
    let enterprise = app.enterprise(app.street);
    let (_, officer) = app.designated_officer(enterprise);
    let (_, director) = app.user("director", app.street, None);
    let (mediator_id, mediator) = app.user("mediator", app.street, None);
    Setup {
        app,
        enterprise,
        officer,
        director,
        mediator_id,
        mediator,
    }
}

pub fn setup() -> Setup {
    setup_with(spawn_app())
}

pub fn action(s: &Setup, token: &str, id: i64, name: &str, body: Value) -> Response {
    s.app
        .post(token, &format!("/api/v1/cases/{id}/{name}"), body)
}

pub fn case(s: &Setup, id: i64) -> Value {
    let r = s.app.get(&s.director, &format!("/api/v1/cases/{id}"));
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

/// A case accepted and assigned to the setup's mediator.
pub fn mediating_case(s: &Setup) -> i64 {
    let id = s.app.create_case(&s.mediator, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    assert_eq!(action(s, &s.mediator, id, "accept", json!({})).status, 200);
    let r = action(
        s,
        &s.director,
        id,
        "assign",
        json!({"mediator_id": s.mediator_id}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    id
}

/// A case closed with an agreement today (the fixed now, 2 March 2026).
pub fn resolved_case(s: &Setup) -> i64 {
    let id = mediating_case(s);
    let r = action(
        s,
        &s.mediator,
        id,
        "close",
        json!({"outcome": "agreement", "amount_agreed": "3000", "payment_due": "2026-03-31"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    id
}

pub fn satisfied() -> Value {
    json!({"on": "2026-03-02", "method": "phone", "satisfaction": "satisfied", "notes": "申请人表示满意"})
}

pub fn follow_up(s: &Setup, token: &str, id: i64, body: Value) -> Response {
    action(s, token, id, "follow-ups", body)
}

#[test]
fn the_cases_mediator_records_a_follow_up_with_the_applicants_satisfaction() {
    let s = setup();
    let id = resolved_case(&s);
    let r = follow_up(&s, &s.mediator, id, satisfied());
    assert_eq!(r.status, 201, "{:?}", r.body);
    let f = &r.body["follow_ups"][0];
    assert_eq!(f["on"], "2026-03-02");
    assert_eq!(f["method"], "phone");
    assert_eq!(f["satisfaction"], "satisfied");
    assert_eq!(f["notes"], "申请人表示满意");
    assert_eq!(f["by"], s.mediator_id);
    assert!(f["by_name"].is_string());
    assert_eq!(r.body["follow_up_waived"], Value::Null);
    assert_eq!(r.body["archive_no"], Value::Null);
    let events = r.body["events"].as_array().unwrap();
    assert_eq!(events.last().unwrap()["action"], "follow_up");
    // A second call, by a director, is a second record.
    let again =
        json!({"on": "2026-03-02", "method": "visit", "satisfaction": "basically_satisfied"});
    let r = follow_up(&s, &s.director, id, again);
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["follow_ups"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["follow_ups"][1]["notes"], Value::Null);
}

#[test]
fn an_open_case_is_not_followed_up_nor_its_follow_up_waived() {
    let s = setup();
    let id = mediating_case(&s);
    let r = follow_up(&s, &s.mediator, id, satisfied());
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(r.code(), "invalid_transition");
    let r = action(
        &s,
        &s.director,
        id,
        "follow-ups/waive",
        json!({"reason": "无需回访"}),
    );
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert!(case(&s, id)["follow_ups"].as_array().unwrap().is_empty());
}

#[test]
fn each_bad_value_of_a_follow_up_is_named_and_nothing_is_written() {
    let s = setup();
    let id = resolved_case(&s);
    let version = case(&s, id)["version"].clone();
    let r = follow_up(
        &s,
        &s.mediator,
        id,
        json!({"on": "2026-03-03", "method": "email", "satisfaction": "happy"}),
    );
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.field_error("on"), Some("must not be in the future"));
    assert!(r
        .field_error("method")
        .unwrap()
        .contains("phone, visit, other"));
    assert!(r
        .field_error("satisfaction")
        .unwrap()
        .contains("basically_satisfied"));
    let r = follow_up(
        &s,
        &s.mediator,
        id,
        json!({"on": "2026-03-01", "method": "phone", "satisfaction": "satisfied"}),
    );
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(
        r.field_error("on"),
        Some("must not be before the day the case was closed (2026-03-02)")
    );
    let r = follow_up(&s, &s.mediator, id, json!({}));
    assert_eq!(r.status, 422, "{:?}", r.body);
    for field in ["on", "method", "satisfaction"] {
        assert!(r.field_error(field).is_some(), "{field}: {:?}", r.body);
    }
    let r = follow_up(&s, &s.mediator, id, json!({"on": "2026-03-02", "by": 1}));
    assert_eq!(r.status, 400, "an unknown field: {:?}", r.body);
    let after = case(&s, id);
    assert!(after["follow_ups"].as_array().unwrap().is_empty());
    assert_eq!(after["version"], version);
}

#[test]
fn another_mediator_an_officer_and_a_viewer_may_not_follow_up() {
    let s = setup();
    let id = resolved_case(&s);
    let (_, other_mediator) = s.app.user("mediator", s.app.street, None);
    let (_, viewer) = s.app.user("viewer", s.app.street, None);
    let elsewhere = s.app.enterprise(s.app.street);
    let (_, outsider) = s.app.user("officer", s.app.street, Some(elsewhere));
    for (who, token, status) in [
        ("another mediator", &other_mediator, 403),
        ("the enterprise's officer", &s.officer, 403),
        ("a viewer", &viewer, 403),
        ("another enterprise's officer", &outsider, 404),
    ] {
        let r = follow_up(&s, token, id, satisfied());
        assert_eq!(r.status, status, "{who}: {:?}", r.body);
        let r = action(
            &s,
            token,
            id,
            "follow-ups/waive",
            json!({"reason": "无法联系"}),
        );
        assert_eq!(r.status, status, "{who} waiving: {:?}", r.body);
    }
    assert!(case(&s, id)["follow_ups"].as_array().unwrap().is_empty());
}

#[test]
fn the_follow_up_is_waived_with_a_reason_once_and_not_after_one_was_made() {
    let s = setup();
    let id = resolved_case(&s);
    let r = action(
        &s,
        &s.mediator,
        id,
        "follow-ups/waive",
        json!({"reason": "  "}),
    );
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(r.field_error("reason").is_some());
    let r = action(&s, &s.mediator, id, "follow-ups/waive", json!({}));
    assert_eq!(r.status, 422, "{:?}", r.body);
    let r = action(
        &s,
        &s.mediator,
        id,
        "follow-ups/waive",
        json!({"reason": "申请人已出国，无法联系"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["follow_up_waived"], "申请人已出国，无法联系");
    let events = r.body["events"].as_array().unwrap();
    assert_eq!(events.last().unwrap()["action"], "follow_up_waived");
    let r = action(
        &s,
        &s.director,
        id,
        "follow-ups/waive",
        json!({"reason": "再次"}),
    );
    assert_eq!(r.status, 409, "{:?}", r.body);

    let done = resolved_case(&s);
    assert_eq!(follow_up(&s, &s.mediator, done, satisfied()).status, 201);
    let r = action(
        &s,
        &s.director,
        done,
        "follow-ups/waive",
        json!({"reason": "无需"}),
    );
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(case(&s, done)["follow_up_waived"], Value::Null);
}

fn desk_of(s: &Setup, username: &str) -> String {
    let mut b = signed_in(&s.app, username);
    let page = b.get("/");
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
}

#[test]
fn the_desk_lists_closed_cases_past_the_setting_without_a_follow_up_or_its_waiver() {
    let app = spawn_app();
    let s = setup_with(app);
    s.app
        .named_user("fuzhuren", "回访主任", "director", s.app.street, None);
    let director = s.app.login("fuzhuren", PASSWORD);
    let waiting = resolved_case(&s);
    let followed = resolved_case(&s);
    let waived = resolved_case(&s);
    assert_eq!(
        follow_up(&s, &s.mediator, followed, satisfied()).status,
        201
    );
    let r = action(
        &s,
        &director,
        waived,
        "follow-ups/waive",
        json!({"reason": "无法联系"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let no = |id: i64| case(&s, id)["case_no"].as_str().unwrap().to_string();

    // Fifteen days on, the cases closed are not yet past the default 15 days.
    s.app.set_now(default_now() + Duration::days(15));
    assert!(!desk_of(&s, "fuzhuren").contains(&no(waiting)));
    let r = s.app.get(&director, "/api/v1/cases?follow_up_due=15");
    assert_eq!(r.body["total"], 0, "{:?}", r.body);

    s.app.set_now(default_now() + Duration::days(16));
    let desk = desk_of(&s, "fuzhuren");
    assert!(desk.contains("回访待办 · 15 天以上"), "{desk}");
    assert!(desk.contains(&no(waiting)));
    assert!(!desk.contains(&no(followed)));
    assert!(!desk.contains(&no(waived)));
    let r = s.app.get(&director, "/api/v1/cases?follow_up_due=15");
    assert_eq!(r.body["total"], 1, "{:?}", r.body);
    assert_eq!(r.body["items"][0]["id"], waiting);

    // Followed up late, it leaves the list.
    let late = json!({"on": "2026-03-18", "method": "visit", "satisfaction": "dissatisfied"});
    assert_eq!(follow_up(&s, &s.mediator, waiting, late).status, 201);
    assert!(!desk_of(&s, "fuzhuren").contains(&no(waiting)));
}

#[test]
fn the_setting_says_how_many_days_after_closing_a_follow_up_is_due() {
    let app = spawn_app_with(|c| c.deadlines.follow_up_after_days = 30);
    let s = setup_with(app);
    let id = resolved_case(&s);
    s.app.set_now(default_now() + Duration::days(20));
    let r = s.app.get(&s.director, "/api/v1/cases?follow_up_due=30");
    assert_eq!(r.body["total"], 0, "{:?}", r.body);
    s.app.set_now(default_now() + Duration::days(31));
    let r = s.app.get(&s.director, "/api/v1/cases?follow_up_due=30");
    assert_eq!(r.body["total"], 1, "{:?}", r.body);
    assert_eq!(r.body["items"][0]["id"], id);
    let r = s.app.get(&s.director, "/api/v1/cases?follow_up_due=soon");
    assert_eq!(r.status, 422, "{:?}", r.body);
}

#[test]
fn follow_ups_are_counted_by_satisfaction_for_cases_or_a_period() {
    use tiaojie::services::cases::{count_satisfaction, FollowUpsAmong, SatisfactionCounts};
    let s = setup();
    let a = resolved_case(&s);
    let b = resolved_case(&s);
    assert_eq!(follow_up(&s, &s.mediator, a, satisfied()).status, 201);
    let basic =
        json!({"on": "2026-03-02", "method": "visit", "satisfaction": "basically_satisfied"});
    assert_eq!(follow_up(&s, &s.mediator, a, basic).status, 201);
    s.app.set_now(default_now() + Duration::days(40));
    let sad = json!({"on": "2026-04-10", "method": "other", "satisfaction": "dissatisfied"});
    assert_eq!(follow_up(&s, &s.mediator, b, sad).status, 201);

    let mut conn = s.app.ctx.db.get().unwrap();
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let count = |conn: &mut _, among| count_satisfaction(conn, &among).unwrap();
    assert_eq!(
        count(&mut *conn, FollowUpsAmong::Cases(vec![a, b])),
        SatisfactionCounts {
            satisfied: 1,
            basically_satisfied: 1,
            dissatisfied: 1
        }
    );
    assert_eq!(
        count(&mut *conn, FollowUpsAmong::Cases(vec![b])).dissatisfied,
        1
    );
    let march = FollowUpsAmong::Period {
        from: day(3, 1),
        until: day(3, 31),
        unit_path: None,
    };
    assert_eq!(
        count(&mut *conn, march),
        SatisfactionCounts {
            satisfied: 1,
            basically_satisfied: 1,
            dissatisfied: 0
        }
    );
    // Another street's cases are not counted in its report.
    let other: String = {
        use diesel::prelude::*;
        use tiaojie::db::schema::units;
        units::table
            .find(s.app.other_street)
            .select(units::path)
            .first(&mut *conn)
            .unwrap()
    };
    let elsewhere = FollowUpsAmong::Period {
        from: day(1, 1),
        until: day(12, 31),
        unit_path: Some(other),
    };
    assert_eq!(count(&mut *conn, elsewhere), SatisfactionCounts::default());
}

#[test]
fn a_mediators_desk_lists_only_their_own_cases_follow_ups_due() {
    let s = setup();
    let theirs = resolved_case(&s);
    let name = format!("mediator{}", unique());
    let other_id = s
        .app
        .named_user(&name, "另一调解员", "mediator", s.app.street, None);
    let other_token = s.app.login(&name, PASSWORD);
    let id = s.app.create_case(&other_token, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    for (token, step, body) in [
        (&other_token, "accept", json!({})),
        (&s.director, "assign", json!({"mediator_id": other_id})),
        (
            &other_token,
            "close",
            json!({"outcome": "failed", "referral": "arbitration", "note": "调解不成"}),
        ),
    ] {
        let r = action(&s, token, id, step, body);
        assert_eq!(r.status, 200, "{step}: {:?}", r.body);
    }
    s.app.set_now(default_now() + Duration::days(20));
    let desk = desk_of(&s, &name);
    assert!(desk.contains(case(&s, id)["case_no"].as_str().unwrap()));
    assert!(!desk.contains(case(&s, theirs)["case_no"].as_str().unwrap()));
}

#[test]
fn the_monthly_report_counts_the_follow_ups_of_the_month_by_satisfaction() {
    let s = setup();
    let one = resolved_case(&s);
    let two = resolved_case(&s);
    let three = resolved_case(&s);
    for (id, satisfaction) in [
        (one, "satisfied"),
        (two, "basically_satisfied"),
        (three, "satisfied"),
    ] {
        let r = follow_up(
            &s,
            &s.mediator,
            id,
            json!({"on": "2026-03-02", "method": "visit", "satisfaction": satisfaction}),
        );
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let report = s
        .app
        .get(&s.director, "/api/v1/reports/monthly?month=2026-03");
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert_eq!(
        report.body["follow_ups"],
        json!({"satisfied": 2, "basically_satisfied": 1, "dissatisfied": 0})
    );
    let february = s
        .app
        .get(&s.director, "/api/v1/reports/monthly?month=2026-02");
    assert_eq!(
        february.body["follow_ups"]["satisfied"], 0,
        "counted by the follow-up's day"
    );
    let page = crate::helpers::person(&s.app, "director", Some(s.app.street), None)
        .browser
        .get("/reports/monthly?month=2026-03")
        .body;
    assert!(page.contains("满意 2，基本满意 1，不满意 0"), "{page}");
    assert!(
        page.contains("按申请人满意程度"),
        "the definition is on the page"
    );
    let (_, _, csv) = s.app.get_bytes(
        &s.director,
        "/api/v1/reports/monthly?month=2026-03&format=csv",
    );
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.contains("回访（件）,3,"), "{csv}");
}
