//! The arbitration limitation of a case (issue 14): the days intake or an edit records, and the
//! limitation's end the case and the notice of the right to arbitration state.

use crate::helpers::*;
use serde_json::{json, Value};

fn act(app: &TestApp, token: &str, id: i64, name: &str, body: Value) -> Value {
    let r = app.post(token, &format!("/api/v1/cases/{id}/{name}"), body);
    assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    r.body
}

/// A case of `category` with the limitation's days `days`, registered by the director.
fn case_of(app: &TestApp, token: &str, category: &str, days: Value) -> Value {
    let e = app.enterprise(app.street);
    let mut body = app.case_body(e);
    body["category"] = json!(category);
    for (k, v) in days.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = app.post(token, "/api/v1/cases", body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    r.body
}

#[test]
fn applying_interrupts_the_limitation_and_a_failed_mediation_starts_a_year_anew() {
    let app = spawn_app();
    let (me, director) = app.user("director", app.street, None);
    let case = case_of(
        &app,
        &director,
        "compensation",
        json!({"rights_known_on": "2025-09-01", "employment_ended_on": "2025-08-31"}),
    );
    assert_eq!(case["rights_known_on"], "2025-09-01");
    assert_eq!(case["employment_ended_on"], "2025-08-31");
    assert_eq!(case["limitation_status"], "interrupted");
    assert_eq!(case["limitation_ends"], Value::Null);
    let id = case["id"].as_i64().unwrap();
    act(&app, &director, id, "accept", json!({}));
    act(&app, &director, id, "assign", json!({"mediator_id": me}));
    let closed = act(
        &app,
        &director,
        id,
        "close",
        json!({"outcome": "failed", "referral": "arbitration", "note": "分歧较大"}),
    );
    // Closed on 2026-03-02: a year anew, to Tuesday 2027-03-02.
    assert_eq!(closed["limitation_status"], "running");
    assert_eq!(closed["limitation_ends"], "2027-03-02");
    let (_, _, notice) = app.get_bytes(
        &director,
        &format!("/api/v1/cases/{id}/documents/arbitration_notice"),
    );
    let notice = String::from_utf8(notice).unwrap();
    assert!(
        notice.contains("自调解结束之日起重新计算，届满日为2027-03-02。"),
        "{notice}"
    );
    let mut b = person(&app, "director", Some(app.street), None).browser;
    let page = b.get(&format!("/cases/{id}")).body;
    assert!(page.contains("届满日：2027-03-02"), "{page}");
}

#[test]
fn wages_in_arrears_are_not_limited_while_employed_and_a_late_claim_shows_its_end_passed() {
    let app = spawn_app();
    let (_, director) = app.user("director", app.street, None);
    let employed = case_of(
        &app,
        &director,
        "wage_arrears",
        json!({"rights_known_on": "2020-01-01"}),
    );
    assert_eq!(employed["limitation_status"], "not_limited");
    assert_eq!(employed["limitation_ends"], Value::Null);
    let left = case_of(
        &app,
        &director,
        "wage_arrears",
        json!({"employment_ended_on": "2025-01-10"}),
    );
    // A year from Friday 2025-01-10 is Saturday 2026-01-10: the Monday after.
    assert_eq!(left["limitation_status"], "expired");
    assert_eq!(left["limitation_ends"], "2026-01-12");
    let late = case_of(
        &app,
        &director,
        "contract",
        json!({"rights_known_on": "2025-02-10"}),
    );
    assert_eq!(late["limitation_status"], "expired");
    assert_eq!(late["limitation_ends"], "2026-02-10");
    let unknown = case_of(&app, &director, "contract", json!({}));
    assert_eq!(unknown["limitation_status"], "unknown");
}

#[test]
fn a_day_not_a_date_or_in_the_future_is_refused_and_an_edit_sets_or_clears_one() {
    let app = spawn_app();
    let (_, director) = app.user("director", app.street, None);
    let e = app.enterprise(app.street);
    let before = app.get(&director, "/api/v1/cases").body["total"].clone();
    let mut body = app.case_body(e);
    body["rights_known_on"] = json!("2025-13-01");
    body["employment_ended_on"] = json!("2026-12-31");
    let r = app.post(&director, "/api/v1/cases", body);
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(r.field_error("rights_known_on").is_some());
    assert_eq!(
        r.body["error"]["field_codes"]["employment_ended_on"],
        "in_the_future"
    );
    assert_eq!(app.get(&director, "/api/v1/cases").body["total"], before);

    let case = case_of(&app, &director, "contract", json!({}));
    let id = case["id"].as_i64().unwrap();
    let r = app.patch(
        &director,
        &format!("/api/v1/cases/{id}"),
        json!({"version": case["version"], "rights_known_on": "2025-09-01"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["rights_known_on"], "2025-09-01");
    assert_eq!(r.body["limitation_status"], "interrupted");
    let r = app.patch(
        &director,
        &format!("/api/v1/cases/{id}"),
        json!({"version": r.body["version"], "rights_known_on": ""}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["rights_known_on"], Value::Null);
    assert_eq!(r.body["limitation_status"], "unknown");
}

#[test]
fn the_intake_page_records_the_limitations_days() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let b = &mut director.browser;
    let form = b.get("/cases/new");
    assert!(
        form.body.contains("id=\"f_rights_known_on\""),
        "{}",
        form.body
    );
    assert!(form.body.contains("知道权利受侵害之日"));
    let csrf = Browser::csrf(&form);
    let enterprise = app
        .get(&director.token, &format!("/api/v1/enterprises/{e}"))
        .body["name"]
        .as_str()
        .unwrap()
        .to_string();
    let r = b.post(
        "/cases/new",
        &[
            ("csrf", &csrf),
            ("received_at", "2026-03-02T08:00"),
            ("channel", "visit"),
            ("category", "contract"),
            ("enterprise", &enterprise),
            ("applicant_name", "王芳"),
            ("workers_involved", "1"),
            ("amount_claimed", "1000"),
            ("rights_known_on", "2025-09-01"),
            ("employment_ended_on", ""),
            ("description", "未签劳动合同"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r
        .location
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let case = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(case["rights_known_on"], "2025-09-01");
    assert_eq!(case["employment_ended_on"], Value::Null);
}
