//! Evidence on the pages: the case page lists the items and uploads with the session's CSRF
//! token (multipart, as a browser without JavaScript sends it), says beside the field why a
//! file was refused, removes with a reason; the officer's phone form on a warning page attaches
//! photos; downloads with the session are attachments and are logged.

use crate::evidence::{pdf, PNG};
use crate::helpers::*;

struct Desk {
    app: TestApp,
    case_id: i64,
    mediator: Person,
    officer: Person,
    enterprise: i64,
}

fn desk_with(adjust: impl FnOnce(&mut tiaojie::config::Config)) -> Desk {
    let app = spawn_app_with(adjust);
    let enterprise = app.enterprise(app.street);
    let mediator = person(&app, "mediator", Some(app.street), None);
    let officer = person(&app, "officer", Some(app.street), Some(enterprise));
    let case_id = app.create_case(&mediator.token, enterprise)["id"]
        .as_i64()
        .unwrap();
    Desk {
        app,
        case_id,
        mediator,
        officer,
        enterprise,
    }
}

fn form(csrf: &str, title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_string()),
        ("title", title.to_string()),
        ("provided_by", "applicant".to_string()),
        ("received_on", "2026-03-01".to_string()),
    ]
}

fn post_upload(
    b: &mut Browser,
    path: &str,
    fields: &[(&str, String)],
    file: (&str, &[u8]),
) -> Page {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post_multipart(path, &fields, &[("file", file.0, file.1)])
}

#[test]
fn a_mediator_uploads_on_the_case_page_and_finds_it_listed_with_a_download_link() {
    let mut d = desk_with(|_| {});
    let page_path = format!("/cases/{}", d.case_id);
    let page = d.mediator.browser.get(&page_path);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("enctype=\"multipart/form-data\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("/static/upload.js"));
    let csrf = Browser::csrf(&page);
    let file = pdf(300 * 1024);
    let r = post_upload(
        &mut d.mediator.browser,
        &format!("/cases/{}/evidence", d.case_id),
        &form(&csrf, "欠薪证明"),
        ("证明.pdf", &file),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("{page_path}#evidence").as_str())
    );
    let page = d.mediator.browser.get(&page_path);
    assert!(page.body.contains("欠薪证明"), "{}", page.body);
    assert!(page.body.contains("证明.pdf"));
    assert!(page.body.contains("申请人"));
    assert!(page.body.contains("300.0 KB"));
    let items = d.app.get(
        &d.mediator.token,
        &format!("/api/v1/cases/{}/evidence", d.case_id),
    );
    let item = &items.body["items"][0];
    let sha = item["sha256"].as_str().unwrap();
    assert!(page.body.contains(&sha[..12]));
    let href = format!("/evidence/{}/file", item["id"]);
    assert!(page.body.contains(&href));
    let got = d.mediator.browser.get_file(&href);
    assert_eq!(got.status, 200);
    assert_eq!(got.content_type, "application/pdf");
    assert!(
        got.disposition.starts_with("attachment;"),
        "{}",
        got.disposition
    );
    assert!(got.bytes == file);
    let _ = d.enterprise;
}

#[test]
fn a_refused_file_says_why_beside_the_field() {
    let mut d = desk_with(|config| config.evidence.max_file_mb = 1);
    let page_path = format!("/cases/{}", d.case_id);
    let upload_path = format!("/cases/{}/evidence", d.case_id);
    let csrf = Browser::csrf(&d.mediator.browser.get(&page_path));

    let r = post_upload(
        &mut d.mediator.browser,
        &upload_path,
        &form(&csrf, "大文件"),
        ("big.pdf", &pdf(1024 * 1024 + 10)),
    );
    assert_eq!(r.status, 303);
    let page = d.mediator.browser.get(&page_path);
    assert_eq!(page.status, 413);
    assert!(page.body.contains("文件超过 1 MB 的上限"), "{}", page.body);
    assert!(
        page.body.contains("value=\"大文件\""),
        "the title is kept: {}",
        page.body
    );

    let r = post_upload(
        &mut d.mediator.browser,
        &upload_path,
        &form(&csrf, "假照片"),
        ("photo.jpg", b"<html><script>alert(1)</script>"),
    );
    assert_eq!(r.status, 303);
    let page = d.mediator.browser.get(&page_path);
    assert_eq!(page.status, 415);
    assert!(page.body.contains("不支持这种文件类型"), "{}", page.body);

    let r = post_upload(
        &mut d.mediator.browser,
        &upload_path,
        &form(&csrf, ""),
        ("a.png", PNG),
    );
    assert_eq!(r.status, 303);
    let page = d.mediator.browser.get(&page_path);
    assert_eq!(page.status, 422);
    assert!(page.body.contains("请填写名称"), "{}", page.body);

    // The script's request is answered JSON, the reason by field.
    let (ct, body) = crate::evidence::multipart(
        &[("csrf", &csrf), ("title", "x"), ("provided_by", "center")],
        Some(("photo.jpg", b"<svg onload=alert(1)>")),
    );
    let r = d
        .mediator
        .browser
        .agent
        .post(&format!("{}{upload_path}", d.app.base))
        .set("Cookie", d.mediator.browser.cookie.as_deref().unwrap())
        .set("Content-Type", &ct)
        .set("X-Requested-With", "XMLHttpRequest")
        .send_bytes(&body);
    let r = match r {
        Err(ureq::Error::Status(415, r)) => r,
        other => panic!("expected 415, got {other:?}"),
    };
    let json: serde_json::Value = r.into_json().unwrap();
    assert!(
        json["errors"]["file"].as_str().unwrap().contains("不支持"),
        "{json}"
    );

    // A form without the session's token stores nothing.
    let r = post_upload(
        &mut d.mediator.browser,
        &upload_path,
        &form("forged", "x"),
        ("a.png", PNG),
    );
    assert_eq!(r.status, 403);
    let list = d.app.get(
        &d.mediator.token,
        &format!("/api/v1/cases/{}/evidence", d.case_id),
    );
    assert_eq!(list.body["items"].as_array().unwrap().len(), 0);
}

#[test]
fn evidence_is_removed_with_a_reason_and_stays_listed_as_removed() {
    let mut d = desk_with(|_| {});
    let page_path = format!("/cases/{}", d.case_id);
    let csrf = Browser::csrf(&d.mediator.browser.get(&page_path));
    post_upload(
        &mut d.mediator.browser,
        &format!("/cases/{}/evidence", d.case_id),
        &form(&csrf, "错传的照片"),
        ("a.png", PNG),
    );
    let id = d
        .app
        .get(
            &d.mediator.token,
            &format!("/api/v1/cases/{}/evidence", d.case_id),
        )
        .body["items"][0]["id"]
        .as_i64()
        .unwrap();
    let r = d.mediator.browser.post(
        &format!("/evidence/{id}/remove"),
        &[("csrf", &csrf), ("back", &page_path), ("reason", "")],
    );
    assert_eq!(r.status, 303);
    let page = d.mediator.browser.get(&page_path);
    assert!(page.body.contains("请填写移除原因"), "{}", page.body);
    let r = d.mediator.browser.post(
        &format!("/evidence/{id}/remove"),
        &[
            ("csrf", &csrf),
            ("back", &page_path),
            ("reason", "与本案无关"),
        ],
    );
    assert_eq!(r.status, 303);
    let page = d.mediator.browser.get(&page_path);
    assert!(page.body.contains("removed-mark"), "{}", page.body);
    assert!(page.body.contains("与本案无关"));
    assert!(
        page.body.contains("移除证据"),
        "the timeline names the removal"
    );
}

#[test]
fn the_officer_attaches_a_photo_to_their_warning_from_the_phone_form() {
    let mut d = desk_with(|_| {});
    let new = d.officer.browser.get("/warnings/new");
    assert!(new.body.contains("拍照上传现场照片"), "{}", new.body);
    let w = d.app.post(
        &d.officer.token,
        "/api/v1/warnings",
        serde_json::json!({"level": "orange", "category": "wage_arrears", "workers_at_risk": 20, "description": "停工"}),
    );
    let wid = w.body["id"].as_i64().unwrap();
    let page = d.officer.browser.get(&format!("/warnings/{wid}"));
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("accept=\"image/*\" capture=\"environment\""),
        "{}",
        page.body
    );
    assert!(
        !page.body.contains("name=\"internal\""),
        "an officer has no internal box"
    );
    let csrf = Browser::csrf(&page);
    let fields = vec![
        ("csrf", csrf),
        ("title", "车间门口".to_string()),
        ("provided_by", "respondent".to_string()),
    ];
    let r = post_upload(
        &mut d.officer.browser,
        &format!("/warnings/{wid}/evidence"),
        &fields,
        ("IMG_2041.png", PNG),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = d.officer.browser.get(&format!("/warnings/{wid}"));
    assert!(page.body.contains("车间门口"), "{}", page.body);
    // Staff see it on the warning too, and the officer may not remove it.
    assert!(!page.body.contains("/remove\""));
    let staff = d.mediator.browser.get(&format!("/warnings/{wid}"));
    assert!(staff.body.contains("车间门口"));
}
