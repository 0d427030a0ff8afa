//! The enterprise field every form and the case list's filter share: one text input named
//! `enterprise` where the user types a name or picks it from the suggestions (a `<datalist>` of
//! the names in their area, `partials/enterprise_field`), resolved to the enterprise by
//! `services::enterprise_names` (exact name or credit code; an unknown or ambiguous name is an
//! error beside the field, with the choices). The page never shows or asks for a number.

use crate::domain::permission::Permission;
use crate::error::{AppError, Code};
use crate::services::enterprises::{self, Choice, EnterpriseInput};
use crate::services::{enterprise_names, Caller, Ctx};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The form field's name.
pub(super) const FIELD: &str = "enterprise";
/// The offer's checkbox: register the typed name as a new (small) enterprise of the caller's unit.
const REGISTER: &str = "register_enterprise";
/// The offer's optional credit code.
const REGISTER_CODE: &str = "register_credit_code";

/// The enterprises to suggest on a form; none when they cannot be read (the form still works).
pub(super) async fn choices(ctx: &Ctx, caller: &Caller) -> Vec<Choice> {
    enterprises::choices(ctx, caller).await.unwrap_or_default()
}

/// The enterprise the form's field names: `None` when it is left empty, or when it names none
/// or several (then why is beside the field).
pub(super) async fn resolve(
    ctx: &Ctx,
    caller: &Caller,
    form: &HashMap<String, String>,
    errors: &mut super::form::Errors,
) -> Option<i64> {
    let typed = form
        .get(FIELD)
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())?;
    match enterprise_names::resolve(ctx, caller, FIELD, typed.to_string()).await {
        Ok(id) => Some(id),
        Err(crate::error::AppError::Validation(fields)) => {
            errors.extend(fields.0);
            None
        }
        Err(_) => {
            errors.insert(FIELD.into(), Code::NotAnEnterpriseInArea.into());
            None
        }
    }
}

/// Who may register the typed name on the spot: a director (or an admin) with a unit for it.
fn may_register(caller: &Caller) -> bool {
    caller.unit_id.is_some()
        && (caller.may(Permission::RegisterSmallEnterprise)
            || caller.may(Permission::ManageEnterprises))
}

/// `resolve`, and when the name is not in the registry and the user ticked the offer to register
/// it (see `offer`), registers it in the caller's unit, with the credit code if one was typed:
/// its refusals go beside the offer's fields.
pub(super) async fn resolve_or_register(
    ctx: &Ctx,
    caller: &Caller,
    form: &HashMap<String, String>,
    errors: &mut super::form::Errors,
) -> Option<i64> {
    let found = resolve(ctx, caller, form, errors).await;
    let ticked = form.get(REGISTER).is_some_and(|v| v == "1");
    let (None, true, true, Some(unit_id)) = (found, ticked, may_register(caller), caller.unit_id)
    else {
        return found;
    };
    let input = EnterpriseInput {
        name: form.get(FIELD).cloned().unwrap_or_default(),
        credit_code: form.get(REGISTER_CODE).cloned(),
        unit_id,
        industry: None,
        employee_count: None,
        has_mediation_committee: None,
        address: None,
        legal_representative: None,
        phone: None,
    };
    match enterprises::create(ctx, caller, input).await {
        Ok(e) => {
            errors.remove(FIELD);
            Some(e.id)
        }
        Err(AppError::Validation(fields)) => {
            for (field, why) in fields.0 {
                let beside = if field == "credit_code" {
                    REGISTER_CODE
                } else {
                    FIELD
                };
                errors.insert(beside.into(), why);
            }
            None
        }
        Err(AppError::Duplicate { problem, .. }) => {
            errors.insert(REGISTER_CODE.into(), problem);
            None
        }
        Err(_) => None,
    }
}

/// The offer to register the typed name, shown beside the field when the name was not found and
/// the caller may register enterprises: whether it was ticked, the code typed and its error.
pub(super) fn offer(
    caller: &Caller,
    form: &HashMap<String, String>,
    errors: &super::form::Errors,
) -> Value {
    let typed = form.get(FIELD).map(|s| s.trim()).unwrap_or_default();
    let refused = errors.contains_key(FIELD) || errors.contains_key(REGISTER_CODE);
    if typed.is_empty() || !refused || !may_register(caller) {
        return Value::Null;
    }
    json!({"name": typed, "checked": form.get(REGISTER).is_some_and(|v| v == "1"),
           "code": form.get(REGISTER_CODE), "error": errors.get(REGISTER_CODE)})
}

/// The services' errors about `enterprise_id` (the JSON's name) beside the form's field, unless
/// the form already said why.
pub(super) fn beside_field(errors: &mut super::form::Errors) {
    if let Some(why) = errors.remove("enterprise_id") {
        errors.entry(FIELD.into()).or_insert(why);
    }
}

/// The field's starting value for an enterprise given by number (a consultation turned into a
/// case links to the intake form with it): its name, or nothing when the caller may not read it.
pub(super) async fn name_of(ctx: &Ctx, caller: &Caller, id: Option<&String>) -> Option<String> {
    let id = id?.trim().parse().ok()?;
    enterprises::get(ctx, caller, id).await.ok().map(|e| e.name)
}
