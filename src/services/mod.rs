//! Use cases, one function each, one transaction each: the change, its event and its access-log
//! rows commit together. Services take domain values and a `Caller`, check scope and role, and
//! answer with serializable views; they know nothing of HTTP.

pub mod access;
pub mod admin_events;
pub mod auth;
pub mod cases;
pub mod consultations;
pub mod demo;
pub mod digest;
pub mod digests;
pub mod enterprise_names;
pub mod enterprises;
pub mod escalation;
pub mod evidence;
pub mod idempotency;
pub mod ledger;
pub mod ledger_import;
pub mod notifications;
pub mod reminders;
pub mod report_subscriptions;
pub mod sessions;
pub mod stats;
pub mod units;
pub mod users;
pub mod warnings;

pub use crate::context::{rfc3339, Asker, Caller, Ctx, Page, Paging, Scope};
use crate::db::schema::units as unit_rows;
use crate::db::DbConn;
use crate::error::{AppError, AppResult};
use diesel::prelude::*;

impl Asker {
    /// The caller: 401 for a token that is unknown, revoked, or whose user is deactivated.
    pub fn resolve(self, conn: &mut DbConn) -> AppResult<Caller> {
        match self {
            Asker::Known(caller) => Ok(caller),
            Asker::Token(token) => {
                auth::caller_of_token(conn, &token)?.ok_or_else(AppError::not_signed_in)
            }
        }
    }
}

impl Ctx {
    /// Runs `f`, which only reads, for the asker on one pooled connection: the caller is
    /// resolved first, on the same connection, in the same blocking call (`Db::snapshot`).
    pub async fn read_as<T, F>(&self, asker: Asker, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn, Caller) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.db
            .snapshot(move |conn| {
                let caller = asker.resolve(conn)?;
                f(conn, caller)
            })
            .await
    }

    /// Runs `f` for the asker in one writing transaction (`Db::write`). The caller is resolved
    /// first, by a read of its own, so the token lookup is never part of the serialized writes.
    pub async fn write_as<T, F>(&self, asker: Asker, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConn, Caller) -> AppResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let caller = self.caller(asker).await?;
        self.db.write(move |conn| f(conn, caller)).await
    }

    /// The caller, by a read of its own where a token has to be looked up.
    pub async fn caller(&self, asker: Asker) -> AppResult<Caller> {
        match asker {
            Asker::Known(caller) => Ok(caller),
            token => self.db.read(move |conn| token.resolve(conn)).await,
        }
    }
}

/// Whether the unit `unit_id` lies in the caller's unit scope.
pub fn unit_in_scope(conn: &mut DbConn, caller: &Caller, unit_id: i64) -> AppResult<bool> {
    Ok(unit_path_in_scope(conn, caller, unit_id)?.is_some())
}

/// The path of unit `unit_id` if it lies in the caller's unit scope, `None` otherwise.
pub fn unit_path_in_scope(
    conn: &mut DbConn,
    caller: &Caller,
    unit_id: i64,
) -> AppResult<Option<String>> {
    let path: Option<String> = unit_rows::table
        .find(unit_id)
        .select(unit_rows::path)
        .first(conn)
        .optional()?;
    Ok(path.filter(|p| match caller.scope() {
        Scope::All => true,
        Scope::Units(prefix) => p.starts_with(&prefix),
        _ => false,
    }))
}

/// The ids of every unit under `prefix`. Units are few (a city has a few thousand), so the list
/// is loaded and bound rather than nested as a subquery.
pub fn units_under(conn: &mut DbConn, prefix: &str) -> QueryResult<Vec<i64>> {
    unit_rows::table
        .filter(unit_rows::path.like(format!("{prefix}%")))
        .select(unit_rows::id)
        .load(conn)
}
