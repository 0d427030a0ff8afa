//! Passwords (argon2id), API tokens (random, stored as SHA-256), the caller behind a token, and
//! login throttling counted in the database so that every instance sees the same counts.

use super::{Caller, Ctx};
use crate::db::models::UserRow;
use crate::db::schema::{api_tokens, login_failures, login_throttle, units, users};
use crate::db::{DbConn, DbError};
pub use crate::domain::password::{verify_password, Password, MIN_PASSWORD_CHARS};
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// Consecutive failures for one username before it is locked.
pub const MAX_FAILURES: i64 = 5;
/// The first lockout; each further one doubles.
pub const LOCKOUT_MINUTES: i64 = 15;
/// Failures from one address within the window before it is refused.
pub const MAX_ADDRESS_FAILURES: i64 = 100;
pub const ADDRESS_WINDOW_MINUTES: i64 = 15;

/// A hash to verify against when the username is unknown, so both cases take the same time.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| {
        Password::try_from("not a real password at all".to_string())
            .ok()
            .and_then(|p| p.hash().ok())
            .unwrap_or_default()
    })
}

pub fn hash_token(token: &str) -> String {
    use std::fmt::Write;
    let digest = Sha256::digest(token.as_bytes());
    // Every request hashes its token: one string, not one per byte.
    let mut hex = String::with_capacity(64);
    for b in digest {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!(
        "tj_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

fn throttle_key(username: &str) -> String {
    format!("user:{username}")
}

pub fn caller_of(user: UserRow, unit_path: Option<String>) -> AppResult<Caller> {
    let role: Role = user
        .role
        .parse()
        .map_err(|_| AppError::Unauthorized("this account has no valid role".into()))?;
    Ok(Caller {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        email: user.email,
        role,
        unit_id: user.unit_id,
        unit_path,
        enterprise_id: user.enterprise_id,
    })
}

/// The active user with this username as a caller (the command line acts as a named user).
pub fn caller_by_username(conn: &mut DbConn, username: &str) -> AppResult<Option<Caller>> {
    let found: Option<(UserRow, Option<String>)> = users::table
        .left_join(units::table.on(users::unit_id.eq(units::id.nullable())))
        .filter(users::username.eq(username))
        .filter(users::active.eq(true))
        .select((UserRow::as_select(), units::path.nullable()))
        .first(conn)
        .optional()?;
    found.map(|(u, path)| caller_of(u, path)).transpose()
}

/// The caller behind a bearer token, in one query; None when the token is unknown, revoked, or its
/// user is deactivated.
pub fn caller_of_token(conn: &mut DbConn, token: &str) -> AppResult<Option<Caller>> {
    let hash = hash_token(token);
    let found: Option<(UserRow, Option<String>)> = crate::on_backend!(conn, |c| {
        api_tokens::table
            .inner_join(users::table.on(users::id.eq(api_tokens::user_id)))
            .left_join(units::table.on(users::unit_id.eq(units::id.nullable())))
            .filter(api_tokens::token_hash.eq(&hash))
            .filter(api_tokens::revoked_at.is_null())
            .filter(users::active.eq(true))
            .select((UserRow::as_select(), units::path.nullable()))
            .first(c)
            .optional()?
    });
    found.map(|(u, path)| caller_of(u, path)).transpose()
}

/// Whether the address or the account is currently locked out.
fn check_throttle(
    conn: &mut DbConn,
    username: &str,
    address: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let since = (now - Duration::minutes(ADDRESS_WINDOW_MINUTES)).naive_utc();
    let recent: i64 = login_failures::table
        .filter(login_failures::address.eq(address))
        .filter(login_failures::at.gt(since))
        .count()
        .get_result(conn)?;
    if recent >= MAX_ADDRESS_FAILURES {
        return Err(AppError::TooManyRequests(
            "too many failed logins from this address; try again later".into(),
        ));
    }
    let locked_until: Option<Option<chrono::NaiveDateTime>> = login_throttle::table
        .find(throttle_key(username))
        .select(login_throttle::locked_until)
        .first(conn)
        .optional()?;
    if let Some(Some(until)) = locked_until {
        if until > now.naive_utc() {
            return Err(AppError::TooManyRequests(
                "too many failed logins for this account; try again later".into(),
            ));
        }
    }
    Ok(())
}

/// Records a failed login for the username and the address; locks the username after
/// `MAX_FAILURES` in a row, for 15 minutes doubling with each lockout.
fn record_failure(
    conn: &mut DbConn,
    username: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let key = throttle_key(username);
    let now_naive = now.naive_utc();
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::address.eq(address),
            login_failures::at.eq(now_naive),
        ))
        .execute(conn)?;
    crate::db::ensure_throttle_row(conn, &key, now_naive)?;
    let (failures, lockouts): (i64, i64) = login_throttle::table
        .find(&key)
        .select((login_throttle::failures, login_throttle::lockouts))
        .first(conn)?;
    let failures = failures + 1;
    let target = login_throttle::table.find(&key);
    if failures >= MAX_FAILURES {
        let minutes = LOCKOUT_MINUTES.saturating_mul(1i64 << lockouts.clamp(0, 20));
        diesel::update(target)
            .set((
                login_throttle::failures.eq(0),
                login_throttle::lockouts.eq(lockouts + 1),
                login_throttle::locked_until.eq(Some(now_naive + Duration::minutes(minutes))),
                login_throttle::updated_at.eq(now_naive),
            ))
            .execute(conn)?;
    } else {
        diesel::update(target)
            .set((
                login_throttle::failures.eq(failures),
                login_throttle::updated_at.eq(now_naive),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, serde::Serialize)]
pub struct LoginResult {
    pub token: String,
    pub user: super::users::UserView,
}

/// Checks a username and password under the throttle: the user on success; 401 on wrong
/// credentials (recorded for the account and the address), 429 while locked out.
pub async fn verify_login(
    ctx: &Ctx,
    username: String,
    password: String,
    address: String,
) -> AppResult<UserRow> {
    let now = ctx.now();
    let (u, a) = (username.clone(), address.clone());
    let user: Option<UserRow> = ctx
        .db
        .read(move |conn| {
            check_throttle(conn, &u, &a, now)?;
            Ok::<_, AppError>(
                users::table
                    .filter(users::username.eq(&u))
                    .filter(users::active.eq(true))
                    .select(UserRow::as_select())
                    .first(conn)
                    .optional()?,
            )
        })
        .await?;
    let hash = user
        .as_ref()
        .map_or_else(|| dummy_hash().to_string(), |u| u.password_hash.clone());
    let ok = actix_web::web::block(move || verify_password(&password, &hash))
        .await
        .map_err(|_| AppError::Internal(DbError::Blocking))?;
    match (ok, user) {
        (true, Some(user)) => {
            let key = throttle_key(&username);
            ctx.db
                .write(move |conn| {
                    diesel::delete(login_throttle::table.find(&key)).execute(conn)?;
                    Ok::<_, AppError>(())
                })
                .await?;
            Ok(user)
        }
        _ => {
            ctx.db
                .write(move |conn| record_failure(conn, &username, &address, now))
                .await?;
            Err(AppError::Unauthorized("wrong username or password".into()))
        }
    }
}

/// Checks the password and issues an API token.
pub async fn login(
    ctx: &Ctx,
    username: String,
    password: String,
    address: String,
) -> AppResult<LoginResult> {
    let user = verify_login(ctx, username, password, address).await?;
    let token = new_token();
    let token_hash = hash_token(&token);
    let now = ctx.now().naive_utc();
    ctx.db
        .write(move |conn| {
            diesel::insert_into(api_tokens::table)
                .values((
                    api_tokens::user_id.eq(user.id),
                    api_tokens::token_hash.eq(&token_hash),
                    api_tokens::created_at.eq(now),
                ))
                .execute(conn)?;
            let view = super::users::UserView::from(&user);
            Ok::<_, AppError>(LoginResult { token, user: view })
        })
        .await
}

/// Revokes the token at once, for every instance.
pub async fn logout(ctx: &Ctx, token: String) -> AppResult<()> {
    let now = ctx.now().naive_utc();
    ctx.db
        .write(move |conn| {
            diesel::update(
                api_tokens::table
                    .filter(api_tokens::token_hash.eq(hash_token(&token)))
                    .filter(api_tokens::revoked_at.is_null()),
            )
            .set(api_tokens::revoked_at.eq(Some(now)))
            .execute(conn)?;
            Ok(())
        })
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_stored_as_the_lowercase_hex_of_its_sha256() {
        // FIPS 180-2's example: SHA-256("abc").
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
