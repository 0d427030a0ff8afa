use crate::helpers::*;
use serde_json::json;

#[test]
fn a_request_without_a_valid_token_is_401() {
    let app = spawn_app();
    assert_eq!(app.get_anonymous("/api/v1/cases").status, 401);
    let r = app.get("not-a-token", "/api/v1/me");
    assert_eq!(r.status, 401);
    assert_eq!(r.code(), "unauthorized");
}

#[test]
fn a_wrong_password_is_401_and_five_in_a_row_lock_the_account_for_fifteen_minutes() {
    let app = spawn_app();
    let r = app.post(&app.admin_token, "/api/v1/users", json!({
        "username": "wang", "email": "wang@example.org", "password": PASSWORD, "role": "mediator", "unit_id": app.street
    }));
    assert_eq!(r.status, 201);
    for _ in 0..5 {
        assert_eq!(app.try_login("wang", "wrong password!").status, 401);
    }
    let locked = app.try_login("wang", PASSWORD);
    assert_eq!(
        locked.status, 429,
        "even the right password is refused while locked"
    );
    app.set_now(default_now() + chrono::Duration::minutes(16));
    assert_eq!(app.try_login("wang", PASSWORD).status, 200);
}

#[test]
fn the_second_lockout_lasts_twice_as_long() {
    let app = spawn_app();
    app.post(&app.admin_token, "/api/v1/users", json!({
        "username": "li", "email": "li@example.org", "password": PASSWORD, "role": "mediator", "unit_id": app.street
    }));
    for _ in 0..5 {
        app.try_login("li", "wrong password!");
    }
    app.set_now(default_now() + chrono::Duration::minutes(16));
    for _ in 0..5 {
        app.try_login("li", "wrong password!");
    }
    app.set_now(default_now() + chrono::Duration::minutes(16 + 29));
    assert_eq!(app.try_login("li", PASSWORD).status, 429);
    app.set_now(default_now() + chrono::Duration::minutes(16 + 31));
    assert_eq!(app.try_login("li", PASSWORD).status, 200);
}

#[test]
fn logout_revokes_the_token_at_once() {
    let app = spawn_app();
    let (_, token) = app.user("mediator", app.street, None);
    assert_eq!(app.get(&token, "/api/v1/me").status, 200);
    assert_eq!(
        app.post(&token, "/api/v1/auth/logout", json!({})).status,
        204
    );
    assert_eq!(app.get(&token, "/api/v1/me").status, 401);
}

#[test]
fn deactivating_a_user_kills_their_tokens_at_once() {
    let app = spawn_app();
    let (id, token) = app.user("mediator", app.street, None);
    let r = app.patch(
        &app.admin_token,
        &format!("/api/v1/users/{id}"),
        json!({"version": 1, "active": false}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(app.get(&token, "/api/v1/me").status, 401);
    assert_eq!(
        app.try_login(r.body["username"].as_str().unwrap(), PASSWORD)
            .status,
        401
    );
}

#[test]
fn a_token_is_stored_hashed_and_survives_a_restart() {
    let app = spawn_app();
    let (_, token) = app.user("mediator", app.street, None);
    let stored: Vec<String> = app
        .ctx
        .db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            use tiaojie::db::schema::api_tokens;
            api_tokens::table
                .select(api_tokens::token_hash)
                .load(conn)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap();
    assert!(!stored.contains(&token));
    assert!(stored.contains(&tiaojie::services::auth::hash_token(&token)));
    // A second instance on the same database (a restart, or another node) accepts it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let ctx = app.ctx.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let _ = tiaojie::startup::server(ctx, listener, 1).unwrap().await;
        })
    });
    let r = ureq::get(&format!("http://127.0.0.1:{port}/api/v1/me"))
        .set("Authorization", &format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[test]
fn passwords_are_stored_as_argon2id_at_owasp_minimum() {
    let app = spawn_app();
    let hash: String = app
        .ctx
        .db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            use tiaojie::db::schema::users;
            users::table
                .filter(users::username.eq("admin"))
                .select(users::password_hash)
                .first(conn)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
}

#[test]
fn a_hundred_failures_from_one_address_refuse_further_logins_from_it() {
    let app = spawn_app();
    for n in 0..100 {
        // Different usernames, so no single account locks first.
        assert_eq!(
            app.try_login(&format!("nobody{}", n % 20), "wrong password!")
                .status,
            401
        );
    }
    assert_eq!(app.try_login("admin", PASSWORD).status, 429);
    app.set_now(default_now() + chrono::Duration::minutes(16));
    assert_eq!(app.try_login("admin", PASSWORD).status, 200);
}
