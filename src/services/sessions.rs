//! Browser sessions, kept in the database: the cookie carries only a random id (stored hashed),
//! with a per-session CSRF token, a 30-minute idle limit and a 12-hour absolute one. Logging out,
//! or deactivating the user, ends the session on every instance at once.

use super::auth::{caller_of, hash_token};
use super::{Caller, Ctx};
use crate::db::models::UserRow;
use crate::db::schema::{units, user_prefs, users, web_sessions};
use crate::error::AppResult;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::Engine;
use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

pub const IDLE_MINUTES: i64 = 30;
pub const ABSOLUTE_HOURS: i64 = 12;
/// `last_seen_at` is refreshed at most this often, so that reading pages is not a write each time.
const TOUCH_SECONDS: i64 = 60;

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A signed-in browser: who, with which CSRF token and language.
#[derive(Debug, Clone)]
pub struct WebSession {
    pub caller: Caller,
    pub csrf_token: String,
    pub lang: String,
    /// What the session's last failed form left for the next page (`set_flash`), as JSON.
    pub flash: Option<String>,
}

/// Starts a session for a user who has just proved their password, in the language they chose
/// before (else `lang`); answers the cookie value.
pub async fn start(ctx: &Ctx, user_id: i64, lang: &str) -> AppResult<String> {
    let cookie = random_token();
    let id = hash_token(&cookie);
    let csrf = random_token();
    let now = ctx.now().naive_utc();
    let fallback = crate::i18n::negotiate(Some(lang)).to_string();
    ctx.db
        .write(move |conn| {
            let chosen: Option<String> = user_prefs::table
                .find(user_id)
                .select(user_prefs::lang)
                .first(conn)
                .optional()?;
            let lang = chosen.unwrap_or(fallback);
            diesel::insert_into(web_sessions::table)
                .values((
                    web_sessions::id.eq(&id),
                    web_sessions::user_id.eq(user_id),
                    web_sessions::csrf_token.eq(&csrf),
                    web_sessions::lang.eq(&lang),
                    web_sessions::created_at.eq(now),
                    web_sessions::last_seen_at.eq(now),
                    web_sessions::expires_at.eq(now + Duration::hours(ABSOLUTE_HOURS)),
                ))
                .execute(conn)?;
            Ok::<_, crate::error::AppError>(())
        })
        .await?;
    Ok(cookie)
}

/// The live session behind a cookie value, refreshing its idle clock; None when unknown,
/// idle too long, past its absolute limit, or its user deactivated.
pub async fn find(ctx: &Ctx, cookie: String) -> AppResult<Option<WebSession>> {
    let now = ctx.now().naive_utc();
    let id = hash_token(&cookie);
    type Found = (
        UserRow,
        Option<String>,
        String,
        String,
        NaiveDateTime,
        Option<String>,
    );
    let key = id.clone();
    let found: Option<Found> = ctx
        .db
        .read(move |conn| {
            web_sessions::table
                .inner_join(users::table.on(users::id.eq(web_sessions::user_id)))
                .left_join(units::table.on(users::unit_id.eq(units::id.nullable())))
                .filter(web_sessions::id.eq(&key))
                .filter(web_sessions::expires_at.gt(now))
                .filter(web_sessions::last_seen_at.gt(now - Duration::minutes(IDLE_MINUTES)))
                .filter(users::active.eq(true))
                .select((
                    UserRow::as_select(),
                    units::path.nullable(),
                    web_sessions::csrf_token,
                    web_sessions::lang,
                    web_sessions::last_seen_at,
                    web_sessions::flash,
                ))
                .first(conn)
                .optional()
                .map_err(crate::error::AppError::from)
        })
        .await?;
    let Some((user, path, csrf_token, lang, last_seen, flash)) = found else {
        return Ok(None);
    };
    if now - last_seen > Duration::seconds(TOUCH_SECONDS) {
        ctx.db
            .write(move |conn| {
                diesel::update(web_sessions::table.find(&id))
                    .set(web_sessions::last_seen_at.eq(now))
                    .execute(conn)?;
                Ok::<_, crate::error::AppError>(())
            })
            .await?;
    }
    Ok(Some(WebSession {
        caller: caller_of(user, path)?,
        csrf_token,
        lang,
        flash,
    }))
}

/// Keeps a failed form's values and errors (JSON) for the session's next page, which answers a
/// redirect after the POST so that reloading it never submits the form again. `None` clears it
/// once that page has shown it.
pub async fn set_flash(ctx: &Ctx, cookie: String, flash: Option<String>) -> AppResult<()> {
    let id = hash_token(&cookie);
    ctx.db
        .write(move |conn| {
            diesel::update(web_sessions::table.find(&id))
                .set(web_sessions::flash.eq(flash))
                .execute(conn)?;
            Ok(())
        })
        .await
}

/// Ends a session.
pub async fn end(ctx: &Ctx, cookie: String) -> AppResult<()> {
    let id = hash_token(&cookie);
    ctx.db
        .write(move |conn| {
            diesel::delete(web_sessions::table.find(&id)).execute(conn)?;
            Ok(())
        })
        .await
}

/// Switches the user's language, for this session and the next ones.
pub async fn set_lang(ctx: &Ctx, cookie: String, user_id: i64, lang: &str) -> AppResult<()> {
    let id = hash_token(&cookie);
    let lang = crate::i18n::negotiate(Some(lang)).to_string();
    ctx.db
        .write(move |conn| {
            diesel::update(web_sessions::table.find(&id))
                .set(web_sessions::lang.eq(&lang))
                .execute(conn)?;
            let updated = diesel::update(user_prefs::table.find(user_id))
                .set(user_prefs::lang.eq(&lang))
                .execute(conn)?;
            if updated == 0 {
                diesel::insert_into(user_prefs::table)
                    .values((user_prefs::user_id.eq(user_id), user_prefs::lang.eq(&lang)))
                    .execute(conn)?;
            }
            Ok(())
        })
        .await
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
