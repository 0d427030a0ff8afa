use crate::helpers::*;
use serde_json::json;
use tiaojie::domain::credit_code::CreditCode;

#[test]
fn healthz_answers_ok_once_migrated() {
    let app = spawn_app();
    let r = app.get_anonymous("/healthz");
    assert_eq!(r.status, 200);
    assert_eq!(r.body, json!({"status": "ok"}));
}

#[test]
fn a_credit_code_with_a_wrong_check_character_is_422_and_a_registered_one_is_409() {
    let app = spawn_app();
    let good = CreditCode::with_check_character("91330203MA2H00001").unwrap();
    let mut bad = good.as_str().to_string();
    let last = bad.pop().unwrap();
    bad.push(if last == '0' { '1' } else { '0' });
    let body = |code: &str| json!({"name": "宁波华盛机械有限公司", "credit_code": code, "unit_id": app.street});

    let r = app.post(&app.admin_token, "/api/v1/enterprises", body(&bad));
    assert_eq!(r.status, 422);
    assert!(r.field_error("credit_code").is_some());
    let r = app.post(&app.admin_token, "/api/v1/enterprises", body(good.as_str()));
    assert_eq!(r.status, 201);
    let r = app.post(&app.admin_token, "/api/v1/enterprises", body(good.as_str()));
    assert_eq!(r.status, 409);
    assert_eq!(r.code(), "duplicate");
    assert_eq!(
        app.get(&app.admin_token, "/api/v1/enterprises").body["total"],
        1
    );
}

#[test]
fn only_an_officer_bound_to_the_enterprise_can_be_its_designated_officer() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let other = app.enterprise(app.street);
    let (stranger, _) = app.user("officer", app.street, Some(other));
    let (mediator, _) = app.user("mediator", app.street, None);
    let (own, _) = app.user("officer", app.street, Some(e));
    let path = format!("/api/v1/enterprises/{e}/officer");
    for wrong in [stranger, mediator] {
        let r = app.put(&app.admin_token, &path, json!({"user_id": wrong}));
        assert_eq!(r.status, 422);
    }
    let r = app.put(&app.admin_token, &path, json!({"user_id": own}));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["officer_id"], own);
}

#[test]
fn an_officer_needs_an_enterprise_and_passwords_need_ten_characters() {
    let app = spawn_app();
    let r = app.post(&app.admin_token, "/api/v1/users", json!({
        "username": "o1", "email": "o1@example.org", "password": "short", "role": "officer", "unit_id": app.street
    }));
    assert_eq!(r.status, 422);
    assert!(r.field_error("password").is_some());
    assert!(r.field_error("enterprise_id").is_some());
}

#[test]
fn a_taken_username_is_409() {
    let app = spawn_app();
    let body = json!({"username": "zhang", "email": "z@example.org", "password": PASSWORD, "role": "mediator", "unit_id": app.street});
    assert_eq!(
        app.post(&app.admin_token, "/api/v1/users", body.clone())
            .status,
        201
    );
    let r = app.post(&app.admin_token, "/api/v1/users", body);
    assert_eq!(r.status, 409);
    assert_eq!(r.code(), "duplicate");
}

#[test]
fn only_admins_create_units_enterprises_and_users() {
    let app = spawn_app();
    let (_, director) = app.user("director", app.street, None);
    let r = app.post(
        &director,
        "/api/v1/units",
        json!({"name": "新社区", "kind": "community", "parent_id": app.street}),
    );
    assert_eq!(r.status, 403);
    let r = app.post(
        &app.admin_token,
        "/api/v1/units",
        json!({"name": "新社区", "kind": "community", "parent_id": app.street}),
    );
    assert_eq!(r.status, 201);
    let r = app.post(
        &app.admin_token,
        "/api/v1/units",
        json!({"name": "错层", "kind": "district", "parent_id": app.street}),
    );
    assert_eq!(r.status, 422, "a district cannot sit under a street");
    let r = app.post(&director, "/api/v1/users", json!({"username": "x", "email": "x@example.org", "password": PASSWORD, "role": "admin", "unit_id": app.street}));
    assert_eq!(r.status, 403);
}

#[test]
fn consultations_are_recorded_listed_by_period_and_scoped() {
    let app = spawn_app();
    let (_, mediator) = app.user("mediator", app.street, None);
    let (_, far) = app.user("mediator", app.other_street, None);
    let body = json!({"received_at": "2026-03-01T10:00:00+08:00", "channel": "phone", "topic": "social_insurance", "workers": 2, "summary": "咨询社保断缴"});
    let r = app.post(&mediator, "/api/v1/consultations", body.clone());
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["unit_id"], app.street);
    let mut bad = body.clone();
    bad["topic"] = json!("taxes");
    bad["workers"] = json!(0);
    let r = app.post(&mediator, "/api/v1/consultations", bad);
    assert_eq!(r.status, 422);
    assert!(r.field_error("topic").is_some() && r.field_error("workers").is_some());

    assert_eq!(
        app.get(
            &mediator,
            "/api/v1/consultations?from=2026-03-01&to=2026-03-01"
        )
        .body["total"],
        1
    );
    assert_eq!(
        app.get(&mediator, "/api/v1/consultations?from=2026-03-02")
            .body["total"],
        0
    );
    assert_eq!(
        app.get(&far, &format!("/api/v1/consultations/{id}")).status,
        404
    );
    assert_eq!(app.get(&far, "/api/v1/consultations").body["total"], 0);
}

#[test]
fn the_openapi_document_covers_every_route() {
    let app = spawn_app();
    let r = app.get_anonymous("/api/v1/openapi.json");
    assert_eq!(r.status, 200);
    assert_eq!(r.body["openapi"], "3.0.3");
    for (method, path, ..) in tiaojie::web::api::openapi::OPERATIONS {
        assert!(r.body["paths"][path][method].is_object(), "{method} {path}");
    }
    for action in [
        "accept", "reject", "assign", "sessions", "extend", "close", "withdraw", "payments",
        "notes",
    ] {
        assert!(
            r.body["paths"][format!("/api/v1/cases/{{id}}/{action}")]["post"].is_object(),
            "{action}"
        );
    }
}

#[test]
fn an_unknown_route_is_a_json_404() {
    let app = spawn_app();
    let r = app.get(&app.admin_token, "/api/v1/nothing-here");
    assert_eq!(r.status, 404);
    assert_eq!(r.code(), "not_found");
}
