//! Users: created by admins (or `tiaojie user add`), scoped to a unit subtree; officers are bound
//! to one enterprise. Deactivating a user kills their tokens at once (the token lookup joins on
//! `active`).

use super::{Caller, Ctx, Scope};
use crate::db::models::{NewUser, UserRow};
use crate::db::schema::{enterprises, units, users};
use crate::db::{is_unique_violation, DbConn};
use crate::domain::password::Password;
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::domain::text::{check_required_text, NAME_MAX};
use crate::error::{AppError, AppResult, Code, FieldErrors, Problem};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

mod edit;
pub use edit::{search, update, UserPatch};

#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: String,
    pub unit_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub active: bool,
    pub version: i64,
    /// Whether the user gets the daily digest of their cases (issue 12).
    pub daily_digest: bool,
}

impl From<&UserRow> for UserView {
    fn from(u: &UserRow) -> Self {
        UserView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            email: u.email.clone(),
            role: u.role.clone(),
            unit_id: u.unit_id,
            enterprise_id: u.enterprise_id,
            active: u.active,
            version: u.version,
            daily_digest: u.daily_digest,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub username: String,
    pub display_name: Option<String>,
    pub email: String,
    pub password: String,
    pub role: String,
    pub unit_id: Option<i64>,
    pub enterprise_id: Option<i64>,
}

fn check_username(s: &str) -> Result<String, Problem> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 50 {
        return Err(Code::LengthBetween.with("min", 1).with("max", 50));
    }
    if !s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
    {
        return Err(Code::UsernameCharacters.into());
    }
    Ok(s.to_string())
}

pub fn check_email(s: &str) -> Result<String, Problem> {
    let s = s.trim();
    let valid = s.chars().count() <= 200
        && !s.chars().any(|c| c.is_control() || c.is_whitespace())
        && s.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.contains('@')
        });
    if valid {
        Ok(s.to_string())
    } else {
        Err(Code::NotAnEmail.into())
    }
}

/// Validates and inserts a user. `caller` is None for the command line, which may do anything.
pub fn create_in(
    conn: &mut DbConn,
    caller: Option<&Caller>,
    input: UserInput,
    now: chrono::NaiveDateTime,
) -> AppResult<UserRow> {
    let mut errors = FieldErrors::default();
    let username = errors.take("username", check_username(&input.username));
    let display_name = match &input.display_name {
        Some(n) => errors.take("display_name", check_required_text(n, NAME_MAX)),
        None => username.clone(),
    };
    let email = errors.take("email", check_email(&input.email));
    let password = errors.take("password", Password::try_from(input.password));
    let role = errors.take("role", input.role.parse::<Role>());
    match input.unit_id {
        Some(unit_id) => {
            let ok = match caller {
                Some(c) => super::unit_in_scope(conn, c, unit_id)?,
                None => units::table.find(unit_id).count().get_result::<i64>(conn)? > 0,
            };
            if !ok {
                errors.add("unit_id", Code::NotInScope);
            }
        }
        None if caller.is_some_and(|c| c.scope() != Scope::All) || role != Some(Role::Admin) => {
            errors.add("unit_id", Code::Required);
        }
        None => {}
    }
    match (role, input.enterprise_id) {
        (Some(Role::Officer), None) => errors.add("enterprise_id", Code::OfficerNeedsEnterprise),
        (Some(Role::Officer), Some(e)) => {
            let exists: i64 = enterprises::table.find(e).count().get_result(conn)?;
            if exists == 0 {
                errors.add("enterprise_id", Code::NoSuchEnterprise);
            }
        }
        (_, Some(_)) => errors.add("enterprise_id", Code::OnlyOfficersBound),
        _ => {}
    }
    let (Some(username), Some(display_name), Some(email), Some(password), Some(role), true) = (
        username,
        display_name,
        email,
        password,
        role,
        errors.is_empty(),
    ) else {
        return Err(AppError::Validation(errors));
    };
    let hash = password.hash().map_err(AppError::Failure)?;
    let inserted = diesel::insert_into(users::table)
        .values(NewUser {
            username: &username,
            display_name: &display_name,
            email: &email,
            password_hash: &hash,
            role: role.as_str(),
            unit_id: input.unit_id,
            enterprise_id: input.enterprise_id,
            active: true,
            created_at: now,
            updated_at: now,
        })
        .returning(users::id)
        .get_result::<i64>(conn);
    match inserted {
        Err(e) if is_unique_violation(&e) => Err(AppError::Duplicate {
            field: "username".into(),
            problem: Code::UsernameTaken.into(),
        }),
        Err(e) => Err(e.into()),
        Ok(id) => Ok(users::table
            .find(id)
            .select(UserRow::as_select())
            .first(conn)?),
    }
}

pub async fn create(ctx: &Ctx, caller: &Caller, input: UserInput) -> AppResult<UserView> {
    caller.require(Permission::ManageUsers)?;
    let now = ctx.now().naive_utc();
    let caller = caller.clone();
    ctx.db
        .write(move |conn| create_in(conn, Some(&caller), input, now).map(|u| UserView::from(&u)))
        .await
}

/// Loads a user the caller may see, or 404.
fn find_in_scope(conn: &mut DbConn, caller: &Caller, id: i64) -> AppResult<UserRow> {
    let user: UserRow = users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::not_found("user"))?;
    let visible = user.id == caller.id
        || match (caller.scope(), user.unit_id) {
            (Scope::All, _) => true,
            (Scope::Units(_), Some(unit)) => super::unit_in_scope(conn, caller, unit)?,
            _ => false,
        };
    if visible {
        Ok(user)
    } else {
        Err(AppError::not_found("user"))
    }
}

pub async fn get(ctx: &Ctx, caller: &Caller, id: i64) -> AppResult<UserView> {
    caller.require_that(caller.may(Permission::ListStaff) || caller.id == id)?;
    let caller = caller.clone();
    ctx.db
        .read(move |conn| find_in_scope(conn, &caller, id).map(|u| UserView::from(&u)))
        .await
}

pub async fn list(ctx: &Ctx, caller: &Caller, role: Option<String>) -> AppResult<Vec<UserView>> {
    caller.require(Permission::ListStaff)?;
    let role = match role {
        Some(r) => Some(r.parse::<Role>().map_err(|e| AppError::field("role", e))?),
        None => None,
    };
    let scope = caller.scope();
    ctx.db
        .read(move |conn| {
            let mut q = users::table
                .select(UserRow::as_select())
                .order(users::id)
                .into_boxed();
            if let Some(role) = role {
                q = q.filter(users::role.eq(role.as_str()));
            }
            match scope {
                Scope::All => {}
                Scope::Units(prefix) => {
                    let ids = super::units_under(conn, &prefix)?;
                    q = q.filter(users::unit_id.assume_not_null().eq_any(ids))
                }
                _ => return Ok(vec![]),
            }
            Ok::<_, AppError>(q.load(conn)?.iter().map(UserView::from).collect())
        })
        .await
}

/// The caller's own settings (`PATCH /me`, the "my settings" page).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MySettings {
    pub daily_digest: bool,
}

/// Changes the caller's own settings: the daily digest, for those who mediate (mediators and
/// directors; anyone else 403).
pub async fn set_my_settings(
    ctx: &Ctx,
    caller: &Caller,
    settings: MySettings,
) -> AppResult<UserView> {
    caller.require_that(caller.role.can_mediate())?;
    let now = ctx.now().naive_utc();
    let id = caller.id;
    ctx.db
        .write(move |conn| {
            diesel::update(users::table.find(id))
                .set((
                    users::daily_digest.eq(settings.daily_digest),
                    users::version.eq(users::version + 1),
                    users::updated_at.eq(now),
                ))
                .execute(conn)?;
            let row = users::table
                .find(id)
                .select(UserRow::as_select())
                .first(conn)?;
            Ok(UserView::from(&row))
        })
        .await
}
