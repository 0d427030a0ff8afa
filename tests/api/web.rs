//! The web pages as a browser meets them: sign-in, the session cookie, CSRF, escaping.

use crate::helpers::*;
use serde_json::json;

/// A page test's user of `role`, shown as 李调解, signing in as `{role}web`: answers the username.
pub(crate) fn web_user(app: &TestApp, role: &str, unit: i64) -> String {
    let username = format!("{role}web");
    app.named_user(&username, "李调解", role, unit, None);
    username
}

#[test]
fn a_page_without_a_session_redirects_to_login_with_next() {
    let app = spawn_app();
    let mut b = Browser::new(&app);
    let r = b.get("/cases?status=received");
    assert_eq!(r.status, 303);
    assert_eq!(
        r.location.as_deref(),
        Some("/login?next=%2Fcases%3Fstatus%3Dreceived")
    );
    let login = b.get("/login");
    assert_eq!(login.status, 200);
    assert!(login.body.contains("name=\"password\""));
}

#[test]
fn a_wrong_password_shows_a_clear_message_and_no_session() {
    let app = spawn_app();
    let user = web_user(&app, "mediator", app.street);
    let mut b = Browser::new(&app);
    let r = b.post(
        "/login",
        &[("username", &user), ("password", "not the password")],
    );
    assert_eq!(r.status, 401);
    assert!(r.body.contains("用户名或密码错误"));
    assert!(b.cookie.is_none());
}

#[test]
fn a_mediator_registers_a_case_through_the_form_and_accepts_it() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let user = web_user(&app, "mediator", app.street);
    let mut b = signed_in(&app, &user);
    let form = b.get("/cases/new");
    assert_eq!(form.status, 200);
    let csrf = Browser::csrf(&form);
    let e = app.enterprise_name(e);
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("received_at", "2026-03-02T08:30"),
        ("channel", "visit"),
        ("category", "wage_arrears"),
        ("enterprise", e.as_str()),
        ("applicant_name", "王芳"),
        ("applicant_phone", "13812348000"),
        ("workers_involved", "3"),
        ("amount_claimed", "12000"),
        ("description", "拖欠两个月工资"),
    ];
    // A bad amount: the form comes back with the error beside the field and the values kept.
    fields[8].1 = "12000.505";
    let r = b.post("/cases/new", &fields);
    assert_eq!(r.status, 422);
    assert!(r
        .body
        .contains("aria-invalid=\"true\" aria-describedby=\"e_amount_claimed\""));
    assert!(r.body.contains("拖欠两个月工资"));
    // The reason reads in the page's language, not in the API's English, and says what to write.
    assert!(
        r.body.contains("小数超过两位（最小金额为 0.01 元）"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("more than two decimals"));
    // "12,000元" is how people write it: understood as 12000.00.
    fields[8].1 = "12,000元";
    let r = b.post("/cases/new", &fields);
    assert_eq!(r.status, 303, "{}", r.body);
    let case_path = r.location.unwrap();
    let page = b.get(&case_path);
    assert!(page.body.contains("TJ-2026-00001"));
    assert!(page.body.contains("待受理"));
    assert!(
        page.body.contains("12000.00") || page.body.contains("12,000.00"),
        "the amount as understood"
    );
    let r = b.post(
        &format!("{case_path}/act/accept"),
        &[("csrf", &Browser::csrf(&page))],
    );
    assert_eq!(r.status, 303);
    assert!(b.get(&case_path).body.contains("已受理"));
}

#[test]
fn a_form_post_without_the_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let user = web_user(&app, "mediator", app.street);
    let (_, token) = app.user("mediator", app.street, None);
    let id = app.create_case(&token, e)["id"].as_i64().unwrap();
    let mut b = signed_in(&app, &user);
    let r = b.post(&format!("/cases/{id}/act/accept"), &[("csrf", "forged")]);
    assert_eq!(r.status, 403);
    assert_eq!(
        app.get(&token, &format!("/api/v1/cases/{id}")).body["status"],
        "received"
    );
}

#[test]
fn logging_out_ends_the_session_on_the_server() {
    let app = spawn_app();
    let user = web_user(&app, "mediator", app.street);
    let mut b = signed_in(&app, &user);
    let stolen = b.cookie.clone();
    let desk = b.get("/");
    assert_eq!(desk.status, 200);
    let r = b.post("/logout", &[("csrf", &Browser::csrf(&desk))]);
    assert_eq!(r.status, 303);
    b.cookie = stolen;
    assert_eq!(b.get("/").status, 303, "the old cookie no longer works");
}

#[test]
fn a_session_idle_for_thirty_minutes_ends() {
    let app = spawn_app();
    let user = web_user(&app, "mediator", app.street);
    let mut b = signed_in(&app, &user);
    app.set_now(default_now() + chrono::Duration::minutes(29));
    assert_eq!(b.get("/").status, 200);
    app.set_now(default_now() + chrono::Duration::minutes(29 + 31));
    assert_eq!(b.get("/").status, 303);
}

#[test]
fn text_typed_into_a_case_is_escaped_on_every_page() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let user = web_user(&app, "mediator", app.street);
    let (_, token) = app.user("mediator", app.street, None);
    let mut body = app.case_body(e);
    body["applicant_name"] = json!("<script>alert(1)</script>");
    body["description"] = json!("<img src=x onerror=alert(2)>");
    let id = app.post(&token, "/api/v1/cases", body).body["id"]
        .as_i64()
        .unwrap();
    let mut b = signed_in(&app, &user);
    for path in [
        format!("/cases/{id}"),
        "/cases".to_string(),
        "/".to_string(),
    ] {
        let page = b.get(&path);
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains("<script>alert"), "{path}");
        assert!(!page.body.contains("<img src=x"), "{path}");
    }
    assert!(b
        .get(&format!("/cases/{id}"))
        .body
        .contains("&lt;script&gt;"));
}

#[test]
fn pages_carry_security_headers_and_switch_to_english() {
    let app = spawn_app();
    let user = web_user(&app, "mediator", app.street);
    let mut b = signed_in(&app, &user);
    let r = b
        .agent
        .get(&format!("{}/", app.base))
        .set("Cookie", b.cookie.as_ref().unwrap())
        .call()
        .unwrap();
    let csp = r.header("content-security-policy").unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    let desk = b.get("/");
    assert!(desk.body.contains("工作台"));
    let r = b.post(
        "/lang",
        &[
            ("csrf", &Browser::csrf(&desk)),
            ("lang", "en"),
            ("next", "/"),
        ],
    );
    assert_eq!(r.status, 303);
    assert!(b.get("/").body.contains("Desk"));
}

#[test]
fn a_session_ends_after_twelve_hours_however_active() {
    let app = spawn_app();
    let user = web_user(&app, "mediator", app.street);
    let mut b = signed_in(&app, &user);
    // Active every 25 minutes, so the idle limit never bites.
    for step in 1..=28 {
        app.set_now(default_now() + chrono::Duration::minutes(25 * step));
        assert_eq!(b.get("/").status, 200, "after {} minutes", 25 * step);
    }
    app.set_now(default_now() + chrono::Duration::hours(12) + chrono::Duration::minutes(1));
    assert_eq!(b.get("/").status, 303);
}

#[test]
fn the_chosen_language_is_kept_for_the_next_sign_in() {
    let app = spawn_app();
    let user = web_user(&app, "mediator", app.street);
    let mut b = signed_in(&app, &user);
    let desk = b.get("/");
    b.post(
        "/lang",
        &[
            ("csrf", &Browser::csrf(&desk)),
            ("lang", "en"),
            ("next", "/"),
        ],
    );
    let mut again = signed_in(&app, &user);
    assert!(again.get("/").body.contains("Sign out"));
    // Field errors on English pages keep the services' English.
    let e = app.enterprise_name(app.enterprise(app.street));
    let form = again.get("/cases/new");
    let r = again.post(
        "/cases/new",
        &[
            ("csrf", Browser::csrf(&form).as_str()),
            ("received_at", "2026-03-02T08:30"),
            ("channel", "visit"),
            ("category", "wage_arrears"),
            ("enterprise", e.as_str()),
            ("applicant_name", "王芳"),
            ("workers_involved", "3"),
            ("amount_claimed", "12,00"),
            ("description", "拖欠两个月工资"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("has its thousands separators out of place"),
        "{}",
        r.body
    );
}

#[test]
fn a_deactivated_users_session_ends_at_once() {
    let app = spawn_app();
    let user = web_user(&app, "mediator", app.street);
    let mut b = signed_in(&app, &user);
    assert_eq!(b.get("/").status, 200);
    let id = app
        .get(&app.admin_token, "/api/v1/users?role=mediator")
        .body["items"][0]["id"]
        .as_i64()
        .unwrap();
    app.patch(
        &app.admin_token,
        &format!("/api/v1/users/{id}"),
        json!({"version": 1, "active": false}),
    );
    assert_eq!(b.get("/").status, 303);
}

#[test]
fn the_case_list_filters_by_channel_and_sorts_by_nearest_deadline() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let user = web_user(&app, "mediator", app.street);
    let (_, token) = app.user("mediator", app.street, None);
    let mut early = app.case_body(e);
    early["received_at"] = json!("2026-02-20T09:00:00+08:00");
    early["channel"] = json!("phone");
    assert_eq!(app.post(&token, "/api/v1/cases", early).status, 201);
    app.create_case(&token, e);
    let mut b = signed_in(&app, &user);

    let phone = b.get("/cases?channel=phone");
    assert!(phone.body.contains("TJ-2026-00001") && !phone.body.contains("TJ-2026-00002"));
    let newest = b.get("/cases").body;
    assert!(
        newest.find("TJ-2026-00002") < newest.find("TJ-2026-00001"),
        "newest first"
    );
    let by_deadline = b.get("/cases?sort=deadline").body;
    assert!(
        by_deadline.find("TJ-2026-00001") < by_deadline.find("TJ-2026-00002"),
        "nearest deadline first"
    );
    let r = app.get(&token, "/api/v1/cases?sort=deadline");
    assert_eq!(r.body["items"][0]["case_no"], "TJ-2026-00001");
    assert_eq!(app.get(&token, "/api/v1/cases?sort=random").status, 422);
}

#[test]
fn a_director_sees_this_months_key_figures_on_the_desk() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let director = web_user(&app, "director", app.street);
    let (_, token) = app.user("mediator", app.street, None);
    app.create_case(&token, e);
    app.create_case(&token, e);
    let mut b = signed_in(&app, &director);
    let desk = b.get("/").body;
    assert!(desk.contains("本月主要数据 2026-03"), "{desk}");
    assert!(desk.contains("<dt>接待信访（件）</dt><dd>2</dd>"));
    assert!(
        desk.contains("<dt>调处率</dt><dd>0.0%（0/2）</dd>"),
        "rates show their numerator and denominator"
    );
}

#[test]
fn script_typed_into_every_text_field_is_shown_as_text_on_every_page() {
    const EVIL: &str = "<script>alert('x')</script>";
    let app = spawn_app();
    let admin = {
        let r = app.post(&app.admin_token, "/api/v1/users", json!({
            "username": "webadmin", "display_name": EVIL, "email": "a@example.org", "password": PASSWORD,
            "role": "admin", "unit_id": app.district
        }));
        assert_eq!(r.status, 201);
        "webadmin"
    };
    let code = tiaojie::domain::credit_code::CreditCode::with_check_character("91330203MA2H0XQQ9")
        .unwrap();
    let e = app.post(
        &app.admin_token,
        "/api/v1/enterprises",
        json!({
            "name": EVIL, "credit_code": code.as_str(), "unit_id": app.street, "industry": EVIL
        }),
    );
    assert_eq!(e.status, 201, "{:?}", e.body);
    let e = e.body["id"].as_i64().unwrap();
    let (officer_id, officer) = app.user("officer", app.street, Some(e));
    app.put(
        &app.admin_token,
        &format!("/api/v1/enterprises/{e}/officer"),
        json!({"user_id": officer_id}),
    );
    let (mediator_id, mediator) = app.user("mediator", app.street, None);
    let (_, director) = app.user("director", app.street, None);

    let mut body = app.case_body(e);
    body["applicant_name"] = json!(EVIL);
    body["description"] = json!(EVIL);
    let id = app.post(&mediator, "/api/v1/cases", body).body["id"]
        .as_i64()
        .unwrap();
    let act = |token: &str, action: &str, body: serde_json::Value| {
        let r = app.post(token, &format!("/api/v1/cases/{id}/{action}"), body);
        assert!(r.status < 300, "{action}: {:?}", r.body);
    };
    act(&mediator, "accept", json!({}));
    act(&director, "assign", json!({"mediator_id": mediator_id}));
    act(
        &mediator,
        "sessions",
        json!({"held_at": "2026-03-02T08:30:00+08:00", "location": EVIL, "attendees": EVIL, "notes": EVIL}),
    );
    act(&officer, "notes", json!({"text": EVIL}));
    act(
        &mediator,
        "close",
        json!({"outcome": "agreement", "amount_agreed": "100", "agreement_no": EVIL}),
    );
    let r = app.post(&mediator, "/api/v1/consultations", json!({
        "received_at": "2026-03-02T08:00:00+08:00", "channel": "visit", "topic": "other", "workers": 1, "summary": EVIL
    }));
    assert_eq!(r.status, 201);
    let w = app.post(
        &officer,
        "/api/v1/warnings",
        json!({
            "level": "yellow", "category": "other", "workers_at_risk": 3, "description": EVIL
        }),
    );
    assert_eq!(w.status, 201, "{:?}", w.body);
    let w = w.body["id"].as_i64().unwrap();

    let mut b = signed_in(&app, admin);
    for path in [
        "/".to_string(),
        "/cases".to_string(),
        format!("/cases/{id}"),
        format!("/cases/{id}/print/agreement"),
        "/consultations".to_string(),
        "/warnings".to_string(),
        format!("/warnings/{w}"),
        "/admin/enterprises".to_string(),
        "/admin/users".to_string(),
    ] {
        let page = b.get(&path);
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains(EVIL), "{path} shows raw script");
        assert!(
            page.body.contains("&lt;script&gt;"),
            "{path} should show the text escaped"
        );
    }
}

/// A month with two known petitions in an enterprise whose name is markup.
fn report_center(app: &TestApp) -> String {
    let code = tiaojie::domain::credit_code::CreditCode::with_check_character("91330203987654321")
        .unwrap();
    let r = app.post(
        &app.admin_token,
        "/api/v1/enterprises",
        json!({"name": "<script>alert(1)</script>厂", "credit_code": code.as_str(), "unit_id": app.street}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    let enterprise = r.body["id"].as_i64().unwrap();
    let (_, mediator) = app.user("mediator", app.street, None);
    for workers in [12, 5] {
        let mut body = app.case_body(enterprise);
        body["workers_involved"] = json!(workers);
        let r = app.post(&mediator, "/api/v1/cases", body);
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    web_user(app, "director", app.street)
}

#[test]
fn the_monthly_report_page_shows_the_known_figures_a_chart_and_escapes_names() {
    let app = spawn_app();
    let director = report_center(&app);
    let mut b = signed_in(&app, &director);
    let r = b.get("/reports/monthly?month=2026-03");
    assert_eq!(r.status, 200, "{}", r.body);
    // Petitions received: 2 this month, 0 in February, 0 in March 2025, 2 this year.
    assert!(r.body.contains(
        "<td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">2</td>"
    ));
    // Workers involved 17; nothing concluded, so the rates are a dash.
    assert!(r.body.contains("<td class=\"num\">17</td>"));
    assert!(r.body.contains("<td class=\"num\">—</td>"));
    assert!(r.body.contains("role=\"img\""));
    assert!(!r.body.contains("<script>alert(1)"));
    assert!(r.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;厂"));
    assert!(r
        .body
        .contains("/reports/monthly/export?month&#x3D;2026-03&amp;format&#x3D;csv"));
    assert!(r.body.contains("href=\"/reports/monthly\""));
}

#[test]
fn the_yearly_report_page_has_a_bar_for_each_month_and_the_summary() {
    let app = spawn_app();
    let director = report_center(&app);
    let mut b = signed_in(&app, &director);
    let r = b.get("/reports/yearly?year=2026");
    assert_eq!(r.status, 200, "{}", r.body);
    let first_svg = r.body.split("</svg>").next().unwrap();
    assert!(first_svg.contains("role=\"img\""));
    assert_eq!(first_svg.matches("class=\"bar\"").count(), 12);
    // The outcomes chart: resolved, failed, withdrawn or rejected, open.
    let second_svg = r.body.split("</svg>").nth(1).unwrap();
    assert_eq!(second_svg.matches("class=\"bar\"").count(), 4);
    assert!(r.body.contains("全年共接待职工信访2件"));
}

#[test]
fn mediators_get_the_forbidden_page_for_reports_and_no_report_link() {
    let app = spawn_app();
    let mediator = web_user(&app, "mediator", app.street);
    let mut b = signed_in(&app, &mediator);
    for path in ["/reports/monthly", "/reports/yearly?year=2026"] {
        let r = b.get(path);
        assert_eq!(r.status, 403, "{path}");
    }
    let desk = b.get("/");
    assert!(!desk.body.contains("href=\"/reports/monthly\""));
}

fn monthly_mails(app: &TestApp) -> Vec<serde_json::Value> {
    let r = app.get(&app.admin_token, "/api/v1/notifications?per_page=200");
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "monthly_report")
        .cloned()
        .collect()
}

fn scan_at(app: &TestApp, date: &str) {
    use chrono::TimeZone;
    let d: chrono::NaiveDate = date.parse().unwrap();
    let at = chrono_tz::Asia::Shanghai
        .from_local_datetime(&d.and_hms_opt(9, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&chrono::Utc);
    app.set_now(at);
    tiaojie::services::reminders::scan_blocking(&app.ctx, at).unwrap();
}

#[test]
fn subscribers_get_the_monthly_report_once_on_the_first_of_the_month() {
    let app = spawn_app();
    let director = report_center(&app);
    let mut b = signed_in(&app, &director);
    let page = b.get("/reports/monthly?month=2026-03");
    assert!(page.body.contains("name=\"subscribe\""));
    let csrf = Browser::csrf(&page);
    // Without the CSRF token nothing changes.
    let r = b.post(
        "/reports/subscription",
        &[("subscribe", "on"), ("month", "2026-03")],
    );
    assert_eq!(r.status, 403);
    let r = b.post(
        "/reports/subscription",
        &[("csrf", &csrf), ("subscribe", "on"), ("month", "2026-03")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location.as_deref(),
        Some("/reports/monthly?month=2026-03")
    );
    assert!(b
        .get("/reports/monthly?month=2026-03")
        .body
        .contains(" checked"));

    // A viewer subscribes too; a mediator may not.
    let viewer = web_user(&app, "viewer", app.street);
    let mut v = signed_in(&app, &viewer);
    let csrf_v = Browser::csrf(&v.get("/reports/monthly"));
    let r = v.post(
        "/reports/subscription",
        &[("csrf", &csrf_v), ("subscribe", "on")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let mediator = web_user(&app, "mediator", app.street);
    let mut m = signed_in(&app, &mediator);
    let csrf_m = Browser::csrf(&m.get("/"));
    let r = m.post(
        "/reports/subscription",
        &[("csrf", &csrf_m), ("subscribe", "on")],
    );
    assert_eq!(r.status, 403);

    scan_at(&app, "2026-04-02");
    assert_eq!(monthly_mails(&app).len(), 0, "only on the first");
    scan_at(&app, "2026-04-01");
    let mails = monthly_mails(&app);
    assert_eq!(mails.len(), 2, "one per subscriber");
    let mut recipients: Vec<&str> = mails
        .iter()
        .map(|m| m["recipient"].as_str().unwrap())
        .collect();
    recipients.sort_unstable();
    assert_eq!(
        recipients,
        ["directorweb@example.org", "viewerweb@example.org"],
        "the director and the viewer, not the mediator"
    );
    assert!(mails[0]["subject"]
        .as_str()
        .unwrap()
        .starts_with("2026-03 月报"));
    scan_at(&app, "2026-04-01");
    assert_eq!(monthly_mails(&app).len(), 2, "once per month");

    // Opted out (signed in again: the first session is weeks old now): nothing in May.
    let mut b = signed_in(&app, &director);
    let csrf = Browser::csrf(&b.get("/reports/monthly"));
    let r = b.post(
        "/reports/subscription",
        &[("csrf", &csrf), ("month", "2026-03")],
    );
    assert_eq!(r.status, 303);
    scan_at(&app, "2026-05-01");
    assert_eq!(monthly_mails(&app).len(), 3, "the viewer's May mail only");
}
