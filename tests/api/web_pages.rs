//! The pages beyond the case workflow: printed documents, warnings, consultations, admin, and
//! the HTML 404. Each test signs a user in through the login form and drives the pages as a
//! browser does; state changes are checked through the JSON API.

use crate::helpers::*;
use serde_json::{json, Value};

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
        "40,000.00",
        "（大写：肆万元整）",
        "2026-03-31",
        "45,000.50",
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
        !form.body.contains("name=\"enterprise\""),
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
    assert!(
        b.get("/warnings/new").body.contains(&path),
        "the form lists the latest reports"
    );

    // Another enterprise's officer neither sees it nor lists it.
    assert_eq!(other.browser.get(&path).status, 404);
    assert!(!other.browser.get("/warnings").body.contains(&path));
    // A viewer has no warnings at all.
    let mut viewer = person(&app, "viewer", Some(app.district), None);
    assert_eq!(viewer.browser.get("/warnings").status, 403);
    assert_eq!(viewer.browser.get("/warnings/new").status, 403);
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
    let case_page = b.get(&case_path);
    assert!(case_page.body.contains("预警转办"));
    assert!(case_page
        .body
        .contains(&format!("href=\"/warnings/{first}\"")));

    // Defusing needs a note: without one the answer is a redirect to the warning, whose page
    // opens the defuse form with the error beside the note, once (a reload submits nothing).
    let second_path = format!("/warnings/{second}");
    let r = b.post(
        &format!("/warnings/{second}/act/defuse"),
        &[("csrf", &csrf), ("note", "  ")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.location.as_deref(), Some(second_path.as_str()));
    assert_eq!(w(second)["status"], "reported");
    let page = b.get(&second_path);
    assert_eq!(page.status, 422);
    assert!(
        page.body.contains("<details class=\"action\" open>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("id=\"e_note\""), "{}", page.body);
    let reloaded = b.get(&second_path);
    assert_eq!(reloaded.status, 200);
    assert!(!reloaded.body.contains("id=\"e_note\""));
    assert_eq!(w(second)["status"], "reported");
    let r = b.post(
        &format!("/warnings/{second}/act/defuse"),
        &[("csrf", &csrf), ("note", "企业已承诺不裁员")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(w(second)["status"], "defused");
    // A second escalation is refused: back to the warning, which says why with a 409.
    let r = b.post(
        &format!("/warnings/{first}/act/escalate"),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303);
    let page = b.get(&format!("/warnings/{first}"));
    assert_eq!(page.status, 409);
    assert!(page.body.contains("role=\"alert\""), "{}", page.body);
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
    let e = app.enterprise_name(e);
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("received_at", "2026-03-02T08:40"),
        ("channel", "phone"),
        ("topic", "overtime_leave"),
        ("workers", "0"),
        ("enterprise", e.as_str()),
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

    assert!(!b
        .get("/consultations?from=2026-03-03")
        .body
        .contains("加班费怎么算"));
    assert_eq!(b.get("/consultations?from=March").status, 422);
    let list = b.get("/consultations?from=2026-03-02&to=2026-03-02");
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

fn admin_browser(app: &TestApp) -> Browser {
    let mut b = Browser::new(app);
    let r = b.post(
        "/login",
        &[("username", "admin"), ("password", PASSWORD), ("next", "/")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    b
}

fn credit_code(seed: u64) -> String {
    tiaojie::domain::credit_code::CreditCode::with_check_character(&format!("91330203{:09}", seed))
        .unwrap()
        .as_str()
        .to_string()
}

#[test]
fn the_admin_adds_units_and_enterprises_and_designates_the_officer() {
    let app = spawn_app();
    let mut director = person(&app, "director", Some(app.street), None);
    for path in [
        "/admin/units",
        "/admin/enterprises",
        "/admin/users",
        "/admin/notifications",
    ] {
        assert_eq!(director.browser.get(path).status, 403, "{path}");
    }
    let mut b = admin_browser(&app);
    let page = b.get("/admin/units");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("东街街道"));
    let csrf = Browser::csrf(&page);
    let street = app.street.to_string();
    let r = b.post(
        "/admin/units",
        &[
            ("csrf", &csrf),
            ("name", ""),
            ("kind", "community"),
            ("parent_id", &street),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("aria-describedby=\"e_name\""));
    let r = b.post(
        "/admin/units",
        &[
            ("csrf", &csrf),
            ("name", "<script>alert(1)</script>西门社区"),
            ("kind", "community"),
            ("parent_id", &street),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let units = app.get(&app.admin_token, "/api/v1/units").body;
    let units = units
        .as_array()
        .or(units["items"].as_array())
        .unwrap()
        .clone();
    assert!(units
        .iter()
        .any(|u| u["name"] == "<script>alert(1)</script>西门社区" && u["parent_id"] == app.street));
    let page = b.get("/admin/units");
    assert!(page.body.contains("&lt;script&gt;"));
    assert!(!page.body.contains("<script>alert"));

    let code = credit_code(424242);
    let form = |name: &str, code: &str| {
        vec![
            ("csrf".to_string(), csrf.clone()),
            ("name".to_string(), name.to_string()),
            ("credit_code".to_string(), code.to_string()),
            ("unit_id".to_string(), street.clone()),
            ("industry".to_string(), "制造业".to_string()),
            ("employee_count".to_string(), "120".to_string()),
            ("has_mediation_committee".to_string(), "true".to_string()),
        ]
    };
    let post = |b: &mut Browser, f: Vec<(String, String)>| {
        let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        b.post("/admin/enterprises", &pairs)
    };
    let r = post(&mut b, form("明达电子", "913302031234567890"));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("aria-describedby=\"e_credit_code\""));
    assert!(r.body.contains("明达电子"), "values are kept");
    let r = post(&mut b, form("明达电子", &code));
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(&mut b, form("明达电子二厂", &code));
    assert_eq!(r.status, 409, "a second enterprise with the same code");
    assert!(r.body.contains("aria-describedby=\"e_credit_code\""));
    let list = app.get(&app.admin_token, "/api/v1/enterprises").body;
    let e = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["credit_code"] == code.as_str())
        .unwrap()
        .clone();
    let e_id = e["id"].as_i64().unwrap();
    assert_eq!(e["has_mediation_committee"], true);

    let officer = person(&app, "officer", Some(app.street), Some(e_id));
    let page = b.get("/admin/enterprises");
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains(&format!("/admin/enterprises/{e_id}/officer")));
    let r = b.post(
        &format!("/admin/enterprises/{e_id}/officer"),
        &[("csrf", &csrf), ("user_id", &officer.id.to_string())],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let e = app
        .get(&app.admin_token, &format!("/api/v1/enterprises/{e_id}"))
        .body;
    assert_eq!(e["officer_id"], officer.id);
}

#[test]
fn the_admin_manages_users_and_reads_the_outbox() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let _director = person(&app, "director", Some(app.street), None);
    let mut b = admin_browser(&app);
    let page = b.get("/admin/users");
    assert_eq!(page.status, 200);
    let csrf = Browser::csrf(&page);
    let street = app.street.to_string();
    let e_s = e.to_string();
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("username", "wangwei"),
        ("display_name", "<script>alert(1)</script>王伟"),
        ("email", "wangwei@example.org"),
        ("password", "short"),
        ("role", "officer"),
        ("unit_id", street.as_str()),
        ("enterprise_id", e_s.as_str()),
    ];
    let r = b.post("/admin/users", &fields);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("aria-describedby=\"e_password\""));
    assert!(r.body.contains("wangwei@example.org"), "values are kept");
    assert!(
        !r.body.contains("value=\"short\""),
        "passwords are not echoed"
    );
    fields[4].1 = "a long enough password";
    let r = b.post("/admin/users", &fields);
    assert_eq!(r.status, 303, "{}", r.body);
    let token = app.login("wangwei", "a long enough password");
    let me = app.get(&token, "/api/v1/me").body;
    assert_eq!(me["role"], "officer");
    assert_eq!(me["enterprise_id"], e);
    let id = me["id"].as_i64().unwrap();
    let page = b.get("/admin/users");
    assert!(page.body.contains("&lt;script&gt;"));
    assert!(!page.body.contains("<script>alert"));

    let version = |app: &TestApp| {
        app.get(&app.admin_token, &format!("/api/v1/users/{id}"))
            .body["version"]
            .as_i64()
            .unwrap()
            .to_string()
    };
    let r = b.post(
        &format!("/admin/users/{id}/password"),
        &[
            ("csrf", &csrf),
            ("version", &version(&app)),
            ("password", "another long password"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.try_login("wangwei", "a long enough password").status,
        401
    );
    let token = app.login("wangwei", "another long password");
    let r = b.post(
        &format!("/admin/users/{id}/deactivate"),
        &[("csrf", &csrf), ("version", &version(&app))],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let u = app
        .get(&app.admin_token, &format!("/api/v1/users/{id}"))
        .body;
    assert_eq!(u["active"], false);
    assert_eq!(app.get(&token, "/api/v1/me").status, 401);

    // A red warning mails the street's director: the outbox shows it as pending.
    let officer = person(&app, "officer", Some(app.street), Some(e));
    let r = app.post(
        &officer.token,
        "/api/v1/warnings",
        json!({"level": "red", "category": "closure_absconding", "workers_at_risk": 40, "description": "老板失联"}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    let outbox = b.get("/admin/notifications?status=pending");
    assert_eq!(outbox.status, 200);
    assert!(outbox.body.contains("@example.org"));
    assert!(outbox.body.contains(&format!("/warnings/{}", r.body["id"])));
    assert!(!b
        .get("/admin/notifications?status=failed")
        .body
        .contains("@example.org"));
}

#[test]
fn an_unknown_page_answers_the_html_404_and_an_unknown_api_route_the_json_one() {
    let app = spawn_app();
    let mut anonymous = Browser::new(&app);
    let r = anonymous.get("/no/such/page");
    assert_eq!(r.status, 404);
    assert!(r.body.starts_with("<!doctype html>"));
    assert!(r.body.contains("找不到这个页面或记录"));
    let r = anonymous.get("/cases/not-a-number");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("找不到这个页面或记录"));

    let mut mediator = person(&app, "mediator", Some(app.street), None);
    let r = mediator.browser.get("/<script>alert(1)</script>");
    assert_eq!(r.status, 404);
    assert!(r.body.contains("href=\"/cases\""), "the site's nav");
    assert!(!r.body.contains("<script>alert"));

    let r = app.get(&mediator.token, "/api/v1/no-such-route");
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not_found");
    let r = app.get(&mediator.token, "/api/v1/cases/not-a-number");
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not_found");
}

#[test]
fn a_refused_action_reads_in_the_pages_language_beside_its_field_and_a_reload_submits_nothing() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let id = mediating_case(&app, &director, app.case_body(e));
    let events = |app: &TestApp| {
        app.get(&director.token, &format!("/api/v1/cases/{id}"))
            .body["events"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = events(&app);
    let b = &mut director.browser;
    let page = b.get(&format!("/cases/{id}"));
    let csrf = Browser::csrf(&page);
    let r = b.post(
        &format!("/cases/{id}/act/close_agreement"),
        &[
            ("csrf", csrf.as_str()),
            ("amount_agreed", "四万元"),
            ("agreement_no", "调协字第7号"),
        ],
    );
    // Post/redirect/get: the answer is a redirect to the case page, never a page at /act/.
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some(format!("/cases/{id}").as_str()));
    let r = b.get(&format!("/cases/{id}"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("协议金额"), "{}", r.body);
    assert!(
        r.body
            .contains("aria-invalid=\"true\" aria-describedby=\"e_close_agreement_amount_agreed\""),
        "the error is beside the amount: {}",
        r.body
    );
    assert!(
        r.body.contains("请以元为单位填写"),
        "says what to write: {}",
        r.body
    );
    assert!(
        r.body.contains("value=\"四万元\""),
        "the amount typed is kept"
    );
    assert!(
        r.body.contains("value=\"调协字第7号\""),
        "the number typed is kept"
    );
    assert!(!r.body.contains("amount_agreed:"));
    // Reloading shows the case page again and submits nothing.
    let again = b.get(&format!("/cases/{id}"));
    assert_eq!(again.status, 200);
    assert!(!again.body.contains("请以元为单位填写"));
    assert_eq!(events(&app), before);

    // Closing as failed with an empty reason: the error is beside the reason, the referral kept.
    let b = &mut director.browser;
    let r = b.post(
        &format!("/cases/{id}/act/close_failed"),
        &[
            ("csrf", csrf.as_str()),
            ("referral", "litigation"),
            ("note", "  "),
        ],
    );
    assert_eq!(r.status, 303);
    let r = b.get(&format!("/cases/{id}"));
    assert_eq!(r.status, 422);
    let form = &r.body[r.body.find("/act/close_failed").unwrap()..];
    let form = &form[..form.find("</form>").unwrap()];
    assert!(
        form.contains("<option value=\"litigation\" selected>"),
        "{form}"
    );
    assert!(
        form.contains("aria-describedby=\"e_close_failed_note\""),
        "{form}"
    );
    assert!(form.contains("id=\"e_close_failed_note\">必填"), "{form}");

    // Accepting a case already in mediation (another user was quicker): the status refusal.
    let r = b.post(
        &format!("/cases/{id}/act/accept"),
        &[("csrf", csrf.as_str())],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = b.get(&format!("/cases/{id}"));
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("当前状态下不能进行此操作"), "{}", r.body);
    assert_eq!(
        app.get(&director.token, &format!("/api/v1/cases/{id}"))
            .body["status"],
        "mediating"
    );
    assert_eq!(events(&app), before);
}

#[test]
fn the_intake_and_consultation_forms_suggest_the_enterprises_of_the_callers_area_by_name() {
    let app = spawn_app();
    let ours = app.enterprise(app.street);
    let theirs = app.enterprise(app.other_street);
    let name_of = |id: i64| {
        app.get(&app.admin_token, &format!("/api/v1/enterprises/{id}"))
            .body["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (our_name, their_name) = (name_of(ours), name_of(theirs));
    let mut mediator = person(&app, "mediator", Some(app.street), None);
    for path in ["/cases/new", "/consultations/new"] {
        let page = mediator.browser.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(
            page.body.contains("list=\"enterprise_choices\""),
            "{path}: the field offers the list"
        );
        assert!(
            page.body
                .contains(&format!("<option value=\"{our_name}\"></option>")),
            "{path}: {}",
            page.body
        );
        assert!(
            !page.body.contains("name=\"enterprise_id\""),
            "{path}: the page never asks for the enterprise's number"
        );
        assert!(!page.body.contains(&their_name), "{path}");
    }
    // The district's director is offered both streets' enterprises.
    let mut director = person(&app, "director", Some(app.district), None);
    let page = director.browser.get("/cases/new");
    assert!(page.body.contains(&our_name) && page.body.contains(&their_name));
}

#[test]
fn an_enterprise_is_picked_by_name_and_an_unknown_or_shared_name_is_refused_beside_the_field() {
    let app = spawn_app();
    let ours = app.enterprise(app.street);
    let name = app.enterprise_name(ours);
    let mut mediator = person(&app, "mediator", Some(app.street), None);
    let b = &mut mediator.browser;
    let form = b.get("/cases/new");
    let csrf = Browser::csrf(&form);
    let intake = |enterprise: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("received_at", "2026-03-02T08:30".to_string()),
            ("channel", "visit".to_string()),
            ("category", "wage_arrears".to_string()),
            ("enterprise", enterprise.to_string()),
            ("applicant_name", "王芳".to_string()),
            ("workers_involved", "3".to_string()),
            ("amount_claimed", "86,400".to_string()),
            ("description", "拖欠两个月工资".to_string()),
        ]
    };
    let post = |b: &mut Browser, fields: Vec<(&str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        b.post("/cases/new", &fields)
    };
    // Part of the name: refused beside the field, offering the full name, the rest kept.
    let r = post(b, intake("测试企业"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("aria-describedby=\"e_enterprise\""),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(&format!("不是本辖区企业的全称，您要找的是否是：{name}")),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"测试企业\""),
        "what was typed is kept"
    );
    assert!(r.body.contains("拖欠两个月工资"));
    // A name nobody has.
    let r = post(b, intake("不存在的公司"));
    assert!(r.body.contains("不是本辖区已登记的企业"), "{}", r.body);
    // Two enterprises of one name: the choices are their credit codes, and a code picks one.
    let code = |n: u64| {
        tiaojie::domain::credit_code::CreditCode::with_check_character(&format!("91330203{n:09}"))
            .unwrap()
            .as_str()
            .to_string()
    };
    let (first, second) = (code(777_000_001), code(777_000_002));
    for c in [&first, &second] {
        let r = app.post(
            &app.admin_token,
            "/api/v1/enterprises",
            json!({"name": "同名小店", "credit_code": c, "unit_id": app.street}),
        );
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let r = post(b, intake("同名小店"));
    assert_eq!(r.status, 422);
    assert!(r.body.contains("有多家企业同名"), "{}", r.body);
    assert!(
        r.body.contains(&first) && r.body.contains(&second),
        "{}",
        r.body
    );
    let r = post(b, intake(&second));
    assert_eq!(r.status, 303, "{}", r.body);
    // The full name registers the case against that enterprise, the amount as typed understood.
    let r = post(b, intake(&name));
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
        .get(&mediator.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(case["enterprise_id"], ours);
    assert_eq!(case["amount_claimed"], "86400.00");
    // The consultation form takes the name too.
    let b = &mut mediator.browser;
    let form = b.get("/consultations/new");
    let csrf = Browser::csrf(&form);
    let r = b.post(
        "/consultations/new",
        &[
            ("csrf", csrf.as_str()),
            ("received_at", "2026-03-02T08:40"),
            ("channel", "phone"),
            ("topic", "overtime_leave"),
            ("workers", "2"),
            ("enterprise", name.as_str()),
            ("summary", "加班费怎么算"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let list = app.get(&mediator.token, "/api/v1/consultations").body;
    assert_eq!(list["items"][0]["enterprise_id"], ours);
}

#[test]
fn a_bad_case_filter_shows_the_filter_again_with_the_field_named_and_the_api_names_it_too() {
    let app = spawn_app();
    let ours = app.enterprise(app.street);
    let theirs = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    app.create_case(&director.token, ours);
    app.create_case(&director.token, theirs);
    let b = &mut director.browser;
    let r = b.get("/cases?from=2026-13-01&overdue=maybe&status=received");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("请更正标出的筛选条件"), "{}", r.body);
    assert!(
        r.body.contains("id=\"e_from\">必须是日期（年-月-日）"),
        "{}",
        r.body
    );
    assert!(r.body.contains("id=\"e_overdue\">"), "{}", r.body);
    assert!(
        r.body.contains("value=\"received\" selected"),
        "the rest is kept"
    );
    let r = b.get("/cases?enterprise_id=abc");
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("id=\"e_enterprise\">必须是数字"),
        "{}",
        r.body
    );
    // Picked by name: only that enterprise's case.
    let name = app.enterprise_name(ours);
    let qs: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("enterprise", &name)
        .finish();
    let r = b.get(&format!("/cases?{qs}"));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("TJ-2026-00001") && !r.body.contains("TJ-2026-00002"));
    assert!(
        r.body.contains(&format!("value=\"{name}\"")),
        "the name stays in the field"
    );
    // The unit filter lists the units by name.
    assert!(r.body.contains("<select name=\"unit_id\""), "{}", r.body);
    // The JSON API reads the filter by the same rule.
    let r = app.get(
        &director.token,
        "/api/v1/cases?enterprise_id=abc&to=2026-02-30",
    );
    assert_eq!(r.status, 422);
    assert_eq!(
        r.body["error"]["fields"]["enterprise_id"],
        "must be a number"
    );
    assert_eq!(r.body["error"]["fields"]["to"], "must be a date YYYY-MM-DD");
    let r = app.get(
        &director.token,
        &format!("/api/v1/cases?enterprise_id={ours}"),
    );
    assert_eq!(r.body["total"], 1);
}

#[test]
fn a_bad_report_month_shows_the_report_form_again_with_the_month_named() {
    let app = spawn_app();
    let mut director = person(&app, "director", Some(app.street), None);
    let r = director.browser.get("/reports/monthly?month=2026-13");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("aria-describedby=\"e_month\""),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("value=\"2026-13\""),
        "what was typed is kept"
    );
    assert!(r.body.contains("<select name=\"unit_id\""), "units by name");
    let r = director.browser.get("/reports/yearly?year=20x6");
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("aria-describedby=\"e_year\""), "{}", r.body);
    let r = director.browser.get("/reports/monthly?month=2026-02");
    assert_eq!(r.status, 200);
}
