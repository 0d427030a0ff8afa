//! Editing an enterprise's record (admins): its name, industry, size, committee, unit and the
//! respondent's particulars, under optimistic locking, each change audited.

use super::particulars::ParticularsInput;
use super::{check_count, check_industry, find_visible, EnterpriseView};
use crate::db::schema::enterprises;
use crate::domain::permission::Permission;
use crate::domain::text::{check_required_text, NAME_MAX};
use crate::error::{AppError, AppResult, Code, FieldErrors};
use crate::services::{Caller, Ctx};
use diesel::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterprisePatch {
    pub version: i64,
    pub name: Option<String>,
    pub industry: Option<String>,
    pub employee_count: Option<i64>,
    pub has_mediation_committee: Option<bool>,
    /// A new unit in the caller's scope.
    #[serde(default)]
    pub unit_id: Option<i64>,
    /// The particulars: absent unchanged, blank cleared.
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub legal_representative: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

pub async fn update(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    patch: EnterprisePatch,
) -> AppResult<EnterpriseView> {
    caller.require(Permission::ManageEnterprises)?;
    let now = ctx.now().naive_utc();
    let caller = caller.clone();
    ctx.db
        .write(move |conn| {
            let row = find_visible(conn, &caller, id)?;
            let mut errors = FieldErrors::default();
            let name = patch
                .name
                .map(|n| errors.take("name", check_required_text(&n, NAME_MAX)));
            let industry = match patch.industry {
                Some(i) => errors.take("industry", check_industry(Some(&i))),
                None => Some(row.industry.clone()),
            };
            let count = match patch.employee_count {
                Some(n) => errors.take("employee_count", check_count(Some(n))),
                None => Some(row.employee_count),
            };
            let given = ParticularsInput {
                address: patch.address.clone(),
                legal_representative: patch.legal_representative.clone(),
                phone: patch.phone.clone(),
            }
            .check(&mut errors);
            if let Some(unit) = patch.unit_id {
                if !crate::services::unit_in_scope(conn, &caller, unit)? {
                    errors.add("unit_id", Code::NotInScope);
                }
            }
            errors.finish()?;
            let name = name.flatten().unwrap_or(row.name.clone());
            let (industry, count) = (industry.flatten(), count.flatten());
            let committee = patch
                .has_mediation_committee
                .unwrap_or(row.has_mediation_committee);
            let unit_id = patch.unit_id.unwrap_or(row.unit_id);
            let address = given.address.unwrap_or(row.address.clone());
            let representative = given
                .legal_representative
                .unwrap_or(row.legal_representative.clone());
            let phone = given.phone.unwrap_or(row.phone.clone());
            let fields: Vec<&str> = [
                ("name", name != row.name),
                ("industry", industry != row.industry),
                ("employee_count", count != row.employee_count),
                (
                    "has_mediation_committee",
                    committee != row.has_mediation_committee,
                ),
                ("unit_id", unit_id != row.unit_id),
                ("address", address != row.address),
                (
                    "legal_representative",
                    representative != row.legal_representative,
                ),
                ("phone", phone != row.phone),
            ]
            .into_iter()
            .filter_map(|(field, changed)| changed.then_some(field))
            .collect();
            let changed = diesel::update(
                enterprises::table
                    .find(id)
                    .filter(enterprises::version.eq(patch.version)),
            )
            .set((
                enterprises::name.eq(name),
                enterprises::industry.eq(industry),
                enterprises::employee_count.eq(count),
                enterprises::has_mediation_committee.eq(committee),
                enterprises::unit_id.eq(unit_id),
                enterprises::address.eq(address),
                enterprises::legal_representative.eq(representative),
                enterprises::phone.eq(phone),
                enterprises::version.eq(row.version + 1),
                enterprises::updated_at.eq(now),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Err(AppError::VersionConflict);
            }
            crate::services::admin_events::record(
                conn,
                caller.id,
                crate::services::admin_events::ENTERPRISE_UPDATED,
                ("enterprise", id),
                &fields,
                now,
            )?;
            find_visible(conn, &caller, id).map(EnterpriseView::from)
        })
        .await
}
