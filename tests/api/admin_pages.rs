//! The admin's pages: finding users and enterprises (search, paging), editing them (each change
//! one transaction with its audit event; bad input is the form again with the field named, and
//! changes nothing), and sending a failed mail again from the outbox page.

use crate::helpers::*;
use diesel::prelude::*;
use tiaojie::db::schema::{admin_events, notifications};

/// The audit events of a record: (action, fields).
fn audit(app: &TestApp, record_type: &str, id: i64) -> Vec<(String, String)> {
    let mut conn = app.ctx.db.get().unwrap();
    admin_events::table
        .filter(admin_events::record_type.eq(record_type))
        .filter(admin_events::record_id.eq(id))
        .select((admin_events::action, admin_events::fields))
        .order(admin_events::id)
        .load(&mut *conn)
        .unwrap()
}

fn admin(app: &TestApp) -> Browser {
    app.named_user("pageadmin", "页面管理员", "admin", None, None);
    signed_in(app, "pageadmin")
}

#[test]
fn an_admin_finds_a_user_by_name_and_pages_through_the_users() {
    let app = spawn_app();
    for i in 0..52 {
        app.named_user(
            &format!("clerk{i:02}"),
            &format!("办事员{i:02}"),
            "mediator",
            app.street,
            None,
        );
    }
    let mut b = admin(&app);
    let found = b.get("/admin/users?q=%E5%8A%9E%E4%BA%8B%E5%91%9807");
    assert_eq!(found.status, 200);
    assert!(found.body.contains("clerk07"), "{}", found.body);
    assert!(!found.body.contains("clerk08"));
    let first = b.get("/admin/users?q=clerk");
    assert!(first.body.contains("clerk00") && first.body.contains("clerk49"));
    assert!(!first.body.contains("clerk50"));
    // The pager keeps the search (handlebars writes `=` as `&#x3D;`).
    assert!(
        first
            .body
            .contains("href=\"/admin/users?q&#x3D;clerk&amp;page&#x3D;2\""),
        "{}",
        first.body
    );
    let second = b.get("/admin/users?q=clerk&page=2");
    assert!(second.body.contains("clerk50") && second.body.contains("clerk51"));
    assert!(!second.body.contains("clerk49"));
}

#[test]
fn an_admin_edits_a_users_name_role_unit_and_state_and_the_change_is_audited() {
    let app = spawn_app();
    let id = app.named_user("zhaolei", "赵磊", "mediator", app.street, None);
    let mut b = admin(&app);
    let form = b.get(&format!("/admin/users/{id}/edit"));
    assert_eq!(form.status, 200);
    assert!(form.body.contains("value=\"赵磊\""));
    let csrf = Browser::csrf(&form);
    let street = app.other_street.to_string();
    let path = format!("/admin/users/{id}/edit");
    // An empty name is refused beside its field, and nothing changes.
    let refused = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("display_name", " "),
            ("role", "director"),
            ("unit_id", &street),
            ("active", "false"),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("id=\"e_display_name\""),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\" \""),
        "what was typed is kept"
    );
    let user = app
        .get(&app.admin_token, &format!("/api/v1/users/{id}"))
        .body;
    assert_eq!(
        (user["display_name"].as_str(), user["role"].as_str()),
        (Some("赵磊"), Some("mediator"))
    );
    assert!(audit(&app, "user", id).is_empty());

    let saved = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("display_name", "赵磊磊"),
            ("role", "director"),
            ("unit_id", &street),
            ("active", "false"),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let user = app
        .get(&app.admin_token, &format!("/api/v1/users/{id}"))
        .body;
    assert_eq!(user["display_name"], "赵磊磊");
    assert_eq!(user["role"], "director");
    assert_eq!(user["unit_id"], app.other_street);
    assert_eq!(user["active"], false);
    assert_eq!(
        audit(&app, "user", id),
        vec![(
            "user_updated".to_string(),
            "display_name,active,role,unit_id".to_string()
        )]
    );
    // The form read at version 1 is stale now: the page says so and changes nothing.
    let stale = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("display_name", "别人"),
            ("role", "director"),
            ("unit_id", &street),
            ("active", "true"),
        ],
    );
    assert_eq!(stale.status, 409, "{}", stale.body);
    assert!(stale.body.contains("记录已被他人修改"), "{}", stale.body);
}

#[test]
fn an_admin_cannot_demote_or_deactivate_themselves() {
    let app = spawn_app();
    let me = app.named_user("selfadmin", "自己", "admin", None, None);
    let mut b = signed_in(&app, "selfadmin");
    let form = b.get(&format!("/admin/users/{me}/edit"));
    let csrf = Browser::csrf(&form);
    let path = format!("/admin/users/{me}/edit");
    let street = app.street.to_string();
    let r = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("display_name", "自己"),
            ("role", "director"),
            ("unit_id", &street),
            ("active", "true"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"e_role\""), "{}", r.body);
    assert!(r.body.contains("不能修改自己的角色"), "{}", r.body);
    let r = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("display_name", "自己"),
            ("role", "admin"),
            ("unit_id", ""),
            ("active", "false"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"e_active\""), "{}", r.body);
    let user = app
        .get(&app.admin_token, &format!("/api/v1/users/{me}"))
        .body;
    assert_eq!(
        (user["role"].as_str(), user["active"].as_bool()),
        (Some("admin"), Some(true))
    );
}

#[test]
fn an_admin_finds_an_enterprise_and_edits_its_particulars() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let other = app.enterprise(app.street);
    let name = app
        .get(&app.admin_token, &format!("/api/v1/enterprises/{e}"))
        .body["name"]
        .as_str()
        .unwrap()
        .to_string();
    let mut b = admin(&app);
    let q: String = url_encoded(&name);
    let found = b.get(&format!("/admin/enterprises?q={q}"));
    assert!(found.body.contains(&format!("/admin/enterprises/{e}/edit")));
    assert!(!found
        .body
        .contains(&format!("/admin/enterprises/{other}/edit")));

    let path = format!("/admin/enterprises/{e}/edit");
    let form = b.get(&path);
    assert_eq!(form.status, 200);
    let csrf = Browser::csrf(&form);
    let unit = app.other_street.to_string();
    let refused = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("name", "宏达制衣厂"),
            ("industry", "制造业"),
            ("employee_count", "-3"),
            ("has_mediation_committee", "true"),
            ("unit_id", &unit),
        ],
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("id=\"e_employee_count\""));
    assert!(refused.body.contains("value=\"宏达制衣厂\""));
    let saved = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("version", "1"),
            ("name", "宏达制衣厂"),
            ("industry", "制造业"),
            ("employee_count", "120"),
            ("has_mediation_committee", "true"),
            ("unit_id", &unit),
        ],
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let got = app
        .get(&app.admin_token, &format!("/api/v1/enterprises/{e}"))
        .body;
    assert_eq!(got["name"], "宏达制衣厂");
    assert_eq!(got["industry"], "制造业");
    assert_eq!(got["employee_count"], 120);
    assert_eq!(got["has_mediation_committee"], true);
    assert_eq!(got["unit_id"], app.other_street);
    // The registration is audited too (issue 12 #8); the edit is one event of its own.
    let edits = audit(&app, "enterprise", e)
        .into_iter()
        .filter(|(action, _)| action == "enterprise_updated")
        .count();
    assert_eq!(edits, 1);
}

fn url_encoded(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[test]
fn the_outbox_page_sends_a_failed_mail_again() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (director, token) = app.user("director", app.street, None);
    let case = app.create_case(&token, e)["id"].as_i64().unwrap();
    for (action, body) in [
        ("accept", serde_json::json!({})),
        ("assign", serde_json::json!({"mediator_id": director})),
    ] {
        let r = app.post(&token, &format!("/api/v1/cases/{case}/{action}"), body);
        assert_eq!(r.status, 200, "{:?}", r.body);
    }
    let id: i64 = {
        let mut conn = app.ctx.db.get().unwrap();
        let id = notifications::table
            .select(notifications::id)
            .order(notifications::id)
            .first(&mut *conn)
            .unwrap();
        diesel::update(notifications::table.find(id))
            .set(notifications::status.eq("failed"))
            .execute(&mut *conn)
            .unwrap();
        id
    };
    let mut b = admin(&app);
    let page = b.get("/admin/notifications?status=failed");
    let action = format!("/admin/notifications/{id}/resend");
    assert!(page.body.contains(&action), "{}", page.body);
    let csrf = Browser::csrf(&page);
    let r = b.post(&action, &[("csrf", &csrf)]);
    assert_eq!(r.status, 303, "{}", r.body);
    let listed = app
        .get(&app.admin_token, "/api/v1/notifications?status=pending")
        .body;
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["id"] == id));
    assert!(!b
        .get("/admin/notifications?status=failed")
        .body
        .contains(&action));
    assert_eq!(audit(&app, "notification", id).len(), 1);
    // Again, now that it is pending: the 409 page, nothing changes.
    assert_eq!(b.post(&action, &[("csrf", &csrf)]).status, 409);
}

#[test]
fn an_admin_sets_a_units_letterhead_and_the_units_documents_print_it() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut b = admin(&app);
    let page = b.get("/admin/units");
    assert!(page.body.contains("文书落款"), "{}", page.body);
    let csrf = Browser::csrf(&page);
    let street = app.street.to_string();
    let letterhead = |phone: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("unit_id", street.clone()),
            (
                "committee_name",
                "东街街道劳动人事争议调解委员会".to_string(),
            ),
            ("committee_address", "东街 1 号".to_string()),
            ("committee_phone", phone.to_string()),
            (
                "seal_text",
                "东街街道劳动人事争议调解委员会（章）".to_string(),
            ),
        ]
    };
    let form = |fields: &[(&str, String)]| -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    };
    let post = |b: &mut Browser, fields: Vec<(String, String)>| {
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        b.post("/admin/units/letterhead", &fields)
    };
    let bad = post(&mut b, form(&letterhead("call us")));
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.body.contains("id=\"e_committee_phone\""),
        "{}",
        bad.body
    );
    assert!(
        audit(&app, "unit", app.street).is_empty(),
        "nothing changed"
    );

    let r = post(&mut b, form(&letterhead("0574 8765 0000")));
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        audit(&app, "unit", app.street),
        [(
            "unit_updated".to_string(),
            "committee_name,committee_address,committee_phone,seal_text".to_string()
        )]
    );
    let (_, director) = app.user("director", app.street, None);
    let id = app.create_case(&director, e)["id"].as_i64().unwrap();
    let r = app.post(
        &director,
        &format!("/api/v1/cases/{id}/accept"),
        serde_json::json!({}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let (_, _, notice) = app.get_bytes(
        &director,
        &format!("/api/v1/cases/{id}/documents/acceptance_notice"),
    );
    let notice = String::from_utf8(notice).unwrap();
    for text in [
        "<p>东街街道劳动人事争议调解委员会</p>",
        "地址：东街 1 号　电话：0574-87650000",
        "东街街道劳动人事争议调解委员会（章）",
    ] {
        assert!(notice.contains(text), "{text}: {notice}");
    }
    assert!(!notice.contains("（印章）"), "the unit's own seal text");
}

#[test]
fn the_api_edits_a_units_letterhead_for_admins_only_and_an_empty_field_clears_it() {
    let app = spawn_app();
    let path = format!("/api/v1/units/{}", app.street);
    let r = app.patch(
        &app.admin_token,
        &path,
        serde_json::json!({"committee_name": "东街调委会", "committee_phone": "0574-87650000"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["committee_name"], "东街调委会");
    assert_eq!(r.body["committee_phone"], "0574-87650000");
    assert_eq!(r.body["seal_text"], serde_json::Value::Null);
    let r = app.patch(
        &app.admin_token,
        &path,
        serde_json::json!({"committee_name": ""}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["committee_name"], serde_json::Value::Null);
    assert_eq!(r.body["committee_phone"], "0574-87650000", "not sent: kept");
    let r = app.patch(
        &app.admin_token,
        &path,
        serde_json::json!({"arbitration_address": "东街 18 号"}),
    );
    assert_eq!(
        r.status, 422,
        "an address needs its commission: {:?}",
        r.body
    );
    assert!(r.field_error("arbitration_commission").is_some());

    let (_, director) = app.user("director", app.street, None);
    let r = app.patch(&director, &path, serde_json::json!({"seal_text": "章"}));
    assert_eq!(r.status, 403, "{:?}", r.body);
    let r = app.patch(
        &app.admin_token,
        "/api/v1/units/999999",
        serde_json::json!({}),
    );
    assert_eq!(r.status, 404, "{:?}", r.body);
}
