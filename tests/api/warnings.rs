use crate::helpers::*;
use serde_json::{json, Value};

struct Setup {
    app: TestApp,
    enterprise: i64,
    officer_id: i64,
    officer: String,
    director: String,
    mediator: String,
}

fn setup() -> Setup {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (officer_id, officer) = app.designated_officer(enterprise);
    let (_, director) = app.user("director", app.street, None);
    let (_, mediator) = app.user("mediator", app.street, None);
    Setup {
        app,
        enterprise,
        officer_id,
        officer,
        director,
        mediator,
    }
}

fn warning_body(level: &str) -> Value {
    json!({
        "level": level,
        "category": "wage_arrears",
        "workers_at_risk": 35,
        "amount_at_risk": "280000",
        "description": "企业连续两个月未发工资,职工情绪激动"
    })
}

fn report(s: &Setup, level: &str) -> Value {
    let r = s
        .app
        .post(&s.officer, "/api/v1/warnings", warning_body(level));
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body
}

fn act(s: &Setup, token: &str, id: i64, action: &str, body: Value) -> Response {
    s.app
        .post(token, &format!("/api/v1/warnings/{id}/{action}"), body)
}

#[test]
fn an_officer_reports_a_warning_for_their_own_enterprise() {
    let s = setup();
    let w = report(&s, "red");
    assert_eq!(w["enterprise_id"], s.enterprise);
    assert_eq!(w["reported_by"], s.officer_id);
    assert_eq!(w["unit_id"], s.app.street);
    assert_eq!(w["status"], "reported");
    assert_eq!(w["amount_at_risk"], "280000.00");
    assert_eq!(w["overdue"], false);
    // Red: 24 hours from 2026-03-02 09:00 Shanghai.
    assert_eq!(w["respond_by"], "2026-03-03T09:00:00+08:00");
    let yellow = report(&s, "yellow");
    assert_eq!(yellow["respond_by"], "2026-03-09T09:00:00+08:00");
}

#[test]
fn an_officer_cannot_report_for_another_enterprise() {
    let s = setup();
    let other = s.app.enterprise(s.app.street);
    let mut body = warning_body("orange");
    body["enterprise_id"] = json!(other);
    let r = s.app.post(&s.officer, "/api/v1/warnings", body);
    assert_eq!(r.status, 422);
    assert!(r.field_error("enterprise_id").is_some());
}

#[test]
fn staff_must_name_the_enterprise_and_it_must_be_in_their_scope() {
    let s = setup();
    let r = s
        .app
        .post(&s.director, "/api/v1/warnings", warning_body("red"));
    assert_eq!(r.status, 422);
    assert!(r.field_error("enterprise_id").is_some());

    let far = s.app.enterprise(s.app.other_street);
    let mut body = warning_body("red");
    body["enterprise_id"] = json!(far);
    let r = s.app.post(&s.director, "/api/v1/warnings", body);
    assert_eq!(r.status, 422);

    let mut body = warning_body("red");
    body["enterprise_id"] = json!(s.enterprise);
    let r = s.app.post(&s.director, "/api/v1/warnings", body);
    assert_eq!(r.status, 201, "{:?}", r.body);
}

#[test]
fn bad_values_are_named_field_by_field() {
    let s = setup();
    let r = s.app.post(
        &s.officer,
        "/api/v1/warnings",
        json!({"level": "purple", "category": "nothing", "workers_at_risk": 0,
               "amount_at_risk": "-1", "description": ""}),
    );
    assert_eq!(r.status, 422);
    for field in [
        "level",
        "category",
        "workers_at_risk",
        "amount_at_risk",
        "description",
    ] {
        assert!(r.field_error(field).is_some(), "{field}: {:?}", r.body);
    }
}

#[test]
fn a_warning_is_acknowledged_then_defused_with_a_note() {
    let s = setup();
    let id = report(&s, "orange")["id"].as_i64().unwrap();
    let r = act(&s, &s.mediator, id, "acknowledge", json!({}));
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "acknowledged");
    assert!(r.body["acknowledged_at"].is_string());

    let r = act(&s, &s.mediator, id, "acknowledge", json!({}));
    assert_eq!(r.status, 409);
    assert_eq!(r.code(), "invalid_transition");

    let r = act(&s, &s.director, id, "defuse", json!({}));
    assert_eq!(r.status, 422);
    assert!(r.field_error("note").is_some());

    let r = act(
        &s,
        &s.director,
        id,
        "defuse",
        json!({"note": "企业已补发工资"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "defused");
    assert_eq!(r.body["note"], "企业已补发工资");
    assert!(r.body["closed_at"].is_string());

    let r = act(&s, &s.director, id, "escalate", json!({}));
    assert_eq!(r.status, 409);
}

#[test]
fn escalating_creates_a_linked_case_from_the_warning() {
    let s = setup();
    let id = report(&s, "red")["id"].as_i64().unwrap();
    let r = act(&s, &s.mediator, id, "escalate", json!({}));
    assert_eq!(r.status, 201, "{:?}", r.body);
    let case = r.body;
    assert_eq!(case["channel"], "warning");
    assert_eq!(case["warning_id"], id);
    assert_eq!(case["category"], "wage_arrears");
    assert_eq!(case["workers_involved"], 35);
    assert_eq!(case["amount_claimed"], "280000.00");
    assert_eq!(case["enterprise_id"], s.enterprise);
    assert_eq!(case["applicant_name"], Value::Null);
    assert_eq!(case["status"], "received");
    assert_eq!(case["unit_id"], s.app.street);

    let w = s
        .app
        .get(&s.director, &format!("/api/v1/warnings/{id}"))
        .body;
    assert_eq!(w["status"], "escalated");
    assert_eq!(w["case_id"], case["id"]);

    let r = act(&s, &s.director, id, "escalate", json!({}));
    assert_eq!(r.status, 409);
    assert_eq!(r.code(), "invalid_transition");
}

#[test]
fn an_escalation_may_override_case_fields_and_maps_the_category() {
    let s = setup();
    let mut body = warning_body("yellow");
    body["category"] = json!("layoff_relocation");
    body.as_object_mut().unwrap().remove("amount_at_risk");
    let id = s.app.post(&s.officer, "/api/v1/warnings", body).body["id"]
        .as_i64()
        .unwrap();
    let r = act(
        &s,
        &s.director,
        id,
        "escalate",
        json!({"received_at": "2026-03-02T08:30:00+08:00", "applicant_name": "李强", "workers_involved": 12}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["category"], "contract");
    assert_eq!(r.body["amount_claimed"], "0.00");
    assert_eq!(r.body["workers_involved"], 12);
    assert_eq!(r.body["applicant_name"], "李强");
    assert_eq!(r.body["received_at"], "2026-03-02T08:30:00+08:00");
}

#[test]
fn a_bad_override_changes_nothing() {
    let s = setup();
    let id = report(&s, "red")["id"].as_i64().unwrap();
    let r = act(
        &s,
        &s.director,
        id,
        "escalate",
        json!({"received_at": "2030-01-01T00:00:00+08:00"}),
    );
    assert_eq!(r.status, 422);
    assert!(r.field_error("received_at").is_some());
    let w = s
        .app
        .get(&s.director, &format!("/api/v1/warnings/{id}"))
        .body;
    assert_eq!(w["status"], "reported");
    assert_eq!(w["case_id"], Value::Null);
    assert_eq!(s.app.get(&s.director, "/api/v1/cases").body["total"], 0);
}

#[test]
fn intake_may_name_an_open_warning_in_scope_and_links_it() {
    let s = setup();
    let id = report(&s, "orange")["id"].as_i64().unwrap();
    let mut body = s.app.case_body(s.enterprise);
    body["warning_id"] = json!(id);
    let r = s.app.post(&s.mediator, "/api/v1/cases", body.clone());
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["warning_id"], id);
    let w = s
        .app
        .get(&s.director, &format!("/api/v1/warnings/{id}"))
        .body;
    assert_eq!(w["status"], "escalated");
    assert_eq!(w["case_id"], r.body["id"]);

    // The same warning cannot become a second case, and an unknown one is a field error.
    let r = s.app.post(&s.mediator, "/api/v1/cases", body.clone());
    assert_eq!(r.status, 422);
    assert!(r.field_error("warning_id").is_some());
    body["warning_id"] = json!(999_999);
    let r = s.app.post(&s.mediator, "/api/v1/cases", body);
    assert_eq!(r.status, 422);
    assert!(r.field_error("warning_id").is_some());
}

#[test]
fn officers_see_only_their_enterprise_and_cannot_act() {
    let s = setup();
    let id = report(&s, "red")["id"].as_i64().unwrap();
    let other = s.app.enterprise(s.app.street);
    let (_, other_officer) = s.app.user("officer", s.app.street, Some(other));
    assert_eq!(
        s.app
            .get(&other_officer, &format!("/api/v1/warnings/{id}"))
            .status,
        404
    );
    assert_eq!(
        s.app.get(&other_officer, "/api/v1/warnings").body["total"],
        0
    );
    assert_eq!(
        act(&s, &other_officer, id, "acknowledge", json!({})).status,
        404
    );
    assert_eq!(s.app.get(&s.officer, "/api/v1/warnings").body["total"], 1);
    for (action, body) in [
        ("acknowledge", json!({})),
        ("defuse", json!({"note": "已化解"})),
        ("escalate", json!({})),
    ] {
        let r = act(&s, &s.officer, id, action, body);
        assert_eq!(r.status, 403, "{action}");
    }
}

#[test]
fn viewers_get_403_and_other_streets_staff_404() {
    let s = setup();
    let id = report(&s, "red")["id"].as_i64().unwrap();
    let (_, viewer) = s.app.user("viewer", s.app.district, None);
    assert_eq!(s.app.get(&viewer, "/api/v1/warnings").status, 403);
    assert_eq!(
        s.app.get(&viewer, &format!("/api/v1/warnings/{id}")).status,
        403
    );
    let (_, far) = s.app.user("director", s.app.other_street, None);
    assert_eq!(
        s.app.get(&far, &format!("/api/v1/warnings/{id}")).status,
        404
    );
    assert_eq!(act(&s, &far, id, "escalate", json!({})).status, 404);
    assert_eq!(s.app.get(&far, "/api/v1/warnings").body["total"], 0);
}

#[test]
fn a_warning_not_acknowledged_in_time_shows_as_overdue() {
    let s = setup();
    let red = report(&s, "red")["id"].as_i64().unwrap();
    let orange = report(&s, "orange")["id"].as_i64().unwrap();
    s.app.set_now(default_now() + chrono::Duration::hours(25));
    let w = s
        .app
        .get(&s.director, &format!("/api/v1/warnings/{red}"))
        .body;
    assert_eq!(w["overdue"], true);
    let w = s
        .app
        .get(&s.director, &format!("/api/v1/warnings/{orange}"))
        .body;
    assert_eq!(w["overdue"], false);
    assert_eq!(
        act(&s, &s.director, red, "acknowledge", json!({})).status,
        200
    );
    let w = s
        .app
        .get(&s.director, &format!("/api/v1/warnings/{red}"))
        .body;
    assert_eq!(w["overdue"], false);
}

#[test]
fn the_list_filters_by_status_level_and_date() {
    let s = setup();
    report(&s, "red");
    let yellow = report(&s, "yellow")["id"].as_i64().unwrap();
    act(&s, &s.director, yellow, "acknowledge", json!({}));
    let list = |q: &str| s.app.get(&s.director, &format!("/api/v1/warnings{q}")).body;
    assert_eq!(list("")["total"], 2);
    assert_eq!(list("?level=red")["total"], 1);
    assert_eq!(list("?status=acknowledged")["items"][0]["id"], yellow);
    assert_eq!(list("?from=2026-03-02&to=2026-03-02")["total"], 2);
    assert_eq!(list("?from=2026-03-03")["total"], 0);
    let r = s.app.get(&s.director, "/api/v1/warnings?level=purple");
    assert_eq!(r.status, 422);
    let r = s.app.get(&s.director, "/api/v1/warnings?per_page=500");
    assert_eq!(r.status, 422);
}
