//! A director registers a small enterprise on the spot: no credit code needed (many small shops
//! have none at hand), a code given is still checked, only in the director's own unit, one
//! transaction with its audit row; a mediator may not.

use crate::helpers::*;
use diesel::prelude::*;
use serde_json::json;
use tiaojie::db::schema::{admin_events, enterprises};
use tiaojie::domain::credit_code::CreditCode;

fn enterprise_count(app: &TestApp) -> i64 {
    let mut conn = app.ctx.db.get().unwrap();
    enterprises::table.count().get_result(&mut *conn).unwrap()
}

fn audit(app: &TestApp, id: i64) -> Vec<(String, String)> {
    let mut conn = app.ctx.db.get().unwrap();
    admin_events::table
        .filter(admin_events::record_type.eq("enterprise"))
        .filter(admin_events::record_id.eq(id))
        .select((admin_events::action, admin_events::fields))
        .load(&mut *conn)
        .unwrap()
}

#[test]
fn a_director_registers_a_shop_without_a_credit_code_and_it_is_audited() {
    let app = spawn_app();
    let (_, director) = app.user("director", app.street, None);
    let r = app.post(
        &director,
        "/api/v1/enterprises",
        json!({"name": "老王面馆", "unit_id": app.street}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["credit_code"], serde_json::Value::Null);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(
        audit(&app, id),
        vec![("enterprise_created".to_string(), "name,unit_id".to_string())]
    );
    let r = app.get(&director, &format!("/api/v1/enterprises/{id}"));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["name"], "老王面馆");
    // Another shop without a code is fine too: many may have none.
    let r = app.post(
        &director,
        "/api/v1/enterprises",
        json!({"name": "小李理发店", "credit_code": "", "unit_id": app.street}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(enterprise_count(&app), 2);
}

#[test]
fn a_bad_credit_code_from_a_director_is_refused_beside_its_field_and_nothing_is_written() {
    let app = spawn_app();
    let (_, director) = app.user("director", app.street, None);
    let good = CreditCode::with_check_character("91330203MA2H00077").unwrap();
    let mut bad = good.as_str().to_string();
    let last = bad.pop().unwrap();
    bad.push(if last == '0' { '1' } else { '0' });
    let r = app.post(
        &director,
        "/api/v1/enterprises",
        json!({"name": "老王面馆", "credit_code": bad, "unit_id": app.street}),
    );
    assert_eq!(r.status, 422);
    assert!(r.field_error("credit_code").is_some());
    assert_eq!(enterprise_count(&app), 0);
    let r = app.post(
        &director,
        "/api/v1/enterprises",
        json!({"name": "老王面馆", "credit_code": good.as_str(), "unit_id": app.street}),
    );
    assert_eq!(r.status, 201);
    assert_eq!(r.body["credit_code"], good.as_str());
}

#[test]
fn a_second_shop_of_a_registered_name_needs_its_credit_code() {
    let app = spawn_app();
    let (_, director) = app.user("director", app.street, None);
    let body = json!({"name": "老王面馆", "unit_id": app.street});
    assert_eq!(
        app.post(&director, "/api/v1/enterprises", body.clone())
            .status,
        201
    );
    let r = app.post(&director, "/api/v1/enterprises", body);
    assert_eq!(r.status, 422);
    assert!(r.field_error("credit_code").is_some());
    assert_eq!(enterprise_count(&app), 1);
}

#[test]
fn a_director_registers_only_in_their_own_unit_and_a_mediator_not_at_all() {
    let app = spawn_app();
    let (_, director) = app.user("director", app.street, None);
    let r = app.post(
        &director,
        "/api/v1/enterprises",
        json!({"name": "老王面馆", "unit_id": app.other_street}),
    );
    assert_eq!(r.status, 422);
    assert!(r.field_error("unit_id").is_some());
    let (_, mediator) = app.user("mediator", app.street, None);
    let r = app.post(
        &mediator,
        "/api/v1/enterprises",
        json!({"name": "老王面馆", "unit_id": app.street}),
    );
    assert_eq!(r.status, 403);
    assert_eq!(enterprise_count(&app), 0);
}

#[test]
fn the_migration_keeps_every_enterprise_and_the_cases_that_name_them() {
    use diesel_migrations::MigrationHarness;
    use tiaojie::db::{DbConn, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let case = app.create_case(&director, e);
    let mut conn = app.ctx.db.get().unwrap();
    // Down to before the migration (on SQLite: the rebuild back) and up again (the rebuild).
    for _ in 0..20 {
        let reverted = match &mut *conn {
            DbConn::Sqlite(c) => c.revert_last_migration(SQLITE_MIGRATIONS),
            DbConn::Pg(c) => c.revert_last_migration(POSTGRES_MIGRATIONS),
        }
        .unwrap()
        .to_string();
        if reverted.starts_with("2026-12-03-100000") || reverted.starts_with("20261203100000") {
            break;
        }
    }
    tiaojie::db::run_migrations(&mut conn).unwrap();
    // The enterprise is still there, and still referenced: it cannot be deleted under its case.
    assert!(diesel::delete(enterprises::table.find(e))
        .execute(&mut *conn)
        .is_err());
    drop(conn);
    let r = app.get(&director, &format!("/api/v1/cases/{}", case["id"]));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["enterprise_id"], e);
    let r = app.post(
        &app.admin_token,
        "/api/v1/enterprises",
        json!({"name": "老王面馆", "unit_id": app.street}),
    );
    assert_eq!(r.status, 201);
    assert!(r.body["id"].as_i64().unwrap() > e);
}

/// The intake form's fields for a case against `enterprise`, with `extra` fields after them.
fn intake<'a>(
    csrf: &'a str,
    enterprise: &'a str,
    extra: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("csrf", csrf),
        ("received_at", "2026-03-02T08:30"),
        ("channel", "visit"),
        ("category", "wage_arrears"),
        ("enterprise", enterprise),
        ("applicant_name", "王芳"),
        ("workers_involved", "3"),
        ("amount_claimed", "8,000"),
        ("description", "拖欠一个月工资"),
    ];
    fields.extend_from_slice(extra);
    fields
}

#[test]
fn a_director_registers_an_unknown_shop_from_the_intake_form_and_the_case_is_registered_against_it()
{
    let app = spawn_app();
    let mut director = person(&app, "director", Some(app.street), None);
    let b = &mut director.browser;
    let csrf = Browser::csrf(&b.get("/cases/new"));
    let before = enterprise_count(&app);

    // An unknown name: refused beside the field, with the offer to register it.
    let r = b.post("/cases/new", &intake(&csrf, "街角小吃店", &[]));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("name=\"register_enterprise\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("「街角小吃店」"));
    assert_eq!(enterprise_count(&app), before);

    // A credit code that does not check: beside the offer's field, nothing registered.
    let bad = [
        ("register_enterprise", "1"),
        ("register_credit_code", "12345"),
    ];
    let r = b.post("/cases/new", &intake(&csrf, "街角小吃店", &bad));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("id=\"e_register_credit_code\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"12345\""), "the code typed is kept");
    assert_eq!(enterprise_count(&app), before);

    // Ticked, with no code: the shop is registered and the case is against it.
    let r = b.post(
        "/cases/new",
        &intake(&csrf, "街角小吃店", &[("register_enterprise", "1")]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(enterprise_count(&app), before + 1);
    let id: i64 = r
        .location
        .unwrap()
        .trim_start_matches("/cases/")
        .parse()
        .unwrap();
    let case = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(case["enterprise_name"], "街角小吃店");
    let shop = case["enterprise_id"].as_i64().unwrap();
    let e = app
        .get(&director.token, &format!("/api/v1/enterprises/{shop}"))
        .body;
    assert_eq!(e["credit_code"], serde_json::Value::Null);
    assert_eq!(e["unit_id"], app.street);
    assert_eq!(audit(&app, shop).len(), 1, "registered with its audit row");
}

#[test]
fn a_mediator_is_not_offered_to_register_an_unknown_enterprise_and_ticking_it_anyway_registers_nothing(
) {
    let app = spawn_app();
    let mut mediator = person(&app, "mediator", Some(app.street), None);
    let b = &mut mediator.browser;
    let csrf = Browser::csrf(&b.get("/cases/new"));
    let before = enterprise_count(&app);
    let r = b.post(
        "/cases/new",
        &intake(&csrf, "街角小吃店", &[("register_enterprise", "1")]),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(!r.body.contains("name=\"register_enterprise\""));
    assert!(r.body.contains("id=\"e_enterprise\""));
    assert_eq!(enterprise_count(&app), before);
}
