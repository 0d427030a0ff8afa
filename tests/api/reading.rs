//! Reading the pages: times in local document style (`2026-03-02 08:00`, never RFC 3339),
//! amounts with thousands separators, and Chinese text with full-width punctuation.

use crate::helpers::*;
use serde_json::json;

/// Where the page shows an instant as RFC 3339 (`2026-03-02T08:00`) outside a form field's
/// `value` (a `datetime-local` input must carry that form): the text around it, or None.
pub fn raw_instant(body: &str) -> Option<String> {
    let b = body.as_bytes();
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    (10..b.len()).find_map(|t| {
        let looks = b[t] == b'T'
            && (1..=4).all(|k| digit(t - 10 + k - 1))
            && b[t - 6] == b'-'
            && b[t - 3] == b'-'
            && digit(t + 1)
            && digit(t + 2)
            && b.get(t + 3) == Some(&b':');
        let in_value = b[..t - 10].ends_with(b"value=\"");
        (looks && !in_value).then(|| {
            let mut from = t.saturating_sub(60);
            while !body.is_char_boundary(from) {
                from -= 1;
            }
            body[from..].chars().take(80).collect()
        })
    })
}

#[test]
fn every_page_shows_times_in_local_document_style_and_amounts_with_thousands_separators() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let (_, officer) = app.designated_officer(e);
    let w = app.post(
        &officer,
        "/api/v1/warnings",
        json!({"level": "red", "category": "wage_arrears", "workers_at_risk": 35,
               "amount_at_risk": "1234567.8", "description": "停发工资"}),
    );
    assert_eq!(w.status, 201, "{:?}", w.body);
    let warning = w.body["id"].as_i64().unwrap();
    let r = app.post(
        &director.token,
        "/api/v1/consultations",
        json!({"received_at": "2026-03-02T08:15:00+08:00", "channel": "phone",
               "topic": "social_insurance", "workers": 2, "summary": "咨询"}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    let case = app.create_case(&director.token, e)["id"].as_i64().unwrap();
    let act = |name: &str, body: serde_json::Value| {
        let r = app.post(
            &director.token,
            &format!("/api/v1/cases/{case}/{name}"),
            body,
        );
        assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    };
    act("accept", json!({}));
    act("assign", json!({"mediator_id": director.id}));
    act(
        "close",
        json!({"outcome": "agreement", "amount_agreed": "86400", "agreement_no": "调协字〔2026〕7号"}),
    );
    act(
        "payments",
        json!({"amount": "1000", "paid_at": "2026-03-02"}),
    );

    let b = &mut director.browser;
    let pages = [
        ("/".to_string(), "2026-03-02 09:00"),
        ("/warnings".to_string(), "2026-03-02 09:00"),
        (format!("/warnings/{warning}"), "2026-03-02 09:00"),
        ("/consultations".to_string(), "2026-03-02 08:15"),
        (format!("/cases/{case}"), "2026-03-02 08:00"),
    ];
    for (path, time) in &pages {
        let page = b.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(raw_instant(&page.body), None, "{path}");
        assert!(page.body.contains(time), "{path} shows no {time}");
    }
    let case_page = b.get(&format!("/cases/{case}")).body;
    for amount in ["45,000.50", "86,400.00", "1,000.00"] {
        assert!(case_page.contains(amount), "case page: {amount}");
    }
    assert!(b
        .get(&format!("/warnings/{warning}"))
        .body
        .contains("1,234,567.80"));
    assert!(b.get("/").body.contains("45,000.50"), "the desk's month");
    let print = b.get(&format!("/cases/{case}/print/agreement")).body;
    assert!(print.contains("45,000.50") && print.contains("86,400.00"));

    // The outbox (the assignment's email) as the admin reads it.
    let admin = app.named_user("outboxadmin", "管理员", "admin", None, None);
    assert!(admin > 0);
    let mut a = signed_in(&app, "outboxadmin");
    let outbox = a.get("/admin/notifications");
    assert_eq!(outbox.status, 200);
    assert_eq!(raw_instant(&outbox.body), None, "outbox");
    assert!(outbox.body.contains("2026-03-02 09:00"));
}

/// The links of a page's main navigation.
fn nav_links(body: &str) -> Vec<String> {
    let start = body.find("<nav aria-label=\"main\">").expect("a main nav");
    let nav = &body[start..start + body[start..].find("</nav>").expect("the nav's end")];
    nav.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn each_roles_navigation_shows_exactly_the_pages_it_may_open() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let every = [
        "/",
        "/cases",
        "/cases/new",
        "/consultations",
        "/warnings",
        "/reports/monthly",
        "/reports/yearly",
        "/ledger/import",
        "/admin/users",
    ];
    let roles = [
        ("admin", None, None),
        ("director", Some(app.street), None),
        ("mediator", Some(app.street), None),
        ("officer", Some(app.street), Some(e)),
        ("viewer", Some(app.district), None),
    ];
    for (role, unit, enterprise) in roles {
        let mut p = person(&app, role, unit, enterprise);
        let shown = nav_links(&p.browser.get("/").body);
        for path in every {
            let status = p.browser.get(path).status;
            assert_eq!(
                shown.iter().any(|s| s == path),
                status == 200,
                "{role}: {path} answers {status}, shown in {shown:?}"
            );
        }
        if role == "viewer" {
            assert!(!shown.iter().any(|s| s.starts_with("/cases")), "{shown:?}");
            assert!(shown.iter().any(|s| s == "/reports/monthly"));
        }
    }
}

#[test]
fn the_monthly_report_shows_the_same_month_last_year_beside_the_month_before() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    for (received, n) in [
        ("2026-03-01T10:00:00+08:00", 2),
        ("2026-02-10T10:00:00+08:00", 1),
        ("2025-03-10T10:00:00+08:00", 3),
    ] {
        for _ in 0..n {
            let mut body = app.case_body(e);
            body["received_at"] = json!(received);
            let r = app.post(&director.token, "/api/v1/cases", body);
            assert_eq!(r.status, 201, "{:?}", r.body);
        }
    }
    let page = director.browser.get("/reports/monthly?month=2026-03");
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("上月（环比）<br>2026-02"), "{body}");
    assert!(body.contains("去年同月（同比）<br>2025-03"), "{body}");
    // This month 2, the month before 1, the same month last year 3, the year so far 3.
    let row = "<th scope=\"row\">接待信访（件）</th><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">3</td><td class=\"num\">3</td>";
    assert!(body.contains(row), "{body}");
    // The amounts with thousands separators: 2 × 45,000.50.
    assert!(body.contains("90,001.00"), "{body}");
    // Every chart carries a visible title.
    assert_eq!(
        body.matches("<svg class=\"chart\"").count(),
        body.matches("<text class=\"chart-title\"").count()
    );
}

#[test]
fn a_category_has_one_name_on_the_pages_in_the_ledger_and_in_the_report_sheets() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    // The catalog's name of each category is the one every place must show.
    let categories: Vec<(&str, String)> = tiaojie::domain::vocab::Category::ALL
        .iter()
        .map(|c| (c.as_str(), tiaojie::i18n::name_zh("category", c.as_str())))
        .collect();
    assert!(categories
        .iter()
        .all(|(code, name)| !name.is_empty() && name != code));
    for (code, _) in &categories {
        let mut body = app.case_body(e);
        body["category"] = json!(code);
        assert_eq!(app.post(&director.token, "/api/v1/cases", body).status, 201);
    }
    let list = director.browser.get("/cases").body;
    let report = director.browser.get("/reports/monthly?month=2026-03").body;
    let (_, _, ledger) = app.get_bytes(
        &director.token,
        "/api/v1/ledger?from=2026-03-01&to=2026-04-01",
    );
    let ledger = String::from_utf8(ledger).unwrap();
    let (_, _, sheet) = app.get_bytes(
        &director.token,
        "/api/v1/reports/monthly?month=2026-03&format=csv",
    );
    let sheet = String::from_utf8(sheet).unwrap();
    for (code, name) in &categories {
        assert!(
            list.contains(&format!("<td class=\"hide-narrow\">{name}</td>")),
            "case list: {code}"
        );
        assert!(
            report.contains(&format!("<th scope=\"row\">{name}</th>")),
            "report page: {code}"
        );
        assert!(ledger.contains(&format!(",{name},")), "ledger: {code}");
        assert!(
            sheet.contains(&format!("\r\n{name},")),
            "report sheet: {code}"
        );
    }
}

#[test]
fn the_desk_counts_its_lists_in_full_width_brackets_in_chinese_and_round_ones_in_english() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    app.create_case(&director.token, e);
    let desk = director.browser.get("/").body;
    let awaiting = desk
        .lines()
        .find(|l| l.contains("<h2") && l.contains("待受理"))
        .unwrap_or_else(|| panic!("no awaiting-acceptance heading: {desk}"));
    assert!(awaiting.contains("（1）"), "{awaiting}");
    assert!(
        !desk.contains("(0)") && !desk.contains("(1)"),
        "ASCII brackets on the desk"
    );

    let b = &mut director.browser;
    let csrf = Browser::csrf(&b.get("/"));
    let r = b.post("/lang", &[("csrf", &csrf), ("lang", "en"), ("next", "/")]);
    assert_eq!(r.status, 303);
    let desk = b.get("/").body;
    assert!(desk.contains(" (1)"), "English keeps round brackets");
    assert!(!desk.contains("（"), "no full-width bracket in English");
}

/// The names of the fields a form marks as required (`aria-required="true"`), in page order.
fn required_fields(form: &str) -> Vec<String> {
    form.split('<')
        .filter(|tag| tag.contains("aria-required=\"true\""))
        .filter_map(|tag| {
            let at = tag.find("name=\"")? + 6;
            Some(tag[at..].split('"').next()?.to_string())
        })
        .collect()
}

#[test]
fn the_intake_consultation_and_warning_forms_mark_exactly_the_fields_they_require() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let mut officer = person(&app, "officer", Some(app.street), Some(e));
    let forms = [
        (
            "/cases/new",
            false,
            vec![
                "received_at",
                "channel",
                "category",
                "enterprise",
                "applicant_name",
                "workers_involved",
                "amount_claimed",
                "description",
            ],
        ),
        (
            "/consultations/new",
            false,
            vec!["received_at", "channel", "topic", "workers", "summary"],
        ),
        (
            "/warnings/new",
            false,
            vec!["enterprise", "category", "workers_at_risk", "description"],
        ),
        (
            "/warnings/new",
            true,
            vec!["category", "workers_at_risk", "description"],
        ),
    ];
    for (path, as_officer, expected) in forms {
        let browser = match as_officer {
            true => &mut officer.browser,
            false => &mut director.browser,
        };
        let page = browser.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(required_fields(&page.body), expected, "{path}");
        // Each required field's label carries the mark, and the form says what the mark means.
        let marks = page.body.matches("class=\"required\"").count();
        let level = usize::from(path == "/warnings/new");
        assert_eq!(marks, expected.len() + level, "{path}: the marks");
        assert!(page.body.contains("带 * 的为必填项"), "{path}");
    }
}
