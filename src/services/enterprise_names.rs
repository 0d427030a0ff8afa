//! Enterprise fields picked by name. The pages never show or ask for an enterprise's number: the
//! user types (or picks from the suggestions, `enterprises::choices`) a name, and this resolves
//! it to the one enterprise of exactly that name in the caller's area, or to the one with that
//! credit code (which tells apart two enterprises of one name). An unknown or ambiguous name is a
//! 422 beside the field saying so, with the choices. Every form and the case list's filter use
//! it; the JSON API keeps taking `enterprise_id`.

use super::{Caller, Ctx, Scope};
use crate::db::schema::enterprises;
use crate::db::DbConn;
use crate::domain::permission::Permission;
use crate::error::{AppError, AppResult, Code};
use diesel::prelude::*;
use serde::Serialize;

/// How many near names an unknown name's message offers at most.
const NEAR_NAMES: i64 = 5;

type Backend = <DbConn as diesel::Connection>::Backend;

/// The enterprises of the caller's area as a boxed query (every one for a caller over all
/// units, those of their units' subtree for staff, their own for an officer); `None` for a
/// caller with no area.
fn in_area<'a>(
    conn: &mut DbConn,
    caller: &Caller,
) -> AppResult<Option<enterprises::BoxedQuery<'a, Backend>>> {
    let query = enterprises::table.into_boxed();
    Ok(match caller.scope() {
        Scope::All => Some(query),
        Scope::Units(prefix) => {
            Some(query.filter(enterprises::unit_id.eq_any(super::units_under(conn, &prefix)?)))
        }
        Scope::Enterprise(e) => Some(query.filter(enterprises::id.eq(e))),
        Scope::Nothing => None,
    })
}

/// The enterprise the text typed into `field` names, in the caller's area; a 422 on `field`
/// when it names none or several.
pub fn resolve_in(conn: &mut DbConn, caller: &Caller, field: &str, typed: &str) -> AppResult<i64> {
    caller.require(Permission::ReadEnterprises)?;
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(AppError::field(field, Code::Required));
    }
    let Some(area) = in_area(conn, caller)? else {
        return Err(AppError::field(field, Code::NotAnEnterpriseInArea));
    };
    let exact: Vec<(i64, Option<String>)> = area
        .filter(
            enterprises::name
                .eq(typed)
                .or(enterprises::credit_code.eq(typed.to_uppercase())),
        )
        .select((enterprises::id, enterprises::credit_code))
        .order(enterprises::id)
        .limit(20)
        .load(conn)?;
    match exact.as_slice() {
        [(id, _)] => Ok(*id),
        [] => {
            let near: Vec<String> = in_area(conn, caller)?
                .map(|q| {
                    q.filter(
                        enterprises::name
                            .like(crate::db::containing(typed))
                            .escape('\\'),
                    )
                    .select(enterprises::name)
                    .order(enterprises::name)
                    .limit(NEAR_NAMES)
                    .load(conn)
                })
                .transpose()?
                .unwrap_or_default();
            Err(match near.is_empty() {
                true => AppError::field(field, Code::NotAnEnterpriseInArea),
                false => AppError::field(field, Code::NotTheFullName.with("list", near.join(", "))),
            })
        }
        several => {
            let codes: Vec<&str> = several
                .iter()
                .filter_map(|(_, code)| code.as_deref())
                .collect();
            Err(AppError::field(
                field,
                Code::SeveralEnterprises.with("list", codes.join(", ")),
            ))
        }
    }
}

/// `resolve_in` on a connection of its own, for the forms whose service takes the id.
pub async fn resolve(
    ctx: &super::Ctx,
    caller: &Caller,
    field: &'static str,
    typed: String,
) -> AppResult<i64> {
    let caller = caller.clone();
    ctx.db
        .read(move |conn| resolve_in(conn, &caller, field, &typed))
        .await
}

/// How many enterprises a form suggests at most.
pub const MAX_CHOICES: i64 = 5000;

/// An enterprise a form suggests: its id (what the form sends) and its name (what staff look for).
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

/// The enterprises a form suggests to the caller, by name: those registered in their unit's
/// subtree (every one for a caller over all units, their own for an officer), at most
/// `MAX_CHOICES`. A suggestion only: the form still takes any enterprise's number.
pub async fn choices(ctx: &Ctx, caller: &Caller) -> AppResult<Vec<Choice>> {
    caller.require(Permission::ReadEnterprises)?;
    let scope = caller.scope();
    ctx.db
        .read(move |conn| {
            let mut query = enterprises::table
                .select((enterprises::id, enterprises::name))
                .order((enterprises::name, enterprises::id))
                .limit(MAX_CHOICES)
                .into_boxed();
            match &scope {
                Scope::All => {}
                Scope::Units(prefix) => {
                    query =
                        query.filter(enterprises::unit_id.eq_any(super::units_under(conn, prefix)?))
                }
                Scope::Enterprise(e) => query = query.filter(enterprises::id.eq(*e)),
                Scope::Nothing => return Ok(Vec::new()),
            }
            let rows: Vec<(i64, String)> = query.load(conn)?;
            Ok::<_, AppError>(
                rows.into_iter()
                    .map(|(id, name)| Choice { id, name })
                    .collect(),
            )
        })
        .await
}
