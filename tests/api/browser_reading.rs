//! Browser tests of reading the pages: nothing scrolls sideways on a phone, for every role's
//! main pages, and screenshots of the desk, the report page and an admin page at desktop and
//! phone width (target/screenshots/reading-*.png).

use crate::browser::{call, Driver};
use crate::helpers::*;
use serde_json::json;

/// Each role with the main pages its navigation offers (and a case page for those who read cases).
fn pages_of(case: i64) -> Vec<(&'static str, Vec<String>)> {
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let case_page = format!("/cases/{case}");
    vec![
        (
            "director",
            [
                own(&["/", "/cases", "/consultations", "/warnings"]),
                own(&["/reports/monthly", "/reports/yearly", "/ledger/import"]),
                vec![case_page.clone()],
            ]
            .concat(),
        ),
        (
            "mediator",
            [
                own(&["/", "/cases", "/cases/new", "/consultations", "/warnings"]),
                vec![case_page.clone()],
            ]
            .concat(),
        ),
        (
            "officer",
            [own(&["/", "/cases", "/warnings/new"]), vec![case_page]].concat(),
        ),
        ("viewer", own(&["/", "/reports/monthly", "/reports/yearly"])),
        (
            "admin",
            own(&[
                "/admin/users",
                "/admin/enterprises",
                "/admin/units",
                "/admin/notifications",
            ]),
        ),
    ]
}

/// The page's width, the window's, and the elements that reach past 375 px (to name in a failure).
fn scroll_width(browser: &Driver) -> (i64, i64, String) {
    let script = "const wide = Array.from(document.querySelectorAll('body *')) \
        .filter(e => e.getBoundingClientRect().right > 376) \
        .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)); \
        return [document.documentElement.scrollWidth, window.innerWidth, wide.join('; ')];";
    let v = call(
        "POST",
        &browser.url("/execute/sync"),
        Some(json!({"script": script, "args": []})),
    );
    (
        v[0].as_i64().unwrap_or(0),
        v[1].as_i64().unwrap_or(0),
        v[2].as_str().unwrap_or("").to_string(),
    )
}

/// Every chart of the page has a visible title, and no two of its labels overlap or leave it.
fn charts_read_well(browser: &Driver, path: &str) {
    let script = "return Array.from(document.querySelectorAll('svg.chart')).map(svg => { \
        const box = svg.getBoundingClientRect(); \
        const r = Array.from(svg.querySelectorAll('text.label')).map(t => t.getBoundingClientRect()); \
        let overlaps = 0, outside = 0; \
        for (let i = 0; i < r.length; i++) { \
          if (r[i].left < box.left - 1 || r[i].right > box.right + 1) outside++; \
          for (let j = i + 1; j < r.length; j++) { const a = r[i], b = r[j]; \
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps++; } } \
        const t = svg.querySelector('text.chart-title'); \
        return [overlaps, outside, r.length, t ? Math.round(t.getBoundingClientRect().width) : 0, \
                box.right <= window.innerWidth + 1 ? 1 : 0]; });";
    let charts = call(
        "POST",
        &browser.url("/execute/sync"),
        Some(json!({"script": script, "args": []})),
    );
    let charts = charts.as_array().cloned().unwrap_or_default();
    assert!(charts.len() >= 2, "{path}: {charts:?}");
    for c in charts {
        assert_eq!(c[0], 0, "{path}: overlapping labels {c}");
        assert_eq!(c[1], 0, "{path}: labels outside the chart {c}");
        assert!(c[2].as_i64().unwrap_or(0) > 0, "{path}: no labels {c}");
        assert!(
            c[3].as_i64().unwrap_or(0) > 0,
            "{path}: no visible title {c}"
        );
        assert_eq!(c[4], 1, "{path}: chart wider than the window {c}");
    }
}

#[test]
fn no_main_page_of_any_role_scrolls_sideways_on_a_phone_and_the_report_charts_read_well() {
    let Some(phone) = Driver::start(375, 812) else {
        return;
    };
    let Some(desktop) = Driver::start(1366, 900) else {
        return;
    };
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let users = [
        ("director", Some(app.street), None),
        ("mediator", Some(app.street), None),
        ("officer", Some(app.street), Some(e)),
        ("viewer", Some(app.district), None),
        ("admin", None, None),
    ];
    for (role, unit, enterprise) in users {
        app.named_user(
            &format!("read{role}"),
            &format!("{role}·测试用户"),
            role,
            unit,
            enterprise,
        );
    }
    let director = app.login("readdirector", PASSWORD);
    let case = app.create_case(&director, e)["id"].as_i64().unwrap();
    let r = app.post(
        &director,
        &format!("/api/v1/cases/{case}/accept"),
        json!({}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    for category in [
        "contract",
        "social_insurance",
        "overtime_leave",
        "compensation",
    ] {
        let mut body = app.case_body(e);
        body["category"] = json!(category);
        assert_eq!(app.post(&director, "/api/v1/cases", body).status, 201);
    }
    for (role, pages) in pages_of(case) {
        for browser in [&phone, &desktop] {
            call("DELETE", &browser.url("/cookie"), None);
            browser.sign_in(&app, &format!("read{role}"));
        }
        for path in &pages {
            phone.goto(&format!("{}{path}", app.base));
            let (scroll, inner, wide) = scroll_width(&phone);
            assert!(
                inner <= 375 && inner > 0,
                "{role} {path}: window {inner}px: {wide}"
            );
            assert!(
                scroll <= inner,
                "{role} {path}: {scroll}px wide on a {inner}px phone: {wide}"
            );
        }
        if role == "director" {
            for browser in [&phone, &desktop] {
                for path in [
                    "/reports/monthly?month=2026-03",
                    "/reports/yearly?year=2026",
                ] {
                    browser.goto(&format!("{}{path}", app.base));
                    charts_read_well(browser, path);
                }
            }
        }
        // Screenshots to look at: the desk, the report page and an admin page.
        let shots: &[(&str, &str)] = match role {
            "director" | "viewer" => &[("desk", "/"), ("report", "/reports/monthly")],
            "admin" => &[("admin", "/admin/users")],
            _ => &[],
        };
        for (name, path) in shots {
            for (browser, width) in [(&phone, "375"), (&desktop, "1366")] {
                browser.goto(&format!("{}{path}", app.base));
                browser.screenshot(&format!("reading-{name}-{role}-{width}"));
            }
        }
    }
}
