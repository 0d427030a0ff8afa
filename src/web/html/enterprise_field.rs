//! The enterprise field every form and the case list's filter share: one text input named
//! `enterprise` where the user types a name or picks it from the suggestions (a `<datalist>` of
//! the names in their area, `partials/enterprise_field`), resolved to the enterprise by
//! `services::enterprise_names` (exact name or credit code; an unknown or ambiguous name is an
//! error beside the field, with the choices). The page never shows or asks for a number.

use crate::services::enterprises::{self, Choice};
use crate::services::{enterprise_names, Caller, Ctx};
use std::collections::HashMap;

/// The form field's name.
pub(super) const FIELD: &str = "enterprise";

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
    errors: &mut HashMap<String, String>,
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
            errors.insert(FIELD.into(), "is not an enterprise in your area".into());
            None
        }
    }
}

/// The services' errors about `enterprise_id` (the JSON's name) beside the form's field, unless
/// the form already said why.
pub(super) fn beside_field(errors: &mut HashMap<String, String>) {
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
