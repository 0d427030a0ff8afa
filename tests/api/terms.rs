//! The agreement's terms and their fulfilment (issue 14): instalments and obligations recorded at
//! closing, payments against them, obligations performed, the agreement's state as days pass,
//! the reminder of an instalment past its date, the desk, scope, and the case page's forms.

use crate::helpers::*;
use chrono::TimeZone;
use serde_json::{json, Value};

struct Setup {
    app: TestApp,
    enterprise: i64,
    officer: String,
    director: String,
    mediator_id: i64,
    mediator: String,
}

fn setup() -> Setup {
    let app = spawn_app();
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

fn action(s: &Setup, token: &str, id: i64, name: &str, body: Value) -> Response {
    s.app
        .post(token, &format!("/api/v1/cases/{id}/{name}"), body)
}

fn case(s: &Setup, id: i64) -> Value {
    let r = s.app.get(&s.director, &format!("/api/v1/cases/{id}"));
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body
}

fn mediating_case(s: &Setup) -> i64 {
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

/// Two instalments (10,000 by 10 March, 20,000 by 31 March) and a certificate by 5 March.
fn two_instalments_and_an_obligation() -> Value {
    json!({
        "outcome": "agreement", "agreement_no": "调协字〔2026〕5号",
        "terms": [
            {"kind": "payment", "amount": "10000", "due": "2026-03-10"},
            {"kind": "payment", "amount": "20000", "due": "2026-03-31"},
            {"kind": "obligation", "text": "出具离职证明", "due": "2026-03-05"}
        ]
    })
}

fn closed_with_terms(s: &Setup) -> (i64, Value) {
    let id = mediating_case(s);
    let r = action(
        s,
        &s.mediator,
        id,
        "close",
        two_instalments_and_an_obligation(),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    (id, r.body)
}

/// A local time in Shanghai on a day of March 2026.
fn march(day: u32, hour: u32) -> chrono::DateTime<chrono::Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, 3, day, hour, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

fn statuses(c: &Value) -> Vec<String> {
    c["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn closing_with_two_instalments_and_an_obligation_records_the_terms_and_their_sum() {
    let s = setup();
    let (id, c) = closed_with_terms(&s);
    assert_eq!(c["status"], "resolved");
    assert_eq!(c["amount_agreed"], "30000.00");
    // The case's payment due date is the first instalment's.
    assert_eq!(c["payment_due"], "2026-03-10");
    let terms = c["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 3);
    assert_eq!(terms[0]["kind"], "payment");
    assert_eq!(terms[0]["amount"], "10000.00");
    assert_eq!(terms[0]["due"], "2026-03-10");
    assert_eq!(terms[0]["paid"], "0.00");
    assert_eq!(terms[0]["text"], Value::Null);
    assert_eq!(terms[1]["amount"], "20000.00");
    assert_eq!(terms[2]["kind"], "obligation");
    assert_eq!(terms[2]["text"], "出具离职证明");
    assert_eq!(terms[2]["amount"], Value::Null);
    assert_eq!(terms[2]["paid"], Value::Null);
    assert!(terms
        .iter()
        .all(|t| t["id"].is_i64() && t["status"] == "pending"));
    assert_eq!(c["fulfilment"], "not_due");
    // Read again, the same.
    assert_eq!(case(&s, id)["terms"], c["terms"]);
    // The amount agreed may be sent too, when it is the sum.
    let other = mediating_case(&s);
    let mut body = two_instalments_and_an_obligation();
    body["amount_agreed"] = json!("30000");
    assert_eq!(action(&s, &s.mediator, other, "close", body).status, 200);
}

#[test]
fn an_amount_agreed_other_than_the_instalments_sum_is_422_and_nothing_is_written() {
    let s = setup();
    let id = mediating_case(&s);
    let before = case(&s, id);
    let mut body = two_instalments_and_an_obligation();
    body["amount_agreed"] = json!("40000");
    let r = action(&s, &s.mediator, id, "close", body);
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.code(), "validation");
    assert_eq!(
        r.field_error("amount_agreed"),
        Some("must equal the sum of the payment terms (30000.00)")
    );
    assert_eq!(
        r.body["error"]["field_codes"]["amount_agreed"],
        "not_the_instalments_sum"
    );
    let after = case(&s, id);
    assert_eq!(after["status"], "mediating");
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["terms"], json!([]));
    assert_eq!(after["fulfilment"], Value::Null);
}

#[test]
fn terms_that_cannot_be_read_are_422_naming_each_term() {
    let s = setup();
    let id = mediating_case(&s);
    let r = action(
        &s,
        &s.mediator,
        id,
        "close",
        json!({"outcome": "agreement", "payment_due": "2026-03-31", "terms": [
            {"kind": "payment", "amount": "10000"},
            {"kind": "payment", "amount": "0", "due": "2026-03-31"},
            {"kind": "gift", "text": "x"},
            {"kind": "obligation", "amount": "5", "text": "  "}
        ]}),
    );
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(
        r.field_error("terms[0].due"),
        Some("is required (YYYY-MM-DD)")
    );
    assert_eq!(
        r.field_error("terms[1].amount"),
        Some("must be more than 0")
    );
    assert!(r.field_error("terms[2].kind").is_some());
    assert!(r.field_error("terms[3].amount").is_some());
    assert!(r.field_error("terms[3].text").is_some());
    assert!(r.field_error("payment_due").is_some());
    let r = action(
        &s,
        &s.mediator,
        id,
        "close",
        json!({"outcome": "agreement", "terms": []}),
    );
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.field_error("terms"), Some("must list at least one term"));
    assert_eq!(case(&s, id)["status"], "mediating");
}

#[test]
fn a_client_sending_only_amount_agreed_and_payment_due_gets_one_instalment() {
    let s = setup();
    let id = mediating_case(&s);
    let r = action(
        &s,
        &s.mediator,
        id,
        "close",
        json!({"outcome": "agreement", "amount_agreed": "40000", "payment_due": "2026-03-31"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let terms = r.body["terms"].as_array().unwrap();
    assert_eq!(terms.len(), 1);
    assert_eq!(terms[0]["kind"], "payment");
    assert_eq!(terms[0]["amount"], "40000.00");
    assert_eq!(terms[0]["due"], "2026-03-31");
    assert_eq!(r.body["amount_agreed"], "40000.00");
    assert_eq!(r.body["payment_due"], "2026-03-31");
    // A payment without term_id pays it.
    let r = action(
        &s,
        &s.mediator,
        id,
        "payments",
        json!({"amount": "40000", "paid_at": "2026-03-02"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["terms"][0]["paid"], "40000.00");
    assert_eq!(r.body["terms"][0]["status"], "performed");
    assert_eq!(r.body["fulfilment"], "performed");
    assert_eq!(r.body["payments"][0]["term_id"], Value::Null);
}

#[test]
fn a_late_payment_makes_the_agreement_overdue_and_then_performed() {
    let s = setup();
    let (id, c) = closed_with_terms(&s);
    let obligation = c["terms"][2]["id"].as_i64().unwrap();

    // 6 March: the certificate was due on the 5th.
    s.app.set_now(march(6, 9));
    let c = case(&s, id);
    assert_eq!(statuses(&c), ["pending", "pending", "overdue"]);
    assert_eq!(c["fulfilment"], "overdue");

    // Issued on the 6th: nothing is overdue, the first instalment is not yet due.
    let r = s.app.post(
        &s.mediator,
        &format!("/api/v1/cases/{id}/terms/{obligation}/performed"),
        json!({"note": "已当面交付"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(statuses(&r.body), ["pending", "pending", "performed"]);
    assert_eq!(r.body["terms"][2]["performed_on"], "2026-03-06");
    assert_eq!(r.body["terms"][2]["performed_note"], "已当面交付");
    assert_eq!(r.body["terms"][2]["late"], true);
    assert_eq!(r.body["fulfilment"], "on_time");
    assert_eq!(
        r.body["events"].as_array().unwrap().last().unwrap()["action"],
        "performed"
    );
    // Once is enough.
    let again = s.app.post(
        &s.mediator,
        &format!("/api/v1/cases/{id}/terms/{obligation}/performed"),
        json!({}),
    );
    assert_eq!(again.status, 409, "{:?}", again.body);

    // 12 March: the first instalment (due the 10th) is unpaid.
    s.app.set_now(march(12, 9));
    let c = case(&s, id);
    assert_eq!(statuses(&c), ["overdue", "pending", "performed"]);
    assert_eq!(c["fulfilment"], "overdue");
    // Paid late, without naming it: it pays the earliest instalment.
    let r = action(
        &s,
        &s.mediator,
        id,
        "payments",
        json!({"amount": "10000", "paid_at": "2026-03-12"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(statuses(&r.body), ["performed", "pending", "performed"]);
    assert_eq!(r.body["terms"][0]["late"], true);
    assert_eq!(r.body["terms"][0]["performed_on"], "2026-03-12");
    assert_eq!(r.body["fulfilment"], "on_time");

    // The second in time, against it by name.
    let second = r.body["terms"][1]["id"].as_i64().unwrap();
    let r = action(
        &s,
        &s.mediator,
        id,
        "payments",
        json!({"amount": "20000", "paid_at": "2026-03-12", "term_id": second}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["terms"][1]["paid"], "20000.00");
    assert_eq!(r.body["terms"][1]["late"], false);
    assert_eq!(r.body["fulfilment"], "performed");
    assert_eq!(r.body["amount_paid"], "30000.00");
    assert_eq!(r.body["payments"][1]["term_id"], second);
}

#[test]
fn a_payment_may_name_only_an_instalment_of_the_case_and_no_more_than_it_owes() {
    let s = setup();
    let (id, c) = closed_with_terms(&s);
    let first = c["terms"][0]["id"].as_i64().unwrap();
    let obligation = c["terms"][2]["id"].as_i64().unwrap();
    let pay = |amount: &str, term: Value| {
        action(
            &s,
            &s.mediator,
            id,
            "payments",
            json!({"amount": amount, "paid_at": "2026-03-02", "term_id": term}),
        )
    };
    let r = pay("10000.01", json!(first));
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(
        r.field_error("term_id"),
        Some("is more than the instalment still owes (10000.00)")
    );
    let r = pay("1", json!(obligation));
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(
        r.body["error"]["field_codes"]["term_id"],
        "not_an_instalment"
    );
    // Another case's instalment is not this case's.
    let (_, other) = closed_with_terms(&s);
    let r = pay("1", other["terms"][0]["id"].clone());
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(case(&s, id)["amount_paid"], "0.00");
    // An instalment is performed by paying it, not by marking it.
    let r = s.app.post(
        &s.mediator,
        &format!("/api/v1/cases/{id}/terms/{first}/performed"),
        json!({}),
    );
    assert_eq!(r.status, 409, "{:?}", r.body);
    // A term of another case, named in the path, is not found.
    let other_term = other["terms"][2]["id"].as_i64().unwrap();
    let r = s.app.post(
        &s.mediator,
        &format!("/api/v1/cases/{id}/terms/{other_term}/performed"),
        json!({}),
    );
    assert_eq!(r.status, 404, "{:?}", r.body);
}

fn scan(app: &TestApp, at: chrono::DateTime<chrono::Utc>) -> usize {
    tiaojie::services::reminders::scan_blocking(&app.ctx, at)
        .unwrap()
        .instalment_reminders
}

fn instalment_mails(app: &TestApp) -> Vec<Value> {
    let r = app.get(&app.admin_token, "/api/v1/notifications?per_page=200");
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "instalment_overdue")
        .cloned()
        .collect()
}

#[test]
fn an_instalment_past_its_date_reminds_the_mediator_once_however_often_the_scan_runs() {
    let s = setup();
    let (id, c) = closed_with_terms(&s);
    let mediator_email = s
        .app
        .get(
            &s.app.admin_token,
            &format!("/api/v1/users/{}", s.mediator_id),
        )
        .body["email"]
        .clone();
    // On the due day it is not yet late.
    assert_eq!(scan(&s.app, march(10, 9)), 0);
    assert!(instalment_mails(&s.app).is_empty());
    // The day after, once.
    assert_eq!(scan(&s.app, march(11, 9)), 1);
    assert_eq!(scan(&s.app, march(11, 10)), 0);
    s.app.set_now(march(12, 9));
    assert_eq!(scan(&s.app, march(12, 9)), 0);
    let mails = instalment_mails(&s.app);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["recipient"], mediator_email);
    assert!(mails[0]["subject"]
        .as_str()
        .unwrap()
        .contains(c["case_no"].as_str().unwrap()));
    // Paid in part, still overdue: no second reminder for it.
    let r = action(
        &s,
        &s.mediator,
        id,
        "payments",
        json!({"amount": "5000", "paid_at": "2026-03-12"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(scan(&s.app, march(13, 9)), 0);
    // Paid in full before its date, the second is never reminded of.
    let r = action(
        &s,
        &s.mediator,
        id,
        "payments",
        json!({"amount": "25000", "paid_at": "2026-03-12"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(scan(&s.app, march(31, 23) + chrono::Duration::days(1)), 0);
    assert_eq!(instalment_mails(&s.app).len(), 1);
}

#[test]
fn an_overdue_instalment_shows_on_the_mediators_and_the_directors_desk() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let director_id = app.named_user("deskdirector", "桌面主任", "director", app.street, None);
    app.named_user("deskmediator", "别的调解员", "mediator", app.street, None);
    let director = app.login("deskdirector", PASSWORD);
    let r = app.post(&director, "/api/v1/cases", app.case_body(e));
    let id = r.body["id"].as_i64().unwrap();
    for (name, body) in [
        ("accept", json!({})),
        ("assign", json!({"mediator_id": director_id})),
        ("close", two_instalments_and_an_obligation()),
    ] {
        let r = app.post(&director, &format!("/api/v1/cases/{id}/{name}"), body);
        assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    }
    let case_no = app.get(&director, &format!("/api/v1/cases/{id}")).body["case_no"]
        .as_str()
        .unwrap()
        .to_string();
    let desk = signed_in(&app, "deskdirector").get("/");
    assert!(!desk.body.contains("协议分期逾期未付"));
    // Days later (signed in again: a session idles out in half an hour).
    app.set_now(march(11, 9));
    let desk = signed_in(&app, "deskdirector").get("/");
    assert_eq!(desk.status, 200);
    assert!(desk.body.contains("协议分期逾期未付"), "{}", desk.body);
    assert!(desk.body.contains(&case_no));
    assert!(desk.body.contains("10,000.00"));
    // Another mediator's desk shows only their own cases' instalments.
    let theirs = signed_in(&app, "deskmediator").get("/");
    assert_eq!(theirs.status, 200);
    assert!(!theirs.body.contains("协议分期逾期未付"));
}

#[test]
fn officers_see_the_terms_of_their_own_enterprises_cases_only_and_cannot_record_them() {
    let s = setup();
    let (id, c) = closed_with_terms(&s);
    let obligation = c["terms"][2]["id"].as_i64().unwrap();
    let r = s.app.get(&s.officer, &format!("/api/v1/cases/{id}"));
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["terms"].as_array().unwrap().len(), 3);
    assert_eq!(r.body["fulfilment"], "not_due");
    let path = format!("/api/v1/cases/{id}/terms/{obligation}/performed");
    assert_eq!(s.app.post(&s.officer, &path, json!({})).status, 403);
    assert_eq!(
        action(
            &s,
            &s.officer,
            id,
            "payments",
            json!({"amount": "1", "paid_at": "2026-03-02"})
        )
        .status,
        403
    );
    // Another enterprise's officer does not learn the case exists.
    let elsewhere = s.app.enterprise(s.app.street);
    let (_, stranger) = s.app.designated_officer(elsewhere);
    assert_eq!(
        s.app.get(&stranger, &format!("/api/v1/cases/{id}")).status,
        404
    );
    assert_eq!(s.app.post(&stranger, &path, json!({})).status, 404);
    // Another street's mediator neither.
    let (_, away) = s.app.user("mediator", s.app.other_street, None);
    assert_eq!(s.app.post(&away, &path, json!({})).status, 404);
    assert_eq!(case(&s, id)["terms"][2]["status"], "pending");
}

#[test]
fn an_obligation_performed_is_dated_neither_in_the_future_nor_before_the_previous_event() {
    let s = setup();
    let (id, c) = closed_with_terms(&s);
    let obligation = c["terms"][2]["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{id}/terms/{obligation}/performed");
    let r = s.app.post(
        &s.mediator,
        &path,
        json!({"at": "2026-03-03T09:00:00+08:00"}),
    );
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.field_error("at"), Some("must not be in the future"));
    let r = s.app.post(
        &s.mediator,
        &path,
        json!({"at": "2026-03-01T09:00:00+08:00"}),
    );
    assert_eq!(r.status, 422, "{:?}", r.body);
    let r = s.app.post(&s.mediator, &path, json!({"when": "today"}));
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert_eq!(case(&s, id)["terms"][2]["status"], "pending");
    // Only on a resolved case: a mediating one has no terms to perform.
    let open = mediating_case(&s);
    let r = s.app.post(
        &s.mediator,
        &format!("/api/v1/cases/{open}/terms/{obligation}/performed"),
        json!({}),
    );
    assert_eq!(r.status, 409, "{:?}", r.body);
}

fn field_error_on(page: &Page, id: &str) -> bool {
    page.body.contains(&format!("id=\"{id}\""))
}

#[test]
fn the_case_page_closes_with_two_instalments_and_an_obligation_pays_one_and_marks_the_other_done() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let r = app.post(&director.token, "/api/v1/cases", app.case_body(e));
    let id = r.body["id"].as_i64().unwrap();
    for (name, body) in [
        ("accept", json!({})),
        ("assign", json!({"mediator_id": director.id})),
    ] {
        let r = app.post(&director.token, &format!("/api/v1/cases/{id}/{name}"), body);
        assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    }
    let b = &mut director.browser;
    let page = b.get(&format!("/cases/{id}"));
    assert!(page.body.contains("name=\"instalment_amount_2\""));
    assert!(page.body.contains("name=\"obligation_text_1\""));
    assert!(page.body.contains("分期付款 2 · "));
    let csrf = Browser::csrf(&page);
    let path = format!("/cases/{id}/act/close_agreement");

    // A wrong sum and an instalment without its date: each error beside its field.
    let r = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("amount_agreed", "99999"),
            ("instalment_amount_1", "10,000"),
            ("instalment_amount_2", "20000"),
            ("instalment_due_2", "2026-03-31"),
            ("obligation_text_1", "出具离职证明"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = b.get(&format!("/cases/{id}"));
    assert!(
        field_error_on(&page, "e_close_agreement_instalment_due_1"),
        "{}",
        page.body
    );
    assert!(!field_error_on(&page, "e_close_agreement_amount_agreed"));
    assert!(page.body.contains("value=\"出具离职证明\""));
    assert_eq!(
        app.get(&director.token, &format!("/api/v1/cases/{id}"))
            .body["status"],
        "mediating"
    );
    let r = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("amount_agreed", "99999"),
            ("instalment_amount_1", "10,000"),
            ("instalment_due_1", "2026-03-10"),
            ("instalment_amount_2", "20000"),
            ("instalment_due_2", "2026-03-31"),
            ("obligation_text_1", "出具离职证明"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = b.get(&format!("/cases/{id}"));
    assert!(
        field_error_on(&page, "e_close_agreement_amount_agreed"),
        "{}",
        page.body
    );

    // Corrected: the amount left to the rows.
    let r = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("agreement_no", "调协字〔2026〕8号"),
            ("instalment_amount_1", "10,000"),
            ("instalment_due_1", "2026-03-10"),
            ("instalment_amount_2", "20000"),
            ("instalment_due_2", "2026-03-31"),
            ("obligation_text_1", "出具离职证明"),
            ("obligation_due_1", "2026-03-05"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let c = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(c["status"], "resolved", "{c:?}");
    assert_eq!(c["amount_agreed"], "30000.00");
    assert_eq!(c["terms"].as_array().unwrap().len(), 3);
    let second = c["terms"][1]["id"].as_i64().unwrap().to_string();
    let obligation = c["terms"][2]["id"].as_i64().unwrap().to_string();

    let page = b.get(&format!("/cases/{id}"));
    for text in [
        "协议内容与履行",
        "分期付款 1",
        "出具离职证明",
        "未到履行期",
        "标记已履行",
        "所付分期",
    ] {
        assert!(page.body.contains(text), "{text}: {}", page.body);
    }
    // A payment against the second instalment.
    let r = b.post(
        &format!("/cases/{id}/act/payments"),
        &[
            ("csrf", &csrf),
            ("amount", "20000"),
            ("paid_at", "2026-03-02"),
            ("term_id", &second),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // The obligation marked performed.
    let r = b.post(
        &format!("/cases/{id}/act/performed"),
        &[
            ("csrf", &csrf),
            ("term_id", &obligation),
            ("note", "当面交付"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let c = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(c["terms"][0]["paid"], "0.00");
    assert_eq!(c["terms"][1]["status"], "performed");
    assert_eq!(c["terms"][2]["status"], "performed");
    assert_eq!(c["terms"][2]["performed_note"], "当面交付");
    assert_eq!(c["fulfilment"], "on_time");
    let page = b.get(&format!("/cases/{id}"));
    assert!(page.body.contains("按期履行中"));
    assert!(!page.body.contains("标记已履行"));
}

#[test]
fn the_printed_agreement_lists_each_instalment_with_its_capitals_and_each_obligation() {
    let s = setup();
    let (id, _) = closed_with_terms(&s);
    let (status, _, body) = s.app.get_bytes(
        &s.director,
        &format!("/api/v1/cases/{id}/documents/agreement"),
    );
    assert_eq!(status, 200);
    let body = String::from_utf8(body).unwrap();
    for text in [
        "被申请人向申请人支付人民币（元）：30,000.00（大写：叁万元整），分2期支付。",
        "<li>第1期：被申请人于2026-03-10前（含当日）支付人民币（元）：10,000.00（大写：壹万元整）。</li>",
        "<li>第2期：被申请人于2026-03-31前（含当日）支付人民币（元）：20,000.00（大写：贰万元整）。</li>",
        "<li>被申请人于2026-03-05前（含当日）出具离职证明。</li>",
    ] {
        assert!(body.contains(text), "{text}: {body}");
    }
}

#[test]
fn an_overdue_agreement_to_pay_wages_points_the_worker_to_a_payment_order_and_prints_the_notice() {
    let s = setup();
    let (id, _) = closed_with_terms(&s);
    let notice = format!("/api/v1/cases/{id}/documents/payment_order_notice");
    let listed = s
        .app
        .get(&s.director, &format!("/api/v1/cases/{id}/documents"))
        .body;
    let item = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "payment_order_notice")
        .unwrap()
        .clone();
    assert_eq!(item["available"], true, "wages in arrears: article 16");

    let mut b = person(&s.app, "director", Some(s.app.street), None).browser;
    let page = b.get(&format!("/cases/{id}")).body;
    assert!(!page.contains("申请支付令。"), "nothing is overdue yet");
    // 11 March: the first instalment was due on the 10th and nothing was paid.
    s.app.set_now(march(11, 9));
    let mut b = person(&s.app, "director", Some(s.app.street), None).browser;
    let page = b.get(&format!("/cases/{id}")).body;
    assert!(
        page.contains("可以持调解协议书向人民法院申请支付令"),
        "{page}"
    );
    let printed = b.get(&format!("/cases/{id}/print/payment-order-notice"));
    assert_eq!(printed.status, 200);
    for text in [
        "支付令申请告知书",
        "第十六条",
        "截至2026-03-11，被申请人逾期未支付的金额为人民币（元）：10,000.00。",
        "（调协字〔2026〕5号）",
    ] {
        assert!(printed.body.contains(text), "{text}: {}", printed.body);
    }
    let (status, content_type, _) = s
        .app
        .get_bytes(&s.director, &format!("{notice}?format=docx"));
    assert_eq!(status, 200);
    assert!(content_type.contains("wordprocessingml"));

    // A contract dispute is not among article 16's claims.
    let other = s.app.create_case(&s.mediator, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    let r = s.app.patch(
        &s.director,
        &format!("/api/v1/cases/{other}"),
        json!({"version": case(&s, other)["version"], "category": "contract"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        action(&s, &s.mediator, other, "accept", json!({})).status,
        200
    );
    let r = action(
        &s,
        &s.director,
        other,
        "assign",
        json!({"mediator_id": s.mediator_id}),
    );
    assert_eq!(r.status, 200);
    let r = action(
        &s,
        &s.mediator,
        other,
        "close",
        two_instalments_and_an_obligation(),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = s.app.get(
        &s.director,
        &format!("/api/v1/cases/{other}/documents/payment_order_notice"),
    );
    assert_eq!(r.status, 409, "{:?}", r.body);
    let page = b.get(&format!("/cases/{other}")).body;
    assert!(!page.contains("申请支付令"), "{page}");
}

#[test]
fn the_monthly_report_counts_the_agreements_performed_and_overdue_as_they_stood_at_its_end() {
    let s = setup();
    // Paid in full on the day: performed.
    let paid = mediating_case(&s);
    let r = action(
        &s,
        &s.mediator,
        paid,
        "close",
        json!({"outcome": "agreement", "amount_agreed": "5000", "payment_due": "2026-03-20"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = action(
        &s,
        &s.mediator,
        paid,
        "payments",
        json!({"amount": "5000", "paid_at": "2026-03-02"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    // Two instalments and a certificate: overdue by the end of March, nothing paid.
    let (late, _) = closed_with_terms(&s);
    // Not yet due when the month ends.
    let later = mediating_case(&s);
    let r = action(
        &s,
        &s.mediator,
        later,
        "close",
        json!({"outcome": "agreement", "amount_agreed": "3000", "payment_due": "2026-04-30"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);

    s.app.set_now(march(31, 20));
    let report = s
        .app
        .get(&s.director, "/api/v1/reports/monthly?month=2026-03");
    assert_eq!(report.status, 200, "{:?}", report.body);
    assert_eq!(report.body["resolved"], 3);
    assert_eq!(report.body["agreements_performed"], 1);
    assert_eq!(report.body["agreements_overdue"], 1, "case {late}");
    assert_eq!(report.body["amount_agreed"], "38000.00");
    assert_eq!(report.body["amount_paid"], "5000.00");

    // Paid in April: March's report still says how things stood on 31 March.
    s.app.set_now(
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 4, 2, 9, 0, 0)
            .unwrap()
            .with_timezone(&chrono::Utc),
    );
    let r = action(
        &s,
        &s.mediator,
        late,
        "payments",
        json!({"amount": "30000", "paid_at": "2026-04-01"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let report = s
        .app
        .get(&s.director, "/api/v1/reports/monthly?month=2026-03");
    assert_eq!(report.body["agreements_overdue"], 1);
    let page = person(&s.app, "director", Some(s.app.street), None)
        .browser
        .get("/reports/monthly?month=2026-03")
        .body;
    assert!(page.contains("协议逾期未履行（件）"), "{page}");
    assert!(
        page.contains("有一项以上已过约定期限而未履行的件数"),
        "the definition is on the page"
    );
}

#[test]
fn an_agreement_of_a_hundred_and_one_terms_or_an_obligation_of_1001_characters_is_refused() {
    let s = setup();
    let id = mediating_case(&s);
    let payments = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|_| json!({"kind": "payment", "amount": "10", "due": "2026-03-31"}))
            .collect()
    };
    let close = |terms: Vec<Value>| {
        action(
            &s,
            &s.mediator,
            id,
            "close",
            json!({"outcome": "agreement", "terms": terms}),
        )
    };
    let r = close(payments(101));
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.body["error"]["field_codes"]["terms"], "too_many_terms");
    let mut long = payments(1);
    long.push(json!({"kind": "obligation", "text": "证".repeat(1001)}));
    let r = close(long);
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(r.field_error("terms[1].text").is_some(), "{:?}", r.body);
    assert_eq!(case(&s, id)["status"], "mediating", "nothing was written");

    let mut most = payments(99);
    most.push(json!({"kind": "obligation", "text": "证".repeat(1000)}));
    let r = close(most);
    assert_eq!(
        r.status, 200,
        "a hundred terms, the longest text: {:?}",
        r.body
    );
    assert_eq!(r.body["terms"].as_array().unwrap().len(), 100);
    assert_eq!(r.body["amount_agreed"], "990.00");
}
