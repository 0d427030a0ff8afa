//! The case file's documents (issue 13): each printable when the case has it, from the case page.

use crate::helpers::*;
use serde_json::json;

fn act(app: &TestApp, token: &str, id: i64, name: &str, body: serde_json::Value) {
    let r = app.post(token, &format!("/api/v1/cases/{id}/{name}"), body);
    assert_eq!(r.status, 200, "{name}: {:?}", r.body);
}

#[test]
fn an_accepted_case_prints_its_acceptance_notice_and_a_refused_one_its_rejection_notice() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let accepted = app.create_case(&director.token, e)["id"].as_i64().unwrap();
    let refused = app.create_case(&director.token, e)["id"].as_i64().unwrap();
    let b = &mut director.browser;

    // Before acceptance: no notice on the page, and its address is refused.
    let page = b.get(&format!("/cases/{accepted}")).body;
    assert!(!page.contains("print/acceptance-notice"));
    assert_eq!(
        b.get(&format!("/cases/{accepted}/print/acceptance-notice"))
            .status,
        409
    );

    act(&app, &director.token, accepted, "accept", json!({}));
    let page = b.get(&format!("/cases/{accepted}")).body;
    let link = link_to(&page, "受理通知书").expect("the case page links the notice");
    let notice = b.get(&link);
    assert_eq!(notice.status, 200);
    for text in [
        "受理通知书",
        "王芳：",
        "2026-03-02",
        "予以受理",
        "十五日内",
        "（印章）",
    ] {
        assert!(notice.body.contains(text), "{text}: {}", notice.body);
    }

    act(
        &app,
        &director.token,
        refused,
        "reject",
        json!({"reason": "不属于劳动争议"}),
    );
    let page = b.get(&format!("/cases/{refused}")).body;
    assert!(!page.contains("print/acceptance-notice"), "never accepted");
    let notice = b.get(&link_to(&page, "不予受理通知书").expect("the rejection notice"));
    assert_eq!(notice.status, 200);
    assert!(
        notice.body.contains("不予受理的理由：不属于劳动争议"),
        "{}",
        notice.body
    );
    assert!(notice.body.contains("申请仲裁"));

    assert_eq!(
        b.get(&format!("/cases/{refused}/print/nonsense")).status,
        404
    );
}

#[test]
fn the_api_lists_a_cases_documents_and_answers_each_one_it_has_as_html_or_docx() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let id = app.create_case(&director, e)["id"].as_i64().unwrap();
    let available = |app: &TestApp| -> Vec<String> {
        let r = app.get(&director, &format!("/api/v1/cases/{id}/documents"));
        assert_eq!(r.status, 200, "{:?}", r.body);
        let items = r.body["items"].as_array().unwrap();
        assert_eq!(items.len(), 8, "every document of the file is listed");
        assert!(items
            .iter()
            .any(|d| d["kind"] == "file_cover" && d["title"].is_string()));
        items
            .iter()
            .filter(|d| d["available"] == true)
            .map(|d| d["kind"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        available(&app),
        vec!["file_cover"],
        "a case has its file from intake on"
    );
    let notice = format!("/api/v1/cases/{id}/documents/acceptance_notice");
    assert_eq!(app.get(&director, &notice).status, 409);

    act(&app, &director, id, "accept", json!({}));
    assert_eq!(
        available(&app),
        vec!["acceptance_notice", "service_receipt", "file_cover"]
    );
    let (status, content_type, body) = app.get_bytes(&director, &notice);
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert!(String::from_utf8(body).unwrap().contains("受理通知书"));
    let (status, content_type, _) = app.get_bytes(&director, &format!("{notice}?format=docx"));
    assert_eq!(status, 200);
    assert!(content_type.contains("wordprocessingml"), "{content_type}");
    assert_eq!(
        app.get(&director, &format!("/api/v1/cases/{id}/documents/nonsense"))
            .status,
        404
    );
    // Another enterprise's officer does not learn the case exists.
    let other = app.enterprise(app.street);
    let (_, officer) = app.designated_officer(other);
    assert_eq!(app.get(&officer, &notice).status, 404);
}

#[test]
fn the_files_cover_names_the_case_and_its_index_lists_its_documents_and_evidence_with_dates() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let id = app.create_case(&director.token, e)["id"].as_i64().unwrap();
    act(&app, &director.token, id, "accept", json!({}));
    let r = crate::evidence::upload(
        &app,
        &director.token,
        &format!("/api/v1/cases/{id}/evidence"),
        "工资条.pdf",
        &crate::evidence::pdf(2048),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);

    let page = director.browser.get(&format!("/cases/{id}")).body;
    let link = link_to(&page, "卷宗封面及卷内目录").expect("the case page links the file");
    let file = director.browser.get(&link);
    assert_eq!(file.status, 200);
    let body = &file.body;
    for text in [
        "劳动争议调解卷宗",
        "卷内目录",
        "王芳",
        "拖欠工资",
        "2026-03-02",
    ] {
        assert!(body.contains(text), "{text}: {body}");
    }
    let index = &body[body.find("<table class=\"index\">").unwrap()..];
    let rows: Vec<&str> = index.split("<tr>").skip(2).collect();
    assert_eq!(
        rows.len(),
        3,
        "the acceptance notice, its proof of service and the evidence: {index}"
    );
    assert!(rows[0].contains("受理通知书") && rows[0].contains("2026-03-02"));
    assert!(rows[1].contains("送达回证"), "{}", rows[1]);
    assert!(
        rows[2].contains("申请人") && rows[2].contains("2026-03-01"),
        "{}",
        rows[2]
    );
}
