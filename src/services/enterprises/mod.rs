//! Enterprises: registered by admins, or by a director on the spot in their own unit, with a
//! checked unified social credit code when one is given (a small shop may have none at hand);
//! each may name its early-warning officer. Staff may read every enterprise (a case may name one registered under
//! another street); an officer sees only their own.

use super::{Caller, Ctx, Page, Paging, Scope};
use crate::db::models::{EnterpriseRow, NewEnterprise, UserRow};
use crate::db::schema::{enterprises, users};
use crate::db::{is_unique_violation, DbConn};
use crate::domain::credit_code::CreditCode;
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::domain::text::{check_required_text, check_text, NAME_MAX};
use crate::error::{AppError, AppResult, Code, FieldErrors, Problem};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

pub use super::enterprise_names::{choices, Choice, MAX_CHOICES};

mod edit;
mod particulars;
pub use edit::{update, EnterprisePatch};
pub use particulars::ParticularsInput;

#[derive(Debug, Serialize)]
pub struct EnterpriseView {
    pub id: i64,
    pub name: String,
    pub credit_code: Option<String>,
    pub unit_id: i64,
    pub industry: Option<String>,
    pub employee_count: Option<i64>,
    pub has_mediation_committee: bool,
    pub officer_id: Option<i64>,
    /// 住所, 法定代表人 and a contact phone, as the documents print them.
    pub address: Option<String>,
    pub legal_representative: Option<String>,
    pub phone: Option<String>,
    pub version: i64,
}

impl From<EnterpriseRow> for EnterpriseView {
    fn from(r: EnterpriseRow) -> Self {
        EnterpriseView {
            id: r.id,
            name: r.name,
            credit_code: r.credit_code,
            unit_id: r.unit_id,
            industry: r.industry,
            employee_count: r.employee_count,
            has_mediation_committee: r.has_mediation_committee,
            officer_id: r.officer_id,
            address: r.address,
            legal_representative: r.legal_representative,
            phone: r.phone,
            version: r.version,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseInput {
    pub name: String,
    /// Absent, null or blank: none.
    #[serde(default)]
    pub credit_code: Option<String>,
    pub unit_id: i64,
    pub industry: Option<String>,
    pub employee_count: Option<i64>,
    pub has_mediation_committee: Option<bool>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub legal_representative: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

impl EnterpriseInput {
    /// The particulars the input gives.
    fn particulars(&self) -> ParticularsInput {
        ParticularsInput {
            address: self.address.clone(),
            legal_representative: self.legal_representative.clone(),
            phone: self.phone.clone(),
        }
    }
}

fn check_count(n: Option<i64>) -> Result<Option<i64>, Problem> {
    match n {
        Some(n) if !(0..=10_000_000).contains(&n) => {
            Err(Code::Between.with("min", 0).with("max", 10_000_000))
        }
        other => Ok(other),
    }
}

/// A credit code when one is given (checked), `None` when absent or blank.
fn check_code(s: Option<&str>) -> Result<Option<CreditCode>, Problem> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => s.parse::<CreditCode>().map(Some).map_err(Problem::from),
    }
}

fn check_industry(s: Option<&str>) -> Result<Option<String>, Problem> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => check_text(s, NAME_MAX)
            .map(|_| Some(s.to_string()))
            .map_err(Problem::from),
    }
}

/// Validates and inserts an enterprise (also used by the demo).
pub fn create_in(
    conn: &mut DbConn,
    caller: Option<&Caller>,
    input: EnterpriseInput,
    now: chrono::NaiveDateTime,
) -> AppResult<EnterpriseRow> {
    let mut errors = FieldErrors::default();
    let name = errors.take("name", check_required_text(&input.name, NAME_MAX));
    let code = errors.take("credit_code", check_code(input.credit_code.as_deref()));
    let industry = errors.take("industry", check_industry(input.industry.as_deref()));
    let count = errors.take("employee_count", check_count(input.employee_count));
    let particulars = input.particulars().check(&mut errors);
    let in_scope = match caller {
        Some(c) => super::unit_in_scope(conn, c, input.unit_id)?,
        None => true,
    };
    if !in_scope {
        errors.add("unit_id", Code::NotInScope);
    }
    if let (Some(name), Some(None)) = (&name, &code) {
        let same_name: i64 = enterprises::table
            .filter(enterprises::name.eq(name))
            .count()
            .get_result(conn)?;
        if same_name > 0 {
            errors.add("credit_code", Code::CreditCodeForSameName);
        }
    }
    let (Some(name), Some(code), Some(industry), Some(count), true) =
        (name, code, industry, count, errors.is_empty())
    else {
        return Err(AppError::Validation(errors));
    };
    let inserted = diesel::insert_into(enterprises::table)
        .values(NewEnterprise {
            name: &name,
            credit_code: code.as_ref().map(CreditCode::as_str),
            unit_id: input.unit_id,
            industry: industry.as_deref(),
            employee_count: count,
            has_mediation_committee: input.has_mediation_committee.unwrap_or(false),
            created_at: now,
            updated_at: now,
            address: particulars.address.clone().flatten().as_deref(),
            legal_representative: particulars
                .legal_representative
                .clone()
                .flatten()
                .as_deref(),
            phone: particulars.phone.clone().flatten().as_deref(),
        })
        .returning(enterprises::id)
        .get_result::<i64>(conn);
    match inserted {
        Err(e) if is_unique_violation(&e) => Err(AppError::Duplicate {
            field: "credit_code".into(),
            problem: Code::CreditCodeTaken.into(),
        }),
        Err(e) => Err(e.into()),
        Ok(id) => Ok(enterprises::table
            .find(id)
            .select(EnterpriseRow::as_select())
            .first(conn)?),
    }
}

pub async fn create(
    ctx: &Ctx,
    caller: &Caller,
    input: EnterpriseInput,
) -> AppResult<EnterpriseView> {
    if !caller.may(Permission::ManageEnterprises) {
        caller.require(Permission::RegisterSmallEnterprise)?;
    }
    let now = ctx.now().naive_utc();
    let caller = caller.clone();
    ctx.db
        .write(move |conn| {
            let row = create_in(conn, Some(&caller), input, now)?;
            let fields: &[&str] = match row.credit_code {
                Some(_) => &["name", "credit_code", "unit_id"],
                None => &["name", "unit_id"],
            };
            super::admin_events::record(
                conn,
                caller.id,
                super::admin_events::ENTERPRISE_CREATED,
                ("enterprise", row.id),
                fields,
                now,
            )?;
            Ok(EnterpriseView::from(row))
        })
        .await
}

/// Loads an enterprise the caller may read, or 404.
pub fn find_visible(conn: &mut DbConn, caller: &Caller, id: i64) -> AppResult<EnterpriseRow> {
    let row: Option<EnterpriseRow> = enterprises::table
        .find(id)
        .select(EnterpriseRow::as_select())
        .first(conn)
        .optional()?;
    match (row, caller.scope()) {
        (Some(row), Scope::Enterprise(e)) if row.id == e => Ok(row),
        (Some(row), Scope::All | Scope::Units(_)) => Ok(row),
        _ => Err(AppError::not_found("enterprise")),
    }
}

pub async fn get(ctx: &Ctx, caller: &Caller, id: i64) -> AppResult<EnterpriseView> {
    caller.require(Permission::ReadEnterprises)?;
    let caller = caller.clone();
    ctx.db
        .read(move |conn| find_visible(conn, &caller, id).map(EnterpriseView::from))
        .await
}

pub async fn list(
    ctx: &Ctx,
    caller: &Caller,
    q: Option<String>,
    unit_id: Option<i64>,
    paging: Paging,
) -> AppResult<Page<EnterpriseView>> {
    caller.require(Permission::ReadEnterprises)?;
    let scope = caller.scope();
    ctx.db
        .read(move |conn| {
            let query = || {
                let mut query = enterprises::table.into_boxed();
                if let Some(q) = q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
                    let pattern = crate::db::containing(q);
                    query = query.filter(
                        enterprises::name
                            .like(pattern.clone())
                            .escape('\\')
                            .or(enterprises::credit_code.like(pattern).escape('\\')),
                    );
                }
                if let Some(unit) = unit_id {
                    query = query.filter(enterprises::unit_id.eq(unit));
                }
                match &scope {
                    Scope::Enterprise(e) => query = query.filter(enterprises::id.eq(*e)),
                    Scope::Nothing => query = query.filter(enterprises::id.eq(-1)),
                    Scope::All | Scope::Units(_) => {}
                }
                query
            };
            let total: i64 = query().count().get_result(conn)?;
            let items = query()
                .select(EnterpriseRow::as_select())
                .order(enterprises::id)
                .offset(paging.offset())
                .limit(paging.per_page)
                .load(conn)?
                .into_iter()
                .map(EnterpriseView::from)
                .collect();
            Ok::<_, AppError>(paging.answer(items, total))
        })
        .await
}

/// Designates the enterprise's early-warning officer: an active officer bound to it.
pub async fn set_officer(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    user_id: i64,
) -> AppResult<EnterpriseView> {
    caller.require(Permission::ManageEnterprises)?;
    let now = ctx.now().naive_utc();
    let caller = caller.clone();
    ctx.db
        .write(move |conn| {
            let row = find_visible(conn, &caller, id)?;
            designate_officer(conn, &row, user_id, now)?;
            find_visible(conn, &caller, id).map(EnterpriseView::from)
        })
        .await
}

pub fn designate_officer(
    conn: &mut DbConn,
    row: &EnterpriseRow,
    user_id: i64,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
    let user: Option<UserRow> = users::table
        .find(user_id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    match user {
        Some(u)
            if u.role == Role::Officer.as_str() && u.enterprise_id == Some(row.id) && u.active => {}
        _ => return Err(AppError::field("user_id", Code::NotEnterpriseOfficer)),
    }
    diesel::update(enterprises::table.find(row.id))
        .set((
            enterprises::officer_id.eq(Some(user_id)),
            enterprises::version.eq(row.version + 1),
            enterprises::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
