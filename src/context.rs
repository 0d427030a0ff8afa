//! The context every use case runs in: who is asking (`Caller`, `Asker`, their `Scope`), the
//! database, settings and clock (`Ctx`), and the list shapes of the contract (`Page`, `Paging`).
//! It sits below `services` and `notify`, which both take a `Ctx`, so that neither imports the
//! other for it. How a token becomes a caller is the services' (`services::auth`): that half of
//! `Asker` and `Ctx` is implemented there.

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
use crate::domain::idempotency::Claim;
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::error::{AppError, AppResult};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use serde::Serialize;
use std::sync::Arc;

/// What every use case needs: the database, the settings and the clock, and the request's
/// `Idempotency-Key` claim when it sent one.
#[derive(Clone)]
pub struct Ctx {
    pub db: Db,
    pub settings: Arc<Settings>,
    pub clock: Clock,
    pub claim: Option<Arc<Claim>>,
}

impl Ctx {
    /// This context for one request that sent an `Idempotency-Key`: the creating use case keeps
    /// the claim with its new record (`idempotency::keep`).
    pub fn with_claim(&self, claim: Claim) -> Ctx {
        Ctx {
            claim: Some(Arc::new(claim)),
            ..self.clone()
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// The local calendar date of an instant, in the configured zone.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        crate::domain::time::local_date(self.settings.tz, at)
    }

    /// A list filter's `from` and `to` local dates, both inclusive, as the UTC bounds
    /// `[from's midnight, the midnight after to)`.
    pub fn local_days(
        &self,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
        (
            from.map(|d| self.local_midnight(d)),
            to.map(|d| self.local_midnight(d + chrono::Duration::days(1))),
        )
    }

    /// The first instant of a local date, as UTC.
    pub fn local_midnight(&self, date: NaiveDate) -> NaiveDateTime {
        crate::domain::time::local_midnight(self.settings.tz, date)
    }
}

/// Who is asking: the authenticated user with their scope.
#[derive(Debug, Clone)]
pub struct Caller {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    /// The unit's path ('/1/4/'), the prefix of every unit in the caller's subtree.
    pub unit_path: Option<String>,
    pub enterprise_id: Option<i64>,
}

/// Who is asking, as a request names them. An API request carries a bearer token, resolved by
/// the use case itself on the connection it reads or writes with, so that the request makes one
/// trip to the blocking pool instead of two (each trip is two thread switches); pages and the
/// command line have their caller already.
#[derive(Debug, Clone)]
pub enum Asker {
    Token(String),
    Known(Caller),
}

impl From<Caller> for Asker {
    fn from(caller: Caller) -> Asker {
        Asker::Known(caller)
    }
}

impl From<&Caller> for Asker {
    fn from(caller: &Caller) -> Asker {
        Asker::Known(caller.clone())
    }
}

/// What part of the data a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    All,
    /// The unit subtree under this path prefix.
    Units(String),
    /// One enterprise's records (officers).
    Enterprise(i64),
    /// Nothing (a user bound to no unit who is not an admin).
    Nothing,
}

impl Caller {
    pub fn scope(&self) -> Scope {
        match (self.role, &self.unit_path, self.enterprise_id) {
            (Role::Officer, _, Some(e)) => Scope::Enterprise(e),
            (Role::Officer, _, None) => Scope::Nothing,
            (_, Some(path), _) => Scope::Units(path.clone()),
            (Role::Admin, None, _) => Scope::All,
            _ => Scope::Nothing,
        }
    }

    /// Whether the caller's role holds `permission` (`domain::permission`'s table).
    pub fn may(&self, permission: Permission) -> bool {
        self.role.may(permission)
    }

    /// 403 unless the caller's role holds `permission`.
    pub fn require(&self, permission: Permission) -> AppResult<()> {
        self.require_that(self.may(permission))
    }

    /// 403 unless a rule about this particular record holds (asking about oneself, say).
    pub fn require_that(&self, allowed: bool) -> AppResult<()> {
        if allowed {
            Ok(())
        } else {
            Err(AppError::forbidden())
        }
    }
}

/// A page of a list, as the contract shapes it.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// Paging asked for by a client, checked: page ≥ 1, 1 ≤ per_page ≤ 200.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: i64,
    pub per_page: i64,
}

impl Paging {
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> AppResult<Paging> {
        let page = page.unwrap_or(1);
        let per_page = per_page.unwrap_or(50);
        let mut errors = crate::error::FieldErrors::default();
        use crate::error::Code;
        if page < 1 {
            errors.add("page", Code::AtLeast.with("min", 1));
        }
        if !(1..=200).contains(&per_page) {
            errors.add("per_page", Code::Between.with("min", 1).with("max", 200));
        }
        errors.finish()?;
        Ok(Paging { page, per_page })
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// The answer of a list read at this paging: its items and the count of all that match.
    pub fn answer<T>(self, items: Vec<T>, total: i64) -> Page<T> {
        Page {
            items,
            total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

/// An instant as the contract prints it: RFC 3339 in the configured zone.
pub fn rfc3339(ctx: &Ctx, at: NaiveDateTime) -> String {
    Utc.from_utc_datetime(&at)
        .with_timezone(&ctx.settings.tz)
        .to_rfc3339()
}
