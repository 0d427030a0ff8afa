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
