//! The admin's changes to a user (display name, email, password, active, role, unit: one
//! transaction with its audit event) and the admin's search of the users in scope.

use super::{check_email, find_in_scope, UserView};
use crate::context::{Page, Paging};
use crate::db::models::UserRow;
use crate::db::schema::users;
use crate::db::DbConn;
use crate::domain::password::Password;
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::domain::text::{check_required_text, NAME_MAX};
use crate::error::{AppError, AppResult, Code, FieldErrors};
use crate::services::{admin_events, Caller, Ctx, Scope};
use diesel::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub version: i64,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub active: Option<bool>,
    /// A new role; an officer's role (bound to an enterprise) is not changed, nor one's own.
    #[serde(default)]
    pub role: Option<String>,
    /// A new unit in the caller's scope.
    #[serde(default)]
    pub unit_id: Option<i64>,
}

/// Checks a patch's role and unit against the user and the caller: no change of one's own role,
/// none to or from officer (an officer is bound to an enterprise when created), a unit in the
/// caller's scope (and one for everyone but an admin), and the last active admin stays one.
fn check_role_and_unit(
    conn: &mut DbConn,
    caller: &Caller,
    user: &UserRow,
    patch: &UserPatch,
    errors: &mut FieldErrors,
) -> AppResult<(String, Option<i64>)> {
    let role = match &patch.role {
        Some(r) => errors.take("role", r.parse::<Role>()),
        None => user.role.parse::<Role>().ok(),
    };
    let was = user.role.parse::<Role>().ok();
    if role != was {
        if user.id == caller.id {
            errors.add("role", Code::OwnRole);
        } else if role == Some(Role::Officer) || was == Some(Role::Officer) {
            errors.add("role", Code::OfficerRole);
        }
    }
    if let Some(unit) = patch.unit_id {
        if !crate::services::unit_in_scope(conn, caller, unit)? {
            errors.add("unit_id", Code::NotInScope);
        }
    }
    let unit_id = patch.unit_id.or(user.unit_id);
    if unit_id.is_none() && role.is_some_and(|r| r != Role::Admin) {
        errors.add("unit_id", Code::Required);
    }
    let stays_admin = role == Some(Role::Admin) && patch.active.unwrap_or(user.active);
    if was == Some(Role::Admin) && user.active && !stays_admin {
        let others: i64 = users::table
            .filter(users::role.eq(Role::Admin.as_str()))
            .filter(users::active.eq(true))
            .filter(users::id.ne(user.id))
            .count()
            .get_result(conn)?;
        if others == 0 {
            let field = if patch.active == Some(false) {
                "active"
            } else {
                "role"
            };
            errors.add(field, Code::LastAdmin);
        }
    }
    Ok((
        role.map_or(user.role.clone(), |r| r.as_str().to_string()),
        unit_id,
    ))
}

pub async fn update(ctx: &Ctx, caller: &Caller, id: i64, patch: UserPatch) -> AppResult<UserView> {
    caller.require(Permission::ManageUsers)?;
    let now = ctx.now().naive_utc();
    let caller = caller.clone();
    ctx.db
        .write(move |conn| {
            let user = find_in_scope(conn, &caller, id)?;
            let mut errors = FieldErrors::default();
            let display_name = patch
                .display_name
                .as_ref()
                .map(|n| errors.take("display_name", check_required_text(n, NAME_MAX)));
            let email = patch
                .email
                .as_ref()
                .map(|e| errors.take("email", check_email(e)));
            let password = patch
                .password
                .clone()
                .map(|p| errors.take("password", Password::try_from(p)));
            if patch.active == Some(false) && user.id == caller.id {
                errors.add("active", Code::DeactivateSelf);
            }
            let (role, unit_id) = check_role_and_unit(conn, &caller, &user, &patch, &mut errors)?;
            errors.finish()?;
            if patch.version != user.version {
                return Err(AppError::VersionConflict);
            }
            let hash = match password.flatten() {
                Some(p) => Some(p.hash().map_err(AppError::Failure)?),
                None => None,
            };
            let display_name = display_name.flatten().unwrap_or(user.display_name.clone());
            let email = email.flatten().unwrap_or(user.email.clone());
            let active = patch.active.unwrap_or(user.active);
            let changed_fields: Vec<&str> = [
                ("display_name", display_name != user.display_name),
                ("email", email != user.email),
                ("password", hash.is_some()),
                ("active", active != user.active),
                ("role", role != user.role),
                ("unit_id", unit_id != user.unit_id),
            ]
            .into_iter()
            .filter_map(|(name, changed)| changed.then_some(name))
            .collect();
            let changed = diesel::update(
                users::table
                    .find(id)
                    .filter(users::version.eq(patch.version)),
            )
            .set((
                users::display_name.eq(display_name),
                users::email.eq(email),
                users::password_hash.eq(hash.unwrap_or(user.password_hash)),
                users::active.eq(active),
                users::role.eq(role),
                users::unit_id.eq(unit_id),
                users::version.eq(user.version + 1),
                users::updated_at.eq(now),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Err(AppError::VersionConflict);
            }
            admin_events::record(
                conn,
                caller.id,
                admin_events::USER_UPDATED,
                ("user", id),
                &changed_fields,
                now,
            )?;
            let row = users::table
                .find(id)
                .select(UserRow::as_select())
                .first(conn)?;
            Ok(UserView::from(&row))
        })
        .await
}

/// The users in the caller's scope whose username, display name or email contains `q`, a page
/// at a time, in the order they were created (the admin's list).
pub async fn search(
    ctx: &Ctx,
    caller: &Caller,
    q: Option<String>,
    paging: Paging,
) -> AppResult<Page<UserView>> {
    caller.require(Permission::ManageUsers)?;
    let scope = caller.scope();
    ctx.db
        .read(move |conn| {
            let units = match &scope {
                Scope::All => None,
                Scope::Units(prefix) => Some(crate::services::units_under(conn, prefix)?),
                _ => Some(vec![]),
            };
            let pattern = q
                .as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(crate::db::containing);
            let query = || {
                let mut query = users::table.into_boxed();
                if let Some(p) = &pattern {
                    query = query.filter(
                        users::username
                            .like(p.clone())
                            .escape('\\')
                            .or(users::display_name.like(p.clone()).escape('\\'))
                            .or(users::email.like(p.clone()).escape('\\')),
                    );
                }
                if let Some(ids) = &units {
                    query = query.filter(users::unit_id.assume_not_null().eq_any(ids.clone()));
                }
                query
            };
            let total: i64 = query().count().get_result(conn)?;
            let items = query()
                .select(UserRow::as_select())
                .order(users::id)
                .offset(paging.offset())
                .limit(paging.per_page)
                .load(conn)?
                .iter()
                .map(UserView::from)
                .collect();
            Ok::<_, AppError>(paging.answer(items, total))
        })
        .await
}
