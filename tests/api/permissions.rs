//! The allowed actions a case and a warning carry, per role: what is listed can be done, and
//! what is not listed is refused.

use crate::helpers::*;
use serde_json::{json, Value};

fn actions(body: &Value) -> Vec<String> {
    body["actions"]
        .as_array()
        .unwrap_or_else(|| panic!("no actions in {body}"))
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

fn case_actions(app: &TestApp, token: &str, id: i64) -> Vec<String> {
    let r = app.get(token, &format!("/api/v1/cases/{id}"));
    assert_eq!(r.status, 200, "{:?}", r.body);
    actions(&r.body)
}

#[test]
fn each_role_is_offered_exactly_the_case_actions_it_may_take_now() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, officer) = app.user("officer", app.street, Some(e));
    let (_, director) = app.user("director", app.street, None);
    let (_, mine) = app.user("mediator", app.street, None);
    let id = app.create_case(&mine, e)["id"].as_i64().unwrap();

    // Received: accept or reject, by any staff; an officer may only add a note.
    assert_eq!(
        case_actions(&app, &director, id),
        ["accept", "reject", "note", "edit"]
    );
    assert_eq!(
        case_actions(&app, &mine, id),
        ["accept", "reject", "note", "edit"]
    );
    assert_eq!(case_actions(&app, &officer, id), ["note"]);

    let r = app.post(&mine, &format!("/api/v1/cases/{id}/accept"), json!({}));
    assert_eq!(r.status, 200, "{:?}", r.body);
    // The answer to an action carries the actions that follow it.
    assert_eq!(actions(&r.body), ["withdraw", "note", "edit"]);
    // What is no longer listed is refused.
    let r = app.post(&mine, &format!("/api/v1/cases/{id}/reject"), json!({}));
    assert_eq!(r.status, 409, "{:?}", r.body);
}

#[test]
fn a_mediator_is_offered_the_mediation_actions_on_their_own_case_only() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let (mine_id, mine) = app.user("mediator", app.street, None);
    let (_, other) = app.user("mediator", app.street, None);
    let id = app.create_case(&mine, e)["id"].as_i64().unwrap();
    let path = |a: &str| format!("/api/v1/cases/{id}/{a}");
    assert_eq!(app.post(&mine, &path("accept"), json!({})).status, 200);
    assert!(!case_actions(&app, &mine, id).contains(&"assign".to_string()));
    let r = app.post(&director, &path("assign"), json!({"mediator_id": mine_id}));
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        actions(&r.body),
        ["assign", "session", "extend", "close", "withdraw", "note", "edit"]
    );

    let theirs = case_actions(&app, &mine, id);
    assert_eq!(theirs, ["session", "close", "withdraw", "note", "edit"]);
    let elsewhere = case_actions(&app, &other, id);
    assert_eq!(elsewhere, ["note", "edit"]);
    // What is not offered is refused; what is offered is done.
    let session =
        json!({"held_at": "2026-03-02T08:30:00+08:00", "location": "调解室", "attendees": "双方"});
    assert_eq!(
        app.post(&other, &path("sessions"), session.clone()).status,
        403
    );
    let r = app.post(&mine, &path("sessions"), session);
    assert_eq!(r.status, 200, "{:?}", r.body);
}

#[test]
fn staff_are_offered_the_warning_actions_its_status_allows_and_the_officer_none() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, officer) = app.designated_officer(e);
    let (_, mediator) = app.user("mediator", app.street, None);
    let body = json!({
        "level": "orange",
        "category": "wage_arrears",
        "workers_at_risk": 12,
        "description": "两个月未发工资"
    });
    let r = app.post(&officer, "/api/v1/warnings", body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert!(actions(&r.body).is_empty(), "an officer only reports");
    let path = format!("/api/v1/warnings/{id}");
    assert_eq!(
        actions(&app.get(&mediator, &path).body),
        ["acknowledge", "defuse", "escalate"]
    );
    let r = app.post(&mediator, &format!("{path}/acknowledge"), json!({}));
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(actions(&r.body), ["defuse", "escalate"]);
    let listed = app.get(&mediator, "/api/v1/warnings");
    assert_eq!(actions(&listed.body["items"][0]), ["defuse", "escalate"]);
}
