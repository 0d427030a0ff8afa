//! The agreement's terms in a real browser (headless Chromium, as `browser.rs` drives it): a
//! director closes a case on its page with two instalments and an obligation, the first already
//! past its date; records the late payment, marks the obligation done and pays the rest, the
//! page showing the agreement overdue, on time, then fully performed.

use crate::browser::{call, Driver};
use crate::helpers::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn find(d: &Driver, css: &str) -> String {
    let v: Value = call(
        "POST",
        &d.url("/element"),
        Some(json!({"using": "css selector", "value": css})),
    );
    v[ELEMENT]
        .as_str()
        .unwrap_or_else(|| panic!("no element {css}"))
        .to_string()
}

fn click(d: &Driver, css: &str) {
    let id = find(d, css);
    call(
        "POST",
        &d.url(&format!("/element/{id}/click")),
        Some(json!({})),
    );
}

fn type_into(d: &Driver, css: &str, text: &str) {
    let id = find(d, css);
    call(
        "POST",
        &d.url(&format!("/element/{id}/value")),
        Some(json!({"text": text})),
    );
}

/// Sets a field's value as a script would: a date input's typed form depends on the locale.
fn set_value(d: &Driver, css: &str, value: &str) {
    call(
        "POST",
        &d.url("/execute/sync"),
        Some(
            json!({"script": "document.querySelector(arguments[0]).value = arguments[1];",
                    "args": [css, value]}),
        ),
    );
}

fn source(d: &Driver) -> String {
    call("GET", &d.url("/source"), None)
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn wait_for(d: &Driver, needle: &str) {
    let started = Instant::now();
    while !source(d).contains(needle) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the page never showed {needle:?}: {}",
            source(d)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_director_closes_with_two_instalments_and_an_obligation_and_records_a_late_payment() {
    let Some(browser) = Driver::start(1440, 900) else {
        return;
    };
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let director_id = app.named_user("termzhuren", "term·主任", "director", app.street, None);
    let token = app.login("termzhuren", PASSWORD);
    let r = app.post(&token, "/api/v1/cases", app.case_body(e));
    let id = r.body["id"].as_i64().unwrap();
    for (name, body) in [
        ("accept", json!({})),
        ("assign", json!({"mediator_id": director_id})),
    ] {
        let r = app.post(&token, &format!("/api/v1/cases/{id}/{name}"), body);
        assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    }

    browser.sign_in(&app, "termzhuren");
    browser.goto(&format!("{}/cases/{id}", app.base));
    let form = "form[action$='/act/close_agreement']";
    click(&browser, &format!("details.action:has({form}) summary"));
    type_into(
        &browser,
        &format!("{form} input[name=agreement_no]"),
        "调协字〔2026〕9号",
    );
    type_into(
        &browser,
        &format!("{form} input[name=instalment_amount_1]"),
        "10,000",
    );
    // The first instalment was due yesterday: the agreement is overdue from the start.
    set_value(
        &browser,
        &format!("{form} input[name=instalment_due_1]"),
        "2026-03-01",
    );
    type_into(
        &browser,
        &format!("{form} input[name=instalment_amount_2]"),
        "20000",
    );
    set_value(
        &browser,
        &format!("{form} input[name=instalment_due_2]"),
        "2026-03-31",
    );
    type_into(
        &browser,
        &format!("{form} input[name=obligation_text_1]"),
        "出具离职证明",
    );
    set_value(
        &browser,
        &format!("{form} input[name=obligation_due_1]"),
        "2026-03-05",
    );
    browser.screenshot("terms-close-form");
    click(&browser, &format!("{form} button"));
    wait_for(&browser, "协议内容与履行");
    let page = source(&browser);
    assert!(page.contains("调解成功"));
    assert!(
        page.contains("逾期未履行"),
        "the first instalment is past its date"
    );
    assert!(page.contains("30,000.00"));
    browser.screenshot("terms-overdue");

    // The late payment, allocated to the instalment past its date.
    let pay = "form[action$='/act/payments']";
    click(&browser, &format!("details.action:has({pay}) summary"));
    type_into(&browser, &format!("{pay} input[name=amount]"), "10000");
    click(&browser, &format!("{pay} button"));
    wait_for(&browser, "按期履行中");
    assert!(
        source(&browser).contains("逾期履行"),
        "the instalment was paid late"
    );

    // The certificate issued, marked on its row; then the rest paid.
    type_into(&browser, "table.terms input[name=note]", "已交付");
    click(&browser, "table.terms form.inline button");
    wait_for(&browser, "已交付");
    click(&browser, &format!("details.action:has({pay}) summary"));
    type_into(&browser, &format!("{pay} input[name=amount]"), "20000");
    click(&browser, &format!("{pay} button"));
    wait_for(&browser, "已全部履行");
    browser.screenshot("terms-performed");

    let c = app.get(&token, &format!("/api/v1/cases/{id}")).body;
    assert_eq!(c["fulfilment"], "performed");
    assert_eq!(c["amount_paid"], "30000.00");
    assert_eq!(c["terms"][0]["late"], true);
    assert_eq!(c["terms"][2]["performed_note"], "已交付");
}
