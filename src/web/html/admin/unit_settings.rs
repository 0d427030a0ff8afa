//! The admin's forms on the units page that edit a unit: its competent arbitration commission and
//! the commission's address, shown on the notice of the right to arbitration of the unit's cases
//! (and of the units below it that name none of their own); and its letterhead, the committee's
//! name, address, phone and seal text on every document the unit issues. Each form sends its
//! fields, an empty one clearing the value, through `units::update`.

use super::super::form::number;
use super::super::{see_other, PageResult, SignedForm};
use super::{admin_form, form_errors, input, select, unit_choices, units_view, Errors, Values};
use crate::services::units::{self, UnitPatch, UnitView};
use crate::services::Ctx;
use actix_web::web;
use serde_json::Value;
use std::collections::HashMap;

/// A form's fields: (name, label, input type), each a field of `UnitPatch`.
type Fields = [(&'static str, &'static str, &'static str)];

/// The arbitration commission's form.
pub(super) const ARBITRATION: &Fields = &[
    (
        "arbitration_commission",
        "admin.arbitration_commission",
        "text",
    ),
    ("arbitration_address", "admin.arbitration_address", "text"),
];

/// The letterhead's form.
pub(super) const LETTERHEAD: &Fields = &[
    ("committee_name", "admin.committee_name", "text"),
    ("committee_address", "admin.committee_address", "text"),
    ("committee_phone", "admin.committee_phone", "tel"),
    ("seal_text", "admin.seal_text", "text"),
];

/// A form's fields on the page: the unit, then `which`.
pub(super) fn fields(
    list: &[UnitView],
    values: &Values,
    errors: &Errors,
    which: &Fields,
) -> Vec<Value> {
    let unit = select(
        "unit_id",
        "admin.unit",
        unit_choices(list, false),
        None,
        values,
        errors,
    );
    std::iter::once(unit)
        .chain(
            which
                .iter()
                .map(|(name, label, kind)| input(name, label, kind, values, errors)),
        )
        .collect()
}

/// The patch of a form's fields, each sent (an empty one clears).
fn patch_of(form: &HashMap<String, String>, which: &Fields) -> UnitPatch {
    let mut patch = UnitPatch::default();
    for (name, _, _) in which {
        let value = Some(form.get(*name).cloned().unwrap_or_default());
        match *name {
            "arbitration_commission" => patch.arbitration_commission = value,
            "arbitration_address" => patch.arbitration_address = value,
            "committee_name" => patch.committee_name = value,
            "committee_address" => patch.committee_address = value,
            "committee_phone" => patch.committee_phone = value,
            _ => patch.seal_text = value,
        }
    }
    patch
}

async fn submit(ctx: web::Data<Ctx>, signed: SignedForm, which: &Fields) -> PageResult {
    let (me, form) = admin_form(signed)?;
    let mut errors = HashMap::new();
    let unit_id = number(&form, "unit_id", &mut errors);
    let result = match unit_id {
        Some(unit_id) if errors.is_empty() => {
            units::update(&ctx, &me.caller, unit_id, patch_of(&form, which)).await
        }
        _ => {
            errors
                .entry("unit_id".to_string())
                .or_insert_with(|| crate::error::Code::Required.into());
            Err(crate::error::AppError::Validation(Default::default()))
        }
    };
    match result.map_err(form_errors) {
        Ok(_) => Ok(see_other("/admin/units")),
        Err(Ok((more, status))) => {
            errors.extend(more);
            units_view(&ctx, &me, &form, &errors, status).await
        }
        Err(Err(e)) => Err(me.page.fail(e)),
    }
}

/// `POST /admin/units/arbitration`.
pub async fn submit_arbitration(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    submit(ctx, signed, ARBITRATION).await
}

/// `POST /admin/units/letterhead`.
pub async fn submit_letterhead(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    submit(ctx, signed, LETTERHEAD).await
}
