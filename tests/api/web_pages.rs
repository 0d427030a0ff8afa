//! The pages beyond the case workflow: printed documents, warnings, consultations, admin, and
//! the HTML 404. Each test signs a user in through the login form and drives the pages as a
//! browser does; state changes are checked through the JSON API.

use crate::helpers::*;
use crate::web::Browser;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};

static N: AtomicU64 = AtomicU64::new(0);

/// A user of `role` created through the API, with a signed-in browser and an API token.
struct Person {
    id: i64,
    token: String,
    browser: Browser,
}

fn person(app: &TestApp, role: &str, unit: Option<i64>, enterprise: Option<i64>) -> Person {
    let username = format!("{role}p{}", N.fetch_add(1, Ordering::SeqCst));
    let r = app.post(
        &app.admin_token,
        "/api/v1/users",
        json!({"username": username, "display_name": "页面用户", "email": format!("{username}@example.org"),
               "password": PASSWORD, "role": role, "unit_id": unit, "enterprise_id": enterprise}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let mut browser = Browser::new(app);
    let r = browser.post(
        "/login",
        &[
            ("username", &username),
            ("password", PASSWORD),
            ("next", "/"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    Person {
        id,
        token: app.login(&username, PASSWORD),
        browser,
    }
}

/// A case walked to `mediating` by a director, with the director as mediator.
fn mediating_case(app: &TestApp, director: &Person, body: Value) -> i64 {
    let r = app.post(&director.token, "/api/v1/cases", body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let act = |name: &str, body: Value| {
        let r = app.post(&director.token, &format!("/api/v1/cases/{id}/{name}"), body);
        assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    };
    act("accept", json!({}));
    act("assign", json!({"mediator_id": director.id}));
    id
}

#[test]
fn a_resolved_case_prints_its_agreement_and_a_failed_one_its_arbitration_notice() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let mut body = app.case_body(e);
    body["applicant_name"] = json!("<script>alert(1)</script>");
    let resolved = mediating_case(&app, &director, body.clone());
    let r = app.post(
        &director.token,
        &format!("/api/v1/cases/{resolved}/close"),
        json!({"outcome": "agreement", "amount_agreed": "40000", "agreement_no": "调协字〔2026〕1号", "payment_due": "2026-03-31"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let failed = mediating_case(&app, &director, app.case_body(e));
    let r = app.post(
        &director.token,
        &format!("/api/v1/cases/{failed}/close"),
        json!({"outcome": "failed", "referral": "arbitration", "note": "分歧较大"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);

    let b = &mut director.browser;
    let page = b.get(&format!("/cases/{resolved}"));
    assert!(page
        .body
        .contains(&format!("/cases/{resolved}/print/agreement")));
    assert!(!page.body.contains("arbitration-notice"));
    let doc = b.get(&format!("/cases/{resolved}/print/agreement"));
    assert_eq!(doc.status, 200);
    for text in [
        "劳动争议调解协议书",
        "调协字〔2026〕1号",
        "40000.00",
        "2026-03-31",
        "45000.50",
        "东街街道劳动争议调解委员会",
        "调解员（签名）",
        "（印章）",
        "size: A4",
    ] {
        let haystack = if text == "size: A4" {
            b.get("/static/app.css").body
        } else {
            doc.body.clone()
        };
        assert!(haystack.contains(text), "{text}");
    }
    assert!(!doc.body.contains("<script>alert"));
    assert!(doc.body.contains("&lt;script&gt;"));
    // The agreement of a failed case, and the notice of a resolved one, do not exist.
    assert_eq!(
        b.get(&format!("/cases/{failed}/print/agreement")).status,
        409
    );
    assert_eq!(
        b.get(&format!("/cases/{resolved}/print/arbitration-notice"))
            .status,
        409
    );

    let page = b.get(&format!("/cases/{failed}"));
    assert!(page
        .body
        .contains(&format!("/cases/{failed}/print/arbitration-notice")));
    let notice = b.get(&format!("/cases/{failed}/print/arbitration-notice"));
    assert_eq!(notice.status, 200);
    for text in ["告知仲裁权利书", "劳动仲裁", "一年", "分歧较大", "王芳"] {
        assert!(notice.body.contains(text), "{text}");
    }

    // Out of scope: another street's director sees no such case.
    let mut other = person(&app, "director", Some(app.other_street), None);
    assert_eq!(
        other
            .browser
            .get(&format!("/cases/{resolved}/print/agreement"))
            .status,
        404
    );
}

#[test]
fn an_officer_reports_a_warning_from_the_phone_form_and_sees_only_their_enterprise() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let other_e = app.enterprise(app.street);
    let mut officer = person(&app, "officer", Some(app.street), Some(e));
    let mut other = person(&app, "officer", Some(app.street), Some(other_e));
    let b = &mut officer.browser;

    let desk = b.get("/");
    let nav = &desk.body[desk.body.find("<nav").unwrap()..];
    assert!(nav.find("/warnings").unwrap() < nav.find("href=\"/\"").unwrap());
    let form = b.get("/warnings/new");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("inputmode=\"numeric\""));
    assert!(
        !form.body.contains("name=\"enterprise_id\""),
        "the officer's enterprise is implied"
    );
    let csrf = Browser::csrf(&form);
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("level", "red"),
        ("category", "wage_arrears"),
        ("workers_at_risk", "many"),
        ("amount_at_risk", "80000"),
        ("description", "<script>alert(1)</script>老板失联"),
    ];
    let r = b.post("/warnings/new", &fields);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("aria-describedby=\"e_workers_at_risk\""));
    assert!(r.body.contains("老板失联"), "values are kept");
    assert!(!r.body.contains("<script>alert"));
    fields[3].1 = "30";
    let r = b.post("/warnings/new", &fields);
    assert_eq!(r.status, 303, "{}", r.body);
    let path = r.location.unwrap();
    let id: i64 = path.trim_start_matches("/warnings/").parse().unwrap();
    let w = app
        .get(&officer.token, &format!("/api/v1/warnings/{id}"))
        .body;
    assert_eq!(w["enterprise_id"], e);
    assert_eq!(w["level"], "red");
    assert_eq!(w["workers_at_risk"], 30);

    let page = b.get(&path);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("&lt;script&gt;"));
    assert!(!page.body.contains("<script>alert"));
    assert!(
        !page.body.contains("/act/acknowledge"),
        "officers do not act on warnings"
    );
    assert!(b.get("/warnings").body.contains(&path));
    assert!(b.get("/").body.contains(&path), "the desk lists it");

    // Another enterprise's officer neither sees it nor lists it.
    assert_eq!(other.browser.get(&path).status, 404);
    assert!(!other.browser.get("/warnings").body.contains(&path));
    // A viewer has no warnings at all.
    let mut viewer = person(&app, "viewer", Some(app.district), None);
    assert_eq!(viewer.browser.get("/warnings").status, 403);
}

#[test]
fn a_director_acknowledges_defuses_and_escalates_warnings_from_their_pages() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let officer = person(&app, "officer", Some(app.street), Some(e));
    let mut director = person(&app, "director", Some(app.street), None);
    let report = |description: &str| {
        let r = app.post(
            &officer.token,
            "/api/v1/warnings",
            json!({"level": "orange", "category": "layoff_relocation", "workers_at_risk": 12, "description": description}),
        );
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body["id"].as_i64().unwrap()
    };
    let first = report("计划整体搬迁");
    let second = report("裁员传闻");
    let b = &mut director.browser;

    let desk = b.get("/");
    assert!(desk.body.contains("待签收的预警"));
    assert!(desk.body.contains(&format!("/warnings/{first}")));

    let page = b.get(&format!("/warnings/{first}"));
    assert_eq!(page.status, 200);
    let csrf = Browser::csrf(&page);
    let r = b.post(
        &format!("/warnings/{first}/act/acknowledge"),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303);
    let w = |id: i64| {
        app.get(&director.token, &format!("/api/v1/warnings/{id}"))
            .body
    };
    assert_eq!(w(first)["status"], "acknowledged");
    // Acknowledged: no longer on the desk's unacknowledged list.
    assert!(!b.get("/").body.contains(&format!("/warnings/{first}\"")));

    let r = b.post(
        &format!("/warnings/{first}/act/escalate"),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303);
    let case_path = r.location.unwrap();
    assert!(case_path.starts_with("/cases/"));
    let case_id: i64 = case_path.trim_start_matches("/cases/").parse().unwrap();
    assert_eq!(w(first)["status"], "escalated");
    assert_eq!(w(first)["case_id"], case_id);
    assert!(b.get(&case_path).body.contains("预警转办"));

    // Defusing needs a note: without one the page comes back with the error.
    let r = b.post(
        &format!("/warnings/{second}/act/defuse"),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 422);
    assert_eq!(w(second)["status"], "reported");
    let r = b.post(
        &format!("/warnings/{second}/act/defuse"),
        &[("csrf", &csrf), ("note", "企业已承诺不裁员")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(w(second)["status"], "defused");
    // A second escalation is refused with the page and a 409.
    let r = b.post(
        &format!("/warnings/{first}/act/escalate"),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 409);
    // Without the CSRF token nothing happens.
    let third = report("第三条");
    let r = b.post(
        &format!("/warnings/{third}/act/acknowledge"),
        &[("csrf", "forged")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(w(third)["status"], "reported");
}

#[test]
fn a_mediator_records_consultations_on_one_screen_and_turns_one_into_a_case() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut mediator = person(&app, "mediator", Some(app.street), None);
    let b = &mut mediator.browser;
    let form = b.get("/consultations/new");
    assert_eq!(form.status, 200);
    let csrf = Browser::csrf(&form);
    let e = e.to_string();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("received_at", "2026-03-02T08:40"),
        ("channel", "phone"),
        ("topic", "overtime_leave"),
        ("workers", "0"),
        ("enterprise_id", e.as_str()),
        ("summary", "<script>alert(1)</script>加班费怎么算"),
    ];
    let r = b.post("/consultations/new", &fields);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("aria-describedby=\"e_workers\""));
    assert!(r.body.contains("加班费怎么算"));
    assert!(!r.body.contains("<script>alert"));
    fields[4].1 = "2";
    let r = b.post("/consultations/new", &fields);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some("/consultations/new?saved=1"));
    let saved = app.get(&mediator.token, "/api/v1/consultations").body;
    let items = saved["items"].as_array().or(saved.as_array()).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["topic"], "overtime_leave");
    assert_eq!(items[0]["workers"], 2);

    let list = b.get("/consultations");
    assert_eq!(list.status, 200);
    assert!(list.body.contains("&lt;script&gt;"));
    assert!(!list.body.contains("<script>alert"));
    let start = list
        .body
        .find("href=\"/cases/new?")
        .expect("a turn-into-a-case link")
        + 6;
    let link = list.body[start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&")
        .replace("&#x3D;", "=");
    let intake = b.get(&link);
    assert_eq!(intake.status, 200);
    assert!(intake
        .body
        .contains("<option value=\"overtime_leave\" selected>"));
    assert!(intake.body.contains("<option value=\"phone\" selected>"));
    assert!(intake.body.contains("加班费怎么算"));
    assert!(!intake.body.contains("<script>alert"));
    assert!(intake.body.contains(&format!("value=\"{e}\"")));

    // Officers and viewers record no consultations.
    let officer_enterprise = app.enterprise(app.street);
    let mut officer = person(&app, "officer", Some(app.street), Some(officer_enterprise));
    assert_eq!(officer.browser.get("/consultations").status, 403);
    assert_eq!(officer.browser.get("/consultations/new").status, 403);
}
