//! Evidence in a real browser (headless Chromium, as `browser.rs` drives it): the officer attaches
//! a photo on the phone form of their warning at 375 px with mobile emulation, and a mediator a
//! PDF on the case page; `upload.js` sends each with its progress and the page then lists it.

use crate::browser::{call, Driver};
use crate::evidence::{pdf, PNG};
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

fn attribute(d: &Driver, css: &str, name: &str) -> Value {
    let id = find(d, css);
    call(
        "GET",
        &d.url(&format!("/element/{id}/attribute/{name}")),
        None,
    )
}

fn source(d: &Driver) -> String {
    call("GET", &d.url("/source"), None)
        .as_str()
        .unwrap_or("")
        .to_string()
}

/// Waits (up to 20 s) until the page's source holds `needle`.
fn wait_for(d: &Driver, needle: &str) {
    let started = Instant::now();
    while !source(d).contains(needle) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the page never showed {needle:?}: {}",
            source(d)
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tiaojie-evidence-{}", unique()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn an_officer_attaches_a_photo_on_the_phone_form_of_their_warning() {
    let Some(phone) = Driver::start(375, 812) else {
        return;
    };
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let username = format!("officer{}", unique());
    app.named_user(&username, "联络员", "officer", app.street, Some(enterprise));
    let token = app.login(&username, PASSWORD);
    let w = app.post(
        &token,
        "/api/v1/warnings",
        json!({"level": "red", "category": "wage_arrears", "workers_at_risk": 40, "description": "工人聚集"}),
    );
    assert_eq!(w.status, 201, "{:?}", w.body);
    let wid = w.body["id"].as_i64().unwrap();

    phone.sign_in(&app, &username);
    phone.goto(&format!("{}/warnings/{wid}", app.base));
    assert_eq!(attribute(&phone, "#ev_file", "accept"), "image/*");
    assert_eq!(attribute(&phone, "#ev_file", "capture"), "environment");
    click(&phone, "details.evidence-add summary");
    type_into(&phone, "#ev_title", "厂门口聚集");
    let photo = temp_file("IMG_0042.png", PNG);
    type_into(&phone, "#ev_file", &photo.display().to_string());
    phone.screenshot("evidence-phone-form");
    click(&phone, "form.evidence-upload button[type=submit]");
    wait_for(&phone, "IMG_0042.png</small>");
    phone.screenshot("evidence-phone-listed");
    let items = app
        .get(&token, &format!("/api/v1/warnings/{wid}/evidence"))
        .body["items"]
        .clone();
    assert_eq!(items[0]["file_name"], "IMG_0042.png");
    assert_eq!(items[0]["content_type"], "image/png");
    assert_eq!(items[0]["provided_by"], "respondent");
}

#[test]
fn a_mediator_attaches_a_pdf_on_the_case_page() {
    let Some(browser) = Driver::start(1440, 900) else {
        return;
    };
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let username = format!("mediator{}", unique());
    app.named_user(&username, "调解员", "mediator", app.street, None);
    let token = app.login(&username, PASSWORD);
    let case_id = app.create_case(&token, enterprise)["id"].as_i64().unwrap();

    browser.sign_in(&app, &username);
    browser.goto(&format!("{}/cases/{case_id}", app.base));
    click(&browser, "details.evidence-add summary");
    type_into(&browser, "#ev_title", "工资支付记录");
    let file = pdf(800 * 1024);
    let path = temp_file("工资记录.pdf", &file);
    type_into(&browser, "#ev_file", &path.display().to_string());
    click(&browser, "form.evidence-upload button[type=submit]");
    wait_for(&browser, "工资记录.pdf");
    browser.screenshot("evidence-case-page");
    let items = app
        .get(&token, &format!("/api/v1/cases/{case_id}/evidence"))
        .body["items"]
        .clone();
    assert_eq!(items[0]["size"], file.len());
    assert_eq!(items[0]["content_type"], "application/pdf");
    let (_, _, bytes) = app.get_bytes(&token, &format!("/api/v1/evidence/{}/file", items[0]["id"]));
    assert!(bytes == file);

    // The file's cover and index print on two A4 pages, the evidence on the index's.
    browser.goto(&format!("{}/cases/{case_id}/print/file-cover", app.base));
    browser.screenshot("print-file-cover-1440");
    let printed = browser.print_pdf("print-file-cover");
    assert_eq!(
        crate::browser::pdf_pages(&printed),
        2,
        "the cover, then the index"
    );
    let index = crate::browser::pdf_page_text(&printed, 2).expect("pdftotext reads the index");
    for text in ["卷内目录", "工资支付记录", "申请人"] {
        assert!(index.contains(text), "{text} in the index: {index}");
    }
    // The cover's title is spaced out (劳 动 争 议 …): read without the spaces.
    let cover = crate::browser::pdf_page_text(&printed, 1)
        .unwrap()
        .replace(' ', "");
    assert!(
        cover.contains("劳动争议调解卷宗") && !cover.contains("工资支付记录"),
        "{cover}"
    );
}

#[test]
fn a_file_past_the_limit_is_refused_beside_its_field_before_it_is_sent() {
    let Some(browser) = Driver::start(1440, 900) else {
        return;
    };
    let app = spawn_app_with(|config| config.evidence.max_file_mb = 1);
    let enterprise = app.enterprise(app.street);
    let username = format!("mediator{}", unique());
    app.named_user(&username, "调解员", "mediator", app.street, None);
    let token = app.login(&username, PASSWORD);
    let case_id = app.create_case(&token, enterprise)["id"].as_i64().unwrap();

    browser.sign_in(&app, &username);
    browser.goto(&format!("{}/cases/{case_id}", app.base));
    click(&browser, "details.evidence-add summary");
    type_into(&browser, "#ev_title", "太大的扫描件");
    let path = temp_file("scan.pdf", &pdf(2 * 1024 * 1024));
    type_into(&browser, "#ev_file", &path.display().to_string());
    click(&browser, "form.evidence-upload button[type=submit]");
    // The message shows beside the field (the same words are in the page already, as an
    // attribute the script reads, so the element's own visible text is what counts).
    let started = Instant::now();
    loop {
        let id = find(&browser, "#e_ev_file");
        let shown = call("GET", &browser.url(&format!("/element/{id}/text")), None);
        if shown
            .as_str()
            .is_some_and(|t| t.contains("文件超过 1 MB 的上限"))
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no refusal shown: {shown}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    browser.screenshot("evidence-too-large");
    let items = app
        .get(&token, &format!("/api/v1/cases/{case_id}/evidence"))
        .body["items"]
        .clone();
    assert_eq!(items.as_array().unwrap().len(), 0);
}
