//! The unit tree: district > street > community. Each unit keeps its path of ancestors so that a
//! subtree is one prefix match.

use super::{Caller, Ctx, Scope};
use crate::db::models::{NewUnit, UnitRow};
use crate::db::schema::units;
use crate::db::DbConn;
use crate::domain::permission::Permission;
use crate::domain::text::{check_required_text, NAME_MAX};
use crate::domain::vocab::UnitKind;
use crate::error::{AppError, AppResult, Code, FieldErrors};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize)]
pub struct UnitView {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
    /// The competent labour dispute arbitration commission named on the notice of the right to
    /// arbitration, and its address; a unit without one takes its nearest ancestor's.
    pub arbitration_commission: Option<String>,
    pub arbitration_address: Option<String>,
    /// The letterhead of the documents the unit issues: its committee's name (when not the
    /// unit's name followed by 劳动争议调解委员会), address and phone, and its seal's text.
    pub committee_name: Option<String>,
    pub committee_address: Option<String>,
    pub committee_phone: Option<String>,
    pub seal_text: Option<String>,
}

impl From<UnitRow> for UnitView {
    fn from(r: UnitRow) -> Self {
        UnitView {
            id: r.id,
            name: r.name,
            kind: r.kind,
            parent_id: r.parent_id,
            arbitration_commission: r.arbitration_commission,
            arbitration_address: r.arbitration_address,
            committee_name: r.committee_name,
            committee_address: r.committee_address,
            committee_phone: r.committee_phone,
            seal_text: r.seal_text,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
}

/// Inserts a unit under `parent` and fills in its path; used by the API and the demo.
pub fn insert_unit(
    conn: &mut DbConn,
    name: &str,
    kind: UnitKind,
    parent: Option<&UnitRow>,
    now: chrono::NaiveDateTime,
) -> QueryResult<UnitRow> {
    let id: i64 = diesel::insert_into(units::table)
        .values(NewUnit {
            name,
            kind: kind.as_str(),
            parent_id: parent.map(|p| p.id),
            path: "",
            created_at: now,
        })
        .returning(units::id)
        .get_result(conn)?;
    let path = format!("{}{id}/", parent.map_or("/", |p| p.path.as_str()));
    diesel::update(units::table.find(id))
        .set(units::path.eq(&path))
        .execute(conn)?;
    units::table
        .find(id)
        .select(UnitRow::as_select())
        .first(conn)
}

pub async fn create(ctx: &Ctx, caller: &Caller, input: UnitInput) -> AppResult<UnitView> {
    caller.require(Permission::ManageUnits)?;
    let mut errors = FieldErrors::default();
    let name = errors.take("name", check_required_text(&input.name, NAME_MAX));
    let kind = errors.take("kind", input.kind.parse::<UnitKind>());
    let now = ctx.now().naive_utc();
    let caller = caller.clone();
    ctx.db
        .write(move |conn| {
            let parent = match input.parent_id {
                Some(pid) if super::unit_in_scope(conn, &caller, pid)? => Some(
                    units::table
                        .find(pid)
                        .select(UnitRow::as_select())
                        .first(conn)?,
                ),
                Some(_) => {
                    errors.add("parent_id", Code::NotInScope);
                    None
                }
                None if caller.scope() != Scope::All => {
                    errors.add("parent_id", Code::UnitBelowOwn);
                    None
                }
                None => None,
            };
            if let (Some(kind), Some(parent)) = (kind, &parent) {
                let parent_kind = parent.kind.parse::<UnitKind>().ok();
                if !parent_kind.is_some_and(|pk| pk.may_contain(kind)) {
                    errors.add(
                        "kind",
                        Code::UnitKindUnder
                            .with_term("kind", "unitkind", kind.as_str())
                            .with_term("parent", "unitkind", &parent.kind),
                    );
                }
            }
            let (Some(name), Some(kind), true) = (name, kind, errors.is_empty()) else {
                return Err(AppError::Validation(errors));
            };
            Ok(insert_unit(conn, &name, kind, parent.as_ref(), now)?.into())
        })
        .await
}

/// The units the caller may see: their subtree (an officer: their enterprise's unit).
pub async fn list(ctx: &Ctx, caller: &Caller) -> AppResult<Vec<UnitView>> {
    let scope = caller.scope();
    let enterprise_id = caller.enterprise_id;
    ctx.db
        .read(move |conn| {
            let mut q = units::table
                .select(UnitRow::as_select())
                .order(units::id)
                .into_boxed();
            match scope {
                Scope::All => {}
                Scope::Units(prefix) => q = q.filter(units::path.like(format!("{prefix}%"))),
                Scope::Enterprise(_) => {
                    use crate::db::schema::enterprises;
                    q = q.filter(
                        units::id.nullable().eq(enterprises::table
                            .filter(enterprises::id.nullable().eq(enterprise_id))
                            .select(enterprises::unit_id.nullable())
                            .single_value()),
                    )
                }
                Scope::Nothing => return Ok(vec![]),
            }
            Ok::<_, AppError>(q.load(conn)?.into_iter().map(UnitView::from).collect())
        })
        .await
}

/// A unit's competent arbitration commission, as an admin sets it (empty clears it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArbitrationInput {
    pub unit_id: i64,
    pub arbitration_commission: Option<String>,
    pub arbitration_address: Option<String>,
}

/// What an edit of a unit sets: each field sent is set, an empty one cleared, the rest kept.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitPatch {
    pub arbitration_commission: Option<String>,
    pub arbitration_address: Option<String>,
    pub committee_name: Option<String>,
    pub committee_address: Option<String>,
    pub committee_phone: Option<String>,
    pub seal_text: Option<String>,
}

/// Sets the competent arbitration commission of a unit of the caller's scope.
pub async fn set_arbitration(
    ctx: &Ctx,
    caller: &Caller,
    input: ArbitrationInput,
) -> AppResult<UnitView> {
    let patch = UnitPatch {
        arbitration_commission: Some(input.arbitration_commission.unwrap_or_default()),
        arbitration_address: Some(input.arbitration_address.unwrap_or_default()),
        ..UnitPatch::default()
    };
    update(ctx, caller, input.unit_id, patch).await
}

/// Edits the arbitration commission and the letterhead of a unit of the caller's scope (404
/// outside it). An address needs the commission it is the address of.
pub async fn update(
    ctx: &Ctx,
    caller: &Caller,
    unit_id: i64,
    patch: UnitPatch,
) -> AppResult<UnitView> {
    use crate::domain::phone::Phone;
    use crate::domain::text::check_text;
    caller.require(Permission::ManageUnits)?;
    let sent: Vec<&'static str> = [
        ("arbitration_commission", &patch.arbitration_commission),
        ("arbitration_address", &patch.arbitration_address),
        ("committee_name", &patch.committee_name),
        ("committee_address", &patch.committee_address),
        ("committee_phone", &patch.committee_phone),
        ("seal_text", &patch.seal_text),
    ]
    .into_iter()
    .filter(|(_, v)| v.is_some())
    .map(|(name, _)| name)
    .collect();
    let now = ctx.now().naive_utc();
    let mut errors = FieldErrors::default();
    // Sent: Some(the value, None when empty); not sent: None.
    let mut field = |name: &str, value: Option<String>| {
        value.map(|v| {
            let v = v.trim().to_string();
            if !v.is_empty() {
                errors.take(name, check_text(&v, NAME_MAX));
            }
            Some(v).filter(|v| !v.is_empty())
        })
    };
    let commission = field("arbitration_commission", patch.arbitration_commission);
    let address = field("arbitration_address", patch.arbitration_address);
    let committee = field("committee_name", patch.committee_name);
    let committee_address = field("committee_address", patch.committee_address);
    let seal = field("seal_text", patch.seal_text);
    let phone = patch.committee_phone.map(|p| match p.trim() {
        "" => None,
        p => errors
            .take("committee_phone", p.parse::<Phone>())
            .map(|p| p.as_str().to_string()),
    });
    let caller = caller.clone();
    ctx.db
        .write(move |conn| {
            if !super::unit_in_scope(conn, &caller, unit_id)? {
                return Err(AppError::not_found("unit"));
            }
            let row: UnitRow = units::table
                .find(unit_id)
                .select(UnitRow::as_select())
                .first(conn)?;
            let commission = commission.unwrap_or(row.arbitration_commission);
            let address = address.unwrap_or(row.arbitration_address);
            if address.is_some() && commission.is_none() {
                errors.add("arbitration_commission", Code::Required);
            }
            errors.finish()?;
            diesel::update(units::table.find(unit_id))
                .set((
                    units::arbitration_commission.eq(commission),
                    units::arbitration_address.eq(address),
                    units::committee_name.eq(committee.unwrap_or(row.committee_name)),
                    units::committee_address.eq(committee_address.unwrap_or(row.committee_address)),
                    units::committee_phone.eq(phone.unwrap_or(row.committee_phone)),
                    units::seal_text.eq(seal.unwrap_or(row.seal_text)),
                ))
                .execute(conn)?;
            super::admin_events::record(
                conn,
                caller.id,
                super::admin_events::UNIT_UPDATED,
                ("unit", unit_id),
                &sent,
                now,
            )?;
            Ok(units::table
                .find(unit_id)
                .select(UnitRow::as_select())
                .first(conn)?
                .into())
        })
        .await
}

/// The letterhead of the documents a unit issues, as they print it: the committee's name, the
/// line of its address and phone (empty without either) and the seal's text.
#[derive(Debug, Serialize)]
pub struct Letterhead {
    pub committee: String,
    pub contact: String,
    pub seal: String,
}

/// The letterhead of unit `unit_id` in `lang`, its defaults from the catalog. The caller must
/// read cases; a letterhead is public.
pub async fn letterhead_of(
    ctx: &Ctx,
    caller: &Caller,
    unit_id: i64,
    lang: &str,
) -> AppResult<Letterhead> {
    use crate::i18n::t;
    caller.require(Permission::ReadCases)?;
    let row: UnitRow = ctx
        .db
        .read(move |conn| {
            Ok::<_, AppError>(
                units::table
                    .find(unit_id)
                    .select(UnitRow::as_select())
                    .first(conn)?,
            )
        })
        .await?;
    let contact = [
        row.committee_address
            .map(|a| format!("{}{a}", t(lang, "print.letterhead_address"))),
        row.committee_phone
            .map(|p| format!("{}{p}", t(lang, "print.letterhead_phone"))),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(&t(lang, "print.letterhead_sep"));
    Ok(Letterhead {
        committee: row
            .committee_name
            .unwrap_or_else(|| format!("{}{}", row.name, t(lang, "print.committee"))),
        contact,
        seal: row.seal_text.unwrap_or_else(|| t(lang, "print.seal")),
    })
}

/// The competent arbitration commission of a case's unit and its address: the unit's own, or
/// its nearest ancestor's (a district's commission serves its streets). The caller must read
/// cases; the commission is public information.
pub async fn arbitration_of(
    ctx: &Ctx,
    caller: &Caller,
    unit_id: i64,
) -> AppResult<Option<(String, Option<String>)>> {
    caller.require(Permission::ReadCases)?;
    ctx.db
        .read(move |conn| {
            let path: String = units::table.find(unit_id).select(units::path).first(conn)?;
            let ids: Vec<i64> = path.split('/').filter_map(|p| p.parse().ok()).collect();
            let mut found: Vec<(i64, Option<String>, Option<String>)> = units::table
                .filter(units::id.eq_any(&ids))
                .filter(units::arbitration_commission.is_not_null())
                .select((
                    units::id,
                    units::arbitration_commission,
                    units::arbitration_address,
                ))
                .load(conn)?;
            // The nearest: the last of the path's units that has one.
            found.sort_by_key(|(id, _, _)| ids.iter().position(|i| i == id));
            Ok::<_, AppError>(found.pop().and_then(|(_, c, a)| c.map(|c| (c, a))))
        })
        .await
}
