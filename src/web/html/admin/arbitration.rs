//! The admin's form on the units page that names a unit's competent arbitration commission and
//! its address, shown on the notice of the right to arbitration of the unit's cases (and of the
//! units below it that name none of their own).

use super::super::form::{number, opt};
use super::super::{see_other, PageResult, SignedForm};
use super::{admin_form, form_errors, input, select, unit_choices, units_view, Errors, Values};
use crate::services::units::{self, ArbitrationInput, UnitView};
use crate::services::Ctx;
use actix_web::web;
use serde_json::Value;
use std::collections::HashMap;

/// The form's fields: the unit, the commission's name and its address.
pub(super) fn fields(list: &[UnitView], values: &Values, errors: &Errors) -> Vec<Value> {
    vec![
        select(
            "unit_id",
            "admin.unit",
            unit_choices(list, false),
            None,
            values,
            errors,
        ),
        input(
            "arbitration_commission",
            "admin.arbitration_commission",
            "text",
            values,
            errors,
        ),
        input(
            "arbitration_address",
            "admin.arbitration_address",
            "text",
            values,
            errors,
        ),
    ]
}

pub async fn submit(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    let (me, form) = admin_form(signed)?;
    let mut errors = HashMap::new();
    let unit_id = number(&form, "unit_id", &mut errors);
    let result = match unit_id {
        Some(unit_id) if errors.is_empty() => {
            let input = ArbitrationInput {
                unit_id,
                arbitration_commission: opt(&form, "arbitration_commission"),
                arbitration_address: opt(&form, "arbitration_address"),
            };
            units::set_arbitration(&ctx, &me.caller, input).await
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
