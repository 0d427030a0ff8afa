//! What the lists show and find: consultations with their enterprises' names, and cases found by
//! the applicant's full phone or ID number.

use crate::helpers::*;
use serde_json::json;

#[test]
fn the_consultation_lists_name_the_enterprise_not_its_number() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let name = app
        .get(
            &app.admin_token,
            &format!("/api/v1/enterprises/{enterprise}"),
        )
        .body["name"]
        .as_str()
        .unwrap()
        .to_string();
    let mut mediator = person(&app, "mediator", Some(app.street), None);
    let r = app.post(
        &mediator.token,
        "/api/v1/consultations",
        json!({"received_at": "2026-03-02T08:30:00+08:00", "channel": "visit", "topic": "wage_arrears",
               "workers": 3, "enterprise_id": enterprise, "summary": "询问欠薪如何维权"}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["enterprise_name"], name.as_str());
    let listed = app.get(&mediator.token, "/api/v1/consultations").body;
    assert_eq!(listed["items"][0]["enterprise_name"], name.as_str());

    for path in ["/consultations", "/consultations/new"] {
        let page = mediator.browser.get(path);
        assert_eq!(page.status, 200);
        assert!(
            page.body
                .contains(&format!("<td class=\"hide-narrow\">{name}</td>")),
            "{path} names the enterprise: {}",
            page.body
        );
        assert!(
            !page
                .body
                .contains(&format!("<td class=\"hide-narrow\">{enterprise}</td>")),
            "{path} shows no internal number"
        );
    }
}
